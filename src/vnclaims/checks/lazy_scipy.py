"""``scipy.stats`` imported on first use instead of with Great Expectations.

GX imports ``from scipy import stats`` at module level in three places (the KL-divergence expectation and
two Kolmogorov-Smirnov metrics) and uses it only inside those expectations, which no suite of ours has;
the import pulls scipy.optimize, scipy.spatial and scipy.linalg: ~0.7 s of CPU on every run that
validates. :func:`defer_scipy_stats` puts a stand-in on the ``scipy`` package before GX is imported:
``from scipy import stats`` then binds the stand-in, and the first attribute read on it imports the real
``scipy.stats`` (which replaces the stand-in on the package) and answers from it. :func:`defer_altair` does
the same for ``altair`` (a stand-in in ``sys.modules``).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types


class _DeferredStats(types.ModuleType):
    """Stands for ``scipy.stats`` until an attribute of it is read."""

    def __getattr__(self, name: str):
        import scipy
        if vars(scipy).get("stats") is self:
            # off the package first: scipy's own modules import ``from scipy import stats`` while it loads
            vars(scipy).pop("stats", None)
        # importlib's module lock serialises two threads arriving here at once
        return getattr(importlib.import_module("scipy.stats"), name)


def defer_scipy_stats() -> None:
    """Install the stand-in unless ``scipy.stats`` is imported already (or scipy is missing)."""
    if "scipy.stats" in sys.modules:
        return
    try:
        import scipy
    except ImportError:
        return
    if "stats" not in vars(scipy):
        scipy.stats = _DeferredStats("scipy.stats", __doc__)


class _DeferredModule(types.ModuleType):
    """Stands for a whole top-level module in ``sys.modules`` until an attribute of it is read: the first
    read takes the stand-in out and answers from the real module, imported then."""

    def __getattr__(self, name: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def defer_altair() -> None:
    """The same for ``altair`` (~0.17 s of CPU): GX imports it at module level only in the KL-divergence
    expectation, which uses ``alt.Chart`` inside its renderers. The stand-in carries altair's spec, so
    ``importlib.util.find_spec("altair")`` still answers. Nothing when altair is imported already or missing."""
    if "altair" in sys.modules:
        return
    spec = importlib.util.find_spec("altair")
    if spec is None:
        return
    stand_in = _DeferredModule("altair", "altair, imported on first use (vnclaims.checks.lazy_scipy)")
    stand_in.__spec__ = spec
    sys.modules["altair"] = stand_in
