"""Command line: ``python -m scenes render`` builds the lecture, ``python -m scenes list`` shows it.

Examples::

    python -m scenes list
    python -m scenes render                       # every scene, 480p, config language and theme
    python -m scenes render TangentArrow --quality h --lang en --theme light

Every config is checked here, before anything renders; a problem prints
``error: …`` and exits with 2. The settings reach each ``manim render`` child
through that child's environment only: this process's own is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes import catalog
from scenes.toolkit.config import DEFAULT_CONFIG, ConfigError

if TYPE_CHECKING:
    from scenes.render import Job

QUALITIES = ("l", "m", "h", "k")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scenes", description="Render the gradient lecture.")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render scenes into lecture clips")
    render.add_argument("scenes", nargs="*", help="scene class names (default: all, in lecture order)")
    render.add_argument("--quality", "-q", choices=QUALITIES, default="l", help="l=480p15 m=720p30 h=1080p60 k=2160p60")
    render.add_argument("--lang", choices=("zh", "en"), help="narration language (default: lecture.toml)")
    render.add_argument("--theme", choices=("dark", "light"), help="palette (default: lecture.toml)")
    render.add_argument("--transparent", action="store_true", help="transparent background (.mov with alpha)")
    render.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel renders")
    render.add_argument("--force", action="store_true", help="render even when nothing changed")
    render.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="config file (default: lecture.toml)")
    render.add_argument("--out", type=Path, default=Path("media/lecture"), help="output folder")
    listing = commands.add_parser("list", help="print the scenes in lecture order")
    listing.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    listing.add_argument("--out", type=Path, default=Path("media/lecture"))
    commands.add_parser("config", help="print a lecture.toml with every parameter at its default")
    return parser


def _select(names: list[str]) -> list[catalog.Entry]:
    """The catalog entries named (all of them when none is), as a :class:`ConfigError` if one is unknown."""
    try:
        return [catalog.find(name) for name in names] if names else catalog.available()
    except KeyError as error:
        raise ConfigError(error.args[0]) from None


def _prepare_jobs(names: list[str], path: Path | None = None, overrides: Mapping[str, Any] | None = None) -> list[Job]:
    """Check the config for every selected scene before anything renders.

    Parameters
    ----------
    names
        Scene class or module names; empty means the whole lecture.
    path, overrides
        As for :func:`scenes.toolkit.loader.load_scene_config`.

    Raises
    ------
    ConfigError
        An unknown scene name, or any problem in the config.
    """
    from scenes.render import Job
    from scenes.toolkit.loader import load_scene_config

    jobs = []
    for entry in _select(names):
        settings, params = load_scene_config(entry.load(), path, overrides)
        jobs.append(Job(catalog.LECTURE.index(entry) + 1, entry, settings, params.fingerprint()))
    return jobs


def _render(args: argparse.Namespace) -> int:
    from scenes.render import RenderOptions, output_folder, render_lecture

    jobs = _prepare_jobs(args.scenes, args.config.resolve(), {"language": args.lang, "theme": args.theme})
    options = RenderOptions(
        quality=args.quality, transparent=args.transparent, jobs=args.jobs, force=args.force, out=args.out.resolve()
    )
    started = time.monotonic()
    outcomes = render_lecture(jobs, options)
    folder = output_folder(jobs[0].settings, options) if jobs else options.out
    print(f"\n{'#':>2}  {'scene':<24} {'status':<9} {'wall s':>7} {'clip s':>7}  file / error")
    for outcome in outcomes:
        clip = outcome.clip
        detail = outcome.error.splitlines()[0] if outcome.error else clip.get("files", {}).get("video", "")
        duration = f"{clip['duration']:7.1f}" if clip else "      –"
        print(
            f"{outcome.job.index:>2}  {outcome.job.entry.scene:<24} {outcome.status:<9} "
            f"{outcome.seconds:7.1f} {duration}  {detail}"
        )
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        print(f"\n{outcome.job.entry.scene} failed: {outcome.error}")
    print(
        f"\n{len(outcomes) - len(failed)} of {len(outcomes)} clips ready in {folder} "
        f"({time.monotonic() - started:.1f} s)"
    )
    return 1 if failed else 0


def _list(args: argparse.Namespace) -> int:
    from scenes.render import read_manifest

    lengths: dict[str, float] = {}
    for manifest in sorted(args.out.glob("*/manifest.json")):
        for clip in read_manifest(manifest.parent).get("clips", []):
            lengths.setdefault(clip["scene"], clip["duration"])
    print(f"{'#':>2}  {'scene':<24} {'module':<28} {'table':<16} clip s")
    for entry in catalog.available():
        i = catalog.LECTURE.index(entry) + 1
        length = f"{lengths[entry.scene]:.1f}" if entry.scene in lengths else "not rendered yet"
        module, table = f"scenes/{entry.module}.py", f"[{entry.table}]"
        print(f"{i:>2}  {entry.scene:<24} {module:<28} {table:<16} {length}")
    return 0


def _config(args: argparse.Namespace) -> int:
    from scenes.toolkit.config import default_config

    print(default_config(catalog.scene_tables()), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"render": _render, "list": _list, "config": _config}
    try:
        return commands[args.command](args)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: no half-written clip was left in the output folder", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
