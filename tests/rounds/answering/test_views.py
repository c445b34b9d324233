"""The expert's pages, from the outside: links, consent, questionnaires, autosave, deadlines."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from panels.models import AuditEvent, Expert
from rounds.answering.views.access import BAD_TOKEN_LIMIT
from rounds.links import expert_link_revoke, expert_token
from rounds.models import Invitation, OpenAnswer, Rating, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory, StudyFactory
from tests.rounds.factories import (
    InvitationFactory,
    ItemResultFactory,
    OpenAnswerFactory,
    OpenQuestionFactory,
    RatingFactory,
    SubmissionFactory,
    consented_expert,
    next_round_items,
    open_round,
    rating_round,
    round_after_frozen_round,
)

pytestmark = pytest.mark.django_db

DEADLINE = datetime.datetime(2019, 3, 25, 16, 59, tzinfo=datetime.UTC)
BEFORE = DEADLINE - datetime.timedelta(days=1)
AFTER = DEADLINE + datetime.timedelta(minutes=1)


@pytest.fixture
def panel(study):
    return PanelFactory(study=study)


@pytest.fixture
def expert_and_token(panel):
    return consented_expert(panel)


@pytest.fixture
def rated(study, panel):
    return rating_round(study, panel, statements=3, domains=2)


def _url(name: str, token: str, **kwargs) -> str:
    return reverse(f"expert:{name}", kwargs={"token": token, **kwargs})


def _autosave_url(token, item) -> str:
    return _url("autosave_rating", token, round_pk=item.delphi_round_id, item_pk=item.pk)


def _text(response) -> str:
    return response.content.decode()


def _main(response) -> str:
    """The page's own content, without the per-response CSRF token of the layout."""
    page = _text(response)
    return page[page.index("<main") : page.index("</main>")]


# --------------------------------------------------------------------------- the link


def test_welcome_page_shows_purpose_anonymity_and_consent(client, study, panel):
    study.description = "พัฒนารูปแบบเครือข่ายความร่วมมือ"
    study.save()
    expert = ExpertFactory(panel=panel)

    response = client.get(_url("start", expert_token(expert)))

    page = _text(response)
    assert response.status_code == 200
    assert study.title in page
    assert "พัฒนารูปแบบเครือข่ายความร่วมมือ" in page
    assert 'id="anonymity"' in page
    assert 'id="consent-button"' in page
    assert "My studies" not in page and "งานวิจัยของฉัน" not in page


@pytest.mark.parametrize("tamper", ["wrong", "altered", "revoked"])
def test_a_link_that_does_not_work_gets_the_friendly_page(client, panel, tamper):
    expert = ExpertFactory(panel=panel)
    token = expert_token(expert)
    if tamper == "wrong":
        token = "12345-notasignature"
    elif tamper == "altered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        expert_link_revoke(expert=expert)

    response = client.get(_url("start", token))

    assert response.status_code == 404
    assert "rounds/expert/link_unavailable.html" in [t.name for t in response.templates]
    assert "Traceback" not in _text(response)
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_repeated_bad_links_from_one_address_are_throttled(client, expert_and_token):
    _expert, good_token = expert_and_token
    for n in range(BAD_TOKEN_LIMIT):
        assert client.get(_url("start", f"{n}-guess")).status_code == 404

    blocked = client.get(_url("start", good_token))
    elsewhere = client.get(_url("start", good_token), REMOTE_ADDR="10.0.0.9")

    assert blocked.status_code == 429
    assert elsewhere.status_code == 200


def test_consent_is_recorded_once(client, panel):
    expert = ExpertFactory(panel=panel)
    token = expert_token(expert)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(_url("consent", token))
    with time_machine.travel(AFTER, tick=False):
        client.post(_url("consent", token))

    expert.refresh_from_db()
    assert response.status_code == 302
    assert expert.consent_given_at == BEFORE
    assert AuditEvent.objects.filter(action="expert.consent").count() == 1


def test_rounds_are_reachable_only_after_consent(client, panel, rated):
    delphi_round, _items = rated
    token = expert_token(ExpertFactory(panel=panel))

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    assert response.status_code == 302
    assert response.url == _url("start", token)


@time_machine.travel(BEFORE, tick=False)
def test_welcome_lists_open_rounds_with_the_deadline_in_the_buddhist_era(
    client, study, panel, expert_and_token
):
    _expert, token = expert_and_token
    delphi_round, _items = rating_round(study, panel, closes_at=DEADLINE, title="รอบที่ 2")
    rating_round(study, panel, number=3, status=Round.Status.DRAFT, title="ยังไม่เปิด")

    page = _text(client.get(_url("start", token)))

    assert "รอบที่ 2" in page
    assert "2562" in page, "25 March 2019 is written in the Buddhist era"
    assert "ยังไม่เปิด" not in page
    assert _url("round", token, round_pk=delphi_round.pk) in page


def test_opening_the_link_marks_the_invitation_opened(client, rated, expert_and_token):
    delphi_round, _items = rated
    expert, token = expert_and_token
    invitation = InvitationFactory(delphi_round=delphi_round, expert=expert)

    client.get(_url("start", token))

    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_english_readers_get_the_english_page(client, panel, expert_and_token):
    _expert, token = expert_and_token
    client.cookies["django_language"] = "en"

    page = _text(client.get(_url("start", token)))

    assert "Your anonymity" in page


# --------------------------------------------------------------------------- cross-study access


def test_a_link_cannot_reach_a_round_of_another_panel_or_study(client, study, rated):
    _own_round, _items = rated
    _expert, token = consented_expert(PanelFactory(study=study))
    other_study = StudyFactory()
    foreign_round, _foreign_items = rating_round(other_study, PanelFactory(study=other_study))
    own_round_other_panel = _own_round

    for delphi_round in (foreign_round, own_round_other_panel):
        response = client.get(_url("round", token, round_pk=delphi_round.pk))
        assert response.status_code == 404
        assert "rounds/expert/link_unavailable.html" in [t.name for t in response.templates]


def test_a_link_cannot_write_into_another_studys_round(client, rated, expert_and_token):
    own_round, _own_items = rated
    _expert, token = expert_and_token
    other_study = StudyFactory()
    foreign_panel = PanelFactory(study=other_study)
    foreign_round, foreign_items = rating_round(other_study, foreign_panel)
    foreign_open = open_round(other_study, foreign_panel)
    question = OpenQuestionFactory(delphi_round=foreign_open)
    item = foreign_items[0]

    responses = [
        client.post(
            _url("autosave_rating", token, round_pk=foreign_round.pk, item_pk=item.pk),
            {f"rating_{item.pk}": "5"},
        ),
        # The own round's pk with the other study's item pk.
        client.post(
            _url("autosave_rating", token, round_pk=own_round.pk, item_pk=item.pk),
            {f"rating_{item.pk}": "5"},
        ),
        client.post(
            _url(
                "autosave_open",
                token,
                round_pk=foreign_open.pk,
                question_pk=question.pk,
                position=1,
            ),
            {f"answer_{question.pk}_1": "แทรก"},
        ),
        client.post(
            _url("round", token, round_pk=foreign_round.pk),
            {f"rating_{item.pk}": "5", "action": "submit"},
        ),
        client.get(_url("thanks", token, round_pk=foreign_round.pk)),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    assert not Submission.objects.exists()
    assert not Rating.objects.exists() and not OpenAnswer.objects.exists()


# --------------------------------------------------------------------------- rating questionnaire


def test_rating_page_groups_statements_by_domain_with_labelled_points(
    client, rated, expert_and_token
):
    delphi_round, items = rated
    _expert, token = expert_and_token

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    page = _text(response)
    sections = response.context["sections"]
    assert len(sections) == 2
    assert sorted(row.item.pk for _domain, rows in sections for row in rows) == sorted(
        item.pk for item in items
    )
    assert "1 · น้อยที่สุด" in page and "5 · มากที่สุด" in page
    shown = [row.number for _domain, rows in sections for row in rows]
    # Each statement carries its code, given at creation: domain by domain, S02 comes last.
    assert shown == ["S01", "S03", "S02"]
    assert response.context["answered"] == 0
    assert 'hx-trigger="autosave, retry"' in page  # fired by static/js/answering.js


def test_a_confirmation_round_is_rated_on_every_criterion(client, study, panel):
    _expert, token = consented_expert(panel)
    delphi_round, items = rating_round(study, panel, number=4, kind=Round.Kind.CONFIRMATION)
    item = items[0]

    page = _text(client.get(_url("round", token, round_pk=delphi_round.pk)))
    client.post(
        _autosave_url(token, item) + "?criterion=usefulness",
        {f"rating_{item.pk}_usefulness": "5"},
    )

    assert "ความเหมาะสม" in page and "ความเป็นไปได้" in page
    for code in ("appropriateness", "usefulness", "feasibility"):
        assert all(f'name="rating_{i.pk}_{code}"' in page for i in items), code
    assert Rating.objects.get().criterion == "usefulness"


def test_cannot_judge_is_offered_only_when_the_round_allows_it(client, study, panel):
    _expert, token = consented_expert(panel)
    plain, _items = rating_round(study, panel, number=2)
    offering, _more = rating_round(study, panel, number=3, allow_cannot_judge=True)

    assert 'value="0"' not in _text(client.get(_url("round", token, round_pk=plain.pk)))
    assert 'value="0"' in _text(client.get(_url("round", token, round_pk=offering.pk)))


def test_autosave_stores_one_rating_and_says_saved(client, rated, expert_and_token):
    _round, items = rated
    expert, token = expert_and_token
    item = items[0]

    response = client.post(
        _autosave_url(token, item), {f"rating_{item.pk}": "4", f"comment_{item.pk}": " ดี "}
    )

    rating = Rating.objects.get()
    assert response.status_code == 200
    assert "text-success" in _text(response)
    assert (rating.item, rating.value, rating.comment) == (item, 4, "ดี")
    assert rating.submission.expert == expert


def test_repeated_autosaves_are_idempotent(client, rated, expert_and_token):
    _round, items = rated
    _expert, token = expert_and_token
    item = items[0]

    for value in ("2", "2", "5"):
        client.post(_autosave_url(token, item), {f"rating_{item.pk}": value})

    assert Submission.objects.count() == 1
    assert list(Rating.objects.values_list("value", flat=True)) == [5]


# The autosave's own transaction is a savepoint inside the test's, so it shows as two
# queries (SAVEPOINT, RELEASE) here; in production it is the request's BEGIN and COMMIT.
TRANSACTION = 2


def test_autosave_uses_at_most_five_queries(
    client, rated, expert_and_token, django_assert_max_num_queries
):
    _round, items = rated
    _expert, token = expert_and_token
    item = items[0]

    # expert by link; item + round + deadline + previous range; the round held (FOR SHARE)
    # with its status and deadline read again; submission upsert; rating upsert
    with django_assert_max_num_queries(5 + TRANSACTION):
        client.post(_autosave_url(token, item), {f"rating_{item.pk}": "3"})
    with django_assert_max_num_queries(5 + TRANSACTION):
        client.post(_autosave_url(token, item), {f"rating_{item.pk}": "4"})


def test_autosave_refuses_a_value_off_the_scale(client, rated, expert_and_token):
    _round, items = rated
    _expert, token = expert_and_token
    item = items[0]

    response = client.post(_autosave_url(token, item), {f"rating_{item.pk}": "9"})

    assert "text-danger" in _text(response)
    assert not Rating.objects.exists()


def test_a_comment_without_a_rating_asks_for_the_rating(client, rated, expert_and_token):
    _round, items = rated
    _expert, token = expert_and_token
    item = items[0]

    response = client.post(_autosave_url(token, item), {f"comment_{item.pk}": "ความเห็น"})

    assert "text-danger" in _text(response)
    assert not Submission.objects.exists()


def test_answers_survive_a_reload(client, rated, expert_and_token):
    delphi_round, items = rated
    _expert, token = expert_and_token
    item = items[1]
    client.post(_autosave_url(token, item), {f"rating_{item.pk}": "2", f"comment_{item.pk}": "x"})

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    row = next(r for _d, rows in response.context["sections"] for r in rows if r.item == item)
    assert (row.value, row.comment) == ("2", "x")
    assert f'id="rating-{item.pk}-2"\n               value="2" autocomplete="off" checked' in (
        _text(response)
    )


def test_save_draft_without_javascript_saves_everything(client, rated, expert_and_token):
    delphi_round, items = rated
    _expert, token = expert_and_token
    data = {f"rating_{item.pk}": "3" for item in items[:2]} | {"action": "save"}

    response = client.post(_url("round", token, round_pk=delphi_round.pk), data)

    assert response.status_code == 302
    assert Rating.objects.count() == 2
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_submitting_an_incomplete_questionnaire_keeps_the_answers_as_a_draft(
    client, rated, expert_and_token
):
    delphi_round, items = rated
    _expert, token = expert_and_token
    data = {f"rating_{items[0].pk}": "4", f"comment_{items[1].pk}": "ยังไม่ได้ให้คะแนน"}

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk), data | {"action": "submit"}
    )

    page = _text(response)
    assert response.status_code == 200
    assert 'id="submit-error"' in page
    assert "ยังไม่ได้ให้คะแนน" in page, "the unsaved comment is shown back"
    assert Rating.objects.get().value == 4
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_submit_leads_to_the_thank_you_page_with_a_summary(client, rated, expert_and_token):
    delphi_round, items = rated
    _expert, token = expert_and_token
    data = {f"rating_{item.pk}": "5" for item in items}
    data[f"comment_{items[0].pk}"] = "สำคัญมาก"

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk), data | {"action": "submit"}, follow=True
    )

    page = _text(response)
    assert response.redirect_chain[-1][0] == _url("thanks", token, round_pk=delphi_round.pk)
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert all(f"{item.statement.code}. {item.statement.text}" in page for item in items)
    assert "5 · มากที่สุด" in page and "สำคัญมาก" in page


def test_a_submitted_questionnaire_can_be_changed_and_resubmitted(client, rated, expert_and_token):
    delphi_round, items = rated
    expert, token = expert_and_token
    submission = SubmissionFactory(delphi_round=delphi_round, expert=expert)
    for item in items:
        RatingFactory(submission=submission, item=item, value=3)
    url = _url("round", token, round_pk=delphi_round.pk)

    assert client.get(url).status_code == 200
    client.post(_autosave_url(token, items[0]), {f"rating_{items[0].pk}": "1"})
    data = {f"rating_{item.pk}": "1" if item == items[0] else "3" for item in items}
    response = client.post(url, data | {"action": "submit"})

    assert response.status_code == 302
    assert Rating.objects.get(item=items[0]).value == 1
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_thank_you_page_before_submitting_leads_back_to_the_questionnaire(
    client, rated, expert_and_token
):
    delphi_round, _items = rated
    _expert, token = expert_and_token

    response = client.get(_url("thanks", token, round_pk=delphi_round.pk))

    assert response.status_code == 302
    assert response.url == _url("round", token, round_pk=delphi_round.pk)


# --------------------------------------------------------------------------- open questionnaire


@pytest.fixture
def opened(study, panel):
    delphi_round = open_round(study, panel)
    return delphi_round, OpenQuestionFactory(delphi_round=delphi_round, text="ปัจจัยสำคัญคืออะไร")


def test_open_page_shows_three_boxes_per_question_and_stored_answers(
    client, opened, expert_and_token
):
    delphi_round, question = opened
    expert, token = expert_and_token
    submission = SubmissionFactory(
        delphi_round=delphi_round, expert=expert, status=Submission.Status.DRAFT
    )
    OpenAnswerFactory(submission=submission, question=question, position=2, text="ข้อสอง")

    page = _text(client.get(_url("round", token, round_pk=delphi_round.pk)))

    assert "ปัจจัยสำคัญคืออะไร" in page
    assert page.count(f'name="answer_{question.pk}_') == 3
    assert "ข้อสอง</textarea>" in page


def test_open_answer_autosave_uses_at_most_five_queries(
    client, opened, expert_and_token, django_assert_max_num_queries
):
    delphi_round, question = opened
    _expert, token = expert_and_token
    url = _url(
        "autosave_open", token, round_pk=delphi_round.pk, question_pk=question.pk, position=2
    )

    # expert by link; question + round + deadline; the round held; submission upsert;
    # answer upsert
    with django_assert_max_num_queries(5 + TRANSACTION):
        response = client.post(url, {f"answer_{question.pk}_2": "ครูเป็นแกนนำ"})

    assert "text-success" in _text(response)
    assert list(OpenAnswer.objects.values_list("position", "text")) == [(2, "ครูเป็นแกนนำ")]


def test_another_answer_box_comes_with_the_next_position(client, opened, expert_and_token):
    delphi_round, question = opened
    _expert, token = expert_and_token
    url = _url("open_box", token, round_pk=delphi_round.pk, question_pk=question.pk)

    page = _text(client.get(url, {"position": "4"}, headers={"HX-Request": "true"}))

    assert f'name="answer_{question.pk}_4"' in page
    assert "position=5" in page and 'hx-swap-oob="true"' in page


def test_add_another_answer_without_javascript_saves_and_adds_a_box(
    client, opened, expert_and_token
):
    delphi_round, question = opened
    _expert, token = expert_and_token
    url = _url("round", token, round_pk=delphi_round.pk)

    response = client.post(
        url, {f"answer_{question.pk}_1": "หนึ่ง", "action": f"add:{question.pk}"}, follow=True
    )

    assert OpenAnswer.objects.get().text == "หนึ่ง"
    redirect_to = f"{url}?add={question.pk}&shown=1#question-{question.pk}"
    assert response.redirect_chain[-1][0] == redirect_to
    assert _text(response).count(f'name="answer_{question.pk}_') == 4
    assert _text(client.get(url)).count(f'name="answer_{question.pk}_') == 3


def test_open_questionnaire_is_submitted(client, opened, expert_and_token):
    delphi_round, question = opened
    _expert, token = expert_and_token

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk),
        {f"answer_{question.pk}_1": "ก", f"answer_{question.pk}_3": "ค", "action": "submit"},
        follow=True,
    )

    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert list(OpenAnswer.objects.order_by("position").values_list("position", "text")) == [
        (1, "ก"),
        (3, "ค"),
    ]
    assert "ปัจจัยสำคัญคืออะไร" in _text(response)


def test_the_thank_you_page_lists_two_answers_to_one_question_apart(
    client, opened, expert_and_token
):
    delphi_round, question = opened
    _expert, token = expert_and_token
    answers = {f"answer_{question.pk}_1": "ครูเป็นแกนนำ", f"answer_{question.pk}_2": "ผู้ปกครองร่วมมือ"}

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk), {**answers, "action": "submit"}, follow=True
    )

    summary = response.content.decode().split('id="summary"', 1)[1]
    assert summary.count('class="answer-text"') == 2, "each answer its own item, not run together"


def test_an_overlong_answer_is_shown_back_and_stored_answers_stay(client, opened, expert_and_token):
    delphi_round, question = opened
    expert, token = expert_and_token
    submission = SubmissionFactory(
        delphi_round=delphi_round, expert=expert, status=Submission.Status.DRAFT
    )
    OpenAnswerFactory(submission=submission, question=question, position=1, text="เดิม")
    long_text = "ยาว" * 2000

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk),
        {f"answer_{question.pk}_1": long_text, "action": "save"},
    )

    assert response.status_code == 200
    assert long_text in _text(response)
    assert OpenAnswer.objects.get().text == "เดิม"


# --------------------------------------------------------------------------- deadline


@pytest.fixture
def closing(study, panel):
    return rating_round(study, panel, statements=2, closes_at=DEADLINE)


@time_machine.travel(AFTER, tick=False)
def test_after_the_deadline_the_round_page_is_a_polite_closed_page(
    client, closing, expert_and_token
):
    delphi_round, _items = closing
    _expert, token = expert_and_token

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    assert response.status_code == 200
    assert 'id="closed-message"' in _text(response)
    assert "2562" in _text(response)


@time_machine.travel(AFTER, tick=False)
def test_answers_posted_after_the_deadline_are_shown_back_and_kept(
    client, closing, expert_and_token
):
    delphi_round, items = closing
    expert, token = expert_and_token

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk),
        {f"rating_{items[0].pk}": "4", f"comment_{items[0].pk}": "ส่งช้าไปนิด", "action": "submit"},
    )

    assert response.status_code == 200
    assert "ส่งช้าไปนิด" in _text(response)
    assert not Rating.objects.exists()
    event = AuditEvent.objects.get(action="answer.late")
    assert event.detail["expert"] == expert.code
    assert event.detail["content"]["ratings"][0]["comment"] == "ส่งช้าไปนิด"


def test_open_answers_posted_after_the_close_are_shown_back_and_kept(
    client, study, panel, expert_and_token
):
    expert, token = expert_and_token
    delphi_round = open_round(study, panel, status=Round.Status.CLOSED)
    question = OpenQuestionFactory(delphi_round=delphi_round)

    response = client.post(
        _url("round", token, round_pk=delphi_round.pk),
        {f"answer_{question.pk}_1": "คำตอบที่มาช้า", "action": "save"},
    )

    assert "คำตอบที่มาช้า" in _text(response)
    assert not OpenAnswer.objects.exists()
    event = AuditEvent.objects.get(action="answer.late")
    assert event.detail["expert"] == expert.code
    assert event.detail["content"]["answers"] == [
        {"question": question.pk, "texts": ["คำตอบที่มาช้า"]}
    ]


@time_machine.travel(AFTER, tick=False)
def test_an_autosave_after_the_deadline_says_so_and_is_kept(client, closing, expert_and_token):
    _round, items = closing
    _expert, token = expert_and_token
    item = items[0]

    response = client.post(_autosave_url(token, item), {f"rating_{item.pk}": "2"})

    assert "2562" in _text(response)
    assert not Rating.objects.exists()
    assert AuditEvent.objects.filter(action="answer.late").exists()


@time_machine.travel(AFTER, tick=False)
def test_a_personal_extension_keeps_the_questionnaire_open(client, closing, expert_and_token):
    delphi_round, _items = closing
    expert, token = expert_and_token
    Invitation.objects.create(
        delphi_round=delphi_round,
        expert=expert,
        deadline_override=DEADLINE + datetime.timedelta(days=2),
    )

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    assert "rounds/expert/round_rating.html" in [t.name for t in response.templates]


def test_a_closed_round_shows_the_closed_page(client, study, panel, expert_and_token):
    _expert, token = expert_and_token
    delphi_round, _items = rating_round(study, panel, status=Round.Status.CLOSED)

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    assert response.status_code == 200
    assert 'id="closed-message"' in _text(response)


# --------------------------------------------------------------------------- feedback


@pytest.fixture
def feedback_round(study, panel, expert_and_token):
    """Round 3 after round 2, whose frozen results put Q1..Q3 at 3.25..4.25; the expert gave 4."""
    expert, _token = expert_and_token
    return round_after_frozen_round(study, panel, values=(4, 4), expert=expert)


def test_feedback_shows_median_iqr_distribution_and_own_previous_answer(
    client, feedback_round, expert_and_token
):
    delphi_round, items = feedback_round
    _expert, token = expert_and_token

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    page = _text(response)
    row = next(r for _d, rows in response.context["sections"] for r in rows if r.item == items[0])
    assert "3.80" in page and "1.00" in page and "3.25" in page
    assert [bar["count"] for bar in row.distribution] == [0, 1, 2, 5, 2]
    assert row.premarked and row.value == "4"
    assert f'id="rating-{items[0].pk}-4"\n               value="4" autocomplete="off" checked' in (
        page
    )
    assert "own-previous" in page


def test_feedback_follows_the_rounds_settings(client, feedback_round, expert_and_token):
    delphi_round, _items = feedback_round
    _expert, token = expert_and_token
    Round.objects.filter(pk=delphi_round.pk).update(
        show_median=False, show_iqr=False, show_distribution=False, show_own_previous=False
    )

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    page = _text(response)
    assert "feedback-median" not in page and "distribution" not in page
    assert "own-previous" not in page
    assert all(not row.premarked for _d, rows in response.context["sections"] for row in rows)


def test_a_saved_answer_is_not_replaced_by_the_previous_one(
    client, feedback_round, expert_and_token
):
    delphi_round, items = feedback_round
    _expert, token = expert_and_token
    client.post(
        _autosave_url(token, items[0]),
        {f"rating_{items[0].pk}": "3", f"reason_{items[0].pk}": "เปลี่ยนใจ"},
    )

    response = client.get(_url("round", token, round_pk=delphi_round.pk))

    row = next(r for _d, rows in response.context["sections"] for r in rows if r.item == items[0])
    assert (row.value, row.premarked) == ("3", False)


def test_moving_outside_the_range_asks_for_a_reason(client, feedback_round, expert_and_token):
    _round, items = feedback_round
    _expert, token = expert_and_token
    item = items[0]

    this_round = Rating.objects.filter(item__delphi_round=item.delphi_round)

    refused = client.post(_autosave_url(token, item), {f"rating_{item.pk}": "1"})
    assert "text-danger" in _text(refused) and not this_round.exists()

    client.post(
        _autosave_url(token, item), {f"rating_{item.pk}": "1", f"reason_{item.pk}": "ไม่เห็นด้วย"}
    )
    assert this_round.get().reason == "ไม่เห็นด้วย"


def test_the_reason_box_is_shown_for_a_premarked_answer_outside_the_range(
    client, study, panel, expert_and_token
):
    expert, token = expert_and_token
    previous, previous_items = rating_round(study, panel, statements=1, number=2)
    earlier = SubmissionFactory(delphi_round=previous, expert=expert)
    ItemResultFactory(item=previous_items[0])
    RatingFactory(submission=earlier, item=previous_items[0], value=1)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
        # Kept answers need a reason only when the round asks for it (see test_reason_unchanged).
        require_reason_when_unchanged=True,
    )
    item = next_round_items(delphi_round, previous_items)[0]

    page = _text(client.get(_url("round", token, round_pk=delphi_round.pk)))

    assert f'id="reason-box-{item.pk}">' in page, "shown, not hidden"
    assert 'data-q1="3.25"' in page


# --------------------------------------------------------------------------- query budgets


def _budget_round(study, panel, expert, statements: int):
    previous, previous_items = rating_round(study, panel, statements=statements, number=2)
    previous.status = Round.Status.CLOSED
    previous.save()
    earlier = SubmissionFactory(delphi_round=previous, expert=expert)
    for item in previous_items:
        ItemResultFactory(item=item)
        RatingFactory(submission=earlier, item=item, value=4)
    delphi_round, _none = rating_round(
        study,
        panel,
        statements=0,
        number=3,
        previous_round=previous,
        require_reason_outside_iqr=True,
    )
    return delphi_round, next_round_items(delphi_round, previous_items)


def _count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    return len(queries)


@pytest.mark.parametrize("page", ["questionnaire", "submit"])
def test_questionnaire_queries_do_not_grow_with_the_statements(
    client, page, django_assert_max_num_queries
):
    counts = []
    for statements in (10, 100):
        study = StudyFactory()
        panel = PanelFactory(study=study)
        expert, token = consented_expert(panel)
        delphi_round, items = _budget_round(study, panel, expert, statements)
        InvitationFactory(delphi_round=delphi_round, expert=expert)
        url = _url("round", token, round_pk=delphi_round.pk)
        data = None
        if page == "submit":
            data = {f"rating_{item.pk}": "4" for item in items} | {"action": "submit"}
        # questionnaire: expert, round, opened_at, items (+ previous Q1/Q3), submission,
        #   previous results, own previous answers
        # submit: expert, round, items (+ previous Q1/Q3), BEGIN, submission upsert,
        #   ratings upsert, round lock, completeness, status, COMMIT
        with django_assert_max_num_queries(12):
            counts.append(_count(client, "get" if page == "questionnaire" else "post", url, data))
        if page == "submit":
            assert Submission.objects.get(delphi_round=delphi_round).status == "submitted"
    assert counts[0] == counts[1]


def test_language_switch_returns_to_the_expert_page(client, expert_and_token):
    _expert, token = expert_and_token
    url = _url("start", token)

    response = client.post(reverse("set_language"), {"language": "en", "next": url})

    assert response.status_code == 302
    assert response.url == url


def test_no_page_reveals_whether_the_expert_exists(client, panel):
    real = ExpertFactory(panel=panel)
    expert_link_revoke(expert=real)
    revoked = client.get(_url("start", expert_token(Expert.objects.get(pk=real.pk)) + "x"))
    missing = client.get(_url("start", "999999-abcdefghijklmnopqrstuv"))

    assert revoked.status_code == missing.status_code == 404
    assert _main(revoked) == _main(missing)


def test_consent_time_is_shown_after_consent(client, panel):
    expert = ExpertFactory(panel=panel, consent_given_at=timezone.now())

    page = _text(client.get(_url("start", expert_token(expert))))

    assert 'id="consent-button"' not in page
