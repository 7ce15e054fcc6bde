"""More nn: activations, parameter containers, backward hooks, losses and distances, normalisation
layers, against real PyTorch (values, dtypes, gradients, node names, reprs, errors); gradcheck in float64."""
import warnings

import numpy as np
import pytest

import learntorch as lt
import learntorch.nn as nn
import learntorch.nn.functional as F
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

rng = np.random.default_rng(0)
DTYPES = ["float32", "float64"]


def arr(*shape, dtype="float64", scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def compare(torch, name, arrays, kwargs=None, device="cpu", grads=(0,), node=None, transpose=False):
    """F.<name> in both libraries on the same arrays: result, gradients, grad_fn name.

    ``transpose``: the first input is passed as a transposed (non-contiguous) view."""
    kwargs = kwargs or {}
    ft, fl = getattr(torch.nn.functional, name), getattr(F, name)
    tt = [torch.tensor(a, requires_grad=i in grads) if isinstance(a, np.ndarray) else a for i, a in enumerate(arrays)]
    ll = [lt.tensor(a, device=device, requires_grad=i in grads) if isinstance(a, np.ndarray) else a
          for i, a in enumerate(arrays)]
    ti, li = list(tt), list(ll)
    if transpose:
        ti[0], li[0] = tt[0].t(), ll[0].t()
        assert not li[0].is_contiguous()
    yt, yl = ft(*ti, **kwargs), fl(*li, **kwargs)
    atol = 1e-5 if str(yt.dtype) == "torch.float32" else 1e-7
    assert_same(yl.cpu(), yt, atol=atol)
    if grads:
        g = rng.standard_normal(tuple(yt.shape))
        yt.backward(torch.tensor(g, dtype=yt.dtype))
        yl.backward(lt.tensor(g, device=device, dtype=yl.dtype))
        for i in grads:
            assert_same(ll[i].grad.cpu(), tt[i].grad, rtol=1e-4, atol=atol * 10)
        assert yl.grad_fn.name() == (node or type(yt.grad_fn).__name__)
    return yl


def check_gradcheck(fn, *arrays):
    """gradcheck (cpu: it reads values with .numpy()) in float64."""
    inputs = [lt.tensor(a, dtype=lt.float64, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)


# =============================================================================
# 1. activations
# =============================================================================

ACTIVATIONS = [
    ("selu", {}), ("celu", {}), ("celu", {"alpha": 0.5}), ("mish", {}), ("hardswish", {}), ("hardsigmoid", {}),
    ("softsign", {}), ("softshrink", {}), ("softshrink", {"lambd": 1.2}), ("hardshrink", {}),
    ("hardshrink", {"lambd": 1.5}), ("tanhshrink", {}), ("threshold", {"threshold": 0.3, "value": -2.0}),
    ("glu", {}), ("glu", {"dim": 0}), ("glu", {"dim": -2}), ("softmin", {"dim": 1}), ("softmin", {"dim": -1}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
def test_activation_parity(torch, device, dtype, name, kwargs):
    x = arr(4, 6, dtype=dtype, scale=3)
    compare(torch, name, [x], kwargs, device=device)
    compare(torch, name, [x], kwargs, device=device, transpose=True)   # non-contiguous input


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
def test_activation_gradcheck(name, kwargs):
    x = arr(4, 6, scale=3)
    x[np.abs(np.abs(x) - 3) < 0.05] += 0.1      # keep away from the kinks at +-3 (hardswish/hardsigmoid)
    check_gradcheck(lambda t: getattr(F, name)(t, **kwargs), x)


def test_activation_kinks_match_torch(torch):
    """The derivative exactly at the kinks follows PyTorch's choice."""
    x = np.array([-3.0, 3.0, -0.5, 0.5, 0.0, 0.3, -1.0, 1.0])
    for name, kw in [("hardswish", {}), ("hardsigmoid", {}), ("softshrink", {}), ("hardshrink", {}),
                     ("threshold", {"threshold": 0.3, "value": 9.0}), ("selu", {}), ("celu", {}),
                     ("hardtanh", {}), ("relu6", {})]:
        compare(torch, name, [x], kw, node=None if name not in ("hardtanh", "relu6") else "HardtanhBackward0")


def test_prelu(torch, device):
    x = arr(3, 4, 5)
    for w in (np.array([0.25]), np.array([0.1, -0.2, 0.3, 0.5])):
        compare(torch, "prelu", [x, w], device=device, grads=(0, 1))
    compare(torch, "prelu", [arr(3, 4).astype("float32"), np.array([0.1, 0.2, 0.3], "float32")], device=device,
            grads=(0, 1), transpose=True)
    compare(torch, "prelu", [arr(5), np.array([0.3])], device=device, grads=(0, 1))
    check_gradcheck(F.prelu, x, np.array([0.1, -0.2, 0.3, 0.5]))
    assert lt.ones(2, 3).prelu(lt.tensor([0.5])).shape == (2, 3)


def test_prelu_module(torch, device):
    torch.manual_seed(0)
    mt = torch.nn.PReLU(4, init=0.1)
    ml = nn.PReLU(4, init=0.1).to(device)
    assert repr(ml) == repr(mt) == "PReLU(num_parameters=4)"
    assert list(ml.state_dict()) == list(mt.state_dict()) == ["weight"]
    assert_same(ml.weight.cpu(), mt.weight)
    x = arr(2, 4, 3).astype("float32")
    yl, yt = ml(lt.tensor(x, device=device)), mt(torch.tensor(x))
    assert_same(yl.cpu(), yt)
    yl.sum().backward()
    yt.sum().backward()
    assert_same(ml.weight.grad.cpu(), mt.weight.grad, atol=1e-5)


def test_activation_errors(torch):
    for f in [lambda m, x: m.celu(x, 0.0), lambda m, x: m.softshrink(x, -1.0),
              lambda m, x: m.softshrink(x.double(), -0.25), lambda m, x: m.glu(x),
              lambda m, x: m.glu(x[0, 0]), lambda m, x: m.glu(x, 2),
              lambda m, x: m.prelu(x, x[0, :3] * 0 + 1), lambda m, x: m.prelu(x[0], x[0] * 0 + 1),
              lambda m, x: m.prelu(x[0, 0], x[0, :2]), lambda m, x: m.prelu(x, x[:1]),
              lambda m, x: m.prelu(x.double(), x[0]), lambda m, x: m.selu(x.long()),
              lambda m, x: m.mish(x.long()), lambda m, x: m.hardswish(x.long()),
              lambda m, x: m.hardsigmoid(x.long()), lambda m, x: m.softshrink(x.long()),
              lambda m, x: m.hardshrink(x.long()), lambda m, x: m.glu(x.long()[:, :4]),
              lambda m, x: m.softmin(x.long(), 0)]:
        x = arr(2, 5).astype("float32")
        same_error(lambda: f(F, lt.tensor(x)), lambda: f(torch.nn.functional, torch.tensor(x)))


def test_threshold_integer_and_hardshrink_negative_lambda(torch):
    a = np.arange(-2, 4)
    assert_same(F.threshold(lt.tensor(a), 1, 5), torch.nn.functional.threshold(torch.tensor(a), 1, 5))
    x = arr(3, 4).astype("float32")
    assert_same(F.hardshrink(lt.tensor(x), -1.0), torch.nn.functional.hardshrink(torch.tensor(x), -1.0))


@pytest.mark.parametrize("name,args,node", [
    ("selu_", (), "EluBackward1"), ("celu_", (0.7,), "CeluBackward1"), ("elu_", (0.7,), "EluBackward1"),
    ("hardtanh_", (-0.5, 0.8), "HardtanhBackward0"), ("threshold_", (0.2, -1.0), "ThresholdBackward1"),
])
def test_inplace_functions(torch, device, name, args, node):
    x = arr(3, 4, scale=2)
    at = torch.tensor(x, requires_grad=True)
    al = lt.tensor(x, device=device, requires_grad=True)
    bt, bl = at * 1, al * 1
    rt, rl = getattr(torch.nn.functional, name)(bt, *args), getattr(F, name)(bl, *args)
    assert rt is bt and rl is bl
    assert_same(bl.cpu(), bt)
    assert bl.grad_fn.name() == type(bt.grad_fn).__name__ == node
    g = arr(3, 4)
    bt.backward(torch.tensor(g))
    bl.backward(lt.tensor(g, device=device))
    assert_same(al.grad.cpu(), at.grad)


@pytest.mark.parametrize("name", ["selu", "celu", "mish", "hardswish", "hardsigmoid", "elu", "hardtanh", "relu6",
                                  "silu"])
def test_inplace_flag(torch, device, name):
    x = arr(3, 4, scale=3)
    at, al = torch.tensor(x, requires_grad=True), lt.tensor(x, device=device, requires_grad=True)
    bt, bl = at * 1, al * 1
    rt = getattr(torch.nn.functional, name)(bt, inplace=True)
    rl = getattr(F, name)(bl, inplace=True)
    assert rt is bt and rl is bl
    assert_same(bl.cpu(), bt)
    bl.sum().backward()
    bt.sum().backward()
    assert_same(al.grad.cpu(), at.grad)
    same_error(lambda: getattr(F, name)(lt.ones(2, requires_grad=True), inplace=True),
               lambda: getattr(torch.nn.functional, name)(torch.ones(2, requires_grad=True), inplace=True))


def test_activation_modules(torch, device):
    cases = [("Softmin", (1,)), ("Softmin", ()), ("SELU", ()), ("SELU", (True,)), ("CELU", ()),
             ("CELU", (2.0, True)), ("Mish", ()), ("Mish", (True,)), ("Hardswish", ()), ("Hardswish", (True,)),
             ("Hardsigmoid", (True,)), ("Softsign", ()), ("Softshrink", ()), ("Hardshrink", (0.3,)),
             ("Tanhshrink", ()), ("Threshold", (0.1, 20)), ("Threshold", (0.1, 20.0, True)), ("GLU", ()),
             ("GLU", (0,)), ("ELU", (0.5, True)), ("Hardtanh", (-2.0, 2.0, True)), ("ReLU6", (True,)),
             ("SiLU", (True,))]
    for name, args in cases:
        mt, ml = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
        assert repr(ml) == repr(mt)
        x = arr(4, 6, scale=3).astype("float32")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert_same(ml(lt.tensor(x, device=device)).cpu(), mt(torch.tensor(x)), atol=1e-6)


def test_softmin_implicit_dim_warns(torch):
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        y = F.softmin(lt.tensor([[1.0, 2.0], [0.0, 5.0]]))
    assert_same(y, torch.nn.functional.softmin(torch.tensor([[1.0, 2.0], [0.0, 5.0]]), 1))


def test_second_derivatives(torch):
    """backward is made of Tensor ops: create_graph gives PyTorch's second derivatives."""
    x = arr(5, 4, scale=2)
    for name, kw in [("selu", {}), ("celu", {"alpha": 0.6}), ("mish", {}), ("hardswish", {}), ("glu", {}),
                     ("softsign", {}), ("tanhshrink", {})]:
        xt, xl = torch.tensor(x, requires_grad=True), lt.tensor(x, requires_grad=True)
        gt, = torch.autograd.grad(getattr(torch.nn.functional, name)(xt, **kw).pow(2).sum(), xt, create_graph=True)
        gl, = lt.autograd.grad(getattr(F, name)(xl, **kw).pow(2).sum(), xl, create_graph=True)
        ggt, = torch.autograd.grad(gt.sum(), xt)
        ggl, = lt.autograd.grad(gl.sum(), xl)
        assert_same(ggl, ggt, atol=1e-7)


# =============================================================================
# 2. ParameterList, ParameterDict, backward hooks
# =============================================================================

def _containers(t):
    nn_ = t.nn
    t.manual_seed(0)
    pl = nn_.ParameterList([nn_.Parameter(t.randn(2, 3)), t.zeros(4), "hello", t.ones(2, dtype=t.float64)])
    pd = nn_.ParameterDict({"b": t.zeros(3), "a": nn_.Parameter(t.randn(2, 2))})
    pd["c"] = 5
    return pl, pd


def test_parameter_containers(torch):
    (pl_l, pd_l), (pl_t, pd_t) = _containers(lt), _containers(torch)
    assert repr(pl_l) == repr(pl_t)
    assert repr(pd_l) == repr(pd_t)
    assert list(pl_l.state_dict()) == list(pl_t.state_dict()) == ["0", "1", "3"]
    assert list(pd_l.state_dict()) == list(pd_t.state_dict()) == ["a", "b"]
    assert list(pd_l.keys()) == list(pd_t.keys()) == ["a", "b", "c"]
    assert [p.shape for p in pl_l.parameters()] == [p.shape for p in pl_t.parameters()]
    assert type(pl_l[1]) is nn.Parameter and pl_l[2] == "hello" and len(pl_l) == 4
    assert_same(pd_l["a"].detach(), pd_t["a"].detach())            # same seed, same values
    assert repr(pl_l[1:3]) == repr(pl_t[1:3])
    assert repr(nn.ParameterList()) == "ParameterList()" and repr(nn.ParameterDict()) == "ParameterDict()"
    pl_l.append(lt.ones(1))
    pl_l += [lt.ones(5)]
    assert len(pl_l) == 6 and pl_l[-1].shape == (5,) and pl_l[-1].requires_grad
    assert pd_l.pop("c") == 5 and "c" not in pd_l and len(pd_l) == 2
    assert list((pd_l | nn.ParameterDict({"z": lt.ones(1)})).keys()) == ["a", "b", "z"]


def test_parameter_containers_in_a_module(torch, device):
    def build(t):
        class M(t.nn.Module):
            def __init__(self):
                super().__init__()
                self.ps = t.nn.ParameterList([t.ones(2), t.ones(3)])
                self.pd = t.nn.ParameterDict({"w": t.ones(1)})

            def forward(self, x):
                return (self.ps[0] * x).sum() + self.ps[1].sum() * self.pd["w"]
        return M()
    ml, mt = build(lt), build(torch)
    assert repr(ml) == repr(mt)
    assert list(ml.state_dict()) == list(mt.state_dict()) == ["ps.0", "ps.1", "pd.w"]
    ml.to(device)
    assert ml.ps[0].device.type == device and ml.pd["w"].device.type == device
    if device == "cuda":
        assert "(cuda:0)" in repr(ml)
    ml(lt.tensor([1.0, 2.0], device=device)).sum().backward()
    mt(torch.tensor([1.0, 2.0])).sum().backward()
    for (nl, pl_), (nt, pt) in zip(ml.named_parameters(), mt.named_parameters()):
        assert nl == nt
        assert_same(pl_.grad.cpu(), pt.grad)


def test_parameter_container_errors(torch):
    for f in [lambda t: t.nn.ParameterList([t.ones(1)])[7], lambda t: t.nn.ParameterList().extend(t.ones(2)),
              lambda t: t.nn.ParameterDict()["zz"], lambda t: t.nn.ParameterDict()[1],
              lambda t: t.nn.ParameterList()(), lambda t: t.nn.ParameterDict()(1),
              lambda t: t.nn.ParameterDict().update(3), lambda t: t.nn.ParameterDict().update([(1, 2, 3)]),
              lambda t: t.nn.ParameterDict().update([1])]:
        same_error(lambda: f(lt), lambda: f(torch))


def _hook_run(t, two_inputs=False, replace=True):
    """Log what the hooks see (as lists) and the resulting gradients."""
    t.manual_seed(0)
    log = []

    def as_list(gs):
        return [None if g is None else g.detach().cpu().numpy().round(5).tolist() for g in gs]

    class Bilinear(t.nn.Module):
        def forward(self, a, b, scale):
            return a * b * scale, a - b

    if two_inputs:
        m = Bilinear()
        a = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = t.tensor([0.5, -1.0, 4.0])
    else:
        m = t.nn.Linear(3, 2)
        a = t.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], requires_grad=True)

    def pre(mod, go):
        log.append(("pre", type(mod).__name__, as_list(go)))
        return tuple(None if g is None else g * 3 for g in go) if replace else None

    def full(mod, gi, go):
        log.append(("full", type(mod).__name__, as_list(gi), as_list(go)))
        return tuple(None if g is None else g * 2 for g in gi) if replace else None

    h1 = m.register_full_backward_pre_hook(pre)
    h2 = m.register_full_backward_hook(full)
    if two_inputs:
        y, z = m(a, b, 2.0)
        node = y.grad_fn.name()
        (y.sum() + (z * z).sum()).backward()
    else:
        y = m(a)
        node = y.grad_fn.name()
        (y * t.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    grads = [a.grad.numpy().round(5).tolist()]
    h1.remove()
    h2.remove()
    a.grad = None
    out = m(a, b, 2.0)[0] if two_inputs else m(a)
    out.sum().backward()
    return node, log, grads, a.grad.numpy().round(5).tolist()


@pytest.mark.parametrize("two_inputs", [False, True])
@pytest.mark.parametrize("replace", [False, True])
def test_full_backward_hooks(torch, two_inputs, replace):
    ours, theirs = _hook_run(lt, two_inputs, replace), _hook_run(torch, two_inputs, replace)
    assert ours[0] == theirs[0] == "BackwardHookFunctionBackward"
    assert ours[1] == theirs[1] and len(ours[1]) == 2     # same calls, same tuples (None where torch has None)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-5)   # removed hooks: plain gradients


def test_backward_hook_without_input_grad_and_errors(torch):
    def run(t):
        lin = t.nn.Linear(3, 2)
        seen = []
        lin.register_full_backward_hook(lambda m, gi, go: seen.append((gi, tuple(g.shape for g in go))))
        with pytest.warns(UserWarning, match="Full backward hook is firing"):
            lin(t.ones(1, 3)).sum().backward()
        return seen
    assert run(lt) == run(torch) == [((None,), ((1, 2),))]

    def bad_count(t):
        lin = t.nn.Linear(3, 2)
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        lin(t.ones(1, 3, requires_grad=True)).sum().backward()

    def bad_pre_count(t):
        lin = t.nn.Linear(3, 2)
        lin.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
        lin(t.ones(1, 3, requires_grad=True)).sum().backward()

    same_error(lambda: bad_count(lt), lambda: bad_count(torch))
    same_error(lambda: bad_pre_count(lt), lambda: bad_pre_count(torch))


# =============================================================================
# 3. losses and distances
# =============================================================================

def _loss_cases(dtype):
    """name -> (arrays, kwargs, indices of differentiable arrays); shapes (4, 5) unless the loss wants others."""
    x, z = arr(4, 5, dtype=dtype), arr(4, 5, dtype=dtype)
    pos = np.abs(arr(4, 5, dtype=dtype)) + 0.1
    pm1 = np.where(arr(4, 5) > 0, 1.0, -1.0).astype(dtype)
    lab = np.array([1.0, -1.0, 1.0, -1.0], dtype)
    logp = x - np.log(np.exp(x).sum(1, keepdims=True))
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    return {
        "kl_div": ([logp, p], {}, (0, 1)),
        "kl_div-log_target": ([x, z], {"log_target": True}, (0, 1)),
        "cosine_similarity": ([x, z], {}, (0, 1)),
        "cosine_similarity-dim0": ([x, z], {"dim": 0}, (0, 1)),
        "pairwise_distance": ([x, z], {}, (0, 1)),
        "pairwise_distance-p1-keepdim": ([x, z], {"p": 1.0, "keepdim": True}, (0, 1)),
        "margin_ranking_loss": ([x, z, pm1], {"margin": 0.3}, (0, 1)),
        "hinge_embedding_loss": ([pos, pm1], {"margin": 1.2}, (0,)),
        "soft_margin_loss": ([x, pm1], {}, (0,)),
        "multilabel_soft_margin_loss": ([x, (pos > 0.8).astype(dtype)], {}, (0,)),
        "cosine_embedding_loss": ([x, z, lab], {"margin": 0.1}, (0, 1)),
        "triplet_margin_loss": ([x, z, pos], {}, (0, 1, 2)),
        "triplet_margin_loss-swap-p1": ([x, z, pos], {"swap": True, "p": 1}, (0, 1, 2)),
        "poisson_nll_loss": ([x, np.round(pos * 3)], {}, (0,)),
        "poisson_nll_loss-full-nolog": ([pos, np.round(pos * 3)], {"log_input": False, "full": True}, (0,)),
        "gaussian_nll_loss": ([x, z, pos], {}, (0, 1, 2)),
        "gaussian_nll_loss-full-short-var": ([x, z, pos[:, 0]], {"full": True}, (0, 1, 2)),
    }


LOSS_NAMES = list(_loss_cases("float64"))
REDUCED = ("kl_div", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "cosine_embedding_loss", "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", LOSS_NAMES)
def test_loss_parity(torch, device, dtype, case):
    arrays, kwargs, grads = _loss_cases(dtype)[case]
    name = case.split("-")[0]
    reductions = ("none", "mean", "sum") + (("batchmean",) if name == "kl_div" else ()) if name in REDUCED else (None,)
    for reduction in reductions:
        kw = dict(kwargs) if reduction is None else dict(kwargs, reduction=reduction)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # kl_div's 'mean' warning (tested below)
            compare(torch, name, arrays, kw, device=device, grads=grads)
    if arrays[0].ndim == 2 and all(a.shape == arrays[0].shape for a in arrays):   # non-contiguous inputs
        t_arrays = [np.ascontiguousarray(arrays[0].T)] + arrays[1:]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compare(torch, name, t_arrays, kwargs, device=device, grads=grads[:1], transpose=True)


@pytest.mark.parametrize("case", LOSS_NAMES)
def test_loss_gradcheck(case):
    arrays, kwargs, grads = _loss_cases("float64")[case]
    name = case.split("-")[0]
    kw = dict(kwargs, reduction="sum") if name in REDUCED else kwargs

    def fn(*diff):
        full = list(arrays)
        for i, t in zip(grads, diff):
            full[i] = t
        full = [lt.tensor(a) if isinstance(a, np.ndarray) else a for a in full]
        return getattr(F, name)(*full, **kw)
    check_gradcheck(fn, *[arrays[i] for i in grads])


def test_kl_div_warning_and_batchmean(torch):
    x, p = arr(3, 4), np.full((3, 4), 0.25)
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss by both the batch size"):
        ours = F.kl_div(lt.tensor(x), lt.tensor(p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(ours, torch.nn.functional.kl_div(torch.tensor(x), torch.tensor(p)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # 'batchmean' does not warn
        got = F.kl_div(lt.tensor(x), lt.tensor(p), reduction="batchmean")
    assert got.item() == pytest.approx(F.kl_div(lt.tensor(x), lt.tensor(p), reduction="sum").item() / 3)


def test_loss_errors(torch):
    x = arr(3, 4).astype("float32")
    cases = [
        lambda m, t: m.margin_ranking_loss(t, t[0], t),
        lambda m, t: m.cosine_embedding_loss(t, t, t),
        lambda m, t: m.cosine_embedding_loss(t[0], t[0], t[0]),
        lambda m, t: m.cosine_embedding_loss(t, t, t[0, 0]),
        lambda m, t: m.triplet_margin_loss(t, t, t[0]),
        lambda m, t: m.triplet_margin_loss(t, t, t, margin=0.0),
        lambda m, t: m.gaussian_nll_loss(t, t, -t.abs()),
        lambda m, t: m.gaussian_nll_loss(t, t, t[0, :2].abs()),
        lambda m, t: m.gaussian_nll_loss(t, t, -1.0),
        lambda m, t: m.gaussian_nll_loss(t, t, t.abs(), reduction="bad"),
        lambda m, t: m.kl_div(t, t, reduction="bad"),
        lambda m, t: m.poisson_nll_loss(t, t, reduction="bad"),
        lambda m, t: m.soft_margin_loss(t, t, reduction="bad"),
        lambda m, t: m.multilabel_soft_margin_loss(t, t, reduction="bad"),
        lambda m, t: m.cosine_similarity(t, t[:2]),
        lambda m, t: m.cosine_similarity(t, t, dim=3),
        lambda m, t: m.soft_margin_loss(t, t.detach().requires_grad_()),
    ]
    for f in cases:
        same_error(lambda: f(F, lt.tensor(x)), lambda: f(torch.nn.functional, torch.tensor(x)))
    same_error(lambda: nn.TripletMarginLoss(margin=0), lambda: torch.nn.TripletMarginLoss(margin=0))


def test_loss_modules(torch, device):
    x, z, pos = arr(4, 5).astype("float32"), arr(4, 5).astype("float32"), np.abs(arr(4, 5)).astype("float32") + 0.1
    lab = np.array([1.0, -1.0, 1.0, -1.0], "float32")
    pm1 = np.where(arr(4, 5) > 0, 1.0, -1.0).astype("float32")
    cases = [
        ("KLDivLoss", {"reduction": "batchmean"}, [x, np.exp(z)]),
        ("KLDivLoss", {"log_target": True, "reduction": "sum"}, [x, z]),
        ("CosineSimilarity", {"dim": 0, "eps": 1e-6}, [x, z]),
        ("PairwiseDistance", {"p": 1.0, "keepdim": True}, [x, z]),
        ("MarginRankingLoss", {"margin": 0.2}, [x[:, 0], z[:, 0], lab]),
        ("HingeEmbeddingLoss", {"margin": 2.0, "reduction": "none"}, [pos, pm1]),
        ("SoftMarginLoss", {}, [x, pm1]),
        ("MultiLabelSoftMarginLoss", {"weight": np.linspace(0.5, 1.5, 5).astype("float32")}, [x, (pos > 0.8) * 1.0]),
        ("CosineEmbeddingLoss", {"margin": 0.1}, [x, z, lab]),
        ("TripletMarginLoss", {"margin": 0.5, "swap": True}, [x, z, pos]),
        ("PoissonNLLLoss", {"full": True}, [x, np.round(pos * 3)]),
        ("GaussianNLLLoss", {"full": True}, [x, z, pos]),
    ]
    for name, kwargs, arrays in cases:
        kt = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        kl = {k: lt.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        mt, ml = getattr(torch.nn, name)(**kt), getattr(nn, name)(**kl).to(device)
        assert repr(ml) == repr(mt)
        assert list(ml.state_dict()) == list(mt.state_dict())
        tt = [torch.tensor(np.asarray(a, "float32"), requires_grad=i == 0) for i, a in enumerate(arrays)]
        tl = [lt.tensor(np.asarray(a, "float32"), device=device, requires_grad=i == 0) for i, a in enumerate(arrays)]
        yt, yl = mt(*tt), ml(*tl)
        assert_same(yl.cpu(), yt, atol=1e-5)
        yt.sum().backward()
        yl.sum().backward()
        assert_same(tl[0].grad.cpu(), tt[0].grad, rtol=1e-4, atol=1e-5)
