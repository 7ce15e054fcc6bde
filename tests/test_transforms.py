"""transforms: ToTensor, Normalize, Compose, Lambda (torchvision's behaviour; values checked against torch)."""
import numpy as np
import pytest

import learntorch as lt
from learntorch import transforms
from parity import assert_same


def digits(shape=(28, 28), seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def test_same_module_under_datasets():
    import learntorch.datasets.transforms as dt
    from learntorch.datasets import transforms as dt2
    assert dt.ToTensor is transforms.ToTensor and dt2.Normalize is transforms.Normalize
    assert dt.Compose is transforms.Compose and dt.Lambda is transforms.Lambda


@pytest.mark.parametrize("source", ["tensor", "ndarray", "pil"])
def test_to_tensor_uint8_image(torch, source):
    img = digits()
    if source == "tensor":
        pic = lt.from_numpy(img)
    elif source == "ndarray":
        pic = img
    else:
        Image = pytest.importorskip("PIL.Image")
        pic = Image.fromarray(img, mode="L")
    x = transforms.ToTensor()(pic)
    expected = torch.from_numpy(img[None]).to(dtype=torch.get_default_dtype()).div(255)  # torchvision's formula
    assert_same(x, expected, rtol=0, atol=0)
    assert x.device == lt.device("cpu") and x.is_contiguous()


def test_to_tensor_hwc_and_other_dtypes(torch):
    rgb = digits((5, 4, 3), seed=1)
    x = transforms.ToTensor()(rgb)
    assert_same(x, torch.from_numpy(rgb.transpose(2, 0, 1).copy()).float().div(255), rtol=0, atol=0)
    f = np.random.default_rng(2).standard_normal((6, 7)).astype(np.float32) * 300
    y = transforms.ToTensor()(f)  # not uint8: values kept, as in torchvision
    assert y.dtype is lt.float32 and np.array_equal(y.numpy(), f[None])
    i = np.arange(12, dtype=np.int32).reshape(3, 4)
    assert transforms.ToTensor()(i).dtype is lt.int32


def test_to_tensor_follows_default_dtype(torch):
    lt.set_default_dtype(lt.float64)
    img = digits((3, 3))
    x = transforms.ToTensor()(img)
    assert x.dtype is lt.float64
    np.testing.assert_array_equal(x.numpy()[0], img / 255.0)


def test_to_tensor_pil_rgb_and_mode_1():
    Image = pytest.importorskip("PIL.Image")
    rgb = digits((4, 5, 3), seed=3)
    x = transforms.ToTensor()(Image.fromarray(rgb, mode="RGB"))
    assert tuple(x.shape) == (3, 4, 5)
    np.testing.assert_array_equal(x.numpy(), rgb.transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    bw = Image.fromarray(digits((4, 4)) > 128)
    y = transforms.ToTensor()(bw)
    assert y.dtype is lt.float32 and set(np.unique(y.numpy())) <= {0.0, 1.0}


def test_to_tensor_errors():
    with pytest.raises(TypeError, match=r"^pic should be PIL Image or ndarray. Got <class 'list'>$"):
        transforms.ToTensor()([[1, 2]])
    with pytest.raises(ValueError, match=r"^pic should be 2/3 dimensional. Got 4 dimensions.$"):
        transforms.ToTensor()(np.zeros((1, 2, 3, 4), np.uint8))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normalize_matches_torch(torch, device, dtype):
    rng = np.random.default_rng(4)
    a = rng.random((3, 5, 6)).astype(dtype)
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    ours = transforms.Normalize(mean, std)(lt.tensor(a, device=device))
    t = torch.tensor(a)
    theirs = (t - torch.tensor(mean, dtype=t.dtype).view(-1, 1, 1)) / torch.tensor(std, dtype=t.dtype).view(-1, 1, 1)
    assert ours.device.type == device
    assert_same(ours, theirs, rtol=1e-6, atol=0)


def test_normalize_batched_broadcast_and_one_channel(torch):
    a = np.random.default_rng(5).random((2, 1, 4, 4)).astype(np.float32)
    ours = transforms.Normalize((0.1307,), (0.3081,))(lt.tensor(a))
    t = torch.tensor(a)
    assert_same(ours, (t - 0.1307) / 0.3081, rtol=1e-6, atol=1e-7)


def test_normalize_inplace_and_not():
    x = lt.ones(1, 2, 2)
    y = transforms.Normalize((0.5,), (0.5,))(x)
    assert x.tolist() == [[[1.0, 1.0], [1.0, 1.0]]] and y.tolist() == [[[1.0, 1.0], [1.0, 1.0]]]
    z = lt.zeros(1, 2, 2)
    out = transforms.Normalize((0.5,), (0.25,), inplace=True)(z)
    assert out is z and z.tolist() == [[[-2.0, -2.0], [-2.0, -2.0]]]


def test_normalize_errors():
    with pytest.raises(TypeError, match=r"^Input tensor should be a float tensor. Got torch.uint8.$"):
        transforms.Normalize((0.5,), (0.5,))(lt.zeros(1, 2, 2, dtype=lt.uint8))
    with pytest.raises(ValueError, match=r"Got tensor.size\(\) = torch.Size\(\[2, 2\]\)$"):
        transforms.Normalize((0.5,), (0.5,))(lt.zeros(2, 2))
    with pytest.raises(ValueError, match=r"^std evaluated to zero after conversion to torch.float32, leading to "
                                         r"division by zero.$"):
        transforms.Normalize((0.5,), (1e-50,))(lt.zeros(1, 2, 2))
    with pytest.raises(TypeError, match="img should be Tensor Image"):
        transforms.Normalize((0.5,), (0.5,))(np.zeros((1, 2, 2)))


def test_compose_lambda_and_reprs():
    calls = []
    t = transforms.Compose([transforms.Lambda(lambda v: calls.append("a") or v + 1),
                            transforms.Lambda(lambda v: calls.append("b") or v * 10)])
    assert t(1) == 20 and calls == ["a", "b"]
    assert repr(t) == "Compose(\n    Lambda()\n    Lambda()\n)"
    full = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    assert repr(full) == "Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))\n)"
    assert repr(transforms.Normalize([0.5, 0.5], [0.2, 0.2])) == "Normalize(mean=[0.5, 0.5], std=[0.2, 0.2])"
    with pytest.raises(TypeError, match=r"^Argument lambd should be callable, got 'int'$"):
        transforms.Lambda(3)


def test_flatten_pipeline_for_an_mlp():
    """The documents' pipeline for the 784-128-10 network: ToTensor, Normalize, then flatten."""
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,)),
                            transforms.Lambda(lambda x: x.reshape(-1))])
    img = digits()
    x = t(lt.from_numpy(img))
    assert tuple(x.shape) == (784,)
    np.testing.assert_allclose(x.numpy(), (img.reshape(-1) / 255.0 - 0.5) / 0.5, rtol=1e-6, atol=1e-6)
