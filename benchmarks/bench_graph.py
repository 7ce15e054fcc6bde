"""How fast GraphView is on big graphs (the widget should stay responsive up to ~500 boxes).

    python benchmarks/bench_graph.py

Two graphs: an 80-step recurrence (x and w reused at every step: 484 boxes, long edges)
and the course's MLP (784-128-10) on a batch of 64, collapsed per module and expanded.
Reported: recording the forward pass, the first picture (layout + SVG), a replay step
(layout cached, only labels and highlight change), and the text form.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import learntorch as torch  # noqa: E402
import learntorch.nn as nn  # noqa: E402
from widgets import GraphView  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def report(name, g, capture):
    first, svg = timed(g.to_svg)
    step, _ = timed(lambda: g.to_svg(step=max(1, g.steps // 2)))
    text, _ = timed(lambda: repr(g))
    print(f"{name:34} {len(g.nodes):4d} boxes  record {1e3 * capture:7.1f} ms  first SVG {1e3 * first:7.1f} ms  "
          f"replay step {1e3 * step:6.1f} ms  text {1e3 * text:6.1f} ms  ({len(svg) // 1024} KiB)")


def main():
    torch.manual_seed(0)
    x = torch.randn(4, requires_grad=True)
    w = torch.randn(4, requires_grad=True)

    def chain():
        with GraphView() as g:
            h = x
            for _ in range(80):
                h = (h * w).tanh() + x
            loss = h.sum()
        loss.backward()
        return g

    capture, g = timed(chain)
    report("recurrence, 80 steps", g, capture)

    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    xb, yb = torch.randn(64, 784), torch.randint(0, 10, (64,))

    def mlp():
        with GraphView(model) as g:
            loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        return g

    capture, g = timed(mlp)
    report("MLP on a batch, collapsed", g, capture)
    g.expand()
    report("MLP on a batch, expanded", g, capture)


if __name__ == "__main__":
    main()
