"""Reductions (归约): sum, mean, max, std, ... over all elements or along ``dim``.

A reduction turns many numbers into one (per slice).  Its backward spreads the
output's gradient back over the reduced dimensions:

* ``sum``: every input element gets the output's gradient (``expand_back``);
* ``mean``: the same, divided by the number of elements averaged;
* ``max``: only the element(s) that won get it.

``dim`` may be an int or a tuple of ints; ``keepdim=True`` keeps each reduced
dimension with size 1, so the result still broadcasts against the input.
Cumulative ops (``cumsum``, ``cumprod``, ``logcumsumexp``, ``cummax``, ``diff``) keep
(or nearly keep) the shape and live here too, as do NaN-aware reductions (``nansum``),
covariance and quantiles.
"""
import builtins
import functools
import math
import types
import warnings

from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd import grad_mode
from ..autograd.function import Op
from . import elementwise
from .creation_helpers import zeros_like_of
from ._inplace import inplace

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var", "norm",
           "logsumexp", "cumsum", "cumprod", "any", "all", "count_nonzero", "return_types",
           "nansum", "nanmean", "var_mean", "std_mean", "cov", "corrcoef", "quantile", "nanquantile", "aminmax",
           "logcumsumexp", "cummax", "cummin", "diff",
           "dist", "renorm", "trapezoid", "trapz", "cumulative_trapezoid"]
TENSOR_METHODS = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var", "norm",
                  "logsumexp", "cumsum", "cumprod", "any", "all", "count_nonzero", "sum_to_size",
                  "nansum", "nanmean", "cov", "corrcoef", "quantile", "nanquantile", "aminmax",
                  "logcumsumexp", "cummax", "cummin", "diff", "dist", "renorm", "renorm_"]


# --- helpers -------------------------------------------------------------------------

def normalize_dims(dim, ndim, empty_means_all=True):
    """``dim`` (None, int, or tuple/list) -> sorted tuple of non-negative axes, with PyTorch's errors.

    ``dim=None`` means every dimension; so does ``dim=()`` for most reductions
    (``any``/``all`` pass ``empty_means_all=False``: there ``()`` reduces nothing).
    """
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims and empty_means_all:
        return tuple(range(ndim))
    out = []
    for d in dims:
        d = _errors.check_dim(d, ndim)
        if d in out:
            _errors.fail("dim_twice", dim=d)
        out.append(d)
    if ndim == 0:
        return ()
    return tuple(sorted(out))


def _keep(t, dims, keepdim):
    """A reduced result ``t`` with its reduced dims put back as size 1 (ready to broadcast against x)."""
    if not keepdim:
        for d in dims:
            t = t.unsqueeze(d)
    return t


def expand_back(grad, shape, dims, keepdim):
    """Undo a reduction's shape change: put back the reduced dims (size 1), then broadcast to ``shape``."""
    if not grad_mode.state.enabled:  # plain backward (no graph to record): the same on arrays
        b, g = grad._backend, grad._data
        kept = tuple(1 if i in dims else n for i, n in enumerate(shape))
        # g * ones rather than broadcast_to: faster on small arrays, and a fresh array a leaf can keep as .grad
        return grad._backend_tensor(b.xp.reshape(g, kept) * b.xp.ones(tuple(shape), dtype=g.dtype, device=b.device))
    return _keep(grad, dims, keepdim).expand(shape)


def _native(t, dtype):
    return t._backend.dtypes[dtype]


def _cast(ctx, x, dtype):
    """``x`` converted to the backend dtype ``dtype`` (None: unchanged).  Ops with ``dtype=`` compute in it."""
    return x if dtype is None or x.dtype == dtype else ctx.xp.astype(x, dtype)


def _as_number_array(ctx, x):
    """The Array API refuses bool arrays in sum/prod/max...: count True as 1."""
    if x.dtype == ctx.xp.bool:
        return ctx.xp.astype(x, ctx.backend.dtypes[_dtype.int64])
    return x


def _check_not_empty(input, dims, fn, whole):
    """max/min/amax/argmax have no value for an empty slice: PyTorch's errors."""
    if whole and input.numel() == 0:
        _errors.fail("empty_reduce_arg" if fn.startswith("arg") else "empty_reduce", fn=fn)
    for d in dims:
        if input.shape[d] == 0:
            _errors.fail("empty_reduce_dim", fn=fn, dim=d)


def _is_all(dim):
    """Did the caller leave ``dim`` out (None or an empty tuple)?"""
    return dim is None or (not isinstance(dim, int) and len(dim) == 0)


def _mask(cond, dtype):
    """A bool tensor as 0.0 / 1.0 numbers of ``dtype`` (for masking gradients)."""
    return cond.to(dtype)


def _reverse_cumsum(t, dim):
    """out[i] = sum of t[j] for j >= i along ``dim`` (what the gradient of cumsum needs)."""
    return t.sum(dim, keepdim=True) - t.cumsum(dim) + t


def numpy_names(fn):
    """Let ``fn`` also take NumPy's spelling ``axis=`` / ``keepdims=``, as PyTorch's reductions do."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)
    return wrapper


# --- sum, mean, prod -------------------------------------------------------------------

class Sum(Op):
    """y = sum of x over ``dims``.   dy/dx = 1 for every element."""
    grad_fn_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        x = _cast(ctx, x, dtype)
        return ctx.xp.sum(x, axis=dims, keepdims=keepdim, dtype=x.dtype)  # no silent widening

    @staticmethod
    def backward(ctx, grad):
        return expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)


class SumAll(Sum):
    grad_fn_name = "SumBackward0"


@numpy_names
def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
    dims = normalize_dims(dim, input.ndim)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64  # PyTorch sums integers and bools as int64
    _check_grad_dtype(input, dtype)
    native = _native(input, dtype) if dtype is not None else None
    op = SumAll if dim is None else Sum
    return op.apply(input, dims=dims, keepdim=keepdim, dtype=native)


def _check_grad_dtype(input, dtype):
    """An integer result cannot carry a gradient: PyTorch refuses ``dtype=int`` on a tensor that needs one."""
    if dtype is not None and not dtype.is_floating_point and input.requires_grad and grad_mode.state.enabled:
        _errors.fail("autograd_dtype", dtype=_dtype.SHORT_NAMES[dtype])


class Mean(Op):
    """y = mean of x over ``dims``.   dy/dx = 1/n for every element (n = elements averaged)."""
    grad_fn_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, dtype=None):
        xp = ctx.xp
        x = _cast(ctx, x, dtype)
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.shape, ctx.dims, ctx.keepdim, ctx.n = x.shape, dims, keepdim, n
        return xp.sum(x, axis=dims, keepdims=keepdim) / n   # n = 0: 0/0 = nan, as in PyTorch

    @staticmethod
    def backward(ctx, grad):
        if not grad_mode.state.enabled:  # plain backward (no graph to record): divide the array
            return expand_back(ctx.tensor(grad._data / ctx.n), ctx.shape, ctx.dims, ctx.keepdim)
        return expand_back(grad / ctx.n, ctx.shape, ctx.dims, ctx.keepdim)


class MeanAll(Mean):
    grad_fn_name = "MeanBackward0"


@numpy_names
def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Average of all elements, or along ``dim``.  Needs a floating-point tensor (or ``dtype=``)."""
    if dtype is not None and not dtype.is_floating_point:
        _errors.fail("mean_opt_dtype", dtype=_dtype.SHORT_NAMES[dtype])
    if dtype is None and not input.dtype.is_floating_point:
        _errors.fail("mean_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    dims = normalize_dims(dim, input.ndim)
    op = MeanAll if dim is None else Mean
    native = _native(input, dtype) if dtype is not None and dtype is not input.dtype else None
    return op.apply(input, dims=dims, keepdim=keepdim, dtype=native)


class Prod(Op):
    """y = x_1 * x_2 * ... * x_n.   dy/dx_i = product of all the other x_j.

    Dividing y by x_i fails when x_i is 0, so the rule is written with the
    zeros replaced by 1 (p = product of the non-zero x):
      no zero in the slice  -> dy/dx_i = p / x_i
      exactly one zero      -> dy/dx_i = p at the zero, 0 elsewhere
      two or more zeros     -> 0 everywhere
    """
    grad_fn_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, dtype=None):
        x = _cast(ctx, x, dtype)
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return ctx.xp.prod(x, axis=dims, keepdims=keepdim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        dims, dt = ctx.dims, x.dtype
        is_zero = _mask(x == 0, dt)
        n_zeros = is_zero.sum(dims, keepdim=True)
        x_nz = x + is_zero                                 # zeros replaced by 1
        p = Prod.apply(x_nz, dims=dims, keepdim=True, dtype=None)
        local = _mask(n_zeros == 0, dt) / x_nz + _mask(n_zeros == 1, dt) * is_zero
        return _keep(grad, dims, ctx.keepdim) * p * local


class ProdAll(Prod):
    grad_fn_name = "ProdBackward0"


@numpy_names
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements, or along one ``dim`` (an int: PyTorch takes no tuple here)."""
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"prod(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    dims = normalize_dims(dim, input.ndim)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    _check_grad_dtype(input, dtype)
    native = _native(input, dtype) if dtype is not None else None
    op = ProdAll if dim is None else Prod
    return op.apply(input, dims=dims, keepdim=keepdim, dtype=native)


# --- max, min, amax, amin, argmax, argmin ------------------------------------------------

class _ValuesIndices(tuple):
    """A (values, indices) pair, like PyTorch's ``torch.return_types.max``: a tuple with names."""

    __slots__ = ()
    _fn = ""

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.{self._fn}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _return_type(name):
    cls = type(name, (_ValuesIndices,), {"__slots__": (), "_fn": name, "__module__": "learntorch.return_types"})
    cls.__qualname__ = name
    return cls


# ``learntorch.return_types.max`` etc., as in ``torch.return_types``.
return_types = types.SimpleNamespace(max=_return_type("max"), min=_return_type("min"),
                                     cummax=_return_type("cummax"), cummin=_return_type("cummin"))


class Amax(Op):
    """y = max of x over ``dims``.   dy/dx = 1/k at the k elements equal to y (ties share), else 0."""
    largest = True

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False):
        xp = ctx.xp
        is_bool = x.dtype == xp.bool
        x = _as_number_array(ctx, x)
        y = ctx.backend.wrap((xp.max if ctx.fn.largest else xp.min)(x, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(x, y)
        ctx.dims, ctx.keepdim = dims, keepdim
        return xp.astype(y, xp.bool) if is_bool else y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        winners = _mask(x == _keep(y, ctx.dims, ctx.keepdim), grad.dtype)
        share = winners / winners.sum(ctx.dims, keepdim=True)
        return _keep(grad, ctx.dims, ctx.keepdim) * share


class Amin(Amax):
    """y = min of x over ``dims``.   dy/dx = 1/k at the k elements equal to y (ties share), else 0."""
    largest = False


class MaxDim(Op):
    """(values, indices) = max of x along ``dim``.   dvalues/dx = 1 at the returned index, else 0."""
    grad_fn_name = "MaxBackward0"
    largest = True

    @staticmethod
    def forward(ctx, x, dim=0, keepdim=False):
        xp = ctx.xp
        is_bool = x.dtype == xp.bool
        x = _as_number_array(ctx, x)
        if x.ndim == 0:          # a 0-dim tensor is its own maximum, at index 0
            ctx.dim, onehot = None, xp.ones((), dtype=xp.bool, device=ctx.backend.device)
            values = xp.asarray(x, copy=True)
            indices = xp.zeros((), dtype=ctx.backend.dtypes[_dtype.int64], device=ctx.backend.device)
        else:
            arg = xp.argmax if ctx.fn.largest else xp.argmin
            indices = arg(x, axis=dim, keepdims=True)
            # one-hot mask: True where an element's position along ``dim`` equals the winning index
            shape = [1] * x.ndim
            shape[dim] = x.shape[dim]
            positions = xp.reshape(xp.arange(x.shape[dim], device=ctx.backend.device), tuple(shape))
            onehot = positions == indices
            values = xp.take_along_axis(x, indices, axis=dim)
            if not keepdim:
                values, indices = xp.squeeze(values, axis=dim), xp.squeeze(indices, axis=dim)
            ctx.dim = dim
        ctx.keepdim = keepdim
        ctx.save_for_backward(onehot)
        if is_bool:
            values = xp.astype(values, xp.bool)
        return values, indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        onehot, = ctx.saved_tensors
        if ctx.dim is not None and not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return grad * _mask(onehot, grad.dtype)


class MinDim(MaxDim):
    """(values, indices) = min of x along ``dim``.   dvalues/dx = 1 at the returned index, else 0."""
    grad_fn_name = "MinBackward0"
    largest = False


def _max_or_min(name, input, dim, keepdim, other):
    """The three forms of ``max``/``min``: whole tensor, along ``dim``, or element-wise with ``other``."""
    if isinstance(dim, Tensor):                    # max(a, b): the element-wise form
        dim, other = None, dim
    if other is not None:
        return _binary_extreme(name, input, other)
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}() received an invalid combination of arguments - got (keepdim=bool), "
                            "but expected one of:")
        _check_not_empty(input, (), name, whole=True)
        out = (Amax if name == "max" else Amin).apply(input, dims=tuple(range(input.ndim)), keepdim=False)
        if out.grad_fn is not None:
            out.grad_fn.grad_fn_name = "MaxBackward1" if name == "max" else "MinBackward1"
        return out
    if not isinstance(dim, int):
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({type(dim).__name__}), "
                        "but expected one of:")
    d = _errors.check_dim(dim, input.ndim)
    if input.ndim:
        _check_not_empty(input, (d,), name, whole=False)
    values, indices = (MaxDim if name == "max" else MinDim).apply(input, dim=d, keepdim=keepdim)
    return getattr(return_types, name)(values, indices)


@numpy_names
def max(input, dim=None, keepdim=False, *, other=None, out=None):
    """``max(x)``: the largest element.  ``max(x, dim)``: (values, indices) along ``dim``.
    ``max(x, y)``: the element-wise larger of two tensors (= ``maximum``)."""
    return _max_or_min("max", input, dim, keepdim, other)


@numpy_names
def min(input, dim=None, keepdim=False, *, other=None, out=None):
    """``min(x)``: the smallest element.  ``min(x, dim)``: (values, indices) along ``dim``.
    ``min(x, y)``: the element-wise smaller of two tensors (= ``minimum``)."""
    return _max_or_min("min", input, dim, keepdim, other)


def _binary_extreme(name, a, b):
    """``max(a, b)`` / ``min(a, b)`` with two tensors: the element-wise ``maximum`` / ``minimum``."""
    return elementwise.maximum(a, b) if name == "max" else elementwise.minimum(a, b)


@numpy_names
def amax(input, dim=(), keepdim=False, *, out=None):
    """Largest value over ``dim`` (int or tuple; default all).  Ties share the gradient equally."""
    dims = normalize_dims(dim, input.ndim)
    _check_not_empty(input, dims if input.ndim else (), "amax", whole=_is_all(dim))
    return Amax.apply(input, dims=dims, keepdim=keepdim)


@numpy_names
def amin(input, dim=(), keepdim=False, *, out=None):
    """Smallest value over ``dim`` (int or tuple; default all).  Ties share the gradient equally."""
    dims = normalize_dims(dim, input.ndim)
    _check_not_empty(input, dims if input.ndim else (), "amin", whole=_is_all(dim))
    return Amin.apply(input, dims=dims, keepdim=keepdim)


class ArgMax(Op):
    """i = position of the largest element (first one on ties).  Not differentiable: an index."""
    largest = True

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        xp = ctx.xp
        arg = xp.argmax if ctx.fn.largest else xp.argmin
        if dim is None:                         # over the flattened tensor
            i = arg(xp.reshape(x, (-1,)))
            return xp.reshape(i, (1,) * x.ndim) if keepdim else i
        if x.ndim == 0:
            return xp.zeros((), dtype=ctx.backend.dtypes[_dtype.int64], device=ctx.backend.device)
        return arg(x, axis=dim, keepdims=keepdim)


class ArgMin(ArgMax):
    """i = position of the smallest element (first one on ties).  Not differentiable: an index."""
    largest = False


def _arg(fn, op, input, dim, keepdim):
    if input.dtype is _dtype.bool:
        _errors.fail("arg_bool", fn=fn)
    if dim is not None:
        if not isinstance(dim, int):
            raise TypeError(f"{fn}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
        dim = _errors.check_dim(dim, input.ndim)
        if input.ndim:
            _check_not_empty(input, (dim,), fn, whole=False)
    elif input.numel() == 0:
        _errors.fail("empty_reduce_arg", fn=fn)
    return op.apply(input, dim=dim, keepdim=keepdim)


@numpy_names
def argmax(input, dim=None, keepdim=False):
    """Index of the largest element: over the flattened tensor (``dim=None``) or along ``dim``."""
    return _arg("argmax", ArgMax, input, dim, keepdim)


@numpy_names
def argmin(input, dim=None, keepdim=False):
    """Index of the smallest element: over the flattened tensor (``dim=None``) or along ``dim``."""
    return _arg("argmin", ArgMin, input, dim, keepdim)


# --- var, std ---------------------------------------------------------------------------------

class Var(Op):
    """y = sum((x - mean)^2) / (n - correction).   dy/dx = 2 (x - mean) / (n - correction)."""

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, divisor=1.0):
        xp = ctx.xp
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim, ctx.divisor = dims, keepdim, divisor
        centered = x - xp.mean(x, axis=dims, keepdims=True) if x.size else x
        return xp.sum(centered * centered, axis=dims, keepdims=keepdim) / divisor   # divisor 0: inf/nan

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        centered = x - x.mean(ctx.dims, keepdim=True)
        return _keep(grad, ctx.dims, ctx.keepdim) * centered * (2 / ctx.divisor)


class Std(Op):
    """y = sqrt(var(x)).   dy/dx = (x - mean) / ((n - correction) * y)   (0 where y = 0: all x equal)."""

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, divisor=1.0):
        xp = ctx.xp
        ctx.dims, ctx.keepdim, ctx.divisor = dims, keepdim, divisor
        centered = x - xp.mean(x, axis=dims, keepdims=True) if x.size else x
        var = xp.sum(centered * centered, axis=dims, keepdims=keepdim) / divisor
        y = ctx.backend.wrap(xp.sqrt(var))      # NumPy gives a scalar for a full reduction; save an array
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        centered = x - x.mean(ctx.dims, keepdim=True)
        y_safe = y + _mask(y == 0, y.dtype)          # there x - mean = 0: gradient 0, not 0/0
        return _keep(grad / (y_safe * ctx.divisor), ctx.dims, ctx.keepdim) * centered


def _var_std(fn, op, input, dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):                 # x.std(False): the old (input, unbiased) form
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (correction=int, "
                        "unbiased=bool, ), but expected one of:")
    if correction is None:
        correction = 0 if unbiased is False else 1
    if not input.dtype.is_floating_point:
        _errors.fail("std_dtype")
    dims = normalize_dims(dim, input.ndim)
    n = 1
    for d in dims:
        n *= input.shape[d]
    divisor = builtins.max(0, n - correction)
    if divisor == 0:
        warnings.warn(_errors.msg("dof_warning", fn=fn), UserWarning, stacklevel=3)
    return op.apply(input, dims=dims, keepdim=keepdim, divisor=float(divisor))


@numpy_names
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Variance (方差) over ``dim``, dividing by n - correction (default correction=1, Bessel's)."""
    return _var_std("var", Var, input, dim, unbiased, keepdim, correction)


@numpy_names
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Standard deviation (标准差) = sqrt(var) over ``dim``; ``correction=0`` for the population formula."""
    return _var_std("std", Std, input, dim, unbiased, keepdim, correction)


# --- norm ---------------------------------------------------------------------------------------

class VectorNorm(Op):
    """y = (sum |x|^p)^(1/p) over ``dims``.   dy/dx = sign(x) |x|^(p-1) / y^(p-1)
    (p=2: x / y;  p=1: sign(x);  p=inf: sign(x) shared by the largest |x|)."""
    grad_fn_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p=2.0, dims=(), keepdim=False, dtype=None):
        xp = ctx.xp
        x = _cast(ctx, x, dtype)
        a = xp.abs(x)
        if p == math.inf:
            y = xp.max(a, axis=dims, keepdims=keepdim)
        elif p == -math.inf:
            y = xp.min(a, axis=dims, keepdims=keepdim)
        elif p == 0:
            y = xp.sum(xp.astype(a != 0, x.dtype), axis=dims, keepdims=keepdim)
        elif p == 1:
            y = xp.sum(a, axis=dims, keepdims=keepdim)
        elif p == 2:
            y = xp.sqrt(xp.sum(a * a, axis=dims, keepdims=keepdim))
        else:
            y = xp.sum(a ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        y = ctx.backend.wrap(y)
        ctx.save_for_backward(x, y)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        p, dims, dt = ctx.p, ctx.dims, x.dtype
        g = _keep(grad, dims, ctx.keepdim)
        y = _keep(y, dims, ctx.keepdim)
        sign = x.sign()
        if p == 0:
            return x * 0
        if p == 1:
            return g * sign
        if p in (math.inf, -math.inf):
            winners = _mask(x.abs() == y, dt)
            return g * sign * winners / winners.sum(dims, keepdim=True)
        y_safe = y + _mask(y == 0, dt)         # where the norm is 0, x is 0 too: gradient 0, not 0/0
        if p == 2:
            return g * x / y_safe
        return g * sign * x.abs() ** (p - 1) / y_safe ** (p - 1)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """Vector norm (范数) of all elements, or over ``dim``: p=2 / 'fro' (Euclidean), 1, inf, -inf, 0, any p."""
    if isinstance(dim, int):
        dim = (dim,)
    if isinstance(p, str):
        if p != "fro" or (dim is not None and len(dim) > 2):
            if p == "nuc" and (dim is None or len(dim) == 2):
                raise NotImplementedError("learntorch does not implement the nuclear norm (p='nuc')")
            if dim is not None and len(dim) != 2:
                _errors.fail("matrix_norm_dim", dims=" ".join(str(d) for d in dim))
            _errors.fail("matrix_norm_order", p=p)
        p = 2.0
    elif p is None:
        p = 2.0
    if not input.dtype.is_floating_point:
        _errors.fail("norm_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    dims = normalize_dims(dim, input.ndim)
    if p in (math.inf, -math.inf) and input.numel() == 0:   # max/min of nothing: no value
        label = "inf" if p > 0 else "-inf"
        if _is_all(dim):
            _errors.fail("norm_empty", p=label)
        for d in dims:
            if input.shape[d] == 0:
                _errors.fail("norm_empty_dim", p=label, dim=d)
    native = _native(input, dtype) if dtype is not None and dtype is not input.dtype else None
    return VectorNorm.apply(input, p=float(p), dims=dims, keepdim=keepdim, dtype=native)


# --- logsumexp ------------------------------------------------------------------------------------

_MISSING = object()


def _missing_dim(fn):
    raise TypeError(f'{fn}() missing 1 required positional arguments: "dim"')


class Logsumexp(Op):
    """y = log(sum(exp(x))), computed as m + log(sum(exp(x - m))) with m = max x (no overflow).
    dy/dx = exp(x - y) (the softmax of x)."""

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False):
        xp = ctx.xp
        m = xp.max(x, axis=dims, keepdims=True) if x.size else xp.zeros_like(xp.sum(x, axis=dims, keepdims=True))
        m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))   # all -inf (or +inf) slices: shift by 0
        s = xp.sum(xp.exp(x - m), axis=dims, keepdims=True)
        y = xp.log(s) + m                                    # log(0) = -inf for an empty or all -inf slice
        if not keepdim:
            y = xp.reshape(y, tuple(n for i, n in enumerate(x.shape) if i not in dims))
        ctx.save_for_backward(x, y)
        ctx.dims, ctx.keepdim = dims, keepdim
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _keep(grad, ctx.dims, ctx.keepdim) * (x - _keep(y, ctx.dims, ctx.keepdim)).exp()


@numpy_names
def logsumexp(input, dim=_MISSING, keepdim=False, *, out=None):
    """log(sum(exp(input))) over ``dim``, without overflow for large inputs."""
    if dim is _MISSING:
        _missing_dim("logsumexp")
    if not input.dtype.is_floating_point:
        input = input.to(_dtype.get_default_dtype())
    dims = normalize_dims(dim, input.ndim)
    return Logsumexp.apply(input, dims=dims, keepdim=keepdim)


# --- cumsum, cumprod ------------------------------------------------------------------------------------

def _cumulative_dim(fn, input, dim):
    if dim is _MISSING:
        _missing_dim(fn)
    if not isinstance(dim, int):
        raise TypeError(f"{fn}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    return _errors.check_dim(dim, input.ndim)


def _cumulative_dtype(input, dtype):
    """Integers and bools accumulate as int64; ``dtype=`` converts the input first (backend dtype or None)."""
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    _check_grad_dtype(input, dtype)
    return _native(input, dtype) if dtype is not None else None


class Cumsum(Op):
    """y_i = x_1 + ... + x_i along ``dim``.   dx_i = dy_i + dy_{i+1} + ... + dy_n (a reversed cumsum)."""

    @staticmethod
    def forward(ctx, x, dim=0, dtype=None):
        ctx.dim = dim
        x = _cast(ctx, x, dtype)
        if x.ndim == 0:
            return ctx.xp.asarray(x, copy=True)
        cumulative_sum = getattr(ctx.xp, "cumulative_sum", None) or ctx.xp.cumsum   # older CuPy: cumsum
        return cumulative_sum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad if grad.ndim == 0 else _reverse_cumsum(grad, ctx.dim)


@numpy_names
def cumsum(input, dim=_MISSING, *, dtype=None, out=None):
    """Running sum along ``dim``: y_i = x_1 + ... + x_i."""
    dim = _cumulative_dim("cumsum", input, dim)
    return Cumsum.apply(input, dim=dim, dtype=_cumulative_dtype(input, dtype))


class Cumprod(Op):
    """y_i = x_1 * ... * x_i along ``dim``.   dx_i = sum over j >= i of dy_j * y_j / x_i.

    Dividing by x_i fails at zeros.  Along a slice whose first zero is at k:
      i < k  -> the formula above (y_j = 0 for j >= k, so only j < k count)
      i = k  -> sum over j >= k of dy_j * (y_j computed with x_k replaced by 1)
      i > k  -> 0 (every y_j it touches also contains the factor x_k = 0)
    """

    @staticmethod
    def forward(ctx, x, dim=0, dtype=None):
        xp = ctx.xp
        ctx.dim = dim
        x = _cast(ctx, x, dtype)
        if x.ndim == 0:
            y = xp.asarray(x, copy=True)
        else:
            cumulative_prod = getattr(xp, "cumulative_prod", None) or xp.cumprod  # Array API 2024.12 name
            y = cumulative_prod(x, axis=dim, dtype=x.dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if x.ndim == 0:
            return grad
        d, dt = ctx.dim, x.dtype
        is_zero = _mask(x == 0, dt)
        zeros_so_far = is_zero.cumsum(d)
        before = _mask(zeros_so_far == 0, dt)          # no zero at or before position i
        first_zero = is_zero * _mask(zeros_so_far == 1, dt)
        x_safe = x + is_zero                           # never divide by 0
        y_skip = (x + first_zero).cumprod(d)          # products with the first zero taken out
        return (before * _reverse_cumsum(grad * y, d) / x_safe
                + first_zero * _reverse_cumsum(grad * y_skip, d))


@numpy_names
def cumprod(input, dim=_MISSING, *, dtype=None, out=None):
    """Running product along ``dim``: y_i = x_1 * ... * x_i."""
    dim = _cumulative_dim("cumprod", input, dim)
    return Cumprod.apply(input, dim=dim, dtype=_cumulative_dtype(input, dtype))


# --- any, all, count_nonzero --------------------------------------------------------------------------

def _nonzero(ctx, x):
    """True where x is not zero (a bool array is its own answer)."""
    return x if x.dtype == ctx.xp.bool else x != 0


class Any(Op):
    """y = True if any element is non-zero (logical OR).  Not differentiable."""

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, test="any"):
        xp = ctx.xp
        y = (xp.any if test == "any" else xp.all)(_nonzero(ctx, x), axis=dims, keepdims=keepdim)
        return xp.astype(y, x.dtype) if x.dtype == ctx.backend.dtypes[_dtype.uint8] else y


@numpy_names
def any(input, dim=None, keepdim=False, *, out=None):
    """True where any element (over ``dim``) is non-zero.  bool result (uint8 for a uint8 input)."""
    dims = normalize_dims(dim, input.ndim, empty_means_all=False)
    return Any.apply(input, dims=dims, keepdim=keepdim, test="any")


@numpy_names
def all(input, dim=None, keepdim=False, *, out=None):
    """True where every element (over ``dim``) is non-zero.  bool result (uint8 for a uint8 input)."""
    dims = normalize_dims(dim, input.ndim, empty_means_all=False)
    return Any.apply(input, dims=dims, keepdim=keepdim, test="all")


class CountNonzero(Op):
    """y = number of non-zero elements over ``dims`` (int64).  Not differentiable."""

    @staticmethod
    def forward(ctx, x, dims=()):
        xp = ctx.xp
        return xp.sum(xp.astype(_nonzero(ctx, x), ctx.backend.dtypes[_dtype.int64]), axis=dims)


@numpy_names
def count_nonzero(input, dim=None):
    """How many elements are not zero, in all of ``input`` or over ``dim`` (int or tuple)."""
    return CountNonzero.apply(input, dims=normalize_dims(dim, input.ndim))


# --- more reductions: NaN-aware sums (忽略 NaN 的求和), covariance (协方差), quantiles (分位数) ------------

class Nansum(Op):
    """y = sum of x over ``dims``, NaNs counted as 0.   dy/dx = 1, and 0 at the NaNs."""

    @staticmethod
    def forward(ctx, x, dims=(), keepdim=False, dtype=None):
        xp = ctx.xp
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        x = _cast(ctx, x, dtype)
        if ctx.backend.from_dtype[x.dtype].is_floating_point:
            x = xp.where(xp.isnan(x), xp.zeros_like(x), x)
        return xp.sum(x, axis=dims, keepdims=keepdim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return _keep(grad, ctx.dims, ctx.keepdim) * x.isnan().logical_not()


@numpy_names
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements (or along ``dim``), treating NaN as 0."""
    dims = normalize_dims(dim, input.ndim)
    if dtype is None and not input.dtype.is_floating_point:
        dtype = _dtype.int64
    _check_grad_dtype(input, dtype)
    native = _native(input, dtype) if dtype is not None else None
    return Nansum.apply(input, dims=dims, keepdim=keepdim, dtype=native)


@numpy_names
def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Average of the elements that are not NaN (PyTorch's way: nansum / count of non-NaN)."""
    if not input.dtype.is_floating_point:
        _errors.fail("nanmean_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    count = elementwise.logical_not(elementwise.isnan(input)).sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def _var_std_mean(fn, op, input, dim, unbiased, keepdim, correction):
    """(var or std, mean), one pair of nodes named like PyTorch's single one (VarMeanBackward0)."""
    if not input.dtype.is_floating_point:
        _errors.fail("var_mean_dtype", fn=fn)
    spread = _var_std(fn, op, input, dim, unbiased, keepdim, correction)
    center = mean(input, None if isinstance(dim, bool) else dim, keepdim)
    name = "VarMeanBackward0" if fn == "var_mean" else "StdMeanBackward0"
    return elementwise._named(spread, name), elementwise._named(center, name)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(variance, mean) over ``dim`` as a plain tuple; ``correction`` as in ``var``."""
    return _var_std_mean("var_mean", Var, input, dim, unbiased, keepdim, correction)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(standard deviation, mean) over ``dim`` as a plain tuple; ``correction`` as in ``std``."""
    return _var_std_mean("std_mean", Std, input, dim, unbiased, keepdim, correction)


def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance matrix (协方差矩阵) of the variables in the rows of ``input`` (columns are observations).

    Composed of differentiable ops as in PyTorch: centre each row on its (weighted) mean,
    then c = X W X^T / (sum of weights - correction).
    """
    if input.ndim > 2:
        _errors.fail("cov_ndim", ndim=input.ndim)
    if input.dtype is _dtype.bool:
        _errors.fail("cov_bool")
    x = input.reshape(1, -1) if input.ndim < 2 else input
    w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        w_sum = x.shape[1]
        avg = x.sum(1) / w_sum
        norm_factor = w_sum - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum if aweights is not None and correction \
            else w_sum - correction
    if bool(norm_factor <= 0):
        warnings.warn(_errors.msg("cov_dof"), UserWarning, stacklevel=2)
        norm_factor = norm_factor * 0
    x = x - avg.unsqueeze(1)
    c = x @ (x if w is None else x * w).t()
    return elementwise.div(c, norm_factor).squeeze()


def corrcoef(input):
    """Pearson correlation coefficients (相关系数) of the rows: cov / (std_i std_j), clipped to [-1, 1]."""
    from .._creation import arange
    c = cov(input)
    if c.ndim == 0:
        return c / c
    i = arange(c.shape[0], device=c.device)
    stddev = c[i, i].sqrt()
    c = c / stddev.reshape(-1, 1)
    c = c / stddev.reshape(1, -1)
    return c.clip(-1, 1)


_QUANTILE_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


def _argsort_last(x):
    """Indices that sort ``x`` along its last dim, NaNs last (an int64 tensor; no gradient)."""
    b = x._backend
    i64 = b.dtypes[_dtype.int64]
    return Tensor._make(b.xp.astype(b.xp.argsort(x._data, axis=-1, stable=True), i64), _dtype.int64, b)


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    """PyTorch's algorithm: sort, rank = q * (n - 1), then gather (and lerp) the neighbours of each rank."""
    if input.numel() == 0:
        _errors.fail("quantile_empty")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            _errors.fail("quantile_q_dim")
    elif not 0 <= q <= 1:
        _errors.fail("quantile_q_range", q=f"{float(q):g}")
    if input.dtype not in (_dtype.float32, _dtype.float64):
        _errors.fail("quantile_dtype")
    if isinstance(q, Tensor) and q.dtype is not input.dtype:
        _errors.fail("quantile_q_dtype")
    if interpolation not in _QUANTILE_MODES:
        _errors.fail("quantile_mode", mode=interpolation)
    qs = q if isinstance(q, Tensor) else elementwise._scalar(q, input.dtype, input)
    if qs.ndim and not bool(((qs >= 0) & (qs <= 1)).all()):
        _errors.fail("quantile_q_values")
    if dim is None or input.ndim == 0:
        x = input.reshape(-1)
        out_shape = (1,) * input.ndim if keepdim else ()
    else:
        d = _errors.check_dim(dim, input.ndim)
        x = input.permute(*[i for i in range(input.ndim) if i != d], d)    # the reduced dim last
        out_shape = tuple(1 if i == d else n for i, n in enumerate(input.shape) if keepdim or i != d)
    x = x.gather(-1, _argsort_last(x))                                     # sorted (differentiable)
    with grad_mode.no_grad():
        n = x.shape[-1]
        qs = qs.reshape(-1)
        if ignore_nan:        # rank among the non-NaN values; an all-NaN slice gets rank 0 (its value: NaN)
            ranks = elementwise.clamp_min(qs * (elementwise.isnan(x).logical_not().sum(-1, keepdim=True) - 1), 0)
        else:                 # a slice with a NaN gets the last rank (its value: NaN)
            ranks = elementwise.where(elementwise.isnan(x).any(-1, keepdim=True), float(n - 1), qs * (n - 1))
        ranks = ranks.expand(*x.shape[:-1], qs.shape[0])
        if interpolation in ("lower", "higher", "nearest"):
            ranks = {"lower": ranks.floor(), "higher": ranks.ceil(), "nearest": ranks.round()}[interpolation]
        below = ranks.to(_dtype.int64)
    values = x.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        above = x.gather(-1, ranks.ceil().to(_dtype.int64))
        weight = 0.5 if interpolation == "midpoint" else ranks - below
        values = elementwise.lerp(values, above, weight)
    if isinstance(q, Tensor) and q.ndim:
        values = values.permute(values.ndim - 1, *range(values.ndim - 1))  # the q dim first
        out_shape = (qs.shape[0],) + out_shape
    return elementwise._named(values.reshape(out_shape), "SqueezeBackward4")   # PyTorch's last step: a squeeze


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The q-th quantiles (分位数) of all elements or along ``dim`` (q: a number or a 1-D tensor in [0, 1]).

    ``interpolation`` between the two nearest sorted values: 'linear', 'lower', 'higher', 'midpoint',
    'nearest'.  A slice containing NaN gives NaN.
    """
    return _quantile(input, q, dim, keepdim, interpolation, ignore_nan=False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """``quantile`` that ignores NaNs (NaN only for a slice that is all NaN)."""
    return _quantile(input, q, dim, keepdim, interpolation, ignore_nan=True)


class _MinMax(tuple):
    """A (min, max) pair, like PyTorch's ``torch.return_types.aminmax``: a tuple with names."""

    __slots__ = ()

    def __new__(cls, min, max):
        return tuple.__new__(cls, (min, max))

    @property
    def min(self):
        return self[0]

    @property
    def max(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.aminmax(\nmin={self[0]!r},\nmax={self[1]!r})"


_MinMax.__name__ = _MinMax.__qualname__ = "aminmax"
_MinMax.__module__ = "learntorch.return_types"
return_types.aminmax = _MinMax


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """(min, max) of all elements or along ``dim``, as ``return_types.aminmax`` (fields ``min``, ``max``)."""
    if dim is None:
        if input.numel() == 0:
            _errors.fail("aminmax_empty")
        dims = ()
    else:
        dims = _errors.check_dim(dim, input.ndim)
        if input.ndim and input.shape[dims] == 0:
            _errors.fail("aminmax_empty_dim", dim=dims)
    lo = amin(input, dims, keepdim)
    hi = amax(input, dims, keepdim)
    return _MinMax(elementwise._named(lo, "AminmaxBackward0"), elementwise._named(hi, "AminmaxBackward0"))


# --- more cumulative ops: logcumsumexp, cummax, cummin, diff (差分) ----------------------------------------------

def _scan(xp, x, dim, first, step, reverse=False):
    """A running computation along ``dim``: acc = first(x_0), then acc = step(acc, x_i, i) for each next i
    (from the end when ``reverse``).  acc is a tuple of arrays; returns each of them for every i, stacked."""
    key = xp.moveaxis(x, dim, 0)
    n = key.shape[0]
    accs, acc = [None] * n, None
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        acc = first(key[i, ...]) if acc is None else step(acc, key[i, ...], i)
        accs[i] = acc
    return tuple(xp.moveaxis(xp.stack([a[k] for a in accs], axis=0), 0, dim) for k in range(len(acc)))


class Logcumsumexp(Op):
    """y_i = log(e^x_1 + ... + e^x_i) along ``dim`` (each step a stable logaddexp).
    dx_j = sum over i >= j of dy_i e^(x_j - y_i) (PyTorch's form: split by the sign of dy, in log space)."""

    @staticmethod
    def forward(ctx, x, dim=0, reverse=False):
        xp = ctx.xp
        ctx.dim, ctx.reverse = dim, reverse
        if x.ndim == 0 or x.shape[dim] == 0:
            y = xp.asarray(x, copy=True)
        else:
            y, = _scan(xp, x, dim, lambda x0: (x0,), lambda acc, xi, i: (xp.logaddexp(acc[0], xi),), reverse)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        lowest = _dtype.finfo(grad.dtype).min     # log(0), kept finite
        log_abs = grad.abs().log()

        def part(log_g):  # sum over i >= j of g_i e^(x_j - y_i), for g_i > 0 only
            return (Logcumsumexp.apply(log_g - y, dim=ctx.dim, reverse=not ctx.reverse) + x).exp()
        return (part(elementwise.where(grad > 0, log_abs, lowest))
                - part(elementwise.where(grad < 0, log_abs, lowest)))


def logcumsumexp(input, dim=_MISSING, *, out=None):
    """Running log(sum(exp(x))) along ``dim``, without overflow."""
    dim = _cumulative_dim("logcumsumexp", input, dim)
    if not input.dtype.is_floating_point:
        elementwise._refuse("logcumsumexp_out_cpu", input.dtype)
    return Logcumsumexp.apply(input, dim=dim)


class Cummax(Op):
    """(values, indices): the running maximum along ``dim`` and where it was found (the latest on ties;
    a NaN, once met, stays).   dx_j = the sum of dvalues_i over the i whose index is j."""
    largest = True

    @staticmethod
    def forward(ctx, x, dim=0):
        xp = ctx.xp
        i64 = ctx.backend.dtypes[_dtype.int64]
        ctx.dim = dim
        if x.ndim == 0 or x.shape[dim] == 0:
            values, indices = xp.asarray(x, copy=True), xp.zeros(x.shape, dtype=i64, device=ctx.backend.device)
        else:
            def first(x0):
                return x0, xp.zeros(x0.shape, dtype=i64, device=ctx.backend.device)

            def step(acc, xi, i):
                best, at = acc
                take = ((xi >= best) if ctx.fn.largest else (xi <= best)) | (xi != xi)   # xi != xi: NaN
                return xp.where(take, xi, best), xp.where(take, xp.full_like(at, i), at)
            values, indices = _scan(xp, _as_number_array(ctx, x), dim, first, step)   # bools compare as 0 / 1
            values = xp.astype(values, x.dtype)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        indices, = ctx.saved_tensors
        if grad.ndim == 0:
            return grad
        return zeros_like_of(grad).scatter_add(ctx.dim, indices, grad)


class Cummin(Cummax):
    """(values, indices): the running minimum along ``dim`` and where it was found (the latest on ties;
    a NaN, once met, stays).   dx_j = the sum of dvalues_i over the i whose index is j."""
    largest = False


def _cumulative_extreme(name, op, input, dim):
    dim = _cumulative_dim(name, input, dim)
    values, indices = op.apply(input, dim=dim)
    return getattr(return_types, name)(values, indices)


def cummax(input, dim=_MISSING, *, out=None):
    """(values, indices) of the running maximum along ``dim``."""
    return _cumulative_extreme("cummax", Cummax, input, dim)


def cummin(input, dim=_MISSING, *, out=None):
    """(values, indices) of the running minimum along ``dim``."""
    return _cumulative_extreme("cummin", Cummin, input, dim)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """n-th forward difference along ``dim``: out[i] = x[i + 1] - x[i] (logical xor for bools), repeated n times.

    ``prepend`` / ``append`` are joined to ``input`` along ``dim`` first.
    """
    from .shape import cat
    if input.ndim == 0:
        _errors.fail("diff_0d")
    if n < 0:
        _errors.fail("diff_order", n=n)
    d = _errors.check_dim(dim, input.ndim)
    extra = [t for t in (prepend, append) if t is not None]
    if builtins.any(t.ndim != input.ndim for t in extra):
        _errors.fail("diff_extra_dim")
    x = cat([t for t in (prepend, input, append) if t is not None], d) if extra else input
    for _ in range(builtins.min(n, x.shape[d])):
        size = x.shape[d] - 1
        later, earlier = x.narrow(d, 1, size), x.narrow(d, 0, size)
        x = elementwise.logical_xor(later, earlier) if x.dtype is _dtype.bool else later - earlier
    return x


# --- sum_to_size (the engine uses it to undo broadcasting) ------------------------------------------------

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


# --- dist, renorm (距离, 重新归一化) -----------------------------------------------------------------

def dist(input, other, p=2):
    """The p-norm of ``input - other`` (broadcast): the distance between two points."""
    for t in (input, other):
        if isinstance(t, Tensor) and not t.dtype.is_floating_point:
            _errors.fail("dist_dtype", dtype=_dtype.SHORT_NAMES[t.dtype])
    out = norm(elementwise.sub(input, other), p=float(p))
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "DistBackward0"
    return out


def renorm(input, p, dim, maxnorm, *, out=None):
    """Each slice along ``dim`` whose p-norm exceeds ``maxnorm`` is scaled down to norm ``maxnorm``
    (factor maxnorm / (norm + 1e-7), PyTorch's formula); the other slices are unchanged."""
    if input.ndim < 2:
        _errors.fail("renorm_dims", n=input.ndim)
    if p <= 0:
        _errors.fail("renorm_p")
    if maxnorm < 0:
        _errors.fail("renorm_maxnorm", maxnorm=f"{maxnorm:g}")
    d = _errors.check_dim(dim, input.ndim)
    if not input.dtype.is_floating_point:
        _errors.fail("norm_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    norms = norm(input, p=p, dim=[k for k in range(input.ndim) if k != d], keepdim=True)
    factor = elementwise.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    y = input * factor
    if y.grad_fn is not None:
        y.grad_fn.grad_fn_name = "RenormBackward0"
    return y


renorm_ = inplace(renorm, "renorm_")


# --- trapezoid rule (梯形法则): trapezoid / trapz, cumulative_trapezoid ------------------------------

def _trapezoid_parts(fn, y, x, dim):
    """The slices y[1:], y[:-1] along ``dim`` and the spacings dx (a tensor from x, else None)."""
    if y.ndim == 0:
        if fn == "cumulative_trapezoid":
            _errors.fail("slice_0d")
        _errors.fail("no_dims", dim=dim)
    d = _errors.check_dim(dim, y.ndim)
    n = y.shape[d]
    upper, lower = y.narrow(d, builtins.min(n, 1), builtins.max(n - 1, 0)), y.narrow(d, 0, builtins.max(n - 1, 0))
    if x is None:
        return d, upper, lower, None
    if x.ndim == 1:
        if x.shape[0] != n:
            _errors.fail("trapezoid_x", fn=fn)
        dx = x.diff().reshape([-1 if k == d else 1 for k in range(y.ndim)])
    else:
        dx = x.diff(dim=dim)
    return d, upper, lower, dx


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of y (samples along ``dim``) by the trapezoid rule: sum of (y[i] + y[i+1]) / 2 * dx_i,
    with the spacings of ``x``, or a constant ``dx`` (default 1)."""
    if x is not None and dx is not None:
        raise TypeError("trapezoid() received an invalid combination of arguments - got (Tensor, Tensor, dx=...)")
    if isinstance(x, Tensor):
        d, upper, lower, spacing = _trapezoid_parts("trapezoid", y, x, dim)
        if y.shape[d] == 0:
            return (y * 1.0).sum(d)
        return (spacing * (upper + lower)).sum(d) / 2.0
    step = 1.0 if dx is None and x is None else float(dx if dx is not None else x)
    d, _, _, _ = _trapezoid_parts("trapezoid", y, None, dim)
    if y.shape[d] == 0:
        return (y * 1.0).sum(d)
    return (y.sum(d) - (y.select(d, 0) + y.select(d, -1)) * 0.5) * step


def trapz(y, x=None, *, dx=None, dim=-1):
    """Old name of ``trapezoid``."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integral by the trapezoid rule: one value per interval (size n - 1 along ``dim``)."""
    if isinstance(x, Tensor):
        d, upper, lower, spacing = _trapezoid_parts("cumulative_trapezoid", y, x, dim)
        return (spacing * (upper + lower)).cumsum(d) / 2.0
    step = 1.0 if dx is None and x is None else float(dx if dx is not None else x)
    d, upper, lower, _ = _trapezoid_parts("cumulative_trapezoid", y, None, dim)
    return ((upper + lower) * (step / 2.0)).cumsum(d)
