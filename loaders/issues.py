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
