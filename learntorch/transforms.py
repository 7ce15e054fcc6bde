"""A small ``torchvision.transforms``: ``ToTensor``, ``Normalize``, ``Compose``, ``Lambda`` (数据变换).

    from learntorch import transforms
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    x = transform(image)        # image: uint8 28x28  ->  float 1x28x28, about mean 0 / std 1

Also importable as ``learntorch.datasets.transforms``.  Names, arguments,
results and printed forms follow torchvision.
"""
import numpy as np

__all__ = ["Compose", "ToTensor", "Normalize", "Lambda"]


class Compose:
    """Apply several transforms one after the other: ``Compose([t1, t2])(x) == t2(t1(x))``."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        lines = [self.__class__.__name__ + "("]
        lines += [f"    {t}" for t in self.transforms]
        return "\n".join(lines) + "\n)"


def _as_hwc_array(pic):
    """An image (PIL image, NumPy array or learntorch tensor, H x W [x C]) as a NumPy array, H x W x C."""
    from ._tensor import Tensor
    if isinstance(pic, Tensor):
        arr = pic.detach().cpu().numpy()
    elif isinstance(pic, np.ndarray):
        arr = pic
    elif type(pic).__module__.startswith("PIL.") and hasattr(pic, "mode"):  # a PIL image (Pillow is optional)
        modes = {"I": np.int32, "I;16": np.uint16, "F": np.float32}
        arr = np.array(pic, modes.get(pic.mode, np.uint8), copy=True)
        if pic.mode == "1":
            arr = 255 * arr
        arr = arr.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if arr.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {arr.ndim} dimensions.")
    return arr[:, :, None] if arr.ndim == 2 else arr


class ToTensor:
    """Image (H x W x C, or H x W) -> float tensor C x H x W; uint8 pixels are scaled: x / 255, into [0, 1].

    Accepts what torchvision accepts (a PIL image, a NumPy array) and also a
    learntorch tensor laid out like the array (learntorch's MNIST returns its
    images as uint8 28x28 tensors).  Other dtypes keep their values, as in
    torchvision.
    """

    def __call__(self, pic):
        from . import _dtype, from_numpy
        arr = np.ascontiguousarray(_as_hwc_array(pic).transpose(2, 0, 1))
        if arr.dtype == np.uint8:
            dt = _dtype.get_default_dtype().np
            return from_numpy(arr.astype(dt) / dt.type(255))
        return from_numpy(arr.copy())

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class Normalize:
    """Per channel c: y[c] = (x[c] - mean[c]) / std[c], for a float tensor (..., C, H, W)."""

    def __init__(self, mean, std, inplace=False):
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor):
        from ._tensor import Tensor
        if not isinstance(tensor, Tensor):
            raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
        if not tensor.is_floating_point():
            raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
        if tensor.ndim < 3:
            raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                             f"tensor.size() = {tensor.size()}")
        mean, std = self._constants(tensor.dtype, tensor.device)
        if self.inplace:
            return tensor.sub_(mean).div_(std)
        return (tensor - mean) / std

    def _constants(self, dtype, device):
        """mean and std as (C, 1, 1) tensors of ``dtype`` on ``device`` (made once, then reused)."""
        from . import as_tensor
        key = (dtype, str(device), repr(self.mean), repr(self.std))
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            if np.any(np.asarray(self.std, dtype=dtype.np) == 0):
                raise ValueError(f"std evaluated to zero after conversion to {dtype}, leading to division by zero.")
            mean = as_tensor(np.asarray(self.mean, dtype=dtype.np), device=device)
            std = as_tensor(np.asarray(self.std, dtype=dtype.np), device=device)
            cache[key] = (mean.view(-1, 1, 1) if mean.ndim == 1 else mean, std.view(-1, 1, 1) if std.ndim == 1 else std)
        return cache[key]

    def __repr__(self):
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


class Lambda:
    """Use any function as a transform: ``Lambda(lambda x: x.view(-1))``."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{self.__class__.__name__}()"
