"""The warning and error classes lessonlib raises besides ValueError and TypeError."""

from __future__ import annotations

__all__ = ["ConvergenceWarning", "CollapseError"]


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at ``max_iter`` before its ``tol`` test was met.

    The fit is still returned, with ``converged=False``; raise ``max_iter`` or
    ``tol``, or start elsewhere. With ``tol=0`` a fit runs exactly ``max_iter``
    iterations by request and never warns.
    """


class CollapseError(ValueError):
    """A mixture component collapsed, so the maximum-likelihood estimate does not exist.

    Raised by EM when a component's variance falls below ``1e-12`` times the data's
    variance (the likelihood grows without bound along that path; a variance prior,
    MAP-EM, prevents it) or when a component loses all its points.
    """


def warn_not_converged(func_name: str, n_iter: int, remedy: str) -> None:
    """Issue the one :class:`ConvergenceWarning` message of the library."""
    import warnings

    warnings.warn(
        f"{func_name} did not converge in {n_iter} iterations (converged=False); {remedy}",
        ConvergenceWarning,
        stacklevel=3,
    )
