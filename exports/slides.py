"""What a slide shows, computed for a period: the title, the chart as data, KPI figures, the 数据摘要
sentence, the source and period. One builder per slide kind; the presentation mode, the PowerPoint, PDF
and Excel exports and the phone brief all draw from `SlideContent`, so they can never disagree.

Builders take a `Source`: the dictionary, the units and a `compute` (metrics.aggregate.compute with
its connection bound — or the dashboard's cached copy of it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from charts.format import fmt_number, fmt_pct, fmt_pp, is_missing, unit_label
from charts.slide import ChartData, Series, table_rows
from charts.theme import unit_colors
from domain.decks import DEFAULT_DECK, Deck, DeckError, SlideSpec, resolve_period
from domain.dictionary import Dictionary
from domain.periods import Period, quarters_between
from i18n import t
from metrics import aggregate
from metrics.aggregate import change, totals, value_of
from metrics.comparison import comparable, like_for_like
from metrics.composite import DEFAULT_WEIGHTS, composite
from metrics.summary import DOMAIN_ORDER, domain_sentence, figures_from_frame, paragraph, paragraph_en
from store import read

Compute = Callable[[Sequence[Period], Sequence[str], Sequence[str]], pd.DataFrame]

OVERVIEW_KPIS = (
    "proposals_submitted",
    "registration_rate",
    "reply_rate",
    "consult_total",
    "info_adopted",
    "member_participations",
)
# (stage, count code, rate of the step into it): the funnels of 提案工作 and 社情民意 (the pages use these)
FUNNELS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "proposals": (
        ("submitted", "proposals_submitted", None),
        ("registered", "proposals_registered", "registration_rate"),
        ("answered", "proposals_answered", "reply_rate"),
        ("satisfied", "proposals_satisfied", "satisfaction_rate"),
    ),
    "social": (
        ("collected", "info_collected", None),
        ("submitted", "info_submitted", None),
        ("adopted", "info_adopted", "adoption_rate"),
    ),
}
CONSULT_TYPES = (
    "consult_plenary",
    "consult_standing",
    "consult_topic",
    "consult_counterpart",
    "consult_sector",
    "consult_proposal",
)


@dataclass(frozen=True)
class Source:
    dictionary: Dictionary
    unit_codes: tuple[str, ...]  # the unit list's order (a unit keeps its colour)
    unit_names: Mapping[str, str]
    quarters: tuple[tuple[int, int], ...]
    years: tuple[int, ...]
    compute: Compute


def store_source(con: duckdb.DuckDBPyConnection, dictionary: Dictionary) -> Source:
    """A Source reading one open connection (the CLI, the exports)."""
    units = read.units(con)
    return Source(
        dictionary,
        tuple(units["code"]),
        dict(zip(units["code"], units["name"], strict=True)),
        tuple(read.reported_quarters(con)),
        tuple(read.reported_years(con)),
        lambda periods, unit_codes, codes: aggregate.compute(con, periods, unit_codes, codes),
    )


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    value: float | None
    text: str  # 1,234 件 / 85.1% / —
    change: str  # 同比增长 5.2% / 较上年提高 1.3 个百分点 / 同比 —
    arrow: str  # up / down / flat / ""
    good: bool | None  # whether the change is good news (the indicator's direction); None: neutral


@dataclass(frozen=True)
class SlideContent:
    spec: SlideSpec
    title: str
    period: Period
    period_text: str
    scope: str
    chart: ChartData | None = None
    kpis: tuple[Kpi, ...] = ()
    summary: str = ""
    source: str = ""
    empty: str = ""  # why there is nothing to show (no data for the period), else ""
    domain: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)  # lines for the speaker notes

    @property
    def note(self) -> str:
        return self.spec.note

    def numbers(self) -> list[str]:
        """The slide's figures, one per line (speaker notes, the phone brief's text)."""
        lines = [f"{k.label}：{k.text}（{k.change}）" for k in self.kpis]
        if self.chart is not None:
            head, rows = table_rows(self.chart)
            for row in rows:
                cells = []
                for h, v, s in zip(head[1:], row[1:], self.chart.series, strict=True):
                    if is_missing(v):
                        continue
                    unit = "" if s.unit in ("%", "") else f" {unit_label(s.unit)}"
                    shown = f"{fmt_number(v, s.unit)}{unit}"  # type: ignore[arg-type]
                    cells.append(f"{h} {shown}" if len(head) > 2 else shown)
                if cells:
                    lines.append(f"{row[0]}：" + "，".join(cells))
        return [*lines, *self.extra]

    def table(self) -> pd.DataFrame:
        """The data behind the slide (Excel export, the data tab)."""
        if self.chart is not None:
            head, rows = table_rows(self.chart)
            heads = [head[0] or t("present.col_item", "zh")] + [
                f"{h}（{s.unit}）" if s.unit else h for h, s in zip(head[1:], self.chart.series, strict=True)
            ]
            return pd.DataFrame(rows, columns=heads)
        return pd.DataFrame(
            {
                t("present.col_item", "zh"): [k.label for k in self.kpis],
                t("present.col_value", "zh"): [k.value for k in self.kpis],
                t("present.col_shown", "zh"): [k.text for k in self.kpis],
                t("present.col_change", "zh"): [k.change for k in self.kpis],
            }
        )


def period_text(p: Period, quarters: Sequence[tuple[int, int]], lang: str = "zh") -> str:
    """2024年1-9月; a year reported only partly says so: 2026年（截至第三季度）."""
    text = p.zh() if lang == "zh" else p.en()
    through = comparable(p, quarters).through
    return (
        t("filters.partial", lang, period=text, q=t(f"filters.through_{through}", lang)) if through else text
    )


class _Ctx:
    """One slide's build: the source, the period and the units, with the lookups every builder needs."""

    def __init__(self, src: Source, spec: SlideSpec, period: Period, lang: str) -> None:
        self.src, self.spec, self.period, self.lang = src, spec, period, lang
        chosen = [c for c in (spec.units() or []) if c in src.unit_names]
        self.units = chosen or list(src.unit_codes)
        self.all_units = not chosen
        self.prev = comparable(period, src.quarters).previous
        self.ptext = period_text(period, src.quarters, lang)
        sep = "、" if lang == "zh" else ", "
        self.scope = (
            t("summary.scope_all", lang)
            if self.all_units
            else sep.join(src.unit_names[c] for c in self.units)
        )

    def name(self, code: str) -> str:
        return self.src.dictionary[code].label(self.lang)

    def unit(self, code: str) -> str:
        return self.src.dictionary[code].unit

    def compute(self, periods: Sequence[Period], codes: Sequence[str]) -> pd.DataFrame:
        return self.src.compute(periods, self.units, codes)

    def yoy_frame(self, codes: Sequence[str]) -> pd.DataFrame:
        return self.compute([self.period, self.prev], codes)

    def summary(self, domains: Sequence[str], brief: bool = False) -> str:
        """The 数据摘要 of these domains; `brief`: each domain's first clause group only (a KPI slide
        names four domains, and their whole paragraph would not fit under the cards)."""
        codes = [i.code for d in domains for i in self.src.dictionary.by_domain(d)]
        if not codes:
            return ""
        frame = self.yoy_frame(codes)
        figures = figures_from_frame(frame, self.period.label, self.prev.label)
        yoy = like_for_like(
            frame, self.period.label, self.prev, list(figures),
            lambda units, group: self.src.compute([self.period, self.prev], units, group),
        )  # fmt: skip
        figures = {c: replace(f, previous=yoy[c].previous, base=yoy[c].current) for c, f in figures.items()}
        if self.lang == "en":
            text = paragraph_en(self.scope, self.ptext, figures, self.src.dictionary, list(domains))
        elif brief:
            firsts = [s.split("；")[0] for s in (domain_sentence(d, figures) for d in domains) if s]
            text = f"{self.ptext}，{self.scope}" + "。".join(firsts) + "。" if firsts else ""
        else:
            text = paragraph(self.scope, self.ptext, figures, list(domains))
        if text and any(y.subset and y.units for y in yoy.values()):
            text += t("summary.common_units", self.lang)
        return text

    def content(self, title: str, domain: str = "", **kw: object) -> SlideContent:
        n = len(self.units)
        return SlideContent(
            self.spec,
            self.spec.title or title,
            self.period,
            self.ptext,
            self.scope,
            source=t("present.source", self.lang, n=n),
            domain=domain,
            **kw,  # type: ignore[arg-type]
        )

    def empty(self, title: str, domain: str = "") -> SlideContent:
        return self.content(title, domain, empty=t("present.empty", self.lang, period=self.ptext))


def _kpi(ctx: _Ctx, code: str, value: float | None, cur: float | None, prev: float | None) -> Kpi:
    ind, lang = ctx.src.dictionary[code], ctx.lang
    unit = unit_label(ind.unit, lang)
    text = fmt_number(value, ind.unit, lang)
    if value is not None and ind.unit != "%" and unit:
        text = f"{text} {unit}"
    ch = change(cur, prev, ind)
    if not ch.known or ch.delta is None:
        return Kpi(code, ind.label(lang), value, text, t("present.yoy_none", lang), "", None)
    if ind.kind == "ratio" and ind.unit == "%":
        amount, shown = round(ch.delta, 1), t("present.pp", lang, pp=fmt_pp(ch.delta))
    elif ch.pct is None:
        amount, shown = ch.delta, fmt_number(abs(ch.delta), ind.unit, lang)
    else:
        amount, shown = round(ch.pct, 1), fmt_pct(ch.pct)
    if amount == 0:
        return Kpi(code, ind.label(lang), value, text, t("present.yoy_flat", lang), "flat", None)
    arrow = "up" if amount > 0 else "down"
    good = None if ind.direction == "neutral" else (amount > 0) == (ind.direction == "up")
    return Kpi(code, ind.label(lang), value, text, t(f"present.yoy_{arrow}", lang, change=shown), arrow, good)


def _domains(ctx: _Ctx, codes: Sequence[str]) -> list[str]:
    have = {ctx.src.dictionary[c].domain for c in codes if c in ctx.src.dictionary}
    return [d for d in DOMAIN_ORDER if d in have]


def build_kpis(ctx: _Ctx) -> SlideContent:
    codes = [c for c in ctx.spec.params.get("codes", OVERVIEW_KPIS) if c in ctx.src.dictionary]
    title = t("present.kpis_title", ctx.lang)
    frame = ctx.yoy_frame(codes)
    if totals(frame[frame["label"] == ctx.period.label])["value"].isna().all():
        return ctx.empty(title)
    yoy = like_for_like(
        frame, ctx.period.label, ctx.prev, codes,
        lambda units, group: ctx.src.compute([ctx.period, ctx.prev], units, group),
    )  # fmt: skip
    kpis = tuple(
        _kpi(ctx, c, value_of(frame, ctx.period.label, c), yoy[c].current, yoy[c].previous) for c in codes
    )
    return ctx.content(title, kpis=kpis, summary=ctx.summary(_domains(ctx, codes), brief=True))


def build_funnel(ctx: _Ctx) -> SlideContent:
    domain = str(ctx.spec.params.get("domain", "proposals"))
    if domain not in FUNNELS:
        raise DeckError(f"没有“{domain}”的漏斗图")
    stages = FUNNELS[domain]
    title = t(f"present.funnel_{domain}", ctx.lang)
    codes = [c for _, c, r in stages] + [r for _, _, r in stages if r]
    frame = ctx.compute([ctx.period], codes)
    values = [value_of(frame, ctx.period.label, c) for _, c, _ in stages]
    if all(v is None for v in values):
        return ctx.empty(title, domain)
    notes = []
    for _, _, r in stages:
        rate = value_of(frame, ctx.period.label, r) if r else None
        notes.append(f"{ctx.name(r)} {fmt_number(rate, '%')}" if r and rate is not None else "")
    unit = ctx.unit(stages[0][1])
    chart = ChartData(
        "funnel",
        tuple(t(f"{domain}.stage_{s}", ctx.lang) for s, _, _ in stages),
        (Series(t("present.col_count", ctx.lang), tuple(values), unit),),
        t("present.col_stage", ctx.lang),
        notes=tuple(notes),
    )
    return ctx.content(title, domain, chart=chart, summary=ctx.summary([domain]))


def build_ranking(ctx: _Ctx) -> SlideContent:
    code = str(ctx.spec.params.get("code", "registration_rate"))
    ind = ctx.src.dictionary[code]
    title = t("present.ranking_title", ctx.lang, indicator=ctx.name(code))
    frame = ctx.compute([ctx.period], [code])
    rows = frame[(frame["indicator"] == code) & frame["unit_code"].notna() & frame["value"].notna()]
    if rows.empty:
        return ctx.empty(title, ind.domain)
    rows = rows.sort_values("value", ascending=False, kind="stable")
    colors = unit_colors(list(ctx.src.unit_codes))
    total = value_of(frame, ctx.period.label, code) if ind.kind == "ratio" else None
    line = ""
    if total is not None:
        key = "flows.city_line" if ctx.all_units else "flows.subset_line"
        line = t(key, ctx.lang, value=fmt_number(total, ind.unit, ctx.lang))
    chart = ChartData(
        "hbar",
        tuple(ctx.src.unit_names[c] for c in rows["unit_code"]),
        (Series(ctx.name(code), tuple(float(v) for v in rows["value"]), ind.unit),),
        t("filters.units", ctx.lang),
        reference=total,
        reference_label=line,
        colors=tuple(colors.get(c, "#B22222") for c in rows["unit_code"]),
    )
    return ctx.content(title, ind.domain, chart=chart, summary=ctx.summary([ind.domain]))


def _quarter_labels(ctx: _Ctx, n: int) -> list[tuple[int, int]]:
    if not ctx.src.quarters:
        return []
    end = (ctx.period.year, ctx.period.quarter or 4)
    first = min(ctx.src.quarters)
    return [q for q in quarters_between(first, end) if q <= end][-n:]


def _quarter_series(
    ctx: _Ctx, codes: Sequence[str], n: int
) -> tuple[list[str], dict[str, list[float | None]]]:
    qs = _quarter_labels(ctx, n)
    periods = [Period(y, q, "quarter") for y, q in qs]
    frame = totals(ctx.compute(periods, codes)) if periods else pd.DataFrame(columns=aggregate.COLUMNS)
    labels = [p.label for p in periods]
    return labels, {c: [value_of(frame, lab, c) for lab in labels] for c in codes}


def _year_series(ctx: _Ctx, codes: Sequence[str]) -> tuple[list[str], dict[str, list[float | None]]]:
    """Every year up to the period's, as 提案工作's trend by year writes them: 2024年, or 2026年1-9月
    for a year reported only partly (its figures are the quarters reported)."""
    years = sorted({y for y, _ in ctx.src.quarters} | set(ctx.src.years))
    years = [y for y in years if y <= ctx.period.year]
    frame = (
        totals(ctx.compute([Period(y) for y in years], codes))
        if years
        else pd.DataFrame(columns=aggregate.COLUMNS)
    )
    labels = []
    for y in years:
        last = max([q for yy, q in ctx.src.quarters if yy == y], default=4)
        labels.append(
            t("proposals.year_full", ctx.lang, year=y)
            if last == 4
            else t("proposals.year_partial", ctx.lang, year=y, m=last * 3)
        )
    return labels, {c: [value_of(frame, str(y), c) for y in years] for c in codes}


def build_trend(ctx: _Ctx) -> SlideContent:
    code = str(ctx.spec.params.get("code", "proposals_submitted"))
    n = int(ctx.spec.params.get("quarters", 12))
    ind = ctx.src.dictionary[code]
    title = t("present.trend_title", ctx.lang, indicator=ctx.name(code), n=n)
    labels, values = _quarter_series(ctx, [code], n)
    if all(v is None for v in values[code]):
        return ctx.empty(title, ind.domain)
    chart = ChartData(
        "line" if ind.kind == "ratio" else "bar",
        tuple(labels),
        (Series(ctx.name(code), tuple(values[code]), ind.unit),),
        t("chart.quarter_axis", ctx.lang),
    )
    return ctx.content(title, ind.domain, chart=chart, summary=ctx.summary([ind.domain]))


def build_quarters(ctx: _Ctx) -> SlideContent:
    codes = [c for c in ctx.spec.params.get("codes", ()) if c in ctx.src.dictionary]
    if not codes:
        raise DeckError("这张幻灯片没有指标")
    n = int(ctx.spec.params.get("quarters", 12))
    stacked = bool(ctx.spec.params.get("stacked", False))
    sep = "、" if ctx.lang == "zh" else ", "
    title = str(ctx.spec.params.get("label") or sep.join(ctx.name(c) for c in codes))
    by_year = ctx.spec.params.get("by") == "year"
    labels, values = _year_series(ctx, codes) if by_year else _quarter_series(ctx, codes, n)
    if all(v is None for c in codes for v in values[c]):
        return ctx.empty(title, ctx.src.dictionary[codes[0]].domain)
    chart = ChartData(
        "stacked" if stacked else ("clustered" if len(codes) > 1 else "bar"),
        tuple(labels),
        tuple(Series(ctx.name(c), tuple(values[c]), ctx.unit(c)) for c in codes),
        t("proposals.col_period" if by_year else "chart.quarter_axis", ctx.lang),
    )
    domains = _domains(ctx, codes)
    return ctx.content(title, domains[0] if domains else "", chart=chart, summary=ctx.summary(domains))


def build_mix(ctx: _Ctx) -> SlideContent:
    codes = [c for c in ctx.spec.params.get("codes", CONSULT_TYPES) if c in ctx.src.dictionary]
    title = str(ctx.spec.params.get("label") or t("present.mix_consultation", ctx.lang))
    frame = ctx.compute([ctx.period], codes)
    values = [value_of(frame, ctx.period.label, c) for c in codes]
    if all(v is None or v == 0 for v in values):
        return ctx.empty(title, "consultation")
    chart = ChartData(
        "doughnut",
        tuple(ctx.name(c) for c in codes),
        (Series(t("present.col_count", ctx.lang), tuple(values), ctx.unit(codes[0])),),
        t("present.col_type", ctx.lang),
    )
    domains = _domains(ctx, codes)
    return ctx.content(title, domains[0] if domains else "", chart=chart, summary=ctx.summary(domains))


def build_heatmap(ctx: _Ctx) -> SlideContent:
    codes = [c for c in ctx.spec.params.get("codes", list(DEFAULT_WEIGHTS)) if c in ctx.src.dictionary]
    title = t("present.heatmap_title", ctx.lang)
    frame = ctx.compute([ctx.period], codes)
    per = frame[frame["unit_code"].notna() & (frame["label"] == ctx.period.label)]
    if per["value"].isna().all() or per.empty:
        return ctx.empty(title)
    matrix = per.pivot_table(index="unit_code", columns="indicator", values="value", aggfunc="first")
    units = [c for c in ctx.units if c in matrix.index]
    matrix = matrix.reindex(index=units, columns=codes)
    series = tuple(
        Series(
            ctx.name(c),
            tuple(None if pd.isna(v) else float(v) for v in matrix[c]),
            ctx.unit(c),
            ctx.src.dictionary[c].direction == "down",
        )
        for c in codes
    )
    chart = ChartData(
        "heatmap", tuple(ctx.src.unit_names[u] for u in units), series, t("filters.units", ctx.lang)
    )
    return ctx.content(title, chart=chart, summary=_leaders(ctx, codes, matrix))


def _leaders(ctx: _Ctx, codes: Sequence[str], matrix: pd.DataFrame) -> str:
    """'提案提交数最多的是修水县（120 件）；立案率最高的是…': the heatmap's sentence."""
    parts = []
    for c in codes:
        col = matrix[c].dropna()
        if col.empty or len(col) < 2:
            continue
        ind = ctx.src.dictionary[c]
        best = str(col.idxmin() if ind.direction == "down" else col.idxmax())
        unit = "" if ind.unit == "%" else unit_label(ind.unit, ctx.lang)
        value = f"{fmt_number(float(col.loc[best]), ind.unit, ctx.lang)}{(' ' + unit) if unit else ''}"
        word = "least" if ind.direction == "down" else ("highest" if ind.kind == "ratio" else "most")
        parts.append(
            t(
                f"present.leader_{word}",
                ctx.lang,
                indicator=ctx.name(c),
                unit=ctx.src.unit_names[best],
                value=value,
            )
        )
    if not parts:
        return ""
    sep = "；" if ctx.lang == "zh" else "; "
    return (
        f"{ctx.ptext}，" + sep.join(parts) + "。"
        if ctx.lang == "zh"
        else f"{ctx.ptext}: " + sep.join(parts) + "."
    )


def build_index(ctx: _Ctx) -> SlideContent:
    """The composite index of 县区对比 (metrics.composite) with the weights frozen, units ranked."""
    raw = ctx.spec.params.get("weights") or DEFAULT_WEIGHTS
    weights = {
        str(c): float(w) for c, w in dict(raw).items() if str(c) in ctx.src.dictionary and float(w) > 0
    }
    title = t("present.index_title", ctx.lang)
    if not weights:
        return ctx.empty(title)
    frame = ctx.compute([ctx.period, ctx.prev], sorted(weights))
    down = {c for c in weights if ctx.src.dictionary[c].direction == "down"}
    comp = composite(frame, ctx.period.label, ctx.prev.label, ctx.units, weights, down)
    comp = comp[comp["score"].notna()]
    if comp.empty:
        return ctx.empty(title)
    colors = unit_colors(list(ctx.src.unit_codes))
    chart = ChartData(
        "hbar",
        tuple(ctx.src.unit_names[c] for c in comp["unit_code"]),
        (
            Series(
                t("present.index_series", ctx.lang), tuple(round(float(v), 1) for v in comp["score"]), "分"
            ),
        ),
        t("filters.units", ctx.lang),
        colors=tuple(colors.get(c, "#B22222") for c in comp["unit_code"]),
    )
    sep = "、" if ctx.lang == "zh" else ", "
    used = sep.join(f"{ctx.name(c)}×{w:g}" for c, w in weights.items())
    top = sep.join(ctx.src.unit_names[c] for c in comp["unit_code"][:3])
    summary = t("present.index_summary", ctx.lang, period=ctx.ptext, top=top, weights=used)
    return ctx.content(title, chart=chart, summary=summary)


BUILDERS: dict[str, Callable[[_Ctx], SlideContent]] = {
    "index": build_index,
    "kpis": build_kpis,
    "funnel": build_funnel,
    "ranking": build_ranking,
    "trend": build_trend,
    "quarters": build_quarters,
    "mix": build_mix,
    "heatmap": build_heatmap,
}


def build_slide(src: Source, spec: SlideSpec, period: Period, lang: str = "zh") -> SlideContent:
    """What one slide shows for the period. An `empty` slide says why when there is no data, or when
    the slide names an indicator or a unit the store no longer has (never silently other figures)."""
    gone = [c for c in _codes_of(spec) if c not in src.dictionary]
    units_gone = [c for c in (spec.units() or []) if c not in src.unit_names]
    if gone or units_gone:
        ctx = _Ctx(src, SlideSpec(spec.kind, {}, spec.title, spec.note), period, lang)
        what = t("present.gone_codes", lang, codes="、".join(gone)) if gone else ""
        what += t("present.gone_units", lang, units="、".join(units_gone)) if units_gone else ""
        return replace(ctx.content(spec.title or t("present.gone_title", lang), empty=what), spec=spec)
    try:
        return BUILDERS[spec.kind](_Ctx(src, spec, period, lang))
    except DeckError as exc:  # a hand-edited slide (a funnel of no domain): said on the slide itself
        ctx = _Ctx(src, SlideSpec(spec.kind, {}, spec.title, spec.note), period, lang)
        return replace(ctx.content(spec.title or t("present.gone_title", lang), empty=str(exc)), spec=spec)


def _codes_of(spec: SlideSpec) -> list[str]:
    p = spec.params
    return (
        [str(c) for c in p.get("codes", ())]
        + ([str(p["code"])] if "code" in p else [])
        + [str(c) for c in dict(p.get("weights") or {})]
    )


def default_deck() -> Deck:
    """The ready-made deck: the headline figures of every domain, for the period chosen when shown."""
    return Deck(
        DEFAULT_DECK,
        "latest",
        (
            SlideSpec("kpis", {"codes": list(OVERVIEW_KPIS)}),
            SlideSpec("funnel", {"domain": "proposals"}),
            SlideSpec("ranking", {"code": "registration_rate"}),
            SlideSpec("mix", {"codes": list(CONSULT_TYPES)}),
            SlideSpec("funnel", {"domain": "social"}),
            SlideSpec(
                "quarters", {"codes": ["member_participations"], "quarters": 8, "label": "委员参加活动"}
            ),
            SlideSpec("heatmap", {"codes": list(DEFAULT_WEIGHTS)}),
        ),
    )


@dataclass(frozen=True)
class RenderedDeck:
    deck: Deck
    period: Period
    period_text: str
    slides: tuple[SlideContent, ...]


def period_for(deck: Deck, src: Source, override: Period | None = None) -> Period:
    """The period a deck is shown for: the one asked for, else the deck's own (fixed or relative)."""
    if override is not None:
        return override
    period = resolve_period(deck.period, src.quarters, src.years)
    if period is None:
        raise DeckError("数据库中还没有任何数据，无法生成汇报材料")
    return period


def render_deck(src: Source, deck: Deck, period: Period, lang: str = "zh") -> RenderedDeck:
    slides = tuple(build_slide(src, s, period, lang) for s in deck.slides)
    return RenderedDeck(deck, period, period_text(period, src.quarters, lang), slides)


def has_data(src: Source, period: Period) -> bool:
    """Whether the store holds any value for the period (an export of an empty period is refused)."""
    frame = src.compute([period], list(src.unit_codes), list(OVERVIEW_KPIS))
    return not totals(frame[frame["label"] == period.label])["value"].isna().all()
