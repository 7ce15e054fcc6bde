"""Element-wise operations (逐元素运算): arithmetic, math functions, comparisons, logic.

Each output element depends only on the input elements at the same position.
Binary ops broadcast (广播) their inputs; the engine sums each gradient back to
its input's shape, so a backward here is written as if shapes were equal.

Families, in this order:  arithmetic (+ - * / // % **), math functions (exp,
log, sin, ...), more math (sinh, asin, exp2, sinc, atan2, hypot, logaddexp,
xlogy, copysign, heaviside, isin ...), rounding, clamp / maximum / where / lerp,
comparisons, logical and bitwise ops, in-place variants, operators.
"""
import builtins
import math
import warnings

import numpy as np

from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd import grad_mode
from ..autograd.function import Op
from ..backends.base import numpy_quiet
from ._inplace import inplace
from .creation_helpers import scalar_like, zeros_like_of


# --- helpers ----------------------------------------------------------------------

def quiet_fp():
    """Silence NumPy's floating-point warnings (log(0), 0/0, overflow).

    PyTorch returns inf/nan quietly, so learntorch must too.  ``np.errstate``
    covers the cpu backend and the simulated GPU (array-api-strict computes
    with NumPy); it does nothing to CuPy, which never warns.
    """
    return numpy_quiet()


class Pointwise(Op):
    """Base class of the ops here (``Op.apply`` already runs forward under the backend's ``quiet()``)."""


def _wrap_int(value, dt):
    """A Python int wrapped into ``dt``'s range, as a C cast does (int8: 1000 -> -24)."""
    bits = 8 * dt.itemsize
    if dt is _dtype.uint8:
        return value % (1 << bits)
    low = -(1 << (bits - 1))
    return (value - low) % (1 << bits) + low


def _is_number(value):
    return isinstance(value, (int, float, bool)) or hasattr(value, "__index__") or hasattr(value, "__float__")


def as_operand(value, other):
    """A Python number becomes a 0-dim tensor of the dtype PyTorch would give the result.

    Numbers are "weak" (PyTorch's type promotion): ``int8_tensor + 1000`` stays
    int8 (the number wraps around), ``int_tensor * 2.5`` becomes float32.
    Anything that is not a number gives ``NotImplemented``.
    """
    if isinstance(value, Tensor):
        return value
    if not _is_number(value):
        return NotImplemented
    return _scalar(value, _dtype.result_type_of([other], [value]), other)


def _scalar(value, dt, like):
    """A 0-dim tensor of dtype ``dt`` holding the number ``value``, on ``like``'s device."""
    if not dt.is_floating_point and dt is not _dtype.bool and not isinstance(value, float):
        value = _wrap_int(int(value), dt)
    with quiet_fp():
        return scalar_like(value, dt, like)


def _operands(a, b, name="op"):
    """Both operands as tensors (a Python number on either side takes the other's device)."""
    if not isinstance(a, Tensor):
        if not isinstance(b, Tensor) or not _is_number(a):
            _type_error(name, "input", 1, a)
        a = as_operand(a, b)
    elif not isinstance(b, Tensor):
        if not _is_number(b):
            _type_error(name, "other", 2, b)
        b = as_operand(b, a)
    return a, b


def _binary(fn_cls, a, b, name="op", **kw):
    a, b = _operands(a, b, name)
    return fn_cls.apply(a, b, **kw)


def _named(out, name):
    """Give ``out``'s graph node PyTorch's name when it depends on the arguments."""
    if out.grad_fn is not None:
        out.grad_fn.grad_fn_name = name
    return out


def _type_error(fn, arg, pos, value):
    raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(value).__name__}")


def _need_tensor(fn, arg, pos, value):
    if not isinstance(value, Tensor):
        _type_error(fn, arg, pos, value)


def _refuse(op, dt):
    """PyTorch's NotImplementedError for an op that has no kernel for ``dt``."""
    _errors.fail("not_implemented", op=op, dtype=_dtype.SHORT_NAMES[dt])


def _float_input(x):
    """Integer and bool inputs of float functions (exp, log, ...) compute in the default float dtype."""
    return x if x.dtype.is_floating_point else x.to(_dtype.get_default_dtype())


def _is_float(ctx, arr):
    return ctx.backend.from_dtype[arr.dtype].is_floating_point


def _check_int_divisor(ctx, b):
    """Integer division by zero has no answer: PyTorch raises (floats give inf/nan)."""
    if not _is_float(ctx, b) and bool(ctx.xp.any(b == 0)):
        _errors.fail("zero_div")


# --- arithmetic -----------------------------------------------------------------

class Add(Pointwise):
    """z = a + alpha * b.   dz/da = 1,  dz/db = alpha."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        if a.dtype == ctx.xp.bool:  # bool + bool is "or" in PyTorch
            return ctx.xp.logical_or(a, b) if alpha else a
        return a + b if alpha == 1 else a + alpha * b

    @staticmethod
    def backward(ctx, grad):
        return grad, (grad if ctx.alpha == 1 else grad * ctx.alpha)


class Sub(Pointwise):
    """z = a - alpha * b.   dz/da = 1,  dz/db = -alpha."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        return a - b if alpha == 1 else a - alpha * b

    @staticmethod
    def backward(ctx, grad):
        return grad, (-grad if ctx.alpha == 1 else grad * -ctx.alpha)


class Rsub(Pointwise):
    """z = b - alpha * a (``number - tensor``, ``torch.rsub``).   dz/da = -alpha,  dz/db = 1."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        return b - a if alpha == 1 else b - alpha * a

    @staticmethod
    def backward(ctx, grad):
        return (-grad if ctx.alpha == 1 else grad * -ctx.alpha), grad


class Mul(Pointwise):
    """z = a * b (the Hadamard product, 阿达玛积).   dz/da = b,  dz/db = a."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)  # only what backward uses
        if a.dtype == ctx.xp.bool:  # bool * bool is "and" in PyTorch
            return ctx.xp.logical_and(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        dt = grad.dtype
        if not grad_mode.state.enabled and (a is None or a.dtype is dt) and (b is None or b.dtype is dt):
            g = grad._data  # plain backward (no graph to record), no dtype to promote: on arrays
            return (ctx.tensor(g * b._data) if b is not None else None,
                    ctx.tensor(g * a._data) if a is not None else None)
        return (grad * b if b is not None else None), (grad * a if a is not None else None)


class Div(Pointwise):
    """z = a / b.   dz/da = 1/b,  dz/db = -a/b^2."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad / b, (-grad * a / (b * b) if a is not None else None)


class DivRounded(Pointwise):
    """z = a / b rounded toward zero ('trunc') or down ('floor').   dz/da = dz/db = 0."""
    promote = True
    grad_fn_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, rounding_mode="trunc"):
        xp = ctx.xp
        _check_int_divisor(ctx, b)
        if rounding_mode == "floor":
            return a // b                     # Python's floor division, also for floats
        if _is_float(ctx, a):
            return xp.trunc(a / b)
        q = a // b                            # integers: floor, then step back toward zero
        return xp.where((q < 0) & (q * b != a), q + 1, q)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_of(grad), zeros_like_of(grad)


class FloorDivide(Pointwise):
    """z = floor(a / b).  PyTorch defines no derivative for it: backward raises."""
    promote = True
    grad_fn_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        _check_int_divisor(ctx, b)
        return a // b

    @staticmethod
    def backward(ctx, grad):
        _errors.fail("no_derivative", op="floor_divide")


class Remainder(Pointwise):
    """z = a - b * floor(a / b) (sign of b, like Python's %).   dz/da = 1,  dz/db = -floor(a / b)."""
    promote = True
    grad_fn_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        _check_int_divisor(ctx, b)
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[1] else None)
        if not _is_float(ctx, a):
            return xp.remainder(a, b)
        r = _fmod(xp, a, b)  # PyTorch's way (keeps -0.0): fmod, then move into b's sign
        return xp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad, (-grad * div(a, b, rounding_mode="floor") if a is not None else None)


class RemainderOfNumber(Remainder):
    """``number % tensor``: PyTorch defines no derivative for it: backward raises."""
    grad_fn_name = "torch::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        _errors.fail("no_derivative", op="remainder")


def _fmod(xp, a, b):
    """C's fmod for floats.  The standard has none; for |a| and |b| it equals the remainder, then a gives the sign."""
    return xp.copysign(xp.remainder(xp.abs(a), xp.abs(b)), a)


class Fmod(Pointwise):
    """z = a - b * trunc(a / b) (sign of a, like C's fmod).   dz/da = 1,  dz/db = -trunc(a / b)."""
    promote = True
    grad_fn_name = "FmodBackward1"

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        _check_int_divisor(ctx, b)
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[1] else None)
        if _is_float(ctx, a):
            return _fmod(xp, a, b)
        r = xp.remainder(xp.abs(a), xp.abs(b))
        return xp.where(a < 0, -r, r)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad, (-grad * div(a, b, rounding_mode="trunc") if a is not None else None)


class Neg(Pointwise):
    """z = -x.   dz/dx = -1."""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Pointwise):
    """z = x ** p for a number p.   dz/dx = p * x^(p-1)  (0 when p = 0)."""

    @staticmethod
    def forward(ctx, x, exponent=1.0):
        ctx.save_for_backward(x)
        ctx.p = exponent
        return x ** exponent

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return zeros_like_of(grad)
        if not grad_mode.state.enabled:  # plain backward (no graph to record): the same on arrays
            return ctx.tensor(grad._data * (p * x._data ** (p - 1)))
        return grad * (p * x ** (p - 1))


class PowTensor(Pointwise):
    """z = a ** b, both tensors.   dz/da = b * a^(b-1),  dz/db = a^b * ln(a)  (0 where a = 0 and b >= 0)."""
    promote = True
    grad_fn_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        if _is_float(ctx, a):
            z = a ** b
        else:  # integers: NumPy refuses negative exponents; PyTorch gives 1, -1 or 0 (1/a rounded toward 0)
            neg = b < 0
            z = a ** xp.where(neg, xp.zeros_like(b), b)
            if xp.any(neg):
                one, zero = xp.ones_like(z), xp.zeros_like(z)
                sign = xp.where(b % 2 != 0, -one, one)     # (-1) ** b
                small = xp.where(a == 1, one, xp.where(a == -1, sign, zero))
                z = xp.where(neg, small, z)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, b, z = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = where(b == 0, 0.0, grad * (b * a ** (b - 1)))
        if ctx.needs_input_grad[1]:
            gb = grad * where((a == 0) & (b >= 0), 0.0, z * a.log())
        return ga, gb


def _check_alpha(alpha, dt):
    if isinstance(alpha, bool) or (isinstance(alpha, Tensor) and alpha.dtype is _dtype.bool):
        if dt is not _dtype.bool:
            _errors.fail("alpha_bool")
    elif isinstance(alpha, float) and not dt.is_floating_point:
        _errors.fail("alpha_float")


def _is_bool(v):
    return v.dtype is _dtype.bool if isinstance(v, Tensor) else isinstance(v, bool)


def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, broadcasting."""
    input, other = _operands(input, other, "add")
    if alpha != 1 or isinstance(alpha, bool):
        _check_alpha(alpha, _dtype.result_type_of([input, other]))
        return Add.apply(input, other, alpha=alpha)
    return Add.apply(input, other)


def _check_bool_sub(a, b):
    if _is_bool(a) and _is_bool(b):
        _errors.fail("bool_sub")
    if _is_bool(a) or _is_bool(b):
        _errors.fail("bool_sub_one")


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other, broadcasting."""
    _check_bool_sub(input, other)
    input, other = _operands(input, other, "sub")
    if alpha != 1 or isinstance(alpha, bool):
        _check_alpha(alpha, _dtype.result_type_of([input, other]))
        return Sub.apply(input, other, alpha=alpha)
    return Sub.apply(input, other)


subtract = sub


def rsub(input, other, *, alpha=1):
    """other - alpha * input (``2 - x`` calls it)."""
    _check_bool_sub(input, other)
    scalar = not isinstance(other, Tensor)
    input, other = _operands(input, other, "rsub")
    if alpha != 1 or isinstance(alpha, bool):
        _check_alpha(alpha, _dtype.result_type_of([input, other]))
    out = Rsub.apply(input, other, alpha=alpha) if alpha != 1 else Rsub.apply(input, other)
    return _named(out, "RsubBackward1" if scalar else "RsubBackward0")


def mul(input, other, *, out=None):
    """Element-wise product (not matrix multiplication: that is ``matmul`` / ``@``)."""
    return _binary(Mul, input, other, "mul")


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """input / other.  ``rounding_mode``: None (true division), 'trunc' or 'floor'."""
    if rounding_mode not in (None, "trunc", "floor"):
        _errors.fail("div_mode", mode=rounding_mode)
    input, other = _operands(input, other, "div")
    if rounding_mode is not None:
        if _dtype.result_type_of([input, other]) is _dtype.bool:
            _refuse("div_floor_cpu" if rounding_mode == "floor" else "div_trunc_cpu", _dtype.bool)
        return DivRounded.apply(input, other, rounding_mode=rounding_mode)
    if not _dtype.result_type_of([input, other]).is_floating_point:  # int / int gives a float
        input, other = _float_input(input), _float_input(other)
    return Div.apply(input, other)


divide = true_divide = div


def floor_divide(input, other, *, out=None):
    """floor(input / other), rounding down like Python's ``//``."""
    input, other = _operands(input, other, "floor_divide")
    if _dtype.result_type_of([input, other]) is _dtype.bool:
        _refuse("div_floor_cpu", _dtype.bool)
    return FloorDivide.apply(input, other)


def remainder(input, other, *, out=None):
    """input - other * floor(input / other): the result has the sign of ``other`` (Python's ``%``)."""
    number_first = not isinstance(input, Tensor)
    scalar = not isinstance(other, Tensor)
    input, other = _operands(input, other, "remainder")
    if _dtype.result_type_of([input, other]) is _dtype.bool:
        _refuse("remainder_cpu", _dtype.bool)
    if number_first:
        return RemainderOfNumber.apply(input, other)
    out = Remainder.apply(input, other)
    return _named(out, "RemainderBackward0") if scalar else out


def fmod(input, other, *, out=None):
    """input - other * trunc(input / other): the result has the sign of ``input`` (C's fmod)."""
    _need_tensor("fmod", "input", 1, input)
    scalar = not isinstance(other, Tensor)
    input, other = _operands(input, other, "fmod")
    if _dtype.result_type_of([input, other]) is _dtype.bool:
        _refuse("fmod_cpu", _dtype.bool)
    out = Fmod.apply(input, other)
    return _named(out, "FmodBackward0") if scalar else out


def neg(input, *, out=None):
    """-input."""
    if input.dtype is _dtype.bool:
        _errors.fail("bool_neg")
    return Neg.apply(input)


negative = neg


def positive(input):
    """+input: the tensor itself."""
    return input


def pow(input, exponent, *, out=None):
    """input ** exponent (either may be a tensor or a number)."""
    if not isinstance(input, Tensor):                      # number ** tensor
        base, exponent = _operands(input, exponent, "pow")
        if base.dtype is _dtype.bool and exponent.dtype is _dtype.bool:
            _refuse("pow", _dtype.bool)
        return _named(PowTensor.apply(base, exponent), "PowBackward2")
    if isinstance(exponent, Tensor):                       # tensor ** tensor
        if _dtype.result_type_of([input, exponent]) is _dtype.bool:
            _refuse("pow", _dtype.bool)
        return PowTensor.apply(input, exponent)
    if not _is_number(exponent):
        raise TypeError(f"pow(): argument 'exponent' must be Number or Tensor, not {type(exponent).__name__}")
    dt = _dtype.result_type_of([input], [exponent])       # tensor ** number
    if dt is _dtype.bool:                                  # bool ** True = itself, bool ** False = all True
        return Pow.apply(input.to(_dtype.uint8), exponent=int(exponent)).to(_dtype.bool)
    if not dt.is_floating_point and exponent < 0:
        _errors.fail("int_neg_pow")
    if input.dtype is not dt:
        input = input.to(dt)
    return Pow.apply(input, exponent=exponent)


def square(input, *, out=None):
    """input ** 2 (PowBackward0 in the graph, as in PyTorch)."""
    return pow(input, 2)


# --- math functions ------------------------------------------------------------------
# Each takes one tensor; integer and bool inputs compute in the default float dtype.

class Exp(Pointwise):
    """y = e^x.   dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.state.enabled:  # plain backward (no graph to record): the same on arrays
            return ctx.tensor(grad._data * y._data)
        return grad * y


class Expm1(Pointwise):
    """y = e^x - 1 (accurate for small x).   dy/dx = e^x = y + 1."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y + 1)


class Log(Pointwise):
    """y = ln x.   dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.log(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Log2(Pointwise):
    """y = log2 x.   dy/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.log2(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * math.log(2.0))


class Log10(Pointwise):
    """y = log10 x.   dy/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.log10(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * math.log(10.0))


class Log1p(Pointwise):
    """y = ln(1 + x) (accurate for small x).   dy/dx = 1 / (1 + x)."""
    grad_fn_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.log1p(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x + 1)


class Sqrt(Pointwise):
    """y = sqrt(x).   dy/dx = 1 / (2 sqrt(x))."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad / (2 * y)


class Rsqrt(Pointwise):
    """y = 1 / sqrt(x).   dy/dx = -y^3 / 2."""

    @staticmethod
    def forward(ctx, x):
        y = 1 / ctx.xp.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y * y * y) * -0.5


class Reciprocal(Pointwise):
    """y = 1 / x.   dy/dx = -1/x^2 = -y^2."""

    @staticmethod
    def forward(ctx, x):
        y = 1 / x
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return -grad * (y * y)


class Sin(Pointwise):
    """y = sin x.   dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.sin(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.cos()


class Cos(Pointwise):
    """y = cos x.   dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.cos(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -x.sin()


class Tan(Pointwise):
    """y = tan x.   dy/dx = 1 + tan^2 x = 1 + y^2."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y * y + 1)


class Tanh(Pointwise):
    """y = tanh x.   dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.state.enabled:  # plain backward (no graph to record): the same on arrays
            return ctx.tensor(grad._data * (1 - y._data * y._data))
        return grad * (1 - y * y)


class Sigmoid(Pointwise):
    """y = 1 / (1 + e^-x).   dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        # Stable for large |x|: never exponentiate a large positive number.
        e = xp.exp(-xp.abs(x))
        y = xp.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.state.enabled:  # plain backward (no graph to record): the same on arrays
            return ctx.tensor(grad._data * ((1 - y._data) * y._data))
        return grad * ((1 - y) * y)


class Relu(Pointwise):
    """y = max(x, 0) (NaN stays NaN).   dy/dx = 1 where y > 0 (or NaN), else 0 (also at 0)."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.backend.zero_where(x < 0, x)   # = xp.where(x < 0, 0, x), without branches on cpu
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if not grad_mode.state.enabled:  # plain backward: one array op instead of two recorded ones
            return ctx.tensor(ctx.backend.zero_where(y._data <= 0, grad._data))
        return where(y <= 0, 0.0, grad)    # a select, not a product: inf * 0 would give nan


class Abs(Pointwise):
    """y = |x|.   dy/dx = sign(x) (0 at 0)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.sign()


class Erf(Pointwise):
    """y = erf x = 2/sqrt(pi) * integral of e^(-t^2) from 0 to x.   dy/dx = 2/sqrt(pi) * e^(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _erf(ctx.xp, x, ctx.backend)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * ((-(x * x)).exp() * (2 / math.sqrt(math.pi)))


def _erf(xp, x, backend):
    """erf with only standard functions (the Array API has no erf), computed in float64.

    |x| < 3: the series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)),
    whose terms are all positive (no cancellation).
    |x| >= 3: the continued fraction erfc(x) = e^(-x^2) / sqrt(pi) / (x + 1/2 / (x + 1 / (x + 3/2 / ...))).
    """
    f64 = backend.dtypes[_dtype.float64]
    a = xp.abs(xp.astype(x, f64))
    small = xp.minimum(a, 3.0 * xp.ones_like(a))
    term, total = small, small
    for n in range(1, 80):
        term = term * (2 * small * small) / (2 * n + 1)
        total = total + term
    series = total * xp.exp(-small * small) * (2 / math.sqrt(math.pi))
    big = xp.maximum(a, 3.0 * xp.ones_like(a))
    frac = big
    for k in range(60, 0, -1):
        frac = big + (k / 2) / frac
    tail = 1 - xp.exp(-big * big) / (math.sqrt(math.pi) * frac)
    y = xp.where(a < 3, series, tail)
    y = xp.where(xp.isnan(a), a, y)
    return xp.astype(xp.copysign(y, xp.astype(x, f64)), x.dtype)


def _unary_float(op_cls, name):
    def fn(input, *, out=None):
        return op_cls.apply(_float_input(input))
    fn.__name__ = name
    fn.__doc__ = op_cls.__doc__
    return fn


exp = _unary_float(Exp, "exp")
expm1 = _unary_float(Expm1, "expm1")
log = _unary_float(Log, "log")
log2 = _unary_float(Log2, "log2")
log10 = _unary_float(Log10, "log10")
log1p = _unary_float(Log1p, "log1p")
sqrt = _unary_float(Sqrt, "sqrt")
rsqrt = _unary_float(Rsqrt, "rsqrt")
reciprocal = _unary_float(Reciprocal, "reciprocal")
sin = _unary_float(Sin, "sin")
cos = _unary_float(Cos, "cos")
tan = _unary_float(Tan, "tan")
tanh = _unary_float(Tanh, "tanh")
sigmoid = _unary_float(Sigmoid, "sigmoid")
erf = _unary_float(Erf, "erf")


def relu(input, inplace=False):
    """max(input, 0), element-wise (integers stay integers)."""
    if input.dtype is _dtype.bool:
        _errors.fail("relu_bool")
    return Relu.apply(input) if not inplace else relu_(input)


def abs(input, *, out=None):
    """|input|."""
    if input.dtype is _dtype.bool:
        _refuse("abs_cpu", _dtype.bool)
    return Abs.apply(input)


absolute = abs


# --- more math functions: hyperbolic (双曲函数), inverse trigonometric (反三角函数), exp2, sinc, angles ---

class Sinh(Pointwise):
    """y = sinh x.   dy/dx = cosh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.cosh()


class Cosh(Pointwise):
    """y = cosh x.   dy/dx = sinh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.sinh()


class Asinh(Pointwise):
    """y = asinh x.   dy/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.asinh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (x * x + 1).rsqrt()


class Acosh(Pointwise):
    """y = acosh x (x >= 1).   dy/dx = 1 / sqrt(x^2 - 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.acosh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (x * x - 1).rsqrt()


class Atanh(Pointwise):
    """y = atanh x (|x| < 1).   dy/dx = 1 / (1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.atanh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (1 - x * x)


class Asin(Pointwise):
    """y = asin x (|x| <= 1).   dy/dx = 1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.asin(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (1 - x * x).rsqrt()


class Acos(Pointwise):
    """y = acos x (|x| <= 1).   dy/dx = -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.acos(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -(1 - x * x).rsqrt()


class Atan(Pointwise):
    """y = atan x.   dy/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.atan(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * x + 1)


class Exp2(Pointwise):
    """y = 2^x.   dy/dx = 2^x ln 2 = y ln 2."""

    @staticmethod
    def forward(ctx, x):
        y = 2.0 ** x
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y * math.log(2.0)


class Sinc(Pointwise):
    """y = sin(pi x) / (pi x), 1 at x = 0.   dy/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        ctx.save_for_backward(x)
        px = x * math.pi
        return xp.where(x == 0, xp.ones_like(x), xp.sin(px) / px)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        px, pxx = x * math.pi, x * x * math.pi
        return where(pxx == 0, 0.0, grad * (px * px.cos() - px.sin()) / pxx)


class Deg2Rad(Pointwise):
    """y = x * pi / 180 (degrees to radians).   dy/dx = pi / 180."""

    @staticmethod
    def forward(ctx, x):
        return x * (math.pi / 180)

    @staticmethod
    def backward(ctx, grad):
        return grad * (math.pi / 180)


class Rad2Deg(Pointwise):
    """y = x * 180 / pi (radians to degrees).   dy/dx = 180 / pi."""

    @staticmethod
    def forward(ctx, x):
        return x * (180 / math.pi)

    @staticmethod
    def backward(ctx, grad):
        return grad * (180 / math.pi)


class NanToNum(Pointwise):
    """y = x, with NaN, +inf and -inf replaced by numbers.   dy/dx = 1 where x is finite, else 0."""

    @staticmethod
    def forward(ctx, x, nan=0.0, posinf=0.0, neginf=0.0):
        xp = ctx.xp
        if not _is_float(ctx, x):  # integers have no NaN or inf
            return xp.asarray(x, copy=True)
        ctx.save_for_backward(x)
        y = xp.where(xp.isnan(x), xp.full_like(x, nan), x)
        y = xp.where(x == math.inf, xp.full_like(x, posinf), y)
        return xp.where(x == -math.inf, xp.full_like(x, neginf), y)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.isfinite()


sinh = _unary_float(Sinh, "sinh")
cosh = _unary_float(Cosh, "cosh")
asinh = arcsinh = _unary_float(Asinh, "asinh")
acosh = arccosh = _unary_float(Acosh, "acosh")
atanh = arctanh = _unary_float(Atanh, "atanh")
asin = arcsin = _unary_float(Asin, "asin")
acos = arccos = _unary_float(Acos, "acos")
atan = arctan = _unary_float(Atan, "atan")
exp2 = _unary_float(Exp2, "exp2")
sinc = _unary_float(Sinc, "sinc")
deg2rad = _unary_float(Deg2Rad, "deg2rad")
rad2deg = _unary_float(Rad2Deg, "rad2deg")


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace NaN by ``nan``, +inf by ``posinf``, -inf by ``neginf`` (default: the dtype's largest / lowest)."""
    if not input.dtype.is_floating_point:
        return NanToNum.apply(input)
    info = _dtype.finfo(input.dtype)
    return NanToNum.apply(input, nan=nan, posinf=info.max if posinf is None else posinf,
                          neginf=info.min if neginf is None else neginf)


class Classify(Pointwise):
    """z = a bool test of each element: 'signbit' (sign bit set, also -0.0), 'posinf', 'neginf', 'real'.
    Not differentiable."""

    @staticmethod
    def forward(ctx, x, test="real"):
        xp = ctx.xp
        if test == "real" or x.dtype == xp.bool:   # real dtypes only here; bools are never negative or inf
            return xp.full(x.shape, test == "real", dtype=xp.bool, device=ctx.backend.device)
        if test == "signbit":
            return xp.signbit(x) if _is_float(ctx, x) else x < 0
        if not _is_float(ctx, x):
            return xp.zeros(x.shape, dtype=xp.bool, device=ctx.backend.device)
        return x == (math.inf if test == "posinf" else -math.inf)


def signbit(input, *, out=None):
    """True where the sign bit is set: negative numbers, -0.0 and -inf (and NaNs with a sign)."""
    return Classify.apply(input, test="signbit")


def isposinf(input, *, out=None):
    """True where the element is +inf."""
    return Classify.apply(input, test="posinf")


def isneginf(input, *, out=None):
    """True where the element is -inf."""
    return Classify.apply(input, test="neginf")


def isreal(input):
    """True where the element has no imaginary part (always, for real tensors)."""
    return Classify.apply(input, test="real")


class IsIn(Pointwise):
    """z = (each element of a appears in b), a bool tensor of a's shape.  Not differentiable."""

    @staticmethod
    def forward(ctx, a, b, invert=False):
        xp = ctx.xp
        candidates = xp.reshape(b, (1,) * a.ndim + (-1,))      # every test element, along a new last axis
        found = xp.any(xp.expand_dims(a, axis=-1) == candidates, axis=-1)
        return xp.logical_not(found) if invert else found


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """True where an element of ``elements`` is one of ``test_elements`` (tensors or numbers)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(f"isin() received an invalid combination of arguments - got ({type(elements).__name__}, "
                        f"{type(test_elements).__name__}), but expected one of:")
    elements, test_elements = _operands(elements, test_elements, "isin")
    for t in (elements, test_elements):
        if t.dtype is _dtype.bool:
            _errors.fail("isin_dtype", dtype=_dtype.SHORT_NAMES[t.dtype])
    dt = _dtype.result_type_of([elements, test_elements])
    return IsIn.apply(elements.to(dt), test_elements.to(dt), invert=invert)


# --- more binary math: atan2, hypot, logaddexp, xlogy, copysign, heaviside ------------

def _float_pair(a, b):
    """Two tensors whose promoted dtype is an integer (or bool) compute in the default float dtype."""
    if _dtype.result_type_of([a, b]).is_floating_point:
        return a, b
    return _float_input(a), _float_input(b)


class Atan2(Pointwise):
    """z = atan2(a, b), the angle of the point (b, a).   dz/da = b / (a^2 + b^2),  dz/db = -a / (a^2 + b^2)
    (both 0 at the origin, as in PyTorch)."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return ctx.xp.atan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        d = a * a + b * b
        r = where(d == 0, 0.0, d.reciprocal())
        return grad * b * r, grad * -a * r


class Hypot(Pointwise):
    """z = sqrt(a^2 + b^2).   dz/da = a / z,  dz/db = b / z."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        z = ctx.xp.hypot(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, b, z = ctx.saved_tensors
        return grad * a / z, grad * b / z


class Logaddexp(Pointwise):
    """z = ln(e^a + e^b) = max + ln(1 + e^-|a - b|).   dz/da = 1 / (1 + e^(b - a)),  dz/db = 1 / (1 + e^(a - b))."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        ctx.save_for_backward(a, b)
        z = xp.maximum(a, b) + xp.log1p(xp.exp(-xp.abs(a - b)))
        return xp.where(xp.isinf(a) & (a == b), a, z)       # inf - inf would give NaN

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad / ((b - a).exp() + 1), grad / ((a - b).exp() + 1)


class Logaddexp2(Pointwise):
    """z = log2(2^a + 2^b) = max + log2(1 + 2^-|a - b|).   dz/da = 1 / (1 + 2^(b - a)),  dz/db = 1 / (1 + 2^(a - b))."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        ctx.save_for_backward(a, b)
        z = xp.maximum(a, b) + xp.log1p(2.0 ** -xp.abs(a - b)) * (1 / math.log(2.0))
        return xp.where(xp.isinf(a) & (a == b), a, z)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad / (pow(2.0, b - a) + 1), grad / (pow(2.0, a - b) + 1)


class Xlogy(Pointwise):
    """z = a ln b, 0 where a = 0 (NaN where b is NaN).   dz/da = ln b (0 where a = 0 and b <= 0),  dz/db = a / b."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        ctx.save_for_backward(a, b)
        z = xp.where(a == 0, xp.zeros_like(a), a * xp.log(b))
        return xp.where(xp.isnan(b), b, z)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = where((a == 0) & (b <= 0), 0.0, xlogy(grad, b))   # PyTorch's rule: ln b also at a = 0 (if b > 0)
        return ga, grad * a / b


class Copysign(Pointwise):
    """z = |a| with the sign of b.   dz/da = z / a (+1 or -1; 0 where a = 0),  dz/db = 0."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        z = ctx.xp.copysign(a, b)
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, z = ctx.saved_tensors
        return grad * where(a == 0, 0.0, z / a), zeros_like_of(grad)


class Heaviside(Pointwise):
    """z = 0 where a < 0, b where a = 0, 1 where a > 0 (the step function).  PyTorch defines no derivative."""
    promote = True
    grad_fn_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        if a.dtype == xp.bool:     # False -> b, True -> True
            return xp.logical_or(a, b)
        return xp.where(a == 0, b, xp.astype(a > 0, a.dtype))

    @staticmethod
    def backward(ctx, grad):
        _errors.fail("no_derivative", op="heaviside")


def atan2(input, other, *, out=None):
    """The angle (radians, in [-pi, pi]) of the point (x=other, y=input): atan(input / other), right quadrant."""
    _need_tensor("atan2", "other", 2, other)
    return Atan2.apply(*_float_pair(input, other))


arctan2 = atan2


def _float_only(name, input, other):
    """hypot, logaddexp: PyTorch has kernels for floating-point results only."""
    _need_tensor(name, "other", 2, other)
    dt = _dtype.result_type_of([input, other])
    if not dt.is_floating_point:
        _refuse(name + "_cpu", dt)


def hypot(input, other, *, out=None):
    """sqrt(input^2 + other^2), the length of the hypotenuse, without overflow."""
    _float_only("hypot", input, other)
    return Hypot.apply(input, other)


def logaddexp(input, other, *, out=None):
    """ln(e^input + e^other), without overflow (adds probabilities kept as logarithms)."""
    _float_only("logaddexp", input, other)
    return Logaddexp.apply(input, other)


def logaddexp2(input, other, *, out=None):
    """log2(2^input + 2^other), without overflow."""
    _float_only("logaddexp2", input, other)
    return Logaddexp2.apply(input, other)


def xlogy(input, other, *, out=None):
    """input * ln(other), but 0 where input is 0 (so 0 * ln 0 = 0, as in entropy formulas)."""
    number_a, number_b = not isinstance(input, Tensor), not isinstance(other, Tensor)
    input, other = _float_pair(*_operands(input, other, "xlogy"))
    if number_b:
        return _named(Xlogy.apply(input, other), "XlogyBackward2")
    out = Xlogy.apply(input, other)
    return _named(out, "XlogyBackward1") if number_a else out


def copysign(input, other, *, out=None):
    """|input| with the sign of ``other`` (a tensor or a number; -0.0 counts as negative)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"copysign() received an invalid combination of arguments - got ({type(input).__name__}, "
                        f"{type(other).__name__}), but expected one of:")
    scalar = not isinstance(other, Tensor)
    out = Copysign.apply(*_float_pair(*_operands(input, other, "copysign")))
    return _named(out, "CopysignBackward1") if scalar else out


def heaviside(input, values, *, out=None):
    """The step function: 0 where input < 0, ``values`` where input == 0, 1 where input > 0."""
    _need_tensor("heaviside", "values", 2, values)
    if input.dtype is not values.dtype:
        _errors.fail("heaviside_dtype")
    return Heaviside.apply(input, values)


# --- rounding and sign: piecewise constant, so their derivative is 0 -----------------

class Sign(Pointwise):
    """y = -1, 0 or 1 by the sign of x (0 for NaN, as PyTorch).   dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        if x.dtype == xp.bool:
            return xp.asarray(x, copy=True)
        return xp.astype(x > 0, x.dtype) - xp.astype(x < 0, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_of(grad)


def _rounding(name, xp_name, doc):
    class Rounding(Pointwise):
        @staticmethod
        def forward(ctx, x):
            if not _is_float(ctx, x):  # integers are already whole numbers
                return ctx.xp.asarray(x, copy=True)
            return getattr(ctx.xp, xp_name)(x)

        @staticmethod
        def backward(ctx, grad):
            return zeros_like_of(grad)
    Rounding.__name__ = Rounding.__qualname__ = name
    Rounding.__doc__ = doc
    return Rounding


Floor = _rounding("Floor", "floor", "y = the largest whole number <= x.   dy/dx = 0.")
Ceil = _rounding("Ceil", "ceil", "y = the smallest whole number >= x.   dy/dx = 0.")
Trunc = _rounding("Trunc", "trunc", "y = x with its fractional part dropped (toward 0).   dy/dx = 0.")


class Round(Pointwise):
    """y = x rounded to ``decimals`` places, halves to even (2.5 -> 2).   dy/dx = 0."""

    @staticmethod
    def forward(ctx, x, decimals=0):
        xp = ctx.xp
        if not _is_float(ctx, x):
            return xp.asarray(x, copy=True)
        if decimals == 0:
            return xp.round(x)
        scale = 10.0 ** builtins.abs(decimals)
        return xp.round(x * scale) / scale if decimals > 0 else xp.round(x / scale) * scale

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_of(grad)


class Frac(Pointwise):
    """y = x - trunc(x), the fractional part.   dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x - ctx.xp.trunc(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element."""
    return Sign.apply(input)


def _no_bool(op_cls, kernel):
    def fn(input, *, out=None):
        if input.dtype is _dtype.bool:
            _refuse(kernel, _dtype.bool)
        return op_cls.apply(input)
    fn.__doc__ = op_cls.__doc__
    return fn


floor = _no_bool(Floor, "floor_vml_cpu")
ceil = _no_bool(Ceil, "ceil_vml_cpu")
trunc = _no_bool(Trunc, "trunc_vml_cpu")
floor.__name__, ceil.__name__, trunc.__name__ = "floor", "ceil", "trunc"
fix = trunc


def round(input, *, decimals=0, out=None):
    """Round to the nearest whole number (or to ``decimals`` places); halves go to the even number."""
    if decimals != 0:
        if not input.dtype.is_floating_point:
            _refuse("round_cpu", input.dtype)
        return _named(Round.apply(input, decimals=decimals), "RoundBackward1")
    if input.dtype is _dtype.bool:
        _refuse("round_vml_cpu", _dtype.bool)
    return Round.apply(input)


def frac(input, *, out=None):
    """input - trunc(input)."""
    if not input.dtype.is_floating_point:
        _refuse("frac_cpu", input.dtype)
    return Frac.apply(input)


# --- clamp, maximum / minimum, where, lerp ---------------------------------------------

class Clamp(Pointwise):
    """y = min(max(x, lo), hi).   dy/dx = 1 where lo <= x <= hi, else 0;  dy/dlo = 1 where x < lo;  dy/dhi = 1 where x > hi."""
    promote = True
    grad_fn_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        xp = ctx.xp
        ctx.save_for_backward(x, lo, hi)
        y = x
        if lo is not None:
            y = xp.maximum(y, lo)
        if hi is not None:
            y = xp.minimum(y, hi)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = ctx.saved_tensors
        _, need_lo, need_hi = ctx.needs_input_grad
        g_lo = g_hi = None
        if lo is not None and hi is not None:
            g_x = where((x >= lo) & (x <= hi), grad, 0.0)
            if need_lo:
                g_lo = where((x < lo) & (lo < hi), grad, 0.0)
            if need_hi:
                g_hi = where((x > hi) | (hi < lo), grad, 0.0)  # lo > hi: the result is hi everywhere
        elif lo is not None:
            g_x = where(x >= lo, grad, 0.0)
            g_lo = where(x < lo, grad, 0.0) if need_lo else None
        else:
            g_x = where(x <= hi, grad, 0.0)
            g_hi = where(x > hi, grad, 0.0) if need_hi else None
        return g_x, g_lo, g_hi


def _clamp(input, min, max, fn):
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not all(v is None or isinstance(v, Tensor) for v in (min, max)):
            raise TypeError(f"{fn}() received an invalid combination of arguments - got (Tensor, "
                            f"min={type(min).__name__}, max={type(max).__name__})")
        return Clamp.apply(input, min, max), True
    numbers = [v for v in (min, max) if v is not None]
    dt = _dtype.result_type_of([input], numbers)
    lo = _scalar(min, dt, input) if min is not None else None
    hi = _scalar(max, dt, input) if max is not None else None
    return Clamp.apply(input, lo, hi), False


def clamp(input, min=None, max=None, *, out=None):
    """Limit every element to [min, max] (numbers or tensors; either may be None, not both)."""
    if min is None and max is None:
        _errors.fail("clamp_none")
    out, tensors = _clamp(input, min, max, "clamp")
    return out if tensors else _named(out, "ClampBackward1")


clip = clamp


def clamp_min(input, min):
    """max(input, min), element-wise."""
    if min is None:
        raise TypeError("clamp_min(): argument 'min' must be Number or Tensor, not NoneType")
    out, tensors = _clamp(input, min, None, "clamp_min")
    return _named(out, "ClampMinBackward1" if tensors else "ClampMinBackward0")


def clamp_max(input, max):
    """min(input, max), element-wise."""
    if max is None:
        raise TypeError("clamp_max(): argument 'max' must be Number or Tensor, not NoneType")
    out, tensors = _clamp(input, None, max, "clamp_max")
    return _named(out, "ClampMaxBackward1" if tensors else "ClampMaxBackward0")


class Maximum(Pointwise):
    """z = max(a, b) (NaN wins).   dz/da = 1 where a > b, 1/2 where a = b, else 0 (and the same for b)."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        if a.dtype == ctx.xp.bool:
            return ctx.xp.logical_or(a, b)
        return ctx.xp.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = where(a == b, grad / 2, grad)  # a tie splits the gradient
        return where(a < b, 0.0, shared), where(a > b, 0.0, shared)


class Minimum(Pointwise):
    """z = min(a, b) (NaN wins).   dz/da = 1 where a < b, 1/2 where a = b, else 0 (and the same for b)."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        if a.dtype == ctx.xp.bool:
            return ctx.xp.logical_and(a, b)
        return ctx.xp.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = where(a == b, grad / 2, grad)
        return where(a > b, 0.0, shared), where(a < b, 0.0, shared)


def maximum(input, other, *, out=None):
    """The larger of the two at each position (broadcasting); NaN if either is NaN."""
    _need_tensor("maximum", "other", 2, other)
    return Maximum.apply(input, other)


def minimum(input, other, *, out=None):
    """The smaller of the two at each position (broadcasting); NaN if either is NaN."""
    _need_tensor("minimum", "other", 2, other)
    return Minimum.apply(input, other)


class Where(Pointwise):
    """z = x where cond else y.   dz/dx = 1 where cond, dz/dy = 1 elsewhere (cond gets no gradient)."""

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.save_for_backward(cond)
        return ctx.xp.where(cond, x, y)

    @staticmethod
    def backward(ctx, grad):
        cond, = ctx.saved_tensors
        return None, where(cond, grad, 0.0), where(cond, 0.0, grad)


def where(condition, input=None, other=None, *, out=None):
    """``where(cond, x, y)``: x where cond is True, else y (x, y tensors or numbers; broadcasting).

    ``where(cond)`` alone is ``nonzero(cond, as_tuple=True)``: one index tensor per dimension.
    """
    if input is None and other is None:
        return _nonzero_tuple(condition)
    if input is None or other is None:
        raise TypeError("where() received an invalid combination of arguments - got (Tensor, Tensor), "
                        "but expected one of:")
    if condition.dtype is _dtype.uint8:
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and will be removed in "
                      "a future version of PyTorch. Use a boolean condition instead.", UserWarning, stacklevel=2)
        condition = condition.to(_dtype.bool)
    if condition.dtype is not _dtype.bool:
        _errors.fail("where_cond", dtype=_dtype.SHORT_NAMES[condition.dtype])
    tensors = [v for v in (input, other) if isinstance(v, Tensor)]
    numbers = [v for v in (input, other) if not isinstance(v, Tensor)]
    dt = _dtype.result_type_of(tensors, numbers)
    like = tensors[0] if tensors else condition
    x, y = (v.to(dt) if isinstance(v, Tensor) else _scalar(v, dt, like) for v in (input, other))
    shapes = [condition.shape, x.shape, y.shape]
    if any(s != shapes[0] for s in shapes):
        from .._shape import broadcast_shapes
        broadcast_shapes(*shapes)
    return Where.apply(condition, x, y)


def _nonzero_tuple(condition):
    b = condition._backend
    data = condition._data
    if condition.ndim == 0:
        data = b.xp.reshape(data, (1,))
    idx = b.xp.nonzero(data)
    i64 = b.dtypes[_dtype.int64]
    return tuple(Tensor._make(b.xp.astype(i, i64), _dtype.int64, b) for i in idx)


def _tensor_where(self, condition, y):
    """``x.where(cond, y)`` is ``torch.where(cond, x, y)``."""
    return where(condition, self, y)


class Lerp(Pointwise):
    """z = a + w (b - a).   dz/da = 1 - w,  dz/db = w,  dz/dw = b - a."""
    promote = True
    grad_fn_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w):
        xp = ctx.xp
        ctx.save_for_backward(a if ctx.needs_input_grad[2] else None,
                              b if ctx.needs_input_grad[2] else None, w)
        d = b - a
        # PyTorch's formula: exact at w = 0 and at w = 1
        return xp.where(xp.abs(w) < 0.5, a + w * d, b - d * (1 - w))

    @staticmethod
    def backward(ctx, grad):
        a, b, w = ctx.saved_tensors
        return grad * (1 - w), grad * w, (grad * (b - a) if a is not None else None)


class LerpScalar(Pointwise):
    """z = a + w (b - a) for a number w.   dz/da = 1 - w,  dz/db = w."""
    promote = True
    grad_fn_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, a, b, weight=0.5):
        ctx.w = weight
        d = b - a
        return a + weight * d if builtins.abs(weight) < 0.5 else b - d * (1 - weight)

    @staticmethod
    def backward(ctx, grad):
        return grad * (1 - ctx.w), grad * ctx.w


_C_NAMES = {_dtype.float16: "c10::Half", _dtype.float32: "float", _dtype.float64: "double",
            _dtype.uint8: "unsigned char", _dtype.int8: "signed char", _dtype.int16: "short int",
            _dtype.int32: "int", _dtype.int64: "long int", _dtype.bool: "bool"}


def lerp(input, end, weight, *, out=None):
    """Linear interpolation input + weight * (end - input) (weight: a number or a tensor)."""
    _need_tensor("lerp", "end", 2, end)
    if end.dtype is not input.dtype:
        _errors.fail("lerp_dtype", want=_C_NAMES[input.dtype], arg="end", got=_C_NAMES[end.dtype])
    if isinstance(weight, Tensor):
        if weight.ndim and weight.dtype is not input.dtype:
            _errors.fail("lerp_dtype", want=_C_NAMES[input.dtype], arg="weight", got=_C_NAMES[weight.dtype])
        if not input.dtype.is_floating_point:
            _refuse("lerp_kernel_tensor", input.dtype)
        return Lerp.apply(input, end, weight.to(input.dtype))
    if not input.dtype.is_floating_point:
        _refuse("lerp_kernel_scalar", input.dtype)
    return LerpScalar.apply(input, end, weight=weight)


# --- comparisons (results are bool tensors: no gradient flows through them) --------------

class Compare(Pointwise):
    """z = (a <op> b) element-wise, a bool tensor.  Not differentiable."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, op="eq"):
        if op == "eq":
            return a == b
        if op == "ne":
            return a != b
        if a.dtype == ctx.xp.bool:  # the standard orders numbers only: False < True as 0 < 1
            a, b = ctx.xp.astype(a, ctx.xp.int8), ctx.xp.astype(b, ctx.xp.int8)
        if op == "lt":
            return a < b
        if op == "le":
            return a <= b
        if op == "gt":
            return a > b
        return a >= b


def _comparison(op):
    def fn(input, other, *, out=None):
        return _binary(Compare, input, other, op, op=op)
    fn.__name__ = op
    fn.__doc__ = f"Element-wise ``input {op} other`` as a bool tensor (broadcasting)."
    return fn


eq, ne, lt, le, gt, ge = (_comparison(o) for o in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


class IsNan(Pointwise):
    """z = (x is NaN).  Not differentiable."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.isnan(x)


class IsInf(Pointwise):
    """z = (x is +inf or -inf).  Not differentiable."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.isinf(x)


class IsFinite(Pointwise):
    """z = (x is neither inf nor NaN).  Not differentiable."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.isfinite(x)


def isnan(input):
    """True where the element is NaN (not a number)."""
    return IsNan.apply(input)


def isinf(input):
    """True where the element is +inf or -inf."""
    return IsInf.apply(input)


def isfinite(input):
    """True where the element is an ordinary number (not inf, not NaN)."""
    return IsFinite.apply(input)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol * |other|, element-wise (equal infinities count as close)."""
    _need_tensor("isclose", "other", 2, other)
    if input.dtype is not other.dtype:
        _errors.fail("dtype_mismatch", a=_dtype.SHORT_NAMES[input.dtype], b=_dtype.SHORT_NAMES[other.dtype])
    if rtol < 0:
        _errors.fail("tolerance", name="rtol", value=rtol)
    if atol < 0:
        _errors.fail("tolerance", name="atol", value=atol)
    with grad_mode.no_grad():
        close = eq(input, other)
        if equal_nan and input.dtype.is_floating_point:
            close = close | (isnan(input) & isnan(other))
        if rtol == 0 and atol == 0:
            return close
        a, b = _float_input(input), _float_input(other)
        allowed = abs(mul(b, rtol)) + atol
        actual = abs(a - b)
        return close | (isfinite(actual) & (actual <= allowed))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when every element pair is ``isclose`` (a Python bool)."""
    close = isclose(input, other, rtol, atol, equal_nan)
    return bool(close._backend.xp.all(close._data))


def equal(input, other):
    """True when both have the same shape and the same values (a Python bool; NaN is never equal)."""
    if input.shape != other.shape:
        return False
    with grad_mode.no_grad():
        same = eq(input, other)
    return bool(same._backend.xp.all(same._data))


# --- logical and bitwise ops --------------------------------------------------------------

class Logical(Pointwise):
    """z = a <and|or|xor> b, reading nonzero as True; a bool tensor.  Not differentiable."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, op="and"):
        xp = ctx.xp
        a, b = xp.astype(a, xp.bool), xp.astype(b, xp.bool)
        return {"and": xp.logical_and, "or": xp.logical_or, "xor": xp.logical_xor}[op](a, b)


class LogicalNot(Pointwise):
    """z = not x (True where x == 0).  Not differentiable."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.logical_not(ctx.xp.astype(x, ctx.xp.bool))


def _logical(op):
    def fn(input, other, *, out=None):
        _need_tensor("logical_" + op, "other", 2, other)
        return Logical.apply(input, other, op=op)
    fn.__name__ = "logical_" + op
    fn.__doc__ = f"Element-wise logical {op} (nonzero is True) as a bool tensor."
    return fn


logical_and, logical_or, logical_xor = (_logical(o) for o in ("and", "or", "xor"))


def logical_not(input, *, out=None):
    """Element-wise ``not`` (zero is False) as a bool tensor."""
    return LogicalNot.apply(input)


class Bitwise(Pointwise):
    """z = a & b, a | b or a ^ b on the bits of integers (logic on bools).  Not differentiable."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, op="and"):
        xp = ctx.xp
        return {"and": xp.bitwise_and, "or": xp.bitwise_or, "xor": xp.bitwise_xor}[op](a, b)


class BitwiseNot(Pointwise):
    """z = ~x: every bit flipped (not, for bools).  Not differentiable."""

    @staticmethod
    def forward(ctx, x):
        return ctx.xp.bitwise_invert(x)


def _bitwise(op):
    def fn(input, other, *, out=None):
        input, other = _operands(input, other, "bitwise_" + op)
        dt = _dtype.result_type_of([input, other])
        if dt.is_floating_point:
            _errors.fail("bitwise_float", op="bitwise_" + op, dtype=_dtype.SHORT_NAMES[dt])
        return Bitwise.apply(input, other, op=op)
    fn.__name__ = "bitwise_" + op
    fn.__doc__ = f"Element-wise bitwise {op} of integer or bool tensors."
    return fn


bitwise_and, bitwise_or, bitwise_xor = (_bitwise(o) for o in ("and", "or", "xor"))


def bitwise_not(input, *, out=None):
    """Every bit flipped (``~x``); for bool tensors: logical not."""
    if input.dtype.is_floating_point:
        _errors.fail("bitwise_float", op="bitwise_not", dtype=_dtype.SHORT_NAMES[input.dtype])
    return BitwiseNot.apply(input)


def _invert(self):
    if self.dtype.is_floating_point:
        _errors.fail("invert_float")
    return BitwiseNot.apply(self)


# --- addcmul / addcdiv, float_power, gcd / lcm ---------------------------------------------------

class Addcmul(Pointwise):
    """z = a + value * t1 * t2.   dz/da = 1,  dz/dt1 = value * t2,  dz/dt2 = value * t1."""
    promote = True

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        _, need1, need2 = ctx.needs_input_grad
        ctx.save_for_backward(t1 if need2 else None, t2 if need1 else None)
        ctx.value = value
        return a + value * (t1 * t2)

    @staticmethod
    def backward(ctx, grad):
        t1, t2 = ctx.saved_tensors
        g = grad * ctx.value
        return grad, (g * t2 if t2 is not None else None), (g * t1 if t1 is not None else None)


class Addcdiv(Pointwise):
    """z = a + value * t1 / t2.   dz/da = 1,  dz/dt1 = value / t2,  dz/dt2 = -value * t1 / t2^2."""
    promote = True

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        ctx.save_for_backward(t1 if ctx.needs_input_grad[2] else None, t2)
        ctx.value = value
        return a + value * (t1 / t2)

    @staticmethod
    def backward(ctx, grad):
        t1, t2 = ctx.saved_tensors
        g = grad * ctx.value / t2
        return grad, g, (-g * t1 / t2 if t1 is not None else None)


def _addc(name, op_cls, input, tensor1, tensor2, value):
    for pos, (arg, t) in enumerate((("input", input), ("tensor1", tensor1), ("tensor2", tensor2)), 1):
        _need_tensor(name, arg, pos, t)
    dt = _dtype.result_type_of([input, tensor1, tensor2])
    if name == "addcdiv" and not _dtype.result_type_of([tensor1, tensor2]).is_floating_point:
        _errors.fail("addcdiv_int")
    if dt is _dtype.bool:
        _refuse(name + "_cpu_out", dt)
    if not dt.is_floating_point:            # integer tensors: the factor is cast to an integer (truncated)
        value = int(value)
    return op_cls.apply(input, tensor1, tensor2, value=value)


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2 (all three broadcast), e.g. Adam's update of its averages."""
    return _addc("addcmul", Addcmul, input, tensor1, tensor2, value)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2 (all three broadcast; tensor1 / tensor2 must be float)."""
    return _addc("addcdiv", Addcdiv, input, tensor1, tensor2, value)


def float_power(input, exponent, *, out=None):
    """input ** exponent computed in float64 (double precision), whatever the inputs' dtypes."""
    f64 = _dtype.float64
    if isinstance(input, Tensor):
        input = input.to(f64)
    if isinstance(exponent, Tensor):
        exponent = exponent.to(f64)
    elif _is_number(exponent):
        exponent = float(exponent)
    return pow(input, exponent)


def _float_power_(self, exponent):
    if self.dtype is not _dtype.float64:
        _errors.fail("float_power_inplace", dtype=_dtype.SHORT_NAMES[self.dtype])
    return pow_(self, exponent.to(_dtype.float64) if isinstance(exponent, Tensor) else float(exponent))


class Gcd(Pointwise):
    """Greatest common divisor (最大公约数) by Euclid's algorithm: (a, b) -> (b, a mod b) until b = 0."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        a, b = xp.abs(a), xp.abs(b)
        a, b = xp.broadcast_arrays(a, b)
        zero = xp.zeros_like(b)
        while bool(xp.any(b != 0)):
            nonzero = b != 0
            a, b = xp.where(nonzero, b, a), xp.where(nonzero, a % xp.where(nonzero, b, xp.ones_like(b)), zero)
        return a


def _integer_pair(name, input, other):
    _need_tensor(name, "other", 2, other)
    dt = _dtype.result_type_of([input, other])
    if dt.is_floating_point or dt is _dtype.bool:
        _refuse(name + "_cpu", dt)


def gcd(input, other, *, out=None):
    """Greatest common divisor of integer tensors, element-wise (always >= 0; gcd(0, 0) = 0)."""
    _integer_pair("gcd", input, other)
    return Gcd.apply(input, other)


def lcm(input, other, *, out=None):
    """Least common multiple (最小公倍数) |a / gcd(a, b) * b| of integer tensors (0 if either is 0)."""
    _integer_pair("lcm", input, other)
    g = Gcd.apply(input, other)
    safe = where(g == 0, 1, g)
    return where(g == 0, 0, (input // safe * other).abs()).to(g.dtype)


# --- special functions (特殊函数): erfc, erfinv, lgamma, digamma, polygamma, i0, logit, xlog1py ---
# NumPy and the Array API have none of them: each is computed here in float64 from a series, a
# continued fraction or an asymptotic expansion (accurate to ~1e-15), then cast back.

_SQRT_PI = math.sqrt(math.pi)
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798)  # B_2k


def _in_float64(fn):
    """Run ``fn(xp, x64, ...)`` on the float64 copy of ``x``; cast the result back to ``x``'s dtype."""
    def kernel(ctx, x, *args):
        xp = ctx.xp
        y = fn(xp, xp.astype(x, ctx.backend.dtypes[_dtype.float64]), *args)
        return xp.astype(y, x.dtype)
    return kernel


def _full(xp, like, value):
    return xp.full(like.shape, value, dtype=like.dtype, device=like.device)


def _erf_series(xp, a):
    """erf(a) for 0 <= a <= 1.5 by the series of ``_erf`` (positive terms: no cancellation)."""
    term, total = a, a
    for n in range(1, 80):
        term = term * (2 * a * a) / (2 * n + 1)
        total = total + term
    return total * xp.exp(-a * a) * (2 / _SQRT_PI)


def _erfc_fraction(b):
    """The continued fraction b + 1/2 / (b + 1 / (b + 3/2 / ...)):  erfc(b) = e^(-b^2) / (sqrt(pi) fraction)."""
    frac = b
    for k in range(80, 0, -1):
        frac = b + (k / 2) / frac
    return frac


def _erfc_positive(xp, a):
    """erfc(a) for a >= 0: 1 - series below 1.5, the continued fraction above (keeps the tiny tail's digits)."""
    small = xp.minimum(a, _full(xp, a, 1.5))
    big = xp.maximum(a, _full(xp, a, 1.5))
    return xp.where(a < 1.5, 1 - _erf_series(xp, small), xp.exp(-big * big) / (_SQRT_PI * _erfc_fraction(big)))


def _erfc64(xp, x):
    """erfc(x) = 1 - erf(x);  erfc(-x) = 2 - erfc(x)."""
    e = _erfc_positive(xp, xp.abs(x))
    return xp.where(x < 0, 2 - e, e)


def _erf64(xp, x):
    a = xp.abs(x)
    small = xp.minimum(a, _full(xp, a, 1.5))
    return xp.copysign(xp.where(a < 1.5, _erf_series(xp, small), 1 - _erfc_positive(xp, a)), x)


def _erfinv64(xp, y):
    """x with erf(x) = y: Giles' approximation, then 4 Newton steps on erf(x) = |y| (|y| <= 1/2) or on
    ln erfc(x) = ln(1 - |y|) (the tail, where erfc keeps the digits 1 - |y| would lose)."""
    a = xp.abs(y)
    inside = a < 1
    a_in = xp.where(inside, a, xp.zeros_like(a))
    w = -xp.log((1 - a_in) * (1 + a_in))
    w1, p1 = w - 2.5, 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
              -0.00417768164, 0.246640727, 1.50140941):
        p1 = c + p1 * w1
    w2, p2 = xp.sqrt(xp.maximum(w, _full(xp, w, 5.0))) - 3, -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
              0.00943887047, 1.00167406, 2.83297682):
        p2 = c + p2 * w2
    x = xp.where(w < 5, p1, p2) * a_in
    for _ in range(4):
        density = (2 / _SQRT_PI) * xp.exp(-x * x)
        c = _erfc_positive(xp, x)
        middle = (_erf64(xp, x) - a_in) / density
        tail = (xp.log(1 - a_in) - xp.log(c)) * c / density
        x = x - xp.where(a_in <= 0.5, middle, tail)
    x = xp.where(inside, x, xp.where(a == 1, _full(xp, a, math.inf), _full(xp, a, math.nan)))
    return xp.copysign(x, y)


def _sinpi(xp, x):
    """sin(pi x), exactly 0 at integers: with n = round(x), f = x - n (exact, in [-1/2, 1/2]),
    sin(pi x) = (-1)^n sin(pi f)."""
    n = xp.round(x)
    return (1 - 2 * (n % 2)) * xp.sin(math.pi * (x - n))


def _cospi(xp, x):
    n = xp.round(x)
    return (1 - 2 * (n % 2)) * xp.cos(math.pi * (x - n))


_LANCZOS_G = 607 / 128           # Lanczos' formula with Godfrey's 15 coefficients (relative error ~1e-15)
_LANCZOS = (0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
            -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4,
            -0.98374475304879564677e-4, 0.15808870322491248884e-3, -0.21026444172410488319e-3,
            0.21743961811521264320e-3, -0.16431810653676389022e-3, 0.84418223983852743293e-4,
            -0.26190838401581408670e-4, 0.36899182659531622704e-5)


def _lgamma64(xp, x):
    """ln|Gamma(x)|.  x >= 1/2: Lanczos, Gamma(z + 1) = sqrt(2 pi) t^(z + 1/2) e^-t (c0 + sum c_k / (z + k)),
    t = z + g + 1/2.  x < 1/2: the reflection Gamma(x) Gamma(1 - x) = pi / sin(pi x)."""
    def positive(v):
        z = v - 1
        s = _LANCZOS[0]
        for k in range(1, 15):
            s = s + _LANCZOS[k] / (z + k)
        t = z + (_LANCZOS_G + 0.5)
        return 0.5 * math.log(2 * math.pi) + (z + 0.5) * xp.log(t) - t + xp.log(s)
    half = _full(xp, x, 0.5)
    big, small = xp.maximum(x, half), xp.minimum(x, half)
    reflected = xp.log(math.pi / xp.abs(_sinpi(xp, small))) - positive(1 - small)
    y = xp.where(x >= 0.5, positive(big), reflected)
    y = xp.where((x == 1) | (x == 2), xp.zeros_like(x), y)          # Gamma(1) = Gamma(2) = 1 exactly
    return xp.where(xp.isinf(x), xp.abs(x), y)                       # lgamma(+-inf) = inf


def _polygamma_positive(xp, n, x, shift=10):
    """psi^(n)(x) (x large enough that x + shift >= 10): the recurrence
    psi^(n)(x) = psi^(n)(x + N) + (-1)^(n+1) n! sum_{k<N} 1/(x + k)^(n+1), then the asymptotic series
    in y = x + N with the Bernoulli numbers B_2k (n = 0: ln y - 1/(2y) - sum B_2k / (2k y^2k))."""
    s = xp.zeros_like(x)
    for k in range(shift):
        s = s + 1 / (x + k) ** (n + 1)
    y = x + shift
    if n == 0:
        series = xp.log(y) - 0.5 / y
        for k, b in enumerate(_BERNOULLI[:7], 1):
            series = series - b / (2 * k) / y ** (2 * k)
        return series - s
    series = math.factorial(n - 1) / y ** n + math.factorial(n) / (2 * y ** (n + 1))
    for k, b in enumerate(_BERNOULLI, 1):
        series = series + b * (math.factorial(2 * k + n - 1) / math.factorial(2 * k)) / y ** (2 * k + n)
    return (-1) ** (n + 1) * (series + math.factorial(n) * s)


def _polygamma64(xp, x, n=0):
    """psi^(n)(x), the n-th derivative of digamma psi = Gamma'/Gamma.  For x < 1/2 and n <= 1 the
    reflections psi(x) = psi(1 - x) - pi cot(pi x) and psi'(x) = pi^2 / sin^2(pi x) - psi'(1 - x)."""
    half = _full(xp, x, 0.5)
    big, small = xp.maximum(x, half), xp.minimum(x, half)
    if n == 0:
        reflected = _polygamma_positive(xp, 0, 1 - small) - math.pi * _cospi(xp, small) / _sinpi(xp, small)
        y = xp.where(x >= 0.5, _polygamma_positive(xp, 0, big), reflected)
        y = xp.where((x < 0) & (x == xp.round(x)), _full(xp, x, math.nan), y)  # poles at -1, -2, ...
        y = xp.where(x == 0, xp.copysign(_full(xp, x, math.inf), -x), y)   # psi(+-0) = -+inf
        return xp.where(x == math.inf, x, xp.where(x == -math.inf, _full(xp, x, math.nan), y))
    if n == 1:
        reflected = (math.pi / _sinpi(xp, small)) ** 2 - _polygamma_positive(xp, 1, 1 - small, 10 + 2 * n)
        y = xp.where(x >= 0.5, _polygamma_positive(xp, 1, big, 10 + 2 * n), reflected)
        return xp.where(x == math.inf, xp.zeros_like(x), y)
    finite = x[xp.isfinite(x)]
    lowest = float(xp.min(finite)) if finite.shape[0] else 0.0
    shift = 10 + 2 * n + builtins.max(0, math.ceil(-lowest))
    y = _polygamma_positive(xp, n, x, shift)
    return xp.where(x == math.inf, _full(xp, x, math.nan), y)      # as PyTorch's Hurwitz zeta gives


def _bessel64(xp, x, nu=0):
    """The modified Bessel function I_nu(|x|) (nu = 0 or 1).  |x| < 30: the series
    sum (x/2)^(2k + nu) / (k! (k + nu)!) (positive terms);  |x| >= 30: the asymptotic
    e^x / sqrt(2 pi x) (1 - (mu - 1) / (8x) + (mu - 1)(mu - 9) / (2! (8x)^2) - ...), mu = 4 nu^2."""
    a = xp.abs(x)
    s = xp.minimum(a, _full(xp, a, 30.0))
    h = s / 2
    term = xp.ones_like(s) if nu == 0 else h
    total = term
    for k in range(1, 100):
        term = term * (h * h) / (k * (k + nu))
        total = total + term
    b = xp.maximum(a, _full(xp, a, 30.0))
    term = xp.ones_like(b)
    asym = term
    for k in range(1, 30):
        term = term * (-(4 * nu * nu - (2 * k - 1) ** 2) / (8 * k)) / b
        asym = asym + term
    return xp.where(a < 30, total, xp.exp(b) * asym / xp.sqrt(2 * math.pi * b))


def _log_ndtr64(xp, x):
    """ln Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2.  x > -1: log1p(-erfc(x / sqrt 2) / 2);  x <= -1:
    ln erfc(t) - ln 2 with t = -x / sqrt 2, and for t >= 1.5 ln erfc(t) = -t^2 - ln(sqrt(pi) fraction)."""
    t = -x / math.sqrt(2.0)
    upper = xp.log1p(-0.5 * _erfc64(xp, -t))
    tb = xp.maximum(t, _full(xp, t, 1.5))
    tail = xp.where(t < 1.5, xp.log(_erfc64(xp, t)), -tb * tb - xp.log(_SQRT_PI * _erfc_fraction(tb))) - math.log(2.0)
    return xp.where(x > -1, upper, tail)


class Erfc(Pointwise):
    """y = erfc x = 1 - erf x.   dy/dx = -2/sqrt(pi) e^(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _in_float64(_erfc64)(ctx, x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * ((-(x * x)).exp() * (-2 / _SQRT_PI))


class Erfinv(Pointwise):
    """y = erf^-1(x) (the inverse function, on (-1, 1)).   dy/dx = sqrt(pi)/2 e^(y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = _in_float64(_erfinv64)(ctx, x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * ((y * y).exp() * (_SQRT_PI / 2))


class Lgamma(Pointwise):
    """y = ln|Gamma(x)|.   dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _in_float64(_lgamma64)(ctx, x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * digamma(x)


class Digamma(Pointwise):
    """y = psi(x) = Gamma'(x) / Gamma(x).   dy/dx = polygamma(1, x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _in_float64(_polygamma64)(ctx, x, 0)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * polygamma(1, x)


class Polygamma(Pointwise):
    """y = psi^(n)(x), the n-th derivative of digamma.   dy/dx = psi^(n+1)(x)."""

    @staticmethod
    def forward(ctx, x, n=1):
        ctx.save_for_backward(x)
        ctx.n = n
        return _in_float64(_polygamma64)(ctx, x, n)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * polygamma(ctx.n + 1, x)


class I0(Pointwise):
    """y = I0(x), the modified Bessel function of order 0.   dy/dx = I1(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _in_float64(_bessel64)(ctx, x, 0)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * special_i1(x)


class SpecialI1(Pointwise):
    """y = I1(x) (odd).   dy/dx = I0(x) - I1(x) / x  (1/2 at x = 0)."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        y = xp.copysign(_in_float64(_bessel64)(ctx, x, 1), x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * where(x == 0, 0.5, i0(x) - y / where(x == 0, 1.0, x))


class Logit(Pointwise):
    """y = ln(x / (1 - x)), x first clamped to [eps, 1 - eps] if eps is given.
    dy/dx = 1 / (x (1 - x)) (0 outside [eps, 1 - eps])."""

    @staticmethod
    def forward(ctx, x, eps=None):
        xp = ctx.xp
        ctx.save_for_backward(x)
        ctx.eps = eps
        if eps is not None:
            x = xp.clip(x, eps, 1 - eps)
        return xp.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        g = grad / (x * (1 - x))
        if ctx.eps is None:
            return g
        return where((x < ctx.eps) | (x > 1 - ctx.eps), 0.0, g)


class SpecialXlog1py(Pointwise):
    """z = a ln(1 + b), 0 where a = 0 (NaN where b is NaN).
    dz/da = ln(1 + b) (0 where a = 0 and b <= -1),  dz/db = a / (1 + b)."""
    promote = True
    grad_fn_name = "SpecialXlog1PyBackward0"

    @staticmethod
    def forward(ctx, a, b):
        xp = ctx.xp
        ctx.save_for_backward(a, b)
        z = xp.where(a == 0, xp.zeros_like(a), a * xp.log1p(b))
        return xp.where(xp.isnan(b), b, z)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = where((a == 0) & (b <= -1), 0.0, grad * b.log1p())
        return ga, grad * a / (b + 1)


class SpecialEntr(Pointwise):
    """y = -x ln x (x > 0), 0 at x = 0, -inf for x < 0.   dy/dx = -(1 + ln x)."""

    @staticmethod
    def forward(ctx, x):
        xp = ctx.xp
        ctx.save_for_backward(x)
        y = xp.where(x > 0, -x * xp.log(xp.where(x > 0, x, xp.ones_like(x))), xp.zeros_like(x))
        return xp.where(x < 0, _full(xp, x, -math.inf), xp.where(xp.isnan(x), x, y))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -(x.log() + 1)


class SpecialLogNdtr(Pointwise):
    """y = ln Phi(x), Phi the standard normal CDF.   dy/dx = e^(-x^2/2 - y) / sqrt(2 pi)."""

    @staticmethod
    def forward(ctx, x):
        y = _in_float64(_log_ndtr64)(ctx, x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad / math.sqrt(2 * math.pi) * (-(x * x / 2 + y)).exp()


erfc = _unary_float(Erfc, "erfc")
erfinv = _unary_float(Erfinv, "erfinv")
lgamma = _unary_float(Lgamma, "lgamma")
digamma = _unary_float(Digamma, "digamma")
i0 = _unary_float(I0, "i0")
special_i1 = _unary_float(SpecialI1, "i1")
special_entr = _unary_float(SpecialEntr, "entr")
special_log_ndtr = _unary_float(SpecialLogNdtr, "log_ndtr")


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (n = 0: digamma; n = 1: trigamma ...)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        _errors.fail("polygamma_negative")
    input = _float_input(input)
    if n == 0:
        return Digamma.apply(input)
    return Polygamma.apply(input, n=n)


def _polygamma_method(self, n):
    return polygamma(n, self)


def logit(input, eps=None, *, out=None):
    """ln(p / (1 - p)), the inverse of sigmoid; ``eps`` clamps p to [eps, 1 - eps] first."""
    return Logit.apply(_float_input(input), eps=None if eps is None else float(eps))


def special_ndtr(input, *, out=None):
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, the standard normal CDF (PyTorch's formula: 0 below x ~ -8.3)."""
    return _named((erf(_float_input(input) * (1 / math.sqrt(2.0))) + 1) * 0.5, "MulBackward1")


def special_xlog1py(input, other, *, out=None):
    """input * ln(1 + other), but 0 where input is 0."""
    number_a, number_b = not isinstance(input, Tensor), not isinstance(other, Tensor)
    input, other = _float_pair(*_operands(input, other, "special_xlog1py"))
    out = SpecialXlog1py.apply(input, other)
    return _named(out, "SpecialXlog1PyBackward2") if number_b else (
        _named(out, "SpecialXlog1PyBackward1") if number_a else out)


# --- in-place variants ---------------------------------------------------------------------
# ``x.add_(y)`` computes ``add(x, y)`` and writes it into x (see ops/_inplace.py).

add_ = inplace(add, "add_")
sub_ = subtract_ = inplace(sub, "sub_")
mul_ = multiply_ = inplace(mul, "mul_")
div_ = divide_ = true_divide_ = inplace(div, "div_")
floor_divide_ = inplace(floor_divide, "floor_divide_")
remainder_ = inplace(remainder, "remainder_")
fmod_ = inplace(fmod, "fmod_")
neg_ = negative_ = inplace(neg, "neg_")
pow_ = inplace(pow, "pow_")
square_ = inplace(square, "square_")
exp_ = inplace(exp, "exp_")
expm1_ = inplace(expm1, "expm1_")
log_ = inplace(log, "log_")
log2_ = inplace(log2, "log2_")
log10_ = inplace(log10, "log10_")
log1p_ = inplace(log1p, "log1p_")
sqrt_ = inplace(sqrt, "sqrt_")
rsqrt_ = inplace(rsqrt, "rsqrt_")
reciprocal_ = inplace(reciprocal, "reciprocal_")
sin_ = inplace(sin, "sin_")
cos_ = inplace(cos, "cos_")
tan_ = inplace(tan, "tan_")
tanh_ = inplace(tanh, "tanh_")
sigmoid_ = inplace(sigmoid, "sigmoid_")
erf_ = inplace(erf, "erf_")
abs_ = absolute_ = inplace(abs, "abs_")
sign_ = inplace(sign, "sign_")
floor_ = inplace(floor, "floor_")
ceil_ = inplace(ceil, "ceil_")
round_ = inplace(round, "round_")
trunc_ = inplace(trunc, "trunc_")
frac_ = inplace(frac, "frac_")
clamp_ = clip_ = inplace(clamp, "clamp_")
clamp_min_ = inplace(clamp_min, "clamp_min_")
clamp_max_ = inplace(clamp_max, "clamp_max_")
lerp_ = inplace(lerp, "lerp_")
sinh_, cosh_, asinh_, acosh_, atanh_, asin_, acos_, atan_ = (
    inplace(f, f.__name__ + "_") for f in (sinh, cosh, asinh, acosh, atanh, asin, acos, atan))
arcsinh_, arccosh_, arctanh_, arcsin_, arccos_, arctan_ = asinh_, acosh_, atanh_, asin_, acos_, atan_
exp2_ = inplace(exp2, "exp2_")
sinc_ = inplace(sinc, "sinc_")
deg2rad_ = inplace(deg2rad, "deg2rad_")
rad2deg_ = inplace(rad2deg, "rad2deg_")
nan_to_num_ = inplace(nan_to_num, "nan_to_num_")
fix_ = inplace(trunc, "fix_")
atan2_ = arctan2_ = inplace(atan2, "atan2_")
hypot_ = inplace(hypot, "hypot_")
xlogy_ = inplace(xlogy, "xlogy_")
copysign_ = inplace(copysign, "copysign_")
heaviside_ = inplace(heaviside, "heaviside_")
eq_, ne_, lt_, le_, gt_, ge_ = (inplace(f, f.__name__ + "_") for f in (eq, ne, lt, le, gt, ge))
greater_, greater_equal_, less_, less_equal_, not_equal_ = gt_, ge_, lt_, le_, ne_
logical_and_ = inplace(logical_and, "logical_and_")
logical_or_ = inplace(logical_or, "logical_or_")
logical_xor_ = inplace(logical_xor, "logical_xor_")
logical_not_ = inplace(logical_not, "logical_not_")
bitwise_and_ = inplace(bitwise_and, "bitwise_and_")
bitwise_or_ = inplace(bitwise_or, "bitwise_or_")
bitwise_xor_ = inplace(bitwise_xor, "bitwise_xor_")
bitwise_not_ = inplace(bitwise_not, "bitwise_not_")


relu_ = inplace(relu, "relu_")
addcmul_ = inplace(addcmul, "addcmul_")
addcdiv_ = inplace(addcdiv, "addcdiv_")
float_power_ = _float_power_
gcd_ = inplace(gcd, "gcd_")
lcm_ = inplace(lcm, "lcm_")
erfc_ = inplace(erfc, "erfc_")
erfinv_ = inplace(erfinv, "erfinv_")
lgamma_ = inplace(lgamma, "lgamma_")
digamma_ = inplace(digamma, "digamma_")
polygamma_ = inplace(_polygamma_method, "polygamma_")
i0_ = inplace(i0, "i0_")
logit_ = inplace(logit, "logit_")


# --- operators ------------------------------------------------------------------------------

def _forward(fn):
    """``tensor <op> other``; NotImplemented for operands that are not numbers (Python then tries the other side)."""
    def method(self, other):
        if not isinstance(other, Tensor) and not _is_number(other):
            return NotImplemented
        return fn(self, other)
    return method


def _reflected(fn):
    """``number <op> tensor``: Python calls ``tensor.__r<op>__(number)``."""
    def method(self, other):
        if not _is_number(other):
            return NotImplemented
        return fn(other, self)
    return method


def _rtruediv(self, other):
    """``number / tensor`` is ``reciprocal(tensor) * number`` in PyTorch (MulBackward0 in the graph)."""
    if not _is_number(other):
        return NotImplemented
    return mul(reciprocal(self), other)


DUNDERS = {
    "__add__": _forward(add), "__radd__": _reflected(add), "__iadd__": add_,
    "__sub__": _forward(sub), "__rsub__": _forward(rsub), "__isub__": sub_,
    "__mul__": _forward(mul), "__rmul__": _reflected(mul), "__imul__": mul_,
    "__truediv__": _forward(div), "__rtruediv__": _rtruediv, "__itruediv__": div_,
    "__floordiv__": _forward(floor_divide), "__rfloordiv__": _reflected(floor_divide), "__ifloordiv__": floor_divide_,
    "__mod__": _forward(remainder), "__rmod__": _reflected(remainder), "__imod__": remainder_,
    "__pow__": _forward(pow), "__rpow__": _reflected(pow), "__ipow__": pow_,
    "__neg__": neg, "__abs__": abs, "__pos__": positive,
    "__eq__": _forward(eq), "__ne__": _forward(ne), "__lt__": _forward(lt),
    "__le__": _forward(le), "__gt__": _forward(gt), "__ge__": _forward(ge),
    "__and__": _forward(bitwise_and), "__rand__": _reflected(bitwise_and), "__iand__": bitwise_and_,
    "__or__": _forward(bitwise_or), "__ror__": _reflected(bitwise_or), "__ior__": bitwise_or_,
    "__xor__": _forward(bitwise_xor), "__rxor__": _reflected(bitwise_xor), "__ixor__": bitwise_xor_,
    "__invert__": _invert,
}


# --- registration ---------------------------------------------------------------------------

_FUNCTIONS = [
    # arithmetic
    "add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "neg", "negative", "positive", "pow", "square",
    # math
    "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan",
    "tanh", "sigmoid", "relu", "abs", "absolute", "erf",
    # rounding and sign
    "sign", "floor", "ceil", "round", "trunc", "fix", "frac",
    # more math
    "sinh", "cosh", "asinh", "acosh", "atanh", "asin", "acos", "atan", "arcsinh", "arccosh", "arctanh",
    "arcsin", "arccos", "arctan", "exp2", "sinc", "deg2rad", "rad2deg", "nan_to_num",
    "atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "xlogy", "copysign", "heaviside",
    "signbit", "isposinf", "isneginf", "isreal", "isin",
    # clamp, maximum / minimum, where, lerp
    "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "where", "lerp",
    # comparisons
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "isnan", "isinf", "isfinite", "isclose", "allclose", "equal",
    # logic and bits
    "logical_and", "logical_or", "logical_xor", "logical_not",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    # addcmul / addcdiv, float_power, gcd / lcm, special functions
    "addcmul", "addcdiv", "float_power", "gcd", "lcm", "erfc", "erfinv", "lgamma", "digamma", "polygamma",
    "i0", "logit",
]
# In-place functions that PyTorch also offers as torch.<name>_ (torch.relu_(x), ...).
_INPLACE_FUNCTIONS = [
    "neg_", "negative_", "abs_", "exp_", "expm1_", "log_", "log2_", "log10_", "log1p_", "sqrt_", "rsqrt_",
    "reciprocal_", "sin_", "cos_", "tan_", "tanh_", "sigmoid_", "relu_", "erf_", "square_",
    "floor_", "ceil_", "round_", "trunc_", "frac_", "clamp_", "clip_", "clamp_min_", "clamp_max_",
    "sinh_", "cosh_", "asinh_", "acosh_", "atanh_", "asin_", "acos_", "atan_", "arcsinh_", "arccosh_",
    "arctanh_", "arcsin_", "arccos_", "arctan_", "exp2_", "sinc_", "deg2rad_", "rad2deg_", "nan_to_num_",
    "fix_", "xlogy_",
    "gcd_", "lcm_", "erfc_", "i0_", "logit_",
]
_INPLACE_METHODS = _INPLACE_FUNCTIONS + [
    "add_", "sub_", "subtract_", "mul_", "multiply_", "div_", "divide_", "true_divide_", "floor_divide_",
    "remainder_", "fmod_", "pow_", "absolute_", "sign_", "lerp_",
    "eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "greater_equal_", "less_", "less_equal_", "not_equal_",
    "logical_and_", "logical_or_", "logical_xor_", "logical_not_",
    "bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_not_",
    "atan2_", "arctan2_", "hypot_", "copysign_", "heaviside_",
    "addcmul_", "addcdiv_", "float_power_", "erfinv_", "lgamma_", "digamma_", "polygamma_",
]

__all__ = _FUNCTIONS + _INPLACE_FUNCTIONS
TENSOR_METHODS = [n for n in _FUNCTIONS if n not in ("rsub", "where", "isin")] + _INPLACE_METHODS
DUNDERS["polygamma"] = _polygamma_method      # x.polygamma(n): the tensor comes first
DUNDERS["where"] = _tensor_where        # Tensor.where(condition, y) has its own argument order
DUNDERS["__array_priority__"] = 1000    # numpy_scalar * tensor: NumPy leaves it to Tensor.__rmul__
