"""The Tensor-method sweep (learntorch/ops/extras.py, Tensor.register_post_accumulate_grad_hook) against
real PyTorch: metadata, the legacy ``new``, in-place shape changes, fmax/fmin, sgn, ldexp, frexp,
nextafter, addr, inner, vdot, ravel, narrow_copy, split_with_sizes, diagflat, fill_diagonal_, apply_/map_:
values, dtypes, gradients, node names, version counters and errors."""
import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import gradcheck
from parity import assert_same, same_error

FLOATS = ["float32", "float64"]
NAN, INF = float("nan"), float("inf")


def tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)


def name_of(t):
    return t.grad_fn.name() if t.grad_fn is not None else None


def both(torch, arr, device, dtype="float32", requires_grad=False):
    a = np.asarray(arr, dtype=dtype)
    return (lt.tensor(a, device=device, requires_grad=requires_grad),
            torch.tensor(a, requires_grad=requires_grad))


def check_grads(ours, theirs, pairs, seed=1, **kw):
    """Backward of sum(out * w) for a random w on both sides; compare the leaves' gradients."""
    w = np.random.default_rng(seed).standard_normal(tuple(theirs.shape))
    (ours * lt.tensor(w, device=ours.device).to(ours.dtype)).sum().backward()
    (theirs * theirs.new_tensor(w)).sum().backward()
    for a, b in pairs:
        assert_same(a.grad, b.grad, **kw)


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# --- metadata --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int8", "uint8", "bool"])
def test_metadata(torch, device, dtype):
    x = lt.zeros(2, 3, dtype=getattr(lt, dtype), device=device)
    y = torch.zeros(2, 3, dtype=getattr(torch, dtype))
    assert (x.itemsize, x.nbytes, x.is_signed(), x.is_complex(), x.is_inference()) == \
        (y.itemsize, y.nbytes, y.is_signed(), y.is_complex(), y.is_inference())
    assert lt.is_signed(x) == torch.is_signed(y) and lt.is_complex(x) is False and lt.is_inference(x) is False
    assert x.is_cpu == (device == "cpu")
    assert repr(x.layout) == repr(y.layout) == "torch.strided" and x.layout is lt.strided
    assert isinstance(lt.strided, lt.layout)
    assert x.is_same_size(lt.ones(2, 3)) and not x.is_same_size(lt.ones(3, 2))
    assert lt.is_same_size(x, lt.ones(2, 3, device=device))


def test_output_nr(device):
    x = lt.ones(4, requires_grad=True, device=device)
    a, b = x.split(2)
    assert (x.output_nr, a.output_nr, b.output_nr, (x * 2).output_nr) == (0, 0, 1, 0)


def test_new_legacy(torch, device):
    x = lt.zeros(2, 3, dtype=lt.float64, device=device)
    y = torch.zeros(2, 3, dtype=torch.float64)
    assert_same(x.new([1, 2]), y.new([1, 2]))
    assert_same(x.new((2, 3)), y.new((2, 3)))        # a tuple is data, as in PyTorch
    assert x.new(2, 3).shape == (2, 3) and x.new(2, 3).dtype is lt.float64
    assert x.new(2, 3).device == x.device
    assert x.new().shape == (0,)
    assert_same(lt.zeros(2, dtype=lt.int32).new([1.5]), torch.zeros(2, dtype=torch.int32).new([1.5]))
    same_error(lambda: lt.zeros(2).new(lt.tensor([1, 2])), lambda: torch.zeros(2).new(torch.tensor([1, 2])))


def test_type_as(torch, device):
    x, y = both(torch, [[1.5, -2.7]], device, requires_grad=True)
    out, ref = x.type_as(lt.zeros(1, dtype=lt.int64)), y.type_as(torch.zeros(1, dtype=torch.int64))
    assert_same(out, ref)
    assert x.type_as(x) is x
    z = x.type_as(lt.zeros(1, dtype=lt.float64))
    assert z.dtype is lt.float64 and name_of(z) == "ToCopyBackward0"


def test_real_conj_and_friends(torch, device):
    x, y = both(torch, rand((2, 3)), device)
    for name in ("conj", "resolve_conj", "resolve_neg"):
        assert getattr(x, name)() is x and getattr(lt, name)(x) is x
    assert x.real is x and lt.real(x) is x
    assert not x.is_conj() and not x.is_neg() and not lt.is_conj(x)
    same_error(lambda: x.imag, lambda: y.imag)


@pytest.mark.parametrize("dtype", FLOATS)
def test_H_mH_adjoint(torch, device, dtype):
    x, y = both(torch, rand((2, 3, 4)), device, dtype, requires_grad=True)
    assert_same(x.mH, y.mH)
    assert_same(x.adjoint(), y.adjoint())
    assert_same(lt.adjoint(x), torch.adjoint(y))
    assert_same(x[0].H, y[0].H)
    assert x[0].H._base is x and name_of(x[0].H) == name_of(y[0].H) == "TransposeBackward0"
    check_grads(x[0].H, y[0].H, [(x, y)])
    same_error(lambda: x.H, lambda: y.H)
    same_error(lambda: x[0, 0].H, lambda: y[0, 0].H)
    same_error(lambda: x[0, 0].mH, lambda: y[0, 0].mH)
    same_error(lambda: x[0, 0].adjoint(), lambda: y[0, 0].adjoint())


# --- in-place shape changes ---------------------------------------------------------------------------

@pytest.mark.parametrize("call", [lambda t: t.t_(), lambda t: t.transpose_(0, -1), lambda t: t.swapaxes_(1, 0),
                                  lambda t: t.swapdims_(-1, -2), lambda t: t.unsqueeze_(-1),
                                  lambda t: t.unsqueeze_(0).squeeze_(), lambda t: t.unsqueeze_(1).squeeze_(1),
                                  lambda t: t.unsqueeze_(0).unsqueeze_(-1).squeeze_((0, -1))])
@pytest.mark.parametrize("dtype", FLOATS)
def test_inplace_shape_ops(torch, device, call, dtype):
    x, y = both(torch, rand((2, 3)), device, dtype, requires_grad=True)
    a, b = x * 1, y * 1
    ra, rb = call(a), call(b)
    assert ra is a and rb is b
    assert_same(a, b)
    assert a.stride() == b.stride()
    assert a._version == b._version
    assert name_of(a) == name_of(b)
    check_grads(a, b, [(x, y)])


def test_inplace_shape_ops_on_leaves(torch, device):
    x, y = both(torch, rand((2, 3)), device, requires_grad=True)
    same_error(lambda: x.t_(), lambda: y.t_())
    same_error(lambda: x[0].unsqueeze_(0), lambda: y[0].unsqueeze_(0))
    p, q = both(torch, rand((2, 3)), device)
    view, view_t = p[0], q[0]
    view.unsqueeze_(0)
    view_t.unsqueeze_(0)
    assert view.shape == view_t.shape and view._base is p
    view.fill_(7)
    view_t.fill_(7)
    assert_same(p, q)                     # still a view of the same memory


def test_resize(torch, device):
    x, y = lt.arange(6.0, device=device), torch.arange(6.0)
    assert_same(x.resize_(2, 2), y.resize_(2, 2))
    assert x._version == y._version
    x, y = lt.arange(6.0, device=device), torch.arange(6.0)     # (torch cannot grow memory NumPy has seen)
    x.resize_(2, 2)
    y.resize_(2, 2)
    x.resize_(3, 3)
    y.resize_(3, 3)
    assert x.shape == y.shape and x.flatten()[:4].tolist() == y.flatten()[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    p, q = lt.arange(6.0, device=device).view(2, 3).t(), torch.arange(6.0).view(2, 3).t()
    p.resize_(2, 3)
    q.resize_(2, 3)
    assert_same(p, q)
    assert p.stride() == q.stride()
    assert lt.zeros(2, device=device).resize_as_(lt.zeros(3, 1)).shape == (3, 1)
    assert lt.resize_as_(lt.zeros(2), lt.zeros(1, 2)).shape == (1, 2)
    same_error(lambda: lt.zeros(2, requires_grad=True).resize_(6), lambda: torch.zeros(2, requires_grad=True).resize_(6))
    same_error(lambda: (lt.zeros(2, requires_grad=True) * 1).resize_(6),
               lambda: (torch.zeros(2, requires_grad=True) * 1).resize_(6))
    same_error(lambda: lt.zeros(2).resize_(2, -1), lambda: torch.zeros(2).resize_(2, -1))


# --- element-wise math -----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("fn", ["fmax", "fmin"])
def test_fmax_fmin(torch, device, dtype, fn):
    a_np = np.array([[1.0, NAN, 3.0, NAN], [2.0, -1.0, 0.5, 4.0]], dtype=dtype)
    b_np = np.array([[2.0, 1.0, NAN, NAN], [2.0, 5.0, -0.5, 3.0]], dtype=dtype)
    a, ta = both(torch, a_np.T, device, dtype, requires_grad=True)     # transposed: non-contiguous
    b, tb = both(torch, b_np.T, device, dtype, requires_grad=True)
    out, ref = getattr(lt, fn)(a.t(), b.t()), getattr(torch, fn)(ta.t(), tb.t())
    assert_same(out, ref)
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(a, ta), (b, tb)])           # ties (2.0 vs 2.0) go to the first input, as in PyTorch
    assert_same(getattr(a, fn)(b), getattr(ta, fn)(tb))
    assert_same(getattr(lt, fn)(lt.tensor([1, 5]), lt.tensor([1.5, 3.0])), getattr(torch, fn)(torch.tensor([1, 5]), torch.tensor([1.5, 3.0])))
    assert_same(getattr(lt, fn)(lt.tensor([True, False]), lt.tensor([False, False])),
                getattr(torch, fn)(torch.tensor([True, False]), torch.tensor([False, False])))
    same_error(lambda: getattr(lt, fn)(a, 2), lambda: getattr(torch, fn)(ta, 2))


@pytest.mark.parametrize("dtype", FLOATS)
def test_sgn(torch, device, dtype):
    x, y = both(torch, [-2.0, 0.0, 3.5, NAN], device, dtype, requires_grad=True)
    out, ref = x.sgn(), y.sgn()
    assert_same(out, ref)
    assert name_of(out) == name_of(ref) == "SgnBackward0"
    out.sum().backward()
    assert x.grad.tolist() == [0.0] * 4          # (PyTorch's gradient here is a ZeroTensor)
    assert_same(lt.sgn(lt.tensor([-3, 0, 2])), torch.sgn(torch.tensor([-3, 0, 2])))
    p, q = both(torch, [-2.0, 0.5], device, dtype)
    assert_same(p.sgn_(), q.sgn_())


@pytest.mark.parametrize("dtype", FLOATS)
def test_ldexp(torch, device, dtype):
    x, y = both(torch, rand((2, 3)), device, dtype, requires_grad=True)
    e, te = both(torch, [[2.0, -1.0, 0.5], [3.0, 0.0, -2.5]], device, dtype, requires_grad=True)
    out, ref = lt.ldexp(x, e), torch.ldexp(y, te)
    assert_same(out, ref, **tol(dtype))
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(x, y), (e, te)], **tol(dtype))
    ints, tints = lt.tensor([2, -3, 0], device=device), torch.tensor([2, -3, 0])
    assert_same(lt.ldexp(lt.tensor([1, 2, 3], device=device), ints), torch.ldexp(torch.tensor([1, 2, 3]), tints))
    assert_same(x[0].ldexp(ints), y[0].ldexp(tints))
    p, q = both(torch, [1.0, 2.0, 3.0], device, dtype)
    assert_same(p.ldexp_(ints), q.ldexp_(tints))
    same_error(lambda: lt.ldexp(x, 2), lambda: torch.ldexp(y, 2))
    assert gradcheck(lt.ldexp, (lt.tensor(rand(4), requires_grad=True), lt.tensor(rand(4, seed=2), requires_grad=True)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_frexp(torch, device, dtype):
    values = [8.0, 0.3, -5.0, 0.0, -0.0, 1.0, 0.5, 1e-30, 3e38, INF, -INF, NAN, 7.999999, 2.0 ** -140]
    if dtype == "float64":
        values += [1e300, 2.0 ** -1060, 1.7e308]
    x, y = both(torch, values, device, dtype, requires_grad=True)
    out, ref = lt.frexp(x), torch.frexp(y)
    assert_same(out.mantissa, ref.mantissa, rtol=0, atol=0)
    assert_same(out.exponent, ref.exponent, rtol=0, atol=0)
    if device == "cpu":
        assert repr(out) == repr(ref)
    assert name_of(out[0]) == name_of(ref[0]) and out[1].grad_fn is None
    m, tm = lt.frexp(x[:3] * 3), torch.frexp(y[:3] * 3)
    check_grads(m.mantissa, tm.mantissa, [(x, y)])
    assert_same(x.frexp()[1], y.frexp()[1])
    same_error(lambda: lt.frexp(lt.tensor([8, 3])), lambda: torch.frexp(torch.tensor([8, 3])))
    assert gradcheck(lambda t: lt.frexp(t).mantissa, (lt.tensor(rand(5), requires_grad=True),))


@pytest.mark.parametrize("dtype", FLOATS)
def test_nextafter(torch, device, dtype):
    info = np.finfo(dtype)
    a = [1.0, 2.0, 1.0, 0.0, 0.0, INF, -INF, float(info.max), 0.5, -0.5, float(info.tiny), float(info.tiny) / 4,
         -3.0, NAN, 1.0, 3.0, 0.25]
    b = [2.0, 1.0, 1.0, -1.0, 1.0, 0.0, 0.0, INF, 0.0, -1.0, 0.0, 1.0, -INF, 1.0, NAN, 3.0, -0.25]
    x, y = both(torch, a, device, dtype, requires_grad=True)
    o, to = both(torch, b, device, dtype, requires_grad=True)
    out, ref = lt.nextafter(x, o), torch.nextafter(y, to)
    assert_same(out, ref, rtol=0, atol=0)
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(x, y), (o, to)])
    p, q = both(torch, [1.0, -2.0], device, dtype)
    assert_same(p.nextafter_(lt.tensor([2.0, -3.0], dtype=p.dtype, device=device)),
                q.nextafter_(torch.tensor([2.0, -3.0], dtype=q.dtype)), rtol=0, atol=0)
    assert_same(lt.nextafter(lt.tensor([1.0]), lt.tensor([2.0], dtype=lt.float64)),
                torch.nextafter(torch.tensor([1.0]), torch.tensor([2.0], dtype=torch.float64)), rtol=0, atol=0)
    same_error(lambda: lt.nextafter(lt.tensor([1, 2]), lt.tensor([2, 1])),
               lambda: torch.nextafter(torch.tensor([1, 2]), torch.tensor([2, 1])))


# --- products and pieces ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_addr(torch, device, dtype):
    m, tm = both(torch, rand((3, 2)), device, dtype, requires_grad=True)
    u, tu = both(torch, rand(2, seed=1), device, dtype, requires_grad=True)
    v, tv = both(torch, rand(3, seed=2), device, dtype, requires_grad=True)
    out, ref = lt.addr(m.t(), u, v, beta=2, alpha=-1.5), torch.addr(tm.t(), tu, tv, beta=2, alpha=-1.5)
    assert_same(out, ref, **tol(dtype))
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(m, tm), (u, tu), (v, tv)], **tol(dtype))
    assert_same(m.t().addr(u, v), tm.t().addr(tu, tv), **tol(dtype))
    assert_same(lt.addr(lt.zeros(3, device=device, dtype=m.dtype), u, v), torch.addr(torch.zeros(3, dtype=tm.dtype), tu, tv))
    ints = [lt.tensor(a, device=device) for a in ([[1, 2, 3]], [1, 2], [1, 2, 3])]
    tints = [torch.tensor(a) for a in ([[1, 2, 3]], [1, 2], [1, 2, 3])]
    assert_same(lt.addr(*ints, alpha=2), torch.addr(*tints, alpha=2))
    bools = [lt.tensor(a, device=device) for a in ([[True, False, False]], [True, False], [True, True, False])]
    tbools = [torch.tensor(a) for a in ([[True, False, False]], [True, False], [True, True, False])]
    assert_same(lt.addr(*bools), torch.addr(*tbools))
    p, q = lt.zeros(2, 3, dtype=m.dtype, device=device), torch.zeros(2, 3, dtype=tm.dtype)
    assert_same(p.addr_(u, v, beta=0), q.addr_(tu, tv, beta=0), **tol(dtype))
    same_error(lambda: lt.addr(lt.zeros(2, 3), lt.ones(3), lt.ones(3)), lambda: torch.addr(torch.zeros(2, 3), torch.ones(3), torch.ones(3)))
    same_error(lambda: lt.addr(lt.zeros(2, 3), lt.ones(2, 2), lt.ones(3)), lambda: torch.addr(torch.zeros(2, 3), torch.ones(2, 2), torch.ones(3)))
    same_error(lambda: lt.addr(lt.zeros(2, 3), lt.ones(2), lt.ones(3, 1)), lambda: torch.addr(torch.zeros(2, 3), torch.ones(2), torch.ones(3, 1)))
    assert gradcheck(lambda a, b, c: lt.addr(a, b, c, beta=0.5, alpha=2.0),
                     tuple(lt.tensor(rand(s, seed=i), requires_grad=True)
                           for i, s in enumerate([(2, 3), 2, 3])))


@pytest.mark.parametrize("dtype", FLOATS)
def test_inner_vdot(torch, device, dtype):
    a, ta = both(torch, rand((3, 2, 4)), device, dtype, requires_grad=True)
    b, tb = both(torch, rand((4, 5), seed=1), device, dtype, requires_grad=True)
    out, ref = lt.inner(a, b.t()), torch.inner(ta, tb.t())
    assert_same(out, ref, **tol(dtype))
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(a, ta), (b, tb)], **tol(dtype))
    assert_same(a[0, 0].inner(b[:, 0]), ta[0, 0].inner(tb[:, 0]), **tol(dtype))
    assert_same(lt.inner(a, lt.tensor(2.0, dtype=a.dtype, device=device)), torch.inner(ta, torch.tensor(2.0, dtype=ta.dtype)))
    same_error(lambda: lt.inner(a, b), lambda: torch.inner(ta, tb))
    same_error(lambda: lt.inner(a, b.t().double() if dtype == "float32" else b.t().float()),
               lambda: torch.inner(ta, tb.t().double() if dtype == "float32" else tb.t().float()))
    u, tu = both(torch, rand(4), device, dtype, requires_grad=True)
    out, ref = lt.vdot(u, b[:, 1]), torch.vdot(tu, tb[:, 1])
    assert_same(out, ref, **tol(dtype))
    assert name_of(out) == name_of(ref) == "VdotBackward0"
    out.backward()
    ref.backward()
    assert_same(u.grad, tu.grad)
    assert_same(b.grad, tb.grad)
    same_error(lambda: lt.vdot(u, lt.ones(3, dtype=u.dtype)), lambda: torch.vdot(tu, torch.ones(3, dtype=tu.dtype)))
    same_error(lambda: lt.vdot(lt.ones(2, 2), lt.ones(2, 2)), lambda: torch.vdot(torch.ones(2, 2), torch.ones(2, 2)))
    assert gradcheck(lt.inner, (lt.tensor(rand((2, 3)), requires_grad=True),
                                lt.tensor(rand((4, 3), seed=1), requires_grad=True)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_ravel_narrow_copy_split_diagflat(torch, device, dtype):
    x, y = both(torch, rand((3, 4)), device, dtype, requires_grad=True)
    for out, ref in ((x.ravel(), y.ravel()), (lt.ravel(x.t()), torch.ravel(y.t()))):
        assert_same(out, ref)
        assert name_of(out) == name_of(ref)
    c = x.detach().clone()
    flat, tflat = c.ravel(), c.t().ravel()     # a view / a copy, as in PyTorch
    flat[0] = 100.0
    tflat[1] = 200.0
    assert c[0, 0].item() == 100.0 and c[1, 0].item() != 200.0
    out, ref = x.t().narrow_copy(-1, 1, 2), torch.narrow_copy(y.t(), -1, 1, 2)
    assert_same(out, ref)
    assert name_of(out) == name_of(ref) == "NarrowCopyBackward0" and out._base is None
    check_grads(out, ref, [(x, y)])
    same_error(lambda: x.narrow_copy(1, 3, 2), lambda: y.narrow_copy(1, 3, 2))
    x.grad = y.grad = None
    outs, refs = x.split_with_sizes([1, 3], dim=-1), y.split_with_sizes([1, 3], dim=-1)
    assert isinstance(outs, tuple) and len(outs) == 2
    for o, r in zip(outs, refs):
        assert_same(o, r)
        assert name_of(o) == name_of(r)
    check_grads(outs[1], refs[1], [(x, y)])
    same_error(lambda: x.split_with_sizes([1, 2], dim=1), lambda: y.split_with_sizes([1, 2], dim=1))
    x.grad = y.grad = None
    for offset in (0, 1, -2):
        out, ref = lt.diagflat(x[:2, :2].t(), offset), torch.diagflat(y[:2, :2].t(), offset)
        assert_same(out, ref)
    assert name_of(out) == name_of(ref)
    check_grads(out, ref, [(x, y)])
    assert_same(lt.diagflat(lt.tensor(3.0)), torch.diagflat(torch.tensor(3.0)))
    assert gradcheck(lambda t: lt.diagflat(t, 1), (lt.tensor(rand((2, 2)), requires_grad=True),))
    assert gradcheck(lambda t: t.narrow_copy(0, 1, 2), (lt.tensor(rand((3, 2)), requires_grad=True),))


@pytest.mark.parametrize("shape, wrap", [((3, 4), False), ((7, 3), False), ((7, 3), True), ((2, 2, 2), False),
                                         ((3, 3, 3), True)])
def test_fill_diagonal(torch, device, shape, wrap):
    x, y = lt.zeros(shape, device=device), torch.zeros(shape)
    assert x.fill_diagonal_(5, wrap=wrap) is x
    y.fill_diagonal_(5, wrap=wrap)
    assert_same(x, y)
    assert x._version == y._version or wrap       # (PyTorch's wrap writes twice: version 2)
    i, ti = lt.zeros(shape, dtype=lt.int64, device=device), torch.zeros(shape, dtype=torch.int64)
    assert_same(i.fill_diagonal_(2.7, wrap), ti.fill_diagonal_(2.7, wrap))


def test_fill_diagonal_grad_and_errors(torch, device):
    x, y = both(torch, rand((3, 3)), device, "float64", requires_grad=True)
    a, b = x * 2, y * 2
    a.fill_diagonal_(0)
    b.fill_diagonal_(0)
    assert_same(a, b)
    assert name_of(a) == name_of(b) == "torch::autograd::CopySlices"
    check_grads(a, b, [(x, y)])
    same_error(lambda: lt.zeros(2, 3, 4).fill_diagonal_(1), lambda: torch.zeros(2, 3, 4).fill_diagonal_(1))
    same_error(lambda: lt.zeros(3).fill_diagonal_(1), lambda: torch.zeros(3).fill_diagonal_(1))
    same_error(lambda: lt.zeros(2, 2, requires_grad=True).fill_diagonal_(1),
               lambda: torch.zeros(2, 2, requires_grad=True).fill_diagonal_(1))


@pytest.mark.parametrize("dtype", FLOATS)
def test_inplace_cumsum_cumprod_addmm(torch, device, dtype):
    x, y = both(torch, rand((2, 3)), device, dtype, requires_grad=True)
    a, b = x * 1, y * 1
    a.cumsum_(-1)
    b.cumsum_(-1)
    a.cumprod_(dim=0)
    b.cumprod_(dim=0)
    assert_same(a, b, **tol(dtype))
    assert name_of(a) == name_of(b) and a._version == b._version
    check_grads(a, b, [(x, y)], **tol(dtype))
    assert_same(lt.ones(2, dtype=lt.int32).cumsum_(0), torch.ones(2, dtype=torch.int32).cumsum_(0))
    m, tm = both(torch, rand((2, 2), seed=3), device, dtype)
    p, q = both(torch, rand((2, 2), seed=4), device, dtype)
    assert_same(p.addmm_(m, m.t(), beta=2, alpha=3), q.addmm_(tm, tm.t(), beta=2, alpha=3), **tol(dtype))
    same_error(lambda: x.cumsum_(0), lambda: y.cumsum_(0))


# --- apply_ / map_ -----------------------------------------------------------------------------------------

def test_apply_and_map(torch, device):
    x, y = lt.tensor([[1.0, 2.0], [3.0, 4.0]], device=device), torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    if device != "cpu":
        same_error(lambda: x.apply_(lambda v: v), lambda: (_ for _ in ()).throw(TypeError(
            "apply_ is only implemented on CPU tensors")))
        return
    assert x.t().apply_(lambda v: v * 10 + 1) is not None
    y.t().apply_(lambda v: v * 10 + 1)
    assert_same(x, y)
    assert x._version == y._version
    assert_same(x.map_(lt.tensor([1.0, -1.0]), lambda a, b: a * b), y.map_(torch.tensor([1.0, -1.0]), lambda a, b: a * b))
    assert_same(lt.tensor([1, 2]).apply_(lambda v: v / 2), torch.tensor([1, 2]).apply_(lambda v: v / 2))
    same_error(lambda: lt.tensor([1.0]).apply_(lambda v: "a"), lambda: torch.tensor([1.0]).apply_(lambda v: "a"))
    same_error(lambda: lt.ones(2, requires_grad=True).apply_(abs), lambda: torch.ones(2, requires_grad=True).apply_(abs))
    same_error(lambda: lt.ones(2).map_(lt.ones(2, requires_grad=True), max),
               lambda: torch.ones(2).map_(torch.ones(2, requires_grad=True), max))
    same_error(lambda: lt.ones(2).map_(lt.ones(2, dtype=lt.int64), max),
               lambda: torch.ones(2).map_(torch.ones(2, dtype=torch.int64), max))
    same_error(lambda: lt.ones(2).map_(lt.ones(3), max), lambda: torch.ones(2).map_(torch.ones(3), max))


def test_memory_stand_ins(torch, device):
    x = lt.ones(2, device=device)
    assert x.pin_memory() is x and x.is_pinned() is False
    assert x.share_memory_() is x and x.is_shared() is False
    assert torch.ones(2).is_pinned() is False and torch.ones(2).is_shared() is False


# --- post-accumulate-grad hooks ----------------------------------------------------------------------------

def test_post_accumulate_grad_hook(torch, device):
    seen = {}
    for mod, dev in ((lt, device), (torch, "cpu")):
        x = mod.ones(2, requires_grad=True, device=dev)
        log = seen[mod.__name__] = []
        h = x.register_post_accumulate_grad_hook(lambda t, x=x, log=log: log.append((t is x, t.grad.tolist())))
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        h.remove()
        (x * 3).sum().backward()
        mod.autograd.grad((x * 2).sum(), x)            # no accumulation: no call
        z = mod.ones(2, requires_grad=True, device=dev)
        z.register_post_accumulate_grad_hook(lambda t: [t.grad.zero_(), None][1])
        (z * 2).sum().backward()
        log.append(z.grad.tolist())
    assert seen["learntorch"] == seen["torch"] == [(True, [3.0, 3.0]), (True, [6.0, 6.0]), [0.0, 0.0]]
    same_error(lambda: (lt.ones(2, requires_grad=True) * 1).register_post_accumulate_grad_hook(print),
               lambda: (torch.ones(2, requires_grad=True) * 1).register_post_accumulate_grad_hook(print))
    same_error(lambda: lt.ones(2).register_post_accumulate_grad_hook(print),
               lambda: torch.ones(2).register_post_accumulate_grad_hook(print))

    def bad(mod, value):
        x = mod.ones(2, requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda t: value(t))
        (x * 2).sum().backward()
    same_error(lambda: bad(lt, lambda t: 5), lambda: bad(torch, lambda t: 5))
    same_error(lambda: bad(lt, lambda t: t.grad), lambda: bad(torch, lambda t: t.grad))
