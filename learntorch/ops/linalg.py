"""Matrix products (矩阵乘法): ``matmul`` / ``@`` and its special cases.

For C = A @ B the chain rule gives dA = dC @ B^T and dB = A^T @ dC: the
gradient of a matrix product is again a matrix product.
"""
from .. import _dtype, _errors
from ..autograd.function import Op

__all__ = ["matmul", "mm", "addmm"]
TENSOR_METHODS = ["matmul", "mm", "addmm"]


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


_NAMES = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "MmBackward0"}


def _check_matmul(a, b):
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        _errors.fail("matmul_0d", a=na, b=nb)
    if a.dtype is not b.dtype:
        _errors.fail("mm_dtype", a=a.dtype.name.replace("float32", "float").replace("float64", "double"),
                     b=b.dtype.name.replace("float32", "float").replace("float64", "double"))
    if na == 1 and nb == 1:
        if a.shape[0] != b.shape[0]:
            _errors.fail("dot_sizes", a=a.shape[0], b=b.shape[0])
    elif nb == 1:
        if a.shape[-1] != b.shape[0]:
            if na == 2:
                _errors.fail("mv_sizes", n=a.shape[0], m0=a.shape[0], m1=a.shape[1], v=b.shape[0])
            _errors.fail("mm_shapes", a0=a.numel() // a.shape[-1], a1=a.shape[-1], b0=b.shape[0], b1=1)
    elif na == 1:
        if a.shape[0] != b.shape[-2]:
            _errors.fail("mm_shapes", a0=1, a1=a.shape[0], b0=b.shape[-2], b1=b.shape[-1])
    elif na == 2 and nb == 2:
        if a.shape[1] != b.shape[0]:
            _errors.fail("mm_shapes", a0=a.shape[0], a1=a.shape[1], b0=b.shape[0], b1=b.shape[1])
    else:
        from .._shape import broadcast_shapes
        batch = broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
        if a.shape[-1] != b.shape[-2]:
            if nb == 2:
                _errors.fail("mm_shapes", a0=a.numel() // a.shape[-1], a1=a.shape[-1], b0=b.shape[0], b1=b.shape[1])
            n = 1
            for s in batch:
                n *= s
            _errors.fail("bmm_sizes", b=n, k=a.shape[-1], b2=n, k2=b.shape[-2])


def matmul(input, other, *, out=None):
    """Matrix product with PyTorch's rules for 1-D (vectors) and batched (>2-D) inputs."""
    _check_matmul(input, other)
    out = Matmul.apply(input, other)
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = _NAMES.get((input.ndim, other.ndim), "BmmBackward0")
    return out


def mm(input, mat2, *, out=None):
    """Product of two matrices (2-D only)."""
    if input.ndim != 2:
        _errors.fail("mm_2d")
    if mat2.ndim != 2:
        _errors.fail("mm_2d_2")
    return matmul(input, mat2)


class Addmm(Op):
    """y = beta * bias + alpha * (A @ B): the fused product nn.Linear uses.
    dbias = dy * beta,  dA = alpha * dy @ B^T,  dB = alpha * A^T @ dy."""

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        _, need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.beta, ctx.alpha = beta, alpha
        y = ctx.xp.matmul(a, b)
        if alpha != 1:
            y = y * alpha
        return y + (bias if beta == 1 else bias * beta)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        gbias = grad if ctx.beta == 1 else grad * ctx.beta
        g = grad if ctx.alpha == 1 else grad * ctx.alpha
        ga = g.mm(b.t()) if b is not None else None
        gb = a.t().mm(g) if a is not None else None
        return gbias, ga, gb


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat1 @ mat2), with ``input`` broadcast to the product's shape."""
    if mat1.ndim != 2:
        _errors.fail("mm_2d")
    if mat2.ndim != 2:
        _errors.fail("mm_2d_2")
    _check_matmul(mat1, mat2)
    from .._shape import broadcast_shapes
    broadcast_shapes(tuple(input.shape), (mat1.shape[0], mat2.shape[1]))
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


DUNDERS = {"__matmul__": lambda self, other: matmul(self, other),
           "__rmatmul__": lambda self, other: matmul(other, self)}
