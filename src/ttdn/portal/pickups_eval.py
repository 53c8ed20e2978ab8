"""`python -m ttdn.portal.pickups_eval tests/fixtures/portal/pickups_dev.jsonl`: how the
cross-language pickup rule (`ttdn.pipeline.crosslingual`) scores self-written reports about the
demo article.

WHY here and not under `ttdn eval`: evaluations sit below the apps in the import layers, and
this one scores with the portal's own rule and demo article. WHY an evaluation at all: the
thresholds were first set on nine cases in Latin scripts; this
set (written for this project, its source line says so) adds whole-page translations and
quotes in Chinese, Japanese, Russian, Korean and German, and the hard negatives — reports on
the same province, on the same subject elsewhere, and on the same subject in the same
province — that reuse nothing of the page. Each case is scored as the portal scores a stored
report: anchored (shares `MIN_SHARED_ANCHORS` of the page's names) → two-best-sentence score
against `ANCHORED_COSINE`; else whole-text prefilter then coverage against
`UNANCHORED_COVERAGE`. Two settings: the article with its 11 language versions (the demo) and
with vi/en/fr only (a page that has few translations): a page's score depends on them.

Prints JSON: per setting and path, the pickups' and non-pickups' scores, the margin between the
lowest pickup and the highest non-pickup (translations only where quotes are out of reach),
and every case's score and decision.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ttdn.pipeline import crosslingual as X

SETTINGS = {"11 versions": None, "vi/en/fr versions": ("vi", "en", "fr")}


def article_versions() -> dict[str, str]:
    """The demo article's text in each of its languages (title, summary, body)."""
    from ttdn.portal.demo_content import ARTICLE
    from ttdn.portal.demo_languages import EXTRA

    fields = {**ARTICLE, **{lang: extra["article"] for lang, extra in EXTRA.items()}}
    return {lang: "\n".join([f["title"], f["summary"], *f["body"]]) for lang, f in fields.items()}


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a JSON-lines file; its first line names the source, not a case."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    cases = [row for row in lines if "text" in row]
    for row in cases:
        if not {"language", "kind", "pickup", "text"} <= row.keys():
            raise ValueError(f"{path}: a case needs language, kind, pickup and text: {row}")
    return cases


class Scorer:
    """Scores reports against the demo article with one embedder (vectors made once)."""

    def __init__(self, embed: Callable[[list[str]], Any]) -> None:
        self.embed = embed
        self.versions = article_versions()
        self.anchors = X.page_anchors(list(self.versions.values()))
        self.rows = {lang: np.asarray(embed(X.sentences(t))) for lang, t in self.versions.items()}
        self.leads = {lang: np.asarray(embed([t]))[0] for lang, t in self.versions.items()}

    def score(self, case: dict[str, Any], only: tuple[str, ...] | None = None) -> dict[str, Any]:
        others = [
            lang
            for lang in self.versions
            if lang != case["language"] and (only is None or lang in only)
        ]
        text = case["text"]
        shared = X.tokens(text) & self.anchors

        def report_rows() -> Any:
            return np.asarray(self.embed(X.sentences(text)[: X.MAX_REPORT_SENTENCES]))

        if len(shared) >= X.MIN_SHARED_ANCHORS:
            value = X.page_score(report_rows(), [self.rows[lang] for lang in others])
            path, threshold = "anchored", X.ANCHORED_COSINE
        else:
            lead = np.asarray(self.embed([text]))[0]
            versions = [(self.leads[lang], self.rows[lang]) for lang in others]
            value = X.unanchored_score(lead, report_rows, versions)
            path, threshold = "unanchored", X.UNANCHORED_COVERAGE
        return {"path": path, "score": round(value, 4), "recognised": value >= threshold}


def main(ns: argparse.Namespace) -> dict[str, Any]:
    """Scores every case of `ns.file` in both settings (see the module doc)."""
    from ttdn.pipeline.embed import E5Embedder

    cases = load_cases(Path(ns.file))
    scorer = Scorer(E5Embedder().embed)
    out: dict[str, Any] = {
        "thresholds": {
            "anchored": X.ANCHORED_COSINE,
            "unanchored_coverage": X.UNANCHORED_COVERAGE,
            "lead_prefilter": X.LEAD_PREFILTER,
        },
        "cases": len(cases),
    }
    for setting, only in SETTINGS.items():
        scored = [{**c, **scorer.score(c, only)} for c in cases]
        summary: dict[str, Any] = {}
        for path in ("anchored", "unanchored"):
            rows = [r for r in scored if r["path"] == path]
            positives = [r["score"] for r in rows if r["pickup"]]
            translations = [r["score"] for r in rows if r["pickup"] and r["kind"] == "translation"]
            negatives = [r["score"] for r in rows if not r["pickup"]]
            summary[path] = {
                "pickups": sorted(positives),
                "non_pickups": sorted(negatives),
                "margin": round(min(positives) - max(negatives), 4)
                if positives and negatives
                else None,
                "margin_translations": round(min(translations) - max(negatives), 4)
                if translations and negatives
                else None,
            }
        errors = [r for r in scored if r["recognised"] != r["pickup"]]
        out[setting] = {
            **summary,
            "errors": [f"{r['language']} {r['kind']} ({r['score']})" for r in errors],
            "cases": [
                {k: r[k] for k in ("language", "kind", "pickup", "path", "score", "recognised")}
                for r in scored
            ],
        }
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    print(json.dumps(main(parser.parse_args()), ensure_ascii=False, indent=1))
