"""Matrix products (matmul / @, mm, bmm, mv, dot, outer, addmm) against real PyTorch:
values, dtypes, gradients, graph node names and every error form."""
import itertools

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]


def _data(shape, dtype="float64", seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=shape).astype(dtype)


def compare(torch, fn, *arrays, device="cpu", grad=True, rtol=1e-5, atol=1e-5):
    """``fn(module, *tensors)`` with learntorch and with torch: same values and dtype, same gradients
    of sum(out * w) for a random w, and the same grad_fn name."""
    need = [grad and np.asarray(a).dtype.kind == "f" for a in arrays]
    ours = [lt.tensor(a, device=device, requires_grad=n) for a, n in zip(arrays, need)]
    theirs = [torch.tensor(a, requires_grad=n) for a, n in zip(arrays, need)]
    o, t = fn(lt, *ours), fn(torch, *theirs)
    assert_same(o, t, rtol, atol)
    if t.grad_fn is not None:
        assert o.grad_fn.name() == type(t.grad_fn).__name__
        w = np.random.default_rng(1).standard_normal(tuple(t.shape))
        (o * lt.tensor(w, device=device).to(o.dtype)).sum().backward()
        (t * torch.tensor(w).to(t.dtype)).sum().backward()
        for x, y, n in zip(ours, theirs, need):
            if n:
                assert_same(x.grad, y.grad, rtol, atol)
    else:
        assert o.grad_fn is None
    return o, t


# --- matmul in every shape case ---------------------------------------------------------------------

SHAPES = [
    ((3,), (3,)),                   # dot
    ((2, 3), (3,)),                 # matrix @ vector
    ((3,), (3, 4)),                 # vector @ matrix
    ((2, 3), (3, 4)),               # matrix @ matrix
    ((5, 2, 3), (5, 3, 4)),         # batched
    ((5, 2, 3), (3, 4)),            # batch @ matrix (folded into one mm)
    ((2, 3), (5, 3, 4)),            # matrix @ batch
    ((5, 2, 3), (3,)),              # batch @ vector
    ((3,), (5, 3, 4)),              # vector @ batch
    ((5, 1, 2, 3), (4, 3, 2)),      # broadcast batch dims
    ((1, 2, 3), (5, 3, 4)),         # a batch of one broadcasts
    ((5, 2, 3), (1, 3, 4)),
    ((2, 1, 2, 3), (1, 3, 4)),
    ((2, 5, 2, 3), (3,)),
    ((3,), (2, 5, 3, 4)),
    ((0, 3), (3, 4)),               # empty
    ((2, 0), (0, 4)),               # empty inner dimension: zeros
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_matmul_values_grads_and_node_names(torch, device, dtype, shapes):
    a, b = _data(shapes[0], dtype, 1), _data(shapes[1], dtype, 2)
    compare(torch, lambda m, x, y: x @ y, a, b, device=device)
    compare(torch, lambda m, x, y: m.matmul(x, y), a, b, device=device)


@pytest.mark.parametrize("shapes", SHAPES[:10], ids=str)
@pytest.mark.parametrize("which", ["a", "b"])
def test_matmul_node_names_when_one_side_needs_no_grad(torch, shapes, which):
    """PyTorch picks its kernel (and so the node name) by which inputs require grad."""
    a, b = _data(shapes[0], "float32", 1), _data(shapes[1], "float32", 2)
    ours = [lt.tensor(a, requires_grad=which == "a"), lt.tensor(b, requires_grad=which == "b")]
    theirs = [torch.tensor(a, requires_grad=which == "a"), torch.tensor(b, requires_grad=which == "b")]
    o, t = ours[0] @ ours[1], theirs[0] @ theirs[1]
    assert_same(o, t, atol=1e-5)
    assert o.grad_fn.name() == type(t.grad_fn).__name__


NON_CONTIGUOUS = [
    lambda m, x, y: x.t() @ y,                                          # transposed matrix
    lambda m, x, y: x.t() @ y[:, ::2],                                  # step slice
    lambda m, x, y: x.t().unsqueeze(0).expand(3, 4, 6) @ y.t().t(),      # expanded (stride 0) batch
    lambda m, x, y: (x.t() @ y).permute(1, 0) @ x.t()[:, :4],
    lambda m, x, y: m.mm(x[::2].t(), y[::2]),
    lambda m, x, y: m.mv(x.t(), y[:, 1]),
    lambda m, x, y: m.dot(x[:, 0], y[::1, 3]),
    lambda m, x, y: m.bmm(x.t().reshape(2, 2, 6), y.reshape(2, 6, 2)),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(NON_CONTIGUOUS)))
def test_non_contiguous_inputs(torch, device, dtype, case):
    compare(torch, NON_CONTIGUOUS[case], _data((6, 4), dtype, 3), _data((6, 4), dtype, 4), device=device)


def test_permuted_batches(torch, device):
    a, b = _data((3, 2, 4), "float32", 5), _data((2, 4, 5), "float32", 6)
    compare(torch, lambda m, x, y: x.permute(1, 0, 2) @ y, a, b, device=device)
    compare(torch, lambda m, x, y: x.permute(1, 0, 2) @ y[0], a, b, device=device)
    compare(torch, lambda m, x, y: y[:, :, ::2].mT @ x[0].t(), a, b, device=device)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "int16"])
def test_integer_matmul(torch, device, dtype):
    for sa, sb in SHAPES[:9]:
        a = (np.arange(np.prod(sa)).reshape(sa) % 5).astype(dtype)
        b = (np.arange(np.prod(sb)).reshape(sb) % 3).astype(dtype)
        compare(torch, lambda m, x, y: x @ y, a, b, device=device)
    a, b = np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4)
    compare(torch, lambda m, x, y: m.mm(x, y), a, b, device=device)
    compare(torch, lambda m, x, y: m.dot(x[0], y[:, 1]), a, b, device=device)
    compare(torch, lambda m, x, y: m.addmm(y[0], x, y, beta=2, alpha=3), a, b, device=device)


def test_float16_matmul_on_cpu(torch):
    a, b = _data((2, 3), "float16", 7), _data((3, 4), "float16", 8)
    compare(torch, lambda m, x, y: x @ y, a, b, rtol=1e-2, atol=1e-2)


# --- the special-purpose products ------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_mm_bmm_mv_dot(torch, device, dtype):
    compare(torch, lambda m, x, y: m.mm(x, y), _data((2, 3), dtype), _data((3, 4), dtype, 1), device=device)
    compare(torch, lambda m, x, y: x.mm(y), _data((2, 3), dtype), _data((3, 4), dtype, 1), device=device)
    compare(torch, lambda m, x, y: m.bmm(x, y), _data((5, 2, 3), dtype), _data((5, 3, 4), dtype, 1),
            device=device)
    compare(torch, lambda m, x, y: m.mv(x, y), _data((2, 3), dtype), _data((3,), dtype, 1), device=device)
    compare(torch, lambda m, x, y: x.dot(y), _data((3,), dtype), _data((3,), dtype, 1), device=device)


@pytest.mark.parametrize("fn", ["outer", "ger"])
def test_outer(torch, device, fn):
    compare(torch, lambda m, x, y: getattr(m, fn)(x, y), _data((3,)), _data((4,), seed=1), device=device)
    compare(torch, lambda m, x, y: getattr(x, fn)(y), _data((3,), "float32"), _data((4,), "float32", 1),
            device=device)
    compare(torch, lambda m, x, y: m.outer(x, y), np.arange(3), _data((4,), "float32", 1), device=device)
    compare(torch, lambda m, x, y: m.outer(x, y), np.arange(3), np.arange(2), device=device)


ADDMM = [
    ((4,), {}), ((2, 4), {}), ((1, 4), {}), ((2, 1), {}), ((), {}),
    ((4,), {"beta": 0.5, "alpha": 2.0}), ((2, 4), {"alpha": -1}), ((4,), {"beta": 0}),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", range(len(ADDMM)))
def test_addmm(torch, device, dtype, case):
    bias_shape, kw = ADDMM[case]
    o, t = compare(torch, lambda m, c, x, y: m.addmm(c, x, y, **kw), _data(bias_shape, dtype, 3),
                   _data((2, 3), dtype, 1), _data((3, 4), dtype, 2), device=device)
    assert o.grad_fn.name() == "AddmmBackward0"
    assert len(o.grad_fn.next_functions) == 3
    compare(torch, lambda m, c, x, y: c.addmm(x, y.t(), **kw), _data(bias_shape, dtype, 3),
            _data((2, 3), dtype, 1), _data((4, 3), dtype, 2), device=device)


def test_addmm_beta_zero_ignores_nan_bias(torch, device):
    compare(torch, lambda m, c, x, y: m.addmm(c, x, y, beta=0), np.array([np.nan, 1.0]),
            _data((2, 3), seed=1), _data((3, 2), seed=2), device=device)


def test_linear_layer_pattern(torch, device):
    """What nn.Linear does: addmm(bias, x, W.t())."""
    x, w, b = _data((8, 5), "float32"), _data((3, 5), "float32", 1), _data((3,), "float32", 2)
    compare(torch, lambda m, x, w, b: m.addmm(b, x, w.t()).relu().sum(0), x, w, b, device=device)


# --- errors: each form, PyTorch's class and message -----------------------------------------------------

def _t(m, shape, dtype="float32", grad=True):
    t = m.ones(*shape, dtype=getattr(m, dtype))
    return t.requires_grad_() if grad and dtype.startswith("float") else t


MATMUL_ERRORS = [
    ((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 5)), ((5, 2, 3), (4,)), ((3,), (5, 4, 2)),
    ((5, 2, 3), (4, 2)), ((2, 3), (5, 4, 2)), ((5, 2, 3), (5, 4, 2)), ((5, 2, 3), (4, 3, 2)),
    ((5, 6, 2, 3), (4, 3, 2)), ((1, 2, 3), (5, 4, 2)), ((2, 5, 2, 3), (2, 5, 4, 2)), ((5, 2, 3), (1, 7, 4)),
    ((1, 1, 2, 3), (5, 4, 2)), ((3,), (2, 5, 4, 4)), ((2, 5, 2, 3), (4, 2)), ((), (3,)), ((3,), ()),
]


@pytest.mark.parametrize("shapes", MATMUL_ERRORS, ids=str)
@pytest.mark.parametrize("grads", [(True, True), (False, True), (True, False), (False, False)], ids=str)
def test_matmul_shape_errors(torch, shapes, grads):
    def run(m):
        a = m.ones(*shapes[0], requires_grad=grads[0])
        b = m.ones(*shapes[1], requires_grad=grads[1])
        return a @ b
    same_error(lambda: run(lt), lambda: run(torch))


@pytest.mark.parametrize("shapes", [s for s in SHAPES[:14]], ids=str)
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32"), ("int64", "float32"),
                                    ("int32", "int64"), ("float32", "float16"), ("bool", "bool")], ids=str)
def test_matmul_does_not_promote_dtypes(torch, shapes, dtypes):
    def run(m):
        return _t(m, shapes[0], dtypes[0]) @ _t(m, shapes[1], dtypes[1])
    same_error(lambda: run(lt), lambda: run(torch))


OTHER_ERRORS = [
    lambda m: m.mm(_t(m, (3,)), _t(m, (3, 4))),
    lambda m: m.mm(_t(m, (2, 3)), _t(m, (3,))),
    lambda m: m.mm(_t(m, (2, 2, 3)), _t(m, (3, 4))),
    lambda m: m.mm(_t(m, (2, 3)), _t(m, (4, 4))),
    lambda m: m.mm(_t(m, (2, 3)), _t(m, (3, 4), "float64")),
    lambda m: m.mm(_t(m, (2, 3), "int64"), _t(m, (3, 4))),
    lambda m: m.mm(_t(m, (2, 3), "bool"), _t(m, (3, 4), "bool")),
    lambda m: m.bmm(_t(m, (2, 3)), _t(m, (5, 3, 4))),
    lambda m: m.bmm(_t(m, (5, 2, 3)), _t(m, (3, 4))),
    lambda m: m.bmm(_t(m, (5, 2, 3)), _t(m, (4, 3, 4))),
    lambda m: m.bmm(_t(m, (5, 2, 3)), _t(m, (5, 4, 4))),
    lambda m: m.bmm(_t(m, (5, 2, 3)), _t(m, (5, 3, 4), "float64")),
    lambda m: m.bmm(_t(m, (1, 5, 2, 3)), _t(m, (5, 3, 4))),
    lambda m: m.bmm(_t(m, (1, 2, 3), "bool"), _t(m, (1, 3, 2), "bool")),
    lambda m: m.mv(_t(m, (2, 3)), _t(m, (4,))),
    lambda m: m.mv(_t(m, (3,)), _t(m, (3,))),
    lambda m: m.mv(_t(m, (2, 3)), _t(m, (3, 1))),
    lambda m: m.mv(_t(m, (1, 2, 3)), _t(m, (3,))),
    lambda m: m.mv(_t(m, (2, 3)), _t(m, (3,), "float64")),
    lambda m: m.mv(_t(m, (2, 3), "int64"), _t(m, (3,))),
    lambda m: m.dot(_t(m, (3,)), _t(m, (4,))),
    lambda m: m.dot(_t(m, (2, 3)), _t(m, (3,))),
    lambda m: m.dot(_t(m, (3,)), _t(m, (1, 3))),
    lambda m: m.dot(m.tensor(1.0), _t(m, (3,))),
    lambda m: m.dot(_t(m, (3,)), _t(m, (3,), "float64")),
    lambda m: m.dot(_t(m, (3,), "int64"), _t(m, (3,))),
    lambda m: m.dot(_t(m, (3,)), _t(m, (4,), "float64")),
    lambda m: m.dot(_t(m, (3,), "bool"), _t(m, (3,), "bool")),
    lambda m: m.outer(_t(m, (3, 1)), _t(m, (4,))),
    lambda m: m.outer(_t(m, (3,)), _t(m, (4, 1))),
    lambda m: m.outer(m.tensor(1.0), _t(m, (4,))),
    lambda m: m.ger(_t(m, (3, 1)), _t(m, (4,))),
    lambda m: m.addmm(_t(m, (3,)), _t(m, (2, 3)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (3, 4)), _t(m, (2, 3)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (1, 2, 4)), _t(m, (2, 3)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (3,)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (2, 3)), _t(m, (3,))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (1, 2, 3)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (2, 3)), _t(m, (2, 4))),
    lambda m: m.addmm(_t(m, (5,)), _t(m, (2, 3)), _t(m, (4, 2))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (2, 3)), _t(m, (3, 4), "float64")),
    lambda m: m.addmm(_t(m, (4,), "float64"), _t(m, (2, 3)), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,)), _t(m, (2, 3), "float64"), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,), "float64"), _t(m, (2, 3), "float64"), _t(m, (3, 4))),
    lambda m: m.addmm(_t(m, (4,), "bool"), _t(m, (2, 3), "bool"), _t(m, (3, 4), "bool")),
    lambda m: _t(m, (2, 3)) @ _t(m, (3,), "float64"),
    lambda m: m.matmul(_t(m, (2, 3)), 3),
    lambda m: m.mm(_t(m, (2, 2)), [[1.0, 2.0], [3.0, 4.0]]),
    lambda m: m.dot(_t(m, (2,)), 3.0),
    lambda m: _t(m, (2, 2)) @ 3,
]


@pytest.mark.parametrize("case", range(len(OTHER_ERRORS)))
def test_mm_bmm_mv_dot_outer_addmm_errors(torch, case):
    same_error(lambda: OTHER_ERRORS[case](lt), lambda: OTHER_ERRORS[case](torch))


def test_errors_on_simulated_device_too(device, torch):
    same_error(lambda: lt.ones(2, 3, device=device) @ lt.ones(4, 5, device=device),
               lambda: torch.ones(2, 3) @ torch.ones(4, 5))
    same_error(lambda: lt.ones(5, 2, 3, device=device) @ lt.ones(5, 4, 2, device=device),
               lambda: torch.ones(5, 2, 3) @ torch.ones(5, 4, 2))


# --- gradcheck (float64) ----------------------------------------------------------------------------------

GRADCHECK = {f"matmul{a}@{b}": (lambda x, y: x @ y, a, b) for a, b in SHAPES[:15]}
GRADCHECK.update({
    "mm": (lambda x, y: lt.mm(x, y), (2, 3), (3, 4)),
    "mm_t": (lambda x, y: lt.mm(x.t(), y), (3, 2), (3, 4)),
    "bmm": (lambda x, y: lt.bmm(x, y), (2, 2, 3), (2, 3, 2)),
    "mv": (lambda x, y: lt.mv(x, y), (2, 3), (3,)),
    "dot": (lambda x, y: lt.dot(x, y), (3,), (3,)),
    "outer": (lambda x, y: lt.outer(x, y), (3,), (2,)),
    "addmm": (lambda x, y: lt.addmm(y[0], x, y), (2, 3), (3, 4)),
    "addmm_scaled": (lambda x, y: lt.addmm(y[:2, :1], x, y, beta=0.5, alpha=-2.0), (2, 3), (3, 4)),
})


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    fn, sa, sb = GRADCHECK[name]
    x = lt.tensor(_data(sa, seed=1), requires_grad=True)
    y = lt.tensor(_data(sb, seed=2), requires_grad=True)
    assert gradcheck(fn, (x, y))


@pytest.mark.parametrize("name", ["matmul(2, 3)@(3, 4)", "matmul(5, 1, 2, 3)@(4, 3, 2)", "matmul(3,)@(3,)",
                                  "mv", "addmm_scaled"])
def test_gradgradcheck(name):
    fn, sa, sb = GRADCHECK[name]
    x = lt.tensor(_data(sa, seed=3), requires_grad=True)
    y = lt.tensor(_data(sb, seed=4), requires_grad=True)
    assert gradgradcheck(fn, (x, y))


def test_methods_and_functions_exist():
    for name in ("matmul", "mm", "bmm", "mv", "dot", "outer", "ger", "addmm"):
        assert callable(getattr(lt, name)) and callable(getattr(lt.Tensor, name)), name
    a = lt.ones(2, 2)
    assert (a.__matmul__(3)) is NotImplemented
    with pytest.raises(TypeError):
        a @ 3
    for sa, sb in itertools.islice(SHAPES, 9):
        assert tuple((lt.ones(*sa) @ lt.ones(*sb)).shape) == np.matmul(np.ones(sa), np.ones(sb)).shape
