"""Keyboard alone, measured: Tab reaches every control of every question type, in order, one
stop per radio group, and each stop shows a focus ring a reader can see (WCAG 2.4.7, and 3:1
against what surrounds it, 1.4.11), in light and in dark. test_reader.py holds the journey
itself (answering every type by keyboard, Enter checks)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import pytest
from playwright.sync_api import Page

from .conftest import wait_ready

ALL_TYPES = "/tests/e2e/pages/all-types.html"
SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
MIN_RING_PX = 2
MIN_RING_CONTRAST = 3.0

# The stops Tab should make in the quiz, in tree order: enabled, drawn controls; a radio group
# is one stop (its checked radio, else its first; radios group by form and name). Each is
# tagged with its index.
TAG_STOPS = """() => {
  const root = document.querySelector('.socratiq-quiz:not(script)').shadowRoot;
  const controls = root.querySelectorAll(
    'input, select, textarea, button, summary, a[href], [tabindex]:not([tabindex="-1"])');
  const groups = new Set();
  const stops = [];
  for (const control of controls) {
    if (control.disabled || control.type === 'hidden' || !control.checkVisibility()) continue;
    if (control.type === 'radio' && control.name) {
      const key = (control.form ? control.form.id : '') + '/' + control.name;  // per form
      if (groups.has(key)) continue;
      groups.add(key);
      const group = [...root.querySelectorAll('input[type=radio]')]
        .filter(r => r.name === control.name && r.form === control.form);
      const stop = group.find(r => r.checked) || group[0];
      stop.dataset.testStop = stops.length;
      stops.push(stop);
      continue;
    }
    control.dataset.testStop = stops.length;
    stops.push(control);
  }
  return stops.length;
}"""

# What has the focus now (through shadow roots), and how its focus ring looks.
FOCUSED = """() => {
  let focused = document.activeElement;
  while (focused && focused.shadowRoot && focused.shadowRoot.activeElement)
    focused = focused.shadowRoot.activeElement;
  if (!focused || !focused.dataset || focused.dataset.testStop === undefined)
    return {stop: null, name: focused ? focused.localName : null};
  const style = getComputedStyle(focused);
  const parentOf = (e) => e.parentElement || (e.parentNode && e.parentNode.host) || null;
  let around = 'rgb(255, 255, 255)';
  for (let e = parentOf(focused); e; e = parentOf(e)) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(bg)) { around = bg; break; }
  }
  const label = focused.labels && focused.labels[0] ? focused.labels[0].textContent : '';
  return {
    stop: Number(focused.dataset.testStop),
    name: [focused.localName, focused.type || '', focused.getAttribute('aria-label') || label
           || focused.textContent].join(' ').replace(/\\s+/g, ' ').trim().slice(0, 60),
    visible: focused.matches(':focus-visible'),
    outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
    shadow: style.boxShadow,
    around,
  };
}"""


def luminance(colour: str) -> float:
    red, green, blue = (int(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ring_problem(focused: dict[str, Any]) -> str | None:
    """Why this stop's focus ring cannot be seen well enough, or None."""
    if not focused["visible"]:
        return "does not match :focus-visible"
    style, width, colour = focused["outline"]
    if style == "none" or width < MIN_RING_PX:
        if focused["shadow"] == "none":
            return f"no outline ({style} {width}px) and no box-shadow"
        return None  # a box-shadow ring: its colour is not measured here
    ratio = contrast(colour, focused["around"])
    if ratio < MIN_RING_CONTRAST:
        return f"outline {colour} on {focused['around']}: contrast {ratio:.2f}:1"
    return None


@pytest.mark.parametrize("scheme", SCHEMES)
def test_tab_visits_every_control_in_order_with_a_visible_ring(
    page: Page, origin: str, scheme: Literal["light", "dark"]
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(origin + ALL_TYPES)
    wait_ready(page)
    stops = page.evaluate(TAG_STOPS)
    assert stops >= 20, "every type's controls should be tagged"
    page.get_by_text("A host page paragraph.").click()  # start from the host page
    visited: list[int | None] = []
    rings: dict[str, list[str]] = {}  # problem: the stops that have it
    for _ in range(stops + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["stop"] is None:
            if visited:
                break  # left the quiz
            continue
        visited.append(focused["stop"])
        problem = ring_problem(focused)
        if problem:
            rings.setdefault(problem, []).append(focused["name"])
    assert visited == list(range(stops)), f"Tab order: {visited}"
    assert rings == {}, json.dumps(rings, indent=1, ensure_ascii=False)
