"""Proxy entry: a researcher keys in answers that came on paper, by LINE, by phone, …"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from panels.models import AuditEvent, StudyMember
from rounds.models import Channel, OpenAnswer, Rating, Round, Submission
from tests.panels.factories import ExpertFactory, PanelFactory, StudyMemberFactory
from tests.rounds.factories import (
    OpenQuestionFactory,
    RoundFactory,
    RoundItemFactory,
    SubmissionFactory,
    round_after_frozen_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(alice_client):
    """Alice reads in English, so messages can be checked before the Thai catalogue has them."""
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return alice_client


@pytest.fixture
def panel(study):
    return PanelFactory(study=study, code_prefix="E")


@pytest.fixture
def expert(panel):
    return ExpertFactory(panel=panel, code="E05", name="ผู้เชี่ยวชาญ ห้า")


@pytest.fixture
def open_round(study, panel):
    return RoundFactory(study=study, panel=panel, kind=Round.Kind.OPEN, status=Round.Status.OPEN)


@pytest.fixture
def questions(open_round):
    return [
        OpenQuestionFactory(delphi_round=open_round, order=1, text="ขั้นตอนการสร้างเครือข่าย?"),
        OpenQuestionFactory(delphi_round=open_round, order=2, text="องค์ประกอบของเครือข่าย?"),
    ]


@pytest.fixture
def open_rating_round(study, panel):
    return RoundFactory(
        study=study, panel=panel, kind=Round.Kind.RATING, status=Round.Status.OPEN, number=2
    )


@pytest.fixture
def items(open_rating_round):
    return RoundItemFactory.create_batch(2, delphi_round=open_rating_round)


def entry_url(delphi_round, expert):
    return reverse("rounds:proxy_entry", args=[delphi_round.study_id, delphi_round.pk, expert.pk])


def list_url(delphi_round):
    return reverse("rounds:proxy_list", args=[delphi_round.study_id, delphi_round.pk])


def log_url(delphi_round):
    return reverse("rounds:proxy_log", args=[delphi_round.study_id, delphi_round.pk])


def answers_of(submission, question):
    return list(
        OpenAnswer.objects.filter(submission=submission, question=question)
        .order_by("position")
        .values_list("text", flat=True)
    )


def test_entry_creates_a_submission_with_the_channel_and_the_researcher(
    alice_client, alice, open_round, questions, expert
):
    first, second = questions

    response = alice_client.post(
        entry_url(open_round, expert),
        {
            "channel": Channel.LINE,
            f"answer_{first.pk}_1": "สร้างความตระหนัก",
            f"answer_{first.pk}_2": "ประสานหน่วยงาน",
            f"answer_{second.pk}_1": "",
        },
    )

    assert response.status_code == 302
    assert response.url == list_url(open_round)
    submission = Submission.objects.get(delphi_round=open_round, expert=expert)
    assert (submission.channel, submission.entered_by) == (Channel.LINE, alice)
    assert submission.status == Submission.Status.DRAFT
    assert answers_of(submission, first) == ["สร้างความตระหนัก", "ประสานหน่วยงาน"]
    assert answers_of(submission, second) == []


def test_entry_can_mark_the_answers_as_submitted(alice_client, open_round, questions, expert):
    alice_client.post(
        entry_url(open_round, expert),
        {
            "channel": Channel.PAPER,
            f"answer_{questions[0].pk}_1": "สร้างความตระหนัก",
            "mark_submitted": "on",
        },
    )

    submission = Submission.objects.get(delphi_round=open_round, expert=expert)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_at is not None


def test_submitting_without_any_answer_is_refused_with_the_reason(
    english, open_round, questions, expert
):
    response = english.post(
        entry_url(open_round, expert),
        {"channel": Channel.PAPER, "mark_submitted": "on"},
        follow=True,
    )

    assert not Submission.objects.exists()
    assert response.redirect_chain[-1][0] == entry_url(open_round, expert)
    assert "not marked as submitted" in response.content.decode()


def test_a_paper_questionnaire_with_blank_statements_can_be_submitted(
    alice_client, open_rating_round, items, expert
):
    # Recorded as it came: the expert left the second statement blank on paper.
    response = alice_client.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"rating_{items[0].pk}": "4", "mark_submitted": "on"},
    )

    submission = Submission.objects.get(expert=expert)
    assert response.status_code == 302
    assert submission.status == Submission.Status.SUBMITTED
    assert [r.value for r in submission.ratings.all()] == [4]


def test_a_refused_submit_keeps_the_saved_correction(english, open_round, questions, expert):
    submission = SubmissionFactory(
        delphi_round=open_round, expert=expert, channel=Channel.PAPER, status="draft"
    )
    OpenAnswer.objects.create(submission=submission, question=questions[0], text="ผิดคน")

    response = english.post(
        entry_url(open_round, expert),
        {"channel": Channel.PAPER, f"answer_{questions[0].pk}_1": "", "mark_submitted": "on"},
        follow=True,
    )

    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    assert not submission.answers.exists()
    assert "saved but not marked as submitted" in response.content.decode()


def test_a_correction_is_audited_with_who_and_old_and_new(
    alice_client, alice, open_round, questions, expert
):
    question = questions[0]
    url = entry_url(open_round, expert)
    alice_client.post(url, {"channel": Channel.PAPER, f"answer_{question.pk}_1": "เดิม"})

    alice_client.post(
        url,
        {
            "channel": Channel.PAPER,
            f"answer_{question.pk}_1": "แก้ไขแล้ว",
            f"answer_{question.pk}_2": "เพิ่มเติม",
        },
    )

    event = AuditEvent.objects.filter(action="answer.proxy", detail__question=question.pk).first()
    assert event.actor == alice
    assert event.detail["expert"] == "E05"
    assert (event.detail["old"], event.detail["new"]) == (["เดิม"], ["แก้ไขแล้ว", "เพิ่มเติม"])


def test_saving_an_unchanged_form_writes_nothing(alice_client, open_round, questions, expert):
    response = alice_client.post(entry_url(open_round, expert), {"channel": Channel.PAPER})

    assert response.status_code == 302
    assert not Submission.objects.exists()
    assert not AuditEvent.objects.filter(action="answer.proxy").exists()


def test_the_page_shows_what_was_entered_for_correction(
    alice_client, open_round, questions, expert
):
    submission = SubmissionFactory(delphi_round=open_round, expert=expert, channel=Channel.EMAIL)
    OpenAnswer.objects.create(
        submission=submission, question=questions[0], position=1, text="คำตอบทางอีเมล"
    )

    response = alice_client.get(entry_url(open_round, expert))

    page = response.content.decode()
    assert response.status_code == 200
    assert "คำตอบทางอีเมล" in page
    assert f'<option value="{Channel.EMAIL}" selected>' in page


def test_a_rating_entry_saves_value_and_comment(
    alice_client, alice, open_rating_round, items, expert
):
    first, second = items

    alice_client.post(
        entry_url(open_rating_round, expert),
        {
            "channel": Channel.PHONE,
            f"rating_{first.pk}": "4",
            f"comment_{first.pk}": "ทำได้จริงในโรงเรียนขนาดเล็ก",
            f"rating_{second.pk}": "2",
        },
    )

    ratings = Rating.objects.filter(submission__expert=expert).order_by("item__order", "item")
    assert [(r.item, r.value, r.comment) for r in ratings] == [
        (first, 4, "ทำได้จริงในโรงเรียนขนาดเล็ก"),
        (second, 2, ""),
    ]
    assert Submission.objects.get(expert=expert).channel == Channel.PHONE


def test_a_rating_correction_records_old_and_new_value(
    alice_client, open_rating_round, items, expert
):
    item = items[0]
    url = entry_url(open_rating_round, expert)
    alice_client.post(url, {"channel": Channel.PAPER, f"rating_{item.pk}": "3"})

    alice_client.post(url, {"channel": Channel.PAPER, f"rating_{item.pk}": "5"})

    event = AuditEvent.objects.filter(action="answer.proxy", detail__item=item.pk).first()
    assert event.detail["old"]["value"] == 3
    assert event.detail["new"]["value"] == 5
    assert Rating.objects.get(item=item).value == 5


def test_a_comment_without_a_rating_is_sent_back_unsaved(
    alice_client, open_rating_round, items, expert
):
    item = items[0]

    response = alice_client.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"comment_{item.pk}": "ความเห็นที่ต้องไม่หาย"},
    )

    assert response.status_code == 200
    assert "ความเห็นที่ต้องไม่หาย" in response.content.decode()
    assert response.context["form"].has_error(f"rating_{item.pk}", "comment_without_rating")
    assert not Submission.objects.exists()


def test_a_rating_off_the_scale_is_refused(alice_client, open_rating_round, items, expert):
    response = alice_client.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"rating_{items[0].pk}": "9"},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error(f"rating_{items[0].pk}")
    assert not Rating.objects.exists()


def test_proxy_entry_is_allowed_after_the_experts_own_deadline(
    alice_client, open_round, questions, expert
):
    # The paper arrived late, but the researcher has not closed the round.
    open_round.closes_at = timezone.now() - datetime.timedelta(days=2)
    open_round.save()

    alice_client.post(
        entry_url(open_round, expert),
        {"channel": Channel.PAPER, f"answer_{questions[0].pk}_1": "มาถึงช้า"},
    )

    assert OpenAnswer.objects.filter(text="มาถึงช้า").exists()


def test_correcting_a_web_answer_keeps_the_web_channel(alice_client, open_round, questions, expert):
    submission = SubmissionFactory(
        delphi_round=open_round, expert=expert, channel=Channel.WEB, status="draft"
    )
    OpenAnswer.objects.create(submission=submission, question=questions[0], text="พิมพ์ผิด")

    alice_client.post(
        entry_url(open_round, expert),
        {"channel": Channel.WEB, f"answer_{questions[0].pk}_1": "พิมพ์ถูก"},
    )

    submission.refresh_from_db()
    assert submission.channel == Channel.WEB
    assert answers_of(submission, questions[0]) == ["พิมพ์ถูก"]


@pytest.mark.parametrize("status", [Round.Status.CLOSED, Round.Status.DRAFT])
def test_a_round_that_is_not_open_refuses_politely(
    alice_client, open_round, questions, expert, status
):
    open_round.status = status
    open_round.save()

    response = alice_client.post(
        entry_url(open_round, expert),
        {"channel": Channel.PAPER, f"answer_{questions[0].pk}_1": "สาย"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == list_url(open_round)
    assert open_round.display_title in response.content.decode()
    assert not Submission.objects.exists()


def test_a_viewer_may_not_enter_answers(client, bob, open_round, questions, expert):
    StudyMemberFactory(study=open_round.study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)

    responses = [
        client.get(list_url(open_round)),
        client.get(entry_url(open_round, expert)),
        client.post(
            entry_url(open_round, expert),
            {"channel": Channel.PAPER, f"answer_{questions[0].pk}_1": "ไม่ควรบันทึก"},
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert not Submission.objects.exists()


def test_an_editor_may_enter_answers(client, bob, open_round, questions, expert):
    StudyMemberFactory(study=open_round.study, user=bob, role=StudyMember.Role.EDITOR)
    client.force_login(bob)

    client.post(
        entry_url(open_round, expert),
        {"channel": Channel.EMAIL, f"answer_{questions[0].pk}_1": "จากบรรณาธิการ"},
    )

    assert Submission.objects.get(expert=expert).entered_by == bob


def test_another_researcher_gets_404(bob_client, open_round, questions, expert):
    responses = [
        bob_client.get(list_url(open_round)),
        bob_client.get(entry_url(open_round, expert)),
        bob_client.post(entry_url(open_round, expert), {"channel": Channel.PAPER}),
        bob_client.get(log_url(open_round)),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def test_an_expert_of_another_panel_gets_404(alice_client, study, open_round, questions):
    stranger = ExpertFactory(panel=PanelFactory(study=study, code_prefix="Q"))

    response = alice_client.get(entry_url(open_round, stranger))

    assert response.status_code == 404


def test_the_list_shows_each_experts_state(alice_client, alice, open_round, panel, expert):
    SubmissionFactory(
        delphi_round=open_round,
        expert=ExpertFactory(panel=panel, code="E06"),
        channel=Channel.PAPER,
        entered_by=alice,
    )

    response = alice_client.get(list_url(open_round))

    page = response.content.decode()
    assert response.status_code == 200
    assert entry_url(open_round, expert) in page
    assert "E06" in page
    assert str(Channel.PAPER.label) in page


def test_the_list_costs_the_same_queries_for_3_and_30_experts(
    alice_client, open_round, panel, django_assert_max_num_queries
):
    for number in range(30):
        expert = ExpertFactory(panel=panel, code=f"E{number + 10:02d}")
        if number % 2:
            SubmissionFactory(delphi_round=open_round, expert=expert)

    # session, user, study, round + panel, submissions + researchers, experts
    with django_assert_max_num_queries(6):
        response = alice_client.get(list_url(open_round))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 40])
def test_the_rating_entry_page_costs_the_same_queries_for_5_and_40_statements(
    alice_client, open_rating_round, expert, count, django_assert_max_num_queries
):
    statements = RoundItemFactory.create_batch(count, delphi_round=open_rating_round)
    submission = SubmissionFactory(delphi_round=open_rating_round, expert=expert, status="draft")
    Rating.objects.bulk_create(Rating(submission=submission, item=i, value=3) for i in statements)

    # session, user, study, round + panel, expert, submission, its ratings, items + statements
    with django_assert_max_num_queries(8):
        response = alice_client.get(entry_url(open_rating_round, expert))

    assert response.content.decode().count('value="3" checked') == count


def test_the_history_shows_old_and_new_answers(
    alice_client, client, bob, open_round, questions, expert
):
    question = questions[0]
    url = entry_url(open_round, expert)
    alice_client.post(url, {"channel": Channel.PAPER, f"answer_{question.pk}_1": "ก่อนแก้"})
    alice_client.post(url, {"channel": Channel.PAPER, f"answer_{question.pk}_1": "หลังแก้"})
    # Reading the trail is open to a viewer, e.g. a thesis adviser.
    StudyMemberFactory(study=open_round.study, user=bob, role=StudyMember.Role.VIEWER)
    client.force_login(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(log_url(open_round))

    page = response.content.decode()
    assert response.status_code == 200
    assert "ก่อนแก้" in page
    assert "หลังแก้" in page
    assert question.text in page
    assert "Alice" in page


def test_the_entry_page_renders_in_thai(alice_client, open_rating_round, items, expert):
    response = alice_client.get(entry_url(open_rating_round, expert))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="th"' in page
    assert open_rating_round.study.scale_labels[4] in page


# --------------------------------------------------------------- keying in a sheet fast


def test_a_typed_number_is_the_rating(alice_client, open_rating_round, items, expert):
    first, second = items

    alice_client.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"typed_{first.pk}": "4", f"typed_{second.pk}": "1"},
    )

    assert sorted(Rating.objects.values_list("item", "value")) == [(first.pk, 4), (second.pk, 1)]


def test_zero_typed_is_cannot_judge_where_the_round_allows_it(
    alice_client, open_rating_round, items, expert
):
    open_rating_round.allow_cannot_judge = True
    open_rating_round.save(update_fields=["allow_cannot_judge"])

    alice_client.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"typed_{items[0].pk}": "0"},
    )

    assert Rating.objects.get(item=items[0]).value == 0


@pytest.mark.parametrize("typed", ["0", "6", "x"])
def test_a_typed_number_off_the_scale_is_refused_clearly(
    english, open_rating_round, items, expert, typed
):
    response = english.post(
        entry_url(open_rating_round, expert),
        {"channel": Channel.PAPER, f"typed_{items[0].pk}": typed},
    )

    assert response.context["form"].has_error(f"typed_{items[0].pk}", "off_scale")
    assert "Type a number from 1 to 5." in response.content.decode()
    assert not Rating.objects.exists()


def test_an_untouched_typed_box_leaves_the_radio_choice(
    alice_client, open_rating_round, items, expert
):
    item = items[0]
    url = entry_url(open_rating_round, expert)
    alice_client.post(url, {"channel": Channel.PAPER, f"rating_{item.pk}": "3"})

    # Without a script the box still shows the stored 3; the researcher clicked 5.
    alice_client.post(
        url, {"channel": Channel.PAPER, f"rating_{item.pk}": "5", f"typed_{item.pk}": "3"}
    )

    assert Rating.objects.get(item=item).value == 5


def test_the_entry_page_offers_a_numeric_box_per_statement(
    alice_client, open_rating_round, items, expert
):
    html = alice_client.get(entry_url(open_rating_round, expert)).content.decode()

    for item in items:
        assert f'name="typed_{item.pk}"' in html
    assert html.count('inputmode="numeric"') == len(items)


def test_an_answer_box_is_added_without_saving(alice_client, open_round, questions, expert):
    first, second = questions
    url = entry_url(open_round, expert)
    typed = {f"answer_{first.pk}_{n}": f"คำตอบ {n}" for n in (1, 2, 3)}

    response = alice_client.post(url, {"channel": Channel.PAPER, **typed, "add_box": str(first.pk)})

    assert response.status_code == 200
    assert not Submission.objects.exists(), "asking for a box saves nothing"
    html = response.content.decode()
    assert all(text in html for text in typed.values()), "what was typed stays on the page"
    assert f'name="answer_{first.pk}_4"' in html
    assert f'name="answer_{second.pk}_4"' not in html

    # The fourth answer is kept when the page is saved.
    alice_client.post(url, {"channel": Channel.PAPER, **typed, f"answer_{first.pk}_4": "คำตอบ 4"})
    submission = Submission.objects.get(expert=expert)
    assert answers_of(submission, first) == ["คำตอบ 1", "คำตอบ 2", "คำตอบ 3", "คำตอบ 4"]


def test_a_later_rounds_sheet_shows_the_groups_figures_and_the_experts_own_answer(
    english, study, panel, expert
):
    """The paper sheet of round 3 prints round 2's result and the expert's answer beside each
    statement; the researcher keying it in sees the same, to check what they read aloud."""
    round_three, items = round_after_frozen_round(study, panel, values=[5, 2], expert=expert)

    page = english.get(entry_url(round_three, expert)).content.decode()

    figures = "Round 2: median 3.80, Q1\u2013Q3 3.25\u20134.25, IQR 1.00."
    assert page.count(figures) == len(items)
    assert "This expert's answer: 5." in page and "This expert's answer: 2." in page
