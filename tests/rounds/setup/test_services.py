"""Set-up writes: every one audited, and a round sent to experts keeps what they answered."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from panels.models import AuditEvent
from rounds.models import Domain, OpenQuestion, Round
from rounds.setup import services
from tests.panels.factories import PanelFactory
from tests.rounds.factories import DomainFactory, OpenQuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db

OPENS = datetime.datetime(2019, 3, 8, 2, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2019, 3, 25, 16, 59, tzinfo=datetime.UTC)


def _codes(error: pytest.ExceptionInfo) -> list[str]:
    return [e.code for e in error.value.error_list]


def _actions(study) -> list[str]:
    return list(
        AuditEvent.objects.filter(study=study).order_by("pk").values_list("action", flat=True)
    )


def test_a_domain_is_created_changed_and_deleted_with_audit(study, alice):
    domain = services.domain_create(study=study, actor=alice, title="Process", order=1)
    services.domain_update(domain=domain, actor=alice, title="Process of networking")
    services.domain_delete(domain=domain, actor=alice)

    assert not Domain.objects.exists()
    assert _actions(study) == ["domain.create", "domain.edit", "domain.delete"]


def test_a_new_round_is_a_draft_and_audited(study, alice):
    panel = PanelFactory(study=study)

    delphi_round = services.round_create(
        study=study, actor=alice, number=1, kind=Round.Kind.OPEN, panel=panel
    )

    assert delphi_round.status == Round.Status.DRAFT
    assert _actions(study) == ["round.create"]


def test_a_draft_round_changes_its_dates_panel_and_number(study, alice):
    delphi_round = RoundFactory(study=study, number=1)
    other_panel = PanelFactory(study=study)

    services.round_update(
        delphi_round=delphi_round,
        actor=alice,
        number=2,
        panel=other_panel,
        opens_at=OPENS,
        closes_at=CLOSES,
    )

    delphi_round.refresh_from_db()
    assert (delphi_round.number, delphi_round.panel, delphi_round.closes_at) == (
        2,
        other_panel,
        CLOSES,
    )
    assert _actions(study) == ["round.edit"]


def test_a_deadline_before_the_opening_is_refused(study, alice):
    delphi_round = RoundFactory(study=study)

    with pytest.raises(ValidationError) as error:
        services.round_update(
            delphi_round=delphi_round, actor=alice, opens_at=CLOSES, closes_at=OPENS
        )

    assert [e.code for e in error.value.error_dict["closes_at"]] == ["dates"]


def test_a_closed_round_cannot_move_its_deadline_to_2001(study, alice):
    delphi_round = RoundFactory(
        study=study, status=Round.Status.CLOSED, opens_at=None, closes_at=CLOSES
    )

    with pytest.raises(ValidationError) as error:
        services.round_update(
            delphi_round=delphi_round,
            actor=alice,
            closes_at=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC),
        )

    assert _codes(error) == ["sent"]
    delphi_round.refresh_from_db()
    assert delphi_round.closes_at == CLOSES
    assert _actions(study) == []


@pytest.mark.parametrize("change", ["number", "panel", "previous_round", "kind", "opens_at"])
def test_an_open_round_keeps_what_its_experts_answered(study, alice, change):
    delphi_round = RoundFactory(study=study, number=2, status=Round.Status.OPEN)
    values = {
        "number": 7,
        "panel": PanelFactory(study=study),
        "previous_round": RoundFactory(study=study, number=1),
        "kind": Round.Kind.RATING,
        "opens_at": OPENS,
    }

    with pytest.raises(ValidationError) as error:
        services.round_update(delphi_round=delphi_round, actor=alice, **{change: values[change]})

    assert _codes(error) == ["sent"]
    assert _actions(study) == []


def test_an_open_round_may_be_retitled_with_its_unchanged_settings(study, alice):
    delphi_round = RoundFactory(study=study, status=Round.Status.OPEN, closes_at=CLOSES)

    services.round_update(
        delphi_round=delphi_round,
        actor=alice,
        title="Round one",
        number=delphi_round.number,
        panel=delphi_round.panel,
        closes_at=CLOSES,
    )

    delphi_round.refresh_from_db()
    assert delphi_round.title == "Round one"
    assert _actions(study) == ["round.edit"]


def test_only_a_draft_round_is_deleted(study, alice):
    opened = RoundFactory(study=study, status=Round.Status.OPEN)
    draft = RoundFactory(study=study)

    with pytest.raises(ValidationError) as error:
        services.round_delete(delphi_round=opened, actor=alice)
    services.round_delete(delphi_round=draft, actor=alice)

    assert _codes(error) == ["delete_sent"]
    assert list(Round.objects.all()) == [opened]
    assert _actions(study) == ["round.delete"]


def test_questions_of_a_draft_round_are_written_with_audit(study, alice):
    delphi_round = RoundFactory(study=study)
    domain = DomainFactory(study=study)

    question = services.question_create(
        delphi_round=delphi_round, actor=alice, domain=domain, text="How?", order=1
    )
    services.question_update(question=question, actor=alice, text="How exactly?")
    services.question_delete(question=question, actor=alice)

    assert not OpenQuestion.objects.exists()
    assert _actions(study) == ["question.create", "question.edit", "openquestion.delete"]


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.CLOSED])
def test_questions_of_a_sent_round_cannot_change(study, alice, status):
    delphi_round = RoundFactory(study=study, status=status)
    question = OpenQuestionFactory(delphi_round=delphi_round, text="Original")

    for write in (
        lambda: services.question_create(delphi_round=delphi_round, actor=alice, text="New"),
        lambda: services.question_update(question=question, actor=alice, text="Changed"),
        lambda: services.question_delete(question=question, actor=alice),
    ):
        with pytest.raises(ValidationError) as error:
            write()
        assert _codes(error) == ["not_draft"]

    question.refresh_from_db()
    assert question.text == "Original"
    assert _actions(study) == []
