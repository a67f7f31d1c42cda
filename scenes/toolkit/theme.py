"""Palettes for dark (default) and light (white slide decks) backgrounds.

Every colour a scene uses comes from its :class:`Palette`, so switching the
theme changes the whole clip. Colours are hex strings (manim accepts them).
Every colour that draws text or thin lines has a contrast of at least 4.5 : 1
against its background (WCAG's rule for body text; tests/test_toolkit.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DARK", "LIGHT", "PALETTES", "Palette"]


@dataclass(frozen=True)
class Palette:
    """Named roles, not hues: a scene asks for ``gradient``, not for ``yellow``."""

    name: str
    background: str
    text: str  # body text and formulas
    muted: str  # secondary labels, tick numbers
    axes: str
    grid: str
    curve: str  # the function being studied
    tangent: str  # tangent lines and slopes
    gradient: str  # ∇f arrows: uphill
    descent: str  # −∇f, steps downhill, balls
    direction: str  # a chosen direction u
    highlight: str  # the thing to look at now
    good: str  # converged, global minimum
    warn: str  # local minimum, diverged
    caption_box: str  # box behind on-screen captions
    outline: str  # halo behind text so it reads over any slide
    surface: tuple[str, str]  # low and high colours of a 3D surface
    magnitude: tuple[str, ...]  # colour scale for arrow magnitudes, low → high
    series: tuple[str, ...]  # distinct colours for several balls or curves


DARK = Palette(
    name="dark",
    background="#101418",
    text="#F2F2F2",
    muted="#A0A8B0",
    axes="#C8CDD2",
    grid="#2C3540",
    curve="#58C4DD",
    tangent="#FFD166",
    gradient="#FF6B6B",
    descent="#83E377",
    direction="#C792EA",
    highlight="#FFD166",
    good="#83E377",
    warn="#FF9F43",
    caption_box="#000000",
    outline="#000000",
    surface=("#1F4E79", "#7FD1E8"),
    magnitude=("#5B8DEF", "#83E377", "#FFD166", "#FF6B6B"),
    series=("#FF6B6B", "#FFD166", "#83E377", "#58C4DD", "#C792EA", "#FF9F43"),
)

LIGHT = Palette(
    name="light",
    background="#FFFFFF",
    text="#1B1F24",
    muted="#5C6670",
    axes="#3A424A",
    grid="#DDE3E8",
    curve="#1F77B4",
    tangent="#8F6A00",
    gradient="#D62828",
    descent="#237F37",
    direction="#7B3FA0",
    highlight="#B05A00",
    good="#237F37",
    warn="#B05A00",
    caption_box="#FFFFFF",
    outline="#FFFFFF",
    surface=("#1F4E79", "#9FC8E0"),
    magnitude=("#1F77B4", "#237F37", "#8A6D00", "#D62828"),
    series=("#D62828", "#B05A00", "#237F37", "#1F77B4", "#7B3FA0", "#8C564B"),
)

PALETTES = {p.name: p for p in (DARK, LIGHT)}
