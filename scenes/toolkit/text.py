"""Text and formulas in one call: Chinese via Noto Sans CJK, maths via Typst.

Sizes are in Manim font units and chosen to stay readable at 480p.
"""

from __future__ import annotations

import textwrap

from manim import DecimalNumber, MathTypst, Text, Typst, VMobject

__all__ = ["CJK_FONT", "SIZE", "halo", "math", "mixed", "number", "text", "wrap"]

CJK_FONT = "Noto Sans CJK SC"


class SIZE:
    """Font sizes by role; nothing smaller than ``SMALL`` reaches the screen."""

    TITLE = 44
    BODY = 34
    LABEL = 30
    CAPTION = 28
    SMALL = 24


def text(content: str, *, color: str, size: float = SIZE.LABEL, weight: str = "NORMAL") -> Text:
    """A line of Chinese or English text in Noto Sans CJK.

    Examples
    --------
    >>> text("梯度", color="#FFFFFF").font
    'Noto Sans CJK SC'
    """
    return Text(content, font=CJK_FONT, color=color, font_size=size, weight=weight)


def math(markup: str, *, color: str, size: float = SIZE.BODY) -> MathTypst:
    """A formula from Typst math markup, e.g. ``math("nabla f = vec(2x, 2y)", color=...)``."""
    return MathTypst(markup, color=color, font_size=size)


def mixed(markup: str, *, color: str, size: float = SIZE.LABEL) -> Typst:
    """One line mixing text (Chinese or English) and ``$maths$``, e.g. ``"梯度 $nabla f$ 指向上坡"``."""
    preamble = f'#set text(font: "{CJK_FONT}")'
    return Typst(markup, color=color, font_size=size, typst_preamble=preamble)


def number(value: float, *, color: str, decimals: int = 2, size: float = SIZE.BODY, sign: bool = False) -> DecimalNumber:
    """A live numeric readout (digits typeset once and reused, never per frame).

    ``sign=True`` always shows + or −, so the number keeps its width as it changes sign.
    """
    return DecimalNumber(value, num_decimal_places=decimals, mob_class=MathTypst, include_sign=sign,
                         color=color, font_size=size)


def wrap(line: str, language: str, width: int | None = None) -> str:
    """Break a caption into lines that fit the frame at caption size.

    Chinese has no spaces, so it is cut every ``width`` characters (default 30);
    English is wrapped at word boundaries (default 66 characters).

    Examples
    --------
    >>> wrap("one two three", "en", width=7)
    'one two\\nthree'
    """
    if language == "zh":
        width = width or 30
        return "\n".join(line[i : i + width] for i in range(0, len(line), width))
    return textwrap.fill(line, width=width or 66)


def halo(mobject: VMobject, color: str, width: float = 4) -> VMobject:
    """Give text a thin outline in ``color`` so it reads over any slide colour."""
    mobject.set_stroke(color, width=width, background=True)
    return mobject
