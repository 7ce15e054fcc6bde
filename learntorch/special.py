"""``learntorch.special`` (特殊函数), as ``torch.special``: the error function family, gamma functions,
logit / expit, Bessel I0 / I1, the normal CDF.  Most are re-exports of the functions in
``ops/elementwise.py`` under SciPy's names (``gammaln`` = ``lgamma``, ``psi`` = ``digamma``,
``expit`` = ``sigmoid``); ``xlog1py``, ``entr``, ``ndtr``, ``log_ndtr`` and ``i1`` live only here.
"""
from .ops.elementwise import (erf, erfc, erfinv, lgamma as gammaln, digamma, polygamma, logit, xlogy, sinc, i0,
                              round, sigmoid as expit)
from .ops.elementwise import (special_xlog1py as xlog1py, special_entr as entr, special_ndtr as ndtr,
                              special_log_ndtr as log_ndtr, special_i1 as i1)
from .ops.reduction import logsumexp

psi = digamma

__all__ = ["erf", "erfc", "erfinv", "gammaln", "digamma", "psi", "polygamma", "logit", "expit", "xlogy", "xlog1py",
           "entr", "ndtr", "log_ndtr", "i0", "i1", "sinc", "round", "logsumexp", "softmax", "log_softmax"]


def softmax(input, dim, *, dtype=None):
    """``special.softmax``: e^x / sum(e^x) along ``dim`` (``dim`` is required here)."""
    from .nn.functional import softmax as _softmax
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """``special.log_softmax``: x - logsumexp(x) along ``dim`` (``dim`` is required here)."""
    from .nn.functional import log_softmax as _log_softmax
    return _log_softmax(input, dim, dtype=dtype)
