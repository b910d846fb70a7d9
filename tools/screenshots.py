"""The README's screenshots, from the built bundle and the demo book in real Chromium.

    python tools/screenshots.py [--out docs/screenshots]     (./build.sh screenshots)

Needs web/dist (./build.sh bundle) and web/demo/quizzes. Makes, in light, at 390x844 (phone)
and 1280x800 (desktop):
- quiz-<size>.png: the first quiz of the quantization chapter once its first question is
  answered right (the card from its title to that question's feedback);
- dashboard-<size>.png: the progress page after four answers, down to the last whole section
  that fits in 1,900 px.
Each is cropped to the component (no host page around it) at a device pixel ratio of 1, so the
files stay small. The page clock is fixed, so dates and streaks are the same on every run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime
from pathlib import Path

from playwright.sync_api import FloatRect, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.chromium import CHROMIUM_ARGS  # noqa: E402
from tools.serve import serving  # noqa: E402

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
CHAPTER = "/web/demo/quantization.html"
DASHBOARD = "/web/demo/progress.html"
CLOCK = datetime(2025, 3, 14, 10, 0)
READY_TIMEOUT_MS = 60_000
MARGIN_PX = 8  # around the component, so its border and shadow are not cut
TOAST_MS = 7_000  # a celebration toast stays 6 s
DASHBOARD_HEIGHT = 1_900  # the dashboard down to its path of chapters and charts
ALL_DRAWN = """() => [...document.querySelectorAll('.socratiq-quiz, .socratiq-dashboard')]
    .every(host => host.shadowRoot && !host.shadowRoot.querySelector('.sq-placeholder'))"""


def open_ready(page: Page, origin: str, path: str) -> None:
    page.goto(origin + path)
    page.wait_for_function("() => window.socratiq", timeout=READY_TIMEOUT_MS)
    page.evaluate("() => window.socratiq.start()")
    page.wait_for_function(ALL_DRAWN, timeout=READY_TIMEOUT_MS)


def check(
    page: Page, question: str, choose: str | None = None, type_in: str | None = None
) -> Locator:
    """Answer one question (found by its text) and wait for its feedback; its form."""
    form = page.locator("form.sq-question").filter(has_text=question)
    if choose is not None:
        form.get_by_role("radio", name=choose).check()
    if type_in is not None:
        form.get_by_role("textbox", name="Your answer").fill(type_in)
    form.get_by_role("button", name="Check", exact=True).click()
    form.locator(".sq-feedback").filter(has_text="Correct.").wait_for()
    page.clock.run_for(TOAST_MS)  # the celebration toasts come and go
    return form


def clip(page: Page, top: Locator, parts: Locator, max_height: int) -> FloatRect:
    """From `top`'s top down to the bottom of the last of `parts` that fits in `max_height`
    (so no section is cut in half), as wide as `top`, in page pixels."""
    upper = top.bounding_box()
    assert upper is not None, "the component is not drawn"
    bottoms = [box["y"] + box["height"] for box in map(Locator.bounding_box, parts.all()) if box]
    fitting = [b for b in bottoms if b - upper["y"] + 2 * MARGIN_PX <= max_height]
    bottom = max(fitting or [upper["y"] + max_height - 2 * MARGIN_PX])
    scroll = page.evaluate("() => window.scrollY")
    return {
        "x": max(upper["x"] - MARGIN_PX, 0),
        "y": max(upper["y"] + scroll - MARGIN_PX, 0),
        "width": upper["width"] + 2 * MARGIN_PX,
        "height": bottom - upper["y"] + 2 * MARGIN_PX,
    }


def shoot(origin: str, chromium: str, out: Path) -> list[Path]:
    made = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                color_scheme="light",
                device_scale_factor=1,
            )
            page = context.new_page()
            page.clock.install(time=CLOCK)
            open_ready(page, origin, CHAPTER)
            quiz = page.locator(".socratiq-quiz").first
            form = check(page, "Roughly how much smaller", choose="4 times smaller")
            path = out / f"quiz-{size}.png"
            page.screenshot(path=path, clip=clip(page, quiz, form, 10_000), full_page=True)
            made.append(path)

            check(page, "How many gigabytes", type_in="3.5")
            check(page, "Post-training quantization (PTQ) requires", choose="False")
            check(page, "largest rounding error", type_in="0.05")  # today's goal met
            open_ready(page, origin, DASHBOARD)
            dashboard = page.locator(".socratiq-dashboard")
            path = out / f"dashboard-{size}.png"
            sections = dashboard.locator(".sq-dashboard > *")
            box = clip(page, dashboard, sections, DASHBOARD_HEIGHT)
            page.screenshot(path=path, clip=box, full_page=True)
            made.append(path)
            context.close()
        browser.close()
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("screenshots: Debian's chromium is not installed", file=sys.stderr)
        return 1
    if not (ROOT / "web" / "dist" / "socratiq.js").exists():
        print("screenshots: web/dist is missing: run ./build.sh bundle", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with serving(ROOT, DASHBOARD) as origin:
        for path in shoot(origin, chromium, args.out):
            print(f"screenshots: wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
