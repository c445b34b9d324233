"""The content-analysis workspace from the outside: pages, HTMX actions, plain POSTs, export."""

import pytest
from django.urls import reverse

from panels.models import AuditEvent, StudyMember
from rounds.models import OpenAnswer, Round, Statement, StatementSource
from tests.panels.factories import StudyMemberFactory
from tests.rounds.factories import (
    RoundItemFactory,
    StatementFactory,
    answered_round,
    statement_from,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _url(name: str, answered, **kwargs) -> str:
    delphi_round = answered.delphi_round
    return reverse(
        f"rounds:{name}",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk, **kwargs},
    )


def _sources(statement: Statement) -> set[int]:
    return set(
        StatementSource.objects.filter(statement=statement).values_list("answer_id", flat=True)
    )


def _workspace_swapped(response) -> bool:
    return (
        response.status_code == 200
        and response.headers.get("HX-Retarget") == "#coding-workspace"
        and response.headers.get("HX-Reswap") == "outerHTML"
        and 'id="coding-workspace"' in response.content.decode()
    )


# The page ------------------------------------------------------------------------------------


def test_workspace_shows_answers_by_expert_code_with_their_questions(client_en, answered):
    response = client_en.get(_url("coding", answered))

    html = response.content.decode()
    assert response.status_code == 200
    assert "คำตอบ E02 ข้อ 1" in html
    assert ">E02</span>" in html
    assert answered.questions[0].text in html
    assert answered.questions[0].domain.title in html


def test_workspace_shows_each_statement_with_its_source_badges(client_en, answered):
    statement_from(answered.answers_of("E03"), text="สร้างความตระหนัก")

    html = client_en.get(_url("coding", answered)).content.decode()

    assert "สร้างความตระหนัก" in html
    assert "E03·1" in html and "E03·2" in html
    assert 'data-source-count="2"' in html


def test_each_answer_shows_what_became_of_it(client_en, answered):
    statement = statement_from(answered.answers_of("E01")[:1])
    OpenAnswer.objects.filter(pk=answered.answers_of("E02")[0].pk).update(
        out_of_scope_reason="เรื่องเงินเดือน"
    )

    html = client_en.get(_url("coding", answered)).content.decode()

    assert f'href="#statement-{statement.pk}" data-became="1"' in html
    assert "Out of scope: เรื่องเงินเดือน" in html


def test_progress_counts_coded_answers(client_en, answered):
    statement_from(answered.answers_of("E01"))

    html = client_en.get(_url("coding", answered)).content.decode()

    assert "2 of 6 answers coded" in html
    assert 'aria-valuenow="2"' in html


@pytest.mark.parametrize("status", [Round.Status.DRAFT, Round.Status.OPEN])
def test_workspace_waits_politely_until_the_round_is_closed(client_en, study, status):
    early = answered_round(study, status=status)

    response = client_en.get(_url("coding", early))

    assert response.status_code == 200
    assert "Content analysis starts when the round is closed" in response.content.decode()
    assert "คำตอบ E01" not in response.content.decode()


def test_round_page_links_to_the_workspace_once_closed(client_en, answered):
    html = client_en.get(answered.delphi_round.get_absolute_url()).content.decode()

    assert _url("coding", answered) in html


def test_search_by_htmx_returns_only_the_matching_answers(client_en, answered):
    response = client_en.get(
        _url("coding", answered), {"q": "E02"}, headers={**HTMX, "HX-Target": "coding-answers"}
    )

    html = response.content.decode()
    assert html.startswith('<section id="coding-answers"')
    assert "คำตอบ E02 ข้อ 1" in html
    assert "คำตอบ E01" not in html
    assert "coding-statements" not in html


def test_search_works_without_javascript(client_en, answered):
    html = client_en.get(_url("coding", answered), {"q": "ข้อ 2"}).content.decode()

    assert "คำตอบ E01 ข้อ 2" in html
    assert "คำตอบ E01 ข้อ 1" not in html
    assert 'value="ข้อ 2"' in html


# Creating statements -------------------------------------------------------------------------


def test_create_form_starts_with_the_first_chosen_answers_wording(client_en, answered):
    chosen = answered.answers_of("E02")

    response = client_en.get(
        _url("coding_statement_create", answered),
        {"answers": [a.pk for a in chosen]},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "คำตอบ E02 ข้อ 1</textarea>" in html
    assert f'value="{chosen[1].pk}"' in html
    assert f'<option value="{answered.questions[0].domain.pk}" selected>' in html
    assert "<html" not in html


def test_create_by_htmx_swaps_in_the_refreshed_workspace(client_en, answered):
    chosen = answered.answers_of("E01")

    response = client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [a.pk for a in chosen], "text": "ประสานงาน", "domain": ""},
        headers=HTMX,
    )

    statement = Statement.objects.get()
    assert _sources(statement) == {a.pk for a in chosen}
    assert _workspace_swapped(response)
    html = response.content.decode()
    assert "Statement S01 was created from 2 answers." in html
    assert "2 of 6 answers coded" in html


def test_create_by_plain_post_redirects_back_with_a_message(client_en, answered):
    response = client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [answered.answers[0].pk], "text": "ประสานงาน", "domain": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _url("coding", answered)
    assert "Statement S01 was created from 1 answer." in response.content.decode()
    assert Statement.objects.count() == 1


def test_create_without_wording_keeps_the_form_and_saves_nothing(client_en, answered):
    response = client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [answered.answers[0].pk], "text": " ", "domain": ""},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "HX-Retarget" not in response.headers
    assert "Write the wording of the statement." in response.content.decode()
    assert not Statement.objects.exists()


@pytest.mark.parametrize("tampered", ["abc", "999999"])
def test_create_with_a_tampered_answer_explains_and_saves_nothing(client_en, answered, tampered):
    response = client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [answered.answers[0].pk, tampered], "text": "ก", "domain": ""},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "is not an answer of this round" in response.content.decode()
    assert not Statement.objects.exists()


def test_create_without_answers_asks_to_tick_some(client_en, answered):
    response = client_en.get(_url("coding_statement_create", answered), headers=HTMX)

    assert "First tick the answers the statement comes from." in response.content.decode()


def test_service_refusal_is_shown_in_the_create_form(client_en, answered):
    answer = answered.answers[0]
    OpenAnswer.objects.filter(pk=answer.pk).update(out_of_scope_reason="ไม่เกี่ยว")

    response = client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [answer.pk], "text": "ข้อความ", "domain": ""},
    )

    assert response.status_code == 200
    assert "is marked out of scope" in response.content.decode()
    assert not Statement.objects.exists()


def test_answers_added_to_an_existing_statement_by_htmx(client_en, answered):
    statement = statement_from(answered.answers_of("E01")[:1])
    extra = answered.answers_of("E02")[0]

    response = client_en.post(
        _url("coding_sources_add", answered),
        {"statement": statement.pk, "answers": [extra.pk]},
        headers=HTMX,
    )

    assert _workspace_swapped(response)
    assert _sources(statement) == {answered.answers_of("E01")[0].pk, extra.pk}


def test_answers_added_to_an_existing_statement_by_plain_post(client_en, answered):
    statement = statement_from(answered.answers_of("E01")[:1])
    extra = answered.answers_of("E02")[0]

    response = client_en.post(
        _url("coding_sources_add", answered),
        {"statement": statement.pk, "answers": [extra.pk]},
        follow=True,
    )

    assert "1 answer was added to statement S01." in response.content.decode()
    assert extra.pk in _sources(statement)


# Statement actions ---------------------------------------------------------------------------


def test_edit_by_htmx(client_en, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")

    response = client_en.post(
        _url("coding_statement_edit", answered, statement_pk=statement.pk),
        {"text": "ใหม่", "domain": "", "version": "1"},
        headers=HTMX,
    )

    statement.refresh_from_db()
    assert statement.text == "ใหม่"
    assert _workspace_swapped(response)


def test_edit_by_plain_post(client_en, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")

    response = client_en.post(
        _url("coding_statement_edit", answered, statement_pk=statement.pk),
        {"text": "ใหม่", "domain": "", "version": "1"},
    )

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "ใหม่"


def test_edit_form_without_javascript_is_a_page_of_its_own(client_en, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")

    response = client_en.get(_url("coding_statement_edit", answered, statement_pk=statement.pk))

    html = response.content.decode()
    assert "<html" in html
    assert "เดิม</textarea>" in html
    assert "hx-post" not in html.split('id="main"')[1]


def test_editing_a_statement_experts_have_seen_explains_the_lock(client_en, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")
    RoundItemFactory(
        statement=statement,
        delphi_round__study=statement.study,
        delphi_round__panel=answered.delphi_round.panel,
        delphi_round__status=Round.Status.OPEN,
    )

    response = client_en.post(
        _url("coding_statement_edit", answered, statement_pk=statement.pk),
        {"text": "ใหม่", "domain": "", "version": "1"},
        headers=HTMX,
    )

    assert "has been sent to experts" in response.content.decode()
    statement.refresh_from_db()
    assert statement.text == "เดิม"


@pytest.fixture
def editor_client(answered, bob, bob_client):
    StudyMemberFactory(study=answered.delphi_round.study, user=bob, role=StudyMember.Role.EDITOR)
    return bob_client


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_a_stale_edit_shows_the_colleagues_wording_and_keeps_ones_own(
    client_en, editor_client, answered, headers
):
    statement = statement_from(answered.answers[:1], text="เดิม")
    url = _url("coding_statement_edit", answered, statement_pk=statement.pk)
    # Alice and Bob both open the form; Bob saves first.
    for client in (client_en, editor_client):
        assert 'name="version" value="1"' in client.get(url, headers=headers).content.decode()
    editor_client.post(url, {"text": "ของบ็อบ", "domain": "", "version": "1"}, headers=headers)

    response = client_en.post(
        url, {"text": "ของอลิซ", "domain": "", "version": "1"}, headers=headers
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not _workspace_swapped(response)
    assert ("<html" in html) == (not headers)
    assert "Someone else saved this statement while you were editing it" in html
    assert "ของบ็อบ</textarea>" in html  # the form now holds Bob's wording …
    assert 'name="version" value="2"' in html
    assert "Your wording (not saved)" in html  # … and Alice's stays on the page
    assert "readonly>ของอลิซ</textarea>" in html
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("ของบ็อบ", 2)

    # Having seen Bob's change, Alice may still save hers, from the form as it now stands.
    client_en.post(url, {"text": "ของอลิซ", "domain": "", "version": "2"}, headers=headers)
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("ของอลิซ", 3)


def test_an_edit_form_without_its_version_is_refused(client_en, answered):
    statement = statement_from(answered.answers[:1], text="เดิม")

    response = client_en.post(
        _url("coding_statement_edit", answered, statement_pk=statement.pk),
        {"text": "ใหม่", "domain": ""},
        headers=HTMX,
    )

    assert "This form is out of date" in response.content.decode()
    statement.refresh_from_db()
    assert statement.text == "เดิม"


def test_merge_by_htmx(client_en, answered):
    target = statement_from(answered.answers_of("E01"))
    other = statement_from(answered.answers_of("E02"))

    response = client_en.post(
        _url("coding_statement_merge", answered, statement_pk=other.pk),
        {"target": target.pk},
        headers=HTMX,
    )

    other.refresh_from_db()
    assert (other.status, other.merged_into) == (Statement.Status.MERGED, target)
    assert _workspace_swapped(response)
    assert "Statement S02 was merged into S01" in response.content.decode()


def test_merge_by_plain_post(client_en, answered):
    target = statement_from(answered.answers_of("E01"))
    other = statement_from(answered.answers_of("E02"))

    response = client_en.post(
        _url("coding_statement_merge", answered, statement_pk=other.pk), {"target": target.pk}
    )

    assert response.status_code == 302
    assert _sources(target) == {
        a.pk for a in answered.answers_of("E01") + answered.answers_of("E02")
    }


def test_merge_form_offers_only_other_active_statements(client_en, answered):
    statement = statement_from(answered.answers_of("E01"), text="ที่จะรวม")
    retired = statement_from(answered.answers_of("E03"), text="ตัดออกแล้ว")
    Statement.objects.filter(pk=retired.pk).update(status=Statement.Status.OUT_OF_SCOPE)
    statement_from(answered.answers_of("E02"), text="เป้าหมาย")

    response = client_en.get(
        _url("coding_statement_merge", answered, statement_pk=statement.pk), headers=HTMX
    )

    options = response.content.decode().split("<select")[1].split("</select>")[0]
    assert "เป้าหมาย" in options
    assert "ที่จะรวม" not in options
    assert "ตัดออกแล้ว" not in options


def test_split_by_htmx(client_en, answered):
    e01, e02 = answered.answers_of("E01")[0], answered.answers_of("E02")[0]
    statement = statement_from([e01, e02], text="สองเรื่อง")

    response = client_en.post(
        _url("coding_statement_split", answered, statement_pk=statement.pk),
        {
            "parts": "2",
            "text_1": "เรื่องหนึ่ง",
            "domain_1": "",
            "answers_1": [e01.pk],
            "text_2": "เรื่องสอง",
            "domain_2": "",
            "answers_2": [e02.pk],
        },
        headers=HTMX,
    )

    assert _workspace_swapped(response)
    assert "Statement S01 was split into S01, S02." in response.content.decode()
    new = Statement.objects.exclude(pk=statement.pk).get()
    assert (new.text, _sources(new)) == ("เรื่องสอง", {e02.pk})


def test_split_by_plain_post(client_en, answered):
    e01, e02 = answered.answers_of("E01")[0], answered.answers_of("E02")[0]
    statement = statement_from([e01, e02])

    response = client_en.post(
        _url("coding_statement_split", answered, statement_pk=statement.pk),
        {
            "parts": "2",
            "text_1": "ก",
            "answers_1": [e01.pk, e02.pk],
            "text_2": "ข",
            "answers_2": [e02.pk],
        },
    )

    assert response.status_code == 302
    assert Statement.objects.count() == 2


def test_split_add_another_part_saves_nothing_and_keeps_what_was_typed(client_en, answered):
    statement = statement_from(answered.answers[:2], text="เดิม")

    response = client_en.post(
        _url("coding_statement_split", answered, statement_pk=statement.pk),
        {"parts": "2", "text_1": "ส่วนแรก", "text_2": "ส่วนสอง", "add_part": "1"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert 'name="text_3"' in html
    assert "ส่วนแรก</textarea>" in html and "ส่วนสอง</textarea>" in html
    assert 'name="parts" value="3"' in html
    assert Statement.objects.count() == 1


def test_split_losing_an_answer_is_explained(client_en, answered):
    e01, e02 = answered.answers_of("E01")[0], answered.answers_of("E02")[0]
    statement = statement_from([e01, e02])

    response = client_en.post(
        _url("coding_statement_split", answered, statement_pk=statement.pk),
        {"parts": "2", "text_1": "ก", "answers_1": [e01.pk], "text_2": "ข"},
        headers=HTMX,
    )

    assert "Missing: E02." in response.content.decode()
    assert Statement.objects.count() == 1


def test_statement_out_of_scope_by_htmx_and_restore_by_plain_post(client_en, answered):
    statement = statement_from(answered.answers[:1])

    response = client_en.post(
        _url("coding_statement_out_of_scope", answered, statement_pk=statement.pk),
        {"reason": "นอกขอบเขต"},
        headers=HTMX,
    )
    assert _workspace_swapped(response)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.OUT_OF_SCOPE

    response = client_en.post(_url("coding_statement_restore", answered, statement_pk=statement.pk))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE


def test_statement_out_of_scope_by_plain_post(client_en, answered):
    statement = statement_from(answered.answers[:1])

    response = client_en.post(
        _url("coding_statement_out_of_scope", answered, statement_pk=statement.pk),
        {"reason": "about teachers' pay"},
        follow=True,
    )

    html = response.content.decode()
    assert "Statement S01 was set aside as out of scope." in html
    assert "about teachers&#x27; pay" in html, "the reason is shown on the statement"
    assert _url("coding_statement_restore", answered, statement_pk=statement.pk) in html
    assert "Undo: bring it back" in html


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_setting_a_statement_aside_asks_for_a_reason(client_en, answered, headers):
    statement = statement_from(answered.answers[:1])
    url = _url("coding_statement_out_of_scope", answered, statement_pk=statement.pk)

    form = client_en.get(url, headers=headers)
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()

    response = client_en.post(url, {"reason": "  "}, headers=headers)

    assert response.status_code == 200
    assert "Say why the statement is out of scope." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE


def test_refused_action_by_htmx_shows_the_reason_in_the_workspace(client_en, answered):
    statement = statement_from(answered.answers[:1])
    RoundItemFactory(
        statement=statement,
        delphi_round__study=statement.study,
        delphi_round__panel=answered.delphi_round.panel,
        delphi_round__status=Round.Status.CLOSED,
    )

    response = client_en.post(
        _url("coding_statement_out_of_scope", answered, statement_pk=statement.pk),
        {"reason": "ซ้ำ"},
        headers=HTMX,
    )

    assert _workspace_swapped(response)
    assert "alert-danger" in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACTIVE


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_move_up_swaps_a_statement_with_the_one_before(client_en, study, answered, headers):
    domain = answered.questions[0].domain
    first = StatementFactory(study=study, domain=domain, order=1)
    second = StatementFactory(study=study, domain=domain, order=2)

    client_en.post(
        _url("coding_statement_move", answered, statement_pk=second.pk),
        {"direction": "up"},
        headers=headers,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.order < first.order


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_source_removed_from_a_statement(client_en, answered, headers):
    kept, removed = answered.answers[:2]
    statement = statement_from([kept, removed])

    response = client_en.post(
        _url("coding_source_remove", answered, statement_pk=statement.pk, answer_pk=removed.pk),
        headers=headers,
    )

    assert response.status_code in (200, 302)
    assert _sources(statement) == {kept.pk}


# Answer actions ------------------------------------------------------------------------------


def test_answer_out_of_scope_by_htmx(client_en, answered):
    answer = answered.answers[0]

    response = client_en.post(
        _url("coding_answer_out_of_scope", answered, answer_pk=answer.pk),
        {"reason": "เรื่องเงินเดือนครู"},
        headers=HTMX,
    )

    answer.refresh_from_db()
    assert answer.out_of_scope_reason == "เรื่องเงินเดือนครู"
    assert _workspace_swapped(response)
    assert "1 of 6 answers coded" in response.content.decode()


def test_answer_out_of_scope_by_plain_post(client_en, answered):
    answer = answered.answers[0]

    response = client_en.post(
        _url("coding_answer_out_of_scope", answered, answer_pk=answer.pk),
        {"reason": "ไม่เกี่ยว"},
        follow=True,
    )

    assert "The answer of E01 was marked out of scope." in response.content.decode()


def test_answer_out_of_scope_without_a_reason_keeps_the_form(client_en, answered):
    answer = answered.answers[0]

    response = client_en.post(
        _url("coding_answer_out_of_scope", answered, answer_pk=answer.pk),
        {"reason": ""},
        headers=HTMX,
    )

    assert "Say why the answer is out of scope." in response.content.decode()
    answer.refresh_from_db()
    assert answer.out_of_scope_reason == ""


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_answer_restored(client_en, answered, headers):
    answer = answered.answers[0]
    OpenAnswer.objects.filter(pk=answer.pk).update(out_of_scope_reason="ไม่เกี่ยว")

    client_en.post(_url("coding_answer_restore", answered, answer_pk=answer.pk), headers=headers)

    answer.refresh_from_db()
    assert answer.out_of_scope_reason == ""


def test_actions_wait_until_the_round_is_closed(client_en, study):
    early = answered_round(study, status=Round.Status.OPEN)

    response = client_en.post(
        _url("coding_answer_out_of_scope", early, answer_pk=early.answers[0].pk),
        {"reason": "ไม่เกี่ยว"},
        follow=True,
    )

    assert "Content analysis starts when the round is closed" in response.content.decode()
    assert not OpenAnswer.objects.exclude(out_of_scope_reason="").exists()


def test_every_action_is_audited_as_coding(client_en, answered):
    client_en.post(
        _url("coding_statement_create", answered),
        {"answers": [answered.answers[0].pk], "text": "ก", "domain": ""},
    )

    assert AuditEvent.objects.filter(action="coding.create").count() == 1


# Who may do what -----------------------------------------------------------------------------


@pytest.fixture
def viewer_client(answered, bob, bob_client):
    StudyMemberFactory(study=answered.delphi_round.study, user=bob, role=StudyMember.Role.VIEWER)
    return bob_client


def test_viewer_sees_the_workspace_without_action_buttons(viewer_client, answered):
    statement_from(answered.answers[:1])

    response = viewer_client.get(_url("coding", answered))

    html = response.content.decode()
    assert response.status_code == 200
    assert "คำตอบ E01 ข้อ 1" in html
    assert 'id="answers-form"' not in html
    assert "/merge/" not in html


def test_viewer_may_export(viewer_client, answered):
    response = viewer_client.get(_url("coding_export", answered))

    assert response.status_code == 200


def test_viewer_cannot_act(viewer_client, answered):
    statement = statement_from(answered.answers[:1])
    answer = answered.answers[1]
    urls = [
        _url("coding_statement_create", answered),
        _url("coding_sources_add", answered),
        _url("coding_statement_edit", answered, statement_pk=statement.pk),
        _url("coding_statement_merge", answered, statement_pk=statement.pk),
        _url("coding_statement_split", answered, statement_pk=statement.pk),
        _url("coding_statement_out_of_scope", answered, statement_pk=statement.pk),
        _url("coding_statement_restore", answered, statement_pk=statement.pk),
        _url("coding_statement_move", answered, statement_pk=statement.pk),
        _url(
            "coding_source_remove",
            answered,
            statement_pk=statement.pk,
            answer_pk=answered.answers[0].pk,
        ),
        _url("coding_answer_out_of_scope", answered, answer_pk=answer.pk),
        _url("coding_answer_restore", answered, answer_pk=answer.pk),
    ]

    statuses = {
        url: viewer_client.post(url, {"reason": "x"}, headers=HTMX).status_code for url in urls
    }

    assert set(statuses.values()) == {403}
    assert StatementSource.objects.count() == 1
    assert not OpenAnswer.objects.exclude(out_of_scope_reason="").exists()


@pytest.mark.parametrize("name", ["coding", "coding_export"])
def test_stranger_gets_404(bob_client, answered, name):
    response = bob_client.get(_url(name, answered))

    assert response.status_code == 404


def test_statement_of_another_study_is_404(client_en, answered):
    foreign = StatementFactory()

    response = client_en.post(
        _url("coding_statement_out_of_scope", answered, statement_pk=foreign.pk)
    )

    assert response.status_code == 404


# Query budget --------------------------------------------------------------------------------


def _workspace_with(study, experts: int, statements: int):
    answered = answered_round(study, experts=experts, questions=2)
    for index in range(statements):
        statement_from(answered.answers[index * 2 : index * 2 + 2])
    merged = Statement.objects.filter(study=study).order_by("pk")
    if merged.count() > 1:
        Statement.objects.filter(pk=merged[1].pk).update(
            status=Statement.Status.MERGED, merged_into=merged[0]
        )
    return answered


# session, user, study (with role), round, questions, answers, statements, sources,
# split trail, domains, progress
WORKSPACE_QUERIES = 11


@pytest.mark.parametrize(("experts", "statements"), [(5, 2), (20, 12)])
def test_workspace_queries_do_not_grow_with_answers(
    client_en, study, experts, statements, django_assert_max_num_queries
):
    answered = _workspace_with(study, experts, statements)

    with django_assert_max_num_queries(WORKSPACE_QUERIES):
        response = client_en.get(_url("coding", answered))

    assert response.status_code == 200
    assert f"of {experts * 2} answers coded" in response.content.decode()
