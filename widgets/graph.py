"""GraphView: the computation graph (计算图) autograd records, drawn, and backward replayed on it.

::

    from widgets import GraphView
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    with GraphView() as g:          # records every op of the forward pass
        y = x ** 2
        loss = y.sum()
    loss.backward()                 # the view hears the backward pass too
    g                               # the picture, with a step control to replay backward

What you see, top to bottom in the direction data flows:

* blue boxes: leaf tensors (叶子节点: ``requires_grad=True``, made by you, not by an op);
* white boxes: intermediate tensors (results of ops);
* orange boxes: the ``grad_fn`` nodes (``PowBackward0`` ...), the ops autograd remembers;
* green boxes: whole ``nn.Module`` calls (``GraphView(model)``), expandable.

Each tensor is labelled ``name | shape | values | grad``.  Names come from
``g.name(w=w)``, else from your variables, else ``t1, t2, ...`` counted in
topological order, so the same code draws the same picture (byte for byte) every run.

The engine reports to us through ``learntorch.autograd.hooks`` (``node_created``
while recording, ``backward_step`` during backward); learntorch knows nothing
about this module.
"""
import re
import shutil
import subprocess
import sys
import time
import weakref

import numpy as np

from learntorch.autograd import hooks
from learntorch.autograd.function import AccumulateGrad

from ._util import Static, escape, fmt, in_kernel, shape_text, summarize, to_numpy, widget_bundle

__all__ = ["GraphView"]

# colours: (fill, stroke)
STYLE = {
    "leaf": ("#dbe9ff", "#3b6fb6"),
    "tensor": ("#ffffff", "#666666"),
    "op": ("#ffe8cc", "#d9822b"),
    "module": ("#e3f5e1", "#3c8d40"),
}
HIGHLIGHT = ("#fff3a3", "#d6336c")   # the op running at the current backward step
RECEIVER = "#e8590c"                 # the tensors it sends gradients to
FONT = 12
CHAR_W = 7.3                          # width of one monospace character at FONT px
LINE_H = 15
PAD_X, PAD_Y = 8, 6
MARGIN = 12


class _Step:
    """One step of backward: ``op`` turned ``grad_out`` (one per output) into ``sends`` (target key, grad)."""

    __slots__ = ("op", "grad_out", "sends")

    def __init__(self, op, grad_out, sends):
        self.op, self.grad_out, self.sends = op, grad_out, sends


class _VNode:
    """A box of the drawing."""

    __slots__ = ("key", "id", "kind", "name", "lines", "title", "w", "h")

    def __init__(self, key, kind, name):
        self.key, self.kind, self.name = key, kind, name
        self.id = ""
        self.lines = []
        self.title = ""
        self.w = self.h = 0.0


def _is_module(obj):
    return hasattr(obj, "named_modules") and hasattr(obj, "register_forward_hook")


def _tensor_key(t):
    """Where tensor ``t`` sits in the graph: its (grad_fn, output number), or its leaf accumulator."""
    if getattr(t, "grad_fn", None) is not None:
        return ("t", t.grad_fn, t._output_nr)
    if getattr(t, "_requires_grad", False):
        return ("leaf", t._accumulator())
    return None


def _formula(node):
    """``(forward, local gradient)`` from the op's one-line docstring, e.g. ('z = a * b', 'dz/da = b, ...')."""
    doc = getattr(getattr(node, "fn", None), "__doc__", None) or ""
    doc = doc.replace("``", "").strip().split("\n\n")[0]
    parts = re.split(r"\.\s{2,}|\.\s*\n\s*(?=d)", doc, maxsplit=1)
    parts = [" ".join(p.split()) for p in parts]
    if len(parts) == 2:
        return parts[0] + ".", parts[1]
    return parts[0], ""


def _weak_listener(obj, method, registry):
    """A hook listener that calls ``obj.method`` while ``obj`` lives, then removes itself."""
    ref = weakref.ref(obj)

    def listener(*args):
        target = ref()
        if target is None:
            if listener in registry:
                registry.remove(listener)
            return
        try:
            getattr(target, method)(*args)
        except Exception:   # a drawing problem must never break the learner's forward/backward
            pass
    return listener


class GraphView:
    """The autograd graph of a computation, as a picture (SVG) and a widget that replays backward.

    ``GraphView()`` used as ``with GraphView() as g:`` records the forward pass;
    ``GraphView(loss)`` shows the graph behind an existing result;
    ``GraphView(model)`` also records which ``nn.Module`` made each op and draws
    one box per module (``g.expand("fc1")`` opens one).
    """

    def __init__(self, *roots, module=None, names=None, autoname=True, collapse=True, layout="grandalf",
                 max_nodes=2000):
        if len(roots) == 1 and module is None and _is_module(roots[0]):
            module, roots = roots[0], ()
        self._roots = [r for r in roots if r is not None]
        self.module = module
        self.layout_engine = layout
        self.layout_used = None
        self.max_nodes = max_nodes
        self.collapse = collapse
        self._autoname = autoname
        self._ops = {}            # captured op node -> None (an ordered set)
        self._values = {}         # key -> tensor whose values we know
        self._user_names = {}     # key -> name
        self._frame_names = {}    # key -> name found among the caller's variables
        self._module_of = {}      # op node -> dotted module name
        self._param_module = {}   # leaf key -> (module name, parameter name)
        self._module_types = {}   # module name -> class name
        self._expanded = set()
        self._stack = []          # modules whose forward is running
        self._handles = []
        self._steps = []
        self._known = set()       # op nodes of this graph (for filtering backward steps)
        self._pos = None          # replay position (None = the end)
        self._truncated = False
        self._ui = None
        self._dirty = False
        self._last_render = 0.0
        self._cache = {}
        self._listen_backward = _weak_listener(self, "_on_backward_step", hooks.backward_step)
        hooks.backward_step.append(self._listen_backward)
        weakref.finalize(self, _remove, hooks.backward_step, self._listen_backward)
        if self._roots:
            for r in self._roots:
                k = _tensor_key(r)
                if k is not None:
                    self._values[k] = r.detach()
            if autoname:
                self._scan_frame(sys._getframe(1))
        if names:
            self.name(**names)
        if module is not None:
            self._read_module(module)
        self._refresh_known()

    # --- naming ---------------------------------------------------------------
    def name(self, **tensors):
        """Give tensors the names the picture shows: ``g.name(w=w, b=b)``."""
        for label, t in tensors.items():
            k = _tensor_key(t)
            if k is not None:
                self._user_names[k] = label
                self._values.setdefault(k, t.detach())
        self._changed()
        return self

    def _scan_frame(self, frame):
        """Name tensors after the caller's variables (first name wins; ``_private`` names skipped)."""
        try:
            from learntorch import Tensor
            items = list(frame.f_locals.items())
        except Exception:
            return
        for var, obj in items:
            if var.startswith("_") or not isinstance(obj, Tensor):
                continue
            k = _tensor_key(obj)
            if k is not None and k not in self._frame_names:
                self._frame_names[k] = var
                self._values.setdefault(k, obj.detach())

    def _read_module(self, module):
        try:
            for mname, m in module.named_modules():
                self._module_types[mname] = type(m).__name__
                for pname, p in m.named_parameters(recurse=False):
                    k = _tensor_key(p)
                    if k is not None and k not in self._param_module:
                        self._param_module[k] = (mname, f"{mname}.{pname}" if mname else pname)
        except Exception:
            pass

    # --- recording -------------------------------------------------------------
    def __enter__(self):
        self._listen_created = _weak_listener(self, "_on_node_created", hooks.node_created)
        hooks.node_created.append(self._listen_created)
        if self.module is not None:
            self._read_module(self.module)
            self._attach_module_hooks(self.module)
        return self

    def __exit__(self, *exc):
        _remove(hooks.node_created, getattr(self, "_listen_created", None))
        for h in self._handles:
            try:
                h.remove()
            except Exception:
                pass
        self._handles = []
        self._stack = []
        if self._autoname:
            self._scan_frame(sys._getframe(1))
        self._refresh_known()
        self._changed(force=True)
        return False

    def _attach_module_hooks(self, module):
        for mname, m in module.named_modules():
            if not mname:
                continue  # the model itself: its ops are shown inside its children's boxes or alone
            try:
                self._handles.append(m.register_forward_pre_hook(self._pre_hook_for(mname)))
                self._handles.append(m.register_forward_hook(self._post_hook_for(mname)))
            except Exception:
                pass

    def _pre_hook_for(self, mname):
        def pre(module, args):
            self._stack.append(mname)
        return pre

    def _post_hook_for(self, mname):
        def post(module, args, output):
            if self._stack and self._stack[-1] == mname:
                self._stack.pop()
        return post

    def _on_node_created(self, node, outputs):
        if len(self._ops) >= self.max_nodes:
            self._truncated = True
            return
        self._ops[node] = None
        self._known.add(node)
        if self._stack:
            self._module_of[node] = self._stack[-1]
        for t in outputs:
            self._values[("t", node, t._output_nr)] = t.detach()
        self._changed()

    def _on_backward_step(self, node, grad_outputs, grad_inputs):
        if node not in self._known:
            return
        # One backward pass runs nodes newest first (strictly decreasing creation number), so a
        # node not older than the last one starts a new pass: keep only the latest pass.
        if self._steps and node._seq >= self._steps[-1].op._seq:
            self._steps = []
        sends = []
        for (nxt, nr), g in zip(node.next_functions, grad_inputs or ()):
            if nxt is None or g is None:
                continue
            key = ("leaf", nxt) if type(nxt) is AccumulateGrad else ("t", nxt, nr)
            sends.append((key, g.detach()))
        grad_out = [g.detach() if g is not None else None for g in grad_outputs]
        self._steps.append(_Step(node, grad_out, sends))
        self._pos = None
        self._changed()

    def _refresh_known(self):
        self._known = set(self._all_ops())

    # --- the graph ---------------------------------------------------------------
    def _all_ops(self):
        """Recorded ops, the roots' grad_fns, and everything they came from (up to max_nodes)."""
        seen = {}
        stack = list(self._ops) + [r.grad_fn for r in self._roots if getattr(r, "grad_fn", None) is not None]
        stack.reverse()
        while stack and len(seen) < self.max_nodes:
            n = stack.pop()
            if n in seen:
                continue
            seen[n] = None
            for nxt, _ in n.next_functions:
                if nxt is not None and type(nxt) is not AccumulateGrad and nxt not in seen:
                    stack.append(nxt)
        if stack:
            self._truncated = True
        return sorted(seen, key=lambda n: n._seq)   # creation order is a topological order

    def _structure(self):
        """Tensor/op keys in topological order and the forward edges between them."""
        ops = self._all_ops()
        in_graph = set(ops)
        wanted = {}
        for op in ops:
            for nxt, nr in op.next_functions:
                if nxt in in_graph:
                    wanted.setdefault(nxt, set()).add(nr)
        for key in self._values:
            if key[0] == "t" and key[1] in in_graph:
                wanted.setdefault(key[1], set()).add(key[2])
        order, seen, edges = [], set(), []
        self._consumer_meta = {}   # (op, nr) -> (shape, dtype), as recorded by a consumer of that tensor

        def add(k):
            if k not in seen:
                seen.add(k)
                order.append(k)

        for r in self._roots:
            k = _tensor_key(r)
            if k is not None and k[0] == "leaf":
                add(k)
        for op in ops:
            for nxt, nr in op.next_functions:
                if type(nxt) is AccumulateGrad:
                    add(("leaf", nxt))
                    edges.append((("leaf", nxt), ("op", op)))
                elif nxt in in_graph:
                    edges.append((("t", nxt, nr), ("op", op)))
            for (nxt, nr), meta in zip(op.next_functions, getattr(op, "_meta", ())):
                if nxt in in_graph:
                    self._consumer_meta.setdefault(("t", nxt, nr), meta)
            add(("op", op))
            for nr in sorted(wanted.get(op, ())):
                add(("t", op, nr))
                edges.append((("op", op), ("t", op, nr)))
        return order, edges

    def _module_path(self, key):
        """The dotted module name a node belongs to ('' when none)."""
        if key[0] == "op":
            return self._module_of.get(key[1], "")
        if key[0] == "t":
            return self._module_of.get(key[1], "")
        if key[0] == "leaf" and key in self._param_module and self._module_of:
            return self._param_module[key][0]
        return ""

    def _group(self, key):
        """The box that shows ``key``: a collapsed module's, or its own."""
        path = self._module_path(key)
        if not path or not self.collapse:
            return key
        parts = path.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix not in self._expanded:
                return ("mod", prefix)
        return key

    def modules(self):
        """Names of the modules that made ops of this graph (outermost first)."""
        names = []
        for op in self._all_ops():
            path = self._module_of.get(op, "")
            if not path:
                continue
            parts = path.split(".")
            for i in range(1, len(parts) + 1):
                p = ".".join(parts[:i])
                if p not in names:
                    names.append(p)
        return names

    def expand(self, *names):
        """Open module boxes (``g.expand('fc1')``; no names: all of them)."""
        self._expanded.update(names or self.modules())
        self._changed(force=True)
        return self

    def collapse_all(self):
        """Close every module box again."""
        self._expanded.clear()
        self._changed(force=True)
        return self

    # --- gradients at a replay position -----------------------------------------
    @property
    def steps(self):
        """Number of recorded backward steps (ops run by the engine)."""
        return len(self._steps)

    def step_order(self):
        """Names of the ops in the order backward ran them (reverse topological)."""
        view = self._view()
        return [view["names"].get(("op", s.op), s.op.name()) for s in self._steps]

    def _grads_at(self, k, leaves=()):
        """Gradients known after the first ``k`` backward steps: {key: numpy array}.

        Intermediate tensors get the gradient their op received; leaves the sum of what
        reached them so far (at the end: their real ``.grad``)."""
        grads = {}
        final = {}
        for step in self._steps[:k]:
            for nr, g in enumerate(step.grad_out):
                if g is not None:
                    final[("t", step.op, nr)] = to_numpy(g)
            for key, g in step.sends:
                a = to_numpy(g)
                grads[key] = a if key not in grads else grads[key] + a
        grads.update(final)
        if k >= len(self._steps):  # the end: leaves show their real .grad
            for key in leaves:
                if key[1].variable._grad is not None:
                    grads[key] = to_numpy(key[1].variable._grad)
        return grads

    # --- the view model: boxes, labels, edges --------------------------------------
    def _names(self, order):
        names, counter, op_count = {}, 0, {}
        for k in order:
            if k[0] == "op":
                base = k[1].name()
                op_count[base] = op_count.get(base, 0) + 1
                names[k] = base if op_count[base] == 1 else f"{base}#{op_count[base]}"
                continue
            n = self._user_names.get(k) or self._frame_names.get(k)
            if n is None and k in self._param_module:
                n = self._param_module[k][1]
            if n is None:
                counter += 1
                n = f"t{counter}"
            names[k] = n
        return names

    def _shape_of(self, key):
        if key in self._values:
            return tuple(self._values[key].shape), self._values[key].dtype
        if key[0] == "leaf":
            v = key[1].variable
            return tuple(v.shape), v.dtype
        meta = getattr(self, "_consumer_meta", {}).get(key)
        if meta is not None:
            return tuple(meta[0]), meta[1]
        return None, None

    def _value_of(self, key):
        if key[0] == "leaf":
            return key[1].variable.detach()
        return self._values.get(key)

    def _view(self, pos=None):
        """Everything needed to draw or print the graph at replay position ``pos``."""
        order, edges = self._structure()
        names = self._names(order)
        k = len(self._steps) if pos is None else max(0, min(pos, len(self._steps)))
        grads = self._grads_at(k, [key for key in order if key[0] == "leaf"])
        groups = [self._group(key) for key in order]
        vnodes, index = [], {}
        members = {}
        for key, grp in zip(order, groups):
            members.setdefault(grp, []).append(key)
            if grp not in index:
                index[grp] = len(vnodes)
                kind = {"leaf": "leaf", "t": "tensor", "op": "op", "mod": "module"}[grp[0]]
                vnodes.append(_VNode(grp, kind, grp[1] if grp[0] == "mod" else names[grp]))
        where = {key: vnodes[index[grp]] for key, grp in zip(order, groups)}
        for i, vn in enumerate(vnodes):
            vn.id = f"n{i}"
            self._label(vn, members[vn.key], names, grads)
        vedges, seen, inputs = [], set(), {}
        for a, b in edges:
            ga, gb = vnodes[index[self._group(a)]], vnodes[index[self._group(b)]]
            if ga is gb:
                continue
            if gb.kind == "op":
                inputs.setdefault(gb.id, []).append(ga)   # y * y: y twice
            if (ga.id, gb.id) in seen:
                continue
            seen.add((ga.id, gb.id))
            vedges.append((ga, gb))
        current = self._steps[k - 1] if 0 < k <= len(self._steps) and pos is not None else None
        return {"nodes": vnodes, "edges": vedges, "names": names, "k": k, "current": current,
                "where": where, "grads": grads, "inputs": inputs}

    def _label(self, vn, keys, names, grads):
        if vn.kind == "op":
            node = vn.key[1]
            forward, local = _formula(node)
            vn.lines = [node.name()]
            vn.title = f"{vn.name}: {forward} {local}".strip()
        elif vn.kind == "module":
            mname = vn.key[1]
            ops = [k for k in keys if k[0] == "op"]
            params = [k for k in keys if k[0] == "leaf"]
            outs = [k for k in keys if k[0] == "t"]
            n_par = sum(int(np.prod(self._shape_of(p)[0] or (1,))) for p in params)
            vn.lines = [f"{mname}: {self._module_types.get(mname, 'Module')}"]
            if outs:
                vn.lines.append("out " + shape_text(self._shape_of(outs[-1])[0] or ()))
            vn.lines.append(f"{len(ops)} ops, {n_par:,} params")
            if params:
                done = all(p in grads for p in params)
                vn.lines.append("grads filled" if done else "grads -")
            vn.title = f"module {mname} ({self._module_types.get(mname, 'Module')}); expand it to see its ops"
        else:
            key = vn.key
            shape, dtype = self._shape_of(key)
            value = self._value_of(key)
            dt = "" if dtype is None or str(dtype) == "torch.float32" else " " + str(dtype).replace("torch.", "")
            vn.lines = [vn.name + (" (leaf)" if vn.kind == "leaf" else ""),
                        "shape " + (shape_text(shape) if shape is not None else "?") + dt,
                        summarize(value) if value is not None else "value ?",
                        "grad " + (summarize(grads[key]) if key in grads else "-")]
            vn.title = " | ".join(vn.lines)
        width = max(len(s) for s in vn.lines) * CHAR_W + 2 * PAD_X
        vn.w = float(max(width, 60.0))
        vn.h = float(len(vn.lines) * LINE_H + 2 * PAD_Y)

    # --- layout ----------------------------------------------------------------------
    def _layout(self, view):
        """Centres of the boxes and edge routes: a layered DAG (grandalf; graphviz ``dot`` on request)."""
        nodes, edges = view["nodes"], view["edges"]
        sig = (tuple((n.id, n.kind, round(n.w), round(n.h)) for n in nodes),
               tuple((a.id, b.id) for a, b in edges), self.layout_engine)
        if sig in self._cache:
            return self._cache[sig]
        result = None
        if self.layout_engine == "dot" and shutil.which("dot"):
            try:
                result = _layout_dot(nodes, edges, self.to_dot(view))
                self.layout_used = "dot"
            except Exception:
                result = None
        if result is None:
            result = _layout_grandalf(nodes, edges)
            self.layout_used = "grandalf"
        self._cache = {sig: result}
        return result

    # --- outputs --------------------------------------------------------------------------
    def _drawn(self, step):
        """The view at ``step`` laid out with the box sizes of the final state (boxes stay put)."""
        final = self._view(None)
        layout = self._layout(final)
        if step is None:
            return final, layout
        view = self._view(step)
        for a, b in zip(view["nodes"], final["nodes"]):
            a.w, a.h = b.w, b.h
        return view, layout

    def to_svg(self, step=None):
        """The picture as SVG text; ``step=k`` shows the state after k backward steps."""
        view, (pos, routes) = self._drawn(step)
        return _draw_svg(view, pos, routes, self._caption(view))

    def _repr_svg_(self):
        return self.to_svg(self._pos)

    def to_dot(self, view=None):
        """The graph in Graphviz's DOT language (``dot -Tsvg`` draws it, if you have Graphviz)."""
        view = view or self._view(self._pos)
        out = ["digraph autograd {", '  rankdir=TB;',
               '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];']
        for n in view["nodes"]:
            fill, stroke = STYLE[n.kind]
            label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in n.lines)
            out.append(f'  {n.id} [label="{label}", fillcolor="{fill}", color="{stroke}", '
                       f'width={n.w / 72:.3f}, height={n.h / 72:.3f}];')
        for a, b in view["edges"]:
            out.append(f"  {a.id} -> {b.id};")
        out.append("}")
        return "\n".join(out) + "\n"

    def text(self, step=None):
        """The graph as deterministic text: one line per tensor, ops written as calls."""
        view = self._view(step)
        nodes, edges = view["nodes"], view["edges"]
        ins = {n.id: view["inputs"].get(n.id) or [a for a, b in edges if b is n] for n in nodes}
        outs = {n.id: [b for a, b in edges if a is n] for n in nodes}
        n_t = sum(n.kind in ("leaf", "tensor") for n in nodes)
        n_op = sum(n.kind == "op" for n in nodes)
        n_mod = sum(n.kind == "module" for n in nodes)
        head = f"GraphView: {n_t} tensors, {n_op} ops"
        if n_mod:
            head += f", {n_mod} modules"
        if self._steps:
            head += f"; backward: {view['k']}/{len(self._steps)} steps"
        if self._truncated:
            head += f" (truncated at {self.max_nodes} ops)"
        lines = [head]
        for n in nodes:
            if n.kind in ("leaf", "tensor"):
                shape, value, grad = n.lines[1][len("shape "):], n.lines[2], n.lines[3]
                kind = "leaf " if n.kind == "leaf" else ""
                lines.append(f"  {n.name}: {kind}{shape} {value} {grad}")
            elif n.kind in ("op", "module"):
                args = ", ".join(a.name for a in ins[n.id])
                res = ", ".join(b.name for b in outs[n.id] if b.kind == "tensor") or "-"
                if n.kind == "op":
                    lines.append(f"  {res} = {n.lines[0]}({args})")
                else:
                    feeds = ", ".join(b.name for b in outs[n.id]) or "-"
                    lines.append(f"  [{'; '.join(n.lines)}] inputs: {args or '-'}; feeds: {feeds}")
        return "\n".join(lines)

    def __repr__(self):
        return self.text(self._pos)

    @property
    def nodes(self):
        """The boxes as dicts (name, kind, label lines), in topological order."""
        return [{"id": n.id, "name": n.name, "kind": n.kind, "lines": list(n.lines)}
                for n in self._view(self._pos)["nodes"]]

    @property
    def edges(self):
        """Forward edges as (from name, to name)."""
        return [(a.name, b.name) for a, b in self._view(self._pos)["edges"]]

    def label(self, name):
        """The label lines of the box called ``name``."""
        for n in self._view(self._pos)["nodes"]:
            if n.name == name:
                return list(n.lines)
        raise KeyError(name)

    def static(self, step=None):
        """A picture-only display object (SVG + text): shows on GitHub/nbviewer with no widget state."""
        return Static(self.text(step), svg=self.to_svg(step))

    def _caption(self, view):
        cur = view["current"]
        if cur is None:
            return ""
        return self._explain(view, cur, html=False)

    def _explain(self, view, step, html=True):
        """Words for one backward step: the chain rule, with this op's numbers."""
        names = view["names"]
        node = step.op
        forward, local = _formula(node)
        opname = names.get(("op", node), node.name())
        outs = [(names.get(("t", node, nr), f"out{nr}"), g) for nr, g in enumerate(step.grad_out) if g is not None]
        parts = [f"step {view['k']}/{len(self._steps)}: {opname}"]
        if forward:
            parts.append(f"forward: {forward}")
        if local:
            parts.append(f"local gradient: {local}")
        for name, g in outs:
            parts.append(f"receives dL/d{name} = {summarize(g)}")
        for key, g in step.sends:
            tname = names.get(key, "?")
            text = f"sends dL/d{tname} = {summarize(g)}"
            local_num = _local_numeric(outs, g)
            if local_num is not None:
                text += f"  (= dL/d{outs[0][0]} x {local_num})"
            parts.append(text)
        if not html:
            return " | ".join(parts)
        return ("<div style='font-family:monospace;font-size:12px;line-height:1.5'>"
                + "<br>".join(escape(p) for p in parts) + "</div>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = self.text(self._pos)
        data = widget_bundle(self.widget, text) if in_kernel() else {"text/plain": text}
        data["image/svg+xml"] = self.to_svg(self._pos)
        return data

    # --- the widget -----------------------------------------------------------------------
    @property
    def widget(self):
        """The interactive view (ipywidgets): the picture, a backward step control, module expanders."""
        if self._ui is None:
            try:
                self._ui = _GraphUI(self)
            except ImportError:
                return None
        return self._ui.box

    def step(self, k=None):
        """Show the state after ``k`` backward steps (``None``: the end)."""
        self._pos = k
        self._changed(force=True)
        return self

    def refresh(self):
        """Redraw the widget now."""
        self._changed(force=True)

    def _changed(self, force=False):
        self._dirty = True
        if self._ui is None:
            return
        now = time.perf_counter()
        if force or now - self._last_render > self._ui.min_interval:
            self._ui.render()
            self._last_render = time.perf_counter()
            self._ui.min_interval = max(0.2, 20 * (self._last_render - now))  # keep redraws under ~5%
            self._dirty = False

    def _flush(self, *args):
        if self._dirty and self._ui is not None:
            self._changed(force=True)


def _remove(registry, fn):
    if fn is not None and fn in registry:
        registry.remove(fn)


def _local_numeric(outs, g):
    """dL/d(input) / dL/d(output) element-wise, when that is well defined (one output, no zeros)."""
    if len(outs) != 1:
        return None
    go = to_numpy(outs[0][1]).astype(np.float64)
    gi = to_numpy(g).astype(np.float64)
    try:
        if np.broadcast_shapes(go.shape, gi.shape) != gi.shape or np.any(go == 0):
            return None
        return summarize(gi / go)
    except ValueError:
        return None


# --- layout engines -----------------------------------------------------------------------------
class _Box:
    """What grandalf needs to know about a vertex: its size (and it writes ``xy`` back)."""

    def __init__(self, w, h):
        self.w, self.h, self.xy = w, h, (0.0, 0.0)


class _Route:
    def __init__(self):
        self.pts = []

    def setpath(self, pts):
        self.pts = list(pts)


def _components(nodes, edges):
    """Connected components (each a list of nodes in the given order)."""
    parent = {n.id: n.id for n in nodes}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = find(a.id), find(b.id)
        if ra != rb:
            parent[max(ra, rb, key=lambda s: int(s[1:]))] = min(ra, rb, key=lambda s: int(s[1:]))
    comps = {}
    for n in nodes:
        comps.setdefault(find(n.id), []).append(n)
    return list(comps.values())


LONG_EDGE = 6  # edges spanning more layers than this are drawn directly, not routed by the layout


def _ranks(nodes, edges):
    """Longest-path layer of each node (nodes come in topological order; back edges are ignored)."""
    order = {n.id: i for i, n in enumerate(nodes)}
    preds = {}
    for a, b in edges:
        if order[a.id] < order[b.id]:
            preds.setdefault(b.id, []).append(a.id)
    rank = {}
    for n in nodes:
        rank[n.id] = 1 + max((rank[p] for p in preds.get(n.id, ())), default=-1)
    return rank


def _layout_grandalf(nodes, edges):
    """Sugiyama layering by grandalf, one connected component at a time, placed side by side.

    Edges that skip many layers (a parameter used by every step of a loop) would need
    hundreds of routing points: they are left out of the layout and drawn directly.
    """
    from grandalf.graphs import Edge, Vertex, graph_core
    from grandalf.layouts import SugiyamaLayout

    rank = _ranks(nodes, edges)
    routed = [(a, b) for a, b in edges if abs(rank[b.id] - rank[a.id]) <= LONG_EDGE]
    pos, routes, x_off = {}, {}, 0.0
    for comp in _components(nodes, routed):
        ids = {n.id for n in comp}
        verts = {}
        for n in comp:
            v = Vertex(n.id)
            v.view = _Box(n.w, n.h)
            verts[n.id] = v
        gedges = []
        for a, b in routed:
            if a.id in ids:
                e = Edge(verts[a.id], verts[b.id])
                e.view = _Route()
                gedges.append(((a.id, b.id), e))
        g = graph_core(list(verts.values()), [e for _, e in gedges])
        if len(comp) > 1:
            lay = SugiyamaLayout(g)
            lay.xspace, lay.yspace = 24, 30
            roots = [v for v in verts.values() if not v.e_in()]
            lay.init_all(roots=roots)
            lay.draw(N=1.5 if len(comp) < 150 else 1)
        xs = [v.view.xy[0] - v.view.w / 2 for v in verts.values()]
        xe = [v.view.xy[0] + v.view.w / 2 for v in verts.values()]
        shift = x_off - min(xs)
        for nid, v in verts.items():
            pos[nid] = (round(v.view.xy[0] + shift, 1), round(v.view.xy[1], 1))
        for key, e in gedges:
            routes[key] = [(round(x + shift, 1), round(y, 1)) for x, y in e.view.pts[1:-1]]
        x_off += max(xe) - min(xs) + 40
    return pos, routes


def _layout_dot(nodes, edges, dot_text):
    """Positions from Graphviz (``dot -Tplain``), used only when asked for and installed."""
    out = subprocess.run(["dot", "-Tplain"], input=dot_text, capture_output=True, text=True, timeout=30,
                         check=True).stdout
    return _parse_plain(out, nodes, edges)


def _parse_plain(plain, nodes, edges):
    """Read ``dot -Tplain`` output (inches, y upwards) into our coordinates (pixels, y downwards)."""
    height, pos, routes = 0.0, {}, {}
    for line in plain.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "graph":
            height = float(f[3])
        elif f[0] == "node":
            pos[f[1]] = (round(float(f[2]) * 72, 1), round((height - float(f[3])) * 72, 1))
    x0 = min((pos[n.id][0] - n.w / 2 for n in nodes), default=0.0)
    y0 = min((pos[n.id][1] - n.h / 2 for n in nodes), default=0.0)
    pos = {k: (round(x - x0, 1), round(y - y0, 1)) for k, (x, y) in pos.items()}
    for a, b in edges:
        routes[(a.id, b.id)] = []
    return pos, routes


# --- drawing ---------------------------------------------------------------------------------------
def _path(points):
    """A smooth top-to-bottom curve through ``points`` (vertical tangents at every point)."""
    (x, y), rest = points[0], points[1:]
    d = [f"M{x:.1f},{y:.1f}"]
    for nx, ny in rest:
        my = (y + ny) / 2
        d.append(f"C{x:.1f},{my:.1f} {nx:.1f},{my:.1f} {nx:.1f},{ny:.1f}")
        x, y = nx, ny
    return " ".join(d)


def _draw_svg(view, pos, routes, caption=""):
    nodes, edges, cur = view["nodes"], view["edges"], view["current"]
    hl_id, receivers, givers = None, set(), set()
    if cur is not None:
        where = view["where"]            # any key -> the box showing it (its module's, when collapsed)
        if ("op", cur.op) in where:
            hl_id = where[("op", cur.op)].id
        for key, _ in cur.sends:
            if key in where:
                receivers.add(where[key].id)
        for nr in range(len(cur.grad_out)):
            if ("t", cur.op, nr) in where:
                givers.add(where[("t", cur.op, nr)].id)
        receivers.discard(hl_id)
        givers.discard(hl_id)
    if not nodes:
        w, h = 240.0, 40.0
    else:
        w = max(pos[n.id][0] + n.w / 2 for n in nodes) + 2 * MARGIN
        h = max(pos[n.id][1] + n.h / 2 for n in nodes) + 2 * MARGIN
    cap_lines = _wrap(caption, max(72, int((w - 2 * MARGIN) / CHAR_W))) if caption else []
    if cap_lines:
        w = max(w, max(len(line) for line in cap_lines) * CHAR_W + 2 * MARGIN)
    total_h = h + len(cap_lines) * LINE_H + (MARGIN if cap_lines else 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{total_h:.0f}" '
           f'viewBox="0 0 {w:.0f} {total_h:.0f}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" '
           f'font-size="{FONT}">',
           '<defs><marker id="ltg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
           'markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker>'
           '<marker id="ltg-arrow-hl" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
           'markerWidth="11" markerHeight="11" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#d6336c"/>'
           '</marker></defs>',
           f'<rect x="0" y="0" width="{w:.0f}" height="{total_h:.0f}" fill="#ffffff"/>']
    if not nodes:
        out.append(f'<text x="{MARGIN}" y="{MARGIN + FONT}" fill="#666">(no graph recorded yet)</text>')
    for a, b in edges:
        ax, ay = pos[a.id]
        bx, by = pos[b.id]
        pts = [(ax + MARGIN, ay + a.h / 2 + MARGIN)]
        pts += [(x + MARGIN, y + MARGIN) for x, y in routes.get((a.id, b.id), [])]
        pts.append((bx + MARGIN, by - b.h / 2 + MARGIN))
        hot = hl_id is not None and (a.id == hl_id and b.id in givers or b.id == hl_id and a.id in receivers)
        color, width, marker = ("#d6336c", 2.5, "ltg-arrow-hl") if hot else ("#888888", 1.2, "ltg-arrow")
        out.append(f'<path d="{_path(pts)}" fill="none" stroke="{color}" stroke-width="{width}" '
                   f'marker-end="url(#{marker})"/>')
    for n in nodes:
        cx, cy = pos[n.id]
        x, y = cx - n.w / 2 + MARGIN, cy - n.h / 2 + MARGIN
        fill, stroke = STYLE[n.kind]
        sw = 1.2
        if n.id == hl_id:
            fill, stroke, sw = HIGHLIGHT[0], HIGHLIGHT[1], 3.0
        elif n.id in receivers:
            stroke, sw = RECEIVER, 2.5
        rx = 10 if n.kind == "op" else 4
        dash = ' stroke-dasharray="6,3"' if n.kind == "module" else ""
        out.append(f'<g id="ltg-{n.id}" class="ltg-node ltg-{n.kind}"><title>{escape(n.title)}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{n.w:.1f}" height="{n.h:.1f}" rx="{rx}" '
                   f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{dash}/>')
        for i, line in enumerate(n.lines):
            ty = y + PAD_Y + FONT + i * LINE_H - 1
            weight = ' font-weight="bold"' if i == 0 else ""
            color = "#333" if i == 0 or n.kind != "leaf" else "#1d3f73"
            fit = ""
            if len(line) * CHAR_W > n.w - 2 * PAD_X:
                fit = f' textLength="{n.w - 2 * PAD_X:.1f}" lengthAdjust="spacingAndGlyphs"'
            out.append(f'<text x="{cx + MARGIN:.1f}" y="{ty:.1f}" text-anchor="middle" fill="{color}"'
                       f'{weight}{fit}>{escape(line)}</text>')
        out.append("</g>")
    for i, line in enumerate(cap_lines):
        out.append(f'<text x="{MARGIN}" y="{h + (i + 1) * LINE_H:.1f}" fill="#862e9c">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _wrap(text, width):
    """Caption lines: one per `` | ``-separated part, wrapped at spaces."""
    lines = []
    for part in text.split(" | "):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = "    " + word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


# --- ipywidgets front end ---------------------------------------------------------------------------
class _GraphUI:
    """The picture in an HTML widget, buttons and a slider for the backward steps, module expanders."""

    def __init__(self, view):
        import ipywidgets as W

        self.view = view          # displayed widgets live as long as the kernel: so does their view
        self.min_interval = 0.2
        self.picture = W.HTML(layout=W.Layout(overflow="auto", max_height="640px", width="100%"))
        self.slider = W.IntSlider(value=0, min=0, max=0, description="backward", continuous_update=True,
                                  layout=W.Layout(width="320px"))
        self.buttons = [W.Button(description=d, tooltip=t, layout=W.Layout(width="44px"))
                        for d, t in (("|<", "before backward"), ("<", "one step back"),
                                     (">", "one step forward"), (">|", "all steps"))]
        self.info = W.HTML()
        self.expand = W.SelectMultiple(options=[], description="expand", rows=3,
                                       layout=W.Layout(display="none"))
        self.controls = W.HBox(self.buttons + [self.slider])
        self.box = W.VBox([self.picture, self.controls, self.info, self.expand])
        self.box.add_class("learntorch-graphview")
        for b, fn in zip(self.buttons, (self._first, self._back, self._next, self._last)):
            b.on_click(fn)
        self.slider.observe(self._slide, names="value")
        self.expand.observe(self._expand, names="value")
        self._updating = False
        try:
            from IPython import get_ipython
            ip = get_ipython()
            if ip is not None:
                ip.events.register("post_execute", _weak_flush(view))
        except Exception:
            pass
        self.render()

    def _move(self, k):
        n = self.view.steps
        self.view._pos = None if k >= n else max(0, k)
        self.view._changed(force=True)

    def _first(self, _):
        self._move(0)

    def _back(self, _):
        k = self.view.steps if self.view._pos is None else self.view._pos
        self._move(k - 1)

    def _next(self, _):
        k = self.view.steps if self.view._pos is None else self.view._pos
        self._move(k + 1)

    def _last(self, _):
        self._move(self.view.steps)

    def _slide(self, change):
        if not self._updating:
            self._move(change["new"])

    def _expand(self, change):
        if self._updating:
            return
        self.view._expanded = set(change["new"])
        self.view._changed(force=True)

    def render(self):
        v = self.view
        self._updating = True
        try:
            pos = v._pos
            view, layout = v._drawn(pos)
            self.picture.value = _draw_svg(view, *layout, v._caption(view))
            n = v.steps
            self.slider.max = n
            self.slider.value = n if pos is None else pos
            self.controls.layout.display = "flex" if n else "none"
            cur = view["current"]
            if cur is not None:
                self.info.value = v._explain(view, cur)
            elif n:
                self.info.value = (f"<span style='font-family:monospace;font-size:12px'>backward recorded: {n} "
                                   f"steps; move the slider to replay them one op at a time</span>")
            else:
                self.info.value = ""
            mods = v.modules()
            if mods:
                self.expand.options = mods
                self.expand.value = tuple(m for m in mods if m in v._expanded)
                self.expand.layout.display = "flex"
        finally:
            self._updating = False


def _weak_flush(view):
    ref = weakref.ref(view)

    def flush(*args):
        v = ref()
        if v is not None:
            v._flush()
            return
        try:
            from IPython import get_ipython
            get_ipython().events.unregister("post_execute", flush)
        except Exception:
            pass
    return flush
