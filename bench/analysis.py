"""Benchmark ``summarize_ratings`` against a bare numpy floor measured in the same run.

Run from the repository root:  python bench/analysis.py  [--experts 1000 --items 1000]

The floor is the least any vectorised implementation must do: count the answers per item
(one comparison and column sum per scale point), cumsum, and evaluate the three grouped
quantiles in floats. ``summarize_ratings`` adds validation, exact integer arithmetic,
half-up rounding, bands and consensus; the ratio says what that costs. Peak extra memory
(tracemalloc) is reported relative to the input matrix.
"""

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

# This file is named analysis.py: when run as a script its own folder would shadow the
# ``analysis`` package, so put the repository root first instead.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

from analysis.stats import summarize_ratings  # noqa: E402

POINTS = 5


def make_ratings(experts: int, items: int, seed: int = 20190322) -> np.ndarray:
    """Random answers 0..5 (0 = no answer) with about 5 % NaN, as float64."""
    rng = np.random.default_rng(seed)
    ratings = rng.integers(0, POINTS + 1, size=(experts, items)).astype(np.float64)
    ratings[rng.random(ratings.shape) < 0.05] = np.nan
    return ratings


def floor(ratings: np.ndarray) -> list[np.ndarray]:
    """Counts + cumsum + grouped Q1/median/Q3 in floats: no validation, no exactness."""
    counts = np.stack([(ratings == k).sum(axis=0) for k in range(1, POINTS + 1)], axis=1)
    cumulative = counts.cumsum(axis=1)
    n = cumulative[:, -1]
    values = []
    for quarters in (1, 2, 3):
        position = n * (quarters / 4)
        k0 = (cumulative < position[:, None]).sum(axis=1)
        below = np.take_along_axis(cumulative - counts, k0[:, None], axis=1)[:, 0]
        f = np.take_along_axis(counts, k0[:, None], axis=1)[:, 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            values.append(k0 + 0.5 + (position - below) / f)
    return values


def best_of(function: Callable[[], object], repeats: int) -> float:
    """Best wall time in seconds over ``repeats`` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(function: Callable[[], object]) -> int:
    """Peak bytes allocated by numpy/Python while ``function`` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=1000)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    ratings = make_ratings(args.experts, args.items)
    size = f"{args.experts}x{args.items}"
    ours = best_of(lambda: summarize_ratings(ratings), args.repeats)
    base = best_of(lambda: floor(ratings), args.repeats)
    ours_peak = peak_memory(lambda: summarize_ratings(ratings))
    base_peak = peak_memory(lambda: floor(ratings))

    seed_panel = make_ratings(18, 60)
    seed_time = best_of(lambda: summarize_ratings(seed_panel), args.repeats)
    print(f"summarize_ratings 18x60 (seed-size panel): {seed_time * 1e3:.3f} ms")
    print(f"input: {size} float64, {ratings.nbytes / 1e6:.1f} MB")
    print(f"floor peak extra memory: {base_peak / 1e6:.2f} MB ", end="")
    print(f"({base_peak / ratings.nbytes:.2f}x input)")
    print(f"summarize_ratings peak extra memory: {ours_peak / 1e6:.2f} MB ", end="")
    print(f"({ours_peak / ratings.nbytes:.2f}x input)")
    print(f"summarize_ratings {size}: {ours * 1e3:.1f} ms, floor {base * 1e3:.1f} ms, ", end="")
    print(f"ratio={ours / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
