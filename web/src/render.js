/* Drawing hosts with the engine's HTML: a quiz from its file, a dashboard and a progress
 * element from the progress. */

import { setHTML } from "./dom.js";
import { carryChoices, choicesIn } from "./early.js";
import { sectionTitleOf } from "./headings.js";
import { liveHosts, showError, showNotes } from "./hosts.js";
import { showKept } from "./persist.js";
import { redrawQuizLine, renderProgress } from "./progress.js";
import { call } from "./rpc.js";
import { bookQuizzes, firstOfItsQuiz, quizSource } from "./sources.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** @param {Host} host */
export async function renderHost(host) {
  if (host.kind === "progress") return renderProgress(host);
  try {
    let result;
    if (host.kind === "dashboard") {
      result = await call("dashboard", { instance: host.instance, quizzes: bookQuizzes(host) });
    } else {
      result = await call("quiz", {
        ...quizSource(host),
        sourceName: host.src || t("page.inline_quiz"),
        format: host.format,
        section: host.section,
        sectionTitle: sectionTitleOf(host.element),
        instance: host.instance,
        showTitle: host.element.dataset.showTitle !== "false" && (host.prerenderedTitle ?? firstOfItsQuiz(host)),
        showMeta: host.element.dataset.showMeta !== undefined && host.element.dataset.showMeta !== "false",
        mode: host.element.dataset.mode === "cards" ? "cards" : "list",
      });
    }
    const choices = choicesIn(host.root); // a pre-rendered quiz's, not yet checked
    setHTML(host.root, result.html);
    carryChoices(host.root, choices);
    if (host.kind === "dashboard") showKept(host);
    host.reviewing = false; // a review session's area is gone with the old drawing
    showNotes(host);
    host.element.dispatchEvent(new Event("socratiq:drawn"));
  } catch (error) {
    showError(host, /** @type {Error} */ (error).message);
  }
}

/** Every host; progress elements after the quizzes, so they count the page's quizzes too. */
export async function renderAll() {
  const hosts = liveHosts();
  const first = await Promise.allSettled(hosts.filter((host) => host.kind !== "progress").map(renderHost));
  const then = await Promise.allSettled(hosts.filter((host) => host.kind === "progress").map(renderHost));
  return [...first, ...then];
}

/**
 * XP and mastery moved: every dashboard and progress element follows, and each quiz's own
 * progress line; a dashboard running a review session (or `except`) stays as it is.
 * @param {Host | null} [except]
 */
export function renderDashboards(except = null) {
  const drawn = [];
  for (const host of liveHosts()) {
    if (host.kind === "quiz") drawn.push(redrawQuizLine(host));
    else if (host !== except && !host.reviewing) drawn.push(renderHost(host));
  }
  return Promise.allSettled(drawn);
}
