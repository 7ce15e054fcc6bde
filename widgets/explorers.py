"""Explorers: small interactive experiments for the chapters.

* ``LearningRateExplorer``: gradient descent on the linear-regression example
  (x = 1..5, y = 2x + 1, start a = b = 1, MSE): move the learning rate and the
  number of steps and watch the fit line, the loss curve and the path of (a, b)
  over the loss surface.  Every step is computed by learntorch's autograd, exactly
  as the chapter's loop does it.
* ``BroadcastExplorer``: two shapes in; the dims aligned from the right, the
  stretched axes (广播), and the result shape or PyTorch's error.
* ``MnistViewer``: digits with predicted and true labels, the confusion matrix,
  the misclassified ones.

Each one is a plain object: ``.text()`` / ``repr`` is deterministic, ``.widget`` is
the ipywidgets view, and displaying it in Jupyter shows the widget.
"""
import re

import numpy as np

import learntorch

from ._util import Static, escape, fmt, figure, in_kernel, png_bytes, shape_text, to_numpy, widget_bundle

__all__ = ["LearningRateExplorer", "BroadcastExplorer", "MnistViewer", "gradient_descent"]


# --- learning rate ------------------------------------------------------------------------------
def gradient_descent(lr, steps, x=(1.0, 2.0, 3.0, 4.0, 5.0), y=(3.0, 5.0, 7.0, 9.0, 11.0), a0=1.0, b0=1.0):
    """Fit y = a*x + b by gradient descent on the MSE, with learntorch, as the chapter does.

    Returns the lists ``a``, ``b`` (parameters before each step and after the last)
    and ``loss`` (the loss at each of those points).
    """
    xt = learntorch.tensor(list(x), dtype=learntorch.float32)
    yt = learntorch.tensor(list(y), dtype=learntorch.float32)
    a = learntorch.tensor([float(a0)], requires_grad=True)
    b = learntorch.tensor([float(b0)], requires_grad=True)
    path_a, path_b, losses = [], [], []
    for _ in range(steps):
        y_pred = a * xt + b
        loss = ((y_pred - yt) ** 2).mean()
        path_a.append(a.item())
        path_b.append(b.item())
        losses.append(loss.item())
        if not np.isfinite(losses[-1]):
            break
        loss.backward()
        with learntorch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    with learntorch.no_grad():
        final = ((a * xt + b - yt) ** 2).mean().item()
    path_a.append(a.item())
    path_b.append(b.item())
    losses.append(final)
    return {"a": path_a, "b": path_b, "loss": losses}


class _Explorer:
    """What the explorers share: a widget built on first use (None without ipywidgets) and a rich
    display (the live widget in Jupyter, a static picture elsewhere, and the text)."""

    _ui = None

    def _make_ui(self):
        raise NotImplementedError

    def static(self):
        return Static(self.text(), png=self.render())

    @property
    def widget(self):
        if self._ui is None:
            try:
                self._ui = self._make_ui()
            except ImportError:
                return None
        return self._ui.box

    def _repr_mimebundle_(self, include=None, exclude=None):
        return _bundle(self)


class LearningRateExplorer(_Explorer):
    """Gradient descent on the linear-regression example, with sliders for lr and steps."""

    LRS = (0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.09, 0.1, 0.12)

    def __init__(self, lr=0.05, steps=100, *, x=(1.0, 2.0, 3.0, 4.0, 5.0), y=(3.0, 5.0, 7.0, 9.0, 11.0),
                 a0=1.0, b0=1.0):
        self.x, self.y = tuple(float(v) for v in x), tuple(float(v) for v in y)
        self.a0, self.b0 = float(a0), float(b0)
        self.lr, self.steps = float(lr), int(steps)
        self._ui = None
        self._cache = {}
        self.run()

    def run(self, lr=None, steps=None):
        """Recompute for a new learning rate / number of steps; returns the history."""
        if lr is not None:
            self.lr = float(lr)
        if steps is not None:
            self.steps = int(steps)
        key = (self.lr, self.steps)
        if key not in self._cache:
            self._cache = {key: gradient_descent(self.lr, self.steps, self.x, self.y, self.a0, self.b0)}
        self.history = self._cache[key]
        if self._ui is not None:
            self._ui.refresh()
        return self.history

    # --- what happened ---
    @property
    def a(self):
        return self.history["a"][-1]

    @property
    def b(self):
        return self.history["b"][-1]

    @property
    def loss(self):
        return self.history["loss"][-1]

    @property
    def state(self):
        """'diverged' (the loss grew or overflowed), 'converged' (loss < 1e-4), or 'converging'."""
        first, last = self.history["loss"][0], self.history["loss"][-1]
        if not np.isfinite(last) or last > first:
            return "diverged"
        if last < 1e-4:
            return "converged"
        return "converging"

    def text(self):
        return (f"LearningRateExplorer: lr={fmt(self.lr)}, {self.steps} steps -> a={fmt(self.a)}, "
                f"b={fmt(self.b)}, loss={fmt(self.loss)} ({self.state}; best fit a=2, b=1)")

    def __repr__(self):
        return self.text()

    # --- pictures ---
    def _loss_at(self, A, B):
        x, y = np.asarray(self.x), np.asarray(self.y)
        return ((A[..., None] * x + B[..., None] - y) ** 2).mean(axis=-1)

    def render(self):
        """The three panels (fit, loss curve, path over the loss surface) as PNG bytes."""
        key = (self.lr, self.steps)
        if getattr(self, "_png_key", None) == key:
            return self._png
        self._png, self._png_key = self._draw(), key
        return self._png

    def _draw(self):
        h = self.history
        fig = figure(10.5, 3.2, 80)
        ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
        x = np.asarray(self.x)
        ax1.scatter(x, self.y, color="black", zorder=3, label="data")
        xs = np.linspace(x.min() - 0.5, x.max() + 0.5, 2)
        if np.isfinite(self.a) and np.isfinite(self.b) and abs(self.a) < 1e6:
            ax1.plot(xs, self.a * xs + self.b, color="tab:red", label=f"a={fmt(self.a, 3)}, b={fmt(self.b, 3)}")
        ax1.plot(xs, self.a0 * xs + self.b0, color="gray", linestyle=":", label="start")
        ax1.set_ylim(min(self.y) - 4, max(self.y) + 4)
        ax1.set_title("fit", fontsize=10)
        ax1.legend(fontsize=7, loc="upper left")
        losses = np.asarray(h["loss"], dtype=np.float64)
        finite = np.isfinite(losses) & (losses > 0)
        ax2.plot(np.arange(len(losses))[finite], losses[finite], color="tab:blue")
        ax2.set_yscale("log")
        ax2.set_xlabel("step", fontsize=9)
        ax2.set_title(f"loss ({self.state})", fontsize=10)
        A, B = np.meshgrid(np.linspace(-1, 5, 121), np.linspace(-3, 5, 121))
        ax3.contour(A, B, np.log10(self._loss_at(A, B) + 1e-3), levels=14, cmap="viridis", linewidths=0.8)
        pa, pb = np.asarray(h["a"]), np.asarray(h["b"])
        ok = np.isfinite(pa) & np.isfinite(pb)
        ax3.plot(pa[ok], pb[ok], "o-", color="tab:red", markersize=2.5, linewidth=1)
        ax3.plot([2], [1], marker="*", color="black", markersize=10)
        ax3.set_xlim(-1, 5)
        ax3.set_ylim(-3, 5)
        ax3.set_xlabel("a", fontsize=9)
        ax3.set_ylabel("b", fontsize=9)
        ax3.set_title("path of (a, b) over the loss", fontsize=10)
        for ax in (ax1, ax2, ax3):
            ax.tick_params(labelsize=8)
        fig.suptitle(f"lr = {fmt(self.lr)}, {self.steps} steps", fontsize=10)
        fig.tight_layout()
        return png_bytes(fig)

    def _make_ui(self):
        return _LRUI(self)


def _bundle(explorer):
    """The widget (in Jupyter) plus a static picture for GitHub/nbviewer, plus the text."""
    data = explorer.static()._repr_mimebundle_()
    if in_kernel():
        data.update(widget_bundle(explorer.widget, explorer.text()))
    return data


class _LRUI:
    def __init__(self, ex):
        import ipywidgets as W

        self.ex = ex
        options = sorted(set(ex.LRS) | {ex.lr})
        self.lr = W.SelectionSlider(options=[(fmt(v), v) for v in options], value=ex.lr, description="lr",
                                    continuous_update=False, layout=W.Layout(width="420px"))
        self.steps = W.IntSlider(value=ex.steps, min=1, max=500, description="steps", continuous_update=False,
                                 layout=W.Layout(width="420px"))
        self.image = W.Image(format="png")
        self.info = W.HTML()
        self.box = W.VBox([W.HBox([self.lr, self.steps]), self.info, self.image])
        self.box.add_class("learntorch-lr-explorer")
        self.lr.observe(self._changed, names="value")
        self.steps.observe(self._changed, names="value")
        self.refresh()

    def _changed(self, _):
        self.ex.run(self.lr.value, self.steps.value)

    def refresh(self):
        self.image.value = self.ex.render()
        self.info.value = f"<span style='font-family:monospace;font-size:12px'>{escape(self.ex.text())}</span>"


# --- broadcasting -------------------------------------------------------------------------------------
def parse_shape(text):
    """``"3, 1"``, ``"(3, 1)"``, ``"[3,1]"``, ``"torch.Size([3, 1])"`` or a tuple -> ``(3, 1)``."""
    if isinstance(text, (tuple, list)):
        return tuple(int(v) for v in text)
    if hasattr(text, "shape"):
        return tuple(int(v) for v in text.shape)
    body = re.sub(r"^\s*(torch\.)?Size\(|\)\s*$", "", str(text))
    nums = re.findall(r"-?\d+", body)
    if re.sub(r"[\s,()\[\]\d-]", "", body):
        raise ValueError(f"could not read a shape from {text!r}: write sizes like 3, 1")
    shape = tuple(int(v) for v in nums)
    if any(v < 0 for v in shape):
        raise ValueError(f"sizes cannot be negative: {text!r}")
    return shape


def broadcast_info(a, b):
    """How shapes ``a`` and ``b`` broadcast: per aligned dim (size a, size b, result, what happens)."""
    from learntorch._shape import broadcast_shapes
    n = max(len(a), len(b))
    pa = (None,) * (n - len(a)) + tuple(a)
    pb = (None,) * (n - len(b)) + tuple(b)
    dims = []
    for da, db in zip(pa, pb):
        ea, eb = 1 if da is None else da, 1 if db is None else db
        if ea == eb or ea == 1 or eb == 1:
            res = max(ea, eb) if ea != 0 and eb != 0 else 0
            note = "same" if ea == eb else ("stretch a" if ea == 1 else "stretch b")
        else:
            res, note = None, "mismatch"
        dims.append((da, db, res, note))
    try:
        result, error = tuple(broadcast_shapes(tuple(a), tuple(b))), None
    except RuntimeError as e:
        result, error = None, str(e)
    return {"a": tuple(a), "b": tuple(b), "dims": dims, "result": result, "error": error}


class BroadcastExplorer(_Explorer):
    """Type two shapes; see the dims aligned from the right, what is stretched, and the result."""

    def __init__(self, a=(3, 1), b=(4,)):
        self._ui = None
        self.set(a, b)

    def set(self, a, b):
        self.problem = None
        try:
            self.a, self.b = parse_shape(a), parse_shape(b)
            self.info = broadcast_info(self.a, self.b)
        except ValueError as e:
            self.a = self.b = None
            self.info = None
            self.problem = str(e)
        if self._ui is not None:
            self._ui.refresh()
        return self

    @property
    def result(self):
        return None if self.info is None else self.info["result"]

    @property
    def error(self):
        return self.problem if self.info is None else self.info["error"]

    def text(self):
        if self.info is None:
            return f"BroadcastExplorer: {self.problem}"
        rows = [("a", [d[0] for d in self.info["dims"]]), ("b", [d[1] for d in self.info["dims"]])]
        out = [f"BroadcastExplorer: a {shape_text(self.a)} with b {shape_text(self.b)}"]
        for name, sizes in rows:
            out.append(f"  {name}:      " + " ".join(f"{'.' if s is None else s:>5}" for s in sizes))
        res = [("?" if d[2] is None else d[2]) for d in self.info["dims"]]
        out.append("  result: " + " ".join(f"{r:>5}" for r in res))
        out.append("  per dim: " + ", ".join(d[3] for d in self.info["dims"]))
        if self.info["error"]:
            out.append(f"  RuntimeError: {self.info['error']}")
        else:
            out.append(f"  result shape: torch.Size({list(self.info['result'])})")
        return "\n".join(out)

    def __repr__(self):
        return self.text()

    def to_svg(self):
        """The aligned shapes as a picture: stretched sizes in orange, a mismatch in red."""
        cw, ch, x0, y0 = 64, 34, 110, 30
        if self.info is None:
            return _svg_text_box(f"{self.problem}")
        dims = self.info["dims"]
        n = len(dims)
        width = max(x0 + n * cw + 20, 520)
        height = y0 + 3 * (ch + 10) + 60
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" '
               f'font-size="14">', f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
        for j in range(n):
            out.append(f'<text x="{x0 + j * cw + cw / 2:.0f}" y="{y0 - 10}" text-anchor="middle" fill="#888" '
                       f'font-size="11">dim {j - n}</text>')
        rows = (("a " + shape_text(self.a), 0), ("b " + shape_text(self.b), 1), ("a + b", 2))
        for label, r in rows:
            y = y0 + r * (ch + 10)
            out.append(f'<text x="10" y="{y + ch / 2 + 5:.0f}" fill="#333">{escape(label)}</text>')
            for j, (da, db, res, note) in enumerate(dims):
                x = x0 + j * cw
                size = (da, db, res)[r]
                fill, stroke, text, dash = "#dbe9ff", "#3b6fb6", str(size), ""
                if r < 2 and size is None:
                    fill, stroke, text, dash = "#f8f9fa", "#adb5bd", "(1)", ' stroke-dasharray="4,3"'
                if r < 2 and note == ("stretch a" if r == 0 else "stretch b"):
                    fill, stroke = "#fff0db", "#e8590c"
                    text = f"{1 if size is None else size}\u2192{res}"
                if note == "mismatch":
                    fill, stroke = "#ffe3e3", "#c92a2a"
                    if r == 2:
                        text = "\u2718"
                if r == 2 and note != "mismatch":
                    fill, stroke = "#e3f5e1", "#3c8d40"
                out.append(f'<rect x="{x + 3}" y="{y}" width="{cw - 6}" height="{ch}" rx="4" fill="{fill}" '
                           f'stroke="{stroke}" stroke-width="1.5"{dash}/>')
                out.append(f'<text x="{x + cw / 2:.0f}" y="{y + ch / 2 + 5:.0f}" text-anchor="middle" '
                           f'fill="#222">{escape(text)}</text>')
        y = y0 + 3 * (ch + 10) + 16
        if self.info["error"]:
            msg = "RuntimeError: " + self.info["error"]
            color = "#c92a2a"
        else:
            msg = f"result: torch.Size({list(self.info['result'])})"
            color = "#2b8a3e"
        for i, line in enumerate(_wrap_words(msg, max(40, (width - 20) // 8))):
            out.append(f'<text x="10" y="{y + i * 18}" fill="{color}" font-size="13">{escape(line)}</text>')
        out.append(f'<text x="10" y="{height - 8}" fill="#888" font-size="11">sizes are compared from the '
                   f'right; (1) = a missing leading dim; n\u2192m = stretched</text>')
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _repr_svg_(self):
        return self.to_svg()

    def static(self):
        return Static(self.text(), svg=self.to_svg())

    def _make_ui(self):
        return _BroadcastUI(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = widget_bundle(self.widget, self.text()) if in_kernel() else {"text/plain": self.text()}
        data["image/svg+xml"] = self.to_svg()
        return data


def _wrap_words(text, width):
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def _svg_text_box(msg):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="40" viewBox="0 0 520 40" '
            f'font-family="monospace" font-size="13"><rect width="520" height="40" fill="#ffffff"/>'
            f'<text x="10" y="25" fill="#c92a2a">{escape(msg)}</text></svg>\n')


class _BroadcastUI:
    def __init__(self, ex):
        import ipywidgets as W

        self.ex = ex
        self.a = W.Text(value=_shape_input(ex.a), description="shape a", continuous_update=False)
        self.b = W.Text(value=_shape_input(ex.b), description="shape b", continuous_update=False)
        self.picture = W.HTML()
        self.box = W.VBox([W.HBox([self.a, self.b]), self.picture])
        self.box.add_class("learntorch-broadcast-explorer")
        self._busy = False
        self.a.observe(self._changed, names="value")
        self.b.observe(self._changed, names="value")
        self.refresh()

    def _changed(self, _):
        self._busy = True
        try:
            self.ex.set(self.a.value, self.b.value)
        finally:
            self._busy = False

    def refresh(self):
        self.picture.value = self.ex.to_svg()
        if not self._busy and self.ex.a is not None:
            self.a.value, self.b.value = _shape_input(self.ex.a), _shape_input(self.ex.b)


def _shape_input(shape):
    return "" if shape is None else ", ".join(map(str, shape))


# --- MNIST ---------------------------------------------------------------------------------------------
class MnistViewer(_Explorer):
    """Digits with their predicted and true labels, the confusion matrix, the misclassified ones.

    ``images``: (N, 28, 28), (N, 1, 28, 28) or (N, 784) tensor/array; ``labels``: (N,);
    ``predictions``: (N,) class indices or (N, C) scores (the argmax is taken).
    """

    def __init__(self, images, labels, predictions=None, *, classes=None, per_page=24):
        imgs = to_numpy(images).astype(np.float32)
        if imgs.ndim == 4:
            imgs = imgs[:, 0]
        if imgs.ndim == 2:
            side = int(round(np.sqrt(imgs.shape[1])))
            imgs = imgs.reshape(len(imgs), side, side)
        self.images = imgs
        self.labels = to_numpy(labels).astype(np.int64).reshape(-1)
        pred = None if predictions is None else to_numpy(predictions)
        if pred is not None and pred.ndim == 2:
            pred = pred.argmax(axis=1)
        self.predictions = None if pred is None else pred.astype(np.int64).reshape(-1)
        n_cls = int(max(self.labels.max(initial=0), -1 if pred is None else self.predictions.max(initial=0))) + 1
        self.classes = list(classes) if classes is not None else [str(i) for i in range(max(n_cls, 10))]
        self.per_page = per_page
        self.view = "samples"
        self.page = 0
        self._ui = None

    @property
    def confusion(self):
        """counts[true, predicted] as a NumPy array (None without predictions)."""
        if self.predictions is None:
            return None
        k = len(self.classes)
        m = np.zeros((k, k), dtype=np.int64)
        np.add.at(m, (self.labels, self.predictions), 1)
        return m

    @property
    def accuracy(self):
        if self.predictions is None:
            return None
        return float((self.labels == self.predictions).mean()) if len(self.labels) else 0.0

    @property
    def misclassified(self):
        """Indices of the wrong predictions, in order."""
        if self.predictions is None:
            return np.zeros(0, dtype=np.int64)
        return np.nonzero(self.labels != self.predictions)[0]

    def most_confused(self, k=3):
        """The ``k`` most frequent (true, predicted, count) mistakes."""
        m = self.confusion
        if m is None:
            return []
        pairs = [(int(m[t, p]), t, p) for t in range(len(m)) for p in range(len(m)) if t != p and m[t, p]]
        pairs.sort(key=lambda c: (-c[0], c[1], c[2]))
        return [(self.classes[t], self.classes[p], c) for c, t, p in pairs[:k]]

    def text(self):
        n = len(self.labels)
        if self.predictions is None:
            return f"MnistViewer: {n} images (no predictions)"
        right = int((self.labels == self.predictions).sum())
        conf = ", ".join(f"{t}->{p} x{c}" for t, p, c in self.most_confused()) or "none"
        return (f"MnistViewer: {n} images, accuracy {100 * right / max(n, 1):.2f}% ({right}/{n}); "
                f"most confused (true->predicted): {conf}")

    def __repr__(self):
        return self.text()

    def _grid(self, idx, title):
        cols = 8
        rows = max(1, (len(idx) + cols - 1) // cols)
        fig = figure(cols * 1.05, rows * 1.25 + 0.4, 80)
        for i, j in enumerate(idx):
            ax = fig.add_subplot(rows, cols, i + 1)
            ax.imshow(self.images[j], cmap="gray_r")
            ax.set_xticks([])
            ax.set_yticks([])
            t = self.classes[self.labels[j]]
            if self.predictions is None:
                ax.set_title(f"{t}", fontsize=9)
            else:
                p = self.classes[self.predictions[j]]
                ok = p == t
                ax.set_title(f"p={p} t={t}", fontsize=8, color="#2b8a3e" if ok else "#c92a2a")
        if not len(idx):
            ax = fig.add_subplot(1, 1, 1)
            ax.axis("off")
            ax.text(0.5, 0.5, "nothing to show", ha="center")
        fig.suptitle(title, fontsize=10)
        fig.tight_layout()
        return png_bytes(fig)

    def render(self, view=None, page=None):
        """PNG bytes of one view: 'samples', 'confusion' or 'misclassified' (``page`` of 24)."""
        view = view or self.view
        page = self.page if page is None else page
        if view == "confusion":
            m = self.confusion
            fig = figure(5.2, 4.6, 80)
            ax = fig.add_subplot(1, 1, 1)
            if m is None:
                ax.axis("off")
                ax.text(0.5, 0.5, "no predictions given", ha="center")
            else:
                ax.imshow(m, cmap="Blues")
                for t in range(len(m)):
                    for p in range(len(m)):
                        if m[t, p]:
                            ax.text(p, t, str(m[t, p]), ha="center", va="center", fontsize=7,
                                    color="white" if m[t, p] > m.max() / 2 else "black")
                ax.set_xticks(range(len(m)), self.classes, fontsize=8)
                ax.set_yticks(range(len(m)), self.classes, fontsize=8)
                ax.set_xlabel("predicted", fontsize=9)
                ax.set_ylabel("true", fontsize=9)
                ax.set_title(f"confusion matrix (accuracy {100 * self.accuracy:.2f}%)", fontsize=10)
            fig.tight_layout()
            return png_bytes(fig)
        idx = np.arange(len(self.labels)) if view == "samples" else self.misclassified
        pages = max(1, (len(idx) + self.per_page - 1) // self.per_page)
        page = min(max(0, page), pages - 1)
        chunk = idx[page * self.per_page:(page + 1) * self.per_page]
        return self._grid(chunk, f"{view} {page + 1}/{pages} (p = predicted, t = true)")

    def _make_ui(self):
        return _MnistUI(self)


class _MnistUI:
    def __init__(self, viewer):
        import ipywidgets as W

        self.v = viewer
        opts = ["samples"] + (["confusion", "misclassified"] if viewer.predictions is not None else [])
        self.which = W.ToggleButtons(options=opts, value=viewer.view)
        self.page = W.IntSlider(value=0, min=0, max=0, description="page", continuous_update=False)
        self.image = W.Image(format="png")
        self.info = W.HTML(f"<span style='font-family:monospace;font-size:12px'>{escape(viewer.text())}</span>")
        self.box = W.VBox([self.which, self.page, self.info, self.image])
        self.box.add_class("learntorch-mnist-viewer")
        self.which.observe(self._changed, names="value")
        self.page.observe(self._changed, names="value")
        self.refresh()

    def _changed(self, _):
        self.v.view, self.v.page = self.which.value, self.page.value
        self.refresh()

    def refresh(self):
        v = self.v
        n = len(v.labels) if v.view == "samples" else len(v.misclassified)
        self.page.max = max(0, (n - 1) // v.per_page)
        self.page.layout.display = "none" if v.view == "confusion" else "flex"
        self.image.value = v.render()
