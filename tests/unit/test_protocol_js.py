"""The page's copy of the worker protocol (web/src/protocol.js) is the one the models give."""

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from socratiq_local.browser import protocol

TOOL = Path(__file__).resolve().parents[2] / "tools" / "protocol_js.py"


@pytest.fixture(scope="module")
def protocol_js() -> Any:
    if sys.platform == "emscripten":
        pytest.skip("tools/ and web/ are not in the Pyodide test tree")
    spec = importlib.util.spec_from_file_location("protocol_js", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_page_file_is_current_and_names_every_op(protocol_js: Any) -> None:
    written = protocol_js.OUT.read_text(encoding="utf-8")
    assert written == protocol_js.render(), "run ./build.sh protocol"
    assert f"export const PROTOCOL = {protocol.PROTOCOL};" in written
    assert re.findall(r"^ \* @property \{.*\} (\w+)", written, re.MULTILINE)[
        : len(protocol.OPS)
    ] == [*protocol.OPS]
