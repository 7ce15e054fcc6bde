"""Creating tensors (创建张量): ``tensor``, ``zeros``, ``arange``, ``rand`` ...

Every factory takes PyTorch's keyword arguments ``dtype=``, ``device=`` and
``requires_grad=``.  Values are built on the host with NumPy and moved to the
device once.  Random numbers come from PyTorch's own generator algorithm
(``backends/_mt19937.py``), so a seed gives the numbers PyTorch gives; the
in-place fills ``x.uniform_()``, ``x.normal_()``, ``x.random_()``,
``x.bernoulli_()`` (used by ``nn.init`` and dropout) live here too.
"""
import math
import numbers
import os
import warnings

import numpy as np

from . import _dtype, _errors
from . import _shape as _shape_mod
from ._device import as_device
from ._tensor import Size, Tensor
from .backends import CPU_BACKEND, backend_for
from .backends._mt19937 import fma64
from .autograd.function import Op

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "empty_strided", "eye",
    "zeros_like", "ones_like", "full_like", "empty_like", "rand_like", "randn_like", "randint_like",
    "arange", "linspace", "logspace", "rand", "randn", "randint", "normal", "randperm", "bernoulli",
    "manual_seed", "seed", "initial_seed", "scalar_tensor", "get_rng_state", "set_rng_state",
    "multinomial", "poisson", "set_num_threads", "get_num_threads", "is_nonzero", "can_cast",
]

_INT_LIMITS = {d: (int(np.iinfo(d.np).min), int(np.iinfo(d.np).max))
               for d in (_dtype.uint8, _dtype.int8, _dtype.int16, _dtype.int32, _dtype.int64)}


# --- small helpers ---------------------------------------------------------------------

def _check_dtype(dtype, fn):
    if dtype is not None and not isinstance(dtype, _dtype.dtype):
        raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    return dtype


def _finish(np_array, dtype, device, requires_grad):
    """Move a host array to ``device`` as ``dtype`` and set ``requires_grad``."""
    if requires_grad and not dtype.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    backend = backend_for(as_device(device))
    arr = np.asarray(np_array)
    if arr.dtype != dtype.np:
        arr = arr.astype(dtype.np)
    data = backend.from_numpy(arr) if backend is not CPU_BACKEND else arr
    t = Tensor._make(data, dtype, backend)
    t._requires_grad = bool(requires_grad)
    return t


def _size(args, fn, missing=None):
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(torch.Size)`` -> a tuple of ints."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = tuple(args[0])
    elif len(args) > 1 and any(isinstance(a, (tuple, list)) for a in args):
        raise TypeError(f"{fn}() takes 1 positional argument but {len(args)} were given")
    elif len(args) == 0 and missing is not None:
        raise TypeError(missing)
    for a in args:
        if isinstance(a, Tensor) and a.ndim == 0 and not a.dtype.is_floating_point:
            continue
        if not isinstance(a, numbers.Integral):
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type(a).__name__}")
    return tuple(int(a) for a in args)


def _check_negative(shape, fn=None):
    for s in shape:
        if s < 0:
            if fn is not None:
                _errors.fail("negative_dim", fn=fn)
            _errors.fail("negative_dim_create", size=s, shape=list(shape))


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


# --- torch.tensor: inferring dtype and shape from nested data ---------------------------------

def _leaf_dtype(x):
    """The dtype PyTorch infers for one scalar element, or None if it is not a scalar."""
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, (bool, np.bool_)):
        return _dtype.bool
    if isinstance(x, np.generic):
        return _dtype.from_numpy_dtype(x.dtype)
    if isinstance(x, numbers.Integral):
        return _dtype.int64
    if isinstance(x, numbers.Real):
        return _dtype.get_default_dtype()
    return None


def _infer_dtype(data):
    """Promote the dtypes of all elements (python float -> default dtype, int -> int64, bool -> bool)."""
    d = _leaf_dtype(data)
    if d is not None:
        return d
    if isinstance(data, np.ndarray):
        return _dtype.from_numpy_dtype(data.dtype)
    if isinstance(data, str):
        _errors.fail("bad_data", type="str")
    if isinstance(data, (list, tuple, range)):
        if len(data) == 0:
            return _dtype.get_default_dtype()
        out = None
        for x in data:
            d = _infer_dtype(x)
            out = d if out is None else _dtype.promote_types(out, d)
        return out
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _is_seq(x):
    return isinstance(x, (list, tuple, range, np.ndarray, str))


def _infer_shape(data):
    """Sizes along the first element of each level (PyTorch's rule); a string is 'too many dimensions'."""
    shape = []
    while _is_seq(data):
        if isinstance(data, str):
            raise ValueError(f"too many dimensions '{type(data).__name__}'")
        if isinstance(data, np.ndarray) and data.ndim == 0:
            raise TypeError("len() of unsized object")
        shape.append(len(data))
        if len(data) == 0:
            break
        data = data[0]
    return shape


def _flatten(data, shape, dim, out, dt):
    """Collect the scalars in order, checking every list has the length the shape says."""
    if dim == len(shape):
        out.append(_scalar_value(data, dt))
        return
    if not _is_seq(data) or isinstance(data, str):
        if isinstance(data, str):
            _errors.fail("bad_data", type="str")
        raise TypeError("not a sequence")
    if isinstance(data, np.ndarray) and data.ndim == 0:
        raise TypeError("len() of unsized object")
    if len(data) != shape[dim]:
        _errors.fail("ragged", want=shape[dim], dim=dim, got=len(data))
    for x in data:
        _flatten(x, shape, dim + 1, out, dt)


def _scalar_value(x, dt):
    """One element as a Python number, with PyTorch's errors for what is not one."""
    if isinstance(x, Tensor):
        if x.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return x.item()
    if isinstance(x, (list, tuple, range, np.ndarray)):
        if dt.is_floating_point:
            raise TypeError(f"must be real number, not {type(x).__name__}")
        raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
    if isinstance(x, str):
        _errors.fail("bad_data", type="str")
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, numbers.Number):
        if isinstance(x, numbers.Integral) and not isinstance(x, bool) and not -2 ** 63 <= x < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")
        return x
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


def _convert(values, dt):
    """Python numbers -> a NumPy array of ``dt``, refusing integer overflow as PyTorch does."""
    if dt in _INT_LIMITS:
        lo, hi = _INT_LIMITS[dt]
        if dt is _dtype.uint8:
            lo = -255  # PyTorch lets small negative numbers wrap around into uint8
        ints = []
        for v in values:
            if isinstance(v, float) and not math.isfinite(v) or not lo <= v <= hi:
                raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
            ints.append(int(v))
        return np.array(ints, dtype=np.int64).astype(dt.np)
    with np.errstate(over="ignore"):
        return np.array(values, dtype=np.float64 if dt.is_floating_point else None).astype(dt.np)


_warned_ndarray_list = False


def _data_to_numpy(data, dtype):
    """Any data ``torch.tensor`` accepts -> (NumPy array, dtype)."""
    if isinstance(data, Tensor):
        return data._backend.to_numpy(data._data), dtype or data.dtype
    if isinstance(data, np.ndarray):
        src = _dtype.from_numpy_dtype(data.dtype)
        dt = dtype or src
        return (np.array(data, copy=True) if dt is src else _convert_array(data, dt)), dt
    if isinstance(data, str):
        _errors.fail("bad_data", type="str")
    shape = _infer_shape(data)
    dt = dtype or _infer_dtype(data)
    global _warned_ndarray_list
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray) and not _warned_ndarray_list:
        _warned_ndarray_list = True  # PyTorch says it once per process
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider "
                      "converting the list to a single numpy.ndarray with numpy.array() before converting to "
                      "a tensor.", UserWarning, stacklevel=3)
    flat = []
    if _numel(shape):
        _flatten(data, shape, 0, flat, dt)
    return _convert(flat, dt).reshape(shape), dt


def _convert_array(arr, dt):
    if dt in _INT_LIMITS and arr.dtype.kind == "f":
        return _convert(arr.reshape(-1).tolist(), dt).reshape(arr.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        return arr.astype(dt.np)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested list, NumPy array or tensor).

    The dtype is inferred as in PyTorch: Python floats -> float32 (the default),
    ints -> int64, bools -> bool, NumPy arrays and tensors keep theirs; mixed
    lists take the "widest" kind (bool < int < float).
    """
    _check_dtype(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        if device is None:
            device = data.device
    arr, dt = _data_to_numpy(data, dtype)
    if isinstance(data, (Tensor, np.ndarray)) and np.may_share_memory(arr, _host_view(data)):
        arr = arr.copy()  # torch.tensor always copies: the new tensor never shares memory with data
    return _finish(arr, dt, device, requires_grad)


def _host_view(data):
    return data._backend.to_numpy(data._data) if isinstance(data, Tensor) and not data.is_cuda else \
        data if isinstance(data, np.ndarray) else np.empty(0)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can (no copy)."""
    _check_dtype(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    if isinstance(data, np.ndarray) and as_device(device).type == "cpu":
        t = from_numpy(data)
        return t if dtype is None or dtype is t.dtype else t.to(dtype)
    arr, dt = _data_to_numpy(data, dtype)
    return _finish(arr, dt, device, False)


def from_numpy(ndarray):
    """A cpu tensor sharing memory with ``ndarray``: changing one changes the other."""
    if not isinstance(ndarray, np.ndarray):
        t = type(ndarray)
        name = t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"
        _errors.fail("from_numpy_type", type=name)
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    dt = _dtype.from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")
    return Tensor._make(ndarray, dt, CPU_BACKEND)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    return _finish(np.asarray(s), dtype or _dtype.get_default_dtype(), device, requires_grad)


# --- filled tensors ---------------------------------------------------------------------------

def _filled(shape, value, dtype, device, requires_grad):
    dt = dtype or _dtype.get_default_dtype()
    if requires_grad and not dt.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    backend = backend_for(as_device(device))
    if dt in _INT_LIMITS and isinstance(value, float):
        value = int(value) if math.isfinite(value) else 0
    data = backend.xp.full(shape, value, dtype=backend.dtypes[dt], device=backend.device)
    t = Tensor._make(data, dt, backend)
    t._requires_grad = bool(requires_grad)
    return t


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    shape = _size(size, "zeros", 'zeros() missing 1 required positional arguments: "size"')
    _check_negative(shape, "zeros")
    return _filled(shape, 0, _check_dtype(dtype, "zeros"), device, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of ones."""
    shape = _size(size, "ones", 'ones() missing 1 required positional arguments: "size"')
    _check_negative(shape)
    return _filled(shape, 1, _check_dtype(dtype, "ones"), device, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None):
    """Uninitialised in PyTorch (whatever was in memory); zeros in learntorch, so every run prints the same."""
    shape = _size(size, "empty", 'empty() missing 1 required positional arguments: "size"')
    _check_negative(shape)
    return _filled(shape, 0, _check_dtype(dtype, "empty"), device, requires_grad)


_MISSING = object()


def empty_strided(size=_MISSING, stride=_MISSING, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A new tensor with the given ``size`` and ``stride`` (in elements) on memory of its own
    (uninitialised in PyTorch; zeros in learntorch, as ``empty``)."""
    from .ops.shape import _int_tuple, _reach
    missing = [f'"{n}"' for n, v in (("size", size), ("stride", stride)) if v is _MISSING]
    if missing:
        raise TypeError(f"empty_strided() missing {len(missing)} required positional argument"
                        f"{'s' if len(missing) == 1 else ''}: " + ", ".join(missing))
    size = _int_tuple(size, "size", 1, "empty_strided")
    stride = _int_tuple(stride, "stride", 2, "empty_strided")
    if len(size) != len(stride):
        _errors.fail("strided_dims", n=len(size), m=len(stride))
    if any(s < 0 for s in stride):
        _errors.fail("strided_overflow", sizes=list(size), strides=list(stride))
    _check_negative(size)
    memory = _filled((_reach(size, stride) + 1,), 0, _check_dtype(dtype, "empty_strided"), device, requires_grad)
    memory._data = memory._backend.as_strided(memory._data, size, stride)
    return memory


def full(size=_MISSING, fill_value=_MISSING, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor filled with ``fill_value``; the dtype follows the value (int -> int64, bool -> bool)."""
    missing = [n for n, v in (("size", size), ("fill_value", fill_value)) if v is _MISSING]
    if missing:
        raise TypeError(f"full() missing {len(missing)} required positional argument"
                        f"{'s' if len(missing) == 1 else ''}: " + ", ".join(f'"{n}"' for n in missing))
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (numbers.Number, np.generic)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    shape = _size((size,), "full")
    _check_negative(shape)
    dtype = _check_dtype(dtype, "full") or _dtype.scalar_dtype(fill_value)
    return _filled(shape, fill_value, dtype, device, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The identity matrix: ones on the diagonal (``n`` rows, ``m`` columns, default ``m = n``)."""
    for name, v in (("n", n), ("m", m)):
        if v is not None and (not isinstance(v, numbers.Integral) or isinstance(v, bool)):
            raise TypeError(f"eye(): argument '{name}' (position {1 if name == 'n' else 2}) must be int, "
                            f"not {type(v).__name__}")
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    dt = _check_dtype(dtype, "eye") or _dtype.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m), dt, device, requires_grad)


def _like(t, dtype, device, fn):
    if not isinstance(t, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(t).__name__}")
    return _check_dtype(dtype, fn) or t.dtype, device if device is not None else t.device


def _like_strides(t):
    """The strides PyTorch gives a ``*_like`` result (memory_format=torch.preserve_format): the input's
    own when it is laid out densely in some order (e.g. a transposed matrix), otherwise dense strides
    in the input's order of strides (PyTorch's infer_dense_strides).  Random fills follow the memory
    order, so this also decides where each random number lands."""
    shape, strides = tuple(t.shape), t.stride()
    n = len(shape)
    by_stride = sorted(range(n), key=lambda d: (shape[d] < 2, strides[d]))   # size-1 dims last
    need = 1
    for d in by_stride:                                # non-overlapping and dense?
        if shape[d] < 2:
            return strides
        if strides[d] != need:
            break
        need *= shape[d]
    else:
        return strides
    perm = list(range(n - 1, -1, -1))                  # innermost first, then insertion sort

    def should_swap(a, b):
        if strides[a] == 0 or strides[b] == 0:
            return 0
        if strides[a] != strides[b]:
            return -1 if strides[a] < strides[b] else 1
        return 1 if shape[a] > shape[b] else 0
    for i in range(1, n):
        j = i
        for k in range(i - 1, -1, -1):
            c = should_swap(perm[k], perm[j])
            if c > 0:
                perm[k], perm[j] = perm[j], perm[k]
                j = k
            elif c < 0:
                break
    out, step = [0] * n, 1
    for d in perm:
        out[d] = step
        step *= max(shape[d], 1)
    return tuple(out)


def _laid_out_like(input, make, requires_grad):
    """``make(shape, requires_grad)`` (a new row-major tensor) laid out in memory as PyTorch lays out
    a ``*_like`` result of ``input`` (see _like_strides)."""
    shape = tuple(input.shape)
    strides = _like_strides(input)
    if strides == _shape_mod.contiguous_strides(shape):
        return make(shape, requires_grad)
    flat = make((input.numel(),), False)
    t = Tensor._make(flat._backend.as_strided(flat._data, shape, strides), flat.dtype, flat._backend)
    t._requires_grad = bool(requires_grad)
    return t


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device, "zeros_like")
    return _laid_out_like(input, lambda shape, rg: _filled(shape, 0, dt, dev, rg), requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device, "ones_like")
    return _laid_out_like(input, lambda shape, rg: _filled(shape, 1, dt, dev, rg), requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device, "empty_like")
    return _laid_out_like(input, lambda shape, rg: _filled(shape, 0, dt, dev, rg), requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dt, dev = _like(input, dtype, device, "full_like")
    return _laid_out_like(input, lambda shape, rg: _filled(shape, fill_value, dt, dev, rg), requires_grad)


# --- ranges: arange, linspace, logspace ---------------------------------------------------------
#
# PyTorch computes each element with a fused multiply-add in double precision
# (``start + i * step``) and rounds it to the dtype.  arange on float32/float64
# builds blocks of 8 (float32) or 4 (float64) elements from the first element
# of the block (``base + k * step``), as its vectorised CPU kernel does; the
# elements after the last pair of blocks are computed one by one.  The
# float32 results differ from NumPy's in the last bit now and then, which is
# what shows up as ``-2.9802e-09`` in ``torch.arange(-1., 1., 0.1)``.

def _number(v):
    return v.item() if isinstance(v, Tensor) else v


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``."""
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    dtype = _check_dtype(dtype, "arange")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = _dtype.get_default_dtype() if is_float else _dtype.int64
    if dtype is _dtype.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        _errors.fail("step_zero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype.is_floating_point:
        n = int(math.ceil((float(end) - float(start)) / float(step)))
        values = _arange_float(float(start), float(step), n, dtype)
    else:  # integer kernels first truncate start, end and step to integers
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            _errors.fail("step_zero")
        n = max(0, -((start - end) // step))
        values = start + np.arange(n, dtype=np.int64) * step
    return _finish(values, dtype, device, requires_grad)


def _arange_float(start, step, n, dtype):
    idx = np.arange(n, dtype=np.float64)
    width = {_dtype.float32: 8, _dtype.float64: 4}.get(dtype, 16)
    blocked = n // (2 * width) * (2 * width)                 # elements made by the vectorised loop
    k = idx % width
    base = fma64(step, idx - k, start).astype(dtype.np)       # first element of each block
    in_blocks = fma64(k, step, base.astype(np.float64))
    one_by_one = fma64(step, idx, start)
    return np.where(idx < blocked, in_blocks, one_by_one).astype(dtype.np)


def _linspace_values(start, end, steps, dtype):
    """PyTorch's linspace: the first half counts up from ``start``, the second half down from ``end``."""
    if steps == 0:
        return np.zeros(0)
    work = np.float32 if dtype in (_dtype.float32, _dtype.float16) else np.float64
    if dtype in _INT_LIMITS:
        start, end = float(int(start)), float(int(end))
    start, end = work(start), work(end)
    if steps == 1:
        return np.array([start])
    step = work((end - start) / work(steps - 1))
    idx = np.arange(steps)
    up = _fma_work(step, idx.astype(work), start, work)
    down = _fma_work(-step, (steps - 1 - idx).astype(work), end, work)
    return np.where(idx < steps // 2, up, down)


def _fma_work(a, b, c, work):
    from .backends._mt19937 import fma32
    return fma32(a, b, c) if work == np.float32 else fma64(a, b, c)


def _check_steps(steps, fn, start, end):
    if not isinstance(steps, numbers.Integral) or isinstance(steps, bool):
        names = ", ".join(type(v).__name__ for v in (start, end, steps) if v is not _MISSING)
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({names}), but expected one of:")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")


def linspace(start, end, steps=_MISSING, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    start, end = _number(start), _number(end)
    _check_steps(steps, "linspace", start, end)
    dt = _check_dtype(dtype, "linspace") or _dtype.get_default_dtype()
    values = _linspace_values(float(start), float(end), int(steps), dt)
    if dt in _INT_LIMITS:
        values = np.trunc(values)
    return _finish(values, dt, device, requires_grad)


def logspace(start, end, steps=_MISSING, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    start, end = _number(start), _number(end)
    _check_steps(steps, "logspace", start, end)
    dt = _check_dtype(dtype, "logspace") or _dtype.get_default_dtype()
    exps = _linspace_values(float(start), float(end), int(steps), dt)
    values = np.array([math.pow(float(base), float(e)) for e in exps], np.float64)
    if dt in _INT_LIMITS:
        values = np.trunc(values)
    return _finish(values, dt, device, requires_grad)


# --- random numbers -----------------------------------------------------------------------------

def _generator(device, generator):
    """The state to draw from: ``generator=`` if given, else the device's default generator."""
    if generator is not None:
        from ._random_state import Generator
        if not isinstance(generator, Generator):
            return None
        return generator._gen
    return backend_for(as_device(device)).generator


_gen = _generator  # the name nn.init uses


def _bad_call(fn, args, kwargs=None):
    names = [type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in (kwargs or {}).items()]
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({', '.join(names)}), "
                     f"but expected one of:")


def _random_factory(fn, size, dtype, device, requires_grad, generator, kind):
    if len(size) == 0:
        raise _bad_call(fn, ())
    shape = _size(size, fn)
    gen = _generator(device, generator)
    if gen is None:
        raise _bad_call(fn, size, {"generator": generator})
    _check_negative(shape)
    dt = _check_dtype(dtype, fn) or _dtype.get_default_dtype()
    if not dt.is_floating_point:
        kernel = "check_uniform_bounds" if kind == "uniform" else "normal_kernel_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype.SHORT_NAMES[dt]}'")
    n = _numel(shape)
    if kind == "uniform":
        values = gen.uniform(n, 0.0, 1.0, dt.np)
    else:
        values = gen.normal(n, 0.0, 1.0, dt.np)
    return _finish(values.reshape(shape), dt, device, requires_grad)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """Uniform random numbers in [0, 1)."""
    return _random_factory("rand", size, dtype, device, requires_grad, generator, "uniform")


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """Standard normal random numbers (mean 0, std 1)."""
    return _random_factory("randn", size, dtype, device, requires_grad, generator, "normal")


def _check_std(std):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Normal random numbers: ``normal(mean, std, size)`` (numbers) or element-wise tensor means/stds.

    With tensors, PyTorch draws standard normals z for the broadcast shape, then
    returns ``z * std + mean``.
    """
    gen = _generator(device, generator)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise _bad_call("normal", (mean, std))
        shape = _size((size,) if isinstance(size, numbers.Integral) else (tuple(size),), "normal")
        _check_std(std)
        dt = _check_dtype(dtype, "normal") or _dtype.get_default_dtype()
        values = gen.normal(_numel(shape), float(mean), float(std), dt.np).reshape(shape)
        return _finish(values, dt, device, requires_grad)
    from ._shape import broadcast_shapes
    ref = mean if isinstance(mean, Tensor) else std
    shape = tuple(broadcast_shapes(*(tuple(x.shape) for x in (mean, std) if isinstance(x, Tensor))))
    if not ref.dtype.is_floating_point:
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_dtype.SHORT_NAMES[ref.dtype]}'")
    if isinstance(mean, Tensor) and not isinstance(std, Tensor):
        _check_std(std)
        z = empty(shape, dtype=ref.dtype, device=ref.device).normal_(0.0, float(std), generator=generator)
        return z + mean
    z = empty(shape, dtype=ref.dtype, device=ref.device).normal_(0.0, 1.0, generator=generator)
    return z * std + mean


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False):
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:
        if isinstance(high, (tuple, list, Size)):
            low, high, size = 0, low, high
        elif high is None:
            raise _bad_call("randint", (low,))
        else:
            raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not "
                            f"{type(high).__name__}")
    if not isinstance(size, (tuple, list, Size)):
        if high is not None and low == 0 and isinstance(size, numbers.Integral):
            raise _bad_call("randint", (low, high, size))
        raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not {type(size).__name__}")
    for v in (low, high):
        if isinstance(v, float) or not isinstance(v, numbers.Integral):
            raise _bad_call("randint", (low, high, tuple(size)))
        if not -2 ** 63 <= v < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")
    shape = _size((size,), "randint")
    _check_negative(shape)
    dt = _check_dtype(dtype, "randint") or _dtype.int64
    if requires_grad and not dt.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    _check_int_range(low, high, dt)
    values = _generator(device, generator).integers(_numel(shape), low, high)
    return _finish(values.reshape(shape).astype(dt.np), dt, device, requires_grad)


def _check_int_range(low, high, dt):
    if low >= high:
        _errors.fail("randint_range", low=low, high=high)
    if dt in _INT_LIMITS:
        lo, hi = _INT_LIMITS[dt]
        cname = {"uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
                 "int64": "long"}[dt.name]
        if not lo <= low <= hi:
            raise RuntimeError(f"from is out of bounds for {cname}")
        if not lo <= high - 1 <= hi:
            raise RuntimeError(f"to - 1 is out of bounds for {cname}")


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of 0 .. n-1 (Fisher-Yates shuffle, PyTorch's draws)."""
    if n < 0:
        _errors.fail("negative_dim_create", size=n, shape=[n])
    dt = _check_dtype(dtype, "randperm") or _dtype.int64
    if requires_grad and not dt.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    values = _generator(device, generator).permutation(int(n))
    return _finish(values, dt, device, requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """0/1 draws: element i is 1 with probability ``input[i]`` (or ``p`` for every element)."""
    if p is not None:
        return empty_like(input).bernoulli_(p, generator=generator)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for "
                                  f"'{_dtype.SHORT_NAMES[input.dtype]}'")
    return empty_like(input).bernoulli_(input, generator=generator)


# --- multinomial sampling (多项分布采样) ---------------------------------------------------------

def _generator_arg(fn, device, generator):
    gen = _generator(device, generator)
    if gen is None:
        raise TypeError(f"{fn}(): argument 'generator' must be torch.Generator, not {type(generator).__name__}")
    return gen


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Draw ``num_samples`` category indices per row of ``input`` (weights, not necessarily summing to 1).

    With replacement: cumulative distribution + one uniform per sample.  Without
    replacement (and for a single sample) PyTorch's Gumbel trick: with
    q ~ Exponential(1) per category, the indices of the largest ``p / q`` are a
    sample without replacement (argmax of log p - log q is a Gumbel-max draw).
    """
    return _multinomial(input, num_samples, replacement, generator, out, shift=0)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    """``Tensor.multinomial``: see ``multinomial``."""
    return _multinomial(self, num_samples, replacement, generator, None, shift=1)


def _multinomial(input, num_samples, replacement, generator, out, shift):
    """``shift``: 1 for the Tensor method, whose argument positions count from num_samples."""
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if not isinstance(num_samples, numbers.Integral) or isinstance(num_samples, (bool, np.bool_)):
        raise TypeError(f"multinomial(): argument 'num_samples' (position {2 - shift}) must be int, "
                        f"not {type(num_samples).__name__}")
    if not isinstance(replacement, (bool, np.bool_)):
        raise TypeError(f"multinomial(): argument 'replacement' (position {3 - shift}) must be bool, "
                        f"not {type(replacement).__name__}")
    gen = _generator_arg("multinomial", input.device, generator)
    if not input.dtype.is_floating_point:
        _errors.fail("multinomial_dtype", dtype=_dtype.SHORT_NAMES[input.dtype])
    if input.ndim not in (1, 2):
        _errors.fail("multinomial_dim")
    n, categories = int(num_samples), input.shape[-1]
    if n <= 0:
        _errors.fail("multinomial_n")
    if not replacement and n > categories:
        _errors.fail("multinomial_too_many")
    if categories > 2 ** 24:
        _errors.fail("multinomial_categories")
    p = input._backend.to_numpy(input.detach()._data)
    rows = p.reshape(1 if input.ndim == 1 else input.shape[0], categories)
    shape = (n,) if input.ndim == 1 else (input.shape[0], n)
    if rows.shape[0] * n == 0:
        values = np.zeros(shape, np.int64)
    elif not replacement or n == 1:
        values = _multinomial_gumbel(gen, input, p, rows, n).reshape(shape)
    else:
        for row in rows:          # PyTorch checks each element in turn, then the row's sum
            bad = next((v for v in row.tolist() if not v >= 0 or math.isinf(v)), None)
            if bad is not None:
                _errors.fail("multinomial_negative" if not bad >= 0 else "multinomial_inf")
            if not (row.sum(dtype=np.float64) > 0 if row.size else False):
                _errors.fail("multinomial_sum")
        values = gen.multinomial_with_replacement(rows, n).reshape(shape)
    result = _finish(values, _dtype.int64, input.device, False)
    if out is not None:
        out.copy_(result)
        return out
    return result


def _multinomial_gumbel(gen, input, p, rows, n):
    """The ``n`` largest ``p / q`` per row, q ~ Exponential(1) drawn in the input's memory order."""
    if rows.size == 0:
        _errors.fail("aminmax_empty")
    if not (np.all(rows >= 0) and np.all(rows < np.inf)):
        _errors.fail("multinomial_invalid")
    if np.any(rows.sum(axis=-1, dtype=np.float64) == 0):
        _errors.fail("multinomial_sum")
    q = _in_memory_order(gen.exponential(p.size, 1.0, p.dtype), p.shape, input.stride())
    with np.errstate(all="ignore"):
        ratio = (p / q).reshape(rows.shape)
    # largest first; equal ratios (zero-probability categories once the others are used up) keep their
    # index order here, while PyTorch's topk leaves them in libstdc++'s nth_element order
    return np.argsort(-ratio, axis=-1, kind="stable")[:, :n]


class Poisson(Op):
    """y ~ Poisson(rate), drawn on the host.   dy/drate = 0 (PyTorch's convention)."""

    @staticmethod
    def forward(ctx, rate, *, gen):
        rates = ctx.backend.to_numpy(rate)
        return ctx.backend.from_numpy(gen.poisson(rates.astype(np.float64)).astype(rates.dtype))

    @staticmethod
    def backward(ctx, grad):
        return zeros_like(grad)


def poisson(input, generator=None):
    """One Poisson(rate) count per element of ``input`` (the rates), as floats of input's dtype.

    Differentiable as PyTorch makes it: the gradient with respect to the rates is 0.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"poisson(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    gen = _generator_arg("poisson", input.device, generator)
    _float_only(input, "poisson_cpu")
    rates = input._backend.to_numpy(input.detach()._data)
    if np.any(~(rates >= 0)):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return Poisson.apply(input, gen=gen)


# --- small utilities ---------------------------------------------------------------------------

_num_threads = [os.cpu_count() or 1]


def set_num_threads(int):
    """Set how many threads the math may use.

    learntorch runs no threads of its own: the many-core work is NumPy's BLAS
    (matrix products), which this limits through threadpoolctl when it is
    installed; otherwise the number is only recorded for ``get_num_threads()``.
    """
    n = int
    if not isinstance(n, numbers.Integral) or isinstance(n, (bool, np.bool_)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _num_threads[0] = n.__index__()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=_num_threads[0], user_api="blas")


def get_num_threads():
    """The number given to ``set_num_threads`` (at start: the number of CPUs)."""
    return _num_threads[0]


def is_nonzero(input):
    """``bool(input)`` for a one-element tensor (PyTorch's error for any other size)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"is_nonzero(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return bool(input)


def can_cast(from_, to):
    """Whether an in-place op may write a ``from_`` result into a ``to`` tensor: no float->int, nothing->bool."""
    for position, (name, d) in enumerate((("from_", from_), ("to", to)), 1):
        if not isinstance(d, _dtype.dtype):
            raise TypeError(f"can_cast(): argument '{name}' (position {position}) must be torch.dtype, "
                            f"not {type(d).__name__}")
    from .ops import _inplace
    return _inplace.can_cast(from_, to)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device, "rand_like")
    if not dt.is_floating_point:
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{_dtype.SHORT_NAMES[dt]}'")
    return _laid_out_like(input, lambda shape, rg: rand(shape, dtype=dt, device=dev, requires_grad=rg),
                          requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device, "randn_like")
    if not dt.is_floating_point:
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_dtype.SHORT_NAMES[dt]}'")
    return _laid_out_like(input, lambda shape, rg: randn(shape, dtype=dt, device=dev, requires_grad=rg),
                          requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None):
    if high is None:
        low, high = 0, low
    dt, dev = _like(input, dtype, device, "randint_like")
    return _laid_out_like(input, lambda shape, rg: randint(low, high, shape, dtype=dt, device=dev, requires_grad=rg),
                          requires_grad)


# --- seeding --------------------------------------------------------------------------------------

def _all_generators():
    from .backends import _cuda, _cuda_checked
    gens = [CPU_BACKEND.generator]
    if _cuda_checked and _cuda is not None:
        gens.append(_cuda.generator)
    return gens


def manual_seed(seed):
    """Seed every default random-number generator (cpu and cuda) so runs repeat exactly."""
    seed = int(seed)
    if not -2 ** 63 <= seed < 2 ** 64:
        raise ValueError("Overflow when unpacking long long")
    for g in _all_generators():
        g.manual_seed(seed)
    from ._random_state import default_generator
    return default_generator


def seed():
    """Seed from the operating system's entropy (like PyTorch at start-up); returns the seed."""
    s = int(np.random.SeedSequence().entropy % (2 ** 63))
    manual_seed(s)
    return s


def initial_seed():
    return CPU_BACKEND.generator.initial_seed


def get_rng_state():
    """The cpu generator's state as a uint8 tensor (PyTorch's 5056-byte layout)."""
    return Tensor._make(CPU_BACKEND.generator.get_state(), _dtype.uint8, CPU_BACKEND)


def set_rng_state(new_state):
    if not isinstance(new_state, Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
    CPU_BACKEND.generator.set_state(new_state._backend.to_numpy(new_state._data))


# --- in-place random fills (Tensor methods) ------------------------------------------------------

def _fill_(t, values):
    """Write host ``values`` into ``t``'s memory (views see it; the version counter goes up)."""
    from .ops import _inplace
    _inplace.check_inplace_allowed(t)
    b = t._backend
    arr = _in_memory_order(np.asarray(values), tuple(t.shape), t.stride()).astype(t.dtype.np)
    t._data[...] = b.from_numpy(arr) if b is not CPU_BACKEND else arr
    t._vc[0] += 1
    return t


def _in_memory_order(flat, shape, strides):
    """Lay the i-th drawn number at the i-th element in memory, as PyTorch's kernels visit them.

    For a contiguous tensor that is the usual row-major order; for a transposed
    view, the numbers fill the memory (the base tensor) row by row.
    """
    order = sorted(range(len(shape)), key=lambda i: -strides[i])   # outermost dim in memory first
    laid = flat.reshape([shape[i] for i in order])
    return np.transpose(laid, np.argsort(order))


def _float_only(t, kernel):
    if not t.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype.SHORT_NAMES[t.dtype]}'")


def uniform_(self, from_=0, to=1, *, generator=None):
    """Fill with uniform numbers in [from_, to):  x = u * (to - from_) + from_."""
    _float_only(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={from_:g} > to={to:g}")
    gen = _generator(self.device, generator)
    return _fill_(self, gen.uniform(self.numel(), float(from_), float(to), self.dtype.np))


def normal_(self, mean=0, std=1, *, generator=None):
    """Fill with normal numbers:  x = z * std + mean,  z ~ N(0, 1)."""
    _float_only(self, "normal_kernel_cpu")
    _check_std(std)
    gen = _generator(self.device, generator)
    values = gen.normal(self.numel(), float(mean), float(std), self.dtype.np, contiguous=self.is_contiguous())
    return _fill_(self, values)


def random_(self, from_=None, to=None, *, generator=None):
    """Fill with random integers: in [from_, to), [0, to) with one argument, or any the dtype holds exactly."""
    gen = _generator(self.device, generator)
    if from_ is None and to is None:
        return _fill_(self, gen.random_bits(self.numel(), self.dtype.np))
    if to is None:
        from_, to = 0, from_
    if from_ >= to:
        _errors.fail("randint_range", low=from_, high=to)
    return _fill_(self, gen.integers(self.numel(), int(from_), int(to)))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 0/1: 1 with probability ``p`` (a number, or a tensor of probabilities)."""
    gen = _generator(self.device, generator)
    if isinstance(p, Tensor):
        probs = p._backend.to_numpy(p._data)
        probs = np.broadcast_to(probs, tuple(self.shape))
        if np.any((probs < 0) | (probs > 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                               "message be improved?  If so, please report an enhancement request to PyTorch.)")
        return _fill_(self, gen.bernoulli_tensor(np.ascontiguousarray(probs)))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    return _fill_(self, gen.bernoulli(self.numel(), p))


def exponential_(self, lambd=1, *, generator=None):
    """Fill with exponential numbers (rate ``lambd``):  x = -log(1 - u) / lambd."""
    if not lambd > 0:
        _errors.fail("exponential_lambda", lambd=lambd)
    if not self.dtype.is_floating_point:
        _errors.fail("exponential_dtype", dtype=_dtype.SHORT_NAMES[self.dtype])
    gen = _generator_arg("exponential_", self.device, generator)
    return _fill_(self, gen.exponential(self.numel(), float(lambd), self.dtype.np))


def geometric_(self, p, *, generator=None):
    """Fill with geometric numbers (trials until the first success, P(success) = p):  ceil(log u / log(1 - p))."""
    if not 0 < p < 1:
        _errors.fail("geometric_p", p=p)
    if self.dtype is _dtype.bool:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    gen = _generator_arg("geometric_", self.device, generator)
    return _fill_(self, gen.geometric(self.numel(), float(p), self.dtype.np))


def log_normal_(self, mean=1, std=2, *, generator=None):
    """Fill with log-normal numbers:  x = exp(z * std + mean),  z ~ N(0, 1)."""
    if not std > 0:
        _errors.fail("log_normal_std", std=std)
    _float_only(self, "log_normal_cpu")
    gen = _generator_arg("log_normal_", self.device, generator)
    return _fill_(self, gen.log_normal(self.numel(), float(mean), float(std), self.dtype.np))


def cauchy_(self, median=0, sigma=1, *, generator=None):
    """Fill with Cauchy numbers:  x = median + sigma * tan(pi * (u - 1/2))."""
    if not sigma > 0:
        _errors.fail("cauchy_sigma", sigma=sigma)
    if not self.dtype.is_floating_point:
        _errors.fail("cauchy_dtype", dtype=_legacy_c_name(self.dtype))
    gen = _generator_arg("cauchy_", self.device, generator)
    return _fill_(self, gen.cauchy(self.numel(), float(median), float(sigma), self.dtype.np))


# --- Tensor.new_* (a new tensor with this one's dtype and device) ----------------------------------

def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
    dt = dtype or self.dtype
    arr, _ = _data_to_numpy(data, dt)
    return _finish(arr, dt, device if device is not None else self.device, requires_grad)


def _new_filled(fn, value):
    def method(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
        shape = _size(size, fn)
        _check_negative(shape)
        return _filled(shape, value, dtype or self.dtype, device if device is not None else self.device,
                       requires_grad)
    method.__name__ = fn
    method.__doc__ = f"A new tensor of {value}s with this tensor's dtype and device."
    return method


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    shape = _size((size,), "new_full")
    _check_negative(shape)
    return _filled(shape, fill_value, dtype or self.dtype, device if device is not None else self.device,
                   requires_grad)


for _name, _fn in [("uniform_", uniform_), ("normal_", normal_), ("random_", random_),
                   ("bernoulli_", bernoulli_), ("new_tensor", new_tensor), ("new_full", new_full),
                   ("new_zeros", _new_filled("new_zeros", 0)), ("new_ones", _new_filled("new_ones", 1)),
                   ("new_empty", _new_filled("new_empty", 0)),
                   ("bernoulli", lambda self, p=None, *, generator=None: bernoulli(self, p, generator=generator)),
                   ("exponential_", exponential_), ("geometric_", geometric_), ("log_normal_", log_normal_),
                   ("cauchy_", cauchy_), ("multinomial", _multinomial_method)]:
    setattr(Tensor, _name, _fn)


# --- legacy constructors and pickling ---------------------------------------------------------------

def _legacy_new(cls, dt, args, device):
    """``Tensor(2, 3)`` -> zeros of that shape; ``Tensor([1, 2])`` -> the data as ``dt``."""
    if len(args) == 0:
        t = _finish(np.zeros((0,)), dt, device, False)
    elif len(args) == 1 and isinstance(args[0], Size):
        t = _finish(np.zeros(tuple(args[0])), dt, device, False)
    elif all(isinstance(a, numbers.Integral) and not isinstance(a, (bool, np.bool_)) for a in args):
        shape = tuple(int(a) for a in args)
        _check_negative(shape)
        t = _finish(np.zeros(shape), dt, device, False)
    elif len(args) == 1:
        data = args[0]
        if isinstance(data, Tensor):
            if data.dtype is not dt:
                def options(d, dev):
                    return (f"TensorOptions(dtype={_legacy_c_name(d)}, device={dev}, layout=Strided, requires_grad="
                            "false (default), pinned_memory=false (default), memory_format=(nullopt))")
                want = str(device) if device is not None else "cpu"
                raise TypeError(f"expected {options(dt, want)} (got {options(data.dtype, data.device)})")
            return data
        if isinstance(data, str):
            _errors.fail("bad_data", type="str")
        if not isinstance(data, (list, tuple, range, np.ndarray)):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        arr, _ = _data_to_numpy(data, dt)
        t = _finish(arr, dt, device, False)
    else:
        bad = next(a for a in args if not isinstance(a, numbers.Integral))
        pos = list(args).index(bad)
        raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {pos + 1} with error "
                        f"\"type must be tuple of ints,but got {type(bad).__name__}\"")
    if cls is not Tensor:
        t.__class__ = cls
    return t


def _legacy_c_name(dt):
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
            "int8": "signed char", "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half"}[dt.name]


def _rebuild(array, dtype_name, device, requires_grad, cls):
    t = _finish(array, _dtype._by_name(dtype_name), device, False)
    t.__class__ = cls
    t._requires_grad = requires_grad
    return t


seed()  # like PyTorch, a fresh process starts from a random seed
