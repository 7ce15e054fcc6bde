"""``nn.functional`` (常写作 ``F``): layers and losses as plain functions.

Each fused operation is an ``Op`` whose ``forward`` (on backend arrays) and
``backward`` (on Tensors, so it can itself be differentiated) sit side by side.
Open ``CrossEntropy`` below to see the numerically stable softmax + negative
log-likelihood and its famous gradient ``softmax(x) - one_hot(target)``.

Sections: activations - linear / dropout / embedding / pad / normalize -
normalisation layers - convolution and pooling - upsampling (上采样), pixel and channel
shuffle, unfold / fold - losses.
"""
import math
import warnings

import numpy as np

from .. import _dtype
from .. import amp as _amp
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.function import Op
from ..backends import CPU_BACKEND
from ..ops import elementwise as _ew
from ..ops.linalg import Addmm, addmm
from ..ops.shape import TOp

__all__ = [
    "relu", "relu_", "leaky_relu", "leaky_relu_", "gelu", "sigmoid", "tanh", "softmax", "log_softmax",
    "silu", "softplus", "elu", "relu6", "hardtanh", "logsigmoid",
    "softmin", "selu", "selu_", "celu", "celu_", "elu_", "hardtanh_", "mish", "hardswish", "hardsigmoid",
    "softsign", "softshrink", "hardshrink", "tanhshrink", "threshold", "threshold_", "prelu", "glu",
    "dropout", "linear", "bilinear", "embedding", "one_hot", "pad", "normalize",
    "batch_norm", "layer_norm", "conv2d", "max_pool2d", "avg_pool2d",
    "conv1d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d",
    "adaptive_max_pool2d", "dropout1d", "dropout2d",
    "conv_transpose1d", "conv_transpose2d", "max_unpool1d", "max_unpool2d", "conv3d",
    "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "lp_pool1d", "lp_pool2d",
    "rrelu", "rrelu_", "alpha_dropout", "feature_alpha_dropout", "embedding_bag",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy",
    "kl_div", "cosine_similarity", "pairwise_distance", "margin_ranking_loss", "hinge_embedding_loss",
    "soft_margin_loss", "multilabel_soft_margin_loss", "cosine_embedding_loss", "triplet_margin_loss",
    "poisson_nll_loss", "gaussian_nll_loss",
    "scaled_dot_product_attention", "multi_head_attention_forward", "group_norm", "instance_norm", "rms_norm",
    "local_response_norm", "interpolate", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "unfold", "fold",
]


def __getattr__(name):
    # Learners compare error texts with PyTorch's, so name the module as PyTorch does.
    raise AttributeError(f"module 'torch.nn.functional' has no attribute '{name}'")


def _on_host(t_or_array, backend):
    """A small array copied to the host (NumPy), for checks PyTorch makes on values."""
    return backend.to_numpy(t_or_array)


# =============================================================================
# Activations (激活函数)
# =============================================================================

relu = _ew.relu   # y = max(x, 0): relu(input, inplace=False)


def relu_(input):
    return _ew.relu_(input)


def sigmoid(input):
    """y = 1 / (1 + e^-x)."""
    return _ew.sigmoid(input)


def tanh(input):
    return _ew.tanh(input)


class LeakyRelu(Op):
    """y = x if x > 0 else slope * x.   dy/dx = 1 if x > 0 else slope."""

    @staticmethod
    def forward(ctx, x, slope=0.01):
        xp = ctx.xp
        positive = x > 0
        slope_of_x = xp.astype(positive, x.dtype) * (1 - slope) + slope   # 1 or slope, element-wise
        ctx.save_for_backward(slope_of_x)
        return xp.where(positive, x, x * slope)

    @staticmethod
    def backward(ctx, grad):
        slope_of_x, = ctx.saved_tensors
        return grad * slope_of_x


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return leaky_relu_(input, negative_slope)
    return LeakyRelu.apply(input, slope=negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    from ..ops._inplace import check_inplace_allowed, write_inplace
    check_inplace_allowed(input)
    return write_inplace(input, LeakyRelu.apply(input, slope=negative_slope))


def _erf(xp, x):
    """The error function erf(x) (the Array API has none): a power series for |x| < 2.5,
    a continued fraction for erfc beyond.  Accurate to about 1e-15."""
    ax = xp.abs(x)
    small = xp.clip(ax, max=2.5)
    x2 = small * small
    term, total = small, small
    for n in range(40):   # erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
        term = term * (2 * x2 / (2 * n + 3))
        total = total + term
    series = (2 / math.sqrt(math.pi)) * xp.exp(-x2) * total
    big = xp.clip(ax, min=2.5)
    f = big
    for k in range(30, 0, -1):   # erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
        f = big + (k / 2) / f
    tail = 1 - xp.exp(-big * big) / (math.sqrt(math.pi) * f)
    return xp.sign(x) * xp.where(ax < 2.5, series, tail)


class NormalCdf(Op):
    """y = Phi(x) = (1 + erf(x / sqrt 2)) / 2, the standard normal CDF.   dy/dx = phi(x) = e^(-x^2/2) / sqrt(2 pi)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (1 + _erf(ctx.xp, x * (1 / math.sqrt(2))))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (x * x * -0.5).exp() * (1 / math.sqrt(2 * math.pi))


_K = math.sqrt(2 / math.pi)


class Gelu(Op):
    """y = x * Phi(x) (exact) or 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) ('tanh').
    dy/dx = Phi(x) + x phi(x) (exact), or the derivative of the tanh formula."""

    @staticmethod
    def forward(ctx, x, approximate="none"):
        xp = ctx.xp
        ctx.approximate = approximate
        ctx.save_for_backward(x)
        if approximate == "tanh":
            return 0.5 * x * (1 + xp.tanh(_K * (x + 0.044715 * x * x * x)))
        return x * 0.5 * (1 + _erf(xp, x * (1 / math.sqrt(2))))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = ((x + x * x * x * 0.044715) * _K).tanh()
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _K * (1 + 3 * 0.044715 * x * x))
        pdf = (x * x * -0.5).exp() * (1 / math.sqrt(2 * math.pi))
        return grad * (NormalCdf.apply(x) + x * pdf)


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate=approximate)


def silu(input, inplace=False):
    """y = x * sigmoid(x)."""
    if inplace:
        return _inplace_result(input, lambda: silu(input))
    return input * input.sigmoid()


def softplus(input, beta=1.0, threshold=20.0):
    """y = log(1 + e^(beta x)) / beta (linear where beta x > threshold)."""
    return Softplus.apply(input, beta=beta, threshold=threshold)


class Softplus(Op):
    """y = log(1 + e^(beta x)) / beta.   dy/dx = sigmoid(beta x) (1 where beta x > threshold)."""

    @staticmethod
    def forward(ctx, x, beta=1.0, threshold=20.0):
        xp = ctx.xp
        bx = x * beta
        linear = bx > threshold
        soft = (xp.log1p(xp.exp(-xp.abs(bx))) + xp.clip(bx, min=0)) / beta
        s = 1 / (1 + xp.exp(-bx))
        ctx.save_for_backward(xp.where(linear, xp.ones_like(s), s))
        return xp.where(linear, x, soft)

    @staticmethod
    def backward(ctx, grad):
        d, = ctx.saved_tensors
        return grad * d


def elu(input, alpha=1.0, inplace=False):
    """y = x if x > 0 else alpha (e^x - 1)."""
    if inplace:
        return elu_(input, alpha)
    return Elu.apply(input, alpha=alpha)


class Elu(Op):
    """y = x if x > 0 else alpha (e^x - 1).   dy/dx = 1 if x > 0 else alpha e^x."""

    @staticmethod
    def forward(ctx, x, alpha=1.0):
        xp = ctx.xp
        e = alpha * (xp.exp(xp.clip(x, max=0)) - 1)
        ctx.save_for_backward(xp.where(x > 0, xp.ones_like(x), e + alpha))
        return xp.where(x > 0, x, e)

    @staticmethod
    def backward(ctx, grad):
        d, = ctx.saved_tensors
        return grad * d


class Hardtanh(Op):
    """y = clip(x, lo, hi).   dy/dx = 1 strictly inside (lo, hi), else 0."""

    @staticmethod
    def forward(ctx, x, lo=-1.0, hi=1.0):
        xp = ctx.xp
        ctx.save_for_backward(xp.astype((x > lo) & (x < hi), x.dtype))
        return xp.clip(x, min=lo, max=hi)

    @staticmethod
    def backward(ctx, grad):
        inside, = ctx.saved_tensors
        return grad * inside


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if inplace:
        return hardtanh_(input, min_val, max_val)
    return Hardtanh.apply(input, lo=min_val, hi=max_val)


def relu6(input, inplace=False):
    if inplace:
        return hardtanh_(input, 0.0, 6.0)
    return Hardtanh.apply(input, lo=0.0, hi=6.0)


def logsigmoid(input):
    """y = log(sigmoid(x)) = -softplus(-x)."""
    return -softplus(-input)


# --- more activations: selu, celu, mish, hardswish, shrinks, threshold, prelu, glu -------------

def _float_only(input, kernel):
    """PyTorch's kernels for these activations exist for floating-point inputs only."""
    if not input.dtype.is_floating_point:
        from .. import _errors
        _errors.fail("not_implemented", op=kernel, dtype=_dtype.SHORT_NAMES[input.dtype])


def _inplace_result(input, compute, node_name=None):
    """Write ``compute()`` (the out-of-place result) into ``input``, as PyTorch's ``selu_`` & co do."""
    from ..ops._inplace import check_inplace_allowed, write_inplace
    check_inplace_allowed(input)
    out = write_inplace(input, compute())
    if node_name is not None and out.grad_fn is not None:
        out.grad_fn.grad_fn_name = node_name
    return out


class _ScaledElu(Op):
    """y = scale x if x > 0 else scale alpha (e^(s x) - 1)  (selu; celu has s = 1/alpha).
    dy/dx = scale if x > 0 else scale alpha s e^(s x)."""
    grad_fn_name = "EluBackward0"

    @staticmethod
    def forward(ctx, x, alpha=1.0, scale=1.0, input_scale=1.0):
        xp = ctx.xp
        ctx.alpha, ctx.scale, ctx.input_scale = alpha, scale, input_scale
        ctx.save_for_backward(x)
        neg = (scale * alpha) * (xp.exp(xp.clip(x, max=0) * input_scale) - 1)
        return xp.where(x > 0, x * scale, neg)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        a, sc, s = ctx.alpha, ctx.scale, ctx.input_scale
        neg = (x.clamp(max=0) * s).exp() * (sc * a * s)
        return grad * _ew.where(x > 0, neg * 0 + sc, neg)


class _Celu(_ScaledElu):
    """y = x if x > 0 else alpha (e^(x/alpha) - 1).   dy/dx = 1 if x > 0 else e^(x/alpha)."""
    grad_fn_name = "CeluBackward0"


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input, inplace=False):
    """y = scale * elu(x, alpha) with PyTorch's fixed alpha ~ 1.6733 and scale ~ 1.0507 (self-normalising)."""
    if inplace:
        return selu_(input)
    _float_only(input, "elu_cpu")
    return _ScaledElu.apply(input, alpha=_SELU_ALPHA, scale=_SELU_SCALE)


def selu_(input):
    return _inplace_result(input, lambda: selu(input), "EluBackward1")


def celu(input, alpha=1.0, inplace=False):
    """y = max(0, x) + min(0, alpha (e^(x/alpha) - 1))."""
    if inplace:
        return celu_(input, alpha)
    if alpha == 0:
        from .. import _errors
        _errors.fail("celu_alpha")
    _float_only(input, "elu_cpu")
    return _Celu.apply(input, alpha=alpha, input_scale=1.0 / alpha)


def celu_(input, alpha=1.0):
    return _inplace_result(input, lambda: celu(input, alpha), "CeluBackward1")


def elu_(input, alpha=1.0):
    return _inplace_result(input, lambda: elu(input, alpha), "EluBackward1")


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return _inplace_result(input, lambda: hardtanh(input, min_val, max_val))


class Mish(Op):
    """y = x tanh(softplus(x)).   dy/dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2),  sp = log(1 + e^x)."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        ctx.save_for_backward(x)
        return x * xp.tanh(xp.log1p(xp.exp(-xp.abs(x))) + xp.clip(x, min=0))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        t = (x.clamp(min=0) + (-x.abs()).exp().log1p()).tanh()   # tanh(softplus(x)), stable
        return grad * (t + x * x.sigmoid() * (1 - t * t))


def mish(input, inplace=False):
    """y = x * tanh(softplus(x)): a smooth ReLU-like curve."""
    if inplace:
        return _inplace_result(input, lambda: mish(input))
    _float_only(input, "mish_cpu")
    return Mish.apply(input)


class Hardswish(Op):
    """y = x relu6(x + 3) / 6.   dy/dx = 0 if x <= -3, x/3 + 1/2 if x < 3, else 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * ctx.xp.clip(x + 3, min=0, max=6) / 6

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        middle = ((x > -3) & (x < 3)).to(x.dtype)
        return grad * (middle * (x / 3 + 0.5) + (x >= 3).to(x.dtype))


def hardswish(input, inplace=False):
    """A cheap swish (x * sigmoid(x)): x * relu6(x + 3) / 6."""
    if inplace:
        return _inplace_result(input, lambda: hardswish(input))
    _float_only(input, "hardswish_cpu")
    return Hardswish.apply(input)


class Hardsigmoid(Op):
    """y = relu6(x + 3) / 6.   dy/dx = 1/6 strictly inside (-3, 3), else 0."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        ctx.save_for_backward(xp.astype((x > -3) & (x < 3), x.dtype) / 6)
        return xp.clip(x + 3, min=0, max=6) / 6

    @staticmethod
    def backward(ctx, grad):
        slope, = ctx.saved_tensors
        return grad * slope


def hardsigmoid(input, inplace=False):
    """A piecewise-linear sigmoid: relu6(x + 3) / 6."""
    if inplace:
        return _inplace_result(input, lambda: hardsigmoid(input))
    _float_only(input, "hardsigmoid_cpu")
    return Hardsigmoid.apply(input)


def softsign(input):
    """y = x / (1 + |x|) (built from abs, add and div, as in PyTorch)."""
    return input / (input.abs() + 1)


def tanhshrink(input):
    """y = x - tanh(x)."""
    return input - input.tanh()


class _Shrink(Op):
    """y = x - lambd (x > lambd), x + lambd (x < -lambd), 0 between (soft), or x outside, 0 between (hard).
    dy/dx = 1 outside [-lambd, lambd], else 0."""

    @staticmethod
    def forward(ctx, x, lambd=0.5, soft=True):
        xp = ctx.xp
        outside = xp.astype((x < -lambd) | (x > lambd), x.dtype)
        ctx.save_for_backward(outside)
        if soft:
            return (x - xp.clip(x, min=-lambd, max=lambd)) * outside
        return x * outside

    @staticmethod
    def backward(ctx, grad):
        outside, = ctx.saved_tensors
        return grad * outside


def softshrink(input, lambd=0.5):
    """Shrink towards 0 by ``lambd`` (values within ``lambd`` of 0 become 0)."""
    _float_only(input, "softshrink_check")
    if lambd < 0:
        from .. import _errors
        biggest = {_dtype.float64: "1.79769e+308", _dtype.float16: "65504"}.get(input.dtype, "3.40282e+38")
        _errors.fail("softshrink_lambda", max=biggest, dtype=_dtype.SHORT_NAMES[input.dtype], lambd=_g(lambd))
    out = _Shrink.apply(input, lambd=lambd, soft=True)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "SoftshrinkBackward0"
    return out


def hardshrink(input, lambd=0.5):
    """Zero the values within ``lambd`` of 0, keep the others."""
    _float_only(input, "hardshrink_cpu")
    out = _Shrink.apply(input, lambd=lambd, soft=False)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "HardshrinkBackward0"
    return out


def _g(v):
    """A float as C++ prints it in PyTorch's messages (``%g``: -1 not -1.0)."""
    return f"{v:g}"


class Threshold(Op):
    """y = x if x > threshold else value.   dy/dx = 1 if x > threshold else 0."""

    @staticmethod
    def forward(ctx, x, threshold=0.0, value=0.0):
        xp = ctx.xp
        above = x > threshold
        ctx.save_for_backward(xp.astype(above, x.dtype))
        fill = value if xp.isdtype(x.dtype, "real floating") else int(value)
        return xp.where(above, x, xp.full_like(x, fill))

    @staticmethod
    def backward(ctx, grad):
        above, = ctx.saved_tensors
        return grad * above


def threshold(input, threshold, value, inplace=False):
    """Replace every value <= ``threshold`` by ``value``."""
    if inplace:
        return threshold_(input, threshold, value)
    return Threshold.apply(input, threshold=threshold, value=value)


def threshold_(input, threshold, value):
    return _inplace_result(input, lambda: Threshold.apply(input, threshold=threshold, value=value),
                           "ThresholdBackward1")


class Prelu(Op):
    """y = x if x > 0 else w x (w: one slope per channel, broadcast).   dy/dx = 1 or w,  dy/dw = 0 or x."""
    grad_fn_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return ctx.xp.where(x > 0, x, w * x)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        pos = (x > 0).to(x.dtype)
        gx = grad * (pos + (1 - pos) * w) if ctx.needs_input_grad[0] else None
        gw = grad * (1 - pos) * x if ctx.needs_input_grad[1] else None
        return gx, gw


def prelu(input, weight):
    """Leaky ReLU with learned slopes: ``weight`` has 1 element or one per channel (dim 1)."""
    from .. import _errors
    if weight.ndim > 1:
        _errors.fail("prelu_weight_ndim", ndim=weight.ndim)
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            _errors.fail("prelu_zero_dim")
        channels = input.shape[1] if input.ndim >= 2 else 1
        if n != channels:
            _errors.fail("prelu_channels", n=n, c=channels)
    if weight.dtype is not input.dtype:
        _errors.fail("prelu_promote", a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[weight.dtype])
    if n == 1:
        w = weight.reshape(())
    else:
        w = weight.reshape((1, n) + (1,) * (input.ndim - 2))
    return Prelu.apply(input, w)


class Glu(Op):
    """y = a sigmoid(b), (a, b) = the two halves of x along ``dim``.
    da = dy sigmoid(b),  db = dy a sigmoid(b) (1 - sigmoid(b))."""

    @staticmethod
    def forward(ctx, x, dim=-1):
        xp = ctx.xp
        h = x.shape[dim] // 2
        ctx.dim, ctx.h = dim, h
        first = [slice(None)] * x.ndim
        second = [slice(None)] * x.ndim
        first[dim], second[dim] = slice(0, h), slice(h, 2 * h)
        ctx.save_for_backward(x)
        return x[tuple(first)] * (1 / (1 + xp.exp(-x[tuple(second)])))

    @staticmethod
    def backward(ctx, grad):
        from ..ops.shape import cat
        x, = ctx.saved_tensors
        a, b = x.narrow(ctx.dim, 0, ctx.h), x.narrow(ctx.dim, ctx.h, ctx.h)
        s = b.sigmoid()
        return cat([grad * s, grad * a * s * (1 - s)], ctx.dim)


def glu(input, dim=-1):
    """Gated linear unit: split ``input`` in two halves a, b along ``dim``; return a * sigmoid(b)."""
    from .. import _errors
    if input.ndim == 0:
        _errors.fail("glu_scalar")
    d = _errors.check_dim(dim, input.ndim)
    if input.shape[d] % 2:
        _errors.fail("glu_odd", dim=d, size=input.shape[d])
    _float_only(input, "glu_cpu")
    return Glu.apply(input, dim=d)


def _softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
                  "dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _log_softmax_array(xp, x, dim):
    """log_softmax on an array, stable: subtract the max before exponentiating (log-sum-exp trick)."""
    shifted = x - xp.max(x, axis=dim, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))


class Softmax(Op):
    """y_i = e^(x_i) / sum_j e^(x_j) along ``dim``.   dx = y * (dy - sum(dy * y))."""

    @staticmethod
    def forward(ctx, x, dim=-1):
        xp = ctx.xp
        ctx.dim = dim
        e = xp.exp(x - xp.max(x, axis=dim, keepdims=True))   # the max makes e <= 1: no overflow
        y = e / xp.sum(e, axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return y * (grad - (grad * y).sum(ctx.dim, keepdim=True))


class LogSoftmax(Op):
    """y_i = x_i - log sum_j e^(x_j) along ``dim``.   dx = dy - softmax(x) * sum(dy)."""

    @staticmethod
    def forward(ctx, x, dim=-1):
        ctx.dim = dim
        y = _log_softmax_array(ctx.xp, x, dim)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad - y.exp() * grad.sum(ctx.dim, keepdim=True)


def _softmax_like(op, name, input, dim, dtype, stacklevel=4):
    input, = _amp.upcast_inputs(input)  # autocast computes softmax in float32
    if dim is None:
        dim = _softmax_dim(name, input.ndim, stacklevel)
    from .. import _errors
    d = _errors.check_dim(dim, input.ndim)
    if dtype is not None:
        input = input.to(dtype)
    elif not input.dtype.is_floating_point:
        kernel = f"{name}_lastdim_kernel_impl" if d == max(input.ndim - 1, 0) else f"{name}_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.SHORT_NAMES[input.dtype]}\'')
    if input.ndim == 0:
        return op.apply(input.reshape(1), dim=0).reshape(())
    return op.apply(input, dim=d)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Probabilities along ``dim``: positive, summing to 1."""
    return _softmax_like(Softmax, "softmax", input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)), computed stably in one step."""
    return _softmax_like(LogSoftmax, "log_softmax", input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x): the smallest score gets the largest probability."""
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim, _stacklevel)
    return _softmax_like(Softmax, "softmax", -input, dim, dtype)


# =============================================================================
# Linear, dropout, embedding, one_hot, pad, normalize
# =============================================================================

def linear(input, weight, bias=None):
    """y = x W^T + b (the fused ``addmm`` for a batch of vectors)."""
    if input.ndim == 2 and bias is not None:
        input, weight, bias = _amp.cast_inputs(input, weight, bias)
        ishape, wshape, bshape = input._data.shape, weight._data.shape, bias._data.shape
        if (input.dtype is weight.dtype is bias.dtype and len(bshape) == 1 and len(wshape) == 2
                and ishape[1] == wshape[1] and bshape[0] == wshape[0]):
            # the training hot path: shapes already checked; the transposed weight is used only
            # here, so it needs no view bookkeeping (``weight.t()`` would record it for in-place writes)
            return Addmm.apply(bias, input, TOp.of_matrix(weight))
        return addmm(bias, input, weight.t())           # anything else: addmm raises PyTorch's error
    if bias is None:
        return input.matmul(weight.t())
    lead = tuple(input.shape[:-1])
    out = addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
    return out.view(*lead, weight.shape[0])


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij x1[..., i] W[o, i, j] x2[..., j] + b[o] (双线性): one matrix W[o] per output feature.
    Computed as (x1 @ W reshaped) times x2, summed over j; autograd differentiates the pieces."""
    from .. import _errors
    if not input1.dtype is input2.dtype is weight.dtype:
        name = {_dtype.float32: "float", _dtype.float64: "double"}
        _errors.fail("bilinear_dtype", a=name.get(input1.dtype, input1.dtype), b=name.get(input2.dtype, input2.dtype),
                     w=name.get(weight.dtype, weight.dtype))
    if input1.ndim != input2.ndim:
        _errors.fail("bilinear_dims", a=input1.ndim, b=input2.ndim)
    for d in range(input1.ndim - 1):
        if input1.shape[d] != input2.shape[d]:
            _errors.fail("bilinear_batch", d=d, a=input1.shape[d], b=input2.shape[d])
    for which, x, d in (("input1", input1, 1), ("input2", input2, 2)):
        if x.shape[-1] != weight.shape[d]:
            _errors.fail("bilinear_size", which=which, got=x.shape[-1], want=weight.shape[d])
    if bias is not None and bias.shape[0] != weight.shape[0]:
        _errors.fail("bilinear_bias", got=bias.shape[0], want=weight.shape[0])
    O, n1, n2 = weight.shape
    t = input1.matmul(weight.permute(1, 0, 2).reshape(n1, O * n2))          # (..., O * n2)
    y = (t.unflatten(-1, (O, n2)) * input2.unsqueeze(-2)).sum(-1)            # (..., O)
    return y + bias if bias is not None else y


def dropout(input, p=0.5, training=True, inplace=False):
    """During training zero each element with probability ``p`` and scale the rest by 1/(1-p)
    (so the expected value is unchanged); at evaluation return the input as it is."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    from .._creation import empty_like
    if p == 1.0:
        mask = input.new_zeros(input.shape)
    else:   # as PyTorch: keep ~ Bernoulli(1 - p), then scale the kept elements by 1 / (1 - p)
        mask = empty_like(input).bernoulli_(1 - p).div_(1 - p)
    return input.mul_(mask) if inplace else input * mask


def _feature_dropout(input, p, training, inplace):
    """Spatial dropout (空间随机失活): one coin per (sample, channel) zeroes or keeps a whole feature map.

    As PyTorch: noise of shape (N, C, 1, ...) ~ Bernoulli(1 - p) / (1 - p), multiplied in (broadcast)."""
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        noise = input.new_zeros(())
    else:
        shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
        noise = input.new_empty(shape).bernoulli_(1 - p).div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


class Rrelu(Op):
    """y = x if x > 0 else a x, with a ~ U(lower, upper) per element (training) or (lower + upper) / 2.
    dy/dx = 1 or a (the "noise" a is drawn in ``rrelu`` and saved)."""
    grad_fn_name = "RreluWithNoiseBackward0"

    @staticmethod
    def forward(ctx, x, noise=None):
        ctx.save_for_backward(noise)
        return x * noise

    @staticmethod
    def backward(ctx, grad):
        noise, = ctx.saved_tensors
        return grad * noise


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU (随机泄漏 ReLU): while training each x <= 0 gets its own slope ~ U(lower, upper).

    The slopes are drawn as PyTorch does on the CPU: one 53-bit uniform per non-positive element, in order."""
    import numpy as np
    from .. import _errors
    _float_only(input, "rrelu_with_noise_out_cpu")
    if lower > upper:
        _errors.fail("rrelu_bounds")
    b, npdt = input._backend, input.dtype.np
    x = np.ascontiguousarray(_on_host(input._data, b))
    if training:
        neg = (x <= 0).reshape(-1)
        lo, hi = (float(npdt.type(v)) for v in (lower, upper)) if npdt != np.float64 else (lower, upper)
        from .._creation import _generator
        r = _generator(input.device, None)._unit(int(neg.sum()), np.float64) * (hi - lo) + lo   # (not fused)
        noise = np.ones(x.size, npdt)
        noise[neg] = r.astype(npdt)
        noise = noise.reshape(x.shape)
    else:
        noise = np.where(x > 0, npdt.type(1), npdt.type((lower + upper) / 2)).astype(npdt)
    noise = b.from_numpy(noise)
    if inplace:
        return _inplace_result(input, lambda: Rrelu.apply(input, noise=noise))
    return Rrelu.apply(input, noise=noise)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


def _alpha_dropout(input, p, training, inplace, feature):
    """As PyTorch: keep ~ Bernoulli(1 - p) (per element, or per (N, C) feature map); dropped values become
    -alpha' = -SELU's saturation, then a affine map a x + b restores zero mean and unit variance."""
    _check_p(p)
    if feature and input.ndim < 2:
        from .. import _errors
        _errors.fail("feature_dropout_dims")
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        return input.mul_(input.new_zeros(())) if inplace else input * input.new_zeros(())
    if feature:
        noise = input.new_empty(tuple(input.shape[:2]) + (1,) * (input.ndim - 2)).bernoulli_(1 - p)
    else:   # PyTorch's empty_like keeps the input's memory order, which decides the order of the draws
        order = sorted(range(input.ndim), key=lambda d: -input.stride(d))
        inverse = sorted(range(input.ndim), key=order.__getitem__)
        noise = input.new_empty(tuple(input.shape[d] for d in order)).bernoulli_(1 - p).permute(*inverse)
    alpha = 1.7580993408473766
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    b = noise.add(-1).mul_(alpha * a).add_(alpha * a * p)
    noise.mul_(a)
    return (input.mul_(noise) if inplace else input * noise).add_(b)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks (自归一化网络的随机失活): keeps the mean 0 and variance 1 of the input."""
    return _alpha_dropout(input, p, training, inplace, False)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (feature maps) of (N, C, ...) inputs."""
    return _alpha_dropout(input, p, training, inplace, True)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        from .. import _errors
        _errors.fail("dropout_p", p=p)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) inputs with probability ``p`` (survivors scaled by 1/(1-p))."""
    _check_p(p)
    if input.ndim not in (2, 3):
        from .. import _errors
        _errors.fail("dropout1d_dims", d=input.ndim)
    if input.ndim == 2:
        return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)
    return _feature_dropout(input, p, training, inplace)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (feature maps) of (N, C, H, W) inputs with probability ``p``."""
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


class _Gather(Op):
    """y = weight[idx] (rows picked by index).   d weight = dy added back into each picked row."""
    grad_fn_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, idx=None, padding_idx=None):
        xp = ctx.xp
        ctx.idx, ctx.rows, ctx.padding_idx = idx, weight.shape[0], padding_idx
        flat = xp.reshape(idx, (-1,))
        return xp.reshape(xp.take(weight, flat, axis=0), tuple(idx.shape) + (weight.shape[1],))

    @staticmethod
    def backward(ctx, grad):
        if ctx.padding_idx is not None:   # the padding row never learns
            keep = Tensor._make(ctx.xp.astype(ctx.idx != ctx.padding_idx, ctx.backend.dtypes[grad.dtype]),
                                grad.dtype, ctx.backend)
            grad = grad * keep.unsqueeze(-1)
        return _ScatterAddRows.apply(grad, idx=ctx.idx, rows=ctx.rows)


class _ScatterAddRows(Op):
    """y = zeros(rows, D) with y[idx[k]] += x[k] (repeated indices add up).   dx = dy[idx]."""

    @staticmethod
    def forward(ctx, x, idx=None, rows=0):
        xp = ctx.xp
        ctx.idx = idx
        flat = xp.reshape(idx, (-1,))
        out = xp.zeros((rows, x.shape[-1]), dtype=x.dtype, device=ctx.backend.device)
        ctx.backend.scatter_add(out, (flat,), xp.reshape(x, (flat.shape[0], x.shape[-1])))
        return out

    @staticmethod
    def backward(ctx, grad):
        return _Gather.apply(grad, idx=ctx.idx)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Look up rows of ``weight`` (one vector per index)."""
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding)")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("learntorch's embedding does not support max_norm, scale_grad_by_freq or sparse")
    if input.device != weight.device:
        from .. import _errors
        _errors.fail("devices", a=weight.device, b=input.device)
    if input.numel():
        lo, hi = _on_host(input._backend.xp.stack([input._backend.xp.min(input._data),
                                                     input._backend.xp.max(input._data)]), input._backend)
        if lo < 0 or hi >= weight.shape[0]:
            raise IndexError("index out of range in self")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return _Gather.apply(weight, idx=input._data, padding_idx=padding_idx)


class EmbeddingBag(Op):
    """y[b] = sum / mean / max over the bag's rows w[idx[m]] (times per_sample_weights[m] for 'sum').

    d w[idx[m]] += dy[bag[m]] * (psw[m], or 1 / count[bag], or 1 where m gave the max);
    d psw[m] = <dy[bag[m]], w[idx[m]]>.   Host arrays: ``pos`` (B, L) the elements of each bag, ``valid``."""
    grad_fn_name = "EmbeddingBagBackward0"

    @staticmethod
    def forward(ctx, weight, psw, idx=None, bag=None, pos=None, valid=None, count=None, mode="mean"):
        xp = ctx.xp
        rows = xp.take(weight, idx, axis=0)                                   # (M, D)
        if psw is not None:
            rows = rows * xp.reshape(psw, (-1, 1))
        g = xp.take(rows, xp.reshape(pos, (-1,)), axis=0)
        g = xp.reshape(g, tuple(pos.shape) + (weight.shape[1],))              # (B, L, D)
        v = xp.reshape(valid, tuple(valid.shape) + (1,))
        ctx.mode, ctx.idx, ctx.bag, ctx.count, ctx.rows = mode, idx, bag, count, weight.shape[0]
        ctx.save_for_backward(weight if psw is not None else None, psw)
        if mode == "max":
            g = xp.where(v, g, xp.full_like(g, -math.inf))
            best = xp.argmax(g, axis=1, keepdims=True)                       # (B, 1, D)
            ctx.best = xp.take_along_axis(xp.reshape(pos, tuple(pos.shape) + (1,)) + xp.zeros_like(best),
                                          best, axis=1)[:, 0, :]             # the element m of each max
            out = xp.take_along_axis(g, best, axis=1)[:, 0, :]
            return xp.where(out == -math.inf, xp.zeros_like(out), out)      # empty bags give zeros
        out = xp.sum(xp.where(v, g, xp.zeros_like(g)), axis=1)
        if mode == "mean":
            out = out / xp.reshape(xp.astype(xp.maximum(count, xp.ones_like(count)), out.dtype), (-1, 1))
        return out

    @staticmethod
    def backward(ctx, grad):
        xp, b = ctx.xp, ctx.backend
        weight, psw = ctx.saved_tensors
        need_w, need_psw = ctx.needs_input_grad
        keep = ctx.bag >= 0                                                    # (elements in no bag: -1)
        bag = xp.where(keep, ctx.bag, xp.zeros_like(ctx.bag))
        per = grad.index_select(0, Tensor._make(bag, _dtype.int64, b))       # (M, D): each element's dy
        gw = gpsw = None
        if ctx.mode == "max":
            m = xp.reshape(xp.arange(ctx.idx.shape[0], device=b.device), (-1, 1))
            hit = (xp.take(ctx.best, bag, axis=0) == m) & xp.reshape(keep, (-1, 1))     # (M, D)
            per = per * Tensor._make(xp.astype(hit, b.dtypes[grad.dtype]), grad.dtype, b)
        else:
            scale = xp.astype(keep, b.dtypes[grad.dtype])
            if ctx.mode == "mean":
                c = xp.take(ctx.count, bag, axis=0)
                scale = scale / xp.astype(xp.maximum(c, xp.ones_like(c)), scale.dtype)
            per = per * Tensor._make(xp.reshape(scale, (-1, 1)), grad.dtype, b)
        if need_psw:
            gpsw = (per * weight.index_select(0, Tensor._make(ctx.idx, _dtype.int64, b))).sum(-1)
        if need_w:
            if psw is not None:
                per = per * psw.unsqueeze(-1)
            gw = _ScatterAddRows.apply(per, idx=ctx.idx, rows=ctx.rows)
        return gw, gpsw


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Sums, means or maxima of "bags" of embeddings without building the (bag, length, D) tensor.

    2-D input (B, N): B bags of N indices.  1-D input + ``offsets``: bag i is input[offsets[i]:offsets[i+1]]."""
    import numpy as np
    from .. import _errors
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        _errors.fail("bag_psw_shape", p=per_sample_weights.shape, x=input.shape)
    if weight.ndim != 2:
        _errors.fail("bag_weight_dims", d=weight.ndim)
    if input.ndim == 2:
        if offsets is not None:
            _errors.fail("bag_offsets_2d", t="<class 'torch.Tensor'>" if isinstance(offsets, Tensor) else type(offsets))
        B, N = input.shape
        offsets, include_last_offset = np.arange(0, B * N, N) if N else np.zeros(B, np.int64), False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.ndim == 1:
        if offsets is None:
            _errors.fail("bag_offsets_none")
        if offsets.ndim != 1:
            _errors.fail("bag_offsets_1d")
        offsets = np.asarray(_on_host(offsets._data, offsets._backend)).astype(np.int64)
    else:
        _errors.fail("bag_input_dims", d=input.ndim)
    if mode not in ("sum", "mean", "max"):
        _errors.fail("bag_mode")
    if mode == "max" and scale_grad_by_freq:
        _errors.fail("bag_max_freq")
    if mode == "max" and sparse:
        _errors.fail("bag_max_sparse")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("learntorch's embedding_bag does not support max_norm, scale_grad_by_freq or "
                                  "sparse")
    if per_sample_weights is not None and mode != "sum":
        _errors.fail("bag_psw_mode", mode=mode)
    if input.dtype not in (_dtype.int64, _dtype.int32):
        _errors.fail("bag_index_dtype", t=input.type())
    M = input.shape[0]
    if len(offsets) and offsets[0] != 0:
        _errors.fail("bag_offsets_first", o=int(offsets[0]))
    if len(offsets) and offsets[-1] > M:
        _errors.fail("bag_offsets_last", n=M, o=int(offsets[-1]))
    idx = np.asarray(_on_host(input._data, input._backend)).astype(np.int64)
    bad = (idx < 0) | (idx >= weight.shape[0])
    if bad.any():
        k = int(np.argmax(bad))
        _errors.fail("bag_index_range", i=k, v=int(idx[k]), n=weight.shape[0])
    ends = np.append(offsets[1:], M) if not include_last_offset else offsets[1:]
    starts = offsets[:len(ends)]
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    bag = np.full(M, -1, np.int64)              # -1: in no bag (after the last offset) or padding_idx
    for i, (a, e) in enumerate(zip(starts, ends)):
        bag[a:e] = i
    if padding_idx is not None:
        bag[idx == padding_idx] = -1
    count = np.bincount(bag[bag >= 0], minlength=len(starts)).astype(np.int64)
    L = int(count.max()) if len(count) else 0
    order = np.argsort(np.where(bag >= 0, bag, len(starts)), kind="stable")
    pos, valid = np.zeros((len(starts), L), np.int64), np.zeros((len(starts), L), bool)
    first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    for i in range(len(starts)):
        pos[i, :count[i]] = order[first[i]:first[i] + count[i]]
        valid[i, :count[i]] = True
    be = weight._backend
    return EmbeddingBag.apply(weight, per_sample_weights, idx=be.from_numpy(idx), bag=be.from_numpy(bag),
                              pos=be.from_numpy(pos), valid=be.from_numpy(valid), count=be.from_numpy(count),
                              mode=mode)


def one_hot(tensor, num_classes=-1):
    """int64 tensor with a 1 at each index: shape (*tensor.shape, num_classes)."""
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    b = tensor._backend
    xp = b.xp
    if tensor.numel() == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        lo, hi = (int(v) for v in _on_host(xp.stack([xp.min(tensor._data), xp.max(tensor._data)]), b))
        if lo < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = hi + 1
        elif hi >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    classes = xp.arange(num_classes, device=b.device)
    out = xp.astype(tensor._data[..., None] == classes, xp.int64)
    return Tensor._make(out, _dtype.int64, b)


class ConstantPadNd(Op):
    """y = x surrounded by ``value`` (a negative amount crops).   dx = dy with the padding cut off
    (that is: pad dy by the negative amounts)."""

    @staticmethod
    def forward(ctx, x, pad=(), value=0.0):
        xp = ctx.xp
        ctx.pad = pad
        shape, src, dst = list(x.shape), [slice(None)] * x.ndim, [slice(None)] * x.ndim
        for k in range(len(pad) // 2):        # pad = (last-dim left, last-dim right, 2nd-last left, ...)
            d = x.ndim - 1 - k
            lo, hi = pad[2 * k], pad[2 * k + 1]
            size = x.shape[d]
            start, stop = max(-lo, 0), size - max(-hi, 0)
            shape[d] = size + lo + hi
            src[d] = slice(start, max(stop, start))
            dst[d] = slice(max(lo, 0), max(lo, 0) + max(stop - start, 0))
        out = xp.full(tuple(shape), value, dtype=x.dtype, device=ctx.backend.device)
        out[tuple(dst)] = x[tuple(src)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return ConstantPadNd.apply(grad, pad=tuple(-p for p in ctx.pad), value=0.0)


def pad(input, pad, mode="constant", value=None):
    """Pad the last dims: ``pad=(left, right)`` for the last dim, then ``(top, bottom)`` for the one before ...

    Modes (填充方式): 'constant' (``value``), 'reflect' (mirror, edge not repeated: 3 2 | 1 2 3 | 2 1),
    'replicate' (repeat the edge: 1 1 | 1 2 3 | 3 3), 'circular' (wrap around: 2 3 | 1 2 3 | 1 2)."""
    from .. import _errors
    if mode not in ("constant", "reflect", "replicate", "circular"):
        _errors.fail("pad_mode_unknown", mode=mode)
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if mode != "constant":
        return _pad_by_index(input, pad, mode, value)
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.ndim}")
    for k in range(len(pad) // 2):
        d = input.ndim - 1 - k
        new = input.shape[d] + pad[2 * k] + pad[2 * k + 1]
        if new < 0:
            raise RuntimeError(f"The input size {input.shape[d]}, plus negative padding {pad[2 * k]} and "
                               f"{pad[2 * k + 1]} resulted in a negative output size, which is invalid. "
                               f"Check dimension {d} of your input.")
    return ConstantPadNd.apply(input, pad=pad, value=0.0 if value is None else value)


def _pad_source(mode, size, lo, hi):
    """Which input position each output position copies along one dim (a host array)."""
    import numpy as np
    j = np.arange(-lo, size + hi)
    if mode == "reflect":
        j = np.abs(j)
        j = np.where(j >= size, 2 * (size - 1) - j, j)
    elif mode == "replicate":
        j = np.clip(j, 0, size - 1)
    else:                                      # circular: negative amounts crop first, the rest wraps around
        start = max(-lo, 0)
        kept = size - start - max(-hi, 0)
        j = np.arange(-max(lo, 0), kept + max(hi, 0)) % max(kept, 1) + start
    return j


def _pad_by_index(input, pad, mode, value):
    """'reflect', 'replicate', 'circular': gather the input along each padded dim (index_select),
    so the gradient adds every copy back to its source (index_add)."""
    from .. import _errors
    if value is not None and value != 0:
        _errors.fail("pad_mode_value", mode=mode)
    n, nd = len(pad) // 2, input.ndim
    if n not in (1, 2, 3) or nd not in (n + 1, n + 2):
        _errors.fail("pad_mode_dims", n=len(pad), d=nd)
    if mode != "circular" and any(s == 0 for s in input.shape[nd - n - 1 if nd == n + 1 else 1:]):
        _errors.fail("pad_mode_empty", a=n + 1, b=n + 2, shape=list(input.shape))
    b = input._backend
    out = input
    for k in range(n):
        d, lo, hi = nd - 1 - k, pad[2 * k], pad[2 * k + 1]
        size = input.shape[d]
        if mode == "reflect" and (lo >= size or hi >= size):
            _errors.fail("pad_reflect_size", arg=4 + 2 * k, lo=lo, hi=hi, d=d, shape=list(input.shape))
        if mode == "circular" and (lo > size or hi > size):
            _errors.fail("pad_circular_wrap")
        if mode == "circular" and size + min(lo, 0) + min(hi, 0) < 0:
            _errors.fail("pad_circular_empty")
        if mode != "circular" and n == 1 and size + lo + hi < 1:
            _errors.fail("pad_too_small", w=size, out=size + lo + hi)
        idx = Tensor._make(b.from_numpy(_pad_source(mode, size, lo, hi)), _dtype.int64, b)
        out = out.index_select(d, idx)
    if out.grad_fn is not None:
        name = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0"}
        out.grad_fn.grad_fn_name = name[mode].format(n) if mode in name else "CopySlices"
    return out


class _VectorNorm(Op):
    """n = (sum |x|^p)^(1/p) along ``dim`` (kept).   dn/dx = sign(x) |x|^(p-1) / n^(p-1) (0 where n = 0)."""
    grad_fn_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p=2.0, dim=1):
        xp = ctx.xp
        a = xp.abs(x)
        if p == 2:
            n = xp.sqrt(xp.sum(a * a, axis=dim, keepdims=True))
            safe = xp.where(n == 0, xp.ones_like(n), n)
            d = xp.where(n == 0, xp.zeros_like(x), x / safe)
        else:
            n = xp.sum(a ** p, axis=dim, keepdims=True) ** (1 / p)
            safe = xp.where(n == 0, xp.ones_like(n), n)
            d = xp.where(n == 0, xp.zeros_like(x), xp.sign(x) * (a / safe) ** (p - 1))
        ctx.save_for_backward(d)
        return n

    @staticmethod
    def backward(ctx, grad):
        d, = ctx.saved_tensors
        return grad * d


class _ClampMin(Op):
    """y = max(x, lo).   dy/dx = 1 where x >= lo, else 0."""
    grad_fn_name = "ClampMinBackward0"

    @staticmethod
    def forward(ctx, x, lo=0.0):
        ctx.save_for_backward(ctx.xp.astype(x >= lo, x.dtype))
        return ctx.xp.clip(x, min=lo)

    @staticmethod
    def backward(ctx, grad):
        keep, = ctx.saved_tensors
        return grad * keep


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(||x||_p, eps) along ``dim``: unit-length vectors."""
    from .. import _errors
    d = _errors.check_dim(dim, input.ndim)
    denom = _ClampMin.apply(_VectorNorm.apply(input, p=float(p), dim=d), lo=eps)
    return input / denom.expand_as(input)


# =============================================================================
# Normalisation layers: batch_norm, layer_norm (归一化)
# =============================================================================

class _Normalize(Op):
    """y = (x - mean) / sqrt(var + eps) * w + b, statistics over ``dims`` (biased variance).

    With xhat = (x - mean) / sqrt(var + eps) and g = dy * w:
    dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps),  dw = sum(dy * xhat),  db = sum(dy).
    In evaluation mode (given ``mean``/``var``) the statistics are constants: dx = g / sqrt(var + eps).
    """

    @staticmethod
    def forward(ctx, x, w, b, dims=(), eps=1e-5, shape=(), mean=None, var=None, stats=None):
        xp = ctx.xp
        ctx.dims, ctx.eps, ctx.shape, ctx.batch_stats = dims, eps, shape, mean is None
        if mean is None:
            mean = xp.mean(x, axis=dims, keepdims=True)
            var = xp.mean((x - mean) ** 2, axis=dims, keepdims=True)
            if stats is not None:       # handed back for BatchNorm's running averages
                stats["mean"], stats["var"] = mean, var
        invstd = 1 / xp.sqrt(var + eps)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(x, w, xhat, invstd)
        y = xhat
        if w is not None:
            y = y * xp.reshape(w, shape)
        if b is not None:
            y = y + xp.reshape(b, shape)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, w, xhat, invstd = ctx.saved_tensors
        dims = ctx.dims
        if ctx.batch_stats and grad_mode.is_grad_enabled():   # create_graph: recompute, differentiably
            xc = x - x.mean(dims, keepdim=True)
            invstd = ((xc * xc).mean(dims, keepdim=True) + ctx.eps) ** -0.5
            xhat = xc * invstd
        g = grad * w.reshape(ctx.shape) if w is not None else grad
        if ctx.batch_stats:
            gx = (g - g.mean(dims, keepdim=True) - xhat * (g * xhat).mean(dims, keepdim=True)) * invstd
        else:
            gx = g * invstd
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        param_dims = tuple(d for d in range(grad.ndim) if ctx.shape[d] == 1)
        gw = (grad * xhat).sum(param_dims).reshape(w.shape) if need_w else None
        gb = grad.sum(param_dims).reshape(w.shape if w is not None else (-1,)) if need_b else None
        return (gx if need_x else None), gw, gb


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Normalise each channel (dim 1) over the batch (and spatial dims).

    Training uses the batch's statistics and updates the running averages in place:
    running = (1 - momentum) * running + momentum * batch (unbiased variance);
    evaluation uses the running averages."""
    C = input.shape[1] if input.ndim > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != C:
            raise RuntimeError(f"{name} should contain {C} elements not {t.numel()}")
    dims = (0,) + tuple(range(2, input.ndim))
    n = input.numel() // max(C, 1)
    if training and n <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    shape = (1, C) + (1,) * (input.ndim - 2)
    xp = input._backend.xp
    if not training:
        mean = xp.reshape(running_mean._data, shape)
        var = xp.reshape(running_var._data, shape)
        out = _Normalize.apply(input, weight, bias, dims=dims, eps=eps, shape=shape, mean=mean, var=var)
    else:
        stats = {}
        out = _Normalize.apply(input, weight, bias, dims=dims, eps=eps, shape=shape, stats=stats)
        if running_mean is not None:
            _update_running(running_mean, xp.reshape(stats["mean"], (C,)), momentum)
        if running_var is not None:
            _update_running(running_var, xp.reshape(stats["var"], (C,)) * (n / (n - 1)), momentum)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "NativeBatchNormBackward0"
    return out


def _update_running(buf, value, momentum):
    xp = buf._backend.xp
    buf._data[...] = buf._data * (1 - momentum) + xp.astype(value, buf._data.dtype) * momentum
    buf._vc[0] += 1


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims of each sample."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized_shape))}], but got input of size"
                           f"{list(input.shape)}")
    dims = tuple(range(input.ndim - k, input.ndim))
    shape = (1,) * (input.ndim - k) + normalized_shape
    out = _Normalize.apply(input, weight, bias, dims=dims, eps=eps, shape=shape)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "NativeLayerNormBackward0"
    return out


# =============================================================================
# Convolution and pooling (卷积与池化): windows cut out of the image
# =============================================================================

def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _windows_array(xp, x, kernel, stride, padding, dilation, out_size, fill, device):
    """cols[n, c, k, oh, ow] = x_padded[n, c, oh*sh + i*dh, ow*sw + j*dw] for kernel offset k = (i, j).

    One strided slice per kernel offset (kh*kw slices, each the size of the output)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (OH, OW) = kernel, stride, padding, dilation, out_size
    N, C, H, W = x.shape
    Hp = max(H + 2 * ph, (OH - 1) * sh + (kh - 1) * dh + 1)   # ceil_mode windows may hang over the edge
    Wp = max(W + 2 * pw, (OW - 1) * sw + (kw - 1) * dw + 1)
    if (Hp, Wp) != (H, W):
        padded = xp.full((N, C, Hp, Wp), fill, dtype=x.dtype, device=device)
        padded[:, :, ph:ph + H, pw:pw + W] = x
        x = padded
    parts = [x[:, :, i * dh: i * dh + (OH - 1) * sh + 1: sh, j * dw: j * dw + (OW - 1) * sw + 1: sw]
             for i in range(kh) for j in range(kw)]
    return xp.stack(parts, axis=2)


def _fold_array(xp, cols, kernel, stride, padding, dilation, out_size, in_size, device):
    """The adjoint of ``_windows_array``: add every window entry back where it came from."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (H, W) = kernel, stride, padding, dilation, in_size
    N, C, K, OH, OW = cols.shape
    Hp = max(H + 2 * ph, (OH - 1) * sh + (kh - 1) * dh + 1)
    Wp = max(W + 2 * pw, (OW - 1) * sw + (kw - 1) * dw + 1)
    out = xp.zeros((N, C, Hp, Wp), dtype=cols.dtype, device=device)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + (OH - 1) * sh + 1, sh)
            colsl = slice(j * dw, j * dw + (OW - 1) * sw + 1, sw)
            out[:, :, rows, colsl] = out[:, :, rows, colsl] + cols[:, :, i * kw + j, ...]
    return out[:, :, ph:ph + H, pw:pw + W]


class Im2col(Op):
    """cols = the kernel-sized windows of x, shape (N, C, kh*kw, OH, OW).   dx = Col2im(dcols)."""

    @staticmethod
    def forward(ctx, x, geometry=None):
        ctx.geometry = geometry + ((x.shape[2], x.shape[3]),)
        return _windows_array(ctx.xp, x, *geometry, 0.0, ctx.backend.device)

    @staticmethod
    def backward(ctx, grad):
        return Col2im.apply(grad, geometry=ctx.geometry)


class Col2im(Op):
    """y = the windows added back into an image (overlaps add up).   dcols = Im2col(dy)."""

    @staticmethod
    def forward(ctx, cols, geometry=None):
        ctx.geometry = geometry[:-1]
        return _fold_array(ctx.xp, cols, *geometry, ctx.backend.device)

    @staticmethod
    def backward(ctx, grad):
        return Im2col.apply(grad, geometry=ctx.geometry)


class Convolution(Op):
    """y[n, o] = b[o] + sum_{c,i,j} w[o, c, i, j] x_pad[n, c, oh*s + i*d, ow*s + j*d].

    With cols = im2col(x) (every window as a column) it is one matrix product,
    y = W @ cols, so the gradients are matrix products too:
    dW = dy @ cols^T,  dcols = W^T @ dy (col2im adds it back into the image),  db = sum of dy."""
    grad_fn_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, geometry=None, groups=1):
        xp = ctx.xp
        ctx.one_d = one_d = x.ndim == 3                 # conv1d: a 2-D convolution of images of height 1
        x4 = xp.expand_dims(x, axis=2) if one_d else x
        w4 = xp.expand_dims(w, axis=2) if one_d else w
        N, C = x4.shape[:2]
        O, K = w4.shape[0], w4.shape[2] * w4.shape[3]
        OH, OW = geometry[-1]
        G = groups
        cols = _windows_array(xp, x4, *geometry, 0.0, ctx.backend.device)     # (N, C, K, OH, OW)
        cols = xp.reshape(cols, (N, G, (C // G) * K, OH * OW))
        wm = xp.reshape(w4, (G, O // G, (C // G) * K))
        y = xp.reshape(xp.matmul(wm, cols), (N, O, OH, OW))                   # (N, G, O/G, L) -> image
        if b is not None:
            y = y + xp.reshape(b, (1, O, 1, 1))
        ctx.geometry, ctx.groups = geometry, G
        ctx.save_for_backward(x, w, cols if ctx.needs_input_grad[1] else None)
        return y[:, :, 0, :] if one_d else y

    @staticmethod
    def backward(ctx, grad):
        x, w, cols = ctx.saved_tensors
        if ctx.one_d:
            gx, gw, gb = Convolution._backward2d(ctx, grad.unsqueeze(2), x.unsqueeze(2), w.unsqueeze(2), cols)
            return (gx.squeeze(2) if gx is not None else None), (gw.squeeze(2) if gw is not None else None), gb
        return Convolution._backward2d(ctx, grad, x, w, cols)

    @staticmethod
    def _backward2d(ctx, grad, x, w, cols):
        need_x, need_w, need_b = ctx.needs_input_grad
        N, C, H, W = x.shape
        O, K = w.shape[0], w.shape[2] * w.shape[3]
        G = ctx.groups
        OH, OW = ctx.geometry[-1]
        gy = grad.reshape(N, G, O // G, OH * OW)
        gx = gw = gb = None
        if need_w:
            if grad_mode.is_grad_enabled():   # create_graph: keep cols connected to x
                cols = Im2col.apply(x, geometry=ctx.geometry).reshape(N, G, (C // G) * K, OH * OW)
            gw = gy.matmul(cols.mT).sum(0).reshape(w.shape)
        if need_x:
            gcols = w.reshape(G, O // G, (C // G) * K).mT.matmul(gy)            # (N, G, CK/G, L)
            gx = Col2im.apply(gcols.reshape(N, C, K, OH, OW), geometry=ctx.geometry + ((H, W),))
        if need_b:
            gb = grad.sum((0, 2, 3))
        return gx, gw, gb


def _out_size(size, k, s, p, d, ceil_mode=False):
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:   # the last window must start inside the input
        out -= 1
    return out


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (really cross-correlation, as in PyTorch) of (N, C, H, W) images."""
    if input.ndim not in (3, 4):
        raise RuntimeError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                           f"{list(input.shape)}")
    if input.ndim == 3:
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    stride, dilation = _pair(stride), _pair(dilation)
    O, Cg, kh, kw = weight.shape
    if input.shape[1] != Cg * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {Cg * groups} channels, but got {input.shape[1]} "
                           "channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != O):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
                           f"{O} elements, but got bias of size {list(bias.shape)} instead")
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            if stride != (1, 1):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)]
            if total[0] % 2 or total[1] % 2:   # uneven: pad the extra row/column at the end first
                input = pad(input, (0, total[1] % 2, 0, total[0] % 2))
            padding = (total[0] // 2, total[1] // 2)
        else:
            from .. import _errors
            _errors.fail("conv_padding_string", padding=padding)
    padding = _pair(padding)
    H, W = input.shape[2] + 2 * padding[0], input.shape[3] + 2 * padding[1]
    if H < dilation[0] * (kh - 1) + 1 or W < dilation[1] * (kw - 1) + 1:
        raise RuntimeError(f"Calculated padded input size per channel: ({H} x {W}). Kernel size: "
                           f"({dilation[0] * (kh - 1) + 1} x {dilation[1] * (kw - 1) + 1}). Kernel size can't be "
                           "greater than actual input size")
    out = (_out_size(input.shape[2], kh, stride[0], padding[0], dilation[0]),
           _out_size(input.shape[3], kw, stride[1], padding[1], dilation[1]))
    geometry = ((kh, kw), stride, padding, dilation, out)
    return Convolution.apply(input, weight, bias, geometry=geometry, groups=groups)


def _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode):
    kernel = _pair(kernel_size)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _pair(stride)
    padding, dilation = _pair(padding), _pair(dilation)
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    H, W = input.shape[-2:]
    out = (_out_size(H, kernel[0], stride[0], padding[0], dilation[0], ceil_mode),
           _out_size(W, kernel[1], stride[1], padding[1], dilation[1], ceil_mode))
    if out[0] < 1 or out[1] < 1:
        C = input.shape[-3]
        raise RuntimeError(f"Given input size: ({C}x{H}x{W}). Calculated output size: ({C}x{out[0]}x{out[1]}). "
                           "Output size is too small")
    return kernel, stride, padding, dilation, out


class MaxPool2d(Op):
    """y = the largest value in each window.   dx = dy routed to the position of that maximum."""
    grad_fn_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None):
        xp = ctx.xp
        win = _windows_array(xp, x, *geometry, -math.inf, ctx.backend.device)   # (N, C, K, OH, OW)
        best = xp.argmax(win, axis=2, keepdims=True)
        ctx.geometry = geometry + ((x.shape[2], x.shape[3]),)
        ctx.best = best
        ctx.K = win.shape[2]
        return xp.take_along_axis(win, best, axis=2)[:, :, 0, ...]

    @staticmethod
    def backward(ctx, grad):
        xp, b = ctx.xp, ctx.backend
        k = xp.reshape(xp.arange(ctx.K, device=b.device), (1, 1, ctx.K, 1, 1))
        picked = Tensor._make(xp.astype(k == ctx.best, b.dtypes[grad.dtype]), grad.dtype, b)
        return Col2im.apply(grad.unsqueeze(2) * picked, geometry=ctx.geometry)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each ``kernel_size`` window (windows ``stride`` apart; default stride = kernel_size)."""
    if input.ndim not in (3, 4) or input.numel() == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if input.ndim == 3:
        out = max_pool2d(input.unsqueeze(0), kernel_size, stride, padding, dilation, ceil_mode, return_indices)
        return (out[0].squeeze(0), out[1].squeeze(0)) if return_indices else out.squeeze(0)
    geometry = _pool_geometry(input, kernel_size, stride, padding, dilation, ceil_mode)
    out = MaxPool2d.apply(input, geometry=geometry)
    if not return_indices:
        return out
    return out, _max_indices(input, geometry)


def _max_indices(input, geometry):
    """Flat (h * W + w) positions of each window's maximum, as PyTorch's ``return_indices`` gives."""
    b = input._backend
    xp = b.xp
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (OH, OW) = geometry
    win = _windows_array(xp, input._data, *geometry, -math.inf, b.device)
    k = xp.argmax(win, axis=2)                                          # (N, C, OH, OW)
    oh = xp.reshape(xp.arange(OH, device=b.device), (OH, 1))
    ow = xp.reshape(xp.arange(OW, device=b.device), (1, OW))
    row = oh * sh - ph + (k // kw) * dh
    col = ow * sw - pw + (k % kw) * dw
    return Tensor._make(xp.astype(row * input.shape[3] + col, xp.int64), _dtype.int64, b)


class AvgPool2d(Op):
    """y = sum of each window / divisor.   dx = dy / divisor spread over the window."""
    grad_fn_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None, divisor=None):
        xp = ctx.xp
        win = _windows_array(xp, x, *geometry, 0.0, ctx.backend.device)
        ctx.geometry = geometry + ((x.shape[2], x.shape[3]),)
        ctx.K = win.shape[2]
        ctx.save_for_backward(divisor)
        return xp.sum(win, axis=2) / divisor

    @staticmethod
    def backward(ctx, grad):
        divisor, = ctx.saved_tensors
        spread = (grad / divisor).unsqueeze(2).expand(grad.shape[0], grad.shape[1], ctx.K, *grad.shape[2:])
        return Col2im.apply(spread, geometry=ctx.geometry)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The average of each window (padding counts as zeros when ``count_include_pad``)."""
    if input.ndim not in (3, 4) or input.numel() == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if input.ndim == 3:
        return avg_pool2d(input.unsqueeze(0), kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override).squeeze(0)
    geometry = _pool_geometry(input, kernel_size, stride, padding, 1, ceil_mode)
    divisor = _avg_divisor(input.shape[2:], geometry, count_include_pad, divisor_override)
    divisor = input._backend.from_numpy(divisor.astype(input.dtype.np))
    return AvgPool2d.apply(input, geometry=geometry, divisor=divisor)


def _avg_divisor(in_size, geometry, count_include_pad, divisor_override):
    """How many elements each window averages, as PyTorch counts them (a small host array)."""
    import numpy as np
    (kh, kw), (sh, sw), (ph, pw), _, (OH, OW) = geometry
    if divisor_override:
        return np.full((OH, OW), float(divisor_override))
    H, W = in_size

    def extent(n_out, k, s, p, size):
        start = np.arange(n_out) * s - p
        end = np.minimum(start + k, size + p)
        whole = end - start                                  # counts padding, not the overhang
        inside = np.minimum(end, size) - np.maximum(start, 0)
        return whole if count_include_pad else inside
    return np.outer(extent(OH, kh, sh, ph, H), extent(OW, kw, sw, pw, W)).astype(np.float64)


# --- 1-D convolution and pooling (一维卷积与池化): images of height 1 ------------------------

def _single(v):
    """An int from ``v`` or a 1-tuple (conv1d's and the 1-D pools' arguments)."""
    return v if isinstance(v, int) else tuple(v)[0]


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution of (N, C, L) sequences: conv2d on images of height 1 (one node, as in PyTorch)."""
    from .. import _errors
    if input.ndim not in (2, 3):
        _errors.fail("conv_input_dims", u=2, b=3, fn="conv1d", shape=list(input.shape))
    if input.ndim == 2:
        return conv1d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    if weight.ndim != 3:
        _errors.fail("conv_weight_dims", n=weight.ndim, w=list(weight.shape), d=input.ndim, shape=list(input.shape))
    stride, dilation = _single(stride), _single(dilation)
    O, Cg, k = weight.shape
    if input.shape[1] != Cg * groups:
        _errors.fail("conv_channels", groups=groups, w=list(weight.shape), x=list(input.shape), c=Cg * groups,
                     got=input.shape[1])
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != O):
        _errors.fail("conv_bias", w=list(weight.shape), o=O, b=list(bias.shape))
    span = dilation * (k - 1)                      # the kernel covers span + 1 positions
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            _errors.fail("conv_padding_string", padding=padding)
        if padding == "same" and stride != 1:
            _errors.fail("conv_same_strided")
        if padding == "same" and span % 2:         # uneven: the extra zero goes at the end
            input = pad(input, (0, 1))
        padding = span // 2 if padding == "same" else 0
    padding = _single(padding)
    L = input.shape[2] + 2 * padding
    if L < span + 1:
        _errors.fail("conv_kernel_1d", size=L, k=span + 1)
    geometry = ((1, k), (1, stride), (0, padding), (1, dilation), (1, _out_size(input.shape[2], k, stride, padding,
                                                                                dilation)))
    return Convolution.apply(input, weight, bias, geometry=geometry, groups=groups)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each window along the last dim: max_pool2d on images of height 1."""
    from .. import _errors
    if input.ndim not in (2, 3) or any(n == 0 for n in input.shape[1:]):
        _errors.fail("max_pool1d_dims", shape=list(input.shape))
    k = _single(kernel_size)
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _single(stride)
    p, d = _single(padding), _single(dilation)
    if k <= 0:
        _errors.fail("max_pool1d_kernel", k=k)
    if s <= 0:
        _errors.fail("max_pool1d_stride", s=s)
    if p > k // 2:
        _errors.fail("max_pool1d_padding", p=p, k=k)
    n_out = _out_size(input.shape[-1], k, s, p, d, ceil_mode)
    if n_out <= 0:
        _errors.fail("max_pool1d_output", size=n_out)
    out = max_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The average of each window along the last dim: avg_pool2d on images of height 1."""
    from .. import _errors
    if input.ndim not in (2, 3):
        _errors.fail("pool1d_dims", d=input.ndim, fn="avg_pool1d")
    k = _single(kernel_size)
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _single(stride)
    if s == 0:
        _errors.fail("pool_stride_zero")
    return avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, _single(padding)), ceil_mode,
                      count_include_pad).squeeze(-2)


# --- transposed convolution (转置卷积): the adjoint of conv, "spreading" each input pixel ------------

class ConvTranspose(Op):
    """y = col2im(W^T @ x) + b: every input pixel adds a weighted copy of the kernel into the output.

    It is the gradient of conv with respect to its input, so its own gradients are convolutions:
    dx = conv(dy, W),  dW = x @ im2col(dy)^T,  db = sum of dy."""
    grad_fn_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, geometry=None, groups=1, out_size=None):
        xp = ctx.xp
        ctx.one_d = one_d = x.ndim == 3                 # conv_transpose1d: images of height 1
        x4 = xp.expand_dims(x, axis=2) if one_d else x
        w4 = xp.expand_dims(w, axis=2) if one_d else w
        N, C, H, W = x4.shape
        G, O, K = groups, w4.shape[1] * groups, w4.shape[2] * w4.shape[3]
        wm = xp.reshape(w4, (G, C // G, (O // G) * K))
        cols = xp.matmul(xp.permute_dims(wm, (0, 2, 1)), xp.reshape(x4, (N, G, C // G, H * W)))
        y = _fold_array(xp, xp.reshape(cols, (N, O, K, H, W)), *geometry, out_size, ctx.backend.device)
        if b is not None:
            y = y + xp.reshape(b, (1, O, 1, 1))
        ctx.geometry, ctx.groups = geometry, G
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None, w)
        return y[:, :, 0, :] if one_d else y

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        G = ctx.groups
        gx = gw = gb = None
        if need_x:       # conv of dy with the same weight (Convolution handles the 1-d case itself)
            gx = Convolution.apply(grad, w, None, geometry=ctx.geometry, groups=G)
        g4 = grad.unsqueeze(2) if ctx.one_d else grad
        if need_w:
            x4 = x.unsqueeze(2) if ctx.one_d else x
            N, C, H, W = x4.shape
            cols = Im2col.apply(g4, geometry=ctx.geometry)                       # (N, O, K, H, W)
            cols = cols.reshape(N, G, cols.shape[1] // G * cols.shape[2], H * W)
            gw = x4.reshape(N, G, C // G, H * W).matmul(cols.mT).sum(0).reshape(w.shape)
        if need_b:
            gb = g4.sum((0, 2, 3))
        return gx, gw, gb


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, n, fn):
    """conv_transpose1d / 2d (n spatial dims): PyTorch's checks, then one ``ConvTranspose`` node."""
    from .. import _errors
    if input.ndim not in (n + 1, n + 2):
        _errors.fail("conv_input_dims", u=n + 1, b=n + 2, fn=fn, shape=list(input.shape))
    if input.ndim == n + 1:
        return _conv_transpose(input.unsqueeze(0), weight, bias, stride, padding, output_padding, groups, dilation,
                               n, fn).squeeze(0)
    if isinstance(padding, str):
        raise TypeError(f"{fn}(): argument 'padding' must be tuple of ints, not str")
    tup = _pair if n == 2 else (lambda v: (v,) if isinstance(v, int) else tuple(v))
    stride, padding, output_padding, dilation = tup(stride), tup(padding), tup(output_padding), tup(dilation)
    if weight.ndim != n + 2:     # PyTorch complains about the stride's length for the weight's dims
        _errors.fail("convt_weight_dims", n=weight.ndim - 2, stride=list(stride))
    if weight.shape[0] % groups:
        _errors.fail("convt_groups", g=groups, w=list(weight.shape))
    C, Og, *ks = weight.shape
    if input.shape[1] != C:
        _errors.fail("convt_channels", w=list(weight.shape), x=list(input.shape), c=C, got=input.shape[1])
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != Og * groups):
        _errors.fail("convt_bias", w=list(weight.shape), o=Og * groups, b=list(bias.shape))
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        full = [((0, 1, 1)[i],) + t if n == 1 else t for i, t in enumerate((output_padding, stride, dilation))]
        (oh, ow), (sh, sw), (dh, dw) = full        # PyTorch reports 1-d as height 0 / 1 and width
        _errors.fail("convt_output_padding", oh=oh, ow=ow, sh=sh, sw=sw, dh=dh, dw=dw)
    sizes = [(L - 1) * s - 2 * p + d * (k - 1) + op + 1
             for L, s, p, d, k, op in zip(input.shape[2:], stride, padding, dilation, ks, output_padding)]
    if any(v <= 0 for v in sizes):
        _errors.fail("convt_output_size", size=list(input.shape), out=[input.shape[0], Og * groups] + sizes)
    if n == 1:   # as images of height 1
        ks, stride, padding, dilation, sizes = [1] + ks, (1,) + stride, (0,) + padding, (1,) + dilation, [1] + sizes
    geometry = (tuple(ks), stride, padding, dilation, tuple(input.shape[2:]) if n == 2 else (1, input.shape[2]))
    return ConvTranspose.apply(input, weight, bias, geometry=geometry, groups=groups, out_size=tuple(sizes))


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution ("deconvolution") of (N, C_in, L); weight (C_in, C_out/groups, k)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                           "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution of (N, C_in, H, W); weight (C_in, C_out/groups, kh, kw).

    Output size per dim: (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                           "conv_transpose2d")


# --- max unpooling (反池化): put each maximum back where max_pool found it, zeros elsewhere ---------

class MaxUnpool2d(Op):
    """y.flat[idx] = x (per plane; zeros elsewhere).   dx = dy.flat[idx] (gather)."""
    grad_fn_name = "MaxUnpool2DBackward0"

    @staticmethod
    def forward(ctx, x, indices=None, flat=None, keep=None, size=None):
        xp = ctx.xp
        N, C = x.shape[:2]
        out = xp.zeros(N * C * size[0] * size[1], dtype=x.dtype, device=ctx.backend.device)
        # a position found by two overlapping windows is written once (``keep``: its last occurrence)
        vals = xp.reshape(xp.where(keep, x, xp.zeros_like(x)), (-1,))
        out = ctx.backend.scatter_add(out, (flat,), vals)
        ctx.indices = indices
        return xp.reshape(out, (N, C) + tuple(size))

    @staticmethod
    def backward(ctx, grad):
        idx = ctx.indices
        return grad.flatten(-2).gather(-1, idx.flatten(-2)).reshape(idx.shape)


def _unpool_output_size(input, kernel, stride, padding, output_size):
    """PyTorch's rule: (in - 1) * stride + kernel - 2 * padding, or ``output_size`` within one stride of it."""
    from .. import _errors
    n = len(kernel)
    default = [(input.shape[-n + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(n)]
    if output_size is None:
        return default
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        _errors.fail("unpool_size_len", n=n, n2=n + 2, got=len(output_size))
    for d in range(n):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            _errors.fail("unpool_size_range", size=output_size, d=d, lo=lo, hi=hi)
    return list(output_size)


def _max_unpool(input, indices, size):
    """The (N, C, H, W) case: PyTorch's checks on the indices, then one ``MaxUnpool2d`` node."""
    import numpy as np
    from .. import _errors
    if input.ndim not in (3, 4):
        _errors.fail("unpool_dims", d=input.ndim)
    if indices.dtype != _dtype.int64:
        _errors.fail("unpool_index_dtype", dtype=_dtype.SHORT_NAMES.get(indices.dtype, str(indices.dtype)))
    if tuple(indices.shape) != tuple(input.shape):
        _errors.fail("unpool_index_shape", x=list(input.shape), i=list(indices.shape))
    if input.ndim == 3:
        return _max_unpool(input.unsqueeze(0), indices.unsqueeze(0), size).squeeze(0)
    b = input._backend
    N, C = input.shape[:2]
    L = size[0] * size[1]
    idx = np.asarray(_on_host(indices._data, indices._backend)).reshape(N * C, -1)
    bad = (idx < 0) | (idx >= L)
    if bad.any():
        # (with several bad indices PyTorch's threads race to report one; we report the first)
        _errors.fail("unpool_index_value", i=int(idx[bad][0]), h=size[0], w=size[1])
    flat = (idx + L * np.arange(N * C)[:, None]).reshape(-1)
    _, last = np.unique(flat[::-1], return_index=True)
    keep = np.zeros(flat.size, dtype=bool)
    keep[flat.size - 1 - last] = True
    return MaxUnpool2d.apply(input, indices=indices, flat=b.from_numpy(flat), size=tuple(size),
                             keep=b.from_numpy(keep.reshape(tuple(input.shape))))


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """A partial inverse of max_pool2d: each value goes back to its ``indices`` position, zeros elsewhere."""
    kernel = _pair(kernel_size)
    stride = kernel if stride is None else _pair(stride)
    size = _unpool_output_size(input, kernel, stride, _pair(padding), output_size)
    return _max_unpool(input, indices, size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """A partial inverse of max_pool1d (max_unpool2d on images of width 1, as in PyTorch)."""
    kernel = (_single(kernel_size),)
    stride = kernel if stride is None else (_single(stride),)
    size = _unpool_output_size(input, kernel, stride, (_single(padding),), output_size)
    return _max_unpool(input.unsqueeze(-1), indices.unsqueeze(-1), size + [1]).squeeze(-1)


# --- 3-d convolution and pooling (三维卷积与池化): windows of (N, C, D, H, W) volumes -----------------

def _windows_nd(xp, x, geometry, fill, device):
    """cols[n, c, k, *o] = x_padded[n, c, *(o * stride + i * dilation)] for each kernel offset k = (i, ...)."""
    import itertools
    kernel, stride, padding, dilation, out = geometry
    lead, size = tuple(x.shape[:2]), tuple(x.shape[2:])
    full = tuple(max(n + 2 * p, (o - 1) * s + (k - 1) * d + 1)
                 for n, k, s, p, d, o in zip(size, kernel, stride, padding, dilation, out))
    if full != size:
        padded = xp.full(lead + full, fill, dtype=x.dtype, device=device)
        padded[(slice(None), slice(None)) + tuple(slice(p, p + n) for p, n in zip(padding, size))] = x
        x = padded
    parts = [x[(slice(None), slice(None)) + tuple(slice(i * d, i * d + (o - 1) * s + 1, s)
                                                  for i, s, d, o in zip(offs, stride, dilation, out))]
             for offs in itertools.product(*(range(k) for k in kernel))]
    return xp.stack(parts, axis=2)


def _fold_nd(xp, cols, geometry, size, device):
    """The adjoint of ``_windows_nd``: add every window entry back where it came from."""
    import itertools
    kernel, stride, padding, dilation, out = geometry
    full = tuple(max(n + 2 * p, (o - 1) * s + (k - 1) * d + 1)
                 for n, k, s, p, d, o in zip(size, kernel, stride, padding, dilation, out))
    y = xp.zeros(tuple(cols.shape[:2]) + full, dtype=cols.dtype, device=device)
    for j, offs in enumerate(itertools.product(*(range(k) for k in kernel))):
        key = (slice(None), slice(None)) + tuple(slice(i * d, i * d + (o - 1) * s + 1, s)
                                                 for i, s, d, o in zip(offs, stride, dilation, out))
        y[key] = y[key] + cols[:, :, j, ...]
    return y[(slice(None), slice(None)) + tuple(slice(p, p + n) for p, n in zip(padding, size))]


class Vol2col(Op):
    """cols = the kernel-sized windows of a volume, (N, C, kd*kh*kw, *out).   dx = Col2vol(dcols)."""

    @staticmethod
    def forward(ctx, x, geometry=None):
        ctx.geometry, ctx.size = geometry, tuple(x.shape[2:])
        return _windows_nd(ctx.xp, x, geometry, 0.0, ctx.backend.device)

    @staticmethod
    def backward(ctx, grad):
        return Col2vol.apply(grad, geometry=ctx.geometry, size=ctx.size)


class Col2vol(Op):
    """y = the windows added back into a volume (overlaps add up).   dcols = Vol2col(dy)."""

    @staticmethod
    def forward(ctx, cols, geometry=None, size=None):
        ctx.geometry = geometry
        return _fold_nd(ctx.xp, cols, geometry, size, ctx.backend.device)

    @staticmethod
    def backward(ctx, grad):
        return Vol2col.apply(grad, geometry=ctx.geometry)


class Convolution3d(Op):
    """y[n, o] = b[o] + sum_{c,i,j,l} w[o, c, i, j, l] x_pad[n, c, od*s + i*d, oh*s + j*d, ow*s + l*d].

    As in 2-D: y = W @ vol2col(x),  dW = dy @ cols^T,  dx = col2vol(W^T @ dy),  db = sum of dy."""
    grad_fn_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, geometry=None, groups=1):
        xp = ctx.xp
        N, C = x.shape[:2]
        O, K, G = w.shape[0], math.prod(w.shape[2:]), groups
        out = geometry[-1]
        cols = _windows_nd(xp, x, geometry, 0.0, ctx.backend.device)             # (N, C, K, *out)
        cols = xp.reshape(cols, (N, G, (C // G) * K, math.prod(out)))
        y = xp.reshape(xp.matmul(xp.reshape(w, (G, O // G, (C // G) * K)), cols), (N, O) + tuple(out))
        if b is not None:
            y = y + xp.reshape(b, (1, O, 1, 1, 1))
        ctx.geometry, ctx.groups = geometry, G
        ctx.save_for_backward(x, w, cols if ctx.needs_input_grad[1] else None)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, w, cols = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        N, C = x.shape[:2]
        O, K, G = w.shape[0], math.prod(w.shape[2:]), ctx.groups
        out = ctx.geometry[-1]
        L = math.prod(out)
        gy = grad.reshape(N, G, O // G, L)
        gx = gw = gb = None
        if need_w:
            if grad_mode.is_grad_enabled():   # create_graph: keep cols connected to x
                cols = Vol2col.apply(x, geometry=ctx.geometry).reshape(N, G, (C // G) * K, L)
            gw = gy.matmul(cols.mT).sum(0).reshape(w.shape)
        if need_x:
            gcols = w.reshape(G, O // G, (C // G) * K).mT.matmul(gy).reshape(N, C, K, *out)
            gx = Col2vol.apply(gcols, geometry=ctx.geometry, size=tuple(x.shape[2:]))
        if need_b:
            gb = grad.sum((0, 2, 3, 4))
        return gx, gw, gb


def _triple(v):
    return (v, v, v) if isinstance(v, int) else tuple(v)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution of (N, C, D, H, W) volumes with (O, C/groups, kd, kh, kw) filters."""
    from .. import _errors
    if input.ndim not in (4, 5):
        _errors.fail("conv_input_dims", u=4, b=5, fn="conv3d", shape=list(input.shape))
    if input.ndim == 4:
        return conv3d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    stride, dilation = _triple(stride), _triple(dilation)
    if weight.ndim != 5:
        _errors.fail("convt_weight_dims", n=weight.ndim - 2, stride=list(stride))
    O, Cg, *ks = weight.shape
    if input.shape[1] != Cg * groups:
        _errors.fail("conv_channels", groups=groups, w=list(weight.shape), x=list(input.shape), c=Cg * groups,
                     got=input.shape[1])
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != O):
        _errors.fail("conv_bias", w=list(weight.shape), o=O, b=list(bias.shape))
    spans = [d * (k - 1) for d, k in zip(dilation, ks)]
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            _errors.fail("conv_padding_string", padding=padding)
        if padding == "same" and stride != (1, 1, 1):
            _errors.fail("conv_same_strided")
        if padding == "same" and any(t % 2 for t in spans):    # uneven: the extra zeros go at the end
            input = pad(input, (0, spans[2] % 2, 0, spans[1] % 2, 0, spans[0] % 2))
        padding = tuple(t // 2 for t in spans) if padding == "same" else (0, 0, 0)
    padding = _triple(padding)
    full = [n + 2 * p for n, p in zip(input.shape[2:], padding)]
    if any(n < t + 1 for n, t in zip(full, spans)):
        _errors.fail("conv3d_kernel", size=" x ".join(map(str, full)), k=" x ".join(str(t + 1) for t in spans))
    out = tuple(_out_size(n, k, s, p, d) for n, k, s, p, d in zip(input.shape[2:], ks, stride, padding, dilation))
    return Convolution3d.apply(input, weight, bias, geometry=(tuple(ks), stride, padding, dilation, out),
                               groups=groups)


def _pool3d_geometry(input, kernel_size, stride, padding, dilation, ceil_mode, avg):
    from .. import _errors
    kernel = _triple(kernel_size)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _triple(stride)
    padding, dilation = _triple(padding), _triple(dilation)
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            _errors.fail("pool3d_pad", p=p, k=k, d=d)
    size = tuple(input.shape[-3:])
    out = tuple(_out_size(n, k, s, p, d, ceil_mode) for n, k, s, p, d in zip(size, kernel, stride, padding, dilation))
    if avg and any(n + 2 * p < k for n, k, p in zip(size, kernel, padding)):
        _errors.fail("avg_pool3d_small", t=size[0], h=size[1], w=size[2], kt=kernel[0], kh=kernel[1], kw=kernel[2])
    if min(out) < 1:
        C = input.shape[-4]
        _errors.fail("pool3d_small", i="x".join(map(str, (C,) + size)), o="x".join(map(str, (C,) + out)))
    return kernel, stride, padding, dilation, out


class MaxPool3d(Op):
    """y = the largest value in each (kd, kh, kw) window.   dx = dy routed to the position of that maximum."""
    grad_fn_name = "MaxPool3DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None):
        xp = ctx.xp
        win = _windows_nd(xp, x, geometry, -math.inf, ctx.backend.device)     # (N, C, K, OD, OH, OW)
        ctx.best = best = xp.argmax(win, axis=2, keepdims=True)
        ctx.geometry, ctx.size, ctx.K = geometry, tuple(x.shape[2:]), win.shape[2]
        return xp.take_along_axis(win, best, axis=2)[:, :, 0, ...]

    @staticmethod
    def backward(ctx, grad):
        xp, b = ctx.xp, ctx.backend
        k = xp.reshape(xp.arange(ctx.K, device=b.device), (1, 1, ctx.K, 1, 1, 1))
        picked = Tensor._make(xp.astype(k == ctx.best, b.dtypes[grad.dtype]), grad.dtype, b)
        return Col2vol.apply(grad.unsqueeze(2) * picked, geometry=ctx.geometry, size=ctx.size)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each (kd, kh, kw) window of (N, C, D, H, W) volumes."""
    from .. import _errors
    if input.ndim not in (4, 5) or input.numel() == 0:
        _errors.fail("pool3d_dims")
    if input.ndim == 4:
        out = max_pool3d(input.unsqueeze(0), kernel_size, stride, padding, dilation, ceil_mode, return_indices)
        return (out[0].squeeze(0), out[1].squeeze(0)) if return_indices else out.squeeze(0)
    geometry = _pool3d_geometry(input, kernel_size, stride, padding, dilation, ceil_mode, False)
    out = MaxPool3d.apply(input, geometry=geometry)
    if not return_indices:
        return out
    b = input._backend
    xp = b.xp
    (kd, kh, kw), stride, padding, dilation, (OD, OH, OW) = geometry
    k = xp.argmax(_windows_nd(xp, input._data, geometry, -math.inf, b.device), axis=2)
    pos = []
    for axis, (off, n) in enumerate(zip((k // (kh * kw), (k // kw) % kh, k % kw), (OD, OH, OW))):
        o = xp.reshape(xp.arange(n, device=b.device), tuple(n if a == axis else 1 for a in range(3)))
        pos.append(o * stride[axis] - padding[axis] + off * dilation[axis])
    D, H, W = input.shape[2:]
    return out, Tensor._make(xp.astype((pos[0] * H + pos[1]) * W + pos[2], xp.int64), _dtype.int64, b)


class AvgPool3d(Op):
    """y = sum of each (kd, kh, kw) window / divisor.   dx = dy / divisor spread over the window."""
    grad_fn_name = "AvgPool3DBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None, divisor=None):
        xp = ctx.xp
        win = _windows_nd(xp, x, geometry, 0.0, ctx.backend.device)
        ctx.geometry, ctx.size, ctx.K = geometry, tuple(x.shape[2:]), win.shape[2]
        ctx.save_for_backward(divisor)
        return xp.sum(win, axis=2) / divisor

    @staticmethod
    def backward(ctx, grad):
        divisor, = ctx.saved_tensors
        spread = (grad / divisor).unsqueeze(2).expand(grad.shape[0], grad.shape[1], ctx.K, *grad.shape[2:])
        return Col2vol.apply(spread, geometry=ctx.geometry, size=ctx.size)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The average of each (kd, kh, kw) window (padding counts as zeros when ``count_include_pad``)."""
    import numpy as np
    from .. import _errors
    if input.ndim not in (4, 5) or input.numel() == 0:
        _errors.fail("pool3d_dims")
    if input.ndim == 4:
        return avg_pool3d(input.unsqueeze(0), kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override).squeeze(0)
    geometry = _pool3d_geometry(input, kernel_size, stride, padding, 1, ceil_mode, True)
    kernel, stride, padding, _, out = geometry
    if divisor_override:
        divisor = np.full(out, float(divisor_override))
    else:
        ext = []
        for n_out, k, s, p, n in zip(out, kernel, stride, padding, input.shape[2:]):
            start = np.arange(n_out) * s - p
            end = np.minimum(start + k, n + p)
            ext.append(end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0))
        divisor = np.einsum("i,j,k->ijk", *ext).astype(np.float64)
    divisor = input._backend.from_numpy(divisor.astype(input.dtype.np))
    return AvgPool3d.apply(input, geometry=geometry, divisor=divisor)


class AdaptiveAvgPool3d(Op):
    """y = the mean of x over each adaptive window = x averaged along D, H, W by matrices Pd, Ph, Pw.

    dx = the same with the transposed matrices (each window's mean spreads its gradient evenly)."""
    grad_fn_name = "AdaptiveAvgPool3DBackward0"

    @staticmethod
    def forward(ctx, x, out_size=(1, 1, 1), dtype=None):
        xp, b = ctx.xp, ctx.backend
        lead, size = tuple(x.shape[:-3]), tuple(x.shape[-3:])
        ctx.mats = mats = [_pool_matrix(_adaptive_windows(n, o), n, dtype, b)
                           for n, o in zip(size, out_size)]
        Pd, Ph, Pw = (m._data for m in mats)
        y = xp.matmul(Ph, xp.matmul(x, xp.matrix_transpose(Pw)))                 # (..., D, OH, OW)
        y = xp.matmul(Pd, xp.reshape(y, lead + (size[0], out_size[1] * out_size[2])))
        return xp.reshape(y, lead + tuple(out_size))

    @staticmethod
    def backward(ctx, grad):
        Pd, Ph, Pw = ctx.mats
        lead, (OD, OH, OW) = grad.shape[:-3], grad.shape[-3:]
        g = Pd.mT.matmul(grad.reshape(*lead, OD, OH * OW)).reshape(*lead, Pd.shape[1], OH, OW)
        return Ph.mT.matmul(g).matmul(Pw)


def adaptive_avg_pool3d(input, output_size):
    """Average pooling of (N, C, D, H, W) volumes to a fixed output size (OD, OH, OW)."""
    from .. import _errors
    if input.ndim not in (4, 5):
        _errors.fail("adaptive_avg3d_dims", shape=list(input.shape))
    size = (output_size,) * 3 if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 3:
        _errors.fail("adaptive_avg3d_size")
    for d in range(input.ndim - 3, input.ndim):
        if input.shape[d] == 0:
            _errors.fail("adaptive_empty", fn="adaptive_avg_pool3d", shape=list(input.shape), d=d)
    size = tuple(input.shape[-3 + i] if v is None else int(v) for i, v in enumerate(size))
    if size == (1, 1, 1):        # PyTorch takes the mean here (global average pooling)
        return input.mean((-1, -2, -3), keepdim=True)
    return AdaptiveAvgPool3d.apply(input, out_size=size, dtype=input.dtype)


# --- power-average pooling (幂平均池化): (sum of x^p over the window)^(1/p) ---------------------------

def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, n):
    mx, avg = (max_pool1d, avg_pool1d) if n == 1 else (max_pool2d, avg_pool2d)
    if norm_type == math.inf:
        return mx(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -mx(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    count = _single(kernel_size) if n == 1 else math.prod(_pair(kernel_size))
    return (_ew.sign(out) * relu(out.abs())).mul(count).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(sum of x^p over each window)^(1/p) along the last dim: p = 1 is sum pooling, p = inf max pooling."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(sum of x^p over each (kh, kw) window)^(1/p): p = 1 is sum pooling, p = inf max pooling."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


# --- adaptive pooling (自适应池化): the windows are chosen to give the requested output size -----

def _adaptive_windows(size, n_out):
    """Window o covers [floor(o size / n_out), ceil((o + 1) size / n_out)), as in PyTorch.

    Returns host arrays: ``idx`` (n_out, kmax) positions (short windows repeat their last one),
    ``valid`` (n_out, kmax) which of them really belong to the window, ``start`` and ``count``."""
    import numpy as np
    o = np.arange(n_out)
    start = (o * size) // n_out
    end = -((-(o + 1) * size) // n_out)
    count = end - start
    kmax = int(count.max()) if n_out else 0
    j = np.arange(kmax)
    valid = j[None, :] < count[:, None]
    idx = np.minimum(start[:, None] + j[None, :], end[:, None] - 1)
    return idx, valid, start, count


def _adaptive_gather(xp, backend, x, wh, ww):
    """g[..., oh, i, ow, j] = x[..., idx_h[oh, i], idx_w[ow, j]]: every window, padded to the largest."""
    (ih, vh, _, _), (iw, vw, _, _) = wh, ww
    rows = xp.take(x, backend.from_numpy(ih.reshape(-1)), axis=x.ndim - 2)
    g = xp.take(rows, backend.from_numpy(iw.reshape(-1)), axis=x.ndim - 1)
    lead = tuple(x.shape[:-2])
    g = xp.reshape(g, lead + (ih.shape[0], ih.shape[1], iw.shape[0], iw.shape[1]))
    valid = backend.from_numpy(vh[:, :, None, None] & vw[None, None, :, :])
    return g, valid


def _pool_matrix(win, size, dtype, backend):
    """P (n_out, size): P[o, i] = 1 / count[o] inside window o (average = P @ x)."""
    import numpy as np
    idx, valid, start, count = win
    P = np.zeros((len(count), size))
    for o in range(len(count)):
        P[o, start[o]:start[o] + count[o]] = 1.0 / count[o]
    return Tensor._make(backend.from_numpy(P.astype(dtype.np)), dtype, backend)


class AdaptiveAvgPool2d(Op):
    """y[oh, ow] = the mean of x over window (oh, ow).   dx = Ph^T dy Pw  (P: the averaging matrices)."""
    grad_fn_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out_size=(1, 1)):
        xp, b = ctx.xp, ctx.backend
        wh = _adaptive_windows(x.shape[-2], out_size[0])
        ww = _adaptive_windows(x.shape[-1], out_size[1])
        ctx.windows, ctx.in_size = (wh, ww), tuple(x.shape[-2:])
        g, valid = _adaptive_gather(xp, b, x, wh, ww)
        total = xp.sum(xp.where(valid, g, xp.zeros_like(g)), axis=(-3, -1))
        count = b.from_numpy(wh[3][:, None] * ww[3][None, :])                # window sizes (OH, OW)
        return total / xp.astype(count, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (wh, ww), (H, W) = ctx.windows, ctx.in_size
        Ph = _pool_matrix(wh, H, grad.dtype, grad._backend)
        Pw = _pool_matrix(ww, W, grad.dtype, grad._backend)
        return Ph.mT.matmul(grad).matmul(Pw)


def _adaptive_size(input, output_size, fn, dims_key, size_key):
    """The (OH, OW) output size, ``None`` meaning "as the input", with PyTorch's checks."""
    from .. import _errors
    if input.ndim not in (3, 4):
        _errors.fail(dims_key, shape=list(input.shape))
    size = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 2:
        _errors.fail(size_key)
    for d in range(input.ndim - 2, input.ndim):
        if input.shape[d] == 0:
            _errors.fail("adaptive_empty", fn=fn, shape=list(input.shape), d=d)
    return tuple(input.shape[-2 + i] if v is None else int(v) for i, v in enumerate(size))


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (OH, OW), whatever the input's size."""
    size = _adaptive_size(input, output_size, "adaptive_avg_pool2d", "adaptive_avg2d_dims", "adaptive_avg2d_size")
    if size == (1, 1):            # PyTorch takes the mean here (global average pooling)
        return input.mean((-1, -2), keepdim=True)
    return AdaptiveAvgPool2d.apply(input, out_size=size)


def _adaptive_1d(input, output_size, fn):
    from .. import _errors
    if input.ndim not in (2, 3):
        _errors.fail("pool1d_dims", d=input.ndim, fn=fn)
    if output_size is None:
        raise TypeError(f"{fn}(): argument 'output_size' (position 2) must be tuple of ints, not NoneType")
    size = (output_size,) if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 1:
        _errors.fail("adaptive1d_size", fn=fn, n=len(size))
    return size[0]


def adaptive_avg_pool1d(input, output_size):
    """Average pooling to a fixed output length."""
    n = _adaptive_1d(input, output_size, "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, n)).squeeze(-2)


def _adaptive_max_indices(input, size):
    """Flat positions (h * W + w) of each adaptive window's maximum (the first one)."""
    b = input._backend
    xp = b.xp
    H, W = input.shape[-2:]
    wh, ww = _adaptive_windows(H, size[0]), _adaptive_windows(W, size[1])
    g, valid = _adaptive_gather(xp, b, input._data, wh, ww)              # (..., OH, kh, OW, kw)
    g = xp.where(valid, g, xp.full_like(g, -math.inf))
    nd = g.ndim
    g = xp.permute_dims(g, tuple(range(nd - 4)) + (nd - 4, nd - 2, nd - 3, nd - 1))
    lead = tuple(g.shape[:-2])
    kh, kw = g.shape[-2:]
    k = xp.argmax(xp.reshape(g, lead + (kh * kw,)), axis=-1)
    row = b.from_numpy(wh[2].reshape(-1, 1)) + k // kw
    col = b.from_numpy(ww[2].reshape(1, -1)) + k % kw
    return Tensor._make(xp.astype(row * W + col, xp.int64), _dtype.int64, b)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed output size (OH, OW); ``return_indices`` also gives where each max was."""
    size = _adaptive_size(input, output_size, "adaptive_max_pool2d", "adaptive_max2d_dims", "adaptive_max2d_size")
    with grad_mode.no_grad():
        idx = _adaptive_max_indices(input, size)
    out = input.flatten(-2).gather(-1, idx.flatten(-2)).unflatten(-1, size)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "AdaptiveMaxPool2DBackward0"
    return (out, idx) if return_indices else out


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling to a fixed output length."""
    n = _adaptive_1d(input, output_size, "adaptive_max_pool1d")
    out, idx = adaptive_max_pool2d(input.unsqueeze(-2), (1, n), True)
    return (out.squeeze(-2), idx.squeeze(-2)) if return_indices else out.squeeze(-2)


# =============================================================================
# Upsampling (上采样 / 插值): each output position reads a few input positions ("taps")
# =============================================================================

_INTERP_DIMS = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
_INTERP_NODE = {"nearest": "Nearest", "nearest-exact": "NearestExact", "linear": "Linear", "bilinear": "Bilinear",
                "bicubic": "Bicubic", "trilinear": "Trilinear"}


def _interp_taps(mode, in_size, out_size, scale_factor, align_corners, dtype):
    """Along one dim, as PyTorch computes it (in float32, or float64 for double inputs): the input
    positions ``idx`` (out_size, taps) each output reads and their weights ``w`` (None for nearest).

    nearest: i = floor(o * scale);  nearest-exact: i = floor((o + 0.5) * scale);  scale = in/out
    (or 1/scale_factor).  linear: src = (o + 0.5) * scale - 0.5 (align_corners: o * (in-1)/(out-1)),
    reads floor(src) and the next one with weights 1 - t, t (t = src - floor(src)).  bicubic: four
    taps around src with Keys' cubic weights (A = -0.75), positions clamped to the edge."""
    import numpy as np
    o = np.arange(out_size)
    given = scale_factor is not None and scale_factor > 0
    if mode in ("nearest", "nearest-exact"):
        scale = np.float32(1.0 / scale_factor) if given else np.float32(in_size) / np.float32(out_size)
        if mode == "nearest" and out_size == in_size:
            idx = o
        elif mode == "nearest" and out_size == 2 * in_size:
            idx = o >> 1
        elif mode == "nearest":
            idx = np.floor(o.astype(np.float32) * scale).astype(np.int64)
        else:
            idx = np.floor((o + 0.5) * np.float64(scale)).astype(np.int64)
        return np.minimum(idx, in_size - 1)[:, None], None
    ft = np.float64 if dtype is _dtype.float64 else np.float32
    if align_corners:
        scale = ft(in_size - 1) / ft(out_size - 1) if out_size > 1 else ft(0)
        src = scale * o.astype(ft)
    else:
        scale = ft(1.0 / scale_factor) if given else ft(in_size) / ft(out_size)
        src = scale * (o.astype(ft) + ft(0.5)) - ft(0.5)
        if mode != "bicubic":
            src = np.maximum(src, ft(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    t = np.clip(src - i0.astype(ft), ft(0), ft(1))
    if mode != "bicubic":
        idx = np.stack([i0, i0 + (i0 < in_size - 1)], axis=1)
        w = np.stack([ft(1) - t, t], axis=1)
    else:
        A = ft(-0.75)
        near = lambda x: ((A + 2) * x - (A + 3)) * x * x + 1           # |x| <= 1  # noqa: E731
        far = lambda x: ((A * x - 5 * A) * x + 8 * A) * x - 4 * A      # 1 < |x| < 2  # noqa: E731
        idx = np.clip(i0[:, None] + np.arange(-1, 3)[None, :], 0, in_size - 1)
        w = np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], axis=1)
    return idx, w.astype(dtype.np)


def _tap_matrix(taps, in_size, like):
    """M (out, in) with M[o, i] = the weight with which output o reads input i (a Tensor like ``like``)."""
    import numpy as np
    idx, w = taps
    M = np.zeros((idx.shape[0], in_size))
    np.add.at(M, (np.arange(idx.shape[0])[:, None], idx), 1.0 if w is None else w.astype(np.float64))
    return Tensor._make(like._backend.from_numpy(M.astype(like.dtype.np)), like.dtype, like._backend)


class Upsample(Op):
    """y[o] = sum_t w[o, t] x[idx[o, t]] along each resized dim (1 tap nearest, 2 linear, 4 cubic).

    Linear in x: y = M x per dim, so dx = M^T dy (every output hands its gradient back to the inputs it read)."""

    @staticmethod
    def forward(ctx, x, taps=()):
        xp, b = ctx.xp, ctx.backend
        ctx.taps, ctx.in_shape = taps, tuple(x.shape)
        k = len(taps)
        for d in reversed(range(k)):          # the last dim first, as PyTorch nests its loops
            axis = x.ndim - k + d
            idx, w = taps[d]
            shape = [1] * x.ndim
            shape[axis] = idx.shape[0]
            y = None
            for j in range(idx.shape[1]):
                part = xp.take(x, b.from_numpy(idx[:, j]), axis=axis)
                if w is not None:
                    part = part * xp.reshape(b.from_numpy(w[:, j]), tuple(shape))
                y = part if y is None else y + part
            x = y
        return x

    @staticmethod
    def backward(ctx, grad):
        k = len(ctx.taps)
        for d in range(k):
            axis = grad.ndim - k + d
            M = _tap_matrix(ctx.taps[d], ctx.in_shape[axis], grad)
            grad = grad.movedim(axis, -1).matmul(M).movedim(-1, axis)
        return grad


def _interp_sizes(input, size, scale_factor, recompute_scale_factor):
    """Output sizes and the scale factors PyTorch hands to its kernels (None: computed from the sizes)."""
    from .. import _errors
    dim = input.ndim - 2
    if size is not None and scale_factor is not None:
        _errors.fail("interp_size_and_scale")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                _errors.fail("interp_size_len", shape=list(input.shape[2:]), size=size)
            if not all(isinstance(s, int) or (isinstance(s, Tensor) and not s.dtype.is_floating_point)
                       for s in size):
                _errors.fail("interp_size_type", types=[type(s) for s in size])
            out = [int(s) for s in size]
        else:
            out = [int(size)] * dim
        if recompute_scale_factor:
            _errors.fail("interp_recompute")
        return out, [None] * dim
    if scale_factor is None:
        _errors.fail("interp_no_size")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dim:
            _errors.fail("interp_scale_len", shape=list(input.shape[2:]), scale=scale_factor)
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * dim
    out = [math.floor(n * s) for n, s in zip(input.shape[2:], scales)]
    return out, ([None] * dim if recompute_scale_factor else scales)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """Resize the spatial dims of (N, C, L), (N, C, H, W) or (N, C, D, H, W) to ``size`` (or times ``scale_factor``).

    Modes (插值方式): 'nearest' (copy the nearest pixel, PyTorch's floor(o * in/out) rule),
    'nearest-exact' (the pixel whose centre is nearest), 'linear' / 'bilinear' / 'trilinear' (weighted mean
    of the 2 / 4 / 8 neighbours), 'bicubic' (16 neighbours), 'area' (adaptive average pooling).
    ``align_corners=True`` maps the corner pixels' centres onto each other; False (the default) the corners
    of the images."""
    from .. import _errors
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            _errors.fail("interp_align_corners")
    elif align_corners is None:
        align_corners = False
    out_size, scales = _interp_sizes(input, size, scale_factor, recompute_scale_factor)
    d = input.ndim
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and d == 4):
        _errors.fail("interp_antialias")
    need = _INTERP_DIMS.get(mode)
    if d not in (3, 4, 5) or mode not in _INTERP_NODE and mode not in ("area", "lanczos"):
        if need is not None and d in (3, 4, 5):
            _errors.fail("interp_mode_dims", d=d, mode=mode, n=need)
        _errors.fail("interp_input_dims", d=d, mode=mode)
    if need is not None and d != need:
        _errors.fail("interp_mode_dims", d=d, mode=mode, n=need)
    if mode == "lanczos" and d == 4:
        _errors.fail("interp_lanczos_corners" if align_corners else "interp_lanczos_antialias")
    if antialias:
        _errors.fail("interp_unsupported", what=f"mode='{mode}'" + (", antialias=True" if antialias else ""))
    if mode == "area":
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[d - 3](input, out_size)
    names = "DHW"[3 - (d - 2):]
    if any(n <= 0 for n in out_size) or any(n <= 0 for n in input.shape[2:]):
        sep = " and output" if d == 3 else " output"
        _errors.fail("interp_sizes", inp=", ".join(f"{c}: {n}" for c, n in zip(names, input.shape[2:])), sep=sep,
                     out=", ".join(f"{c}: {n}" for c, n in zip(names, out_size)))
    if input.numel() == 0 and input.shape[0] != 0:
        _errors.fail("interp_empty", d=d, shape=list(input.shape))
    kernel = {"nearest": "nearest", "nearest-exact": "nearest", "bicubic": "cubic"}.get(mode, "linear")
    if not input.dtype.is_floating_point and (input.dtype is not _dtype.uint8 or kernel != "nearest"):
        op = f"upsample_{mode.replace('-exact', '')}2d_channels_last" if d == 4 and kernel != "cubic" else \
            f"compute_indices_weights_{kernel}"
        _errors.fail("not_implemented", op=op, dtype=_dtype.SHORT_NAMES[input.dtype])
    taps = tuple(_interp_taps(mode, n, m, s, align_corners, input.dtype)
                 for n, m, s in zip(input.shape[2:], out_size, scales))
    out = Upsample.apply(input, taps=taps)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = f"Upsample{_INTERP_NODE[mode]}{d - 2}DBackward0"
    return out


# --- pixel shuffle (像素重排) and channel shuffle (通道重排): pure rearrangements ------------------

class PixelShuffle(Op):
    """(*, C r^2, H, W) -> (*, C, H r, W r): each group of r*r channels becomes an r x r block of pixels.
    A permutation of the entries, so dx = pixel_unshuffle(dy, r)."""

    @staticmethod
    def forward(ctx, x, r=1):
        xp, n = ctx.xp, x.ndim - 3
        lead, (C, H, W) = tuple(x.shape[:n]), x.shape[n:]
        ctx.r = r
        y = xp.reshape(x, lead + (C // (r * r), r, r, H, W))
        y = xp.permute_dims(y, tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2))   # (*, C, H, r, W, r)
        return xp.reshape(y, lead + (C // (r * r), H * r, W * r))

    @staticmethod
    def backward(ctx, grad):
        return PixelUnshuffle.apply(grad, r=ctx.r)


class PixelUnshuffle(Op):
    """(*, C, H r, W r) -> (*, C r^2, H, W): every r x r block of pixels becomes r*r channels.
    dx = pixel_shuffle(dy, r)."""

    @staticmethod
    def forward(ctx, x, r=1):
        xp, n = ctx.xp, x.ndim - 3
        lead, (C, H, W) = tuple(x.shape[:n]), x.shape[n:]
        ctx.r = r
        y = xp.reshape(x, lead + (C, H // r, r, W // r, r))
        y = xp.permute_dims(y, tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3))   # (*, C, r, r, H, W)
        return xp.reshape(y, lead + (C * r * r, H // r, W // r))

    @staticmethod
    def backward(ctx, grad):
        return PixelShuffle.apply(grad, r=ctx.r)


def _shuffle_factor(fn, arg, factor, input):
    from .. import _errors
    if not isinstance(factor, int) or isinstance(factor, bool):
        _errors.fail("shuffle_factor_type", fn=fn, arg=arg, type=type(factor).__name__)
    if input.ndim < 3:
        _errors.fail("shuffle_dims", fn=fn, d=input.ndim)
    if factor <= 0:
        _errors.fail("shuffle_positive", fn=fn, arg=arg, r=factor)


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r) with r = ``upscale_factor`` (sub-pixel convolution's last step)."""
    from .. import _errors
    _shuffle_factor("pixel_shuffle", "upscale_factor", upscale_factor, input)
    r = upscale_factor
    if input.shape[-3] % (r * r):
        _errors.fail("pixel_shuffle_channels", c=input.shape[-3], rr=r * r)
    return PixelShuffle.apply(input, r=r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W) with r = ``downscale_factor``: the inverse of ``pixel_shuffle``."""
    from .. import _errors
    _shuffle_factor("pixel_unshuffle", "downscale_factor", downscale_factor, input)
    r = downscale_factor
    for d, name in ((-2, "height"), (-1, "width")):
        if input.shape[d] % r:
            _errors.fail("pixel_unshuffle_size", name=name, d=d, n=input.shape[d], r=r)
    return PixelUnshuffle.apply(input, r=r)


class ChannelShuffle(Op):
    """(N, g*k, *) -> (N, k*g, *): view the channels as a g x k grid and read it column by column
    (ShuffleNet).   dx = the inverse shuffle of dy (with k groups)."""

    @staticmethod
    def forward(ctx, x, groups=1):
        xp = ctx.xp
        N, C, rest = x.shape[0], x.shape[1], tuple(x.shape[2:])
        ctx.k = C // groups
        y = xp.reshape(x, (N, groups, C // groups) + rest)
        y = xp.permute_dims(y, (0, 2, 1) + tuple(range(3, y.ndim)))
        return xp.reshape(y, (N, C) + rest)

    @staticmethod
    def backward(ctx, grad):
        return ChannelShuffle.apply(grad, groups=ctx.k)


def channel_shuffle(input, groups):
    """Mix the channels of (N, C, *) between ``groups`` groups: channel j of group i moves to j * groups + i."""
    from .. import _errors
    if input.ndim <= 2:
        _errors.fail("channel_shuffle_dims", shape=list(input.shape))
    if groups <= 0:
        _errors.fail("channel_shuffle_groups", g=groups)
    if input.shape[1] % groups:
        _errors.fail("channel_shuffle_divisible", c=input.shape[1], g=groups)
    return ChannelShuffle.apply(input, groups=groups)


# --- unfold / fold (滑窗展开 / 折叠): the im2col behind convolution, as functions ------------------

class Unfold(Op):
    """cols[n, c*K + k, l] = x_pad[n, c, at kernel offset k of window l]: every window as a column.
    dx = fold(dcols) (entries of overlapping windows add up)."""
    grad_fn_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None):
        ctx.geometry, ctx.in_size = geometry, tuple(x.shape[-2:])
        x4 = ctx.xp.expand_dims(x, axis=0) if x.ndim == 3 else x           # unbatched (C, H, W): N = 1
        cols = _windows_array(ctx.xp, x4, *geometry, False if x.dtype == ctx.xp.bool else 0.0,
                              ctx.backend.device)                                         # (N, C, K, OH, OW)
        N, C, K, OH, OW = cols.shape
        return ctx.xp.reshape(cols, (C * K, OH * OW) if x.ndim == 3 else (N, C * K, OH * OW))

    @staticmethod
    def backward(ctx, grad):
        return Fold.apply(grad, geometry=ctx.geometry, out_size=ctx.in_size)


class Fold(Op):
    """y = the columns added back into an image (overlaps add up): the adjoint of unfold.
    dcols = unfold(dy)."""
    grad_fn_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, geometry=None, out_size=None):
        ctx.geometry = geometry
        (kh, kw), (OH, OW) = geometry[0], geometry[-1]
        N, CK = cols.shape[:2] if cols.ndim == 3 else (1, cols.shape[0])   # unbatched (C*K, L): N = 1
        y = _fold_array(ctx.xp, ctx.xp.reshape(cols, (N, CK // (kh * kw), kh * kw, OH, OW)), *geometry, out_size,
                        ctx.backend.device)
        return y if cols.ndim == 3 else y[0, ...]

    @staticmethod
    def backward(ctx, grad):
        return Unfold.apply(grad, geometry=ctx.geometry)


def _fold_args(kernel_size, dilation, padding, stride, order):
    """The four (h, w) pairs, checked as PyTorch's im2col / col2im do (``order``: which check comes first)."""
    from .. import _errors
    args = {}
    for name, v in (("kernel_size", kernel_size), ("dilation", dilation), ("padding", padding), ("stride", stride)):
        v = _pair(v)
        if len(v) != 2:
            _errors.fail("fold_arg_len", name=name, n=len(v))
        args[name] = tuple(int(a) for a in v)
    words = {"kernel_size": ("kernel size should be greater than zero", "kernel"),
             "dilation": ("dilation should be greater than zero", "dilation"),
             "padding": ("padding should be non-negative", "pad"), "stride": ("stride should be greater than zero",
                                                                              "stride")}
    for name in order:
        h, w = args[name]
        if (h < 0 or w < 0) if name == "padding" else (h <= 0 or w <= 0):
            text, short = words[name]
            key = "kernel_height" if name == "kernel_size" else f"{short}_height"
            _errors.fail("fold_arg_value", text=text, kh=key, h=h, kw=key.replace("height", "width"), w=w)
    return args["kernel_size"], args["stride"], args["padding"], args["dilation"]


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """(N, C, H, W) -> (N, C * kh * kw, L): every ``kernel_size`` window (sliding block) as a column,
    L = the number of windows.  ``conv2d(x, w) == (w.view(O, -1) @ unfold(x, k)).view(N, O, OH, OW)``."""
    from .. import _errors
    kernel, stride, padding, dilation = _fold_args(kernel_size, dilation, padding, stride,
                                                   ("kernel_size", "dilation", "padding", "stride"))
    if input.ndim < 3:
        _errors.check_dim(input.ndim, input.ndim)
    if input.ndim not in (3, 4) or any(n == 0 for n in input.shape[-3:]):
        _errors.fail("unfold_input", shape=list(input.shape))
    H, W = input.shape[-2:]
    out = tuple(_out_size(n, k, s, p, d) for n, k, s, p, d in zip((H, W), kernel, stride, padding, dilation))
    if out[0] < 1 or out[1] < 1:
        _errors.fail("unfold_blocks", h=H, w=W, k=kernel, d=dilation, p=padding, oh=out[0], ow=out[1])
    if not (input.dtype.is_floating_point or input.dtype is _dtype.bool):
        _errors.fail("not_implemented", op="im2col_out_cpu", dtype=_dtype.SHORT_NAMES[input.dtype])
    return Unfold.apply(input, geometry=(kernel, stride, padding, dilation, out))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """(N, C * kh * kw, L) -> (N, C, H, W) with (H, W) = ``output_size``: the columns put back as windows,
    overlapping entries summed (so ``fold(unfold(x))`` is x times how many windows cover each pixel)."""
    from .. import _errors
    size = _pair(output_size)
    if len(size) != 2:
        _errors.fail("fold_arg_len", name="output_size", n=len(size))
    kernel, stride, padding, dilation = _fold_args(kernel_size, dilation, padding, stride,
                                                   ("kernel_size", "stride", "dilation", "padding"))
    if input.ndim not in (2, 3) or any(n == 0 for n in input.shape[-2:]):
        _errors.fail("fold_input", shape=list(input.shape))
    K = kernel[0] * kernel[1]
    if input.shape[-2] % K:
        _errors.fail("fold_divisible", n=input.shape[-2], k=kernel)
    out = tuple(_out_size(n, k, s, p, d) for n, k, s, p, d in zip(size, kernel, stride, padding, dilation))
    if out[0] * out[1] != input.shape[-1] or out[0] < 1 or out[1] < 1:
        _errors.fail("fold_blocks", size=tuple(size), k=kernel, d=dilation, p=padding, s=stride, oh=out[0],
                     ow=out[1], L=out[0] * out[1], got=input.shape[-1])
    if not input.dtype.is_floating_point:
        _errors.fail("not_implemented", op="col2im_out_cpu", dtype=_dtype.SHORT_NAMES[input.dtype])
    return Fold.apply(input, geometry=(kernel, stride, padding, dilation, out), out_size=tuple(size))


# =============================================================================
# Losses (损失函数)
# =============================================================================

def _legacy_reduction(size_average, reduce, emit=True):
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit:
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
                      stacklevel=4)
    return ret


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce_array(xp, loss, reduction):
    if reduction == "mean":
        return xp.mean(loss)
    if reduction == "sum":
        return xp.sum(loss)
    return loss


def _scale(grad, reduction, n):
    """The factor each element's loss gradient is multiplied by: dy/n for 'mean', dy otherwise."""
    return grad / n if reduction == "mean" else grad


def _warn_size(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


class MseLoss(Op):
    """loss = reduce((x - t)^2).   dloss/dx = 2 (x - t) * s,  dloss/dt = -dloss/dx (s = 1/n for 'mean')."""
    promote = True

    @staticmethod
    def forward(ctx, x, t, reduction="mean"):
        d = x - t
        ctx.reduction, ctx.n = reduction, d.size
        ctx.save_for_backward(x, t)
        return _reduce_array(ctx.xp, d * d, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        g = (x - t) * (_scale(grad, ctx.reduction, ctx.n) * 2)
        return g, -g


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error (均方误差)."""
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    input, target = _amp.upcast_inputs(input, target)  # losses run in float32 under autocast
    return MseLoss.apply(input, target, reduction=reduction)


def _reduce_tensor(loss, reduction):
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: reduce(|x - t|) (built from sub, abs and mean, as in PyTorch)."""
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    return _reduce_tensor((input - target).abs(), reduction)


class SmoothL1Loss(Op):
    """loss = 0.5 d^2 / beta if |d| < beta else |d| - 0.5 beta  (d = x - t; huber: delta * that, beta = delta).
    dloss/dx = d / beta if |d| < beta else sign(d)  (times delta for huber)."""
    promote = True

    @staticmethod
    def forward(ctx, x, t, beta=1.0, scale=1.0, reduction="mean"):
        xp = ctx.xp
        d = x - t
        a = xp.abs(d)
        inside = a < beta
        loss = xp.where(inside, 0.5 * d * d / beta, a - 0.5 * beta) * scale
        ctx.save_for_backward(xp.where(inside, d / beta, xp.sign(d)) * scale)
        ctx.reduction, ctx.n = reduction, d.size
        return _reduce_array(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        slope, = ctx.saved_tensors
        g = slope * _scale(grad, ctx.reduction, ctx.n)
        return g, -g


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    out = SmoothL1Loss.apply(input, target, beta=beta, reduction=reduction)
    return out


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    _warn_size(input, target)
    reduction = _reduction(None, None, reduction)
    out = SmoothL1Loss.apply(input, target, beta=delta, scale=delta, reduction=reduction)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "HuberLossBackward0"
    return out


class BinaryCrossEntropy(Op):
    """loss = -w [t log x + (1 - t) log(1 - x)], each log clamped at -100 (so log 0 stays finite).
    dloss/dx = w (x - t) / max(x (1 - x), 1e-12),  dloss/dt = w [log(1 - x) - log x]."""

    @staticmethod
    def forward(ctx, x, t, w=None, reduction="mean"):
        xp = ctx.xp
        log_x = _clamped_log(xp, x)
        log_1mx = _clamped_log(xp, 1 - x)
        loss = -(t * log_x + (1 - t) * log_1mx)
        if w is not None:
            loss = loss * w
        ctx.save_for_backward(x, t, w, log_1mx - log_x)
        ctx.reduction, ctx.n = reduction, x.size
        return _reduce_array(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, w, dlog = ctx.saved_tensors
        s = _scale(grad, ctx.reduction, ctx.n)
        if w is not None:
            s = s * w
        gx = s * (x - t) / _ClampMin.apply(x * (1 - x), lo=1e-12) if ctx.needs_input_grad[0] else None
        gt = s * dlog if ctx.needs_input_grad[1] else None
        return gx, gt, None


def _clamped_log(xp, x):
    """max(log x, -100) without ever taking log 0 (no warnings, no -inf)."""
    positive = x > 0
    return xp.where(positive, xp.clip(xp.log(xp.where(positive, x, xp.ones_like(x))), min=-100.0),
                    xp.full_like(x, -100.0))


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy (二元交叉熵) of probabilities ``input`` (after a sigmoid) and targets in [0, 1]."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    b = input._backend
    xp = b.xp
    if input.numel() and not bool(_on_host(xp.all((input._data >= 0) & (input._data <= 1)), b)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        weight = weight.expand(input.shape)
    return BinaryCrossEntropy.apply(input, target, weight, reduction=reduction)


class BinaryCrossEntropyWithLogits(Op):
    """loss = w [(1 - t) x - lw log(sigmoid(x))],  lw = 1 + (pos_weight - 1) t   (stable: no exp overflow).
    dloss/dx = w [lw sigmoid(x) - pos_weight t],  dloss/dt = w [-x - (pos_weight - 1) log(sigmoid(x))]."""

    @staticmethod
    def forward(ctx, x, t, w=None, pw=None, reduction="mean"):
        xp = ctx.xp
        log_sig = -(xp.log1p(xp.exp(-xp.abs(x))) + xp.clip(-x, min=0))    # log(sigmoid(x)), stable
        lw = 1 + (pw - 1) * t if pw is not None else None
        loss = (1 - t) * x - (lw * log_sig if lw is not None else log_sig)
        if w is not None:
            loss = loss * w
        ctx.save_for_backward(x, t, w, pw, log_sig)
        ctx.reduction, ctx.n = reduction, loss.size
        return _reduce_array(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, w, pw, log_sig = ctx.saved_tensors
        s = _scale(grad, ctx.reduction, ctx.n)
        if w is not None:
            s = s * w
        gx = gt = None
        if ctx.needs_input_grad[0]:
            gx = s * (x.sigmoid() - t) if pw is None else s * ((1 + (pw - 1) * t) * x.sigmoid() - pw * t)
        if ctx.needs_input_grad[1]:
            gt = s * (-x - (pw - 1) * log_sig) if pw is not None else s * -x
        return gx, gt, None, None


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """sigmoid + binary cross-entropy in one stable step (takes logits, not probabilities)."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    if weight is not None:
        weight = weight.expand(input.shape)
    if pos_weight is not None:
        pos_weight = pos_weight.expand(input.shape)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction=reduction)


class CrossEntropy(Op):
    """Cross-entropy (交叉熵) of logits ``x`` (M, C) against a target distribution, in one stable step.

    forward:  logp = x - max(x) - log(sum(exp(x - max(x))))     (log_softmax: the max prevents overflow)
              loss_i = -sum_c q_ic logp_ic
    q is the target as weights on each class's log-probability: one-hot(target) for class indices
    (times the class weight, blended with the uniform distribution by label smoothing), or the
    given probabilities.  Since sum_c of d(logp_ic)/dx_ik is softmax's famous Jacobian:
    backward: dloss_i/dx_ik = (sum_c q_ic) softmax(x)_ik - q_ik      (= softmax - one_hot in the plain case)
    With ``log_softmax=False`` the input already is logp (nll_loss): dloss_i/dx_ik = -q_ik.
    """
    grad_fn_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, target, weight, probs=False, ignore_index=-100, smoothing=0.0, reduction="mean",
                log_softmax=True):
        xp = ctx.xp
        M, C = x.shape
        logp = _log_softmax_array(xp, x, 1) if log_softmax else x
        if probs:    # target: (M, C) class probabilities
            q = target * (1 - smoothing) + smoothing / C if smoothing else target
            if weight is not None:
                q = q * weight
            denom = M
        else:        # target: (M,) class indices
            one_hot = xp.astype(target[:, None] == xp.arange(C, device=ctx.backend.device), x.dtype)
            if 0 <= ignore_index < C:  # (an ignore_index outside [0, C), like -100, matches no column anyway)
                one_hot = one_hot * xp.astype(target != ignore_index, x.dtype)[:, None]
            q = one_hot if weight is None else one_hot * weight      # ignored samples: rows of zeros
            denom = xp.sum(xp.sum(q, axis=1)) if weight is not None else xp.sum(q)  # the counted samples' weights
            if smoothing:
                keep = xp.astype(target != ignore_index, x.dtype)[:, None]
                w = weight if weight is not None else 1.0
                q = q * (1 - smoothing) + (smoothing / C) * w * keep
        loss = -xp.sum(q * logp, axis=1)
        ctx.reduction, ctx.log_softmax, ctx.probs, ctx.smoothing = reduction, log_softmax, probs, smoothing
        ctx.denom = denom if probs else xp.where(denom == 0, xp.ones_like(denom), denom)   # all ignored: grad 0
        softmax = xp.exp(logp) if log_softmax else None
        ctx.save_for_backward(x, q, softmax, logp if probs and ctx.needs_input_grad[1] else None, weight)
        if reduction == "mean":
            return xp.sum(loss) / denom
        return xp.sum(loss) if reduction == "sum" else loss

    @staticmethod
    def backward(ctx, grad):
        x, q, softmax, logp, weight = ctx.saved_tensors
        if ctx.log_softmax and not ctx.probs and not grad_mode.state.enabled:
            # plain backward with class indices (the training-loop case): the formula on arrays
            xp, qd, g = ctx.xp, q._data, grad._data
            s = g / ctx.denom if ctx.reduction == "mean" else g[:, None] if ctx.reduction == "none" else g
            return ctx.tensor((softmax._data * xp.sum(qd, axis=1, keepdims=True) - qd) * s), None, None
        if ctx.reduction == "mean":
            s = grad / ctx.denom if ctx.probs else grad / Tensor._make(ctx.backend.wrap(ctx.denom), None, ctx.backend)
        elif ctx.reduction == "none":
            s = grad.unsqueeze(1)
        else:
            s = grad
        gx = gt = None
        if ctx.needs_input_grad[0]:
            if ctx.log_softmax:
                if grad_mode.is_grad_enabled():   # create_graph: softmax connected to x
                    softmax = Softmax.apply(x, dim=1)
                gx = (softmax * q.sum(1, keepdim=True) - q) * s
            else:
                gx = -q * s
        if ctx.probs and ctx.needs_input_grad[1]:
            w = weight if weight is not None else 1.0
            gt = -(1 - ctx.smoothing) * logp * w * s
        return gx, gt, None


class ClassCrossEntropy(Op):
    """Cross-entropy of logits ``x`` (M, C) at class indices ``t`` (M,): the training-loop case
    (no class weights, no label smoothing, no ignored samples), the textbook formula in one stable op.

    forward:  loss_i = log(sum_c exp(x_ic - m_i)) - (x_it - m_i)     (m_i = max_c x_ic: exp cannot overflow)
    backward: dloss_i/dx_ic = softmax(x)_ic - [c == t_i]            (the famous "softmax minus one-hot")
    ``CrossEntropy`` above handles every other case.
    """
    grad_fn_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, t, reduction="mean"):
        xp = ctx.xp
        M, C = x.shape
        shifted = x - xp.max(x, axis=1, keepdims=True)
        e = xp.exp(shifted)
        total = xp.sum(e, axis=1, keepdims=True)
        # x_it - m_i, one per row.  (The indices seen as unsigned: a negative one is then out of range
        # too, so this indexing raises IndexError for any target outside [0, C): see _class_loss.)
        picked = shifted[xp.arange(M), t.view(np.uint64)]
        loss = xp.log(total[:, 0]) - picked
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, e / total if ctx.needs_input_grad[0] else None)
        if reduction == "none":
            return loss
        return xp.sum(loss) / x.shape[0] if reduction == "mean" else xp.sum(loss)

    @staticmethod
    def backward(ctx, grad):
        x, t, softmax = ctx.saved_tensors
        M, C = x._data.shape
        xp = ctx.xp
        if not grad_mode.state.enabled:      # plain backward: on arrays (this op runs on cpu only)
            s = grad._data / M if ctx.reduction == "mean" else grad._data   # per row: (M,) for "none"
            d = softmax._data * (s[:, None] if ctx.reduction == "none" else s)
            d[xp.arange(M), t._data] -= s    # minus the one-hot of the targets
            return ctx.tensor(d), None
        one_hot = xp.astype(t._data[:, None] == xp.arange(C, device=ctx.backend.device), softmax._data.dtype)
        # create_graph: softmax recomputed as a function of x, so the gradient can be differentiated again
        scale = grad / M if ctx.reduction == "mean" else grad.unsqueeze(1) if ctx.reduction == "none" else grad
        return (Softmax.apply(x, dim=1) - ctx.tensor(one_hot)) * scale, None


def _class_loss(input, target, weight, ignore_index, reduction, smoothing, log_softmax):
    """Shared by cross_entropy and nll_loss: checks with PyTorch's errors, classes moved to dim -1."""
    input, = _amp.upcast_inputs(input)  # losses run in float32 under autocast
    ishape, tshape = input._data.shape, target._data.shape
    if not ishape:
        raise RuntimeError("input tensor should be 1D or 2D")
    C = ishape[1] if len(ishape) > 1 else ishape[0]
    if len(ishape) == 2 and tshape == ishape[:1] and target.dtype is _dtype.int64 and weight is None:
        # the training-loop case (N, C) logits, (N,) class indices: only the checks that can fail here
        if (log_softmax and not smoothing and target._backend is CPU_BACKEND and target._data.size
                and not 0 <= ignore_index < C):
            try:
                return ClassCrossEntropy.apply(input, target, reduction=reduction)
            except IndexError:   # a target outside [0, C) (e.g. ignore_index): the general op deals with it
                pass
        _check_targets(target, C, ignore_index)
        out = CrossEntropy.apply(input, target, None, ignore_index=ignore_index, smoothing=smoothing,
                                 reduction=reduction, log_softmax=log_softmax)
        if out.grad_fn is not None:
            out.grad_fn.grad_fn_name = _node_name(False, smoothing, reduction, 2)
        return out
    probs = log_softmax and target.shape == input.shape and target.dtype.is_floating_point
    if log_softmax and target.shape == input.shape and not probs:
        raise RuntimeError("Expected floating point type for target with class probabilities, got "
                           f"{_dtype.SHORT_NAMES[target.dtype]}")
    if not probs:
        if input.ndim == 1:
            if target.ndim > 1 or (target.ndim == 1 and target.shape[0] != 1):
                raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                                 f"{target.shape[0] if target.ndim else 0}")
        elif target.ndim == 0 or input.shape[0] != target.shape[0]:
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                             f"({target.shape[0] if target.ndim else 1}).")
        if input.ndim > 2 and tuple(target.shape) != (input.shape[0],) + tuple(input.shape[2:]):
            raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, got "
                               f"{list(target.shape)}")
        if target.dtype not in (_dtype.int64, _dtype.uint8):
            raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_dtype.SHORT_NAMES[target.dtype]}")
        if target.dtype is not _dtype.int64:
            target = target.long()
        _check_targets(target, C, ignore_index)
    if weight is not None:
        if weight.ndim != 1 or weight.shape[0] != C:
            raise RuntimeError(f"weight tensor should be defined either for all {C} classes or no classes but got "
                               f"weight tensor of shape: {list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_dtype.SHORT_NAMES[input.dtype]} but found "
                               f"{_dtype.SHORT_NAMES[weight.dtype]}")
    # classes to the last dim, everything else flattened: (M, C)
    if input.ndim == 1:
        x2, t2, shape = input.unsqueeze(0), (target.unsqueeze(0) if probs else target.reshape(1)), ()
    elif input.ndim == 2:
        x2, t2, shape = input, target, (input.shape[0],)
    else:
        perm = (0,) + tuple(range(2, input.ndim)) + (1,)
        x2 = input.permute(*perm).reshape(-1, C)
        t2 = target.permute(*perm).reshape(-1, C) if probs else target.reshape(-1)
        shape = (input.shape[0],) + tuple(input.shape[2:])
    out = CrossEntropy.apply(x2, t2, weight, probs=probs, ignore_index=ignore_index, smoothing=smoothing,
                             reduction=reduction, log_softmax=log_softmax)
    if reduction == "none" and tuple(out.shape) != shape:
        out = out.reshape(shape)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = _node_name(probs, smoothing, reduction, input.ndim)
    return out


def _node_name(probs, smoothing, reduction, ndim):
    """The grad_fn name PyTorch shows for this loss (its cross_entropy is built from several ops)."""
    if probs:
        return "DivBackward1" if reduction == "mean" else "NegBackward0"
    if smoothing:
        return "AddBackward0"
    if ndim <= 2:
        return "NllLossBackward0"
    return "ViewBackward0" if reduction == "none" and ndim != 4 else "NllLoss2DBackward0"


def _check_targets(target, C, ignore_index):
    """Class indices must lie in [0, C) (ignore_index excepted): PyTorch's IndexError otherwise.

    On cpu the check runs now.  On cuda it is deferred to the next transfer to the host (usually
    ``loss.item()``), as PyTorch reports a bad target on the GPU asynchronously: the check then
    costs no extra synchronisation."""
    if target.numel() == 0:
        return
    b = target._backend
    xp = b.xp
    t = target._data
    valid = xp.where(t == ignore_index, xp.zeros_like(t), t)
    any_bad = xp.any((valid < 0) | (valid >= C))

    def report(host):
        if host:
            values = _on_host(t, b).reshape(-1)
            offending = next(int(v) for v in values if v != ignore_index and not 0 <= v < C)
            raise IndexError(f"Target {offending} is out of bounds.")

    b.check_later(any_bad, report)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits ``input`` (N, C) and class indices (N,) or class probabilities (N, C).

    The same as ``nll_loss(log_softmax(input, 1), target)`` but fused into one numerically stable op."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    return _class_loss(input, target, weight, ignore_index, reduction, label_smoothing, True)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities ``input`` (N, C) at class indices ``target`` (N,)."""
    reduction = _reduction(size_average, reduce, reduction)
    return _class_loss(input, target, weight, ignore_index, reduction, 0.0, False)


# --- more losses and distances (built from differentiable ops, as PyTorch builds them) ---------

def _legacy_or(size_average, reduce, reduction):
    """The reduction, with PyTorch's deprecation warning for the old size_average/reduce arguments."""
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    return reduction


def _reduce_checked(loss, reduction):
    """loss.mean() / .sum() / loss, with PyTorch's error for an unknown reduction."""
    if reduction not in ("none", "mean", "sum"):
        from .. import _errors
        _errors.fail("reduction_invalid", reduction=reduction)
    return _reduce_tensor(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence (KL 散度) sum p (log p - input), ``input`` = log-probabilities.

    'batchmean' divides the sum by the batch size (the KL definition); 'mean' by every element."""
    from ..ops.elementwise import xlogy
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        from .. import _errors
        _errors.fail("reduction_invalid", reduction=reduction)
    loss = target.exp() * (target - input) if log_target else xlogy(target, target) - target * input
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim else total
    return _reduce_tensor(loss, reduction)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """cos of the angle between x1 and x2 along ``dim``: (x1 . x2) / (max(|x1|, eps) max(|x2|, eps))."""
    from .. import _errors
    from ..ops.shape import broadcast_tensors
    x1, x2 = broadcast_tensors(x1, x2)
    d = _errors.check_dim(dim, x1.ndim)
    n1 = x1.norm(2, d, keepdim=True).clamp_min(eps)
    n2 = x2.norm(2, d, keepdim=True).clamp_min(eps)
    return ((x1 / n1) * (x2 / n2)).sum(d)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim."""
    out = (x1 - x2 + eps).norm(p, max(x1.ndim, x2.ndim) - 1, keepdim=keepdim)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "NormBackward1"
    return out


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -y (x1 - x2) + margin): y = 1 wants x1 ranked above x2, y = -1 the reverse."""
    reduction = _legacy_or(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        from .. import _errors
        _errors.fail("margin_ranking_dims", a=input1.shape, b=input2.shape, t=target.shape)
    return _reduce_checked((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin - x) where y = -1 (x: a distance, y: similar or not)."""
    from ..ops.elementwise import where
    reduction = _legacy_or(size_average, reduce, reduction)
    zeros = input.new_zeros(input.shape)
    loss = where(target != 1, (margin - input).clamp_min(0), zeros) + where(target != -1, input, zeros)
    return _reduce_checked(loss, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-y x)) for labels y = +-1 (a smooth hinge)."""
    reduction = _legacy_or(size_average, reduce, reduction)
    if target.requires_grad and grad_mode.is_grad_enabled():
        from .. import _errors
        _errors.fail("not_differentiable", fn="soft_margin_loss", arg="target")
    out = _reduce_checked((-input * target).exp().log1p(), reduction)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "SoftMarginLossBackward0"
    return out


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy of each class's logit, averaged over the classes (several labels per sample)."""
    reduction = _legacy_or(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input.shape[class_dim]
    if reduction not in ("none", "mean", "sum"):
        from .. import _errors
        _errors.fail("reduction_not_valid", reduction=reduction)
    return _reduce_tensor(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1."""
    from .. import _errors
    from ..ops.elementwise import where
    reduction = _legacy_or(size_average, reduce, reduction)
    k = target.ndim
    if k not in (0, 1):
        _errors.fail("cosine_embedding_target")
    if k == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        _errors.fail("cosine_embedding_inputs", k="1D", want="2D", a=list(input1.shape), b=list(input2.shape))
    if k == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        _errors.fail("cosine_embedding_inputs", k="0D", want="1D", a=list(input1.shape), b=list(input2.shape))
    prod = (input1 * input2).sum(k)
    mag1 = (input1 * input1).sum(k) + 1e-12
    mag2 = (input2 * input2).sum(k) + 1e-12
    cos = prod / (mag1 * mag2).sqrt()
    zeros = cos.new_zeros(cos.shape)
    loss = where(target == 1, 1 - cos, zeros) + where(target == -1, (cos - margin).clamp_min(0), zeros)
    return _reduce_checked(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(0, d(a, p) - d(a, n) + margin): the anchor nearer the positive than the negative, by a margin."""
    from .. import _errors
    from ..ops.elementwise import minimum
    reduction = _legacy_or(size_average, reduce, reduction)
    if margin <= 0:
        _errors.fail("triplet_margin", margin=margin)
    if not anchor.ndim == positive.ndim == negative.ndim:
        _errors.fail("triplet_dims", a=anchor.ndim, p=positive.ndim, n=negative.ndim)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce_checked((margin + d_pos - d_neg).clamp_min(0), reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """Negative log-likelihood of a Poisson count: exp(x) - t x (log_input) or x - t log(x + eps);
    ``full`` adds Stirling's t log t - t + log(2 pi t) / 2 where t > 1."""
    from .. import _errors
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, emit=False)
    if reduction not in ("none", "mean", "sum"):
        _errors.fail("reduction_invalid", reduction=reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce_tensor(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log-likelihood of a normal distribution: (log var + (x - t)^2 / var) / 2 (+ log(2 pi) / 2)."""
    from .. import _errors
    if isinstance(var, float):
        if var < 0:
            _errors.fail("gaussian_var_negative")
        var = var * input.new_ones(input.shape)
    elif bool((var < 0).any()):
        _errors.fail("gaussian_var_negative")
    if var.shape != input.shape:
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (input.ndim == var.ndim and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1):
            _errors.fail("gaussian_var_size")
    if reduction not in ("none", "mean", "sum"):
        from .. import _errors
        _errors.fail("reduction_not_valid", reduction=reduction)
    var = var.clone()
    with grad_mode.no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce_tensor(loss, reduction)


def _tensor_softmax(self, dim=None, dtype=None):
    return softmax(self, dim, dtype=dtype)


def _tensor_log_softmax(self, dim=None, dtype=None):
    return log_softmax(self, dim, dtype=dtype)


# x.hardshrink(lambd) and x.prelu(weight), as in PyTorch
if not hasattr(Tensor, "hardshrink"):
    Tensor.hardshrink = hardshrink
if not hasattr(Tensor, "prelu"):
    Tensor.prelu = prelu

# x.softmax(dim) and x.log_softmax(dim), unless the core already provides them
if not hasattr(Tensor, "softmax"):
    Tensor.softmax = _tensor_softmax
if not hasattr(Tensor, "log_softmax"):
    Tensor.log_softmax = _tensor_log_softmax


# attention and the group/instance/RMS normalizations live in nn/_attention.py (imported last: it uses F)
from ._attention import (scaled_dot_product_attention, multi_head_attention_forward,  # noqa: E402
                         group_norm, instance_norm, rms_norm, local_response_norm)
