"""Which award a question names and what it asks about it (hồ sơ, tiêu chuẩn, tiền thưởng …)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from rapidfuzz import fuzz, process

from bot.core.knowledge import Knowledge
from bot.core.normalize import accent_agreement, fold_word, tokenize
from bot.core.phrases import Phrases, spans, strip, values

AWARD_NAME_SIMILARITY = 88  # rapidfuzz ratio for a misspelt award name ("chien si thu dua co so")
# When two intents are named ("hồ sơ nộp mấy bộ"), the more specific one is meant.
INTENT_PRIORITY = ("mau-bao-cao", "so-bo", "tien-thuong", "tham-quyen", "tieu-chuan", "ho-so", "tong-quan")
# ... but two asks about the dossier, each a question of its own ("Thủ tục … gồm những gì, nộp ở đâu?"), want the
# first (the contents), the second being a follow-on. A keyword asks when its content words hold a question word
# (gì, đâu, nào, mấy, bao nhiêu: "ở đâu", "mấy bộ"), or when it was written with one that reading drops and its
# content words say nothing of another intent: "gồm những gì" asks, "nộp những gì" is read as "nộp", which "nộp
# đâu" holds. "hồ sơ", "thủ tục" only name the subject ("hồ sơ nộp mấy bộ" asks one thing, the copies).
ASK_WORDS = frozenset({"gi", "dau", "nao", "may", "nhieu"})
DOSSIER_INTENTS = frozenset({"ho-so", "so-bo", "mau-bao-cao"})
# Words that belong to any question about an award, whatever its intent.
CONTEXT_WORDS = frozenset(
    {"de", "nghi", "xet", "tang", "duoc", "cho", "cap", "cong", "nhan", "khen", "thuong", "danh", "hieu"}
    | {"hinh", "thuc", "ca", "tap", "the", "don", "vi", "nguoi", "nam"}
)
# Words before an award that mark it as the one asked about when several are named ("… mới được xét CSTĐ cấp Bộ",
# "after X can I get Y"; English "receive" is read as "nhận", which a story uses for what it holds, so it is not one).
TARGET_MARKERS = frozenset({"xet", "nghi", "len", "xin", "muon", "trinh", "for", "get", "qualify", "apply"})
# Word pairs that mark the award asked for too: "đạt X 5 năm thì có được Y không" (bare "được" is also "đã được X").
TARGET_PAIRS = frozenset({("co", "duoc")})
# Word sequences whose award spans are kept: one message asks about the same few sequences 5-7 times (its reading,
# retrieval's weak positions, the resolver, each clause), and the misspelt-name search is the slow part.
REMEMBERED_SPANS = 512  # about 1 MiB at most (stories of 250 words); a message needs only its own few

Span = tuple[int, int, str]


class AwardIntents:
    """Award names (exact or misspelt) and intent keywords, read from a question's folded content words."""

    def __init__(self, knowledge: Knowledge, words: Callable[[str], tuple[list[str], list[str]]]) -> None:
        """`words(text)` gives the accented and the folded content words of a text, normalised like questions."""
        self._words = lambda text: words(text)[1]
        self._named: dict[tuple[str, ...], tuple[Span, ...]] = {}
        self.names = self._phrases((a.id, [a.name, a.full_name, a.name_en, *a.aliases]) for a in knowledge.awards)
        self.keywords = self._phrases((i.id, i.keywords) for i in knowledge.intents)
        self._asking = self._asking_keys(knowledge)
        self.hints = self._phrases((i.id, i.hints) for i in knowledge.intents)
        # The accented spellings behind each folded keyword or hint: "tiền" must not be read in "tiên tiến".
        self._spellings: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for intent in knowledge.intents:
            for text in (*intent.keywords, *intent.hints):
                accented, folded = words(text)
                self._spellings.setdefault(tuple(folded), set()).add(tuple(accented))
        self.vocabulary = {
            # A hint's words explain a question as the intent too: "hoàn thành xuất sắc … Lao động tiên tiến" is
            # fully a criteria question, not one whose rest the intent leaves unexplained.
            i.id: {
                t
                for text in (*i.keywords, *i.hints, *i.templates.vi, *i.templates.en)
                for t in self._template_words(text)
            }
            | CONTEXT_WORDS
            for i in knowledge.intents
        }

    def _asking_keys(self, knowledge: Knowledge) -> dict[tuple[str, ...], str]:
        """The dossier's keywords that ask a question of their own, by their content words (see ASK_WORDS)."""
        keys = {i.id: [tuple(self._words(text)) for text in i.keywords] for i in knowledge.intents}
        asking: dict[tuple[str, ...], str] = {}
        for intent in knowledge.intents:
            if intent.id not in DOSSIER_INTENTS:
                continue
            for text in intent.keywords:
                key = tuple(self._words(text))
                if not key or not ASK_WORDS.intersection(fold_word(w) for w in tokenize(text)):
                    continue
                if ASK_WORDS.intersection(key):
                    asking[key] = intent.id
                    continue
                elsewhere = (
                    other
                    for owner, others in keys.items()
                    if owner != intent.id
                    for other in others
                    if any(other[i : i + len(key)] == key for i in range(len(other) - len(key) + 1))
                )
                if next(elsewhere, None) is None:
                    asking[key] = intent.id
        return asking

    def _phrases(self, items: Iterable[tuple[str, Iterable[str]]]) -> Phrases[str]:
        out: dict[tuple[str, ...], str] = {}
        for value, texts in items:
            for text in texts:
                key = tuple(self._words(text))
                if key:
                    out.setdefault(key, value)
        return Phrases(out)

    def _template_words(self, text: str) -> list[str]:
        for placeholder in ("{name}", "{alias}", "{name_en}", "{full_name}"):
            text = text.replace(placeholder, " ")
        return self._words(text)

    def award_spans(self, tokens: Sequence[str]) -> list[Span]:
        """(start, end, award id) of the awards named: exact names first, else the closest misspelt one."""
        key = tuple(tokens)
        known = self._named.get(key)
        if known is None:
            if len(self._named) >= REMEMBERED_SPANS:
                self._named.clear()  # a pure function of the names: what is dropped is found again
            known = self._named[key] = tuple(self._award_spans(key))
        return list(known)

    def _award_spans(self, tokens: tuple[str, ...]) -> list[Span]:
        exact = spans(tokens, self.names)
        if exact:
            return exact
        best: tuple[float, int, int, str] | None = None
        present = set(tokens)
        for key, award in self.names.items():
            if len(key) < 2 or key[0] not in present or key[-1] not in present:
                continue
            target = " ".join(key)
            for size in {len(key) - 1, len(key), len(key) + 1}:
                for start in range(0, len(tokens) - size + 1):
                    window = tokens[start : start + size]
                    if window[0] != key[0] or window[-1] != key[-1]:  # a typo inside the name, not another phrase
                        continue
                    score = fuzz.ratio(" ".join(window), target)
                    if score >= AWARD_NAME_SIMILARITY and (best is None or score > best[0]):
                        best = (score, start, start + size, award)
        return [(best[1], best[2], best[3])] if best else []

    def awards(self, tokens: Sequence[str]) -> set[str]:
        return set(values(tokens, self.names))

    def only_awards(self, tokens: Sequence[str]) -> bool:
        """Whether the question is nothing but award names."""
        return bool(tokens) and not strip(tokens, self.names)[0]

    def intent(self, tokens: Sequence[str], accented: Sequence[str] | None = None) -> str | None:
        """The most specific intent whose keywords the words contain (as typed, when `accented` is given); when the
        dossier is asked about twice, each by a question of its own, the one asked first."""
        found = self._spans(tokens, accented, self.keywords)
        asking = self._asking
        asks = [(start, asking[key]) for start, end, _ in found if (key := tuple(tokens[start:end])) in asking]
        if len({intent for _, intent in asks}) > 1:
            return min(asks)[1]
        named = {intent for _, _, intent in found}
        return next((i for i in INTENT_PRIORITY if i in named), None)

    def intents(self, tokens: Sequence[str], accented: Sequence[str] | None = None) -> set[str]:
        """Every intent whose keywords the words contain (as typed, when `accented` is given)."""
        return self._found(tokens, accented, self.keywords)

    def intents_spoken_of(self, text: str) -> set[str]:
        """The intents whose keyword phrases a text uses anywhere (an entry's phrasings and answer)."""
        return self.intents(self._words(text))

    def hinted_intent(self, tokens: Sequence[str], accented: Sequence[str] | None = None) -> str | None:
        """The intent a hint word points at ("ký" → tham-quyen), when exactly one intent is hinted."""
        found = self._found(tokens, accented, self.hints)
        return next(iter(found)) if len(found) == 1 else None

    def _found(self, tokens: Sequence[str], accented: Sequence[str] | None, phrases: Phrases[str]) -> set[str]:
        return {value for _, _, value in self._spans(tokens, accented, phrases)}

    def _spans(self, tokens: Sequence[str], accented: Sequence[str] | None, phrases: Phrases[str]) -> list[Span]:
        found = _counted_noun_wins(tokens, phrases, spans(tokens, phrases))
        if accented is None:
            return found
        return [(start, end, value) for start, end, value in found if self._spelled_alike(tokens, accented, start, end)]

    def _spelled_alike(self, tokens: Sequence[str], accented: Sequence[str], start: int, end: int) -> bool:
        """Whether the words typed with diacritics agree with a spelling of the phrase found at start:end.

        Words typed without marks or corrected from a typo say nothing. A single clashing word ("tiên" for the
        hint "tiền") rejects the phrase, one slip among agreeing words ("tiên thưởng") does not.
        """
        key = tuple(tokens[start:end])
        spellings = self._spellings.get(key)
        if not spellings:
            return True
        typed = accented[start:end]
        for spelling in spellings:
            agree, clash = accent_agreement(typed, key, spelling)
            if clash == 0 or agree >= clash:
                return True
        return False

    @staticmethod
    def target(tokens: Sequence[str], found: list[Span]) -> str:
        """The award asked about: the first named, unless a later one follows xét / đề nghị / trình / lên …

        A marker counts anywhere between the award and the award named before it ("đạt CSTĐ cơ sở … thì có thể đề
        nghị Chủ tịch UBND tỉnh tặng danh hiệu CSTĐ cấp tỉnh"), or in the two words before the first one. When
        several are marked, the one the question itself asks for ("… thì có được xét tặng Y không") wins over one a
        story says was considered ("có một cá nhân được xét tặng X thì …").
        """
        if len(found) > 1:
            ordered = sorted(found)
            starts = [max(0, ordered[0][0] - 2), *(end for _, end, _ in ordered[:-1])]
            before = [(s, tokens[a : s[0]]) for s, a in zip(ordered, starts, strict=True)]
            marked = [s for s, words in before if _marks_target(words)]
            asked = [s for s, words in before if _asks_for(words)] if len(marked) > 1 else []
            return (asked or marked or found)[0][2]
        return found[0][2]

    def find(self, tokens: Sequence[str]) -> str | None:
        """The award a short name refers to, comparing whole names as typed: "bang khen bo" yes, "học bổng" no."""
        names = {" ".join(key): award for key, award in self.names.items()}
        best = process.extractOne(" ".join(tokens), list(names), scorer=fuzz.token_sort_ratio, score_cutoff=85)
        return names[best[0]] if best else None


def _asks_for(between: Sequence[str]) -> bool:
    """Whether the words before an award ask for it ("có được", not the story's bare "được xét")."""
    return any(pair in TARGET_PAIRS for pair in pairwise(between))


def _marks_target(between: Sequence[str]) -> bool:
    """Whether the words before an award mark it as the one asked for (xét, đề nghị, trình …, có được)."""
    return bool(TARGET_MARKERS.intersection(between)) or _asks_for(between)


def _counted_noun_wins(tokens: Sequence[str], phrases: Phrases[str], found: list[Span]) -> list[Span]:
    """The phrases found, where one that a phrase of another intent overlaps and runs past gives way to it.

    The scan takes the leftmost phrase, but a count word's noun comes after it: in "khen thưởng bao nhiêu lần" the
    "thưởng bao nhiêu" of the money intent overlaps "bao nhiêu lần" (how many times), and the noun decides.
    """
    out: list[Span] = []
    for start, end, value in found:
        later = next(
            (
                (a, a + size, phrases[tuple(tokens[a : a + size])])
                for a in range(start + 1, end)
                for size in phrases.sizes_of.get(tokens[a], ())
                if end < a + size <= len(tokens) and tuple(tokens[a : a + size]) in phrases
            ),
            None,
        )
        out.append(later if later is not None and later[2] != value else (start, end, value))
    return out
