"""The page list, in one place for dashboard.py and the per-page tests: sections of the sidebar menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # script, relative to the project root
    title_key: str  # message catalogue key
    icon: str
    url_path: str
    section: str = "nav.section_analysis"
    hidden: bool = False  # reached by link only (汇报模式, 手机简报), not listed in the menu
    needs: str = "view"  # the action (domain.accounts) an account needs for the page to exist for it


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    PageSpec("views/proposals.py", "nav.proposals", ":material/description:", "proposals"),
    PageSpec("views/consultation.py", "nav.consultation", ":material/forum:", "consultation"),
    PageSpec("views/research.py", "nav.research", ":material/travel_explore:", "research"),
    PageSpec("views/social.py", "nav.social", ":material/campaign:", "social"),
    PageSpec("views/members.py", "nav.members", ":material/groups:", "members"),
    PageSpec(  # its own section: a year of members' records, not the shared period filters of 分析
        "views/member_records.py",
        "member_records.title",
        ":material/badge:",
        "member-records",
        "member_records.section",
    ),
    PageSpec("views/compare.py", "nav.compare", ":material/grid_on:", "compare"),
    PageSpec("views/decks.py", "nav.decks", ":material/slideshow:", "decks", "nav.section_present"),
    PageSpec(
        "views/present.py",
        "nav.present",
        ":material/present_to_all:",
        "present",
        "nav.section_present",
        True,
        "present",
    ),
    PageSpec("views/brief.py", "nav.brief", ":material/smartphone:", "brief", hidden=True),
    PageSpec("views/reporting.py", "nav.reporting", ":material/fact_check:", "reporting", "nav.section_data"),
    PageSpec(
        "views/upload.py",
        "nav.upload",
        ":material/upload_file:",
        "upload",
        "nav.section_data",
        needs="import",
    ),
    PageSpec(
        "views/history.py", "nav.history", ":material/history:", "history", "nav.section_data", needs="import"
    ),
    PageSpec(
        "views/targets.py", "nav.targets", ":material/flag:", "targets", "nav.section_data", needs="targets"
    ),
    PageSpec(
        "views/units.py", "nav.units", ":material/account_tree:", "units", "nav.section_data", needs="units"
    ),
    PageSpec(
        "views/accounts.py",
        "nav.accounts",
        ":material/manage_accounts:",
        "accounts",
        "nav.section_data",
        needs="accounts",
    ),
    PageSpec(
        "views/audit.py", "nav.audit", ":material/receipt_long:", "audit", "nav.section_data", needs="audit"
    ),
)
