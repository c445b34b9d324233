"""The researcher builds the next round, chooses a confirmation round's criteria, previews a
round as an expert sees it, and may reopen a closed round. The rules live in rounds.building
and rounds.lifecycle; these views only ask."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from delphi_site.pages import render_form
from panels.models import Study
from rounds.answering.pages import confirmation_context, open_boxes, open_context, rating_context
from rounds.answering.questionnaire import rating_rows
from rounds.answering.selectors import remember_previous_ranges, round_items_with_previous_range
from rounds.lifecycle import services as lifecycle
from rounds.models import ConfirmationStatistic, Round
from rounds.selectors import round_for_user

from . import selectors, services
from .criteria import ERRORS as CRITERIA_ERRORS
from .criteria import round_criteria_set
from .forms import BuildForm, CriteriaForm, ItemActionForm, ReopenForm, StatementAddForm
from .items import round_feedback_set, round_item_add, round_item_move, round_item_remove
from .rules import RATED_KINDS

# The expert templates build links with a token; the preview has no expert, and its links are
# switched off (see preview.html), so any word that fits the URL pattern does.
PREVIEW_TOKEN = "preview"  # noqa: S105 — not a secret: a placeholder in URLs


def _build_url(delphi_round: Round) -> str:
    return reverse(
        "rounds:build", kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk}
    )


def _buildable_or_redirect(request: HttpRequest, delphi_round: Round) -> HttpResponse | None:
    if delphi_round.kind not in RATED_KINDS:
        messages.info(request, _("An open round asks questions: add them on the round's page."))
        return redirect(delphi_round)
    if not delphi_round.is_draft:
        messages.info(
            request,
            _("This round has been sent to experts, so its statements can no longer change."),
        )
        return redirect("rounds:preview", study_pk=delphi_round.study_id, round_pk=delphi_round.pk)
    return None


def _items_context(delphi_round: Round) -> dict:
    return {"items": selectors.round_items_for_building(delphi_round)}


def _render_build(
    request: HttpRequest,
    study: Study,
    delphi_round: Round,
    *,
    form: BuildForm | None = None,
    add_form: StatementAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = BuildForm(
            delphi_round=delphi_round,
            sources=selectors.build_sources(delphi_round),
            statement_count=selectors.active_statement_count(delphi_round),
        )
    if add_form is None:
        initial = {}
        comment = selectors.comment_for_round(delphi_round, request.GET.get("comment", ""))
        if comment is not None:
            initial = {
                "text": comment.comment,
                "domain": comment.item.statement.domain_id,
                "comment": comment.pk,
            }
        add_form = StatementAddForm(delphi_round=delphi_round, initial=initial)
    context = {
        "study": study,
        "round": delphi_round,
        "form": form,
        "add_form": add_form,
        "comments": selectors.comments_of_previous_round(delphi_round),
        **_items_context(delphi_round),
    }
    return render(request, "rounds/build_round.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def build(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    refusal = _buildable_or_redirect(request, delphi_round)
    if refusal is not None:
        return refusal
    if request.method != "POST":
        return _render_build(request, study, delphi_round)
    form = BuildForm(
        request.POST,
        delphi_round=delphi_round,
        sources=selectors.build_sources(delphi_round),
        statement_count=selectors.active_statement_count(delphi_round),
    )
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "feedback":
                round_feedback_set(delphi_round=delphi_round, actor=request.user, **form.feedback())
                messages.success(request, _("The feedback settings were saved."))
            else:
                source, only_without_consensus = form.source_round()
                if source is not None and form.is_final_model():
                    count = services.round_build_final_model(
                        delphi_round=delphi_round, source_round=source, actor=request.user
                    )
                elif source is None:
                    count = services.round_build_from_statements(
                        delphi_round=delphi_round, actor=request.user, feedback=form.feedback()
                    )
                else:
                    count = services.round_build_from_round(
                        delphi_round=delphi_round,
                        source_round=source,
                        only_without_consensus=only_without_consensus,
                        actor=request.user,
                        feedback=form.feedback(),
                    )
                messages.success(
                    request,
                    ngettext(
                        "The round now has %(count)s statement.",
                        "The round now has %(count)s statements.",
                        count,
                    )
                    % {"count": count},
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_build_url(delphi_round))
    return _render_build(request, study, delphi_round, form=form, status=200)


@login_required
@require_POST
def build_add(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    refusal = _buildable_or_redirect(request, delphi_round)
    if refusal is not None:
        return refusal
    form = StatementAddForm(request.POST, delphi_round=delphi_round)
    if form.is_valid():
        comment = None
        if form.cleaned_data["comment"] is not None:
            comment = selectors.comment_for_round(delphi_round, form.cleaned_data["comment"])
            if comment is None:
                form.add_error(None, _("This comment is no longer available."))
        if not form.errors:
            try:
                round_item_add(
                    delphi_round=delphi_round,
                    text=form.cleaned_data["text"],
                    domain=form.cleaned_data["domain"],
                    actor=request.user,
                    comment=comment,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The statement was added to the round."))
                return redirect(_build_url(delphi_round) + "#items")
    return _render_build(request, study, delphi_round, add_form=form)


@login_required
@require_POST
def build_item(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    """Remove a statement, or move it up or down; HTMX gets the list back, others a redirect."""
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    form = ItemActionForm(request.POST)
    error_message = ""
    if not form.is_valid():
        error_message = _("This action is not known.")
    else:
        action = form.cleaned_data["action"]
        try:
            if action == "remove":
                round_item_remove(
                    delphi_round=delphi_round, item=form.cleaned_data["item"], actor=request.user
                )
            else:
                round_item_move(
                    delphi_round=delphi_round,
                    item=form.cleaned_data["item"],
                    direction=action,
                    actor=request.user,
                )
        except ValidationError as error:
            error_message = " ".join(error.messages)
    if request.htmx:
        context = {"study": study, "round": delphi_round, "error": error_message}
        context |= _items_context(delphi_round)
        return render(request, "rounds/partials/_build_items.html", context)
    if error_message:
        messages.error(request, error_message)
    return redirect(_build_url(delphi_round) + "#items")


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    """A confirmation round's criteria and statistic: editable while it is a draft."""
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    if delphi_round.kind != Round.Kind.CONFIRMATION:
        raise Http404
    if request.method == "POST" and not delphi_round.is_draft:
        messages.error(request, str(CRITERIA_ERRORS["locked"]))
        return redirect("rounds:criteria", study_pk=study.pk, round_pk=delphi_round.pk)
    form = CriteriaForm(request.POST or None, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        try:
            round_criteria_set(
                delphi_round=delphi_round,
                criteria=form.chosen_criteria(),
                statistic=form.cleaned_data["statistic"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The criteria were saved."))
            return redirect("rounds:criteria", study_pk=study.pk, round_pk=delphi_round.pk)
    context = {
        "study": study,
        "round": delphi_round,
        "form": form,
        "criteria": delphi_round.rating_criteria,
        "statistic_label": ConfirmationStatistic(delphi_round.confirmation_statistic).label,
    }
    return render(request, "rounds/round_criteria.html", context)


@login_required
@require_safe
def preview(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    """The questionnaire exactly as an expert sees it, from the expert side's own templates and
    context, with every input switched off. Reads only: nothing is written, no expert is
    involved; the feedback shows the previous round's frozen results, and no own answer."""
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    if delphi_round.kind == Round.Kind.OPEN:
        questions = list(delphi_round.questions.select_related("domain"))
        entries = open_boxes(questions, {}, None)
        context = open_context(None, PREVIEW_TOKEN, delphi_round, entries, submission=None)
        template = "rounds/expert/round_open.html"
    elif delphi_round.kind == Round.Kind.CONFIRMATION:
        items = list(delphi_round.items.select_related("statement__domain").order_by("order", "pk"))
        context = confirmation_context(
            None, PREVIEW_TOKEN, delphi_round, items, {}, {}, submit_error=None
        )
        template = "rounds/expert/round_confirmation.html"
    else:
        items = list(round_items_with_previous_range(delphi_round))
        remember_previous_ranges(items)
        rows = rating_rows(delphi_round, None, items, saved={})
        context = rating_context(None, PREVIEW_TOKEN, delphi_round, rows, submission=None)
        template = "rounds/expert/round_rating.html"
    context |= {"expert_template": template, "preview": True, "can_build": study.user_can_edit}
    return render(request, "rounds/preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_reopen(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    form = ReopenForm(request.POST or None, delphi_round=delphi_round)
    if request.method == "POST" and form.is_valid():
        try:
            reopened = lifecycle.round_reopen(
                delphi_round=delphi_round,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if reopened.closes_at is not None and reopened.closes_at <= timezone.now():
                messages.warning(
                    request,
                    _(
                        "The round is open again, but its deadline has passed: experts cannot "
                        "answer until you set a later deadline on the tracking page."
                    ),
                )
            else:
                messages.success(request, _("The round is open again."))
            return redirect(delphi_round)
    return render_form(
        request,
        study=study,
        form=form,
        title=_("Reopen “%(round)s”") % {"round": delphi_round.display_title},
        cancel_url=delphi_round.get_absolute_url(),
    )
