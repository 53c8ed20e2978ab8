"""The re-appearance matcher reads the report's stored document vector first: a report whose
vector is far from every open claim gets no sentence-level matching (and no appearance), one
near a claim is matched sentence by sentence; a report stored without a vector (or with another
embedder's) gets one made from its lead."""

from __future__ import annotations

import numpy as np
import pytest

from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.monitor.analysis import embedding_to_bytes
from ttdn.pipeline import claims as matcher
from ttdn.respond import matching, services
from ttdn.respond.models import ClaimAppearance

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
RESTATED = (
    "Indian navy foils pirate attack",
    "Indian naval commandos thwarted a hijack attempt on a merchant vessel in the Gulf of Aden "
    "on Saturday and captured 23 pirates, the navy said.",
)
UNRELATED = (
    "Microsoft patches Internet Explorer",
    "Microsoft released an emergency security update for its Internet Explorer browser.",
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(organisations):  # type: ignore[no-untyped-def]
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    return services.claim_create(user=officer, organisation=organisations["lam-dong"], text=CLAIM)


def test_the_stored_document_vector_decides_whether_sentences_are_matched(claim) -> None:  # type: ignore[no-untyped-def]
    index = matching.claim_index()
    assert index.centered.shape == index.matrix.shape == (1, 384)
    own = matching.lead_vector(*RESTATED)
    far = matching.lead_vector(*UNRELATED)
    # the same report text: stored with a vector of another topic, the prefilter stops it
    stopped = ReportFactory(title=RESTATED[0], text=RESTATED[1], embedding=embedding_to_bytes(far))
    assert services.claims_match_report(stopped.pk) == []
    kept = ReportFactory(title=RESTATED[0], text=RESTATED[1], embedding=embedding_to_bytes(own))
    (appearance,) = services.claims_match_report(kept.pk)
    assert appearance.claim == claim and appearance.report == kept
    assert "23 pirates" in appearance.sentence
    # no stored vector, or a hashing embedder's (512 dimensions): the lead is embedded
    bare = ReportFactory(title=RESTATED[0], text=RESTATED[1], embedding=None)
    hashed = ReportFactory(
        title=RESTATED[0], text=RESTATED[1], embedding=embedding_to_bytes(np.ones(512))
    )
    assert len(services.claims_match_report(bare.pk)) == 1
    assert len(services.claims_match_report(hashed.pk)) == 1
    assert ClaimAppearance.objects.filter(claim=claim).exclude(report=None).count() == 3


def test_an_unrelated_report_is_not_matched(claim) -> None:  # type: ignore[no-untyped-def]
    report = ReportFactory(title=UNRELATED[0], text=UNRELATED[1], embedding=None)
    index = matching.claim_index()
    lead = matching.lead_vector(*UNRELATED)
    assert matcher.doc_prefilter(index.centered, lead) == []
    assert services.claims_match_report(report.pk) == []
