"""Section previews and stills: one section (or the last frame of each) of one scene, in seconds.

``python -m scenes render SCENE --section NAME`` renders only the section
``NAME``: every section before it runs with its animations skipped (as Manim's
``next_section(skip_animations=True)`` does, so mobjects, trackers and scene
time reach the section as they would in the clip), the section itself is
rendered, and the render stops where the next section would begin. ``--still``
renders no video at all (every animation skipped, as ``manim -s`` does) and
writes the last frame of that section, or of every section, as a PNG.

The child is the usual ``manim render`` command, run through this module's
``__main__``, which first wraps Manim's ``Scene.next_section`` and
``Scene.tear_down`` with :func:`install_hooks`; the scene modules are not
touched. Section names are whatever the scene passes to ``next_section`` (the
first argument of ``LectureMixin.step``), the names the manifest lists; an
unknown name is reported with the names the scene really has.

Previews go to ``<preview>/<variant>/<Scene>/NN_<section>.mp4`` (or ``.png``),
``<variant>`` named as the lecture's folders are (``zh-dark-l``,
``en-light-h-nocaptions``…), ``NN`` the section's number in the clip. The lecture's clips,
manifest and lock are never opened; each preview renders in a work folder of
its own inside the preview folder and every file is moved in with one
``os.replace``, so two previews at once never mix their files.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import resource
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.toolkit.config import ConfigError

__all__ = ["Preview", "install_hooks", "preview_folder", "render_preview", "section_file"]

ENV_SECTION = "LECTURE_PREVIEW_SECTION"  # the section to render; unset or empty: every section (stills only)
ENV_STILLS = "LECTURE_PREVIEW_STILLS"  # a folder: write the last frame of each chosen section there
ENV_REPORT = "LECTURE_PREVIEW_REPORT"  # a file: the section names the scene went through, as JSON
UNKNOWN_SECTION = 3  # the child's exit code when the scene has no section of that name


@dataclass
class Preview:
    """What one preview wrote: its files (in section order), the scene's sections, how long it took.

    ``cpu`` is the CPU seconds its child used: on a shared machine, steadier than ``seconds``.
    """

    scene: str
    sections: list[str]
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0


def section_file(number: int, name: str, suffix: str) -> str:
    """The file name of section ``number`` (1-based) called ``name``.

    Examples
    --------
    >>> section_file(3, "one step downhill", ".png")
    '03_one_step_downhill.png'
    """
    slug = re.sub(r"[^\w-]+", "_", name).strip("_") or "section"
    return f"{number:02d}_{slug}{suffix}"


# Section: inside the child


def install_hooks(section: str | None, stills: Path | None, report: Path) -> Callable[[], None]:
    """Wrap Manim's ``Scene.next_section`` and ``Scene.tear_down`` for one preview (in the child only).

    Sections before ``section`` are skipped, the render ends early where the
    section after it starts, and with ``stills`` the frame on screen when a
    chosen section ends is written there. A skipped animation draws nothing
    (Manim draws its frames and drops them; that was a fifth of a dry run).
    The names met go to ``report``; a ``section`` never met exits with
    :data:`UNKNOWN_SECTION`.

    Examples
    --------
    >>> install_hooks("sweep", None, Path(tempfile.mkdtemp()) / "report.json")  # doctest: +SKIP
    """
    from manim import Scene
    from manim.manager import Manager
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.utils.exceptions import EndSceneEarlyException

    names: list[str] = []
    state = {"phase": "before" if section else "in"}  # before → in → done
    next_section, tear_down, construct = Scene.next_section, Scene.tear_down, Manager.construct
    update_frame, save_static = CairoRenderer.update_frame, CairoRenderer.save_static_frame_data

    def close(scene: Any) -> None:
        """The section that ends now: write its last frame if it is one of the chosen."""
        if stills is not None and names and state["phase"] == "in":
            renderer = scene.renderer
            background, renderer.static_image = renderer.static_image, None  # else what it holds is drawn twice
            update_frame(renderer, scene)  # drawn although the animations are skipped
            renderer.camera.get_image().save(stills / section_file(len(names), names[-1], ".png"))
            renderer.static_image = background

    def report_names() -> None:
        found = section is None or section in names
        report.write_text(json.dumps({"sections": names, "found": found}), encoding="utf-8")

    def hooked_next_section(self: Any, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
        close(self)
        if section is not None and state["phase"] == "in":
            state["phase"] = "done"
            report_names()
            raise EndSceneEarlyException  # the chosen section is over: the manager ends the scene normally
        names.append(name)
        if state["phase"] == "before" and name == section:
            state["phase"] = "in"
        skip = state["phase"] == "before" or stills is not None  # stills: no animation is rendered at all
        kwargs["skip_animations"] = kwargs.get("skip_animations", False) or skip
        next_section(self, name, *args, **kwargs)

    def hooked_tear_down(self: Any) -> None:
        tear_down(self)
        if state["phase"] == "done":
            return
        close(self)
        report_names()
        if state["phase"] == "before":  # the whole scene ran (nothing rendered) without meeting the section
            raise SystemExit(UNKNOWN_SECTION)

    def hooked_construct(self: Any) -> None:
        if state["phase"] == "before" or stills is not None:  # what plays before the first section too
            self.file_writer.sections[-1].skip_animations = True
        construct(self)

    def hooked_update_frame(self: Any, *args: Any, **kwargs: Any) -> None:
        if not self.skip_animations:  # Manim draws the frames of skipped animations too, then drops them
            update_frame(self, *args, **kwargs)

    def hooked_save_static(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.skip_animations:
            return save_static(self, *args, **kwargs)
        self.static_image = None
        return None

    Scene.next_section, Scene.tear_down, Manager.construct = hooked_next_section, hooked_tear_down, hooked_construct
    CairoRenderer.update_frame, CairoRenderer.save_static_frame_data = hooked_update_frame, hooked_save_static

    def restore() -> None:
        Scene.next_section, Scene.tear_down, Manager.construct = next_section, tear_down, construct
        CairoRenderer.update_frame, CairoRenderer.save_static_frame_data = update_frame, save_static

    return restore


def _child_main() -> None:
    """``python -m scenes.preview render …``: install the hooks from the environment, then run manim's CLI."""
    stills = os.environ.get(ENV_STILLS)
    install_hooks(os.environ.get(ENV_SECTION) or None, Path(stills) if stills else None, Path(os.environ[ENV_REPORT]))
    sys.argv = ["manim", *sys.argv[1:]]
    runpy.run_module("manim", run_name="__main__", alter_sys=True)


# Section: in the parent


def preview_folder(out: Path, settings: Any, options: Any, scene: str) -> Path:
    """Where the previews of ``scene`` go: the lecture's variant folder name, under ``out``, then the scene.

    Examples
    --------
    >>> from scenes.render import RenderOptions
    >>> from scenes.toolkit.config import LectureSettings
    >>> preview_folder(Path("media/preview"), LectureSettings("en"), RenderOptions(), "TangentArrow").as_posix()
    'media/preview/en-dark-l/TangentArrow'
    """
    from dataclasses import replace

    from scenes.render import output_folder

    return output_folder(settings, replace(options, out=out)) / scene


def _command(job: Any, options: Any, work: Path, still: bool) -> list[str]:
    """The child's command line after the interpreter: this module, then ``manim render``'s arguments."""
    from scenes.render import alpha_flags

    command = ["-m", "scenes.preview", "render", f"-q{options.quality}", "--media_dir", str(work)]
    command += ["--progress_bar", "none", "--disable_caching"]
    if still:  # a PNG keeps its alpha with -t alone
        command += ["-s", "-t"] if options.transparent else ["-s"]
    else:  # a preview is looked at once: encode it fast (x264's fastest preset), beside the drawing
        command += alpha_flags(options) or ["--encoder-option", "preset=ultrafast"]
        command += ["--max-inflight-encoders", "2"]
    return [*command, str(job.entry.path), job.entry.scene]


def _run_child(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the child; on Ctrl-C or SIGTERM it is stopped before the interruption goes on.

    Where it can (see :func:`_can_fork`), the child is a fork of this process, which has
    imported Manim, gradcore and the toolkit already: a fresh interpreter spends 1.3 to
    1.6 s importing them before it draws anything. Otherwise a fresh interpreter runs it.
    """
    from scenes.render import _CHILD, PROJECT_ROOT

    if _can_fork():
        return _forked(command, env)
    argv = [sys.executable, "-c", _CHILD, str(os.getpid()), *command]
    process = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _, stderr = process.communicate()
    except BaseException:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        raise
    return subprocess.CompletedProcess(argv, process.returncode, "", stderr)


def _can_fork() -> bool:
    """Whether a fork starts the child as a fresh interpreter would, only sooner.

    On Linux, with no other thread (a fork keeps only the calling one, and whatever locks the
    others held), from the project's folder (where a fresh child reads Manim's ``manim.cfg``).
    """
    from scenes.render import PROJECT_ROOT

    return sys.platform.startswith("linux") and threading.active_count() == 1 and Path.cwd() == PROJECT_ROOT


def _forked(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``command`` (``-m module …`` or ``script.py …``) in a fork of this process, as ``_CHILD`` would."""
    with tempfile.TemporaryFile() as stderr:
        for stream in (sys.stdout, sys.stderr):  # or what they hold is written twice
            stream.flush()
        parent, pid = os.getpid(), None
        try:
            pid = os.fork()
            if pid == 0:
                _be_the_child(command, env, stderr.fileno(), parent)  # never returns
            _, status = os.waitpid(pid, 0)
        except BaseException:
            if pid == 0:  # interrupted in the child before it took over: never run the parent's code
                os._exit(1)
            if pid is not None:
                _end(pid)
            raise
        stderr.seek(0)
        said = stderr.read().decode("utf-8", errors="replace")
    return subprocess.CompletedProcess(command, os.waitstatus_to_exitcode(status), "", said)


def _be_the_child(command: list[str], env: dict[str, str], stderr: int, parent: int) -> None:
    """The forked child: the environment, folder and streams a fresh one would have; then ``command``.

    Its stdin is the parent's, stdout goes nowhere, stderr (line-buffered) to ``stderr``. It ends
    as a fresh interpreter would: with the script's exit code, 1 and a traceback on an exception,
    killed by SIGINT on an unhandled Ctrl-C.
    """
    code = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the parent
        if os.getppid() != parent:
            os._exit(1)
        _fresh_signals()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(stderr, 2)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (the process ends with os._exit)
        sys.stderr = open(2, "w", buffering=1, closefd=False, errors="backslashreplace")  # noqa: SIM115
        from scenes.render import PROJECT_ROOT

        os.chdir(PROJECT_ROOT)
        os.environ.clear()
        os.environ.update(env)
        if command[0] == "-m":
            sys.argv = command[1:]
            sys.modules.pop(command[1], None)  # run afresh as __main__, as in a new interpreter
            runpy.run_module(command[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(command)
            runpy.run_path(command[0], run_name="__main__")
        code = 0
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
        code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        if code == -signal.SIGINT:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(code if code >= 0 else 130)


def _fresh_signals() -> None:
    """The signal handlers a fresh interpreter would start with: Python's Ctrl-C, the default for the rest.

    A signal the parent ignores stays ignored (as across ``exec``); so does Ctrl-C's when ignored.
    """
    for number in signal.valid_signals():
        with contextlib.suppress(OSError, ValueError, TypeError):  # SIGKILL, SIGSTOP: no handler to read
            handler = signal.getsignal(number)
            if number == signal.SIGINT and handler is not signal.SIG_IGN:
                signal.signal(number, signal.default_int_handler)
            elif callable(handler) and number != signal.SIGINT:
                signal.signal(number, signal.SIG_DFL)


def _end(pid: int, grace: float = 5.0) -> None:
    """Stop a forked child: SIGTERM, then SIGKILL if it is still there after ``grace`` seconds.

    It is always waited for, even when a second interruption cuts the grace short.
    """
    done = False
    try:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while not done and time.monotonic() < deadline:
            done = os.waitpid(pid, os.WNOHANG)[0] != 0
            if not done:
                time.sleep(0.05)
    finally:
        if not done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's children that have ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _read_report(report: Path) -> list[str]:
    try:
        return list(json.loads(report.read_text(encoding="utf-8"))["sections"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _unknown(scene: str, section: str, names: list[str]) -> ConfigError:
    listed = ", ".join(repr(name) for name in dict.fromkeys(names)) or "none"
    return ConfigError(f"{scene} has no section {section!r}; its sections: {listed}")


def render_preview(job: Any, options: Any, out: Path, section: str | None = None, still: bool = False) -> Preview:
    """Render one section of ``job`` (or, with ``still``, the last frame of it or of every section) into ``out``.

    Parameters
    ----------
    job
        A :class:`scenes.render.Job` (its config checked).
    options
        The :class:`scenes.render.RenderOptions`: quality, transparency and
        the typesetting cache are used; ``out`` and ``force`` are not.
    out
        The preview folder; files land in :func:`preview_folder`.
    section
        A section name; ``None`` is allowed only with ``still`` (every section).

    Raises
    ------
    ConfigError
        The scene has no section ``section`` (the message lists its sections).
    RuntimeError
        The child failed (its last line and the end of its stderr).

    Examples
    --------
    >>> render_preview(job, options, Path("media/preview"), "sweep", still=True).files  # doctest: +SKIP
    [PosixPath('media/preview/zh-dark-l/TangentArrow/05_sweep.png')]
    """
    from scenes.render import child_environment, failure_message, typeset_cache

    if section is None and not still:
        raise ConfigError("--section NAME is needed for a video preview (or add --still for every section's frame)")
    started, cpu = time.monotonic(), _children_cpu()
    folder = preview_folder(out, job.settings, options, job.entry.scene)
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=folder))
    try:
        (work / "stills").mkdir()
        env = {**child_environment(job, options), ENV_SECTION: section or "", ENV_REPORT: str(work / "r")}
        if still:
            env[ENV_STILLS] = str(work / "stills")
        with typeset_cache(options.typeset, work):
            result = _run_child(_command(job, options, work, still), env)
        names = _read_report(work / "r")
        if result.returncode == UNKNOWN_SECTION:
            raise _unknown(job.entry.scene, section or "", names)
        if result.returncode != 0:
            raise RuntimeError(failure_message(result.returncode, result.stderr))
        files = _collect(job.entry.scene, work, names, section, still)
        placed = []
        for file in files:
            os.replace(file, folder / file.name)
            placed.append(folder / file.name)
        return Preview(job.entry.scene, names, placed, time.monotonic() - started, _children_cpu() - cpu)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _collect(scene: str, work: Path, names: list[str], section: str | None, still: bool) -> list[Path]:
    """The finished files in ``work``, renamed to their section's name; raise if one is missing."""
    if still:
        stills = sorted((work / "stills").glob("*.png"))
        if not stills:
            raise RuntimeError("manim finished but wrote no frame")
        return stills
    videos = [p for p in (work / "videos").rglob(f"{scene}.*") if p.suffix in (".mp4", ".mov", ".webm")]
    if not videos:
        raise RuntimeError(f"manim finished but wrote no video (does section {section!r} animate anything?)")
    named = work / section_file(names.index(section) + 1, section, videos[0].suffix)
    os.replace(videos[0], named)
    return [named]


if __name__ == "__main__":
    _child_main()
