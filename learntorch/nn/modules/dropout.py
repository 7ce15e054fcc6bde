"""``nn.Dropout`` (随机失活): zero random elements while training, do nothing in eval().
``nn.Dropout1d`` / ``nn.Dropout2d`` (空间随机失活) zero whole channels instead; ``nn.AlphaDropout``
(for SELU networks) keeps the mean and variance."""
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "AlphaDropout", "FeatureAlphaDropout"]


class Dropout(Module):
    """Each element is zeroed with probability ``p`` in training mode; survivors are scaled by 1/(1-p)."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Each channel of (N, C, L) or (C, L) inputs is zeroed with probability ``p`` in training mode."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """Each channel (feature map) of (N, C, H, W) inputs is zeroed with probability ``p`` in training mode."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class AlphaDropout(Dropout):
    """Alpha dropout (for SELU networks): dropped elements take SELU's saturation value, then an affine map
    keeps mean 0 and variance 1.  (As in PyTorch, ``inplace`` is stored but the layer does not use it.)"""

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(Dropout):
    """Alpha dropout of whole channels (feature maps)."""

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)
