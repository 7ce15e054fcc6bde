"""Random numbers: after ``manual_seed`` learntorch draws exactly PyTorch's CPU numbers.

Each distribution is checked bit for bit for small sizes (< 16: PyTorch's
scalar Box-Muller path with its cached second sample) and large ones (>= 16:
the blocked, vectorised path, including a partial last block).
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import learntorch as lt
from learntorch.backends._mt19937 import fisher_yates

SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 100, 1000, 4099]
FLOATS = ["float32", "float64", "float16"]


def _same(ours, theirs):
    a, b = ours.cpu().numpy(), theirs.numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(a, b, equal_nan=True), f"{(a != b).sum()} of {a.size} differ"


def _both(torch, seed, fn):
    lt.manual_seed(seed)
    torch.manual_seed(seed)
    return fn(lt), fn(torch)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", SIZES)
def test_rand_randn(torch, n, dtype):
    for seed in (0, 7):
        _same(*_both(torch, seed, lambda m: m.rand(n, dtype=getattr(m, dtype))))
        _same(*_both(torch, seed, lambda m: m.randn(n, dtype=getattr(m, dtype))))
        _same(*_both(torch, seed, lambda m: m.randn(2, n, dtype=getattr(m, dtype))))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [3, 16, 50, 1001])
def test_uniform_normal_inplace(torch, n, dtype):
    for lo, hi in ((-0.3, 0.7), (2.1, 5.3), (-1.0, 1.0)):
        _same(*_both(torch, 1, lambda m: m.empty(n, dtype=getattr(m, dtype)).uniform_(lo, hi)))
    for mean, std in ((0.0, 1.0), (0.3, 0.02), (-3.0, 7.0)):
        _same(*_both(torch, 2, lambda m: m.empty(n, dtype=getattr(m, dtype)).normal_(mean, std)))
        _same(*_both(torch, 3, lambda m: m.normal(mean, std, (n,), dtype=getattr(m, dtype))))


def test_normal_noncontiguous_uses_scalar_path(torch):
    _same(*_both(torch, 0, lambda m: m.zeros(20, 20).t().normal_()))


def test_box_muller_cache_carries_across_calls(torch):
    def draws(m):
        a = m.randn(1, dtype=m.float64)
        b = m.randn(3)               # first value comes from the cached sin half
        c = m.rand(2)
        d = m.randn(1)
        return m.cat([a.float(), b, c, d])
    _same(*_both(torch, 5, draws))


def test_normal_with_tensor_arguments(torch):
    for n in (5, 40):
        _same(*_both(torch, 0, lambda m: m.normal(m.linspace(-1, 1, n), m.linspace(0.1, 2, n))))
        _same(*_both(torch, 0, lambda m: m.normal(m.linspace(-1, 1, n), 0.3)))
        _same(*_both(torch, 0, lambda m: m.normal(0.5, m.linspace(0.1, 2, n))))
        _same(*_both(torch, 0, lambda m: m.normal(m.zeros(2, n), m.ones(n))))


@pytest.mark.parametrize("lo,hi", [(0, 10), (-5, 5), (3, 4), (0, 2 ** 28 - 1), (0, 2 ** 28), (-3, 2 ** 40)])
def test_randint(torch, lo, hi):
    for n in (1, 17, 500):
        _same(*_both(torch, 0, lambda m: m.randint(lo, hi, (n,))))
    _same(*_both(torch, 0, lambda m: m.randint(hi, (3, 4))))


@pytest.mark.parametrize("dtype", ["int32", "int16", "uint8", "float32", "float64"])
def test_randint_dtypes(torch, dtype):
    _same(*_both(torch, 4, lambda m: m.randint(0, 100, (50,), dtype=getattr(m, dtype))))


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool", "float32", "float64",
                                   "float16"])
def test_random_(torch, dtype):
    _same(*_both(torch, 0, lambda m: m.empty(50, dtype=getattr(m, dtype)).random_()))
    if dtype != "bool":
        _same(*_both(torch, 0, lambda m: m.empty(50, dtype=getattr(m, dtype)).random_(10)))
        _same(*_both(torch, 0, lambda m: m.empty(50, dtype=getattr(m, dtype)).random_(3, 9)))


@pytest.mark.parametrize("n", [0, 1, 2, 5, 16, 100, 10000, 60000])
def test_randperm(torch, n):
    _same(*_both(torch, 0, lambda m: m.randperm(n)))
    _same(*_both(torch, 3, lambda m: m.randperm(n, dtype=m.float32)))


def _fisher_yates_loop(targets):
    perm = list(range(len(targets)))
    for i, j in enumerate(targets):
        perm[i], perm[j] = perm[j], perm[i]
    return perm


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_fisher_yates_without_the_loop_equals_the_loop(data):
    # every kind of target list: self-swaps, chains, many steps aiming at one position
    n = data.draw(st.integers(1, 40))
    targets = [data.draw(st.integers(i, n - 1)) for i in range(n)]
    assert fisher_yates(np.array(targets, np.int64)).tolist() == _fisher_yates_loop(targets)


def test_bernoulli(torch):
    for dt in ("float32", "float64", "int64", "bool"):
        _same(*_both(torch, 0, lambda m: m.empty(300, dtype=getattr(m, dt)).bernoulli_(0.3)))
    for pdt in ("float32", "float64"):
        _same(*_both(torch, 0, lambda m: m.bernoulli(m.linspace(0, 1, 300, dtype=getattr(m, pdt)))))
        _same(*_both(torch, 0, lambda m: m.empty(300).bernoulli_(m.linspace(0, 1, 300, dtype=getattr(m, pdt)))))
    _same(*_both(torch, 0, lambda m: m.bernoulli(m.zeros(10), 0.5)))


def test_sequences_continue_across_calls(torch):
    def many(m):
        return m.cat([m.rand(5), m.randn(20), m.randint(0, 9, (4,)).float(), m.randperm(6).float(),
                      m.empty(3).uniform_(-2, 2), m.randn(2), m.rand(3, dtype=m.float64).float()])
    _same(*_both(torch, 11, many))


def test_generator_objects(torch):
    g_ours, g_theirs = lt.Generator().manual_seed(42), torch.Generator().manual_seed(42)
    for _ in range(2):
        _same(lt.rand(5, generator=g_ours), torch.rand(5, generator=g_theirs))
        _same(lt.randn(20, generator=g_ours), torch.randn(20, generator=g_theirs))
        _same(lt.randperm(7, generator=g_ours), torch.randperm(7, generator=g_theirs))
        _same(lt.randint(0, 5, (4,), generator=g_ours), torch.randint(0, 5, (4,), generator=g_theirs))
    assert lt.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721
    # a private generator does not disturb the global one
    _same(*_both(torch, 0, lambda m: (m.rand(3, generator=m.Generator()), m.rand(3))[1]))


def test_rng_state_round_trip_and_layout(torch):
    lt.manual_seed(9)
    torch.manual_seed(9)
    lt.randn(3, dtype=lt.float64)
    torch.randn(3, dtype=torch.float64)
    ours, theirs = lt.get_rng_state(), torch.get_rng_state()
    assert ours.dtype is lt.uint8 and ours.shape == (5056,)
    assert np.array_equal(ours.numpy(), theirs.numpy())   # PyTorch's byte layout
    a = lt.randn(4)
    lt.set_rng_state(ours)
    assert lt.randn(4).tolist() == a.tolist()
    torch.set_rng_state(theirs)
    _same(a, torch.randn(4))


def test_seeds(torch):
    assert lt.manual_seed(123).initial_seed() == 123 == lt.initial_seed()
    assert lt.manual_seed(-1).initial_seed() == torch.manual_seed(-1).initial_seed()
    s = lt.seed()
    assert lt.initial_seed() == s
    assert lt.default_generator.initial_seed() == s


def test_cuda_device_draws_same_algorithm(device):
    lt.manual_seed(0)
    x = lt.rand(4, device=device)
    lt.manual_seed(0)
    assert x.device.type == device
    assert x.cpu().tolist() == lt.rand(4).tolist()


def test_dropout_like_mask_statistics():
    lt.manual_seed(0)
    m = lt.empty(100000).bernoulli_(0.25)
    assert abs(m.mean().item() - 0.25) < 0.01
    z = lt.randn(100000, dtype=lt.float64)
    assert abs(z.mean().item()) < 0.02 and abs(z.std().item() - 1) < 0.02


def test_inplace_fills_follow_memory_order(torch):
    _same(*_both(torch, 0, lambda m: m.zeros(5, 7).t().uniform_()))
    _same(*_both(torch, 0, lambda m: m.zeros(3, 4, 5).permute(2, 0, 1).random_(100)))
