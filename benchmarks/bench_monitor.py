"""What TrainingMonitor costs: log() after every batch of the course's MLP, at its real batch rate.

    python benchmarks/bench_monitor.py [--epochs 20] [--batch 64] [--repeat 3]

The documents' model (784-128-10, ReLU, CrossEntropyLoss, SGD lr 0.01 momentum 0.9,
batch 64) trains on the 4,000 training digits of the bundled MNIST subset, in
learntorch.  Three runs alternate so machine noise hits them alike:

* ``plain``: no monitor;
* ``headless``: ``monitor.log(step, loss=loss, acc=acc)`` every batch, no front end (a script);
* ``live``: the same with the live view built (as when displayed in Jupyter): the PNG is
  redrawn whenever the throttle allows (defaults: >= 0.5 s apart, drawing <= 3 % of the time
  since the first log), the numbers and progress bar every 0.5 s;
* ``naive``: for comparison, a redraw every 10 batches with no budget (what a plain
  "plot every N steps" monitor costs).

Reported: the time spent inside ``log()`` as a share of the training time (the
overhead; the target is < 5 % of an epoch), how many redraws happened, and the
one-time cost of the first redraw (matplotlib's import and font cache), which a
notebook pays once per kernel.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import learntorch as torch  # noqa: E402
import learntorch.nn as nn  # noqa: E402
from widgets import TrainingMonitor  # noqa: E402

DATA = os.path.join(os.path.dirname(torch.__file__), "datasets", "data", "mnist_5k.npz")


def load():
    d = np.load(DATA)
    x = torch.tensor(d["train_images"].reshape(-1, 784).astype(np.float32) / 255)
    y = torch.tensor(d["train_labels"].astype(np.int64))
    return x, y


def train(x, y, epochs, batch, mode):
    """Train; returns (seconds of training, seconds inside log(), redraws)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    monitor = None
    if mode != "plain":
        total = epochs * ((len(x) + batch - 1) // batch)
        if mode == "naive":                     # what a monitor without the budget would cost
            monitor = TrainingMonitor(total=total, display=False, every=0.0, every_steps=10, budget=1e9)
        else:
            monitor = TrainingMonitor(total=total, display=False)
        if mode != "headless":
            monitor.widget                      # the live view exists: redraws happen
    in_log, step = 0.0, 0
    start = time.perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            xb, yb = x[idx], y[idx]
            out = model(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if monitor is not None:
                acc = (out.argmax(1) == yb).float().mean()     # the user's metric, not the monitor's cost
                t = time.perf_counter()
                monitor.log(step, loss=loss, acc=acc)
                in_log += time.perf_counter() - t
            step += 1
    total = time.perf_counter() - start
    return total, in_log, (monitor.renders if monitor else 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    x, y = load()
    # the one-time cost a kernel pays at its first redraw (import matplotlib, build the font cache)
    m = TrainingMonitor(display=False)
    m.log(0, loss=1.0)
    t = time.perf_counter()
    m._render()
    first = time.perf_counter() - t
    t = time.perf_counter()
    m.log(1, loss=0.5)
    m._render()
    again = time.perf_counter() - t

    results = {"plain": [], "headless": [], "live": [], "naive": []}
    for _ in range(args.repeat):
        for mode in results:
            results[mode].append(train(x, y, args.epochs, args.batch, mode))
    batches = args.epochs * ((len(x) + args.batch - 1) // args.batch)
    print(f"MLP 784-128-10, batch {args.batch}, {args.epochs} epochs of {len(x)} digits = {batches} log() calls "
          f"per run; median of {args.repeat} runs")
    plain = statistics.median(r[0] for r in results["plain"])
    print(f"  plain     {plain:7.2f} s  ({plain / args.epochs:.2f} s per epoch, "
          f"{batches / plain:.0f} batches/s)")
    for mode in ("headless", "live", "naive"):
        total = statistics.median(r[0] for r in results[mode])
        share = statistics.median(r[1] / r[0] for r in results[mode])
        per_call = statistics.median(r[1] / batches for r in results[mode])
        renders = statistics.median(r[2] for r in results[mode])
        print(f"  {mode:9} {total:7.2f} s  log(): {100 * share:5.2f} % of training time, "
              f"{1e6 * per_call:7.1f} us per call, {renders:.0f} redraws")
    print(f"  first redraw in a fresh process: {first:.2f} s (once per kernel); a later redraw: {again:.3f} s")


if __name__ == "__main__":
    main()
