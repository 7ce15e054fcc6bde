"""Shape operations against real PyTorch: values, shapes, strides/contiguity, node names,
gradients and errors, on both devices; gradcheck in float64; random reshapes/permutes vs NumPy."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error, to_numpy

RNG = np.random.default_rng(1)
X = RNG.standard_normal((2, 3, 4))
M = RNG.standard_normal((3, 4))
S = RNG.standard_normal((1, 3, 1))


def names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o.grad_fn.name() if o.grad_fn is not None else None for o in outs]


# name -> (function of (library, input), input array, make the input non-contiguous first?)
OPS = {
    "view": (lambda L, x: x.view(6, 4), X),
    "view_minus1": (lambda L, x: x.view(-1), X),
    "view_infer": (lambda L, x: x.view(2, -1, 2), X),
    "view_same": (lambda L, x: x.view(2, 3, 4), X),
    "view_as": (lambda L, x: x.view_as(L.zeros(4, 6)), X),
    "reshape": (lambda L, x: x.reshape(6, 4), X),
    "reshape_copy": (lambda L, x: x.transpose(0, 1).reshape(-1), X),
    "reshape_as": (lambda L, x: L.reshape(x, (4, 6)), X),
    "contiguous_copy": (lambda L, x: x.transpose(0, 1).contiguous(), X),
    "flatten": (lambda L, x: x.flatten(), X),
    "flatten_1": (lambda L, x: L.flatten(x, 1), X),
    "flatten_noncontig": (lambda L, x: x.transpose(0, 1).flatten(), X),
    "flatten_0d": (lambda L, x: x.sum().flatten(), X),
    "unflatten": (lambda L, x: x.unflatten(2, (2, 2)), X),
    "unflatten_infer": (lambda L, x: x.unflatten(-1, (-1, 2)), X),
    "squeeze": (lambda L, x: x.squeeze(), S),
    "squeeze_dim": (lambda L, x: x.squeeze(0), S),
    "squeeze_tuple": (lambda L, x: x.squeeze((0, 2)), S),
    "squeeze_noop": (lambda L, x: L.squeeze(x, 1), S),
    "unsqueeze": (lambda L, x: x.unsqueeze(1), X),
    "unsqueeze_end": (lambda L, x: L.unsqueeze(x, -1), X),
    "transpose": (lambda L, x: x.transpose(0, 2), X),
    "transpose_same": (lambda L, x: x.transpose(1, 1), X),
    "swapaxes": (lambda L, x: L.swapaxes(x, 0, 1), X),
    "swapdims": (lambda L, x: x.swapdims(0, 1), X),
    "t": (lambda L, x: x.t(), M),
    "t_1d": (lambda L, x: L.t(x[0]), M),
    "T": (lambda L, x: x.T, M),
    "mT": (lambda L, x: x.mT, X),
    "permute": (lambda L, x: x.permute(2, 0, 1), X),
    "permute_tuple": (lambda L, x: L.permute(x, (1, 2, 0)), X),
    "movedim": (lambda L, x: x.movedim(0, 2), X),
    "movedim_tuple": (lambda L, x: L.movedim(x, (0, 1), (2, 0)), X),
    "moveaxis": (lambda L, x: L.moveaxis(x, -1, 0), X),
    "expand": (lambda L, x: x.expand(2, 3, 4), S),
    "expand_new_dims": (lambda L, x: x.expand(5, -1, 3, 2), S),
    "expand_as": (lambda L, x: x.expand_as(L.zeros(2, 3, 4)), S),
    "broadcast_to": (lambda L, x: L.broadcast_to(x, (2, 3, 4)), S),
    "broadcast_tensors": (lambda L, x: L.broadcast_tensors(x, x[0, :, 0].unsqueeze(0).unsqueeze(-1) * x.new_ones(2, 1, 4))[0], S),
    "repeat": (lambda L, x: x.repeat(2, 1, 2), S),
    "repeat_more_dims": (lambda L, x: x.repeat(2, 1, 1, 3), M),
    "cat": (lambda L, x: L.cat([x, x * 2]), X),
    "cat_dim": (lambda L, x: L.cat([x, x[:, :, :1]], dim=-1), X),
    "cat_skip_empty": (lambda L, x: L.cat([x, L.tensor([], dtype=x.dtype)]), M),
    "concat": (lambda L, x: L.concat((x, x), 1), M),
    "stack": (lambda L, x: L.stack([x, x * 2]), M),
    "stack_dim": (lambda L, x: L.stack([x, x], dim=-1), M),
    "hstack": (lambda L, x: L.hstack([x, x]), M),
    "vstack": (lambda L, x: L.vstack([x, x]), M),
    "split": (lambda L, x: x.split(2, dim=2), X),
    "split_uneven": (lambda L, x: L.split(x, 3, 2), X),
    "split_sizes": (lambda L, x: x.split([1, 3], dim=2), X),
    "split_one": (lambda L, x: x.split(4, dim=2), X),
    "chunk": (lambda L, x: x.chunk(2, dim=2), X),
    "chunk_uneven": (lambda L, x: L.chunk(x, 3, 1), M),
    "unbind": (lambda L, x: x.unbind(1), X),
    "unbind_fn": (lambda L, x: L.unbind(x), M),
    "flip": (lambda L, x: x.flip(0), X),
    "flip_dims": (lambda L, x: L.flip(x, (0, 2)), X),
    "narrow": (lambda L, x: x.narrow(2, 1, 2), X),
    "narrow_neg": (lambda L, x: L.narrow(x, -1, -3, 2), X),
    "select": (lambda L, x: x.select(1, -1), X),
    "noncontig_view_chain": (lambda L, x: x.permute(2, 0, 1)[1:, :, ::2].unsqueeze(0).squeeze(0), X),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_shape_op_matches_torch(torch, device, name, dtype):
    fn, a = OPS[name]
    xt = torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True)
    xl = lt.tensor(a, dtype=getattr(lt, dtype), device=device, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yt, yl = fn(torch, xt), fn(lt, xl)
    outs_t = yt if isinstance(yt, tuple) else (yt,)
    outs_l = yl if isinstance(yl, tuple) else (yl,)
    assert len(outs_l) == len(outs_t)
    for ol, ot in zip(outs_l, outs_t):
        assert_same(ol, ot)
        # strides of size-1 dims are arbitrary (NumPy's broadcast_to gives them 0): compare the others
        assert [s for s, n in zip(ol.stride(), ol.shape) if n > 1] == \
            [s for s, n in zip(ot.stride(), ot.shape) if n > 1], (ol.stride(), ot.stride())
        assert ol.is_contiguous() == ot.is_contiguous()
        assert (ol._base is not None) == (ot._base is not None)
    assert names(yl) == names(yt)
    lt_loss = tt_loss = 0
    for k, (ol, ot) in enumerate(zip(outs_l, outs_t)):
        if k == 1:
            continue  # leave one output out: its gradient arrives as zeros
        w = RNG.standard_normal(tuple(ot.shape))
        tt_loss = tt_loss + (ot * torch.tensor(w, dtype=ot.dtype)).sum()
        lt_loss = lt_loss + (ol * lt.tensor(w, dtype=ol.dtype, device=device)).sum()
    tt_loss.backward()
    lt_loss.backward()
    assert_same(xl.grad, xt.grad)


def test_split_outputs_share_one_node_and_memory(device):
    x = lt.arange(8.0, device=device).requires_grad_()
    a, b = (x * 1).split(4)
    assert a.grad_fn is b.grad_fn and a._base is b._base
    y = lt.arange(6.0, device=device)
    p, q = y.chunk(2)
    y[4] = 40.0
    assert q[1].item() == 40.0


def test_cat_promotes_dtypes(torch, device):
    a, b = lt.ones(2, device=device), lt.arange(2, device=device)
    assert_same(lt.cat([a, b]), torch.cat([torch.ones(2), torch.arange(2)]))
    assert_same(lt.stack([b, a]), torch.stack([torch.arange(2), torch.ones(2)]))


def test_broadcast_tensors_returns_same_object_when_shape_fits():
    a = lt.ones(2, 3)
    x, y = lt.broadcast_tensors(a, lt.ones(3))
    assert x is a and tuple(y.shape) == (2, 3) and y.stride() == (0, 1)


def test_T_warns_like_torch(torch):
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other than 2"):
        lt.zeros(2, 3, 4).T
    with pytest.warns(UserWarning, match="deprecated on 0-D tensors"):
        lt.tensor(1.0).T


ERRORS = {
    "view_size": lambda L, x: x.view(5),
    "view_two_inferred": lambda L, x: x.view(-1, -1),
    "view_noncontig": lambda L, x: x.transpose(0, 1).view(-1),
    "view_negative": lambda L, x: x.view(-2, 12),
    "view_empty_infer": lambda L, x: L.zeros(0, 3).view(-1, 0),
    "reshape_size": lambda L, x: x.reshape(7, -1),
    "squeeze_dim": lambda L, x: x.squeeze(3),
    "squeeze_dup": lambda L, x: x.squeeze((0, 0)),
    "unsqueeze_dim": lambda L, x: x.unsqueeze(4),
    "unsqueeze_neg": lambda L, x: x.unsqueeze(-5),
    "permute_len": lambda L, x: x.permute(0, 1),
    "permute_dup": lambda L, x: x.permute(0, 1, 1),
    "permute_dim": lambda L, x: x.permute(0, 1, 3),
    "transpose_dim": lambda L, x: x.transpose(0, 3),
    "t_3d": lambda L, x: x.t(),
    "mT_1d": lambda L, x: x[0, 0].mT,
    "expand_size": lambda L, x: x.expand(2, 3, 5),
    "expand_few": lambda L, x: x.expand(3, 4),
    "expand_lead_minus1": lambda L, x: x.expand(-1, 2, 3, 4),
    "broadcast_to_few": lambda L, x: L.broadcast_to(x, (3, 4)),
    "broadcast_tensors": lambda L, x: L.broadcast_tensors(x, x[:, :2]),
    "repeat_few": lambda L, x: x.repeat(2, 2),
    "repeat_negative": lambda L, x: x.repeat(2, -1, 1),
    "cat_ndim": lambda L, x: L.cat([x, x[0]]),
    "cat_sizes": lambda L, x: L.cat([x[0], x[0].t()]),
    "cat_empty": lambda L, x: L.cat([]),
    "cat_dim": lambda L, x: L.cat([x, x], dim=3),
    "cat_0d": lambda L, x: L.cat([x.sum(), x.sum()]),
    "stack_sizes": lambda L, x: L.stack([x[0], x[0].t()]),
    "stack_empty": lambda L, x: L.stack([]),
    "stack_dim": lambda L, x: L.stack([x, x], dim=4),
    "split_zero": lambda L, x: x.split(0, 2),
    "split_negative": lambda L, x: x.split(-1, 2),
    "split_sizes": lambda L, x: x.split([1, 2], 2),
    "split_0d": lambda L, x: x.sum().split(1),
    "chunk_zero": lambda L, x: x.chunk(0),
    "chunk_0d": lambda L, x: x.sum().chunk(2),
    "unbind_dim": lambda L, x: x.unbind(3),
    "unbind_0d": lambda L, x: x.sum().unbind(),
    "narrow_past_end": lambda L, x: x.narrow(2, 3, 2),
    "narrow_start": lambda L, x: x.narrow(2, 5, 0),
    "narrow_neg_start": lambda L, x: x.narrow(2, -5, 1),
    "narrow_length": lambda L, x: x.narrow(2, 0, -1),
    "narrow_0d": lambda L, x: x.sum().narrow(0, 0, 1),
    "flip_dup": lambda L, x: x.flip(0, 0),
    "flip_dim": lambda L, x: x.flip(3),
    "movedim_repeat": lambda L, x: x.movedim((0, 0), (1, 2)),
    "movedim_len": lambda L, x: x.movedim((0, 1), (1,)),
    "unflatten_sizes": lambda L, x: x.unflatten(2, (3, 2)),
    "flatten_order": lambda L, x: x.flatten(2, 1),
    "select_oob": lambda L, x: x.select(0, 5),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_shape_errors_match_torch(torch, device, name):
    fn = ERRORS[name]
    same_error(lambda: fn(lt, lt.tensor(X, device=device)), lambda: fn(torch, torch.tensor(X)))


# --- gradcheck (float64) for every differentiable shape op -----------------------------------------

GRADCHECKS = {
    "view": lambda x: x.view(4, 6),
    "reshape_copy": lambda x: x.transpose(0, 1).reshape(-1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "squeeze_unsqueeze": lambda x: x.unsqueeze(0).squeeze(0),
    "transpose": lambda x: x.transpose(0, 2),
    "t": lambda x: x[0].t(),
    "permute": lambda x: x.permute(1, 2, 0),
    "movedim": lambda x: x.movedim(0, -1),
    "expand": lambda x: x[:, :1].expand(2, 5, 4),
    "repeat": lambda x: x.repeat(1, 2, 1, 2),
    "cat": lambda x: lt.cat([x, x * 2], dim=1),
    "stack": lambda x: lt.stack([x, x.flip(0)], dim=1),
    "split": lambda x: x.split([1, 3], dim=2)[1] * 2,
    "chunk": lambda x: lt.cat(x.chunk(2, dim=2)[::-1], dim=2),
    "unbind": lambda x: x.unbind(1)[2],
    "flip": lambda x: x.flip(0, 2),
    "narrow": lambda x: x.narrow(1, 1, 2),
    "select": lambda x: x.select(2, 1),
    "T": lambda x: x[0].T,
    "mT": lambda x: x.mT,
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name):
    x = lt.tensor(X, dtype=lt.float64, requires_grad=True)
    assert gradcheck(GRADCHECKS[name], (x,))


def test_double_backward_through_views():
    x = lt.tensor(M, dtype=lt.float64, requires_grad=True)
    y = (x.t().reshape(-1)[::2] ** 2).sum()
    (g,) = lt.autograd.grad(y, x, create_graph=True)
    g.sum().backward()
    want = np.zeros(12)
    want[::2] = 2.0
    np.testing.assert_allclose(to_numpy(x.grad), want.reshape(4, 3).T)


# --- random reshapes and permutations against NumPy (hypothesis) ------------------------------------

@st.composite
def shape_and_perm(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    perm = draw(st.permutations(range(len(shape))))
    n = int(np.prod(shape))
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    first = draw(st.sampled_from(divisors))
    return tuple(shape), tuple(perm), (first, -1)


@settings(max_examples=25, deadline=None)
@given(shape_and_perm())
def test_random_permute_reshape_matches_numpy(case):
    shape, perm, new = case
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = lt.tensor(a, requires_grad=True)
    y = x.permute(*perm).reshape(*new)
    want = a.transpose(perm).reshape(new)
    np.testing.assert_array_equal(to_numpy(y), want)
    assert (y._base is not None) == np.shares_memory(want, a)  # a view exactly when NumPy can make one
    (y * lt.tensor(want)).sum().backward()
    np.testing.assert_array_equal(to_numpy(x.grad), a)
