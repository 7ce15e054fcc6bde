"""Losses (module and functional) against real PyTorch: every reduction, options, edge cases, errors."""
import warnings

import numpy as np
import pytest

import learntorch as lt
import learntorch.nn as nn
import learntorch.nn.functional as F
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

rng = np.random.default_rng(1)
DTYPES = ["float32", "float64"]
REDUCTIONS = ["mean", "sum", "none"]


def compare(torch, name, arrays, kwargs=None, device="cpu", grads=(0,), tkwargs=None):
    """F.<name> in both libraries: value, dtype, gradients of the listed inputs, grad_fn name."""
    kwargs = kwargs or {}
    ft, fl = getattr(torch.nn.functional, name), getattr(F, name)
    tt = [torch.tensor(a, requires_grad=i in grads) if a is not None else None for i, a in enumerate(arrays)]
    ll = [lt.tensor(a, device=device, requires_grad=i in grads) if a is not None else None
          for i, a in enumerate(arrays)]
    kt = dict(kwargs, **{k: torch.tensor(v) for k, v in (tkwargs or {}).items()})
    kl = dict(kwargs, **{k: lt.tensor(v, device=device) for k, v in (tkwargs or {}).items()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yt, yl = ft(*tt, **kt), fl(*ll, **kl)
    assert_same(yl, yt)
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g, dtype=yt.dtype))
    yl.backward(lt.tensor(g, device=device, dtype=yl.dtype))
    for i in grads:
        assert_same(ll[i].grad, tt[i].grad, rtol=1e-4, atol=1e-6)
    assert yl.grad_fn.name() == type(yt.grad_fn).__name__
    return yl


def arr(*shape, dtype="float64", lo=None, hi=None):
    if lo is not None:
        return rng.uniform(lo, hi, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(torch, device, dtype, reduction):
    x, t = arr(5, 4, dtype=dtype), arr(5, 4, dtype=dtype)
    kw = {"reduction": reduction}
    for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
        compare(torch, name, [x, t], kw, device, grads=(0, 1))
    compare(torch, "smooth_l1_loss", [x, t], dict(kw, beta=0.3), device, grads=(0, 1))
    compare(torch, "smooth_l1_loss", [x, t], dict(kw, beta=0.0), device, grads=(0, 1))
    compare(torch, "huber_loss", [x, t], dict(kw, delta=0.3), device, grads=(0, 1))
    compare(torch, "mse_loss", [x, arr(4, dtype=dtype)], kw, device, grads=(0, 1))   # broadcast target


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_losses(torch, device, dtype, reduction):
    kw = {"reduction": reduction}
    p, t = arr(5, 4, dtype=dtype, lo=0.01, hi=0.99), arr(5, 4, dtype=dtype, lo=0, hi=1)
    compare(torch, "binary_cross_entropy", [p, t], kw, device, grads=(0, 1))
    compare(torch, "binary_cross_entropy", [p, t, arr(4, dtype=dtype, lo=0, hi=2)], kw, device, grads=(0, 1))
    x = arr(5, 4, dtype=dtype) * 30   # large logits: the stable formula never overflows
    compare(torch, "binary_cross_entropy_with_logits", [x, t], kw, device, grads=(0, 1))
    compare(torch, "binary_cross_entropy_with_logits", [x, t, arr(4, dtype=dtype, lo=0, hi=1)], kw, device,
            grads=(0, 1), tkwargs={"pos_weight": arr(4, dtype=dtype, lo=0.5, hi=3)})


def test_bce_clamps_log_at_minus_100(torch, device):
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.5])
    for reduction in REDUCTIONS:
        compare(torch, "binary_cross_entropy", [p, t], {"reduction": reduction}, device, grads=(0,))
    y = F.binary_cross_entropy(lt.tensor([0.0], device=device), lt.tensor([1.0], device=device))
    assert y.item() == 100.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_class_indices(torch, device, dtype, reduction):
    x = arr(5, 4, dtype=dtype)
    idx = np.array([0, 3, 1, 2, 3])
    w = arr(4, dtype=dtype, lo=0.1, hi=2)
    kw = {"reduction": reduction}
    compare(torch, "cross_entropy", [x, idx], kw, device)
    compare(torch, "cross_entropy", [x * 1000, idx], kw, device)              # no overflow
    compare(torch, "cross_entropy", [x, idx, w], kw, device)
    compare(torch, "cross_entropy", [x, np.array([0, -100, 1, 2, -100])], kw, device)
    compare(torch, "cross_entropy", [x, idx, w], dict(kw, ignore_index=3), device)
    compare(torch, "cross_entropy", [x, idx], dict(kw, label_smoothing=0.1), device)
    compare(torch, "cross_entropy", [x, idx, w], dict(kw, ignore_index=3, label_smoothing=0.25), device)
    compare(torch, "cross_entropy", [x, idx.astype(np.uint8)], kw, device)
    compare(torch, "cross_entropy", [x[0], np.array(2)], kw, device)           # unbatched
    compare(torch, "cross_entropy", [arr(2, 4, 3, 3, dtype=dtype), rng.integers(0, 4, (2, 3, 3))], kw, device)
    compare(torch, "cross_entropy", [arr(2, 4, 3, dtype=dtype), rng.integers(0, 4, (2, 3))], kw, device)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_class_probabilities(torch, device, dtype, reduction):
    x = arr(5, 4, dtype=dtype)
    q = arr(5, 4, dtype=dtype, lo=0, hi=1)
    q /= q.sum(1, keepdims=True)
    w = arr(4, dtype=dtype, lo=0.1, hi=2)
    kw = {"reduction": reduction}
    compare(torch, "cross_entropy", [x, q], kw, device, grads=(0, 1))
    compare(torch, "cross_entropy", [x, q, w], dict(kw, label_smoothing=0.3), device, grads=(0, 1))
    q4 = arr(2, 3, 2, 2, dtype=dtype, lo=0, hi=1)
    compare(torch, "cross_entropy", [arr(2, 3, 2, 2, dtype=dtype), q4], kw, device, grads=(0, 1))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss(torch, device, reduction):
    x = arr(5, 4)
    idx = np.array([0, 3, 1, 2, 3])
    kw = {"reduction": reduction}
    compare(torch, "nll_loss", [x, idx], kw, device)
    compare(torch, "nll_loss", [x, idx, arr(4, lo=0.1, hi=2)], dict(kw, ignore_index=1), device)
    compare(torch, "nll_loss", [arr(2, 4, 3, 3), rng.integers(0, 4, (2, 3, 3))], kw, device)


def test_cross_entropy_equals_log_softmax_then_nll():
    x = lt.randn(6, 5)
    t = lt.tensor([0, 4, 2, 2, 1, 3])
    a = F.cross_entropy(x, t)
    b = F.nll_loss(F.log_softmax(x, 1), t)
    assert abs(a.item() - b.item()) < 1e-6


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    x = lt.randn(3, 4, requires_grad=True)
    t = lt.tensor([1, 0, 3])
    F.cross_entropy(x, t, reduction="sum").backward()
    expected = F.softmax(x.detach(), 1) - F.one_hot(t, 4).float()
    np.testing.assert_allclose(x.grad.numpy(), expected.numpy(), atol=1e-6)


def test_all_targets_ignored_gives_nan_like_torch(torch):
    compare(torch, "cross_entropy", [arr(3, 4), np.array([-100, -100, -100])], {})


def test_loss_modules(torch, device):
    x = arr(6, 3)
    idx = np.array([0, 2, 1, 1, 0, 2])
    p = arr(6, 3, lo=0.05, hi=0.95)
    w = arr(3, lo=0.5, hi=2)
    pairs = [
        (lambda nn, W: nn.MSELoss(), x, p), (lambda nn, W: nn.L1Loss(reduction="sum"), x, p),
        (lambda nn, W: nn.SmoothL1Loss(beta=0.5), x, p), (lambda nn, W: nn.HuberLoss(delta=2.0), x, p),
        (lambda nn, W: nn.BCELoss(), p, (p > 0.5).astype("float64")),
        (lambda nn, W: nn.BCELoss(weight=W(w)), p, (p > 0.5).astype("float64")),
        (lambda nn, W: nn.BCEWithLogitsLoss(pos_weight=W(w)), x, (p > 0.5).astype("float64")),
        (lambda nn, W: nn.CrossEntropyLoss(), x, idx),
        (lambda nn, W: nn.CrossEntropyLoss(weight=W(w), ignore_index=1, label_smoothing=0.1), x, idx),
        (lambda nn, W: nn.NLLLoss(reduction="none"), x, idx),
    ]
    for make, a, b in pairs:
        mt = make(torch.nn, torch.tensor)
        ml = make(nn, lambda v: lt.tensor(v, device=device))
        assert repr(ml) == repr(mt)
        xt, xl = torch.tensor(a, requires_grad=True), lt.tensor(a, device=device, requires_grad=True)
        yt, yl = mt(xt, torch.tensor(b)), ml(xl, lt.tensor(b, device=device))
        assert_same(yl, yt)
        yt.sum().backward()
        yl.sum().backward()
        assert_same(xl.grad, xt.grad, rtol=1e-4)


def test_legacy_size_average_and_reduce(torch):
    x, t = arr(3, 2), arr(3, 2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        yl = F.mse_loss(lt.tensor(x), lt.tensor(t), size_average=False)
        ml = nn.MSELoss(reduce=False)
    assert "size_average and reduce args will be deprecated, please use reduction='sum' instead." in str(w[0].message)
    assert_same(yl, torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(t), reduction="sum"))
    assert ml.reduction == "none"


def test_mse_shape_mismatch_warns_like_torch():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        F.mse_loss(lt.zeros(4, 1), lt.zeros(4))
    assert str(w[0].message) == ("Using a target size (torch.Size([4])) that is different to the input size "
                                 "(torch.Size([4, 1])). This will likely lead to incorrect results due to "
                                 "broadcasting. Please ensure they have the same size.")


def test_loss_errors_match_torch(torch):
    cases = [
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2, 3])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 5])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, -5, 1])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0.0, 1.0, 2.0])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2], dtype=m.int32)),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2]), weight=m.ones(2)),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2]), reduction="bad"),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2]), label_smoothing=1.5),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([[0, 1, 2]])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.zeros(3, 4, dtype=m.int64)),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4, 5), m.zeros(3, 4, dtype=m.int64)),
        lambda m: m.nn.functional.cross_entropy(m.zeros(4), m.tensor([1, 2])),
        lambda m: m.nn.functional.cross_entropy(m.zeros(3, 4), m.tensor([0, 1, 2]), weight=m.ones(4).double()),
        lambda m: m.nn.functional.nll_loss(m.zeros(3, 4), m.tensor([0, 1, 7])),
        lambda m: m.nn.functional.nll_loss(m.zeros(3, 4), m.tensor([0.0, 1.0, 2.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.rand(4, 1), m.rand(4)),
        lambda m: m.nn.functional.binary_cross_entropy(m.ones(4) * 2, m.rand(4)),
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.rand(4, 1), m.rand(4)),
        lambda m: m.nn.functional.mse_loss(m.zeros(3), m.zeros(3), reduction="bad"),
        lambda m: m.nn.functional.mse_loss(m.zeros(4, 1), m.zeros(3, 2)),
        lambda m: m.nn.CrossEntropyLoss()(m.zeros(2, 3), m.tensor([3, 0])),
        lambda m: m.nn.BCELoss()(m.tensor([0.5, 0.5]), m.tensor([[1.0, 0.0]])),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case in cases:
            same_error(lambda: case(lt), lambda: case(torch))


def test_binary_cross_entropy_nan_input_rejected(torch):
    same_error(lambda: F.binary_cross_entropy(lt.tensor([float("nan")]), lt.tensor([1.0])),
               lambda: torch.nn.functional.binary_cross_entropy(torch.tensor([float("nan")]), torch.tensor([1.0])))


def _d(*shape, lo=None, hi=None):
    return lt.tensor(arr(*shape, lo=lo, hi=hi), requires_grad=True)


GRADCHECKS = [
    ("mse", lambda x, t: F.mse_loss(x, t), lambda: (_d(3, 4), _d(3, 4))),
    ("l1", lambda x, t: F.l1_loss(x, t, reduction="sum"), lambda: (_d(3, 4), _d(3, 4))),
    ("smooth_l1", lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), lambda: (_d(3, 4), _d(3, 4))),
    ("huber", lambda x, t: F.huber_loss(x, t, reduction="none", delta=0.7), lambda: (_d(3, 4), _d(3, 4))),
    ("bce", lambda x, t: F.binary_cross_entropy(x, t), lambda: (_d(3, 4, lo=0.1, hi=0.9), _d(3, 4, lo=0, hi=1))),
    ("bce_logits", lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=lt.tensor([2.0, 1.0, 0.5, 3.0],
                                                                                              dtype=lt.float64)),
     lambda: (_d(3, 4), _d(3, 4, lo=0, hi=1))),
    ("ce", lambda x: F.cross_entropy(x, lt.tensor([0, 3, 1])), lambda: (_d(3, 4),)),
    ("ce_all", lambda x: F.cross_entropy(x, lt.tensor([0, 3, 1]), weight=lt.tensor([1.0, 2.0, 0.5, 1.5],
                                                                                    dtype=lt.float64),
                                         ignore_index=1, label_smoothing=0.2, reduction="none"),
     lambda: (_d(3, 4),)),
    ("ce_probs", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), lambda: (_d(3, 4), _d(3, 4, lo=0, hi=1))),
    ("ce_spatial", lambda x: F.cross_entropy(x, lt.tensor([[0, 2], [1, 1]])), lambda: (_d(2, 3, 2),)),
    ("nll", lambda x: F.nll_loss(x, lt.tensor([0, 3, 1]), reduction="sum"), lambda: (_d(3, 4),)),
]


@pytest.mark.parametrize("name,fn,inputs", GRADCHECKS, ids=[g[0] for g in GRADCHECKS])
def test_gradcheck(name, fn, inputs):
    assert gradcheck(fn, inputs())


def test_cross_entropy_double_backward(torch):
    x, idx = arr(3, 4), np.array([0, 3, 1])
    xt, xl = torch.tensor(x, requires_grad=True), lt.tensor(x, requires_grad=True)
    (gt,) = torch.autograd.grad(torch.nn.functional.cross_entropy(xt, torch.tensor(idx)), xt, create_graph=True)
    (gl,) = lt.autograd.grad(F.cross_entropy(xl, lt.tensor(idx)), xl, create_graph=True)
    assert_same(gl, gt)
    (gt2,) = torch.autograd.grad((gt ** 2).sum(), xt)
    (gl2,) = lt.autograd.grad((gl ** 2).sum(), xl)
    assert_same(gl2, gt2)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_lean_cross_entropy_op_agrees_with_the_general_one(reduction):
    """On cpu, in-range class indices take the lean ClassCrossEntropy op; it must give what the
    general CrossEntropy op gives: value, gradient and second derivative."""
    from learntorch.nn.functional import ClassCrossEntropy, CrossEntropy
    x = lt.tensor(arr(6, 5), requires_grad=True)
    t = lt.tensor([0, 4, 2, 2, 1, 3])
    lean = F.cross_entropy(x, t, reduction=reduction)
    general = CrossEntropy.apply(x, t, None, reduction=reduction)
    assert lean.grad_fn.fn is ClassCrossEntropy and general.grad_fn.fn is CrossEntropy
    np.testing.assert_allclose(lean.detach().numpy(), general.detach().numpy(), rtol=1e-12)
    (g1,) = lt.autograd.grad(lean.sum(), x, create_graph=True)
    (g2,) = lt.autograd.grad(general.sum(), x, create_graph=True)
    np.testing.assert_allclose(g1.detach().numpy(), g2.detach().numpy(), rtol=1e-12, atol=1e-15)
    (h1,) = lt.autograd.grad((g1 ** 2).sum(), x)
    (h2,) = lt.autograd.grad((g2 ** 2).sum(), x)
    np.testing.assert_allclose(h1.numpy(), h2.numpy(), rtol=1e-10, atol=1e-14)
    # out-of-range or ignored targets take the general op (with its checks)
    assert F.cross_entropy(x, lt.tensor([0, -100, 2, 2, 1, 3])).grad_fn.fn is CrossEntropy
    with pytest.raises(IndexError, match="Target 7 is out of bounds."):
        F.cross_entropy(x, lt.tensor([0, 7, 2, 2, 1, 3]))
