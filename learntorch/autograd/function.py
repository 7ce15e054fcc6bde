"""``Function``: an operation that knows its own derivative (自动求导的基本单元).

Every differentiable operation in learntorch is a ``Function`` subclass with a
``forward`` and a ``backward`` side by side::

    class Mul(Op):
        @staticmethod
        def forward(ctx, a, b):          # a, b: arrays
            ctx.save_for_backward(a, b)
            return a * b
        @staticmethod
        def backward(ctx, grad):         # grad: dLoss/d(output), a Tensor
            a, b = ctx.saved_tensors
            return grad * b, grad * a    # chain rule: dLoss/da, dLoss/db

``Function.apply`` runs ``forward`` and, when gradients are being recorded,
links the result into the computation graph (计算图): the result's ``grad_fn``
is the ``ctx`` object (a ``Node``) that remembers the saved values and where
the inputs came from (``next_functions``).  ``backward`` receives and returns
Tensors, so it can itself be differentiated (``create_graph=True``).

Two flavours share this machinery:

* ``Function`` -- PyTorch's public ``torch.autograd.Function``: ``forward``
  receives Tensors (with recording switched off), as in PyTorch.
* ``Op`` -- learntorch's built-in operations: ``forward`` receives backend
  arrays (NumPy/CuPy) and computes with ``ctx.xp``, the array namespace.
"""
import itertools
import sys

from . import grad_mode, hooks
from .. import _dtype, _errors
from .._shape import broadcast_shapes
from ..backends import CPU_BACKEND

_sequence = itertools.count()  # creation order of nodes: the engine runs later nodes first
_FIRST = sys.maxsize           # AccumulateGrad's rank: ahead of every ordinary node


class Node:
    """A node of the backward graph: ``tensor.grad_fn`` and the ``ctx`` of ``forward``."""

    __slots__ = ("fn", "next_functions", "needs_input_grad", "_saved", "_saved_versions", "_meta",
                 "_n_outputs", "_seq", "xp", "backend", "__dict__", "__weakref__")

    # Rarely changed: class-level defaults, overridden on the few nodes that need another value
    # (every graph node is created on the hot path, so it sets only what every node has).
    _freed = False
    _pre_hooks = None            # {output_nr: [hook, ...]} from Tensor.register_hook on non-leaves
    _retained = None             # {output_nr: weakref to tensor} from Tensor.retain_grad
    materialize_grads = True
    _non_differentiable = ()
    _dirty = ()
    out_backend = None           # set by ops whose result lives on another device (ToCopy)

    def __init__(self, fn, backend=CPU_BACKEND):
        # Only what every ctx needs: ``apply`` sets needs_input_grad, ``_link`` sets the graph
        # fields (next_functions, _meta, _seq, _n_outputs) on nodes that join the graph.
        self.fn = fn
        self._saved = None
        self.backend = backend
        self.xp = backend.xp

    # --- what forward uses ----------------------------------------------------
    def save_for_backward(self, *values):
        """Keep ``values`` (inputs, outputs or other arrays/tensors) for ``backward``."""
        self._saved = values

    def mark_non_differentiable(self, *outputs):
        self._non_differentiable = outputs

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    # --- what backward uses ---------------------------------------------------
    @property
    def saved_tensors(self):
        if self._freed:
            _errors.fail("backward_twice")
        if not self._saved:
            return ()
        out = list(self._saved)
        k = 0
        for version in self._saved_versions:
            if version is not None:
                item = out[k]
                if type(item) is _SavedOutput:
                    item = out[k] = item.unpack(self)
                if item._vc[0] != version:        # changed in place since it was saved?
                    _raise_modified(item, version)
            k += 1
        return tuple(out)

    def tensor(self, array):
        """Wrap a backend array computed in ``backward`` as a Tensor (for array fast paths)."""
        b = self.backend
        return Tensor._make(b.wrap(array), None, b)

    def name(self):
        """PyTorch's name for this node, e.g. ``MulBackward0``."""
        return self.__dict__.get("grad_fn_name") or self.fn.node_name()

    @property
    def metadata(self):
        return self.__dict__.setdefault("_metadata", {})

    def register_hook(self, fn):
        raise NotImplementedError("Node.register_hook is not supported; use Tensor.register_hook")

    def release(self):
        """Drop saved values (after backward, unless retain_graph=True)."""
        if self._saved:
            self._saved = None
            self._freed = True

    def apply(self, grads):
        """Run ``backward`` on the output grads; return one grad per tensor input."""
        fn = self.fn
        if self._n_outputs > 1 and self.materialize_grads:
            grads = [g if g is not None else _zeros_for(m) for g, m in zip(grads, self._out_meta())]
        if self.backend is quiet_pass.active:  # the engine already silenced inf/nan warnings
            result = fn.backward(self, *grads)
        else:
            with self.backend.quiet():  # array fast paths in backward: inf/nan without warnings too
                result = fn.backward(self, *grads)
        if type(result) is not tuple:
            result = (result,)
        needs = self.needs_input_grad
        if len(result) != len(needs):   # one gradient per forward argument
            raise RuntimeError(f"function {fn.node_name()} returned an incorrect number of gradients "
                               f"(expected {len(needs)}, got {len(result)})")
        # the gradients for the tensor inputs, each with its input's shape and dtype
        fitted = []
        for i, (shape, dt) in zip(self._tensor_positions, self._meta):
            g = result[i]
            if g is None or not needs[i]:
                g = None
            elif g._data.shape != shape or g.dtype is not dt:
                g = _fit_grad(self, g, shape, dt)
            fitted.append(g)
        return fitted

    def _out_meta(self):
        return self.__dict__.get("_out_meta_", ((None, None, None),))

    def __repr__(self):
        return f"<{self.name()} object>"


class quiet_pass:
    """The backend whose quiet error state the engine entered for a whole backward pass
    (``run_backward``): ``Node.apply`` and ``Op.apply`` on that backend then skip entering it again."""
    active = None


def _zeros_for(meta):
    shape, dt, backend = meta
    return Tensor._make(backend.xp.zeros(shape, dtype=backend.dtypes[dt], device=backend.device), dt, backend)


def _raise_modified(t, expected):
    fn = t.grad_fn
    creator = fn.name() if fn is not None else "AccumulateGrad"
    for suffix in ("Backward0", "Backward1", "Backward"):
        if creator.endswith(suffix):
            creator = creator[: -len(suffix)]
            break
    _errors.fail("modified_inplace", type="torch." + _dtype.TYPE_NAMES[t.dtype],
                 shape=", ".join(map(str, t.shape)), out=t._output_nr, node=creator,
                 version=t._vc[0], expected=expected)


class _SavedOutput:
    """An output saved for backward, kept as its data (not the Tensor, to avoid a
    reference cycle through ``grad_fn``) and rebuilt on use."""

    __slots__ = ("data", "dtype", "backend", "vc", "nr")

    def __init__(self, t):
        self.data, self.dtype, self.backend, self.vc, self.nr = t._data, t.dtype, t._backend, t._vc, t._output_nr

    def unpack(self, node):
        t = Tensor._make(self.data, self.dtype, self.backend)
        t._vc = self.vc
        t._requires_grad = True
        t.grad_fn = node
        t._output_nr = self.nr
        return t


class AccumulateGrad:
    """The node behind a leaf tensor (叶子节点): adds the incoming gradient into ``leaf.grad``."""

    __slots__ = ("variable", "_pre_hooks", "_seq", "__weakref__")
    next_functions = ()
    _retained = None
    _n_outputs = 1

    def __init__(self, variable):
        self.variable = variable
        self._pre_hooks = None
        self._seq = _FIRST  # runs as soon as its gradient is complete, before any other ready node (as PyTorch)

    def name(self):
        return "torch::autograd::AccumulateGrad"  # PyTorch's name for this C++ node

    def __repr__(self):
        return "<AccumulateGrad object>"

    def release(self):
        pass

    def accumulate(self, grad, create_graph, fresh=False):
        """Add ``grad`` into ``.grad``.  ``fresh``: the engine vouches that nothing else refers to
        ``grad``'s memory, so the first gradient can be kept as it is instead of copied."""
        v = self.variable
        if v._grad is None:
            if create_graph:
                v._grad = grad
            elif fresh and grad._backend.owns(grad._data):
                v._grad = grad if not grad._requires_grad else grad.detach()   # (nothing else holds it)
            else:  # it could alias something else (a user's tensor, another leaf's gradient)
                v._grad = grad.detach()._owned()
        elif create_graph:
            v._grad = v._grad + grad  # keeps the graph of the gradient itself
        else:
            v._grad._accumulate_(grad)
        if v._post_acc_hooks:  # Tensor.register_post_accumulate_grad_hook: hook(tensor), once .grad is final
            for hook in list(v._post_acc_hooks):
                result = hook(v)
                if result is not None:
                    if not isinstance(result, Tensor):
                        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
                    _errors.fail("post_acc_hook_return")


class Function:
    """Base class for differentiable operations (PyTorch's ``torch.autograd.Function``).

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``
    and call ``YourFunction.apply(*args)``.
    """

    # Custom Functions are named "<Class>Backward" in the graph, as in PyTorch.
    @classmethod
    def node_name(cls):
        return cls.__name__ + "Backward"

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    # --- apply: forward + graph building ----------------------------------------
    @classmethod
    def apply(cls, *args, **kwargs):
        tensors = [a for a in args if isinstance(a, Tensor)]
        record = grad_mode.state.enabled and any(t._requires_grad for t in tensors)
        ctx = Node(cls, tensors[0]._backend if tensors else CPU_BACKEND)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        with grad_mode.no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        results = []
        for o in outs:
            if isinstance(o, Tensor):
                if any(o is t for t in tensors) and o not in ctx._dirty:
                    o = o.view_as(o)  # returning an input: PyTorch gives a new tensor
                results.append(o)
            else:
                results.append(o)
        if record:
            _link(cls, ctx, args, [r for r in results if isinstance(r, Tensor)])
        return results[0] if single else tuple(results)


class Op(Function):
    """A built-in operation: ``forward`` works on backend arrays, ``backward`` on Tensors.

    ``promote = True`` marks element-wise ops whose tensor inputs are first
    brought to one dtype (PyTorch's type promotion) and checked for
    broadcastable shapes (PyTorch's wording).
    """

    promote = False
    is_view = False
    grad_fn_name = None  # PyTorch's name when it is not "<ClassName>Backward0"

    @classmethod
    def node_name(cls):
        return cls.grad_fn_name or cls.__name__ + "Backward0"

    @classmethod
    def apply(cls, *args, **kwargs):
        # 1. unwrap the tensor inputs to backend arrays; check they share one device
        arrays = list(args)
        needs = [False] * len(args)   # which inputs want a gradient (ctx.needs_input_grad)
        positions = []                # where the tensors are among args
        first = None
        i = 0
        for a in args:
            if isinstance(a, Tensor):
                if first is None:
                    first = a
                elif a._backend is not first._backend:
                    _errors.fail("devices", a=first.device, b=a.device)
                needs[i] = a._requires_grad
                arrays[i] = a._data
                positions.append(i)
            i += 1
        backend = first._backend
        if cls.promote:
            _promote_arrays(args, positions, arrays, backend)
        # 2. run the forward kernel on arrays (it may look at needs_input_grad to save only what
        #    backward will use)
        ctx = Node(cls, backend)
        record = grad_mode.state.enabled and True in needs
        ctx.needs_input_grad = tuple(needs) if record else _NO_GRADS[i] if i < 64 else (False,) * i
        if cls.is_view or backend is quiet_pass.active:  # a view computes nothing; in backward: silenced
            out = cls.forward(ctx, *arrays, **kwargs)
        else:
            token = backend.enter_quiet()  # inf/nan follow IEEE rules silently, as in PyTorch
            try:
                out = cls.forward(ctx, *arrays, **kwargs)
            finally:
                backend.exit_quiet(token)
        # 3. wrap the result(s) as Tensors
        if ctx.out_backend is not None:
            backend = ctx.out_backend
        if type(out) is tuple:
            results = tuple(Tensor._make(backend.wrap(o), None, backend) for o in out)
        else:
            results = Tensor._make(backend.wrap(out), None, backend)
        if cls.is_view:  # the result shares memory (and its version counter) with the input
            base = first._base if first._base is not None else first
            for r in (results if type(results) is tuple else (results,)):
                r._base = base
                r._vc = first._vc
        # 4. when recording, link the result into the graph
        if record:
            _link(cls, ctx, args, results if type(results) is tuple else (results,), arrays, out, positions)
        return results


_NO_GRADS = [(False,) * n for n in range(64)]
Tensor = None  # set by learntorch._tensor once the class exists (it imports this module)


def _promote_arrays(args, positions, arrays, backend):
    """Cast element-wise inputs to their common dtype (in ``arrays``) and check broadcastability."""
    tensors = [args[i] for i in positions]
    d0 = tensors[0].dtype
    for t in tensors:
        if t.dtype is not d0:
            dt = _dtype.result_type_of(tensors)
            target = backend.dtypes[dt]
            for i, a in enumerate(args):
                if isinstance(a, Tensor) and a.dtype is not dt:
                    arrays[i] = backend.xp.astype(arrays[i], target)
            break
    shapes = tuple([t._data.shape for t in tensors])
    if shapes not in _BROADCASTABLE:     # checked once per combination of shapes (loops repeat a few)
        broadcast_shapes(*shapes)        # raises PyTorch's error when they do not broadcast
        if len(_BROADCASTABLE) > 4096:
            _BROADCASTABLE.clear()
        _BROADCASTABLE.add(shapes)


_BROADCASTABLE = set()


def _link(cls, ctx, args, outputs, arrays=None, out=None, positions=None):
    """Make ``ctx`` the ``grad_fn`` of ``outputs`` and point it at the inputs' nodes.

    ``ctx.needs_input_grad`` was set by ``apply`` before ``forward`` ran; ``positions``: where
    the tensors are among ``args``."""
    if positions is None:
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    edges, meta = [], []
    for i in positions:
        a = args[i]
        fn = a.grad_fn
        if fn is not None:                          # (what _edge does, written out: this loop is hot)
            edges.append((fn, a._output_nr))
        elif a._requires_grad:
            edges.append((a._acc or a._accumulator(), 0))
        else:
            edges.append(_NO_EDGE)
        meta.append((a._data.shape, a.dtype))
    ctx._tensor_positions = positions
    ctx.next_functions = tuple(edges)
    ctx._meta = meta
    ctx._seq = next(_sequence)
    nondiff = ctx._non_differentiable
    nr = 0
    for t in outputs:
        if t.dtype.is_floating_point and not (nondiff and any(t is n for n in nondiff)):
            t._requires_grad = True
            t.grad_fn = ctx
            t._output_nr = nr
        nr += 1
    ctx._n_outputs = nr
    if nr > 1:  # unused outputs get zero grads (materialize_grads): remember their shapes
        ctx.__dict__["_out_meta_"] = tuple((t._data.shape, t.dtype, t._backend) for t in outputs)
    if ctx._saved:
        _resolve_saved(ctx, args, arrays, positions, outputs, out)
    if hooks.node_created:
        live = tuple(t for t in outputs if t.grad_fn is ctx)
        for listener in list(hooks.node_created):
            listener(ctx, live)


def _index_of(v, items):
    """Position of the object ``v`` itself (not an equal one) in ``items``, or -1."""
    k = 0
    for item in items:
        if item is v:
            return k
        k += 1
    return -1


def _resolve_saved(ctx, args, arrays, positions, outputs, out):
    """Turn what ``forward`` saved into Tensors ``backward`` can use, with version stamps.

    An ``Op`` saves arrays: each one that is an input's array becomes that
    input Tensor; the output's array becomes a stand-in for the output (kept
    as data plus this node, so the graph holds no reference cycle); any other
    array is kept as a constant.
    """
    outs = out if type(out) is tuple else (out,)
    saved, versions = [], []
    for v in ctx._saved:
        t = None
        if v is None:
            pass
        elif isinstance(v, Tensor):
            t = _SavedOutput(v) if v.grad_fn is ctx and any(v is o for o in outputs) else v
        elif v is out and arrays is not None:        # the output's array (one output): a stand-in for it
            t = outputs[0]
            if t.grad_fn is ctx:
                t = _SavedOutput(t)
        elif arrays is not None:                     # an Op's array: whose is it?
            for k in positions:
                if arrays[k] is v:                   # an input's array: that input
                    t = args[k]
                    break
            else:
                k = _index_of(v, outs)
                if k >= 0:                           # the output's array: a stand-in for the output
                    t = outputs[k]
                    if t.grad_fn is ctx:
                        t = _SavedOutput(t)
                elif not isinstance(v, (int, float, bool, tuple, list)):   # (plain values stay as they are)
                    v = Tensor._make(ctx.backend.wrap(v), None, ctx.backend)   # any other array: a constant
        if t is None:
            saved.append(v)
            versions.append(None)
        else:
            saved.append(t)
            versions.append(t.vc[0] if type(t) is _SavedOutput else t._vc[0])
    ctx._saved = tuple(saved)
    ctx._saved_versions = tuple(versions)


_NO_EDGE = (None, 0)


def _edge(t):
    """Where a gradient for tensor ``t`` must go: its grad_fn, its AccumulateGrad, or nowhere."""
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    if t._requires_grad:
        return (t._accumulator(), 0)
    return (None, 0)


def _fit_array(ctx, g, shape, dt):
    """``g`` summed over the dims broadcasting added (``sum_to_size``) and cast to ``dt``."""
    xp, a = ctx.xp, g._data
    lead = a.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1)
    if dims:
        summed_lead_only = all(d < lead for d in dims)   # e.g. a bias: (N, C) -> (C,), no reshape
        a = xp.sum(a, axis=dims) if summed_lead_only else xp.reshape(xp.sum(a, axis=dims, keepdims=True), shape)
    if dt is not g.dtype:
        a = xp.astype(a, ctx.backend.dtypes[dt])
    return ctx.tensor(a)


def _fit_grad(ctx, g, shape, dt):
    """A gradient summed over the dims broadcasting added and cast to its input's dtype."""
    if grad_mode.state.enabled:      # create_graph: the reduction is part of the new graph
        g = g.sum_to_size(shape) if g._data.shape != shape else g
        return g.to(dt) if g.dtype is not dt else g
    return _fit_array(ctx, g, shape, dt)   # plain backward: the same on arrays, no graph to record
