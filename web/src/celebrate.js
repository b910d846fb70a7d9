/* Celebrations: the toasts of an answer's (or a new goal's) notices, `socratiq:celebrate`
 * events with `detail.celebrations: [{kind, html, text}]`. One small stack per page, at the
 * bottom, in its own shadow root (styles.css applies there): the toasts are pictures
 * (aria-hidden) and their words are said once, through one polite live region. A toast already
 * showing is not shown twice (two quizzes redrawn after one answer). */

import { BASE } from "./config.js";
import { el, setHTML } from "./dom.js";
import { language } from "./texts.js";

/** How long a toast stays, and how many show at once (the newest). */
const SHOWN_MS = 6000;
const AT_MOST = 3;
/** A live region added to the page says only what is written into it later. */
const NEW_REGION_MS = 250;

/** @typedef {{kind: string, html: string, text: string}} Celebration */
/** @typedef {{stack: HTMLElement, live: HTMLElement}} Toasts */

/** @type {Toasts | null} */
let toasts = null;

/** The page's stack of toasts and its live region, made on the first celebration. */
function toastsOnPage() {
  if (toasts && toasts.stack.isConnected) return toasts;
  const host = el("div", { class: "socratiq-toasts" });
  const shadow = host.attachShadow({ mode: "open" });
  const { code, dir } = language();
  const stack = el("div", { class: "sq-toasts", part: "toasts", lang: code, dir });
  const live = el("div", { class: "sq-visually-hidden", "aria-live": "polite", "aria-atomic": "false" });
  shadow.append(el("link", { rel: "stylesheet", href: BASE + "styles.css" }), stack, live);
  document.body.append(host);
  toasts = { stack, live };
  return toasts;
}

/**
 * Show each celebration not showing already: its toast for a few seconds, its words said once.
 * @param {Celebration[]} celebrations
 */
export function celebrate(celebrations) {
  if (!celebrations.length || !document.body) return;
  const fresh = !(toasts && toasts.stack.isConnected);
  const { stack, live } = toastsOnPage();
  for (const { kind, html, text } of celebrations) {
    const showing = Array.from(stack.children).some((toast) => toast.getAttribute("data-text") === text);
    if (showing) continue;
    const toast = el("div", { class: "sq-toast-slot", "data-kind": String(kind), "data-text": text, "aria-hidden": "true" });
    setHTML(toast, html);
    stack.append(toast);
    const said = el("p", {}, text);
    if (fresh) setTimeout(() => live.append(said), NEW_REGION_MS);
    else live.append(said);
    setTimeout(() => {
      toast.remove();
      said.remove();
    }, SHOWN_MS);
  }
  while (stack.children.length > AT_MOST) stack.firstElementChild?.remove();
}

/** Celebrate what the page's answers and goals announce. */
export function listenForCelebrations() {
  document.addEventListener("socratiq:celebrate", (event) => {
    const detail = /** @type {CustomEvent} */ (event).detail;
    const list = detail && Array.isArray(detail.celebrations) ? detail.celebrations : [];
    celebrate(list.filter(isCelebration));
  });
}

/**
 * @param {unknown} value
 * @returns {value is Celebration}
 */
function isCelebration(value) {
  const item = /** @type {Record<string, unknown>} */ (value);
  return Boolean(item) && typeof item.html === "string" && typeof item.text === "string";
}
