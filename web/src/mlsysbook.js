/* MLSysBook's chapter pages: the "Self-Check" callouts its Quarto filter writes after each
 * section (div.callout-quiz-question#quiz-question-<section id>, see README) become quizzes of
 * their section, in place, when the script tag names the chapter's quiz file:
 *   <script src=".../socratiq.js" data-mlsysbook="{chapter}_quizzes.json" async></script>
 * A callout changes only once the file is read and holds questions for its section; else, and
 * in a browser that cannot run the engine, it stays exactly as the book wrote it. Its summary
 * ("Self-Check: Question 1.1") stays, and so does the book's numbering. Once a quiz shows, its
 * answer callout under "Self-Check Answers" is hidden (kept for readers without WebAssembly),
 * and that block too once every answer in it is. */

import { MAX_QUIZ_BYTES } from "../quiz_files.js";
import { MLSYSBOOK } from "./config.js";
import { el } from "./dom.js";
import { canRun } from "./engine.js";
import { fetchQuizText } from "./sources.js";

const CALLOUT = 'div.callout-quiz-question[id^="quiz-question-"]';
const ANSWER = 'div.callout-quiz-answer[id^="quiz-answer-"]';
const ANSWERS_BLOCK = "self-check-answers";

/** Callouts already looked at (a WeakSet, so the book's markup gets no attribute of ours). */
/** @type {WeakSet<Element>} */
const claimed = new WeakSet();

/**
 * The chapter's quiz file: the script tag's pattern with `{chapter}` as the page's file name
 * without its extension ("introduction.html" → "introduction"; a folder's page: "index").
 * @param {string} pattern
 * @param {string} [path] the page's path
 */
export function chapterFile(pattern, path = location.pathname) {
  const chapter = (path.split("/").pop() || "index").replace(/\.[^.]*$/, "");
  return pattern.replaceAll("{chapter}", chapter);
}

/**
 * The ids of the sections the file has questions to show for (not `hidden`, in a section
 * whose quiz is needed), as the book's own filter chooses them.
 * @param {any} data
 */
function sectionsWithQuestions(data) {
  const found = new Set();
  for (const section of Array.isArray(data && data.sections) ? data.sections : []) {
    const quiz = section && section.quiz_data;
    if (!quiz || quiz.quiz_needed === false || !Array.isArray(quiz.questions)) continue;
    if (quiz.questions.some((/** @type {any} */ q) => q && !q.hidden)) {
      found.add(String(section.section_id || "").replace(/^#/, ""));
    }
  }
  return found;
}

/**
 * The sections of the chapter file with questions; null if it cannot be read (a note in the
 * console for the author, nothing on the page).
 * @param {string} src
 * @returns {Promise<Set<string> | null>}
 */
async function chapterSections(src) {
  try {
    const { status, text, tooLarge } = await fetchQuizText(src);
    if (tooLarge) throw new Error(`larger than ${MAX_QUIZ_BYTES} bytes`);
    if (text === null) throw new Error(`HTTP ${status}`);
    return sectionsWithQuestions(JSON.parse(text));
  } catch (error) {
    console.info(`[socratiq] ${src}: ${/** @type {Error} */ (error).message}; the Self-Check callouts stay as they are.`);
    return null;
  }
}

/**
 * Turn the Self-Check callouts at or inside `scope` into quiz placeholders, where the chapter
 * file has their section; returns the placeholders made, for mounting.
 * @param {ParentNode} scope
 * @returns {Promise<HTMLElement[]>}
 */
export async function upgradeCallouts(scope) {
  if (!MLSYSBOOK) return [];
  const found = /** @type {HTMLElement[]} */ (Array.from(scope.querySelectorAll(CALLOUT)));
  if (scope instanceof HTMLElement && scope.matches(CALLOUT)) found.unshift(scope);
  const callouts = found.filter((callout) => !claimed.has(callout));
  if (!callouts.length || !canRun()) return [];
  for (const callout of callouts) claimed.add(callout); // before any await
  const src = chapterFile(MLSYSBOOK);
  const sections = await chapterSections(src);
  if (!sections) return [];
  const missing = [];
  const placeholders = [];
  for (const callout of callouts) {
    const section = callout.id.slice("quiz-question-".length);
    if (sections.has(section)) placeholders.push(upgrade(callout, src, section));
    else missing.push(section);
  }
  if (missing.length) {
    console.info(`[socratiq] ${src} has no questions for ${missing.join(", ")}; those Self-Check callouts stay as they are.`);
  }
  return placeholders;
}

/**
 * The callout's static questions hidden and a placeholder of its section put after them, in
 * the callout's <details> (under its summary) when it has one; should the quiz fail, the
 * static questions come back.
 * @param {HTMLElement} callout
 * @param {string} src
 * @param {string} section
 */
function upgrade(callout, src, section) {
  const details = callout.querySelector(":scope > details");
  const body = (details && details.querySelector(":scope > summary ~ div")) || callout;
  const shown = Array.from(body.children).filter(
    (child) => child instanceof HTMLElement && !child.hidden && !child.matches("summary, .callout-header"),
  );
  const placeholder = el("div", {
    class: "socratiq-quiz",
    "data-src": src,
    "data-format": "mlsysbook",
    "data-section": section,
    "data-show-title": "false",
    "data-numbered": "",
  });
  for (const child of shown) /** @type {HTMLElement} */ (child).hidden = true;
  body.append(placeholder);
  placeholder.addEventListener("socratiq:drawn", () => hideAnswer(section), { once: true });
  placeholder.addEventListener(
    "socratiq:failed",
    () => {
      placeholder.remove();
      for (const child of shown) /** @type {HTMLElement} */ (child).hidden = false;
    },
    { once: true },
  );
  return placeholder;
}

/**
 * The section's answer callout hidden; the "Self-Check Answers" block and its entry in the
 * table of contents too, once none of its answers shows.
 * @param {string} section
 */
function hideAnswer(section) {
  const answer = document.getElementById("quiz-answer-" + section);
  if (answer) answer.hidden = true;
  const block = document.getElementById(ANSWERS_BLOCK);
  if (!block || Array.from(block.querySelectorAll(ANSWER)).some((other) => !(/** @type {HTMLElement} */ (other).hidden))) {
    return;
  }
  block.hidden = true;
  for (const link of document.querySelectorAll(`nav a[href="#${ANSWERS_BLOCK}"]`)) {
    const entry = link.closest("li");
    if (entry) entry.hidden = true;
  }
}
