"""Engine events for tools that watch autograd (the graph widget).

Listeners are plain callables.  With none registered the engine pays one
truthiness test per operation.

* ``node_created(node, outputs)``: a differentiable op ran and made ``node``
  (its ``grad_fn``) for the tensors in ``outputs``.
* ``backward_step(node, grad_outputs, grad_inputs)``: during backward, ``node``
  turned the gradients of its outputs into gradients for its inputs.
"""

node_created = []
backward_step = []


class listen:
    """``with listen(node_created=f, backward_step=g): ...`` registers, then removes, listeners."""

    def __init__(self, node_created=None, backward_step=None):
        self.pairs = [(lst, fn) for lst, fn in ((globals()["node_created"], node_created),
                                                 (globals()["backward_step"], backward_step)) if fn]

    def __enter__(self):
        for lst, fn in self.pairs:
            lst.append(fn)
        return self

    def __exit__(self, *exc):
        for lst, fn in self.pairs:
            if fn in lst:
                lst.remove(fn)
        return False
