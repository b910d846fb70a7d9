/* Answering: a question's form is sent as it is (the string entries of FormData, the submitter
 * button's name and value included); the engine reads the answer from them, so no code here
 * knows a question type. Its reply is feedback to show, or the next step (a short answer's
 * self-rating buttons), or "no answer yet". */

import { BOOK } from "./config.js";
import { dispatch, el, setHTML } from "./dom.js";
import { showWarnings } from "./hosts.js";
import { renderDashboards } from "./render.js";
import { call } from "./rpc.js";
import { t } from "./texts.js";

/** @typedef {import("./hosts.js").Host} Host */

/** @param {HTMLFormElement} form */
function statusOf(form) {
  return form.querySelector("[role=status]");
}

/**
 * @param {HTMLFormElement} form
 * @param {string} text
 */
function say(form, text) {
  const status = statusOf(form);
  if (status) status.replaceChildren(el("p", { class: "sq-nudge" }, text));
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
 * @param {Host} host the quiz or dashboard (a review session) the form is in
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} submitter
 */
async function submit(host, form, submitter) {
  const questionId = form.dataset.questionId;
  const button = /** @type {HTMLButtonElement | null} */ (submitter || form.querySelector("button[type=submit]"));
  const fields = fieldsOf(form, submitter);
  if (button) button.disabled = true;
  try {
    const result = await call("check", {
      quizId: form.dataset.quizId,
      questionId,
      fields,
      instance: form.dataset.instance,
      review: form.closest("[data-review]") !== null,
    });
    // Stand-in until the answers helper's branch (which owns this module) is merged: the
    // reply's question replaces the form; a recorded answer is told, celebrated, and lets a
    // review card go on.
    const box = el("div");
    setHTML(box, result.html);
    const fresh = box.firstElementChild;
    if (!fresh) return;
    form.replaceWith(fresh);
    const focus = fresh.querySelector("[data-sq-focus]");
    if (focus instanceof HTMLElement) focus.focus();
    if (!result.recorded) return;
    showWarnings(result.warnings);
    dispatch("socratiq:answered", { book: BOOK, questionId, correct: result.correct, score: result.score });
    for (const notice of result.notices || []) {
      dispatch(`socratiq:${notice.kind}`, { book: BOOK, ...notice });
    }
    dispatch("socratiq:celebrate", { celebrations: result.celebrations || [] });
    const next = fresh.closest(".sq-review")?.querySelector("button[data-action=review-next]");
    if (next) next.removeAttribute("hidden");
    renderDashboards(host); // XP and mastery moved; a review session in progress stays
  } catch (error) {
    say(form, /** @type {Error} */ (error).message);
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

/**
 * Move an ordering item up or down; its hidden input moves with it, so the form lists the
 * items in the learner's order. A live region says where it went.
 * @param {HTMLButtonElement} button
 */
function moveItem(button) {
  const li = button.closest("li");
  const form = button.closest("form");
  if (!li || !form || !li.parentElement) return;
  const up = button.dataset.move === "up";
  const sibling = up ? li.previousElementSibling : li.nextElementSibling;
  if (!sibling) return;
  if (up) sibling.before(li);
  else sibling.after(li);
  button.focus();
  const position = Array.from(li.parentElement.children).indexOf(li) + 1;
  let live = form.querySelector(".sq-order-live");
  if (!live) {
    live = el("p", { class: "sq-order-live sq-visually-hidden", "aria-live": "polite" });
    form.append(live);
  }
  const label = li.querySelector(".sq-item-text");
  const item = label && label.textContent ? label.textContent : t("page.item");
  live.textContent = t("page.item_position", { item, position });
}

/**
 * Answer the host's question forms.
 * @param {Host} host
 */
export function wireAnswers(host) {
  host.root.addEventListener("submit", (event) => {
    const form = /** @type {Element} */ (event.target).closest("form.sq-question");
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    submit(host, form, /** @type {SubmitEvent} */ (event).submitter);
  });
  host.root.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest("button[data-move]");
    if (button instanceof HTMLButtonElement && button.closest("form.sq-question")) {
      event.preventDefault();
      moveItem(button);
    }
  });
}
