"""Progress bars for long calls: the ``progress=`` argument of bankquant functions.

``progress`` may be
  * ``None`` (default): a bar in Jupyter notebooks, none in scripts;
  * ``True`` / ``False``: always / never a bar;
  * a callable ``f(done, total, stage) -> bool | None``: called from the calling thread at most
    every 0.1 s and once at the end; returning ``False`` cancels the work (CancelledError).

A bar appears only once the work has run for half a second, so quick calls stay quiet.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, Optional, Union

ProgressArg = Union[None, bool, Callable[[int, int, str], Optional[bool]]]

_SHOW_AFTER_SECONDS = 0.5


def in_notebook() -> bool:
    """True inside a Jupyter kernel (not a plain IPython terminal or a script)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class _TqdmCallback:
    """Adapts bankquant's (done, total, stage) reports to a tqdm bar, created lazily."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._bar = None

    def __call__(self, done: int, total: int, stage: str) -> bool:
        if self._bar is None:
            if time.monotonic() - self._start < _SHOW_AFTER_SECONDS:
                return True
            self._bar = _make_bar(total or None, stage)
        self._bar.n = done
        self._bar.refresh()
        if total and done >= total:
            self._bar.close()
        return True


def _make_bar(total, stage):
    try:
        import ipywidgets  # noqa: F401  (tqdm's notebook bar needs it)
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(total=total, desc=stage, unit_scale=True, leave=False)


def resolve(progress: ProgressArg):
    """Turns the user's ``progress`` argument into a callable for the C++ side, or None."""
    if progress is None:
        progress = in_notebook()
    if progress is False:
        return None
    if progress is True:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            return None
        return _TqdmCallback()
    if callable(progress):
        return progress
    from .exceptions import InvalidArgumentError

    raise InvalidArgumentError(
        f"argument 'progress': expected None, True, False or a callable f(done, total, stage), got {progress!r}"
    )
