"""The cuda backend: CuPy on a real GPU, or array-api-strict's simulated device for CI."""
import numpy as np

from .base import Backend, numpy_quiet, numpy_quiet_enter, numpy_quiet_exit, strided_view


class CuPyBackend(Backend):
    name = "cuda"

    def __init__(self, cupy):
        self.xp = cupy
        self.cupy = cupy
        self.device = None  # CuPy uses the current device (cuda:0)
        super().__init__()

    def from_numpy(self, array):
        self.h2d += 1
        return self.cupy.asarray(array)

    def to_numpy(self, array):
        self.d2h += 1
        if self._pending:
            self.run_pending_checks()
        return self.cupy.asnumpy(array)

    def _host_copy(self, array):
        return self.cupy.asnumpy(array)

    def strides(self, array):
        size = array.itemsize
        return tuple(s // size for s in array.strides)

    def synchronize(self):
        self.cupy.cuda.runtime.deviceSynchronize()

    def data_ptr(self, array):
        return array.data.ptr

    def owns(self, array):
        return array.flags.c_contiguous

    def as_strided(self, array, shape, strides, offset=0):
        return strided_view(self.cupy.lib.stride_tricks, array, shape, strides, offset)

    def copy_rowmajor(self, array):
        return self.cupy.array(array, order="C", copy=True)

    def rowmajor(self, array):
        return self.cupy.ascontiguousarray(array)

    def scatter_add(self, target, index_tuple, values):
        self.cupy.add.at(target, index_tuple, values)
        return target


class SimulatedBackend(Backend):
    """``array_api_strict`` on ``Device("device1")``: a stand-in GPU with CuPy's strictness.

    Arrays on it cannot be mixed with cpu arrays or turned into NumPy arrays
    implicitly, and only Array-API-standard functions exist: a kernel that passes
    here uses nothing CuPy lacks.  The backend's own methods reach the NumPy
    array inside (``._array``) only for what the standard leaves to libraries.
    """

    name = "cuda"

    def __init__(self, strict):
        self.xp = strict
        self.device = strict.Device("device1")
        super().__init__()

    def native_dtype(self, d):
        return getattr(self.xp, d.name, None)

    def quiet(self):
        return numpy_quiet()  # array-api-strict computes with NumPy underneath

    enter_quiet = staticmethod(numpy_quiet_enter)
    exit_quiet = staticmethod(numpy_quiet_exit)

    def owns(self, array):
        a = array._array
        return a.flags.c_contiguous and a.flags.writeable  # the Array API standard has no float16

    def copy_rowmajor(self, array):
        return type(array)._new(np.array(array._array, order="C", copy=True), device=array.device)

    def rowmajor(self, array):
        return array if array._array.flags.c_contiguous else self.copy_rowmajor(array)

    def from_numpy(self, array):
        self.h2d += 1
        return self.xp.asarray(np.asarray(array, order="C"), device=self.device)  # keeps 0-dim shapes

    def to_numpy(self, array):
        self.d2h += 1
        if self._pending:
            self.run_pending_checks()
        return np.array(array._array, copy=True)

    def _host_copy(self, array):
        return np.array(array._array, copy=True)

    def data_ptr(self, array):
        return array._array.__array_interface__["data"][0]

    def as_strided(self, array, shape, strides, offset=0):
        view = strided_view(np.lib.stride_tricks, array._array, shape, strides, offset)
        return type(array)._new(view, device=array.device)

    def strides(self, array):
        a = array._array
        return tuple(s // a.itemsize for s in a.strides)

    def scatter_add(self, target, index_tuple, values):
        idx = tuple(i._array if hasattr(i, "_array") else i for i in index_tuple)
        vals = values._array if hasattr(values, "_array") else values
        np.add.at(target._array, idx, vals)
        return target


def _cupy_with_gpu():
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        cupy.zeros(1).sum()  # a GPU really answers
        return cupy
    except Exception:  # no cupy, no driver, no device: not available
        return None


def make_cuda_backend(simulated=False):
    cupy = _cupy_with_gpu()
    if cupy is not None:
        return CuPyBackend(cupy)
    if simulated:
        import array_api_strict
        return SimulatedBackend(array_api_strict)
    return None
