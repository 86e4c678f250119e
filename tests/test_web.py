"""The web edition in a real browser (Debian's Chromium driven by Playwright).

Every page of both editions is opened once at 390 px and once at 1280 px from a local HTTP server,
and checked there: axe-core finds no serious or critical accessibility problem, nothing is wider
than the screen, the document language, one h1 and no skipped heading levels, an id on every
heading, hreflang alternates for every edition. Then, by what a reader does: the page's sections at
hand (a side list on a desktop, a list that opens on a phone), the language switcher keeps the
section, search finds Chinese and English terms, the downloads are linked, the pages work without
JavaScript and print without the site around them, and every internal link lands on a file and an
id that exist. Full-page screenshots go to $ESGREPORT_SCREENSHOTS when it is set.

Nothing is downloaded: Playwright is pointed at /usr/bin/chromium (`make test` installs the
`chromium` package, and axe-core from the npm registry into tests/axe/node_modules) and every
request that is not for the local server is refused and reported. Where any of the three is
missing the tests fail, naming it and how to install it: a machine without a browser must not
pass them by skipping them.
"""

from __future__ import annotations

import functools
import html.parser
import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def by_edition(*codes: str) -> list:
    """Edition parameters whose tests run in the process that lays out that edition's PDF (conftest.py):
    the pages of an edition are visited once, by one process, and the two editions in parallel."""
    return [pytest.param(c, marks=pytest.mark.xdist_group(f"published-pdf-{c}")) for c in codes]

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


def served(folder: Path) -> Iterator[str]:
    """Base URL of `folder`, served on a free port of 127.0.0.1 until the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
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
def site(published):
    """Base URL of output/, served while the module's tests run."""
    yield from served(site_root(published))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the web tests open the pages in Debian's Chromium. `make test` "
                    "installs it (or: sudo apt-get install chromium)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: the web tests drive Chromium with it. `make test` installs it "
                    "with the test extras (or: .venv/bin/pip install -e '.[test]')", pytrace=False)
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


# --- 1. every page at both widths, visited once -----------------------------------------------

HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => ({
  level: Number(h.tagName[1]), cls: h.className, id: h.id,
  text: h.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60)}))"""

ALTERNATES_JS = """() => [...document.querySelectorAll('link[rel=alternate][hreflang]')].map(l => ({
  lang: l.hreflang, href: l.href}))"""

# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA (target size included) and axe's best
# practices. At the phone width every rule runs but colour contrast: the screen's colours do not change
# with the width (web.css changes colours only for print), and contrast is most of axe's time on a long page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_RUN_JS = """async (first) => (await axe.run(document, {resultTypes: ['violations'], noHtml: true,
    runOnly: {type: 'tag', values: """ + json.dumps(AXE_TAGS) + """},
    rules: {'color-contrast': {enabled: first}}})).violations
  .filter(v => v.tags.some(t => t.startsWith('wcag')) || ['serious', 'critical'].includes(v.impact))
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1, 2).join(''))}))"""



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



def look_js() -> str:
    """Everything the tests read from a page in one call. After a change of width it first waits two
    frames, so the page's resize handlers have run (web.js gives a table that now scrolls a keyboard stop)."""
    return f"""async (first) => {{
      if (!first) await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
      const view = {{overflow: ({OVERFLOW_JS})()}};
      if (first) Object.assign(view, {{lang: document.documentElement.lang, headings: ({HEADINGS_JS})(),
                                       alternates: ({ALTERNATES_JS})(), links: ({LINKS_JS})()}});
      view.axe = await ({AXE_RUN_JS})(first);
      return view;
    }}"""


@pytest.fixture(scope="module")
def views(published, browser, site, screenshot_dir):
    """`views(code, viewport)`: every page of an edition as the browser showed it at that width (lang,
    headings, hreflang alternates, links, overflow, axe's serious and critical findings), and what
    went wrong on the way. Each page is loaded once, at 1280 px, checked, then narrowed to 390 px and
    checked again: an edition is visited on first use, by the process that runs its tests."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from tests/axe/package-lock.json "
                    "(or: npm ci --prefix tests/axe)", pytrace=False)
    axe = AXE.read_text(encoding="utf-8")
    seen: dict[str, tuple[dict[str, dict[str, dict]], list[str]]] = {}

    def look(page, code: str, name: str, viewport: str, first: bool) -> dict:
        """One round trip to the page: what the tests read, axe's findings last."""
        view = page.evaluate(look_js(), first)
        if screenshot_dir is not None:   # JPEG: a third faster than PNG on long pages
            page.screenshot(path=screenshot_dir / f"{code}-{Path(name).stem}-{viewport}.jpg", full_page=True,
                            type="jpeg", quality=80)
        return view

    def visit(code: str, viewport: str) -> tuple[dict[str, dict], list[str]]:
        if code not in seen:
            tab = Tab(browser, site, "desktop")
            tab.context.add_init_script(script=axe)
            found: dict[str, dict[str, dict]] = {v: {} for v in VIEWPORTS}
            for name in pages(published, code):
                tab.page.set_viewport_size(VIEWPORTS["desktop"])
                page = tab.open(f"{code}/{name}")
                found["desktop"][name] = look(page, code, name, "desktop", True)
                page.set_viewport_size(VIEWPORTS["phone"])
                found["phone"][name] = look(page, code, name, "phone", False)
            seen[code] = found, tab.close()
        found, problems = seen[code]
        return found[viewport], list(problems)
    return visit


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_no_serious_accessibility_violations(views, code, viewport):
    """axe-core with the rules of WCAG 2.0–2.2 A and AA (target size included) and best practices on
    every page: no WCAG violation at all, nothing serious or critical among the best practices."""
    found, problems = views(code, viewport)
    for name, view in found.items():
        for v in view["axe"]:
            problems.append(f"{code}/{name} at {VIEWPORTS[viewport]['width']}px: {v['impact']} {v['id']} "
                            f"({v['help']}):\n      " + "\n      ".join(v["nodes"]))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


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


@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_language_headings_and_anchors(views, code):
    """The document language; one h1 and no skipped heading level; every heading has an id (a link to
    share, the same in both editions so the language switcher keeps it)."""
    found, problems = views(code, "desktop")
    known = []
    for name, view in found.items():
        if view["lang"] != EDITIONS[code]:
            problems.append(f"{code}/{name}: <html lang={view['lang']!r}>, expected {EDITIONS[code]!r}")
        p, k = outline_problems(view["headings"])
        problems += [f"{code}/{name}: {m}" for m in p]
        known += [f"{code}/{name}: {m}" for m in k]
        problems += [f"{code}/{name}: <h{h['level']}> {h['text']!r} has no id" for h in view["headings"] if not h["id"]]
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail("box and highlights headings are a fixed <h4> (esgreport/markdown.py), skipping a level:\n"
                     + "\n".join(known))


@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_hreflang_alternates(views, site, code):
    """Every page names itself and its translation with <link rel=alternate hreflang>, and both exist."""
    found, problems = views(code, "desktop")
    for name, view in found.items():
        langs = {a["lang"]: a["href"] for a in view["alternates"]}
        if set(langs) != set(EDITIONS.values()):
            problems.append(f"{code}/{name}: hreflang alternates {sorted(langs)}, expected {sorted(EDITIONS.values())}")
        for other, lang in EDITIONS.items():
            if langs.get(lang) != f"{site}{other}/{name}":
                problems.append(f"{code}/{name}: hreflang={lang} points to {langs.get(lang)}, not {other}/{name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_no_horizontal_overflow(views, code, viewport):
    found, problems = views(code, viewport)
    scrolling = []
    for name, view in found.items():
        o = view["overflow"]
        if o["scrollWidth"] > o["innerWidth"]:
            problems.append(f"{code}/{name}: the page is {o['scrollWidth']}px wide in a {o['innerWidth']}px window")
        problems += [f"{code}/{name}: {m}" for m in o["outside"] + o["cells"]]
        scrolling += [f"{name}: {s}" for s in o["scrolling"]]
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
    cell.evaluate("td => td.scrollIntoView({block: 'center', inline: 'center'})")   # a phone's table scrolls sideways
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


@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_internal_links_resolve(published_pdf, views, site, code):
    published = published_pdf
    published.pdf(code)        # the pages link the edition's PDF
    found, broken = views(code, "desktop")
    checked = 0
    for name, view in found.items():
        for link in view["links"]:
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


# --- 6. the page's sections at hand ---------------------------------------------------------------

SECTIONS_EN = ["3.1 Customers First", "3.1.1 Data Security and Privacy Protection"]


def test_section_navigation_desktop(tab):
    """A side list of the page's sections stays in view; a click lands on the section, below the header."""
    from playwright.sync_api import expect
    page = tab("desktop").open("en/social.html")
    side = page.get_by_role("navigation", name="On this page")
    expect(side).to_have_count(1)          # the phone's list is not shown (nor announced) here
    links = side.get_by_role("link")
    assert [links.nth(i).inner_text().replace("\n", " ").strip() for i in range(2)] == SECTIONS_EN
    expect(page.locator(".breadcrumbs")).to_contain_text("2023 Environmental, Social and Governance Report")
    expect(page.locator("#h-employment")).to_have_text("3.2.1 Compliant Employment")
    page.mouse.wheel(0, 6000)                    # far down the page, the list is still there
    expect(side.get_by_role("link", name="3.2.1 Compliant Employment")).to_be_in_viewport()
    side.get_by_role("link", name="3.2.1 Compliant Employment").click()
    page.wait_for_url("**/social.html#employment")
    assert_below_header(page, "#employment")
    page.locator("#h-employment").hover()        # the heading's own link, to copy and share
    expect(page.locator("#h-employment .heading-link")).to_have_attribute("href", "#employment")


def test_section_navigation_phone(tab):
    """On a phone the sections are one tap away at any point of the page: a bar that opens a list."""
    from playwright.sync_api import expect
    page = tab("phone").open("zh-hant/social.html")
    nav = page.get_by_role("navigation", name="本頁內容")
    expect(nav).to_have_count(1)
    summary = nav.locator("summary")
    page.mouse.wheel(0, 8000)
    expect(summary).to_be_in_viewport()           # it stays under the header
    summary.click()
    target = nav.get_by_role("link", name="3.2.2 人才發展與培養")
    expect(target).to_be_visible()
    target.click()
    page.wait_for_url("**/social.html#talent-development")
    expect(nav.locator("details")).not_to_have_attribute("open", "")
    top = page.locator("#talent-development").bounding_box()["y"]
    bar = nav.bounding_box()
    assert top >= bar["y"] + bar["height"] - 1, "the section starts under the bar of sections"


# --- 7. search --------------------------------------------------------------------------------------

@pytest.mark.parametrize("viewport, code, query, first, url", [
    ("phone", "zh-hant", "持份者", "1.3 持份者溝通", "zh-hant/sustainability-governance.html#stakeholder-communication"),
    ("desktop", "en", "stakeholder", "1.3 Stakeholder Communication",
     "en/sustainability-governance.html#stakeholder-communication"),
])
def test_search_finds_the_section(tab, site, viewport, code, query, first, url):
    """Typed into the home page's search box: the section about the term comes first, every result
    shows the term, and the result leads to it. Nothing leaves the site (the tab refuses it)."""
    from playwright.sync_api import expect
    page = tab(viewport).open(f"{code}/index.html")
    page.get_by_role("search").get_by_role("searchbox").fill(query)
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url("**/search.html?q=*")
    results = page.locator(".search-results > li")
    expect(results.first).to_be_visible()
    assert results.count() >= 3
    expect(results.first.get_by_role("link")).to_have_text(first)
    for i in range(results.count()):
        marks = results.nth(i).locator("mark")
        assert marks.count() and marks.first.inner_text().lower() == query.lower(), results.nth(i).inner_text()
    expect(page.get_by_role("status")).to_contain_text(query)
    results.first.get_by_role("link").click()
    page_url, anchor = url.split("#")
    page.wait_for_url(f"{site}{page_url}?q=*#{anchor}")
    assert_below_header(page, "#" + anchor)
    found = page.locator(f"#{anchor} mark.search-hit")           # the words found, marked in the section
    marked = "".join(found.all_inner_texts()).lower()             # (a word set in two boxes, in two marks)
    assert marked and not marked.replace(query.lower(), ""), found.all_inner_texts()
    page.go_back()                                       # a word the report does not have
    page.get_by_role("main").get_by_role("searchbox").fill("zeppelin")
    page.get_by_role("main").get_by_role("button").click()
    expect(page.locator(".search-results > li")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("zeppelin")


@pytest.mark.parametrize("code, query, first, marked", [
    ("zh-hant", "持份者沟通", "1.3 持份者溝通", "持份者溝通"),          # Simplified query, Traditional text
    ("zh-hant", "温室气体", "5.1 關鍵績效指標表", "溫室氣體"),
    ("en", "持份者", "1.3 Stakeholder Communication", "Stakeholders"),    # a glossary term of the other language
    ("zh-hant", "stakeholder", "1.3 持份者溝通", "持份者"),
    ("en", "electricty consumption intensity", "5.1 Key Performance Indicators", "electricity consumption"),  # a typo
    ("en", "1,097.47", "Environmental Performance", "1,097.47"),           # a figure as printed
    ("zh-hant", "1,097.47", "環境績效", "1,097.47"),
])
def test_search_reads_the_query_as_meant(tab, code, query, first, marked):
    """Either script of Chinese, a glossary term of the other edition's language, an English word with a
    typo, a figure as printed: the section comes first, the words are marked in its snippet and, once
    the reader follows the link, in the section, where the first is on screen."""
    from playwright.sync_api import expect
    page = tab("phone").open(f"{code}/search.html")
    page.get_by_role("main").get_by_role("searchbox").fill(query)
    page.get_by_role("main").get_by_role("button").click()
    result = page.locator(".search-results > li").first
    expect(result.get_by_role("link")).to_have_text(first)
    words = marked.lower().split()
    assert set(words) <= {m.lower() for m in result.locator("mark").all_inner_texts()}, result.inner_text()
    result.get_by_role("link").click()
    page.wait_for_url("**?q=*")
    marks = page.locator("mark.search-hit")
    expect(marks.first).to_be_in_viewport()
    on_page = "".join(marks.all_inner_texts()).lower()      # a figure is marked box by box
    assert all(w in on_page for w in words), marks.all_inner_texts()


# --- 8. the home page: key figures, chapters, downloads ----------------------------------------

@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_home_page(published, tab, code):
    """Cover, key figures for E, S and G from the data, every part with a line, the downloads."""
    from playwright.sync_api import expect
    report = published.report
    page = tab("phone").open(f"{code}/index.html")
    figures = page.locator(".key-figures")
    for part_id, metric_ids in report.manifest.key_figures.items():
        group = figures.locator(f"#key-{part_id}").locator("xpath=..")
        expect(group.locator(".card")).to_have_count(len(metric_ids))
        for metric_id, card in zip(metric_ids, group.locator(".card").all()):
            metric = report.metrics[metric_id]
            expect(card).to_contain_text(metric.label[code])
    expect(figures).to_contain_text("1,097.47")           # scope 2 emissions, as the data has it
    chapters = page.locator(".chapter-list > li")
    expect(chapters).to_have_count(len(report.parts))
    expect(chapters.filter(has_text=report.parts[-1].title[code]).locator(".chapter-line")).not_to_be_empty()
    downloads = page.locator("#downloads .download-list a")
    hrefs = [a.get_attribute("href") for a in downloads.all()]
    assert hrefs == [f"esg-report-2023-{code}.pdf", *(f"data/esg-kpi-2023-{code}.{f}" for f in ("xlsx", "csv", "json"))]
    expect(page.locator(".web-cover").get_by_role("link").first).to_have_attribute("href", hrefs[0])
    appendix = tab("desktop").open(f"{code}/appendix.html")
    assert [a.get_attribute("href") for a in appendix.locator(".downloads-box .download-list a").all()] == hrefs


@pytest.mark.parametrize("code", by_edition(*EDITIONS))
def test_favicon_manifest_and_missing_page(published, views, site, code):
    """The brand's icon and a web manifest on every page (no 404 for /favicon); a page for addresses
    that do not exist, leading back to the contents."""
    from urllib.request import urlopen
    found, _ = views(code, "desktop")
    with urlopen(f"{site}{code}/index.html") as response:
        home = response.read().decode("utf-8")
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', home).group(1)
    with urlopen(f"{site}{code}/{icon}") as response:
        assert b"<svg" in response.read()
    with urlopen(f"{site}{code}/manifest.webmanifest") as response:
        manifest = json.loads(response.read())
    assert manifest["lang"] == EDITIONS[code] and manifest["start_url"] == "index.html"
    assert all((published.folder(code) / i["src"]).is_file() for i in manifest["icons"])
    assert all('rel="manifest"' in p.read_text(encoding="utf-8") for p in published.folder(code).glob("*.html"))
    missing = found["404.html"]
    assert [h["text"] for h in missing["headings"]] == [{"en": "Page not found", "zh-hant": "找不到網頁"}[code]]
    assert {"index.html", "search.html"} <= {link["raw"] for link in missing["links"]}


# --- 9. without JavaScript; printed -------------------------------------------------------------

def test_works_without_javascript(browser, site):
    """Reading, moving between sections and languages need no script; search says what to do instead,
    and a search result's link lands on its section."""
    from playwright.sync_api import expect
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "en/social.html")
        expect(page.locator("#h-employment")).to_be_attached()
        nav = page.get_by_role("navigation", name="On this page")
        nav.locator("summary").click()                       # <details> opens without a script
        nav.get_by_role("link", name="3.2.1 Compliant Employment").click()
        page.wait_for_url("**/social.html#employment")
        expect(page.locator(".kpi-table, .data-table").first).to_be_attached()
        page.goto(site + "en/search.html?q=stakeholder")
        expect(page.locator(".search-noscript")).to_be_visible()
        page.goto(site + "en/sustainability-governance.html?q=Stakeholder#stakeholder-communication")
        expect(page.locator("#stakeholder-communication")).to_be_in_viewport()   # a result's link, unmarked
        expect(page.locator("mark")).to_have_count(0)
    finally:
        context.close()


def test_printing_a_chapter(tab):
    """A reader printing one chapter gets the text and its tables, without header, lists or footer."""
    from playwright.sync_api import expect
    page = tab().open("en/environment.html")
    page.emulate_media(media="print")
    for selector in (".site-header", ".page-toc-side", ".page-toc-inline", ".pager", ".site-footer", ".breadcrumbs"):
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("#h-climate-change")).to_be_visible()
    main = page.locator("main").bounding_box()
    assert main["width"] >= VIEWPORTS["desktop"]["width"] - 60, "the text takes the page's width"
