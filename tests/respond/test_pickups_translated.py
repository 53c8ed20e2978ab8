"""Pickups of a published answer in translation (issue 11, "pickups of the answer by
outlets"): a French report that republishes the English fact-check in French counts, by the
portal's cross-language rule (`ttdn.pipeline.crosslingual`, shared); a French report on the
same incident that names the same ships, places and figures but republishes nothing does not;
a report in the answer's own language is left to the word-for-word test. The real bundled
multilingual-e5-small model embeds them (nothing is downloaded)."""

from __future__ import annotations

import pytest

from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.pipeline import crosslingual
from ttdn.respond import selectors, services, subscribers, translated
from ttdn.respond.models import AnswerPickup, Case, CaseStatus, PickupKind

pytestmark = pytest.mark.django_db

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
ANSWER_EN = (
    "<p>The claim that the Indian Navy captured 23 pirates in the Gulf of Aden is false.</p>"
    "<p>In its statement of 14 December 2026, the Indian Navy said that the frigate INS Tabar "
    "stopped one skiff near Socotra and detained nine men.</p>"
    "<p>The nine men were handed over to the authorities of Djibouti on 16 December.</p>"
    "<p>No other ship of the Indian Navy took part in the operation, according to its "
    "command in Mumbai.</p>"
)
ANSWER_VI = (
    "<p>Thông tin cho rằng Hải quân Ấn Độ bắt 23 cướp biển ở vịnh Aden là sai.</p>"
    "<p>Trong thông cáo ngày 14 tháng 12 năm 2026, Hải quân Ấn Độ cho biết tàu khu trục "
    "INS Tabar đã chặn một xuồng gần Socotra và bắt giữ chín người.</p>"
    "<p>Chín người này đã được bàn giao cho chính quyền Djibouti ngày 16 tháng 12.</p>"
    "<p>Không có tàu nào khác của Hải quân Ấn Độ tham gia chiến dịch, theo bộ chỉ huy ở "
    "Mumbai.</p>"
)
# a French outlet's own translation of the English answer (not ours)
TRANSLATED = (
    "Piraterie : ce que la Marine indienne a vraiment dit",
    "Selon un site officiel vietnamien, l'affirmation selon laquelle la Marine indienne "
    "aurait capturé 23 pirates dans le golfe d'Aden est fausse. Dans son communiqué du 14 "
    "décembre 2026, la Marine indienne a indiqué que la frégate INS Tabar avait arrêté un "
    "esquif près de Socotra et détenu neuf hommes. Les neuf hommes ont été remis aux autorités "
    "de Djibouti le 16 décembre. Aucun autre navire de la Marine indienne n'a participé à "
    "l'opération, selon son commandement de Mumbai.",
)
# same incident, same names and numbers, nothing of the answer republished
SAME_TOPIC = (
    "Golfe d'Aden : les assureurs s'inquiètent",
    "Les primes d'assurance des navires qui traversent le golfe d'Aden ont augmenté de 23 % "
    "depuis le 14 décembre 2026. Les armateurs de Djibouti et de Mumbai demandent davantage "
    "d'escortes près de Socotra. La frégate INS Tabar poursuit ses patrouilles dans la région, "
    "selon des courtiers de Londres, qui attendent le 16 décembre pour revoir leurs tarifs.",
)

# the same in Russian: the names in Cyrillic, but the numbers and the ship's Latin name are
# anchors, so the anchored rule applies (0.907 against 0.844 for the same-topic report)
TRANSLATED_RU = (
    "Что на самом деле сказали ВМС Индии",
    "Утверждение о том, что ВМС Индии захватили 23 пирата в Аденском заливе, ложно. В "
    "заявлении от 14 декабря 2026 года ВМС Индии сообщили, что фрегат INS Tabar остановил одну "
    "лодку у острова Сокотра и задержал девять человек. Девять человек были переданы властям "
    "Джибути 16 декабря. Ни один другой корабль ВМС Индии не участвовал в операции, сообщило "
    "командование в Мумбаи.",
)
SAME_TOPIC_RU = (
    "Страховщики и Аденский залив",
    "Страховые взносы для судов, проходящих Аденский залив, выросли на 23 % с 14 декабря 2026 "
    "года. Судовладельцы из Джибути и Мумбаи просят больше конвоев у Сокотры. Фрегат INS Tabar "
    "продолжает патрулирование в регионе, сообщают брокеры в Лондоне, которые ждут 16 декабря, "
    "чтобы пересмотреть тарифы.",
)


@pytest.fixture
def e5(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_EMBEDDER", "e5")  # the real multilingual model


def _published(organisations) -> Case:  # type: ignore[no-untyped-def]
    lam_dong = organisations["lam-dong"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    claim = services.claim_create(user=author, organisation=lam_dong, text=CLAIM)
    case = services.case_create(
        user=author, organisation=lam_dong, title="Cướp biển", claims=[claim], severity="high"
    )
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for lang, title, body in (
        ("vi", "Hải quân Ấn Độ nói gì về chiến dịch ở vịnh Aden", ANSWER_VI),
        ("en", "What the Indian Navy said about the Gulf of Aden operation", ANSWER_EN),
    ):
        answer = services.answer_save(user=author, case=case, language=lang, title=title, body=body)
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    services.rating_set(user=author, case=case, claim=claim, rating="false")
    return services.case_publish(user=approver, case=case)


def test_a_translation_is_a_pickup_a_same_topic_report_is_not(organisations, e5) -> None:  # type: ignore[no-untyped-def]
    case = _published(organisations)
    republished = ReportFactory(language="fr", title=TRANSLATED[0], text=TRANSLATED[1])
    same_topic = ReportFactory(language="fr", title=SAME_TOPIC[0], text=SAME_TOPIC[1])
    english = ReportFactory(language="en", title="Navy statement", text=SAME_TOPIC[1])

    for report in (republished, same_topic, english):
        subscribers.record_translated_pickups({"report_id": report.pk})
    pickups = {p.report_id: p for p in AnswerPickup.objects.filter(case=case)}
    assert set(pickups) == {republished.pk}, pickups
    assert pickups[republished.pk].kind == PickupKind.TRANSLATION
    assert pickups[republished.pk].score >= crosslingual.ANCHORED_COSINE

    # a repeated delivery adds nothing; the follow-up counts the translation once
    subscribers.record_translated_pickups({"report_id": republished.pk})
    assert AnswerPickup.objects.filter(case=case).count() == 1
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    rows = {r["case"].pk: r for r in selectors.followup(user=officer)["rows"]}
    assert rows[case.pk]["pickups"] == 1
    assert list(selectors.case_pickup_list(case)) == [republished]


def test_nothing_published_nothing_loaded_and_unpublished_answers_do_not_count(  # type: ignore[no-untyped-def]
    organisations, e5
) -> None:
    report = ReportFactory(language="fr", title=TRANSLATED[0], text=TRANSLATED[1])
    assert translated.pickups_translated_record(report.pk) == []
    assert translated.pickups_translated_record(report.pk + 1000) == []  # no such report
    assert not AnswerPickup.objects.exists()


def test_the_scores_behind_the_decision(organisations, e5) -> None:  # type: ignore[no-untyped-def]
    """The translation scores above the anchored threshold, the same-topic report below it,
    both having the anchors to be compared at all (so the negative is a real test)."""
    case = _published(organisations)
    anchors = translated._anchors(case.pk, list(case.answers.all()))
    for text in (TRANSLATED, SAME_TOPIC):
        words = crosslingual.tokens("\n".join(text))
        assert len(anchors & words) >= crosslingual.MIN_SHARED_ANCHORS, anchors & words


def test_a_russian_translation_is_a_pickup_a_russian_same_topic_report_is_not(  # type: ignore[no-untyped-def]
    organisations, e5
) -> None:
    case = _published(organisations)
    republished = ReportFactory(language="ru", title=TRANSLATED_RU[0], text=TRANSLATED_RU[1])
    same_topic = ReportFactory(language="ru", title=SAME_TOPIC_RU[0], text=SAME_TOPIC_RU[1])
    for report in (republished, same_topic):
        subscribers.record_translated_pickups({"report_id": report.pk})
    pickups = {p.report_id: p for p in AnswerPickup.objects.filter(case=case)}
    assert set(pickups) == {republished.pk}, pickups
    assert pickups[republished.pk].kind == PickupKind.TRANSLATION
