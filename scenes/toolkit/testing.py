"""A harness for scene tests: construct a scene headlessly, inspect its mobjects.

``run_scene`` builds a scene at a tiny resolution with Manim's dry run (no
video written), with any config tables and language/theme you pass, and can
call a probe after every ``play``/``wait`` so a test can read positions and
values at chosen moments. ``last_frame`` renders only the final frame to an
array; ``key_frames`` renders the last frame of every section, for
comparisons with stored pictures.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from manim import tempconfig

from scenes.toolkit.config import LectureSettings
from scenes.toolkit.layout import layout_problems
from scenes.toolkit.loader import handed_down
from scenes.toolkit.text import wrap

__all__ = ["Snapshot", "check_storyboard", "key_frames", "last_frame", "lecture_env", "run_scene", "toml_text"]

TINY = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5}
_CACHE = Path(tempfile.gettempdir()) / "gradient-lecture-tests"


def toml_text(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """Write tables as TOML (numbers, strings, booleans and lists of them)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list | tuple):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)

    lines = []
    for table, items in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {value(v)}" for key, v in items.items()]
        lines.append("")
    return "\n".join(lines)


@contextmanager
def lecture_env(
    tables: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    language: str = "en",
    theme: str = "dark",
    captions: bool = True,
) -> Iterator[Path]:
    """Hand an in-process scene a temporary config holding ``tables`` for the duration.

    The settings travel the way the renderer hands them to a ``manim render``
    child (:func:`~scenes.toolkit.loader.to_environment`); the environment is
    restored afterwards. Yields the config file's path.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lecture.toml"
        path.write_text(toml_text(tables or {}), encoding="utf-8")
        with handed_down(LectureSettings(language, theme, captions, path)):
            yield path


class Snapshot(dict):
    """What a probe returned after one ``play``/``wait``, with the section it happened in."""


def _settings(extra: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **TINY,
        "media_dir": str(_CACHE),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        **extra,
    }


def run_scene(
    scene_class: type,
    tables: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    language: str = "en",
    theme: str = "dark",
    captions: bool = True,
    probe: Callable[[Any], Mapping[str, Any]] | None = None,
) -> Any:
    """Construct ``scene_class`` headlessly (dry run, tiny resolution) and return the scene.

    Parameters
    ----------
    tables
        Config tables to use instead of ``lecture.toml``, e.g. ``{"tangent": {"point": 0.5}}``.
    probe
        Called after every ``play``/``wait`` with the scene; what it returns is
        kept in ``scene.snapshots`` (a list of :class:`Snapshot`, each with a
        ``"section"`` key added).

    The names passed to ``next_section`` are kept in ``scene.section_names``; what the
    layout gate (:func:`~scenes.toolkit.layout.layout_problems`) finds after every
    ``play``/``wait`` is kept in ``scene.layout_log`` as ``(section, problem)`` pairs.
    """

    class Probed(scene_class):
        def next_section(self, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
            self.section_names.append(name)  # a dry run writes no section files, so record the names
            super().next_section(name, *args, **kwargs)

        def play(self, *args: Any, **kwargs: Any) -> None:  # Scene.wait plays a Wait, so waits land here too
            super().play(*args, **kwargs)
            section = self.narration[-1].section if self.narration else None
            for problem in layout_problems(self):
                if (section, problem) not in self.layout_log:  # each problem once per section
                    self.layout_log.append((section, problem))
            if probe is not None:
                self.snapshots.append(
                    Snapshot(probe(self), section=self.narration[-1].section if self.narration else None)
                )

    Probed.__name__ = scene_class.__name__
    with (
        lecture_env(tables, language=language, theme=theme, captions=captions),
        tempconfig(_settings({"dry_run": True})),
    ):
        scene = Probed(skip_animations=True)
        scene.snapshots, scene.section_names, scene.layout_log = [], [], []
        scene.render()
    return scene


def last_frame(
    scene_class: type,
    tables: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    language: str = "en",
    theme: str = "dark",
    captions: bool = True,
) -> np.ndarray:
    """The scene's last frame as an RGBA array at 160×90, without writing a video."""
    with (
        lecture_env(tables, language=language, theme=theme, captions=captions),
        tempconfig(_settings({"write_to_movie": False, "save_last_frame": False, "skip_animations": True})),
    ):
        scene = scene_class()
        scene.render()
        scene.renderer.update_frame(scene)
        return np.array(scene.renderer.get_frame())


def key_frames(
    scene_class: type,
    tables: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    language: str = "en",
    theme: str = "dark",
    captions: bool = True,
) -> dict[str, np.ndarray]:
    """The last frame of each section (RGB, 160×90), keyed by section name, in the order shown.

    A frame is taken when the next step begins (before its caption appears)
    and once more when the scene ends.
    """
    frames: dict[str, np.ndarray] = {}

    class Framed(scene_class):
        def _grab(self) -> None:
            if self.narration:
                renderer = self.renderer
                background, renderer.static_image = renderer.static_image, None  # else what it holds is drawn twice
                renderer.update_frame(self)
                renderer.static_image = background
                frames[self.narration[-1].section] = np.array(renderer.get_frame())[..., :3]

        def next_section(self, *args: Any, **kwargs: Any) -> None:
            self._grab()
            super().next_section(*args, **kwargs)

        def tear_down(self) -> None:
            self._grab()
            super().tear_down()

    Framed.__name__ = scene_class.__name__
    with (
        lecture_env(tables, language=language, theme=theme, captions=captions),
        tempconfig(_settings({"dry_run": True})),
    ):
        Framed().render()
    return frames


def _hanzi(line: str) -> int:
    return sum("\u4e00" <= c <= "\u9fff" for c in line)


def check_storyboard(scene: Any, sections: list[str]) -> None:
    """Assert what every lecture scene owes its narration, after :func:`run_scene`.

    The sections are the storyboard's steps, in order, each with a Chinese and an
    English line that wraps to at most two caption lines, written as the
    subtitles in the scene's language, and on screen for its reading time
    (see :attr:`~scenes.toolkit.base.Narration.reading_time`); and the layout gate
    found nothing wrong at any moment it looked.
    """
    assert scene.section_names == sections
    assert [line.section for line in scene.narration] == sections
    subtitles = [s.content for s in scene.renderer.file_writer.subcaptions]
    assert subtitles == [line.line(scene.language) for line in scene.narration]
    for line in scene.narration:
        assert _hanzi(line.zh) > 0 and line.en and _hanzi(line.en) == 0, line
        for language in ("zh", "en"):
            assert len(wrap(line.line(language), language).split("\n")) <= 2, (language, line)  # caption band
        assert line.end - line.start >= line.reading_time - 1e-9, line
    assert not scene.layout_log, "layout gate:\n" + "\n".join(f"  [{s}] {p}" for s, p in scene.layout_log)
