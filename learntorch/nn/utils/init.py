"""``skip_init``: build a module without spending time (or random numbers) on initializing (初始化) it."""
import inspect

from ... import _errors

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs):
    """``module_cls(*args, **kwargs)`` with uninitialized parameters and buffers.

    PyTorch builds it on the 'meta' device and allocates empty memory on the target device; learntorch has no
    meta device, so it builds the module normally and then puts the random-number generator back where it was:
    as in PyTorch, the global RNG is left untouched (the values are garbage either way; initialize them)."""
    from ..modules.module import Module
    from ... import _creation
    if not issubclass(module_cls, Module):
        _errors.fail("skip_init_not_module", cls=module_cls)
    if "device" not in inspect.signature(module_cls).parameters:
        _errors.fail("skip_init_no_device")
    state = _creation.get_rng_state()
    try:
        return module_cls(*args, **kwargs)
    finally:
        _creation.set_rng_state(state)
