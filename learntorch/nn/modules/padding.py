"""Padding layers (填充): add a border around the last 1 or 2 dims, as ``F.pad`` does.

``padding`` is an int (the same on every side) or a tuple (left, right) / (left, right, top, bottom).
Zero and constant padding fill with a value; reflection mirrors the inside (edge not repeated),
replication repeats the edge, circular wraps around (periodic boundary)."""
from .. import functional as F
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad1d", "ReflectionPad2d",
           "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d"]


class _PadNd(Module):
    """Stores ``padding`` as PyTorch does: a tuple of 2 (1-D) or 4 (2-D) amounts."""
    n = 1
    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = (padding,) * (2 * self.n) if isinstance(padding, int) else tuple(padding)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value``."""


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dims with ``value``."""
    n = 2


class ZeroPad1d(ConstantPad1d):
    """Pads the last dim with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last 2 dims with zeros (the ``padding=`` of a convolution, as a layer)."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Mirror padding of the last dim: 3 2 | 1 2 3 | 2 1."""
    mode = "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror padding of the last 2 dims."""
    n, mode = 2, "reflect"


class ReplicationPad1d(_PadNd):
    """Edge padding of the last dim: 1 1 | 1 2 3 | 3 3."""
    mode = "replicate"


class ReplicationPad2d(_PadNd):
    """Edge padding of the last 2 dims."""
    n, mode = 2, "replicate"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input):
        if input.ndim not in (self.n + 1, self.n + 2):
            from ... import _errors
            _errors.fail("circular_pad_dims", a=self.n + 1, b=self.n + 2, d=input.ndim)
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Wrap-around padding of the last dim: 2 3 | 1 2 3 | 1 2."""


class CircularPad2d(_CircularPadNd):
    """Wrap-around padding of the last 2 dims."""
    n = 2
