"""More element-wise math (sinh ... asin, atan2, hypot, logaddexp, xlogy, copysign, heaviside, sinc,
nan_to_num, signbit, isin ...) and more reductions (nansum, nanmean, var_mean, cov, corrcoef, quantile,
aminmax, logcumsumexp, cummax/cummin, diff) against real PyTorch: values, dtypes, gradients, node
names, special points (0, -0, +-1, inf, NaN), errors.  Sort-like tests (quantile, cummax) use
distinct values, except ``test_cummax_ties_and_nan``, which pins PyTorch's rule (the latest index wins).
"""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]
INF, NAN = float("inf"), float("nan")
SPECIAL = [0.0, -0.0, 0.3, -0.7, 1.0, -1.0, 2.5, -3.0, INF, -INF, NAN]


def tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)


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


# --- unary element-wise --------------------------------------------------------------------------------

DOMAIN = {"acosh": (1.1, 3.0), "atanh": (-0.9, 0.9), "asin": (-0.9, 0.9), "acos": (-0.9, 0.9),
          "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctanh": (-0.9, 0.9), "arccosh": (1.1, 3.0)}
UNARY = ["sinh", "cosh", "asinh", "acosh", "atanh", "asin", "acos", "atan", "arcsinh", "arccosh", "arctanh",
         "arcsin", "arccos", "arctan", "exp2", "sinc", "deg2rad", "rad2deg", "nan_to_num", "fix"]


def unary_values(name, shape, dtype, seed=0):
    lo, hi = DOMAIN.get(name, (-2.5, 2.5))
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(dtype)


@pytest.mark.parametrize("layout", ["contig", "t"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", UNARY)
def test_unary_parity(torch, device, name, dtype, layout):
    arr = unary_values(name, (3, 4) if layout == "contig" else (4, 3), dtype)
    a, b = leaves(torch, arr, device)
    x, y = (a, b) if layout == "contig" else (a.t(), b.t())
    ours, theirs = getattr(lt, name)(x), getattr(torch, name)(y)
    assert_same(ours, theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    assert_same(getattr(x, name)(), theirs, **tol(dtype))          # the Tensor method
    check_grads(ours, theirs, [(a, b)], **tol(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", UNARY + ["signbit", "isposinf", "isneginf", "isreal"])
def test_unary_special_points(torch, device, name, dtype):
    """0, -0, +-1 (the edges of asin/atanh), inf and NaN: the same values and the same gradients."""
    arr = np.array(SPECIAL, dtype=dtype)
    need = name not in ("signbit", "isposinf", "isneginf", "isreal")
    a, b = leaves(torch, arr, device, requires_grad=need)
    ours, theirs = getattr(lt, name)(a), getattr(torch, name)(b)
    assert_same(ours, theirs, **tol(dtype))
    if need:
        ours.sum().backward()
        theirs.sum().backward()
        assert_same(a.grad, b.grad, **tol(dtype))


@pytest.mark.parametrize("name", UNARY + ["signbit", "isposinf", "isneginf", "isreal"])
@pytest.mark.parametrize("src", [[1, -2, 3], [True, False]])
def test_unary_integer_and_bool_inputs(torch, device, name, src):
    """Integers and bools: a float32 result (sinh, ...), the same dtype (nan_to_num), or PyTorch's error (fix)."""
    try:
        theirs = getattr(torch, name)(torch.tensor(src))
    except Exception:
        same_error(lambda: getattr(lt, name)(lt.tensor(src, device=device)),
                   lambda: getattr(torch, name)(torch.tensor(src)))
        return
    assert_same(getattr(lt, name)(lt.tensor(src, device=device)), theirs)


def test_nan_to_num_options(torch, device):
    f = np.array([NAN, INF, -INF, 1.5], dtype="float32")
    assert_same(lt.tensor(f, device=device).nan_to_num(1.0, 2.0, -3), torch.tensor(f).nan_to_num(1.0, 2.0, -3))
    assert_same(lt.nan_to_num(lt.tensor(f, device=device), posinf=7.0), torch.nan_to_num(torch.tensor(f), posinf=7.0))


def test_float16_on_cpu(torch):
    """float16 stays float16 (the default posinf of nan_to_num is float16's largest, 65504)."""
    h = np.array([NAN, INF, -INF, 1.5], dtype="float16")
    assert_same(lt.nan_to_num(lt.tensor(h)), torch.nan_to_num(torch.tensor(h)))
    assert_same(lt.nan_to_num(lt.tensor(h), posinf=1e6), torch.nan_to_num(torch.tensor(h), posinf=1e6))
    assert_same(lt.sinh(lt.tensor(h)), torch.sinh(torch.tensor(h)), rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("name", ["sinh", "asin", "exp2", "sinc", "deg2rad", "rad2deg", "nan_to_num", "fix", "arctan"])
def test_unary_inplace(torch, device, name):
    arr = np.array([0.5, -0.25, 0.0, 0.75], dtype="float32")
    x, y = lt.tensor(arr, device=device), torch.tensor(arr)
    out = getattr(x, name + "_")()
    getattr(y, name + "_")()
    assert out is x
    assert_same(x, y)
    z = lt.tensor(arr, device=device)
    getattr(lt, name + "_")(z)                                     # torch.<name>_ exists too
    assert_same(z, y)


def test_inplace_on_integers_refuses(torch, device):
    same_error(lambda: lt.tensor([1, 2], device=device).sinh_(), lambda: torch.tensor([1, 2]).sinh_())
    same_error(lambda: lt.tensor([1, 2], device=device).atan2_(lt.tensor([1, 1], device=device)),
               lambda: torch.tensor([1, 2]).atan2_(torch.tensor([1, 1])))


# --- binary element-wise ---------------------------------------------------------------------------------

BINARY = ["atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "xlogy", "copysign"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", BINARY)
def test_binary_parity_broadcast_and_transposed(torch, device, name, dtype):
    rng = np.random.default_rng(3)
    a_arr = rng.uniform(0.2, 2.0, size=(4, 3)).astype(dtype) * rng.choice([-1, 1], size=(4, 3))
    b_arr = rng.uniform(0.2, 2.0, size=(4,)).astype(dtype)
    a, ta = leaves(torch, a_arr, device)
    b, tb = leaves(torch, b_arr, device)
    ours, theirs = getattr(lt, name)(a.t(), b), getattr(torch, name)(ta.t(), tb)    # (3, 4) with (4,)
    assert_same(ours, theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    assert_same(getattr(a.t(), name)(b), theirs, **tol(dtype))
    check_grads(ours, theirs, [(a, ta), (b, tb)], **tol(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", BINARY)
def test_binary_special_points(torch, device, name, dtype):
    """Every pair of 0, -0, 0.5, -2, inf, -inf, NaN: values and both gradients."""
    pts = [0.0, -0.0, 0.5, -2.0, INF, -INF, NAN]
    grid = np.array([pts] * len(pts), dtype=dtype)
    a, ta = leaves(torch, grid, device)
    b, tb = leaves(torch, grid.T.copy(), device)
    ours, theirs = getattr(lt, name)(a, b), getattr(torch, name)(ta, tb)
    assert_same(ours, theirs, **tol(dtype))
    ours.sum().backward()
    theirs.sum().backward()
    assert_same(a.grad, ta.grad, **tol(dtype))
    assert_same(b.grad, tb.grad, **tol(dtype))


@pytest.mark.parametrize("name", BINARY + ["heaviside"])
def test_binary_dtype_promotion(torch, device, name):
    """int with int gives float32 (atan2, xlogy, copysign) or PyTorch's refusal (hypot, logaddexp ...)."""
    cases = [([1, 2, 3], [2, 1, 0], None, None), ([1, 2, 3], [0.5, 1.0, 2.0], None, None),
             ([1, 2], [3, 1], "int8", "uint8"), ([True, False], [True, True], None, None),
             ([1.0, 2.0], [1.0, -1.0], "float16", "float32"), ([1.0, 2.0], [1.0], "float32", "float64")]
    for a, b, da, db in cases:
        if device != "cpu" and "float16" in (da, db):
            continue                       # the simulated GPU (array-api-strict) has no float16
        def run(m, a=a, b=b, da=da, db=db):
            dev = {"device": device} if m is lt else {}
            x = m.tensor(a, dtype=getattr(m, da) if da else None, **dev)
            y = m.tensor(b, dtype=getattr(m, db) if db else None, **dev)
            return getattr(m, name)(x, y)
        try:
            theirs = run(torch)
        except Exception:
            same_error(lambda: run(lt), lambda: run(torch))
            continue
        assert_same(run(lt), theirs)


def test_binary_numbers(torch, device):
    """xlogy takes a number on either side, copysign on the right; their nodes are named like PyTorch's."""
    arr = np.array([0.0, 0.5, 2.0, -1.0])
    for fn in (lambda m, x: m.xlogy(x, 3.0), lambda m, x: m.xlogy(2, x.abs()), lambda m, x: m.xlogy(x, 0),
               lambda m, x: m.copysign(x, -2), lambda m, x: x.copysign(-0.0),
               lambda m, x: m.xlogy(x.long(), 3), lambda m, x: m.copysign(x.long(), -3)):
        a, b = leaves(torch, arr, device)
        ours, theirs = fn(lt, a), fn(torch, b)
        assert_same(ours, theirs)
        assert name_of(ours) == name_of(theirs)
        if theirs.requires_grad:
            check_grads(ours, theirs, [(a, b)])
    same_error(lambda: lt.copysign(2, lt.ones(2, device=device)), lambda: torch.copysign(2, torch.ones(2)))
    same_error(lambda: lt.atan2(lt.ones(2, device=device), 2), lambda: torch.atan2(torch.ones(2), 2))
    same_error(lambda: lt.hypot(lt.ones(2, device=device), 2), lambda: torch.hypot(torch.ones(2), 2))


@pytest.mark.parametrize("name", ["atan2", "arctan2", "hypot", "xlogy", "copysign", "heaviside"])
def test_binary_inplace(torch, device, name):
    a_arr, b_arr = np.array([0.5, -1.5, 0.0, 2.0], dtype="float32"), np.array([1.0, 0.0, -2.0, 0.5], dtype="float32")
    x, y = lt.tensor(a_arr, device=device), torch.tensor(a_arr)
    assert getattr(x, name + "_")(lt.tensor(b_arr, device=device)) is x
    getattr(y, name + "_")(torch.tensor(b_arr))
    assert_same(x, y)


def test_heaviside(torch, device):
    arr = np.array([-1.0, 0.0, -0.0, NAN, 2.0, INF], dtype="float32")
    for values in ([0.5], 0.5, [1.0, 2, 3, 4, 5, 6]):
        assert_same(lt.heaviside(lt.tensor(arr, device=device), lt.tensor(values, device=device)),
                    torch.heaviside(torch.tensor(arr), torch.tensor(values)))
    assert_same(lt.tensor([True, False], device=device).heaviside(lt.tensor([False, True], device=device)),
                torch.tensor([True, False]).heaviside(torch.tensor([False, True])))
    assert_same(lt.heaviside(lt.tensor([-2, 0, 3], device=device), lt.tensor([7], device=device)),
                torch.heaviside(torch.tensor([-2, 0, 3]), torch.tensor([7])))
    same_error(lambda: lt.heaviside(lt.ones(2, device=device), lt.tensor(0.5, dtype=lt.float64, device=device)),
               lambda: torch.heaviside(torch.ones(2), torch.tensor(0.5, dtype=torch.float64)))
    same_error(lambda: lt.heaviside(lt.ones(2, device=device), lt.ones(3, device=device)),
               lambda: torch.heaviside(torch.ones(2), torch.ones(3)))
    x, y = leaves(torch, np.array([1.0, -1.0]), device)
    ours = lt.heaviside(x, lt.zeros(2, dtype=lt.float64, device=device))
    theirs = torch.heaviside(y, torch.zeros(2, dtype=torch.float64))
    assert name_of(ours) == name_of(theirs)
    same_error(lambda: ours.sum().backward(), lambda: theirs.sum().backward())


def test_isin(torch, device):
    cases = [
        lambda m, d: m.isin(m.tensor([[1, 2], [3, 4]], **d), m.tensor([[2], [4]], **d)),
        lambda m, d: m.isin(m.tensor([[1, 2], [3, 4]], **d), m.tensor([2, 4], **d), invert=True),
        lambda m, d: m.isin(m.tensor([1, 2, 3], **d), m.tensor([2.0, 3.5], **d)),
        lambda m, d: m.isin(m.tensor([1.0, 2, 3], **d), 2),
        lambda m, d: m.isin(2, m.tensor([1.0, 2, 3], **d)),
        lambda m, d: m.isin(m.tensor([1.0, NAN], **d), m.tensor([NAN], **d)),
        lambda m, d: m.isin(m.tensor([1.0, 2.0], **d), m.tensor([], **d)),
    ]
    for fn in cases:
        assert_same(fn(lt, {"device": device}), fn(torch, {}))
    same_error(lambda: lt.isin(lt.tensor([True], device=device), lt.tensor([1], device=device)),
               lambda: torch.isin(torch.tensor([True]), torch.tensor([1])))
    same_error(lambda: lt.isin(2, 3), lambda: torch.isin(2, 3))


# --- gradcheck (float64, finite differences) -----------------------------------------------------------

GRADCHECK_UNARY = ["sinh", "cosh", "asinh", "acosh", "atanh", "asin", "acos", "atan", "exp2", "sinc",
                   "deg2rad", "rad2deg", "nan_to_num"]


@pytest.mark.parametrize("name", GRADCHECK_UNARY)
def test_gradcheck_unary(name):
    x = lt.tensor(unary_values(name, (2, 3), "float64"), requires_grad=True)
    assert gradcheck(getattr(lt, name), (x,))


@pytest.mark.parametrize("name", BINARY)
def test_gradcheck_binary(name):
    rng = np.random.default_rng(5)
    a = lt.tensor(rng.uniform(0.3, 2.0, size=(2, 3)), requires_grad=True)
    b = lt.tensor(rng.uniform(0.3, 2.0, size=(3,)) * np.array([1, -1, 1]), requires_grad=True)
    if name in ("xlogy",):
        b = lt.tensor(rng.uniform(0.3, 2.0, size=(3,)), requires_grad=True)
    assert gradcheck(getattr(lt, name), (a, b))


REDUCTIONS_GRADCHECK = {
    "nansum": lambda x: lt.nansum(x, 1),
    "nanmean": lambda x: lt.nanmean(x, -1),
    "var_mean": lambda x: lt.var_mean(x, 0),
    "std_mean": lambda x: lt.std_mean(x, 1, correction=0),
    "cov": lambda x: lt.cov(x),
    "cov_weights": lambda x: lt.cov(x, fweights=lt.tensor([1, 2, 1, 3]), aweights=lt.tensor([0.5, 1.0, 2.0, 1.0],
                                                                                           dtype=lt.float64)),
    "corrcoef": lambda x: lt.corrcoef(x),
    "quantile": lambda x: lt.quantile(x, lt.tensor([0.2, 0.7], dtype=lt.float64), dim=1),
    "nanquantile": lambda x: lt.nanquantile(x, 0.4),
    "aminmax": lambda x: lt.aminmax(x, dim=0),
    "logcumsumexp": lambda x: lt.logcumsumexp(x, -1),
    "cummax": lambda x: lt.cummax(x, 1).values,
    "cummin": lambda x: lt.cummin(x, 0).values,
    "diff": lambda x: lt.diff(x, n=2, dim=1, prepend=x[:, :1] * 2),
}


@pytest.mark.parametrize("name", list(REDUCTIONS_GRADCHECK))
def test_gradcheck_reductions(name):
    x = lt.tensor(np.random.default_rng(7).standard_normal((3, 4)), requires_grad=True)
    assert gradcheck(REDUCTIONS_GRADCHECK[name], (x,))


@pytest.mark.parametrize("name", ["asin", "acosh", "sinc", "atan2", "hypot", "logaddexp2", "xlogy"])
def test_second_derivatives(name):
    """Backwards are written with Tensor ops, so create_graph=True works (gradgradcheck)."""
    from learntorch.autograd import gradgradcheck
    x = lt.tensor(unary_values(name, (2, 3), "float64", seed=4), requires_grad=True)
    if name in BINARY:
        other = lt.tensor(np.random.default_rng(6).uniform(0.3, 2.0, size=(3,)), requires_grad=True)
        assert gradgradcheck(getattr(lt, name), (x.detach().abs().requires_grad_() if name == "xlogy" else x, other))
    else:
        assert gradgradcheck(getattr(lt, name), (x,))


def test_logcumsumexp_second_derivative():
    """Its backward calls logcumsumexp itself, so it is differentiable again."""
    from learntorch.autograd import gradgradcheck
    x = lt.tensor(np.random.default_rng(8).standard_normal((2, 4)), requires_grad=True)
    assert gradgradcheck(lambda t: lt.logcumsumexp(t, 1), (x,))


# --- reductions ----------------------------------------------------------------------------------------------

def compare(torch, fn, arr, device, grad=True, **kw):
    """fn(module, tensor) on both sides: values, dtypes and shapes of every output; gradients of the first."""
    a, b = leaves(torch, arr, device, requires_grad=grad)
    ours, theirs = fn(lt, a), fn(torch, b)
    outs_o = ours if isinstance(ours, tuple) else (ours,)
    outs_t = theirs if isinstance(theirs, tuple) else (theirs,)
    assert type(ours).__name__ == type(theirs).__name__
    for o, t in zip(outs_o, outs_t, strict=True):
        assert_same(o, t, **kw)
    if grad:
        assert name_of(outs_o[0]) == name_of(outs_t[0])
        check_grads(outs_o[0], outs_t[0], [(a, b)], **kw)
    return ours, theirs


def _data(shape, dtype, seed=0, nans=False):
    arr = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    if nans:
        arr[0, 1] = arr[-1, -1] = NAN
    return arr


REDUCTIONS = {
    "nansum": lambda m, x: m.nansum(x),
    "nansum dim": lambda m, x: x.nansum(-1, keepdim=True),
    "nansum dims": lambda m, x: m.nansum(x, (0, 1)),
    "nanmean": lambda m, x: x.nanmean(),
    "nanmean dim": lambda m, x: m.nanmean(x, 0, keepdim=True),
    "var_mean": lambda m, x: m.var_mean(x, 1),
    "var_mean all": lambda m, x: m.var_mean(x, correction=0),
    "var_mean keepdim": lambda m, x: m.var_mean(x, -2, keepdim=True),
    "std_mean": lambda m, x: m.std_mean(x, (0, 1)),
    "std_mean unbiased": lambda m, x: m.std_mean(x, 0, False),
    "cov": lambda m, x: x.cov(),
    "cov 0": lambda m, x: m.cov(x, correction=0),
    "cov row": lambda m, x: x[0].cov(),
    "cov aweights": lambda m, x: m.cov(x, aweights=m.linspace(0.5, 2, x.shape[1], dtype=x.dtype, device=x.device)),
    "cov fweights": lambda m, x: m.cov(x, correction=2, fweights=m.arange(1, x.shape[1] + 1, device=x.device)),
    "corrcoef": lambda m, x: x.corrcoef(),
    "corrcoef row": lambda m, x: m.corrcoef(x[1]),
    "quantile": lambda m, x: x.quantile(0.3),
    "quantile 1": lambda m, x: m.quantile(x, 1),
    "quantile dim": lambda m, x: x.quantile(0.75, dim=-1, keepdim=True),
    "quantile q tensor": lambda m, x: m.quantile(x, m.tensor([0.1, 0.5, 0.9], dtype=x.dtype, device=x.device), dim=0),
    "quantile q all keepdim": lambda m, x: m.quantile(x, m.tensor([0.25, 0.6], dtype=x.dtype, device=x.device),
                                                      keepdim=True),
    "quantile 0-dim q tensor": lambda m, x: m.quantile(x, m.tensor(0.4, dtype=x.dtype, device=x.device), dim=1),
    "aminmax": lambda m, x: m.aminmax(x),
    "aminmax dim": lambda m, x: x.aminmax(dim=-1),
    "aminmax keepdim": lambda m, x: m.aminmax(x, dim=0, keepdim=True),
    "logcumsumexp": lambda m, x: x.logcumsumexp(1),
    "logcumsumexp big": lambda m, x: m.logcumsumexp(x * 300, dim=0),
    "cummax": lambda m, x: x.cummax(1),
    "cummin": lambda m, x: m.cummin(x, dim=-2),
    "diff": lambda m, x: x.diff(),
    "diff n=2 dim 0": lambda m, x: m.diff(x, 2, 0),
    "diff prepend append": lambda m, x: m.diff(x, dim=1, prepend=x[:, :2] * 3, append=x[:, :1]),
    "diff too many": lambda m, x: m.diff(x, n=7),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_reduction_parity(torch, device, name, dtype):
    compare(torch, lambda m, x: REDUCTIONS[name](m, x), _data((3, 5), dtype), device, **tol(dtype))


@pytest.mark.parametrize("name", ["quantile", "aminmax", "cummax", "logcumsumexp", "nansum dim", "var_mean", "diff"])
def test_reduction_transposed(torch, device, name):
    """A non-contiguous input (a transposed tensor) gives the same results."""
    compare(torch, lambda m, x: REDUCTIONS[name](m, x.t()), _data((5, 3), "float64", seed=2), device)


@pytest.mark.parametrize("mode", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (None, True), (1, False), (-2, True)])
def test_quantile_interpolation(torch, device, mode, dim, keepdim):
    q = [0.0, 0.1, 0.5, 0.625, 0.9, 1.0]        # 0.625 * 4 = 2.5: 'nearest' rounds half to even
    compare(torch, lambda m, x: m.quantile(x, m.tensor(q, dtype=x.dtype, device=x.device), dim=dim, keepdim=keepdim,
                                           interpolation=mode), _data((3, 5), "float64"), device)
    compare(torch, lambda m, x: m.quantile(x, 0.625, dim=dim, keepdim=keepdim, interpolation=mode),
            _data((3, 5), "float32"), device)


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_nan_aware(torch, device, dim):
    """quantile gives NaN for a slice with a NaN; nanquantile / nansum / nanmean skip NaNs; all-NaN slices."""
    arr = _data((3, 5), "float64", nans=True)
    arr[1, :] = NAN
    for fn in (lambda m, x: m.quantile(x, 0.3, dim=dim), lambda m, x: m.nanquantile(x, 0.3, dim=dim),
               lambda m, x: m.nanquantile(x, m.tensor([0.2, 0.8], dtype=x.dtype, device=x.device), dim=dim,
                                          interpolation="nearest"),
               lambda m, x: m.nansum(x, dim), lambda m, x: m.nanmean(x, dim)):
        compare(torch, fn, arr, device)


def test_integer_inputs(torch, device):
    arr = np.array([[1, 2, 3], [4, 6, 5]])
    for fn in (lambda m, x: m.nansum(x), lambda m, x: m.nansum(x.bool(), 1), lambda m, x: m.nansum(x.to(m.int8)),
               lambda m, x: m.cov(x), lambda m, x: m.corrcoef(x), lambda m, x: m.aminmax(x, dim=1),
               lambda m, x: m.cummax(x, 1), lambda m, x: m.cummin(x.bool(), 1), lambda m, x: m.diff(x),
               lambda m, x: m.diff(x.bool(), dim=0),
               lambda m, x: m.diff(x, prepend=m.zeros(2, 1, dtype=x.dtype, device=x.device)),
               lambda m, x: m.diff(x.float(), append=x[:, :1]), lambda m, x: m.aminmax(x.bool())):
        compare(torch, fn, arr, device, grad=False)


def test_cummax_ties_and_nan(torch, device):
    """PyTorch's rule: on ties the latest index wins; a NaN, once met, stays (values and index)."""
    for arr in ([1.0, 1.0, 0.0, 2.0, 2.0, NAN, 3.0], [3.0, 1.0, 1.0, 4.0, NAN, -1.0]):
        compare(torch, lambda m, x: m.cummax(x, 0), np.array(arr), device)
        compare(torch, lambda m, x: m.cummin(x, 0), np.array(arr), device)


def test_zero_dim_and_empty(torch, device):
    compare(torch, lambda m, x: m.cummax(x, 0), np.array(2.5), device)
    compare(torch, lambda m, x: m.logcumsumexp(x, -1), np.array(2.5), device)
    compare(torch, lambda m, x: m.quantile(x, 0.3, dim=0, keepdim=True), np.array(2.5), device)
    compare(torch, lambda m, x: m.nansum(x), np.array(2.5), device)
    compare(torch, lambda m, x: m.cummin(x, 1), np.zeros((3, 0)), device, grad=False)
    compare(torch, lambda m, x: m.logcumsumexp(x, 0), np.array([-INF, -INF, 0.0, -1000.0, INF, 1.0]), device)


def test_return_types_print_like_torch(torch, device):
    arr = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype="float32")
    a, b = lt.tensor(arr, device="cpu"), torch.tensor(arr)
    assert repr(lt.aminmax(a)) == repr(torch.aminmax(b))
    assert repr(a.aminmax(dim=1)) == repr(b.aminmax(dim=1))
    assert repr(lt.cummax(a, 1)) == repr(torch.cummax(b, 1))
    assert repr(a.cummin(0)) == repr(b.cummin(0))
    mm = lt.aminmax(lt.tensor(arr, device=device))
    assert mm.min.item() == -2.0 and mm.max.item() == 4.0 and mm[0] is mm.min
    cm = lt.cummax(lt.tensor(arr, device=device), 1)
    assert cm.indices.tolist() == [[0, 0, 2], [0, 1, 1]] and cm[0] is cm.values
    assert type(lt.var_mean(a)) is tuple and type(torch.var_mean(b)) is tuple


def test_warnings(torch, device):
    for fn in (lambda m: m.cov(m.tensor([1.0, 2.0]), correction=2), lambda m: m.var_mean(m.tensor([1.0]))):
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            t = fn(torch)
        with warnings.catch_warnings(record=True) as ours:
            warnings.simplefilter("always")
            o = fn(lt)
        assert [str(w.message).split(" (Triggered")[0] for w in ours] == \
               [str(w.message).split(" (Triggered")[0] for w in theirs]
        assert_same(o, t)


ERRORS = {
    "nanmean of int": lambda m, d: m.nanmean(m.tensor([1, 2], **d)),
    "var_mean of int": lambda m, d: m.var_mean(m.tensor([1, 2], **d)),
    "std_mean of int": lambda m, d: m.std_mean(m.tensor([1, 2], **d)),
    "cov 3-d": lambda m, d: m.cov(m.ones(2, 2, 2, **d)),
    "cov bool": lambda m, d: m.cov(m.ones(2, 2, dtype=m.bool, **d)),
    "quantile empty": lambda m, d: m.quantile(m.ones(0, **d), 0.5),
    "quantile q 2-d": lambda m, d: m.quantile(m.ones(3, **d), m.tensor([[0.5]], **d)),
    "quantile q > 1": lambda m, d: m.quantile(m.ones(3, **d), 1.5),
    "quantile q < 0": lambda m, d: m.nanquantile(m.ones(3, **d), -0.1),
    "quantile q tensor > 1": lambda m, d: m.quantile(m.ones(3, **d), m.tensor([0.5, 2.0], **d)),
    "quantile int": lambda m, d: m.quantile(m.tensor([1, 2], **d), 0.5),
    "quantile half": lambda m, d: m.nanquantile(m.ones(2, dtype=m.float16, **d), 0.5),
    "quantile q dtype": lambda m, d: m.quantile(m.ones(3, **d), m.tensor([0.5], dtype=m.float64, **d)),
    "quantile mode": lambda m, d: m.quantile(m.ones(3, **d), 0.5, interpolation="median"),
    "quantile dim": lambda m, d: m.quantile(m.ones(3, **d), 0.5, dim=4),
    "aminmax empty": lambda m, d: m.aminmax(m.ones(0, **d)),
    "aminmax empty dim": lambda m, d: m.aminmax(m.ones(3, 0, **d), dim=1),
    "logcumsumexp int": lambda m, d: m.logcumsumexp(m.tensor([1, 2], **d), 0),
    "logcumsumexp no dim": lambda m, d: m.logcumsumexp(m.ones(2, **d)),
    "cummax dim": lambda m, d: m.cummax(m.ones(2, **d), 1),
    "diff 0-d": lambda m, d: m.diff(m.tensor(1.0, **d)),
    "diff negative n": lambda m, d: m.diff(m.ones(3, **d), n=-1),
    "diff prepend 0-d": lambda m, d: m.diff(m.ones(3, **d), prepend=m.tensor(0.0, **d)),
    "hypot int": lambda m, d: m.hypot(m.tensor([1, 2], **d), m.tensor([1, 2], **d)),
    "logaddexp bool": lambda m, d: m.logaddexp(m.tensor([True], **d), m.tensor([False], **d)),
    "fix bool": lambda m, d: m.fix(m.tensor([True], **d)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(torch, device, name):
    same_error(lambda: ERRORS[name](lt, {"device": device}), lambda: ERRORS[name](torch, {}))
