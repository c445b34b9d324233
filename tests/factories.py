import factory
from django.contrib.auth import get_user_model

from panels.models import Expert, Panel, Study, StudyMember
from rounds.models import Domain, OpenQuestion, Round

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


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    study = factory.SubFactory(StudyFactory)
    title = factory.Sequence(lambda n: f"Domain {n}")
    order = factory.Sequence(int)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    study = factory.SubFactory(StudyFactory)
    panel = factory.SubFactory(PanelFactory, study=factory.SelfAttribute("..study"))
    number = factory.Sequence(lambda n: n + 1)
    kind = Round.Kind.OPEN


class OpenQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenQuestion

    delphi_round = factory.SubFactory(RoundFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
