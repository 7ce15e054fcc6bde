"""Recurrent layers (nn.RNN / LSTM / GRU, the cells) and nn.utils.rnn against real PyTorch.

Same seed -> same initial weights; same inputs -> same outputs, final states and gradients (input,
h0/c0 and every parameter), on 'cpu' and the simulated 'cuda'; dropout between layers draws the
same masks as PyTorch; packed sequences give PyTorch's results; the beginner mistakes raise
PyTorch's errors.
"""
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.nn.modules import rnn as M
from learntorch.nn.utils import rnn as U
from parity import assert_same, same_error

CONFIGS = [
    ("RNN", {}),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("RNN", {"bidirectional": True, "bias": False}),
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"batch_first": True, "proj_size": 2}),
    ("LSTM", {"num_layers": 2, "bidirectional": True, "proj_size": 3, "bias": False}),
    ("GRU", {}),
    ("GRU", {"num_layers": 3, "batch_first": True}),
    ("GRU", {"bidirectional": True, "num_layers": 2}),
]
IDS = [f"{c}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for c, kw in CONFIGS]


def make(torch, name, *args, device="cpu", dtype="float32", **kw):
    """The same layer in learntorch (moved to ``device``) and torch, from the same seed."""
    lt.manual_seed(0)
    torch.manual_seed(0)
    ours = getattr(M, name)(*args, **kw).to(device=device, dtype=getattr(lt, dtype))
    theirs = getattr(torch.nn, name)(*args, **kw).to(getattr(torch, dtype))
    return ours, theirs


def node(t):
    """The name of ``t``'s grad_fn, without PyTorch's C++ namespace (torch::autograd::CopySlices)."""
    return t.grad_fn.name().split("::")[-1]


def states(h):
    return tuple(h) if isinstance(h, tuple) else (h,)


def leaf_pair(torch, a, device):
    return lt.tensor(a, device=device, requires_grad=True), torch.tensor(a, requires_grad=True)


def assert_grads(ours, theirs, rtol=1e-4, atol=1e-5):
    for (n1, p1), (n2, p2) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert n1 == n2 and p2.grad is not None
        assert_same(p1.grad, p2.grad, rtol, atol)


@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_parameters_names_shapes_values_repr(torch, name, kw):
    ours, theirs = make(torch, name, 5, 4, **kw)
    assert repr(ours) == repr(theirs)
    ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
    assert list(ours_sd) == list(theirs_sd)
    for k in theirs_sd:   # PyTorch's RNG, reproduced: bit-identical initial weights
        assert np.array_equal(ours_sd[k].numpy(), theirs_sd[k].numpy()), k
    assert [[tuple(w.shape) for w in ws] for ws in ours.all_weights] == \
        [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_forward_and_gradients_match_torch(torch, device, dtype, name, kw):
    ours, theirs = make(torch, name, 3, 4, device=device, dtype=dtype, **kw)
    rng = np.random.default_rng(1)
    # a non-contiguous input: the transpose of a (3, 2|6, 6|2) array
    a = rng.standard_normal((3, 2, 6) if kw.get("batch_first") else (3, 6, 2)).astype(dtype)
    x1, x2 = leaf_pair(torch, a, device)
    o1, h1 = ours(x1.transpose(0, 2))
    o2, h2 = theirs(x2.transpose(0, 2))
    assert_same(o1, o2, 1e-4, 1e-5)
    assert_same(states(h1), states(h2), 1e-4, 1e-5)
    w = rng.standard_normal(tuple(o2.shape)).astype(dtype)
    (o1 * lt.tensor(w, device=device)).sum().add(sum((s * s).sum() for s in states(h1))).backward()
    (o2 * torch.tensor(w)).sum().add(sum((s * s).sum() for s in states(h2))).backward()
    assert x2.grad is not None
    assert_same(x1.grad, x2.grad, 1e-4, 1e-5)
    assert_grads(ours, theirs)


@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_initial_state_given_and_unbatched_input(torch, device, name, kw):
    ours, theirs = make(torch, name, 3, 4, device=device, **kw)
    rng = np.random.default_rng(2)
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    h_size = kw.get("proj_size", 0) or 4
    for batched in (True, False):
        extra = (2,) if batched else ()
        x = rng.standard_normal((5,) + extra + (3,) if not kw.get("batch_first") or not batched
                                else (2, 5, 3)).astype(np.float32)
        h0 = [rng.standard_normal((layers,) + extra + (n,)).astype(np.float32)
              for n in ([h_size, 4] if name == "LSTM" else [4])]
        x1, x2 = leaf_pair(torch, x, device)
        s1 = [leaf_pair(torch, h, device) for h in h0]
        hx1 = tuple(p[0] for p in s1) if name == "LSTM" else s1[0][0]
        hx2 = tuple(p[1] for p in s1) if name == "LSTM" else s1[0][1]
        o1, h1 = ours(x1, hx1)
        o2, h2 = theirs(x2, hx2)
        assert_same(o1, o2, 1e-4, 1e-5)
        assert_same(states(h1), states(h2), 1e-4, 1e-5)
        (o1.sum() + states(h1)[-1].pow(2).sum()).backward()
        (o2.sum() + states(h2)[-1].pow(2).sum()).backward()
        assert_same(x1.grad, x2.grad, 1e-4, 1e-5)
        for p1, p2 in s1:
            assert_same(p1.grad, p2.grad, 1e-4, 1e-5)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_dropout_between_layers_uses_torchs_masks(torch, device, name):
    ours, theirs = make(torch, name, 3, 4, device=device, num_layers=3, dropout=0.4, bidirectional=True)
    x = np.random.default_rng(3).standard_normal((5, 2, 3)).astype(np.float32)
    lt.manual_seed(7)
    torch.manual_seed(7)
    o1, h1 = ours(lt.tensor(x, device=device))
    o2, h2 = theirs(torch.tensor(x))
    assert_same(o1, o2, 1e-4, 1e-5)
    assert_same(states(h1), states(h2), 1e-4, 1e-5)
    ours.eval()
    theirs.eval()
    e1, _ = ours(lt.tensor(x, device=device))
    assert_same(e1, theirs(torch.tensor(x))[0], 1e-4, 1e-5)
    assert not np.allclose(e1.detach().cpu().numpy(), o1.detach().cpu().numpy())   # dropout acted in training


def test_grad_fn_names(torch):
    x = np.ones((4, 2, 3), np.float32)
    for name, kw in [("RNN", {}), ("GRU", {"bidirectional": True}), ("GRU", {"batch_first": True}),
                     ("LSTM", {"batch_first": True})]:
        ours, theirs = make(torch, name, 3, 4, **kw)
        o1, h1 = ours(lt.tensor(x))
        o2, h2 = theirs(torch.tensor(x))
        assert node(o1) == node(o2)
        assert node(states(h1)[0]) == node(states(h2)[0]) == "StackBackward0"


# --- cells ---------------------------------------------------------------------------------------
CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu", "bias": False}), ("LSTMCell", {}),
         ("GRUCell", {}), ("GRUCell", {"bias": False})]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kw", CELLS)
def test_cells_match_torch(torch, device, dtype, name, kw):
    ours, theirs = make(torch, name, 3, 4, device=device, dtype=dtype, **kw)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        assert np.array_equal(ours.state_dict()[k].cpu().numpy(), v.numpy())
    rng = np.random.default_rng(4)
    n = 2 if name == "LSTMCell" else 1
    for shape in [(3, 2), (3,)]:     # a transposed (non-contiguous) batch, then one unbatched sample
        leaf1, leaf2 = leaf_pair(torch, rng.standard_normal(shape).astype(dtype), device)
        x1, x2 = (leaf1.t(), leaf2.t()) if len(shape) == 2 else (leaf1, leaf2)
        hs = [leaf_pair(torch, rng.standard_normal(shape[1:] + (4,)).astype(dtype), device) for _ in range(n)]
        for given in (False, True):
            hx1 = None if not given else (tuple(h[0] for h in hs) if n == 2 else hs[0][0])
            hx2 = None if not given else (tuple(h[1] for h in hs) if n == 2 else hs[0][1])
            r1, r2 = states(ours(x1, hx1)), states(theirs(x2, hx2))
            assert_same(r1, r2, 1e-4, 1e-5)
            sum((r * r).sum() for r in r1).backward()
            sum((r * r).sum() for r in r2).backward()
        assert leaf2.grad is not None
        assert_same(leaf1.grad, leaf2.grad, 1e-4, 1e-5)
        for h in hs:
            assert h[1].grad is not None
            assert_same(h[0].grad, h[1].grad, 1e-4, 1e-5)
    assert_grads(ours, theirs)


def test_cell_grad_fn_names(torch):
    for name in ["RNNCell", "LSTMCell", "GRUCell"]:
        ours, theirs = make(torch, name, 3, 4)
        r1, r2 = states(ours(lt.ones(2, 3))), states(theirs(torch.ones(2, 3)))
        assert [node(r) for r in r1] == [node(r) for r in r2]


# --- gradcheck -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,kw", [("RNN", {"bidirectional": True}), ("LSTM", {"num_layers": 2, "proj_size": 2}),
                                     ("GRU", {"batch_first": True})])
def test_layer_gradcheck(name, kw):
    lt.manual_seed(0)
    layer = getattr(M, name)(2, 3, **kw).double()
    x = lt.randn(2 if kw.get("batch_first") else 3, 2, 2, dtype=lt.float64, requires_grad=True)
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    h0 = lt.randn(layers, 2, kw.get("proj_size", 0) or 3, dtype=lt.float64, requires_grad=True)
    if name == "LSTM":
        c0 = lt.randn(layers, 2, 3, dtype=lt.float64, requires_grad=True)
        assert lt.autograd.gradcheck(lambda x, h, c: layer(x, (h, c))[0], (x, h0, c0))
    else:
        assert lt.autograd.gradcheck(lambda x, h: layer(x, h), (x, h0))


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_gradcheck(name):
    lt.manual_seed(0)
    cell = getattr(M, name)(3, 2).double()
    x = lt.randn(2, 3, dtype=lt.float64, requires_grad=True)
    h = lt.randn(2, 2, dtype=lt.float64, requires_grad=True)
    if name == "LSTMCell":
        c = lt.randn(2, 2, dtype=lt.float64, requires_grad=True)
        assert lt.autograd.gradcheck(lambda x, h, c: cell(x, (h, c)), (x, h, c))
    else:
        assert lt.autograd.gradcheck(cell, (x, h))


def test_packed_gradcheck():
    lt.manual_seed(0)
    gru = M.GRU(2, 3, bidirectional=True).double()
    seqs = [lt.randn(n, 2, dtype=lt.float64, requires_grad=True) for n in (2, 4, 3)]

    def fn(*seqs):
        out, h = gru(U.pack_sequence(seqs, enforce_sorted=False))
        return U.pad_packed_sequence(out)[0], h
    assert lt.autograd.gradcheck(fn, tuple(seqs))


# --- nn.utils.rnn ----------------------------------------------------------------------------------
def lists(torch, lengths, dtype="float32", device="cpu", feat=(2,), seed=5):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((n,) + feat).astype(dtype) for n in lengths]
    return ([lt.tensor(a, device=device, requires_grad=True) for a in arrays],
            [torch.tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(torch, device, batch_first, side):
    s1, s2 = lists(torch, [2, 4, 1], device=device)
    p1 = U.pad_sequence(s1, batch_first=batch_first, padding_value=-1.5, padding_side=side)
    p2 = torch.nn.utils.rnn.pad_sequence(s2, batch_first=batch_first, padding_value=-1.5, padding_side=side)
    assert_same(p1, p2)
    assert node(p1) == node(p2)
    w = np.arange(p2.numel(), dtype=np.float32).reshape(tuple(p2.shape))
    (p1 * lt.tensor(w, device=device)).sum().backward()
    (p2 * torch.tensor(w)).sum().backward()
    for a, b in zip(s1, s2):
        assert_same(a.grad, b.grad)
    # dtype of the first sequence; padding value cast to it
    ints = U.pad_sequence([lt.tensor([1, 2]), lt.tensor([3.5])], padding_value=0.7)
    assert_same(ints, torch.nn.utils.rnn.pad_sequence([torch.tensor([1, 2]), torch.tensor([3.5])], padding_value=0.7))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_pack_padded_and_pad_packed(torch, device, dtype, batch_first):
    tt = torch.nn.utils.rnn
    rng = np.random.default_rng(6)
    a = rng.standard_normal((5, 3, 2) if batch_first else (3, 5, 2)).astype(dtype)   # transposed below
    leaf1, leaf2 = leaf_pair(torch, a, device)
    x1, x2 = leaf1.transpose(0, 1), leaf2.transpose(0, 1)
    for lengths, sort in [([5, 3, 1], True), ([2, 5, 4], False), (lt.tensor([1, 5, 3]), False)]:
        l2 = torch.tensor(lengths.tolist()) if isinstance(lengths, lt.Tensor) else lengths
        p1 = U.pack_padded_sequence(x1, lengths, batch_first=batch_first, enforce_sorted=sort)
        p2 = tt.pack_padded_sequence(x2, l2, batch_first=batch_first, enforce_sorted=sort)
        assert_same(p1.data, p2.data)
        assert_same(p1.batch_sizes, p2.batch_sizes)
        assert_same(p1.sorted_indices, p2.sorted_indices)
        assert_same(p1.unsorted_indices, p2.unsorted_indices)
        assert node(p1.data) == node(p2.data) == "PackPaddedSequenceBackward0"
        for kw in [{}, {"batch_first": True, "padding_value": 9.0, "total_length": 7}]:
            u1, n1 = U.pad_packed_sequence(p1, **kw)
            u2, n2 = tt.pad_packed_sequence(p2, **kw)
            assert_same(u1, u2)
            assert_same(n1, n2)
            assert node(u1) == node(u2)
            w = np.arange(u2.numel(), dtype=dtype).reshape(tuple(u2.shape))
            (u1 * lt.tensor(w, device=device)).sum().backward(retain_graph=True)
            (u2 * torch.tensor(w)).sum().backward(retain_graph=True)
    assert leaf2.grad.abs().sum() > 0
    assert_same(leaf1.grad, leaf2.grad)


def test_packed_sequence_object(torch, device):
    s1, s2 = lists(torch, [3, 2], device=device)
    p1 = U.pack_sequence(s1)
    p2 = torch.nn.utils.rnn.pack_sequence(s2)
    if device == "cpu":
        assert repr(p1) == repr(p2)
    assert p1._fields == p2._fields
    data, batch_sizes, sorted_indices, unsorted_indices = p1
    assert sorted_indices is None and unsorted_indices is None
    assert p1.double().data.dtype == lt.float64 and p1.double().batch_sizes is p1.batch_sizes
    assert p1.is_cuda == (device == "cuda")
    assert_same(U.invert_permutation(lt.tensor([2, 0, 1])),
                torch.nn.utils.rnn.invert_permutation(torch.tensor([2, 0, 1])))
    pu = U.pack_sequence(s1[::-1], enforce_sorted=False)
    assert_same([t.cpu() for t in U.unpack_sequence(pu)],
                torch.nn.utils.rnn.unpack_sequence(torch.nn.utils.rnn.pack_sequence(s2[::-1], enforce_sorted=False)))
    padded, lengths = U.pad_packed_sequence(pu)
    assert_same(U.unpad_sequence(padded, lengths), s2[::-1])


@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_layers_on_packed_sequences(torch, device, name, kw):
    tt = torch.nn.utils.rnn
    kw = {k: v for k, v in kw.items() if k != "batch_first"}
    ours, theirs = make(torch, name, 2, 4, device=device, **kw)
    s1, s2 = lists(torch, [3, 5, 1, 4], device=device)
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    rng = np.random.default_rng(8)
    h0 = [leaf_pair(torch, rng.standard_normal((layers, 4, n)).astype(np.float32), device)
          for n in ([kw.get("proj_size", 0) or 4, 4] if name == "LSTM" else [4])]
    for sort, given in [(False, False), (False, True), (True, True)]:
        seq1 = sorted(s1, key=len, reverse=True) if sort else s1
        seq2 = sorted(s2, key=len, reverse=True) if sort else s2
        p1, p2 = U.pack_sequence(seq1, enforce_sorted=sort), tt.pack_sequence(seq2, enforce_sorted=sort)
        hx1 = None if not given else (tuple(h[0] for h in h0) if name == "LSTM" else h0[0][0])
        hx2 = None if not given else (tuple(h[1] for h in h0) if name == "LSTM" else h0[0][1])
        o1, h1 = ours(p1, hx1)
        o2, h2 = theirs(p2, hx2)
        assert isinstance(o1, U.PackedSequence)
        assert_same(o1.data, o2.data, 1e-4, 1e-5)
        assert_same(o1.batch_sizes, o2.batch_sizes)
        assert_same(o1.unsorted_indices, o2.unsorted_indices)
        assert_same(states(h1), states(h2), 1e-4, 1e-5)
        (o1.data.sum() + sum(s.pow(2).sum() for s in states(h1))).backward()
        (o2.data.sum() + sum(s.pow(2).sum() for s in states(h2))).backward()
    for a, b in zip(s1, s2):
        assert_same(a.grad, b.grad, 1e-4, 1e-5)
    for a, b in h0:
        assert_same(a.grad, b.grad, 1e-4, 1e-5)
    assert_grads(ours, theirs)


# --- errors ----------------------------------------------------------------------------------------
def _layer(t, name, *args, **kw):
    return getattr(t.nn, name)(*args, **kw) if t is not lt else getattr(M, name)(*args, **kw)


ERRORS = {
    "input size": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 2, 4)),
    "4-D input LSTM": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 2, 3, 1)),
    "4-D input RNN": lambda t: _layer(t, "RNN", 3, 4)(t.randn(5, 2, 3, 1)),
    "1-D input GRU": lambda t: _layer(t, "GRU", 3, 4)(t.randn(5)),
    "h0 batch": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 2, 3), (t.zeros(1, 3, 4), t.zeros(1, 2, 4))),
    "c0 size": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 2, 3), (t.zeros(1, 2, 4), t.zeros(1, 2, 5))),
    "hx 2-D for batched LSTM": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 2, 3), (t.zeros(2, 4), t.zeros(1, 2, 5))),
    "hx 3-D for unbatched LSTM": lambda t: _layer(t, "LSTM", 3, 4)(t.randn(5, 3), (t.zeros(1, 2, 4), t.zeros(1, 2, 5))),
    "GRU h0 size": lambda t: _layer(t, "GRU", 3, 4)(t.randn(5, 2, 3), t.zeros(1, 3, 4)),
    "GRU hx 2-D": lambda t: _layer(t, "GRU", 3, 4)(t.randn(5, 2, 3), t.zeros(3, 4)),
    "RNN hx 3-D unbatched": lambda t: _layer(t, "RNN", 3, 4)(t.randn(5, 3), t.zeros(1, 3, 4)),
    "RNN num_layers h0": lambda t: _layer(t, "RNN", 3, 4, 2)(t.randn(5, 2, 3), t.zeros(1, 2, 4)),
    "dtype": lambda t: _layer(t, "RNN", 3, 4)(t.randn(5, 2, 3, dtype=t.float64)),
    "empty sequence": lambda t: _layer(t, "GRU", 3, 4)(t.randn(0, 2, 3)),
    "nonlinearity": lambda t: _layer(t, "RNN", 3, 4, nonlinearity="sigmoid"),
    "proj_size GRU": lambda t: _layer(t, "GRU", 3, 4, proj_size=2),
    "proj_size too big": lambda t: _layer(t, "LSTM", 3, 4, proj_size=4),
    "proj_size negative": lambda t: _layer(t, "LSTM", 3, 4, proj_size=-1),
    "dropout range": lambda t: _layer(t, "LSTM", 3, 4, dropout=2),
    "hidden_size 0": lambda t: _layer(t, "LSTM", 3, 0),
    "input_size 0": lambda t: _layer(t, "GRU", 0, 3),
    "num_layers 0": lambda t: _layer(t, "LSTM", 3, 4, num_layers=0),
    "hidden_size float": lambda t: _layer(t, "LSTM", 3, 4.0),
    "bias int": lambda t: _layer(t, "LSTM", 3, 4, bias=1),
    "batch_first int": lambda t: _layer(t, "RNN", 3, 4, batch_first=1),
    "cell input size": lambda t: _layer(t, "RNNCell", 3, 4)(t.randn(2, 4)),
    "cell batch": lambda t: _layer(t, "RNNCell", 3, 4)(t.randn(2, 3), t.randn(3, 4)),
    "cell hidden size": lambda t: _layer(t, "RNNCell", 3, 4)(t.randn(2, 3), t.randn(2, 5)),
    "cell 3-D input": lambda t: _layer(t, "RNNCell", 3, 4)(t.randn(1, 2, 3)),
    "cell 3-D hidden": lambda t: _layer(t, "GRUCell", 3, 4)(t.randn(2, 3), t.randn(1, 2, 4)),
    "LSTMCell 3-D input": lambda t: _layer(t, "LSTMCell", 3, 4)(t.randn(1, 2, 3)),
    "LSTMCell 3-D c": lambda t: _layer(t, "LSTMCell", 3, 4)(t.randn(2, 3), (t.randn(2, 4), t.randn(1, 2, 4))),
    "LSTMCell c size": lambda t: _layer(t, "LSTMCell", 3, 4)(t.randn(2, 3), (t.randn(2, 4), t.randn(2, 5))),
    "LSTMCell c batch": lambda t: _layer(t, "LSTMCell", 3, 4)(t.randn(2, 3), (t.randn(2, 4), t.randn(3, 4))),
    "cell unbatched input, batched h": lambda t: _layer(t, "GRUCell", 3, 4)(t.randn(3), t.randn(2, 4)),
    "cell nonlinearity": lambda t: _layer(t, "RNNCell", 3, 4, nonlinearity="x")(t.randn(2, 3)),
    "cell dtype": lambda t: _layer(t, "GRUCell", 3, 4)(t.randn(2, 3, dtype=t.float64)),
    "pack unsorted": lambda t: _rnn(t).pack_padded_sequence(t.randn(4, 3, 2), [2, 3, 1]),
    "pack zero length": lambda t: _rnn(t).pack_padded_sequence(t.randn(4, 3, 2), [3, 2, 0]),
    "pack lengths count": lambda t: _rnn(t).pack_padded_sequence(t.randn(4, 3, 2), [3, 2]),
    "pack 2-D lengths": lambda t: _rnn(t).pack_padded_sequence(t.randn(4, 3, 2), t.tensor([[3, 2, 1]])),
    "pack empty": lambda t: _rnn(t).pack_padded_sequence(t.ones(0, 2, 3), [0, 0]),
    "pack_sequence unsorted": lambda t: _rnn(t).pack_sequence([t.ones(2), t.ones(3)]),
    "total_length": lambda t: _rnn(t).pad_packed_sequence(_rnn(t).pack_sequence([t.ones(3), t.ones(2)]),
                                                          total_length=2),
    "pad_sequence shapes": lambda t: _rnn(t).pad_sequence([t.ones(3, 2), t.ones(2, 3)]),
    "pad_sequence empty": lambda t: _rnn(t).pad_sequence([]),
    "pad_sequence not iterable": lambda t: _rnn(t).pad_sequence(5),
    "pad_sequence side": lambda t: _rnn(t).pad_sequence([t.ones(3)], padding_side="middle"),
}


def _rnn(t):
    return U if t is lt else t.nn.utils.rnn


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(torch, case):
    same_error(lambda: ERRORS[case](lt), lambda: ERRORS[case](torch))


def test_dropout_warning_and_unexpected_keyword(torch):
    for t in (lt, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            _layer(t, "GRU", 3, 4, dropout=0.5)
        assert len(w) == 1 and issubclass(w[0].category, UserWarning)
        if t is torch:
            assert str(w[0].message) == text
        text = str(w[0].message)
    same_error(lambda: M.LSTM(3, 4, foo=1), lambda: torch.nn.LSTM(3, 4, foo=1))
    same_error(lambda: M.GRU(3, 4, foo=1), lambda: torch.nn.GRU(3, 4, foo=1))


# --- nn.init for recurrent weights ----------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (3, 2, 2)])
def test_orthogonal_matches_torch(torch, device, dtype, shape):
    lt.manual_seed(0)
    torch.manual_seed(0)
    ours = lt.nn.init.orthogonal_(lt.empty(*shape, dtype=getattr(lt, dtype), device=device), gain=2.0)
    theirs = torch.nn.init.orthogonal_(torch.empty(*shape, dtype=getattr(torch, dtype)), gain=2.0)
    assert_same(ours, theirs, 1e-5, 1e-6)
    m = ours.cpu().numpy().reshape(shape[0], -1).astype(np.float64)
    small = m @ m.T if shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(small, 4 * np.eye(len(small)), atol=1e-5)   # (semi-)orthogonal, times gain^2


def test_dirac_and_sparse_match_torch(torch, device):
    for shape, groups in [((4, 2, 3), 1), ((4, 2, 3, 3), 2), ((2, 3, 1, 2, 3), 1)]:
        ours = lt.nn.init.dirac_(lt.empty(*shape, device=device), groups)
        assert_same(ours, torch.nn.init.dirac_(torch.empty(*shape), groups))
    lt.manual_seed(0)
    torch.manual_seed(0)
    ours = lt.nn.init.sparse_(lt.empty(5, 4, device=device), 0.5, std=0.1)
    theirs = torch.nn.init.sparse_(torch.empty(5, 4), 0.5, std=0.1)
    if device == "cpu":   # on cuda the values come from the cuda generator, the zero rows from the cpu one
        assert_same(ours, theirs)
    assert (ours.cpu().numpy() == 0).sum(0).tolist() == [3, 3, 3, 3]


@pytest.mark.parametrize("call", [
    lambda t: t.nn.init.orthogonal_(t.empty(3)),
    lambda t: t.nn.init.dirac_(t.empty(3, 3)),
    lambda t: t.nn.init.dirac_(t.empty(3, 3, 3), groups=2),
    lambda t: t.nn.init.sparse_(t.empty(3, 3, 3), 0.1),
])
def test_init_errors(torch, call):
    same_error(lambda: call(lt), lambda: call(torch))
