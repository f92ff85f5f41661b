"""The page's own stylesheet and print behaviour, injected once per run by dashboard.py.

- Print (browser print, A4): the sidebar, header, toolbars and every widget (select boxes, tabs,
  buttons, uploads) are hidden; the title, period caption, KPI cards, charts and summaries remain,
  and the main column is zoomed to the printable width so a chart drawn 1100 px wide is not cut at
  the right edge (`beforeprint`, below).
- KPI values shrink with the column instead of being cut to `2.7万 …` at 1024×768.
- Plotly's toolbar shows on hover only, and not at all on touch screens (it covered legends).
- On a phone, choosing a page in the sidebar closes the sidebar (it covered the page chosen).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import lang, tr

CSS = """
<style>
[data-testid="stMetricValue"] > div { font-size: clamp(1.3rem, 2.3vw, 2.25rem); overflow: visible; }
[data-testid="stMetricValue"] { overflow: visible; }
[data-testid="stMetricDelta"] { flex-wrap: wrap; row-gap: 0.15rem; }
[data-testid="stMetricDelta"] > div { white-space: normal; overflow: visible; text-overflow: clip; }
.js-plotly-plot .modebar-container { opacity: 0; transition: opacity 0.2s; }
.js-plotly-plot:hover .modebar-container { opacity: 1; }
@media (hover: none) { .js-plotly-plot .modebar-container { display: none !important; } }
@media print {
  @page { size: A4; margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], .modebar-container,
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stRadio"],
  [data-testid="stTextInput"], [data-testid="stCheckbox"], [data-testid="stToggle"],
  [data-testid="stFileUploader"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"],
  [data-baseweb="tab-list"], [role="tablist"], [data-testid="stTooltipIcon"], [data-testid="stCodeCopyButton"], [data-testid="stPageLink"],
  [data-testid="stExpander"], iframe { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; padding: 0 !important; }
  [data-testid="stMainBlockContainer"], .block-container { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  [data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stCode"] { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
"""

# A4 at 96 dpi less 12 mm margins: 210 mm − 24 mm = 186 mm ≈ 703 px. Before printing the main column
# keeps its on-screen width (the charts are drawn for it) and is zoomed to fit the paper; after, back.
PRINT_JS = """
<script>
const doc = window.parent.document;
function fit() {
  const main = doc.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main) return;
  main.style.zoom = '';
  const width = main.getBoundingClientRect().width;
  main.style.width = width + 'px';  // frozen: hiding the sidebar must not re-lay the charts wider
  main.style.minWidth = width + 'px';
  if (width > 703) main.style.zoom = String(703 / width);
}
function unfit() {
  const main = doc.querySelector('[data-testid="stMainBlockContainer"]');
  if (main) { main.style.zoom = ''; main.style.width = ''; main.style.minWidth = ''; }
}
// On a phone the sidebar covers the page: once a page is chosen in it, it closes, as an app's menu does.
function closeOnPhone(event) {
  if (window.parent.innerWidth >= 768) return;
  if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
  setTimeout(() => {
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) button.click();
  }, 50);
}
if (!window.parent.__cppccPrint) {
  window.parent.__cppccPrint = true;
  window.parent.addEventListener('beforeprint', fit);
  window.parent.addEventListener('afterprint', unfit);
  doc.addEventListener('click', closeOnPhone, true);
}
</script>
"""


def uploader_css() -> str:
    """Streamlit's file chooser says "Upload" and "20MB per file • XLSX…" in English whatever the page's
    language: in the other languages the words are drawn over by ours (the catalogue's), the chooser's
    own text kept for screen readers' sake only in English."""
    if lang() == "en":
        return ""
    button, limit = tr("upload.choose_button"), tr("upload.size_limit")
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{ content: "{button}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{limit}"; font-size: 0.875rem; opacity: 0.7; }}
</style>"""


def page_style() -> None:
    """The stylesheet (no element is drawn for it) and the print fitting (a script in the page itself:
    st.components.v1.html, an iframe, is deprecated in Streamlit 1.67)."""
    st.html(CSS + uploader_css())
    st.html(PRINT_JS, unsafe_allow_javascript=True)
