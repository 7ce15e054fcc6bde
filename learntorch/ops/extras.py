"""More Tensor methods (更多张量方法): the smaller methods and functions PyTorch users reach for.

Sections, in this order:

* metadata (元数据): ``is_cpu``, ``itemsize``, ``nbytes``, ``layout``, ``output_nr``, ``is_signed`` ...,
  the legacy ``x.new(...)``, ``type_as``, and what complex numbers would need (``real``, ``conj``,
  ``H`` ...), which for real tensors are the tensor itself or a transpose;
* in-place shape changes (原地改变形状): ``squeeze_``, ``unsqueeze_``, ``t_``, ``transpose_``, ``resize_``;
* more element-wise math (逐元素运算): ``fmax``/``fmin``, ``sgn``, ``ldexp``, ``frexp``, ``nextafter``;
* more products and pieces (乘积与切分): ``addr``, ``inner``, ``vdot``, ``ravel``, ``narrow_copy``,
  ``split_with_sizes``, ``diagflat``, ``fill_diagonal_``, in-place ``cumsum_``/``cumprod_``/``addmm_``;
* Python callables on every element (逐元素 Python 函数): ``apply_``, ``map_`` (cpu only, as in PyTorch);
* memory placement stand-ins: ``pin_memory``/``is_pinned``, ``share_memory_``/``is_shared``.
"""
import numbers

import numpy as np

from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd import grad_mode
from ..autograd.function import Op
from ..backends import CPU_BACKEND
from ._inplace import check_inplace_allowed, inplace
from .elementwise import _float_pair, _named, _need_tensor, _refuse, sign, where
from .linalg import _check_expand, _int_factors, _need_tensors, addmm, diag_embed, dot
from .reduction import _ValuesIndices, cumprod, cumsum
from .shape import narrow, split, transpose

__all__ = ["strided", "layout", "is_signed", "is_complex", "is_inference", "is_same_size", "ravel",
           "real", "conj", "resolve_conj", "resolve_neg", "is_conj", "is_neg", "adjoint", "resize_as_",
           "fmax", "fmin", "sgn", "ldexp", "ldexp_", "frexp", "nextafter",
           "addr", "inner", "vdot", "narrow_copy", "split_with_sizes", "diagflat", "mvlgamma"]
TENSOR_METHODS = ["is_cpu", "itemsize", "nbytes", "output_nr", "is_signed", "is_complex", "is_inference",
                  "is_same_size", "new", "type_as", "imag", "conj", "resolve_conj", "resolve_neg", "is_conj",
                  "is_neg", "H", "mH", "adjoint",
                  "squeeze_", "unsqueeze_", "t_", "transpose_", "swapaxes_", "swapdims_", "resize_", "resize_as_",
                  "fmax", "fmin", "sgn", "sgn_", "ldexp", "ldexp_", "frexp", "nextafter", "nextafter_",
                  "addr", "addr_", "inner", "vdot", "ravel", "narrow_copy", "split_with_sizes", "diagflat",
                  "fill_diagonal_", "cumsum_", "cumprod_", "addmm_", "apply_", "map_",
                  "pin_memory", "is_pinned", "share_memory_", "is_shared", "mvlgamma", "mvlgamma_"]


# --- metadata (元数据) ----------------------------------------------------------------------------

class layout:
    """How a tensor's elements are stored.  learntorch has one layout: ``strided`` (an array with strides)."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return self._name


strided = layout("strided")

is_cpu = property(lambda self: self._backend is CPU_BACKEND, doc="True for a tensor in main memory.")
itemsize = property(lambda self: self.dtype.itemsize, doc="Bytes per element (4 for float32).")
nbytes = property(lambda self: self.numel() * self.dtype.itemsize, doc="Bytes of all elements: numel * itemsize.")
layout_property = property(lambda self: strided, doc="Always ``torch.strided`` in learntorch.")
output_nr = property(lambda self: self._output_nr, doc="Which output of its ``grad_fn`` this tensor is.")


def is_signed(input):
    """Can the dtype hold negative numbers?  (False for uint8 and bool.)"""
    return input.dtype not in (_dtype.uint8, _dtype.bool)


def is_complex(input):
    """learntorch has no complex dtypes: always False."""
    return False


def is_inference(input):
    """learntorch has no inference mode: always False."""
    return False


def is_same_size(input, other):
    return input.shape == other.shape


def new(self, *args, device=None):
    """Legacy constructor: ``x.new(2, 3)`` (shape) or ``x.new([1, 2])`` (data), with ``x``'s dtype and device."""
    from .._creation import _legacy_new
    return _legacy_new(Tensor, self.dtype, args, self.device if device is None else device)


def type_as(self, other):
    """``self`` converted to ``other``'s dtype (and device): ``self.type(other.type())``."""
    return self.type(other.type())


def real(input):
    """The real part: a real tensor is its own real part."""
    return input


def _imag(self):
    _errors.fail("imag_real")


def conj(input):
    """The complex conjugate: a real tensor is its own conjugate."""
    return input


resolve_conj = resolve_neg = conj


def is_conj(input):
    return False


is_neg = is_conj


def _H(self):
    """The conjugate transpose of a matrix (for real numbers: the transpose)."""
    if self.ndim == 0:
        import warnings
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().", UserWarning, stacklevel=2)
        return self
    if self.ndim != 2:
        _errors.fail("H_dims", n=self.ndim, hint=" For batches of matrices, consider using tensor.mH"
                     if self.ndim > 2 else "")
    return transpose(self, 0, 1)


def _matrices_only(self, name):
    if self.ndim < 2:
        _errors.fail("mH_dims", name=name, n=self.ndim)
    return transpose(self, -2, -1)


def adjoint(input):
    """The conjugate transpose of (a batch of) matrices (for real numbers: the last two dims swapped)."""
    return _matrices_only(input, "adjoint()")


real_property = property(real)
imag = property(_imag)
H = property(_H)
mH = property(lambda self: _matrices_only(self, "mH"))


# --- in-place shape changes (原地改变形状) -------------------------------------------------------

def _reshape_inplace(self, out, name):
    """``self`` takes over the shape, strides and graph node of the view ``out`` of it."""
    self._data = out._data
    self._vc[0] += 1
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
        self.grad_fn, self._output_nr, self._requires_grad = out.grad_fn, out._output_nr, True
    if self._base is not None:
        self.__dict__["_view_chain"] = chain = out.__dict__.get("_view_chain")
        views = self._base.__dict__.get("_views")
        if chain is not None and views is not None and self._requires_grad:
            views.add(self)
    return self


def squeeze_(self, dim=None):
    check_inplace_allowed(self)
    name = "SqueezeBackward3" if dim is None else "SqueezeBackward4" if isinstance(dim, int) else "SqueezeBackward5"
    return _reshape_inplace(self, self.squeeze() if dim is None else self.squeeze(dim), name)


def unsqueeze_(self, dim):
    check_inplace_allowed(self)
    return _reshape_inplace(self, self.unsqueeze(dim), "UnsqueezeBackward1")


def t_(self):
    check_inplace_allowed(self)
    return _reshape_inplace(self, self.t(), "TBackward1")


def transpose_(self, dim0, dim1):
    check_inplace_allowed(self)
    return _reshape_inplace(self, self.transpose(dim0, dim1), "TransposeBackward1")


swapaxes_ = swapdims_ = transpose_


def resize_(self, *sizes, memory_format=None):
    """Give ``self`` a new shape, reading its memory row by row from its first element; memory added at
    the end (when it grows) holds zeros (PyTorch leaves it uninitialised).  Not for tensors that require grad."""
    from .._shape import normalize_shape
    if self._requires_grad:
        _errors.fail("resize_grad")
    shape = normalize_shape(sizes)
    if any(s < 0 for s in shape):
        _errors.fail("resize_negative")
    if shape == tuple(self.shape):
        return self
    b = self._backend
    xp = b.xp
    n = 1
    for s in shape:
        n *= s
    if self.is_contiguous():
        flat, room = xp.reshape(self._data, (-1,)), self.numel()
    else:  # the memory in storage order from the first element on (PyTorch's rule)
        from .shape import _storage, as_strided
        offset, size = _storage(self)
        room = size - offset
        flat = as_strided(self, (room,), (1,))._data
    if n <= room:
        data = xp.reshape(flat[:n], shape)
    else:
        data = xp.zeros((n,), dtype=self._data.dtype, device=b.device)
        data[:room] = flat
        data = xp.reshape(data, shape)
    self._data = data
    self._vc[0] += 1
    return self


def resize_as_(input, the_template, *, memory_format=None):
    return resize_(input, the_template.shape)


# --- more element-wise math (逐元素运算) ----------------------------------------------------------

class Fmax(Op):
    """z = max(a, b), ignoring NaN (NaN only if both are).   dz/da = 1 where a >= b or b is NaN, else 0;
    dz/db = the rest."""
    promote = True
    use_max = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        ctx.save_for_backward(a, b)
        if a.dtype == xp.bool:
            return xp.logical_or(a, b) if ctx.fn.use_max else xp.logical_and(a, b)
        z = xp.maximum(a, b) if ctx.fn.use_max else xp.minimum(a, b)
        return xp.where(xp.isnan(a), b, xp.where(xp.isnan(b), a, z))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a = ((a >= b) if ctx.fn.use_max else (a <= b)).logical_or(b.isnan())
        return where(to_a, grad, 0.0), where(to_a, 0.0, grad)


class Fmin(Fmax):
    """z = min(a, b), ignoring NaN.   dz/da = 1 where a <= b or b is NaN, else 0; dz/db = the rest."""
    use_max = False


def fmax(input, other, *, out=None):
    """The larger of the two at each position; where one is NaN, the other (unlike ``maximum``)."""
    _need_tensor("fmax", "other", 2, other)
    return Fmax.apply(input, other)


def fmin(input, other, *, out=None):
    """The smaller of the two at each position; where one is NaN, the other (unlike ``minimum``)."""
    _need_tensor("fmin", "other", 2, other)
    return Fmin.apply(input, other)


def sgn(input, *, out=None):
    """sign(x) for real numbers (for complex ones PyTorch gives x / |x|)."""
    return _named(sign(input), "SgnBackward0")


def _scale2(xp, x, k):
    """x * 2**k (k a float array of whole numbers), in two halves so that 2**k itself cannot overflow."""
    two = xp.full_like(x, 2.0)
    h = xp.floor(k / 2)
    return x * xp.pow(two, h) * xp.pow(two, k - h)


def _frexp_arrays(xp, x):
    """(m, e) with x = m * 2**e and 0.5 <= |m| < 1; for 0, inf and NaN: (x, 0).  ``e`` as floats."""
    ok = xp.isfinite(x) & (x != 0)
    a = xp.where(ok, xp.abs(x), xp.ones_like(x))
    e = xp.floor(xp.log2(a)) + 1
    m = _scale2(xp, xp.where(ok, x, xp.zeros_like(x)), -e)
    low = xp.abs(m) < 0.5                  # log2 rounded up near a power of two
    m, e = xp.where(low, m * 2, m), xp.where(low, e - 1, e)
    high = xp.abs(m) >= 1                  # ... or down
    m, e = xp.where(high, m / 2, m), xp.where(high, e + 1, e)
    return xp.where(ok, m, x), xp.where(ok, e, xp.zeros_like(e))


class Ldexp(Op):
    """z = a * 2^b.   dz/da = 2^b,  dz/db = z ln 2."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        z = _scale2(ctx.xp, a, b)
        ctx.save_for_backward(b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        b, z = ctx.saved_tensors
        return grad * (b * 0.6931471805599453).exp(), grad * z * 0.6931471805599453


def ldexp(input, other, *, out=None):
    """input * 2**other (integers compute in the default float dtype)."""
    _need_tensor("ldexp", "other", 2, other)
    a, b = _float_pair(input, other)
    if not b.dtype.is_floating_point:
        b = b.to(a.dtype)
    return Ldexp.apply(a, b)


ldexp_ = inplace(ldexp, "ldexp_")


class Frexp(Op):
    """(m, e) with x = m * 2^e, 0.5 <= |m| < 1.   dm/dx = 2^-e (e is an integer: no gradient)."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        m, e = _frexp_arrays(xp, x)
        ctx.save_for_backward(e)
        return m, xp.astype(e, ctx.backend.dtypes[_dtype.int32])

    @staticmethod
    def backward(ctx, grad_m, grad_e):
        e, = ctx.saved_tensors
        return grad_m / (e * 0.6931471805599453).exp()


class _MantissaExponent(_ValuesIndices):
    """``torch.return_types.frexp``: (mantissa, exponent)."""
    __slots__ = ()
    _fn = "frexp"
    mantissa = property(lambda self: self[0])
    exponent = property(lambda self: self[1])

    def __repr__(self):
        return f"torch.return_types.frexp(\nmantissa={self[0]!r},\nexponent={self[1]!r})"


_MantissaExponent.__module__ = "learntorch.return_types"
_MantissaExponent.__qualname__ = _MantissaExponent.__name__ = "frexp"


def frexp(input, *, out=None):
    """Split each float into mantissa (0.5 <= |m| < 1) and exponent (int32): input = m * 2**e."""
    if not input.dtype.is_floating_point:
        _errors.fail("frexp_float")
    m, e = Frexp.apply(input)
    return _MantissaExponent(m, e)


class Nextafter(Op):
    """z = the next representable float after a in the direction of b.   dz/da = 1 (0 where a = b: z is b
    there),  dz/db = 0 (PyTorch's choices)."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        info = xp.finfo(a.dtype)
        eps, tiny = info.eps, info.smallest_normal * info.eps        # tiny: the smallest subnormal
        ctx.save_for_backward(a, b)
        m, e = _frexp_arrays(xp, a)
        ones = xp.ones_like(a)
        growing = ((b > a) & (a > 0)) | ((b < a) & (a < 0))
        step = _scale2(xp, ones * eps, xp.where(~growing & (xp.abs(m) == 0.5), e - 2, e - 1))
        step = xp.maximum(step, ones * tiny)
        up = xp.where(b > a, ones, -ones)
        z = xp.where(a == 0, up * tiny, a + up * step)
        z = xp.where(xp.isinf(a), xp.where(a > 0, ones * info.max, ones * -info.max), z)
        return xp.where(a == b, b, xp.where(xp.isnan(a) | xp.isnan(b), a + b, z))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return where(a == b, 0.0, grad), grad * 0


def nextafter(input, other, *, out=None):
    """The next floating-point number after ``input`` towards ``other``."""
    _need_tensor("nextafter", "other", 2, other)
    dt = _dtype.result_type_of([input, other])
    if not dt.is_floating_point:
        _refuse("nextafter_cpu", dt)
    return Nextafter.apply(input, other)


nextafter_ = inplace(nextafter, "nextafter_")
sgn_ = inplace(sgn, "sgn_")


# --- more products and pieces (乘积与切分) --------------------------------------------------------

class Addr(Op):
    """Y = beta * input + alpha * outer(u, v).   dinput = beta dY,  du = alpha dY v,  dv = alpha dY^T u."""

    @staticmethod
    def forward(ctx, bias, u, v, beta=1, alpha=1):
        xp = ctx.xp
        _, need_u, need_v = ctx.needs_input_grad
        ctx.save_for_backward(u if need_v else None, v if need_u else None)
        ctx.beta, ctx.alpha = beta, alpha
        if u.dtype == xp.bool:      # and = product, or = sum
            y = xp.logical_and(xp.reshape(u, (-1, 1)), xp.reshape(v, (1, -1))) & alpha
            return xp.logical_or(bias & beta, y) if beta else y
        y = xp.reshape(u, (-1, 1)) * xp.reshape(v, (1, -1))
        y = y * alpha if alpha != 1 else y
        return y + bias * beta if beta != 0 else y

    @staticmethod
    def backward(ctx, grad):
        u, v = ctx.saved_tensors
        g = grad * ctx.alpha
        return grad * ctx.beta, g.mv(v) if v is not None else None, g.t().mv(u) if u is not None else None


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * outer(vec1, vec2), ``input`` broadcast to the (len(vec1), len(vec2)) result."""
    _need_tensors("addr", input=input, vec1=vec1, vec2=vec2)
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.ndim != 1:
            _errors.fail("addr_1d", name=name, n=v.ndim)
    _check_expand(input, (vec1.shape[0], vec2.shape[0]))
    dt = _dtype.result_type_of([input, vec1, vec2])
    input, vec1, vec2 = input.to(dt), vec1.to(dt), vec2.to(dt)
    beta, alpha = _int_factors(input, beta, alpha) if dt is not _dtype.bool else (bool(beta), bool(alpha))
    return Addr.apply(input, vec1, vec2, beta=beta, alpha=alpha)


addr_ = inplace(addr, "addr_")
addmm_ = inplace(addmm, "addmm_")


def inner(input, other, *, out=None):
    """Sum of products over the last dim: out[i..., j...] = sum_k input[i..., k] * other[j..., k]."""
    _need_tensors("inner", input=input, other=other)
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        _errors.fail("inner_sizes", a=_errors.shape_str(input.shape), b=_errors.shape_str(other.shape))
    from .linalg import tensordot
    return tensordot(input, other, dims=([-1], [-1]))


def vdot(input, other, *, out=None):
    """Dot product of two 1-D tensors, conjugating the first (nothing to conjugate for real numbers)."""
    return _named(dot(input, other), "VdotBackward0")


def mvlgamma(input, p, *, out=None):
    """Multivariate log-gamma (多元对数伽马): y = p(p-1)/4 log(pi) + sum_{i<p} lgamma(x - i/2).
    dy/dx = sum_{i<p} digamma(x - i/2) (autograd through lgamma)."""
    if p < 1:
        _errors.fail("mvlgamma_p")
    import math
    from .._creation import arange
    from .elementwise import _float_input, lgamma
    x = _float_input(input)
    shifts = arange(-p * 0.5 + 0.5, 0.5, 0.5, dtype=x.dtype, device=x.device)   # PyTorch's order
    y = lgamma(x.unsqueeze(-1) + shifts).sum(-1) + p * (p - 1) / 4 * math.log(math.pi)
    return _named(y, "MvlgammaBackward0")


_mvlgamma_ = inplace(mvlgamma, "mvlgamma_")


def mvlgamma_(self, p):
    """In-place ``mvlgamma`` (floating tensors only; PyTorch's odd message for the others)."""
    if not self.dtype.is_floating_point:
        _errors.fail("mvlgamma_int_inplace", dtype=_dtype.SHORT_NAMES[self.dtype])
    return _mvlgamma_(self, p)


def ravel(input):
    """The elements as a 1-D tensor in row-major order (a view when ``input`` is contiguous)."""
    return input.contiguous().view(-1)


def narrow_copy(input, dim, start, length):
    """Like ``narrow`` but a copy (with its own memory), not a view: dx = dy in that place, 0 elsewhere."""
    return _named(narrow(input, dim, start, length).clone(), "NarrowCopyBackward0")


def split_with_sizes(input, split_sizes, dim=0):
    """Cut ``input`` along ``dim`` into pieces of the given sizes (views); they must add up to its size."""
    return split(input, list(split_sizes), dim)


def diagflat(input, offset=0):
    """The square matrix with the flattened ``input`` on diagonal ``offset``."""
    _need_tensors("diagflat", input=input)
    return diag_embed(input.reshape(-1), offset, 0, 1)


def _fill_diagonal(self, fill_value, wrap=False):
    """``self`` with ``fill_value`` on its main diagonal (all dims equal; 2-D tall matrices may ``wrap``)."""
    if self.ndim < 2:
        _errors.fail("fill_diagonal_dims")
    if self.ndim > 2 and any(s != self.shape[0] for s in self.shape):
        _errors.fail("fill_diagonal_sizes")
    from .._creation import arange
    rows, cols = self.shape[0], self.shape[-1]
    step, strides = 0, 1
    for s in reversed(self.shape):
        step, strides = step + strides, strides * s
    limit = self.numel() if self.ndim > 2 or wrap else min(rows, cols) * cols
    k = arange(self.numel(), device=self.device).reshape(self.shape)
    mask = (k % step == 0).logical_and(k < limit)
    if not self.dtype.is_floating_point and self.dtype is not _dtype.bool:
        fill_value = int(fill_value)
    return _named(where(mask, fill_value, self), "torch::autograd::CopySlices")


def fill_diagonal_(self, fill_value, wrap=False):
    """Write ``fill_value`` on the main diagonal of ``self`` (in place).  PyTorch writes through a view of the
    diagonal, so a leaf that requires grad gets the "view of a leaf" error."""
    if grad_mode.state.enabled and self._requires_grad and self.grad_fn is None:
        _errors.fail("inplace_leaf_view")
    return inplace(_fill_diagonal, "fill_diagonal_")(self, fill_value, wrap)
cumsum_ = inplace(cumsum, "cumsum_")
cumprod_ = inplace(cumprod, "cumprod_")


# --- Python callables on every element (逐元素 Python 函数) --------------------------------------

def _python_values(self, name, other=None):
    if self._backend is not CPU_BACKEND:
        _errors.fail("apply_cpu", name=name)
    if self._requires_grad or (other is not None and other._requires_grad):
        _errors.fail("apply_grad", name=name)
    return self._data


def _pynumber(value, dt):
    if dt is _dtype.bool:
        return bool(value)
    if not isinstance(value, numbers.Real):
        raise TypeError(f"must be real number, not {type(value).__name__}")
    return float(value) if dt.is_floating_point else int(value)


def apply_(self, callable):
    """Replace each element x by ``callable(x)`` (a Python function, called once per element; cpu only)."""
    a = _python_values(self, "apply_")
    new = [_pynumber(callable(v), self.dtype) for v in _flatten(a.tolist())]
    a[...] = np.asarray(new, dtype=a.dtype).reshape(a.shape)
    return self                        # (PyTorch does not count this as a change of version)


def map_(self, tensor, callable):
    """Replace each element x by ``callable(x, y)``, y the matching element of ``tensor`` (broadcast to
    ``self``'s shape; cpu only)."""
    a = _python_values(self, "map_", tensor)
    if tensor.dtype is not self.dtype:
        raise TypeError(f"map_: expected torch.{_dtype.TYPE_NAMES[self.dtype]} for 'other' (got "
                        f"torch.{_dtype.TYPE_NAMES[tensor.dtype]})")
    _check_expand(tensor, tuple(self.shape))
    others = _flatten(tensor.expand(self.shape).tolist())
    new = [_pynumber(callable(v, w), self.dtype) for v, w in zip(_flatten(a.tolist()), others)]
    a[...] = np.asarray(new, dtype=a.dtype).reshape(a.shape)
    return self                        # (PyTorch does not count this as a change of version)


def _flatten(nested):
    if not isinstance(nested, list):
        return [nested]
    return [x for item in nested for x in _flatten(item)]



# --- memory placement stand-ins ----------------------------------------------------------------------

def pin_memory(self, device=None):
    """Page-locked memory speeds up copies to a GPU; learntorch has none: the tensor itself."""
    return self


def is_pinned(self, device=None):
    return False


def share_memory_(self):
    """Shared memory lets worker processes see the same tensor; learntorch does not share: ``self``."""
    return self


def is_shared(self):
    return False


# Tensor properties whose names are also functions (or a class) here: attached by ops/__init__.py
TENSOR_PROPERTIES = {"layout": layout_property, "real": real_property}
