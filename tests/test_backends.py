"""Devices and backends: cpu (NumPy), cuda (CuPy, or array-api-strict's simulated device in CI)."""
import subprocess
import sys

import numpy as np
import pytest

import learntorch as lt
from learntorch import backends
from parity import same_error


needs_cuda = pytest.mark.skipif(not lt.cuda.is_available(), reason="no cuda backend (real or simulated)")


def test_device_objects(torch):
    for spec in ["cpu", "cuda", "cuda:0"]:
        assert repr(lt.device(spec)) == repr(torch.device(spec))
        assert str(lt.device(spec)) == str(torch.device(spec))
    assert repr(lt.device("cuda", 0)) == repr(torch.device("cuda", 0))
    assert lt.device("cuda:0") == "cuda:0"
    same_error(lambda: lt.device("gpu"), lambda: torch.device("gpu"))


def test_cpu_tensor_device_and_numpy_sharing():
    a = np.arange(3.0)
    t = lt.from_numpy(a)
    assert t.device == lt.device("cpu") and not t.is_cuda
    t.add_(1)
    assert a.tolist() == [1.0, 2.0, 3.0]
    assert t.numpy() is a


@needs_cuda
def test_cuda_round_trip_and_repr():
    x = lt.tensor([1.0, 2.0]).cuda()
    assert x.device == lt.device("cuda:0") and x.is_cuda
    assert x.device.type == "cuda" and x.get_device() == 0
    assert "device='cuda:0'" in repr(x)
    assert x.type() == "torch.cuda.FloatTensor"
    back = x.cpu()
    assert back.device.type == "cpu" and back.tolist() == [1.0, 2.0]
    assert x.to("cuda") is x


@needs_cuda
def test_cuda_refuses_numpy_and_mixing(torch):
    x = lt.ones(2, device="cuda")
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + lt.ones(2)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        lt.ones(2, 2) @ lt.ones(2, 2, device="cuda")


@needs_cuda
def test_gradients_flow_across_devices():
    w = lt.tensor([1.0, 2.0], requires_grad=True)
    y = (w.cuda() * 3).sum()
    y.backward()
    assert w.grad.device.type == "cpu" and w.grad.tolist() == [3.0, 3.0]


@needs_cuda
def test_simulated_backend_is_strict():
    b = backends.cuda_backend()
    if b.__class__.__name__ != "SimulatedBackend":
        pytest.skip("real GPU present")
    x = lt.ones(3, device="cuda")
    # the array inside is array-api-strict's, on its non-default device: no NumPy sneaks in
    assert type(x._data).__module__.startswith("array_api_strict")
    assert "device1" in repr(x._data.device)
    with pytest.raises(Exception):
        np.asarray(x._data)


@needs_cuda
def test_transfers_are_counted():
    b = backends.cuda_backend()
    h2d, d2h = b.h2d, b.d2h
    x = lt.tensor([1.0, 2.0]).to("cuda")
    y = (x * 2).sum()
    assert (b.h2d - h2d, b.d2h - d2h) == (1, 0)
    y.item()
    assert (b.h2d - h2d, b.d2h - d2h) == (1, 1)


def test_cuda_unavailable_error(monkeypatch, torch):
    monkeypatch.setattr(backends, "_cuda", None)
    monkeypatch.setattr(backends, "_cuda_checked", True)
    assert not lt.cuda.is_available()
    assert lt.cuda.device_count() == 0
    same_error(lambda: lt.ones(2).cuda(), lambda: torch.ones(2).cuda())
    same_error(lambda: lt.ones(2, device="cuda"), lambda: torch.ones(2, device="cuda"))


def test_import_is_light():
    """``import learntorch`` pulls in no notebook, plotting or download library."""
    code = ("import sys, learntorch; bad = [m for m in ('ipywidgets', 'matplotlib', 'IPython', 'pooch', 'tqdm', "
            "'torch', 'array_api_strict', 'cupy') if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "LEARNTORCH_SIMULATED_CUDA": "0"})
    assert out.stdout.strip() == ""


# --- the cpu namespace's reductions of short rows and column sums (speed paths, same results) ---

@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("shape", [(40, 1), (64, 10), (256, 32), (8, 10), (64, 33)])
def test_cpu_row_max_min_equal_numpy_bit_for_bit(dtype, shape):
    xp = backends.CPU_BACKEND.xp
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 10).astype(dtype)
    if dtype != "int64":
        x[3 % shape[0], 0] = np.nan
        x[5 % shape[0], -1] = -0.0
        x[7 % shape[0], 0] = np.inf
    for ours, theirs in ((xp.max, np.max), (xp.min, np.min)):
        for axis in (1, -1):
            for keepdims in (False, True):
                got, want = ours(x, axis=axis, keepdims=keepdims), theirs(x, axis=axis, keepdims=keepdims)
                assert got.dtype == want.dtype and got.shape == want.shape
                assert np.array_equal(got.view(np.uint8), want.view(np.uint8))   # bits: NaN, signs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cpu_sums_of_rows_and_columns(dtype):
    xp = backends.CPU_BACKEND.xp
    rng = np.random.default_rng(1)
    tol = 1e-5 if dtype == "float32" else 1e-12
    for shape in [(64, 10), (256, 128), (16, 3), (8, 5)]:
        x = rng.standard_normal(shape).astype(dtype)
        exact = x.astype(np.float64)
        for axis, keepdims in ((0, False), (0, True), (1, False), (1, True), (-1, True)):
            got = xp.sum(x, axis=axis, keepdims=keepdims)
            want = exact.sum(axis=axis, keepdims=keepdims)
            assert got.dtype == x.dtype and got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=tol, atol=tol * shape[axis])
        # non-contiguous and integer inputs take NumPy's own reduction
        assert np.array_equal(xp.sum(x.T, axis=0), x.T.sum(axis=0))
        ints = (x * 100).astype(np.int64)
        assert np.array_equal(xp.sum(ints, axis=0), ints.sum(axis=0))
    # the sums of the same matrix again (the vector of ones is kept between calls, read-only)
    x = np.ones((32, 4), dtype)
    assert xp.sum(x, axis=0).tolist() == xp.sum(x, axis=0).tolist() == [32.0] * 4
    assert np.isnan(xp.sum(np.full((32, 2), np.nan, dtype), axis=0)).all()
