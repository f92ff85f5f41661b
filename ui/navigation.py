"""The page list, in one place for dashboard.py and the per-page tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # script, relative to the project root
    title_key: str  # message catalogue key
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    PageSpec("views/upload.py", "nav.upload", ":material/upload_file:", "upload"),
    PageSpec("views/history.py", "nav.history", ":material/history:", "history"),
    PageSpec("views/targets.py", "nav.targets", ":material/flag:", "targets"),
)
