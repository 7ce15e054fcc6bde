"""``functional_call`` (函数式调用): run a module with some parameters/buffers replaced by given tensors,
without changing the module (the gradients then flow to the given tensors)."""
import warnings

from ... import _errors

__all__ = ["functional_call"]


def _owner(module, name):
    """(sub-module, attribute) for a dotted name like 'fc1.weight'."""
    *path, attr = name.split(".")
    for p in path:
        module = getattr(module, p)
    return module, attr


def _swap(module, name, value):
    """Put ``value`` where ``module.<name>`` is found and return what was there (None: nothing was)."""
    owner, attr = _owner(module, name)
    for key in ("_parameters", "_buffers"):
        d = owner.__dict__[key]
        if attr in d:
            old, d[attr] = d[attr], value
            return key, old
    old = owner.__dict__.get(attr)
    object.__setattr__(owner, attr, value)
    return "attr", old


def _restore(module, name, where, old):
    owner, attr = _owner(module, name)
    if where == "attr":
        if old is None:
            object.__delattr__(owner, attr)
        else:
            object.__setattr__(owner, attr, old)
    else:
        owner.__dict__[where][attr] = old


def _untie(module, parameters_and_buffers):
    """Tied tensors (one tensor under several names): a value given for one name is used for all of them."""
    names = {}
    for get in (module.named_parameters, module.named_buffers):
        for name, t in get(remove_duplicate=False):
            names.setdefault(id(t), []).append(name)
    out = dict(parameters_and_buffers)
    for group in names.values():
        given = [n for n in group if n in parameters_and_buffers]
        if len(group) < 2 or not given:
            continue
        values = {id(parameters_and_buffers[n]) for n in given}
        if len(values) > 1:
            _errors.fail("functional_call_tied", keys=sorted(group))
        for n in group:
            out.setdefault(n, parameters_and_buffers[given[0]])
    return out


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` computed with the tensors in ``parameters_and_buffers`` (names as in
    ``state_dict``) in place of the module's own (deprecated: PyTorch points to ``torch.func.functional_call``)."""
    warnings.warn(_errors.msg("functional_call_deprecated"), FutureWarning, stacklevel=2)
    values = _untie(module, parameters_and_buffers) if tie_weights else dict(parameters_and_buffers)
    if strict:
        known = [n for n, _ in module.named_parameters(remove_duplicate=False)]
        known += [n for n, _ in module.named_buffers(remove_duplicate=False)]
        unexpected = [k for k in values if k not in known]
        missing = [k for k in known if k not in values]
        errors = []
        if unexpected:
            errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if errors:
            _errors.fail("functional_call_strict", name=module._get_name(), errors="\n\t".join(errors))
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    swapped = []
    try:
        for name, value in values.items():
            swapped.append((name, *_swap(module, name, value)))
        return module(*args, **kwargs)
    finally:
        for name, where, old in reversed(swapped):
            _restore(module, name, where, old)
