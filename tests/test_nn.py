"""nn.Module, nn.Parameter, layers and nn.init against real PyTorch."""
import copy
import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import learntorch as lt
from learntorch import nn
from parity import assert_same, same_error

rng = np.random.default_rng(0)
DTYPES = ["float32", "float64"]


# --- layer parity: same weights, same input -> same output and gradients -----------------

def check_layer(torch, make, shape, device="cpu", dtype="float64", train=True, transpose_input=False):
    """Build the layer in both libraries, copy PyTorch's weights into ours through
    load_state_dict, then compare output, input gradient, parameter gradients and buffers."""
    tl = make(torch.nn).to(getattr(torch, dtype))
    ll = make(nn).to(getattr(lt, dtype))
    if not train:
        tl.eval()
        ll.eval()
    ll.load_state_dict({k: lt.tensor(v.detach().numpy()) for k, v in tl.state_dict().items()})
    ll.to(device)
    x = rng.standard_normal(shape).astype(dtype)
    xt = torch.tensor(x, requires_grad=True)
    xl = lt.tensor(x, device=device, requires_grad=True)
    if transpose_input:   # a non-contiguous input
        xt_in, xl_in = xt.transpose(0, -1), xl.transpose(0, -1)
    else:
        xt_in, xl_in = xt, xl
    yt, yl = tl(xt_in), ll(xl_in)
    assert_same(yl, yt)
    g = rng.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    yl.backward(lt.tensor(g, device=device))
    assert_same(xl.grad, xt.grad, rtol=1e-4, atol=1e-5)
    named_t, named_l = list(tl.named_parameters()), list(ll.named_parameters())
    assert [n for n, _ in named_l] == [n for n, _ in named_t]
    for (_, pl), (_, pt) in zip(named_l, named_t):
        assert_same(pl.grad, pt.grad, rtol=1e-4, atol=1e-5)
    for (nl, bl), (nt, bt) in zip(ll.named_buffers(), tl.named_buffers()):
        assert nl == nt
        assert_same(bl, bt)
    return ll, tl


LAYERS = [
    ("Linear", lambda nn: nn.Linear(4, 3), (5, 4)),
    ("Linear3d", lambda nn: nn.Linear(4, 3), (2, 5, 4)),
    ("Linear1d", lambda nn: nn.Linear(4, 3), (4,)),
    ("LinearNoBias", lambda nn: nn.Linear(4, 3, bias=False), (5, 4)),
    ("Identity", lambda nn: nn.Identity(54, unused=1), (2, 3)),
    ("Flatten", lambda nn: nn.Flatten(), (2, 3, 4, 2)),
    ("Flatten02", lambda nn: nn.Flatten(0, 2), (2, 3, 4, 2)),
    ("Unflatten", lambda nn: nn.Unflatten(1, (2, 3)), (2, 6, 4)),
    ("ReLU", lambda nn: nn.ReLU(), (3, 4)),
    ("LeakyReLU", lambda nn: nn.LeakyReLU(0.2), (3, 4)),
    ("Sigmoid", lambda nn: nn.Sigmoid(), (3, 4)),
    ("Tanh", lambda nn: nn.Tanh(), (3, 4)),
    ("GELU", lambda nn: nn.GELU(), (3, 4)),
    ("GELUtanh", lambda nn: nn.GELU("tanh"), (3, 4)),
    ("SiLU", lambda nn: nn.SiLU(), (3, 4)),
    ("ELU", lambda nn: nn.ELU(0.5), (3, 4)),
    ("Softplus", lambda nn: nn.Softplus(2.0, 3.0), (3, 4)),
    ("Hardtanh", lambda nn: nn.Hardtanh(-0.5, 0.5), (3, 4)),
    ("ReLU6", lambda nn: nn.ReLU6(), (3, 4)),
    ("LogSigmoid", lambda nn: nn.LogSigmoid(), (3, 4)),
    ("Softmax", lambda nn: nn.Softmax(dim=1), (3, 4)),
    ("Softmax0", lambda nn: nn.Softmax(dim=0), (3, 4, 2)),
    ("LogSoftmax", lambda nn: nn.LogSoftmax(dim=-1), (3, 4)),
    ("Sequential", lambda nn: nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2), nn.Sigmoid()), (6, 4)),
    ("BatchNorm1d", lambda nn: nn.BatchNorm1d(4), (5, 4)),
    ("BatchNorm1d3d", lambda nn: nn.BatchNorm1d(4), (5, 4, 3)),
    ("BatchNorm2d", lambda nn: nn.BatchNorm2d(3), (2, 3, 4, 5)),
    ("BatchNorm2dCumulative", lambda nn: nn.BatchNorm2d(3, momentum=None), (2, 3, 4, 5)),
    ("BatchNorm2dNoAffine", lambda nn: nn.BatchNorm2d(3, affine=False), (2, 3, 4, 5)),
    ("BatchNorm2dNoStats", lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (2, 3, 4, 5)),
    ("LayerNorm", lambda nn: nn.LayerNorm(5), (2, 3, 5)),
    ("LayerNorm2", lambda nn: nn.LayerNorm((3, 5), eps=1e-3), (2, 3, 5)),
    ("LayerNormNoAffine", lambda nn: nn.LayerNorm(5, elementwise_affine=False), (2, 5)),
    ("Conv2d", lambda nn: nn.Conv2d(3, 4, 3), (2, 3, 6, 7)),
    ("Conv2dAll", lambda nn: nn.Conv2d(4, 6, (3, 2), stride=2, padding=1, dilation=2, groups=2), (2, 4, 9, 8)),
    ("Conv2dSame", lambda nn: nn.Conv2d(3, 4, 4, padding="same", bias=False), (2, 3, 6, 7)),
    ("Conv2dUnbatched", lambda nn: nn.Conv2d(3, 2, 3, padding=(0, 1)), (3, 6, 7)),
    ("MaxPool2d", lambda nn: nn.MaxPool2d(2), (2, 3, 6, 7)),
    ("MaxPool2dCeil", lambda nn: nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 6, 7)),
    ("MaxPool2dDilated", lambda nn: nn.MaxPool2d(2, 1, dilation=2), (2, 3, 6, 7)),
    ("MaxPool2dUnbatched", lambda nn: nn.MaxPool2d((2, 3)), (3, 6, 7)),
    ("AvgPool2d", lambda nn: nn.AvgPool2d(2), (2, 3, 6, 7)),
    ("AvgPool2dCeil", lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True), (2, 3, 6, 7)),
    ("AvgPool2dExcludePad", lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), (2, 3, 6, 7)),
    ("AvgPool2dDivisor", lambda nn: nn.AvgPool2d(2, divisor_override=3), (2, 3, 6, 7)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,make,shape", LAYERS, ids=[n for n, _, _ in LAYERS])
def test_layer_matches_torch(torch, device, dtype, name, make, shape):
    check_layer(torch, make, shape, device, dtype)


@pytest.mark.parametrize("make,shape", [
    (lambda nn: nn.BatchNorm1d(4), (5, 4)),
    (lambda nn: nn.BatchNorm2d(3), (2, 3, 4, 5)),
    (lambda nn: nn.Dropout(0.5), (4, 5)),
    (lambda nn: nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.3), nn.ReLU()), (6, 4)),
])
def test_eval_mode_matches_torch(torch, device, make, shape):
    check_layer(torch, make, shape, device, "float64", train=False)


def test_batchnorm_running_stats_over_steps(torch, device):
    """Running statistics after several training batches, then eval uses them."""
    tl, ll = torch.nn.BatchNorm2d(3, momentum=0.3), nn.BatchNorm2d(3, momentum=0.3).to(device)
    for _ in range(4):
        x = rng.standard_normal((4, 3, 2, 2)).astype("float32") * 3 + 1
        tl(torch.tensor(x))
        ll(lt.tensor(x, device=device))
    assert_same(ll.running_mean, tl.running_mean)
    assert_same(ll.running_var, tl.running_var)
    assert ll.num_batches_tracked.item() == 4 and ll.num_batches_tracked.dtype is lt.int64
    x = rng.standard_normal((2, 3, 2, 2)).astype("float32")
    assert_same(ll.eval()(lt.tensor(x, device=device)), tl.eval()(torch.tensor(x)))


def test_layers_on_noncontiguous_input(torch, device):
    check_layer(torch, lambda nn: nn.Linear(5, 3), (5, 4), device, transpose_input=True)
    check_layer(torch, lambda nn: nn.Conv2d(4, 3, 2), (5, 4, 2, 3), device, transpose_input=True)
    check_layer(torch, lambda nn: nn.MaxPool2d(2), (5, 4, 2, 3), device, transpose_input=True)


def test_embedding(torch, device):
    for kwargs in ({}, {"padding_idx": 1}, {"padding_idx": -1}):
        tl, ll = torch.nn.Embedding(6, 3, **kwargs), nn.Embedding(6, 3, **kwargs)
        ll.load_state_dict({k: lt.tensor(v.detach().numpy()) for k, v in tl.state_dict().items()})
        ll.to(device)
        idx = np.array([[1, 2, 5], [1, 1, 0]])
        yt, yl = tl(torch.tensor(idx)), ll(lt.tensor(idx, device=device))
        assert_same(yl, yt)
        g = rng.standard_normal(tuple(yt.shape)).astype("float32")
        yt.backward(torch.tensor(g))
        yl.backward(lt.tensor(g, device=device))
        assert_same(ll.weight.grad, tl.weight.grad)
        assert yl.grad_fn.name() == "EmbeddingBackward0"
        assert repr(ll) == repr(tl)
    same_error(lambda: nn.Embedding(3, 2)(lt.tensor([3])), lambda: torch.nn.Embedding(3, 2)(torch.tensor([3])))
    same_error(lambda: nn.Embedding(3, 2)(lt.tensor([1.0])), lambda: torch.nn.Embedding(3, 2)(torch.tensor([1.0])))


def test_embedding_padding_row_and_pretrained(torch):
    e = nn.Embedding(5, 2, padding_idx=0)
    assert e.weight[0].tolist() == [0.0, 0.0]
    w = lt.tensor([[1.0, 2.0], [3.0, 4.0]])
    p = nn.Embedding.from_pretrained(w)
    assert not p.weight.requires_grad
    assert p(lt.tensor([1])).tolist() == [[3.0, 4.0]]


def test_dropout_train_and_eval(device):
    x = lt.ones(200, 50, device=device)
    d = nn.Dropout(0.2)
    y = d(x)
    kept = (y != 0).float().mean().item()
    assert 0.75 < kept < 0.85
    assert set(np.unique(y.cpu().numpy()).round(5)) <= {0.0, 1.25}
    d.eval()
    assert d(x) is x or bool((d(x) == x).all())
    assert nn.Dropout(0.0)(x) is x
    assert float(nn.Dropout(1.0)(x).abs().sum()) == 0.0


def test_dropout_same_mask_after_manual_seed():
    x = lt.ones(8, 8)
    lt.manual_seed(3)
    a = nn.Dropout(0.5)(x)
    lt.manual_seed(3)
    b = nn.Dropout(0.5)(x)
    assert a.tolist() == b.tolist()


def test_dropout_matches_torch_bits(torch):
    """PyTorch draws the dropout mask with bernoulli_(1 - p): same seed, same mask."""
    torch.manual_seed(0)
    lt.manual_seed(0)
    yt = torch.nn.functional.dropout(torch.ones(4, 5), 0.3)
    yl = nn.functional.dropout(lt.ones(4, 5), 0.3)
    assert_same(yl, yt)


# --- Module API -----------------------------------------------------------------------

class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 5)
        self.fc2 = nn.Linear(5, 2)

    def forward(self, x):
        return self.fc2(nn.functional.relu(self.fc1(x)))


def _torch_simple_net(torch):
    class SimpleNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(10, 5)
            self.fc2 = torch.nn.Linear(5, 2)

        def forward(self, x):
            return self.fc2(torch.nn.functional.relu(self.fc1(x)))
    return SimpleNet()


def test_parameter_basics(torch):
    p = nn.Parameter(lt.zeros(2))
    assert isinstance(p, lt.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf
    assert repr(p) == repr(torch.nn.Parameter(torch.zeros(2)))
    assert repr(nn.Parameter(lt.zeros(2), requires_grad=False)) == repr(torch.nn.Parameter(torch.zeros(2), False))
    assert repr(nn.Parameter()) == repr(torch.nn.Parameter())
    assert type(p * 2) is lt.Tensor
    with lt.no_grad():
        q = nn.Parameter(lt.ones(1))
    assert q.requires_grad
    t = lt.ones(3)
    shared = nn.Parameter(t)
    t[0] = 5.0
    assert shared[0].item() == 5.0   # shares memory with its data
    c = copy.deepcopy(shared)
    assert type(c) is nn.Parameter and c.tolist() == [5.0, 1.0, 1.0] and c.requires_grad


def test_registration_and_walks(torch):
    net, tnet = SimpleNet(), _torch_simple_net(torch)
    assert [n for n, _ in net.named_parameters()] == [n for n, _ in tnet.named_parameters()]
    assert [n for n, _ in net.named_modules()] == [n for n, _ in tnet.named_modules()]
    assert [n for n, _ in net.named_children()] == [n for n, _ in tnet.named_children()]
    assert len(list(net.parameters())) == 4 and len(list(net.modules())) == 3
    assert list(net.state_dict().keys()) == list(tnet.state_dict().keys())
    assert repr(net) == repr(tnet)
    # a shared module / parameter is listed once
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert list(seq.named_parameters(recurse=False)) == []
    assert net.get_submodule("fc1") is net.fc1
    assert net.get_parameter("fc2.bias") is net.fc2.bias


def test_buffers_and_state_dict(torch):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("steps", lt.zeros(1))
            self.register_buffer("tmp", lt.ones(2), persistent=False)
            self.plain = lt.ones(3)      # a plain tensor attribute is not registered
            self.bn = nn.BatchNorm1d(2)
    m = M()
    assert [n for n, _ in m.named_buffers()] == ["steps", "tmp", "bn.running_mean", "bn.running_var",
                                                 "bn.num_batches_tracked"]
    assert list(m.state_dict()) == ["steps", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                                    "bn.num_batches_tracked"]
    sd = m.state_dict()
    assert not sd["bn.weight"].requires_grad
    assert m.state_dict(keep_vars=True)["bn.weight"] is m.bn.weight
    assert list(sd._metadata) == ["", "bn"] and sd._metadata["bn"] == {"version": 2}
    m.steps = lt.tensor([5.0])     # assigning to a buffer name replaces the buffer
    assert m.state_dict()["steps"].tolist() == [5.0]
    del m.tmp
    assert "tmp" not in dict(m.named_buffers())


def test_registration_errors(torch):
    m, tm = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    cases = [
        (lambda a, t: a.register_buffer("weight", t.zeros(1)),),
        (lambda a, t: a.register_buffer("b2", 3),),
        (lambda a, t: a.register_buffer("a.b", t.zeros(1)),),
        (lambda a, t: a.register_parameter("p", t.zeros(2)),),
        (lambda a, t: setattr(a, "weight", t.zeros(2)),),
        (lambda a, t: setattr(a, "bias", 3),),
        (lambda a, t: a.fc3,),
        (lambda a, t: a.train(1),),
        (lambda a, t: a.load_state_dict([1]),),
        (lambda a, t: a.to(t.int64),),
        (lambda a, t: a.add_module("a.b", a.__class__(1, 1)),),
        (lambda a, t: a.add_module("w", 3),),
    ]
    for (f,) in cases:
        same_error(lambda: f(m, lt), lambda: f(tm, torch))
    same_error(lambda: nn.Module()(1), lambda: torch.nn.Module()(1))

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(lt.zeros(1))

    class TEarly(torch.nn.Module):
        def __init__(self):
            self.w = torch.nn.Parameter(torch.zeros(1))
    same_error(Early, TEarly)


def test_load_state_dict_errors_match_torch_and_change_nothing(torch):
    lt.manual_seed(0)
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    tm = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    before = {k: v.clone() for k, v in m.state_dict().items()}

    def bad(sd_of, t):
        sd = dict(sd_of.state_dict())
        sd["0.weight"] = t.zeros(5, 2)
        sd["x"] = t.zeros(1)
        sd["0.bias"] = t.ones(3)          # a good key, that PyTorch would copy before failing
        del sd["2.bias"]
        return sd
    msg = same_error(lambda: m.load_state_dict(bad(m, lt)), lambda: tm.load_state_dict(bad(tm, torch)))
    assert msg.startswith("Error(s) in loading state_dict for Sequential:")
    with pytest.raises(RuntimeError) as ours:
        m.load_state_dict(bad(m, lt))
    with pytest.raises(RuntimeError) as theirs:
        tm.load_state_dict(bad(tm, torch))
    assert str(ours.value) == str(theirs.value)
    for k, v in m.state_dict().items():   # nothing was copied
        assert v.tolist() == before[k].tolist()
    # strict=False: missing / unexpected keys are reported, not raised
    sd, tsd = dict(m.state_dict()), dict(tm.state_dict())
    sd["x"], tsd["x"] = lt.zeros(1), torch.zeros(1)
    del sd["2.bias"], tsd["2.bias"]
    assert repr(m.load_state_dict(sd, strict=False)) == repr(tm.load_state_dict(tsd, strict=False))
    assert repr(m.load_state_dict(m.state_dict())) == "<All keys matched successfully>"


def test_load_state_dict_copies_values_and_keeps_objects():
    a, b = SimpleNet(), SimpleNet()
    w = b.fc1.weight
    b.load_state_dict(a.state_dict())
    assert b.fc1.weight is w
    assert b.fc1.weight.tolist() == a.fc1.weight.tolist()
    c = SimpleNet()
    c.load_state_dict({k: v.double() for k, v in a.state_dict().items()})   # dtype converted on copy
    assert c.fc1.weight.dtype is lt.float32
    d = SimpleNet()
    d.load_state_dict(a.state_dict(), assign=True)
    assert d.fc1.weight.tolist() == a.fc1.weight.tolist() and isinstance(d.fc1.weight, nn.Parameter)


def test_train_eval_apply_requires_grad_zero_grad():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.BatchNorm1d(2)))
    assert net.training and net[2][0].training
    net.eval()
    assert not net.training and not net[1].training and not net[2][0].training
    net.train()
    assert all(m.training for m in net.modules())
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "Dropout", "BatchNorm1d", "Sequential", "Sequential"]
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    net.requires_grad_()
    net(lt.randn(4, 2)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0.0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_to_dtype_and_device(device):
    net = SimpleNet()
    params = list(net.parameters())
    net.double()
    assert all(p.dtype is lt.float64 for p in net.parameters())
    assert list(net.parameters())[0] is params[0]      # same Parameter objects
    net.float()
    bn = nn.BatchNorm1d(2).to(lt.float64)
    assert bn.num_batches_tracked.dtype is lt.int64 and bn.running_mean.dtype is lt.float64
    out = net.to(device)
    assert out is net
    assert all(p.device.type == device for p in net.parameters())
    assert net(lt.randn(3, 10, device=device)).device.type == device
    net.to(lt.zeros(1, dtype=lt.float64))
    assert net.fc1.weight.dtype is lt.float64
    net.cpu()
    assert net.fc1.weight.device == lt.device("cpu")
    if device == "cuda":
        assert net.cuda().fc1.weight.is_cuda


def test_to_moves_gradients_too(device):
    net = nn.Linear(2, 1)
    net(lt.ones(1, 2)).sum().backward()
    net.to(device)
    assert net.weight.grad.device.type == device


def test_forward_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: calls.append(("pre", args[0].shape)))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append(("post", out.shape)))
    lin(lt.ones(3, 2))
    assert calls == [("pre", lt.Size([3, 2])), ("post", lt.Size([3, 2]))]
    h1.remove()
    h2.remove()
    lin(lt.ones(1, 2))
    assert len(calls) == 2
    h3 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h4 = lin.register_forward_hook(lambda m, args, out: out + 1)
    assert (lin(lt.ones(1, 2)) - (lin.bias + 1)).abs().sum().item() == 0
    h3.remove()
    h4.remove()
    order = []
    lin.register_forward_hook(lambda *a: order.append(1))
    lin.register_forward_hook(lambda *a: order.append(0), prepend=True)
    lin.register_forward_pre_hook(lambda m, a, k: (a, {}), with_kwargs=True)
    lin(lt.ones(1, 2))
    assert order == [0, 1]


def test_custom_module_attributes_and_dir():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = 2.0
            self.w = nn.Parameter(lt.ones(1))
            self.sub = nn.Linear(1, 1)

        def forward(self, x):
            return self.sub(x * self.w) * self.scale
    m = M()
    assert "w" in dir(m) and "sub" in dir(m)
    assert m(lt.ones(1, 1)).shape == lt.Size([1, 1])
    m.w = None
    assert m.w is None and list(dict(m.named_parameters())) == ["sub.weight", "sub.bias"]
    del m.sub
    with pytest.raises(AttributeError):
        m.sub


# --- containers -----------------------------------------------------------------------

def test_sequential_indexing_and_repr(torch):
    def build(nn):
        return nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 3), nn.Tanh()), nn.Linear(3, 1))
    s, ts = build(nn), build(torch.nn)
    assert repr(s) == repr(ts)
    assert len(s) == 4 and isinstance(s[1], nn.ReLU) and isinstance(s[-1], nn.Linear)
    assert repr(s[1:3]) == repr(ts[1:3]) and type(s[1:3]) is nn.Sequential
    same_error(lambda: s[10], lambda: ts[10])
    s.append(nn.Sigmoid())
    ts.append(torch.nn.Sigmoid())
    assert repr(s) == repr(ts)
    del s[1]
    del ts[1]
    assert repr(s) == repr(ts) and list(s.state_dict()) == list(ts.state_dict())
    s.insert(1, nn.ReLU())
    ts.insert(1, torch.nn.ReLU())
    assert repr(s) == repr(ts)
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())]))
    tnamed = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(1, 1)), ("act", torch.nn.ReLU())]))
    assert repr(named) == repr(tnamed) and list(named.state_dict()) == list(tnamed.state_dict())
    assert [type(m).__name__ for m in s] == [type(m).__name__ for m in ts]
    assert repr(nn.Sequential()) == repr(torch.nn.Sequential())


def test_modulelist_and_moduledict(torch):
    def build(nn):
        return nn.ModuleList([nn.ReLU(), nn.ReLU(), nn.Linear(2, 2), nn.Linear(2, 2), nn.Tanh()])
    ml, tml = build(nn), build(torch.nn)
    assert repr(ml) == repr(tml)
    assert len(ml) == 5 and isinstance(ml[-1], nn.Tanh)
    assert repr(ml[1:3]) == repr(tml[1:3])
    ml.append(nn.Sigmoid())
    ml.extend([nn.ReLU()])
    ml += [nn.ReLU()]
    assert len(ml) == 8 and list(ml.state_dict()) == ["2.weight", "2.bias", "3.weight", "3.bias"]
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList())
    md = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Linear(1, 1)})
    tmd = torch.nn.ModuleDict({"a": torch.nn.ReLU(), "b": torch.nn.Linear(1, 1)})
    assert repr(md) == repr(tmd)
    assert list(md.keys()) == ["a", "b"] and "a" in md and len(md) == 2
    md["c"] = nn.Tanh()
    assert list(md) == ["a", "b", "c"]
    assert md.pop("a").__class__ is nn.ReLU and list(md.state_dict()) == ["b.weight", "b.bias"]


def test_repr_of_every_layer_matches_torch(torch):
    makers = [
        lambda nn: nn.ReLU(), lambda nn: nn.ReLU(inplace=True), lambda nn: nn.LeakyReLU(),
        lambda nn: nn.LeakyReLU(0.2, True), lambda nn: nn.GELU(), lambda nn: nn.GELU("tanh"),
        lambda nn: nn.Softmax(dim=1), lambda nn: nn.Softmax(), lambda nn: nn.LogSoftmax(1), lambda nn: nn.Dropout(),
        lambda nn: nn.Dropout(0.2, True), lambda nn: nn.Flatten(), lambda nn: nn.Unflatten(1, (2, 5)),
        lambda nn: nn.Identity(), lambda nn: nn.Sigmoid(), lambda nn: nn.Tanh(), lambda nn: nn.BatchNorm2d(3),
        lambda nn: nn.BatchNorm1d(3, affine=False, momentum=None), lambda nn: nn.LayerNorm(5),
        lambda nn: nn.LayerNorm((2, 5), elementwise_affine=False), lambda nn: nn.LayerNorm(5, bias=False),
        lambda nn: nn.Embedding(10, 3), lambda nn: nn.Embedding(10, 3, padding_idx=0), lambda nn: nn.Conv2d(1, 6, 5),
        lambda nn: nn.Conv2d(1, 6, (3, 5), stride=2, padding=1, dilation=2, bias=False),
        lambda nn: nn.Conv2d(2, 6, 3, padding="same", groups=2), lambda nn: nn.MaxPool2d(2),
        lambda nn: nn.MaxPool2d(2, 1, 1, ceil_mode=True), lambda nn: nn.AvgPool2d(2),
        lambda nn: nn.AvgPool2d(3, 2, 1), lambda nn: nn.Linear(3, 2, bias=False), lambda nn: nn.CrossEntropyLoss(),
        lambda nn: nn.MSELoss(), lambda nn: nn.BCELoss(), lambda nn: nn.BCEWithLogitsLoss(), lambda nn: nn.L1Loss(),
        lambda nn: nn.NLLLoss(), lambda nn: nn.SmoothL1Loss(beta=0.5), lambda nn: nn.HuberLoss(), lambda nn: nn.SiLU(),
        lambda nn: nn.ELU(), lambda nn: nn.Softplus(), lambda nn: nn.Hardtanh(), lambda nn: nn.ReLU6(),
    ]
    for make in makers:
        assert repr(make(nn)) == repr(make(torch.nn))


def test_state_dict_keys_of_a_cnn_match_torch(torch):
    def build(nn):
        return nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(4 * 3 * 3, 10), nn.LayerNorm(10), nn.Dropout(0.1))
    a, b = build(nn), build(torch.nn)
    assert list(a.state_dict()) == list(b.state_dict())
    assert [tuple(v.shape) for v in a.state_dict().values()] == [tuple(v.shape) for v in b.state_dict().values()]
    assert repr(a) == repr(b)
    assert a(lt.randn(2, 1, 8, 8)).shape == lt.Size([2, 10])
    assert list(nn.CrossEntropyLoss(weight=lt.ones(3)).state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=lt.ones(3)).state_dict()) == ["pos_weight"]


# --- initialisation ---------------------------------------------------------------------------

def test_default_init_matches_torch_for_same_seed(torch):
    for make in (lambda nn: nn.Linear(3, 2), lambda nn: nn.Linear(20, 7), lambda nn: nn.Conv2d(3, 4, 3),
                 lambda nn: nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 2))):
        torch.manual_seed(0)
        lt.manual_seed(0)
        a, b = make(nn), make(torch.nn)
        for (n1, p1), (n2, p2) in zip(a.state_dict().items(), b.state_dict().items()):
            assert n1 == n2
            np.testing.assert_allclose(p1.numpy(), p2.numpy(), rtol=0, atol=1e-7)


def test_default_init_bounds():
    lin = nn.Linear(100, 50)
    bound = 1 / math.sqrt(100)
    assert lin.weight.abs().max().item() <= bound and lin.bias.abs().max().item() <= bound
    assert lin.weight.abs().max().item() > 0.9 * bound   # spread over the whole range


def test_init_functions_match_torch(torch):
    cases = [
        ("uniform_", (), {"a": -2.0, "b": 3.0}), ("normal_", (), {"mean": 1.0, "std": 0.5}),
        ("xavier_uniform_", (), {"gain": 2.0}), ("xavier_normal_", (), {}),
        ("kaiming_uniform_", (), {"a": math.sqrt(5)}), ("kaiming_normal_", (), {"mode": "fan_out",
                                                                                "nonlinearity": "relu"}),
    ]
    for name, args, kwargs in cases:
        torch.manual_seed(1)
        lt.manual_seed(1)
        t, o = torch.empty(20, 30), lt.empty(20, 30)
        r = getattr(nn.init, name)(o, *args, **kwargs)
        getattr(torch.nn.init, name)(t, *args, **kwargs)
        assert r is o
        assert_same(o, t, rtol=1e-5, atol=1e-6)
    for name, val in (("zeros_", 0.0), ("ones_", 1.0)):
        o = lt.empty(2, 3)
        getattr(nn.init, name)(o)
        assert o.tolist() == [[val] * 3] * 2
    o = nn.init.constant_(lt.empty(2), 0.25)
    assert o.tolist() == [0.25, 0.25]
    assert nn.init.eye_(lt.empty(2, 2)).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_init_on_parameter_does_not_record_graph():
    lin = nn.Linear(2, 2)
    nn.init.xavier_uniform_(lin.weight)
    nn.init.zeros_(lin.bias)
    assert lin.weight.is_leaf and lin.weight.grad_fn is None and lin.bias.tolist() == [0.0, 0.0]


def test_calculate_gain_and_fan_errors(torch):
    for nl, p in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                  ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)]:
        assert nn.init.calculate_gain(nl, p) == torch.nn.init.calculate_gain(nl, p)
    same_error(lambda: nn.init.calculate_gain("foo"), lambda: torch.nn.init.calculate_gain("foo"))
    same_error(lambda: nn.init.calculate_gain("leaky_relu", "x"), lambda: torch.nn.init.calculate_gain("leaky_relu", "x"))
    same_error(lambda: nn.init.xavier_uniform_(lt.empty(3)), lambda: torch.nn.init.xavier_uniform_(torch.empty(3)))
    same_error(lambda: nn.init.kaiming_uniform_(lt.empty(3, 3), mode="x"),
               lambda: torch.nn.init.kaiming_uniform_(torch.empty(3, 3), mode="x"))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        nn.init.kaiming_uniform_(lt.empty(0, 3))
    assert "Initializing zero-element tensors is a no-op" in str(w[0].message)


def test_clip_grad_norm(torch):
    g = rng.standard_normal((3, 4)).astype("float32")
    for norm_type in (2.0, 1.0, math.inf):
        pl, pt = nn.Parameter(lt.zeros(3, 4)), torch.nn.Parameter(torch.zeros(3, 4))
        pl.grad, pt.grad = lt.tensor(g), torch.tensor(g)
        nl = nn.utils.clip_grad_norm_([pl], 1.0, norm_type)
        nt = torch.nn.utils.clip_grad_norm_([pt], 1.0, norm_type)
        assert_same(nl, nt)
        assert_same(pl.grad, pt.grad)
    pl.grad = lt.tensor(g)
    nn.utils.clip_grad_value_([pl], 0.1)
    assert pl.grad.abs().max().item() <= 0.1 + 1e-7
    v = nn.utils.parameters_to_vector(nn.Linear(2, 3).parameters())
    assert v.shape == lt.Size([9])


def _graph_names(fn):
    """The names along a graph, depth first: [name, [children...]]."""
    if fn is None:
        return None
    return [type(fn).__name__ if type(fn).__name__ == "AccumulateGrad" else fn.name(),
            [_graph_names(n) for n, _ in fn.next_functions]]


def test_linear_graph_matches_torch(torch):
    # nn.Linear builds PyTorch's graph: AddmmBackward0 -> (bias, input, TBackward0 -> weight)
    for make_input in (lambda m: m.randn(4, 3), lambda m: m.randn(4, 3, requires_grad=True)):
        graphs = []
        for m in (lt, torch):
            m.manual_seed(0)
            layer = m.nn.Linear(3, 2)
            y = layer(make_input(m))
            graphs.append(_graph_names(y.grad_fn))
            wt = y.grad_fn.next_functions[2][0]
            assert wt.next_functions[0][0].variable is layer.weight
        assert graphs[0] == graphs[1]
    x = lt.randn(4, 3)
    layer = lt.nn.Linear(3, 2)
    with lt.no_grad():
        assert layer(x).grad_fn is None
    layer(x).sum().backward()          # the gradient reaches the weight through TBackward0, laid out like it
    assert layer.weight.grad.shape == layer.weight.shape and layer.weight.grad.is_contiguous()


def test_module_without_init_call_fails_like_torch(torch):
    def make(m):
        class Forgot(m.nn.Module):
            def __init__(self):
                pass

            def forward(self, x):
                return x
        return Forgot()
    same_error(lambda: make(lt)(1), lambda: make(torch)(1))
