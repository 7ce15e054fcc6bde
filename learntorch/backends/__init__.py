"""Backends: one object per device type (后端).

A backend holds ``xp``, an Array-API namespace, plus the few things the Array
API standard lacks: random numbers, scatter-add, host<->device copies and
synchronize.  Kernels in ``learntorch/ops`` call only ``xp.<standard function>``
and these methods, so the same kernel runs on NumPy (cpu) and CuPy (cuda).

``cuda`` resolves, once, to:

* CuPy, when it imports and a GPU answers;
* with ``LEARNTORCH_SIMULATED_CUDA=1`` and no GPU, ``array_api_strict`` on its
  ``Device("device1")``, which refuses non-standard functions, implicit
  conversion to NumPy and device mixing, as CuPy does (how CI tests the CUDA
  path on machines without a GPU);
* otherwise nothing: ``learntorch.cuda.is_available()`` is False.
"""
import os

from .base import Backend
from .cpu import CPU_BACKEND

_cuda = None
_cuda_checked = False


def cuda_backend():
    """The cuda backend, or None when no GPU (real or simulated) is available."""
    global _cuda, _cuda_checked
    if not _cuda_checked:
        _cuda_checked = True
        from .cuda import make_cuda_backend
        _cuda = make_cuda_backend(simulated=os.environ.get("LEARNTORCH_SIMULATED_CUDA") == "1")
    return _cuda


def backend_for(device):
    if device.type == "cpu":
        return CPU_BACKEND
    b = cuda_backend()
    if b is None:
        from .._errors import fail
        fail("cuda_unavailable")
    return b
