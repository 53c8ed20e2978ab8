"""Evaluate language identification: `ttdn eval language FILE [--limit N]`.

FILE is JSONL with rows `{"text", "lang"}` (optionally `"hint"`, and `"set"` to report
accuracy per subset; `ttdn.evaluation.build_language_dev` builds one from the shared data).
A row whose language is outside the detector's configured set is expected to come out "und".
Output: `{"items", "accuracy", "confusions": {"expected->got": n}, "per_set": {set:
{"items", "accuracy"}}}`, plus `"accuracy_silver"` (against the datasets' own labels) when
some rows carry a corrected label (`"silver_lang"`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ttdn.pipeline.language import DEFAULT_LANGUAGES, UNDETERMINED, detect, normalize_code


def evaluate(path: str | Path, limit: int | None = None) -> dict[str, object]:
    items = correct = silver_correct = 0
    has_silver = False
    confusions: dict[str, int] = {}
    per_set: dict[str, list[int]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            if limit is not None and items >= limit:
                break
            row = json.loads(line)
            expected = _expected(str(row["lang"]))
            got = detect(str(row["text"]), str(row.get("hint", ""))).code
            ok = got == expected
            items += 1
            correct += ok
            if "silver_lang" in row:
                has_silver = True
                silver_correct += got == _expected(str(row["silver_lang"]))
            else:
                silver_correct += ok
            if not ok:
                key = f"{expected}->{got}"
                confusions[key] = confusions.get(key, 0) + 1
            tally = per_set.setdefault(str(row.get("set", "all")), [0, 0])
            tally[0] += 1
            tally[1] += ok
    result: dict[str, object] = {
        "items": items,
        "accuracy": round(correct / items, 4) if items else 0.0,
        "confusions": dict(sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))),
        "per_set": {
            name: {"items": n, "accuracy": round(ok / n, 4)}
            for name, (n, ok) in sorted(per_set.items())
        },
    }
    if has_silver:  # accuracy against the datasets' own labels, before adjudication
        result["accuracy_silver"] = round(silver_correct / items, 4)
    return result


def _expected(lang: str) -> str:
    code = normalize_code(lang) or UNDETERMINED
    return code if code in DEFAULT_LANGUAGES else UNDETERMINED


def main(ns: argparse.Namespace) -> dict[str, object]:
    return evaluate(ns.file, limit=getattr(ns, "limit", None))
