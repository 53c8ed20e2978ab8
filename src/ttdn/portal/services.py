"""Writes for the portal: registering publications and recognising pickups."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags

from ttdn.monitor.analysis import embedder_build, embedding_from_bytes
from ttdn.monitor.models import Report
from ttdn.pipeline import crosslingual
from ttdn.pipeline.dedupe import shingle_hashes
from ttdn.pipeline.embed import document_text, embedder_key
from ttdn.portal.models import Pickup, PickupKind, Publication

# a report counts as quoting or republishing a page when this share of the page's
# five-word shingles appear in it (a long quote or a republication; single phrases do not)
TEXT_CONTAINMENT = 0.25
# cross-language quotes and translations: ttdn.pipeline.crosslingual (names and numbers that
# survive translation, then sentence embeddings)
CANDIDATES = 2000


def page_text(page: Any) -> str:
    """The page's own words (summary, claim, body), as plain text, for matching."""
    parts = [page.title, getattr(page, "summary", "")]
    for field in ("claim", "body"):
        value = getattr(page, field, "")
        if value:
            parts.append(strip_tags(str(value)))
    return "\n".join(p for p in parts if p)


def site_url() -> str:
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")


@transaction.atomic
def publication_register(page: Any) -> Publication:
    """Record a just-published page (any language) as the platform's own publication."""
    page = page.specific
    parts = page.get_url_parts()
    url = f"{site_url()}{parts[2]}" if parts and parts[2] else ""
    publication, _created = Publication.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "language": page.locale.language_code,
            "url": url,
            "title": page.title[:500],
            "text": page_text(page),
            "translation_key": page.translation_key,
            "province_id": getattr(page, "province_id", None),
            "first_published_at": page.first_published_at or page.last_published_at,
            "last_published_at": page.last_published_at,
            "embedding": None,
            "embedding_key": "",
        },
    )
    return publication


def publication_remove(page_id: int) -> None:
    """An unpublished or deleted page is no longer ours to match (its pickups go too)."""
    Publication.objects.filter(page_id=page_id).delete()


def _url_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _containment(page_hashes: np.ndarray, report_hashes: np.ndarray) -> float:
    if page_hashes.size == 0 or report_hashes.size == 0:
        return 0.0
    return float(np.isin(page_hashes, report_hashes).mean())


def pickups_find(report_id: int, links: Sequence[str] = ()) -> list[Pickup]:
    """Compare one stored foreign report with the portal's publications: a link to a page
    (in its text, or among the links the monitor kept from its HTML: `links`), a quote or
    republication in the page's language (shared five-word shingles), or one in another
    language (`ttdn.pipeline.crosslingual`). Idempotent: a pair is recorded once."""
    if not Publication.objects.exists():  # nothing published yet: no report to load
        return []
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return []
    found: dict[int, tuple[str, float]] = {}
    publications = list(Publication.objects.order_by("-last_published_at")[:CANDIDATES])
    haystack = "\n".join([report.url, report.text, *links])
    for publication in publications:
        path = _url_path(publication.url)
        if publication.url and (
            publication.url in haystack or (len(path) > 8 and path in haystack)
        ):
            found[publication.pk] = (PickupKind.LINK, 1.0)
    report_hashes = shingle_hashes(f"{report.title}\n{report.text}")
    for publication in publications:
        if publication.pk in found or publication.language != report.language:
            continue
        score = _containment(shingle_hashes(publication.text), report_hashes)
        if score >= TEXT_CONTAINMENT:
            found[publication.pk] = (PickupKind.TEXT, score)
    picked_pages = {p.translation_key for p in publications if p.pk in found}
    rest = [p for p in publications if p.translation_key not in picked_pages]
    for pk, score in _translation_matches(report, rest):
        found[pk] = (PickupKind.TRANSLATION, score)
    created = []
    for pk, (kind, score) in found.items():
        pickup, was_created = Pickup.objects.get_or_create(
            publication_id=pk, report=report, defaults={"kind": kind, "score": round(score, 4)}
        )
        if was_created:
            created.append(pickup)
    return created


# anchors per page (translation key → (newest publication time, anchors)): computed once per
# process and page version, not once per stored report
_ANCHORS: dict[Any, tuple[Any, frozenset[str]]] = {}


def _page_anchors(key: Any, versions: list[Publication]) -> frozenset[str]:
    stamp = (len(versions), max(p.last_published_at for p in versions))
    cached = _ANCHORS.get(key)
    if cached is None or cached[0] != stamp:
        anchors = frozenset(crosslingual.page_anchors([p.text for p in versions]))
        cached = _ANCHORS[key] = (stamp, anchors)
    return cached[1]


def _translation_matches(report: Any, publications: list[Publication]) -> list[tuple[int, float]]:
    """Pages quoted or republished in another language (`ttdn.pipeline.crosslingual`): at most
    one pickup per page, on its best-matched version. A page's vectors (its lead, then its
    sentences) are computed on first need with the reports' embedder and kept with it."""
    pages: dict[Any, list[Publication]] = {}
    for publication in publications:
        pages.setdefault(publication.translation_key, []).append(publication)
    report_words = crosslingual.tokens(f"{report.title}\n{report.text}")
    candidates: list[tuple[int, list[Publication]]] = []  # (shared anchors, other versions)
    for key, versions in pages.items():
        others = [p for p in versions if p.language != report.language]
        if others:
            candidates.append((len(_page_anchors(key, versions) & report_words), others))
    vector = embedding_from_bytes(report.embedding)
    anchored = any(n >= crosslingual.MIN_SHARED_ANCHORS for n, _others in candidates)
    if not anchored and (vector is None or not candidates):
        return []
    embedder = embedder_build()
    key = f"{embedder_key(embedder)}+sentences2"  # 2: CJK sentences split at 。！？
    _vectors_ensure(embedder, key, [p for _n, group in candidates for p in group])
    embedded: list[np.ndarray[Any, Any]] = []

    def report_rows() -> np.ndarray[Any, Any]:
        """The report's sentence vectors, embedded on first need (anchored pages only)."""
        if not embedded:
            lines = crosslingual.sentences(f"{report.title}\n{report.text}")
            rows = embedder.embed(lines[: crosslingual.MAX_REPORT_SENTENCES])
            embedded.append(np.asarray(rows, dtype=np.float32))
        return embedded[0]

    matches: list[tuple[int, float]] = []
    for shared, others in candidates:
        versions = [(_sentence_rows(p, embedder.dim), _lead_row(p, embedder.dim)) for p in others]
        # the decision and its thresholds are the shared module's (Respond applies the same)
        score = crosslingual.page_match(shared, report_rows, vector, versions)
        if score is None:
            continue
        if shared >= crosslingual.MIN_SHARED_ANCHORS:
            ranks = [crosslingual.version_score(report_rows(), rows) for rows, _lead in versions]
        else:
            ranks = [float(np.dot(vector, lead)) for _rows, lead in versions]  # type: ignore[arg-type]
        matches.append((others[int(np.argmax(ranks))].pk, score))
    return matches


def _vectors_ensure(embedder: Any, key: str, publications: list[Publication]) -> None:
    """Embed (once per model) each publication's lead and sentences, stored as float16 rows."""
    for publication in publications:
        if publication.embedding_key == key and publication.embedding:
            continue
        texts = [document_text(publication.title, publication.text)]
        texts += crosslingual.sentences(publication.text)
        rows = np.asarray(embedder.embed(texts), dtype=np.float16)
        publication.embedding = rows.tobytes()
        publication.embedding_key = key
        Publication.objects.filter(pk=publication.pk).update(
            embedding=publication.embedding, embedding_key=key
        )


def _rows(publication: Publication, dim: int) -> np.ndarray[Any, Any]:
    rows = np.frombuffer(bytes(publication.embedding or b""), dtype=np.float16)
    return rows.astype(np.float32).reshape(-1, dim)


def _lead_row(publication: Publication, dim: int) -> np.ndarray[Any, Any]:
    rows = _rows(publication, dim)
    return rows[0] if len(rows) else np.zeros(dim, dtype=np.float32)


def _sentence_rows(publication: Publication, dim: int) -> np.ndarray[Any, Any]:
    return _rows(publication, dim)[1:]


# --- roles → Wagtail groups, and the review workflow ---------------------------------------


def groups_sync(user: Any | None = None) -> None:
    """Create the portal's groups with their Wagtail permissions (on the whole tree and the
    image collection), and put a user (or every user) in the group of their role."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    from ttdn.accounts.models import User
    from ttdn.portal.permissions import GROUP_PAGE_PERMISSIONS, ROLE_GROUPS

    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    if root is None or collection is None:
        return
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    image_perms = Permission.objects.filter(
        content_type__app_label="wagtailimages",
        codename__in=["add_image", "change_image", "choose_image"],
    )
    localize_perm = [_submit_translation_permission()]
    groups = {}
    for name, codenames in GROUP_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(admin_access, *localize_perm)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for permission in image_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    users = [user] if user is not None else list(User.objects.filter(role__in=list(ROLE_GROUPS)))
    for member in users:
        user_groups_sync(member)


def _submit_translation_permission() -> Any:
    """wagtail-localize's "submit translation" permission, created if it is missing.

    wagtail-localize creates it in a data migration (0006), not from a model, so a database
    emptied with `flush` (tests that use transactions; an operator's reset) comes back
    without it while every other permission is recreated: translators were then silently
    refused the translation screen. Created here the same way the migration does."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return permission


def user_groups_sync(user: Any) -> None:
    """Put a user in the portal group of their role, and in no other portal group (a role
    change moves them). Groups that do not exist yet (before setup) are skipped."""
    from django.contrib.auth.models import Group

    from ttdn.portal.permissions import GROUP_PAGE_PERMISSIONS, ROLE_GROUPS

    groups = {g.name: g for g in Group.objects.filter(name__in=list(GROUP_PAGE_PERMISSIONS))}
    wanted = groups.get(ROLE_GROUPS.get(user.role, ""))
    others = [g for g in groups.values() if g != wanted]
    if others:
        user.groups.remove(*others)
    if wanted is not None:
        user.groups.add(wanted)


def workflow_ensure() -> Any:
    """The one review workflow: a central editor who is not the author approves."""
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

    from ttdn.portal.models import NotAuthorApprovalTask
    from ttdn.portal.permissions import GROUP_EDITORS

    workflow, _created = Workflow.objects.get_or_create(name="Duyệt trước khi đăng")
    task, created = NotAuthorApprovalTask.objects.get_or_create(name="Biên tập trung ương duyệt")
    if created:
        task.groups.set([Group.objects.get(name=GROUP_EDITORS)])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    root = Page.get_first_root_node()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


# --- fact-checks from the respond module ----------------------------------------------------


def factcheck_drafts_from_case(case_id: int) -> list[Any]:
    """Turn a published Respond case into FactCheckPage drafts — Vietnamese first, then one
    translation per other approved answer in a portal language — under each language's
    fact-check section. Drafts only: a portal editor still approves them (nothing is
    published without a person). Idempotent per case and language."""
    from django.utils import timezone
    from wagtail.models import Locale

    from ttdn.portal.models import ClaimRating, FactCheckPage
    from ttdn.respond.selectors import public_answers, published_case_list

    case = published_case_list().filter(pk=case_id).first()
    if case is None:
        return []
    answers = {a.language: a for a in public_answers(case)}
    claim = case.claims.order_by("pk").first()
    rating_row = case.ratings.order_by("pk").first()
    rating = rating_row.rating if rating_row else ClaimRating.MISLEADING
    if rating not in ClaimRating.values:
        rating = ClaimRating.MISLEADING
    created: list[Any] = []
    source = FactCheckPage.objects.filter(respond_case_id=case.pk, locale__language_code="vi")
    vi_page = source.first()
    if vi_page is None and "vi" in answers:
        section = _factcheck_section("vi")
        if section is None:
            return []
        answer = answers["vi"]
        vi_page = FactCheckPage(
            title=answer.title[:255],
            slug=(case.slug or f"case-{case.pk}")[:80],
            summary=strip_tags(answer.body)[:480],
            claim=(claim.text if claim else answer.title)[:1000],
            rating=rating,
            body=answer.body,
            date=timezone.localdate(case.published_at),
            respond_case_id=case.pk,
            live=False,
        )
        section.add_child(instance=vi_page)
        vi_page.save_revision()
        created.append(vi_page)
    if vi_page is None:
        return created
    for language, answer in answers.items():
        if language == "vi" or language not in settings.PORTAL_LANGUAGES:
            continue
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None or vi_page.get_translation_or_none(locale) is not None:
            continue
        if _factcheck_section(language) is None:
            continue  # the section is not translated yet: the editors' board shows it missing
        page = vi_page.copy_for_translation(locale).specific
        page.title = answer.title[:255]
        page.summary = strip_tags(answer.body)[:480]
        page.body = answer.body
        page.save()
        page.save_revision()
        created.append(page)
    return created


def _factcheck_section(language: str) -> Any:
    from ttdn.portal.models import FactCheckPage, TopicIndexPage

    sections = TopicIndexPage.objects.filter(locale__language_code=language)
    for section in sections:
        if FactCheckPage in section.specific_class.allowed_subpage_models() and (
            FactCheckPage.objects.child_of(section).exists()
            or section.slug in {"kiem-chung", "fact-checks", "verifications"}
        ):
            return section
    return None
