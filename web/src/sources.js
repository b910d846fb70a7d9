/* Quiz files: a placeholder's own (data-src or inline JSON) and a dashboard's list of the
 * book's (data-quizzes), fetched from the page's origin. */

import { hosts } from "./hosts.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** @type {Map<string, Promise<{status: number, text: string | null}>>} */
const fetched = new Map();

/**
 * A quiz file's text (null with the status if the server refused it), fetched once per page
 * however many placeholders show it (an MLSysBook chapter has one per section).
 * @param {string} src relative to the page
 */
export function fetchQuizText(src) {
  const url = new URL(src, document.baseURI).href;
  let answer = fetched.get(url);
  if (!answer) {
    answer = fetch(url, { credentials: "same-origin" }).then(async (response) => ({
      status: response.status,
      text: response.ok ? await response.text() : null,
    }));
    answer.catch(() => fetched.delete(url)); // a network error: the next ask tries again
    fetched.set(url, answer);
  }
  return answer;
}

/**
 * The quiz text of a host, fetched once; its title is read from it for the placeholder.
 * @param {Host} host
 */
export async function loadSource(host) {
  if (host.source !== null) return host.source;
  let text = host.inline;
  if (text === null) {
    if (!host.src) throw new Error(t("page.no_src"));
    const { status, text: fetchedText } = await fetchQuizText(host.src);
    if (fetchedText === null) throw new Error(t("page.quiz_file_failed", { src: host.src, status }));
    text = fetchedText;
  }
  host.source = text;
  host.title = titleIn(text, host);
  return text;
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
 * @param {Host} host
 */
export async function bookQuizzes(host) {
  if (host.bookQuizzes) return host.bookQuizzes;
  const entries = (host.element.dataset.quizzes || "").split(/\s+/).filter(Boolean);
  const fallback = host.element.dataset.format || "auto";
  host.bookQuizzes = await Promise.all(
    entries.map(async (entry) => {
      const [, format, name] = FORMAT_PREFIX.exec(entry) || [entry, fallback, entry];
      return { name, format, text: (await fetchQuizText(name)).text }; // once for all hosts
    }),
  );
  return host.bookQuizzes;
}
