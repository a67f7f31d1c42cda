"""The batch renderer on a two-step toy scene: outputs, manifest, skipping, failures.

The first tests really render the toy scene; the rest replace the child
process (or the whole render of one job) with a stand-in, to check what the
parent hands over and how it reads what an earlier version left behind.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import scenes.render
from scenes.catalog import Entry
from scenes.render import Job, Outcome, RenderOptions, input_hash, read_manifest, render_lecture
from scenes.toolkit.config import LectureSettings
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import toml_text

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ENTRY = Entry("toy_lesson", "ToyLesson", "toy", directory=FIXTURES)


def render(out: Path, tables=None, **options):
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "lecture.toml"
        config.write_text(toml_text(tables or {}), encoding="utf-8")
        settings, params = load_scene_config(ENTRY.load(), config, {"language": "en"})
        job = Job(1, ENTRY, settings, params.fingerprint())
        return render_lecture([job], RenderOptions(out=out, jobs=1, **options))[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("lecture")
    return out, render(out)


def test_a_rendered_clip_lands_with_subtitles_sections_thumbnail_and_manifest(rendered):
    out, outcome = rendered
    assert outcome.status == "rendered", outcome.error
    folder = out / "en-dark-l"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01_ToyLesson.mp4",
        "01_ToyLesson.png",
        "01_ToyLesson.srt",
        "01_ToyLesson_sections",
        "manifest.json",
    ]
    srt = (folder / "01_ToyLesson.srt").read_text()
    assert "Step one: a point." in srt and "Step two: a label." in srt
    manifest = json.loads((folder / "manifest.json").read_text())
    clip = manifest["clips"][0]
    assert clip["scene"] == "ToyLesson"
    assert clip["resolution"] == [854, 480]
    assert clip["fps"] == 15
    assert clip["duration"] == pytest.approx(4 / 3 + 0.6, abs=0.07)  # step one held for its 4 words, step two 0.6 s
    assert [s["name"] for s in clip["sections"]] == ["first", "second"]
    assert clip["sections"][1]["start"] == pytest.approx(4 / 3, abs=0.07)
    for section in clip["sections"]:
        assert (folder / section["file"]).exists()
    assert len(clip["input_hash"]) == 16


def test_an_unchanged_scene_is_skipped_in_well_under_a_second(rendered):
    out, first = rendered
    start = time.monotonic()
    again = render(out)
    assert again.status == "skipped"
    assert time.monotonic() - start < 1.0
    assert again.clip["input_hash"] == first.clip["input_hash"]


def test_a_failing_scene_reports_its_error_and_keeps_the_old_clip(rendered, monkeypatch):
    out, _ = rendered
    video = out / "en-dark-l" / "01_ToyLesson.mp4"
    before = video.read_bytes()
    monkeypatch.setenv("TOY_FAIL", "1")
    outcome = render(out, {"toy": {"lr": 0.2}})  # changed table, so it must re-render
    assert outcome.status == "failed"
    assert "the toy scene was asked to fail" in outcome.error
    assert video.read_bytes() == before
    assert not (out / "en-dark-l" / ".work").exists()


def test_changing_the_scene_table_renders_it_again(rendered):
    out, first = rendered
    outcome = render(out, {"toy": {"start": 0.5}})
    assert outcome.status == "rendered"
    assert outcome.clip["input_hash"] != first.clip["input_hash"]


@pytest.mark.slow
def test_ctrl_c_leaves_no_half_written_clip(tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole process group, the renders included."""
    command = [sys.executable, "-m", "scenes", "render", "TangentArrow", "--out", str(tmp_path), "--jobs", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("*/.work/**/*.mp4")):  # partial movie files: the render is under way
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 130, output
    folder = next(tmp_path.iterdir())
    assert sorted(path.name for path in folder.iterdir()) == []  # no clip, no work folder, no manifest


# --- without a real render ---------------------------------------------------

TOY_SETTINGS = LectureSettings(language="en", path=Path("/nowhere/lecture.toml"))


class FailingChild:
    """A stand-in for the ``manim render`` child: records its environment, then fails like a traceback."""

    calls: list = []

    def __init__(self, command, *, env, **kwargs):
        FailingChild.calls.append(env)
        self.returncode = 1

    def communicate(self):
        lines = [
            "error: an old line that must not be taken for the cause",
            "Traceback (most recent call last):",
            '  File "toy_lesson.py", line 24, in construct',
            "",
            "RuntimeError: boom",
        ]
        return "", "\n".join(lines) + "\n"

    def terminate(self):
        pass


@pytest.fixture
def failing_child(monkeypatch):
    FailingChild.calls = []
    monkeypatch.setattr(scenes.render.subprocess, "Popen", FailingChild)
    return FailingChild.calls


def test_a_child_gets_the_settings_in_its_own_environment_and_ours_is_untouched(tmp_path, failing_child):
    before = dict(os.environ)
    settings = LectureSettings(language="en", theme="light", captions=False, path=tmp_path / "lecture.toml")
    outcome = render_lecture([Job(1, ENTRY, settings, "{}")], RenderOptions(out=tmp_path, jobs=1))[0]
    assert dict(os.environ) == before
    (env,) = failing_child
    assert {key: env[key] for key in env if key.startswith("LECTURE_")} == {
        "LECTURE_CONFIG": str(tmp_path / "lecture.toml"),
        "LECTURE_LANG": "en",
        "LECTURE_THEME": "light",
        "LECTURE_CAPTIONS": "0",
    }
    assert env["PATH"] == os.environ["PATH"]
    assert outcome.status == "failed"


def test_a_failed_child_is_reported_with_its_last_line_and_the_end_of_its_stderr(tmp_path, failing_child):
    outcome = render_lecture([Job(1, ENTRY, TOY_SETTINGS, "{}")], RenderOptions(out=tmp_path, jobs=1))[0]
    first, *tail = outcome.error.splitlines()
    assert first == "manim exited with 1: RuntimeError: boom"
    assert tail == [
        "    error: an old line that must not be taken for the cause",
        "    Traceback (most recent call last):",
        '      File "toy_lesson.py", line 24, in construct',
        "    RuntimeError: boom",
    ]
    assert not (tmp_path / "en-dark-l" / ".work").exists()


def whole_clip(job_hash: str) -> dict:
    return {
        "index": 1,
        "scene": "ToyLesson",
        "module": "toy_lesson.py",
        "duration": 1.9,
        "files": {"video": "01_ToyLesson.mp4", "thumbnail": "01_ToyLesson.png"},
        "input_hash": job_hash,
    }


def without(key: str):
    return lambda h: {"clips": [{k: v for k, v in whole_clip(h).items() if k != key}]}


def changed(key: str, value):
    return lambda h: {"clips": [{**whole_clip(h), key: value}]}


DAMAGED = {
    "not JSON": b'{"clips": [',
    "not UTF-8": b"\xff\xfe\x00garbage",
    "a list": b"[]",
    "clips not a list": b'{"clips": {"ToyLesson": 1}}',
    "an entry not an object": b'{"clips": ["ToyLesson"]}',
    "no files (older version)": without("files"),
    "no scene": without("scene"),
    "no duration": without("duration"),
    "no input hash": without("input_hash"),
    "duration a string": changed("duration", "1.9"),
    "duration true": changed("duration", True),
    "files a list": changed("files", ["01_ToyLesson.mp4"]),
    "files without a video": changed("files", {"thumbnail": "01_ToyLesson.png"}),
    "a file name a number": changed("files", {"video": 1}),
}


def render_with_manifest(tmp_path, monkeypatch, manifest) -> tuple[list, Outcome]:
    """Render the toy job over ``manifest`` (bytes, or a function of the job's hash), the child replaced."""
    options = RenderOptions(out=tmp_path, jobs=1)
    job = Job(1, ENTRY, TOY_SETTINGS, "{}")
    folder = tmp_path / "en-dark-l"
    folder.mkdir()
    (folder / "01_ToyLesson.mp4").write_bytes(b"an old clip")
    (folder / "01_ToyLesson.png").write_bytes(b"its thumbnail")
    data = manifest if isinstance(manifest, bytes) else json.dumps(manifest(input_hash(job, options))).encode()
    (folder / "manifest.json").write_bytes(data)
    ran = []

    def run(job, options, folder, progress, running):
        ran.append(job.entry.scene)
        return Outcome(job, "rendered", 0.1, whole_clip(job.hash))

    monkeypatch.setattr(scenes.render, "_run", run)
    return ran, render_lecture([job], options)[0]


def test_a_whole_manifest_entry_with_the_same_hash_is_skipped(tmp_path, monkeypatch):
    ran, outcome = render_with_manifest(tmp_path, monkeypatch, lambda h: {"clips": [whole_clip(h)]})
    assert (ran, outcome.status) == ([], "skipped")


@pytest.mark.parametrize("shape", DAMAGED)
def test_a_damaged_or_old_manifest_means_render_again(tmp_path, monkeypatch, shape):
    ran, outcome = render_with_manifest(tmp_path, monkeypatch, DAMAGED[shape])
    assert (ran, outcome.status) == (["ToyLesson"], "rendered")
    manifest = json.loads((tmp_path / "en-dark-l" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clips"] == [whole_clip(outcome.job.hash)]


@pytest.mark.parametrize("shape", DAMAGED)
def test_reading_a_damaged_manifest_gives_no_clips(tmp_path, shape):
    data = DAMAGED[shape]
    (tmp_path / "manifest.json").write_bytes(data if isinstance(data, bytes) else json.dumps(data("h")).encode())
    assert read_manifest(tmp_path)["clips"] == []


def test_only_the_damaged_entries_of_a_manifest_are_dropped(tmp_path):
    broken = {k: v for k, v in whole_clip("h").items() if k != "files"}
    whole = {**whole_clip("h"), "scene": "TangentArrow"}
    (tmp_path / "manifest.json").write_text(json.dumps({"language": "en", "clips": [broken, whole]}))
    assert read_manifest(tmp_path) == {"language": "en", "clips": [whole]}
