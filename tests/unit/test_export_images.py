"""Chart images through kaleido and the local chromium: PNG at twice the size, SVG with its Chinese text
as text, store names drawn as written, any number of threads at once, and a page that loads nothing
from the internet. Where chromium is missing these tests fail (saying what to install): the PDF report
and the image downloads need it."""

from __future__ import annotations

import re
import struct
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest

from charts.slide import REPORT, ChartData, Series, slide_figure
from exports import images

HOSTILE = "<b>修水县</b> & 共青城"


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    if missing := images.available():
        pytest.fail(f"{missing}（Debian 软件包 chromium 与 fonts-noto-cjk）")


def _ranking() -> go.Figure:
    chart = ChartData(
        "hbar",
        ("德安县", HOSTILE, "瑞昌市"),
        (Series("立案率", (91.1, 80.6, 93.4), "%"),),
        "县（市、区）",
        reference=88.1,
        reference_label="全市 88.1%",
    )
    fig = slide_figure(chart, "zh", REPORT)
    fig.update_layout(title={"text": "各单位立案率"}, margin={"t": 60})
    return fig


@pytest.fixture(scope="module")
def svg_root() -> ET.Element:
    return ET.fromstring(images.svg(_ranking(), width=600, height=380))


def _texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_png_has_the_magic_and_twice_the_size() -> None:
    data = images.png(_ranking(), width=600, height=380)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1200, 760)
    assert struct.unpack(">II", images.png(_ranking(), width=300, height=200, scale=1)[16:24]) == (300, 200)


def test_svg_is_xml_holding_the_chinese_text(svg_root: ET.Element) -> None:
    assert svg_root.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg_root.get("viewBox") == "0 0 600 380"
    texts = _texts(svg_root)
    for expected in ("各单位立案率", "德安县", "瑞昌市", "全市 88.1%", "93.4%"):
        assert expected in texts, expected


def test_the_cjk_face_is_named_first(svg_root: ET.Element) -> None:
    styles = [el.get("style", "") for el in svg_root.iter("{http://www.w3.org/2000/svg}text")]
    assert styles and all(re.search(r"font-family:\s*'Noto Sans CJK SC'", s) for s in styles)


def test_a_unit_named_with_markup_stays_text(svg_root: ET.Element) -> None:
    assert HOSTILE in _texts(svg_root)
    bold = [el for el in svg_root.iter() if "font-weight:bold" in el.get("style", "").replace(" ", "")]
    assert not bold  # Plotly would have drawn <b>…</b> as a bold tspan


def test_threads_ask_at_once() -> None:
    results: list[bytes] = []
    errors: list[BaseException] = []

    def draw(n: int) -> None:
        try:
            fig = go.Figure(go.Bar(x=["一", "二"], y=[n, n + 1]), layout={"width": 300, "height": 200})
            results.append(images.svg(fig))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=draw, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors
    assert len(results) == 6
    for data in results:
        ET.fromstring(data)


def test_the_page_loads_nothing_from_the_internet() -> None:
    page = images.page_html()
    assert not re.search(r"https?://", page)
    assert "mathjax" not in page.lower()
    srcs = re.findall(r'src="([^"]+)"', page)
    assert srcs and all(s.startswith("file://") for s in srcs)
    assert any(s.endswith("/plotly/package_data/plotly.min.js") for s in srcs)
    for s in srcs:
        assert Path(s.removeprefix("file://")).is_file()


def test_without_chromium_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    message = images.available()
    assert message is not None
    assert "chromium" in message and "apt-get install chromium fonts-noto-cjk" in message


def test_without_chromium_an_image_fails_with_an_image_error_and_then_recovers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    images.stop()  # the next image starts a browser: here, none can be found
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.raises(images.ImageError, match="chromium"):
        images.png(_ranking())
    monkeypatch.undo()
    assert images.png(_ranking(), width=200, height=100, scale=1)[:4] == b"\x89PNG"


def test_a_message_chromium_cut_off_while_closing_logs_one_line_not_a_traceback(caplog):
    """The server's log must hold no traceback: choreographer logs one when a stopping server's
    chromium cuts its last message short (seen when the test servers stop)."""
    import logging

    import exports.images  # noqa: F401  (installs the filter)

    caplog.set_level(logging.INFO)
    try:
        raise ValueError("Expecting property name enclosed in double quotes")
    except ValueError:
        logging.getLogger("choreographer.channels.pipe").exception("JSONError decoding message. Ignoring")
    assert "已忽略" in caplog.text and "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
