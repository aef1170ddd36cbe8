"""Signature terms: what an entry's own questions and phrasings keep saying and other entries do not (questions
written here, none of them labelled ones)."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.match_types import Scored
from bot.core.matcher import Matcher
from bot.core.normalize import fold
from bot.core.signature_terms import SignatureTerms


def _words(text: str) -> tuple[list[str], list[str]]:
    accented = text.lower().split()
    return accented, [fold(word) for word in accented]


def _build(entries: list[list[str]], corpus: list[str] = (), eligible: list[bool] | None = None) -> SignatureTerms:
    texts = [[_words(text) for text in entry] for entry in entries]
    # Syllable pairs and the Vietnamese syllables come from the Vietnamese texts, as the matcher counts them.
    vietnamese = [*corpus, *(text for entry in entries for text in entry if not text.isascii())]
    pairs_from = [_words(text)[1] for text in vietnamese]
    generic = {"thi", "đua"}

    def breaks(folded: list[str]) -> set[int]:
        return {i for i, word in enumerate(folded) if word in {fold(g) for g in generic}}

    return SignatureTerms.build(texts, pairs_from, breaks, eligible or [True] * len(entries))


def _terms_of(terms: SignatureTerms, index: int) -> set[str]:
    return {" ".join(spelt) for spelt, owners in terms.terms.values() if index in owners}


def test_a_term_said_often_by_one_entry_and_rarely_by_others_is_its_own() -> None:
    terms = _build(
        [
            ["biên bản họp xong", "mẫu biên bản", "biên bản ghi gì"],
            ["hồ sơ gồm biên bản", "hồ sơ nộp đâu", "hồ sơ mấy bộ"],
            ["hồ sơ giấy", "hồ sơ điện tử"],
        ]
    )
    assert "biên bản" in _terms_of(terms, 0)  # 3 of the 4 texts saying it are entry 0's
    assert "biên bản" not in _terms_of(terms, 1)
    # "hồ sơ" is said by entry 1 in 3 of the 5 texts saying it: its own, not entry 2's (2 of 5).
    assert "hồ sơ" in _terms_of(terms, 1) and "hồ sơ" not in _terms_of(terms, 2)


def test_function_words_generic_phrases_and_single_syllables_make_no_term() -> None:
    terms = _build([["có được thi đua không", "có được thi đua nữa không", "nghỉ phép có được"], ["khác hẳn"]])
    own = _terms_of(terms, 0)
    assert not {"có được", "được", "thi đua", "đua", "nghỉ"} & own
    assert "nghỉ phép" in own  # said once, but by no other entry: a run of two words


def test_a_single_english_word_must_be_said_twice() -> None:
    terms = _build([["reward for whistleblowers", "whistleblower protection", "exposing bribery"], ["other thing"]])
    own = _terms_of(terms, 0)
    assert "whistleblowers" in own or "whistleblower" in own  # plural and singular are one word
    assert "bribery" not in own  # one text only
    assert "reward" not in own  # a generic word of the domain


def test_a_run_that_cuts_a_word_is_no_term() -> None:
    # "tố cáo" is a word everywhere in the knowledge; "cáo tham" only where "tố cáo" meets "tham mưu".
    corpus = ["tố cáo sai", "tố cáo đúng", "người tố cáo", "bị tố cáo", "tham mưu giỏi", "tham mưu tốt"]
    terms = _build([["tố cáo tham mưu", "tố cáo tham mưu sai"], ["khác hẳn"]], corpus)
    own = _terms_of(terms, 0)
    assert "cáo tham" not in own
    assert "tố cáo tham" not in own  # ends inside "tham mưu"
    assert "tố cáo" in own


def test_entries_not_eligible_count_for_rarity_but_own_nothing() -> None:
    catalogue = ["lễ trao tặng", "lễ trao lúc nào", "lễ trao mấy giờ"]
    terms = _build([["lễ trao tặng", "lễ trao ở đâu"], catalogue], [], [True, False])
    assert "lễ trao" not in _terms_of(terms, 0)  # 2 of 5 texts
    assert not _terms_of(terms, 1)


def test_a_term_typed_with_diacritics_must_agree_with_them() -> None:
    terms = _build([["tố cáo", "tố cáo ở đâu"], ["khác hẳn"]])
    assert 0 in terms.named(*_words("bị tố cáo"), typed=True)
    assert 0 in terms.named(*_words("bi to cao"), typed=False)
    assert 0 not in terms.named(*_words("tổ cao"), typed=True)  # "tổ" (a team) clashes with "tố"


def test_the_terms_survive_the_compiled_index() -> None:
    terms = _build([["biên bản họp xong", "mẫu biên bản"], ["hồ sơ gồm", "hồ sơ nộp"]])
    again = SignatureTerms.from_state(terms.state(), 2)
    assert again.terms == terms.terms
    with pytest.raises(ValueError):
        SignatureTerms.from_state(terms.state(), 1)  # names an entry out of range


# -- on the shipped knowledge ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matcher(answerer: Answerer) -> Matcher:
    return answerer.matcher


def _agreement(matcher: Matcher, question: str, *ranked: tuple[str, float]) -> tuple[bool, str]:
    verdict = matcher.agreement_of(matcher.understand(question), [Scored(i, s) for i, s in ranked])
    return verdict.agrees, verdict.reason


WHISTLE = "khen-thuong-nguoi-to-cao-tham-nhung"


def test_an_faq_entry_without_a_matching_keyword_is_named_by_its_signature_term(matcher: Matcher) -> None:
    question = "Cơ quan em có người chỉ ra sai phạm về phòng chống tham nhũng, đơn vị có được đề nghị khen không?"
    agrees, reason = _agreement(matcher, question, (WHISTLE, 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))
    assert agrees and "signature term" in reason and "phòng chống" in reason


def test_an_english_question_is_named_by_an_english_signature_term(matcher: Matcher) -> None:
    question = "Is an officer who exposes corruption in her agency entitled to anything?"
    agrees, reason = _agreement(matcher, question, (WHISTLE, 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))
    assert agrees and "corruption" in reason


def test_a_signature_term_inside_a_domain_phrase_names_nothing(matcher: Matcher) -> None:
    # "ưu tú" alone is said by the entry on Thầy thuốc, Nghệ sĩ, Nghệ nhân; inside "Nhà giáo ưu tú" it is a title.
    named = matcher._signature_hits("Nhà giáo ưu tú xét mấy năm một lần?")
    assert "thay-thuoc-nghe-si-nghe-nhan" not in named


def test_a_runner_up_named_by_its_signature_term_is_no_clear_other(matcher: Matcher) -> None:
    question = "Biên bản họp hội đồng phải có chữ ký ai, có cần đóng dấu không?"
    top, other = "bien-ban-hop-va-bo-phieu", "thi-dua-khen-thuong-la-gi"
    agrees, reason = _agreement(matcher, question, (top, 40.0), (other, 30.0))
    assert agrees and "signature term 'biên bản'" in reason
    # The entry on dossiers says "biên bản họp" and no other entry does: named too, it is no clearly other entry.
    runner_up = "ho-so-de-nghi-gom-nhung-gi"
    agrees, reason = _agreement(matcher, question, (top, 40.0), (runner_up, 30.0))
    assert not agrees and f"{runner_up} too" in reason


def test_explain_names_the_signature_term_that_agreed(answerer: Answerer) -> None:
    from bot.core.explain import explain

    text = explain(answerer, "Is an officer who exposes corruption in her agency entitled to a reward?")
    line = next(line for line in text.splitlines() if line.startswith("Agreement: "))
    assert WHISTLE in line and "signature term 'corruption'" in line


# -- the array build against the plain reading, on the shipped knowledge ------------------------------------------


def _plain_terms(matcher: Matcher) -> dict[tuple[str, ...], tuple[tuple[str, ...], tuple[int, ...]]]:
    """The terms as the rules in bot.core.signature_terms read, one text and one run at a time with Python tuples
    and Counters (how they were first built): the array build must find exactly these."""
    from collections import Counter
    from itertools import pairwise

    from bot.core.signature_terms import LONGEST, MIN_TEXTS, OWN_SHARE, _function_word, singular

    content, normalize = matcher.content, matcher.normalize
    texts, corpus = [], []
    for entry in matcher.entries:
        vietnamese = [content(normalize(t)) for t in dict.fromkeys([entry.question_vi, *entry.phrasings_vi])]
        english = [entry.question_en or "", *entry.phrasings_en]
        texts.append(vietnamese + [content(normalize(t), True) for t in dict.fromkeys(english) if t])
        corpus += [folded for _, folded in vietnamese]
    corpus += [content(normalize.joined([e.answer_vi, e.question_vi, *e.keywords]))[1] for e in matcher.entries]
    pairs: Counter[tuple[str, str]] = Counter()
    syllables: set[str] = set()
    for words in corpus:
        pairs.update(pairwise(words))
        syllables.update(words)
    said_in, spelling, said = [], {}, Counter()
    for entry_texts in texts:
        counts: Counter[tuple[str, ...]] = Counter()
        for accented, folded in entry_texts:
            words, breaks, found = [singular(w) for w in folded], matcher._generic_positions(folded), {}
            pieces = enumerate(zip(accented, folded, strict=True))
            held = [i not in breaks and not _function_word(a, f) for i, (a, f) in pieces]
            for start in range(len(words)):
                for size in range(1, LONGEST + 1):
                    end = start + size
                    if end > len(words) or not held[end - 1]:
                        break
                    if size == 1:
                        if folded[start] in syllables or len(words[start]) < 4:
                            continue
                    else:
                        left = pairs[(folded[start], folded[start + 1])]
                        right = pairs[(folded[end - 2], folded[end - 1])]
                        if start > 0 and pairs[(folded[start - 1], folded[start])] > left:
                            continue
                        if end < len(words) and pairs[(folded[end - 1], folded[end])] > right:
                            continue
                    found.setdefault(tuple(words[start:end]), tuple(accented[start:end]))
            for term, spelt in found.items():
                counts[term] += 1
                spelling.setdefault(term, spelt)
        said_in.append(counts)
        said.update(counts)
    named: dict[tuple[str, ...], list[int]] = {}
    for index, counts in enumerate(said_in):
        if matcher.entries[index].award_id:
            continue
        for term, count in counts.items():
            exclusive = count == said[term] and len(term) > 1
            if (count >= MIN_TEXTS and count >= OWN_SHARE * said[term]) or exclusive:
                named.setdefault(term, []).append(index)
    return {term: (spelling[term], tuple(ids)) for term, ids in sorted(named.items())}


def test_the_array_build_finds_the_terms_the_plain_reading_does(matcher: Matcher) -> None:
    plain = _plain_terms(matcher)
    assert len(plain) > 1000  # the shipped knowledge's entries have many
    assert matcher.signatures.terms == plain
    # Built afresh (not from a compiled index), too.
    assert Matcher(matcher.knowledge).signatures.terms == plain
