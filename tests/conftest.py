"""Shared test set-up.

* The simulated CUDA device (array-api-strict's ``Device("device1")``) is
  switched on for the whole test run, so every suite that takes the ``device``
  fixture runs on ``cpu`` and on ``cuda``.
* Parity tests need real PyTorch (``torch==2.13.0``, CPU build).  They skip on
  a learner's machine without it, but under CI a missing torch is an error.
"""
import os

os.environ.setdefault("LEARNTORCH_SIMULATED_CUDA", "1")

import pytest  # noqa: E402

import learntorch  # noqa: E402

try:
    import torch as _torch  # noqa: F401
    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False

if os.environ.get("CI") and not HAVE_TORCH:
    raise pytest.UsageError("CI=true but torch is not importable: parity tests would be skipped. "
                            "Install torch==2.13.0 (CPU) first (.ci/run does).")

DEVICES = ["cpu"] + (["cuda"] if learntorch.cuda.is_available() else [])


@pytest.fixture(params=DEVICES)
def device(request):
    """Run the test on every available device ('cpu', and 'cuda' real or simulated)."""
    return request.param


@pytest.fixture
def torch():
    """Real PyTorch for parity checks (skips without it, except under CI)."""
    if not HAVE_TORCH:
        pytest.skip("torch is not installed")
    import torch as t
    return t


@pytest.fixture(autouse=True)
def _reset_state():
    """Every test starts from the same seed and default dtype."""
    learntorch.manual_seed(0)
    learntorch.set_default_dtype(learntorch.float32)
    yield
    learntorch.set_default_dtype(learntorch.float32)
