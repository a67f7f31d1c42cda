"""Publishing a rendered folder: WebVTT beside every SubRip file, both languages timed by the video, section
posters that are not fades, the offline page and the slide deck, read back structurally.

Most tests publish a tiny render folder written here (32×18 videos of a few
frames, a manifest as the renderer writes it, steps handed in as a dry run
would give them); one renders the toy scene for real and publishes it with
a real dry run in the other language.
"""

import base64
import fcntl
import json
import re
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import av
import numpy as np
import pytest

import scenes.__main__
from scenes.catalog import Entry
from scenes.publish import PublishError, publish, serve
from scenes.publish.assets import catalog_steps
from scenes.publish.narration import Step
from scenes.publish.subtitles import Cue, format_srt, format_vtt, parse_srt, parse_vtt, section_cues
from scenes.render import Job, RenderOptions, render_lecture
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import toml_text

FIXTURES = Path(__file__).parent / "fixtures"
TOY = Entry("toy_lesson", "ToyLesson", "toy", directory=FIXTURES)
LINES = [
    ("first", "第一步：一个点。", "Step one: a point."),
    ("second", "第二步：h < 0 & 更多。", "Step two: h < 0 & more."),
]


def write_video(path: Path, drawn: list[bool]) -> None:
    """A 32×18 clip at 15 fps: one frame per entry, a light box on a dark stage when True, the bare stage when False."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 32, 18, "yuv420p"
        for box in drawn:
            image = np.full((18, 32, 3), 16, dtype=np.uint8)
            if box:
                image[4:12, 6:20] = 230
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())


def tiny_render(folder: Path) -> Path:
    """A render folder as the renderer leaves it: one English clip of two sections, the second fading out."""
    folder.mkdir(parents=True)
    (folder / "01_Toy_sections").mkdir()
    write_video(folder / "01_Toy.mp4", [True] * 3 + [True, True, False])
    write_video(folder / "01_Toy_sections/01_Toy_0000_first.mp4", [True] * 3)
    write_video(folder / "01_Toy_sections/01_Toy_0001_second.mp4", [True, True, False])
    cues = [Cue(0.0, 0.2, LINES[0][2]), Cue(0.2, 0.4, LINES[1][2])]
    (folder / "01_Toy.srt").write_text(format_srt(cues), encoding="utf-8")
    (folder / "01_Toy.png").write_bytes(b"")
    sections = [
        {"name": name, "start": 0.2 * i, "duration": 0.2, "file": f"01_Toy_sections/01_Toy_000{i}_{name}.mp4"}
        for i, (name, _, _) in enumerate(LINES)
    ]
    files = {"video": "01_Toy.mp4", "thumbnail": "01_Toy.png", "subtitles": "01_Toy.srt", "sections": "01_Toy_sections"}
    clip = {"index": 1, "scene": "Toy", "module": "", "files": files, "duration": 0.4, "resolution": [32, 18]}
    clip |= {"fps": 15.0, "sections": sections, "input_hash": "abc"}
    manifest = {"language": "en", "theme": "dark", "captions": True, "quality": "l", "transparent": False}
    (folder / "manifest.json").write_text(json.dumps({**manifest, "clips": [clip]}), encoding="utf-8")
    return folder


def toy_steps(folder: Path, clip: dict, language: str) -> list[Step]:
    return [Step(name, zh, en, 0.2 * i, 0.2 * (i + 1)) for i, (name, zh, en) in enumerate(LINES)]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tiny_render(tmp_path_factory.mktemp("publish") / "en-dark-l")
    done = publish(
        folder, config=folder / "absent.toml", site=folder / "site", deck=folder / "lecture.pptx", steps_for=toy_steps
    )
    return folder, done


def test_a_deck_of_transparent_clips_warns_that_powerpoint_shows_them_on_black(tmp_path):
    folder = tiny_render(tmp_path / "en-dark-l-transparent")
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "transparent": True, "alpha": "mov"}))
    done = publish(folder, config=folder / "absent.toml", site=None, deck=folder / "d.pptx", steps_for=toy_steps)
    assert any("PowerPoint ignores a video's alpha" in w for w in done.warnings)
    plain = tiny_render(tmp_path / "en-dark-l")
    plain = publish(plain, config=tmp_path / "absent.toml", site=None, deck=plain / "d.pptx", steps_for=toy_steps)
    assert not any("alpha" in w for w in plain.warnings)


def test_webvtt_keeps_the_srt_times_and_escapes_markup():
    cues = [Cue(0.0, 5.6, "one"), Cue(3725.25, 3726.0, "here with h < 0 & x > 1")]
    vtt = format_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n") and "01:02:05.250 --> 01:02:06.000" in vtt and "h &lt; 0 &amp; x &gt; 1" in vtt
    assert parse_vtt(vtt) == parse_srt(format_srt(cues)) == cues
    assert section_cues(cues, 5.0, 1.0) == [Cue(0.0, 0.6, "one")]


def test_every_srt_in_the_published_folder_has_a_vtt_beside_it_with_the_same_cues(published):
    folder, _ = published
    srts = sorted(p for p in folder.rglob("*.srt") if "site" not in p.parts)
    assert len(srts) == 1 + 2 + 2 * 2  # the render's, the clip's two languages, each section's two
    for srt in srts:
        assert parse_vtt(srt.with_suffix(".vtt").read_text(encoding="utf-8")) == parse_srt(
            srt.read_text(encoding="utf-8")
        )


def test_the_other_language_is_timed_by_the_video_and_each_section_has_its_own_subtitles(published):
    folder, done = published
    rendered = parse_srt((folder / "01_Toy.srt").read_text(encoding="utf-8"))
    chinese = parse_vtt((folder / "01_Toy.zh.vtt").read_text(encoding="utf-8"))
    assert [(c.start, c.end) for c in chinese] == [(c.start, c.end) for c in rendered]
    assert [c.text for c in chinese] == [zh for _, zh, _ in LINES]
    second = done.clips[0].sections[1]
    assert parse_vtt((folder / second.subtitles["zh"]).read_text(encoding="utf-8")) == [Cue(0.0, 0.2, LINES[1][1])]
    chapters = parse_vtt((folder / "01_Toy.chapters.vtt").read_text(encoding="utf-8"))
    assert [(c.start, c.text) for c in chapters] == [(0.0, "first"), (0.2, "second")]


def test_a_section_that_ends_in_a_fade_out_gets_its_last_drawn_frame_as_poster(published):
    folder, done = published
    first, second = done.clips[0].sections
    assert first.poster_time == pytest.approx(2 / 15, abs=1e-3)  # its last frame: still and drawn
    assert second.poster_time == pytest.approx(1 / 15, abs=1e-3)  # not the bare stage it ends on
    assert (folder / second.poster).read_bytes().startswith(b"\x89PNG")


def test_steps_that_are_not_the_rendered_clip_are_refused_with_the_fix(tmp_path):
    folder = tiny_render(tmp_path / "en-dark-l")

    def slower(folder, clip, language):
        return [Step(s.section, s.zh, s.en, s.start * 3, s.end * 3) for s in toy_steps(folder, clip, language)]

    with pytest.raises(PublishError, match=r"lasts 0.200 s in the video but 0.600 s in a dry run.*render it again"):
        publish(folder, config=tmp_path / "absent.toml", steps_for=slower)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_page_is_self_contained_with_tracks_in_both_languages_and_chapters(published):
    folder, done = published
    site = done.site.parent
    page = _Page()
    page.feed(done.site.read_text(encoding="utf-8"))
    links = [
        a[key] for _, a in page.tags for key in ("src", "href", "poster") if key in a and not a[key].startswith("#")
    ]
    assert not [link for link in links if "//" in link and not link.startswith("data:")]  # nothing from the network
    assert all((site / link).is_file() for link in links if not link.startswith("data:"))
    tracks = [a for tag, a in page.tags if tag == "track"]
    assert sorted(t["srclang"] for t in tracks if t["kind"] == "subtitles") == ["en", "zh"]
    assert next(t for t in tracks if t["kind"] == "subtitles" and "default" in t)["srclang"] == "en"
    zh = next(t for t in tracks if t.get("srclang") == "zh" and t["kind"] == "subtitles")
    inline = base64.b64decode(zh["src"].split(",", 1)[1]).decode("utf-8")
    assert inline == (folder / "01_Toy.zh.vtt").read_text(encoding="utf-8")
    starts = [float(a["data-start"]) for tag, a in page.tags if tag == "li" and "data-start" in a]
    assert starts == [0.0, 0.2]


def test_the_deck_has_a_slide_per_section_with_its_clip_poster_autoplay_and_notes(published):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    folder, done = published
    deck = Presentation(str(done.deck))
    assert (deck.slide_width, deck.slide_height) == (12_192_000, 6_858_000)
    title = deck.slides[0]
    for shape in (title.shapes.title, title.placeholders[1]):  # centred on the 16:9 slide, not where 4:3 puts it
        assert shape.left + shape.width / 2 == pytest.approx(deck.slide_width / 2, rel=0.01)
        assert shape.top > 0 and shape.height > 0
    slides = list(deck.slides)[1:]
    assert [s.shapes.title.text for s in slides] == ["first", "second"]
    for slide, section in zip(slides, done.clips[0].sections, strict=True):
        (movie,) = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
        parts = {
            rel.target_part.content_type: rel.target_part for rel in slide.part.rels.values() if not rel.is_external
        }
        assert parts["video/mp4"].blob == (folder / section.video).read_bytes()
        assert parts["image/png"].blob == (folder / section.poster).read_bytes()
        query = f".//p:timing//p:cMediaNode[p:tgtEl/p:spTgt/@spid='{movie.shape_id}']/p:cTn/p:stCondLst/p:cond/@delay"
        assert slide.element.xpath(query) == ["0"]
        notes = slide.notes_slide.notes_text_frame.text
        assert section.lines["en"] in notes and section.lines["zh"] in notes


def test_publish_is_refused_while_a_render_holds_the_folder(tmp_path):
    folder = tiny_render(tmp_path / "en-dark-l")
    with (folder / ".lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 1, started 10:00:00\n")
        held.flush()
        with pytest.raises(PublishError, match=r"a render is using this folder.*pid 1"):
            publish(folder, config=tmp_path / "absent.toml", steps_for=toy_steps)


def test_a_real_render_gets_the_other_language_from_a_dry_run_at_its_own_times(tmp_path):
    config = tmp_path / "lecture.toml"
    config.write_text(toml_text({}), encoding="utf-8")
    settings, params = load_scene_config(TOY.load(), config, {"language": "en"})
    outcome = render_lecture([Job(1, TOY, settings, params.fingerprint())], RenderOptions(out=tmp_path, jobs=1))[0]
    assert outcome.status == "rendered", outcome.error
    folder = tmp_path / "en-dark-l"
    publish(folder, config=config, steps_for=catalog_steps(config, "dark", True, {"ToyLesson": TOY}))
    rendered = parse_srt((folder / "01_ToyLesson.srt").read_text(encoding="utf-8"))
    chinese = parse_vtt((folder / "01_ToyLesson.zh.vtt").read_text(encoding="utf-8"))
    assert [(c.start, c.end) for c in chinese] == [(c.start, c.end) for c in rendered]
    assert [c.text for c in chinese] == ["第一步：一个点。", "第二步：一个标签。"]
    assert (
        json.loads((folder / "01_ToyLesson.steps.json").read_text(encoding="utf-8"))["steps"][0]["section"] == "first"
    )


def test_the_command_line_publishes_a_folder_and_says_what_it_could_not_do(tmp_path, capsys):
    folder = tiny_render(tmp_path / "en-dark-l")
    assert scenes.__main__.main(["publish", "--folder", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "Toy: not in the lecture's catalog, so only en subtitles" in err
    assert (folder / "site" / "index.html").is_file() and (folder / "lecture.pptx").is_file()
    assert (folder / "01_Toy.en.vtt").is_file() and not (folder / "01_Toy.zh.vtt").exists()


def test_publishing_without_a_render_is_one_line(tmp_path, capsys):
    with tempfile.TemporaryDirectory(dir=tmp_path) as empty:
        assert scenes.__main__.main(["publish", "--folder", empty]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_a_render_is_refused_while_publish_holds_the_folder(tmp_path):
    import scenes.publish
    import scenes.render

    folder = tiny_render(tmp_path / "en-dark-l")
    with scenes.publish._locked(folder), pytest.raises(scenes.render.FolderError, match="publishing"):
        scenes.render._take_lock(folder)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (Debian's libreoffice-impress) is not installed")
def test_libreoffice_converts_the_deck_to_a_pdf_of_one_page_per_slide(published, tmp_path):
    _, done = published
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # a profile of its own: no clash with a running office
    run = subprocess.run(
        ["soffice", "--headless", profile, "--convert-to", "pdf", "--outdir", str(tmp_path), str(done.deck)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    pdf = (tmp_path / "lecture.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1 + len(done.clips[0].sections)
    boxes = {tuple(float(n) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([\d.\s]+)\]", pdf)}
    assert boxes and all((x1 - x0) / (y1 - y0) == pytest.approx(16 / 9, rel=0.01) for x0, y0, x1, y1 in boxes)


class QuietHandler(serve.RangeHandler):
    """The page server without a line on stderr per request."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


def test_the_page_server_answers_byte_ranges_so_a_browser_can_seek(published):
    _, done = published
    video = done.site.parent / "media" / done.clips[0].video
    httpd = serve.server(done.site.parent, handler=QuietHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{httpd.server_address[1]}/media/{done.clips[0].video}"
    try:
        with urllib.request.urlopen(urllib.request.Request(address, headers={"Range": "bytes=10-19"})) as answer:
            assert answer.status == 206 and answer.read() == video.read_bytes()[10:20]
            assert answer.headers["Content-Range"] == f"bytes 10-19/{video.stat().st_size}"
        with urllib.request.urlopen(address) as answer:
            assert answer.status == 200 and answer.headers["Accept-Ranges"] == "bytes"
            assert answer.read() == video.read_bytes()
        with pytest.raises(urllib.error.HTTPError, match="416"):
            urllib.request.urlopen(urllib.request.Request(address, headers={"Range": "bytes=999999-"}))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert serve.main([str(done.folder)]) == 2  # the render folder, not its site/: refused in one line


def test_every_step_of_every_clip_has_a_chinese_chapter_title():
    from scenes import catalog
    from scenes.chapters import TITLES, title

    stored = Path(__file__).parent / "fixtures" / "key_frames"  # one picture per section, named by it
    steps = {
        entry.scene: [
            p.stem.split("_", 1)[1].replace("_", " ") for p in sorted(stored.glob(f"{entry.scene}-zh-dark/*.png"))
        ]
        for entry in catalog.available()
    }
    assert all(steps.values()) and len(steps) == len(catalog.available())
    missing = {scene: [s for s in names if s not in TITLES] for scene, names in steps.items()}
    assert not any(missing.values()), missing
    assert all(
        any("\u4e00" <= c <= "\u9fff" or c.isdigit() for c in TITLES[s]) for names in steps.values() for s in names
    )
    assert title("the chain rule", "zh") == "链式法则" and title("the chain rule", "en") == "the chain rule"
