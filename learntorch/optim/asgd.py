"""ASGD: averaged stochastic gradient descent (平均随机梯度下降), keeps a running average ``ax`` of the
parameters next to plain decaying-step SGD."""
from .._creation import tensor
from .._errors import fail
from ._checks import check_lr
from .optimizer import Optimizer, _zeros_like

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """For each parameter p with gradient g, at step t = 1, 2, ... (eta starts at lr, mu at 1):

        g = g + weight_decay * p                       (if weight_decay;  g = -g first when maximize)
        p = p * (1 - lambd * eta) - eta * g
        ax = p  if mu == 1  else  ax + mu * (p - ax)   (the average of the iterates since step t0)
        eta = lr / (1 + lambd * lr * t)^alpha;   mu = 1 / max(1, t - t0)
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False,
                 differentiable=False, capturable=False):
        check_lr(lr)
        if not 0.0 <= weight_decay:
            fail("optim_weight_decay", wd=weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0, wd = group["lr"], group["lambd"], group["alpha"], group["t0"], group["weight_decay"]
            for p, g in self._params_with_grad(group):
                state = self.state[p]
                if not state:   # PyTorch keeps ASGD's scalars on the parameter's device
                    state["step"] = tensor(0.0, device=p.device)
                    state["eta"] = tensor(float(lr), device=p.device)
                    state["mu"] = tensor(1.0, device=p.device)
                    state["ax"] = _zeros_like(p)
                if group["maximize"]:
                    g = -g
                state["step"]._data += 1
                if wd != 0:
                    g = g + wd * p._data
                eta = float(state["eta"]._data)
                p._data *= 1 - lambd * eta
                p._data -= eta * g
                ax = state["ax"]._data
                mu = float(state["mu"]._data)
                if mu != 1:
                    ax += (p._data - ax) * mu
                else:
                    ax[...] = p._data
                t = float(state["step"]._data)
                # PyTorch passes the new values through a default-dtype tensor: float32 rounding
                state["eta"]._data[...] = tensor(lr / ((1 + lambd * lr * t) ** alpha)).item()
                state["mu"]._data[...] = tensor(1 / max(1, t - t0)).item()
                p._vc[0] += 1
        return loss
