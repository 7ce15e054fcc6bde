"""GraphView: structure, labels, edges, grads, backward replay, determinism, module collapse."""
import gc
import os
import subprocess
import sys
import textwrap

import pytest

import learntorch as torch
from learntorch.autograd import hooks
from widgets import GraphView
from widgets.graph import _parse_plain, _formula

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def square_sum(device="cpu"):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True, device=device)
    with GraphView() as g:
        y = x ** 2
        loss = y.sum()
    return g, x, y, loss


def doc_example():
    x = torch.ones(2, 2, requires_grad=True)
    with GraphView() as g:
        y = x + 2
        z = y * y * 3
        out = z.mean()
    return g, x, out


def test_square_sum_structure_and_labels(device):
    g, x, y, loss = square_sum(device)
    assert [(n["name"], n["kind"]) for n in g.nodes] == [
        ("x", "leaf"), ("PowBackward0", "op"), ("y", "tensor"), ("SumBackward0", "op"), ("loss", "tensor")]
    assert g.edges == [("x", "PowBackward0"), ("PowBackward0", "y"), ("y", "SumBackward0"),
                       ("SumBackward0", "loss")]
    assert g.label("x") == ["x (leaf)", "shape (3,)", "[1, 2, 3]", "grad -"]
    assert g.label("y") == ["y", "shape (3,)", "[1, 4, 9]", "grad -"]
    assert g.label("loss") == ["loss", "shape ()", "14", "grad -"]
    assert g.label("PowBackward0") == ["PowBackward0"]


def test_square_sum_grads_after_backward(device):
    g, x, y, loss = square_sum(device)
    loss.backward()
    assert g.label("x")[3] == "grad [2, 4, 6]"
    assert g.label("y")[3] == "grad [1, 1, 1]"
    assert g.label("loss")[3] == "grad 1"
    assert g.step_order() == ["SumBackward0", "PowBackward0"]
    assert repr(g) == textwrap.dedent("""\
        GraphView: 3 tensors, 2 ops; backward: 2/2 steps
          x: leaf (3,) [1, 2, 3] grad [2, 4, 6]
          y = PowBackward0(x)
          y: (3,) [1, 4, 9] grad [1, 1, 1]
          loss = SumBackward0(y)
          loss: () 14 grad 1""")


def test_doc_example_x_grad_is_4_5():
    g, x, out = doc_example()
    out.backward()
    assert x.grad.tolist() == [[4.5, 4.5], [4.5, 4.5]]
    assert g.label("x")[3] == "grad [[4.5, 4.5], [4.5, 4.5]]"
    assert g.label("y")[2:] == ["[[3, 3], [3, 3]]", "grad [[4.5, 4.5], [4.5, 4.5]]"]
    assert g.label("z")[2:] == ["[[27, 27], [27, 27]]", "grad [[0.25, 0.25], [0.25, 0.25]]"]
    assert g.label("out")[2:] == ["27", "grad 1"]
    names = [n["name"] for n in g.nodes]
    assert names == ["x", "AddBackward0", "y", "MulBackward0", "t1", "MulBackward0#2", "z",
                     "MeanBackward0", "out"]
    assert ("y", "MulBackward0") in g.edges and ("t1", "MulBackward0#2") in g.edges
    assert "  t1 = MulBackward0(y, y)" in repr(g).splitlines()   # y * y: y enters twice


def test_step_order_is_reverse_topological():
    g, x, out = doc_example()
    out.backward()
    order = g.step_order()
    assert order == ["MeanBackward0", "MulBackward0#2", "MulBackward0", "AddBackward0"]
    # general property: an op runs only after every op that consumed its outputs
    topo = [n["name"] for n in g.nodes if n["kind"] == "op"]
    assert order == topo[::-1]

    a = torch.randn(3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    with GraphView() as g2:
        c = a * b
        d = c.exp() + a
        e = (d * c).sum() + b.sum()
    e.backward()
    consumers = {}
    for src, dst in g2.edges:
        consumers.setdefault(src, []).append(dst)
    produced_by = {dst: src for src, dst in g2.edges if g2.label(src)[0].endswith(("Backward0", "Backward1"))}
    ran = g2.step_order()
    for i, op in enumerate(ran):
        inputs = [src for src, dst in g2.edges if dst == op]
        for t in inputs:
            producer = produced_by.get(t)
            if producer is not None:
                assert ran.index(producer) > i, (op, producer)


def test_replay_shows_the_chain_rule_step_by_step():
    g, x, out = doc_example()
    out.backward()
    assert g.steps == 4
    before = g.text(step=0)
    assert "grad -" in before and "4.5" not in before
    assert g.text(step=1).splitlines()[-1] == "  out: () 27 grad 1"
    g.step(1)
    assert g.label("z")[3] == "grad [[0.25, 0.25], [0.25, 0.25]]"
    assert g.label("t1")[3] == "grad -"
    g.step(3)     # y*y has sent 2.25 twice: y's gradient is the sum
    assert g.label("y")[3] == "grad [[4.5, 4.5], [4.5, 4.5]]"
    assert g.label("x")[3] == "grad -"
    svg = g.to_svg(step=2)
    assert "step 2/4: MulBackward0#2" in svg
    assert "local gradient: dz/da = b, dz/db = a." in svg
    assert "sends dL/dt1 = [[0.75, 0.75], [0.75, 0.75]]" in svg
    assert 'fill="#fff3a3"' in svg            # the running op is highlighted
    g.step(None)
    assert g.label("x")[3] == "grad [[4.5, 4.5], [4.5, 4.5]]"


def test_formula_is_read_from_the_op_docstring():
    x = torch.tensor([1.0], requires_grad=True)
    assert _formula((x * 2).grad_fn) == ("z = a * b (the Hadamard product, 阿达玛积).", "dz/da = b, dz/db = a.")
    assert _formula(x.exp().grad_fn) == ("y = e^x.", "dy/dx = e^x = y.")


def test_same_code_gives_byte_identical_svg_twice():
    g1, _, out1 = doc_example()
    out1.backward()
    g2, _, out2 = doc_example()
    out2.backward()
    assert g1.to_svg() == g2.to_svg()
    assert g1.to_svg(step=2) == g2.to_svg(step=2)
    assert g1.to_dot() == g2.to_dot()
    assert repr(g1) == repr(g2)
    assert "0x" not in g1.to_svg() and "0x" not in g1.to_dot()


def test_svg_is_identical_across_processes():
    code = textwrap.dedent("""
        import hashlib, learntorch as torch
        from widgets import GraphView
        torch.manual_seed(0)
        w = torch.randn(3, 3, requires_grad=True)
        x = torch.randn(4, 3)
        with GraphView() as g:
            h = (x @ w).tanh()
            loss = (h * h).mean() + w.sum()
        loss.backward()
        print(hashlib.sha256((g.to_svg() + g.to_svg(step=2) + repr(g)).encode()).hexdigest())
    """)
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=ROOT)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_names_from_user_then_variables_then_counters():
    w = torch.tensor([2.0], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    x = torch.tensor([1.0, 2.0])
    with GraphView(autoname=False) as g:
        pred = w * x + b
    assert [n["name"] for n in g.nodes if n["kind"] != "op"] == ["t1", "t2", "t3", "t4"]
    g.name(w=w, b=b, pred=pred)
    assert [n["name"] for n in g.nodes if n["kind"] != "op"] == ["w", "t1", "b", "pred"]
    with GraphView() as g2:
        pred = w * x + b
    assert [n["name"] for n in g2.nodes if n["kind"] != "op"] == ["w", "t1", "b", "pred"]


def test_static_view_of_an_existing_result():
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    h = a.relu()
    loss = (h * 3).sum()
    g = GraphView(loss)
    assert [n["name"] for n in g.nodes] == ["a", "ReluBackward0", "h", "MulBackward0", "t1", "SumBackward0",
                                            "loss"]
    assert g.label("t1")[2] == "value ?"        # made before the view existed: values unknown
    loss.backward()                              # the view still hears backward
    assert g.label("a")[3] == "grad [3, 0]"
    assert g.label("t1")[3] == "grad [1, 1]"


def test_leaf_alone_and_empty_view():
    x = torch.tensor([1.0], requires_grad=True)
    assert [n["name"] for n in GraphView(x).nodes] == ["x"]
    empty = GraphView()
    assert repr(empty) == "GraphView: 0 tensors, 0 ops"
    assert "no graph recorded yet" in empty.to_svg()


def test_to_dot_and_dot_layout_fallback(monkeypatch):
    g, x, y, loss = square_sum()
    dot = g.to_dot()
    assert dot.startswith("digraph autograd {")
    assert 'n0 [label="x (leaf)\\nshape (3,)\\n[1, 2, 3]\\ngrad -"' in dot
    assert "  n0 -> n1;\n  n1 -> n2;\n  n2 -> n3;\n  n3 -> n4;\n}" in dot
    monkeypatch.setattr("shutil.which", lambda name: None)
    g.layout_engine = "dot"
    svg = g.to_svg()
    assert g.layout_used == "grandalf" and svg.startswith("<svg")


def test_parse_dot_plain_output():
    g, *_ = square_sum()
    view = g._view()
    plain = "graph 1 2 3\n" + "".join(f"node {n.id} 1 {3 - i * 0.5} 1 0.5 x solid box black lightgrey\n"
                                      for i, n in enumerate(view["nodes"])) + "stop\n"
    pos, routes = _parse_plain(plain, view["nodes"], view["edges"])
    ys = [pos[n.id][1] for n in view["nodes"]]
    assert ys == sorted(ys)                       # y grows downwards, in graph order
    assert set(routes) == {(a.id, b.id) for a, b in view["edges"]}


def test_mlp_collapses_one_box_per_module():
    nn = pytest.importorskip("learntorch.nn")
    if not hasattr(nn, "Linear") or not hasattr(nn, "Sequential"):
        pytest.skip("learntorch.nn has no Linear/Sequential yet")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    x = torch.randn(64, 784)
    listeners = len(hooks.node_created)
    with GraphView(model) as g:
        loss = (model(x) ** 2).mean()
    loss.backward()
    boxes = [n for n in g.nodes if n["kind"] == "module"]
    assert [b["lines"][0] for b in boxes] == ["0: Linear", "1: ReLU", "2: Linear"]
    assert boxes[0]["lines"][1] == "out (64, 128)"
    assert boxes[0]["lines"][2].endswith(" ops, 100,480 params")
    assert boxes[0]["lines"][-1] == "grads filled"
    assert ("0", "1") in g.edges and ("1", "2") in g.edges
    assert g.modules() == ["0", "1", "2"]
    small = len(g.nodes)
    g.expand("0")
    names = [n["name"] for n in g.nodes]
    assert "0.weight" in names and "0.bias" in names and "0" not in names and "2" in names
    g.expand()
    assert all(n["kind"] != "module" for n in g.nodes) and len(g.nodes) > small
    g.collapse_all()
    assert len(g.nodes) == small
    assert g.to_svg(step=2).count('stroke-dasharray="6,3"') == 3      # module boxes are dashed
    assert len(hooks.node_created) == listeners


def test_duck_typed_modules_with_pytorch_hook_api():
    """Module grouping needs only PyTorch's hook API (named_modules/parameters, forward (pre-)hooks)."""

    class Handle:
        def __init__(self, lst, fn):
            self.lst, self.fn = lst, fn

        def remove(self):
            self.lst.remove(self.fn)

    class Scale:
        def __init__(self):
            self.w = torch.tensor([2.0], requires_grad=True)
            self.pre, self.post = [], []

        def named_modules(self):
            yield "", self

        def named_parameters(self, recurse=True):
            yield "w", self.w

        def register_forward_pre_hook(self, fn):
            self.pre.append(fn)
            return Handle(self.pre, fn)

        def register_forward_hook(self, fn):
            self.post.append(fn)
            return Handle(self.post, fn)

        def __call__(self, x):
            for fn in self.pre:
                fn(self, (x,))
            out = x * self.w
            for fn in self.post:
                fn(self, (x,), out)
            return out

    class Net(Scale):
        def __init__(self):
            super().__init__()
            self.inner = Scale()

        def named_modules(self):
            yield "", self
            yield "inner", self.inner

        def __call__(self, x):
            return self.inner(x).sum()

    net = Net()
    x = torch.tensor([1.0, 2.0])
    with GraphView(net) as g:
        out = net(x)
    assert [n["kind"] for n in g.nodes] == ["module", "op", "tensor"]
    assert g.nodes[0]["lines"][0] == "inner: Scale"
    assert not net.inner.pre and not net.inner.post        # hooks removed on exit
    g.expand("inner")
    assert [n["name"] for n in g.nodes] == ["inner.w", "MulBackward0", "t1", "SumBackward0", "out"]


def test_widget_headless_steps_and_updates_live():
    g = GraphView()
    box = g.widget
    picture = box.children[0]
    assert "no graph recorded yet" in picture.value
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with g:
        y = x ** 2
        loss = y.sum()
    assert "PowBackward0" in picture.value and ">loss</text>" in picture.value
    loss.backward()
    g.refresh()
    ui = g._ui
    assert ui.slider.max == 2 and ui.slider.value == 2
    ui.buttons[0].click()                   # |< : before backward
    assert ui.slider.value == 0 and "grad [2, 4, 6]" not in picture.value
    ui.buttons[2].click()                   # > : one step
    assert ui.slider.value == 1 and "step 1/2: SumBackward0" in ui.info.value
    ui.slider.value = 2
    assert "grad [2, 4, 6]" in picture.value
    bundle = g._repr_mimebundle_()
    assert bundle["text/plain"] == repr(g) and bundle["image/svg+xml"].startswith("<svg")
    assert "application/vnd.jupyter.widget-view+json" not in bundle   # no kernel here


def test_listeners_are_removed():
    before_created, before_steps = len(hooks.node_created), len(hooks.backward_step)
    g, x, y, loss = square_sum()
    assert len(hooks.node_created) == before_created
    assert len(hooks.backward_step) == before_steps + 1
    del g
    gc.collect()
    assert len(hooks.backward_step) == before_steps


def test_big_graph_renders_and_stays_deterministic():
    torch.manual_seed(0)
    x = torch.randn(4, requires_grad=True)
    w = torch.randn(4, requires_grad=True)
    with GraphView() as g:
        h = x
        for _ in range(80):
            h = (h * w).tanh() + x
        loss = h.sum()
    loss.backward()
    assert len(g.nodes) == 484
    svg = g.to_svg(step=100)
    assert svg == g.to_svg(step=100)
    assert svg.count("<g id=") == 484


def test_simulated_cuda_values_render(device):
    x = torch.tensor([[1.0, -1.0]], device=device, requires_grad=True)
    with GraphView() as g:
        loss = (x * x).sum()
    loss.backward()
    assert g.label("x")[2:] == ["[[1, -1]]", "grad [[2, -2]]"]


def test_learntorch_never_imports_widget_libraries():
    code = ("import sys, learntorch, learntorch.nn; "
            "print(sorted(m for m in ('widgets', 'ipywidgets', 'matplotlib', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
