"""Sorting and counting (排序与计数): sort, argsort, topk, kthvalue, median, mode, unique, bincount ...

(Being filled in: see the module's ``__all__``.)
"""

__all__ = []
TENSOR_METHODS = []
