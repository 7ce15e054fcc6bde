"""``torch.utils.checkpoint``: activation checkpointing (梯度检查点 / 激活重计算).

``checkpoint(fn, x)`` runs ``fn`` without keeping its intermediate results (activations) for
backward; the backward pass runs ``fn`` again (with the random-number generators set back to
their state at forward time, so dropout masks repeat) and differentiates that recomputation.
Memory for compute: the gradients equal those without checkpointing.

How learntorch does it: one custom ``autograd.Function`` whose backward recomputes.

* ``use_reentrant=True`` (PyTorch's old default): forward runs under ``no_grad``; backward calls
  ``autograd.backward`` on the recomputation, which fills ``.grad`` of the parameters used inside.
  As in PyTorch, the result needs an input with ``requires_grad=True`` and does not work with
  ``autograd.grad`` for those parameters.
* ``use_reentrant=False``: forward records the graph once to find the leaf tensors the function
  uses (parameters), then drops it; those leaves become inputs of the node, so ``autograd.grad``,
  ``create_graph`` and inputs without ``requires_grad`` work.  Unlike PyTorch, the result's
  ``grad_fn`` is then ``CheckpointFunctionBackward`` too (PyTorch shows the last op's node).
"""
import warnings

from .. import _errors
from ..autograd import grad_mode
from ..autograd.function import Function

__all__ = ["checkpoint", "checkpoint_sequential"]


def _generators(tensors):
    from .. import backends
    gens = [backends.CPU_BACKEND.generator]
    if any(t.device.type == "cuda" for t in tensors):
        gens.append(backends.cuda_backend().generator)
    return gens


class _Recompute:
    """What backward needs to run the function again (kept on the node, not saved as tensors)."""

    def __init__(self, function, args, kwargs, reentrant, gens, states, outputs):
        self.function, self.args, self.kwargs = function, args, kwargs
        self.reentrant, self.gens, self.states, self.outputs = reentrant, gens, states, outputs


class CheckpointFunction(Function):
    """y = f(x), f's activations not kept.   dL/dx: run f(x) again, then backward through it."""

    @staticmethod
    def forward(ctx, rec, *tensors):
        ctx.rec = rec
        if rec.outputs is not None:           # already computed while looking for the leaves
            return rec.outputs
        return rec.function(*rec.args, **rec.kwargs)

    @staticmethod
    def backward(ctx, *grads):
        from .. import autograd
        from .._tensor import Tensor
        rec = ctx.rec
        create_graph = grad_mode.is_grad_enabled()
        now = [g.get_state() for g in rec.gens]
        try:
            for g, s in zip(rec.gens, rec.states):     # the random numbers of forward time again
                g.set_state(s)
            # create_graph: stay connected to the real inputs so that the gradient has a graph too
            connect = create_graph and not rec.reentrant
            args = [(a.view_as(a) if connect and a.requires_grad else a.detach().requires_grad_(a.requires_grad))
                    if isinstance(a, Tensor) else a for a in rec.args]
            with grad_mode.enable_grad():
                outputs = rec.function(*args, **rec.kwargs)
        finally:
            for g, s in zip(rec.gens, now):
                g.set_state(s)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grads) if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            _errors.fail("ckpt_no_output_grad")
        outs, gs = zip(*pairs)
        inputs = [a for a in args if isinstance(a, Tensor)]
        if rec.reentrant:
            autograd.backward(outs, gs)
            return (None,) + tuple(a.grad if a.requires_grad else None for a in inputs)
        wanted = [a for a in inputs if a.requires_grad] + list(rec.leaves)
        found = iter(autograd.grad(outs, wanted, gs, create_graph=create_graph, allow_unused=True)) if wanted else iter(())
        result = [next(found) if a.requires_grad else None for a in inputs] + list(found)
        return (None,) + tuple(result)


def _leaves_of(outputs, skip):
    """Leaf tensors with requires_grad reached from ``outputs``' graph (not those in ``skip``)."""
    seen, leaves, stack = set(), [], [o.grad_fn for o in outputs if o.grad_fn is not None]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        var = getattr(node, "variable", None)
        if var is not None and not any(var is s for s in skip):
            leaves.append(var)
        stack.extend(n for n, _ in node.next_functions)
    return leaves


def checkpoint(function, *args, use_reentrant=None, preserve_rng_state=True, **kwargs):
    """Run ``function(*args, **kwargs)`` now, and again in backward instead of keeping its activations."""
    from .._tensor import Tensor
    if use_reentrant is None:
        warnings.warn(_errors.msg("ckpt_use_reentrant"), stacklevel=2)
        use_reentrant = True
    if kwargs and use_reentrant:
        _errors.fail("ckpt_kwargs", names=",".join(kwargs))
    tensors = [a for a in args if isinstance(a, Tensor)]
    gens = _generators(tensors) if preserve_rng_state else []
    states = [g.get_state() for g in gens]
    rec = _Recompute(function, args, kwargs, use_reentrant, gens, states, None)
    rec.leaves = ()
    if use_reentrant:
        if not any(t.requires_grad for t in tensors):
            warnings.warn(_errors.msg("ckpt_no_input_grad"), stacklevel=2)
        return CheckpointFunction.apply(rec, *tensors)
    if not grad_mode.is_grad_enabled():
        return function(*args, **kwargs)
    # run once with the graph recorded, only to find the parameters used inside; the graph
    # (and with it every activation) is dropped when this function returns
    detached = [a.detach().requires_grad_(a.requires_grad) if isinstance(a, Tensor) else a for a in args]
    out = function(*detached, **kwargs)
    outs = out if isinstance(out, tuple) else (out,)
    rec.leaves = _leaves_of([o for o in outs if isinstance(o, Tensor)], [a for a in detached if isinstance(a, Tensor)])
    rec.outputs = tuple(o.detach() if isinstance(o, Tensor) else o for o in outs) if isinstance(out, tuple) \
        else out.detach()
    if not any(t.requires_grad for t in tensors) and not rec.leaves:
        return rec.outputs
    return CheckpointFunction.apply(rec, *tensors, *rec.leaves)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Split ``functions`` (an ``nn.Sequential`` or a list) into ``segments`` chunks and
    checkpoint all but the last."""
    from .. import nn
    if use_reentrant is None:
        warnings.warn(_errors.msg("ckpt_seq_use_reentrant"), stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        _errors.fail("ckpt_kwargs", names=",".join(kwargs))

    def run_function(start, end, functions):
        def forward(input):
            for j in range(start, end + 1):
                input = functions[j](input)
            return input
        return forward

    if isinstance(functions, nn.Sequential):
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)
