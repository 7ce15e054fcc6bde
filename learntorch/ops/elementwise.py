"""Element-wise operations (逐元素运算): arithmetic and math functions.

Binary ops broadcast (广播) their inputs; the engine sums each gradient back to
its input's shape, so a backward here is written as if shapes were equal.
"""
from .._tensor import Tensor
from .. import _dtype, _errors
from ..autograd.function import Op
from ._inplace import inplace
from .creation_helpers import scalar_like

__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg", "negative",
           "pow", "exp", "log", "sqrt", "relu", "sigmoid", "tanh", "abs"]

TENSOR_METHODS = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg",
                  "negative", "pow", "exp", "log", "sqrt", "relu", "sigmoid", "tanh", "abs",
                  "add_", "sub_", "mul_", "div_", "neg_", "pow_", "exp_", "log_", "sqrt_", "relu_",
                  "sigmoid_", "tanh_", "abs_"]


def as_operand(value, other):
    """A Python number becomes a 0-dim tensor of the dtype PyTorch would give the result."""
    if isinstance(value, Tensor):
        return value
    if not isinstance(value, (int, float, bool)) and not hasattr(value, "__index__") and not hasattr(value, "__float__"):
        return NotImplemented
    return scalar_like(value, _dtype.result_type_of([other], [value]), other)


# --- arithmetic -----------------------------------------------------------------

class Add(Op):
    """z = a + alpha * b.   dz/da = 1,  dz/db = alpha."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        return a + b if alpha == 1 else a + alpha * b

    @staticmethod
    def backward(ctx, grad):
        return grad, (grad if ctx.alpha == 1 else grad * ctx.alpha)


class Sub(Op):
    """z = a - alpha * b.   dz/da = 1,  dz/db = -alpha."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        return a - b if alpha == 1 else a - alpha * b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.alpha == 1 else grad * -ctx.alpha


class Rsub(Sub):
    """z = b - a for ``number - tensor`` (PyTorch's RsubBackward1); same rule as Sub with inputs swapped."""
    grad_fn_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.alpha = alpha
        return b - a

    @staticmethod
    def backward(ctx, grad):
        return -grad, grad


class Mul(Op):
    """z = a * b (the Hadamard product, 阿达玛积).   dz/da = b,  dz/db = a."""
    promote = True

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)  # only what backward uses
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if b is not None else None), (grad * a if a is not None else None)


class Div(Op):
    """z = a / b.   dz/da = 1/b,  dz/db = -a/b^2."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        xp = ctx.xp
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b)
        ctx.mode = rounding_mode
        if rounding_mode is None:
            return a / b
        if rounding_mode == "floor":
            return xp.floor(a / b) if _is_float(ctx, a) else a // b
        if _is_float(ctx, a):
            return xp.trunc(a / b)
        q = a // b  # integer truncation toward zero
        return xp.where((q < 0) & (q * b != a), q + 1, q)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        if ctx.mode is not None:  # rounding: the derivative is zero almost everywhere
            return grad * 0, (grad * 0 if a is not None else None)
        return grad / b, (-grad * a / (b * b) if a is not None else None)


def _is_float(ctx, arr):
    return ctx.backend.from_dtype[arr.dtype].is_floating_point


class Neg(Op):
    """z = -x.   dz/dx = -1."""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Op):
    """z = x ** p for a number p.   dz/dx = p * x^(p-1)."""

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
            return grad * 0
        return grad * p * x ** (p - 1) if p != 2 else grad * 2 * x


class PowTensor(Op):
    """z = a ** b, both tensors.   dz/da = b * a^(b-1),  dz/db = a^b * ln(a)."""
    promote = True
    grad_fn_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        z = a ** b
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        a, b, z = ctx.saved_tensors
        ga = grad * b * a ** (b - 1) if ctx.needs_input_grad[0] else None
        gb = grad * z * a.log() if ctx.needs_input_grad[1] else None
        return ga, gb


# --- the functions -----------------------------------------------------------------

def _binary(fn_cls, a, b, **kw):
    if not isinstance(a, Tensor):
        a = as_operand(a, b)
    elif not isinstance(b, Tensor):
        b = as_operand(b, a)
    if a is NotImplemented or b is NotImplemented:
        raise TypeError(f"unsupported operand type(s) for {fn_cls.__name__}: '{type(a).__name__}' and '{type(b).__name__}'")
    return fn_cls.apply(a, b, **kw)


def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, broadcasting."""
    return _binary(Add, input, other, alpha=alpha) if alpha != 1 else _binary(Add, input, other)


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other, broadcasting."""
    if isinstance(input, Tensor) and isinstance(other, Tensor) and input.dtype is _dtype.bool \
            and other.dtype is _dtype.bool:
        _errors.fail("bool_sub")
    return _binary(Sub, input, other, alpha=alpha) if alpha != 1 else _binary(Sub, input, other)


subtract = sub


def mul(input, other, *, out=None):
    """Element-wise product (not matrix multiplication: that is ``matmul`` / ``@``)."""
    return _binary(Mul, input, other)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """input / other.  ``rounding_mode``: None (true division), 'trunc' or 'floor'."""
    if rounding_mode not in (None, "trunc", "floor"):
        _errors.fail("div_mode", mode=rounding_mode)
    if rounding_mode is None:
        if not isinstance(input, Tensor):
            input = as_operand(input, other)
        elif not isinstance(other, Tensor):
            other = as_operand(other, input)
        if not _dtype.result_type_of([input, other]).is_floating_point:  # int / int gives a float
            input, other = input.to(_dtype.get_default_dtype()), other.to(_dtype.get_default_dtype())
        return Div.apply(input, other)
    return _binary(Div, input, other, rounding_mode=rounding_mode)


divide = true_divide = div


def neg(input, *, out=None):
    if input.dtype is _dtype.bool:
        _errors.fail("bool_neg")
    return Neg.apply(input)


negative = neg


def pow(input, exponent, *, out=None):
    """input ** exponent (either may be a tensor or a number)."""
    if not isinstance(input, Tensor):  # number ** tensor
        return _binary(PowTensor, input, exponent)
    if isinstance(exponent, Tensor):
        return _binary(PowTensor, input, exponent)
    if not input.dtype.is_floating_point and isinstance(exponent, float):
        input = input.to(_dtype.get_default_dtype())
    return Pow.apply(input, exponent=exponent)


# --- math functions ------------------------------------------------------------------

def _float_input(x):
    """Integer inputs of float functions (exp, log, ...) compute in the default float dtype."""
    return x if x.dtype.is_floating_point else x.to(_dtype.get_default_dtype())


class Exp(Op):
    """y = e^x.   dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y


class Log(Op):
    """y = ln x.   dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.log(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
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


class Relu(Op):
    """y = max(x, 0).   dy/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.where(x > 0, x, ctx.xp.zeros_like(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y > 0)


class Sigmoid(Op):
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
        return grad * y * (1 - y)


class Tanh(Op):
    """y = tanh x.   dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = ctx.xp.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (1 - y * y)


class Abs(Op):
    """y = |x|.   dy/dx = sign(x) (0 at 0)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ctx.xp.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.sign()


def exp(input, *, out=None):
    return Exp.apply(_float_input(input))


def log(input, *, out=None):
    return Log.apply(_float_input(input))


def sqrt(input, *, out=None):
    return Sqrt.apply(_float_input(input))


def relu(input, inplace=False):
    return Relu.apply(input) if not inplace else relu_(input)


def sigmoid(input, *, out=None):
    return Sigmoid.apply(_float_input(input))


def tanh(input, *, out=None):
    return Tanh.apply(_float_input(input))


def abs(input, *, out=None):
    return Abs.apply(input)


# --- in-place variants ---------------------------------------------------------------------

add_ = inplace(add, "add_")
sub_ = inplace(sub, "sub_")
mul_ = inplace(mul, "mul_")
div_ = inplace(div, "div_")
neg_ = inplace(neg, "neg_")
pow_ = inplace(pow, "pow_")
exp_ = inplace(exp, "exp_")
log_ = inplace(log, "log_")
sqrt_ = inplace(sqrt, "sqrt_")
relu_ = inplace(relu, "relu_")
sigmoid_ = inplace(sigmoid, "sigmoid_")
tanh_ = inplace(tanh, "tanh_")
abs_ = inplace(abs, "abs_")


# --- operators ------------------------------------------------------------------------------

def _reflected(fn):
    def method(self, other):
        other = as_operand(other, self)
        if other is NotImplemented:
            return NotImplemented
        return fn(other, self)
    return method


def _forward(fn):
    def method(self, other):
        if not isinstance(other, Tensor):
            other = as_operand(other, self)
            if other is NotImplemented:
                return NotImplemented
        return fn(self, other)
    return method


def _rsub(self, other):
    other = as_operand(other, self)
    if other is NotImplemented:
        return NotImplemented
    return Rsub.apply(self, other)


DUNDERS = {
    "__add__": _forward(add), "__radd__": _reflected(add), "__iadd__": add_,
    "__sub__": _forward(sub), "__rsub__": _rsub, "__isub__": sub_,
    "__mul__": _forward(mul), "__rmul__": _reflected(mul), "__imul__": mul_,
    "__truediv__": _forward(div), "__rtruediv__": _reflected(div), "__itruediv__": div_,
    "__pow__": lambda self, p: pow(self, p), "__rpow__": lambda self, b: pow(as_operand(b, self), self),
    "__ipow__": pow_,
    "__neg__": neg, "__abs__": abs, "__pos__": lambda self: self,
}


# --- comparisons (results are bool tensors: no gradient flows through them) --------------

class Compare(Op):
    """z = (a <op> b) element-wise, a bool tensor.  Not differentiable."""
    promote = True

    @staticmethod
    def forward(ctx, a, b, op="eq"):
        if op == "eq":
            return a == b
        if op == "ne":
            return a != b
        if op == "lt":
            return a < b
        if op == "le":
            return a <= b
        if op == "gt":
            return a > b
        return a >= b


def _comparison(op):
    def fn(input, other, *, out=None):
        return _binary(Compare, input, other, op=op)
    fn.__name__ = op
    fn.__doc__ = f"Element-wise ``input {op} other`` as a bool tensor (broadcasting)."
    return fn


eq, ne, lt, le, gt, ge = (_comparison(o) for o in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

__all__ += ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal"]
TENSOR_METHODS += ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
                   "not_equal"]
DUNDERS.update({"__eq__": _forward(eq), "__ne__": _forward(ne), "__lt__": _forward(lt),
                "__le__": _forward(le), "__gt__": _forward(gt), "__ge__": _forward(ge)})
