"""nn.functional against real PyTorch: values, gradients, node names, errors; gradcheck in float64."""
import warnings

import numpy as np
import pytest

import learntorch as lt
import learntorch.nn.functional as F
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

rng = np.random.default_rng(0)
DTYPES = ["float32", "float64"]


def compare(torch, name, arrays, kwargs=None, device="cpu", grads=(0,), tkwargs=None, node=True):
    """Run F.<name> in both libraries on the same arrays; compare result, gradients and grad_fn name."""
    kwargs = kwargs or {}
    ft, fl = getattr(torch.nn.functional, name), getattr(F, name)
    tt = [torch.tensor(a, requires_grad=i in grads) if isinstance(a, np.ndarray) else a for i, a in enumerate(arrays)]
    ll = [lt.tensor(a, device=device, requires_grad=i in grads) if isinstance(a, np.ndarray) else a
          for i, a in enumerate(arrays)]
    kt = dict(kwargs, **{k: torch.tensor(v) for k, v in (tkwargs or {}).items()})
    kl = dict(kwargs, **{k: lt.tensor(v, device=device) for k, v in (tkwargs or {}).items()})
    yt, yl = ft(*tt, **kt), fl(*ll, **kl)
    first = yt[0] if isinstance(yt, tuple) else yt
    atol = 1e-5 if str(first.dtype) == "torch.float32" else 1e-6   # float32 sums of many terms round differently
    if isinstance(yt, tuple):
        for a, b in zip(yl, yt):
            assert_same(a, b, atol=atol)
        yt, yl = yt[0], yl[0]
    assert_same(yl, yt, atol=atol)
    if not grads:
        return yl
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g, dtype=yt.dtype))
    yl.backward(lt.tensor(g, device=device, dtype=yl.dtype))
    for i in grads:
        assert_same(ll[i].grad, tt[i].grad, rtol=1e-4, atol=1e-5)
    if node:
        assert yl.grad_fn.name() == type(yt.grad_fn).__name__
    return yl


def arr(*shape, dtype="float64", scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


# --- activations ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_activations(torch, device, dtype):
    x = arr(4, 5, dtype=dtype, scale=3)
    compare(torch, "relu", [x], device=device)
    compare(torch, "leaky_relu", [x], device=device)
    compare(torch, "leaky_relu", [x], {"negative_slope": 0.3}, device=device)
    compare(torch, "gelu", [x], device=device)
    compare(torch, "gelu", [x], {"approximate": "tanh"}, device=device)
    compare(torch, "sigmoid", [x], device=device)
    compare(torch, "tanh", [x], device=device)
    compare(torch, "elu", [x], {"alpha": 0.7}, device=device, node=False)
    compare(torch, "softplus", [x], {"beta": 2, "threshold": 4}, device=device, node=False)
    compare(torch, "hardtanh", [x], device=device, node=False)
    compare(torch, "relu6", [x], device=device, node=False)
    compare(torch, "silu", [x], device=device, node=False)
    compare(torch, "logsigmoid", [x], device=device, node=False)


def test_gelu_extreme_values(torch):
    x = np.array([-40.0, -8.0, -3.0, -2.5, -1e-3, 0.0, 1e-3, 2.49, 2.51, 6.0, 40.0])
    compare(torch, "gelu", [x])
    compare(torch, "gelu", [x.astype("float32")])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_softmax_family(torch, device, dtype, fn):
    x = arr(3, 4, 5, dtype=dtype)
    for dim in (0, 1, 2, -1):
        compare(torch, fn, [x], {"dim": dim}, device=device)
    compare(torch, fn, [x * 1000], {"dim": 1}, device=device)    # stable for huge logits
    y = getattr(F, fn)(lt.tensor(arr(3, 4), device=device), 1, dtype=lt.float32)
    assert y.dtype is lt.float32
    assert getattr(lt.tensor([[1.0, 2.0]], device=device), fn)(1).shape == lt.Size([1, 2])


def test_softmax_implicit_dim_warns(torch):
    x = arr(2, 3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        yl = F.softmax(lt.tensor(x))
    assert "Implicit dimension choice for softmax has been deprecated" in str(w[0].message)
    assert_same(yl, torch.nn.functional.softmax(torch.tensor(x), dim=1))
    assert_same(F.softmax(lt.tensor(2.0), 0), torch.softmax(torch.tensor(2.0), 0))
    assert_same(lt.softmax(lt.tensor(x), 0), torch.softmax(torch.tensor(x), 0))


def test_softmax_rows_sum_to_one_and_log_softmax_is_finite():
    x = lt.tensor([[1000.0, 0.0, -1000.0], [1.0, 1.0, 1.0]])
    s = F.softmax(x, 1)
    assert np.allclose(s.sum(1).numpy(), 1.0)
    assert np.isfinite(F.log_softmax(x, 1).numpy()).all()


# --- linear, dropout, one_hot, pad, normalize -------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_linear(torch, device, dtype):
    w, b = arr(3, 4, dtype=dtype), arr(3, dtype=dtype)
    compare(torch, "linear", [arr(5, 4, dtype=dtype), w, b], device=device, grads=(0, 1, 2))
    compare(torch, "linear", [arr(2, 5, 4, dtype=dtype), w, b], device=device, grads=(0, 1, 2))
    compare(torch, "linear", [arr(4, dtype=dtype), w, b], device=device, grads=(0, 1, 2))
    compare(torch, "linear", [arr(5, 4, dtype=dtype), w], device=device, grads=(0, 1))
    y = F.linear(lt.randn(2, 4, device=device, dtype=getattr(lt, dtype), requires_grad=True),
                 lt.tensor(w, device=device, requires_grad=True), lt.tensor(b, device=device, requires_grad=True))
    assert y.grad_fn.name() == "AddmmBackward0"


def test_linear_errors(torch):
    same_error(lambda: F.linear(lt.randn(4, 3), lt.randn(5, 2)), lambda: torch.nn.functional.linear(
        torch.randn(4, 3), torch.randn(5, 2)))


def test_dropout_functional(torch, device):
    x = lt.ones(100, 100, device=device)
    assert F.dropout(x, 0.5, training=False) is x
    y = F.dropout(x, 0.5)
    assert 0.4 < (y != 0).float().mean().item() < 0.6
    assert y.max().item() == 2.0
    same_error(lambda: F.dropout(x, 1.2), lambda: torch.nn.functional.dropout(torch.ones(1), 1.2))
    same_error(lambda: lt.nn.Dropout(-0.1), lambda: torch.nn.Dropout(-0.1))
    z = lt.ones(3, requires_grad=True)
    out = F.dropout(z, 0.5)
    out.sum().backward()
    assert z.grad.tolist() == [v * 2 if v else 0.0 for v in (out.detach() / 2).tolist()]


def test_one_hot(torch, device):
    t = np.array([0, 2, 1, 2])
    for kw in ({}, {"num_classes": 5}):
        yl = F.one_hot(lt.tensor(t, device=device), **kw)
        yt = torch.nn.functional.one_hot(torch.tensor(t), **kw)
        assert_same(yl, yt)
    assert_same(F.one_hot(lt.tensor([[1, 0]]), 3), torch.nn.functional.one_hot(torch.tensor([[1, 0]]), 3))
    for bad, n in (([1.0, 2.0], -1), ([1, 5], 3), ([1, -1], 3)):
        same_error(lambda: F.one_hot(lt.tensor(bad), n), lambda: torch.nn.functional.one_hot(torch.tensor(bad), n))


@pytest.mark.parametrize("dtype", DTYPES)
def test_pad(torch, device, dtype):
    x = arr(2, 3, 4, dtype=dtype)
    for p in [(1, 1), (0, 2, 1, 0), (-1, 2), (1, -2, -1, 1), (1, 1, 1, 1, 1, 1)]:
        compare(torch, "pad", [x, p], device=device)
    compare(torch, "pad", [x, (2, 1)], {"value": 3.5}, device=device)
    same_error(lambda: F.pad(lt.zeros(2), (1,)), lambda: torch.nn.functional.pad(torch.zeros(2), (1,)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_normalize(torch, device, dtype):
    x = arr(3, 4, dtype=dtype)
    compare(torch, "normalize", [x], device=device)
    compare(torch, "normalize", [x], {"p": 1.0, "dim": 0}, device=device)
    compare(torch, "normalize", [x], {"p": 3.0, "dim": -1}, device=device)
    z = np.zeros((2, 3))
    compare(torch, "normalize", [z], device=device)   # zero vectors: eps keeps it finite, grad 1/eps


# --- normalisation, convolution, pooling (functional forms) -------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_and_layer_norm_functional(torch, device, dtype):
    x = arr(4, 3, 2, dtype=dtype)
    w, b = arr(3, dtype=dtype), arr(3, dtype=dtype)
    rm, rv = np.zeros(3, dtype), np.ones(3, dtype)
    compare(torch, "batch_norm", [x, rm.copy(), rv.copy(), w, b], {"training": True}, device=device, grads=(0, 3, 4))
    compare(torch, "batch_norm", [x, rm.copy() + 0.5, rv.copy() * 2, w, b], {"training": False}, device=device,
            grads=(0, 3, 4))
    x = arr(4, 3, 5, dtype=dtype)
    compare(torch, "layer_norm", [x, (5,), arr(5, dtype=dtype), arr(5, dtype=dtype)], device=device, grads=(0, 2, 3))
    compare(torch, "layer_norm", [x, (3, 5)], {"eps": 1e-2}, device=device)
    same_error(lambda: F.batch_norm(lt.randn(1, 3), lt.zeros(3), lt.ones(3), training=True),
               lambda: torch.nn.functional.batch_norm(torch.randn(1, 3), torch.zeros(3), torch.ones(3), training=True))
    same_error(lambda: lt.nn.LayerNorm(5)(lt.randn(3, 4)), lambda: torch.nn.LayerNorm(5)(torch.randn(3, 4)))
    same_error(lambda: lt.nn.BatchNorm1d(3)(lt.randn(2, 3, 4, 5)), lambda: torch.nn.BatchNorm1d(3)(torch.randn(2, 3, 4, 5)))
    same_error(lambda: lt.nn.BatchNorm2d(3)(lt.randn(2, 3, 4)), lambda: torch.nn.BatchNorm2d(3)(torch.randn(2, 3, 4)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_functional(torch, device, dtype):
    x = arr(2, 4, 7, 6, dtype=dtype)
    compare(torch, "conv2d", [x, arr(3, 4, 3, 3, dtype=dtype), arr(3, dtype=dtype)], device=device, grads=(0, 1, 2))
    compare(torch, "conv2d", [x, arr(6, 2, 2, 3, dtype=dtype)], {"stride": (2, 1), "padding": (1, 2), "dilation": 2,
                                                                 "groups": 2}, device=device, grads=(0, 1))
    compare(torch, "conv2d", [x, arr(5, 4, 1, 1, dtype=dtype)], {"padding": "valid"}, device=device, grads=(0, 1))
    compare(torch, "conv2d", [x, arr(5, 4, 3, 2, dtype=dtype)], {"padding": "same"}, device=device, grads=(0, 1))
    compare(torch, "conv2d", [x, arr(4, 1, 3, 3, dtype=dtype)], {"groups": 4, "stride": 3}, device=device, grads=(0, 1))


def test_conv2d_errors(torch):
    w, tw = lt.randn(6, 3, 5, 5), torch.randn(6, 3, 5, 5)
    for shape in [(1, 1, 28, 28), (28, 28), (1, 3, 3, 3)]:
        same_error(lambda: F.conv2d(lt.randn(*shape), w), lambda: torch.nn.functional.conv2d(torch.randn(*shape), tw))
    same_error(lambda: F.conv2d(lt.randn(1, 3, 8, 8), w, padding="same", stride=2),
               lambda: torch.nn.functional.conv2d(torch.randn(1, 3, 8, 8), tw, padding="same", stride=2))
    same_error(lambda: F.conv2d(lt.randn(1, 3, 8, 8), w, lt.zeros(5)),
               lambda: torch.nn.functional.conv2d(torch.randn(1, 3, 8, 8), tw, torch.zeros(5)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_pooling_functional(torch, device, dtype):
    x = arr(2, 3, 7, 6, dtype=dtype)
    for kw in [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
               {"kernel_size": (2, 3), "stride": (1, 2), "ceil_mode": True}]:
        compare(torch, "max_pool2d", [x], kw, device=device)
        compare(torch, "avg_pool2d", [x], kw, device=device)
    compare(torch, "max_pool2d", [x], {"kernel_size": 2, "dilation": 2}, device=device)
    compare(torch, "max_pool2d", [x], {"kernel_size": 3, "padding": 1, "return_indices": True}, device=device,
            node=False)
    compare(torch, "avg_pool2d", [x], {"kernel_size": 3, "padding": 1, "count_include_pad": False}, device=device)
    compare(torch, "avg_pool2d", [x], {"kernel_size": 2, "divisor_override": 5}, device=device)
    compare(torch, "max_pool2d", [x[0]], {"kernel_size": 2}, device=device, node=False)   # unbatched


def test_max_pool_ties_and_pool_errors(torch):
    x = np.ones((1, 1, 4, 4))
    compare(torch, "max_pool2d", [x], {"kernel_size": 2})
    for f in ("max_pool2d", "avg_pool2d"):
        same_error(lambda: getattr(F, f)(lt.randn(1, 3, 8, 8), 2, padding=2),
                   lambda: getattr(torch.nn.functional, f)(torch.randn(1, 3, 8, 8), 2, padding=2))
        same_error(lambda: getattr(F, f)(lt.randn(1, 3, 1, 1), 2),
                   lambda: getattr(torch.nn.functional, f)(torch.randn(1, 3, 1, 1), 2))
    same_error(lambda: F.max_pool2d(lt.randn(8, 8), 2), lambda: torch.nn.functional.max_pool2d(torch.randn(8, 8), 2))


def test_embedding_functional(torch, device):
    w = arr(5, 3)
    idx = np.array([[0, 4], [4, 4]])
    compare(torch, "embedding", [idx, w], device=device, grads=(1,))
    compare(torch, "embedding", [idx, w], {"padding_idx": 4}, device=device, grads=(1,))


# --- module functions that PyTorch does not have --------------------------------------------------

def test_missing_function_gives_torchs_attribute_error(torch):
    msg = same_error(lambda: F.cross_entropy_loss, lambda: torch.nn.functional.cross_entropy_loss)
    assert msg == "module 'torch.nn.functional' has no attribute 'cross_entropy_loss'"


# --- gradcheck (float64) ----------------------------------------------------------------------------

def _d(*shape, positive=False):
    a = rng.standard_normal(shape)
    return lt.tensor(np.abs(a) + 0.1 if positive else a, dtype=lt.float64, requires_grad=True)


GRADCHECKS = [
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.1), lambda: (_d(3, 4),)),
    ("gelu", lambda x: F.gelu(x), lambda: (_d(3, 4),)),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), lambda: (_d(3, 4),)),
    ("softmax", lambda x: F.softmax(x, 1), lambda: (_d(3, 4),)),
    ("log_softmax", lambda x: F.log_softmax(x, 0), lambda: (_d(3, 4),)),
    ("elu", lambda x: F.elu(x), lambda: (_d(3, 4),)),
    ("softplus", lambda x: F.softplus(x), lambda: (_d(3, 4),)),
    ("linear", lambda x, w, b: F.linear(x, w, b), lambda: (_d(2, 3), _d(4, 3), _d(4))),
    ("linear3d", lambda x, w, b: F.linear(x, w, b), lambda: (_d(2, 2, 3), _d(4, 3), _d(4))),
    ("pad", lambda x: F.pad(x, (1, -1, 2, 0), value=1.5), lambda: (_d(2, 3, 4),)),
    ("normalize", lambda x: F.normalize(x, dim=1), lambda: (_d(3, 4),)),
    ("normalize_p3", lambda x: F.normalize(x, p=3, dim=0), lambda: (_d(3, 4),)),
    ("batch_norm", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), lambda: (_d(4, 3, 2), _d(3), _d(3))),
    ("batch_norm_eval", lambda x, w, b: F.batch_norm(x, lt.zeros(3, dtype=lt.float64) + 0.3,
                                                     lt.ones(3, dtype=lt.float64) * 2, w, b),
     lambda: (_d(4, 3), _d(3), _d(3))),
    ("layer_norm", lambda x, w, b: F.layer_norm(x, (4,), w, b), lambda: (_d(3, 4), _d(4), _d(4))),
    ("conv2d", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, dilation=(1, 2)),
     lambda: (_d(2, 2, 5, 6), _d(3, 2, 2, 2), _d(3))),
    ("conv2d_groups", lambda x, w: F.conv2d(x, w, groups=2), lambda: (_d(1, 4, 4, 4), _d(2, 2, 3, 3))),
    ("max_pool2d", lambda x: F.max_pool2d(x, 2, 1, 1), lambda: (_d(1, 2, 4, 5),)),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
     lambda: (_d(1, 2, 5, 6),)),
    ("embedding", lambda w: F.embedding(lt.tensor([[0, 2], [2, 2]]), w), lambda: (_d(3, 4),)),
]


@pytest.mark.parametrize("name,fn,inputs", GRADCHECKS, ids=[g[0] for g in GRADCHECKS])
def test_gradcheck(name, fn, inputs):
    assert gradcheck(fn, inputs())


def test_second_order_gradients_of_softmax_and_gelu(torch):
    """The backward passes are made of differentiable ops: create_graph works."""
    x = arr(3, 4)
    for name, kw in (("softmax", {"dim": 1}), ("log_softmax", {"dim": 1}), ("gelu", {})):
        xt = torch.tensor(x, requires_grad=True)
        xl = lt.tensor(x, requires_grad=True)
        yt = getattr(torch.nn.functional, name)(xt, **kw)
        yl = getattr(F, name)(xl, **kw)
        w = arr(3, 4)
        (gt,) = torch.autograd.grad((yt * torch.tensor(w)).sum(), xt, create_graph=True)
        (gl,) = lt.autograd.grad((yl * lt.tensor(w)).sum(), xl, create_graph=True)
        assert_same(gl, gt)
        (ggt,) = torch.autograd.grad((gt * gt).sum(), xt)
        (ggl,) = lt.autograd.grad((gl * gl).sum(), xl)
        assert_same(ggl, ggt, rtol=1e-4)


def test_softmax_of_integers_errors_like_torch(torch):
    for fn in ("softmax", "log_softmax"):
        for data, dim in (([1, 2], 0), ([[1, 2]], 0), ([[1, 2]], 1)):
            same_error(lambda: getattr(F, fn)(lt.tensor(data), dim),
                       lambda: getattr(torch.nn.functional, fn)(torch.tensor(data), dim))
        same_error(lambda: getattr(F, fn)(lt.tensor([1.0, 2.0]), 2),
                   lambda: getattr(torch.nn.functional, fn)(torch.tensor([1.0, 2.0]), 2))
