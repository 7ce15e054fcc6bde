"""Matrix products (矩阵乘法): ``matmul`` / ``@`` and its special cases.

For C = A @ B the chain rule gives dA = dC @ B^T and dB = A^T @ dC: the
gradient of a matrix product is again a matrix product.  One op (``Matmul``)
computes every case; ``mm``, ``bmm``, ``mv`` and ``dot`` are front doors that
check their stricter argument rules first, with PyTorch's messages.

How ``matmul`` treats shapes (PyTorch's rules):

* 1-D @ 1-D: the dot product (a 0-dim result);
* 2-D @ 1-D: matrix times vector; 1-D @ 2-D: the vector acts as a 1-row matrix;
* 2-D @ 2-D: the matrix product;
* more dims: a batch of matrices.  The leading (batch) dims broadcast (广播):
  (5, 1, 2, 3) @ (4, 3, 2) -> (5, 4, 2, 2).

Unlike ``+`` or ``*``, ``matmul`` does not promote dtypes: float32 @ float64 is an error.

Matrix functions (矩阵函数) live here too: triangular parts (三角矩阵: ``tril``, ``triu``),
diagonals (对角线: ``diag``, ``diagonal``, ``diag_embed``), the trace (迹) and Einstein summation
(爱因斯坦求和: ``einsum``), ``tensordot``, ``kron``, ``cross`` and the determinant (行列式: ``det``)
and inverse (逆矩阵: ``inverse``).
"""
import math
import warnings

from .._tensor import Tensor
from .. import _dtype, _errors
from .. import amp as _amp
from ..autograd import grad_mode
from ..autograd.function import Op
from .._shape import broadcast_shapes
from ._inplace import inplace

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "outer", "ger", "addmm",
           "tril", "triu", "diag", "diagonal", "diag_embed", "trace", "einsum",
           "tensordot", "kron", "cross", "det", "inverse",
           "addmv", "addbmm", "baddbmm", "chain_matmul", "matrix_power", "cdist", "block_diag",
           "tril_indices", "triu_indices", "slogdet", "logdet", "svd", "pinverse", "matrix_exp",
           "cholesky", "qr"]
TENSOR_METHODS = ["matmul", "mm", "bmm", "mv", "dot", "outer", "ger", "addmm",
                  "tril", "triu", "tril_", "triu_", "diag", "diagonal", "diag_embed", "trace", "kron", "cross",
                  "det", "inverse", "addmv", "addbmm", "baddbmm", "matrix_power",
                  "addmv_", "addbmm_", "baddbmm_", "slogdet", "logdet", "svd", "pinverse", "matrix_exp",
                  "cholesky", "qr"]

# How PyTorch's C++ kernels name dtypes in "expected m1 and m2 to have the same dtype" messages.
_CPP_NAMES = {
    _dtype.float16: "c10::Half", _dtype.float32: "float", _dtype.float64: "double",
    _dtype.int8: "signed char", _dtype.uint8: "unsigned char", _dtype.int16: "short int",
    _dtype.int32: "int", _dtype.int64: "long int", _dtype.bool: "bool",
}


def _short(t):
    return _dtype.SHORT_NAMES[t.dtype]


def _need_tensors(fn, **args):
    """PyTorch's TypeError when an argument is not a Tensor (e.g. ``torch.matmul(x, 3)``)."""
    for pos, (name, value) in enumerate(args.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not {type(value).__name__}")


class Matmul(Op):
    """C = A @ B (any of PyTorch's cases).   dA = dC @ B^T,  dB = A^T @ dC."""

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.nd = (a.ndim, b.ndim)
        return ctx.xp.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        nda, ndb = ctx.nd
        if nda >= 2 and ndb >= 2 and not grad_mode.state.enabled:  # plain backward of matrices: on arrays
            xp, g = ctx.xp, grad._data
            return (ctx.tensor(xp.matmul(g, xp.matrix_transpose(b._data))) if b is not None else None,
                    ctx.tensor(xp.matmul(xp.matrix_transpose(a._data), g)) if a is not None else None)
        if nda == 1 and ndb == 1:                     # dot product: grad is a scalar
            return (grad * b if b is not None else None), (grad * a if a is not None else None)
        # Treat vectors as 1-row / 1-column matrices so one rule covers every case.
        g = grad.unsqueeze(-2) if nda == 1 else grad
        g = g.unsqueeze(-1) if ndb == 1 else g
        ga = gb = None
        if b is not None:
            b2 = b.unsqueeze(-1) if ndb == 1 else b
            ga = g.matmul(b2.mT)
            if nda == 1:
                ga = ga.squeeze(-2)
        if a is not None:
            a2 = a.unsqueeze(-2) if nda == 1 else a
            gb = a2.mT.matmul(g)
            if ndb == 1:
                gb = gb.squeeze(-1)
        return ga, gb  # broadcast batch dims are summed away by the engine


def _product(a, b, name):
    out = Matmul.apply(a, b)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    return out


# --- the checks each PyTorch kernel makes (in PyTorch's order: shapes, then dtypes, then support) ----
# They look only at shapes and dtypes, so matmul can check the exact kernel PyTorch would call.

def _check_mm(s1, s2, d1, d2, rows=None):
    """(r x k) @ (k x n); ``rows`` = r (a folded batch counts all its rows)."""
    rows = s1[0] if rows is None else rows
    if s1[-1] != s2[0]:
        _errors.fail("mm_shapes", a0=rows, a1=s1[-1], b0=s2[0], b1=s2[1])
    if d1 is not d2:
        _errors.fail("mm_dtype", a=_CPP_NAMES[d1], b=_CPP_NAMES[d2])
    if d1 is _dtype.bool:
        _errors.fail("not_implemented", op="addmm_impl_cpu_", dtype="Bool")


def _check_mv(mat_shape, vec_len, mat_dtype, vec_dtype, rows=None):
    rows = mat_shape[0] if rows is None else rows
    if mat_shape[-1] != vec_len:
        _errors.fail("mv_sizes", n=rows, m0=rows, m1=mat_shape[-1], v=vec_len)
    if mat_dtype is not vec_dtype:
        _errors.fail("mv_dtype", v=_dtype.SHORT_NAMES[vec_dtype], m=_dtype.SHORT_NAMES[mat_dtype])
    if mat_dtype is _dtype.bool:
        _errors.fail("not_implemented", op="addmv_impl_cpu", dtype="Bool")


def _check_dot(a, b):
    if a.dtype is not b.dtype:
        _errors.fail("dot_dtype", a=_short(a), b=_short(b))
    if a.shape[0] != b.shape[0]:
        _errors.fail("dot_sizes", a=a.shape[0], b=b.shape[0])
    if a.dtype is _dtype.bool:
        _errors.fail("not_implemented", op="dot", dtype="Bool")


def _check_bmm(k_a, k_b, batch, da, db):
    """``batch`` products of (n x k_a) @ (k_b x p)."""
    if k_a != k_b:
        _errors.fail("bmm_sizes", b=batch, k=k_a, b2=batch, k2=k_b)
    if da is not db:
        _errors.fail("bmm_dtype", a=_dtype.SHORT_NAMES[da], b=_dtype.SHORT_NAMES[db])
    if da is _dtype.bool:
        _errors.fail("not_implemented", op="bmm", dtype="Bool")


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _can_fold(shape, strides):
    """Can the batch dims be merged with the rows without a copy (PyTorch's ``should_fold``)?"""
    if _numel(shape) == 0:
        return True
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _matmul_plan(a, b):
    """Check ``a @ b`` the way PyTorch's ``matmul`` does, and return its graph node's name.

    PyTorch sends each shape case to a different kernel (dot, mv, mm, or bmm
    after reshaping), and each kernel has its own error message.  learntorch
    computes every case with one ``Matmul`` op but follows the same choice, so
    errors and ``grad_fn`` names read as in PyTorch (e.g. 1-D @ 2-D is computed
    by PyTorch as (1, k) @ (k, n) followed by a squeeze: ``SqueezeBackward4``).
    """
    na, nb = a.ndim, b.ndim
    sa, sb, da, db = tuple(a.shape), tuple(b.shape), a.dtype, b.dtype
    if na == 0 or nb == 0:
        _errors.fail("matmul_0d", a=na, b=nb)
    if na == 1 and nb == 1:
        _check_dot(a, b)
        return "DotBackward0"
    if na == 2 and nb == 1:
        _check_mv(sa, sb[0], da, db)
        return "MvBackward0"
    if na == 1 and nb == 2:
        _check_mm((1,) + sa, sb, da, db)
        return "SqueezeBackward4"
    if na == 2 and nb == 2:
        _check_mm(sa, sb, da, db)
        return "MmBackward0"
    stra, strb = a.stride(), b.stride()
    # 3-D @ 3-D where one batch size is 1 and that tensor requires grad: PyTorch uses it as a matrix.
    if na == 3 and nb == 3 and sa[0] != sb[0]:
        if sa[0] == 1 and a.requires_grad:
            sa, stra, na = sa[1:], stra[1:], 2
        elif sb[0] == 1 and b.requires_grad:
            sb, strb, nb = sb[1:], strb[1:], 2
    # "Fold" the batch of the larger tensor into matrix rows and use one mm / mv when that is cheap.
    if na >= nb:                                   # a: (..., n, k) -> (rows, k)
        big, big_strides, small, small_grad, transposed = sa, stra, sb, b.requires_grad, False
    else:                                          # b^T: (..., p, k) -> (rows, k), then b^T @ a^T
        big = sb[:-2] + (sb[-1], sb[-2])
        big_strides = strb[:-2] + (strb[-1], strb[-2])
        small = (sa[1], sa[0]) if na == 2 else sa
        small_grad, transposed = a.requires_grad, True
    big_dtype, small_dtype = (da, db) if not transposed else (db, da)
    if len(big) >= 3 and len(small) <= 2:
        fold = small_grad or (na != 2 and _can_fold(big, big_strides))
        if fold:
            rows = _numel(big[:-1])
            if len(small) == 2:
                _check_mm(big, small, big_dtype, small_dtype, rows)
                return "CloneBackward0" if transposed else "UnsafeViewBackward0"
            _check_mv(big, small[0], big_dtype, small_dtype, rows)
            return "UnsafeViewBackward0"
    # The general case: broadcast the batch dims, then one bmm over all of them.
    batch = broadcast_shapes(sa[:-2], sb[:-2])
    _check_bmm(sa[-1], sb[-2] if nb > 1 else sb[0], _numel(batch), da, db)
    return "UnsafeViewBackward0"


def matmul(input, other, *, out=None):
    """Matrix product with PyTorch's rules for 1-D (vectors) and batched (>2-D) inputs."""
    _need_tensors("matmul", input=input, other=other)
    input, other = _amp.cast_inputs(input, other)  # float16 under autocast on cuda
    name = _matmul_plan(input, other)
    return _product(input, other, name)


def mm(input, mat2, *, out=None):
    """Product of two matrices (2-D only: no broadcasting, no vectors)."""
    _need_tensors("mm", input=input, mat2=mat2)
    input, mat2 = _amp.cast_inputs(input, mat2)
    if input.ndim != 2:
        _errors.fail("mm_2d")
    if mat2.ndim != 2:
        _errors.fail("mm_2d_2")
    _check_mm(tuple(input.shape), tuple(mat2.shape), input.dtype, mat2.dtype)
    return _product(input, mat2, "MmBackward0")


def bmm(input, mat2, *, out=None):
    """Batch of matrix products: (b, n, k) @ (b, k, p) -> (b, n, p).  No broadcasting."""
    _need_tensors("bmm", input=input, mat2=mat2)
    input, mat2 = _amp.cast_inputs(input, mat2)
    if input.ndim != 3:
        _errors.fail("bmm_3d")
    if mat2.ndim != 3:
        _errors.fail("bmm_3d_2")
    if mat2.shape[0] != input.shape[0] or mat2.shape[1] != input.shape[2]:
        _errors.fail("bmm_sizes", b=input.shape[0], k=input.shape[2], b2=mat2.shape[0], k2=mat2.shape[1])
    _check_bmm(input.shape[2], mat2.shape[1], input.shape[0], input.dtype, mat2.dtype)
    return _product(input, mat2, "BmmBackward0")


def mv(input, vec, *, out=None):
    """Matrix times vector: (n, k) @ (k,) -> (n,)."""
    _need_tensors("mv", input=input, vec=vec)
    input, vec = _amp.cast_inputs(input, vec)
    if input.ndim != 2 or vec.ndim != 1:
        _errors.fail("mv_dims", m=input.ndim, v=vec.ndim)
    _check_mv(tuple(input.shape), vec.shape[0], input.dtype, vec.dtype)
    return _product(input, vec, "MvBackward0")


def dot(input, tensor, *, out=None):
    """Dot product (点积) of two 1-D tensors: sum of a_i * b_i."""
    _need_tensors("dot", input=input, tensor=tensor)
    if input.ndim != 1 or tensor.ndim != 1:
        _errors.fail("dot_1d", a=input.ndim, b=tensor.ndim)
    _check_dot(input, tensor)
    return _product(input, tensor, "DotBackward0")


def outer(input, vec2, *, out=None):
    """Outer product (外积): out[i, j] = a[i] * b[j].  Computed as a column times a row (broadcasting)."""
    _need_tensors("outer", input=input, vec2=vec2)
    if input.ndim != 1:
        _errors.fail("outer_1d", name="self", n=input.ndim)
    if vec2.ndim != 1:
        _errors.fail("outer_1d", name="vec2", n=vec2.ndim)
    return input.reshape(-1, 1) * vec2


ger = outer


class Addmm(Op):
    """y = beta * bias + alpha * (A @ B): the fused product nn.Linear uses.
    dbias = beta * dy,  dA = alpha * dy @ B^T,  dB = alpha * A^T @ dy."""

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        _, need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.beta, ctx.alpha = beta, alpha
        ctx.b_columnmajor = need_b and ctx.backend.is_columnmajor(b)  # nn.Linear's weight.t()
        y = ctx.xp.matmul(a, b)
        if alpha != 1:
            y *= alpha
        if beta != 0:                               # beta 0: bias ignored (even nan/inf in it), as in PyTorch
            y += bias if beta == 1 else bias * beta     # (in place: y is a new array, with the result's shape)
        return y

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        if not grad_mode.state.enabled:
            # Plain backward (no create_graph): the same three products on arrays, recording no
            # graph.  nn.Linear's hot path: it saves a dozen small operations per layer.
            xp, g = ctx.xp, grad._data
            gbias = grad if ctx.beta == 1 else ctx.tensor(g * ctx.beta)
            if ctx.needs_input_grad[0] and ctx._meta[0][0] == g.shape[1:]:   # a bias (C,): summed over the batch here
                gbias = ctx.tensor(xp.sum(gbias._data, axis=0))
            g = g if ctx.alpha == 1 else g * ctx.alpha
            ga = ctx.tensor(g @ b._data.mT) if b is not None else None     # (.mT: the transpose, a view)
            gb = None
            if a is not None:
                if ctx.b_columnmajor:
                    # b is nn.Linear's weight.t(): compute (g^T a)^T so that the weight's own
                    # gradient comes out row-major, like the weight (no copy needed later)
                    gb = ctx.tensor((g.mT @ a._data).mT)
                else:
                    gb = ctx.tensor(a._data.mT @ g)
            return gbias, ga, gb
        gbias = grad if ctx.beta == 1 else grad * ctx.beta
        g = grad if ctx.alpha == 1 else grad * ctx.alpha
        ga = g.mm(b.t()) if b is not None else None
        gb = a.t().mm(g) if a is not None else None
        return gbias, ga, gb


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat1 @ mat2), with ``input`` broadcast to the product's shape."""
    _need_tensors("addmm", input=input, mat1=mat1, mat2=mat2)
    input, mat1, mat2 = _amp.cast_inputs(input, mat1, mat2)
    if input.dtype is not mat2.dtype:
        _errors.fail("addmm_dtype", name="self", a=_short(input), b=_short(mat2))
    if mat1.dtype is not mat2.dtype:
        _errors.fail("addmm_dtype", name="mat1", a=_short(mat1), b=_short(mat2))
    if mat1.ndim != 2:
        _errors.fail("addmm_2d", name="mat1", n=mat1.ndim)
    if mat2.ndim != 2:
        _errors.fail("addmm_2d", name="mat2", n=mat2.ndim)
    _check_mm(tuple(mat1.shape), tuple(mat2.shape), mat1.dtype, mat2.dtype)
    _check_expand(input, (mat1.shape[0], mat2.shape[1]))
    if not input.dtype.is_floating_point:           # integer tensors take integer factors
        beta, alpha = int(beta), int(alpha)
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def _check_expand(t, target):
    """Can ``t`` be broadcast to ``target``?  PyTorch's ``expand`` errors if not."""
    shape = tuple(t.shape)
    if len(shape) > len(target):
        _errors.fail("expand_ndim", type="torch." + _dtype.TYPE_NAMES[t.dtype], sizes=_errors.shape_str(shape),
                     target=_errors.shape_str(target), n=len(target), ndim=len(shape))
    offset = len(target) - len(shape)
    for i, size in enumerate(shape):
        if size != 1 and size != target[offset + i]:
            _errors.fail("expand", new=target[offset + i], old=size, dim=offset + i,
                         target=_errors.shape_str(target), sizes=_errors.shape_str(shape))


DUNDERS = {"__matmul__": lambda self, other: matmul(self, other) if isinstance(other, Tensor) else NotImplemented,
           "__rmatmul__": lambda self, other: matmul(other, self) if isinstance(other, Tensor) else NotImplemented}


# --- triangular parts (三角矩阵) and diagonals (对角线) ---------------------------------------------

def _need_matrix(fn, t):
    if t.ndim < 2:
        _errors.fail("tri_dims", fn=fn)


def _band_mask(ctx, n, m, k, lower):
    """(n, m) mask of the entries with column - row <= k (``lower``) or >= k."""
    xp, device = ctx.xp, ctx.backend.device
    diff = xp.reshape(xp.arange(m, device=device), (1, m)) - xp.reshape(xp.arange(n, device=device), (n, 1))
    return diff <= k if lower else diff >= k


class Tril(Op):
    """y = x with the entries above diagonal k (column - row > k) set to 0.   dx = tril(dy, k)."""
    lower = True

    @staticmethod
    def forward(ctx, x, diagonal=0):
        ctx.diagonal = diagonal
        xp = ctx.xp
        mask = _band_mask(ctx, x.shape[-2], x.shape[-1], diagonal, ctx.fn.lower)
        return xp.where(mask, x, xp.zeros((), dtype=x.dtype, device=ctx.backend.device))

    @staticmethod
    def backward(ctx, grad):
        return (tril if ctx.fn.lower else triu)(grad, ctx.diagonal)


class Triu(Tril):
    """y = x with the entries below diagonal k (column - row < k) set to 0.   dx = triu(dy, k)."""
    lower = False


def tril(input, diagonal=0, *, out=None):
    """The lower triangle (下三角) of the last two dims: entries with column - row <= ``diagonal``."""
    _need_tensors("tril", input=input)
    _need_matrix("tril", input)
    return Tril.apply(input, diagonal=int(diagonal))


def triu(input, diagonal=0, *, out=None):
    """The upper triangle (上三角) of the last two dims: entries with column - row >= ``diagonal``."""
    _need_tensors("triu", input=input)
    _need_matrix("triu", input)
    return Triu.apply(input, diagonal=int(diagonal))


tril_ = inplace(tril, "tril_")
triu_ = inplace(triu, "triu_")


def _last_two(ndim, dim1, dim2):
    """The dims order that moves ``dim1`` and ``dim2`` to the end (the others keep their order)."""
    return tuple(i for i in range(ndim) if i != dim1 and i != dim2) + (dim1, dim2)


class Diagonal(Op):
    """y[..., i] = x[..., i, i + offset] in the (dim1, dim2) planes (a view: one step along the diagonal
    is one step along each dim, so its stride is the sum of theirs).   dx = zeros with dy put back on it."""
    is_view = True

    @staticmethod
    def forward(ctx, x, offset=0, dim1=0, dim2=1):
        n1, n2 = x.shape[dim1], x.shape[dim2]
        ctx.args = dict(offset=offset, dim1=dim1, dim2=dim2, sizes=(n1, n2))
        st = ctx.backend.strides(x)
        length = max(0, min(n1 + min(offset, 0), n2 - max(offset, 0)))
        start = 0 if length == 0 else offset * st[dim2] if offset >= 0 else -offset * st[dim1]
        others = [d for d in range(x.ndim) if d != dim1 and d != dim2]
        return ctx.backend.as_strided(x, tuple(x.shape[d] for d in others) + (length,),
                                      tuple(st[d] for d in others) + (st[dim1] + st[dim2],), start)

    @staticmethod
    def backward(ctx, grad):
        return DiagEmbed.apply(grad, **ctx.args)


class DiagonalCopy(Diagonal):
    """``torch.diag`` of a matrix: its diagonal as a new tensor (a copy, not a view).   dx as ``Diagonal``."""
    is_view = False
    grad_fn_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, x, offset=0, dim1=0, dim2=1):
        return ctx.xp.asarray(Diagonal.forward(ctx, x, offset, dim1, dim2), copy=True)


class DiagEmbed(Op):
    """y = zeros of size ``sizes`` in the (dim1, dim2) planes with x's last dim on diagonal ``offset``.
    dx = the diagonal of dy."""

    @staticmethod
    def forward(ctx, x, offset=0, dim1=0, dim2=1, sizes=(0, 0)):
        xp, device = ctx.xp, ctx.backend.device
        ctx.args = dict(offset=offset, dim1=dim1, dim2=dim2)
        n1, n2 = sizes
        # entry (r, c) of the diagonal holds x[..., r] (offset >= 0) or x[..., c] (offset < 0):
        # pad x's last dim to n1 (or n2) and lay it along the rows (or columns)
        along_rows = offset >= 0
        length = n1 if along_rows else n2
        pad = xp.zeros(x.shape[:-1] + (length - x.shape[-1],), dtype=x.dtype, device=device)
        line = xp.concat([x, pad], axis=-1)
        line = xp.reshape(line, x.shape[:-1] + ((length, 1) if along_rows else (1, length)))
        cols = xp.reshape(xp.arange(n2, device=device), (1, n2))
        mask = cols - xp.reshape(xp.arange(n1, device=device), (n1, 1)) == offset
        y = xp.where(mask, line, xp.zeros((), dtype=x.dtype, device=device))
        order = _last_two(y.ndim, dim1, dim2)
        inverse = [0] * y.ndim
        for i, d in enumerate(order):
            inverse[d] = i
        return xp.permute_dims(y, tuple(inverse))

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, **ctx.args)


def _diag_dims(t, ndim, dim1, dim2):
    d1, d2 = _errors.check_dim(dim1, ndim), _errors.check_dim(dim2, ndim)
    if d1 == d2:
        _errors.fail("diagonal_same", a=dim1, b=dim2)
    return d1, d2


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal ``offset`` of the (dim1, dim2) planes, as the last dim of the result.

    A view, as in PyTorch: ``x.diagonal().fill_(0)`` zeroes the diagonal of ``x``."""
    from .shape import view_op
    _need_tensors("diagonal", input=input)
    d1, d2 = _diag_dims(input, input.ndim, dim1, dim2)
    return view_op(Diagonal, input, offset=int(offset), dim1=d1, dim2=d2)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """A tensor whose (dim1, dim2) planes are diagonal matrices holding ``input``'s last dim."""
    _need_tensors("diag_embed", input=input)
    offset = int(offset)
    d1, d2 = _diag_dims(input, input.ndim + 1, dim1, dim2)
    n = input.shape[-1] + abs(offset)
    return DiagEmbed.apply(input, offset=offset, dim1=d1, dim2=d2, sizes=(n, n))


def diag(input, diagonal=0, *, out=None):
    """1-D: the square matrix with ``input`` on diagonal ``diagonal``.  2-D: that diagonal, as a vector."""
    _need_tensors("diag", input=input)
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim != 2:
        _errors.fail("diag_dims", n=input.ndim)
    return DiagonalCopy.apply(input, offset=int(diagonal), dim1=0, dim2=1)


class Trace(Op):
    """y = sum_i x[i, i].   dx = dy on the diagonal, 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, dtype=None):
        ctx.shape = x.shape
        return ctx.xp.sum(ctx.xp.linalg.diagonal(x), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        n, m = ctx.shape
        return DiagEmbed.apply(grad.expand(min(n, m)), offset=0, dim1=0, dim2=1, sizes=(n, m))


def trace(input):
    """Sum of the main diagonal of a matrix (integer matrices give int64, as ``sum``)."""
    _need_tensors("trace", input=input)
    if input.ndim != 2:
        _errors.fail("trace_dims", n=input.ndim)
    if input.dtype is _dtype.bool:
        _errors.fail("not_implemented", op="trace", dtype="Bool")
    b = input._backend
    dtype = None if input.dtype.is_floating_point else b.dtypes[_dtype.int64]
    return Trace.apply(input, dtype=dtype)


# --- einsum (爱因斯坦求和约定) ------------------------------------------------------------------------
# einsum("ij,jk->ik", a, b) names each dim of each operand with a letter: letters shared by two
# operands are multiplied together, letters missing from the output are summed.  It is computed
# as PyTorch does, out of ordinary differentiable ops (so autograd comes for free):
#   1. every operand is lined up on one common list of dims ("the layout": the output's letters,
#      then the summed ones), with size-1 dims for letters it lacks (a repeated letter, as in
#      "ii->i", first takes the diagonal);
#   2. operands are combined two at a time: a broadcast product, or, when some letters are
#      summed, one batched matrix product (bmm);
#   3. what is left of the summed letters is removed.

_ELLIPSIS = -1
_N_LETTERS = 52          # 'A'..'Z' are subscripts 0..25, 'a'..'z' 26..51; "..." dims come after


def _subscript(ch):
    return ord(ch) - 65 if "A" <= ch <= "Z" else ord(ch) - 97 + 26 if "a" <= ch <= "z" else None


def _letter(label):
    return chr(65 + label) if label < 26 else chr(97 + label - 26)


def _parse_inputs(lhs, n_ops):
    """The subscripts of each operand (``_ELLIPSIS`` for "..."), with PyTorch's checks."""
    labels, found_ell, i = [[]], False, 0
    while i < len(lhs):
        ch = lhs[i]
        if ch == ".":
            if found_ell:
                _errors.fail("einsum_ell_twice", op=len(labels) - 1)
            if not (i + 2 < len(lhs) and lhs[i + 1] == "." and lhs[i + 2] == "."):
                _errors.fail("einsum_dot", op=len(labels) - 1)
            labels[-1].append(_ELLIPSIS)
            found_ell, i = True, i + 2
        elif ch == ",":
            if len(labels) >= n_ops:
                _errors.fail("einsum_fewer")
            labels.append([])
            found_ell = False
        elif ch != " ":
            if _subscript(ch) is None:
                _errors.fail("einsum_subscript", i=i)
            labels[-1].append(_subscript(ch))
        i += 1
    if len(labels) != n_ops:
        _errors.fail("einsum_more")
    return labels


def _parse_output(rhs, offset, counts, n_ell):
    """The output's dims (subscripts; "..." dims are ``_N_LETTERS + j``)."""
    out, found_ell, i = [], False, 0
    while i < len(rhs):
        ch = rhs[i]
        if ch == ".":
            if found_ell:
                _errors.fail("einsum_out_ell_twice")
            if not (i + 2 < len(rhs) and rhs[i + 1] == "." and rhs[i + 2] == "."):
                _errors.fail("einsum_out_dot")
            out += [_N_LETTERS + j for j in range(n_ell)]
            found_ell, i = True, i + 2
        elif ch != " ":
            label = _subscript(ch)
            if label is None:
                _errors.fail("einsum_subscript", i=offset + i)
            if label in out:
                _errors.fail("einsum_out_twice", label=ch)
            if not counts.get(label):
                _errors.fail("einsum_out_missing", label=ch)
            out.append(label)
        i += 1
    return out


def _sumproduct_pair(a, b, sum_dims):
    """sum over ``sum_dims`` of a * b (a and b share one layout; summed dims are kept as size 1)."""
    if not sum_dims:
        return a * b
    nd, sa, sb = a.ndim, a.shape, b.shape
    rest = [d for d in range(nd) if d not in sum_dims]
    batch = [d for d in rest if sa[d] != 1 and sb[d] != 1]
    lo = [d for d in rest if sa[d] != 1 and sb[d] == 1]          # only in a: rows of the product
    ro = [d for d in rest if sa[d] == 1 and sb[d] != 1]          # only in b: its columns
    ones = [d for d in rest if sa[d] == 1 and sb[d] == 1]
    nb, nl, nk, nr = (_numel([s[d] for d in dims]) for s, dims in ((sa, batch), (sa, lo), (sa, sum_dims), (sb, ro)))
    _check_bmm(nk, nk, nb, a.dtype, b.dtype)
    a = a.permute(batch + lo + sum_dims + ro + ones).reshape(nb, nl, nk)
    b = b.permute(batch + sum_dims + ro + lo + ones).reshape(nb, nk, nr)
    c = _product(a, b, "BmmBackward0")
    order = batch + lo + ro + sum_dims + ones
    c = c.reshape([sa[d] for d in batch + lo] + [sb[d] for d in ro] + [1] * (len(sum_dims) + len(ones)))
    inverse = [0] * nd
    for i, d in enumerate(order):
        inverse[d] = i
    return c.permute(inverse)


def _sublist_equation(args):
    """einsum(op1, [0, 1], op2, [1, 2], [0, 2]): the equation "ab,bc->ac" and the operands."""
    def letters(sub):
        s = ""
        for v in sub:
            if v is Ellipsis:
                s += "..."
            elif isinstance(v, int) and 0 <= v < _N_LETTERS:
                s += _letter(v)
            else:
                _errors.fail("einsum_sublist")
        return s
    pairs = args[:len(args) - len(args) % 2]
    eq = ",".join(letters(s) for s in pairs[1::2])
    if len(args) % 2:                   # an odd count: the last list is the output's
        eq += "->" + letters(args[-1])
    return eq, pairs[0::2]


def einsum(*args):
    """Einstein summation (爱因斯坦求和): ``einsum("ij,jk->ik", a, b)`` is ``a @ b``.

    Also ``einsum(eq, [a, b])`` and PyTorch's sublist form ``einsum(a, [0, 1], b, [1, 2])``."""
    if len(args) < 2:
        _errors.fail("einsum_no_operands")
    if isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], args[1:]
        if not isinstance(equation, str):
            _errors.fail("einsum_equation", type=type(equation).__name__)
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            _errors.fail("einsum_operand", i=i, type=type(op).__name__)
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    op_labels = _parse_inputs(lhs, len(operands))

    # how many dims "..." covers (the most of any operand), how often each letter appears
    counts, n_ell = {}, 0
    for i, (x, labels) in enumerate(zip(operands, op_labels)):
        n = len([l for l in labels if l != _ELLIPSIS])
        if _ELLIPSIS in labels:
            if n > x.ndim:
                _errors.fail("einsum_ndim_ell", n=n, ndim=x.ndim, i=i)
            n_ell = max(n_ell, x.ndim - n)
        elif n != x.ndim:
            _errors.fail("einsum_ndim", n=n, ndim=x.ndim, i=i)
        for l in labels:
            if l != _ELLIPSIS:
                counts[l] = counts.get(l, 0) + 1
    if arrow < 0:   # implicit output: "..." then the letters used once, in PyTorch's order (A-Z, a-z)
        out = [_N_LETTERS + j for j in range(n_ell)] + sorted(l for l, c in counts.items() if c == 1)
    else:
        out = _parse_output(equation[arrow + 2:], arrow + 2, counts, n_ell)
    ell_dims = [_N_LETTERS + j for j in range(n_ell)]
    layout = out + [d for d in ell_dims if d not in out] + sorted(l for l in counts if l not in out)
    position = {label: p for p, label in enumerate(layout)}

    # 1. line every operand up on the layout
    sizes, dim_counts, aligned = {}, [0] * len(layout), []
    for i, (x, labels) in enumerate(zip(operands, op_labels)):
        dims = []
        for l in labels:
            if l == _ELLIPSIS:
                k = x.ndim - (len(labels) - 1)
                dims += ell_dims[n_ell - k:]
            else:
                dims.append(l)
        where, pos = {}, 0                      # where[label]: its dim in x
        for l in dims:
            if l in where:                      # repeated letter: keep only the diagonal
                prev = where[l]
                if x.shape[pos] != x.shape[prev]:
                    _errors.fail("einsum_repeated", label=_letter(l), i=i, a=x.shape[pos], b=x.shape[prev])
                x = x.diagonal(0, prev, pos).movedim(-1, prev)
                continue
            size = x.shape[pos]
            if size != 1:
                if sizes.get(l, 1) not in (1, size):
                    if l >= _N_LETTERS:
                        _errors.fail("einsum_ell_size", dim=pos, i=i, size=size, seen=sizes[l])
                    _errors.fail("einsum_size", label=_letter(l), size=size, i=i, seen=sizes[l])
                sizes[l] = size
                dim_counts[position[l]] += 1
            where[l] = pos
            pos += 1
        perm = [-1] * len(layout)
        for l, d in where.items():
            perm[position[l]] = d
        for p in range(len(layout)):
            if perm[p] == -1:                   # a letter this operand lacks: a size-1 dim
                x = x.unsqueeze(pos)
                perm[p], pos = pos, pos + 1
        aligned.append(x.permute(perm))

    # 2. combine the operands two at a time, summing a letter as soon as no later operand has it
    n_out = len(out)
    while len(aligned) > 1:
        a, b = aligned.pop(0), aligned.pop(0)
        sum_dims, a_sum, b_sum = [], [], []
        for d in range(n_out, len(layout)):
            if a.shape[d] != 1 and b.shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:            # only one of the two has it: sum it there first
                if a.shape[d] != 1:
                    a_sum.append(d)
                    dim_counts[d] = 0
                elif b.shape[d] != 1:
                    b_sum.append(d)
                    dim_counts[d] = 0
        if a_sum:
            a = a.sum(a_sum, keepdim=True)
        if b_sum:
            b = b.sum(b_sum, keepdim=True)
        aligned.insert(0, _sumproduct_pair(a, b, sum_dims))

    # 3. drop the summed letters (already size 1 after products; summed here for one operand)
    result = aligned[0]
    if len(layout) > n_out:
        if len(operands) > 1:
            result = result.reshape(result.shape[:n_out])
        else:
            result = result.sum(list(range(n_out, len(layout))))
    return result


# --- tensordot, kron, cross (张量缩并, 克罗内克积, 叉积) -------------------------------------------------

def tensordot(a, b, dims=2, out=None):
    """Sum of products over ``dims`` pairs of dims: ``dims=k`` pairs a's last k with b's first k;
    ``dims=([1, 2], [0, 1])`` names them.  Computed as one matrix product of reshaped inputs."""
    _need_tensors("tensordot", a=a, b=b)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, bool) or not isinstance(dims, (int, tuple, list)):
        _errors.fail("tensordot_dims_type", dims=dims)
    if isinstance(dims, int):
        if dims < 0:
            _errors.fail("tensordot_negative", dims=dims)
        if dims > min(a.ndim, b.ndim):
            _errors.fail("tensordot_too_many", dims=dims)
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        dims_a, dims_b = dims
        for pos, (name, d) in enumerate((("dims_self", dims_a), ("dims_other", dims_b)), 3):
            if not isinstance(d, (list, tuple)):
                _errors.fail("tensordot_list", name=name, pos=pos, type=type(d).__name__)
    if len(dims_a) != len(dims_b):
        _errors.fail("tensordot_lengths")
    if a.dtype is not b.dtype:
        _errors.fail("tensordot_dtype")
    for da, db in zip(dims_a, dims_b):   # a size-1 dim against any size: sum it away first
        sa, sb = a.shape[_errors.check_dim(da, a.ndim)], b.shape[_errors.check_dim(db, b.ndim)]
        if sb == 1:
            a = a.sum(da, keepdim=True)
        elif sa == 1:
            b = b.sum(db, keepdim=True)
        elif sa != sb:
            _errors.fail("tensordot_sizes", sa=sa, da=da, sb=sb, db=db)
    ca = [_errors.check_dim(d, a.ndim) for d in dims_a]
    cb = [_errors.check_dim(d, b.ndim) for d in dims_b]
    keep_a = [d for d in range(a.ndim) if d not in ca]
    keep_b = [d for d in range(b.ndim) if d not in cb]
    k = _numel([a.shape[d] for d in ca])
    m = a.permute(keep_a + ca).reshape(_numel([a.shape[d] for d in keep_a]), k)
    n = b.permute(cb + keep_b).reshape(k, _numel([b.shape[d] for d in keep_b]))
    return _product(m, n, "MmBackward0").reshape([a.shape[d] for d in keep_a] + [b.shape[d] for d in keep_b])


def kron(input, other, *, out=None):
    """Kronecker product (克罗内克积): every entry of ``input`` times the whole of ``other``, in blocks.
    Computed as a broadcast product of interleaved dims, then one reshape."""
    _need_tensors("kron", input=input, other=other)
    from .shape import UnsafeView
    nd = max(input.ndim, other.ndim, 1)
    sa = (1,) * (nd - input.ndim) + tuple(input.shape)
    sb = (1,) * (nd - other.ndim) + tuple(other.shape)
    a = input.reshape([s for d in sa for s in (d, 1)])        # (a0, 1, a1, 1, ...)
    b = other.reshape([s for d in sb for s in (1, d)])        # (1, b0, 1, b1, ...)
    return UnsafeView.apply(a * b, shape=tuple(x * y for x, y in zip(sa, sb)))


class LinalgCross(Op):
    """z = x × y along ``axis`` (3-vectors).   dx = y × dz,  dy = dz × x."""

    @staticmethod
    def forward(ctx, x, y, axis=-1):
        need_x, need_y = ctx.needs_input_grad
        ctx.save_for_backward(x if need_y else None, y if need_x else None)
        ctx.axis = axis
        return ctx.xp.linalg.cross(x, y, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return (LinalgCross.apply(y, grad, axis=ctx.axis) if y is not None else None,
                LinalgCross.apply(grad, x, axis=ctx.axis) if x is not None else None)


def linalg_cross(input, other, *, dim=-1, out=None):
    """``torch.linalg.cross``: cross product (叉积) of 3-vectors along ``dim``, batch dims broadcast."""
    _need_tensors("linalg_cross", input=input, other=other)
    if input.ndim != other.ndim:
        _errors.fail("cross_ndim")
    d = _errors.check_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        _errors.fail("cross_length", dim=dim, a=input.shape[d], b=other.shape[d])
    shape = broadcast_shapes(tuple(input.shape), tuple(other.shape))
    if input.dtype is not other.dtype:
        _errors.fail("bmm_dtype", a=_short(input), b=_short(other))
    return LinalgCross.apply(input, other, axis=d - len(shape))


_cross_warned = False


def cross(input, other, dim=None, *, out=None):
    """Cross product of 3-vectors along ``dim`` (default: the first dim of size 3, with PyTorch's
    deprecation warning; ``linalg.cross`` defaults to the last dim)."""
    _need_tensors("cross", input=input, other=other)
    if dim is None:
        global _cross_warned
        if not _cross_warned:        # PyTorch warns once per process
            _cross_warned = True
            warnings.warn(_errors.msg("cross_no_dim"), UserWarning, stacklevel=2)
        dim = next((i for i, s in enumerate(input.shape) if s == 3), None)
        if dim is None:
            _errors.fail("cross_no_size3")
    return linalg_cross(input, other, dim=dim)


# --- determinant (行列式) and inverse (逆矩阵) ----------------------------------------------------------

def _square_float(fn, a):
    """PyTorch's checks for linalg functions of (batches of) square float matrices."""
    name = fn.replace("linalg_", "linalg.")
    if a.ndim < 2:
        _errors.fail("linalg_dims", fn=name)
    if a.shape[-1] != a.shape[-2]:
        _errors.fail("linalg_square", fn=name, n=a.shape[-2], m=a.shape[-1])
    if not a.dtype.is_floating_point:
        _errors.fail("linalg_float", fn=name, dtype=_short(a))


def _zero_pivot(m):
    """The first (1-based) zero pivot LAPACK's LU with partial pivoting meets in the NumPy matrix ``m``."""
    import numpy as np
    u = np.array(m, dtype=np.float64)
    n = u.shape[0]
    first = 0
    for j in range(n):
        p = j + int(np.argmax(np.abs(u[j:, j])))
        if u[p, j] == 0:
            first = first or j + 1
            continue
        u[[j, p]] = u[[p, j]]
        u[j + 1:, j:] -= np.outer(u[j + 1:, j] / u[j, j], u[j, j:])
    return first or n


class LinalgInvEx(Op):
    """Y = A^-1.   dA = -Y^T dY Y^T."""

    @staticmethod
    def forward(ctx, a):
        try:
            y = ctx.xp.linalg.inv(a)
        except Exception:  # a singular matrix: PyTorch's error names the first zero pivot
            import numpy as np
            host = ctx.backend.to_numpy(a)
            mats = host.reshape((-1,) + host.shape[-2:])
            for k, m in enumerate(mats):
                if np.linalg.matrix_rank(m) < m.shape[0] or not np.all(np.isfinite(m)):
                    prefix = f"(Batch element {k}): " if host.ndim > 2 else ""
                    _errors.fail("inv_singular", batch=prefix, i=_zero_pivot(m))
            raise
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        yt = y.mT
        return -(yt.matmul(grad).matmul(yt))


def linalg_inv(A, *, out=None):
    """``torch.linalg.inv``: the inverse (逆矩阵) of a square matrix (or a batch of them)."""
    _need_tensors("linalg_inv", A=A)
    _square_float("linalg_inv", A)
    return LinalgInvEx.apply(A)


def inverse(input, *, out=None):
    """The inverse of a square matrix: ``inverse(A) @ A`` is the identity.  Same as ``linalg.inv``."""
    _need_tensors("inverse", input=input)
    _square_float("linalg_inv", input)
    return LinalgInvEx.apply(input)


class LinalgDet(Op):
    """d = det(A).   dA = dd * d * A^-T (zero where A is exactly singular, as PyTorch gives)."""

    @staticmethod
    def forward(ctx, a):
        d = ctx.xp.linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, grad):
        from .elementwise import where
        from .._creation import eye
        a, d = ctx.saved_tensors
        n = a.shape[-1]
        singular = (d == 0).unsqueeze(-1).unsqueeze(-1)
        safe = where(singular, eye(n, dtype=a.dtype, device=a.device), a)   # inverted only where d != 0
        return (grad * d).unsqueeze(-1).unsqueeze(-1) * linalg_inv(safe).mT


def linalg_det(A, *, out=None):
    """``torch.linalg.det``: the determinant (行列式) of a square matrix (or a batch of them)."""
    _need_tensors("linalg_det", A=A)
    _square_float("linalg_det", A)
    return LinalgDet.apply(A)


def det(input):
    """The determinant of a square matrix: the factor by which it scales volumes."""
    _need_tensors("det", input=input)
    _square_float("linalg_det", input)
    return LinalgDet.apply(input)


# --- matrix exponential (矩阵指数): matrix_exp --------------------------------------------------------

class LinalgMatrixExp(Op):
    """Y = e^A = I + A + A^2/2! + ...   dA = upper-right block of exp([[A^T, dY], [0, A^T]])."""

    @staticmethod
    def forward(ctx, a):
        xp = ctx.xp
        n = a.shape[-1]
        ctx.save_for_backward(a)
        if math.prod(a.shape) == 0:
            return xp.asarray(a, copy=True)
        # scaling and squaring: e^A = (e^(A / 2^s))^(2^s) with ||A / 2^s||_1 <= 1/2, then Taylor to degree 18
        norm = float(xp.max(xp.sum(xp.abs(a), axis=-2)))
        s = min(64, max(0, math.ceil(math.log2(norm / 0.5)))) if math.isfinite(norm) and norm > 0.5 else 0
        b = a / (2.0 ** s)
        eye = xp.eye(n, dtype=a.dtype, device=ctx.backend.device)
        y = eye + b
        term = b
        for k in range(2, 19):
            term = xp.matmul(term, b) / k
            y = y + term
        for _ in range(s):
            y = xp.matmul(y, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        from .shape import cat
        a, = ctx.saved_tensors
        at = a.mT
        n = at.shape[-1]
        big = cat([cat([at, grad], -1), cat([at.new_zeros(at.shape), at], -1)], -2)
        return linalg_matrix_exp(big)[..., :n, n:]


def linalg_matrix_exp(A):
    """``torch.linalg.matrix_exp``: the matrix exponential e^A = sum A^k / k! (of a batch of square matrices)."""
    _need_tensors("linalg_matrix_exp", A=A)
    _square_float("linalg_matrix_exp", A)
    return LinalgMatrixExp.apply(A)


def matrix_exp(input):
    """The matrix exponential e^A (same as ``torch.linalg.matrix_exp``)."""
    return linalg_matrix_exp(input)


# --- more products (更多矩阵乘积): addmv, baddbmm, addbmm, multi_dot, matrix_power -------------------

class Addmv(Op):
    """y = beta * input + alpha * (A @ v).   dinput = beta dy,  dA = alpha dy v^T,  dv = alpha A^T dy."""

    @staticmethod
    def forward(ctx, bias, a, v, beta=1, alpha=1):
        _, need_a, need_v = ctx.needs_input_grad
        ctx.save_for_backward(a if need_v else None, v if need_a else None)
        ctx.beta, ctx.alpha = beta, alpha
        y = ctx.xp.matmul(a, v)
        y = y * alpha if alpha != 1 else y
        return y + bias * beta if beta != 0 else y      # beta 0: input ignored (even nan in it), as in PyTorch

    @staticmethod
    def backward(ctx, grad):
        a, v = ctx.saved_tensors
        g = grad * ctx.alpha
        return (grad * ctx.beta, outer(g, v) if v is not None else None,
                a.mT.matmul(g) if a is not None else None)


class Baddbmm(Op):
    """Y = beta * input + alpha * (B1 @ B2) (a batch of products).
    dinput = beta dY,  dB1 = alpha dY @ B2^T,  dB2 = alpha B1^T @ dY."""

    @staticmethod
    def forward(ctx, bias, b1, b2, beta=1, alpha=1):
        _, need1, need2 = ctx.needs_input_grad
        ctx.save_for_backward(b1 if need2 else None, b2 if need1 else None)
        ctx.beta, ctx.alpha = beta, alpha
        y = ctx.fn.product(ctx.xp, b1, b2)
        y = y * alpha if alpha != 1 else y
        return y + bias * beta if beta != 0 else y

    product = staticmethod(lambda xp, b1, b2: xp.matmul(b1, b2))

    @staticmethod
    def backward(ctx, grad):
        b1, b2 = ctx.saved_tensors
        g = grad * ctx.alpha          # addbmm: dY (n, p) broadcasts against every matrix of the batch
        return (grad * ctx.beta, g.matmul(b2.mT) if b2 is not None else None,
                b1.mT.matmul(g) if b1 is not None else None)


class Addbmm(Baddbmm):
    """Y = beta * input + alpha * sum_i B1[i] @ B2[i].   dB1[i] = alpha dY @ B2[i]^T,  dB2[i] = alpha B1[i]^T @ dY."""
    product = staticmethod(lambda xp, b1, b2: xp.sum(xp.matmul(b1, b2), axis=0))


def _int_factors(input, beta, alpha):
    """Integer tensors take integer factors (truncated, as a C cast)."""
    return (beta, alpha) if input.dtype.is_floating_point else (int(beta), int(alpha))


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat @ vec), ``input`` broadcast to the product's length."""
    _need_tensors("addmv", input=input, mat=mat, vec=vec)
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        _errors.fail("addmv_dims", a=input.ndim, m=mat.ndim, v=vec.ndim)
    if (input.ndim == 1 and input.shape[0] not in (1, mat.shape[0])) or mat.shape[1] != vec.shape[0]:
        _errors.fail("mv_sizes", n=input.shape[0] if input.ndim else 1, m0=mat.shape[0], m1=mat.shape[1],
                     v=vec.shape[0])
    if not input.dtype is mat.dtype is vec.dtype:
        _errors.fail("addmv_dtype", a=_short(input), b=_short(mat), c=_short(vec))
    return Addmv.apply(input, mat, vec, **dict(zip(("beta", "alpha"), _int_factors(input, beta, alpha))))


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (batch1 @ batch2): a batch of products (b, n, k) @ (b, k, p) -> (b, n, p)."""
    _need_tensors("baddbmm", input=input, batch1=batch1, batch2=batch2)
    _errors.check_dim(2, batch1.ndim)
    _errors.check_dim(2, batch2.ndim)
    b, n, k = batch1.shape
    if tuple(batch2.shape[:2]) != (b, k):
        _errors.fail("bmm_sizes", b=b, k=k, b2=batch2.shape[0], k2=batch2.shape[1])
    if input.dtype is not batch1.dtype or input.dtype is not batch2.dtype:
        if batch1.dtype is batch2.dtype:
            _errors.fail("baddbmm_dtype", a=_CPP_NAMES[input.dtype], b=_CPP_NAMES[batch1.dtype],
                         c=_CPP_NAMES[batch2.dtype])
        _errors.fail("bmm_dtype", a=_short(batch1), b=_short(batch2))
    _check_expand(input, (b, n, batch2.shape[2]))
    return Baddbmm.apply(input, batch1, batch2, **dict(zip(("beta", "alpha"), _int_factors(input, beta, alpha))))


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (sum of the batch of products batch1[i] @ batch2[i]) -> (n, p)."""
    _need_tensors("addbmm", input=input, batch1=batch1, batch2=batch2)
    _errors.check_dim(2, batch1.ndim)
    _errors.check_dim(2, batch2.ndim)
    if batch1.shape[0] != batch2.shape[0]:
        _errors.fail("addbmm_batches", a=batch1.shape[0], b=batch2.shape[0])
    if batch1.shape[2] != batch2.shape[1]:
        _errors.fail("addbmm_sizes", a0=batch1.shape[1], a1=batch1.shape[2], b0=batch2.shape[1], b1=batch2.shape[2])
    for t in (input, batch1):
        if t.dtype is not batch2.dtype:
            _errors.fail("addmm_dtype", name="self", a=_short(t), b=_short(batch2))
    _check_expand(input, (batch1.shape[1], batch2.shape[2]))
    return Addbmm.apply(input, batch1, batch2, **dict(zip(("beta", "alpha"), _int_factors(input, beta, alpha))))


def _chain_order(dims):
    """The cheapest way to multiply matrices of shapes (dims[0] x dims[1]), (dims[1] x dims[2]), ...:
    dynamic programming over where the last product splits (the matrix chain problem)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(tensors, *, out=None):
    """``linalg.multi_dot``: A1 @ A2 @ ... @ An in the cheapest order (the first / last may be vectors)."""
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        _errors.fail("multi_dot_count", n=n)
    first, last = tensors[0], tensors[-1]
    if first.ndim not in (1, 2):
        _errors.fail("multi_dot_end", which="first", n=first.ndim)
    if last.ndim not in (1, 2):
        _errors.fail("multi_dot_end", which="last", n=last.ndim)
    for i, t in enumerate(tensors[1:-1], 1):
        if t.ndim != 2:
            _errors.fail("multi_dot_middle", i=i, n=t.ndim)
    for i, t in enumerate(tensors):
        if t.dtype is not first.dtype:
            _errors.fail("multi_dot_dtype", a=_CPP_NAMES[first.dtype], i=i, b=_CPP_NAMES[t.dtype])
    mats = [first.unsqueeze(0) if first.ndim == 1 else first] + tensors[1:-1] + \
           [last.unsqueeze(1) if last.ndim == 1 else last]
    for i in range(n - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            _errors.fail("multi_dot_shapes", i=i, j=i + 1, a=_errors.shape_str(tensors[i].shape),
                         b=_errors.shape_str(tensors[i + 1].shape))
    split = _chain_order([m.shape[0] for m in mats] + [mats[-1].shape[1]])

    def product(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return mm(product(i, k), product(k + 1, j))

    shape = [s for t, s in ((first, first.shape[0]), (last, last.shape[-1])) if t.ndim == 2]
    return product(0, n - 1).view(shape)


_chain_warned = False


def chain_matmul(*matrices, out=None):
    """Deprecated: ``linalg.multi_dot(matrices)`` for 2-D matrices (warns once, as PyTorch)."""
    global _chain_warned
    if not _chain_warned:
        _chain_warned = True
        warnings.warn(_errors.msg("chain_matmul_deprecated"), UserWarning, stacklevel=2)
    if not matrices:
        _errors.fail("chain_matmul_empty")
    for t in matrices:
        if t.ndim != 2:
            _errors.fail("matrix_dims", n=t.ndim)
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(matrices)


def linalg_matrix_power(A, n, *, out=None):
    """``linalg.matrix_power``: A^n by repeated squaring (n < 0: (A^-1)^|n|; n = 0: the identity)."""
    _need_tensors("linalg_matrix_power", A=A)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}")
    if A.ndim < 2:
        _errors.fail("linalg_dims", fn="linalg.matrix_power")
    if A.shape[-1] != A.shape[-2]:
        _errors.fail("linalg_square", fn="linalg.matrix_power", n=A.shape[-2], m=A.shape[-1])
    if n == 0:
        from .._creation import eye
        from .elementwise import where
        identity = eye(A.shape[-1], dtype=A.dtype, device=A.device).expand(A.shape)
        out = where(identity == identity, identity, A)       # the identity, still linked to A (zero gradient)
        if out.grad_fn is not None:
            out.grad_fn.grad_fn_name = "torch::autograd::CopyBackwards"
        return out
    if n == 1:
        return A.clone()
    if n < 0:
        _square_float("linalg_inv", A)
        A, n = linalg_inv(A), -n
    result, square = None, A
    while n:                      # binary powering: A^13 = A^8 A^4 A^1
        if n & 1:
            result = square if result is None else result.matmul(square)
        n >>= 1
        if n:
            square = square.matmul(square)
    return result


def matrix_power(input, n, *, out=None):
    """input^n for a square matrix (or batch): ``input @ input @ ...`` n times (n may be 0 or negative)."""
    return linalg_matrix_power(input, n)


# --- distances (距离): cdist ------------------------------------------------------------------------

def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distance between every row of x1 (..., P, M) and every row of x2 (..., R, M) -> (..., P, R).
    Computed as the norm of the broadcast differences x1[..., :, None, :] - x2[..., None, :, :]."""
    _need_tensors("cdist", x1=x1, x2=x2)
    from .reduction import norm
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            _errors.fail("cdist_dims", name=name, n=t.ndim)
    if x1.shape[-1] != x2.shape[-1]:
        _errors.fail("cdist_cols", a=x1.shape[-1], b=x2.shape[-1])
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.dtype.is_floating_point:
            _errors.fail("cdist_dtype", name=name, dtype=_short(t))
    if p < 0:
        _errors.fail("cdist_p")
    out = norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p=float(p), dim=-1)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "CdistBackward0"
    return out


# --- block_diag, tril_indices / triu_indices ----------------------------------------------------------

def block_diag(*tensors):
    """A block diagonal matrix (分块对角矩阵): the inputs (0-, 1- or 2-D) along the diagonal, zeros elsewhere."""
    from .shape import cat
    from .._creation import zeros
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            _errors.fail("block_diag_type", i=i, type=type(t).__name__)
        if t.ndim > 2:
            _errors.fail("block_diag_dims", i=i, n=t.ndim)
    if not tensors:
        return zeros(1, 0)
    dt = _dtype.result_type_of(list(tensors))
    mats = [t.to(dt).reshape(1, -1) if t.ndim < 2 else t.to(dt) for t in tensors]
    width = sum(m.shape[1] for m in mats)
    rows, left = [], 0
    for m in mats:
        r, c = m.shape
        parts = [zeros(r, left, dtype=dt, device=m.device), m, zeros(r, width - left - c, dtype=dt, device=m.device)]
        rows.append(cat(parts, 1))
        left += c
    out = cat(rows, 0)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "BlockDiagBackward0"
    return out


def _tri_indices(fn, row, col, offset, dtype, device, lower):
    import numpy as np
    from .._creation import tensor
    for name, v in (("row", row), ("col", col)):
        if v < 0:
            _errors.fail("tri_indices_negative", name=name, n=v)
    if dtype is not None and (dtype.is_floating_point or dtype is _dtype.bool):
        _errors.fail("not_implemented", op=fn, dtype=_dtype.SHORT_NAMES[dtype])
    i, j = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    return tensor(np.stack([i, j]).reshape(2, -1), dtype=dtype or _dtype.int64, device=device)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) indices of the lower triangle of a row x col matrix, as a 2 x N tensor, row by row."""
    return _tri_indices("tril_indices", row, col, offset, dtype, device, True)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) indices of the upper triangle of a row x col matrix, as a 2 x N tensor, row by row."""
    return _tri_indices("triu_indices", row, col, offset, dtype, device, False)



# --- decompositions (矩阵分解): slogdet, solve, cholesky, qr, eigh, svd; pinv, lstsq, matrix_rank, norms ---
# Each backward is the standard formula (cited in the docstring's math line), written with Tensor ops
# so that it can be differentiated again.

def _named_result(name, fields):
    """A tuple with named fields that prints like ``torch.return_types.<name>`` (see ``_ValuesIndices``)."""
    def field(i):
        return property(lambda self: self[i])

    def __new__(cls, *values):
        return tuple.__new__(cls, values)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    cls = type(name, (tuple,), {"__slots__": (), "__new__": __new__, "__repr__": __repr__, "_fields": fields,
                                "__module__": "learntorch.return_types",
                                **{f: field(i) for i, f in enumerate(fields)}})
    return cls


_SLOGDET = _named_result("slogdet", ("sign", "logabsdet"))
_LINALG_SLOGDET = _named_result("linalg_slogdet", ("sign", "logabsdet"))
_QR = _named_result("linalg_qr", ("Q", "R"))
_OLD_QR = _named_result("qr", ("Q", "R"))
_EIGH = _named_result("linalg_eigh", ("eigenvalues", "eigenvectors"))
_SVD = _named_result("linalg_svd", ("U", "S", "Vh"))
_OLD_SVD = _named_result("svd", ("U", "S", "V"))
_LSTSQ = _named_result("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))


def _batch_prefix(host, k):
    return f"(Batch element {k}): " if host.ndim > 2 else ""


class LinalgSlogdet(Op):
    """(sign, ln|det A|).   d ln|det A| / dA = A^-T  (Jacobi's formula); the sign has zero gradient."""

    @staticmethod
    def forward(ctx, a):
        sign, logabs = ctx.xp.linalg.slogdet(a)
        ctx.save_for_backward(a)
        ctx.set_materialize_grads(False)     # a loss of the sign alone: no gradient (None), as PyTorch
        return sign, logabs

    @staticmethod
    def backward(ctx, gsign, glogabs):
        if glogabs is None:
            return None
        a, = ctx.saved_tensors
        return glogabs.unsqueeze(-1).unsqueeze(-1) * linalg_inv(a).mT


def linalg_slogdet(A, *, out=None):
    """``linalg.slogdet``: the sign and the log of |det A| (no overflow for large matrices)."""
    _need_tensors("linalg_slogdet", A=A)
    _square_float("linalg_slogdet", A)
    return _LINALG_SLOGDET(*LinalgSlogdet.apply(A))


def slogdet(input):
    """``torch.slogdet``: (sign, ln|det|) of a square matrix."""
    _need_tensors("linalg_slogdet", A=input)
    _square_float("linalg_slogdet", input)
    return _SLOGDET(*LinalgSlogdet.apply(input))


def logdet(input):
    """ln det A: NaN when det A < 0, -inf when A is singular."""
    from .elementwise import where
    _need_tensors("logdet", input=input)
    if not input.dtype.is_floating_point:
        _errors.fail("linalg_float", fn="logdet", dtype=_short(input))
    _square_float("linalg_slogdet", input)
    sign, logabs = LinalgSlogdet.apply(input)
    return where(sign < 0, math.nan, logabs)


class LinalgSolveEx(Op):
    """X = A^-1 B (A X = B).   dB = A^-T dX,  dA = -dB X^T."""

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        try:
            x = xp.linalg.solve(a, b)
        except Exception:
            import numpy as np
            host = ctx.backend.to_numpy(a)
            for k, m in enumerate(host.reshape((-1,) + host.shape[-2:])):
                if np.linalg.matrix_rank(m) < m.shape[0] or not np.all(np.isfinite(m)):
                    _errors.fail("solve_singular", batch=_batch_prefix(host, k))
            raise
        ctx.save_for_backward(a, x if ctx.needs_input_grad[0] else None)
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        gb = linalg_solve(a.mT, grad)
        return (-gb.matmul(x.mT) if x is not None else None), gb


def linalg_solve(A, B, *, left=True, out=None):
    """``linalg.solve``: X with A X = B (``left=False``: X A = B).  B may be a vector (or a batch of them)."""
    _need_tensors("linalg_solve", A=A, B=B)
    _square_float("linalg_solve", A)
    if A.dtype is not B.dtype:
        _errors.fail("solve_dtype", a=_short(A), b=_short(B))
    if not left:
        return linalg_solve(A.mT, B.mT).mT
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    b = B.unsqueeze(-1) if vector else B
    if b.ndim < 2 or b.shape[-2] != A.shape[-1]:
        _errors.fail("solve_shapes", n=A.shape[-2], m=A.shape[-1], r=b.shape[-2] if b.ndim > 1 else b.shape[0],
                     c=b.shape[-1] if b.ndim > 1 else 1)
    batch = broadcast_shapes(tuple(A.shape[:-2]), tuple(b.shape[:-2]))
    x = LinalgSolveEx.apply(A.expand(batch + tuple(A.shape[-2:])), b.expand(batch + tuple(b.shape[-2:])))
    return x.squeeze(-1) if vector else x


def _tril_halved(x):
    """Phi(X): the lower triangle of X with its diagonal halved."""
    return x.tril() - 0.5 * x.diagonal(0, -2, -1).diag_embed()


class LinalgCholeskyEx(Op):
    """A = L L^T (L lower triangular).   dA = sym(L^-T Phi(L^T dL) L^-1), Phi = lower triangle with half
    the diagonal, sym(S) = (S + S^T) / 2  (Murray 2016, "Differentiation of the Cholesky decomposition")."""

    @staticmethod
    def forward(ctx, a):
        import numpy as np
        xp = ctx.xp
        host = ctx.backend.to_numpy(a)
        for k, m in enumerate(host.reshape((-1,) + host.shape[-2:])):   # PyTorch names the failing minor
            for order in range(1, m.shape[0] + 1):
                try:
                    np.linalg.cholesky(m[:order, :order])
                except np.linalg.LinAlgError:
                    _errors.fail("cholesky_not_pd", batch=_batch_prefix(host, k), order=order)
        lower = xp.linalg.cholesky(a)
        ctx.save_for_backward(lower)
        return lower

    @staticmethod
    def backward(ctx, grad):
        lower, = ctx.saved_tensors
        linv = linalg_inv(lower)
        s = linv.mT.matmul(_tril_halved(lower.mT.matmul(grad))).matmul(linv)
        return 0.5 * (s + s.mT)


def linalg_cholesky(A, *, upper=False, out=None):
    """``linalg.cholesky``: L lower triangular with A = L L^T, for symmetric positive-definite A (U = L^T if upper)."""
    _need_tensors("linalg_cholesky", A=A)
    _square_float("linalg_cholesky", A)
    lower = LinalgCholeskyEx.apply(A)
    return lower.mT if upper else lower


_WARNED = set()


def _deprecated_once(key):
    """PyTorch warns once per process (TORCH_WARN_ONCE) for its old linear-algebra functions."""
    if key not in _WARNED:
        import warnings
        _WARNED.add(key)
        warnings.warn(_errors.msg(key), UserWarning, stacklevel=3)


def cholesky(input, upper=False, *, out=None):
    """Deprecated ``torch.cholesky``: ``linalg.cholesky(input)`` (``.mT`` if upper), node ``CholeskyBackward0``."""
    _deprecated_once("cholesky_deprecated")
    _need_tensors("cholesky", input=input)
    if input.ndim < 2:
        _errors.fail("linalg_dims", fn="cholesky")
    if input.shape[-1] != input.shape[-2]:
        _errors.fail("linalg_square", fn="cholesky", n=input.shape[-2], m=input.shape[-1])
    if not input.dtype.is_floating_point:
        _errors.fail("not_implemented", op="cholesky_cpu", dtype=_short(input))
    try:
        lower = LinalgCholeskyEx.apply(input)
    except _errors.CLASSES["cholesky_not_pd"] as e:
        raise type(e)(str(e).replace("linalg.cholesky:", "cholesky:", 1)) from None
    out = lower.mT if upper else lower
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "CholeskyBackward0"
    return out


class LinalgQr(Op):
    """A = Q R (Q orthonormal columns, R upper triangular; m >= n for the gradient).
    dA = [dQ + Q copyltu(M)] R^-T,  M = R dR^T - dQ^T Q  (copyltu: the lower triangle mirrored up)."""

    @staticmethod
    def forward(ctx, a, mode="reduced"):
        q, r = ctx.xp.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        ctx.save_for_backward(q, r)
        ctx.mode = mode
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if m < n or ctx.mode == "complete" and m > n:
            raise NotImplementedError("learntorch: the QR gradient is implemented for mode='reduced' with m >= n")
        g = (gr.matmul(r.mT) - q.mT.matmul(gq)).triu()
        g = q.matmul(g + g.mT - g.diagonal(0, -2, -1).diag_embed()) + gq
        return g.matmul(linalg_inv(r).mT)


def linalg_qr(A, mode="reduced", *, out=None):
    """``linalg.qr``: A = Q R, Q with orthonormal columns (正交), R upper triangular.  mode: 'reduced'
    (Q m x k), 'complete' (Q m x m), 'r' (R only; Q empty).  Signs as LAPACK gives them (as PyTorch)."""
    _need_tensors("linalg_qr", A=A)
    if mode not in ("reduced", "complete", "r"):
        _errors.fail("qr_mode", mode=mode)
    if A.ndim < 2:
        _errors.fail("linalg_dims", fn="linalg.qr")
    if not A.dtype.is_floating_point:
        _errors.fail("linalg_float", fn="linalg.qr", dtype=_short(A))
    q, r = LinalgQr.apply(A, mode=mode)
    if mode == "r":
        from .._creation import empty
        q = empty(0, dtype=A.dtype, device=A.device)
    return _QR(q, r)


def qr(input, some=True, *, out=None):
    """Deprecated ``torch.qr``: ``linalg.qr(input, 'reduced' if some else 'complete')`` as ``return_types.qr``."""
    _deprecated_once("qr_deprecated")
    q, r = linalg_qr(input, "reduced" if some else "complete")
    return _OLD_QR(q, r)


class LinalgEigh(Op):
    """A = V diag(w) V^T (A symmetric, w ascending).
    dA = V (diag(dw) + skew(V^T dV) / E) V^T,  E_ij = w_j - w_i,  skew(X) = (X - X^T) / 2."""

    @staticmethod
    def forward(ctx, a, upper=False):
        xp = ctx.xp
        if upper:                     # use the upper triangle: mirror it down
            a = xp.triu(a) + xp.matrix_transpose(xp.triu(a, k=1))
        w, v = ctx.xp.linalg.eigh(a)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        from .._creation import eye
        w, v = ctx.saved_tensors
        n = w.shape[-1]
        identity = eye(n, dtype=w.dtype, device=w.device)
        e = w.unsqueeze(-2) - w.unsqueeze(-1) + identity          # 1 on the diagonal (no division by 0)
        vgv = v.mT.matmul(gv)
        inner = (0.5 * (vgv - vgv.mT)) / e + gw.diag_embed()
        return v.matmul(inner).matmul(v.mT)


def _check_uplo(UPLO):
    if UPLO not in ("L", "U"):
        _errors.fail("eigh_uplo", uplo=UPLO)


def linalg_eigh(A, UPLO="L", *, out=None):
    """``linalg.eigh``: eigenvalues (特征值, ascending) and eigenvectors (特征向量, columns of V) of a
    symmetric matrix, read from its lower (or upper) triangle.  Each vector's sign is arbitrary."""
    _need_tensors("linalg_eigh", A=A)
    _check_uplo(UPLO)
    if A.ndim >= 2 and A.shape[-1] == A.shape[-2] and not A.dtype.is_floating_point:
        _errors.fail("not_implemented", op="linalg_eigh_cpu", dtype=_short(A))
    _square_float("linalg_eigh", A)
    return _EIGH(*LinalgEigh.apply(A, upper=UPLO == "U"))


def linalg_eigvalsh(A, UPLO="L", *, out=None):
    """``linalg.eigvalsh``: the eigenvalues of a symmetric matrix, ascending."""
    return linalg_eigh(A, UPLO)[0]


class LinalgSvd(Op):
    """A = U diag(S) V^T.   dA = U [skew(U^T dU) S / E + S skew(V^T dV) / E + diag(dS)] V^T
    + (I - U U^T) dU S^-1 V^T + U S^-1 dV^T (I - V V^T),  E_jk = S_k^2 - S_j^2, skew(X) = X - X^T
    (the formula PyTorch's svd_backward uses; full_matrices: only the first k columns carry gradient)."""

    @staticmethod
    def forward(ctx, a, full_matrices=True):
        xp = ctx.xp
        u, s, vh = xp.linalg.svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
        u, vh = u.narrow(-1, 0, k), vh.narrow(-2, 0, k)
        gu, gvh = gu.narrow(-1, 0, k), gvh.narrow(-2, 0, k)
        from .._creation import eye
        s2 = s * s
        e = s2.unsqueeze(-2) - s2.unsqueeze(-1) + eye(k, dtype=s.dtype, device=s.device)
        uhgu, vhgv = u.mT.matmul(gu), vh.matmul(gvh.mT)
        inner = ((uhgu - uhgu.mT) * s.unsqueeze(-2) + s.unsqueeze(-1) * (vhgv - vhgv.mT)) / e + gs.diag_embed()
        ga = u.matmul(inner).matmul(vh)
        if m > k:
            gus = gu / s.unsqueeze(-2)
            ga = ga + (gus - u.matmul(u.mT.matmul(gus))).matmul(vh)
        if n > k:
            sgv = gvh / s.unsqueeze(-1)
            ga = ga + u.matmul(sgv - sgv.matmul(vh.mT).matmul(vh))
        return ga


def _svd_input(A):
    _need_tensors("linalg_svd", A=A)
    if A.ndim < 2:
        _errors.fail("linalg_dims", fn="linalg.svd")
    if not A.dtype.is_floating_point:
        _errors.fail("linalg_float", fn="linalg.svd", dtype=_short(A))


def linalg_svd(A, full_matrices=True, *, driver=None, out=None):
    """``linalg.svd``: A = U diag(S) Vh (奇异值分解), S descending.  Signs of the singular vectors are
    arbitrary (a pair u_i, v_i may both flip); U diag(S) Vh is unique."""
    _svd_input(A)
    return _SVD(*LinalgSvd.apply(A, full_matrices=full_matrices))


def linalg_svdvals(A, *, driver=None, out=None):
    """``linalg.svdvals``: the singular values (奇异值), descending."""
    _svd_input(A)
    return LinalgSvd.apply(A, full_matrices=False)[1]


def svd(input, some=True, compute_uv=True, *, out=None):
    """``torch.svd`` (older API): U, S, V with A = U diag(S) V^T (V, not Vh); ``some=False``: full U, V."""
    _svd_input(input)
    u, s, vh = LinalgSvd.apply(input, full_matrices=not some or not compute_uv)
    if not compute_uv:                     # U and V: zeros of the full sizes (m x m, n x n), as PyTorch
        from .creation_helpers import zeros_like_of
        return _OLD_SVD(zeros_like_of(u.detach()), s, zeros_like_of(vh.detach()))
    return _OLD_SVD(u, s, vh.mT)


def _cutoff(A, s_max, atol, rtol):
    """PyTorch's cut-off for "zero" singular values: max(atol, rtol * S_max); rtol defaults to
    eps * max(m, n) when neither is given, to 0 when only atol is."""
    if rtol is None:
        rtol = _dtype.finfo(A.dtype).eps * max(A.shape[-2:]) if atol is None else 0.0
    return (s_max * rtol).clamp_min(0.0 if atol is None else atol)


def linalg_pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """``linalg.pinv``: the Moore-Penrose pseudo-inverse (伪逆) V diag(1/S) U^T, singular values below
    max(atol, rtol * S_max) treated as 0.  Composed from svd (``hermitian`` changes nothing: for a symmetric
    matrix the singular values are the |eigenvalues|, and the gradient is the general one, as PyTorch's)."""
    from .elementwise import where
    _need_tensors("linalg_pinv", A=A)
    if A.ndim < 2 or not A.dtype.is_floating_point:
        _errors.fail("pinv_input", dtype=_dtype.SHORT_NAMES[A.dtype], shape=_errors.shape_str(A.shape))
    u, s, vh = LinalgSvd.apply(A, full_matrices=False)
    cut = _cutoff(A, s.narrow(-1, 0, 1), atol, rtol)
    inv = where(s > cut, 1 / s, 0.0)
    out = (vh.mT * inv.unsqueeze(-2)).matmul(u.mT)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = "LinalgPinvBackward0"
    return out


def pinverse(input, rcond=1e-15):
    """The pseudo-inverse, with singular values below ``rcond`` * S_max treated as 0."""
    return linalg_pinv(input, rtol=rcond)


def linalg_matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """``linalg.matrix_rank``: the number of singular values above max(atol, rtol * S_max) (an int64 tensor)."""
    _need_tensors("linalg_matrix_rank", A=A)
    if A.ndim < 2:
        _errors.fail("matrix_rank_dims")
    if not A.dtype.is_floating_point:
        _errors.fail("float_double_only")
    with grad_mode.no_grad():
        s = linalg_eigvalsh(A).abs() if hermitian else linalg_svdvals(A)
        return (s > _cutoff(A, s.amax(-1, keepdim=True), atol, rtol)).sum(-1)


def linalg_lstsq(A, B, rcond=None, *, driver=None):
    """``linalg.lstsq``: X minimising ||A X - B|| (最小二乘), as pinv(A) @ B.  Like PyTorch's default CPU driver
    ('gelsy'): residuals and singular_values are empty, rank is computed."""
    from .._creation import empty
    _need_tensors("linalg_lstsq", A=A, B=B)
    if A.ndim < 2:
        _errors.fail("lstsq_dims")
    if not A.dtype.is_floating_point or not B.dtype.is_floating_point:
        _errors.fail("float_double_only")
    if A.dtype is not B.dtype:
        _errors.fail("lstsq_dtype", a=_short(A), b=_short(B))
    vector = B.ndim == A.ndim - 1
    b = B.unsqueeze(-1) if vector else B
    if b.shape[-2] != A.shape[-2]:
        _errors.fail("lstsq_shapes")
    x = linalg_pinv(A, rtol=rcond).matmul(b)
    x = x.squeeze(-1) if vector else x
    if x.grad_fn is not None:
        x.grad_fn.grad_fn_name = "LinalgLstsqBackward0"
    nothing = empty(0, dtype=A.dtype, device=A.device)
    return _LSTSQ(x, nothing, linalg_matrix_rank(A.detach(), rtol=rcond), nothing)


for _key in ("solve_singular", "cholesky_not_pd"):     # raised as torch.linalg.LinAlgError, like inv's error
    _errors.CLASSES[_key] = _errors.CLASSES["inv_singular"]


# --- norms (范数): linalg.vector_norm, matrix_norm, norm -----------------------------------------------

def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.vector_norm``: (sum |x|^ord)^(1/ord) over ``dim`` (all elements if None); ord may be inf, -inf, 0."""
    from .reduction import norm
    _need_tensors("linalg_vector_norm", x=x)
    return norm(x, p=float(ord), dim=dim, keepdim=keepdim, dtype=dtype)


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """``linalg.matrix_norm``: 'fro' (sqrt of the sum of squares), 'nuc' (sum of singular values),
    2 / -2 (largest / smallest singular value), 1 / -1 (max / min column sum of |a_ij|),
    inf / -inf (max / min row sum)."""
    _need_tensors("linalg_matrix_norm", A=A)
    if A.ndim < 2:
        _errors.fail("linalg_dims", fn="linalg.matrix_norm")
    if not A.dtype.is_floating_point:
        _errors.fail("linalg_float", fn="linalg.matrix_norm", dtype=_short(A))
    dim = tuple(dim)
    if len(dim) != 2:
        _errors.fail("matrix_norm_dim", dims=" ".join(str(d) for d in dim))
    if dtype is not None:
        A = A.to(dtype)
    d0, d1 = (_errors.check_dim(d, A.ndim) for d in dim)
    if ord == "fro":
        return linalg_vector_norm(A, 2, dim=(d0, d1), keepdim=keepdim)
    if ord in ("nuc", 2, -2):
        s = linalg_svdvals(A.movedim((d0, d1), (-2, -1)))
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
    elif ord in (1, -1, math.inf, -math.inf):
        rows, cols = (d0, d1) if ord in (1, -1) else (d1, d0)      # ord 1: the largest column sum
        sums = A.abs().sum(rows, keepdim=keepdim)
        cols = cols - 1 if not keepdim and rows < cols else cols
        return sums.amax(cols, keepdim=keepdim) if ord > 0 else sums.amin(cols, keepdim=keepdim)
    else:
        _errors.fail("matrix_norm_order", p=ord)
    if keepdim:
        for d in sorted((d0, d1)):
            out = out.unsqueeze(d)
    return out


def linalg_norm(input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """``linalg.norm``: a vector norm (1-D input, or an int ``dim``) or a matrix norm (2-D input, or a
    2-tuple ``dim``); with neither ``ord`` nor ``dim``, the 2-norm of all elements."""
    _need_tensors("linalg_norm", input=input)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None:
        if ord is None:
            return linalg_vector_norm(input, 2, keepdim=keepdim, dtype=dtype)
        if input.ndim not in (1, 2):
            _errors.fail("linalg_norm_dims", n=input.ndim)
        dim = tuple(range(input.ndim))
    if len(dim) == 1 and not isinstance(ord, str):
        return linalg_vector_norm(input, 2 if ord is None else ord, dim=dim, keepdim=keepdim, dtype=dtype)
    return linalg_matrix_norm(input, "fro" if ord is None else ord, dim=dim, keepdim=keepdim, dtype=dtype)


addmv_ = inplace(addmv, "addmv_")
addbmm_ = inplace(addbmm, "addbmm_")
baddbmm_ = inplace(baddbmm, "baddbmm_")
