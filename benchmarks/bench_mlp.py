"""One epoch of the course's MLP (784-128-10, SGD momentum 0.9) five ways, in one process.

    python benchmarks/bench_mlp.py [--batch 64] [--repeats 3] [--limit N]

1. a hand-written NumPy forward/backward loop (the floor: no autograd at all)
2. PyTorch, a tight index-slicing loop
3. PyTorch, idiomatic: DataLoader(TensorDataset, shuffle=True)
4. learntorch, idiomatic: the same code as 3 with ``import learntorch as torch``
5. learntorch, the same index-slicing loop as 2

Data: Fashion-MNIST's 60,000 training images (Debian's ``dataset-fashion-mnist``), float32 in [0, 1];
test accuracy on its 10,000 test images.  The runs alternate (1 2 3 4 5 1 2 3 4 5 ...) so that machine
noise hits all of them alike; the median of each is reported, with the ratios the performance issue
sets targets for.
"""
import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np

FASHION = "/usr/share/datasets/fashion-mnist"


def load_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_data(limit=None):
    if not os.path.isdir(FASHION):
        sys.exit(f"{FASHION} not found: apt-get install dataset-fashion-mnist")
    xtr = load_idx(f"{FASHION}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    ytr = load_idx(f"{FASHION}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = load_idx(f"{FASHION}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    yte = load_idx(f"{FASHION}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    if limit:
        xtr, ytr = xtr[:limit], ytr[:limit]
    return xtr, ytr, xte, yte


LR, MOMENTUM = 0.01, 0.9


# --- 1. hand-written NumPy ------------------------------------------------------------------------

def numpy_epoch(xtr, ytr, xte, yte, batch, seed):
    rng = np.random.default_rng(seed)
    b1v, b2v = 1 / np.sqrt(784), 1 / np.sqrt(128)
    params = [rng.uniform(-b1v, b1v, (784, 128)).astype(np.float32), rng.uniform(-b1v, b1v, 128).astype(np.float32),
              rng.uniform(-b2v, b2v, (128, 10)).astype(np.float32), rng.uniform(-b2v, b2v, 10).astype(np.float32)]
    bufs = [None] * 4
    t0 = time.perf_counter()
    perm = rng.permutation(len(xtr))
    for i in range(0, len(xtr), batch):
        idx = perm[i:i + batch]
        x, y = xtr[idx], ytr[idx]
        w1, b1, w2, b2 = params
        h = x @ w1 + b1
        a = np.maximum(h, 0)
        z = a @ w2 + b2
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        n = len(y)
        dz = p
        dz[np.arange(n), y] -= 1
        dz /= n
        grads = [None, None, a.T @ dz, dz.sum(0)]
        da = dz @ w2.T
        dh = da * (h > 0)
        grads[0], grads[1] = x.T @ dh, dh.sum(0)
        for k in range(4):
            bufs[k] = grads[k] if bufs[k] is None else MOMENTUM * bufs[k] + grads[k]
            params[k] -= LR * bufs[k]
    elapsed = time.perf_counter() - t0
    w1, b1, w2, b2 = params
    acc = float(((np.maximum(xte @ w1 + b1, 0) @ w2 + b2).argmax(1) == yte).mean())
    return elapsed, acc


# --- 2-5: the same PyTorch code for torch and learntorch ------------------------------------------------

def make_model(torch, seed):
    torch.manual_seed(seed)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)


def accuracy(torch, model, xte, yte):
    with torch.no_grad():
        return (model(xte).argmax(1) == yte).float().mean().item()


def idiomatic_epoch(torch, xtr, ytr, xte, yte, batch, seed):
    from importlib import import_module
    data = import_module(torch.__name__ + ".utils.data")
    model, loss_fn, opt = make_model(torch, seed)
    loader = data.DataLoader(data.TensorDataset(xtr, ytr), batch_size=batch, shuffle=True)
    t0 = time.perf_counter()
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    elapsed = time.perf_counter() - t0
    return elapsed, accuracy(torch, model, xte, yte)


def slicing_epoch(torch, xtr, ytr, xte, yte, batch, seed):
    model, loss_fn, opt = make_model(torch, seed)
    t0 = time.perf_counter()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), batch):
        idx = perm[i:i + batch]
        xb, yb = xtr[idx], ytr[idx]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    elapsed = time.perf_counter() - t0
    return elapsed, accuracy(torch, model, xte, yte)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS/OpenMP threads for every run (1 = Binder's one CPU; default)")
    args = ap.parse_args()

    import threadpoolctl
    import torch
    import learntorch
    # One thread count for everyone: NumPy's BLAS (numpy loop and learntorch) and PyTorch's OpenMP.
    # With more threads than idle cores, spinning BLAS/OpenMP threads slow each other down badly.
    torch.set_num_threads(args.threads)
    threadpoolctl.threadpool_limits(args.threads)
    xtr, ytr, xte, yte = load_data(args.limit)
    data = {
        "torch": [torch.from_numpy(a) for a in (xtr, ytr, xte, yte)],
        "learntorch": [learntorch.from_numpy(a) for a in (xtr, ytr, xte, yte)],
    }
    runs = {
        "numpy loop": lambda s: numpy_epoch(xtr, ytr, xte, yte, args.batch, s),
        "torch slicing": lambda s: slicing_epoch(torch, *data["torch"], args.batch, s),
        "torch DataLoader": lambda s: idiomatic_epoch(torch, *data["torch"], args.batch, s),
        "learntorch DataLoader": lambda s: idiomatic_epoch(learntorch, *data["learntorch"], args.batch, s),
        "learntorch slicing": lambda s: slicing_epoch(learntorch, *data["learntorch"], args.batch, s),
    }
    times = {k: [] for k in runs}
    accs = {k: [] for k in runs}
    for name, fn in runs.items():  # warm-up (imports, BLAS start-up, page faults): not counted
        fn(99)
    for r in range(args.repeats):
        for name, fn in runs.items():
            t, a = fn(r)
            times[name].append(t)
            accs[name].append(a)
            print(f"  repeat {r}: {name:22s} {t:6.3f} s  test acc {a:.4f}", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\nbatch {args.batch}, {len(xtr)} training images, {args.threads} thread(s), "
          f"{args.repeats} alternating repeats after a warm-up round (median seconds)\n")
    print("| run | epoch time (s) | test accuracy |")
    print("|---|---|---|")
    for k in runs:
        print(f"| {k} | {med[k]:.3f} | {statistics.mean(accs[k]):.4f} |")
    lt = med["learntorch DataLoader"]
    print("\n| ratio | value | target |")
    print("|---|---|---|")
    target = "<= 1.3" if args.batch <= 64 else "<= 1.1"
    print(f"| learntorch DataLoader / numpy loop | {lt / med['numpy loop']:.2f} | {target} |")
    print(f"| learntorch DataLoader / torch DataLoader | {lt / med['torch DataLoader']:.2f} | <= 0.5 |")
    print(f"| learntorch DataLoader / torch slicing | {lt / med['torch slicing']:.2f} | <= 1.0 |")
    print(f"| learntorch slicing / torch slicing | {med['learntorch slicing'] / med['torch slicing']:.2f} | |")


if __name__ == "__main__":
    main()
