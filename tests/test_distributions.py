"""learntorch.distributions (概率分布) against real torch.distributions."""
import numpy as np
import pytest

import learntorch as lt
import learntorch.distributions as LD
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

R = np.random.default_rng(0)
LOC = R.normal(size=(3, 2))
SCALE = R.uniform(0.5, 2.0, size=(3, 2))
PROBS = R.uniform(0.1, 0.9, size=(3, 2))
CPROBS = R.uniform(0.1, 1.0, size=(2, 4))
A = R.normal(size=(2, 3, 3))
COV = A @ A.transpose(0, 2, 1) + 3 * np.eye(3)
MLOC = R.normal(size=(2, 3))


def _both(torch, device, name, *arrays, dtype="float64", grad=False, **kw):
    """The same distribution in learntorch (on device) and torch; arrays given as numpy."""
    ours = [lt.tensor(a.astype(dtype), device=device, requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(a.astype(dtype), requires_grad=grad) for a in arrays]
    return (getattr(LD, name)(*ours, **kw), getattr(torch.distributions, name)(*theirs, **kw), ours, theirs)


SIMPLE = [("Normal", (LOC, SCALE), {}), ("Uniform", (LOC, LOC + SCALE), {}), ("Exponential", (SCALE,), {}),
          ("Laplace", (LOC, SCALE), {}), ("Bernoulli", (PROBS,), {}), ("Categorical", (CPROBS,), {}),
          ("OneHotCategorical", (CPROBS,), {}), ("MultivariateNormal", (MLOC, COV), {})]


@pytest.mark.parametrize("name,args,kw", SIMPLE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sample_same_after_seed(torch, name, args, kw, dtype):
    ld, td, _, _ = _both(torch, "cpu", name, *args, dtype=dtype, **kw)
    for shape in [(), (5,), (2, 3)]:
        lt.manual_seed(7)
        torch.manual_seed(7)
        assert_same(ld.sample(shape), td.sample(shape), rtol=1e-6, atol=1e-6)
        assert tuple(ld.sample(shape).shape) == tuple(td.sample(shape).shape)
        if td.has_rsample:
            lt.manual_seed(3)
            torch.manual_seed(3)
            assert_same(ld.rsample(shape), td.rsample(shape), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name,args,kw", SIMPLE)
def test_sample_on_device(torch, device, name, args, kw):
    ld, td, _, _ = _both(torch, device, name, *args, **kw)
    s = ld.sample((4,))
    assert s.device.type == device and repr(s.dtype) == repr(td.sample().dtype)
    assert tuple(s.shape) == tuple(td.sample((4,)).shape)
    assert bool(ld.support.check(s).all())
    assert tuple(ld.log_prob(s).shape) == tuple(td.log_prob(td.sample((4,))).shape)


@pytest.mark.parametrize("name,args,kw", SIMPLE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stats_log_prob_entropy(torch, device, name, args, kw, dtype):
    ld, td, _, _ = _both(torch, device, name, *args, dtype=dtype, **kw)
    tol = dict(rtol=1e-5, atol=1e-5)
    assert tuple(ld.batch_shape) == tuple(td.batch_shape) and tuple(ld.event_shape) == tuple(td.event_shape)
    assert repr(ld) == repr(td)
    for attr in ["mean", "mode", "variance", "stddev"]:
        assert_same(getattr(ld, attr).cpu(), getattr(td, attr), **tol)
    assert_same(ld.entropy().cpu(), td.entropy(), **tol)
    torch.manual_seed(1)
    x = td.sample((4,))
    assert_same(ld.log_prob(lt.tensor(x.numpy(), device=device)).cpu(), td.log_prob(x), **tol)
    if name in ("Normal", "Uniform", "Exponential", "Laplace"):
        assert_same(ld.cdf(lt.tensor(x.numpy(), device=device)).cpu(), td.cdf(x), **tol)
        p = np.array([0.1, 0.5, 0.8]).astype(dtype)[:, None, None]
        assert_same(ld.icdf(lt.tensor(p, device=device)).cpu(), td.icdf(torch.tensor(p)), **tol)


def test_logits_and_broadcasting(torch, device):
    logits = R.normal(size=(3, 4))
    lb, tb = LD.Bernoulli(logits=lt.tensor(logits, device=device)), torch.distributions.Bernoulli(
        logits=torch.tensor(logits))
    assert_same(lb.probs.cpu(), tb.probs)
    v = (logits > 0).astype(np.float64)
    assert_same(lb.log_prob(lt.tensor(v, device=device)).cpu(), tb.log_prob(torch.tensor(v)))
    lc = LD.Categorical(logits=lt.tensor(logits, device=device))
    tc = torch.distributions.Categorical(logits=torch.tensor(logits))
    assert_same(lc.logits.cpu(), tc.logits)
    assert_same(lc.probs.cpu(), tc.probs)
    k = np.array([[0], [3]])  # (2, 1) broadcasts against batch (3,) -> (2, 3)
    assert_same(lc.log_prob(lt.tensor(k, device=device)).cpu(), tc.log_prob(torch.tensor(k)))
    ln = LD.Normal(lt.tensor(LOC[:, :1], device=device), 2.0)  # number + tensor broadcast
    tn = torch.distributions.Normal(torch.tensor(LOC[:, :1]), 2.0)
    assert ln.batch_shape == tn.batch_shape and ln.scale.dtype == lt.float64
    assert repr(LD.Normal(0.0, 1.0)) == repr(torch.distributions.Normal(0.0, 1.0))
    assert LD.Normal(0.0, 1.0).sample().dtype == lt.float32
    e, te = ln.expand((4, 3, 1)), tn.expand((4, 3, 1))
    assert e.batch_shape == te.batch_shape and repr(e) == repr(te)
    assert_same(e.log_prob(lt.tensor(1.5, device=device)).cpu(), te.log_prob(torch.tensor(1.5)))


def test_noncontiguous_and_negative(torch, device):
    loc = LOC.T.copy()
    lx = lt.tensor(LOC, device=device).t()  # transposed, non-contiguous
    tx = torch.tensor(LOC).t()
    ld, td = LD.Normal(lx, 1.5), torch.distributions.Normal(tx, 1.5)
    v = -np.abs(loc)
    assert_same(ld.log_prob(lt.tensor(v, device=device)).cpu(), td.log_prob(torch.tensor(v)))
    li = LD.Independent(ld, 1)
    ti = torch.distributions.Independent(td, 1)
    assert_same(li.log_prob(lt.tensor(v, device=device)).cpu(), ti.log_prob(torch.tensor(v)))
    assert_same(li.entropy().cpu(), ti.entropy())
    assert li.batch_shape == ti.batch_shape and li.event_shape == ti.event_shape and repr(li) == repr(ti)


@pytest.mark.parametrize("kind", ["covariance_matrix", "precision_matrix", "scale_tril"])
def test_mvn_parameterizations(torch, device, kind):
    mat = {"covariance_matrix": COV, "precision_matrix": np.linalg.inv(COV),
           "scale_tril": np.linalg.cholesky(COV)}[kind]
    ld = LD.MultivariateNormal(lt.tensor(MLOC[0], device=device), **{kind: lt.tensor(mat, device=device)})
    td = torch.distributions.MultivariateNormal(torch.tensor(MLOC[0]), **{kind: torch.tensor(mat)})
    assert repr(ld) == repr(td) and ld.batch_shape == td.batch_shape
    for attr in ["covariance_matrix", "precision_matrix", "scale_tril", "variance"]:
        assert_same(getattr(ld, attr).cpu(), getattr(td, attr), rtol=1e-6, atol=1e-8)
    x = np.random.default_rng(1).normal(size=(5, 2, 3))
    assert_same(ld.log_prob(lt.tensor(x, device=device)).cpu(), td.log_prob(torch.tensor(x)))
    assert_same(ld.entropy().cpu(), td.entropy())


def _pairs(torch, device, dtype, grad=False):
    B = R.normal(size=(2, 3, 3))
    cov2 = B @ B.transpose(0, 2, 1) + 2 * np.eye(3)
    specs = [("Normal", (LOC, SCALE), (LOC[::-1].copy(), SCALE[::-1].copy())),
             ("Bernoulli", (PROBS,), (PROBS[::-1].copy(),)),
             ("Categorical", (CPROBS,), (CPROBS[::-1].copy(),)),
             ("Uniform", (LOC, LOC + SCALE), (LOC - 3, LOC + 3)),
             ("Exponential", (SCALE,), (SCALE[::-1].copy(),)),
             ("Laplace", (LOC, SCALE), (LOC[::-1].copy(), SCALE[::-1].copy())),
             ("MultivariateNormal", (MLOC, COV), (MLOC[::-1].copy(), cov2))]
    for name, a, b in specs:
        lp, tp, lpa, tpa = _both(torch, device, name, *a, dtype=dtype, grad=grad)
        lq, tq, lqa, tqa = _both(torch, device, name, *b, dtype=dtype, grad=grad)
        yield name, (lp, lq, lpa + lqa), (tp, tq, tpa + tqa)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kl_values_and_grads(torch, device, dtype):
    for name, (lp, lq, la), (tp, tq, ta) in _pairs(torch, device, dtype, grad=True):
        lk, tk = LD.kl_divergence(lp, lq), torch.distributions.kl_divergence(tp, tq)
        assert_same(lk.cpu(), tk, rtol=1e-4, atol=1e-5)
        lk.sum().backward()
        tk.sum().backward()
        for a, b in zip(la, ta):
            assert_same(a.grad.cpu(), b.grad, rtol=1e-4, atol=1e-5)
    li = LD.Independent(LD.Normal(lt.tensor(LOC, device=device), 1.0), 2)
    lj = LD.Independent(LD.Normal(lt.tensor(-LOC, device=device), 2.0), 2)
    ti = torch.distributions.Independent(torch.distributions.Normal(torch.tensor(LOC), 1.0), 2)
    tj = torch.distributions.Independent(torch.distributions.Normal(torch.tensor(-LOC), 2.0), 2)
    assert_same(LD.kl_divergence(li, lj).cpu(), torch.distributions.kl_divergence(ti, tj))
    oh = [LD.OneHotCategorical(lt.tensor(c, device=device)) for c in (CPROBS, CPROBS[::-1].copy())]
    th = [torch.distributions.OneHotCategorical(torch.tensor(c)) for c in (CPROBS, CPROBS[::-1].copy())]
    assert_same(LD.kl_divergence(*oh).cpu(), torch.distributions.kl_divergence(*th))


def test_kl_infinite_cases(torch):
    lu = LD.kl_divergence(LD.Uniform(lt.tensor([0.0, 0.0]), 2.0), LD.Uniform(lt.tensor([-1.0, 1.0]), 3.0))
    tu = torch.distributions.kl_divergence(torch.distributions.Uniform(torch.tensor([0.0, 0.0]), 2.0),
                                           torch.distributions.Uniform(torch.tensor([-1.0, 1.0]), 3.0))
    assert_same(lu, tu)
    p = np.array([0.0, 1.0, 0.5])
    q = np.array([0.0, 0.5, 1.0])
    assert_same(LD.kl_divergence(LD.Bernoulli(lt.tensor(p)), LD.Bernoulli(lt.tensor(q))),
                torch.distributions.kl_divergence(torch.distributions.Bernoulli(torch.tensor(p)),
                                                  torch.distributions.Bernoulli(torch.tensor(q))))


def test_register_kl_custom(torch):
    class MyNormal(LD.Normal):
        pass

    @LD.register_kl(MyNormal, LD.Normal)
    def _kl(p, q):
        return lt.tensor(42.0)

    assert LD.kl_divergence(MyNormal(0.0, 1.0), LD.Normal(0.0, 1.0)).item() == 42.0
    assert LD.kl_divergence(LD.Normal(0.0, 1.0), MyNormal(1.0, 1.0)).item() == pytest.approx(0.5)


def test_rsample_gradients(torch, device):
    for name, args in [("Normal", (LOC, SCALE)), ("Uniform", (LOC, LOC + SCALE)), ("Exponential", (SCALE,)),
                       ("Laplace", (LOC, SCALE)), ("MultivariateNormal", (MLOC, COV))]:
        ld, td, la, ta = _both(torch, device, name, *args, grad=True)
        lt.manual_seed(5)
        torch.manual_seed(5)
        ls, ts = ld.rsample((3,)), td.rsample((3,))
        (ls ** 2).sum().backward()
        (ts ** 2).sum().backward()
        for a, b in zip(la, ta):
            assert_same(a.grad.cpu(), b.grad, rtol=1e-5, atol=1e-6)
    ld = LD.Categorical(lt.tensor(CPROBS))
    with pytest.raises(NotImplementedError):
        ld.rsample()


def test_gradcheck():
    device = "cpu"  # gradcheck reads values with .numpy(): cpu only
    dev = dict(dtype=lt.float64, device=device, requires_grad=True)
    loc, scale = lt.tensor(LOC, **dev), lt.tensor(SCALE, **dev)
    x = lt.tensor(R.normal(size=(3, 2)), dtype=lt.float64, device=device)
    assert gradcheck(lambda m, s: LD.Normal(m, s).log_prob(x), (loc, scale))
    assert gradcheck(lambda m, s: LD.Normal(m, s).cdf(x), (loc, scale))
    assert gradcheck(lambda m, s: LD.Laplace(m, s).log_prob(x + 0.05), (loc, scale))
    assert gradcheck(lambda s: LD.Exponential(s).log_prob(x.abs()), (scale,))
    assert gradcheck(lambda m, s: LD.Normal(m, s).entropy(), (loc, scale))
    lg = lt.tensor(R.normal(size=(2, 4)), **dev)
    assert gradcheck(lambda g: LD.Categorical(logits=g).entropy(), (lg,))
    assert gradcheck(lambda g: LD.Bernoulli(logits=g).log_prob(lt.ones(2, 4, dtype=lt.float64, device=device)),
                     (lg,))
    assert gradcheck(lambda a, b: LD.kl_divergence(LD.Categorical(logits=a), LD.Categorical(logits=b)),
                     (lg, lt.tensor(R.normal(size=(2, 4)), **dev)))
    assert gradcheck(lambda a, b: LD.kl_divergence(LD.Normal(a, b), LD.Normal(b, a.exp())), (loc, scale))
    cov = lt.tensor(COV[0], **dev)
    mloc = lt.tensor(MLOC[0], **dev)
    xm = lt.tensor(R.normal(size=(4, 3)), dtype=lt.float64, device=device)
    assert gradcheck(lambda m, c: LD.MultivariateNormal(m, (c + c.mT) / 2).log_prob(xm), (mloc, cov))
    assert gradcheck(lambda m, c: LD.kl_divergence(LD.MultivariateNormal(m, (c + c.mT) / 2),
                                                   LD.MultivariateNormal(m * 0, (c + c.mT) / 3)), (mloc, cov))


def test_errors(torch):
    TD = torch.distributions
    cases = [
        (lambda: LD.Normal(lt.tensor([0.0, 1.0]), lt.tensor([1.0, -1.0])),
         lambda: TD.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, -1.0]))),
        (lambda: LD.Normal(0.0, 1.0).log_prob(1.0), lambda: TD.Normal(0.0, 1.0).log_prob(1.0)),
        (lambda: LD.MultivariateNormal(lt.zeros(2), lt.eye(2)).log_prob(lt.zeros(3)),
         lambda: TD.MultivariateNormal(torch.zeros(2), torch.eye(2)).log_prob(torch.zeros(3))),
        (lambda: LD.Normal(lt.zeros(3), 1.0).log_prob(lt.zeros(2)),
         lambda: TD.Normal(torch.zeros(3), 1.0).log_prob(torch.zeros(2))),
        (lambda: LD.Bernoulli(lt.tensor([0.5])).log_prob(lt.tensor([0.5])),
         lambda: TD.Bernoulli(torch.tensor([0.5])).log_prob(torch.tensor([0.5]))),
        (lambda: LD.Bernoulli(), lambda: TD.Bernoulli()),
        (lambda: LD.Categorical(lt.tensor(1.0)), lambda: TD.Categorical(torch.tensor(1.0))),
        (lambda: LD.Categorical(logits=lt.tensor(1.0)), lambda: TD.Categorical(logits=torch.tensor(1.0))),
        (lambda: LD.Categorical(lt.tensor([0.5, 0.5])).log_prob(lt.tensor(2)),
         lambda: TD.Categorical(torch.tensor([0.5, 0.5])).log_prob(torch.tensor(2))),
        (lambda: LD.Uniform(1.0, 0.0), lambda: TD.Uniform(1.0, 0.0)),
        (lambda: LD.Exponential(2.0).log_prob(lt.tensor(-1.0)), lambda: TD.Exponential(2.0).log_prob(torch.tensor(-1.0))),
        (lambda: LD.MultivariateNormal(lt.tensor(1.0), lt.eye(2)),
         lambda: TD.MultivariateNormal(torch.tensor(1.0), torch.eye(2))),
        (lambda: LD.MultivariateNormal(lt.zeros(2)), lambda: TD.MultivariateNormal(torch.zeros(2))),
        (lambda: LD.MultivariateNormal(lt.zeros(2), scale_tril=lt.ones(2)),
         lambda: TD.MultivariateNormal(torch.zeros(2), scale_tril=torch.ones(2))),
        (lambda: LD.MultivariateNormal(lt.zeros(2), precision_matrix=lt.ones(2)),
         lambda: TD.MultivariateNormal(torch.zeros(2), precision_matrix=torch.ones(2))),
        (lambda: LD.MultivariateNormal(lt.zeros(2), lt.tensor([[1.0, 2.0], [0.0, 1.0]])),
         lambda: TD.MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [0.0, 1.0]]))),
        (lambda: LD.kl_divergence(LD.MultivariateNormal(lt.zeros(2), lt.eye(2)),
                                  LD.MultivariateNormal(lt.zeros(3), lt.eye(3))),
         lambda: TD.kl_divergence(TD.MultivariateNormal(torch.zeros(2), torch.eye(2)),
                                  TD.MultivariateNormal(torch.zeros(3), torch.eye(3)))),
        (lambda: LD.kl_divergence(LD.Normal(0.0, 1.0), LD.Bernoulli(0.3)),
         lambda: TD.kl_divergence(TD.Normal(0.0, 1.0), TD.Bernoulli(0.3))),
        (lambda: LD.kl_divergence(LD.Categorical(lt.ones(2)), LD.Normal(0.0, 1.0)),
         lambda: TD.kl_divergence(TD.Categorical(torch.ones(2)), TD.Normal(0.0, 1.0))),
        (lambda: LD.Independent(LD.Normal(lt.zeros(2), 1.0), 2),
         lambda: TD.Independent(TD.Normal(torch.zeros(2), 1.0), 2)),
    ]
    for ours, theirs in cases:
        same_error(ours, theirs)
    # validate_args=False skips the checks, as in torch
    assert LD.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0


def test_enumerate_support_and_perplexity(torch):
    lb, tb = LD.Bernoulli(lt.tensor(PROBS)), torch.distributions.Bernoulli(torch.tensor(PROBS))
    assert_same(lb.enumerate_support(), tb.enumerate_support())
    assert_same(lb.enumerate_support(False), tb.enumerate_support(False))
    lc, tc = LD.Categorical(lt.tensor(CPROBS)), torch.distributions.Categorical(torch.tensor(CPROBS))
    assert_same(lc.enumerate_support(), tc.enumerate_support())
    assert_same(lc.perplexity(), tc.perplexity())
    lo = LD.OneHotCategorical(lt.tensor(CPROBS))
    to = torch.distributions.OneHotCategorical(torch.tensor(CPROBS))
    assert_same(lo.enumerate_support(), to.enumerate_support())
    assert_same(lo.log_prob(lo.enumerate_support()), to.log_prob(to.enumerate_support()))
