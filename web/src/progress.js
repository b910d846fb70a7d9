/* Progress anywhere: the page's `.socratiq-progress` elements (one chapter's ring and words, a
 * list of chapters, or with data-compact a navigation link's badges: a ring and "3/10") and
 * each quiz's own line ("3 of 5 answered"), drawn again whenever the progress moves. The
 * elements asked for at one moment go in one message, each quiz file of the book in it once. */

import { setHTML } from "./dom.js";
import { showError, showWarnings } from "./hosts.js";
import { call } from "./rpc.js";
import { bookQuizzes } from "./sources.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */
/** @typedef {({chapter: string} | {chapters: string[]}) & {compact?: true}} ProgressRequest */

/** @type {Host[]} */
let queued = [];
/** @type {Promise<void> | null} */
let batch = null;

/**
 * What an element asks for: its data-chapters (a list), else its data-chapter; with
 * data-compact, as badges for a navigation link.
 * @param {Host} host
 * @returns {ProgressRequest | null}
 */
function requestOf(host) {
  const { chapters, chapter } = host.element.dataset;
  const size = host.compact ? { compact: /** @type {const} */ (true) } : {};
  if (chapters !== undefined) return { chapters: chapters.split(/\s+/).filter(Boolean), ...size };
  return chapter && chapter.trim() ? { chapter: chapter.trim(), ...size } : null;
}

/**
 * Draw a progress element; those asked for in the same task are drawn by one message.
 * @param {Host} host
 * @returns {Promise<void>}
 */
export function renderProgress(host) {
  queued.push(host);
  batch ??= Promise.resolve().then(drawQueued);
  return batch;
}

async function drawQueued() {
  const waiting = [...new Set(queued)];
  queued = [];
  batch = null;
  /** @type {Host[]} */
  const asking = [];
  /** @type {ProgressRequest[]} */
  const elements = [];
  for (const host of waiting) {
    const request = requestOf(host);
    if (request) {
      asking.push(host);
      elements.push(request);
    } else {
      showError(host, t("progress.no_chapter"));
    }
  }
  if (!asking.length) return;
  try {
    const files = asking.flatMap(bookQuizzes);
    const quizzes = [...new Map(files.map((file) => [file.name, file])).values()];
    const result = await call("progress", { elements, quizzes });
    asking.forEach((host, index) => setHTML(host.root, result.items[index]));
    showWarnings(result.warnings);
  } catch (error) {
    for (const host of asking) showError(host, /** @type {Error} */ (error).message);
  }
}

/**
 * A quiz's own progress line, drawn again.
 * @param {Host} host
 */
export async function redrawQuizLine(host) {
  const box = host.root.querySelector(".sq-quiz-progress");
  const quiz = host.root.querySelector(".sq-quiz[data-quiz-id]");
  if (!box || !(quiz instanceof HTMLElement)) return;
  try {
    const result = await call("quiz_progress", { quizId: /** @type {string} */ (quiz.dataset.quizId), section: host.section });
    setHTML(box, result.html);
  } catch (error) {
    // The line keeps its last words: the quiz under it, and its answers, still work.
  }
}
