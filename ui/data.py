"""The dashboard's data access: one Store per server, query results cached by parameters.

The cache key includes the database file's change marker (its and its WAL's modification times),
so an import by the CLI in another process shows on the next page run, and after an import or
revert in the dashboard we also clear the cache at once (`clear_caches`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from charts.member_records import spread_stats
from charts.slide import ChartData
from domain.decks import DEFAULT_DECK, Deck, DeckError, SlideSpec, resolve_period
from domain.dictionary import Dictionary, Unit
from domain.members import PointsRule
from domain.periods import Period, parse_label
from exports import slides as slides_mod
from exports.slides import SlideContent
from metrics import aggregate
from services import accounts as accounts_service
from services import batches, setup
from services import decks as decks_service
from services import members as members_service
from store import read, reporting
from store import targets as store_targets
from store.connection import Store
from store.dictionary import effective_dictionary
from store.open import open_store
from store.presets import Preset, list_presets
from store.read import store_units
from ui import auth


def _db_arg() -> str | None:
    """`streamlit run dashboard.py -- --db PATH` (falls back to CPPCC_DB, then data/cppcc.duckdb)."""
    argv = sys.argv[1:]
    for n, a in enumerate(argv):
        if a == "--db" and n + 1 < len(argv):
            return argv[n + 1]
        if a.startswith("--db="):
            return a.split("=", 1)[1]
    return None


@st.cache_data(show_spinner=False, max_entries=8)
def _signin_on(path: str, version: tuple[int, int]) -> bool:
    return accounts_service.signin_enabled(get_store())


def signin_on() -> bool:
    """Whether the store holds an account (sign-in on), cached until the store changes."""
    return _signin_on(get_store().key, _version())


@st.cache_resource
def get_store() -> Store:
    return open_store(_db_arg(), shared=True)  # one pool and one mirror per process (PostgreSQL)


@st.cache_data(show_spinner=False, max_entries=8)
def _dictionary(path: str, version: tuple[int, int]) -> Dictionary:
    with get_store().connect() as con:
        return effective_dictionary(con)


def dictionary() -> Dictionary:
    """The dictionary in force: the data file plus indicators and aliases staff added."""
    return _dictionary(get_store().key, _version())


def _version() -> tuple[int, int]:
    return get_store().version()


@st.cache_data(show_spinner=False, max_entries=64)
def _units(path: str, version: tuple[int, int]) -> pd.DataFrame:
    with get_store().connect() as con:
        return read.units(con)


@st.cache_data(show_spinner=False, max_entries=64)
def _overview_meta(
    path: str, version: tuple[int, int]
) -> tuple[list[tuple[int, int]], list[int], bool, dt.datetime | None]:
    with get_store().connect() as con:
        return read.reported_quarters(con), read.reported_years(con), read.is_demo(con), read.last_import(con)


def _key(*parts: Sequence[str]) -> str:
    """A short digest of the argument tuples: Streamlit hashes cache arguments element by element
    (~40 µs each), and a page asks ~50 cached questions about the same 150 units and 40 quarters."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update("\x1f".join(part).encode())
        h.update(b"\x1e")
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=512)
def _compute(
    path: str,
    version: tuple[int, int],
    key: str,
    _labels: tuple[str, ...],
    _units: tuple[str, ...],
    _codes: tuple[str, ...],
) -> pd.DataFrame:
    """Cached by `key` (the digest of labels, units and codes); the underscored arguments are not hashed."""
    with get_store().connect() as con:
        return aggregate.compute(con, [parse_label(x) for x in _labels], _units, _codes)


def units() -> pd.DataFrame:
    return _units(get_store().key, _version())


def reported_quarters() -> list[tuple[int, int]]:
    return _overview_meta(get_store().key, _version())[0]


def reported_years() -> list[int]:
    return _overview_meta(get_store().key, _version())[1]


def is_demo() -> bool:
    return _overview_meta(get_store().key, _version())[2]


def last_import() -> dt.datetime | None:
    """When the figures last changed (for the 数据截至 … 最近导入 … line)."""
    return _overview_meta(get_store().key, _version())[3]


def compute(periods: Sequence[Period], unit_codes: Sequence[str], codes: Sequence[str] = ()) -> pd.DataFrame:
    """metrics.aggregate.compute, cached."""
    return _compute(*_compute_args(periods, unit_codes, codes))


def _compute_args(
    periods: Sequence[Period], unit_codes: Sequence[str], codes: Sequence[str]
) -> tuple[str, tuple[int, int], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(path, version, digest, labels, units, codes): the arguments of the cached compute functions."""
    labels, units, wanted = tuple(p.label for p in periods), tuple(unit_codes), tuple(codes)
    return get_store().key, _version(), _key(labels, units, wanted), labels, units, wanted


def clear_caches() -> None:
    """After an import or revert: every page shows the new figures at once."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=64)
def _targets(
    path: str, version: tuple[int, int], year: int, key: str, _units: tuple[str, ...], _codes: tuple[str, ...]
) -> pd.DataFrame:
    with get_store().connect() as con:
        return store_targets.targets(con, year, _units, _codes)


def targets(year: int, unit_codes: Sequence[str], codes: Sequence[str] = ()) -> pd.DataFrame:
    """Annual targets (unit_code, indicator, value), cached."""
    units, wanted = tuple(unit_codes), tuple(codes)
    return _targets(get_store().key, _version(), year, _key(units, wanted), units, wanted)


@st.cache_data(show_spinner=False, max_entries=256)
def _compute_totals(
    path: str,
    version: tuple[int, int],
    key: str,
    _labels: tuple[str, ...],
    _units: tuple[str, ...],
    _codes: tuple[str, ...],
) -> pd.DataFrame:
    frame = _compute(path, version, key, _labels, _units, _codes)
    return frame[frame["unit_code"].isna()].reset_index(drop=True)


def compute_totals(
    periods: Sequence[Period], unit_codes: Sequence[str], codes: Sequence[str] = ()
) -> pd.DataFrame:
    """Only the rows over all the given units (unit_code None), cached small: for long series of quarters."""
    return _compute_totals(*_compute_args(periods, unit_codes, codes))


@st.cache_data(show_spinner=False, max_entries=8)
def _presets(path: str, version: tuple[int, int]) -> list[Preset]:
    with get_store().connect() as con:
        return list_presets(con)


def presets() -> list[Preset]:
    """The composite index's named weight presets (县区对比), cached until the database changes."""
    return _presets(get_store().key, _version())


def clear_presets() -> None:
    """After a preset is saved or deleted (the file's change marker may not move within its resolution)."""
    _presets.clear()


@st.cache_data(show_spinner=False, max_entries=64)
def _reporting_status(
    path: str, version: tuple[int, int], year: int, key: str, _units: tuple[str, ...]
) -> pd.DataFrame:
    with get_store().connect() as con:
        return reporting.status(con, year, _units)


def reporting_status(year: int, unit_codes: Sequence[str]) -> pd.DataFrame:
    """报送进度's status table (store.reporting.status), cached."""
    units = tuple(unit_codes)
    return _reporting_status(get_store().key, _version(), year, _key(units), units)


@st.cache_data(show_spinner=False, max_entries=8)
def _unit_list(path: str, version: tuple[int, int]) -> list[Unit]:
    with get_store().connect() as con:
        return store_units(con)


def unit_list() -> list[Unit]:
    """The units as domain objects (the template, the importer's matching), cached."""
    return _unit_list(get_store().key, _version())


def save_preset(name: str, weights: dict[str, float], user: str | None) -> str:
    """Save a weight preset of the composite index (raises store.presets.PresetError); returns its name."""
    saved = setup.save_preset(get_store(), name, weights, user, actor=auth.actor())
    clear_presets()
    return saved


def delete_preset(name: str) -> None:
    setup.delete_preset(get_store(), name, actor=auth.actor())
    clear_presets()


def remove_demo(user: str) -> int:
    """Remove the demo data (数据管理's button); returns how many values went."""
    n = batches.remove_demo(get_store(), user=user, actor=auth.actor())
    clear_caches()
    return n


def add_to_dictionary(additions: Sequence[tuple[str, str, dict[str, str]]], user: str) -> None:
    """The upload page's additions for unknown headers, in one transaction: (header, "alias"|"new", detail).

    Raises store.dictionary.DictionaryError (Chinese) when one cannot be added; nothing is then saved.
    """
    setup.add_to_dictionary(get_store(), additions, user, actor=auth.actor())
    clear_caches()


@st.cache_data(show_spinner=False, max_entries=8)
def _batches(path: str, version: tuple[int, int]) -> tuple[list[batches.BatchRow], pd.DataFrame]:
    store = get_store()
    return batches.history(store), batches.batch_coverage(store).set_index("id")


def batch_list() -> tuple[list[batches.BatchRow], pd.DataFrame]:
    """数据管理's batches, newest first, and what each covers (periods, units, values), cached."""
    return _batches(get_store().key, _version())


@st.cache_data(show_spinner=False, max_entries=16)
def _batch_values(path: str, version: tuple[int, int], batch_id: int) -> pd.DataFrame:
    return batches.batch_values(get_store(), batch_id)


def batch_values(batch_id: int) -> pd.DataFrame:
    """The values one batch wrote, cached (the demo batch holds tens of thousands)."""
    return _batch_values(get_store().key, _version(), batch_id)


# 汇报材料: decks, slides computed for a period (cached per slide), their images and exports.


def slide_source() -> slides_mod.Source:
    """The slide builders' Source over the cached queries (a slide shares them with the pages)."""
    u = units()
    return slides_mod.Source(
        dictionary(),
        tuple(u["code"]),
        dict(zip(u["code"], u["name"], strict=True)),
        tuple(reported_quarters()),
        tuple(reported_years()),
        compute,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _decks(path: str, version: tuple[int, int], who: str) -> list[Deck]:
    return decks_service.decks(get_store(), auth.actor())


def deck_list() -> list[Deck]:
    """The ready-made deck first, then the saved ones."""
    who = auth.actor()
    return _decks(get_store().key, _version(), who.name if who else "")


def deck(name: str | None) -> Deck:
    """The deck of that name (raises DeckError for an unknown one)."""
    name = (name or DEFAULT_DECK).strip() or DEFAULT_DECK
    for d in deck_list():
        if d.name == name:
            return d
    raise DeckError(f"没有名为“{name}”的汇报材料")


def period_has_data(period: Period) -> bool:
    """Whether the store holds any headline value for the period (an export of an empty one is refused)."""
    return slides_mod.has_data(slide_source(), period)


def deck_period(d: Deck) -> Period | None:
    """The period a deck shows when none is asked for (None: the store has no data)."""
    return resolve_period(d.period, reported_quarters(), reported_years())


@st.cache_data(show_spinner=False, max_entries=512)
def _slide(
    path: str, version: tuple[int, int], key: str, label: str, lang: str, _spec: SlideSpec
) -> SlideContent:
    return slides_mod.build_slide(slide_source(), _spec, parse_label(label), lang)


def slide(spec: SlideSpec, period: Period, lang: str = "zh") -> SlideContent:
    """What one slide shows for the period, built once per store version (a key press is a rerun)."""
    return _slide(get_store().key, _version(), spec.key(), period.label, lang, spec)


@st.cache_resource(show_spinner=False, max_entries=256)
def _slide_svg(
    path: str,
    version: tuple[int, int],
    key: str,
    label: str,
    lang: str,
    look: str,
    size: tuple[int, int],
    _chart: ChartData,
) -> bytes | None:
    from charts.slide import PAGE, PROJECTOR, REPORT, slide_figure

    fig = slide_figure(
        _chart, lang, {"projector": PROJECTOR, "report": REPORT}.get(look, PAGE), height=size[1]
    )
    try:
        return decks_service.chart_image(fig, "svg", width=size[0], height=size[1])
    except decks_service.ExportUnavailable:
        return None


def slide_svg(
    content: SlideContent, lang: str, look: str = "projector", size: tuple[int, int] = (1400, 680)
) -> bytes | None:
    """The slide's chart as SVG (vector: sharp at any projector size), cached; None where chromium is missing."""
    if content.chart is None:
        return None
    return _slide_svg(
        get_store().key,
        _version(),
        content.spec.key(),
        content.period.label,
        lang,
        look,
        size,
        content.chart,
    )


def clear_decks() -> None:
    _decks.clear()


def save_deck(d: Deck, user: str | None) -> Deck:
    saved = decks_service.save(get_store(), d, user, auth.actor())
    clear_decks()
    return saved


def add_slide(name: str, spec: SlideSpec, user: str | None, period: str = "latest") -> Deck:
    saved = decks_service.add_slide(get_store(), name, spec, user, period, auth.actor())
    clear_decks()
    return saved


def duplicate_deck(name: str, new_name: str, user: str | None) -> Deck:
    saved = decks_service.duplicate(get_store(), name, new_name, user, auth.actor())
    clear_decks()
    return saved


def delete_deck(name: str) -> None:
    decks_service.delete(get_store(), name, auth.actor())
    clear_decks()


def export_deck(name: str, period: Period, fmt: decks_service.Format, lang: str = "zh") -> tuple[bytes, str]:
    """A deck's file (pptx, pdf, xlsx) and its name; raises DeckError or ExportUnavailable."""
    rendered = decks_service.render(get_store(), name, period, lang)
    return decks_service.export(rendered, fmt, lang), decks_service.file_name(rendered, fmt)


@st.cache_data(show_spinner=False, ttl=60)
def images_missing() -> str | None:
    """None when chart images can be made here, else what to install (rechecked every minute)."""
    return decks_service.unavailable("png")


def chart_image(fig: object, fmt: str) -> bytes:
    """A page's chart as PNG (2x) or SVG (raises ExportUnavailable where chromium is missing)."""
    return decks_service.chart_image(fig, "svg" if fmt == "svg" else "png")


# Member records (委员档案): the page's reads, cached until the store changes. The rows hold names:
# the page shows them only where services.members.visible_units allows (one cache for the server).
@st.cache_data(show_spinner=False, max_entries=8)
def _member_log_years(path: str, version: tuple[int, int]) -> list[int]:
    return members_service.log_years(get_store())


def member_log_years() -> list[int]:
    return _member_log_years(get_store().key, _version())


@st.cache_data(show_spinner=False, max_entries=8)
def _member_year(
    path: str, version: tuple[int, int], year: int, units: tuple[str, ...] | None
) -> pd.DataFrame:
    """The year per member (60,000 rows for a province), every unit named: read only by the cached
    views below, so that a page run reads back their small results and never this frame."""
    df = members_service.member_year(get_store(), year, list(units) if units is not None else None)
    df["unit_name"] = df["unit_name"].where(df["unit_name"].notna(), df["unit_code"])
    for col in ("activities", "attended", "on_leave", "absent"):
        df[col] = df[col].astype("int64")
    df["points"] = df["points"].astype("float64")
    return df


def _units_key(units: list[str] | None) -> tuple[str, ...] | None:
    return tuple(units) if units is not None else None


@dataclass(frozen=True)
class MemberScope:
    """The members the page covers in a year: how many serve, and the sectors among them (for the filter)."""

    members: int
    sectors: tuple[str, ...]


@st.cache_data(show_spinner=False, max_entries=32)
def _member_scope(
    path: str, version: tuple[int, int], year: int, units: tuple[str, ...] | None
) -> MemberScope:
    df = _member_year(path, version, year, units)
    return MemberScope(len(df), tuple(sorted(set(df["sector"].dropna()))))


def member_scope(year: int, units: list[str] | None) -> MemberScope:
    return _member_scope(get_store().key, _version(), int(year), _units_key(units))


@dataclass(frozen=True)
class MemberView:
    """What 委员档案 shows for a year, the units covered, one unit (or all) and one sector (or all): the
    KPI numbers, spreads of points (charts.member_records.spread_stats) by unit name and by sector ('':
    none given), activities by type, attendance by unit name, the 提醒谈话 list (dates as ISO text, ''
    for none) and the top candidates with their counts by type. Small: a page run reads it back whole."""

    members: int
    active: int
    points_mean: float | None
    attended: int
    on_leave: int
    absent: int
    unit_names: dict[str, str]  # code → name, of the units with members, in the store's order
    by_unit: pd.DataFrame
    by_sector: pd.DataFrame
    by_type: dict[str, int]
    attendance: pd.DataFrame  # attended, on_leave, absent by unit name
    inactive: pd.DataFrame  # unit_name, member_id, name, sector, start_date, end_date, last_activity
    candidates: pd.DataFrame  # member_id, name, unit_name, sector, points, activities: best first
    counts: dict[str, dict[str, int]]  # candidate → {activity: count}


def _chosen(
    path: str, version: tuple[int, int], year: int, units: tuple[str, ...] | None, unit: str | None,
    sector: str | None,
) -> pd.DataFrame:  # fmt: skip
    df = _member_year(path, version, year, units)
    df = df if unit is None else df[df["unit_code"] == unit]
    return df if sector is None else df[df["sector"] == sector]


def _days(values: pd.Series) -> list[str]:
    """Dates as ISO text, '' for none."""
    return [
        "" if v is None or (not isinstance(v, str) and pd.isna(v)) else pd.Timestamp(v).date().isoformat()
        for v in values
    ]


@st.cache_data(show_spinner=False, max_entries=64)
def _member_view(
    path: str, version: tuple[int, int], year: int, units: tuple[str, ...] | None, unit: str | None,
    sector: str | None, top: int,
) -> MemberView:  # fmt: skip
    df = _chosen(path, version, year, units, unit, sector)
    store = get_store()
    idle = df[df["activities"] == 0]
    inactive = pd.DataFrame({
        "unit_name": idle["unit_name"], "member_id": idle["member_id"], "name": idle["name"],
        "sector": idle["sector"], "start_date": _days(idle["start_date"]), "end_date": _days(idle["end_date"]),
        "last_activity": _days(idle["last_activity"]),
    }).reset_index(drop=True)  # fmt: skip
    best = df[df["points"] > 0].sort_values(
        ["points", "activities", "member_id"], ascending=[False, False, True]
    )
    best = best.head(top)[["member_id", "name", "unit_name", "sector", "points", "activities"]]
    counts: dict[str, dict[str, int]] = {m: {} for m in best["member_id"]}
    if len(best):
        parts = members_service.activity_counts(store, year, best["member_id"].tolist())
        for m, a, n in parts.itertuples(index=False, name=None):
            counts[m][a] = int(n)
    ids = df["member_id"].tolist()
    first = df.drop_duplicates("unit_code")
    return MemberView(
        members=len(df),
        active=int((df["activities"] > 0).sum()),
        points_mean=float(df["points"].mean()) if len(df) else None,
        attended=int(df["attended"].sum()),
        on_leave=int(df["on_leave"].sum()),
        absent=int(df["absent"].sum()),
        unit_names=dict(zip(first["unit_code"].tolist(), first["unit_name"].tolist(), strict=True)),
        by_unit=spread_stats(df, "unit_name"),
        by_sector=spread_stats(df.assign(sector=df["sector"].fillna("")), "sector"),
        by_type=members_service.activity_totals(store, year, ids) if ids else {},
        attendance=df.groupby("unit_name", sort=False)[["attended", "on_leave", "absent"]].sum(),
        inactive=inactive,
        candidates=best.reset_index(drop=True),
        counts=counts,
    )


def member_view(
    year: int, units: list[str] | None, unit: str | None, sector: str | None, top: int
) -> MemberView:
    """The year's figures for the page (computed once per store version, year, units, unit and sector)."""
    return _member_view(get_store().key, _version(), int(year), _units_key(units), unit, sector, int(top))


@st.cache_data(show_spinner=False, max_entries=64)
def _member_search(
    path: str, version: tuple[int, int], year: int, units: tuple[str, ...] | None, unit: str | None,
    sector: str | None, text: str, limit: int,
) -> tuple[pd.DataFrame, int]:  # fmt: skip
    df = _chosen(path, version, year, units, unit, sector)
    hay = (df["name"].fillna("") + " " + df["member_id"] + " " + df["unit_name"]).str.casefold()
    hit = pd.Series(True, index=df.index)
    for term in text.casefold().split():
        hit &= hay.str.contains(term, regex=False)
    found = df.loc[hit, ["member_id", "name", "unit_name"]]
    exact = (found["member_id"].str.casefold() == text.casefold()) | (found["name"] == text)
    found = pd.concat([found[exact], found[~exact]])  # the member named exactly first
    return found.head(limit).reset_index(drop=True), len(found)


def member_search(
    year: int, units: list[str] | None, unit: str | None, sector: str | None, text: str, limit: int
) -> tuple[pd.DataFrame, int]:
    """Members of the page's choice whose name, number or unit holds every word of `text` (any case):
    (the first `limit`, an exact name or number first; how many match)."""
    return _member_search(
        get_store().key, _version(), int(year), _units_key(units), unit, sector, text.strip(), int(limit)
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _member_points_rule(path: str, version: tuple[int, int]) -> PointsRule:
    return members_service.points_rule(get_store())


def member_points_rule() -> PointsRule:
    return _member_points_rule(get_store().key, _version())


@st.cache_data(show_spinner=False, max_entries=32)
def _member_derived(path: str, version: tuple[int, int], year: int, quarter: int | None) -> pd.DataFrame:
    return members_service.derived_figures(get_store(), year, quarter)


def member_derived(year: int, quarter: int | None) -> pd.DataFrame:
    return _member_derived(get_store().key, _version(), int(year), quarter).copy()
