"""Consensus rules are fixed before the data: once the first rating round has opened, changing
them needs a reason, and the change is kept as a protocol deviation that reports show."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from panels.models import AuditEvent, ConsensusRule, Study
from panels.protocol import protocol_deviations, protocol_lock, study_update

pytestmark = pytest.mark.django_db

FORM = {
    "title": "เครือข่ายความร่วมมือ",
    "title_en": "",
    "description": "",
    "language": "th",
    "scale_labels_text": "น้อยที่สุด\nน้อย\nปานกลาง\nมาก\nมากที่สุด",
    "band_cutoff_1": "1.49",
    "band_cutoff_2": "2.49",
    "band_cutoff_3": "3.49",
    "band_cutoff_4": "4.49",
    "consensus_iqr_threshold": "1.50",
    "consensus_rule": "iqr",
    "agreement_threshold": "70",
    "stopping_consensus_share": "80",
    "stopping_requires_stability": "on",
    "stability_max_change": "15",
    "status": "running",
}


@pytest.fixture
def locked_study(study):
    protocol_lock(study=study)
    return study


def _edit_url(study) -> str:
    return reverse("panels:study_edit", kwargs={"study_pk": study.pk})


# --------------------------------------------------------------------------- the service


def test_rules_change_freely_before_they_are_fixed(study, alice):
    study_update(study=study, actor=alice, consensus_iqr_threshold=Decimal("1.00"))

    study.refresh_from_db()
    assert study.consensus_iqr_threshold == Decimal("1.00")
    assert not AuditEvent.objects.filter(action="protocol.deviation").exists()


def test_a_fixed_rule_does_not_change_without_a_reason(locked_study, alice):
    with pytest.raises(ValidationError) as error:
        study_update(
            study=locked_study,
            actor=alice,
            consensus_iqr_threshold=Decimal("1.00"),
            title="ชื่อใหม่",
        )

    assert error.value.code == "reason_required"
    locked_study.refresh_from_db()
    assert locked_study.consensus_iqr_threshold == Decimal("1.50")
    assert locked_study.title == "เครือข่ายความร่วมมือ"
    assert not AuditEvent.objects.filter(action__in=["study.edit", "protocol.deviation"]).exists()


def test_a_fixed_rule_changed_with_a_reason_is_a_recorded_deviation(locked_study, alice):
    study_update(
        study=locked_study,
        actor=alice,
        reason="กรรมการสอบขอให้ใช้เกณฑ์ร้อยละความเห็นพ้องร่วมด้วย",
        consensus_rule=ConsensusRule.IQR_AND_AGREEMENT,
        agreement_threshold=Decimal("75"),
        band_cutoff_4=Decimal("4.50"),
    )

    locked_study.refresh_from_db()
    assert locked_study.consensus_rule == ConsensusRule.IQR_AND_AGREEMENT
    event = AuditEvent.objects.get(action="protocol.deviation")
    assert event.actor == alice
    assert event.detail["reason"] == "กรรมการสอบขอให้ใช้เกณฑ์ร้อยละความเห็นพ้องร่วมด้วย"
    assert event.detail["changes"] == [
        {"field": "band_cutoff_4", "old": "4.49", "new": "4.50"},
        {"field": "consensus_rule", "old": "iqr", "new": "iqr_and_agreement"},
        {"field": "agreement_threshold", "old": "70.00", "new": "75"},
    ]


def test_other_settings_change_without_a_reason_after_the_lock(locked_study, alice):
    study_update(
        study=locked_study,
        actor=alice,
        title="ชื่อใหม่",
        consensus_iqr_threshold=Decimal("1.5"),  # the same rule, written differently
    )

    locked_study.refresh_from_db()
    assert locked_study.title == "ชื่อใหม่"
    assert not AuditEvent.objects.filter(action="protocol.deviation").exists()


def test_the_lock_keeps_its_first_moment(study):
    assert protocol_lock(study=study) is True
    first = Study.objects.get(pk=study.pk).rules_locked_at

    assert protocol_lock(study=study) is False

    assert Study.objects.get(pk=study.pk).rules_locked_at == first


def test_deviations_are_listed_oldest_first_with_readable_rules(locked_study, alice):
    study_update(
        study=locked_study, actor=alice, reason="ครั้งแรก", stopping_requires_stability=False
    )
    study_update(
        study=locked_study,
        actor=alice,
        reason="ครั้งที่สอง",
        scale_labels=["1", "2", "3", "4", "5"],
    )

    # Readable in the reader's language; English here, whichever language an earlier test left on.
    with translation.override("en"):
        first, second = protocol_deviations(locked_study)
        scale_labels = str(Study._meta.get_field("scale_labels").verbose_name)

    assert first.reason == "ครั้งแรก"
    assert (first.changes[0].field, first.changes[0].old, first.changes[0].new) == (
        "stopping_requires_stability",
        "yes",
        "no",
    )
    assert second.changes[0].old == "น้อยที่สุด / น้อย / ปานกลาง / มาก / มากที่สุด"
    assert second.changes[0].new == "1 / 2 / 3 / 4 / 5"
    assert str(second.changes[0].label) == scale_labels


# --------------------------------------------------------------------------- the study form


def test_study_form_sets_the_consensus_and_stopping_rules(alice_client, study):
    data = FORM | {
        "consensus_rule": "iqr_and_agreement",
        "agreement_threshold": "75",
        "stopping_consensus_share": "90",
        "stability_max_change": "10",
    }
    del data["stopping_requires_stability"]

    response = alice_client.post(_edit_url(study), data)

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.consensus_rule == "iqr_and_agreement"
    assert (study.agreement_threshold, study.stopping_consensus_share) == (75, 90)
    assert study.stability_max_change == 10
    assert study.stopping_requires_stability is False


def test_form_of_a_study_with_free_rules_asks_no_reason(alice_client, study):
    response = alice_client.get(_edit_url(study))

    assert "deviation_reason" not in response.context["form"].fields
    assert 'id="rules-locked"' not in response.content.decode()


def test_form_of_a_locked_study_warns_and_asks_for_the_reason(alice_client, locked_study):
    response = alice_client.get(_edit_url(locked_study))

    page = response.content.decode()
    assert 'id="rules-locked"' in page
    assert 'name="deviation_reason"' in page


def test_changing_a_fixed_rule_without_a_reason_is_refused_and_keeps_the_input(
    alice_client, locked_study
):
    response = alice_client.post(_edit_url(locked_study), FORM | {"band_cutoff_1": "1.40"})

    assert response.status_code == 200
    assert response.context["form"].has_error("deviation_reason", code="reason_required")
    assert 'value="1.40"' in response.content.decode()
    locked_study.refresh_from_db()
    assert locked_study.band_cutoff_1 == Decimal("1.49")
    assert not AuditEvent.objects.filter(action="protocol.deviation").exists()


def test_changing_a_fixed_rule_with_a_reason_saves_and_records_it(alice_client, locked_study):
    data = FORM | {"consensus_iqr_threshold": "1.00", "deviation_reason": "ตามคำแนะนำของกรรมการ"}

    response = alice_client.post(_edit_url(locked_study), data)

    assert response.status_code == 302
    locked_study.refresh_from_db()
    assert locked_study.consensus_iqr_threshold == Decimal("1.00")
    event = AuditEvent.objects.get(action="protocol.deviation")
    assert event.detail["changes"] == [
        {"field": "consensus_iqr_threshold", "old": "1.50", "new": "1.00"}
    ]
    assert event.detail["reason"] == "ตามคำแนะนำของกรรมการ"


def test_a_locked_study_saves_other_changes_without_a_reason(alice_client, locked_study):
    response = alice_client.post(_edit_url(locked_study), FORM | {"title": "ชื่อใหม่"})

    assert response.status_code == 302
    locked_study.refresh_from_db()
    assert locked_study.title == "ชื่อใหม่"


# --------------------------------------------------------------------------- the study page


def test_study_page_states_the_consensus_and_stopping_rules(alice_client, study):
    study.consensus_rule = ConsensusRule.IQR_AND_AGREEMENT
    study.save()
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = alice_client.get(study.get_absolute_url()).content.decode()

    assert "at least 70 % of the answers are in the top two points" in page
    assert "Stop when at least 80 % of the statements have consensus" in page
    assert 'id="rules-locked-note"' not in page


def test_study_page_shows_when_rules_were_fixed_and_each_deviation(
    alice_client, locked_study, alice
):
    study_update(
        study=locked_study,
        actor=alice,
        reason="กรรมการขอให้เข้มงวดขึ้น",
        consensus_iqr_threshold=Decimal("1.00"),
    )

    page = alice_client.get(locked_study.get_absolute_url()).content.decode()

    assert 'id="rules-locked-note"' in page
    assert "1.50 &rarr; 1.00" in page or "1.50 → 1.00" in page
    assert "กรรมการขอให้เข้มงวดขึ้น" in page


def test_study_page_reads_the_deviations_in_one_query(
    alice_client, locked_study, alice, django_assert_max_num_queries
):
    study_update(study=locked_study, actor=alice, reason="1", band_cutoff_1=Decimal("1.40"))
    with django_assert_max_num_queries(12) as first:
        alice_client.get(locked_study.get_absolute_url())
    for threshold in ("1.10", "1.20", "1.30"):
        study_update(
            study=locked_study, actor=alice, reason=threshold, band_cutoff_1=Decimal(threshold)
        )

    with django_assert_max_num_queries(len(first.captured_queries)):
        alice_client.get(locked_study.get_absolute_url())


def test_the_lock_time_is_shown_in_the_readers_calendar(alice_client, study):
    Study.objects.filter(pk=study.pk).update(
        rules_locked_at=datetime.datetime(2019, 3, 8, 2, 0, tzinfo=datetime.UTC)
    )
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"

    page = alice_client.get(study.get_absolute_url()).content.decode()

    assert "2562" in page  # 2019 in the Buddhist era
