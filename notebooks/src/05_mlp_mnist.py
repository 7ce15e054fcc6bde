# Source of notebooks/05_mlp_mnist.ipynb and notebooks/solutions/05_mlp_mnist.ipynb.
# Edit this file, then run: python scripts/build_notebooks.py 05

# %% [markdown]
# # Chapter 5 · A multilayer perceptron on MNIST
#
# **Goals.** After this chapter you can
#
# 1. feed data to a model with `Dataset` (数据集) and `DataLoader` (数据加载器), in shuffled mini-batches (小批量);
# 2. build the documents' 784-128-10 network and train it with `CrossEntropyLoss` (交叉熵损失) and SGD with momentum (动量);
# 3. explain why a softmax before `CrossEntropyLoss` is a bug, and what the documents' other MNIST mistakes are;
# 4. evaluate properly: `model.eval()`, `torch.no_grad()`, accuracy (准确率), a confusion matrix (混淆矩阵);
# 5. save and load a `state_dict`, schedule the learning rate with `StepLR`, and know what mixed precision,
#    `DataParallel` and `.to(device)` do;
# 6. reach 92% test accuracy on the course's MNIST subset yourself.
#
# It covers documents 000 §4 (the MNIST program), 001 §Core 5 and §Practice 1–7, and 004 §4
# and its FAQ on saving, plus the remaining FAQ answers of documents 000 and 004.

# %%
import warnings

import learntorch as torch
import learntorch.nn as nn
import learntorch.nn.functional as F
import learntorch.optim as optim
from learntorch import datasets, transforms
from learntorch.utils.data import Dataset, DataLoader
from widgets import MnistViewer, TrainingMonitor

torch.manual_seed(0)           # the same random numbers at every run
print(torch.__name__, "is ready")

# %% [markdown]
# ## 1. `Dataset` and `DataLoader` *(doc 001 §Core 5)*
#
# A **`Dataset` (数据集)** answers two questions: how many examples (`__len__`) and what is example
# number `i` (`__getitem__`). A **`DataLoader` (数据加载器)** draws examples from it and stacks them
# into **mini-batches (小批量)**, reshuffling the order every epoch (轮次) when `shuffle=True`.
# Document 001's example, with 100 random examples of 10 features and binary labels:

# %%
# doc 001 §Core 5
class CustomDataset(Dataset):
    def __init__(self, data, labels):
        self.data = data
        self.labels = labels

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], self.labels[idx]


# example data
data = torch.randn(100, 10)
labels = torch.randint(0, 2, (100,))

dataset = CustomDataset(data, labels)
dataloader = DataLoader(dataset, batch_size=16, shuffle=True)

for batch_idx, (inputs, targets) in enumerate(dataloader):
    print(f"Batch {batch_idx}: Inputs shape {inputs.shape}, Targets shape {targets.shape}")

# %% [markdown]
# 100 examples in batches of 16 make 6 full batches and a last one of 4 (`drop_last=True` would drop
# it). Document 001 mentions "multi-threaded loading": that is `num_workers=N`, which loads batches
# in worker processes; for data already in memory, as here, it only adds overhead.
#
# ## 2. MNIST *(doc 000 §4.2)*
#
# MNIST holds 28×28 grey images of handwritten digits with their labels 0–9. Document 000 loads it
# with `torchvision`; learntorch ships the two pieces of torchvision that the documents use,
# `learntorch.datasets` and `learntorch.transforms` (in PyTorch: `from torchvision import datasets, transforms`).
#
# The full data set has 60,000 training and 10,000 test images. Without a network connection,
# learntorch falls back to a bundled subset of the real digits: 4,000 for training and 1,000 for
# testing, 500 per class. This course uses that subset so that everybody gets the same numbers.
# `ToTensor()` turns each image into a float tensor of shape `(1, 28, 28)` with values in [0, 1].
# (Document 000 leaves out `download=True` for the test split: torchvision downloads both splits at
# once. learntorch only falls back to the bundled digits when it may "download", so we pass it twice.)

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    train_set = datasets.MNIST(root="./data", train=True, transform=transforms.ToTensor(), download=True)
    test_set = datasets.MNIST(root="./data", train=False, transform=transforms.ToTensor(), download=True)
for w in caught:
    print(w.category.__name__ + ":", str(w.message).splitlines()[-1].split(" from ")[0])
print("training images:", len(train_set), " test images:", len(test_set))
image, label = train_set[0]
print("one example:", image.shape, image.dtype, "label", label)
print("pixel range:", image.min().item(), "to", image.max().item())

# %% [markdown]
# Look at some digits (the viewer also shows predictions once we have a model):

# %%
viewer = MnistViewer(test_set.data[:48], test_set.targets[:48])
viewer

# %% [markdown]
# Document 000's loaders: batches of 64 for training, shuffled; batches of 1000 for testing, in order.

# %%
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_loader = DataLoader(test_set, batch_size=1000, shuffle=False)
images, labels = next(iter(train_loader))
print(images.shape, labels.shape, labels.dtype)
print("batches per epoch:", len(train_loader), "train,", len(test_loader), "test")

# %% [markdown]
# ## 3. The network of documents 000 and 004
#
# A **multilayer perceptron (多层感知机)**: flatten the image to 784 numbers, a fully connected layer
# to 128 hidden units, ReLU, a fully connected layer to 10 outputs — one score per digit. The scores
# are called **logits**; the predicted class is the one with the largest score.
#
# Document 000 writes it like this — with a softmax at the end *(doc 000 §4.1)*:

# %%
# doc 000 §4.1
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = torch.relu(x)
        x = self.fc2(x)
        output = torch.softmax(x, dim=1)
        return output


net = Net()
print(net)
print("parameters:", sum(p.numel() for p in net.parameters()))

# %% [markdown]
# ### The training program of document 000 §4.2, run as written *(doc 000 §4.2)*
#
# Loss: `nn.CrossEntropyLoss`; optimizer: SGD with learning rate 0.01 and **momentum (动量)** 0.9;
# 10 epochs. (The document forgot `import torchvision`; we imported learntorch's equivalents above.)

# %%
# doc 000 §4.2, as written (with learntorch's datasets above instead of torchvision)
torch.manual_seed(0)
net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):  # loop over the dataset multiple times
    running_loss = 0.0
    for i, data in enumerate(train_loader, 0):
        inputs, labels = data

        optimizer.zero_grad()

        outputs = net(inputs)
        loss = criterion(outputs, labels)

        loss.backward()

        optimizer.step()

        running_loss += loss.item()
        if i % 2000 == 1999:    # print every 2000 mini-batches
            print('[%d, %5d] loss: %.3f' %
                  (epoch + 1, i + 1, running_loss / 2000))
            running_loss = 0.0

print('Finished Training')

# %% [markdown]
# ### Erratum 1: the progress report never prints
#
# `if i % 2000 == 1999` fires at mini-batch 2000 of an epoch. With batches of 64, an epoch of the
# *full* MNIST has only 938 batches (ours: 63), so the loop prints nothing but "Finished Training".
# Report per epoch, or every *k* batches with *k* smaller than `len(train_loader)`.
#
# ### Erratum 2: softmax before `CrossEntropyLoss`
#
# `nn.CrossEntropyLoss` expects **logits**. It applies `log_softmax` itself and picks the entry of
# the true class: $\text{loss} = -\log \frac{e^{z_y}}{\sum_j e^{z_j}}$. Feeding it probabilities
# applies softmax twice. The inputs to the second softmax all lie in [0, 1], so its output can never
# be confident: even a *perfect* first softmax (1 for the true class, 0 elsewhere) gives a loss of
# $-\log\frac{e}{e + 9} \approx 1.4612$, not 0. The gradients are squashed too, so the model learns slowly.

# %%
perfect = torch.zeros(1, 10)
perfect[0, 3] = 1.0                                  # a perfect probability vector for class 3
target = torch.tensor([3])
print("loss of a perfect prediction, double softmax:", round(criterion(perfect, target).item(), 4))
print("loss of confident logits, used correctly:   ", round(criterion(perfect * 20, target).item(), 6))


def evaluate(model, loader):
    """Fraction of correctly classified examples (the model in eval mode, no graph recorded)."""
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in loader:
            predicted = model(inputs).argmax(dim=1)
            correct += (predicted == labels).sum().item()
            total += labels.numel()
    model.train()
    return correct / total


print(f"test accuracy after 10 epochs with the softmax bug: {evaluate(net, test_loader):.3f}")

# %% [markdown]
# The fix: return the logits from `forward`. Apply softmax only where you need probabilities
# (for display), never before `CrossEntropyLoss`. Same seed, same data order, same 10 epochs —
# and this time a `TrainingMonitor` draws the loss and the test accuracy as training runs.

# %%
class FixedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = torch.relu(self.fc1(x))
        return self.fc2(x)              # logits: no softmax here


torch.manual_seed(0)
model = FixedNet()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
monitor = TrainingMonitor(x="epoch", title="784-128-10 MLP, SGD lr 0.01 momentum 0.9")
monitor

# %%
for epoch in range(10):
    running_loss = 0.0
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    test_acc = evaluate(model, test_loader)
    monitor.log(epoch + 1, loss=running_loss / len(train_loader), acc=test_acc)
    print(f"epoch {epoch + 1:2}: mean loss {running_loss / len(train_loader):.3f}, test accuracy {test_acc:.3f}")
monitor.close()

# %% [markdown]
# ### Erratum 3: document 004's example *(doc 004 §4)*
#
# Document 004 trains the same network on one random image with
# `targets = torch.randint(0, 10, (1, 10))` and
# `loss = nn.functional.cross_entropy_loss(outputs, targets)`. Two mistakes:
#
# * there is no function `cross_entropy_loss`; it is `nn.functional.cross_entropy` (or the module `nn.CrossEntropyLoss`);
# * for class labels the target has one integer **per example**, shape `(N,)` — here `(1,)` — not `(1, 10)`.
#   An integer `(1, 10)` target is read as 10 "class probabilities" per example, which must be floats, so PyTorch
#   refuses it.

# %%
# doc 004 §4, as written
class Net4(nn.Module):  # document 004's network: the same layers, without the softmax
    def __init__(self):
        super(Net4, self).__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = torch.relu(self.fc1(x))
        x = self.fc2(x)
        return x


torch.manual_seed(0)
net = Net4()
inputs = torch.randn(1, 28, 28)
targets = torch.randint(0, 10, (1, 10))
optimizer = optim.SGD(net.parameters(), lr=0.01)
outputs = net(inputs)
try:
    loss = nn.functional.cross_entropy_loss(outputs, targets)
except AttributeError as err:
    print("AttributeError:", err)
try:
    loss = nn.functional.cross_entropy(outputs, targets)
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# Fixed: one class index per example. (Training on one random image only teaches the network to
# memorise it; the document's example shows the mechanics, nothing more.)

# %%
targets = torch.randint(0, 10, (1,))
for epoch in range(10):
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = nn.functional.cross_entropy(outputs, targets)
    loss.backward()
    optimizer.step()
    if epoch in (0, 9):
        print(f"epoch {epoch}: loss {loss.item():.4f}")

preds = net(inputs)
print("target", targets.item(), "prediction", preds.argmax(dim=1).item())

# %% [markdown]
# *(doc 004 §2)* Document 004 also introduces `Variable` as "a tensor with type information". `Variable` was
# PyTorch's autograd wrapper before version 0.4 (2018); since then every tensor records its
# own graph, and `torch.autograd.Variable(t)` just returns a tensor. Write `torch.tensor(...,
# requires_grad=True)` instead.
#
# ## 4. Evaluation: `eval()`, `no_grad()`, accuracy, confusion matrix *(doc 001 §Practice 4)*
#
# `model.eval()` switches layers that behave differently in training — dropout, batch
# normalisation — to their inference behaviour (our MLP has none, but the habit matters).
# `torch.no_grad()` stops graph recording: less memory, faster. They are independent: you need both.

# %%
# doc 001 §Practice 4
model.eval()
with torch.no_grad():
    test_inputs, test_labels = next(iter(test_loader))
    test_outputs = model(test_inputs)
print("recorded a graph:", test_outputs.requires_grad, "| training mode:", model.training)
predicted = test_outputs.argmax(dim=1)
print(f"accuracy: {(predicted == test_labels).float().mean().item():.3f}")

# %% [markdown]
# A **confusion matrix (混淆矩阵)** counts, for each true digit (row), how often each digit was
# predicted (column). The diagonal holds the correct answers.

# %%
confusion = torch.zeros(10, 10, dtype=torch.int64)
for t, p in zip(test_labels.tolist(), predicted.tolist()):
    confusion[t, p] += 1
print(confusion)
worst = max(((confusion[t, p].item(), t, p) for t in range(10) for p in range(10) if t != p))
print(f"most frequent confusion: {worst[1]} taken for {worst[2]} ({worst[0]} times)")

# %%
viewer = MnistViewer(test_inputs, test_labels, predicted)
viewer

# %% [markdown]
# ## 5. Saving and loading *(doc 001 §Practice 3, doc 004 §8)*
#
# `model.state_dict()` is a dictionary from parameter names to tensors. Save it with `torch.save`,
# and load it into a fresh model of the same class with `load_state_dict`.
#
# Document 001's comment above its save line says "save the whole model (recommended)". The line
# saves the **state_dict**, not the whole model — and that is indeed the recommended way (saving the
# whole model pickles the class by reference and breaks when the code moves). learntorch saves
# state_dicts in a safe format (arrays plus JSON), never executing code on load.

# %%
# doc 001 §Practice 3 and doc 004 §8
print(list(model.state_dict().keys()))
torch.save(model.state_dict(), "model.pth")

loaded_model = FixedNet()
loaded_model.load_state_dict(torch.load("model.pth"))
loaded_model.eval()
print("same predictions:", torch.equal(loaded_model(test_inputs).argmax(dim=1), predicted))

# %% [markdown]
# Loading into a model with different layers fails loudly, naming the keys that do not match:

# %%
try:
    nn.Linear(784, 10).load_state_dict(torch.load("model.pth"))
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# ## 6. Learning-rate schedules *(doc 001 §Practice 5)*
#
# A scheduler changes the optimizer's learning rate as training goes on. `StepLR(step_size=30,
# gamma=0.1)` multiplies it by 0.1 every 30 epochs; call `scheduler.step()` once per epoch,
# **after** `optimizer.step()`.

# %%
# doc 001 §Practice 5
from learntorch.optim.lr_scheduler import StepLR

optimizer = optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=30, gamma=0.1)  # multiply the lr by 0.1 every 30 epochs
for epoch in range(1, 91):
    optimizer.step()        # (a real loop trains an epoch here)
    scheduler.step()
    if epoch in (1, 29, 30, 31, 60, 90):
        print(f"after epoch {epoch:2}: lr = {scheduler.get_last_lr()[0]:.4g}")

# %% [markdown]
# ## 7. Devices, mixed precision, several GPUs *(doc 001 §Practice 1, doc 001 §Practice 2, doc 001 §Practice 6, doc 001 §Practice 7)*
#
# **GPU (Practice 1).** Move the model once, and every batch as it comes:

# %%
# doc 001 §Practice 1
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device.type}")

model = FixedNet().to(device)
inputs = torch.randn(16, 1, 28, 28).to(device)
outputs = model(inputs)
print(outputs.shape, "| on the chosen device:", outputs.device == device)

# %% [markdown]
# **Zero the gradients (Practice 2)** at the start of every step — `optimizer.zero_grad()`, as in
# every loop above — because `backward()` accumulates (chapter 3). Document 001's step:

# %%
# doc 001 §Practice 2
optimizer = optim.SGD(model.parameters(), lr=0.01)
targets = torch.randint(0, 10, (16,)).to(device)

optimizer.zero_grad()   # clear the gradients
outputs = model(inputs)
loss = criterion(outputs, targets)
loss.backward()         # backward pass: compute the gradients
optimizer.step()        # update the weights
print(f"loss {loss.item():.4f}")
#
# **Mixed precision (Practice 6, 混合精度).** On a GPU, `autocast` runs matrix products in float16
# (faster, half the memory) while keeping precision-sensitive operations in float32, and `GradScaler`
# multiplies the loss so that small float16 gradients do not round to zero, then un-scales them before
# the step (and skips steps whose gradients overflowed).
#
# The document imports them from `torch.cuda.amp`. That spelling is deprecated in current PyTorch
# (it warns), and on a machine without a GPU both are silently disabled. The current API names the
# device: `torch.autocast(device_type)` and `torch.amp.GradScaler(device_type)`. First the document's
# version, as written (we print the warnings it raises):

# %%
# doc 001 §Practice 6, as written
from learntorch.cuda.amp import autocast, GradScaler

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scaler = GradScaler()

    with autocast():
        outputs = model(inputs)
        loss = criterion(outputs, targets)

    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
for w in caught:
    print(f"{w.category.__name__}: {w.message}")

# %% [markdown]
# The current spelling: pass the device type; `enabled=use_cuda` switches both off on a CPU, so the
# same loop runs everywhere:

# %%
# doc 001 §Practice 6, in the current API
use_cuda = device.type == "cuda"
model = FixedNet().to(device)
optimizer = optim.SGD(model.parameters(), lr=0.01)
scaler = torch.amp.GradScaler(device.type, enabled=use_cuda)
images, labels = next(iter(train_loader))
inputs, targets = images.to(device), labels.to(device)

for step in range(3):
    optimizer.zero_grad()
    with torch.autocast(device_type=device.type, enabled=use_cuda):
        outputs = model(inputs)
        loss = criterion(outputs, targets)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    print(f"step {step}: loss {loss.item():.4f}")

# %% [markdown]
# **Several GPUs (Practice 7).** `nn.DataParallel` splits each batch across the visible GPUs. With
# one device (or none) the document's `if` skips it. Today `DistributedDataParallel` is the
# recommended tool even on one machine. One trap either way: the wrapped model's `state_dict` keys
# gain a `module.` prefix, so save `model.module.state_dict()`.

# %%
# doc 001 §Practice 7
model = FixedNet()
if torch.cuda.device_count() > 1:
    print(f"Using {torch.cuda.device_count()} GPUs!")
    model = nn.DataParallel(model)
model.to(device)

wrapped = nn.DataParallel(FixedNet())     # what the keys look like once wrapped
print(list(wrapped.state_dict().keys())[:2], "->", list(wrapped.module.state_dict().keys())[:2])

# %% [markdown]
# ## 8. The rest of the documents' FAQ *(doc 000 §8, doc 004 §8)*
#
# The documents end with long question-and-answer lists. What holds, and what does not:
#
# * **Parallel training**: data parallelism (split the batch) and model parallelism (split the model)
#   both exist; use `DistributedDataParallel` for the first.
# * **Transfer learning / fine-tuning**: load pretrained weights, replace the last layer, train (often
#   with the early layers frozen: `p.requires_grad_(False)`). The documents' answer ("redefine the
#   model and update some parameters") is the idea, without the how.
# * **Pruning and quantization**: `torch.nn.utils.prune` and `torch.ao.quantization.quantize_dynamic`
#   exist. The many near-duplicate "pruning" questions in document 000 (剪梳, 剪棒, 剪棒对偶 ...) are not
#   established techniques; ignore them.
# * **Visualisation**: `torch.nn.utils.weight_visualizer` and `torch.nn.utils.model_summary` **do not
#   exist**. Use TensorBoard (`torch.utils.tensorboard`), or the widgets of this course.
# * **Deployment**: `torch.onnx` (export) and TorchScript/`torch.export` exist.
# * **Interoperating with TensorFlow or Caffe** (document 004): not directly; ONNX is the bridge.
#
# ## 9. Exercises

# %%
from widgets.exercises.ch05 import check, hint, solution

# %% [markdown]
# **Exercise 5.1 (counting parameters).** How many trainable numbers does the 784-128-10 network
# have? Compute it from the layer sizes (not with `.numel()`).

# %%
# BEGIN SOLUTION
n_params = 784 * 128 + 128 + 128 * 10 + 10
# END SOLUTION
check("5.1", n_params)

# %% [markdown]
# **Exercise 5.2 (targets).** For a batch of 64 MNIST images and `nn.CrossEntropyLoss` with class
# labels, what shape and dtype must the target have? Give a tuple `(shape, dtype)`, the shape as a tuple.

# %%
# BEGIN SOLUTION
target_spec = ((64,), torch.int64)
# END SOLUTION
check("5.2", target_spec)

# %% [markdown]
# **Exercise 5.3 (logits or probabilities).** Write `predict_proba(model, images)` that returns the
# predicted class *probabilities* (rows summing to 1) of a model that outputs logits, without
# recording a graph.

# %%
def predict_proba(model, images):
    # BEGIN SOLUTION
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
    # END SOLUTION


check("5.3", predict_proba)

# %% [markdown]
# **Exercise 5.4 (accuracy).** Write `accuracy(model, loader)`: the fraction (between 0 and 1) of
# examples whose predicted class equals the label, with the model in evaluation mode and no graph recorded.

# %%
def accuracy(model, loader):
    # BEGIN SOLUTION
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in loader:
            correct += (model(inputs).argmax(dim=1) == labels).sum().item()
            total += len(labels)
    return correct / total
    # END SOLUTION


check("5.4", accuracy)

# %% [markdown]
# **Exercise 5.5 (one epoch).** Write `train_one_epoch(model, loader, optimizer, criterion)` that trains
# for one pass over `loader` and returns the mean of the batch losses (a Python float).

# %%
def train_one_epoch(model, loader, optimizer, criterion):
    # BEGIN SOLUTION
    model.train()
    total = 0.0
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)
    # END SOLUTION


check("5.5", train_one_epoch)

# %% [markdown]
# **Exercise 5.6 (save and load).** Write `roundtrip(model, path)` that saves `model`'s parameters to
# `path` and returns a **new** `FixedNet` holding them.

# %%
def roundtrip(model, path):
    # BEGIN SOLUTION
    torch.save(model.state_dict(), path)
    fresh = FixedNet()
    fresh.load_state_dict(torch.load(path))
    return fresh
    # END SOLUTION


check("5.6", roundtrip)

# %% [markdown]
# **Exercise 5.7 (92%).** Train a model that classifies at least 92% of the 1,000 test digits
# correctly. Any architecture and optimizer are allowed; the test set is for the check only. Keep
# training under a minute (hints: normalise the inputs, try Adam with lr 1e-3, ~10 epochs).
# The check evaluates `my_model` on `test_set` with `my_transform` applied to the raw images.

# %%
# BEGIN SOLUTION: my_transform, my_model = ..., ...  # your code here
my_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
norm_train = datasets.MNIST(root="./data", train=True, transform=my_transform, download=True)
loader = DataLoader(norm_train, batch_size=64, shuffle=True)
torch.manual_seed(0)
my_model = FixedNet()
optimizer = optim.Adam(my_model.parameters(), lr=1e-3)
for epoch in range(10):
    train_one_epoch(my_model, loader, optimizer, criterion)
# END SOLUTION
check("5.7", my_model, my_transform)

# %% [markdown]
# ## Summary
#
# * A `Dataset` (数据集) gives examples by index; a `DataLoader` (数据加载器) batches and shuffles them.
# * The MLP flattens 28×28 images to 784 numbers, then Linear(784, 128) → ReLU → Linear(128, 10): 101,770 parameters.
# * `CrossEntropyLoss` takes **logits** and class indices of shape `(N,)`, dtype int64. Never put a
#   softmax before it: the loss cannot go below 1.46 and training slows down (document 000's bug).
# * `nn.functional.cross_entropy` is the functional form; `cross_entropy_loss` does not exist (document 004).
# * Evaluate with `model.eval()` *and* `torch.no_grad()`; accuracy and a confusion matrix tell you how
#   good the model is and which digits it confuses.
# * Save `state_dict()`s, load them into a fresh model with `load_state_dict`.
# * `StepLR` lowers the learning rate on a schedule; `autocast`/`GradScaler` give mixed precision on GPUs
#   (use the `torch.amp` spelling); `DataParallel` prefixes keys with `module.`.
#
# ## Glossary
#
# * **dataset** 数据集 — indexed examples (`__len__`, `__getitem__`)
# * **data loader** 数据加载器 — makes shuffled mini-batches from a dataset
# * **mini-batch** 小批量 — the examples of one training step
# * **epoch** 轮次 — one pass over the training data
# * **multilayer perceptron** 多层感知机 — fully connected layers with non-linearities between them
# * **logits** 对数几率 / 未归一化分数 — a classifier's raw scores, before softmax
# * **softmax** 归一化指数函数 — turns scores into probabilities that sum to 1
# * **cross-entropy loss** 交叉熵损失 — $-\log$ of the probability given to the true class
# * **momentum** 动量 — a running average of past update directions
# * **accuracy** 准确率 — the fraction of correct predictions
# * **confusion matrix** 混淆矩阵 — counts of (true class, predicted class) pairs
# * **learning-rate schedule** 学习率调度 — changing the learning rate during training
# * **mixed precision** 混合精度 — computing in float16/bfloat16 where it is safe
