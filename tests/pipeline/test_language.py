"""Language identification on recorded and hand-written samples (tests/fixtures/language)."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.evaluation import language as language_eval
from ttdn.pipeline import language
from ttdn.pipeline.language import (
    DEFAULT_LANGUAGES,
    UNDETERMINED,
    LanguageGuess,
    detect,
    normalize_code,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "language"


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _case_id(row: dict[str, str]) -> str:
    return f"{row['lang']}:{row['text'][:24]}"


SAMPLES = _rows("handwritten.jsonl") + _rows("real_excerpts.jsonl")


@pytest.mark.parametrize("row", SAMPLES, ids=_case_id)
def test_detects_fixture_language(row: dict[str, str]) -> None:
    expected = row["lang"] if row["lang"] in DEFAULT_LANGUAGES else UNDETERMINED
    guess = detect(row["text"])
    assert guess.code == expected
    if expected == UNDETERMINED:
        assert guess.confidence == 0.0
    else:
        assert guess.confidence > 0.5


def test_fixtures_cover_every_required_language() -> None:
    required = {"vi", "en", "fr", "zh", "ru", "es", "de", "ja", "ko", "th", "lo", "km", "it",
                "pt", "ar", "id", "ms"}  # fmt: skip
    assert required <= {row["lang"] for row in SAMPLES}


@pytest.mark.parametrize("text", ["", "   \n\t", "12345 67,89 %", "!!! ??? ---", "ab", "🙂🙂🙂"])
def test_undecidable_text_is_und_with_zero_confidence(text: str) -> None:
    assert detect(text) == LanguageGuess(UNDETERMINED, 0.0)


def test_out_of_set_language_comes_back_when_configured() -> None:
    polish = next(r["text"] for r in SAMPLES if r["lang"] == "pl")
    assert detect(polish).code == UNDETERMINED
    assert detect(polish, languages=[*DEFAULT_LANGUAGES, "pl"]).code == "pl"


def test_restricting_languages_excludes_the_others() -> None:
    vietnamese = " ".join(r["text"] for r in SAMPLES if r["lang"] == "vi")
    assert detect(vietnamese).code == "vi"
    assert detect(vietnamese, languages=["en", "fr", "de"]).code == UNDETERMINED
    assert detect(vietnamese, languages=[]).code == UNDETERMINED


def test_short_text_outside_the_set_keeps_a_low_confidence_guess() -> None:
    headline = "Thủ tướng chủ trì cuộc họp về kinh tế"
    assert detect(headline).code == "vi"
    guess = detect(headline, languages=["en", "fr", "de"])
    assert guess.confidence < 0.2


def test_script_decides_only_among_configured_languages() -> None:
    korean = next(r["text"] for r in SAMPLES if r["lang"] == "ko")
    assert detect(korean, languages=["en", "vi"]).code == UNDETERMINED


def test_han_only_headline_follows_a_japanese_hint() -> None:
    headline = "東京五輪延期決定"  # kanji only: Chinese by script alone
    assert detect(headline).code == "zh"
    assert detect(headline, hint="ja-JP").code == "ja"


# Written for this test (no third-party text): about 1,000 characters of English, then
# about 1,000 of Spanish.
ENGLISH_LONG = (
    "The city council met on Tuesday evening to discuss the new budget for the coming year. "
    "Several members argued that the money set aside for public transport was not enough, "
    "while others said the schools needed it more. After three hours of debate the mayor "
    "proposed a compromise that would raise the bus fare slightly and use the extra income "
    "to repair the oldest school buildings in the northern districts. "
) * 3
SPANISH_LONG = (
    "El ayuntamiento se reunió el martes por la tarde para debatir el nuevo presupuesto del "
    "año que viene. Varios concejales dijeron que el dinero previsto para el transporte "
    "público no era suficiente, mientras que otros afirmaron que las escuelas lo necesitaban "
    "más. Después de tres horas de debate, la alcaldesa propuso un acuerdo que subiría un "
    "poco el billete de autobús para reparar los edificios escolares más antiguos. "
) * 3


class _Reads:
    """Wraps langid's ranker and records how many characters each call read."""

    def __init__(self) -> None:
        self.real = language._identifier()
        self.lengths: list[int] = []

    def rank(self, text: str) -> list[tuple[str, float]]:
        self.lengths.append(len(text))
        return self.real.rank(text)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> _Reads:
    spy = _Reads()
    language._model_languages()  # cached with the real ranker first
    monkeypatch.setattr(language, "_identifier", lambda: spy)
    return spy


def test_a_declared_language_that_the_start_confirms_is_read_no_further(reads: _Reads) -> None:
    guess = detect(ENGLISH_LONG, hint="en-GB")
    assert guess.code == "en" and guess.confidence > 0.5
    assert reads.lengths == [language.QUICK_CHARS]
    reads.lengths.clear()
    assert detect(ENGLISH_LONG).code == "en"  # undeclared: the whole text is read
    assert reads.lengths == [len(" ".join(ENGLISH_LONG.split()))]


def test_a_wrong_declaration_is_read_in_full_and_loses(reads: _Reads) -> None:
    assert detect(ENGLISH_LONG, hint="es").code == "en"
    assert reads.lengths[-1] > language.QUICK_CHARS
    # the start agrees with the declaration only weakly here: English first, Spanish after
    mixed = ENGLISH_LONG[:300] + SPANISH_LONG * 2
    reads.lengths.clear()
    assert detect(mixed, hint="es").code == "es"
    assert max(reads.lengths) > language.QUICK_CHARS


def test_hint_breaks_a_near_tie_but_not_clear_evidence() -> None:
    short_malay_or_indonesian = "Selamat pagi, apa kabar? Saya tinggal di sini."
    with_id = detect(short_malay_or_indonesian, hint="id")
    with_ms = detect(short_malay_or_indonesian, hint="ms")
    assert {with_id.code, with_ms.code} == {"id", "ms"}
    english = next(r["text"] for r in SAMPLES if r["lang"] == "en")
    assert detect(english, hint="fr").code == "en"
    thai = next(r["text"] for r in SAMPLES if r["lang"] == "th")
    assert detect(thai, hint="en").code == "th"


def test_mostly_english_page_quoting_japanese_is_english() -> None:
    english = next(r["text"] for r in SAMPLES if r["lang"] == "en")
    japanese = next(r["text"] for r in SAMPLES if r["lang"] == "ja")
    assert detect(f"{english} {english} 「{japanese}」").code == "en"


def test_urls_do_not_make_text_english() -> None:
    vietnamese = "Xem chi tiết tại https://www.example.com/news/article-about-the-economy-today"
    assert detect(vietnamese).code == "vi"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("vi-VN", "vi"), ("zh_Hant_TW", "zh"), ("EN", "en"), ("in", "id"), ("jp", "ja"), ("", ""),
     ("x", ""), ("123", "")],
)  # fmt: skip
def test_normalize_code(tag: str, code: str) -> None:
    assert normalize_code(tag) == code


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), hint=st.text(max_size=12))
def test_detect_never_raises_and_confidence_in_range(text: str, hint: str) -> None:
    guess = detect(text, hint)
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.code in DEFAULT_LANGUAGES | {UNDETERMINED}
    if guess.code == UNDETERMINED:
        assert guess.confidence == 0.0


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn", "Zs", "Po")),
        min_size=1,
        max_size=300,
    )
)
def test_detect_on_letter_soup_from_any_script(text: str) -> None:
    guess = detect(text, "vi")
    assert 0.0 <= guess.confidence <= 1.0


def test_evaluation_counts_accuracy_and_confusions(tmp_path: Path) -> None:
    rows = SAMPLES[:6]
    wrong = {"text": rows[0]["text"], "lang": "ko", "set": "mislabelled"}  # Thai labelled ko
    path = tmp_path / "dev.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*rows, wrong]),
        encoding="utf-8",
    )
    result = language_eval.evaluate(path)
    correct = sum(detect(r["text"]).code == r["lang"] for r in rows)
    assert result["items"] == 7
    assert result["accuracy"] == round(correct / 7, 4)
    assert result["confusions"] == {f"ko->{detect(wrong['text']).code}": 1}
    assert result["per_set"]["mislabelled"] == {"items": 1, "accuracy": 0.0}
    assert language_eval.main(Namespace(file=str(path), limit=2))["items"] == 2
