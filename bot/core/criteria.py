"""Eligibility criteria (knowledge/criteria.yaml): loaded, validated, and turned into plain frozen objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import KnowledgeError
from bot.core.yaml_text import parse as parse_yaml

CRITERIA_FILE = "criteria.yaml"

# Every check the evaluator knows, with the parameters it needs (bot/core/eligibility.py implements them).
CHECKS: dict[str, frozenset[str]] = {
    "rating": frozenset({"min"}),
    "rating_run": frozenset({"min", "length"}),
    "not_new_recruit": frozenset({"months"}),
    "innovations": frozenset({"count", "level", "window"}),
    "run": frozenset({"title", "length"}),
    "cstd_bo_twice": frozenset(),
    "bk_bo_route_d": frozenset(),
    "bk_bo_route_e": frozenset(),
    "bk_bo_collective_route_e": frozenset(),
    "holds": frozenset({"award"}),
    "window_after": frozenset({"award", "years", "min", "cstdcs", "htxs", "to_proposal"}),
    "ldtt_share": frozenset({"min"}),
    "no_member_discipline": frozenset(),
    "all_members_complete": frozenset(),
    "has_cstdcs_member": frozenset(),
    "leads_cluster": frozenset(),
    "no_pending_discipline": frozenset(),
    "route_raised": frozenset({"route"}),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Text(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Condition(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: _Text
    article: str | None = None
    verified: bool = True
    check: dict[str, Any] | None = None
    any_of: list[_Condition] | None = None
    all_of: list[_Condition] | None = None


class _Award(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    catalogue: str
    name: _Text
    subject: Literal["individual", "collective"]
    annual: bool = False
    dossier: str | None = None
    assessed: _Text | None = None
    conditions: list[_Condition] = Field(min_length=1)


class _File(_Strict):
    caveats: _Text
    common: list[_Condition] = []
    awards: list[_Award] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    text_vi: str
    text_en: str
    article: str | None
    verified: bool
    check: str | None  # a key of CHECKS, or None for a group / an unverified rule
    params: Mapping[str, Any]
    mode: Literal["check", "any", "all"]
    children: tuple[Condition, ...] = ()

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_vi


@dataclass(frozen=True, slots=True)
class AwardCriteria:
    id: str
    catalogue: str  # the award id in awards.yaml (what `ask --json` reports)
    name_vi: str
    name_en: str
    subject: str  # individual | collective
    annual: bool  # a yearly title judged on one year
    dossier: str | None  # entry id of the dossier answer
    assessed_vi: str | None
    assessed_en: str | None
    conditions: tuple[Condition, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def assessed(self, lang: str) -> str | None:
        return self.assessed_en if lang == "en" else self.assessed_vi


@dataclass(frozen=True, slots=True)
class Criteria:
    awards: dict[str, AwardCriteria]
    caveat_vi: str
    caveat_en: str

    def caveat(self, lang: str) -> str:
        return self.caveat_en if lang == "en" else self.caveat_vi

    def get(self, award_id: str) -> AwardCriteria | None:
        return self.awards.get(award_id)

    def for_award(self, catalogue_id: str, subject: str) -> AwardCriteria | None:
        """The criteria of an awards.yaml award for an individual or a collective (falling back to any subject)."""
        found = [a for a in self.awards.values() if a.catalogue == catalogue_id or a.id == catalogue_id]
        return next((a for a in found if a.subject == subject), found[0] if found else None)


def _convert(raw: _Condition, where: str, problems: list[str]) -> Condition:
    groups = [g for g in (raw.any_of, raw.all_of) if g is not None]
    where = f"{where}.{raw.id}"
    if raw.check is not None and groups:
        problems.append(f"{CRITERIA_FILE}: condition '{where}': has both 'check' and a group")
    if raw.verified and raw.check is None and not groups:
        problems.append(
            f"{CRITERIA_FILE}: condition '{where}': a verified condition needs 'check', 'any_of' or 'all_of'"
        )
    if len(groups) > 1:
        problems.append(f"{CRITERIA_FILE}: condition '{where}': both 'any_of' and 'all_of'")
    check_name: str | None = None
    params: dict[str, Any] = {}
    if raw.check is not None:
        params = dict(raw.check)
        check_name = params.pop("type", None)
        if check_name not in CHECKS:
            problems.append(f"{CRITERIA_FILE}: condition '{where}': unknown check type {check_name!r}")
        elif set(params) != CHECKS[check_name]:
            problems.append(
                f"{CRITERIA_FILE}: condition '{where}': check '{check_name}' takes {sorted(CHECKS[check_name])}, "
                f"got {sorted(params)}"
            )
    children = tuple(_convert(c, where, problems) for g in groups for c in g)
    mode: Literal["check", "any", "all"] = "any" if raw.any_of is not None else "all" if raw.all_of else "check"
    return Condition(
        id=raw.id,
        text_vi=raw.text.vi,
        text_en=raw.text.en,
        article=raw.article,
        verified=raw.verified,
        check=check_name,
        params=params,
        mode=mode,
        children=children,
    )


def parse_criteria(
    data: Any, entry_ids: Iterable[str] | None = None, award_ids: Iterable[str] | None = None
) -> Criteria:
    """Validate the parsed YAML; raise KnowledgeError listing every problem."""
    problems: list[str] = []
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(
            [
                f"{CRITERIA_FILE}: field '{'.'.join(str(p) for p in e['loc']) or '(top level)'}': {e['msg']}"
                for e in exc.errors()
            ]
        ) from None
    entries = set(entry_ids) if entry_ids is not None else None
    catalogue = set(award_ids) if award_ids is not None else None
    common = tuple(_convert(c, "common", problems) for c in parsed.common)
    awards: dict[str, AwardCriteria] = {}
    for raw in parsed.awards:
        if raw.id in awards:
            problems.append(f"{CRITERIA_FILE}: award '{raw.id}': duplicate id")
        if catalogue is not None and raw.catalogue not in catalogue:
            problems.append(f"{CRITERIA_FILE}: award '{raw.id}': field 'catalogue': no award '{raw.catalogue}'")
        if entries is not None and raw.dossier is not None and raw.dossier not in entries:
            problems.append(f"{CRITERIA_FILE}: award '{raw.id}': field 'dossier': no entry '{raw.dossier}'")
        own = tuple(_convert(c, raw.id, problems) for c in raw.conditions)
        awards[raw.id] = AwardCriteria(
            id=raw.id,
            catalogue=raw.catalogue,
            name_vi=raw.name.vi,
            name_en=raw.name.en,
            subject=raw.subject,
            annual=raw.annual,
            dossier=raw.dossier,
            assessed_vi=raw.assessed.vi if raw.assessed else None,
            assessed_en=raw.assessed.en if raw.assessed else None,
            conditions=own + common,
        )
    if problems:
        raise KnowledgeError(problems)
    return Criteria(awards=awards, caveat_vi=parsed.caveats.vi, caveat_en=parsed.caveats.en)


def load_criteria(
    path: Path, entry_ids: Iterable[str] | None = None, award_ids: Iterable[str] | None = None
) -> Criteria:
    """Read and validate a criteria file."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError([f"{CRITERIA_FILE}: file is missing"]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError([f"{CRITERIA_FILE}: not valid YAML: {str(exc).splitlines()[0]}"]) from None
    return parse_criteria(data, entry_ids, award_ids)
