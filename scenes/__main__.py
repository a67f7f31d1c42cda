"""Command line: ``python -m scenes render`` builds the lecture, ``python -m scenes list`` shows it.

Examples::

    python -m scenes list
    python -m scenes render                       # every scene, 480p, config language and theme
    python -m scenes render TangentArrow --quality h --lang en --theme light

Every config is checked here, before anything renders; a problem with it,
with a file (a ``--config`` that is missing, a folder, not UTF-8 text) or with
the output folder (busy with another render, read-only, a file in its way)
prints one ``error: …`` line (long values cut in the middle) and exits with 2.
Ctrl-C exits with 130 and SIGTERM with 143, both after the renders were
stopped and the work folder removed. The settings reach each ``manim render``
child through that child's environment only: this process's own is left as it
was.
"""

from __future__ import annotations

import argparse
import os
import signal
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
ALPHA_FORMATS = ("mov", "webm")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scenes", description="Render the gradient lecture.")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render scenes into lecture clips")
    render.add_argument("scenes", nargs="*", help="scene class names (default: all, in lecture order)")
    render.add_argument("--quality", "-q", choices=QUALITIES, default="l", help="l=480p15 m=720p30 h=1080p60 k=2160p60")
    render.add_argument("--lang", choices=("zh", "en"), help="narration language (default: lecture.toml)")
    render.add_argument("--theme", choices=("dark", "light"), help="palette (default: lecture.toml)")
    render.add_argument("--transparent", action="store_true", help="transparent background (QuickTime RLE .mov)")
    render.add_argument("--alpha", choices=ALPHA_FORMATS, help="transparent, as .mov (QuickTime RLE) or .webm (VP9)")
    render.add_argument(
        "--captions", action=argparse.BooleanOptionalAction, help="on-screen captions (default: lecture.toml)"
    )
    render.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel renders")
    render.add_argument("--force", action="store_true", help="render even when nothing changed")
    render.add_argument("--config", type=Path, help="config file (default: lecture.toml, all defaults if absent)")
    render.add_argument("--out", type=Path, default=Path("media/lecture"), help="output folder")
    render.add_argument("--section", metavar="NAME", help="preview only this section (earlier ones skipped)")
    render.add_argument("--still", action="store_true", help="preview: the last frame of the section(s) as PNG")
    render.add_argument("--preview-out", type=Path, default=Path("media/preview"), help="folder for previews")
    render.add_argument(
        "--typeset-cache", type=Path, default=Path("media/typeset"), help="shared cache of typeset formulas and text"
    )
    render.add_argument("--no-typeset-cache", action="store_true", help="typeset every formula afresh in each job")
    listing = commands.add_parser("list", help="print the scenes in lecture order")
    listing.add_argument("--config", type=Path, help="ignored; accepted like render's")
    listing.add_argument("--out", type=Path, default=Path("media/lecture"))
    commands.add_parser("config", help="print a lecture.toml with every parameter at its default")
    _publish_parser(commands)
    return parser


def _select(names: list[str]) -> list[catalog.Entry]:
    """The catalog entries named (all of them when none is), as a :class:`ConfigError` if one is unknown."""
    try:
        entries = [catalog.find(name) for name in names] if names else catalog.available()
    except KeyError as error:
        raise ConfigError(error.args[0]) from None
    return list(dict.fromkeys(entries))  # 'TangentArrow tangent' names one scene: it renders once


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


def _config_path(named: Path | None) -> Path:
    """The config file to read: the one named, which must exist, else ``lecture.toml`` (absent means defaults)."""
    if named is None:
        return DEFAULT_CONFIG
    if not named.exists():
        raise ConfigError(f"--config {named}: no such file")
    return named.resolve()


def _render(args: argparse.Namespace) -> int:
    from scenes.render import RenderOptions, output_folder, render_lecture

    overrides = {"language": args.lang, "theme": args.theme, "captions": args.captions}
    jobs = _prepare_jobs(args.scenes, _config_path(args.config), overrides)
    options = RenderOptions(
        quality=args.quality,
        transparent=args.transparent or args.alpha is not None,
        alpha=args.alpha or "mov",
        jobs=args.jobs,
        force=args.force,
        out=args.out.resolve(),
        typeset=None if args.no_typeset_cache else args.typeset_cache.resolve(),
    )
    if args.section is not None or args.still:
        return _preview(args, jobs, options)
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


def _preview(args: argparse.Namespace, jobs: list[Job], options: Any) -> int:
    """``render --section NAME`` / ``--still``: previews into ``--preview-out``, never the lecture's folder."""
    from scenes.preview import render_preview

    out = args.preview_out.resolve()
    if out == options.out or options.out in out.parents:
        raise ConfigError(
            f"--preview-out {args.preview_out} overlaps --out {args.out}; previews need a folder of their own"
        )
    if args.section is not None and len(jobs) != 1:
        raise ConfigError(
            f"--section previews one scene; name one of: {', '.join(e.scene for e in catalog.available())}"
        )
    for job in jobs:
        try:
            preview = render_preview(job, options, out, args.section, args.still)
        except RuntimeError as error:  # the child failed: its last line, then the end of its stderr
            print(f"{job.entry.scene} failed: {error}", file=sys.stderr)
            return 1
        for file in preview.files:
            print(f"{file}")
        print(f"{job.entry.scene}: {len(preview.files)} file(s) in {preview.seconds:.1f} s ({preview.cpu:.1f} s CPU)")
    return 0


def _list(args: argparse.Namespace) -> int:
    from scenes.render import load_manifest

    lengths: dict[str, float] = {}
    for manifest in sorted(args.out.glob("*/manifest.json")):
        data, warnings = load_manifest(manifest.parent)
        for warning in warnings:
            print(f"warning: {manifest.parent.name}: {warning}", file=sys.stderr)
        for clip in data["clips"]:
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


# Section: publish (issue 19) — subtitles in both languages, posters, the offline page and the slide deck


def _publish_parser(commands: argparse._SubParsersAction) -> None:
    helps = {
        "publish": "subtitles, posters, offline page and slide deck of a render",
        "deck": "the slide deck of a render (with its subtitles and posters): publish --no-site",
        "site": "the offline lecture page of a render (with its subtitles and posters): publish --no-deck",
    }
    for name, text in helps.items():
        publish = commands.add_parser(name, help=text)
        _variant_arguments(publish)
        publish.add_argument("--site", type=Path, help="folder of the offline page (default: FOLDER/site)")
        publish.add_argument("--deck", type=Path, help="the slide deck (default: FOLDER/lecture.pptx)")
        publish.add_argument("--no-site", action="store_true", default=name == "deck", help="do not write the page")
        publish.add_argument("--no-deck", action="store_true", default=name == "site", help="do not write the deck")
    serve = commands.add_parser("serve", help="serve a published page over http (browsers refuse tracks over file://)")
    _variant_arguments(serve)
    serve.add_argument("--site", type=Path, help="the page's folder (default: FOLDER/site)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")


def _variant_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that name a render folder, as ``render`` takes them."""
    parser.add_argument("--folder", type=Path, help="render folder (default: as render names it)")
    parser.add_argument("--quality", "-q", choices=QUALITIES, default="l", help="as for render")
    parser.add_argument("--lang", choices=("zh", "en"), help="as for render (default: lecture.toml)")
    parser.add_argument("--theme", choices=("dark", "light"), help="as for render (default: lecture.toml)")
    parser.add_argument("--transparent", action="store_true", help="as for render")
    parser.add_argument("--alpha", choices=ALPHA_FORMATS, help="as for render")
    parser.add_argument("--captions", action=argparse.BooleanOptionalAction, help="as for render")
    parser.add_argument("--config", type=Path, help="the config the clips were rendered with (default: lecture.toml)")
    parser.add_argument("--out", type=Path, default=Path("media/lecture"), help="as for render")


def _variant_folder(args: argparse.Namespace) -> Path:
    """The render folder the options name: ``--folder``, else the one ``render`` writes for them."""
    from scenes.render import RenderOptions, output_folder
    from scenes.toolkit.config import lecture_settings
    from scenes.toolkit.loader import read_config

    if args.folder is not None:
        return args.folder
    config = _config_path(args.config)
    overrides = {"language": args.lang, "theme": args.theme, "captions": args.captions}
    settings = lecture_settings(read_config(config), config, overrides)
    transparent, alpha = args.transparent or args.alpha is not None, args.alpha or "mov"
    options = RenderOptions(quality=args.quality, transparent=transparent, alpha=alpha, out=args.out.resolve())
    return output_folder(settings, options)


def _serve(args: argparse.Namespace) -> int:
    from scenes.publish import serve

    site = args.site or _variant_folder(args) / "site"
    return serve.main([str(site), "--port", str(args.port), "--host", args.host])


def _publish(args: argparse.Namespace) -> int:
    from scenes.publish import PublishError, publish

    config = _config_path(args.config)
    folder = _variant_folder(args)
    site = None if args.no_site else (args.site or folder / "site")
    deck = None if args.no_deck else (args.deck or folder / "lecture.pptx")
    try:
        done = publish(folder.resolve(), config=config, site=site, deck=deck)
    except PublishError as error:
        print(f"error: {cut(str(error))}", file=sys.stderr)
        return 2
    for warning in done.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sections = sum(len(clip.sections) for clip in done.clips)
    print(f"{len(done.clips)} clips, {sections} sections: subtitles (zh, en; .srt and .vtt) and posters in {folder}")
    for what, path in (("page", done.site), ("deck", done.deck)):
        if path is not None:
            print(f"{what}: {path}")
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it stops a batch the way Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def cut(message: str, width: int = 300) -> str:
    """``message`` with every line longer than ``width`` cut in the middle, saying how much was left out.

    Examples
    --------
    >>> cut("expected a range, got " + repr(list(range(100000))) + "; try x = 1", width=60)
    'expected a range, got [0, 1, 2 … 688863 characters cut … 9997, 99998, 99999]; try x = 1'
    """
    lines = []
    for line in message.splitlines() or [""]:
        if len(line) > width:
            keep = width // 2
            line = f"{line[:keep]} … {len(line) - 2 * keep} characters cut … {line[-keep:]}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from scenes.render import FolderError

    args = _parser().parse_args(argv)
    commands = {"render": _render, "list": _list, "config": _config, "serve": _serve}
    commands |= dict.fromkeys(("publish", "deck", "site"), _publish)
    previous = signal.signal(signal.SIGTERM, _terminate) if _in_main_thread() else None
    try:
        return commands[args.command](args)
    except (ConfigError, FolderError) as error:
        print(f"error: {cut(str(error))}", file=sys.stderr)
        return 2
    except OSError as error:  # a file or folder problem nothing above turned into a message
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {cut(where + (error.strerror or str(error)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interruption:
        how = "terminated" if isinstance(interruption, Terminated) else "interrupted"
        print(f"\n{how}: the renders were stopped; no half-written clip is listed", file=sys.stderr)
        return 143 if how == "terminated" else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
