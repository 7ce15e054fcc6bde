"""Copies and conversions: ``to(dtype/device)``, ``clone``, ``copy_``."""
from .._tensor import Tensor
from ..autograd.function import Op
from . import _inplace

__all__ = ["clone"]
TENSOR_METHODS = ["clone", "copy_", "contiguous", "zero_", "fill_"]


class ToCopy(Op):
    """y = x converted to another dtype and/or device.  dx = dy moved back (the engine restores the dtype)."""

    @staticmethod
    def forward(ctx, x, dtype=None, backend=None):
        ctx.src = ctx.backend
        if backend is not ctx.backend:  # across devices: through host memory
            x = backend.from_numpy(ctx.backend.to_numpy(x))
            ctx.out_backend = backend
        return backend.xp.astype(x, backend.dtypes[dtype], copy=True)

    @staticmethod
    def backward(ctx, grad):
        return grad.to("cpu" if ctx.src.name == "cpu" else "cuda")


def to_copy(x, dtype, backend):
    return ToCopy.apply(x, dtype=dtype, backend=backend)


class Clone(Op):
    """y = a copy of x with its own memory.  dx = dy."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.asarray(x, copy=True)

    @staticmethod
    def backward(ctx, grad):
        return grad


def clone(input, *, memory_format=None):
    return Clone.apply(input)


class ContiguousClone(Clone):
    """y = a copy of x laid out row by row (``clone`` keeps x's layout, as PyTorch's does).  dx = dy."""
    grad_fn_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp  # flattening copies in row-major order; the extra copy covers 1-D strided views
        return xp.reshape(xp.asarray(xp.reshape(x, (-1,)), copy=True), x.shape)


def contiguous(self, memory_format=None):
    """``self`` if its elements are already laid out row by row in memory, else a contiguous copy."""
    if self.is_contiguous():
        return self
    return ContiguousClone.apply(self)


def copy_(self, src, non_blocking=False):
    """Copy ``src``'s values into ``self`` (broadcasting ``src``; any dtype or device)."""
    _inplace.check_inplace_allowed(self)
    from .shape import expand
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    if src.device != self.device or src.dtype is not self.dtype:
        src = ToCopy.apply(src, dtype=self.dtype, backend=self._backend)
    if src.shape != self.shape:
        from .._shape import broadcast_shapes
        broadcast_shapes(tuple(self.shape), tuple(src.shape))  # PyTorch's "size of tensor a ..." error
        src = expand(src, self.shape)
    result = Clone.apply(src) if src._requires_grad else src
    self._data[...] = result._data
    self._vc[0] += 1
    if result._requires_grad:
        self.grad_fn = result.grad_fn
        self._output_nr = result._output_nr
        self._requires_grad = True
    return self


class Fill(Op):
    """y = a tensor like x filled with ``value``.  dx = 0 (the old values no longer matter)."""

    @staticmethod
    def forward(ctx, x, value=0):
        return ctx.xp.full(x.shape, value, dtype=x.dtype, device=ctx.backend.device)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


def fill_(self, value):
    """Set every element to ``value`` (in place)."""
    if isinstance(value, Tensor):
        value = value.item()
    _inplace.check_inplace_allowed(self)
    return _inplace.write_inplace(self, Fill.apply(self, value=value))


def zero_(self):
    """Set every element to 0 (in place): ``w.grad.zero_()``."""
    return fill_(self, 0)
