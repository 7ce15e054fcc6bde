"""Sorting and counting (sort, argsort, msort, topk, kthvalue, median, nanmedian, mode) against real
PyTorch: values, indices, dtypes, gradients, node names, printing and errors.

Ties: learntorch always sorts stably; PyTorch's CPU sort is stable for slices of up to 16 elements
(and always with stable=True).  Tests with equal values therefore use short slices or stable=True;
the others use distinct values.
"""
import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]
NAN, INF = float("nan"), float("inf")


def _distinct(shape, dtype="float64", seed=0):
    """Values without ties (a shuffled range, scaled), so every index is well defined."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n).reshape(shape) * 0.25 - n / 8).astype(dtype)


VIEWS = {
    "plain": lambda x: x,
    "transpose": lambda x: x.transpose(0, 2),
    "permute": lambda x: x.permute(1, 2, 0),
}


def compare(torch, fn, array, device="cpu", grad=True):
    """``fn(module, tensor)`` with learntorch and torch: same values, indices and dtypes; and for a
    float input the same gradient of sum(values * w) for a random w.  Returns both results."""
    need = grad and np.asarray(array).dtype.kind == "f"
    x = lt.tensor(array, device=device, requires_grad=need)
    y = torch.tensor(array, requires_grad=need)
    o, t = fn(lt, x), fn(torch, y)
    assert type(o).__name__ == type(t).__name__
    assert_same(tuple(o) if isinstance(o, tuple) else o, tuple(t) if isinstance(t, tuple) else t, rtol=0, atol=0)
    if need:
        vo, vt = (o[0], t[0]) if isinstance(o, tuple) else (o, t)
        if vt.requires_grad:
            w = np.random.default_rng(1).standard_normal(tuple(vt.shape))
            (vo * lt.tensor(w, device=device).to(vo.dtype)).sum().backward()
            (vt * torch.tensor(w).to(vt.dtype)).sum().backward()
            assert_same(x.grad, y.grad)
            assert vo.grad_fn.name() == vt.grad_fn.name()
    return o, t


# --- sort, argsort, msort ------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1, -3])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_sort_values_indices_and_grads(torch, device, dtype, dim, descending, view):
    a = _distinct((3, 4, 5), dtype)
    v = VIEWS[view]
    compare(torch, lambda m, x: m.sort(v(x), dim, descending), a, device)
    compare(torch, lambda m, x: v(x).sort(dim=dim, descending=descending, stable=True), a, device)
    o, t = compare(torch, lambda m, x: m.argsort(v(x), dim, descending), a, device)
    assert o.dtype is lt.int64 and not o.requires_grad


def test_sort_node_names_follow_the_overload(torch):
    """PyTorch names the node SortBackward1 when ``stable=`` is given, SortBackward0 otherwise."""
    a = _distinct((6,))
    for kw, name in (({}, "SortBackward0"), ({"stable": False}, "SortBackward1"), ({"stable": True}, "SortBackward1")):
        o, t = compare(torch, lambda m, x: m.sort(x, **kw), a)
        assert o.values.grad_fn.name() == name


@pytest.mark.parametrize("descending", [False, True])
def test_sort_ties_keep_their_order(torch, device, descending):
    """Slices of up to 16 elements: PyTorch's default sort keeps equal values in order, as ours."""
    a = np.random.default_rng(2).integers(0, 3, size=(5, 16)).astype("float32")
    compare(torch, lambda m, x: m.sort(x, descending=descending), a, device)
    compare(torch, lambda m, x: m.sort(x, 0, descending), a, device)
    compare(torch, lambda m, x: m.argsort(x, descending=descending), a, device)


@pytest.mark.parametrize("descending", [False, True])
def test_stable_sort_of_a_long_slice_with_ties(torch, device, descending):
    a = np.random.default_rng(3).integers(0, 4, size=(2, 300)).astype("float64")
    compare(torch, lambda m, x: m.sort(x, descending=descending, stable=True), a, device)
    compare(torch, lambda m, x: m.argsort(x, dim=-1, descending=descending, stable=True), a, device)


@pytest.mark.parametrize("descending", [False, True])
def test_sort_nan_is_the_largest_value(torch, device, descending):
    a = np.array([[NAN, 1.0, INF, -INF, 0.0, NAN, -2.5], [3.0, NAN, -1.0, 2.0, INF, 0.5, 1.5]], dtype="float32")
    o, _ = compare(torch, lambda m, x: m.sort(x, descending=descending), a, device)
    assert bool(o.values[0, -1 if not descending else 0].isnan())
    compare(torch, lambda m, x: m.topk(x, 3, largest=True), a, device)
    compare(torch, lambda m, x: m.topk(x, 3, largest=False), a, device)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_sort_integers_and_bools(torch, device, dtype):
    a = np.random.default_rng(4).integers(0, 5, size=(3, 7)).astype(dtype)
    compare(torch, lambda m, x: m.sort(x), a, device)
    compare(torch, lambda m, x: m.sort(x, 0, True), a, device)
    compare(torch, lambda m, x: x.argsort(descending=True), a, device)
    compare(torch, lambda m, x: m.msort(x), a, device)


def test_sort_zero_dim_and_empty(torch, device):
    compare(torch, lambda m, x: m.sort(x), np.array(2.5, dtype="float32"), device)
    compare(torch, lambda m, x: m.argsort(x), np.array(2.5, dtype="float32"), device)
    compare(torch, lambda m, x: m.sort(x, 0), np.zeros((0, 3), dtype="float32"), device)
    compare(torch, lambda m, x: m.sort(x, 1), np.zeros((0, 3), dtype="float32"), device)


@pytest.mark.parametrize("dtype", FLOATS)
def test_msort(torch, device, dtype):
    a = _distinct((5, 3), dtype)
    o, t = compare(torch, lambda m, x: m.msort(x), a, device)
    assert o.grad_fn.name() == "SortBackward0"
    compare(torch, lambda m, x: x.t().msort(), a, device)
    compare(torch, lambda m, x: m.msort(x), np.array(1.5, dtype=dtype), device)


def test_sort_result_prints_like_torch(torch):
    a = np.array([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]], dtype="float32")
    x, y = lt.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    assert repr(lt.sort(x, descending=True)) == repr(torch.sort(y, descending=True))
    assert repr(lt.topk(x.detach(), 2)) == repr(torch.topk(y.detach(), 2))
    assert repr(x.detach().median(1)) == repr(y.detach().median(1))
    assert repr(lt.mode(x.detach(), 0, True)) == repr(torch.mode(y.detach(), 0, True))
    r = lt.sort(x)
    assert r.values is r[0] and r.indices is r[1]
    values, indices = lt.kthvalue(x, 2)
    assert_same(values, torch.kthvalue(y, 2).values)


def test_sort_gradient_of_gradient(torch, device):
    """Backward goes through differentiable ops: create_graph works (second derivative of sort(x)^3)."""
    a = _distinct((2, 5))
    outs = []
    for m, dev in ((lt, device), (torch, "cpu")):
        x = m.tensor(a, requires_grad=True, device=dev)
        v = m.sort(x, descending=True).values
        g, = m.autograd.grad((v ** 3 * m.arange(5.0, dtype=m.float64, device=dev)).sum(), x, create_graph=True)
        g.sum().backward()
        outs.append((g, x.grad))
    assert_same(outs[0][0], outs[1][0].detach())
    assert_same(outs[0][1], outs[1][1])


# --- topk, kthvalue --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 2, -1, -2])
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_topk(torch, device, dtype, dim, largest, view):
    a = _distinct((3, 4, 5), dtype, seed=5)
    v = VIEWS[view]
    for k in (0, 1, 3):
        o, t = compare(torch, lambda m, x: m.topk(v(x), k, dim, largest), a, device)
    compare(torch, lambda m, x: v(x).topk(2, dim=dim, largest=largest, sorted=True), a, device)


def test_topk_unsorted_gives_the_same_set(torch):
    a = _distinct((30,), seed=6)
    o = lt.topk(lt.tensor(a), 5, sorted=False)
    t = torch.topk(torch.tensor(a), 5, sorted=False)
    assert sorted(o.indices.tolist()) == sorted(t.indices.tolist())
    assert sorted(o.values.tolist()) == sorted(t.values.tolist())


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_topk_and_kthvalue_on_integers(torch, device, dtype):
    a = np.random.default_rng(7).permutation(24).reshape(4, 6).astype(dtype)
    compare(torch, lambda m, x: m.topk(x, 3), a, device)
    compare(torch, lambda m, x: m.kthvalue(x, 2, 0), a, device)
    compare(torch, lambda m, x: m.median(x, 1), a, device)
    compare(torch, lambda m, x: m.median(x), a, device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1, -3])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_kthvalue(torch, device, dtype, dim, keepdim, view):
    a = _distinct((3, 4, 5), dtype, seed=8)
    v = VIEWS[view]
    for k in (1, 2, 3):
        compare(torch, lambda m, x: m.kthvalue(v(x), k, dim, keepdim), a, device)
    compare(torch, lambda m, x: v(x).kthvalue(1, dim=dim, keepdim=keepdim), a, device)


def test_kthvalue_with_nan(torch, device):
    a = np.array([[1.0, NAN, 3.0, NAN], [2.0, 0.0, NAN, -1.0]], dtype="float32")
    for k in (1, 2, 3, 4):
        compare(torch, lambda m, x: m.kthvalue(x, k), a, device)


def test_topk_kthvalue_zero_dim(torch, device):
    s = np.array(1.5, dtype="float32")
    compare(torch, lambda m, x: m.topk(x, 1), s, device)
    compare(torch, lambda m, x: m.topk(x, 0), s, device)
    compare(torch, lambda m, x: m.kthvalue(x, 1, 0, True), s, device)
    compare(torch, lambda m, x: m.topk(x, 0), np.zeros((2, 0), dtype="float32"), device)


# --- median, nanmedian, mode --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [1, 4, 7])
def test_median_of_all_elements(torch, device, dtype, n):
    a = _distinct((n, 3), dtype, seed=n)
    o, t = compare(torch, lambda m, x: m.median(x), a, device)
    assert o.grad_fn.name() == "MedianBackward0"
    compare(torch, lambda m, x: x.t().median(), a, device)
    compare(torch, lambda m, x: x.nanmedian(), a, device)


def test_median_of_all_elements_ties_and_nans_share_the_gradient(torch, device):
    for a in ([1.0, 2.0, 2.0, 0.0, 5.0], [1.0, 2.0, 2.0, 0.0, NAN], [NAN, 1.0, NAN], [3.0, 3.0, 3.0]):
        a = np.array(a)
        compare(torch, lambda m, x: m.median(x), a, device)
        compare(torch, lambda m, x: m.nanmedian(x), a, device)
    compare(torch, lambda m, x: m.nanmedian(x), np.array([NAN, NAN]), device)
    compare(torch, lambda m, x: m.median(x), np.zeros((0,), "float32"), device)
    compare(torch, lambda m, x: m.median(x), np.array(2.0), device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1, -3])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_median_along_a_dim(torch, device, dtype, dim, keepdim, view):
    a = _distinct((3, 4, 5), dtype, seed=9)
    v = VIEWS[view]
    o, t = compare(torch, lambda m, x: m.median(v(x), dim, keepdim), a, device)
    assert o.values.grad_fn.name() == "MedianBackward1"
    o, t = compare(torch, lambda m, x: v(x).nanmedian(dim=dim, keepdim=keepdim), a, device)
    assert o.values.grad_fn.name() == "NanmedianBackward1"


def test_median_along_a_dim_with_nan(torch, device):
    a = np.array([[1.0, NAN, 3.0, NAN, 0.0], [2.0, 0.0, 5.0, -1.0, 4.0], [NAN, 7.0, 6.0, 8.0, 9.0]])
    compare(torch, lambda m, x: m.median(x, 1), a, device)    # a NaN: the first NaN
    compare(torch, lambda m, x: m.nanmedian(x, 1), a, device)
    compare(torch, lambda m, x: m.nanmedian(x, 0), a[:, :3], device)
    # a slice of NaNs only: the value is NaN (PyTorch's index among the NaNs is not specified)
    o = lt.nanmedian(lt.tensor([[NAN, NAN, NAN], [1.0, NAN, 2.0]], device=device), 1)
    assert np.isnan(o.values[0].item()) and o.values[1].item() == 1.0 and o.indices[1].item() == 0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_mode(torch, device, dtype, dim, keepdim):
    a = np.random.default_rng(10).integers(0, 3, size=(6, 5, 4)).astype(dtype)   # slices <= 16: ties as torch
    o, t = compare(torch, lambda m, x: m.mode(x, dim, keepdim), a, device)
    assert o.values.grad_fn.name() == "ModeBackward0"
    compare(torch, lambda m, x: x.transpose(0, 2).mode(dim, keepdim=keepdim), a, device)


def test_mode_examples(torch, device):
    compare(torch, lambda m, x: m.mode(x), np.array([[1.0, 2.0, 2.0, 1.0, 3.0], [5.0, 5.0, 4.0, 4.0, 4.0]]), device)
    compare(torch, lambda m, x: m.mode(x, 0), np.array([[1.0, 2.0, 2.0, 1.0, 3.0], [5.0, 5.0, 4.0, 4.0, 4.0]]),
            device)
    compare(torch, lambda m, x: m.mode(x), np.array([True, False, True]), device)
    compare(torch, lambda m, x: m.mode(x), np.array([7, 7, 1, 1, 1, 9], dtype="int64"), device)
    compare(torch, lambda m, x: m.mode(x, 0, True), np.array(5.0), device)
    compare(torch, lambda m, x: m.mode(x, 0), np.zeros((2, 0), dtype="float32"), device)


# --- gradcheck ------------------------------------------------------------------------------------

GRAD_OPS = {
    "sort": lambda x: lt.sort(x, 1).values,
    "sort descending": lambda x: lt.sort(x.t(), -1, descending=True).values,
    "msort": lambda x: lt.msort(x),
    "topk": lambda x: lt.topk(x, 2, 0).values,
    "kthvalue": lambda x: lt.kthvalue(x, 2, -1).values,
    "median": lambda x: lt.median(x),
    "median dim": lambda x: lt.median(x, 0, keepdim=True).values,
    "nanmedian": lambda x: lt.nanmedian(x),
    "nanmedian dim": lambda x: lt.nanmedian(x, 1).values,
    "mode": lambda x: lt.mode(x, 1).values,
}


@pytest.mark.parametrize("name", sorted(GRAD_OPS))
def test_gradcheck(name):
    a = _distinct((3, 4), "float64", seed=11) * 3.0       # values far apart: finite differences keep the order
    x = lt.tensor(a, requires_grad=True)
    assert gradcheck(GRAD_OPS[name], (x,))
    if name in ("sort", "topk", "median dim"):
        assert gradgradcheck(GRAD_OPS[name], (x,))


# --- errors ---------------------------------------------------------------------------------------

ERRORS = {
    "sort dim": lambda t: t.sort(t.ones(3), 1),
    "sort 0-dim dim": lambda t: t.sort(t.tensor(5.0), -2),
    "argsort dim": lambda t: t.ones(2, 3).argsort(2),
    "topk k too large": lambda t: t.topk(t.ones(3), 4),
    "topk k negative": lambda t: t.topk(t.ones(3), -1),
    "topk k on 0-dim": lambda t: t.topk(t.tensor(5.0), 2),
    "topk k on an empty dim": lambda t: t.topk(t.zeros(2, 0), 1),
    "topk float k": lambda t: t.topk(t.ones(3), 1.5),
    "topk bool k": lambda t: t.topk(t.ones(3), True),
    "topk bool": lambda t: t.topk(t.tensor([True, False]), 1),
    "topk dim": lambda t: t.topk(t.ones(3), 2, 1),
    "kthvalue k too large": lambda t: t.kthvalue(t.ones(3), 4),
    "kthvalue k zero": lambda t: t.kthvalue(t.ones(3, 2), 0, 0),
    "kthvalue k on dim 1": lambda t: t.kthvalue(t.ones(3, 2), 3, 1),
    "kthvalue float k": lambda t: t.kthvalue(t.ones(2, 3), 2.0),
    "kthvalue empty": lambda t: t.kthvalue(t.zeros(0), 1),
    "kthvalue bool": lambda t: t.kthvalue(t.tensor([True, False]), 1),
    "median bool": lambda t: t.median(t.tensor([True])),
    "median dim bool": lambda t: t.median(t.tensor([True]), 0),
    "nanmedian bool": lambda t: t.nanmedian(t.tensor([True])),
    "median empty dim": lambda t: t.median(t.zeros(0, 2), 0),
    "nanmedian empty dim": lambda t: t.nanmedian(t.zeros(0, 2), 0),
    "median float dim": lambda t: t.median(t.ones(3), 0.5),
    "median keepdim without dim": lambda t: t.median(t.tensor(5.0), keepdim=True),
    "nanmedian keepdim without dim": lambda t: t.nanmedian(t.ones(2, 3), keepdim=True),
    "median dim out of range": lambda t: t.median(t.tensor(5.0), 1),
    "mode empty": lambda t: t.mode(t.zeros(0)),
    "mode empty dim": lambda t: t.mode(t.zeros(2, 0), 1),
    "mode dim out of range": lambda t: t.ones(2, 3).mode(-3),
    "unique dim out of range": lambda t: t.unique(t.ones(2, 3), dim=2),
    "unique dim of 0-dim": lambda t: t.unique(t.tensor(5), dim=0),
    "unique zero-size dim": lambda t: t.unique(t.zeros(3, 0), dim=0),
    "unique_consecutive zero-size dim": lambda t: t.unique_consecutive(t.zeros(3, 0), dim=0),
    "bincount negative": lambda t: t.bincount(t.tensor([-1, 1])),
    "bincount 2-d": lambda t: t.bincount(t.tensor([[1, 2]])),
    "bincount 0-d": lambda t: t.bincount(t.tensor(1)),
    "bincount float": lambda t: t.bincount(t.tensor([1.0, 2.0])),
    "bincount bool": lambda t: t.bincount(t.tensor([True, False])),
    "bincount minlength": lambda t: t.bincount(t.tensor([1, 2]), minlength=-1),
    "bincount weights": lambda t: t.bincount(t.tensor([1, 2]), weights=t.tensor([1.0])),
    "histc int": lambda t: t.histc(t.tensor([1, 2, 1]), bins=4, min=0, max=3),
    "histc bool": lambda t: t.histc(t.tensor([True]), bins=2),
    "histc bins": lambda t: t.histc(t.ones(3), bins=0),
    "histc min > max": lambda t: t.histc(t.ones(3), bins=4, min=3, max=0),
    "histc inf in data": lambda t: t.histc(t.tensor([1.0, float("inf")]), bins=4),
    "histc inf max": lambda t: t.histc(t.tensor([1.0, 2.0]), bins=4, min=0, max=float("inf")),
    "histc 0.5 inf": lambda t: t.histc(t.tensor([0.5, -float("inf")]), bins=4),
    "searchsorted side": lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2]), side="middle"),
    "searchsorted side and right": lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2]), side="left", right=True),
    "searchsorted rows": lambda t: t.searchsorted(t.ones(2, 5), t.ones(1, 3)),
    "searchsorted rows 1-d values": lambda t: t.searchsorted(t.ones(2, 5), t.ones(3)),
    "searchsorted 0-dim": lambda t: t.searchsorted(t.tensor(5), t.tensor([3, 6])),
    "sorter size": lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2]), sorter=t.tensor([1, 0, 2])),
    "sorter dtype": lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2]), sorter=t.tensor([1.0, 0.0])),
    "sorter range": lambda t: t.searchsorted(t.tensor([1, 3]), t.tensor([2]), sorter=t.tensor([1, 5])),
    "bucketize 2-d": lambda t: t.bucketize(t.tensor([1, 5]), t.tensor([[1, 3], [5, 7]])),
    "bucketize 0-d": lambda t: t.bucketize(t.tensor([2]), t.tensor(3)),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_match_torch(torch, case):
    same_error(lambda: ERRORS[case](lt), lambda: ERRORS[case](torch))


# --- unique, unique_consecutive -------------------------------------------------------------------

def same(torch, fn, *arrays, device="cpu"):
    """``fn(module, *tensors)`` gives the same tensor (or tuple of tensors) in learntorch and torch."""
    o = fn(lt, *[lt.tensor(a, device=device) for a in arrays])
    t = fn(torch, *[torch.tensor(a) for a in arrays])
    assert isinstance(o, tuple) == isinstance(t, tuple)
    assert_same(tuple(o) if isinstance(o, tuple) else o, tuple(t) if isinstance(t, tuple) else t, rtol=0, atol=0)
    return o, t


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("flags", [(False, False), (True, False), (False, True), (True, True)])
def test_unique(torch, device, dtype, flags):
    inv, cnt = flags
    a = np.random.default_rng(12).integers(0, 6, size=(4, 5)).astype(dtype)
    same(torch, lambda m, x: m.unique(x, return_inverse=inv, return_counts=cnt), a, device=device)
    same(torch, lambda m, x: x.t().unique(sorted=True, return_inverse=inv, return_counts=cnt), a, device=device)
    same(torch, lambda m, x: m.unique_consecutive(x, return_inverse=inv, return_counts=cnt), a, device=device)
    for dim in (0, 1, -1):
        b = a[[0, 1, 0, 2, 1]]                                  # repeated rows
        same(torch, lambda m, x: m.unique(x, dim=dim, return_inverse=inv, return_counts=cnt), b, device=device)
        same(torch, lambda m, x: m.unique_consecutive(x.t(), return_inverse=inv, return_counts=cnt, dim=dim),
             b[[0, 0, 1, 3, 3]], device=device)


def test_unique_special_values(torch, device):
    a = np.array([2.5, NAN, 1.0, 2.5, NAN, -0.0, 0.0, INF, -INF, INF])
    same(torch, lambda m, x: m.unique(x, return_inverse=True, return_counts=True), a, device=device)
    same(torch, lambda m, x: m.unique_consecutive(x, return_inverse=True, return_counts=True), a, device=device)
    same(torch, lambda m, x: m.unique(x, return_inverse=True, return_counts=True), np.array(5), device=device)
    same(torch, lambda m, x: m.unique(x, return_inverse=True, return_counts=True), np.zeros((0,)), device=device)
    same(torch, lambda m, x: m.unique(x, dim=0, return_inverse=True, return_counts=True), np.zeros((0, 3)),
         device=device)
    b = np.random.default_rng(13).integers(0, 2, size=(6, 3, 2)).astype("float32")
    same(torch, lambda m, x: m.unique(x, dim=1, return_inverse=True, return_counts=True), b[:, [0, 1, 0]],
         device=device)
    o, _ = same(torch, lambda m, x: m.unique(x, return_inverse=True), b, device=device)
    assert_same(o[0][o[1]], lt.tensor(b))                       # values[inverse] rebuilds the input


# --- bincount, histc ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8"])
def test_bincount(torch, device, dtype):
    a = np.random.default_rng(14).integers(0, 7, size=20).astype(dtype)
    same(torch, lambda m, x: m.bincount(x), a, device=device)
    same(torch, lambda m, x: x.bincount(minlength=12), a, device=device)
    for wdt in ("float32", "float64", "int64") + (("float16",) if device == "cpu" else ()):   # no half on 'cuda'
        w = np.random.default_rng(15).uniform(-1, 2, size=20).astype(wdt)
        same(torch, lambda m, x, w: m.bincount(x, w), a, w, device=device)
    same(torch, lambda m, x: m.bincount(x, minlength=3), np.zeros((0,), "int64"), device=device)


@pytest.mark.parametrize("dtype", FLOATS)
def test_histc(torch, device, dtype):
    a = np.random.default_rng(16).standard_normal(200).astype(dtype)
    same(torch, lambda m, x: m.histc(x), a, device=device)
    same(torch, lambda m, x: x.histc(bins=7, min=-1, max=1.5), a, device=device)
    same(torch, lambda m, x: m.histc(x.reshape(10, 20).t(), 5), a, device=device)
    edges = np.array([0.1, 0.2, 0.3, 0.7, 1.0, 0.6, 0.0, 1.1, INF, NAN], dtype=dtype)   # on and past the edges
    same(torch, lambda m, x: m.histc(x, bins=10, min=0.1, max=1.0), edges, device=device)
    same(torch, lambda m, x: m.histc(x, bins=4), np.array([2.0, 2.0, 2.0], dtype), device=device)
    same(torch, lambda m, x: m.histc(x, bins=4), np.zeros((0,), dtype), device=device)


# --- searchsorted, bucketize ------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:torch.searchsorted")       # torch's note on a non-contiguous input
@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_and_bucketize(torch, device, right):
    rng = np.random.default_rng(17)
    seq = np.sort(rng.integers(0, 20, size=12)).astype("float32")       # with repeats
    vals = rng.integers(-2, 23, size=(3, 7)).astype("float32")           # values on and between boundaries
    same(torch, lambda m, s, v: m.searchsorted(s, v, right=right), seq, vals, device=device)
    same(torch, lambda m, s, v: m.searchsorted(s, v, side="right" if right else "left", out_int32=True), seq, vals,
         device=device)
    same(torch, lambda m, v, s: m.bucketize(v, s, right=right), vals, seq, device=device)
    same(torch, lambda m, v, s: m.bucketize(v.t(), s, right=right, out_int32=True), vals, seq.astype("int64"),
         device=device)
    rows = np.sort(rng.integers(0, 20, size=(3, 6)), axis=1).astype("int64")   # one sorted row per row of values
    same(torch, lambda m, s, v: m.searchsorted(s, v, right=right), rows, vals.astype("int64"), device=device)
    same(torch, lambda m, s, v: m.searchsorted(s, v, right=right), seq.astype("float64"), np.array(7.0),
         device=device)


def test_searchsorted_special_inputs(torch, device):
    s = lambda m: m.tensor([1, 3, 5, 7, 9], device=device if m is lt else "cpu")
    assert_same(lt.searchsorted(s(lt), 6), torch.searchsorted(s(torch), 6))
    assert_same(lt.bucketize(3, s(lt), right=True), torch.bucketize(3, s(torch), right=True))
    order = np.array([2, 1, 0, 3, 4])
    same(torch, lambda m, a, o, v: m.searchsorted(a, v, sorter=o), np.array([5, 3, 1, 7, 9]), order,
         np.array([3, 6, 0, 10]), device=device)
    nan_vals = np.array([[NAN, 2.0, 3.0]])
    same(torch, lambda m, a, v: m.searchsorted(a, v), np.array([[1.0, 3.0, 5.0]]), nan_vals, device=device)
    same(torch, lambda m, a, v: m.searchsorted(a, v, right=True), np.array([[1.0, 3.0, 5.0]]), nan_vals,
         device=device)
    same(torch, lambda m, v, a: m.bucketize(v, a), np.array([NAN, 2.0, True]), np.array([1.0, 3.0, 5.0]),
         device=device)


def test_functions_and_tensor_methods_are_registered(torch):
    from learntorch.ops import sorting
    for name in sorting.__all__:
        assert getattr(lt, name) is getattr(sorting, name)
        assert hasattr(lt.Tensor, name) == hasattr(torch.Tensor, name), name
    x = lt.tensor([1, 1, 2, 1])
    assert x.unique_consecutive(return_counts=True)[1].tolist() == [2, 1, 1]
    assert lt.return_types.sort.__name__ == "sort" and isinstance(x.sort(), tuple)
