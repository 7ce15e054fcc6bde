"""``nn.utils``: helpers around parameters (gradient clipping, flattening to one vector)."""
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from . import rnn  # noqa: F401  (nn.utils.rnn: pad_sequence, pack_padded_sequence, PackedSequence ...)

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]
