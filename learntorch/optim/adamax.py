"""Adamax: Adam with the infinity norm (自适应矩估计的无穷范数变体) in place of the root mean square."""
from ._checks import check_adam_like
from .optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """For each parameter p with gradient g, at step t = 1, 2, ...:

        g = g + weight_decay * p                  (if weight_decay;  g = -g first when maximize)
        m = m + (1 - beta1) * (g - m)             (running mean of g)
        u = max(beta2 * u, |g| + eps)             (decaying infinity norm of g)
        p = p - lr / (1 - beta1^t) * m / u
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        check_adam_like(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                xp = p._backend.xp
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_inf"] = _zeros_like(p)
                if group["maximize"]:
                    g = -g
                state["step"]._data += 1
                t = float(state["step"]._data)
                if wd != 0:
                    g = g + wd * p._data
                m, u = state["exp_avg"]._data, state["exp_inf"]._data
                m += (1 - beta1) * (g - m)
                u[...] = xp.maximum(u * beta2, xp.abs(g) + eps)
                p._data -= lr / (1 - beta1 ** t) * m / u
                p._vc[0] += 1
        return loss
