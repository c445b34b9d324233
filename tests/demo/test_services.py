import datetime
import io
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from analysis import selectors
from demo.answers import NON_RESPONDENTS, round_one_answers_load
from demo.services import demo_study_load
from panels.models import AuditEvent, Expert, Panel, Study
from rounds.models import (
    Channel,
    Domain,
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)
from rounds.results import round_results_freeze
from tests.rounds.factories import RoundFactory

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
            Statement,
            StatementSource,
            RoundItem,
            Rating,
            ItemResult,
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
    # The paper's three Delphi rounds are over and the qualified persons have confirmed.
    assert [r.status for r in rounds.values()] == [Round.Status.CLOSED] * 4


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
    sources = before.pop("StatementSource")
    assert before == {
        "Study": 1,
        "Panel": 2,
        "Expert": 28,
        "Domain": 4,
        "Round": 4,
        "OpenQuestion": 13,
        # Rounds 1, 2 and 3: 21 invited, 18 answered, each time; round 4: all 7 of 7.
        "Invitation": 3 * 21 + 7,
        "Submission": 3 * 18 + 7,
        # 22 statements rated, 3 duplicates merged into them; all 22 are the final model.
        "Statement": 25,
        "RoundItem": 3 * 22,
        # Round 4 rates every component on 3 criteria.
        "Rating": 2 * 18 * 22 + 7 * 22 * 3,
        "ItemResult": 2 * 22 + 22 * 3,
    }
    assert 18 * 13 * 2 <= answers <= 18 * 13 * 3
    assert sources >= 25
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


def test_loading_again_restores_a_deleted_expert(db):
    # Stopping before round 4 leaves the qualified persons uninvited, so one can be deleted
    # (the specialists were invited to round 1, which protects them).
    load("--until-round", "3")
    Expert.objects.get(code="Q05").delete()

    load("--until-round", "3")

    assert Expert.objects.filter(code="Q05", email="q05@example.org").exists()


def test_loading_again_leaves_an_opened_round_ones_questions_alone(demo_study):
    round_one = demo_study.rounds.get(number=1)
    round_one.status = Round.Status.OPEN
    round_one.save()
    answers = OpenAnswer.objects.filter(question__delphi_round=round_one, question__order=2)
    StatementSource.objects.filter(answer__in=answers).delete()
    answers.delete()
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


def test_the_printed_address_is_where_make_run_serves(db):
    with translation.override("en"):
        printed = load("--quiet", "--url", "http://127.0.0.1:8131/")

    assert printed.splitlines()[-1] == "Address: http://127.0.0.1:8131/"


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
    invitations = Invitation.objects.filter(delphi_round__study=demo_study, delphi_round__number=1)

    assert invitations.count() == 21
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
    specialists = demo_study.panels.get(code_prefix="E")
    opened = RoundFactory(study=demo_study, panel=specialists, number=9, status=Round.Status.OPEN)
    created = Counter()

    round_one_answers_load(delphi_round=opened, user=demo_study.owner, created=created)

    assert not opened.invitations.exists()
    assert not opened.submissions.exists()
    opened.refresh_from_db()
    assert opened.status == Round.Status.OPEN
    assert not any(created.values())


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


# ------------------------------------------------------------------ the content analysis


def active_statements(study):
    return Statement.objects.filter(study=study, status=Statement.Status.ACTIVE)


def test_round_one_is_coded_into_the_papers_statements_domain_by_domain(demo_study):
    per_domain = [
        active_statements(demo_study).filter(domain=domain).count()
        for domain in demo_study.domains.all()
    ]

    # Underlying concepts 4, process 6, components 5, scope of administration 7.
    assert per_domain == [4, 6, 5, 7]
    step_texts = " ".join(
        active_statements(demo_study).filter(domain__order=2).values_list("text", flat=True)
    )
    for step in ("ตระหนัก", "ประสาน", "พันธสัญญา", "บริหารจัดการ", "พัฒนาความสัมพันธ์", "รักษา"):
        assert step in step_texts


def test_every_statement_shows_the_answers_it_came_from(demo_study):
    statements = list(Statement.objects.filter(study=demo_study).prefetch_related("sources"))

    assert all(statement.sources.all() for statement in statements)
    assert all(statement.origin == Statement.Origin.ANSWERS for statement in statements)


def test_merged_duplicates_keep_their_sources_and_pass_them_on(demo_study):
    merged = Statement.objects.filter(study=demo_study, status=Statement.Status.MERGED)

    assert merged.count() == 3
    for duplicate in merged:
        target = duplicate.merged_into
        assert target.status == Statement.Status.ACTIVE
        own = set(duplicate.sources.values_list("pk", flat=True))
        assert own
        assert own <= set(target.sources.values_list("pk", flat=True))


def test_every_round_one_answer_became_a_statement_or_was_set_aside(demo_study):
    answers = OpenAnswer.objects.filter(question__delphi_round__study=demo_study)
    with_source = set(StatementSource.objects.values_list("answer_id", flat=True))
    set_aside = answers.exclude(out_of_scope_reason="")

    assert set(answers.values_list("pk", flat=True)) == with_source | set(
        set_aside.values_list("pk", flat=True)
    )
    assert not with_source & set(set_aside.values_list("pk", flat=True))
    # Two suggestions lie outside the study's scope, each set aside with its reason.
    assert set_aside.values("text").distinct().count() == 2
    assert all(
        len(reason) > 20 for reason in set_aside.values_list("out_of_scope_reason", flat=True)
    )


# ------------------------------------------------------------------ rounds 2 and 3


@pytest.mark.parametrize("number", [2, 3])
def test_the_same_18_specialists_answered_every_statement(demo_study, number):
    delphi_round = demo_study.rounds.get(number=number)
    submitted = delphi_round.submissions.filter(status=Submission.Status.SUBMITTED)

    assert delphi_round.invitations.count() == 21
    assert submitted.count() == 18
    assert not submitted.filter(expert__code__in=NON_RESPONDENTS).exists()
    assert delphi_round.items.count() == 22
    assert Rating.objects.filter(submission__delphi_round=delphi_round).count() == 18 * 22


def test_rating_rounds_ask_the_active_statements_and_ran_on_the_papers_dates(demo_study):
    second, third = demo_study.rounds.get(number=2), demo_study.rounds.get(number=3)

    asked = set(second.items.values_list("statement_id", flat=True))
    assert asked == set(active_statements(demo_study).values_list("pk", flat=True))
    assert set(third.items.values_list("statement_id", flat=True)) == asked
    for delphi_round in (second, third):
        for submission in delphi_round.submissions.all():
            assert delphi_round.opens_at <= submission.submitted_at <= delphi_round.closes_at
    # Round 3 shows the group's median and IQR and each expert's own round-2 answer.
    assert third.show_median and third.show_iqr and third.show_own_previous


def test_rules_were_fixed_when_round_two_opened(demo_study):
    opened = demo_study.rounds.get(number=2).opens_at

    assert demo_study.rules_locked_at == opened


def test_every_item_has_frozen_results_equal_to_a_fresh_freeze(demo_study):
    third = demo_study.rounds.get(number=3)
    frozen = {
        r.item_id: (r.median, r.iqr, r.consensus)
        for r in ItemResult.objects.filter(item__delphi_round=third)
    }

    round_results_freeze(delphi_round=third)

    assert len(frozen) == third.items.count() == 22
    assert frozen == {
        r.item_id: (r.median, r.iqr, r.consensus)
        for r in ItemResult.objects.filter(item__delphi_round=third)
    }


def results(study, number):
    return list(
        ItemResult.objects.filter(
            item__delphi_round__study=study, item__delphi_round__number=number
        )
    )


def test_round_three_resembles_the_paper(demo_study):
    final = results(demo_study, 3)
    highest = [r for r in final if r.band == "highest" and r.consensus]
    high = [r for r in final if r.band == "high"]

    assert len(highest) > len(final) / 2
    assert all(r.median >= 4.5 and r.iqr <= 1.5 for r in highest)
    assert 2 <= len(high) <= 5
    assert all(r.consensus for r in final)


def test_statements_without_consensus_in_round_two_reach_it_in_round_three(demo_study):
    before = {r.item.statement_id: r.consensus for r in results(demo_study, 2)}
    after = {r.item.statement_id: r.consensus for r in results(demo_study, 3)}

    late = [statement for statement, agreed in before.items() if not agreed]
    assert 1 <= len(late) <= 3
    assert all(after[statement] for statement in late)


def test_round_three_changes_are_few_and_explained(demo_study):
    previous = {
        (r.submission.expert_id, r.item.statement_id): r.value
        for r in Rating.objects.filter(submission__delphi_round__number=2).select_related(
            "submission", "item"
        )
    }
    third = Rating.objects.filter(submission__delphi_round__number=3).select_related(
        "submission", "item"
    )
    changed = [
        r for r in third if r.value != previous[(r.submission.expert_id, r.item.statement_id)]
    ]

    assert 3 <= len(changed) <= 22
    assert all(r.reason for r in changed)
    per_statement = Counter(r.item.statement_id for r in changed)
    # At most 2 of 18 experts per statement: stable under the default 15 % rule.
    assert max(per_statement.values()) <= 2


def test_the_stopping_rule_asks_for_round_three_and_stops_after_it(demo_study):
    rounds = Round.objects.select_related("study", "previous_round").filter(study=demo_study)
    with translation.override("en"):
        second = selectors.round_results(delphi_round=rounds.get(number=2))
        third = selectors.round_results(delphi_round=rounds.get(number=3))

    assert not second.verdict.stop
    assert third.verdict.stop
    assert third.verdict.sentence == (
        "Stop: 100 % of statements reached consensus and answers are stable."
    )


def test_one_statement_changes_status_under_the_agreement_definitions(demo_study):
    third = Round.objects.select_related("study", "previous_round").get(study=demo_study, number=3)

    sensitivity = selectors.round_results(delphi_round=third).sensitivity

    [row] = sensitivity.changing
    assert row.result.consensus and row.result.iqr == 1.5
    assert row.definitions == {"iqr": True, "iqr_and_agreement": False, "agreement": False}


def test_the_results_page_of_round_three_renders_for_the_demo_researcher(client, demo_study):
    third = demo_study.rounds.get(number=3)
    client.force_login(demo_study.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("analysis:round_results", args=[demo_study.pk, third.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"].items == 22
    assert "Stop: 100 % of statements reached consensus" in page
    assert "มากที่สุด" in page
    assert "18 of 21 invited experts answered" in page


def test_loading_until_round_one_leaves_the_content_analysis_to_do(db):
    result = demo_study_load(until_round=1)

    assert not Statement.objects.filter(study=result.study).exists()
    rounds = {r.number: r.status for r in result.study.rounds.all()}
    assert rounds == {
        1: Round.Status.CLOSED,
        2: Round.Status.DRAFT,
        3: Round.Status.DRAFT,
        4: Round.Status.DRAFT,
    }


def test_a_round_two_the_researcher_has_built_is_left_alone(db):
    result = demo_study_load(until_round=1)
    second = result.study.rounds.get(number=2)
    second.title = "รอบที่ 2 ของผู้วิจัย"
    second.save()
    RoundItem.objects.create(
        delphi_round=second,
        statement=Statement.objects.create(study=result.study, text="ข้อความของผู้วิจัย"),
    )

    demo_study_load()

    second.refresh_from_db()
    assert second.status == Round.Status.DRAFT
    assert list(second.items.values_list("statement__text", flat=True)) == ["ข้อความของผู้วิจัย"]
    assert not second.submissions.exists()
    # The researcher's statement means round 1 is theirs to code: no demo statements added.
    assert Statement.objects.filter(study=result.study).count() == 1


def test_loading_reports_the_coding_and_the_rating_rounds(db):
    with translation.override("en"):
        printed = load()

    assert "Round 1 coded: 25 statements" in printed
    assert "added 36 returned questionnaires with 792 ratings" in printed


def test_the_command_can_stop_after_round_one_for_coding_practice():
    call_command("load_demo_study", "--force", "--quiet", "--until-round", "1")

    study = Study.objects.get(owner__username="demo")
    assert not Statement.objects.filter(study=study).exists()
    assert study.rounds.get(number=1).status == Round.Status.CLOSED
    assert study.rounds.get(number=2).status == Round.Status.DRAFT
