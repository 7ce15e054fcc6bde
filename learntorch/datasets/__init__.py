"""Datasets with torchvision's interface: ``MNIST``, ``FashionMNIST`` (and ``transforms``).

    from learntorch import datasets, transforms
    train = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())

See ``mnist.py`` for where the files come from (local folders, system
folders, mirrors, and for MNIST a bundled 5,000-digit subset when offline).
"""
from .mnist import MNIST, FashionMNIST, BundledSubsetWarning
from ._idx import IDXFormatError, read_idx
from ._download import DownloadError, ChecksumError
from . import transforms

__all__ = ["MNIST", "FashionMNIST", "BundledSubsetWarning", "IDXFormatError", "read_idx", "DownloadError",
           "ChecksumError", "transforms"]
