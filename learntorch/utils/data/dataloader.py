"""``DataLoader`` (数据加载器): mini-batches from a dataset, optionally shuffled.

For each batch the batch sampler gives a list of indices, the samples are
fetched and ``collate_fn`` glues them together (``default_collate``: stack
tensors, turn numbers into tensors, keep the structure of tuples and dicts).

Fast path: a ``TensorDataset`` (or a ``Subset`` of one) with the default
collation is gathered with ONE indexing operation per tensor per batch instead
of one ``__getitem__`` call per sample -- same result, many times faster.
"""
import collections.abc
import copy
import re
import warnings

import numpy as np

from ... import _creation, _dtype
from ..._tensor import Tensor
from ...backends import CPU_BACKEND
from .dataset import IterableDataset, Subset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler, Sampler

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]

_ERR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
_NP_STR_OBJ = re.compile(r"[SaUO]")


def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(obj, "_fields")


def default_collate(batch):
    """Turn a list of samples into a batch, keeping their structure:

    tensors -> stacked along a new dim 0; NumPy arrays -> tensors, stacked; Python floats ->
    a float64 tensor; ints -> an int64 tensor; strings -> the list; dicts -> a dict of batches;
    tuples/lists -> a list of batches (one per position); named tuples stay named tuples."""
    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, Tensor):
        from ...ops.shape import stack
        return stack(batch, 0)
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ in ("ndarray", "memmap"):
            if _NP_STR_OBJ.search(elem.dtype.str) is not None:
                raise TypeError(_ERR.format(elem.dtype))
            return default_collate([_creation.as_tensor(np.asarray(b)) for b in batch])
        if elem.shape == ():   # NumPy scalars
            return _creation.from_numpy(np.asarray(batch))
    if isinstance(elem, bool):
        return _creation.tensor(batch)
    if isinstance(elem, float):
        return _creation.tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, int):
        return _creation.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        out = {key: default_collate([d[key] for d in batch]) for key in elem}
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)   # keep the mapping's type (OrderedDict, ...)
            clone.update(out)
            return clone
        try:
            return elem_type(out)
        except TypeError:
            return out
    if _is_namedtuple(elem):
        return elem_type(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [default_collate(samples) for samples in transposed]
        try:
            return elem_type([default_collate(samples) for samples in transposed])
        except TypeError:
            return [default_collate(samples) for samples in transposed]
    raise TypeError(_ERR.format(elem_type))


def default_convert(data):
    """Without batching (``batch_size=None``): NumPy arrays become tensors, structure kept."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and _NP_STR_OBJ.search(data.dtype.str) is not None:
            return data
        return _creation.as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        try:
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if _is_namedtuple(data):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def get_worker_info():
    """None: learntorch loads data in the main process."""
    return None


class _InfiniteConstantSampler(Sampler):
    def __iter__(self):
        while True:
            yield None


def _tensor_source(dataset):
    """(tensors, index map) when ``dataset`` is a TensorDataset or Subsets of one, else None."""
    mapping = None
    while isinstance(dataset, Subset):
        idx = np.asarray(dataset.indices, dtype=np.int64)
        mapping = idx if mapping is None else idx[mapping]
        dataset = dataset.dataset
    if type(dataset) is TensorDataset and not any(t._requires_grad for t in dataset.tensors):
        return dataset.tensors, mapping
    return None


def _gather(tensors, mapping, indices):
    """One batch of a TensorDataset: ``[t[indices] for t in tensors]``, one ``take`` per tensor."""
    idx = np.asarray(indices, dtype=np.int64)
    if mapping is not None:
        idx = mapping[idx]
    out, on_device = [], {}
    for t in tensors:
        b = t._backend
        if b is CPU_BACKEND:
            rows = t._data.take(idx, axis=0)      # (NumPy's take: faster than indexing with an array)
        else:
            if b not in on_device:
                on_device[b] = b.from_numpy(idx)
            rows = b.xp.take(t._data, on_device[b], axis=0)
        out.append(Tensor._make(rows, t.dtype, b))
    return out


class DataLoader:
    """Iterate over ``dataset`` in mini-batches::

        loader = DataLoader(dataset, batch_size=64, shuffle=True)
        for xb, yb in loader:
            ...

    ``shuffle=True`` draws a new order every epoch (reproducible after ``manual_seed``,
    or from ``generator``).  ``num_workers > 0`` is accepted with a warning: learntorch
    loads every batch in the main process (same batches, no worker processes).
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if num_workers > 0:
            warnings.warn(f"learntorch's DataLoader loads data in the main process: num_workers={num_workers} is "
                          "accepted but no worker processes are started (the batches are the same).",
                          UserWarning, stacklevel=2)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = persistent_workers
        self.in_order = in_order
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in (False, None):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, but "
                                 f"got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                                 "drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self):
        # PyTorch draws a base seed for worker processes from the generator each epoch; we draw it
        # too (and use no workers), so that the shuffled order matches PyTorch's after manual_seed.
        _creation.empty((), dtype=_dtype.int64).random_(generator=self.generator)
        if self._iterable:
            return self._iter_iterable()
        return self._iter_map()

    def _iter_map(self):
        source = _tensor_source(self.dataset) if self.collate_fn is default_collate else None
        bs = self.batch_sampler
        if (source is not None and type(bs) is BatchSampler and type(bs.sampler) in (RandomSampler, SequentialSampler)
                and not getattr(bs.sampler, "replacement", False)):
            # the usual case, DataLoader(TensorDataset, batch_size, shuffle): the whole order as one
            # array, sliced into batches (the same batches as going through the samplers index by index)
            order = bs.sampler._order()
            stop = len(order) - len(order) % bs.batch_size if bs.drop_last else len(order)
            for i in range(0, stop, bs.batch_size):
                yield _gather(source[0], source[1], order[i:i + bs.batch_size])
            return
        for indices in self._index_sampler:
            if not self._auto_collation:
                yield self.collate_fn(self.dataset[indices])
            elif source is not None:
                yield _gather(source[0], source[1], indices)
            elif callable(getattr(self.dataset, "__getitems__", None)):
                yield self.collate_fn(self.dataset.__getitems__(indices))
            else:
                yield self.collate_fn([self.dataset[i] for i in indices])

    def _iter_iterable(self):
        it = iter(self.dataset)
        if not self._auto_collation:
            for sample in it:
                yield self.collate_fn(sample)
            return
        while True:
            batch = []
            for sample in it:
                batch.append(sample)
                if len(batch) == self.batch_size:
                    break
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield self.collate_fn(batch)
            if len(batch) < self.batch_size:
                return
