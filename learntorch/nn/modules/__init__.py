"""The layers (``nn.Linear``, ``nn.ReLU`` ...), containers and losses, one family per file."""
from .module import Module
from .linear import Identity, Linear
from .activation import (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, SiLU, Softplus, ELU, ReLU6,
                         Hardtanh, LogSigmoid, Softmin, SELU, CELU, Mish, Hardswish, Hardsigmoid, Softsign,
                         Softshrink, Hardshrink, Tanhshrink, Threshold, PReLU, GLU)
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
from .flatten import Flatten, Unflatten
from .dropout import Dropout
from .batchnorm import BatchNorm1d, BatchNorm2d
from .normalization import LayerNorm
from .sparse import Embedding
from .conv import Conv2d
from .pooling import MaxPool2d, AvgPool2d
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss,
                   BCEWithLogitsLoss, KLDivLoss, CosineSimilarity, PairwiseDistance, MarginRankingLoss,
                   HingeEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, CosineEmbeddingLoss,
                   TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss)

__all__ = ["Module", "Identity", "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Softmax", "LogSoftmax",
           "SiLU", "Softplus", "ELU", "ReLU6", "Hardtanh", "LogSigmoid", "Sequential", "ModuleList", "ModuleDict",
           "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding", "Conv2d",
           "MaxPool2d", "AvgPool2d", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss",
           "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
           "Softmin", "SELU", "CELU", "Mish", "Hardswish", "Hardsigmoid", "Softsign", "Softshrink", "Hardshrink",
           "Tanhshrink", "Threshold", "PReLU", "GLU", "ParameterList", "ParameterDict",
           "KLDivLoss", "CosineSimilarity", "PairwiseDistance", "MarginRankingLoss", "HingeEmbeddingLoss",
           "SoftMarginLoss", "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "TripletMarginLoss",
           "PoissonNLLLoss", "GaussianNLLLoss"]
