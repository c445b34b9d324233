"""Every URL of a study answers 404 to a researcher who is not on it, and 403 to a viewer's
changes. The matrix is generated from the URL configuration, so a new view is covered the day
it is added: a view whose URL takes an argument this file cannot fill fails the test loudly.
"""

import pytest
from django.urls import reverse

from panels.models import StudyMember
from tests.panels.factories import ExpertFactory, PanelFactory, StudyMemberFactory, UserFactory
from tests.rounds.factories import (
    DomainFactory,
    OpenAnswerFactory,
    OpenQuestionFactory,
    RoundFactory,
    StatementFactory,
)
from tests.url_patterns import url_names

pytestmark = pytest.mark.django_db

# Views that a viewer may use with POST because they do not change the study.
READ_ONLY_POSTS: set[str] = set()


def _study_url_names() -> list[tuple[str, list[str]]]:
    return url_names(lambda _namespace, arguments: "study_pk" in arguments)


@pytest.fixture
def alice_objects(study):
    panel = PanelFactory(study=study, code_prefix="E")
    delphi_round = RoundFactory(study=study, panel=panel)
    return {
        "study_pk": study.pk,
        "panel_pk": panel.pk,
        "expert_pk": ExpertFactory(panel=panel).pk,
        "domain_pk": DomainFactory(study=study).pk,
        "round_pk": delphi_round.pk,
        "question_pk": OpenQuestionFactory(delphi_round=delphi_round).pk,
        "member_pk": StudyMemberFactory(study=study, user=UserFactory()).pk,
        "statement_pk": StatementFactory(study=study).pk,
        "answer_pk": OpenAnswerFactory(submission__delphi_round=delphi_round).pk,
    }


def _url(name: str, arguments: list[str], objects: dict) -> str:
    missing = [arg for arg in arguments if arg not in objects]
    assert not missing, f"{name}: add an object for {missing} to alice_objects"
    return reverse(name, kwargs={arg: objects[arg] for arg in arguments})


def test_matrix_covers_the_study_views():
    names = {name for name, _args in _study_url_names()}

    assert {"panels:study_detail", "panels:expert_edit", "rounds:round_detail"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_researcher_gets_404_on_every_study_url(alice_objects, bob_client, method):
    for name, arguments in _study_url_names():
        url = _url(name, arguments, alice_objects)

        response = getattr(bob_client, method)(url)

        # 405 (a GET on a POST-only action, a POST on a page) is answered before the study is
        # looked up, for any study number, so it tells nothing.
        assert response.status_code in {404, 405}, f"{method.upper()} {name} {url}"


def test_viewer_cannot_change_anything(alice_objects, bob, bob_client):
    StudyMember.objects.create(
        study_id=alice_objects["study_pk"], user=bob, role=StudyMember.Role.VIEWER
    )
    for name, arguments in _study_url_names():
        if name in READ_ONLY_POSTS:
            continue
        url = _url(name, arguments, alice_objects)

        response = bob_client.post(url, {})

        assert response.status_code in (403, 405), f"POST {name} {url}"
