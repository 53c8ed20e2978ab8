"""factory_boy factories for test data."""

from __future__ import annotations

import factory
from django.utils import timezone

from ttdn.accounts.models import Organisation, OrganisationKind, Role, User
from ttdn.coordinate.models import Task

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Tổ chức {n}")
    kind = OrganisationKind.PROVINCE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_after_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitor.Source"

    name = factory.Sequence(lambda n: f"Outlet {n}")
    outlet = factory.SelfAttribute("name")
    country = "GB"
    languages = factory.LazyFunction(lambda: ["en"])
    kind = "international"


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitor.Story"

    language = "en"
    title = factory.Sequence(lambda n: f"Story {n}")
    cluster_key = factory.Sequence(lambda n: f"en:{n}")
    first_seen_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.SelfAttribute("first_seen_at")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitor.Report"

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    canonical_url = factory.SelfAttribute("url")
    url_hash = factory.Sequence(lambda n: f"{n:064x}")
    title = factory.Sequence(lambda n: f"Viet Nam report {n}")
    text = "Viet Nam's exports grew strongly this quarter, officials in Hanoi said."
    published_at = factory.LazyFunction(timezone.now)
    language = "en"
    language_confidence = 0.99
    is_relevant = True
    relevance_score = 1.0
    tone_score = 0.0
    tone_label = "neutral"
    story = factory.SubFactory(StoryFactory)
