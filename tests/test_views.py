"""Views (视图): memory sharing with the base, shared version counters, strides and contiguity
as PyTorch reports them, and the in-place rules for views."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import learntorch as lt
from parity import assert_same, same_error, to_numpy

VIEW_MAKERS = {
    "view": lambda x: x.view(-1),
    "reshape": lambda x: x.reshape(4, 3),
    "transpose": lambda x: x.t(),
    "permute": lambda x: x.permute(1, 0),
    "select": lambda x: x[1],
    "slice_step": lambda x: x[:, ::2],
    "narrow": lambda x: x.narrow(1, 1, 2),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x.unsqueeze(1).squeeze(1),
    "split": lambda x: x.split(1)[1],
    "unbind": lambda x: x.unbind(1)[2],
    "chain": lambda x: x.t()[1:][:, 0],
    "alias": lambda x: x[...],
}


@pytest.mark.parametrize("name", sorted(VIEW_MAKERS))
def test_writing_through_a_view_changes_the_base(device, name):
    """Views share memory on both devices (array-api-strict's views are NumPy views underneath)."""
    x = lt.arange(1.0, 13.0, device=device).reshape(3, 4)
    v = VIEW_MAKERS[name](x)
    assert v._base is x._base or v._base is x
    before = x._version
    flat_v = v.reshape(-1) if v.ndim != 1 else v
    first = to_numpy(flat_v)[0] if v.ndim else to_numpy(v).item()
    v.mul_(0.0) if name in ("split", "unbind") else v.__setitem__(Ellipsis, -1.0)
    value = 0.0 if name in ("split", "unbind") else -1.0
    x_np = to_numpy(x)
    assert (x_np == value).sum() == v.numel() and first not in x_np
    assert x._version == v._version == before + 1


def test_base_changes_show_in_the_view(torch, device):
    x = lt.zeros(3, 4, device=device)
    v = x.t()[2]
    x[1, 2] = 7.0
    x.add_(1.0)
    assert to_numpy(v).tolist() == [1.0, 8.0, 1.0]
    assert v._version == x._version == 2


def test_reshape_copies_only_when_it_must(device):
    x = lt.arange(6.0, device=device).reshape(2, 3)
    assert x.reshape(3, 2)._base is x._base
    y = x.t().reshape(-1)  # not viewable: a copy
    assert y._base is None
    y[0] = 100.0
    assert to_numpy(x)[0, 0] == 0.0


def test_contiguous_and_clone(torch, device):
    xt, xl = torch.arange(6.0).reshape(2, 3).t(), lt.arange(6.0, device=device).reshape(2, 3).t()
    assert xl.contiguous().stride() == xt.contiguous().stride() == (2, 1)
    assert xl.clone().stride() == xt.clone().stride()  # clone keeps the layout (preserve_format)
    c = lt.arange(3.0, device=device)
    assert c.contiguous() is c


STRIDE_CASES = {
    "transposed": lambda L, x: x.transpose(0, 2),
    "sliced": lambda L, x: x[:, 1:],
    "stepped": lambda L, x: x[::2, :, 1::2],
    "expanded": lambda L, x: x[:, :1].expand(2, 3, 4),
    "expand_new": lambda L, x: x[0].expand(5, 3, 4),
    "row_of_transposed": lambda L, x: x.transpose(0, 1)[1],
    "col": lambda L, x: x[:, :, 2],
    "size1_dims": lambda L, x: x[:1, :, :1],
    "view_of_size1": lambda L, x: x[:, 0:1].view(2, 1, 1, 4),
    "permute_slice_view": lambda L, x: x.permute(2, 0, 1)[:, :, 0:1].reshape(4, 2),
    "unsqueeze_middle": lambda L, x: x.unsqueeze(1),
    "empty": lambda L, x: x[:, 3:],
}


@pytest.mark.parametrize("name", sorted(STRIDE_CASES))
def test_strides_and_contiguity_match_torch(torch, device, name):
    a = np.arange(24.0).reshape(2, 3, 4)
    yt = STRIDE_CASES[name](torch, torch.tensor(a))
    yl = STRIDE_CASES[name](lt, lt.tensor(a, device=device))
    assert_same(yl, yt)
    assert yl.is_contiguous() == yt.is_contiguous()
    assert [s for s, n in zip(yl.stride(), yl.shape) if n > 1] == \
        [s for s, n in zip(yt.stride(), yt.shape) if n > 1]


def test_view_of_noncontiguous_errors_and_reshape_works(torch, device):
    xt, xl = torch.zeros(2, 3).t(), lt.zeros(2, 3, device=device).t()
    same_error(lambda: xl.view(-1), lambda: xt.view(-1))
    assert xl.view(3, 2).shape == (3, 2)        # same shape: a view is fine
    assert tuple(xl.reshape(-1).shape) == (6,)
    same_error(lambda: xl.view(4), lambda: xt.view(4))


@pytest.mark.parametrize("make", [lambda x: x[0], lambda x: x.view(-1), lambda x: x.t(), lambda x: x[:, 1:]])
def test_inplace_on_view_of_leaf_errors(torch, make):
    xt, xl = torch.zeros(2, 3, requires_grad=True), lt.zeros(2, 3, requires_grad=True)
    same_error(lambda: make(xl).add_(1.0), lambda: make(xt).add_(1.0))
    same_error(lambda: make(xl).__setitem__(0, 1.0), lambda: make(xt).__setitem__(0, 1.0))
    with lt.no_grad():
        make(xl).add_(1.0)
    assert to_numpy(xl.detach()).sum() > 0


def test_writing_into_expanded_tensor_errors(torch, device):
    xt, xl = torch.zeros(3, 1).expand(3, 4), lt.zeros(3, 1, device=device).expand(3, 4)
    same_error(lambda: xl.__setitem__(0, 1.0), lambda: xt.__setitem__(0, 1.0))  # one row: 4 alias 1 element
    same_error(lambda: xl.mul_(2.0), lambda: xt.mul_(2.0))


def test_view_graph_and_gradient_of_base(torch, device):
    """y = (x*2).view(-1); y[0] = 0 changes the base's history too (CopySlices)."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, **kw)
        b = x * 2
        y = b.view(-1)
        y[0] = 0.0
        (b * L.tensor([[1.0, 2.0], [3.0, 4.0]], **kw)).sum().backward()
        res[L] = (x.grad, b.grad_fn.name().replace("torch::autograd::", ""), y.grad_fn.name())
    assert_same(res[lt][0], res[torch][0])
    assert res[lt][1:] == res[torch][1:]


def test_inplace_op_on_view_updates_base_history(torch, device):
    """v = b[0]; v.mul_(3) (any in-place op, not only setitem): the base gets CopySlices."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        leaf = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, **kw)
        b = leaf * 2
        v = b.t()[0]
        v.mul_(3)
        b.t().sigmoid_()
        (b.sum() + v.sum()).backward()
        res[L] = (leaf.grad, b.detach())
    assert_same(res[lt], res[torch])


def test_views_follow_later_inplace_changes_of_their_base(torch, device):
    """v = b[0]; b.mul_(3); b[1] = 0: a gradient through v reaches b's new history."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        leaf = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, **kw)
        b = leaf * 2
        v = b[0]
        b.mul_(3)
        b[1] = 0.0
        v.sum().backward()
        res[L] = (leaf.grad, v.grad_fn.name())
    assert_same(res[lt][0], res[torch][0])
    assert res[lt][1] == res[torch][1] == "AsStridedBackward0"


# --- random chains of view ops against torch (hypothesis) --------------------------------------

VIEW_STEPS = st.sampled_from(["t01", "slice", "step", "select", "unsqueeze", "squeeze", "flatten", "permute", "view"])


def _apply(L, x, step):
    if x.ndim >= 2 and step == "t01":
        return x.transpose(0, 1)
    if x.ndim >= 1 and step == "slice" and x.shape[0] > 1:
        return x[1:]
    if x.ndim >= 1 and step == "step":
        return x[::2]
    if x.ndim >= 2 and step == "select":
        return x[:, 0]
    if step == "unsqueeze":
        return x.unsqueeze(x.ndim // 2)
    if step == "squeeze":
        return x.squeeze()
    if step == "flatten":
        return x.flatten()
    if step == "permute" and x.ndim >= 1:
        return x.permute(*reversed(range(x.ndim)))
    if step == "view" and x.is_contiguous():
        return x.view(-1, 1)
    return x


@settings(max_examples=25, deadline=None)
@given(st.lists(VIEW_STEPS, min_size=1, max_size=5))
def test_random_view_chains_match_torch(steps):
    import torch
    a = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4)
    xt, xl = torch.tensor(a), lt.tensor(a)
    for s in steps:
        xt, xl = _apply(torch, xt, s), _apply(lt, xl, s)
        assert_same(xl, xt)
        assert xl.is_contiguous() == xt.is_contiguous(), steps
        assert [st_ for st_, n in zip(xl.stride(), xl.shape) if n > 1] == \
            [st_ for st_, n in zip(xt.stride(), xt.shape) if n > 1], steps
        assert (xl._base is not None) == (xt._base is not None)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_of_transposed_tensors_is_row_major_like_torch(torch, device, dim):
    """NumPy's concatenate keeps its inputs' column-major layout; PyTorch's cat returns a
    row-major result, so ``.view(-1)`` works on it: learntorch must too."""
    a = np.arange(12.0).reshape(3, 4)
    lx, tx = lt.tensor(a, device=device).t(), torch.tensor(a).t()
    lc, tc = lt.cat([lx, lx * 2], dim), torch.cat([tx, tx * 2], dim)
    assert lc.stride() == tc.stride() and lc.is_contiguous() and tc.is_contiguous()
    assert_same(lc.view(-1), tc.view(-1))
    lh, th = lt.hstack([lx, lx]), torch.hstack([tx, tx])
    assert lh.stride() == th.stride()
