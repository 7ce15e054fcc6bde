"""Upsampling (上采样), pixel/channel shuffle (重排), fold/unfold (滑窗), local response norm, InstanceNorm3d and
Bilinear against real PyTorch: values, dtypes, gradients, node names, module reprs, seeded weights, errors;
gradcheck in float64."""
import numpy as np
import pytest

import learntorch as lt
import learntorch.nn.functional as F
from learntorch import nn
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

rng = np.random.default_rng(0)
DTYPES = ["float32", "float64"]


def compare(torch, name, shape, *args, device="cpu", dtype="float64", transpose=False, **kwargs):
    """F.<name>(x, *args, **kwargs) in both libraries: value, dtype, gradient and grad_fn name.
    ``transpose``: x is passed as a non-contiguous view (its first and last dims swapped)."""
    a = rng.standard_normal(shape).astype(dtype)
    if transpose:
        a = np.ascontiguousarray(np.swapaxes(a, 0, -1))
    xt, xl = torch.tensor(a, requires_grad=True), lt.tensor(a, device=device, requires_grad=True)
    it, il = (xt.transpose(0, -1), xl.transpose(0, -1)) if transpose else (xt, xl)
    if transpose:
        assert not il.is_contiguous()
    yt, yl = getattr(torch.nn.functional, name)(it, *args, **kwargs), getattr(F, name)(il, *args, **kwargs)
    atol = 1e-5 if dtype == "float32" else 1e-10
    assert_same(yl.cpu(), yt, atol=atol)
    g = rng.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    yl.backward(lt.tensor(g, device=device))
    assert_same(xl.grad.cpu(), xt.grad, atol=atol)
    assert yl.grad_fn.name() == yt.grad_fn.name()
    return yl


# --- interpolate ---------------------------------------------------------------------------------

SIZES = [dict(scale_factor=2), dict(size=(5, 7)), dict(scale_factor=(0.5, 1.7)), dict(size=(2, 3)),
         dict(scale_factor=1.3, recompute_scale_factor=True), dict(size=(4, 5))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("sizes", SIZES)
def test_interpolate_nearest_2d(torch, device, dtype, mode, sizes):
    compare(torch, "interpolate", (2, 3, 4, 5), device=device, dtype=dtype, mode=mode, **sizes)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("sizes", SIZES)
def test_interpolate_bilinear_bicubic(torch, device, dtype, mode, align_corners, sizes):
    compare(torch, "interpolate", (2, 3, 4, 5), device=device, dtype=dtype, mode=mode, align_corners=align_corners,
            **sizes)


@pytest.mark.parametrize("mode, shape, kwargs", [
    ("nearest", (2, 3, 5), dict(size=3)),
    ("nearest", (2, 3, 5), dict(scale_factor=2.5)),
    ("nearest-exact", (2, 3, 5), dict(size=8)),
    ("linear", (2, 3, 5), dict(size=9)),
    ("linear", (2, 3, 5), dict(scale_factor=0.4, align_corners=True)),
    ("nearest", (1, 2, 3, 4, 5), dict(scale_factor=(1.5, 2, 0.6))),
    ("nearest-exact", (1, 2, 3, 4, 5), dict(size=(2, 6, 7))),
    ("trilinear", (1, 2, 3, 4, 5), dict(size=(4, 6, 3))),
    ("trilinear", (1, 2, 3, 4, 5), dict(scale_factor=2, align_corners=True)),
    ("area", (1, 2, 4, 5), dict(size=(2, 3))),
    ("area", (1, 2, 7), dict(scale_factor=0.5)),
])
@pytest.mark.parametrize("dtype", DTYPES)
def test_interpolate_1d_3d_area(torch, device, dtype, mode, shape, kwargs):
    compare(torch, "interpolate", shape, device=device, dtype=dtype, mode=mode, **kwargs)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_interpolate_non_contiguous(torch, device, mode):
    # (2, 3, 4, 5) built as a transposed view of a (5, 3, 4, 2) tensor
    compare(torch, "interpolate", (2, 3, 4, 5), device=device, dtype="float32", transpose=True, mode=mode,
            size=(6, 3))


def test_interpolate_known_values(device):
    x = lt.tensor([[[1.0, 2.0, 4.0]]], device=device)
    assert F.interpolate(x, scale_factor=2).tolist() == [[[1.0, 1.0, 2.0, 2.0, 4.0, 4.0]]]
    assert F.interpolate(x, size=5, mode="linear", align_corners=True).tolist() == [[[1.0, 1.5, 2.0, 3.0, 4.0]]]
    assert F.interpolate(x, size=4, mode="linear").tolist() == [[[1.0, 1.625, 2.75, 4.0]]]


def test_interpolate_uint8_nearest_and_empty_batch(torch, device):
    a = rng.integers(0, 255, (1, 2, 3, 4)).astype(np.uint8)
    yl = F.interpolate(lt.tensor(a, device=device), scale_factor=1.5)
    assert_same(yl.cpu(), torch.nn.functional.interpolate(torch.tensor(a), scale_factor=1.5))
    e = F.interpolate(lt.zeros(0, 2, 3, 3, device=device), size=(2, 2), mode="bilinear")
    assert tuple(e.shape) == (0, 2, 2, 2)


def test_interpolate_gradcheck():
    x = lt.randn(1, 2, 3, 4, dtype=lt.float64, requires_grad=True)
    for kw in (dict(mode="nearest", scale_factor=1.5), dict(mode="nearest-exact", size=(5, 2)),
               dict(mode="bilinear", size=(5, 7)), dict(mode="bicubic", size=(4, 6), align_corners=True)):
        assert gradcheck(lambda t: F.interpolate(t, **kw), (x,))
    y = lt.randn(1, 2, 3, 2, 2, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: F.interpolate(t, scale_factor=2, mode="trilinear"), (y,))


def test_interpolate_create_graph(torch):
    a = rng.standard_normal((1, 1, 3, 4))
    outs = []
    for lib, fn in ((torch, torch.nn.functional.interpolate), (lt, F.interpolate)):
        x = lib.tensor(a, requires_grad=True)
        y = fn(x * x, size=(5, 6), mode="bicubic")
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
        outs.append(x.grad)
    assert_same(outs[1], outs[0], atol=1e-10)


INTERP_ERRORS = {
    "align_corners with nearest": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, align_corners=True),
    "size and scale": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, scale_factor=2),
    "neither": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3)),
    "size length": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=(2, 2, 2)),
    "size type": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=(2.5, 2)),
    "scale length": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), scale_factor=(2,)),
    "recompute with size": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, recompute_scale_factor=True),
    "antialias 3-D": lambda t, F_: F_.interpolate(t.ones(1, 1, 3), size=2, mode="linear", antialias=True),
    "2-D input": lambda t, F_: F_.interpolate(t.ones(3, 3), size=2),
    "unknown mode": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, mode="foo"),
    "bilinear on 3-D": lambda t, F_: F_.interpolate(t.ones(1, 1, 3), size=2, mode="bilinear"),
    "linear on 4-D": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, mode="linear"),
    "trilinear on 4-D": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, mode="trilinear"),
    "bilinear on 5-D": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3, 3), size=2, mode="bilinear"),
    "lanczos without antialias": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, mode="lanczos"),
    "lanczos align_corners": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3), size=2, mode="lanczos",
                                                          align_corners=True),
    "size 0 (2-D)": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 4), size=(0, 2)),
    "size 0 (1-D)": lambda t, F_: F_.interpolate(t.ones(1, 1, 3), size=0, mode="linear"),
    "size 0 (3-D)": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 3, 3), size=(0, 1, 1)),
    "tiny scale": lambda t, F_: F_.interpolate(t.ones(1, 1, 3, 4), scale_factor=0.1, mode="bilinear"),
    "empty spatial input": lambda t, F_: F_.interpolate(t.ones(1, 1, 0, 3), size=2),
    "no channels": lambda t, F_: F_.interpolate(t.ones(1, 0, 3, 3), size=2, mode="bicubic"),
    "long nearest 4-D": lambda t, F_: F_.interpolate(t.ones(2, 3, 3, 3, dtype=t.long), size=2),
    "long bilinear": lambda t, F_: F_.interpolate(t.ones(2, 3, 3, 3, dtype=t.long), size=2, mode="bilinear"),
    "long bicubic": lambda t, F_: F_.interpolate(t.ones(2, 3, 3, 3, dtype=t.long), size=2, mode="bicubic"),
    "long linear 1-D": lambda t, F_: F_.interpolate(t.ones(2, 3, 3, dtype=t.long), size=2, mode="linear"),
    "bool nearest 1-D": lambda t, F_: F_.interpolate(t.ones(2, 3, 3, dtype=t.bool), size=2),
}


@pytest.mark.parametrize("name", sorted(INTERP_ERRORS))
def test_interpolate_errors(torch, name):
    case = INTERP_ERRORS[name]
    same_error(lambda: case(lt, F), lambda: case(torch, torch.nn.functional))


def test_interpolate_antialias_not_implemented():
    with pytest.raises(NotImplementedError, match="antialias"):
        F.interpolate(lt.ones(1, 1, 4, 4), size=2, mode="bilinear", antialias=True)


@pytest.mark.parametrize("make, shape", [
    (lambda n: n.Upsample(scale_factor=2), (2, 3, 4)),
    (lambda n: n.Upsample(size=(3, 7), mode="bilinear"), (2, 3, 4, 5)),
    (lambda n: n.Upsample(scale_factor=(2, 1.5), mode="bicubic", align_corners=True), (2, 3, 4, 5)),
    (lambda n: n.Upsample(scale_factor=2, mode="trilinear"), (1, 2, 2, 3, 2)),
    (lambda n: n.UpsamplingNearest2d(scale_factor=3), (1, 2, 3, 2)),
    (lambda n: n.UpsamplingBilinear2d(size=5), (1, 2, 3, 2)),
    (lambda n: n.PixelShuffle(2), (2, 8, 3, 2)),
    (lambda n: n.PixelUnshuffle(2), (2, 2, 4, 6)),
    (lambda n: n.ChannelShuffle(3), (2, 6, 2, 2)),
    (lambda n: n.Unfold((2, 3), padding=1, stride=(1, 2)), (2, 3, 4, 5)),
    (lambda n: n.Fold((4, 5), 2), (2, 12, 12)),
    (lambda n: n.LocalResponseNorm(3, alpha=0.5), (2, 5, 3, 2)),
    (lambda n: n.InstanceNorm3d(3, affine=True), (2, 3, 2, 3, 4)),
])
def test_modules(torch, device, make, shape):
    tl, ll = make(torch.nn).double(), make(nn).double()
    assert repr(ll) == repr(tl)
    assert list(ll.state_dict()) == list(tl.state_dict())
    ll.to(device)
    a = rng.standard_normal(shape)
    xt, xl = torch.tensor(a, requires_grad=True), lt.tensor(a, device=device, requires_grad=True)
    yt, yl = tl(xt), ll(xl)
    assert_same(yl.cpu(), yt, atol=1e-10)
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g))
    yl.backward(lt.tensor(g, device=device))
    assert_same(xl.grad.cpu(), xt.grad, atol=1e-10)


def test_upsampling_bilinear2d_aligns_corners(torch):
    a = rng.standard_normal((1, 1, 3, 3))
    yl = nn.UpsamplingBilinear2d(scale_factor=2)(lt.tensor(a))
    assert_same(yl, torch.nn.functional.interpolate(torch.tensor(a), scale_factor=2, mode="bilinear",
                                                    align_corners=True), atol=1e-12)
    assert yl[0, 0, 0, 0].item() == a[0, 0, 0, 0] and yl[0, 0, -1, -1].item() == a[0, 0, -1, -1]
    assert repr(nn.Upsample(scale_factor=0)) == "Upsample(size=None, mode='nearest')"


# --- pixel shuffle, channel shuffle ------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, shape, r", [
    ("pixel_shuffle", (2, 8, 3, 4), 2), ("pixel_shuffle", (2, 3, 18, 3, 4), 3), ("pixel_shuffle", (9, 2, 3), 3),
    ("pixel_unshuffle", (2, 2, 6, 4), 2), ("pixel_unshuffle", (3, 6, 9), 3),
    ("channel_shuffle", (2, 6, 3, 4), 3), ("channel_shuffle", (2, 6, 3), 2),
])
def test_shuffles(torch, device, dtype, name, shape, r):
    compare(torch, name, shape, r, device=device, dtype=dtype)


def test_shuffles_non_contiguous_and_inverse(torch, device):
    compare(torch, "pixel_shuffle", (3, 4, 2, 4), 2, device=device, dtype="float32", transpose=True)
    x = lt.randn(2, 3, 4, 6, device=device)
    assert lt.equal(F.pixel_shuffle(F.pixel_unshuffle(x, 2), 2), x)
    assert lt.equal(F.channel_shuffle(F.channel_shuffle(x.reshape(2, 6, 2, 6), 2), 3), x.reshape(2, 6, 2, 6))
    ints = lt.arange(8, device=device).reshape(1, 8, 1, 1)
    assert F.pixel_shuffle(ints, 2).dtype is lt.int64
    assert F.channel_shuffle(ints, 2).flatten().tolist() == [0, 4, 1, 5, 2, 6, 3, 7]


def test_shuffles_gradcheck():
    x = lt.randn(2, 8, 2, 2, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: F.pixel_shuffle(t, 2), (x,))
    assert gradcheck(lambda t: F.pixel_unshuffle(t, 2), (x,))
    assert gradcheck(lambda t: F.channel_shuffle(t, 4), (x,))


SHUFFLE_ERRORS = {
    "pixel_shuffle channels": lambda t, F_: F_.pixel_shuffle(t.ones(2, 8, 3, 4), 3),
    "pixel_shuffle 2-D": lambda t, F_: F_.pixel_shuffle(t.ones(3, 4), 2),
    "pixel_shuffle zero": lambda t, F_: F_.pixel_shuffle(t.ones(2, 8, 3, 4), 0),
    "pixel_shuffle negative": lambda t, F_: F_.pixel_shuffle(t.ones(2, 8, 3, 4), -2),
    "pixel_shuffle float factor": lambda t, F_: F_.pixel_shuffle(t.ones(2, 8, 3, 4), 2.0),
    "pixel_unshuffle height": lambda t, F_: F_.pixel_unshuffle(t.ones(2, 8, 3, 4), 2),
    "pixel_unshuffle width": lambda t, F_: F_.pixel_unshuffle(t.ones(2, 8, 3, 4), 3),
    "pixel_unshuffle 2-D": lambda t, F_: F_.pixel_unshuffle(t.ones(4, 4), 2),
    "pixel_unshuffle zero": lambda t, F_: F_.pixel_unshuffle(t.ones(2, 4, 4), 0),
    "channel_shuffle divisible": lambda t, F_: F_.channel_shuffle(t.ones(2, 8, 3), 3),
    "channel_shuffle zero": lambda t, F_: F_.channel_shuffle(t.ones(2, 8, 3), 0),
    "channel_shuffle 2-D": lambda t, F_: F_.channel_shuffle(t.ones(2, 8), 2),
}


@pytest.mark.parametrize("name", sorted(SHUFFLE_ERRORS))
def test_shuffle_errors(torch, name):
    case = SHUFFLE_ERRORS[name]
    same_error(lambda: case(lt, F), lambda: case(torch, torch.nn.functional))


# --- unfold / fold -----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, args, kwargs", [
    ((2, 3, 5, 6), (2,), {}),
    ((2, 3, 5, 6), ((2, 3),), dict(dilation=(2, 1), padding=1, stride=(2, 1))),
    ((3, 5, 6), (3,), dict(padding=(0, 1))),
])
def test_unfold(torch, device, dtype, shape, args, kwargs):
    compare(torch, "unfold", shape, *args, device=device, dtype=dtype, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, args, kwargs", [
    ((2, 12, 20), ((3, 4), 2), dict(padding=1)),
    ((12, 20), ((3, 4), 2), dict(padding=1)),
    ((2, 12, 4), ((5, 6), (2, 3)), dict(dilation=(2, 1), stride=(2, 3))),
])
def test_fold(torch, device, dtype, shape, args, kwargs):
    compare(torch, "fold", shape, *args, device=device, dtype=dtype, **kwargs)


def test_unfold_fold_non_contiguous_and_conv(torch, device):
    compare(torch, "unfold", (2, 3, 4, 5), 2, device=device, dtype="float32", transpose=True)
    x = lt.randn(2, 3, 5, 6, dtype=lt.float64, device=device)
    w = lt.randn(4, 3, 2, 3, dtype=lt.float64, device=device)
    via_unfold = (w.view(4, -1) @ F.unfold(x, (2, 3))).view(2, 4, 4, 4)
    assert lt.allclose(via_unfold, F.conv2d(x, w))
    ones = F.fold(F.unfold(lt.ones(1, 1, 3, 3, device=device), 2), (3, 3), 2)   # how many windows cover each pixel
    assert ones.flatten().tolist() == [1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]


def test_unfold_fold_gradcheck():
    x = lt.randn(1, 2, 4, 5, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: F.unfold(t, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), (x,))
    c = lt.randn(2, 8, 6, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: F.fold(t, (3, 4), 2), (c,))


FOLD_ERRORS = {
    "unfold 2-D": lambda t, F_: F_.unfold(t.ones(3, 4), 2),
    "unfold kernel too big": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 5),
    "unfold kernel zero": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 0),
    "unfold stride zero": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 2, stride=0),
    "unfold padding negative": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 2, padding=-1),
    "unfold dilation zero": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 2, dilation=0),
    "unfold dilation before stride": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), 2, dilation=0, stride=0),
    "unfold kernel length": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4), (2, 2, 2)),
    "unfold no channels": lambda t, F_: F_.unfold(t.ones(1, 0, 3, 3), 2),
    "unfold long": lambda t, F_: F_.unfold(t.ones(1, 2, 3, 4, dtype=t.long), 2),
    "fold blocks": lambda t, F_: F_.fold(t.ones(2, 12, 6), (4, 4), 2),
    "fold blocks padded": lambda t, F_: F_.fold(t.ones(2, 12, 6), (3, 4), 2, padding=1),
    "fold divisible": lambda t, F_: F_.fold(t.ones(2, 11, 6), (3, 4), 2),
    "fold kernel zero": lambda t, F_: F_.fold(t.ones(2, 12, 6), (3, 4), 0),
    "fold stride before dilation": lambda t, F_: F_.fold(t.ones(2, 12, 6), (3, 4), 2, stride=0, dilation=0),
    "fold padding negative": lambda t, F_: F_.fold(t.ones(2, 12, 6), (3, 4), 2, padding=-1),
    "fold 1-D": lambda t, F_: F_.fold(t.ones(6), (3, 4), 2),
    "fold 4-D": lambda t, F_: F_.fold(t.ones(2, 3, 4, 5), (3, 4), 2),
    "fold output_size length": lambda t, F_: F_.fold(t.ones(2, 12, 6), (3, 4, 5), 2),
    "fold no blocks": lambda t, F_: F_.fold(t.ones(2, 12, 0), (1, 1), 2),
    "fold long": lambda t, F_: F_.fold(t.ones(2, 12, 6, dtype=t.long), (3, 4), 2),
}


@pytest.mark.parametrize("name", sorted(FOLD_ERRORS))
def test_fold_errors(torch, name):
    case = FOLD_ERRORS[name]
    same_error(lambda: case(lt, F), lambda: case(torch, torch.nn.functional))


# --- local response norm, InstanceNorm3d, Bilinear, one_hot, Identity --------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, size, kwargs", [
    ((2, 5, 3, 4), 3, dict(alpha=0.1)),
    ((2, 5, 3), 2, dict(alpha=0.1, beta=0.5, k=2.0)),
    ((2, 5, 3, 2, 2), 4, dict(alpha=0.3)),
])
def test_local_response_norm(torch, device, dtype, shape, size, kwargs):
    compare(torch, "local_response_norm", shape, size, device=device, dtype=dtype, **kwargs)


def test_local_response_norm_non_contiguous_gradcheck_errors(torch, device):
    compare(torch, "local_response_norm", (2, 5, 3, 4), 3, device=device, dtype="float32", transpose=True, alpha=0.2)
    x = lt.randn(2, 4, 3, dtype=lt.float64, requires_grad=True)
    assert gradcheck(lambda t: F.local_response_norm(t, 3, alpha=0.5), (x,))
    same_error(lambda: F.local_response_norm(lt.ones(2, 3), 2),
               lambda: torch.nn.functional.local_response_norm(torch.ones(2, 3), 2))
    same_error(lambda: nn.InstanceNorm3d(3)(lt.ones(2, 3, 4)), lambda: torch.nn.InstanceNorm3d(3)(torch.ones(2, 3, 4)))


def test_instance_norm3d_running_stats_unbatched(torch, device):
    a = rng.standard_normal((3, 2, 3, 4))
    tl, ll = torch.nn.InstanceNorm3d(3, track_running_stats=True).double(), nn.InstanceNorm3d(
        3, track_running_stats=True).double().to(device)
    assert_same(ll(lt.tensor(a, device=device)).cpu(), tl(torch.tensor(a)), atol=1e-10)
    assert_same(ll.running_var.cpu(), tl.running_var, atol=1e-10)
    ll.eval(), tl.eval()
    assert_same(ll(lt.tensor(a, device=device)).cpu(), tl(torch.tensor(a)), atol=1e-10)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("s1, s2", [((2, 3), (2, 4)), ((2, 6, 3), (2, 6, 4)), ((3,), (4,))])
def test_bilinear(torch, device, dtype, s1, s2):
    arrays = [rng.standard_normal(s).astype(dtype) for s in (s1, s2, (5, 3, 4), (5,))]
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    ll = [lt.tensor(a, device=device, requires_grad=True) for a in arrays]
    if len(s1) == 2:   # a non-contiguous first input
        tt[0], ll[0] = (torch.tensor(arrays[0].T.copy(), requires_grad=True),
                        lt.tensor(arrays[0].T.copy(), device=device, requires_grad=True))
        yt, yl = torch.nn.functional.bilinear(tt[0].t(), *tt[1:]), F.bilinear(ll[0].t(), *ll[1:])
    else:
        yt, yl = torch.nn.functional.bilinear(*tt), F.bilinear(*ll)
    atol = 1e-5 if dtype == "float32" else 1e-10
    assert_same(yl.cpu(), yt, atol=atol)
    assert yl.grad_fn.name() == yt.grad_fn.name() == "AddBackward0"
    g = rng.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    yl.backward(lt.tensor(g, device=device))
    for a, b in zip(ll, tt):
        assert_same(a.grad.cpu(), b.grad, atol=atol)


def test_bilinear_module_seeded_and_gradcheck(torch, device):
    torch.manual_seed(3)
    lt.manual_seed(3)
    tl, ll = torch.nn.Bilinear(3, 4, 5), nn.Bilinear(3, 4, 5)
    assert repr(ll) == repr(tl)
    assert_same(ll.weight.detach(), tl.weight.detach(), atol=0)
    assert_same(ll.bias.detach(), tl.bias.detach(), atol=0)
    a1, a2 = rng.standard_normal((2, 3)).astype("float32"), rng.standard_normal((2, 4)).astype("float32")
    assert_same(ll.to(device)(lt.tensor(a1, device=device), lt.tensor(a2, device=device)).detach().cpu(),
                tl(torch.tensor(a1), torch.tensor(a2)).detach())
    x1 = lt.randn(2, 3, dtype=lt.float64, requires_grad=True)
    x2 = lt.randn(2, 4, dtype=lt.float64, requires_grad=True)
    w = lt.randn(2, 3, 4, dtype=lt.float64, requires_grad=True)
    b = lt.randn(2, dtype=lt.float64, requires_grad=True)
    assert gradcheck(F.bilinear, (x1, x2, w, b))


BILINEAR_ERRORS = {
    "input1 size": lambda t, F_: F_.bilinear(t.ones(2, 4), t.ones(2, 4), t.ones(5, 3, 4)),
    "input2 size": lambda t, F_: F_.bilinear(t.ones(2, 3), t.ones(2, 5), t.ones(5, 3, 4)),
    "batch dims": lambda t, F_: F_.bilinear(t.ones(2, 3), t.ones(3, 4), t.ones(5, 3, 4)),
    "ndim": lambda t, F_: F_.bilinear(t.ones(2, 3), t.ones(2, 1, 4), t.ones(5, 3, 4)),
    "bias size": lambda t, F_: F_.bilinear(t.ones(2, 3), t.ones(2, 4), t.ones(5, 3, 4), t.ones(4)),
    "dtypes": lambda t, F_: F_.bilinear(t.ones(2, 3, dtype=t.float64), t.ones(2, 4), t.ones(5, 3, 4)),
    "module in1_features": lambda t, F_: t.nn.Bilinear(0, 3, 4),
}


@pytest.mark.parametrize("name", sorted(BILINEAR_ERRORS))
def test_bilinear_errors(torch, name):
    case = BILINEAR_ERRORS[name]
    same_error(lambda: case(lt, F), lambda: case(torch, torch.nn.functional))


def test_one_hot_and_identity_exist(torch):
    idx = [2, 0, 1]
    assert_same(F.one_hot(lt.tensor(idx), 4), torch.nn.functional.one_hot(torch.tensor(idx), 4))
    x = lt.randn(2, 3)
    ident = nn.Identity(54, unused="x")
    assert ident(x) is x
    assert repr(ident) == repr(torch.nn.Identity(54, unused="x")) == "Identity()"
