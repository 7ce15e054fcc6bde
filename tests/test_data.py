"""utils.data: datasets, samplers, DataLoader batching, shuffling and collation, against PyTorch."""
import collections
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.utils.data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, IterableDataset,
                                   RandomSampler, SequentialSampler, Subset, SubsetRandomSampler, TensorDataset,
                                   default_collate, random_split)
from parity import same_error

X = np.arange(46, dtype=np.float32).reshape(23, 2)
Y = np.arange(23)


def pair_loaders(torch, device="cpu", **kw):
    """The same DataLoader over the same TensorDataset in both libraries."""
    td = torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y))
    ld = TensorDataset(lt.tensor(X, device=device), lt.tensor(Y, device=device))
    tkw = dict(kw)
    if "generator" in kw:
        tkw["generator"] = torch.Generator().manual_seed(kw["generator"])
        kw = dict(kw, generator=lt.Generator().manual_seed(kw["generator"]))
    return torch.utils.data.DataLoader(td, **tkw), DataLoader(ld, **kw)


def batches(loader):
    return [[b.tolist() for b in batch] for batch in loader]


@pytest.mark.parametrize("kw", [dict(batch_size=5), dict(batch_size=5, drop_last=True), dict(batch_size=23),
                                dict(batch_size=100), dict(batch_size=1), dict()])
def test_sequential_batches_match_torch(torch, device, kw):
    tl, ll = pair_loaders(torch, device, **kw)
    assert len(ll) == len(tl)
    assert batches(ll) == batches(tl)
    for xb, yb in ll:
        assert xb.device.type == device and xb.dtype is lt.float32 and yb.dtype is lt.int64


def test_shuffle_matches_torch_after_manual_seed(torch):
    """RandomSampler draws its seed and permutation as PyTorch does: the same order."""
    torch.manual_seed(0)
    lt.manual_seed(0)
    tl, ll = pair_loaders(torch, batch_size=6, shuffle=True)
    for _ in range(3):   # a new order every epoch
        assert batches(ll) == batches(tl)
    tl, ll = pair_loaders(torch, batch_size=4, shuffle=True, drop_last=True, generator=5)
    assert batches(ll) == batches(tl)
    assert batches(ll) == batches(tl)


@pytest.mark.parametrize("num_samples,batch_size,drop_last", [(50, 7, False), (50, 7, True), (10, 4, False), (46, 23, False)])
def test_sliced_whole_order_matches_torch_samplers(torch, num_samples, batch_size, drop_last):
    """DataLoader(TensorDataset) slices the sampler's whole order into batches; torch goes through
    its samplers index by index: the same batches, also for several passes (num_samples > len)."""
    td = torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y))
    ld = TensorDataset(lt.tensor(X), lt.tensor(Y))
    for seeded in (False, True):
        torch.manual_seed(3)
        lt.manual_seed(3)
        tg = torch.Generator().manual_seed(8) if seeded else None
        lg = lt.Generator().manual_seed(8) if seeded else None
        tl = torch.utils.data.DataLoader(td, batch_size=batch_size, drop_last=drop_last,
                                         sampler=torch.utils.data.RandomSampler(td, num_samples=num_samples, generator=tg))
        ll = DataLoader(ld, batch_size=batch_size, drop_last=drop_last,
                        sampler=RandomSampler(ld, num_samples=num_samples, generator=lg))
        assert len(ll) == len(tl)
        assert batches(ll) == batches(tl)
        assert batches(ll) == batches(tl)   # the next pass: a new order, the same in both


def test_shuffle_is_deterministic_and_a_permutation():
    def epoch_order(seed):
        lt.manual_seed(seed)
        loader = DataLoader(TensorDataset(lt.tensor(Y)), batch_size=4, shuffle=True)
        return [v for (yb,) in loader for v in yb.tolist()]
    a, b, c = epoch_order(1), epoch_order(1), epoch_order(2)
    assert a == b and a != c and sorted(a) == list(range(23))


def test_fast_path_equals_per_sample_collation(device):
    ds = TensorDataset(lt.tensor(X, device=device), lt.tensor(Y, device=device))
    fast = DataLoader(ds, batch_size=5, sampler=SubsetRandomSampler(list(range(0, 23, 2))))
    lt.manual_seed(4)
    a = batches(fast)
    slow = DataLoader(ds, batch_size=5, sampler=SubsetRandomSampler(list(range(0, 23, 2))),
                      collate_fn=lambda b: default_collate(b))
    lt.manual_seed(4)
    assert batches(slow) == a
    sub = Subset(Subset(ds, list(range(3, 20))), [5, 0, 16, 2])
    assert batches(DataLoader(sub, batch_size=3)) == [[[X[8].tolist(), X[3].tolist(), X[19].tolist()], [8, 3, 19]],
                                                      [[X[5].tolist()], [5]]]


def test_batches_are_copies_not_views():
    x = lt.tensor(X)
    (xb, yb), = list(DataLoader(TensorDataset(x, lt.tensor(Y)), batch_size=30))
    xb[0, 0] = -1.0
    assert x[0, 0].item() == 0.0


class Pairs(Dataset):
    """The documents' CustomDataset."""

    def __init__(self, data, labels):
        self.data = data
        self.labels = labels

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], self.labels[idx]


def test_custom_dataset_matches_torch(torch):
    td = Pairs(torch.tensor(X), torch.tensor(Y))
    ld = Pairs(lt.tensor(X), lt.tensor(Y))
    for kw in (dict(batch_size=4), dict(batch_size=7, drop_last=True)):
        assert batches(DataLoader(ld, **kw)) == batches(torch.utils.data.DataLoader(td, **kw))
    torch.manual_seed(3)
    lt.manual_seed(3)
    assert batches(DataLoader(ld, batch_size=4, shuffle=True)) == \
        batches(torch.utils.data.DataLoader(td, batch_size=4, shuffle=True))


Point = collections.namedtuple("Point", "x y")

SAMPLES = [
    [1, 2, 3],
    [1.5, 2.5],
    [True, False],
    ["a", "b"],
    [np.zeros(3), np.ones(3)],
    [np.float32(1.5), np.float32(2.0)],
    [np.int64(4), np.int64(5)],
    [(1, 2.0), (3, 4.0)],
    [[1, 2], [3, 4]],
    [{"a": 1, "b": (np.zeros(2), "s")}, {"a": 2, "b": (np.ones(2), "t")}],
    [collections.OrderedDict(k=1.0), collections.OrderedDict(k=2.0)],
    [Point(1, 2.0), Point(3, 4.0)],
]


def _structure(obj):
    """Types and values of a collated batch, library-neutral."""
    if hasattr(obj, "dtype") and hasattr(obj, "tolist"):
        return ("tensor", repr(obj.dtype).split(".")[-1], obj.tolist())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return (type(obj).__name__, [_structure(v) for v in obj])
    if isinstance(obj, dict):
        return (type(obj).__name__, {k: _structure(v) for k, v in obj.items()})
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, [_structure(v) for v in obj])
    return obj


@pytest.mark.parametrize("batch", SAMPLES, ids=[type(s[0]).__name__ + str(i) for i, s in enumerate(SAMPLES)])
def test_default_collate_matches_torch(torch, batch):
    assert _structure(default_collate(batch)) == _structure(torch.utils.data.default_collate(batch))


def test_default_collate_of_tensors_and_errors(torch):
    assert _structure(default_collate([lt.ones(2), lt.zeros(2)])) == \
        _structure(torch.utils.data.default_collate([torch.ones(2), torch.zeros(2)]))
    same_error(lambda: default_collate([object()]), lambda: torch.utils.data.default_collate([object()]))
    same_error(lambda: default_collate([[1, 2], [1]]), lambda: torch.utils.data.default_collate([[1, 2], [1]]))
    same_error(lambda: default_collate([np.array(["a"])]), lambda: torch.utils.data.default_collate([np.array(["a"])]))
    same_error(lambda: default_collate([lt.ones(2), lt.ones(3)]),
               lambda: torch.utils.data.default_collate([torch.ones(2), torch.ones(3)]))


def test_dict_dataset_through_loader():
    class D(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.full(2, i, dtype=np.float32), "y": i, "name": f"n{i}"}
    out = list(DataLoader(D(), batch_size=2))
    assert out[0]["x"].tolist() == [[0.0, 0.0], [1.0, 1.0]] and out[0]["y"].tolist() == [0, 1]
    assert out[0]["name"] == ["n0", "n1"] and out[-1]["y"].tolist() == [4]


def test_batch_size_none_and_collate_fn():
    ds = Pairs(np.arange(4.0), [0, 1, 2, 3])
    out = list(DataLoader(ds, batch_size=None))
    assert len(out) == 4 and isinstance(out[0], list) and out[0][0].dtype is lt.float64
    joined = list(DataLoader(ds, batch_size=3, collate_fn=lambda b: sum(v for _, v in b)))
    assert joined == [3, 3]


def test_samplers_and_batch_sampler(torch):
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    bs, tbs = BatchSampler(SequentialSampler(range(7)), 3, False), torch.utils.data.BatchSampler(range(7), 3, False)
    assert list(bs) == list(tbs) and len(bs) == len(tbs)
    assert len(BatchSampler(range(7), 3, True)) == 2
    loader = DataLoader(TensorDataset(lt.tensor(Y)), batch_sampler=[[0, 5], [7]])
    assert [yb.tolist() for (yb,) in loader] == [[0, 5], [7]]
    torch.manual_seed(0)
    lt.manual_seed(0)
    assert list(RandomSampler(range(10))) == list(torch.utils.data.RandomSampler(range(10)))
    assert list(SubsetRandomSampler([3, 5, 9])) == list(torch.utils.data.SubsetRandomSampler([3, 5, 9]))
    assert list(RandomSampler(range(10), replacement=True, num_samples=40)) == \
        list(torch.utils.data.RandomSampler(range(10), replacement=True, num_samples=40))
    r = list(RandomSampler(range(5), num_samples=12))
    assert len(r) == 12 and sorted(r[:5]) == list(range(5))
    for case in (lambda m: m.BatchSampler(range(3), 0, False), lambda m: m.BatchSampler(range(3), 2, 1),
                 lambda m: m.RandomSampler(range(3), replacement=1), lambda m: m.RandomSampler(range(3), num_samples=0)):
        same_error(lambda: case(lt.utils.data), lambda: case(torch.utils.data))


def test_dataloader_argument_errors(torch):
    ds, tds = TensorDataset(lt.tensor(Y)), torch.utils.data.TensorDataset(torch.tensor(Y))
    for kw in (dict(sampler=[0, 1], shuffle=True), dict(batch_sampler=[[0]], batch_size=2),
               dict(batch_size=None, drop_last=True), dict(num_workers=-1), dict(batch_size=0)):
        same_error(lambda: DataLoader(ds, **kw), lambda: torch.utils.data.DataLoader(tds, **kw))


def test_num_workers_warns_and_gives_the_same_batches():
    ds = TensorDataset(lt.tensor(X), lt.tensor(Y))
    with pytest.warns(UserWarning, match="num_workers=2 is accepted but no worker processes are started"):
        loader = DataLoader(ds, batch_size=4, num_workers=2)
    assert batches(loader) == batches(DataLoader(ds, batch_size=4))


def test_random_split_matches_torch(torch):
    for lengths in ([3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [0.33, 0.33, 0.34]):
        torch.manual_seed(3)
        lt.manual_seed(3)
        ours = random_split(range(10), lengths)
        theirs = torch.utils.data.random_split(range(10), lengths)
        assert [list(s.indices) for s in ours] == [list(s.indices) for s in theirs]
    ours = random_split(range(10), [5, 5], generator=lt.Generator().manual_seed(42))
    theirs = torch.utils.data.random_split(range(10), [5, 5], generator=torch.Generator().manual_seed(42))
    assert [list(s.indices) for s in ours] == [list(s.indices) for s in theirs]
    same_error(lambda: random_split(range(10), [3, 3]), lambda: torch.utils.data.random_split(range(10), [3, 3]))
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [0.2, 0.2, 0.6])
    train, test = random_split(TensorDataset(lt.tensor(X), lt.tensor(Y)), [0.8, 0.2])
    assert len(train) + len(test) == 23 and train[0][0].shape == lt.Size([2])


def test_subset_concat_and_iterable_datasets(torch):
    a, b = Pairs(list(range(3)), list("abc")), Pairs(list(range(10, 12)), list("xy"))
    c = a + b
    assert isinstance(c, ConcatDataset) and len(c) == 5 and c[3] == (10, "x") and c[-1] == (11, "y")
    same_error(lambda: c[-6], lambda: torch.utils.data.ConcatDataset([a, b])[-6])
    assert Subset(c, [4, 0])[0] == (11, "y") and len(Subset(c, [4, 0])) == 2

    class Stream(IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    assert len(DataLoader(Stream(7), batch_size=3)) == 3
    assert list(ChainDataset([Stream(2), Stream(1)])) == [0, 1, 0]
    same_error(lambda: DataLoader(Stream(3), shuffle=True),
               lambda: torch.utils.data.DataLoader(_TorchStream(torch), shuffle=True))
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(lt.zeros(3), lt.zeros(4))


def _TorchStream(torch):
    class S(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(3))
    return S()


def test_documents_dataloader_snippet(capsys):
    data = lt.randn(100, 10)
    labels = lt.randint(0, 2, (100,))
    dataloader = DataLoader(Pairs(data, labels), batch_size=16, shuffle=True)
    for batch_idx, (inputs, targets) in enumerate(dataloader):
        print(f"Batch {batch_idx}: Inputs shape {inputs.shape}, Targets shape {targets.shape}")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Batch 0: Inputs shape torch.Size([16, 10]), Targets shape torch.Size([16])"
    assert out[-1] == "Batch 6: Inputs shape torch.Size([4, 10]), Targets shape torch.Size([4])"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(dataloader)
