"""How in-place operations (``x.add_(1)``, ``x -= lr * g``, ``x[0] = 5``) work.

The new values are computed out of place by the ordinary op (so its graph node
is the usual one, e.g. ``AddBackward0``), then written into ``x``'s own memory:
every view of ``x`` sees the change, ``x``'s version counter goes up (so a
backward that saved the old values refuses to run), and ``x`` becomes the
output of the new node.
"""
from .. import _dtype, _errors
from ..autograd import grad_mode


def check_inplace_allowed(t):
    """In-place changes to leaves that require grad would corrupt their gradient."""
    if grad_mode.state.enabled:
        if t._requires_grad and t.grad_fn is None:
            _errors.fail("inplace_leaf")
        base = t._base
        if base is not None and base._requires_grad and base.grad_fn is None:
            _errors.fail("inplace_leaf_view")


def can_cast(src, dst):
    """PyTorch refuses float->int and anything->bool in in-place results."""
    if src.category > dst.category:
        return False
    return True


def write_inplace(t, result):
    """Write ``result`` (a Tensor computed out of place) into ``t`` and take over its graph."""
    if result.shape != t.shape:
        _errors.fail("broadcast_inplace", out=_errors.shape_str(t.shape), shape=_errors.shape_str(result.shape))
    if not can_cast(result.dtype, t.dtype):
        _errors.fail("cast_result", src=_dtype.SHORT_NAMES[result.dtype], dst=_dtype.SHORT_NAMES[t.dtype])
    b = t._backend
    data = result._data
    if result.dtype is not t.dtype:
        data = b.xp.astype(data, b.dtypes[t.dtype])
    if 0 in t._backend.strides(t._data) and t.numel() > 1:
        _errors.fail("overlap_write")
    t._data[...] = data
    t._vc[0] += 1
    if result._requires_grad:
        t.grad_fn = result.grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def inplace(fn, name):
    """Make the in-place method ``name`` (e.g. ``add_``) from the out-of-place ``fn``."""
    def method(self, *args, **kwargs):
        check_inplace_allowed(self)
        return write_inplace(self, fn(self, *args, **kwargs))
    method.__name__ = name
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`: changes ``self`` and returns it."
    return method
