"""Operations, one file per family.  Each op is an ``Op`` (``autograd/function.py``)
with its forward and backward side by side, plus the plain function that calls it.

Each module lists the functions it exports (``__all__``) and the ones that are
also Tensor methods (``TENSOR_METHODS``); this file attaches those methods to
``Tensor`` so that ``x.exp()`` and ``torch.exp(x)`` are the same code.
"""
from .._tensor import Tensor
from . import convert, elementwise, reduction, shape, linalg, indexing, sorting, extras

_MODULES = (convert, elementwise, reduction, shape, linalg, indexing, sorting, extras)

for _m in _MODULES:
    for _name in getattr(_m, "TENSOR_METHODS", ()):
        setattr(Tensor, _name, getattr(_m, _name))
    for _name, _fn in getattr(_m, "DUNDERS", {}).items():
        setattr(Tensor, _name, _fn)
    for _name, _prop in getattr(_m, "TENSOR_PROPERTIES", {}).items():
        setattr(Tensor, _name, _prop)

__all__ = [n for _m in _MODULES for n in _m.__all__]
for _m in _MODULES:
    for _name in _m.__all__:
        globals()[_name] = getattr(_m, _name)
