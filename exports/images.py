"""Chart images (PNG, SVG) of Plotly figures, drawn by kaleido in the machine's own chromium, offline.

One headless chromium per process, started on the first image asked for and closed at exit: starting
it costs ~1.5 s, an image after that ~0.15 s. Streamlit runs every session in a thread of its own, so
the browser lives on one event loop in a thread of ours and every caller hands its figure to that loop
(`asyncio.run_coroutine_threadsafe`): any number of threads may ask at once; kaleido's tab queue takes
them one by one. Each xdist worker or server process has its own browser, profile directory and pipe
(no port), so two of them never meet.

Why not `kaleido.start_sync_server`: its server thread dies silently when chromium cannot start (not
installed, a broken profile) and every later image then waits forever (`Queue.join` without a
timeout); it also mixes up answers when two threads ask at once. Here startup and every image have a
timeout and fail with an `ImageError`; a failed browser is closed and the next image starts a new one.

Nothing is fetched from the internet: the page the browser draws in loads plotly.js from the installed
plotly package and no MathJax (kaleido's default page loads MathJax from a CDN), `_page()` refuses a
page naming any http(s) script, and chromium is pointed at a proxy that does not exist, so a request
nobody foresaw fails instead of leaving the machine.

Fonts: the figures name "Noto Sans CJK SC" first (charts.theme.FONT_FAMILY); fontconfig's fallback for
Han text here is the Japanese face, whose glyphs differ from the Chinese forms.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import re
import shutil
import subprocess
import threading
from functools import cache
from pathlib import Path
from typing import Any

import logistro
import plotly.graph_objects as go

INSTALL_HINT = "请以 root 运行 python3 dev.py serve，或 apt-get install chromium fonts-noto-cjk"
CJK_FONT = "Noto Sans CJK SC"
START_TIMEOUT = 60.0  # seconds for chromium to start and load the page
RENDER_TIMEOUT = 60.0  # seconds for one image
_NO_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, any web request fails at once


class ImageError(RuntimeError):
    """A chart image could not be made (no chromium, or the browser failed); the message is Chinese."""


def chromium_path() -> str | None:
    """The chromium to draw with: $BROWSER_PATH (choreographer's own setting), else Debian's chromium."""
    for candidate in (
        os.environ.get("BROWSER_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@cache
def _has_cjk_font() -> bool:
    """Whether fontconfig knows the Chinese face (else every label is drawn as boxes)."""
    if not shutil.which("fc-list"):
        return True  # not a fontconfig system: the font stack's Windows/macOS faces apply
    try:
        out = subprocess.run(["fc-list", CJK_FONT, "family"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return True
    return CJK_FONT in out.stdout


def available() -> str | None:
    """None when images can be made here, else what to install (a Chinese sentence for the page)."""
    if chromium_path() is None:
        return f"导出图片需要 chromium：{INSTALL_HINT}"
    if not _has_cjk_font():
        return f"导出图片需要中文字体 {CJK_FONT}（fonts-noto-cjk）：{INSTALL_HINT}"
    return None


def _page() -> Any:
    """kaleido's page generator with plotly.js from the installed plotly package and MathJax off."""
    import kaleido
    import plotly

    js = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not js.is_file():
        raise ImageError(f"找不到 plotly 自带的 plotly.min.js（{js}），请重新安装 plotly")
    page = kaleido.PageGenerator(plotly=(js.as_uri(), "utf-8"), mathjax=False)
    if re.search(r"""src=["']?(https?:)?//""", page.generate_index(), re.IGNORECASE):
        raise ImageError("生成图片的页面引用了网络上的脚本（不允许联网）")
    return page


def page_html() -> str:
    """The page chromium draws the charts in (the tests check it names no web address)."""
    return str(_page().generate_index())


class _Browser:
    """One kaleido (a headless chromium with one tab) on an event loop running in a thread of its own."""

    def __init__(self, chromium: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-chromium", daemon=True)
        self.thread.start()
        self.kaleido: Any = None
        try:
            self.kaleido = self._wait(self._open(chromium), START_TIMEOUT)
        except BaseException:
            self.close()
            raise

    async def _open(self, chromium: str) -> Any:
        import kaleido

        k = kaleido.Kaleido(
            n=1, timeout=RENDER_TIMEOUT, page_generator=_page(), path=chromium, proxy_server=_NO_PROXY
        )
        try:
            await k.open()
        except BaseException:
            await k.close()
            raise
        return k

    def _wait(self, coro: Any, timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def render(self, fig: go.Figure, opts: dict[str, Any]) -> bytes:
        return bytes(self._wait(self.kaleido.calc_fig(fig, opts=opts), RENDER_TIMEOUT + 15))

    def close(self) -> None:
        """Close chromium and end the loop's thread; a browser that already failed closes quietly."""
        kaleido, self.kaleido = self.kaleido, None
        with contextlib.suppress(Exception):
            if kaleido is not None:
                self._wait(kaleido.close(), 20)
        with contextlib.suppress(Exception):  # a crashed browser leaves its watchdog task pending
            self._wait(_cancel_pending(), 5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        if not self.thread.is_alive():
            self.loop.close()


async def _cancel_pending() -> None:
    """Cancel every task left on the browser's loop (but this one) and let them finish."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class _BrokenMessage(logging.Filter):
    """choreographer logs a whole traceback for a message chromium cut off as it closed (the server
    stopping): it is ignored there, so one line says so instead of a traceback in the server log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and "JSONError decoding message" in str(record.msg):
            record.msg, record.args = "chromium 关闭时最后一条消息不完整，已忽略（JSONError）", ()
            record.exc_info, record.exc_text, record.levelno, record.levelname = (
                None,
                None,
                logging.INFO,
                "INFO",
            )
        return True


# Through logistro: importing it installs the logger class choreographer's loggers need (debug2); a
# plain logging.getLogger first would create this logger without it, and chromium would not start.
logistro.getLogger("choreographer.channels.pipe").addFilter(_BrokenMessage())

_lock = threading.Lock()  # guards starting and stopping the browser (images themselves run in parallel)
_browser: _Browser | None = None
_atexit_registered = False


def _get_browser() -> _Browser:
    global _browser, _atexit_registered
    with _lock:
        if _browser is not None:
            return _browser
        missing = available()
        if missing:
            raise ImageError(missing)
        chromium = chromium_path()
        assert chromium is not None
        try:
            _browser = _Browser(chromium)
        except ImageError:
            raise
        except concurrent.futures.TimeoutError:
            raise ImageError(f"chromium 在 {START_TIMEOUT:.0f} 秒内没有启动（{chromium}）") from None
        except Exception as e:
            raise ImageError(f"无法启动 chromium（{chromium}）：{e}") from e
        if not _atexit_registered:
            atexit.register(stop)
            _atexit_registered = True
        return _browser


def stop() -> None:
    """Close the browser (at exit; also after a failure, so the next image starts a fresh one)."""
    global _browser
    with _lock:
        browser, _browser = _browser, None
    if browser is not None:
        browser.close()


def _render(fig: go.Figure, opts: dict[str, Any]) -> bytes:
    browser = _get_browser()
    try:
        return browser.render(fig, opts)
    except concurrent.futures.TimeoutError:
        _drop(browser)
        raise ImageError(f"生成图片超时（{RENDER_TIMEOUT:.0f} 秒）") from None
    except Exception as e:
        _drop(browser)
        raise ImageError(f"生成图片失败：{type(e).__name__} {e}") from e


def _drop(browser: _Browser) -> None:
    """Close a browser that failed (if it is still the current one), so the next image starts anew."""
    global _browser
    with _lock:
        if _browser is not browser:
            return
        _browser = None
    browser.close()


def _opts(fmt: str, width: int | None, height: int | None, scale: float) -> dict[str, Any]:
    opts: dict[str, Any] = {"format": fmt, "scale": scale}
    if width:
        opts["width"] = int(width)
    if height:
        opts["height"] = int(height)
    return opts


def png(fig: go.Figure, width: int | None = None, height: int | None = None, scale: float = 2) -> bytes:
    """The figure as PNG, `scale` pixels per CSS pixel (2: sharp on a projector and in Word/WPS).

    Width and height default to the figure's layout (kaleido's 700 x 500 when it sets none).
    """
    data = _render(fig, _opts("png", width, height, scale))
    if not data.startswith(b"\x89PNG"):
        raise ImageError("生成图片失败：chromium 没有返回 PNG 图片")
    return data


def svg(fig: go.Figure, width: int | None = None, height: int | None = None) -> bytes:
    """The figure as SVG (vector: text stays text, sharp at any size; the PDF report embeds these)."""
    data = _render(fig, _opts("svg", width, height, 1))
    if b"<svg" not in data[:200]:
        raise ImageError("生成图片失败：chromium 没有返回 SVG 图片")
    return data
