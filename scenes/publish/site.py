"""The offline lecture page: one folder with ``index.html``, the clips, posters and subtitle tracks.

Nothing is fetched from the network and nothing needs a server. Browsers
refuse ``<track src="file.vtt">`` over ``file://`` (the file counts as
another origin), so every ``<track>`` carries its WebVTT inline as a
``data:`` address, which is never cross-origin; a few lines of script add
the same cues through the TextTrack API should a browser still refuse one.
The chapter list is built from the sections (a page script, because browsers
draw no menu of their own for ``kind="chapters"``): a click seeks the video
to the section's start, and the section playing is highlighted.
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
from pathlib import Path

from scenes.chapters import title as chapter_title
from scenes.publish.assets import ClipAssets

__all__ = ["write_site"]

LABELS = {"zh": "中文", "en": "English"}
TITLES = {"zh": "梯度：从导数到梯度下降", "en": "Gradients: from the derivative to gradient descent"}

_STYLE = """
:root { color-scheme: dark; --bg: #101418; --fg: #e8eaed; --muted: #9aa0a6; --card: #1b2127; --accent: #f2c14e; }
body.light { color-scheme: light; --bg: #fafafa; --fg: #1f2328; --muted: #59636e; --card: #ffffff; --accent: #b35900; }
body.auto { color-scheme: light dark; }
@media (prefers-color-scheme: light) { body.auto { --bg: #fafafa; --fg: #1f2328; --muted: #59636e; --card: #fff; --accent: #b35900; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; }
header, main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
header nav a { color: var(--accent); margin-right: 1rem; }
.clip { background: var(--card); border-radius: 10px; padding: 1rem; margin: 0 0 1.5rem; }
.player { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 1rem; }
@media (max-width: 760px) { .player { grid-template-columns: 1fr; } }
video { width: 100%; height: auto; border-radius: 6px; background: transparent; }
ol.chapters { list-style: none; margin: 0; padding: 0; max-height: 32rem; overflow-y: auto; }
ol.chapters li { display: flex; gap: 0.5rem; align-items: center; padding: 0.3rem; border-radius: 6px; }
ol.chapters li.current { outline: 2px solid var(--accent); }
ol.chapters button { all: unset; cursor: pointer; display: flex; gap: 0.5rem; align-items: center; flex: 1; }
ol.chapters img { width: 96px; height: auto; border-radius: 4px; flex: none; }
time, .downloads, .downloads a { color: var(--muted); font-size: 0.85rem; }
"""

_SCRIPT = """
function vttCues(text) {
  const cues = [], re = /(\\d+):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d+):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n([\\s\\S]*?)(?:\\n\\n|$)/g;
  const t = (m, i) => +m[i] * 3600 + +m[i + 1] * 60 + +m[i + 2] + +m[i + 3] / 1000;
  // the cue text stays as written (h &lt; 0): a VTTCue's text is WebVTT markup, as the browser's parser keeps it
  for (let m; (m = re.exec(text)); ) cues.push([t(m, 1), t(m, 5), m[9].trim()]);
  return cues;
}
function dataText(src) {
  const bytes = Uint8Array.from(atob(src.split(",")[1]), c => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
function addFallback(video, el) {  // a track the browser refused: the same cues through the TextTrack API
  if (el.dataset.fallback) return;
  el.dataset.fallback = "1";
  const track = video.addTextTrack(el.kind, el.label + " ", el.srclang);
  for (const [a, b, text] of vttCues(dataText(el.src))) track.addCue(new VTTCue(a, b, text));
  track.mode = el.default ? "showing" : "hidden";
}
for (const clip of document.querySelectorAll(".clip")) {
  const video = clip.querySelector("video"), items = [...clip.querySelectorAll("ol.chapters li")];
  for (const el of video.querySelectorAll("track")) {
    el.addEventListener("error", () => addFallback(video, el));
    if (el.readyState === 3) addFallback(video, el);
  }
  for (const item of items) item.querySelector("button").addEventListener("click", () => {
    video.currentTime = +item.dataset.start; video.play().catch(() => {});
  });
  video.addEventListener("timeupdate", () => {
    let now = null;
    for (const item of items) if (video.currentTime + 0.05 >= +item.dataset.start) now = item;
    for (const item of items) item.classList.toggle("current", item === now);
  });
}
"""


def _place(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``: a hard link when the file system allows, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _data_url(path: Path) -> str:
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _tracks(folder: Path, clip: ClipAssets) -> str:
    rows = []
    for lang, vtt in clip.subtitles.items():
        default = " default" if lang == clip.language else ""
        rows.append(
            f'<track kind="subtitles" srclang="{lang}" label="{LABELS[lang]}"{default} src="{_data_url(folder / vtt)}">'
        )
    if clip.chapters:
        rows.append(f'<track kind="chapters" srclang="{clip.language}" src="{_data_url(folder / clip.chapters)}">')
    return "\n      ".join(rows)


def _video_link(video: str) -> str:
    """A download link named by the video's container (mp4, mov or webm)."""
    return f'<a href="media/{html.escape(video)}" download>{Path(video).suffix.lstrip(".")}</a>'


def _chapter_list(clip: ClipAssets) -> str:
    items = []
    for section in clip.sections:
        name = html.escape(chapter_title(section.name, clip.language))
        line = html.escape(section.lines.get(clip.language, section.name), quote=True)  # the step's line, on hover
        links = " ".join(
            f'<a href="media/{html.escape(vtt)}" download>{lang}.vtt</a>' for lang, vtt in section.subtitles.items()
        )
        items.append(
            f'<li data-start="{section.start}"><button type="button" title="{line}">'
            f'<img src="media/{html.escape(section.poster)}" alt="" loading="lazy" width="96">'
            f"<span>{name}<br><time>{_clock(section.start)}</time></span></button>"
            f'<span class="downloads">{_video_link(section.video)} {links}</span></li>'
        )
    return "\n        ".join(items)


def _clip_html(folder: Path, clip: ClipAssets) -> str:
    title = html.escape(f"{clip.index}. {clip.scene}")
    downloads = " · ".join(
        [_video_link(clip.video)]
        + [f'<a href="media/{html.escape(vtt)}" download>{lang}.vtt</a>' for lang, vtt in clip.subtitles.items()]
    )
    return f"""
  <section class="clip" id="clip-{clip.index:02d}">
    <h2>{title} <time>{_clock(clip.duration)}</time></h2>
    <div class="player">
      <video controls preload="metadata" playsinline src="media/{html.escape(clip.video)}" poster="media/{html.escape(clip.poster)}">
      {_tracks(folder, clip)}
      </video>
      <ol class="chapters">
        {_chapter_list(clip)}
      </ol>
    </div>
    <p class="downloads">{downloads}</p>
  </section>"""


def _files(clip: ClipAssets) -> list[str]:
    names = [clip.video, clip.chapters, *clip.subtitles.values()]
    for section in clip.sections:
        names += [section.video, section.poster, *section.subtitles.values()]
    return [name for name in names if name]


def write_site(folder: Path, clips: list[ClipAssets], target: Path, language: str, theme: str) -> Path:
    """Write the lecture page of the render folder ``folder``'s published ``clips`` into ``target``; return index.html.

    ``target/media/`` holds the clips, section clips, posters and ``.vtt``
    files under their render-folder names (hard links where possible);
    ``target/lecture.json`` lists the chapters for other tools.

    Examples
    --------
    >>> index = write_site(Path("media/lecture/en-dark-l"), clips, Path("site"), "en", "dark")  # doctest: +SKIP
    >>> index.name  # doctest: +SKIP
    'index.html'
    """
    media = target / "media"
    if media.exists():
        shutil.rmtree(media)  # a clip dropped from the lecture leaves no file behind
    for clip in clips:
        for name in _files(clip):
            _place(folder / name, media / name)
    toc = " ".join(f'<a href="#clip-{c.index:02d}">{c.index}. {html.escape(c.scene)}</a>' for c in clips)
    page = f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{html.escape(TITLES[language])}</title>
<style>{_STYLE}</style>
</head>
<body class="{theme}">
<header><h1>{html.escape(TITLES[language])}</h1><nav>{toc}</nav></header>
<main>{"".join(_clip_html(folder, clip) for clip in clips)}
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""
    index = target / "index.html"
    index.write_text(page, encoding="utf-8")
    chapters = [
        {"scene": c.scene, "video": f"media/{c.video}", "sections": [s.__dict__ for s in c.sections]} for c in clips
    ]
    (target / "lecture.json").write_text(json.dumps(chapters, ensure_ascii=False, indent=1), encoding="utf-8")
    return index
