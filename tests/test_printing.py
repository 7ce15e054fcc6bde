"""Printing: ``repr``/``str`` of tensors byte-identical to PyTorch 2.13's."""

import numpy as np
import pytest

import learntorch as lt

DT = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def _values():
    """(name, NumPy array) pairs covering every formatting branch."""
    rng = np.random.default_rng(0)
    v = {
        "ints": np.array([1, -20, 300]),
        "small_ints": np.arange(12).reshape(3, 4),
        "floats": np.array([0.5, -1.25, 3.0]),
        "whole_floats": np.array([1.0, 2.0, -3.0]),
        "zeros": np.zeros(4),
        "neg_zero": np.array([-0.0, 0.0, 1.0]),
        "sci_big": np.array([1.0, 1e5, 3.5]),
        "sci_ratio": np.array([0.001, 2.0, 3.0]),
        "sci_tiny": np.array([1e-5, 0.5]),
        "huge_ints": np.array([1e9, 2.0]),
        "int_ratio": np.array([1.0, 5000.0]),
        "nan_inf": np.array([1.5, np.nan, np.inf, -np.inf]),
        "only_nan": np.array([np.nan, 0.0]),
        "only_inf": np.array([np.inf, -np.inf]),
        "whole_inf": np.array([1.0, np.inf, np.nan]),
        "scalar": np.array(3.14159),
        "scalar_int": np.array(7),
        "scalar_whole": np.array(2.0),
        "scalar_neg_sci": np.array(-1.5e-7),
        "bools": np.array([True, False, True]),
        "empty": np.zeros((0,)),
        "empty_2d": np.zeros((0, 3)),
        "empty_3d": np.zeros((2, 0, 1)),
        "row": np.array([[1.5, 2.25, -3.0]]),
        "col": np.array([[1.0], [2.5], [3.0]]),
        "cube": np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7,
        "four_d": np.arange(16).reshape(2, 2, 2, 2),
        "wrap": np.linspace(-1, 1, 40),
        "wrap_2d": rng.standard_normal((3, 25)),
        "wrap_ints": np.arange(-50, 50) * 1234567,
        "randn": rng.standard_normal((4, 5)),
        "randn_3d": rng.standard_normal((2, 3, 4)),
        "rand_big": rng.random((40, 40)),
        "arange_big": np.arange(2000),
        "summ_3d": rng.standard_normal((12, 12, 12)),
        "summ_wide": rng.standard_normal((2, 600)),
        "summ_tall": rng.standard_normal((600, 2)),
        "mixed_sci": np.array([[1e-8, 1.0], [123456.0, -2.0]]),
        "float_max": np.array([3.0e38, -1.0]),
        "tiny_whole": np.array([0.0, 1.0, 0.0]),
    }
    return v


VALUES = _values()


def _pair(torch, name, dtype, requires_grad=False):
    a = VALUES[name]
    if dtype in ("int64", "int32", "int16", "int8", "uint8") and np.issubdtype(a.dtype, np.floating):
        if not np.all(np.isfinite(a)) or np.abs(a).max(initial=0) > 1e9:
            return None
    if dtype == "uint8":
        a = np.abs(a)
    if dtype == "float16" and np.nanmax(np.abs(np.where(np.isinf(a), 0, a)), initial=0) > 6e4:
        return None
    arr = a.astype(dtype)
    t = torch.tensor(arr)
    ours = lt.tensor(arr)
    if requires_grad:
        t.requires_grad_()
        ours.requires_grad_()
    return ours, t


@pytest.mark.parametrize("dtype", DT)
@pytest.mark.parametrize("name", sorted(VALUES))
def test_repr_table(torch, name, dtype):
    p = _pair(torch, name, dtype)
    if p is None:
        pytest.skip("value not representable in this dtype")
    ours, theirs = p
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("name", ["floats", "cube", "wrap", "scalar", "empty", "wrap_2d", "summ_tall"])
def test_requires_grad_and_grad_fn(torch, name):
    ours, theirs = _pair(torch, name, "float32", requires_grad=True)
    assert repr(ours) == repr(theirs)
    assert repr(ours * 2) == repr(theirs * 2)
    assert repr(ours + 1) == repr(theirs + 1)
    if name in ("floats", "cube", "scalar", "empty"):  # sums that are exact in any order
        assert repr((ours * 2).sum()) == repr((theirs * 2).sum())
    ours64, theirs64 = _pair(torch, name, "float64", requires_grad=True)
    assert repr(ours64 * 3) == repr(theirs64 * 3)


def test_device_suffix(device):
    x = lt.tensor([1.0, 2.0], device=device)
    if device == "cuda":
        assert repr(x) == "tensor([1., 2.], device='cuda:0')"
        assert repr(x.double().requires_grad_()) == \
            "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"
        assert repr(lt.zeros(0, 3, device=device, dtype=lt.int64)) == \
            "tensor([], device='cuda:0', size=(0, 3), dtype=torch.int64)"
    else:
        assert repr(x) == "tensor([1., 2.])"


def test_long_suffix_wraps(torch):
    ours = lt.arange(0.0, 9.0, 1.0, dtype=lt.float64).requires_grad_()
    theirs = torch.arange(0.0, 9.0, 1.0, dtype=torch.float64).requires_grad_()
    assert repr(ours * 1.5) == repr(theirs * 1.5)
    ours = lt.linspace(-3, 3, 14, dtype=lt.float64)
    theirs = torch.linspace(-3, 3, 14, dtype=torch.float64)
    assert repr(ours) == repr(theirs)


def test_random_tensors(torch):
    for seed in range(6):
        torch.manual_seed(seed)
        lt.manual_seed(seed)
        for shape in [(5,), (3, 7), (2, 3, 4), (1, 1, 9), (30, 40)]:
            assert repr(lt.randn(*shape)) == repr(torch.randn(*shape))
            assert repr(lt.rand(*shape) * 100) == repr(torch.rand(*shape) * 100)
            assert repr(lt.randint(-1000, 1000, shape)) == repr(torch.randint(-1000, 1000, shape))
            assert repr(lt.randn(*shape, dtype=lt.float64) * 1e-5) == \
                repr(torch.randn(*shape, dtype=torch.float64) * 1e-5)


@pytest.fixture
def restore_printoptions(torch):
    yield
    lt.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


@pytest.mark.parametrize("opts", [
    dict(precision=2), dict(precision=8), dict(threshold=5), dict(edgeitems=1, threshold=10),
    dict(linewidth=40), dict(linewidth=200), dict(sci_mode=True), dict(sci_mode=False),
    dict(profile="short"), dict(profile="full"), dict(profile="full", precision=1),
    dict(edgeitems=0, threshold=3),
])
def test_set_printoptions(torch, restore_printoptions, opts):
    lt.set_printoptions(**opts)
    torch.set_printoptions(**opts)
    for name in ["floats", "cube", "wrap", "sci_big", "whole_floats", "arange_big", "summ_3d", "wrap_ints",
                 "scalar", "nan_inf", "small_ints"]:
        for dtype in ("float32", "int64"):
            p = _pair(torch, name, dtype)
            if p is not None:
                assert repr(p[0]) == repr(p[1]), (name, dtype)


def test_default_dtype_changes_suffix(torch):
    lt.set_default_dtype(lt.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for data in ([1.0, 2.5], [[1, 2]], []):
            assert repr(lt.tensor(data)) == repr(torch.tensor(data))
            assert repr(lt.tensor(data, dtype=lt.float32)) == repr(torch.tensor(data, dtype=torch.float32))
        assert repr(lt.zeros(0, 2, dtype=lt.float32)) == repr(torch.zeros(0, 2, dtype=torch.float32))
    finally:
        torch.set_default_dtype(torch.float32)


def test_size_dtype_device_reprs(torch):
    assert repr(lt.zeros(2, 3).shape) == repr(torch.zeros(2, 3).shape) == "torch.Size([2, 3])"
    assert repr(lt.zeros(()).shape) == "torch.Size([])"
    assert str(lt.Size([4])) == str(torch.Size([4]))
    for name in DT:
        assert repr(getattr(lt, name)) == repr(getattr(torch, name))
        assert str(getattr(lt, name)) == str(getattr(torch, name))
    for d in ("cpu", "cuda", "cuda:0"):
        assert repr(lt.device(d)) == repr(torch.device(d))
        assert str(lt.device(d)) == str(torch.device(d))


def test_format_and_print(torch, capsys):
    assert f"{lt.tensor(3.14159):.2f}" == f"{torch.tensor(3.14159):.2f}"
    assert "{}".format(lt.tensor([1.5])) == "{}".format(torch.tensor([1.5]))
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        f"{lt.tensor([3.1]):.2f}"
    print(lt.tensor([[1, 2], [3, 4]]))
    assert capsys.readouterr().out == str(torch.tensor([[1, 2], [3, 4]])) + "\n"
