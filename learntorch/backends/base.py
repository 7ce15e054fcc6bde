"""What every backend provides beyond its Array-API namespace ``xp``."""
import contextlib

import numpy as np

try:   # NumPy keeps its error settings in a context variable; entering them prebuilt is cheap
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
    _IGNORE_ALL = _make_extobj(all="ignore")
except (ImportError, TypeError):  # another NumPy layout: fall back to the public np.errstate
    _extobj_contextvar = None


class _NumpyQuiet:
    """``np.errstate(all="ignore")`` with its settings built once: every op enters it, and
    np.errstate rebuilds them on each entry (0.7 us against 0.3 us here)."""

    __slots__ = ("token",)

    def __enter__(self):
        self.token = _extobj_contextvar.set(_IGNORE_ALL)

    def __exit__(self, *exc):
        _extobj_contextvar.reset(self.token)


def numpy_quiet_enter():
    """Enter NumPy's quiet error state; returns what ``numpy_quiet_exit`` needs to leave it (the
    same as ``numpy_quiet()`` as a context manager, without making a context object per op)."""
    if _extobj_contextvar is None:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state
    return _extobj_contextvar.set(_IGNORE_ALL)


def numpy_quiet_exit(token):
    if _extobj_contextvar is None:
        token.__exit__(None, None, None)
    else:
        _extobj_contextvar.reset(token)


def numpy_quiet():
    """A context in which NumPy computes inf/nan without RuntimeWarnings (as PyTorch does)."""
    if _extobj_contextvar is None:
        return np.errstate(all="ignore")
    return _NumpyQuiet()


def strided_view(stride_tricks, array, shape, strides, offset):
    """``as_strided`` for NumPy and CuPy arrays, with the strides and offset in elements."""
    size = array.itemsize
    if offset:  # a one-element view starting ``offset`` elements away (either direction)
        array = stride_tricks.as_strided(array, (2,), (offset * size,))[1:]
    return stride_tricks.as_strided(array, tuple(shape), tuple(s * size for s in strides))


class Backend:
    """Base class: subclasses set ``xp``, ``device`` and the methods below.

    ``h2d`` / ``d2h`` count host-to-device and device-to-host transfers, so
    tests and benchmarks can check that a training step does not sync more than
    it must.
    """

    name = "cpu"
    xp = np
    device = None  # the backend's own device object, passed as device= to xp

    def __init__(self):
        from .. import _dtype
        from .._device import device
        self.torch_device = device("cpu") if self.name == "cpu" else device("cuda", 0)
        self.h2d = 0
        self.d2h = 0
        self._pending = []  # value checks waiting for the next sync (see check_later)
        # learntorch dtype <-> backend dtype, looked up once per op
        self.dtypes = {d: self.native_dtype(d) for d in _dtype.ALL}
        self.from_dtype = {v: k for k, v in self.dtypes.items() if v is not None}
        self.manual_seed(0)

    def native_dtype(self, d):
        return d.np

    # --- checks on values (PyTorch's device-side asserts) ------------------------------
    def check_later(self, array, report):
        """Run ``report(values_on_host)`` on ``array``: now on the cpu, at the next sync on a GPU.

        A check of tensor values (class index in range?) needs the values on the host.  On a GPU
        that would stall the device at every step, so the check waits for the next transfer the
        program makes anyway (``loss.item()``), like PyTorch's device-side asserts."""
        if self.name == "cpu":
            report(self.to_numpy(array))
        else:
            self._pending.append((array, report))

    def run_pending_checks(self):
        pending, self._pending = self._pending, []
        for array, report in pending:
            report(self._host_copy(array))  # at a sync point already: not counted as another one

    def copy_rowmajor(self, array):
        """A copy of ``array`` laid out row by row (C order)."""
        return self.xp.asarray(array, copy=True)

    def rowmajor(self, array):
        """``array`` itself when it is laid out row by row (C order), else a row-major copy."""
        return self.copy_rowmajor(array)

    def owns(self, array):
        """True when ``array`` can be kept as a gradient as it is: laid out row by row, writeable.
        (The engine checks that nothing else was handed the same tensor.)"""
        return False

    def is_columnmajor(self, array):
        """True for a 2-D array laid out column by column (a transposed row-major matrix)."""
        s = self.strides(array)
        return len(s) == 2 and s[0] == 1 and array.shape[0] > 1 and array.shape[1] > 1

    def quiet(self):
        """A context in which overflow, 0/0 ... give inf/nan without warnings (as in PyTorch)."""
        return contextlib.nullcontext()

    # ``quiet()`` without a context object, for ``Op.apply``: ``token = enter_quiet()`` ... ``exit_quiet(token)``
    def enter_quiet(self):
        return None

    def exit_quiet(self, token):
        pass

    def wrap(self, x):
        """Make sure an op's result is an array of this backend (not a scalar)."""
        return x

    # --- host <-> device ----------------------------------------------------
    def from_numpy(self, array):
        """A backend array holding a copy of (or, on cpu, sharing) NumPy ``array``."""
        raise NotImplementedError

    def to_numpy(self, array):
        """A NumPy array with ``array``'s values (a copy off the cpu)."""
        raise NotImplementedError

    def strides(self, array):
        """Element strides of ``array`` (PyTorch counts elements, NumPy bytes)."""
        raise NotImplementedError

    def as_strided(self, array, shape, strides, offset=0):
        """A view of ``array``'s memory (the Array API has no strided views): element
        ``[i0, i1, ...]`` lies ``offset + i0 * strides[0] + i1 * strides[1] + ...`` elements after
        ``array``'s first element.  Nothing is checked: the caller keeps it inside the memory."""
        raise NotImplementedError

    def synchronize(self):
        pass

    # --- random numbers (the Array API has none) -------------------------
    def manual_seed(self, seed):
        from ._mt19937 import TorchGenerator
        self.generator = TorchGenerator(seed)

    # --- ReLU's select ------------------------------------------------------------
    def zero_where(self, mask, values):
        """``where(mask, 0, values)``: +0 where ``mask`` is True, ``values`` elsewhere (ReLU's
        forward and backward)."""
        xp = self.xp
        return xp.where(mask, xp.zeros((), dtype=values.dtype, device=self.device), values)

    # --- scatter-add (the Array API has no index_add/at) -----------------------
    def scatter_add(self, target, index_tuple, values):
        """``target[index_tuple] += values``, accumulating repeated indices; returns target."""
        raise NotImplementedError
