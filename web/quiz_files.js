/* Quiz files fetched with a size limit, before anything parses them: the module worker fetches
 * the files the engine reads (worker.js), the page only what it peeks at before the engine
 * starts (a quiz's title, an MLSysBook chapter's sections: web/src/sources.js). A file over the
 * limit is refused by its Content-Length, or else while its body streams in (a compressed body
 * can say little and unpack to much), so no file can hold up the host page. The limit is
 * 20 times the largest chapter file MLSysBook has; `socratiq-local validate` checks it too
 * (quiz/checks.py MAX_QUIZ_BYTES). */

export const MAX_QUIZ_BYTES = 1024 * 1024;

/**
 * What fetching a quiz file gave: its text, or why not (the HTTP status, 0 for a network
 * error; `tooLarge` for a file over the limit).
 * @typedef {{text: string | null, status: number, tooLarge: boolean}} QuizFile
 */

/**
 * @param {string} url absolute, on the page's origin
 * @returns {Promise<QuizFile>}
 */
export async function fetchQuizFile(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  const refused = { text: null, status: response.status, tooLarge: false };
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return refused;
  }
  if (Number(response.headers.get("Content-Length")) > MAX_QUIZ_BYTES) {
    await response.body.cancel();
    return { ...refused, tooLarge: true };
  }
  const reader = response.body.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_QUIZ_BYTES) {
      await reader.cancel();
      return { ...refused, tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), status: response.status, tooLarge: false };
}

/** @type {Map<string, Promise<QuizFile>>} */
const fetched = new Map();

/**
 * A quiz file, fetched once per page (or worker) however many placeholders show it; a network
 * error is not kept, so the next ask tries again.
 * @param {string} url absolute
 * @returns {Promise<QuizFile>}
 */
export function quizFile(url) {
  let answer = fetched.get(url);
  if (!answer) {
    answer = fetchQuizFile(url).catch(() => {
      fetched.delete(url);
      return { text: null, status: 0, tooLarge: false };
    });
    fetched.set(url, answer);
  }
  return answer;
}
