"""``learntorch.utils``: ``utils.data`` (datasets and the DataLoader), ``utils.checkpoint``."""
from . import data
from . import checkpoint

__all__ = ["data", "checkpoint"]
