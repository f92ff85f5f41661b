"""Demo member records — a roster (委员名册) and an activity log (履职活动登记) for the demo units that
agree with the demo's county figures, so the 委员档案 page and the derived figures have something true.

The roster follows 委员人数 quarter by quarter: exactly the reported members_total serve at every
quarter end (a term change, 换届, in Q1 every five years; 撤销委员资格 as reported, a few resignations
besides, and members co-opted to replace them). The log is drawn per unit and quarter so that what
`store.member_queries.derived_figures` derives from it sits a little under what the units reported:
lead proposals, speeches, trainees and 社情民意 reports at 80–95 %, participations at 91–98.5 % (where a
quarter's reported participations cannot hold its meetings and its trainees, fewer attend and then fewer
are trained). A few members a year have no activity (the 提醒谈话 list), a few stand out (优秀委员).
The same frame and seed give the same rows; numpy draws, pyarrow tables, two INSERTs.

>>> term_name(2022), term_name(2021), term_name(2027)
('第十五届', '第十四届', '第十六届')
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from demo import profile
from demo.generate import Period, _term_start
from domain.dictionary import Unit
from domain.members import ActivityType, sectors

SEED = 20190101
FIRST_TERM = 15  # the term that starts in profile.TERM_START_YEAR
_CN = "零一二三四五六七八九"
# 界别 weights (the rest of data/sectors.csv: 0.5 each): the CPC ~35 %, the parties, the big sectors
SECTOR_WEIGHTS = {
    "中国共产党": 35, "中国国民党革命委员会": 2.5, "中国民主同盟": 3, "中国民主建国会": 3, "中国民主促进会": 3,
    "中国农工民主党": 2, "中国致公党": 1, "九三学社": 2, "台湾民主自治同盟": 0.3, "无党派人士": 4,
    "中国共产主义青年团": 2, "中华全国总工会": 2, "中华全国妇女联合会": 2, "中华全国工商业联合会": 4,
    "科学技术协会": 1.5, "文化艺术界": 3, "科学技术界": 2, "社会科学界": 1.5, "经济界": 8,
    "农业和农村界": 4, "教育界": 5, "体育界": 1, "新闻出版界": 1, "医药卫生界": 5, "宗教界": 1,
    "社会福利和社会保障界": 1.5, "少数民族界": 0.5, "特邀人士": 4,
}  # fmt: skip
PARTIES = ("中国国民党革命委员会", "中国民主同盟", "中国民主建国会", "中国民主促进会", "中国农工民主党",
           "中国致公党", "九三学社", "台湾民主自治同盟")  # fmt: skip
SURNAMES = ("刘王李张陈黄吴胡徐罗熊万余邓周杨赵朱郭何高林郑梁谢宋唐许韩冯曹彭曾肖田董袁潘于蒋蔡杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟秦邱江尹薛段雷侯龙陶黎贺顾毛龚邵钱严戴")  # fmt: skip
GIVEN = {
    "男": "伟强军平国建明华志文斌杰涛海波勇刚超辉峰磊鹏飞宇俊浩亮林东晓新春荣德金永晨宏毅振兴正良庆福",
    "女": "芳娟敏静丽艳霞燕玲红梅萍琳婷慧颖雪洁兰英秀珍琴月春华晓丹倩莉蓉欣怡佳莹璐薇凤桂菊",
}
ACTS = ("proposal_lead", "proposal_cosign", "meeting_attended", "meeting_leave", "meeting_absent", "research",
        "social_report", "social_adopted", "social_instructed", "speech", "training", "consultation",
        "station_duty")  # fmt: skip
NOTES = (None, "政协全体会议", "常委会议", "届末委员座谈会", "委员培训班", "专委会、界别活动")
A = {code: i for i, code in enumerate(ACTS)}
NEEDED = ("members_total", "members_removed", "member_stations", "member_participations", "consult_standing",
          "trainings", "research_topics", "inspections", "consult_topic", "consult_counterpart",
          "consult_sector", "consult_proposal", "consult_grassroots")  # fmt: skip
EPOCH = dt.date(1970, 1, 1).toordinal()


def term_name(year: int) -> str:
    """届次 of the term `year` belongs to: 第十五届 for 2022–2026 (profile.TERM_START_YEAR)."""
    n = FIRST_TERM + (_term_start(year) - profile.TERM_START_YEAR) // profile.TERM_YEARS
    tens, ones = divmod(n, 10)
    return (
        "第" + (_CN[tens] if tens > 1 else "") + ("十" if tens else "") + (_CN[ones] if ones else "") + "届"
    )


@dataclass(eq=False)
class DemoMember:
    member_id: str
    name: str
    gender: str
    birth: str
    sector: str
    party: str
    unit_code: str
    first_term: int
    start: int  # ordinal day
    weight: float  # how active: participation; proposals and reports have their own leaning on top
    lean_prop: float
    lean_info: float
    standing: dict[int, bool] = field(default_factory=dict)  # term start year → on the standing committee
    last_term: int = 0
    end: int | None = None
    end_reason: str | None = None
    station: int = 0  # 第N委员工作站, 0: none


def _rng(seed: int, code: str, stream: int) -> np.random.Generator:
    h = int.from_bytes(hashlib.blake2b(code.encode(), digest_size=8).digest(), "big")
    return np.random.default_rng([seed, h, stream])


def _q_days(year: int, quarter: int) -> tuple[int, int]:
    first = dt.date(year, quarter * 3 - 2, 1)
    nxt = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, quarter * 3 + 1, 1)
    return first.toordinal(), nxt.toordinal() - 1


def _weekdays(lo: int, hi: int) -> np.ndarray:
    days = np.arange(lo, hi + 1)
    return days[(days - 1) % 7 < 5]


def band(reported: float, r: float, u: float) -> int:
    """round(reported × r), kept within 80–95 % of it where an integer lies there; for a small figure
    with no integer there (1, 2, 3 …), reported × r rounded up or down at random (`u` uniform in [0, 1)),
    so that a year's sum still comes near r. Never above the figure.

    >>> band(78, 0.9, 0.5), band(6, 0.95, 0.5), band(3, 0.9, 0.2), band(3, 0.9, 0.5), band(0, 0.9, 0.5)
    (70, 5, 2, 3, 0)
    """
    x = max(0, int(reported))
    lo, hi = math.ceil(0.8 * x - 1e-9), math.floor(0.95 * x + 1e-9)
    return min(max(round(x * r), lo), hi) if lo <= hi else min(x, math.floor(x * r + u))


class DemoUnit:
    """One unit's roster and log, drawn from its figures."""

    def __init__(self, unit: Unit, periods: list[Period], figures: dict[str, list[float]], seed: int,
                 types: dict[str, ActivityType]) -> None:  # fmt: skip
        self.unit, self.periods = unit, periods
        self.fig = [{k: v[i] for k, v in figures.items()} for i in range(len(periods))]  # per period
        self.indicator = {c: t.indicator or "" for c, t in types.items()}
        self.participation = {c: t.participation for c, t in types.items()}
        self.rng = _rng(seed, unit.code, 1)
        years = range(_term_start(self.periods[0][0]), self.periods[-1][0] + 1)
        self.plenary = {y: self._plenary_day(y) for y in years}
        self.members: list[DemoMember] = []
        self.names: set[str] = set()
        self.sectors = list(sectors())
        w = np.array([SECTOR_WEIGHTS.get(s, 0.5) for s in self.sectors])
        self.sector_cdf = (np.cumsum(w) / w.sum()).tolist()
        rank = np.arange(len(SURNAMES))
        self.surname_cdf = (np.cumsum(1 / (rank + 8)) / (1 / (rank + 8)).sum()).tolist()  # 刘 first, 戴 last

    def _plenary_day(self, year: int) -> int:
        day = dt.date(year, 1, 6).toordinal() + int(self.rng.integers(0, 50))
        while (day - 1) % 7 >= 5:
            day += 1
        return day

    # the roster ------------------------------------------------------------------------------------
    def _new(self, term: int, start: int) -> DemoMember:
        """A member appointed on `start`: one vector of uniforms and one of normals (scalar draws are slow)."""
        u, z = self.rng.random(7), self.rng.standard_normal(4)
        sector = self.sectors[min(bisect.bisect(self.sector_cdf, u[0]), len(self.sectors) - 1)]
        gender = "女" if u[1] < (0.95 if sector == "中华全国妇女联合会" else 0.28) else "男"
        given = GIVEN[gender]
        while True:
            v = self.rng.random(4)
            name = (
                SURNAMES[min(bisect.bisect(self.surname_cdf, v[0]), len(SURNAMES) - 1)]
                + given[int(v[1] * len(given))]
            )
            name += "" if v[2] < 0.2 else given[int(v[3] * len(given))]
            if name not in self.names:
                break
        self.names.add(name)
        age = 33 + 3 * z[0] if sector == "中国共产主义青年团" else 49 + 7 * z[0]
        year = dt.date.fromordinal(start).year - int(min(66, max(28, age)))
        if sector in PARTIES or sector in ("中国共产党", "无党派人士"):
            party = sector
        else:
            party = "中国共产党" if u[2] < 0.5 else "群众"
        star = 3.0 if u[3] < 0.04 else 1.0
        m = DemoMember(
            f"JJ{self.unit.code}-{len(self.members) + 1:04d}", name, gender, f"{year}-{int(u[4] * 12) + 1:02d}",
            sector, party, self.unit.code, term, start, math.exp(0.5 * z[1]) * star, math.exp(0.6 * z[2]),
            math.exp(0.9 * z[3]), last_term=term,
        )  # fmt: skip
        self.members.append(m)
        return m

    def _choose(self, pool: list[DemoMember], k: int, p: np.ndarray | None = None) -> list[DemoMember]:
        if k <= 0 or not pool:
            return []
        idx = self.rng.choice(
            len(pool), min(k, len(pool)), replace=False, p=None if p is None else p / p.sum()
        )
        return [pool[int(i)] for i in sorted(idx)]

    def _standing(self, term: int, pool: list[DemoMember]) -> None:
        for m in pool:
            m.standing[term] = False
        p = np.array([4.0 if any(m.standing.values()) else 1.0 for m in pool])
        for m in self._choose(pool, round(0.1 * len(pool)), p):
            m.standing[term] = True

    def roster(self) -> None:
        rng, fig = self.rng, self.fig
        (y0, q0), ts0 = self.periods[0], _term_start(self.periods[0][0])
        qs0, _ = _q_days(y0, q0)
        serving = [self._new(ts0, self.plenary[ts0]) for _ in range(int(fig[0]["members_total"]))]
        if (y0, q0) != (ts0, 1):  # a few co-opted since the term began
            for m in self._choose(serving, round(0.03 * len(serving))):
                m.start = int(rng.integers(self.plenary[ts0] + 120, qs0))
        self._standing(ts0, serving)
        previous = len(serving)
        for (y, q), f in zip(self.periods[1:], fig[1:], strict=True):
            total, qs, qe, ts = int(f["members_total"]), *_q_days(y, q), _term_start(y)
            if (y, q) == (ts, 1):  # 换届: some re-appointed, the others' term ends, new members start
                day = self.plenary[ts]
                w = np.array([m.weight for m in serving])
                again = self._choose(serving, min(total, round(len(serving) * rng.uniform(0.35, 0.5))), w)
                for m in serving:
                    if m in again:
                        m.last_term = ts
                    else:
                        m.end, m.end_reason = day - 1, "届满"
                serving = again + [self._new(ts, day) for _ in range(total - len(again))]
                self._standing(ts, serving)
            else:
                removed = int(f["members_removed"])
                resigned = int(rng.poisson(0.12))
                joining = total - previous + removed + resigned
                if joining < 0:
                    resigned, joining = resigned - joining, 0
                pool = [m for m in serving if m.start < qs]
                leaving = self._choose(pool, removed + resigned)
                for i, m in enumerate(leaving):
                    m.end = int(rng.integers(qs, qe))  # before the quarter's last day: not counted at its end
                    m.end_reason = (
                        "撤销委员资格" if i < removed else str(rng.choice(["辞去委员职务", "工作调动"]))
                    )
                joined = [
                    self._new(ts, int(rng.integers(qs, qe + 1)))
                    for _ in range(total - len(serving) + len(leaving))
                ]
                for m in joined:
                    m.standing[ts] = False
                serving = [m for m in serving if m not in leaving] + joined
            previous = len(serving)
        stations = int(fig[-1]["member_stations"])
        for m in serving if stations else []:
            if rng.random() < 0.3:
                m.station = int(rng.integers(1, stations + 1))

    # the log ---------------------------------------------------------------------------------------
    def log(self, seed: int) -> tuple[np.ndarray, ...]:
        """(member index, day, activity, note) per event; a member's events lie within their term."""
        rng = _rng(seed, self.unit.code, 2)
        ms = self.members
        start = np.array([m.start for m in ms])
        end = np.array([m.end if m.end is not None else 10**7 for m in ms])
        w = np.array([m.weight for m in ms])
        w_prop, w_info = w * np.array([m.lean_prop for m in ms]), w * np.array([m.lean_info for m in ms])
        station = np.array([m.station for m in ms])
        out: list[tuple[np.ndarray, np.ndarray, int, int]] = []
        idle: dict[int, np.ndarray] = {}
        for y in sorted({y for y, _ in self.periods}):
            ys, ye = dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
            pool = np.flatnonzero((start <= ye) & (end >= ys))
            if not len(pool):
                idle[y] = pool
                continue
            k = max(1, round(len(pool) * rng.uniform(0.02, 0.035)))
            p = 1 / w[pool] ** 2
            idle[y] = rng.choice(pool, k, replace=False, p=p / p.sum())
        for i in range(len(self.periods)):
            out += self._quarter(rng, i, start, end, (w, w_prop, w_info), station, idle)
        if not out:
            return (np.zeros(0, np.int64),) * 4
        mem = np.concatenate([o[0] for o in out])
        day = np.concatenate([o[1] for o in out])
        sizes = [len(o[0]) for o in out]
        act = np.repeat(np.array([o[2] for o in out]), sizes)
        note = np.repeat(np.array([o[3] for o in out]), sizes)
        return mem, day, act, note

    def _quarter(self, rng: np.random.Generator, i: int, start: np.ndarray, end: np.ndarray,
                 weights: tuple[np.ndarray, ...], station: np.ndarray,
                 idles: dict[int, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, int, int]]:  # fmt: skip
        participation = self.participation
        (y, q), f = self.periods[i], self.fig[i]
        idle = idles[y]
        qs, qe = _q_days(y, q)
        wdays = _weekdays(qs, qe)
        active = (start <= qe) & (end >= qs)
        active[idle] = False
        lo, hi = np.maximum(start, qs), np.minimum(end, qe)
        frac = np.where(active, (hi - lo + 1) / (qe - qs + 1), 0.0)
        w, w_prop, w_info = (x * frac for x in weights)
        ev: list[tuple[np.ndarray, np.ndarray, int, int]] = []

        def on(day: int) -> np.ndarray:  # serving that day, idle ones too (they are on leave or absent)
            return np.flatnonzero((start <= day) & (end >= day))

        def clip(mem: np.ndarray, days: np.ndarray) -> np.ndarray:
            return np.clip(days, lo[mem], hi[mem])

        def spread(n: int, p: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            if n <= 0 or p.sum() <= 0:
                return np.zeros(0, np.int64), np.zeros(0, np.int64)
            mem = np.repeat(np.arange(len(p)), rng.multinomial(n, p / p.sum()))
            return mem, clip(mem, rng.choice(days, len(mem)))

        def pick(n: int, p: np.ndarray, among: np.ndarray) -> np.ndarray:  # n distinct members
            p = p[among]
            ok = among[p > 0]
            if n <= 0 or not len(ok):
                return np.zeros(0, np.int64)
            keys = np.log(p[p > 0]) + rng.gumbel(size=len(ok))
            return np.sort(ok[np.argsort(-keys)[:n]])

        meetings: list[
            tuple[int, np.ndarray, np.ndarray, int]
        ] = []  # day, members, attended/leave/absent, note

        def meeting(day: int, members: np.ndarray, note: int, rates: tuple[float, float]) -> None:
            status = np.searchsorted(np.cumsum(rates), rng.random(len(members)), side="right")
            status[np.isin(members, idle) & (status == 0)] = 1
            meetings.append((day, members, status, note))

        plenary = self.plenary.get(y, qs)
        after = wdays[wdays > plenary + 3] if q == 1 else wdays
        sc_days = np.sort(
            rng.choice(after, min(len(after), max(1, int(f["consult_standing"]))), replace=False)
        )
        if q == 1:
            if _term_start(y) == y and y > _term_start(self.periods[0][0]):
                before = wdays[wdays < plenary - 1]  # the outgoing members' last meeting
                if len(before):
                    going = on(int(before[-1]))
                    meeting(int(before[-1]), going[end[going] == plenary - 1], 3, (0.97, 0.03))
            meeting(plenary, on(plenary), 1, (0.92, 0.06))
        for day in sc_days:
            members = on(int(day))
            term = _term_start(y)
            st = np.array([self.members[i].standing.get(term, False) for i in members], bool)
            meeting(int(day), members[st], 2, (0.9, 0.08))

        def share(code: str) -> int:  # 80-95 % of the figure this activity is (data/activity_types.csv)
            return band(f.get(self.indicator[code], 0.0), rng.uniform(0.8, 0.95), rng.random())

        speak_day = plenary + 1 if q == 1 else int(sc_days[0])
        speakers = pick(share("speech"), w_prop, on(speak_day))
        ev.append(
            (speakers, clip(speakers, np.full(len(speakers), speak_day)), A["speech"], 1 if q == 1 else 2)
        )
        trainees = share("training")
        classes = min(len(wdays), max(1, int(f["trainings"]))) if trainees else 0
        trained: list[tuple[np.ndarray, int]] = []
        for c, day in enumerate(np.sort(rng.choice(wdays, classes, replace=False)) if classes else []):
            trained.append((pick(trainees // classes + (c < trainees % classes), w, on(int(day))), int(day)))
        # participations: what is fixed so far against the reported figure less a little
        target = math.floor(float(f["member_participations"]) * rng.uniform(0.91, 0.985))
        counts = {"speech": len(speakers), "training": sum(len(t) for t, _ in trained)}
        counts["meeting_attended"] = sum(int((s == 0).sum()) for _, _, s, _ in meetings)
        over = sum(n for a, n in counts.items() if participation.get(a)) - target

        def on_leave(over: int, notes: tuple[int, ...], floor: float) -> int:
            """Turn up to `over` attendances of these meetings into leave, keeping `floor` of each attended."""
            flat = []
            for k, (_, mem, status, note) in enumerate(meetings):
                came = rng.permutation(np.flatnonzero(status == 0))
                if note in notes:
                    flat += [(k, j) for j in came[: max(0, int(len(came) - floor * len(mem)))]]
            if over <= 0 or not flat or not participation.get("meeting_attended"):
                return over
            for k in sorted(rng.choice(len(flat), min(over, len(flat)), replace=False)):
                meetings[flat[k][0]][2][flat[k][1]] = 1
            return over - min(over, len(flat))

        # too many: some attended on leave (the outgoing members' meeting last), then fewer trainees
        over = on_leave(on_leave(over, (1, 2), 0.75), (3,), 0.75)
        for c in reversed(range(len(trained)) if participation.get("training") else []):
            cut = min(max(over, 0), len(trained[c][0]))
            trained[c] = (trained[c][0][: len(trained[c][0]) - cut], trained[c][1])
            over -= cut
        over = on_leave(on_leave(over, (1, 2), 0.0), (3,), 0.0)
        for day, members, status, note in meetings:
            for s, act in enumerate(("meeting_attended", "meeting_leave", "meeting_absent")):
                mem = members[status == s]
                ev.append((mem, clip(mem, np.full(len(mem), day)), A[act], note))
        for t, day in trained:
            ev.append((t, clip(t, np.full(len(t), day)), A["training"], 4))
        done = sum(len(m) for m, _, a, _ in ev if participation.get(ACTS[a]))
        rest = max(0, target - done)
        stations = int(f["member_stations"])
        at_station = np.where((station > 0) & (station <= stations), w, 0.0)
        n_station = round(rest * 0.12) if at_station.sum() > 0 and participation.get("station_duty") else 0
        n_research = round(rest * 0.22) if participation.get("research") else 0
        n_consult = round(rest * 0.36) if participation.get("consultation") else 0
        n_meeting = rest - n_station - n_research - n_consult
        research_days = rng.choice(wdays, max(1, int(f["research_topics"] + f["inspections"])))
        consults = (
            "consult_topic",
            "consult_counterpart",
            "consult_sector",
            "consult_proposal",
            "consult_grassroots",
        )
        consult_days = rng.choice(wdays, max(1, int(sum(f[c] for c in consults))))
        for act, n, p, days, note in (
            ("station_duty", n_station, at_station, wdays, 0),
            ("research", n_research, w, research_days, 0),
            ("consultation", n_consult, w, consult_days, 0),
            ("meeting_attended", n_meeting, w, rng.choice(wdays, int(rng.integers(2, 6))), 5),
        ):
            mem, days_ = spread(n, p, days)
            ev.append((mem, days_, A[act], note))
        # proposals (most at the plenary session), 社情民意 reports, their adoption and instructions
        at_plenary = np.array([plenary, plenary + 1, plenary + 2]) if q == 1 else wdays
        lead = share("proposal_lead")
        for act, n, p in (
            ("proposal_lead", lead, w_prop),
            ("proposal_cosign", int(rng.poisson(1.2 * lead)), w),
        ):
            mem, days = spread(n, p, wdays)
            days = np.where(rng.random(len(mem)) < 0.85, clip(mem, rng.choice(at_plenary, len(mem))), days)
            ev.append((mem, days, A[act], 0))

        def later(mem: np.ndarray, days: np.ndarray, k: int, delay: int) -> tuple[np.ndarray, np.ndarray]:
            """k of these events, a few days on (within the quarter and the member's term)."""
            chosen = np.sort(rng.choice(len(mem), min(k, len(mem)), replace=False))
            return mem[chosen], np.minimum(
                days[chosen] + rng.integers(1, delay, len(chosen)), hi[mem[chosen]]
            )

        report = spread(share("social_report"), w_info, wdays)
        adopted = later(*report, share("social_adopted"), 40)
        k = share("social_instructed")
        instructed = later(*(adopted if k <= len(adopted[0]) else report), k, 20)
        for act, (mem, days) in zip(("social_report", "social_adopted", "social_instructed"),
                                    (report, adopted, instructed), strict=True):  # fmt: skip
            ev.append((mem, days, A[act], 0))
        return ev
