/* What the script tag says: where the bundle lies, which book, which language. Read once, while
 * the tag runs (document.currentScript is null afterwards). */

/** The shipped languages (the bundle's languages/*.json), set by tools/build_bundle.py. */
const SHIPPED = __LANGUAGES__;

const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);

/** The bundle's folder: worker.js, styles.css, languages/ and pyodide/ are found from it. */
export const BASE = new URL(".", script ? script.src : location.href).href;
export const BOOK = sanitizeBook((script && script.dataset.book) || "default");
/** Every localStorage key of this book starts so; no other key is ever touched. */
export const PREFIX = `socratiq:${BOOK}:`;
export const SERVICE_WORKER = script ? script.dataset.serviceWorker : undefined;
/** An MLSysBook chapter's quiz file, `{chapter}` for the page's name (see mlsysbook.js). */
export const MLSYSBOOK = script ? script.dataset.mlsysbook : undefined;
/** data-lang on the tag, else the page's <html lang>, else English ("de-AT" is German). */
export const LANG = pickLanguage(script && script.dataset.lang, document.documentElement.lang);
/** The package version (socratiq_local.__version__), set by tools/build_bundle.py. */
export const VERSION = __VERSION__;

/** @param {string} name */
function sanitizeBook(name) {
  const clean = String(name).trim().replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 64);
  return clean || "default";
}

/** @param {...(string | null | undefined)} wanted */
function pickLanguage(...wanted) {
  for (const tag of wanted) {
    if (!tag) continue;
    const code = tag.trim().toLowerCase().replace(/_/g, "-").split("-")[0];
    if (SHIPPED.includes(code)) return code;
  }
  return "en";
}
