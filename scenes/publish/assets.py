"""What a rendered clip gains beside its files: subtitles in both languages as SubRip and WebVTT, section posters.

For a clip ``NN_Scene`` in a render folder::

    NN_Scene.vtt                      the renderer's NN_Scene.srt as WebVTT
    NN_Scene.zh.srt / .zh.vtt         Chinese subtitles, timed by the video
    NN_Scene.en.srt / .en.vtt         English subtitles, timed by the video
    NN_Scene.chapters.vtt             one cue per section, named by its step
    NN_Scene.steps.json               the dry run's steps (a cache, tied to the clip's input hash)
    NN_Scene_sections/<section>.png   the section's poster frame
    NN_Scene_sections/<section>.zh.srt, .zh.vtt, .en.srt, .en.vtt

Every name starts with the clip's, so when the clip renders again the
renderer removes them with its other leftovers and nothing stale stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scenes.chapters import title as chapter_title
from scenes.publish.narration import LANGUAGES, PublishError, Step, bilingual_cues, cached_steps, check_steps
from scenes.publish.posters import choose_poster
from scenes.publish.subtitles import Cue, format_srt, format_vtt, parse_srt, section_cues

__all__ = ["ClipAssets", "PublishError", "SectionAssets", "catalog_steps", "write_clip_assets"]

StepSource = Callable[[Path, dict, str], list[Step] | None]  # (render folder, clip entry, language) -> steps or None


@dataclass
class SectionAssets:
    """One section of a clip, with its files (names relative to the render folder)."""

    name: str
    start: float
    duration: float
    video: str
    poster: str
    poster_time: float
    drawn: float
    subtitles: dict[str, str] = field(default_factory=dict)  # language -> .vtt (the .srt beside it)
    lines: dict[str, str] = field(default_factory=dict)  # language -> the step's narration


@dataclass
class ClipAssets:
    """One clip with everything published of it."""

    index: int
    scene: str
    video: str
    duration: float
    resolution: list[int]
    language: str
    sections: list[SectionAssets]
    subtitles: dict[str, str] = field(default_factory=dict)  # language -> .vtt
    chapters: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def poster(self) -> str:
        """The clip's poster: the most drawn section's, the summary card (last section) only if it is the only one."""
        candidates = self.sections[:-1] if len(self.sections) > 1 else self.sections
        return max(candidates, key=lambda s: s.drawn).poster if candidates else ""


def _write_pair(folder: Path, stem: str, cues: list[Cue]) -> str:
    """``stem.srt`` and ``stem.vtt`` of ``cues``; the .vtt's name."""
    (folder / f"{stem}.srt").write_text(format_srt(cues), encoding="utf-8")
    (folder / f"{stem}.vtt").write_text(format_vtt(cues), encoding="utf-8")
    return f"{stem}.vtt"


def _tracks(folder: Path, clip: dict, steps_for: StepSource, language: str) -> tuple[dict, list[Step], list[str]]:
    """The clip's cues by language, its steps and warnings; the .vtt twin of the rendered .srt is written."""
    stem, srt = Path(clip["files"]["video"]).stem, clip["files"].get("subtitles")
    if not srt:
        return {}, [], [f"{clip['scene']}: no subtitles were rendered, so none are published"]
    cues = parse_srt((folder / srt).read_text(encoding="utf-8"))
    (folder / f"{stem}.vtt").write_text(format_vtt(cues), encoding="utf-8")
    other = next(lang for lang in LANGUAGES if lang != language)
    steps = steps_for(folder, clip, other)
    if steps is None:
        return {language: cues}, [], [f"{clip['scene']}: not in the lecture's catalog, so only {language} subtitles"]
    check_steps(clip["scene"], cues, steps, [s["name"] for s in clip.get("sections", [])], language, clip["fps"])
    return bilingual_cues(cues, steps), steps, []


def _section(folder: Path, clip: dict, section: dict, tracks: dict, steps: dict[str, Step]) -> SectionAssets:
    video = folder / section["file"]
    poster = choose_poster(video)
    poster_name = str(Path(section["file"]).with_suffix(".png"))
    poster.image.save(folder / poster_name)
    assets = SectionAssets(
        section["name"], section["start"], section["duration"], section["file"], poster_name, poster.time, poster.drawn
    )
    for lang, cues in tracks.items():
        part = section_cues(cues, section["start"], section["duration"])
        assets.subtitles[lang] = str(
            Path(section["file"]).parent / _write_pair(video.parent, f"{video.stem}.{lang}", part)
        )
    step = steps.get(section["name"])
    assets.lines = {lang: step.line(lang) for lang in LANGUAGES} if step else {}
    return assets


def write_clip_assets(folder: Path, clip: dict, language: str, steps_for: StepSource) -> ClipAssets:
    """Write the subtitles and posters of one clip of the render folder ``folder`` (see the module's list).

    Parameters
    ----------
    clip
        The clip's manifest entry.
    language
        The language the clip was rendered in.
    steps_for
        Gives the clip's steps from a dry run in a language (see
        :func:`scenes.publish.narration.dry_run_steps`), or None.

    Raises
    ------
    PublishError
        The scene's steps today are not the rendered clip's.

    Examples
    --------
    >>> assets = write_clip_assets(Path("media/lecture/en-dark-l"), clip, "en", steps_for)  # doctest: +SKIP
    >>> assets.subtitles["zh"]  # doctest: +SKIP
    '01_TangentArrow.zh.vtt'
    """
    stem = Path(clip["files"]["video"]).stem
    tracks, steps, warnings = _tracks(folder, clip, steps_for, language)
    subtitles = {lang: _write_pair(folder, f"{stem}.{lang}", cues) for lang, cues in tracks.items()}
    by_name = {step.section: step for step in steps}
    sections = [_section(folder, clip, section, tracks, by_name) for section in clip.get("sections", [])]
    chapters = [Cue(s.start, round(s.start + s.duration, 3), chapter_title(s.name, language)) for s in sections]
    (folder / f"{stem}.chapters.vtt").write_text(format_vtt(chapters), encoding="utf-8")
    resolution = list(clip.get("resolution", [0, 0]))
    assets = ClipAssets(
        clip["index"], clip["scene"], clip["files"]["video"], clip["duration"], resolution, language, sections
    )
    assets.subtitles, assets.chapters, assets.warnings = subtitles, f"{stem}.chapters.vtt", warnings
    return assets


def catalog_steps(config: Path, theme: str, captions: bool, entries: dict[str, object] | None = None) -> StepSource:
    """A :data:`StepSource` that dry-runs the catalog's scene (or ``entries[scene]``) with ``config``, cached per clip.

    Examples
    --------
    >>> steps_for = catalog_steps(Path("lecture.toml"), "dark", True)
    >>> callable(steps_for)
    True
    """
    from scenes import catalog
    from scenes.publish.narration import dry_run_steps

    def steps_for(folder: Path, clip: dict, language: str) -> list[Step] | None:
        entry = (entries or {}).get(clip["scene"])
        if entry is None:
            try:
                entry = catalog.find(clip["scene"])
            except KeyError:
                return None
        scene_class = entry.load()
        key = {
            "input_hash": clip.get("input_hash", ""),
            "language": language,
            "fps": clip["fps"],
            "config": str(config),
        }
        key |= {
            "theme": theme,
            "captions": captions,
            "config_text": config.read_text("utf-8") if config.exists() else "",
        }
        cache = folder / f"{Path(clip['files']['video']).stem}.steps.json"
        return cached_steps(
            cache, key, lambda: dry_run_steps(scene_class, language, theme, captions, clip["fps"], config)
        )

    return steps_for
