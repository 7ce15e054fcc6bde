"""Small Tensor behaviours the notebooks rely on, each side by side with PyTorch."""
import warnings

import numpy as np

import learntorch as lt
from parity import same_error


def test_tensor_of_a_tensor_or_array_copies(torch):
    for mod in (lt, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = mod.ones(3)
            u = mod.tensor(t)
        u[0] = 5
        assert t.tolist() == [1.0, 1.0, 1.0]
        a = np.ones(2)
        v = mod.tensor(a)
        v[0] = 3
        assert a.tolist() == [1.0, 1.0]
    assert lt.from_numpy(a).data_ptr() == lt.from_numpy(a).data_ptr()  # from_numpy shares
    x = lt.arange(6)
    assert x.view(2, 3).data_ptr() == x.data_ptr()
    assert x[2:].data_ptr() == x.data_ptr() + 2 * x.element_size()


def test_legacy_constructor_refuses_dtype(torch):
    same_error(lambda: lt.Tensor(2, 3, dtype=lt.float64), lambda: torch.Tensor(2, 3, dtype=torch.float64))


def test_broadcast_shapes_returns_size(torch):
    assert repr(lt.broadcast_shapes((2, 1), (3,))) == repr(torch.broadcast_shapes((2, 1), (3,)))
    assert repr(lt.broadcast_shapes(3, (2, 1))) == repr(torch.broadcast_shapes(3, (2, 1)))
    same_error(lambda: lt.broadcast_shapes((2, 3), (4,)), lambda: torch.broadcast_shapes((2, 3), (4,)))


def test_format_of_scalar_tensors(torch):
    for spec in ["", ".2f", ">8", ".3e"]:
        assert format(lt.tensor(4.0), spec) == format(torch.tensor(4.0), spec)
        assert format(lt.tensor(7), spec if "f" not in spec and "e" not in spec else "") == \
            format(torch.tensor(7), spec if "f" not in spec and "e" not in spec else "")
    assert f"{lt.tensor([1.0, 2.0])}" == f"{torch.tensor([1.0, 2.0])}"
