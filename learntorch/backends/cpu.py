"""The cpu backend: NumPy.  NumPy 2's main namespace follows the Array API standard."""
import numpy as np

from .base import Backend


class CPUBackend(Backend):
    name = "cpu"
    xp = np
    device = None

    def copy_rowmajor(self, array):
        return np.array(array, order="C", copy=True)

    def owns(self, array):
        return array.flags.c_contiguous and array.flags.writeable

    def quiet(self):
        return np.errstate(all="ignore")

    def wrap(self, x):
        # NumPy returns scalars (np.float32(...)) from ops on 0-d arrays: keep arrays.
        return x if type(x) is np.ndarray else np.asarray(x)

    def from_numpy(self, array):
        return array

    def to_numpy(self, array):
        return array

    def data_ptr(self, array):
        return array.__array_interface__["data"][0]

    def strides(self, array):
        size = array.itemsize
        return tuple(s // size for s in array.strides)

    def scatter_add(self, target, index_tuple, values):
        np.add.at(target, index_tuple, values)
        return target


CPU_BACKEND = CPUBackend()
