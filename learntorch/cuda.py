"""``learntorch.cuda``: is a GPU there?  (CuPy on a real GPU; a simulated one in CI.)"""
from . import backends as _backends

__all__ = ["is_available", "device_count", "synchronize", "manual_seed", "manual_seed_all", "current_device",
           "get_device_name", "amp"]


def is_available():
    """True when tensors can be put on ``'cuda'``."""
    return _backends.cuda_backend() is not None


def device_count():
    return 1 if is_available() else 0


def current_device():
    _require()
    return 0


def get_device_name(device=None):
    b = _require()
    if b.__class__.__name__ == "SimulatedBackend":
        return "learntorch simulated CUDA device (array-api-strict)"
    return b.cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()


def synchronize(device=None):
    """Wait until the GPU has finished all queued work."""
    _require().synchronize()


def manual_seed(seed):
    b = _backends.cuda_backend()
    if b is not None:
        b.manual_seed(int(seed))


manual_seed_all = manual_seed


def _require():
    b = _backends.cuda_backend()
    if b is None:
        from ._errors import fail
        fail("cuda_unavailable")
    return b


from .amp import cuda_amp as amp  # noqa: E402  learntorch.cuda.amp.autocast / GradScaler (the old spelling)
