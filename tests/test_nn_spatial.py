"""Convolution, pooling, padding, upsampling and spatial dropout (卷积, 池化, 填充, 上采样, 空间随机失活)
against real PyTorch: values, dtypes, gradients, node names, module reprs and seeded weights, errors;
gradcheck in float64."""
import warnings

import numpy as np
import pytest

import learntorch as lt
import learntorch.nn.functional as F
from learntorch import nn
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

rng = np.random.default_rng(0)
DTYPES = ["float32", "float64"]


def compare(torch, name, arrays, kwargs=None, device="cpu", grads=(0,), node=True, transpose=False):
    """F.<name> in both libraries on the same arrays: result (and indices), gradients, grad_fn name.
    ``transpose``: the first input is passed as a non-contiguous transposed view."""
    kwargs = kwargs or {}
    ft, fl = getattr(torch.nn.functional, name), getattr(F, name)
    if transpose:
        arrays = [np.ascontiguousarray(np.swapaxes(arrays[0], 0, -1))] + list(arrays[1:])
    tt = [torch.tensor(a, requires_grad=i in grads) if isinstance(a, np.ndarray) else a for i, a in enumerate(arrays)]
    ll = [lt.tensor(a, device=device, requires_grad=i in grads) if isinstance(a, np.ndarray) else a
          for i, a in enumerate(arrays)]
    tin, lin = list(tt), list(ll)
    if transpose:
        tin[0], lin[0] = tt[0].transpose(0, -1), ll[0].transpose(0, -1)
        assert not lin[0].is_contiguous()
    yt, yl = ft(*tin, **kwargs), fl(*lin, **kwargs)
    first = yt[0] if isinstance(yt, tuple) else yt
    atol = 1e-5 if str(first.dtype) == "torch.float32" else 1e-7
    if isinstance(yt, tuple):
        assert_same(yl[1].cpu(), yt[1])          # the indices: exactly equal, int64
        assert yl[1].dtype is lt.int64
        yt, yl = yt[0], yl[0]
    assert_same(yl.cpu(), yt, atol=atol)
    if not grads:
        return yl
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g, dtype=yt.dtype))
    yl.backward(lt.tensor(g, device=device, dtype=yl.dtype))
    for i in grads:
        assert_same(ll[i].grad.cpu(), tt[i].grad, rtol=1e-4, atol=1e-5)
    if node:
        assert yl.grad_fn.name() == type(yt.grad_fn).__name__
    return yl


def arr(*shape, dtype="float64", scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def check_module(torch, make, shape, device="cpu", dtype="float64", transpose=False):
    """Same repr, state_dict keys; PyTorch's weights loaded into ours: same output and gradients."""
    tl, ll = make(torch.nn).to(getattr(torch, dtype)), make(nn).to(getattr(lt, dtype))
    assert repr(ll) == repr(tl)
    assert list(ll.state_dict()) == list(tl.state_dict())
    ll.load_state_dict({k: lt.tensor(v.detach().numpy()) for k, v in tl.state_dict().items()})
    ll.to(device)
    x = arr(*shape, dtype=dtype)
    xt, xl = torch.tensor(x, requires_grad=True), lt.tensor(x, device=device, requires_grad=True)
    yt = tl(xt.transpose(0, -1) if transpose else xt)
    yl = ll(xl.transpose(0, -1) if transpose else xl)
    if isinstance(yt, tuple):
        assert_same(yl[1].cpu(), yt[1])
        yt, yl = yt[0], yl[0]
    assert_same(yl.cpu(), yt, atol=1e-5)
    g = arr(*yt.shape, dtype=dtype)
    yt.backward(torch.tensor(g))
    yl.backward(lt.tensor(g, device=device))
    assert_same(xl.grad.cpu(), xt.grad, rtol=1e-4, atol=1e-5)
    for (nl, pl), (nt, pt) in zip(ll.named_parameters(), tl.named_parameters()):
        assert nl == nt
        assert_same(pl.grad.cpu(), pt.grad, rtol=1e-4, atol=1e-5)


# --- conv1d ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_conv1d_functional(torch, device, dtype):
    x = arr(2, 4, 9, dtype=dtype)
    compare(torch, "conv1d", [x, arr(3, 4, 3, dtype=dtype), arr(3, dtype=dtype)], device=device, grads=(0, 1, 2))
    compare(torch, "conv1d", [x, arr(6, 2, 2, dtype=dtype)], {"stride": 2, "padding": 1, "dilation": 2, "groups": 2},
            device=device, grads=(0, 1))
    compare(torch, "conv1d", [x, arr(5, 4, 1, dtype=dtype)], {"padding": "valid"}, device=device, grads=(0, 1))
    compare(torch, "conv1d", [x, arr(5, 4, 3, dtype=dtype)], {"padding": "same", "dilation": 2}, device=device,
            grads=(0, 1))
    compare(torch, "conv1d", [x, arr(4, 1, 3, dtype=dtype)], {"groups": 4, "stride": (3,), "padding": (2,)},
            device=device, grads=(0, 1))
    compare(torch, "conv1d", [x[0], arr(3, 4, 2, dtype=dtype)], device=device, grads=(0, 1))     # unbatched


def test_conv1d_same_with_even_kernel_and_noncontiguous_input(torch, device):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # PyTorch warns that an even kernel needs a padded copy
        compare(torch, "conv1d", [arr(9, 4, 2), arr(5, 4, 4)], {"padding": "same"}, device=device, grads=(0, 1),
                transpose=True)


def test_conv1d_errors(torch):
    w, tw = lt.randn(4, 3, 3), torch.randn(4, 3, 3)
    T = torch.nn.functional
    for shape in [(3,), (2, 3, 4, 5), (2, 2, 8), (2, 3, 2)]:
        same_error(lambda: F.conv1d(lt.randn(*shape), w), lambda: T.conv1d(torch.randn(*shape), tw))
    same_error(lambda: F.conv1d(lt.randn(2, 3, 8), w, lt.zeros(5)), lambda: T.conv1d(torch.randn(2, 3, 8), tw,
                                                                                      torch.zeros(5)))
    same_error(lambda: F.conv1d(lt.randn(2, 3, 8), w, padding="same", stride=2),
               lambda: T.conv1d(torch.randn(2, 3, 8), tw, padding="same", stride=2))
    same_error(lambda: F.conv1d(lt.randn(2, 3, 8), w, padding="full"),
               lambda: T.conv1d(torch.randn(2, 3, 8), tw, padding="full"))
    same_error(lambda: F.conv2d(lt.randn(1, 3, 8, 8), lt.randn(2, 3, 3, 3), padding="full"),
               lambda: T.conv2d(torch.randn(1, 3, 8, 8), torch.randn(2, 3, 3, 3), padding="full"))
    same_error(lambda: F.conv1d(lt.randn(2, 3, 8), lt.randn(4, 3, 3, 3)),
               lambda: T.conv1d(torch.randn(2, 3, 8), torch.randn(4, 3, 3, 3)))


# --- 1-D pooling ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_pool1d_functional(torch, device, dtype):
    x = arr(2, 3, 11, dtype=dtype)
    for kw in [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
               {"kernel_size": 4, "stride": 3, "ceil_mode": True}, {"kernel_size": (3,), "stride": (1,)}]:
        compare(torch, "max_pool1d", [x], kw, device=device)
        compare(torch, "avg_pool1d", [x], kw, device=device)
    compare(torch, "max_pool1d", [x], {"kernel_size": 3, "stride": 1, "dilation": 2, "return_indices": True},
            device=device)
    compare(torch, "max_pool1d", [x], {"kernel_size": 3, "padding": 1, "ceil_mode": True, "return_indices": True},
            device=device)
    compare(torch, "avg_pool1d", [x], {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
            device=device)
    compare(torch, "avg_pool1d", [x], {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
                                       "count_include_pad": False}, device=device)
    compare(torch, "max_pool1d", [x[0]], {"kernel_size": 2}, device=device)       # unbatched
    compare(torch, "avg_pool1d", [x[0]], {"kernel_size": 2}, device=device)
    compare(torch, "max_pool1d", [arr(7, 3, 2, dtype=dtype)], {"kernel_size": 2}, device=device, transpose=True)


def test_pool1d_errors(torch):
    T = torch.nn.functional
    for f, args in [("max_pool1d", (2,)), ("avg_pool1d", (2,))]:
        for shape in [(2, 3, 4, 5), (3,), (2, 3, 1)]:
            same_error(lambda: getattr(F, f)(lt.randn(*shape), *args),
                       lambda: getattr(T, f)(torch.randn(*shape), *args))
        same_error(lambda: getattr(F, f)(lt.randn(2, 3, 8), 2, padding=2),
                   lambda: getattr(T, f)(torch.randn(2, 3, 8), 2, padding=2))
        same_error(lambda: getattr(F, f)(lt.randn(2, 3, 8), 2, 0), lambda: getattr(T, f)(torch.randn(2, 3, 8), 2, 0))
    same_error(lambda: F.max_pool1d(lt.randn(2, 3, 8), 0), lambda: T.max_pool1d(torch.randn(2, 3, 8), 0))
    same_error(lambda: F.max_pool1d(lt.randn(2, 0, 8), 2), lambda: T.max_pool1d(torch.randn(2, 0, 8), 2))


# --- adaptive pooling ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_adaptive_pooling_functional(torch, device, dtype):
    x = arr(2, 3, 7, 5, dtype=dtype)
    for size in [3, (3, None), (None, 2), (10, 2), (7, 5), (1, 1), 1, (1, 3)]:
        compare(torch, "adaptive_avg_pool2d", [x, size], device=device)
        compare(torch, "adaptive_max_pool2d", [x, size], device=device)
        compare(torch, "adaptive_max_pool2d", [x, size, True], device=device)     # return_indices
    compare(torch, "adaptive_avg_pool2d", [x[0], (4, 3)], device=device)          # unbatched
    compare(torch, "adaptive_max_pool2d", [x[0], (4, 3), True], device=device)
    compare(torch, "adaptive_avg_pool2d", [arr(5, 3, 4, 2, dtype=dtype), (3, 2)], device=device, transpose=True)
    x1 = arr(2, 3, 9, dtype=dtype)
    for n in [1, 2, 4, 9, 12, (5,)]:
        compare(torch, "adaptive_avg_pool1d", [x1, n], device=device)
        compare(torch, "adaptive_max_pool1d", [x1, n], device=device)
        compare(torch, "adaptive_max_pool1d", [x1, n, True], device=device)
    compare(torch, "adaptive_max_pool1d", [x1[0], 4, True], device=device)


def test_adaptive_pooling_errors(torch):
    T = torch.nn.functional
    cases = [("adaptive_avg_pool1d", (2, 3, 4, 5), 2), ("adaptive_avg_pool1d", (3,), 2),
             ("adaptive_max_pool1d", (2, 3, 4, 5), 2), ("adaptive_avg_pool2d", (3, 4), 2),
             ("adaptive_avg_pool2d", (2, 3, 4, 5, 6), 2), ("adaptive_max_pool2d", (3, 4), 2),
             ("adaptive_max_pool2d", (2, 3, 4, 5), (2, 2, 2)), ("adaptive_avg_pool2d", (2, 3, 4, 5), (2, 2, 2)),
             ("adaptive_avg_pool1d", (2, 3, 4), (2, 2)), ("adaptive_avg_pool2d", (2, 3, 0, 5), 2),
             ("adaptive_max_pool1d", (2, 3, 4), None), ("adaptive_avg_pool1d", (2, 3, 4), None)]
    for f, shape, size in cases:
        same_error(lambda: getattr(F, f)(lt.randn(*shape), size), lambda: getattr(T, f)(torch.randn(*shape), size))


# --- spatial dropout -------------------------------------------------------------------------------

@pytest.mark.parametrize("fn,shape", [("dropout1d", (4, 6, 5)), ("dropout1d", (6, 5)), ("dropout2d", (4, 6, 3, 5)),
                                      ("dropout2d", (6, 3, 5))])
def test_spatial_dropout_same_masks_as_torch(torch, device, fn, shape):
    x = arr(*shape, dtype="float32")
    for p in (0.3, 0.5):
        torch.manual_seed(3)
        lt.manual_seed(3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # dropout2d on 3-D input warns (in both)
            xt, xl = torch.tensor(x, requires_grad=True), lt.tensor(x, device=device, requires_grad=True)
            yt, yl = getattr(torch.nn.functional, fn)(xt, p), getattr(F, fn)(xl, p)
        assert_same(yl.cpu(), yt)
        zero = (yl.detach().cpu().numpy() == 0)
        assert (zero.all(-1) | ~zero.any(-1)).all()           # whole channels are dropped
        yt.sum().backward()
        yl.sum().backward()
        assert_same(xl.grad.cpu(), xt.grad)
        assert yl.grad_fn.name() == type(yt.grad_fn).__name__
    xl = lt.tensor(x, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(shape) == (3 if fn == "dropout1d" else 4):      # batched: the input itself, as in PyTorch
            assert getattr(F, fn)(xl, 0.5, training=False) is xl
        assert_same(getattr(F, fn)(xl, 0.5, training=False).cpu(), torch.tensor(x))
        assert (getattr(F, fn)(xl, 1.0).cpu().numpy() == 0).all()


def test_spatial_dropout_inplace_and_modules(torch, device):
    x = arr(4, 6, 5, dtype="float32")
    torch.manual_seed(5)
    lt.manual_seed(5)
    xt, xl = torch.tensor(x), lt.tensor(x, device=device)
    yt, yl = torch.nn.functional.dropout1d(xt, 0.4, inplace=True), F.dropout1d(xl, 0.4, inplace=True)
    assert_same(xl.cpu(), xt)
    assert_same(yl.cpu(), yt)
    for make, shape in [(lambda nn: nn.Dropout1d(0.3), (3, 4, 5)), (lambda nn: nn.Dropout2d(), (3, 4, 2, 5))]:
        torch.manual_seed(7)
        lt.manual_seed(7)
        tm, lm = make(torch.nn), make(nn)
        assert repr(lm) == repr(tm)
        x = arr(*shape, dtype="float32")
        assert_same(lm(lt.tensor(x, device=device)).cpu(), tm(torch.tensor(x)))
        assert_same(lm.eval()(lt.tensor(x, device=device)).cpu(), tm.eval()(torch.tensor(x)))
    assert repr(nn.Dropout2d(0.2, True)) == repr(torch.nn.Dropout2d(0.2, True))


def test_spatial_dropout_errors_and_warnings(torch):
    T = torch.nn.functional
    same_error(lambda: F.dropout1d(lt.randn(2, 3, 4, 5)), lambda: T.dropout1d(torch.randn(2, 3, 4, 5)))
    same_error(lambda: F.dropout1d(lt.randn(2, 3), p=1.5), lambda: T.dropout1d(torch.randn(2, 3), p=1.5))
    same_error(lambda: F.dropout2d(lt.randn(2, 3, 4, 5), p=-0.5), lambda: T.dropout2d(torch.randn(2, 3, 4, 5), p=-0.5))
    for shape in [(2, 3, 4), (2, 3, 4, 5, 6), (2, 3)]:
        with warnings.catch_warnings(record=True) as wt:
            warnings.simplefilter("always")
            T.dropout2d(torch.randn(*shape))
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always")
            F.dropout2d(lt.randn(*shape))
        assert [str(w.message) for w in wl] == [str(w.message) for w in wt] != []


# --- modules -----------------------------------------------------------------------------------------

MODULES = [
    ("Conv1d", lambda nn: nn.Conv1d(3, 4, 3), (2, 3, 8)),
    ("Conv1dAll", lambda nn: nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2, bias=False), (2, 4, 9)),
    ("Conv1dSame", lambda nn: nn.Conv1d(3, 4, 3, padding="same"), (2, 3, 7)),
    ("Conv1dUnbatched", lambda nn: nn.Conv1d(3, 2, 2, padding=1), (3, 6)),
    ("MaxPool1d", lambda nn: nn.MaxPool1d(2), (2, 3, 7)),
    ("MaxPool1dCeil", lambda nn: nn.MaxPool1d(3, 2, 1, ceil_mode=True), (2, 3, 7)),
    ("MaxPool1dIndices", lambda nn: nn.MaxPool1d(2, return_indices=True), (2, 3, 7)),
    ("AvgPool1d", lambda nn: nn.AvgPool1d(3, 2, 1, count_include_pad=False), (2, 3, 7)),
    ("AdaptiveAvgPool1d", lambda nn: nn.AdaptiveAvgPool1d(3), (2, 3, 7)),
    ("AdaptiveAvgPool2d", lambda nn: nn.AdaptiveAvgPool2d((3, None)), (2, 3, 7, 5)),
    ("AdaptiveAvgPool2dGlobal", lambda nn: nn.AdaptiveAvgPool2d(1), (2, 3, 7, 5)),
    ("AdaptiveMaxPool1d", lambda nn: nn.AdaptiveMaxPool1d(4, return_indices=True), (2, 3, 7)),
    ("AdaptiveMaxPool2d", lambda nn: nn.AdaptiveMaxPool2d((2, 3)), (2, 3, 7, 5)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,make,shape", MODULES, ids=[m[0] for m in MODULES])
def test_modules_match_torch(torch, device, dtype, name, make, shape):
    check_module(torch, make, shape, device, dtype)


def test_modules_on_noncontiguous_input(torch, device):
    check_module(torch, lambda nn: nn.Conv1d(4, 3, 2), (5, 4, 3), device, transpose=True)
    check_module(torch, lambda nn: nn.AdaptiveMaxPool2d(2), (5, 4, 3, 2), device, transpose=True)


def test_seeded_conv1d_weights_match_torch(torch):
    for make in (lambda nn: nn.Conv1d(3, 4, 3), lambda nn: nn.Conv1d(4, 6, 5, groups=2, bias=False)):
        torch.manual_seed(0)
        lt.manual_seed(0)
        a, b = make(nn), make(torch.nn)
        assert list(a.state_dict()) == list(b.state_dict())
        for pa, pb in zip(a.state_dict().values(), b.state_dict().values()):
            np.testing.assert_allclose(pa.numpy(), pb.numpy(), rtol=0, atol=1e-7)


def test_module_reprs(torch):
    makers = [lambda nn: nn.Conv1d(3, 4, 4, padding="same"), lambda nn: nn.MaxPool1d(3, 2, 1, ceil_mode=True),
              lambda nn: nn.AvgPool1d(2), lambda nn: nn.AdaptiveMaxPool2d(3, True), lambda nn: nn.AdaptiveAvgPool1d(2),
              lambda nn: nn.Conv2d(1, 6, 5)]
    for make in makers:
        assert repr(make(nn)) == repr(make(torch.nn))


# --- gradcheck (float64) ----------------------------------------------------------------------------

def _d(*shape):
    return lt.tensor(rng.standard_normal(shape), dtype=lt.float64, requires_grad=True)


GRADCHECKS = [
    ("conv1d", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2), lambda: (_d(2, 2, 7), _d(3, 2, 2),
                                                                                          _d(3))),
    ("conv1d_groups_same", lambda x, w: F.conv1d(x, w, padding="same", groups=2), lambda: (_d(1, 4, 6), _d(2, 2, 4))),
    ("max_pool1d", lambda x: F.max_pool1d(x, 3, 2, 1, ceil_mode=True), lambda: (_d(2, 2, 8),)),
    ("avg_pool1d", lambda x: F.avg_pool1d(x, 3, 2, 1, count_include_pad=False), lambda: (_d(2, 2, 8),)),
    ("adaptive_avg_pool1d", lambda x: F.adaptive_avg_pool1d(x, 3), lambda: (_d(2, 2, 7),)),
    ("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, (3, 4)), lambda: (_d(1, 2, 5, 7),)),
    ("adaptive_max_pool1d", lambda x: F.adaptive_max_pool1d(x, 3), lambda: (_d(2, 2, 7),)),
    ("adaptive_max_pool2d", lambda x: F.adaptive_max_pool2d(x, (3, 2)), lambda: (_d(1, 2, 5, 7),)),
]


@pytest.mark.parametrize("name,fn,inputs", GRADCHECKS, ids=[g[0] for g in GRADCHECKS])
def test_gradcheck(name, fn, inputs):
    assert gradcheck(fn, inputs())


def test_second_order_through_conv1d_and_adaptive_avg(torch):
    x, w = arr(2, 3, 6), arr(4, 3, 2)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    xl, wl = lt.tensor(x, requires_grad=True), lt.tensor(w, requires_grad=True)
    yt = torch.nn.functional.adaptive_avg_pool1d(torch.nn.functional.conv1d(xt, wt), 3)
    yl = F.adaptive_avg_pool1d(F.conv1d(xl, wl), 3)
    gt, = torch.autograd.grad((yt ** 2).sum(), xt, create_graph=True)
    gl, = lt.autograd.grad((yl ** 2).sum(), xl, create_graph=True)
    assert_same(gl, gt)
    (gt ** 2).sum().backward()
    (gl ** 2).sum().backward()
    assert_same(wl.grad, wt.grad)


# --- padding modes ------------------------------------------------------------------------------------

PADS = [((2, 5), (1, 2)), ((2, 3, 6), (2, 3)), ((2, 3, 6), (-1, 2)), ((2, 3, 6), (2, -1)), ((2, 4, 5), (1, 2, 3, 1)),
        ((2, 3, 4, 5), (0, 2, 3, 1)), ((2, 3, 4, 5), (1, 1, 1, 1, 1, 2)), ((2, 3, 4, 5, 6), (1, 2, -1, 1, 2, 0))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_pad_modes(torch, device, dtype, mode):
    for shape, amounts in PADS:
        compare(torch, "pad", [arr(*shape, dtype=dtype), amounts], {"mode": mode}, device=device)
    compare(torch, "pad", [arr(2, 3, 6, dtype=dtype), (2, 1, 1, 0)], {"mode": mode}, device=device, transpose=True)
    widest = {"reflect": (5, 4), "replicate": (9, 7), "circular": (6, 1)}[mode]     # as wide as each mode allows
    compare(torch, "pad", [arr(2, 3, 6, dtype=dtype), widest], {"mode": mode}, device=device)
    ints = np.arange(24).reshape(2, 3, 4)
    assert_same(F.pad(lt.tensor(ints, device=device), (1, 2), mode=mode).cpu(),
                torch.nn.functional.pad(torch.tensor(ints), (1, 2), mode=mode))


def test_pad_mode_values_by_hand(device):
    x = lt.tensor([[[1.0, 2.0, 3.0]]], device=device)
    assert F.pad(x, (2, 2), mode="reflect").tolist() == [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]]
    assert F.pad(x, (2, 2), mode="replicate").tolist() == [[[1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0]]]
    assert F.pad(x, (2, 2), mode="circular").tolist() == [[[2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0]]]


def test_pad_mode_errors(torch):
    T = torch.nn.functional
    cases = [((3,), (1, 1), "reflect"), ((2, 3, 4, 5), (1, 2), "replicate"),
             ((2, 3, 4, 5, 6), (1, 2, 1, 1), "circular"),
             ((2, 3, 4), (4, 1), "reflect"), ((2, 3, 4, 5), (1, 1, 1, 4), "reflect"),
             ((2, 3, 4, 5, 6), (1, 1, 1, 1, 4, 1), "reflect"), ((2, 3, 4), (5, 1), "circular"),
             ((2, 3, 4), (-3, -2), "circular"), ((2, 3, 4), (-3, -2), "reflect"), ((2, 3, 4), (-2, -2), "replicate"),
             ((2, 3, 4), (1,), "reflect"), ((2, 3, 0), (1, 1), "reflect"), ((2, 0, 4), (1, 1), "replicate"),
             ((2, 3, 0, 5), (1, 1, 1, 1), "reflect"), ((2, 3, 4), (1, 1), "foo"), ((2, 3, 4), (1, 1), "zeros")]
    for shape, amounts, mode in cases:
        same_error(lambda: F.pad(lt.randn(*shape), amounts, mode=mode),
                   lambda: T.pad(torch.randn(*shape), amounts, mode=mode))
    same_error(lambda: F.pad(lt.randn(2, 3, 4), (1, 1), mode="reflect", value=2.0),
               lambda: T.pad(torch.randn(2, 3, 4), (1, 1), mode="reflect", value=2.0))
    assert_same(F.pad(lt.ones(2, 3), (1, 1), mode="reflect", value=0.0), T.pad(torch.ones(2, 3), (1, 1), mode="reflect",
                                                                              value=0.0))


PAD_MODULES = [
    ("ZeroPad1d", lambda nn: nn.ZeroPad1d(2), (2, 3, 4)),
    ("ZeroPad2d", lambda nn: nn.ZeroPad2d((1, 2, 0, 3)), (2, 3, 4, 5)),
    ("ConstantPad1d", lambda nn: nn.ConstantPad1d((1, 2), 3.5), (3, 4)),
    ("ConstantPad2d", lambda nn: nn.ConstantPad2d(1, -1.0), (3, 4, 5)),
    ("ReflectionPad1d", lambda nn: nn.ReflectionPad1d((3, 1)), (2, 3, 4)),
    ("ReflectionPad2d", lambda nn: nn.ReflectionPad2d(2), (2, 3, 4, 5)),
    ("ReplicationPad1d", lambda nn: nn.ReplicationPad1d(5), (3, 4)),
    ("ReplicationPad2d", lambda nn: nn.ReplicationPad2d((1, 0, 2, 6)), (2, 3, 4, 5)),
    ("CircularPad1d", lambda nn: nn.CircularPad1d((2, 3)), (2, 3, 4)),
    ("CircularPad2d", lambda nn: nn.CircularPad2d(1), (3, 4, 5)),
    ("Conv2dReflect", lambda nn: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), (2, 3, 5, 6)),
    ("Conv2dCircular", lambda nn: nn.Conv2d(3, 4, (3, 2), padding=(2, 1), padding_mode="circular"), (2, 3, 5, 6)),
    ("Conv2dReplicateSame", lambda nn: nn.Conv2d(3, 4, 4, padding="same", padding_mode="replicate"), (2, 3, 5, 6)),
    ("Conv1dReflect", lambda nn: nn.Conv1d(3, 4, 3, padding=2, padding_mode="reflect", bias=False), (2, 3, 7)),
    ("Conv1dCircularSame", lambda nn: nn.Conv1d(3, 4, 4, padding="same", padding_mode="circular"), (3, 7)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,make,shape", PAD_MODULES, ids=[m[0] for m in PAD_MODULES])
def test_padding_modules_match_torch(torch, device, dtype, name, make, shape):
    check_module(torch, make, shape, device, dtype)


def test_padding_module_errors(torch):
    same_error(lambda: nn.CircularPad1d(1)(lt.ones(2)), lambda: torch.nn.CircularPad1d(1)(torch.ones(2)))
    same_error(lambda: nn.CircularPad2d(1)(lt.ones(2, 3)), lambda: torch.nn.CircularPad2d(1)(torch.ones(2, 3)))
    same_error(lambda: nn.ReflectionPad2d(1)(lt.ones(2, 3)), lambda: torch.nn.ReflectionPad2d(1)(torch.ones(2, 3)))
    with pytest.raises(ValueError, match="^padding_mode must be one of .*, but got padding_mode='foo'$"):
        nn.Conv2d(1, 1, 1, padding_mode="foo")


def test_seeded_conv_with_padding_mode_matches_torch(torch):
    torch.manual_seed(0)
    lt.manual_seed(0)
    a, b = nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), torch.nn.Conv2d(2, 3, 3, padding=1,
                                                                                  padding_mode="reflect")
    x = arr(1, 2, 4, 4, dtype="float32")
    assert_same(a(lt.tensor(x)), b(torch.tensor(x)), atol=1e-6)


PAD_GRADCHECKS = [
    ("reflect1d", lambda x: F.pad(x, (2, 1), mode="reflect"), lambda: (_d(2, 3, 4),)),
    ("reflect2d", lambda x: F.pad(x, (1, 2, 2, 0), mode="reflect"), lambda: (_d(2, 3, 4),)),
    ("replicate2d", lambda x: F.pad(x, (3, 1, 0, 2), mode="replicate"), lambda: (_d(1, 2, 3, 2),)),
    ("replicate3d", lambda x: F.pad(x, (1, 1, 0, 2, 1, 0), mode="replicate"), lambda: (_d(1, 2, 2, 2),)),
    ("circular1d_negative", lambda x: F.pad(x, (-1, 3), mode="circular"), lambda: (_d(2, 5),)),
    ("circular2d", lambda x: F.pad(x, (1, 2, 2, 1), mode="circular"), lambda: (_d(1, 2, 3, 3),)),
]


@pytest.mark.parametrize("name,fn,inputs", PAD_GRADCHECKS, ids=[g[0] for g in PAD_GRADCHECKS])
def test_pad_gradcheck(name, fn, inputs):
    assert gradcheck(fn, inputs())


def test_top_level_aliases_of_functional_ops(torch):
    """torch.conv2d, torch.pixel_shuffle ... exist at top level too, with the same numbers."""
    x = np.random.default_rng(2).standard_normal((1, 4, 3, 3))
    w = np.random.default_rng(3).standard_normal((2, 4, 2, 2))
    assert_same(lt.conv2d(lt.tensor(x), lt.tensor(w)), torch.conv2d(torch.tensor(x), torch.tensor(w)))
    assert_same(lt.pixel_shuffle(lt.tensor(x), 2), torch.pixel_shuffle(torch.tensor(x), 2))
    assert_same(lt.cosine_similarity(lt.tensor(x), lt.tensor(x * 2)), torch.cosine_similarity(torch.tensor(x), torch.tensor(x * 2)))
    for name in ("conv1d", "conv3d", "conv_transpose1d", "conv_transpose2d", "pixel_unshuffle", "channel_shuffle",
                 "pairwise_distance", "rrelu", "rrelu_", "selu", "celu", "threshold", "prelu", "hardshrink"):
        assert hasattr(torch, name) and callable(getattr(lt, name))
