"""Rprop (弹性反向传播): each weight has its own step size, grown while the gradient keeps its sign and
shrunk when it flips; only the gradient's sign is used."""
from .._errors import fail
from ._checks import check_lr
from .optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """For each parameter p with gradient g (g = -g when maximize), previous gradient g_prev, step sizes s:

        s = clamp(s * etaplus, *step_sizes)    where g * g_prev > 0
        s = clamp(s * etaminus, *step_sizes);  g = 0   where g * g_prev < 0   (no move after a sign flip)
        p = p - sign(g) * s;   g_prev = g      (s starts at lr)
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False, foreach=None,
                 maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            fail("optim_etas", a=etas[0], b=etas[1])
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for group in self.param_groups:
            (etaminus, etaplus), (lo, hi) = group["etas"], group["step_sizes"]
            for p, g in self._params_with_grad(group):
                xp = p._backend.xp
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["prev"] = _zeros_like(p)
                    state["step_size"] = _zeros_like(p, group["lr"])
                state["step"]._data += 1
                if group["maximize"]:
                    g = -g
                prev, s = state["prev"]._data, state["step_size"]._data
                sign = xp.sign(g * prev)
                factor = xp.where(sign > 0, xp.asarray(etaplus, dtype=s.dtype, device=p._backend.device),
                                  xp.where(sign < 0, xp.asarray(etaminus, dtype=s.dtype, device=p._backend.device),
                                           xp.ones_like(s)))
                s[...] = xp.clip(s * factor, lo, hi)
                g = xp.where(sign < 0, xp.zeros_like(g), g)
                p._data -= xp.sign(g) * s
                prev[...] = g
                p._vc[0] += 1
        return loss
