"""``nn.utils.rnn``: batches of sequences of different lengths for the recurrent layers (变长序列).

* ``pad_sequence`` stacks sequences into one tensor, filling the short ones with ``padding_value``;
* ``pack_padded_sequence`` / ``pack_sequence`` keep only the real steps, time-major: first the
  first step of every sequence, then the second step of those that have one ...  ``batch_sizes[t]``
  says how many sequences are still running at step ``t`` (sequences sorted longest first);
* ``pad_packed_sequence`` undoes packing (and gives back the lengths).

An ``nn.RNN`` / ``LSTM`` / ``GRU`` given a ``PackedSequence`` never computes the padding steps, and
its ``h_n`` holds each sequence's state after its own last step.
"""
from collections import namedtuple
from collections.abc import Iterable

from ... import _creation, _errors
from ..._tensor import Tensor
from ...ops.sorting import sort

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence(namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """A packed batch: ``data`` (all real steps, time-major), ``batch_sizes`` (a CPU int64 tensor),
    ``sorted_indices`` / ``unsorted_indices`` (the order by decreasing length and back, or None).
    Make one with ``pack_padded_sequence`` or ``pack_sequence``, not by hand."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:   # PackedSequence((data, batch_sizes), ...)
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            _errors.fail("packed_batch_sizes_cpu")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """``data`` converted as by ``Tensor.to``; the index tensors follow to its device."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = (lambda t: None if t is None else t.to(data.device))
        return type(self)(data, self.batch_sizes, move(self.sorted_indices), move(self.unsorted_indices))

    def cuda(self, *args, **kwargs):
        return self.to("cuda", *args, **kwargs)

    def cpu(self, *args, **kwargs):
        return self.to("cpu", *args, **kwargs)

    def double(self):
        return self.to(dtype=_dtype("float64"))

    def float(self):
        return self.to(dtype=_dtype("float32"))

    def half(self):
        return self.to(dtype=_dtype("float16"))

    def long(self):
        return self.to(dtype=_dtype("int64"))

    def int(self):
        return self.to(dtype=_dtype("int32"))

    def short(self):
        return self.to(dtype=_dtype("int16"))

    def char(self):
        return self.to(dtype=_dtype("int8"))

    def byte(self):
        return self.to(dtype=_dtype("uint8"))

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return False


def _dtype(name):
    from ... import _dtype as d
    return getattr(d, name)


def invert_permutation(permutation):
    """The inverse permutation: ``out[permutation[i]] = i`` (None stays None)."""
    if permutation is None:
        return None
    out = _creation.empty_like(permutation)
    return out.scatter_(0, permutation, _creation.arange(permutation.numel(), device=permutation.device))


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (T, B, *) ((B, T, *) with batch_first) whose sequences have ``lengths``
    (a list or CPU tensor; sorted decreasingly unless ``enforce_sorted=False``)."""
    if not isinstance(lengths, Tensor):
        lengths = _creation.as_tensor(lengths, dtype=_dtype("int64"), device="cpu")
    else:
        lengths = lengths.to(dtype=_dtype("int64"))
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths.dim() != 1 or lengths.device.type != "cpu":
        dev = str(lengths.device) if lengths.device.type == "cpu" else f"{lengths.device.type}:0"
        _errors.fail("pack_lengths_1d", dim=lengths.dim(), device=dev)
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() == 0:
        _errors.fail("pack_empty")
    batch = input.shape[1]
    lens = [int(n) for n in lengths.tolist()]
    if len(lens) != batch:
        _errors.fail("pack_lengths_batch", n=len(lens), batch=batch)
    if lens[-1] <= 0:
        _errors.fail("pack_lengths_positive")
    if any(a < b for a, b in zip(lens, lens[1:])):
        _errors.fail("pack_unsorted")
    batch_sizes = [sum(1 for n in lens if n > t) for t in range(lens[0])]
    # row t*B + b of the (T*B, *) view is step t of sequence b: keep those with t < length[b]
    rows = [t * batch + b for t, n in enumerate(batch_sizes) for b in range(n)]
    data = input.reshape((-1,) + tuple(input.shape[2:])).index_select(
        0, _creation.tensor(rows, dtype=_dtype("int64"), device=input.device))
    if data.grad_fn is not None:
        data.grad_fn.grad_fn_name = "PackPaddedSequenceBackward0"
    return PackedSequence(data, _creation.tensor(batch_sizes, dtype=_dtype("int64")), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Undo ``pack_padded_sequence``: returns ``(padded, lengths)``, padded (T, B, *) ((B, T, *) with
    batch_first), T = ``total_length`` or the longest length; lengths a CPU int64 tensor."""
    data, sizes_tensor = sequence.data, sequence.batch_sizes
    sizes = [int(n) for n in sizes_tensor.tolist()]
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            _errors.fail("pad_total_length", total=total_length, longest=steps)
        steps = total_length
    out = _creation.full((steps, sizes[0]) + tuple(data.shape[1:]), padding_value, dtype=data.dtype,
                         device=data.device)
    offset = 0
    for t, n in enumerate(sizes):
        out[t, :n] = data[offset:offset + n]
        offset += n
    lengths = _creation.tensor([sum(1 for n in sizes if n > b) for b in range(sizes[0])], dtype=_dtype("int64"))
    if batch_first:
        out = out.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        return (out.index_select(0 if batch_first else 1, sequence.unsorted_indices),
                lengths[sequence.unsorted_indices.cpu()])
    return out, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes (L_i, *) into (L_max, B, *) ((B, L_max, *) with batch_first), the
    missing steps filled with ``padding_value`` on the right (or on the left).  dtype: the first's."""
    if not isinstance(sequences, Iterable):
        _errors.fail("pad_seq_iterable", type=type(sequences))
    sequences = tuple(sequences)
    if not sequences:
        _errors.fail("pad_seq_empty")
    if padding_side not in ("left", "right"):
        _errors.fail("pad_seq_side", side=padding_side)
    longest = max(s.size(0) for s in sequences)
    first = sequences[0]
    shape = (len(sequences), longest) if batch_first else (longest, len(sequences))
    out = _creation.full(shape + tuple(first.shape[1:]), padding_value, dtype=first.dtype, device=first.device)
    for i, s in enumerate(sequences):
        n = s.size(0)
        start = longest - n if padding_side == "left" else 0
        _check_copy((n,) + tuple(first.shape[1:]), tuple(s.shape))
        if batch_first:
            out[i, start:start + n] = s
        else:
            out[start:start + n, i] = s
    return out


def _check_copy(dst, src):
    """PyTorch's error when ``src`` cannot be broadcast to the slot ``dst`` it is copied into."""
    ndim = max(len(dst), len(src))
    for k in range(1, ndim + 1):
        a = dst[-k] if k <= len(dst) else 1
        b = src[-k] if k <= len(src) else 1
        if a != b and b != 1:
            _errors.fail("broadcast", a=a, b=b, dim=ndim - k)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences inside a padded batch (the inverse of ``pad_sequence``)."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    idx = _creation.arange(padded_sequences.shape[1], device=lengths.device)
    return [seq[idx < length] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences (L_i, *) directly: ``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    lengths = _creation.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The list of sequences inside a PackedSequence (the inverse of ``pack_sequence``)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
