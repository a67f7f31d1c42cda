"""The typesetting cache shared by renders: SVGs lent as links, kept whole, nothing kept from a failed job."""

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from scenes.render import _keep, typeset_cache


def typeset(work: Path, name: str, text: str, folder: str = "Tex") -> None:
    """What a manim child does: write a content-named file into its own cache folder."""
    (work / folder).mkdir(parents=True, exist_ok=True)
    (work / folder / name).write_text(text)


def test_a_job_gets_the_cached_files_and_adds_only_what_it_typeset_new(tmp_path):
    cache, first, second = tmp_path / "cache", tmp_path / "w1", tmp_path / "w2"
    with typeset_cache(cache, first):
        typeset(first, "aa.svg", "<svg>a</svg>")
        typeset(first, "bb.svg", "<svg>b</svg>", folder="texts")
    with typeset_cache(cache, second):
        assert (second / "Tex" / "aa.svg").read_text() == "<svg>a</svg>"  # lent before the child starts
        assert (second / "texts" / "bb.svg").exists()
        typeset(second, "cc.svg", "<svg>c</svg>")
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*.svg")) == [
        "Tex/aa.svg",
        "Tex/cc.svg",
        "texts/bb.svg",
    ]


def test_svgs_are_lent_as_hard_links_and_typst_sources_not_at_all(tmp_path):
    cache, work = tmp_path / "cache", tmp_path / "work"
    typeset(cache, "aa.svg", "<svg>a</svg>")
    typeset(cache, "aa.typ", "$a$")
    with typeset_cache(cache, work):
        assert (work / "Tex" / "aa.svg").stat().st_ino == (cache / "Tex" / "aa.svg").stat().st_ino
        assert not (work / "Tex" / "aa.typ").exists()  # manim writes its own before it compiles


def test_a_failed_or_interrupted_job_adds_nothing(tmp_path):
    cache, work = tmp_path / "cache", tmp_path / "work"
    for stop in (RuntimeError("manim exited with 1"), KeyboardInterrupt()):
        with pytest.raises(type(stop)), typeset_cache(cache, work):
            typeset(work, "half.svg", "<svg")  # possibly cut short by a kill
            raise stop
    assert not list(cache.rglob("*.svg"))


def test_another_jobs_temporary_copy_is_never_lent(tmp_path):
    cache, work = tmp_path / "cache", tmp_path / "work"
    typeset(cache, ".aa.svg.x1y2.tmp", "<sv")
    with typeset_cache(cache, work):
        pass
    assert not list((work / "Tex").iterdir())


def test_no_cache_means_the_job_folder_is_left_alone(tmp_path):
    with typeset_cache(None, tmp_path):
        typeset(tmp_path, "aa.svg", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Tex"]


def _writer(source: str, cache: str, rounds: int) -> None:
    for _ in range(rounds):
        _keep(Path(source), Path(cache))
        with_name = Path(cache) / Path(source).name
        with_name.unlink(missing_ok=True)  # so that the next round writes it again


def test_a_reader_sees_a_whole_cached_file_or_none_while_jobs_keep_it_at_once(tmp_path):
    body = "<svg>" + "x" * 2_000_000 + "</svg>"  # long enough that a plain write would be seen half done
    sources = []
    for i in range(3):
        typeset(tmp_path / f"w{i}", "big.svg", body)
        sources.append(tmp_path / f"w{i}" / "Tex" / "big.svg")
    cache = tmp_path / "cache" / "Tex"
    cache.mkdir(parents=True)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(s), str(cache), 15)) for s in sources]
    for writer in writers:
        writer.start()
    seen, deadline = 0, time.monotonic() + 60
    while any(w.is_alive() for w in writers) and time.monotonic() < deadline:
        try:
            text = (cache / "big.svg").read_text()
        except FileNotFoundError:
            continue
        assert text == body
        seen += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert seen > 0
    assert not [p for p in os.listdir(cache) if p.endswith(".tmp")]  # no temporary copy left behind
