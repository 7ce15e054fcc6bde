"""Chapter 2 exercises: broadcasting (广播).

One ``Exercise`` spec per exercise; the notebook cells call ``check("2.1", answer)``.
"""
import learntorch as torch

from ..feedback import Exercise, Mistake, same
from .ch01 import check_shape, notebook_helpers, shape_of, tuple_check

__all__ = ["EXERCISES", "check", "hint", "solution", "reference_broadcast_shape"]


def reference_broadcast_shape(a, b):
    """The broadcasting rules: align on the right, sizes equal or 1; None when incompatible."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(out)


# --- 2.1 ------------------------------------------------------------------------------------------
EX_2_1 = Exercise(
    id="2.1",
    title="Predict a broadcast shape",
    prompt="Shape of torch.zeros(8, 1, 6, 1) + torch.zeros(7, 1, 5)?",
    reference=(8, 7, 6, 5),
    check=check_shape,
    mistakes=[
        Mistake("a dimension of size 1 is stretched to the other size: 1 against 7 gives 7", answer=(8, 1, 6, 5)),
        Mistake("the last dimensions are 1 and 5: the 1 is stretched to 5", answer=(8, 7, 6, 1)),
        Mistake("these shapes do broadcast: align them on the RIGHT, so (7, 1, 5) becomes (1, 7, 1, 5)",
                answer="error", match=lambda a: a is False or (isinstance(a, str) and "error" in a.lower())),
    ],
    hints=["Write (7, 1, 5) under (8, 1, 6, 1) so that the last sizes line up, and pad with 1 on the left.",
           "In each column: equal sizes stay, a 1 becomes the other size."],
    solution="result_shape = (8, 7, 6, 5)\n# (8, 1, 6, 1)\n# (1, 7, 1, 5)   <- padded on the left\n# (8, 7, 6, 5)",
)

# --- 2.2 ------------------------------------------------------------------------------------------
_PAIRS = [((4, 3), (3,)), ((4, 3), (4,)), ((4, 1), (1, 4)), ((2, 1, 3), (5, 1))]
_SHAPES = [reference_broadcast_shape(a, b) for a, b in _PAIRS]


def _norm_shapes(answer):
    out = []
    for item in answer:
        out.append(None if item is None else shape_of(item))
    return out


def _check_shapes(answer, reference):
    try:
        got = _norm_shapes(answer)
    except TypeError:
        return False, "give a list of 4 entries: a tuple of ints, or None"
    if len(got) != len(reference):
        return False, f"give 4 entries, one per pair (got {len(got)})"
    for i, (g, r, pair) in enumerate(zip(got, reference, _PAIRS)):
        if g != r:
            return False, f"pair {i + 1}, {pair[0]} & {pair[1]}: {g} is not right"
    return True, "all four right"


def _wrong_at(i, value):
    def match(answer):
        try:
            return _norm_shapes(answer)[i] == value
        except Exception:
            return False
    return match


def _with(i, value):
    shapes = list(_SHAPES)
    shapes[i] = value
    return shapes


EX_2_2 = Exercise(
    id="2.2",
    title="Valid or not",
    prompt="Result shape (or None) of four pairs.",
    reference=_SHAPES,
    check=_check_shapes,
    mistakes=[
        Mistake("(4, 3) & (4,) does not broadcast: a 1-D tensor lines up with the LAST dimension, so 3 meets 4. "
                "Reshape it to (4, 1) to add per row", answer=_with(1, (4, 3)), match=_wrong_at(1, (4, 3))),
        Mistake("(4, 1) & (1, 4) broadcasts: BOTH tensors can be stretched, giving (4, 4)",
                answer=_with(2, None), match=_wrong_at(2, None)),
        Mistake("(2, 1, 3) & (5, 1): pad the shorter shape on the left to (1, 5, 1); then every column has "
                "equal sizes or a 1", answer=_with(3, None), match=_wrong_at(3, None)),
        Mistake("(4, 3) & (3,) is the easy case: (3,) becomes (1, 3) and is repeated over the 4 rows",
                answer=_with(0, None), match=_wrong_at(0, None)),
    ],
    hints=["For each pair, align on the right and compare the sizes column by column.",
           "A pair fails only if some column has two different sizes, neither of them 1."],
    solution="shapes = [(4, 3), None, (4, 4), (2, 5, 3)]",
)

# --- 2.3 ------------------------------------------------------------------------------------------
_TEST_PAIRS = [((2, 3), (3,)), ((3,), (2, 1)), ((5, 1, 4), (3, 1)), ((2, 3), ()), ((), ()), ((2, 3), (2,)),
               ((2, 3), (2, 4)), ((1,), (7,)), ((8, 1, 6, 1), (7, 1, 5)), ((4, 1), (1, 4)), ((3, 1, 2), (3, 2)),
               ((0,), (1,)), ((2, 1), (2, 0))]


def _behaves_like(wrong):
    def match(fn):
        try:
            return all(_norm_result(fn(a, b)) == wrong(a, b) for a, b in _TEST_PAIRS)
        except Exception:
            return False
    return match


def _norm_result(r):
    return None if r is None else tuple(r)


def _check_bshape(fn, reference):
    if not callable(fn):
        return False, "broadcast_shape should be a function"
    for a, b in _TEST_PAIRS:
        try:
            got = _norm_result(fn(a, b))
        except Exception as e:
            return False, f"broadcast_shape({a}, {b}) raised {type(e).__name__}: {e}"[:200]
        want = reference(a, b)
        if got != want:
            return False, f"broadcast_shape({a}, {b}) gave {got}, expected {want}"
    return True, f"matches the broadcasting rules on {len(_TEST_PAIRS)} pairs"


def _left_aligned(a, b):
    n = max(len(a), len(b))
    a = tuple(a) + (1,) * (n - len(a))
    b = tuple(b) + (1,) * (n - len(b))
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(out)


def _equal_only(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    return tuple(a) if a == b else None


def _min_of_pair(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            return None
        out.append(min(x, y))
    return tuple(out)


def _plain_max(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            return None
        out.append(max(x, y))
    return tuple(out)


EX_2_3 = Exercise(
    id="2.3",
    title="Implement the broadcasting rules",
    prompt="broadcast_shape(shape_a, shape_b) -> tuple or None",
    reference=reference_broadcast_shape,
    check=_check_bshape,
    mistakes=[
        Mistake("your shapes are aligned on the LEFT: pad the shorter shape with 1s at the front, so that the "
                "last dimensions meet", answer=_left_aligned, match=_behaves_like(_left_aligned)),
        Mistake("a size of 1 is compatible with any size (it gets stretched); you only accept equal sizes",
                answer=_equal_only, match=_behaves_like(_equal_only)),
        Mistake("when one size is 1 the result takes the OTHER size, not the smaller one",
                answer=_min_of_pair, match=_behaves_like(_min_of_pair)),
        Mistake("almost: 1 against 0 gives 0 (a size-1 dim stretches to any size, even 0), so take the other "
                "size when one is 1 instead of the maximum", answer=_plain_max, match=_behaves_like(_plain_max)),
    ],
    hints=["First make both shapes equally long by putting 1s at the front of the shorter one.",
           "Then go through the pairs of sizes: equal -> keep; one of them is 1 -> take the other; else None.",
           "zip() walks two tuples of the same length side by side."],
    solution=("def broadcast_shape(shape_a, shape_b):\n"
              "    n = max(len(shape_a), len(shape_b))\n"
              "    a = (1,) * (n - len(shape_a)) + tuple(shape_a)\n"
              "    b = (1,) * (n - len(shape_b)) + tuple(shape_b)\n"
              "    result = []\n"
              "    for sa, sb in zip(a, b):\n"
              "        if sa != sb and sa != 1 and sb != 1:\n"
              "            return None\n"
              "        result.append(sb if sa == 1 else sa)\n"
              "    return tuple(result)"),
)

# --- 2.4 ------------------------------------------------------------------------------------------
def _check_centred(answer, reference):
    centred, S = answer
    ok, msg = same(centred, S - S.mean(dim=1, keepdim=True))
    return (True, "keepdim=True keeps the row means as a column, so each row gets its own mean") if ok \
        else (False, msg)


def _centred_like(fn):
    def match(answer):
        centred, S = answer
        return same(centred, fn(S))[0]
    return match


_S = torch.tensor([[1.0, 2.0, 6.0], [0.0, 4.0, 8.0], [3.0, 3.0, 3.0]])

EX_2_4 = Exercise(
    id="2.4",
    title="Centre the rows",
    prompt="Subtract from each row of S its own mean.",
    reference=(_S - _S.mean(dim=1, keepdim=True), _S),
    check=_check_centred,
    mistakes=[
        Mistake("S.mean(dim=1) has shape (3,), which lines up with the COLUMNS: row means were subtracted "
                "column-wise. Keep the reduced dimension: S.mean(dim=1, keepdim=True) has shape (3, 1)",
                answer=(_S - _S.mean(dim=1), _S), match=_centred_like(lambda s: s - s.mean(dim=1))),
        Mistake("those are the column means (dim=0); each ROW needs its own mean: dim=1",
                answer=(_S - _S.mean(dim=0, keepdim=True), _S),
                match=_centred_like(lambda s: s - s.mean(dim=0, keepdim=True))),
        Mistake("that subtracts one overall mean; each row needs its own mean (dim=1, keepdim=True)",
                answer=(_S - _S.mean(), _S), match=_centred_like(lambda s: s - s.mean())),
    ],
    hints=["Which dim runs along a row? Row means have one number per row.",
           "A (3,) tensor lines up with the last dimension; you need shape (3, 1)."],
    solution="centred = S - S.mean(dim=1, keepdim=True)",
)

# --- 2.5 ------------------------------------------------------------------------------------------
_PRED = torch.tensor([[0.5], [1.5], [2.0], [4.0]])
_LABELS = torch.tensor([1.0, 1.0, 2.0, 3.0])
_MSE = ((_PRED.squeeze(1) - _LABELS) ** 2).mean()

EX_2_5 = Exercise(
    id="2.5",
    title="The (N, 1) bug",
    prompt="MSE of predictions (4, 1) and labels (4,).",
    reference=_MSE,
    check=lambda a, r: (True, "squeezing (or reshaping labels to (4, 1)) makes the shapes equal") if same(a, r)[0]
    else (False, same(a, r)[1]),
    mistakes=[
        Mistake("(4, 1) - (4,) broadcasts to (4, 4): every prediction minus every label. Make the shapes equal "
                "first: predictions.squeeze(1), or labels.unsqueeze(1)",
                answer=((_PRED - _LABELS) ** 2).mean(), match=lambda a: same(a, ((_PRED - _LABELS) ** 2).mean())[0]),
        Mistake("that is the sum of squared errors; the mean divides by the number of examples",
                answer=((_PRED.squeeze(1) - _LABELS) ** 2).sum(),
                match=lambda a: same(a, ((_PRED.squeeze(1) - _LABELS) ** 2).sum())[0]),
        Mistake("give the mean as a 0-d tensor (one number), not a tensor per example",
                answer=(_PRED.squeeze(1) - _LABELS) ** 2,
                match=lambda a: hasattr(a, "shape") and tuple(a.shape) in ((4,), (4, 1), (4, 4))),
    ],
    hints=["Print (predictions - labels).shape before taking the mean.",
           "squeeze(1) turns (4, 1) into (4,)."],
    solution="mse = ((predictions.squeeze(1) - labels) ** 2).mean()",
)

# --- 2.6 ------------------------------------------------------------------------------------------
def _as_list(answer):
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    return [float(v) for v in answer]


def _check_bgrad(answer, reference):
    try:
        got = _as_list(answer)
    except (TypeError, ValueError):
        return False, "give a list of 3 numbers"
    if len(got) != 3:
        return False, f"b has 3 elements, so b.grad has 3 numbers (got {len(got)})"
    if got == reference:
        return True, "each b[j] was added to all 4 rows; the 4 gradients of 1 add up"
    return False, f"{got} is not b.grad"


def _is_list(values):
    def match(answer):
        try:
            return _as_list(answer) == values
        except Exception:
            return False
    return match


EX_2_6 = Exercise(
    id="2.6",
    title="The gradient of a broadcast",
    prompt="b.grad after (x * 2 + b).sum().backward() with x = ones(4, 3), b = zeros(3).",
    reference=[4.0, 4.0, 4.0],
    check=_check_bgrad,
    mistakes=[
        Mistake("b was broadcast over 4 rows: each b[j] appears in 4 sums, and its gradient adds up their "
                "gradients (4 x 1)", answer=[1.0, 1.0, 1.0], match=_is_list([1.0, 1.0, 1.0])),
        Mistake("the factor 2 multiplies x, not b: d(2x + b)/db = 1 for each of the 4 copies",
                answer=[8.0, 8.0, 8.0], match=_is_list([8.0, 8.0, 8.0])),
        Mistake("the 2 multiplies x, not b; and b appears in 4 rows, not 2",
                answer=[2.0, 2.0, 2.0], match=_is_list([2.0, 2.0, 2.0])),
        Mistake("the gradient has b's own shape, (3,): the 4 rows are summed",
                answer=torch.ones(4, 3), match=lambda a: hasattr(a, "shape") and tuple(a.shape) == (4, 3)),
    ],
    hints=["b of shape (3,) is used as if it were (4, 3): each b[j] is used 4 times.",
           "d(sum)/d(each copy) = 1; the gradient of b[j] is the sum over its copies."],
    solution="b_grad = [4.0, 4.0, 4.0]",
)

# --- 2.7 ------------------------------------------------------------------------------------------
EX_2_7 = Exercise(
    id="2.7",
    title="Stride 0",
    prompt="torch.tensor([1, 2, 3]).expand(4, 3).stride()?",
    reference=(0, 1),
    check=tuple_check("stride"),
    mistakes=[
        Mistake("(3, 1) is the stride of a real, contiguous (4, 3) tensor; expand copies nothing, so moving "
                "along the new dimension reads the same 3 numbers again", answer=(3, 1)),
        Mistake("the order is (stride of dim 0, stride of dim 1): the stretched dimension is dim 0",
                answer=(1, 0)),
    ],
    hints=["How many elements must you skip in memory to go from row 0 to row 1, when every row is the same "
           "three numbers?"],
    solution="expanded_stride = (0, 1)   # dim 0 is stretched: stride 0",
)

EXERCISES = [EX_2_1, EX_2_2, EX_2_3, EX_2_4, EX_2_5, EX_2_6, EX_2_7]
check, hint, solution = notebook_helpers(EXERCISES)
