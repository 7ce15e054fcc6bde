"""Printing tensors exactly as PyTorch does (``repr(x)``, ``print(x)``).

The recipe, in three steps:

1. Choose ONE format for all elements, from the values (``_Formatter``):
   integers print as they are; floats print in fixed notation with
   ``precision`` digits (``0.5000``), as "integers with a dot" (``1.``) when
   every value is whole, or in scientific notation (``1.0000e+05``) when the
   values span more than 1000x, exceed 1e8 or go below 1e-4.  Every element is
   padded to the widest one so that columns line up.
2. Lay the elements out (``_body``): rows wrap at ``linewidth`` characters;
   dimensions nest with one more space of indent per level and blank lines
   between blocks of 3-d and higher tensors; above ``threshold`` elements only
   ``edgeitems`` at each end of each dimension are shown, with ``...`` between.
3. Add the suffixes PyTorch adds (``_suffixes``): ``device=``, ``size=`` (empty
   tensors), ``dtype=`` (unless float32 (the default), int64 or bool), then
   ``grad_fn=<...>`` or ``requires_grad=True``.
"""
import math

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "tensor_repr"]


class _PrintOptions:
    precision = 4      # digits after the decimal point
    threshold = 1000   # more elements than this: summarise with "..."
    edgeitems = 3      # elements shown at each end of a summarised dimension
    linewidth = 80     # characters per line before wrapping
    sci_mode = None    # None: choose automatically; True/False: force


PRINT_OPTS = _PrintOptions()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    """Set how tensors print (PyTorch's options and defaults).

    ``profile``: ``"default"`` (precision 4, threshold 1000, edgeitems 3),
    ``"short"`` (precision 2, edgeitems 2) or ``"full"`` (never summarise).
    """
    if profile is not None:
        presets = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}
        if profile not in presets:
            raise ValueError(f"Invalid profile: {profile}. the profile must be one of {list(presets)}")
        (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems,
         PRINT_OPTS.linewidth) = presets[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    return {name: getattr(PRINT_OPTS, name) for name in
            ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")}


# --- step 1: one format for every element ------------------------------------------

class _Formatter:
    """Looks at the values once and decides the notation and the column width."""

    def __init__(self, values, is_float):
        self.is_float = is_float
        self.int_mode = True      # floats that are all whole numbers print as "3."
        self.sci_mode = False
        self.width = 1
        p = PRINT_OPTS.precision
        flat = values.reshape(-1)
        if not is_float:
            for v in flat.tolist():
                self.width = max(self.width, len(str(v)))
        else:
            shown = flat[np.isfinite(flat) & (flat != 0)]   # zeros, nan and inf do not decide the format
            if shown.size == 0:
                return
            mags = np.abs(shown).astype(np.float64)
            lo, hi = mags.min(), mags.max()
            self.int_mode = bool(np.all(shown == np.ceil(shown)))
            if PRINT_OPTS.sci_mode is None:
                self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
            else:
                self.sci_mode = PRINT_OPTS.sci_mode
            for v in shown.tolist():
                if self.sci_mode:
                    text = f"{v:.{p}e}"
                elif self.int_mode:
                    text = f"{v:.0f}" + "."
                else:
                    text = f"{v:.{p}f}"
                self.width = max(self.width, len(text))

    def format(self, v):
        """One element (a Python number) as text, right-aligned to the column width."""
        p = PRINT_OPTS.precision
        if not self.is_float:
            text = str(v)
        elif self.sci_mode:
            text = f"{v:{self.width}.{p}e}"
        elif self.int_mode:
            text = f"{v:.0f}" + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            text = f"{v:.{p}f}"
        return " " * (self.width - len(text)) + text


def _summarized(a):
    """Only the elements that will be shown: ``edgeitems`` at each end of every long dimension."""
    e = PRINT_OPTS.edgeitems
    if a.ndim >= 2 and not e:
        return a[(slice(0, 0),) * a.ndim]
    for axis, n in enumerate(a.shape):
        if e and n > 2 * e:
            a = np.concatenate([a.take(range(e), axis), a.take(range(n - e, n), axis)], axis=axis)
    return a


# --- step 2: the nested brackets ------------------------------------------------------

def _vector(a, indent, summarize, fmt):
    e = PRINT_OPTS.edgeitems
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / (fmt.width + 2))))
    if summarize and not e:
        items = ["..."]
    elif summarize and a.shape[0] > 2 * e:
        items = ([fmt.format(v) for v in a[:e].tolist()] + [" ..."]
                 + [fmt.format(v) for v in a[a.shape[0] - e:].tolist()])
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(a, indent, summarize, fmt):
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    e = PRINT_OPTS.edgeitems
    n = a.shape[0]
    if summarize and n > 2 * e:
        rows = ([_body(a[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
                + [_body(a[i], indent + 1, summarize, fmt) for i in range(n - e, n)])
    else:
        rows = [_body(a[i], indent + 1, summarize, fmt) for i in range(n)]
    # between sub-blocks: a comma, one newline per dimension below (blank lines), the indent
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _tensor_str(a, indent, is_float):
    if a.size == 0:
        return "[]"
    summarize = a.size > PRINT_OPTS.threshold
    if a.dtype == np.float16:
        a = a.astype(np.float32)
    fmt = _Formatter(_summarized(a) if summarize else a, is_float)
    return _body(a, indent, summarize, fmt)


# --- step 3: prefix and suffixes --------------------------------------------------------

def _add_suffixes(text, suffixes, indent):
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for s in suffixes:
        if last_line + len(s) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + s)
            last_line = indent + len(s)
        else:
            parts.append(", " + s)
            last_line += len(s) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t, tensor_contents=None):
    """``repr(t)`` in PyTorch's format."""
    from . import _dtype
    from ._tensor import Tensor
    cls = type(t)
    plain = cls is Tensor or cls.__name__ == "Parameter"
    prefix = "tensor(" if plain else cls.__name__ + "("
    indent = len(prefix)
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    default = _dtype.get_default_dtype()
    if t.numel() == 0:
        if t.ndim != 1:
            suffixes.append("size=" + str(tuple(t.shape)))
        if t.dtype is not default:
            suffixes.append("dtype=" + repr(t.dtype))
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(t.shape)))
        if t.dtype not in (default, _dtype.int64, _dtype.bool):
            suffixes.append("dtype=" + repr(t.dtype))
        body = _tensor_str(t._backend.to_numpy(t._data), indent, t.dtype.is_floating_point)
    if tensor_contents is not None:
        body = tensor_contents
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
