"""The learned parts as scikit-learn estimators, and their one persistence helper (narrativediff.fitted)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from narrativediff import fitted
from narrativediff.align.features import FEATURES
from narrativediff.align.model import SameClaimCalibrator, default_calibrator
from narrativediff.exceptions import InvalidInputError, InvalidParameterError, NotFittedError
from narrativediff.framing.combine import DEFAULT_WEIGHTS_PATH, FramingCombiner, default_combiner
from narrativediff.framing.records import COMPONENTS

# Fixed feature rows and the probabilities the hand-written models gave for them with the shipped
# parameter files before the move to scikit-learn estimators (commit 43cdecc).
CALIBRATOR_ROWS = np.array([[0.9, 0.5, 0.6, 0.8, 1.0], [0.59, 0.2, 0.3, 0.5, 1.0], [0.3, 0.05, 0.1, 0.4, 0.0],
                            [0.75, 0.4, 0.45, 0.9, 0.5], [-0.1, 0.0, 0.0, 0.2, 1.0]])
CALIBRATOR_BEFORE = [0.8118014704852663, 0.1155338494777684, 0.007367483164870625, 0.6186019792075842,
                     0.0008236129926551539]
COMBINER_ROWS = [
    {"word_choice": 0, "attribution": 0, "intensity": 0, "actors": 0, "selection": 0},
    {"word_choice": 0.5, "attribution": 0.2, "intensity": 0.1, "actors": 0.0, "selection": 0},
    {"word_choice": 0.9, "attribution": 0.7, "intensity": 0.4, "actors": 0.3, "selection": 0},
    {"word_choice": 0.1, "attribution": 1.0, "intensity": 0.0, "actors": 0.8, "selection": 0},
]
# The combiner refitted on five components (framing v2, 2026-12-01); these pin that file.
COMBINER_BEFORE = [0.27894870650769527, 0.5394358725319124, 0.9008132513104903, 0.8288478179354212]


def calibrator_data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(-0.2, 1, n), rng.uniform(0, 1, n), rng.uniform(0, 1, n),
                         rng.uniform(0.2, 1, n), rng.integers(0, 2, n).astype(float)])
    y = (2.5 * X[:, 0] + X[:, 1] + 0.5 * rng.normal(size=n) > 1.6).astype(int)
    return X, y


def combiner_data(n=200, seed=1):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.uniform(0, 1, (n, len(COMPONENTS))), columns=list(COMPONENTS))
    y = (X["word_choice"] + X["attribution"] + 0.4 * rng.normal(size=n) > 1.0).to_numpy()
    return X, y


@pytest.fixture(params=["calibrator", "combiner"])
def case(request):
    """(unfitted estimator, X, y) for each learned part."""
    if request.param == "calibrator":
        return (SameClaimCalibrator(features=("cosine", "word_overlap", "length_ratio")), *calibrator_data())
    return (FramingCombiner(C=3.0), *combiner_data())


# --- the shipped files --------------------------------------------------------------------------

def test_shipped_files_give_the_probabilities_they_gave_before():
    calibrator = default_calibrator()
    np.testing.assert_allclose(calibrator.predict_proba(CALIBRATOR_ROWS)[:, 1], CALIBRATOR_BEFORE, rtol=0, atol=1e-12)
    matrices = [CALIBRATOR_ROWS[:, k].reshape(5, 1) for k in range(len(FEATURES))]
    np.testing.assert_allclose(calibrator.predict_proba_matrices(matrices).ravel(), CALIBRATOR_BEFORE, atol=1e-12)
    assert calibrator.threshold_ == pytest.approx(0.34263509216719346, abs=1e-15)
    combiner = default_combiner()
    assert [combiner.probability(row) for row in COMBINER_ROWS] == pytest.approx(COMBINER_BEFORE, abs=1e-12)
    np.testing.assert_allclose(combiner.predict_proba(COMBINER_ROWS)[:, 1], COMBINER_BEFORE, atol=1e-12)


@pytest.mark.parametrize("estimator", [default_calibrator, default_combiner])
def test_shipped_files_carry_provenance(estimator):
    model = estimator()
    for key in fitted.PROVENANCE_KEYS:
        assert key in model.provenance_, key
    assert model.provenance_["data"] and "train" in model.provenance_["split"]
    assert model.provenance_["date"] == {"SameClaimCalibrator": "2026-11-22",
                                         "FramingCombiner": "2026-12-01"}[type(model).__name__]
    assert "training." in model.provenance_["script"]
    assert list(model.classes_) == [0, 1] and model.n_samples_ > model.n_positive_ > 0


# --- the scikit-learn API -----------------------------------------------------------------------

def test_they_are_classifiers_with_params_under_their_own_names(case):
    estimator, _, _ = case
    assert is_classifier(estimator)
    params = estimator.get_params()
    assert params["C"] == estimator.C
    estimator.set_params(C=0.5)
    assert estimator.C == 0.5 and estimator.get_params()["C"] == 0.5
    again = clone(estimator)
    assert again is not estimator and again.get_params() == estimator.get_params()


def test_fit_returns_self_and_learns_underscored_attributes(case):
    estimator, X, y = case
    assert not hasattr(estimator, "coef_")
    assert estimator.fit(X, y) is estimator
    n = len(estimator._columns())
    assert estimator.coef_.shape == (n,) and isinstance(estimator.intercept_, float)
    assert list(estimator.classes_) == sorted(set(np.asarray(y).tolist()))
    assert estimator.n_samples_ == len(y) and estimator.n_positive_ == int(np.sum(y))
    assert set(fitted.PROVENANCE_KEYS) <= set(estimator.provenance_)
    clone(estimator)  # clone of a fitted estimator is unfitted
    assert not hasattr(clone(estimator), "coef_")


def test_predictions_have_sklearn_shapes(case):
    estimator, X, y = case
    estimator.fit(X, y)
    proba = estimator.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    decision = estimator.decision_function(X)
    assert decision.shape == (len(y),)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-decision)), atol=1e-12)
    predicted = estimator.predict(X)
    assert predicted.shape == (len(y),) and set(predicted.tolist()) <= set(estimator.classes_.tolist())
    assert estimator.score(X, y) == np.mean(predicted == np.asarray(y)) > 0.75  # ClassifierMixin's accuracy


def test_calibrator_predicts_at_its_threshold():
    X, y = calibrator_data()
    model = SameClaimCalibrator().fit(X, y)
    proba = model.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(model.predict(X) == 1, proba >= model.threshold_)
    assert 0 < model.threshold_ < 1


def test_labels_other_than_0_and_1_work():
    X, y = combiner_data()
    words = np.where(y, "different", "same")
    model = FramingCombiner().fit(X, words)
    assert list(model.classes_) == ["different", "same"]  # sorted: "same" is the positive column
    assert set(model.predict(X)) <= {"different", "same"}
    boolean = FramingCombiner().fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X)[:, 0], boolean.predict_proba(X)[:, 1], atol=1e-6)


def test_usable_inside_a_pipeline_and_cross_validation():
    X, y = calibrator_data()
    pipeline = make_pipeline(FunctionTransformer(), SameClaimCalibrator(C=2.0))
    pipeline.set_params(sameclaimcalibrator__decision="accuracy")
    pipeline.fit(X, y, sameclaimcalibrator__provenance={"data": "toy"})
    assert pipeline[-1].decision == "accuracy" and pipeline[-1].provenance_["data"] == "toy"
    assert pipeline.predict_proba(X).shape == (len(y), 2)
    assert cross_val_score(clone(pipeline), X, y, cv=3, scoring="roc_auc").mean() > 0.8
    Xc, yc = combiner_data()
    scores = cross_val_score(FramingCombiner(), Xc.to_numpy(), yc, cv=3, scoring="neg_log_loss")
    assert scores.shape == (3,) and np.all(scores < 0)


def test_combiner_reads_frames_mappings_and_arrays_alike():
    X, y = combiner_data()
    model = FramingCombiner().fit(X, y)
    frame = X.assign(framing_score=0.0)  # extra columns are ignored
    expected = model.predict_proba(X)
    np.testing.assert_array_equal(model.predict_proba(frame), expected)
    np.testing.assert_allclose(model.predict_proba(X.to_dict("records")), expected)
    np.testing.assert_allclose(model.predict_proba(X.to_numpy()), expected)
    assert model.probability(X.iloc[0].to_dict()) == pytest.approx(expected[0, 1], abs=1e-12)
    assert model.predict_proba(X.iloc[0].to_dict()).shape == (1, 2)
    two = FramingCombiner(components=("word_choice", "attribution")).fit(X, y)
    assert list(two.weights_) == ["word_choice", "attribution"]
    with pytest.raises(InvalidInputError, match="lacks the columns"):
        model.predict_proba(X[["word_choice"]])


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["predict_proba", "predict", "decision_function"])
def test_not_fitted(case, method):
    estimator, X, _ = case
    with pytest.raises(NotFittedError, match="not fitted"):
        getattr(estimator, method)(X)
    with pytest.raises(NotFittedError):
        estimator.save("never-written.json")


def test_not_fitted_for_sklearn_too():
    from sklearn.exceptions import NotFittedError as SklearnNotFitted
    from sklearn.utils.validation import check_is_fitted

    with pytest.raises(SklearnNotFitted):
        check_is_fitted(FramingCombiner())
    check_is_fitted(default_combiner())


@pytest.mark.parametrize("make, match", [
    (lambda: SameClaimCalibrator(C=-1.0), r"'C' parameter of SameClaimCalibrator.*range.*Got -1.0"),
    (lambda: SameClaimCalibrator(decision="recall"), r"(?=.*'accuracy')(?=.*'f1')'decision'.*Got 'recall'"),
    (lambda: SameClaimCalibrator(features="cosine"), r"'features'.*list.*tuple.*Got 'cosine'"),
    (lambda: SameClaimCalibrator(features=()), r"'features'.*non-empty subset"),
    (lambda: SameClaimCalibrator(features=("cosine", "cosine")), r"'features'.*without repeats"),
    (lambda: FramingCombiner(class_weight="equal"), r"'class_weight'.*'balanced'.*None.*Got 'equal'"),
    (lambda: FramingCombiner(components=("tone",)), r"'components'.*subset of .*'word_choice'.*Got \('tone',\)"),
    (lambda: FramingCombiner(C="big"), r"'C' parameter of FramingCombiner"),
])
def test_bad_parameters_name_the_parameter_the_allowed_values_and_what_came(make, match):
    estimator = make()  # stored as given; checked where the work starts
    X, y = calibrator_data() if isinstance(estimator, SameClaimCalibrator) else combiner_data()
    with pytest.raises(InvalidParameterError, match=match):
        estimator.fit(X, y)
    with pytest.raises(ValueError):  # InvalidParameterError is a ValueError too
        estimator.fit(X, y)


def test_bad_labels(case):
    estimator, X, y = case
    with pytest.raises(InvalidInputError, match="both labels"):
        estimator.fit(X, np.ones(len(y)))
    with pytest.raises(InvalidInputError, match="rows"):
        estimator.fit(X, y[:-1])
    with pytest.raises(InvalidInputError, match="continuous"):
        estimator.fit(X, np.linspace(0, 1, len(y)))


# --- persistence --------------------------------------------------------------------------------

def test_save_load_round_trip_gives_equal_probabilities(case, tmp_path):
    estimator, X, y = case
    estimator.fit(X, y, provenance={"data": "toy", "split": "all", "metrics": {"auc": 0.9}})
    path = estimator.save(tmp_path / "model.json")
    again = type(estimator).load(path)
    np.testing.assert_array_equal(again.predict_proba(X), estimator.predict_proba(X))
    np.testing.assert_array_equal(again.predict(X), estimator.predict(X))
    assert again.get_params() == estimator.get_params()
    assert again.provenance_ == estimator.provenance_
    document = json.loads(path.read_text())
    assert document["format"] == fitted.FORMAT and document["estimator"] == type(estimator).__name__
    assert document["provenance"]["metrics"] == {"auc": 0.9}
    assert {"python", "numpy", "scikit-learn"} <= set(document["provenance"]["versions"])


def test_the_shipped_files_are_written_by_the_helper(tmp_path):
    """Loading a shipped file and saving it again gives the same document: one format, one writer."""
    from importlib import resources

    from narrativediff.align.model import DEFAULT_CALIBRATION

    calibration = resources.files("narrativediff").joinpath(DEFAULT_CALIBRATION)
    for model, shipped in ((default_calibrator(), calibration), (default_combiner(), DEFAULT_WEIGHTS_PATH)):
        out = model.save(tmp_path / "again.json")
        assert json.loads(out.read_text()) == json.loads(shipped.read_text(encoding="utf-8"))
        assert json.loads(out.read_text()) == fitted.to_document(model)


def test_loading_a_missing_or_wrong_file(tmp_path):
    with pytest.raises(NotFittedError, match="no fitted SameClaimCalibrator"):
        SameClaimCalibrator.load(tmp_path / "absent.json")
    default_combiner().save(tmp_path / "combiner.json")
    with pytest.raises(InvalidInputError, match="holds a 'FramingCombiner'"):
        SameClaimCalibrator.load(tmp_path / "combiner.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        FramingCombiner.load(tmp_path / "broken.json")
    document = fitted.to_document(default_combiner())
    document["fitted"]["coef_"] = [1.0, 2.0]
    with pytest.raises(InvalidInputError, match="one weight per column"):
        fitted.from_document(FramingCombiner, document)
    del document["fitted"]["coef_"]
    with pytest.raises(InvalidInputError, match="coef_"):
        fitted.from_document(FramingCombiner, document)
    document = fitted.to_document(default_calibrator())
    document["params"]["decision"] = "recall"
    with pytest.raises(InvalidParameterError, match="decision"):
        fitted.from_document(SameClaimCalibrator, document)
