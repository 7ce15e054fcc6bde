"""``nn.Conv1d``, ``nn.Conv2d``, ``nn.Conv3d`` (一维 / 二维 / 三维卷积), ``nn.ConvTranspose1d`` / ``2d`` (转置卷积)."""
import math

from ... import _creation
from ..parameter import Parameter
from .. import functional as F, init
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d"]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _single(v):
    return (v,) if isinstance(v, int) else tuple(v)


def _triple(v):
    return (v, v, v) if isinstance(v, int) else tuple(v)


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the filters ``weight`` (out_channels, in_channels/groups, *kernel_size),
    ``bias`` (out_channels,), PyTorch's initialisation and repr."""
    _tuple = staticmethod(_pair)
    _transposed = False     # ConvTranspose: weight (in_channels, out_channels/groups, *kernel_size)

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
        self.transposed = self._transposed
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
        shape = (in_channels, out_channels // groups) if self._transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(_creation.empty(shape + self.kernel_size, **kw))
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
        if self.output_padding != self._tuple(0):
            s += f", output_padding={self.output_padding}"
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


class Conv3d(_ConvNd):
    """Slides ``out_channels`` learnable (in_channels/groups, kd, kh, kw) filters through (N, C, D, H, W) volumes."""
    _tuple = staticmethod(_triple)

    def forward(self, input):
        if self.padding_mode != "zeros":
            return self._padded_conv(F.conv3d, input)
        return F.conv3d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class _ConvTransposeNd(_ConvNd):
    """Transposed convolution: the gradient of a convolution with respect to its input, as a layer."""
    _transposed = True
    _n = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {self.__class__.__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)
        self.output_padding = self._tuple(output_padding)

    def _output_padding(self, input, output_size):
        """The output_padding that gives ``output_size`` (PyTorch's checks and messages)."""
        n = self._n
        if output_size is None:
            return self.output_padding
        lead = 2 if input.ndim == n + 2 else 1
        output_size = list(output_size)
        if len(output_size) == lead + n:
            output_size = output_size[lead:]
        if len(output_size) != n:
            raise ValueError(f"ConvTranspose{n}D: for {input.ndim}D input, output_size must have {n} "
                             f"or {lead + n} elements (got {len(output_size)})")
        lo = [(input.shape[d + lead] - 1) * s - 2 * p + dl * (k - 1) + 1
              for d, (s, p, dl, k) in enumerate(zip(self.stride, self.padding, self.dilation, self.kernel_size))]
        hi = [m + s - 1 for m, s in zip(lo, self.stride)]
        for size, a, b in zip(output_size, lo, hi):
            if size < a or size > b:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes range "
                                 f"from {lo} to {hi} (for an input of {input.shape[2:]})")
        return tuple(size - a for size, a in zip(output_size, lo))

    def forward(self, input, output_size=None):
        conv = F.conv_transpose2d if self._n == 2 else F.conv_transpose1d
        return conv(input, self.weight, self.bias, self.stride, self.padding, self._output_padding(input, output_size),
                    self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """Upsamples (N, C, L) sequences: each input position adds a learnable (out_channels/groups, k) pattern."""
    _tuple = staticmethod(_single)
    _n = 1


class ConvTranspose2d(_ConvTransposeNd):
    """Upsamples (N, C, H, W) images: each pixel adds a learnable (out_channels/groups, kh, kw) pattern."""
