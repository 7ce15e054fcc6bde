"""Small helpers shared by the widgets: numbers as text, tensors as NumPy, PNG rendering,
and "is there a Jupyter kernel?".

Everything here is deterministic: the same values always give the same text, so
the ``text/plain`` forms the notebooks store (and nbval compares) never change
between runs.
"""
import io
import math
import re

import numpy as np

_HEX_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def in_kernel():
    """True inside a Jupyter kernel (JupyterLab, Notebook, Voila, nbclient/nbval)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def fmt(value, digits=4):
    """A number as short, stable text: ``fmt(0.123456) == '0.1235'``, ``fmt(2.0) == '2'``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    text = f"{v:.{digits}g}"
    if text in ("-0", "-0.0"):
        text = "0"
    return text


def to_numpy(t):
    """Values of a learntorch tensor (any device), a torch tensor, an array or a list, as NumPy."""
    if t is None:
        return None
    if hasattr(t, "detach") and hasattr(t, "cpu"):
        t = t.detach().cpu()
        if hasattr(t, "numpy"):
            return np.asarray(t.numpy())
    return np.asarray(t)


def to_float(value):
    """A Python float from a number, a 0-d/1-element tensor or array (``loss`` or ``loss.item()``)."""
    if hasattr(value, "item"):
        value = value.item()
    return float(value)


def _nested(a, digits):
    if a.ndim == 0:
        return fmt(a.item(), digits)
    return "[" + ", ".join(_nested(row, digits) for row in a) + "]"


def summarize(values, max_items=6, digits=4):
    """Text for the numbers of a tensor: all of them when few, else their range and mean.

    >>> summarize(np.array([1., 2., 3.]))
    '[1, 2, 3]'
    """
    a = to_numpy(values)
    if a is None:
        return "-"
    if a.dtype == bool:
        a = a.astype(np.int64)
    if a.size == 0:
        return "[]"
    if a.size <= max_items:
        return _nested(a, digits)
    a64 = a.astype(np.float64)
    lo, hi = float(a64.min()), float(a64.max())
    if lo == hi:
        return f"all {fmt(lo, digits)}"
    mean = float(a64.mean())
    scale = max(abs(lo), abs(hi))
    if math.isfinite(scale) and scale > 0 and math.isfinite(mean):
        # round the mean at the precision of the range, so float noise (a mean of 3e-12
        # for gradients that cancel) prints as 0 on every machine
        mean = round(mean, digits - 1 - math.floor(math.log10(scale)))
    return f"{fmt(lo, digits)}..{fmt(hi, digits)} mean {fmt(mean, digits)}"


def shape_text(shape):
    """``(2, 3)`` for a shape (``()`` for a scalar)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(map(str, shape)) + ")"


def clean_message(text):
    """An exception message without memory addresses (they change every run)."""
    return _HEX_ADDRESS.sub("", str(text))


def escape(text):
    """Text safe inside HTML/SVG."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def figure(width=6.0, height=3.0, dpi=80):
    """A matplotlib Figure on the Agg canvas (no pyplot: no global state, no GUI backend)."""
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=dpi)


def png_bytes(fig):
    """Render a Figure to PNG bytes (Agg), without timestamps in the file."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


class Static:
    """A display object: a PNG/SVG/HTML picture plus a deterministic ``text/plain``.

    What ``close()``/``static()`` give back: it shows on GitHub and nbviewer (no
    widget state needed) and nbval compares only its text.
    """

    def __init__(self, text, png=None, svg=None, html=None):
        self.text, self.png, self.svg, self.html = text, png, svg, html

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/plain": self.text}
        if self.png is not None:
            import base64
            data["image/png"] = base64.b64encode(self.png).decode("ascii")
        if self.svg is not None:
            data["image/svg+xml"] = self.svg
        if self.html is not None:
            data["text/html"] = self.html
        return data

    def __repr__(self):
        return self.text


def widget_bundle(widget, text):
    """The mime bundle of an ipywidget with our own deterministic ``text/plain``."""
    data = {}
    if widget is not None:
        try:
            data.update(widget._repr_mimebundle_() or {})
        except Exception:  # no front end: the text is all there is
            data = {}
    data["text/plain"] = text
    return data
