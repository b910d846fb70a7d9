/* localStorage: the page owns it, the worker sends the writes. Every tab writes only its own
 * log chunks, named by a writer id it holds a Web Lock on for its whole life; ids come from a small
 * pool (w0, w1, …) so a new page load continues an old log instead of adding one. The one tab
 * that holds the compactor lock also folds every tab's log into the shared snapshot.
 * (localStorage is not coherent between tabs, even under locks: no key is ever written by two
 * tabs. See README, "Two tabs".) This tab's own chunks are also journalled (journal.js), for
 * a killed browser. */

import { PREFIX } from "./config.js";
import { chunkWriter, journal } from "./journal.js";

/** This tab's writer id, once claimed: its chunks are journalled too (journal.js). */
let ownWriter = "";

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
 * Apply the worker's writes in order (a value of null removes the key), stopping at the first
 * that does not fit (storage full): a later write may depend on it, as the removal of a log
 * chunk on the snapshot that covers it. Null if all were applied; else what localStorage
 * holds under each key not written, for the worker to take back.
 * @param {Write[] | undefined} writes
 * @returns {Record<string, string | null> | null}
 */
export function applyWrites(writes) {
  const list = writes || [];
  /** @type {[string, string | null][]} */
  const own = [];
  try {
    for (let i = 0; i < list.length; i++) {
      const [key, value] = list[i];
      if (!key.startsWith(PREFIX)) continue; // never touch another book's or the host's keys
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch (error) {
        /** @type {Record<string, string | null>} */
        const actual = {};
        for (const [rest] of list.slice(i)) if (rest.startsWith(PREFIX)) actual[rest] = readKey(rest);
        return actual;
      }
      if (ownWriter && chunkWriter(key) === ownWriter) own.push([key, value]);
    }
    return null;
  } finally {
    journal(own);
  }
}

/** @param {string} key */
function readKey(key) {
  try {
    return localStorage.getItem(key);
  } catch (error) {
    return null;
  }
}

/**
 * Other tabs' changes to this book's keys, each key with its new value (null: removed), a
 * burst of them in one call; `cleared` when the whole storage was cleared.
 * @param {(changes: Record<string, string | null>) => void} changed
 * @param {() => void} cleared
 */
export function onOtherTabs(changed, cleared) {
  /** @type {Record<string, string | null> | null} */
  let batch = null;
  window.addEventListener("storage", (event) => {
    if (event.storageArea !== localStorage) return;
    if (event.key === null) {
      batch = null;
      cleared();
      return;
    }
    if (!event.key.startsWith(PREFIX)) return;
    if (event.newValue === null && ownWriter && chunkWriter(event.key) === ownWriter) {
      journal([[event.key, null]]); // folded by the compacting tab, or wiped
    }
    if (batch === null) {
      batch = {};
      setTimeout(() => {
        const changes = batch;
        batch = null;
        if (changes) changed(changes);
      }, 0);
    }
    batch[event.key] = event.newValue;
  });
}

function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The first free writer id of the pool, locked for this tab's life. */
export async function claimWriterId() {
  ownWriter = await claim();
  return ownWriter;
}

async function claim() {
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
