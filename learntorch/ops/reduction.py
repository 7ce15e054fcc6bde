"""Reductions (归约): sum, mean, ... over all elements or along ``dim``.

Backward of a reduction spreads the gradient back over the reduced
dimensions: for ``sum`` every input element gets the output's gradient.
"""
from .. import _dtype, _errors
from ..autograd.function import Op

__all__ = ["sum", "mean"]
TENSOR_METHODS = ["sum", "mean", "sum_to_size"]


def normalize_dims(dim, ndim):
    """``dim`` (None, int, or tuple) -> sorted tuple of non-negative axes, with PyTorch's errors."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    out = []
    for d in dims:
        d = _errors.check_dim(d, ndim)
        if d in out:
            _errors.fail("dim_twice", dim=d)
        out.append(d)
    if ndim == 0:
        return ()
    return tuple(sorted(out))


def expand_back(grad, shape, dims, keepdim):
    """Undo a reduction's shape change: put back the reduced dims (size 1), then broadcast."""
    if grad.ndim == 0:  # a full reduction: the scalar gradient broadcasts as it is
        return grad.expand(shape)
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(shape)


class Sum(Op):
    """y = sum of x over ``dims``.   dy/dx = 1 for every element."""
    grad_fn_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return ctx.xp.sum(x, axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)


class SumAll(Sum):
    grad_fn_name = "SumBackward0"


class Mean(Op):
    """y = mean of x over ``dims``.   dy/dx = 1/n for every element (n = elements averaged)."""
    grad_fn_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.n = n
        return ctx.xp.mean(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return expand_back(grad / ctx.n, ctx.shape, ctx.dims, ctx.keepdim)


class MeanAll(Mean):
    grad_fn_name = "MeanBackward0"


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
    dims = normalize_dims(dim, input.ndim)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64  # PyTorch sums integers and bools as int64
    native = input._backend.dtypes[dtype] if dtype is not None else None
    op = SumAll if dim is None else Sum
    return op.apply(input, dims=dims, keepdim=keepdim, dtype=native)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Average of all elements, or along ``dim``.  Needs a floating-point tensor."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        _errors.fail("mean_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    dims = normalize_dims(dim, input.ndim)
    op = MeanAll if dim is None else Mean
    return op.apply(input, dims=dims, keepdim=keepdim)


def sum_to_size(self, *size):
    """Sum ``self`` down to ``size`` (the inverse of broadcasting ``size`` up to ``self.shape``)."""
    from .._shape import normalize_shape
    shape = normalize_shape(size)
    if tuple(self.shape) == shape:
        return self
    lead = self.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and self.shape[lead + i] != 1)
    out = Sum.apply(self, dims=dims, keepdim=True, dtype=None)
    return out.reshape(shape) if lead else out
