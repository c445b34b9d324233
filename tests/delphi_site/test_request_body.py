"""A form whose upload was cut off by a lost connection is refused, never half-saved.

Sent through delphi_site.wsgi.application, the entry point gunicorn serves, with a body
shorter than its Content-Length: what a WSGI server hands on when a phone loses its signal
half-way through posting the questionnaire.
"""

import io
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory
from django.urls import reverse

from delphi_site.wsgi import application
from rounds.models import Rating, Submission
from tests.panels.factories import PanelFactory
from tests.rounds.factories import consented_expert, rating_round

CSRF_SECRET = "a" * 32
COMMENT = "the last statement needs a clearer definition of the caregiver"


@pytest.fixture
def questionnaire(study):
    panel = PanelFactory(study=study)
    delphi_round, items = rating_round(study, panel, statements=3)
    expert, token = consented_expert(panel)
    url = reverse("expert:round", kwargs={"token": token, "round_pk": delphi_round.pk})
    fields = [("csrfmiddlewaretoken", CSRF_SECRET)]
    for item in items:
        fields += [(f"rating_{item.pk}", "4"), (f"comment_{item.pk}", "")]
    fields[-1] = (fields[-1][0], COMMENT)
    body = urlencode([*fields, ("action", "save")]).encode()
    return expert, url, body


def _post(url: str, body: bytes, *, sent: int) -> int:
    """POST `body` announcing its full length but delivering only `sent` bytes; the status."""
    environ = RequestFactory().generic("POST", url).environ
    environ.update(
        {
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body[:sent]),
            "HTTP_COOKIE": f"csrftoken={CSRF_SECRET}",
        }
    )
    statuses = []
    response = application(environ, lambda status, headers, *exc: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_a_questionnaire_cut_off_mid_upload_saves_nothing(questionnaire):
    expert, url, body = questionnaire
    cut = body.index(b"clearer") + 3  # inside the last comment, before the button

    status = _post(url, body, sent=cut)

    assert status == 403
    assert not Submission.objects.filter(expert=expert).exists()
    assert not Rating.objects.filter(submission__expert=expert).exists()


@pytest.mark.django_db(transaction=True)
def test_the_whole_questionnaire_still_saves(questionnaire):
    expert, url, body = questionnaire

    status = _post(url, body, sent=len(body))

    assert status == 302
    assert Rating.objects.filter(submission__expert=expert, comment=COMMENT).count() == 1
    assert Rating.objects.filter(submission__expert=expert, value=4).count() == 3
