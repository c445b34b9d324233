"""Factories for confirmation rounds (engineer K's)."""

from rounds.models import Round
from tests.factories import PanelFactory, RoundFactory
from tests.rounds.factories_a import consented_expert, rating_round


def confirmation_round(study, *, statements: int = 3, domains: int = 1, **fields):
    """An open confirmation round of a new panel with `statements` items; (round, items)."""
    fields.setdefault("number", 4)
    fields.setdefault("panel", PanelFactory(study=study, code_prefix="Q"))
    panel = fields.pop("panel")
    return rating_round(
        study, panel, statements=statements, domains=domains, kind=Round.Kind.CONFIRMATION, **fields
    )


def draft_confirmation_round(study, **fields) -> Round:
    fields.setdefault("number", 4)
    fields.setdefault("panel", PanelFactory(study=study, code_prefix="Q"))
    return RoundFactory(study=study, kind=Round.Kind.CONFIRMATION, **fields)


__all__ = ["confirmation_round", "consented_expert", "draft_confirmation_round"]
