"""Printing tensors exactly as PyTorch does (placeholder: being completed)."""
import numpy as np


def tensor_repr(t):
    arr = t._backend.to_numpy(t._data)
    body = np.array2string(arr, separator=", ", precision=4)
    suffix = []
    if t.grad_fn is not None:
        suffix.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffix.append("requires_grad=True")
    return "tensor(" + body + "".join(", " + s for s in suffix) + ")"


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    pass
