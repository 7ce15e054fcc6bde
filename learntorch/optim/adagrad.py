"""Adagrad: each parameter's step shrinks with the sum of its squared gradients so far."""
from .optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """For each parameter p with gradient g, at step t = 1, 2, ...:

        g = g + weight_decay * p;   clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g^2;                p = p - clr * g / (sqrt(s) + eps)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:   # Adagrad's state exists from the start
            for p in group["params"]:
                state = self.state[p]
                state["step"] = _step_tensor()
                state["sum"] = _zeros_like(p, group["initial_accumulator_value"])

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, lr_decay, eps, wd = group["lr"], group["lr_decay"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                xp = p._backend.xp
                state = self.state[p]
                state["step"]._data += 1
                t = float(state["step"]._data)
                if group["maximize"]:
                    g = -g
                if wd != 0:
                    g = g + wd * p._data
                clr = lr / (1 + (t - 1) * lr_decay)
                s = state["sum"]._data
                s += g * g
                p._data -= clr * (g / (xp.sqrt(s) + eps))
                p._vc[0] += 1
        return loss
