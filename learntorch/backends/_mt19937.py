"""PyTorch's CPU random-number generator (随机数生成器), rebuilt on NumPy's Mersenne Twister.

PyTorch's CPU generator is a 32-bit MT19937 seeded the classic way
(``init_genrand``), which NumPy's ``MT19937`` reproduces with its legacy
seeding.  Every distribution below turns the raw 32-bit draws into numbers the
way PyTorch's CPU kernels do, so after ``manual_seed(s)`` learntorch gives the
very numbers PyTorch gives (and so the same initial weights for ``nn.Linear``).

How PyTorch uses the raw draws (one "draw" = one 32-bit MT output):

* ``random32``: one draw; ``random64``: two draws, ``(first << 32) | second``.
* uniform float32/float16: ``(draw & (2**24 - 1)) * 2**-24`` -> [0, 1);
  float64: ``(random64 & (2**53 - 1)) * 2**-53``.  Then ``u * (to - from) + from``
  computed with one rounding (a fused multiply-add, FMA: the compiler fuses it).
* normal (Box-Muller): fewer than 16 numbers, or a non-contiguous tensor: pairs
  of float64 uniforms ``u1, u2`` give ``r cos(t)`` now and keep ``r sin(t)`` for
  the next request (the generator caches it).  16 or more: fill the tensor
  with uniforms, then turn each block of 16 into 16 normals in place (the last,
  partial block is redone with 16 fresh uniforms).  float32 does that with
  8-lane AVX2 polynomial approximations of log/sin/cos (see ``_avx_log``).
* integers in [low, high): ``draw % (high - low) + low`` (``random64`` once the
  range reaches 2**28).
* randperm(n): Fisher-Yates, swapping element i with ``i + draw % (n - i)``.
* exponential_, geometric_, cauchy_, log_normal_: one float64 number per element
  (a float64 uniform, or a cached Box-Muller normal for log_normal_), computed
  with libm (``math.log1p`` ...), then cast to the tensor's dtype (float16 via
  float32, as C++ does).  Even float32 tensors take 53-bit uniforms here.
* multinomial (多项分布采样): with replacement, each row's running sum normalised
  to end at 1, then per sample the first category whose cumulative probability
  reaches a float64 uniform; without replacement (or one sample) the Gumbel
  trick: ``q = exponential_()``, the ``num_samples`` largest ``p / q``.

All draws happen on the host; a GPU backend copies the result over (PyTorch's
CUDA generator is a different algorithm anyway).
"""
import math
from fractions import Fraction

import numpy as np

_U64 = np.uint64
_F32 = np.float32
DEFAULT_SEED = 67280421310721  # PyTorch's default_rng_seed_val
STATE_BYTES = 5056             # size of PyTorch's CPU generator state (torch.get_rng_state())


# --- fused multiply-add (a * b + c with ONE rounding), as the compiled kernels do ---

def fma32(a, b, c):
    """float32 ``a * b + c`` rounded once.

    float64 holds ``a * b`` exactly (24 + 24 bits); the sum is then rounded
    twice (to float64, then float32), which is wrong only when the float64 sum
    lands exactly halfway between two float32s: nudge those off the midpoint.
    """
    a, b, c = (np.asarray(v, _F32).astype(np.float64) for v in (a, b, c))
    p = a * b
    s = p + c
    err = _two_sum_err(p, c, s)
    r = s.astype(_F32)
    gap = np.abs(np.nextafter(r, np.where(s > r, np.inf, -np.inf).astype(_F32)).astype(np.float64) - r)
    tie = (err != 0) & (np.abs(s - r) * 2 == gap)
    if tie.any():
        r = np.where(tie, np.nextafter(s, s + err), s).astype(_F32)
    return r


def _two_sum_err(a, b, s):
    """The rounding error of ``s = a + b`` (exact: a + b == s + err)."""
    bb = s - a
    return (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    """``a * b == p + e`` exactly (Dekker's product with Veltkamp splitting)."""
    p = a * b
    ca, cb = a * 134217729.0, b * 134217729.0  # 2**27 + 1
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def fma64(a, b, c):
    """float64 ``a * b + c`` rounded once (exact error terms; rare hard cases with Fractions)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    p, e = _two_prod(a, b)
    s = p + c
    t = _two_sum_err(p, c, s)
    w = t + e
    out = s + w                     # exact sum = s + t + e; one rounding if t + e is exact
    hard = (_two_sum_err(t, e, w) != 0) | ~np.isfinite(out)
    if hard.any():
        out = np.array(out, copy=True)
        for i in zip(*np.nonzero(hard)):
            x, y, z = float(a[i]), float(b[i]), float(c[i])
            finite = math.isfinite(x) and math.isfinite(y) and math.isfinite(z)
            out[i] = float(Fraction(x) * Fraction(y) + Fraction(z)) if finite else x * y + z
    return out


def _fma(a, b, c, np_dtype):
    return fma64(a, b, c) if np_dtype == np.float64 else fma32(a, b, c)


# --- AVX2 log / sincos (float32, 8 lanes) used by PyTorch's randn for >= 16 floats ---

_LOG_P = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
          -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)


def _avx_log(x):
    """Natural log in float32: x = m * 2**e with m in [sqrt(1/2), sqrt(2)), log = e*ln2 + poly(m - 1).

    The classic Cephes single-precision polynomial, evaluated with the FMAs the
    compiled AVX2 kernel uses, so the rounding is the same bit for bit.
    """
    x = np.maximum(np.asarray(x, _F32), _F32(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(_F32) + _F32(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(_F32)   # mantissa in [0.5, 1)
    small = m < _F32(0.707106781186547524)
    e = e - np.where(small, _F32(1), _F32(0))
    m = (m - _F32(1)) + np.where(small, m, _F32(0))       # m - 1, or 2m - 1 when m < sqrt(1/2)
    z = m * m
    y = np.full_like(m, _F32(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = fma32(y, m, p)
    y = y * m
    y = fma32(y, z, e * _F32(-2.12194440e-4))
    y = fma32(z, _F32(-0.5), y)
    return fma32(e, _F32(0.693359375), m + y)


def _avx_sincos(x):
    """sin(x), cos(x) in float32: reduce x by multiples of pi/4, then Cephes polynomials."""
    x = np.asarray(x, _F32)
    sin_negative = x < 0
    x = np.abs(x)
    j = (x * _F32(1.27323954473516)).astype(np.int32)     # x / (pi/4), truncated
    j = (j + 1) & ~1                                      # to an even octant
    y = j.astype(_F32)
    sin_negative = sin_negative ^ ((j & 4) != 0)
    cos_negative = ((~(j - 2)) & 4) != 0
    swap = (j & 2) != 0                                   # octants where sin and cos trade polynomials
    for dp in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = fma32(y, dp, x)                               # x - j*pi/4 in three exact-ish parts
    z = x * x
    c = fma32(fma32(np.full_like(x, _F32(2.443315711809948e-5)), z, -1.388731625493765e-3), z,
              4.166664568298827e-2)
    c = fma32(c * z, z, -(z * _F32(0.5))) + _F32(1)        # cos polynomial
    s = fma32(fma32(np.full_like(x, _F32(-1.9515295891e-4)), z, 8.3321608736e-3), z, -1.6666654611e-1)
    s = fma32(s * z, x, x)                                # sin polynomial
    sin = np.where(swap, c, s)
    cos = np.where(swap, s, c)
    return np.where(sin_negative, -sin, sin), np.where(cos_negative, -cos, cos)


def _lgamma(x):
    """log|Gamma(x)| from the C library (Python's ``math.lgamma`` is its own, slightly different, code)."""
    global _libm_lgamma
    if _libm_lgamma is None:
        import ctypes
        import ctypes.util
        try:
            f = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").lgamma
            f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double]
            _libm_lgamma = f
        except (OSError, AttributeError):
            _libm_lgamma = math.lgamma
    return _libm_lgamma(x)


_libm_lgamma = None


class TorchGenerator:
    """One generator state: the Mersenne Twister plus a cached spare normal sample."""

    def __init__(self, seed=DEFAULT_SEED):
        self.bits = np.random.MT19937()
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self.initial_seed = int(seed) % 2 ** 64
        self.bits._legacy_seeding(self.initial_seed & 0xFFFFFFFF)
        self.next_normal = None     # Box-Muller makes two numbers; PyTorch keeps the second
        self._fresh = True
        return self

    # --- state as PyTorch's 5056-byte layout (torch.get_rng_state()) ----------------
    def get_state(self):
        """The state as bytes laid out like PyTorch's CPU generator state."""
        st = self.bits.state["state"]
        pos = int(st["pos"])
        out = np.zeros(STATE_BYTES, np.uint8)
        out[0:8] = np.frombuffer(np.uint64(self.initial_seed).tobytes(), np.uint8)
        nxt = 0 if (self._fresh and pos == 624) else pos
        out[8:16] = np.frombuffer(np.array([625 - pos, 1], np.int32).tobytes(), np.uint8)
        out[16:24] = np.frombuffer(np.uint64(nxt).tobytes(), np.uint8)
        out[24:5016] = np.frombuffer(st["key"].astype(np.uint64).tobytes(), np.uint8)
        if self.next_normal is not None:
            out[5024:5032] = np.frombuffer(np.float64(self.next_normal).tobytes(), np.uint8)
            out[5040] = 1
        return out

    def set_state(self, data):
        data = np.ascontiguousarray(np.asarray(data, np.uint8))
        if data.size != STATE_BYTES:
            raise RuntimeError(f"Expected either a THGeneratorState of size 5048 or a CPUGeneratorImplState "
                               f"of size 5056 but found the input RNG state size to be {data.size}")
        self.initial_seed = int(np.frombuffer(data[0:8].tobytes(), np.uint64)[0])
        left = int(np.frombuffer(data[8:12].tobytes(), np.int32)[0])
        key = np.frombuffer(data[24:5016].tobytes(), np.uint64).astype(np.uint32)
        self.bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 625 - left}}
        self._fresh = left == 1 and int(np.frombuffer(data[16:24].tobytes(), np.uint64)[0]) == 0
        valid = data[5040] != 0
        self.next_normal = float(np.frombuffer(data[5024:5032].tobytes(), np.float64)[0]) if valid else None

    # --- raw draws -----------------------------------------------------------------
    def random32(self, n):
        """``n`` raw 32-bit draws (as uint64 so arithmetic on them cannot overflow)."""
        self._fresh = False
        return self.bits.random_raw(n).astype(_U64)

    def random64(self, n):
        """``n`` 64-bit numbers, each made of two draws: (first << 32) | second."""
        raw = self.random32(2 * n)
        return (raw[0::2] << _U64(32)) | raw[1::2]

    def _unit(self, n, np_dtype):
        """``n`` uniform numbers in [0, 1): 53 random bits for float64, 24 otherwise."""
        if np_dtype == np.float64:
            return (self.random64(n) & _U64((1 << 53) - 1)) * 2.0 ** -53
        return ((self.random32(n) & _U64((1 << 24) - 1)) * 2.0 ** -24).astype(_F32)

    # --- distributions ----------------------------------------------------------------
    def uniform(self, n, low, high, np_dtype):
        """``n`` numbers uniform in [low, high):  y = u * (high - low) + low."""
        np_dtype = np.dtype(np_dtype)
        work = np.float64 if np_dtype == np.float64 else _F32
        u = self._unit(n, work)
        span = np.asarray(high, work) - np.asarray(low, work)
        out = _fma(u, span, np.asarray(low, work), work).astype(np_dtype)
        if np_dtype == np.float16:  # rounding up to `high` (excluded) wraps to `low`, as in PyTorch
            out[out == np.float16(high)] = np.float16(low)
        return out

    def normal(self, n, mean, std, np_dtype, contiguous=True):
        """``n`` normal numbers (Box-Muller), laid out exactly as PyTorch's CPU kernel makes them."""
        np_dtype = np.dtype(np_dtype)
        if n >= 16 and contiguous:
            if np_dtype == np.float32:
                return self._normal_fill_avx(n, mean, std)
            if np_dtype == np.float64:
                return self._normal_fill(n, mean, std)
            return self._normal_fill_half(n, mean, std)
        z = np.array([self._normal_one() for _ in range(n)], np.float64)
        return fma64(z, float(std), float(mean)).astype(np_dtype)

    def _normal_one(self):
        """One standard normal number: cos half of a Box-Muller pair; the sin half is kept."""
        if self.next_normal is not None:
            z, self.next_normal = self.next_normal, None
            return z
        u1, u2 = self._unit(2, np.float64)
        r = math.sqrt(-2.0 * math.log1p(-float(u2)))
        theta = 2.0 * math.pi * float(u1)
        self.next_normal = r * math.sin(theta)
        return r * math.cos(theta)

    def _blocks(self, n, np_dtype):
        """Uniforms for n numbers: all of them, then 16 more for a partial last block."""
        u = self._unit(n, np_dtype)
        tail = self._unit(16, np_dtype) if n % 16 else None
        return u, tail

    def _normal_fill(self, n, mean, std):
        """float64, >= 16 numbers: each block of 16 uniforms -> 8 pairs (u[j], u[j+8]) -> 16 normals."""
        u, tail = self._blocks(n, np.float64)

        def fill16(blocks):  # blocks: (k, 16)
            u1, u2 = 1.0 - blocks[:, :8], blocks[:, 8:]
            log_u1 = np.array([math.log(v) for v in u1.ravel()]).reshape(u1.shape)  # libm's log, as PyTorch
            radius = np.sqrt(-2.0 * log_u1)
            theta = 2.0 * math.pi * u2
            z = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
            return fma64(z, float(std), float(mean))
        return self._assemble(u, tail, fill16)

    def _normal_fill_avx(self, n, mean, std):
        """float32, >= 16 numbers: the same blocks of 16, computed with 8-lane float32 math."""
        u, tail = self._blocks(n, _F32)
        return self._assemble(u, tail, self._avx_fill16(mean, std))

    @staticmethod
    def _avx_fill16(mean, std):
        def fill16(blocks):
            u1, u2 = _F32(1) - blocks[:, :8], blocks[:, 8:]
            with np.errstate(divide="ignore"):
                radius = np.sqrt(_F32(-2) * _avx_log(u1))
            sin, cos = _avx_sincos(_F32(2.0 * math.pi) * u2)
            z = np.concatenate([radius * cos, radius * sin], axis=1)
            return fma32(z, _F32(std), _F32(mean))
        return fill16

    def _normal_fill_half(self, n, mean, std):
        """float16, >= 16 numbers: the float32 recipe, except that only whole blocks get uniforms first."""
        full = n // 16 * 16
        u = self._unit(full, _F32)
        tail = self._unit(16, _F32) if n % 16 else None
        u = np.concatenate([u, np.zeros(n - full, _F32)])
        return self._assemble(u, tail, self._avx_fill16(mean, std)).astype(np.float16)

    @staticmethod
    def _assemble(u, tail, fill16):
        n = u.shape[0]
        full = n // 16 * 16
        out = np.empty(n, np.float64 if u.dtype == np.float64 else _F32)
        out[:full] = fill16(u[:full].reshape(-1, 16)).reshape(-1)
        if tail is not None:
            out[n - 16:] = fill16(tail.reshape(1, 16)).reshape(-1)
        return out

    def integers(self, n, low, high):
        """``n`` integers in [low, high):  draw % (high - low) + low."""
        span = int(high) - int(low)
        raw = self.random64(n) if span >= 2 ** 28 else self.random32(n)
        return (raw % _U64(span)).astype(np.int64) + int(low)

    def random_bits(self, n, np_dtype):
        """``Tensor.random_()``: integers from 0 up to what the dtype holds exactly."""
        np_dtype = np.dtype(np_dtype)
        if np_dtype == np.bool_:
            return (self.random32(n) & _U64(1)).astype(np.bool_)
        if np_dtype.kind == "f":
            digits = {2: 11, 4: 24, 8: 53}[np_dtype.itemsize]
            raw = self.random64(n) if np_dtype.itemsize == 8 else self.random32(n)
            return (raw % _U64((1 << digits) + 1)).astype(np_dtype)
        raw = self.random64(n) if np_dtype == np.int64 else self.random32(n)
        return (raw % _U64(int(np.iinfo(np_dtype).max) + 1)).astype(np_dtype)

    def permutation(self, n):
        """A random permutation of 0 .. n-1: PyTorch's Fisher-Yates shuffle, with its draws.

        PyTorch runs ``for i in range(n - 1): swap(perm[i], perm[i + draw_i % (n - i)])``;
        ``fisher_yates`` below gives the same result without a Python loop over the swaps."""
        n = int(n)
        if n < 2:
            return np.arange(n, dtype=np.int64)
        steps = self.random32(n - 1) % np.arange(n, 1, -1, dtype=_U64)      # step i swaps i and i + steps[i]
        targets = np.append(steps.astype(np.int64) + np.arange(n - 1), n - 1)  # (the last step: no swap)
        return fisher_yates(targets)

    # --- serial kernels: one float64 number per element ------------------------------
    @staticmethod
    def _cast(values, np_dtype):
        """float64 results -> ``np_dtype`` the way C++'s ``static_cast`` does (float16 through float32)."""
        out = np.array(values, np.float64)
        return out.astype(_F32).astype(np_dtype) if np.dtype(np_dtype) == np.float16 else out.astype(np_dtype)

    def exponential(self, n, lambd, np_dtype):
        """``n`` exponential numbers:  y = -1/lambda * log(1 - u)."""
        scale = -1.0 / float(lambd)
        return self._cast([scale * math.log1p(-u) for u in self._unit(n, np.float64).tolist()], np_dtype)

    def geometric(self, n, p, np_dtype):
        """``n`` geometric numbers (trials up to the first success):  y = ceil(log(u) / log(1 - p))."""
        denom = math.log1p(-float(p))
        return self._cast([math.ceil(math.log(u) / denom) if u > 0 else math.inf
                           for u in self._unit(n, np.float64).tolist()], np_dtype)

    def cauchy(self, n, median, sigma, np_dtype):
        """``n`` Cauchy numbers:  y = median + sigma * tan(pi * (u - 1/2))  (one FMA)."""
        t = [math.tan(math.pi * (u - 0.5)) for u in self._unit(n, np.float64).tolist()]
        return self._cast(fma64(float(sigma), t, float(median)), np_dtype)

    def log_normal(self, n, mean, std, np_dtype):
        """``n`` log-normal numbers:  y = exp(z * std + mean),  z one Box-Muller normal at a time."""
        z = fma64(np.array([self._normal_one() for _ in range(n)], np.float64), float(std), float(mean))
        return self._cast([math.exp(v) for v in z.tolist()], np_dtype)

    def poisson(self, rates):
        """One Poisson draw per rate (float64 array, any shape), PyTorch's ``sample_poisson``.

        Rate < 10: multiply float64 uniforms until the product drops to e^-rate
        (Knuth); rate >= 10: Hoermann's transformed rejection (1993), two uniforms
        per attempt.  Plain (unfused) float64 arithmetic, libm's log and lgamma.
        """
        out = np.empty(rates.size, np.float64)
        for i, lam in enumerate(rates.ravel().tolist()):
            out[i] = self._poisson_one(lam)
        return out.reshape(rates.shape)

    def _poisson_one(self, lam):
        def uniform():
            return float(self._unit(1, np.float64)[0])
        if lam >= 10:
            slam, loglam = math.sqrt(lam), math.log(lam)
            b = 0.931 + 2.53 * slam
            a = -0.059 + 0.02483 * b
            invalpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            while True:
                u = uniform() - 0.5
                v = uniform()
                us = 0.5 - abs(u)
                k = math.floor((2 * a / us + b) * u + lam + 0.43)
                if us >= 0.07 and v <= vr:
                    return k
                if k < 0 or (us < 0.013 and v > us):
                    continue
                log_ratio = math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                if log_ratio <= -lam + k * loglam - _lgamma(k + 1.0):
                    return k
        if lam == 0:
            return 0
        limit, x, prod = math.exp(-lam), 0, 1.0
        while True:
            prod *= uniform()
            if prod <= limit:
                return x
            x += 1

    def multinomial_with_replacement(self, probs, n):
        """Rows of ``probs`` (k, m), each with a positive sum -> (k, n) category indices.

        Per row: the running sum (in the row's precision, float32 for float16),
        divided by the total, the last bucket set to 1; then per sample a float64
        uniform u picks the first category whose cumulative probability is >= u.
        """
        acc = _F32 if probs.dtype == np.float16 else probs.dtype
        out = np.empty((probs.shape[0], n), np.int64)
        for i, row in enumerate(probs):
            cdf = np.cumsum(row.astype(acc), dtype=acc)
            cdf = cdf / cdf[-1]
            cdf[-1] = 1
            out[i] = np.searchsorted(cdf.astype(np.float64), self._unit(n, np.float64), side="left")
        return out

    def bernoulli(self, n, p):
        """``n`` 0/1 draws with P(1) = p (a number): float64 uniform < p."""
        return self._unit(n, np.float64) < float(p)

    def bernoulli_tensor(self, p):
        """One 0/1 draw per element of the probability array ``p``: uniform (of p's precision) < p."""
        work = np.float64 if p.dtype == np.float64 else _F32
        return self._unit(p.size, work).reshape(p.shape) < p.astype(work)


def fisher_yates(targets):
    """The permutation left by ``for i in range(n): swap(perm[i], perm[targets[i]])``, starting
    from ``perm = [0, 1, ..., n-1]``, where ``targets[i] >= i`` (a Fisher-Yates shuffle).

    The loop is sequential, but its result can be read off the targets: step ``i`` fixes
    ``perm[i]`` for good (later steps only touch positions > i), and a position ``p > i`` changes
    only when some step ``k`` targets it, which moves there what position ``k`` held when step ``k``
    started.  So, with ``held[k]`` = what position ``k`` holds when step ``k`` starts:

        held[k]  = held[k'] for the last step k' < k that targeted k  (or k, if none did)
        perm[i]  = held[k'] for the last step k' < i that targeted targets[i]  (or targets[i])

    Grouping the steps by target (one sort) finds every "last step before"; ``held`` follows chains
    of them, resolved by pointer jumping (``held = held[held]`` until nothing changes: a few rounds).
    60,000 swaps: 1.2 ms instead of 4.7 ms for the plain loop (tests compare the two).
    """
    n = len(targets)
    steps = np.arange(n)
    keys = np.sort(targets * n + steps)               # steps grouped by target, in order within a group
    order, target = keys % n, keys // n
    same = target[1:] == target[:-1]
    prev = np.empty(n, np.int64)                      # prev[i]: the last step before i with i's target, or -1
    prev[order[0]] = -1
    prev[order[1:]] = np.where(same, order[:-1], -1)
    ends = np.flatnonzero(np.append(~same, True))     # the last step of each group
    last = np.full(n, -1)                             # last[p]: the last step before p that targeted p, or -1
    last[target[ends]] = order[ends]
    last = np.where(last == steps, prev, last)        # (step p itself targeting p does not count)
    held = np.where(last >= 0, last, steps)
    while True:                                       # pointer jumping: follow the chains to their starts
        nxt = held[held]
        if np.array_equal(nxt, held):
            break
        held = nxt
    return np.where(prev >= 0, held[prev], targets)
