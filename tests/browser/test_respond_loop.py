"""Respond's whole loop in a real headless Chromium, in Vietnamese and in English:
story → claim (one click on the sentence) → case → answers vi + en → approval by another
user (the author's own approval refused) → publication (refused without a rating) → public
page with ClaimReview JSON-LD → a local RSS feed publishes a report restating the claim,
the pipeline stores it → the claim shows the re-appearance and its owner is notified.
Bad input on the way: hostile HTML in a note, a wrong evidence file."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, ReportFactory, StoryFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.benchmarks._site import BenchSite, serve
from ttdn.monitor.models import Report, Source
from ttdn.monitor.services import source_add, source_poll
from ttdn.respond.models import Case, Claim, ClaimAppearance, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = (
    "Viet Nam banned all rice exports from March 2024 because of the drought in the Mekong Delta."
)
RESTATED = (
    "Rice importers fear a Vietnamese export ban",
    "Importers in West Africa said on Friday that Viet Nam had banned all rice exports from "
    "March 2024 because of the drought in the Mekong Delta.\nShipping agents in Singapore "
    "reported fewer bulk carriers loading rice this week.",
    "en",
)
UI = {
    "vi": {
        "user": "Tên đăng nhập", "password": "Mật khẩu", "login": "Đăng nhập",
        "record": "Ghi nhận thông tin", "open_case": "Mở hồ sơ", "move": "Chuyển",
        "move_to": "Chuyển sang", "save_answer": "Lưu bài", "approve": "Phê duyệt",
        "publish": "Công bố", "save_rating": "Lưu đánh giá", "language": "Ngôn ngữ",
        "title": "Tiêu đề", "body": "Nội dung (HTML đơn giản)", "severity": "Mức độ",
        "own_approval": "Người soạn không được tự phê duyệt", "no_rating": "chưa có đánh giá",
        "note": "Ghi chú nội bộ", "add_note": "Thêm ghi chú", "add_evidence": "Thêm bằng chứng",
        "bad_file": "không khớp", "logout": "Đăng xuất", "reappeared": "xuất hiện lại",
    },
    "en": {
        "user": "Username", "password": "Password", "login": "Log in",
        "record": "Record a claim", "open_case": "Open a case", "move": "Move",
        "move_to": "Move to", "save_answer": "Save answer", "approve": "Approve",
        "publish": "Publish", "save_rating": "Save rating", "language": "Language",
        "title": "Title", "body": "Text (simple HTML)", "severity": "Severity",
        "own_approval": "The author may not approve", "no_rating": "no rating yet",
        "note": "Internal note", "add_note": "Add note", "add_evidence": "Add evidence",
        "bad_file": "does not match", "logout": "Log out", "reappeared": "appeared again",
    },
}  # fmt: skip


def _login(page, base: str, user, ui: dict[str, str], lang: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page.goto(f"{base}/dang-nhap/?next=/phan-hoi/")
    page.get_by_label(ui["user"]).fill(user.username)
    page.get_by_label(ui["password"]).fill(PASSWORD)
    page.get_by_role("button", name=ui["login"]).click()
    page.wait_for_url(f"{base}/phan-hoi/")


def _submit(page, button) -> None:  # type: ignore[no-untyped-def]
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def _move(page, ui: dict[str, str], status: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(ui["move_to"]).select_option(status)
    _submit(page, page.locator("#status-form").get_by_role("button", name=ui["move"]))


def _wait(predicate, timeout_s: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_claim_to_fact_check_to_reappearance(
    live_server, page, organisations, lang, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    ui, base = UI[lang], live_server.url
    org = organisations["lam-dong"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=org)
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=org)
    story = StoryFactory(title="Rice exports")
    ReportFactory(story=story, title="Rice news", text=f"Markets were calm.\n{SENTENCE}\nEnd.")

    _login(page, base, author, ui, lang)
    page.goto(f"{base}/theo-doi/cau-chuyen/{story.pk}/")
    page.get_by_role("link", name=ui["record"]).first.click()
    page.get_by_role("button", name=SENTENCE).click()  # one click on the sentence
    page.wait_for_url("**/phan-hoi/thong-tin/*/")
    claim = Claim.objects.get()
    assert claim.text == SENTENCE and claim.language == "en"

    page.get_by_label(ui["severity"]).select_option("high")
    page.get_by_role("button", name=ui["open_case"]).click()
    page.wait_for_url("**/phan-hoi/ho-so/*/")
    case = Case.objects.get()
    _move(page, ui, "assessing")
    _move(page, ui, "drafting")

    page.get_by_label(ui["note"]).fill("<b>kiểm tra</b><script>window.pwned=1</script>")
    _submit(page, page.get_by_role("button", name=ui["add_note"]))
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("li.note b").inner_text() == "kiểm tra"
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"MZ\x90\x00 not a picture")
    page.locator("#evidence-form select").select_option("file")
    page.locator("#evidence-form input[type=file]").set_input_files(str(bad))
    _submit(page, page.get_by_role("button", name=ui["add_evidence"]))
    assert ui["bad_file"] in page.get_by_role("status").inner_text()
    assert case.evidence.count() == 0

    titles = (("vi", "Việt Nam không cấm xuất khẩu gạo"), ("en", "Viet Nam did not ban rice"))
    for code, title in titles:
        form = page.locator("#answer-form")
        form.get_by_label(ui["language"]).select_option(code)
        form.get_by_label(ui["title"]).fill(title)
        form.get_by_label(ui["body"]).fill("<p>Customs figures show exports continued.</p>")
        _submit(page, form.get_by_role("button", name=ui["save_answer"]))
    _submit(page, page.locator("#answer-vi").get_by_role("button", name=ui["approve"]))
    assert ui["own_approval"] in page.get_by_role("status").inner_text()
    _submit(page, page.get_by_role("button", name=ui["logout"]))

    _login(page, base, approver, ui, lang)
    page.goto(f"{base}/phan-hoi/ho-so/{case.pk}/")
    for code in ("vi", "en"):
        _submit(page, page.locator(f"#answer-{code}").get_by_role("button", name=ui["approve"]))
    _move(page, ui, "in_approval")
    _submit(page, page.locator("#publish-form").get_by_role("button", name=ui["publish"]))
    assert ui["no_rating"] in page.get_by_role("status").inner_text()
    case.refresh_from_db()
    assert case.published_at is None
    page.locator(".rating-form select").select_option("false")
    _submit(page, page.get_by_role("button", name=ui["save_rating"]))
    page.locator("#publish-form").get_by_role("button", name=ui["publish"]).click()
    page.wait_for_url("**#published")
    case.refresh_from_db()
    assert case.slug

    page.goto(f"{base}/phan-hoi/cong-khai/{case.slug}/?lang={lang}")
    data = json.loads(page.locator("#claimreview").text_content())
    (review,) = data["@graph"]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == SENTENCE
    assert review["reviewRating"]["alternateName"] == "False" and review["author"]["name"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"respond-public-{lang}.png"), full_page=True)

    # a local feed publishes a report restating the answered claim; the pipeline stores it
    site = BenchSite(articles=[RESTATED], appear_at=[time.time() - 1])
    with serve(site):
        source = source_add(name="Local feed", feed_url=f"{site.base_url}/feed.xml",
                            allow_private=True, poll_interval_s=1)  # fmt: skip
        Source.objects.filter(pk=source.pk).update(next_poll_at=None)
        source_poll(source_id=source.pk)
        assert _wait(lambda: Report.objects.filter(url__startswith=site.base_url).exists())
    assert _wait(lambda: ClaimAppearance.objects.filter(claim=claim, after_answer=True).exists())
    assert _wait(lambda: Notification.objects.filter(user=author, kind="reappeared").exists())

    _login(page, base, author, ui, lang)
    assert ui["reappeared"] in page.locator("#respond-notifications").inner_text()
    page.goto(f"{base}/phan-hoi/thong-tin/{claim.pk}/")
    row = page.locator("#appearances tr.after-answer")
    assert row.count() == 1 and "Viet Nam had banned all rice exports" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"respond-reappearance-{lang}.png"), full_page=True)
