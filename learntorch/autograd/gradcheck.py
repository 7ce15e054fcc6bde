"""``gradcheck``: compare backward's gradients with finite differences (数值梯度检验).

For every input element, nudge it by ``±eps`` and watch how every output moves:
``(f(x+eps) - f(x-eps)) / 2eps`` approximates one column of the Jacobian.  The
analytic Jacobian comes from one ``autograd.grad`` call per output element.
Both must agree within ``atol + rtol * |numerical|``.  Use float64 inputs.
"""
import numpy as np

from . import grad_mode

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    from .._tensor import Tensor
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _flat_outputs(fn, inputs):
    out = _as_tuple(fn(*inputs))
    return [o for o in out if o.dtype.is_floating_point]


def _numerical_jacobian(fn, inputs, wrt, eps):
    """J[k][i] = d out_k / d wrt_i as NumPy arrays (rows: input elements)."""
    jac = []
    with grad_mode.no_grad():
        base = [o.detach().cpu().numpy().astype(np.float64) for o in _flat_outputs(fn, inputs)]
        for x in wrt:
            flat = x._backend.to_numpy(x._data).reshape(-1)  # cpu: a view we may edit
            cols = [np.zeros((x.numel(), b.size)) for b in base]
            for i in range(x.numel()):
                orig = flat[i].item()
                _set(x, flat, i, orig + eps)
                plus = [o.detach().cpu().numpy().astype(np.float64).reshape(-1) for o in _flat_outputs(fn, inputs)]
                _set(x, flat, i, orig - eps)
                minus = [o.detach().cpu().numpy().astype(np.float64).reshape(-1) for o in _flat_outputs(fn, inputs)]
                _set(x, flat, i, orig)
                for k in range(len(base)):
                    cols[k][i] = (plus[k] - minus[k]) / (2 * eps)
            jac.append(cols)
    return jac


def _set(x, flat, i, value):
    """Write ``value`` at row-major position ``i`` of input ``x`` (in place when ``flat`` is a view of it)."""
    if x.is_cuda or not np.shares_memory(flat, x._data):   # cuda, or a non-contiguous cpu input
        arr = x._backend.to_numpy(x._data).reshape(-1)
        arr[i] = value
        x._data = x._backend.from_numpy(arr.reshape(x.shape))
    else:
        flat[i] = value


def _analytical_jacobian(fn, inputs, wrt):
    from . import grad as autograd_grad
    from .._tensor import Tensor
    outputs = _flat_outputs(fn, inputs)
    jac = [[np.zeros((x.numel(), o.numel())) for o in outputs] for x in wrt]
    for k, o in enumerate(outputs):
        for j in range(o.numel()):
            seed = np.zeros(o.numel())
            seed[j] = 1.0
            g_out = Tensor._make(o._backend.from_numpy(seed.reshape(o.shape).astype(o.dtype.np)), o.dtype, o._backend)
            if not o.requires_grad:
                continue
            grads = autograd_grad([o], wrt, [g_out], retain_graph=True, allow_unused=True)
            for i, g in enumerate(grads):
                if g is not None:
                    jac[i][k][:, j] = g._backend.to_numpy(g._data).reshape(-1)
    return jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """True when ``func``'s backward agrees with finite differences at ``inputs``."""
    inputs = _as_tuple(inputs)
    wrt = [x for x in inputs if hasattr(x, "requires_grad") and x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.")
    num = _numerical_jacobian(func, inputs, wrt, eps)
    ana = _analytical_jacobian(func, inputs, wrt)
    for i, (n_cols, a_cols) in enumerate(zip(num, ana)):
        for k, (n, a) in enumerate(zip(n_cols, a_cols)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {k} with respect to input {i},\n"
                        f"numerical:{_fmt(n)}\nanalytical:{_fmt(a)}\n")
                return False
    return True


def _fmt(a):
    from .._tensor import Tensor
    return repr(Tensor._make(np.ascontiguousarray(a)))


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """Check second derivatives: gradcheck of the function ``inputs -> grad(func(inputs))``."""
    from . import grad as autograd_grad
    from .. import _creation
    inputs = _as_tuple(inputs)
    wrt = [x for x in inputs if x.requires_grad]
    outputs = _flat_outputs(func, inputs)
    if grad_outputs is None:
        gen = np.random.default_rng(0)
        grad_outputs = [
            _creation.tensor(gen.standard_normal(o.shape), dtype=o.dtype, device=o.device, requires_grad=True)
            for o in outputs]
    grad_outputs = list(_as_tuple(grad_outputs))
    n = len(inputs)

    def first_grads(*args):
        ins, gos = args[:n], args[n:]
        with grad_mode.enable_grad():  # also when finite differences run under no_grad
            outs = _flat_outputs(func, ins)
            w = [x for x in ins if x.requires_grad]
            gs = autograd_grad(outs, w, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
