"""The combiner's reliability table and figure (benchmarks/suites/framing_pairs.py), on numbers known in advance."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `benchmarks` is not installed
    sys.path.insert(0, str(ROOT))

from benchmarks.suites import framing_pairs  # noqa: E402


def test_calibration_table_bins_equal_counts_and_scores_brier():
    y = np.array([0, 0, 0, 1, 0, 1, 1, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.2, 0.3, 0.4, 0.6, 0.7, 0.7, 0.9, 0.9])
    cal = framing_pairs.calibration(y, p, n_bins=5)
    assert cal["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-4)
    assert cal["brier_base_rate"] == pytest.approx(0.25)
    assert [b["n_pairs"] for b in cal["bins"]] == [2, 2, 2, 2, 2]
    assert [b["observed"] for b in cal["bins"]] == [0.0, 0.5, 0.5, 0.5, 1.0]
    assert cal["bins"][0]["mean_predicted"] == pytest.approx(0.15)
    for b in cal["bins"]:
        assert 0.0 <= b["observed_low"] <= b["observed"] <= b["observed_high"] <= 1.0
        assert b["p_min"] <= b["mean_predicted"] <= b["p_max"]
    gaps = [abs(b["mean_predicted"] - b["observed"]) for b in cal["bins"]]
    assert cal["expected_calibration_error"] == pytest.approx(np.mean(gaps), abs=1e-4)


def test_calibration_figure_is_drawn_from_the_result(tmp_path):
    rng = np.random.default_rng(0)
    p = rng.uniform(size=80)
    y = (rng.uniform(size=80) < p).astype(int)
    result = {"metrics": {"calibration": {"test": framing_pairs.calibration(y, p),
                                          "train_out_of_fold": framing_pairs.calibration(y[:60], p[:60])}}}
    paths = framing_pairs.figures(result, tmp_path)
    assert paths == [tmp_path / framing_pairs.CALIBRATION_FIGURE]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
