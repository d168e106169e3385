"""Credit scorecards: binning (binary and continuous targets) and bin editing, WoE/IV,
selection, logistic model, points, evaluation, monitoring over time, decision strategy, reject
inference, reason codes and counterfactuals, and deployment (JSON read by C++, SQL).

>>> import bankquant as bq
>>> df = bq.datasets.german_credit()
>>> y = (df.pop("creditability") == "bad").astype(int)
>>> card = bq.scorecard.Scorecard().fit(df, y)
>>> table = card.points_table()
"""
from ._binning import Binner, binning_table
from ._logistic import LogisticRegression
from ._metrics import auc, gains_table, gini, hosmer_lemeshow, ks, ks_curve, roc_curve
from ._monitoring import MonitoringReport, csi, monitor, psi, stability_report, stability_table
from ._plots import plot_binning, plot_ks, plot_monitoring, plot_roc, plot_score_distribution
from ._reject import AugmentedSample, reject_inference
from ._scorecard import Scorecard
from ._selection import screen, stepwise, variance_inflation
from ._strategy import MasterScale, cutoff_analysis, decision_bands, financial_ratios
from ._table import LeakWarning

__all__ = [
    "Binner", "binning_table", "LogisticRegression", "Scorecard", "LeakWarning",
    "auc", "gini", "ks", "roc_curve", "ks_curve", "gains_table", "hosmer_lemeshow",
    "psi", "csi", "stability_table", "stability_report", "monitor", "MonitoringReport",
    "screen", "stepwise", "variance_inflation",
    "cutoff_analysis", "decision_bands", "MasterScale", "financial_ratios",
    "reject_inference", "AugmentedSample",
    "plot_binning", "plot_roc", "plot_ks", "plot_score_distribution", "plot_monitoring",
]
