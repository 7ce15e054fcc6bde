"""Optimizers and learning-rate schedulers against real PyTorch, step by step."""
import copy
import math
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch import nn, optim
from parity import assert_same, same_error

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.01, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1, alpha=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True, maximize=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, eps=1e-6)),
]


def make_pair(torch, name, kw, device="cpu", dtype="float32", seed=1):
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in [(3, 4), (4,)]]
    pt = [torch.nn.Parameter(torch.tensor(a)) for a in init]
    pl = [nn.Parameter(lt.tensor(a, device=device)) for a in init]
    return pt, pl, getattr(torch.optim, name)(pt, **kw), getattr(optim, name)(pl, **kw), rng


def set_grads(pt, pl, rng, device, dtype):
    for p, q in zip(pt, pl):
        g = rng.standard_normal(tuple(p.shape)).astype(dtype)
        p.grad = torch_tensor(p, g)
        q.grad = lt.tensor(g, device=device)


def torch_tensor(p, g):
    import torch
    return torch.tensor(g)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kw", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_trajectory_matches_torch(torch, device, dtype, name, kw):
    """10 steps from identical parameters and gradients: the same parameters after each step."""
    pt, pl, ot, ol, rng = make_pair(torch, name, kw, device, dtype)
    for _ in range(10):
        set_grads(pt, pl, rng, device, dtype)
        ot.step()
        ol.step()
        for a, b in zip(pl, pt):
            assert_same(a.detach(), b.detach(), rtol=1e-5, atol=1e-7)
    st, sl = ot.state_dict(), ol.state_dict()
    assert sl["param_groups"] == st["param_groups"]
    assert list(sl["state"]) == list(st["state"])
    for k in st["state"]:
        assert list(sl["state"][k]) == list(st["state"][k])
        for key, value in st["state"][k].items():
            assert_same(sl["state"][k][key], value, rtol=1e-5, atol=1e-7)
    assert repr(ol) == repr(ot)


@pytest.mark.parametrize("name,kw", CONFIGS[::2], ids=[n for n, _ in CONFIGS[::2]])
def test_state_dict_round_trip_continues_identically(torch, name, kw):
    pt, pl, ot, ol, rng = make_pair(torch, name, kw)
    for _ in range(3):
        set_grads(pt, pl, rng, "cpu", "float32")
        ot.step()
        ol.step()
    saved = copy.deepcopy(ol.state_dict())
    fresh_params = [nn.Parameter(p.detach().clone()) for p in pl]
    fresh = getattr(optim, name)(fresh_params, **kw)
    fresh.load_state_dict(saved)
    grads = [np.random.default_rng(7).standard_normal(tuple(p.shape)).astype("float32") for p in pl]
    for p, q, g in zip(pl, fresh_params, grads):
        p.grad, q.grad = lt.tensor(g), lt.tensor(g)
    ol.step()
    fresh.step()
    for p, q in zip(pl, fresh_params):
        assert p.tolist() == q.tolist()


def test_state_dict_format(torch):
    m, tm = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad"):
        kw = {"lr": 0.1}
        assert _plain(getattr(optim, name)(m.parameters(), **kw).state_dict()) == \
            _plain(getattr(torch.optim, name)(tm.parameters(), **kw).state_dict())
    o = optim.SGD([{"params": [m.weight]}, {"params": [m.bias], "lr": 0.5}], lr=0.1, momentum=0.9)
    t = torch.optim.SGD([{"params": [tm.weight]}, {"params": [tm.bias], "lr": 0.5}], lr=0.1, momentum=0.9)
    assert o.state_dict()["param_groups"] == t.state_dict()["param_groups"]
    assert repr(o) == repr(t)


def _plain(sd):
    """Adagrad's initial state holds tensors: compare their values as lists."""
    return {"state": {k: {kk: vv.tolist() for kk, vv in v.items()} for k, v in sd["state"].items()},
            "param_groups": sd["param_groups"]} if sd["state"] else sd


def test_adagrad_initial_state_matches(torch):
    m, tm = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    ours = optim.Adagrad(m.parameters(), initial_accumulator_value=0.5).state_dict()
    theirs = torch.optim.Adagrad(tm.parameters(), initial_accumulator_value=0.5).state_dict()
    assert ours["param_groups"] == theirs["param_groups"]
    for k in theirs["state"]:
        for key in theirs["state"][k]:
            assert_same(ours["state"][k][key], theirs["state"][k][key])


def test_zero_grad_and_skipped_params():
    w, b = nn.Parameter(lt.ones(2)), nn.Parameter(lt.ones(1))
    opt = optim.SGD([w, b], lr=1.0)
    (w.sum() * 2).backward()
    opt.step()                        # b has no grad: left alone
    assert w.tolist() == [-1.0, -1.0] and b.tolist() == [1.0]
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None
    assert w.is_leaf and w.grad_fn is None       # updates do not build a graph


def test_closure_and_param_groups():
    w = nn.Parameter(lt.tensor([3.0]))

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    opt = optim.SGD([w], lr=0.25)
    loss = opt.step(closure)
    assert loss.item() == 9.0 and w.item() == 1.5
    extra = nn.Parameter(lt.zeros(1))
    opt.add_param_group({"params": extra, "lr": 0.5})
    assert len(opt.param_groups) == 2 and opt.param_groups[1]["momentum"] == 0
    named = optim.Adam(nn.Linear(2, 2).named_parameters())
    assert named.param_groups[0]["param_names"] == ["weight", "bias"]


def test_optimizer_errors_match_torch(torch):
    m, tm = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    cases = [
        lambda o, m, t: o.SGD(m.weight, lr=0.1),
        lambda o, m, t: o.SGD([], lr=0.1),
        lambda o, m, t: o.SGD(m.parameters(), lr=-0.1),
        lambda o, m, t: o.SGD(m.parameters(), lr=0.1, momentum=-1),
        lambda o, m, t: o.SGD(m.parameters(), lr=0.1, weight_decay=-1),
        lambda o, m, t: o.SGD(m.parameters(), lr=0.1, nesterov=True),
        lambda o, m, t: o.Adam(m.parameters(), lr=-1),
        lambda o, m, t: o.Adam(m.parameters(), eps=-1),
        lambda o, m, t: o.Adam(m.parameters(), betas=(1.0, 0.9)),
        lambda o, m, t: o.Adam(m.parameters(), betas=(0.9, 1.0)),
        lambda o, m, t: o.Adam(m.parameters(), weight_decay=-1),
        lambda o, m, t: o.AdamW(m.parameters(), lr=-1),
        lambda o, m, t: o.RMSprop(m.parameters(), alpha=-1),
        lambda o, m, t: o.RMSprop(m.parameters(), momentum=-1),
        lambda o, m, t: o.Adagrad(m.parameters(), lr_decay=-1),
        lambda o, m, t: o.Adagrad(m.parameters(), initial_accumulator_value=-1),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).add_param_group({"params": [m.weight]}),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).add_param_group({"params": [t.zeros(2, requires_grad=True) * 2]}),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).add_param_group({"params": [3]}),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).add_param_group({"params": {m.bias}}),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).load_state_dict({"state": {}, "param_groups": []}),
        lambda o, m, t: o.SGD([m.weight], lr=0.1).load_state_dict(
            {"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]}),
    ]
    for case in cases:
        same_error(lambda: case(optim, m, lt), lambda: case(torch.optim, tm, torch))


def test_training_on_cuda_matches_cpu(device):
    """A few Adam steps of a small model give the same weights on both devices."""
    def run(dev):
        lt.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).to(dev)
        opt = optim.Adam(model.parameters(), lr=0.01)
        x = lt.randn(8, 3).to(dev)
        y = lt.tensor([0, 1, 1, 0, 1, 0, 0, 1]).to(dev)
        for _ in range(5):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        assert all(s["exp_avg"].device.type == dev for s in opt.state.values())
        return [p.detach().cpu().numpy() for p in model.parameters()]
    for a, b in zip(run("cpu"), run(device)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_optimizer_state_follows_model_to_device_on_load(device):
    model = nn.Linear(2, 1)
    opt = optim.Adam(model.parameters())
    model(lt.ones(1, 2)).sum().backward()
    opt.step()
    sd = opt.state_dict()
    model.to(device)
    opt2 = optim.Adam(model.parameters())
    opt2.load_state_dict(sd)
    assert opt2.state[model.weight]["exp_avg"].device.type == device
    assert opt2.state[model.weight]["step"].device.type == "cpu"


# --- learning-rate schedulers ----------------------------------------------------------------

SCHEDULERS = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=4, eta_min=0.01)),
    ("CosineAnnealingLR", dict(T_max=10)),
    ("LambdaLR", dict(lr_lambda=lambda e: 1.0 / (e + 1))),
]


def _two_group_optimizers(torch):
    a, b = nn.Parameter(lt.zeros(1)), nn.Parameter(lt.zeros(1))
    ta, tb = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
    ours = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([{"params": [ta]}, {"params": [tb], "lr": 0.5}], lr=0.1, momentum=0.9)
    return ours, theirs


@pytest.mark.parametrize("name,kw", SCHEDULERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULERS)])
def test_scheduler_matches_torch(torch, name, kw):
    ours, theirs = _two_group_optimizers(torch)
    so = getattr(optim.lr_scheduler, name)(ours, **kw)
    st = getattr(torch.optim.lr_scheduler, name)(theirs, **kw)
    assert so.get_last_lr() == pytest.approx(st.get_last_lr())
    for _ in range(25):
        ours.step()
        theirs.step()
        so.step()
        st.step()
        assert so.get_last_lr() == pytest.approx(st.get_last_lr(), rel=1e-12)
        assert [g["lr"] for g in ours.param_groups] == pytest.approx([g["lr"] for g in theirs.param_groups])
    ours_sd, theirs_sd = so.state_dict(), st.state_dict()
    assert list(ours_sd) == list(theirs_sd)
    for key in theirs_sd:
        if key not in ("milestones",):
            assert ours_sd[key] == pytest.approx(theirs_sd[key]) if isinstance(theirs_sd[key], list) \
                else ours_sd[key] == theirs_sd[key]


def test_scheduler_closed_form_with_epoch(torch):
    ours, theirs = _two_group_optimizers(torch)
    so = optim.lr_scheduler.StepLR(ours, 2, 0.5)
    st = torch.optim.lr_scheduler.StepLR(theirs, 2, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.step()
        theirs.step()
        so.step(7)
        st.step(7)
    assert so.get_last_lr() == pytest.approx(st.get_last_lr())


def test_reduce_lr_on_plateau_matches_torch(torch):
    metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
    for kw in (dict(patience=2), dict(mode="max", factor=0.5, patience=1, cooldown=2, threshold_mode="abs"),
               dict(patience=0, min_lr=0.05)):
        ours, theirs = _two_group_optimizers(torch)
        so = optim.lr_scheduler.ReduceLROnPlateau(ours, **kw)
        st = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, **kw)
        for m in metrics:
            so.step(m)
            st.step(m)
            assert so.get_last_lr() == pytest.approx(st.get_last_lr())
        assert list(so.state_dict()) == list(st.state_dict())
    same_error(lambda: optim.lr_scheduler.ReduceLROnPlateau(ours, factor=1.0),
               lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, factor=1.0))
    same_error(lambda: optim.lr_scheduler.ReduceLROnPlateau(ours, mode="avg"),
               lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, mode="avg"))


def test_scheduler_order_warning_and_state_dict_round_trip(torch):
    ours, _ = _two_group_optimizers(torch)
    s = optim.lr_scheduler.StepLR(ours, step_size=2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        s.step()      # before optimizer.step(): PyTorch warns
    assert any("Detected call of `lr_scheduler.step()` before `optimizer.step()`" in str(x.message) for x in w)
    ours.step()
    s.step()
    s2 = optim.lr_scheduler.StepLR(_two_group_optimizers(torch)[0], step_size=2)
    s2.load_state_dict(s.state_dict())
    assert s2.last_epoch == s.last_epoch and s2.get_last_lr() == s.get_last_lr()
    same_error(lambda: optim.lr_scheduler.StepLR(object(), 2), lambda: torch.optim.lr_scheduler.StepLR(object(), 2))


def test_documents_steplr_snippet():
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    lrs = []
    for epoch in range(90):
        optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    assert lrs[28] == 0.1 and math.isclose(lrs[29], 0.01) and math.isclose(lrs[89], 0.0001)
