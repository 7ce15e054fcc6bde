"""Indexing (索引): ``x[i]``, ``x[1:3]``, ``x[:, None]``, ``x[mask]``, ``x[idx] = v``.

Basic indexing (ints, slices, None, ...) gives a view; indexing with integer or
boolean tensors gives a copy.  Backward puts the gradient back where the
selected elements came from (adding up repeats), zeros elsewhere.
"""
from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd.function import Op
from . import _inplace

__all__ = []
TENSOR_METHODS = []


def _normalize_key(x, key):
    """Check a key against ``x``'s shape with PyTorch's errors; turn tensors into backend arrays.

    Returns (key for the backend, is_basic).  Bool masks are turned into integer indices
    by the backend's ``nonzero`` only where needed (the Array API allows a single mask).
    """
    if not isinstance(key, tuple):
        key = (key,)
    ndim = x.ndim
    n_consumed = 0
    for k in key:
        if k is None or k is Ellipsis:
            continue
        if isinstance(k, Tensor) and k.dtype in (_dtype.bool, _dtype.uint8):
            n_consumed += k.ndim
        else:
            n_consumed += 1
    if n_consumed > ndim:
        _errors.fail("too_many_indices", ndim=ndim)
    out = []
    basic = True
    dim = 0
    for pos, k in enumerate(key):
        if k is None:
            out.append(None)
            continue
        if k is Ellipsis:
            out.append(Ellipsis)
            dim += ndim - n_consumed
            continue
        if isinstance(k, bool):
            raise IndexError("learntorch does not support indexing with a Python bool")
        if isinstance(k, int) or (hasattr(k, "__index__") and not isinstance(k, (Tensor, list, tuple))):
            k = int(k)
            size = x.shape[dim]
            if not -size <= k < size:
                _errors.fail("index_oob", index=k, dim=dim, size=size)
            out.append(k)
            dim += 1
            continue
        if isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
            dim += 1
            continue
        if isinstance(k, (list, tuple)):
            from .._creation import tensor
            k = tensor(k, device=x.device)
        if isinstance(k, Tensor):
            basic = False
            if k.device != x.device:
                _errors.fail("devices", a=x.device, b=k.device)
            if k.dtype in (_dtype.bool, _dtype.uint8):
                want = tuple(x.shape[dim:dim + k.ndim])
                for i, (ms, s) in enumerate(zip(k.shape, want)):
                    if ms != s:
                        _errors.fail("mask_shape", mask=list(k.shape), i=dim + i, shape=list(x.shape))
                out.append(k._data if k.dtype is _dtype.bool else k._backend.xp.astype(k._data, k._backend.dtypes[_dtype.bool]))
                dim += k.ndim
                continue
            if k.dtype.is_floating_point:
                _errors.fail("index_dtype")
            size = x.shape[dim]
            if k.numel():
                lo, hi = int(k.min().item()), int(k.max().item())
                bad = hi if hi >= size else lo if lo < -size else None
                if bad is not None:
                    _errors.fail("index_oob", index=bad, dim=dim, size=size)
            out.append(k._data)
            dim += 1
            continue
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                         "valid indices (got " + type(k).__name__ + ")")
    return tuple(out), basic


class Index(Op):
    """y = x[key].   dx = zeros with dy added back at the selected places."""

    @staticmethod
    def forward(ctx, x, key=(), basic=True):
        ctx.key, ctx.shape, ctx.basic = key, x.shape, basic
        return x[key]

    @staticmethod
    def backward(ctx, grad):
        from .creation_helpers import zeros_like_of
        b = ctx.backend
        zeros = Tensor._make(b.xp.zeros(ctx.shape, dtype=b.dtypes[grad.dtype], device=b.device), grad.dtype, b)
        return IndexPut.apply(zeros, grad, key=ctx.key, accumulate=True)


class BasicIndex(Index):
    is_view = True


class IndexPut(Op):
    """y = x with y[key] = v (or += v with accumulate).   dx = dy with zeros at key;  dv = dy[key]."""

    @staticmethod
    def forward(ctx, x, v, key=(), accumulate=False):
        ctx.key = key
        out = ctx.xp.asarray(x, copy=True)
        if accumulate:
            ctx.backend.scatter_add(out, key, ctx.xp.broadcast_to(v, out[key].shape) if hasattr(out[key], "shape") else v)
        else:
            out[key] = v
        ctx.accumulate = accumulate
        return out

    @staticmethod
    def backward(ctx, grad):
        gx = grad
        if not ctx.accumulate and ctx.needs_input_grad[0]:
            b = ctx.backend
            zero = Tensor._make(b.xp.zeros((), dtype=b.dtypes[grad.dtype], device=b.device), grad.dtype, b)
            gx = IndexPut.apply(grad, zero, key=ctx.key, accumulate=False)
        gv = Index.apply(grad, key=ctx.key, basic=False) if ctx.needs_input_grad[1] else None
        return gx, gv


def getitem(self, key):
    k, basic = _normalize_key(self, key)
    op = BasicIndex if basic else Index
    out = op.apply(self, key=k, basic=basic)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = _index_name(key, basic)
    return out


def _index_name(key, basic):
    if not basic:
        return "IndexBackward0"
    if isinstance(key, int):
        return "SelectBackward0"
    if isinstance(key, slice):
        return "SliceBackward0"
    if key is None:
        return "UnsqueezeBackward0"
    return "SliceBackward0" if any(isinstance(k, slice) for k in key) else "SelectBackward0"


def setitem(self, key, value):
    """``self[key] = value``: an in-place write (value broadcast to the selected shape)."""
    _inplace.check_inplace_allowed(self)
    k, basic = _normalize_key(self, key)
    if not isinstance(value, Tensor):
        from .creation_helpers import scalar_like
        value = scalar_like(value, self.dtype, self)
    elif value.dtype is not self.dtype:
        value = value.to(self.dtype)
    target_shape = tuple(self._data[k].shape)
    if tuple(value.shape) != target_shape:
        try:
            from .._shape import broadcast_shapes
            if broadcast_shapes(tuple(value.shape), target_shape) != target_shape:
                raise RuntimeError
        except RuntimeError:
            _errors.fail("expand", new=target_shape[-1] if target_shape else 1,
                         old=value.shape[-1] if value.ndim else 1, dim=len(target_shape) - 1,
                         target=_errors.shape_str(target_shape), sizes=_errors.shape_str(value.shape))
    if self._requires_grad or value._requires_grad:
        from ..autograd import grad_mode
        if grad_mode.state.enabled:
            result = IndexPut.apply(self, value, key=k, accumulate=False)
            result.grad_fn.grad_fn_name = "CopySlices" if basic else "IndexPutBackward0"
            self._data[...] = result._data
            self._vc[0] += 1
            self.grad_fn = result.grad_fn
            self._output_nr = 0
            self._requires_grad = True
            return
    self._data[k] = value._data
    self._vc[0] += 1


DUNDERS = {"__getitem__": getitem, "__setitem__": setitem}
