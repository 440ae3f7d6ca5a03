"""Every public function against hostile arguments, one argument at a time.

VALID holds one good call per public function. Each argument in turn -- every
parameter of the signature, keyword-only ones and ones left at their default
included -- is replaced by every value in HOSTILE, by the degenerate variants of
its valid value (constant data, duplicated points, a pair where a 3-tuple is
expected and vice versa, a scalar where a pair is expected, a callback returning
NaN or inf) and, for arrays, by hypothesis-generated arrays with NaN/inf entries.
The call must either raise ValueError/TypeError whose message names the argument
exactly, in backticks (`name`, or `name[...]` for one entry of it), or succeed
with an answer free of NaN and inf -- without any warning. An infinite answer is
accepted only where the mathematics gives inf (INF_IS_CORRECT says where and why).
Any other exception (IndexError, ZeroDivisionError, LinAlgError, ...) is a
failure: the learner would see a deep traceback instead of a message.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import warnings
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lessonlib import (  # noqa: E402
    ConvergenceWarning,
    datasets,
    elbo,
    em,
    kl,
    mixtures,
    mle,
    optim,
    plots,
    priors,
)


def rng():
    return np.random.default_rng(0)


X2 = np.array([[1.0, 0.2], [0.3, 1.0], [1.1, -0.4], [-0.5, 0.7], [0.2, 0.1], [-1.0, -0.3]])
Y2 = np.array([1.0, 0.5, 1.3, -0.4, 0.1, -1.2])
XMIX = np.array([-2.1, -1.9, -2.0, -1.7, 1.9, 2.0, 2.2, 2.4])
PPCA_X = np.random.default_rng(1).normal(size=(30, 3)) * [2.0, 1.0, 0.3]


def _lj(z):
    return -0.5 * np.sum(z**2, axis=1)


def _glj(z):
    return -z


#: name -> (function, valid keyword arguments). Cosmetic arguments (titles, labels) are left out.
VALID = {
    "mle.bernoulli_mle": (mle.bernoulli_mle, dict(flips=[1, 0, 1])),
    "mle.bernoulli_log_likelihood": (
        mle.bernoulli_log_likelihood,
        dict(theta=0.3, heads=2, tails=1),
    ),
    "mle.sample_bernoulli_mles": (
        mle.sample_bernoulli_mles,
        dict(theta=0.3, n_flips=5, n_repeats=10, rng=rng()),
    ),
    "mle.bernoulli_fisher_information": (mle.bernoulli_fisher_information, dict(theta=0.3)),
    "mle.bernoulli_standard_error": (mle.bernoulli_standard_error, dict(heads=3, tails=2)),
    "mle.bernoulli_wald_interval": (
        mle.bernoulli_wald_interval,
        dict(heads=3, tails=2, level=0.9),
    ),
    "mle.gaussian_mle": (mle.gaussian_mle, dict(x=[1.0, 2.0, 4.0])),
    "mle.gaussian_nll": (mle.gaussian_nll, dict(y=[1.0, 2.0], y_pred=[1.5, 2.5], noise_var=1.0)),
    "mle.softmax": (mle.softmax, dict(logits=[1.0, 2.0, 0.5])),
    "mle.cross_entropy": (mle.cross_entropy, dict(labels=[0, 1], probs=[[0.7, 0.3], [0.2, 0.8]])),
    "mle.fit_logistic_regression": (
        mle.fit_logistic_regression,
        dict(X=[[0.0], [1.0], [2.0], [3.0], [1.5], [0.5]], y=[0, 0, 1, 1, 0, 1]),
    ),
    "priors.beta_binomial_map": (priors.beta_binomial_map, dict(heads=3, tails=1, a=2, b=2)),
    "priors.beta_binomial_mean": (priors.beta_binomial_mean, dict(heads=3, tails=1, a=2, b=2)),
    "priors.beta_binomial_predictive": (
        priors.beta_binomial_predictive,
        dict(heads=3, tails=1, a=2, b=2),
    ),
    "priors.beta_credible_interval": (
        priors.beta_credible_interval,
        dict(heads=3, tails=1, a=2, b=2, level=0.9),
    ),
    "priors.soft_threshold": (priors.soft_threshold, dict(z=[1.0, -0.2], lam=0.5)),
    "priors.ridge_log_evidence": (
        priors.ridge_log_evidence,
        dict(X=X2, y=Y2, noise_var=1.0, prior_var=1.0),
    ),
    "priors.ridge_cv_error": (
        priors.ridge_cv_error,
        dict(X=X2, y=Y2, lams=[0.1, 1.0], n_folds=3),
    ),
    "priors.discrete_posterior": (
        priors.discrete_posterior,
        dict(thetas=[0.5, 0.8], prior=[0.7, 0.3], heads=4, tails=1),
    ),
    "priors.ridge_map": (priors.ridge_map, dict(X=X2, y=Y2, noise_var=1.0, prior_var=1.0)),
    "priors.lasso_map": (priors.lasso_map, dict(X=X2, y=Y2, noise_var=1.0, laplace_scale=1.0)),
    "priors.dirichlet_smoothing": (priors.dirichlet_smoothing, dict(counts=[3, 0, 1], alpha=1.0)),
    "priors.char_bigram_counts": (priors.char_bigram_counts, dict(text="abba", alphabet="ab")),
    "priors.bigram_perplexity": (
        priors.bigram_perplexity,
        dict(probs=[[0.5, 0.5], [0.5, 0.5]], text="abba", alphabet="ab"),
    ),
    "optim.adam": (
        optim.adam,
        dict(grad=lambda w: 2 * (w - 1.0), w0=[0.0], lr=0.1, n_steps=5, l2=0.1),
    ),
    "em.gmm_loglik": (
        em.gmm_loglik,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0]),
    ),
    "em.e_step": (
        em.e_step,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0]),
    ),
    "em.m_step": (
        em.m_step,
        dict(x=XMIX, resp=np.repeat([[0.9, 0.1], [0.1, 0.9]], 4, axis=0)),
    ),
    "em.fit_gmm_1d": (
        em.fit_gmm_1d,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[1.0, 1.0], max_iter=5, tol=0),
    ),
    "em.fit_gmm_restarts": (
        em.fit_gmm_restarts,
        dict(x=XMIX, n_components=2, n_restarts=2, rng=rng(), tol=0),
    ),
    "em.make_mra_data": (
        em.make_mra_data,
        dict(template=[0.0, 1.0, 0.5, 0.0], n_copies=5, noise_std=0.3, rng=rng()),
    ),
    "em.fit_mra": (
        em.fit_mra,
        dict(
            observations=np.eye(4)[[0, 1, 2, 3, 1]],
            noise_std=0.5,
            init=[1.0, 0.0, 0.0, 0.0],
            tol=0,
        ),
    ),
    "em.gmm_lower_bound": (
        em.gmm_lower_bound,
        dict(
            x=XMIX,
            resp=np.repeat([[0.9, 0.1], [0.1, 0.9]], 4, axis=0),
            weights=[0.5, 0.5],
            means=[-2.0, 2.0],
            stds=[1.0, 1.0],
        ),
    ),
    "em.gmm_bic": (
        em.gmm_bic,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0]),
    ),
    "em.em_half_steps": (
        em.em_half_steps,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[1.0, 1.0], n_steps=2),
    ),
    "em.fit_kmeans_1d": (em.fit_kmeans_1d, dict(x=XMIX, centers=[-1.0, 1.0], max_iter=10)),
    "em.fit_bivariate_missing": (
        em.fit_bivariate_missing,
        dict(
            x=[0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            y=[0.3, 0.8, 2.5, 2.9, 0.0, 0.0],
            observed=np.array([True, True, True, True, False, False]),
            max_iter=20,
            tol=0,
        ),
    ),
    "elbo.normal_mean_posterior": (
        elbo.normal_mean_posterior,
        dict(x=[1.0, 2.0], noise_std=1.0, prior_mean=0.0, prior_std=1.0),
    ),
    "elbo.normal_mean_log_evidence": (
        elbo.normal_mean_log_evidence,
        dict(x=[1.0, 2.0], noise_std=1.0, prior_mean=0.0, prior_std=1.0),
    ),
    "elbo.normal_mean_elbo": (
        elbo.normal_mean_elbo,
        dict(x=[1.0, 2.0], q_mean=0.5, q_std=0.5, noise_std=1.0, prior_mean=0.0, prior_std=1.0),
    ),
    "elbo.mc_elbo": (
        elbo.mc_elbo,
        dict(log_joint=_lj, q_mean=[0.0], q_std=[1.0], n_samples=10, rng=rng()),
    ),
    "elbo.reparam_gradients": (
        elbo.reparam_gradients,
        dict(grad_log_joint=_glj, q_mean=[0.0], q_std=[1.0], n_samples=10, rng=rng()),
    ),
    "elbo.score_gradients": (
        elbo.score_gradients,
        dict(log_joint=_lj, q_mean=[0.0], q_std=[1.0], n_samples=10, rng=rng()),
    ),
    "elbo.fit_gaussian_vi": (
        elbo.fit_gaussian_vi,
        dict(log_joint=_lj, grad_log_joint=_glj, init_mean=[0.5], rng=rng(), n_steps=20),
    ),
    "elbo.ppca_mle": (elbo.ppca_mle, dict(X=PPCA_X, latent_dim=1)),
    "elbo.ppca_loglik": (
        elbo.ppca_loglik,
        dict(X=PPCA_X, W=[[1.0], [0.0], [0.0]], mean=[0.0, 0.0, 0.0], noise_var=1.0),
    ),
    "elbo.linear_vae_elbo": (
        elbo.linear_vae_elbo,
        dict(
            X=PPCA_X,
            W=[[1.0], [0.0], [0.0]],
            V=[[0.5, 0.0, 0.0]],
            noise_var=1.0,
            enc_std=[0.5],
            mean=[0.0, 0.0, 0.0],
        ),
    ),
    "elbo.fit_linear_vae": (
        elbo.fit_linear_vae,
        dict(X=PPCA_X, latent_dim=1, rng=rng(), n_steps=20),
    ),
    "elbo.score_gradients_baseline": (
        elbo.score_gradients_baseline,
        dict(log_joint=_lj, q_mean=[0.0], q_std=[1.0], n_samples=10, rng=rng()),
    ),
    "elbo.iwae_bound": (
        elbo.iwae_bound,
        dict(log_joint=_lj, q_mean=[0.0], q_std=[1.0], n_particles=3, n_repeats=4, rng=rng()),
    ),
    "elbo.normal_gamma_log_evidence": (
        elbo.normal_gamma_log_evidence,
        dict(x=[0.3, 1.1], prior_mean=0.0, prior_kappa=1.0, prior_shape=2.0, prior_rate=2.0),
    ),
    "elbo.normal_gamma_elbo": (
        elbo.normal_gamma_elbo,
        dict(
            x=[0.3, 1.1],
            q_mean=0.5,
            q_std=0.5,
            q_shape=3.0,
            q_rate=2.0,
            prior_mean=0.0,
            prior_kappa=1.0,
            prior_shape=2.0,
            prior_rate=2.0,
        ),
    ),
    "elbo.fit_cavi_normal_gamma": (
        elbo.fit_cavi_normal_gamma,
        dict(x=[0.3, 1.1], prior_mean=0.0, prior_kappa=1.0, prior_shape=2.0, prior_rate=2.0),
    ),
    "kl.kl_normal": (kl.kl_normal, dict(p_mean=0.0, p_std=1.0, q_mean=1.0, q_std=2.0)),
    "kl.kl_mvn": (
        kl.kl_mvn,
        dict(p_mean=[0.0, 0.0], p_cov=np.eye(2), q_mean=[1.0, 0.0], q_cov=2 * np.eye(2)),
    ),
    "kl.kl_on_grid": (kl.kl_on_grid, dict(p_density=[0.5, 0.5], q_density=[0.25, 0.75], dx=1.0)),
    "mixtures.mixture_logpdf": (
        mixtures.mixture_logpdf,
        dict(x=[0.0, 1.0], weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[1.0, 1.0]),
    ),
    "kl.fit_normal_to_mixture": (
        kl.fit_normal_to_mixture,
        dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0], direction="reverse"),
    ),
    "kl.kl_mixture_normal": (
        kl.kl_mixture_normal,
        dict(
            weights=[0.5, 0.5],
            means=[-2.0, 2.0],
            stds=[1.0, 1.0],
            q_mean=0.0,
            q_std=1.0,
            direction="forward",
        ),
    ),
    "kl.reverse_kl_optima": (
        kl.reverse_kl_optima,
        dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0]),
    ),
    "kl.renyi_mixture_normal": (
        kl.renyi_mixture_normal,
        dict(
            weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0], q_mean=0.0, q_std=1.0, alpha=0.5
        ),
    ),
    "kl.fit_alpha_divergence": (
        kl.fit_alpha_divergence,
        dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0], alpha=0.5),
    ),
    "kl.fit_mean_field_gaussian": (
        kl.fit_mean_field_gaussian,
        dict(mean=[0.0, 0.0], cov=[[1.0, 0.5], [0.5, 1.0]], direction="reverse"),
    ),
    "datasets.make_linear_regression": (
        datasets.make_linear_regression,
        dict(n_samples=5, slope=1.0, intercept=0.0, noise_std=0.1, rng=rng()),
    ),
    "datasets.make_gaussian_classes": (
        datasets.make_gaussian_classes,
        dict(n_per_class=3, centers=[[0.0, 0.0], [2.0, 2.0]], std=0.5, rng=rng()),
    ),
    "plots.plot_bernoulli_likelihood": (plots.plot_bernoulli_likelihood, dict(heads=3, tails=2)),
    "plots.plot_variance_bias": (
        plots.plot_variance_bias,
        dict(n_samples=[2, 5], mean_mle=[0.5, 0.8], mean_unbiased=[1.0, 1.0], true_variance=1.0),
    ),
    "plots.plot_loss_argmin": (
        plots.plot_loss_argmin,
        dict(slopes=[0.0, 1.0, 2.0], mse=[1.0, 0.0, 1.0], nll=[2.0, 1.0, 2.0]),
    ),
    "plots.plot_probability_curves": (
        plots.plot_probability_curves,
        dict(x=[0.0, 1.0], labels=[0, 1], grid=[0.0, 1.0], curves={"a": [0.2, 0.8]}),
    ),
    "plots.plot_sampling_distribution": (
        plots.plot_sampling_distribution,
        dict(estimates=[0.3, 0.4], theta=0.4, n_flips=10),
    ),
    "plots.plot_beta_posterior": (plots.plot_beta_posterior, dict(heads=3, tails=0, a=2, b=2)),
    "plots.plot_coefficient_paths": (
        plots.plot_coefficient_paths,
        dict(strengths=[0.1, 1.0], coefs=[[1.0, 2.0], [0.5, 1.0]]),
    ),
    "plots.plot_estimates_vs_n": (
        plots.plot_estimates_vs_n,
        dict(n_values=[1, 10], estimates={"MLE": [1.0, 0.7]}, truth=0.7),
    ),
    "plots.plot_curve_fits": (
        plots.plot_curve_fits,
        dict(x=[0.0, 1.0], y=[0.0, 1.0], grid=[0.0, 1.0], fits={"line": [0.0, 1.0]}),
    ),
    "plots.plot_shrinkage_rules": (plots.plot_shrinkage_rules, dict(lam=1.0, z_max=3.0)),
    "plots.plot_penalty_geometry": (
        plots.plot_penalty_geometry,
        dict(w_ls=[2.0, 0.8], hessian=[[1.0, 0.3], [0.3, 0.6]], radius=1.0),
    ),
    "plots.plot_lambda_curve": (
        plots.plot_lambda_curve,
        dict(lams=[0.1, 1.0, 10.0], values=[3.0, 1.0, 2.0], best="min"),
    ),
    "plots.plot_gmm_state": (
        plots.plot_gmm_state,
        dict(x=XMIX, weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.3, 0.3]),
    ),
    "plots.plot_loglik_history": (plots.plot_loglik_history, dict(histories={"a": [-3.0, -2.0]})),
    "plots.plot_template_recovery": (
        plots.plot_template_recovery,
        dict(truth=[0.0, 1.0], estimate=[0.1, 0.9], example=[0.3, 1.2]),
    ),
    "plots.plot_em_bound": (
        plots.plot_em_bound,
        dict(
            grid=[-1.0, 0.0, 1.0], loglik=[-2.0, -1.0, -2.0], bound=[-3.0, -1.0, -1.5], current=0.0
        ),
    ),
    "plots.plot_shift_posteriors": (
        plots.plot_shift_posteriors,
        dict(posterior=[[0.2, 0.8], [0.6, 0.4]], true_shifts=[1, 0], n_show=2),
    ),
    "plots.plot_elbo_surface": (
        plots.plot_elbo_surface,
        dict(
            q_means=[0.0, 1.0],
            q_stds=[0.5, 1.0],
            elbo=[[0.0, 1.0], [1.0, 2.0]],
            post_mean=0.5,
            post_std=0.7,
        ),
    ),
    "plots.plot_q_vs_posterior": (
        plots.plot_q_vs_posterior,
        dict(post_mean=0.0, post_std=1.0, q_mean=0.5, q_std=0.5, log_evidence=-2.0, elbo=-2.5),
    ),
    "plots.plot_vi_vs_grid": (
        plots.plot_vi_vs_grid,
        dict(
            w1=[0.0, 1.0],
            w2=[0.0, 1.0],
            posterior=[[0.1, 0.2], [0.3, 0.4]],
            q_mean=[0.5, 0.5],
            q_std=[0.2, 0.2],
        ),
    ),
    "plots.plot_kl_fits": (
        plots.plot_kl_fits,
        dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0], fits={"q": (0.0, 2.0)}),
    ),
    "plots.plot_kl_landscape": (
        plots.plot_kl_landscape,
        dict(q_means=[0.0, 1.0, 2.0], curves={"r": [1.0, 0.5, 1.0]}),
    ),
    "plots.plot_reverse_kl_surface": (
        plots.plot_reverse_kl_surface,
        dict(
            q_means=[0.0, 1.0, 2.0],
            q_stds=[0.5, 1.0],
            values=[[1.0, 0.5, 1.0], [2.0, 1.0, 2.0]],
            optima=[(1.0, 0.5)],
        ),
    ),
    "plots.plot_iwae_bounds": (
        plots.plot_iwae_bounds,
        dict(n_particles=[1, 10], bounds=[-5.0, -4.6], std_errors=[0.1, 0.05], log_evidence=-4.5),
    ),
    "plots.plot_mean_field_ellipses": (
        plots.plot_mean_field_ellipses,
        dict(mean=[0.0, 0.0], cov=[[1.0, 0.5], [0.5, 1.0]], fits={"r": [0.8, 0.8]}),
    ),
}

#: Values no argument should turn into a NaN, a hang or a deep traceback.
HOSTILE = [
    None,
    "abc",
    b"bytes",
    True,
    float("nan"),
    float("inf"),
    -float("inf"),
    -1,
    0,
    -1e-300,
    1e308,
    2.5,
    [],
    [float("nan")],
    [[1.0, 2.0], [3.0]],
    {"a": 1},
    {1, 2},
    np.array([1.0, np.inf]),
    np.zeros((2, 2, 2)),
    object(),
]

_ACCEPTED = (ValueError, TypeError)

#: (function, argument) -> why an infinite answer is the right one there. Everywhere
#: else an inf in the answer counts like a NaN: a failure.
INF_IS_CORRECT = {
    ("kl.kl_on_grid", "q_density"): "KL(p || q) = inf where q = 0 and p > 0 (disjoint supports)",
    ("kl.kl_on_grid", "p_density"): "KL(p || q) = inf where p > 0 and q = 0 (disjoint supports)",
    ("priors.bigram_perplexity", "probs"): "an event of probability 0 makes the perplexity inf",
    ("priors.bigram_perplexity", "text"): "an unseen bigram (probability 0) makes it inf",
    ("mle.bernoulli_log_likelihood", "theta"): "log 0 = -inf: theta = 0 or 1 against a flip "
    "of the other side has likelihood 0",
}


def _has_nonfinite(value, depth=0) -> bool:
    if depth > 3:
        return False
    if isinstance(value, (float, np.floating)):
        return not bool(np.isfinite(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return not bool(np.isfinite(value).all())
    if isinstance(value, (tuple, list)):
        return any(_has_nonfinite(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value):
        return any(
            _has_nonfinite(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        )
    return False


def _has_nan(value, depth=0) -> bool:
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return bool(np.isnan(value).any())
    if isinstance(value, (tuple, list)) and depth < 3:
        return any(_has_nan(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value) and depth < 3:
        return any(_has_nan(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    return False


def _names_argument(message: str, param: str) -> bool:
    """The message names `param` exactly, in backticks, or one entry of it (`param[...]`)."""
    return re.search(rf"`{re.escape(param)}(\[[^`]*\])?`", message) is not None


def _call_with(name, param, bad):
    func, kwargs = VALID[name]
    kwargs = dict(kwargs)
    if "rng" in kwargs and param != "rng":
        kwargs["rng"] = rng()
    kwargs[param] = bad
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            # Running out of iterations is the library's documented outcome (a warning and
            # converged=False); the answer is still checked below.
            warnings.simplefilter("ignore", ConvergenceWarning)
            out = func(**kwargs)
    except _ACCEPTED as exc:
        message = str(exc)
        assert _names_argument(message, param), (
            f"{name}({param}={bad!r}) raised {type(exc).__name__} without naming `{param}`: "
            f"{message}"
        )
        return "rejected"
    except Exception as exc:  # noqa: BLE001 - the point is to catch every other kind
        pytest.fail(f"{name}({param}={bad!r}) raised {type(exc).__name__}: {exc}")
    finally:
        plt.close("all")
    if (name, param) in INF_IS_CORRECT:
        assert not _has_nan(out), f"{name}({param}={bad!r}) returned NaN"
    else:
        assert not _has_nonfinite(out), f"{name}({param}={bad!r}) returned NaN or inf"
    return "accepted"


def _parameters(func) -> list[str]:
    """Every named parameter of `func`, keyword-only ones and defaulted ones included."""
    kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in inspect.signature(func).parameters.values() if p.kind not in kinds]


def _callback_returning(func, fill):
    """A callback with the shape of `func`'s answers whose every entry is `fill`."""

    def callback(*args):
        return np.full(np.shape(func(*args)), fill)

    return callback


def degenerate(value) -> list:
    """Well-typed but degenerate variants of a valid argument value."""
    out = []
    if callable(value):
        return [_callback_returning(value, np.nan), _callback_returning(value, np.inf)]
    if isinstance(value, Mapping):
        for key, entry in value.items():
            out += [{key: v} for v in degenerate(entry)]
        return out
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return [[v] for v in degenerate(value[0])]
    if isinstance(value, (list, tuple, np.ndarray)) and not isinstance(value, (str, bytes)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf" or arr.size == 0:
            return out
        arr = arr.astype(float)
        if arr.size > 1:
            out.append(np.full_like(arr, arr.flat[0]))  # constant data
            out.append(np.concatenate([arr, arr]))  # every point duplicated
        if arr.ndim == 1 and arr.size == 2:
            out += [(*arr.tolist(), arr[-1]), float(arr[0])]  # a 3-tuple, a scalar for a pair
        if arr.ndim == 1 and arr.size == 3:
            out.append(tuple(arr[:2].tolist()))  # a pair for a 3-tuple
    return out


CASES = [(name, param) for name, (func, _) in VALID.items() for param in _parameters(func)]


def test_valid_calls_work():
    for name, (func, kwargs) in VALID.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = func(**kwargs)
        assert not _has_nonfinite(out), name
        plt.close("all")


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}:{p}" for n, p in CASES])
def test_hostile_values_are_rejected_or_handled(name, param):
    outcomes = [_call_with(name, param, bad) for bad in HOSTILE]
    assert "rejected" in outcomes, f"{name}: no hostile value of `{param}` was rejected"


DEGENERATE_CASES = [
    (name, param, i)
    for name, (_, kwargs) in VALID.items()
    for param, value in kwargs.items()
    for i in range(len(degenerate(value)))
]


@pytest.mark.parametrize(
    ("name", "param", "i"),
    DEGENERATE_CASES,
    ids=[f"{n}:{p}:{i}" for n, p, i in DEGENERATE_CASES],
)
def test_degenerate_values_are_rejected_or_handled(name, param, i):
    """Constant data, duplicates, a pair for a 3-tuple (and back), a scalar for a pair,
    a callback returning NaN or inf: a clear error naming the argument, or a finite answer."""
    _call_with(name, param, degenerate(VALID[name][1][param])[i])


def test_the_fuzz_reaches_keyword_only_and_defaulted_arguments():
    fuzzed = {(n, p) for n, p in CASES}
    assert ("plots.plot_q_vs_posterior", "xlim") in fuzzed
    assert ("plots.plot_gmm_state", "ax") in fuzzed
    assert ("em.fit_gmm_1d", "max_iter") in fuzzed
    assert len(CASES) > sum(len(kwargs) for _, kwargs in VALID.values())


def test_the_fuzz_requires_the_exact_name_in_backticks():
    assert _names_argument("`q_std` must be > 0; got 0.", "q_std")
    assert _names_argument("`fits['q']` must be a pair; got 1.", "fits")
    assert not _names_argument("`q_mean` must be finite; got inf.", "q")
    assert not _names_argument("q_std must be > 0", "q_std")
    assert _has_nonfinite((1.0, np.array([np.inf])))
    assert len(degenerate([1.0, 2.0])) == 4 and len(degenerate((0.0, 1.0, 2.0))) == 3


ARRAY_PARAMS = [
    (name, param)
    for name, (_, kwargs) in VALID.items()
    for param, value in kwargs.items()
    if isinstance(value, (list, np.ndarray)) and np.asarray(value).dtype.kind in "iuf"
]


@pytest.mark.parametrize(("name", "param"), ARRAY_PARAMS, ids=[f"{n}:{p}" for n, p in ARRAY_PARAMS])
@given(data=st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_non_finite_entries_are_rejected(name, param, data):
    """Poison one entry of an array argument with NaN or +-inf: the call must say which argument."""
    good = np.array(VALID[name][1][param], dtype=float)
    index = tuple(data.draw(st.integers(0, n - 1)) for n in good.shape)
    poisoned = good.copy()
    poisoned[index] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    assert _call_with(name, param, poisoned) == "rejected"


def hostile_count() -> int:
    """Number of (function, argument, hostile value) combinations tried by this module."""
    return len(CASES) * len(HOSTILE) + len(DEGENERATE_CASES) + 15 * len(ARRAY_PARAMS)
