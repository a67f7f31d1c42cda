"""The batch renderer on a two-step toy scene: outputs, manifest, skipping, failures."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scenes.catalog import Entry
from scenes.render import Job, RenderOptions, render_lecture
from scenes.toolkit.config import lecture_settings
from scenes.toolkit.testing import lecture_env

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ENTRY = Entry("toy_lesson", "ToyLesson", "toy", directory=FIXTURES)


def render(out: Path, tables=None, **options):
    with lecture_env(tables, language="en") as config:
        settings = lecture_settings()
        fingerprint = json.dumps(tables.get("toy", {}) if tables else {}, sort_keys=True)
        job = Job(1, ENTRY, settings, fingerprint)
        return render_lecture([job], RenderOptions(out=out, config=config, jobs=1, **options))[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("lecture")
    return out, render(out)


def test_a_rendered_clip_lands_with_subtitles_sections_thumbnail_and_manifest(rendered):
    out, outcome = rendered
    assert outcome.status == "rendered", outcome.error
    folder = out / "en-dark-l"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01_ToyLesson.mp4", "01_ToyLesson.png", "01_ToyLesson.srt", "01_ToyLesson_sections", "manifest.json"]
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
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("*/.work/**/*.mp4")):  # partial movie files: the render is under way
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 130, output
    folder = next(tmp_path.iterdir())
    assert sorted(path.name for path in folder.iterdir()) == []  # no clip, no work folder, no manifest
