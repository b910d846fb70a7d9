/* The dashboard's controls and the host page's data API. The learner's data: export, import
 * and delete, each saying what it did in the dashboard's status line (still said after the
 * dashboard is drawn again). The daily goal. Review sessions, one card at a time in the
 * dashboard's review area (the dashboard is not redrawn under a session). */

import { BOOK } from "./config.js";
import { dispatch, el, setHTML } from "./dom.js";
import { start } from "./engine.js";
import { note, showWarnings } from "./hosts.js";
import { forget as forgetJournal } from "./journal.js";
import { renderAll, renderDashboards, renderHost } from "./render.js";
import { call } from "./rpc.js";
import { readOurKeys } from "./storage.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

const DATA_STATUS = ".sq-data-status";
const GOAL_STATUS = ".sq-goal-status-message";

/** All this book's progress, as JSON text (every tab's latest keys). */
export async function exportProgress() {
  await start();
  return /** @type {string} */ ((await call("export", { storage: readOurKeys() })).text);
}

/**
 * Merge an export in (by union: nothing is counted twice); resolves once every host shows it.
 * Rejects, with nothing imported, if this browser's storage has no room for the file's answers
 * (only the page can know: the engine's copy of localStorage has no quota).
 * @param {string} text
 * @returns {Promise<{message: string}>}
 */
export async function importProgress(text) {
  await start();
  const result = await call("import", { text: String(text) });
  await renderAll();
  return { message: String(result.message) }; // what README documents, nothing internal
}

/** Delete this book's progress on this device (every tab sees it); resolves once drawn. */
export async function wipe() {
  await start();
  await call("wipe", { storage: readOurKeys() });
  await forgetJournal(); // the crash journal's copies too (journal.js)
  await renderAll();
  return {};
}

/**
 * Focus `node`, making a heading focusable by script only if it has to be.
 * @param {Element | null} node
 */
function focusOn(node) {
  if (!(node instanceof HTMLElement)) return;
  if (node.tabIndex < 0 && !node.hasAttribute("tabindex")) node.tabIndex = -1;
  node.focus();
}

/**
 * The progress file, offered to the system's share sheet where the browser can share files
 * (a phone: to move it to another device), else downloaded.
 * @param {Host} host
 */
async function download(host) {
  const text = await exportProgress();
  const name = `socratiq-${BOOK}-progress.json`;
  const file = new File([text], name, { type: "application/json" });
  if (navigator.canShare && navigator.canShare({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: name });
      note(host, DATA_STATUS, t("page.shared"));
      return;
    } catch (error) {
      if (/** @type {Error} */ (error).name === "AbortError") return; // the reader closed it
      // NotAllowedError and the like: the download below still works
    }
  }
  const url = URL.createObjectURL(file);
  const link = el("a", { href: url, download: name });
  host.root.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  note(host, DATA_STATUS, t("page.exported"));
}

/**
 * A file the reader picked or dropped: what was merged, or why nothing was.
 * @param {Host} host
 * @param {File} file
 */
async function importFile(host, file) {
  let message;
  try {
    message = (await importProgress(await file.text())).message;
  } catch (error) {
    message = t("page.import_failed", { error: /** @type {Error} */ (error).message });
  }
  note(host, DATA_STATUS, message);
}

/**
 * The dashboard's drop zone: a progress file dropped on it is imported as one picked.
 * @param {Host} host
 */
function wireDrop(host) {
  /** @param {Event} event */
  const zoneOf = (event) => /** @type {Element} */ (event.target).closest?.("[data-drop=import]");
  host.root.addEventListener("dragover", (event) => {
    const zone = zoneOf(event);
    if (!zone || !(event instanceof DragEvent) || !event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault(); // this is a drop target
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("sq-dragging");
  });
  host.root.addEventListener("dragleave", (event) => {
    zoneOf(event)?.classList.remove("sq-dragging");
  });
  host.root.addEventListener("drop", (event) => {
    const zone = zoneOf(event);
    if (!zone || !(event instanceof DragEvent)) return;
    event.preventDefault(); // never let the browser open the file instead
    zone.classList.remove("sq-dragging");
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    note(host, DATA_STATUS, t("page.dropped", { name: file.name }));
    run(host, () => importFile(host, file));
  });
}

/** @param {Host} host */
async function deleteAll(host) {
  if (!window.confirm(t("page.wipe_confirm"))) {
    note(host, DATA_STATUS, t("page.wipe_cancelled"));
    return;
  }
  await wipe();
  note(host, DATA_STATUS, t("page.wiped"));
}

/**
 * A review card (or the summary, or that nothing is due) in the dashboard's review area.
 * @param {Host} host
 * @param {"review" | "review_next"} op
 */
async function review(host, op) {
  const area = host.root.querySelector(".sq-review-area");
  if (!area) return;
  host.reviewing = true; // from the first message: an answer elsewhere must not redraw it
  try {
    const result = await call(op, { instance: host.instance });
    host.reviewing = result.total > 0;
    setHTML(area, result.html);
    focusOn(area.querySelector(".sq-review-title"));
  } catch (error) {
    host.reviewing = false;
    area.replaceChildren(el("p", { class: "sq-nudge", role: "alert" }, /** @type {Error} */ (error).message));
  }
}

/**
 * Back from a review session: the dashboard drawn anew.
 * @param {Host} host
 */
async function endReview(host) {
  host.reviewing = false;
  await renderHost(host);
  const again = host.root.querySelector(".sq-review-button:not([disabled])");
  focusOn(again || host.root.querySelector(".sq-dashboard h2"));
}

/**
 * The reader's new daily goal: stored, said, celebrated if it is met already, and every
 * dashboard drawn with it.
 * @param {Host} host
 * @param {HTMLFormElement} form
 */
async function setGoal(host, form) {
  const checked = form.querySelector("input[name=goal]:checked");
  if (!(checked instanceof HTMLInputElement)) return;
  const button = form.querySelector("button[type=submit]");
  if (button instanceof HTMLButtonElement) button.disabled = true;
  try {
    const result = await call("set_goal", { xp: Number(checked.value) });
    showWarnings(result.warnings);
    note(host, GOAL_STATUS, result.message);
    dispatch("socratiq:celebrate", { celebrations: result.celebrations || [] });
    await renderDashboards();
    const setting = host.root.querySelector("details.sq-goal-setting");
    if (setting instanceof HTMLDetailsElement) setting.open = true; // where the message is
    focusOn(host.root.querySelector("form[data-action=set-goal] button[type=submit]"));
  } catch (error) {
    note(host, GOAL_STATUS, /** @type {Error} */ (error).message);
  } finally {
    if (button instanceof HTMLButtonElement && button.isConnected) button.disabled = false;
  }
}

/** The dashboard's buttons, by their data-action. */
const BUTTONS = /** @type {Record<string, (host: Host) => Promise<void>>} */ ({
  export: download,
  import: async (host) => {
    const input = host.root.querySelector("input[type=file][data-action=import-file]");
    if (input instanceof HTMLInputElement) input.click();
  },
  wipe: deleteAll,
  "dismiss-warnings": async () => {
    await call("dismiss_warnings");
    await renderDashboards();
  },
  review: (host) => review(host, "review"),
  "review-next": (host) => review(host, "review_next"),
  "review-done": endReview,
});

/**
 * @param {Host} host
 * @param {() => Promise<void>} action
 */
function run(host, action) {
  action().catch((/** @type {Error} */ error) => note(host, DATA_STATUS, error.message));
}

/**
 * The dashboard's buttons (data-action), its file input and drop zone for imports, its goal
 * form.
 * @param {Host} host
 */
export function wireActions(host) {
  wireDrop(host);
  host.root.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest("button[data-action]");
    const name = button instanceof HTMLButtonElement ? button.dataset.action || "" : "";
    if (!Object.hasOwn(BUTTONS, name)) return; // a question's own buttons are answers.js's
    event.preventDefault();
    run(host, () => BUTTONS[name](host));
  });
  host.root.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.matches("input[type=file][data-action=import-file]")) {
      const file = input.files && input.files[0];
      input.value = ""; // the same file chosen again is a new choice
      if (file) run(host, () => importFile(host, file));
    }
  });
  host.root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.matches("form[data-action=set-goal]")) {
      event.preventDefault();
      run(host, () => setGoal(host, form));
    }
  });
}
