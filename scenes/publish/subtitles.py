"""Subtitle cues: read SubRip (``.srt``), write SubRip and WebVTT (``.vtt``), cut a clip's cues to a section.

SubRip writes ``00:00:05,600``, WebVTT ``00:00:05.600`` after a ``WEBVTT``
line; in WebVTT ``<`` and ``&`` start markup, so they are escaped (a line such
as "here with h < 0" would otherwise lose its end in a browser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Cue", "format_srt", "format_vtt", "parse_srt", "parse_vtt", "section_cues"]

_TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[,.](\d{3})")
_ARROW = re.compile(rf"^\s*({_TIME.pattern})\s*-->\s*({_TIME.pattern})")


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str


def _seconds(match: re.Match, first: int) -> float:
    h, m, s, ms = (int(match.group(first + i)) for i in range(4))
    return h * 3600 + m * 60 + s + ms / 1000


def _stamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def _blocks(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    return [block.split("\n") for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def _parse(text: str, unescape: bool) -> list[Cue]:
    cues = []
    for lines in _blocks(text):
        for i, line in enumerate(lines):
            match = _ARROW.match(line)
            if match:
                body = "\n".join(lines[i + 1 :])
                if unescape:
                    body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                cues.append(Cue(_seconds(match, 2), _seconds(match, 7), body))
                break
    return cues


def parse_srt(text: str) -> list[Cue]:
    """The cues of a SubRip file, in file order.

    Examples
    --------
    >>> parse_srt("1\\n00:00:00,000 --> 00:00:05,600\\nHere is y = f(x).\\n")
    [Cue(start=0.0, end=5.6, text='Here is y = f(x).')]
    """
    return _parse(text, unescape=False)


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file (markup escapes undone), in file order.

    Examples
    --------
    >>> parse_vtt("WEBVTT\\n\\n1\\n00:00:01.000 --> 00:00:02.500\\nh &lt; 0\\n")
    [Cue(start=1.0, end=2.5, text='h < 0')]
    """
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValueError("not a WebVTT file: it does not start with WEBVTT")
    return _parse(text, unescape=True)


def format_srt(cues: list[Cue]) -> str:
    """A SubRip file of ``cues``, numbered from 1.

    Examples
    --------
    >>> print(format_srt([Cue(0.0, 5.6, "Here is y = f(x).")]), end="")
    1
    00:00:00,000 --> 00:00:05,600
    Here is y = f(x).
    """
    blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    return "\n".join(blocks)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_vtt(cues: list[Cue]) -> str:
    """A WebVTT file of ``cues`` (``<``, ``>`` and ``&`` escaped); no cues gives a valid empty file.

    Examples
    --------
    >>> print(format_vtt([Cue(14.4, 24.2, "here with h < 0")]), end="")
    WEBVTT
    <BLANKLINE>
    1
    00:00:14.400 --> 00:00:24.200
    here with h &lt; 0
    """
    blocks = [
        f"{i}\n{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{_escape(c.text)}\n" for i, c in enumerate(cues, 1)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def section_cues(cues: list[Cue], start: float, duration: float) -> list[Cue]:
    """The cues seen during ``[start, start + duration)``, cut to it and timed from its start.

    Examples
    --------
    >>> section_cues([Cue(0.0, 5.6, "one"), Cue(5.6, 14.4, "two")], start=5.6, duration=8.8)
    [Cue(start=0.0, end=8.8, text='two')]
    """
    end, kept = start + duration, []
    for cue in cues:
        lo, hi = max(cue.start, start), min(cue.end, end)
        if hi - lo > 0.0005:  # a cue that only touches the section's edge belongs to its neighbour
            kept.append(Cue(round(lo - start, 3), round(hi - start, 3), cue.text))
    return kept
