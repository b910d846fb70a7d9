/* Drawing hosts with the engine's HTML: a quiz from its file, a dashboard from the progress. */

import { setHTML } from "./dom.js";
import { liveHosts, showError } from "./hosts.js";
import { call } from "./rpc.js";
import { bookQuizzes, firstOfItsQuiz, loadSource } from "./sources.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** @param {Host} host */
export async function renderHost(host) {
  try {
    let result;
    if (host.kind === "dashboard") {
      result = await call("dashboard", { instance: host.instance, quizzes: await bookQuizzes(host) });
    } else {
      const source = await loadSource(host);
      result = await call("quiz", {
        source,
        sourceName: host.src || t("page.inline_quiz"),
        format: host.format,
        section: host.section,
        instance: host.instance,
        showTitle: firstOfItsQuiz(host),
        showMeta: host.element.dataset.showMeta !== undefined && host.element.dataset.showMeta !== "false",
        mode: host.element.dataset.mode === "cards" ? "cards" : "list",
      });
    }
    setHTML(host.root, result.html);
  } catch (error) {
    showError(host, /** @type {Error} */ (error).message);
  }
}

export function renderAll() {
  return Promise.allSettled(liveHosts().map(renderHost));
}

/**
 * XP and mastery moved: every dashboard follows, except `except` (a review session in progress).
 * @param {Host | null} [except]
 */
export function renderDashboards(except = null) {
  for (const host of liveHosts()) if (host.kind === "dashboard" && host !== except) renderHost(host);
}
