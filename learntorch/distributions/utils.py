"""Helpers shared by the distributions (概率分布): broadcasting, probs <-> logits, lazy attributes."""
from numbers import Number

import learntorch as torch
from learntorch.nn import functional as F


def broadcast_all(*values):
    """Numbers become tensors (default dtype, or the first tensor's dtype and device); all broadcast."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        dtype = torch.get_default_dtype()
        return tuple(torch.tensor(float(v), dtype=dtype) for v in values)
    like = tensors[0]
    values = [v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=like.dtype, device=like.device)
              for v in values]
    return tuple(torch.broadcast_tensors(*values))


def _standard_normal(shape, dtype, device):
    """N(0, 1) noise drawn with ``normal_`` (the same draws as PyTorch after ``manual_seed``)."""
    return torch.empty(shape, dtype=dtype, device=device).normal_()


def _sum_rightmost(value, dim):
    """Sum over the ``dim`` rightmost dims."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:value.dim() - dim]) + (-1,)).sum(-1)


def clamp_probs(probs):
    """p clipped into [eps, 1 - eps] so that log(p) and log(1 - p) stay finite."""
    eps = torch.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    """p = sigmoid(l) (binary) or softmax(l, -1)."""
    if is_binary:
        return torch.sigmoid(logits)
    return F.softmax(logits, dim=-1)


def probs_to_logits(probs, is_binary=False):
    """l = log p - log(1 - p) (binary) or log p, with p clamped away from 0 and 1."""
    p = clamp_probs(probs)
    if is_binary:
        return torch.log(p) - torch.log1p(-p)
    return torch.log(p)


class lazy_property:
    """Computed on first access (with grad enabled), then stored on the instance."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with torch.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value
