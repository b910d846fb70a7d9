"""MkDocs and Sphinx books from the installed wheel alone: `pip install socratiq-local
mkdocs-material` and `pip install "socratiq-local[sphinx]"` into a fresh venv, then each example
book built there with no Node on PATH and no checkout on sys.path: the quizzes are pre-rendered
into the pages and the wheel's own bundle lands in the site, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from .test_wheel import ROOT, digests, run, venv_with_wheel, without_node

BUNDLE = ROOT / "web" / "dist"


def test_mkdocs_and_sphinx_books_build_from_the_wheel_without_node(tmp_path: Path) -> None:
    venv = venv_with_wheel(
        tmp_path, "[sphinx]", "sphinx", "myst-parser", "mkdocs", "mkdocs-material"
    )
    env = {"PATH": f"{venv / 'bin'}:{without_node()}", "HOME": str(tmp_path), "LANG": "C.UTF-8"}

    mkdocs_book = Path(shutil.copytree(ROOT / "examples" / "mkdocs", tmp_path / "mkdocs"))
    run(venv / "bin" / "mkdocs", "build", "--strict", "-d", "site", env=env, cwd=mkdocs_book)
    site = mkdocs_book / "site"
    chapter = (site / "chapters" / "serving" / "index.html").read_text(encoding="utf-8")
    assert 'class="sq-question' in chapter, "the quiz is not pre-rendered into the page"
    assert "socratiq/socratiq.js" in chapter
    assert digests(site / "socratiq") == digests(BUNDLE)

    sphinx_book = Path(shutil.copytree(ROOT / "examples" / "sphinx", tmp_path / "sphinx"))
    run(venv / "bin" / "sphinx-build", "-W", "-q", "-b", "html", ".", "_build",
        env=env, cwd=sphinx_book)  # fmt: skip
    built = sphinx_book / "_build"
    for page in ("pipelines.html", "shuffling.html"):  # reStructuredText, MyST Markdown
        html = (built / page).read_text(encoding="utf-8")
        assert 'class="sq-question' in html, f"{page}: the quiz is not pre-rendered"
        assert "_static/socratiq/socratiq.js" in html
    assert digests(built / "_static" / "socratiq") == digests(BUNDLE)
