"""The exercise checks of widgets/exercises/ch01..ch05: every reference passes, every known mistake
gets its own targeted feedback, untouched answers are "not attempted yet", and nothing raises.

Also: every exercise used by a notebook exists, and the solution each spec shows on request agrees
with the solution code in the notebook source (so the two cannot drift apart).
"""
import importlib
import re
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_notebooks  # noqa: E402
from widgets.feedback import Mistake  # noqa: E402

CHAPTERS = ["ch01", "ch02", "ch03", "ch04", "ch05"]
MODULES = {name: importlib.import_module(f"widgets.exercises.{name}") for name in CHAPTERS}
ALL = [(name, ex) for name, mod in MODULES.items() for ex in mod.EXERCISES]
SLOW = {"5.7"}   # its reference trains an MNIST model


def _params(items, ids):
    return [pytest.param(*item, id=i, marks=[pytest.mark.slow] if i.split("-")[0] in SLOW else [])
            for item, i in zip(items, ids)]


EXERCISE_PARAMS = _params([(name, ex) for name, ex in ALL], [ex.id for _, ex in ALL])
_NO_EXAMPLE = Mistake("").answer          # a mistake recognised by a rule only, without an example answer
MISTAKES = [(name, ex, k) for name, ex in ALL for k, m in enumerate(ex.mistakes) if m.answer is not _NO_EXAMPLE]
MISTAKE_PARAMS = _params(MISTAKES, [f"{ex.id}-mistake{k}" for _, ex, k in MISTAKES])


@pytest.mark.parametrize("name", CHAPTERS)
def test_each_chapter_has_at_least_six_exercises(name):
    exercises = MODULES[name].EXERCISES
    assert len(exercises) >= 6
    assert len({ex.id for ex in exercises}) == len(exercises)
    assert all(ex.id.startswith(name[-1] + ".") for ex in exercises)


@pytest.mark.parametrize("name, ex", EXERCISE_PARAMS)
def test_reference_passes(name, ex):
    fb = MODULES[name].check(ex.id, *_as_args(ex.reference, ex.id))
    assert fb.status == "pass", fb.text()
    assert fb.text().startswith("\u2714 correct")


@pytest.mark.parametrize("name, ex, k", MISTAKE_PARAMS)
def test_mistake_gets_its_own_feedback(name, ex, k):
    mistake = ex.mistakes[k]
    fb = MODULES[name].check(ex.id, *_as_args(mistake.answer, ex.id))
    assert fb.status == "fail", fb.text()
    assert fb.message == mistake.feedback


@pytest.mark.parametrize("name, ex", EXERCISE_PARAMS)
def test_untouched_answer_is_not_attempted(name, ex):
    fb = MODULES[name].check(ex.id, ...)
    assert fb.status == "blank"
    assert fb.text().startswith("\u25cb not attempted yet")
    assert MODULES[name].check(ex.id, None).status == "blank"


def test_every_exercise_has_hints_and_a_solution():
    for _, ex in ALL:
        assert ex.hints and all(h.strip() for h in ex.hints), ex.id
        assert ex.solution.strip(), ex.id
        assert ex.title and ex.prompt, ex.id


# --- what the student notebooks hold before the learner writes anything -------------------------
def _empty(*args):
    ...


def _pass_body(*args):
    """A docstring does not count as an answer."""
    pass


@pytest.mark.parametrize("exercise_id", ["1.7", "2.3", "3.5", "4.5", "4.6", "5.3", "5.4", "5.5", "5.6"])
def test_empty_function_is_not_attempted(exercise_id):
    module = MODULES["ch0" + exercise_id[0]]
    assert module.check(exercise_id, _empty).status == "blank"
    assert module.check(exercise_id, _pass_body).status == "blank"


def test_function_class_with_empty_backward_is_not_attempted():
    import learntorch as torch

    class Softplus(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.log(1 + torch.exp(x))

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            ...  # your code here

    class MulAdd(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y + y

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            ...  # your code here

    assert MODULES["ch03"].check("3.6", Softplus).status == "blank"
    assert MODULES["ch03"].check("3.7", MulAdd).status == "blank"


def test_vector_backward_not_called_is_not_attempted():
    import learntorch as torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert MODULES["ch03"].check("3.4", x).status == "blank"


def test_context_arguments_with_blank_answer_are_not_attempted():
    import learntorch as torch
    assert MODULES["ch01"].check("1.5", ..., torch.zeros(4, 5, 3)).status == "blank"
    assert MODULES["ch02"].check("2.4", ..., torch.zeros(3, 3)).status == "blank"


# --- robustness --------------------------------------------------------------------------------------
def _raises(*args):
    raise ValueError("boom")


WEIRD = [object(), "nonsense", 42, -1.5, [], {}, (1, 2, 3), _raises, lambda *a: 7]


@pytest.mark.parametrize("name, ex", [p for p in EXERCISE_PARAMS if p.id not in SLOW])
def test_check_never_raises_and_rejects_nonsense(name, ex):
    for answer in WEIRD:
        fb = MODULES[name].check(ex.id, *_as_args(answer, ex.id, weird=True))
        assert fb.status in ("fail", "error"), (repr(answer), fb.text())
        assert not re.search(r"0x[0-9a-f]{6,}", fb.text()), fb.text()


def test_unknown_exercise_id_does_not_raise():
    fb = MODULES["ch01"].check("9.9", 1)
    assert fb.status == "error"


def test_hint_and_solution_helpers(capsys):
    mod = MODULES["ch02"]
    ex = mod.EX_2_1
    ex.hints_shown = 0
    mod.hint("2.1")
    mod.hint("2.1")
    mod.hint("2.1")
    mod.solution("2.1")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"hint 1/2: {ex.hints[0]}"
    assert out[1] == f"hint 2/2: {ex.hints[1]}"
    assert out[2].startswith("no more hints")
    assert "result_shape = (8, 7, 6, 5)" in "\n".join(out[3:])
    ex.hints_shown = 0


# --- notebooks and specs agree -----------------------------------------------------------------------
def _exercise_cells():
    """(exercise id, solution block) for every check cell in the notebook sources of chapters 1-5."""
    found = []
    for src in sorted((ROOT / "notebooks" / "src").glob("0[1-5]_*.py")):
        for cell in build_notebooks.parse_source(src.read_text(encoding="utf-8")):
            text = "\n".join(cell.lines)
            m = re.search(r'^check\("(\d\.\d)"', text, re.M)
            if cell.kind == "code" and m:
                blocks = re.findall(r"# BEGIN SOLUTION[^\n]*\n(.*?)\n\s*# END SOLUTION", text, re.S)
                found.append((m.group(1), "\n".join(textwrap.dedent(b) for b in blocks)))
    return found


def _code_lines(text):
    lines = []
    for line in text.splitlines():
        line = line.split("  #")[0].split("# ")[0].strip() if not line.strip().startswith("#") else ""
        if line:
            lines.append(line)
    return lines


def test_every_notebook_exercise_exists_and_every_exercise_is_used():
    cells = _exercise_cells()
    used = [i for i, _ in cells]
    assert len(used) == len(set(used)), "an exercise is checked twice"
    assert set(used) == {ex.id for _, ex in ALL}


@pytest.mark.parametrize("exercise_id, block", _exercise_cells(), ids=[i for i, _ in _exercise_cells()])
def test_spec_solution_matches_the_notebook_solution(exercise_id, block):
    ex = next(ex for _, ex in ALL if ex.id == exercise_id)
    assert block, f"{exercise_id}: no BEGIN/END SOLUTION block in its cell"
    shown = _code_lines(ex.solution)
    for line in _code_lines(block):
        assert line in shown, f"{exercise_id}: solution() does not show {line!r}"


# --- helpers --------------------------------------------------------------------------------------
def _context(exercise_id):
    """The extra arguments a notebook cell passes after the answer, for exercises that take several."""
    import learntorch as torch
    return {"1.4": lambda: (torch.zeros(2, 2),), "1.5": lambda: (torch.zeros(4, 5, 3),),
            "2.4": lambda: (torch.zeros(3, 3),), "5.7": lambda: (lambda img: img,)}.get(exercise_id)


def _as_args(answer, exercise_id, weird=False):
    """The positional arguments a notebook cell passes to check() for this answer."""
    context = _context(exercise_id)
    if context is None:
        return (answer,)
    if weird:
        return (answer,) + context()
    return tuple(answer)          # references and mistakes of these exercises hold all the arguments
