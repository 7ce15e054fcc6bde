"""Data types (数据类型) and PyTorch's type-promotion rules.

A learntorch dtype is a small object that names an element type and knows the
matching backend dtype (``float32`` -> ``numpy.float32``).  The promotion rules
below are PyTorch's, which differ from NumPy's in two ways a learner meets at once:

* Python numbers are "weak": ``int_tensor * 2.5`` is float32 (the default float
  dtype), not float64; ``float16_tensor + 1.0`` stays float16.
* 0-dim tensors are weaker than tensors with dimensions of the same category:
  ``int8_vector + int64_scalar_tensor`` stays int8.
"""
import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "half", "float", "double",
    "int8", "int16", "int32", "int64", "short", "int", "long", "uint8", "bool",
    "promote_types", "get_default_dtype", "set_default_dtype", "is_floating_point",
]

_BOOL, _INT, _FLOAT = 0, 1, 2  # categories, weakest first


class dtype:
    __slots__ = ("name", "itemsize", "is_floating_point", "is_signed", "category", "np", "_rank")

    def __init__(self, name, np_type, category, rank):
        self.name = name
        self.np = np.dtype(np_type)
        self.itemsize = self.np.itemsize
        self.category = category
        self.is_floating_point = category == _FLOAT
        self.is_signed = name not in ("uint8", "bool")
        self._rank = rank

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):  # pickling a dtype gives back the same object
        return (_by_name, (self.name,))

    @property
    def is_complex(self):
        return False


float16 = half = dtype("float16", np.float16, _FLOAT, 0)
float32 = float = dtype("float32", np.float32, _FLOAT, 1)
float64 = double = dtype("float64", np.float64, _FLOAT, 2)
uint8 = dtype("uint8", np.uint8, _INT, 0)
int8 = dtype("int8", np.int8, _INT, 0)
int16 = short = dtype("int16", np.int16, _INT, 1)
int32 = int = dtype("int32", np.int32, _INT, 2)
int64 = long = dtype("int64", np.int64, _INT, 3)
bool = dtype("bool", np.bool_, _BOOL, 0)

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_NAMES = {d.name: d for d in ALL}
_FROM_NP = {d.np: d for d in ALL}

# The legacy tensor-type names: torch.FloatTensor etc. and x.type() strings.
TYPE_NAMES = {
    float16: "HalfTensor", float32: "FloatTensor", float64: "DoubleTensor",
    uint8: "ByteTensor", int8: "CharTensor", int16: "ShortTensor",
    int32: "IntTensor", int64: "LongTensor", bool: "BoolTensor",
}
# Short names PyTorch uses in messages: "Float", "Long" ...
SHORT_NAMES = {
    float16: "Half", float32: "Float", float64: "Double", uint8: "Byte", int8: "Char",
    int16: "Short", int32: "Int", int64: "Long", bool: "Bool",
}


def _by_name(name):
    return _NAMES[name]


def from_numpy_dtype(np_dtype):
    """The learntorch dtype for a NumPy (or any backend) dtype."""
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).type.__name__}. The only supported "
            "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
            "uint32, uint16, uint8, and bool."
        ) from None


_default_float = float32


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    """Set the dtype that Python floats (and ``torch.Tensor(2, 3)``) become."""
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        from ._errors import fail
        fail("default_dtype")
    _default_float = d


def is_floating_point(t):
    return t.dtype.is_floating_point


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` convert to without losing kind.

    bool < integers < floating point.  Among floats the wider one wins (an
    integer never widens a float: ``int64`` with ``float16`` gives ``float16``).
    Among integers: the wider one, and uint8 with int8 gives int16.
    """
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == _INT:
        if {a, b} == {uint8, int8}:
            return int16
        if uint8 in (a, b):  # uint8 with a wider signed integer
            other = b if a is uint8 else a
            return other
    return a if a._rank >= b._rank else b


def scalar_dtype(value):
    """The dtype PyTorch infers for a Python number."""
    if isinstance(value, (np.bool_, type(True))):
        return bool
    if isinstance(value, (np.integer, type(1))):
        return int64
    return _default_float


def _combine(higher, lower):
    # PyTorch's combine_categories: a weaker group only matters if it is of a
    # higher category (e.g. a float scalar with an int tensor).
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type_of(tensors, scalars=()):
    """Result dtype for an op on ``tensors`` (learntorch Tensors) and Python ``scalars``."""
    dim = zero = wrapped = None
    for t in tensors:
        d = t.dtype
        if t.ndim:
            dim = d if dim is None else promote_types(dim, d)
        else:
            zero = d if zero is None else promote_types(zero, d)
    for s in scalars:
        d = scalar_dtype(s)
        wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim, _combine(zero, wrapped))


class finfo:
    """Machine limits of a floating-point dtype: ``finfo(torch.float32).eps`` is 2**-23."""

    def __init__(self, type=None):
        type = get_default_dtype() if type is None else type
        if not isinstance(type, dtype) or not type.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = np.finfo(type.np)
        self.bits = info.bits
        self.eps = builtins.float(info.eps)                 # gap between 1.0 and the next number
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision           # 10 ** -(decimal digits of precision)
        self.dtype = type.name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype: ``iinfo(torch.int8).max`` is 127."""

    def __init__(self, type):
        if not isinstance(type, dtype) or type.category != _INT:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                            "'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits = info.bits
        self.max = builtins.int(info.max)
        self.min = builtins.int(info.min)
        self.dtype = type.name

    def __repr__(self):
        return f"iinfo(min={builtins.float(self.min):g}, max={builtins.float(self.max):g}, dtype={self.dtype})"
