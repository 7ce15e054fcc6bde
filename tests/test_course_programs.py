"""The course documents' training programs, run with ``import learntorch as torch``, against PyTorch."""
import numpy as np
import pytest

import learntorch
from parity import assert_same


def simple_net_class(torch):
    """Document 001: SimpleNet (10 -> 5 -> 2)."""
    nn, F = torch.nn, torch.nn.functional

    class SimpleNet(nn.Module):
        def __init__(self):
            super(SimpleNet, self).__init__()
            self.fc1 = nn.Linear(10, 5)  # 10个输入特征,5个输出特征
            self.fc2 = nn.Linear(5, 2)   # 5个输入特征,2个输出特征

        def forward(self, x):
            x = F.relu(self.fc1(x))
            x = self.fc2(x)
            return x
    return SimpleNet


def simple_nn_class(torch):
    """Document 003: SimpleNN (2 -> 5 -> 1, ReLU then Sigmoid)."""
    nn = torch.nn

    class SimpleNN(nn.Module):
        def __init__(self):
            super(SimpleNN, self).__init__()
            self.fc1 = nn.Linear(2, 5)
            self.fc2 = nn.Linear(5, 1)

        def forward(self, x):
            x = torch.relu(self.fc1(x))
            x = torch.sigmoid(self.fc2(x))
            return x
    return SimpleNN


def copy_weights(src_torch_module, dst_module, device="cpu"):
    dst_module.load_state_dict({k: learntorch.tensor(v.detach().numpy()) for k, v in
                                src_torch_module.state_dict().items()})
    return dst_module.to(device)


def test_simplenet_prints_like_torch(torch, capsys):
    net = simple_net_class(learntorch)()
    print(net)
    ours = capsys.readouterr().out
    print(simple_net_class(torch)())
    assert ours == capsys.readouterr().out
    assert ours == ("SimpleNet(\n  (fc1): Linear(in_features=10, out_features=5, bias=True)\n"
                    "  (fc2): Linear(in_features=5, out_features=2, bias=True)\n)\n")
    assert net(learntorch.randn(3, 10)).shape == learntorch.Size([3, 2])


def test_simplenet_optimizers_print_like_torch(torch):
    net, tnet = simple_net_class(learntorch)(), simple_net_class(torch)()
    assert repr(learntorch.optim.SGD(net.parameters(), lr=0.01)) == repr(torch.optim.SGD(tnet.parameters(), lr=0.01))
    assert repr(learntorch.optim.Adam(net.parameters(), lr=0.001)) == \
        repr(torch.optim.Adam(tnet.parameters(), lr=0.001))


def run_simple_nn(torch, model, device="cpu", log=None):
    """Document 003's training loop (BCELoss, SGD lr=0.1, 1000 epochs) and prediction."""
    nn, optim = torch.nn, torch.optim
    criterion = nn.BCELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    inputs = torch.tensor([[0.5, 0.2], [0.1, 0.7], [0.9, 0.8], [0.4, 0.9]]).to(device)
    labels = torch.tensor([[0.], [1.], [1.], [0.]]).to(device)
    epochs = 1000
    for epoch in range(epochs):
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (epoch + 1) % 100 == 0 and log is not None:
            log.append(f'Epoch [{epoch+1}/{epochs}], Loss: {loss.item():.4f}')
    with torch.no_grad():
        test_input = torch.tensor([[0.3, 0.6]]).to(device)
        prediction = model(test_input)
    return loss.item(), prediction.item()


def test_simple_nn_trains_to_torchs_loss(torch, device):
    """From the same initial weights, 1000 SGD steps end at PyTorch's loss (and print the same lines)."""
    torch.manual_seed(0)
    tmodel = simple_nn_class(torch)()
    model = copy_weights(tmodel, simple_nn_class(learntorch)(), device)
    ours_log, theirs_log = [], []
    loss, pred = run_simple_nn(learntorch, model, device, ours_log)
    tloss, tpred = run_simple_nn(torch, tmodel, "cpu", theirs_log)
    assert abs(loss - tloss) < 1e-4 and abs(pred - tpred) < 1e-4
    assert ours_log == theirs_log
    for (n, p), (tn, tp) in zip(model.named_parameters(), tmodel.named_parameters()):
        assert n == tn
        assert_same(p.detach(), tp.detach(), rtol=1e-4, atol=1e-5)


def test_simple_nn_same_seed_same_run(torch):
    """manual_seed(0) gives PyTorch's initial weights, so the whole run matches without copying."""
    torch.manual_seed(0)
    learntorch.manual_seed(0)
    model, tmodel = simple_nn_class(learntorch)(), simple_nn_class(torch)()
    loss, pred = run_simple_nn(learntorch, model)
    tloss, tpred = run_simple_nn(torch, tmodel)
    assert abs(loss - tloss) < 1e-4 and f"{pred:.4f}" == f"{tpred:.4f}"


def custom_classes(torch):
    """Document 001: a custom loss and a custom layer built from nn.Parameter."""
    nn = torch.nn

    class CustomLoss(nn.Module):
        def __init__(self):
            super().__init__()

        def forward(self, pred, target):
            return torch.mean((pred - target) ** 2)  # 均方误差

    class CustomLayer(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.weight = nn.Parameter(torch.randn(in_features, out_features))
            self.bias = nn.Parameter(torch.zeros(out_features))

        def forward(self, x):
            return torch.matmul(x, self.weight) + self.bias
    return CustomLoss, CustomLayer


def test_custom_layer_and_loss(torch, device):
    CustomLoss, CustomLayer = custom_classes(learntorch)
    TCustomLoss, TCustomLayer = custom_classes(torch)
    custom_loss, custom_layer = CustomLoss(), CustomLayer(10, 5)
    tcustom_loss, tcustom_layer = TCustomLoss(), TCustomLayer(10, 5)
    assert [n for n, _ in custom_layer.named_parameters()] == ["weight", "bias"]
    assert repr(custom_layer) == repr(tcustom_layer) == "CustomLayer()"
    copy_weights(tcustom_layer, custom_layer, device)
    x = np.random.default_rng(0).standard_normal((4, 10)).astype("float32")
    target = np.random.default_rng(1).standard_normal((4, 5)).astype("float32")
    loss = custom_loss(custom_layer(learntorch.tensor(x, device=device)), learntorch.tensor(target, device=device))
    tloss = tcustom_loss(tcustom_layer(torch.tensor(x)), torch.tensor(target))
    assert_same(loss, tloss)
    loss.backward()
    tloss.backward()
    assert_same(custom_layer.weight.grad, tcustom_layer.weight.grad, rtol=1e-4)
    assert_same(custom_layer.bias.grad, tcustom_layer.bias.grad, rtol=1e-4)
    mse = learntorch.nn.MSELoss()(custom_layer(learntorch.tensor(x, device=device)),
                                  learntorch.tensor(target, device=device))
    assert abs(mse.item() - loss.item()) < 1e-6


def test_custom_layer_same_seed_same_weights(torch):
    torch.manual_seed(0)
    learntorch.manual_seed(0)
    ours, theirs = custom_classes(learntorch)[1](10, 5), custom_classes(torch)[1](10, 5)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=0, atol=1e-6)


def test_gpu_snippet_and_eval_no_grad(device):
    torch = learntorch
    device = torch.device(device if torch.cuda.is_available() else "cpu")
    model = simple_net_class(torch)().to(device)
    inputs = torch.randn(16, 10).to(device)
    outputs = model(inputs)
    assert outputs.shape == torch.Size([16, 2]) and outputs.device.type == device.type
    model.eval()
    with torch.no_grad():
        test_outputs = model(torch.randn(4, 10).to(device))
    assert test_outputs.grad_fn is None and not test_outputs.requires_grad


def test_save_and_load_state_dict(tmp_path):
    torch = learntorch
    model = simple_net_class(torch)()
    path = str(tmp_path / "model.pth")
    torch.save(model.state_dict(), path)
    loaded_model = simple_net_class(torch)()
    loaded_model.load_state_dict(torch.load(path))
    loaded_model.eval()
    for (k, a), (k2, b) in zip(model.state_dict().items(), loaded_model.state_dict().items()):
        assert k == k2 and a.tolist() == b.tolist()


def test_mnist_mlp_training_steps_match_torch(torch, device):
    """The MNIST chapter's 784-128-10 MLP: CrossEntropyLoss + SGD(momentum) on a few batches, same weights."""
    def build(nn):
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    torch.manual_seed(0)
    tmodel = build(torch.nn)
    model = copy_weights(tmodel, build(learntorch.nn), device)
    opt = learntorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.1, momentum=0.9)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (64 * 3, 1, 28, 28)).astype("float32")
    y = rng.integers(0, 10, 64 * 3)
    ds = learntorch.utils.data.TensorDataset(learntorch.tensor(x), learntorch.tensor(y))
    tds = torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y))
    crit, tcrit = learntorch.nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    for (xb, yb), (txb, tyb) in zip(learntorch.utils.data.DataLoader(ds, batch_size=64),
                                    torch.utils.data.DataLoader(tds, batch_size=64)):
        xb, yb = xb.to(device), yb.to(device)
        opt.zero_grad()
        loss = crit(model(xb), yb)
        loss.backward()
        opt.step()
        topt.zero_grad()
        tloss = tcrit(tmodel(txb), tyb)
        tloss.backward()
        topt.step()
        assert abs(loss.item() - tloss.item()) < 1e-5
    for p, tp in zip(model.parameters(), tmodel.parameters()):
        assert_same(p.detach(), tp.detach(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_training_step_on_cuda_matches_cpu(device, optimizer):
    """One model, trained for a few steps on cpu and on the (simulated) cuda device: same weights."""
    def run(dev):
        learntorch.manual_seed(0)
        model = simple_nn_class(learntorch)().to(dev)
        opt = getattr(learntorch.optim, optimizer)(model.parameters(), lr=0.1)
        x = learntorch.tensor([[0.5, 0.2], [0.1, 0.7], [0.9, 0.8], [0.4, 0.9]]).to(dev)
        y = learntorch.tensor([[0.], [1.], [1.], [0.]]).to(dev)
        for _ in range(20):
            opt.zero_grad()
            learntorch.nn.BCELoss()(model(x), y).backward()
            opt.step()
        return [p.detach().cpu().numpy() for p in model.parameters()]
    for a, b in zip(run("cpu"), run(device)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
