"""Serve a published lecture page on this machine: ``python -m scenes.publish.serve SITE [--port N]``.

The page needs no server (it opens from ``file://``), but when it is served,
the server must answer HTTP range requests: a browser seeks a video by asking
for a byte range, and ``python -m http.server`` answers every request with
the whole file (status 200, no ``Accept-Ranges``), so Chromium cannot seek
and a chapter click starts the clip over. :class:`RangeHandler` adds single
ranges (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``) to the standard library's
handler.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

__all__ = ["RangeHandler", "main", "parse_range"]

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte that a ``Range`` header asks for in a file of ``size`` bytes; None for all of it.

    Raises
    ------
    ValueError
        The range lies outside the file (the answer is 416).

    Examples
    --------
    >>> parse_range("bytes=0-99", 1000), parse_range("bytes=900-", 1000), parse_range("bytes=-100", 1000)
    ((0, 99), (900, 999), (900, 999))
    >>> parse_range(None, 1000) is None and parse_range("bytes=0-1,5-6", 1000) is None
    True
    """
    match = _RANGE.match(header.strip()) if header else None
    if not match or not any(match.groups()):
        return None  # absent, several ranges or another unit: the whole file, as the standard allows
    first, last = match.groups()
    if not first:
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise ValueError(f"range {header!r} outside a file of {size} bytes")
    return start, end


class RangeHandler(SimpleHTTPRequestHandler):
    """The standard library's file handler, answering a single byte range with 206 Partial Content."""

    def send_head(self) -> BinaryIO | None:
        """Headers of a 206 and the file at the range's start; the standard library's answer without a range."""
        self._left = None
        path = Path(self.translate_path(self.path))
        if not path.is_file() or "Range" not in self.headers:
            return super().send_head()
        size = path.stat().st_size
        try:
            wanted = parse_range(self.headers["Range"], size)
        except ValueError:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if wanted is None:
            return super().send_head()
        start, end = wanted
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self._left = end - start + 1
        return handle

    def end_headers(self) -> None:
        """Tell every answer's client that ranges are served."""
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        """Send the whole file, or only the range's bytes after a 206."""
        left = getattr(self, "_left", None)
        if left is None:
            shutil.copyfileobj(source, outputfile)
            return
        self._left = None
        while left > 0 and (chunk := source.read(min(left, 64 * 1024))):
            outputfile.write(chunk)
            left -= len(chunk)


def server(
    site: Path, port: int = 0, host: str = "127.0.0.1", handler: type[RangeHandler] = RangeHandler
) -> ThreadingHTTPServer:
    """An http server of the folder ``site`` on ``host:port`` (0: a free port), not yet serving.

    Examples
    --------
    >>> httpd = server(Path("media/lecture/en-dark-l/site"))  # doctest: +SKIP
    >>> httpd.serve_forever()  # doctest: +SKIP
    """
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=os.fspath(site)))


def main(argv: list[str] | None = None) -> int:
    """Serve the page folder ``SITE`` until Ctrl-C; print its address."""
    parser = argparse.ArgumentParser(prog="python -m scenes.publish.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a published page's folder, e.g. media/lecture/zh-dark-l/site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}/index.html not found; run python -m scenes publish first", file=sys.stderr)
        return 2
    httpd = server(args.site, args.port, args.host)
    print(f"serving {args.site} at http://{args.host}:{httpd.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
