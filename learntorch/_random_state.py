"""``learntorch.Generator``: a random-number generator with its own state (随机数生成器).

Pass one as ``generator=`` to ``rand``, ``randperm``, ``DataLoader`` ... to draw
from it instead of the global (default) generator.  Same algorithm as
PyTorch's CPU generator, so ``Generator().manual_seed(0)`` gives PyTorch's numbers.
"""
from ._device import as_device
from .backends import CPU_BACKEND, backend_for
from .backends._mt19937 import DEFAULT_SEED, TorchGenerator

__all__ = ["Generator", "default_generator"]


class Generator:
    """A random-number generator; a new one starts from PyTorch's default seed 67280421310721."""

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        backend_for(self.device)  # PyTorch's error when the device is not available
        self._gen = TorchGenerator(DEFAULT_SEED)

    def manual_seed(self, seed):
        """Restart the sequence from ``seed``; returns the generator (so calls can be chained)."""
        seed = int(seed)
        if not -2 ** 63 <= seed < 2 ** 64:
            raise ValueError("Overflow when unpacking long long")
        self._gen.manual_seed(seed)
        return self

    def initial_seed(self):
        return self._gen.initial_seed

    def seed(self):
        """Seed from the operating system's entropy; returns the seed."""
        import numpy as np
        s = int(np.random.SeedSequence().entropy % (2 ** 63))
        self._gen.manual_seed(s)
        return s

    def get_state(self):
        """The state as a uint8 tensor (PyTorch's layout: the Mersenne Twister's 624 words and more)."""
        from . import _dtype
        from ._tensor import Tensor
        return Tensor._make(self._gen.get_state(), _dtype.uint8, CPU_BACKEND)

    def set_state(self, new_state):
        self._gen.set_state(new_state._backend.to_numpy(new_state._data))
        return self


class _DefaultGenerator(Generator):
    """``torch.default_generator``: the generator behind ``rand()`` and friends on the cpu."""

    def __init__(self):
        self.device = as_device("cpu")

    @property
    def _gen(self):
        return CPU_BACKEND.generator


default_generator = _DefaultGenerator()
