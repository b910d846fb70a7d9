// What a reader sees, measured from the DOM (our open shadow roots included); evaluated by
// tests/e2e/test_layout.py as one function. Returns {viewport, scrollWidth, beyond,
// beyondHost, overlaps}:
// - beyond: the outermost element boxes and the text lines that reach past the viewport's
//   left or right edge, unless an ancestor that scrolls or clips holds them;
// - beyondHost: the same within each quiz or dashboard, past its own box (a bar poking out of
//   the card while the viewport still has room);
// - overlaps: pairs of text lines, within one quiz or dashboard, from different text nodes,
//   whose boxes intersect by more than `tolerance` px across and, down, by more than a quarter
//   of the shorter line's height. Why the quarter: a line's box is its font's whole content
//   area (ascent + descent), not the ink, so lines set tight (line-height near 1, or a math
//   glyph whose font has a deep descent) share a few px of empty box with no visible overlap.
// Visually-hidden text (clipped to a 1x1 box) and text the browser does not draw are skipped.
(tolerance) => {
  const viewport = document.documentElement.clientWidth;
  const HOSTS = ".socratiq-quiz:not(script), .socratiq-dashboard";

  const parentOf = (node) =>
    node.parentElement || (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null);

  function ancestors(element) {
    const found = [];
    for (let e = parentOf(element); e; e = parentOf(e)) found.push(e);
    return found;
  }

  function path(element) {
    const parts = [];
    for (let e = element; e && parts.length < 6; e = parentOf(e)) {
      const classes = [...e.classList].slice(0, 2).map((c) => "." + c).join("");
      const inShadow = e.parentNode instanceof ShadowRoot ? " ::shadow" : "";
      parts.unshift(e.localName + classes + inShadow);
      if (e === document.body) break;
    }
    return parts.join(" > ").replaceAll(" ::shadow >", " >>");
  }

  const short = (text) => text.replace(/\s+/g, " ").trim().slice(0, 80);
  const box = (r) => ({
    left: Math.round(r.left),
    right: Math.round(r.right),
    top: Math.round(r.top + scrollY),
    width: Math.round(r.width),
    height: Math.round(r.height),
  });

  function* elementsIn(root) {
    for (const element of root.querySelectorAll("*")) {
      yield element;
      if (element.shadowRoot) yield* elementsIn(element.shadowRoot);
    }
  }

  function* textNodesIn(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) yield node;
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) yield* textNodesIn(element.shadowRoot);
    }
  }

  const clips = (element) => getComputedStyle(element).overflowX !== "visible";
  const tiny = (r) => r.width <= 1 && r.height <= 1;
  const visuallyHidden = (element) =>
    [element, ...ancestors(element)].some((e) => tiny(e.getBoundingClientRect()) && clips(e));
  /** The line boxes of one text node, from its first to its last visible character. */
  function lines(node) {
    const text = node.data;
    const start = text.search(/\S/);
    if (start < 0) return [];
    const parent = node.parentElement;
    if (!parent || parent.closest("title, style, script, option, noscript")) return [];
    if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return [];
    if (visuallyHidden(parent)) return [];
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, text.trimEnd().length);
    return [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
  }

  /** The outermost element boxes and the text lines under `root` that reach past `bounds`
   * (left and right), unless an ancestor that scrolls or clips, itself inside, holds them. */
  function past(root, textRoot, bounds) {
    const outside = (r) => r.right > bounds.right + tolerance || r.left < bounds.left - tolerance;
    const scrollerHolds = (e) => clips(e) && !outside(e.getBoundingClientRect());
    const heldByScroller = (element) => ancestors(element).some(scrollerHolds);
    const found = [];
    const outsideElements = new Set();
    for (const element of elementsIn(root)) {
      const r = element.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (!outside(r) || visuallyHidden(element) || heldByScroller(element)) continue;
      outsideElements.add(element);
    }
    for (const element of outsideElements) {
      if (ancestors(element).some((a) => outsideElements.has(a))) continue;
      const text = short(element.textContent || "");
      found.push({ kind: "box", path: path(element), text, rect: box(element.getBoundingClientRect()) });
    }
    for (const node of textNodesIn(textRoot)) {
      const parent = node.parentElement;
      if (!parent || scrollerHolds(parent) || heldByScroller(parent)) continue;
      if ([parent, ...ancestors(parent)].some((a) => outsideElements.has(a))) continue;
      for (const r of lines(node)) {
        if (outside(r)) found.push({ kind: "text", path: path(parent), text: short(node.data), rect: box(r) });
      }
    }
    return found;
  }

  const hosts = [...document.querySelectorAll(HOSTS)].filter((host) => host.shadowRoot);
  const beyond = past(document, document.body, { left: 0, right: viewport });
  const beyondHost = hosts.flatMap((host) =>
    past(host.shadowRoot, host.shadowRoot, host.getBoundingClientRect()),
  );

  const overlaps = [];
  for (const host of hosts) {
    const pieces = [];
    for (const node of textNodesIn(host.shadowRoot)) {
      for (const r of lines(node)) pieces.push({ node, r });
    }
    for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length; j++) {
        const a = pieces[i];
        const b = pieces[j];
        if (a.node === b.node) continue;
        const across = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const down = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        const shorter = Math.min(a.r.height, b.r.height);
        if (across > tolerance && down > Math.max(tolerance, shorter / 4)) {
          overlaps.push({
            a: { path: path(a.node.parentElement), text: short(a.node.data), rect: box(a.r) },
            b: { path: path(b.node.parentElement), text: short(b.node.data), rect: box(b.r) },
          });
        }
      }
    }
  }

  const scrollWidth = document.documentElement.scrollWidth;
  return { viewport, scrollWidth, beyond, beyondHost, overlaps };
}
