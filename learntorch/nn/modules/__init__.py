"""The layers (``nn.Linear``, ``nn.ReLU`` ...), containers and losses, one family per file."""
from .module import Module
from .linear import Identity, Linear
from .activation import (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, SiLU, Softplus, ELU, ReLU6,
                         Hardtanh, LogSigmoid, Softmin, SELU, CELU, Mish, Hardswish, Hardsigmoid, Softsign,
                         Softshrink, Hardshrink, Tanhshrink, Threshold, PReLU, GLU, RReLU)
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
from .flatten import Flatten, Unflatten
from .dropout import Dropout, Dropout1d, Dropout2d, AlphaDropout, FeatureAlphaDropout
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .normalization import (LayerNorm, GroupNorm, RMSNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
                            LocalResponseNorm)
from .upsampling import Upsample, UpsamplingNearest2d, UpsamplingBilinear2d
from .linear import Bilinear
from .pixelshuffle import PixelShuffle, PixelUnshuffle, ChannelShuffle
from .fold import Fold, Unfold
from .attention import MultiheadAttention
from .rnn import RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell
from .transformer import (Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer,
                          TransformerDecoderLayer)
from .sparse import Embedding, EmbeddingBag
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d
from .padding import (ZeroPad1d, ZeroPad2d, ConstantPad1d, ConstantPad2d, ReflectionPad1d, ReflectionPad2d,
                      ReplicationPad1d, ReplicationPad2d, CircularPad1d, CircularPad2d)
from .pooling import (MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d,
                      AdaptiveMaxPool1d, AdaptiveMaxPool2d, MaxUnpool1d, MaxUnpool2d,
                      MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, LPPool1d, LPPool2d)
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
           "PoissonNLLLoss", "GaussianNLLLoss",
           "Conv1d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "Dropout1d", "Dropout2d",
           "ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad1d", "ReflectionPad2d",
           "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d",
           "MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
           "TransformerDecoderLayer", "GroupNorm", "RMSNorm", "InstanceNorm1d", "InstanceNorm2d",
           "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell",
           "InstanceNorm3d", "LocalResponseNorm", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "Bilinear",
           "PixelShuffle", "PixelUnshuffle", "ChannelShuffle", "Fold", "Unfold",
           "ConvTranspose1d", "ConvTranspose2d", "MaxUnpool1d", "MaxUnpool2d", "BatchNorm3d",
           "Conv3d", "MaxPool3d", "AvgPool3d", "AdaptiveAvgPool3d", "LPPool1d", "LPPool2d",
           "RReLU", "AlphaDropout", "FeatureAlphaDropout", "EmbeddingBag"]
