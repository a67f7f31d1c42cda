"""Shared footing of every lecture scene: config, theme, text, base scenes."""

from scenes.toolkit.base import LectureScene, LectureThreeDScene, Narration
from scenes.toolkit.config import ConfigError, Param
from scenes.toolkit.text import SIZE
from scenes.toolkit.theme import PALETTES, Palette

__all__ = ["PALETTES", "SIZE", "ConfigError", "LectureScene", "LectureThreeDScene", "Narration", "Palette", "Param"]
