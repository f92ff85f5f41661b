"""汇报材料: the decks — the ready-made `default` and those saved — each an ordered list of slides with
a period of its own. Start 汇报模式, export PowerPoint / PDF / Excel, reorder, retitle, annotate,
duplicate and delete slides; every slide shows as a thumbnail of what it shows for the period."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from domain.accounts import open_actor
from domain.decks import DEFAULT_DECK, RELATIVE, Deck, DeckError
from domain.periods import Period
from services import accounts
from services.decks import ExportUnavailable, unavailable
from ui import auth, data, filters, operator
from ui.i18n import lang, tr
from ui.text import plain

st.title(tr("decks.title"))
user = operator.sidebar_input()
st.caption(tr("decks.intro"))
if not data.reported_quarters() and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()

decks = data.deck_list()
names = [d.name for d in decks]
wanted = st.query_params.get("deck")
if "_deck_next" in st.session_state:  # a deck just made or deleted: chosen before the select box is drawn
    st.session_state["deck_pick"] = st.session_state.pop("_deck_next")
if "deck_pick" not in st.session_state or st.session_state["deck_pick"] not in names:
    st.session_state["deck_pick"] = wanted if wanted in names else DEFAULT_DECK
name = st.selectbox(
    tr("decks.pick"),
    names,
    key="deck_pick",
    format_func=lambda n: tr("decks.default_name") if n == DEFAULT_DECK else n,
)
st.query_params["deck"] = name
deck = next(d for d in decks if d.name == name)
builtin = deck.name == DEFAULT_DECK


def _period_options() -> list[Period]:
    """The periods a deck can be shown for: per year with data, the year (to date) and its quarters."""
    quarters = data.reported_quarters()
    out: list[Period] = []
    for y in sorted(set(data.reported_years()) | {y for y, _ in quarters}, reverse=True):
        qs = sorted(q for yy, q in quarters if yy == y)
        last = qs[-1] if qs else 4
        out.append(Period(y) if last == 4 else Period(y, last, "ytd"))
        out += [Period(y, q, "quarter") for q in reversed(qs)]
    return out


own = data.deck_period(deck)
options = ["", *(p.label for p in _period_options())]
by_label = {p.label: p for p in _period_options()}
left, right = st.container(), st.container()  # one above the other: the period's name stays whole at 1024 px
with left:
    chosen = st.selectbox(
        tr("decks.period"),
        options,
        key=f"deck_period_{name}",
        format_func=lambda lab: (
            tr("decks.period_own", period=filters.period_text(own))
            if not lab and own
            else filters.period_text(by_label[lab])
            if lab
            else "—"
        ),
        help=tr("decks.period_help"),
    )
period = by_label.get(chosen) or own
if period is None:
    st.info(tr("app.no_data"))
    st.stop()

has_data = data.period_has_data(period)
if not has_data:
    st.warning(tr("decks.no_data", period=filters.period_text(period)), icon=":material/event_busy:")
with right:
    link = f"present?deck={name}&slide=1"
    if chosen:
        link += f"&year={period.year}&mode={period.mode}" + (f"&q={period.quarter}" if period.quarter else "")
    row = st.container(horizontal=True)
    row.link_button(tr("decks.start"), link, icon=":material/slideshow:", type="primary")
    row.link_button(tr("decks.kiosk"), link + "&auto=15", icon=":material/autoplay:")
    for fmt, icon in (
        ("pptx", ":material/co_present:"),
        ("pdf", ":material/picture_as_pdf:"),
        ("xlsx", ":material/table_view:"),
    ):
        missing = unavailable(fmt) or (
            None if has_data else tr("decks.no_data", period=filters.period_text(period))
        )

        def _make(fmt: str = fmt) -> bytes:
            try:
                made = data.export_deck(name, period, fmt, lang())[0]  # type: ignore[arg-type]
            except (DeckError, ExportUnavailable) as exc:
                return str(exc).encode("utf-8")
            detail = {"format": fmt, "deck": name, "period": period.label}
            accounts.record(
                data.get_store(), auth.actor() or open_actor(user), "export", detail, auth.address()
            )
            return made

        row.download_button(
            tr(f"decks.export_{fmt}"),
            _make,
            file_name=f"汇报材料_{name}_{period.label}.{fmt}",
            mime={"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt],
            icon=icon,
            key=f"deck_export_{fmt}",
            disabled=missing is not None,
            help=missing,
            on_click="ignore",  # no re-run: it would withdraw the file being made (see ui/panel.py)
        )  # fmt: skip
    st.caption(tr("decks.keys"))

with st.expander(tr("decks.manage"), icon=":material/edit_note:"):
    a, b = st.columns(2, gap="large")
    with a.form("deck_copy", clear_on_submit=True, border=False):
        new = st.text_input(tr("decks.copy_name"), max_chars=40, key="deck_copy_name")
        if st.form_submit_button(tr("decks.copy"), icon=":material/content_copy:"):
            try:
                saved = data.duplicate_deck(name, new, user or None)
            except DeckError as exc:
                st.error(plain(str(exc)))
            else:
                st.session_state["_deck_next"] = saved.name
                st.rerun()
    with b:
        if builtin:
            st.caption(tr("decks.builtin"))
        else:
            kinds = [*RELATIVE, "fixed"]
            current = deck.period if deck.period in RELATIVE else "fixed"
            kind = st.radio(tr("decks.own_period"), kinds, index=kinds.index(current), format_func=lambda k: tr(f"decks.period_{k}"), horizontal=True, key=f"deck_kind_{name}")  # fmt: skip
            fixed = period.label
            if kind == "fixed":
                fixed = st.selectbox(tr("decks.fixed"), list(by_label), format_func=lambda lab: filters.period_text(by_label[lab]), key=f"deck_fixed_{name}")  # fmt: skip
            c1, c2 = st.columns(2)
            if c1.button(tr("decks.save_period"), key="deck_save_period", icon=":material/save:"):
                data.save_deck(replace(deck, period=fixed if kind == "fixed" else kind), user or None)
                st.rerun()
            if c2.button(tr("decks.delete"), key="deck_delete", icon=":material/delete:"):
                st.session_state["deck_confirm_delete"] = name
            if st.session_state.get("deck_confirm_delete") == name:
                st.warning(tr("decks.delete_confirm", name=plain(name)))
                if st.button(tr("decks.delete_yes"), key="deck_delete_yes", type="primary"):
                    data.delete_deck(name)
                    st.session_state.pop("deck_confirm_delete", None)
                    st.session_state["_deck_next"] = DEFAULT_DECK
                    st.rerun()


def _save(slides: list) -> None:  # type: ignore[type-arg]
    data.save_deck(Deck(deck.name, deck.period, tuple(slides)), user or None)
    st.rerun()


st.subheader(tr("decks.slides", n=len(deck.slides)))
if builtin:
    st.caption(tr("decks.builtin_hint"))
if not deck.slides:
    st.info(tr("decks.empty"))
for n, spec in enumerate(deck.slides):
    content = data.slide(spec, period, lang())
    with st.container(border=True, key=f"slide_card_{n}"):
        thumb, body = st.columns([2, 3], gap="medium")
        with thumb:
            svg = (
                data.slide_svg(content, lang(), "page", (800, 420))
                if content.chart is not None and not content.empty
                else None
            )
            if svg is not None:
                st.image(svg.decode("utf-8"), width="stretch")
            elif content.kpis:
                st.markdown("\n".join(f"- {plain(k.label)}：**{plain(k.text)}**" for k in content.kpis))
            else:
                st.caption(plain(content.empty or content.title))
        with body:
            st.markdown(f"**{n + 1}. {plain(content.title)}**")
            st.caption(plain(content.summary) if content.summary else plain(content.empty))
            if spec.note:
                st.caption(tr("decks.note_shown", note=plain(spec.note)))
            row = st.container(horizontal=True)
            row.link_button(
                tr("decks.show_slide"), f"present?deck={name}&slide={n + 1}", icon=":material/open_in_full:"
            )
            if not builtin:
                slides = list(deck.slides)
                if n > 0 and row.button("↑", key=f"slide_up_{n}", help=tr("decks.up")):
                    slides[n - 1], slides[n] = slides[n], slides[n - 1]
                    _save(slides)
                if n < len(slides) - 1 and row.button("↓", key=f"slide_down_{n}", help=tr("decks.down")):
                    slides[n + 1], slides[n] = slides[n], slides[n + 1]
                    _save(slides)
                if row.button(tr("decks.dup_slide"), key=f"slide_dup_{n}", icon=":material/content_copy:"):
                    _save([*slides[: n + 1], spec, *slides[n + 1 :]])
                if row.button(tr("decks.del_slide"), key=f"slide_del_{n}", icon=":material/delete:"):
                    _save([s for i, s in enumerate(slides) if i != n])
                with (
                    st.popover(tr("decks.edit_slide"), icon=":material/edit:"),
                    st.form(f"slide_edit_{n}", border=False),
                ):
                    title = st.text_input(
                        tr("decks.slide_title"), spec.title, placeholder=content.title, max_chars=80
                    )
                    note = st.text_area(tr("decks.slide_note"), spec.note, max_chars=2000)
                    if st.form_submit_button(tr("decks.save_slide"), icon=":material/save:"):
                        slides[n] = replace(spec, title=title.strip(), note=note.strip())
                        _save(slides)
