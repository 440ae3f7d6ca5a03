"""Chapter 4 figures draw what they are given (lessonlib.plots.elbo)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import fill_by_label, fill_top, labels, line, normal_pdf, number_in, xy  # noqa: E402

from lessonlib import plots  # noqa: E402

Q_MEANS = np.linspace(-1.0, 2.0, 13)
Q_STDS = np.linspace(0.2, 1.6, 8)
#: A made-up ELBO surface in [-10, -2] that peaks at (0.5, 0.8).
SURFACE = -2.0 - 3.0 * (Q_MEANS[None] - 0.5) ** 2 - 4.0 * (Q_STDS[:, None] - 0.8) ** 2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _assert_levels_bracket(levels, values):
    """Filled-contour levels cover exactly the range of `values` (a nice-number margin only)."""
    lo, hi = np.min(values), np.max(values)
    assert levels[0] <= lo < levels[1] and levels[-2] < hi <= levels[-1], (levels, lo, hi)


def test_elbo_surface_contours_the_elbo_and_stars_the_posterior():
    # oracle: contour levels bracket the surface passed in; the star is the input
    ax = plots.plot_elbo_surface(Q_MEANS, Q_STDS, SURFACE, 0.5, 0.8)
    contours = ax.collections[0]
    _assert_levels_bracket(contours.levels, SURFACE)
    np.testing.assert_array_equal(xy(line(ax, "exact posterior")), [[0.5], [0.8]])
    (bar,) = [a for a in ax.figure.axes if a is not ax]
    assert bar.get_ylabel() == "ELBO"


def test_elbo_surface_gap_is_log_evidence_minus_elbo():
    # oracle: log10(log p(x) - ELBO) written out
    log_evidence = -1.5
    ax = plots.plot_elbo_surface(Q_MEANS, Q_STDS, SURFACE, 0.5, 0.8, log_evidence=log_evidence)
    gap = log_evidence - SURFACE  # in [0.5, ...]: positive everywhere
    _assert_levels_bracket(ax.collections[0].levels, np.log10(gap))
    (bar,) = [a for a in ax.figure.axes if a is not ax]
    assert "gap" in bar.get_ylabel()


def test_q_vs_posterior_draws_both_densities_and_the_gap():
    pm, ps, qm, qs = 1.0, 0.5, 1.4, 0.8
    log_evidence, elbo = -3.2, -3.9
    ax = plots.plot_q_vs_posterior(pm, ps, qm, qs, log_evidence=log_evidence, elbo=elbo)
    grid, post = xy(line(ax, r"exact posterior $p(\mu \mid x)$"))
    np.testing.assert_allclose(post, normal_pdf(grid, pm, ps), rtol=1e-10)
    assert grid[0] == pytest.approx(pm - 4.5 * ps) and grid[-1] == pytest.approx(pm + 4.5 * ps)
    qx, qy = fill_top(fill_by_label(ax, r"$q = N(1.40, 0.80^2)$"))
    np.testing.assert_allclose(qy, normal_pdf(qx, qm, qs), rtol=1e-10)
    texts = labels(ax)
    (le_text,) = [t for t in texts if t.startswith(r"$\log p(x)$")]
    (elbo_text,) = [t for t in texts if t.startswith("ELBO")]
    (gap_text,) = [t for t in texts if t.startswith("gap")]
    assert number_in(le_text) == log_evidence and number_in(elbo_text) == elbo
    assert number_in(gap_text) == pytest.approx(log_evidence - elbo)  # 0.700, never -0.700


def test_vi_vs_grid_draws_sigma_ellipses_of_q_and_posterior_contours():
    # oracle: the k-sigma ellipse has radius k sd (written out)
    w1, w2 = np.linspace(-2, 4, 41), np.linspace(-4, 2, 31)
    # A correlated posterior centred at (1.5, -1), off the centre of either grid axis.
    d1, d2 = w1[None] - 1.5, w2[:, None] + 1.0
    dens = np.exp(-0.5 * (d1**2 - 1.2 * d1 * d2 + d2**2) / 0.64)
    mean, std = [0.5, -0.3], [0.4, 0.9]
    ax = plots.plot_vi_vs_grid(w1, w2, dens, mean, std)
    for k in (1, 2):
        x, y = xy(line(ax, f"VI q, {k}-sigma"))
        radius = np.hypot((x - mean[0]) / std[0], (y - mean[1]) / std[1])
        np.testing.assert_allclose(radius, k, rtol=1e-10)  # the k-sigma ellipse: radius k sd
        assert (x.max() - x.min()) == pytest.approx(2 * k * std[0], rel=1e-3)
        assert (y.max() - y.min()) == pytest.approx(2 * k * std[1], rel=1e-3)
    np.testing.assert_array_equal(xy(line(ax, "VI mean")), [[mean[0]], [mean[1]]])
    # The innermost contour of the grid posterior surrounds its mode.
    levels = [np.vstack(segs) for segs in ax.collections[0].allsegs]
    innermost = [points for points in levels if points.size][-1]
    np.testing.assert_allclose(innermost.mean(axis=0), [1.5, -1.0], atol=0.15)


def test_iwae_bounds_draws_the_bounds_and_the_evidence():
    # oracle: the drawn bounds and evidence line are the inputs
    from _figures import hline_y

    ax = plots.plot_iwae_bounds([1, 10, 100], [-5.0, -4.6, -4.52], [0.02, 0.01, 0.005], -4.5)
    assert hline_y(ax, r"exact $\log p(x)$") == -4.5
    assert ax.get_xscale() == "log"


def test_iwae_bounds_rejects_bad_input():
    with pytest.raises(ValueError, match="`n_particles`"):
        plots.plot_iwae_bounds([1, 10], [-5.0], [0.1], -4.5)


def test_q_vs_posterior_fixed_ylim():
    ax = plots.plot_q_vs_posterior(0.0, 1.0, 0.5, 0.1, log_evidence=-3.0, elbo=-4.0, ylim=(0, 2))
    assert ax.get_ylim() == (0, 2)
