"""The cpu backend: NumPy.  NumPy 2's main namespace follows the Array API standard."""
import types

import numpy as np

from .base import Backend, numpy_quiet, numpy_quiet_enter, numpy_quiet_exit, strided_view


def _fast_numpy():
    """NumPy's namespace with its hottest reductions called directly.

    ``np.sum(x, axis=1)`` goes through a generic Python wrapper before it reaches
    ``np.add.reduce``; on the tiny arrays of a training step that wrapper costs
    more than the sum itself (1.3 us of 2.6).  Same functions, same results (except
    the summation order of short rows, see ``short_rows``).
    """
    ns = types.ModuleType("learntorch_numpy", "NumPy, with direct reductions")
    ns.__dict__.update({k: v for k, v in vars(np).items() if not k.startswith("__")})
    add, mul, hi, lo = np.add.reduce, np.multiply.reduce, np.maximum.reduce, np.minimum.reduce

    def short_rows(x):
        # Reducing each row of a tall matrix with short rows (logits: 64 x 10), NumPy loops over the
        # rows with a fixed cost per row: 10 us for 256 x 10.  Reducing the columns of the transposed
        # copy runs along whole rows instead: 2 us.  (Max gives the same numbers in any order; a sum
        # adds each row's few numbers one after the other instead of pairwise.)
        return x.ndim == 2 and 32 <= x.shape[0] and 0 < x.shape[1] <= 32

    def by_columns(reduce, x, keepdims):
        out = reduce(np.ascontiguousarray(x.T), 0)
        return out[:, None] if keepdims else out

    ones = {}   # (n, dtype) -> a read-only vector of n ones

    def column_sums(x):
        # The sum over a batch (a bias's gradient, 256 x 128): as the product ones @ x, which BLAS
        # computes 3x faster than NumPy's reduction along the first axis (1.7 us against 5.1).
        key = (x.shape[0], x.dtype)
        v = ones.get(key)
        if v is None:
            if len(ones) > 64:
                ones.clear()
            v = ones[key] = np.ones(x.shape[0], x.dtype)
            v.flags.writeable = False
        return v @ x

    def sum(x, /, *, axis=None, dtype=None, keepdims=False):
        if type(x) is not np.ndarray:
            return np.sum(x, axis, dtype, None, keepdims)
        if dtype is None and not keepdims and x.ndim == 2:
            if axis == 0 and x.shape[0] >= 16 and x.dtype.kind == "f" and x.dtype.itemsize >= 4 and x.flags.c_contiguous:
                return column_sums(x)
            if (axis == 1 or axis == -1) and short_rows(x):
                return by_columns(add, x, False)
        elif (axis == 1 or axis == -1) and dtype is None and short_rows(x):
            return by_columns(add, x, keepdims)
        return add(x, axis, dtype, None, keepdims)

    def prod(x, /, *, axis=None, dtype=None, keepdims=False):
        return mul(x, axis, dtype, None, keepdims) if type(x) is np.ndarray else np.prod(x, axis, dtype, None, keepdims)

    def max(x, /, *, axis=None, keepdims=False):
        if type(x) is not np.ndarray:
            return np.max(x, axis, None, keepdims)
        if (axis == 1 or axis == -1) and short_rows(x):
            return by_columns(hi, x, keepdims)
        return hi(x, axis, None, None, keepdims)

    def min(x, /, *, axis=None, keepdims=False):
        if type(x) is not np.ndarray:
            return np.min(x, axis, None, keepdims)
        if (axis == 1 or axis == -1) and short_rows(x):
            return by_columns(lo, x, keepdims)
        return lo(x, axis, None, None, keepdims)

    def matrix_transpose(x, /):
        return x.mT if type(x) is np.ndarray else np.matrix_transpose(x)

    def permute_dims(x, /, axes):
        return x.transpose(axes) if type(x) is np.ndarray else np.permute_dims(x, axes)

    ns.sum, ns.prod, ns.max, ns.min, ns.matrix_transpose = sum, prod, max, min, matrix_transpose
    def take(x, indices, /, *, axis=None):
        return x.take(indices, axis=axis) if type(x) is np.ndarray else np.take(x, indices, axis=axis)

    ns.permute_dims, ns.take = permute_dims, take
    return ns


_SAME_SIZE_INT = {np.dtype(np.float16): np.int16, np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


class CPUBackend(Backend):
    name = "cpu"
    xp = _fast_numpy()
    device = None

    def copy_rowmajor(self, array):
        return np.array(array, order="C", copy=True)

    def rowmajor(self, array):
        return array if array.flags.c_contiguous else np.ascontiguousarray(array)

    def owns(self, array):
        flags = array.flags
        return flags.c_contiguous and flags.writeable

    def quiet(self):
        return numpy_quiet()

    enter_quiet = staticmethod(numpy_quiet_enter)
    exit_quiet = staticmethod(numpy_quiet_exit)

    def wrap(self, x):
        # NumPy returns scalars (np.float32(...)) from ops on 0-d arrays: keep arrays.
        return x if type(x) is np.ndarray else np.asarray(x)

    def from_numpy(self, array):
        return array

    def to_numpy(self, array):
        return array

    def data_ptr(self, array):
        return array.__array_interface__["data"][0]

    def is_columnmajor(self, array):
        return array.ndim == 2 and array.strides[0] == array.itemsize and array.shape[0] > 1 and array.shape[1] > 1

    def strides(self, array):
        size = array.itemsize
        return tuple(s // size for s in array.strides)

    def as_strided(self, array, shape, strides, offset=0):
        return strided_view(np.lib.stride_tricks, array, shape, strides, offset)

    def zero_where(self, mask, values):
        # np.where branches on every element; with ReLU's mask (random signs) the CPU guesses half
        # of them wrong: 34 us for 64x128 floats.  Clearing the bits instead takes 4.5 us, same result.
        ints = _SAME_SIZE_INT.get(values.dtype)
        if ints is None:
            return super().zero_where(mask, values)
        keep = mask.astype(ints)   # 1 where the value goes
        keep -= 1                  # ... now 0 there, and all bits set (-1) where it stays
        return (values.view(ints) & keep).view(values.dtype)

    def scatter_add(self, target, index_tuple, values):
        np.add.at(target, index_tuple, values)
        return target


CPU_BACKEND = CPUBackend()
