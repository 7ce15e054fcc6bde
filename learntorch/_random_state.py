"""``learntorch.Generator`` objects (for ``DataLoader(generator=...)``, ``randperm(generator=...)``)."""
from .backends._mt19937 import TorchGenerator


class Generator:
    """A random-number generator with its own state, PyTorch's algorithm."""

    def __init__(self, device="cpu"):
        self._gen = TorchGenerator(67280421310721)  # PyTorch's default seed for new generators
        self.device = device

    def manual_seed(self, seed):
        self._gen.manual_seed(seed)
        return self

    def initial_seed(self):
        return self._gen.initial_seed

    def seed(self):
        import numpy as np
        s = int(np.random.SeedSequence().entropy % (2 ** 63))
        self._gen.manual_seed(s)
        return s

    def get_state(self):
        return self._gen.get_state()

    def set_state(self, state):
        self._gen.set_state(state)
        return self


default_generator = Generator()
