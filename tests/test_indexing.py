"""Indexing and index assignment against real PyTorch: values, shapes, strides, graph node
names, gradients (repeats add up), PyTorch's errors, and both devices."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error, to_numpy

# torch warns that x[[[0, 1]]] (a list holding lists) will change meaning in a later version
pytestmark = pytest.mark.filterwarnings("ignore:Using a non-tuple sequence:UserWarning")

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4, 5))


def chain(t, n=4):
    """Names of the first ``n`` nodes following first inputs (as torch prints them)."""
    out, f = [], t.grad_fn
    while f is not None and len(out) < n:
        name = f.name()
        if "AccumulateGrad" in name:
            break
        out.append(name.replace("torch::autograd::", ""))
        f = f.next_functions[0][0] if f.next_functions else None
    return out


# Keys are written once for both libraries: ``L`` is torch or learntorch.
GET_KEYS = {
    "int": lambda L: 0,
    "neg_int": lambda L: -1,
    "slice": lambda L: slice(1, None),
    "full_slice": lambda L: slice(None),
    "step": lambda L: slice(None, None, 2),
    "ellipsis": lambda L: Ellipsis,
    "none": lambda L: None,
    "int_slice": lambda L: (0, slice(1, None)),
    "col": lambda L: (slice(None), 0),
    "ell_int": lambda L: (Ellipsis, 0),
    "none_int": lambda L: (None, 0),
    "ints3": lambda L: (0, 0, 0),
    "none_mid": lambda L: (slice(None), None, 1),
    "int_ell_none": lambda L: (1, Ellipsis, None),
    "full_tuple": lambda L: (slice(None), slice(None)),
    "big_slice": lambda L: slice(0, 10),
    "empty_slice": lambda L: slice(2, 1),
    "neg_slice": lambda L: slice(-2, None),
    "oob_slice": lambda L: slice(-10, 2),
    "list": lambda L: [0, 2],
    "repeat_list": lambda L: [0, 0, 2, 0],
    "neg_list": lambda L: [-1, 0],
    "tensor": lambda L: L.tensor([2, 1]),
    "tensor_2d": lambda L: L.tensor([[0, 1], [2, 2]]),
    "tensor_int32": lambda L: L.tensor([0, 1], dtype=L.int32),
    "zero_d_tensor": lambda L: L.tensor(1),
    "one_elem_tensor": lambda L: L.tensor([1]),
    "slice_then_list": lambda L: (slice(1, None), [0, 1]),
    "list_then_slice": lambda L: ([0, 1], slice(1, None)),
    "int_slice_list": lambda L: (0, slice(None), [0, 1]),
    "two_lists": lambda L: ([0, 1], [1, 2]),
    "lists_apart": lambda L: ([0, 1], slice(None), [1, 2]),
    "lists_adjacent": lambda L: (slice(None), [0, 1], [1, 2]),
    "broadcast_idx": lambda L: (L.tensor([[0, 1], [1, 2]]), L.tensor([0, 1])),
    "broadcast_apart": lambda L: (L.tensor([[0, 1]]), slice(None), L.tensor([[1], [2]])),
    "narrow_list": lambda L: (slice(1, 2), [0, 1], [0, 1]),
    "list_of_lists": lambda L: [[0, 1]],
    "empty_list": lambda L: [],
    "mask": lambda L: L.tensor(A[:, :, 0] > 0),
    "mask_full": lambda L: L.tensor(A > 0),
    "mask_1d": lambda L: L.tensor([True, False, True]),
    "mask_after_int": lambda L: (0, L.tensor(A[0, :, 0] > 0)),
    "mask_dim1": lambda L: (slice(None), L.tensor(A[0] > 0)),
    "mask_and_list": lambda L: (L.tensor([True, False, True]), [1, 3]),
    "py_true": lambda L: True,
    "zero_d_bool": lambda L: L.tensor(True),
    "ell_list": lambda L: (Ellipsis, [0, 4]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(GET_KEYS))
def test_getitem_matches_torch(torch, device, name, dtype):
    key = GET_KEYS[name]
    xt = torch.tensor(A, dtype=getattr(torch, dtype), requires_grad=True)
    xl = lt.tensor(A, dtype=getattr(lt, dtype), device=device, requires_grad=True)
    yt, yl = xt[key(torch)], xl[key(lt)]
    assert_same(yl, yt)
    assert yl.stride() == yt.stride(), (yl.stride(), yt.stride())
    assert yl.is_contiguous() == yt.is_contiguous()
    assert chain(yl) == chain(yt)
    assert (yl._base is not None) == (yt._base is not None)
    w = RNG.standard_normal(tuple(yt.shape))
    (yt * torch.tensor(w, dtype=yt.dtype)).sum().backward()
    (yl * lt.tensor(w, dtype=yl.dtype, device=device)).sum().backward()
    assert_same(xl.grad, xt.grad)


def test_getitem_on_noncontiguous_input(torch, device):
    xt = torch.tensor(A, requires_grad=True)
    xl = lt.tensor(A, device=device, requires_grad=True)
    for key in [lambda L: (slice(None), [0, 2]), lambda L: (1, slice(None, None, 2)), lambda L: L.tensor([[1, 0]])]:
        yt = xt.transpose(0, 2)[key(torch)]
        yl = xl.transpose(0, 2)[key(lt)]
        assert_same(yl, yt)
        # (PyTorch's advanced-index results follow the input's memory layout; learntorch's are contiguous)
        (yt * 2).sum().backward()
        (yl * 2).sum().backward()
    assert_same(xl.grad, xt.grad)


def test_repeated_indices_accumulate(torch, device):
    xt = torch.tensor(A[0], requires_grad=True)
    xl = lt.tensor(A[0], device=device, requires_grad=True)
    xt[[0, 0, 0, 2]][:, [1, 1]].sum().backward()
    xl[[0, 0, 0, 2]][:, [1, 1]].sum().backward()
    assert_same(xl.grad, xt.grad)
    assert xl.grad[0, 1].item() == 6.0


BAD_GET_KEYS = {
    "int_oob": lambda L: 5,
    "second_int_oob": lambda L: (0, 9),
    "int_oob_after_none": lambda L: (None, 0, 9),
    "int_oob_after_ellipsis": lambda L: (Ellipsis, 9),
    "list_oob_after_int": lambda L: (0, [9]),
    "neg_oob": lambda L: (slice(None), -5),
    "dim1_oob": lambda L: (slice(None), 4),
    "list_oob": lambda L: [0, 5],
    "list_neg_oob": lambda L: [0, -4],
    "tensor_oob": lambda L: L.tensor(5),
    "two_lists_oob": lambda L: ([0, 1], [9, 1]),
    "first_oob_in_order": lambda L: ([7, 1], [0, 9]),
    "too_many": lambda L: (0, 0, 0, 0),
    "too_many_mask": lambda L: L.tensor(np.ones((3, 4, 5, 1), bool)),
    "float_tensor": lambda L: L.tensor([0.0]),
    "float": lambda L: 0.5,
    "mask_shape": lambda L: L.tensor(np.ones(4, bool)),
    "mask_shape_dim1": lambda L: (slice(None), L.tensor(np.ones(5, bool))),
    "mask_shape_2d": lambda L: L.tensor(np.ones((3, 5), bool)),
    "mask_after_select": lambda L: (L.tensor(np.ones((4, 5), bool)), 1),
    "no_broadcast": lambda L: ([0, 1], [0, 1, 2]),
    "neg_step": lambda L: slice(None, None, -1),
    "zero_step": lambda L: slice(1, 2, 0),
    "str": lambda L: "a",
}


@pytest.mark.parametrize("name", sorted(BAD_GET_KEYS))
def test_getitem_errors_match_torch(torch, device, name):
    key = BAD_GET_KEYS[name]
    xt, xl = torch.tensor(A), lt.tensor(A, device=device)
    same_error(lambda: xl[key(lt)], lambda: xt[key(torch)])


def test_zero_dim_index_error(torch):
    same_error(lambda: lt.tensor(3.0)[0], lambda: torch.tensor(3.0)[0])


# --- assignment ----------------------------------------------------------------------------

SET_CASES = {
    "int_scalar": (lambda L: 0, lambda L: 1.5),
    "int_row": (lambda L: 0, lambda L: L.ones(5)),
    "int_col_bcast": (lambda L: 0, lambda L: L.ones(4, 1)),
    "int_extra_one": (lambda L: 0, lambda L: L.ones(1, 4, 5)),
    "slice": (lambda L: (slice(None), slice(1, 3)), lambda L: L.ones(2, 1) * 3),
    "none_int": (lambda L: (None, 0), lambda L: L.ones(5)),
    "ellipsis": (lambda L: Ellipsis, lambda L: 2.0),
    "full_slice": (lambda L: slice(None), lambda L: L.ones(5)),
    "element": (lambda L: (0, 0, 0), lambda L: L.ones(1)),
    "list": (lambda L: [0, 1], lambda L: 1.0),
    "list_vec": (lambda L: [0, 1], lambda L: L.ones(5)),
    "list_slice": (lambda L: (slice(None), [0, 2]), lambda L: L.ones(5) * 2),
    "int_list": (lambda L: (0, [0, 2]), lambda L: L.ones(2, 5) * 2),
    "two_lists": (lambda L: ([0, 2], [1, 3]), lambda L: L.ones(5) * 2),
    "mask_scalar": (lambda L: L.tensor(A > 0), lambda L: 0.0),
    "mask_0d_tensor": (lambda L: L.tensor(A > 0), lambda L: L.tensor(2.0)),
    "mask_rows": (lambda L: L.tensor(A[:, :, 0] > 0), lambda L: L.ones(5)),
    "duplicates_last_wins": (lambda L: [0, 0], lambda L: L.stack([L.ones(4, 5), 2 * L.ones(4, 5)])),
    "bool_value": (lambda L: 0, lambda L: True),
}


@pytest.mark.parametrize("grad_value", [False, True])
@pytest.mark.parametrize("name", sorted(SET_CASES))
def test_setitem_matches_torch(torch, device, name, grad_value):
    key, value = SET_CASES[name]
    lt_ = lt

    def run(L, dev):
        kw = {} if L is torch else {"device": dev}
        leaf = L.tensor(A, requires_grad=True, **kw)
        x = leaf * 1.0
        v = value(L)
        if isinstance(v, (L.Tensor,)):
            v = v.to(dev) if L is lt_ else v
            v = v.double() if v.dtype != L.bool else v
            if grad_value and v.dtype.is_floating_point:
                v = v.detach().requires_grad_()
        x[key(L)] = v
        w = L.tensor(RNG_W, **kw)
        (x * w).sum().backward()
        return x, leaf.grad, (v.grad if isinstance(v, L.Tensor) and v.requires_grad else None), chain(x, 2)

    xt, gt, vt, ct = run(torch, "cpu")
    xl, gl, vl, cl = run(lt, device)
    assert_same(xl, xt)
    assert_same(gl, gt)
    assert cl == ct
    if vt is not None:
        assert_same(vl, vt)


RNG_W = RNG.standard_normal((3, 4, 5))


def test_setitem_without_grad_shares_memory_and_bumps_version(device):
    x = lt.zeros(3, 4, device=device)
    row = x[1]
    v0 = x._version
    x[1, 2] = 5.0
    assert row[2].item() == 5.0 and x._version == v0 + 1 and row._version == x._version
    row[0] = 7.0
    assert x[1, 0].item() == 7.0
    x[lt.tensor([0, 2])] = 1.0
    assert to_numpy(x).sum() == 5 + 7 + 8


def test_setitem_int_tensor_casts_values(torch, device):
    xt = torch.zeros(3, dtype=torch.long)
    xl = lt.zeros(3, dtype=lt.int64, device=device)
    xt[0] = 1.7
    xl[0] = 1.7
    assert_same(xl, xt)


SET_ERRORS = {
    "value_shape": (lambda L: 0, lambda L: L.ones(3)),
    "value_ndim": (lambda L: 0, lambda L: L.ones(2, 4, 5)),
    "element_vec": (lambda L: (0, 0, 0), lambda L: L.ones(2)),
    "adv_value_shape": (lambda L: [0, 1], lambda L: L.ones(3)),
    "adv_dtype": (lambda L: ([0, 1], [0, 1]), lambda L: L.ones(2, 5, dtype=L.float64)),
    "oob": (lambda L: 5, lambda L: 1.0),
    "list_oob": (lambda L: [5], lambda L: 1.0),
    "too_many": (lambda L: (0, 0, 0, 0), lambda L: 1.0),
    "mask_shape": (lambda L: L.tensor(np.ones(4, bool)), lambda L: 1.0),
    "str_value": (lambda L: 0, lambda L: "a"),
}


@pytest.mark.parametrize("name", sorted(SET_ERRORS))
def test_setitem_errors_match_torch(torch, device, name):
    key, value = SET_ERRORS[name]
    xt, xl = torch.zeros(3, 4, 5), lt.zeros(3, 4, 5, device=device)

    def assign(x, L):
        x[key(L)] = value(L) if L is torch or not isinstance(value(L), lt.Tensor) else value(L).to(device)
    if name == "str_value" and device == "cuda":  # PyTorch names the cuda type: torch.cuda.FloatTensor
        with pytest.raises(TypeError, match="can't assign a str to a torch.cuda.FloatTensor"):
            assign(xl, lt)
        return
    same_error(lambda: assign(xl, lt), lambda: assign(xt, torch))


@pytest.mark.parametrize("key", [lambda L: Ellipsis, lambda L: [0, 1], lambda L: (slice(None), [0, 1]),
                                 lambda L: 0, lambda L: (0, [0, 1]), lambda L: L.zeros(3, 4) >= 0])
def test_setitem_on_leaf_errors(torch, key):
    xt, xl = torch.zeros(3, 4, requires_grad=True), lt.zeros(3, 4, requires_grad=True)
    same_error(lambda: xl.__setitem__(key(lt), 1.0), lambda: xt.__setitem__(key(torch), 1.0))
    with lt.no_grad():
        xl[key(lt)] = 1.0
    assert xl.is_leaf and to_numpy(xl).sum() > 0


def test_write_into_view_of_nonleaf_base_gives_base_gradient(torch, device):
    """x = b[0]; x[1] = v: the base b gets PyTorch's CopySlices, x is re-made from it."""
    res = {}
    for L, dev in ((torch, "cpu"), (lt, device)):
        kw = {} if L is torch else {"device": dev}
        leaf = L.tensor(A[0], requires_grad=True, **kw)
        w = L.tensor(5.0, requires_grad=True, **kw)
        b = leaf * 2
        x = b[0]
        x[1] = w * 3
        (b * L.tensor(RNG_W[0], **kw)).sum().backward(retain_graph=True)
        (x.sum() * 10).backward()
        res[L] = (b, x, leaf.grad, w.grad, b.grad_fn.name(), x.grad_fn.name())
    (bt, xt, gt, wt, nbt, nxt), (bl, xl, gl, wl, nbl, nxl) = res[torch], res[lt]
    assert_same(bl, bt)
    assert_same(gl, gt)
    assert_same(wl, wt)
    assert nbl == nbt.replace("torch::autograd::", "") and nxl == nxt


def test_write_through_transposed_view_and_advanced_index(torch, device):
    res = {}
    for L, dev in ((torch, "cpu"), (lt, device)):
        kw = {} if L is torch else {"device": dev}
        leaf = L.tensor(A[0], requires_grad=True, **kw)
        v = L.tensor(np.arange(4.0), requires_grad=True, **kw)
        b = leaf * 2
        y = b.t()
        y[[0, 2]] = v
        (b * L.tensor(RNG_W[0], **kw)).sum().backward()
        res[L] = (b.detach(), leaf.grad, v.grad)
    assert_same(res[lt], res[torch])


def test_inplace_on_multi_output_views_errors(torch, device):
    for split in (lambda x: x.unbind(0)[0], lambda x: x.split(1)[0]):
        xt = torch.zeros(3, 4, requires_grad=True).clone()
        xl = lt.zeros(3, 4, requires_grad=True, device=device).clone()
        same_error(lambda: split(xl).__setitem__(0, 1.0), lambda: split(xt).__setitem__(0, 1.0))
        with lt.no_grad():
            split(xl)[0] = 1.0


def test_write_into_expanded_tensor_errors(torch, device):
    xt, xl = torch.zeros(1, 4).expand(3, 4), lt.zeros(1, 4, device=device).expand(3, 4)
    same_error(lambda: xl.__setitem__((slice(None), 0), 1.0), lambda: xt.__setitem__((slice(None), 0), 1.0))
    same_error(lambda: xl.add_(1), lambda: xt.add_(1))


def test_saved_tensor_changed_by_setitem_is_detected(torch, device):
    def run(L, **kw):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True, **kw)
        y = x.exp()  # Exp saves its output y for backward
        y[0] = 0.0
        return lambda: y.sum().backward()
    same_error(run(lt, device=device), run(torch))


# --- gather / scatter / index_select / masked_fill --------------------------------------------

M = RNG.standard_normal((3, 4))
IDX = np.array([[0, 1], [3, 3], [2, 0]])


def _both(torch, device, fn, *arrays, grad=True):
    ins_t = [torch.tensor(a, requires_grad=grad and a.dtype == np.float64) for a in arrays]
    ins_l = [lt.tensor(a, device=device, requires_grad=grad and a.dtype == np.float64) for a in arrays]
    yt, yl = fn(torch, *ins_t), fn(lt, *ins_l)
    assert_same(yl, yt)
    assert chain(yl, 1) == chain(yt, 1)
    if grad:
        w = RNG.standard_normal(tuple(yt.shape))
        (yt * torch.tensor(w)).sum().backward()
        (yl * lt.tensor(w, device=device)).sum().backward()
        for a, b in zip(ins_l, ins_t):
            if b.requires_grad:
                assert_same(a.grad, b.grad)


OPS = {
    "gather1": (lambda L, m, i: m.gather(1, i), (M, IDX)),
    "gather0": (lambda L, m, i: L.gather(m, 0, i), (M, IDX[:, :1].T.copy() % 3)),
    "gather_small": (lambda L, m, i: m.gather(1, i[:2]), (M, IDX)),
    "scatter_src": (lambda L, m, i, s: m.scatter(1, i, s), (M, np.array([[0, 1], [3, 2], [2, 0]]), M[:, :2] * 10)),
    "scatter_value": (lambda L, m, i: m.scatter(1, i, 7.0), (M, np.array([[0, 1], [3, 2], [2, 0]]))),
    "scatter_bigger_src": (lambda L, m, i, s: m.scatter(0, i, s.detach()), (M, np.array([[2, 0, 1, 0]]), M * 3)),
    "scatter_add": (lambda L, m, i, s: m.scatter_add(1, i, s), (M, IDX, M[:, :2] * 10)),
    "scatter_add0": (lambda L, m, i, s: L.scatter_add(m, 0, i, s), (M, np.array([[0, 0, 2, 1], [0, 1, 2, 2]]), M[:2])),
    "index_select0": (lambda L, m, i: m.index_select(0, i), (M, np.array([2, 0, 2]))),
    "index_select1": (lambda L, m, i: L.index_select(m, 1, i), (M, np.array([3, 1]))),
    "index_select_0d_index": (lambda L, m, i: m.index_select(0, i), (M, np.array(1))),
    "masked_fill": (lambda L, m: m.masked_fill(m > 0, 0.5), (M,)),
    "masked_fill_bcast_mask": (lambda L, m: m.masked_fill(m[0] > 0, -1.0), (M,)),
    "masked_fill_bigger_mask": (lambda L, m: m.masked_fill((m > 0).expand(2, 3, 4), -1.0), (M,)),
    "masked_fill_tensor": (lambda L, m, v: m.masked_fill(m > 0, v), (M, np.array(2.5))),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_index_ops_match_torch(torch, device, name):
    fn, arrays = OPS[name]
    _both(torch, device, fn, *arrays)


def test_scatter_repeats_last_wins_and_add_accumulates(torch, device):
    it, il = torch.tensor([0, 0, 2]), lt.tensor([0, 0, 2], device=device)
    st_, sl = torch.tensor([1.0, 2.0, 3.0]), lt.tensor([1.0, 2.0, 3.0], device=device)
    assert_same(lt.zeros(3, device=device).scatter(0, il, sl), torch.zeros(3).scatter(0, it, st_))
    assert_same(lt.zeros(3, device=device).scatter_add(0, il, sl), torch.zeros(3).scatter_add(0, it, st_))


def test_inplace_index_ops(torch, device):
    for L, dev in ((torch, "cpu"), (lt, device)):
        kw = {} if L is torch else {"device": dev}
        x = L.tensor(M, **kw)
        x.masked_fill_(x < 0, 0.0)
        x.scatter_(1, L.tensor([[0], [1], [2]], **kw), -1.0)
        x.scatter_add_(0, L.tensor([[0, 0, 0, 0]], **kw), L.ones(1, 4, dtype=L.float64, **kw))
        if L is torch:
            want = x
        else:
            assert_same(x, want)


INDEX_OP_ERRORS = {
    "gather_dtype": lambda L, m: m.gather(1, L.tensor([[0.0]])),
    "gather_ndim": lambda L, m: m.gather(1, L.tensor([0])),
    "gather_oob": lambda L, m: m.gather(1, L.tensor(IDX + 2)),
    "gather_neg": lambda L, m: m.gather(1, L.tensor(-IDX)),
    "gather_size": lambda L, m: m.gather(1, L.zeros(4, 2, dtype=L.long)),
    "gather_dim": lambda L, m: m.gather(2, L.tensor(IDX)),
    "scatter_dtype": lambda L, m: m.scatter(1, L.tensor([[0.0]]), 1.0),
    "scatter_src_dtype": lambda L, m: m.scatter(1, L.tensor(IDX), m.float()),
    "scatter_size": lambda L, m: m.scatter(1, L.tensor(IDX), m[:2, :2]),
    "scatter_oob": lambda L, m: m.scatter(1, L.tensor(IDX + 2), 1.0),
    "scatter_ndim": lambda L, m: m.scatter(1, L.tensor([0]), 1.0),
    "scatter_add_size": lambda L, m: m.scatter_add(1, L.tensor(IDX), m[:2, :1]),
    "index_select_dtype": lambda L, m: m.index_select(0, L.tensor([0.0])),
    "index_select_vector": lambda L, m: m.index_select(0, L.tensor([[0]])),
    "index_select_oob": lambda L, m: m.index_select(0, L.tensor([5])),
    "index_select_neg": lambda L, m: m.index_select(0, L.tensor([-1])),
    "masked_fill_float_mask": lambda L, m: m.masked_fill(m, 0.0),
    "masked_fill_long_mask": lambda L, m: m.masked_fill(m.long(), 0.0),
    "masked_fill_shape": lambda L, m: m.masked_fill(L.ones(2, dtype=L.bool), 0.0),
    "masked_fill_value_dims": lambda L, m: m.masked_fill(m > 0, L.ones(2)),
    "masked_fill_inplace_bigger": lambda L, m: m.masked_fill_(L.ones(2, 3, 4, dtype=L.bool), 0.0),
}


@pytest.mark.parametrize("name", sorted(INDEX_OP_ERRORS))
def test_index_op_errors_match_torch(torch, name):
    fn = INDEX_OP_ERRORS[name]
    same_error(lambda: fn(lt, lt.tensor(M)), lambda: fn(torch, torch.tensor(M)))


# --- gradcheck (float64) ----------------------------------------------------------------------

def _x(shape=(3, 4, 5)):
    return lt.tensor(RNG.standard_normal(shape), dtype=lt.float64, requires_grad=True)


GRADCHECKS = {
    "select_slice": (lambda x: x[1, ::2], (3, 4, 5)),
    "none_ellipsis": (lambda x: x[None, ..., 2], (3, 4, 5)),
    "adv_repeat": (lambda x: x[[0, 0, 2], 1:], (3, 4, 5)),
    "adv_apart": (lambda x: x[[0, 1], :, [1, 1]], (3, 4, 5)),
    "mask": (lambda x: x[lt.tensor(A > 0)], (3, 4, 5)),
    "gather": (lambda x: x.gather(1, lt.tensor(IDX)), (3, 4)),
    "index_select": (lambda x: x.index_select(1, lt.tensor([3, 3, 0])), (3, 4)),
    "masked_fill": (lambda x: x.masked_fill(lt.tensor(M > 0), 1.0), (3, 4)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck_reading_ops(name):
    fn, shape = GRADCHECKS[name]
    assert gradcheck(fn, (_x(shape),))


def test_gradcheck_writing_ops():
    x, v, s = _x((3, 4)), _x((2, 4)), _x((3, 2))
    idx = lt.tensor([[0, 1], [3, 2], [2, 0]])

    def put(x, v):
        y = x * 1
        y[[2, 0]] = v
        return y

    def put_view(x, v):
        y = x * 1
        z = y.t()
        z[1:3] = v[:, :3]
        return y

    assert gradcheck(put, (x, v))
    assert gradcheck(put_view, (x, v))
    assert gradcheck(lambda x, s: x.scatter(1, idx, s), (x, s))
    assert gradcheck(lambda x, s: x.scatter_add(1, idx, s), (x, s))
    assert gradcheck(lambda x, v: x.masked_fill(lt.tensor(M > 0), v.sum()), (x, v))


# --- random slices against NumPy (hypothesis) ---------------------------------------------------

@st.composite
def basic_keys(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    key = []
    for n in shape:
        kind = draw(st.sampled_from(["int", "slice", "none", "list"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            key.append(slice(draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))),
                             draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))),
                             draw(st.one_of(st.none(), st.integers(1, 3)))))
        elif kind == "none":
            key.extend([None, slice(None)])
        else:
            key.append(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3)))
    lists = [k for k in key if isinstance(k, list)]
    if len(lists) > 1:  # keep to one index list: NumPy and PyTorch order dims differently for ints + lists
        key = [k if not isinstance(k, list) or k is lists[0] else slice(None) for k in key]
    if lists and any(isinstance(k, int) for k in key):
        key = [slice(None) if isinstance(k, int) else k for k in key]
    return tuple(shape), tuple(key)


@settings(max_examples=25, deadline=None)
@given(basic_keys())
def test_random_keys_match_numpy(case):
    shape, key = case
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    for device in ("cpu", "cuda") if lt.cuda.is_available() else ("cpu",):
        x = lt.tensor(a, device=device, requires_grad=True)
        y = x[key]
        np.testing.assert_array_equal(to_numpy(y), a[key])
        y.sum().backward()
        want = np.zeros_like(a)
        np.add.at(want, key, 1.0)
        np.testing.assert_array_equal(to_numpy(x.grad), want)
