/* The placeholders on the page ("hosts") and what each shows before and besides the engine's
 * HTML: its placeholder with a progress bar, an error, the engine's warnings, the page's own
 * messages ("notes") that outlive a redraw. */

import { el } from "./dom.js";
import { t } from "./texts.js";

/**
 * @typedef {object} BookQuiz
 * @property {string} name
 * @property {string} format
 * @property {string} url absolute; the worker fetches it
 */
/**
 * One mounted placeholder: the element the host page wrote, its shadow root's `.sq-root`.
 * @typedef {object} Host
 * @property {HTMLElement} element
 * @property {HTMLElement} root
 * @property {"quiz" | "dashboard" | "progress"} kind
 * @property {boolean} compact a progress element's badge inside a navigation link
 *   (data-compact): it shows its drawing only, never a loading box, an error or a warning
 * @property {string | null} src
 * @property {string | null} inline
 * @property {string} format
 * @property {string | null} section
 * @property {string} instance
 * @property {string | null} title
 * @property {boolean} reviewing a dashboard running a review session: not redrawn under it
 * @property {Map<string, string>} notes the page's messages, by the selector of their box
 * @property {boolean | null} prerenderedTitle whether the quiz pre-rendered into the placeholder
 *   shows its title (the engine's drawings keep to it, so the swap moves nothing); null if the
 *   placeholder came empty
 */

/** @type {Host[]} */
export const hosts = [];

/** Hosts still in the document (a single-page site may have navigated away from some). */
export function liveHosts() {
  return hosts.filter((host) => host.element.isConnected);
}

/** @param {Host} host */
function titleOf(host) {
  if (host.title) return host.title;
  if (host.kind === "dashboard") return t("page.dashboard_title");
  return host.kind === "progress" ? t("page.progress_title") : t("page.quiz_title");
}

/** @param {Host} host */
export function showPlaceholder(host) {
  if (host.compact) return; // a loading box does not fit in a navigation link
  const box = el("div", { class: "sq-placeholder", "aria-busy": "true" });
  box.append(el("p", { class: "sq-title" }, titleOf(host)));
  const bar = el("progress", { class: "sq-progress", "aria-label": t("page.loading_label") });
  box.append(bar, el("p", { class: "sq-stage", "aria-live": "polite" }, t("page.waiting")));
  host.root.replaceChildren(box);
}

/**
 * The quiz's own title, once its file is read, on the placeholder or error box still showing.
 * @param {Host} host
 */
export function showTitle(host) {
  const title = host.root.querySelector(".sq-placeholder .sq-title, .sq-error .sq-title");
  if (title && host.title) title.textContent = host.title;
}

/**
 * The engine's start-up stage on every placeholder still waiting.
 * @param {string} stage
 * @param {number | undefined} fraction
 */
export function showProgress(stage, fraction) {
  for (const host of hosts) {
    const box = host.root.querySelector(".sq-placeholder");
    if (!box) continue;
    const bar = /** @type {HTMLProgressElement} */ (box.querySelector("progress"));
    if (typeof fraction === "number") bar.value = fraction;
    const line = box.querySelector(".sq-stage");
    if (line) line.textContent = stage;
  }
}

/**
 * An error in place of the host's drawing; on a pre-rendered quiz still showing, a notice in
 * its loading line instead, so its questions and "Reveal answer" stay; a navigation badge
 * shows nothing.
 * @param {Host} host
 * @param {string} message
 */
export function showError(host, message) {
  const status = host.root.querySelector("[data-sq-static] [data-sq-static-status]");
  if (status) {
    status.textContent = t("page.static_fallback", { error: message });
    status.classList.add("sq-static-failed");
    return;
  }
  if (host.compact) {
    // A box in every navigation link, read out on every page, would drown the page's own
    // quizzes, which report the same problem; the author finds it in the console.
    console.warn("[socratiq] a progress badge:", message);
    host.root.replaceChildren();
  } else {
    const box = el("div", { class: "sq-error", role: "alert" });
    box.append(el("p", { class: "sq-title" }, titleOf(host)), el("p", {}, message));
    host.root.replaceChildren(box);
  }
  host.element.dispatchEvent(new Event("socratiq:failed"));
}

/** @param {string[] | undefined} warnings */
export function showWarnings(warnings) {
  if (!warnings || !warnings.length) return;
  for (const host of hosts) {
    if (host.compact) continue;
    let box = host.root.querySelector(".sq-warnings");
    if (!box) {
      box = el("div", { class: "sq-warnings", role: "status" });
      host.root.prepend(box);
    }
    for (const text of warnings) box.append(el("p", {}, text));
  }
}

/**
 * A message of the page's own (what an import merged, that a goal was set) in the box
 * `selector` of the host's drawing, shown again each time the engine redraws the host.
 * @param {Host} host
 * @param {string} selector
 * @param {string} text
 */
export function note(host, selector, text) {
  host.notes.set(selector, text);
  const box = host.root.querySelector(selector);
  if (box) box.textContent = text;
}

/**
 * The host's notes in its new drawing (written after it is in the page, so a live region
 * reads them).
 * @param {Host} host
 */
export function showNotes(host) {
  for (const [selector, text] of host.notes) {
    const box = host.root.querySelector(selector);
    if (box) box.textContent = text;
  }
}
