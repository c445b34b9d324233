"""The researcher's side of participation: open and close a round, invite, remind, track."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from delphi_site.pages import render_form
from panels.models import Expert, Study
from rounds.links import expert_link_url
from rounds.models import Round
from rounds.selectors import round_for_user

from . import emails, invitations, selectors, services
from .forms import DeadlineForm


def _tracking_url(delphi_round: Round) -> str:
    return reverse(
        "rounds:tracking", kwargs={"study_pk": delphi_round.study_id, "round_pk": delphi_round.pk}
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _confirm(request: HttpRequest, *, study: Study, delphi_round: Round, **context) -> HttpResponse:
    context |= {"study": study, "round": delphi_round}
    context.setdefault("cancel_url", _tracking_url(delphi_round))
    return render(request, "rounds/round_confirm.html", context)


@login_required
@require_safe
def tracking(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    progress = selectors.round_tracking(delphi_round)
    if study.user_can_edit:
        # Links are secrets that let anyone answer as the expert: editors only.
        for row in progress.rows:
            if row.expert.link_revoked_at is None:
                row.url = expert_link_url(row.expert, request=request)
                row.line_text = emails.line_message(
                    row.expert,
                    delphi_round,
                    row.url,
                    deadline=selectors.personal_deadline(row.invitation, delphi_round),
                )
    context = {
        "study": study,
        "round": delphi_round,
        "tracking": progress,
        "not_submitted": progress.invited - progress.submitted,
    }
    return render(request, "rounds/tracking.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    if request.method == "POST":
        try:
            services.round_open(delphi_round=delphi_round, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(delphi_round)
        messages.success(
            request,
            _("The round is open. Now send the experts their links: by e-mail, LINE or letter."),
        )
        return redirect(_tracking_url(delphi_round))
    check = selectors.opening_check(delphi_round)
    return _confirm(
        request,
        study=study,
        delphi_round=delphi_round,
        title=_("Open “%(round)s”?") % {"round": delphi_round.display_title},
        paragraphs=_opening_paragraphs(delphi_round, check),
        problems=[(code, services.ERRORS[code]) for code in check.problems],
        locks_rules=check.locks_rules,
        button=_("Open the round"),
        button_class="btn-success",
        cancel_url=delphi_round.get_absolute_url(),
    )


def _opening_paragraphs(delphi_round: Round, check: selectors.OpeningCheck) -> list[str]:
    paragraphs = []
    if check.expert_count:
        paragraphs.append(
            ngettext(
                "%(count)s expert of the panel “%(panel)s” will be invited.",
                "All %(count)s experts of the panel “%(panel)s” will be invited.",
                check.expert_count,
            )
            % {"count": check.expert_count, "panel": delphi_round.panel.name}
        )
    if delphi_round.kind == Round.Kind.OPEN:
        paragraphs.append(_("Once open, the questions can no longer change."))
    elif delphi_round.kind == Round.Kind.CONFIRMATION:
        paragraphs.append(_("Once open, the components and their criteria can no longer change."))
    else:
        paragraphs.append(_("Once open, the statements and their wording can no longer change."))
    paragraphs.append(
        _("No e-mail is sent yet: you choose how to reach the experts on the next page.")
    )
    return paragraphs


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    if request.method == "POST":
        try:
            services.round_close(delphi_round=delphi_round, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(delphi_round)
        messages.success(request, _("The round is closed. Experts can no longer change answers."))
        return redirect(delphi_round)
    progress = selectors.round_tracking(delphi_round)
    paragraphs = [
        ngettext(
            "%(submitted)s of %(invited)s expert has submitted their answers.",
            "%(submitted)s of %(invited)s experts have submitted their answers.",
            progress.invited,
        )
        % {"submitted": progress.submitted, "invited": progress.invited},
        _(
            "After closing, experts see a “round closed” page and can no longer answer or change "
            "their answers. Answers saved but not submitted stay in the records."
        ),
    ]
    if delphi_round.kind != Round.Kind.OPEN:
        paragraphs.append(
            _(
                "The group's results (median, interquartile range, consensus) are computed now "
                "and kept unchanged for the feedback of the next round and for the reports."
            )
        )
    return _confirm(
        request,
        study=study,
        delphi_round=delphi_round,
        title=_("Close “%(round)s”?") % {"round": delphi_round.display_title},
        paragraphs=paragraphs,
        button=_("Close the round"),
        button_class="btn-danger",
    )


def _codes(experts: list[Expert]) -> str:
    return ", ".join(expert.code for expert in experts)


def _report(request: HttpRequest, report: invitations.SendReport, *, nobody: str) -> None:
    if report.queued:
        count = len(report.queued)
        messages.success(
            request,
            ngettext(
                "%(count)s e-mail is on its way. Its status appears below once sent.",
                "%(count)s e-mails are on their way. Their status appears below once sent.",
                count,
            )
            % {"count": count},
        )
    skipped = [
        (
            report.no_email,
            _(
                "No e-mail address, so nothing was sent to: %(codes)s. Send their link by LINE "
                "or a letter."
            ),
        ),
        (
            report.link_revoked,
            _("Their link is revoked, so nothing was sent to: %(codes)s. Issue a new link first."),
        ),
        (report.already_queued, _("Already waiting to be sent: %(codes)s.")),
        (
            report.deadline_passed,
            _("Past their deadline, so nothing was sent to: %(codes)s. Extend the deadline first."),
        ),
    ]
    for experts, text in skipped:
        if experts:
            messages.warning(request, text % {"codes": _codes(experts)})
    if not report.queued and not any(experts for experts, _text in skipped):
        messages.info(request, nobody)


@login_required
@require_POST
def invitations_send(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    experts = None
    if request.POST.get("scope") != "all":
        ids = [int(value) for value in request.POST.getlist("expert") if value.isdigit()]
        experts = selectors.experts_of_round(delphi_round, ids)
        if not experts:
            messages.warning(request, _("Tick at least one expert to send the invitation to."))
            return redirect(_tracking_url(delphi_round))
    try:
        report = invitations.invitations_send(
            delphi_round=delphi_round,
            experts=experts,
            actor=request.user,
            base_url=_base_url(request),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        _report(request, report, nobody=_("Every invitation has already been sent."))
    return redirect(_tracking_url(delphi_round))


@login_required
@require_POST
def reminders_send(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    try:
        report = invitations.reminders_send(
            delphi_round=delphi_round, actor=request.user, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        _report(request, report, nobody=_("Nobody to remind: every invited expert has submitted."))
    return redirect(_tracking_url(delphi_round))


@login_required
@require_http_methods(["GET", "POST"])
def deadline_extend(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    initial = {}
    if (expert_pk := request.GET.get("expert", "")).isdigit():
        initial["expert"] = expert_pk
    form = DeadlineForm(request.POST or None, delphi_round=delphi_round, initial=initial)
    if request.method == "POST" and form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            services.round_deadline_extend(
                delphi_round=delphi_round,
                closes_at=form.cleaned_data["closes_at"],
                expert=expert,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("closes_at", error)
        else:
            if expert is None:
                messages.success(request, _("The round's deadline was changed."))
            else:
                messages.success(
                    request,
                    _("%(code)s now has a personal deadline.") % {"code": expert.code},
                )
            return redirect(_tracking_url(delphi_round))
    return render_form(
        request,
        study=study,
        form=form,
        title=_("Deadline of “%(round)s”") % {"round": delphi_round.display_title},
        cancel_url=_tracking_url(delphi_round),
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def letter(request: HttpRequest, study_pk: int, round_pk: int, expert_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    expert = selectors.expert_for_round(delphi_round, expert_pk)
    if expert.link_revoked_at is not None:
        messages.error(request, _("This expert's link is revoked: issue a new link first."))
        return redirect(_tracking_url(delphi_round))
    from . import letters  # WeasyPrint (Pango, fonts) is slow to load: only when asked.

    pdf = letters.letters_pdf(delphi_round, base_url=_base_url(request), expert=expert)
    return _pdf_response(pdf, f"letter-round{delphi_round.number}-{expert.code}.pdf")


@login_required
@require_safe
def letters_all(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    from . import letters  # WeasyPrint (Pango, fonts) is slow to load: only when asked.

    found = letters.letters_for_round(delphi_round, base_url=_base_url(request))
    if not found:
        messages.warning(request, _("No letter to print: no expert of the panel has a valid link."))
        return redirect(_tracking_url(delphi_round))
    pdf = letters.render_pdf(letters.letters_html(delphi_round, found))
    return _pdf_response(pdf, f"letters-round{delphi_round.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def link_revoke(request: HttpRequest, study_pk: int, round_pk: int, expert_pk: int) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    expert = selectors.expert_for_round(delphi_round, expert_pk)
    if request.method == "POST":
        invitations.link_revoke(expert=expert, actor=request.user)
        messages.success(
            request, _("The link of %(code)s no longer works.") % {"code": expert.code}
        )
        return redirect(_tracking_url(delphi_round))
    return _confirm(
        request,
        study=study,
        delphi_round=delphi_round,
        title=_("Revoke the link of %(expert)s?") % {"expert": expert},
        paragraphs=[
            _(
                "The expert's personal link stops working at once, in every round of this study. "
                "Answers already given are kept. You can issue a new link later."
            )
        ],
        button=_("Revoke the link"),
        button_class="btn-danger",
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_reissue(
    request: HttpRequest, study_pk: int, round_pk: int, expert_pk: int
) -> HttpResponse:
    delphi_round = round_for_user(
        user=request.user, study_pk=study_pk, round_pk=round_pk, write=True
    )
    study = delphi_round.study
    expert = selectors.expert_for_round(delphi_round, expert_pk)
    if request.method == "POST":
        invitations.link_reissue(expert=expert, actor=request.user)
        messages.success(
            request,
            _("%(code)s has a new link. Send it to them: the old one no longer works.")
            % {"code": expert.code},
        )
        return redirect(_tracking_url(delphi_round))
    return _confirm(
        request,
        study=study,
        delphi_round=delphi_round,
        title=_("Issue a new link for %(expert)s?") % {"expert": expert},
        paragraphs=[
            _(
                "Every earlier link of this expert stops working, in every round of this study, "
                "including links in e-mails and letters already sent. Answers already given are "
                "kept."
            )
        ],
        button=_("Issue a new link"),
        button_class="btn-primary",
    )
