"""Variants side by side: every choice that changes the pixels names the output folder, and captions are a flag."""

import itertools
from pathlib import Path

import scenes.__main__
import scenes.render
from scenes.render import RenderOptions, output_folder
from scenes.toolkit.config import LectureSettings


def test_every_variant_has_a_folder_of_its_own_and_the_default_keeps_its_name():
    names = set()
    for language, theme, quality, captions, transparent in itertools.product(
        ("zh", "en"), ("dark", "light"), ("l", "h"), (True, False), (True, False)
    ):
        options = RenderOptions(quality=quality, transparent=transparent, out=Path("m"))
        names.add(output_folder(LectureSettings(language, theme, captions), options).name)
    assert len(names) == 2**5
    assert output_folder(LectureSettings("en", "dark", True), RenderOptions(out=Path("m"))) == Path("m/en-dark-l")


def test_no_captions_on_the_command_line_reaches_every_job_and_names_the_folder(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(scenes.render, "render_lecture", lambda jobs, options: seen.extend(jobs) or [])
    config = tmp_path / "lecture.toml"
    config.write_text('[lecture]\nlanguage = "en"\ncaptions = true\n', encoding="utf-8")
    argv = ["render", "TangentArrow", "--no-captions", "--config", str(config), "--out", str(tmp_path)]
    assert scenes.__main__.main(argv) == 0
    assert [job.settings.captions for job in seen] == [False]
    assert output_folder(seen[0].settings, RenderOptions(out=tmp_path)).name == "en-dark-l-nocaptions"


def test_publish_looks_for_the_variant_the_flags_name(tmp_path, capsys):
    argv = ["publish", "--lang", "en", "--theme", "light", "--no-captions", "--transparent", "--out", str(tmp_path)]
    assert scenes.__main__.main(argv) == 2
    assert "en-light-l-nocaptions-transparent: no manifest.json" in capsys.readouterr().err
    argv = ["publish", "--lang", "zh", "--theme", "dark", "--alpha", "webm", "--out", str(tmp_path)]
    assert scenes.__main__.main(argv) == 2
    assert "zh-dark-l-transparent-webm: no manifest.json" in capsys.readouterr().err


def test_deck_and_site_are_publish_with_one_output_and_serve_finds_the_variants_page(tmp_path, monkeypatch, capsys):
    import scenes.publish
    from scenes.publish import Publication

    seen = []

    def fake(folder, *, config, site, deck):
        seen.append((folder, site, deck))
        return Publication(folder, [], site=site, deck=deck)

    monkeypatch.setattr(scenes.publish, "publish", fake)
    folder = tmp_path / "en-dark-l"
    assert scenes.__main__.main(["deck", "--folder", str(folder)]) == 0
    assert scenes.__main__.main(["site", "--folder", str(folder)]) == 0
    assert scenes.__main__.main(["publish", "--folder", str(folder)]) == 0
    assert [(site is not None, deck is not None) for _, site, deck in seen] == [
        (False, True),
        (True, False),
        (True, True),
    ]
    argv = ["serve", "--lang", "zh", "--theme", "light", "--out", str(tmp_path)]
    assert scenes.__main__.main(argv) == 2
    assert "zh-light-l/site/index.html not found" in capsys.readouterr().err
