"""The cuda path does not synchronise more than a training step needs (counted on the simulated device).

A step moves the batch host-to-device once per tensor, and the only device-to-host transfer is
``loss.item()``; checks of values (class indices in range) wait for that transfer, as PyTorch's
device-side asserts do.
"""
import pytest

import learntorch as torch
from learntorch import backends, nn
from learntorch.utils.data import DataLoader, TensorDataset

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs the (simulated) cuda device")


def _setup():
    X, Y = torch.randn(256, 20), torch.randint(0, 10, (256,))
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 10)).to("cuda")
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return model, opt, nn.CrossEntropyLoss(), DataLoader(TensorDataset(X, Y), batch_size=64, shuffle=True)


def test_training_step_transfers():
    b = backends.cuda_backend()
    model, opt, loss_fn, loader = _setup()
    for xb, yb in loader:
        h, d = b.h2d, b.d2h
        xb, yb = xb.to("cuda"), yb.to("cuda")
        assert (b.h2d - h, b.d2h - d) == (2, 0)
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        assert (b.h2d - h, b.d2h - d) == (2, 0), "the step itself must not transfer anything"
        loss.item()
        assert (b.h2d - h, b.d2h - d) == (2, 1)


def test_bad_target_is_reported_at_the_next_sync():
    model, opt, loss_fn, _ = _setup()
    x = torch.randn(4, 20, device="cuda")
    y = torch.tensor([1, 2, 12, 3], device="cuda")
    loss = loss_fn(model(x), y)  # no sync here: the check is deferred
    with pytest.raises(IndexError, match="Target 12 is out of bounds."):
        loss.item()
    torch.zeros(1, device="cuda").item()  # the check ran once and is gone


def test_bad_target_on_cpu_is_reported_at_once():
    with pytest.raises(IndexError, match="Target 12 is out of bounds."):
        nn.functional.cross_entropy(torch.randn(4, 10), torch.tensor([1, 2, 12, 3]))
