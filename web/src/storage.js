/* localStorage: the page owns it, the worker sends the writes. Every tab writes only its own
 * log key, named by a writer id it holds a Web Lock on for its whole life; ids come from a small
 * pool (w0, w1, …) so a new page load continues an old log instead of adding one. The one tab
 * that holds the compactor lock also folds every tab's log into the shared snapshot.
 * (localStorage is not coherent between tabs, even under locks: no key is ever written by two
 * tabs. See README, "Two tabs".) */

import { PREFIX } from "./config.js";

/** @typedef {[string, string | null]} Write */

/** This book's keys and values, as the worker's copy of the storage. */
export function readOurKeys() {
  /** @type {Record<string, string>} */
  const found = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const value = key && key.startsWith(PREFIX) ? localStorage.getItem(key) : null;
      if (key && value !== null) found[key] = value;
    }
  } catch (error) {
    // Storage disabled (privacy mode, sandboxed frame): Python keeps progress in memory.
  }
  return found;
}

/**
 * Apply the worker's writes (a value of null removes the key); the keys that could not be
 * written (storage full) come back.
 * @param {Write[] | undefined} writes
 */
export function applyWrites(writes) {
  /** @type {string[]} */
  const failedKeys = [];
  for (const [key, value] of writes || []) {
    if (!key.startsWith(PREFIX)) continue; // never touch another book's or the host's keys
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (error) {
      failedKeys.push(key);
    }
  }
  return failedKeys;
}

/**
 * Another tab wrote one of this book's keys (or cleared the storage).
 * @param {() => void} changed
 */
export function onOtherTabs(changed) {
  window.addEventListener("storage", (event) => {
    if (event.storageArea !== localStorage) return;
    if (event.key === null || event.key.startsWith(PREFIX)) changed();
  });
}

function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The first free writer id of the pool, locked for this tab's life. */
export async function claimWriterId() {
  if (!navigator.locks) return "t" + randomId().slice(0, 20);
  for (let n = 0; n < 32; n++) {
    const held = await new Promise((resolve) => {
      navigator.locks
        .request(`${PREFIX}writer:w${n}`, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          return lock === null ? undefined : new Promise(() => {}); // held for the tab's life
        })
        .catch(() => resolve(false));
    });
    if (held) return `w${n}`;
  }
  return "t" + randomId().slice(0, 20);
}

/**
 * Wait for the compactor lock; the tab that holds it compacts now and then.
 * @param {() => void} compact
 */
export function electCompactor(compact) {
  if (!navigator.locks) return;
  navigator.locks
    .request(`${PREFIX}compactor`, () => {
      setTimeout(compact, 5_000); // not on the way of the first quiz or the first answer
      setInterval(compact, 60_000);
      return new Promise(() => {}); // held for the tab's life; the next tab takes over
    })
    .catch(() => {});
}
