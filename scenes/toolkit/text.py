"""Text and formulas in one call: Chinese via Noto Sans CJK, maths via Typst.

Sizes are in Manim font units and chosen to stay readable at 480p.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

import manimpango
from manim import DecimalNumber, ManimColor, MathTypst, Text, Typst, VMobject, config
from manim.mobject.text.text_mobject import START_X, START_Y, TEXT2SVG_ADJUSTMENT_FACTOR

__all__ = ["CJK_FONT", "SIZE", "halo", "math", "mixed", "number", "text", "wrap"]

CJK_FONT = "Noto Sans CJK SC"
MATH_FONT = "DejaVu Sans"  # maths symbols in running text: the CJK font draws these full-width (∂ f/ ∂ x)
MATH_GLYPHS = "∂∇·×≤≥−±√∈≈⊥≠∞"
TYPST_SCALE = 1.45  # Typst glyphs come out ~1.45× smaller than Pango's at the same font_size


class SIZE:
    """Font sizes by role; nothing smaller than ``SMALL`` reaches the screen."""

    TITLE = 44
    BODY = 34
    LABEL = 30
    CAPTION = 26  # two lines and their gap fit between CAPTION_TOP and CAPTION_BOTTOM
    SMALL = 24


def text(content: str, *, color: str, size: float = SIZE.LABEL, weight: str = "NORMAL") -> Text:
    """A line of Chinese or English text in Noto Sans CJK.

    Examples
    --------
    >>> text("梯度", color="#FFFFFF").font
    'Noto Sans CJK SC'
    >>> len(text("∂f/∂x", color="#FFFFFF"))  # one glyph per character, ∂ from the maths font
    5
    """
    with _wide_layout():
        return _Line(content, font=CJK_FONT, color=color, font_size=size, weight=weight)


class _Line(Text):
    """A :class:`Text` whose maths symbols (``MATH_GLYPHS``) are set in ``MATH_FONT``.

    The CJK font draws ∂, ∇, · and × full-width ("∂ f/ ∂ x"). Manim's ``t2f`` lays
    each font run out on its own and the runs lose the common baseline, so the
    whole line goes to Pango as one markup string with a font span per symbol.
    """

    def _text2hash(self, color) -> str:
        return "math-" + super()._text2hash(color)

    def _text2svg(self, color) -> str:
        if not any(glyph in self.text for glyph in MATH_GLYPHS):
            return super()._text2svg(color)
        folder = config.get_dir("text_dir")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self._text2hash(color)}.svg"
        if not path.exists():
            markup = "".join(
                f'<span font_family="{MATH_FONT}">{char}</span>' if char in MATH_GLYPHS else escape(char, quote=False)
                for char in self.text
            )
            manimpango.MarkupUtils.text2svg(
                f'<span foreground="{ManimColor(color).to_hex()}">{markup}</span>',
                self.font, self.slant, self.weight,
                self._font_size / TEXT2SVG_ADJUSTMENT_FACTOR, self.line_spacing / TEXT2SVG_ADJUSTMENT_FACTOR,
                self.disable_ligatures, str(path.resolve()), START_X, START_Y,
                config.pixel_width, config.pixel_height,
            )  # fmt: skip
        return str(path.resolve())


@contextmanager
def _wide_layout() -> Iterator[None]:
    """Lay text out as at 4K whatever the output size.

    Manim hands Pango a layout box of the output's pixel size and caches the
    SVG without that size in its key: at a small size (the 160×90 test
    harness) Pango breaks long lines by itself, they overlap our own line
    breaks, and the broken SVG is then reused. A 4K box never breaks a line
    that fits the frame, so every size gets the same picture.
    """
    saved = config.pixel_width, config.pixel_height
    config.pixel_width, config.pixel_height = max(saved[0], 3840), max(saved[1], 2160)
    try:
        yield
    finally:
        config.pixel_width, config.pixel_height = saved


def math(markup: str, *, color: str, size: float = SIZE.BODY) -> MathTypst:
    """A formula from Typst math markup, e.g. ``math("nabla f = vec(2x, 2y)", color=...)``."""
    return MathTypst(markup, color=color, font_size=size * TYPST_SCALE)


def mixed(markup: str, *, color: str, size: float = SIZE.LABEL) -> Typst:
    """One line mixing text (Chinese or English) and ``$maths$``, e.g. ``"梯度 $nabla f$ 指向上坡"``."""
    preamble = f'#set text(font: "{CJK_FONT}")'
    return Typst(markup, color=color, font_size=size * TYPST_SCALE, typst_preamble=preamble)


def number(
    value: float,
    *,
    color: str,
    decimals: int = 2,
    size: float = SIZE.BODY,
    sign: bool = False,
    kind: type[DecimalNumber] = DecimalNumber,
) -> DecimalNumber:
    """A live numeric readout (digits typeset once and reused, never per frame).

    ``sign=True`` always shows + or −, so the number keeps its width as it changes sign;
    ``kind`` is the DecimalNumber class to build (e.g. the toolkit's ``FastNumber``).
    """
    return kind(
        value,
        num_decimal_places=decimals,
        mob_class=MathTypst,
        include_sign=sign,
        color=color,
        font_size=size * TYPST_SCALE,
    )


def wrap(line: str, language: str, width: float | None = None) -> str:
    """Break a caption into lines that fit the frame at caption size.

    Widths are counted in full-width characters (a Latin letter or digit counts
    as half). Chinese breaks preferably just after punctuation, never before
    it; English breaks at spaces (about 72 characters a line). Default width: 31
    full-width characters.

    Examples
    --------
    >>> print(wrap("梯度指向上坡，长度是陡峭程度。", "zh", width=8))
    梯度指向上坡，
    长度是陡峭程度。
    """
    width = width or 31
    if language != "zh":
        return textwrap.fill(line, width=int(width * 2.35), break_on_hyphens=False)
    lines, current, size, last_break = [], "", 0.0, -1
    for char in line:
        if size + _char_width(char) > width and char not in _NO_LINE_START and current:
            cut = last_break + 1 if last_break >= len(current) // 2 else len(current)
            lines.append(current[:cut])
            current = current[cut:]
            size = sum(_char_width(c) for c in current)
            last_break = -1
        current += char
        size += _char_width(char)
        if char in _BREAK_AFTER:
            last_break = len(current) - 1
    lines.append(current)
    return "\n".join(part.strip() for part in lines if part.strip())


_BREAK_AFTER = "，。；：！？、"
_NO_LINE_START = "，。；：！？、）」』"


def _char_width(char: str) -> float:
    return 0.5 if ord(char) < 0x2E80 else 1.0


def halo(mobject: VMobject, color: str, width: float = 4) -> VMobject:
    """Give text a thin outline in ``color`` so it reads over any slide colour."""
    mobject.set_stroke(color, width=width, background=True)
    return mobject
