"""Creating tensors (创建张量): ``tensor``, ``zeros``, ``arange``, ``rand`` ...

Every factory takes PyTorch's keyword arguments ``dtype=``, ``device=`` and
``requires_grad=``.  Values are built on the host with NumPy and moved to the
device once.  Random numbers come from PyTorch's own generator algorithm
(``backends/_mt19937.py``), so a seed gives the numbers PyTorch gives.
"""
import math
import numbers

import numpy as np

from . import _dtype, _errors
from ._device import as_device
from ._tensor import Tensor
from .backends import CPU_BACKEND, backend_for

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye",
    "zeros_like", "ones_like", "full_like", "empty_like", "rand_like", "randn_like", "randint_like",
    "arange", "linspace", "logspace", "rand", "randn", "randint", "normal", "randperm",
    "manual_seed", "seed", "initial_seed", "scalar_tensor", "get_rng_state", "set_rng_state",
]


def _finish(np_array, dtype, device, requires_grad, fn="tensor"):
    """Move a host array to ``device`` as ``dtype`` and set ``requires_grad``."""
    if requires_grad and not dtype.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    backend = backend_for(as_device(device))
    arr = np.asarray(np_array, dtype=dtype.np)
    data = backend.from_numpy(arr) if backend is not CPU_BACKEND else arr
    t = Tensor._make(data, dtype, backend)
    t._requires_grad = bool(requires_grad)
    return t


def _shape(size, fn):
    if len(size) == 1 and not isinstance(size[0], numbers.Integral):
        size = size[0]
    shape = tuple(int(s) for s in size)
    if any(s < 0 for s in shape):
        _errors.fail("negative_dim", fn=fn)
    return shape


def _infer(data):
    """Nested lists/tuples/numbers/tensors -> (NumPy array, inferred dtype), with PyTorch's checks."""
    if isinstance(data, Tensor):
        return data._backend.to_numpy(data._data), data.dtype
    if isinstance(data, np.ndarray):
        return data, _dtype.from_numpy_dtype(data.dtype)
    if isinstance(data, np.generic):
        return np.asarray(data), _dtype.from_numpy_dtype(data.dtype)
    kinds = set()
    shape = _check_nested(data, 0, kinds)
    flat = []
    _flatten(data, flat)
    if "float" in kinds:
        dt = _dtype.get_default_dtype()
    elif "int" in kinds:
        dt = _dtype.int64
    elif "bool" in kinds:
        dt = _dtype.bool
    elif "tensor" in kinds:
        dt = None
    else:
        dt = _dtype.get_default_dtype()  # tensor([]) is float32
    if dt is None:
        dts = [x.dtype for x in flat]
        dt = dts[0]
        for d in dts[1:]:
            dt = _dtype.promote_types(dt, d)
    values = [x.item() if isinstance(x, Tensor) else x for x in flat]
    return np.asarray(values, dtype=dt.np if dt is not _dtype.bool else np.bool_).reshape(shape), dt


def _check_nested(data, dim, kinds):
    if isinstance(data, Tensor):
        if data.ndim == 0:
            kinds.add("tensor")
            return ()
        return tuple(data.shape)  # rare: a list of tensors; handled by _flatten via tolist
    if isinstance(data, (bool, np.bool_)):
        kinds.add("bool")
        return ()
    if isinstance(data, numbers.Integral):
        kinds.add("int")
        return ()
    if isinstance(data, numbers.Real):
        kinds.add("float")
        return ()
    if isinstance(data, np.ndarray):
        kinds.add("float" if data.dtype.kind == "f" else "int" if data.dtype.kind in "iu" else "bool")
        return data.shape
    if not isinstance(data, (list, tuple)):
        _errors.fail("bad_data", type=type(data).__name__)
    if not data:
        return (0,)
    inner = [_check_nested(x, dim + 1, kinds) for x in data]
    for x, s in zip(data, inner):
        if s != inner[0]:
            want = inner[0][0] if inner[0] else None
            got = len(x) if isinstance(x, (list, tuple)) else None
            if want is None or got is None:
                raise TypeError("not a sequence" if got is None else f"expected a number at dim {dim + 1}")
            _errors.fail("ragged", want=want, dim=dim + 1, got=got)
    return (len(data),) + inner[0]


def _flatten(data, out):
    if isinstance(data, (list, tuple)):
        for x in data:
            _flatten(x, out)
    elif isinstance(data, np.ndarray):
        out.extend(data.reshape(-1).tolist())
    elif isinstance(data, Tensor) and data.ndim:
        out.extend(data.reshape(-1).tolist())
    else:
        out.append(data)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested list, NumPy array or tensor).

    The dtype is inferred as in PyTorch: Python floats -> float32 (the default),
    ints -> int64, bools -> bool.
    """
    arr, inferred = _infer(data)
    dt = dtype or inferred
    if device is None and isinstance(data, Tensor):
        device = data.device
    out = _finish(np.array(arr, dtype=dt.np, copy=True), dt, device, requires_grad)
    return out


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can."""
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype) and as_device(device).type == "cpu":
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A cpu tensor sharing memory with ``ndarray``: changing one changes the other."""
    if not isinstance(ndarray, np.ndarray):
        _errors.fail("from_numpy_type", type=type(ndarray).__name__)
    return Tensor._make(ndarray, _dtype.from_numpy_dtype(ndarray.dtype), CPU_BACKEND)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    return _finish(np.asarray(s), dtype or _dtype.get_default_dtype(), device, requires_grad)


def _filled(size, value, dtype, device, requires_grad, fn):
    shape = _shape(size, fn)
    dt = dtype or _dtype.get_default_dtype()
    backend = backend_for(as_device(device))
    if requires_grad and not dt.is_floating_point:
        _errors.fail("int_requires_grad_factory")
    data = backend.xp.full(shape, value, dtype=backend.dtypes[dt], device=backend.device)
    t = Tensor._make(data, dt, backend)
    t._requires_grad = bool(requires_grad)
    return t


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype, device, requires_grad, "zeros")


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _filled(size, 1, dtype, device, requires_grad, "ones")


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None):
    """Uninitialised in PyTorch; zeros in learntorch, so every run prints the same."""
    return _filled(size, 0, dtype, device, requires_grad, "empty")


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value)
    return _filled((size,) if isinstance(size, numbers.Integral) else tuple(size), fill_value, dtype, device,
                   requires_grad, "full")


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    dt = dtype or _dtype.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m), dt, device, requires_grad)


def _like(t, dtype, device):
    return dtype or t.dtype, device if device is not None else t.device


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, 0, dt, dev, requires_grad, "zeros_like")


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, 1, dt, dev, requires_grad, "ones_like")


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, fill_value, dt, dev, requires_grad, "full_like")


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``."""
    if end is None:
        start, end = 0, start
    if step == 0:
        _errors.fail("step_zero")
    vals = [start, end, step]
    vals = [v.item() if isinstance(v, Tensor) else v for v in vals]
    if dtype is None:
        dtype = _dtype.get_default_dtype() if any(isinstance(v, float) for v in vals) else _dtype.int64
    start, end, step = vals
    n = max(0, math.ceil((end - start) / step))
    arr = start + np.arange(n, dtype=np.float64 if dtype.is_floating_point else np.int64) * step
    return _finish(arr, dtype, device, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    dt = dtype or _dtype.get_default_dtype()
    arr = _torch_linspace(float(start), float(end), int(steps))
    return _finish(arr, dt, device, requires_grad)


def _torch_linspace(start, end, steps):
    # PyTorch fills the first half from the start and the second half from the end.
    if steps == 1:
        return np.array([start])
    step = (end - start) / (steps - 1)
    idx = np.arange(steps, dtype=np.float64)
    half = steps // 2
    return np.where(idx < half, start + step * idx, end - step * (steps - 1 - idx))


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dt = dtype or _dtype.get_default_dtype()
    return _finish(np.power(base, _torch_linspace(float(start), float(end), int(steps))), dt, device,
                   requires_grad)


# --- random numbers -----------------------------------------------------------------

def _gen(device=None, generator=None):
    if generator is not None:
        return generator._gen
    return CPU_BACKEND.generator


def manual_seed(seed):
    """Seed every random-number generator (cpu and cuda) so runs repeat exactly."""
    seed = int(seed)
    CPU_BACKEND.manual_seed(seed)
    from .backends import _cuda_checked, _cuda
    if _cuda_checked and _cuda is not None:
        _cuda.manual_seed(seed)
    from . import _random_state
    _random_state.default_generator._gen = CPU_BACKEND.generator
    return _random_state.default_generator


def seed():
    s = int(np.random.SeedSequence().entropy % (2 ** 63))
    manual_seed(s)
    return s


def initial_seed():
    return CPU_BACKEND.generator.initial_seed


def get_rng_state():
    return CPU_BACKEND.generator.get_state()


def set_rng_state(state):
    CPU_BACKEND.generator.set_state(state)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """Uniform random numbers in [0, 1)."""
    shape = _shape(size, "rand")
    dt = dtype or _dtype.get_default_dtype()
    n = int(np.prod(shape, dtype=np.int64))
    vals = _gen(device, generator).uniform(n, 0.0, 1.0, dt.np).reshape(shape)
    return _finish(vals, dt, device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """Standard normal random numbers (mean 0, std 1)."""
    shape = _shape(size, "randn")
    dt = dtype or _dtype.get_default_dtype()
    n = int(np.prod(shape, dtype=np.int64))
    vals = _gen(device, generator).normal(n, 0.0, 1.0, dt.np).reshape(shape)
    return _finish(vals, dt, device, requires_grad)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Normal random numbers: ``normal(mean, std, size)`` or element-wise tensor means/stds."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        ref = mean if isinstance(mean, Tensor) else std
        m = mean._backend.to_numpy(mean._data) if isinstance(mean, Tensor) else mean
        s = std._backend.to_numpy(std._data) if isinstance(std, Tensor) else std
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        n = int(np.prod(shape, dtype=np.int64))
        z = _gen(device, generator).normal(n, 0.0, 1.0, ref.dtype.np).reshape(shape)
        return _finish(z * s + m, ref.dtype, ref.device, requires_grad)
    shape = _shape((size,) if isinstance(size, numbers.Integral) else tuple(size), "normal")
    dt = dtype or _dtype.get_default_dtype()
    n = int(np.prod(shape, dtype=np.int64))
    vals = _gen(device, generator).normal(n, float(mean), float(std), dt.np).reshape(shape)
    return _finish(vals, dt, device, requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False):
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:
        if isinstance(high, (tuple, list)):
            low, high, size = 0, low, high
        else:
            raise TypeError("randint() received an invalid combination of arguments - got (int), but expected "
                            "one of:\n * (int high, tuple of ints size)\n * (int low, int high, tuple of ints size)")
    if low >= high:
        _errors.fail("randint_range", low=low, high=high)
    shape = _shape(tuple(size), "randint")
    n = int(np.prod(shape, dtype=np.int64))
    vals = _gen(device, generator).integers(n, int(low), int(high)).reshape(shape)
    return _finish(vals, dtype or _dtype.int64, device, requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of 0 .. n-1."""
    vals = _gen(device, generator).permutation(int(n))
    return _finish(vals, dtype or _dtype.int64, device, requires_grad)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device)
    return rand(*input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt, dev = _like(input, dtype, device)
    return randn(*input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None):
    if high is None:
        low, high = 0, low
    dt, dev = _like(input, dtype, device)
    return randint(low, high, tuple(input.shape), dtype=dt, device=dev)


# --- legacy constructors and pickling --------------------------------------------------

def _legacy_new(cls, dt, args, device):
    """``Tensor(2, 3)`` -> zeros of that shape; ``Tensor([1, 2])`` -> data as ``dt``."""
    if len(args) == 0:
        t = _finish(np.zeros((0,)), dt, device, False)
    elif all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        t = _finish(np.zeros(_shape(args, "Tensor")), dt, device, False)
    elif len(args) == 1 and isinstance(args[0], tuple) and type(args[0]).__name__ == "Size":
        t = _finish(np.zeros(tuple(args[0])), dt, device, False)
    elif len(args) == 1:
        arr, _ = _infer(args[0])
        t = _finish(np.array(arr, dtype=dt.np), dt, device, False)
    else:
        raise TypeError(f"new() received an invalid combination of arguments - got {tuple(type(a).__name__ for a in args)}")
    if cls is not Tensor:
        t.__class__ = cls
    return t


def _rebuild(array, dtype_name, device, requires_grad, cls):
    t = _finish(array, _dtype._by_name(dtype_name), device, False)
    t.__class__ = cls
    t._requires_grad = requires_grad
    return t
