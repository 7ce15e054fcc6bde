"""Notebook widgets for learntorch: see what autograd and training do.

* ``GraphView``: the computation graph of a result, live while the forward pass runs,
  with a step control that replays backward one op at a time.
* ``TrainingMonitor`` (alias ``LossPlot``): live loss/accuracy curves from any loop.
* ``LearningRateExplorer``, ``BroadcastExplorer``, ``MnistViewer``: explorers for the chapters.
* ``check``: exercise feedback (pass/fail, a specific hint, more hints, the solution).

Every widget works without a front end too (scripts, nbval): it never raises for
lack of one, and its ``text/plain`` form is deterministic.  Built only from core
ipywidgets 8 and matplotlib (Agg); learntorch itself never imports this package.
"""
from .graph import GraphView
from .monitor import TrainingMonitor, LossPlot
from .explorers import LearningRateExplorer, BroadcastExplorer, MnistViewer
from .feedback import Exercise, Mistake, Feedback, check, same, same_function

__all__ = ["GraphView", "TrainingMonitor", "LossPlot", "LearningRateExplorer", "BroadcastExplorer",
           "MnistViewer", "Exercise", "Mistake", "Feedback", "check", "same", "same_function"]
