"""Factories for the panels app: researchers, studies, their members, panels and experts."""

import factory
from django.contrib.auth import get_user_model

from panels.models import Expert, Panel, Study, StudyMember

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"researcher{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    title = factory.Sequence(lambda n: f"การศึกษาที่ {n}")
    owner = factory.SubFactory(UserFactory)


class StudyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyMember

    study = factory.SubFactory(StudyFactory)
    user = factory.SubFactory(UserFactory)
    role = StudyMember.Role.VIEWER


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Panel {n}")
    code_prefix = factory.Sequence(lambda n: f"P{n % 100}")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    panel = factory.SubFactory(PanelFactory)
    code = factory.Sequence(lambda n: f"E{n + 1:02d}")
    name = factory.Sequence(lambda n: f"ผู้เชี่ยวชาญ {n}")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
