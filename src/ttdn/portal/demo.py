"""Load the portal's demo (`ttdn setup` / `ttdn demo`): locales, role groups, the review
workflow, a home and five sections in Vietnamese, an article, four fact sheets, a
fact-check, an event and a gallery, translated into English and French through
wagtail-localize's PO import; one article awaiting translation, one awaiting approval.
Idempotent: nothing is created twice, editors' changes are kept."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import polib
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site, WorkflowPage
from wagtail_localize.models import Translation, TranslationSource

from ttdn.accounts.models import Organisation, Role, User
from ttdn.portal import demo_content as C
from ttdn.portal.demo_languages import EXTRA
from ttdn.portal.models import (
    ArticlePage,
    EventPage,
    FactCheckPage,
    FactSheetPage,
    GalleryImage,
    GalleryPage,
    HomePage,
    TopicIndexPage,
)
from ttdn.portal.services import groups_sync, workflow_ensure

DEMO_LANGUAGES = ("en", "fr")


def _rich(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    return _publish(page)


def _strings(source: dict[str, Any], target: dict[str, Any]) -> dict[str, str]:
    """Source string → translated string, field by field and paragraph by paragraph."""
    mapping: dict[str, str] = {}
    for key, value in source.items():
        other = target.get(key)
        if isinstance(value, str) and isinstance(other, str):
            mapping[value] = other
        elif isinstance(value, list) and isinstance(other, list):
            mapping.update(dict(zip(value, other, strict=False)))
    return mapping


def translate(page: Page, language: str, strings: dict[str, str]) -> Page | None:
    """Translate a page as an outside translator would: export the PO file of its
    wagtail-localize translation, fill it in, import it, publish."""
    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    filled = polib.POFile(wrapwidth=200)
    filled.metadata = po.metadata
    for entry in po:
        text = strings.get(entry.msgid)
        if text is None and entry.msgctxt == "slug":
            continue
        filled.append(
            polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=text or entry.msgid)
        )
    translation.import_po(filled)
    # saved as a draft, then published here: wagtail-localize publishes on commit, which a
    # caller inside a transaction (the tests, one setup transaction) would not see in time
    translation.save_target(publish=False)
    target = page.get_translation(locale)
    target.get_latest_revision().publish()
    return target


def _image(title: str, colours: tuple[str, str], seed: int) -> Any:
    """A self-made illustration (CC0): hills in two colours; nothing downloaded."""
    model = get_image_model()
    found = model.objects.filter(title=title).first()
    if found:
        return found
    picture = PILImage.new("RGB", (1200, 800), colours[0])
    draw = ImageDraw.Draw(picture)
    for i in range(6):
        top = 300 + i * 70 + (seed * 13) % 40
        draw.ellipse((-200 + i * 150, top, 900 + i * 150, top + 700), fill=colours[i % 2])
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return model.objects.create(
        title=title, file=ImageFile(buffer, name=f"demo-{seed}.jpg"), width=1200, height=800
    )


def _demo_officer() -> User | None:
    lam_dong = Organisation.objects.filter(slug="lam-dong").first()
    if lam_dong is None:
        return None
    user, created = User.objects.get_or_create(
        username="demo.lamdong",
        defaults={"role": Role.PROVINCIAL_OFFICER, "organisation": lam_dong},
    )
    if created:
        user.set_unusable_password()  # a name on the demo page only; nobody signs in as it
        user.save()
    groups_sync(user)
    return user


def _tree_ensure() -> None:
    """Wagtail's root page, root collection and default locale come from its migrations; a
    database emptied since (a flushed test database) gets them back."""
    from wagtail.models import Collection

    Locale.objects.get_or_create(language_code=settings.PORTAL_LANGUAGES[0])
    if Page.get_first_root_node() is None:
        Page.add_root(
            instance=Page(title="Root", slug="root", locale=Locale.objects.get(language_code="vi"))
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def portal_demo_load(*, all_languages: bool = True) -> dict[str, Any]:
    """The demo portal. `all_languages=False` leaves out the translations beyond en and fr
    (`demo_languages`): most tests need only three languages and load the demo once per
    module, where each further language costs seconds."""
    _tree_ensure()
    summary = _load(all_languages)
    # translations made in one transaction leave their parents' child counts stale (Wagtail's
    # on-commit tasks save stale copies); treebeard recounts them once everything committed
    Page.fix_tree(fix_paths=False)
    return summary


@transaction.atomic
def _load(all_languages: bool) -> dict[str, Any]:
    for code in settings.PORTAL_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    groups_sync()
    workflow = workflow_ensure()
    if HomePage.objects.filter(locale__language_code="vi").exists():
        return {"portal": "kept"}
    # Wagtail's own placeholder page ("Welcome to your new Wagtail site!"), removed before the
    # root is read, so the root's child count (treebeard paths) is current
    for placeholder in Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ):
        placeholder.delete()
    root = Page.get_first_root_node()
    vi = Locale.objects.get(language_code="vi")
    home = HomePage(locale=vi, **C.HOME["vi"])
    root.add_child(instance=home)
    _publish(home)
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", port=80)
    site.root_page = home
    site.site_name = "TTĐN"
    site.is_default_site = True
    site.save()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    sections = [_add(home, TopicIndexPage(locale=vi, **topic["vi"])) for topic in C.TOPICS]
    news, provinces, checks, events, galleries = sections
    today = timezone.localdate()
    lam_dong = Organisation.objects.filter(slug="lam-dong").first()
    cover = _image("Đồi chè Lâm Đồng (minh hoạ)", ("#cfe8c0", "#3f7d3a"), 1)

    article_vi = C.ARTICLE["vi"]
    article = _add(
        news,
        ArticlePage(
            locale=vi,
            title=article_vi["title"],
            slug=article_vi["slug"],
            summary=article_vi["summary"],
            body=_rich(article_vi["body"]),
            date=today,
            province=lam_dong,
            cover_image=cover,
        ),
    )
    sheets = []
    for sheet in C.FACT_SHEETS:
        province = (
            Organisation.objects.filter(slug=sheet["province"]).first()
            if sheet["province"]
            else None
        )
        fields = sheet["vi"]
        sheets.append(
            (
                sheet,
                _add(
                    provinces,
                    FactSheetPage(
                        locale=vi,
                        title=fields["title"],
                        slug=fields["slug"],
                        summary=fields["summary"],
                        body=_rich(fields["body"]),
                        province=province,
                    ),
                ),
            )
        )
    check_vi = C.FACT_CHECK["vi"]
    check = _add(
        checks,
        FactCheckPage(
            locale=vi,
            title=check_vi["title"],
            slug=check_vi["slug"],
            summary=check_vi["summary"],
            claim=check_vi["claim"],
            claim_source="Bài đăng mạng xã hội (minh hoạ)",
            rating="false",
            body=_rich(check_vi["body"]),
            date=today,
        ),
    )
    event_vi = C.EVENT["vi"]
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=120), dt.time(19)))
    event = _add(
        events,
        EventPage(
            locale=vi,
            title=event_vi["title"],
            slug=event_vi["slug"],
            summary=event_vi["summary"],
            venue=event_vi["venue"],
            body=_rich(event_vi["body"]),
            start=start,
            end=start + dt.timedelta(days=5),
            province=Organisation.objects.filter(slug="hue").first(),
        ),
    )
    gallery_vi = C.GALLERY["vi"]
    gallery = GalleryPage(
        locale=vi, title=gallery_vi["title"], slug=gallery_vi["slug"], summary=gallery_vi["summary"]
    )
    palette = [("#cfe8c0", "#3f7d3a"), ("#f6d5e5", "#b03a74"), ("#f3e0c8", "#8a3b12")]
    for i, caption in enumerate(gallery_vi["captions"]):
        gallery.images.add(
            GalleryImage(
                image=_image(caption, palette[i], i + 1),
                caption=caption,
                credit="Nền tảng TTĐN (minh hoạ)",
                licence="CC0 1.0",
                sort_order=i,
            )
        )
    gallery = _add(galleries, gallery)

    for language in DEMO_LANGUAGES:
        translate(home, language, _strings(C.HOME["vi"], C.HOME[language]))
        for section, topic in zip(sections, C.TOPICS, strict=True):
            translate(section, language, _strings(topic["vi"], topic[language]))
        translate(article, language, _strings(C.ARTICLE["vi"], C.ARTICLE[language]))
        for sheet, page in sheets:
            translate(page, language, _strings(sheet["vi"], sheet[language]))
        translate(check, language, _strings(C.FACT_CHECK["vi"], C.FACT_CHECK[language]))
        translate(event, language, _strings(C.EVENT["vi"], C.EVENT[language]))
        gallery_strings = _strings(C.GALLERY["vi"], C.GALLERY[language])
        gallery_strings.update(
            zip(C.GALLERY["vi"]["captions"], C.GALLERY[language]["captions"], strict=True)
        )
        translate(gallery, language, gallery_strings)

    for language, fields in EXTRA.items() if all_languages else ():
        if language not in settings.PORTAL_LANGUAGES:
            continue
        translate(home, language, _strings(C.HOME["vi"], fields["home"]))
        for section, topic, own in zip(sections, C.TOPICS, fields["topics"], strict=True):
            translate(section, language, _strings(topic["vi"], own))
        translate(article, language, _strings(C.ARTICLE["vi"], fields["article"]))

    # awaiting translation: a new Vietnamese article, not yet in English or French
    waiting = C.ARTICLE_UNTRANSLATED
    _add(
        news,
        ArticlePage(
            locale=vi,
            title=waiting["title"],
            slug=waiting["slug"],
            summary=waiting["summary"],
            body=_rich(waiting["body"]),
            date=today,
            province=Organisation.objects.filter(slug="hue").first(),
        ),
    )
    # awaiting approval: written by Lam Dong's officer, submitted to the review workflow
    officer = _demo_officer()
    review = C.ARTICLE_FOR_REVIEW
    draft = ArticlePage(
        locale=vi,
        title=review["title"],
        slug=review["slug"],
        summary=review["summary"],
        body=_rich(review["body"]),
        date=today,
        province=lam_dong,
        live=False,
        owner=officer,
    )
    news.add_child(instance=draft)
    revision = draft.save_revision(user=officer)
    workflow.start(draft, officer)
    return {
        "portal": "created",
        "pages": Page.objects.filter(depth__gt=1).count(),
        "revision": revision.pk,
    }
