"""The researcher's page for a confirmation round's criteria and statistic. The rules (draft
only, at least one criterion, names unique) live in rounds.confirmation; this view only asks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from panels import selectors as panel_selectors

from .confirmation import ERRORS, round_criteria_set
from .forms_confirmation import CriteriaForm
from .models import ConfirmationStatistic, Round


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = panel_selectors.study_for_user(user=request.user, study_pk=study_pk, write=True)
    delphi_round = get_object_or_404(Round, study=study, pk=round_pk)
    delphi_round.study = study
    if delphi_round.kind != Round.Kind.CONFIRMATION:
        raise Http404
    if request.method == "POST" and not delphi_round.is_draft:
        messages.error(request, str(ERRORS["locked"]))
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
