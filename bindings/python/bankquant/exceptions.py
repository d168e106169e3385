"""bankquant's exceptions and warnings.

Every error the library raises is a :class:`BankquantError`, and also the built-in exception
that fits, so ``except ValueError`` keeps working:

======================  =====================================  ==============================
class                   also a                                 raised when
======================  =====================================  ==============================
InvalidArgumentError    ValueError                             an argument breaks a rule
NotFittedError          ValueError, AttributeError             a model is used before fit
ModelFormatError        ValueError                             a model file is corrupted, of
                                                               another kind, or too new
ConvergenceError        RuntimeError                           no usable result exists
NumericalError          RuntimeError                           arithmetic failed
CancelledError          RuntimeError                           a progress callback stopped it
======================  =====================================  ==============================

A model that did not converge but has a usable result warns with :class:`ConvergenceWarning`;
one that is returned although it is not the model asked for, or does not describe the data (a
season dropped, count intervals piling at 0), warns with :class:`ModelWarning`.
"""
from __future__ import annotations

#: The error and warning classes; the package re-exports them (``bq.InvalidArgumentError``).
PUBLIC = [
    "BankquantError",
    "InvalidArgumentError",
    "NotFittedError",
    "ModelFormatError",
    "ConvergenceError",
    "NumericalError",
    "CancelledError",
    "ConvergenceWarning",
    "ModelWarning",
]

__all__ = [*PUBLIC]


class BankquantError(Exception):
    """Base class of every bankquant error.

    Examples
    --------
    >>> import bankquant as bq
    >>> try:
    ...     bq.stats.quantile([1.0, 2.0], 1.5)
    ... except bq.BankquantError as error:
    ...     print(type(error).__name__)
    InvalidArgumentError
    """


class InvalidArgumentError(BankquantError, ValueError):
    """An argument has the wrong shape, type, value or range; the message names it.

    Also a ``ValueError``, so ``except ValueError`` catches it.

    Examples
    --------
    >>> import bankquant as bq
    >>> try:
    ...     bq.set_num_threads("many")
    ... except ValueError as error:
    ...     print(error)
    argument 'n': expected an integer thread count, got 'many'
    """


class NotFittedError(BankquantError, ValueError, AttributeError):
    """The model must be fitted (or loaded) before this call.

    Also a ``ValueError`` and an ``AttributeError`` (scikit-learn's convention).

    Examples
    --------
    >>> import bankquant as bq
    >>> try:
    ...     bq.scorecard.Scorecard().points_table()
    ... except bq.NotFittedError as error:
    ...     print(type(error).__name__)
    NotFittedError
    """


class ModelFormatError(BankquantError, ValueError):
    """A model file is not valid JSON, not a bankquant model, another kind, or from a newer version.

    Examples
    --------
    >>> import bankquant as bq
    >>> try:
    ...     bq.io.loads_model("{not json")
    ... except bq.ModelFormatError:
    ...     print("refused")
    refused
    """


class ConvergenceError(BankquantError, RuntimeError):
    """An iterative method failed and left no usable result.

    A usable result that stopped short warns with :class:`ConvergenceWarning` instead. Also a
    ``RuntimeError``.

    Examples
    --------
    >>> import bankquant as bq
    >>> issubclass(bq.ConvergenceError, RuntimeError)
    True
    """


class NumericalError(BankquantError, RuntimeError):
    """A computation failed numerically (a singular matrix, an overflow).

    Also a ``RuntimeError``.

    Examples
    --------
    >>> import bankquant as bq
    >>> issubclass(bq.NumericalError, (bq.BankquantError, RuntimeError))
    True
    """


class CancelledError(BankquantError, RuntimeError):
    """Long work was stopped by its progress callback (the callback returned ``False``).

    Also a ``RuntimeError``.

    Examples
    --------
    >>> import bankquant as bq
    >>> try:
    ...     bq.random.standard_normal(1_000_000, seed=0, progress=lambda done, total, stage: False)
    ... except bq.CancelledError:
    ...     print("cancelled")
    cancelled
    """


class ConvergenceWarning(UserWarning):
    """An iterative method stopped before converging; the result is usable but check it.

    Examples
    --------
    >>> import warnings, bankquant as bq
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", bq.ConvergenceWarning)   # make them errors in a pipeline
    ...     issubclass(bq.ConvergenceWarning, UserWarning)
    True
    """


class ModelWarning(UserWarning):
    """A result is returned, but its model is a fallback or does not describe the data; the
    message says why and what to try.

    Examples
    --------
    >>> import bankquant as bq
    >>> issubclass(bq.ModelWarning, UserWarning)
    True
    """


def warn_if_not_converged(result, what: str, stacklevel: int = 3) -> None:
    """Warns with ConvergenceWarning when a result (or its ``status``, a bankquant Status) did not
    finish as asked but is usable; raises ConvergenceError when it is not usable.

    Accepts a C++ ``Status``, an object with a ``status`` attribute, or (older results) an
    object with ``converged`` and ``message``.
    """
    import warnings

    status = getattr(result, "status", result)
    if hasattr(status, "code") and hasattr(status, "usable"):
        if status.converged:
            return
        if not status.usable:
            raise ConvergenceError(f"{what}: {status.message}")
        warnings.warn(f"{what}: {status.message}", ConvergenceWarning, stacklevel=stacklevel)
        return
    if not getattr(result, "converged", True):
        message = getattr(result, "message", "") or "did not converge"
        warnings.warn(f"{what}: {message}", ConvergenceWarning, stacklevel=stacklevel)
