/* UI text: the bundle's languages/<code>.json (the tables the Python renderer reads too), English
 * behind every gap, plural forms by Intl.PluralRules. A key missing everywhere gives "" (and a
 * console warning): the reader never sees a key name. */

import { BASE, LANG } from "./config.js";

/** @typedef {string | Partial<Record<Intl.LDMLPluralRule, string>>} Message */
/**
 * @typedef {object} Table
 * @property {{code: string, dir: "ltr" | "rtl", decimal: string, group: string}} language
 * @property {Record<string, Message>} strings
 */
/** @typedef {Record<string, string | number>} Params */

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/** @type {Table | null} */
let table = null;
/** @type {Table | null} */
let english = null;
/** @type {Promise<void> | null} */
let loading = null;

/** @param {string} code */
async function fetchTable(code) {
  try {
    const response = await fetch(`${BASE}languages/${code}.json`, { credentials: "same-origin" });
    return response.ok ? /** @type {Table} */ (await response.json()) : null;
  } catch (error) {
    return null;
  }
}

/** The page's language table and English, fetched once. */
export function loadTexts() {
  loading ??= Promise.all([fetchTable("en"), LANG === "en" ? null : fetchTable(LANG)]).then(
    ([en, ours]) => {
      english = en;
      table = ours || en;
    },
  );
  return loading;
}

/** The language the strings are in: its code and writing direction. */
export function language() {
  const info = (table || english)?.language;
  return { code: info ? info.code : "en", dir: info ? info.dir : "ltr" };
}

/**
 * @param {string} key
 * @param {Table | null} from
 */
function lookup(key, from) {
  return from ? from.strings[key] : undefined;
}

/** @param {number} value */
function formatNumber(value) {
  const info = (table || english)?.language || { decimal: ".", group: "," };
  const text = Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2).replace(/\.?0+$/, "");
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, info.group);
  return fraction ? grouped + info.decimal + fraction : grouped;
}

/**
 * @param {string} template
 * @param {Params} params
 */
function fill(template, params) {
  return template.replace(PLACEHOLDER, (whole, name) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(value) : String(value);
  });
}

/** @param {string} key */
function missing(key) {
  console.warn(`[socratiq] no UI string ${key}`);
  return "";
}

/**
 * The string for `key` in the page's language (else English), its {placeholders} filled.
 * @param {string} key
 * @param {Params} [params]
 */
function text(key, params = {}) {
  const message = lookup(key, table) ?? lookup(key, english);
  if (message === undefined) return missing(key);
  const template = typeof message === "string" ? message : message.other || Object.values(message)[0] || "";
  return fill(template, params);
}

/**
 * The plural form of `key` for `count` (filled into {count}), by the language's CLDR rules.
 * @param {string} key
 * @param {number} count
 * @param {Params} [params]
 */
function plural(key, count, params = {}) {
  const values = { count, ...params };
  for (const from of [table, english]) {
    const message = lookup(key, from);
    if (message === undefined || !from) continue;
    if (typeof message === "string") return fill(message, values);
    const category = new Intl.PluralRules(from.language.code).select(count);
    const template = message[category] || message.other;
    if (template) return fill(template, values);
  }
  return missing(key);
}

/** `t(key, {name: value})` and `t.plural(key, n)`: the page's UI text, keys as literal strings. */
export const t = Object.assign(text, { plural });
