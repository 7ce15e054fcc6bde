"""PyTorch's CPU random-number generator, rebuilt on NumPy's Mersenne Twister.

PyTorch's CPU generator is a 32-bit MT19937 seeded the classic way
(``init_genrand``), which NumPy's ``MT19937`` reproduces with its legacy
seeding.  Turning raw 32-bit draws into floats the way PyTorch does makes
``manual_seed(0); rand(3)`` give PyTorch's numbers, and so the same initial
weights for ``nn.Linear``.  All draws happen on the host; a GPU backend copies
the result over (PyTorch's CUDA generator is a different algorithm anyway).
"""
import numpy as np

_U64 = np.uint64


class TorchGenerator:
    def __init__(self, seed=0):
        self.bits = np.random.MT19937()
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self.initial_seed = int(seed)
        self.bits._legacy_seeding(int(seed) & 0xFFFFFFFF)
        return self

    def get_state(self):
        return self.bits.state

    def set_state(self, state):
        self.bits.state = state

    # raw draws ------------------------------------------------------------
    def random32(self, n):
        return self.bits.random_raw(n).astype(_U64)

    def random64(self, n):
        raw = self.random32(2 * n)
        return (raw[0::2] << _U64(32)) | raw[1::2]

    # distributions, as PyTorch's CPU kernels compute them ---------------------
    def uniform(self, n, low, high, np_dtype):
        """``n`` floats in [low, high): 24 random bits for float32/16, 53 for float64."""
        if np_dtype == np.float64:
            x = (self.random64(n) & _U64((1 << 53) - 1)) * 2.0 ** -53
            return x * (high - low) + low
        x = ((self.random32(n) & _U64((1 << 24) - 1)) * 2.0 ** -24).astype(np.float32)
        return (x * np.float32(high - low) + np.float32(low)).astype(np_dtype)
