"""Matrix functions (矩阵函数) against real PyTorch: tril/triu, diag, diagonal, diag_embed, trace,
einsum, tensordot, kron, cross, det, inverse, slogdet, cdist, block_diag, tril/triu_indices.

Each parity case runs the same code on learntorch (``m`` is the module) and on torch and compares
values, dtypes, gradients and graph node names; beginner mistakes compare the error class and text.
"""
import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]


def _data(shape, dtype="float64", seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=shape).astype(dtype)


def compare(torch, fn, *arrays, device="cpu", grad=True, rtol=1e-5, atol=1e-5, name=True):
    """``fn(module, *tensors)`` with learntorch and with torch: same values and dtype, same
    gradients of sum(out * w) for a random w, and (``name``) the same grad_fn name."""
    need = [grad and np.asarray(a).dtype.kind == "f" for a in arrays]
    ours = [lt.tensor(a, device=device, requires_grad=n) for a, n in zip(arrays, need)]
    theirs = [torch.tensor(a, requires_grad=n) for a, n in zip(arrays, need)]
    o, t = fn(lt, *ours), fn(torch, *theirs)
    assert_same(o.cpu(), t, rtol, atol)
    if t.grad_fn is not None:
        if name:
            assert o.grad_fn.name() == type(t.grad_fn).__name__
        w = np.random.default_rng(1).standard_normal(tuple(t.shape))
        (o * lt.tensor(w, device=device).to(o.dtype)).sum().backward()
        (t * torch.tensor(w).to(t.dtype)).sum().backward()
        for x, y, n in zip(ours, theirs, need):
            if n:
                assert_same(x.grad.cpu(), y.grad, rtol, atol)
    else:
        assert o.grad_fn is None
    return o, t


def check_grads(fn, *shapes, second=True):
    """gradcheck (and gradgradcheck) in float64 of ``fn(*tensors)`` (on cpu: gradcheck reads NumPy)."""
    xs = tuple(lt.tensor(_data(s, seed=i), requires_grad=True) for i, s in enumerate(shapes))
    assert gradcheck(fn, xs)
    if second:
        assert gradgradcheck(fn, xs)


# --- tril, triu ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("shape,k", [((3, 4), 0), ((4, 3), 1), ((2, 3, 4), -1), ((3, 3), 5), ((3, 3), -5),
                                      ((0, 3), 0)])
def test_tril_triu(torch, device, dtype, name, shape, k):
    compare(torch, lambda m, x: getattr(m, name)(x, k), _data(shape, dtype), device=device)
    compare(torch, lambda m, x: getattr(x, name)(diagonal=k), _data(shape, dtype), device=device)


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu_noncontiguous_and_ints(torch, device, name):
    compare(torch, lambda m, x: getattr(m, name)(x.mT, 1), _data((2, 4, 3)), device=device)
    compare(torch, lambda m, x: getattr(m, name)(x, -1), np.arange(12).reshape(3, 4), device=device)
    compare(torch, lambda m, x: getattr(m, name)(x > 5), np.arange(12).reshape(3, 4), device=device)


@pytest.mark.parametrize("name", ["tril_", "triu_"])
def test_tril_triu_inplace(torch, device, name):
    a = _data((3, 4))
    x, y = lt.tensor(a, device=device), torch.tensor(a)
    assert getattr(x, name)(1) is x
    getattr(y, name)(1)
    assert_same(x.cpu(), y)
    # in the graph: the in-place result has the out-of-place node
    x = lt.tensor(a, device=device, requires_grad=True).clone()
    getattr(x, name)(-1)
    assert x.grad_fn.name() == ("TrilBackward0" if name == "tril_" else "TriuBackward0")


def test_tril_triu_grads():
    check_grads(lambda x: lt.tril(x, 1), (3, 4))
    check_grads(lambda x: x.triu(-1), (2, 4, 3))


# --- diag, diagonal, diag_embed, trace ------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,k", [((4,), 0), ((3,), 2), ((3,), -1), ((3, 4), 0), ((3, 4), 1), ((4, 3), -2),
                                      ((3, 4), 7), ((0,), 0)])
def test_diag(torch, device, dtype, shape, k):
    compare(torch, lambda m, x: m.diag(x, k), _data(shape, dtype), device=device)
    compare(torch, lambda m, x: x.diag(diagonal=k), _data(shape, dtype), device=device)


def test_diag_noncontiguous_and_ints(torch, device):
    compare(torch, lambda m, x: m.diag(x.t(), 1), _data((3, 4)), device=device)
    compare(torch, lambda m, x: m.diag(x), np.arange(3), device=device)
    compare(torch, lambda m, x: m.diag(x, -1), np.arange(12).reshape(3, 4), device=device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("args", [(), (1,), (-1,), (0, 1, 0), (1, 2, 0), (-1, -1, 0), (0, -3, -1), (2, 0, 2), (9,)])
def test_diagonal(torch, device, dtype, args):
    compare(torch, lambda m, x: m.diagonal(x, *args), _data((2, 3, 4), dtype), device=device)
    compare(torch, lambda m, x: x.mT.diagonal(*args), _data((2, 3, 4), dtype), device=device)


def test_diagonal_keywords(torch, device):
    compare(torch, lambda m, x: m.diagonal(x, offset=1, dim1=-1, dim2=-2), _data((3, 4)), device=device)
    compare(torch, lambda m, x: x.diagonal(dim1=1, dim2=0), _data((3, 4)), device=device)


def test_diagonal_is_a_view_diag_is_a_copy(torch, device):
    """As in PyTorch: x.diagonal() shares x's memory (writing into it changes x); torch.diag copies."""
    for m, dev in ((lt, device), (torch, "cpu")):
        x = m.arange(9.0, device=dev).reshape(3, 3)
        x.diagonal().zero_()
        y = m.arange(9.0, device=dev).reshape(3, 3)
        m.diag(y).zero_()
        assert x.cpu().tolist() == [[0.0, 1.0, 2.0], [3.0, 0.0, 5.0], [6.0, 7.0, 0.0]]
        assert y.cpu().tolist()[1][1] == 4.0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,args", [((3,), ()), ((2, 3), ()), ((2, 3), (1,)), ((2, 3), (-2, 0, 2)),
                                         ((2, 3), (1, 2, 0)), ((2, 3), (0, -1, -3)), ((0,), ())])
def test_diag_embed(torch, device, dtype, shape, args):
    compare(torch, lambda m, x: m.diag_embed(x, *args), _data(shape, dtype), device=device)
    compare(torch, lambda m, x: x.diag_embed(*args), _data(shape, dtype), device=device)


def test_diag_embed_noncontiguous(torch, device):
    compare(torch, lambda m, x: m.diag_embed(x.t(), offset=-1, dim1=0, dim2=1), _data((3, 2)), device=device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (0, 0)])
def test_trace(torch, device, dtype, shape):
    compare(torch, lambda m, x: m.trace(x), _data(shape, dtype), device=device)
    compare(torch, lambda m, x: x.t().trace(), _data(shape, dtype), device=device)


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_trace_of_integers_is_int64(torch, device, dtype):
    compare(torch, lambda m, x: m.trace(x), np.arange(12, dtype=dtype).reshape(3, 4), device=device)


def test_diagonal_family_grads():
    check_grads(lambda x: lt.diag(x, 1), (3,))
    check_grads(lambda x: lt.diag(x, -1), (3, 4))
    check_grads(lambda x: lt.diagonal(x, 1, -1, 0), (3, 2, 4))
    check_grads(lambda x: lt.diag_embed(x, -1, 2, 0), (2, 3))
    check_grads(lambda x: lt.trace(x), (3, 4))


DIAG_ERRORS = {
    "tril of a vector": lambda m: m.tril(m.ones(3)),
    "triu of a 0-d": lambda m: m.ones(()).triu(),
    "tril of a list": lambda m: m.tril([[1, 2], [3, 4]]),
    "diag of 3-D": lambda m: m.diag(m.ones(2, 2, 2)),
    "diag of 0-D": lambda m: m.diag(m.tensor(1.0)),
    "trace of a vector": lambda m: m.trace(m.ones(3)),
    "trace of 3-D": lambda m: m.ones(2, 2, 2).trace(),
    "trace of bools": lambda m: m.ones(2, 2, dtype=m.bool).trace(),
    "diagonal same dims": lambda m: m.diagonal(m.ones(3, 3), 0, 0, -2),
    "diagonal of a vector": lambda m: m.ones(3).diagonal(),
    "diagonal dim out of range": lambda m: m.diagonal(m.ones(3, 3), 0, 0, 2),
    "diag_embed same dims": lambda m: m.diag_embed(m.ones(3, 3), 0, -1, 2),
    "diag_embed of 0-D": lambda m: m.diag_embed(m.tensor(1.0)),
}


@pytest.mark.parametrize("case", list(DIAG_ERRORS))
def test_diag_errors(torch, case):
    same_error(lambda: DIAG_ERRORS[case](lt), lambda: DIAG_ERRORS[case](torch))


# --- einsum ------------------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),          # matrix product
    ("ij,jk", [(2, 3), (3, 4)]),              # implicit output
    ("ij->ji", [(2, 3)]),                     # transpose
    ("ba", [(2, 3)]),                         # implicit output is sorted: a transpose
    ("ii", [(3, 3)]),                         # trace
    ("ii->i", [(3, 3)]),                      # diagonal
    ("iji->ij", [(2, 3, 2)]),                 # diagonal across non-adjacent dims
    ("ij->", [(2, 3)]),                       # sum of all
    ("ij->j", [(2, 3)]),                      # column sums
    ("i,j->ij", [(3,), (2,)]),                # outer product
    ("i,i", [(3,), (3,)]),                    # dot product
    ("ij,ij->ij", [(2, 3), (2, 3)]),          # element-wise product
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]), # batched matrix product
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ik,jk->ij", [(2, 3), (4, 3)]),          # a @ b.T
    ("...ij->...ji", [(2, 3, 4)]),            # ellipsis
    ("i...->...", [(2, 3, 4)]),
    ("...ij,...jk", [(5, 2, 3), (3, 4)]),     # ellipsis broadcast
    ("...i,...i->...", [(5, 2, 3), (2, 3)]),
    ("ij,ij->ij", [(2, 3), (1, 3)]),          # a size-1 dim broadcasts
    ("ij,jk", [(2, 1), (3, 4)]),              # ... also a summed one
    ("iJ->Ji", [(2, 3)]),                     # capitals
    (" i j -> i ", [(2, 3)]),                 # spaces are ignored
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),   # a bilinear form
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("eq,shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum(torch, device, dtype, eq, shapes):
    arrays = [_data(s, dtype, seed=i) for i, s in enumerate(shapes)]
    compare(torch, lambda m, *xs: m.einsum(eq, *xs), *arrays, device=device)


def test_einsum_forms_and_noncontiguous(torch, device):
    a, b = _data((3, 2)), _data((4, 3))
    compare(torch, lambda m, x, y: m.einsum("ij,jk->ik", [x.t(), y.t()]), a, b, device=device)
    compare(torch, lambda m, x, y: m.einsum("ij,jk->ik", (x.t(), y.t())), a, b, device=device)
    compare(torch, lambda m, x, y: m.einsum(x.t(), [0, 1], y.t(), [1, 2], [2, 0]), a, b, device=device)
    compare(torch, lambda m, x: m.einsum(x, [Ellipsis, 1], [1]), a, device=device)


@pytest.mark.parametrize("eq,shapes", [("ij,jk", [(2, 3), (3, 4)]), ("ij->j", [(2, 3)]), ("i,j->ij", [(3,), (2,)])])
def test_einsum_integers_and_bools(torch, device, eq, shapes):
    arrays = [np.arange(int(np.prod(s)), dtype="int32").reshape(s) for s in shapes]
    compare(torch, lambda m, *xs: m.einsum(eq, *xs), *arrays, device=device)
    compare(torch, lambda m, x: m.einsum(eq.split(",")[0].split("-")[0] + "->", x > 2), arrays[0], device=device)


def test_einsum_mixed_dtypes_without_sum_promote(torch, device):
    compare(torch, lambda m, x, y: m.einsum("i,j->ij", x, y), _data((2,), "float32"), _data((3,)), device=device)


def test_einsum_grads():
    check_grads(lambda a, b: lt.einsum("ij,jk->ik", a, b), (2, 3), (3, 4))
    check_grads(lambda a: lt.einsum("ii->i", a), (3, 3))
    check_grads(lambda a, b, c: lt.einsum("bn,anm,bm->ba", a, b, c), (2, 3), (4, 3, 2), (2, 2))
    check_grads(lambda a, b: lt.einsum("...ij,...jk", a, b), (2, 2, 3), (3, 2))


EINSUM_ERRORS = {
    "too few operands": lambda m: m.einsum("ij,jk->ik", m.ones(2, 3)),
    "too many operands": lambda m: m.einsum("ij->ij", m.ones(2, 3), m.ones(2, 3)),
    "no operands": lambda m: m.einsum("ij->i"),
    "sizes": lambda m: m.einsum("ij,jk->ik", m.ones(2, 3), m.ones(2, 3)),
    "too many subscripts": lambda m: m.einsum("ijk->ij", m.ones(2, 3)),
    "too few subscripts": lambda m: m.einsum("i->i", m.ones(2, 3)),
    "too many with ellipsis": lambda m: m.einsum("ijk...->i", m.ones(2, 3)),
    "output letter not in input": lambda m: m.einsum("ij->ik", m.ones(2, 3)),
    "output letter twice": lambda m: m.einsum("ij->ii", m.ones(2, 3)),
    "digit": lambda m: m.einsum("i1->i", m.ones(2, 3)),
    "digit in output": lambda m: m.einsum("ij->i1", m.ones(2, 3)),
    "two arrows": lambda m: m.einsum("ij->i->j", m.ones(2, 3)),
    "two dots": lambda m: m.einsum("..i->i", m.ones(2, 3)),
    "two ellipses": lambda m: m.einsum("...i...->i", m.ones(2, 3)),
    "two output ellipses": lambda m: m.einsum("...i->......", m.ones(2, 3)),
    "two dots in output": lambda m: m.einsum("...i->..", m.ones(2, 3)),
    "ellipsis sizes": lambda m: m.einsum("...i,...i", m.ones(2, 3), m.ones(4, 3)),
    "repeated letter sizes": lambda m: m.einsum("ii", m.ones(2, 3)),
    "dtypes in a product": lambda m: m.einsum("ij,jk", m.ones(2, 3), m.ones(3, 4, dtype=m.float64)),
    "bools in a product": lambda m: m.einsum("ij,jk", m.ones(2, 3, dtype=m.bool), m.ones(3, 4, dtype=m.bool)),
    "equation not a str": lambda m: m.einsum(3, m.ones(3)),
    "operand not a tensor": lambda m: m.einsum("i,i", m.ones(2), [1.0]),
    "sublist out of range": lambda m: m.einsum(m.ones(2), [52]),
}


@pytest.mark.parametrize("case", list(EINSUM_ERRORS))
def test_einsum_errors(torch, case):
    same_error(lambda: EINSUM_ERRORS[case](lt), lambda: EINSUM_ERRORS[case](torch))


# --- tensordot, kron, cross ----------------------------------------------------------------------------

TENSORDOT_CASES = [
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3, 4), (4, 5), 1),
    ((2, 3), (4, 5), 0),
    ((2, 3, 4), (3, 4, 5), ([1, 2], [0, 1])),
    ((2, 3, 4), (3, 4, 5), ([-1, -2], [1, 0])),
    ((2, 3, 4), (5, 3), ([1], [1])),
    ((2, 1, 4), (3, 4, 5), ([1, 2], [0, 1])),      # a size-1 dim against 3: summed first
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("sa,sb,dims", TENSORDOT_CASES)
def test_tensordot(torch, device, dtype, sa, sb, dims):
    compare(torch, lambda m, a, b: m.tensordot(a, b, dims=dims), _data(sa, dtype), _data(sb, dtype, 1),
            device=device)


def test_tensordot_noncontiguous_ints_and_tensor_dims(torch, device):
    compare(torch, lambda m, a, b: m.tensordot(a.mT, b, 1), _data((2, 4, 3)), _data((4, 5)), device=device)
    compare(torch, lambda m, a, b: m.tensordot(a, b, dims=1), np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2),
            device=device)
    compare(torch, lambda m, a, b: m.tensordot(a, b, dims=m.tensor([[1], [0]])), _data((2, 3)), _data((3, 2)),
            device=device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("sa,sb", [((2, 3), (4, 5)), ((2,), (3,)), ((2, 3), (2, 4, 5)), ((), (3,)), ((3, 1), (1, 2))])
def test_kron(torch, device, dtype, sa, sb):
    compare(torch, lambda m, a, b: m.kron(a, b), _data(sa, dtype), _data(sb, dtype, 1), device=device)
    compare(torch, lambda m, a, b: a.kron(b), _data(sa, dtype), _data(sb, dtype, 1), device=device)


def test_kron_noncontiguous_and_promotion(torch, device):
    # torch 2.13's kron fails on a transposed input ("view size is not compatible ..."); learntorch's
    # works, and gives what torch gives for the same values laid out contiguously
    compare(torch, lambda m, a, b: m.kron(a.t() if m is lt else a.t().contiguous(), b), _data((3, 2)),
            _data((2, 2), seed=1), device=device)
    compare(torch, lambda m, a, b: m.kron(a, b), _data((2,), "float32"), np.arange(3), device=device)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("sa,sb,dim", [((4, 3), (4, 3), 1), ((3, 4), (3, 4), 0), ((2, 3, 5), (1, 3, 5), -2),
                                       ((3,), (3,), -1)])
def test_cross(torch, device, dtype, sa, sb, dim):
    compare(torch, lambda m, a, b: m.cross(a, b, dim=dim), _data(sa, dtype), _data(sb, dtype, 1), device=device)
    compare(torch, lambda m, a, b: a.cross(b, dim), _data(sa, dtype), _data(sb, dtype, 1), device=device)


def test_cross_default_dim_and_ints(torch, device):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(torch, lambda m, a, b: m.cross(a.t(), b.t()), _data((4, 3)), _data((4, 3), seed=1), device=device)
        compare(torch, lambda m, a, b: m.cross(a, b), np.arange(3), np.array([2, 0, 1]), device=device)


def test_cross_warns_once_without_dim():
    import learntorch.ops.linalg as la
    la._cross_warned = False
    with pytest.warns(UserWarning, match="Using torch.cross without specifying the dim arg is deprecated"):
        lt.cross(lt.ones(3), lt.ones(3))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lt.cross(lt.ones(3), lt.ones(3))          # the second time: silent


def test_tensordot_kron_cross_grads():
    check_grads(lambda a, b: lt.tensordot(a, b, dims=([1, 0], [0, 2])), (3, 2, 4), (2, 4, 3))
    check_grads(lambda a, b: lt.kron(a, b), (2, 3), (2, 2))
    check_grads(lambda a, b: lt.cross(a, b, dim=0), (3, 2), (3, 2))


PRODUCT_ERRORS = {
    "tensordot sizes": lambda m: m.tensordot(m.ones(2, 3, 4), m.ones(5, 3), dims=1),
    "tensordot sizes (lists)": lambda m: m.tensordot(m.ones(2, 3, 4), m.ones(3, 4, 5), dims=([0], [0])),
    "tensordot list lengths": lambda m: m.tensordot(m.ones(2, 3, 4), m.ones(3, 4, 5), dims=([0, 1], [0])),
    "tensordot negative": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2), dims=-1),
    "tensordot too many": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2), dims=3),
    "tensordot dtypes": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2, dtype=m.float64), dims=1),
    "tensordot ints in a tuple": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2), dims=(1, 0)),
    "tensordot float dims": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2), dims=1.5),
    "tensordot dim out of range": lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 2), dims=([2], [0])),
    "cross wrong length": lambda m: m.cross(m.ones(3, 4), m.ones(3, 4), dim=1),
    "cross ndim": lambda m: m.cross(m.ones(4, 3), m.ones(3), dim=1),
    "cross shapes": lambda m: m.cross(m.ones(4, 3), m.ones(2, 3), dim=1),
    "cross no size 3": lambda m: m.cross(m.ones(4, 4), m.ones(4, 4)),
    "cross dtypes": lambda m: m.cross(m.ones(3), m.ones(3, dtype=m.float64), dim=0),
}


@pytest.mark.parametrize("case", list(PRODUCT_ERRORS))
def test_product_errors(torch, case):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(lambda: PRODUCT_ERRORS[case](lt), lambda: PRODUCT_ERRORS[case](torch))


# --- det, inverse, linalg.det/inv/cross ------------------------------------------------------------------

import learntorch.linalg  # noqa: E402  (the torch.linalg namespace)


def _well_conditioned(shape, dtype="float64", seed=0):
    n = shape[-1]
    return (_data(shape, "float64", seed) + 4 * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(3, 3), (1, 1), (2, 4, 4), (0, 0)])
def test_det_and_inverse(torch, device, dtype, shape):
    a = _well_conditioned(shape, dtype)
    compare(torch, lambda m, x: m.det(x), a, device=device, rtol=1e-4)
    compare(torch, lambda m, x: m.linalg.det(x.mT), a, device=device, rtol=1e-4)
    compare(torch, lambda m, x: x.inverse(), a, device=device, rtol=1e-4)
    compare(torch, lambda m, x: m.linalg.inv(x.mT), a, device=device, rtol=1e-4)


def test_det_of_a_singular_matrix_has_zero_gradient(torch, device):
    """Where det(A) == 0 exactly, PyTorch's gradient is 0 (not nan): learntorch's too."""
    for a in (np.ones((3, 3)), np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])):
        compare(torch, lambda m, x: m.det(x), a, device=device)
    compare(torch, lambda m, x: m.det(x), np.stack([np.ones((2, 2)), np.eye(2) * 2]), device=device)


def test_linalg_cross(torch, device):
    compare(torch, lambda m, a, b: m.linalg.cross(a, b), _data((4, 3)), _data((1, 3), seed=1), device=device)
    compare(torch, lambda m, a, b: m.linalg.cross(a, b, dim=0), _data((3, 4)), _data((3, 4), seed=1), device=device)


def test_det_inverse_grads():
    check_grads(lambda a: lt.det(a), (3, 3))
    check_grads(lambda a: lt.linalg.inv(a), (2, 3, 3))


def test_linalg_error_class_is_a_runtime_error():
    with pytest.raises(lt.linalg.LinAlgError):
        lt.inverse(lt.ones(2, 2))
    assert issubclass(lt.linalg.LinAlgError, RuntimeError)


LINALG_ERRORS = {
    "det of a vector": lambda m: m.det(m.ones(3)),
    "det of a non-square": lambda m: m.linalg.det(m.ones(2, 3)),
    "det of ints": lambda m: m.det(m.ones(3, 3, dtype=m.long)),
    "inverse of a vector": lambda m: m.inverse(m.ones(3)),
    "inverse of a non-square": lambda m: m.linalg.inv(m.ones(2, 3)),
    "inverse of ints": lambda m: m.ones(3, 3, dtype=m.int32).inverse(),
    "inverse of a singular matrix": lambda m: m.inverse(m.ones(3, 3)),
    "inverse of a singular 2x2": lambda m: m.inverse(m.tensor([[1.0, 2.0], [2.0, 4.0]])),
    "inverse of a batch with a singular matrix": lambda m: m.inverse(m.stack([m.eye(3), m.ones(3, 3)])),
    "inverse of a zero matrix": lambda m: m.linalg.inv(m.zeros(2, 2)),
    "linalg.inv of a list": lambda m: m.linalg.inv([[1.0]]),
    "det of a list": lambda m: m.det([[1.0]]),
    "linalg.cross default dim": lambda m: m.linalg.cross(m.ones(3, 4), m.ones(3, 4)),
}


@pytest.mark.parametrize("case", list(LINALG_ERRORS))
def test_linalg_errors(torch, case):
    same_error(lambda: LINALG_ERRORS[case](lt), lambda: LINALG_ERRORS[case](torch))
