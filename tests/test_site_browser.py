"""The lecture page in a real browser: Debian's headless Chromium driven by selenium through chromedriver.

The tiny render of ``test_publish`` is published once (dark, the render's
theme) and its page written again in the light style; each test loads a page
afresh, over ``file://`` (how a lecturer opens the copied folder) and, where
it matters, over http from ``scenes.publish.serve`` on a free local port. Skipped only when
chromium or chromedriver is absent (``tools/setup.sh`` installs both).
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_publish import QuietHandler, tiny_render, toy_steps

from scenes.publish import Publication, publish, serve
from scenes.publish.site import write_site

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="headless Chromium needs Debian's chromium and chromium-driver (tools/setup.sh)"
)

# As root in a closed network: no sandbox, and none of Chromium's own connections (refused here, slow to fail).
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
FLAGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"]
FLAGS += ["--window-size=1200,900", "--mute-audio"]

TRACKS_JS = """
return [...document.querySelectorAll("video")].map(v => [...v.textTracks].map(t => ({
  kind: t.kind, lang: t.language, label: t.label, mode: t.mode,
  cues: t.cues ? [...t.cues].map(c => [c.startTime, c.endTime, c.text, c.getCueAsHTML().textContent]) : null})));
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> tuple[Publication, Path]:
    """The tiny render published (its page in the dark style) and the same page in the light style."""
    folder = tiny_render(tmp_path_factory.mktemp("browser") / "en-dark-l")
    done = publish(folder, config=folder / "absent.toml", site=folder / "site", steps_for=toy_steps)
    light = write_site(folder, done.clips, folder / "site-light", "en", "light")
    return done, light


@pytest.fixture(scope="module")
def server(pages) -> Iterator[str]:
    """``python -m scenes.publish.serve`` of the dark page's folder on a free port of 127.0.0.1; its address."""
    httpd = serve.server(pages[0].site.parent, handler=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module, its console log kept (read with ``get_log("browser")``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)  # a driver path: Selenium Manager stays off
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.fixture(params=["file", "http"])
def url(request, pages) -> str:
    """The dark page's address over ``file://`` and over http."""
    return pages[0].site.as_uri() if request.param == "file" else request.getfixturevalue("server")


def load(browser, url: str) -> list[dict]:
    """Open ``url`` afresh and wait until every video knows its metadata; the console's messages of the load.

    Parameters
    ----------
    browser
        The selenium driver.
    url
        The page's address.

    Returns
    -------
    list of dict
        The browser log's entries (``level``, ``message``) written while loading.
    """
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what earlier tests left
    browser.get("about:blank")
    browser.get(url)
    ready = "return [...document.querySelectorAll('video')].every(v => v.readyState >= 1 || v.error)"
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(ready))
    browser.execute_script("return new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
    return browser.get_log("browser")


def loaded_tracks(browser) -> list[list[dict]]:
    """Every video's text tracks with their cues, after turning the disabled ones to ``hidden`` (which loads them)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script(
        "for (const v of document.querySelectorAll('video')) for (const t of v.textTracks)"
        " if (t.mode === 'disabled') t.mode = 'hidden';"
    )
    settled = "return [...document.querySelectorAll('track')].every(t => t.readyState >= 2)"
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(settled))
    return browser.execute_script(TRACKS_JS)


def test_the_page_loads_without_console_errors_and_every_video_knows_its_duration(browser, url, pages):
    done, _ = pages
    log = load(browser, url)
    assert [entry["message"] for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []
    videos = browser.execute_script(
        "return [...document.querySelectorAll('video')].map(v => [v.duration, v.error && v.error.message])"
    )
    assert len(videos) == len(done.clips)
    for (duration, error), clip in zip(videos, done.clips, strict=True):
        assert error is None
        assert duration == pytest.approx(clip.duration, abs=0.05)  # finite: not NaN, not Infinity


def test_every_subtitle_track_loads_its_cues_from_its_inline_data_address(browser, url, pages):
    done, _ = pages
    load(browser, url)
    (tracks,) = loaded_tracks(browser)
    states = browser.execute_script("return [...document.querySelectorAll('track')].map(t => t.readyState)")
    assert states == [2, 2, 2]  # LOADED, the data: address itself: no fallback track was needed
    assert [(t["kind"], t["lang"]) for t in tracks] == [("subtitles", "zh"), ("subtitles", "en"), ("chapters", "en")]
    assert all(t["cues"] for t in tracks)
    by_lang = {t["lang"]: t for t in tracks if t["kind"] == "subtitles"}
    assert by_lang["en"]["mode"] == "showing" and by_lang["zh"]["mode"] == "hidden"
    assert [c[3] for c in by_lang["en"]["cues"]] == ["Step one: a point.", "Step two: h < 0 & more."]
    assert [c[3] for c in tracks[2]["cues"]] == [s.name for s in done.clips[0].sections]
    assert [c[0] for c in tracks[2]["cues"]] == pytest.approx([s.start for s in done.clips[0].sections], abs=1e-3)


def test_a_vtt_file_as_track_source_is_refused_over_file_but_not_over_http(browser, url):
    """Why the page inlines its tracks: the same .vtt by its file name loads only when served."""
    from selenium.webdriver.support.ui import WebDriverWait

    load(browser, url)
    browser.execute_script(
        "const t = document.createElement('track'); t.id = 'by-file'; t.kind = 'subtitles';"
        "t.src = 'media/01_Toy.en.vtt'; document.querySelector('video').appendChild(t); t.track.mode = 'hidden';"
    )
    state = "return document.getElementById('by-file').readyState"
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(state) >= 2)
    assert browser.execute_script(state) == (3 if url.startswith("file:") else 2)  # ERROR over file://
    browser.get_log("browser")  # the refusal's message is this test's, not the page's


def test_the_fallback_script_gives_the_cues_the_browser_parses(browser, pages):
    load(browser, pages[0].site.as_uri())
    (parsed,) = loaded_tracks(browser)
    browser.execute_script("for (const t of document.querySelectorAll('track')) t.dispatchEvent(new Event('error'))")
    (tracks,) = browser.execute_script(TRACKS_JS)
    added = tracks[len(parsed) :]
    assert [t["label"] for t in added] == [t["label"] + " " for t in parsed]
    assert [t["mode"] for t in added] == ["hidden", "showing", "hidden"]
    for fallback, own in zip(added, parsed, strict=True):
        assert fallback["cues"] == own["cues"]  # times, the raw cue text (escapes kept) and what is shown


def test_clicking_a_chapter_seeks_its_video_to_the_section_start_and_highlights_it(browser, url, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    done, _ = pages
    load(browser, url)  # over http the server must answer byte ranges: python -m http.server's 200s cannot seek
    browser.execute_script(
        "const v = document.querySelector('video'); v.playbackRate = 0.0625; window.seeks = [];"
        "v.addEventListener('seeked', () => window.seeks.push(v.currentTime));"
    )  # slow play after the seek: the time read is the one sought
    buttons = browser.find_elements(By.CSS_SELECTOR, "ol.chapters li button")
    current = "return [...document.querySelectorAll('ol.chapters li')].map(li => li.classList.contains('current'))"
    for section, button in reversed(list(zip(done.clips[0].sections, buttons, strict=True))):
        count = browser.execute_script("return window.seeks.length")
        button.click()
        WebDriverWait(browser, 5).until(lambda b, n=count: b.execute_script("return window.seeks.length") > n)
        assert browser.execute_script("return window.seeks.at(-1)") == pytest.approx(section.start, abs=0.03)
        expected = [s is section for s in done.clips[0].sections]
        WebDriverWait(browser, 5).until(lambda b, e=expected: b.execute_script(current) == e)


def background(png: bytes) -> tuple[int, int, int]:
    """The colour of a screenshot's top-left pixel (the page's background)."""
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((2, 2))


def test_dark_and_light_styles_render_and_the_page_fits_a_phone(browser, pages, tmp_path_factory):
    done, light = pages
    shots = tmp_path_factory.mktemp("screenshots")
    colours = {}
    for name, page in (("dark", done.site), ("light", light)):
        assert [e["message"] for e in load(browser, page.as_uri()) if e["level"] == "SEVERE"] == []
        png = browser.get_screenshot_as_png()
        (shots / f"{name}.png").write_bytes(png)
        colours[name] = background(png)
        scheme = "return getComputedStyle(document.body).colorScheme"
        assert browser.execute_script(scheme) == name  # native controls and scroll bars follow the theme
    assert colours == {"dark": (16, 20, 24), "light": (250, 250, 250)}
    browser.set_window_size(390, 844)
    try:
        load(browser, done.site.as_uri())
        (shots / "phone.png").write_bytes(browser.get_screenshot_as_png())
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        browser.set_window_size(1200, 900)
    print(f"screenshots: {shots}")


ALPHA_JS = """
const done = arguments[arguments.length - 1];
const video = document.createElement("video");
video.muted = true;
video.src = arguments[0];
video.addEventListener("error", () => done({error: String(video.error && video.error.code)}));
video.addEventListener("seeked", () => {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  const context = canvas.getContext("2d");
  const alpha = (x, y) => context.getImageData(x, y, 1, 1).data[3];
  let tries = 0;
  const look = () => {  // a loaded machine may present the frame a little after "seeked"
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(video, 0, 0);
    if (alpha(20, 12) === 0 && alpha(1, 1) === 0 && ++tries < 50) return setTimeout(look, 100);
    done({corner: alpha(1, 1), box: alpha(20, 12)});
  };
  look();
});
video.addEventListener("loadeddata", () => { video.currentTime = 0.1; });
"""


def write_alpha_webm(path: Path) -> None:
    """A 48×32 VP9 clip with alpha as Manim writes one for ``--alpha webm``: an opaque box on a see-through stage."""
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libvpx-vp9", rate=15)
        stream.width, stream.height, stream.pix_fmt = 48, 32, "yuva420p"
        for _ in range(6):
            image = np.zeros((32, 48, 4), dtype=np.uint8)
            image[6:26, 8:40] = (230, 200, 40, 255)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgba")))
        container.mux(stream.encode())


def test_a_webm_with_alpha_plays_see_through_in_the_browser(browser, tmp_path):
    write_alpha_webm(tmp_path / "alpha.webm")
    httpd = serve.server(tmp_path, handler=QuietHandler)  # over http: a file:// video taints the canvas
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{httpd.server_address[1]}/")
        browser.set_script_timeout(15)
        seen = browser.execute_async_script(ALPHA_JS, "alpha.webm")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert seen == {"corner": 0, "box": 255}
