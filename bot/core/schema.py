"""Pydantic models of the knowledge files; validation only, no behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=50)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    vi: Text
    en: Text | None = None


class Questions(Strict):
    vi: list[Text] = Field(min_length=1)
    en: list[Text] = []


class FaqEntry(Strict):
    id: Id
    topic: Id
    questions: Questions
    answer: Bilingual
    sources: list[Text] = Field(min_length=1)
    reviewed: dt.date
    related: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$")]] = []
    keywords: list[Text] = []
    # A circumstance (discipline, maternity leave, posthumous …) that changes the answer for any award: when a
    # question names an award and one of these keywords, this entry is preferred to the award's catalogue answer.
    special_case: bool = False
    # With special_case: also when the question asks for documents ("hạn nộp hồ sơ …" asks for the deadline).
    outranks_documents: bool = False
    show: Literal["deadlines"] | None = None


class FaqFile(Strict):
    entries: list[dict[str, object]] = Field(min_length=1)


class Topic(Strict):
    id: Id
    title: Bilingual


class TopicsFile(Strict):
    topics: list[Topic] = Field(min_length=1)


class Coefficient(Strict):
    for_: Bilingual = Field(alias="for")
    value: float = Field(gt=0, le=100)
    up_to: bool = False  # the text sets a maximum ("không quá"), not a fixed rate


class Section(Strict):
    vi: Text
    en: Text | None = None
    sources: list[Text] = Field(min_length=1)
    coefficients: list[Coefficient] = []


IntentId = Literal["tong-quan", "tieu-chuan", "tham-quyen", "ho-so", "so-bo", "mau-bao-cao", "tien-thuong"]


class Templates(Strict):
    vi: list[Text] = Field(min_length=1)
    en: list[Text] = []


class Intent(Strict):
    id: IntentId
    title: Bilingual
    templates: Templates
    keywords: list[Text] = []
    hints: list[Text] = []


class Award(Strict):
    id: Id
    name: Text
    full_name: Text
    name_en: Text
    aliases: list[Text] = []
    kind: Literal["danh-hieu", "hinh-thuc"]
    level: Bilingual
    topic: Id
    reviewed: dt.date
    deadline_hint: Bilingual | None = None
    sections: dict[IntentId, Section] = Field(min_length=1)


class BaseSalary(Strict):
    amount: int = Field(gt=0)
    from_: dt.date = Field(alias="from")
    source: Text


class AwardsFile(Strict):
    base_salary: list[BaseSalary] = Field(min_length=1)
    intents: list[Intent] = Field(min_length=1)
    awards: list[dict[str, object]] = Field(min_length=1)

    @field_validator("base_salary")
    @classmethod
    def _sorted(cls, value: list[BaseSalary]) -> list[BaseSalary]:
        return sorted(value, key=lambda b: b.from_)


class ForeignTermHosts(Strict):
    """Who or what a foreign term names a workplace after ("giáo viên" + "tiểu học"): every noun with every term."""

    nouns: list[Text] = []
    terms: list[Text] = []


class SynonymsFile(Strict):
    replace: dict[str, Text] = {}
    stopwords: list[Text] = []
    stopwords_en: list[Text] = []
    domain_terms: list[Text] = []
    foreign_terms: list[Text] = []
    foreign_term_hosts: ForeignTermHosts = ForeignTermHosts()


class Smalltalk(Strict):
    id: Id
    patterns: list[Text] = Field(min_length=1)
    reply: Bilingual


class Command(Strict):
    command: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")]
    vi: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    en: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class TextsFile(Strict):
    messages: dict[str, Bilingual]
    smalltalk: list[Smalltalk] = []
    commands: list[Command] = []


class NamedGroup(Strict):
    """Something questions name in many ways: an award the catalogue lacks, another body with its own rules."""

    id: Id
    name: Bilingual
    aliases: list[Text] = Field(min_length=1)
    # For a body at the ministry's tier (bộ, ban, ngành, tỉnh): a generic award word in a question naming the body
    # means that tier's award ("Chủ tịch UBND tỉnh tặng Bằng khen" asks about a Bằng khen cấp bộ, ban, ngành, tỉnh).
    tier_awards: dict[str, Id] = {}
    # What an answer naming this body adds, instead of the general "its own rules apply" message ({body}, {body_cap}).
    note: Bilingual | None = None


class UnderstandingMessages(Strict):
    uncovered_award: Bilingual
    other_body: Bilingual
    # An answer to a question citing a document no longer in force: {cited}, {until} and {current} are filled in.
    cited_out_of_force: Bilingual | None = None


class OtherMedals(Strict):
    """Another body's Kỷ niệm chương ("Vì sự nghiệp Giáo dục", "… xây dựng tổ chức Công đoàn"): its own regulation."""

    entry: Id  # the entry that says so and whom to ask
    medal_words: list[Text] = Field(min_length=1)  # kỷ niệm chương, commemorative medal
    cause_words: list[Text] = Field(min_length=1)  # vì sự nghiệp, ngành, for the cause of: what follows is its cause
    own_causes: list[Text] = Field(min_length=1)  # the causes whose medal the knowledge answers (khoa học và công nghệ)


class OtherBodyTitles(Strict):
    """A title of another body asked about ("danh hiệu thi đua trong Công an nhân dân"): that body's own regulation."""

    entry: Id  # the entry that gives the general rule, says the body's own regulation applies and whom to ask
    title_words: list[Text] = Field(min_length=1)  # danh hiệu, cờ thi đua …: what the body's title is called
    fillers: list[Text] = []  # words that may stand between the title and the body ("của đơn vị trực thuộc")
    bodies: list[Id] = Field(min_length=1)  # which other_bodies count (not the tiers whose titles are the Law's)
    counts_words: list[Text] = []  # "có được tính …": whether such a title counts here is another entry's question
    # "Hội Nông dân xã có quyền ký … tặng giấy khen": the body named first, then its power to give, then what it gives:
    # the body's own award, under its own rules (authority words only: "có được tặng" is also being given one).
    grantor_words: list[Text] = []
    granted_words: list[Text] = []
    # The state's awards: asked about inside another body ("Cờ thi đua của Chính phủ trong Quân đội") they are still
    # the Law's, answered with their own entry (and the body's note).
    state_awards: list[Id] = []


class GradeEntry(Strict):
    """An award's grades with an entry of their own ("Huân chương Lao động hạng Nhì"): the catalogue's answer for
    the intents listed is another grade's (hạng Ba's criteria), so a question naming one of these grades gets it."""

    award: Id
    grades: list[Text] = Field(min_length=1)  # hạng nhất, hạng nhì (synonyms apply: "hạng 2" is "hạng nhì")
    entry: Id
    intents: list[IntentId] = Field(min_length=1)


class FramingLexicon(Strict):
    """What sets the scene in an asking part ("theo Nghị định 98/2023/NĐ-CP", "theo quy định hiện hành"): ranked
    without it, unless the question asks about the document itself."""

    openers: list[Text] = []  # theo, tại, căn cứ …: belong to the framing they open
    standards: list[Text] = []  # quy định hiện hành, hướng dẫn mới nhất, hiện nay …: framing on their own
    names: list[Text] = []  # luật thi đua khen thưởng, nghị định …: framing after an opener or before a citation
    document_questions: list[Text] = []  # hiệu lực, thay thế, văn bản nào …: the document is what is asked
    times: list[Text] = []  # mới nhất, hiện nay …: framing only after an opener or opening the asking part
    document_asks: list[Text] = []  # văn bản nào quy định …: framing when the asking part names a circumstance
    bodies: list[Text] = []  # ngành Tư pháp, Bộ Văn hóa, Thể thao và Du lịch …: whose rules, not what is asked
    body_group: str | None = None  # the other_bodies group these body names name (its note is shown)


class CollectiveEntry(Strict):
    """An award's entry for collectives ("Tập thể … đề nghị Bằng khen Thủ tướng"): the catalogue's criteria are the
    individual's, so a question whose asking part has a collective as its subject gets this entry."""

    award: Id
    entry: Id
    intents: list[IntentId] = []  # the intents it answers for collectives; a question naming no intent counts too


class Collectives(Strict):
    """Who is a collective in an asking part, and the entries that answer for one."""

    subject_words: list[Text] = Field(min_length=1)  # tập thể, đơn vị được tặng …, outside award names
    individual_words: list[Text] = []  # cá nhân, người …: named too, the question is not only a collective's
    collective_awards: list[Id] = []  # titles only collectives receive: named beside the award asked, a collective
    entries: list[CollectiveEntry] = Field(min_length=1)


class TierGroup(Strict):
    """Entries that each answer for one tier only (the cơ sở council, the ministry's council), by tier id."""

    entries: dict[Id, Id] = Field(min_length=1)  # tier id → entry id


class Tiers(Strict):
    """The tiers an asking part can name (cấp cơ sở, cấp bộ, cấp tỉnh …) and the entries specific to one."""

    words: dict[Id, list[Text]] = Field(min_length=1)  # tier id → the words naming it, outside award names
    groups: list[TierGroup] = []


class CountedElsewhere(Strict):
    """Whether another body's certificate counts here ("Bằng khen của UBND tỉnh có được tính khi xét Bằng khen Thủ
    tướng không?"): the entry on which certificates count, not the asked award's criteria."""

    award_words: list[Text] = Field(min_length=1)  # bằng khen, giấy khen: the certificate held
    counts_words: list[Text] = Field(min_length=1)  # được tính, làm căn cứ, được xem là …
    entry: Id  # the general entry on another body's certificate as a basis
    entries: dict[Id, Id] = {}  # the award asked for → its own entry on which certificates count


class UnderstandingFile(Strict):
    """knowledge/understanding.yaml: how a long message is read before ranking."""

    ask_markers: list[Text] = []
    question_words: list[Text] = []
    eligibility_words: list[Text] = []
    closings: list[Text] = []
    money_words: list[Text] = []
    together_words: list[Text] = []
    pointers_back: list[Text] = []
    award_nouns: list[Text] = []  # huân chương, bằng khen …: what an asking part names as its object (story_object.py)
    follow_up_markers: list[Text] = []  # "nếu được thì", "if so": a follow-up of the question before (follow_ups.py)
    background_phrases: list[Text] = []
    framing: FramingLexicon | None = None
    several_awards_entry: str | None = None
    other_medals: OtherMedals | None = None
    other_body_titles: OtherBodyTitles | None = None
    grade_entries: list[GradeEntry] = []
    collectives: Collectives | None = None
    tiers: Tiers | None = None
    counted_elsewhere: CountedElsewhere | None = None
    uncovered_awards: list[NamedGroup] = []
    other_bodies: list[NamedGroup] = []
    messages: UnderstandingMessages | None = None
