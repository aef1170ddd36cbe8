"""Signature terms: the words an entry's own texts keep using and other entries do not, read from the knowledge.

Most FAQ entries have no `keywords:`, and keywords are Vietnamese only, so the agreement stage (bot.core.agreement)
could not tell that "… người tố cáo … phòng chống tham nhũng thì được bảo vệ và khen thưởng như thế nào?" is about
the entry on rewarding corruption whistle-blowers, which ranks first. Each entry's questions and phrasings, in
Vietnamese and in English, already say what it is about; its signature terms are found in them at index-build time:

- candidates are runs of 1 to 3 content words (folded) inside one text, that do not reach into a domain-generic
  phrase (domain_terms, award names, background_phrases, question_words: every entry speaks of "thi đua", "bằng
  khen", "bao nhiêu") and hold no function word (FUNCTION_WORDS: "có được", "khi nào người", "rõ một vụ");
- a run of syllables must not cut a word: the syllable pair across each of its edges may be no more frequent in
  the knowledge (questions, phrasings and answers) than the pair just inside ("tố cáo | tham …" gives "tố cáo",
  not "cáo tham", which a question on "báo cáo tham mưu" would hold); a single word counts only when it is no
  Vietnamese syllable ("corruption" does; "thai" of "thai sản" does not);
- frequent in the entry and rare across the others: said in at least MIN_TEXTS of its texts (one phrasing may
  word a thing by chance), which are at least OWN_SHARE of all the texts in the knowledge that say it (catalogue
  entries' included); or, a run of two or three words, said by no other entry at all ("phòng chống tham nhũng").
  "biên bản" is said in 11 texts of the entry on meeting minutes and in 7 of five other entries: it is that
  entry's term; "Bộ Nội vụ" is said in 16 texts of the entry on Circular 15/2025 and in 21 of others: it names a
  ministry, not the entry. At most two entries can own a term; one two entries share names both, and the
  agreement stage then sees the runner-up named too and does not answer on it.

A message names an entry when its words contain one of the entry's terms; typed with diacritics, a Vietnamese
term must agree with them ("tố cáo" is not "tổ cao"). An English plural is read as its singular on both sides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import pairwise

import numpy as np

from bot.core.index_cache import pack_token_lists, unpack_token_lists
from bot.core.negation import negated
from bot.core.normalize import fold

MIN_TEXTS = 2  # an entry's term is said in at least this many of its questions and phrasings
OWN_SHARE = 0.5  # and these are at least this share of all the texts in the knowledge that say it
LONGEST = 3  # words in a term at most
# Function words no term holds (as written; a word typed without marks is compared folded): they join the words
# that say what an entry is about but say nothing of it themselves.
_VIETNAMESE = (
    "có được không chưa nào khi thì là gì ai mấy bao nhiêu thế sao phải cần những các của cho với theo và hay hoặc "
    "đã đang sẽ bị mình em tôi ở đâu này đó kia trong ngoài về từ đến nếu vậy rồi cũng vẫn quy định một hai năm "
    "tháng ngày nhiều mới nên mà làm còn nữa như thể cùng sau trước lại cả đều chỉ hơn bằng tại do vì để ra vào lên "
    "người việc gồm hiện nay"
)
# English function words, and the domain's own generic English words (what domain_terms are in Vietnamese).
_ENGLISH = (
    "who what when which where how why whom whose is are was were can could do does did the to for of under rule "
    "rules there their they we our us be get if or and any all one it its not no yes still also then than whether "
    "after before someone people staff person make made give given receive received "
    "reward rewarded award awarded bonus money merit certificate commendation emulation title medal order prize"
)
FUNCTION_WORDS = frozenset(f"{_VIETNAMESE} {_ENGLISH}".split())
_FUNCTION_FOLDED = frozenset(fold(word) for word in FUNCTION_WORDS)

Term = tuple[str, ...]


def singular(word: str) -> str:
    """An English plural's singular, crudely ("blowers" → "blower"); Vietnamese syllables never end in -s."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


class SignatureTerms:
    """Each entry's signature terms (folded, with their spelling) and the lookup of the terms a message names."""

    def __init__(self, terms: dict[Term, tuple[Term, tuple[int, ...]]]) -> None:
        """`terms`: folded term → (its spelling as written, the indexes of the entries it names)."""
        self.terms = terms
        self._sizes: dict[str, tuple[int, ...]] = {}
        by_first: dict[str, set[int]] = defaultdict(set)
        for term in terms:
            by_first[term[0]].add(len(term))
        self._sizes = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in by_first.items()}

    @classmethod
    def build(
        cls,
        texts: Sequence[Sequence[tuple[list[str], list[str]]]],
        corpus: Iterable[Sequence[str]],
        generic: Callable[[list[str]], set[int]],
        eligible: Sequence[bool],
    ) -> SignatureTerms:
        """`texts[i]`: entry i's questions and phrasings as (accented, folded) content words; `corpus`: folded
        word sequences the syllable pairs are counted in (Vietnamese); `generic(folded)`: the positions inside
        domain-generic phrases; `eligible[i]`: whether entry i gets terms (all entries count for rarity)."""
        pairs: Counter[tuple[str, str]] = Counter()
        syllables: set[str] = set()
        for words in corpus:
            pairs.update(pairwise(words))
            syllables.update(words)
        said_in: list[Counter[Term]] = []
        spelling: dict[Term, Term] = {}
        said: Counter[Term] = Counter()  # texts saying each term, all entries
        for entry_texts in texts:
            counts: Counter[Term] = Counter()
            for accented, folded in entry_texts:
                found = _candidates(accented, folded, generic(folded), pairs, syllables)
                for term, spelt in found.items():
                    counts[term] += 1
                    if spelt != term or term not in spelling:
                        spelling.setdefault(term, spelt)
            said_in.append(counts)
            said.update(counts)
        named: dict[Term, list[int]] = defaultdict(list)
        for index, counts in enumerate(said_in):
            if not eligible[index]:
                continue
            for term, count in counts.items():
                exclusive = count == said[term] and len(term) > 1
                if (count >= MIN_TEXTS and count >= OWN_SHARE * said[term]) or exclusive:
                    named[term].append(index)
        return cls({term: (spelling.get(term, term), tuple(ids)) for term, ids in sorted(named.items())})

    def named(
        self, accented: Sequence[str], folded: Sequence[str], typed: bool, breaks: AbstractSet[int] = frozenset()
    ) -> dict[int, str]:
        """Entry index → the first term of it the words name (as the entry spells it), every start tried.
        `typed`: the message has diacritics, so a Vietnamese term must agree with them; `breaks`: the positions in
        domain-generic phrases, which no term reaches into here either ("ưu tú" of "Nghệ sĩ ưu tú")."""
        words = [singular(w) for w in folded]
        found: dict[int, str] = {}
        for start, word in enumerate(words):
            for size in self._sizes.get(word, ()):
                key = tuple(words[start : start + size])
                if len(key) < size or key not in self.terms or not breaks.isdisjoint(range(start, start + size)):
                    continue
                spelt, entries = self.terms[key]
                if typed and not _agrees(accented[start : start + size], folded[start : start + size], spelt):
                    continue
                for index in entries:
                    found.setdefault(index, " ".join(spelt))
        return found

    def named_not_negated(
        self,
        accented: Sequence[str],
        folded: Sequence[str],
        typed: bool,
        special: Callable[[int], bool],
        breaks: AbstractSet[int] = frozenset(),
    ) -> dict[int, str]:
        """As `named`, without a special case's term negated as a record ("không bị …", like its keywords)."""
        found = self.named(accented, folded, typed, breaks)
        if not any(special(index) for index in found):
            return found
        words = [singular(w) for w in folded]
        for index in [i for i in found if special(i)]:
            term = tuple(singular(fold(w)) for w in found[index].split())
            starts = [s for s in range(len(words)) if tuple(words[s : s + len(term)]) == term]
            if starts and all(negated(list(folded), s) for s in starts):
                del found[index]
        return found

    # -- the compiled index --------------------------------------------------------------------------------

    def state(self) -> dict[str, np.ndarray]:
        items = list(self.terms.items())
        words, offsets = pack_token_lists([term for term, _ in items])
        spelt, spelt_offsets = pack_token_lists([spelling for _, (spelling, _) in items])
        owners = [ids for _, (_, ids) in items]
        owner_offsets = np.zeros(len(owners) + 1, dtype=np.int64)
        np.cumsum([len(ids) for ids in owners], out=owner_offsets[1:])
        return {
            "words": words,
            "offsets": offsets,
            "spelt": spelt,
            "spelt_offsets": spelt_offsets,
            "owners": np.asarray([i for ids in owners for i in ids], dtype=np.int64),
            "owner_offsets": owner_offsets,
        }

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray], entry_count: int) -> SignatureTerms:
        """Raises ValueError when the saved arrays do not fit together or name an entry out of range."""
        terms = unpack_token_lists(arrays["words"], arrays["offsets"])
        spelt = unpack_token_lists(arrays["spelt"], arrays["spelt_offsets"])
        owners, bounds = arrays["owners"].tolist(), arrays["owner_offsets"].tolist()
        if not (len(terms) == len(spelt) == len(bounds) - 1) or bounds[-1] != len(owners):
            raise ValueError("signature terms do not fit together")
        if any(not 0 <= i < entry_count for i in owners):
            raise ValueError("a signature term names an entry out of range")
        return cls(
            {
                tuple(term): (tuple(spelling), tuple(owners[a:b]))
                for term, spelling, (a, b) in zip(terms, spelt, pairwise(bounds), strict=True)
            }
        )


def _agrees(typed: Sequence[str], folded: Sequence[str], spelt: Sequence[str]) -> bool:
    """Whether no word typed with marks clashes with the term's spelling (unmarked words agree with anything)."""
    return all(word in (f, s) or fold(s) != f for word, f, s in zip(typed, folded, spelt, strict=True))


@lru_cache(maxsize=1 << 16)
def _function_word(accented: str, folded: str) -> bool:
    # A year or a count ("2025 sắp xếp") says when or how many, not what; a letter ("'s") says nothing.
    if len(folded) < 2 or any(c.isdigit() for c in folded):
        return True
    return accented in FUNCTION_WORDS if accented != folded else folded in _FUNCTION_FOLDED


def _candidates(
    accented: Sequence[str],
    folded: Sequence[str],
    breaks: set[int],
    pairs: Counter[tuple[str, str]],
    syllables: set[str],
) -> dict[Term, Term]:
    """The candidate terms of one text: folded (English plurals singular) → as written."""
    words = [singular(w) for w in folded]
    count = len(words)
    # The positions no term holds: inside a domain-generic phrase, or a function word.
    held = [i not in breaks and not _function_word(a, f) for i, (a, f) in enumerate(zip(accented, folded, strict=True))]
    found: dict[Term, Term] = {}
    for start in range(count):
        for size in range(1, LONGEST + 1):
            end = start + size
            if end > count or not held[end - 1]:
                break  # none longer from here either
            if size == 1:
                if folded[start] in syllables or len(words[start]) < 4:
                    continue
            else:
                inner_left = pairs[(folded[start], folded[start + 1])]
                inner_right = pairs[(folded[end - 2], folded[end - 1])]
                if start > 0 and pairs[(folded[start - 1], folded[start])] > inner_left:
                    continue  # the run begins inside a word
                if end < count and pairs[(folded[end - 1], folded[end])] > inner_right:
                    continue  # the run ends inside a word
            found.setdefault(tuple(words[start:end]), tuple(accented[start:end]))
    return found
