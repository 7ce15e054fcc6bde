"""``learntorch.linalg`` (线性代数), as ``torch.linalg``: re-exports of the matrix functions in
``ops/linalg.py`` under PyTorch's ``linalg`` names."""
from ._errors import CLASSES as _CLASSES
from .ops.linalg import linalg_cross as cross, linalg_det as det, linalg_inv as inv
from .ops.linalg import (  # noqa: E402  decompositions, solvers, norms (more math and linear algebra)
    multi_dot, linalg_matrix_power as matrix_power, linalg_slogdet as slogdet, linalg_solve as solve,
    linalg_cholesky as cholesky, linalg_qr as qr, linalg_eigh as eigh, linalg_eigvalsh as eigvalsh,
    linalg_svd as svd, linalg_svdvals as svdvals, linalg_pinv as pinv, linalg_lstsq as lstsq,
    linalg_matrix_rank as matrix_rank, linalg_norm as norm, linalg_vector_norm as vector_norm,
    linalg_matrix_norm as matrix_norm)
from .ops.linalg import linalg_matrix_exp as matrix_exp  # noqa: E402  matrix exponential

LinAlgError = _CLASSES["inv_singular"]   # torch.linalg.LinAlgError (a RuntimeError)

__all__ = ["cross", "det", "inv", "LinAlgError",
           "multi_dot", "matrix_power", "slogdet", "solve", "cholesky", "qr", "eigh", "eigvalsh", "svd", "svdvals",
           "pinv", "lstsq", "matrix_rank", "norm", "vector_norm", "matrix_norm", "matrix_exp"]
