"""TrainingMonitor (alias LossPlot): live training curves that cost almost nothing.

::

    monitor = TrainingMonitor(total=len(loader) * epochs)
    for step, (x, y) in enumerate(batches):
        ...
        monitor.log(step, loss=loss, acc=acc)      # numbers or 1-element tensors
    monitor.close()                                # a static picture + a rounded text summary

The picture is a PNG drawn by matplotlib (Agg, no pyplot) into an ``ipywidgets.Image``
that is updated in place (never ``clear_output``).  Redraws are throttled: one happens
only when the time spent drawing so far, plus what the next redraw is expected to
cost, stays within ``budget`` (3 %) of the time since the first ``log``, and at
least ``every`` seconds apart; so drawing never takes more than ~3 % of the
training time, however fast the loop (the first picture comes after a few seconds;
the numbers and the progress bar update every ``every`` seconds meanwhile).
``log()`` itself only appends to lists.  Without a front end (a script) nothing is
drawn until ``close()``/``static()`` asks for the picture.
"""
import time

from ._util import Static, fmt, figure, in_kernel, png_bytes, to_float, widget_bundle

__all__ = ["TrainingMonitor", "LossPlot"]


class TrainingMonitor:
    """Live curves of losses (train and ``val_``) and metrics (accuracy ...) by step or epoch.

    Args:
        total: expected number of steps (for the progress bar), or None.
        x: what the first argument of ``log`` counts ("step" or "epoch").
        log_scale: draw losses on a log scale.
        every: at least this many seconds between redraws.
        every_steps: and at least this many ``log`` calls between redraws (None: no limit).
        budget: the largest share of wall time redraws may take (0.03 = 3 %).
        digits: significant digits in the summary text.
        display: show the live view automatically at the first ``log`` (in Jupyter).
    """

    def __init__(self, total=None, *, x="step", log_scale=False, every=0.5, every_steps=None, budget=0.03,
                 digits=4, title=None, display=True, width=7.0, height=2.8, dpi=80):
        self.total = total
        self.x = x
        self.log_scale = log_scale
        self.every = every
        self.every_steps = every_steps
        self.budget = budget
        self.digits = digits
        self.title = title
        self.auto_display = display
        self.size = (width, height, dpi)
        self.history = {}          # metric name -> ([steps], [values])
        self.calls = 0
        self.renders = 0
        self.render_seconds = 0.0
        self.closed = False
        self._last_step = None
        self._first_step = None
        self._distinct = 0         # steps logged (consecutive calls with the same step count once)
        self._next_render_at = 0.0
        self._next_text_at = 0.0
        self._cost = None          # seconds the last redraw took
        self._calls_at_render = 0
        self._started = None
        self._ui = None
        self._shown = False
        self._png = None
        self._png_calls = -1
        self._clock = time.perf_counter   # tests may swap in a fake clock
        self._kernel = None

    # --- recording ---------------------------------------------------------------
    def log(self, step, **metrics):
        """Record ``metrics`` (numbers or 1-element tensors) at ``step``; maybe redraw."""
        if self._started is None:
            self._started = self._clock()
        self.calls += 1
        if step != self._last_step:
            self._distinct += 1
        if self._first_step is None:
            self._first_step = step
        self._last_step = step
        for name, value in metrics.items():
            if value is None:
                continue
            try:
                v = to_float(value)
            except (TypeError, ValueError):
                continue
            xs, ys = self.history.setdefault(name, ([], []))
            xs.append(step)
            ys.append(v)
        if self.closed:
            return
        if self._ui is None:
            if self._kernel is None:
                self._kernel = in_kernel()
            if not (self.auto_display and not self._shown and self._kernel):
                return
            self._show()
            if self._ui is None:
                return
        now = self._clock()
        if self._may_render(now):
            self._render_live(now)
        elif now >= self._next_text_at:          # the numbers and the progress bar are cheap
            self._ui.update(None, self._progress_text(), self.calls)
            self._next_text_at = now + self.every

    def _may_render(self, now):
        """Redraw only if, counting the redraw about to happen, drawing stays within the budget."""
        if now < self._next_render_at:
            return False
        if self.every_steps is not None and self.calls - self._calls_at_render < self.every_steps:
            return False
        cost = self._cost if self._cost is not None else TrainingMonitor._typical_cost
        return self.render_seconds + cost <= self.budget * (now - self._started)

    def _show(self):
        try:
            from IPython.display import display
            display(self)
        except Exception:
            pass

    def _render_live(self, now):
        try:
            self._ui.update(self._render(), self._progress_text(), self.calls)
        except Exception:
            return
        end = self._clock()
        self._cost = end - now
        self.renders += 1
        self.render_seconds += self._cost
        self._calls_at_render = self.calls
        self._next_render_at = end + self.every
        self._next_text_at = end + self.every

    # --- pictures and text -------------------------------------------------------------
    def _render(self):
        """The curves as PNG bytes (cached until the next ``log``).

        The figure and its lines are made once and then only get new data (no re-layout),
        which keeps a redraw cheap; very long histories are thinned to ~2000 points.
        """
        if self._png is not None and self._png_calls == self.calls:
            return self._png
        t0 = time.perf_counter()
        names = tuple(self.history)
        if getattr(self, "_fig_names", None) != names:
            self._build_figure(names)
        for name, line in self._lines.items():
            xs, ys = self.history[name]
            stride = max(1, len(xs) // 2000)
            line.set_data(xs[::stride] + xs[-1:], ys[::stride] + ys[-1:])
        for ax in self._axes:
            ax.relim()
            ax.autoscale_view()
        self._png = png_bytes(self._fig)
        self._png_calls = self.calls
        TrainingMonitor._typical_cost = max(0.005, time.perf_counter() - t0)
        return self._png

    def _build_figure(self, names):
        w, h, dpi = self.size
        fig = figure(w, h, dpi)
        losses = [n for n in names if "loss" in n]
        others = [n for n in names if "loss" not in n]
        panels = [p for p in (losses, others) if p] or [[]]
        self._axes, self._lines = [], {}
        for i, panel in enumerate(panels):
            ax = fig.add_subplot(1, len(panels), i + 1)
            for name in panel:
                val = name.startswith("val_") or name.startswith("test_")
                (self._lines[name],) = ax.plot([], [], "o--" if val else "-", markersize=3, linewidth=1.3,
                                               label=name)
            if panel:
                ax.legend(loc="best", fontsize=8)
            if panel is losses and self.log_scale and losses:
                ax.set_yscale("log")
            ax.set_xlabel(self.x, fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            self._axes.append(ax)
        if self.title:
            fig.suptitle(self.title, fontsize=10)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88 if self.title else 0.95, wspace=0.22)
        self._fig, self._fig_names = fig, names

    def _progress_text(self):
        parts = [f"{self.x} {self._last_step}" + (f"/{self.total}" if self.total else "")]
        for name, (xs, ys) in self.history.items():
            parts.append(f"{name} {fmt(ys[-1], self.digits)}")
        if self._started is not None:
            elapsed = self._clock() - self._started
            if elapsed > 0:
                parts.append(f"{self.calls / elapsed:.1f} {self.x}s/s")
        return " | ".join(parts)

    def summary(self):
        """A rounded, deterministic text summary of everything logged."""
        if not self.calls:
            return "TrainingMonitor: nothing logged yet"
        lines = [f"TrainingMonitor: {self._distinct} {self.x}s logged "
                 f"({self.x} {self._first_step} to {self._last_step})"]
        for name, (xs, ys) in self.history.items():
            lower = "loss" in name or "err" in name
            best = min(range(len(ys)), key=lambda i: ys[i]) if lower else max(range(len(ys)), key=lambda i: ys[i])
            d = self.digits
            lines.append(f"  {name}: first {fmt(ys[0], d)}, last {fmt(ys[-1], d)}, "
                         f"{'min' if lower else 'max'} {fmt(ys[best], d)} at {self.x} {xs[best]}")
        return "\n".join(lines)

    def static(self):
        """The final picture and the summary as a display object (shows on GitHub/nbviewer)."""
        return Static(self.summary(), png=self._render() if self.calls else None)

    def close(self):
        """End: freeze the live view and show the static picture plus the text summary."""
        if self.closed:
            return
        self.closed = True
        if self._ui is not None:
            try:
                self._ui.update(self._render(), self._progress_text(), self.calls)
                self._ui.box.layout.display = "none"   # the static output below takes its place
            except Exception:
                pass
        if in_kernel() and self.calls:
            try:
                from IPython.display import display
                names = ", ".join(self.history)
                display(Static(f"TrainingMonitor: final curves ({names})", png=self._render()))
            except Exception:
                pass
        print(self.summary())   # a stream output: visible under the picture, compared by nbval

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- display ---------------------------------------------------------------------------
    @property
    def widget(self):
        """The live view (ipywidgets): the PNG, a progress bar and the latest numbers."""
        if self._ui is None:
            try:
                self._ui = _MonitorUI(self)
            except ImportError:
                return None
        return self._ui.box

    def _repr_mimebundle_(self, include=None, exclude=None):
        self._shown = True
        if in_kernel() and not self.closed:
            return widget_bundle(self.widget, self.__repr__())
        return self.static()._repr_mimebundle_()

    def __repr__(self):
        if self.closed:
            return self.summary()
        return f"TrainingMonitor({self.x}s: live view)"


TrainingMonitor._typical_cost = 0.25  # a first redraw (the kernel's first matplotlib figure) costs ~0.2 s

LossPlot = TrainingMonitor


class _MonitorUI:
    def __init__(self, monitor):
        import ipywidgets as W

        self.image = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.progress = W.IntProgress(value=0, min=0, max=max(1, monitor.total or 1),
                                      layout=W.Layout(width="100%", display="flex" if monitor.total else "none"))
        self.text = W.HTML()
        self.box = W.VBox([self.progress, self.text, self.image])
        self.box.add_class("learntorch-monitor")
        self.total = monitor.total

    def update(self, png, text, calls):
        if png is not None:
            self.image.value = png
        if self.total:
            self.progress.value = min(calls, self.total)
        self.text.value = f"<span style='font-family:monospace;font-size:12px'>{text}</span>"
