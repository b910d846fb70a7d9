/* Quiz files: a placeholder's own (data-src or inline JSON) and a dashboard's list of the
 * book's (data-quizzes), fetched from the page's origin. */

import { hosts } from "./hosts.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/**
 * The quiz text of a host, fetched once; its title is read from it for the placeholder.
 * @param {Host} host
 */
export async function loadSource(host) {
  if (host.source !== null) return host.source;
  let text = host.inline;
  if (text === null) {
    if (!host.src) throw new Error(t("page.no_src"));
    const response = await fetch(new URL(host.src, document.baseURI), { credentials: "same-origin" });
    if (!response.ok) throw new Error(t("page.quiz_file_failed", { src: host.src, status: response.status }));
    text = await response.text();
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
    if (host.format === "mlsysbook" && host.section && Array.isArray(data.sections)) {
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

/**
 * The dashboard's data-quizzes: the book's quiz files, so mastery counts every question of the
 * book, not only those the reader has met on this page.
 * @param {Host} host
 */
export async function bookQuizzes(host) {
  if (host.bookQuizzes) return host.bookQuizzes;
  const names = (host.element.dataset.quizzes || "").split(/\s+/).filter(Boolean);
  const format = host.element.dataset.format || "native";
  host.bookQuizzes = await Promise.all(
    names.map(async (name) => {
      const response = await fetch(new URL(name, document.baseURI), { credentials: "same-origin" });
      return { name, format, text: response.ok ? await response.text() : null };
    }),
  );
  return host.bookQuizzes;
}
