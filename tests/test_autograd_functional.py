"""Higher-level autograd (函数式自动求导): torch.autograd.functional, torch.func and
torch.utils.checkpoint, against real PyTorch."""
import importlib
import warnings

import numpy as np
import pytest

import learntorch as lt
import learntorch.func as lfunc
import learntorch.utils.checkpoint as lckpt
from learntorch.autograd import functional as LF
from parity import assert_same, same_error

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3))
B = RNG.standard_normal((3, 2))     # B.T has A's shape: a non-contiguous input
C = RNG.standard_normal(3)
V = RNG.standard_normal((2, 3))


def both(torch, arr, device="cpu", dtype="float64", t=False):
    """The same values for learntorch (on ``device``) and torch; ``t``: transpose (non-contiguous)."""
    a = np.asarray(arr, dtype=dtype)
    x, y = lt.tensor(a, device=device), torch.tensor(a)
    return (x.t(), y.t()) if t else (x, y)


def cpu(tree):
    if isinstance(tree, (tuple, list)):
        return type(tree)(cpu(t) for t in tree)
    if isinstance(tree, dict):
        return {k: cpu(v) for k, v in tree.items()}
    return tree.cpu() if isinstance(tree, lt.Tensor) else tree


def funcs(m):
    """The same test functions written for learntorch (m=lt) and torch."""
    return {
        "one_one": lambda x: (x.sin() * x).sum(1),
        "two_one": lambda x, y: (x * y).exp().sum(0),
        "one_two": lambda x: (x ** 3, x.tanh().sum()),
        "two_two": lambda x, y: (x * y, (x - y).cos()),
        "scalar2": lambda x, y: (x.sin() * y ** 2).sum(),
        "scalar1": lambda x: (x.exp() * x ** 2).sum(),
    }


# --- torch.autograd.functional -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,n", [("one_one", 1), ("two_one", 2), ("one_two", 1), ("two_two", 2)])
@pytest.mark.parametrize("as_tuple", [False, True])
def test_jacobian_structure_and_values(torch, device, dtype, name, n, as_tuple):
    (x, tx), (y, ty) = both(torch, A, device, dtype), both(torch, B, device, dtype, t=True)
    ours_in, theirs_in = ((x, y)[:n], (tx, ty)[:n])
    if n == 1 and not as_tuple:
        ours_in, theirs_in = x, tx
    ours = LF.jacobian(funcs(lt)[name], ours_in)
    theirs = torch.autograd.functional.jacobian(funcs(torch)[name], theirs_in)
    assert isinstance(ours, tuple) == isinstance(theirs, tuple)
    if isinstance(theirs, tuple):
        assert [isinstance(o, tuple) for o in ours] == [isinstance(t, tuple) for t in theirs]
    assert_same(cpu(ours), theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_hessian_single_and_tuple(torch, device, dtype):
    (x, tx), (y, ty) = both(torch, A, device, dtype), both(torch, B, device, dtype, t=True)
    assert_same(LF.hessian(funcs(lt)["scalar1"], x).cpu(),
                torch.autograd.functional.hessian(funcs(torch)["scalar1"], tx), rtol=1e-4, atol=1e-5)
    ours = LF.hessian(funcs(lt)["scalar2"], (x, y))
    theirs = torch.autograd.functional.hessian(funcs(torch)["scalar2"], (tx, ty))
    assert isinstance(ours, tuple) and isinstance(ours[0], tuple) and ours[1][0].shape == (2, 3, 2, 3)
    assert_same(cpu(ours), theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["vjp", "jvp"])
def test_vjp_jvp(torch, device, dtype, kind):
    (x, tx), (v, tv) = both(torch, B, device, dtype, t=True), both(torch, V, device, dtype)
    f = {"vjp": lambda m: (lambda a: a.exp() * a), "jvp": lambda m: (lambda a: a.exp() * a)}[kind]
    ours = getattr(LF, kind)(f(lt), x, v)
    theirs = getattr(torch.autograd.functional, kind)(f(torch), tx, tv)
    assert_same(cpu(ours), theirs, rtol=1e-5)
    assert not ours[1].requires_grad
    # several inputs and outputs: tuples come back as tuples
    (y, ty) = both(torch, A, device, dtype)
    g = lambda a, b: (a * b, (a + b).sin())                      # noqa: E731
    vs = (v, v * 2) if kind == "vjp" else (v, v * 3)
    tvs = (tv, tv * 2) if kind == "vjp" else (tv, tv * 3)
    ours = getattr(LF, kind)(g, (x, y), vs)
    theirs = getattr(torch.autograd.functional, kind)(g, (tx, ty), tvs)
    assert isinstance(ours[0], tuple) and isinstance(ours[1], tuple)
    assert_same(cpu(ours), theirs, rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["hvp", "vhp"])
def test_hvp_vhp(torch, device, dtype, kind):
    (x, tx), (v, tv) = both(torch, B, device, dtype, t=True), both(torch, V, device, dtype)
    ours = getattr(LF, kind)(funcs(lt)["scalar1"], x, v)
    theirs = getattr(torch.autograd.functional, kind)(funcs(torch)["scalar1"], tx, tv)
    assert_same(cpu(ours), theirs, rtol=1e-4, atol=1e-5)
    (y, ty) = both(torch, A, device, dtype)
    ours = getattr(LF, kind)(funcs(lt)["scalar2"], (x, y), (v, v))
    theirs = getattr(torch.autograd.functional, kind)(funcs(torch)["scalar2"], (tx, ty), (tv, tv))
    assert isinstance(ours[1], tuple)
    assert_same(cpu(ours), theirs, rtol=1e-4, atol=1e-5)


def test_v_none_for_scalars(torch):
    x, tx = lt.tensor(0.7, dtype=lt.float64), torch.tensor(0.7, dtype=torch.float64)
    for kind in ("vjp", "jvp", "hvp", "vhp"):
        assert_same(getattr(LF, kind)(lambda a: a.sin() * a, x)[1],
                    getattr(torch.autograd.functional, kind)(lambda a: a.sin() * a, tx)[1])


def test_create_graph_gives_differentiable_results(torch):
    for m, F in ((lt, LF), (torch, torch.autograd.functional)):
        x = m.tensor([1.0, 2.0, 0.5], dtype=m.float64, requires_grad=True)
        J = F.jacobian(lambda a: a ** 3, x, create_graph=True)
        J.sum().backward()
        _, jv = F.jvp(lambda a: a.sin(), x, m.ones(3, dtype=m.float64), create_graph=True)
        g, = m.autograd.grad(jv.sum(), x)
        _, hv = F.hvp(lambda a: (a ** 4).sum(), x, m.ones(3, dtype=m.float64), create_graph=True)
        g2, = m.autograd.grad(hv.sum(), x)
        if m is lt:
            ours = (J, x.grad, g, g2)
        else:
            theirs = (J, x.grad, g, g2)
    assert ours[0].requires_grad
    assert_same(tuple(t.detach() for t in ours), tuple(t.detach() for t in theirs))


def test_gradcheck_through_jacobian_and_hvp():
    x = lt.tensor(A).requires_grad_()
    v = lt.tensor(V)
    assert lt.autograd.gradcheck(lambda a: LF.jacobian(lambda b: (b.sin() * b).sum(1), a, create_graph=True), (x,))
    assert lt.autograd.gradcheck(lambda a: LF.hvp(lambda b: (b.exp() * b).sum(), a, v,
                                                  create_graph=True)[1], (x,))


def test_functional_errors(torch):
    x, tx = both(torch, A)
    tf = torch.autograd.functional
    same_error(lambda: LF.jacobian(lambda a: a, [x]), lambda: tf.jacobian(lambda a: a, [tx]))
    same_error(lambda: LF.jacobian(lambda a: a, (x, 3)), lambda: tf.jacobian(lambda a: a, (tx, 3)))
    same_error(lambda: LF.vjp(lambda a: a * 2, x), lambda: tf.vjp(lambda a: a * 2, tx))
    same_error(lambda: LF.jvp(lambda a: a * 2, x), lambda: tf.jvp(lambda a: a * 2, tx))
    same_error(lambda: LF.vjp(lambda a: a * 2, x, x[0]), lambda: tf.vjp(lambda a: a * 2, tx, tx[0]))
    same_error(lambda: LF.jvp(lambda a, b: a * b, (x, x), (x,)), lambda: tf.jvp(lambda a, b: a * b, (tx, tx), (tx,)))
    same_error(lambda: LF.jvp(lambda a, b: a * b, (x, x), (x, x[0])),
               lambda: tf.jvp(lambda a, b: a * b, (tx, tx), (tx, tx[0])))
    same_error(lambda: LF.vjp(lambda a: a * 2, x, (x, x)), lambda: tf.vjp(lambda a: a * 2, tx, (tx, tx)))
    same_error(lambda: LF.hessian(lambda a: a * 2, x), lambda: tf.hessian(lambda a: a * 2, tx))
    same_error(lambda: LF.hessian(lambda a: (a.sum(), a.sum()), x), lambda: tf.hessian(lambda a: (a.sum(), a.sum()), tx))
    same_error(lambda: LF.hvp(lambda a: a * 2, x, x), lambda: tf.hvp(lambda a: a * 2, tx, tx))
    same_error(lambda: LF.jacobian(lambda a: a, x, strategy="x"), lambda: tf.jacobian(lambda a: a, tx, strategy="x"))
    same_error(lambda: LF.jacobian(lambda a: a, x, strategy="forward-mode"),
               lambda: tf.jacobian(lambda a: a, tx, strategy="forward-mode"))
    same_error(lambda: LF.jacobian(lambda a: a, x, strategy="forward-mode", create_graph=True),
               lambda: tf.jacobian(lambda a: a, tx, strategy="forward-mode", create_graph=True))


def test_strict_mode_errors(torch):
    x, tx = both(torch, A)
    tf = torch.autograd.functional
    const = {lt: lt.ones(2, 3, dtype=lt.float64), torch: torch.ones(2, 3, dtype=torch.float64)}
    same_error(lambda: LF.jacobian(lambda a: const[lt], x, strict=True),
               lambda: tf.jacobian(lambda a: const[torch], tx, strict=True))
    same_error(lambda: LF.jacobian(lambda a, b: a * 2, (x, x), strict=True),
               lambda: tf.jacobian(lambda a, b: a * 2, (tx, tx), strict=True))
    same_error(lambda: LF.vjp(lambda a, b: a * 2, (x, x), (x,)[0], strict=True),
               lambda: tf.vjp(lambda a, b: a * 2, (tx, tx), (tx,)[0], strict=True))
    same_error(lambda: LF.hessian(lambda a: (a * 2).sum(), x, strict=True),
               lambda: tf.hessian(lambda a: (a * 2).sum(), tx, strict=True))
    same_error(lambda: LF.jacobian(lambda a: a * 2, x, strict=True, vectorize=True),
               lambda: tf.jacobian(lambda a: a * 2, tx, strict=True, vectorize=True))
    # not strict: zeros where the output does not depend on an input
    assert_same(LF.jacobian(lambda a, b: a * 2, (x, x))[1], tf.jacobian(lambda a, b: a * 2, (tx, tx))[1])


# --- torch.func ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_func_grad_argnums_aux_and_value(torch, device, dtype):
    (x, tx), (y, ty) = both(torch, B, device, dtype, t=True), both(torch, A, device, dtype)
    f = lambda a, b: (a.sin() * b ** 2).sum()                    # noqa: E731
    tfn = torch.func
    assert_same(lfunc.grad(f)(x, y).cpu(), tfn.grad(f)(tx, ty), rtol=1e-5)
    assert_same(cpu(lfunc.grad(f, argnums=(0, -1))(x, y)), tfn.grad(f, argnums=(0, -1))(tx, ty), rtol=1e-5)
    assert_same(lfunc.grad(f, argnums=-1)(x, y).cpu(), tfn.grad(f, argnums=-1)(tx, ty), rtol=1e-5)
    h = lambda a: ((a ** 2).sum(), a.mean())                     # noqa: E731
    g, aux = lfunc.grad(h, has_aux=True)(x)
    tg, taux = tfn.grad(h, has_aux=True)(tx)
    assert_same((g.cpu(), aux.cpu()), (tg, taux))
    ours = lfunc.grad_and_value(f)(x, y)
    assert_same(cpu(ours), tfn.grad_and_value(f)(tx, ty), rtol=1e-5)
    assert not ours[0].requires_grad and not ours[1].requires_grad
    # dict of parameters (a pytree)
    ours = lfunc.grad(lambda p: (p["w"] * p["b"]).sum())({"w": x, "b": y})
    theirs = tfn.grad(lambda p: (p["w"] * p["b"]).sum())({"w": tx, "b": ty})
    assert set(ours) == {"w", "b"}
    assert_same((ours["w"].cpu(), ours["b"].cpu()), (theirs["w"], theirs["b"]))


def test_func_nested_and_hessian(torch, device):
    x, tx = both(torch, 0.3, device)
    assert_same(lfunc.grad(lfunc.grad(lfunc.grad(lambda a: a.sin() * a)))(x).cpu(),
                torch.func.grad(torch.func.grad(torch.func.grad(lambda a: a.sin() * a)))(tx))
    x, tx = both(torch, C, device)
    f = lambda a: (a.exp() * a.roll(1, 0)).sum()                 # noqa: E731
    assert_same(lfunc.hessian(f)(x).cpu(), torch.func.hessian(f)(tx))
    assert_same(lfunc.jacrev(lfunc.jacrev(f))(x).cpu(), torch.func.jacrev(torch.func.jacrev(f))(tx))


@pytest.mark.parametrize("api", ["jacrev", "jacfwd"])
def test_func_jacobians(torch, device, api):
    (x, tx), (y, ty) = both(torch, B, device, t=True), both(torch, A, device)
    f = lambda a, b: (a * b, (a - b).sum())                      # noqa: E731
    ours = getattr(lfunc, api)(f, argnums=(0, 1))(x, y)
    theirs = getattr(torch.func, api)(f, argnums=(0, 1))(tx, ty)
    assert ours[0][1].shape == (2, 3, 2, 3) and ours[1][0].shape == (2, 3)
    assert_same(cpu(ours), theirs)
    ours, aux = getattr(lfunc, api)(lambda a: (a.tanh(), a.sum()), has_aux=True)(x)
    theirs, taux = getattr(torch.func, api)(lambda a: (a.tanh(), a.sum()), has_aux=True)(tx)
    assert_same((ours.cpu(), aux.cpu()), (theirs, taux))


def test_func_vjp(torch, device):
    (x, tx), (y, ty) = both(torch, B, device, t=True), both(torch, A, device)
    out, fn = lfunc.vjp(lambda a, b: (a * b).exp(), x, y)
    tout, tfn = torch.func.vjp(lambda a, b: (a * b).exp(), tx, ty)
    v, tv = both(torch, V, device)
    assert_same(cpu((out, fn(v))), (tout, tfn(tv)))
    assert isinstance(fn(v), tuple) and len(fn(v)) == 2
    out, fn, aux = lfunc.vjp(lambda a: (a.sin(), a.sum()), x, has_aux=True)
    tout, tfn, taux = torch.func.vjp(lambda a: (a.sin(), a.sum()), tx, has_aux=True)
    assert_same(cpu((out, fn(v), aux)), (tout, tfn(tv), taux))


def test_func_errors(torch):
    x, tx = both(torch, C)
    for api in ("grad", "grad_and_value"):
        same_error(lambda: getattr(lfunc, api)(lambda a: a * 2)(x), lambda: getattr(torch.func, api)(lambda a: a * 2)(tx))
        same_error(lambda: getattr(lfunc, api)(lambda a: 3)(x), lambda: getattr(torch.func, api)(lambda a: 3)(tx))
        same_error(lambda: getattr(lfunc, api)(lambda a: a.sum(), has_aux=True)(x),
                   lambda: getattr(torch.func, api)(lambda a: a.sum(), has_aux=True)(tx))
    same_error(lambda: lfunc.grad(lambda a: a.sum(), argnums=2)(x), lambda: torch.func.grad(lambda a: a.sum(), argnums=2)(tx))
    same_error(lambda: lfunc.grad(lambda a: a.sum(), argnums=(0, 0))(x),
               lambda: torch.func.grad(lambda a: a.sum(), argnums=(0, 0))(tx))
    same_error(lambda: lfunc.grad(lambda a: a.sum())(3.0), lambda: torch.func.grad(lambda a: a.sum())(3.0))
    same_error(lambda: lfunc.grad(lambda a: a.sum())(lt.arange(3)), lambda: torch.func.grad(lambda a: a.sum())(torch.arange(3)))
    same_error(lambda: lfunc.jacrev(lambda a: a, argnums=1)(x), lambda: torch.func.jacrev(lambda a: a, argnums=1)(tx))
    same_error(lambda: lfunc.vjp(lambda a: a * 2, x)[1](lt.ones(4, dtype=lt.float64)),
               lambda: torch.func.vjp(lambda a: a * 2, tx)[1](torch.ones(4, dtype=torch.float64)))


def test_functional_call(torch, device):
    mods = {}
    for m in (lt, torch):
        m.manual_seed(0)
        mods[m] = m.nn.Sequential(m.nn.Linear(3, 4), m.nn.BatchNorm1d(4), m.nn.ReLU(), m.nn.Linear(4, 2))
    net = mods[lt].to(device)
    x, tx = both(torch, RNG.standard_normal((5, 3)), device, "float32")
    params = {k: v.detach() * 0.5 for k, v in net.named_parameters()}
    tparams = {k: v.detach() * 0.5 for k, v in mods[torch].named_parameters()}
    buffers = {k: v.detach().clone() for k, v in net.named_buffers()}
    tbuffers = {k: v.detach().clone() for k, v in mods[torch].named_buffers()}
    w_before = net[0].weight.detach().clone()
    ours = lfunc.functional_call(net, (params, buffers), (x,))
    theirs = torch.func.functional_call(mods[torch], (tparams, tbuffers), (tx,))
    assert_same(ours.cpu(), theirs.detach(), rtol=1e-5)
    assert_same(buffers["1.running_mean"].cpu(), tbuffers["1.running_mean"], rtol=1e-5)   # updated in place
    assert net[0].weight is not params["0.weight"]
    assert np.array_equal(net[0].weight.detach().cpu().numpy(), w_before.cpu().numpy())   # put back
    assert_same(lfunc.functional_call(net, params, x).cpu(),
                torch.func.functional_call(mods[torch], tparams, tx).detach(), rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vmap_per_example_gradients(torch, device, dtype):
    xs, txs = both(torch, RNG.standard_normal((6, 3)), device, dtype)
    ys, tys = both(torch, RNG.standard_normal((6, 2)), device, dtype)
    results = []
    for m, F, X, Y in ((lt, lfunc, xs, ys), (torch, torch.func, txs, tys)):
        m.manual_seed(0)
        model = m.nn.Linear(3, 2).to(getattr(m, dtype))
        if m is lt:
            model = model.to(device)
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss(p, x, y, F=F, model=model, m=m):
            return m.nn.functional.mse_loss(F.functional_call(model, p, (x.unsqueeze(0),)), y.unsqueeze(0))
        g = F.vmap(F.grad(loss), in_dims=(None, 0, 0))(params, X, Y)
        results.append((g["weight"], g["bias"]))
        # the loop by hand gives the same
        if m is lt:
            w0 = lfunc.grad(loss)(params, X[0], Y[0])["weight"]
            assert_same(g["weight"][0].cpu(), w0.cpu())
    assert results[0][0].shape == (6, 2, 3)
    assert_same(cpu(results[0]), results[1], rtol=1e-5)


def test_vmap_dims(torch, device):
    x, tx = both(torch, RNG.standard_normal((4, 3)), device)
    y, ty = both(torch, RNG.standard_normal((3, 4)), device)
    for (f, kw) in [(lambda a, b: a.dot(b), dict(in_dims=(0, 1))),
                    (lambda a, b: a * b.sum(), dict(in_dims=(1, None))),
                    (lambda a, b: (a.sum(), a + b[0]), dict(in_dims=(1, 0), out_dims=(0, 1))),
                    (lambda a, b: a * 2, dict(in_dims=(-1, None), out_dims=-1)),
                    (lambda ab: ab[0] * ab[1], dict(in_dims=((0, 1),)))]:
        args = ((x, y),) if len(kw.get("in_dims")) == 1 else (x, y)
        targs = ((tx, ty),) if len(kw.get("in_dims")) == 1 else (tx, ty)
        assert_same(cpu(lfunc.vmap(f, **kw)(*args)), torch.func.vmap(f, **kw)(*targs))
    # batched dot product, nested vmap, unbatched output
    assert_same(lfunc.vmap(lt.dot)(x, y.t()).cpu(), torch.func.vmap(torch.dot)(tx, ty.t()))
    assert_same(lfunc.vmap(lfunc.vmap(lt.mul))(x, y.t()).cpu(), torch.func.vmap(torch.func.vmap(torch.mul))(tx, ty.t()))
    ours = lfunc.vmap(lambda a: (a * 2, y), out_dims=(0, None))(x)
    assert ours[1] is y


def test_vmap_randomness(torch):
    x = lt.zeros(5, 3)
    same_error(lambda: lfunc.vmap(lambda a: a + lt.rand(1))(x),
               lambda: torch.func.vmap(lambda a: a + torch.rand(1))(torch.zeros(5, 3)))
    same = lfunc.vmap(lambda a: a + lt.rand(3), randomness="same")(x)
    assert bool((same == same[0]).all())
    diff = lfunc.vmap(lambda a: a + lt.rand(3), randomness="different")(x)
    assert not bool((diff == diff[0]).all())
    same_error(lambda: lfunc.vmap(lambda a: a, randomness="foo")(x),
               lambda: torch.func.vmap(lambda a: a, randomness="foo")(torch.zeros(5, 3)))


def test_vmap_errors(torch):
    tv = torch.func.vmap
    cases = [
        (lambda a, b: a + b, {}, (3, 4)),
        (lambda a, b: a + b, dict(in_dims=(None, None)), (3, 4)),
        (lambda a: 3, {}, (3,)),
        (lambda a: a, dict(in_dims=2), (3,)),
        (lambda a: a, dict(in_dims="a"), (3,)),
        (lambda a: a, {}, ((),)),
        (lambda a: a, dict(out_dims=None), (3,)),
    ]
    for f, kw, shapes in cases:
        ours = [lt.arange(float(np.prod(s))).reshape(s) for s in shapes]
        theirs = [torch.arange(float(np.prod(s))).reshape(s) for s in shapes]
        same_error(lambda: lfunc.vmap(f, **kw)(*ours), lambda: tv(f, **kw)(*theirs))
    same_error(lambda: lfunc.vmap(lambda a: a)(3), lambda: tv(lambda a: a)(3))
    with pytest.raises(ValueError, match="in_dims is not compatible with the structure"):
        lfunc.vmap(lambda a: a, in_dims=(0, 0))(lt.zeros(3))


# --- torch.utils.checkpoint ----------------------------------------------------------------------

def _net(m, p=0.5):
    m.manual_seed(0)
    return m.nn.Sequential(m.nn.Linear(4, 8), m.nn.Tanh(), m.nn.Dropout(p), m.nn.Linear(8, 8), m.nn.Tanh(),
                           m.nn.Linear(8, 2))


@pytest.mark.parametrize("reentrant", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_checkpoint_gradients_equal_plain_run_and_torch(torch, reentrant, dtype):
    X = np.linspace(-1, 1, 12).reshape(4, 3).T          # (3, 4), non-contiguous
    out = {}
    for m in (lt, torch):
        C = importlib.import_module(m.__name__ + ".utils.checkpoint")
        net = _net(m).to(getattr(m, dtype))
        x = m.tensor(X.T.copy(), dtype=getattr(m, dtype)).t().requires_grad_()
        m.manual_seed(5)
        y = C.checkpoint(net, x, use_reentrant=reentrant)
        y.sum().backward()
        ck = (y.detach(), net[0].weight.grad.clone(), x.grad.clone())
        net.zero_grad()
        x.grad = None
        m.manual_seed(5)
        y = net(x)                                        # same dropout mask: same seed
        y.sum().backward()
        out[m] = (ck, (y.detach(), net[0].weight.grad, x.grad))
    assert_same(out[lt][0], out[lt][1])                   # recomputation repeats the dropout mask
    assert_same(out[lt][0], out[torch][0], rtol=1e-5)


def test_checkpoint_grad_fn_warning_and_errors(torch):
    net, tnet = _net(lt, 0.0), _net(torch, 0.0)
    x, tx = lt.ones(2, 4, requires_grad=True), torch.ones(2, 4, requires_grad=True)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        y = lckpt.checkpoint(net, x)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        ty = torch.utils.checkpoint.checkpoint(tnet, tx)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert y.grad_fn.name() == ty.grad_fn.name() == "CheckpointFunctionBackward"
    same_error(lambda: lckpt.checkpoint(lambda a, k=1: a, x, use_reentrant=True, k=2),
               lambda: torch.utils.checkpoint.checkpoint(lambda a, k=1: a, tx, use_reentrant=True, k=2))
    assert lckpt.checkpoint(lambda a, k=1: a * k, x, use_reentrant=False, k=3).sum().item() == 24.0
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        lckpt.checkpoint(net, lt.ones(2, 4), use_reentrant=True)


@pytest.mark.parametrize("reentrant", [True, False])
def test_checkpoint_sequential(torch, reentrant):
    grads = []
    for m in (lt, torch):
        C = importlib.import_module(m.__name__ + ".utils.checkpoint")
        net = _net(m)
        m.manual_seed(3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = C.checkpoint_sequential(net, 3, m.ones(3, 4), use_reentrant=reentrant)
        y.sum().backward()
        grads.append((y.detach(), net[0].weight.grad, net[5].weight.grad))
    if reentrant:   # as in PyTorch: the first segment's input needs no grad, so its parameters get none
        assert grads[0][1] is None and grads[1][1] is None
        grads = [(g[0], g[2]) for g in grads]
    assert_same(grads[0], grads[1], rtol=1e-5)
    with pytest.warns(UserWarning, match="checkpoint_sequential: the use_reentrant"):
        lckpt.checkpoint_sequential(_net(lt), 2, lt.ones(3, 4))


def test_checkpoint_autograd_grad_create_graph_and_gradcheck(torch, device):
    x = lt.tensor(C, device=device).requires_grad_()
    x_cpu = lt.tensor(C).requires_grad_()
    y = lckpt.checkpoint(lambda a: (a ** 3).sin().sum(), x, use_reentrant=False)
    g, = lt.autograd.grad(y, x, create_graph=True)
    g2, = lt.autograd.grad(g.sum(), x)
    tx = torch.tensor(C, requires_grad=True)
    ty = torch.utils.checkpoint.checkpoint(lambda a: (a ** 3).sin().sum(), tx, use_reentrant=False)
    tg, = torch.autograd.grad(ty, tx, create_graph=True)
    tg2, = torch.autograd.grad(tg.sum(), tx)
    assert_same((g.detach().cpu(), g2.cpu()), (tg.detach(), tg2))
    for reentrant in (True, False):
        assert lt.autograd.gradcheck(lambda a: lckpt.checkpoint(lambda b: b.exp() * b, a, use_reentrant=reentrant), (x_cpu,))
