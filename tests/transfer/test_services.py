"""Moving a study between installations (transfer.exporting, transfer.services): export,
import, round trip, refusals, deletion."""

import gzip
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from analysis import selectors as results
from demo.services import demo_study_load
from panels.models import AuditEvent, Expert, Study
from panels.protocol import protocol_deviations, protocol_lock, study_update
from rounds.coding.merging import statement_split
from rounds.coding.statements import statement_create_from_answers
from rounds.links import expert_for_token, expert_token
from rounds.models import OpenAnswer, Round, Statement
from tests.panels.factories import PanelFactory, StudyFactory
from tests.rounds.factories import RatingFactory, SubmissionFactory, answered_round, rating_round
from transfer import exporting, importing, services, tables

pytestmark = pytest.mark.django_db

# What must differ between two exports of the same content: when, and whose copy.
EXPORT_METADATA = ("exported_at", "owner")


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their source language, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo load hashes the demo password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _content(document: dict) -> dict:
    """The document without its export metadata and without the log entry of the import."""
    content = {key: value for key, value in document.items() if key not in EXPORT_METADATA}
    events = content["tables"]["audit_events"]
    action = events["columns"].index("action")
    events["rows"] = [row for row in events["rows"] if row[action] != "study.import"]
    return content


def _round_trip(study: Study, importer) -> tuple[dict, Study, dict]:
    first = exporting.study_export(study)
    result = services.study_import(
        content=json.dumps(first, ensure_ascii=False).encode(), owner=importer
    )
    return first, result.study, exporting.study_export(result.study)


def _rows(document: dict, table: str) -> list[dict]:
    given = document["tables"][table]
    return [dict(zip(given["columns"], row, strict=True)) for row in given["rows"]]


def _figures(study: Study) -> list[tuple]:
    """What the results pages show of every closed rated round, in questionnaire order."""
    figures = []
    rounds = (
        study.rounds.filter(status=Round.Status.CLOSED)
        .exclude(kind=Round.Kind.OPEN)
        .select_related("study", "previous_round", "panel")
    )
    for delphi_round in rounds:
        page = results.round_results(delphi_round=delphi_round)
        figures.append((delphi_round.number, page.kendall, page.response))
        for row in page.rows:
            result = row.result
            figures.append(
                (
                    result.item.statement.text,
                    result.criterion,
                    result.n,
                    result.counts,
                    result.median,
                    result.q1,
                    result.q3,
                    result.iqr,
                    result.band,
                    result.consensus,
                    row.percent_agreement,
                    row.stability,
                )
            )
    return figures


# --------------------------------------------------------------------------- the round trip


def test_demo_study_survives_export_and_import_unchanged(bob):
    demo = demo_study_load().study

    first, copy, second = _round_trip(demo, bob)

    assert copy.pk != demo.pk
    assert copy.owner == bob
    assert copy.title == demo.title
    assert _content(second) == _content(first)
    assert _figures(copy) == _figures(demo)
    # Not vacuous: the demo has closed rating rounds, answers and a log to compare.
    assert len(_figures(demo)) > 40
    assert len(first["tables"]["ratings"]["rows"]) > 700
    assert first["tables"]["audit_events"]["rows"]


def test_the_file_names_no_secret_and_the_copy_gets_its_own_links(bob):
    demo = demo_study_load().study
    originals = list(Expert.objects.filter(panel__study=demo).order_by("pk"))

    first, copy, _second = _round_trip(demo, bob)

    text = json.dumps(first, ensure_ascii=False)
    assert "link_key" not in first["tables"]["experts"]["columns"]
    assert not any(expert.link_key in text for expert in originals)
    assert demo.owner.password not in text
    copies = list(Expert.objects.filter(panel__study=copy).order_by("pk"))
    assert [e.code for e in copies] == [e.code for e in originals]
    assert {e.link_key for e in copies}.isdisjoint({e.link_key for e in originals})
    assert all(expert_for_token(expert_token(expert)) == expert for expert in copies)


def test_statements_keep_their_codes_in_the_copy(alice, bob, study):
    answered = answered_round(study, experts=2, questions=1)
    for text in ("แรก", "สอง", "สาม"):
        statement_create_from_answers(
            study=study, answers=answered.answers[:1], text=text, domain=None, actor=alice
        )
    Statement.objects.filter(study=study, text="สอง").update(order=0)

    first, copy, _second = _round_trip(study, bob)

    assert {row["text"]: row["number"] for row in _rows(first, "statements")} == {
        "แรก": 1,
        "สอง": 2,
        "สาม": 3,
    }
    assert dict(Statement.objects.filter(study=copy).values_list("text", "number")) == {
        "แรก": 1,
        "สอง": 2,
        "สาม": 3,
    }


def test_a_file_from_before_statement_codes_numbers_them_in_creation_order(bob, study):
    rating_round(study, PanelFactory(study=study), statements=3)
    document = exporting.study_export(study)
    statements = document["tables"]["statements"]
    column = statements["columns"].index("number")
    del statements["columns"][column]
    for row in statements["rows"]:
        del row[column]

    copy = services.study_import(content=_bytes(document), owner=bob).study

    numbers = Statement.objects.filter(study=copy).order_by("pk").values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3]


def test_the_coding_trail_points_to_the_copy_rows(alice, bob, study):
    answered = answered_round(study, experts=2, questions=1)
    first_answer, second_answer = answered.answers
    statement = statement_create_from_answers(
        study=study, answers=answered.answers, text="รวม", domain=None, actor=alice
    )
    statement_split(
        statement=statement,
        parts=[("ส่วนแรก", None, [first_answer]), ("ส่วนที่สอง", None, [second_answer])],
        actor=alice,
    )

    _first, copy, _second = _round_trip(study, bob)

    split = AuditEvent.objects.get(study=copy, action="coding.split")
    texts = dict(Statement.objects.filter(study=copy).values_list("pk", "text"))
    assert [texts[pk] for pk in split.detail["parts"]] == ["ส่วนแรก", "ส่วนที่สอง"]
    created = AuditEvent.objects.get(study=copy, action="coding.create")
    answers = dict(
        OpenAnswer.objects.filter(submission__delphi_round__study=copy).values_list("pk", "text")
    )
    assert sorted(answers[pk] for pk in created.detail["answers"]) == sorted(
        answer.text for answer in answered.answers
    )
    # Who did it stays readable although the account does not travel.
    assert split.actor is None
    assert split.detail["imported_actor"] == "alice"
    assert split.actor_name == "alice"


def test_imported_protocol_deviations_name_who_made_them(alice, bob, study):
    protocol_lock(study=study)
    study_update(study=study, actor=alice, reason="ขยายเกณฑ์", consensus_iqr_threshold="2.00")

    _first, copy, _second = _round_trip(study, bob)

    [deviation] = protocol_deviations(copy)
    assert deviation.reason == "ขยายเกณฑ์"
    assert deviation.actor == "alice"


def test_proxy_entries_keep_their_channel_and_who_keyed_them_in(alice, bob, study):
    delphi_round, items = rating_round(study, PanelFactory(study=study), statements=1)
    submission = SubmissionFactory(delphi_round=delphi_round, channel="paper", entered_by=alice)
    RatingFactory(submission=submission, item=items[0], value=4)

    first, copy, second = _round_trip(study, bob)

    imported = copy.rounds.get().submissions.get()
    assert imported.channel == "paper"
    assert imported.entered_by is None
    assert _rows(second, "submissions")[0]["entered_by"] == "alice"
    assert _content(second) == _content(first)


def test_importing_twice_keeps_both_and_says_so(bob):
    study = StudyFactory(owner=bob, title="ซ้ำ")
    content = exporting.study_export_bytes(study)

    result = services.study_import(content=content, owner=bob)

    assert result.same_title
    assert Study.objects.filter(owner=bob, title="ซ้ำ").count() == 2


def test_a_gzipped_export_is_accepted(bob, study):
    content = gzip.compress(exporting.study_export_bytes(study))

    result = services.study_import(content=content, owner=bob)

    assert result.study.title == study.title


# --------------------------------------------------------------------------- cost


def _study_with_experts(count: int) -> Study:
    study = StudyFactory()
    delphi_round, items = rating_round(study, PanelFactory(study=study), statements=2)
    for _ in range(count):
        submission = SubmissionFactory(delphi_round=delphi_round)
        for item in items:
            RatingFactory(submission=submission, item=item)
    return study


def test_export_queries_do_not_grow_with_the_experts(django_assert_max_num_queries):
    small, large = _study_with_experts(2), _study_with_experts(12)
    with CaptureQueriesContext(connection) as small_queries:
        exporting.study_export(small)

    # One query per table (15), the owner, the import records.
    with django_assert_max_num_queries(17):
        exporting.study_export(large)
    with CaptureQueriesContext(connection) as large_queries:
        exporting.study_export(large)

    assert len(large_queries) == len(small_queries)


# --------------------------------------------------------------------------- refusals


def _export_of(study) -> dict:
    return json.loads(exporting.study_export_bytes(study))


def _refused(content: bytes, owner) -> str:
    before = Study.objects.count()
    with pytest.raises(importing.ImportRefused) as refused:
        services.study_import(content=content, owner=owner)
    assert Study.objects.count() == before
    return refused.value.message


@pytest.fixture
def exported(study):
    delphi_round, items = rating_round(study, PanelFactory(study=study), statements=2)
    RatingFactory(submission=SubmissionFactory(delphi_round=delphi_round), item=items[0])
    return _export_of(study)


def _bytes(document: dict) -> bytes:
    return json.dumps(document).encode()


def test_a_file_that_is_not_json_is_refused(bob):
    assert "not JSON" in _refused(b"\x89PNG\r\n", bob)


def test_json_of_another_kind_is_refused(bob):
    assert "not a study export" in _refused(b'{"hello": 1}', bob)


def test_a_newer_format_is_refused_with_the_versions(bob, exported):
    exported["version"] = tables.VERSION + 1

    message = _refused(_bytes(exported), bob)

    assert "newer version" in message
    assert str(tables.VERSION + 1) in message


def test_a_column_this_site_does_not_know_is_refused(bob, exported):
    exported["tables"]["ratings"]["columns"].append("mood")
    for row in exported["tables"]["ratings"]["rows"]:
        row.append("happy")

    assert "ratings.mood" in _refused(_bytes(exported), bob)


def test_a_broken_reference_names_the_row(bob, exported):
    ratings = exported["tables"]["ratings"]
    ratings["rows"][0][ratings["columns"].index("item")] = 999

    message = _refused(_bytes(exported), bob)

    assert "Row 1 of “ratings”" in message
    assert "999" in message


def test_a_bad_value_names_the_row_and_column(bob, exported):
    ratings = exported["tables"]["ratings"]
    ratings["rows"][0][ratings["columns"].index("updated_at")] = 12

    assert "column “updated_at”" in _refused(_bytes(exported), bob)


def test_a_file_that_breaks_a_database_rule_leaves_nothing_behind(bob, exported):
    ratings = exported["tables"]["ratings"]
    ratings["rows"].append([2, *ratings["rows"][0][1:]])  # the same answer twice

    _refused(_bytes(exported), bob)

    assert not Expert.objects.filter(panel__study__owner=bob).exists()


def test_a_bad_scale_is_refused(bob, exported):
    exported["study"]["scale_labels"] = "five"

    assert "scale_labels" in _refused(_bytes(exported), bob)


# --------------------------------------------------------------------------- deleting


def test_deleting_a_study_with_answers_removes_all_of_it():
    demo = demo_study_load().study
    other = _study_with_experts(2)
    counts = {table.name: table.rows_of(other).count() for table in tables.TABLES}

    services.study_delete(study=demo, typed_title=f" {demo.title} ")

    assert not Study.objects.filter(pk=demo.pk).exists()
    assert all(
        not table.model.objects.filter(**{table.study_path: demo.pk}).exists()
        for table in tables.TABLES
    )
    assert counts == {table.name: table.rows_of(other).count() for table in tables.TABLES}


def test_a_wrong_title_deletes_nothing(study):
    with pytest.raises(ValidationError):
        services.study_delete(study=study, typed_title=study.title[:-1])

    assert Study.objects.filter(pk=study.pk).exists()
