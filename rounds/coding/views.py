"""The content-analysis workspace of a closed open round, its actions and its Excel export.

Each action asks one service of rounds.coding (statements, merging, scope); how it answers,
in place with HTMX or as a page of its own without JavaScript, is in `pages`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from panels.models import Study
from rounds.models import Round
from rounds.selectors import round_for_user

from . import merging, scope, selectors, statements
from .checks import is_codable
from .exports import coding_xlsx
from .forms import (
    OutOfScopeForm,
    SourcesAddForm,
    StatementCreateForm,
    StatementEditForm,
    StatementMergeForm,
    StatementOutOfScopeForm,
    StatementSplitForm,
)
from .pages import action_url, coding_action, done, form_page, refused, workspace_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def coding_workspace(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    if not is_codable(delphi_round):
        return render(request, "rounds/coding.html", {"study": study, "round": delphi_round})
    context = workspace_context(request, study, delphi_round)
    if request.htmx and request.htmx.target == "coding-answers":
        return render(request, "rounds/partials/_coding_answers.html", context)
    return render(request, "rounds/coding.html", context)


@login_required
@require_safe
def coding_export(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    if not is_codable(delphi_round):
        messages.info(request, _("Content analysis starts when the round is closed."))
        return redirect(delphi_round)
    workspace = selectors.coding_workspace(delphi_round=delphi_round)
    response = HttpResponse(coding_xlsx(workspace), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"coding-round-{delphi_round.number}.xlsx"
    )
    return response


@require_http_methods(["GET", "POST"])
@coding_action
def statement_create(request: HttpRequest, study: Study, delphi_round: Round) -> HttpResponse:
    if request.method == "POST":
        form = StatementCreateForm(request.POST, delphi_round=delphi_round)
        if form.is_valid():
            answers = list(form.cleaned_data["answers"])
            try:
                statement = statements.statement_create_from_answers(
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
                    "Statement %(number)s was created from %(count)s answer.",
                    "Statement %(number)s was created from %(count)s answers.",
                    len(answers),
                ) % {
                    "number": statement.code,
                    "count": len(answers),
                }
                return done(request, study, delphi_round, message)
        chosen = [pk for pk in request.POST.getlist("answers") if pk.isdigit()]
        answers = list(form.fields["answers"].queryset.filter(pk__in=chosen))
    else:
        ids = [pk for pk in request.GET.getlist("answers") if pk.isdigit()]
        answers = selectors.chosen_answers(delphi_round, ids)
        form = StatementCreateForm.for_answers(delphi_round=delphi_round, answers=answers)
    board = selectors.statement_board(study)
    add_form = SourcesAddForm(
        delphi_round=delphi_round,
        board=board,
        initial={"answers": [answer.pk for answer in answers]},
    )
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_create_form.html",
        title=_("New statement from the chosen answers"),
        action=action_url("coding_statement_create", delphi_round),
        add_action=action_url("coding_sources_add", delphi_round),
        form=form,
        add_form=add_form,
        answers=answers,
    )


@require_POST
@coding_action
def sources_add(request: HttpRequest, study: Study, delphi_round: Round) -> HttpResponse:
    board = selectors.statement_board(study)
    form = SourcesAddForm(request.POST, delphi_round=delphi_round, board=board)
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return refused(request, study, delphi_round, ValidationError(errors))
    view = board.by_pk[form.cleaned_data["statement"]]
    answers = list(form.cleaned_data["answers"])
    try:
        statements.statement_add_sources(
            statement=view.statement, answers=answers, actor=request.user
        )
    except ValidationError as error:
        return refused(request, study, delphi_round, error)
    message = ngettext(
        "%(count)s answer was added to statement %(number)s.",
        "%(count)s answers were added to statement %(number)s.",
        len(answers),
    ) % {"count": len(answers), "number": view.code}
    return done(request, study, delphi_round, message)


@require_http_methods(["GET", "POST"])
@coding_action
def statement_edit(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    form = StatementEditForm.of(statement, study=study, data=request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            statements.statement_edit(
                statement=statement,
                text=form.cleaned_data["text"],
                domain=form.cleaned_data["domain"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) != "stale":
                form.add_error(None, error)
            else:
                # A colleague saved first: the form shows their wording, and what this user
                # typed stays on the page beside it.
                conflict = form.conflict(error)
                statement = selectors.statement_of_study(study, statement_pk)
                form = StatementEditForm.of(statement, study=study)
        else:
            message = _("Statement %(number)s was saved.") % {"number": statement.code}
            return done(request, study, delphi_round, message)
    board = selectors.statement_board(study)
    view = board.by_pk[statement.pk]
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_edit_form.html",
        title=_("Edit statement %(number)s") % {"number": view.code},
        action=action_url("coding_statement_edit", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
        conflict=conflict,
    )


@require_http_methods(["GET", "POST"])
@coding_action
def statement_merge(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    board = selectors.statement_board(study)
    view = board.by_pk[statement.pk]
    form = StatementMergeForm(request.POST or None, board=board, statement_pk=statement.pk)
    if request.method == "POST" and form.is_valid():
        target = board.by_pk[form.cleaned_data["target"]]
        try:
            merging.statements_merge(
                target=target.statement, others=[statement], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _(
                "Statement %(merged)s was merged into %(target)s; the answers it came from "
                "now also back %(target)s."
            ) % {"merged": view.code, "target": target.code}
            return done(request, study, delphi_round, message)
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_merge_form.html",
        title=_("Merge statement %(number)s into another") % {"number": view.code},
        action=action_url("coding_statement_merge", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
    )


@require_http_methods(["GET", "POST"])
@coding_action
def statement_split(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    board = selectors.statement_board(study)
    view = board.by_pk[statement.pk]
    if request.method == "POST" and "add_part" in request.POST:
        form = StatementSplitForm.with_another_part(request.POST, view=view, study=study)
    else:
        form = StatementSplitForm(request.POST or None, view=view, study=study)
        if request.method == "POST" and form.is_valid():
            try:
                parts = merging.statement_split(
                    statement=statement, parts=form.cleaned_parts(), actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Part 1 keeps the statement's code; the new parts get the next free ones.
                message = _("Statement %(number)s was split into %(parts)s.") % {
                    "number": view.code,
                    "parts": ", ".join([view.code, *(part.code for part in parts[1:])]),
                }
                return done(request, study, delphi_round, message)
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_split_form.html",
        title=_("Split statement %(number)s") % {"number": view.code},
        action=action_url("coding_statement_split", delphi_round, statement_pk=statement.pk),
        form=form,
        view=view,
    )


@require_http_methods(["GET", "POST"])
@coding_action
def statement_out_of_scope(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    number = statement.code
    form = StatementOutOfScopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scope.statement_mark_out_of_scope(
                statement=statement, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            return refused(request, study, delphi_round, error)
        message = _("Statement %(number)s was set aside as out of scope.")
        return done(request, study, delphi_round, message % {"number": number})
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_out_of_scope_form.html",
        title=_("Set statement %(number)s aside as out of scope") % {"number": number},
        action=action_url("coding_statement_out_of_scope", delphi_round, statement_pk=statement.pk),
        form=form,
        text=statement.text,
    )


@require_POST
@coding_action
def statement_restore(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    try:
        scope.statement_restore(statement=statement, actor=request.user)
    except ValidationError as error:
        return refused(request, study, delphi_round, error)
    message = _("Statement %(number)s is active again.")
    return done(request, study, delphi_round, message % {"number": statement.code})


@require_POST
@coding_action
def statement_move(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        statements.statement_move(
            study=study, statement=statement, direction=direction, actor=request.user
        )
    except ValidationError as error:
        return refused(request, study, delphi_round, error)
    message = (
        _("Statement %(number)s was moved up.")
        if direction == "up"
        else _("Statement %(number)s was moved down.")
    ) % {"number": statement.code}
    return done(request, study, delphi_round, message)


@require_POST
@coding_action
def source_remove(
    request: HttpRequest, study: Study, delphi_round: Round, statement_pk: int, answer_pk: int
) -> HttpResponse:
    statement = selectors.statement_of_study(study, statement_pk)
    answer = selectors.answer_of_study(study, answer_pk)
    try:
        statements.statement_remove_source(statement=statement, answer=answer, actor=request.user)
    except ValidationError as error:
        return refused(request, study, delphi_round, error)
    message = _("The answer of %(code)s was removed from statement %(number)s.") % {
        "code": answer.submission.expert.code,
        "number": statement.code,
    }
    return done(request, study, delphi_round, message)


@require_http_methods(["GET", "POST"])
@coding_action
def answer_out_of_scope(
    request: HttpRequest, study: Study, delphi_round: Round, answer_pk: int
) -> HttpResponse:
    answer = selectors.answer_of_round(delphi_round, answer_pk)
    form = OutOfScopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scope.answer_mark_out_of_scope(
                answer=answer, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("The answer of %(code)s was marked out of scope.") % {
                "code": answer.submission.expert.code
            }
            return done(request, study, delphi_round, message)
    return form_page(
        request,
        study=study,
        delphi_round=delphi_round,
        template="rounds/partials/_coding_out_of_scope_form.html",
        title=_("Mark the answer of %(code)s out of scope")
        % {"code": answer.submission.expert.code},
        action=action_url("coding_answer_out_of_scope", delphi_round, answer_pk=answer.pk),
        form=form,
        text=answer.text,
    )


@require_POST
@coding_action
def answer_restore(
    request: HttpRequest, study: Study, delphi_round: Round, answer_pk: int
) -> HttpResponse:
    answer = selectors.answer_of_round(delphi_round, answer_pk)
    try:
        scope.answer_restore(answer=answer, actor=request.user)
    except ValidationError as error:
        return refused(request, study, delphi_round, error)
    message = _("The answer of %(code)s is back among the answers to code.") % {
        "code": answer.submission.expert.code
    }
    return done(request, study, delphi_round, message)
