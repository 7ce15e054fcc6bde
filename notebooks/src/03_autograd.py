# Source of notebooks/03_autograd.ipynb and notebooks/solutions/03_autograd.ipynb.
# Edit this file, then run: python scripts/build_notebooks.py 03

# %% [markdown]
# # Chapter 3 · Autograd (自动求导)
#
# **Goals.** After this chapter you can
#
# 1. explain the dynamic computation graph (动态计算图) that PyTorch records while your code runs;
# 2. tell leaf tensors (叶子节点) from intermediate ones, and say what `requires_grad`, `grad` and `grad_fn` mean;
# 3. compute gradients of scalars, of vectors (with a `gradient` argument) and of several variables;
# 4. control recording: `torch.no_grad()`, `detach()`; and gradient accumulation with `zero_()`;
# 5. recognise the four classic autograd errors (non-scalar output, integer dtype, second backward, in-place on a leaf) and fix each;
# 6. watch the graph being built and replayed backwards, node by node;
# 7. write your own operation as a `torch.autograd.Function` and verify it with `gradcheck`.
#
# It covers document 002 §6, the autograd example of document 001, and the autograd sections of
# documents 000 (§2.1, §2.3, §3.1), 003 (§1.2–§1.3) and 004 (§2–§3).

# %%
import learntorch as torch
from widgets import GraphView

torch.manual_seed(0)           # the same random numbers at every run
print(torch.__name__, "is ready")

# %% [markdown]
# ## 1. Forward and backward *(doc 000 §2.3, doc 000 §3.1, doc 003 §1.3)*
#
# Training a network alternates two passes:
#
# * the **forward pass (前向传播)** computes the output and the loss from the input, layer after layer;
# * the **backward pass (反向传播)** computes the **gradient (梯度)** of the loss with respect to every
#   parameter — how much the loss changes when that parameter changes a little — going from the
#   loss back towards the inputs, using the chain rule.
#
# **Autograd (自动求导)** does the backward pass for you. While the forward pass runs, it records
# which operations produced which tensors: the **computation graph (计算图)**. `loss.backward()`
# walks that graph backwards.
#
# ## 2. The example of document 001 *(doc 001 §Core 2)*
#
# $out = \frac{1}{4}\sum_{ij} 3\,(x_{ij} + 2)^2$, with every $x_{ij} = 1$.

# %%
# doc 001 §Core 2
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()

print(out)

out.backward()

print(x.grad)

# %% [markdown]
# Check by hand: $\frac{\partial out}{\partial x_{ij}} = \frac{1}{4}\cdot 6\,(x_{ij}+2) = \frac{6 \cdot 3}{4} = 4.5$.
#
# ## 3. The graph *(doc 002 §6.1, doc 004 §2)*
#
# Every tensor made by a recorded operation has a `grad_fn`: the node of the graph that knows how
# to send gradients back through that operation. `next_functions` links each node to the nodes of
# its inputs. Tensors you create yourself have no `grad_fn`: they are **leaves (叶子节点)**; a leaf
# with `requires_grad=True` is represented in the graph by an `AccumulateGrad` node, which adds
# the incoming gradient into its `.grad`.

# %%
def describe(node, depth=0):
    """Print a backward graph as an indented tree of node names."""
    print("    " * depth + (node.name() if node is not None else "None (a constant)"))
    if node is not None:
        for parent, _ in node.next_functions:
            describe(parent, depth + 1)


describe(out.grad_fn)
print("x: is_leaf =", x.is_leaf, " grad_fn =", x.grad_fn)
print("y: is_leaf =", y.is_leaf, " grad_fn =", y.grad_fn.name())

# %% [markdown]
# Two corrections to document 002 §6.1:
#
# * It says the graph's nodes are tensors and its edges operations. In the graph autograd actually
#   records (above) the nodes are the *backward functions* (`MulBackward0`, ...); tensors point
#   into it through `grad_fn`. Both pictures are useful; the code follows the second.
# * It says leaves are "tensors the user created, with `requires_grad=True`". Every tensor
#   without a `grad_fn` is a leaf — including all tensors that do not require grad. What is
#   special about leaves *with* `requires_grad=True` is that they are the only tensors whose
#   `.grad` gets filled in. An intermediate tensor keeps its gradient only if you ask with
#   `retain_grad()` (reading `.grad` of a non-leaf otherwise gives `None` and a warning).

# %%
c = torch.tensor([1.0, 2.0])                 # created by the user, no grad
w = torch.tensor([1.0, 2.0], requires_grad=True)
h = w * 2                                    # made by an operation
for name, t in [("c", c), ("w", w), ("h", h)]:
    print(f"{name}: is_leaf={t.is_leaf!s:5}  requires_grad={t.requires_grad}")
h.retain_grad()                              # ask autograd to keep h's gradient too
h.sum().backward()
print("w.grad =", w.grad, " h.grad =", h.grad)
print("retains_grad:", w.retains_grad, h.retains_grad)

# %% [markdown]
# ## 4. Watching the graph
#
# `GraphView` draws the graph while your code runs: inside `with GraphView() as g:` every
# operation adds its node. Name the tensors you care about; after `backward()` the gradients
# appear in the picture. Use the step buttons to replay the backward pass one node at a time:
# the highlighted node shows the local gradient it applies (the chain rule, one link at a time).

# %%
x = torch.ones(2, 2, requires_grad=True)
with GraphView() as g:
    y = x + 2
    z = y * y * 3
    out = z.mean()
g.name(x=x, y=y, z=z, out=out)
out.backward()
g

# %% [markdown]
# The slider under the picture replays the backward pass. The same view is available in code:
# `g.static(step=k)` is the picture after `k` of the backward steps — here 2 of 4. The gradient has
# reached `z` and `t1` (the name GraphView gives the unnamed `y * y`), not yet `y` and `x`.

# %%
g.static(step=2)

# %% [markdown]
# The order in which the engine visits the nodes is a **reverse topological order**: a node runs
# only after every node that feeds gradient into it. learntorch reports each step to listeners
# (that is how `GraphView` replays it); we can listen too:

# %%
from learntorch.autograd import hooks

x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
steps = []
with hooks.listen(backward_step=lambda node, grad_outputs, grad_inputs: steps.append(node.name())):
    out.backward()
print(" -> ".join(steps))

# %% [markdown]
# ## 5. A dynamic graph *(doc 000 §2.1, doc 002 §2.1, doc 003 §1.2, doc 004 §3, doc 004 §8)*
#
# PyTorch builds the graph **while the code runs**, anew at every forward pass: a *dynamic
# computation graph (动态计算图)*. Ordinary Python `if` and `for` decide what gets recorded, so
# two calls of the same function can record different graphs.

# %%
def f(x):
    y = x * 2
    while y.norm() < 10:      # data-dependent loop: how many multiplications depends on x
        y = y * 2
    return y.sum()


for start in [1.0, 0.1]:
    x = torch.tensor([start, start], requires_grad=True)
    s = f(x)
    s.backward()
    depth = 0
    node = s.grad_fn
    while node is not None and node.next_functions:
        depth += 1
        node = node.next_functions[0][0]
    print(f"x = {start}: graph depth {depth}, x.grad = {x.grad}")

# %% [markdown]
# The documents compare this with the *static graphs* of early TensorFlow (define the whole graph,
# then run it). That comparison is dated: TensorFlow 2 also runs eagerly by default, and PyTorch
# can compile static graphs (`torch.compile`, `torch.jit`). What remains true is the point for
# learners: in PyTorch the graph is just a record of the Python code you ran, so you debug it
# with `print` and a debugger.
#
# Document 003 §1.3 says that during the forward pass PyTorch "records each operation and its
# gradient". It records the operations and the tensors their backward will need
# (`ctx.save_for_backward`), not gradients: gradients are computed only when you call `backward()`.
#
# ## 6. Gradients of scalars, vectors and several variables *(doc 002 §6.2)*

# %%
# a scalar: dy/dx = 2x
x = torch.tensor(1.0, requires_grad=True)
y = x ** 2
y.backward()
print(x.grad)

# a vector, reduced to a scalar first: d(mean(x^2))/dx = 2x / n
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x ** 2
loss = y.mean()
loss.backward()
print(x.grad)

# several variables: y = x1^2 + 2 x2 + 7
x1 = torch.tensor(5.0, requires_grad=True)
x2 = torch.tensor(3.0, requires_grad=True)
y = x1 ** 2 + 2 * x2 + 7
y.backward()
print(x1.grad, x2.grad)

# %% [markdown]
# `backward()` without arguments only works on a **scalar**. For a vector output PyTorch needs
# to know how to weight each component: pass `gradient=v`, and you get $v^\top J$, the
# vector–Jacobian product — the gradient of `(y * v).sum()`.

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
try:
    y.backward()
except RuntimeError as err:
    print("RuntimeError:", err)
y.backward(gradient=torch.tensor([1.0, 0.1, 0.01]))
print(x.grad)          # 2x * v = [2, 0.4, 0.06]

# %% [markdown]
# ## 7. Switching recording off *(doc 002 §6.3)*
#
# Inside `with torch.no_grad():` no graph is recorded: results have `requires_grad=False`. Use it
# for inference (less memory, faster) and for updating parameters by hand. `t.detach()` returns
# a tensor with the same data, cut off from the graph.

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x ** 2
print(y.requires_grad, y.grad_fn)
d = x.detach()
print(d.requires_grad, d.is_leaf)

# %% [markdown]
# ## 8. Gradients accumulate *(doc 002 §6.3)*
#
# `backward()` **adds** into `.grad`; it never overwrites. Run two backward passes and the
# gradients add up. That is useful on purpose — *gradient accumulation* lets you sum the
# gradients of two small batches before one update — and a bug by accident. Reset with
# `x.grad.zero_()` (or `optimizer.zero_grad()`, which does it for every parameter).

# %%
x = torch.tensor(2.0, requires_grad=True)
for i in range(3):
    y = x ** 2
    y.backward()
    print(f"after backward #{i + 1}: x.grad = {x.grad.item()}")
x.grad.zero_()
print("after zero_():", x.grad)

# %% [markdown]
# Gradient accumulation on purpose: two half-batches give the same gradient as one full batch
# (with the loss of each half scaled by 1/2).

# %%
w = torch.tensor([1.0, -1.0], requires_grad=True)
data = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
(data @ w).pow(2).mean().backward()
full = w.grad.clone()
w.grad.zero_()
for half in (data[:2], data[2:]):
    ((half @ w).pow(2).mean() / 2).backward()
print(full, w.grad, torch.allclose(full, w.grad))

# %% [markdown]
# ### Erratum: the accumulation snippet of document 002 §6.3
#
# Document 002 illustrates zeroing with
# `for epoch in range(100): loss.backward(); optimizer.step(); optimizer.zero_grad()`.
# As written, `loss` is computed once, *before* the loop. The first `backward()` frees the graph,
# and the second raises. The loss must be recomputed (a new forward pass) in every iteration:

# %%
import learntorch.optim as optim

w = torch.tensor([1.0], requires_grad=True)
optimizer = optim.SGD([w], lr=0.1)
loss = (w * 3 - 6).pow(2).mean()           # computed once, outside the loop
try:
    for epoch in range(100):
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
except RuntimeError as err:
    print(f"epoch {epoch}: RuntimeError: {str(err)[:80]}...")

for epoch in range(100):                   # the fix: forward pass inside the loop
    loss = (w * 3 - 6).pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
print("w =", round(w.item(), 4), "(the minimum is at w = 2)")

# %% [markdown]
# ## 9. Four errors worth knowing *(doc 002 §6.4)*
#
# **1. Only floating-point tensors can require gradients.** Gradients are about small changes;
# integers cannot change a little.

# %%
try:
    torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as err:
    print("RuntimeError:", err)
print(torch.tensor([1.0, 2.0, 3.0], requires_grad=True).dtype)

# %% [markdown]
# **2. A graph can be walked backwards once.** `backward()` frees the tensors the graph saved for
# it. Walking it again raises — unless the first call said `retain_graph=True`.

# %%
x = torch.tensor(3.0, requires_grad=True)
y = x * x
y.backward(retain_graph=True)
y.backward()                          # fine: the graph was retained
print(x.grad)                         # 6 + 6: accumulated
try:
    y.backward()                      # the second call did not retain it
except RuntimeError as err:
    print("RuntimeError:", str(err).split(". ")[0] + ".")

# %% [markdown]
# Document 002 puts it as "`backward()` can only be called once". Precisely: the error comes
# only when a node needs a *saved* tensor that was freed. A graph that saved nothing (`x + 2`)
# can be walked again — do not build on that, but do not be surprised by it either.

# %%
x = torch.tensor(3.0, requires_grad=True)
s = (x + 2).sum()
s.backward()
s.backward()
print(x.grad)

# %% [markdown]
# **3. A leaf that requires grad cannot be changed in place** while recording — autograd could not
# know how to differentiate through the change. Parameter updates therefore go inside `no_grad()`.

# %%
lr = 0.1
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x ** 2).sum().backward()
try:
    x -= lr * x.grad
except RuntimeError as err:
    print("RuntimeError:", err)
with torch.no_grad():
    x -= lr * x.grad
print(x, x.is_leaf)

# %% [markdown]
# Why `x -= ...` and not `x = x - ...`? The in-place form changes the leaf itself, so it stays the
# same leaf tensor with `requires_grad=True`. `x = x - ...` binds the name `x` to a brand-new
# tensor; outside `no_grad()` that new tensor is not even a leaf, and its `.grad` stays `None`.

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
x = x - 0.1
print(x.is_leaf, x.grad_fn.name())

# %% [markdown]
# **4. In-place changes to a tensor that the graph saved** are caught when backward needs it:

# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()                 # exp saves its output for the backward pass
b.add_(1)                   # ... which we now change
try:
    b.sum().backward()
except RuntimeError as err:
    print("RuntimeError:", str(err)[:120], "...")

# %% [markdown]
# ## 10. Your own operation: `torch.autograd.Function`
#
# Every operation in PyTorch (and in learntorch) is a pair: a `forward` that computes the result
# and a `backward` that turns the gradient of the output into gradients of the inputs. You can
# write your own with the same API. `ctx` carries what backward needs from forward.
#
# As an example, $y = x^3$ with $\frac{dy}{dx} = 3x^2$:

# %%
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2     # chain rule: dL/dx = dL/dy * dy/dx


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = Cube.apply(x)
y.sum().backward()
print(y, x.grad)
print(y.grad_fn.name())

# %% [markdown]
# ### Checking a backward rule with `gradcheck`
#
# `torch.autograd.gradcheck` compares your analytic gradient with a numerical one, computed from
# finite differences $\frac{f(x+\varepsilon) - f(x-\varepsilon)}{2\varepsilon}$. Use **float64**
# inputs: in float32 the rounding error of the finite differences is too large.

# %%
from learntorch.autograd import gradcheck

x64 = torch.randn(5, dtype=torch.float64, requires_grad=True)
print("Cube passes gradcheck:", gradcheck(Cube.apply, (x64,)))


class WrongCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x          # forgot the square


try:
    gradcheck(WrongCube.apply, (x64,))
except RuntimeError as err:
    print("RuntimeError:", str(err).splitlines()[0])
print("with raise_exception=False:", gradcheck(WrongCube.apply, (x64,), raise_exception=False))

# %% [markdown]
# ## 11. A tour of learntorch's engine
#
# learntorch is written to be read. The pieces you met in this chapter live in:
#
# * `learntorch/autograd/function.py` — `Function` and the graph node (`ctx`, `save_for_backward`,
#   `next_functions`);
# * `learntorch/autograd/engine.py` — `backward`: a topological order of the graph, then one
#   backward call per node, summing gradients that meet at the same input;
# * `learntorch/ops/elementwise.py` — the built-in operations, each a `forward`/`backward` pair
#   like `Cube` above.
#
# Print how the engine describes its own algorithm, and the source of the built-in multiplication:
# its `backward` is the product rule. (This cell prints the current source files, so the automatic
# notebook tests do not compare its output.)

# %%
# NBVAL_IGNORE_OUTPUT
import inspect
from learntorch.autograd import engine
from learntorch.ops import elementwise

print(engine.__doc__)
print(inspect.getsource(elementwise.Mul))

# %% [markdown]
# ## 12. Exercises

# %%
from widgets.exercises.ch03 import check, hint, solution

# %% [markdown]
# **Exercise 3.1 (leaves).** After
# ```python
# w = torch.randn(3, requires_grad=True); x = torch.ones(3)
# y = w * x; z = y.sum(); c = w.detach()
# ```
# which of `w, x, y, z, c` are leaves? Give a dict such as `{"w": True, "x": False, ...}`.

# %%
# BEGIN SOLUTION
leaves = {"w": True, "x": True, "y": False, "z": False, "c": True}
# END SOLUTION
check("3.1", leaves)

# %% [markdown]
# **Exercise 3.2 (a derivative).** For `x = torch.tensor(3.0, requires_grad=True)` and
# `y = x ** 3 + 2 * x`, what is `x.grad` after `y.backward()`? Give a number, without running it.

# %%
# BEGIN SOLUTION
grad_value = 29.0
# END SOLUTION
check("3.2", grad_value)

# %% [markdown]
# **Exercise 3.3 (accumulation).** `x = torch.tensor(2.0, requires_grad=True)`. We run
# `(x ** 2).backward()` twice (building the graph anew each time) and then `(x * 5).backward()`
# once, with no zeroing. What is `x.grad`?

# %%
# BEGIN SOLUTION
accumulated = 13.0
# END SOLUTION
check("3.3", accumulated)

# %% [markdown]
# **Exercise 3.4 (a vector output).** `y = x ** 2` for `x = [1., 2., 3.]` is a vector. Fill `x.grad`
# with the gradient of `0.5 * y[0] + 2 * y[2]` by calling `y.backward` with the right `gradient`
# argument (do not build that expression).

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
# BEGIN SOLUTION
y.backward(gradient=torch.tensor([0.5, 0.0, 2.0]))
# END SOLUTION
check("3.4", x)

# %% [markdown]
# **Exercise 3.5 (a manual update step).** Write `sgd_step(params, lr)` that does one step of gradient
# descent on each tensor in `params` **in place** (each stays the same leaf tensor) and then zeroes
# its gradient.

# %%
def sgd_step(params, lr):
    # BEGIN SOLUTION
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()
    # END SOLUTION


check("3.5", sgd_step)

# %% [markdown]
# **Exercise 3.6 (a backward rule).** `Softplus` computes $y = \log(1 + e^x)$. Write its `backward`:
# $\frac{dy}{dx} = \frac{1}{1+e^{-x}}$, the sigmoid. The check runs `gradcheck` on it.

# %%
class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.log(1 + torch.exp(x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output * torch.sigmoid(x)
        # END SOLUTION


check("3.6", Softplus)

# %% [markdown]
# **Exercise 3.7 (two inputs).** `MulAdd` computes $z = x \cdot y + y$ element-wise. Write its
# `backward`, which must return one gradient per input, in the order of `forward`'s arguments.

# %%
class MulAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y + y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output * y, grad_output * (x + 1)
        # END SOLUTION


check("3.7", MulAdd)

# %% [markdown]
# ## Summary
#
# * Autograd (自动求导) records a computation graph (计算图) while the forward pass runs, and
#   `backward()` walks it in reverse topological order, applying the chain rule at each node.
# * Leaves (叶子节点) are tensors with no `grad_fn`; only leaves with `requires_grad=True` get `.grad`.
# * `backward()` needs a scalar, or a `gradient=` argument for a vector output (a vector–Jacobian product).
# * Gradients accumulate: zero them (`x.grad.zero_()`, `optimizer.zero_grad()`) before each step.
# * `torch.no_grad()` and `detach()` switch recording off; update parameters inside `no_grad()`.
# * Errors: integer tensors cannot require grad; a freed graph cannot be walked again without
#   `retain_graph=True`; leaves that require grad and saved tensors cannot be changed in place.
# * A `torch.autograd.Function` is a `forward`/`backward` pair; `gradcheck` (in float64) verifies it.
#
# ## Glossary
#
# * **automatic differentiation, autograd** 自动求导 / 自动微分 — computing gradients from the recorded operations
# * **computation graph** 计算图 — the record of which operation made which tensor
# * **dynamic graph** 动态计算图 — a graph recorded anew at every run of the code
# * **forward pass / backward pass** 前向传播 / 反向传播 — computing outputs / computing gradients
# * **gradient** 梯度 — the derivative of the loss with respect to a tensor, same shape as the tensor
# * **leaf node** 叶子节点 — a tensor with no `grad_fn`
# * **chain rule** 链式法则 — multiply the local derivatives along the path
# * **gradient accumulation** 梯度累加 — `backward()` adds into `.grad`
# * **vector–Jacobian product** 向量-雅可比积 — what `backward(gradient=v)` computes
# * **gradient check** 梯度检查 — comparing analytic with numerical gradients
