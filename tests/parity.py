"""Helpers to compare learntorch with real PyTorch side by side."""
import numpy as np
import pytest

import learntorch as lt


def to_numpy(t):
    """Values of a learntorch or torch tensor (any device) as a NumPy array."""
    if isinstance(t, lt.Tensor):
        return t.detach().cpu().numpy()
    return t.detach().cpu().numpy()


def pair(torch, array, requires_grad=False, device="cpu"):
    """The same values as a learntorch tensor (on ``device``) and a torch tensor (cpu)."""
    a = np.asarray(array)
    x = lt.tensor(a, device=device, requires_grad=requires_grad)
    y = torch.tensor(a, requires_grad=requires_grad)
    return x, y


def assert_same(ours, theirs, rtol=1e-5, atol=1e-6, check_dtype=True):
    """Same shape, dtype and values (NaNs in the same places)."""
    if isinstance(ours, (tuple, list)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same(o, t, rtol, atol, check_dtype)
        return
    if theirs is None or ours is None:
        assert ours is None and theirs is None, (ours, theirs)
        return
    if not isinstance(ours, lt.Tensor):
        assert ours == pytest.approx(theirs, rel=rtol, abs=atol)
        return
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    if check_dtype:
        assert repr(ours.dtype) == repr(theirs.dtype), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(to_numpy(ours).astype(np.float64), to_numpy(theirs).astype(np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def same_error(fn_ours, fn_theirs):
    """Both raise; same exception class and same message (first line, PyTorch's C++ traces dropped)."""
    with pytest.raises(Exception) as theirs:
        fn_theirs()
    with pytest.raises(Exception) as ours:
        fn_ours()
    t_msg = str(theirs.value).split("\n")[0]
    o_msg = str(ours.value).split("\n")[0]
    assert type(ours.value).__name__ == type(theirs.value).__name__, (ours.value, theirs.value)
    assert o_msg == t_msg
    return o_msg
