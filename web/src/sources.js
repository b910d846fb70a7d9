/* Quiz files: a placeholder's own (data-src or inline JSON) and a dashboard's list of the
 * book's (data-quizzes), on the page's origin. The worker fetches and checks what the engine
 * reads; the page only peeks at a title before the engine starts. */

import { quizFile } from "../quiz_files.js";
import { hosts } from "./hosts.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */
/** @typedef {import("./hosts.js").BookQuiz} BookQuiz */

/**
 * A quiz file the page itself reads before the engine starts (its title, an MLSysBook
 * chapter's sections), fetched once and refused over the size limit (../quiz_files.js).
 * @param {string} src relative to the page
 */
export function fetchQuizText(src) {
  return quizFile(new URL(src, document.baseURI).href);
}

/**
 * What the engine is to read for a quiz host: its file's address, which the worker fetches
 * and checks off the page's thread, or the quiz written in the page.
 * @param {Host} host
 * @returns {{src: string} | {source: string}}
 */
export function quizSource(host) {
  if (host.inline !== null) return { source: host.inline };
  if (!host.src) throw new Error(t("page.no_src"));
  return { src: new URL(host.src, document.baseURI).href };
}

/**
 * The quiz's title for its placeholder, while the engine starts: read from the inline quiz or
 * the file (within the size limit); the engine reports any problem with it when it draws.
 * @param {Host} host
 */
export async function peekTitle(host) {
  let text = host.inline;
  if (text === null && host.src) text = (await fetchQuizText(host.src)).text;
  if (text !== null) host.title = titleIn(text, host);
}

/**
 * Which quiz a host shows: its file's address, or an inline quiz's id.
 * @param {Host} host
 * @returns {string | null}
 */
function quizOf(host) {
  if (host.src) return new URL(host.src, document.baseURI).href;
  try {
    const id = JSON.parse(host.inline || "").id;
    return typeof id === "string" ? "#" + id : null;
  } catch (error) {
    return null;
  }
}

/**
 * Whether `host` is the page's first placeholder of its quiz: that one shows the quiz's title
 * and description, the others (its other sections) only their questions.
 * @param {Host} host
 */
export function firstOfItsQuiz(host) {
  const quiz = quizOf(host);
  if (quiz === null) return true;
  const first = hosts.find((other) => other.kind === "quiz" && other.element.isConnected && quizOf(other) === quiz);
  return first === undefined || first === host;
}

/**
 * @param {string} text
 * @param {Host} host
 * @returns {string | null}
 */
function titleIn(text, host) {
  try {
    const data = JSON.parse(text);
    if (host.format !== "native" && host.section && Array.isArray(data.sections)) {
      const section = data.sections.find(
        (/** @type {any} */ s) => String(s.section_id || "").replace(/^#/, "") === host.section,
      );
      return section && typeof section.section_title === "string" ? section.section_title : null;
    }
    return typeof data.title === "string" ? data.title.slice(0, 200) : null;
  } catch (error) {
    return null; // Python reports the problem precisely when it renders
  }
}

/** A data-quizzes entry naming its file's format: "mlsysbook:intro_quizzes.json". */
const FORMAT_PREFIX = /^(auto|native|mlsysbook):(.+)$/;

/**
 * The dashboard's data-quizzes: the book's quiz files, so mastery counts every question of the
 * book, not only those the reader has met on this page. An entry may name its format
 * (`mlsysbook:…`); else the element's data-format holds, else the engine tells it by the file.
 * The worker fetches them (within the size limit).
 * @param {Host} host
 * @returns {BookQuiz[]}
 */
export function bookQuizzes(host) {
  const entries = (host.element.dataset.quizzes || "").split(/\s+/).filter(Boolean);
  const fallback = host.element.dataset.format || "auto";
  return entries.map((entry) => {
    const [, format, name] = FORMAT_PREFIX.exec(entry) || [entry, fallback, entry];
    return { name, format, url: new URL(name, document.baseURI).href };
  });
}
