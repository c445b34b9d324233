import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from panels.models import AuditEvent, Expert, Panel, Study
from rounds.models import Channel, Domain, Invitation, OpenAnswer, OpenQuestion, Round, Submission

pytestmark = pytest.mark.django_db

# Quoted from the Thai paper (delphi_study_paper_th.txt), so that the demo is checked
# against the source rather than against its own constants.
PAPER_TITLE = (
    "แบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา สถานศึกษาขั้นพื้นฐาน "
    "สังกัดสำนักงานเขตพื้นที่การศึกษาประถมศึกษาบุรีรัมย์ เขต 4"
)
PAPER_DOMAIN_PASSAGES = (
    "ผลการวิจัย แบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา สถานศึกษาขั้นพื้นฐาน "
    "สังกัดสำนักงานเขตพื้นที่การศึกษาประถมศึกษาบุรีรัมย์ เขต 4 ประกอบด้วยด้านแนวคิดพื้นฐาน 4 ประการ",
    "ด้านกระบวนการขั้นตอนของการสร้างเครือข่าย ที่ต้องการให้เกิดในระดับมากที่สุด คือ",
    "ด้านองค์ประกอบของเครือข่าย ที่ต้องการให้เกิดในระดับมากที่สุด คือ",
    "ส่วนด้านขอบข่ายการบริหารงานเครือข่ายความร่วมมือ ได้แก่ 1) การพัฒนาหลักสูตร",
)
BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every load hashes the demo password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(*args) -> str:
    out = io.StringIO()
    # pytest-django runs with DEBUG off, which the command treats as a possible server.
    call_command("load_demo_study", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def output() -> str:
    return load()


@pytest.fixture
def demo_study(output) -> Study:
    return Study.objects.get(owner__username="demo")


def sign_in(password: str):
    return authenticate(request=RequestFactory().post("/"), username="demo", password=password)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Study,
            Panel,
            Expert,
            Domain,
            Round,
            OpenQuestion,
            Invitation,
            Submission,
            OpenAnswer,
        )
    }


def test_demo_study_belongs_to_the_demo_researcher_and_has_the_papers_title(demo_study):
    assert Study.objects.count() == 1
    assert demo_study.title == PAPER_TITLE
    assert demo_study.title_en
    user = demo_study.owner
    assert (user.first_name, user.last_name, user.email) == ("นักวิจัย", "ตัวอย่าง", "demo@example.org")


def test_demo_researcher_has_no_admin_rights(demo_study):
    assert not demo_study.owner.is_staff
    assert not demo_study.owner.is_superuser


def test_demo_study_uses_the_papers_likelihood_scale(demo_study):
    assert demo_study.scale_labels == [
        "แนวโน้มที่เป็นไปได้น้อยที่สุด",
        "แนวโน้มที่เป็นไปได้น้อย",
        "แนวโน้มที่เป็นไปได้ปานกลาง",
        "แนวโน้มที่เป็นไปได้มาก",
        "แนวโน้มที่เป็นไปได้มากที่สุด",
    ]


def test_panels_hold_21_specialists_and_7_qualified_persons(demo_study):
    specialists, qualified = demo_study.panels.order_by("order")

    assert (specialists.name, specialists.code_prefix) == ("ผู้เชี่ยวชาญ", "E")
    assert (qualified.name, qualified.code_prefix) == ("ผู้ทรงคุณวุฒิ", "Q")
    assert list(specialists.experts.values_list("code", flat=True)) == [
        f"E{n:02d}" for n in range(1, 22)
    ]
    assert list(qualified.experts.values_list("code", flat=True)) == [
        f"Q{n:02d}" for n in range(1, 8)
    ]


def test_experts_have_distinct_addresses_that_reach_nobody(demo_study):
    emails = [email.lower() for email in Expert.objects.values_list("email", flat=True)]

    assert len(emails) == len(set(emails)) == 28
    assert all(email.endswith("@example.org") for email in emails)
    assert all("-555-" in phone for phone in Expert.objects.values_list("phone", flat=True))


def test_experts_have_names_positions_and_organisations(demo_study):
    incomplete = Expert.objects.filter(name="") | Expert.objects.filter(position="")
    incomplete |= Expert.objects.filter(organisation="") | Expert.objects.filter(qualification="")

    assert not incomplete.exists()
    assert Expert.objects.exclude(line_id="").exists()


def test_domains_are_the_four_of_the_paper_in_its_order(demo_study):
    titles = list(demo_study.domains.values_list("title", flat=True))

    assert len(titles) == 4
    for title, passage in zip(titles, PAPER_DOMAIN_PASSAGES, strict=True):
        assert title in passage


def test_round_one_asks_open_questions_in_every_domain(demo_study):
    round_one = demo_study.rounds.get(number=1)

    assert round_one.kind == Round.Kind.OPEN
    assert round_one.panel.code_prefix == "E"
    for domain in demo_study.domains.all():
        assert round_one.questions.filter(domain=domain).count() >= 2


def test_round_one_ran_on_the_papers_dates_and_is_closed(demo_study):
    round_one = demo_study.rounds.get(number=1)

    assert round_one.status == Round.Status.CLOSED
    assert round_one.opens_at.astimezone(BANGKOK).date() == datetime.date(2019, 1, 22)
    assert round_one.closes_at.astimezone(BANGKOK).date() == datetime.date(2019, 2, 25)


def test_specialists_rate_twice_then_qualified_persons_confirm(demo_study):
    rounds = {r.number: r for r in demo_study.rounds.select_related("panel", "previous_round")}

    assert [(r.kind, r.panel.code_prefix) for r in rounds.values()] == [
        (Round.Kind.OPEN, "E"),
        (Round.Kind.RATING, "E"),
        (Round.Kind.RATING, "E"),
        (Round.Kind.CONFIRMATION, "Q"),
    ]
    assert rounds[2].previous_round == rounds[1]
    assert rounds[3].previous_round == rounds[2]
    assert rounds[3].opens_at.astimezone(BANGKOK).date() == datetime.date(2019, 3, 30)
    assert rounds[3].closes_at.astimezone(BANGKOK).date() == datetime.date(2019, 4, 24)
    assert rounds[4].opens_at is None
    assert [r.status for r in rounds.values()] == [
        Round.Status.CLOSED,
        Round.Status.DRAFT,
        Round.Status.DRAFT,
        Round.Status.DRAFT,
    ]


def test_demo_researcher_signs_in_with_the_printed_password(output):
    printed = re.search(r'"demo"[^"]*"([^"]+)"', output).group(1)

    user = sign_in(printed)

    assert user is not None
    assert user.get_username() == "demo"


def test_loading_twice_duplicates_nothing(output):
    before = counts()

    load()

    assert counts() == before
    answers = before.pop("OpenAnswer")
    assert before == {
        "Study": 1,
        "Panel": 2,
        "Expert": 28,
        "Domain": 4,
        "Round": 4,
        "OpenQuestion": 13,
        "Invitation": 21,
        "Submission": 18,
    }
    assert 18 * 13 * 2 <= answers <= 18 * 13 * 3
    assert AuditEvent.objects.filter(action="demo.load").count() == 1


def test_loading_again_says_nothing_was_missing(output):
    with translation.override("en"):
        again = load()

    assert "nothing was added" in again
    assert "Created" not in again


def test_loading_again_restores_a_changed_password_and_lifts_a_lockout(output):
    user = get_user_model().objects.get(username="demo")
    user.set_password("something-else-entirely")
    user.save()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong")
    assert sign_in("something-else-entirely") is None

    load()

    assert sign_in("demo-delphi-2562") is not None


def test_loading_again_keeps_the_researchers_edits(demo_study):
    expert = Expert.objects.get(code="E01")
    expert.name = "ชื่อที่ผู้วิจัยแก้ไข"
    expert.save()

    load()

    expert.refresh_from_db()
    assert expert.name == "ชื่อที่ผู้วิจัยแก้ไข"


def test_loading_again_restores_a_deleted_expert(demo_study):
    # A qualified person: the specialists were invited to round 1, which protects them.
    Expert.objects.get(code="Q05").delete()

    load()

    assert Expert.objects.filter(code="Q05", email="q05@example.org").exists()


def test_loading_again_leaves_an_opened_round_ones_questions_alone(demo_study):
    round_one = demo_study.rounds.get(number=1)
    round_one.status = Round.Status.OPEN
    round_one.save()
    OpenAnswer.objects.filter(question__delphi_round=round_one, question__order=2).delete()
    round_one.questions.filter(order=2).delete()
    remaining = round_one.questions.count()

    load()

    assert round_one.questions.count() == remaining


def test_quiet_prints_only_the_login_lines(db):
    with translation.override("en"):
        printed = load("--quiet")

    assert printed.splitlines() == [
        'Demo researcher: user name "demo", password "demo-delphi-2562"',
        "Address: http://127.0.0.1:8000/",
    ]


def test_command_refuses_to_publish_the_demo_login_when_debug_is_off(db):
    with pytest.raises(CommandError):
        call_command("load_demo_study", stdout=io.StringIO())

    assert not Study.objects.exists()
    assert not get_user_model().objects.filter(username="demo").exists()


def test_study_page_shows_both_panels_with_their_expert_counts(client, demo_study):
    client.force_login(demo_study.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(demo_study.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "ผู้เชี่ยวชาญ" in page
    assert "ผู้ทรงคุณวุฒิ" in page
    assert "21 experts" in page
    assert "7 experts" in page
    assert "ด้านแนวคิดพื้นฐาน" in page


def test_study_list_counts_28_experts(client, demo_study):
    client.force_login(demo_study.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("panels:study_list"))

    assert response.status_code == 200
    assert "28 experts" in response.content.decode()


# ------------------------------------------------------------------ round 1 as it ended


def test_all_21_specialists_were_invited_on_22_january_2019(demo_study):
    invitations = Invitation.objects.filter(delphi_round__study=demo_study)

    assert invitations.count() == 21
    assert set(invitations.values_list("delphi_round__number", flat=True)) == {1}
    assert {i.expert.code for i in invitations} == {f"E{n:02d}" for n in range(1, 22)}
    assert all(i.send_status == Invitation.SendStatus.SENT for i in invitations)
    assert {i.sent_at.astimezone(BANGKOK).date() for i in invitations} == {
        datetime.date(2019, 1, 22)
    }


def test_18_of_the_21_specialists_returned_round_one(demo_study):
    round_one = demo_study.rounds.get(number=1)
    submitted = round_one.submissions.filter(status=Submission.Status.SUBMITTED)
    silent = round_one.panel.experts.exclude(submissions__delphi_round=round_one)

    assert submitted.count() == round_one.submissions.count() == 18
    assert silent.count() == 3
    # The three who never answered were reminded, to no avail.
    assert all(
        invitation.reminders_sent >= 1
        for invitation in round_one.invitations.filter(expert__in=silent)
    )


def test_round_one_answers_came_back_within_the_papers_33_days(demo_study):
    round_one = demo_study.rounds.get(number=1)

    for submission in round_one.submissions.all():
        assert round_one.opens_at <= submission.started_at <= submission.submitted_at
        assert submission.submitted_at <= round_one.closes_at


def test_answers_keyed_in_by_the_researcher_record_channel_and_researcher(demo_study):
    submissions = Submission.objects.filter(delphi_round__study=demo_study)
    web = submissions.filter(channel=Channel.WEB)
    keyed_in = submissions.exclude(channel=Channel.WEB)

    assert {Channel.PAPER, Channel.LINE, Channel.EMAIL} <= set(
        keyed_in.values_list("channel", flat=True)
    )
    assert web.exists()
    assert all(s.entered_by == demo_study.owner for s in keyed_in)
    assert not web.filter(entered_by__isnull=False).exists()


def test_every_returned_questionnaire_answers_every_question_two_or_three_times(demo_study):
    round_one = demo_study.rounds.get(number=1)
    questions = list(round_one.questions.all())

    for submission in round_one.submissions.all():
        for question in questions:
            texts = [a.text for a in submission.answers.filter(question=question)]
            assert 2 <= len(texts) <= 3, (submission.expert.code, question.order)
            assert len(set(texts)) == len(texts)
            assert all(text.strip() for text in texts)


def test_the_answers_speak_of_the_papers_six_steps(demo_study):
    answers = " ".join(OpenAnswer.objects.values_list("text", flat=True))

    for step in ("ตระหนัก", "ประสาน", "พันธสัญญา", "กัลยาณมิตร", "แลกเปลี่ยนเรียนรู้"):
        assert step in answers


def test_a_round_one_the_researcher_has_opened_gets_no_demo_answers(demo_study):
    round_one = demo_study.rounds.get(number=1)
    OpenAnswer.objects.all().delete()
    round_one.submissions.all().delete()
    round_one.invitations.all().delete()
    round_one.status = Round.Status.OPEN
    round_one.save()

    load()

    assert not round_one.invitations.exists()
    assert not round_one.submissions.exists()
    round_one.refresh_from_db()
    assert round_one.status == Round.Status.OPEN


def test_loading_reports_round_ones_returns(db):
    with translation.override("en"):
        printed = load()

    assert "invited 21 specialists, added 18 returned questionnaires" in printed


def test_the_tracking_page_shows_18_of_21_returned(client, demo_study):
    round_one = demo_study.rounds.get(number=1)
    client.force_login(demo_study.owner)

    response = client.get(reverse("rounds:tracking", args=[demo_study.pk, round_one.pk]))

    tracking = response.context["tracking"]
    assert response.status_code == 200
    assert (tracking.invited, tracking.submitted) == (21, 18)
