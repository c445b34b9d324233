"""Reads of rounds through the reader's access rights: the one lookup every round view uses."""

from django.shortcuts import get_object_or_404

from panels.selectors import study_for_user

from .models import Round


def round_for_user(*, user, study_pk: int, round_pk: int, write: bool = False) -> Round:
    """The round of a study the user may see (404 otherwise), with its panel and previous round.

    With `write=True`, a viewer gets PermissionDenied. `round.study` is the study loaded by the
    access check (it carries `user_role` and `user_can_edit`), so it costs no second query.
    """
    study = study_for_user(user=user, study_pk=study_pk, write=write)
    delphi_round = get_object_or_404(
        Round.objects.select_related("panel", "previous_round"), study=study, pk=round_pk
    )
    delphi_round.study = study
    return delphi_round
