"""Gradient clipping (梯度裁剪): keep one bad batch from blowing up the weights."""
import math
import warnings

from ..._tensor import Tensor
from ...autograd import grad_mode
from ... import _errors

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_", "clip_grad_norm"]


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p._grad for p in parameters if p._grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale all gradients together so that their joint ``norm_type``-norm is at most ``max_norm``.

    total = (sum over all grad elements |g|^p)^(1/p);  if total > max_norm: g *= max_norm / (total + 1e-6).
    Returns the total norm (before clipping) as a tensor."""
    from ..._creation import tensor
    grads = _grads(parameters)
    if not grads:
        return tensor(0.0)
    b = grads[0]._backend
    xp = b.xp
    norm_type = float(norm_type)
    if norm_type == math.inf:
        norms = [xp.max(xp.abs(g._data)) for g in grads]
        total = xp.max(xp.stack([xp.astype(n, xp.float64) for n in norms]))
    else:
        sums = [xp.sum(xp.abs(xp.astype(g._data, xp.float64)) ** norm_type) for g in grads]
        total = xp.sum(xp.stack(sums)) ** (1.0 / norm_type)
    total_t = Tensor._make(b.wrap(xp.astype(total, b.dtypes[grads[0].dtype])), grads[0].dtype, b)
    value = float(b.to_numpy(total))
    if error_if_nonfinite and not math.isfinite(value):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    coef = float(max_norm) / (value + 1e-6)
    if coef < 1:
        for g in grads:
            g._data[...] = g._data * coef
            g._vc[0] += 1
    return total_t


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clip every gradient element into [-clip_value, clip_value]."""
    for g in _grads(parameters):
        g._data[...] = g._backend.xp.clip(g._data, min=-float(clip_value), max=float(clip_value))
        g._vc[0] += 1


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type``-norm of all ``tensors`` together, as if joined into one vector:
    total = ||(||t_1||, ||t_2||, ...)||.  (Pass the gradients to get what ``clip_grad_norm_`` measures.)"""
    from ..._creation import tensor
    from ...linalg import vector_norm
    from ...ops.shape import stack
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    with grad_mode.no_grad():
        first_device = tensors[0].device
        total = vector_norm(stack([vector_norm(t, norm_type).to(first_device) for t in tensors]), norm_type)
    if error_if_nonfinite and not math.isfinite(total.item()):
        _errors.fail("clip_grad_nonfinite", p=norm_type)
    return total


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients in place by min(max_norm / (total_norm + 1e-6), 1), ``total_norm`` given
    (e.g. from ``get_total_norm``)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return
    with grad_mode.no_grad():
        coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef.to(g.device))


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The old name of ``clip_grad_norm_`` (deprecated)."""
    warnings.warn(_errors.msg("clip_grad_norm_deprecated"), FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)
