"""``nn.Conv1d`` and ``nn.Conv2d`` (一维 / 二维卷积)."""
import math

from ... import _creation
from ..parameter import Parameter
from .. import functional as F, init
from .module import Module

__all__ = ["Conv1d", "Conv2d"]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _single(v):
    return (v,) if isinstance(v, int) else tuple(v)


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the filters ``weight`` (out_channels, in_channels/groups, *kernel_size),
    ``bias`` (out_channels,), PyTorch's initialisation and repr."""
    _tuple = staticmethod(_pair)

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in self._tuple(stride)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        valid_padding_modes = {"zeros", "reflect", "replicate", "circular"}   # (printed in the set's order)
        if padding_mode not in valid_padding_modes:
            raise ValueError(f"padding_mode must be one of {valid_padding_modes}, "
                             f"but got padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        n = self._tuple
        self.kernel_size = n(kernel_size)
        self.stride = n(stride)
        self.padding = padding if isinstance(padding, str) else n(padding)
        self.dilation = n(dilation)
        self.transposed = False
        self.output_padding = n(0)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's amounts for padding_mode != 'zeros': (last-dim left, right, next left, right, ...)
        if isinstance(self.padding, str):
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)][::-1]
            self._reversed_padding_repeated_twice = [a for t in totals for a in (t // 2, t - t // 2)]
        else:
            self._reversed_padding_repeated_twice = [p for p in self.padding[::-1] for _ in range(2)]
        kw = {"device": device, "dtype": dtype}
        self.weight = Parameter(_creation.empty((out_channels, in_channels // groups) + self.kernel_size, **kw))
        if bias:
            self.bias = Parameter(_creation.empty(out_channels, **kw))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != self._tuple(0):
            s += f", padding={self.padding}"
        if self.dilation != self._tuple(1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s

    def _padded_conv(self, conv, input):
        """padding_mode 'reflect' / 'replicate' / 'circular': F.pad first, then a convolution without padding."""
        return conv(F.pad(input, self._reversed_padding_repeated_twice, self.padding_mode), self.weight, self.bias,
                    self.stride, 0, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """Slides ``out_channels`` learnable (in_channels/groups, k) filters along (N, C, L) sequences."""
    _tuple = staticmethod(_single)

    def forward(self, input):
        if self.padding_mode != "zeros":
            return self._padded_conv(F.conv1d, input)
        return F.conv1d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv2d(_ConvNd):
    """Slides ``out_channels`` learnable (in_channels/groups, kh, kw) filters over (N, C, H, W) images."""

    def forward(self, input):
        if self.padding_mode != "zeros":
            return self._padded_conv(F.conv2d, input)
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
