"""Shape operations (形状变换): view, reshape, transpose, permute, squeeze, expand ...

Most of these are *views* (视图): the result shares memory with the input, so
writing into one changes the other.  Their backward only moves the gradient
back into the input's shape (no arithmetic).
"""
from .. import _errors
from .._shape import infer_shape, normalize_shape, view_strides, contiguous_strides
from ..autograd.function import Op

__all__ = ["cat", "concat", "stack", "narrow", "reshape", "transpose", "swapaxes", "t", "permute", "unsqueeze", "squeeze", "unbind",
           "broadcast_to", "flatten"]
TENSOR_METHODS = ["narrow", "new_zeros", "new_ones", "new_tensor", "new_full", "view", "reshape", "view_as", "reshape_as", "transpose", "swapaxes", "t", "permute",
                  "unsqueeze", "squeeze", "expand", "expand_as", "unbind", "broadcast_to", "flatten"]


class View(Op):
    """y = x seen with another shape (same memory, same order).  dx = dy reshaped back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, shape=()):
        ctx.shape = x.shape
        return ctx.xp.reshape(x, shape, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


def view(self, *shape):
    """Same data, new shape.  Needs a compatible memory layout, else use ``reshape``."""
    from .. import _dtype
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        raise NotImplementedError("view(dtype) is not supported by learntorch")
    shape = infer_shape(normalize_shape(shape), self.numel())
    if view_strides(tuple(self.shape), self.stride(), shape) is None:
        _errors.fail("view_noncontig")
    return View.apply(self, shape=shape)


def reshape(input, *shape):
    """Same data, new shape: a view when the layout allows, otherwise a copy."""
    shape = infer_shape(normalize_shape(shape), input.numel())
    if shape == tuple(input.shape):
        return View.apply(input, shape=shape)
    if view_strides(tuple(input.shape), input.stride(), shape) is None:
        input = input.contiguous()
    return View.apply(input, shape=shape)


def view_as(self, other):
    return view(self, other.shape)


def reshape_as(self, other):
    return reshape(self, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim`` .. ``end_dim`` into one."""
    if input.ndim == 0:
        return reshape(input, 1)
    s = _errors.check_dim(start_dim, input.ndim)
    e = _errors.check_dim(end_dim, input.ndim)
    if s > e:
        _errors.fail("flatten_dims")
    if s == e:
        return input
    shape = input.shape
    return reshape(input, tuple(shape[:s]) + (-1,) + tuple(shape[e + 1:]))


class Permute(Op):
    """y = x with its dims reordered (a view).  dx = dy with the inverse order."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dims=()):
        ctx.dims = dims
        return ctx.xp.permute_dims(x, dims)

    @staticmethod
    def backward(ctx, grad):
        inverse = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inverse[d] = i
        return grad.permute(inverse)


class Transpose(Permute):
    pass


class T(Permute):
    pass


def permute(input, *dims):
    dims = normalize_shape(dims)
    if len(dims) != input.ndim:
        _errors.fail("permute_len", ndim=input.ndim, n=len(dims))
    dims = tuple(_errors.check_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        _errors.fail("permute_dup")
    return Permute.apply(input, dims=dims)


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view)."""
    n = input.ndim
    d0, d1 = _errors.check_dim(dim0, n), _errors.check_dim(dim1, n)
    if n < 2:
        return View.apply(input, shape=tuple(input.shape))
    dims = list(range(n))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return Transpose.apply(input, dims=tuple(dims))


swapaxes = transpose


def t(input):
    """Transpose of a matrix (0-D and 1-D tensors come back as they are)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim < 2:
        return View.apply(input, shape=tuple(input.shape))
    return T.apply(input, dims=(1, 0))


class Unsqueeze(Op):
    """y = x with a new dim of size 1 at ``dim``.  dx = dy without it."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0):
        ctx.dim = dim
        return ctx.xp.expand_dims(x, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim)


def unsqueeze(input, dim):
    d = _errors.check_dim(dim, input.ndim + 1)
    return Unsqueeze.apply(input, dim=d)


class Squeeze(Op):
    """y = x without size-1 dims.  dx = dy reshaped back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dims=()):
        ctx.shape = x.shape
        return ctx.xp.squeeze(x, axis=dims) if dims else x[...]

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


def squeeze(input, dim=None):
    """Drop dims of size 1 (all of them, or only ``dim`` if it has size 1)."""
    if dim is None:
        dims = tuple(i for i, s in enumerate(input.shape) if s == 1)
        op_name = "SqueezeBackward0"
    else:
        ds = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(d for d in (_errors.check_dim(d, input.ndim) for d in ds) if input.ndim and input.shape[d] == 1)
        op_name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    out = Squeeze.apply(input, dims=dims)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = op_name
    return out


class Expand(Op):
    """y = x broadcast to a bigger shape (a view: no copy).  dx = dy summed over the copies."""
    is_view = True

    @staticmethod
    def forward(ctx, x, shape=()):
        ctx.shape = x.shape
        return ctx.xp.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape)


def expand(self, *sizes):
    """Repeat size-1 dims (and add leading dims) without copying; -1 keeps a size."""
    sizes = normalize_shape(sizes)
    n, nd = len(sizes), self.ndim
    if n < nd:
        from .. import _dtype
        _errors.fail("expand_ndim", type="torch." + _dtype.TYPE_NAMES[self.dtype],
                     sizes=", ".join(map(str, self.shape)), target=list(sizes), n=n, ndim=nd)
    shape = []
    for i, s in enumerate(sizes):
        j = i - (n - nd)
        old = self.shape[j] if j >= 0 else 1
        if s == -1:
            if j < 0:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}")
            s = old
        elif old != 1 and old != s:
            _errors.fail("expand", new=s, old=old, dim=i, target=_errors.shape_str(sizes),
                         sizes=_errors.shape_str(self.shape))
        shape.append(s)
    return Expand.apply(self, shape=tuple(shape))


def expand_as(self, other):
    return expand(self, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


class Unbind(Op):
    """(y_0, y_1, ...) = the slices of x along ``dim``.  dx = the dy_i stacked back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0):
        ctx.dim = dim
        ctx.shape = x.shape
        index = [slice(None)] * x.ndim
        out = []
        for i in range(x.shape[dim]):
            index[dim] = i
            out.append(x[tuple(index)])
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):  # missing grads arrive as zeros (materialize_grads)
        return stack(grads, ctx.dim)


def unbind(input, dim=0):
    """The slices of ``input`` along ``dim``, as a tuple of views."""
    d = _errors.check_dim(dim, input.ndim)
    out = Unbind.apply(input, dim=d)
    return out if isinstance(out, tuple) else (out,)


class Cat(Op):
    """y = the inputs joined along ``dim``.  Each input's grad is its slice of dy."""

    @staticmethod
    def forward(ctx, *xs, dim=0):
        ctx.dim = dim
        ctx.sizes = [x.shape[dim] for x in xs]
        return ctx.xp.concat(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        out, start = [], 0
        for n in ctx.sizes:
            out.append(grad.narrow(ctx.dim, start, n))
            start += n
        return tuple(out)


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dimension; all other sizes must match."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("cat_empty")
    ref = tensors[0]
    d = _errors.check_dim(dim, ref.ndim)
    for i, x in enumerate(tensors[1:], 1):
        if x.ndim != ref.ndim:
            _errors.fail("cat_ndim", a=ref.ndim, b=x.ndim)
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                _errors.fail("cat_sizes", dim=d, want=ref.shape[k], got=x.shape[k], i=i)
    from .. import _dtype
    dt = _dtype.result_type_of(tensors)
    tensors = [x if x.dtype is dt else x.to(dt) for x in tensors]
    return Cat.apply(*tensors, dim=d)


concat = cat


class Stack(Op):
    """y = the inputs stacked along a new dimension ``dim``.  Each input's grad is dy's slice."""

    @staticmethod
    def forward(ctx, *xs, dim=0):
        ctx.dim = dim
        return ctx.xp.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.unbind(ctx.dim)


def stack(tensors, dim=0, *, out=None):
    """Join same-shaped tensors along a new dimension."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("stack_empty")
    ref = tensors[0]
    for i, x in enumerate(tensors[1:], 1):
        if x.shape != ref.shape:
            _errors.fail("stack_sizes", a=list(ref.shape), b=list(x.shape), i=i)
    d = _errors.check_dim(dim, ref.ndim + 1)
    from .. import _dtype
    dt = _dtype.result_type_of(tensors)
    tensors = [x if x.dtype is dt else x.to(dt) for x in tensors]
    return Stack.apply(*tensors, dim=d)


class Narrow(Op):
    """y = x[..., start:start+length, ...] along ``dim`` (a view).  dx = dy padded with zeros."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0, start=0, length=0):
        ctx.dim, ctx.start, ctx.shape = dim, start, x.shape
        index = [slice(None)] * x.ndim
        index[dim] = slice(start, start + length)
        return x[tuple(index)]

    @staticmethod
    def backward(ctx, grad):
        from .creation_helpers import zeros_like_of
        before = list(ctx.shape)
        before[ctx.dim] = ctx.start
        after = list(ctx.shape)
        after[ctx.dim] = ctx.shape[ctx.dim] - ctx.start - grad.shape[ctx.dim]
        parts = [grad.new_zeros(before), grad, grad.new_zeros(after)]
        return cat([p for p in parts if p.shape[ctx.dim]], ctx.dim)


def narrow(input, dim, start, length):
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d]
    if start < 0:
        start += size
    if start + length > size:
        _errors.fail("narrow", start=start, length=length, size=size)
    return Narrow.apply(input, dim=d, start=start, length=length)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    from .._creation import zeros
    return zeros(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    from .._creation import ones
    return ones(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    from .._creation import tensor
    return tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    from .._creation import full
    return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                requires_grad=requires_grad)
