# Source of notebooks/01_tensors.ipynb and notebooks/solutions/01_tensors.ipynb.
# Edit this file, then run: python scripts/build_notebooks.py 01

# %% [markdown]
# # Chapter 1 · Tensors (张量)
#
# **Goals.** After this chapter you can
#
# 1. say what a tensor is, and read its shape, number of dimensions and dtype (数据类型);
# 2. create tensors from data, from a shape, as ranges and at random, reproducibly;
# 3. tell `torch.tensor(...)` from `torch.Tensor(...)`, and know which of the documents' claims about them are false;
# 4. compute element-wise, in place, and with matrix products, and never mix up `*` and `@`;
# 5. change a tensor's shape with `reshape`, `view`, `transpose`, `permute`, `squeeze` and `unsqueeze`, and explain *contiguity*;
# 6. move tensors between devices.
#
# It covers document 002 §3–§5 and the first example of document 001. The references in
# italics after a heading point to the sections of the course documents that it mirrors; the
# table in `notebooks/README.md` lists them all.
#
# We write `import learntorch as torch`: every line below runs unchanged with real PyTorch
# (`import torch`), and prints the same thing.

# %%
import learntorch as torch

torch.manual_seed(0)
print(torch.__name__, "is ready")

# %% [markdown]
# ## 1. What a tensor is *(doc 000 §2.2, doc 002 §3.1)*
#
# A **tensor (张量)** is a multi-dimensional array whose elements all have the same type. It is
# the one data structure of PyTorch: inputs, outputs, weights and gradients are all tensors.
# The number of dimensions (维度) is also called its *rank*:
#
# | rank | name | example | shape |
# |---|---|---|---|
# | 0 | scalar (标量) | `torch.tensor(5)` | `()` |
# | 1 | vector (向量) | `torch.tensor([1, 2, 3])` | `(3,)` |
# | 2 | matrix (矩阵) | `torch.tensor([[1, 2], [3, 4]])` | `(2, 2)` |
# | 3+ | tensor | an RGB image, a batch of images, a video | `(H, W, C)`, `(N, C, H, W)`, ... |

# %%
scalar = torch.tensor(5)
vector = torch.tensor([1, 2, 3])
matrix = torch.tensor([[1, 2], [3, 4]])
for name, t in [("scalar", scalar), ("vector", vector), ("matrix", matrix)]:
    print(f"{name:6}  ndim={t.ndim}  shape={t.shape}  numel={t.numel()}")

# %% [markdown]
# Higher ranks hold real data. Document 002 describes an image as `H×W×C` (height × width ×
# channels) and a video as `T×H×W×C`. That is the layout of image *files* and of NumPy/PIL;
# PyTorch's layers expect channels first, `C×H×W`, and a batch of images as `N×C×H×W`.
# Section 6 shows how to convert one layout into the other.

# %%
image = torch.zeros(28, 28, 3)        # H x W x C, as an image file stores it
video = torch.zeros(16, 28, 28, 3)    # T x H x W x C
batch = torch.zeros(64, 1, 28, 28)    # N x C x H x W: what a PyTorch model eats (64 MNIST digits)
print(image.shape, video.shape, batch.shape, sep="\n")

# %% [markdown]
# ## 2. Data types *(doc 002 §3.3)*
#
# Every tensor has one **dtype (数据类型)**. The ones you meet first:
#
# | dtype | bytes | what for |
# |---|---|---|
# | `torch.float32` (`torch.float`) | 4 | the default for real numbers: weights, inputs, losses |
# | `torch.float64` (`torch.double`) | 8 | when you need precision (gradient checks) |
# | `torch.float16` (`torch.half`) | 2 | mixed-precision training on GPUs |
# | `torch.int64` (`torch.long`) | 8 | the default for integers: class labels, indices |
# | `torch.int32` (`torch.int`) | 4 | `torch.IntTensor` |
# | `torch.bool` | 1 | masks, results of comparisons |
#
# More precision costs memory: a float64 tensor takes twice the bytes of a float32 one.

# %%
for dt in [torch.float32, torch.float64, torch.float16, torch.int64, torch.int32, torch.bool]:
    t = torch.zeros(1000, dtype=dt)
    print(f"{str(dt):14} element_size={t.element_size()}  1000 elements = {t.element_size() * t.numel()} bytes")

# %% [markdown]
# `torch.tensor` infers the dtype from the Python data: `int` gives `int64`, `float` gives the
# default float dtype (`float32`), `bool` gives `bool`. One float anywhere makes the whole tensor float.

# %%
print(torch.tensor([1, 2, 3]).dtype)
print(torch.tensor([1.0, 2.0]).dtype)
print(torch.tensor([1, 2.5]).dtype)
print(torch.tensor([True, False]).dtype)
print(torch.tensor([1.0, 2.0], dtype=torch.float64).dtype)

# %% [markdown]
# ## 3. Creating tensors *(doc 001 §Core 1, doc 002 §4.1)*
#
# Document 001 opens with four ways to create a tensor. Here they are, run:

# %%
# doc 001 §Core 1: create a 5x3 uninitialised tensor
x = torch.empty(5, 3)
print(x)

# %% [markdown]
# `empty` only reserves memory: in PyTorch its values are **whatever was in that memory**, and
# change from run to run (you may see `1.4e-45` or `-2.3e+07`). Never read an `empty` tensor
# before writing to it. learntorch fills it with zeros so that this notebook prints the same
# thing every time; do not rely on that either.

# %%
# doc 001 §Core 1: a random tensor, an all-zero int64 tensor, a tensor from data
x = torch.rand(5, 3)
print(x)
x = torch.zeros(5, 3, dtype=torch.long)
print(x)
x = torch.tensor([5.5, 3])
print(x)

# %% [markdown]
# Ranges and random numbers *(doc 002 §4.1)*: `arange(start, end, step)` excludes `end`;
# `linspace(start, end, steps)` includes both ends and takes the *number of points*.
# `rand` draws uniformly from [0, 1), `randn` from the standard normal distribution
# (mean 0, standard deviation 1), `normal(mean, std, size)` from any normal distribution.

# %%
print(torch.arange(0, 10, 2))
print(torch.linspace(0, 1, 5))
print(torch.rand(2, 3))
print(torch.randn(2, 3))
print(torch.normal(10.0, 0.5, (2, 3)))

# %% [markdown]
# A **random seed (随机种子)** makes random numbers reproducible: after `torch.manual_seed(s)`
# the same calls give the same numbers. learntorch uses PyTorch's own generator (Mersenne
# Twister), so with the same seed you get *the same numbers as PyTorch* on the CPU.

# %%
torch.manual_seed(42)
first = torch.rand(3)
torch.manual_seed(42)
second = torch.rand(3)
print(first)
print(second)
print("identical:", torch.equal(first, second))

# %% [markdown]
# ## 4. `torch.tensor` vs `torch.Tensor` *(doc 002 §4.2)*
#
# Two names, one letter apart:
#
# * `torch.tensor(data)` — a **function** that copies `data` into a new tensor, inferring the dtype (or using `dtype=`).
# * `torch.Tensor(...)` — the tensor **class**. Called with sizes, `torch.Tensor(2, 3)` makes an
#   uninitialised tensor of the default float dtype; called with data, it converts the data to that dtype.
#   `torch.IntTensor`, `torch.FloatTensor`, `torch.LongTensor` ... are the same with a fixed dtype.

# %%
print(torch.tensor([1, 2]).dtype, torch.Tensor([1, 2]).dtype)
print(torch.Tensor(2, 3).shape, torch.Tensor(2, 3).dtype)
print(torch.IntTensor(2, 3).dtype, torch.FloatTensor(2, 3).dtype, torch.LongTensor([1, 2]).dtype)

# %% [markdown]
# ### Erratum: the comparison table of document 002 §4.2
#
# Document 002 compares the two in a table and concludes "prefer `torch.tensor`". The
# conclusion is right; four of the table's cells are not. Let us test each claim.
#
# **Claim: "`torch.Tensor(shape)` always gives float32."** It gives the *default* float dtype,
# which is float32 only until someone changes it:

# %%
torch.set_default_dtype(torch.float64)
print("default float64:", torch.Tensor(2, 3).dtype, torch.tensor([1.5]).dtype)
torch.set_default_dtype(torch.float32)          # put the default back
print("default float32:", torch.Tensor(2, 3).dtype)

# %% [markdown]
# **Claim: "`torch.Tensor` cannot take a `dtype`."** True — it raises a `TypeError`
# (we print its first line). Use `torch.zeros(2, 3, dtype=...)` or `torch.tensor(data, dtype=...)`.

# %%
try:
    torch.Tensor(2, 3, dtype=torch.float64)
except TypeError as err:
    print("TypeError:", str(err).splitlines()[0])

# %% [markdown]
# **Claim: "`torch.Tensor` cannot take a `device`."** False: `device=` is accepted.

# %%
t = torch.Tensor(2, 3, device="cpu")
print(t.device, t.shape)

# %% [markdown]
# **Claim: "`torch.tensor(t)` on a tensor shares its data unless `copy=True`; `torch.Tensor(t)` copies."**
# Both halves are backwards, and `torch.tensor` has no `copy` argument at all:
#
# * `torch.tensor(t)` always **copies** (and warns that `t.detach().clone()` is the clear way to say so);
# * `torch.Tensor(t)` with a tensor of the default dtype returns a tensor that **shares** `t`'s memory.

# %%
import warnings

t = torch.tensor([1.0, 2.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    u = torch.tensor(t)
u[0] = 100.0
print("changed u = torch.tensor(t): t =", t, "| t changed too:", t[0].item() == 100.0)
print("warning:", caught[0].category.__name__, "-", str(caught[0].message).split(",")[0])

t = torch.tensor([1.0, 2.0])
v = torch.Tensor(t)
v[0] = 100.0
print("changed v = torch.Tensor(t): t =", t, "| t changed too:", t[0].item() == 100.0)

try:
    torch.tensor([1, 2], copy=True)
except TypeError as err:
    print("TypeError:", err)

# %% [markdown]
# So: use `torch.tensor(data)` for data, `torch.zeros/ones/empty(size, dtype=...)` for a shape,
# and `t.detach().clone()` to copy a tensor.
#
# ## 5. Operations
# ### 5.1 Element-wise operations and in-place operations *(doc 002 §5.1)*
#
# `add`, `sub`, `mul`, `div`, `pow` work **element by element** (逐元素). Each exists as a
# function (`torch.add(a, b)`), a method (`a.add(b)`) and, for most, an operator (`a + b`).

# %%
a = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([4.0, 5.0, 6.0])
print(torch.add(a, b), a.add(b), a + b)
print(a - b, a * b, a / b, a ** 2, torch.pow(a, 2), sep="\n")

# %% [markdown]
# A method whose name ends in `_` works **in place (原地操作)**: it changes the tensor itself
# instead of returning a new one. `data.add_(1)` is the document's example.

# %%
data = torch.tensor([1, 2, 3])
result = data.add(1)      # new tensor; data unchanged
print(data, result)
data.add_(1)              # data itself changes
print(data)

# %% [markdown]
# An in-place operation cannot change a tensor's dtype: adding `0.5` to an `int64` tensor works
# out of place (the result is float) but not in place.

# %%
print(data + 0.5)
try:
    data.add_(0.5)
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# ### 5.2 Hadamard product vs matrix multiplication *(doc 002 §5.2)*
#
# * `a * b` (`torch.mul`) is the **Hadamard product (阿达玛积)**: element by element.
# * `a @ b` (`torch.matmul`) is **matrix multiplication (矩阵乘法)**: row times column, summed.

# %%
a = torch.tensor([1, 2])
b = torch.tensor([3, 4])
print(a * b, torch.mul(a, b))

a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5], [6]])
print(a @ b)
print(torch.matmul(a, b))

# %% [markdown]
# Two corrections to document 002 here:
#
# * "`*` requires the same shape" — no: `*` **broadcasts** (chapter 2). `a * b` above works although
#   `a` is 2×2 and `b` is 2×1: each row of `a` is multiplied by the matching number of `b`.
# * "`@` needs `a`'s columns to equal `b`'s rows" — true for matrices; `matmul` also handles
#   vectors (a dot product) and batches of matrices (the leading dimensions broadcast).

# %%
print(a * b)                                   # (2, 2) * (2, 1): broadcast, not an error
print(torch.tensor([1, 2, 3]) @ torch.tensor([4, 5, 6]))   # vector @ vector: the dot product 32
print((torch.ones(10, 2, 3) @ torch.ones(3, 4)).shape)    # a batch of 10 matrix products
try:
    b @ a                                      # (2, 1) @ (2, 2): 1 != 2
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# ## 6. Changing shape *(doc 002 §5.3)*
#
# ### `reshape` and `view`
# Both give the same elements in a new **shape (形状)**; the number of elements must not change.
# One size may be `-1` (document 002 writes "1", a typo): it is computed from the others.

# %%
data = torch.rand(4, 3)
print(data.reshape(2, 6).shape)
print(data.reshape(2, -1).shape)
print(data.view(2, 6).shape)
try:
    data.reshape(5, -1)
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# A **view (视图)** shares memory with the tensor it comes from: writing into one changes the other.

# %%
x = torch.zeros(2, 3)
v = x.view(6)
v[0] = 7.0
print(x)

# %% [markdown]
# ### Strides and contiguity
#
# A tensor's elements sit in one flat block of memory. The **stride (步长)** of a dimension says
# how many elements to skip to move one step along it. A tensor is **contiguous (连续)** when its
# rows follow each other in memory in order, as in a freshly created tensor.
#
# `transpose` swaps two dimensions *without moving any data*: it only swaps the strides.
# The result is a view that is not contiguous.

# %%
x = torch.arange(12).reshape(3, 4)
xt = torch.transpose(x, 0, 1)    # doc 002 §5.3; also x.transpose(0, 1), or x.t() for 2-D
print(x.shape, x.stride(), x.is_contiguous())
print(xt.shape, xt.stride(), xt.is_contiguous())

# %% [markdown]
# Document 002 says `view` "requires a contiguous tensor, otherwise it raises". Almost: `view`
# needs a shape it can express with *strides alone*. Splitting one dimension always works, even
# on a non-contiguous tensor; merging dimensions that are not adjacent in memory does not.
# `reshape` never fails this way: it returns a view when it can and copies when it must.

# %%
print(xt.view(2, 2, 3).shape)         # splits the first dimension: fine, although xt is not contiguous
try:
    xt.view(12)                       # would merge dimensions that are apart in memory
except RuntimeError as err:
    print("RuntimeError:", err)
print(xt.reshape(12))                 # copies
print(xt.contiguous().view(12))       # the same, in two steps
print(xt.contiguous().is_contiguous())

# %% [markdown]
# ### `permute`, `squeeze`, `unsqueeze`
#
# `permute` reorders all dimensions at once: `permute(2, 0, 1)` means "new dim 0 is old dim 2,
# new dim 1 is old dim 0, new dim 2 is old dim 1". `unsqueeze(d)` inserts a dimension of size 1
# at position `d` (e.g. a batch dimension); `squeeze()` removes dimensions of size 1.

# %%
img = torch.rand(32, 32, 3)               # H x W x C (doc 002's example)
chw = img.permute(2, 0, 1)                # C x H x W
print(chw.shape)
batch = img.unsqueeze(0)                  # doc 002: add a batch dimension
print(batch.shape)
print(batch.squeeze().shape, batch.squeeze(0).shape)
print(torch.zeros(1, 3, 1, 5).squeeze().shape)

# %% [markdown]
# `reshape` is *not* a substitute for `permute`: both can give the shape `(3, 32, 32)`, but
# `reshape` keeps the elements in their memory order, so the "channels" it makes are slices of
# scrambled pixels. Compare one pixel:

# %%
good = img.permute(2, 0, 1)
bad = img.reshape(3, 32, 32)
print("pixel (0, 1) in img:        ", img[0, 1])
print("same pixel via permute:     ", good[:, 0, 1])
print("same 'pixel' via reshape:   ", bad[:, 0, 1])

# %% [markdown]
# ## 7. Devices *(doc 002 §2.1, doc 002 §3.2, doc 001 §Practice 1)*
#
# A tensor lives on a **device (设备)**: `cpu` or a GPU (`cuda`). `.to(device)` returns a copy
# on another device (or the same tensor if it is already there). The usual idiom picks the GPU
# when one is present. learntorch runs on NumPy on the CPU and on CuPy on an NVIDIA GPU.

# %%
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
x = torch.rand(2, 3)
y = x.to(device)
print("y is on the chosen device:", y.device == device)
print("values unchanged:", torch.equal(y.cpu(), x))
print(torch.device("cpu"), torch.device("cuda:0"))

# %% [markdown]
# Operations need all their tensors on the same device; moving data between CPU and GPU is slow,
# so move the model and each batch once, then compute there (chapter 5 does this).
#
# ## 8. Exercises
#
# Each exercise cell has a place marked `# your code here`. Replace the `...`, run the cell, and
# read the feedback of `check(...)`. It tells you what is wrong, not just *that* it is wrong; ask
# it for hints or the solution with `hint("1.1")` / `solution("1.1")`.

# %%
from widgets.exercises.ch01 import check, hint, solution

# %% [markdown]
# **Exercise 1.1 (recall).** What is the dtype of `torch.tensor([1, 2, 3])`? Assign the dtype
# object itself (e.g. `torch.float16`), without running the expression.

# %%
# BEGIN SOLUTION
answer_dtype = torch.int64
# END SOLUTION
check("1.1", answer_dtype)

# %% [markdown]
# **Exercise 1.2 (predict a shape).** `x = torch.zeros(2, 3, 4)`. What is the shape of
# `x.permute(2, 0, 1)`? Give a tuple of ints.

# %%
# BEGIN SOLUTION
permuted_shape = (4, 2, 3)
# END SOLUTION
check("1.2", permuted_shape)

# %% [markdown]
# **Exercise 1.3 (`tensor` vs `Tensor`).** Which of these calls gives a tensor that shares memory
# with `t = torch.tensor([1.0, 2.0])`? Assign the letter: `"a"` for `torch.tensor(t)`,
# `"b"` for `torch.Tensor(t)`, `"c"` for `t.clone()`.

# %%
# BEGIN SOLUTION
shares_memory = "b"
# END SOLUTION
check("1.3", shares_memory)

# %% [markdown]
# **Exercise 1.4 (Hadamard vs matmul).** With `p = torch.tensor([[1., 2.], [3., 4.]])` and
# `q = torch.tensor([[5., 6.], [7., 8.]])`, compute their Hadamard product and their matrix product.

# %%
p = torch.tensor([[1., 2.], [3., 4.]])
q = torch.tensor([[5., 6.], [7., 8.]])
# BEGIN SOLUTION
hadamard = p * q
matrix_product = p @ q
# END SOLUTION
check("1.4", hadamard, matrix_product)

# %% [markdown]
# **Exercise 1.5 (layouts).** `photo` is an image stored as `H x W x C` = `(4, 5, 3)`. Turn it into
# a batch of one image in PyTorch's layout, `N x C x H x W` = `(1, 3, 4, 5)`, with every pixel
# value in its right place.

# %%
torch.manual_seed(1)
photo = torch.rand(4, 5, 3)
# BEGIN SOLUTION
photo_batch = photo.permute(2, 0, 1).unsqueeze(0)
# END SOLUTION
check("1.5", photo_batch, photo)

# %% [markdown]
# **Exercise 1.6 (views).** `m = torch.arange(6).reshape(2, 3).t()` is not contiguous. Produce
# `flat`: its 6 elements as a 1-D tensor, in the order you read `m` row by row
# (`m[0, 0], m[0, 1], m[1, 0], ...`). (`m.view(6)` raises; why?)

# %%
m = torch.arange(6).reshape(2, 3).t()
# BEGIN SOLUTION
flat = m.reshape(6)
# END SOLUTION
check("1.6", flat)

# %% [markdown]
# **Exercise 1.7 (in place).** Write `scale_(t, k)` that multiplies `t` by `k` **in place** and returns
# `t` itself (like PyTorch's own `mul_`).

# %%
def scale_(t, k):
    # BEGIN SOLUTION
    t.mul_(k)
    return t
    # END SOLUTION


check("1.7", scale_)

# %% [markdown]
# ## Summary
#
# * A tensor (张量) is a typed n-dimensional array; `shape`, `ndim`, `dtype` and `device` describe it.
# * Integers default to `int64`, real numbers to the default float dtype (`float32`).
# * `torch.tensor(data)` copies data and infers the dtype; `torch.Tensor(...)` is the class:
#   the default dtype, no `dtype=` argument, and `torch.Tensor(t)` *shares* `t`'s memory.
#   Document 002's table gets four of these cells wrong.
# * `*` is the element-wise (Hadamard) product and broadcasts; `@` is the matrix product.
# * A trailing `_` means in place. In place cannot change the dtype.
# * `view` shares memory and needs strides that fit; `reshape` copies when it must;
#   `transpose`/`permute` only change strides, so their results are usually not contiguous.
# * `permute` reorders axes; `reshape` never does.
# * `.to(device)` moves a tensor; `torch.manual_seed` makes random numbers reproducible.
#
# ## Glossary
#
# * **tensor** 张量 — an n-dimensional array of one dtype
# * **scalar / vector / matrix** 标量 / 向量 / 矩阵 — tensors of rank 0 / 1 / 2
# * **dimension, rank** 维度 — the number of indices needed to pick one element
# * **shape** 形状 — the size of each dimension
# * **dtype** 数据类型 — the type of the elements (`float32`, `int64`, ...)
# * **element-wise** 逐元素 — applied to each element separately
# * **in-place operation** 原地操作 — changes the tensor itself (`add_`)
# * **Hadamard product** 阿达玛积 — element-wise product `a * b`
# * **matrix multiplication** 矩阵乘法 — `a @ b`
# * **view** 视图 — a tensor sharing another's memory
# * **stride** 步长 — elements to skip in memory for one step along a dimension
# * **contiguous** 连续 — rows stored one after another in order
# * **device** 设备 — where a tensor lives: `cpu` or `cuda`
# * **random seed** 随机种子 — the start value that makes random numbers reproducible
