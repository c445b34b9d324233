"""The content-analysis workspace of a closed open round, its actions and its Excel export.

Every action works two ways. With HTMX (inside the workspace) a form opens in place and a
successful action answers with the refreshed workspace, swapped in without a page load. Without
JavaScript the same URLs show the form on its own page, and a successful POST redirects back to
the workspace with a message.
"""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from panels import selectors as panel_selectors
from panels.models import Study

from . import coding, selectors_coding
from .exports_coding import coding_xlsx
from .forms_coding import (
    OutOfScopeForm,
    SourcesAddForm,
    StatementCreateForm,
    StatementEditForm,
    StatementMergeForm,
    StatementSplitForm,
)
from .models import OpenAnswer, Round, Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _study(request: HttpRequest, study_pk: int, *, write: bool = False) -> Study:
    return panel_selectors.study_for_user(user=request.user, study_pk=study_pk, write=write)


def _round(study: Study, round_pk: int) -> Round:
    delphi_round = get_object_or_404(
        Round.objects.select_related("panel"), study=study, pk=round_pk
    )
    # The access check already loaded the study: reuse it rather than query it again.
    delphi_round.study = study
    return delphi_round


def _is_codable(delphi_round: Round) -> bool:
    return delphi_round.kind == Round.Kind.OPEN and delphi_round.status == Round.Status.CLOSED


def _statement(study: Study, statement_pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("domain"), study=study, pk=statement_pk
    )


def _answer(delphi_round: Round, answer_pk: int) -> OpenAnswer:
    return get_object_or_404(
        OpenAnswer.objects.select_related("submission__expert", "question"),
        question__delphi_round=delphi_round,
        pk=answer_pk,
    )


def _query(request: HttpRequest) -> str:
    return (request.POST.get("q") or request.GET.get("q") or "").strip()


def _workspace_url(delphi_round: Round, query: str = "") -> str:
    url = reverse(
        "rounds:coding", kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk}
    )
    return f"{url}?{urlencode({'q': query})}" if query else url


def _context(request: HttpRequest, study: Study, delphi_round: Round, **extra) -> dict:
    workspace = selectors_coding.coding_workspace(delphi_round=delphi_round, query=_query(request))
    return {"study": study, "round": delphi_round, "workspace": workspace, **extra}


def _refreshed(
    request: HttpRequest, study: Study, delphi_round: Round, *, notice: str = "", error: str = ""
) -> HttpResponse:
    """The whole workspace again, to be swapped in place of the one on the page."""
    context = _context(request, study, delphi_round, notice=notice, error=error)
    response = render(request, "rounds/partials/_coding_workspace.html", context)
    retarget(response, "#coding-workspace")
    return reswap(response, "outerHTML")


def _done(request: HttpRequest, study: Study, delphi_round: Round, message: str) -> HttpResponse:
    if request.htmx:
        return _refreshed(request, study, delphi_round, notice=message)
    messages.success(request, message)
    return redirect(_workspace_url(delphi_round, _query(request)))


def _refused(
    request: HttpRequest, study: Study, delphi_round: Round, error: ValidationError
) -> HttpResponse:
    message = " ".join(error.messages)
    if request.htmx:
        return _refreshed(request, study, delphi_round, error=message)
    messages.error(request, message)
    return redirect(_workspace_url(delphi_round, _query(request)))


def _not_ready(request: HttpRequest, study: Study, delphi_round: Round) -> HttpResponse:
    return _refused(
        request,
        study,
        delphi_round,
        ValidationError(_("Content analysis starts when the round is closed.")),
    )


def _form(
    request: HttpRequest,
    *,
    study: Study,
    delphi_round: Round,
    template: str,
    title: str,
    action: str,
    **extra,
) -> HttpResponse:
    """A workspace form: in place (HTMX) or as a page of its own (no JavaScript)."""
    context = {
        "study": study,
        "round": delphi_round,
        "title": title,
        "action": action,
        "query": _query(request),
        "workspace_url": _workspace_url(delphi_round, _query(request)),
        **extra,
    }
    if request.htmx:
        # A form that failed validation replaces itself; one just opened fills its slot.
        return render(request, template, context | {"inline": True})
    return render(request, "rounds/coding_form.html", context | {"form_template": template})


def _action_url(name: str, delphi_round: Round, **kwargs) -> str:
    return reverse(
        f"rounds:{name}",
        kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk, **kwargs},
    )


def _coding_action(view):
    """For changes: the study with write access, and a round whose answers can be coded.

    The wrapped view receives (request, study, delphi_round, **other URL arguments).
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, study_pk: int, round_pk: int, **kwargs) -> HttpResponse:
        study = _study(request, study_pk, write=True)
        delphi_round = _round(study, round_pk)
        if not _is_codable(delphi_round):
            return _not_ready(request, study, delphi_round)
        return view(request, study, delphi_round, **kwargs)

    return wrapper


@login_required
@require_safe
def coding_workspace(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = _study(request, study_pk)
    delphi_round = _round(study, round_pk)
    if not _is_codable(delphi_round):
        return render(request, "rounds/coding.html", {"study": study, "round": delphi_round})
    context = _context(request, study, delphi_round)
    if request.htmx and request.htmx.target == "coding-answers":
        return render(request, "rounds/partials/_coding_answers.html", context)
    return render(request, "rounds/coding.html", context)


@login_required
@require_safe
def coding_export(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = _study(request, study_pk)
    delphi_round = _round(study, round_pk)
    if not _is_codable(delphi_round):
        messages.info(request, _("Content analysis starts when the round is closed."))
        return redirect(delphi_round)
    workspace = selectors_coding.coding_workspace(delphi_round=delphi_round)
    response = HttpResponse(coding_xlsx(workspace), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"coding-round-{delphi_round.number}.xlsx"
    )
    return response


@require_http_methods(["GET", "POST"])
@_coding_action
def statement_create(request: HttpRequest, study: Study, delphi_round: Round) -> HttpResponse:
    if request.method == "POST":
        form = StatementCreateForm(request.POST, delphi_round=delphi_round)
        if form.is_valid():
            answers = list(form.cleaned_data["answers"])
            try:
                statement = coding.statement_create_from_answers(
                    study=study,
                    answers=answers,
                    text=form.cleaned_data["text"],
                    domain=form.cleaned_data["domain"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = ngettext(
                    "Statement #%(number)s was created from %(count)s answer.",
                    "Statement #%(number)s was created from %(count)s answers.",
                    len(answers),
                ) % {
                    "number": selectors_coding.statement_number(statement),
                    "count": len(answers),
                }
                return _done(request, study, delphi_round, message)
        chosen = [pk for pk in request.POST.getlist("answers") if pk.isdigit()]
        answers = list(form.fields["answers"].queryset.filter(pk__in=chosen))
    else:
        ids = [pk for pk in request.GET.getlist("answers") if pk.isdigit()]
        answers = list(
            selectors_coding.codable_answers(delphi_round)
            .filter(pk__in=ids)
            .select_related("submission__expert", "question__domain")
            .order_by("question__order", "question_id", "submission__expert__code", "position")
        )
        form = StatementCreateForm.for_answers(delphi_round=delphi_round, answers=answers)
    board = selectors_coding.statement_board(study)
    add_form = SourcesAddForm(
        delphi_round=delphi_round,
        board=board,
        initial={"answers": [answer.pk for answer in answers]},
    )
    return _form(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_create_form.html",
        title=_("New statement from the chosen answers"),
        action=_action_url("coding_statement_create", delphi_round),
        add_action=_action_url("coding_sources_add", delphi_round),
        form=form,
        add_form=add_form,
        answers=answers,
    )


@require_POST
@_coding_action
def sources_add(request: HttpRequest, study: Study, delphi_round: Round) -> HttpResponse:
    board = selectors_coding.statement_board(study)
    form = SourcesAddForm(request.POST, delphi_round=delphi_round, board=board)
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return _refused(request, study, delphi_round, ValidationError(errors))
    view = board.by_pk[form.cleaned_data["statement"]]
    answers = list(form.cleaned_data["answers"])
    try:
        coding.statement_add_sources(statement=view.statement, answers=answers, actor=request.user)
    except ValidationError as error:
        return _refused(request, study, delphi_round, error)
    message = ngettext(
        "%(count)s answer was added to statement #%(number)s.",
        "%(count)s answers were added to statement #%(number)s.",
        len(answers),
    ) % {"count": len(answers), "number": view.number}
    return _done(request, study, delphi_round, message)


@require_http_methods(["GET", "POST"])
@_coding_action
def statement_edit(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = _statement(study, statement_pk)
    initial = {"text": statement.text, "domain": statement.domain_id}
    form = StatementEditForm(request.POST or None, study=study, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            coding.statement_edit(
                statement=statement,
                text=form.cleaned_data["text"],
                domain=form.cleaned_data["domain"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("Statement #%(number)s was saved.") % {
                "number": selectors_coding.statement_number(statement)
            }
            return _done(request, study, delphi_round, message)
    board = selectors_coding.statement_board(study)
    view = board.by_pk[statement.pk]
    return _form(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_edit_form.html",
        title=_("Edit statement #%(number)s") % {"number": view.number},
        action=_action_url("coding_statement_edit", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
    )


@require_http_methods(["GET", "POST"])
@_coding_action
def statement_merge(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = _statement(study, statement_pk)
    board = selectors_coding.statement_board(study)
    view = board.by_pk[statement.pk]
    form = StatementMergeForm(request.POST or None, board=board, statement_pk=statement.pk)
    if request.method == "POST" and form.is_valid():
        target = board.by_pk[form.cleaned_data["target"]]
        try:
            coding.statements_merge(target=target.statement, others=[statement], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _(
                "Statement #%(merged)s was merged into #%(target)s; the answers it came from "
                "now also back #%(target)s."
            ) % {"merged": view.number, "target": target.number}
            return _done(request, study, delphi_round, message)
    return _form(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_merge_form.html",
        title=_("Merge statement #%(number)s into another") % {"number": view.number},
        action=_action_url("coding_statement_merge", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
    )


@require_http_methods(["GET", "POST"])
@_coding_action
def statement_split(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = _statement(study, statement_pk)
    board = selectors_coding.statement_board(study)
    view = board.by_pk[statement.pk]
    if request.method == "POST" and "add_part" in request.POST:
        form = StatementSplitForm.with_another_part(request.POST, view=view, study=study)
    else:
        form = StatementSplitForm(request.POST or None, view=view, study=study)
        if request.method == "POST" and form.is_valid():
            try:
                parts = coding.statement_split(
                    statement=statement, parts=form.cleaned_parts(), actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # New statements are numbered after every existing one, consecutively.
                first_new = selectors_coding.statement_number(parts[1])
                numbers = [view.number, *range(first_new, first_new + len(parts) - 1)]
                message = _("Statement #%(number)s was split into %(parts)s.") % {
                    "number": view.number,
                    "parts": ", ".join(f"#{number}" for number in numbers),
                }
                return _done(request, study, delphi_round, message)
    return _form(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_split_form.html",
        title=_("Split statement #%(number)s") % {"number": view.number},
        action=_action_url("coding_statement_split", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
    )


@require_POST
@_coding_action
def statement_out_of_scope(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    return _statement_status_change(
        request,
        study,
        delphi_round,
        statement_pk,
        service=coding.statement_mark_out_of_scope,
        message=_("Statement #%(number)s was set aside as out of scope."),
    )


@require_POST
@_coding_action
def statement_restore(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    return _statement_status_change(
        request,
        study,
        delphi_round,
        statement_pk,
        service=coding.statement_restore,
        message=_("Statement #%(number)s is active again."),
    )


def _statement_status_change(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int, *, service, message
) -> HttpResponse:
    """Run a one-statement coding service and answer with the refreshed workspace."""
    statement = _statement(study, statement_pk)
    try:
        service(statement=statement, actor=request.user)
    except ValidationError as error:
        return _refused(request, study, delphi_round, error)
    number = selectors_coding.statement_number(statement)
    return _done(request, study, delphi_round, message % {"number": number})


@require_POST
@_coding_action
def statement_move(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = _statement(study, statement_pk)
    ordered = list(
        Statement.objects.filter(
            study=study, domain=statement.domain, status=Statement.Status.ACTIVE
        )
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    step = -1 if request.POST.get("direction") == "up" else 1
    if statement.pk in ordered:
        here = ordered.index(statement.pk)
        there = here + step
        if 0 <= there < len(ordered):
            ordered[here], ordered[there] = ordered[there], ordered[here]
    try:
        coding.statements_reorder(
            study=study, domain=statement.domain, ordered_ids=ordered, actor=request.user
        )
    except ValidationError as error:
        return _refused(request, study, delphi_round, error)
    message = (
        _("Statement #%(number)s was moved up.")
        if step < 0
        else _("Statement #%(number)s was moved down.")
    ) % {"number": selectors_coding.statement_number(statement)}
    return _done(request, study, delphi_round, message)


@require_POST
@_coding_action
def source_remove(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int, answer_pk: int
) -> HttpResponse:
    statement = _statement(study, statement_pk)
    answer = get_object_or_404(
        OpenAnswer.objects.select_related("submission__expert"),
        question__delphi_round__study=study,
        pk=answer_pk,
    )
    try:
        coding.statement_remove_source(statement=statement, answer=answer, actor=request.user)
    except ValidationError as error:
        return _refused(request, study, delphi_round, error)
    message = _("The answer of %(code)s was removed from statement #%(number)s.") % {
        "code": answer.submission.expert.code,
        "number": selectors_coding.statement_number(statement),
    }
    return _done(request, study, delphi_round, message)


@require_http_methods(["GET", "POST"])
@_coding_action
def answer_out_of_scope(
    request: HttpRequest, study: Study, delphi_round: Round, answer_pk: int
) -> HttpResponse:
    answer = _answer(delphi_round, answer_pk)
    form = OutOfScopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            coding.answer_mark_out_of_scope(
                answer=answer, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("The answer of %(code)s was marked out of scope.") % {
                "code": answer.submission.expert.code
            }
            return _done(request, study, delphi_round, message)
    return _form(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_out_of_scope_form.html",
        title=_("Mark the answer of %(code)s out of scope")
        % {"code": answer.submission.expert.code},
        action=_action_url("coding_answer_out_of_scope", delphi_round, answer_pk=answer.pk),
        form=form,
        answer=answer,
    )


@require_POST
@_coding_action
def answer_restore(
    request: HttpRequest, study: Study, delphi_round: Round, answer_pk: int
) -> HttpResponse:
    answer = _answer(delphi_round, answer_pk)
    try:
        coding.answer_restore(answer=answer, actor=request.user)
    except ValidationError as error:
        return _refused(request, study, delphi_round, error)
    message = _("The answer of %(code)s is back among the answers to code.") % {
        "code": answer.submission.expert.code
    }
    return _done(request, study, delphi_round, message)
