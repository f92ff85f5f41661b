"""How `cppcc import` reports: a readable Chinese report, or the JSON object of the contract.

JSON (a contract: fields are only ever added):
{"files": [{"file", "status": "imported"|"rejected"|"duplicate" ("ready" with --dry-run), "batch_id",
            "values", "counts": {"new", "changed", "unchanged"},
            "warnings": [{"sheet", "row", "column", "message", "code"}], "errors": [ …same… ]}]}
"""

from __future__ import annotations

from typing import Any

from loaders import Issue
from services.imports import ImportResult


def issue_json(i: Issue) -> dict[str, Any]:
    return {"sheet": i.sheet, "row": i.row, "column": i.column, "message": i.message, "code": i.code}


def result_json(r: ImportResult) -> dict[str, Any]:
    return {
        "file": r.file,
        "status": r.status,
        "batch_id": r.batch_id,
        "values": r.values,
        "counts": r.counts,
        "warnings": [issue_json(i) for i in r.warnings],
        "errors": [issue_json(i) for i in r.errors],
        "replaced_demo": r.replaced_demo,
        "skipped_sheets": [{"sheet": name, "reason": why} for name, why in r.skipped_sheets],
    }


def where(i: Issue) -> str:
    parts = []
    if i.sheet:
        parts.append(f"工作表“{i.sheet}”")
    if i.row:
        parts.append(f"第{i.row}行")
    if i.column:
        parts.append(f"“{i.column}”列")
    return "，".join(parts)


def _line(i: Issue) -> str:
    msg = i.message
    if msg.startswith("第"):  # the loaders' messages start with row and column already
        return f"    · 工作表“{i.sheet}”{msg}" if i.sheet else f"    · {msg}"
    w = where(i)
    return f"    · {w}：{msg}" if w else f"    · {msg}"


def result_text(r: ImportResult, dry_run: bool = False) -> str:
    c = r.counts
    counts = f"新增 {c['new']}，修改 {c['changed']}，未变 {c['unchanged']}"
    if r.status == "imported":
        head = f"✔ 已导入 {r.file}：批次 {r.batch_id}，共 {r.values} 个数值（{counts}）"
    elif r.status == "ready":
        head = f"✔ 检查通过 {r.file}（试运行，未写入）：共 {r.values} 个数值（{counts}）"
    elif r.status == "duplicate":
        head = f"= 未重复导入 {r.file}：同一文件已于批次 {r.batch_id} 导入"
    else:
        head = f"✘ 未导入 {r.file}：发现 {len(r.errors)} 个错误，整个文件未写入，请修改后重新导入"
    lines = [head]
    if r.skipped_sheets:
        lines.append("  未读取的工作表：" + "；".join(f"“{n}”（{why}）" for n, why in r.skipped_sheets))
    if r.replaced_demo:
        lines.append(f"  已删除演示数据 {r.replaced_demo:,} 个数值（演示与真实数据不混用）")
    if r.errors:
        lines.append(f"  错误（{len(r.errors)}）：")
        lines += [_line(i) for i in r.errors]
    if r.warnings:
        lines.append(f"  警告（{len(r.warnings)}）：")
        lines += [_line(i) for i in r.warnings]
    return "\n".join(lines)
