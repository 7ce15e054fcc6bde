"""``nn.utils.parametrizations``: ready-made parametrizations (参数化) -- weight normalization (权重归一化)
and spectral normalization (谱归一化) -- registered with ``parametrize.register_parametrization``."""
from ..._tensor import Tensor
from ...autograd import grad_mode
from ... import _errors
from ..modules.module import Module
from . import parametrize

__all__ = ["weight_norm", "spectral_norm"]


def _norm_except_dim(v, dim):
    """PyTorch's ``norm_except_dim(v, 2, dim)``: the 2-norm over every dim but ``dim`` (kept, size 1);
    ``dim=-1`` means the norm of the whole tensor (a 0-d tensor)."""
    from ...linalg import vector_norm
    if dim == -1:
        return vector_norm(v, 2)
    dim = dim % v.ndim
    return vector_norm(v, 2, dim=tuple(d for d in range(v.ndim) if d != dim), keepdim=True)


def _weight_norm(v, g, dim):
    """w = g * v / ||v||   (the norm over every dim but ``dim``)."""
    w = v * (g / _norm_except_dim(v, dim))
    if w.grad_fn is not None and dim != -1 and dim % v.ndim in (0, v.ndim - 1):  # PyTorch's fused kernel's cases
        w.grad_fn.grad_fn_name = "WeightNormInterfaceBackward0"
    return w


class _WeightNorm(Module):
    """w = g v / ||v||: the magnitude ``original0`` = g and the direction ``original1`` = v."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Weight normalization: ``module.<name>`` = g * v / ||v|| with g (``parametrizations.<name>.original0``)
    and v (``original1``) learned separately.  ``dim=None`` takes the norm of the whole tensor."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


class _SpectralNorm(Module):
    """W / sigma(W), sigma = u . (W v) estimated by power iteration (u, v kept as buffers ``_u``, ``_v``)."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            _errors.fail("spectral_norm_dim", ndim=ndim, hi=ndim - 1, dim=dim)
        if n_power_iterations <= 0:
            _errors.fail("spectral_norm_iterations", n=n_power_iterations)
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            from ..functional import normalize
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.shape
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.ndim) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        """u <- W v / |W v|,  v <- W^H u / |W^H u|, in place in the buffers."""
        from ..functional import normalize
        with grad_mode.no_grad():
            for _ in range(n_power_iterations):
                self._u.copy_(normalize(weight_mat.mv(self._v), dim=0, eps=self.eps))
                self._v.copy_(normalize(weight_mat.H.mv(self._u), dim=0, eps=self.eps))

    def forward(self, weight):
        if weight.ndim == 1:
            from ..functional import normalize
            return normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = u.vdot(weight_mat.mv(v))
        return weight / sigma

    def right_inverse(self, value):
        return value


def _conv_transpose_classes():
    """ConvTranspose1d/2d/3d (their weight's output dim is 1), those that learntorch has."""
    from ... import nn
    return tuple(c for c in (getattr(nn, f"ConvTranspose{k}d", None) for k in (1, 2, 3)) if c is not None)


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Spectral normalization: ``module.<name>`` = W / sigma(W), sigma the largest singular value, estimated
    with ``n_power_iterations`` steps of the power method each time the weight is read in training mode."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        _errors.fail("spectral_norm_no_weight", module=module, name=name)
    if dim is None:
        dim = 1 if isinstance(module, _conv_transpose_classes()) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
