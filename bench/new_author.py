"""A new author's way from nothing to a working quiz, per generator (MkDocs, Sphinx, plain
HTML), timed step by step: a fresh venv, `pip install` of the wheel `./build.sh wheel` made
(with the generator), the lines an author adds, the build, the site served by
`python -m http.server`, and Chromium opening the page and answering the quiz right.

    .venv/bin/python bench/new_author.py [mkdocs|sphinx|html ...]

Work happens in build/new-author/. pip reaches the package index (its cache makes a second run
faster than a real first install). Machine time only: an author's reading and typing is not in
it. Every request the page makes is logged; one leaving the site is printed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.chromium import CHROMIUM_ARGS  # noqa: E402

WORK = ROOT / "build" / "new-author"
QUIZ = """id: ch1
title: Chapter 1
questions:
  - type: true_false
    text: Batching raises throughput.
    answer: true"""


@dataclass(frozen=True)
class Book:
    name: str
    install: str  # pip install's arguments, the wheel being {wheel}
    files: dict[str, str]  # what the author writes
    build: str
    site: str  # the folder served


def books() -> Iterator[Book]:
    yield Book(
        "mkdocs",
        '"{wheel}" mkdocs-material',
        {
            "mkdocs.yml": "site_name: My Book\ntheme: material\nplugins: [socratiq]\n",
            "docs/index.md": "# Chapter 1\n\n```quiz\n" + QUIZ + "\n```\n",
        },
        "mkdocs build",
        "site",
    )
    yield Book(
        "sphinx",
        '"{wheel}[sphinx]"',
        {
            "conf.py": 'project = "My Book"\nextensions = ["socratiq_local.sphinx"]\n',
            "index.rst": "Chapter 1\n=========\n\n.. quiz::\n\n"
            + textwrap.indent(QUIZ, "   ")
            + "\n",
        },
        "sphinx-build -q . _build",
        "_build",
    )
    yield Book(
        "html",
        '"{wheel}"',
        {
            "site/ch1.json": '{"id": "ch1", "title": "Chapter 1", "questions": [\n'
            '  {"type": "true_false", "text": "Batching raises throughput.", "answer": true}]}\n',
            "site/index.html": '<!doctype html><html lang="en"><meta charset="utf-8">\n'
            "<title>Chapter 1</title><h1>Chapter 1</h1>\n"
            '<script src="socratiq/socratiq.js" async></script>\n'
            '<div class="socratiq-quiz" data-src="ch1.json"></div>\n',
        },
        "socratiq-local bundle -o site/socratiq",
        "site",
    )


def timed(command: str, cwd: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(command, cwd=cwd, shell=True, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{command} failed:\n{done.stdout}{done.stderr}")
    return time.monotonic() - start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def open_and_answer(browser: Browser, origin: str) -> tuple[float, list[str]]:
    """Seconds from opening the page to the right answer's feedback, and every URL asked for."""
    context = browser.new_context()
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    start = time.monotonic()
    page.goto(origin + "index.html")
    form = page.locator("form.sq-question").first
    form.get_by_role("radio", name="True").check(timeout=120_000)
    form.get_by_role("button", name="Check").click()
    expect(form.locator(".sq-feedback")).to_contain_text("Correct", timeout=60_000)
    seconds = time.monotonic() - start
    context.close()
    return seconds, urls


def run(book: Book, wheel: Path, browser: Browser) -> None:
    root = WORK / book.name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    steps = {"venv": timed(f"{sys.executable} -m venv venv", root)}
    steps["pip install"] = timed(
        f"venv/bin/pip install -q {book.install.format(wheel=wheel)}", root
    )
    for name, text in book.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    path = f"PATH={root / 'venv' / 'bin'}:/usr/bin:/bin NO_MKDOCS_2_WARNING=1"
    steps["build"] = timed(f"{path} {book.build}", root)
    port = free_port()
    server = subprocess.Popen(
        [root / "venv/bin/python", "-m", "http.server", str(port), "-b", "127.0.0.1"],
        cwd=root / book.site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    origin = f"http://127.0.0.1:{port}/"
    try:
        time.sleep(0.5)
        steps["open and answer"], urls = open_and_answer(browser, origin)
    finally:
        server.terminate()
        server.wait()
    said = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
    print(f"{book.name}: {said}; total {sum(steps.values()):.1f} s", flush=True)
    foreign = sorted({u for u in urls if not u.startswith((origin, "blob:", "data:"))})
    if foreign:
        print(f"  requests leaving the site: {foreign}")


def main(only: list[str]) -> None:
    wheels = sorted((ROOT / "dist").glob("socratiq_local-*.whl"))
    if not wheels:
        sys.exit("no wheel in dist/: run ./build.sh wheel")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        for book in books():
            if not only or book.name in only:
                run(book, wheels[-1], browser)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
