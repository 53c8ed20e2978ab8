"""Every published page, in every language, becomes the platform's own publication and is
announced; an unpublished page stops being one (a deleted one cascades)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from ttdn.accounts.models import User
from ttdn.core.events import announce
from ttdn.portal.awards import award_article_published, award_article_withdrawn
from ttdn.portal.cache import invalidate
from ttdn.portal.events import PAGE_PUBLISHED
from ttdn.portal.models import HomePage, TopicIndexPage
from ttdn.portal.services import publication_register, publication_remove, user_groups_sync


@receiver(page_published)
def on_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    invalidate()
    page = instance.specific
    if isinstance(page, HomePage | TopicIndexPage) or not hasattr(page, "summary"):
        return
    publication = publication_register(page)
    award_article_published(page, publication.language)
    announce(
        PAGE_PUBLISHED,
        {"page_id": page.pk, "language": publication.language, "url": publication.url},
    )


@receiver(page_unpublished)
def on_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    invalidate()
    publication_remove(instance.pk)
    award_article_withdrawn(instance)


@receiver(post_delete)
def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # a deleted page must not be served from the page cache (its publication cascades)
    if isinstance(instance, Page):
        invalidate()
        award_article_withdrawn(instance)


@receiver(post_page_move)
def on_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    # a moved page changes address: no cached page or route may keep the old one
    invalidate()


@receiver(post_save, sender=User)
def on_user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    # the platform's role decides the Wagtail group (editors, provincial officers, translators)
    user_groups_sync(instance)
