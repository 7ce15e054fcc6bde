"""``nn.utils.parametrize`` (参数化): let ``module.weight`` be computed from other tensors on every access.

``register_parametrization(m, "weight", f)`` moves the parameter to
``m.parametrizations.weight.original`` and makes ``m.weight`` a property that returns
``f(original)``: gradients flow through ``f`` back to ``original``, which is what the optimizer
updates.  As in PyTorch this is done by giving the module a new class
``Parametrized<Class>`` that has the property; removing the last parametrization gives the class back.
"""
import collections.abc
from contextlib import contextmanager
from copy import deepcopy

from ..._tensor import Tensor
from ...autograd import grad_mode
from ... import _errors
from ..modules.container import ModuleDict, ModuleList
from ..parameter import Parameter

__all__ = ["cached", "ParametrizationList", "register_parametrization", "is_parametrized",
           "remove_parametrizations", "type_before_parametrizations", "transfer_parametrizations_and_params"]

_cache_enabled = 0
_cache = {}


@contextmanager
def cached():
    """Inside ``with cached():`` each parametrized tensor is computed once and reused."""
    global _cache, _cache_enabled
    _cache_enabled += 1
    try:
        yield
    finally:
        _cache_enabled -= 1
        if not _cache_enabled:
            _cache = {}


def _register_parameter_or_buffer(module, name, x):
    if isinstance(x, Parameter):
        module.register_parameter(name, x)
    else:
        module.register_buffer(name, x)


def _maybe_set(dest, src):
    """PyTorch's ``dest.set_(src)``: ``dest`` (same object, so the optimizer keeps it) now holds ``src``'s data."""
    dest.data = src


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, and its original value(s) ``original`` (or ``original0``, ...)."""

    def __init__(self, modules, original, unsafe=False):
        if len(modules) == 0:
            _errors.fail("parametrize_empty_list")
        super().__init__(modules)
        self.unsafe = unsafe
        original_shape, original_dtype = original.shape, original.dtype
        with grad_mode.no_grad():
            new = original
            for module in reversed(self):
                if hasattr(module, "right_inverse"):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:
                        pass
        if not isinstance(new, (Tensor, collections.abc.Sequence)):
            _errors.fail("parametrize_right_inverse_type", got=type(new).__name__)
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if original.dtype != new.dtype:
                _errors.fail("parametrize_right_inverse_dtype", orig=original.dtype, new=new.dtype)
            if original.device != new.device:
                _errors.fail("parametrize_right_inverse_device", orig=original.device, new=new.device)
            with grad_mode.no_grad():
                _maybe_set(original, new)
            _register_parameter_or_buffer(self, "original", original)
        else:
            for i, originali in enumerate(new):
                if not isinstance(originali, Tensor):
                    _errors.fail("parametrize_right_inverse_elem", i=i, got=type(originali).__name__)
                if isinstance(original, Parameter):
                    originali = Parameter(originali, original.requires_grad)
                originali.requires_grad_(original.requires_grad)
                _register_parameter_or_buffer(self, f"original{i}", originali)
        if not self.unsafe:
            z = self()
            if not isinstance(z, Tensor):
                _errors.fail("parametrize_not_tensor", got=type(z).__name__)
            if z.dtype != original_dtype:
                _errors.fail("parametrize_first_dtype", orig=original_dtype, new=z.dtype)
            if z.shape != original_shape:
                _errors.fail("parametrize_first_shape", orig=original_shape, new=z.shape)

    def right_inverse(self, value):
        """``module.weight = value``: run the ``right_inverse``s backwards and store into ``original``."""
        with grad_mode.no_grad():
            for module in reversed(self):
                if not hasattr(module, "right_inverse"):
                    _errors.fail("parametrize_no_right_inverse", name=type(module).__name__)
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    _errors.fail("parametrize_set_not_tensor", got=type(value).__name__)
                if value.dtype != self.original.dtype:
                    _errors.fail("parametrize_set_dtype", new=value.dtype, orig=self.original.dtype)
                _maybe_set(self.original, value)
            else:
                if not isinstance(value, collections.abc.Sequence):
                    _errors.fail("parametrize_set_not_seq", got=type(value).__name__)
                if len(value) != self.ntensors:
                    _errors.fail("parametrize_set_len", n=self.ntensors, got=len(value))
                for i, tensor in enumerate(value):
                    original_i = getattr(self, f"original{i}")
                    if not isinstance(tensor, Tensor):
                        _errors.fail("parametrize_set_elem", i=i, got=type(tensor).__name__)
                    if original_i.dtype != tensor.dtype:
                        _errors.fail("parametrize_set_elem_dtype", i=i, new=tensor.dtype, orig=original_i.dtype)
                    _maybe_set(original_i, tensor)

    def forward(self):
        if self.is_tensor:
            x = self[0](self.original)
        else:
            x = self[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in list(self)[1:]:
            x = module(x)
        return x


def _inject_new_class(module):
    """Give ``module`` its own subclass ``Parametrized<Class>`` (where the properties will live)."""
    cls = module.__class__

    def default_deepcopy(self, memo):
        obj = memo.get(id(self))
        if obj is not None:
            return obj
        replica = self.__new__(self.__class__)
        memo[id(self)] = replica
        replica.__dict__ = deepcopy(self.__dict__, memo)
        return replica

    def getstate(self):
        _errors.fail("parametrize_pickle")

    dct = {"__getstate__": getstate}
    if not hasattr(cls, "__deepcopy__"):
        dct["__deepcopy__"] = default_deepcopy
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), dct)


def _inject_property(module, tensor_name):
    """``module.<tensor_name>``: read = run the parametrizations; write = their ``right_inverse``."""

    def get_parametrized(self):
        parametrization = self.parametrizations[tensor_name]
        if not _cache_enabled:
            return parametrization()
        key = (id(module), tensor_name)
        tensor = _cache.get(key)
        if tensor is None:
            tensor = _cache[key] = parametrization()
        return tensor

    def set_original(self, value):
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(module.__class__, tensor_name, property(get_parametrized, set_original))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Make ``module.<tensor_name>`` return ``parametrization(original)``; a second call chains another one."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            y = getattr(module, tensor_name)
            x = parametrization(y)
            if not isinstance(x, Tensor):
                _errors.fail("parametrize_not_tensor", got=type(x).__name__)
            if x.dtype != y.dtype:
                _errors.fail("parametrize_next_dtype", name=tensor_name, orig=y.dtype, new=x.dtype)
            if x.shape != y.shape:
                _errors.fail("parametrize_next_shape", name=tensor_name, orig=y.shape, new=x.shape)
            if hasattr(parametrization, "right_inverse"):
                try:
                    z = parametrization.right_inverse(x)
                except NotImplementedError:
                    pass
                else:
                    if not isinstance(z, Tensor):
                        _errors.fail("parametrize_next_inverse_type", got=type(z).__name__)
                    if z.dtype != y.dtype:
                        _errors.fail("parametrize_next_inverse_dtype", name=tensor_name, orig=y.dtype, new=z.dtype)
                    if z.shape != y.shape:
                        _errors.fail("parametrize_next_inverse_shape", name=tensor_name, orig=y.shape, new=z.shape)
        module.parametrizations[tensor_name].append(parametrization)
        module.parametrizations[tensor_name].unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        parametrizations = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = parametrizations
    else:
        _errors.fail("parametrize_no_tensor", module=module, name=tensor_name)
    return module


def is_parametrized(module, tensor_name=None):
    """Whether ``module`` has any parametrization (or one on ``tensor_name``)."""
    parametrizations = getattr(module, "parametrizations", None)
    if not isinstance(parametrizations, ModuleDict):
        return False
    if tensor_name is None:
        return len(parametrizations) > 0
    return tensor_name in parametrizations


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Undo ``register_parametrization``: ``module.<tensor_name>`` becomes a plain parameter (or buffer) again,
    holding the current parametrized value (``leave_parametrized=True``) or the original one."""
    if not is_parametrized(module, tensor_name):
        _errors.fail("parametrize_remove_missing", module=module, name=tensor_name)
    parametrizations = module.parametrizations[tensor_name]
    if parametrizations.is_tensor:
        original = parametrizations.original
        if leave_parametrized:
            with grad_mode.no_grad():
                t = getattr(module, tensor_name)
                _maybe_set(original, t)
    else:
        if not leave_parametrized:
            _errors.fail("parametrize_remove_seq")
        t = getattr(module, tensor_name)
        original = Parameter(t) if t.requires_grad else t
    delattr(module.__class__, tensor_name)
    del module.parametrizations[tensor_name]
    _register_parameter_or_buffer(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = module.__class__.__bases__[0]
    return module


def type_before_parametrizations(module):
    """The module's class before ``register_parametrization`` changed it."""
    return module.__class__.__bases__[0] if is_parametrized(module) else type(module)


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Register ``from_module``'s parametrizations (all, or ``tensor_name``'s) on ``to_module`` too, with the
    same original tensors."""
    if is_parametrized(from_module):
        names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
        for name in names:
            if not hasattr(to_module, name):
                setattr(to_module, name, Parameter(getattr(from_module, name)))
            for param_func in from_module.parametrizations[name]:
                register_parametrization(to_module, name, param_func)
            src, dst = from_module.parametrizations[name], to_module.parametrizations[name]
            if hasattr(src, "original"):
                dst.original = src.original
            else:
                i = 0
                while hasattr(src, f"original{i}"):
                    setattr(dst, f"original{i}", getattr(src, f"original{i}"))
                    i += 1
    return to_module
