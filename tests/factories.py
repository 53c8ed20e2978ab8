"""factory_boy factories for test data."""

from __future__ import annotations

import factory

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
