"""Chapter 1 exercises: tensors (张量).

One ``Exercise`` spec per exercise (prompt, reference, check, known mistakes with
their targeted feedback, progressive hints, solution).  The notebook cells call
``check("1.1", answer)``; ``tests/test_exercises.py`` proves that every reference
passes and every listed mistake gets its own feedback.

This module also holds the three notebook helpers every chapter module exports
(``check``, ``hint``, ``solution``, made by ``notebook_helpers``), so that an
untouched exercise cell -- whether it holds ``answer = ...`` or a function with an
empty body -- always reports "not attempted yet".
"""
import dis
import warnings

import learntorch as torch

from .._util import clean_message
from ..feedback import BLANK, Exercise, Mistake, check as _check, same

__all__ = ["EXERCISES", "check", "hint", "solution", "notebook_helpers", "is_blank", "shown"]


# --- helpers shared by the chapter modules ------------------------------------------------------
def _empty_body(fn):
    """True for a function whose body does nothing (``...``, ``pass``): an untouched placeholder."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    ops = [(i.opname, i.argval) for i in dis.get_instructions(code)
           if i.opname not in ("RESUME", "NOP", "CACHE")]
    return ops in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def is_blank(answer):
    """An untouched answer: ``...``/``None``, or a function (or Function class) whose body is empty."""
    if any(answer is b for b in BLANK):
        return True
    if isinstance(answer, type):
        fns = [getattr(answer, name, None) for name in ("forward", "backward")]
        return any(_empty_body(f) for f in fns if f is not None)
    return callable(answer) and _empty_body(answer)


def notebook_helpers(exercises, blank_tests=None):
    """``check(id, *answer)``, ``hint(id)``, ``solution(id)`` for one chapter's exercises.

    ``blank_tests`` maps an exercise id to an extra test for "not attempted" (e.g. a
    ``backward`` that still returns nothing).
    """
    by_id = {ex.id: ex for ex in exercises}
    blank_tests = blank_tests or {}

    def _get(exercise_id):
        return by_id.get(exercise_id, exercise_id)

    def check(exercise_id, *answer):
        ex = _get(exercise_id)
        first = answer[0] if answer else ...
        try:
            untouched = (is_blank(first) or bool(blank_tests.get(exercise_id, lambda a: False)(first))
                         or (isinstance(first, tuple) and first and all(is_blank(a) for a in first)))
        except Exception:
            untouched = False
        if untouched:
            return _check(ex, ...)
        with warnings.catch_warnings():   # checking runs the learner's code several times: stay quiet
            warnings.simplefilter("ignore")
            return _check(ex, *answer)

    def hint(exercise_id):
        """Print the next hint of an exercise (they build on each other)."""
        ex = _get(exercise_id)
        if not isinstance(ex, Exercise):
            print(f"there is no exercise {exercise_id!r}")
            return
        if ex.hints_shown >= len(ex.hints):
            print(f"no more hints ({len(ex.hints)} shown); solution({exercise_id!r}) shows the solution")
            return
        ex.hints_shown += 1
        print(f"hint {ex.hints_shown}/{len(ex.hints)}: {ex.hints[ex.hints_shown - 1]}")

    def solution(exercise_id):
        """Print the solution of an exercise (try the hints first!)."""
        ex = _get(exercise_id)
        if not isinstance(ex, Exercise):
            print(f"there is no exercise {exercise_id!r}")
            return
        ex.solution_shown = True
        print(ex.solution)

    return check, hint, solution


def shown(answer, limit=60):
    """A learner's answer as short text for a message: no memory addresses, at most ``limit`` characters."""
    text = clean_message(repr(answer))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def shape_of(answer):
    """A tuple of ints from a tuple/list/torch.Size, or None."""
    try:
        items = tuple(answer)
    except TypeError:
        return None
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in items):
        return None
    return items


def tuple_check(noun):
    """A check for an answer that is a tuple of ints (a shape, a stride ...)."""
    def check(answer, reference):
        items = shape_of(answer)
        if items is None:
            return False, f"give a tuple of ints such as {tuple(reference)}, not {shown(answer)}"
        if items == tuple(reference):
            return True, f"the {noun} is {tuple(reference)}"
        return False, f"{items} is not the right {noun}"
    return check


check_shape = tuple_check("shape")


# --- 1.1 ------------------------------------------------------------------------------------------
def _check_dtype(answer, reference):
    if isinstance(answer, str):
        return False, "give the dtype object itself (e.g. torch.float16), not a string"
    if answer == reference:
        return True, "Python integers become int64 (torch.long), PyTorch's default integer type"
    return False, f"{shown(answer)} is not the dtype of torch.tensor([1, 2, 3])"


EX_1_1 = Exercise(
    id="1.1",
    title="The dtype of torch.tensor([1, 2, 3])",
    prompt="What is the dtype of torch.tensor([1, 2, 3])?",
    reference=torch.int64,
    check=_check_dtype,
    mistakes=[
        Mistake("int32 is what torch.IntTensor gives; torch.tensor turns Python ints into the default "
                "integer dtype, which is 64-bit", answer=torch.int32),
        Mistake("only Python floats become float32; the list holds ints", answer=torch.float32),
        Mistake("give the dtype object itself (torch.something), not a string", answer="int64",
                match=lambda a: isinstance(a, str)),
    ],
    hints=["torch.tensor infers the dtype from the Python values: are 1, 2, 3 ints or floats?",
           "PyTorch's default integer dtype is 64 bits wide; its other name is torch.long."],
    solution="answer_dtype = torch.int64   # also called torch.long",
)

# --- 1.2 ------------------------------------------------------------------------------------------
EX_1_2 = Exercise(
    id="1.2",
    title="Shape after permute",
    prompt="Shape of torch.zeros(2, 3, 4).permute(2, 0, 1)?",
    reference=(4, 2, 3),
    check=check_shape,
    mistakes=[
        Mistake("that is the inverse permutation: permute(2, 0, 1) puts old dim 2 first, then old dim 0, "
                "then old dim 1", answer=(3, 4, 2)),
        Mistake("permute reorders the dimensions; the shape does change", answer=(2, 3, 4)),
        Mistake("that reverses all dimensions, which is permute(2, 1, 0)", answer=(4, 3, 2)),
    ],
    hints=["The i-th number given to permute says which OLD dimension becomes NEW dimension i.",
           "Old shape (2, 3, 4): new dim 0 = old dim 2 (size 4), new dim 1 = old dim 0 (size 2), ..."],
    solution="permuted_shape = (4, 2, 3)   # (old[2], old[0], old[1])",
)

# --- 1.3 ------------------------------------------------------------------------------------------
def _check_letter(correct, why):
    def check(answer, reference):
        if not isinstance(answer, str) or answer.strip().lower() not in ("a", "b", "c"):
            return False, f"answer with one of the letters 'a', 'b', 'c', not {shown(answer)}"
        return (True, why) if answer.strip().lower() == correct else (False, "not that one")
    return check


EX_1_3 = Exercise(
    id="1.3",
    title="Which call shares memory?",
    prompt="Which of torch.tensor(t) (a), torch.Tensor(t) (b), t.clone() (c) shares memory with t?",
    reference="b",
    check=_check_letter("b", "torch.Tensor(t) returns a tensor on t's memory when the dtype is already "
                             "the default float dtype; document 002's table says the opposite"),
    mistakes=[
        Mistake("torch.tensor(t) always copies (and warns that t.detach().clone() says so more clearly); "
                "document 002's table gets this backwards", answer="a",
                match=lambda a: isinstance(a, str) and a.strip().lower() == "a"),
        Mistake("clone() makes a copy by definition", answer="c",
                match=lambda a: isinstance(a, str) and a.strip().lower() == "c"),
    ],
    hints=["Run the cells of section 4 again and watch what happens to t when the new tensor changes.",
           "Of the three, only the legacy class constructor can hand back the same memory."],
    solution='shares_memory = "b"   # torch.Tensor(t); torch.tensor(t) and t.clone() copy',
)

# --- 1.4 ------------------------------------------------------------------------------------------
_P = torch.tensor([[1., 2.], [3., 4.]])
_Q = torch.tensor([[5., 6.], [7., 8.]])


def _check_products(answer, reference):
    if not isinstance(answer, tuple) or len(answer) != 2:
        return False, "pass the pair (hadamard, matrix_product)"
    ok, msg = same(answer[0], reference[0])
    if not ok:
        return False, f"hadamard: {msg}"
    ok, msg = same(answer[1], reference[1])
    if not ok:
        return False, f"matrix_product: {msg}"
    return True, "p * q multiplies element by element; p @ q multiplies rows by columns"


EX_1_4 = Exercise(
    id="1.4",
    title="Hadamard product vs matrix product",
    prompt="Compute p * q and p @ q.",
    reference=(_P * _Q, _P @ _Q),
    check=_check_products,
    mistakes=[
        Mistake("the two are swapped: * (torch.mul) is the Hadamard product, @ (torch.matmul) the matrix product",
                answer=(_P @ _Q, _P * _Q)),
        Mistake("the matrix product depends on the order: q @ p is not p @ q", answer=(_P * _Q, _Q @ _P)),
        Mistake("both are the element-wise product; the matrix product is p @ q", answer=(_P * _Q, _P * _Q)),
    ],
    hints=["One operator multiplies matching elements; the other sums row-times-column products.",
           "hadamard[0, 0] should be 1*5 = 5; matrix_product[0, 0] should be 1*5 + 2*7 = 19."],
    solution="hadamard = p * q          # or torch.mul(p, q)\nmatrix_product = p @ q    # or torch.matmul(p, q)",
)

# --- 1.5 ------------------------------------------------------------------------------------------
_PHOTO = torch.arange(60.0).reshape(4, 5, 3) / 60   # any photo works; this one needs no random numbers


def _batch_check(answer, reference):
    batch, photo = answer
    want = photo.permute(2, 0, 1).unsqueeze(0)
    ok, msg = same(batch, want)
    return (True, "permute(2, 0, 1) moves the channels first; unsqueeze(0) adds the batch dimension") if ok \
        else (False, msg)


def _looks_like(fn):
    def match(answer):
        batch, photo = answer
        return same(batch, fn(photo))[0]
    return match


EX_1_5 = Exercise(
    id="1.5",
    title="From H x W x C to N x C x H x W",
    prompt="Turn photo (4, 5, 3) into photo_batch (1, 3, 4, 5).",
    reference=(_PHOTO.permute(2, 0, 1).unsqueeze(0), _PHOTO),
    check=_batch_check,
    mistakes=[
        Mistake("the shape is right but the pixels are scrambled: reshape keeps the memory order, it does "
                "not move the channel axis. Use permute", answer=(_PHOTO.reshape(1, 3, 4, 5), _PHOTO),
                match=_looks_like(lambda p: p.reshape(1, 3, 4, 5))),
        Mistake("height and width are swapped: the channels must come first, then H, then W",
                answer=(_PHOTO.permute(2, 1, 0).unsqueeze(0), _PHOTO),
                match=_looks_like(lambda p: p.permute(2, 1, 0).unsqueeze(0))),
        Mistake("the channels are first now, but the batch dimension is missing: add it with unsqueeze(0)",
                answer=(_PHOTO.permute(2, 0, 1), _PHOTO), match=_looks_like(lambda p: p.permute(2, 0, 1))),
        Mistake("the new dimension is in the wrong place: the batch dimension comes first (unsqueeze(0))",
                answer=(_PHOTO.permute(2, 0, 1).unsqueeze(1), _PHOTO),
                match=_looks_like(lambda p: p.permute(2, 0, 1).unsqueeze(1))),
        Mistake("there is a batch dimension, but the layout is still N x H x W x C: move the channels with permute",
                answer=(_PHOTO.unsqueeze(0), _PHOTO), match=_looks_like(lambda p: p.unsqueeze(0))),
    ],
    hints=["Two steps: reorder the axes (which method keeps each pixel's values together?), then add a "
           "dimension of size 1 in front.",
           "permute(2, 0, 1) gives C x H x W."],
    solution="photo_batch = photo.permute(2, 0, 1).unsqueeze(0)",
)

# --- 1.6 ------------------------------------------------------------------------------------------
def _check_flat(answer, reference):
    return same(answer, reference)


EX_1_6 = Exercise(
    id="1.6",
    title="Flatten a transposed tensor",
    prompt="flat: the elements of m (not contiguous) in row order, as a 1-D tensor.",
    reference=torch.tensor([0, 3, 1, 4, 2, 5]),
    check=_check_flat,
    mistakes=[
        Mistake("that is the order in memory (the original 2 x 3 tensor), not the row order of m. "
                "m.reshape(6) or m.contiguous().view(6) follow m's rows", answer=torch.arange(6),
                match=lambda a: same(a, torch.arange(6))[0]),
        Mistake("flat must be 1-D with 6 elements: reshape(6) or reshape(-1)", answer=torch.tensor([[0, 3, 1, 4, 2, 5]]),
                match=lambda a: hasattr(a, "shape") and tuple(a.shape) in ((1, 6), (6, 1), (3, 2), (2, 3))),
    ],
    hints=["view needs a shape it can express with strides alone; m's rows are not next to each other in memory.",
           "reshape copies when it must; so does contiguous()."],
    solution="flat = m.reshape(6)        # or m.contiguous().view(6), or m.flatten()",
)

# --- 1.7 ------------------------------------------------------------------------------------------
def _ref_scale_(t, k):
    t.mul_(k)
    return t


def _run_scale(fn):
    t = torch.tensor([1.0, 2.0, 3.0])
    return t, fn(t, 2.0)


def _check_scale(fn, reference):
    if not callable(fn):
        return False, "scale_ should be a function"
    t, result = _run_scale(fn)
    if result is t and same(t, torch.tensor([2.0, 4.0, 6.0]))[0]:
        return True, "changed in place and returned the same tensor, like PyTorch's own mul_"
    if result is None:
        return False, "return t at the end"
    return False, "scale_(torch.tensor([1., 2., 3.]), 2.0) should turn that very tensor into [2., 4., 6.] and return it"


def _copy_scale(t, k):
    return t * k


def _none_scale(t, k):
    t.mul_(k)


def _unchanged_input(fn):
    t, result = _run_scale(fn)
    return result is not t and same(t, torch.tensor([1.0, 2.0, 3.0]))[0]


EX_1_7 = Exercise(
    id="1.7",
    title="An in-place function",
    prompt="Write scale_(t, k): multiply t by k in place and return t.",
    reference=_ref_scale_,
    check=_check_scale,
    mistakes=[
        Mistake("t itself did not change: t * k (and t = t * k) make a new tensor. Use the in-place t.mul_(k) "
                "(or t *= k)", answer=_copy_scale, match=_unchanged_input),
        Mistake("t changed in place, but the function returned None: return t, like PyTorch's in-place methods do",
                answer=_none_scale, match=lambda fn: _run_scale(fn)[1] is None),
    ],
    hints=["Methods ending in _ change the tensor they are called on.",
           "t.mul_(k) changes t and returns it."],
    solution="def scale_(t, k):\n    t.mul_(k)      # or: t *= k\n    return t",
)

EXERCISES = [EX_1_1, EX_1_2, EX_1_3, EX_1_4, EX_1_5, EX_1_6, EX_1_7]
check, hint, solution = notebook_helpers(EXERCISES)
