"""The claim matcher on real e5 vectors: same instance vs same kind of event, across languages."""

from __future__ import annotations

import numpy as np
import pytest

from ttdn.evaluation.claims import e5_embed, roc_auc, scores_for
from ttdn.pipeline import claims

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
SAME = (
    "Indian navy foils pirate attack",
    "Indian naval commandos thwarted a hijack attempt on a merchant vessel in the Gulf of Aden "
    "on Saturday and captured 23 pirates, the navy said. The pirates were handed over to police.",
)
OTHER_INSTANCE = (
    "Indian Navy captures 26 Somali pirates",
    "An Indian warship foiled a five-boat pirate attack on merchant vessels in the Gulf of Aden "
    "on Friday, capturing 26 Somali brigands and confiscating their weapons, in November 2011.",
)
OTHER_TOPIC = (
    "Microsoft patches Internet Explorer",
    "Microsoft released an emergency security update for its Internet Explorer browser.",
)


def test_sentences_keep_the_headline_first_and_split_lines_and_punctuation() -> None:
    got = claims.split_sentences("Headline here", "One sentence. Two sentence!\nThird line")
    assert got == ["Headline here", "One sentence.", "Two sentence!", "Third line"]


def test_names_are_folded_and_cyrillic_is_transliterated() -> None:
    assert claims.fold("Việt Nam") == "viet nam"
    assert claims.fold("Дирк") == "dirk"
    assert "nichols" in claims.names("A judge sentenced Brian Nichols's accomplice.")


def test_weekdays_years_and_numbers_across_languages() -> None:
    assert claims.weekdays("hôm thứ Bảy") == claims.weekdays("on Saturday") == {5}
    assert claims.weekdays("в субботу") == {5}
    assert claims.years("in 2005 and 1999") == {"2005", "1999"}
    assert claims.numbers("35,000 and 35.000 in 2008") == {"35000"}


@pytest.fixture(scope="module")
def claim_vector() -> np.ndarray:
    return e5_embed([CLAIM], True)[0]


def _decide(
    claim: str, vector: np.ndarray, report: tuple[str, str], lang: str = "en"
) -> claims.Match:
    view = claims.report_view(report[0], report[1], "en", e5_embed)
    return claims.decide(claim, lang, vector, view)


def test_the_same_instance_scores_above_the_same_kind_with_other_particulars(
    claim_vector: np.ndarray,
) -> None:
    same = _decide(CLAIM, claim_vector, SAME)
    other = _decide(CLAIM, claim_vector, OTHER_INSTANCE)
    unrelated = _decide(CLAIM, claim_vector, OTHER_TOPIC)
    assert same.same, same
    assert "23 pirates" in same.sentence
    assert not unrelated.same, unrelated
    # the other instance's particulars disagree (26 vs 23 pirates, Friday vs Saturday) and
    # pull its score down; whether it falls below the threshold is what `ttdn eval` measures
    assert other.features["num_conflict"] == 1.0 and other.features["day_conflict"] == 1.0
    assert same.features["num_agree"] == 1.0 and same.features["day_agree"] == 1.0
    assert same.score > other.score > unrelated.score


def test_a_vietnamese_claim_finds_the_english_report() -> None:
    claim_vi = "Hải quân Ấn Độ bắt giữ 23 tên cướp biển ở vịnh Aden hôm thứ Bảy."
    vector = e5_embed([claim_vi], True)[0]
    same = _decide(claim_vi, vector, SAME, lang="vi")
    other = _decide(claim_vi, vector, OTHER_TOPIC, lang="vi")
    assert claims.is_cross("vi", "en")
    assert same.same, same
    assert not other.same, other


def test_prefilter_keeps_the_nearest_claims_above_the_floor() -> None:
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(100, 8)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    sentences = matrix[[5, 42]] * 0.999
    assert claims.prefilter(matrix, sentences, k=2, floor=0.9) in ([5, 42], [42, 5])
    assert claims.prefilter(matrix[:0], sentences) == []


def test_scores_and_auc() -> None:
    assert roc_auc([0.9, 0.1, 0.8, 0.3], [1, 0, 1, 0]) == 1.0
    assert roc_auc([0.1, 0.9], [1, 0]) == 0.0
    got = scores_for([True, False, True, True], [0.9, 0.2, 0.8, 0.7], [1, 0, 1, 0])
    assert got["accuracy"] == 0.75 and got["precision"] == round(2 / 3, 4) and got["recall"] == 1.0


def test_doc_prefilter_ranks_claims_against_the_report_vector_and_drops_far_reports() -> None:
    model = claims.Model(weights={}, bias={})  # no centring means: plain cosines
    rng = np.random.default_rng(2)
    matrix = rng.normal(size=(1000, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    near = matrix[7] * 0.9 + matrix[300] * 0.5
    near /= np.linalg.norm(near)
    kept = claims.doc_prefilter(matrix, near, floor=0.4, k=5, model=model)
    assert kept[:2] == [7, 300] and len(kept) <= 5
    far = -matrix[7]  # nothing near: no claim passes, no sentence needs embedding
    assert claims.doc_prefilter(matrix[:10], far, floor=0.99, model=model) == []
    # another embedder's vector (another dimension) is never compared with e5 claims
    assert (
        claims.doc_prefilter(matrix, np.ones(512, dtype=np.float32), floor=-1.0, model=model) == []
    )
    assert claims.doc_prefilter(matrix[:0], near, floor=-1.0) == []


def test_doc_prefilter_keeps_a_restated_claim_and_drops_another_topic_on_real_vectors() -> None:
    from ttdn.pipeline.analyse import TONE_LEAD_CHARS
    from ttdn.pipeline.embed import document_text

    claim_vi = "Hải quân Ấn Độ bắt giữ 23 tên cướp biển ở vịnh Aden hôm thứ Bảy."
    matrix = claims.center(e5_embed([CLAIM, claim_vi], True), claims.default_model().mean_query)
    same, other = (
        e5_embed([document_text(t, x, TONE_LEAD_CHARS)], False)[0] for t, x in (SAME, OTHER_TOPIC)
    )
    floor = claims.default_model().doc_floor
    assert 0.0 < floor < 0.5  # set on development data (decision 0019), not the "keep all" default
    assert sorted(claims.doc_prefilter(matrix, same)) == [0, 1]  # English and Vietnamese claim
    assert claims.doc_prefilter(matrix, other) == []


def test_names_are_compared_across_scripts_by_their_skeleton() -> None:
    assert claims.skeleton(claims.fold("Nichols")) == claims.skeleton(claims.fold("Николс"))
    assert claims.skeleton(claims.fold("Brian")) == claims.skeleton(claims.fold("Брайан"))
    assert claims.skeleton(claims.fold("Lohan")) == claims.skeleton(claims.fold("Лохан"))
    assert claims.skeleton(claims.fold("Reid")) != claims.skeleton(claims.fold("Lohan"))
    # in a Vietnamese claim, Vietnamese words are not names a foreign report repeats
    assert claims.vietnamese_syllable("nga") and claims.vietnamese_syllable("phap")
    assert not claims.vietnamese_syllable("brian") and not claims.vietnamese_syllable("aden")
    claim = "Nga nói Brian Nichols bị bắt ở Pháp."
    assert claims.portable_names(claim, vietnamese=True) == ["brian", "nichols"]
    assert "nga" in claims.portable_names(claim)


def test_a_vietnamese_claim_finds_the_russian_report_by_its_transliterated_names() -> None:
    claim_vi = "Brian Nichols bị kết án tù chung thân vì vụ xả súng tại tòa án Atlanta."
    report_ru = (
        "Брайан Николс приговорён к пожизненному заключению",
        "Суд в Атланте приговорил Брайана Николса к пожизненному заключению за стрельбу "
        "в здании суда в 2005 году.",
    )
    vector = e5_embed([claim_vi], True)[0]
    view = claims.report_view(*report_ru, "ru", e5_embed)
    values, _best = claims.features(claim_vi, vector, view, cross=True, claim_language="vi")
    assert values["rare_names"] == 1.0  # "Brian", "Nichols" found as "Брайана", "Николса"
