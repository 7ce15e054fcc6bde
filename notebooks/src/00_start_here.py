# Source of notebooks/00_start_here.ipynb and notebooks/solutions/00_start_here.ipynb.
# Edit this file, then run: python scripts/build_notebooks.py 00

# %% [markdown]
# # Start here
#
# Welcome to **learntorch**, a course on PyTorch built around five Chinese PyTorch tutorials
# (the "course documents") and a complete, readable re-implementation of PyTorch's API in Python.
#
# **Goals of this notebook.** After it you know
#
# 1. how the chapters are organised and how they relate to the course documents;
# 2. how to run a notebook, and what the widgets (interactive pictures) are for;
# 3. how the exercises work: `check(...)`, hints, solutions;
# 4. that your environment works.
#
# ## How the course works
#
# | notebook | topic | documents |
# |---|---|---|
# | `01_tensors` | tensors (张量): creation, dtypes, operations, shapes, devices | 001, 002 |
# | `02_broadcasting` | broadcasting (广播) rules, errors, silent bugs, gradients | 002 |
# | `03_autograd` | autograd (自动求导), the computation graph (计算图), custom functions | 000–004 |
# | `04_linear_regression` | gradient descent (梯度下降), the learning rate (学习率), `nn.Module`, optimizers | 000–003 |
# | `05_mlp_mnist` | data loading, an MNIST classifier, evaluation, saving, practices | 000, 001, 004 |
#
# Each chapter opens with its goals and closes with a summary and a glossary (术语表) that pairs
# every English term with its Chinese name. Where a course document has a mistake, the chapter runs
# the document's code, shows what goes wrong, and fixes it; these corrections are marked
# **Erratum**. `notebooks/README.md` lists every section and code example of the documents with
# the notebook cell that covers it.
#
# The notebooks import learntorch under PyTorch's usual name:

# %%
import learntorch as torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
loss = (x ** 2).sum()
loss.backward()
print(loss)
print(x.grad)

# %% [markdown]
# With real PyTorch installed you could write `import torch` instead and every line would run
# unchanged and print the same thing. learntorch exists so that you can also *read* how each
# operation works: every operation's forward and backward computation sit side by side in
# `learntorch/ops/`, in plain Python on NumPy (and CuPy on NVIDIA GPUs).
#
# ## PyTorch in context *(doc 000 §1, doc 000 §5, doc 000 §6, doc 000 §7, doc 001 §Summary, doc 002 §2.2, doc 003 §3, doc 003 §4, doc 004 §1, doc 004 §5, doc 004 §6, doc 004 §7)*
#
# The documents open and close with background that needs no code. In short, with corrections:
#
# * **Origin.** PyTorch is an open-source deep-learning framework created at Facebook (now Meta) AI
#   Research, modelled on NumPy's arrays plus automatic differentiation; since 2022 it is governed by
#   the PyTorch Foundation. (Document 004 credits a "Core Data Science Team"; it was FAIR.)
# * **Frameworks compared** (document 002's table). PyTorch: dynamic graphs, easy debugging, dominant in
#   research and now widely used in production. TensorFlow: started with static graphs; TensorFlow 2 runs
#   eagerly (dynamically) by default too. PaddlePaddle: Baidu's framework, strong Chinese documentation.
#   Keras: a high-level API, since Keras 3 able to run on TensorFlow, JAX or PyTorch.
# * **Applications** (documents 000, 003, 004): computer vision (classification, detection, generation),
#   natural language processing (translation, text generation, Transformers), speech, recommendation,
#   reinforcement learning, scientific applications. Chapter 5 builds the simplest vision model, a digit classifier.
# * **Trends and challenges** (documents 000, 004): performance, ease of use, deployment, model size,
#   interpretability, data privacy. Document 004's claim that PyTorch "interoperates with TensorFlow and
#   Caffe" is not direct: models move between frameworks through the ONNX format.
# * **Tools** (document 000 §6 is empty, document 004 §6 names them): the official documentation and
#   tutorials at pytorch.org, the forums, and the source code on GitHub.
#
# ## Running notebooks
#
# * Run a cell with **Shift+Enter**; run everything from the top with *Run → Run All Cells*.
# * Cells depend on the cells above them. If something looks odd, *Kernel → Restart Kernel and
#   Run All Cells*.
# * Every notebook has been run from top to bottom, and the outputs you see were produced by that
#   run; your own run should print the same numbers (the random seeds are fixed).
#
# ## Widgets
#
# Some cells show interactive widgets: the computation graph that autograd builds (chapter 3), a
# learning-rate explorer (chapter 4), a broadcasting explorer (chapter 2), live training curves and an
# MNIST viewer (chapter 5). They need a running Jupyter kernel (JupyterLab, Notebook 7, Voila or
# Binder); on GitHub you see a still picture instead. Here is a small one, the graph of the cell above:

# %%
from widgets import GraphView

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
with GraphView() as graph:
    c = a * b
    d = c + a
graph.name(a=a, b=b, c=c, d=d)
d.backward()
graph

# %% [markdown]
# Each box is a tensor (name, shape, value, gradient) or an operation. After `d.backward()` the
# gradients are filled in: $\partial d/\partial a = b + 1 = 4$ and $\partial d/\partial b = a = 2$.
#
# ## Exercises
#
# Chapters 1–5 end with exercises, from recalling a fact to implementing a piece of PyTorch. Each
# exercise cell has a line marked `# your code here`: replace the `...` with your answer and run the
# cell. The `check(...)` at the end of the cell tells you at once whether the answer is right and, if
# not, *what* is wrong. Use the **Hint** button (or `hint("1.1")`) for a nudge, and the **Solution**
# button (or `solution("1.1")`) when you are stuck. A solved copy of every chapter is in
# `notebooks/solutions/`.
#
# Try it on this warm-up: what is `x.grad` for `x = [[1, 2], [3, 4]]` and `loss = (x ** 2).sum()`?
# Give a nested list. (The answer is printed above; the point is to see how `check` reacts — try a
# wrong answer first, e.g. `[[1, 2], [3, 4]]`.)

# %%
from widgets.exercises.ch01 import notebook_helpers
from widgets.feedback import Exercise, Mistake

warm_up = Exercise(
    id="0.1",
    title="Warm-up",
    prompt="x.grad for loss = (x ** 2).sum()",
    reference=[[2.0, 4.0], [6.0, 8.0]],
    mistakes=[Mistake("those are the values of x; the gradient of x ** 2 is 2 * x", answer=[[1.0, 2.0], [3.0, 4.0]])],
    hints=["d(x^2)/dx = 2x, element by element."],
    solution="grad_answer = [[2.0, 4.0], [6.0, 8.0]]",
)
check, hint, solution = notebook_helpers([warm_up])

# %%
# BEGIN SOLUTION
grad_answer = [[2.0, 4.0], [6.0, 8.0]]
# END SOLUTION
check("0.1", grad_answer)

# %% [markdown]
# The exercise cells of the student notebooks start out "not attempted yet", like the one above;
# in `notebooks/solutions/` the same cells hold the solutions and pass.
#
# ## Environment check
#
# The following facts should all be `True`. If one is not, see the README's installation section
# (or open the course on Binder, where everything is installed).

# %%
import sys

import ipywidgets
import matplotlib
import numpy

facts = {
    "Python >= 3.10": sys.version_info >= (3, 10),
    "NumPy >= 2.1": tuple(int(p) for p in numpy.__version__.split(".")[:2]) >= (2, 1),
    "ipywidgets 8": ipywidgets.__version__.startswith("8."),
    "matplotlib >= 3.8": tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 8),
    "learntorch computes gradients": torch.equal(x.grad, 2 * x.detach()),
    "float32 is the default dtype": torch.get_default_dtype() == torch.float32,
}
for fact, ok in facts.items():
    print(f"{fact:32} {ok}")

# %% [markdown]
# What runs where depends on your machine: the next cell prints the versions and whether a CUDA GPU
# is available (its output is not compared by the automatic tests, since it differs between machines).

# %%
# NBVAL_IGNORE_OUTPUT
print("Python     ", sys.version.split()[0])
print("learntorch ", torch.__version__)
print("NumPy      ", numpy.__version__)
print("ipywidgets ", ipywidgets.__version__)
print("matplotlib ", matplotlib.__version__)
print("CUDA available:", torch.cuda.is_available())
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("this course will compute on:", device)

# %% [markdown]
# ## Summary
#
# * Six notebooks: this one, then tensors, broadcasting, autograd, linear regression, MNIST.
# * `import learntorch as torch`: PyTorch's API, readable inside.
# * Widgets show what the code does; they need a live kernel.
# * Exercises: replace `...`, run, read the feedback; hints and solutions on request.
#
# ## Glossary
#
# * **notebook** 笔记本 — a document of code cells and text cells
# * **cell** 单元格 — one block of code or text
# * **kernel** 内核 — the Python process that runs the cells
# * **widget** 交互控件 — an interactive picture in a notebook
# * **exercise** 练习 — a task with an automatic check
# * **hint** 提示 — a nudge towards the answer
# * **glossary** 术语表 — the list of terms at the end of each chapter
