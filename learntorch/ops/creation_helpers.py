"""Small constructors the engine needs (kept apart from ``_creation`` to avoid import cycles)."""
from .._tensor import Tensor


def ones_like_of(t):
    b = t._backend
    return Tensor._make(b.xp.ones(t.shape, dtype=b.dtypes[t.dtype], device=b.device), t.dtype, b)


def zeros_like_of(t):
    b = t._backend
    return Tensor._make(b.xp.zeros(t.shape, dtype=b.dtypes[t.dtype], device=b.device), t.dtype, b)


def scalar_like(value, dtype, like):
    """A 0-dim tensor holding a Python number, on ``like``'s device."""
    b = like._backend
    return Tensor._make(b.xp.asarray(value, dtype=b.dtypes[dtype], device=b.device), dtype, b)
