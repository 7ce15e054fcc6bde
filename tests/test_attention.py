"""Attention, transformer layers and more normalisation layers against real PyTorch.

Values, dtypes and gradients (float32 and float64, masks, non-contiguous inputs, negative dims),
initial weights after ``manual_seed`` (MultiheadAttention, Transformer), PyTorch's errors, and
``gradcheck`` in float64.  Transformer stacks run in ``eval()`` (dropout off) from torch's weights.
"""
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from learntorch.nn import _attention as A
from learntorch.nn.modules.attention import MultiheadAttention
from learntorch.nn.modules.normalization import GroupNorm, InstanceNorm1d, InstanceNorm2d, RMSNorm
from learntorch.nn.modules.transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer,
                                               TransformerEncoder, TransformerEncoderLayer)
from parity import assert_same, same_error

DTYPES = [np.float32, np.float64]


def _tol(dt):
    return dict(rtol=1e-4, atol=1e-5) if dt == np.float32 else dict(rtol=1e-9, atol=1e-11)


def _leaves(torch, arrays, device, grad=True):
    ours = [lt.tensor(a, device=device, requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=grad) for a in arrays]
    return ours, theirs


def _load(ours, theirs, device):
    """Copy torch's weights into our module (by state_dict), on ``device``."""
    ours.load_state_dict({k: lt.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours.to(device)


def _backward_both(out, ref, rng):
    g = rng.standard_normal(tuple(ref.shape)).astype(ref.detach().numpy().dtype)
    (out * lt.tensor(g, device=out.device)).sum().backward()
    (ref * ref.new_tensor(g)).sum().backward()


# =============================================================================
# scaled_dot_product_attention
# =============================================================================

SDPA_CASES = {
    "plain 4-D": dict(shapes=((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7))),
    "same head sizes": dict(shapes=((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5))),
    "3-D, scale": dict(shapes=((2, 4, 5), (2, 6, 5), (2, 6, 3)), kw=dict(scale=0.3)),
    "2-D": dict(shapes=((4, 5), (6, 5), (6, 7))),
    "causal, L != S": dict(shapes=((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)), kw=dict(is_causal=True)),
    "float mask (broadcast)": dict(shapes=((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)), mask=("float", (4, 6))),
    "bool mask (broadcast)": dict(shapes=((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)), mask=("bool", (2, 1, 4, 6))),
    "gqa": dict(shapes=((2, 4, 3, 5), (2, 2, 6, 5), (2, 2, 6, 7)), kw=dict(enable_gqa=True)),
}


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("case", list(SDPA_CASES))
def test_sdpa_values_and_grads(case, dt, device, torch):
    spec = SDPA_CASES[case]
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s).astype(dt) for s in spec["shapes"]]
    ours, theirs = _leaves(torch, arrays, device)
    kw = dict(spec.get("kw", {}))
    mo = mt = None
    if "mask" in spec:
        kind, shape = spec["mask"]
        if kind == "bool":
            m = rng.random(shape) > 0.4
            m[..., 0] = True                                      # no fully masked row here
            mo, mt = lt.tensor(m, device=device), torch.tensor(m)
        else:
            m = rng.standard_normal(shape).astype(dt)
            mo, mt = lt.tensor(m, device=device, requires_grad=True), torch.tensor(m, requires_grad=True)
    out = A.scaled_dot_product_attention(*ours, attn_mask=mo, **kw)
    ref = torch.nn.functional.scaled_dot_product_attention(*theirs, attn_mask=mt, **kw)
    assert_same(out.cpu(), ref, **_tol(dt))
    _backward_both(out, ref, rng)
    for o, t in zip(ours, theirs):
        assert_same(o.grad.cpu(), t.grad, **_tol(dt))
    if mt is not None and mt.requires_grad:
        assert_same(mo.grad.cpu(), mt.grad, **_tol(dt))
    if len({s[-1] for s in spec["shapes"]}) == 1 and len(spec["shapes"][0]) == 4:   # PyTorch's fused CPU kernel
        assert out.grad_fn.name() == ref.grad_fn.name()


def test_sdpa_non_contiguous_and_fully_masked_row(device, torch):
    rng = np.random.default_rng(2)
    q = rng.standard_normal((2, 2, 5, 3))          # transposed below: (2, 2, 3, 5), not contiguous
    k, v = rng.standard_normal((2, 2, 4, 5)), rng.standard_normal((2, 2, 4, 6))
    (qo, ko, vo), (qt, kt, vt) = _leaves(torch, [q, k, v], device)
    mask = np.ones((3, 4), bool)
    mask[1] = False                                 # row 1 may attend to nothing: PyTorch gives zeros
    out = A.scaled_dot_product_attention(qo.transpose(-1, -2), ko, vo, lt.tensor(mask, device=device))
    ref = torch.nn.functional.scaled_dot_product_attention(qt.transpose(-1, -2), kt, vt, torch.tensor(mask))
    assert_same(out.cpu(), ref, rtol=1e-9, atol=1e-11)
    assert float(out[:, :, 1].abs().sum()) == 0.0
    _backward_both(out, ref, rng)
    for o, t in zip((qo, ko, vo), (qt, kt, vt)):
        assert_same(o.grad.cpu(), t.grad, rtol=1e-9, atol=1e-11)


def test_sdpa_gradcheck():        # gradcheck runs on the CPU
    rng = np.random.default_rng(3)
    q, k, v, m = (lt.tensor(rng.standard_normal(s), requires_grad=True)
                  for s in ((2, 3, 4), (2, 5, 4), (2, 5, 3), (3, 5)))
    assert gradcheck(lambda *a: A.scaled_dot_product_attention(a[0], a[1], a[2], attn_mask=a[3]), (q, k, v, m))
    assert gradcheck(lambda *a: A.scaled_dot_product_attention(*a, is_causal=True, scale=0.7), (q, k, v))
    assert gradgradcheck(lambda *a: A.scaled_dot_product_attention(*a), (q, k, v))
    causal = lt.tensor(np.triu(np.full((3, 5), -np.inf), 1))
    causal[1] = float("-inf")                                         # a fully masked row too
    assert gradgradcheck(lambda *a: A.scaled_dot_product_attention(*a, attn_mask=causal), (q, k, v))


def test_sdpa_dropout(device):
    rng = np.random.default_rng(4)
    q, k, v = (lt.tensor(rng.standard_normal(s), device=device) for s in ((3, 4), (5, 4), (5, 2)))
    assert float(A.scaled_dot_product_attention(q, k, v, dropout_p=1.0).abs().sum()) == 0.0
    lt.manual_seed(5)
    a = A.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    lt.manual_seed(5)
    b = A.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    full = A.scaled_dot_product_attention(q, k, v)
    assert np.array_equal(a.cpu().numpy(), b.cpu().numpy())            # same seed, same mask
    assert not np.allclose(a.cpu().numpy(), full.cpu().numpy())        # some weights were dropped


@pytest.mark.parametrize("name,call", [
    ("1-D inputs", lambda t, f: f(t.ones(4), t.ones(4), t.ones(4))),
    ("dtypes differ", lambda t, f: f(t.ones(2, 3, 4), t.ones(2, 3, 4, dtype=t.float64), t.ones(2, 3, 4))),
    ("mask and is_causal", lambda t, f: f(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4),
                                          attn_mask=t.ones(3, 3, dtype=t.bool), is_causal=True)),
    ("long mask", lambda t, f: f(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4),
                                 attn_mask=t.ones(3, 3, dtype=t.long))),
    ("double mask, float query", lambda t, f: f(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4),
                                                attn_mask=t.ones(3, 3, dtype=t.float64))),
    ("dropout_p > 1", lambda t, f: f(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4), dropout_p=1.5)),
    ("q and k sizes", lambda t, f: f(t.ones(2, 2, 3, 4), t.ones(2, 2, 3, 5), t.ones(2, 2, 3, 5))),
    ("gqa heads", lambda t, f: f(t.ones(2, 4, 3, 4), t.ones(2, 3, 3, 4), t.ones(2, 3, 3, 4), enable_gqa=True)),
    ("integer inputs", lambda t, f: f(*(t.ones(2, 2, 3, 4, dtype=t.long),) * 3)),
])
def test_sdpa_errors(name, call, torch):
    same_error(lambda: call(lt, A.scaled_dot_product_attention),
               lambda: call(torch, torch.nn.functional.scaled_dot_product_attention))


# =============================================================================
# MultiheadAttention
# =============================================================================

def test_mha_initial_weights_and_repr(torch):
    for kw in ({}, dict(add_bias_kv=True), dict(kdim=3, vdim=5), dict(bias=False)):
        lt.manual_seed(0)
        torch.manual_seed(0)
        ours, theirs = MultiheadAttention(6, 2, **kw), torch.nn.MultiheadAttention(6, 2, **kw)
        names = [n for n, _ in ours.named_parameters()]
        assert names == [n for n, _ in theirs.named_parameters()]
        for p, q in zip(ours.parameters(), theirs.parameters()):
            assert_same(p, q, rtol=0, atol=0)
        assert repr(ours) == repr(theirs)


MHA_CASES = {
    "cross attention": dict(),
    "self attention": dict(self_attn=True),
    "batch_first self attention": dict(self_attn=True, kw=dict(batch_first=True)),
    "need_weights=False": dict(fw=dict(need_weights=False)),
    "per-head weights": dict(fw=dict(average_attn_weights=False)),
    "kdim, vdim": dict(E=6, H=3, kw=dict(kdim=5, vdim=7)),
    "bias_kv, zero_attn, padding": dict(kw=dict(add_bias_kv=True, add_zero_attn=True), kpm="bool"),
    "no bias, bool attn_mask": dict(H=1, kw=dict(bias=False), mask="bool2"),
    "causal": dict(self_attn=True, L=5, fw=dict(is_causal=True), mask="causal"),
    "causal, no weights": dict(self_attn=True, L=5, fw=dict(is_causal=True, need_weights=False), mask="causal"),
    "3-D float mask + float padding": dict(mask="float3", kpm="float"),
    "unbatched": dict(unbatched=True, kpm="bool1"),
}


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("case", list(MHA_CASES))
def test_mha_parity(case, dt, device, torch):
    spec = MHA_CASES[case]
    E, H, L, S, N = spec.get("E", 4), spec.get("H", 2), spec.get("L", 3), 5, 2
    kw, fw = spec.get("kw", {}), dict(spec.get("fw", {}))
    rng = np.random.default_rng(6)
    torch.manual_seed(0)
    ref_mod = torch.nn.MultiheadAttention(E, H, **kw).to(getattr(torch, np.dtype(dt).name))
    mod = _load(MultiheadAttention(E, H, **kw).to(getattr(lt, np.dtype(dt).name)), ref_mod, device)
    mod.eval()
    ref_mod.eval()
    bf = kw.get("batch_first", False)

    def shape(n, e):
        return (n, e) if spec.get("unbatched") else (N, n, e) if bf else (n, N, e)
    if spec.get("self_attn"):
        (x,), (xt,) = _leaves(torch, [rng.standard_normal(shape(L, E)).astype(dt)], device)
        ours, theirs, leaves = (x, x, x), (xt, xt, xt), [(x, xt)]
    else:
        arrays = [rng.standard_normal(shape(n, e)).astype(dt)
                  for n, e in ((L, E), (S, kw.get("kdim", E)), (S, kw.get("vdim", E)))]
        ours, theirs = _leaves(torch, arrays, device)
        leaves = list(zip(ours, theirs))
    masks = {}
    if spec.get("kpm") == "bool":
        masks["key_padding_mask"] = np.array([[False] * S, [False, True, False, False, True]])
    elif spec.get("kpm") == "bool1":
        masks["key_padding_mask"] = np.array([False, True, False, False, True])
    elif spec.get("kpm") == "float":
        masks["key_padding_mask"] = rng.standard_normal((N, S)).astype(dt)
    if spec.get("mask") == "bool2":
        m = rng.random((L, S)) > 0.6
        m[:, 0] = False
        masks["attn_mask"] = m
    elif spec.get("mask") == "causal":
        masks["attn_mask"] = np.triu(np.ones((L, L), bool), 1)
    elif spec.get("mask") == "float3":
        masks["attn_mask"] = rng.standard_normal((N * H, L, S)).astype(dt)
    out, w = mod(*ours, **{k: lt.tensor(v, device=device) for k, v in masks.items()}, **fw)
    ref, rw = ref_mod(*theirs, **{k: torch.tensor(v) for k, v in masks.items()}, **fw)
    assert_same(out.cpu(), ref, **_tol(dt))
    assert_same(None if w is None else w.cpu(), rw, **_tol(dt))
    _backward_both(out, ref, rng)
    for o, t in leaves:
        assert_same(o.grad.cpu(), t.grad, **_tol(dt))
    for (name, p), (_, q) in zip(mod.named_parameters(), ref_mod.named_parameters()):
        assert_same(p.grad.cpu(), q.grad, **_tol(dt))


@pytest.mark.parametrize("name,call", [
    ("heads do not divide", lambda nn, x: nn.MultiheadAttention(5, 2)),
    ("zero embed_dim", lambda nn, x: nn.MultiheadAttention(0, 2)),
    ("wrong embedding size", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 5), x(3, 2, 5), x(3, 2, 5))),
    ("2-D mask shape", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 2, 4), x(3, 2, 4),
                                                                 attn_mask=x(2, 2))),
    ("3-D mask shape", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 2, 4), x(3, 2, 4),
                                                                 attn_mask=x(6, 3, 3))),
    ("padding mask batch", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 2, 4), x(3, 2, 4),
                                                                     key_padding_mask=x(3, 3))),
    ("is_causal without mask", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 2, 4), x(3, 2, 4),
                                                                         is_causal=True)),
    ("4-D query", lambda nn, x: nn.MultiheadAttention(4, 2)(x(2, 3, 2, 4), x(3, 2, 4), x(3, 2, 4))),
    ("2-D key for 3-D query", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 4), x(3, 2, 4))),
    ("3-D padding mask", lambda nn, x: nn.MultiheadAttention(4, 2)(x(3, 2, 4), x(3, 2, 4), x(3, 2, 4),
                                                                   key_padding_mask=x(2, 3, 2))),
])
def test_mha_errors(name, call, torch):
    same_error(lambda: call(SimpleNamespace(MultiheadAttention=MultiheadAttention), lt.ones),
               lambda: call(torch.nn, torch.ones))


def test_mha_integer_padding_mask(torch):
    same_error(lambda: MultiheadAttention(4, 2)(*(lt.ones(3, 2, 4),) * 3,
                                                key_padding_mask=lt.ones(2, 3, dtype=lt.long)),
               lambda: torch.nn.MultiheadAttention(4, 2)(*(torch.ones(3, 2, 4),) * 3,
                                                         key_padding_mask=torch.ones(2, 3, dtype=torch.long)))


# =============================================================================
# Transformer
# =============================================================================

def _causal(n):
    return np.triu(np.full((n, n), -np.inf), 1)


ENC_CASES = {
    "post-norm relu": dict(),
    "pre-norm gelu batch_first": dict(kw=dict(batch_first=True, norm_first=True, activation="gelu")),
    "callable activation, no bias, eps": dict(kw=dict(bias=False, layer_norm_eps=1e-3), act="tanh"),
    "causal mask": dict(masks=dict(mask=_causal(5))),
    "causal mask + is_causal": dict(fw=dict(is_causal=True), masks=dict(mask=_causal(5))),
    "padding, batch_first": dict(kw=dict(batch_first=True),
                                 masks=dict(src_key_padding_mask=np.array([[False] * 5, [False] * 3 + [True] * 2]))),
}


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("case", list(ENC_CASES))
def test_transformer_encoder(case, dt, device, torch):
    spec = ENC_CASES[case]
    kw = dict(spec.get("kw", {}))
    tkw = dict(kw)
    if spec.get("act") == "tanh":
        kw["activation"], tkw["activation"] = lt.tanh, torch.tanh
    tdt, ldt = getattr(torch, np.dtype(dt).name), getattr(lt, np.dtype(dt).name)
    rng = np.random.default_rng(7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_mod = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16, **tkw), 2,
                                              torch.nn.LayerNorm(8)).to(tdt)
        mod = TransformerEncoder(TransformerEncoderLayer(8, 2, 16, **kw), 2, lt.nn.LayerNorm(8)).to(ldt)
    _load(mod, ref_mod, device)
    mod.eval()
    ref_mod.eval()
    x = rng.standard_normal((2, 5, 8) if kw.get("batch_first") else (5, 2, 8)).astype(dt)
    (xo,), (xt,) = _leaves(torch, [x], device)
    masks = {k: v.astype(dt) if v.dtype != bool else v for k, v in spec.get("masks", {}).items()}
    out = mod(xo, **{k: lt.tensor(v, device=device) for k, v in masks.items()}, **spec.get("fw", {}))
    ref = ref_mod(xt, **{k: torch.tensor(v) for k, v in masks.items()}, **spec.get("fw", {}))
    assert_same(out.cpu(), ref, **_tol(dt))
    _backward_both(out, ref, rng)
    assert_same(xo.grad.cpu(), xt.grad, **_tol(dt))
    for p, q in zip(mod.parameters(), ref_mod.parameters()):
        assert_same(p.grad.cpu(), q.grad, **_tol(dt))


def test_encoder_padded_outputs_in_no_grad_eval(device, torch):
    """PyTorch's inference fast path (nested tensors) returns zeros at padded positions: so do we."""
    rng = np.random.default_rng(8)
    ref_mod = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2).double()
    mod = _load(TransformerEncoder(TransformerEncoderLayer(8, 2, 16, batch_first=True), 2).double(), ref_mod,
                device)
    mod.eval()
    ref_mod.eval()
    x = rng.standard_normal((2, 5, 8))
    pad = np.array([[False] * 5, [False] * 3 + [True] * 2])
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")     # "nested tensors are in prototype stage"
        ref = ref_mod(torch.tensor(x), src_key_padding_mask=torch.tensor(pad))
    with lt.no_grad():
        out = mod(lt.tensor(x, device=device), src_key_padding_mask=lt.tensor(pad, device=device))
    assert float(ref[1, 3:].abs().sum()) == 0.0
    assert_same(out.cpu(), ref, rtol=1e-9, atol=1e-11)


def test_transformer_full(device, torch):
    rng = np.random.default_rng(9)
    for kw, masks in (({}, {}),
                      (dict(batch_first=True, norm_first=True),
                       dict(tgt_mask=_causal(4), memory_key_padding_mask=np.array([[False] * 5, [False, True] * 2
                                                                                   + [True]])))):
        lt.manual_seed(0)
        torch.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref_mod = torch.nn.Transformer(8, 2, 2, 2, 16, **kw)
            mod = Transformer(8, 2, 2, 2, 16, **kw)
        for p, q in zip(mod.parameters(), ref_mod.parameters()):    # same initial weights from the seed
            assert_same(p, q, rtol=0, atol=0)
        ref_mod.double().eval()
        mod = mod.double().to(device)
        mod.eval()
        bf = kw.get("batch_first", False)
        s = rng.standard_normal((2, 5, 8) if bf else (5, 2, 8))
        t = rng.standard_normal((2, 4, 8) if bf else (4, 2, 8))
        (so, to), (st, tt) = _leaves(torch, [s, t], device)
        out = mod(so, to, **{k: lt.tensor(v, device=device) for k, v in masks.items()})
        ref = ref_mod(st, tt, **{k: torch.tensor(v) for k, v in masks.items()})
        assert_same(out.cpu(), ref, rtol=1e-9, atol=1e-10)
        _backward_both(out, ref, rng)
        assert_same(so.grad.cpu(), st.grad, rtol=1e-7, atol=1e-10)
        assert_same(to.grad.cpu(), tt.grad, rtol=1e-7, atol=1e-10)
        for p, q in zip(mod.parameters(), ref_mod.parameters()):
            assert_same(p.grad.cpu(), q.grad, rtol=1e-7, atol=1e-10)
    assert repr(mod.decoder.layers[0]) == repr(ref_mod.decoder.layers[0])


def test_decoder_stack_and_mask(device, torch):
    rng = np.random.default_rng(10)
    ref_mod = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(8, 2, 16, activation="gelu"), 2)
    mod = _load(TransformerDecoder(TransformerDecoderLayer(8, 2, 16, activation="gelu"), 2), ref_mod, device)
    mod.eval()
    ref_mod.eval()
    t, m = rng.standard_normal((4, 2, 8)).astype(np.float32), rng.standard_normal((6, 2, 8)).astype(np.float32)
    (to, mo), (tt, mt) = _leaves(torch, [t, m], device)
    mask_o = Transformer.generate_square_subsequent_mask(4, device=device)
    mask_t = torch.nn.Transformer.generate_square_subsequent_mask(4)
    assert_same(mask_o.cpu(), mask_t)
    out, ref = mod(to, mo, tgt_mask=mask_o), ref_mod(tt, mt, tgt_mask=mask_t)
    assert_same(out.cpu(), ref, rtol=1e-4, atol=1e-5)
    _backward_both(out, ref, rng)
    assert_same(mo.grad.cpu(), mt.grad, rtol=1e-4, atol=1e-5)


def test_transformer_warnings_and_errors(torch):
    with pytest.warns(UserWarning) as ours:
        TransformerEncoder(TransformerEncoderLayer(8, 2), 1)
    with pytest.warns(UserWarning) as theirs:
        torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2), 1)
    assert str(ours[0].message) == str(theirs[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TransformerEncoder(TransformerEncoderLayer(8, 2), 1, enable_nested_tensor=False)
    warnings.simplefilter("ignore")     # (the nested-tensor warning of the Transformers below; restored by pytest)
    same_error(lambda: TransformerEncoderLayer(8, 2, activation="tanh"),
               lambda: torch.nn.TransformerEncoderLayer(8, 2, activation="tanh"))
    same_error(lambda: Transformer(8, 2, 1, 1, 16)(lt.ones(3, 2, 8), lt.ones(3, 3, 8)),
               lambda: torch.nn.Transformer(8, 2, 1, 1, 16)(torch.ones(3, 2, 8), torch.ones(3, 3, 8)))
    same_error(lambda: Transformer(8, 2, 1, 1, 16)(lt.ones(3, 2, 8), lt.ones(3, 2, 6)),
               lambda: torch.nn.Transformer(8, 2, 1, 1, 16)(torch.ones(3, 2, 8), torch.ones(3, 2, 6)))


# =============================================================================
# GroupNorm, RMSNorm, InstanceNorm1d/2d
# =============================================================================

NORM_CASES = {
    "GroupNorm 3-D": (GroupNorm, "GroupNorm", (2, 4), {}, (3, 4, 5)),
    "GroupNorm 4-D, no affine": (GroupNorm, "GroupNorm", (4, 4), dict(affine=False), (3, 4, 2, 3)),
    "RMSNorm 2 dims": (RMSNorm, "RMSNorm", ([3, 5],), {}, (2, 3, 5)),
    "RMSNorm eps, no affine": (RMSNorm, "RMSNorm", (5,), dict(eps=1e-3, elementwise_affine=False), (2, 3, 5)),
    "InstanceNorm1d": (InstanceNorm1d, "InstanceNorm1d", (4,), {}, (3, 4, 5)),
    "InstanceNorm1d affine, running": (InstanceNorm1d, "InstanceNorm1d", (4,),
                                       dict(affine=True, track_running_stats=True), (3, 4, 5)),
    "InstanceNorm2d affine, running": (InstanceNorm2d, "InstanceNorm2d", (4,),
                                       dict(affine=True, track_running_stats=True), (3, 4, 5, 2)),
    "InstanceNorm2d unbatched": (InstanceNorm2d, "InstanceNorm2d", (4,),
                                 dict(affine=True, track_running_stats=True), (4, 5, 2)),
}


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("case", list(NORM_CASES))
def test_norm_modules(case, dt, device, torch):
    cls, tname, args, kw, shape = NORM_CASES[case]
    tdt, ldt = getattr(torch, np.dtype(dt).name), getattr(lt, np.dtype(dt).name)
    mod, ref_mod = cls(*args, **kw).to(ldt).to(device), getattr(torch.nn, tname)(*args, **kw).to(tdt)
    assert repr(mod) == repr(ref_mod)
    rng = np.random.default_rng(11)
    for train in (True, True, False):          # two training steps (running stats), then evaluation
        mod.train(train)
        ref_mod.train(train)
        x = rng.standard_normal(shape).astype(dt)
        (xo,), (xt,) = _leaves(torch, [np.ascontiguousarray(x.transpose())], device)
        back = tuple(reversed(range(len(shape))))
        xo, xt = xo.permute(*back), xt.permute(*back)                # non-contiguous inputs
        out, ref = mod(xo), ref_mod(xt)
        assert_same(out.cpu(), ref, **_tol(dt))
        _backward_both(out, ref, rng)
        for (n, p), (_, q) in zip(mod.named_parameters(), ref_mod.named_parameters()):
            assert_same(p.grad.cpu(), q.grad, **_tol(dt))
        for p, q in zip(mod.buffers(), ref_mod.buffers()):
            assert_same(p.cpu(), q, **_tol(dt))


def test_norm_functional_gradcheck():
    rng = np.random.default_rng(12)
    x = lt.tensor(rng.standard_normal((2, 4, 3)), requires_grad=True)
    w = lt.tensor(rng.standard_normal(4), requires_grad=True)
    b = lt.tensor(rng.standard_normal(4), requires_grad=True)
    w3 = lt.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(lambda x, w, b: A.group_norm(x, 2, w, b), (x, w, b))
    assert gradcheck(lambda x, w, b: A.instance_norm(x, weight=w, bias=b), (x, w, b))
    assert gradcheck(lambda x, w: A.rms_norm(x, (3,), w, eps=1e-6), (x, w3))
    assert gradgradcheck(lambda x, w, b: A.group_norm(x, 2, w, b), (x, w, b))


def test_norm_functional_values(device, torch):
    rng = np.random.default_rng(13)
    x = rng.standard_normal((2, 6, 3)).astype(np.float32)
    xo, xt = lt.tensor(x, device=device), torch.tensor(x)
    F = torch.nn.functional
    assert_same(A.rms_norm(xo, [6, 3]).cpu(), F.rms_norm(xt, [6, 3]))            # eps = finfo(float32).eps
    assert_same(A.group_norm(xo, 3, eps=1e-2).cpu(), F.group_norm(xt, 3, eps=1e-2))
    rm, rv = lt.zeros(6, device=device), lt.ones(6, device=device)
    rmt, rvt = torch.zeros(6), torch.ones(6)
    assert_same(A.instance_norm(xo, rm, rv, momentum=0.3).cpu(), F.instance_norm(xt, rmt, rvt, momentum=0.3))
    assert_same(rm.cpu(), rmt)
    assert_same(rv.cpu(), rvt)
    assert_same(A.instance_norm(xo, rm, rv, use_input_stats=False).cpu(),
                F.instance_norm(xt, rmt, rvt, use_input_stats=False))


@pytest.mark.parametrize("name,call", [
    ("group_norm 1-D", lambda t, f: f.group_norm(t.ones(5), 2)),
    ("group_norm groups", lambda t, f: f.group_norm(t.ones(2, 5, 3), 2)),
    ("group_norm weight", lambda t, f: f.group_norm(t.ones(2, 4, 3), 2, t.ones(5))),
    ("GroupNorm groups", lambda t, f: t.nn.GroupNorm(2, 5) if t.__name__ == "torch" else GroupNorm(2, 5)),
    ("instance_norm one element", lambda t, f: f.instance_norm(t.ones(2, 4, 1))),
    ("rms_norm shape", lambda t, f: f.rms_norm(t.ones(2, 4, 3), (4,))),
    ("rms_norm shape 2", lambda t, f: f.rms_norm(t.ones(2, 4, 3), (3, 4))),
    ("InstanceNorm1d features", lambda t, f: (t.nn.InstanceNorm1d if t.__name__ == "torch" else InstanceNorm1d)(
        3, affine=True)(t.ones(2, 4, 5))),
    ("InstanceNorm1d dims", lambda t, f: (t.nn.InstanceNorm1d if t.__name__ == "torch" else InstanceNorm1d)(
        3)(t.ones(2, 4, 5, 4))),
    ("InstanceNorm2d dims", lambda t, f: (t.nn.InstanceNorm2d if t.__name__ == "torch" else InstanceNorm2d)(
        3)(t.ones(2, 4))),
])
def test_norm_errors(name, call, torch):
    same_error(lambda: call(lt, A), lambda: call(torch, torch.nn.functional))


def test_instance_norm_feature_warning(torch):
    with pytest.warns(UserWarning) as ours:
        InstanceNorm1d(3)(lt.ones(2, 4, 5))
    with pytest.warns(UserWarning) as theirs:
        torch.nn.InstanceNorm1d(3)(torch.ones(2, 4, 5))
    assert str(ours[0].message) == str(theirs[0].message)
