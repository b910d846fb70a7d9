/* The heading a quiz placeholder sits under: the engine names the quiz's section by it on the
 * dashboard (a section id like "sec-quantization-basics" is no name for a reader). */

const LONGEST = 200;
/** The pilcrow, hash or link sign a site generator puts in a heading as its anchor link. */
const ANCHOR_SIGNS = /[\s¶#§🔗]+$/u;

/**
 * The nearest h2 or h3 before `node` in document order.
 * @param {Element} node
 * @returns {Element | null}
 */
function headingBefore(node) {
  for (let at = /** @type {Element | null} */ (node); at; at = at.parentElement) {
    for (let before = at.previousElementSibling; before; before = before.previousElementSibling) {
      if (before.matches("h2, h3")) return before;
      const inside = before.querySelectorAll("h2, h3");
      if (inside.length) return inside[inside.length - 1];
    }
  }
  return null;
}

/**
 * The text of that heading, on one line and at most 200 characters; null if there is none.
 * @param {Element} node
 */
export function sectionTitleOf(node) {
  const heading = headingBefore(node);
  const text = heading ? (heading.textContent || "").replace(/\s+/g, " ").replace(ANCHOR_SIGNS, "").trim() : "";
  return text ? text.slice(0, LONGEST) : null;
}
