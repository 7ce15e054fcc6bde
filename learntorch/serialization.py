"""``learntorch.save`` / ``learntorch.load`` (保存与加载): tensors and state_dicts, without pickle.

    learntorch.save(model.state_dict(), "model.pt")
    model.load_state_dict(learntorch.load("model.pt"))

PyTorch writes a zip archive holding a *pickle*: loading one means running a
program stored in the file, which can do anything (that is why PyTorch 2.6
made ``weights_only=True`` the default).  learntorch keeps the zip and drops
the pickle.  Its file is a zip archive with

* ``manifest.json``: the saved object as a JSON tree, one node per value:
  ``{"kind": "dict", "items": [[key, value], ...]}``, ``{"kind": "tensor",
  "data": "data/0.npy", "dtype": "float32", ...}``, ``{"kind": "int", "value": 3}``;
* ``data/<n>.npy``: each tensor's numbers as a NumPy ``.npy`` file, read back
  with ``numpy.load(allow_pickle=False)``.

Loading only builds the few kinds of values listed below, so nothing in a file
is ever executed.  What can be saved: tensors (any dtype and device;
``requires_grad`` and ``nn.Parameter`` are kept, and a tensor that appears
twice is loaded as one object), NumPy arrays, ``None``, bool, int, float,
str, bytes, ``dtype``, ``device``, ``Size``, and dict / OrderedDict (order
kept, any such keys) / list / tuple nesting them: state_dicts of models and
optimizers, checkpoints with epochs and losses.  Not kept: ``.grad``, and
memory shared between different tensors (views are saved as copies).

A file that is not one of these (a PyTorch ``.pt`` file, any pickle, a
truncated or corrupted file) raises an error that says what it is; a PyTorch
checkpoint can be converted with ``convert_torch_checkpoint`` where PyTorch
is installed.
"""
import io
import json
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np

__all__ = ["save", "load", "convert_torch_checkpoint"]

FORMAT = "learntorch.save"
VERSION = 1
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------------------------------
# save
# --------------------------------------------------------------------------------------------------
def save(obj, f, pickle_module=None, pickle_protocol=None, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save ``obj`` (tensors, state_dicts, nested containers of numbers and strings) to ``f``.

    ``f``: a file name (str or ``os.PathLike``) or a binary file object opened
    for writing.  The pickle arguments of ``torch.save`` are accepted and
    ignored: learntorch never pickles.
    """
    encoder = _Encoder()
    tree = encoder.encode(obj)  # fails (TypeError) before anything is written
    manifest = json.dumps({"format": FORMAT, "version": VERSION, "object": tree}, indent=1, allow_nan=False)
    target = os.fspath(f) if isinstance(f, (str, os.PathLike)) else f
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(MANIFEST, manifest)
        for name, array in encoder.arrays:
            buf = io.BytesIO()
            np.save(buf, array, allow_pickle=False)
            z.writestr(name, buf.getvalue())


class _Encoder:
    """Turns an object into a JSON tree; collects tensors' arrays as (file name, NumPy array)."""

    def __init__(self):
        self.arrays = []
        self.tensor_ids = {}   # id(tensor) -> index of its array: a tensor saved twice is stored once
        self.keep_alive = []   # so that ids stay unique while encoding
        self.open = set()      # containers being encoded (to refuse cycles)

    def add_array(self, array):
        name = f"data/{len(self.arrays)}.npy"
        self.arrays.append((name, array))
        return name

    def encode(self, obj):
        from . import _dtype
        from ._device import device
        from ._tensor import Size, Tensor
        if obj is None:
            return {"kind": "none"}
        if isinstance(obj, (bool, np.bool_)):
            return {"kind": "bool", "value": bool(obj)}
        if isinstance(obj, Tensor):
            return self.encode_tensor(obj)
        if isinstance(obj, Size):
            return {"kind": "size", "items": [int(s) for s in obj]}
        if isinstance(obj, (int, np.integer)):
            return {"kind": "int", "value": int(obj)}
        if isinstance(obj, (float, np.floating)):
            return {"kind": "float", "value": repr(float(obj))}  # repr round-trips exactly, nan and inf included
        if isinstance(obj, str):
            return {"kind": "str", "value": obj}
        if isinstance(obj, bytes):
            return {"kind": "bytes", "value": obj.hex()}
        if isinstance(obj, _dtype.dtype):
            return {"kind": "dtype", "name": obj.name}
        if isinstance(obj, device):
            return {"kind": "device", "value": str(obj)}
        if isinstance(obj, np.ndarray):
            if obj.dtype.hasobject:
                raise TypeError("learntorch.save cannot store NumPy arrays of Python objects (dtype=object)")
            return {"kind": "ndarray", "data": self.add_array(obj)}
        if isinstance(obj, (dict, list, tuple)):
            if id(obj) in self.open:
                raise ValueError("learntorch.save cannot store a container that contains itself")
            self.open.add(id(obj))
            try:
                if isinstance(obj, dict):
                    return {"kind": "dict", "ordered": isinstance(obj, OrderedDict),
                            "items": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
                return {"kind": "tuple" if isinstance(obj, tuple) else "list", "items": [self.encode(v) for v in obj]}
            finally:
                self.open.discard(id(obj))
        hint = ""
        if hasattr(obj, "state_dict"):
            hint = (f" To save a {type(obj).__name__}, save its state: learntorch.save(obj.state_dict(), f), and "
                    f"later obj.load_state_dict(learntorch.load(f)).")
        raise TypeError(f"learntorch.save cannot store objects of type {type(obj).__name__}: only tensors, NumPy "
                        f"arrays, None, bool, int, float, str, bytes, dtypes, devices and dicts/lists/tuples of "
                        f"them (learntorch never pickles).{hint}")

    def encode_tensor(self, t):
        if id(t) in self.tensor_ids:
            return {"kind": "tensor_ref", "id": self.tensor_ids[id(t)]}
        index = len(self.tensor_ids)
        self.tensor_ids[id(t)] = index
        self.keep_alive.append(t)
        array = t._backend.to_numpy(t._data)
        node = {"kind": "tensor", "id": index, "data": self.add_array(array), "dtype": t.dtype.name,
                "shape": list(t.shape), "device": str(t.device), "requires_grad": bool(t.requires_grad)}
        if _is_parameter(t):
            node["parameter"] = True
        return node


def _parameter_class():
    try:
        from .nn import Parameter
        return Parameter
    except ImportError:
        return None


def _is_parameter(t):
    cls = _parameter_class()
    return cls is not None and isinstance(t, cls)


# --------------------------------------------------------------------------------------------------
# load
# --------------------------------------------------------------------------------------------------
_PICKLE_MSG = ("{name} is a Python pickle, not a file written by learntorch.save. learntorch.load never unpickles "
               "files: unpickling runs code stored in the file, which can do anything. Nothing from this file "
               "was run.")
_TORCH_MSG = ("{name} is a PyTorch checkpoint (written by torch.save): a zip archive holding a Python pickle "
              "({member}). learntorch.load never unpickles files: unpickling runs code stored in the file, which "
              "can do anything. Nothing from this file was run. To convert it, where PyTorch is installed run\n"
              "    learntorch.serialization.convert_torch_checkpoint({name!r}, 'converted.pt')\n"
              "which reads it with torch.load(weights_only=True), PyTorch's restricted loader, and writes it "
              "with learntorch.save.")


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Load an object saved with ``learntorch.save`` from ``f`` (a file name or a binary file object).

    ``map_location``: where tensors go: None (where they were saved), a
    device or device string ('cpu', 'cuda'), a dict mapping saved locations to
    new ones (``{'cuda:0': 'cpu'}``), or a function ``(tensor, location) ->
    tensor``.  ``weights_only`` is accepted for PyTorch compatibility; loading
    is always restricted to plain data in learntorch.
    """
    if pickle_module is not None:
        raise TypeError("learntorch.load never unpickles files, so it takes no pickle_module")
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        with open(name, "rb") as fh:
            return _load_from(fh, name, map_location)
    return _load_from(f, getattr(f, "name", "the file"), map_location)


def _load_from(fh, name, map_location):
    if not (hasattr(fh, "seek") and getattr(fh, "seekable", lambda: True)()):
        fh = io.BytesIO(fh.read())
    start = fh.tell()
    head = fh.read(8)
    fh.seek(start)
    if not head:
        raise RuntimeError(f"{name} is empty (0 bytes): it holds no saved object")
    if head[:1] == b"\x80":  # pickle protocol 2 and later (PyTorch's legacy format is protocol 2)
        raise pickle.UnpicklingError(_PICKLE_MSG.format(name=name))
    if head.startswith(b"\x93NUMPY"):
        raise RuntimeError(f"{name} is a NumPy .npy file, not a file written by learntorch.save: read it with "
                           f"numpy.load and wrap it with learntorch.from_numpy")
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise RuntimeError(f"{name} is not a file written by learntorch.save (it starts with {head!r}; "
                           f"a learntorch file is a zip archive)")
    try:
        z = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise RuntimeError(f"{name} is truncated or corrupted: it starts like a zip archive (the container "
                           f"learntorch.save and torch.save write) but cannot be opened ({e})") from None
    with z:
        names = set(z.namelist())
        if MANIFEST not in names:
            pickles = sorted(n for n in names if n.endswith(".pkl"))
            if pickles:
                raise pickle.UnpicklingError(_TORCH_MSG.format(name=name, member=pickles[0]))
            raise RuntimeError(f"{name} is a zip archive but not one written by learntorch.save (it has no "
                               f"{MANIFEST})")
        try:
            manifest = json.loads(_read_member(z, MANIFEST, name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise RuntimeError(f"{name} is corrupted: its {MANIFEST} is not valid JSON ({e})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "object" not in manifest:
            raise RuntimeError(f"{name} is corrupted: its {MANIFEST} is not a learntorch manifest")
        if manifest.get("version") != VERSION:
            raise RuntimeError(f"{name} was written by a newer learntorch (format version "
                               f"{manifest.get('version')}; this one reads version {VERSION}): upgrade learntorch")
        return _Decoder(z, name, map_location).decode(manifest["object"])


def _read_member(z, member, name):
    try:
        return z.read(member)
    except KeyError:
        raise RuntimeError(f"{name} is corrupted: {member} is listed in its manifest but missing") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise RuntimeError(f"{name} is truncated or corrupted: cannot read {member} ({e})") from None


class _Decoder:
    """Rebuilds the object from the JSON tree: only the kinds below, nothing else is ever created."""

    def __init__(self, z, name, map_location):
        self.z, self.name, self.map_location = z, name, map_location
        self.tensors = {}

    def bad(self, why):
        return RuntimeError(f"{self.name} is corrupted: {why}")

    def field(self, node, key, types):
        if key not in node or not isinstance(node[key], types) or (types is int and isinstance(node[key], bool)):
            raise self.bad(f"a {node.get('kind')!r} entry has no valid {key!r}")
        return node[key]

    def decode(self, node):
        if not isinstance(node, dict) or not isinstance(node.get("kind"), str):
            raise self.bad(f"unexpected manifest entry {str(node)[:60]!r}")
        kind = node["kind"]
        if kind == "none":
            return None
        if kind == "bool":
            return self.field(node, "value", bool)
        if kind == "int":
            return self.field(node, "value", int)
        if kind == "float":
            try:
                return float(self.field(node, "value", str))
            except ValueError:
                raise self.bad(f"{node['value']!r} is not a float") from None
        if kind == "str":
            return self.field(node, "value", str)
        if kind == "bytes":
            try:
                return bytes.fromhex(self.field(node, "value", str))
            except ValueError:
                raise self.bad("invalid bytes entry") from None
        if kind in ("list", "tuple"):
            items = [self.decode(v) for v in self.field(node, "items", list)]
            return items if kind == "list" else tuple(items)
        if kind == "dict":
            out = OrderedDict() if node.get("ordered") else {}
            for pair in self.field(node, "items", list):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.bad("a dict entry is not a [key, value] pair")
                key = self.decode(pair[0])
                try:
                    out[key] = self.decode(pair[1])
                except TypeError:
                    raise self.bad(f"unhashable dict key {key!r}") from None
            return out
        if kind == "size":
            from ._tensor import Size
            return Size(int(s) for s in self.field(node, "items", list))
        if kind == "dtype":
            from . import _dtype
            try:
                return _dtype._by_name(self.field(node, "name", str))
            except (KeyError, AttributeError):
                raise self.bad(f"unknown dtype {node['name']!r}") from None
        if kind == "device":
            from ._device import device
            try:
                return device(self.field(node, "value", str))
            except RuntimeError:
                raise self.bad(f"unknown device {node['value']!r}") from None
        if kind == "ndarray":
            return self.array(node)
        if kind == "tensor":
            return self.tensor(node)
        if kind == "tensor_ref":
            ref = self.field(node, "id", int)
            if ref not in self.tensors:
                raise self.bad(f"reference to tensor {ref}, which comes later or does not exist")
            return self.tensors[ref]
        raise self.bad(f"unknown entry kind {kind!r}")

    def array(self, node):
        member = self.field(node, "data", str)
        raw = _read_member(self.z, member, self.name)
        try:
            return np.load(io.BytesIO(raw), allow_pickle=False)
        except ValueError as e:
            raise self.bad(f"{member} is not a plain NumPy array ({e})") from None
        except Exception as e:
            raise self.bad(f"{member} cannot be read ({type(e).__name__}: {e})") from None

    def tensor(self, node):
        from . import _dtype
        from ._creation import _finish
        array = self.array(node)
        try:
            dt = _dtype._by_name(self.field(node, "dtype", str))
        except (KeyError, AttributeError):
            raise self.bad(f"unknown dtype {node['dtype']!r}") from None
        shape = tuple(self.field(node, "shape", list))
        if array.shape != shape or array.dtype != dt.np:
            raise self.bad(f"{node['data']} holds {array.dtype} {array.shape}, the manifest says {dt.name} {shape}")
        location = self.field(node, "device", str)
        requires_grad = self.field(node, "requires_grad", bool)
        target = self.where(location)
        if callable(target):
            t = target(_finish(array, dt, "cpu", False), location)
            if t is None:
                t = _finish(array, dt, self.where_default(location), False)
        else:
            t = _finish(array, dt, target, False)
        if node.get("parameter"):
            cls = _parameter_class()
            t = cls(t, requires_grad=requires_grad) if cls is not None else t.requires_grad_(requires_grad)
        elif requires_grad:
            t.requires_grad_(True)
        self.tensors[self.field(node, "id", int)] = t
        return t

    def where_default(self, location):
        if location.startswith("cuda"):
            from . import cuda
            if not cuda.is_available():
                from ._errors import msg
                raise RuntimeError(msg("deserialize_cuda_unavailable"))
        return location

    def where(self, location):
        """The device (or function) ``map_location`` sends a tensor saved on ``location`` to."""
        m = self.map_location
        if m is None:
            return self.where_default(location)
        if isinstance(m, dict):
            for key in (location, location.split(":")[0]):
                if key in m:
                    return str(m[key])
            return self.where_default(location)
        if callable(m) and not isinstance(m, str):
            return m
        return str(m)


# --------------------------------------------------------------------------------------------------
# converting PyTorch checkpoints (needs real PyTorch)
# --------------------------------------------------------------------------------------------------
def convert_torch_checkpoint(src, dst):
    """Convert a PyTorch checkpoint ``src`` (``torch.save``) into a learntorch file ``dst``.

    Needs real PyTorch.  ``src`` is read with ``torch.load(weights_only=True)``,
    PyTorch's restricted unpickler (it refuses files that would run code), then
    every torch tensor becomes a learntorch tensor and the result is written
    with ``learntorch.save``.  Returns the converted object.
    """
    try:
        import torch
    except ImportError:
        raise RuntimeError("convert_torch_checkpoint needs PyTorch (pip install torch)") from None
    from . import tensor as _lt_tensor

    def convert(obj):
        if isinstance(obj, torch.Tensor):
            data = obj.detach().cpu()
            if data.dtype == torch.bfloat16:
                data = data.float()  # learntorch has no bfloat16
            t = _lt_tensor(data.numpy(), requires_grad=obj.requires_grad)
            if isinstance(obj, torch.nn.Parameter):
                cls = _parameter_class()
                if cls is not None:
                    t = cls(t, requires_grad=obj.requires_grad)
            return t
        if isinstance(obj, OrderedDict):
            return OrderedDict((convert(k), convert(v)) for k, v in obj.items())
        if isinstance(obj, dict):
            return {convert(k): convert(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            items = [convert(v) for v in obj]
            return items if isinstance(obj, list) else tuple(items)
        if isinstance(obj, torch.dtype):
            from . import _dtype
            return _dtype._by_name(str(obj).replace("torch.", ""))
        if isinstance(obj, torch.device):
            from ._device import device
            return device(obj.type, obj.index)
        return obj

    converted = convert(torch.load(src, map_location="cpu", weights_only=True))
    save(converted, dst)
    return converted
