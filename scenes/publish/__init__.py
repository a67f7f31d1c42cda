"""From rendered clips to a lecture: ``python -m scenes publish``.

Reads one render folder (``media/lecture/<variant>/`` and its
``manifest.json``) and writes

* beside every clip and section: WebVTT next to every SubRip file, subtitles
  in both languages timed by the video (no second render: see
  :mod:`scenes.publish.narration`), a chapters track and a poster frame per
  section (:mod:`scenes.publish.assets`, :mod:`scenes.publish.posters`);
* ``<folder>/site/``: the offline lecture page (:mod:`scenes.publish.site`);
* ``<folder>/lecture.pptx``: the slide deck (:mod:`scenes.publish.deck`).

It holds the render folder's lock while it works, so it never reads a clip
that a render is swapping, and a render never starts under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scenes.publish.assets import ClipAssets, StepSource, catalog_steps, write_clip_assets
from scenes.publish.narration import PublishError

__all__ = ["Publication", "PublishError", "publish"]

TITLES = {"zh": "梯度：从导数到梯度下降", "en": "Gradients: from the derivative to gradient descent"}


@dataclass
class Publication:
    """What :func:`publish` wrote."""

    folder: Path
    clips: list[ClipAssets]
    site: Path | None = None
    deck: Path | None = None
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """The render folder's lock (the one a render takes), refused at once when a render holds it."""
    handle = (folder / ".lock").open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PublishError(f"a render is using this folder: {folder} ({holder}); publish when it is done") from None
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}, publishing, started {time.strftime('%H:%M:%S')}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def publish(
    folder: Path,
    *,
    config: Path,
    site: Path | None = None,
    deck: Path | None = None,
    steps_for: StepSource | None = None,
) -> Publication:
    """Publish the render folder ``folder``: subtitles, posters, then the page and the deck when asked for.

    Parameters
    ----------
    config
        The config file the clips were rendered with: the dry runs that give
        the other language's lines read it.
    site, deck
        Where to write the page's folder and the ``.pptx``; None skips it.
    steps_for
        Where the steps come from (default: a dry run of the catalog's scene,
        cached beside the clip).

    Raises
    ------
    PublishError
        No rendered clip, a render busy in the folder, or a clip whose scene
        no longer gives the steps it was rendered with.

    Examples
    --------
    >>> folder = Path("media/lecture/en-dark-l")
    >>> done = publish(folder, config=Path("lecture.toml"), site=folder / "site", deck=folder / "lecture.pptx")  # doctest: +SKIP
    >>> done.site.name  # doctest: +SKIP
    'index.html'
    """
    from scenes.publish.deck import write_deck
    from scenes.publish.site import write_site
    from scenes.render import load_manifest

    if not (folder / "manifest.json").is_file():
        raise PublishError(f"{folder}: no manifest.json; render the lecture first (python -m scenes render)")
    with _locked(folder):
        manifest, warnings = load_manifest(folder)
        if not manifest["clips"]:
            raise PublishError(f"{folder}: no rendered clip is listed; render the lecture first")
        language, theme = manifest.get("language", "zh"), manifest.get("theme", "dark")
        source = steps_for or catalog_steps(config, theme, bool(manifest.get("captions", True)))
        clips = [
            write_clip_assets(folder, clip, clip.get("language", language), source)
            for clip in sorted(manifest["clips"], key=lambda c: c.get("index", 0))
        ]
        done = Publication(folder, clips, warnings=warnings + [w for c in clips for w in c.warnings])
        if site is not None:
            done.site = write_site(folder, clips, site, language, theme)
        if deck is not None:
            if manifest.get("transparent"):
                done.warnings.append(
                    "the deck holds transparent clips: PowerPoint ignores a video's alpha and shows black;"
                    " for slides, publish a normal render of the slide's theme"
                )
            subtitle = f"{language} · {theme} · {folder.name}"
            done.deck = write_deck(folder, clips, deck, TITLES.get(language, TITLES["en"]), subtitle)
    return done
