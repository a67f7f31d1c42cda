"""Fades of many mobjects at once, for ``self.play(*fade_in(a, b), *fade_out(c))``."""

from __future__ import annotations

from manim import FadeIn, FadeOut, Mobject

__all__ = ["fade_in", "fade_out"]


def fade_in(*mobjects: Mobject) -> list[FadeIn]:
    """One ``FadeIn`` per mobject.

    Examples
    --------
    >>> from manim import Dot
    >>> [type(a).__name__ for a in fade_in(Dot(), Dot())]
    ['FadeIn', 'FadeIn']
    """
    return [FadeIn(m) for m in mobjects]


def fade_out(*mobjects: Mobject) -> list[FadeOut]:
    """One ``FadeOut`` per mobject.

    Examples
    --------
    >>> from manim import Dot
    >>> len(fade_out(Dot(), Dot(), Dot()))
    3
    """
    return [FadeOut(m) for m in mobjects]
