// What the page scripts (web/src/) see besides the DOM.

/** The shipped languages' codes, from the bundle's languages/*.json (esbuild's define). */
declare const __LANGUAGES__: string[];
/** socratiq_local's version, the wheel's (esbuild's define). */
declare const __VERSION__: string;

interface Window {
  /** The page API (web/src/api.js); set by the first copy of socratiq.js on the page. */
  socratiq?: { version?: string };
}
