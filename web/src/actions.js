/* The learner's data: export, import and wipe (the dashboard's buttons and the host page's
 * API), and the dashboard's "Review now". */

import { BOOK } from "./config.js";
import { el, setHTML } from "./dom.js";
import { start } from "./engine.js";
import { renderAll } from "./render.js";
import { call } from "./rpc.js";
import { readOurKeys } from "./storage.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** All this book's progress, as JSON text (every tab's latest keys). */
export async function exportProgress() {
  await start();
  return /** @type {string} */ ((await call("export", { storage: readOurKeys() })).text);
}

/**
 * Merge an export in (by event id: nothing is duplicated).
 * @param {string} text
 * @returns {Promise<{message: string}>}
 */
export async function importProgress(text) {
  await start();
  const result = await call("import", { text: String(text) });
  renderAll();
  return result;
}

/** Delete this book's progress on this device (every tab sees it). */
export async function wipe() {
  await start();
  const result = await call("wipe", { storage: readOurKeys() });
  renderAll();
  return result;
}

/**
 * @param {Host} host
 * @param {string} message
 */
function reportTo(host, message) {
  const box = host.root.querySelector(".sq-data-status");
  if (box) box.textContent = message;
}

/**
 * @param {Host} host
 * @param {string} action
 */
async function dashboardAction(host, action) {
  try {
    if (action === "export") {
      const text = await exportProgress();
      const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      const link = el("a", { href: url, download: `socratiq-${BOOK}-progress.json` });
      host.root.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      reportTo(host, t("page.exported"));
    } else if (action === "import") {
      const input = host.root.querySelector("input[type=file][data-action=import-file]");
      if (input instanceof HTMLInputElement) input.click();
    } else if (action === "wipe") {
      if (!window.confirm(t("page.wipe_confirm"))) return;
      await wipe();
      reportTo(host, t("page.wiped"));
    } else if (action === "review") {
      const result = await call("review", { instance: host.instance });
      const area = host.root.querySelector(".sq-review-area");
      if (!area) return;
      setHTML(area, result.html);
      const first = area.querySelector("input, select, button, textarea");
      if (first instanceof HTMLElement) first.focus();
    }
  } catch (error) {
    reportTo(host, /** @type {Error} */ (error).message);
  }
}

/**
 * The dashboard's buttons (data-action) and its file input for imports.
 * @param {Host} host
 */
export function wireActions(host) {
  host.root.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest("button[data-action]");
    if (!(button instanceof HTMLButtonElement) || !button.dataset.action) return;
    event.preventDefault();
    dashboardAction(host, button.dataset.action);
  });
  host.root.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("input[type=file][data-action=import-file]")) return;
    const file = input.files && input.files[0];
    if (file) {
      file
        .text()
        .then(importProgress)
        .then((result) => reportTo(host, result.message))
        .catch((/** @type {Error} */ error) => reportTo(host, error.message));
    }
  });
}
