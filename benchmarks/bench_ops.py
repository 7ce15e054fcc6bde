"""Per-op overhead on tiny tensors (forward + backward) and import time, learntorch vs PyTorch.

    python benchmarks/bench_ops.py [--n 3000]

Tiny tensors make the arithmetic free, so what is measured is the framework's own cost per
operation: argument checks, graph building, the backward engine.  Each case builds
``loss = op(inputs).sum()`` and calls ``loss.backward()``; the sum and backward cost the same in
every case, so compare the ratios, not the absolute numbers.  Runs alternate between the two
libraries; medians of 5 rounds are reported.
"""
import argparse
import statistics
import subprocess
import sys
import time


def cases(t):
    x = t.rand(4, 4, requires_grad=True)
    y = t.rand(4, 4, requires_grad=True)
    v = t.rand(4, requires_grad=True)
    return {
        "add": lambda: x + y,
        "mul (broadcast)": lambda: x * v,
        "matmul": lambda: x @ y,
        "relu": lambda: x.relu(),
        "exp": lambda: x.exp(),
        "sum(dim=1)": lambda: x.sum(dim=1),
        "mean": lambda: x.mean(),
        "reshape": lambda: x.reshape(16),
        "transpose": lambda: x.t(),
        "index [1:3]": lambda: x[1:3],
        "x ** 2": lambda: x ** 2,
        "linear (addmm)": lambda: t.nn.functional.linear(x, y, v),
        "cross_entropy": lambda: t.nn.functional.cross_entropy(x, t.tensor([0, 1, 2, 3])),
    }


def per_call(fn, n):
    t0 = time.perf_counter()
    for _ in range(n):
        fn().sum().backward()
    return (time.perf_counter() - t0) / n * 1e6


def import_time(module, rounds=5):
    times = []
    for _ in range(rounds):
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    import torch
    import learntorch
    torch.set_num_threads(1)
    ours, theirs = cases(learntorch), cases(torch)
    print("| op (fwd + sum + bwd, 4x4) | learntorch (us) | PyTorch (us) | ratio |")
    print("|---|---|---|---|")
    ratios = []
    for name in ours:
        a, b = [], []
        for _ in range(5):
            a.append(per_call(ours[name], args.n))
            b.append(per_call(theirs[name], args.n))
        ma, mb = statistics.median(a), statistics.median(b)
        ratios.append(ma / mb)
        print(f"| {name} | {ma:.1f} | {mb:.1f} | {ma / mb:.2f} |")
    print(f"| **median ratio** | | | **{statistics.median(ratios):.2f}** (target <= 2) |")
    lt_t, t_t = import_time("learntorch"), import_time("torch")
    print(f"\n`import learntorch`: {lt_t:.3f} s (target <= 0.25 s); `import torch`: {t_t:.3f} s")


if __name__ == "__main__":
    main()
