"""Problems found in an uploaded file, each naming file, sheet, Excel row and column header.

The page and the CLI show these as they are; messages are Chinese and say what would be right.

>>> i = Issue("error", "a.xlsx", "汇总", 12, "立案", "第12行“立案”列：立案数 40 大于提案提交数 35", "not_above")
>>> str(i)
'a.xlsx › 汇总：第12行“立案”列：立案数 40 大于提案提交数 35'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem; `row` is the row number Excel shows (CSV: line number, header line included)."""

    level: Level
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    code: str

    def __str__(self) -> str:
        where = self.file if self.sheet is None else f"{self.file} › {self.sheet}"
        return f"{where}：{self.message}"


class HasIssues:
    """A parsed file's `issues` split by level (ParsedFile, ParsedRoster, ParsedLog)."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


class LoadError(Exception):
    """The whole file cannot be read; `.issues` holds the reasons (at least one error)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("；".join(i.message for i in issues))
        self.issues = issues


def file_error(file: str, code: str, message: str) -> LoadError:
    """A LoadError with a single file-level error."""
    return LoadError([Issue("error", file, None, None, None, message, code)])


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based index, for columns without a header.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(702)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def where(row: int | None, column: str | None) -> str:
    """The `第12行“立案”列：` prefix every cell-level message starts with.

    >>> where(12, "立案"), where(3, None), where(None, "立案")
    ('第12行“立案”列：', '第3行：', '“立案”列：')
    """
    parts = []
    if row is not None:
        parts.append(f"第{row}行")
    if column:
        parts.append(f"“{column}”列")
    return "".join(parts) + "：" if parts else ""


class IssueLog:
    """Collects a file's issues; past `cap` of one kind in one sheet it counts instead of listing.

    A garbage sheet of 6,000 rows should give a readable report, not 240,000 lines.
    """

    def __init__(self, file: str, cap: int = 50) -> None:
        self.file = file
        self.cap = cap
        self.items: list[Issue] = []
        self._counts: dict[tuple[str | None, str, Level], int] = {}

    def add(
        self, level: Level, sheet: str | None, row: int | None, column: str | None, message: str, code: str
    ) -> None:
        key = (sheet, code, level)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= self.cap:
            self.items.append(Issue(level, self.file, sheet, row, column, message, code))

    def full(self, level: Level, sheet: str | None, code: str) -> bool:
        """True (and counted) when this kind is past the cap: the caller need not format a message."""
        key = (sheet, code, level)
        n = self._counts.get(key, 0)
        if n < self.cap:
            return False
        self._counts[key] = n + 1
        return True

    @property
    def has_errors(self) -> bool:
        return any(level == "error" for _, _, level in self._counts)

    def finish(self) -> list[Issue]:
        """All issues in sheet and row order, plus one line per kind that went past the cap."""
        sheets: dict[str | None, int] = {}
        for i in self.items:
            sheets.setdefault(i.sheet, len(sheets))
        out = sorted(self.items, key=lambda i: (sheets[i.sheet], i.row or 0))
        for (sheet, code, level), n in self._counts.items():
            if n > self.cap:
                more = f"……另有 {n - self.cap} 处同类问题（{code}）未逐一列出，请先改正上面的问题"
                out.append(Issue(level, self.file, sheet, None, None, more, code))
        return out
