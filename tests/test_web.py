"""The web edition in a real browser (Debian's Chromium driven by Playwright).

Every page of both editions is opened from a local HTTP server: document language, one h1 and no
skipped heading levels, no horizontal overflow on a phone or a desktop, the language switcher keeps
the reader on the same section, a KPI figure is on screen, and every internal link lands on a file
and an id that exist. Full-page screenshots go to $ESGREPORT_SCREENSHOTS when it is set.

Nothing is downloaded: Playwright is pointed at /usr/bin/chromium (`make test` installs the
`chromium` package) and every request that is not for the local server is refused and reported.
"""

from __future__ import annotations

import functools
import html.parser
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing (Debian package `chromium`; `make test` installs it)")

EDITIONS = {"zh-hant": "zh-Hant-HK", "en": "en"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Headings the Markdown renderer writes at a fixed level (esgreport/markdown.py: case/note boxes and
# key-performance highlights are always <h4>), so a box placed straight under an <h2> skips <h3>.
# Until that is fixed there, such skips make the heading test xfail (named in the -ra summary);
# any other skip fails it. Empty this tuple once box headings follow the section's level.
KNOWN_FIXED_LEVEL_HEADINGS: tuple[str, ...] = ()


# --- a local server and a browser for the whole module ------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — the signature is http.server's
        pass


@pytest.fixture(scope="module")
def site(published):
    """Base URL of output/, served on a free port of 127.0.0.1 while the module's tests run."""
    handler = functools.partial(_QuietHandler, directory=str(site_root(published)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # in the `test` extras of pyproject.toml
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """One browser context at one viewport size that may fetch only from the local server."""

    def __init__(self, browser, site: str, viewport: str):
        self.site = site
        self.context = browser.new_context(viewport=VIEWPORTS[viewport])
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.page.url}: {exc}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.site):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def open(self, path: str):
        response = self.page.goto(self.site + path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return self.page

    def close(self) -> list[str]:
        """Close the context; what went wrong in its pages besides the test's own assertions."""
        self.context.close()
        problems = [f"JavaScript error: {e}" for e in self.errors]
        if self.refused:
            problems.append(f"the web edition asked for outside resources: {sorted(set(self.refused))}")
        return problems


@pytest.fixture
def tab(browser, site):
    tabs = []

    def make(viewport: str = "desktop") -> Tab:
        tabs.append(Tab(browser, site, viewport))
        return tabs[-1]

    yield make
    problems = [p for t in tabs for p in t.close()]
    assert not problems, "\n".join(problems)


def site_root(published) -> Path:
    """The folder of the 2023 report's editions (output/2023), served as the site's root."""
    return published.folder("en").parent


def pages(published, code: str) -> list[str]:
    found = sorted(p.name for p in published.folder(code).glob("*.html"))
    assert "index.html" in found and len(found) > 1, f"output/{code} has no web edition: {found}"
    return found


@pytest.fixture(scope="session")
def screenshot_dir() -> Path | None:
    """Where full-page screenshots go, for a person to look at: $ESGREPORT_SCREENSHOTS, when set (they
    take longer than the checks themselves, so a plain test run takes none)."""
    if not os.environ.get("ESGREPORT_SCREENSHOTS"):
        return None
    folder = Path(os.environ["ESGREPORT_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- 1. language and heading outline ------------------------------------------------------------

HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => ({
  level: Number(h.tagName[1]), cls: h.className, text: h.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60)}))"""


def outline_problems(headings: list[dict]) -> tuple[list[str], list[str]]:
    """(problems, known problems) of a page's heading outline, in document order."""
    problems, known = [], []
    h1s = [h for h in headings if h["level"] == 1]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> elements, expected exactly one: {[h['text'] for h in h1s]}")
    if headings and headings[0]["level"] != 1:
        problems.append(f"the first heading is <h{headings[0]['level']}> {headings[0]['text']!r}, not the <h1>")
    previous = 1
    for h in headings:
        if h["level"] > previous + 1:
            message = f"<h{previous}> is followed by <h{h['level']} class={h['cls']!r}> {h['text']!r}"
            is_known = any(c in h["cls"].split() for c in KNOWN_FIXED_LEVEL_HEADINGS)
            (known if is_known else problems).append(message)
        previous = h["level"]
    return problems, known


@pytest.mark.parametrize("code", EDITIONS)
def test_language_and_heading_outline(published, tab, code):
    t = tab()
    problems, known = [], []
    for name in pages(published, code):
        page = t.open(f"{code}/{name}")
        lang = page.evaluate("document.documentElement.lang")
        if lang != EDITIONS[code]:
            problems.append(f"{code}/{name}: <html lang={lang!r}>, expected {EDITIONS[code]!r}")
        p, k = outline_problems(page.evaluate(HEADINGS_JS))
        problems += [f"{code}/{name}: {m}" for m in p]
        known += [f"{code}/{name}: {m}" for m in k]
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail("box and highlights headings are a fixed <h4> (esgreport/markdown.py), skipping a level:\n"
                     + "\n".join(known))


# --- 2. nothing wider than the screen -----------------------------------------------------------

# Elements that stick out of the viewport, outermost only. A wide table may scroll sideways inside
# its own box (overflow-x: auto/scroll) as long as that box fits; anything else is a problem.
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const fits = r => r.left >= -1 && r.right <= vw + 1;
  // A box that scrolls sideways, or one that cuts its text short with an ellipsis on purpose.
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') return a;
      if (s.overflowX !== 'visible' && s.textOverflow === 'ellipsis') return a;
    }
    return null;
  };
  const reported = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.skip-link') || reported.some(r => r.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || fits(r)) continue;
    const s = scroller(el);
    if (s && fits(s.getBoundingClientRect())) continue;
    reported.push(el);
  }
  // Text pushed out of its table cell runs over the next column, even when the table fits.
  const cells = [...document.querySelectorAll('main td, main th')].filter(c => c.scrollWidth > c.clientWidth + 1);
  const scrolling = [...document.querySelectorAll('main *')].filter(el =>
    ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1);
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    outside: reported.slice(0, 8).map(el => {
      const r = el.getBoundingClientRect();
      return `${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)}px of ${vw}px`;
    }),
    cells: cells.slice(0, 8).map(c => `${name(c.closest('figure') || c.closest('table'))}: the cell `
      + `${JSON.stringify(c.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40))} needs ${c.scrollWidth}px, has ${c.clientWidth}px`),
    scrolling: scrolling.map(name),
  };
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("code", EDITIONS)
def test_no_horizontal_overflow(published, tab, screenshot_dir, code, viewport):
    t = tab(viewport)
    problems, scrolling = [], []
    for name in pages(published, code):
        page = t.open(f"{code}/{name}")
        if screenshot_dir is not None:   # JPEG: a third faster than PNG on long pages
            page.screenshot(path=screenshot_dir / f"{code}-{Path(name).stem}-{viewport}.jpg", full_page=True,
                            type="jpeg", quality=80)
        found = page.evaluate(OVERFLOW_JS)
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{code}/{name}: the page is {found['scrollWidth']}px wide "
                            f"in a {found['innerWidth']}px window")
        problems += [f"{code}/{name}: {m}" for m in found["outside"] + found["cells"]]
        scrolling += [f"{name}: {s}" for s in found["scrolling"]]
    print(f"{code} at {viewport}: scrolling sideways in their box: {scrolling or 'nothing'}")
    assert not problems, f"wider than the {viewport} screen (set ESGREPORT_SCREENSHOTS=<folder> to see it):\n" \
        + "\n".join(problems)


# --- 3. the language switcher keeps the section ------------------------------------------------

def assert_below_header(page, selector: str):
    """The element is on screen, and its top is not hidden under the sticky site header."""
    from playwright.sync_api import expect
    target = page.locator(selector)
    expect(target).to_be_in_viewport()
    header_bottom = page.locator(".site-header").bounding_box()
    top = target.bounding_box()["y"]
    assert top >= header_bottom["y"] + header_bottom["height"] - 1, \
        f"{selector} starts at y={top:.0f}, under the sticky header (bottom y={header_bottom['y'] + header_bottom['height']:.0f})"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_language_switcher_keeps_the_section(tab, site, viewport):
    page = tab(viewport).open("en/social.html#employment")
    assert_below_header(page, "#employment")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="繁體中文").click()
    page.wait_for_url(site + "zh-hant/social.html#employment")
    assert page.url == site + "zh-hant/social.html#employment"
    assert page.locator("#employment").count() == 1
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-HK"
    assert_below_header(page, "#employment")


# --- 4. a KPI figure on screen ------------------------------------------------------------------

@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_kpi_figure_is_on_screen(tab, viewport):
    from playwright.sync_api import expect
    page = tab(viewport).open("en/appendix.html")
    table = page.locator("#table-environmental table")
    expect(table).to_be_visible()
    cell = table.locator("td.num", has_text="1,097.47")
    expect(cell).to_have_count(1)
    # The 2023 column: the cell sits under the header "2023".
    column = cell.evaluate("td => { const row = [...td.parentElement.children];"
                           " return td.closest('table').querySelector('thead tr').children[row.indexOf(td)]"
                           ".textContent.trim(); }")
    assert column == "2023"
    cell.scroll_into_view_if_needed()
    expect(cell).to_be_visible()
    expect(cell).to_be_in_viewport(ratio=1)


# --- 5. every internal link lands somewhere -----------------------------------------------------

class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


LINKS_JS = """() => [...document.querySelectorAll('a[href]')].map(a => ({raw: a.getAttribute('href'), url: a.href}))"""


@pytest.mark.parametrize("code", EDITIONS)
def test_internal_links_resolve(published_pdf, tab, site, code):
    published = published_pdf
    published.pdf(code)        # the pages link the edition's PDF
    t = tab()
    broken, checked = [], 0
    for name in pages(published, code):
        page = t.open(f"{code}/{name}")
        for link in page.evaluate(LINKS_JS):
            raw = link["raw"].strip()
            if raw.startswith(("http:", "https:", "mailto:", "tel:")):
                continue
            checked += 1
            url, fragment = urldefrag(link["url"])
            where = f"{code}/{name}: href={raw!r}"
            if not url.startswith(site):
                broken.append(f"{where} leaves the web edition ({link['url']})")
                continue
            target = site_root(published) / unquote(urlsplit(url).path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(site_root(published))}")
            elif fragment and (target.suffix != ".html" or unquote(fragment) not in ids_in(target)):
                broken.append(f"{where}: no id {fragment!r} in {target.relative_to(site_root(published))}")
    assert checked, f"no internal links found in output/{code}"
    assert not broken, f"{len(broken)} of {checked} internal links are broken:\n" + "\n".join(broken)
