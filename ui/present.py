"""汇报模式's slide: one screen of HTML (title, chart, key numbers, 数据摘要, footer with source, period
and `N / M`), sized in viewport units so it fills a 16:9 projector at 1920×1080, 1280×720 or 1024×768.

The chart is the slide's SVG (vector, drawn once per slide and cached), so it scales to any screen
without a re-layout; where chromium is missing the page draws the Plotly figure instead. Every text
from the store is escaped (`html.escape`): a unit named <b>…</b> is shown as written.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from exports.slides import Kpi, SlideContent

KEYS_JS = (Path(__file__).resolve().parent / "assets" / "present_keys.js").read_text(encoding="utf-8")

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0 !important; max-width: none !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp { background: #ffffff !important; }
.cppcc-slide { position: fixed; inset: 0; z-index: 10; box-sizing: border-box; background: #ffffff;
  color: #111111; display: grid; grid-template-rows: auto minmax(0, 1fr) auto auto;
  padding: 2.6vh 3.2vw 1.6vh 3.2vw; row-gap: 1.6vh; overflow: hidden;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.cppcc-slide h1 { margin: 0; padding: 0 0 0 1.1vw; border-left: max(6px, 0.55vw) solid #B22222;
  font-size: clamp(24px, min(3.3vw, 5.6vh), 76px); line-height: 1.2; font-weight: 700; color: #111111; }
.cppcc-slide .sub { margin: 0.6vh 0 0 1.1vw; font-size: clamp(14px, min(1.35vw, 2.3vh), 30px); color: #333333; }
.cppcc-slide main { min-height: 0; display: flex; align-items: center; justify-content: center; }
.cppcc-slide main img { width: 100%; height: 100%; object-fit: contain; display: block; }
.cppcc-slide .empty { font-size: clamp(20px, 2.2vw, 48px); color: #555555; }
.cppcc-slide .kpis { width: 100%; display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 2.2vh 2vw; }
.cppcc-slide .kpi { border: 2px solid #D0D0D0; border-top: max(5px, 0.45vw) solid #B22222; border-radius: 10px;
  padding: 1.6vh 1.3vw; background: #FAFAFA; min-width: 0; }
.cppcc-slide .kpi .label { font-size: clamp(16px, min(1.6vw, 2.8vh), 38px); color: #222222; }
.cppcc-slide .kpi .value { font-size: clamp(34px, min(4.4vw, 7.8vh), 104px); font-weight: 700; line-height: 1.3;
  color: #111111; white-space: nowrap; overflow-x: clip; overflow-y: visible; }
.cppcc-slide .kpi .change { font-size: clamp(15px, min(1.45vw, 2.6vh), 34px); color: #555555; }
.cppcc-slide .kpi .change.good { color: #1B7F3A; } .cppcc-slide .kpi .change.bad { color: #B22222; }
.cppcc-slide .summary { font-size: clamp(15px, min(1.45vw, 2.6vh), 34px); line-height: 1.5; color: #111111;
  border-top: 2px solid #E0E0E0; padding-top: 1vh; max-height: 19vh; overflow: hidden; }
.cppcc-slide footer { display: flex; justify-content: space-between; gap: 2vw;
  font-size: clamp(12px, min(1.05vw, 1.9vh), 24px); color: #444444; }
.cppcc-slide footer .n { font-weight: 700; color: #111111; white-space: nowrap; }
.cppcc-blank { position: fixed; inset: 0; z-index: 2000; background: #000000; }
.st-key-present_nav { position: fixed !important; left: 50%; transform: translateX(-50%); bottom: 0.4vh;
  z-index: 50; width: auto !important; gap: 4px !important; opacity: 0.22; transition: opacity 0.2s; }
.st-key-present_nav:hover, .st-key-present_nav:focus-within { opacity: 1; }
.st-key-present_nav button { min-height: 0; padding: 2px 8px; background: #ffffff; }
.st-key-present_nav button p, .st-key-present_nav button kbd,
.st-key-present_nav button [data-testid="stButtonShortcut"] { display: none; }
.st-key-present_keys { position: fixed !important; left: -10000px; top: 0; width: 1px !important; height: 1px; overflow: hidden; }
</style>
"""


def _kpi(k: Kpi) -> str:
    tone = "" if k.good is None else (" good" if k.good else " bad")
    return (
        f'<div class="kpi"><div class="label">{escape(k.label)}</div>'
        f'<div class="value">{escape(k.text)}</div>'
        f'<div class="change{tone}">{escape(k.change)}</div></div>'
    )


def slide_html(
    content: SlideContent, n: int, total: int, svg: bytes | None, chart_below: bool = False
) -> str:
    """The slide as one screen of HTML. With `chart_below` the chart is drawn by the page after it
    (no SVG here), and the main area is left for it."""
    if content.empty:
        body = f'<div class="empty">{escape(content.empty)}</div>'
    elif content.kpis:
        body = '<div class="kpis">' + "".join(_kpi(k) for k in content.kpis) + "</div>"
    elif svg is not None:
        data = base64.b64encode(svg).decode("ascii")
        body = f'<img alt="{escape(content.title)}" src="data:image/svg+xml;base64,{data}">'
    else:
        body = ""
    summary = f'<div class="summary">{escape(content.summary)}</div>' if content.summary else "<div></div>"
    return (
        f'<div class="cppcc-slide" data-slide="{n}">'
        f"<header><h1>{escape(content.title)}</h1>"
        f'<div class="sub">{escape(content.scope)} · {escape(content.period_text)}</div></header>'
        f"<main>{body}</main>{summary}"
        f"<footer><span>{escape(content.source)} · {escape(content.period_text)}</span>"
        f'<span class="n" data-testid="slide-number">{n} / {total}</span></footer></div>'
    )
