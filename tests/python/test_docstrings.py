"""Every example in the Python docstrings runs and prints what it shows."""
import doctest

import pytest

import bankquant as bq
from bankquant import _config, datasets, graph, io, random, risk, scorecard, stats
from bankquant.scorecard import _binning, _logistic, _metrics, _monitoring, _scorecard
from bankquant.graph import _dense, _entities, _graph, _synthetic
from bankquant.risk import _attribution, _backtest, _book_stress, _frtb, _multiday, _pricing, _stress, _var, _volatility

MODULES = [bq, _config, datasets, io, random, stats, scorecard, _binning, _logistic, _metrics, _monitoring,
           _scorecard, risk, _backtest, _var, _volatility, _pricing, _stress, _multiday, _book_stress, graph,
           _graph, _entities, _synthetic, _dense]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module, restore_threads):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
