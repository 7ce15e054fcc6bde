"""``learntorch.autograd``: automatic differentiation (自动求导).

``backward`` and ``grad`` start the engine (``engine.py``); ``Function`` is the
base of every differentiable operation (``function.py``); ``grad_mode`` switches
recording on and off; ``gradcheck`` compares analytic gradients with finite
differences.
"""
from .. import _errors
from .function import Function, Node
from .grad_mode import no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled
from . import hooks
from .gradcheck import gradcheck, gradgradcheck
from . import function
from .engine import run_backward
from . import functional  # noqa: E402  (jacobian, hessian, vjp, jvp, hvp, vhp)

__all__ = ["backward", "grad", "Function", "no_grad", "enable_grad", "set_grad_enabled",
           "inference_mode", "gradcheck", "gradgradcheck", "hooks", "functional"]


def _as_tuple(x):
    if x is None:
        return None
    return (x,) if isinstance(x, function.Tensor) else tuple(x)


def _make_grads(outputs, grad_outputs):
    grads = []
    for out, g in zip(outputs, grad_outputs):
        if g is None:
            if out._data.size != 1:
                _errors.fail("nonscalar_backward")
            b = out._backend
            shape, dt = out._data.shape, b.dtypes[out.dtype]
            ones = b.xp.asarray(1, dtype=dt, device=b.device) if shape == () else b.xp.ones(shape, dtype=dt, device=b.device)
            g = function.Tensor._make(ones, out.dtype, b)
        elif g.shape != out.shape:
            _errors.fail("grad_shape", got=g.shape, want=out.shape)  # torch.Size([..]) as PyTorch
        grads.append(g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into every leaf's ``.grad``."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    for i, t in enumerate(tensors):
        if not t._requires_grad:
            _errors.fail("no_grad_fn", i=i)
    grads = _make_grads(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    inputs = _as_tuple(inputs)
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """Return d(outputs)/d(inputs) without touching any ``.grad``."""
    from .engine import run_backward
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    for t in inputs:
        if not t._requires_grad:
            _errors.fail("grad_input_no_grad")
    for i, t in enumerate(outputs):
        if not t._requires_grad:
            _errors.fail("no_grad_fn", i=i)
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    grads = _make_grads(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False)
    if allow_unused is None:
        allow_unused = materialize_grads
    out = []
    for t, g in zip(inputs, result):
        if g is None:
            if not allow_unused:
                _errors.fail("grad_unused")
            if materialize_grads:
                from ..ops.creation_helpers import zeros_like_of
                g = zeros_like_of(t)
        out.append(g)
    return tuple(out)
