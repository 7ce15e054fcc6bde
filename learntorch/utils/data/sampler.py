"""Samplers (采样器): the order in which a DataLoader visits a dataset's indices."""
import itertools

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler"]


class Sampler:
    """Base class: an iterable of indices (or of lists of indices, for a batch sampler)."""

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, 2, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def _order(self):
        """The whole pass as one int64 array (the DataLoader slices it into batches)."""
        import numpy as np
        return np.arange(len(self.data_source), dtype=np.int64)

    def __len__(self):
        return len(self.data_source)


def _seeded_generator(generator):
    """PyTorch draws a fresh seed from ``generator`` (or the global one) for each pass over the data."""
    from ... import _creation, _dtype
    from ..._random_state import Generator
    seed = int(_creation.empty((), dtype=_dtype.int64).random_(generator=generator).item())
    return Generator().manual_seed(seed)


class RandomSampler(Sampler):
    """A random permutation of the indices (a new one each epoch), or draws with replacement."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        from ... import _creation
        n = len(self.data_source)
        generator = self.generator if self.generator is not None else _seeded_generator(None)
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from _creation.randint(high=n, size=(32,), generator=generator).tolist()
            yield from _creation.randint(high=n, size=(self.num_samples % 32,), generator=generator).tolist()
        else:
            yield from self._order(generator).tolist()

    def _order(self, generator=None):
        """The whole pass (no replacement) as one int64 array: the same draws as iterating."""
        import numpy as np
        from ... import _creation
        n = len(self.data_source)
        if generator is None:
            generator = self.generator if self.generator is not None else _seeded_generator(None)
        parts = [_creation.randperm(n, generator=generator).numpy() for _ in range(self.num_samples // n)]
        # PyTorch draws one more permutation for the remainder, even an empty one; from the private
        # generator of this pass nobody can observe it, so skip the (costly) empty case then
        if self.num_samples % n or self.generator is not None:
            parts.append(_creation.randperm(n, generator=generator).numpy()[: self.num_samples % n])
        return np.concatenate(parts) if len(parts) != 1 else parts[0]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        from ... import _creation
        for i in _creation.randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probabilities proportional to ``weights`` (加权随机采样).

    The usual cure for an unbalanced dataset: weight each sample by 1 / (size of
    its class).  Each pass is one ``torch.multinomial(weights, num_samples, replacement)``.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        from ... import _creation, _dtype, _errors
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            _errors.fail("sampler_num_samples", n=num_samples)
        if not isinstance(replacement, bool):
            _errors.fail("sampler_replacement", r=replacement)
        weights_tensor = _creation.as_tensor(weights, dtype=_dtype.float64)
        if len(weights_tensor.shape) != 1:
            _errors.fail("sampler_weights_1d", shape=tuple(weights_tensor.shape))
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        from ... import _creation
        rand_tensor = _creation.multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator)
        yield from iter(rand_tensor.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of ``batch_size`` (the last one shorter unless drop_last)."""

    def __init__(self, sampler, batch_size, drop_last):
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        it = iter(self.sampler)
        while True:
            batch = list(itertools.islice(it, self.batch_size))  # the next batch_size indices (fewer at the end)
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
