"""The words of a text that carry meaning: stopwords and small talk removed, English fold clashes resolved."""

from __future__ import annotations

from itertools import pairwise

from bot.core.knowledge import Knowledge
from bot.core.normalize import Normalized, Normalizer, accent_agreement
from bot.core.phrases import Phrases, spans, strip

# English words that fold to Vietnamese syllables (the → thể, to → tờ, can → cần, an → an): in English text they
# are dropped unless they form a Vietnamese pair with a neighbour ("tập thể", "tờ trình", "cán bộ").
ENGLISH_FOLD_CLASHES = frozenset({"the", "to", "can", "an"})
# English asks whether someone qualifies with a modal and a passive: "Can we be proposed for X?", "Could our unit be
# nominated for X?", "May I be considered for X?". That is the Vietnamese "… có được đề nghị / xét X không", whose
# words are the criteria intent's keywords; read word for word ("proposed for" → "đề nghị", "be" a stopword) it
# was only "đề nghị X", the words of the dossier's phrasings. A wh-word just before the modal ("Who can be
# proposed …", "Where can it be considered") asks something else and is left as it is.
ENGLISH_MODALS = frozenset({"can", "could", "may", "might"})
# As the synonyms leave them: who → ai, where → ở đâu, when → khi nào, how much/many → bao nhiêu.
ENGLISH_WH_WORDS = frozenset({"who", "what", "which", "where", "when", "how", "why", "whom", "whose"})
ENGLISH_WH_WORDS |= frozenset({"ai", "dau", "nao", "nhieu"})
PASSIVE_GAP = 5  # words between the modal and "be": the subject ("our department", "a contract employee")
PROPOSED = ("de", "nghi")  # "proposed for", "nominated", "recommended for" as synonyms.yaml maps them
CONSIDERED = ("considered", "for")


class ContentWords:
    """Accented and folded content words of a normalised text, the unit every later stage works on."""

    def __init__(
        self,
        knowledge: Knowledge,
        normalize: Normalizer,
        vietnamese_pairs: tuple[set[tuple[str, str]], bool] | None = None,
    ) -> None:
        """`vietnamese_pairs`, when given, are the pairs (and `any_pairs`) a compiled index saved (costly to find)."""
        stopwords = normalize.phrase_keys(knowledge.stopwords)
        self.smalltalk = Phrases(
            (key, item.id) for item in knowledge.smalltalk for key in normalize.phrase_keys(item.patterns)
        )
        self.ignored = Phrases(dict.fromkeys(stopwords | set(self.smalltalk), ""))
        self._ignored_en = Phrases(dict.fromkeys(set(self.ignored) | normalize.phrase_keys(knowledge.stopwords_en), ""))
        # How each ignored phrase is spelt: a word typed with diacritics is a stopword only when spelt as one
        # ("nhũng" of "tham nhũng" folds to the "những" of the list, "độ" of "chế độ" to the English "do").
        self._spellings: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        patterns = [pattern for item in knowledge.smalltalk for pattern in item.patterns]
        texts = [*knowledge.stopwords, *knowledge.stopwords_en, *patterns]
        for text in texts:
            norm = normalize(text)
            if norm.folded:
                self._spellings.setdefault(norm.folded, set()).add(norm.accented)
        # Word pairs the Vietnamese phrasings use: "tập thể" keeps its "thể" even in an English question. Only
        # pairs holding a clash word are ever asked about, so only those are kept (at 10,000 entries all pairs
        # took 20 MiB); `any_pairs` remembers whether the phrasings had any pair at all, which turns the rule on.
        if vietnamese_pairs is None:
            pairs: set[tuple[str, str]] = set()
            for entry in knowledge.entries.values():
                for phrasing in entry.phrasings_vi:
                    pairs.update(pairwise(self(normalize(phrasing))[1]))
            any_pairs = bool(pairs)
        else:
            pairs, any_pairs = vietnamese_pairs
        self.vietnamese_pairs = {p for p in pairs if ENGLISH_FOLD_CLASHES.intersection(p)}
        self.any_pairs = any_pairs

    def __call__(self, norm: Normalized, english: bool = False) -> tuple[list[str], list[str]]:
        if "be" in norm.folded and ENGLISH_MODALS.intersection(norm.folded):
            norm = english_passive_ask(norm)
        ignored = self._ignored_en if english else self.ignored
        if norm.typed_diacritics:
            folded, accented = self._strip_as_typed(norm, ignored)
        else:
            folded, accented = strip(norm.folded, ignored, norm.accented)
        if english and self.any_pairs and ENGLISH_FOLD_CLASHES.intersection(folded):
            keep = [
                i
                for i, word in enumerate(folded)
                if word not in ENGLISH_FOLD_CLASHES
                or (i > 0 and (folded[i - 1], word) in self.vietnamese_pairs)
                or (i + 1 < len(folded) and (word, folded[i + 1]) in self.vietnamese_pairs)
            ]
            folded, accented = [folded[i] for i in keep], [accented[i] for i in keep]
        return accented, folded

    def _strip_as_typed(self, norm: Normalized, ignored: Phrases[str]) -> tuple[list[str], list[str]]:
        """`strip` that keeps an ignored phrase whose words typed with diacritics clash with its spellings."""
        covered: set[int] = set()
        for start, end, _ in spans(norm.folded, ignored):
            key = norm.folded[start:end]
            typed = norm.accented[start:end]
            spellings = self._spellings.get(key, ())
            if typed == key or typed in spellings or not spellings or any(_spelt_as(typed, key, s) for s in spellings):
                covered.update(range(start, end))
        keep = [i for i in range(len(norm.folded)) if i not in covered]
        return [norm.folded[i] for i in keep], [norm.accented[i] for i in keep]


def _spelt_as(typed: tuple[str, ...], folded: tuple[str, ...], spelling: tuple[str, ...]) -> bool:
    """Whether words agree with a spelling: no word typed with diacritics spelt otherwise, or fewer such than agree."""
    agree, clash = accent_agreement(typed, folded, spelling)
    return clash == 0 or agree > clash


def english_passive_ask(norm: Normalized) -> Normalized:
    """"Can/could/may/might <subject> be proposed (nominated, considered) for X" read as "có được đề nghị (xét) X"."""
    folded, accented = list(norm.folded), list(norm.accented)
    out_folded: list[str] = []
    out_accented: list[str] = []
    i = 0
    while i < len(folded):
        word = folded[i]
        if word == "be" and accented[i] == "be" and _after_yes_no_modal(folded, i):
            if tuple(folded[i + 1 : i + 3]) == PROPOSED:
                out_folded += ["co", "duoc"]
                out_accented += ["có", "được"]
                i += 1
                continue
            if tuple(folded[i + 1 : i + 3]) == CONSIDERED:
                out_folded += ["co", "duoc", "xet"]
                out_accented += ["có", "được", "xét"]
                i += 3
                continue
        out_folded.append(word)
        out_accented.append(accented[i])
        i += 1
    if out_folded == folded:
        return norm
    return Normalized(tuple(out_accented), tuple(out_folded), norm.typed_diacritics)


def _after_yes_no_modal(folded: list[str], be: int) -> bool:
    """Whether a modal opens the question a few words before "be", with no wh-word just before the modal."""
    for start in range(be - 1, max(-1, be - PASSIVE_GAP - 2), -1):
        if folded[start] in ENGLISH_MODALS:
            return start == 0 or folded[start - 1] not in ENGLISH_WH_WORDS
    return False
