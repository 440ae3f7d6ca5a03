import numpy as np
import pytest
from scipy import stats

from lessonlib import datasets


def test_linear_regression_noise_and_line():
    x, y = datasets.make_linear_regression(20_000, 2.0, -1.0, 0.5, np.random.default_rng(3))
    slope, intercept, *_ = stats.linregress(x, y)
    assert slope == pytest.approx(2.0, abs=0.03) and intercept == pytest.approx(-1.0, abs=0.02)
    assert np.std(y - (intercept + slope * x)) == pytest.approx(0.5, rel=0.02)


def test_gaussian_classes_shapes_and_means():
    X, y = datasets.make_gaussian_classes(
        5000, [[0.0, 1.0], [3.0, -1.0]], 0.2, np.random.default_rng(4)
    )
    assert X.shape == (10_000, 2) and set(y) == {0, 1}
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [3.0, -1.0], atol=0.02)


def test_same_seed_same_data():
    a = datasets.make_linear_regression(5, 1.0, 0.0, 1.0, np.random.default_rng(9))
    b = datasets.make_linear_regression(5, 1.0, 0.0, 1.0, np.random.default_rng(9))
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda r: datasets.make_linear_regression(0, 1, 0, 1, r), ValueError, "`n_samples`"),
        (
            lambda r: datasets.make_linear_regression(5, 1, 0, -1, r),
            ValueError,
            "`noise_std` must be > 0",
        ),
        (
            lambda r: datasets.make_linear_regression(5, 1, 0, 1, 42),
            TypeError,
            "`rng` must be a numpy Generator",
        ),
        (
            lambda r: datasets.make_gaussian_classes(5, [0, 1], 1, r),
            ValueError,
            "`centers` must be 2-D",
        ),
        (
            lambda r: datasets.make_gaussian_classes(5, [[0.0]], 0, r),
            ValueError,
            "`std` must be > 0",
        ),
        (
            lambda r: datasets.make_gaussian_classes(2.5, [[0.0]], 1, r),
            ValueError,
            "`n_per_class` must be a whole number",
        ),
    ],
)
def test_datasets_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call(np.random.default_rng(0))
