"""NAdam: Adam with Nesterov momentum (Nesterov 加速的自适应矩估计)."""
from .._creation import tensor
from .._errors import fail
from ._checks import check_adam_like
from .optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """For each parameter p with gradient g, at step t = 1, 2, ...:

        g = g + weight_decay * p                  (decoupled_weight_decay: p = p * (1 - lr * weight_decay))
        mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay));   prod_t = mu_1 * ... * mu_t
        m = m + (1 - beta1) * (g - m);   v = beta2 * v + (1 - beta2) * g^2
        d = sqrt(v / (1 - beta2^t)) + eps
        p = p - lr * (1 - mu_t) / (1 - prod_t) * g / d - lr * mu_{t+1} / (1 - prod_t * mu_{t+1}) * m / d
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        check_adam_like(lr, betas, eps, weight_decay)
        if not 0.0 <= momentum_decay:
            fail("optim_momentum_decay", v=momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            psi = group["momentum_decay"]
            for p, g in self._params_with_grad(group):
                xp = p._backend.xp
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["mu_product"] = tensor(1.0)          # a cpu scalar, like the step counter
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                if group["maximize"]:
                    g = -g
                state["step"]._data += 1
                t = float(state["step"]._data)
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        p._data *= 1 - lr * wd
                    else:
                        g = g + wd * p._data
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
                state["mu_product"]._data *= mu          # kept in the counter's precision, as PyTorch
                prod = float(state["mu_product"]._data)
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                m += (1 - beta1) * (g - m)
                v *= beta2
                v += (1 - beta2) * g * g
                d = xp.sqrt(v / (1 - beta2 ** t)) + eps
                p._data += -lr * (1.0 - mu) / (1.0 - prod) * g / d
                p._data += -lr * mu_next / (1.0 - prod * mu_next) * m / d
                p._vc[0] += 1
        return loss
