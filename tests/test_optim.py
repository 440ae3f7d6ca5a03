"""lessonlib.optim against closed forms (ridge) and a box-constrained least-squares solver."""

import numpy as np
import pytest
from scipy import optimize

from lessonlib import optim, priors


def _regression(seed, n=30, d=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) + rng.normal(size=n)


def test_adam_with_l2_reaches_ridge_and_adamw_does_not():
    X, y = _regression(21, n=30, d=2)

    def grad(w):
        return X.T @ (X @ w - y)

    ridge = priors.ridge_map(X, y, 1.0, 1 / 3.0)
    path = optim.adam(grad, [0.0, 0.0], lr=1e-3, n_steps=20_000, l2=3.0)
    assert path.shape == (20_001, 2)
    np.testing.assert_allclose(path[-1], ridge, atol=1e-5)
    box = optimize.lsq_linear(X, y, bounds=(-1 / 3, 1 / 3)).x
    aw = optim.adam(grad, [0.0, 0.0], lr=1e-3, n_steps=20_000, decoupled_decay=3.0)[-1]
    np.testing.assert_allclose(aw, box, atol=1e-3)


def test_adam_final_lr_decays_the_step_geometrically():
    # On a linear loss every Adam step has size ~ lr_t, so the path increments are the rates.
    path = optim.adam(
        lambda w: np.ones_like(w), [0.0], lr=0.1, n_steps=5, final_lr=0.001, eps=1e-12
    )
    np.testing.assert_allclose(-np.diff(path[:, 0]), np.geomspace(0.1, 0.001, 5), rtol=1e-9)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: optim.adam("f", [0.0], lr=1, n_steps=1), TypeError, "`grad` must be callable"),
        (lambda: optim.adam(lambda w: w, [0.0], lr=0, n_steps=1), ValueError, "`lr` must be"),
        (
            lambda: optim.adam(lambda w: w, [0.0], lr=1, n_steps=1, l2=-1),
            ValueError,
            "must be >= 0",
        ),
        (
            lambda: optim.adam(lambda w: w, [0.0], lr=1, n_steps=1, betas=0.9),
            TypeError,
            "`betas` must be a pair",
        ),
        (
            lambda: optim.adam(lambda w: w, [0.0], lr=1, n_steps=1, betas=(0.9, 1.0)),
            ValueError,
            "`betas` must lie in",
        ),
    ],
)
def test_adam_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
