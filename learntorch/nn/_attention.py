"""Attention (注意力) and more normalisation (归一化) as plain functions, for ``nn.functional``.

* ``scaled_dot_product_attention``: softmax(Q K^T * scale + mask) V, one ``Op`` whose backward is
  written out below (the famous ``dS = P * (dP - rowsum(dP * P))`` of softmax).
* ``multi_head_attention_forward``: what ``nn.MultiheadAttention`` runs, step by step as PyTorch
  does (in-projection, split into heads, attention, out-projection).
* ``group_norm``, ``instance_norm``, ``rms_norm``: normalise over other groups of dims than
  ``layer_norm`` / ``batch_norm``.
* ``local_response_norm`` (局部响应归一化): divide by the energy of the neighbouring channels (AlexNet).
"""
import math

from .. import _creation, _dtype, _errors
from .._creation import _legacy_c_name
from ..autograd import grad_mode
from ..autograd.function import Op
from ..ops.linalg import baddbmm as _baddbmm
from ..ops.shape import cat as _cat
from . import functional as F

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward", "group_norm", "instance_norm",
           "rms_norm", "local_response_norm"]


# =============================================================================
# Scaled dot-product attention (缩放点积注意力)
# =============================================================================

class ScaledDotProductAttention(Op):
    """O = (P * D) V with P = softmax(Q K^T s + M) (rows), s = scale, D = dropout's kept/(1-p) mask.

    dV = (P*D)^T dO,  dP = (dO V^T) * D,  dS = P * (dP - rowsum(dP * P)),
    dQ = dS K s,  dK = dS^T Q s,  dM = dS.   A row whose scores are all -inf gives P = 0 (not NaN).
    """
    grad_fn_name = "ScaledDotProductFlashAttentionForCpuBackward0"

    @staticmethod
    def forward(ctx, q, k, v, mask, drop, scale=1.0):
        xp = ctx.xp
        s = xp.matmul(q, xp.matrix_transpose(k)) * scale
        if mask is not None:
            s = s + mask
        m = xp.max(s, axis=-1, keepdims=True)
        m = xp.where(xp.isinf(m), xp.zeros_like(m), m)          # all -inf: exp(-inf - 0) = 0
        e = xp.exp(s - m)
        z = xp.sum(e, axis=-1, keepdims=True)
        p = e / xp.where(z == 0, xp.ones_like(z), z)
        ctx.scale = scale
        ctx.save_for_backward(q, k, v, p, drop, mask)
        return xp.matmul(p if drop is None else p * drop, v)

    @staticmethod
    def backward(ctx, grad):
        q, k, v, p, drop, mask = ctx.saved_tensors
        if grad_mode.is_grad_enabled():     # create_graph: P again, from the inputs, differentiably
            p = _attention_probs(q, k, mask, ctx.scale)
        pd = p if drop is None else p * drop
        dv = pd.transpose(-2, -1).matmul(grad)
        dp = grad.matmul(v.transpose(-2, -1))
        if drop is not None:
            dp = dp * drop
        ds = p * (dp - (dp * p).sum(-1, keepdim=True))
        dq = ds.matmul(k) * ctx.scale
        dk = ds.transpose(-2, -1).matmul(q) * ctx.scale
        return dq, dk, dv, ds, None


def _attention_probs(q, k, mask, scale):
    """P = softmax(Q K^T s + M) on Tensors; rows with every score -inf give 0."""
    s = q.matmul(k.transpose(-2, -1)) * scale
    if mask is None:
        return s.softmax(-1)
    s = s + mask
    dead = (s == float("-inf")).all(-1, keepdim=True)       # nothing to attend to
    return s.masked_fill(dead, 0.0).softmax(-1).masked_fill(dead, 0.0)


def _bool_to_additive(mask, dtype):
    """A bool mask (True = may attend) as the float mask PyTorch adds: 0 where True, -inf where False."""
    return _creation.zeros_like(mask, dtype=dtype).masked_fill_(mask.logical_not(), float("-inf"))


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q K^T / sqrt(E) + mask) V over the last two dims (..., L, E) x (..., S, E) x (..., S, Ev).

    ``attn_mask``: bool (True = take part in attention) or float (added to the scores);
    ``is_causal``: position i attends to positions <= i only; ``scale`` replaces 1/sqrt(E);
    ``enable_gqa``: key/value may have fewer heads (dim -3) than query, each shared by a group."""
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        _errors.fail("sdpa_dim", q=query.ndim, k=key.ndim, v=value.ndim)
    if not query.dtype is key.dtype is value.dtype:
        _errors.fail("sdpa_dtype", q=_legacy_c_name(query.dtype), k=_legacy_c_name(key.dtype),
                     v=_legacy_c_name(value.dtype))
    if not query.dtype.is_floating_point:
        _errors.fail("bmm_dtype", a="Float", b=_dtype.SHORT_NAMES[query.dtype])
    if attn_mask is not None:
        if is_causal:
            _errors.fail("sdpa_mask_causal")
        if attn_mask.dtype is not _dtype.bool and not (attn_mask.dtype is query.dtype or
                                                        attn_mask.dtype is _dtype.float32):
            _errors.fail("sdpa_mask_dtype", mask=_legacy_c_name(attn_mask.dtype), q=_legacy_c_name(query.dtype))
    if not 0.0 <= dropout_p <= 1.0:
        _errors.fail("sdpa_dropout", p=dropout_p)
    L, S, E = query.shape[-2], key.shape[-2], query.shape[-1]
    if key.shape[-1] != E:
        b = math.prod(query.shape[:-2])
        _errors.fail("sdpa_qk_size", b=b, e=E, ek=key.shape[-1])
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        hq, hk = query.shape[-3], key.shape[-3]
        if hq % hk or hq % value.shape[-3]:
            _errors.fail("sdpa_gqa_heads")
        key = key.repeat_interleave(hq // hk, dim=-3)                # each key/value head serves a group
        value = value.repeat_interleave(hq // value.shape[-3], dim=-3)
    if is_causal:
        attn_mask = _creation.ones(L, S, dtype=_dtype.bool, device=query.device).tril()
    if attn_mask is not None and attn_mask.dtype is _dtype.bool:
        attn_mask = _bool_to_additive(attn_mask, query.dtype)
    drop = None
    if dropout_p > 0.0:
        shape = tuple(query.shape[:-1]) + (S,)
        keep = _creation.empty(shape, dtype=query.dtype, device=query.device).bernoulli_(1 - dropout_p)
        drop = keep / (1 - dropout_p) if dropout_p < 1.0 else keep
    return ScaledDotProductAttention.apply(query, key, value, attn_mask, drop,
                                           scale=1.0 / math.sqrt(E) if scale is None else scale)


# =============================================================================
# Multi-head attention (多头注意力): what nn.MultiheadAttention runs
# =============================================================================

def _canonical_mask(mask, mask_name, other, other_name, target_type, check_other=True):
    """A bool mask (True = masked out, as in MultiheadAttention) as an additive float mask (-inf there)."""
    if mask is None:
        return None
    if mask.dtype is not _dtype.bool and not mask.dtype.is_floating_point:
        _errors.fail("mha_mask_type", name=mask_name)
    if check_other and other is not None and mask.dtype is not other.dtype:
        import warnings
        warnings.warn(_errors.msg("mha_mask_mismatch", name=mask_name, other=other_name), stacklevel=3)
    if not mask.dtype.is_floating_point:
        mask = _creation.zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Batched (3-D: L, N, E) or unbatched (2-D: L, E) inputs, with masks of matching ranks."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            _errors.fail("mha_kv_dims", q="batched (3-D)", n=3, k=key.dim(), v=value.dim())
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            _errors.fail("mha_kpm_dims", q="batched (3-D)", n=2, got=key_padding_mask.dim())
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            _errors.fail("mha_mask_dims", q="batched (3-D)", got=attn_mask.dim())
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            _errors.fail("mha_kv_dims", q="unbatched (2-D)", n=2, k=key.dim(), v=value.dim())
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            _errors.fail("mha_kpm_dims", q="unbatched (2-D)", n=1, got=key_padding_mask.dim())
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                _errors.fail("mha_mask_dims", q="unbatched (2-D)", got=attn_mask.dim())
            want = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != want:
                _errors.fail("mha_mask_3d_unbatched", want=want, got=attn_mask.shape)
        return False
    _errors.fail("mha_query_dims", got=query.dim())


def _in_projection_packed(q, k, v, w, b):
    """q W_q^T + b_q, k W_k^T + b_k, v W_v^T + b_v with the three weights stacked in ``w``."""
    E = q.size(-1)
    if k is v and q is k:                         # self-attention: one matrix product
        proj = F.linear(q, w, b).unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return proj[0], proj[1], proj[2]
    if k is v:                                    # encoder-decoder attention
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        kv = F.linear(k, w_kv, b_kv).unflatten(-1, (2, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return F.linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None,) * 3 if b is None else b.chunk(3)
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """Multi-head attention on (L, N, E) query and (S, N, E) key/value (or unbatched (L, E), (S, E)).

    Project q, k, v; split E into ``num_heads`` heads of E/num_heads; attend in each head; concatenate
    the heads and project with ``out_proj``.  Returns (output, weights averaged over heads or None)."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", attn_mask, "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        _errors.fail("mha_causal_mask")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None                          # SDPA's own causal mask is used
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        _errors.fail("mha_embed_dim", want=embed_dim_to_check, got=embed_dim)
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        _errors.fail("mha_heads_divide", e=embed_dim, h=num_heads)
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            _errors.fail("mha_kv_shape_sep", k=key.shape[:2], v=value.shape[:2])
        b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = (F.linear(query, q_proj_weight, b_q), F.linear(key, k_proj_weight, b_k),
                   F.linear(value, v_proj_weight, b_v))
    else:
        if tuple(key.shape) != tuple(value.shape):
            _errors.fail("mha_kv_shape", k=key.shape, v=value.shape)
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                _errors.fail("mha_mask_2d", got=attn_mask.shape, want=(tgt_len, src_len))
            attn_mask = attn_mask.unsqueeze(0)
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            _errors.fail("mha_mask_3d", got=attn_mask.shape, want=(bsz * num_heads, tgt_len, src_len))
    if bias_k is not None and bias_v is not None:   # one more learned key/value position
        k = _cat([k, bias_k.repeat(1, bsz, 1)])
        v = _cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else F.pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else F.pad(key_padding_mask, (0, 1))
    # (L, N, E) -> (N * heads, L, head_dim): each head is a separate batch entry
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = static_k if static_k is not None else k.view(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    v = static_v if static_v is not None else v.view(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    if add_zero_attn:                               # one more all-zero key/value position
        zeros = _creation.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype, device=k.device)
        k, v = _cat([k, zeros], dim=1), _cat([v, zeros], dim=1)
        attn_mask = None if attn_mask is None else F.pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else F.pad(key_padding_mask, (0, 1))
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            _errors.fail("mha_kpm_size", i=0, want=bsz, got=key_padding_mask.shape[0])
        if key_padding_mask.shape[1] != src_len:
            _errors.fail("mha_kpm_size", i=1, want=src_len, got=key_padding_mask.shape[1])
        key_padding_mask = (key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        E = q.shape[-1]
        q_scaled = q * math.sqrt(1.0 / float(E))
        if attn_mask is not None:
            weights = _baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
        else:
            weights = q_scaled.bmm(k.transpose(-2, -1))
        weights = F.softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = F.dropout(weights, p=dropout_p)
        out = weights.bmm(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = F.linear(out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, out.size(1))
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = F.linear(out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, out.size(1))
    if not is_batched:
        out = out.squeeze(1)
    return out, None


# =============================================================================
# More normalisation (归一化): group_norm, instance_norm, rms_norm
# =============================================================================

def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the C channels of each sample into ``num_groups`` groups; normalise each group over its
    channels and positions (biased variance); then y = xhat * weight[c] + bias[c]."""
    if input.dim() < 2:
        _errors.fail("group_norm_dims", d=input.dim())
    N, C = input.shape[0], input.shape[1]
    if C % num_groups:
        _errors.fail("group_norm_groups", shape=_errors.shape_str(input.shape), g=num_groups)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != C):
            _errors.fail("group_norm_param", name=name, got=_errors.shape_str(t.shape),
                         shape=_errors.shape_str(input.shape))
    grouped = input.reshape(N, num_groups, -1)
    xhat = F._Normalize.apply(grouped, None, None, dims=(2,), eps=eps, shape=(1, 1, 1)).view(input.shape)
    shape = (1, C) + (1,) * (input.dim() - 2)
    if weight is not None:
        xhat = xhat * weight.reshape(shape)
    if bias is not None:
        xhat = xhat + bias.reshape(shape)
    return xhat


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalise each channel of each sample over its positions (as PyTorch: a batch norm of the
    (1, N*C, ...) reshaped input; running statistics are averaged over the samples)."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        _errors.fail("instance_norm_spatial", size=input.shape)
    N, C = input.shape[0], input.shape[1]
    rm = running_mean.repeat(N) if running_mean is not None else None
    rv = running_var.repeat(N) if running_var is not None else None
    w = weight.repeat(N) if weight is not None else None
    b = bias.repeat(N) if bias is not None else None
    out = F.batch_norm(input.reshape(1, N * C, *input.shape[2:]), rm, rv, w, b, use_input_stats, momentum, eps)
    if use_input_stats:     # the per-sample running statistics, averaged back into the buffers
        for buf, per_sample in ((running_mean, rm), (running_var, rv)):
            if buf is not None:
                buf._data[...] = per_sample.view(N, C).mean(0)._data
                buf._vc[0] += 1
    return out.view(input.shape)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """y = x / sqrt(mean(x^2) + eps) * weight over the last dims (no mean subtracted, no bias);
    ``eps=None`` means the dtype's machine epsilon (``torch.finfo(dtype).eps``)."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != normalized_shape:
        _errors.fail("rms_norm_shape", ns=list(normalized_shape), want=", ".join(map(str, normalized_shape)),
                     got=list(input.shape))
    if eps is None:
        eps = _dtype.finfo(input.dtype).eps
    dims = tuple(range(-k, 0))
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    return out * weight if weight is not None else out


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """b_c = a_c / (k + alpha / n * sum of a_c'^2 over the n = ``size`` channels c' around c)^beta.

    Composed as PyTorch does: square, pad the channel dim with zeros, average ``size`` neighbouring
    channels (avg_pool2d with a (size, 1) window), then divide."""
    d = input.dim()
    if d < 3:
        _errors.fail("lrn_dims", d=d)
    if input.numel() == 0:
        return input
    div = input.mul(input)
    sizes = input.shape
    # (N, 1, C, positions): PyTorch pools (N, 1, C, H, W...) with a (size, 1, 1) window, the same numbers
    div = div.reshape(sizes[0], 1, sizes[1], -1)
    div = F.pad(div, (0, 0, size // 2, (size - 1) // 2))
    div = F.avg_pool2d(div, (size, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div
