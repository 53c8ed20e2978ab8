"""Re-pick the clusterer's cross-lingual threshold for an e5 engine (decision 0015's procedure):

    python -m ttdn.evaluation.tune_crosslingual [SHARED] [--engine onnx]

Why a module: the threshold depends on the engine's vectors (the int8 engine's cosines sit a
little apart from the blas engine's), so whenever the default engine changes the pick has to
be made again, the same way, on the development pairs only: the cross-lingual clear pairs of
`build_pairs_dev.build(shared)` plus the hard same-crisis pairs
(`build_pairs_dev.hard_crosslingual`). Across languages `cluster.similarity` is a monotone
rescaling of the lead cosine that crosses the decision boundary exactly at
`crosslingual_threshold`, so a decision is `cosine >= t` and the grid is evaluated on cosines.

Prints JSON: per threshold of the grid the accuracy on all pairs, the hard pairs, the clear
development pairs and per language pair of the hard set; and the picks of 5 random folds
(threshold best on 4 folds, accuracy on the 5th; ties to the middle of the tied range).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.evaluation import build_pairs_dev
from ttdn.evaluation._common import shared_data_dir
from ttdn.pipeline.embed import E5Embedder, document_text

GRID = tuple(round(0.80 + 0.005 * i, 3) for i in range(15))  # 0.800 .. 0.870
FOLDS = 5
SEED = 0


def _text(side: dict[str, Any]) -> str:
    return document_text(str(side.get("title") or ""), str(side.get("text") or ""))


def pairs(shared: Path) -> list[dict[str, Any]]:
    """Cross-lingual decided pairs: {"a", "b", "same", "set", "pair"}."""
    out = []
    sets = (
        ("dev", build_pairs_dev.build(shared)),
        ("hard", build_pairs_dev.hard_crosslingual(shared)),
    )
    for name, rows in sets:
        for row in rows:
            a, b, overall = row["a"], row["b"], float(row["overall"])  # type: ignore[arg-type]
            assert isinstance(a, dict) and isinstance(b, dict)
            if a["lang"] == b["lang"] or 1.5 < overall < 3.0:
                continue
            out.append({"a": _text(a), "b": _text(b), "same": overall <= 1.5, "set": name,
                        "pair": "-".join(sorted((str(a["lang"]), str(b["lang"]))))})  # fmt: skip
    return out


def cosines(rows: list[dict[str, Any]], engine: str) -> np.ndarray:
    texts = sorted({r[k] for r in rows for k in ("a", "b")})
    vectors = E5Embedder(engine=engine).embed(texts)
    at = {t: i for i, t in enumerate(texts)}
    return np.array([float(vectors[at[r["a"]]] @ vectors[at[r["b"]]]) for r in rows])


def _accuracy(cos: np.ndarray, same: np.ndarray, t: float) -> float:
    return float(((cos >= t) == same).mean()) if len(same) else float("nan")


def _pick(cos: np.ndarray, same: np.ndarray) -> float:
    scores = [_accuracy(cos, same, t) for t in GRID]
    best = [t for t, s in zip(GRID, scores, strict=True) if s == max(scores)]
    return best[len(best) // 2]


def tune(shared: Path, engine: str) -> dict[str, Any]:
    rows = pairs(shared)
    cos = cosines(rows, engine)
    same = np.array([r["same"] for r in rows])
    hard = np.array([r["set"] == "hard" for r in rows])
    by_pair: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r["set"] == "hard":
            by_pair[r["pair"]].append(i)
    grid = {}
    for t in GRID:
        grid[str(t)] = {
            "all": round(_accuracy(cos, same, t), 4),
            "hard": round(_accuracy(cos[hard], same[hard], t), 4),
            "dev": round(_accuracy(cos[~hard], same[~hard], t), 4),
            "hard_per_pair": {
                p: round(_accuracy(cos[ix], same[ix], t), 4) for p, ix in sorted(by_pair.items())
            },
        }
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    picks = []
    for k in range(FOLDS):
        test = np.array(folds[k])
        train = np.array([i for j, f in enumerate(folds) if j != k for i in f])
        t = _pick(cos[train], same[train])
        picks.append({"threshold": t, "held_out": round(_accuracy(cos[test], same[test], t), 4)})
    return {
        "engine": engine,
        "embedder_version": E5Embedder(engine=engine).version,
        "pairs": {"all": len(rows), "hard": int(hard.sum()), "dev": int((~hard).sum())},
        "grid": grid,
        "folds": picks,
        "held_out_mean": round(float(np.mean([p["held_out"] for p in picks])), 4),
        "whole_set_pick": _pick(cos, same),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", default=None)
    parser.add_argument("--engine", default="onnx")
    ns = parser.parse_args()
    shared = Path(ns.shared) if ns.shared else shared_data_dir()
    print(json.dumps(tune(shared, ns.engine), indent=1))


if __name__ == "__main__":
    main()
