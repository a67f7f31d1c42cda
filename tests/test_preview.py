"""Section previews and stills (``render --section NAME``, ``--still``) on the two-step toy scene.

The hooks that skip and stop sections run in this process on the toy scene at
160×90 (their frames compared with a plain render's); the parent's side (files,
folders, an unknown name, a failing child) runs on ``tests/fixtures/fake_preview.py``;
one test renders a real section through the command line.
"""

import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig
from manim.renderer.cairo_renderer import CairoRenderer
from PIL import Image

import scenes.__main__
import scenes.preview
import scenes.render
from scenes.catalog import Entry
from scenes.preview import install_hooks, render_preview, section_file
from scenes.render import Job, RenderOptions, probe_video, render_lecture
from scenes.toolkit.base import Narration
from scenes.toolkit.config import ConfigError, LectureSettings
from scenes.toolkit.testing import lecture_env

FIXTURES = Path(__file__).parent / "fixtures"
ENTRY = Entry("toy_lesson", "ToyLesson", "toy", directory=FIXTURES)
JOB = Job(1, ENTRY, LectureSettings(language="en"), "{}")
TINY = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5, "write_to_movie": False, "disable_caching": True}


def frames_of(monkeypatch, tmp_path, section=None, still=False, **config):
    """Run the toy scene in this process (hooked for ``section`` when given); its frames, the scene, the report."""
    frames = []
    add_frame = CairoRenderer.add_frame

    def recording(self, frame, num_frames=1):
        if not self.skip_animations:  # manim drops the frames of a skipped wait here
            frames.extend([frame.copy()] * num_frames)
        add_frame(self, frame, num_frames=num_frames)

    monkeypatch.setattr(CairoRenderer, "add_frame", recording)
    report, stills = tmp_path / "report.json", tmp_path / "stills"
    stills.mkdir(exist_ok=True)
    restore = install_hooks(section, stills if still else None, report) if section or still else (lambda: None)
    try:
        with (
            lecture_env(),
            tempconfig({**TINY, "media_dir": str(tmp_path), "verbosity": "WARNING", "progress_bar": "none", **config}),
        ):
            scene = ENTRY.load()()
            scene.render()
    finally:
        restore()
    names = json.loads(report.read_text())["sections"] if report.exists() else []
    return frames, scene, names


def test_a_section_preview_renders_that_section_only_and_from_the_state_the_clip_has_there(monkeypatch, tmp_path):
    plain, _, _ = frames_of(monkeypatch, tmp_path)
    second, scene, names = frames_of(monkeypatch, tmp_path, "second")
    assert names == ["first", "second"]
    sections = [(s.name, s.skip_animations) for s in scene.renderer.file_writer.sections]
    assert sections == [("first", True), ("second", False)]  # the empty autocreated section is dropped by manim
    assert 0 < len(second) < len(plain)
    assert all(np.array_equal(a, b) for a, b in zip(second, plain[-len(second) :], strict=True))  # the clip's tail


def test_a_section_before_the_last_stops_where_the_next_one_would_start(monkeypatch, tmp_path):
    plain, _, _ = frames_of(monkeypatch, tmp_path)
    first, scene, names = frames_of(monkeypatch, tmp_path, "first")
    assert names == ["first"]
    assert [n.section for n in scene.narration] == ["first"]
    assert all(np.array_equal(a, b) for a, b in zip(first, plain[: len(first)], strict=True))
    assert len(first) < len(plain)


def test_stills_are_the_last_frame_of_each_section_and_render_no_animation(monkeypatch, tmp_path):
    plain, _, _ = frames_of(monkeypatch, tmp_path)
    drawn = []
    update_frame = CairoRenderer.update_frame
    monkeypatch.setattr(
        CairoRenderer, "update_frame", lambda self, *a, **k: drawn.append(1) or update_frame(self, *a, **k)
    )
    frames, _, names = frames_of(monkeypatch, tmp_path, still=True, save_last_frame=True)
    assert frames == []  # every animation skipped
    assert len(drawn) == 2  # and drawn nowhere but where each of the two sections ends
    stills = sorted(p.name for p in (tmp_path / "stills").iterdir())
    assert stills == ["01_first.png", "02_second.png"] and names == ["first", "second"]
    last = np.array(Image.open(tmp_path / "stills" / "02_second.png").convert("RGB"))
    assert np.abs(last.astype(int) - plain[-1][..., :3].astype(int)).max() == 0  # drawn once, as the clip's frame is


def test_an_unknown_section_ends_the_child_with_3_and_reports_the_names(monkeypatch, tmp_path):
    with pytest.raises(SystemExit) as stop:
        frames_of(monkeypatch, tmp_path, "thrid")
    assert stop.value.code == scenes.preview.UNKNOWN_SECTION
    assert json.loads((tmp_path / "report.json").read_text()) == {"sections": ["first", "second"], "found": False}


def test_section_files_are_numbered_and_named_after_the_section():
    assert section_file(1, "the tangent", ".mp4") == "01_the_tangent.mp4"
    assert section_file(12, "η / pace?", ".png") == "12_η_pace.png"


# --- the parent's side, on a fake child ------------------------------------------


@pytest.fixture
def fake(monkeypatch):
    def command(job, options, work, still):
        return [str(FIXTURES / "fake_preview.py"), str(work), job.entry.scene, *(["--still"] if still else [])]

    monkeypatch.setattr(scenes.preview, "_command", command)
    monkeypatch.setattr(scenes.__main__, "_prepare_jobs", lambda *args: [JOB])


def cli(tmp_path, *args) -> int:
    folders = ["--out", tmp_path / "lecture", "--preview-out", tmp_path / "preview", "--typeset-cache", tmp_path / "c"]
    return scenes.__main__.main(["render", "ToyLesson", *map(str, folders), *args])


def test_a_preview_lands_in_the_preview_folder_and_leaves_the_lecture_folder_as_it_was(tmp_path, fake, monkeypatch):
    monkeypatch.setattr(
        scenes.render,
        "_manim_command",
        lambda job, o, work: [str(FIXTURES / "fake_manim.py"), str(work), job.entry.scene],
    )
    render_lecture([JOB], RenderOptions(out=tmp_path / "lecture", jobs=1))
    lecture = tmp_path / "lecture" / "en-dark-l"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in lecture.rglob("*") if p.is_file()}
    assert cli(tmp_path, "--section", "second") == 0
    assert cli(tmp_path, "--still") == 0
    folder = tmp_path / "preview" / "en-dark-l" / "ToyLesson"
    assert sorted(p.name for p in folder.iterdir()) == ["01_first.png", "02_second.mp4", "02_second.png"]
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in lecture.rglob("*") if p.is_file()} == before


def test_an_unknown_section_is_one_line_listing_the_valid_names_and_exit_2(tmp_path, fake, capsys):
    assert cli(tmp_path, "--section", "thrid") == 2
    err = capsys.readouterr().err
    assert err == "error: ToyLesson has no section 'thrid'; its sections: 'first', 'second'\n"
    assert not list((tmp_path / "preview").rglob("*.*"))  # nothing written, no work folder left


def test_a_preview_folder_inside_the_lecture_folder_is_refused(tmp_path, fake, capsys):
    code = scenes.__main__.main(
        ["render", "ToyLesson", "--section", "first", "--out", str(tmp_path), "--preview-out", str(tmp_path / "p")]
    )
    assert code == 2 and "overlaps --out" in capsys.readouterr().err


def test_a_failing_preview_exits_1_with_the_childs_last_line(tmp_path, fake, monkeypatch, capsys):
    monkeypatch.setenv("FAKE_PREVIEW_FAIL", "1")
    assert cli(tmp_path, "--section", "first") == 1
    assert "the fake preview was asked to fail" in capsys.readouterr().err
    assert not list((tmp_path / "preview").rglob("*.*"))


def test_a_video_preview_needs_a_section(tmp_path):
    with pytest.raises(ConfigError, match="--section NAME"):
        render_preview(JOB, RenderOptions(), tmp_path)


# --- the child as a fork of the parent -------------------------------------------

CHILD_SCRIPT = """
import json, os, signal, sys
from pathlib import Path
fresh = signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL and signal.getsignal(signal.SIGINT) is signal.default_int_handler
facts = {"cwd": os.getcwd(), "argv": sys.argv, "say": os.environ.get("SAY"), "fresh signals": fresh}
Path(sys.argv[1]).write_text(json.dumps(facts))
print("to stdout, which goes nowhere")
print("a line on stderr", file=sys.stderr)
if os.environ.get("HOW") == "raise":
    raise ValueError("the child failed")
if os.environ.get("HOW") == "ctrl-c":
    raise KeyboardInterrupt
if os.environ.get("HOW") == "sleep":
    import time
    time.sleep(60)
sys.exit(int(os.environ.get("CODE", "0")))
"""


def test_a_forked_child_gets_its_own_environment_folder_and_arguments_and_reports_like_a_fresh_one(tmp_path):
    script, out = tmp_path / "child.py", tmp_path / "out.json"
    script.write_text(CHILD_SCRIPT)
    before = dict(os.environ), os.getcwd(), list(sys.argv)
    previous = signal.signal(signal.SIGUSR1, lambda *_: None)  # a handler of the parent's own
    try:
        done = scenes.preview._forked([str(script), str(out)], {"SAY": "hello", "CODE": "3"})
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert (done.returncode, done.stderr) == (3, "a line on stderr\n")
    assert json.loads(out.read_text()) == {
        "cwd": str(scenes.render.PROJECT_ROOT),
        "argv": [str(script), str(out)],
        "say": "hello",
        "fresh signals": True,
    }
    assert (dict(os.environ), os.getcwd(), list(sys.argv)) == before  # the parent is untouched
    failed = scenes.preview._forked([str(script), str(out)], {"HOW": "raise"})
    assert failed.returncode == 1 and failed.stderr.splitlines()[-1] == "ValueError: the child failed"
    stopped = scenes.preview._forked([str(script), str(out)], {"HOW": "ctrl-c"})
    assert stopped.returncode == -signal.SIGINT  # as a fresh interpreter ends on an unhandled Ctrl-C
    module = scenes.preview._forked(["-m", "scenes.catalog"], dict(os.environ))  # imported here already
    assert (module.returncode, module.stderr) == (0, "")  # run afresh: no warning about sys.modules


def test_an_interrupted_parent_ends_its_forked_child_first(tmp_path):
    script, out = tmp_path / "child.py", tmp_path / "out.json"
    script.write_text(CHILD_SCRIPT)

    def interrupt(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    children = set(os.listdir("/proc"))
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            scenes.preview._forked([str(script), str(out)], {"HOW": "sleep"})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert out.exists()  # it ran, then was stopped and waited for: no process of it is left
    assert not {
        p
        for p in set(os.listdir("/proc")) - children
        if p.isdigit()
        and Path(f"/proc/{p}/stat").exists()
        and int(Path(f"/proc/{p}/stat").read_text().split()[3]) == os.getpid()
    }


def test_a_fork_is_used_only_with_no_other_thread_and_from_the_project_folder(monkeypatch, tmp_path):
    import threading

    monkeypatch.chdir(scenes.render.PROJECT_ROOT)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert scenes.preview._can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not scenes.preview._can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.chdir(tmp_path)
    assert not scenes.preview._can_fork()


# --- one real render -----------------------------------------------------------


@pytest.mark.slow
def test_a_real_section_preview_through_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setattr(scenes.__main__, "_prepare_jobs", lambda *args: [JOB])
    assert cli(tmp_path, "--section", "second") == 0
    video = tmp_path / "preview" / "en-dark-l" / "ToyLesson" / "02_second.mp4"
    duration = probe_video(video)["duration"]
    read = Narration("second", zh="第二步：一个标签。", en="Step two: a label.", start=0.0).reading_time
    # FadeIn 0.4 s + wait 0.2 s, held until read when the toolkit holds the last step too; never step one's 1.6 s
    assert duration == pytest.approx(0.6, abs=0.07) or duration == pytest.approx(max(0.6, read), abs=0.07)
    assert list((tmp_path / "c" / "texts").glob("*.svg"))  # what it typeset is kept for the next render
    assert os.environ.get("LECTURE_PREVIEW_SECTION") is None and sys.argv  # our own environment untouched
