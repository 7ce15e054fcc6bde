"""More distributions (概率分布) and transforms (变换) against real torch.distributions."""
import numpy as np
import pytest

import learntorch as lt
import learntorch.distributions as LD
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

R = np.random.default_rng(1)
LOC = R.normal(size=(3, 2))
SCALE = R.uniform(0.5, 2.0, size=(3, 2))
PROBS = R.uniform(0.1, 0.9, size=(3, 2))
RATE = R.uniform(0.5, 6.0, size=(3, 2))
CPROBS = R.uniform(0.1, 1.0, size=(2, 4))
POS = R.uniform(0.2, 3.0, size=(3, 2))         # values for positive supports
REAL = R.normal(size=(3, 2))                   # values for real supports
COUNT = R.integers(0, 5, size=(3, 2)).astype(float)
MCOUNT = np.array([[2., 0., 3., 1.], [1., 1., 1., 3.]])


def _mk(lib, name, tensors, kw):
    if name == "TD":
        D = lib.distributions
        return D.TransformedDistribution(D.Normal(*tensors), [D.AffineTransform(0.5, -2.0), D.SigmoidTransform(),
                                                             D.TanhTransform()])
    if name == "Binomial":
        return lib.distributions.Binomial(4, *tensors, **kw)
    if name == "Multinomial":
        return lib.distributions.Multinomial(6, *tensors, **kw)
    return getattr(lib.distributions, name)(*tensors, **kw)


def _both(torch, device, name, arrays, dtype="float64", grad=False, kw=None, tlayout=False):
    """The same distribution in learntorch (on device) and torch, params given as numpy (optionally transposed)."""
    kw = kw or {}
    conv = (lambda a: np.ascontiguousarray(a.T)) if tlayout else (lambda a: a)
    ours = [lt.tensor(conv(a).astype(dtype), device=device, requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(conv(a).astype(dtype), requires_grad=grad) for a in arrays]
    if tlayout:  # non-contiguous parameters: transposed views of the leaves
        return (_mk(lt, name, [o.T for o in ours], kw), _mk(torch, name, [t.T for t in theirs], kw), ours, theirs)
    return _mk(lt, name, ours, kw), _mk(torch, name, theirs, kw), ours, theirs


# name, parameters, a value in the support, has cdf, has entropy
CASES = [("LogNormal", (LOC, SCALE), POS, True, True), ("HalfNormal", (SCALE,), POS, True, True),
         ("Cauchy", (LOC, SCALE), REAL, True, True), ("Gumbel", (LOC, SCALE), REAL, False, True),
         ("Geometric", (PROBS,), COUNT, False, True), ("Poisson", (RATE,), COUNT, False, False),
         ("Binomial", (PROBS,), COUNT.clip(0, 4), False, True),
         ("Multinomial", (CPROBS,), MCOUNT, False, True),
         ("TD", (LOC, SCALE), np.tanh(R.uniform(0.1, 0.9, size=(3, 2))), True, False)]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,params,value,has_cdf,has_entropy", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stats_log_prob_cdf_entropy(torch, device, name, params, value, has_cdf, has_entropy, dtype):
    ld, td, _, _ = _both(torch, device, name, params, dtype=dtype)
    assert repr(ld) == repr(td)
    assert tuple(ld.batch_shape) == tuple(td.batch_shape) and tuple(ld.event_shape) == tuple(td.event_shape)
    if name != "TD":
        assert_same(ld.mean.cpu(), td.mean, rtol=1e-5)
        assert_same(ld.variance.cpu(), td.variance, rtol=1e-5)
    lv, tv = lt.tensor(value.astype(dtype), device=device), torch.tensor(value.astype(dtype))
    assert_same(ld.log_prob(lv).cpu(), td.log_prob(tv), rtol=1e-5, atol=1e-5)
    if has_cdf:
        assert_same(ld.cdf(lv).cpu(), td.cdf(tv), rtol=1e-5, atol=1e-6)
        p = lt.tensor(np.full((3, 2), 0.3, dtype=dtype), device=device)
        assert_same(ld.icdf(p).cpu(), td.icdf(torch.tensor(np.full((3, 2), 0.3, dtype=dtype))), rtol=1e-5)
    if has_entropy:
        assert_same(ld.entropy().cpu(), td.entropy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,params,value,has_cdf,has_entropy", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_non_contiguous(torch, device, name, params, value, has_cdf, has_entropy, dtype):
    """Gradients of log_prob (+ entropy) w.r.t. transposed (non-contiguous) parameters equal torch's."""
    ld, td, ours, theirs = _both(torch, device, name, params, dtype=dtype, grad=True, tlayout=True)
    assert not ours[0].T.is_contiguous()  # the distribution was built from this transposed view
    lv, tv = lt.tensor(value.astype(dtype), device=device), torch.tensor(value.astype(dtype))
    lo, to = ld.log_prob(lv).sum(), td.log_prob(tv).sum()
    if has_entropy:
        lo, to = lo + ld.entropy().sum(), to + td.entropy().sum()
    lo.backward()
    to.backward()
    for o, t in zip(ours, theirs):
        assert_same(o.grad.cpu(), t.grad, rtol=1e-4, atol=1e-5)


EXACT = [("LogNormal", (LOC, SCALE)), ("HalfNormal", (SCALE,)), ("Cauchy", (LOC, SCALE)), ("Gumbel", (LOC, SCALE)),
         ("Geometric", (PROBS,)), ("Poisson", (RATE,)), ("Multinomial", (CPROBS,)), ("TD", (LOC, SCALE))]


@pytest.mark.parametrize("name,params", EXACT, ids=[c[0] for c in EXACT])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sample_same_after_seed(torch, name, params, dtype):
    ld, td, _, _ = _both(torch, "cpu", name, params, dtype=dtype)
    for shape in [(), (5,), (2, 3)]:
        lt.manual_seed(11)
        torch.manual_seed(11)
        assert_same(ld.sample(shape), td.sample(shape), rtol=1e-6, atol=1e-6)
        if td.has_rsample:
            lt.manual_seed(5)
            torch.manual_seed(5)
            assert_same(ld.rsample(shape), td.rsample(shape), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name,params,value,has_cdf,has_entropy", CASES, ids=IDS)
def test_sample_shape_support_on_device(torch, device, name, params, value, has_cdf, has_entropy):
    ld, td, _, _ = _both(torch, device, name, params)
    s = ld.sample((4,))
    assert s.device.type == device and repr(s.dtype) == repr(td.sample().dtype)
    assert tuple(s.shape) == tuple(td.sample((4,)).shape)
    assert bool(ld.support.check(s).all())
    assert tuple(ld.expand((5,) + tuple(ld.batch_shape)).sample().shape) == \
        tuple(td.expand((5,) + tuple(td.batch_shape)).sample().shape)


def test_rsample_has_gradient(device):
    loc = lt.tensor([0.3, -0.2], dtype=lt.float64, device=device, requires_grad=True)
    scale = lt.tensor([1.5, 0.5], dtype=lt.float64, device=device, requires_grad=True)
    lt.manual_seed(0)
    x = LD.LogNormal(loc, scale).rsample((3,))
    x.sum().backward()
    eps = (x.detach().log() - loc.detach()) / scale.detach()  # x = e^(loc + scale eps)
    assert_same(loc.grad.cpu(), x.detach().sum(0).cpu(), rtol=1e-10)
    assert_same(scale.grad.cpu(), (x.detach() * eps).sum(0).cpu(), rtol=1e-10)


def test_binomial_sampler_moments():
    """Binomial draws differ from PyTorch's (its C++ BTRS sampler); check the distribution instead."""
    lt.manual_seed(0)
    n, p = lt.tensor([3.0, 10.0, 40.0], dtype=lt.float64), lt.tensor([0.2, 0.5, 0.9], dtype=lt.float64)
    s = LD.Binomial(n, p).sample((20000,))
    assert bool((s >= 0).all()) and bool((s <= n).all()) and bool((s % 1 == 0).all())
    np.testing.assert_allclose(s.mean(0).numpy(), (n * p).numpy(), rtol=0.02)
    np.testing.assert_allclose(s.var(0).numpy(), (n * p * (1 - p)).numpy(), rtol=0.05)
    lt.manual_seed(0)
    assert bool((LD.Binomial(n, p).sample((20000,)) == s).all())  # deterministic after the seed


GRADCHECK = {
    "LogNormal": (lambda loc, scale: LD.LogNormal(loc, scale).log_prob(lt.tensor(POS[:, 0], dtype=lt.float64))
                  + LD.LogNormal(loc, scale).entropy(), 2),
    "HalfNormal": (lambda loc, scale: LD.HalfNormal(scale).log_prob(lt.tensor(POS[:, 0], dtype=lt.float64))
                   + LD.HalfNormal(scale).cdf(lt.tensor(POS[:, 0], dtype=lt.float64)), 2),
    "Cauchy": (lambda loc, scale: LD.Cauchy(loc, scale).log_prob(lt.tensor(REAL[:, 0], dtype=lt.float64))
               + LD.Cauchy(loc, scale).cdf(lt.tensor(REAL[:, 0], dtype=lt.float64)), 2),
    "Gumbel": (lambda loc, scale: LD.Gumbel(loc, scale).log_prob(lt.tensor(REAL[:, 0], dtype=lt.float64))
               + LD.Gumbel(loc, scale).entropy(), 2),
    "Geometric": (lambda p, _: LD.Geometric(lt.sigmoid(p)).log_prob(lt.tensor([0., 2., 5.], dtype=lt.float64))
                  + LD.Geometric(lt.sigmoid(p)).entropy(), 2),
    "Poisson": (lambda r, _: LD.Poisson(r.exp()).log_prob(lt.tensor([0., 2., 5.], dtype=lt.float64)), 2),
    "Binomial": (lambda p, _: LD.Binomial(5, logits=p).log_prob(lt.tensor([0., 2., 5.], dtype=lt.float64))
                 + LD.Binomial(5, logits=p).entropy(), 2),
    "Multinomial": (lambda p, _: LD.Multinomial(6, logits=p).log_prob(lt.tensor([1., 2., 3.], dtype=lt.float64))
                    .reshape(1) + LD.Multinomial(6, logits=p).entropy(), 2),
    "TD": (lambda loc, scale: LD.TransformedDistribution(LD.Normal(loc, scale), [LD.AffineTransform(0.5, -2.0),
           LD.SigmoidTransform(), LD.TanhTransform()]).log_prob(lt.tensor([0.2, 0.5, 0.7], dtype=lt.float64)), 2),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(device, name):
    fn, _ = GRADCHECK[name]
    a = lt.tensor(LOC[:, 0], dtype=lt.float64, device=device, requires_grad=True)
    b = lt.tensor(SCALE[:, 0], dtype=lt.float64, device=device, requires_grad=True)
    if device != "cpu":
        def call(a, b):
            return fn(a.cpu(), b.cpu())
        assert gradcheck(call, (a, b))
    else:
        assert gradcheck(fn, (a, b))


KL = [("LogNormal", (LOC, SCALE), (REAL, SCALE[::-1])), ("HalfNormal", (SCALE,), (SCALE[::-1],)),
      ("Cauchy", (LOC, SCALE), (REAL, SCALE[::-1])), ("Gumbel", (LOC, SCALE), (REAL, SCALE[::-1])),
      ("Geometric", (PROBS,), (PROBS[::-1],)), ("Poisson", (RATE,), (RATE[::-1],)),
      ("Binomial", (PROBS,), (PROBS[::-1],)), ("TD", (LOC, SCALE), (REAL, SCALE[::-1]))]


@pytest.mark.parametrize("name,pa,qa", KL, ids=[k[0] for k in KL])
def test_kl_divergence(torch, device, name, pa, qa):
    lp, tp, lpa, tpa = _both(torch, device, name, pa, grad=True)
    lq, tq, _, _ = _both(torch, device, name, [np.ascontiguousarray(a) for a in qa])
    lk, tk = LD.kl_divergence(lp, lq), torch.distributions.kl_divergence(tp, tq)
    assert_same(lk.cpu(), tk, rtol=1e-6)
    lk.sum().backward()
    tk.sum().backward()
    assert_same(lpa[0].grad.cpu(), tpa[0].grad, rtol=1e-5)


def test_kl_errors(torch):
    for lib in (lt, torch):
        lib.manual_seed(0)
    mk = [lambda l: (l.distributions.Poisson(l.tensor([1.0])), l.distributions.Geometric(l.tensor([0.5]))),
          lambda l: (l.distributions.Binomial(2, l.tensor([0.5])), l.distributions.Binomial(3, l.tensor([0.5])))]
    for m in mk:
        same_error(lambda: lt.distributions.kl_divergence(*m(lt)), lambda: torch.distributions.kl_divergence(*m(torch)))
    assert LD.kl_divergence(LD.Binomial(3, lt.tensor([0.5])), LD.Binomial(2, lt.tensor([0.5]))).item() == float("inf")


ERRORS = [
    lambda l: l.distributions.LogNormal(l.tensor([0.0]), l.tensor([-1.0])),
    lambda l: l.distributions.HalfNormal(l.tensor([0.0])),
    lambda l: l.distributions.Cauchy(l.tensor([0.0]), l.tensor([0.0])),
    lambda l: l.distributions.Gumbel(l.tensor([0.0]), l.tensor([-2.0])),
    lambda l: l.distributions.Geometric(l.tensor([0.0, 0.5])),
    lambda l: l.distributions.Geometric(l.tensor([1.5])),
    lambda l: l.distributions.Geometric(),
    lambda l: l.distributions.Poisson(l.tensor([-1.0])),
    lambda l: l.distributions.Poisson(l.tensor([1.0])).log_prob(l.tensor([0.5])),
    lambda l: l.distributions.Binomial(3, l.tensor([1.5])),
    lambda l: l.distributions.Binomial(l.tensor([2.5]), l.tensor([0.5])),
    lambda l: l.distributions.Binomial(3, l.tensor([0.5])).log_prob(l.tensor([4.0])),
    lambda l: l.distributions.Binomial(l.tensor([2., 3.]), l.tensor([0.5, 0.5])).entropy(),
    lambda l: l.distributions.Multinomial(l.tensor(3), l.tensor([0.5, 0.5])),
    lambda l: l.distributions.Multinomial(3, l.tensor([0.5, 0.5])).log_prob(l.tensor([-1.0, 2.0])),
    lambda l: l.distributions.HalfNormal(l.tensor([1.0])).log_prob(l.tensor([-1.0])),
    lambda l: l.distributions.LogNormal(l.tensor([0.0]), l.tensor([1.0])).log_prob(l.tensor([0.0])),
    lambda l: l.distributions.TransformedDistribution(l.distributions.Normal(0.0, 1.0), "exp"),
    lambda l: l.distributions.TransformedDistribution(l.distributions.Normal(0.0, 1.0), ["exp"]),
    lambda l: l.distributions.transform_to(l.distributions.constraints.boolean),
    lambda l: l.distributions.ExpTransform(cache_size=2),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_match_torch(torch, i):
    same_error(lambda: ERRORS[i](lt), lambda: ERRORS[i](torch))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_transforms_match_torch(torch, device, dtype):
    x = R.normal(size=(4, 3)).astype(dtype)
    lx, tx = lt.tensor(x, device=device).T, torch.tensor(x).T  # non-contiguous
    names = [("ExpTransform", (), {}), ("SigmoidTransform", (), {}), ("TanhTransform", (), {}),
             ("AffineTransform", (0.5, -3.0), {}), ("AbsTransform", (), {})]
    for name, args, kw in names:
        lt_t, tt = getattr(LD, name)(*args, **kw), getattr(torch.distributions, name)(*args, **kw)
        ly, ty = lt_t(lx), tt(tx)
        assert_same(ly.cpu(), ty, rtol=1e-5)
        assert_same(lt_t.inv(ly).cpu(), tt.inv(ty), rtol=1e-4, atol=1e-5)
        assert repr(lt_t) == repr(tt) and repr(lt_t.inv) == repr(tt.inv)
        if name != "AbsTransform":
            assert_same(lt_t.log_abs_det_jacobian(lx, ly).cpu(), tt.log_abs_det_jacobian(tx, ty), rtol=1e-5, atol=1e-5)
            assert_same(lt_t.inv.log_abs_det_jacobian(ly, lx).cpu(), tt.inv.log_abs_det_jacobian(ty, tx),
                        rtol=1e-5, atol=1e-5)
    lc = LD.ComposeTransform([LD.ExpTransform(), LD.AffineTransform(1.0, 2.0), LD.SigmoidTransform()])
    tc = torch.distributions.ComposeTransform([torch.distributions.ExpTransform(),
                                               torch.distributions.AffineTransform(1.0, 2.0),
                                               torch.distributions.SigmoidTransform()])
    assert repr(lc) == repr(tc)
    ly, ty = lc(lx), tc(tx)
    assert_same(ly.cpu(), ty, rtol=1e-5)
    assert_same(lc.log_abs_det_jacobian(lx, ly).cpu(), tc.log_abs_det_jacobian(tx, ty), rtol=1e-4, atol=1e-5)
    assert_same(lc.inv(ly).cpu(), tc.inv(ty), rtol=1e-3, atol=1e-4)
    assert lc.inv.inv is lc and LD.ExpTransform() == LD.ExpTransform() and LD.ExpTransform().inv == LD.ExpTransform().inv


def test_transform_cache():
    t = LD.ExpTransform(cache_size=1)
    x = lt.tensor([0.5, 1.0])
    y = t(x)
    assert t(x) is y and t.inv(y) is x


CONSTRAINTS = ["real", "positive", "nonnegative", "unit_interval", "real_vector"]


@pytest.mark.parametrize("name", CONSTRAINTS)
@pytest.mark.parametrize("which", ["biject_to", "transform_to"])
def test_biject_to_transform_to(torch, device, name, which):
    lt_t = getattr(LD, which)(getattr(LD.constraints, name))
    tt = getattr(torch.distributions, which)(getattr(torch.distributions.constraints, name))
    assert repr(lt_t) == repr(tt)
    x = R.normal(size=(3, 2))
    ly, ty = lt_t(lt.tensor(x, device=device)), tt(torch.tensor(x))
    assert_same(ly.cpu(), ty, rtol=1e-10)
    assert bool(getattr(LD.constraints, name).check(ly).all())
    assert_same(lt_t.log_abs_det_jacobian(lt.tensor(x, device=device), ly).cpu(),
                tt.log_abs_det_jacobian(torch.tensor(x), ty), rtol=1e-10)


def test_transform_to_bounds_and_simplex(torch):
    x = R.normal(size=(2, 3))
    for c in [lambda C: C.interval(-1.0, 3.0), lambda C: C.greater_than(2.0), lambda C: C.less_than(2.0),
              lambda C: C.half_open_interval(0.0, 2.0), lambda C: C.simplex]:
        lt_t = LD.transform_to(c(LD.constraints))
        tt = torch.distributions.transform_to(c(torch.distributions.constraints))
        assert repr(lt_t) == repr(tt)
        assert_same(lt_t(lt.tensor(x)), tt(torch.tensor(x)), rtol=1e-10)
