"""``torch.func``: function transforms (函数变换): ``grad``, ``vjp``, ``jacrev``, ``jacfwd``,
``hessian``, ``functional_call`` and ``vmap`` (向量化映射).

A transform takes a Python function and returns a new function: ``grad(f)(x)`` is df/dx,
``vmap(f)(xs)`` is ``f`` applied to every slice ``xs[i]``.  They compose, as in PyTorch:
``vmap(grad(loss), in_dims=(None, 0, 0))(params, xs, ys)`` gives one gradient per example.

How learntorch does it (simpler than PyTorch, same numbers):

* ``grad``, ``vjp``, ``jacrev`` call ``autograd.grad`` on fresh copies of the inputs.  When the
  inputs already carry a graph (an outer transform, or a tensor with ``requires_grad=True``), the
  copies stay connected to it and ``create_graph=True`` is used, so transforms nest
  (``grad(grad(f))``, ``hessian``).  Otherwise the results come back detached.
* ``jacfwd`` computes the same Jacobian as ``jacrev``, with reverse mode (learntorch has no
  forward-mode AD); ``hessian`` is ``jacfwd(jacrev(f))`` as in PyTorch.
* ``vmap`` is an honest loop: it calls ``func`` once per index of the batch dimension and stacks
  the results.  It is not a batching transform, so it is as slow as the loop, and a function that
  would fail under PyTorch's vmap (``.item()``, data-dependent control flow) works here.
  ``randomness='error'`` is detected by watching the random-number generators' state;
  ``'same'`` replays the generator state for every example.
"""
from . import _errors
from .autograd import grad_mode

__all__ = ["grad", "grad_and_value", "vjp", "jacrev", "jacfwd", "hessian", "functional_call", "vmap"]


def _Tensor():
    from ._tensor import Tensor
    return Tensor


# --- pytrees: tensors inside (nested) tuples, lists and dicts --------------------------------------

def _flatten(tree):
    """(leaves, spec): every non-container is a leaf; ``spec`` rebuilds the containers."""
    if isinstance(tree, (tuple, list)):
        leaves, specs = [], []
        for item in tree:
            lv, sp = _flatten(item)
            leaves += lv
            specs.append(sp)
        return leaves, (type(tree), None, specs)
    if isinstance(tree, dict):
        leaves, specs = [], []
        for item in tree.values():
            lv, sp = _flatten(item)
            leaves += lv
            specs.append(sp)
        return leaves, (dict, list(tree), specs)
    return [tree], None


def _unflatten(spec, leaves):
    it = iter(leaves)

    def build(sp):
        if sp is None:
            return next(it)
        kind, keys, specs = sp
        items = [build(s) for s in specs]
        if kind is dict:
            return dict(zip(keys, items))
        return tuple(items) if kind is tuple else (kind(items) if kind is list else kind(*items))
    return build(spec)


def _tree_map(fn, tree):
    leaves, spec = _flatten(tree)
    return _unflatten(spec, [fn(x) for x in leaves])


# --- grad and friends ------------------------------------------------------------------------------

def _check_argnums(argnums, n):
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for a in nums:
        if not -n <= a < n:
            _errors.fail("func_argnum", argnum=a, n=n)
    if len(set(a % n for a in nums)) != len(nums):
        _errors.fail("func_argnums_unique", argnums=argnums)


def _prepare_args(args, argnums):
    """Replace ``args[argnums]`` by fresh tensors to differentiate against.

    Returns (new args, the differentiated part (a pytree), connected?) where ``connected`` says that
    some input already requires grad, so results keep their graph (nested transforms)."""
    Tensor = _Tensor()
    _check_argnums(argnums, len(args))
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    connected = False

    def fresh(x):
        nonlocal connected
        if not isinstance(x, Tensor):
            _errors.fail("func_transform_input", type=type(x))
        if x.requires_grad:
            connected = True
            return x.view_as(x)
        return x.detach().requires_grad_()

    args = list(args)
    for a in nums:
        args[a] = _tree_map(fresh, args[a])
    diff = args[argnums] if not isinstance(argnums, tuple) else tuple(args[a] for a in argnums)
    return tuple(args), diff, connected


def _detach_tree(tree, keep):
    Tensor = _Tensor()
    return tree if keep else _tree_map(lambda t: t.detach() if isinstance(t, Tensor) else t, tree)


def _grads(outputs, inputs, grad_outputs, keep):
    """d(outputs)/d(inputs) with zeros where an input was not used."""
    from .autograd import grad as autograd_grad
    from .ops.creation_helpers import zeros_like_of
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if pairs:
        outs, gouts = zip(*pairs)
        res = autograd_grad(outs, inputs, gouts, retain_graph=True, create_graph=keep, allow_unused=True)
    else:
        res = (None,) * len(inputs)
    return [g if g is not None else zeros_like_of(x) for g, x in zip(res, inputs)]


def grad_and_value(func, argnums=0, has_aux=False):
    """A function returning (df/d args[argnums], f(*args)); with ``has_aux``: (grad, (value, aux))."""
    def wrapper(*args, **kwargs):
        Tensor = _Tensor()
        with grad_mode.enable_grad():
            args, diff, keep = _prepare_args(args, argnums)
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    _errors.fail("func_aux", api="grad_and_value")
                out, aux = out
            if not isinstance(out, Tensor):
                _errors.fail("func_not_tensor", api="grad_and_value", type=type(out))
            if out.dim() != 0:
                _errors.fail("func_not_scalar", api="grad_and_value", n=out.dim())
            leaves, spec = _flatten(diff)
            g = _unflatten(spec, _grads([out], leaves, [None], keep))
        value = out if keep else out.detach()
        if has_aux:
            return g, (value, _detach_tree(aux, keep))
        return g, value
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """A function returning df/d args[argnums] (``func`` must return a scalar Tensor)."""
    gv = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


def vjp(func, *primals, has_aux=False):
    """(func(*primals), vjp_fn[, aux]); ``vjp_fn(v)`` gives v^T J, one entry per primal."""
    Tensor = _Tensor()
    with grad_mode.enable_grad():
        args, diff, keep = _prepare_args(primals, tuple(range(len(primals))))
        out = func(*args)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                _errors.fail("func_aux", api="vjp")
            out, aux = out
        out_leaves, _ = _flatten(out)
        for o in out_leaves:
            if not isinstance(o, Tensor):
                _errors.fail("func_not_tensor", api="vjp", type=type(o))
    in_leaves, in_spec = _flatten(diff)

    def vjp_fn(cotangents):
        with grad_mode.enable_grad():
            v, _ = _flatten(cotangents)
            return _unflatten(in_spec, _grads(out_leaves, in_leaves, v, keep))

    result = (_detach_tree(out, keep), vjp_fn)
    return result + (_detach_tree(aux, keep),) if has_aux else result


def _jacobian(func, argnums, has_aux, api):
    """The Jacobian of every output leaf with respect to every input leaf (one backward pass per
    output element): an output-structure of input-structures of out.shape + in.shape tensors."""
    def wrapper(*args, **kwargs):
        from . import stack, zeros
        Tensor = _Tensor()
        with grad_mode.enable_grad():
            args, diff, keep = _prepare_args(args, argnums)
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    _errors.fail("func_aux", api=api)
                out, aux = out
            out_leaves, out_spec = _flatten(out)
            in_leaves, in_spec = _flatten(diff)
            jac = []
            for o in out_leaves:
                if not isinstance(o, Tensor):
                    _errors.fail("func_not_tensor", api=api, type=type(o))
                flat = o.reshape(-1)
                rows = [_grads([flat[k]], in_leaves, [None], keep) for k in range(o.numel())]
                per_input = []
                for j, x in enumerate(in_leaves):
                    shape = tuple(o.shape) + tuple(x.shape)
                    per_input.append(stack([r[j] for r in rows]).reshape(shape) if rows else
                                     zeros(shape, dtype=x.dtype, device=x.device))
                jac.append(_unflatten(in_spec, per_input))
            jac = _unflatten(out_spec, jac)
        jac = _detach_tree(jac, keep)
        return (jac, _detach_tree(aux, keep)) if has_aux else jac
    return wrapper


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """A function returning the Jacobian of ``func`` (reverse mode: one backward pass per output element)."""
    return _jacobian(func, argnums, has_aux, "jacrev")


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """A function returning the Jacobian of ``func``.  Same values as PyTorch's forward mode;
    computed here with reverse mode (learntorch has no forward-mode AD)."""
    return _jacobian(func, argnums, has_aux, "jacfwd")


def hessian(func, argnums=0):
    """A function returning the Hessian of a scalar ``func``: jacfwd(jacrev(func))."""
    return jacfwd(jacrev(func, argnums), argnums)


# --- functional_call -----------------------------------------------------------------------------

def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    """Run ``module(*args, **kwargs)`` with some parameters/buffers replaced by the given tensors
    (swapped in for the call, put back afterwards)."""
    if isinstance(parameter_and_buffer_dicts, dict):
        values = dict(parameter_and_buffer_dicts)
    else:
        values = {}
        for d in parameter_and_buffer_dicts:
            values.update(d)
    if tie_weights:   # a tensor shared under several names (tied weights) is replaced everywhere
        by_id = {}
        named = list(module.named_parameters(remove_duplicate=False)) + list(module.named_buffers(remove_duplicate=False))
        for name, t in named:
            by_id.setdefault(id(t), []).append(name)
        for name, t in named:
            if name in values:
                for other in by_id[id(t)]:
                    values.setdefault(other, values[name])
    swapped = []
    try:
        for name, value in values.items():
            *path, leaf = name.split(".")
            owner = module
            for p in path:
                owner = owner._modules[p]
            for store in (owner._parameters, owner._buffers):
                if leaf in store:
                    swapped.append((store, leaf, store[leaf]))
                    store[leaf] = value
                    break
            else:
                swapped.append((owner.__dict__, leaf, owner.__dict__.get(leaf, _MISSING)))
                owner.__dict__[leaf] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for store, leaf, old in reversed(swapped):
            if old is _MISSING:
                del store[leaf]
            else:
                store[leaf] = old


_MISSING = object()


# --- vmap ----------------------------------------------------------------------------------------

def _broadcast_dims(dims, tree, where):
    """One dim per leaf of ``tree``: an int/None applies to the whole subtree, a tuple/list/dict
    must match the structure of ``tree``."""
    if dims is None or isinstance(dims, int):
        return [dims] * len(_flatten(tree)[0])
    if isinstance(dims, (tuple, list)) and isinstance(tree, (tuple, list)) and len(dims) == len(tree):
        return [d for sub, t in zip(dims, tree) for d in _broadcast_dims(sub, t, where)]
    if isinstance(dims, dict) and isinstance(tree, dict) and set(dims) == set(tree):
        return [d for k in tree for d in _broadcast_dims(dims[k], tree[k], where)]
    where()
    return None


def _rng_states():
    from .backends import CPU_BACKEND
    from . import backends
    gens = [CPU_BACKEND.generator]
    cuda = backends.cuda_backend() if backends._cuda_checked else None
    if cuda is not None:
        gens.append(cuda.generator)
    return gens, [g.get_state().copy() for g in gens]


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """A function mapping ``func`` over a batch dimension: a loop over the slices, results stacked."""
    import numpy as np
    from . import stack
    Tensor = _Tensor()
    name = getattr(func, "__name__", repr(func))

    def wrapped(*args, **kwargs):
        if randomness not in ("error", "different", "same"):
            _errors.fail("vmap_randomness_value", value=randomness)
        if not (in_dims is None or isinstance(in_dims, (int, tuple))):
            _errors.fail("vmap_in_dims_kind", name=name, in_dims=in_dims, type=type(in_dims))

        def structure_error():
            _errors.fail("vmap_in_dims_structure", name=name, in_dims=in_dims)
        leaves, spec = _flatten(args)
        dims = _broadcast_dims(in_dims, args, structure_error) if isinstance(in_dims, tuple) else \
            [in_dims] * len(leaves)
        sizes = []
        for x, d in zip(leaves, dims):
            if d is None:
                continue
            if not isinstance(x, Tensor):
                _errors.fail("vmap_in_dim_type", name=name, in_dims=in_dims, d=d, type=type(x))
            if not -x.dim() <= d < x.dim():
                _errors.fail("vmap_in_dim_range", name=name, in_dims=in_dims, d=d, n=x.dim())
            sizes.append(x.shape[d])
        if not sizes:
            _errors.fail("vmap_no_tensor")
        if len(set(sizes)) > 1:
            _errors.fail("vmap_sizes", sizes=sizes)
        gens, start = _rng_states()
        results = []
        for i in range(sizes[0]):
            if randomness == "same":      # every example sees the same random numbers
                for g, s in zip(gens, start):
                    g.set_state(s)
            before = [g.get_state() for g in gens] if randomness == "error" else None
            sliced = [x.select(d, i) if d is not None else x for x, d in zip(leaves, dims)]
            results.append(func(*_unflatten(spec, sliced), **kwargs))
            if before is not None and any(not np.array_equal(b, g.get_state()) for b, g in zip(before, gens)):
                _errors.fail("vmap_randomness")
        # stack: one output leaf at a time, along its out_dim
        out_leaves, out_spec = _flatten(results[0])
        per_example = [_flatten(r)[0] for r in results]
        odims = _broadcast_dims(out_dims, results[0], structure_error) if isinstance(out_dims, tuple) else \
            [out_dims] * len(out_leaves)
        stacked = []
        for k, d in enumerate(odims):
            column = [leaves_i[k] for leaves_i in per_example]
            if d is None:      # an unbatched output: it must not depend on the example
                if isinstance(column[0], Tensor) and any(
                        not bool((c == column[0]).all()) for c in column[1:]):
                    _errors.fail("vmap_out_none", name=name)
                stacked.append(column[0])
                continue
            if not isinstance(column[0], Tensor):
                _errors.fail("vmap_return", name=name, type=type(column[0]))
            stacked.append(stack(column, dim=d))
        return _unflatten(out_spec, stacked)
    return wrapped
