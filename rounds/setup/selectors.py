"""Reads of a study's set-up: a domain, a round's questions. Access is checked by the caller
(`panels.selectors.study_for_user`, `rounds.selectors.round_for_user`)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from panels.models import Study
from rounds.models import Domain, OpenQuestion, Round


def domain_for_study(study: Study, domain_pk: int) -> Domain:
    domain = get_object_or_404(Domain, study=study, pk=domain_pk)
    domain.study = study
    return domain


def question_for_round(delphi_round: Round, question_pk: int) -> OpenQuestion:
    question = get_object_or_404(OpenQuestion, delphi_round=delphi_round, pk=question_pk)
    question.delphi_round = delphi_round
    return question


def question_list_for_round(delphi_round: Round) -> QuerySet[OpenQuestion]:
    return delphi_round.questions.select_related("domain")
