"""Shape rules, checked before any backend runs so errors read like PyTorch's.

Broadcasting (广播): align shapes on the right; two sizes fit when they are equal
or one of them is 1; missing leading dimensions count as 1.
"""
from . import _errors


def broadcast_shapes(*shapes):
    """The broadcast result of ``shapes``, or PyTorch's error naming the first clash."""
    ndim = max(len(s) for s in shapes)
    result = [1] * ndim
    for s in shapes:
        offset = ndim - len(s)
        for i, size in enumerate(s):
            j = offset + i
            have = result[j]
            if have == size or size == 1:
                continue
            if have == 1:
                result[j] = size
            else:
                _errors.fail("broadcast", a=have, b=size, dim=j)
    return tuple(result)


def normalize_shape(args, fn="view"):
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` and ``f(torch.Size)`` all mean shape (2, 3)."""
    if len(args) == 1 and not isinstance(args[0], int):
        args = args[0]
    shape = tuple(int(s) for s in args)
    return shape


def infer_shape(shape, numel):
    """Fill in one ``-1`` in ``shape`` so that the sizes multiply to ``numel`` (PyTorch's checks, in its order)."""
    known, infer = 1, None
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                _errors.fail("infer_two")
            infer = i
        elif s >= 0:
            known *= s
        else:
            _errors.fail("shape_dim_invalid", size=s, i=i, shape=_errors.shape_str(shape))
    if infer is None:
        if known != numel:
            _errors.fail("bad_shape", shape=_errors.shape_str(shape), numel=numel)
        return tuple(shape)
    if known == 0:
        if numel == 0:
            _errors.fail("infer_zero", shape=_errors.shape_str(shape))
        _errors.fail("bad_shape", shape=_errors.shape_str(shape), numel=numel)
    if numel % known:
        _errors.fail("bad_shape", shape=_errors.shape_str(shape), numel=numel)
    return tuple(numel // known if s == -1 else s for s in shape)


def axis_key(dim, item):
    """An index key that applies ``item`` (an int or a slice) to dimension ``dim`` only.

    Written out in full (``(:, :, item, ...)``) because the Array API standard does
    not allow partial keys such as ``x[item]`` on a matrix."""
    return (slice(None),) * dim + (item, Ellipsis)


def clamp_slice(s, size):
    """``s`` (a Python slice, step > 0) with start/stop inside ``[0, size]`` as PyTorch treats them."""
    start, stop, step = s.indices(size)
    return start, max(stop, start), step


def view_strides(old_shape, old_strides, new_shape):
    """Strides for viewing a tensor with ``old_shape``/``old_strides`` as ``new_shape``,
    or None when no view is possible (some new dimension would span two
    non-contiguous chunks of memory).  Sizes-1 dimensions take any stride."""
    if not old_shape:
        old_shape, old_strides = (1,), (1,)
    new_strides = [0] * len(new_shape)
    # Walk the old dims from the right in chunks that are contiguous in memory.
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        # A chunk ends where the next-left dim is not laid out right after this one.
        if d == 0 or (old_shape[d - 1] != 1 and old_strides[d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base_stride = old_strides[d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def contiguous_strides(shape):
    strides = []
    acc = 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))
