"""Shape operations (形状变换): view, reshape, transpose, permute, squeeze, expand, cat, split,
roll, rot90, meshgrid, tensor_split ..., and strided views (跨步视图): as_strided, unfold.

Most of these are *views* (视图): the result shares memory with the input, so
writing into one changes the other, and both share one version counter.  A
view's backward only moves the gradient back into the input's shape: no
arithmetic happens.

Every view made here remembers how it was made from its base tensor (its
"view chain": the ops and their arguments, in order).  ``x[idx] = v`` on a
view uses the chain to find which elements of the base it writes to, so the
base's gradient stays correct (PyTorch's ``CopySlices``; see ``indexing.py``).

``stride()`` and ``is_contiguous()`` come from the backend array, whose view
functions lay out memory as PyTorch does (checked against torch in
``tests/test_views.py``).
"""
import warnings
import weakref

from .. import _dtype, _errors
from .._shape import axis_key, infer_shape, normalize_shape, view_strides
from .. import _shape
from ..autograd import grad_mode
from ..autograd import function as _function
from ..autograd.function import Node, Op, _link

__all__ = ["cat", "concat", "concatenate", "stack", "narrow", "reshape", "transpose", "swapaxes", "swapdims",
           "t", "permute", "unsqueeze", "squeeze", "unbind", "broadcast_to", "broadcast_tensors",
           "broadcast_shapes", "flatten", "unflatten", "split", "chunk", "flip", "movedim", "moveaxis",
           "select", "hstack", "vstack",
           "roll", "tile", "repeat_interleave", "rot90", "fliplr", "flipud", "meshgrid", "atleast_1d", "atleast_2d",
           "atleast_3d", "column_stack", "row_stack", "dstack", "cartesian_prod", "combinations", "tensor_split",
           "hsplit", "vsplit", "dsplit", "as_strided"]
TENSOR_METHODS = ["narrow", "new_zeros", "new_ones", "new_tensor", "new_full", "view", "reshape", "view_as",
                  "reshape_as", "transpose", "swapaxes", "swapdims", "t", "permute", "unsqueeze", "squeeze",
                  "expand", "expand_as", "repeat", "unbind", "broadcast_to", "flatten", "unflatten", "split",
                  "chunk", "flip", "movedim", "moveaxis", "select", "T", "mT",
                  "roll", "tile", "repeat_interleave", "rot90", "fliplr", "flipud", "tensor_split", "hsplit", "vsplit",
                  "dsplit", "as_strided", "storage_offset", "unfold"]


# --- how a view remembers where it came from -----------------------------------------

class _Replay:
    """Stands in for ``ctx`` when a view op's ``forward`` is re-run on plain arrays."""

    def __init__(self, backend):
        self.backend, self.xp = backend, backend.xp


def view_op(op, x, name=None, **kw):
    """Apply view op ``op`` to ``x`` and record the step in the result's view chain."""
    out = op.apply(x, **kw)
    if name is not None and out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    record_view(x, out, (op, kw, name))
    return out


def record_view(x, out, entry):
    parent = () if x._base is None else x.__dict__.get("_view_chain")  # None: made elsewhere, unknown
    out.__dict__["_view_chain"] = chain = None if parent is None or entry is None else parent + (entry,)
    if chain is not None and out._requires_grad:
        # the base keeps a weak list of its views that are in the graph, to re-make them after a write
        views = out._base.__dict__.get("_views")
        if views is None:
            views = out._base.__dict__["_views"] = weakref.WeakSet()
        views.add(out)
    if x.__dict__.get("_multi_view") or entry is None:
        out.__dict__["_multi_view"] = True  # split/unbind outputs cannot be written to while recording
    if x.__dict__.get("_expanded") or (entry is not None and entry[0] is Expand and _broadcasts(x, out)):
        out.__dict__["_expanded"] = True    # several elements share one memory location


def _broadcasts(x, out):
    """Did an expand repeat anything?  ``x.expand(1, 2, 3)`` of a (2, 3) ``x`` does not: it can be written to."""
    new = out.ndim - x.ndim
    return any(out.shape[i] != (x.shape[i - new] if i >= new else 1) for i in range(out.ndim))


def region_positions(backend, shape, chain):
    """Where (flat, row-major) in a base of ``shape`` each element of the view ``chain`` lives.

    The chain's ops are replayed on the numbers 0, 1, 2, ... laid out in the
    base's shape: what comes out are the positions."""
    xp = backend.xp
    n = 1
    for s in shape:
        n *= s
    a = xp.reshape(xp.arange(n, dtype=backend.dtypes[_dtype.int64], device=backend.device), tuple(shape))
    ctx = _Replay(backend)
    for op, kw, _ in chain:
        a = op.forward(ctx, a, **kw)
    return a


def refresh_views(base, skip=None):
    """``base`` got a new history from an in-place write: re-make its live views from it, so a
    gradient through a view reaches the new history (PyTorch does this lazily; learntorch at once)."""
    views = base.__dict__.get("_views")
    if not views or not base._requires_grad:
        return
    for w in list(views):
        if w is skip or w._base is not base or w.__dict__.get("_view_chain") is None:
            continue
        again = replay(base, w.__dict__["_view_chain"])
        if again.grad_fn is not None:
            again.grad_fn.grad_fn_name = "AsStridedBackward0"
        w.grad_fn, w._output_nr, w._requires_grad = again.grad_fn, again._output_nr, True


def replay(t, chain):
    """Re-make the view ``chain`` on tensor ``t`` (recording graph nodes)."""
    for op, kw, name in chain:
        t = op.apply(t, **kw)
        if name is not None and t.grad_fn is not None:
            t.grad_fn.grad_fn_name = name
    return t


# --- view / reshape ---------------------------------------------------------------------

class View(Op):
    """y = x seen with another shape (same memory, same row-major order).   dx = dy reshaped back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, shape=()):
        ctx.shape = x.shape
        return ctx.xp.reshape(x, shape)

    @staticmethod
    def backward(ctx, grad):
        if not grad_mode.state.enabled:  # plain backward (no graph to record): reshape the array
            return ctx.tensor(ctx.xp.reshape(grad._data, ctx.shape))
        return grad.reshape(ctx.shape)


class UnsafeView(View):
    """``reshape`` of a fresh contiguous copy: the result is not a view of the input."""
    is_view = False


class Alias(Op):
    """y = x (a new tensor on the same memory, e.g. ``x[...]``).   dx = dy."""
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return x[...]

    @staticmethod
    def backward(ctx, grad):
        return grad


def view(self, *shape):
    """Same data, new shape (no copy).  Needs a compatible memory layout, else use ``reshape``."""
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        raise NotImplementedError("view(dtype) is not supported by learntorch")
    shape = infer_shape(normalize_shape(shape), self.numel())
    if view_strides(tuple(self.shape), self.stride(), shape) is None:
        _errors.fail("view_noncontig")
    return view_op(View, self, shape=shape)


def reshape(input, *shape):
    """Same data, new shape: a view when the memory layout allows it, otherwise a copy."""
    shape = infer_shape(normalize_shape(shape), input.numel())
    if view_strides(tuple(input.shape), input.stride(), shape) is not None:
        return view_op(View, input, shape=shape)
    return UnsafeView.apply(input.contiguous(), shape=shape)


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


def unflatten(input, dim, sizes):
    """Split dimension ``dim`` into ``sizes`` (one of them may be -1)."""
    if input.ndim == 0:
        _errors.fail("no_dims", dim=dim)
    d = _errors.check_dim(dim, input.ndim)
    sizes = tuple(int(s) for s in sizes)
    size = input.shape[d]
    known = 1
    for s in sizes:
        known *= s if s != -1 else 1
    if sizes.count(-1) > 1:
        _errors.fail("infer_two")
    if (-1 in sizes and (known == 0 or size % known)) or (-1 not in sizes and known != size):
        _errors.fail("unflatten_sizes", sizes=_errors.shape_str(sizes), dim=d, size=size)
    sizes = tuple(size // known if s == -1 else s for s in sizes)
    return view_op(View, input, shape=tuple(input.shape[:d]) + sizes + tuple(input.shape[d + 1:]))


# --- reordering dimensions ----------------------------------------------------------------

class Permute(Op):
    """y = x with its dims reordered (a view: only the strides change).   dx = dy with the inverse order."""
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
        if not grad_mode.state.enabled:  # plain backward: no graph to record, so no view bookkeeping
            return ctx.tensor(ctx.xp.permute_dims(grad._data, tuple(inverse)))
        return grad.permute(inverse)


class Transpose(Permute):
    """y = x with two dims swapped (a view).   dx = dy with them swapped back."""


class TOp(Permute):
    """y = the transpose of a matrix (a view).   dx = dy transposed."""
    grad_fn_name = "TBackward0"

    @classmethod
    def of_matrix(cls, x):
        """``x.t()`` of a 2-D tensor, as ``nn.Linear`` uses its weight: what ``apply`` gives (a view
        whose grad_fn is ``TBackward0``), made directly, as it runs twice per layer and step."""
        out = _function.Tensor._make(x._data.mT, x.dtype, x._backend)
        out._base = x if x._base is None else x._base
        out._vc = x._vc
        if x._requires_grad and grad_mode.state.enabled:
            ctx = Node(cls, x._backend)
            ctx.dims = (1, 0)
            ctx.needs_input_grad = (True,)
            _link(cls, ctx, (x,), (out,), positions=(0,))
        return out

    @staticmethod
    def backward(ctx, grad):  # reversing the dims is its own inverse
        if not grad_mode.state.enabled:
            g = grad._data
            return ctx.tensor(g.mT) if g.ndim == 2 else grad
        return grad.permute(ctx.dims)


def permute(input, *dims):
    """Reorder the dims: ``y.shape[i] == x.shape[dims[i]]`` (a view)."""
    dims = normalize_shape(dims)
    if len(dims) != input.ndim:
        _errors.fail("permute_len", ndim=input.ndim, n=len(dims))
    dims = tuple(_errors.check_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        _errors.fail("permute_dup")
    return view_op(Permute, input, dims=dims)


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view)."""
    n = input.ndim
    d0, d1 = _errors.check_dim(dim0, n), _errors.check_dim(dim1, n)
    dims = list(range(n))
    if n:
        dims[d0], dims[d1] = dims[d1], dims[d0]
    return view_op(Transpose, input, dims=tuple(dims))


swapaxes = swapdims = transpose


def t(input):
    """Transpose of a matrix (0-D and 1-D tensors come back as they are)."""
    if input.ndim > 2:
        _errors.fail("t_dims", n=input.ndim)
    return view_op(TOp, input, dims=tuple(reversed(range(input.ndim))))


def _T(self):
    """All dims reversed (for a matrix: its transpose)."""
    if self.ndim == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=2)
    elif self.ndim != 2:
        warnings.warn(_errors.msg("T_deprecated"), UserWarning, stacklevel=2)
    return view_op(Permute, self, dims=tuple(reversed(range(self.ndim))))


def _mT(self):
    """The last two dims swapped (a batch of transposed matrices)."""
    if self.ndim < 2:
        _errors.fail("mT_dims", n=self.ndim)
    return transpose(self, -2, -1)


T = property(_T)
mT = property(_mT)


def movedim(input, source, destination):
    """Move dims ``source`` to positions ``destination``; the others keep their order (a view)."""
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        _errors.fail("movedim_len", src=list(src), dst=list(dst))
    n = input.ndim
    src = tuple(_errors.check_dim(d, n) for d in src)
    dst = tuple(_errors.check_dim(d, n) for d in dst)
    for which, ds, given in (("source", src, source), ("destination", dst, destination)):
        if len(set(ds)) != len(ds):
            _errors.fail("movedim_repeat", which=which, dims=list(given))
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(n) if d not in src)
    order = tuple(o if o is not None else next(rest) for o in order)
    return view_op(Permute, input, dims=order)


moveaxis = movedim


# --- adding and removing size-1 dims ----------------------------------------------------------

class Unsqueeze(Op):
    """y = x with a new dim of size 1 at ``dim`` (a view).   dx = dy without it."""
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
    return view_op(Unsqueeze, input, dim=d)


class Squeeze(Op):
    """y = x without some size-1 dims (a view).   dx = dy reshaped back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dims=()):
        ctx.shape = x.shape
        return ctx.xp.squeeze(x, axis=dims) if dims else x[...]

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


def squeeze(input, dim=None):
    """Drop dims of size 1 (all of them, or those among ``dim`` that have size 1)."""
    if dim is None:
        dims = tuple(i for i, s in enumerate(input.shape) if s == 1)
        name = "SqueezeBackward0"
    else:
        ds = (dim,) if isinstance(dim, int) else tuple(dim)
        ds = tuple(_errors.check_dim(d, input.ndim) for d in ds)
        if len(set(ds)) != len(ds):
            _errors.fail("dim_twice", dim=next(d for d in ds if ds.count(d) > 1))
        dims = tuple(sorted(d for d in ds if input.ndim and input.shape[d] == 1))
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
    return view_op(Squeeze, input, name, dims=dims)


# --- broadcasting: expand, repeat -----------------------------------------------------------------

def expand_strides(shape, strides, target):
    """PyTorch's strides for ``x`` (``shape``, ``strides``) expanded to ``target``: a repeated dim
    gets stride 0, a kept dim keeps its stride, and a new leading dim of size 1 gets the stride
    that steps over everything after it (size * stride of the next dim): (2, 3) -> (1, 2, 3)
    has strides (6, 3, 1).  Expanding a 0-D tensor gives all strides 0."""
    if not shape:
        return (0,) * len(target)
    out = [0] * len(target)
    new = len(target) - len(shape)
    for i in reversed(range(len(target))):
        size, step = (shape[i - new], strides[i - new]) if i >= new else (1, target[i + 1] * out[i + 1])
        out[i] = step if size == target[i] else 0
    return tuple(out)


class Expand(Op):
    """y = x broadcast to a bigger shape (a view: no copy, stride 0).   dx = dy summed over the copies."""
    is_view = True

    @staticmethod
    def forward(ctx, x, shape=()):
        ctx.shape = x.shape
        strides = expand_strides(tuple(x.shape), ctx.backend.strides(x), shape)
        return ctx.backend.as_strided(x, shape, strides)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.shape)


def expand(self, *sizes):
    """Repeat size-1 dims (and add leading dims) without copying; -1 keeps a size."""
    sizes = normalize_shape(sizes)
    n, nd = len(sizes), self.ndim
    if n < nd:
        _errors.fail("expand_ndim", type="torch." + _dtype.TYPE_NAMES[self.dtype],
                     sizes=_errors.shape_str(self.shape), target=list(sizes), n=n, ndim=nd)
    shape = []
    for i, s in enumerate(sizes):
        j = i - (n - nd)
        old = self.shape[j] if j >= 0 else 1
        if s == -1:
            if j < 0:
                _errors.fail("expand_lead", size=s, dim=i)
            s = old
        elif old != 1 and old != s:
            _errors.fail("expand", new=s, old=old, dim=i, target=_errors.shape_str(sizes),
                         sizes=_errors.shape_str(self.shape))
        elif s < 0:
            _errors.fail("negative_dim_create", size=s, shape=_errors.shape_str(sizes))
        shape.append(s)
    return view_op(Expand, self, shape=tuple(shape))


def expand_as(self, other):
    return expand(self, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def broadcast_tensors(*tensors):
    """Expand all tensors to their common broadcast shape (广播)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _shape.broadcast_shapes(*(tuple(t.shape) for t in tensors))
    return tuple(t if tuple(t.shape) == shape else expand(t, shape) for t in tensors)


class Repeat(Op):
    """y = x tiled ``repeats`` times along each dim (a copy).   dx = dy summed over the tiles."""

    @staticmethod
    def forward(ctx, x, repeats=()):
        ctx.shape = x.shape
        ctx.padded = (1,) * (len(repeats) - x.ndim) + tuple(x.shape)
        ctx.repeats = repeats
        return ctx.xp.tile(ctx.xp.reshape(x, ctx.padded), repeats)

    @staticmethod
    def backward(ctx, grad):
        # (r0*s0, r1*s1, ...) -> (r0, s0, r1, s1, ...): then sum over the r axes
        split = []
        for r, s in zip(ctx.repeats, ctx.padded):
            split += [r, s]
        g = grad.reshape(split).sum(dim=tuple(range(0, len(split), 2)))
        return g.reshape(ctx.shape)


def repeat(self, *sizes):
    """Tile ``self``: ``repeat(2, 3)`` copies it twice along dim 0 and three times along dim 1."""
    reps = normalize_shape(sizes)
    if len(reps) < self.ndim:
        _errors.fail("repeat_dims")
    padded = (1,) * (len(reps) - self.ndim) + tuple(self.shape)
    target = [s * r for s, r in zip(padded, reps)]
    for r, s in zip(reps, target):
        if r < 0:
            _errors.fail("negative_dim_create", size=s, shape=_errors.shape_str(target))
    return Repeat.apply(self, repeats=reps)


# --- strided views (跨步视图): storage_offset, as_strided, unfold -----------------------------------
#
# A tensor is a window on a block of memory (its storage, 存储): element [i0, i1, ...] lies at
# storage_offset + i0 * stride[0] + i1 * stride[1] + ... .  learntorch's storage is the memory of
# the base tensor (a tensor that is not a view owns its own).

def _reach(shape, strides):
    """The last memory place (in elements, after the first element) that a tensor of ``shape`` and
    ``strides`` touches; -1 when it is empty."""
    if 0 in shape:
        return -1
    return sum((n - 1) * s for n, s in zip(shape, strides))


def _storage(t):
    """``(storage_offset, storage size)`` of ``t``, in elements."""
    root = t._base if t._base is not None else t
    offset = (t.data_ptr() - root.data_ptr()) // t.element_size()
    return offset, _reach(tuple(root.shape), root.stride()) + 1


def storage_offset(self):
    """Where ``self``'s first element lies in its storage (counted in elements): ``x[1:]`` starts 1 later."""
    return _storage(self)[0]


def memory_positions(backend, shape, strides, offset=0):
    """An int64 array of ``shape``: where (in elements) each element of such a strided tensor lies."""
    xp, i64 = backend.xp, backend.dtypes[_dtype.int64]
    pos = xp.full(tuple(shape), offset, dtype=i64, device=backend.device)
    for k, (n, s) in enumerate(zip(shape, strides)):
        where = [1] * len(shape)
        where[k] = n
        pos = pos + xp.reshape(xp.arange(n, dtype=i64, device=backend.device) * s, tuple(where))
    return pos


def _overlaps(shape, strides):
    """True when two elements may share a memory place (checked dim by dim, smallest stride first)."""
    reach = 0
    for n, s in sorted(((n, s) for n, s in zip(shape, strides) if n > 1), key=lambda d: d[1]):
        if s <= reach:
            return True
        reach += (n - 1) * s
    return False


class AsStrided(Op):
    """y[i0, i1, ...] = memory[offset + i0 * strides[0] + i1 * strides[1] + ...] (a view of x's memory).
    dx = dy added up in memory, read back at x's places (shared among x's elements on the same place)."""
    is_view = True

    @staticmethod
    def forward(ctx, x, shape=(), strides=(), offset=0):
        ctx.geometry = (tuple(x.shape), ctx.backend.strides(x), shape, strides, offset)
        return ctx.backend.as_strided(x, shape, strides, offset)

    @staticmethod
    def backward(ctx, grad):
        from .indexing import AddAt, Take, _zeros
        x_shape, x_strides, shape, strides, offset = ctx.geometry
        b = ctx.backend
        lo = min(0, offset)                    # memory places relative to the lowest one touched
        size = max(_reach(x_shape, x_strides), offset + _reach(shape, strides)) - lo + 1
        memory = AddAt.apply(_zeros(b, (size,), grad.dtype), grad, pos=memory_positions(b, shape, strides, offset - lo))
        where = memory_positions(b, x_shape, x_strides, -lo)
        if _overlaps(x_shape, x_strides):      # several elements of x on one place: they share its gradient
            xp = b.xp
            count = xp.zeros((size,), dtype=b.dtypes[grad.dtype], device=b.device)
            ones = xp.ones((where.size,), dtype=count.dtype, device=b.device)
            b.scatter_add(count, (xp.reshape(where, (-1,)),), ones)
            memory = memory / ctx.tensor(xp.where(count > 0, count, xp.ones_like(count)))
        return Take.apply(memory, pos=where)


_MISSING = object()


def _int_tuple(value, name, position, fn="as_strided"):
    from .._tensor import Tensor
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, not "
                        f"{type(value).__name__}")
    for i, v in enumerate(value):
        if isinstance(v, Tensor) and v.ndim == 0 and not v.dtype.is_floating_point:
            continue
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, but found "
                            f"element of type {type(v).__name__} at pos {i}")
    return tuple(int(v) for v in value)


def as_strided(input, size=_MISSING, stride=_MISSING, storage_offset=None):
    """A view of ``input``'s storage with any ``size`` and ``stride`` (in elements), starting at
    ``storage_offset`` (default: where ``input`` starts).  Elements may overlap; prefer ``view``,
    ``expand``, ``unfold``, which cannot go wrong."""
    missing = [f'"{n}"' for n, v in (("size", size), ("stride", stride)) if v is _MISSING]
    if missing:
        raise TypeError(f"as_strided() missing {len(missing)} required positional argument"
                        f"{'s' if len(missing) == 1 else ''}: " + ", ".join(missing))
    size, stride = _int_tuple(size, "size", 1), _int_tuple(stride, "stride", 2)
    if storage_offset is not None and (not isinstance(storage_offset, int) or isinstance(storage_offset, bool)):
        raise TypeError("as_strided(): argument 'storage_offset' (position 3) must be int, not "
                        f"{type(storage_offset).__name__}")
    if len(size) != len(stride):
        _errors.fail("strided_len")
    if any(s < 0 for s in stride):
        _errors.fail("strided_negative", strides=list(stride))
    here, have = _storage(input)
    offset = here if storage_offset is None else storage_offset
    if any(n < 0 for n in size):
        _errors.fail("strided_overflow", sizes=list(size), strides=list(stride))
    if offset < 0:
        _errors.fail("strided_offset", offset=offset)
    need = offset + _reach(size, stride) + 1 if 0 not in size else 0
    if need > have:
        item = input.element_size()
        _errors.fail("strided_bounds", sizes=list(size), strides=list(stride), offset=offset, itemsize=item,
                     need=need * item, have=have * item)
    out = AsStrided.apply(input, shape=size, strides=stride, offset=offset - here)
    # its view chain starts at the base (as_strided ignores how input was made from it)
    root = input._base if input._base is not None else input
    entry = (AsStrided, dict(shape=size, strides=stride, offset=offset), None)
    record_view(root, out, entry)
    steps = _memory_steps(root)
    out.__dict__["_view_chain"] = None if steps is None else steps + (entry,)
    return out


def _memory_steps(root):
    """View steps that turn ``root`` into its memory as one row (so that a chain replayed on a
    row-major ``arange`` finds the same places): none when it is row-major, a permute and a
    flatten when it is a permuted dense block (``rot90``'s result), None when it has gaps or overlaps."""
    if root.is_contiguous():
        return ()
    shape, st = tuple(root.shape), root.stride()
    order = tuple(sorted(range(root.ndim), key=lambda d: -st[d]))
    expected = 1
    for d in reversed(order):
        if shape[d] != 1:
            if st[d] != expected:
                return None
            expected *= shape[d]
    return (Permute, dict(dims=order), None), (View, dict(shape=(root.numel(),)), None)


class Unfold(Op):
    """y[..., w, ..., k] = x[..., w * step + k, ...]: the windows of ``size`` along ``dim`` (a view).
    dx = the windows of dy added back where they came from (overlapping windows add up)."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0, size=1, step=1):
        ctx.shape, ctx.args = tuple(x.shape), (dim, size, step)
        if x.ndim == 0:
            return ctx.backend.as_strided(x, (1,), (1,))
        shape, strides = tuple(x.shape), ctx.backend.strides(x)
        windows = (shape[dim] - size) // step + 1
        return ctx.backend.as_strided(x, shape[:dim] + (windows,) + shape[dim + 1:] + (size,),
                                      strides[:dim] + (strides[dim] * step,) + strides[dim + 1:] + (strides[dim],))

    @staticmethod
    def backward(ctx, grad):
        from .indexing import AddAt, _zeros
        b = ctx.backend
        pos = region_positions(b, ctx.shape, ((Unfold, dict(zip(("dim", "size", "step"), ctx.args)), None),))
        return AddAt.apply(_zeros(b, ctx.shape, grad.dtype), grad, pos=pos)


def unfold(self, dimension, size, step):
    """Sliding windows: every ``size`` consecutive elements along ``dimension``, moving by ``step``,
    as a new last dim (a view: overlapping windows share memory)."""
    d = _errors.check_dim(dimension, self.ndim)
    length = self.shape[d] if self.ndim else 1
    if size > length:
        _errors.fail("unfold_size", dim=d, max=length, size=size)
    if size < 0:
        _errors.fail("unfold_negative", size=size)
    if step <= 0:
        _errors.fail("unfold_step", step=step)
    return view_op(Unfold, self, dim=d, size=int(size), step=int(step))


# --- taking parts: select, slice, narrow, split, chunk, unbind --------------------------------------

class Slice(Op):
    """y = x[key] for ints and slices only (a view).   dx = zeros with dy put back at key."""
    is_view = True

    @staticmethod
    def forward(ctx, x, key=()):
        ctx.shape, ctx.key = x.shape, key
        return x[key]

    @staticmethod
    def backward(ctx, grad):
        return EmbedGrad.apply(grad, shape=ctx.shape, key=ctx.key)


class Select(Slice):
    """y = x[..., i, ...] along one dim (a view, one dim fewer).   dx = zeros with dy put back at i."""


class EmbedGrad(Op):
    """y = zeros(shape) with y[key] = g (the backward of Slice/Select).   dg = dy[key]."""

    @staticmethod
    def forward(ctx, g, shape=(), key=()):
        ctx.key = key
        out = ctx.xp.zeros(shape, dtype=g.dtype, device=ctx.backend.device)
        out[key] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        return Slice.apply(grad, key=ctx.key)


def slice_dim(input, dim, start, stop, step=1):
    """``input[..., start:stop:step, ...]`` along ``dim`` (bounds already clamped): a SliceBackward0 view."""
    return view_op(Slice, input, key=axis_key(dim, slice(start, stop, step)))


def select(input, dim, index):
    """``input[..., index, ...]`` along ``dim`` (a view with one dim fewer)."""
    if input.ndim == 0:
        _errors.fail("no_dims", dim=dim)
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d]
    index = int(index)
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{_errors.shape_str(input.shape)} at dimension {d}")
    return view_op(Select, input, key=axis_key(d, index % size))


def narrow(input, dim, start, length):
    """``length`` elements of dim ``dim`` from ``start`` on (a view)."""
    if input.ndim == 0:
        _errors.fail("narrow_0d")
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d]
    start, length = int(start), int(length)
    if not -size <= start <= size:
        _errors.fail("narrow_start", lo=-size, hi=size, start=start)
    if start < 0:
        start += size
    if length < 0:
        _errors.fail("narrow_length")
    if start + length > size:
        _errors.fail("narrow", start=start, length=length, size=size)
    return slice_dim(input, d, start, start + length)


class Split(Op):
    """(y_0, y_1, ...) = consecutive pieces of x along ``dim`` (views).   dx = the dy_i joined back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0, sizes=()):
        ctx.dim = dim
        out, start = [], 0
        for n in sizes:
            out.append(x[axis_key(dim, slice(start, start + n))])
            start += n
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):  # a missing grad arrives as zeros (materialize_grads)
        return cat(list(grads), ctx.dim)


def _split(input, dim, sizes, name):
    outs = Split.apply(input, dim=dim, sizes=tuple(sizes))
    for o in outs:
        if o.grad_fn is not None:
            o.grad_fn.grad_fn_name = name
        record_view(input, o, None)
    return outs


def split(tensor, split_size_or_sections, dim=0):
    """Cut ``tensor`` along ``dim`` into pieces of ``split_size`` (the last may be smaller),
    or into pieces of the sizes in a list."""
    if tensor.ndim == 0:
        _errors.fail("split_0d")
    d = _errors.check_dim(dim, tensor.ndim)
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        n = split_size_or_sections
        if n < 0:
            _errors.fail("split_negative", n=n)
        if n == 0:
            if size != 0:
                _errors.fail("split_zero", size=size)
            return _split(tensor, d, [0], "SplitBackward0")
        sizes = [n] * (size // n) + ([size % n] if size % n else [])
        return _split(tensor, d, sizes or [0], "SplitBackward0")
    sizes = [int(s) for s in split_size_or_sections]
    if sum(sizes) != size:
        _errors.fail("split_sizes", size=size, dim=d, sizes=_errors.shape_str(sizes))
    return _split(tensor, d, sizes, "SplitWithSizesBackward0")


def chunk(input, chunks, dim=0):
    """Cut ``input`` into ``chunks`` pieces of equal size (the last may be smaller; there may be fewer)."""
    if input.ndim == 0:
        _errors.fail("chunk_0d")
    if chunks <= 0:
        _errors.fail("chunk_zero", n=chunks)
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d]
    return split(input, (size + chunks - 1) // chunks if size else 0, d)


class Unbind(Op):
    """(y_0, y_1, ...) = the slices of x along ``dim`` (views).   dx = the dy_i stacked back."""
    is_view = True

    @staticmethod
    def forward(ctx, x, dim=0):
        ctx.dim = dim
        return tuple(x[axis_key(dim, i)] for i in range(x.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):  # missing grads arrive as zeros (materialize_grads)
        return stack(grads, ctx.dim)


def unbind(input, dim=0):
    """The slices of ``input`` along ``dim``, as a tuple of views."""
    if input.ndim == 0:
        _errors.fail("no_dims", dim=dim)
    d = _errors.check_dim(dim, input.ndim)
    outs = Unbind.apply(input, dim=d)
    outs = outs if isinstance(outs, tuple) else (outs,)
    for o in outs:
        record_view(input, o, None)
    return outs


# --- joining: cat, stack ---------------------------------------------------------------------

class Cat(Op):
    """y = the inputs joined along ``dim``.   Each input's grad is its slice of dy."""

    @staticmethod
    def forward(ctx, *xs, dim=0):
        ctx.dim = dim
        ctx.sizes = [x.shape[dim] for x in xs]
        return ctx.backend.rowmajor(ctx.xp.concat(xs, axis=dim))   # (NumPy keeps transposed inputs' layout)

    @staticmethod
    def backward(ctx, grad):
        out, start = [], 0
        for n in ctx.sizes:
            out.append(grad.narrow(ctx.dim, start, n))
            start += n
        return tuple(out)


def _same_dtype(tensors):
    dt = _dtype.result_type_of(tensors)
    return [x if x.dtype is dt else x.to(dt) for x in tensors]


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dimension; all other sizes must match."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("cat_empty")
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            _errors.fail("cat_0d", i=i)
    # PyTorch still skips 1-D empty tensors (torch.tensor([])) whatever the other shapes are.
    live = [(i, x) for i, x in enumerate(tensors) if not (x.ndim == 1 and x.shape[0] == 0)] or [(0, tensors[0])]
    ref = live[0][1]
    d = _errors.check_dim(dim, ref.ndim)
    for i, x in live[1:]:
        if x.ndim != ref.ndim:
            _errors.fail("cat_ndim", a=ref.ndim, b=x.ndim)
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                _errors.fail("cat_sizes", dim=d, want=ref.shape[k], got=x.shape[k], i=i)
    return Cat.apply(*_same_dtype([x for _, x in live]), dim=d)


concat = concatenate = cat


class Stack(Op):
    """y = the inputs stacked along a new dimension ``dim``.   Each input's grad is its slice of dy."""

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
    d = _errors.check_dim(dim, ref.ndim + 1)
    for i, x in enumerate(tensors[1:], 1):
        if x.shape != ref.shape:
            _errors.fail("stack_sizes", a=list(ref.shape), b=list(x.shape), i=i)
    return Stack.apply(*_same_dtype(tensors), dim=d)


def hstack(tensors, *, out=None):
    """Join along dim 1 (dim 0 for 1-D tensors)."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("tensorlist_empty", fn="hstack")
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors, *, out=None):
    """Join along dim 0, 1-D tensors becoming rows."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("tensorlist_empty", fn="vstack")
    return cat([x.reshape(1, -1) if x.ndim < 2 else x for x in tensors], 0)


# --- flip -----------------------------------------------------------------------------------

class Flip(Op):
    """y = x with the order of elements reversed along ``dims`` (a copy).   dx = dy flipped back."""

    @staticmethod
    def forward(ctx, x, dims=()):
        ctx.dims = dims
        if not dims:
            return ctx.xp.asarray(x, copy=True)
        return ctx.xp.asarray(ctx.xp.flip(x, axis=dims), copy=True)  # a copy, as in PyTorch (not a view)

    @staticmethod
    def backward(ctx, grad):
        return Flip.apply(grad, dims=ctx.dims)


def flip(input, *dims):
    """Reverse the order of elements along the given dims."""
    dims = normalize_shape(dims)
    ds = tuple(_errors.check_dim(d, input.ndim) for d in dims)
    for d in ds:
        if ds.count(d) > 1:
            _errors.fail("dim_twice", dim=d)
    return Flip.apply(input, dims=ds if input.ndim else ())


# --- new tensors like this one --------------------------------------------------------------

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


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to (an int counts as a 1-D shape)."""
    from .._tensor import Size
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    result = []
    for i, shape in enumerate(shapes):
        if len(shape) > len(result):
            result = [1] * (len(shape) - len(result)) + result
        for k in range(1, len(shape) + 1):   # from the right, as broadcasting aligns shapes
            have, size = result[-k], shape[-k]
            if size == have or size == 1:
                continue
            if have != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {size} at {-k}! Mismatching "
                                   f"argument at index {i} had {shape}; but expected shape should be "
                                   f"broadcastable to {result}")
            result[-k] = size
    return Size(result)


# --- more shape functions (更多形状变换): roll, tile, repeat_interleave, rot90, meshgrid, *stack, *split ---

class Roll(Op):
    """y = x shifted cyclically by ``shifts`` along ``dims`` (a copy).   dx = dy shifted back."""

    @staticmethod
    def forward(ctx, x, shifts=(), dims=None):
        ctx.shifts, ctx.dims = shifts, dims
        return ctx.xp.roll(x, shifts, axis=dims)  # dims None: over the flattened tensor

    @staticmethod
    def backward(ctx, grad):
        back = -ctx.shifts if isinstance(ctx.shifts, int) else tuple(-s for s in ctx.shifts)
        return Roll.apply(grad, shifts=back, dims=ctx.dims)


def roll(input, shifts, dims=None):
    """Shift the elements cyclically: what falls off the end comes back at the start."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    dims = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
    if not shifts:
        _errors.fail("roll_shifts")
    if (dims or len(shifts) != 1) and len(shifts) != len(dims):
        _errors.fail("roll_align", s=len(shifts), d=len(dims))
    if not dims:
        return Roll.apply(input, shifts=shifts[0], dims=None)
    if input.ndim == 0:
        _errors.fail("no_dims", dim=dims[0])
    dims = tuple(_errors.check_dim(d, input.ndim) for d in dims)
    return Roll.apply(input, shifts=shifts, dims=dims)


def tile(input, dims):
    """``repeat`` with ``dims`` padded by leading 1s when it is shorter than ``input.ndim``."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times in place: [a, b] -> [a, a, b, b] (``repeat`` tiles instead).

    ``repeat_interleave(r)`` alone (r: 1-D counts) gives index i repeated r[i] times."""
    from .._tensor import Tensor
    from .._creation import arange, tensor
    if repeats is None:                    # repeat_interleave(counts)
        if input.ndim != 1:
            _errors.fail("ri_vector")
        return repeat_interleave(arange(input.shape[0], device=input.device), input, 0)
    if dim is None:
        input, d = input.reshape(-1), 0
    else:
        d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    if isinstance(repeats, Tensor):
        if repeats.ndim > 1:
            _errors.fail("ri_1d")
        if repeats.dtype.is_floating_point or repeats.dtype is _dtype.bool:
            _errors.fail("not_implemented", op="repeat_interleave_cpu", dtype=_dtype.SHORT_NAMES[repeats.dtype])
        counts = [int(r) for r in repeats.reshape(-1).tolist()]
        counts = counts * size if len(counts) == 1 else counts
        if len(counts) != size:
            _errors.fail("ri_len", n=len(counts), dim=0 if dim is None else dim, size=size)
        if any(c < 0 for c in counts):
            _errors.fail("ri_negt")
    elif repeats < 0:
        _errors.fail("ri_neg")
    else:
        counts = [int(repeats)] * size
    if output_size is not None and output_size != sum(counts):
        _errors.fail("ri_output_size", want=sum(counts), got=output_size)
    if isinstance(repeats, Tensor):        # any counts: pick the rows (IndexSelectBackward0)
        idx = tensor([i for i, c in enumerate(counts) for _ in range(c)], dtype=_dtype.int64, device=input.device)
        return input.index_select(d, idx)
    shape = tuple(input.shape)             # one count: a new dim after d, expanded, then merged (a view)
    big = expand(unsqueeze(input, d + 1), shape[:d + 1] + (int(repeats),) + shape[d + 1:]).contiguous()
    return reshape(big, shape[:d] + (shape[d] * int(repeats),) + shape[d + 1:])


class Rot90(Op):
    """y = x turned by k quarter turns from ``dims[0]`` towards ``dims[1]`` (a copy).   dx = dy turned back."""

    @staticmethod
    def forward(ctx, x, k=1, dims=(0, 1)):
        ctx.k, ctx.dims = k, dims
        xp = ctx.xp
        a, b = dims
        swap = list(range(x.ndim))
        swap[a], swap[b] = b, a
        if k == 0:
            return xp.asarray(x, copy=True)
        if k == 2:
            return xp.asarray(xp.flip(x, axis=dims), copy=True)
        # k = 1: flip dims[1], then swap the two dims (3: flip dims[0]); as PyTorch, a transposed copy
        return xp.permute_dims(xp.asarray(xp.flip(x, axis=b if k == 1 else a), copy=True), tuple(swap))

    @staticmethod
    def backward(ctx, grad):
        return Rot90.apply(grad, k=(4 - ctx.k) % 4, dims=ctx.dims)


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims`` (like turning an image)."""
    dims = tuple(dims)
    if len(dims) != 2:
        _errors.fail("rot90_dims", n=len(dims))
    if input.ndim < 2:
        _errors.fail("rot90_ndim", n=input.ndim)
    a, b = (_errors.check_dim(d, input.ndim) for d in dims)
    if a == b:
        _errors.fail("rot90_same", a=dims[0], b=dims[1])
    return Rot90.apply(input, k=k % 4, dims=(a, b))


def fliplr(input):
    """Reverse the columns (dim 1): left <-> right."""
    if input.ndim < 2:
        _errors.fail("flip_ndim", n=2)
    return flip(input, 1)


def flipud(input):
    """Reverse the rows (dim 0): up <-> down."""
    if input.ndim < 1:
        _errors.fail("flip_ndim", n=1)
    return flip(input, 0)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids: output i holds tensor i's values spread along dim i (``'xy'``: dims 0 and 1
    swapped, as in NumPy and Matplotlib).  Each output is an expanded view (no copy)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(_errors.msg("meshgrid_indexing_warning"), UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        _errors.fail("meshgrid_indexing", i=indexing)
    if not tensors:
        _errors.fail("meshgrid_empty")
    for t_ in tensors:
        if t_.ndim > 1:
            _errors.fail("meshgrid_dims", shape=_errors.shape_str(t_.shape))
        if t_.dtype is not tensors[0].dtype:
            _errors.fail("meshgrid_dtype")
    n = len(tensors)
    where = list(range(n))                 # the dim each tensor runs along
    if indexing == "xy" and n >= 2:
        where[0], where[1] = 1, 0
    shape = [1] * n
    for t_, w in zip(tensors, where):
        shape[w] = t_.numel()
    outs = []
    for t_, w in zip(tensors, where):
        s = [1] * n
        s[w] = -1
        outs.append(expand(reshape(t_, s), shape))
    return tuple(outs)


def atleast_1d(*tensors):
    """0-D tensors become 1-D; the others come back unchanged (a tuple when given several)."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors):
    """0-D and 1-D tensors become 2-D (a 1-D tensor becomes one row); the others come back unchanged."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors):
    """Tensors with fewer than 3 dims become 3-D: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _atleast(tensors, 3)


def _atleast(tensors, n):
    single = len(tensors) == 1 and not isinstance(tensors[0], (list, tuple))
    if len(tensors) == 1 and not single:
        tensors = tuple(tensors[0])
    outs = []
    for x in tensors:
        if x.ndim == 0:
            x = reshape(x, (1,) * n)
        elif x.ndim == 1 and n >= 2:
            x = unsqueeze(x, 0)
            x = unsqueeze(x, -1) if n == 3 else x
        elif x.ndim == 2 and n == 3:
            x = unsqueeze(x, -1)
        outs.append(x)
    return outs[0] if single else tuple(outs)


def column_stack(tensors, *, out=None):
    """Join as columns: 0-D and 1-D tensors become columns (n, 1), then all are joined along dim 1."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("tensorlist_empty", fn="column_stack")
    return cat([reshape(x, (x.numel(), 1)) if x.ndim <= 1 else x for x in tensors], 1)


def dstack(tensors, *, out=None):
    """Join along dim 2 (depth), after making every tensor at least 3-D."""
    tensors = list(tensors)
    if not tensors:
        _errors.fail("tensorlist_empty", fn="dstack")
    return cat(list(atleast_3d(tensors)), 2)


def cartesian_prod(*tensors):
    """All combinations of one element from each 1-D tensor, as rows (``itertools.product`` order)."""
    for x in tensors:
        if x.ndim != 1:
            _errors.fail("vector_1d", shape=_errors.shape_str(x.shape))
    if len(tensors) == 1:
        return tensors[0]
    return stack([flatten(g) for g in meshgrid(*tensors, indexing="ij")], 1)


def combinations(input, r=2, with_replacement=False):
    """All length-``r`` combinations of the elements of a 1-D tensor, as rows (``itertools`` order)."""
    import itertools
    from .._creation import empty, tensor
    if input.ndim != 1:
        _errors.fail("vector_1d", shape=_errors.shape_str(input.shape))
    if r < 0:
        _errors.fail("comb_negative", r=r)
    if r == 0:
        return empty(0, dtype=input.dtype, device=input.device)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    rows = list(pick(range(input.shape[0]), r))
    cols = [tensor([row[k] for row in rows], dtype=_dtype.int64, device=input.device) for k in range(r)]
    return stack([input[c] for c in cols], 1)


def tensor_split(input, indices_or_sections, dim=0):
    """Cut into ``n`` nearly equal pieces (the first ``size % n`` one longer), or at the given
    indices (``[2, 5]``: ``x[:2], x[2:5], x[5:]``).  The pieces are views."""
    from .._tensor import Tensor
    if input.ndim == 0:
        _errors.fail("tsplit_0d", n=0)
    ios = indices_or_sections
    if isinstance(ios, float):
        raise TypeError("tensor_split() received an invalid combination of arguments - got (Tensor, float), but "
                        "expected one of:")
    if isinstance(ios, Tensor):
        if ios.ndim > 1:
            _errors.fail("tsplit_tensor_dims", n=ios.ndim)
        if ios.dtype is not _dtype.int64:
            _errors.fail("tsplit_tensor_dtype", dtype=_dtype.SHORT_NAMES[ios.dtype])
        ios = int(ios.item()) if ios.ndim == 0 else [int(i) for i in ios.tolist()]
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d]
    if isinstance(ios, int):
        if ios <= 0:
            _errors.fail("tsplit_sections", n=ios)
        q, extra = divmod(size, ios)
        bounds = [k * q + min(k, extra) for k in range(1, ios)]
    else:
        bounds = [int(i) for i in ios]
    starts, stops = [0] + bounds, bounds + [size]
    return tuple(slice_dim(input, d, *_shape.clamp_slice(slice(a, b), size)) for a, b in zip(starts, stops))


def _xsplit(input, indices_or_sections, fn, min_ndim, dim):
    if input.ndim < min_ndim:
        _errors.fail("xsplit_ndim", fn=fn, n=min_ndim, k=input.ndim)
    if isinstance(indices_or_sections, int):
        n, size = indices_or_sections, input.shape[dim]
        if n == 0 or size % n:
            _errors.fail("xsplit_divisible", fn=fn, dim=dim, size=size, n=n)
    return tensor_split(input, indices_or_sections, dim)


def hsplit(input, indices_or_sections):
    """``tensor_split`` along dim 1 (dim 0 for 1-D tensors); a number of sections must divide evenly."""
    return _xsplit(input, indices_or_sections, "hsplit", 1, 1 if input.ndim > 1 else 0)


def vsplit(input, indices_or_sections):
    """``tensor_split`` along dim 0 of a tensor with at least 2 dims; sections must divide evenly."""
    return _xsplit(input, indices_or_sections, "vsplit", 2, 0)


def dsplit(input, indices_or_sections):
    """``tensor_split`` along dim 2 of a tensor with at least 3 dims; sections must divide evenly."""
    return _xsplit(input, indices_or_sections, "dsplit", 3, 2)


row_stack = vstack
