/* Answering: a question's form is sent as it is (the string entries of FormData, the submitter
 * button's name and value included); the engine reads the answer from them, so no code here
 * knows a question type. Every reply draws the whole question again (its marks, its feedback,
 * its next buttons): the page swaps the form for it, says the reply's sentence in the host's
 * live region and puts focus where the new form asks (`data-sq-focus`). */

import { BOOK } from "./config.js";
import { dispatch, el, replaceWithAllHTML, replaceWithHTML } from "./dom.js";
import { keep, keptFor, showChecking } from "./early.js";
import { start } from "./engine.js";
import { showWarnings } from "./hosts.js";
import { askToKeep } from "./persist.js";
import { renderDashboards } from "./render.js";
import { call, isReady } from "./rpc.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/**
 * What the engine replies to "check" and "show_answer" (and, `html` only, to "question").
 * @typedef {object} Drawn
 * @property {string} html the question's form, drawn again
 * @property {string} [announce] one sentence for the live region
 * @property {"nudge" | "retry" | "compare" | "final"} [stage]
 * @property {boolean} [recorded] an attempt was stored (not a nudge, not a model answer)
 * @property {boolean} [correct]
 * @property {number} [score]
 * @property {object[]} [notices] badges and levels, for the host page's DOM events
 * @property {object[]} [celebrations] for the celebrations module (socratiq:celebrate)
 * @property {string[]} [warnings]
 */

/** The live region of each host: made at mount, beside (not in) what renders replace. */
const liveRegions = new WeakMap();

/**
 * One polite live region per host, visually hidden, outside its forms and outside `.sq-root`
 * (a quiz's whole root is redrawn by renders; a region must exist before it changes to be read).
 * @param {Host} host
 */
function makeLiveRegion(host) {
  const live = el("div", {
    class: "sq-live sq-visually-hidden",
    "aria-live": "polite",
    lang: host.root.lang,
    dir: host.root.dir,
  });
  host.root.after(live);
  liveRegions.set(host, live);
}

/**
 * Say `text` once: a new paragraph, so the same sentence twice in a row is read twice.
 * @param {Host} host
 * @param {string | undefined} text
 */
function announce(host, text) {
  const live = liveRegions.get(host);
  if (live && text) live.replaceChildren(el("p", {}, text));
}

/**
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} submitter
 */
function fieldsOf(form, submitter) {
  /** @type {[string, string][]} */
  const fields = [];
  for (const [name, value] of new FormData(form, submitter)) {
    if (typeof value === "string") fields.push([name, value]);
  }
  return fields;
}

/**
 * Which question a form is, and how it is drawn: the fields every op about it sends.
 * @param {HTMLFormElement} form
 */
function questionOf(form) {
  return {
    quizId: /** @type {string} */ (form.dataset.quizId), // the engine draws both on every form
    questionId: /** @type {string} */ (form.dataset.questionId),
    instance: form.dataset.instance,
    showMeta: form.dataset.showMeta === "true",
  };
}

/**
 * Swap `form` for its new drawing and focus what it marks; the new form is returned.
 * @param {HTMLFormElement} form
 * @param {string} html
 */
function redraw(form, html) {
  const next = replaceWithHTML(form, html);
  if (!next) throw new Error(t("page.engine_refused"));
  const target = next.querySelector("[data-sq-focus]");
  if (target instanceof HTMLElement) {
    // Mid-screen, so the feedback is not under the celebration toasts at the bottom.
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center", behavior: "instant" });
  }
  return next;
}

/**
 * After a stored answer: the host page's DOM events, the celebrations, the dashboards, and a
 * review card's "Next".
 * @param {Host} host
 * @param {Element} drawn the new form
 * @param {Drawn} result
 */
function answered(host, drawn, result) {
  const quizId = drawn.getAttribute("data-quiz-id");
  const questionId = drawn.getAttribute("data-question-id");
  dispatch("socratiq:answered", { book: BOOK, quizId, questionId, correct: result.correct, score: result.score });
  for (const notice of result.notices || []) {
    dispatch(`socratiq:${/** @type {{kind: string}} */ (notice).kind}`, { book: BOOK, ...notice });
  }
  if (result.celebrations && result.celebrations.length) {
    dispatch("socratiq:celebrate", { celebrations: result.celebrations });
  }
  if ((result.score || 0) > 0 || (result.notices || []).length) askToKeep(); // earned something
  const card = drawn.closest(".sq-review");
  const next = card && card.querySelector("button[data-action=review-next]");
  if (next) next.removeAttribute("hidden");
  renderDashboards(host); // XP and mastery moved; a review session in progress stays
}

/**
 * An error where the question is: in its feedback box, and said.
 * @param {Host} host
 * @param {HTMLFormElement} form
 * @param {string} message
 */
function showProblem(host, form, message) {
  const box = form.querySelector(".sq-feedback");
  if (box) box.replaceChildren(el("p", { class: "sq-nudge" }, message));
  announce(host, message);
}

/**
 * Send one request about `form`'s question and draw its reply; the form's buttons wait.
 * @param {Host} host
 * @param {HTMLFormElement} form
 * @param {"check" | "show_answer" | "question"} op
 * @param {{fields?: [string, string][], review?: boolean, now?: number}} payload
 * @param {HTMLButtonElement | null} button the button that asked
 * @returns {Promise<boolean>} whether the engine answered
 */
async function ask(host, form, op, payload, button) {
  if (form.dataset.busy) return false; // one request per form at a time
  form.dataset.busy = "1";
  if (button) button.disabled = true;
  try {
    const result = /** @type {Drawn} */ (await call(op, { ...questionOf(form), ...payload }));
    const drawn = redraw(form, result.html);
    announce(host, result.announce);
    showWarnings(result.warnings);
    // The feedback first: what an answer moved elsewhere (events, toasts, dashboards) follows
    // in a task of its own, so it never holds up the question's own redrawing.
    if (result.recorded) setTimeout(() => answered(host, drawn, result), 0);
    return true;
  } catch (error) {
    showProblem(host, form, /** @type {Error} */ (error).message);
    return false;
  } finally {
    delete form.dataset.busy;
    if (button && button.isConnected) button.disabled = false;
  }
}

/**
 * An ordering item's words, without the marks an answer left on it.
 * @param {Element} li
 */
function itemName(li) {
  const label = li.querySelector(".sq-item-text");
  if (!label) return t("page.item");
  const words = /** @type {Element} */ (label.cloneNode(true));
  for (const mark of words.querySelectorAll(".sq-mark, .sq-part-solution")) mark.remove();
  return (words.textContent || "").trim() || t("page.item");
}

/**
 * Move an ordering item up or down; its hidden input moves with it, so the form lists the
 * items in the learner's order. The host's live region says where it went.
 * @param {Host} host
 * @param {HTMLButtonElement} button
 */
function moveItem(host, button) {
  const li = button.closest("li");
  if (!li || !li.parentElement) return;
  const up = button.dataset.move === "up";
  const sibling = up ? li.previousElementSibling : li.nextElementSibling;
  if (!sibling) return;
  if (up) sibling.before(li);
  else sibling.after(li);
  button.focus();
  const position = Array.from(li.parentElement.children).indexOf(li) + 1;
  announce(host, t("page.item_position", { item: itemName(li), position }));
}

/**
 * Cards mode: show the card before or after the one showing, and focus its heading; after the
 * last card drawn of a long quiz, its next page is drawn first.
 * @param {Host} host
 * @param {HTMLButtonElement} button
 */
function moveCard(host, button) {
  const card = button.closest(".sq-qcard");
  if (!card) return;
  const target = button.dataset.action === "card-next" ? card.nextElementSibling : card.previousElementSibling;
  if (target instanceof HTMLElement && target.matches(".sq-more")) {
    showMore(host, target).then((drawn) => {
      if (drawn && button.isConnected) moveCard(host, button);
    });
    return;
  }
  if (!(target instanceof HTMLElement) || !target.matches(".sq-qcard")) return;
  card.setAttribute("hidden", "");
  target.removeAttribute("hidden");
  const heading = target.querySelector(".sq-qcard-heading");
  if (heading instanceof HTMLElement) heading.focus();
}

/**
 * A long quiz's next page of questions, drawn where its marker (`.sq-more`) is: the engine
 * draws a page at a time (render/question.py QUESTIONS_PER_PAGE), so no quiz, however long,
 * holds up the host page. In a list, focus moves to the first new question and the live region
 * says how many show now. Answers kept for the new questions before the engine was ready are
 * sent (early.js).
 * @param {Host} host
 * @param {HTMLElement} marker
 * @returns {Promise<Element | null>} the first new element, or null if none was drawn
 */
async function showMore(host, marker) {
  const quiz = marker.closest(".sq-quiz");
  const form = quiz && quiz.querySelector("form.sq-question");
  if (!quiz || !(form instanceof HTMLFormElement) || marker.dataset.busy) return null;
  marker.dataset.busy = "1";
  const button = marker.querySelector("button");
  if (button) button.disabled = true;
  try {
    const { quizId, instance, showMeta } = questionOf(form);
    /** @type {"list" | "cards"} */
    const mode = quiz.getAttribute("data-mode") === "cards" ? "cards" : "list";
    const payload = { quizId, instance, showMeta, mode, section: host.section, start: Number(marker.dataset.sqMore) };
    const result = await call("quiz_more", payload);
    const first = replaceWithAllHTML(marker, result.html);
    if (mode !== "cards") {
      const control = first && first.querySelector("input, select, textarea, button");
      if (control instanceof HTMLElement) control.focus();
      announce(host, result.announce);
    }
    sendKept(host);
    return first;
  } catch (error) {
    const message = /** @type {Error} */ (error).message;
    marker.querySelector(".sq-nudge")?.remove();
    marker.append(el("p", { class: "sq-nudge", role: "alert" }, message));
    return null;
  } finally {
    delete marker.dataset.busy;
    if (button && button.isConnected) button.disabled = false;
  }
}

/**
 * A click on one of the buttons the question forms and cards carry (moves, "Show answer",
 * "Try again", Previous and Next) or a long quiz's "Show more"; false if it is none of them.
 * @param {Host} host
 * @param {HTMLButtonElement} button
 */
function clicked(host, button) {
  const form = button.closest("form.sq-question");
  const action = button.dataset.action;
  if (form instanceof HTMLFormElement) {
    if (button.dataset.move) moveItem(host, button);
    else if (action === "show-answer") ask(host, form, "show_answer", {}, button);
    else if (action === "retry") ask(host, form, "question", {}, button);
    else return false;
    return true;
  }
  if (action === "card-next" || action === "card-prev") {
    moveCard(host, button);
    return true;
  }
  if (action === "show-more") {
    const marker = button.closest(".sq-more");
    if (marker instanceof HTMLElement) showMore(host, marker);
    return true;
  }
  return false;
}

/**
 * Answer the host's question forms (a quiz's, or a dashboard's review card).
 * @param {Host} host
 */
export function wireAnswers(host) {
  makeLiveRegion(host);
  host.root.addEventListener("submit", (event) => {
    const form = /** @type {Element} */ (event.target).closest("form.sq-question");
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    const submitter = /** @type {SubmitEvent} */ (event).submitter;
    if (!isReady()) {
      // A pre-rendered quiz's Check before the engine is up: kept, and sent once it has drawn.
      keep(form, fieldsOf(form, submitter));
      announce(host, t("page.checking"));
      start();
      return;
    }
    const review = form.closest("[data-review]") !== null;
    const button = submitter instanceof HTMLButtonElement ? submitter : form.querySelector("button.sq-check");
    ask(host, form, "check", { fields: fieldsOf(form, submitter), review }, /** @type {HTMLButtonElement | null} */ (button));
  });
  host.element.addEventListener("socratiq:drawn", () => sendKept(host));
  host.root.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest("button");
    if (button instanceof HTMLButtonElement && clicked(host, button)) event.preventDefault();
  });
}

/**
 * The engine has drawn `host`: the Checks pressed before it was ready (in this tab, or left by
 * a tab that closed first) are sent now, each recorded at the moment it was pressed.
 * @param {Host} host
 */
async function sendKept(host) {
  for (const { form, entry, done } of await keptFor(host.root)) {
    showChecking(form);
    const button = form.querySelector("button.sq-check");
    const payload = { fields: entry.fields, review: false, now: entry.at };
    if (await ask(host, form, "check", payload, button instanceof HTMLButtonElement ? button : null)) done();
  }
}
