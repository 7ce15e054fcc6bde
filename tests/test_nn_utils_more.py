"""nn.utils: parametrize, parametrizations.weight_norm / spectral_norm, the hook-based weight_norm /
spectral_norm, BatchNorm fusion, skip_init, stateless.functional_call, get_total_norm -- parity with torch."""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck
from learntorch.nn.utils import parametrize as LP, parametrizations as LPS
from learntorch.nn.utils.parametrizations import _weight_norm
from parity import assert_same, same_error

LTYPES = {"float32": lt.float32, "float64": lt.float64}


def both(torch, build, dtype="float32"):
    """The same module (same seed) in learntorch and torch, built by ``build(M)``."""
    mods = []
    for M in (lt, torch):
        M.manual_seed(0)
        mods.append(build(M).to(getattr(M, dtype)))
    return mods


def sym(M):
    class Sym(M.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, W):
            return W.triu()
    return Sym()


def scale(M):
    class Scale(M.nn.Module):
        def forward(self, X):
            return 2 * X

        def right_inverse(self, W):
            return W / 2
    return Scale()


# --- parametrize ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_register_parametrization(torch, device, dtype):
    ours, theirs = both(torch, lambda M: M.nn.Linear(3, 3), dtype)
    for M, P, m in ((lt, LP, ours), (torch, torch.nn.utils.parametrize, theirs)):
        P.register_parametrization(m, "weight", sym(M))
    ours.to(device)
    assert type(ours).__name__ == type(theirs).__name__ == "ParametrizedLinear"
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert repr(ours).replace("Sym", "S") == repr(theirs).replace("Sym", "S")
    assert_same(ours.weight, theirs.weight)
    assert torch.equal(theirs.weight, theirs.weight.T) and ours.weight.grad_fn is not None
    x = np.random.default_rng(0).standard_normal((4, 3))
    xo = lt.tensor(x, dtype=LTYPES[dtype], device=device).t().contiguous().t()  # non-contiguous input
    xt = torch.tensor(x, dtype=getattr(torch, dtype))
    ours(xo).pow(2).sum().backward()
    theirs(xt).pow(2).sum().backward()
    assert_same(ours.parametrizations.weight.original.grad, theirs.parametrizations.weight.original.grad)
    assert LP.is_parametrized(ours) and LP.is_parametrized(ours, "weight") and not LP.is_parametrized(ours, "bias")
    assert LP.type_before_parametrizations(ours) is lt.nn.Linear


def test_parametrize_set_chain_cached_remove(torch, device):
    ours, theirs = both(torch, lambda M: M.nn.Linear(3, 3))
    for M, P, m in ((lt, LP, ours), (torch, torch.nn.utils.parametrize, theirs)):
        P.register_parametrization(m, "weight", sym(M))
        P.register_parametrization(m, "weight", scale(M))   # chained: scale(sym(original))
    ours.to(device)
    assert_same(ours.weight, theirs.weight)
    w = np.arange(9.0).reshape(3, 3)
    ours.weight = lt.tensor(w, dtype=lt.float32, device=device)   # goes through the right_inverses
    theirs.weight = torch.tensor(w, dtype=torch.float32)
    assert_same(ours.parametrizations.weight.original, theirs.parametrizations.weight.original)
    assert_same(ours.weight, theirs.weight)
    with LP.cached():
        assert ours.weight is ours.weight
    assert ours.weight is not ours.weight
    orig = ours.parametrizations.weight.original
    LP.remove_parametrizations(ours, "weight")
    torch.nn.utils.parametrize.remove_parametrizations(theirs, "weight")
    assert type(ours) is lt.nn.Linear and not hasattr(ours, "parametrizations")
    assert ours.weight is orig and isinstance(ours.weight, lt.nn.Parameter)   # same object: optimizer keeps it
    assert_same(ours.weight, theirs.weight)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight"]


def test_remove_not_leaving_parametrized(torch):
    ours, theirs = both(torch, lambda M: M.nn.Linear(3, 3))
    for M, P, m in ((lt, LP, ours), (torch, torch.nn.utils.parametrize, theirs)):
        P.register_parametrization(m, "weight", scale(M))
        P.remove_parametrizations(m, "weight", leave_parametrized=False)
    assert_same(ours.weight, theirs.weight)


def test_parametrize_buffer(torch):
    ours, theirs = both(torch, lambda M: M.nn.BatchNorm1d(3))
    for M, P, m in ((lt, LP, ours), (torch, torch.nn.utils.parametrize, theirs)):
        P.register_parametrization(m, "running_var", scale(M))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert_same(ours.running_var, theirs.running_var)


def test_parametrize_errors(torch):
    tP = torch.nn.utils.parametrize
    same_error(lambda: LP.register_parametrization(lt.nn.Linear(2, 3), "foo", lt.nn.Identity()),
               lambda: tP.register_parametrization(torch.nn.Linear(2, 3), "foo", torch.nn.Identity()))
    same_error(lambda: LP.remove_parametrizations(lt.nn.Linear(2, 3), "weight"),
               lambda: tP.remove_parametrizations(torch.nn.Linear(2, 3), "weight"))

    def shape_change(M, P):
        class Flat(M.nn.Module):
            def forward(self, X):
                return X.flatten()
        P.register_parametrization(M.nn.Linear(2, 3), "weight", Flat())
    same_error(lambda: shape_change(lt, LP), lambda: shape_change(torch, tP))

    def no_inverse(M, P):
        class Twice(M.nn.Module):
            def forward(self, X):
                return 2 * X
        m = P.register_parametrization(M.nn.Linear(2, 3), "weight", Twice())
        m.weight = M.zeros(3, 2)
    same_error(lambda: no_inverse(lt, LP), lambda: no_inverse(torch, tP))

    def keep_seq(M, P):
        m = M.nn.utils.parametrizations.weight_norm(M.nn.Linear(2, 3))
        P.remove_parametrizations(m, "weight", leave_parametrized=False)
    same_error(lambda: keep_seq(lt, LP), lambda: keep_seq(torch, tP))


# --- parametrizations.weight_norm -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("dim", [0, 1, -2, None])
def test_weight_norm_parametrization(torch, device, dtype, dim):
    ours, theirs = both(torch, lambda M: M.nn.utils.parametrizations.weight_norm(M.nn.Conv1d(2, 3, 2), dim=dim),
                        dtype)
    ours.to(device)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert_same(ours.parametrizations.weight.original0, theirs.parametrizations.weight.original0)
    assert_same(ours.weight, theirs.weight, rtol=1e-5)
    assert ours.weight.grad_fn.name() == theirs.weight.grad_fn.name() == (
        "WeightNormInterfaceBackward0" if dim == 0 else "MulBackward0")
    x = np.random.default_rng(1).standard_normal((2, 5, 2))
    xo = lt.tensor(x, dtype=LTYPES[dtype], device=device).transpose(1, 2)   # non-contiguous
    xt = torch.tensor(x, dtype=getattr(torch, dtype)).transpose(1, 2)
    (ours(xo) ** 2).sum().backward()
    (theirs(xt) ** 2).sum().backward()
    for k in ("original0", "original1"):
        assert_same(getattr(ours.parametrizations.weight, k).grad, getattr(theirs.parametrizations.weight, k).grad,
                    rtol=1e-4, atol=1e-5)
    assert repr(ours).replace("Conv1d", "C") == repr(theirs).replace("Conv1d", "C")


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_weight_norm_gradcheck(dim):
    device = "cpu"
    v = lt.randn(3, 4, dtype=lt.float64, device=device, requires_grad=True)
    g = lt.rand(3, 1, dtype=lt.float64, device=device, requires_grad=True) + 0.5
    if dim == 1:
        g = lt.rand(1, 4, dtype=lt.float64, device=device, requires_grad=True)
    if dim == -1:
        g = lt.tensor(1.5, dtype=lt.float64, device=device, requires_grad=True)
    assert gradcheck(lambda v, g: _weight_norm(v, g, dim), (v, g))


# --- parametrizations.spectral_norm -----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_spectral_norm_parametrization(torch, device, dtype):
    ours, theirs = both(torch, lambda M: M.nn.utils.parametrizations.spectral_norm(M.nn.Conv2d(2, 3, 2)), dtype)
    ours.to(device)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    p_o, p_t = ours.parametrizations.weight[0], theirs.parametrizations.weight[0]
    assert_same(p_o._u, p_t._u, rtol=1e-4, atol=1e-5)    # torch's random start, then 15 power iterations
    x = np.random.default_rng(2).standard_normal((1, 4, 4, 2))
    xo = lt.tensor(x, dtype=LTYPES[dtype], device=device).permute(0, 3, 1, 2)
    xt = torch.tensor(x, dtype=getattr(torch, dtype)).permute(0, 3, 1, 2)
    ours(xo).sum().backward()
    theirs(xt).sum().backward()
    assert_same(p_o._v, p_t._v, rtol=1e-4, atol=1e-5)
    assert_same(ours.parametrizations.weight.original.grad, theirs.parametrizations.weight.original.grad,
                rtol=1e-4, atol=1e-5)
    ours.eval()
    theirs.eval()
    u = p_o._u.clone()
    assert_same(ours.weight, theirs.weight, rtol=1e-4, atol=1e-5)
    assert lt.equal(u, p_o._u)      # eval: no power iteration
    sigma = torch.linalg.matrix_norm(theirs.weight.detach().flatten(1), 2)
    assert abs(float(sigma) - 1) < 0.05


def test_spectral_norm_dim_and_errors(torch):
    ours, theirs = both(torch, lambda M: M.nn.utils.parametrizations.spectral_norm(M.nn.Linear(3, 4), dim=-1))
    assert_same(ours.weight, theirs.weight, rtol=1e-4, atol=1e-5)
    sn = torch.nn.utils.parametrizations.spectral_norm
    same_error(lambda: LPS.spectral_norm(lt.nn.Linear(3, 4), dim=2), lambda: sn(torch.nn.Linear(3, 4), dim=2))
    same_error(lambda: LPS.spectral_norm(lt.nn.Linear(3, 4), n_power_iterations=0),
               lambda: sn(torch.nn.Linear(3, 4), n_power_iterations=0))
    same_error(lambda: LPS.spectral_norm(lt.nn.Linear(3, 4), name="foo"),
               lambda: sn(torch.nn.Linear(3, 4), name="foo"))


# --- the older hook-based versions ------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_old_weight_norm(torch, device, dtype):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours, theirs = both(torch, lambda M: M.nn.utils.weight_norm(M.nn.Linear(4, 3), dim=-2), dtype)
    texts = {str(w.message) for w in caught if w.category is FutureWarning}
    assert len(texts) == 1     # the same deprecation text from both
    ours.to(device)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight_g", "weight_v"]
    x = np.random.default_rng(3).standard_normal((4, 2))
    ours(lt.tensor(x, dtype=LTYPES[dtype], device=device).t()).sum().backward()
    theirs(torch.tensor(x, dtype=getattr(torch, dtype)).t()).sum().backward()
    for k in ("weight_g", "weight_v"):
        assert_same(getattr(ours, k).grad, getattr(theirs, k).grad, rtol=1e-4, atol=1e-6)
    lt.nn.utils.remove_weight_norm(ours)
    torch.nn.utils.remove_weight_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight"]
    assert isinstance(ours.weight, lt.nn.Parameter)
    assert_same(ours.weight, theirs.weight)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_old_spectral_norm(torch, device, dtype):
    ours, theirs = both(torch, lambda M: M.nn.utils.spectral_norm(M.nn.Linear(5, 4)), dtype)
    ours.to(device)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    assert_same(ours.weight_u, theirs.weight_u)
    x = np.random.default_rng(4).standard_normal((5, 3))
    for _ in range(2):
        ours(lt.tensor(x, dtype=LTYPES[dtype], device=device).t()).sum().backward()
        theirs(torch.tensor(x, dtype=getattr(torch, dtype)).t()).sum().backward()
    assert_same(ours.weight_v, theirs.weight_v, rtol=1e-4, atol=1e-5)
    assert_same(ours.weight_orig.grad, theirs.weight_orig.grad, rtol=1e-4, atol=1e-5)
    lt.nn.utils.remove_spectral_norm(ours)
    torch.nn.utils.remove_spectral_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert_same(ours.weight, theirs.weight, rtol=1e-4, atol=1e-5)


def test_old_hooks_errors(torch):
    warnings.simplefilter("ignore", FutureWarning)
    same_error(lambda: lt.nn.utils.weight_norm(lt.nn.utils.weight_norm(lt.nn.Linear(2, 3))),
               lambda: torch.nn.utils.weight_norm(torch.nn.utils.weight_norm(torch.nn.Linear(2, 3))))
    same_error(lambda: lt.nn.utils.remove_weight_norm(lt.nn.Linear(2, 3)),
               lambda: torch.nn.utils.remove_weight_norm(torch.nn.Linear(2, 3)))
    same_error(lambda: lt.nn.utils.spectral_norm(lt.nn.utils.spectral_norm(lt.nn.Linear(2, 3))),
               lambda: torch.nn.utils.spectral_norm(torch.nn.utils.spectral_norm(torch.nn.Linear(2, 3))))
    same_error(lambda: lt.nn.utils.remove_spectral_norm(lt.nn.Linear(2, 3)),
               lambda: torch.nn.utils.remove_spectral_norm(torch.nn.Linear(2, 3)))
    same_error(lambda: lt.nn.utils.spectral_norm(lt.nn.Linear(2, 3, bias=False), name="bias"),
               lambda: torch.nn.utils.spectral_norm(torch.nn.Linear(2, 3, bias=False), name="bias"))
    same_error(lambda: lt.nn.utils.spectral_norm(lt.nn.Linear(2, 3), n_power_iterations=-1),
               lambda: torch.nn.utils.spectral_norm(torch.nn.Linear(2, 3), n_power_iterations=-1))


# --- fusion, skip_init ------------------------------------------------------------------------------------
def _trained_bn(M, bn):
    bn.train()
    bn(M.randn(8, 3, 4, 4) * 2 + 1)
    return bn.eval()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fuse_conv_bn(torch, device, dtype):
    ours, theirs = both(torch, lambda M: M.nn.Sequential(M.nn.Conv2d(2, 3, 3), _trained_bn(M, M.nn.BatchNorm2d(3)))
                        .eval(), dtype)
    fused = [M.nn.utils.fuse_conv_bn_eval(m[0], m[1]) for M, m in ((lt, ours), (torch, theirs))]
    fused[0].to(device)
    x = np.random.default_rng(5).standard_normal((1, 2, 5, 5))
    xo = lt.tensor(x, dtype=LTYPES[dtype], device=device)
    xt = torch.tensor(x, dtype=getattr(torch, dtype))
    assert_same(fused[0].weight, fused[1].weight)
    assert_same(fused[0](xo), theirs(xt), rtol=1e-4, atol=1e-5)
    assert isinstance(fused[0].bias, lt.nn.Parameter) and fused[0] is not ours[0]


def test_fuse_linear_bn(torch):
    def build(M):
        bn = M.nn.BatchNorm1d(3)
        bn(M.randn(6, 3) * 3)
        return M.nn.Sequential(M.nn.Linear(4, 3, bias=False), bn.eval()).eval()
    ours, theirs = both(torch, build)
    fo = lt.nn.utils.fuse_linear_bn_eval(ours[0], ours[1])
    ft = torch.nn.utils.fuse_linear_bn_eval(theirs[0], theirs[1])
    assert_same(fo.weight, ft.weight)
    assert_same(fo.bias, ft.bias)
    same_error(lambda: lt.nn.utils.fuse_linear_bn_eval(lt.nn.Linear(2, 3), lt.nn.BatchNorm1d(3)),
               lambda: torch.nn.utils.fuse_linear_bn_eval(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3)))
    same_error(lambda: lt.nn.utils.fuse_linear_bn_eval(lt.nn.Linear(2, 3).eval(), lt.nn.BatchNorm1d(2).eval()),
               lambda: torch.nn.utils.fuse_linear_bn_eval(torch.nn.Linear(2, 3).eval(), torch.nn.BatchNorm1d(2).eval()))


def test_skip_init(torch):
    lt.manual_seed(0)
    torch.manual_seed(0)
    m = lt.nn.utils.skip_init(lt.nn.Linear, 5, out_features=2)
    torch.nn.utils.skip_init(torch.nn.Linear, 5, out_features=2)
    assert m.weight.shape == (2, 5) and isinstance(m.weight, lt.nn.Parameter)
    assert_same(lt.rand(3), torch.rand(3))        # the RNG was not used
    same_error(lambda: lt.nn.utils.skip_init(int), lambda: torch.nn.utils.skip_init(int))
    same_error(lambda: lt.nn.utils.skip_init(lt.nn.ReLU), lambda: torch.nn.utils.skip_init(torch.nn.ReLU))


# --- stateless.functional_call ----------------------------------------------------------------------------
def test_functional_call(torch, device):
    ours, theirs = both(torch, lambda M: M.nn.Sequential(M.nn.Linear(3, 2), M.nn.ReLU(), M.nn.Linear(2, 1)))
    ours.to(device)
    w = np.random.default_rng(6).standard_normal((2, 3))
    wo = lt.tensor(w, dtype=lt.float32, device=device, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    x = np.ones((4, 3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yo = lt.nn.utils.stateless.functional_call(ours, {"0.weight": wo}, lt.tensor(x, dtype=lt.float32,
                                                                                      device=device))
        yt = torch.nn.utils.stateless.functional_call(theirs, {"0.weight": wt}, (torch.tensor(x, dtype=torch.float32),))
    assert len({str(w.message) for w in caught if w.category is FutureWarning}) == 1
    assert_same(yo, yt)
    yo.sum().backward()
    yt.sum().backward()
    assert_same(wo.grad, wt.grad)
    assert ours[0].weight.grad is None and ours[0].weight is ours[0]._parameters["weight"]
    assert_same(ours[0].weight, theirs[0].weight)     # the module is unchanged


def test_functional_call_tied_and_strict(torch):
    warnings.simplefilter("ignore", FutureWarning)

    def build(M):
        class Tied(M.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = M.nn.Linear(2, 2)
                self.b = self.a

            def forward(self, x):
                return self.b(x)
        return Tied()
    ours, theirs = both(torch, build)
    yo = lt.nn.utils.stateless.functional_call(ours, {"a.weight": lt.eye(2)}, lt.ones(1, 2))
    yt = torch.nn.utils.stateless.functional_call(theirs, {"a.weight": torch.eye(2)}, torch.ones(1, 2))
    assert_same(yo, yt)      # b.weight is a.weight: the new value is used through b too
    fo, ft = lt.nn.utils.stateless.functional_call, torch.nn.utils.stateless.functional_call
    same_error(lambda: fo(ours, {"a.weight": lt.ones(2, 2), "b.weight": lt.zeros(2, 2)}, lt.ones(1, 2)),
               lambda: ft(theirs, {"a.weight": torch.ones(2, 2), "b.weight": torch.zeros(2, 2)}, torch.ones(1, 2)))
    same_error(lambda: fo(lt.nn.Linear(2, 2), {"weight": lt.ones(2, 2)}, lt.ones(1, 2), strict=True),
               lambda: ft(torch.nn.Linear(2, 2), {"weight": torch.ones(2, 2)}, torch.ones(1, 2), strict=True))


# --- get_total_norm / clip_grads_with_norm_ ---------------------------------------------------------------
@pytest.mark.parametrize("norm_type", [2.0, 1, float("inf")])
def test_total_norm_and_clip(torch, device, norm_type):
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    ours = [lt.tensor(a, dtype=lt.float32, device=device, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, dtype=torch.float32, requires_grad=True) for a in arrays]
    for o, t, a in zip(ours, theirs, arrays):   # the 2-d gradients are non-contiguous (transposed)
        o.grad = lt.tensor(a.T * 3, dtype=lt.float32, device=device).t() if a.ndim == 2 else \
            lt.tensor(a * 3, dtype=lt.float32, device=device)
        t.grad = torch.tensor(a.T * 3, dtype=torch.float32).t() if a.ndim == 2 else torch.tensor(a * 3,
                                                                                                  dtype=torch.float32)
    no = lt.nn.utils.get_total_norm([p.grad for p in ours], norm_type)
    nt = torch.nn.utils.get_total_norm([p.grad for p in theirs], norm_type)
    assert_same(no, nt)
    lt.nn.utils.clip_grads_with_norm_(ours, 1.0, no)
    torch.nn.utils.clip_grads_with_norm_(theirs, 1.0, nt)
    for o, t in zip(ours, theirs):
        assert_same(o.grad, t.grad)
    assert_same(lt.nn.utils.get_total_norm(lt.tensor([3.0, 4.0])), torch.nn.utils.get_total_norm(
        torch.tensor([3.0, 4.0])))


def test_total_norm_nonfinite_and_old_name(torch):
    same_error(lambda: lt.nn.utils.get_total_norm([lt.tensor([float("inf")])], error_if_nonfinite=True),
               lambda: torch.nn.utils.get_total_norm([torch.tensor([float("inf")])], error_if_nonfinite=True))
    p = lt.ones(3, requires_grad=True)
    p.grad = lt.tensor([3.0, 4.0, 0.0])
    with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated"):
        total = lt.nn.utils.clip_grad_norm(p, 1.0)
    assert float(total) == pytest.approx(5.0)
    assert float(p.grad.norm()) == pytest.approx(1.0, rel=1e-5)
