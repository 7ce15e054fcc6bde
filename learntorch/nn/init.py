"""``nn.init``: filling weights with PyTorch's initial values (参数初始化).

Every function changes the tensor in place (the trailing ``_``), outside the
graph, and returns it.  Random ones draw from learntorch's generator, which
reproduces PyTorch's CPU generator: after ``manual_seed(0)`` an ``nn.Linear``
gets the weights PyTorch would give it.

Why ``kaiming_uniform_(w, a=sqrt(5))`` for Linear and Conv2d?  It gives
U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the rule older Torch versions used.
"""
import math
import warnings

from ..autograd import grad_mode

__all__ = ["calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_", "xavier_uniform_",
           "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "trunc_normal_", "orthogonal_", "dirac_",
           "sparse_"]


def calculate_gain(nonlinearity, param=None):
    """The factor by which a nonlinearity shrinks the spread of its inputs (relu: sqrt(2), tanh: 5/3 ...)."""
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """fan_in = inputs feeding each output unit; fan_out = outputs each input feeds (x kernel size)."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _write(tensor, host_values):
    """Put NumPy values into ``tensor``'s memory (a version bump, no graph)."""
    b = tensor._backend
    tensor._data[...] = b.from_numpy(host_values.astype(tensor.dtype.np).reshape(tuple(tensor.shape)))
    tensor._vc[0] += 1
    return tensor


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with U(a, b) random numbers."""
    with grad_mode.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with N(mean, std^2) random numbers."""
    with grad_mode.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """N(mean, std^2) values cut to [a, b] (by inverse-CDF sampling, as PyTorch does)."""
    import numpy as np
    from .functional import _erf
    with grad_mode.no_grad():
        def cdf(x):
            return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
        lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)
        uniform_(tensor, 2 * lo - 1, 2 * hi - 1, generator)
        u = tensor._backend.to_numpy(tensor._data).astype(np.float64)
        # erfinv by Newton's method on erf (NumPy has no erfinv)
        z = np.zeros_like(u)
        for _ in range(60):
            z = z - (_erf(np, z) - u) / (2 / math.sqrt(math.pi) * np.exp(-z * z))
        vals = np.clip(z * std * math.sqrt(2.0) + mean, a, b)
        return _write(tensor, vals)


def constant_(tensor, val):
    """Fill with the number ``val``."""
    tensor._data[...] = val
    tensor._vc[0] += 1
    return tensor


def ones_(tensor):
    return constant_(tensor, 1.0)


def zeros_(tensor):
    return constant_(tensor, 0.0)


def eye_(tensor):
    """The identity matrix (2-D tensors)."""
    import numpy as np
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _write(tensor, np.eye(*tensor.shape))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot/Xavier: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot/Xavier: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _zero_element(tensor):
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He/Kaiming: U(-bound, bound) with bound = gain * sqrt(3 / fan)."""
    if _zero_element(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He/Kaiming: N(0, std^2) with std = gain / sqrt(fan)."""
    if _zero_element(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor, gain=1, generator=None):
    """A (semi-)orthogonal matrix times ``gain`` (recurrent weights; 正交初始化): the Q of the QR
    decomposition of a N(0, 1) matrix, each column's sign flipped so that diag(R) > 0 (this makes Q
    uniformly distributed).  Tensors with more than 2 dims are filled as (size(0), rest) matrices."""
    import numpy as np
    from .. import _errors
    if tensor.ndim < 2:
        _errors.fail("init_orthogonal_dims")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with grad_mode.no_grad():
        flat = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)
        a = tensor._backend.to_numpy(flat._data).astype(np.float64)
        if rows < cols:
            a = a.T
        q, r = np.linalg.qr(a)   # LAPACK's Householder QR, as PyTorch's
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return _write(tensor, q * gain)


def dirac_(tensor, groups=1):
    """The identity convolution (3-, 4- or 5-D weights): channel d of each group is copied through,
    a single 1 at the kernel's centre; everything else 0."""
    import numpy as np
    from .. import _errors
    if tensor.ndim not in (3, 4, 5):
        _errors.fail("init_dirac_dims")
    sizes = tuple(tensor.shape)
    if sizes[0] % groups != 0:
        _errors.fail("init_dirac_groups")
    per_group = sizes[0] // groups
    w = np.zeros(sizes)
    centre = tuple(s // 2 for s in sizes[2:])
    for g in range(groups):
        for d in range(min(per_group, sizes[1])):
            w[(g * per_group + d, d) + centre] = 1
    return _write(tensor, w)


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """N(0, std^2) values with ceil(sparsity * rows) zeros in every column (rows from ``randperm``)."""
    from .. import _errors
    from .._creation import randperm
    if tensor.ndim != 2:
        _errors.fail("init_sparse_dims")
    rows, cols = tuple(tensor.shape)
    num_zeros = math.ceil(sparsity * rows)
    with grad_mode.no_grad():
        tensor.normal_(0, std, generator=generator)
        for col in range(cols):
            zero_rows = randperm(rows)[:num_zeros]
            tensor[zero_rows.to(tensor.device), col] = 0
    return tensor


# PyTorch's long-deprecated names without the underscore
def _deprecated(fn, name):
    def old(*args, **kwargs):
        warnings.warn(f"`nn.init.{name}` is now deprecated in favor of `nn.init.{name}_`.", FutureWarning,
                      stacklevel=2)
        return fn(*args, **kwargs)
    old.__name__ = name
    return old


uniform = _deprecated(uniform_, "uniform")
normal = _deprecated(normal_, "normal")
constant = _deprecated(constant_, "constant")
xavier_uniform = _deprecated(xavier_uniform_, "xavier_uniform")
xavier_normal = _deprecated(xavier_normal_, "xavier_normal")
kaiming_uniform = _deprecated(kaiming_uniform_, "kaiming_uniform")
kaiming_normal = _deprecated(kaiming_normal_, "kaiming_normal")
orthogonal = _deprecated(orthogonal_, "orthogonal")
sparse = _deprecated(sparse_, "sparse")
