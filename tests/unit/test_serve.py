"""tools/serve.py as media players and authors use it: byte ranges, and a file's own headers."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# The development server runs on CPython, never in a reader's browser.
if sys.platform == "emscripten":
    pytest.skip("no server (or subprocess) under Pyodide", allow_module_level=True)

from tools.serve import serving


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "media.wav").write_bytes(bytes(range(256)) * 4)
    (root / "private.html").write_text("<p>private</p>")
    (root / "private.html.headers").write_text("Cache-Control: no-store\nX-Extra: yes\n")
    return root


def test_one_byte_range_gets_206_and_a_bad_one_416(site: Path) -> None:
    with serving(site, "/private.html") as origin:
        status, headers, body = fetch(origin + "/media.wav", Range="bytes=0-")
        assert (status, headers["Content-Range"], len(body)) == (206, "bytes 0-1023/1024", 1024)
        status, headers, body = fetch(origin + "/media.wav", Range="bytes=10-13")
        assert (status, headers["Content-Range"], body) == (206, "bytes 10-13/1024", b"\n\v\f\r")
        status, headers, body = fetch(origin + "/media.wav", Range="bytes=-2")
        assert (status, body) == (206, bytes([254, 255]))
        status, headers, _ = fetch(origin + "/media.wav", Range="bytes=2000-")
        assert (status, headers["Content-Range"]) == (416, "bytes */1024")
        status, headers, body = fetch(origin + "/media.wav", Range="bytes=0-1,5-6")
        assert (status, len(body), headers["Accept-Ranges"]) == (200, 1024, "bytes")


def test_a_files_own_headers_replace_the_defaults(site: Path) -> None:
    with serving(site, "/private.html") as origin:
        status, headers, _ = fetch(origin + "/private.html")
        assert (status, headers["Cache-Control"], headers["X-Extra"]) == (200, "no-store", "yes")
        _, headers, _ = fetch(origin + "/media.wav")
        assert headers["Cache-Control"] == "no-cache"
