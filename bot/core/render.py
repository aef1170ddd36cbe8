"""Turns entries into what the user reads: plain text for the CLI, Telegram HTML for the bot."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

from bot.core.knowledge import LAW_NOTE_INTENTS, Bonus, Entry, Knowledge

TELEGRAM_LIMIT = 4096
BONUS_ROUNDING = 10_000  # NĐ 152/2025, Điều 49: rounded up to the nearest 10,000 đ


@dataclass(frozen=True, slots=True)
class AnswerParts:
    """An answer split into the pieces both renderers need."""

    lang: str
    title: str
    body: str
    extras: tuple[str, ...]  # computed lines (bonus amounts) and notes
    legal_basis: str
    reviewed: str


def format_money(amount: int, lang: str) -> str:
    """3795000 → 3.795.000 (vi) or 3,795,000 (en)."""
    grouped = f"{amount:,}"
    return grouped.replace(",", ".") if lang == "vi" else grouped


def format_date(day: dt.date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def bonus_amount(coefficient: float, base: int) -> int:
    """Coefficient × base salary, rounded up to 10,000 đ."""
    return int(math.ceil(round(coefficient * base, 2) / BONUS_ROUNDING) * BONUS_ROUNDING)


def _coefficient(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "vi" else text


def _bonus_value(knowledge: Knowledge, bonus: Bonus, base: int, lang: str) -> str:
    """The amount of one coefficient: rounded up (NĐ 152 Điều 49 k2), or the exact cap for an "up to" rate."""
    if bonus.up_to:
        return format_money(round(bonus.value * base), lang)
    return format_money(bonus_amount(bonus.value, base), lang)


def _who(bonus: Bonus, lang: str) -> str:
    who = (bonus.for_en if lang == "en" else None) or bonus.for_vi
    return who[:1].upper() + who[1:]


def _bonus_lines(knowledge: Knowledge, entry: Entry, lang: str, today: dt.date) -> list[str]:
    if not entry.bonuses:
        return []
    base = knowledge.base_salary_on(today)
    lines = []
    for bonus in entry.bonuses:
        lines.append(
            knowledge.text("bonus_up_to" if bonus.up_to else "bonus_amount", lang).format(
                who=_who(bonus, lang),
                coefficient=_coefficient(bonus.value, lang),
                amount=_bonus_value(knowledge, bonus, base.amount, lang),
            )
        )
    earlier = [b for b in knowledge.base_salary if b.from_ < base.from_]
    previous = format_money(earlier[-1].amount, lang) if earlier else format_money(base.amount, lang)
    # Only coefficient amounts are rounded up (NĐ 152 Điều 49 k2); an answer made only of caps ("không quá") must not
    # say its figures were rounded, since the ministry sets the amount and any rounding.
    base_text = "bonus_base_cap" if all(b.up_to for b in entry.bonuses) else "bonus_base"
    lines.append(
        knowledge.text(base_text, lang).format(
            base=format_money(base.amount, lang),
            since=format_date(base.from_, lang),
            source=base.source,
            previous=previous,
        )
    )
    if earlier:
        # Decisions signed before the change are still paid at the old base (A3.1): show those amounts too.
        unit = "VND" if lang == "en" else "đ"
        amounts = "; ".join(
            f"{(b.for_en if lang == 'en' else None) or b.for_vi} "
            f"{(('up to ' if lang == 'en' else 'tối đa ') if b.up_to else '')}"
            f"{_bonus_value(knowledge, b, earlier[-1].amount, lang)} {unit}"
            for b in entry.bonuses
        )
        lines.append(
            knowledge.text("bonus_previous", lang).format(
                since=format_date(base.from_, lang), previous=previous, amounts=amounts
            )
        )
    return lines


def answer_language(entry: Entry, lang: str) -> str:
    """The language an answer is shown in: English only where the entry has an English text."""
    return "en" if lang == "en" and entry.answer_en else "vi"


def answer_parts(
    knowledge: Knowledge, entry: Entry, lang: str, today: dt.date, deadlines: str | None = None
) -> AnswerParts:
    """Collect the pieces of `entry`'s answer in `lang` (Vietnamese when no English text exists).

    `deadlines` is the calendar's text for an entry with `show: deadlines`, built by the calendar package in the
    answer's language; the core never reads the calendar itself.
    """
    use = answer_language(entry, lang)
    title = (entry.question_en if use == "en" else None) or entry.question_vi
    extras = _bonus_lines(knowledge, entry, use, today)
    if entry.show == "deadlines" and deadlines:
        extras.append(deadlines)
    if entry.intent_id in LAW_NOTE_INTENTS:
        extras.append(knowledge.text("law_note", use))
    return AnswerParts(
        lang=use,
        title=title,
        body=(entry.answer_en if use == "en" else entry.answer_vi) or entry.answer_vi,
        extras=tuple(extras),
        legal_basis=f"{knowledge.text('legal_basis', use)}: " + "; ".join(knowledge.citation(s) for s in entry.sources),
        reviewed=f"{knowledge.text('reviewed', use)}: {format_date(entry.reviewed, use)}",
    )


def to_plain(parts: AnswerParts) -> str:
    """Plain text, as the CLI prints it and as the JSON contract returns it."""
    blocks = [parts.title, parts.body.strip(), *parts.extras, f"{parts.legal_basis}\n{parts.reviewed}"]
    return "\n\n".join(b for b in blocks if b)


def _html_body(text: str) -> str:
    lines = []
    for line in text.strip().splitlines():
        escaped = html.escape(line, quote=False)
        lines.append("• " + escaped[2:] if line.startswith("- ") else escaped)
    return "\n".join(lines)


def to_html(parts: AnswerParts) -> str:
    """Telegram HTML; every dynamic piece is escaped."""
    blocks = [f"<b>{html.escape(parts.title, quote=False)}</b>", _html_body(parts.body)]
    blocks.extend(_html_body(extra) for extra in parts.extras)
    blocks.append(f"<i>{html.escape(parts.legal_basis, quote=False)}\n{html.escape(parts.reviewed, quote=False)}</i>")
    return "\n\n".join(blocks)


def visible_length(html_text: str) -> int:
    """Length Telegram counts: UTF-16 code units of the text once tags and entities are parsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    return len(plain.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split rendered HTML at paragraph, then line boundaries so each chunk fits one message.

    Our renderer never lets a tag span a line break inside a paragraph's text, so every chunk stays balanced.
    """
    chunks: list[str] = []
    current = ""

    def push(piece: str, separator: str) -> None:
        nonlocal current
        candidate = f"{current}{separator}{piece}" if current else piece
        if visible_length(candidate) <= limit:
            current = candidate
            return
        if current:
            chunks.append(current)
        current = ""
        if visible_length(piece) <= limit:
            current = piece
        elif separator == "\n\n":
            for line in piece.split("\n"):
                push(line, "\n")
        else:
            plain = html.unescape(re.sub(r"<[^>]+>", "", piece))
            chunks.extend(_hard_cut(plain, limit))

    for paragraph in text.split("\n\n"):
        push(paragraph, "\n\n")
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    step = limit // 2  # UTF-16 worst case: two units per character
    return [html.escape(text[i : i + step], quote=False) for i in range(0, len(text), step)]


def checklist_parts(knowledge: Knowledge, award_id: str, lang: str, today: dt.date) -> list[AnswerParts]:
    """The dossier checklist of an award, as one short answer (empty when the award has no dossier entry).

    What to prepare comes from the dossier entry; the copies and the report form add their first paragraph each;
    one note and one basis line close it. Three whole answers glued together ran to 2,900 characters.
    """
    dossier = knowledge.entries.get(f"{award_id}.ho-so")
    if dossier is None:
        return []
    main = answer_parts(knowledge, dossier, lang, today)
    extras: list[str] = []
    sources = list(dossier.sources)
    reviewed = dossier.reviewed
    for intent in ("so-bo", "mau-bao-cao"):
        entry = knowledge.entries.get(f"{award_id}.{intent}")
        if entry is None:
            continue
        part = answer_parts(knowledge, entry, lang, today)
        first = part.body.strip().split("\n\n")[0].strip()
        extras.append(f"{part.title}\n{first}")
        sources += [src for src in entry.sources if src not in sources]
        reviewed = max(reviewed, entry.reviewed)
    use = main.lang
    return [
        AnswerParts(
            lang=use,
            title=main.title,
            body=main.body,
            extras=(*extras, *main.extras),  # the dossier's own note (the Law's version) once, at the end
            legal_basis=f"{knowledge.text('legal_basis', use)}: " + "; ".join(knowledge.citation(s) for s in sources),
            reviewed=f"{knowledge.text('reviewed', use)}: {format_date(reviewed, use)}",
        )
    ]
