/* The few DOM helpers every concern shares. */

/**
 * An element with attributes and, optionally, text (never HTML).
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {string | null} [text]
 */
export function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

/**
 * With replaceWithHTML and replaceWithAllHTML, the only places HTML from Python enters the page: it was built by our
 * renderer, which escapes every piece of author or learner text (see src/socratiq_local/render/).
 * @param {Element} node
 * @param {string} html
 */
export function setHTML(node, html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  node.replaceChildren(template.content);
}

/**
 * Put the one element `html` draws (our renderer's, as for setHTML) where `node` is, and
 * return it; if it draws none, `node` stays and null comes back.
 * @param {Element} node
 * @param {string} html
 */
export function replaceWithHTML(node, html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const drawn = template.content.firstElementChild;
  if (drawn) node.replaceWith(drawn);
  return drawn;
}

/**
 * Put everything `html` draws (our renderer's, as for setHTML) where `node` is, and return its
 * first element (null if it draws none).
 * @param {Element} node
 * @param {string} html
 */
export function replaceWithAllHTML(node, html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const first = template.content.firstElementChild;
  node.replaceWith(template.content);
  return first;
}

/**
 * A DOM event on the host page's document (socratiq:answered, socratiq:badge, …).
 * @param {string} name
 * @param {object} detail
 */
export function dispatch(name, detail) {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}
