/* Placeholders: found at boot, later by a MutationObserver (single-page sites add pages without
 * a reload) or by socratiq.mount(element); each gets a shadow root with its placeholder drawn
 * at once, or keeps the quiz pre-rendered in it (integrations/prerender.py) until the engine's
 * drawing replaces it. The engine starts only when there is something to show: when a
 * placeholder nears the viewport, or when the browser is idle. A page with no placeholder
 * starts nothing. */

import { BASE } from "./config.js";
import { wireActions } from "./actions.js";
import { wireAnswers } from "./answers.js";
import { el } from "./dom.js";
import { acceptEarly, refuseEarly } from "./early.js";
import { canRun, start } from "./engine.js";
import { hosts, showError, showPlaceholder, showTitle } from "./hosts.js";
import { upgradeCallouts } from "./mlsysbook.js";
import { renderHost } from "./render.js";
import { failure, isReady, ready } from "./rpc.js";
import { peekTitle } from "./sources.js";
import { language, loadTexts } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** Placeholder classes and the kind of host each becomes. */
const KINDS = /** @type {const} */ ({
  "socratiq-quiz": "quiz",
  "socratiq-dashboard": "dashboard",
  "socratiq-progress": "progress",
});
const SELECTOR = Object.keys(KINDS)
  .map((name) => "." + name)
  .join(", ");

let instances = 0;
let idleScheduled = false;
/** @type {IntersectionObserver | null | undefined} */
let nearViewport;

/**
 * Every placeholder at or inside `scope` not mounted yet.
 * @param {ParentNode} scope
 */
function placeholdersIn(scope) {
  const found = /** @type {HTMLElement[]} */ (Array.from(scope.querySelectorAll(SELECTOR)));
  if (scope instanceof HTMLElement && scope.matches(SELECTOR)) found.unshift(scope);
  return found.filter((node) => !node.dataset.socratiqMounted);
}

/**
 * Mount every placeholder at or inside `scope` (default: the document), and those its
 * MLSysBook Self-Check callouts become.
 * @param {ParentNode} [scope]
 */
export async function mountIn(scope = document) {
  const callouts = upgradeCallouts(scope).then((made) => Promise.all(made.map(mountPlaceholders)));
  await Promise.all([mountPlaceholders(scope), callouts]);
}

/** @param {ParentNode} scope */
async function mountPlaceholders(scope) {
  const nodes = placeholdersIn(scope);
  if (!nodes.length) return;
  for (const node of nodes) node.dataset.socratiqMounted = "1"; // claimed before any await
  await loadTexts();
  for (const node of nodes) mountOne(node);
  whenIdle();
}

/**
 * The `.sq-root` of a quiz pre-rendered into the placeholder: in the shadow root the browser
 * made of its `<template shadowrootmode>`, or in one made here where the browser left the
 * template as it was (a browser without declarative shadow DOM; HTML a single-page site
 * inserted with innerHTML). Null for an empty placeholder.
 * @param {HTMLElement} element
 * @returns {HTMLElement | null}
 */
function prerenderedRoot(element) {
  let shadow = element.shadowRoot;
  if (!shadow) {
    const template = element.querySelector(":scope > template[shadowrootmode]");
    if (!(template instanceof HTMLTemplateElement)) return null;
    shadow = element.attachShadow({ mode: "open" });
    shadow.append(template.content);
    template.remove();
  }
  return shadow.querySelector(".sq-root");
}

/** @param {HTMLElement} node */
function mountOne(node) {
  const isScript = node.tagName === "SCRIPT";
  const element = isScript ? el("div", { class: "socratiq-quiz", "data-socratiq-mounted": "1" }) : node;
  if (isScript) {
    Object.assign(element.dataset, node.dataset); // its data-mode, data-show-meta, …
    node.after(element);
  }
  const { code, dir } = language();
  const prerendered = isScript ? null : prerenderedRoot(element);
  let root = prerendered;
  if (root) {
    root.lang = code; // the engine's drawing comes in the page's language
    root.dir = dir;
    if (canRun() && !isReady()) {
      // Answers do not wait for the engine (early.js); if it cannot start, they are refused.
      const drawing = root;
      acceptEarly(drawing);
      ready.catch(() => refuseEarly(drawing));
    }
  } else {
    const shadow = element.attachShadow({ mode: "open" });
    const style = el("link", { rel: "stylesheet", href: BASE + "styles.css" });
    root = el("div", { class: "sq-root", part: "root", lang: code, dir });
    shadow.append(style, root);
  }
  const kindClass = /** @type {keyof KINDS} */ (Object.keys(KINDS).find((name) => node.classList.contains(name)));
  /** @type {Host} */
  const host = {
    element,
    root,
    kind: KINDS[kindClass],
    compact: KINDS[kindClass] === "progress" && node.dataset.compact !== undefined,
    src: isScript ? null : node.dataset.src || null,
    inline: isScript ? node.textContent : null,
    format: node.dataset.format || "auto",
    section: (node.dataset.section || "").replace(/^#/, "") || null,
    instance: `sq${++instances}`,
    title: null,
    reviewing: false,
    notes: new Map(),
    prerenderedTitle: prerendered ? prerendered.querySelector(".sq-quiz-title") !== null : null,
  };
  hosts.push(host);
  if (!prerendered) showPlaceholder(host);
  if (host.kind === "quiz" && !prerendered && !isReady()) {
    // the title for the placeholder while the engine starts (the worker reads the file itself)
    peekTitle(host)
      .then(() => showTitle(host))
      .catch(() => {}); // reported when rendering
  }
  wireAnswers(host);
  wireActions(host);
  const failed = failure();
  if (failed) showError(host, failed.message);
  else if (isReady()) renderHost(host); // placed after the engine started
  else observe(host);
}

/** @param {Host} host */
function observe(host) {
  if (nearViewport === undefined) {
    nearViewport =
      "IntersectionObserver" in window
        ? new IntersectionObserver((entries) => {
            if (entries.some((entry) => entry.isIntersecting)) start();
          }, { rootMargin: "800px 0px" })
        : null;
  }
  if (nearViewport) nearViewport.observe(host.element);
  else start();
}

function whenIdle() {
  if (idleScheduled) return;
  idleScheduled = true;
  const go = () => start();
  if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 2000);
}

/** Mount placeholders the host page adds later (a single-page site's next page). */
export function watchForPlaceholders() {
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement) mountIn(node);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
