"""A Quarto book from the installed wheel alone: `pip install "socratiq-local[quarto]"` into a
fresh venv, `socratiq-local quarto-extension`, then pandoc running the filter with no Node on
PATH and no checkout: the quiz is drawn, and the wheel's own bundle lands in the site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .test_wheel import ROOT, digests, run, venv_with_wheel, without_node

BUNDLE = ROOT / "web" / "dist"


def test_a_quarto_book_builds_from_the_wheel_without_node(tmp_path: Path) -> None:
    venv = venv_with_wheel(tmp_path, "[quarto]", "PyYAML")

    book = Path(shutil.copytree(ROOT / "examples" / "quarto", tmp_path / "book"))
    pandoc = shutil.which("pandoc")
    assert pandoc is not None, "Debian's pandoc is not installed (./build.sh installs it)"
    tools = tmp_path / "tools"  # pandoc alone, wherever Debian put it beside node
    tools.mkdir()
    (tools / "pandoc").symlink_to(pandoc)
    path = os.pathsep.join([str(venv / "bin"), str(tools), without_node()])
    env = {"PATH": path, "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    run(venv / "bin" / "socratiq-local", "quarto-extension", env=env, cwd=book)
    (book / "site" / "chapters").mkdir(parents=True)
    run(pandoc, "--metadata-file", "_quarto.yml", "--lua-filter",
        "_extensions/socratiq/socratiq.lua", "-s", "-f", "markdown", "-t", "html5",
        "chapters/latency.qmd", "-o", "site/chapters/latency.html", env=env, cwd=book)  # fmt: skip

    page = (book / "site" / "chapters" / "latency.html").read_text()
    assert '<script src="../socratiq/socratiq.js" data-book="serving-models" async="">' in page
    assert "how many requests are in flight at once?" in page
    assert digests(book / "site" / "socratiq") == digests(BUNDLE)
