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

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import pairwise

import numpy as np

from bot.core.index_cache import pack_token_lists, release_freed_memory, unpack_token_lists
from bot.core.negation import negated
from bot.core.normalize import fold

_CHUNK = 1 << 20  # corpus words counted at a time
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
        words = TextWords()
        entry_of, breaks = [], []
        for index, entry_texts in enumerate(texts):
            for accented, folded in entry_texts:
                words.add(accented, folded)
                entry_of.append(index)
                positions = generic(folded)
                breaks += [i in positions for i in range(len(folded))]
        known = words.folded_number
        sequences = [[known.get(w, -1) for w in sequence] for sequence in corpus]
        corpus_offsets = np.zeros(len(sequences) + 1, dtype=np.int64)
        np.cumsum([len(sequence) for sequence in sequences], out=corpus_offsets[1:])
        said = np.asarray([w for sequence in sequences for w in sequence], dtype=np.int32)
        entries = np.asarray(entry_of, dtype=np.int64)
        return cls.from_words(words, entries, np.asarray(breaks, dtype=bool), (said, corpus_offsets), eligible)

    @classmethod
    def from_words(
        cls,
        texts: TextWords,
        entry_of: np.ndarray,
        breaks: np.ndarray,
        corpus: tuple[np.ndarray, np.ndarray],
        eligible: Sequence[bool],
    ) -> SignatureTerms:
        """The terms of the texts (`texts`, each text's entry `entry_of`, every word's `breaks`: inside a
        domain-generic phrase), the syllable pairs counted in `corpus` ((folded numbers, offsets); a word no text
        uses is -1).

        One array per figure instead of a tuple per candidate run and a Counter per entry: those left ~40 MiB of
        the Python heap in use at 10,000 entries after they were freed (other objects kept in its pages)."""
        folded_words, accented_words = texts.folded_words, texts.accented_words
        folded, accented, offsets = texts.arrays()
        vocabulary = len(folded_words)
        lengths = np.diff(offsets)
        count = len(folded)
        text_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        position = np.arange(count, dtype=np.int32) - np.repeat(offsets[:-1].astype(np.int32), lengths)
        remaining = np.repeat(lengths.astype(np.int32), lengths) - position  # words from here to the text's end
        # The syllables of the corpus (Vietnamese texts and answers), and how often it says each pair of neighbouring
        # words the texts hold (counted a million words at a time: all the corpus's pairs at once were ~100 MiB).
        said_words, corpus_offsets = corpus
        syllable = np.zeros(vocabulary, dtype=bool)
        syllable[said_words[said_words >= 0]] = True
        inside = np.ones(count, dtype=bool)  # a word followed by one of its text
        inside[offsets[1:][lengths > 0] - 1] = False
        asked = np.flatnonzero(inside[:-1]) if count > 1 else np.zeros(0, dtype=np.int64)
        pair_keys = np.unique(folded[asked].astype(np.int64) * vocabulary + folded[asked + 1])
        del inside, asked
        pair_counts = np.zeros(len(pair_keys), dtype=np.int64)
        ends = np.zeros(len(said_words), dtype=bool)  # the last word of a corpus text
        ends[corpus_offsets[1:][np.diff(corpus_offsets) > 0] - 1] = True
        for chunk in range(0, max(len(said_words) - 1, 0), _CHUNK):
            first = said_words[chunk : chunk + _CHUNK].astype(np.int64)
            second = said_words[chunk + 1 : chunk + _CHUNK + 1]
            first = first[: len(second)]
            counted = ~ends[chunk : chunk + len(first)] & (first >= 0) & (second >= 0)
            keys = first[counted] * vocabulary + second[counted]
            at = np.searchsorted(pair_keys, keys)
            hit = at < len(pair_keys)
            hit[hit] = pair_keys[at[hit]] == keys[hit]
            pair_counts += np.bincount(at[hit], minlength=len(pair_keys))
            del first, second, counted, keys, at, hit
        del ends
        release_freed_memory()  # the counting's arrays, before the runs' (the build's peak stays where it was)

        def pairs(at: np.ndarray, after: np.ndarray) -> np.ndarray:
            """How often the corpus says the word at each position followed by the word at `after`."""
            if not len(pair_keys):
                return np.zeros(len(at), dtype=np.int64)
            keys = folded[at].astype(np.int64) * vocabulary + folded[after]
            found = np.minimum(np.searchsorted(pair_keys, keys), len(pair_keys) - 1)
            return np.where(pair_keys[found] == keys, pair_counts[found], 0)

        # Each word's singular (English plurals), and the positions no term holds (generic, a function word).
        singulars: dict[str, int] = {}
        singular_of = np.asarray(
            [singulars.setdefault(singular(w), len(singulars)) for w in folded_words], dtype=np.int64
        ).reshape(-1)
        long_enough = np.asarray([len(singular(w)) >= 4 for w in folded_words], dtype=bool).reshape(-1)
        wide = np.int64 if len(accented_words) * vocabulary >= 1 << 31 else np.int32
        spelt = accented.astype(wide) * vocabulary + folded
        spelt_keys = np.unique(spelt)
        function = np.asarray(
            [
                _function_word(accented_words[k // vocabulary], folded_words[k % vocabulary])
                for k in spelt_keys.tolist()
            ],
            dtype=bool,
        ).reshape(-1)
        held = ~breaks & ~function[np.searchsorted(spelt_keys, spelt)] if count else np.zeros(0, dtype=bool)
        del spelt, spelt_keys
        release_freed_memory()
        # Candidate runs of 1..LONGEST held words inside one text, which cut no word; the runs of each size are
        # terms of their own, counted one size at a time (the arrays of all sizes at once were ~100 MiB at 10,000).
        base = len(singulars) + 1
        owned = np.asarray(eligible, dtype=bool)
        named: dict[Term, tuple[Term, tuple[int, ...]]] = {}
        run = held.copy()
        for size in range(1, LONGEST + 1):
            if size > 1:
                run[: count - size + 1] &= held[size - 1 :]
            tail = max(count - size + 1, 0)
            at = np.flatnonzero(run[:tail] & (remaining[:tail] >= size))
            if size == 1:
                word = folded[at]
                at = at[~syllable[word] & long_enough[word]]
            else:
                end = at + size
                inner_left, inner_right = pairs(at, at + 1), pairs(end - 2, end - 1)
                begins_inside = (position[at] > 0) & (pairs(np.maximum(at - 1, 0), at) > inner_left)
                ends_inside = (remaining[at] > size) & (pairs(end - 1, np.minimum(end, count - 1)) > inner_right)
                at = at[~begins_inside & ~ends_inside]
                del end, inner_left, inner_right, begins_inside, ends_inside
            key = np.zeros(len(at), dtype=np.int64)
            for offset in range(size):
                if offset and base**size >= 1 << 62:  # past two million words: the keys renumbered as they grow
                    key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
                key = key * base + singular_of[folded[at + offset]]
            for start, entries in _chosen(key, at, text_of, entry_of, owned, exclusive=size > 1).values():
                folded_run = tuple(singular(folded_words[w]) for w in folded[start : start + size].tolist())
                spelt = tuple(accented_words[w] for w in accented[start : start + size].tolist())
                named[folded_run] = (spelt, entries)
            del at, key
        return cls(dict(sorted(named.items())))

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


def _chosen(
    key: np.ndarray, start: np.ndarray, text_of: np.ndarray, entry_of: np.ndarray, owned: np.ndarray, exclusive: bool
) -> dict[int, tuple[int, tuple[int, ...]]]:
    """The candidate runs of one size (`key` a number per term, `start` the run's first word) that are an entry's
    term: term key → (its first run's start, the entries it names). `exclusive`: a term no other entry says is
    its entry's even when said once."""
    if not len(key):
        return {}
    terms, term_of = np.unique(key, return_inverse=True)
    term_of = term_of.reshape(-1)
    total = len(terms)
    # Each term once per text; the texts saying it (all entries) and each entry's texts saying it.
    said_in_text = np.unique(text_of[start].astype(np.int64) * total + term_of)
    term_said, text_saying = said_in_text % total, said_in_text // total
    said = np.bincount(term_said, minlength=total)
    by_entry, counts = np.unique(entry_of[text_saying] * total + term_said, return_counts=True)
    del said_in_text, term_said, text_saying
    entry, term = by_entry // total, by_entry % total
    chosen = (counts >= MIN_TEXTS) & (counts >= OWN_SHARE * said[term])
    if exclusive:
        chosen |= counts == said[term]
    chosen &= owned[entry]
    entry, term = entry[chosen], term[chosen]
    # The first run of each chosen term (where it is first written: its spelling).
    first = np.full(total, len(text_of), dtype=np.int64)
    picked = np.isin(term_of, term)
    np.minimum.at(first, term_of[picked], start[picked])
    found: dict[int, list[int]] = defaultdict(list)
    for t, e in zip(term.tolist(), entry.tolist(), strict=True):
        found[t].append(e)
    return {int(terms[t]): (int(first[t]), tuple(sorted(ids))) for t, ids in found.items()}


def _agrees(typed: Sequence[str], folded: Sequence[str], spelt: Sequence[str]) -> bool:
    """Whether no word typed with marks clashes with the term's spelling (unmarked words agree with anything)."""
    return all(word in (f, s) or fold(s) != f for word, f, s in zip(typed, folded, spelt, strict=True))


def _function_word(accented: str, folded: str) -> bool:
    # A year or a count ("2025 sắp xếp") says when or how many, not what; a letter ("'s") says nothing.
    if len(folded) < 2 or any(c.isdigit() for c in folded):
        return True
    return accented in FUNCTION_WORDS if accented != folded else folded in _FUNCTION_FOLDED


class TextWords:
    """Texts as numbered words, accented and folded (aligned): rows of int32 word numbers, a table's and added
    ones, and the texts in order as row numbers (a row may be read by several texts)."""

    def __init__(
        self,
        folded_words: Sequence[str] = (),
        accented_words: Sequence[str] = (),
        rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """`rows`: (folded numbers, accented numbers, offsets) of rows numbered by the words given."""
        self.folded_number: dict[str, int] = {w: i for i, w in enumerate(folded_words)}
        self.accented_number: dict[str, int] = {w: i for i, w in enumerate(accented_words)}
        empty = np.zeros(0, dtype=np.int32)
        base_folded, base_accented, base_offsets = rows or (empty, empty, np.zeros(1, dtype=np.int64))
        self._base: tuple[np.ndarray, np.ndarray, np.ndarray] | None = (
            np.asarray(base_folded, np.int32),
            np.asarray(base_accented, np.int32),
            base_offsets,
        )
        self.base_rows = len(base_offsets) - 1
        self._folded, self._accented, self._lengths = array("i"), array("i"), array("q")
        self._order = array("q")
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def folded_words(self) -> list[str]:
        return list(self.folded_number)

    @property
    def accented_words(self) -> list[str]:
        return list(self.accented_number)

    def row(self, accented: Sequence[str], folded: Sequence[str]) -> int:
        """A row of words numbered here (new words get new numbers); its row number."""
        number, spelt = self.folded_number, self.accented_number
        self._folded.extend([number.setdefault(w, len(number)) for w in folded])
        self._accented.extend([spelt.setdefault(w, len(spelt)) for w in accented])
        self._lengths.append(len(folded))
        return self.base_rows + len(self._lengths) - 1

    def read(self, row: int) -> None:
        """The next text is that row."""
        self._order.append(row)

    def add(self, accented: Sequence[str], folded: Sequence[str]) -> None:
        self.read(self.row(accented, folded))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The texts in order: (folded numbers, accented numbers, offsets); made once, no text is added after."""
        if self._arrays is None:
            self._arrays = self._gathered()
            self._base = None
            self._folded, self._accented, self._lengths, self._order = array("i"), array("i"), array("q"), array("q")
        return self._arrays

    def _gathered(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        assert self._base is not None
        base_folded, base_accented, base_offsets = self._base
        added = np.zeros(len(self._lengths) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(self._lengths, dtype=np.int64), out=added[1:])
        folded = np.concatenate([base_folded, np.frombuffer(self._folded, dtype=np.int32)])
        accented = np.concatenate([base_accented, np.frombuffer(self._accented, dtype=np.int32)])
        bounds = np.concatenate([base_offsets[:-1], added + base_offsets[-1]])
        order = np.frombuffer(self._order, dtype=np.int64)
        first, lengths = bounds[order], bounds[order + 1] - bounds[order]
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # Position k of text t is word first[t] + (k - offsets[t]).
        at = np.repeat(first - offsets[:-1], lengths) + np.arange(int(offsets[-1]), dtype=np.int64)
        return folded[at], accented[at], offsets
