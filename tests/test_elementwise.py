"""Element-wise ops side by side with real PyTorch: values, dtypes, gradients, errors.

Inputs come in four layouts: contiguous, transposed (``.t()``), strided (``[:, ::2]``)
and 0-dim; binary ops also get broadcast pairs and Python numbers on either side.
"""
import operator
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck, gradgradcheck
from parity import assert_same, same_error, to_numpy

# --- inputs -------------------------------------------------------------------------

DOMAINS = {
    "any": (-3.0, 3.0),
    "pos": (0.2, 3.0),
    "gt-1": (-0.9, 3.0),
    "unit": (-1.2, 1.2),
    "away0": (0.5, 2.0),  # a divisor: |b| in [0.5, 2], random sign
}
BASE_SHAPE = {"contig": (3, 4), "t": (4, 3), "step": (3, 8), "0d": ()}


def values(shape, domain="any", dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = DOMAINS[domain]
    a = rng.uniform(lo, hi, size=shape)
    if domain == "away0":
        a = a * rng.choice([-1.0, 1.0], size=shape)
    return np.asarray(a, dtype=dtype)


def layout_view(t, layout):
    if layout == "t":
        return t.t()
    if layout == "step":
        return t[:, ::2]
    return t


def leaves(torch, arr, device="cpu", requires_grad=True):
    """The same values as a learntorch leaf (on ``device``) and a torch leaf."""
    return (lt.tensor(arr, device=device, requires_grad=requires_grad),
            torch.tensor(arr, requires_grad=requires_grad))


def tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)


def name_of(t):
    return t.grad_fn.name() if t.grad_fn is not None else None


# --- unary ops -------------------------------------------------------------------------

UNARY = [
    ("exp", "any"), ("expm1", "any"), ("log", "pos"), ("log2", "pos"), ("log10", "pos"), ("log1p", "gt-1"),
    ("sqrt", "pos"), ("rsqrt", "pos"), ("reciprocal", "away0"), ("sin", "any"), ("cos", "any"),
    ("tan", "unit"), ("tanh", "any"), ("sigmoid", "any"), ("relu", "any"), ("abs", "any"), ("erf", "any"),
    ("sign", "any"), ("floor", "any"), ("ceil", "any"), ("round", "any"), ("trunc", "any"), ("frac", "any"),
    ("square", "any"), ("neg", "any"),
]


@pytest.mark.parametrize("layout", ["contig", "t", "step", "0d"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,domain", UNARY)
def test_unary_parity(torch, device, name, domain, dtype, layout):
    arr = values(BASE_SHAPE[layout], domain, dtype)
    a, b = leaves(torch, arr, device)
    x, y = layout_view(a, layout), layout_view(b, layout)
    ours, theirs = getattr(lt, name)(x), getattr(torch, name)(y)
    assert_same(ours, theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    assert_same(getattr(x, name)(), theirs, **tol(dtype))  # the method gives the same
    g = values(ours.shape, "any", dtype, seed=1)
    (ours * lt.tensor(g, device=device)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    assert_same(a.grad, b.grad, **tol(dtype))


@pytest.mark.parametrize("name,domain", [u for u in UNARY if u[0] not in ("relu", "abs", "neg", "sign", "floor", "ceil",
                                                                          "round", "trunc", "square")])
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64", "float16"])
def test_float_functions_of_integers(torch, name, domain, dtype):
    """Integer and bool inputs of float functions compute in the default float dtype (or fail like PyTorch)."""
    arr = np.array([0, 1, 3, 2, 1]).astype(dtype)
    x, y = lt.tensor(arr), torch.tensor(arr)
    try:
        theirs = getattr(torch, name)(y)
    except Exception:
        same_error(lambda: getattr(lt, name)(x), lambda: getattr(torch, name)(y))
        return
    assert_same(getattr(lt, name)(x), theirs, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("name", ["relu", "abs", "neg", "sign", "floor", "ceil", "round", "trunc", "frac",
                                  "square", "sqrt", "exp", "sigmoid"])
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16"])
def test_unary_result_dtypes(torch, name, dtype):
    """Which dtype each op keeps or gives, and which inputs it refuses, as PyTorch."""
    arr = np.array([0, 1, 3, 2, 1]).astype(dtype)
    x, y = lt.tensor(arr), torch.tensor(arr)
    try:
        theirs = getattr(torch, name)(y)
    except Exception:
        same_error(lambda: getattr(lt, name)(x), lambda: getattr(torch, name)(y))
        return
    assert_same(getattr(lt, name)(x), theirs, rtol=1e-3, atol=1e-3)


def test_round_decimals(torch, device):
    arr = np.array([1.2345, -2.5, 0.125, 15.0, 25.0, 123.456, -0.5, 2.5])
    for dtype in ("float32", "float64"):
        x, y = lt.tensor(arr.astype(dtype), device=device), torch.tensor(arr.astype(dtype))
        for d in (0, 1, 2, 3, -1, -2):
            assert_same(lt.round(x, decimals=d), torch.round(y, decimals=d), **tol(dtype))
            assert_same(x.round(decimals=d), y.round(decimals=d), **tol(dtype))
    x = lt.tensor([1.25], requires_grad=True)
    assert lt.round(x, decimals=1).grad_fn.name() == "RoundBackward1"
    assert lt.round(x).grad_fn.name() == "RoundBackward0"


# --- binary ops ----------------------------------------------------------------------

BINARY = {
    "add": (lambda m, a, b: m.add(a, b), "any", "any"),
    "add_alpha": (lambda m, a, b: m.add(a, b, alpha=2.5), "any", "any"),
    "sub": (lambda m, a, b: m.sub(a, b), "any", "any"),
    "sub_alpha": (lambda m, a, b: m.sub(a, b, alpha=-3), "any", "any"),
    "mul": (lambda m, a, b: m.mul(a, b), "any", "any"),
    "div": (lambda m, a, b: m.div(a, b), "any", "away0"),
    "div_trunc": (lambda m, a, b: m.div(a, b, rounding_mode="trunc"), "any", "away0"),
    "div_floor": (lambda m, a, b: m.div(a, b, rounding_mode="floor"), "any", "away0"),
    "remainder": (lambda m, a, b: m.remainder(a, b), "any", "away0"),
    "fmod": (lambda m, a, b: m.fmod(a, b), "any", "away0"),
    "pow": (lambda m, a, b: m.pow(a, b), "pos", "any"),
    "maximum": (lambda m, a, b: m.maximum(a, b), "any", "any"),
    "minimum": (lambda m, a, b: m.minimum(a, b), "any", "any"),
    "lerp": (lambda m, a, b: m.lerp(a, b, 0.3), "any", "any"),
    "lerp_big": (lambda m, a, b: m.lerp(a, b, 0.8), "any", "any"),
    "where": (lambda m, a, b: m.where(a > b, a, b), "any", "any"),
}
SHAPE_PAIRS = {
    "same": ((3, 4), (3, 4), None),
    "bcast": ((3, 1), (1, 4), None),
    "bcast_rank": ((4,), (2, 3, 4), None),
    "0d_left": ((), (3, 4), None),
    "0d_right": ((2, 3), (), None),
    "0d_0d": ((), (), None),
    "t": ((4, 3), (3, 4), "t"),
    "step": ((3, 8), (3, 4), "step"),
}


@pytest.mark.parametrize("pair", list(SHAPE_PAIRS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", list(BINARY))
def test_binary_parity(torch, device, op, dtype, pair):
    fn, dom_a, dom_b = BINARY[op]
    shape_a, shape_b, layout = SHAPE_PAIRS[pair]
    a0, ta0 = leaves(torch, values(shape_a, dom_a, dtype, seed=2), device)
    b0, tb0 = leaves(torch, values(shape_b, dom_b, dtype, seed=3), device)
    a, ta = (layout_view(a0, layout), layout_view(ta0, layout)) if layout else (a0, ta0)
    ours, theirs = fn(lt, a, b0), fn(torch, ta, tb0)
    assert_same(ours, theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    g = values(ours.shape, "any", dtype, seed=4)
    (ours * lt.tensor(g, device=device)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    assert_same(a0.grad, ta0.grad, **tol(dtype))
    assert_same(b0.grad, tb0.grad, **tol(dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_floor_divide_parity_and_no_derivative(torch, device, dtype):
    a, ta = leaves(torch, values((3, 4), "any", dtype, seed=2), device)
    b, tb = leaves(torch, values((4,), "away0", dtype, seed=3), device)
    ours, theirs = a // b, ta // tb
    assert_same(ours, theirs)
    assert name_of(ours) == name_of(theirs) == "torch::autograd::NotImplemented"
    same_error(lambda: ours.sum().backward(), lambda: theirs.sum().backward())


EXPRESSIONS = [
    "x + 2", "2 + x", "x + 2.5", "x - 2", "2.5 - x", "x * 3", "3 * x", "x * 0.5", "x / 2", "2 / x", "x / 0.5",
    "x // 2", "5 // x", "x // 0.75", "x % 2", "5 % x", "x % -1.5", "x ** 2", "x ** 3", "abs(x) ** 0.5", "x ** 0",
    "2 ** x", "0.5 ** x", "-x", "+x", "abs(x)", "x.add(2, alpha=3)", "x.sub(1.5, alpha=2)", "1 - x",
    "x.clamp(-1, 1)", "x.clamp(min=0)", "x.clamp(max=0.5)", "x.clip(-0.5, 0.5)", "x.clamp_min(0.1)",
    "x.clamp_max(0.1)", "x.lerp(x * 2, 0.25)", "x.where(x > 0, 0.0)", "x.where(x > 0, 1)",
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_python_numbers_and_operators(torch, device, expr, dtype):
    arr = values((2, 3), "away0", dtype, seed=5)
    x, y = leaves(torch, arr, device)
    ours, theirs = eval(expr, {"x": x}), eval(expr, {"x": y})
    assert_same(ours, theirs, **tol(dtype))
    assert name_of(ours) == name_of(theirs)
    if theirs.requires_grad and name_of(theirs) != "torch::autograd::NotImplemented":
        ours.sum().backward()
        theirs.sum().backward()
        assert_same(x.grad, y.grad, **tol(dtype))


def test_rsub_function(torch):
    x, y = leaves(torch, values((3,), "any", "float32"))
    for args, kw in [((2.0,), {}), ((2.0,), {"alpha": 3})]:
        assert_same(lt.rsub(x, *args, **kw), torch.rsub(y, *args, **kw))
        assert name_of(lt.rsub(x, *args, **kw)) == name_of(torch.rsub(y, *args, **kw))
    assert name_of(lt.rsub(x, x)) == name_of(torch.rsub(y, y)) == "RsubBackward0"


def test_numpy_scalar_on_the_left(torch):
    x, y = lt.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])
    for expr in ("np.float64(2.0) * x", "np.float32(2.0) + x", "np.int64(3) - x", "np.float64(1.0) / x"):
        ours, theirs = eval(expr, {"x": x, "np": np}), eval(expr, {"x": y, "np": np})
        assert isinstance(ours, lt.Tensor)
        assert_same(ours, theirs)


# --- dtype of results ----------------------------------------------------------------------

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<": operator.lt,
             "==": operator.eq, "&": operator.and_, "|": operator.or_, "^": operator.xor}
NUMBERS = [True, 3, 2.5]


def _operand(m, dt, ndim):
    value = [True, True] if dt == "bool" else [2, 3]
    t = m.tensor(value if ndim else value[0], dtype=getattr(m, dt))
    return t


def _outcome(fn):
    try:
        r = fn()
        return ("dtype", repr(r.dtype), to_numpy(r).astype(np.float64).tolist())
    except Exception as e:
        return ("error", type(e).__name__, str(e).split("\n")[0])


@pytest.mark.parametrize("op", list(OPERATORS))
def test_result_dtype_table(torch, op):
    """Every mix of tensor dtypes (with and without dimensions) and Python numbers, both sides."""
    f = OPERATORS[op]
    mismatches = []
    operands = [(dt, nd) for dt in DTYPES for nd in (1, 0)]
    for left in operands:
        rights = [("t", r) for r in operands] + [("n", n) for n in NUMBERS]
        for kind, right in rights:
            a, ta = _operand(lt, *left), _operand(torch, *left)
            b, tb = (_operand(lt, *right), _operand(torch, *right)) if kind == "t" else (right, right)
            for flip in ((False, True) if kind == "n" else (False,)):
                if flip:
                    ours, theirs = _outcome(lambda: f(b, a)), _outcome(lambda: f(tb, ta))
                else:
                    ours, theirs = _outcome(lambda: f(a, b)), _outcome(lambda: f(ta, tb))
                if ours[:2] != theirs[:2] or (ours[0] == "error" and ours[2] != theirs[2]) or \
                        (ours[0] == "dtype" and not np.allclose(ours[2], theirs[2], rtol=1e-3, equal_nan=True)):
                    mismatches.append((left, right, flip, ours, theirs))
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize("fn", ["add", "sub", "mul", "div", "maximum", "minimum", "remainder", "fmod",
                                "floor_divide", "pow", "eq", "logical_and", "bitwise_and"])
def test_function_dtype_table(torch, fn):
    mismatches = []
    for dt_a in DTYPES:
        for dt_b in DTYPES:
            for nd in (1, 0):
                a, ta = _operand(lt, dt_a, 1), _operand(torch, dt_a, 1)
                b, tb = _operand(lt, dt_b, nd), _operand(torch, dt_b, nd)
                ours = _outcome(lambda: getattr(lt, fn)(a, b))
                theirs = _outcome(lambda: getattr(torch, fn)(ta, tb))
                if ours[:2] != theirs[:2] or (ours[0] == "error" and ours[2] != theirs[2]):
                    mismatches.append((dt_a, dt_b, nd, ours, theirs))
    assert not mismatches, mismatches[:5]


def test_integer_arithmetic(torch, device):
    a = np.array([7, -7, 6, -6, 0, 1])
    b = np.array([2, 2, -4, -4, 3, -1])
    x, y = lt.tensor(a, device=device), lt.tensor(b, device=device)
    tx, ty = torch.tensor(a), torch.tensor(b)
    for f in (operator.floordiv, operator.mod, operator.truediv, lt.fmod, lt.remainder):
        g = getattr(torch, f.__name__) if f in (lt.fmod, lt.remainder) else f
        assert_same(f(x, y), g(tx, ty))
    for mode in ("trunc", "floor"):
        assert_same(lt.div(x, y, rounding_mode=mode), torch.div(tx, ty, rounding_mode=mode))
    e = lt.tensor([-2, -1, 0, 1, 2, 3], device=device)
    base = lt.tensor([[-2], [-1], [0], [1], [2]], device=device)
    assert_same(base ** e, torch.tensor([[-2], [-1], [0], [1], [2]]) ** torch.tensor([-2, -1, 0, 1, 2, 3]))
    assert_same(2 ** e, 2 ** torch.tensor([-2, -1, 0, 1, 2, 3]))
    small = lt.tensor([1, 100], dtype=lt.int8, device=device)
    tsmall = torch.tensor([1, 100], dtype=torch.int8)
    for expr in ("s + 1000", "s * 3", "s - 300", "s & 1000"):
        assert_same(eval(expr, {"s": small}), eval(expr, {"s": tsmall}))
    u = lt.tensor([0, 7], dtype=lt.uint8, device=device)
    tu = torch.tensor([0, 7], dtype=torch.uint8)
    assert_same(u - 1, tu - 1)
    assert_same(-u, -tu)


def test_bool_arithmetic(torch, device):
    a, b = np.array([True, False, True, False]), np.array([True, True, False, False])
    x, y = lt.tensor(a, device=device), lt.tensor(b, device=device)
    tx, ty = torch.tensor(a), torch.tensor(b)
    for f in (operator.add, operator.mul, operator.truediv, operator.and_, operator.or_, operator.xor,
              operator.lt, operator.ge, lt.maximum, lt.minimum):
        g = getattr(torch, f.__name__) if f in (lt.maximum, lt.minimum) else f
        assert_same(f(x, y), g(tx, ty))
    assert_same(~x, ~tx)
    assert_same(x + 1, tx + 1)
    assert_same(x ** 2, tx ** 2)
    assert_same(lt.add(x, y, alpha=True), torch.add(tx, ty, alpha=True))


# --- gradients ----------------------------------------------------------------------------

def _grad(m, fn, *arrays):
    ts = [m.tensor(a, requires_grad=True) for a in arrays]
    fn(m, *ts).sum().backward()
    return [t.grad for t in ts]


SPECIAL = {
    "relu at 0": (lambda m, x: m.relu(x), [[-1.0, 0.0, 1.0]]),
    "relu at nan, -0, inf": (lambda m, x: m.relu(x), [[float("nan"), -1.0, -0.0, float("-inf"), float("inf")]]),
    "abs at 0": (lambda m, x: m.abs(x), [[-1.0, 0.0, 1.0]]),
    "sign": (lambda m, x: m.sign(x), [[-1.0, 0.0, 1.0]]),
    "sqrt at 0": (lambda m, x: m.sqrt(x), [[0.0, 1.0]]),
    "log at 0": (lambda m, x: m.log(x), [[0.0, 1.0]]),
    "clamp numbers at the bounds": (lambda m, x: m.clamp(x, 1, 2), [[0.0, 1.0, 1.5, 2.0, 3.0, float("nan")]]),
    "clamp_min at the bound": (lambda m, x: m.clamp_min(x, 1.0), [[0.0, 1.0, 2.0]]),
    "clamp_max at the bound": (lambda m, x: m.clamp_max(x, 1.0), [[0.0, 1.0, 2.0]]),
    "clamp tensors": (lambda m, x, lo, hi: m.clamp(x, lo, hi),
                      [[0.0, 1.0, 1.5, 2.0, 3.0], [1.0] * 5, [2.0] * 5]),
    "clamp tensors min > max": (lambda m, x, lo, hi: m.clamp(x, lo, hi),
                                [[0.0, 1.0, 1.5, 2.0, 3.0], [2.0] * 5, [1.0] * 5]),
    "clamp tensor min only": (lambda m, x, lo: m.clamp(x, min=lo), [[0.0, 1.0, 2.0], [1.0] * 3]),
    "clamp_max tensor": (lambda m, x, hi: m.clamp_max(x, hi), [[0.0, 1.0, 2.0], [1.0] * 3]),
    "maximum ties": (lambda m, a, b: m.maximum(a, b), [[1.0, 2.0, float("nan"), 3.0], [1.0, 3.0, 1.0, 3.0]]),
    "minimum ties": (lambda m, a, b: m.minimum(a, b), [[1.0, 2.0, float("nan"), 3.0], [1.0, 3.0, 1.0, 3.0]]),
    "where both branches": (lambda m, a, b: m.where(a > 0, a * 2, b * 3), [[5.0, -5.0, 0.0], [3.0, 3.0, 3.0]]),
    "pow at 0": (lambda m, a: a ** 0.5, [[0.0, 1.0]]),
    "pow 0 exponent": (lambda m, a: a ** 0, [[0.0, 1.0]]),
    "pow tensor at 0": (lambda m, a, e: a ** e, [[0.0, 0.0, 2.0, -2.0], [0.0, 2.0, 0.0, 2.0]]),
    "number ** tensor at 0": (lambda m, e: 0 ** e, [[0.0, 2.0, -1.0]]),
    "remainder": (lambda m, a, b: m.remainder(a, b), [[5.0, -5.0], [3.0, 3.0]]),
    "fmod": (lambda m, a, b: m.fmod(a, b), [[5.0, -5.0], [3.0, -3.0]]),
    "lerp tensor weight": (lambda m, a, b, w: m.lerp(a, b, w), [[5.0, -5.0], [3.0, 3.0], [0.2, 0.7]]),
    "rounding": (lambda m, x: m.floor(x) + m.ceil(x) + m.round(x) + m.trunc(x) + m.frac(x), [[0.5, -1.5]]),
    "sub alpha": (lambda m, a, b: m.sub(a, b, alpha=2), [[1.0, 2.0], [3.0, 4.0]]),
    "div": (lambda m, a, b: a / b, [[1.0, 2.0], [0.0, 4.0]]),
}


@pytest.mark.parametrize("case", list(SPECIAL))
def test_gradients_at_special_points(torch, case):
    fn, arrays = SPECIAL[case]
    ours = _grad(lt, fn, *arrays)
    theirs = _grad(torch, fn, *arrays)
    assert_same(ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_select_matches_torch_bit_for_bit(torch, device, dtype):
    """ReLU's forward and backward select without branches on cpu (a bit mask): the same values
    as torch, down to the sign of zero, NaN passed through, and dropped infinities giving +0."""
    special = [float("nan"), -1.0, 0.0, -0.0, 2.0, float("-inf"), float("inf")]
    x = np.array(special * 5 + list(np.random.default_rng(5).standard_normal(29)), dtype=dtype)
    g = np.array([-5.0, -5.0, -5.0, -5.0, 5.0, float("inf"), float("nan")] * 5 + list(np.random.default_rng(5).standard_normal(29)),
                 dtype=dtype)
    for create_graph in (False, True):
        xl, xt = lt.tensor(x, device=device, requires_grad=True), torch.tensor(x, requires_grad=True)
        yl, yt = lt.relu(xl), torch.relu(xt)
        (gl,) = lt.autograd.grad(yl, xl, lt.tensor(g, device=device), create_graph=create_graph)
        (gt,) = torch.autograd.grad(yt, xt, torch.tensor(g), create_graph=create_graph)
        for ours, theirs in ((yl, yt), (gl, gt)):
            a, b = ours.detach().cpu().numpy(), theirs.detach().numpy()
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


GRADCHECK = {
    "exp": (lambda x: x.exp(), ["any"]), "expm1": (lambda x: x.expm1(), ["any"]),
    "log": (lambda x: x.log(), ["pos"]), "log2": (lambda x: x.log2(), ["pos"]),
    "log10": (lambda x: x.log10(), ["pos"]), "log1p": (lambda x: x.log1p(), ["gt-1"]),
    "sqrt": (lambda x: x.sqrt(), ["pos"]), "rsqrt": (lambda x: x.rsqrt(), ["pos"]),
    "reciprocal": (lambda x: x.reciprocal(), ["away0"]), "sin": (lambda x: x.sin(), ["any"]),
    "cos": (lambda x: x.cos(), ["any"]), "tan": (lambda x: x.tan(), ["unit"]),
    "tanh": (lambda x: x.tanh(), ["any"]), "sigmoid": (lambda x: x.sigmoid(), ["any"]),
    "relu": (lambda x: x.relu(), ["away0"]), "abs": (lambda x: x.abs(), ["away0"]),
    "erf": (lambda x: x.erf(), ["any"]), "frac": (lambda x: (x * 0.3).frac(), ["away0"]),
    "square": (lambda x: x.square(), ["any"]), "neg": (lambda x: -x, ["any"]),
    "pow number": (lambda x: x ** 3.5, ["pos"]), "number ** x": (lambda x: 1.7 ** x, ["any"]),
    "pow": (lambda a, b: a ** b, ["pos", "any"]),
    "add": (lambda a, b: lt.add(a, b, alpha=0.5), ["any", "any"]),
    "sub": (lambda a, b: a - b, ["any", "any"]), "mul": (lambda a, b: a * b, ["any", "any"]),
    "div": (lambda a, b: a / b, ["any", "away0"]), "rdiv": (lambda a: 2 / a, ["away0"]),
    "remainder": (lambda a, b: a % b, ["any", "away0"]), "fmod": (lambda a, b: lt.fmod(a, b), ["any", "away0"]),
    "maximum": (lambda a, b: lt.maximum(a, b), ["any", "any"]),
    "minimum": (lambda a, b: lt.minimum(a, b), ["any", "any"]),
    "clamp": (lambda x: x.clamp(-1, 1), ["any"]),
    "clamp tensors": (lambda x, lo, hi: x.clamp(lo, hi - 1), ["any", "any", "any"]),
    "where": (lambda a, b: lt.where(a > b, a, b * 2), ["any", "any"]),
    "lerp": (lambda a, b, w: lt.lerp(a, b, w), ["any", "any", "any"]),
    "lerp number": (lambda a, b: lt.lerp(a, b, 0.6), ["any", "any"]),
}


@pytest.mark.parametrize("case", list(GRADCHECK))
def test_gradcheck(case):
    fn, domains = GRADCHECK[case]
    shapes = [(2, 3), (3,), (2, 1)]
    inputs = [lt.tensor(values(shapes[i], d, seed=10 + i), requires_grad=True) for i, d in enumerate(domains)]
    assert gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


@pytest.mark.parametrize("case", ["tanh", "sigmoid", "pow", "div", "log", "maximum", "clamp tensors", "lerp"])
def test_gradgradcheck(case):
    fn, domains = GRADCHECK[case]
    shapes = [(2, 3), (3,), (2, 1)]
    inputs = [lt.tensor(values(shapes[i], d, seed=20 + i), requires_grad=True) for i, d in enumerate(domains)]
    assert gradgradcheck(fn, inputs)


def test_second_derivative_matches_torch(torch):
    arr = values((4,), "pos", seed=6)
    results = []
    for m in (lt, torch):
        x = m.tensor(arr, requires_grad=True)
        y = (x.sigmoid() * x.tanh() + x ** 3 / x.exp() + x.sqrt().log()).sum()
        g, = m.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        results.append((g, x.grad))
    assert_same(results[0], results[1])


# --- NaN, inf and warnings ----------------------------------------------------------------

def test_special_values_and_no_warnings(torch, device):
    arr = np.array([0.0, -1.0, 1.0, np.inf, -np.inf, np.nan, -0.0])
    x, y = lt.tensor(arr, device=device), torch.tensor(arr)
    zero, tzero = lt.zeros(7, device=device), torch.zeros(7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "exp", "expm1", "sigmoid",
                     "tanh", "sin", "relu", "sign", "abs", "erf", "floor", "round", "frac", "square"):
            assert_same(getattr(lt, name)(x), getattr(torch, name)(y))
        for f in (operator.truediv, operator.floordiv, operator.mod, operator.pow, lt.fmod, lt.maximum):
            g = getattr(torch, f.__name__) if f in (lt.fmod, lt.maximum) else f
            assert_same(f(x, zero), g(y, tzero))
            assert_same(f(zero, x), g(tzero, y))
        assert_same(x * 1e39, y * 1e39)
        assert_same(lt.tensor([1e30]) * 1e30, torch.tensor([1e30]) * 1e30)
        w = lt.tensor([0.0, -1.0], requires_grad=True)
        w.sqrt().sum().backward()
        tw = torch.tensor([0.0, -1.0], requires_grad=True)
        tw.sqrt().sum().backward()
        assert_same(w.grad, tw.grad)


def test_erf_accuracy():
    import math
    xs = np.concatenate([np.linspace(-6, 6, 241), [0.0, 1e-8, -1e-300, 2.9999, 3.0, 3.0001, 27.0, np.inf]])
    got = lt.erf(lt.tensor(xs)).numpy()
    want = np.array([math.erf(v) for v in xs])
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    assert np.isnan(lt.erf(lt.tensor([np.nan])).item())


# --- where, clamp, lerp, comparisons, logic ---------------------------------------------------

def test_where_forms(torch, device):
    c = np.array([[True, False, True], [False, False, True]])
    a = values((2, 3), seed=7)
    cond, tcond = lt.tensor(c, device=device), torch.tensor(c)
    x, tx = lt.tensor(a, device=device), torch.tensor(a)
    i, ti = lt.tensor([1, 2, 3], device=device), torch.tensor([1, 2, 3])
    cases = [
        (lambda m, c_, x_, i_: m.where(c_, x_, 0.0)), (lambda m, c_, x_, i_: m.where(c_, 1.5, x_)),
        (lambda m, c_, x_, i_: m.where(c_, 1.0, 0)), (lambda m, c_, x_, i_: m.where(c_, 1, 0)),
        (lambda m, c_, x_, i_: m.where(c_, True, False)), (lambda m, c_, x_, i_: m.where(c_, i_, 1.5)),
        (lambda m, c_, x_, i_: m.where(c_, i_, x_.float())), (lambda m, c_, x_, i_: m.where(c_[0, :], i_, 7)),
        (lambda m, c_, x_, i_: x_.where(c_, -x_)),
    ]
    for f in cases:
        assert_same(f(lt, cond, x, i), f(torch, tcond, tx, ti))
    ours, theirs = lt.where(cond), torch.where(tcond)
    assert isinstance(ours, tuple) and len(ours) == 2
    assert_same(list(ours), list(theirs))
    assert_same(list(lt.where(lt.tensor([0.0, 2.0, -1.0], device=device))),
                list(torch.where(torch.tensor([0.0, 2.0, -1.0]))))
    assert_same(list(lt.where(lt.tensor(True, device=device))), list(torch.where(torch.tensor(True))))


def test_clamp_forms(torch, device):
    a = values((3, 4), seed=8)
    x, tx = lt.tensor(a, device=device), torch.tensor(a)
    i, ti = lt.tensor([-3, 0, 5], device=device), torch.tensor([-3, 0, 5])
    lo, tlo = lt.tensor(values((4,), seed=9), device=device), torch.tensor(values((4,), seed=9))
    cases = [
        lambda m, x_, i_, l_: m.clamp(x_, -1, 1), lambda m, x_, i_, l_: m.clamp(x_, min=0.5),
        lambda m, x_, i_, l_: m.clamp(x_, max=-0.5), lambda m, x_, i_, l_: m.clamp(x_, 2, 1),
        lambda m, x_, i_, l_: m.clamp(x_, l_, l_ + 1), lambda m, x_, i_, l_: m.clamp(x_, min=l_),
        lambda m, x_, i_, l_: m.clamp(x_, max=l_), lambda m, x_, i_, l_: m.clip(x_, -0.1, 0.1),
        lambda m, x_, i_, l_: m.clamp(i_, 0.5, 2), lambda m, x_, i_, l_: m.clamp(i_, 0, 2),
        lambda m, x_, i_, l_: m.clamp(i_, min=l_[:3]), lambda m, x_, i_, l_: m.clamp_min(x_, l_),
        lambda m, x_, i_, l_: m.clamp_max(i_, 1), lambda m, x_, i_, l_: x_.clamp(-1, 1),
        lambda m, x_, i_, l_: m.clamp(m.tensor([float("nan"), 5.0]), 0, 1),
    ]
    for f in cases:
        assert_same(f(lt, x, i, lo), f(torch, tx, ti, tlo))


def test_lerp_forms(torch, device):
    a, b, w = values((2, 3), seed=1), values((3,), seed=2), values((2, 1), "unit", seed=3)
    for dtype in ("float32", "float64"):
        x, y, ww = (lt.tensor(v.astype(dtype), device=device) for v in (a, b, w))
        tx, ty, tw = (torch.tensor(v.astype(dtype)) for v in (a, b, w))
        for weight, tweight in ((0.0, 0.0), (1.0, 1.0), (0.3, 0.3), (0.7, 0.7), (-0.5, -0.5), (ww, tw)):
            assert_same(lt.lerp(x, y, weight), torch.lerp(tx, ty, tweight), **tol(dtype))
            assert_same(x.lerp(y, weight), tx.lerp(ty, tweight), **tol(dtype))


def test_comparisons(torch, device):
    a = np.array([[1.0, 2.0, np.nan], [-1.0, 2.0, 3.0]])
    b = np.array([1.0, 3.0, np.nan])
    x, y = lt.tensor(a, device=device), lt.tensor(b, device=device)
    tx, ty = torch.tensor(a), torch.tensor(b)
    for name in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
                 "not_equal"):
        assert_same(getattr(lt, name)(x, y), getattr(torch, name)(tx, ty))
        assert_same(getattr(x, name)(2), getattr(tx, name)(2))
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        assert_same(op(x, y), op(tx, ty))
        assert_same(op(x, 2), op(tx, 2))
        assert_same(op(2.5, x), op(2.5, tx))
    i, ti = lt.tensor([1, 2, 3], device=device), torch.tensor([1, 2, 3])
    assert_same(i < 2.5, ti < 2.5)
    assert_same(i == x, ti == tx)
    assert (x == None) is False  # noqa: E711  (Python's fallback, as in PyTorch)
    assert (x != "a") is True


def test_isclose_allclose_equal(torch, device):
    a = np.array([1.0, np.nan, np.inf, -np.inf, 1e-9, 100.0])
    b = np.array([1.0 + 1e-6, np.nan, np.inf, np.inf, 0.0, 101.0])
    x, y = lt.tensor(a, device=device), lt.tensor(b, device=device)
    tx, ty = torch.tensor(a), torch.tensor(b)
    for kw in ({}, {"equal_nan": True}, {"rtol": 0.02}, {"rtol": 0, "atol": 0}, {"atol": 1e-3}):
        assert_same(lt.isclose(x, y, **kw), torch.isclose(tx, ty, **kw))
        assert_same(x.isclose(y, **kw), tx.isclose(ty, **kw))
        assert lt.allclose(x, y, **kw) == torch.allclose(tx, ty, **kw)
    assert lt.allclose(x[:1], y[:1]) is True
    assert lt.allclose(lt.ones(3, device=device), lt.ones(2, 3, device=device)) is True
    i, ti = lt.tensor([100, 5], device=device), torch.tensor([100, 5])
    assert_same(lt.isclose(i, i + 1, rtol=0.01), torch.isclose(ti, ti + 1, rtol=0.01))
    bb, tbb = lt.tensor([True, False], device=device), torch.tensor([True, False])
    assert_same(lt.isclose(bb, bb), torch.isclose(tbb, tbb))
    for u, v, tu, tv in [(x, x, tx, tx), (x, y, tx, ty), (i, i.double(), ti, ti.double()),
                         (x[:2], x[:3], tx[:2], tx[:3]), (lt.ones(3), lt.ones(1, 3), torch.ones(3), torch.ones(1, 3))]:
        assert lt.equal(u, v) == torch.equal(tu, tv)
        assert u.equal(v) == tu.equal(tv)


def test_logical_and_bitwise(torch, device):
    f = np.array([1.5, 0.0, -2.0, 0.0])
    i = np.array([3, 0, -4, 6])
    b = np.array([True, False, True, True])
    L = [lt.tensor(v, device=device) for v in (f, i, b)]
    T = [torch.tensor(v) for v in (f, i, b)]
    for name in ("logical_and", "logical_or", "logical_xor"):
        for p in range(3):
            for q in range(3):
                assert_same(getattr(lt, name)(L[p], L[q]), getattr(torch, name)(T[p], T[q]))
    for p in range(3):
        assert_same(lt.logical_not(L[p]), torch.logical_not(T[p]))
        assert_same(L[p].logical_not(), T[p].logical_not())
    for op in (operator.and_, operator.or_, operator.xor):
        for p, q in ((1, 1), (1, 2), (2, 2), (2, 1)):
            assert_same(op(L[p], L[q]), op(T[p], T[q]))
        assert_same(op(L[1], 5), op(T[1], 5))
        assert_same(op(5, L[1]), op(5, T[1]))
        assert_same(op(L[2], True), op(T[2], True))
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        assert_same(getattr(lt, name)(L[1], L[2]), getattr(torch, name)(T[1], T[2]))
    assert_same(~L[1], ~T[1])
    assert_same(~L[2], ~T[2])
    assert_same(lt.bitwise_not(L[1]), torch.bitwise_not(T[1]))
    for name in ("isnan", "isinf", "isfinite"):
        v = np.array([1.0, np.nan, np.inf, -np.inf])
        assert_same(getattr(lt, name)(lt.tensor(v, device=device)), getattr(torch, name)(torch.tensor(v)))


# --- in-place variants ----------------------------------------------------------------------

INPLACE = [
    ("add_", (2.0,), {}), ("add_", ("y",), {"alpha": 2}), ("sub_", ("y",), {}), ("mul_", ("y",), {}),
    ("div_", ("y",), {}), ("div_", (2.0,), {"rounding_mode": "floor"}), ("floor_divide_", ("y",), {}),
    ("remainder_", ("y",), {}), ("fmod_", ("y",), {}), ("pow_", (2,), {}), ("neg_", (), {}), ("abs_", (), {}),
    ("exp_", (), {}), ("log_", (), {}), ("sqrt_", (), {}), ("relu_", (), {}), ("sigmoid_", (), {}),
    ("tanh_", (), {}), ("clamp_", (0.5, 1.5), {}), ("clamp_min_", (1.0,), {}), ("clamp_max_", (1.0,), {}),
    ("clip_", (0.5, 1.0), {}), ("floor_", (), {}), ("ceil_", (), {}), ("round_", (), {}), ("trunc_", (), {}),
    ("frac_", (), {}), ("sign_", (), {}), ("reciprocal_", (), {}), ("square_", (), {}), ("sin_", (), {}),
    ("lerp_", ("y", 0.3), {}), ("eq_", ("y",), {}), ("lt_", (1.0,), {}), ("logical_not_", (), {}),
    ("logical_and_", ("y",), {}), ("erf_", (), {}), ("rsqrt_", (), {}), ("log1p_", (), {}), ("expm1_", (), {}),
]


@pytest.mark.parametrize("method,args,kwargs", INPLACE, ids=[f"{m}{i}" for i, (m, _, _) in enumerate(INPLACE)])
def test_inplace_variants(torch, device, method, args, kwargs):
    a, b = values((2, 3), "pos", seed=11), values((3,), "pos", seed=12)
    x, tx = lt.tensor(a, device=device), torch.tensor(a)
    y, ty = lt.tensor(b, device=device), torch.tensor(b)
    view, tview = x[:, 1:], tx[:, 1:]          # in-place through a view changes the base
    ours_args = [y[1:] if v == "y" else v for v in args]
    theirs_args = [ty[1:] if v == "y" else v for v in args]
    r = getattr(view, method)(*ours_args, **kwargs)
    tr = getattr(tview, method)(*theirs_args, **kwargs)
    assert r is view
    assert_same(x, tx)
    assert x._version == tx._version


def test_inplace_functions_and_operators(torch, device):
    a = values((2, 3), "pos", seed=13)
    x, tx = lt.tensor(a, device=device), torch.tensor(a)
    for name in ("relu_", "sigmoid_", "exp_", "clamp_", "neg_", "sqrt_"):
        args = (0.5, 2.0) if name == "clamp_" else ()
        assert getattr(lt, name)(x, *args) is x
        getattr(torch, name)(tx, *args)
        assert_same(x, tx)
    i, ti = lt.tensor([5, 6, 7], device=device), torch.tensor([5, 6, 7])
    for stmt in ("v += 2", "v -= 1", "v *= 3", "v //= 2", "v %= 4", "v **= 2", "v &= 6", "v |= 1", "v ^= 3"):
        ns, tns = {"v": i}, {"v": ti}
        exec(stmt, ns)
        exec(stmt, tns)
        assert ns["v"] is i
        assert_same(i, ti)
    f, tf = lt.tensor([1.0, 2.0], device=device), torch.tensor([1.0, 2.0])
    for stmt in ("v += 2", "v -= 0.5", "v *= 3", "v /= 4", "v **= 2"):
        ns, tns = {"v": f}, {"v": tf}
        exec(stmt, ns)
        exec(stmt, tns)
        assert ns["v"] is f
        assert_same(f, tf)


def test_inplace_keeps_the_graph(torch):
    results = []
    for m in (lt, torch):
        w = m.tensor([0.5, -1.0, 2.0], requires_grad=True)
        h = w * 2
        h.add_(1).mul_(h * 1).log_().clamp_(min=0.1).pow_(2).sigmoid_()  # each needs its input or output
        h.sum().backward()
        results.append((h, h.grad_fn.name(), w.grad))
    assert results[0][1] == results[1][1]
    assert_same([results[0][0], results[0][2]], [results[1][0], results[1][2]])


def test_inplace_after_a_saved_output_refuses_backward(torch):
    def run(m):
        w = m.tensor([0.5, -1.0, 2.0], requires_grad=True)
        h = w * 2
        h.sigmoid_().mul_(3)  # sigmoid's backward needs its output, which mul_ changes
        h.sum().backward()
    same_error(lambda: run(lt), lambda: run(torch))


# --- errors -----------------------------------------------------------------------------------

def _errors_table(m):
    x = m.tensor([1.0, 2.0, 3.0])
    i = m.tensor([1, 2, 3])
    b = m.tensor([True, False, True])
    leaf = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    return {
        "broadcast": lambda: m.zeros(2, 3) + m.zeros(4, 1, 2),
        "broadcast mul": lambda: m.ones(3) * m.ones(2),
        "broadcast where": lambda: m.where(m.ones(2, dtype=m.bool), m.zeros(3), m.zeros(3)),
        "broadcast maximum": lambda: m.maximum(m.zeros(2), m.zeros(3)),
        "inplace grows": lambda: m.zeros(3).add_(m.zeros(2, 3)),
        "inplace grows too": lambda: m.zeros(3).mul_(m.zeros(2, 1)),
        "inplace grows 0-dim": lambda: m.tensor(1.0).add_(m.zeros(2)),
        "inplace clamp grows": lambda: m.zeros(3).clamp_(m.zeros(2, 3)),
        "inplace lerp grows": lambda: m.zeros(3).lerp_(m.ones(2, 3), 0.5),
        "long add_ float": lambda: i.clone().add_(1.5),
        "long mul_ float tensor": lambda: i.clone().mul_(x),
        "long div_": lambda: i.clone().div_(2),
        "long exp_": lambda: i.clone().exp_(),
        "bool add_ int": lambda: b.clone().add_(1),
        "long iadd float": lambda: i.clone().__iadd__(0.5),
        "leaf add_": lambda: leaf.add_(1),
        "leaf iadd": lambda: leaf.__iadd__(1),
        "leaf exp_": lambda: leaf.exp_(),
        "view of leaf": lambda: leaf[:2].mul_(2),
        "bitwise and float": lambda: x & x,
        "bitwise or float number": lambda: x | 1,
        "bitwise xor int float": lambda: i ^ x,
        "bitwise and int and float number": lambda: i & 1.5,
        "bitwise_not float": lambda: m.bitwise_not(x),
        "invert float": lambda: ~x,
        "bool minus bool": lambda: b - b,
        "bool minus number": lambda: b - 1,
        "number minus bool": lambda: 1 - b,
        "float minus bool": lambda: x - b,
        "bool minus True": lambda: b - True,
        "neg bool": lambda: -b,
        "int floor_divide by 0": lambda: i // 0,
        "int remainder by 0": lambda: i % m.tensor([1, 0, 1]),
        "int fmod by 0": lambda: m.fmod(i, 0),
        "int div trunc by 0": lambda: m.div(i, 0, rounding_mode="trunc"),
        "int negative power": lambda: i ** -1,
        "int alpha float": lambda: m.add(i, i, alpha=0.5),
        "alpha bool": lambda: m.add(x, x, alpha=True),
        "sub alpha bool": lambda: m.sub(i, i, alpha=True),
        "div mode": lambda: m.div(x, 2, rounding_mode="round"),
        "clamp no bounds": lambda: m.clamp(x),
        "where float cond": lambda: m.where(x, x, 0.0),
        "where one value": lambda: m.where(b, x),
        "lerp end dtype": lambda: m.lerp(x, x.double(), 0.5),
        "lerp weight dtype": lambda: m.lerp(x, x, m.ones(3, dtype=m.float64)),
        "lerp int": lambda: m.lerp(i, i, 0.5),
        "isclose dtypes": lambda: m.isclose(x, x.double()),
        "isclose rtol": lambda: m.isclose(x, x, rtol=-1),
        "isclose atol": lambda: m.isclose(x, x, atol=-1),
        "isclose shapes": lambda: m.isclose(x, m.zeros(2)),
        "allclose shapes": lambda: m.allclose(x, m.zeros(2)),
        "relu bool": lambda: m.relu(b),
        "abs bool": lambda: m.abs(b),
        "floor bool": lambda: m.floor(b),
        "frac int": lambda: m.frac(i),
        "round int decimals": lambda: m.round(i, decimals=1),
        "floor_divide bool": lambda: b // b,
        "remainder bool": lambda: b % b,
        "pow bool": lambda: b ** b,
        "fmod bool": lambda: m.fmod(b, b),
        "maximum number": lambda: m.maximum(x, 0),
        "logical_and number": lambda: m.logical_and(b, True),
        "floor_divide backward": lambda: (leaf // 2).sum().backward(),
        "number % tensor backward": lambda: (5 % leaf).sum().backward(),
        "add a string": lambda: m.add(x, "a"),
        "mul a list": lambda: m.mul(x, [1, 2]),
        "add to a string": lambda: m.add("a", x),
        "plus None": lambda: x + None,
    }


@pytest.mark.parametrize("case", list(_errors_table(lt)))
def test_error_parity(torch, case):
    same_error(_errors_table(lt)[case], _errors_table(torch)[case])


@pytest.mark.skipif(not lt.cuda.is_available(), reason="needs a second device (real or simulated cuda)")
def test_device_mix_error():
    device = "cuda"
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        lt.ones(2) + lt.ones(2, device=device)
    assert (lt.ones(2, device=device) + 2).device.type == "cuda"
