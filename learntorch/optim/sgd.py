"""Stochastic gradient descent (随机梯度下降), with PyTorch's momentum rule."""
from .optimizer import Optimizer, Tensor

__all__ = ["SGD"]


class SGD(Optimizer):
    """For each parameter p with gradient g:

        g = g + weight_decay * p                      (if weight_decay)
        buf = g (first step), else buf = momentum * buf + (1 - dampening) * g
        g = g + momentum * buf (nesterov)  or  g = buf  (if momentum)
        p = p - lr * g                                 (p + lr * g when maximize)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
                 foreach=None, differentiable=False, fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
                        maximize=maximize, foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            wd, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                g = p._grad._data
                if maximize:
                    g = -g
                if wd != 0:
                    g = g + wd * p._data
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = Tensor._make(p._backend.xp.asarray(g, copy=True), p.dtype, p._backend)
                        state["momentum_buffer"] = buf
                    else:
                        b = buf._data
                        b *= momentum
                        b += g if dampening == 0 else (1 - dampening) * g
                    g = g + momentum * buf._data if nesterov else buf._data
                p._data -= lr * g
                p._vc[0] += 1
        return loss
