"""The slide deck: a 16:9 ``.pptx`` with a title slide, then one slide per section playing its clip.

python-pptx (1.0) embeds a movie with ``add_movie`` (marked experimental):
the poster frame is ours to give and playback starts on a click. It has no
API for autoplay, so the slide's timing tree is patched: python-pptx writes a
``p:video`` media node whose start condition is ``delay="indefinite"`` (wait
for a click); ``delay="0"`` starts it when the slide begins. This is the
change PowerPoint users report working (python-pptx issue #427, the way
manim-slides sets autoplay); it could not be checked in PowerPoint here.
"""

from __future__ import annotations

from pathlib import Path

from scenes.chapters import title as chapter_title
from scenes.publish.assets import ClipAssets

__all__ = ["autoplay", "write_deck"]

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000  # 13.333 in × 7.5 in, in EMU: 16:9
TITLE_H = 640_080  # 0.7 in for the step's name above the clip
MIME = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}


def autoplay(slide: object, movie: object) -> None:
    """Make ``movie`` start when ``slide`` begins, instead of on a click (patches the slide's timing XML).

    Examples
    --------
    >>> movie = slide.shapes.add_movie("clip.mp4", 0, 0, 100, 100, mime_type="video/mp4")  # doctest: +SKIP
    >>> autoplay(slide, movie)  # doctest: +SKIP
    """
    shape_id = movie.shape_id
    query = f".//p:timing//p:video/p:cMediaNode[p:tgtEl/p:spTgt/@spid='{shape_id}']/p:cTn/p:stCondLst/p:cond"
    conditions = slide.element.xpath(query)  # python-pptx's elements know the p: prefix
    if not conditions:
        raise ValueError(f"no media timing node for shape {shape_id}: python-pptx changed how it writes movies")
    for condition in conditions:
        condition.set("delay", "0")


def _fit(width: int, height: int, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The largest rectangle of the clip's aspect inside ``box`` (left, top, width, height), centred."""
    left, top, w, h = box
    scale = min(w / max(width, 1), h / max(height, 1))
    cw, ch = int(width * scale), int(height * scale)
    return left + (w - cw) // 2, top + (h - ch) // 2, cw, ch


def _title_slide(deck: object, title: str, subtitle: str, template_width: int) -> None:
    """The title slide; its placeholders, laid out by the template for ``template_width``, stretched to 16:9."""
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = title
    slide.placeholders[1].text = subtitle
    for shape in (slide.shapes.title, slide.placeholders[1]):  # else they keep the 4:3 place: left of centre
        left, top, width, height = shape.left, shape.top, shape.width, shape.height  # the layout's, inherited
        shape.left, shape.width = left * SLIDE_W // template_width, width * SLIDE_W // template_width
        shape.top, shape.height = top, height


def _section_slide(deck: object, folder: Path, clip: ClipAssets, index: int) -> None:
    from pptx.util import Pt

    section = clip.sections[index]
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = 0, 0, SLIDE_W, TITLE_H
    title.text = chapter_title(section.name, clip.language)
    title.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    width, height = clip.resolution if clip.resolution[0] else (16, 9)
    left, top, w, h = _fit(width, height, (0, TITLE_H, SLIDE_W, SLIDE_H - TITLE_H))
    video = folder / section.video
    movie = slide.shapes.add_movie(
        str(video), left, top, w, h, poster_frame_image=str(folder / section.poster), mime_type=MIME[video.suffix]
    )
    movie.name = f"{clip.scene} – {section.name}"
    autoplay(slide, movie)
    notes = [f"{clip.index}. {clip.scene} · {index + 1}/{len(clip.sections)} · {section.name}"]
    notes += [
        section.lines.get(
            clip.language,
        ),
        *(v for k, v in section.lines.items() if k != clip.language),
    ]
    slide.notes_slide.notes_text_frame.text = "\n\n".join(line for line in notes if line)


def write_deck(folder: Path, clips: list[ClipAssets], target: Path, title: str, subtitle: str) -> Path:
    """Write the deck of the published ``clips`` of the render folder ``folder`` to ``target``; return it.

    One slide per section: its name as the title, its clip below at the
    clip's aspect (poster frame set, playing on slide entry), its narration in
    both languages (the video's first) as speaker notes.

    Examples
    --------
    >>> write_deck(Path("media/lecture/en-dark-l"), clips, Path("lecture.pptx"), "Gradients", "en · dark")  # doctest: +SKIP
    PosixPath('lecture.pptx')
    """
    from pptx import Presentation

    deck = Presentation()
    template_width = deck.slide_width  # python-pptx's default template is 4:3
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    _title_slide(deck, title, subtitle, template_width)
    for clip in clips:
        for index in range(len(clip.sections)):
            _section_slide(deck, folder, clip, index)
    target.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(target))
    return target
