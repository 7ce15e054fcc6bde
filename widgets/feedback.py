"""Exercise feedback (练习反馈): check an answer locally, say what exactly is wrong, hint on request.

An exercise is one ``Exercise`` spec (in ``widgets/exercises/<chapter>.py``)::

    Exercise(
        id="02.broadcast-shape",
        prompt="Make a (3, 1) tensor and a (4,) tensor whose sum has shape (3, 4).",
        reference=(3, 4),
        check=lambda answer, ref: same(tuple(answer), ref),
        mistakes=[Mistake(answer=(4, 3), feedback="Sizes line up from the right ...")],
        hints=["Broadcasting compares shapes from the last dim.", "..."],
        solution="a = torch.zeros(3, 1)\\nb = torch.zeros(4)\\n(a + b).shape",
    )

and the notebook cell says ``check("02.broadcast-shape", my_answer)``.  ``check``
never raises: it returns a ``Feedback`` that shows a pass/fail badge, a specific
message, and buttons for the next hint and for the solution.  Without a front
end its ``text/plain`` is one deterministic line (``✔ correct: ...``,
``✘ not yet: ...``, ``○ not attempted yet: ...``).
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ._util import clean_message, escape, fmt, in_kernel, shape_text, to_numpy, widget_bundle

__all__ = ["Exercise", "Mistake", "Feedback", "check", "same", "same_function", "BLANK"]

BLANK = (Ellipsis, None)   # what an untouched answer cell holds: ``answer = ...``
_NOTHING = object()

MARKS = {"pass": "\u2714 correct", "fail": "\u2718 not yet", "blank": "\u25cb not attempted yet",
         "error": "\u2718 could not check"}
COLORS = {"pass": "#2b8a3e", "fail": "#c92a2a", "blank": "#868e96", "error": "#e8590c"}


# --- comparing answers ----------------------------------------------------------------------------
def _is_tensor(x):
    return hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, (np.ndarray, np.generic))


def _kind(x):
    if _is_tensor(x):
        return "a tensor"
    if isinstance(x, np.ndarray):
        return "a NumPy array"
    if isinstance(x, bool):
        return "a bool"
    if isinstance(x, (int, float, np.number)):
        return "a number"
    return f"a {type(x).__name__}"


def same(answer, expected, rtol=1e-5, atol=1e-6, check_dtype=True):
    """``(ok, message)``: is ``answer`` the same as ``expected``?  Says what differs.

    Tensors (learntorch or torch) and arrays: shape, then dtype, then values (close
    within ``rtol``/``atol``).  Numbers: close.  Anything else: ``==``.
    """
    if _is_tensor(expected) or isinstance(expected, np.ndarray):
        if _is_tensor(expected) and not _is_tensor(answer):
            return False, f"expected a tensor, got {_kind(answer)}"
        if not hasattr(answer, "shape"):
            return False, f"expected an array, got {_kind(answer)}"
        if tuple(answer.shape) != tuple(expected.shape):
            return False, f"the shape is {shape_text(answer.shape)} but should be {shape_text(expected.shape)}"
        if check_dtype and str(answer.dtype) != str(expected.dtype):
            return False, f"the dtype is {answer.dtype} but should be {expected.dtype}"
        a, e = to_numpy(answer), to_numpy(expected)
        if a.dtype == bool or e.dtype == bool or np.issubdtype(e.dtype, np.integer):
            bad = a != e
        else:
            a64, e64 = a.astype(np.float64), e.astype(np.float64)
            bad = ~np.isclose(a64, e64, rtol=rtol, atol=atol, equal_nan=True)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            n = int(bad.sum())
            pos = where if len(where) != 1 else where[0]
            got, want = a[where] if a.ndim else a, e[where] if e.ndim else e
            return False, (f"{n} of {bad.size} values differ (first at index {pos}: "
                           f"{fmt(got)} instead of {fmt(want)})")
        return True, "the values match"
    if isinstance(expected, bool) or isinstance(answer, bool):
        if answer is expected or (isinstance(answer, (bool, np.bool_)) and bool(answer) == expected):
            return True, "right"
        return False, f"expected {expected}, got {answer!r}"[:200]
    if isinstance(expected, (int, float, np.number)):
        if isinstance(answer, (str, bytes)):
            return False, f"expected a number, got {_kind(answer)}"
        try:
            value = float(answer.item() if hasattr(answer, "item") else answer)
        except (TypeError, ValueError, RuntimeError):
            return False, f"expected a number, got {_kind(answer)}"
        if np.isclose(value, float(expected), rtol=rtol, atol=atol):
            return True, "the number matches"
        return False, f"got {fmt(value)}, expected {fmt(expected)}"
    if isinstance(expected, (tuple, list)) and not isinstance(answer, str):
        try:
            items = list(answer)
        except TypeError:
            return False, f"expected {_kind(expected)} of {len(expected)} items, got {_kind(answer)}"
        if len(items) != len(expected):
            return False, f"expected {len(expected)} items, got {len(items)}"
        for i, (x, y) in enumerate(zip(items, expected)):
            ok, msg = same(x, y, rtol, atol, check_dtype)
            if not ok:
                return False, f"item {i}: {msg}"
        return True, "all items match"
    try:
        ok = bool(answer == expected)
    except Exception:
        ok = False
    return (True, "right") if ok else (False, f"expected {expected!r}, got {answer!r}"[:200])


def same_function(fn, reference, inputs, **tolerances):
    """``(ok, message)``: does ``fn(*args)`` equal ``reference(*args)`` for every ``args`` in ``inputs``?"""
    if not callable(fn):
        return False, f"expected a function, got {_kind(fn)}"
    for args in inputs:
        args = args if isinstance(args, tuple) else (args,)
        want = reference(*args)
        try:
            got = fn(*args)
        except Exception as e:  # the learner's code failed: say how
            return False, f"calling it raised {type(e).__name__}: {clean_message(e)}"
        ok, msg = same(got, want, **tolerances)
        if not ok:
            return False, f"for input {_describe(args)}: {msg}"
    return True, "right on every test input"


def _describe(args):
    parts = []
    for a in args:
        if _is_tensor(a):
            parts.append(f"a tensor of shape {shape_text(a.shape)}")
        else:
            parts.append(repr(a)[:40])
    return ", ".join(parts)


# --- specs -----------------------------------------------------------------------------------------
@dataclass
class Mistake:
    """A known wrong answer and what to say about it.

    ``answer`` is an example of the mistake (the self-test feeds it to the check);
    ``match(answer) -> bool`` recognises it (default: ``same(answer, self.answer)``).
    """

    feedback: str
    answer: Any = _NOTHING
    match: Optional[Callable] = None

    def matches(self, answer):
        if self.match is not None:
            return bool(self.match(answer))
        if self.answer is _NOTHING:
            return False
        return same(answer, self.answer)[0]


@dataclass
class Exercise:
    """One exercise: its id, prompt, reference answer, check, known mistakes, hints and solution."""

    id: str
    prompt: str
    reference: Any
    check: Optional[Callable] = None            # check(answer, reference) -> (ok, message)
    mistakes: Sequence[Mistake] = ()
    hints: Sequence[str] = ()
    solution: str = ""
    title: str = ""
    blank: tuple = BLANK
    hints_shown: int = field(default=0, compare=False, repr=False)
    solution_shown: bool = field(default=False, compare=False, repr=False)

    def evaluate(self, answer):
        """The ``Feedback`` for ``answer`` (never raises)."""
        if any(answer is b for b in self.blank):
            return Feedback(self, "blank", "replace the ... with your answer, then run the cell again")
        try:
            ok, message = (self.check or same)(answer, self.reference)
        except Exception as e:
            message = f"{type(e).__name__}: {clean_message(e)}"
            mistake = self._mistake(answer)
            if mistake is not None:
                return Feedback(self, "fail", mistake.feedback)
            return Feedback(self, "error", f"checking your answer raised {message}")
        if ok:
            return Feedback(self, "pass", message or "well done")
        mistake = self._mistake(answer)
        if mistake is not None:
            return Feedback(self, "fail", mistake.feedback)
        return Feedback(self, "fail", message or "not the expected answer")

    def _mistake(self, answer):
        for m in self.mistakes:
            try:
                if m.matches(answer):
                    return m
            except Exception:
                continue
        return None

    def self_test(self):
        """Problems with this spec (empty list = fine): the reference must pass, each mistake fail with its feedback."""
        problems = []
        fb = self.evaluate(self.reference)
        if fb.status != "pass":
            problems.append(f"{self.id}: the reference does not pass ({fb.text()})")
        for i, m in enumerate(self.mistakes):
            if m.answer is _NOTHING:
                continue
            fb = self.evaluate(m.answer)
            if fb.status == "pass":
                problems.append(f"{self.id}: mistake {i} is accepted as correct")
            elif fb.message != m.feedback:
                problems.append(f"{self.id}: mistake {i} gets {fb.message!r} instead of its own feedback")
        if self.evaluate(...).status != "blank":
            problems.append(f"{self.id}: ... is not reported as not attempted")
        return problems


class Feedback:
    """The result of a check: a badge, a specific message, and the hints and solution on request."""

    def __init__(self, exercise, status, message):
        self.exercise = exercise
        self.status = status
        self.message = str(message)
        self._ui = None

    @property
    def passed(self):
        return self.status == "pass"

    def __bool__(self):
        return self.passed

    def text(self):
        ident = f" [{self.exercise.id}]" if self.exercise is not None else ""
        return f"{MARKS[self.status]}: {self.message}{ident}"

    def __repr__(self):
        return self.text()

    # --- hints and solution ---
    def hint(self):
        """The next hint (they build on each other); after the last one, points to the solution."""
        ex = self.exercise
        if ex is None or not ex.hints:
            return "no hints for this exercise"
        if ex.hints_shown >= len(ex.hints):
            return f"no more hints ({len(ex.hints)} shown); show_solution() gives the solution"
        ex.hints_shown += 1
        if self._ui is not None:
            self._ui.refresh()
        return f"hint {ex.hints_shown}/{len(ex.hints)}: {ex.hints[ex.hints_shown - 1]}"

    def show_solution(self):
        """The solution (try the hints first!)."""
        ex = self.exercise
        if ex is None:
            return ""
        ex.solution_shown = True
        if self._ui is not None:
            self._ui.refresh()
        return ex.solution or "no solution text for this exercise"

    # --- display ---
    def html(self):
        """A static badge + message (what GitHub and nbviewer show)."""
        color = COLORS[self.status]
        return (f"<div style='font-family:sans-serif;font-size:14px;margin:4px 0'>"
                f"<span style='background:{color};color:#fff;border-radius:4px;padding:2px 8px;"
                f"font-weight:bold'>{escape(MARKS[self.status])}</span> {escape(self.message)}</div>")

    @property
    def widget(self):
        if self._ui is None:
            try:
                self._ui = _FeedbackUI(self)
            except ImportError:
                return None
        return self._ui.box

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = widget_bundle(self.widget, self.text()) if in_kernel() else {"text/plain": self.text()}
        data["text/html"] = self.html()
        return data


def check(exercise, *answer):
    """Check ``answer`` for ``exercise`` (an ``Exercise`` or its id); returns a ``Feedback``. Never raises."""
    try:
        if isinstance(exercise, str):
            from .exercises import get
            ex = get(exercise)
            if ex is None:
                return Feedback(None, "error", f"there is no exercise {exercise!r}")
        else:
            ex = exercise
        value = answer[0] if len(answer) == 1 else (answer if answer else ...)
        return ex.evaluate(value)
    except Exception as e:  # a broken spec must not break the learner's notebook
        return Feedback(None, "error", f"the checker failed: {type(e).__name__}: {clean_message(e)}")


class _FeedbackUI:
    def __init__(self, fb):
        import ipywidgets as W

        self.fb = fb
        ex = fb.exercise
        self.badge = W.HTML(fb.html())
        self.hint_button = W.Button(description="Hint", icon="lightbulb-o", tooltip="show the next hint")
        self.solution_button = W.Button(description="Solution", icon="eye", tooltip="show the solution")
        self.hints = W.HTML()
        self.solution = W.HTML()
        buttons = []
        if ex is not None and ex.hints and fb.status != "pass":
            buttons.append(self.hint_button)
        if ex is not None and ex.solution:
            buttons.append(self.solution_button)
        self.box = W.VBox([self.badge, W.HBox(buttons), self.hints, self.solution])
        self.box.add_class("learntorch-feedback")
        self.hint_button.on_click(lambda _: fb.hint())
        self.solution_button.on_click(lambda _: fb.show_solution())
        self.refresh()

    def refresh(self):
        ex = self.fb.exercise
        if ex is None:
            return
        shown = ex.hints[:ex.hints_shown]
        self.hints.value = "".join(
            f"<div style='margin:2px 0'><b>hint {i + 1}/{len(ex.hints)}:</b> {escape(h)}</div>"
            for i, h in enumerate(shown))
        left = len(ex.hints) - ex.hints_shown
        self.hint_button.description = f"Hint ({left} left)" if left else "No more hints"
        self.hint_button.disabled = left == 0
        if ex.solution_shown:
            self.solution.value = ("<pre style='background:#f8f9fa;padding:6px;border-radius:4px'>"
                                   f"{escape(ex.solution)}</pre>")
