"""A first visit to a Chinese or Japanese portal page weighs ≤ 500 KB with its images, in a
real Chromium (issue 12). WHY a browser: the cost is decided by what the browser fetches —
which frequency-ordered `unicode-range` slices of the CJK fonts the page's characters fall in
(scripts/portal_fonts.py) — so it is measured, not computed. A size, not a timing: the same
page downloads the same bytes however busy the machine is. `ttdn bench portal-weight`
prints the same measure for every page type and language."""

from __future__ import annotations

from typing import Any

import pytest

from ttdn.accounts.services import organisations_load
from ttdn.benchmarks.portal_weight import TARGET_BYTES, first_visit, portal_paths
from ttdn.portal.demo import portal_demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [("zh-hans", "article", "Portal SC"), ("ja", "article", "Portal JP"),
         ("zh-hans", "home", "Portal SC"), ("ja", "topic_index", "Portal JP")]  # fmt: skip


@pytest.mark.parametrize(("language", "kind", "family"), CASES)
def test_cjk_first_visit_weighs_at_most_500_kb(
    live_server: Any, browser: Any, language: str, kind: str, family: str
) -> None:
    organisations_load()
    portal_demo_load(all_languages=True)
    path = portal_paths((language,))[language][kind]
    assert path, f"the demo has no {kind} in {language}"
    result = first_visit(browser, f"{live_server.url}{path}")
    assert result["status"] == 200
    # the page really drew its text in our font, from a few of its slices, not all of them
    assert family in result["loaded_families"], {k: v for k, v in result.items() if k != "by_type"}
    slices = [f for f in result["fonts"] if f.startswith("NotoSansCJK")]
    assert 1 <= len(slices) <= 40, result["fonts"]
    assert result["bytes"] <= TARGET_BYTES, (
        f"{language} {kind}: {result['bytes']} bytes on a first visit: {result['by_type']}"
    )
