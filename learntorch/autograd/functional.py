"""``torch.autograd.functional``: Jacobians, Hessians and vector products of a whole function
(函数式自动求导: 雅可比矩阵 Jacobian, 黑塞矩阵 Hessian, 向量-雅可比积 vjp / 雅可比-向量积 jvp).

Every function here takes a Python function ``func`` and its ``inputs`` (a Tensor or a tuple of
Tensors) and is built on ``autograd.grad``:

* ``vjp``:  v^T J       -- one reverse (backward) pass with ``grad_outputs=v``;
* ``jvp``:  J v         -- the "double-vjp trick": g(u) = u^T J is linear in u, so
  d(g(u))/du applied to v is J v (two reverse passes instead of forward mode);
* ``jacobian``: J, one row per output element (one backward pass each);
* ``hessian``:  the Jacobian of the gradient;
* ``vhp`` / ``hvp``: v^T H and H v (the same trick twice).

Return structure follows PyTorch: a single Tensor when ``inputs`` (or the outputs) was a single
Tensor, a tuple when it was a tuple; ``jacobian`` nests outputs outside inputs.
``vectorize=True`` and ``strategy="forward-mode"`` are accepted and give the same numbers, but are
computed by the same loop of backward passes (learntorch has no vmap or forward-mode AD).
"""
from .. import _errors
from . import grad_mode

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _tensor_type():
    from .._tensor import Tensor
    return Tensor


# --- helpers (the same steps as PyTorch's implementation) ----------------------------------------

def _as_tuple(inp, arg_name, fn_name):
    """(was it a tuple?, a tuple of Tensors); PyTorch's TypeError for anything else."""
    Tensor = _tensor_type()
    is_tuple = isinstance(inp, tuple)
    items = inp if is_tuple else (inp,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            if is_tuple:
                _errors.fail("af_not_tensor_at", arg=arg_name, fn=fn_name, i=i, type=type(el))
            _errors.fail("af_not_tensor", arg=arg_name, fn=fn_name, type=type(el))
    return is_tuple, items


def _unpack(res, was_tuple):
    """Undo ``_as_tuple``: ``was_tuple`` is a bool, or (outer, inner) for a tuple of tuples."""
    if isinstance(was_tuple, tuple):
        outer, inner = was_tuple
        if not inner:
            res = tuple(el[0] for el in res)
        return res if outer else res[0]
    return res if was_tuple else res[0]


def _prepare(inputs, create_graph, need_graph):
    """Fresh Tensor objects to differentiate against (connected to the caller's graph only
    when ``create_graph`` asks for it)."""
    return tuple(x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_(need_graph)
                 for x in inputs)


def _finish(tensors, create_graph):
    """Drop the history of the results unless ``create_graph=True``."""
    if create_graph:
        return tensors
    Tensor = _tensor_type()
    return tuple(t.detach() if isinstance(t, Tensor) else _finish(t, create_graph) for t in tensors)


def _check_v(v, other, other_is_tuple):
    if len(v) != len(other):
        if other_is_tuple:
            _errors.fail("af_v_len", want=len(other), got=len(v))
        _errors.fail("af_v_single")
    for i, (a, b) in enumerate(zip(v, other)):
        if a.size() != b.size():
            _errors.fail("af_v_size", prefix=f"Entry {i} in " if other_is_tuple else "", want=b.size(), got=a.size())


_STRICT_KEYS = {"outputs": "af_strict_output", "grad_inputs": "af_strict_grad_inputs",
                "jacobian": "af_strict_jacobian", "hessian": "af_strict_hessian"}


def _check_requires_grad(tensors, kind, strict):
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            _errors.fail("af_strict_independent", i=i)
        if not t.requires_grad:
            _errors.fail(_STRICT_KEYS[kind], i=i)


def _grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` that skips outputs without a graph (None for every input if none has one)."""
    from . import grad as autograd_grad
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs, gouts = zip(*pairs)
    return autograd_grad(outs, inputs, gouts, retain_graph=retain_graph, create_graph=create_graph,
                         allow_unused=True)


_STAGE_KEYS = {"back": "af_strict_independent", "back_trick": "af_strict_back_trick",
               "double_back": "af_strict_double_back", "double_back_trick": "af_strict_double_back_trick"}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Replace a missing gradient (the output did not depend on that input) by zeros."""
    from ..ops.creation_helpers import zeros_like_of
    res = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                _errors.fail(_STAGE_KEYS[stage], i=i)
            g = zeros_like_of(refs[i])
        elif strict and create_graph and not g.requires_grad:
            _errors.fail("af_strict_create_graph", what="hessian" if "double" in stage else "jacobian", i=i)
        res.append(g)
    return tuple(res)


def _single_output(outputs, is_tuple, fn_name):
    if is_tuple:
        _errors.fail("af_single_tensor", fn=fn_name)
    if outputs[0].numel() != 1:
        _errors.fail("af_single_element", fn=fn_name)


# --- the public functions --------------------------------------------------------------------------

def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product, one backward pass with grad_outputs=v."""
    with grad_mode.enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        if v is not None:
            v = _prepare(_as_tuple(v, "v", "vjp")[1], create_graph, need_graph=False)
            _check_v(v, outputs, out_tuple)
        elif len(outputs) != 1 or outputs[0].numel() != 1:
            _errors.fail("af_v_none_output")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _fill_in_zeros(_grad(outputs, inputs, v, create_graph), inputs, strict, create_graph, "back")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v) by the double-vjp trick: u -> u^T J is linear, its vjp with v is J v."""
    from ..ops.creation_helpers import zeros_like_of
    with grad_mode.enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        if v is not None:
            v = _prepare(_as_tuple(v, "v", "jvp")[1], create_graph, need_graph=False)
            _check_v(v, inputs, in_tuple)
        elif len(inputs) != 1 or inputs[0].numel() != 1:
            _errors.fail("af_v_none_input")
        out_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        # u: any values work (u^T J is linear in u); zeros avoid inf/nan
        u = tuple(zeros_like_of(o).requires_grad_() for o in outputs)
        grad_inputs = _grad(outputs, inputs, u, create_graph=True)     # u^T J, a function of u
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _fill_in_zeros(_grad(grad_inputs, u, v, create_graph), outputs, strict, create_graph, "back_trick")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), out_tuple)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """J[i][j] = d outputs[i] / d inputs[j], of shape outputs[i].shape + inputs[j].shape."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(_errors.msg("af_strategy"))
    if strategy == "forward-mode":
        if create_graph:
            _errors.fail("af_forward_create_graph")
        if strict:
            _errors.fail("af_forward_strict")
        if not vectorize:
            _errors.fail("af_forward_vectorize")
    from ..ops.creation_helpers import zeros_like_of
    from .. import stack
    with grad_mode.enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            _errors.fail("af_vectorize_strict")
        jac = []
        for i, out in enumerate(outputs):
            rows = [[] for _ in inputs]                 # rows[j]: one gradient per element of out
            flat = out.reshape(-1)
            for k in range(out.numel()):
                vj = _grad((flat[k],), inputs, retain_graph=True, create_graph=create_graph)
                for j, (row, g, x) in enumerate(zip(rows, vj, inputs)):
                    if g is None:
                        if strict:
                            _errors.fail("af_jac_strict_independent", i=i, j=j)
                        g = zeros_like_of(x)
                    elif strict and create_graph and not g.requires_grad:
                        _errors.fail("af_strict_create_graph", what="jacobian", i=i)
                    row.append(g)
            jac.append(tuple(stack(row).view(tuple(out.shape) + tuple(x.shape)) for row, x in zip(rows, inputs)))
        return _unpack(_finish(tuple(jac), create_graph), (out_tuple, in_tuple))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """H[i][j] = d^2 func / d inputs[i] d inputs[j]: the Jacobian of the gradient."""
    in_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(_errors.msg("af_hessian_strategy"))

    def single_output(*inp):
        out = func(*inp)
        out_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(outs, "outputs", strict)
        _single_output(outs, out_tuple, "hessian")
        return out.squeeze()

    def jac_func(*inp):
        jac = jacobian(single_output, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _unpack(res, (in_tuple, in_tuple))


def _grad_of_scalar(func, inputs, v, fn_name, create_graph, strict):
    """Shared start of vhp and hvp: (flags, prepared inputs, v, outputs, gradient with a graph)."""
    in_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _prepare(inputs, create_graph, need_graph=True)
    if v is not None:
        v = _prepare(_as_tuple(v, "v", fn_name)[1], create_graph, need_graph=False)
        _check_v(v, inputs, in_tuple)
    elif len(inputs) != 1 or inputs[0].numel() != 1:
        _errors.fail("af_v_none_input")
    out_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    _single_output(outputs, out_tuple, fn_name)
    jac = _grad(outputs, inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return in_tuple, out_tuple, inputs, v, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H): the vjp of the gradient."""
    with grad_mode.enable_grad():
        in_tuple, out_tuple, inputs, v, outputs, jac = _grad_of_scalar(func, inputs, v, "vhp", create_graph, strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _fill_in_zeros(_grad(jac, inputs, v, create_graph), inputs, strict, create_graph, "double_back")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) by the double-vjp trick on the gradient (equal to v^T H: H is symmetric)."""
    from ..ops.creation_helpers import zeros_like_of
    with grad_mode.enable_grad():
        in_tuple, out_tuple, inputs, v, outputs, jac = _grad_of_scalar(func, inputs, v, "hvp", create_graph, strict)
        u = tuple(zeros_like_of(x).requires_grad_() for x in inputs)
        double_back = _grad(jac, inputs, u, create_graph=True)        # u^T H, linear in u
        _check_requires_grad(jac, "hessian", strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        res = _fill_in_zeros(_grad(double_back, u, v, create_graph), inputs, strict, create_graph,
                             "double_back_trick")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)
