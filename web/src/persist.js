/* Storage that is asked to stay: browsers may clear a site's localStorage under storage
 * pressure unless the site's storage is persistent. Once the reader has earned something worth
 * keeping (an answer that scored, a badge), the page asks the browser once for persistence;
 * the dashboard says what the browser answered (navigator.storage.persisted()). */

import { el } from "./dom.js";
import { liveHosts } from "./hosts.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

let asked = false;

/** Whether the browser keeps this site's storage for good; null where it cannot tell. */
async function persisted() {
  if (!navigator.storage || typeof navigator.storage.persisted !== "function") return null;
  try {
    return await navigator.storage.persisted();
  } catch (error) {
    return null;
  }
}

/** Ask for persistent storage, once per page and only if it is not so already; the
 * dashboards then say the answer. */
export async function askToKeep() {
  if (asked || (await persisted()) !== false || typeof navigator.storage.persist !== "function") return;
  asked = true;
  try {
    await navigator.storage.persist();
  } catch (error) {
    // the line on the dashboard says the browser's answer, whatever happened
  }
  for (const host of liveHosts()) if (host.kind === "dashboard") showKept(host);
}

/**
 * The dashboard's line saying whether this browser keeps the progress for good, under the
 * note on where it is stored.
 * @param {Host} host
 */
export async function showKept(host) {
  const kept = await persisted();
  const note = host.root.querySelector(".sq-data-note");
  if (kept === null || !note) return;
  let line = host.root.querySelector(".sq-data-kept");
  if (!line) {
    line = el("p", { class: "sq-data-kept" });
    note.after(line);
  }
  line.textContent = t(kept ? "page.storage_kept" : "page.storage_not_kept");
  line.setAttribute("data-persisted", String(kept));
}
