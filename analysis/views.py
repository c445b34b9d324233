"""The results page of a rating or confirmation round (reads only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from analysis import selectors
from analysis.selectors.confirmation import confirmation_results
from rounds.models import Round
from rounds.selectors import round_for_user

from .forms import ResultsFilterForm


@login_required
@require_safe
def round_results(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    delphi_round = round_for_user(user=request.user, study_pk=study_pk, round_pk=round_pk)
    study = delphi_round.study
    context = {
        "study": study,
        "round": delphi_round,
        "unavailable": selectors.results_unavailable_reason(delphi_round),
    }
    if context["unavailable"] is None:
        results = selectors.round_results(delphi_round=delphi_round)
        form = ResultsFilterForm(request.GET or None, study=study)
        rows = selectors.filter_rows(results.rows, **form.filters())
        context |= {
            "results": results,
            "form": form,
            "groups": selectors.rows_by_domain(rows),
            "shown": len(rows),
            "filtered": any(form.filters().values()),
        }
        if delphi_round.kind == Round.Kind.CONFIRMATION:
            context["confirmation"] = confirmation_results(results=results)
        if request.htmx:
            return render(request, "analysis/partials/_results_table.html", context)
    return render(request, "analysis/results.html", context)
