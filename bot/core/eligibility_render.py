"""The eligibility answer as plain text and Telegram HTML (vi, en): verdict first, then what was understood."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.core.eligibility import FAILS, MEETS, ConditionResult, Verdict

_VERDICT = {
    MEETS: (
        "✅ Theo những gì bạn kể: ĐỦ điều kiện {name}.",
        "✅ From what you told me: you MEET the criteria for {name}.",
    ),
    FAILS: (
        "❌ Theo những gì bạn kể: CHƯA ĐỦ điều kiện {name}.",
        "❌ From what you told me: you do NOT yet meet the criteria for {name}.",
    ),
    "unknown": (
        "❔ Chưa đủ thông tin để kết luận về {name}.",
        "❔ Not enough information to decide on {name}.",
    ),
}


@dataclass(frozen=True, slots=True)
class EligibilityText:
    verdict_line: str
    understood: str
    conditions: tuple[str, ...]
    missing: str | None
    assessed: str | None
    caveat: str
    next_step: str | None


def _t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _condition_lines(result: ConditionResult, lang: str, indent: str = "") -> list[str]:
    article = f" ({result.article})" if result.article else ""
    line = f"{indent}{result.mark} {result.text}{article}: {result.basis}"
    lines = [line]
    if result.children and result.met is not True:
        for child in result.children:
            lines.append(f"{indent}   {child.mark} {child.text}" + (f" ({child.article})" if child.article else ""))
    return lines


def eligibility_text(verdict: Verdict, understood: str, dossier_title: str | None) -> EligibilityText:
    lang = verdict.lang
    name = verdict.award.name(lang)
    vi, en = _VERDICT[verdict.verdict]
    head = _t(lang, vi, en).format(name=name)
    if verdict.target_year is not None:
        head += _t(lang, f" (năm xét: {verdict.target_year})", f" (year: {verdict.target_year})")
    conditions = tuple(line for c in verdict.conditions for line in _condition_lines(c, lang))
    missing = None
    if verdict.missing:
        missing = _t(lang, "Cần biết thêm: ", "Still needed: ") + "; ".join(verdict.missing)
    assessed = None
    if verdict.assessed:
        assessed = _t(lang, "Hội đồng còn đánh giá: ", "The council also assesses: ") + verdict.assessed
    next_step = None
    if dossier_title:
        next_step = _t(lang, "Chuẩn bị tiếp: ", "Next: ") + dossier_title
    return EligibilityText(head, understood, conditions, missing, assessed, verdict.caveat, next_step)


def to_plain(text: EligibilityText, lang: str) -> str:
    lines = [text.verdict_line, "", _t(lang, "Bạn cho biết: ", "You told me: ") + text.understood, ""]
    lines += list(text.conditions)
    for extra in (text.missing, text.assessed):
        if extra:
            lines += ["", extra]
    lines += ["", "ⓘ " + text.caveat]
    if text.next_step:
        lines += ["", text.next_step]
    return "\n".join(lines)


def to_html(text: EligibilityText, lang: str) -> str:
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    lines = [
        f"<b>{e(text.verdict_line)}</b>",
        "",
        f"<i>{e(_t(lang, 'Bạn cho biết: ', 'You told me: '))}</i>{e(text.understood)}",
        "",
    ]
    lines += [e(c) for c in text.conditions]
    for extra in (text.missing, text.assessed):
        if extra:
            lines += ["", e(extra)]
    lines += ["", f"<i>ⓘ {e(text.caveat)}</i>"]
    if text.next_step:
        lines += ["", e(text.next_step)]
    return "\n".join(lines)
