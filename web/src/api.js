/* The host page's API: window.socratiq. */

import { exportProgress, importProgress, wipe } from "./actions.js";
import { BOOK, VERSION } from "./config.js";
import { start } from "./engine.js";
import { mountIn } from "./mount.js";
import { ready } from "./rpc.js";

/**
 * Mount the placeholders at or inside `element` (one the page's observer cannot see, such as
 * one in the host page's own shadow DOM, or one added before a hidden tab's first frame).
 * @param {ParentNode} element
 */
function mount(element) {
  return mountIn(element);
}

/**
 * @typedef {object} SocratiqApi
 * @property {string} version
 * @property {string} book
 * @property {Promise<SocratiqApi>} ready
 * @property {() => Promise<SocratiqApi>} start
 * @property {(element: ParentNode) => Promise<void>} mount
 * @property {() => Promise<string>} exportProgress
 * @property {(text: string) => Promise<{message: string}>} importProgress
 * @property {() => Promise<object>} wipe
 */

/** @type {Promise<SocratiqApi>} */
const readyApi = ready.then(() => api);
readyApi.catch(() => {}); // reported on the page; hosts may still await it

/** @type {SocratiqApi} */
export const api = Object.freeze({
  version: VERSION,
  book: BOOK,
  /** Resolves with this API when the engine is ready; rejects if it cannot start. */
  ready: readyApi,
  start: () => start().then(() => api),
  mount,
  exportProgress,
  importProgress,
  wipe,
});
