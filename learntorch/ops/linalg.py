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
"""
from .._tensor import Tensor
from .. import _dtype, _errors
from .. import amp as _amp
from ..autograd import grad_mode
from ..autograd.function import Op
from .._shape import broadcast_shapes

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "outer", "ger", "addmm"]
TENSOR_METHODS = ["matmul", "mm", "bmm", "mv", "dot", "outer", "ger", "addmm"]

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
            ga = ctx.tensor(xp.matmul(g, xp.matrix_transpose(b._data))) if b is not None else None
            gb = None
            if a is not None:
                if ctx.b_columnmajor:
                    # b is nn.Linear's weight.t(): compute (g^T a)^T so that the weight's own
                    # gradient comes out row-major, like the weight (no copy needed later)
                    gb = ctx.tensor(xp.matrix_transpose(xp.matmul(xp.matrix_transpose(g), a._data)))
                else:
                    gb = ctx.tensor(xp.matmul(xp.matrix_transpose(a._data), g))
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
