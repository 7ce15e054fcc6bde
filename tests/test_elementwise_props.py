"""Property tests: element-wise ops on random broadcastable shapes agree with NumPy,
values and gradients (the gradient of ``sum(out * g)`` written out by hand in NumPy).
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.numpy import arrays, array_shapes, mutually_broadcastable_shapes

import learntorch as lt

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ANY = st.floats(-3, 3)
POS = st.floats(0.2, 3)
AWAY0 = st.floats(0.5, 2) | st.floats(-2, -0.5)


def sum_to(g, shape):
    """Sum a broadcast gradient back to ``shape`` (what the engine does for every input)."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


def as_tensor(arr, device, noncontig):
    """``arr`` as a leaf on ``device``; with ``noncontig``, a permuted view of a leaf holding the transpose."""
    if noncontig and arr.ndim >= 2:
        leaf = lt.tensor(np.ascontiguousarray(arr.transpose()), device=device, requires_grad=True)
        return leaf, leaf.permute(*reversed(range(arr.ndim)))
    leaf = lt.tensor(arr, device=device, requires_grad=True)
    return leaf, leaf


def grad_of(leaf, noncontig, ndim):
    g = leaf.grad.cpu().numpy()
    return g.transpose() if noncontig and ndim >= 2 else g


BINARY = {
    # name: (learntorch call, NumPy value, NumPy gradients (a, b, out, g) -> (da, db), domain of a, of b)
    "add": (lambda a, b: a + b, np.add, lambda a, b, z, g: (g, g), ANY, ANY),
    "add_alpha": (lambda a, b: lt.add(a, b, alpha=-1.5), lambda a, b: a - 1.5 * b,
                  lambda a, b, z, g: (g, -1.5 * g), ANY, ANY),
    "sub": (lambda a, b: a - b, np.subtract, lambda a, b, z, g: (g, -g), ANY, ANY),
    "mul": (lambda a, b: a * b, np.multiply, lambda a, b, z, g: (g * b, g * a), ANY, ANY),
    "div": (lambda a, b: a / b, np.divide, lambda a, b, z, g: (g / b, -g * a / b ** 2), ANY, AWAY0),
    "pow": (lambda a, b: a ** b, np.power, lambda a, b, z, g: (g * b * a ** (b - 1), g * z * np.log(a)), POS, ANY),
    "remainder": (lambda a, b: a % b, np.remainder, lambda a, b, z, g: (g, -g * np.floor_divide(a, b)), ANY, AWAY0),
    "fmod": (lambda a, b: lt.fmod(a, b), np.fmod, lambda a, b, z, g: (g, -g * np.trunc(a / b)), ANY, AWAY0),
    "maximum": (lambda a, b: lt.maximum(a, b), np.maximum,
                lambda a, b, z, g: (g * ((a > b) + 0.5 * (a == b)), g * ((b > a) + 0.5 * (a == b))), ANY, ANY),
    "minimum": (lambda a, b: lt.minimum(a, b), np.minimum,
                lambda a, b, z, g: (g * ((a < b) + 0.5 * (a == b)), g * ((b < a) + 0.5 * (a == b))), ANY, ANY),
    "lerp": (lambda a, b: lt.lerp(a, b, 0.3), lambda a, b: a + 0.3 * (b - a),
             lambda a, b, z, g: (0.7 * g, 0.3 * g), ANY, ANY),
}


@pytest.mark.parametrize("op", list(BINARY))
@SETTINGS
@given(data=st.data())
def test_binary_ops_match_numpy(device, op, data):
    call, value, grads, dom_a, dom_b = BINARY[op]
    shapes = data.draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
    a = data.draw(arrays(np.float64, shapes.input_shapes[0], elements=dom_a))
    b = data.draw(arrays(np.float64, shapes.input_shapes[1], elements=dom_b))
    nc_a, nc_b = data.draw(st.booleans()), data.draw(st.booleans())
    la, xa = as_tensor(a, device, nc_a)
    lb, xb = as_tensor(b, device, nc_b)
    out = call(xa, xb)
    want = value(a, b)
    assert tuple(out.shape) == shapes.result_shape
    np.testing.assert_allclose(out.detach().cpu().numpy(), want, rtol=1e-10, atol=1e-12)
    g = data.draw(arrays(np.float64, shapes.result_shape, elements=ANY))
    (out * lt.tensor(g, device=device)).sum().backward()
    da, db = grads(a, b, want, g)
    np.testing.assert_allclose(grad_of(la, nc_a, a.ndim), sum_to(np.broadcast_to(da, want.shape), a.shape),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grad_of(lb, nc_b, b.ndim), sum_to(np.broadcast_to(db, want.shape), b.shape),
                               rtol=1e-9, atol=1e-12)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


UNARY = {
    "exp": (np.exp, lambda x: np.exp(x), ANY), "log": (np.log, lambda x: 1 / x, POS),
    "log2": (np.log2, lambda x: 1 / (x * np.log(2)), POS), "log1p": (np.log1p, lambda x: 1 / (1 + x), POS),
    "expm1": (np.expm1, np.exp, ANY), "sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x), POS),
    "rsqrt": (lambda x: 1 / np.sqrt(x), lambda x: -0.5 * x ** -1.5, POS),
    "reciprocal": (lambda x: 1 / x, lambda x: -1 / x ** 2, AWAY0),
    "sin": (np.sin, np.cos, ANY), "cos": (np.cos, lambda x: -np.sin(x), ANY),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2, ANY),
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), st.floats(-30, 30)),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0) * 1.0, ANY),
    "abs": (np.abs, np.sign, ANY), "square": (np.square, lambda x: 2 * x, ANY),
    "sign": (np.sign, lambda x: 0 * x, ANY), "floor": (np.floor, lambda x: 0 * x, ANY),
    "round": (np.round, lambda x: 0 * x, ANY), "frac": (lambda x: x - np.trunc(x), lambda x: 1 + 0 * x, ANY),
}


@pytest.mark.parametrize("op", list(UNARY))
@SETTINGS
@given(data=st.data())
def test_unary_ops_match_numpy(device, op, data):
    value, deriv, dom = UNARY[op]
    x = data.draw(arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4), elements=dom))
    nc = data.draw(st.booleans())
    leaf, t = as_tensor(x, device, nc)
    out = getattr(lt, op)(t)
    np.testing.assert_allclose(out.detach().cpu().numpy(), value(x), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    np.testing.assert_allclose(grad_of(leaf, nc, x.ndim), deriv(x), rtol=1e-9, atol=1e-12)


@SETTINGS
@given(data=st.data())
def test_where_and_clamp_three_shapes(device, data):
    shapes = data.draw(mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3))
    s0, s1, s2 = shapes.input_shapes
    c = data.draw(arrays(np.bool_, s0))
    x = data.draw(arrays(np.float64, s1, elements=ANY))
    y = data.draw(arrays(np.float64, s2, elements=ANY))
    lx, ly = (lt.tensor(v, device=device, requires_grad=True) for v in (x, y))
    out = lt.where(lt.tensor(c, device=device), lx, ly)
    np.testing.assert_array_equal(out.detach().cpu().numpy(), np.where(c, x, y))
    out.sum().backward()
    ones = np.ones(shapes.result_shape)
    np.testing.assert_array_equal(lx.grad.cpu().numpy(), sum_to(np.where(c, ones, 0.0), s1))
    np.testing.assert_array_equal(ly.grad.cpu().numpy(), sum_to(np.where(c, 0.0, ones), s2))

    # clamp(x, lo, hi): x's gradient passes inside [lo, hi], the bounds take it outside (hi wins if lo > hi)
    lo = data.draw(arrays(np.float64, s0, elements=ANY))
    hi = data.draw(arrays(np.float64, s2, elements=ANY))
    lx, llo, lhi = (lt.tensor(v, device=device, requires_grad=True) for v in (x, lo, hi))
    out = lt.clamp(lx, llo, lhi)
    np.testing.assert_allclose(out.detach().cpu().numpy(), np.minimum(np.maximum(x, lo), hi), rtol=1e-12)
    out.sum().backward()
    xb, lob, hib = np.broadcast_arrays(x, lo, hi)
    inside = (xb >= lob) & (xb <= hib)
    np.testing.assert_array_equal(lx.grad.cpu().numpy(), sum_to(inside * 1.0, s1))
    np.testing.assert_array_equal(llo.grad.cpu().numpy(), sum_to(((xb < lob) & (lob < hib)) * 1.0, s0))
    np.testing.assert_array_equal(lhi.grad.cpu().numpy(), sum_to(((xb > hib) | (hib < lob)) * 1.0, s2))


@SETTINGS
@given(data=st.data())
def test_comparisons_and_logic_match_numpy(device, data):
    shapes = data.draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
    small = st.integers(-2, 2).map(float)  # few values, so that ties happen
    a = data.draw(arrays(np.float64, shapes.input_shapes[0], elements=small))
    b = data.draw(arrays(np.float64, shapes.input_shapes[1], elements=small))
    x, y = lt.tensor(a, device=device), lt.tensor(b, device=device)
    pairs = [(x == y, a == b), (x != y, a != b), (x < y, a < b), (x <= y, a <= b), (x > y, a > b),
             (x >= y, a >= b), (lt.logical_and(x, y), np.logical_and(a, b)),
             (lt.logical_xor(x, y), np.logical_xor(a, b)), (lt.isclose(x, y), np.isclose(a, b)),
             (x.long() & y.long(), a.astype(np.int64) & b.astype(np.int64)),
             (x.long() | y.long(), a.astype(np.int64) | b.astype(np.int64))]
    for ours, want in pairs:
        np.testing.assert_array_equal(ours.cpu().numpy(), want)
