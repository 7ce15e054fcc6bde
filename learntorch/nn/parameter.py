"""``nn.Parameter`` (参数): a Tensor that a Module registers as learnable.

Assigning a Parameter as a Module attribute (``self.weight = nn.Parameter(...)``)
adds it to ``module.parameters()``, which is what an optimizer updates.  A
plain Tensor attribute is not registered.
"""
from .._tensor import Tensor

__all__ = ["Parameter", "Buffer"]


class Parameter(Tensor):
    """A Tensor that is a module's learnable parameter; ``requires_grad=True`` by default.

    It shares memory with ``data`` (no copy), and stays a leaf even when made
    under ``no_grad``.  Results of operations on it are ordinary Tensors.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .._creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
        if requires_grad and not data.dtype.is_floating_point:
            from .. import _errors
            _errors.fail("int_requires_grad_factory")
        p = Tensor._make(data._data, data.dtype, data._backend)
        p.__class__ = cls
        p._vc = data._vc  # same memory, same version counter
        p._requires_grad = bool(requires_grad)
        return p

    def __repr__(self, *, tensor_contents=None):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self._requires_grad)
        memo[id(self)] = result
        return result


class Buffer(Tensor):
    """``nn.Buffer(tensor, persistent=True)``: marks a tensor to be registered as a module buffer."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from .._creation import empty
            data = empty(0)
        b = Tensor._make(data._data, data.dtype, data._backend)
        b.__class__ = cls
        b._vc = data._vc
        b.persistent = persistent
        return b
