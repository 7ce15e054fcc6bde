"""Creation, conversion and tensor attributes: parity with PyTorch 2.13 (values, dtypes, reprs, errors).

Most checks are one expression evaluated twice, once with ``torch`` bound to
learntorch and once to real PyTorch: both must give the same repr, dtype and
shape, or raise the same exception class with the same message.
"""
import copy
import warnings

import numpy as np
import pytest

import learntorch as lt

EXPRESSIONS = """
torch.tensor("a")
torch.tensor(["a"])
torch.tensor(["a", 1])
torch.tensor([1, "a"])
torch.tensor([[1,2],"ab"])
torch.tensor([[1,2],[3]])
torch.tensor([[1,2],3])
torch.tensor([[1],2])
torch.tensor([1,[2]])
torch.tensor([1,[2]], dtype=torch.float32)
torch.tensor([1.5,[2]])
torch.tensor([[1,2],[3,4,5]])
torch.tensor([[[1],[2]],[[3],[4,5]]])
torch.tensor([1,2.5,True])
torch.tensor([True,1])
torch.tensor([True,False])
torch.tensor([np.bool_(True), 1.5])
torch.tensor(np.float64(1.5))
torch.tensor(np.float32(1.5))
torch.tensor(np.float16(1.5))
torch.tensor(np.int32(3))
torch.tensor(np.int8(-3))
torch.tensor(np.bool_(True))
torch.tensor([np.float64(1.5), 2])
torch.tensor([np.float32(1.5), 2])
torch.tensor([np.float16(1.5)])
torch.tensor([np.int32(1), 2])
torch.tensor([[np.int8(1)]])
torch.tensor([np.array([1.,2.]), np.array([3.,4.])])
torch.tensor([np.array([1,2],dtype=np.int32)])
torch.tensor([np.array(1.0)])
torch.tensor(np.array(5))
torch.tensor(np.array([[1.5, 2], [3, 4]], dtype=np.float32))
torch.tensor(np.array([1.0,2.0,3.0])[::2])
torch.tensor(np.array([1.5]), dtype=torch.int32)
torch.tensor(np.array(['a']))
torch.tensor(np.ones(2), dtype=torch.float32)
torch.tensor([torch.tensor(1.), torch.tensor(2.)])
torch.tensor([torch.tensor(1), 2.5])
torch.tensor([torch.tensor(1, dtype=torch.int32), 2])
torch.tensor([torch.tensor(1.,dtype=torch.float64), 2])
torch.tensor([torch.tensor(1, dtype=torch.int32), torch.tensor(2, dtype=torch.int64)])
torch.tensor([torch.ones(2), torch.ones(2)])
torch.tensor([torch.ones(1), torch.ones(1)])
torch.tensor([torch.tensor([1.,2.])])
torch.tensor(torch.ones(2))
torch.tensor(torch.ones(2, dtype=torch.int32), dtype=torch.float64)
torch.tensor([1,2], dtype=torch.int64, requires_grad=True)
torch.tensor(5, requires_grad=True)
torch.tensor(5., requires_grad=True)
torch.tensor([1, 2], dtype=torch.float32, device='cpu', requires_grad=True)
torch.tensor([])
torch.tensor([[]])
torch.tensor([[],[]])
torch.tensor([[], [1]])
torch.tensor([], dtype=torch.int64)
torch.tensor(None)
torch.tensor([None])
torch.tensor([1, None])
torch.tensor({1,2})
torch.tensor({'a':1})
torch.tensor(2**64)
torch.tensor(2**63)
torch.tensor([1, 2**63])
torch.tensor([2**63-1, -2**63])
torch.tensor([-2**63-1])
torch.tensor([-1], dtype=torch.uint8)
torch.tensor([-255], dtype=torch.uint8)
torch.tensor([-256], dtype=torch.uint8)
torch.tensor([300], dtype=torch.uint8)
torch.tensor([200], dtype=torch.int8)
torch.tensor([-129], dtype=torch.int8)
torch.tensor([70000], dtype=torch.int16)
torch.tensor([2**40], dtype=torch.int32)
torch.tensor([1e20], dtype=torch.int32)
torch.tensor([float('nan')], dtype=torch.int64)
torch.tensor([1.7, -1.7], dtype=torch.int64)
torch.tensor([0.5, 0.], dtype=torch.bool)
torch.tensor([1.,2.], dtype=torch.bool)
torch.tensor([True], dtype=torch.float32)
torch.tensor([1e6], dtype=torch.float16)
torch.tensor([1e300], dtype=torch.float32)
torch.tensor([1,2], dtype=torch.float16)
torch.tensor(3)
torch.tensor(3.5)
torch.tensor(True)
torch.tensor(True, dtype=torch.float32)
torch.tensor((1,2))
torch.tensor(range(3))
torch.tensor([[1,2],[3,4]], dtype=torch.float64)
torch.tensor([1,2],dtype='float32')
torch.tensor([1,2],dtype=np.float32)
torch.tensor(float('nan'))
torch.tensor([1.5, float('inf'), -float('inf')])
torch.as_tensor([1,2])
torch.as_tensor(5)
torch.as_tensor([1.,2.], device='cpu')
torch.as_tensor(np.array([1,2]), dtype=torch.float32)
torch.as_tensor(np.ones(3, dtype=np.float32))
torch.as_tensor(torch.ones(2), dtype=torch.int32)
torch.as_tensor(np.array(['a']))
torch.from_numpy([1,2])
torch.from_numpy(np.float64(1.0))
torch.from_numpy(np.array(['a']))
torch.from_numpy(np.array([1,2],dtype='>i4'))
torch.from_numpy(np.ones((2,3))[:, ::-1])
torch.from_numpy(np.zeros(3))
torch.from_numpy(np.arange(6, dtype=np.int32).reshape(2, 3))
torch.zeros(2,3)
torch.zeros((2,3))
torch.zeros([2,3])
torch.zeros(torch.Size([2,3]))
torch.zeros(())
torch.zeros(0)
torch.zeros()
torch.ones()
torch.full()
torch.zeros(-1)
torch.zeros(2,-3)
torch.ones(-2)
torch.empty(-1)
torch.full((-1,),2.)
torch.zeros(2.5)
torch.zeros((2,),(3,))
torch.zeros(2, dtype='float32')
torch.zeros(2, dtype=torch.int64, requires_grad=True)
torch.ones(2, dtype=torch.int32, requires_grad=True)
torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
torch.ones(3, dtype=torch.bool)
torch.empty(2, 3).shape
torch.empty((2,3), dtype=torch.bool).dtype
torch.full((2,), 3)
torch.full((2,), 3.)
torch.full((2,), True)
torch.full((2,2), 1.5, dtype=torch.int64)
torch.full((2,), 3, requires_grad=True)
torch.full((2,), 3., requires_grad=True)
torch.full([2, 3], float('nan'))
torch.full((), 3.)
torch.full((2,), torch.tensor(3.))
torch.full((2,), 'a')
torch.full(2, 3.)
torch.eye(3)
torch.eye(2,3)
torch.eye(0)
torch.eye(-1)
torch.eye(2, -1)
torch.eye(2.5)
torch.eye(3, dtype=torch.int64)
torch.eye(3, 2, dtype=torch.bool)
torch.eye(2, requires_grad=True)
torch.zeros_like(torch.zeros(2,dtype=torch.int32))
torch.ones_like(torch.zeros(2,dtype=torch.int32), dtype=torch.float64)
torch.full_like(torch.zeros(2,dtype=torch.int32), 2.7)
torch.full_like(torch.zeros(2, 2), 7)
torch.empty_like(torch.zeros(2)).shape
torch.zeros_like([1,2])
torch.zeros_like(torch.ones(2), dtype=torch.int64, requires_grad=True)
torch.ones_like(torch.ones(2, 2), requires_grad=True)
torch.rand_like(torch.zeros(2,dtype=torch.int32))
torch.randn_like(torch.zeros(2,dtype=torch.int32))
torch.scalar_tensor(3)
torch.arange(5)
torch.arange(0.,1.,0.1)
torch.arange(1,4,0.5)
torch.arange(0,1,0.3)
torch.arange(10,0,-3)
torch.arange(0,10,-1)
torch.arange(0,5,0)
torch.arange(5, dtype=torch.float32)
torch.arange(5.5)
torch.arange(torch.tensor(3))
torch.arange(-1.,1.,0.1)
torch.arange(0, 1, 0.1, dtype=torch.float64)
torch.arange(0.,3., dtype=torch.int32)
torch.arange(0, 10, 2.5, dtype=torch.int64)
torch.arange(0., 4)
torch.arange(True)
torch.arange(float('inf'))
torch.arange(0, float('nan'))
torch.arange(1, 2, 1, dtype=torch.bool)
torch.arange(5, requires_grad=True)
torch.arange(5., requires_grad=True)
torch.arange(-3.7, 5.2, 0.13)
torch.arange(-3.7, 5.2, 0.13, dtype=torch.float64)
torch.arange(100.5, 0, -0.7)
torch.arange(0.1, 60.3, 0.3)
torch.linspace(0,1,5)
torch.linspace(0,1,1)
torch.linspace(0,1,0)
torch.linspace(0,1,-1)
torch.linspace(-1,1,7)
torch.linspace(0,10,5,dtype=torch.int64)
torch.linspace(0, 10, 3, dtype=torch.int32)
torch.linspace(0,1)
torch.linspace(0, 1, 2.5)
torch.linspace(torch.tensor(0.), 1, 3)
torch.linspace(-3.3, 7.9, 51)
torch.linspace(-3.3, 7.9, 51, dtype=torch.float64)
torch.linspace(5, -2, 100)
torch.linspace(0, 1, 5, requires_grad=True)
torch.logspace(0,2,3)
torch.logspace(0,2,3,base=2)
torch.logspace(-1,1,5)
torch.logspace(0, 3, 4, dtype=torch.int64)
torch.logspace(-2.5, 1.5, 17)
torch.logspace(-2.5, 1.5, 17, dtype=torch.float64)
torch.logspace(0, 1, 9, base=3.0)
torch.randint(10,3)
torch.randint(5,5,(3,))
torch.randint(10)
torch.randint(0, 10, 5)
torch.randint(0., 10., (2,))
torch.randint(0, 10.5, (2,))
torch.randint(2**63, (2,))
torch.randint(-10, 0, (3,), dtype=torch.uint8)
torch.randint(0, 300, (3,), dtype=torch.uint8)
torch.randint(10, (3,), requires_grad=True)
torch.randn(2,3,dtype=torch.int64)
torch.rand(2,dtype=torch.int64)
torch.rand(-1)
torch.rand(2.5)
torch.rand()
torch.randn()
torch.randn(0)
torch.randperm(-1)
torch.randperm(4, requires_grad=True)
torch.normal(0.,-1.,(3,))
torch.normal(torch.zeros(3), -1.)
torch.normal(torch.zeros(3), torch.ones(2))
torch.normal(0, 1)
torch.normal(torch.zeros(2, dtype=torch.int64), 1.)
torch.zeros(2).uniform_(1, 0)
torch.zeros(2, dtype=torch.int64).uniform_()
torch.zeros(2, dtype=torch.int64).normal_()
torch.zeros(2).normal_(0, -1)
torch.zeros(2).random_(5, 2)
torch.zeros(2).random_(-3)
torch.zeros(2).random_(0)
torch.zeros(2).bernoulli_(1.5)
torch.bernoulli(torch.tensor([1.5]))
torch.bernoulli(torch.zeros(2, dtype=torch.int64))
torch.zeros(2, requires_grad=True).uniform_()
torch.zeros(2, requires_grad=True).normal_()
torch.ones(3, requires_grad=True).numpy()
torch.ones(2, requires_grad=True).numpy(force=True)
torch.ones(3).item()
torch.tensor([]).item()
torch.ones(2, requires_grad=True).item()
torch.ones(1, requires_grad=True).item()
torch.tensor(2.5).item()
torch.tensor([2.5]).item()
torch.tensor(0.1).item()
torch.tensor(5).item()
torch.tensor(True).item()
torch.tensor(np.int32(7)).item()
torch.rand(2,3).tolist()
torch.tensor([1,2]).tolist()
torch.tensor([True]).tolist()
torch.tensor([1.5], dtype=torch.float16).tolist()
torch.tensor([0.1]).tolist()
torch.tensor(3.).tolist()
torch.zeros(2,requires_grad=True).tolist()
torch.tensor([1.,2.]).numpy().dtype
torch.tensor([1,2], dtype=torch.int8).numpy()
torch.zeros(2).int().type()
torch.zeros(2).double().type()
torch.zeros(2, dtype=torch.bool).type()
torch.zeros(2).type(torch.int32)
torch.zeros(2).type('torch.IntTensor')
torch.zeros(2).type('torch.Foo')
torch.zeros(2).type('torch.float64')
torch.zeros(2).type(np.float64)
torch.rand(3).type(torch.DoubleTensor).dtype
torch.zeros(2).type(torch.float64).dtype
torch.zeros(2).to('cpu', torch.float64)
torch.zeros(2).to(torch.zeros(1, dtype=torch.int32))
torch.zeros(2).to('foo')
torch.ones(2).to(dtype=torch.int32, device='cpu')
torch.ones(2).to(torch.int32, torch.float32)
torch.ones(2).to(foo=1)
torch.ones(2).to()
torch.ones(2).double(5)
torch.ones(2,3,requires_grad=True).to(torch.float64)
torch.tensor([1,2]).to(torch.float32).requires_grad
torch.tensor([1.5, -2.7]).long()
torch.tensor([1.5, -2.7]).int()
torch.tensor([1.5, 0.]).bool()
torch.tensor([1, 0]).float()
torch.tensor([1, 0]).half()
torch.tensor([1.5, 2]).double()
torch.tensor([300, -1]).byte()
torch.tensor([300, -1]).char()
torch.tensor([70000]).short()
len(torch.tensor(1.))
len(torch.zeros(3,2))
iter(torch.tensor(1.))
list(torch.arange(3))
bool(torch.zeros(2))
bool(torch.zeros(0))
bool(torch.tensor([0.]))
bool(torch.tensor(3))
float(torch.zeros(2))
int(torch.zeros(2))
float(torch.tensor([3.5]))
int(torch.tensor(-2.7))
torch.tensor(2.5).__int__()
torch.tensor(1.).__index__()
torch.tensor([2.5]).__index__()
torch.tensor([1,2])[torch.tensor(1)]
[10, 20, 30][torch.tensor(2)]
'{:.2f}'.format(torch.tensor(3.14159))
'{}'.format(torch.tensor([3.14159]))
torch.tensor(2).__format__('d')
torch.zeros(2,3).T.shape
torch.zeros(2,3,4).T.shape
torch.zeros(3).T.shape
torch.zeros(3).mT
torch.zeros(2,3,4).mT.shape
torch.zeros(2,3).T.is_contiguous()
torch.zeros(2).element_size()
torch.zeros(2,dtype=torch.int8).element_size()
torch.zeros(2,dtype=torch.float64).element_size()
torch.zeros(2).size(5)
torch.zeros(2).size(-1)
torch.zeros(2, 3).size()
torch.zeros(2, 3).size(1)
torch.zeros(2,3).stride()
torch.zeros(2,3).stride(0)
torch.zeros(2,3,4).numel()
torch.zeros(2,3).dim()
torch.zeros(2,3).ndim
torch.zeros(2,3).ndimension()
torch.zeros(2,3).nelement()
torch.zeros(2,3).shape
torch.zeros(2,3).shape[1:]
torch.zeros(2,3).shape[-1]
torch.zeros(2,3).shape.numel()
torch.zeros(2).dtype is torch.float32
torch.zeros(2).device
torch.zeros(2).is_cuda
torch.zeros(2).is_floating_point()
torch.zeros(2, dtype=torch.int32).is_floating_point()
torch.is_floating_point(torch.zeros(2))
torch.is_tensor(torch.zeros(2))
torch.is_tensor([1])
torch.numel(torch.zeros(2, 5))
torch.zeros(2).is_leaf
(torch.zeros(2,requires_grad=True)*2).is_leaf
(torch.zeros(2,requires_grad=True)*2).requires_grad
torch.zeros(2, requires_grad=True).requires_grad_(False)
torch.zeros(2, dtype=torch.int64).requires_grad_()
torch.zeros(2).requires_grad_("yes")
torch.zeros(2).requires_grad_(1)
torch.ones(2).requires_grad_(True).requires_grad
torch.zeros(2).copy_(torch.tensor([1,2]))
torch.zeros(2, 2).copy_(torch.tensor([1.5, 2]))
torch.zeros(2).copy_(torch.tensor([1,2,3]))
torch.zeros(2).clone()
torch.ones(2, requires_grad=True).clone()
torch.zeros(2, 3, dtype=torch.int64).new_tensor([1., 2.])
torch.zeros(2, dtype=torch.int32).new_tensor([1.5])
torch.zeros(2).new_zeros(3)
torch.zeros(2).new_zeros((2, 3))
torch.zeros(2, dtype=torch.int8).new_ones(2)
torch.zeros(2).new_ones((2,3))
torch.zeros(2).new_full((2,), 7)
torch.zeros(2).new_empty(3).shape
torch.eye(3,3).new_zeros(-1)
torch.Tensor(2,3).shape
torch.Tensor([1,2])
torch.Tensor()
torch.Tensor(2.5)
torch.Tensor([True])
torch.Tensor(torch.Size([2])).shape
torch.Tensor((2,3))
torch.Tensor(np.array([1,2]))
torch.Tensor([[1,2],[3]])
torch.Tensor(2, 3.0)
torch.Tensor(-1)
torch.Tensor('a')
torch.IntTensor([1.7, 2])
torch.IntTensor(2).shape
torch.LongTensor([1,2])
torch.BoolTensor([1,0])
torch.ByteTensor([1,2])
torch.CharTensor([1,-2])
torch.ShortTensor([1,2])
torch.HalfTensor([1,2])
torch.FloatTensor(2,3).shape
torch.FloatTensor([[1, 2]])
torch.DoubleTensor([1])
torch.FloatTensor(torch.tensor([1., 2.]))
isinstance(torch.zeros(2), torch.FloatTensor)
isinstance(torch.zeros(2), torch.DoubleTensor)
isinstance(torch.zeros(2, dtype=torch.int64), torch.LongTensor)
isinstance(torch.zeros(2), torch.Tensor)
torch.manual_seed(1.5).initial_seed()
torch.manual_seed(-1).initial_seed()
torch.manual_seed(2**64)
torch.manual_seed(2**64-1).initial_seed()
torch.manual_seed('a')
torch.Generator().initial_seed()
torch.Generator().manual_seed(3).initial_seed()
torch.Generator(device='cpu').device
torch.rand(2, 3, generator=5)
torch.get_default_dtype()
torch.set_default_dtype(torch.int64)
torch.set_default_dtype(torch.float16)
"""
EXPRS = [e for e in EXPRESSIONS.strip().splitlines() if e]


def _run(namespace, expr):
    """(kind, value-or-error, warnings) of evaluating ``expr`` with ``torch`` bound to ``namespace``."""
    namespace.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = eval(expr, {"torch": namespace, "np": np})
            out = ("ok", result)
        except Exception as e:  # noqa: BLE001 - we compare any exception
            out = ("err", type(e).__name__, str(e).split("\n")[0])
        finally:
            namespace.set_default_dtype(namespace.float32)
    once = ("The use of `x.T`", "Creating a tensor from a list of numpy")  # PyTorch warns these once per process
    return out, sorted({(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
                        for w in caught if not str(w.message).startswith(once)})


def _describe(v):
    if isinstance(v, (lt.Tensor,)) or type(v).__name__ == "Tensor" or hasattr(v, "grad_fn"):
        a = v.detach().cpu().numpy()
        return ("tensor", repr(v), repr(v.dtype), tuple(v.shape), a.dtype.str, a.tobytes())
    if isinstance(v, np.ndarray):
        return ("ndarray", v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, list) and v and hasattr(v[0], "grad_fn"):
        return [_describe(x) for x in v]
    if type(v).__name__ in ("Generator", "_DefaultGenerator"):
        return "generator"
    return (type(v).__name__ if not isinstance(v, (int, float, bool, str, tuple, type(None))) else "",
            repr(v))


@pytest.mark.parametrize("expr", EXPRS)
def test_expression_parity(torch, expr):
    ours, our_warnings = _run(lt, expr)
    theirs, their_warnings = _run(torch, expr)
    if theirs[0] == "err":
        assert ours[0] == "err", f"PyTorch raised {theirs[1]}: {theirs[2]!r}; learntorch returned {ours[1]!r}"
        assert ours[1:] == theirs[1:]
    else:
        assert ours[0] == "ok", f"learntorch raised {ours[1]}: {ours[2]}"
        assert _describe(ours[1]) == _describe(theirs[1])
    assert our_warnings == their_warnings


# --- devices ----------------------------------------------------------------------------------------

FACTORIES = [
    ("zeros", lambda m, d: m.zeros(2, 3, device=d)),
    ("ones_int", lambda m, d: m.ones(4, dtype=m.int32, device=d)),
    ("full", lambda m, d: m.full((2, 2), 2.5, device=d)),
    ("eye", lambda m, d: m.eye(3, 2, device=d)),
    ("arange", lambda m, d: m.arange(-1.0, 1.0, 0.1, device=d)),
    ("arange_int", lambda m, d: m.arange(10, device=d)),
    ("linspace", lambda m, d: m.linspace(-2, 3, 17, device=d)),
    ("logspace", lambda m, d: m.logspace(-2, 3, 9, device=d, dtype=m.float64)),
    ("tensor", lambda m, d: m.tensor([[1, 2], [3, 4.5]], device=d)),
    ("tensor_bool", lambda m, d: m.tensor([True, False], device=d)),
    ("rand", lambda m, d: m.rand(3, 5, device=d)),
    ("randn", lambda m, d: m.randn(40, device=d, dtype=m.float64)),
    ("randint", lambda m, d: m.randint(-5, 5, (7,), device=d)),
    ("randperm", lambda m, d: m.randperm(9, device=d)),
    ("normal", lambda m, d: m.normal(2.0, 3.0, (20,), device=d)),
    ("zeros_like", lambda m, d: m.zeros_like(m.ones(2, device=d), dtype=m.float64)),
    ("empty", lambda m, d: m.empty(2, 0, device=d)),
]


@pytest.mark.parametrize("name,make", FACTORIES, ids=[f[0] for f in FACTORIES])
def test_factories_on_device(torch, device, name, make):
    lt.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = make(lt, device), make(torch, "cpu")
    assert ours.device == lt.device("cpu" if device == "cpu" else "cuda:0")
    assert ours.device.type == device
    assert repr(ours.dtype) == repr(theirs.dtype) and tuple(ours.shape) == tuple(theirs.shape)
    assert np.array_equal(ours.cpu().numpy(), theirs.numpy())
    assert ours.requires_grad is False and ours.is_leaf


def test_requires_grad_factories(device):
    for t in (lt.zeros(2, device=device, requires_grad=True), lt.rand(2, device=device, requires_grad=True),
              lt.tensor([1.0], device=device, requires_grad=True), lt.arange(3.0, device=device, requires_grad=True),
              lt.full((2,), 1.0, device=device, requires_grad=True), lt.eye(2, device=device, requires_grad=True)):
        assert t.requires_grad and t.is_leaf and t.grad_fn is None
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
        lt.ones(2, dtype=lt.int64, device=device, requires_grad=True)


def test_numpy_on_cuda_refused(device):
    x = lt.tensor([1.0, 2.0], device=device)
    if device == "cpu":
        assert x.numpy().tolist() == [1.0, 2.0]
        return
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    assert x.numpy(force=True).tolist() == [1.0, 2.0]
    assert x.tolist() == [1.0, 2.0] and x.sum().item() == 3.0
    assert x.type() == "torch.cuda.FloatTensor"
    assert x.cpu().type() == "torch.FloatTensor"


def test_to_between_devices(device):
    x = lt.tensor([1.5, -2.0], requires_grad=True)
    y = x.to(device, lt.float64)
    assert y.device.type == device and y.dtype is lt.float64 and y.grad_fn is not None
    (y * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0] and x.grad.dtype is lt.float32


# --- memory sharing and copies -------------------------------------------------------------------------

def test_from_numpy_shares_memory():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = lt.from_numpy(a)
    a[0, 0] = 100
    assert t[0, 0].item() == 100
    t.add_(1)
    assert a[1, 2] == 6
    assert t.numpy() is a or np.shares_memory(t.numpy(), a)
    b = lt.as_tensor(a)
    a[1, 1] = -7
    assert b[1, 1].item() == -7
    c = lt.tensor(a)
    a[1, 1] = 0
    assert c[1, 1].item() == -7  # tensor() copies


def test_numpy_shares_memory():
    t = lt.zeros(3)
    a = t.numpy()
    a[1] = 5
    assert t.tolist() == [0.0, 5.0, 0.0]


def test_to_returns_self_when_nothing_changes():
    x = lt.ones(2)
    assert x.to(lt.float32) is x and x.float() is x and x.to("cpu") is x
    assert x.to(lt.float32, copy=True) is not x
    assert x.double() is not x


def test_clone_copy_and_deepcopy():
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert y.grad_fn.name() == "CloneBackward0" and not y.is_leaf
    z = lt.zeros(2).copy_(lt.tensor([3, 4]))
    assert z.dtype is lt.float32 and z.tolist() == [3.0, 4.0]
    d = copy.deepcopy(x)
    assert d is not x and d.requires_grad and d.is_leaf and d.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(x * 2)


def test_legacy_constructors_are_zero_filled():
    # PyTorch leaves these uninitialised; learntorch fills zeros so printing is deterministic.
    assert lt.Tensor(2, 3).tolist() == [[0.0] * 3] * 2
    assert lt.IntTensor(2).dtype is lt.int32
    assert lt.empty(3).tolist() == [0.0, 0.0, 0.0]


def test_default_dtype_effects(torch):
    for d in ("float64", "float16"):
        lt.set_default_dtype(getattr(lt, d))
        torch.set_default_dtype(getattr(torch, d))
        try:
            for expr in ("torch.tensor([1.])", "torch.tensor(2.5)", "torch.Tensor(2, 3)", "torch.arange(0., 1., 0.25)",
                         "torch.zeros(2)", "torch.full((2,), 1.5)", "torch.tensor([1, 2])", "torch.linspace(0, 1, 3)",
                         "torch.rand(2)", "torch.tensor([])", "torch.get_default_dtype()", "torch.ones(1) + 1.5",
                         "torch.tensor([1, 2]) * 2.5"):
                ours = eval(expr, {"torch": lt})
                theirs = eval(expr, {"torch": torch})
                if expr == "torch.get_default_dtype()":
                    assert repr(ours) == repr(theirs)
                else:
                    assert repr(ours.dtype) == repr(theirs.dtype), expr
                    if "rand" not in expr and "Tensor(" not in expr:
                        assert repr(ours) == repr(theirs), expr
        finally:
            torch.set_default_dtype(torch.float32)
            lt.set_default_dtype(lt.float32)


def test_arange_linspace_exact_random_ranges(torch):
    rng = np.random.default_rng(1)
    for _ in range(60):
        start = float(np.round(rng.uniform(-50, 50), rng.integers(0, 4)))
        step = float(np.round(rng.uniform(0.01, 3), rng.integers(1, 4))) or 0.5
        end = start + step * int(rng.integers(1, 300)) + float(rng.uniform(-0.4, 0.4)) * step
        steps = int(rng.integers(0, 300))
        for d in ("float32", "float64"):
            ours = lt.arange(start, end, step, dtype=getattr(lt, d)).numpy()
            theirs = torch.arange(start, end, step, dtype=getattr(torch, d)).numpy()
            assert np.array_equal(ours, theirs), (start, end, step, d)
            ours = lt.linspace(start, end, steps, dtype=getattr(lt, d)).numpy()
            theirs = torch.linspace(start, end, steps, dtype=getattr(torch, d)).numpy()
            assert np.array_equal(ours, theirs), (start, end, steps, d)


def _like_inputs(m):
    x = m.ones(3, 4).t()
    return [x, x[::2], m.ones(3, 1).expand(3, 4), m.ones(4).expand(3, 4), m.ones(2, 3, 4).permute(2, 0, 1),
            m.ones(2, 3, 4)[:, ::2].transpose(0, 2), m.ones(3, 1, 4).permute(1, 2, 0), m.ones(2, 3, 4)[:, :, ::2]]


def test_like_functions_keep_the_inputs_layout_and_random_order_like_torch(torch):
    """*_like (memory_format=preserve_format) lays the result out like the input, as PyTorch does;
    random fills follow memory order, so rand_like / randn_like / dropout of a transposed tensor give
    torch's numbers at torch's places."""
    for a, b in zip(_like_inputs(torch), _like_inputs(lt)):
        for name in ("zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"):
            assert getattr(lt, name)(b).stride() == getattr(torch, name)(a).stride(), (name, a.stride())
        assert lt.full_like(b, 7).stride() == torch.full_like(a, 7).stride()
    for m in (torch, lt):
        m.manual_seed(0)
    tx, lx = torch.ones(3, 4).t(), lt.ones(3, 4).t()
    assert lt.rand_like(lx).tolist() == torch.rand_like(tx).tolist()
    assert lt.randn_like(lx).tolist() == torch.randn_like(tx).tolist()
    assert lt.randint_like(lx, 10).tolist() == torch.randint_like(tx, 10).tolist()
    assert lt.nn.functional.dropout(lx, 0.5).tolist() == torch.nn.functional.dropout(tx, 0.5).tolist()
    z = lt.zeros_like(lx, requires_grad=True)
    assert z.is_leaf and z.requires_grad and z.stride() == (1, 4)
