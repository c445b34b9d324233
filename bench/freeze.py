"""Benchmark freezing a big rating round against `analysis.stats` alone on the same ratings.

Run from the repository root:  python bench/freeze.py  [--statements 100 --experts 1000]

Builds, in a throw-away test database (Django's test-database machinery: in-memory SQLite by
default, test_<name> when DATABASE_URL names a server), a rating round of `statements`
statements answered by `experts` experts, then times `round_results_freeze` — read the
ratings, tally them, call `analysis.stats`, write the ItemResult rows in one transaction —
and `summarize_ratings` on the same experts x statements matrix. Both are the best of
`--repeats` runs. The goal is a freeze in at most 2 s for 100 x 1,000; the ratio says what
the database round trip costs over the arithmetic. It also times the results page's reads
(`analysis.selectors.round_results`) for a second round answered by the same experts, where
stability, Kendall's W and the attrition check all have work to do.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delphi_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from analysis.selectors import round_results  # noqa: E402
from analysis.stats import summarize_ratings  # noqa: E402
from panels.models import Expert, Panel, Study  # noqa: E402
from rounds.models import Rating, Round, RoundItem, Statement, Submission  # noqa: E402
from rounds.results import round_results_freeze  # noqa: E402

GOAL_SECONDS = 2.0
POINTS = 5


def make_matrix(experts: int, statements: int, seed: int = 20190308) -> np.ndarray:
    """Answers 1..5 leaning to the top of the scale, as Delphi panels do; every cell answered."""
    rng = np.random.default_rng(seed)
    return rng.choice(
        np.arange(1, POINTS + 1), size=(experts, statements), p=[0.03, 0.07, 0.2, 0.35, 0.35]
    )


def build_round(matrix: np.ndarray, previous_round: Round | None = None) -> Round:
    """A closed-ready rating round holding `matrix` as submitted ratings (bulk inserts).

    With `previous_round`, the new round asks the same statements of the same experts.
    """
    experts, statements = matrix.shape
    if previous_round is None:
        owner = get_user_model().objects.create(username="bench")
        study = Study.objects.create(title="bench", owner=owner)
        panel = Panel.objects.create(study=study, name="bench", code_prefix="E")
        people = Expert.objects.bulk_create(
            Expert(panel=panel, code=f"E{n:04d}", name=f"expert {n}") for n in range(experts)
        )
        asked = Statement.objects.bulk_create(
            Statement(study=study, order=n, number=n + 1, text=f"statement {n}")
            for n in range(statements)
        )
    else:
        study, panel = previous_round.study, previous_round.panel
        people = list(panel.experts.order_by("code"))
        asked = [item.statement for item in previous_round.items.order_by("order")]
    delphi_round = Round.objects.create(
        study=study,
        panel=panel,
        number=2 if previous_round is None else previous_round.number + 1,
        kind=Round.Kind.RATING,
        status=Round.Status.OPEN,
        previous_round=previous_round,
    )
    items = RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=statement, order=n)
        for n, statement in enumerate(asked)
    )
    submissions = Submission.objects.bulk_create(
        Submission(delphi_round=delphi_round, expert=expert, status=Submission.Status.SUBMITTED)
        for expert in people
    )
    Rating.objects.bulk_create(
        (
            Rating(submission=submission, item=item, value=int(value))
            for submission, row in zip(submissions, matrix, strict=True)
            for item, value in zip(items, row, strict=True)
        ),
        batch_size=5000,
    )
    return delphi_round


def converged(matrix: np.ndarray, seed: int = 20190330) -> np.ndarray:
    """The next round's answers: about one expert in ten moves one point towards 4."""
    rng = np.random.default_rng(seed)
    moving = rng.random(matrix.shape) < 0.1
    return np.where(moving, matrix + np.sign(4 - matrix), matrix)


def matrix_from_database(delphi_round: Round) -> np.ndarray:
    """The experts x statements matrix read back from the stored ratings (not timed)."""
    rows = Rating.objects.filter(submission__delphi_round=delphi_round).values_list(
        "submission__expert_id", "item__order", "value"
    )
    experts, orders, values = (np.asarray(column) for column in zip(*rows, strict=True))
    _codes, expert_index = np.unique(experts, return_inverse=True)
    matrix = np.zeros((expert_index.max() + 1, orders.max() + 1), dtype=np.int64)
    matrix[expert_index, orders] = values
    return matrix


def best_of(function: Callable[[], object], repeats: int) -> float:
    """Best wall time in seconds over `repeats` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--experts", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-page",
        dest="page",
        action="store_false",
        help="Skip timing the results page's reads (saves building a second round).",
    )
    args = parser.parse_args(argv)

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        first_answers = make_matrix(args.experts, args.statements)
        delphi_round = build_round(first_answers)
        built = time.perf_counter() - start
        matrix = matrix_from_database(delphi_round)
        freeze = best_of(lambda: round_results_freeze(delphi_round=delphi_round), args.repeats)
        alone = best_of(lambda: summarize_ratings(matrix), args.repeats)
        if args.page:
            later = build_round(converged(first_answers), previous_round=delphi_round)
            round_results_freeze(delphi_round=later)
            later = Round.objects.select_related("study", "previous_round").get(pk=later.pk)
            page = best_of(lambda: round_results(delphi_round=later), args.repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    size = f"{args.statements}x{args.experts}"
    print(f"database: {connection.vendor}; built {size} ratings in {built:.2f} s")
    verdict = "within" if freeze <= GOAL_SECONDS else "OVER"
    print(f"goal: freeze <= {GOAL_SECONDS:.0f} s ({verdict})")
    if args.page:
        print(f"results page reads {size}, two rounds: {page:.2f} s")
    print(f"freeze {size}: {freeze:.2f} s, stats alone {alone:.4f} s, ratio={freeze / alone:.0f}")
    return 0 if freeze <= GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
