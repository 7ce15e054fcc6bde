"""Reductions (sum, mean, prod, max/min, amax/amin, argmax/argmin, std/var, norm, logsumexp,
cumsum/cumprod, any/all, count_nonzero) against real PyTorch: values, dtypes, gradients, errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]


def _data(shape, dtype="float64", seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(dtype)


def compare(torch, fn, *arrays, device="cpu", grad=True, rtol=1e-5, atol=1e-6):
    """Run ``fn(module, *tensors)`` with learntorch and with torch: same values and dtype, and
    (for float inputs) the same gradients of sum(out * w) for a random w."""
    need = [grad and np.asarray(a).dtype.kind == "f" for a in arrays]
    ours = [lt.tensor(a, device=device, requires_grad=n) for a, n in zip(arrays, need)]
    theirs = [torch.tensor(a, requires_grad=n) for a, n in zip(arrays, need)]
    o, t = fn(lt, *ours), fn(torch, *theirs)
    assert_same(o, t, rtol, atol)
    if any(need) and t.requires_grad:
        w = np.random.default_rng(1).standard_normal(tuple(t.shape))
        (o * lt.tensor(w, device=device).to(o.dtype)).sum().backward()
        (t * torch.tensor(w).to(t.dtype)).sum().backward()
        for x, y, n in zip(ours, theirs, need):
            if n:
                assert_same(x.grad, y.grad, rtol, atol)
    return o, t


def node(t):
    return t.grad_fn.name() if hasattr(t.grad_fn, "name") else type(t.grad_fn).__name__


# --- sum, mean, prod ------------------------------------------------------------------------

DIMS = [None, 0, -1, (0, 2), (2, 0, 1), ()]
VIEWS = {  # non-contiguous inputs: the same ops must work on views with odd strides
    "plain": lambda x: x,
    "permute": lambda x: x.permute(2, 0, 1),
    "step": lambda x: x[:, ::2, :],
    "transpose": lambda x: x.transpose(0, 2),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_sum_mean_values_and_grads(torch, device, dtype, dim, keepdim, op):
    a = _data((2, 5, 3), dtype)
    if dim is None:
        o, t = compare(torch, lambda m, x: getattr(x, op)(), a, device=device)
    else:
        o, t = compare(torch, lambda m, x: getattr(m, op)(x, dim, keepdim=keepdim), a, device=device)
    assert node(o) == node(t)


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("op", ["sum", "mean", "prod", "amax", "std", "var", "logsumexp", "norm"])
def test_reductions_on_non_contiguous_views(torch, device, view, op):
    a = _data((4, 6, 3), "float32", seed=3)
    v = VIEWS[view]
    args = {"prod": (1,), "logsumexp": ((0, 1),), "norm": (2, 1)}.get(op, (1,))
    o, t = compare(torch, lambda m, x: getattr(v(x), op)(*args), a, device=device)
    assert node(o) == node(t)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_prod_values_and_grads_with_zeros(torch, device, dtype, dim, keepdim):
    a = np.array([[2.0, 0.0, 3.0, -1.5], [0.0, 0.0, 4.0, 1.0], [1.5, 2.0, -1.0, 0.5]], dtype=dtype)
    if dim is None:
        o, t = compare(torch, lambda m, x: x.prod(), a, device=device)
    else:
        o, t = compare(torch, lambda m, x: m.prod(x, dim, keepdim=keepdim), a, device=device)
    assert node(o) == node(t) == ("ProdBackward0" if dim is None else "ProdBackward1")


@pytest.mark.parametrize("src", ["int32", "int64", "uint8", "bool", "int8"])
@pytest.mark.parametrize("op", ["sum", "prod"])
def test_integer_and_bool_sums_are_int64(torch, device, src, op):
    a = (np.arange(6).reshape(2, 3) % 3).astype(src)
    compare(torch, lambda m, x: getattr(x, op)(), a, device=device)
    compare(torch, lambda m, x: getattr(x, op)(0), a, device=device)


def test_sum_mean_prod_dtype_argument(torch, device):
    a = _data((2, 3), "float32")
    for fn in (lambda m, x: x.sum(dtype=m.float64), lambda m, x: x.sum(1, dtype=m.float64),
               lambda m, x: x.mean(dtype=m.float64), lambda m, x: x.prod(0, dtype=m.float64),
               lambda m, x: m.mean(x, 0, True, dtype=m.float64)):
        o, t = compare(torch, fn, a, device=device)
        assert node(o) == node(t)
        assert type(o.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"
    ints = np.arange(6).reshape(2, 3)
    compare(torch, lambda m, x: x.mean(dtype=m.float32), ints, device=device)
    compare(torch, lambda m, x: x.sum(dtype=m.float32), ints, device=device)
    compare(torch, lambda m, x: x.sum(dtype=m.int32), ints.astype("uint8"), device=device)


def test_sum_over_empty_tuple_means_all(torch):
    a = _data((2, 3))
    o, t = compare(torch, lambda m, x: x.sum(dim=()), a)
    assert node(o) == node(t) == "SumBackward1"
    compare(torch, lambda m, x: x.mean(dim=[]), a)
    compare(torch, lambda m, x: m.tensor(2.5).sum(0) + x.sum(-1).sum(), a)


def test_mean_of_empty_is_nan(torch):
    e = np.zeros((0, 3), dtype="float32")
    compare(torch, lambda m, x: x.mean(), e, grad=False)
    compare(torch, lambda m, x: x.mean(0), e, grad=False)
    compare(torch, lambda m, x: x.prod() + x.sum(), e, grad=False)


# --- max, min, amax, amin, argmax, argmin ----------------------------------------------------------

TIES = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 1.0]])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["max", "min"])
def test_full_max_min_share_gradient_among_ties(torch, device, dtype, op):
    a = TIES.astype(dtype) * (1 if op == "max" else -1)
    o, t = compare(torch, lambda m, x: getattr(x, op)(), a, device=device)
    assert node(o) == node(t) == ("MaxBackward1" if op == "max" else "MinBackward1")
    theirs = torch.tensor(a, requires_grad=True)
    getattr(theirs, op)().backward()
    assert abs(theirs.grad[0, 1].item() - 1 / 3) < 1e-6  # the rule the test pins: 3 ties share


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_min_along_dim_give_values_indices_and_grad_to_index(torch, device, dtype, op, dim, keepdim):
    a = TIES.astype(dtype)
    o, t = compare(torch, lambda m, x: getattr(m, op)(x, dim, keepdim=keepdim).values, a, device=device)
    assert node(o) == node(t) == ("MaxBackward0" if op == "max" else "MinBackward0")
    ours = getattr(lt.tensor(a, device=device), op)(dim, keepdim)
    theirs = getattr(torch.tensor(a), op)(dim, keepdim)
    assert_same(ours.indices, theirs.indices)
    assert_same(ours[1], theirs[1])
    values, indices = ours
    assert_same(values, theirs.values)
    assert isinstance(ours, tuple) and len(ours) == 2
    assert type(ours).__name__ == type(theirs).__name__ == op


def test_return_types_repr_matches_torch(torch):
    a = [[1.0, 5.0], [3.0, 2.0]]
    assert repr(lt.tensor(a).max(1)) == repr(torch.tensor(a).max(1))
    ours = lt.tensor(a, requires_grad=True).min(0, keepdim=True)
    theirs = torch.tensor(a, requires_grad=True).min(0, keepdim=True)
    assert repr(ours) == repr(theirs)
    assert repr(ours).startswith("torch.return_types.min(\nvalues=")
    assert lt.return_types.max is type(lt.tensor(a).max(0))


def test_max_min_binary_form_is_maximum(torch, device):
    a = TIES
    b = np.flip(TIES, 1).copy()
    o, t = compare(torch, lambda m, x, y: m.max(x, y), a, b, device=device)
    assert node(o) == node(t) == "MaximumBackward0"
    o, t = compare(torch, lambda m, x, y: m.min(x, y), a, b, device=device)
    assert node(o) == node(t) == "MinimumBackward0"
    o, t = compare(torch, lambda m, x, y: x.max(y), a, b[0], device=device)  # broadcasting
    compare(torch, lambda m, x, y: m.max(x, y), np.array([1, 2]), np.array([1.5, 0.5], dtype="float32"),
            device=device)


@pytest.mark.parametrize("op", ["amax", "amin"])
@pytest.mark.parametrize("dim", [(), 0, 1, (0, 1), (-1,)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_amax_amin_ties_share_gradient(torch, device, op, dim, keepdim):
    o, t = compare(torch, lambda m, x: getattr(m, op)(x, dim, keepdim), TIES, device=device)
    assert node(o) == node(t)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_argmax_argmin(torch, device, op):
    a = np.array([[1.0, 7.0, 7.0, -2.0], [9.0, 0.0, 9.0, -2.0], [0.5, 0.5, 0.5, 0.5]], dtype="float32")
    for args, kw in [((), {}), ((), {"keepdim": True}), ((0,), {}), ((1,), {"keepdim": True}), ((-1,), {})]:
        o, t = compare(torch, lambda m, x: getattr(x, op)(*args, **kw), a, device=device, grad=False)
        assert o.dtype is lt.int64
    compare(torch, lambda m, x: getattr(m, op)(x), np.array([3, 1, 3]), device=device)
    compare(torch, lambda m, x: getattr(x, op)(0), np.array(2.5), device=device)


def test_max_min_on_integers_bools_and_0d(torch, device):
    ints = np.array([[1, 5], [5, 1]])
    for fn in (lambda m, x: x.max(), lambda m, x: x.min(1).values, lambda m, x: x.amax(0),
               lambda m, x: x.max(0).indices):
        compare(torch, fn, ints, device=device)
    bools = np.array([False, True, True])
    for fn in (lambda m, x: x.max(), lambda m, x: x.max(0).values, lambda m, x: x.max(0).indices,
               lambda m, x: x.amax(), lambda m, x: x.amin(0)):
        compare(torch, fn, bools, device=device)
    for fn in (lambda m, x: x.max(0).values, lambda m, x: x.max(-1, keepdim=True).indices,
               lambda m, x: x.min(0).values):
        compare(torch, fn, np.array(7.0), device=device)


def test_max_nan_propagates(torch):
    a = np.array([1.0, np.nan, 3.0])
    for fn in (lambda m, x: x.max(), lambda m, x: x.max(0).values, lambda m, x: x.max(0).indices,
               lambda m, x: x.argmax(), lambda m, x: x.amin(0), lambda m, x: m.logsumexp(x, 0)):
        compare(torch, fn, a, grad=False)


# --- var, std ----------------------------------------------------------------------------------------

VAR_CALLS = [
    lambda m, op, x: getattr(x, op)(),
    lambda m, op, x: getattr(x, op)(0),
    lambda m, op, x: getattr(x, op)(False),                       # the old (input, unbiased) form
    lambda m, op, x: getattr(x, op)(1, True),                     # (dim, unbiased)
    lambda m, op, x: getattr(x, op)(1, False, True),              # (dim, unbiased, keepdim)
    lambda m, op, x: getattr(x, op)(unbiased=False),
    lambda m, op, x: getattr(x, op)(dim=(0, 2), correction=0),
    lambda m, op, x: getattr(x, op)(dim=-1, correction=2, keepdim=True),
    lambda m, op, x: getattr(m, op)(x, (2, 1)),
    lambda m, op, x: getattr(x, op)(keepdim=True),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["std", "var"])
@pytest.mark.parametrize("call", range(len(VAR_CALLS)))
def test_std_var(torch, device, dtype, op, call):
    a = _data((3, 4, 5), dtype, seed=2)
    o, t = compare(torch, lambda m, x: VAR_CALLS[call](m, op, x), a, device=device)
    assert node(o) == node(t) == ("StdBackward0" if op == "std" else "VarBackward0")


def test_std_of_constant_slice_has_zero_gradient(torch, device):
    a = np.array([[1.0, 1.0, 1.0], [1.0, -1.0, 2.0]])
    compare(torch, lambda m, x: x.std(1), a, device=device)
    compare(torch, lambda m, x: x.std(), np.full((2, 2), 3.0), device=device)


@pytest.mark.parametrize("op", ["std", "var"])
def test_std_var_warn_when_degrees_of_freedom_run_out(torch, op):
    for a, kw in [([1.0], {}), ([[1.0, 2.0]], {"dim": 0}), ([1.0, 2.0], {"correction": 3})]:
        with pytest.warns(UserWarning) as ours:
            o = getattr(lt.tensor(a), op)(**kw)
        with pytest.warns(UserWarning) as theirs:
            t = getattr(torch.tensor(a), op)(**kw)
        assert_same(o, t)
        assert str(theirs[0].message).startswith(str(ours[0].message))


def test_std_var_argument_errors(torch):
    x, tx = lt.ones(2, 3), torch.ones(2, 3)
    same_error(lambda: x.std(unbiased=False, correction=0), lambda: tx.std(unbiased=False, correction=0))
    for dt in ("int64", "bool"):
        same_error(lambda: x.to(getattr(lt, dt)).std(), lambda: tx.to(getattr(torch, dt)).std())
        same_error(lambda: x.to(getattr(lt, dt)).var(0), lambda: tx.to(getattr(torch, dt)).var(0))


# --- norm ---------------------------------------------------------------------------------------------

NORMS = [
    ((), {}), (("fro",), {}), ((2,), {}), ((1,), {}), ((math.inf,), {}), ((-math.inf,), {}), ((3,), {}),
    ((0.5,), {}), ((-1,), {}), ((2,), {"dim": 1}), ((1,), {"dim": (0, 1), "keepdim": True}),
    (("fro",), {"dim": (0, 1)}), ((math.inf,), {"dim": 0, "keepdim": True}), ((None,), {"dim": -1}),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(NORMS)))
def test_norm(torch, device, dtype, case):
    a = np.array([[1.0, -3.0, 3.0], [0.5, 2.0, -0.25]], dtype=dtype)
    args, kw = NORMS[case]
    o, t = compare(torch, lambda m, x: x.norm(*args, **kw), a, device=device)
    assert node(o) == node(t) == "LinalgVectorNormBackward0"
    compare(torch, lambda m, x: m.norm(x, *args, **kw), a, device=device)


def test_norm_of_zero_vector_has_zero_gradient(torch, device):
    z = np.zeros(3, dtype="float32")
    for p in (2, 1, 3):
        compare(torch, lambda m, x: x.norm(p), z, device=device)
    compare(torch, lambda m, x: x.norm(0), np.array([1.0, -3.0, 0.0]), device=device, grad=False)
    o, t = compare(torch, lambda m, x: x.norm(dtype=m.float64), np.array([3.0, 4.0], dtype="float32"), device=device)
    assert type(o.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"


def test_norm_errors(torch):
    x, tx = lt.ones(2, 3), torch.ones(2, 3)
    same_error(lambda: lt.arange(3).norm(), lambda: torch.arange(3).norm())
    same_error(lambda: x.norm("abc"), lambda: tx.norm("abc"))
    same_error(lambda: lt.ones(2, 2, 2).norm("fro", dim=(0, 1, 2)),
               lambda: torch.ones(2, 2, 2).norm("fro", dim=(0, 1, 2)))
    same_error(lambda: lt.arange(3).norm(dtype=lt.float32), lambda: torch.arange(3).norm(dtype=torch.float32))
    e, te = lt.zeros(0, 3), torch.zeros(0, 3)
    same_error(lambda: e.norm(math.inf), lambda: te.norm(math.inf))
    same_error(lambda: e.norm(-math.inf, dim=0), lambda: te.norm(-math.inf, dim=0))
    assert_same(e.norm(math.inf, dim=1), te.norm(math.inf, dim=1))
    assert_same(e.norm(), te.norm())


# --- logsumexp -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_logsumexp(torch, device, dtype, dim, keepdim):
    a = _data((3, 4), dtype, seed=4, low=-5, high=5)
    o, t = compare(torch, lambda m, x: m.logsumexp(x, dim, keepdim), a, device=device)
    assert node(o) == node(t) == "LogsumexpBackward0"


def test_logsumexp_is_stable_and_handles_infinities(torch, device):
    big = np.array([[1000.0, 1000.0, -1000.0], [-1e30, 5.0, 0.0]])
    compare(torch, lambda m, x: x.logsumexp(1), big, device=device)
    inf = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [-np.inf, 2.0]])
    compare(torch, lambda m, x: m.logsumexp(x, 1), inf, device=device, grad=False)
    compare(torch, lambda m, x: m.logsumexp(x, 0), np.zeros((0, 3)), device=device, grad=False)
    compare(torch, lambda m, x: m.logsumexp(x, 1), np.arange(6).reshape(2, 3), device=device)  # int -> float


# --- cumsum, cumprod ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_cumprod(torch, device, dtype, op, dim):
    a = np.array([[2.0, 0.0, 3.0, 5.0, 0.0, 2.0], [1.5, -1.0, 0.5, 2.0, 1.0, -0.5]], dtype=dtype)
    o, t = compare(torch, lambda m, x: getattr(m, op)(x, dim), a, device=device)
    assert node(o) == node(t) == ("CumsumBackward0" if op == "cumsum" else "CumprodBackward0")
    compare(torch, lambda m, x: getattr(x.t(), op)(dim), a, device=device)      # non-contiguous


def test_cumulative_dtypes_and_0d(torch, device):
    for src in ("int32", "bool", "uint8"):
        a = (np.arange(6).reshape(2, 3) % 2).astype(src)
        compare(torch, lambda m, x: x.cumsum(1), a, device=device)
        compare(torch, lambda m, x: x.cumprod(0), a, device=device)
    compare(torch, lambda m, x: x.cumsum(0, dtype=m.float64), _data((3,), "float32"), device=device)
    compare(torch, lambda m, x: x.cumsum(0, dtype=m.int64), np.array([1.5, 2.5]), device=device, grad=False)
    compare(torch, lambda m, x: x.cumsum(0) * x.cumprod(-1), np.array(2.5), device=device)


def test_cumulative_errors(torch):
    x, tx = lt.ones(2, 3), torch.ones(2, 3)
    same_error(lambda: x.cumsum(), lambda: tx.cumsum())
    same_error(lambda: lt.cumprod(x), lambda: torch.cumprod(tx))
    same_error(lambda: x.cumsum(2), lambda: tx.cumsum(2))
    same_error(lambda: x.cumsum((0,)), lambda: tx.cumsum((0,)))
    same_error(lambda: lt.logsumexp(x), lambda: torch.logsumexp(tx))


# --- any, all, count_nonzero --------------------------------------------------------------------------------------

@pytest.mark.parametrize("src", ["bool", "int64", "uint8", "float32"])
@pytest.mark.parametrize("op", ["any", "all"])
def test_any_all(torch, device, src, op):
    a = np.array([[0, 1, 2], [0, 0, 3]]).astype(src)
    for args, kw in [((), {}), ((0,), {}), ((1,), {"keepdim": True}), (((0, 1),), {}), (((),), {}), ((-1,), {})]:
        o, t = compare(torch, lambda m, x: getattr(x, op)(*args, **kw), a, device=device, grad=False)
        assert not o.requires_grad
    compare(torch, lambda m, x: getattr(m, op)(x), np.zeros((0,)), device=device, grad=False)


def test_count_nonzero(torch, device):
    a = np.array([[0, 1, 2], [0, 0, 3]])
    for args in [(), (0,), (-1,), ((0, 1),), ((),)]:
        compare(torch, lambda m, x: m.count_nonzero(x, *args), a, device=device)
    compare(torch, lambda m, x: x.count_nonzero(1), a.astype("float32"), device=device, grad=False)


# --- errors ----------------------------------------------------------------------------------------------------

ERRORS = [
    lambda m: m.arange(6).mean(),
    lambda m: (m.arange(6) > 2).mean(0),
    lambda m: m.ones(3).mean(dtype=m.int64),
    lambda m: m.arange(6).std(),
    lambda m: m.zeros(0).max(),
    lambda m: m.zeros(0).min(),
    lambda m: m.zeros(0).amax(),
    lambda m: m.zeros(0, 3).amin((0, 1)),
    lambda m: m.zeros(0, 3).max(0),
    lambda m: m.zeros(0).argmax(),
    lambda m: m.zeros(0, 2).argmin(0),
    lambda m: m.tensor([True, False]).argmax(),
    lambda m: m.ones(2, 3).sum(2),
    lambda m: m.ones(2, 3).sum(-3),
    lambda m: m.ones(2, 3).max(2),
    lambda m: m.ones(2, 3).argmax(5),
    lambda m: m.ones(2, 3).all(3),
    lambda m: m.tensor(1.0).sum(1),
    lambda m: m.ones(2, 3).sum((0, 0)),
    lambda m: m.ones(2, 3).sum((1, -1)),
    lambda m: m.ones(2, 3).mean([0, -2]),
    lambda m: m.ones(2, 3).std((0, 0)),
    lambda m: m.ones(2, 3).amax((0, -2)),
    lambda m: m.ones(2, 3).any((0, 0)),
    lambda m: m.ones(2, 3).count_nonzero((1, 1)),
    lambda m: m.ones(2, 3).norm(dim=(0, 0)),
    lambda m: m.logsumexp(m.ones(2, 3), (0, 0)),
    lambda m: m.ones(2, requires_grad=True).sum(dtype=m.int32),
    lambda m: m.ones(2, 3).argmax((0, 1)),
    lambda m: m.max(m.ones(2), m.ones(3)),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(torch, case):
    same_error(lambda: ERRORS[case](lt), lambda: ERRORS[case](torch))


def test_error_on_simulated_device_too(device, torch):
    same_error(lambda: lt.ones(2, 3, device=device).sum((0, 0)), lambda: torch.ones(2, 3).sum((0, 0)))
    same_error(lambda: lt.zeros(0, device=device).max(), lambda: torch.zeros(0).max())


# --- gradcheck (float64, finite differences) ----------------------------------------------------------------------

GRADCHECK = {
    "sum": lambda x: x.sum(),
    "sum_dims": lambda x: x.sum((0, 2), keepdim=True),
    "mean": lambda x: x.mean(1),
    "prod": lambda x: x.prod(),
    "prod_dim": lambda x: x.prod(1),
    "prod_zero": lambda x: (x * lt.tensor([[[1.0], [0.0], [1.0]]], dtype=lt.float64)).prod(1),
    "max": lambda x: x.max(),
    "max_dim": lambda x: x.max(2).values,
    "min_dim": lambda x: x.min(0, keepdim=True).values,
    "amax": lambda x: x.amax((0, 1)),
    "amin": lambda x: x.amin(-1),
    "maximum": lambda x: lt.max(x, x * 0.5 + 0.3) + lt.min(x, x[:1] * 0.5 + 0.3),
    "std": lambda x: x.std(1),
    "var": lambda x: x.var((0, 2), correction=0),
    "norm2": lambda x: x.norm(),
    "norm1": lambda x: x.norm(1, dim=1),
    "norm3": lambda x: x.norm(3, dim=(0, 2)),
    "norm_inf": lambda x: x.norm(math.inf, dim=2),
    "logsumexp": lambda x: x.logsumexp((1, 2)),
    "cumsum": lambda x: x.cumsum(1),
    "cumprod": lambda x: x.cumprod(2),
    "cumprod_zero": lambda x: (x * lt.tensor([[[1.0, 0.0]]], dtype=lt.float64)).cumprod(2),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    x = lt.tensor(_data((2, 3, 2), seed=7, low=0.5, high=2.0) * np.array([1, -1]), requires_grad=True)
    assert gradcheck(GRADCHECK[name], (x,))


@pytest.mark.parametrize("name", ["sum_dims", "mean", "prod_dim", "std", "var", "norm2", "norm3", "logsumexp",
                                  "cumsum", "cumprod", "cumprod_zero", "max_dim", "amax"])
def test_gradgradcheck(name):
    x = lt.tensor(_data((2, 3, 2), seed=8, low=0.5, high=2.0), requires_grad=True)
    assert gradgradcheck(GRADCHECK[name], (x,))


# --- property test: random dims and keepdim against NumPy ------------------------------------------------------

NUMPY_REDUCTIONS = {
    "sum": (lambda x, d, k: x.sum(d, keepdim=k), lambda a, d, k: a.sum(axis=d, keepdims=k)),
    "mean": (lambda x, d, k: x.mean(d, keepdim=k), lambda a, d, k: a.mean(axis=d, keepdims=k)),
    "amax": (lambda x, d, k: x.amax(d, keepdim=k), lambda a, d, k: a.max(axis=d, keepdims=k)),
    "amin": (lambda x, d, k: x.amin(d, keepdim=k), lambda a, d, k: a.min(axis=d, keepdims=k)),
    "var": (lambda x, d, k: x.var(d, keepdim=k, correction=0), lambda a, d, k: a.var(axis=d, keepdims=k)),
    "std": (lambda x, d, k: x.std(d, keepdim=k, correction=0), lambda a, d, k: a.std(axis=d, keepdims=k)),
    "norm": (lambda x, d, k: x.norm(2, dim=d, keepdim=k), lambda a, d, k: np.sqrt((a * a).sum(axis=d, keepdims=k))),
    "logsumexp": (lambda x, d, k: x.logsumexp(d, keepdim=k),
                  lambda a, d, k: np.log(np.exp(a).sum(axis=d, keepdims=k))),
    "any": (lambda x, d, k: (x > 0).any(d, keepdim=k), lambda a, d, k: (a > 0).any(axis=d, keepdims=k)),
    "all": (lambda x, d, k: (x > -1).all(d, keepdim=k), lambda a, d, k: (a > -1).all(axis=d, keepdims=k)),
    "count_nonzero": (lambda x, d, k: (x > 0).count_nonzero(d), lambda a, d, k: np.count_nonzero(a > 0, axis=d)),
}


@st.composite
def shape_and_dims(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    ndim = len(shape)
    axes = draw(st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim, unique_by=lambda d: d % ndim))
    as_int = len(axes) == 1 and draw(st.booleans())
    return shape, (axes[0] if as_int else tuple(axes))


@settings(max_examples=25, deadline=None)
@given(shape_and_dims(), st.booleans(), st.sampled_from(sorted(NUMPY_REDUCTIONS)), st.integers(0, 2 ** 16))
def test_random_dims_and_keepdim_match_numpy(sd, keepdim, name, seed):
    shape, dim = sd
    a = np.random.default_rng(seed).standard_normal(shape)
    ours_fn, np_fn = NUMPY_REDUCTIONS[name]
    out = ours_fn(lt.tensor(a), dim, keepdim)
    axis = tuple(d % len(shape) for d in (dim if isinstance(dim, tuple) else (dim,)))
    want = np.asarray(np_fn(a, axis, keepdim))
    assert tuple(out.shape) == want.shape
    np.testing.assert_allclose(out.numpy().astype(np.float64), want.astype(np.float64), rtol=1e-10, atol=1e-12)
    if name in ("sum", "mean", "amax", "var", "logsumexp"):   # the gradient has the input's shape
        x = lt.tensor(a, requires_grad=True)
        ours_fn(x, dim, keepdim).sum().backward()
        assert tuple(x.grad.shape) == shape


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std",
                                  "var", "logsumexp", "cumsum", "cumprod", "any", "all", "count_nonzero"])
def test_numpy_spelling_axis_keepdims(torch, name):
    a = _data((2, 3), "float32")
    kw = {"axis": 1} if name in ("cumsum", "cumprod", "count_nonzero") else {"axis": 1, "keepdims": True}
    fn = (lambda m, x: getattr(x, name)(**kw)) if name not in ("max", "min") else \
        (lambda m, x: getattr(x, name)(**kw).values)
    compare(torch, fn, a)


def test_methods_and_functions_exist():
    for name in ("sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var", "norm",
                 "logsumexp", "cumsum", "cumprod", "any", "all", "count_nonzero"):
        assert callable(getattr(lt, name)) and callable(getattr(lt.Tensor, name)), name
