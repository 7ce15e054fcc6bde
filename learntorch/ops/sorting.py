"""Sorting and counting (排序与计数): sort, argsort, msort, topk, kthvalue, median, nanmedian, mode,
unique, unique_consecutive, bincount, histc, searchsorted, bucketize.

Everything here starts from one kernel, the Array API's *stable* ascending
``argsort``: equal values keep their order, and NaN sorts last (NaN counts as
the largest value, as in PyTorch).

* descending order: sort the reversed slice, map the positions back, reverse
  the result (equal values still keep their order; NaN comes first);
* ``topk`` keeps the first k positions, ``kthvalue`` position k-1, ``median``
  the middle one (the lower of the two middle ones for an even count);
* ``mode`` finds the longest run of equal values in the sorted slice.

The positions found are the ``indices``: computed on arrays, with no graph
(an index has no gradient).  The ``values`` are the input's elements at those
positions, picked by one op whose backward puts each gradient back where its
value came from (zero elsewhere).

Ties (documented deviations from PyTorch): learntorch always sorts stably.
PyTorch's CPU ``sort(stable=False)`` is stable too for slices of up to 16
elements, but not beyond; so for longer slices with equal values the values
agree and the order of their indices may differ.  The same holds for the index
``topk``/``kthvalue``/``median`` return among equal values.  ``mode`` returns
the last position of the mode value (PyTorch: the same for up to 16 elements).
``topk(sorted=False)`` returns the sorted order (PyTorch: any order).

Counting (计数): ``unique`` groups equal values after the same stable sort
(rows along ``dim``: sorted column by column, last column first); every NaN
is its own value, as in PyTorch.  ``unique_consecutive`` groups runs without
sorting.  ``bincount`` and ``histc`` add ones at the computed bins with the
backend's ``scatter_add``; ``searchsorted``/``bucketize`` use the standard's
``searchsorted`` (1-D boundaries) or count the boundaries below each value
(one sorted row per row).  None of these is differentiable (PyTorch gives
``unique``'s values a node whose backward raises; learntorch gives none).
"""
from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd.function import Op
from .indexing import AddAt, _zeros, gather_positions
from .reduction import _return_type, return_types

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode",
           "unique", "unique_consecutive", "bincount", "histc", "searchsorted", "bucketize"]
TENSOR_METHODS = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode",
                  "unique", "unique_consecutive", "bincount", "histc"]

# torch.return_types.sort etc.: named (values, indices) tuples that print as PyTorch's.
for _name in ("sort", "topk", "kthvalue", "median", "nanmedian", "mode"):
    setattr(return_types, _name, _return_type(_name))

_UNSET = object()   # "argument not given" (PyTorch's node names and errors depend on it)


# --- helpers: positions on arrays (no graph) -------------------------------------------------

def _i64(backend):
    return backend.dtypes[_dtype.int64]


def _argsort(xp, x, axis):
    """Positions that sort ``x`` along ``axis`` ascending; equal values keep their order, NaN last."""
    if x.dtype == xp.bool:                      # the standard sorts numbers only
        x = xp.astype(x, xp.uint8)
    try:
        return xp.argsort(x, axis=axis, stable=True)
    except TypeError:                           # CuPy's argsort has no stable=: it is always stable
        return xp.argsort(x, axis=axis)


def sort_positions(backend, x, axis, descending=False):
    """Stable sort order of array ``x`` along ``axis`` (NaN the largest value)."""
    xp = backend.xp
    if x.ndim == 0:
        return xp.zeros((), dtype=_i64(backend), device=backend.device)
    if not descending:
        return _argsort(xp, x, axis)
    # descending = the ascending order of the reversed slice, read backwards: ties keep their order
    rev = _argsort(xp, xp.flip(x, axis=axis), axis)
    return xp.flip((x.shape[axis] - 1) - rev, axis=axis)


def _first(xp, a, axis, k, start=0):
    """``a[..., start:start+k, ...]`` along ``axis``."""
    key = [slice(None)] * a.ndim
    key[axis] = slice(start, start + k)
    return a[tuple(key)]


def _median_positions(backend, x, axis, ignore_nan, floating):
    """Where the median of each slice sits in sorted order (keepdims shape).

    median: the lower middle value, or the first NaN if the slice has any.
    nanmedian: the lower middle one of the non-NaN values (a NaN if there are none)."""
    xp, i64 = backend.xp, _i64(backend)
    n = x.shape[axis]
    shape = tuple(1 if d == axis else s for d, s in enumerate(x.shape))
    middle = xp.full(shape, (n - 1) // 2, dtype=i64, device=backend.device)
    if not floating:                                # no NaN in integers
        return middle
    nans = xp.sum(xp.astype(xp.isnan(x), i64), axis=axis, keepdims=True)
    if ignore_nan:
        m = n - nans                                # NaNs sort last: the numbers are the first m
        return xp.where(m > 0, (m - 1) // 2, xp.zeros_like(m))
    return xp.where(nans > 0, n - nans, middle)     # the first NaN


def _mode_positions(backend, x, axis):
    """Position of the mode of each slice (keepdims shape): the value repeated most often (the
    smallest such value on a tie), at the last place it occurs."""
    xp, i64 = backend.xp, _i64(backend)
    x = xp.moveaxis(x, axis, -1)
    n = x.shape[-1]
    order = _argsort(xp, x, -1)
    s = xp.take_along_axis(x, order, axis=-1)
    ones = xp.ones(s.shape[:-1] + (1,), dtype=xp.bool, device=backend.device)
    ends = xp.concat([s[..., 1:] != s[..., :-1], ones], axis=-1)       # last place of each run
    # the run ends' places, in order, first: a stable sort on "not an end"
    places = _argsort(xp, xp.astype(xp.logical_not(ends), xp.int8), -1)
    before = xp.concat([xp.full(s.shape[:-1] + (1,), -1, dtype=i64, device=backend.device), places[..., :-1]],
                       axis=-1)
    runs = xp.sum(xp.astype(ends, i64), axis=-1, keepdims=True)
    length = xp.where(xp.arange(n, dtype=i64, device=backend.device) < runs, places - before,
                      xp.zeros_like(places))
    longest = xp.argmax(length, axis=-1, keepdims=True)                 # the first (smallest) wins ties
    where = xp.take_along_axis(order, xp.take_along_axis(places, longest, axis=-1), axis=-1)
    return xp.moveaxis(where, -1, axis)


# --- the value-picking ops -------------------------------------------------------------------------

class Sort(Op):
    """values = x at positions ``idx`` along ``dim`` (x sorted).   dx = dvalues put back at idx, 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, dim=0, idx=None, keepdim=True):
        ctx.shape, ctx.dim, ctx.idx, ctx.keepdim = x.shape, dim, idx, keepdim
        xp = ctx.xp
        if x.ndim == 0:
            return xp.asarray(x, copy=True)
        y = xp.take_along_axis(x, idx, axis=dim)
        return y if keepdim else xp.squeeze(y, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.shape:                          # a 0-dim input is its own sorted self
            return grad
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        pos = gather_positions(ctx.backend, tuple(ctx.shape), ctx.dim, ctx.idx)
        return AddAt.apply(_zeros(ctx.backend, ctx.shape, grad.dtype), grad, pos=pos)


class Topk(Sort):
    """values = the k largest (smallest) x along ``dim``.   dx = dvalues put back at their indices."""


class Kthvalue(Sort):
    """value = the k-th smallest x along ``dim``.   dx = dvalue at its index, 0 elsewhere."""


class MedianDim(Sort):
    """value = the middle x along ``dim``.   dx = dvalue at its index, 0 elsewhere."""
    grad_fn_name = "MedianBackward1"


class NanmedianDim(Sort):
    """value = the middle non-NaN x along ``dim``.   dx = dvalue at its index, 0 elsewhere."""
    grad_fn_name = "NanmedianBackward1"


class Mode(Sort):
    """value = the most frequent x along ``dim``.   dx = dvalue at its index, 0 elsewhere."""


class Median(Op):
    """y = the middle value of all x (the lower one for an even count; NaN if x has a NaN).
    dy/dx = 1/k at the k elements equal to y (ties share), else 0."""

    @staticmethod
    def forward(ctx, x, pos=None, floating=True):
        xp = ctx.xp
        if pos is None:                             # no elements: NaN (0 for integers)
            y = xp.full((), float("nan") if floating else 0, dtype=x.dtype, device=ctx.backend.device)
        else:
            y = xp.reshape(xp.take(xp.reshape(x, (-1,)), pos, axis=0), ())
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        hit = ((x == y) | (x.isnan() & y.isnan())).to(grad.dtype)
        return grad * hit / hit.sum()


class Nanmedian(Median):
    """y = the middle value of the non-NaN x.   dy/dx = 1/k at the k elements equal to y, else 0."""


# --- checks ---------------------------------------------------------------------------------------

def _int_arg(fn, name, position, value):
    """PyTorch's TypeError for a non-int ``k`` or ``dim`` (True/False are not ints there)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be int, not {type(value).__name__}")
    return value


def _reduce_dim(fn, input, dim, position=2, label=None):
    """``dim`` wrapped into range, refusing an empty slice (PyTorch's errors)."""
    d = _errors.check_dim(_int_arg(fn, "dim", position, dim), input.ndim)
    if input.ndim and input.shape[d] == 0:
        _errors.fail("empty_reduce_dim", fn=label or fn, dim=d)
    return d


def _no_bool(input, op):
    if input.dtype is _dtype.bool and input.ndim:
        _errors.fail("not_implemented", op=op, dtype="Bool")


def _pick(op, input, dim, idx, keepdim, name):
    """``torch.return_types.<name>(values, indices)``: the values through ``op`` (differentiable)."""
    b = input._backend
    xp = b.xp
    values = op.apply(input, dim=dim, idx=idx, keepdim=keepdim)
    i = idx if keepdim or input.ndim == 0 else xp.squeeze(idx, axis=dim)
    indices = Tensor._make(xp.asarray(i, copy=True), _dtype.int64, b)   # its own memory: idx is saved
    return getattr(return_types, name)(values, indices)


# --- sort, argsort, msort --------------------------------------------------------------------------

def sort(input, dim=-1, descending=False, *, stable=_UNSET, out=None):
    """(values, indices): ``input`` sorted along ``dim``, ascending (or ``descending=True``).

    NaN counts as the largest value.  Equal values keep their order (learntorch's sort is always
    stable; ``stable=True`` asks PyTorch for the same)."""
    d = _errors.check_dim(dim, input.ndim)
    idx = sort_positions(input._backend, input._data, d, descending)
    result = _pick(Sort, input, d, idx, True, "sort")
    if stable is not _UNSET and result.values.grad_fn is not None:
        result.values.grad_fn.grad_fn_name = "SortBackward1"   # PyTorch's overload with stable=
    return result


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices that sort ``input`` along ``dim`` (= ``sort(...).indices``).  Not differentiable."""
    d = _errors.check_dim(dim, input.ndim)
    return input._backend_tensor(sort_positions(input._backend, input._data, d, descending))


def msort(input):
    """``input`` sorted along its first dimension (= ``sort(input, dim=0).values``)."""
    return sort(input, 0).values


# --- topk, kthvalue -------------------------------------------------------------------------------

def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """(values, indices) of the ``k`` largest elements along ``dim`` (``largest=False``: smallest),
    largest first.  (``sorted=False`` lets PyTorch return them in any order; learntorch sorts them.)"""
    _int_arg("topk", "k", 2, k)
    d = _errors.check_dim(_int_arg("topk", "dim", 3, dim), input.ndim)
    if input.dtype is _dtype.bool and input.ndim:
        _errors.fail("topk_bool")
    n = input.shape[d] if input.ndim else 1
    if not 0 <= k <= n:
        _errors.fail("topk_k")
    b = input._backend
    idx = sort_positions(b, input._data, d, descending=largest)
    if input.ndim:
        idx = _first(b.xp, idx, d, k)
    return _pick(Topk, input, d, idx, True, "topk")


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """(values, indices) of the ``k``-th smallest element along ``dim`` (k = 1 is the minimum)."""
    _int_arg("kthvalue", "k", 2, k)
    d = _reduce_dim("kthvalue", input, dim, position=3)
    _no_bool(input, "kthvalue_cpu")
    n = input.shape[d] if input.ndim else 1
    if not 1 <= k <= n:
        _errors.fail("kthvalue_k", dim=d)
    b = input._backend
    idx = sort_positions(b, input._data, d)
    if input.ndim:
        idx = _first(b.xp, idx, d, 1, start=k - 1)
    return _pick(Kthvalue, input, d, idx, keepdim, "kthvalue")


# --- median, nanmedian, mode ------------------------------------------------------------------------

def _median(fn, input, dim, keepdim):
    ignore_nan, floating = fn == "nanmedian", input.dtype.is_floating_point
    b = input._backend
    xp = b.xp
    if dim is _UNSET:                              # the whole tensor: one value
        if keepdim:
            raise TypeError(f'{fn}() missing 1 required positional arguments: "dim"')
        _no_bool(input, "median_cpu")
        pos = None
        if input.numel():
            flat = xp.reshape(input._data, (-1,))
            order = sort_positions(b, flat, 0)
            middle = _median_positions(b, flat, 0, ignore_nan, floating)
            pos = xp.take(order, xp.reshape(middle, (1,)), axis=0)
        return (Nanmedian if ignore_nan else Median).apply(input, pos=pos, floating=floating)
    d = _reduce_dim(fn, input, dim, label="median")
    _no_bool(input, "median_out")
    if input.ndim == 0:
        idx = sort_positions(b, input._data, d)
    else:
        idx = xp.take_along_axis(sort_positions(b, input._data, d),
                                 _median_positions(b, input._data, d, ignore_nan, floating), axis=d)
    return _pick(NanmedianDim if ignore_nan else MedianDim, input, d, idx, keepdim, fn)


def median(input, dim=_UNSET, keepdim=False, *, out=None):
    """``median(x)``: the middle value of all elements (the lower of the two middle ones for an
    even count; NaN if there is a NaN).  ``median(x, dim)``: (values, indices) along ``dim``."""
    return _median("median", input, dim, keepdim)


def nanmedian(input, dim=_UNSET, keepdim=False, *, out=None):
    """Like ``median`` but ignoring NaNs (NaN only where every value is NaN)."""
    return _median("nanmedian", input, dim, keepdim)


def mode(input, dim=-1, keepdim=False, *, out=None):
    """(values, indices) of the most frequent value along ``dim`` (众数); on a tie the smallest one.
    The index is the last place the value occurs."""
    d = _reduce_dim("mode", input, dim)
    b = input._backend
    if input.ndim == 0:
        idx = sort_positions(b, input._data, d)
    else:
        idx = _mode_positions(b, input._data, d)
    return _pick(Mode, input, d, idx, keepdim, "mode")


# --- unique, unique_consecutive (counting 计数) -------------------------------------------------------

def _row_order(backend, rows):
    """Stable order that sorts the rows of 2-D ``rows`` (n, m) lexicographically: sort by the last
    column first, then stably by each column before it (the result is sorted by the first)."""
    xp = backend.xp
    order = xp.arange(rows.shape[0], dtype=_i64(backend), device=backend.device)
    for c in range(rows.shape[1] - 1, -1, -1):
        key = xp.take(rows[:, c], order, axis=0)
        order = xp.take(order, _argsort(xp, key, 0), axis=0)
    return order


def _unique_rows(backend, x, dim, sort_first):
    """(first row of each group, inverse, counts) of the slices of ``x`` along ``dim`` (None: the
    elements).  Groups are runs of equal slices, after a stable sort when ``sort_first``."""
    xp, i64 = backend.xp, _i64(backend)
    if dim is None:
        rows = xp.reshape(x, (-1, 1))
    else:
        moved = xp.moveaxis(x, dim, 0)
        n = moved.shape[0]
        rows = xp.reshape(moved, (n, -1)) if n else moved
    n = rows.shape[0]
    if n == 0:                                      # nothing to group
        none = xp.zeros((0,), dtype=i64, device=backend.device)
        return (xp.reshape(x, (0,)) if dim is None else x), xp.reshape(none, x.shape if dim is None else (0,)), none
    if sort_first:
        order = _row_order(backend, rows) if rows.shape[1] != 1 else _argsort(xp, rows[:, 0], 0)
    else:
        order = xp.arange(n, dtype=i64, device=backend.device)
    s = xp.take(rows, order, axis=0)
    new = xp.any(s[1:, ...] != s[:-1, ...], axis=1)             # NaN != NaN: every NaN is new
    new = xp.concat([xp.ones((1,), dtype=xp.bool, device=backend.device), new])
    starts = xp.nonzero(new)[0]
    group = xp.cumulative_sum(xp.astype(new, i64)) - 1
    inverse = xp.take(group, _argsort(xp, order, 0), axis=0)     # argsort of a permutation: its inverse
    ends = xp.concat([starts[1:], xp.full((1,), n, dtype=i64, device=backend.device)])
    counts = ends - starts
    first = xp.take(s, starts, axis=0)
    if dim is None:
        return xp.reshape(first, (-1,)), xp.reshape(inverse, x.shape), counts
    shape = (first.shape[0],) + tuple(moved.shape[1:])
    return xp.moveaxis(xp.reshape(first, shape), 0, dim), inverse, counts


def _unique(fn, input, return_inverse, return_counts, dim, sort_first):
    b = input._backend
    if dim is not None:
        if input.ndim == 0:
            _errors.fail("no_dims", dim=dim)
        dim = _errors.check_dim(dim, input.ndim)
        if any(n == 0 for d, n in enumerate(input.shape) if d != dim):
            _errors.fail("unique_zero_size")
    values, inverse, counts = _unique_rows(b, input._data, dim, sort_first)
    out = [Tensor._make(values, input.dtype, b)]
    if return_inverse:
        out.append(Tensor._make(inverse, _dtype.int64, b))
    if return_counts:
        out.append(Tensor._make(counts, _dtype.int64, b))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values of ``input``, sorted (``dim``: the distinct slices along ``dim``).

    ``return_inverse``: also where each element went (``values[inverse]`` rebuilds ``input``);
    ``return_counts``: also how often each value occurs.  Every NaN counts as a distinct value.
    Not differentiable.  (PyTorch's ``sorted=False`` may give any order; learntorch sorts.)"""
    return _unique("unique", input, return_inverse, return_counts, dim, sort_first=True)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``input`` with each run of equal consecutive values (or slices along ``dim``) kept once."""
    return _unique("unique_consecutive", input, return_inverse, return_counts, dim, sort_first=False)


# --- bincount, histc ---------------------------------------------------------------------------------

def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, 2 ... occurs in the 1-D non-negative integer tensor ``input``
    (``weights``: the sum of the weights instead).  Length max(input) + 1, at least ``minlength``."""
    if input.dtype.is_floating_point or input.dtype is _dtype.bool:
        _errors.fail("not_implemented", op="bincount_cpu", dtype=_dtype.SHORT_NAMES[input.dtype])
    if minlength < 0:
        _errors.fail("bincount_minlength")
    b = input._backend
    xp, i64 = b.xp, _i64(b)
    x = xp.astype(input._data, i64)
    if input.ndim != 1 or (x.shape[0] and int(xp.min(x)) < 0):
        _errors.fail("bincount_input")
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != input.shape[0]):
        _errors.fail("bincount_weights")
    length = max(int(xp.max(x)) + 1 if x.shape[0] else 0, minlength)
    if weights is None:
        dt, values = _dtype.int64, xp.ones(x.shape, dtype=i64, device=b.device)
    else:
        dt = weights.dtype if weights.dtype in (_dtype.float32, _dtype.float64) else _dtype.float64
        values = xp.astype(weights._data, b.dtypes[dt])
    out = xp.zeros((length,), dtype=b.dtypes[dt], device=b.device)
    return Tensor._make(b.scatter_add(out, (x,), values), dt, b)


def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histogram (直方图) of ``input`` with ``bins`` equal-width bins between ``min`` and ``max``
    (both 0: the smallest and largest element).  Elements outside the range are not counted."""
    if not input.dtype.is_floating_point:
        op = "linspace_cpu" if input.dtype is _dtype.bool else "histogram_cpu"
        _errors.fail("not_implemented", op=op, dtype=_dtype.SHORT_NAMES[input.dtype])
    if bins <= 0:
        _errors.fail("histc_bins", bins=bins)
    b = input._backend
    xp, i64 = b.xp, _i64(b)
    x = xp.reshape(input._data, (-1,))
    lo, hi = float(min), float(max)
    if lo == hi and x.shape[0]:                     # the range of the data
        lo, hi = float(xp.min(x)), float(xp.max(x))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        _errors.fail("histc_range")
    if lo != lo or hi != hi or abs(lo) == float("inf") or abs(hi) == float("inf"):
        _errors.fail("histc_finite", lo=f"{lo:g}", hi=f"{hi:g}")
    with b.quiet():                                 # inf and NaN elements give no cast warnings
        left = xp.asarray(lo, dtype=x.dtype, device=b.device)  # the edges in the input's dtype, as PyTorch
        right = xp.asarray(hi, dtype=x.dtype, device=b.device)
        inside = (x >= left) & (x <= right)                    # NaN is never inside
        pos = xp.astype(xp.floor((x - left) * bins / (right - left)), i64)
        pos = xp.where(inside, xp.clip(pos, 0, bins - 1), xp.zeros_like(pos))   # x = max: the last bin
        hist = xp.zeros((bins,), dtype=x.dtype, device=b.device)
        return Tensor._make(b.scatter_add(hist, (pos,), xp.astype(inside, x.dtype)), input.dtype, b)


# --- searchsorted, bucketize ------------------------------------------------------------------------

def _as_tensor(value, like):
    """A Python number as a 0-dim tensor on ``like``'s device (int64, or the default float dtype)."""
    if isinstance(value, Tensor):
        return value
    from .creation_helpers import scalar_like
    if isinstance(value, bool):
        return scalar_like(value, _dtype.bool, like)
    return scalar_like(value, _dtype.int64 if isinstance(value, int) else _dtype.get_default_dtype(), like)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, out=None, sorter=None):
    """Where each value of ``input`` would go in ``sorted_sequence`` to keep it sorted: the index of
    the first element >= the value (``right=True`` or ``side='right'``: the first one >).

    A 1-D sequence serves every value; an N-D one gives one sorted row per row of ``input``."""
    seq = sorted_sequence
    if side is not None:
        if side not in ("left", "right"):
            _errors.fail("searchsorted_side", side=side)
        if right and side == "left":
            _errors.fail("searchsorted_side_right", side=side)
        right = side == "right"
    if seq.ndim == 0:
        _errors.fail("searchsorted_0dim")
    values = _as_tensor(input, seq)
    if seq.ndim > 1 and tuple(seq.shape[:-1]) != tuple(values.shape[:-1]):
        _errors.fail("searchsorted_dims", b=_errors.shape_str(seq.shape), v=_errors.shape_str(values.shape))
    b = seq._backend
    xp, i64 = b.xp, _i64(b)
    a = seq._data
    if sorter is not None:
        if sorter.dtype is not _dtype.int64:
            _errors.fail("sorter_dtype", dtype=_dtype.SHORT_NAMES[sorter.dtype])
        if tuple(sorter.shape) != tuple(seq.shape):
            _errors.fail("sorter_size", b=_errors.shape_str(seq.shape), s=_errors.shape_str(sorter.shape))
        n = seq.shape[-1]
        if sorter.numel() and (int(xp.min(sorter._data)) < 0 or int(xp.max(sorter._data)) >= n):
            _errors.fail("sorter_range")
        a = xp.take_along_axis(a, sorter._data, axis=-1)
    dt = _dtype.promote_types(seq.dtype, values.dtype)
    if dt is _dtype.bool:
        dt = _dtype.uint8                           # the standard compares and sorts numbers only
    a, v = xp.astype(a, b.dtypes[dt]), xp.astype(values._data, b.dtypes[dt])
    if a.ndim == 1:
        pos = xp.searchsorted(a, v, side="right" if right else "left")
    else:   # row by row: count the elements before each value (PyTorch's tests: not >= / not >, so a NaN
            # value goes last; a NaN inside the sequence is not a sorted sequence)
        s, v = a[..., None, :], v[..., :, None]
        before = xp.logical_not(s > v) if right else xp.logical_not(s >= v)
        pos = xp.sum(xp.astype(before, i64), axis=-1)
    out_dt = _dtype.int32 if out_int32 else _dtype.int64
    return Tensor._make(xp.astype(pos, b.dtypes[out_dt]), out_dt, b)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The bucket (桶) of each value of ``input`` between the sorted 1-D ``boundaries``: i such that
    boundaries[i-1] < x <= boundaries[i] (``right=True``: boundaries[i-1] <= x < boundaries[i])."""
    if boundaries.ndim != 1:
        _errors.fail("bucketize_dims", n=boundaries.ndim)
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
