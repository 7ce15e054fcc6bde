# Source of notebooks/02_broadcasting.ipynb and notebooks/solutions/02_broadcasting.ipynb.
# Edit this file, then run: python scripts/build_notebooks.py 02

# %% [markdown]
# # Chapter 2 · Broadcasting (广播)
#
# **Goals.** After this chapter you can
#
# 1. state the broadcasting rules and predict the result shape of any element-wise operation;
# 2. tell valid from invalid shape pairs, and read PyTorch's error when a pair is invalid;
# 3. explain why broadcasting copies no data (stride 0);
# 4. spot the two classic *silent* broadcasting bugs: `(N,)` against `(N, 1)`, and a reduction without `keepdim=True`;
# 5. say what the gradient of a broadcast input is, and why autograd sums it.
#
# It covers document 002 §5.4 and prepares the linear-regression chapter.

# %%
import learntorch as torch
from widgets import BroadcastExplorer

torch.manual_seed(0)           # the same random numbers at every run
print(torch.__name__, "is ready")

# %% [markdown]
# ## 1. The example of document 002 *(doc 002 §5.4)*
#
# Element-wise operations (`+ - * /`, comparisons, `torch.maximum`, ...) want two tensors of the
# same shape. When the shapes differ, PyTorch tries to **broadcast (广播)** them: it stretches
# dimensions of size 1 (and adds missing leading dimensions) until both shapes agree.

# %%
a = torch.tensor([1, 2, 3])          # shape (3,)
b = torch.tensor([[4], [5]])         # shape (2, 1)
print(a + b)
print((a + b).shape)

# %% [markdown]
# `a` behaves as if it were `[[1, 2, 3], [1, 2, 3]]` and `b` as if it were `[[4, 4, 4], [5, 5, 5]]`.
# Note that *both* tensors were stretched, not only the smaller one.
#
# ## 2. The rules
#
# Compare the two shapes **from the right** (trailing dimensions first):
#
# 1. if one shape has fewer dimensions, pad it with 1s **on the left**;
# 2. two sizes are compatible when they are **equal**, or when **one of them is 1**;
# 3. the result takes the larger size in each dimension; a size-1 dimension is repeated to match.
#
# If any pair of sizes is incompatible, the operation raises an error.
#
# | `a` | `b` | aligned | result |
# |---|---|---|---|
# | `(2, 3)` | `(3,)` | `(2, 3)` / `(1, 3)` | `(2, 3)` |
# | `(3,)` | `(2, 1)` | `(1, 3)` / `(2, 1)` | `(2, 3)` |
# | `(5, 1, 4)` | `(3, 1)` | `(5, 1, 4)` / `(1, 3, 1)` | `(5, 3, 4)` |
# | `(2, 3)` | `()` (a scalar) | `(2, 3)` / `(1, 1)` | `(2, 3)` |
# | `(2, 3)` | `(2,)` | `(2, 3)` / `(1, 2)` | error: 3 vs 2 |
# | `(2, 3)` | `(2, 4)` | | error: 3 vs 4 |
#
# `torch.broadcast_shapes` applies the rules to shapes alone, without any data:

# %%
print(torch.broadcast_shapes((2, 3), (3,)))
print(torch.broadcast_shapes((3,), (2, 1)))
print(torch.broadcast_shapes((5, 1, 4), (3, 1)))
print(torch.broadcast_shapes((2, 3), ()))

# %% [markdown]
# Invalid pairs raise a `RuntimeError` that names a dimension where the sizes clash, numbered in the
# aligned shape (PyTorch compares from the right, so when several clash it names the last one):

# %%
for shape_a, shape_b in [((2, 3), (2,)), ((2, 3), (2, 4))]:
    try:
        torch.zeros(shape_a) + torch.zeros(shape_b)
    except RuntimeError as err:
        print(f"{shape_a} + {shape_b}: RuntimeError: {err}")

# %% [markdown]
# The most common cause: a 1-D tensor lines up with the **last** dimension. To add one number per
# *row* of a `(2, 3)` matrix, the vector must have shape `(2, 1)`, not `(2,)`:

# %%
m = torch.zeros(2, 3)
row_offsets = torch.tensor([10.0, 20.0])
print(m + row_offsets.unsqueeze(1))        # (2, 3) + (2, 1)
print(m + row_offsets.reshape(2, 1))       # the same
print(m + row_offsets[:, None])            # the same, with indexing

# %% [markdown]
# ## 3. The Broadcast Explorer
#
# Type two shapes, and the explorer aligns them on the right, shows which axes are stretched,
# and gives the result shape or PyTorch's error. Try `(8, 1, 6, 1)` with `(7, 1, 5)`, and
# `(4, 3)` with `(4,)`.

# %%
explorer = BroadcastExplorer((5, 1, 4), (3, 1))
explorer

# %% [markdown]
# ## 4. Broadcasting copies nothing *(doc 002 §5.4)*
#
# Document 002 notes that broadcasting does not copy data. You can see how: `expand` (the
# explicit form of broadcasting) returns a view whose stretched dimension has **stride 0** — each
# step along it goes zero elements further in memory, so the same numbers are read again. Change
# one number of `v`, and all four "rows" of `e` change with it: there is only one copy.

# %%
v = torch.tensor([1, 2, 3])
e = v.expand(4, 3)
print("shape", e.shape, "stride", e.stride())
v[0] = 100
print(e)

# %% [markdown]
# A consequence: an **in-place** operation cannot grow its target. `x += y` must fit the result
# into `x`'s own shape.

# %%
x = torch.ones(3)
y = torch.ones(2, 3)
print((x + y).shape)      # out of place: a new (2, 3) tensor
try:
    x += y                # in place: x cannot become (2, 3)
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# ## 5. Two silent bugs
#
# Broadcasting errors are easy: PyTorch stops you. The dangerous cases are the ones that
# broadcast **successfully** into something you did not mean.
#
# ### Bug 1: `(N, 1)` against `(N,)`
#
# A model usually outputs one column per prediction, shape `(N, 1)`; targets are often a plain
# vector, shape `(N,)`. Their difference is not `(N,)` but `(N, N)`: every prediction minus every
# target. The mean of that is a valid number — just the wrong one.

# %%
pred = torch.tensor([[1.0], [2.0], [3.0]])     # (3, 1), e.g. the output of nn.Linear(1, 1)
target = torch.tensor([1.0, 2.0, 3.0])         # (3,)
diff = pred - target
print("shape of pred - target:", diff.shape)
print("wrong MSE:", ((pred - target) ** 2).mean())
print("right MSE:", ((pred.squeeze(1) - target) ** 2).mean())

# %% [markdown]
# The predictions are perfect, so the true error is 0; the broadcast version says 1.3333.
# `nn.MSELoss` warns about exactly this (we catch the warning to print just its text):

# %%
import warnings
import learntorch.nn as nn

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    loss = nn.MSELoss()(pred, target)
print(loss)
print("UserWarning:", caught[0].message)

# %% [markdown]
# ### Bug 2: a reduction that drops its dimension
#
# To centre each **row** of a matrix, subtract the row means. `X.mean(dim=1)` has shape `(N,)`,
# which lines up with the *columns*. For a square matrix no error is raised, and the result is wrong.
# `keepdim=True` keeps the reduced dimension with size 1, so the shape is `(N, 1)` and lines up with rows.

# %%
X = torch.tensor([[1.0, 2.0, 3.0],
                  [10.0, 20.0, 30.0],
                  [100.0, 200.0, 300.0]])
wrong = X - X.mean(dim=1)
right = X - X.mean(dim=1, keepdim=True)
print(X.mean(dim=1).shape, X.mean(dim=1, keepdim=True).shape)
print("row means of the wrong result:", wrong.mean(dim=1))
print("row means of the right result:", right.mean(dim=1))

# %% [markdown]
# ## 6. The gradient of a broadcast input
#
# If a tensor is broadcast in the forward pass, each of its elements was *used several times*.
# By the chain rule, its gradient (梯度) is the **sum** of the gradients of all its copies. Autograd
# (chapter 3) does this for you: `b.grad` always has `b`'s own shape.

# %%
x = torch.tensor([[1.0, 2.0, 3.0],
                  [4.0, 5.0, 6.0]])             # (2, 3)
b = torch.zeros(3, requires_grad=True)          # (3,), broadcast to (2, 3)
w = torch.ones(2, 1, requires_grad=True)        # (2, 1), broadcast to (2, 3)
out = ((x + b) * w).sum()
out.backward()
print("b.grad:", b.grad, " shape", b.grad.shape)   # each b[j] was used in 2 rows
print("w.grad:", w.grad.flatten(), " shape", w.grad.shape)   # each w[i] multiplied 3 numbers of its row

# %% [markdown]
# `b.grad` is `[2., 2., 2.]`: each `b[j]` was added to both rows, and each copy contributed 1.
# `w.grad[i]` is the sum of row `i` of `x + b`: `1+2+3 = 6` and `4+5+6 = 15`. Inside learntorch
# every element-wise operation's backward produces a gradient of the *broadcast* shape, and the
# engine reduces it back with `sum_to_size`:

# %%
g = torch.ones(2, 3)
print(g.sum_to_size(3))
print(g.sum_to_size(2, 1))

# %% [markdown]
# ## 7. Exercises

# %%
from widgets.exercises.ch02 import check, hint, solution

# %% [markdown]
# **Exercise 2.1 (predict a shape).** What is the shape of `torch.zeros(8, 1, 6, 1) + torch.zeros(7, 1, 5)`?
# Give a tuple of ints, without running it.

# %%
# BEGIN SOLUTION
result_shape = (8, 7, 6, 5)
# END SOLUTION
check("2.1", result_shape)

# %% [markdown]
# **Exercise 2.2 (valid or not).** For each pair, give the result shape as a tuple, or `None` if the
# pair does not broadcast: `(4, 3)` & `(3,)`, `(4, 3)` & `(4,)`, `(4, 1)` & `(1, 4)`, `(2, 1, 3)` & `(5, 1)`.

# %%
# BEGIN SOLUTION
shapes = [(4, 3), None, (4, 4), (2, 5, 3)]
# END SOLUTION
check("2.2", shapes)

# %% [markdown]
# **Exercise 2.3 (implement the rules).** Write `broadcast_shape(shape_a, shape_b)` that returns the
# broadcast shape of two tuples, or `None` when they are incompatible. Do not call
# `torch.broadcast_shapes`; the check compares yours with it on many pairs.

# %%
def broadcast_shape(shape_a, shape_b):
    # BEGIN SOLUTION
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    result = []
    for sa, sb in zip(a, b):
        if sa != sb and sa != 1 and sb != 1:
            return None
        result.append(sb if sa == 1 else sa)
    return tuple(result)
    # END SOLUTION


check("2.3", broadcast_shape)

# %% [markdown]
# **Exercise 2.4 (centre the rows).** Subtract from each row of `S` its own mean, so that every row of
# `centred` has mean 0.

# %%
S = torch.tensor([[1.0, 2.0, 6.0],
                  [0.0, 4.0, 8.0],
                  [3.0, 3.0, 3.0]])
# BEGIN SOLUTION
centred = S - S.mean(dim=1, keepdim=True)
# END SOLUTION
check("2.4", centred, S)

# %% [markdown]
# **Exercise 2.5 (the `(N, 1)` bug).** `predictions` has shape `(4, 1)` and `labels` has shape `(4,)`.
# Compute their mean squared error correctly, as a 0-d tensor `mse`.

# %%
predictions = torch.tensor([[0.5], [1.5], [2.0], [4.0]])
labels = torch.tensor([1.0, 1.0, 2.0, 3.0])
# BEGIN SOLUTION
mse = ((predictions.squeeze(1) - labels) ** 2).mean()
# END SOLUTION
check("2.5", mse)

# %% [markdown]
# **Exercise 2.6 (the gradient of a broadcast).** `x = torch.ones(4, 3)` and
# `b = torch.zeros(3, requires_grad=True)`. After `(x * 2 + b).sum().backward()`, what is `b.grad`?
# Give a list of 3 numbers, without running it.

# %%
# BEGIN SOLUTION
b_grad = [4.0, 4.0, 4.0]
# END SOLUTION
check("2.6", b_grad)

# %% [markdown]
# **Exercise 2.7 (stride 0).** What does `torch.tensor([1, 2, 3]).expand(4, 3).stride()` return?
# Give a tuple.

# %%
# BEGIN SOLUTION
expanded_stride = (0, 1)
# END SOLUTION
check("2.7", expanded_stride)

# %% [markdown]
# ## Summary
#
# * Broadcasting (广播) aligns shapes on the right, pads with 1s on the left, and stretches size-1
#   dimensions; sizes must be equal or 1.
# * Both operands can be stretched. Nothing is copied: stretched dimensions have stride 0.
# * An in-place operation cannot change its target's shape.
# * A 1-D tensor lines up with the **last** dimension: use `unsqueeze`, `reshape` or `keepdim=True`
#   to line it up with rows.
# * `(N, 1) - (N,)` is `(N, N)`: always compare the shapes of predictions and targets.
# * The gradient of a broadcast input is the sum over the stretched dimensions; autograd does it.
#
# ## Glossary
#
# * **broadcasting** 广播 — stretching size-1 dimensions so that shapes match
# * **trailing dimension** 尾部维度 — a dimension counted from the right
# * **singleton dimension** 单维度 — a dimension of size 1
# * **expand** 扩展 — the explicit, copy-free form of broadcasting
# * **keepdim** 保持维度 — keep a reduced dimension with size 1
# * **gradient** 梯度 — the derivative of the loss with respect to a tensor (chapter 3)
