"""Adadelta: steps scaled by the ratio of running RMS of past updates to that of gradients (自适应学习率)."""
from .._errors import fail
from ._checks import check_lr
from .optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """For each parameter p with gradient g:

        g = g + weight_decay * p                              (if weight_decay;  g = -g first when maximize)
        v = rho * v + (1 - rho) * g^2                         (running mean of g^2)
        d = sqrt(u + eps) / sqrt(v + eps) * g                 (u: running mean of d^2, from earlier steps)
        u = rho * u + (1 - rho) * d^2
        p = p - lr * d
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            fail("optim_rho", rho=rho)
        if not 0.0 <= eps:
            fail("optim_eps", eps=eps)
        if not 0.0 <= weight_decay:
            fail("optim_weight_decay", wd=weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
                        foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                xp = p._backend.xp
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["square_avg"] = _zeros_like(p)
                    state["acc_delta"] = _zeros_like(p)
                state["step"]._data += 1
                if group["maximize"]:
                    g = -g
                if wd != 0:
                    g = g + wd * p._data
                v, u = state["square_avg"]._data, state["acc_delta"]._data
                v *= rho
                v += (1 - rho) * g * g
                d = xp.sqrt(u + eps) / xp.sqrt(v + eps) * g
                u *= rho
                u += (1 - rho) * d * d
                p._data -= lr * d
                p._vc[0] += 1
        return loss
