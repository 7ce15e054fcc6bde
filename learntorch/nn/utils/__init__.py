"""``nn.utils``: helpers around parameters (gradient clipping, flattening to one vector, weight/spectral
normalization and parametrizations (参数化), fusing BatchNorm, functional calls)."""
from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grad_norm, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from . import rnn  # noqa: F401  (nn.utils.rnn: pad_sequence, pack_padded_sequence, PackedSequence ...)
from . import parametrize, parametrizations, stateless  # noqa: F401
from .weight_norm import weight_norm, remove_weight_norm
from .spectral_norm import spectral_norm, remove_spectral_norm
from .fusion import fuse_conv_bn_eval, fuse_conv_bn_weights, fuse_linear_bn_eval, fuse_linear_bn_weights
from .init import skip_init

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters",
           "clip_grad_norm", "clip_grads_with_norm_", "get_total_norm", "weight_norm", "remove_weight_norm",
           "spectral_norm", "remove_spectral_norm", "fuse_conv_bn_eval", "fuse_conv_bn_weights",
           "fuse_linear_bn_eval", "fuse_linear_bn_weights", "skip_init"]
