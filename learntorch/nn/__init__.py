"""``learntorch.nn``: building blocks of neural networks (神经网络).

``nn.Module`` is the base class of every layer and model; ``nn.Parameter``
marks learnable tensors; ``nn.functional`` (``F``) has the same operations as
plain functions; ``nn.init`` fills weights.
"""
from .parameter import Parameter, Buffer
from .modules import *  # noqa: F401,F403  (Module, Linear, ReLU, Sequential, CrossEntropyLoss, ...)
from . import functional, init, utils
from .._data_parallel import DataParallel  # noqa: E402  (one device only; see its docstring)
