"""More math and linear algebra against real PyTorch: addcmul / addcdiv, float_power, gcd / lcm, the
special functions (erfc, erfinv, lgamma, digamma, polygamma, i0, logit, torch.special), more products
(addmv, baddbmm, addbmm, multi_dot, matrix_power), dist, renorm, cdist, block_diag, tril/triu_indices,
the trapezoid rule, and torch.linalg's decompositions (slogdet, solve, cholesky, qr, eigh, svd, pinv,
lstsq, matrix_rank) and norms.  Values, dtypes, gradients, node names, errors, gradcheck in float64.

Eigen- and singular vectors are unique only up to sign: tests compare what is unique (eigenvalues,
V * V element-wise, reconstructions U S Vh, projectors).
"""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch import special as lt_special
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]
INF, NAN = float("inf"), float("nan")


def tol(dtype, rtol64=1e-12):
    return dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=rtol64, atol=1e-12)


def name_of(t):
    return t.grad_fn.name() if t.grad_fn is not None else None


def leaves(torch, arr, device, requires_grad=True):
    return lt.tensor(arr, device=device, requires_grad=requires_grad), torch.tensor(arr, requires_grad=requires_grad)


def check_grads(ours, theirs, pairs, seed=1, **kw):
    """Backward of sum(out * w) for a random w on both sides; compare the leaves' gradients."""
    w = np.random.default_rng(seed).standard_normal(tuple(theirs.shape))
    (ours * lt.tensor(w, device=ours.device).to(ours.dtype)).sum().backward()
    (theirs * theirs.new_tensor(w)).sum().backward()
    for a, b in pairs:
        assert_same(a.grad, b.grad, **kw)


def rand(*shape, seed=0, lo=-2.0, hi=2.0, dtype="float64"):
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(dtype)


def f64(arr, requires_grad=True):
    return lt.tensor(arr, dtype=lt.float64, requires_grad=requires_grad)


# --- special functions: values over wide ranges, special points --------------------------------------

SPECIAL = {  # name: (learntorch fn, torch fn, domain)
    "erfc": (lt.erfc, lambda t: t.erfc, (-6.0, 27.0)),
    "erfinv": (lt.erfinv, lambda t: t.erfinv, (-1.0, 1.0)),
    "lgamma": (lt.lgamma, lambda t: t.lgamma, (-30.0, 30.0)),
    "digamma": (lt.digamma, lambda t: t.digamma, (-30.0, 30.0)),
    "i0": (lt.i0, lambda t: t.i0, (-60.0, 60.0)),
    "logit": (lt.logit, lambda t: t.logit, (0.0, 1.0)),
    "special.i1": (lt_special.i1, lambda t: t.special.i1, (-60.0, 60.0)),
    "special.entr": (lt_special.entr, lambda t: t.special.entr, (-1.0, 5.0)),
    "special.ndtr": (lt_special.ndtr, lambda t: t.special.ndtr, (-9.0, 9.0)),
    "special.log_ndtr": (lt_special.log_ndtr, lambda t: t.special.log_ndtr, (-40.0, 10.0)),
    "special.expit": (lt_special.expit, lambda t: t.special.expit, (-10.0, 10.0)),
    "special.gammaln": (lt_special.gammaln, lambda t: t.special.gammaln, (0.1, 30.0)),
    "special.psi": (lt_special.psi, lambda t: t.special.psi, (0.1, 30.0)),
    "special.erfc": (lt_special.erfc, lambda t: t.special.erfc, (-3.0, 3.0)),
    "special.erfinv": (lt_special.erfinv, lambda t: t.special.erfinv, (-0.99, 0.99)),
}
POINTS = [0.0, -0.0, 1.0, -1.0, 2.0, -2.5, 0.5, INF, -INF, NAN, 1e-300, 1e-10]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(SPECIAL))
def test_special_values(torch, device, name, dtype):
    """2000 points across the domain plus 0, -0, +-1, inf, NaN, tiny numbers: the same values (float64
    to ~1e-12, computed from series / continued fractions / Lanczos since NumPy has no erf or gamma)."""
    ours_fn, theirs_fn, (lo, hi) = SPECIAL[name]
    arr = np.concatenate([np.linspace(lo, hi, 2001), POINTS]).astype(dtype)
    ours, theirs = ours_fn(lt.tensor(arr, device=device)), theirs_fn(torch)(torch.tensor(arr))
    assert_same(ours.cpu(), theirs, **tol(dtype))


def test_erfinv_near_one(torch, device):
    """1 - 1e-16 and friends: Newton steps on log erfc keep the digits that 1 - y would lose."""
    arr = np.array([1 - 2.0 ** -53, 1 - 1e-12, -(1 - 1e-9), 1e-300, -1e-20, 0.5, 0.49999, 0.999])
    assert_same(lt.erfinv(lt.tensor(arr, device=device)).cpu(), torch.erfinv(torch.tensor(arr)), rtol=1e-13, atol=0)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_polygamma_values(torch, device, n, dtype):
    """PyTorch's own float64 trigamma is accurate to ~5e-10 only (checked against mpmath: ours to ~5e-14),
    so n = 1 compares with rtol 1e-8.  For n >= 2 only x > 0 (PyTorch's Hurwitz zeta at x <= 0 is its own)."""
    lo = -20.0 if n == 1 else 0.05
    arr = np.linspace(lo, 30.0, 1001).astype(dtype)
    if n == 1:
        arr = arr[np.abs(arr - np.round(arr)) > 1e-3]
    ours, theirs = lt.polygamma(n, lt.tensor(arr, device=device)), torch.polygamma(n, torch.tensor(arr))
    # float32: PyTorch computes trigamma in float32 (poles magnify its rounding), learntorch in float64
    kw = dict(rtol=1e-4, atol=1e-5) if n == 1 and dtype == "float32" else tol(dtype, 1e-8 if n == 1 else 1e-12)
    assert_same(ours.cpu(), theirs, **kw)
    assert_same(lt.tensor(arr, device=device).polygamma(n).cpu(), theirs, **kw)


def test_special_points_of_gamma_family(torch, device):
    arr = np.array([0.0, -0.0, -1.0, -2.0, 1.0, 2.0, INF, -INF, NAN])
    for name in ("lgamma", "digamma"):
        assert_same(getattr(lt, name)(lt.tensor(arr, device=device)).cpu(), getattr(torch, name)(torch.tensor(arr)))
    assert_same(lt.polygamma(2, lt.tensor([INF, 1.0], device=device)).cpu(),
                torch.polygamma(2, torch.tensor([INF, 1.0])))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["erfc", "erfinv", "lgamma", "digamma", "i0", "logit"])
def test_special_grads_and_methods(torch, device, name, dtype):
    """Transposed (non-contiguous) input: values, the Tensor method, the gradient, the node's name."""
    lo, hi = (0.05, 0.95) if name == "logit" else (-0.9, 0.9) if name == "erfinv" else (0.2, 4.0)
    arr = rand(4, 3, lo=lo, hi=hi, dtype=dtype)
    a, b = leaves(torch, arr, device)
    ours, theirs = getattr(lt, name)(a.t()), getattr(torch, name)(b.t())
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    assert_same(getattr(a.t(), name)().cpu(), theirs, **tol(dtype))
    check_grads(ours, theirs, [(a, b)], **tol(dtype, rtol64=1e-8))


@pytest.mark.parametrize("name", ["erfc_", "erfinv_", "lgamma_", "digamma_", "i0_", "logit_"])
def test_special_inplace(torch, device, name):
    arr = rand(5, lo=0.1, hi=0.9)
    a, b = lt.tensor(arr, device=device), torch.tensor(arr)
    assert getattr(a, name)() is a
    getattr(b, name)()
    assert_same(a.cpu(), b)


def test_polygamma_inplace_and_logit_eps(torch, device):
    arr = np.array([0.0, 0.1, 0.2, 0.5, 0.9, 1.0])
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.logit(a, eps=0.2), torch.logit(b, eps=0.2)
    assert_same(ours.cpu(), theirs)
    check_grads(ours, theirs, [(a, b)])                 # 0 outside [eps, 1 - eps], as PyTorch
    x, y = lt.tensor([1.5, 2.5], device=device), torch.tensor([1.5, 2.5])
    x.polygamma_(1)
    y.polygamma_(1)
    assert_same(x.cpu(), y)
    assert_same(lt.logit(lt.tensor([1, 2], device=device), 0.1).cpu(), torch.logit(torch.tensor([1, 2]), 0.1))


@pytest.mark.parametrize("fn", [lt.erfc, lt.erfinv, lt.lgamma, lt.digamma, lt.i0, lt.logit, lt_special.i1,
                                lt_special.entr, lt_special.log_ndtr, lt_special.ndtr,
                                lambda x: lt.polygamma(1, x), lambda x: lt.polygamma(3, x),
                                lambda x: lt.logit(x, eps=0.35)],
                         ids=["erfc", "erfinv", "lgamma", "digamma", "i0", "logit", "i1", "entr", "log_ndtr", "ndtr",
                              "polygamma1", "polygamma3", "logit_eps"])
def test_special_gradcheck(fn):
    x = f64([0.3, 0.45, 0.7, 0.9])
    assert gradcheck(fn, (x,))
    assert gradcheck(lambda t: fn(t).sum(), (f64([0.2, 0.6]),))


def test_second_derivatives_chain_through_polygamma(torch):
    """d^2/dx^2 lgamma = trigamma: backward of backward goes through digamma -> polygamma(1)."""
    x = lt.tensor([1.5, 3.0], dtype=lt.float64, requires_grad=True)
    y = torch.tensor([1.5, 3.0], dtype=torch.float64, requires_grad=True)
    g, = lt.autograd.grad(lt.lgamma(x).sum(), x, create_graph=True)
    h, = torch.autograd.grad(torch.lgamma(y).sum(), y, create_graph=True)
    g.sum().backward()
    h.sum().backward()
    assert_same(x.grad, y.grad, rtol=1e-8)


def test_special_bivariate(torch, device):
    a_arr = np.array([0.0, 0.0, 0.0, 1.0, -0.5, 2.0, 1.5])
    b_arr = np.array([2.0, -1.0, -3.0, -1.0, 0.5, NAN, 3.0])
    a, b = leaves(torch, a_arr, device)
    c, d = leaves(torch, b_arr, device)
    ours, theirs = lt_special.xlog1py(a, c), torch.special.xlog1py(b, d)
    assert_same(ours.cpu(), theirs)
    assert name_of(ours) == name_of(theirs) == "SpecialXlog1PyBackward0"
    check_grads(ours, theirs, [(a, b), (c, d)])
    assert name_of(lt_special.xlog1py(a, 2.0)) == name_of(torch.special.xlog1py(b, 2.0))
    assert name_of(lt_special.xlog1py(2.0, c)) == name_of(torch.special.xlog1py(2.0, d))
    assert_same(lt_special.xlogy(a, c).cpu(), torch.special.xlogy(b, d))
    assert gradcheck(lt_special.xlog1py, (f64([0.3, 2.0]), f64([0.5, 1.5])))


def test_special_reexports(torch, device):
    arr = rand(3, 4)
    x, y = lt.tensor(arr, device=device), torch.tensor(arr)
    assert_same(lt_special.softmax(x, 1).cpu(), torch.special.softmax(y, 1))
    assert_same(lt_special.log_softmax(x, 0).cpu(), torch.special.log_softmax(y, 0))
    assert_same(lt_special.logsumexp(x, 1).cpu(), torch.special.logsumexp(y, 1))
    assert_same(lt_special.sinc(x).cpu(), torch.special.sinc(y))
    assert_same(lt_special.round(x * 3).cpu(), torch.special.round(y * 3))
    assert_same(lt_special.erf(x).cpu(), torch.special.erf(y))
    assert_same(lt_special.logit(x.sigmoid()).cpu(), torch.special.logit(y.sigmoid()))
    assert_same(lt_special.polygamma(1, x.abs() + 1).cpu(), torch.special.polygamma(1, y.abs() + 1), rtol=1e-8)
    assert_same(lt_special.digamma(x.abs() + 1).cpu(), torch.special.digamma(y.abs() + 1))
    assert_same(lt_special.i0(x).cpu(), torch.special.i0(y))


def test_special_int_inputs(torch, device):
    arr = np.array([1, 2, 3])
    for name in ("erfc", "lgamma", "digamma", "i0", "erfinv"):
        assert_same(getattr(lt, name)(lt.tensor(arr, device=device)).cpu(), getattr(torch, name)(torch.tensor(arr)))
    assert_same(lt_special.ndtr(lt.tensor(arr, device=device)).cpu(), torch.special.ndtr(torch.tensor(arr)))


# --- addcmul / addcdiv, float_power, gcd / lcm --------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addc(torch, device, name, dtype):
    a, b = leaves(torch, rand(3, 1, dtype=dtype), device)
    c, d = leaves(torch, rand(4, 3, dtype=dtype, seed=1), device)          # transposed below: (3, 4)
    e, f = leaves(torch, rand(4, lo=0.5, hi=2.0, dtype=dtype, seed=2), device)
    ours, theirs = getattr(lt, name)(a, c.t(), e, value=-1.5), getattr(torch, name)(b, d.t(), f, value=-1.5)
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(a, b), (c, d), (e, f)], **tol(dtype, rtol64=1e-10))
    assert_same(getattr(a.detach(), name)(c.detach().t(), e.detach()).cpu(),
                getattr(b.detach(), name)(d.detach().t(), f.detach()), **tol(dtype))
    x, y = lt.tensor(rand(3, 4, dtype=dtype), device=device), torch.tensor(rand(3, 4, dtype=dtype))
    assert getattr(x, name + "_")(c.detach().t(), e.detach(), value=2) is x
    getattr(y, name + "_")(d.detach().t(), f.detach(), value=2)
    assert_same(x.cpu(), y, **tol(dtype))


def test_addc_dtypes_and_gradcheck(torch, device):
    i = np.array([1, 2, 3])
    li = lt.tensor(i, device=device)
    assert_same(lt.addcmul(li, li, li, value=2.5).cpu(),
                torch.addcmul(torch.tensor(i), torch.tensor(i), torch.tensor(i), value=2.5))
    one = lt.ones(2, device=device)
    mixed = lt.addcmul(lt.ones(2, dtype=lt.float64, device=device), one, one)
    assert mixed.dtype == lt.float64
    t, u, w = f64([0.3, 0.4]), f64([0.6, 0.9]), f64([1.3, 1.7])
    assert gradcheck(lambda a, b, c: lt.addcmul(a, b, c, value=3), (t, u, w))
    assert gradcheck(lambda a, b, c: lt.addcdiv(a, b, c, value=-2), (t, u, w))


def test_float_power(torch, device):
    a, b = leaves(torch, rand(3, 2, dtype="float32", lo=0.5), device)
    for exp in (2, 0.5):
        ours, theirs = lt.float_power(a, exp), torch.float_power(b, exp)
        assert_same(ours.cpu(), theirs, rtol=1e-12)
        assert name_of(ours) == name_of(theirs)
    ours, theirs = lt.float_power(a, a.t().t()), torch.float_power(b, b)
    assert_same(ours.cpu(), theirs, rtol=1e-12)
    check_grads(ours, theirs, [(a, b)])
    ours, theirs = lt.float_power(2, a), torch.float_power(2, b)
    assert_same(ours.cpu(), theirs, rtol=1e-12)
    assert name_of(ours) == name_of(theirs) == "PowBackward2"
    assert_same(lt.float_power(lt.tensor([1, 2], device=device), 3).cpu(), torch.float_power(torch.tensor([1, 2]), 3))
    x = lt.tensor([1.5, 2.0], dtype=lt.float64, device=device)
    assert x.float_power_(2) is x
    assert x.tolist() == [2.25, 4.0]
    assert gradcheck(lambda t: lt.float_power(t, 1.7), (f64([0.5, 1.5]),))


def test_gcd_lcm(torch, device):
    a_arr = np.array([12, -18, 0, 0, 7, 100, -4])
    b_arr = np.array([8, 4, 5, 0, 3, -75, -6])
    for name in ("gcd", "lcm"):
        a, b = lt.tensor(a_arr, device=device), torch.tensor(a_arr)
        c, d = lt.tensor(b_arr, device=device), torch.tensor(b_arr)
        assert_same(getattr(lt, name)(a, c).cpu(), getattr(torch, name)(b, d))
        assert_same(getattr(a, name)(c.reshape(7, 1)).cpu(), getattr(b, name)(d.reshape(7, 1)))   # broadcasting
        getattr(a, name + "_")(c)
        getattr(b, name + "_")(d)
        assert_same(a.cpu(), b)
    u8 = np.array([12, 200], dtype=np.uint8)
    assert_same(lt.gcd(lt.tensor(u8, device=device), lt.tensor([8, 30], device=device)).cpu(),
                torch.gcd(torch.tensor(u8), torch.tensor([8, 30])))


# --- more products --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_addmv_baddbmm_addbmm(torch, device, dtype):
    v, tv = leaves(torch, rand(3, dtype=dtype), device)
    m, tm = leaves(torch, rand(3, 3, dtype=dtype, seed=1), device)
    ours, theirs = lt.addmv(v, m.t(), v, beta=2, alpha=-0.5), torch.addmv(tv, tm.t(), tv, beta=2, alpha=-0.5)
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(v, tv), (m, tm)], **tol(dtype, 1e-10))
    b1, t1 = leaves(torch, rand(2, 3, 4, dtype=dtype, seed=2), device)
    b2, t2 = leaves(torch, rand(2, 5, 4, dtype=dtype, seed=3), device)
    inp, tinp = leaves(torch, rand(1, 3, 1, dtype=dtype, seed=4), device)
    ours = lt.baddbmm(inp, b1, b2.transpose(-1, -2), beta=0.5, alpha=2)
    theirs = torch.baddbmm(tinp, t1, t2.transpose(-1, -2), beta=0.5, alpha=2)
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(inp, tinp), (b1, t1), (b2, t2)], **tol(dtype, 1e-10))
    for a, t in ((inp, tinp), (b1, t1), (b2, t2)):
        a.grad = t.grad = None
    ours = lt.addbmm(inp[0], b1, b2.transpose(-1, -2), alpha=3)
    theirs = torch.addbmm(tinp[0], t1, t2.transpose(-1, -2), alpha=3)
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(inp, tinp), (b1, t1), (b2, t2)], **tol(dtype, 1e-10))


def test_products_beta_zero_inplace_int(torch, device):
    nan_in = np.full(3, NAN)
    m = rand(3, 3)
    ones = lt.ones(3, dtype=lt.float64, device=device)
    assert_same(lt.addmv(lt.tensor(nan_in, device=device), lt.tensor(m, device=device), ones, beta=0).cpu(),
                torch.addmv(torch.tensor(nan_in), torch.tensor(m), torch.ones(3, dtype=torch.float64), beta=0))
    ints = np.arange(8).reshape(2, 2, 2)
    li = lt.tensor(ints, device=device)
    assert_same(lt.baddbmm(li, li, li, alpha=2).cpu(),
                torch.baddbmm(torch.tensor(ints), torch.tensor(ints), torch.tensor(ints), alpha=2))
    x, y = lt.tensor(m[0], device=device), torch.tensor(m[0])
    assert x.addmv_(lt.tensor(m, device=device), lt.tensor(m[1], device=device)) is x
    y.addmv_(torch.tensor(m), torch.tensor(m[1]))
    assert_same(x.cpu(), y)
    x, y = lt.tensor(m, device=device), torch.tensor(m)
    x.addbmm_(lt.tensor(rand(2, 3, 3), device=device), lt.tensor(rand(2, 3, 3, seed=1), device=device))
    y.addbmm_(torch.tensor(rand(2, 3, 3)), torch.tensor(rand(2, 3, 3, seed=1)))
    assert_same(x.cpu(), y)


def test_product_gradchecks():
    v, m, b1, b2 = f64(rand(3)), f64(rand(3, 3, seed=1)), f64(rand(2, 3, 2, seed=2)), f64(rand(2, 2, 3, seed=3))
    assert gradcheck(lambda a, b, c: lt.addmv(a, b, c, beta=0.5, alpha=2), (v, m, v))
    assert gradcheck(lambda a, b, c: lt.baddbmm(a, b, c, beta=0.5, alpha=2), (m, b1, b2))
    assert gradcheck(lambda a, b, c: lt.addbmm(a, b, c, beta=0.5, alpha=2), (m, b1, b2))
    assert gradcheck(lambda a, b, c: lt.linalg.multi_dot([a, b, c]), (v, m, v))
    assert gradcheck(lambda a: lt.matrix_power(a, 3), (m,))
    assert gradcheck(lambda a: lt.matrix_power(a, -2), (f64(rand(3, 3, seed=5) + 3 * np.eye(3)),))


def test_multi_dot_and_chain_matmul(torch, device):
    arrs = [rand(4, seed=0), rand(4, 5, seed=1), rand(5, 2, seed=2), rand(2, 6, seed=3), rand(6, seed=4)]
    ours_in = [lt.tensor(a, device=device, requires_grad=True) for a in arrs]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrs]
    ours, theirs = lt.linalg.multi_dot(ours_in), torch.linalg.multi_dot(theirs_in)
    assert_same(ours.cpu(), theirs, rtol=1e-12)
    assert name_of(ours) == name_of(theirs)
    ours.backward()
    theirs.backward()
    for a, b in zip(ours_in, theirs_in):
        assert_same(a.grad.cpu(), b.grad, rtol=1e-12)
    mats = arrs[1:4]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = lt.chain_matmul(*[lt.tensor(a, device=device) for a in mats])
        theirs = torch.chain_matmul(*[torch.tensor(a) for a in mats])
        assert_same(ours.cpu(), theirs, rtol=1e-12)
        assert_same(lt.chain_matmul(lt.tensor(mats[0], device=device)).cpu(), torch.chain_matmul(torch.tensor(mats[0])))


def test_chain_matmul_warns():
    import learntorch.ops.linalg as impl
    impl._chain_warned = False
    with pytest.warns(UserWarning, match="torch.chain_matmul is deprecated"):
        lt.chain_matmul(lt.ones(2, 2), lt.ones(2, 2))


@pytest.mark.parametrize("n", [0, 1, 2, 5, -1, -3])
def test_matrix_power(torch, device, n):
    arr = rand(2, 3, 3) + 2 * np.eye(3)
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.matrix_power(a, n), torch.matrix_power(b, n)
    assert_same(ours.cpu(), theirs, rtol=1e-10)
    assert_same(a.matrix_power(n).cpu(), theirs, rtol=1e-10)
    assert_same(lt.linalg.matrix_power(a, n).cpu(), theirs, rtol=1e-10)
    check_grads(ours, theirs, [(a, b)], rtol=1e-9, atol=1e-10)
    ints = np.arange(4).reshape(2, 2)
    if n >= 0:
        assert_same(lt.matrix_power(lt.tensor(ints, device=device), n).cpu(), torch.matrix_power(torch.tensor(ints), n))


# --- dist, renorm, cdist, block_diag, tri indices, trapezoid ---------------------------------------------

@pytest.mark.parametrize("p", [2, 1, 3.5, INF, 0])
def test_dist(torch, device, p):
    a, b = leaves(torch, rand(3, 4), device)
    c, d = leaves(torch, rand(4, seed=1), device)
    ours, theirs = lt.dist(a.t().t(), c, p), torch.dist(b, d, p)
    assert_same(ours.cpu(), theirs, rtol=1e-12)
    assert name_of(ours) == name_of(theirs) == "DistBackward0"
    if p != 0:                                       # p = 0 counts non-zeros: PyTorch gives no gradient
        check_grads(ours, theirs, [(a, b), (c, d)], rtol=1e-10)
    assert_same(a.dist(c, p).cpu(), theirs, rtol=1e-12)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("p,dim,maxnorm", [(2, 0, 1.0), (1, 1, 2.0), (3, -1, 0.5), (2, -3, 1.5)])
def test_renorm(torch, device, dtype, p, dim, maxnorm):
    arr = rand(2, 3, 4, dtype=dtype)
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.renorm(a, p, dim, maxnorm), torch.renorm(b, p, dim, maxnorm)
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-10))
    x, y = lt.tensor(arr, device=device), torch.tensor(arr)
    assert x.renorm_(p, dim, maxnorm) is x
    y.renorm_(p, dim, maxnorm)
    assert_same(x.cpu(), y, **tol(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("p", [2.0, 1.0, INF, 3.0, 0.5, 0.0])
def test_cdist(torch, device, dtype, p):
    a, b = leaves(torch, rand(2, 3, 5, dtype=dtype), device)          # transposed: (2, 5, 3)
    c, d = leaves(torch, rand(1, 4, 3, dtype=dtype, seed=1), device)
    ours, theirs = lt.cdist(a.transpose(1, 2), c, p=p), torch.cdist(b.transpose(1, 2), d, p=p)
    assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
    assert name_of(ours) == name_of(theirs) == "CdistBackward0"
    check_grads(ours, theirs, [(a, b), (c, d)], **tol(dtype, 1e-9))


def test_cdist_gradcheck_and_zero_distance(torch):
    x = f64(rand(3, 2))
    assert gradcheck(lambda a, b: lt.cdist(a, b, p=3.0), (x, f64(rand(4, 2, seed=1))))
    a, b = leaves(torch, np.array([[1.0, 2.0], [3.0, 4.0]]), "cpu")
    ours, theirs = lt.cdist(a, a), torch.cdist(b, b)          # zero distances on the diagonal: gradient 0
    check_grads(ours, theirs, [(a, b)])


def test_block_diag(torch, device):
    arrs = [rand(2, 3), rand(3, seed=1), np.array(5.0), rand(1, 2, seed=2)]
    ours_in = [lt.tensor(a, device=device, requires_grad=True) for a in arrs]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrs]
    ours, theirs = lt.block_diag(*ours_in), torch.block_diag(*theirs_in)
    assert_same(ours.cpu(), theirs)
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, list(zip(ours_in, theirs_in)))
    mixed = lt.block_diag(lt.ones(2, 2, dtype=lt.int64, device=device), lt.ones(1, device=device))
    assert_same(mixed.cpu(), torch.block_diag(torch.ones(2, 2, dtype=torch.int64), torch.ones(1)))
    assert_same(lt.block_diag(), torch.block_diag())


@pytest.mark.parametrize("row,col,offset", [(3, 4, 0), (4, 3, 1), (4, 4, -2), (0, 3, 0), (3, 5, 10), (5, 2, -10)])
def test_tri_indices(torch, device, row, col, offset):
    for name in ("tril_indices", "triu_indices"):
        ours = getattr(lt, name)(row, col, offset, device=device)
        assert ours.device.type == device
        assert_same(ours.cpu(), getattr(torch, name)(row, col, offset))
    ours = lt.tril_indices(row, col, offset, dtype=lt.int32)
    assert_same(ours, torch.tril_indices(row, col, offset, dtype=torch.int32))


@pytest.mark.parametrize("dtype", FLOATS)
def test_trapezoid_family(torch, device, dtype):
    a, b = leaves(torch, rand(3, 4, 5, dtype=dtype), device)
    x = np.sort(rand(4, dtype=dtype, seed=1))
    x3 = rand(3, 4, 5, dtype=dtype, seed=2)
    cases = [
        lambda m, y, T: m.trapezoid(y),
        lambda m, y, T: m.trapezoid(y, dim=0),
        lambda m, y, T: m.trapezoid(y, dx=0.5, dim=-2),
        lambda m, y, T: m.trapezoid(y.transpose(1, 2), T(x), dim=-1),
        lambda m, y, T: m.trapezoid(y, T(x3), dim=1),
        lambda m, y, T: m.trapz(y, dx=2.0),
        lambda m, y, T: m.trapz(y, T(x), dim=1),
        lambda m, y, T: m.cumulative_trapezoid(y),
        lambda m, y, T: m.cumulative_trapezoid(y, dx=3, dim=0),
        lambda m, y, T: m.cumulative_trapezoid(y, T(x), dim=-2),
    ]
    for case in cases:
        if a.grad is not None:
            a.grad = b.grad = None
        ours = case(lt, a, lambda arr: lt.tensor(arr, device=device))
        theirs = case(torch, b, torch.tensor)
        assert_same(ours.cpu(), theirs, **tol(dtype))
        check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-10))


def test_trapezoid_ints_and_empty(torch, device):
    ints = np.array([1, 4, 9, 16])
    assert_same(lt.trapezoid(lt.tensor(ints, device=device)).cpu(), torch.trapezoid(torch.tensor(ints)))
    assert_same(lt.trapezoid(lt.tensor(ints, device=device), dx=2).cpu(), torch.trapezoid(torch.tensor(ints), dx=2))
    assert_same(lt.trapezoid(lt.tensor(ints, device=device), lt.tensor(ints, device=device)).cpu(),
                torch.trapezoid(torch.tensor(ints), torch.tensor(ints)))
    assert_same(lt.trapezoid(lt.ones(3, 0, device=device)).cpu(), torch.trapezoid(torch.ones(3, 0)))
    assert_same(lt.cumulative_trapezoid(lt.ones(3, 0, device=device)).cpu(),
                torch.cumulative_trapezoid(torch.ones(3, 0)))


# --- decompositions ---------------------------------------------------------------------------------------

def spd(n=3, batch=(), seed=0):
    a = rand(*batch, n, n, seed=seed)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


@pytest.mark.parametrize("dtype", FLOATS)
def test_slogdet_logdet(torch, device, dtype):
    arr = rand(2, 3, 3, dtype=dtype)
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.linalg.slogdet(a.transpose(-1, -2)), torch.linalg.slogdet(b.transpose(-1, -2))
    assert_same(ours.sign.cpu(), theirs.sign)
    assert_same(ours.logabsdet.cpu(), theirs.logabsdet, **tol(dtype, 1e-10))
    assert name_of(ours.logabsdet) == name_of(theirs.logabsdet)
    check_grads(ours.logabsdet, theirs.logabsdet, [(a, b)], **tol(dtype, 1e-10))
    sign, logabs = lt.slogdet(a[0])
    assert_same(logabs.cpu(), torch.slogdet(b[0]).logabsdet, **tol(dtype))
    assert_same(a.slogdet()[1].cpu(), b.slogdet()[1], **tol(dtype))
    ours, theirs = lt.logdet(a), torch.logdet(b)             # NaN where det < 0
    assert_same(ours.cpu(), theirs, **tol(dtype))
    assert_same(a.logdet().cpu(), theirs, **tol(dtype))
    assert_same(lt.logdet(lt.zeros(2, 2, device=device)).cpu(), torch.logdet(torch.zeros(2, 2)))


def test_slogdet_sign_alone_has_no_gradient(torch):
    a, b = leaves(torch, rand(3, 3), "cpu")
    (lt.slogdet(a).sign * 2).sum().backward()
    (torch.slogdet(b).sign * 2).sum().backward()
    assert a.grad is None and b.grad is None


@pytest.mark.parametrize("dtype", FLOATS)
def test_solve(torch, device, dtype):
    a, b = leaves(torch, rand(2, 3, 3, dtype=dtype) + 3 * np.eye(3, dtype=dtype), device)
    c, d = leaves(torch, rand(3, 2, dtype=dtype, seed=1), device)
    v, w = leaves(torch, rand(2, 3, dtype=dtype, seed=2), device)
    for ours, theirs in ((lt.linalg.solve(a, c), torch.linalg.solve(b, d)),            # batch broadcast
                         (lt.linalg.solve(a, v), torch.linalg.solve(b, w)),            # a batch of vectors
                         (lt.linalg.solve(a[0].mT, c.mT, left=False), torch.linalg.solve(b[0].mT, d.mT, left=False))):
        assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
        check_grads(ours, theirs, [(a, b), (c, d), (v, w)] if ours.ndim == 2 else [(a, b)], **tol(dtype, 1e-9))
        for t in (a, b, c, d, v, w):
            t.grad = None
    assert name_of(lt.linalg.solve(a, c)) == "LinalgSolveExBackward0"


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(torch, device, dtype, upper):
    a, b = leaves(torch, spd(3, (2,)).astype(dtype), device)
    ours, theirs = lt.linalg.cholesky(a, upper=upper), torch.linalg.cholesky(b, upper=upper)
    assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
    check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-9))
    if not upper:
        assert name_of(ours) == name_of(theirs)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (2, 4, 2)])
def test_qr(torch, device, dtype, shape):
    """LAPACK's Householder QR on both sides: the same signs, so Q and R compare directly."""
    a, b = leaves(torch, rand(*shape, dtype=dtype), device)
    ours, theirs = lt.linalg.qr(a), torch.linalg.qr(b)
    assert_same(ours.Q.cpu(), theirs.Q, **tol(dtype, 1e-10))
    assert_same(ours.R.cpu(), theirs.R, **tol(dtype, 1e-10))
    assert name_of(ours.Q) == name_of(theirs.Q)
    w = np.random.default_rng(3)
    wq, wr = w.standard_normal(tuple(theirs.Q.shape)), w.standard_normal(tuple(theirs.R.shape))
    lq, lr = lt.tensor(wq, device=device).to(a.dtype), lt.tensor(wr, device=device).to(a.dtype)
    ((ours.Q * lq).sum() + (ours.R * lr).sum()).backward()
    ((theirs.Q * torch.tensor(wq).to(b.dtype)).sum() + (theirs.R * torch.tensor(wr).to(b.dtype)).sum()).backward()
    assert_same(a.grad.cpu(), b.grad, **tol(dtype, 1e-9))
    complete = lt.linalg.qr(a.detach(), mode="complete")
    assert_same(complete.Q.cpu(), torch.linalg.qr(b.detach(), mode="complete").Q, **tol(dtype, 1e-10))
    r_only = lt.linalg.qr(a.detach(), mode="r")
    assert r_only.Q.shape == (0,)
    assert_same(r_only.R.cpu(), theirs.R.detach(), **tol(dtype, 1e-10))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh(torch, device, dtype, uplo):
    arr = spd(4, (2,)).astype(dtype) + rand(2, 4, 4, dtype=dtype, seed=5)       # not symmetric: UPLO matters
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.linalg.eigh(a, UPLO=uplo), torch.linalg.eigh(b, UPLO=uplo)
    assert_same(ours.eigenvalues.cpu(), theirs.eigenvalues, **tol(dtype, 1e-10))
    v, tv = ours.eigenvectors, theirs.eigenvectors
    assert_same((v * v).cpu(), tv * tv, **tol(dtype, 1e-9))                     # signs are arbitrary
    loss = ours.eigenvalues.sum() * 0.3 + (v * v * lt.tensor(arr, device=device).to(a.dtype)).sum()
    tloss = theirs.eigenvalues.sum() * 0.3 + (tv * tv * torch.tensor(arr).to(b.dtype)).sum()
    loss.backward()
    tloss.backward()
    assert_same(a.grad.cpu(), b.grad, **tol(dtype, 1e-8))
    assert_same(lt.linalg.eigvalsh(a, UPLO=uplo).cpu(), torch.linalg.eigvalsh(b, UPLO=uplo), **tol(dtype, 1e-10))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 3, 3)])
def test_svd(torch, device, dtype, shape):
    arr = rand(*shape, dtype=dtype)
    a, b = leaves(torch, arr, device)
    ours, theirs = lt.linalg.svd(a, full_matrices=False), torch.linalg.svd(b, full_matrices=False)
    assert_same(ours.S.cpu(), theirs.S, **tol(dtype, 1e-10))
    assert_same((ours.U * ours.U).cpu(), theirs.U * theirs.U, **tol(dtype, 1e-9))
    assert_same((ours.Vh * ours.Vh).cpu(), theirs.Vh * theirs.Vh, **tol(dtype, 1e-9))
    recon = (ours.U * ours.S.unsqueeze(-2)).matmul(ours.Vh)
    assert_same(recon.cpu(), b.detach(), **tol(dtype, 1e-10))
    w = lt.tensor(arr, device=device).to(a.dtype)
    (ours.S.sum() + (ours.U[..., :1] @ ours.Vh[..., :1, :] * w).sum()).backward()          # sign-invariant
    (theirs.S.sum() + (theirs.U[..., :1] @ theirs.Vh[..., :1, :] * torch.tensor(arr).to(b.dtype)).sum()).backward()
    assert_same(a.grad.cpu(), b.grad, **tol(dtype, 1e-8))
    assert_same(lt.linalg.svdvals(a).cpu(), torch.linalg.svdvals(b), **tol(dtype, 1e-10))
    full = lt.linalg.svd(a.detach())
    assert tuple(full.U.shape) == tuple(torch.linalg.svd(b.detach()).U.shape)
    old, told = lt.svd(a.detach()), torch.svd(b.detach())
    assert_same((old.U * old.S.unsqueeze(-2)).matmul(old.V.mT).cpu(), b.detach(), **tol(dtype, 1e-10))
    assert_same(old.S.cpu(), told.S, **tol(dtype, 1e-10))
    assert_same(lt.svd(a.detach(), compute_uv=False).U.cpu(), torch.svd(b.detach(), compute_uv=False).U)


@pytest.mark.parametrize("dtype", FLOATS)
def test_pinv_lstsq_rank(torch, device, dtype):
    a, b = leaves(torch, rand(5, 3, dtype=dtype), device)
    ours, theirs = lt.linalg.pinv(a.t()), torch.linalg.pinv(b.t())
    assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
    assert name_of(ours) == name_of(theirs)
    check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-8))
    assert_same(lt.pinverse(a.detach()).cpu(), torch.pinverse(b.detach()), **tol(dtype, 1e-10))
    assert_same(a.detach().pinverse().cpu(), torch.pinverse(b.detach()), **tol(dtype, 1e-10))
    sym = spd(3).astype(dtype)
    assert_same(lt.linalg.pinv(lt.tensor(sym, device=device), hermitian=True).cpu(),
                torch.linalg.pinv(torch.tensor(sym), hermitian=True), **tol(dtype, 1e-10))
    a.grad = b.grad = None
    c, d = leaves(torch, rand(5, 2, dtype=dtype, seed=1), device)
    ours, theirs = lt.linalg.lstsq(a, c), torch.linalg.lstsq(b, d)
    assert_same(ours.solution.cpu(), theirs.solution, **tol(dtype, 1e-9))
    assert_same(ours.rank.cpu(), theirs.rank)
    assert_same(ours.residuals.cpu(), theirs.residuals)
    assert_same(ours.singular_values.cpu(), theirs.singular_values)
    assert name_of(ours.solution) == name_of(theirs.solution)
    check_grads(ours.solution, theirs.solution, [(a, b), (c, d)], **tol(dtype, 1e-8))
    low_rank = (rand(4, 2, dtype=dtype) @ rand(2, 5, dtype=dtype, seed=3))
    for kw in ({}, {"hermitian": False}, {"atol": 1.0}, {"rtol": 0.5}):
        assert_same(lt.linalg.matrix_rank(lt.tensor(low_rank, device=device), **kw).cpu(),
                    torch.linalg.matrix_rank(torch.tensor(low_rank), **kw))
    assert_same(lt.linalg.matrix_rank(lt.tensor(sym, device=device), hermitian=True).cpu(),
                torch.linalg.matrix_rank(torch.tensor(sym), hermitian=True))


def test_decomposition_gradchecks():
    a = f64(rand(3, 3) + 3 * np.eye(3))
    assert gradcheck(lambda t: lt.linalg.slogdet(t).logabsdet, (a,))
    assert gradcheck(lambda t: lt.logdet(t @ t.mT), (a,))
    assert gradcheck(lt.linalg.solve, (a, f64(rand(3, 2, seed=1))))
    assert gradcheck(lambda t: lt.linalg.cholesky(t @ t.mT), (a,))
    assert gradcheck(lambda t: lt.linalg.qr(t), (f64(rand(4, 3, seed=2)),))
    assert gradcheck(lambda t: lt.linalg.eigvalsh(t + t.mT), (a,))
    assert gradcheck(lambda t: (lambda r: r.eigenvectors * r.eigenvectors)(lt.linalg.eigh(t + t.mT)), (a,))
    assert gradcheck(lt.linalg.svdvals, (f64(rand(4, 3, seed=3)),))
    assert gradcheck(lambda t: (lambda r: r.U @ r.Vh)(lt.linalg.svd(t, full_matrices=False)),
                     (f64(rand(3, 4, seed=4)),))
    assert gradcheck(lt.linalg.pinv, (f64(rand(4, 3, seed=5)),))
    assert gradcheck(lambda t, b: lt.linalg.lstsq(t, b).solution, (f64(rand(4, 3, seed=6)), f64(rand(4, seed=7))))


def test_return_types_print_like_torch(torch):
    arr = np.array([[2.0, 1.0], [1.0, 3.0]])
    for fn in (lambda m: m.linalg.slogdet(m.tensor(arr)), lambda m: m.slogdet(m.tensor(arr)),
               lambda m: m.linalg.qr(m.tensor(arr)), lambda m: m.linalg.eigh(m.tensor(arr)),
               lambda m: m.linalg.lstsq(m.tensor([[2.0, 0.0], [0.0, 4.0]]), m.tensor([[2.0], [4.0]]))):
        assert repr(fn(lt)) == repr(fn(torch))
    s = lt.linalg.svd(lt.tensor(arr))
    assert repr(s).startswith("torch.return_types.linalg_svd(\nU=") and s._fields == ("U", "S", "Vh")
    assert repr(lt.svd(lt.tensor(arr))).startswith("torch.return_types.svd(\nU=")


# --- norms ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("ord", ["fro", "nuc", 2, -2, 1, -1, INF, -INF])
@pytest.mark.parametrize("dim,keepdim", [((-2, -1), False), ((2, 0), True), ((0, 2), False)])
def test_matrix_norm(torch, device, dtype, ord, dim, keepdim):
    a, b = leaves(torch, rand(2, 3, 4, dtype=dtype), device)
    ours = lt.linalg.matrix_norm(a, ord, dim=dim, keepdim=keepdim)
    theirs = torch.linalg.matrix_norm(b, ord, dim=dim, keepdim=keepdim)
    assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
    check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-8))


@pytest.mark.parametrize("dtype", FLOATS)
def test_vector_norm_and_norm(torch, device, dtype):
    a, b = leaves(torch, rand(2, 3, 4, dtype=dtype), device)
    cases = [
        lambda m, x: m.linalg.vector_norm(x),
        lambda m, x: m.linalg.vector_norm(x, 3, dim=(0, -1), keepdim=True),
        lambda m, x: m.linalg.vector_norm(x, INF, dim=1),
        lambda m, x: m.linalg.vector_norm(x, 1, dtype=m.float64),
        lambda m, x: m.linalg.norm(x),
        lambda m, x: m.linalg.norm(x[0], 2),
        lambda m, x: m.linalg.norm(x[0], "nuc"),
        lambda m, x: m.linalg.norm(x[0, 0], 0.5),
        lambda m, x: m.linalg.norm(x, 3, dim=-1),
        lambda m, x: m.linalg.norm(x, -INF, dim=(1, 2)),
        lambda m, x: m.linalg.norm(x, dim=(0, 1), keepdim=True),
    ]
    for case in cases:
        a.grad = b.grad = None
        ours, theirs = case(lt, a), case(torch, b)
        assert_same(ours.cpu(), theirs, **tol(dtype, 1e-10))
        assert name_of(ours) == name_of(theirs)
        check_grads(ours, theirs, [(a, b)], **tol(dtype, 1e-8))


# --- errors -----------------------------------------------------------------------------------------------

def _ignore_warnings(fn):
    def run(t):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(t)
    return run


ERRORS = {
    "addcdiv of integers": lambda t: t.addcdiv(t.tensor([1]), t.tensor([1]), t.tensor([1])),
    "addcmul of bools": lambda t: t.addcmul(t.tensor([True]), t.tensor([True]), t.tensor([True])),
    "addcmul shapes": lambda t: t.addcmul(t.ones(2), t.ones(3), t.ones(2)),
    "addcmul_ broadcast": lambda t: t.ones(2).addcmul_(t.ones(2), t.ones(2, 2)),
    "addcmul number": lambda t: t.addcmul(t.ones(2), t.ones(2), 2),
    "float_power_ on float32": lambda t: t.tensor([1.0]).float_power_(2),
    "gcd of floats": lambda t: t.gcd(t.ones(2), t.ones(2)),
    "gcd of bools": lambda t: t.gcd(t.tensor([True]), t.tensor([True])),
    "lcm of floats": lambda t: t.lcm(t.ones(2), t.ones(2)),
    "gcd with a number": lambda t: t.gcd(t.tensor([1]), 2),
    "polygamma negative n": lambda t: t.polygamma(-1, t.ones(2)),
    "polygamma float n": lambda t: t.polygamma(1.5, t.ones(2)),
    "addmv sizes": lambda t: t.addmv(t.ones(3), t.ones(3, 3), t.ones(4)),
    "addmv input size": lambda t: t.addmv(t.ones(4), t.ones(3, 3), t.ones(3)),
    "addmv dims": lambda t: t.addmv(t.ones(3), t.ones(3), t.ones(3)),
    "addmv dtypes": lambda t: t.addmv(t.ones(3), t.ones(3, 3), t.ones(3, dtype=t.float64)),
    "addmv input dtype": lambda t: t.addmv(t.ones(3, dtype=t.float64), t.ones(3, 3), t.ones(3)),
    "baddbmm 2-D": lambda t: t.baddbmm(t.ones(3, 3), t.ones(3, 3), t.ones(3, 3)),
    "baddbmm batch2": lambda t: t.baddbmm(t.ones(2, 3, 3), t.ones(2, 3, 3), t.ones(2, 4, 3)),
    "baddbmm dtypes": lambda t: t.baddbmm(t.ones(2, 3, 3), t.ones(2, 3, 3), t.ones(2, 3, 3, dtype=t.float64)),
    "baddbmm input dtype": lambda t: t.baddbmm(t.ones(2, 3, 3, dtype=t.float64), t.ones(2, 3, 3), t.ones(2, 3, 3)),
    "baddbmm input shape": lambda t: t.baddbmm(t.ones(2, 3, 4), t.ones(2, 3, 3), t.ones(2, 3, 3)),
    "addbmm batches": lambda t: t.addbmm(t.ones(3, 3), t.ones(2, 3, 3), t.ones(4, 3, 3)),
    "addbmm inner": lambda t: t.addbmm(t.ones(3, 3), t.ones(2, 3, 3), t.ones(2, 4, 3)),
    "addbmm dtypes": lambda t: t.addbmm(t.ones(3, 3), t.ones(2, 3, 3), t.ones(2, 3, 3, dtype=t.float64)),
    "addbmm input dtype": lambda t: t.addbmm(t.ones(3, 3, dtype=t.float64), t.ones(2, 3, 3), t.ones(2, 3, 3)),
    "addbmm input shape": lambda t: t.addbmm(t.ones(3, 4), t.ones(2, 3, 3), t.ones(2, 3, 3)),
    "multi_dot one": lambda t: t.linalg.multi_dot([t.ones(2, 2)]),
    "multi_dot none": lambda t: t.linalg.multi_dot([]),
    "multi_dot first 3-D": lambda t: t.linalg.multi_dot([t.ones(2, 2, 2), t.ones(2, 2)]),
    "multi_dot last 3-D": lambda t: t.linalg.multi_dot([t.ones(2, 2), t.ones(2, 2, 2)]),
    "multi_dot middle 1-D": lambda t: t.linalg.multi_dot([t.ones(2, 2), t.ones(2), t.ones(2, 2)]),
    "multi_dot dtypes": lambda t: t.linalg.multi_dot([t.ones(2, 2), t.ones(2, 2, dtype=t.float64)]),
    "multi_dot shapes": lambda t: t.linalg.multi_dot([t.ones(3, 3), t.ones(3, 3), t.ones(2, 2)]),
    "chain_matmul none": _ignore_warnings(lambda t: t.chain_matmul()),
    "chain_matmul 1-D": _ignore_warnings(lambda t: t.chain_matmul(t.ones(2, 2), t.ones(2))),
    "matrix_power not square": lambda t: t.matrix_power(t.ones(2, 3), 2),
    "matrix_power 1-D": lambda t: t.matrix_power(t.ones(2), 2),
    "matrix_power float n": lambda t: t.matrix_power(t.ones(2, 2), 2.0),
    "matrix_power int inverse": lambda t: t.matrix_power(t.ones(2, 2, dtype=t.long), -1),
    "dist of ints": lambda t: t.dist(t.ones(2, dtype=t.long), t.ones(2, dtype=t.long)),
    "dist shapes": lambda t: t.dist(t.ones(3), t.ones(2)),
    "renorm p <= 0": lambda t: t.renorm(t.ones(2, 2), -1, 0, 1.0),
    "renorm negative maxnorm": lambda t: t.renorm(t.ones(2, 2), 2, 0, -1.0),
    "renorm 1-D": lambda t: t.renorm(t.ones(2), 2, 0, 1.0),
    "renorm of ints": lambda t: t.renorm(t.ones(2, 2, dtype=t.long), 2, 0, 1.0),
    "renorm dim": lambda t: t.renorm(t.ones(2, 2), 2, 5, 1.0),
    "cdist 1-D": lambda t: t.cdist(t.ones(3), t.ones(3)),
    "cdist columns": lambda t: t.cdist(t.ones(3, 3), t.ones(2, 4)),
    "cdist negative p": lambda t: t.cdist(t.ones(3, 3), t.ones(3, 3), p=-1),
    "cdist ints": lambda t: t.cdist(t.ones(2, 2, dtype=t.long), t.ones(2, 2, dtype=t.long)),
    "block_diag 3-D": lambda t: t.block_diag(t.ones(2, 2, 2)),
    "block_diag number": lambda t: t.block_diag(t.ones(2), 3),
    "tril_indices negative row": lambda t: t.tril_indices(-1, 3),
    "triu_indices negative col": lambda t: t.triu_indices(3, -2),
    "tril_indices float dtype": lambda t: t.tril_indices(3, 3, dtype=t.float32),
    "trapezoid x size": lambda t: t.trapezoid(t.ones(3, 3), t.ones(4)),
    "trapezoid 0-D": lambda t: t.trapezoid(t.tensor(1.0)),
    "cumulative_trapezoid 0-D": lambda t: t.cumulative_trapezoid(t.tensor(1.0)),
    "cumulative_trapezoid x size": lambda t: t.cumulative_trapezoid(t.ones(3, 3), t.ones(4)),
    "slogdet of ints": lambda t: t.linalg.slogdet(t.ones(2, 2, dtype=t.long)),
    "slogdet not square": lambda t: t.slogdet(t.ones(2, 3)),
    "logdet of ints": lambda t: t.logdet(t.ones(2, 2, dtype=t.long)),
    "solve singular": lambda t: t.linalg.solve(t.zeros(2, 2), t.ones(2)),
    "solve singular batch": lambda t: t.linalg.solve(t.stack([t.eye(2), t.zeros(2, 2)]), t.ones(2, 2)),
    "solve shapes": lambda t: t.linalg.solve(t.eye(2), t.ones(3)),
    "solve shapes 2-D": lambda t: t.linalg.solve(t.eye(2), t.ones(3, 2)),
    "solve dtypes": lambda t: t.linalg.solve(t.eye(2), t.ones(2, dtype=t.float64)),
    "solve ints": lambda t: t.linalg.solve(t.eye(2, dtype=t.long), t.ones(2, dtype=t.long)),
    "solve not square": lambda t: t.linalg.solve(t.ones(2, 3), t.ones(2)),
    "cholesky not positive-definite": lambda t: t.linalg.cholesky(t.tensor([[1.0, 2.0], [2.0, 1.0]])),
    "cholesky batch": lambda t: t.linalg.cholesky(t.stack([t.eye(2), t.tensor([[1.0, 2.0], [2.0, 1.0]])])),
    "cholesky not square": lambda t: t.linalg.cholesky(t.ones(2, 3)),
    "cholesky 1-D": lambda t: t.linalg.cholesky(t.ones(2)),
    "cholesky ints": lambda t: t.linalg.cholesky(t.ones(2, 2, dtype=t.long)),
    "qr 1-D": lambda t: t.linalg.qr(t.ones(2)),
    "qr mode": lambda t: t.linalg.qr(t.ones(2, 2), mode="x"),
    "qr ints": lambda t: t.linalg.qr(t.ones(2, 2, dtype=t.long)),
    "eigh not square": lambda t: t.linalg.eigh(t.ones(2, 3)),
    "eigh ints": lambda t: t.linalg.eigh(t.ones(2, 2, dtype=t.long)),
    "eigh UPLO": lambda t: t.linalg.eigh(t.ones(2, 2), UPLO="X"),
    "svd 1-D": lambda t: t.linalg.svd(t.ones(2)),
    "svd ints": lambda t: t.linalg.svd(t.ones(2, 2, dtype=t.long)),
    "svdvals ints": lambda t: t.linalg.svdvals(t.ones(2, 2, dtype=t.long)),
    "pinv ints": lambda t: t.linalg.pinv(t.ones(2, 2, dtype=t.long)),
    "pinv 1-D": lambda t: t.linalg.pinv(t.ones(2)),
    "matrix_rank ints": lambda t: t.linalg.matrix_rank(t.ones(2, 2, dtype=t.long)),
    "matrix_rank 1-D": lambda t: t.linalg.matrix_rank(t.ones(2)),
    "lstsq ints": lambda t: t.linalg.lstsq(t.ones(2, 2, dtype=t.long), t.ones(2, 2, dtype=t.long)),
    "lstsq shapes": lambda t: t.linalg.lstsq(t.ones(3, 2), t.ones(2, 2)),
    "lstsq dtypes": lambda t: t.linalg.lstsq(t.ones(3, 2), t.ones(3, 2, dtype=t.float64)),
    "lstsq 1-D": lambda t: t.linalg.lstsq(t.ones(3), t.ones(3)),
    "matrix_norm order": lambda t: t.linalg.matrix_norm(t.ones(2, 2), 3),
    "matrix_norm 1-D": lambda t: t.linalg.matrix_norm(t.ones(2)),
    "matrix_norm ints": lambda t: t.linalg.matrix_norm(t.ones(2, 2, dtype=t.long)),
    "vector_norm ints": lambda t: t.linalg.vector_norm(t.ones(2, 2, dtype=t.long)),
    "norm 'fro' of a vector": lambda t: t.linalg.norm(t.ones(2), "fro"),
    "norm ord of 3-D": lambda t: t.linalg.norm(t.ones(2, 2, 2), 2),
    "norm ints": lambda t: t.linalg.norm(t.ones(2, 2, dtype=t.long)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(torch, name):
    fn = ERRORS[name]
    same_error(lambda: fn(lt), lambda: fn(torch))


def test_linalg_errors_are_linalg_error():
    with pytest.raises(lt.linalg.LinAlgError):
        lt.linalg.solve(lt.zeros(2, 2), lt.ones(2))
    with pytest.raises(lt.linalg.LinAlgError):
        lt.linalg.cholesky(-lt.eye(2))
