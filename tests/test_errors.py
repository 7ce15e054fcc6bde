"""The beginner mistakes of the core issue, each raising PyTorch's exception class and exact text.

Every case runs the same code on real PyTorch and on learntorch (``t`` is the module) and compares
``type(error).__name__`` and the first line of the message.  A last test checks that every
message in the catalogue (``learntorch._errors.MESSAGES``) is used by the library.
"""
import pathlib
import re

import pytest

import learntorch
from learntorch import _errors
from parity import same_error


def _inplace_leaf(t):
    t.ones(3, requires_grad=True).add_(1)


def _inplace_leaf_view(t):
    t.ones(3, requires_grad=True)[0].mul_(2)


def _backward_twice(t):
    x = t.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _int_requires_grad_attr(t):
    a = t.ones(2, dtype=t.long)
    a.requires_grad = True


def _modified_inplace(t):
    a = t.ones(3, requires_grad=True)
    b = a * 2
    c = b * b
    b.add_(1)
    c.sum().backward()


CASES = {
    "in-place on a leaf": _inplace_leaf,
    "in-place on a view of a leaf": _inplace_leaf_view,
    "backward twice": _backward_twice,
    "requires_grad on int (factory)": lambda t: t.tensor([1, 2], requires_grad=True),
    "requires_grad on int (method)": lambda t: t.ones(2, dtype=t.long).requires_grad_(),
    "requires_grad on int (attribute)": _int_requires_grad_attr,
    "modified by an in-place op": _modified_inplace,
    "view on a non-contiguous tensor": lambda t: t.ones(2, 3).t().view(6),
    "view: wrong element count": lambda t: t.ones(2, 3).view(4),
    "reshape: wrong element count": lambda t: t.ones(2, 3).reshape(4, 2),
    "view: two -1": lambda t: t.ones(2, 3).view(-1, -1),
    "mm shapes": lambda t: t.ones(2, 3).mm(t.ones(2, 3)),
    "matmul 2-D shapes": lambda t: t.ones(2, 3) @ t.ones(2, 3),
    "matmul 1-D sizes": lambda t: t.ones(3) @ t.ones(4),
    "matmul 1-D @ 2-D": lambda t: t.ones(3) @ t.ones(4, 2),
    "matmul 2-D @ 1-D": lambda t: t.ones(2, 3) @ t.ones(4),
    "matmul batched": lambda t: t.ones(5, 2, 3) @ t.ones(5, 4, 2),
    "matmul batch dims": lambda t: t.ones(5, 2, 3) @ t.ones(4, 3, 2),
    "bmm needs 3-D": lambda t: t.bmm(t.ones(2, 3), t.ones(3, 2)),
    "mv sizes": lambda t: t.mv(t.ones(2, 3), t.ones(4)),
    "dot sizes": lambda t: t.dot(t.ones(3), t.ones(4)),
    "matmul of 0-D": lambda t: t.matmul(t.tensor(1.0), t.ones(3)),
    "mm dtypes": lambda t: t.mm(t.ones(3, 3), t.ones(3, 3, dtype=t.float64)),
    "broadcast mismatch": lambda t: t.ones(2, 3) + t.ones(2, 4),
    "in-place cannot broadcast up": lambda t: t.ones(3).add_(t.ones(2, 3)),
    "expand mismatch": lambda t: t.ones(2, 3).expand(2, 4),
    "expand with fewer sizes": lambda t: t.ones(2, 3).expand(3),
    "backward on a non-scalar": lambda t: (t.ones(3, requires_grad=True) * 2).backward(),
    "backward with no grad_fn": lambda t: t.ones(2).sum().backward(),
    "numpy() on a tensor that requires grad": lambda t: t.ones(2, requires_grad=True).numpy(),
    "item() on many elements": lambda t: t.ones(3).item(),
    "cat size mismatch": lambda t: t.cat([t.ones(2, 3), t.ones(2, 4)]),
    "cat dims mismatch": lambda t: t.cat([t.ones(2, 3), t.ones(2, 3, 1)]),
    "stack size mismatch": lambda t: t.stack([t.ones(2, 3), t.ones(2, 4)]),
    "dim out of range": lambda t: t.ones(2, 3).sum(2),
    "negative dim out of range": lambda t: t.ones(2, 3).sum(-3),
    "transpose dim out of range": lambda t: t.ones(2, 3).transpose(0, 2),
    "index out of bounds": lambda t: t.ones(2, 3)[5],
    "second index out of bounds": lambda t: t.ones(2, 3)[0, 7],
    "tensor index out of bounds": lambda t: t.ones(2, 3)[t.tensor([5])],
    "float index": lambda t: t.ones(3)[t.tensor([1.0])],
    "result cannot be cast": lambda t: t.ones(2, dtype=t.long).add_(1.5),
    "mean of integers": lambda t: t.ones(3, dtype=t.long).mean(),
    "bool subtraction": lambda t: t.tensor([True]) - t.tensor([True]),
    "CUDA unavailable": lambda t: t.ones(2).cuda(),
    "CUDA unavailable (factory)": lambda t: t.ones(2, device="cuda"),
    "ragged list": lambda t: t.tensor([[1, 2], [3]]),
    "bad rounding mode": lambda t: t.ones(3).div(2, rounding_mode="x"),
    "permute length": lambda t: t.ones(2, 3).permute(0),
    "permute duplicates": lambda t: t.ones(2, 3).permute(0, 0),
}


@pytest.fixture
def no_cuda(monkeypatch):
    from learntorch import backends
    monkeypatch.setattr(backends, "_cuda", None)
    monkeypatch.setattr(backends, "_cuda_checked", True)


@pytest.mark.parametrize("name", list(CASES))
def test_error_matches_pytorch(name, torch, no_cuda):
    fn = CASES[name]
    same_error(lambda: fn(learntorch), lambda: fn(torch))


class OnCuda:
    """``learntorch`` with every tensor factory putting its result on 'cuda'."""

    FACTORIES = {"ones", "zeros", "tensor", "rand", "randn", "arange", "full", "empty"}

    def __getattr__(self, name):
        attr = getattr(learntorch, name)
        if name in self.FACTORIES:
            return lambda *a, **k: attr(*a, **{"device": "cuda", **k})
        return attr


@pytest.mark.skipif(not learntorch.cuda.is_available(), reason="needs the (simulated) cuda device")
@pytest.mark.parametrize("name", [n for n in CASES if "CUDA" not in n and "numpy()" not in n])
def test_same_error_on_cuda(name, torch):
    """The same mistakes on cuda tensors give the same errors (the simulated device in CI)."""
    fn = CASES[name]
    same_error(lambda: fn(OnCuda()), lambda: fn(torch))


def test_mixed_devices_error():
    if not learntorch.cuda.is_available():
        pytest.skip("needs the (simulated) cuda device")
    with pytest.raises(RuntimeError) as e:
        learntorch.ones(2) + learntorch.ones(2, device="cuda")
    assert str(e.value) == ("Expected all tensors to be on the same device, but found at least two devices, "
                            "cpu and cuda:0!")


def test_every_catalogue_message_is_used():
    """No dead entries: each key appears in the library's code outside the catalogue."""
    root = pathlib.Path(learntorch.__file__).parent
    code = "\n".join(p.read_text() for p in root.rglob("*.py") if p.name != "_errors.py")
    code += (root / "_errors.py").read_text().split("def msg(")[1]  # its helpers use some keys
    unused = [k for k in _errors.MESSAGES if not re.search(r"[\"']" + re.escape(k) + r"[\"']", code)]
    assert unused == []
