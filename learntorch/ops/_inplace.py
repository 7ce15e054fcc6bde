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
    if result.grad_fn is not None:
        _rebase_saved(t, result, result.grad_fn)
    if result._requires_grad and t._base is not None and grad_mode.state.enabled:
        from .indexing import rebase_view  # a view: its base gets CopySlices (PyTorch's rule)
        if rebase_view(t, result):
            t._vc[0] += 1
            return t
    t._data[...] = data
    t._vc[0] += 1
    if result._requires_grad:
        t.grad_fn = result.grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
        if t.__dict__.get("_views"):
            from .shape import refresh_views  # views of t now read its new values
            refresh_views(t)
    return t


def _rebase_saved(t, result, node):
    """Point what the op saved for backward at the right values, as PyTorch does.

    * If it saved ``t`` itself (``x.log_()`` needs the old x), it gets a copy of
      the old values (still linked to the graph) before they are overwritten.
    * If it saved its output (``x.sigmoid_()`` needs y), that output now is ``t``:
      changing ``t`` in place again makes backward refuse, as in PyTorch.
    """
    from ..autograd.function import _SavedOutput
    saved = node._saved
    if not saved:
        return
    versions = list(node._saved_versions)
    if any(s is t for s in saved):
        from .convert import clone
        old = clone(t)
        versions = [old._vc[0] if s is t else v for s, v in zip(saved, versions)]
        saved = tuple(old if s is t else s for s in saved)
    for k, s in enumerate(saved):
        if type(s) is _SavedOutput and s.data is result._data and result.dtype is t.dtype:
            s.data, s.vc = t._data, t._vc
            versions[k] = t._vc[0] + 1  # the version t has once this write is done
    node._saved, node._saved_versions = saved, tuple(versions)


def inplace(fn, name):
    """Make the in-place method ``name`` (e.g. ``add_``) from the out-of-place ``fn``."""
    def method(self, *args, **kwargs):
        check_inplace_allowed(self)
        return write_inplace(self, fn(self, *args, **kwargs))
    method.__name__ = name
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`: changes ``self`` and returns it."
    return method
