# Source of notebooks/demo_train_mnist.ipynb: the Voila demo (no exercises, no solution notebook).
# Edit this file, then run: python scripts/build_notebooks.py demo
# Served as a web app by Voila: ?urlpath=voila/render/notebooks/demo_train_mnist.ipynb

# %% [markdown]
# # Train a neural network on handwritten digits — live
#
# This page trains the multilayer perceptron of the course (784 → 128 → 10, written with
# `import learntorch as torch`, PyTorch's API in readable Python) on real MNIST digits, right here in
# your browser session. The curves update while it learns; below them you can browse the test digits
# with the model's predictions, the confusion matrix and the digits it gets wrong.
#
# Use the controls to train more epochs, change the learning rate, or start again from scratch.

# %%
import warnings

import ipywidgets as W

import learntorch as torch
import learntorch.nn as nn
import learntorch.optim as optim
from learntorch import datasets, transforms
from learntorch.utils.data import DataLoader
from widgets import MnistViewer, TrainingMonitor

torch.manual_seed(0)
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # offline: the bundled 5,000-digit subset (said in the text)
    train_set = datasets.MNIST(root="./data", train=True, transform=transform, download=True)
    test_set = datasets.MNIST(root="./data", train=False, transform=transform, download=True)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_images, test_labels = next(iter(DataLoader(test_set, batch_size=len(test_set))))
print(f"{len(train_set)} training digits, {len(test_set)} test digits")


# %% [markdown]
# ## The model and the training loop

# %%
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))


criterion = nn.CrossEntropyLoss()
state = {"epoch": 0}


def new_model(lr):
    torch.manual_seed(0)
    state["model"] = MLP()
    state["optimizer"] = optim.SGD(state["model"].parameters(), lr=lr, momentum=0.9)
    state["epoch"] = 0


def test_predictions():
    model = state["model"]
    model.eval()
    with torch.no_grad():
        predicted = model(test_images).argmax(dim=1)
    model.train()
    return predicted


def train_epoch(monitor):
    model, optimizer = state["model"], state["optimizer"]
    total = 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    state["epoch"] += 1
    accuracy = (test_predictions() == test_labels).float().mean().item()
    monitor.log(state["epoch"], loss=total / len(train_loader), test_acc=accuracy)
    return accuracy


# %% [markdown]
# ## Training: loss and test accuracy per epoch

# %%
new_model(lr=0.01)
monitor = TrainingMonitor(x="epoch", title="MLP 784-128-10 on MNIST, SGD with momentum 0.9")
monitor

# %%
for _ in range(3):
    accuracy = train_epoch(monitor)
print(f"after {state['epoch']} epochs: test accuracy {accuracy:.3f}")

# %% [markdown]
# ## The test digits, with the model's predictions
#
# *samples*: the digits with predicted (p) and true (t) labels; *confusion*: how often each digit
# (row) was taken for each other digit (column); *misclassified*: only the mistakes.

# %%
viewer = MnistViewer(test_images, test_labels, test_predictions())
viewer

# %% [markdown]
# ## Keep going

# %%
# NBVAL_IGNORE_OUTPUT
lr_slider = W.FloatLogSlider(value=0.01, base=10, min=-3, max=0, step=0.25, description="learning rate",
                             readout_format=".3f", style={"description_width": "initial"})
epochs = W.IntSlider(value=2, min=1, max=10, description="epochs")
train_button = W.Button(description="Train", button_style="primary", icon="play")
reset_button = W.Button(description="New model", icon="refresh")
status = W.HTML()


def refresh_viewer():
    fresh = MnistViewer(test_images, test_labels, test_predictions())
    viewer.widget.children = fresh.widget.children      # swap the contents of the displayed viewer


def on_train(_):
    train_button.disabled = True
    for group in state["optimizer"].param_groups:
        group["lr"] = lr_slider.value
    for i in range(epochs.value):
        status.value = f"training epoch {state['epoch'] + 1} ..."
        accuracy = train_epoch(monitor)
    status.value = f"epoch {state['epoch']}: test accuracy {accuracy:.3f}"
    refresh_viewer()
    train_button.disabled = False


def on_reset(_):
    new_model(lr_slider.value)
    status.value = "a new, untrained model (the curves continue from epoch 1 again)"
    refresh_viewer()


train_button.on_click(on_train)
reset_button.on_click(on_reset)
controls = W.VBox([W.HBox([lr_slider, epochs]), W.HBox([train_button, reset_button]), status])
controls

# %% [markdown]
# Things to try: a learning rate of 0.5 or more (the loss jumps or gets stuck), 0.001 (slow), or many
# epochs (the training loss keeps falling while the test accuracy levels off around 94%: with only
# 4,000 training digits the model starts to memorise them).
#
# The course notebooks explain every line: start with `00_start_here.ipynb`.
