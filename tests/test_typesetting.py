"""Chinese punctuation and spacing (W3C clreq §3.1.6.2, §3.2.2) and numbered chapter bookmarks."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import FIXTURE_YEAR, append, edition_folder, pdf_path
from pdf_layout import outline_entries, walk
from pypdf import PdfReader

from esgreport.errors import Problems
from esgreport.markup.markdown import report_markdown
from esgreport.pipeline import build, load
from esgreport.render.edition import render_edition
from esgreport.typography.cjk import keep_last_html, punctuation_and_spacing
from esgreport.writers.layout import write_pdf

TAG = re.compile(r"<[^>]*>")


def visible(markup: str) -> str:
    return TAG.sub("", markup)


# --------------------------------------------------------------------------- the rule, on strings

def test_typed_spaces_go_and_every_han_latin_boundary_gets_the_one_gap():
    md = report_markdown("「」『』", ("cjk_latin_spacing", "full_width_punctuation"))
    typed = [md.render("推動AI 和大數據").strip(), md.render("推動 AI和大數據").strip(),
             md.render("推動AI和大數據").strip()]
    marked = {punctuation_and_spacing(t, centered_stops=True) for t in typed}
    assert len(marked) == 1, marked         # however the author typed it, one result
    (result,) = marked
    assert result == ('<p>推<span class="han-latin-gap">動</span>A<span class="han-latin-gap">I</span>'
                      "和大數據</p>")
    assert visible(result) == "推動AI和大數據"


def test_a_figure_in_its_own_spans_is_spaced_from_the_han_around_it_and_reads_whole():
    markup = '<p>共有<span class="figure"><span class="int">1,326</span><span class="dec">.30</span></span>噸</p>'
    result = punctuation_and_spacing(markup, centered_stops=True)
    assert visible(result) == "共有1,326.30噸"
    assert '<span class="han-latin-gap">有</span>' in result
    assert '<span class="dec">.3<span class="han-latin-gap">0</span></span>' in result


def test_adjacent_marks_take_one_and_a_half_em():
    # Hong Kong: the centered stop is set half width wherever it stands in a pair
    assert punctuation_and_spacing("<p>「乙」。丙，「丁」</p>", centered_stops=True) == (
        '<p>「乙」<span class="punct-half">。</span>丙<span class="punct-half">，</span>「丁」</p>')
    # two brackets: the one whose blank side faces the other, trimmed on that side
    assert punctuation_and_spacing("<p>《甲》《乙》（「丙」）</p>", centered_stops=True) == (
        '<p>《甲<span class="punct-trim-end">》</span>《乙<span class="punct-trim-end">》</span>（'
        '<span class="punct-trim-start">「</span>丙'
        '<span class="punct-trim-end">」</span>）</p>')
    # Mainland: the stop's blank is at its right
    assert punctuation_and_spacing("<p>乙”。丙，“丁</p>", centered_stops=False) == (
        '<p>乙<span class="punct-half">”</span>。丙<span class="punct-half">，</span>“丁</p>')
    # ？ and ！ are never adjusted (clreq §3.1.6.1)
    assert punctuation_and_spacing("<p>甲？」</p>", centered_stops=True) == "<p>甲？」</p>"


def test_blocks_tags_drawings_and_the_head_are_left_alone():
    markup = ('<head><title>和A</title><style>p{x:"和A"}</style></head><p title="和A">和</p><p>A</p>'
              '<svg><text>和A</text></svg><script>"和A"</script><td>&amp;和</td>')
    assert punctuation_and_spacing(markup, centered_stops=True) == markup


def test_nothing_else_changes_and_entities_stay_text():
    markup = "<p>R&amp;D和&lt;b&gt;</p>"
    result = punctuation_and_spacing(markup, centered_stops=True)
    assert result == '<p>R&amp;<span class="han-latin-gap">D</span>和&lt;b&gt;</p>'


def test_the_last_two_characters_kept_together_stay_together_with_the_spacing_inside():
    # keep_last_characters marks the end of a text, the spacing pass runs over the finished page: the
    # spacing spans wrap one character each inside the text between tags, never across the keep span
    kept = keep_last_html("披露了2023年期間內［2023年1月1日至2023年")
    result = punctuation_and_spacing(f"<dd>{kept}</dd>", centered_stops=True)
    assert result.endswith('<span class="han-latin-gap">至</span><span class="keep">202'
                           '<span class="han-latin-gap">3</span>年</span></dd>')
    assert visible(result) == "披露了2023年期間內［2023年1月1日至2023年"
    kept = keep_last_html("［2023年1月1日至2023年12月31日］GRI內容索引中引用的信息。")
    assert punctuation_and_spacing(kept, centered_stops=True).endswith('引用的<span class="keep">信息。</span>')


def test_the_gri_statement_of_use_keeps_its_last_characters_together(project):
    report = load(project, FIXTURE_YEAR)
    rendered = render_edition(report, "zh-hant", project.templates, project.locales, Problems(), media=("print",))
    statement = re.search(r'<dl class="index-statement">\s*<dt>[^<]*</dt><dd>(.*?)</dd>', rendered.print_html).group(1)
    assert statement.endswith('引用的<span class="keep">信息。</span>'), statement


# --------------------------------------------------------------------------- in the fixture's PDF

BRACKETS = "公司（「平安」）設有「委員會」（「ESG委員會」）及《報告》《指引》等制度"


@pytest.fixture
def spaced(project):
    """The fixture with paragraphs holding 」。, brackets side by side and Han next to Latin letters and
    digits."""
    for code, text in (("zh-hant", f"\n\n公司推動「AI和大數據」。\n\n{BRACKETS}\n"),
                       ("en", "\n\nThe company advances AI and big data.\n")):
        append(project.content / str(FIXTURE_YEAR) / code / "workforce.md", text)
    return project


def test_the_pdf_sets_adjacent_marks_closer_and_the_gap_between_scripts(spaced, tmp_path):
    report = load(spaced, FIXTURE_YEAR)
    rendered = render_edition(report, "zh-hant", spaced.templates, spaced.locales, Problems(), media=("print",))
    document = write_pdf(rendered.print_html, spaced.templates / "static", tmp_path / "r.pdf", spaced.root)
    line = next(box for page in document.pages for box, _ in walk(page._page_box)
                if type(box).__name__ == "LineBox" and "推動「AI和大數據」。" in _text(box))
    texts = [t for t, _ in walk(line) if type(t).__name__ == "TextBox"]
    size = texts[0].style["font_size"]
    by_text = {t.text: t for t in texts}
    # 」 ends the box "和大數據」"; 。 is a box of its own (the span), set half width
    closing = next(t for t in texts if t.text.endswith("」"))
    stop = by_text["。"]
    pair_start = closing.position_x + closing.width - size       # 」 is a full em wide
    pair = stop.position_x + stop.width - pair_start
    assert pair == pytest.approx(1.5 * size, abs=0.05 * size), f"」。 takes {pair / size:.2f} em"
    # the gap: "I" (in its own box, the span) ends 0.08 em before 和 starts
    latin = by_text["I"]
    han = next(t for t in texts if t.text.startswith("和"))
    gap = han.position_x - (latin.position_x + latin.width)
    assert gap == pytest.approx(0.08 * size, abs=0.01 * size), f"the gap is {gap / size:.3f} em"
    # and the PDF's text reads as written, the figure and the phrase whole
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "公司推動「AI和大數據」。" in text
    # two brackets side by side take 1.85 em, and the line still reads as one line, in the order of the
    # page and in the order it was drawn in (-raw)
    line = next(box for page in document.pages for box, _ in walk(page._page_box)
                if type(box).__name__ == "LineBox" and BRACKETS in _text(box))
    texts = [t for t, _ in walk(line) if type(t).__name__ == "TextBox"]
    closing = next(t for t in texts if t.text == "」" and t.position_x > texts[0].position_x + 6 * size)
    opening = next(t for t in texts if t.text.startswith("（") and t.position_x > closing.position_x)
    pair = opening.position_x + size - closing.position_x
    assert pair == pytest.approx(1.85 * size, abs=0.03 * size), f"」（ takes {pair / size:.2f} em"
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert BRACKETS in text and BRACKETS in raw


def _text(box) -> str:
    return "".join(t.text for t, _ in walk(box) if type(t).__name__ == "TextBox")


# --------------------------------------------------------------------------- bookmarks

def test_bookmarks_carry_the_numbers_the_report_prints(project):
    build(project, formats=["pdf"])
    expected = {
        "zh-hant": ["關於本報告", "01 環境：邁向低碳", "1.1 溫室氣體排放", "02 員工", "2.1 僱傭", "03 附錄",
                    "3.1 關鍵績效指標表"],
        "en": ["About this Report", "01 Environment: Towards Low Carbon", "1.1 Greenhouse Gas Emissions",
               "02 People", "2.1 Employment", "03 Appendices", "3.1 Key Performance Indicators"],
    }
    for code, titles in expected.items():
        entries = outline_entries(PdfReader(pdf_path(edition_folder(project, code))))
        levels = {title: level for level, title, _ in entries}
        shown = [title for _, title, _ in entries]
        assert [t for t in shown if t in titles] == titles, f"{code}: {shown}"
        assert levels["01 " + titles[1][3:]] == 0 and levels[titles[2]] == 1, f"{code}: {entries}"
