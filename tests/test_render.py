"""The batch renderer on a two-step toy scene: outputs, manifest, skipping, failures, locks, swaps, signals.

The first tests really render the toy scene; the rest replace the child
process with ``tests/fixtures/fake_manim.py`` (a tiny real video in half a
second), or the whole render of one job with a stand-in, to check what the
parent hands over, how it reads what an earlier version or a crash left
behind, and what two processes at once, a failure or a kill between two moves
of a swap, SIGTERM and a killed parent leave in the output folder. The tests
with two real processes run ``tests/render_driver.py``.
"""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import scenes.__main__
import scenes.render
from scenes.catalog import Entry
from scenes.render import (
    FolderError,
    Job,
    Outcome,
    RenderOptions,
    input_hash,
    read_manifest,
    render_lecture,
    write_manifest,
)
from scenes.toolkit.base import Narration
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
        ".lock",  # the batch lock, kept so that every batch locks the same file
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
    held = Narration(
        "first", zh="第一步：一个点。", en="Step one: a point.", start=0.0
    ).reading_time  # the toolkit's rule
    last = max(0.6, Narration("second", zh="第二步：一个标签。", en="Step two: a label.", start=0.0).reading_time)
    assert clip["duration"] == pytest.approx(held + last, abs=0.07)  # each step held until read (step two: 0.6 s)
    assert [s["name"] for s in clip["sections"]] == ["first", "second"]
    assert clip["sections"][1]["start"] == pytest.approx(held, abs=0.07)
    for section in clip["sections"]:
        assert (folder / section["file"]).exists()
    assert len(clip["input_hash"]) == 16


@pytest.mark.parametrize(("alpha", "folder", "codec"), [("mov", "", "qtrle"), ("webm", "-webm", "vp9")])
def test_a_transparent_render_keeps_its_alpha_in_the_clip_its_sections_and_its_thumbnail(
    tmp_path, alpha, folder, codec
):
    import av
    from PIL import Image

    outcome = render(tmp_path, transparent=True, alpha=alpha)
    assert outcome.status == "rendered", outcome.error
    folder = tmp_path / f"en-dark-l-transparent{folder}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["transparent"], manifest["alpha"]) == (True, alpha)
    clip = manifest["clips"][0]
    assert clip["files"]["video"] == f"01_ToyLesson.{alpha}"
    assert [Path(s["file"]).suffix for s in clip["sections"]] == [f".{alpha}"] * 2
    with av.open(str(folder / clip["files"]["video"])) as container:
        assert container.streams.video[0].codec_context.name == codec
        last = list(scenes.render.video_frames(container))[-1]
    rgba = last.to_ndarray(format="rgba")
    assert rgba[0, 0, 3] == 0 and rgba[..., 3].max() == 255  # the background is see-through, the dot is not
    thumbnail = Image.open(folder / "01_ToyLesson.png")
    assert thumbnail.mode == "RGBA" and thumbnail.getpixel((0, 0))[3] == 0


def test_the_alpha_format_names_manims_flags_the_folder_and_the_hash(tmp_path, monkeypatch):
    mov, webm = RenderOptions(transparent=True), RenderOptions(transparent=True, alpha="webm")
    assert scenes.render.alpha_flags(mov) == ["-t"] and scenes.render.alpha_flags(webm)[1:] == ["--format", "webm"]
    assert scenes.render.alpha_flags(RenderOptions(alpha="webm")) == []  # alpha without transparent: an opaque mp4
    job = Job(1, ENTRY, LectureSettings("en"), "{}")
    assert input_hash(job, mov) != input_hash(job, webm)
    seen = []
    monkeypatch.setattr(scenes.render, "render_lecture", lambda jobs, options: seen.append(options) or [])
    assert scenes.__main__.main(["render", "TangentArrow", "--alpha", "webm", "--out", str(tmp_path)]) == 0
    assert (seen[0].transparent, seen[0].alpha) == (True, "webm")


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
    process = subprocess.Popen(  # SIGINT as a terminal leaves it: a background job of a script inherits it ignored
        command,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("*/.work/**/*.mp4")):  # partial movie files: the render is under way
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 130, output
    folder = next(tmp_path.iterdir())
    assert sorted(path.name for path in folder.iterdir()) == [".lock", "manifest.json"]  # no clip, no work folder
    assert read_manifest(folder)["clips"] == []


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
    "truncated": b'{"clips": [{"index": 1, "scene": "ToyLe',
    "empty": b"",
    "a list": b"[]",
    "null": b"null",
    "clips null": b'{"clips": null}',
    "clips not a list": b'{"clips": {"ToyLesson": 1}}',
    "an entry not an object": b'{"clips": ["ToyLesson"]}',
    "no files (older version)": without("files"),
    "no scene": without("scene"),
    "no duration": without("duration"),
    "no input hash": without("input_hash"),
    "duration a string": changed("duration", "1.9"),
    "duration true": changed("duration", True),
    "files null": changed("files", None),
    "files a list": changed("files", ["01_ToyLesson.mp4"]),
    "sections null": changed("sections", None),
    "a file outside the folder": changed("files", {"video": "../01_ToyLesson.mp4"}),
    "files without a video": changed("files", {"thumbnail": "01_ToyLesson.png"}),
    "a file name a number": changed("files", {"video": 1}),
}


def render_with_manifest(tmp_path, monkeypatch, manifest) -> tuple[list, Outcome]:
    """Render the toy job over ``manifest`` (bytes, or a function of the job's hash), the child replaced."""
    options = RenderOptions(out=tmp_path, jobs=1)
    job = Job(1, ENTRY, TOY_SETTINGS, "{}")
    folder = tmp_path / "en-dark-l"
    folder.mkdir(exist_ok=True)
    (folder / "01_ToyLesson.mp4").write_bytes(b"an old clip")
    (folder / "01_ToyLesson.png").write_bytes(b"its thumbnail")
    data = manifest if isinstance(manifest, bytes) else json.dumps(manifest(input_hash(job, options))).encode()
    (folder / "manifest.json").write_bytes(data)
    ran = []

    def run(job, batch):
        ran.append(job.entry.scene)
        batch.manifest.set(job.entry.scene, whole_clip(job.hash))
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
    whole = {**whole_clip("h"), "scene": "TangentArrow", "files": {"video": "01_TangentArrow.mp4"}}
    (tmp_path / "01_TangentArrow.mp4").write_bytes(b"a clip")
    (tmp_path / "manifest.json").write_text(json.dumps({"language": "en", "clips": [broken, whole]}))
    assert read_manifest(tmp_path) == {"language": "en", "clips": [whole]}


# --- fake renders: a tiny real clip from tests/fixtures/fake_manim.py ------------

FAKE = FIXTURES / "fake_manim.py"
DRIVER = ROOT / "tests" / "render_driver.py"
OTHER = Entry("toy_lesson", "OtherLesson", "toy", directory=FIXTURES)


def fake_job(entry: Entry = ENTRY, index: int = 1, table: str = "{}") -> Job:
    return Job(index, entry, TOY_SETTINGS, table)


@pytest.fixture
def fake(monkeypatch):
    """Renders go to the fake child; returns the work folders it was handed."""
    works = []

    def command(job, options, work):
        works.append(work)
        return [str(FAKE), str(work), job.entry.scene]

    monkeypatch.setattr(scenes.render, "_manim_command", command)
    monkeypatch.setattr(scenes.render, "HASHED_SOURCES", ())  # as the driver: others' edits must not change hashes
    return works


def fake_render(out: Path, *jobs: Job, **options) -> list[Outcome]:
    return render_lecture(list(jobs), RenderOptions(out=out, **{"jobs": 1, **options}))


def manifest_of(out: Path) -> dict:
    return json.loads((out / "en-dark-l" / "manifest.json").read_text(encoding="utf-8"))


def listed_but_missing(folder: Path) -> list[str]:
    """Every file the manifest lists that is not there: must always be empty."""
    missing = []
    for clip in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["clips"]:
        names = [*clip["files"].values(), *(section["file"] for section in clip["sections"])]
        missing += [name for name in names if not (folder / name).exists()]
    return missing


def clip_bytes(folder: Path, stem: str) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob(f"{stem}*")) if p.is_file()}


def driver(out: Path, *args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(out), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def wait_for(condition, seconds: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def is_gone(pid: int) -> bool:
    """Whether a process has exited (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_a_second_render_into_a_busy_folder_is_refused_at_once_and_changes_nothing(tmp_path, fake, monkeypatch, capsys):
    """The first render is another process (the driver); the second is this one, through the command line."""
    hold, pids, out = tmp_path / "hold", tmp_path / "pids", tmp_path / "out"
    pids.mkdir()
    first = driver(out, "ToyLesson", env={"FAKE_MANIM_HOLD": str(hold), "FAKE_MANIM_PIDS": str(pids)})
    wait_for(lambda: any(pids.iterdir()), what="the first render's child")  # it holds the lock from before then
    monkeypatch.setattr(scenes.__main__, "_prepare_jobs", lambda *args: [fake_job(OTHER, 2)])
    assert scenes.__main__.main(["render", "OtherLesson", "--force", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: another render is using this folder: ")
    assert f"(pid {first.pid}, started " in err and "render into another --out" in err
    assert len(err.strip().splitlines()) == 1
    assert fake == []  # nothing rendered, nothing touched
    hold.touch()
    assert first.wait(timeout=60) == 0, first.communicate()
    first.stdout.close(), first.stderr.close()
    (toy,) = manifest_of(out)["clips"]
    assert toy["scene"] == "ToyLesson"
    toy_again, other = fake_render(out, fake_job(), fake_job(OTHER, 2))  # the folder is free: the merge keeps both
    assert (toy_again.status, other.status) == ("skipped", "rendered")
    assert manifest_of(out)["clips"] == [toy, other.clip]
    assert listed_but_missing(out / "en-dark-l") == []


def test_the_same_scene_twice_renders_once_and_each_job_has_its_own_work_folder(tmp_path, fake):
    outcomes = fake_render(tmp_path, fake_job(), fake_job(), fake_job(OTHER, 2), jobs=2)
    assert [(o.job.entry.scene, o.status) for o in outcomes] == [("ToyLesson", "rendered"), ("OtherLesson", "rendered")]
    assert len(fake) == len(set(fake)) == 2
    assert all(work.parent.name == ".work" for work in fake)
    assert not (tmp_path / "en-dark-l" / ".work").exists()


def _write_many(folder: Path, name: str) -> None:
    for i in range(100):
        write_manifest(folder, {"writer": name, "i": i, "clips": [{"scene": name * 200}] * 20})


def test_two_writers_never_show_a_reader_half_a_manifest(tmp_path):
    """Two writer processes (forked, so that they start at once), and this one reading all the time."""
    write_manifest(tmp_path, {"clips": []})
    fork = multiprocessing.get_context("fork")
    writers = [fork.Process(target=_write_many, args=(tmp_path, name)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    reads = bad = 0
    while any(writer.is_alive() for writer in writers):
        try:
            json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
        except ValueError:
            bad += 1
        reads += 1
        time.sleep(0.0002)  # leave the writers a core
    assert [writer.exitcode for writer in writers] == [0, 0]  # a writer that raised exits with 1
    assert (bad, reads > 10) == (0, True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]  # no temporary file left


def failing_move(monkeypatch, after: int) -> None:
    real, moves = scenes.render._move, []

    def move(source, target):
        if len(moves) == after:
            raise OSError(28, "No space left on device (injected)")
        real(source, target)
        moves.append(target)

    monkeypatch.setattr(scenes.render, "_move", move)


@pytest.mark.parametrize("after", [1, 4, 7])  # a file, then the sections folder, then the video: the last move
def test_a_failure_between_two_moves_puts_the_old_clip_back_and_keeps_it_listed(tmp_path, fake, monkeypatch, after):
    (first,) = fake_render(tmp_path, fake_job())
    folder = tmp_path / "en-dark-l"
    before = clip_bytes(folder, "01_ToyLesson")
    failing_move(monkeypatch, after)
    (outcome,) = fake_render(tmp_path, fake_job(table='{"lr": 0.2}'))
    assert outcome.status == "failed" and "injected" in outcome.error
    assert clip_bytes(folder, "01_ToyLesson") == before
    assert manifest_of(tmp_path)["clips"] == [first.clip]
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".lock"]


@pytest.mark.parametrize("after", [7])  # everything moved but the video: new sections beside the old video
def test_a_kill_between_two_moves_never_leaves_a_clip_listed_without_its_files(tmp_path, fake, after):
    fake_render(tmp_path / "out", fake_job(), fake_job(OTHER, 2), jobs=2)
    killed = driver(
        tmp_path / "out", "ToyLesson", env={"FAKE_TABLE": '{"lr": 0.2}', "DRIVER_KILL_AFTER_MOVES": str(after)}
    )
    out, err = killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL, out + err
    folder = tmp_path / "out" / "en-dark-l"
    assert listed_but_missing(folder) == []
    assert [clip["scene"] for clip in manifest_of(tmp_path / "out")["clips"]] == ["OtherLesson"]  # unlisted mid-swap
    toy, other = fake_render(tmp_path / "out", fake_job(table='{"lr": 0.2}'), fake_job(OTHER, 2))
    assert (toy.status, other.status) == ("rendered", "skipped")
    assert listed_but_missing(folder) == []
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".lock"]  # the leftovers are gone


def test_old_files_the_new_clip_does_not_have_are_removed_after_the_swap(tmp_path, fake, monkeypatch):
    fake_render(tmp_path, fake_job())
    monkeypatch.setenv("FAKE_MANIM_PLAIN", "1")  # the new render has no subtitles and no sections
    (outcome,) = fake_render(tmp_path, fake_job(table='{"lr": 0.2}'))
    assert outcome.status == "rendered"
    folder = tmp_path / "en-dark-l"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".lock",
        "01_ToyLesson.mp4",
        "01_ToyLesson.png",
        "manifest.json",
    ]
    assert manifest_of(tmp_path)["clips"] == [outcome.clip]
    assert outcome.clip["sections"] == []


def test_a_deleted_section_clip_means_render_again(tmp_path, fake, capsys):
    (first,) = fake_render(tmp_path, fake_job())
    (tmp_path / "en-dark-l" / first.clip["sections"][1]["file"]).unlink()
    (again,) = fake_render(tmp_path, fake_job())
    assert again.status == "rendered"
    assert "01_ToyLesson_sections/01_ToyLesson_0001_second.mp4 is missing" in capsys.readouterr().err
    assert listed_but_missing(tmp_path / "en-dark-l") == []


@pytest.mark.parametrize("shape", DAMAGED)
def test_a_damaged_manifest_is_rebuilt_from_the_clips_there_with_a_warning(tmp_path, monkeypatch, capsys, shape):
    """The other clip (a real tiny video) is listed again from its files; only the toy scene renders."""
    fake_manim = __import__("runpy").run_path(str(FAKE))
    folder = tmp_path / "en-dark-l"
    folder.mkdir()
    fake_manim["write_video"](folder / "02_OtherLesson.mp4")
    (folder / "02_OtherLesson.png").write_bytes(b"a thumbnail")
    ran, outcome = render_with_manifest(tmp_path, monkeypatch, DAMAGED[shape])
    assert (ran, outcome.status) == (["ToyLesson"], "rendered")
    clips = {clip["scene"]: clip for clip in manifest_of(tmp_path)["clips"]}
    assert clips["ToyLesson"] == whole_clip(outcome.job.hash)
    assert clips["OtherLesson"]["files"] == {"video": "02_OtherLesson.mp4", "thumbnail": "02_OtherLesson.png"}
    assert (clips["OtherLesson"]["input_hash"], clips["OtherLesson"]["duration"]) == ("", 0.2)
    err = capsys.readouterr().err
    assert "rebuilt from the clips in the folder" in err and "OtherLesson: listed again from 02_OtherLesson.mp4" in err
    assert "Traceback" not in err


def test_clips_without_a_manifest_are_listed_again_from_their_files(tmp_path, fake, capsys):
    fake_render(tmp_path, fake_job(), fake_job(OTHER, 2))
    (tmp_path / "en-dark-l" / "manifest.json").unlink()
    (toy,) = fake_render(tmp_path, fake_job())
    assert toy.status == "rendered"  # its inputs are unknown now: rendered again, never taken for current
    other = manifest_of(tmp_path)["clips"][1]
    assert (other["scene"], other["input_hash"], [s["name"] for s in other["sections"]]) == (
        "OtherLesson",
        "",
        ["first", "second"],
    )
    assert "manifest.json is missing; rebuilt from the clips in the folder" in capsys.readouterr().err
    assert listed_but_missing(tmp_path / "en-dark-l") == []


def test_a_folder_in_the_manifests_place_stops_the_render_with_one_line(tmp_path, fake):
    (tmp_path / "en-dark-l" / "manifest.json").mkdir(parents=True)
    with pytest.raises(FolderError, match="manifest.json is a folder; move it away"):
        fake_render(tmp_path, fake_job())
    assert fake == []


def test_sigterm_stops_the_renders_removes_the_work_folder_and_exits_143(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {"FAKE_MANIM_HOLD": str(tmp_path / "never"), "FAKE_MANIM_PIDS": str(pids)}
    process = driver(tmp_path / "out", "ToyLesson", "OtherLesson", "--jobs", "2", env=env)
    wait_for(lambda: len(list(pids.iterdir())) == 2, what="both children")
    process.terminate()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143, out + err
    assert err.strip() == "terminated: the renders were stopped; no half-written clip is listed"
    assert all(is_gone(int(pid.name)) for pid in pids.iterdir())
    folder = tmp_path / "out" / "en-dark-l"
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "manifest.json"]


_PARENT = """
import os, subprocess, sys, time
command = sys.argv[1:]
command[3] = str(os.getpid())  # the wrapper's parent argument: this process
subprocess.Popen(command)
time.sleep(60)
"""


def test_a_child_dies_with_its_parent_even_when_the_parent_is_killed(tmp_path, fake, monkeypatch):
    """The renderer's own child command line, started by a small parent that is then killed with SIGKILL."""
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("FAKE_MANIM_HOLD", str(tmp_path / "never"))
    monkeypatch.setenv("FAKE_MANIM_PIDS", str(pids))
    command = scenes.render._child_command(fake_job(), RenderOptions(), tmp_path / "work")
    assert command[:4] == [sys.executable, "-c", scenes.render._CHILD, str(os.getpid())]
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, *command], cwd=ROOT)
    wait_for(lambda: any(pids.iterdir()), what="the child")
    child = int(next(pids.iterdir()).name)
    parent.kill()
    parent.wait(timeout=30)
    wait_for(lambda: is_gone(child), seconds=5, what="the orphaned child to die")
