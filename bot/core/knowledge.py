"""Loads and validates knowledge/ into one immutable Knowledge object."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.core.criteria import CRITERIA_FILE, Criteria, load_criteria
from bot.core.documents import Register, load_documents
from bot.core.errors import KnowledgeError
from bot.core.schema import (
    Award,
    AwardsFile,
    BaseSalary,
    Command,
    FaqEntry,
    FaqFile,
    Intent,
    Smalltalk,
    SynonymsFile,
    TextsFile,
    Topic,
    TopicsFile,
    UnderstandingFile,
)
from bot.core.yaml_text import parse as parse_yaml

# Messages the code looks up by name; texts.yaml must define each of them.
REQUIRED_TEXTS = (
    "greeting",
    "help",
    "fallback",
    "suggest_intro",
    "suggest_none",
    "none_chosen",
    "legal_basis",
    "reviewed",
    "related",
    "law_note",
    "bonus_amount",
    "bonus_base",
    "bonus_base_cap",
    "bonus_previous",
    "bonus_up_to",
    "too_long",
    "flood",
    "non_text",
    "unknown_command",
    "mention_only",
    "not_a_question",
    "stale_button",
    "error",
    "not_admin",
    "admin_private_only",
    "reload_ok",
    "reload_failed",
    "forget_confirm",
    "forget_yes",
    "forget_no",
    "forget_done",
    "forget_confirm_group",
    "forget_groups_kept",
    "forget_not_yours",
    "forget_cancelled",
    "feedback_thanks",
    "feedback_negative",
    "topics_intro",
    "topic_questions",
    "back",
    "dossier_pick",
    "dossier_unknown",
    "dossier_title",
    "dossier_missing",
    "deadlines_header",
    "deadlines_none",
    "deadline_line",
    "set_by_organisers",
    "reminder",
    "subscribe_done",
    "subscribe_all_topics",
    "subscribe_current",
    "subscribe_not_yours",
    "subscribe_days_before",
    "subscribe_narrow",
    "unsubscribe_done",
    "unsubscribe_none",
    "ics_button",
    "ics_caption",
)
# Catalogue answers on these intents get the note on which version of the Law applies.
LAW_NOTE_INTENTS = frozenset({"tieu-chuan", "tham-quyen", "ho-so", "so-bo", "mau-bao-cao"})

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Bonus:
    """One coefficient of a bonus section, e.g. 1.5 × mức lương cơ sở for an individual."""

    for_vi: str
    for_en: str | None
    value: float
    up_to: bool = False  # "không quá …": a cap, shown as "up to" and not rounded


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable unit: a FAQ entry or one section of an award in the catalogue."""

    id: str
    topic: str
    question_vi: str
    question_en: str | None
    phrasings_vi: tuple[str, ...]
    phrasings_en: tuple[str, ...]
    answer_vi: str
    answer_en: str | None
    sources: tuple[str, ...]
    reviewed: dt.date
    source_file: str
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    award_id: str | None = None
    intent_id: str | None = None
    bonuses: tuple[Bonus, ...] = ()
    show: str | None = None  # "deadlines": the answer ends with the upcoming deadlines
    special_case: bool = False  # its keywords outrank an award's catalogue answer (see schema.FaqEntry)
    outranks_documents: bool = False  # … even when the question asks for the award's documents


@dataclass(frozen=True)
class Knowledge:
    """Everything in knowledge/, validated; `entries` keeps file order."""

    entries: dict[str, Entry]
    topics: tuple[Topic, ...]
    awards: tuple[Award, ...]
    intents: tuple[Intent, ...]
    base_salary: tuple[BaseSalary, ...]
    texts: dict[str, dict[str, str | None]]
    smalltalk: tuple[Smalltalk, ...]
    commands: tuple[Command, ...]
    synonyms: dict[str, str]
    stopwords: tuple[str, ...]
    stopwords_en: tuple[str, ...]
    domain_terms: tuple[str, ...]
    foreign_terms: tuple[str, ...]
    version: str
    path: Path
    deadlines_path: Path | None = None
    extra_phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # How long messages are read (understanding.yaml); empty lists when the file is absent.
    understanding: UnderstandingFile = field(default_factory=UnderstandingFile)
    criteria: Criteria | None = None  # knowledge/criteria.yaml, when present (eligibility checks)
    documents: Register | None = None  # documents.yaml, the register citations resolve to (optional)
    # Phrases in which another domain's term names the asker's workplace, not that domain ("giáo viên tiểu học").
    foreign_term_hosts: tuple[str, ...] = ()

    def citation(self, source: str) -> str:
        """A source as a basis line shows it: the register's short title of its document, then the pinpoint."""
        return self.documents.display(source) if self.documents is not None else source

    def text(self, name: str, lang: str = "vi") -> str:
        """Return a user-facing message in `lang`, falling back to Vietnamese."""
        pair = self.texts[name]
        return (pair.get(lang) if lang == "en" else None) or pair["vi"] or ""

    def award(self, award_id: str) -> Award | None:
        return next((a for a in self.awards if a.id == award_id), None)

    def base_salary_on(self, day: dt.date) -> BaseSalary:
        """The mức lương cơ sở in force on `day` (the earliest known one before the history starts)."""
        current = self.base_salary[0]
        for item in self.base_salary:
            if item.from_ <= day:
                current = item
        return current


_UNREADABLE = object()  # a file already reported as missing or not YAML: not validated again


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: not valid YAML: {str(exc).splitlines()[0]}")
    return _UNREADABLE


def _validate(model: type[M], data: Any, where: str, problems: list[str]) -> M | None:
    if data is _UNREADABLE:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"{where}: field '{loc}': {err['msg']}")
    return None


def _entry_where(path: Path, index: int, raw: object) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"{path.name}: entry '{ident}'" if ident else f"{path.name}: entry #{index + 1} (no id)"


def _faq_entries(path: Path, problems: list[str]) -> Iterable[Entry]:
    parsed = _validate(FaqFile, _read_yaml(path, problems), path.name, problems)
    for index, raw in enumerate(parsed.entries if parsed else []):
        item = _validate(FaqEntry, raw, _entry_where(path, index, raw), problems)
        if item is None:
            continue
        yield Entry(
            id=item.id,
            topic=item.topic,
            question_vi=item.questions.vi[0],
            question_en=item.questions.en[0] if item.questions.en else None,
            phrasings_vi=tuple(item.questions.vi),
            phrasings_en=tuple(item.questions.en),
            answer_vi=item.answer.vi,
            answer_en=item.answer.en,
            sources=tuple(item.sources),
            reviewed=item.reviewed,
            source_file=path.name,
            related=tuple(item.related),
            keywords=tuple(item.keywords),
            show=item.show,
            special_case=item.special_case,
            outranks_documents=item.outranks_documents,
        )


def _fill(template: str, award: Award, alias: str) -> str:
    return template.format(name=award.name, alias=alias, name_en=award.name_en, full_name=award.full_name)


def _catalogue_entries(award: Award, intents: dict[str, Intent], path: Path) -> Iterable[Entry]:
    names = list(dict.fromkeys([award.name, award.full_name, *award.aliases]))
    for intent_id, section in award.sections.items():
        intent = intents.get(intent_id)
        if intent is None:
            continue

        def phrasings(templates: list[str]) -> tuple[str, ...]:
            out: list[str] = []
            for template in templates:
                targets = names if "{alias}" in template else [award.name]
                out.extend(_fill(template, award, alias) for alias in targets)
            return tuple(dict.fromkeys(out))

        vi = phrasings(intent.templates.vi)
        en = phrasings(intent.templates.en)
        yield Entry(
            id=f"{award.id}.{intent_id}",
            topic=award.topic,
            question_vi=vi[0],
            question_en=en[0] if en else None,
            phrasings_vi=vi,
            phrasings_en=en,
            answer_vi=section.vi,
            answer_en=section.en,
            sources=tuple(section.sources),
            reviewed=award.reviewed,
            source_file=path.name,
            award_id=award.id,
            intent_id=intent_id,
            bonuses=tuple(Bonus(c.for_.vi, c.for_.en, c.value, c.up_to) for c in section.coefficients),
        )


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def knowledge_files(knowledge: Knowledge) -> list[Path] | None:
    """The files a loaded knowledge was read from (its version hashes them), or None when it cannot tell.

    None for a knowledge not loaded from a folder, or when the files no longer hash to its version (edited since).
    """
    root = knowledge.path
    if root is None or not root.is_dir():
        return None
    files = [*root.glob("*.yaml"), *sorted((root / "faq").glob("*.yaml"))]
    if knowledge.deadlines_path is not None and knowledge.deadlines_path not in files:
        files.append(knowledge.deadlines_path)
    try:
        return files if _hash_files(files) == knowledge.version else None
    except OSError:
        return None


def load_knowledge(root: Path, deadlines_file: Path | None = None) -> Knowledge:
    """Load and cross-check every knowledge file under `root`; raise KnowledgeError listing all problems.

    `deadlines_file` replaces `root/deadlines.yaml` as the calendar (config `knowledge.deadlines`).
    """
    problems: list[str] = []
    if not root.is_dir():
        raise KnowledgeError([f"{root}: knowledge folder not found"])
    topics_file = _validate(TopicsFile, _read_yaml(root / "topics.yaml", problems), "topics.yaml", problems)
    awards_file = _validate(AwardsFile, _read_yaml(root / "awards.yaml", problems), "awards.yaml", problems)
    synonyms = _validate(SynonymsFile, _read_yaml(root / "synonyms.yaml", problems), "synonyms.yaml", problems)
    texts = _validate(TextsFile, _read_yaml(root / "texts.yaml", problems), "texts.yaml", problems)

    faq_files = sorted((root / "faq").glob("*.yaml"))
    if not faq_files:
        problems.append(f"{root / 'faq'}: no FAQ files (*.yaml)")
    entries: list[Entry] = []
    for path in faq_files:
        entries.extend(_faq_entries(path, problems))

    awards: list[Award] = []
    if awards_file:
        intents: dict[str, Intent] = {i.id: i for i in awards_file.intents}
        awards_path = root / "awards.yaml"
        for index, raw in enumerate(awards_file.awards):
            award = _validate(Award, raw, _entry_where(awards_path, index, raw).replace("entry", "award"), problems)
            if award is not None:
                awards.append(award)
                entries.extend(_catalogue_entries(award, intents, awards_path))
        for award in awards:
            for intent_id in award.sections:
                if intent_id not in intents:
                    problems.append(f"awards.yaml: award '{award.id}': field 'sections.{intent_id}': no such intent")

    by_id: dict[str, Entry] = {}
    award_ids = {a.id for a in awards}
    for entry in entries:
        if entry.id in by_id or (entry.award_id is None and entry.id in award_ids):
            problems.append(f"{entry.source_file}: entry '{entry.id}': field 'id': duplicate id")
        by_id.setdefault(entry.id, entry)
    topic_ids = {t.id for t in topics_file.topics} if topics_file else set()
    for entry in by_id.values():
        where = f"{entry.source_file}: entry '{entry.id}'"
        if topics_file and entry.topic not in topic_ids:
            problems.append(f"{where}: field 'topic': unknown topic '{entry.topic}'")
        for target in entry.related:
            if target not in by_id:
                problems.append(f"{where}: field 'related': no entry '{target}'")
    if texts:
        for name in REQUIRED_TEXTS:
            if name not in texts.messages:
                problems.append(f"texts.yaml: field 'messages.{name}': missing")

    # deadlines.yaml is the calendar's (bot.calendar loads and validates it); the core only knows where it is.
    deadlines = deadlines_file if deadlines_file is not None else root / "deadlines.yaml"
    if deadlines_file is not None and not deadlines_file.exists():
        problems.append(f"{deadlines_file}: deadlines file is missing (knowledge.deadlines)")
    for entry in by_id.values():
        if entry.show == "deadlines" and not deadlines.exists():
            problems.append(f"{entry.source_file}: entry '{entry.id}': field 'show': no deadlines.yaml to show")

    understanding = UnderstandingFile()
    understanding_path = root / "understanding.yaml"
    if understanding_path.exists():
        parsed = _validate(UnderstandingFile, _read_yaml(understanding_path, problems), "understanding.yaml", problems)
        understanding = parsed or understanding
        problems.extend(_understanding_targets(understanding, by_id))
    criteria: Criteria | None = None
    if (root / CRITERIA_FILE).exists():
        try:
            criteria = load_criteria(root / CRITERIA_FILE, by_id, award_ids)
        except KnowledgeError as exc:
            problems.extend(exc.problems)

    register: Register | None = None
    if (root / "documents.yaml").exists():
        try:
            register = load_documents(root / "documents.yaml")
        except KnowledgeError as exc:
            problems.extend(exc.problems)

    learned_path = root / "learned.yaml"
    extra = _load_learned(learned_path, by_id, problems) if learned_path.exists() else {}
    if problems:
        raise KnowledgeError(problems)
    assert topics_file and awards_file and synonyms and texts
    return Knowledge(
        entries=by_id,
        topics=tuple(topics_file.topics),
        awards=tuple(awards),
        intents=tuple(awards_file.intents),
        base_salary=tuple(awards_file.base_salary),
        texts={k: {"vi": v.vi, "en": v.en} for k, v in texts.messages.items()},
        smalltalk=tuple(texts.smalltalk),
        commands=tuple(texts.commands),
        synonyms=dict(synonyms.replace),
        stopwords=tuple(synonyms.stopwords),
        stopwords_en=tuple(synonyms.stopwords_en),
        domain_terms=tuple(synonyms.domain_terms),
        foreign_terms=tuple(synonyms.foreign_terms),
        foreign_term_hosts=tuple(
            f"{noun} {term}" for noun in synonyms.foreign_term_hosts.nouns for term in synonyms.foreign_term_hosts.terms
        ),
        version=_hash_files([*root.glob("*.yaml"), *faq_files, *([deadlines_file] if deadlines_file else [])]),
        path=root,
        deadlines_path=deadlines if deadlines.exists() else None,
        extra_phrasings=extra,
        understanding=understanding,
        criteria=criteria,
        documents=register,
    )


def _load_learned(path: Path, by_id: dict[str, Entry], problems: list[str]) -> dict[str, tuple[str, ...]]:
    """Read phrasings organisers attached from the question log: `{entry_id: [phrasing, ...]}`."""
    data = _read_yaml(path, problems)
    if data is _UNREADABLE or data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("phrasings", {}), dict):
        problems.append(f"{path.name}: field 'phrasings': expected a mapping of entry id to a list of questions")
        return {}
    dismissed = data.get("dismissed", [])
    if not isinstance(dismissed, list) or not all(isinstance(i, str) and i.strip() for i in dismissed):
        problems.append(f"{path.name}: field 'dismissed': expected a list of non-empty strings")
    unknown = set(data) - {"phrasings", "dismissed"}
    if unknown:
        problems.append(f"{path.name}: field '{sorted(unknown)[0]}': unknown field (expected phrasings, dismissed)")
    out: dict[str, tuple[str, ...]] = {}
    for entry_id, items in (data.get("phrasings") or {}).items():
        where = f"{path.name}: entry '{entry_id}'"
        if entry_id not in by_id:
            problems.append(f"{where}: field 'phrasings': no entry '{entry_id}'")
        elif not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            problems.append(f"{where}: field 'phrasings': expected a list of non-empty strings")
        else:
            out[entry_id] = tuple(items)
    return out


def _understanding_targets(understanding: UnderstandingFile, by_id: dict[str, Entry]) -> list[str]:
    """The entries and bodies understanding.yaml routes questions to must exist, or the rule silently does nothing."""
    problems = []
    targets = {
        "several_awards_entry": understanding.several_awards_entry,
        "other_medals.entry": understanding.other_medals.entry if understanding.other_medals else None,
        "other_body_titles.entry": understanding.other_body_titles.entry if understanding.other_body_titles else None,
    }
    for number, rule in enumerate(understanding.grade_entries):
        targets[f"grade_entries[{number}].entry"] = rule.entry
    for number, collective in enumerate(understanding.collectives.entries if understanding.collectives else []):
        targets[f"collectives.entries[{number}].entry"] = collective.entry
    if understanding.counted_elsewhere is not None:
        targets["counted_elsewhere.entry"] = understanding.counted_elsewhere.entry
        for award, entry_id in understanding.counted_elsewhere.entries.items():
            targets[f"counted_elsewhere.entries.{award}"] = entry_id
    for number, group in enumerate(understanding.tiers.groups if understanding.tiers else []):
        for tier, entry_id in group.entries.items():
            targets[f"tiers.groups[{number}].entries.{tier}"] = entry_id
            if understanding.tiers is not None and tier not in understanding.tiers.words:
                problems.append(f"understanding.yaml: field 'tiers.groups[{number}]': no tier '{tier}' in words")
    for field_name, target in targets.items():
        if target is not None and target not in by_id:
            problems.append(f"understanding.yaml: field '{field_name}': no entry '{target}'")
    known = {group.id for group in understanding.other_bodies}
    body_group = understanding.framing.body_group if understanding.framing else None
    if body_group is not None and body_group not in known:
        problems.append(f"understanding.yaml: field 'framing.body_group': no other body '{body_group}'")
    if understanding.other_body_titles is not None:
        for body in understanding.other_body_titles.bodies:
            if body not in known:
                problems.append(f"understanding.yaml: field 'other_body_titles.bodies': no other body '{body}'")
    return problems
