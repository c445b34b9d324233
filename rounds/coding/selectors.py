"""Reads for the content-analysis workspace and its Excel export.

Everything the workspace shows comes from a fixed number of queries, whatever the number of
answers or statements: questions, answers, statements, sources, the split trail, domains and
the progress count. The rows are then assembled in Python into the two panes (answers by
domain and question; statements by domain) with their cross-references.

Statements are numbered 1, 2, 3, … in the order they were created within the study: the number
is stored when a statement is created (Statement.number, shown as its code S01, S02, …) and
never changes when statements are reordered, merged or set aside, so the number in an export,
an audit note, a questionnaire or a report keeps meaning the same statement.
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Trim
from django.shortcuts import get_object_or_404

from panels.models import AuditEvent, Study
from rounds.models import (
    Domain,
    OpenAnswer,
    OpenQuestion,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)

from .rows import (
    AnswerDomainGroup,
    AnswerView,
    BecameView,
    CodingWorkspace,
    Progress,
    QuestionGroup,
    SourceView,
    StatementBoard,
    StatementDomainGroup,
    StatementView,
)


def codable_answers(delphi_round: Round) -> QuerySet[OpenAnswer]:
    """Submitted, non-empty answers of a round: the data content analysis works on.

    Answers left in a questionnaire that was never submitted are not the expert's answer.
    """
    return (
        OpenAnswer.objects.annotate(trimmed=Trim("text"))
        .filter(question__delphi_round=delphi_round, submission__status=Submission.Status.SUBMITTED)
        .exclude(trimmed="")
    )


def chosen_answers(delphi_round: Round, answer_ids) -> list[OpenAnswer]:
    """The codable answers among `answer_ids` (ticked in the workspace), in the pane's order."""
    return list(
        codable_answers(delphi_round)
        .filter(pk__in=answer_ids)
        .select_related("submission__expert", "question__domain")
        .order_by("question__order", "question_id", "submission__expert__code", "position")
    )


def statement_of_study(study: Study, statement_pk: int) -> Statement:
    """One statement of the study, with its domain (404 otherwise)."""
    return get_object_or_404(
        Statement.objects.select_related("domain"), study=study, pk=statement_pk
    )


def answer_of_round(delphi_round: Round, answer_pk: int) -> OpenAnswer:
    """One answer given in the round, with its expert and question (404 otherwise)."""
    return get_object_or_404(
        OpenAnswer.objects.select_related("submission__expert", "question"),
        question__delphi_round=delphi_round,
        pk=answer_pk,
    )


def answer_of_study(study: Study, answer_pk: int) -> OpenAnswer:
    """One answer given in any round of the study, with its expert (404 otherwise)."""
    return get_object_or_404(
        OpenAnswer.objects.select_related("submission__expert"),
        question__delphi_round__study=study,
        pk=answer_pk,
    )


def coding_progress(delphi_round: Round) -> Progress:
    """How many answers are coded: linked to a statement, or out of scope with a reason."""
    linked = StatementSource.objects.filter(answer=OuterRef("pk"))
    counts = codable_answers(delphi_round).aggregate(
        total=Count("pk"),
        coded=Count("pk", filter=Q(Exists(linked)) | ~Q(out_of_scope_reason="")),
    )
    return Progress(coded=counts["coded"], total=counts["total"])


def answers_matching(delphi_round: Round, query: str = "") -> QuerySet[OpenAnswer]:
    """The round's codable answers containing `query`, or given by the expert coded `query`."""
    answers = codable_answers(delphi_round).select_related("submission__expert")
    query = query.strip()
    if query:
        answers = answers.filter(
            Q(text__icontains=query) | Q(submission__expert__code__iexact=query)
        )
    return answers.order_by(
        "question__order", "question_id", "submission__expert__code", "position"
    )


def _question_numbers(study: Study) -> tuple[dict[int, int], dict[int, list[OpenQuestion]]]:
    """Each question's number within its round (1, 2, …), and the questions of each round."""
    numbers: dict[int, int] = {}
    per_round: dict[int, list[OpenQuestion]] = defaultdict(list)
    questions = (
        OpenQuestion.objects.filter(delphi_round__study=study)
        .select_related("domain")
        .order_by("delphi_round_id", "order", "pk")
    )
    for question in questions:
        per_round[question.delphi_round_id].append(question)
        numbers[question.pk] = len(per_round[question.delphi_round_id])
    return numbers, per_round


def _domain_key(domain: Domain | None) -> tuple:
    # Statements and questions without a domain come last.
    return (1, 0, 0) if domain is None else (0, domain.order, domain.pk)


def statement_board(
    study: Study, *, question_numbers: dict[int, int] | None = None
) -> StatementBoard:
    """Every statement of the study with number, sources, merge and split trail, lock."""
    if question_numbers is None:
        question_numbers, _per_round = _question_numbers(study)
    sent = RoundItem.objects.filter(
        statement=OuterRef("pk"),
        delphi_round__status__in=[Round.Status.OPEN, Round.Status.CLOSED],
    ).order_by("delphi_round__number")
    statements = list(
        Statement.objects.filter(study=study)
        .select_related("domain")
        .annotate(locked_round=Subquery(sent.values("delphi_round__number")[:1]))
        .order_by("number")
    )
    by_pk = {
        statement.pk: StatementView(
            statement=statement, number=statement.number, locked_round=statement.locked_round
        )
        for statement in statements
    }
    for view in by_pk.values():
        target = view.statement.merged_into_id
        if target in by_pk:
            view.merged_into = by_pk[target]
            by_pk[target].merged_from.append(view)

    sources = (
        StatementSource.objects.filter(statement__study=study)
        .order_by(
            "answer__submission__expert__code",
            "answer__question__order",
            "answer__position",
            "answer_id",
        )
        .values_list(
            "statement_id",
            "answer_id",
            "answer__submission__expert__code",
            "answer__question_id",
            "answer__position",
            "answer__text",
        )
    )
    for statement_id, answer_id, code, question_id, position, text in sources:
        if statement_id not in by_pk:
            # Committed by a colleague between the two reads: shown on the next refresh.
            continue
        by_pk[statement_id].sources.append(
            SourceView(
                answer_id=answer_id,
                code=code,
                question_number=question_numbers.get(question_id, 0),
                position=position,
                text=text,
            )
        )

    # The split trail lives in the audit log (see rounds.coding.merging.statement_split).
    splits = AuditEvent.objects.filter(study=study, action="coding.split").values_list(
        "detail", flat=True
    )
    for detail in splits:
        parts = detail.get("parts") or []
        for part in parts[1:]:
            if part in by_pk and parts[0] in by_pk:
                by_pk[part].split_from = by_pk[parts[0]]

    domains = list(Domain.objects.filter(study=study).order_by("order", "pk"))
    groups = {domain.pk: StatementDomainGroup(domain=domain) for domain in domains}
    retired = []
    for view in sorted(
        by_pk.values(), key=lambda v: (_domain_key(v.statement.domain), v.statement.order, v.pk)
    ):
        if not view.is_active:
            retired.append(view)
            continue
        domain_id = view.statement.domain_id
        if domain_id not in groups:
            groups[domain_id] = StatementDomainGroup(domain=None)
        groups[domain_id].statements.append(view)
    ordered = sorted(groups.values(), key=lambda group: _domain_key(group.domain))
    return StatementBoard(by_pk=by_pk, groups=ordered, retired=retired, domains=domains)


def _became(answer_ids: set[int], board: StatementBoard) -> dict[int, list[BecameView]]:
    """For each answer: the statements it stands behind now (end of merge chains)."""
    direct: dict[int, list[StatementView]] = defaultdict(list)
    for view in board.by_pk.values():
        for source in view.sources:
            if source.answer_id in answer_ids:
                direct[source.answer_id].append(view)
    result: dict[int, list[BecameView]] = {}
    for answer_id, views in direct.items():
        finals: dict[int, BecameView] = {}
        for view in sorted(views, key=lambda v: v.number):
            final = view.final
            became = finals.setdefault(final.pk, BecameView(statement=final))
            if view.pk != final.pk:
                became.via.append(view)
        result[answer_id] = sorted(finals.values(), key=lambda b: b.statement.number)
    return result


def coding_workspace(*, delphi_round: Round, query: str = "") -> CodingWorkspace:
    """The workspace of a round: its answers (filtered by `query`) and the study's statements.

    Seven queries whatever the size: questions, answers, statements, sources, split trail,
    domains, progress.
    """
    study = delphi_round.study
    question_numbers, per_round = _question_numbers(study)
    board = statement_board(study, question_numbers=question_numbers)
    answers = list(answers_matching(delphi_round, query))
    became = _became({answer.pk for answer in answers}, board)

    per_question: dict[int, list[AnswerView]] = defaultdict(list)
    for answer in answers:
        per_question[answer.question_id].append(
            AnswerView(
                answer=answer,
                code=answer.submission.expert.code,
                question_number=question_numbers.get(answer.question_id, 0),
                became=became.get(answer.pk, []),
            )
        )
    domain_groups: dict[int | None, AnswerDomainGroup] = {}
    for question in per_round.get(delphi_round.pk, []):
        if query and not per_question.get(question.pk):
            continue
        group = domain_groups.setdefault(
            question.domain_id, AnswerDomainGroup(domain=question.domain)
        )
        group.questions.append(
            QuestionGroup(
                question=question,
                number=question_numbers[question.pk],
                answers=per_question.get(question.pk, []),
            )
        )
    answer_groups = sorted(domain_groups.values(), key=lambda group: _domain_key(group.domain))
    return CodingWorkspace(
        delphi_round=delphi_round,
        query=query.strip(),
        answer_groups=answer_groups,
        board=board,
        progress=coding_progress(delphi_round),
        shown_answers=len(answers),
    )
