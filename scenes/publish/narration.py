"""The narration of a rendered clip in both languages, timed by the render, checked against a dry run.

A step's time on screen does not depend on the language: each step is held
for :attr:`~scenes.toolkit.base.Narration.reading_time`, which reads both
lines. So the other language's subtitles take the rendered ``.srt``'s cue
times and the other line of each step. The lines come from a dry run of the
scene (no video, a fraction of the render's time) with the render's config,
in the other language, at the clip's frame rate; it is checked against the
render before anything is written: the same steps, the same line in the
render's language, and lengths that agree within one frame per animation (a
render rounds every animation to whole frames, a dry run does not).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scenes.publish.subtitles import Cue

__all__ = ["PublishError", "Step", "bilingual_cues", "dry_run_steps"]

LANGUAGES = ("zh", "en")


class PublishError(Exception):
    """The rendered lecture cannot be published as it is; the message says what to do."""


@dataclass(frozen=True)
class Step:
    """One teaching step as a dry run saw it: its section, both lines, its span and how many animations it played."""

    section: str
    zh: str
    en: str
    start: float
    end: float
    plays: int = 1

    def line(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


def _counting(scene_class: type) -> type:
    """``scene_class`` with a count of the ``play`` calls (waits included) of each step."""

    class Counted(scene_class):
        def play(self, *args: Any, **kwargs: Any) -> None:
            super().play(*args, **kwargs)
            self.plays_per_step[len(self.narration)] = self.plays_per_step.get(len(self.narration), 0) + 1

    Counted.__name__ = scene_class.__name__
    return Counted


def dry_run_steps(scene_class: type, language: str, theme: str, captions: bool, fps: float, config: Path) -> list[Step]:
    """Construct ``scene_class`` without writing video and return its steps.

    Parameters
    ----------
    language, theme, captions, config
        The settings of the run, handed over as to a render's child.
    fps
        The clip's frame rate, so that waits round as they did in the render.

    Examples
    --------
    >>> from scenes.catalog import find
    >>> steps = dry_run_steps(find("TangentArrow").load(), "zh", "dark", True, 15, Path("absent.toml"))  # doctest: +SKIP
    >>> steps[0].section  # doctest: +SKIP
    'curve'
    """
    from manim import tempconfig

    from scenes.toolkit.config import LectureSettings
    from scenes.toolkit.loader import handed_down

    media = Path(tempfile.gettempdir()) / "gradient-lecture-publish"
    settings = {"dry_run": True, "frame_rate": fps, "pixel_width": 160, "pixel_height": 90, "media_dir": str(media)}
    quiet = {**settings, "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}
    with handed_down(LectureSettings(language, theme, captions, config)), tempconfig(quiet):
        scene = _counting(scene_class)(skip_animations=True)
        scene.plays_per_step = {}
        scene.render()
    return [
        Step(n.section, n.zh, n.en, n.start, n.end, scene.plays_per_step.get(i, 1))
        for i, n in enumerate(scene.narration, 1)
    ]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def check_steps(scene: str, cues: list[Cue], steps: list[Step], sections: list[str], language: str, fps: float) -> None:
    """Raise :class:`PublishError` unless the dry run's ``steps`` are the rendered clip's subtitles and sections.

    Examples
    --------
    >>> check_steps("Toy", [Cue(0.0, 1.0, "One.")], [Step("first", "一。", "One.", 0.0, 0.95, 2)], ["first"], "en", 15)
    >>> check_steps("Toy", [Cue(0.0, 2.0, "One.")], [Step("first", "一。", "One.", 0.0, 1.0)], ["first"], "en", 15)
    Traceback (most recent call last):
    ...
    scenes.publish.narration.PublishError: Toy: step 'first' lasts 2.000 s in the video but 1.000 s in a dry run ...
    """
    again = f"render it again (python -m scenes render {scene} --force), then publish"
    spoken = [step for step in steps if step.end - step.start > 0]
    named = [name for name in sections if name in {step.section for step in steps}]
    if [step.section for step in steps] != named or len(spoken) != len(cues):
        raise PublishError(
            f"{scene}: the scene's steps today ({', '.join(s.section for s in steps)}) are not the rendered clip's "
            f"({len(cues)} subtitles, sections {', '.join(sections)}); {again}"
        )
    for step, cue in zip(spoken, cues, strict=True):
        if not _same_text(step.line(language), cue.text):
            raise PublishError(f"{scene}: step {step.section!r} says something else than the video's subtitle; {again}")
        slack = step.plays / fps + 0.002  # each animation rounds to whole frames in a render
        if abs((cue.end - cue.start) - (step.end - step.start)) > slack:
            raise PublishError(
                f"{scene}: step {step.section!r} lasts {cue.end - cue.start:.3f} s in the video but "
                f"{step.end - step.start:.3f} s in a dry run (more than {slack:.3f} s apart); {again}"
            )


def bilingual_cues(cues: list[Cue], steps: list[Step]) -> dict[str, list[Cue]]:
    """The rendered cues' times with each step's line, in both languages (steps already checked).

    Examples
    --------
    >>> bilingual_cues([Cue(0.0, 1.0, "One.")], [Step("first", "一。", "One.", 0.0, 0.95)])["zh"]
    [Cue(start=0.0, end=1.0, text='一。')]
    """
    spoken = [step for step in steps if step.end - step.start > 0]
    return {lang: [Cue(c.start, c.end, s.line(lang)) for c, s in zip(cues, spoken, strict=True)] for lang in LANGUAGES}


def cached_steps(cache: Path, key: dict[str, Any], run: Callable[[], list[Step]]) -> list[Step]:
    """The steps stored in ``cache`` for ``key``, else ``run()``'s, stored there for next time.

    The cache sits beside the clip under its name, so the renderer removes it
    with the clip's other leftovers when the clip renders again.
    """
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == digest:
            return [Step(**step) for step in stored["steps"]]
    except (OSError, ValueError, TypeError, KeyError):
        pass  # absent or unreadable: run again
    steps = run()
    if key.get("input_hash"):  # a clip rebuilt from its files has no hash: nothing to tie the cache to
        cache.write_text(json.dumps({"key": digest, "steps": [asdict(s) for s in steps]}, ensure_ascii=False))
    return steps
