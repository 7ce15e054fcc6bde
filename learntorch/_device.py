"""``learntorch.device``: where a tensor's numbers live (设备: CPU or GPU)."""

__all__ = ["device"]


class device:
    """``device('cpu')``, ``device('cuda')``, ``device('cuda:0')``, ``device('cuda', 0)``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        elif isinstance(type, str) and ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if not isinstance(type, str) or type not in ("cpu", "cuda", "meta"):
            # PyTorch lists every device type it knows; learntorch provides cpu and cuda.
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                "lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: "
                + str(type))
        if type == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be -1 or zero, got {index}")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")
CUDA0 = device("cuda", 0)


def as_device(d):
    """Normalise anything PyTorch accepts as a device; cuda always gets index 0."""
    if d is None:
        return CPU
    if not isinstance(d, device):
        d = device(d)
    if d.type == "cpu":
        return CPU
    if d.type == "cuda":
        if d.index not in (None, 0):
            from . import _errors
            raise RuntimeError(_errors.msg("cuda_bad_index", index=d.index))
        return CUDA0
    return d
