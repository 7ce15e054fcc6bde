"""learntorch: PyTorch's API, implemented in readable Python on NumPy (and CuPy).

``import learntorch as torch`` and run PyTorch beginner code: tensors (张量),
broadcasting (广播), autograd (自动求导), nn, optim, data loading.  Every
operation's forward and backward sit side by side in ``learntorch/ops``.
"""
__version__ = "0.1.0"

from ._dtype import (dtype, float16, float32, float64, half, float, double, int8, int16, int32, int64,
                     short, int, long, uint8, bool, promote_types, get_default_dtype, set_default_dtype)
from ._device import device
from ._tensor import (Tensor, Size, FloatTensor, DoubleTensor, HalfTensor, IntTensor, LongTensor, ShortTensor,
                      CharTensor, ByteTensor, BoolTensor)
from . import ops as _ops
from .ops import *  # noqa: F401,F403  (add, mul, matmul, sum, reshape, cat, ...)
from ._creation import *  # noqa: F401,F403  (tensor, zeros, arange, rand, manual_seed, ...)
from ._random_state import Generator, default_generator
from ._tensor_str import set_printoptions, get_printoptions
from ._dtype import finfo, iinfo
from .autograd import no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled
from . import autograd, cuda


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.dtype.is_floating_point


def result_type(tensor1, tensor2):
    """The dtype PyTorch gives ``tensor1 op tensor2`` (either may be a Python number)."""
    from ._dtype import result_type_of
    ts = [x for x in (tensor1, tensor2) if isinstance(x, Tensor)]
    ss = [x for x in (tensor1, tensor2) if not isinstance(x, Tensor)]
    return result_type_of(ts, ss)


from .serialization import save, load  # noqa: E402  (zip of .npy arrays + JSON manifest; never pickle)
from . import nn, optim, utils  # noqa: E402  (the training stack)
from . import linalg  # noqa: E402  (torch.linalg: det, inv, solve, svd, norms ...)
import learntorch.utils.data  # noqa: E402,F401
if "softmax" not in globals():  # torch.softmax / torch.log_softmax live in nn.functional
    from .nn.functional import softmax, log_softmax  # noqa: E402,F401
from .nn.functional import (selu, selu_, celu, celu_, threshold, threshold_, prelu,  # noqa: E402,F401
                            hardshrink, rrelu, rrelu_, pixel_shuffle, pixel_unshuffle, channel_shuffle,
                            conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, cosine_similarity,
                            pairwise_distance)  # (torch.selu, torch.conv2d ... live in nn.functional too)
from . import amp  # noqa: E402
from .amp import autocast  # noqa: E402,F401  (torch.autocast)


# Loaded on first use, so that ``import learntorch`` stays quick: torch.special (erfc, gammaln, ndtr ...),
# torch.distributions (Normal, Categorical, kl_divergence ...), torch.func (grad, jacrev, vmap ...).
_LAZY_MODULES = ("special", "distributions", "func")


def __getattr__(name):
    if name in _LAZY_MODULES:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")   # (the import also sets the attribute)
    if name == "vmap":
        from .func import vmap
        return vmap
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
