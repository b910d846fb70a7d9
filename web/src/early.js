/* Answers that do not wait: a pre-rendered quiz (integrations/prerender.py) takes answers
 * before the engine is ready. A Check pressed then says "Checking…", keeps the answer in a key
 * of this tab's own (`socratiq-pending:<book>:p<n>`: outside the book's namespace, which the
 * engine reads and where it sets any key it does not write aside; one writer per key, as
 * NOTES.md's TRAP asks: the tab holds the slot's Web Lock for its life) and sends it once the
 * engine has drawn the quiz, recorded at the moment it was pressed. An answer left by a tab
 * that closed first is sent by the next tab that shows its quiz. */

import { BOOK } from "./config.js";
import { el } from "./dom.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */
/**
 * One Check pressed before the engine was ready.
 * @typedef {{quizId: string, questionId: string, fields: [string, string][], at: number}} Pending
 */

const SLOT = `socratiq-pending:${BOOK}:p`;
const SLOTS = 16;
/** The slots this tab holds (its own, and those taken over from closed tabs), with their answers. */
/** @type {Map<string, Pending[]>} */
const held = new Map();
/** @type {Promise<string | null> | null} */
let ownSlot = null;

/** @param {string} key */
function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(value) ? /** @type {Pending[]} */ (value.filter(valid)) : [];
  } catch {
    return [];
  }
}

/** @param {any} entry */
function valid(entry) {
  return (
    entry &&
    typeof entry.quizId === "string" &&
    typeof entry.questionId === "string" &&
    typeof entry.at === "number" &&
    Array.isArray(entry.fields) &&
    entry.fields.every((/** @type {unknown} */ pair) => Array.isArray(pair) && pair.length === 2 && pair.every((x) => typeof x === "string"))
  );
}

/** @param {string} key */
function write(key) {
  const entries = held.get(key) || [];
  try {
    if (entries.length) localStorage.setItem(key, JSON.stringify(entries));
    else localStorage.removeItem(key);
  } catch {
    // storage full or disabled: the answer is still sent from memory once the engine is up
  }
}

/**
 * Take slot `n` if no open tab holds it (its lock held for this tab's life).
 * @param {number} n
 * @returns {Promise<boolean>}
 */
function take(n) {
  return new Promise((resolve) => {
    navigator.locks
      .request(SLOT + n, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock === null ? undefined : new Promise(() => {});
      })
      .catch(() => resolve(false));
  });
}

/** Every slot no open tab holds and with answers in it, taken over; and a slot of this tab's own. */
function claim() {
  if (!ownSlot) {
    ownSlot = (async () => {
      if (!navigator.locks) return null;
      let own = null;
      for (let n = 0; n < SLOTS; n++) {
        const key = SLOT + n;
        const left = read(key);
        if ((left.length || own === null) && (await take(n))) {
          held.set(key, left);
          if (own === null && !left.length) own = key;
        }
      }
      return own;
    })();
  }
  return ownSlot;
}

/**
 * Make a pre-rendered quiz's controls usable before the engine runs (they are drawn disabled,
 * for a browser that cannot run it).
 * @param {HTMLElement} root
 */
export function acceptEarly(root) {
  for (const control of root.querySelectorAll("form.sq-question :is(input, select, textarea, button)[disabled]")) {
    control.removeAttribute("disabled");
  }
  claim();
}

/**
 * The engine cannot start: the static quiz's controls are disabled again (its "Reveal answer"
 * still works), and the answers stay kept.
 * @param {HTMLElement} root
 */
export function refuseEarly(root) {
  for (const form of root.querySelectorAll("[data-sq-static] form.sq-question")) {
    for (const control of form.querySelectorAll("input, select, textarea, button")) control.setAttribute("disabled", "");
    for (const note of form.querySelectorAll("[data-sq-pending]")) note.remove();
  }
}

/**
 * Keep a Check pressed before the engine was ready, and say it is being checked.
 * @param {HTMLFormElement} form
 * @param {[string, string][]} fields
 */
export async function keep(form, fields) {
  const entry = { quizId: form.dataset.quizId || "", questionId: form.dataset.questionId || "", fields, at: Date.now() };
  showChecking(form);
  const key = (await claim()) || `${SLOT}memory`;
  const entries = (held.get(key) || []).filter((e) => !(e.quizId === entry.quizId && e.questionId === entry.questionId));
  held.set(key, [...entries, entry]);
  if (key !== `${SLOT}memory`) write(key);
}

/** @param {HTMLFormElement} form */
export function showChecking(form) {
  const button = form.querySelector("button[type=submit]");
  if (button instanceof HTMLButtonElement) button.disabled = true;
  if (form.querySelector("[data-sq-pending]")) return;
  const note = el("p", { class: "sq-pending", role: "status", "data-sq-pending": "" }, t("page.checking"));
  const actions = form.querySelector(".sq-actions");
  if (actions) actions.after(note);
  else form.append(note);
}

/**
 * The kept answers to questions `root` shows now (the engine's drawing), each taken out of its
 * slot as it is handed over.
 * @param {HTMLElement} root
 * @returns {Promise<{form: HTMLFormElement, entry: Pending, done: () => void}[]>}
 */
export async function keptFor(root) {
  await claim();
  const out = [];
  for (const [key, entries] of held) {
    for (const entry of entries) {
      const form = root.querySelector(
        `form.sq-question[data-quiz-id="${CSS.escape(entry.quizId)}"][data-question-id="${CSS.escape(entry.questionId)}"]`,
      );
      if (!(form instanceof HTMLFormElement)) continue;
      const done = () => {
        held.set(key, (held.get(key) || []).filter((e) => e !== entry));
        if (key !== `${SLOT}memory`) write(key);
      };
      out.push({ form, entry, done });
    }
  }
  return out;
}

/**
 * What the reader chose or typed in a pre-rendered quiz without pressing Check, per question:
 * the engine's drawing takes it over (its controls carry the same names and values; the
 * learner's shuffle only moves them). An ordering's moves are not carried: its items are
 * drawn in the learner's own order.
 * @param {HTMLElement} root
 * @returns {Map<string, [string, string][]>}
 */
export function choicesIn(root) {
  /** @type {Map<string, [string, string][]>} */
  const out = new Map();
  for (const form of root.querySelectorAll("[data-sq-static] form.sq-question")) {
    if (!(form instanceof HTMLFormElement)) continue;
    /** @type {[string, string][]} */
    const fields = [];
    for (const control of form.elements) {
      if (!carried(control) || control.disabled) continue;
      if (control instanceof HTMLInputElement && (control.type === "radio" || control.type === "checkbox")) {
        if (control.checked) fields.push([control.name, control.value]);
      } else if (control.value !== "") {
        fields.push([control.name, control.value]);
      }
    }
    if (fields.length) out.set(questionKey(form), fields);
  }
  return out;
}

/**
 * Put `choices` (from `choicesIn`) back into the engine's drawing of the same questions.
 * @param {HTMLElement} root
 * @param {Map<string, [string, string][]>} choices
 */
export function carryChoices(root, choices) {
  if (!choices.size) return;
  for (const form of root.querySelectorAll("form.sq-question")) {
    if (!(form instanceof HTMLFormElement)) continue;
    const fields = choices.get(questionKey(form));
    if (!fields) continue;
    for (const control of form.elements) {
      if (!carried(control)) continue;
      const values = fields.filter(([name]) => name === control.name).map(([, value]) => value);
      if (!values.length) continue;
      if (control instanceof HTMLInputElement && (control.type === "radio" || control.type === "checkbox")) {
        control.checked = values.includes(control.value);
      } else {
        control.value = values[0];
      }
    }
  }
}

/**
 * A control whose value the reader sets: not a button, not an ordering's hidden position.
 * @param {Element} control
 * @returns {control is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement}
 */
function carried(control) {
  if (control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) return Boolean(control.name);
  return control instanceof HTMLInputElement && Boolean(control.name) && !["hidden", "submit", "button", "reset"].includes(control.type);
}

/** @param {HTMLFormElement} form */
function questionKey(form) {
  return `${form.dataset.quizId || ""}\n${form.dataset.questionId || ""}`;
}
