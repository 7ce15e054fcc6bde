"""save / load: round trips of every supported type on every device; foreign, malicious, truncated files."""
import io
import json
import math
import pathlib
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import learntorch as lt
from learntorch import serialization

DTYPES = ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"]


def round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    lt.save(obj, buf)
    buf.seek(0)
    return lt.load(buf, **load_kwargs)


def same_tensor(a, b):
    assert isinstance(b, lt.Tensor)
    assert a.dtype is b.dtype and tuple(a.shape) == tuple(b.shape) and a.device == b.device
    assert a.requires_grad == b.requires_grad
    np.testing.assert_array_equal(a.detach().cpu().numpy(), b.detach().cpu().numpy())


def skip_half_on_cuda(device, dtype):
    if device == "cuda" and dtype == "float16":
        pytest.skip("the simulated cuda device has no float16")


# --------------------------------------------------------------------------------------------------
# round trips
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_every_dtype(device, dtype):
    skip_half_on_cuda(device, dtype)
    dt = getattr(lt, dtype)
    values = np.random.default_rng(0).standard_normal((3, 4)) * 50
    x = lt.tensor(values, device=device).to(dt)
    y = round_trip(x)
    same_tensor(x, y)
    assert y.device.type == device


@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 0, 3), (2, 3, 4)])
def test_tensor_shapes(device, shape):
    x = lt.randn(*shape, device=device) if shape else lt.tensor(3.25, device=device)
    same_tensor(x, round_trip(x))


def test_non_contiguous_and_special_values(device):
    x = lt.tensor([[1.0, float("nan")], [float("inf"), -0.0], [-float("inf"), 2.5]], device=device).t()
    assert not x.is_contiguous()
    y = round_trip(x)
    same_tensor(x, y)
    assert math.copysign(1.0, y[1, 1].item()) == -1.0


def test_requires_grad_kept_and_grad_not_saved(device):
    x = lt.ones(2, 2, device=device, requires_grad=True)
    (x * 3).sum().backward()
    y = round_trip({"w": x, "frozen": lt.ones(2, device=device)})
    assert y["w"].requires_grad and y["w"].is_leaf and y["w"].grad is None
    assert not y["frozen"].requires_grad
    nonleaf = x * 2  # saved as a leaf that requires grad, as PyTorch does
    z = round_trip(nonleaf)
    assert z.requires_grad and z.is_leaf and z.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_parameter_kept(device):
    nn = pytest.importorskip("learntorch.nn")
    if not hasattr(nn, "Parameter"):
        pytest.skip("learntorch.nn.Parameter is not there yet")
    p = nn.Parameter(lt.randn(3, device=device))
    q = nn.Parameter(lt.randn(3, device=device), requires_grad=False)
    back = round_trip([p, q])
    assert isinstance(back[0], nn.Parameter) and back[0].requires_grad
    assert isinstance(back[1], nn.Parameter) and not back[1].requires_grad
    same_tensor(p, back[0])


def test_state_dict_order_and_types(device):
    sd = OrderedDict([("z.weight", lt.randn(2, 3, device=device)), ("a.bias", lt.zeros(2, device=device)),
                      ("m.running_mean", lt.ones(4, device=device)), ("m.num_batches_tracked", lt.tensor(7))])
    back = round_trip(sd)
    assert type(back) is OrderedDict and list(back) == list(sd)
    for k in sd:
        same_tensor(sd[k], back[k])
    plain = round_trip(dict(sd))
    assert type(plain) is dict and list(plain) == list(sd)


def test_optimizer_state_dict(device):
    state = {
        "state": {0: {"momentum_buffer": lt.randn(3, device=device)},
                  1: {"step": lt.tensor(4.0), "exp_avg": lt.zeros(2, device=device), "exp_avg_sq": lt.ones(2)}},
        "param_groups": [{"lr": 0.01, "momentum": 0.9, "dampening": 0, "weight_decay": 0.0, "nesterov": False,
                          "maximize": False, "foreach": None, "differentiable": False, "fused": None,
                          "betas": (0.9, 0.999), "params": [0, 1]}],
    }
    back = round_trip(state)
    assert list(back["state"]) == [0, 1] and isinstance(next(iter(back["state"])), int)
    same_tensor(state["state"][0]["momentum_buffer"], back["state"][0]["momentum_buffer"])
    same_tensor(state["state"][1]["step"], back["state"][1]["step"])
    assert back["param_groups"] == state["param_groups"]
    g = back["param_groups"][0]
    assert type(g["lr"]) is float and type(g["dampening"]) is int and type(g["betas"]) is tuple
    assert g["nesterov"] is False and g["foreach"] is None


def test_nested_containers_and_scalars():
    obj = {
        "epoch": 12, "big": 2 ** 80, "neg": -3, "loss": 0.1 + 0.2, "tiny": 5e-324, "nan": float("nan"),
        "inf": float("-inf"), "negzero": -0.0, "flag": True, "none": None, "name": "模型 ünïcode \n\"quoted\"",
        "tuple": (1, (2.5, "x"), []), "list": [[], [None, False], {"k": (0,)}], "bytes": b"\x00\xffab",
        (1, "tuple key"): "v", 3.5: "float key", None: "none key", True: "bool key",
        "dtype": lt.float64, "device": lt.device("cuda", 0), "size": lt.Size([2, 3]),
        "ndarray": np.arange(6, dtype=np.int16).reshape(2, 3), "np_scalar": np.float32(1.5),
    }
    back = round_trip(obj)
    assert list(back) == list(obj)
    for k, v in obj.items():
        w = back[k]
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(w)
        elif isinstance(v, np.ndarray):
            assert w.dtype == v.dtype and np.array_equal(w, v)
        else:
            assert w == v and type(w) is type(v) or k == "np_scalar" and w == 1.5
    assert math.copysign(1.0, back["negzero"]) == -1.0
    assert back["dtype"] is lt.float64 and back["size"] == lt.Size([2, 3]) and repr(back["size"]) == "torch.Size([2, 3])"


def test_shared_tensor_loaded_as_one_object(device):
    w = lt.randn(3, device=device)
    back = round_trip({"encoder": w, "decoder": w, "copy": w.clone()})
    assert back["encoder"] is back["decoder"] and back["copy"] is not back["encoder"]


@pytest.mark.parametrize("kind", ["str", "path", "file"])
def test_path_and_file_objects(tmp_path, kind):
    x = {"w": lt.arange(6).reshape(2, 3)}
    target = tmp_path / "model.pt"
    if kind == "str":
        lt.save(x, str(target))
        back = lt.load(str(target))
    elif kind == "path":
        lt.save(x, pathlib.Path(target))
        back = lt.load(pathlib.Path(target))
    else:
        with open(target, "wb") as f:
            lt.save(x, f)
        with open(target, "rb") as f:
            back = lt.load(f)
    assert back["w"].tolist() == [[0, 1, 2], [3, 4, 5]]


def test_file_format_is_zip_of_npy_and_json(tmp_path):
    lt.save({"a": lt.ones(2), "b": [lt.zeros(1, dtype=lt.int64)]}, tmp_path / "f.pt")
    with zipfile.ZipFile(tmp_path / "f.pt") as z:
        names = sorted(z.namelist())
        assert names == ["data/0.npy", "data/1.npy", "manifest.json"]
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "learntorch.save" and manifest["version"] == 1
        for n in names[:2]:
            np.load(io.BytesIO(z.read(n)), allow_pickle=False)
        assert not any(n.endswith(".pkl") for n in names)


# --------------------------------------------------------------------------------------------------
# map_location
# --------------------------------------------------------------------------------------------------
def cuda_file():
    buf = io.BytesIO()
    lt.save({"w": lt.ones(2, device="cuda"), "c": lt.zeros(1)}, buf)
    buf.seek(0)
    return buf


def test_map_location_variants():
    if not lt.cuda.is_available():
        pytest.skip("needs the (simulated) cuda device")
    buf = cuda_file()
    for loc, want in ((None, "cuda"), ("cpu", "cpu"), (lt.device("cpu"), "cpu"), ("cuda", "cuda"),
                      ({"cuda:0": "cpu"}, "cpu"), ({"cuda": lt.device("cpu")}, "cpu"), ({"cpu": "cuda"}, "cuda")):
        buf.seek(0)
        back = lt.load(buf, map_location=loc)
        assert back["w"].device.type == want, loc
        assert back["w"].tolist() == [1.0, 1.0]
    buf.seek(0)
    back = lt.load(buf, map_location={"cpu": "cuda"})
    assert back["c"].device.type == "cuda"
    buf.seek(0)
    seen = []
    back = lt.load(buf, map_location=lambda t, location: seen.append(location) or t)
    assert sorted(seen) == ["cpu", "cuda:0"] and back["w"].device.type == "cpu"


def test_cuda_file_without_cuda_gives_pytorchs_error(monkeypatch):
    if not lt.cuda.is_available():
        pytest.skip("needs the (simulated) cuda device to write the file")
    buf = cuda_file()
    monkeypatch.setattr(lt.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError) as info:
        lt.load(buf)
    assert str(info.value) == (
        "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are "
        "running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your "
        "storages to the CPU.")
    buf.seek(0)
    assert lt.load(buf, map_location="cpu")["w"].device.type == "cpu"


# --------------------------------------------------------------------------------------------------
# what cannot be saved
# --------------------------------------------------------------------------------------------------
def test_unsupported_objects_refused_and_nothing_written(tmp_path):
    class Model:
        def state_dict(self):
            return {}

    with pytest.raises(TypeError, match=r"cannot store objects of type Model.*learntorch.save\(obj.state_dict\(\)"):
        lt.save({"model": Model()}, tmp_path / "m.pt")
    assert not (tmp_path / "m.pt").exists()
    with pytest.raises(TypeError, match="type set"):
        lt.save({1, 2}, io.BytesIO())
    with pytest.raises(TypeError, match="dtype=object"):
        lt.save(np.array([object()]), io.BytesIO())
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        lt.save(loop, io.BytesIO())


# --------------------------------------------------------------------------------------------------
# foreign, malicious, truncated and corrupted files
# --------------------------------------------------------------------------------------------------
class Evil:
    """Unpickling this creates the file ``marker``: a stand-in for any code a pickle can run."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_the_malicious_payload_is_live(tmp_path):
    """Proof that the payload used below really runs code when unpickled (so the refusals mean something)."""
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Evil(str(marker)))).close()
    assert marker.exists()


def test_malicious_pickle_saved_as_pt_is_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.pt").write_bytes(pickle.dumps({"state_dict": Evil(str(marker))}))
    with pytest.raises(pickle.UnpicklingError, match="is a Python pickle.*never unpickles.*Nothing from this file was run"):
        lt.load(tmp_path / "evil.pt")
    assert not marker.exists()
    for protocol in (2, 3, 5):
        with pytest.raises(pickle.UnpicklingError):
            lt.load(io.BytesIO(pickle.dumps(Evil(str(marker)), protocol=protocol)))
    assert not marker.exists()


def test_malicious_pickle_in_a_torch_style_zip_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    with zipfile.ZipFile(tmp_path / "evil.pt", "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps(Evil(str(marker))))
        z.writestr("archive/version", "3\n")
    with pytest.raises(pickle.UnpicklingError, match="(?s)PyTorch checkpoint.*archive/data.pkl.*convert_torch_checkpoint"):
        lt.load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_pickled_object_array_inside_a_learntorch_file_is_refused(tmp_path):
    """A crafted learntorch file whose .npy holds pickled objects: np.load(allow_pickle=False) refuses it."""
    marker = tmp_path / "pwned"
    buf = io.BytesIO()
    np.save(buf, np.array([Evil(str(marker))], dtype=object), allow_pickle=True)
    manifest = {"format": "learntorch.save", "version": 1,
                "object": {"kind": "tensor", "id": 0, "data": "data/0.npy", "dtype": "float32", "shape": [1],
                           "device": "cpu", "requires_grad": False}}
    with zipfile.ZipFile(tmp_path / "crafted.pt", "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("data/0.npy", buf.getvalue())
    with pytest.raises(RuntimeError, match="is corrupted: data/0.npy is not a plain NumPy array"):
        lt.load(tmp_path / "crafted.pt")
    assert not marker.exists()


def test_real_pytorch_checkpoint_refused_then_converted(tmp_path, torch):
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    torch.save(model.state_dict(), tmp_path / "model.pt")
    with pytest.raises(pickle.UnpicklingError) as info:
        lt.load(tmp_path / "model.pt")
    text = str(info.value)
    assert "PyTorch checkpoint (written by torch.save)" in text and "convert_torch_checkpoint(" in text
    converted = serialization.convert_torch_checkpoint(str(tmp_path / "model.pt"), str(tmp_path / "model.lt"))
    back = lt.load(tmp_path / "model.lt")
    assert type(back) is OrderedDict and list(back) == list(model.state_dict())
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(back[k].numpy(), v.numpy())
        assert back[k].dtype is lt.float32
    assert list(converted) == list(back)
    torch.save(model.state_dict(), tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(pickle.UnpicklingError, match="is a Python pickle"):
        lt.load(tmp_path / "legacy.pt")


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_converter_refuses_malicious_pickles(tmp_path, torch):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.pt").write_bytes(pickle.dumps(Evil(str(marker))))
    with pytest.raises(Exception):
        serialization.convert_torch_checkpoint(str(tmp_path / "evil.pt"), str(tmp_path / "out.pt"))
    assert not marker.exists() and not (tmp_path / "out.pt").exists()


def saved_bytes():
    buf = io.BytesIO()
    lt.save({"w": lt.randn(50, 20), "b": lt.zeros(20), "epoch": 3}, buf)
    return buf.getvalue()


@pytest.mark.parametrize("fraction", [0.02, 0.3, 0.6, 0.9, 0.999])
def test_truncated_files(tmp_path, fraction):
    data = saved_bytes()
    path = tmp_path / "cut.pt"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(RuntimeError, match=r"cut.pt is truncated or corrupted"):
        lt.load(path)


def test_corrupted_member_detected_by_crc(tmp_path):
    data = bytearray(saved_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("data/0.npy")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    data[offset] ^= 0xFF
    with pytest.raises(RuntimeError, match=r"truncated or corrupted: cannot read data/0.npy \(Bad CRC-32"):
        lt.load(io.BytesIO(bytes(data)))


def test_other_foreign_files(tmp_path):
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(RuntimeError, match="empty.pt is empty"):
        lt.load(tmp_path / "empty.pt")
    (tmp_path / "text.pt").write_bytes(b"hello, I am a text file")
    with pytest.raises(RuntimeError, match=r"not a file written by learntorch.save \(it starts with b'hello, I'"):
        lt.load(tmp_path / "text.pt")
    np.save(tmp_path / "arr.npy", np.ones(3))
    with pytest.raises(RuntimeError, match="is a NumPy .npy file"):
        lt.load(tmp_path / "arr.npy")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(RuntimeError, match="a zip archive but not one written by learntorch.save"):
        lt.load(tmp_path / "other.zip")


@pytest.mark.parametrize("manifest, match", [
    (b"{not json", "not valid JSON"),
    (json.dumps({"format": "something else", "version": 1, "object": {}}).encode(), "not a learntorch manifest"),
    (json.dumps({"format": "learntorch.save", "version": 99, "object": {}}).encode(), "newer learntorch"),
    (json.dumps({"format": "learntorch.save", "version": 1, "object": {"kind": "exec", "code": "1"}}).encode(),
     "unknown entry kind 'exec'"),
    (json.dumps({"format": "learntorch.save", "version": 1, "object": {"kind": "int", "value": "3"}}).encode(),
     "no valid 'value'"),
    (json.dumps({"format": "learntorch.save", "version": 1,
                 "object": {"kind": "tensor", "id": 0, "data": "data/9.npy", "dtype": "float32", "shape": [1],
                            "device": "cpu", "requires_grad": False}}).encode(), "data/9.npy is listed"),
    (json.dumps({"format": "learntorch.save", "version": 1, "object": {"kind": "tensor_ref", "id": 4}}).encode(),
     "reference to tensor 4"),
])
def test_corrupted_manifests(manifest, match):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", manifest)
    buf.seek(0)
    with pytest.raises(RuntimeError, match=match):
        lt.load(buf)


def test_manifest_and_array_disagree():
    buf = io.BytesIO()
    lt.save(lt.ones(2, 3), buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        manifest = json.loads(z.read("manifest.json"))
        arr = z.read("data/0.npy")
    manifest["object"]["shape"] = [3, 2]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("data/0.npy", arr)
    out.seek(0)
    with pytest.raises(RuntimeError, match=r"holds float32 \(2, 3\), the manifest says float32 \(3, 2\)"):
        lt.load(out)


def test_load_rejects_pickle_module_and_accepts_weights_only():
    buf = io.BytesIO()
    lt.save([1, 2], buf)
    buf.seek(0)
    assert lt.load(buf, weights_only=True) == [1, 2]
    buf.seek(0)
    assert lt.load(buf, weights_only=False) == [1, 2]
    with pytest.raises(TypeError, match="never unpickles"):
        lt.load(buf, pickle_module=pickle)


def test_model_state_dict_round_trip_when_nn_exists(tmp_path, device):
    nn = pytest.importorskip("learntorch.nn")
    if not hasattr(nn, "Linear"):
        pytest.skip("learntorch.nn.Linear is not there yet")
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).to(device)
    lt.save(model.state_dict(), tmp_path / "m.pt")
    other = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).to(device)
    other.load_state_dict(lt.load(tmp_path / "m.pt"))
    x = lt.randn(5, 4, device=device)
    np.testing.assert_array_equal(model(x).detach().cpu().numpy(), other(x).detach().cpu().numpy())
