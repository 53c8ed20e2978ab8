"""Rule conditions, one by one: pure matching, then the same conditions end to end."""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace
from typing import Any

import pytest

from tests.alerts.conftest import AlertRuleFactory, minutes_ago, report_with
from tests.factories import SourceFactory, StoryFactory
from ttdn.alerts.matching import BurstFacts, ReportFacts, fold_for_match, phrase_found, rule_match


def rule(**conditions: Any) -> SimpleNamespace:
    base: dict[str, Any] = {
        "keywords": [],
        "keyword_mode": "any",
        "places": [],
        "entities": [],
        "min_story_reports": None,
        "burst_window_minutes": None,
        "tone_at_most": None,
        "tone_at_least": None,
        "source_kinds": [],
        "outlet_countries": [],
        "languages": [],
        "relevant_only": True,
    }
    base.update(conditions)
    return SimpleNamespace(**base)


def facts(**overrides: Any) -> ReportFacts:
    base: dict[str, Any] = {
        "title": "Tourism rebounds in Lâm Đồng",
        "text": "Visitors return to Đà Lạt, the capital of Lâm Đồng province, officials said.",
        "place_keys": frozenset({"lam-dong", "VN"}),
        "tone_score": 0.4,
        "source_kind": "international",
        "outlet_country": "GB",
        "language": "en",
        "is_relevant": True,
    }
    base.update(overrides)
    return ReportFacts(**base)


# --- keywords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("Lam Dong", True),  # no diacritics in the rule, diacritics in the text
        ("lâm đồng", True),  # lower case with diacritics
        ("LÂM ĐỒNG", True),
        ("Da Lat", True),
        ("Đà Lạt", True),
        ("Touris", False),  # whole words only: a prefix of "Tourism" is not a match
        ("Dong province", True),  # phrase across words
        ("province officials", False),  # a comma between them: not one phrase
        ("Dong-province", True),  # hyphen or space alike
        ("", False),
    ],
)
def test_keywords_are_matched_accent_and_case_insensitively(keyword: str, expected: bool) -> None:
    result = rule_match(rule(keywords=[keyword]), facts())
    assert result.matched is expected


def test_keywords_match_decomposed_unicode_text() -> None:
    text = unicodedata.normalize("NFD", "Bão lớn đổ bộ Lâm Đồng")
    assert phrase_found("Lam Dong", fold_for_match(text))
    assert phrase_found("lâm đồng", fold_for_match(text))


def test_keyword_in_a_script_without_spaces_matches_as_substring() -> None:
    folded = fold_for_match("越南林同省旅游业复苏")
    assert phrase_found("林同", folded)


def test_keyword_mode_any_and_all() -> None:
    any_rule = rule(keywords=["Lam Dong", "typhoon"], keyword_mode="any")
    all_rule = rule(keywords=["Lam Dong", "typhoon"], keyword_mode="all")
    assert rule_match(any_rule, facts()).matched
    assert rule_match(any_rule, facts()).details["keywords"] == ["Lam Dong"]
    assert not rule_match(all_rule, facts()).matched
    both = facts(text="A typhoon hit Lâm Đồng.")
    assert rule_match(all_rule, both).matched


def test_entities_are_matched_in_the_text() -> None:
    r = rule(entities=["Nguyễn Văn A", "Tổng cục Du lịch"])
    assert not rule_match(r, facts()).matched
    hit = facts(text="Ông Nguyen Van A nói với phóng viên.")
    assert rule_match(r, hit).details["entities"] == ["Nguyễn Văn A"]


# --- places, tone, source kind, outlet country, language -----------------------------------


def test_places_match_unit_slugs_and_country_codes() -> None:
    assert rule_match(rule(places=["lam-dong"]), facts()).matched
    assert rule_match(rule(places=["ha-noi", "VN"]), facts()).details["places"] == ["VN"]
    assert not rule_match(rule(places=["ha-noi"]), facts()).matched


@pytest.mark.parametrize(
    ("at_most", "at_least", "tone", "expected"),
    [
        (-0.3, None, -0.5, True),
        (-0.3, None, -0.3, True),  # the threshold itself counts
        (-0.3, None, 0.1, False),
        (None, 0.5, 0.7, True),
        (None, 0.5, 0.2, False),
        (-0.5, 0.5, -0.8, True),  # both: either extreme
        (-0.5, 0.5, 0.9, True),
        (-0.5, 0.5, 0.0, False),
        (-0.3, None, None, False),  # no tone, no match
    ],
)
def test_tone_thresholds(
    at_most: float | None, at_least: float | None, tone: float | None, expected: bool
) -> None:
    r = rule(tone_at_most=at_most, tone_at_least=at_least)
    assert rule_match(r, facts(tone_score=tone)).matched is expected


def test_source_kind_outlet_country_and_language() -> None:
    assert rule_match(rule(source_kinds=["international"]), facts()).matched
    assert not rule_match(rule(source_kinds=["domestic", "own"]), facts()).matched
    assert rule_match(rule(outlet_countries=["gb", "US"]), facts()).details == {
        "outlet_country": "GB"
    }
    assert not rule_match(rule(outlet_countries=["US"]), facts()).matched
    assert rule_match(rule(languages=["en"]), facts(language="en-GB")).matched
    assert not rule_match(rule(languages=["fr", "zh"]), facts()).matched


def test_all_conditions_must_hold() -> None:
    r = rule(keywords=["Lam Dong"], outlet_countries=["US"])
    assert not rule_match(r, facts()).matched
    assert rule_match(r, facts(outlet_country="US")).matched


def test_irrelevant_reports_and_empty_rules_never_match() -> None:
    assert not rule_match(rule(keywords=["Lam Dong"]), facts(is_relevant=False)).matched
    r = rule(keywords=["Lam Dong"], relevant_only=False)
    assert rule_match(r, facts(is_relevant=False)).matched
    assert not rule_match(rule(), facts()).matched


def test_burst_condition_and_newly_fired() -> None:
    r = rule(min_story_reports=3, burst_window_minutes=60)
    calls: list[int | None] = []

    def lookup(now: int, before: int):  # type: ignore[no-untyped-def]
        def inner(window: int | None) -> BurstFacts:
            calls.append(window)
            return BurstFacts(count_now=now, count_before=before)

        return inner

    assert not rule_match(r, facts(), lookup(2, 1)).matched
    fired = rule_match(r, facts(), lookup(3, 2))
    assert fired.matched and fired.burst_newly_fired
    assert fired.details["burst"] == {"reports": 3, "min_reports": 3, "window_minutes": 60}
    still = rule_match(r, facts(), lookup(4, 3))
    assert still.matched and not still.burst_newly_fired
    assert set(calls) == {60}
    # the burst lookup (a query) is not made when a cheaper condition already failed
    calls.clear()
    gated = rule(min_story_reports=3, keywords=["typhoon"])
    assert not rule_match(gated, facts(), lookup(9, 0)).matched
    assert calls == []


# --- the same conditions end to end, on stored reports -------------------------------------


@pytest.mark.django_db
def test_stored_report_matches_keyword_place_tone_kind_country(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    org = organisations["lam-dong"]
    source = SourceFactory(country="US", kind="international", name="Daily Planet")
    keyword = AlertRuleFactory(organisation=org, keywords=["Lam Dong"])
    place = AlertRuleFactory(organisation=org, keywords=[], places=["lam-dong"])
    tone = AlertRuleFactory(organisation=org, keywords=[], tone_at_most=-0.3)
    kind = AlertRuleFactory(organisation=org, keywords=[], source_kinds=["domestic"])
    country = AlertRuleFactory(organisation=org, keywords=[], outlet_countries=["US"])
    other_place = AlertRuleFactory(organisation=org, keywords=[], places=["ha-noi"])
    report = report_with(
        places=(("unit", "lam-dong"), ("country", "VN")),
        source=source,
        title="Landslide in Lâm Đồng",
        text="Heavy rain caused a landslide near Đà Lạt.",
        tone_score=-0.6,
    )
    alerts = evaluate(report)
    rules = {a.rule_id for a in alerts}
    assert rules == {keyword.pk, place.pk, tone.pk, country.pk}
    assert kind.pk not in rules and other_place.pk not in rules
    by_rule = {a.rule_id: a for a in alerts}
    assert by_rule[keyword.pk].matched == {"keywords": ["Lam Dong"]}
    assert by_rule[place.pk].matched == {"places": ["lam-dong"]}
    assert by_rule[tone.pk].matched == {"tone": -0.6}
    assert by_rule[country.pk].matched == {"outlet_country": "US"}


@pytest.mark.django_db
def test_stored_burst_fires_once_then_newly_fires_again(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    rule_ = AlertRuleFactory(
        organisation=organisations["lam-dong"],
        keywords=[],
        min_story_reports=3,
        burst_window_minutes=60,
        cooldown_minutes=24 * 60,
    )
    story = StoryFactory(first_seen_at=minutes_ago(300), last_seen_at=minutes_ago(300))
    # a slow start: two reports three hours apart never make three in an hour
    assert evaluate(report_with(story=story, published_at=minutes_ago(300))) == []
    assert evaluate(report_with(story=story, published_at=minutes_ago(200))) == []
    assert evaluate(report_with(story=story, published_at=minutes_ago(190))) == []
    # three within an hour: the burst fires
    fired = evaluate(report_with(story=story, published_at=minutes_ago(180)))
    assert len(fired) == 1 and fired[0].trigger == "burst"
    assert fired[0].matched["burst"]["reports"] == 3
    # still bursting: inside the cool-down, no second alert
    assert evaluate(report_with(story=story, published_at=minutes_ago(175))) == []
    # quiet for two hours, then a new burst: fires again despite the cool-down
    assert evaluate(report_with(story=story, published_at=minutes_ago(30))) == []
    assert evaluate(report_with(story=story, published_at=minutes_ago(20))) == []
    again = evaluate(report_with(story=story, published_at=minutes_ago(10)))
    assert len(again) == 1 and again[0].trigger == "burst"
    assert rule_.alerts.count() == 2


@pytest.mark.django_db
def test_story_size_without_window_fires_when_crossing(evaluate, organisations) -> None:  # type: ignore[no-untyped-def]
    AlertRuleFactory(organisation=organisations["lam-dong"], keywords=[], min_story_reports=2)
    story = StoryFactory()
    assert evaluate(report_with(story=story)) == []
    crossed = evaluate(report_with(story=story))
    assert [a.trigger for a in crossed] == ["burst"]
    assert evaluate(report_with(story=story)) == []  # cool-down, burst not new
