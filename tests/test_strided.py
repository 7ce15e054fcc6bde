"""Strided views (跨步视图) against real PyTorch: as_strided, storage_offset, empty_strided, diagonal as
a view, unfold windows and expand's strides.  Checked: values, dtypes, strides, storage offsets,
memory sharing (data_ptr), version counters, writes through the view reaching the base, gradients
(also through such writes), node names and errors, on both devices; gradcheck in float64."""
import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error, to_numpy

RNG = np.random.default_rng(7)
A6 = np.arange(6.0)
M34 = RNG.standard_normal((3, 4))
X234 = RNG.standard_normal((2, 3, 4))


def geometry(t):
    """shape, strides, storage offset and where the first element lies relative to the base."""
    base = t._base if t._base is not None else t
    return (tuple(t.shape), tuple(t.stride()), t.storage_offset(),
            (t.data_ptr() - base.data_ptr()) // t.element_size() if t.numel() else None)  # (torch: 0 if empty)


def torch_geometry(t):
    base = t._base if t._base is not None else t
    return (tuple(t.shape), tuple(t.stride()), t.storage_offset(),
            (t.data_ptr() - base.data_ptr()) // t.element_size() if t.numel() else None)  # (torch: 0 if empty)


def both(torch, array, device, dtype="float32", requires_grad=False):
    a = np.asarray(array, dtype=dtype)
    return (lt.tensor(a, device=device, requires_grad=requires_grad),
            torch.tensor(a, requires_grad=requires_grad))


# --- the backend method -----------------------------------------------------------------------

def test_backend_as_strided_counts_elements_from_the_first_one(device):
    x = lt.arange(10.0, device=device)
    b = x._backend
    v = b.as_strided(x[2:]._data, (2, 3), (3, 1), 1)    # from element 3 of x on
    assert to_numpy(lt.Tensor._make(v, lt.float32, b)).tolist() == [[3, 4, 5], [6, 7, 8]]
    back = b.as_strided(x[4:]._data, (2,), (2,), -3)    # an offset may go back in memory
    assert to_numpy(lt.Tensor._make(back, lt.float32, b)).tolist() == [1, 3]
    assert b.strides(v) == (3, 1)


# --- expand: PyTorch's strides ------------------------------------------------------------------

EXPANDS = {
    "new_leading_1": (lambda x: x.expand(1, 2, 3), (2, 3)),
    "new_leading_4_1": (lambda x: x.expand(4, 1, 2, 3), (2, 3)),
    "new_leading_1_1": (lambda x: x.expand(1, 1, 2, 3), (2, 3)),
    "repeat_dim0": (lambda x: x.expand(2, 2, 3), (2, 3)),
    "same": (lambda x: x.expand(2, 3), (2, 3)),
    "minus_one": (lambda x: x.expand(1, -1, 3), (2, 3)),
    "column": (lambda x: x.expand(3, 4), (3, 1)),
    "column_new": (lambda x: x.expand(1, 3, 4), (3, 1)),
    "column_new_size1": (lambda x: x.expand(1, 1, 3, 1), (3, 1)),
    "column_new_5_1": (lambda x: x.expand(5, 1, 3, 1), (3, 1)),
    "vector_new_after_repeat": (lambda x: x.expand(2, 1, 4, 3), (3,)),
    "transposed": (lambda x: x.t().expand(1, 1, 3, 2), (2, 3)),
    "stepped": (lambda x: x[::2].expand(2, 1, 3), (6,)),
    "scalar": (lambda x: x.expand(2, 1), ()),
    "scalar_ones": (lambda x: x.expand(1, 1), ()),
    "sliced_column": (lambda x: x[:, :1].expand(1, 3, 5), (3, 4)),
    "empty": (lambda x: x.expand(2, 0, 3), (0, 3)),
}


@pytest.mark.parametrize("name", sorted(EXPANDS))
def test_expand_strides_match_torch(torch, device, name):
    fn, shape = EXPANDS[name]
    a = np.arange(float(np.prod(shape))).reshape(shape)
    xl, xt = both(torch, a, device)
    yl, yt = fn(xl), fn(xt)
    assert_same(yl, yt)
    assert yl.stride() == yt.stride()
    assert yl.is_contiguous() == yt.is_contiguous()
    assert yl.data_ptr() - xl.data_ptr() == 0 and yl._vc is xl._vc


def test_writing_through_a_non_repeating_expand_reaches_the_base(torch, device):
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.arange(6.0, **kw).reshape(2, 3)
        e = x.expand(1, 2, 3)
        e.fill_(0.0)
        e[0, 1, 2] = 5.0
        assert to_numpy(x).tolist() == [[0, 0, 0], [0, 0, 5]]
        assert x._version == 2


def test_expand_view_write_gradient_replays_the_chain(torch, device):
    """b.expand(1, 2, 3)[0, 1] = v while recording: CopySlices on b, positions from the replayed expand."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        leaf = L.tensor(M34[:2, :3].copy(), requires_grad=True, **kw)
        v = L.tensor([1.0, 2.0, 3.0], requires_grad=True, **kw)
        b = leaf * 2
        e = b.expand(1, 2, 3)
        e[0, 1] = v * 3
        (b * L.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], **kw)).sum().backward()
        res[L] = (to_numpy(b), leaf.grad, v.grad, b.grad_fn.name().replace("torch::autograd::", ""))
    np.testing.assert_allclose(res[lt][0], res[torch][0], rtol=1e-6)
    assert_same(res[lt][1], res[torch][1])
    assert_same(res[lt][2], res[torch][2])
    assert res[lt][3] == res[torch][3] == "CopySlices"


def test_expand_still_refuses_writes_to_repeated_elements(torch, device):
    xt, xl = torch.zeros(3, 1).expand(3, 4), lt.zeros(3, 1, device=device).expand(3, 4)
    same_error(lambda: xl.__setitem__(0, 1.0), lambda: xt.__setitem__(0, 1.0))
    same_error(lambda: xl.mul_(2.0), lambda: xt.mul_(2.0))


def test_expand_gradient(torch, device):
    for dtype in ("float32", "float64"):
        xl, xt = both(torch, M34[:, :1], device, dtype, requires_grad=True)
        w = RNG.standard_normal((2, 3, 5))
        for L, x in ((lt, xl), (torch, xt)):
            (x.expand(2, 3, 5) * L.tensor(w.astype(dtype), device=x.device if L is lt else "cpu")).sum().backward()
        assert_same(xl.grad, xt.grad)


# --- storage_offset, as_strided ---------------------------------------------------------------

def test_storage_offset_matches_torch(torch, device):
    xl, xt = both(torch, X234, device)
    for fn in (lambda x: x, lambda x: x[1], lambda x: x[:, 1:], lambda x: x[1].t()[2:], lambda x: x[..., 3],
               lambda x: x.view(-1)[5:].view(-1, 1), lambda x: x[1, 2:, 3:]):
        assert fn(xl).storage_offset() == fn(xt).storage_offset()


AS_STRIDED = {
    "plain": (lambda x: x.as_strided((2, 2), (1, 2)), A6),
    "overlapping": (lambda x: x.as_strided((3, 2), (1, 1)), A6),
    "offset": (lambda x: x.as_strided((2, 2), (1, 2), 2), A6),
    "zero_stride": (lambda x: x.as_strided((3, 2), (0, 1)), A6),
    "of_a_slice_default_offset": (lambda x: x[2:].as_strided((2,), (1,)), A6),
    "of_a_slice_offset_0": (lambda x: x[2:].as_strided((2,), (1,), 0), A6),
    "of_transposed": (lambda x: x.t().as_strided((3,), (1,)), M34),
    "of_transposed_2d": (lambda x: x.t().as_strided((2, 3), (4, 1), 1), M34),
    "windows_of_a_row": (lambda x: x[1].as_strided((2, 3), (1, 1)), M34),
    "empty_far_offset": (lambda x: x.as_strided((0, 2), (1, 1), 100), A6),
    "scalar": (lambda x: x.as_strided((), (), 5), A6),
    "size_as_Size": (lambda x: x.as_strided(x.view(-1)[:2].shape, [1]), A6),
}


@pytest.mark.parametrize("name", sorted(AS_STRIDED))
def test_as_strided_matches_torch(torch, device, name):
    fn, a = AS_STRIDED[name]
    xl, xt = both(torch, a, device)
    yl, yt = fn(xl), fn(xt)
    assert_same(yl, yt)
    assert geometry(yl) == torch_geometry(yt)
    assert yl._vc is xl._vc and (yl._base is xl or yl._base is xl._base)


def test_as_strided_function_and_keywords(torch, device):
    xl, xt = both(torch, A6, device)
    for L, x in ((lt, xl), (torch, xt)):
        y = L.as_strided(x, size=(2,), stride=(2,), storage_offset=1)
        assert y.tolist() == [1.0, 3.0] and y.storage_offset() == 1
    assert_same(lt.as_strided(xl, (3,), (1,)), torch.as_strided(xt, (3,), (1,)))


def test_as_strided_writes_reach_the_base(torch, device):
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.arange(6.0, **kw)
        v = x.as_strided((2, 2), (1, 3), 1)        # elements 1, 4, 2, 5
        v[0] = -1.0                                # elements 1 and 4
        v[:, 1].mul_(10)                           # elements 4 and 5
        assert to_numpy(x).tolist() == [0, -1, 2, 3, -10, 50]
        assert x._version == v._version == 2


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", ["plain", "overlapping", "of_transposed_2d", "zero_stride", "offset",
                                  "windows_of_a_row", "of_a_slice_offset_0"])
def test_as_strided_gradient(torch, device, dtype, case):
    fn, a = AS_STRIDED[case]
    xl, xt = both(torch, a, device, dtype, requires_grad=True)
    yl, yt = fn(xl), fn(xt)
    w = RNG.standard_normal(tuple(yt.shape)).astype(dtype)
    (yl * lt.tensor(w, device=device)).sum().backward()
    (yt * torch.tensor(w)).sum().backward()
    assert_same(xl.grad, xt.grad)
    assert yl.grad_fn.name() == yt.grad_fn.name() == "AsStridedBackward0"


def test_as_strided_of_an_overlapping_input_shares_the_gradient(torch, device):
    """x expanded (3 rows on one memory row): as PyTorch, each place's gradient is divided among them."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        a = L.tensor([1.0, 2.0], requires_grad=True, **kw)
        y = a.expand(3, 2).as_strided((2, 2), (0, 1))
        (y * L.tensor([[3.0, 5.0], [7.0, 11.0]], **kw)).sum().backward()
        res[L] = a.grad
    assert_same(res[lt], res[torch])


def test_as_strided_inplace_on_a_non_leaf_gives_the_base_copyslices(torch, device):
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        a = L.arange(6.0, requires_grad=True, **kw)
        b = a * 1
        v = b.as_strided((2,), (2,), 1)
        v.mul_(10)
        (b * L.arange(1.0, 7.0, **kw)).sum().backward()
        res[L] = (to_numpy(b), a.grad, b.grad_fn.name().replace("torch::autograd::", ""), v.grad_fn.name())
    np.testing.assert_allclose(res[lt][0], res[torch][0])
    assert_same(res[lt][1], res[torch][1])
    assert res[lt][2:] == res[torch][2:] == ("CopySlices", "AsStridedBackward0")


def test_as_strided_write_into_a_base_laid_out_column_by_column(torch, device):
    """rot90's result is a transposed copy: the write's places are found through its memory order."""
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        a = L.tensor(M34[:2, :3].copy(), requires_grad=True, **kw)
        r = L.rot90(a * 1)
        v = r.as_strided((2,), (1,))
        v.mul_(10)
        (r * L.arange(1.0, 7.0, **kw).reshape(3, 2)).sum().backward()
        res[L] = (r.stride(), to_numpy(r), a.grad, r.grad_fn.name().replace("torch::autograd::", ""))
    assert res[lt][0] == res[torch][0] == (1, 3)
    np.testing.assert_allclose(res[lt][1], res[torch][1], rtol=1e-6)
    assert_same(res[lt][2], res[torch][2])
    assert res[lt][3] == res[torch][3] == "CopySlices"


def test_as_strided_errors(torch, device):
    xl, xt = both(torch, A6, device)
    for args in [((7,), (1,)), ((2, 2), (1, 2), 3), ((2,), (-1,), 3), ((2, 2), (1,)), ((-1, 2), (1, 1)),
                 ((2, 2), (1, 1), -1), ((-2, 2), (-1, 1)), ((2, 2), (1, -1), -1), ((2.0, 2), (1, 2)),
                 ((2, 2), (1, 2), 1.5), (2, 1), ((2,), 1), ((2,),)]:
        same_error(lambda: xl.as_strided(*args), lambda: xt.as_strided(*args))
    dl, dt = both(torch, A6, device, "float64")
    same_error(lambda: dl[1:].as_strided((6,), (1,)), lambda: dt[1:].as_strided((6,), (1,)))
    same_error(lambda: lt.as_strided(xl), lambda: torch.as_strided(xt))


def test_gradcheck_as_strided():
    x = lt.tensor(RNG.standard_normal(8), dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: t.as_strided((3, 3), (2, 1), 1), (x,))
    assert gradcheck(lambda t: t[1:].as_strided((2, 2), (1, 1), 2), (x,))
    assert gradcheck(lambda t: t.view(2, 4).t().as_strided((3, 2), (2, 1)), (x,))
    # (outside the input's own elements, or on an input with repeated elements, PyTorch's gradient
    # is not the finite-difference one either: those are pinned against torch above)
    assert gradcheck(lambda t: t.expand(2, 8).as_strided((3,), (2,)), (x,))
    assert gradgradcheck(lambda t: t.as_strided((3, 3), (2, 1)) ** 2, (x,))


# --- empty_strided ----------------------------------------------------------------------------

def test_empty_strided_matches_torch_but_zeros(torch, device):
    for size, stride in (((2, 3), (1, 2)), ((2, 3), (4, 1)), ((2, 3), (0, 0)), ((0, 3), (1, 2)), ((), ())):
        yl, yt = lt.empty_strided(size, stride, device=device), torch.empty_strided(size, stride)
        assert yl.shape == yt.shape and yl.stride() == yt.stride() and yl.is_contiguous() == yt.is_contiguous()
        assert yl.dtype is lt.float32 and yl.is_leaf and yl.storage_offset() == 0
        assert (to_numpy(yl) == 0).all()
    y = lt.empty_strided([2, 3], [4, 1], dtype=lt.float64, device=device, requires_grad=True)
    assert y.dtype is lt.float64 and y.requires_grad
    assert y.detach().as_strided((7,), (1,)).shape == (7,)         # PyTorch's storage: 7 elements
    same_error(lambda: y.detach().as_strided((8,), (1,)), lambda: torch.empty_strided((2, 3), (4, 1),
                                                                          dtype=torch.float64).as_strided((8,), (1,)))


def test_empty_strided_errors(torch):
    for args, kw in ((((2, 3), (1,)), {}), (((2, 3), (-1, 1)), {}), (((-2, 3), (1, 1)), {}), ((2, 3), {}),
                     (((2, 3),), {}), ((), {}), (((2, 3), (1, 2)), {"dtype": "int64", "requires_grad": True})):
        kl = {k: (getattr(lt, v) if k == "dtype" else v) for k, v in kw.items()}
        kt = {k: (getattr(torch, v) if k == "dtype" else v) for k, v in kw.items()}
        same_error(lambda: lt.empty_strided(*args, **kl), lambda: torch.empty_strided(*args, **kt))


# --- diagonal: a view --------------------------------------------------------------------------

DIAGONALS = [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (5, 0, 1), (-5, 0, 1), (0, -1, 0), (1, 2, 1), (-1, 0, 2),
             (2, -2, -1), (0, 1, -1)]


@pytest.mark.parametrize("args", DIAGONALS)
@pytest.mark.parametrize("transposed", [False, True])
def test_diagonal_is_a_view_like_torch(torch, device, args, transposed):
    xl, xt = both(torch, X234, device)
    if transposed:
        xl, xt = xl.transpose(0, 2), xt.transpose(0, 2)
    yl, yt = xl.diagonal(*args), torch.diagonal(xt, *args)
    assert_same(yl, yt)
    assert geometry(yl) == torch_geometry(yt)
    assert yl._vc is xl._vc
    assert_same(lt.diagonal(xl, offset=args[0], dim1=args[1], dim2=args[2]), yt)


def test_writing_into_the_diagonal_changes_the_matrix(torch, device):
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.arange(12.0, **kw).reshape(3, 4)
        x.diagonal().fill_(0.0)
        x.diagonal(1)[:] = -1.0
        x.diagonal(-1)[1] = 100.0
        assert to_numpy(x).tolist() == [[0, -1, 2, 3], [4, 0, -1, 7], [8, 100, 0, -1]]
        assert x._version == 3


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_diagonal_gradient(torch, device, dtype):
    xl, xt = both(torch, X234, device, dtype, requires_grad=True)
    for args in ((1, -1, 0), (0, 1, 2), (-1, 2, 0)):
        yl, yt = xl.transpose(1, 2).diagonal(*args), xt.transpose(1, 2).diagonal(*args)
        w = RNG.standard_normal(tuple(yt.shape)).astype(dtype)
        (yl * lt.tensor(w, device=device)).sum().backward()
        (yt * torch.tensor(w)).sum().backward()
        assert yl.grad_fn.name() == yt.grad_fn.name() == "DiagonalBackward0"
    assert_same(xl.grad, xt.grad)


def test_inplace_on_the_diagonal_of_a_non_leaf(torch, device):
    res = {}
    for L, kw in ((torch, {}), (lt, {"device": device})):
        m = L.tensor(M34, requires_grad=True, **kw)
        mm = m * 2
        d = mm.diagonal(1)
        d.fill_(0.0)
        (mm * L.tensor(M34 + 1, **kw)).sum().backward()
        res[L] = (to_numpy(mm), m.grad, mm.grad_fn.name().replace("torch::autograd::", ""), d.grad_fn.name(),
                  d._version, mm._version)
    np.testing.assert_allclose(res[lt][0], res[torch][0], rtol=1e-6)
    assert_same(res[lt][1], res[torch][1])
    assert res[lt][2:] == res[torch][2:]


def test_diag_of_a_matrix_stays_a_copy(torch, device):
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.arange(12.0, requires_grad=True, **kw)
        m = x.reshape(3, 4)
        d = L.diag(m, 1)
        assert d.data_ptr() != m.data_ptr() + m.element_size()
        assert d.grad_fn.name() == "DiagonalBackward0_copy"
        with L.no_grad():
            d.mul_(0)
        assert to_numpy(m.detach()).tolist()[0][1] == 1.0
        assert to_numpy(L.diag(m.detach(), -1)).tolist() == [4.0, 9.0]


def test_diagonal_errors(torch, device):
    xl, xt = both(torch, X234, device)
    same_error(lambda: xl.diagonal(dim1=1, dim2=1), lambda: xt.diagonal(dim1=1, dim2=1))
    same_error(lambda: xl.diagonal(0, 0, 3), lambda: xt.diagonal(0, 0, 3))
    same_error(lambda: xl[0, 0].diagonal(), lambda: xt[0, 0].diagonal())


def test_gradcheck_diagonal():
    x = lt.tensor(X234, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: t.diagonal(1, -1, 1), (x,))
    assert gradcheck(lambda t: t.transpose(0, 2).diagonal(-1), (x,))
    assert gradgradcheck(lambda t: t.diagonal(0, 1, 2) ** 2, (x,))


# --- unfold ---------------------------------------------------------------------------------------

UNFOLDS = {
    "windows": (lambda x: x.unfold(0, 2, 1), A6),
    "steps": (lambda x: x.unfold(0, 2, 2), A6),
    "gaps": (lambda x: x.unfold(0, 2, 3), A6),
    "whole": (lambda x: x.unfold(0, 6, 1), A6),
    "empty_windows": (lambda x: x.unfold(0, 0, 1), A6),
    "last_dim": (lambda x: x.unfold(-1, 2, 1), M34),
    "middle": (lambda x: x.unfold(1, 3, 5), X234),
    "negative_dim": (lambda x: x.unfold(-2, 2, 1), X234),
    "transposed": (lambda x: x.transpose(0, 2).unfold(0, 2, 1), X234),
    "twice": (lambda x: x.unfold(-1, 2, 1).unfold(1, 2, 1), X234),
    "scalar": (lambda x: x.unfold(0, 1, 1), np.array(3.0)),
}


@pytest.mark.parametrize("name", sorted(UNFOLDS))
def test_unfold_matches_torch(torch, device, name):
    fn, a = UNFOLDS[name]
    xl, xt = both(torch, a, device)
    yl, yt = fn(xl), fn(xt)
    assert_same(yl, yt)
    assert geometry(yl)[:3] == torch_geometry(yt)[:3]
    assert yl.data_ptr() == xl.data_ptr() and yl._vc is xl._vc


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["windows", "gaps", "middle", "transposed", "twice", "negative_dim"])
def test_unfold_gradient(torch, device, dtype, name):
    fn, a = UNFOLDS[name]
    xl, xt = both(torch, a, device, dtype, requires_grad=True)
    yl, yt = fn(xl), fn(xt)
    w = RNG.standard_normal(tuple(yt.shape)).astype(dtype)
    (yl * lt.tensor(w, device=device)).sum().backward()
    (yt * torch.tensor(w)).sum().backward()
    assert_same(xl.grad, xt.grad)
    assert yl.grad_fn.name() == yt.grad_fn.name() == "UnfoldBackward0"


def test_writing_into_a_window_changes_the_tensor(torch, device):
    for L, kw in ((torch, {}), (lt, {"device": device})):
        x = L.arange(6.0, **kw)
        w = x.unfold(0, 2, 2)
        w[1] = -1.0
        w[:, 0].add_(100)
        assert to_numpy(x).tolist() == [100, 1, 99, -1, 104, 5]
        assert x._version == 2


def test_unfold_errors(torch, device):
    xl, xt = both(torch, A6, device)
    for args in ((0, 7, 1), (0, 2, 0), (0, 2, -1), (0, -1, 1), (1, 2, 1), (0, -1, 0), (0, 7, 0)):
        same_error(lambda: xl.unfold(*args), lambda: xt.unfold(*args))
    sl, st = both(torch, 5.0, device)
    for args in ((0, 2, 1), (1, 1, 1)):
        same_error(lambda: sl.unfold(*args), lambda: st.unfold(*args))


def test_gradcheck_unfold():
    x = lt.tensor(X234, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: t.unfold(-1, 3, 1), (x,))
    assert gradcheck(lambda t: t.transpose(0, 1).unfold(0, 2, 1), (x,))
    assert gradgradcheck(lambda t: t.unfold(2, 2, 1) ** 2, (x,))
