"""Batch renderer: every clip of the lecture, redoing only what changed.

Each scene renders in its own ``manim render`` process (up to ``jobs`` at
once) into a hidden work folder, and only a complete render is moved into
``<out>/<lang>-<theme>-<quality>/``. A scene whose inputs (its module, the
toolkit, gradcore, its config table, the render options) hash as before is
skipped. ``manifest.json`` lists every clip with its files, duration,
resolution, fps, sections and input hash; an entry that is missing, damaged or
from an older version only means that clip renders again.

The settings reach each child through its environment (see
:func:`scenes.toolkit.loader.to_environment`); this process's own environment
is never changed. Every config was checked before the first child starts, so a
child that fails is reported with the end of what it printed, not re-diagnosed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes import catalog
from scenes.toolkit.config import PROJECT_ROOT, LectureSettings
from scenes.toolkit.loader import to_environment

__all__ = ["Job", "Outcome", "RenderOptions", "input_hash", "read_manifest", "render_lecture"]

QUALITY_FOLDERS = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
HASHED_SOURCES = ("scenes/toolkit", "scenes/catalog.py", "gradcore")


@dataclass(frozen=True)
class RenderOptions:
    """What the user asked for on the command line."""

    quality: str = "l"
    transparent: bool = False
    jobs: int = os.cpu_count() or 1
    force: bool = False
    out: Path = PROJECT_ROOT / "media" / "lecture"


@dataclass
class Job:
    """One scene to render, with everything its output depends on."""

    index: int
    entry: catalog.Entry
    settings: LectureSettings  # checked, with the config file's path: handed to the child as they are
    fingerprint: str  # the scene's resolved config table
    hash: str = ""


@dataclass
class Outcome:
    """What happened to one job."""

    job: Job
    status: str  # rendered | skipped | failed | interrupted
    seconds: float = 0.0
    clip: dict = field(default_factory=dict)
    error: str = ""  # first line: what went wrong; then, for a failed child, the end of its stderr


def _source_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def input_hash(job: Job, options: RenderOptions) -> str:
    """Hash of everything a clip depends on; equal hashes mean the old clip is still right."""
    import manim

    sources = [job.entry.path, *(PROJECT_ROOT / p for p in HASHED_SOURCES)]
    parts = {
        "sources": _source_digest(sources),
        "table": job.fingerprint,
        "language": job.settings.language,
        "theme": job.settings.theme,
        "captions": job.settings.captions,
        "quality": options.quality,
        "transparent": options.transparent,
        "manim": manim.__version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def output_folder(settings: LectureSettings, options: RenderOptions) -> Path:
    return options.out / f"{settings.language}-{settings.theme}-{options.quality}"


def clip_stem(job: Job) -> str:
    return f"{job.index:02d}_{job.entry.scene}"


def _is_clip(entry: Any) -> bool:
    """Whether a manifest entry holds what the renderer and ``list`` read, with the right types."""
    if not isinstance(entry, dict):
        return False
    files, duration = entry.get("files"), entry.get("duration")
    return (
        isinstance(entry.get("scene"), str)
        and isinstance(entry.get("input_hash"), str)
        and isinstance(duration, int | float)
        and not isinstance(duration, bool)
        and math.isfinite(duration)
        and isinstance(files, dict)
        and isinstance(files.get("video"), str)
        and all(isinstance(name, str) for name in files.values())
    )


def read_manifest(folder: Path) -> dict:
    """The ``manifest.json`` in ``folder``, keeping only the clip entries that are whole.

    A missing, unreadable or damaged file reads as no clips; an entry with a
    key missing (``files``, ``scene``, ``duration``, ``input_hash``) or of the
    wrong type, as written by an older version, is left out. Either way the
    clip is simply rendered again.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "manifest.json").write_text('{"clips": [{"scene": "TangentArrow", "duration": 9.5}]}')
    >>> read_manifest(folder)
    {'clips': []}
    """
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # ValueError: not JSON, or not UTF-8
        return {"clips": []}
    if not isinstance(data, dict):
        return {"clips": []}
    clips = data.get("clips")
    return {**data, "clips": [clip for clip in clips if _is_clip(clip)] if isinstance(clips, list) else []}


def write_manifest(folder: Path, manifest: dict) -> None:
    tmp = folder / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")


def _is_current(clip: dict | None, folder: Path, job: Job) -> bool:
    if not clip or clip["input_hash"] != job.hash:
        return False
    return all((folder / name).exists() for name in clip["files"].values())


def probe_video(path: Path) -> dict:
    """Duration, resolution and fps of a rendered clip, read with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = (
            float(stream.duration * stream.time_base) if stream.duration else float(container.duration or 0) / 1e6
        )
        return {
            "duration": round(duration, 3),
            "resolution": [stream.codec_context.width, stream.codec_context.height],
            "fps": round(float(stream.base_rate or stream.average_rate or 0), 3),
        }


def save_last_frame(video: Path, png: Path) -> None:
    """Write the clip's last frame as a PNG thumbnail."""
    import av

    last = None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            last = frame
    if last is not None:
        last.to_image().save(png)


def _manim_command(job: Job, options: RenderOptions, work: Path) -> list[str]:
    command = [sys.executable, "-m", "manim", "render", f"-q{options.quality}", "--save_sections"]
    command += ["--media_dir", str(work), "--progress_bar", "none", "--disable_caching"]
    if options.transparent:
        command.append("-t")
    return [*command, str(job.entry.path), job.entry.scene]


def _collect(job: Job, options: RenderOptions, work: Path, folder: Path) -> dict:
    """Move a finished render from ``work`` into ``folder``; return its manifest entry."""
    videos = [p for p in (work / "videos").rglob(f"{job.entry.scene}.*") if p.suffix in (".mp4", ".mov", ".webm")]
    if not videos:
        raise RuntimeError("manim finished but wrote no video")
    video = videos[0]
    stem = clip_stem(job)
    info = probe_video(video)
    staged = work / "staged"
    staged.mkdir()
    files = {"video": f"{stem}{video.suffix}", "thumbnail": f"{stem}.png"}
    shutil.copy2(video, staged / files["video"])
    save_last_frame(video, staged / files["thumbnail"])
    srt = video.with_suffix(".srt")
    if srt.exists():
        files["subtitles"] = f"{stem}.srt"
        shutil.copy2(srt, staged / files["subtitles"])
    sections = []
    index_file = video.parent / "sections" / f"{job.entry.scene}.json"
    if index_file.exists():
        (staged / f"{stem}_sections").mkdir()
        start = 0.0
        for section in json.loads(index_file.read_text(encoding="utf-8")):
            source = video.parent / "sections" / section["video"]
            name = f"{stem}_sections/{section['video'].replace(job.entry.scene, stem, 1)}"
            shutil.copy2(source, staged / name)
            duration = float(section["duration"]) if "duration" in section else probe_video(source)["duration"]
            sections.append({"name": section["name"], "start": round(start, 3), "duration": duration, "file": name})
            start += duration
        files["sections"] = f"{stem}_sections"
    # Move into place only now that everything is complete: old files stay until this point.
    for old in folder.glob(f"{stem}*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    for item in staged.iterdir():
        os.replace(item, folder / item.name)
    return {
        "index": job.index,
        "scene": job.entry.scene,
        "module": f"scenes/{job.entry.module}.py",
        "files": files,
        **info,
        "sections": sections,
        "input_hash": job.hash,
    }


def failure_message(returncode: int, stderr: str, tail: int = 12) -> str:
    """What a failed child said: its exit code and last line, then the last ``tail`` lines of its stderr.

    Examples
    --------
    >>> print(failure_message(1, "Traceback (most recent call last):\\n\\nRuntimeError: boom\\n"))
    manim exited with 1: RuntimeError: boom
        Traceback (most recent call last):
        RuntimeError: boom
    """
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()][-tail:]
    if not lines:
        return f"manim exited with {returncode} and printed nothing on stderr"
    return f"manim exited with {returncode}: {lines[-1].strip()}\n" + "\n".join(f"    {line}" for line in lines)


class Progress:
    """Thread-safe progress lines: scene i/N, what is rendering, elapsed."""

    def __init__(self, jobs: list[Job]):
        self.position = {job.index: i for i, job in enumerate(jobs, 1)}
        self.total, self.started, self.lock = len(jobs), time.monotonic(), threading.Lock()

    def say(self, job: Job, message: str) -> None:
        with self.lock:
            elapsed = time.monotonic() - self.started
            where = f"[{self.position[job.index]}/{self.total}]"
            print(f"{where} {job.entry.scene:<24} {message}  ({elapsed:5.1f} s)", flush=True)


def _run(job: Job, options: RenderOptions, folder: Path, progress: Progress, running: dict) -> Outcome:
    start = time.monotonic()
    work = folder / ".work" / clip_stem(job)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, **to_environment(job.settings)}  # the child's copy; ours stays as it is
    progress.say(job, "rendering…")
    try:
        process = subprocess.Popen(
            _manim_command(job, options, work),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        running[job.index] = process
        _, stderr = process.communicate()
        running.pop(job.index, None)
        if process.returncode != 0:
            raise RuntimeError(failure_message(process.returncode, stderr))
        clip = _collect(job, options, work, folder)
        outcome = Outcome(job, "rendered", time.monotonic() - start, clip)
        progress.say(job, f"rendered {clip['duration']:.1f} s of video")
    except Exception as error:  # one failing scene must not stop the others
        outcome = Outcome(job, "failed", time.monotonic() - start, error=str(error) or repr(error))
        progress.say(job, f"FAILED: {outcome.error.splitlines()[0]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return outcome


def render_lecture(jobs: list[Job], options: RenderOptions) -> list[Outcome]:
    """Render (or skip) each job; returns one outcome per job in lecture order."""
    if not jobs:
        return []
    folder = output_folder(jobs[0].settings, options)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder)
    previous = {clip["scene"]: clip for clip in manifest.get("clips", [])}
    progress = Progress(jobs)
    outcomes: dict[int, Outcome] = {}
    todo = []
    for job in jobs:
        job.hash = input_hash(job, options)
        if not options.force and _is_current(previous.get(job.entry.scene), folder, job):
            outcomes[job.index] = Outcome(job, "skipped", clip=previous[job.entry.scene])
            progress.say(job, "unchanged, skipped")
        else:
            todo.append(job)
    running: dict[int, subprocess.Popen] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs))
    try:
        futures = [pool.submit(_run, job, options, folder, progress, running) for job in todo]
        for future in futures:
            outcome = future.result()
            outcomes[outcome.job.index] = outcome
    except KeyboardInterrupt:
        for process in list(running.values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(folder / ".work", ignore_errors=True)
        raise
    pool.shutdown()
    shutil.rmtree(folder / ".work", ignore_errors=True)
    for outcome in outcomes.values():
        if outcome.status == "rendered":
            previous[outcome.job.entry.scene] = outcome.clip
    order = {entry.scene: i for i, entry in enumerate(catalog.LECTURE)}
    manifest = {
        "language": jobs[0].settings.language,
        "theme": jobs[0].settings.theme,
        "captions": jobs[0].settings.captions,
        "quality": options.quality,
        "transparent": options.transparent,
        "clips": sorted(previous.values(), key=lambda clip: order.get(clip["scene"], 99)),
    }
    write_manifest(folder, manifest)
    return [outcomes[job.index] for job in jobs]
