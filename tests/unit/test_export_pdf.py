"""The PDF report of the default deck on the demo store, read back with poppler: every font embedded
and none Type 3, the slides' titles and figures as text, the page footer, pages that render; store
names printed as written; an empty period's slides saying so; no URL but data: ones.

Where chromium or poppler is missing these tests fail (saying which Debian package to install)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from domain.periods import Period
from exports import images
from exports.pdf import _no_network, report_html, report_pdf
from exports.slides import RenderedDeck, default_deck, period_for, render_deck, store_source
from store.connection import Store
from store.dictionary import effective_dictionary

HOSTILE = "<b>修水县</b> & <i>共青城</i>"
POPPLER = ("pdffonts", "pdftotext", "pdftoppm", "pdfinfo")


@dataclass
class Report:
    rendered: RenderedDeck
    path: Path
    seconds: float
    text: str  # pdftotext of the whole file, whitespace removed


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _poppler(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    if missing := images.available():
        pytest.fail(f"{missing}（Debian 软件包 chromium 与 fonts-noto-cjk）")
    if absent := [tool for tool in POPPLER if not shutil.which(tool)]:
        pytest.fail(f"读取 PDF 需要 poppler 的 {'、'.join(absent)}：apt-get install poppler-utils")


def _rendered(demo_db: Path, override: Period | None = None) -> RenderedDeck:
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        deck = default_deck()
        return render_deck(src, deck, period_for(deck, src, override))


def _write(rendered: RenderedDeck, path: Path, lang: str = "zh") -> Report:
    start = time.perf_counter()
    path.write_bytes(report_pdf(rendered, lang))
    seconds = time.perf_counter() - start
    return Report(rendered, path, seconds, _squash(_poppler("pdftotext", str(path), "-")))


@pytest.fixture(scope="module")
def report(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _write(_rendered(demo_db), tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_it_is_a_pdf_of_a4_pages(report: Report) -> None:
    assert report.path.read_bytes()[:5] == b"%PDF-"
    info = _poppler("pdfinfo", str(report.path))
    assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) >= 3  # type: ignore[index]


def test_every_font_is_embedded_and_none_is_type_3(report: Report) -> None:
    lines = _poppler("pdffonts", str(report.path)).splitlines()
    assert lines[1].startswith("---")
    fonts = lines[2:]
    assert fonts, "no fonts in the PDF"
    head = lines[0]
    emb = head.index("emb")
    for row in fonts:
        assert "Type 3" not in row, row
        assert row[emb : emb + 3] == "yes", row
    assert any("NotoSansCJKSC" in row.replace("-", "") for row in fonts)  # the Chinese face, not JP


def test_the_text_holds_the_slides_titles_and_figures(report: Report) -> None:
    for s in report.rendered.slides:
        assert _squash(s.title) in report.text, s.title
        for k in s.kpis:
            assert _squash(k.label) in report.text and _squash(k.text) in report.text, k
            assert _squash(k.change) in report.text, k
    kpis = report.rendered.slides[0]
    assert kpis.kpis and kpis.summary
    first = re.search(r"\d[\d,]*(\.\d+)?[件%]", kpis.summary)  # '提交提案2,082件'
    assert first and first[0] in report.text
    for s in report.rendered.slides:
        assert _squash(s.summary) in report.text, s.summary[:40]
    assert "数据摘要" in report.text
    assert _squash(report.rendered.period_text) in report.text


def test_the_appendix_has_each_slides_data(report: Report) -> None:
    assert "附录：数据表" in report.text
    ranking = next(s for s in report.rendered.slides if s.spec.kind == "ranking")
    table = ranking.table()
    for unit, rate in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True):
        assert f"{unit}{rate:.2f}" in report.text  # a row of the table: 瑞昌市93.42


def test_the_footer_numbers_the_pages(report: Report) -> None:
    pages = int(re.search(r"Pages:\s+(\d+)", _poppler("pdfinfo", str(report.path)))[1])  # type: ignore[index]
    assert "第1页/共" in report.text
    assert f"第{pages}页/共{pages}页" in report.text
    first = _squash(_poppler("pdftotext", "-f", "1", "-l", "1", str(report.path), "-"))
    assert f"第1页/共{pages}页" in first


def test_the_pages_render(report: Report, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(report.path), str(tmp_path / "page")], check=True, timeout=120
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert pngs
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_it_is_quick(report: Report) -> None:
    assert report.seconds < 15, f"the report took {report.seconds:.1f} s"


def test_names_from_the_store_are_printed_as_written(report: Report, tmp_path: Path) -> None:
    slides = []
    for s in report.rendered.slides:
        if s.chart is not None and s.chart.kind in ("hbar", "heatmap"):
            cats = (HOSTILE, *s.chart.categories[1:])
            s = replace(s, chart=replace(s.chart, categories=cats))
        slides.append(replace(s, title=s.title + " & <u>", scope=HOSTILE))
    hostile = replace(report.rendered, slides=tuple(slides))
    html = report_html(hostile)
    assert "<b>修水县" not in html and "<u>" not in html and "<i>共青城" not in html
    assert "&lt;b&gt;修水县&lt;/b&gt; &amp; &lt;i&gt;共青城&lt;/i&gt;" in html
    text = _write(hostile, tmp_path / "hostile.pdf").text
    assert _squash(HOSTILE) in text
    assert _squash(report.rendered.slides[0].title + " & <u>") in text


def test_an_empty_period_says_so_on_each_slide(demo_db: Path, tmp_path: Path) -> None:
    rendered = _rendered(demo_db, Period(2001, None, "year"))
    assert all(s.empty for s in rendered.slides)
    text = _write(rendered, tmp_path / "empty.pdf").text
    for s in rendered.slides:
        assert _squash(s.empty) in text


def test_no_url_but_data_ones(report: Report) -> None:
    html = report_html(report.rendered)
    without_data = re.sub(r"data:[^\"')\s]+", "", html)
    assert not re.search(r"(https?|file|ftp)://", without_data)
    fetcher = _no_network()
    from weasyprint.urls import FatalURLFetchingError

    for url in ("https://example.com/logo.png", "http://127.0.0.1/x.css", "file:///etc/passwd"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)  # type: ignore[attr-defined]
    assert fetcher.fetch("data:text/plain;base64,5LiA").read() == "一".encode()  # type: ignore[attr-defined]


def test_english(report: Report, tmp_path: Path, demo_db: Path) -> None:
    with Store(demo_db).connect() as con:
        src = store_source(con, effective_dictionary(con))
        deck = default_deck()
        rendered = render_deck(src, deck, period_for(deck, src), "en")
    text = _write(rendered, tmp_path / "en.pdf", "en").text
    assert "CPPCCperformancedatareport" in text and "Page1of" in text
    assert _squash(rendered.slides[0].kpis[0].text) in text
