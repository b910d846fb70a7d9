"""A local static server that behaves like a good static host, for the bundle and the demo.

    python tools/serve.py [--port 8000] [--directory web] [--quiet]

Binds 127.0.0.1 only. Standard library only (http.server).

- MIME types a browser insists on: application/wasm (streaming compilation), text/javascript
  for .js and .mjs (module scripts and module workers), application/json, text/css, ...
- Caching: every response says `Cache-Control: no-cache` and carries a strong ETag (from the
  content's sha256) and Last-Modified; a conditional request (If-None-Match, else
  If-Modified-Since) that matches gets `304 Not Modified` with no body. Why not a long
  max-age: the bundle's file names carry no content hash (pyodide.asm.wasm, worker.js, ...), so
  a browser holding a year-long copy would mix an old wasm with a new worker.js, or an old lock
  with new wheels, after a rebuild. With no-cache + ETag a second visit re-downloads nothing
  (one cheap 304 round trip per file), is always consistent, and the service worker (sw.js,
  manifest.json) removes even those round trips and works offline.
- gzip when the request's Accept-Encoding allows it, for compressible types only (text, JS,
  JSON, wasm, SVG; not .whl or .zip, which are compressed already), with `Vary:
  Accept-Encoding` and a distinct ETag for the gzipped variant. Compressed bodies are cached in
  memory per (path, mtime, size), so pyodide.asm.wasm (9.6 MB -> 3.6 MB) is compressed once.
- Range: one `bytes=` range (as media elements ask) gets `206 Partial Content` of the raw
  bytes, an unsatisfiable one 416; several ranges get the whole body (a valid answer).
- A file's own headers: `FILE.headers` beside it, one `Name: value` a line, adds or replaces
  headers of FILE's responses (e.g. `Cache-Control: no-store`), as static hosts let authors.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]

MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wav": "audio/wav",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
}
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/wasm",
    "image/svg+xml",
)
MIN_GZIP_SIZE = 1024
CACHE_CONTROL = "no-cache"


class _Representation:
    """The bytes, hashes and gzipped bytes of one file version, computed once."""

    def __init__(self, path: Path, stat: os.stat_result) -> None:
        self.raw = path.read_bytes()
        self.mtime = stat.st_mtime
        self.etag = '"' + hashlib.sha256(self.raw).hexdigest()[:40] + '"'
        self._gz: bytes | None = None
        self._lock = threading.Lock()

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gz is None:
                self._gz = gzip.compress(self.raw, compresslevel=6, mtime=0)
            return self._gz


_CACHE: dict[tuple[str, int, int], _Representation] = {}
_CACHE_LOCK = threading.Lock()


def representation(path: Path) -> _Representation:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        rep = _CACHE.get(key)
        if rep is None:
            for old in [k for k in _CACHE if k[0] == key[0]]:
                del _CACHE[old]
            rep = _CACHE[key] = _Representation(path, stat)
        return rep


def accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0].lower() in ("gzip", "*"):
            q = next((f[2:] for f in fields[1:] if f.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """The one range `bytes=a-b` (or `bytes=-n`) asks for, inclusive; None to send the whole
    body (no range, or several); False if it cannot be satisfied."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end and start < size else False


def own_headers(path: Path) -> list[tuple[str, str]]:
    """The headers a `FILE.headers` beside the file sets for it."""
    sidecar = path.with_name(path.name + ".headers")
    if not sidecar.is_file():
        return []
    lines = sidecar.read_text(encoding="utf-8").splitlines()
    return [(n.strip(), v.strip()) for n, _, v in (line.partition(":") for line in lines) if v]


def etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    tags = re.findall(r'(?:W/)?"[^"]*"', header)
    return any(tag.removeprefix("W/") == etag for tag in tags)


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real host; every response has a length
    server_version = "socratiq-serve"
    sys_version = ""
    quiet = False

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def send_head(self):  # type: ignore[no-untyped-def]
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/") or not (path / "index.html").is_file():
                return super().send_head()  # the standard 301 to the slash URL, or a listing
            path = path / "index.html"
        elif url_path.endswith("/") or not path.is_file():
            self.send_error(404, "File not found")
            return None
        try:
            rep = representation(path)
        except OSError:
            self.send_error(404, "File not found")
            return None
        ctype = MIME.get(path.suffix.lower()) or self.guess_type(str(path))
        compressible = ctype.startswith(COMPRESSIBLE) and len(rep.raw) >= MIN_GZIP_SIZE
        use_gzip = compressible and accepts_gzip(self.headers.get("Accept-Encoding"))
        etag = rep.etag[:-1] + '-gz"' if use_gzip else rep.etag
        last_modified = email.utils.formatdate(rep.mtime, usegmt=True)

        extra = own_headers(path)
        overridden = {name.lower() for name, _ in extra}

        def common_headers() -> None:
            if "cache-control" not in overridden:
                self.send_header("Cache-Control", CACHE_CONTROL)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Accept-Ranges", "bytes")
            if compressible:
                self.send_header("Vary", "Accept-Encoding")
            for name, value in extra:
                self.send_header(name, value)

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = etag_matches(inm, etag) if inm is not None else False
        if inm is None and ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                not_modified = int(rep.mtime) <= since
            except (TypeError, ValueError, IndexError, OverflowError):
                not_modified = False
        if not_modified:
            self.send_response(304)
            common_headers()
            self.end_headers()
            return None

        span = None if use_gzip else byte_range(self.headers.get("Range"), len(rep.raw))
        if span is False:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(rep.raw)}")
            self.send_header("Content-Length", "0")
            common_headers()
            self.end_headers()
            return None
        body = rep.gzipped() if use_gzip else rep.raw
        if isinstance(span, tuple):
            start, end = span
            body = rep.raw[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(rep.raw)}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        common_headers()
        self.end_headers()
        return _Body(body)

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        if isinstance(source, _Body):
            outputfile.write(source.data)
        else:
            super().copyfile(source, outputfile)


class _Body:
    """What send_head returns for do_GET to copy (do_HEAD just closes it)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def close(self) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    """The threading server, quiet about clients that hang up early (a browser cancelling a
    download it does not want, as the page does with a quiz file over its size limit)."""

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(directory: Path, probe: str, log: IO[str] | None = None) -> Iterator[str]:
    """This server in a subprocess on a free port of 127.0.0.1, for the tests and the benchmark:
    the origin, once `probe` (a path) answers; stopped when the block ends."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    command = [
        sys.executable,
        __file__,
        "--directory",
        str(directory),
        "--quiet",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stderr=log)
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                urllib.request.urlopen(origin + probe, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("tools/serve.py did not start") from None
                time.sleep(0.1)
        yield origin
    finally:
        server.terminate()
        server.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=ROOT / "web")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    args = parser.parse_args(argv)
    directory = args.directory.resolve()
    if not directory.is_dir():
        print(f"serve: {directory} is not a directory", file=sys.stderr)
        return 1
    handler = type("BoundHandler", (Handler,), {"quiet": args.quiet})
    server = Server(("127.0.0.1", args.port), partial(handler, directory=str(directory)))
    print(
        f"serve: {directory} on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
