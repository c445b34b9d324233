"""The results page of a rating or confirmation round (reads only)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from analysis import selectors, stats
from analysis.selectors.confirmation import confirmation_results
from panels import selectors as panel_selectors
from panels.models import Study
from rounds.models import Round


class ResultsFilterForm(forms.Form):
    """The page's filters, read from the query string so a filtered view can be bookmarked."""

    consensus = forms.ChoiceField(
        label=_("Consensus"),
        required=False,
        choices=[("", _("All statements")), ("no", _("No consensus")), ("yes", _("Consensus"))],
    )
    changed = forms.BooleanField(
        label=_("Changed since the previous round"),
        required=False,
        help_text=_("Median, interquartile range or consensus differ from the previous round."),
    )
    band = forms.ChoiceField(label=_("Band"), required=False)

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        # Band names in the study's language, as the results tables print them.
        labels = stats.BAND_LABELS.get(study.language, stats.BAND_LABELS_EN)
        self.fields["band"].choices = [("", _("Any band"))] + [
            (band, labels[band]) for band in reversed(stats.BANDS)
        ]

    def filters(self) -> dict:
        """The valid filters; a bad value is reported on the form and otherwise ignored."""
        cleaned = {}
        if self.is_bound:
            # An invalid form still keeps its valid fields in cleaned_data.
            self.is_valid()
            cleaned = self.cleaned_data
        return {
            "consensus": cleaned.get("consensus") or "",
            "changed": bool(cleaned.get("changed")),
            "band": cleaned.get("band") or "",
        }


@login_required
@require_safe
def round_results(request: HttpRequest, study_pk: int, round_pk: int) -> HttpResponse:
    study = panel_selectors.study_for_user(user=request.user, study_pk=study_pk)
    delphi_round = get_object_or_404(
        Round.objects.select_related("panel", "previous_round"), study=study, pk=round_pk
    )
    # The access check loaded the study: reuse it rather than query it again.
    delphi_round.study = study
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
