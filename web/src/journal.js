/* A crash journal of this tab's own log chunks, in IndexedDB.
 *
 * Chromium writes a site's localStorage to disk 5 s after a change but at most 60 times an
 * hour, so a killed browser (or a phone's system killing it) loses about the last minute of
 * answers from localStorage. IndexedDB writes each transaction out when it completes. So every
 * chunk this tab stores is also put here, and at start each journalled chunk of a writer id no
 * open tab holds is put back into localStorage where it differs. localStorage stays the one
 * store every tab reads; the journal only ever refills it, and only for a writer whose lock
 * this tab holds at that moment (no key is written by two tabs). */

import { PREFIX } from "./config.js";

const DATABASE = "socratiq-journal";
const CHUNKS = "chunks";
/** A crash loses at most the last minute or so of localStorage: an entry older than this was
 * either put back already or removed on purpose (a compaction folded it), and is dropped. */
const KEEP_MS = 10 * 60_000;

/** @type {Promise<IDBDatabase | null> | null} */
let opened = null;

/** The journal's database; null where IndexedDB is missing or refused (then there is none). */
function database() {
  if (!opened) {
    opened = new Promise((resolve) => {
      try {
        const request = indexedDB.open(DATABASE, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(CHUNKS);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve(null);
        request.onblocked = () => resolve(null);
      } catch (error) {
        resolve(null);
      }
    });
  }
  return opened;
}

/**
 * Journal these writes of this tab's own chunks (null: the chunk is gone).
 * @param {[string, string | null][]} writes
 */
export function journal(writes) {
  if (!writes.length) return;
  database().then((db) => {
    if (!db) return;
    try {
      const chunks = db.transaction(CHUNKS, "readwrite").objectStore(CHUNKS);
      for (const [key, value] of writes) {
        if (value === null) chunks.delete(key);
        else chunks.put([value, Date.now()], key);
      }
    } catch (error) {
      // Full or closing: localStorage still has the chunk, only the crash window is wider.
    }
  });
}

/**
 * The writer id of one of this book's log chunk keys, or null.
 * @param {string} key
 */
export function chunkWriter(key) {
  const match = key.startsWith(PREFIX) ? /^log:([A-Za-z0-9_-]{1,64}):\d+$/.exec(key.slice(PREFIX.length)) : null;
  return match ? match[1] : null;
}

/** The range of this book's chunks in the journal. */
function ours() {
  return IDBKeyRange.bound(PREFIX + "log:", PREFIX + "log:\uffff");
}

/** Delete this book's journal (the reader deleted all progress); resolves once it is done. */
export async function forget() {
  const db = await database();
  if (!db) return;
  await new Promise((resolve) => {
    try {
      const done = db.transaction(CHUNKS, "readwrite");
      done.objectStore(CHUNKS).delete(ours());
      done.oncomplete = done.onerror = done.onabort = () => resolve(undefined);
    } catch (error) {
      resolve(undefined);
    }
  });
}

/** @returns {Promise<[string, string][]>} this book's recent journalled chunks (older ones
 * are deleted on the way) */
async function journalled() {
  const db = await database();
  if (!db) return [];
  return new Promise((resolve) => {
    /** @type {[string, string][]} */
    const found = [];
    try {
      const cursor = db.transaction(CHUNKS, "readwrite").objectStore(CHUNKS).openCursor(ours());
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return resolve(found);
        const [value, time] = Array.isArray(at.value) ? at.value : [null, 0];
        if (typeof value === "string" && Date.now() - time < KEEP_MS) found.push([String(at.key), value]);
        else at.delete();
        at.continue();
      };
      cursor.onerror = () => resolve(found);
    } catch (error) {
      resolve(found);
    }
  });
}

/**
 * Put back into localStorage what the journal holds and localStorage lost (a killed browser),
 * for `own` (this tab's writer id, locked already) and every writer id no tab holds now.
 * @param {string} own
 */
export async function restore(own) {
  /** @type {Map<string, [string, string][]>} */
  const byWriter = new Map();
  for (const [key, value] of await journalled()) {
    const writer = chunkWriter(key);
    if (writer) byWriter.set(writer, [...(byWriter.get(writer) || []), [key, value]]);
  }
  for (const [writer, chunks] of byWriter) {
    const put = () => {
      for (const [key, value] of chunks) {
        try {
          if (localStorage.getItem(key) !== value) localStorage.setItem(key, value);
        } catch (error) {
          return; // full: the engine's own handling applies to what is there
        }
      }
    };
    if (writer === own) put();
    else if (navigator.locks) {
      await navigator.locks
        .request(`${PREFIX}writer:${writer}`, { ifAvailable: true }, (lock) => {
          if (lock) put(); // no open tab writes these keys while we hold their writer's lock
        })
        .catch(() => {});
    }
  }
}
