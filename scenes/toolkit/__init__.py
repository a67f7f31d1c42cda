"""Shared footing of every lecture scene: config, theme, text, base scenes."""

from scenes.toolkit.base import LectureScene, LectureThreeDScene, Narration
from scenes.toolkit.config import ConfigError, Param
from scenes.toolkit.glyphs import speed_up_glyphs
from scenes.toolkit.text import SIZE
from scenes.toolkit.theme import PALETTES, Palette

speed_up_glyphs()  # before any scene typesets: glyphs copy cheaply and are parsed once

__all__ = ["PALETTES", "SIZE", "ConfigError", "LectureScene", "LectureThreeDScene", "Narration", "Palette", "Param"]
