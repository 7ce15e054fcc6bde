"""``learntorch.linalg`` (线性代数), as ``torch.linalg``: re-exports of the matrix functions in
``ops/linalg.py`` under PyTorch's ``linalg`` names."""
from ._errors import CLASSES as _CLASSES
from .ops.linalg import linalg_cross as cross, linalg_det as det, linalg_inv as inv

LinAlgError = _CLASSES["inv_singular"]   # torch.linalg.LinAlgError (a RuntimeError)

__all__ = ["cross", "det", "inv", "LinAlgError"]
