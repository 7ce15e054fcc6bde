"""``nn.DataParallel`` (数据并行), on the one device learntorch has.

With several GPUs, PyTorch's ``DataParallel`` copies the model to each GPU,
splits every batch among them, runs the copies in parallel and gathers the
outputs.  **Several GPUs are out of scope for learntorch**: it has at most one
CUDA device.  This class keeps PyTorch's interface and its one-device
behaviour, so code written for it runs unchanged:

* the wrapped model is ``.module``, and the state_dict keys get the prefix
  ``module.`` (``module.fc1.weight``), exactly as in PyTorch;
* with CUDA available, the model is moved to ``cuda:0`` when wrapped, and each
  forward call moves its tensor inputs there and runs the model once;
  parameters found elsewhere raise PyTorch's error;
* without CUDA, forward simply calls the model.

Import it late in ``nn/__init__.py`` (after ``Module``): ``from .._data_parallel import DataParallel``.
"""
from .nn import Module

__all__ = ["DataParallel"]


class DataParallel(Module):
    """Wrap ``module``; ``forward`` runs it on one device (``device_ids[0]``).

    ``device_ids``, ``output_device`` and ``dim`` are accepted as in PyTorch;
    only device 0 exists, so the batch is never split.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        from . import cuda
        from ._device import device
        if not cuda.is_available():
            self.module = module
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = list(range(cuda.device_count()))
        if output_device is None:
            output_device = device_ids[0]
        self.dim = dim
        self.module = module
        self.device_ids = [_index(d) for d in device_ids]
        self.output_device = _index(output_device)
        self.src_device_obj = device("cuda", self.device_ids[0])
        if len(self.device_ids) == 1:
            self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for t in list(self.module.parameters()) + list(self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError("module must have its parameters and buffers "
                                   f"on device {self.src_device_obj} (device_ids[0]) but found one of "
                                   f"them on device: {t.device}")
        inputs = _to_device(inputs, self.src_device_obj)
        kwargs = _to_device(kwargs, self.src_device_obj)
        return self.module(*inputs, **kwargs)


def _index(d):
    """Device index of an int, 'cuda:0' or a device."""
    from ._device import device
    if isinstance(d, int):
        return d
    d = device(d)
    return 0 if d.index is None else d.index


def _to_device(obj, dev):
    """Move the tensors in ``obj`` (nested in tuples, lists, dicts) to ``dev``; leave anything else as is."""
    from ._tensor import Tensor
    if isinstance(obj, Tensor):
        return obj.to(dev)
    if isinstance(obj, tuple):
        return tuple(_to_device(o, dev) for o in obj)
    if isinstance(obj, list):
        return [_to_device(o, dev) for o in obj]
    if isinstance(obj, dict):
        return type(obj)((k, _to_device(v, dev)) for k, v in obj.items())
    return obj
