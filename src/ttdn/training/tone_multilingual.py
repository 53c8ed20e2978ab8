"""The multilingual tone model `tone_xx.npz`: tone in every language the monitor shows that
has no model of its own (fr, es, de, zh, ru, ja, ko, it, pt, th, id, …), through the
multilingual encoder. Part of `ttdn train tone` (`--lang xx`: only this file).

Data (only ../shared/data):
- RuSentNE-2023 (`rusentne_ru_targeted_sentiment/train.jsonl`, Russian news sentences, tone
  toward a marked entity), minus a held-out fifth chosen by a hash of the sentence
  (`rusentne_is_heldout`: one sentence's entities stay together);
- NewsMTSC train (English, tone toward a marked mention): the sentences whose hash puts them
  in `EN_SHARE` of the file (a sample keeps the embedding cost of a rebuild near 15 minutes
  on two cores; the English model keeps its own file trained on all of it);
- DANeS training part (Vietnamese passages, article tone), for the "text" head.

Heads (same views as the English and Vietnamese files, so `tone.score` needs nothing new):
- "target": e5 vectors of the sentence holding the target and of a ±8-word window around it,
  multinomial logistic regression, balanced class weights (neutral is 72 % of RuSentNE);
- "text": passage + lead vectors (article tone where no target is asked for).

Transfer check (`transfer` in the report): the same "target" head trained WITHOUT the Russian
rows (English only) and scored on the Russian held-out fifth, beside the head trained with
them. The Russian scores say what the encoder carries into a language with no labelled data
(the without-Russian figure) and what labelled data in the language adds (the with-Russian
one). Confidence: the expected calibration error (10 bins of the top probability) on the
same held-out rows is reported with each, so "confidence" is checked, not assumed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ttdn.evaluation import tone as tone_eval
from ttdn.evaluation.tone_data import DANES_FILE, NEWSMTSC_DIR, danes_rows, newsmtsc_rows
from ttdn.pipeline import tone

FloatArray = npt.NDArray[np.float32]

RUSENTNE_FILE = Path("rusentne_ru_targeted_sentiment") / "train.jsonl"
EN_SHARE = 0.3  # of NewsMTSC train sentences
XX_C = 1.0
XX_CLASS_WEIGHT = "balanced"


def _bucket(text: str) -> int:
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return int(digest, 16) % 100


def rusentne_is_heldout(sentence: str) -> bool:
    """The fifth of RuSentNE sentences kept out of training (all entities of a sentence)."""
    return _bucket(sentence) < 20


def rusentne_rows(path: Path, part: str) -> list[dict[str, object]]:
    """RuSentNE rows of `part` ("heldout" or "train"), in the tone-evaluation row format."""
    rows = []
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        r = json.loads(line)
        held = rusentne_is_heldout(r["text"])
        if (part == "heldout") != held:
            continue
        span = {"from": int(r["target"]["from"]), "to": int(r["target"]["to"])}
        rows.append({"text": r["text"], "label": r["label"], "lang": "ru", "target": span})
    return rows


def _span(row: dict[str, object]) -> tuple[int, int]:
    target = row["target"]
    assert isinstance(target, dict)
    return int(target["from"]), int(target["to"])


def _target_matrix(rows: Sequence[dict[str, object]], embed: tone.Embedder) -> FloatArray:
    views = [tone.target_views(str(r["text"]), _span(r)) for r in rows]
    return np.hstack([embed([v["sentence"] for v in views]), embed([v["window"] for v in views])])


def calibration_error(probs: FloatArray, gold: Sequence[str], bins: int = 10) -> float:
    """Expected calibration error of the top probability (the shown confidence)."""
    top = probs.max(axis=1)
    right = np.array([tone.LABELS[i] == g for i, g in zip(probs.argmax(axis=1), gold, strict=True)])
    error = 0.0
    for b in range(bins):
        inside = (top > b / bins) & (top <= (b + 1) / bins)
        if inside.any():
            error += inside.mean() * abs(float(top[inside].mean()) - float(right[inside].mean()))
    return round(error, 4)


def _score(head: tone.ToneHead, X: FloatArray, gold: Sequence[str]) -> dict[str, object]:
    probs = head.probabilities(X)
    pred = [tone.LABELS[i] for i in probs.argmax(axis=1)]
    m = tone_eval.metrics(list(gold), pred)
    pos_neg = [m["per_class"][k] for k in ("negative", "positive")]  # type: ignore[index]
    return {**m, "macro_f1_pos_neg": round(sum(pos_neg) / 2, 4),
            "ece": calibration_error(probs, gold), "mean_confidence": round(float(
                probs.max(axis=1).mean()), 4)}  # fmt: skip


def train(
    data: Path, out_dir: Path, embed: tone.Embedder, fit, write_model, common: dict[str, object]
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Fit and write tone_xx.npz; returns the report (`fit`/`write_model` from training.tone)."""
    en_all = newsmtsc_rows(data / NEWSMTSC_DIR / "train.jsonl")
    en = [r for r in en_all if _bucket(str(r["text"])) < EN_SHARE * 100]
    ru_train = rusentne_rows(data / RUSENTNE_FILE, "train")
    ru_held = rusentne_rows(data / RUSENTNE_FILE, "heldout")
    X_en, X_ru, X_held = (_target_matrix(en, embed), _target_matrix(ru_train, embed),
                          _target_matrix(ru_held, embed))  # fmt: skip
    y_en = [str(r["label"]) for r in en]
    y_ru = [str(r["label"]) for r in ru_train]
    y_held = [str(r["label"]) for r in ru_held]
    report: dict[str, object] = {"rows": {"en": len(en), "ru_train": len(ru_train),
                                          "ru_heldout": len(ru_held)}}  # fmt: skip

    views = ("sentence", "window")
    coef, intercept = fit(X_en, y_en, XX_C, XX_CLASS_WEIGHT)
    without_ru = _score(tone.ToneHead(views, coef, intercept), X_held, y_held)
    coef, intercept = fit(np.vstack([X_en, X_ru]), y_en + y_ru, XX_C, XX_CLASS_WEIGHT)
    target_head = tone.ToneHead(views, coef, intercept)
    report["transfer"] = {
        "ru_heldout_trained_without_russian": without_ru,
        "ru_heldout_trained_with_russian": _score(target_head, X_held, y_held),
    }
    heads: dict[str, dict[str, object]] = {
        "target": {"views": list(views), "coef": coef, "intercept": intercept, "C": XX_C,
                   "class_weight": XX_CLASS_WEIGHT, "items": len(y_en) + len(y_ru)},
    }  # fmt: skip

    # "text": DANeS training passages (vi) + the sampled English and Russian sentences
    vi_rows = danes_rows(data / DANES_FILE, "train")
    texts, leads, labels = [], [], []
    for row in vi_rows:
        for unit in tone.units_for(str(row["text"])):
            texts.append(unit)
            leads.append(tone.lead_of(str(row["text"])))
            labels.append(str(row["label"]))
    for row in en + ru_train:
        sentence = " ".join(str(row["text"]).split())
        texts.append(sentence)
        leads.append(sentence)
        labels.append(str(row["label"]))
    X_text = np.hstack([embed(texts), embed(leads)])
    coef, intercept = fit(X_text, labels, XX_C, XX_CLASS_WEIGHT)
    heads["text"] = {"views": ["text", "lead"], "coef": coef, "intercept": intercept,
                     "C": XX_C, "class_weight": XX_CLASS_WEIGHT, "items": len(labels)}  # fmt: skip
    sources = {
        "rusentne_train": str(RUSENTNE_FILE), "newsmtsc_train": str(NEWSMTSC_DIR / "train.jsonl"),
        "danes": str(DANES_FILE),
        "heldout": "rusentne_is_heldout(sentence): sha1(sentence) % 100 < 20",
        "english_sample": f"sha1(sentence) % 100 < {int(EN_SHARE * 100)}",
    }  # fmt: skip
    write_model(out_dir / "tone_xx.npz", "xx", heads,
                {**common, "sources": sources, "transfer": report["transfer"],
                 "languages": list(tone.MULTILINGUAL)})  # fmt: skip
    return report
