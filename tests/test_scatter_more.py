"""scatter_reduce, scatter(reduce=...), index_put, *_scatter, matrix_exp and friends: parity with torch."""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

REDUCES = ["sum", "prod", "mean", "amax", "amin"]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=(4, 3)), 1)
    x[1, 2] = 0.0
    idx = rng.integers(0, 4, size=(5, 3))
    src = np.round(rng.normal(size=(5, 3)), 1)
    src[2, 1] = 0.0
    return x, idx, src


@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_scatter_reduce_values_and_grads(torch, device, reduce, include_self, dtype):
    x, idx, src = _data()
    g = np.arange(12.0).reshape(4, 3) - 5
    a = torch.tensor(x, dtype=getattr(torch, dtype), requires_grad=True)
    b = torch.tensor(src, dtype=getattr(torch, dtype), requires_grad=True)
    A = lt.tensor(x, dtype=getattr(lt, dtype), requires_grad=True, device=device)
    B = lt.tensor(src, dtype=getattr(lt, dtype), requires_grad=True, device=device)
    y = torch.scatter_reduce(a, 0, torch.tensor(idx), b, reduce, include_self=include_self)
    Y = lt.scatter_reduce(A, 0, lt.tensor(idx, device=device), B, reduce, include_self=include_self)
    assert_same(Y.cpu(), y)
    assert Y.grad_fn.name() == y.grad_fn.name() == "ScatterReduceBackward0"
    y.backward(torch.tensor(g, dtype=y.dtype))
    Y.backward(lt.tensor(g, dtype=Y.dtype, device=device))
    assert_same(A.grad.cpu(), a.grad)
    assert_same(B.grad.cpu(), b.grad)


def test_scatter_reduce_src_bigger_than_index(torch, device):
    x, idx, src = _data()
    big = np.concatenate([src, src + 1.0], axis=1)   # only the leading part (index's shape) is used
    for reduce in REDUCES:
        y = torch.tensor(x).scatter_reduce(0, torch.tensor(idx[:, :2]), torch.tensor(big), reduce)
        Y = lt.tensor(x, device=device).scatter_reduce(0, lt.tensor(idx[:, :2], device=device),
                                                       lt.tensor(big, device=device), reduce)
        assert_same(Y.cpu(), y)


def test_scatter_reduce_ties_zeros_transposed_negative_dim(torch, device):
    # amax/amin split the gradient evenly among tied values (self and src); prod with one zero
    x = np.array([[3.0, 1.0], [0.0, 2.0], [3.0, 5.0]])
    src = np.array([[3.0, 0.0, 3.0], [1.0, 4.0, 0.0]])
    idx = np.array([[0, 1, 0], [1, 1, 0]])
    for reduce in ["amax", "amin", "prod"]:
        a = torch.tensor(x, requires_grad=True)
        b = torch.tensor(src, requires_grad=True)
        A = lt.tensor(x, requires_grad=True, device=device)
        B = lt.tensor(src, requires_grad=True, device=device)
        y = a.t().scatter_reduce(-1, torch.tensor(idx), b, reduce)     # non-contiguous input
        Y = A.t().scatter_reduce(-1, lt.tensor(idx, device=device), B, reduce)
        assert_same(Y.cpu(), y)
        (y * torch.arange(1.0, 7.0, dtype=y.dtype).reshape(2, 3)).sum().backward()
        (Y * lt.arange(1.0, 7.0, dtype=Y.dtype, device=device).reshape(2, 3)).sum().backward()
        assert_same(A.grad.cpu(), a.grad)
        assert_same(B.grad.cpu(), b.grad)


def test_scatter_reduce_integers_and_inplace(torch, device):
    x = np.array([-5, 7, 9, 1])
    idx = np.array([0, 0, 1, 3, 3])
    src = np.array([2, 2, 4, -3, 8])
    for reduce in REDUCES + ["max", "min"]:
        for inc in (True, False):
            y = torch.tensor(x).scatter_reduce(0, torch.tensor(idx), torch.tensor(src), reduce, include_self=inc)
            Y = lt.tensor(x, device=device).scatter_reduce(0, lt.tensor(idx, device=device),
                                                           lt.tensor(src, device=device), reduce, include_self=inc)
            assert_same(Y.cpu(), y)      # integer mean rounds down, as torch
    t = torch.tensor(x)
    T = lt.tensor(x, device=device)
    r = T.scatter_reduce_(0, lt.tensor(idx, device=device), lt.tensor(src, device=device), "prod")
    t.scatter_reduce_(0, torch.tensor(idx), torch.tensor(src), "prod")
    assert r is T
    assert_same(T.cpu(), t)


@pytest.mark.parametrize("reduce", REDUCES)
def test_scatter_reduce_gradcheck(reduce):
    device = "cpu"   # gradcheck reads values with .numpy()
    x = lt.tensor([[1.5, -0.7, 2.0], [0.3, 1.1, -1.2]], dtype=lt.float64, requires_grad=True, device=device)
    src = lt.tensor([[0.4, 2.5], [-1.3, 0.8]], dtype=lt.float64, requires_grad=True, device=device)
    idx = lt.tensor([[2, 0], [1, 1]], device=device)
    for inc in (True, False):
        assert gradcheck(lambda a, b: lt.scatter_reduce(a, 1, idx, b, reduce, include_self=inc), (x, src))


def test_scatter_reduce_errors(torch):
    x, i, s = torch.zeros(2, 3), torch.tensor([[0, 1, 0]]), torch.ones(2, 3)
    X, I, S = lt.zeros(2, 3), lt.tensor([[0, 1, 0]]), lt.ones(2, 3)
    same_error(lambda: X.scatter_reduce(1, I, S, "foo"), lambda: x.scatter_reduce(1, i, s, "foo"))
    same_error(lambda: X.scatter_reduce(1, I, S.double(), "sum"), lambda: x.scatter_reduce(1, i, s.double(), "sum"))
    same_error(lambda: X.scatter_reduce(1, I.float(), S, "sum"), lambda: x.scatter_reduce(1, i.float(), s, "sum"))
    same_error(lambda: X.scatter_reduce(2, I, S, "sum"), lambda: x.scatter_reduce(2, i, s, "sum"))
    same_error(lambda: X.scatter_reduce(1, I + 5, S, "sum"), lambda: x.scatter_reduce(1, i + 5, s, "sum"))
    same_error(lambda: X.scatter_reduce(1, I[0], S, "sum"), lambda: x.scatter_reduce(1, i[0], s, "sum"))
    same_error(lambda: X.scatter_reduce(1, I, S, "sum", include_self=1),
               lambda: x.scatter_reduce(1, i, s, "sum", include_self=1))


def test_scatter_with_reduce_argument(torch, device):
    x = np.arange(6.0).reshape(2, 3) + 1
    idx = np.array([[0, 1, 0], [2, 2, 1]])
    src = np.array([[1.0, 2, 3], [4, 5, 6]])
    for reduce in ("add", "multiply"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Y = lt.tensor(x, device=device, requires_grad=True).scatter(1, lt.tensor(idx, device=device),
                                                                        lt.tensor(src, device=device), reduce=reduce)
            y = torch.tensor(x, requires_grad=True).scatter(1, torch.tensor(idx), torch.tensor(src), reduce=reduce)
        assert_same(Y.detach().cpu(), y.detach())
        assert Y.grad_fn.name() == y.grad_fn.name() == "torch::autograd::NotImplemented"
        same_error(lambda: Y.sum().backward(), lambda: y.sum().backward())
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # no warning for a number
            Z = lt.tensor(x, device=device).long().scatter(1, lt.tensor(idx, device=device), 3, reduce=reduce)
        assert_same(Z.cpu(), torch.tensor(x).long().scatter(1, torch.tensor(idx), 3, reduce=reduce))
    same_error(lambda: lt.zeros(2).scatter(0, lt.tensor([0]), 2.0, reduce="mean"),
               lambda: torch.zeros(2).scatter(0, torch.tensor([0]), 2.0, reduce="mean"))


def test_scatter_reduce_argument_warns_once_like_torch(torch, monkeypatch):
    import subprocess
    import sys
    code = ("import torch, warnings\nwarnings.simplefilter('always')\nx = torch.ones(3)\n"
            "for r in ('add', 'multiply'):\n    x.scatter(0, torch.tensor([0]), torch.ones(1), reduce=r)\n")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stderr
    from learntorch.ops import indexing
    monkeypatch.setattr(indexing, "_WARNED", [])
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        for r in ("add", "multiply"):
            lt.ones(3).scatter(0, lt.tensor([0]), lt.ones(1), reduce=r)
    assert len(ours) == 1 == err.count("UserWarning")
    assert "UserWarning: " + str(ours[0].message) + " (Triggered internally" in err


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_index_put_values_and_grads(torch, device, dtype):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))
    v = rng.normal(size=(3,))
    i, j = np.array([0, 2, -3]), np.array([1, 1, 3])
    for acc in (False, True):
        a = torch.tensor(x, dtype=getattr(torch, dtype), requires_grad=True)
        b = torch.tensor(v, dtype=getattr(torch, dtype), requires_grad=True)
        A = lt.tensor(x, dtype=getattr(lt, dtype), requires_grad=True, device=device)
        B = lt.tensor(v, dtype=getattr(lt, dtype), requires_grad=True, device=device)
        y = torch.index_put(a.t(), (torch.tensor(j), torch.tensor(i)), b, accumulate=acc)   # non-contiguous
        Y = lt.index_put(A.t(), (lt.tensor(j, device=device), lt.tensor(i, device=device)), B, accumulate=acc)
        assert_same(Y.cpu(), y)
        assert Y.grad_fn.name() == y.grad_fn.name() == "IndexPutBackward0"
        w = np.arange(12.0).reshape(4, 3)
        (y * torch.tensor(w, dtype=y.dtype)).sum().backward()
        (Y * lt.tensor(w, dtype=Y.dtype, device=device)).sum().backward()
        assert_same(A.grad.cpu(), a.grad)
        assert_same(B.grad.cpu(), b.grad)


def test_index_put_masks_rows_and_inplace(torch, device):
    x = np.zeros((3, 4), dtype=np.float32)
    m = np.array([True, False, True])
    y = torch.tensor(x).index_put((torch.tensor(m),), torch.tensor([1.0, 2, 3, 4]))
    Y = lt.tensor(x, device=device).index_put((lt.tensor(m, device=device),), lt.tensor([1.0, 2, 3, 4], device=device))
    assert_same(Y.cpu(), y)
    rows = np.array([0, 2, 0])
    y = torch.tensor(x).index_put([torch.tensor(rows)], torch.tensor(5.0), accumulate=True)
    Y = lt.tensor(x, device=device).index_put([lt.tensor(rows, device=device)], lt.tensor(5.0, device=device),
                                              accumulate=True)
    assert_same(Y.cpu(), y)                      # row 0 gets 5 twice
    t, T = torch.tensor(x), lt.tensor(x, device=device)
    m2 = np.array([[True, False, False, True], [False] * 4, [False, True, False, False]])
    t.index_put_((torch.tensor(m2),), torch.tensor([7.0, 8, 9]), accumulate=True)
    r = T.index_put_((lt.tensor(m2, device=device),), lt.tensor([7.0, 8, 9], device=device), accumulate=True)
    assert r is T
    assert_same(T.cpu(), t)


def test_index_put_gradcheck():
    x = lt.randn(3, 4, dtype=lt.float64, requires_grad=True)
    v = lt.randn(3, 1, dtype=lt.float64, requires_grad=True)
    for acc, rows in ((False, [2, 0, 1]), (True, [2, 0, 2])):   # repeats only when accumulating
        i = lt.tensor(rows)
        assert gradcheck(lambda a, b: lt.index_put(a, (i,), b, accumulate=acc), (x, v))


def test_index_put_errors(torch):
    x, i, j = torch.zeros(3, 4), torch.tensor([0, 2, 0]), torch.tensor([1, 1, 1])
    X, I, J = lt.zeros(3, 4), lt.tensor([0, 2, 0]), lt.tensor([1, 1, 1])
    same_error(lambda: X.index_put((I,), lt.ones(3)), lambda: x.index_put((i,), torch.ones(3)))
    same_error(lambda: X.index_put((I,), lt.ones(4).double()), lambda: x.index_put((i,), torch.ones(4).double()))
    same_error(lambda: X.index_put((I, J, J), lt.ones(3)), lambda: x.index_put((i, j, j), torch.ones(3)))
    same_error(lambda: X.index_put((I.float(),), lt.ones(4)), lambda: x.index_put((i.float(),), torch.ones(4)))
    same_error(lambda: X.index_put((I + 5, J), lt.ones(3)), lambda: x.index_put((i + 5, j), torch.ones(3)))
    same_error(lambda: lt.index_put(X, (0,), X), lambda: torch.index_put(x, (0,), x))
    same_error(lambda: lt.index_put(X, I, X), lambda: torch.index_put(x, i, x))
    same_error(lambda: lt.index_put(X, (I,), lt.ones(4), 1), lambda: torch.index_put(x, (i,), torch.ones(4), 1))
    same_error(lambda: lt.index_put_(X, (I,), lt.ones(4), 1), lambda: torch.index_put_(x, (i,), torch.ones(4), 1))
    same_error(lambda: lt.index_put(X, (), lt.ones(4)), lambda: torch.index_put(x, (), torch.ones(4)))


VIEW_SCATTERS = [
    ("select_scatter", (4,), (0, 1)), ("select_scatter", (3,), (-1, -2)),
    ("slice_scatter", (3, 2), (1, 0, 4, 2)), ("slice_scatter", (2, 4), (0, -2)),
    ("diagonal_scatter", (3,), (1,)), ("diagonal_scatter", (3,), (-1, -1, 0)),
]


@pytest.mark.parametrize("name,src_shape,args", VIEW_SCATTERS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_view_scatters(torch, device, name, src_shape, args, dtype):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3))
    v = rng.normal(size=src_shape)
    a = torch.tensor(x, dtype=getattr(torch, dtype), requires_grad=True)
    b = torch.tensor(v, dtype=getattr(torch, dtype), requires_grad=True)
    A = lt.tensor(x, dtype=getattr(lt, dtype), requires_grad=True, device=device)
    B = lt.tensor(v, dtype=getattr(lt, dtype), requires_grad=True, device=device)
    y = getattr(torch, name)(a.t(), b, *args)          # non-contiguous input
    Y = getattr(A.t(), name)(B, *args)                  # the Tensor method
    assert_same(Y.cpu(), y)
    assert Y.grad_fn.name() == y.grad_fn.name()
    w = np.arange(12.0).reshape(3, 4)
    (y * torch.tensor(w, dtype=y.dtype)).sum().backward()
    (Y * lt.tensor(w, dtype=Y.dtype, device=device)).sum().backward()
    assert_same(A.grad.cpu(), a.grad)
    assert_same(B.grad.cpu(), b.grad)
    assert gradcheck(lambda p, q: getattr(lt, name)(p, q, *args),
                     (lt.tensor(x.T.copy(), requires_grad=True), lt.tensor(v, requires_grad=True)))


def test_view_scatter_errors_and_dtype(torch):
    x, X = torch.zeros(3, 4), lt.zeros(3, 4)
    assert_same(lt.select_scatter(X, lt.ones(4, dtype=lt.float64), 0, 1),
                torch.select_scatter(x, torch.ones(4, dtype=torch.float64), 0, 1))   # src cast to input's dtype
    same_error(lambda: lt.select_scatter(X, lt.ones(3), 0, 1), lambda: torch.select_scatter(x, torch.ones(3), 0, 1))
    same_error(lambda: lt.select_scatter(X, lt.ones(4), 0, 5), lambda: torch.select_scatter(x, torch.ones(4), 0, 5))
    same_error(lambda: lt.select_scatter(X, lt.ones(4), 2, 0), lambda: torch.select_scatter(x, torch.ones(4), 2, 0))
    same_error(lambda: lt.slice_scatter(X, lt.ones(3, 3), 1), lambda: torch.slice_scatter(x, torch.ones(3, 3), 1))
    same_error(lambda: lt.slice_scatter(X, lt.ones(3, 2), 1, step=0),
               lambda: torch.slice_scatter(x, torch.ones(3, 2), 1, step=0))
    same_error(lambda: lt.diagonal_scatter(X, lt.ones(2), 1), lambda: torch.diagonal_scatter(x, torch.ones(2), 1))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrix_exp(torch, device, dtype):
    rng = np.random.default_rng(3)
    for a in (rng.normal(size=(2, 3, 3)) * 2, rng.normal(size=(4, 4)) * 0.1, np.zeros((0, 2, 2))):
        t = torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True)
        T = lt.tensor(a, dtype=getattr(lt, dtype), requires_grad=True, device=device)
        y = torch.linalg.matrix_exp(t.mT)              # non-contiguous input
        Y = lt.linalg.matrix_exp(T.mT)
        tol = dict(rtol=1e-12, atol=1e-12) if dtype == "float64" else dict(rtol=1e-5, atol=1e-5)
        assert_same(Y.cpu(), y, **tol)
        assert_same(lt.matrix_exp(T).cpu(), torch.matrix_exp(t), **tol)
        assert_same(T.matrix_exp().cpu(), t.matrix_exp(), **tol)
        if a.size:
            assert Y.grad_fn.name() == y.grad_fn.name() == "LinalgMatrixExpBackward0"
            w = np.arange(a.size, dtype=np.float64).reshape(a.shape) / a.size
            (y * torch.tensor(w, dtype=y.dtype)).sum().backward()
            (Y * lt.tensor(w, dtype=Y.dtype, device=device)).sum().backward()
            assert_same(T.grad.cpu(), t.grad, **tol)


def test_matrix_exp_gradcheck_and_errors(torch):
    a = lt.tensor([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4], [0.7, 0.9, -1.5]], dtype=lt.float64, requires_grad=True)
    assert gradcheck(lt.linalg.matrix_exp, (a,))
    # e^[[0, t], [-t, 0]] is the rotation by t
    r = lt.linalg.matrix_exp(lt.tensor([[0.0, 1.0], [-1.0, 0.0]], dtype=lt.float64))
    assert_same(r, torch.tensor([[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], dtype=torch.float64), rtol=1e-14)
    same_error(lambda: lt.linalg.matrix_exp(lt.ones(2, 3)), lambda: torch.linalg.matrix_exp(torch.ones(2, 3)))
    same_error(lambda: lt.matrix_exp(lt.ones(3)), lambda: torch.matrix_exp(torch.ones(3)))
    same_error(lambda: lt.linalg.matrix_exp(lt.ones(2, 2, dtype=lt.int64)),
               lambda: torch.linalg.matrix_exp(torch.ones(2, 2, dtype=torch.long)))
