"""More shape and indexing functions against real PyTorch: roll, tile, repeat_interleave, rot90,
fliplr/flipud, meshgrid, atleast_nd, column/row/dstack, cartesian_prod, combinations, tensor_split,
h/v/dsplit, nonzero, argwhere, masked_select, take, take_along_dim, put, index_add/copy/fill,
masked_scatter: values, dtypes, node names, views, gradients, errors; gradcheck in float64."""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

RNG = np.random.default_rng(4)
X = RNG.standard_normal((3, 4))           # distinct values: no ties anywhere
Y = RNG.standard_normal((2, 3, 4))
V = RNG.standard_normal(4)
MASK = X > 0
ORDER = np.argsort(X, axis=1)             # what x.argsort(dim=1) gives (take_along_dim's typical input)


def names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [o.grad_fn.name() if o.grad_fn is not None else None for o in outs]


def idx(x, L, a, dtype="int64"):
    """An index tensor on ``x``'s device."""
    return x.new_tensor(a, dtype=getattr(L, dtype))


def mask(x, L, a):
    return x.new_tensor(a, dtype=L.bool)


# name -> (function of (library, input), input array); "_nc" entries get a transposed (non-contiguous) input
OPS = {
    "roll": (lambda L, x: L.roll(x, 1), X),
    "roll_dim": (lambda L, x: x.roll(-5, 0), X),
    "roll_dims": (lambda L, x: L.roll(x, (1, -2), (0, -1)), X),
    "roll_nc": (lambda L, x: x.t().roll(2, dims=1), X),
    "tile": (lambda L, x: L.tile(x, (2,)), X),
    "tile_more": (lambda L, x: x.tile((2, 1, 3)), X),
    "repeat_interleave": (lambda L, x: L.repeat_interleave(x, 2), X),
    "repeat_interleave_dim": (lambda L, x: x.repeat_interleave(3, dim=-1), X),
    "repeat_interleave_tensor": (lambda L, x: L.repeat_interleave(x, idx(x, L, [1, 0, 2]), dim=0), X),
    "repeat_interleave_nc": (lambda L, x: x.t().repeat_interleave(2, 1), X),
    "rot90": (lambda L, x: L.rot90(x), X),
    "rot90_k2": (lambda L, x: x.rot90(2), X),
    "rot90_k3": (lambda L, x: L.rot90(x, -1, [1, 0]), X),
    "rot90_k0": (lambda L, x: L.rot90(x, 4), X),
    "rot90_3d": (lambda L, x: L.rot90(x, 1, (-1, 0)), Y),
    "fliplr": (lambda L, x: L.fliplr(x), X),
    "flipud_nc": (lambda L, x: x.t().flipud(), X),
    "meshgrid_ij": (lambda L, x: L.meshgrid(x[0], x[1, :3], indexing="ij"), X),
    "meshgrid_xy": (lambda L, x: L.meshgrid([x[0], x[1, :3], x[2, :2]], indexing="xy"), X),
    "atleast_1d": (lambda L, x: L.atleast_1d(x.sum()), X),
    "atleast_2d": (lambda L, x: L.atleast_2d(x[0], x.sum()), X),
    "atleast_3d": (lambda L, x: L.atleast_3d([x, x[0], x.sum()]), X),
    "column_stack": (lambda L, x: L.column_stack([x[0], x.t(), x[1]]), X[:, :3]),
    "row_stack": (lambda L, x: L.row_stack([x[0], x]), X),
    "dstack": (lambda L, x: L.dstack([x, x * 2]), X),
    "dstack_1d": (lambda L, x: L.dstack((x[0], x[1])), X),
    "cartesian_prod": (lambda L, x: L.cartesian_prod(x[0, :2], x[1], x[2, :3]), X),
    "combinations": (lambda L, x: L.combinations(x[0]), X),
    "combinations_r3_repl": (lambda L, x: L.combinations(x[1], 3, with_replacement=True), X),
    "tensor_split": (lambda L, x: L.tensor_split(x, 3, dim=-1), X),
    "tensor_split_indices": (lambda L, x: x.tensor_split([1, -1, 9], 1), X),
    "tensor_split_tensor": (lambda L, x: L.tensor_split(x, idx(x, L, 2)), X),
    "tensor_split_nc": (lambda L, x: x.t().tensor_split(idx(x, L, [1, 3]), dim=0), X),
    "hsplit": (lambda L, x: L.hsplit(x, 2), X),
    "hsplit_1d": (lambda L, x: x[0].hsplit([1, 3]), X),
    "vsplit": (lambda L, x: x.vsplit(3), X),
    "dsplit": (lambda L, x: L.dsplit(x, [1]), Y),
    "masked_select": (lambda L, x: L.masked_select(x, mask(x, L, MASK)), X),
    "masked_select_bcast": (lambda L, x: x.masked_select(mask(x, L, MASK[None])), X[0]),
    "masked_select_nc": (lambda L, x: L.masked_select(x.t(), mask(x, L, MASK.T)), X),
    "take": (lambda L, x: L.take(x, idx(x, L, [[0, -1], [5, 5]])), X),
    "take_nc": (lambda L, x: x.t().take(idx(x, L, [1, 2, -3])), X),
    "take_along_dim": (lambda L, x: L.take_along_dim(x, idx(x, L, ORDER), dim=1), X),
    "take_along_dim_bcast": (lambda L, x: x.take_along_dim(idx(x, L, [[[2], [-1]]]), -2), Y),
    "take_along_dim_none": (lambda L, x: L.take_along_dim(x, idx(x, L, [[3, 0], [11, 7]])), X),
    "put": (lambda L, x: L.put(x, idx(x, L, [1, -1, 4]), x[0, :3] * 10), X),
    "put_acc": (lambda L, x: x.put(idx(x, L, [[1, 1], [2, 0]]), x[1] * 10, accumulate=True), X),
    "index_add": (lambda L, x: L.index_add(x, 0, idx(x, L, [2, 0, 2]), x * 3), X),
    "index_add_alpha": (lambda L, x: x.index_add(-1, idx(x, L, [1, 3], "int32"), x[:, :, :2], alpha=-2), Y),
    "index_copy": (lambda L, x: L.index_copy(x, 1, idx(x, L, [3, 0]), x[:, 1:3] * 2), X),
    "index_copy_nc": (lambda L, x: x.t().index_copy(0, idx(x, L, [1]), x[:1, :3]), X),
    "index_fill": (lambda L, x: L.index_fill(x, 1, idx(x, L, [0, -1]), -1.5), X),
    "index_fill_tensor": (lambda L, x: x.index_fill(0, idx(x, L, [1]), x[0, 0] * 3), X),
    "masked_scatter": (lambda L, x: L.masked_scatter(x, mask(x, L, MASK), x.flip(0) * 2), X),
    "masked_scatter_bcast": (lambda L, x: x.masked_scatter(mask(x, L, MASK[:1]), x * 5), X),
}


# torch's roll keeps a transposed input's memory layout (its result is transposed too); learntorch's
# roll returns a row-major copy.  learntorch's cat (under column_stack) keeps NumPy's column-major
# layout when its inputs are transposed, where torch's is row-major.  Values, grads and views are
# compared for these, not strides.
SAME_LAYOUT = set(OPS) - {"roll_nc", "column_stack"}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_torch(torch, device, name, dtype):
    fn, a = OPS[name]
    xt = torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True)
    xl = lt.tensor(a, dtype=getattr(lt, dtype), device=device, requires_grad=True)
    yt = fn(torch, xt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # nothing warns when the arguments are complete
        yl = fn(lt, xl)
    outs_t = yt if isinstance(yt, tuple) else (yt,)
    outs_l = yl if isinstance(yl, tuple) else (yl,)
    assert isinstance(yl, tuple) == isinstance(yt, tuple) and len(outs_l) == len(outs_t)
    for ol, ot in zip(outs_l, outs_t):
        assert_same(ol.cpu(), ot)
        assert ol.device.type == device
        assert (ol._base is not None) == (ot._base is not None)   # views where torch makes views
        if name not in SAME_LAYOUT:
            continue
        assert [s for s, n in zip(ol.stride(), ol.shape) if n > 1] == \
            [s for s, n in zip(ot.stride(), ot.shape) if n > 1], (ol.stride(), ot.stride())
    assert names(yl) == names(yt)
    tt_loss = lt_loss = 0
    for ol, ot in zip(outs_l, outs_t):
        w = RNG.standard_normal(tuple(ot.shape))
        tt_loss = tt_loss + (ot * torch.tensor(w, dtype=ot.dtype)).sum()
        lt_loss = lt_loss + (ol * lt.tensor(w, dtype=ol.dtype, device=device)).sum()
    tt_loss.backward()
    lt_loss.backward()
    assert_same(xl.grad.cpu(), xt.grad)


GRADCHECK = {
    "roll": lambda x: x.roll((1, 2), (0, 1)),
    "roll_flat": lambda x: lt.roll(x, 5),
    "tile": lambda x: x.tile((2, 1)),
    "repeat_interleave": lambda x: x.repeat_interleave(2, dim=1),
    "repeat_interleave_tensor": lambda x: x.repeat_interleave(lt.tensor([2, 0, 1]), dim=0),
    "rot90": lambda x: x.rot90(1),
    "rot90_k3": lambda x: x.rot90(3),
    "fliplr": lambda x: lt.fliplr(x),
    "meshgrid": lambda x: lt.meshgrid(x[0], x[1], indexing="xy")[0] * lt.meshgrid(x[0], x[1], indexing="xy")[1],
    "dstack": lambda x: lt.dstack([x, x * x]),
    "column_stack": lambda x: lt.column_stack([x[0], x.t()[:4, :1]]),
    "cartesian_prod": lambda x: lt.cartesian_prod(x[0], x[1]).prod(1),
    "combinations": lambda x: lt.combinations(x[2], 2).prod(1),
    "tensor_split": lambda x: lt.tensor_split(x, 3, 1)[1] * 2,
    "masked_select": lambda x: lt.masked_select(x, lt.tensor(MASK)),
    "take": lambda x: lt.take(x, lt.tensor([0, 0, -1])),
    "take_along_dim": lambda x: lt.take_along_dim(x, lt.tensor([[1], [0], [3]]), 1),
    "put": lambda x: x.put(lt.tensor([1, 2]), x[2, :2] * x[2, :2]),
    "put_acc": lambda x: x.put(lt.tensor([1, 1]), x[2, :2] * x[2, :2], accumulate=True),
    "index_add": lambda x: x.index_add(0, lt.tensor([0, 0]), x[1:] * x[1:], alpha=0.5),
    "index_copy": lambda x: x.index_copy(1, lt.tensor([2]), x[:, :1] * x[:, :1]),
    "index_fill": lambda x: x.index_fill(0, lt.tensor([1]), x[0, 0] * 2),
    "masked_scatter": lambda x: x.masked_scatter(lt.tensor(MASK), x.flip(1) * x.flip(1)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    x = lt.tensor(X, dtype=lt.float64, requires_grad=True)
    assert gradcheck(GRADCHECK[name], (x,))


def test_create_graph_second_derivative(torch, device):
    """Backward formulas are made of differentiable ops, so second derivatives match torch."""
    def f(L, x):
        y = L.roll(x, 1, 0).rot90() * L.take_along_dim(x, x.new_tensor(np.argsort(X, 0), dtype=L.long), 0).t()
        return (L.masked_select(y, y > -1) ** 3).sum()
    xt = torch.tensor(X, requires_grad=True)
    xl = lt.tensor(X, device=device, requires_grad=True)
    for L, x in ((torch, xt), (lt, xl)):
        g, = L.autograd.grad(f(L, x), x, create_graph=True)
        g.sum().backward()
    assert_same(xl.grad.cpu(), xt.grad)


@pytest.mark.parametrize("name", ["nonzero", "nonzero_0d", "nonzero_0d_zero", "nonzero_tuple", "argwhere",
                                  "nonzero_int"])
def test_nonzero(torch, device, name):
    fns = {
        "nonzero": lambda L: L.nonzero(L.tensor(X > 0.2)),
        "nonzero_0d": lambda L: L.tensor(5.0).nonzero(),
        "nonzero_0d_zero": lambda L: L.nonzero(L.tensor(0.0)),
        "nonzero_tuple": lambda L: L.nonzero(L.tensor(Y).gt(0).transpose(0, 2), as_tuple=True),
        "argwhere": lambda L: L.tensor(Y).gt(0.5).argwhere(),
        "nonzero_int": lambda L: L.nonzero(L.tensor([[0, 3, 0], [-1, 0, 2]])),
    }
    yt, yl = fns[name](torch), _on(device, fns[name])
    assert isinstance(yl, tuple) == isinstance(yt, tuple)
    assert_same([o.cpu() for o in yl] if isinstance(yl, tuple) else yl.cpu(), yt)
    if not isinstance(yt, tuple) and yt.numel():
        assert yl.stride() == yt.stride()        # PyTorch's column-major (n, ndim) layout


def _on(device, fn):
    """Run ``fn(lt)`` with ``lt.tensor`` making tensors on ``device``."""
    class L:
        def __getattr__(self, name):
            attr = getattr(lt, name)
            return (lambda *a, **k: attr(*a, device=device, **k)) if name in FACTORIES else attr
    return fn(L())


FACTORIES = {"tensor", "arange", "zeros", "ones"}

EDGES = {   # small and empty cases: values, dtypes and shapes as torch
    "repeat_interleave_int": lambda L: L.repeat_interleave(L.arange(6).reshape(2, 3), 2, dim=0),
    "repeat_interleave_0d": lambda L: L.repeat_interleave(L.tensor(2.0), 3),
    "repeat_interleave_one_count": lambda L: L.repeat_interleave(L.ones(3, 4), L.tensor([2]), dim=1),
    "repeat_interleave_0d_count": lambda L: L.arange(4.0).repeat_interleave(L.tensor(2)),
    "repeat_interleave_zero": lambda L: L.repeat_interleave(L.ones(3, 4), 0, dim=1),
    "meshgrid_0d": lambda L: L.meshgrid(L.tensor(1.0), L.arange(4.0), indexing="xy"),
    "meshgrid_one": lambda L: L.meshgrid(L.arange(3.0), indexing="xy"),
    "atleast_2d_tuple": lambda L: L.atleast_2d((L.arange(3.0), L.ones(2, 2))),
    "roll_0d": lambda L: L.roll(L.tensor(3.0), 2),
    "roll_empty": lambda L: L.roll(L.ones(0, 3), 1, 0),
    "index_add_0d": lambda L: L.index_add(L.tensor(1.0), 0, L.tensor([0]), L.tensor(5.0)),
    "index_fill_0d": lambda L: L.index_fill(L.tensor(1.0), 0, L.tensor([0]), 5.0),
    "masked_select_none": lambda L: L.masked_select(L.ones(3, 4), L.zeros(3, 4) > 1),
    "take_empty": lambda L: L.take(L.ones(3, 4), L.tensor([], dtype=L.long)),
    "nonzero_empty": lambda L: L.nonzero(L.ones(0, 3)),
    "tensor_split_more_than_size": lambda L: L.tensor_split(L.arange(3), 5),
    "combinations_empty": lambda L: L.combinations(L.tensor([])),
    "cartesian_prod_empty": lambda L: L.cartesian_prod(L.tensor([]), L.arange(2.0)),
    "tile_0d": lambda L: L.tile(L.tensor(2.0), (2, 2)),
    "rot90_int": lambda L: L.rot90(L.arange(6).reshape(2, 3), 1),
    "masked_scatter_int": lambda L: L.masked_scatter(L.zeros(2, 2, dtype=L.long),
                                                     L.tensor([[True, False], [False, True]]), L.tensor([7, 8, 9])),
    "put_int_accumulate": lambda L: L.zeros(5, dtype=L.long).put(L.tensor([1, 1]), L.tensor([3, 4]), accumulate=True),
    "index_fill_int_truncates": lambda L: L.index_fill(L.zeros(2, 2, dtype=L.long), 0, L.tensor([1]), 2.7),
    "index_fill_bool": lambda L: L.index_fill(L.zeros(2, 2, dtype=L.bool), 0, L.tensor([1]), True),
    "index_add_int_alpha": lambda L: L.index_add(L.zeros(3, dtype=L.long), 0, L.tensor([0]), L.tensor([2]), alpha=3),
    "take_along_dim_negative": lambda L: L.take_along_dim(L.arange(12.0).reshape(3, 4),
                                                          L.tensor([[-1], [0], [-4]]), -1),
    "column_stack_0d": lambda L: L.column_stack([L.tensor(1.0), L.tensor(2.0)]),
    "dstack_0d": lambda L: L.dstack([L.tensor(1.0), L.tensor(2.0)]),
    "argwhere_bool": lambda L: L.argwhere(L.tensor([True, False, True])),
}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_cases(torch, device, name):
    yt, yl = EDGES[name](torch), _on(device, EDGES[name])
    assert isinstance(yl, tuple) == isinstance(yt, tuple)
    assert_same([o.cpu() for o in yl] if isinstance(yl, tuple) else yl.cpu(), yt)


def test_nonzero_matches_mask_indexing(device):
    x = lt.tensor(Y, device=device)
    rows = (x > 0).nonzero()
    assert rows.dtype is lt.int64
    assert lt.equal(x[tuple(rows.t())], x[x > 0])
    assert lt.equal(x.masked_select(x > 0), x[x > 0])


def test_repeat_interleave_counts_only(torch, device):
    assert_same(lt.repeat_interleave(lt.tensor([1, 0, 3], device=device)).cpu(),
                torch.repeat_interleave(torch.tensor([1, 0, 3])))
    assert_same(lt.tensor([[1, 2], [3, 4]], device=device).repeat_interleave(2).cpu(),
                torch.tensor([[1, 2], [3, 4]]).repeat_interleave(2))


def test_combinations_edge_cases(torch):
    for args in ((0,), (5,), (1,), (2, True)):
        assert_same(lt.combinations(lt.arange(4.0), *args), torch.combinations(torch.arange(4.0), *args))
    assert_same(lt.cartesian_prod(lt.arange(3)), torch.cartesian_prod(torch.arange(3)))


def test_meshgrid_warns_without_indexing(torch):
    with pytest.warns(UserWarning) as ours:
        gl = lt.meshgrid(lt.arange(3), lt.arange(2))
    with pytest.warns(UserWarning) as theirs:
        gt = torch.meshgrid(torch.arange(3), torch.arange(2))
    assert str(theirs[0].message).startswith(str(ours[0].message))
    assert_same(gl, gt)                           # 'ij' is the default


def test_views_share_memory_and_version(device):
    x = lt.arange(12.0, device=device).reshape(3, 4)
    a, b = x.tensor_split(2, dim=1)
    g0, g1 = lt.meshgrid(x[0], x[:, 0], indexing="xy")
    v = x._vc[0]
    b[0, 0] = 100.0                                     # writes through the view
    assert x[0, 2].item() == 100.0 and g0[2, 2].item() == 100.0 and x._vc[0] == v + 1
    assert a._vc is x._vc and g1._vc is x._vc
    r = x.roll(1)                                       # a copy: unchanged by later writes
    x[0, 0] = -1.0
    assert r[0, 1].item() == 0.0 and r._base is None
    assert lt.atleast_2d(x) is x


def test_write_into_split_view_keeps_gradient(torch, device):
    grads = []
    for L, x in ((torch, torch.tensor(X, requires_grad=True)), (lt, lt.tensor(X, device=device, requires_grad=True))):
        y = x * 1
        part = L.hsplit(y, 2)[1]
        part.mul_(3)                                      # in place through a tensor_split view
        (y * y).sum().backward()
        grads.append(x.grad)
    assert_same(grads[1].cpu(), grads[0])


@pytest.mark.parametrize("name", ["index_add_", "index_copy_", "index_fill_", "masked_scatter_", "put_"])
def test_inplace_variants(torch, device, name):
    args = {
        "index_add_": lambda L: (0, L.tensor([2, 0]), L.ones(2, 4)),
        "index_copy_": lambda L: (1, L.tensor([3, 1]), L.ones(3, 2)),
        "index_fill_": lambda L: (1, L.tensor([0]), 7.0),
        "masked_scatter_": lambda L: (L.tensor(MASK), L.arange(12.0)),
        "put_": lambda L: (L.tensor([0, -2]), L.tensor([5.0, 6.0])),
    }[name]
    xt = torch.tensor(X, dtype=torch.float32)
    xl = lt.tensor(X, dtype=lt.float32, device=device)
    argl = tuple(a.to(device) if isinstance(a, lt.Tensor) else a for a in args(lt))
    vl, vt = xl._vc[0], xt._version
    rl, rt = getattr(xl, name)(*argl), getattr(xt, name)(*args(torch))
    assert rl is xl and rt is xt
    assert_same(xl.cpu(), xt)
    assert xl._vc[0] - vl == xt._version - vt == 1
    # on a non-leaf in the graph the gradient flows as in torch
    gt = torch.tensor(X, requires_grad=True)
    gl = lt.tensor(X, device=device, requires_grad=True)
    getattr(gt * 2, name)(*(a.double() if hasattr(a, "double") and a.is_floating_point() else a
                            for a in args(torch))).pow(2).sum().backward()
    getattr(gl * 2, name)(*(a.double() if hasattr(a, "double") and a.is_floating_point() else a
                            for a in argl)).pow(2).sum().backward()
    assert_same(gl.grad.cpu(), gt.grad)


ERRORS = {
    "roll_align": lambda L, x: L.roll(x, (1, 2)),
    "roll_align_dims": lambda L, x: x.roll((1, 2), (0,)),
    "roll_dim": lambda L, x: x.roll(1, 2),
    "roll_0d": lambda L, x: L.roll(x.sum(), 1, 0),
    "roll_shifts": lambda L, x: L.roll(x, (), ()),
    "tile_negative": lambda L, x: x.tile((-1, 2)),
    "ri_negative": lambda L, x: x.repeat_interleave(-1),
    "ri_len": lambda L, x: L.repeat_interleave(x, L.tensor([1, 2]), dim=-1),
    "ri_2d": lambda L, x: L.repeat_interleave(x, L.tensor([[1, 2, 3]]), dim=0),
    "ri_negative_tensor": lambda L, x: L.repeat_interleave(x, L.tensor([1, -2, 3]), dim=0),
    "ri_float": lambda L, x: L.repeat_interleave(x, L.tensor([1.0, 2.0, 3.0]), dim=0),
    "ri_dim": lambda L, x: x.repeat_interleave(2, dim=2),
    "ri_counts_0d": lambda L, x: L.repeat_interleave(L.tensor(3)),
    "ri_output_size": lambda L, x: L.repeat_interleave(x, 2, output_size=5),
    "meshgrid_indexing": lambda L, x: L.meshgrid(x[0], x[1], indexing="foo"),
    "meshgrid_dtype": lambda L, x: L.meshgrid(x[0], L.arange(3), indexing="ij"),
    "meshgrid_empty": lambda L, x: L.meshgrid(indexing="ij"),
    "rot90_dims": lambda L, x: x.rot90(1, [0]),
    "rot90_same": lambda L, x: L.rot90(x, 1, [0, -2]),
    "rot90_1d": lambda L, x: L.rot90(x[0]),
    "rot90_range": lambda L, x: L.rot90(x, 1, [0, 2]),
    "fliplr_1d": lambda L, x: L.fliplr(x[0]),
    "flipud_0d": lambda L, x: x.sum().flipud(),
    "column_stack_empty": lambda L, x: L.column_stack([]),
    "dstack_empty": lambda L, x: L.dstack([]),
    "row_stack_empty": lambda L, x: L.row_stack([]),
    "hstack_empty": lambda L, x: L.hstack([]),
    "cartesian_prod_2d": lambda L, x: L.cartesian_prod(x, x[0]),
    "combinations_2d": lambda L, x: L.combinations(x),
    "combinations_negative": lambda L, x: L.combinations(x[0], -1),
    "tensor_split_zero": lambda L, x: L.tensor_split(x, 0),
    "tensor_split_0d": lambda L, x: x.sum().tensor_split(2),
    "tensor_split_float": lambda L, x: L.tensor_split(x, 2.0),
    "tensor_split_2d_tensor": lambda L, x: L.tensor_split(x, L.tensor([[1]])),
    "tensor_split_float_tensor": lambda L, x: L.tensor_split(x, L.tensor([1.0])),
    "hsplit_uneven": lambda L, x: x.hsplit(3),
    "hsplit_zero": lambda L, x: L.hsplit(x, 0),
    "hsplit_0d": lambda L, x: L.hsplit(x.sum(), 1),
    "vsplit_1d": lambda L, x: x[0].vsplit(2),
    "vsplit_uneven": lambda L, x: L.vsplit(x, 2),
    "dsplit_2d": lambda L, x: L.dsplit(x, 2),
    "masked_select_float_mask": lambda L, x: L.masked_select(x, L.ones(3, 4)),
    "masked_select_bcast": lambda L, x: L.masked_select(x, L.ones(2, 4, dtype=L.bool)),
    "take_oob": lambda L, x: L.take(x, L.tensor([12])),
    "take_oob_negative": lambda L, x: x.take(L.tensor([[0, -13]])),
    "take_float_index": lambda L, x: L.take(x, L.tensor([1.0])),
    "take_int32_index": lambda L, x: L.take(x, L.tensor([1], dtype=L.int32)),
    "tad_ndim": lambda L, x: L.take_along_dim(x, L.tensor([0, 1]), 1),
    "tad_dtype": lambda L, x: x.take_along_dim(L.tensor([[0]], dtype=L.int32), 1),
    "tad_bcast": lambda L, x: L.take_along_dim(x, L.zeros(2, 1, dtype=L.long), 1),
    "tad_none_negative": lambda L, x: L.take_along_dim(x, L.tensor([-1, 1])),
    "put_oob": lambda L, x: x.put_(L.tensor([12]), L.ones(1)),
    "put_count": lambda L, x: x.put_(L.tensor([1, 2]), L.ones(3)),
    "put_dtype": lambda L, x: L.put(x, L.tensor([1]), L.ones(1, dtype=L.float64)),
    "put_float_index": lambda L, x: x.put(L.tensor([1.0]), L.ones(1)),
    "index_add_count": lambda L, x: L.index_add(x, 0, L.tensor([0]), L.ones(2, 4)),
    "index_add_1d_source": lambda L, x: L.index_add(x, 0, L.tensor([0]), L.ones(4)),
    "index_add_shape": lambda L, x: x.index_add(0, L.tensor([0]), L.ones(1, 3)),
    "index_add_dtype": lambda L, x: x.index_add_(0, L.tensor([0]), L.ones(1, 4, dtype=L.float64)),
    "index_add_float_index": lambda L, x: L.index_add(x, 0, L.tensor([0.0]), L.ones(1, 4)),
    "index_add_oob": lambda L, x: L.index_add(x, 0, L.tensor([3]), L.ones(1, 4)),
    "index_add_negative": lambda L, x: L.index_add(x, 0, L.tensor([-1]), L.ones(1, 4)),
    "index_add_2d_index": lambda L, x: L.index_add(x, 0, L.tensor([[0]]), L.ones(1, 4)),
    "index_copy_count": lambda L, x: L.index_copy(x, 0, L.tensor([0]), L.ones(2, 4)),
    "index_copy_slice": lambda L, x: x.index_copy(0, L.tensor([0]), L.ones(1, 3)),
    "index_copy_slice_3d": lambda L, x: L.index_copy(L.ones(2, 3, 4), 0, L.tensor([0]), L.ones(1, 3, 5)),
    "index_copy_dtype": lambda L, x: x.index_copy_(0, L.tensor([0]), L.ones(1, 4, dtype=L.float64)),
    "index_copy_oob": lambda L, x: L.index_copy(x, 0, L.tensor([-1]), L.ones(1, 4)),
    "index_copy_int32": lambda L, x: L.index_copy(x, 0, L.tensor([0], dtype=L.int32), L.ones(1, 4)),
    "index_copy_2d_index": lambda L, x: L.index_copy(x, 0, L.tensor([[0]]), L.ones(1, 4)),
    "index_fill_oob": lambda L, x: x.index_fill(0, L.tensor([3]), 1.0),
    "index_fill_float_index": lambda L, x: L.index_fill(x, 0, L.tensor([0.0]), 1.0),
    "index_fill_value": lambda L, x: L.index_fill(x, 0, L.tensor([0]), L.ones(2)),
    "index_fill_2d_index": lambda L, x: x.index_fill_(0, L.tensor([[0]]), 1.0),
    "masked_scatter_float_mask": lambda L, x: L.masked_scatter(x, L.ones(3, 4), L.ones(12)),
    "masked_scatter_small": lambda L, x: x.masked_scatter(x > 0, L.ones(3)),
    "masked_scatter_dtype": lambda L, x: L.masked_scatter(x, x > 0, L.ones(12, dtype=L.float64)),
    "nonzero_requires_grad": lambda L, x: x.nonzero().requires_grad_(),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_matches_torch(torch, name):
    fn = ERRORS[name]
    same_error(lambda: fn(lt, lt.arange(12.0).reshape(3, 4)), lambda: fn(torch, torch.arange(12.0).reshape(3, 4)))


def test_error_on_cuda_too(torch):
    if not lt.cuda.is_available():
        pytest.skip("needs the (simulated) cuda device")
    x = lt.arange(12.0, device="cuda").reshape(3, 4)
    same_error(lambda: lt.take(x, lt.tensor([12], device="cuda")),
               lambda: torch.take(torch.arange(12.0).reshape(3, 4), torch.tensor([12])))
    same_error(lambda: x.index_add(0, lt.tensor([3], device="cuda"), lt.ones(1, 4, device="cuda")),
               lambda: torch.arange(12.0).reshape(3, 4).index_add(0, torch.tensor([3]), torch.ones(1, 4)))
