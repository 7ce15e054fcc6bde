"""Indexing (索引): ``x[i]``, ``x[1:3]``, ``x[:, None]``, ``x[idx]``, ``x[mask]``, ``x[idx] = v``,
and the ops that pick or place elements by index: gather, scatter, scatter_add,
index_select, masked_fill, take, put, index_add/copy/fill, masked_select/scatter, nonzero.

How ``x[key]`` works (PyTorch's two stages):

1. *Basic* items -- ints, slices, ``None``, ``...`` -- are applied one by one,
   each as a view op (``SelectBackward0``, ``SliceBackward0``,
   ``UnsqueezeBackward0``): the result shares memory with ``x``.
2. *Advanced* items -- integer tensors/lists and boolean masks -- are then
   applied together on that view and give a copy (``IndexBackward0``).  The
   index tensors broadcast together; a mask stands for the positions of its
   True values (``nonzero``).

The Array API standard has no "fancy" indexing beyond simple cases, so stage 2
is done with standard functions only: for every element of the result we
compute its *flat position* in ``x`` (row-major), then ``xp.take`` picks the
elements.  Backward adds the gradient back at those positions with the
backend's ``scatter_add`` (repeated indices add up).  ``gather``,
``index_select`` and ``scatter`` are the same idea with other position rules.

Writing, ``x[key] = v``, changes ``x`` in place: its version counter goes up,
views see the change.  With autograd, the written tensor gets a new history
(``CopySlices`` for a region written through a view, ``IndexPutBackward0``
for advanced indices).  When ``x`` is itself a view of a base tensor, the base
gets the ``CopySlices`` node and ``x`` is re-made from the base, as in
PyTorch, so gradients through both stay correct.

Limitations (documented deviations from PyTorch):

* learntorch refuses every write through an expanded tensor (PyTorch allows
  the few that touch no shared element, and only warns for ``index_put_``).
* Only views made by learntorch's own view ops keep a "view chain"; writing
  into a view made any other way updates only that view's own history.
* In-place ops (``add_`` ...) on a view go through ``rebase_view`` (called by
  ``_inplace.write_inplace``), so the base's history is right for them too.
* PyTorch re-makes a view's history lazily when its base was changed in place;
  learntorch re-makes every live view of the base at once (``refresh_views``).
"""
from .._tensor import Tensor
from .. import _dtype, _errors
from .._shape import axis_key, broadcast_shapes, clamp_slice, contiguous_strides
from ..autograd import grad_mode
from ..autograd.function import Op
from . import _inplace
from .shape import Alias, Select, Slice, Unsqueeze, refresh_views, region_positions, replay, view_op

__all__ = ["gather", "scatter", "scatter_add", "index_select", "masked_fill",
           "nonzero", "argwhere", "masked_select", "take", "take_along_dim", "put", "index_add", "index_copy",
           "index_fill", "masked_scatter", "scatter_reduce", "index_put", "index_put_", "select_scatter", "slice_scatter", "diagonal_scatter",
           "index_reduce", "as_strided_scatter"]
TENSOR_METHODS = ["gather", "scatter", "scatter_", "scatter_add", "scatter_add_", "index_select",
                  "masked_fill", "masked_fill_",
                  "nonzero", "argwhere", "masked_select", "take", "take_along_dim", "put", "put_", "index_add",
                  "index_add_", "index_copy", "index_copy_", "index_fill", "index_fill_", "masked_scatter",
                  "masked_scatter_", "scatter_reduce", "scatter_reduce_", "index_put", "index_put_", "select_scatter", "slice_scatter", "diagonal_scatter",
                  "index_reduce", "index_reduce_", "as_strided_scatter"]


def _i64(backend):
    return backend.dtypes[_dtype.int64]


def _zeros(backend, shape, dt):
    xp = backend.xp
    return Tensor._make(xp.zeros(tuple(shape), dtype=backend.dtypes[dt], device=backend.device), dt, backend)


# --- flat positions: the one idea behind all index ops -------------------------------------------

def index_positions(backend, shape, dims, idx):
    """Flat (row-major) position in ``x`` of every element of ``x[..., idx_0, ..., idx_k, ...]``.

    ``idx`` are index arrays (non-negative, broadcastable) for dims ``dims`` of
    a tensor of ``shape``; every other dim is kept whole.  As in PyTorch (and
    NumPy) the broadcast index dims replace the indexed dims when those are
    next to each other, and go first otherwise.
    """
    xp, i64 = backend.xp, _i64(backend)
    strides = contiguous_strides(shape)
    B = broadcast_shapes(*(tuple(i.shape) for i in idx))
    others = [d for d in range(len(shape)) if d not in dims]
    adjacent = list(dims) == list(range(dims[0], dims[0] + len(dims)))
    lead = sum(1 for d in others if d < dims[0]) if adjacent else 0
    out_shape = tuple(shape[d] for d in others[:lead]) + B + tuple(shape[d] for d in others[lead:])
    n, nb = len(out_shape), len(B)
    pos = xp.zeros(out_shape, dtype=i64, device=backend.device)
    for k, d in enumerate(others):            # a kept dim: position = coordinate * stride
        s = [1] * n
        s[k if k < lead else k + nb] = shape[d]
        pos = pos + xp.reshape(xp.arange(shape[d], dtype=i64, device=backend.device) * strides[d], tuple(s))
    for d, i in zip(dims, idx):               # an indexed dim: position = index * stride
        s = [1] * n
        s[lead:lead + nb] = B
        pos = pos + xp.reshape(xp.broadcast_to(i, B) * strides[d], tuple(s))
    return pos


def gather_positions(backend, shape, dim, idx):
    """Flat position in ``x`` of ``x[i][j][idx[i][j][k]]`` (for dim=2), for every element of ``idx``."""
    xp, i64 = backend.xp, _i64(backend)
    strides = contiguous_strides(shape) if shape else (1,)
    pos = idx * strides[dim]
    for d in range(idx.ndim):
        if d != dim:
            s = [1] * idx.ndim
            s[d] = idx.shape[d]
            pos = pos + xp.reshape(xp.arange(idx.shape[d], dtype=i64, device=backend.device) * strides[d], tuple(s))
    return pos


def _assign(ctx, flat, p, vals):
    """``flat[p] = vals`` on 1-D arrays (a later repeat of a place wins), with standard functions only.

    The Array API has no "put": keep only the last write to each place (a
    stable sort puts repeats next to each other), zero the places written to,
    then scatter-add the new values."""
    xp, b = ctx.xp, ctx.backend
    if p.shape[0] == 0:
        return flat
    order = xp.argsort(p, stable=True)
    s = xp.take(p, order, axis=0)
    last = xp.concat([s[1:] != s[:-1], xp.ones((1,), dtype=xp.bool, device=b.device)])
    keep = xp.take(order, xp.nonzero(last)[0], axis=0)
    p, vals = xp.take(p, keep, axis=0), xp.take(vals, keep, axis=0)
    hit = xp.zeros(flat.shape, dtype=p.dtype, device=b.device)
    b.scatter_add(hit, (p,), xp.ones(p.shape, dtype=p.dtype, device=b.device))
    out = xp.where(hit > 0, xp.zeros((), dtype=flat.dtype, device=b.device), flat)
    b.scatter_add(out, (p,), vals)
    return out


class Take(Op):
    """y = x.flat[pos]: the elements of x at flat positions ``pos``.   dx = zeros with dy added at pos."""
    grad_fn_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, pos=None):
        ctx.pos, ctx.shape = pos, x.shape
        xp = ctx.xp
        flat = xp.take(xp.reshape(x, (-1,)), xp.reshape(pos, (-1,)), axis=0)
        return xp.reshape(flat, pos.shape)

    @staticmethod
    def backward(ctx, grad):
        return AddAt.apply(_zeros(ctx.backend, ctx.shape, grad.dtype), grad, pos=ctx.pos)


class TakeRows(Op):
    """y = x[idx] for one integer index tensor (x's rows: the slicing loop's ``X[idx]``).
    dx = zeros with dy added at those rows.  Same as ``Take``, without flat positions in forward."""
    grad_fn_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, idx=None):
        ctx.idx, ctx.shape = idx, x.shape
        xp = ctx.xp
        rows = xp.take(x, xp.reshape(idx, (-1,)), axis=0)
        return xp.reshape(rows, tuple(idx.shape) + tuple(x.shape[1:]))

    @staticmethod
    def backward(ctx, grad):
        pos = index_positions(ctx.backend, tuple(ctx.shape), [0], [ctx.idx])
        return AddAt.apply(_zeros(ctx.backend, ctx.shape, grad.dtype), grad, pos=pos)


class Gather(Take):
    grad_fn_name = "GatherBackward0"


class IndexSelect(Take):
    grad_fn_name = "IndexSelectBackward0"


class AddAt(Op):
    """y = x, then y.flat[pos] += v (repeats add up).   dx = dy;  dv = dy.flat[pos]."""
    grad_fn_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, v, pos=None):
        ctx.pos = pos
        xp = ctx.xp
        flat = xp.asarray(xp.reshape(x, (-1,)), copy=True)
        vals = xp.reshape(xp.broadcast_to(v, pos.shape), (-1,))
        ctx.backend.scatter_add(flat, (xp.reshape(pos, (-1,)),), vals)
        return xp.reshape(flat, x.shape)

    @staticmethod
    def backward(ctx, grad):
        gv = Take.apply(grad, pos=ctx.pos) if ctx.needs_input_grad[1] else None
        return grad, gv


class Put(Op):
    """y = x, then y.flat[pos] = v.   dx = dy with zeros at pos;  dv = dy.flat[pos]."""
    grad_fn_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, v, pos=None):
        ctx.pos = pos
        xp = ctx.xp
        flat = xp.asarray(xp.reshape(x, (-1,)), copy=True)
        vals = xp.reshape(xp.broadcast_to(v, pos.shape), (-1,))
        return xp.reshape(_assign(ctx, flat, xp.reshape(pos, (-1,)), vals), x.shape)

    @staticmethod
    def backward(ctx, grad):
        gx = gv = None
        if ctx.needs_input_grad[0]:
            gx = Put.apply(grad, _zeros(ctx.backend, (), grad.dtype), pos=ctx.pos)
        if ctx.needs_input_grad[1]:
            gv = Take.apply(grad, pos=ctx.pos)
        return gx, gv


class CopySlices(Put):
    """base[region] = new, written into base's own memory (``region``: flat positions of a view).

    d base = dy with zeros on the region;  d new = dy[region]."""
    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, new, pos=None):
        base[...] = Put.forward(ctx, base, new, pos=pos)
        return base


# --- reading: x[key] ------------------------------------------------------------------------------

def _is_int(k):
    return isinstance(k, int) or (hasattr(k, "__index__") and not isinstance(k, (Tensor, list, tuple, float)))


def _as_key_tuple(key):
    """PyTorch's (and old NumPy's) rule: a list holding slices, lists, None ... means a tuple of items."""
    if isinstance(key, tuple):
        return key, False
    if isinstance(key, list) and any(isinstance(k, (list, tuple, slice, Tensor)) or k is None or k is Ellipsis
                                     for k in key):
        return tuple(key), False
    return (key,), True


def parse_key(x, key, setting=False):
    """Split ``key`` into the basic steps (view-chain entries, applied in order) and the
    advanced items ``[(dim, Tensor), ...]`` (dims of the tensor after the steps)."""
    items, single = _as_key_tuple(key)
    from .._creation import tensor as make_tensor
    conv = []
    for k in items:
        if isinstance(k, (list, tuple)):
            k = make_tensor(k, device=x.device)
            if k.dtype.is_floating_point:
                k = k.long()  # PyTorch truncates floats in index lists
        elif isinstance(k, Tensor) and k.ndim == 0 and not k.dtype.is_floating_point:
            k = bool(k.item()) if k.dtype is _dtype.bool else int(k.item())
        conv.append(k)
    ndim = x.ndim
    consumed = 0
    for k in conv:
        if isinstance(k, Tensor) and k.dtype in (_dtype.bool, _dtype.uint8):
            consumed += k.ndim
        elif not (k is None or k is Ellipsis or isinstance(k, bool)):
            consumed += 1
    if consumed > ndim:
        if ndim == 0:
            _errors.fail("zero_dim_index")
        _errors.fail("too_many_indices", ndim=ndim)
    steps, adv = [], []
    shape = list(x.shape)
    dim = 0
    for pos, k in enumerate(conv):
        if k is None:
            steps.append((Unsqueeze, {"dim": dim}, None))
            shape.insert(dim, 1)
            dim += 1
        elif k is Ellipsis:
            dim += ndim - consumed
        elif isinstance(k, bool):  # x[True] adds a dim of size 1 and keeps it (or nothing)
            steps.append((Unsqueeze, {"dim": dim}, None))
            shape.insert(dim, 1)
            adv.append((dim, make_tensor([0] if k else [], dtype=_dtype.int64, device=x.device)))
            dim += 1
        elif isinstance(k, slice):
            step = 1 if k.step is None else int(k.step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step < 0:
                raise ValueError("step must be greater than zero")
            start, stop, step = clamp_slice(slice(k.start, k.stop, step), shape[dim])
            full = start == 0 and stop == shape[dim] and step == 1
            if not full or (single and not setting):
                steps.append((Slice, {"key": axis_key(dim, slice(start, stop, step))}, None))
            shape[dim] = len(range(start, stop, step))
            dim += 1
        elif _is_int(k):
            k, size = int(k), shape[dim]
            if not -size <= k < size:  # PyTorch names the item's place in the key
                _errors.fail("index_oob", index=k, dim=pos, size=size)
            steps.append((Select, {"key": axis_key(dim, k % size)}, None))
            shape.pop(dim)
        elif isinstance(k, Tensor):
            if k.device != x.device:  # PyTorch accepts cpu index tensors for cuda tensors
                if k.is_cuda:
                    _errors.fail("devices", a=x.device, b=k.device)
                k = k.to(x.device)
            if k.dtype.is_floating_point:
                _errors.fail("index_dtype")
            adv.append((dim, k))
            dim += k.ndim if k.dtype in (_dtype.bool, _dtype.uint8) else 1
        elif isinstance(k, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            _errors.fail("bad_index_type", type=type(k).__name__)
    for d, k in adv:  # masks must match the indexed tensor (after the basic steps)
        if k.dtype in (_dtype.bool, _dtype.uint8):
            for j, ms in enumerate(k.shape):
                if d + j >= len(shape) or shape[d + j] != ms:
                    _errors.fail("mask_shape", mask=_errors.shape_str(k.shape), j=j, i=d + j,
                                 shape=_errors.shape_str(shape))
    if not steps and not adv and not setting:
        steps.append((Alias, {}, None))  # x[...], x[:, :]: a new tensor on the same memory
    return steps, adv


def _index_arrays(x, adv):
    """(dims, index arrays) for ``x``: masks become the coordinates of their True values,
    negative indices count from the end; PyTorch's errors for bad shapes and bounds."""
    xp = x._backend.xp
    i64 = _i64(x._backend)
    dims, arrays = [], []
    for d, k in adv:
        if k.dtype in (_dtype.bool, _dtype.uint8):
            m = k._data if k.dtype is _dtype.bool else k._data != 0
            coords = xp.nonzero(m) if k.ndim else (xp.zeros((1,) if bool(m) else (0,), dtype=i64,
                                                            device=x._backend.device),)
            for j, c in enumerate(coords):
                dims.append(d + j)
                arrays.append(xp.astype(c, i64))
        else:
            dims.append(d)
            arrays.append(xp.astype(k._data, i64))
    try:
        B = broadcast_shapes(*(tuple(a.shape) for a in arrays))
    except RuntimeError:
        _errors.fail("index_broadcast", shapes=", ".join(_errors.shape_str(a.shape) for a in arrays))
    sizes = [x.shape[d] for d in dims]
    bad = None
    for a, size in zip(arrays, sizes):
        b = (a >= size) | (a < -size)
        bad = b if bad is None else bad | b     # broadcasts to B
    if bad is not None and len(arrays) > 1:
        bad = xp.broadcast_to(bad, B)
    if bad is not None and bool(xp.any(bad)):
        first = xp.nonzero(xp.reshape(bad, (-1,)))[0][0]  # the first bad element, in order
        for a, size, d in zip(arrays, sizes, dims):
            v = int(xp.reshape(xp.broadcast_to(a, B), (-1,))[first])
            if not -size <= v < size:
                _errors.fail("index_oob", index=v, dim=d, size=size)
    arrays = [xp.where(a < 0, a + size, a) for a, size in zip(arrays, sizes)]
    return dims, arrays


def _adv_positions(x, adv):
    dims, arrays = _index_arrays(x, adv)
    return index_positions(x._backend, tuple(x.shape), dims, arrays)


def getitem(self, key):
    """``self[key]``: basic items as views, then advanced items as one ``IndexBackward0``."""
    if (type(key) is Tensor and key.dtype is _dtype.int64 and key._backend is self._backend
            and key._data.ndim and self._data.ndim):  # x[index_tensor] (data loading): rows, one take
        _, (idx,) = _index_arrays(self, [(0, key)])
        return TakeRows.apply(self, idx=idx)
    steps, adv = parse_key(self, key)
    out = self
    for op, kw, name in steps:
        out = view_op(op, out, name, **kw)
    if adv:
        out = Take.apply(out, pos=_adv_positions(out, adv))
    return out


# --- writing: x[key] = value -----------------------------------------------------------------

def _stem(node_name):
    for suffix in ("Backward0", "Backward1", "Backward2"):
        if node_name.endswith(suffix):
            return node_name[: -len(suffix)]
    return node_name


def _strip_leading_ones(value, ndim):
    """PyTorch lets a value with extra leading size-1 dims be written (``x[0] = ones(1, 4)``)."""
    while value.ndim > ndim and value.shape[0] == 1:
        value = value.squeeze(0)
    return value


def _value_tensor(self, value, adv, steps):
    from .._creation import tensor as make_tensor
    if isinstance(value, Tensor):
        if value.device != self.device:
            if value.ndim:
                _errors.fail("devices", a=self.device, b=value.device)
            value = value.to(self.device)
        mask_fill = len(adv) == 1 and not steps and adv[0][1].dtype is _dtype.bool and value.ndim == 0
        if adv and not mask_fill and value.dtype is not self.dtype:
            _errors.fail("index_put_dtype", dst=_dtype.SHORT_NAMES[self.dtype], src=_dtype.SHORT_NAMES[value.dtype])
        return value if value.dtype is self.dtype else value.to(self.dtype)
    if isinstance(value, (bool, int, float)) or hasattr(value, "__float__") and not hasattr(value, "__len__"):
        if self.dtype is _dtype.bool:
            value = bool(value)
        elif not self.dtype.is_floating_point:
            value = int(value)
        return make_tensor(value, dtype=self.dtype, device=self.device)
    if isinstance(value, (list, tuple)):
        return make_tensor(value, dtype=self.dtype, device=self.device)
    _errors.fail("assign_type", type=type(value).__name__, tensor_type=self.type())


def setitem(self, key, value):
    """``self[key] = value``: an in-place write (value broadcast to the selected shape)."""
    steps, adv = parse_key(self, key, setting=True)
    recording = grad_mode.state.enabled
    # 1. the part of self that is written: a view made by the basic steps (or self)
    target = self
    for op, kw, name in steps:
        target = view_op(op, target, name, **kw)
    _inplace.check_inplace_allowed(target)
    if recording and target._requires_grad and target.__dict__.get("_multi_view"):
        node = target.grad_fn.name() if target.grad_fn is not None else "Alias"
        _errors.fail("multi_view_inplace", nr=target._output_nr, name=_stem(node))
    if target.__dict__.get("_expanded") or any(
            st == 0 and sz > 1 for st, sz in zip(target.stride(), target.shape)):
        _errors.fail("overlap_write")
    value = _value_tensor(self, value, adv, steps)
    # 2. the new content of that part
    if adv:
        pos = _adv_positions(target, adv)
        result = tuple(pos.shape)
        value = _strip_leading_ones(value, len(result))
        if broadcast_shapes_ok(tuple(value.shape), result) is False:
            _errors.fail("index_put_shape", value=_errors.shape_str(value.shape), result=_errors.shape_str(result))
        new = Put.apply(target, value, pos=pos)
    else:
        from .shape import expand
        new = expand(_strip_leading_ones(value, target.ndim), tuple(target.shape))
    # 3. write it, and give the written tensor its new history
    if recording and (self._requires_grad or new._requires_grad):
        _write_recorded(self, steps, new, bool(adv), value)
    else:
        target._data[...] = new._data
    self._vc[0] += 1


def broadcast_shapes_ok(a, b):
    """True when shape ``a`` broadcasts to exactly ``b``."""
    try:
        return broadcast_shapes(a, b) == b
    except RuntimeError:
        return False


def _write_recorded(self, steps, new, advanced, value):
    """Record ``self[key] = value`` in the graph (the data is written here too)."""
    chain_self = self.__dict__.get("_view_chain") if self._base is not None else ()
    if chain_self is None:       # a view made outside learntorch's view ops: only its own history
        base, chain_self = self, ()
    else:
        base = self._base if self._base is not None else self
    chain = tuple(chain_self) + tuple(steps)
    if not chain and advanced:   # index_put_ on a whole tensor: the Put node is its new history
        base._data[...] = new._data
        node, nr = new.grad_fn, new._output_nr
    else:
        pos = region_positions(base._backend, tuple(base.shape), chain)
        out = CopySlices.apply(base, new, pos=pos)
        node, nr = out.grad_fn, 0
        if not chain:  # x[...] = v on the whole tensor is a plain copy_/fill_
            node.grad_fn_name = "CopyBackwards" if isinstance(value, Tensor) and value.ndim else "FillBackward3"
    base.grad_fn, base._output_nr, base._requires_grad = node, nr, True
    if self is not base:         # re-make self as a view of the new base (PyTorch: AsStridedBackward0)
        again = replay(base, chain_self)
        if again.grad_fn is not None:
            again.grad_fn.grad_fn_name = "AsStridedBackward0"
        self.grad_fn, self._output_nr, self._requires_grad = again.grad_fn, again._output_nr, True
    refresh_views(base, skip=self)  # and every other live view of the base


def rebase_view(t, result):
    """An in-place op (``v.mul_(2)``) writes ``result`` into the view ``t``: the base gets
    PyTorch's ``CopySlices`` node and ``t`` is re-made from the base.  Writes the data.
    Returns False (nothing done) when ``t``'s view chain is unknown."""
    if t.__dict__.get("_multi_view"):
        node = t.grad_fn.name() if t.grad_fn is not None else "Alias"
        _errors.fail("multi_view_inplace", nr=t._output_nr, name=_stem(node))
    if t.__dict__.get("_view_chain") is None:
        return False
    if result.dtype is not t.dtype:
        result = result.to(t.dtype)
    _write_recorded(t, (), result, False, result)
    return True


DUNDERS = {"__getitem__": getitem, "__setitem__": setitem}


# --- gather, scatter, scatter_add, index_select ----------------------------------------------

def _check_index_values(index, size, dim, key):
    """Indices must lie in [0, size): PyTorch's error names the first bad one."""
    xp = index._backend.xp
    a = xp.reshape(index._data, (-1,))
    bad = (a >= size) | (a < 0)
    if a.shape[0] and bool(xp.any(bad)):
        v = int(a[xp.nonzero(bad)[0][0]])
        if key == "index_select_oob":
            _errors.fail(key)
        _errors.fail(key, index=v, dim=dim, size=size)


def _long(index):
    b = index._backend
    return b.xp.astype(index._data, _i64(b))


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """y[i][j] = input[i][index[i][j]] for dim=1 (y has index's shape).   dx: dy added back at index."""
    if index.dtype not in (_dtype.int64, _dtype.int32):
        _errors.fail("gather_dtype")
    d = _errors.check_dim(dim, input.ndim)
    if index.ndim != input.ndim and not (index.ndim <= 1 and input.ndim <= 1):
        _errors.fail("gather_ndim")
    for k in range(index.ndim):
        if k != d and index.shape[k] > (input.shape[k] if input.ndim else 1):
            _errors.fail("gather_size", d=k, index=_errors.shape_str(index.shape),
                         shape=_errors.shape_str(input.shape), dim=d)
    size = input.shape[d] if input.ndim else 1
    _check_index_values(index, size, d, "gather_oob")
    idx = _long(index)
    if input.ndim == 0:
        idx = input._backend.xp.reshape(idx, ())
    pos = gather_positions(input._backend, tuple(input.shape), d, idx)
    return Gather.apply(input, pos=pos)


def _scatter_checks(input, dim, index, src):
    if index.dtype not in (_dtype.int64, _dtype.int32):
        _errors.fail("scatter_dtype")
    d = _errors.check_dim(dim, input.ndim)
    if index.ndim != input.ndim:
        _errors.fail("scatter_ndim")
    for k in range(index.ndim):
        too_big_self = k != d and index.shape[k] > input.shape[k]
        too_big_src = src is not None and index.shape[k] > src.shape[k]
        if too_big_self or too_big_src:
            _errors.fail("scatter_size", index=_errors.shape_str(index.shape), shape=_errors.shape_str(input.shape),
                         dim=d, src=_errors.shape_str(src.shape if src is not None else ()))
    _check_index_values(index, input.shape[d] if input.ndim else 1, d, "gather_oob")
    return d


def _src_part(src, index):
    """The leading part of ``src`` that has index's shape (only that part is used)."""
    if tuple(src.shape) == tuple(index.shape):
        return src
    return src[tuple(slice(0, n) for n in index.shape)]


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """y = input with y[i][index[i][j]] = src[i][j] for dim=1 (a later repeat wins).
    d input = dy with zeros where written;  d src = dy gathered at index."""
    if reduce is not None:
        return _scatter_with_reduce(input, dim, index, src, value, reduce)
    if not isinstance(src, Tensor):
        value = src if value is None else value
        src = None
    if src is not None and src.dtype is not input.dtype:
        _errors.fail("scatter_src_dtype")
    d = _scatter_checks(input, dim, index, src)
    pos = gather_positions(input._backend, tuple(input.shape), d, _long(index))
    if src is None:
        from .creation_helpers import scalar_like
        out = Put.apply(input, scalar_like(value, input.dtype, input), pos=pos)
        name = "ScatterBackward1"
    else:
        out = Put.apply(input, _src_part(src, index), pos=pos)
        name = "ScatterBackward0"
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    return out


def scatter_add(input, dim, index, src):
    """y = input, then y[i][index[i][j]] += src[i][j] for dim=1 (repeats add up).
    d input = dy;  d src = dy gathered at index."""
    if src.dtype is not input.dtype:
        _errors.fail("scatter_src_dtype")
    d = _scatter_checks(input, dim, index, src)
    pos = gather_positions(input._backend, tuple(input.shape), d, _long(index))
    out = AddAt.apply(input, _src_part(src, index), pos=pos)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "ScatterAddBackward0"
    return out


scatter_ = _inplace.inplace(scatter, "scatter_")
scatter_add_ = _inplace.inplace(scatter_add, "scatter_add_")


# --- scatter_reduce (分散归约): several values land on one place and are combined ---------------------

def _segment_reduce(ctx, flat, p, v, reduce, include_self):
    """``flat[p[k]] = reduce(flat[p[k]] (if include_self), every v[k] with that place)`` on 1-D arrays.

    sum/mean use the backend's scatter_add.  prod/amax/amin have no such helper:
    a stable sort groups the values of each place (in index order), each value
    gets its rank inside its group, and round r combines every rank-r value
    (their places are all different, so an ordinary ``where`` can write them)."""
    xp, b = ctx.xp, ctx.backend
    i64 = _i64(b)
    dev = b.device
    hit = xp.zeros(flat.shape, dtype=i64, device=dev)
    if p.shape[0]:
        b.scatter_add(hit, (p,), xp.ones(p.shape, dtype=i64, device=dev))
    zero = xp.zeros((), dtype=flat.dtype, device=dev)
    if reduce in ("sum", "mean"):
        out = xp.asarray(flat, copy=True) if include_self else xp.where(hit > 0, zero, flat)
        if p.shape[0]:
            b.scatter_add(out, (p,), v)
        if reduce == "mean":
            n = hit + 1 if include_self else xp.where(hit == 0, xp.ones((), dtype=i64, device=dev), hit)
            n = xp.astype(n, flat.dtype)
            out = out / n if xp.isdtype(flat.dtype, "real floating") else xp.floor_divide(out, n)
        return out
    combine = {"prod": xp.multiply, "amax": xp.maximum, "amin": xp.minimum}[reduce]
    out = flat
    if p.shape[0] == 0:
        return xp.asarray(out, copy=True)
    order = xp.argsort(p, stable=True)
    ps, vs = xp.take(p, order, axis=0), xp.take(v, order, axis=0)
    first = xp.concat([xp.ones((1,), dtype=xp.bool, device=dev), ps[1:] != ps[:-1]])
    group = xp.cumulative_sum(xp.astype(first, i64)) - 1
    rank = xp.arange(ps.shape[0], dtype=i64, device=dev) - xp.take(xp.nonzero(first)[0], group, axis=0)
    for r in range(int(xp.max(rank)) + 1):
        sel = xp.nonzero(rank == r)[0]
        pr, vr = xp.take(ps, sel, axis=0), xp.take(vs, sel, axis=0)
        placed = xp.zeros(flat.shape, dtype=flat.dtype, device=dev)
        b.scatter_add(placed, (pr,), vr)
        here = xp.zeros(flat.shape, dtype=i64, device=dev)
        b.scatter_add(here, (pr,), xp.ones(pr.shape, dtype=i64, device=dev))
        out = xp.where(here > 0, placed if (r == 0 and not include_self) else combine(out, placed), out)
    return out


class ScatterReduce(Op):
    """y = x with y[i][index[i][j]] = reduce(x[i][index[i][j]] (if include_self), src[i][j], ...) (dim=1).
    sum: dx = dy, dsrc = dy[index];  mean: both / count;  prod: dy * (product of the others);
    amax/amin: dy split evenly among the values equal to the result.  include_self=False: dx = 0 where written."""

    @staticmethod
    def forward(ctx, x, src, pos=None, dim=0, index=None, reduce="sum", include_self=True):
        xp = ctx.xp
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self = dim, index, reduce, include_self
        y = xp.reshape(_segment_reduce(ctx, xp.reshape(x, (-1,)), xp.reshape(pos, (-1,)), xp.reshape(src, (-1,)),
                                       reduce, include_self), x.shape)
        ctx.save_for_backward(x, src, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, src, y = ctx.saved_tensors
        d, index, reduce, inc = ctx.dim, ctx.index, ctx.reduce, ctx.include_self
        if reduce == "sum":
            gx, gs = grad, gather(grad, d, index)
        elif reduce == "mean":
            n = (grad.new_ones(grad.shape) if inc else grad.new_zeros(grad.shape)).scatter_add(
                d, index, src.new_ones(src.shape))
            n = n.masked_fill(n == 0, 1)
            gx, gs = grad / n, gather(grad, d, index) / gather(n, d, index)
        elif reduce == "prod":   # PyTorch's way: zeros get the product of the other values
            masked_x = x.masked_fill(x == 0, 1)
            gx = grad * scatter_reduce(masked_x, d, index, src, "prod", include_self=inc) / masked_x
            src_zero = src == 0
            zeros_there = gather(x.new_zeros(x.shape).scatter_add(d, index, src_zero.to(x.dtype)), d, index)
            single = src_zero & (zeros_there == 1)
            others = scatter_reduce(x, d, index, src.masked_fill(single, 1), "prod", include_self=inc)
            from .elementwise import where
            gs = where(single, gather(grad * others, d, index),
                       gather(grad * y, d, index) / src.masked_fill(src_zero, 1))
        else:                    # amax / amin
            x_is = (x == y).to(x.dtype)
            src_is = (src == gather(y, d, index)).to(x.dtype)
            share = grad / x_is.scatter_add(d, index, src_is)
            gx, gs = x_is * share, src_is * gather(share, d, index)
        if not inc:
            gx = gx.scatter(d, index, 0)
        return gx, gs


_REDUCTIONS = {"sum": "sum", "prod": "prod", "mean": "mean", "amax": "amax", "amin": "amin",
               "max": "amax", "min": "amin"}


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """y = input, then every src[i][j] is combined into y[i][index[i][j]] (dim=1) with
    ``reduce`` ('sum', 'prod', 'mean', 'amax', 'amin'); include_self=False: input's old
    values at the places written are left out.  Integer 'mean' rounds down (floor)."""
    if not isinstance(include_self, bool):
        _errors.fail("scatter_reduce_bool", type=type(include_self).__name__)
    if reduce not in _REDUCTIONS:
        _errors.fail("scatter_reduce_reduce", reduce=reduce)
    if src.dtype is not input.dtype:
        _errors.fail("scatter_src_dtype")
    _same_device(input, index, src)
    d = _scatter_checks(input, dim, index, src)
    pos = gather_positions(input._backend, tuple(input.shape), d, _long(index))
    return ScatterReduce.apply(input, _src_part(src, index), pos=pos, dim=d, index=index,
                               reduce=_REDUCTIONS[reduce], include_self=include_self)


scatter_reduce_ = _inplace.inplace(scatter_reduce, "scatter_reduce_")

_BETA_WARNED = []


def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """y = input, then source[..., i, ...] is combined into y[..., index[i], ...] along ``dim``
    with ``reduce`` ('prod', 'mean', 'amax', 'amin'): scatter_reduce with ``index`` spread
    along ``dim``, so the gradients are scatter_reduce's.  Integer 'mean' rounds down."""
    if not isinstance(include_self, bool):
        _errors.fail("index_reduce_bool", type=type(include_self).__name__)
    if reduce not in ("prod", "mean", "amax", "amin"):
        _errors.fail("index_reduce_reduce", reduce=reduce)
    if not _BETA_WARNED:   # PyTorch warns once per process
        import warnings
        _BETA_WARNED.append(True)
        warnings.warn(_errors.msg("index_reduce_beta"), UserWarning, stacklevel=2)
    d = _check_index_op(input, dim, index, source, ("index_reduce_index_dtype", "index_reduce_vector",
                                                    "index_reduce_count", "index_reduce_dtype", "index_select_oob"))
    if input.ndim == 0:
        return index_reduce(input.reshape(1), 0, index, source.reshape(1), reduce,
                            include_self=include_self).reshape(())
    spread = index.to(_dtype.int64).reshape([-1 if k == d else 1 for k in range(input.ndim)]).expand(tuple(source.shape))
    pos = gather_positions(input._backend, tuple(input.shape), d, spread._data)
    out = ScatterReduce.apply(input, source, pos=pos, dim=d, index=spread, reduce=reduce, include_self=include_self)
    return _named(out, "IndexReduceBackward0")


# --- index_put (按索引写入): x[indices] = values as a function ------------------------------------

def _index_put(input, indices, values, accumulate, fn, arg):
    """``x[indices] = values`` out of place (``accumulate=True``: ``+=``, repeats add up)."""
    if not isinstance(indices, (tuple, list)):
        _errors.fail("index_put_tuple", fn=fn, pos=arg + 1, type=type(indices).__name__)
    for k, t in enumerate(indices):
        if not isinstance(t, Tensor):
            _errors.fail("index_put_element", k=k, arg=arg, type=type(t).__name__)
    if not isinstance(accumulate, bool):
        _errors.fail("index_put_accumulate", fn=fn, type=type(accumulate).__name__)
    n = sum(t.ndim if t.dtype in (_dtype.bool, _dtype.uint8) else 1 for t in indices)
    if n > input.ndim:
        _errors.fail("index_put_too_many", ndim=input.ndim, n=n)
    adv, d = [], 0
    for t in indices:
        if t.dtype.is_floating_point:
            _errors.fail("index_dtype")
        _same_device(input, t)
        if t.dtype in (_dtype.bool, _dtype.uint8):
            for j, ms in enumerate(t.shape):
                if input.shape[d + j] != ms:
                    _errors.fail("mask_shape", mask=_errors.shape_str(t.shape), j=j, i=d + j,
                                 shape=_errors.shape_str(input.shape))
        adv.append((d, t))
        d += t.ndim if t.dtype in (_dtype.bool, _dtype.uint8) else 1
    if not adv:   # PyTorch 2.13 fails an internal assert here
        _errors.fail("index_put_empty")
    pos = _adv_positions(input, adv)
    result = tuple(pos.shape)
    values = _strip_leading_ones(values, len(result))
    if broadcast_shapes_ok(tuple(values.shape), result) is False:
        _errors.fail("index_put_shape", value=_errors.shape_str(values.shape), result=_errors.shape_str(result))
    if values.dtype is not input.dtype:
        _errors.fail("index_put_dtype", dst=_dtype.SHORT_NAMES[input.dtype], src=_dtype.SHORT_NAMES[values.dtype])
    _same_device(input, values)
    return (AddAt if accumulate else Put).apply(input, values, pos=pos)


def index_put(input, indices, values, accumulate=False):
    """A copy of ``input`` with ``input[indices] = values`` (``indices``: a tuple of integer or
    bool tensors, as in ``x[i, j]``); ``accumulate=True`` adds instead (repeated places add up)."""
    return _index_put(input, indices, values, accumulate, "index_put", 1)


def index_put_(input, indices, values, accumulate=False):
    """``input[indices] = values`` in place (``accumulate=True``: ``+=``, repeats add up)."""
    _inplace.check_inplace_allowed(input)
    return _inplace.write_inplace(input, _index_put(input, indices, values, accumulate, "index_put_", 1))


# --- select/slice/diagonal_scatter: a copy of input with one view's region replaced by src -------------

def _view_scatter(input, src, view, name):
    """y = input with ``view(y) = src`` (src must have the view's shape exactly).
    d input = dy with zeros on the region;  d src = view(dy)."""
    from .._creation import arange
    region = view(arange(input.numel(), device=input.device).reshape(tuple(input.shape)))
    if tuple(src.shape) != tuple(region.shape):
        _errors.fail("view_scatter_size", src=_errors.shape_str(src.shape), size=_errors.shape_str(region.shape))
    _same_device(input, src)
    return _named(Put.apply(input, src.to(input.dtype), pos=region._data), name)


def select_scatter(input, src, dim, index):
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    return _view_scatter(input, src, lambda t: t.select(dim, index), "SelectScatterBackward0")


def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """A copy of ``input`` with ``input.as_strided(size, stride, storage_offset)`` replaced by ``src``
    (the strides count in ``input``'s row-major order, as if ``input`` were contiguous)."""
    input.contiguous().as_strided(size, stride, storage_offset)   # PyTorch's errors, with input's itemsize
    return _view_scatter(input, src, lambda t: t.as_strided(size, stride, storage_offset),
                         "AsStridedScatterBackward0")


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of ``input`` with the slice ``start:end:step`` along ``dim`` replaced by ``src``."""
    if step <= 0:
        _errors.fail("slice_step_positive")
    d = _errors.check_dim(dim, input.ndim)
    key = (slice(None),) * d + (slice(start, end, step),)
    return _view_scatter(input, src, lambda t: t[key], "SliceScatterBackward0")


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of ``input`` with ``input.diagonal(offset, dim1, dim2)`` replaced by ``src``."""
    return _view_scatter(input, src, lambda t: t.diagonal(offset, dim1, dim2), "DiagonalScatterBackward0")


class ScatterWithReduce(ScatterReduce):
    """The old ``scatter(..., reduce='add'|'multiply')``: PyTorch defines no derivative for it."""
    grad_fn_name = "torch::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        _errors.fail("no_derivative", op="scatter")


_WARNED = []


def _scatter_with_reduce(input, dim, index, src, value, reduce):
    """scatter(..., reduce='add'|'multiply'): scatter_reduce('sum'|'prod') with input included
    (deprecated by PyTorch for a Tensor ``src``: it warns)."""
    import warnings
    if reduce not in ("add", "multiply"):
        _errors.fail("scatter_reduce_old")
    if isinstance(src, Tensor):
        if not _WARNED:   # PyTorch warns once per process (TORCH_WARN_ONCE)
            _WARNED.append(True)
            warnings.warn(_errors.msg("scatter_reduce_deprecated"), UserWarning, stacklevel=3)
        if src.dtype is not input.dtype:
            _errors.fail("scatter_src_dtype")
    else:
        from .creation_helpers import scalar_like
        v = scalar_like(src if value is None else value, input.dtype, input)
        src = v.expand(tuple(index.shape))
    _same_device(input, index, src)
    d = _scatter_checks(input, dim, index, src)
    pos = gather_positions(input._backend, tuple(input.shape), d, _long(index))
    return ScatterWithReduce.apply(input, _src_part(src, index), pos=pos, dim=d, index=index,
                                   reduce="sum" if reduce == "add" else "prod", include_self=True)


def index_select(input, dim, index):
    """The entries ``index`` (a 1-D integer tensor) of ``input`` along ``dim``.   dx: dy added back at index."""
    if index.dtype not in (_dtype.int64, _dtype.int32):
        _errors.fail("index_select_dtype")
    if index.ndim > 1:
        _errors.fail("index_select_vector")
    d = _errors.check_dim(dim, input.ndim)
    xp = input._backend.xp
    idx = xp.reshape(_long(index), (-1,))
    if input.ndim == 0:
        if idx.shape[0] != 1:
            _errors.fail("index_select_scalar", n=idx.shape[0])
        _check_index_values(index, 1, 0, "index_select_oob")
        return IndexSelect.apply(input, pos=xp.reshape(idx, ()))
    _check_index_values(index, input.shape[d], d, "index_select_oob")
    return IndexSelect.apply(input, pos=index_positions(input._backend, tuple(input.shape), [d], [idx]))


# --- masked_fill --------------------------------------------------------------------------------

_CPP_NAMES = {_dtype.float32: "float", _dtype.float64: "double", _dtype.float16: "c10::Half",
              _dtype.int64: "long int", _dtype.int32: "int", _dtype.int16: "short int",
              _dtype.int8: "signed char", _dtype.uint8: "unsigned char", _dtype.bool: "bool"}


class MaskedFill(Op):
    """y = value where mask is True, else x.   dx = dy where mask is False;  d value = sum of dy where True."""

    @staticmethod
    def forward(ctx, x, mask, v=None, value=0):
        xp = ctx.xp
        if v is None:
            v = xp.asarray(value, dtype=x.dtype, device=ctx.backend.device)
        if ctx.needs_input_grad[0] or (len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]):
            ctx.save_for_backward(mask, xp.logical_not(mask))
        return xp.where(mask, v, x)

    @staticmethod
    def backward(ctx, grad):
        mask, keep = ctx.saved_tensors
        gx = MaskedFill.apply(grad, mask, value=0) if ctx.needs_input_grad[0] else None
        if len(ctx.needs_input_grad) == 2:
            return gx, None
        gv = MaskedFill.apply(grad, keep, value=0).sum() if ctx.needs_input_grad[2] else None
        return gx, None, gv


def masked_fill(input, mask, value):
    """Put ``value`` wherever ``mask`` (a bool tensor, broadcast) is True."""
    if not isinstance(mask, Tensor) or mask.dtype is not _dtype.bool:
        _errors.fail("masked_fill_mask", dtype=_CPP_NAMES.get(getattr(mask, "dtype", None), "float"))
    broadcast_shapes(tuple(mask.shape), tuple(input.shape))
    if isinstance(value, Tensor):
        if value.ndim:
            _errors.fail("masked_fill_value", n=value.ndim)
        if value.device != input.device:
            value = value.to(input.device)
        out = MaskedFill.apply(input, mask, value.to(input.dtype))
        name = "MaskedFillBackward1"
    else:
        value = bool(value) if input.dtype is _dtype.bool else (
            value if input.dtype.is_floating_point else int(value))
        out = MaskedFill.apply(input, mask, value=value)
        name = "MaskedFillBackward0"
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    return out


masked_fill_ = _inplace.inplace(masked_fill, "masked_fill_")


# --- more indexing (更多索引): nonzero, masked_select, take, put, index_add/copy/fill, masked_scatter --------

def _same_device(input, *others):
    """Index and mask tensors must be on ``input``'s device (their arrays are used directly)."""
    for t in others:
        if isinstance(t, Tensor) and t._backend is not input._backend:
            _errors.fail("devices", a=input.device, b=t.device)


def nonzero(input, *, out=None, as_tuple=False):
    """The coordinates of the nonzero (True) elements, one row each, in row-major order (int64).
    ``as_tuple=True``: one 1-D tensor per dim instead (what ``x[mask]`` and ``where(cond)`` use)."""
    from .elementwise import _nonzero_tuple
    idx = _nonzero_tuple(input)
    if as_tuple:
        return idx
    b = input._backend
    xp = b.xp
    if input.ndim == 0:
        return Tensor._make(xp.zeros((idx[0].shape[0], 0), dtype=_i64(b), device=b.device), _dtype.int64, b)
    rows = xp.permute_dims(xp.stack([i._data for i in idx]), (1, 0))  # PyTorch's layout: strides (1, n)
    return Tensor._make(rows, _dtype.int64, b)


def argwhere(input):
    """Same as ``nonzero(input)``: one row of coordinates per nonzero element."""
    return nonzero(input)


class MaskedSelect(Take):
    grad_fn_name = "MaskedSelectBackward0"


class TakeFlat(Take):
    grad_fn_name = "TakeBackward0"


def _mask_positions(input, mask, key):
    """``input`` expanded to the broadcast shape with ``mask``, and the flat positions of mask's True values."""
    if not isinstance(mask, Tensor) or mask.dtype is not _dtype.bool:
        _errors.fail(key, dtype=_dtype.SHORT_NAMES.get(getattr(mask, "dtype", None), "Float"))
    _same_device(input, mask)
    from .shape import expand
    shape = broadcast_shapes(tuple(mask.shape), tuple(input.shape))
    x = input if tuple(input.shape) == shape else expand(input, shape)
    xp = input._backend.xp
    m = xp.reshape(xp.broadcast_to(mask._data, shape), (-1,))
    return x, xp.astype(xp.nonzero(m)[0], _i64(input._backend))


def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where ``mask`` (bool, broadcast) is True, as a 1-D tensor (``x[mask]``)."""
    x, pos = _mask_positions(input, mask, "masked_select_mask")
    return MaskedSelect.apply(x, pos=pos)


def _flat_positions(input, index, fn):
    """``index`` (int64, any shape) as flat positions into ``input``; negative ones count from the end."""
    if index.dtype is not _dtype.int64:
        _errors.fail("long_index", fn=fn, dtype=_dtype.SHORT_NAMES[index.dtype])
    _same_device(input, index)
    xp, n = input._backend.xp, input.numel()
    a = index._data
    bad = xp.reshape((a >= n) | (a < -n), (-1,))
    if bad.shape[0] and bool(xp.any(bad)):
        _errors.fail("take_oob", index=int(xp.reshape(a, (-1,))[xp.nonzero(bad)[0][0]]), n=n)
    return xp.where(a < 0, a + n, a)


def take(input, index):
    """The elements of ``input`` at flat (row-major) positions ``index``; the result has index's shape."""
    return TakeFlat.apply(input, pos=_flat_positions(input, index, "take"))


def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` that broadcasts ``input`` and ``indices`` (except along ``dim``), e.g. with the result
    of ``argsort``/``argmax(keepdim=True)``.  ``dim=None``: both are flattened first."""
    if indices.dtype is not _dtype.int64:
        _errors.fail("tad_dtype", dtype=_dtype.SHORT_NAMES[indices.dtype])
    _same_device(input, indices)
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    if input.ndim != indices.ndim:
        _errors.fail("tad_ndim", a=input.ndim, b=indices.ndim)
    d = _errors.check_dim(dim, input.ndim)
    from .shape import expand
    want = list(input.shape)
    want[d] = indices.shape[d]
    shape = list(broadcast_shapes(tuple(want), tuple(indices.shape)))
    idx = indices if list(indices.shape) == shape else expand(indices, shape)
    shape[d] = input.shape[d]
    x = input if list(input.shape) == shape else expand(input, shape)
    if idx.numel() and bool((idx < 0).any()):  # PyTorch wraps negative indices here (not in gather)
        idx = idx + (idx < 0).long() * input.shape[d]
    return gather(x, d, idx)


class PutFlat(Put):
    grad_fn_name = "PutBackward0"


class AddFlat(AddAt):
    grad_fn_name = "PutBackward0"


def put(input, index, source, accumulate=False):
    """A copy of ``input`` with the elements at flat positions ``index`` set to ``source``'s values
    (``accumulate=True``: added to them)."""
    if index.dtype is not _dtype.int64:
        _errors.fail("long_index", fn="put_", dtype=_dtype.SHORT_NAMES[index.dtype])
    if source.numel() != index.numel():
        _errors.fail("put_count", a=source.numel(), b=index.numel())
    if source.dtype is not input.dtype:
        _errors.fail("put_dtype", a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[source.dtype])
    pos = input._backend.xp.reshape(_flat_positions(input, index, "put_"), (-1,))
    return (AddFlat if accumulate else PutFlat).apply(input, source.reshape(-1), pos=pos)


def _index_vector(input, dim, index):
    """(dim, flat positions of ``input.select(dim, i)`` for every i in ``index``) ; negatives wrapped."""
    d = _errors.check_dim(dim, input.ndim)
    xp = input._backend.xp
    idx = xp.reshape(_long(index), (-1,))
    idx = xp.where(idx < 0, idx + input.shape[d], idx)
    return d, index_positions(input._backend, tuple(input.shape), [d], [idx])


def _named(out, name):
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    return out


def _check_index_op(input, dim, index, source, keys):
    """index_add / index_reduce: PyTorch's checks of a 1-D integer ``index`` and a ``source`` shaped like
    ``input`` except along ``dim``; ``keys`` names each op's own error texts.  Returns ``dim`` normalized."""
    dtype_key, vector_key, count_key, source_dtype_key, oob_key = keys
    if index.dtype not in (_dtype.int64, _dtype.int32):
        _errors.fail(dtype_key, dtype=_dtype.SHORT_NAMES[index.dtype])
    _same_device(input, index, source)
    if index.ndim > 1:
        _errors.fail(vector_key, n=index.ndim, dtype=_dtype.SHORT_NAMES[index.dtype],
                     shape=_errors.shape_str(index.shape))
    d = _errors.check_dim(dim, input.ndim)
    if index.numel() != (source.shape[d] if source.ndim else 1):
        _errors.fail(count_key, n=index.numel(), size=source.shape[d] if source.ndim else 1, dim=d)
    if source.ndim != input.ndim or any(a != b for k, (a, b) in enumerate(zip(input.shape, source.shape)) if k != d):
        _errors.fail("index_add_shape", a=_errors.shape_str(input.shape), b=_errors.shape_str(source.shape))
    if source.dtype is not input.dtype:
        _errors.fail(source_dtype_key, a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[source.dtype])
    _check_index_values(index, input.shape[d] if input.ndim else 1, d, oob_key)
    return d


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """y = input, then y[..., index[i], ...] += alpha * source[..., i, ...] along ``dim`` (repeats add up)."""
    d = _check_index_op(input, dim, index, source, ("index_add_index_dtype", "index_add_vector",
                                                    "index_add_count", "index_add_dtype", "gather_oob"))
    if input.ndim == 0:
        return index_add(input.reshape(1), 0, index, source.reshape(1), alpha=alpha).reshape(())
    _, pos = _index_vector(input, d, index)
    return _named(AddAt.apply(input, source * alpha if alpha != 1 else source, pos=pos), "IndexAddBackward0")


def index_copy(input, dim, index, source, *, out=None):
    """y = input with y[..., index[i], ...] = source[..., i, ...] along ``dim``."""
    if index.dtype is not _dtype.int64:
        _errors.fail("long_index", fn="index_copy_", dtype=_dtype.SHORT_NAMES[index.dtype])
    _same_device(input, index, source)
    if index.ndim > 1:
        _errors.fail("index_copy_dims", n=index.ndim)
    d = _errors.check_dim(dim, input.ndim)
    if index.numel() != (source.shape[d] if source.ndim else 1):
        _errors.fail("index_copy_count", n=index.numel(), size=source.shape[d] if source.ndim else 1)
    rest_in = [s for k, s in enumerate(input.shape) if k != d]
    rest_src = [s for k, s in enumerate(source.shape) if k != d]
    if rest_in != rest_src:
        _errors.fail("index_copy_slice", a=" ".join(map(str, rest_in)), b=" ".join(map(str, rest_src)), dim=d)
    if source.dtype is not input.dtype:
        _errors.fail("index_copy_dtype", a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[source.dtype])
    size = input.shape[d] if input.ndim else 1
    xp = index._backend.xp
    a = xp.reshape(index._data, (-1,))
    bad = (a >= size) | (a < 0)
    if a.shape[0] and bool(xp.any(bad)):
        _errors.fail("index_copy_oob", index=int(a[xp.nonzero(bad)[0][0]]), dim=d, size=size)
    if input.ndim == 0:
        return index_copy(input.reshape(1), 0, index, source.reshape(1)).reshape(())
    _, pos = _index_vector(input, d, index)
    return _named(Put.apply(input, source, pos=pos), "IndexCopyBackward0")


def index_fill(input, dim, index, value):
    """y = input with every element of the slices ``index`` along ``dim`` set to ``value``."""
    if index.dtype is not _dtype.int64:
        _errors.fail("index_fill_dtype")
    _same_device(input, index)
    if index.ndim > 1:
        _errors.fail("index_fill_vector")
    if isinstance(value, Tensor) and value.ndim:
        _errors.fail("index_fill_value", n=value.ndim)
    d = _errors.check_dim(dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    xp = index._backend.xp
    a = xp.reshape(index._data, (-1,))
    bad = (a >= size) | (a < -size)
    if a.shape[0] and bool(xp.any(bad)):
        _errors.fail("index_oob", index=int(a[xp.nonzero(bad)[0][0]]), dim=d, size=size)
    if input.ndim == 0:
        return index_fill(input.reshape(1), 0, index, value).reshape(())
    _, pos = _index_vector(input, d, index)
    if isinstance(value, Tensor):
        return _named(Put.apply(input, value.to(input.dtype), pos=pos), "IndexFillBackward1")
    from .creation_helpers import scalar_like
    return _named(Put.apply(input, scalar_like(value, input.dtype, input), pos=pos), "IndexFillBackward0")


def masked_scatter(input, mask, source):
    """y = input with the places where ``mask`` is True filled, in row-major order, by the first
    elements of ``source``."""
    x, pos = _mask_positions(input, mask, "masked_scatter_mask")
    if source.dtype is not input.dtype:
        _errors.fail("masked_scatter_dtype", a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[source.dtype])
    k = pos.shape[0]
    if source.numel() < k:
        _errors.fail("masked_scatter_small")
    return _named(Put.apply(x, source.reshape(-1)[:k], pos=pos), "MaskedScatterBackward0")


index_add_ = _inplace.inplace(index_add, "index_add_")
index_copy_ = _inplace.inplace(index_copy, "index_copy_")
index_fill_ = _inplace.inplace(index_fill, "index_fill_")
masked_scatter_ = _inplace.inplace(masked_scatter, "masked_scatter_")
put_ = _inplace.inplace(put, "put_")
index_reduce_ = _inplace.inplace(index_reduce, "index_reduce_")
