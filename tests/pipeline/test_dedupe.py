from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.pipeline import dedupe

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dedupe" / "pairs.jsonl"
PAIRS = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['a']['id']}~{p['b']['id']}" for p in PAIRS])
def test_real_pairs_get_the_expected_verdict(pair: dict[str, dict[str, str]]) -> None:
    index = dedupe.DedupeIndex()
    first = dedupe.check(index, report_id=pair["a"]["id"], text=pair["a"]["text"])
    second = dedupe.check(index, report_id=pair["b"]["id"], text=pair["b"]["text"])
    assert first.status == "new"
    assert second.status == pair["expected"], pair["why"]
    if pair["expected"] == "duplicate":
        assert second.duplicate_of == pair["a"]["id"]
        assert str(second) == f"duplicate of {pair['a']['id']}"
    else:
        assert str(second) == "new"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.Example.com/news/a/?utm_source=x&id=3#top", "http://example.com/news/a?id=3"),
        ("https://example.com:443/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?fbclid=abc", "https://example.com/a"),
    ],
)
def test_canonical_url_folds_variants_of_one_address(a: str, b: str) -> None:
    assert dedupe.canonical_url(a) == dedupe.canonical_url(b)


def test_canonical_url_keeps_what_identifies_the_page() -> None:
    assert dedupe.canonical_url("https://e.com/a?id=3") != dedupe.canonical_url(
        "https://e.com/a?id=4"
    )
    assert dedupe.canonical_url("https://e.com/a") != dedupe.canonical_url("https://e.com/b")
    assert dedupe.canonical_url("https://e.com:8080/a") != dedupe.canonical_url("https://e.com/a")


def test_same_url_is_a_duplicate_whatever_the_text() -> None:
    index = dedupe.DedupeIndex()
    dedupe.check(index, report_id="r1", url="https://e.com/x?utm_medium=rss", text="one text")
    result = dedupe.check(index, report_id="r2", url="http://www.e.com/x/", text="other text")
    assert (result.status, result.duplicate_of, result.reason) == ("duplicate", "r1", "url")


def test_vietnamese_in_either_unicode_form_is_one_text() -> None:
    text = PAIRS[0]["a"]["text"] + " Hà Nội, Thừa Thiên Huế, Đà Nẵng và Quảng Ngãi."
    index = dedupe.DedupeIndex()
    dedupe.check(index, report_id="nfc", text=unicodedata.normalize("NFC", text))
    result = dedupe.check(index, report_id="nfd", text=unicodedata.normalize("NFD", text))
    assert result.duplicate_of == "nfc"


def test_index_survives_a_round_trip_through_json() -> None:
    index = dedupe.DedupeIndex()
    for pair in PAIRS[:3]:
        dedupe.check(index, report_id=pair["a"]["id"], text=pair["a"]["text"], time=100.0)
    restored = dedupe.DedupeIndex.from_dict(json.loads(json.dumps(index.to_dict())))
    for pair in PAIRS[:3]:
        left = dedupe.check(index, report_id="probe", text=pair["b"]["text"])
        right = dedupe.check(restored, report_id="probe", text=pair["b"]["text"])
        assert left == right


def test_prune_forgets_old_entries_only() -> None:
    index = dedupe.DedupeIndex()
    a, b = PAIRS[0]["a"], PAIRS[1]["a"]
    dedupe.check(index, report_id="old", text=a["text"], url="https://e.com/old", time=10.0)
    dedupe.check(index, report_id="recent", text=b["text"], time=1000.0)
    assert dedupe.prune(index, before=500.0) == 2  # one fingerprint, one URL
    assert dedupe.check(index, report_id="again", text=a["text"]).status == "new"
    assert dedupe.check(index, report_id="copy", text=b["text"]).duplicate_of == "recent"


_VOCAB = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau"]  # fmt: skip
_WORDS = st.lists(st.sampled_from(_VOCAB), min_size=30, max_size=120)


@settings(max_examples=40, deadline=None)
@given(_WORDS)
def test_a_text_is_a_duplicate_of_its_own_copy(words: list[str]) -> None:
    text = " ".join(words)
    index = dedupe.DedupeIndex()
    dedupe.check(index, report_id="a", text=text)
    result = dedupe.check(index, report_id="b", text=text.upper() + " ")
    if dedupe.shingle_hashes(text).size >= dedupe.MIN_SHINGLES:
        assert result.duplicate_of == "a"


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_minhash_is_deterministic_and_fixed_length(text: str) -> None:
    first = dedupe.minhash(dedupe.shingle_hashes(text))
    second = dedupe.minhash(dedupe.shingle_hashes(text))
    assert first.shape == (dedupe.NUM_PERM,)
    assert (first == second).all()
