"""The backward pass (反向传播): walk the graph from the output back to the leaves.

1. Count, for every node reachable from the roots, how many edges lead into it
   (an explicit stack, no recursion: a 10,000-op chain is fine).
2. Start from the roots with their gradients.  A node runs once all of its
   consumers have handed it their gradient (then the sum of them is complete);
   among ready nodes a leaf's AccumulateGrad runs first, then the most recently
   created node, as in PyTorch (the order in which tensor hooks fire).
3. Running a node = ``node.apply(grads)``: its ``backward`` applies the chain
   rule and returns one gradient per input; each is added to the buffer of the
   node it came from (``next_functions``).
4. ``AccumulateGrad`` nodes add into the leaves' ``.grad``; saved values are
   freed as we go unless ``retain_graph=True``.
"""
import collections
import heapq

from . import grad_mode, hooks
from .function import AccumulateGrad, quiet_pass
from .. import _errors


def _graph_order(roots):
    """Dependency counts of every node reachable from ``roots`` (iteratively)."""
    deps = {}
    stack = [n for n in roots if n is not None]
    starts = set(stack)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:               # first time reached: visit it (a root is visited as a start already)
                deps[nxt] = 1
                if nxt not in starts:
                    stack.append(nxt)
    return deps, starts


def _needed(seen, targets):
    """Nodes from which some target node can be reached (only those must run)."""
    parents = {}
    for node in seen:
        for nxt, _ in node.next_functions:
            if nxt is not None:
                parents.setdefault(nxt, []).append(node)
    needed = set(t for t in targets if t in seen)
    stack = list(needed)
    while stack:
        n = stack.pop()
        for p in parents.get(n, ()):
            if p not in needed:
                needed.add(p)
                stack.append(p)
    return needed


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True):
    """Back-propagate ``grad_tensors`` from ``tensors``.

    With ``accumulate=True`` (``Tensor.backward``) gradients go into ``.grad``
    of leaves (or of ``inputs`` only, when given).  With ``accumulate=False``
    (``autograd.grad``) the gradients reaching ``inputs`` are returned instead.
    """
    roots = []
    i = 0
    for t, g in zip(tensors, grad_tensors):
        if not t._requires_grad:
            _errors.fail("no_grad_fn", i=i)
        if t.grad_fn is not None:
            roots.append((t.grad_fn, t._output_nr, g))
        else:
            roots.append((t._accumulator(), 0, g))
        i += 1

    deps, starts = _graph_order([r[0] for r in roots])

    # Where to stop and capture (autograd.grad / backward(inputs=...)).
    capture, needed, captured = None, None, []
    if inputs is not None:
        capture = {}
        for k, t in enumerate(inputs):
            key = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._accumulator(), 0)
            capture.setdefault(key, []).append(k)
        needed = _needed(starts.union(deps), [key[0] for key in capture])
        captured = [None] * len(inputs)

    buffers = {}  # node -> list of summed gradients, one per output
    # id(gradient tensor) -> how many places it was handed to: a gradient that went to a single
    # leaf (and nowhere else) can become that leaf's .grad without a copy
    handed = {}
    saw_hooks = False

    # Ready nodes: leaves' AccumulateGrad nodes in a FIFO (they run first, in order), the others in
    # a heap keyed by -creation number (the most recent first; numbers are unique).
    ready, leaves = [], collections.deque()
    for node, nr, g in roots:
        _add_grad(buffers, handed, node, nr, g)
        handed[id(g)] = 2  # the caller's tensors: never adopt them as a .grad
    queued = set()  # (the same tensor may be passed twice as a root)
    for node, _, _ in roots:
        if node not in deps and node not in queued:  # (a root that another root leads to waits for its turn)
            queued.add(node)
            if type(node) is AccumulateGrad:
                leaves.append(node)
            else:
                heapq.heappush(ready, (-node._seq, node))

    state = grad_mode.state
    was_enabled, state.enabled = state.enabled, create_graph  # backward records only for create_graph
    backend = roots[0][2]._backend
    quiet, quiet_pass.active = quiet_pass.active, backend    # inf/nan silently for the whole pass
    token = backend.enter_quiet()
    try:
        while leaves or ready:
            node = leaves.popleft() if leaves else heapq.heappop(ready)[1]
            grads = buffers.pop(node, None) or [None]
            if node._pre_hooks or node._retained:
                saw_hooks = True  # a hook may keep a gradient: adopt none as .grad from here on
                grads = _run_pre_hooks(node, grads)
            if capture is not None:
                for nr, g in enumerate(grads):
                    for k in capture.get((node, nr), ()):
                        captured[k] = g

            if type(node) is AccumulateGrad:
                g = grads[0]
                if accumulate and g is not None and (inputs is None or (node, 0) in capture):
                    node.accumulate(g, create_graph, not saw_hooks and handed.get(id(g), 1) == 1)
                continue

            if needed is None or node in needed:
                has_grad = grads[0] is not None or any(g is not None for g in grads)
                grad_inputs = node.apply(grads) if has_grad else None
            else:
                grad_inputs = None
            if hooks.backward_step:
                for listener in list(hooks.backward_step):
                    listener(node, grads, grad_inputs)
            if node._saved and not retain_graph:   # (Node.release, written out)
                node._saved = None
                node._freed = True

            k = 0
            for nxt, nr in node.next_functions:
                if nxt is not None:
                    g = grad_inputs[k] if grad_inputs is not None else None
                    if g is not None:             # (what _add_grad does, written out: this loop is hot)
                        key = id(g)
                        handed[key] = handed.get(key, 0) + 1
                        buf = buffers.get(nxt)
                        if buf is None:
                            buffers[nxt] = buf = [None] * nxt._n_outputs
                        buf[nr] = g if buf[nr] is None else buf[nr] + g
                    left = deps[nxt] = deps[nxt] - 1
                    if left == 0:  # its last consumer has run: its gradient is complete (once per node)
                        if type(nxt) is AccumulateGrad:
                            leaves.append(nxt)
                        else:
                            heapq.heappush(ready, (-nxt._seq, nxt))
                k += 1
    finally:
        backend.exit_quiet(token)
        quiet_pass.active = quiet
        state.enabled = was_enabled
    return captured


def _add_grad(buffers, handed, node, nr, g):
    """Add gradient ``g`` for output ``nr`` of ``node`` into its buffer."""
    key = id(g)
    handed[key] = handed.get(key, 0) + 1
    buf = buffers.get(node)
    if buf is None:
        buf = buffers[node] = [None] * node._n_outputs
    buf[nr] = g if buf[nr] is None else buf[nr] + g


def _run_pre_hooks(node, grads):
    """Tensor hooks (``register_hook``) and ``retain_grad`` for the node's outputs."""
    hooks_by_nr = node._pre_hooks
    if hooks_by_nr:
        grads = list(grads)
        for nr, fns in hooks_by_nr.items():
            for fn in fns:
                if grads[nr] is not None:
                    new = fn(grads[nr])
                    if new is not None:
                        grads[nr] = new
    retained = node._retained
    if retained:
        for nr, ref in retained.items():
            t = ref()
            if t is not None and grads[nr] is not None:
                g = grads[nr]
                if t._grad is None:
                    t._grad = g.detach()._owned() if not grad_mode.state.enabled else g
                else:
                    t._grad = t._grad + g
    return grads
