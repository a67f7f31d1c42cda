"""Benchmark: each scene's render factor against a floor clip, the whole lecture, previews, tests.

Prints figures; it is not a pass/fail test. Absolute seconds on a shared
machine vary by half from one run to the next, so every scene is rendered
between two renders of the floor clip (``tools/floor.py``: axes, a curve, a
dot moving along it, 10 s) at the same quality, and its factor (wall seconds
per second of video) is divided by the floor's, the mean of the render just
before and the one just after. Then the whole lecture renders with ``--jobs``
equal to the core count (its wall time against the sum of the clip lengths),
every section of every scene is previewed (``render --section``) and stilled
(``--still``), and the test suite is timed.

    make bench                                    # everything: scenes at 1080p60, lecture and previews at 480p15
    make bench ARGS="--quality l --no-tests"      # a quick pass at 480p
    make bench ARGS="TangentArrow --quality l --sections last --no-lecture"
    make bench ARGS=--core                        # gradcore timings only
    make bench ARGS="--quality l --profile"       # and where each scene's time goes (cProfile, top functions)

Budgets (goals, not checks): a scene within 1.3× the floor's factor at
1080p60; the lecture at 480p15 on 2 jobs in at most a quarter of its running
time; a section preview at 480p under 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENE_BUDGET, LECTURE_BUDGET, PREVIEW_BUDGET = 1.3, 0.25, 10.0


# Section: the arithmetic (pure, tested on fake timings)


@dataclass(frozen=True)
class Timing:
    """One render: wall seconds, seconds of video, and the CPU seconds its child used (0 when unknown)."""

    wall: float
    clip: float
    cpu: float = 0.0

    @property
    def factor(self) -> float:
        """Wall seconds per second of video.

        Examples
        --------
        >>> Timing(wall=30.0, clip=12.0).factor
        2.5
        """
        return self.wall / self.clip if self.clip > 0 else float("inf")


@dataclass(frozen=True)
class SceneRow:
    """A scene's render between the floor's before and after."""

    scene: str
    render: Timing
    before: Timing
    after: Timing

    @property
    def floor(self) -> float:
        """The floor's factor beside this scene: the mean of the renders before and after.

        Examples
        --------
        >>> SceneRow("S", Timing(30, 10), Timing(9, 10), Timing(11, 10)).floor
        1.0
        """
        return (self.before.factor + self.after.factor) / 2

    @property
    def relative(self) -> float:
        """The scene's factor divided by the floor's (the number the budget is about).

        Examples
        --------
        >>> SceneRow("S", Timing(30, 10), Timing(9, 10), Timing(11, 10)).relative
        3.0
        """
        return self.render.factor / self.floor


def rows_from(floors: list[Timing], scenes: list[tuple[str, Timing]]) -> list[SceneRow]:
    """Pair each scene with the floor renders around it: ``floors[i]`` before scene ``i``, ``floors[i + 1]`` after.

    Examples
    --------
    >>> rows = rows_from([Timing(10, 10), Timing(12, 10)], [("S", Timing(22, 10))])
    >>> round(rows[0].relative, 3)
    2.0
    """
    if len(floors) != len(scenes) + 1:
        raise ValueError(f"{len(scenes)} scenes need {len(scenes) + 1} floor renders, not {len(floors)}")
    return [SceneRow(name, timing, floors[i], floors[i + 1]) for i, (name, timing) in enumerate(scenes)]


def scene_table(rows: list[SceneRow]) -> str:
    """The per-scene table: wall time, clip length, factor, floor factor, factor ÷ floor and the budget's verdict.

    Examples
    --------
    The CPU seconds of the scene's child are shown beside its wall time: on a
    shared machine they vary less.

    >>> print(scene_table([SceneRow("TangentArrow", Timing(36.0, 25.0, 30.0), Timing(10.0, 10.0), Timing(10.0, 10.0))]))
      scene                      wall s    cpu s   clip s  factor   floor  ÷ floor
      TangentArrow                 36.0     30.0     25.0    1.44    1.00     1.44  over 1.3
    """
    lines = [f"  {'scene':<24} {'wall s':>8} {'cpu s':>8} {'clip s':>8} {'factor':>7} {'floor':>7} {'÷ floor':>8}"]
    for row in rows:
        verdict = "ok" if row.relative <= SCENE_BUDGET else f"over {SCENE_BUDGET}"
        lines.append(
            f"  {row.scene:<24} {row.render.wall:8.1f} {row.render.cpu:8.1f} {row.render.clip:8.1f} {row.render.factor:7.2f} "
            f"{row.floor:7.2f} {row.relative:8.2f}  {verdict}"
        )
    return "\n".join(lines)


def lecture_line(timing: Timing, jobs: int, quality: str) -> str:
    """The whole lecture's wall time against the sum of its clip lengths.

    Examples
    --------
    >>> lecture_line(Timing(wall=60.0, clip=300.0), 2, "l")
    'lecture at -ql, 2 jobs: 60.0 s for 300.0 s of clips = 0.20 of its running time (budget 0.25: ok)'
    """
    share = timing.factor
    verdict = "ok" if share <= LECTURE_BUDGET else "over"
    return (
        f"lecture at -q{quality}, {jobs} jobs: {timing.wall:.1f} s for {timing.clip:.1f} s of clips "
        f"= {share:.2f} of its running time (budget {LECTURE_BUDGET}: {verdict})"
    )


def preview_table(previews: list[tuple[str, str, float, float]]) -> str:
    """One line per preview (scene, section or ``still: all``, wall and CPU seconds), the ones over budget marked.

    Examples
    --------
    >>> print(preview_table([("TangentArrow", "sweep", 7.25, 6.0), ("TangentArrow", "still: all", 12.0, 9.5)]))
      scene                    section                     wall s   cpu s
      TangentArrow             sweep                          7.2     6.0
      TangentArrow             still: all                    12.0     9.5  over 10.0
    """
    lines = [f"  {'scene':<24} {'section':<26} {'wall s':>7} {'cpu s':>7}"]
    for scene, section, seconds, cpu in previews:
        mark = "" if seconds < PREVIEW_BUDGET else f"  over {PREVIEW_BUDGET}"
        lines.append(f"  {scene:<24} {section[:26]:<26} {seconds:7.1f} {cpu:7.1f}{mark}")
    return "\n".join(lines)


# Section: the renders


def _floor_job():
    from scenes.catalog import Entry
    from scenes.render import Job
    from scenes.toolkit.config import LectureSettings

    return Job(0, Entry("floor", "FloorClip", "floor", directory=ROOT / "tools"), LectureSettings(), "floor")


@contextlib.contextmanager
def _profiled(folder: Path | None) -> Iterator[None]:
    """With ``folder``, run every child under cProfile, writing ``<folder>/<work folder>.prof``."""
    import scenes.render

    if folder is None:
        yield
        return
    original = scenes.render._manim_command

    def command(job, options, work):
        return ["-m", "cProfile", "-o", str(folder / f"{job.entry.scene}.prof"), *original(job, options, work)]

    scenes.render._manim_command = command
    try:
        yield
    finally:
        scenes.render._manim_command = original


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _render_one(job, options) -> Timing | None:
    from scenes.render import render_lecture

    cpu = _children_cpu()
    outcome = render_lecture([job], options)[0]
    if outcome.status != "rendered":
        print(f"  {job.entry.scene}: {outcome.status}: {outcome.error.splitlines()[0] if outcome.error else ''}")
        return None
    return Timing(outcome.seconds, outcome.clip["duration"], _children_cpu() - cpu)


def bench_scenes(jobs: list, options, profile: Path | None) -> list[SceneRow]:
    """The floor, then each scene followed by the floor again, one at a time; a failed render is left out."""
    rows = []
    before = _render_one(_floor_job(), options)
    for job in jobs:
        with _profiled(profile):
            timing = _render_one(job, options)
        after = _render_one(_floor_job(), options)
        if None not in (before, timing, after):
            rows.append(SceneRow(job.entry.scene, timing, before, after))
            print(
                f"  {job.entry.scene}: {timing.wall:.1f} s (floor {before.wall:.1f} s, {after.wall:.1f} s)", flush=True
            )
        before = after
    return rows


def print_profile(path: Path, top: int = 12) -> None:
    """The functions a child spent most of its own time in (tottime), and manim's big phases (cumtime)."""
    stats = pstats.Stats(str(path))
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    print(f"\n  {path.stem}: {total:.1f} s profiled; own time by function")
    for (file, line, name), (_, calls, own, cumulative, _) in rows:
        where = f"{Path(file).name}:{line}({name})"
        print(f"    {own:7.2f} s {100 * own / total:5.1f}%  {cumulative:7.2f} cum  {calls:>9} calls  {where[:70]}")


def bench_lecture(jobs: list, options) -> Timing | None:
    from dataclasses import replace

    from scenes.render import render_lecture

    started = time.monotonic()
    outcomes = render_lecture(jobs, replace(options, jobs=os.cpu_count() or 1))
    wall = time.monotonic() - started
    failed = [o.job.entry.scene for o in outcomes if o.status != "rendered"]
    if failed:
        print(f"  not rendered: {', '.join(failed)}")
    return Timing(wall, sum(o.clip.get("duration", 0.0) for o in outcomes))


def bench_previews(jobs: list, options, out: Path, which: str) -> list[tuple[str, str, float, float]]:
    """A still of every section, then a video preview of each section (or only the last) of each scene.

    A still that had to typeset (an empty cache: a fresh clone) says how many SVGs it added.
    """
    from scenes.preview import render_preview

    timings = []
    for job in jobs:
        before = _typeset_count(options.typeset)
        still = render_preview(job, options, out, None, still=True)
        new = _typeset_count(options.typeset) - before  # a first render typesets: that is not a preview's cost
        timings.append(
            (job.entry.scene, f"still: all, {new} typeset" if new else "still: all", still.seconds, still.cpu)
        )
        names = list(dict.fromkeys(still.sections))
        for name in names if which == "all" else names[-1:]:
            preview = render_preview(job, options, out, name)
            timings.append((job.entry.scene, name, preview.seconds, preview.cpu))
            print(f"  {job.entry.scene} / {name}: {timings[-1][2]:.1f} s", flush=True)
    return timings


def _typeset_count(cache: Path | None) -> int:
    """How many typeset SVGs the cache holds (0 without one)."""
    return 0 if cache is None else sum(1 for _ in cache.rglob("*.svg"))


def bench_tests() -> tuple[float, str]:
    """The test suite's duration and its last line."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return time.monotonic() - started, lines[-1] if lines else f"pytest exited with {result.returncode}"


# Section: gradcore


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """The shortest of ``repeats`` timings of ``run()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_core() -> None:
    """Gradient fields and descents on a million points."""
    import numpy as np

    import gradcore

    bowl = gradcore.parse("x^2 + y^2")
    valleys = gradcore.landscapes.VALLEYS
    plain = valleys.function
    starts = np.random.default_rng(0).uniform(-2, 2, size=(1000, 2))
    rows = [
        (
            "gradient_field 1000×1000, parsed (exact)",
            lambda: gradcore.gradient_field(plain, valleys.x_range, valleys.y_range, density=1000),
        ),
        (
            "gradient_field 1000×1000, plain callable",
            lambda: gradcore.gradient_field(lambda x, y: plain(x, y), valleys.x_range, valleys.y_range, density=1000),
        ),
        (
            "descend 1,000 starts × 1,000 steps, bowl",
            lambda: gradcore.descend(bowl, starts, lr=0.001, steps=1000, tol=0),
        ),
        (
            "descend 1,000 starts × 1,000 steps, valleys",
            lambda: gradcore.descend(plain, starts, lr=0.01, steps=1000, tol=0),
        ),
    ]
    print("gradcore (best of 3)")
    for name, run in rows:
        print(f"  {name:<50} {best_of(3, run):8.3f} s")


# Section: the command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="*", help="scene names (default: all)")
    parser.add_argument("--quality", default="h", choices=("l", "m", "h", "k"), help="scenes and floor (default h)")
    parser.add_argument("--lecture-quality", default="l", choices=("l", "m", "h", "k"), help="lecture and previews")
    parser.add_argument("--sections", choices=("all", "last", "none"), default="all", help="sections to preview")
    parser.add_argument("--core", action="store_true", help="gradcore timings only")
    parser.add_argument("--no-core", action="store_true", help="skip the gradcore timings")
    parser.add_argument("--no-scenes", action="store_true", help="skip the per-scene table")
    parser.add_argument("--no-lecture", action="store_true", help="skip the whole-lecture render")
    parser.add_argument("--no-tests", action="store_true", help="skip timing the test suite")
    parser.add_argument("--no-typeset-cache", action="store_true", help="typeset afresh in every job")
    parser.add_argument("--profile", action="store_true", help="profile each scene's render (cProfile)")
    return parser


def main(argv: list[str] | None = None) -> None:
    from dataclasses import replace

    from scenes.__main__ import _prepare_jobs
    from scenes.render import RenderOptions

    args = _parser().parse_args(argv)
    if not args.no_core:
        bench_core()
    if args.core:
        return
    jobs = _prepare_jobs(args.scenes)
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        cache = None if args.no_typeset_cache else ROOT / "media" / "typeset"
        options = RenderOptions(quality=args.quality, jobs=1, force=True, out=work / "scenes", typeset=cache)
        print(f"\ntypesetting cache: {cache or 'off'}")
        if not args.no_scenes:
            profile = work / "profiles" if args.profile else None
            if profile:
                profile.mkdir()
            print(
                f"\nscenes at -q{args.quality}, one at a time, each between two renders of the floor (tools/floor.py)"
            )
            rows = bench_scenes(jobs, options, profile)
            print(scene_table(rows))
            for file in sorted(profile.glob("*.prof")) if profile else ():
                print_profile(file)
        low = replace(options, quality=args.lecture_quality, out=work / "lecture")
        if not args.no_lecture:
            print()
            timing = bench_lecture(jobs, low)
            print(lecture_line(timing, os.cpu_count() or 1, args.lecture_quality))
        if args.sections != "none":
            print(f"\npreviews at -q{args.lecture_quality} (budget {PREVIEW_BUDGET} s each)")
            print(preview_table(bench_previews(jobs, low, work / "preview", args.sections)))
    if not args.no_tests:
        seconds, last = bench_tests()
        print(f"\ntest suite: {seconds:.1f} s ({last})")


if __name__ == "__main__":
    main()
