"""Chapter 3 exercises: autograd (自动求导).

One ``Exercise`` spec per exercise; the notebook cells call ``check("3.1", answer)``.
"""
import learntorch as torch
from learntorch.autograd import gradcheck

from ..feedback import Exercise, Mistake, same
from .ch01 import notebook_helpers

__all__ = ["EXERCISES", "check", "hint", "solution"]


def _number_exercise(id, title, prompt, value, mistakes, hints, solution, why):
    def check(answer, reference):
        ok, msg = same(answer, reference)
        return (True, why) if ok else (False, msg)
    return Exercise(id=id, title=title, prompt=prompt, reference=value, check=check,
                    mistakes=[Mistake(text, answer=wrong) for wrong, text in mistakes],
                    hints=hints, solution=solution)


# --- 3.1 ------------------------------------------------------------------------------------------
_LEAVES = {"w": True, "x": True, "y": False, "z": False, "c": True}


def _check_leaves(answer, reference):
    if not isinstance(answer, dict) or set(answer) != set(reference):
        return False, 'give a dict with the keys "w", "x", "y", "z", "c" and True/False values'
    wrong = [k for k in reference if bool(answer[k]) != reference[k]]
    if not wrong:
        return True, "leaves are exactly the tensors without a grad_fn"
    return False, f"not right for: {', '.join(wrong)}"


def _says(key, value):
    return lambda a: isinstance(a, dict) and key in a and bool(a[key]) == value


EX_3_1 = Exercise(
    id="3.1",
    title="Which tensors are leaves?",
    prompt="w, x, y, z, c: leaf or not?",
    reference=_LEAVES,
    check=_check_leaves,
    mistakes=[
        Mistake("x is a leaf: it was not made by an operation (x.grad_fn is None). Not requiring grad does not "
                "stop a tensor from being a leaf; document 002's definition is too narrow here",
                answer=dict(_LEAVES, x=False), match=_says("x", False)),
        Mistake("c = w.detach() is cut off from the graph: no grad_fn, so it is a leaf",
                answer=dict(_LEAVES, c=False), match=_says("c", False)),
        Mistake("y and z were made by operations on w, which requires grad: they have a grad_fn, so they are not leaves",
                answer=dict(_LEAVES, y=True), match=lambda a: _says("y", True)(a) or _says("z", True)(a)),
        Mistake("w was created directly by you (torch.randn): it is the very model of a leaf",
                answer=dict(_LEAVES, w=False), match=_says("w", False)),
    ],
    hints=["A tensor is a leaf exactly when its grad_fn is None.",
           "Which of them came out of an operation that was recorded?"],
    solution='leaves = {"w": True, "x": True, "y": False, "z": False, "c": True}',
)

# --- 3.2 ------------------------------------------------------------------------------------------
EX_3_2 = _number_exercise(
    "3.2", "A derivative", "x.grad for y = x**3 + 2*x at x = 3", 29.0,
    [(27.0, "you differentiated x**3 (3x^2 = 27) but forgot the 2*x term, whose derivative is 2"),
     (11.0, "the derivative of x**3 is 3x^2, not 3x"),
     (33.0, "the derivative of 2*x is 2, not 2x")],
    ["Differentiate term by term: d(x^3)/dx and d(2x)/dx.", "3x^2 + 2, at x = 3."],
    "grad_value = 29.0   # 3 * 3**2 + 2",
    "dy/dx = 3x^2 + 2 = 29 at x = 3",
)

# --- 3.3 ------------------------------------------------------------------------------------------
EX_3_3 = _number_exercise(
    "3.3", "Accumulation", "x.grad after two (x**2).backward() and one (x*5).backward()", 13.0,
    [(5.0, "backward() does not overwrite .grad, it adds to it: 4 + 4 + 5"),
     (9.0, "both (x ** 2).backward() calls add their 4: 4 + 4 + 5"),
     (8.0, "(x * 5).backward() adds its gradient 5 too"),
     (4.0, "every backward() adds into x.grad: 4 + 4 + 5")],
    ["What does backward() do with the number already in x.grad?",
     "d(x^2)/dx = 2x = 4 at x = 2; d(5x)/dx = 5."],
    "accumulated = 13.0   # 4 + 4 + 5",
    "4 + 4 + 5: every backward() adds into .grad",
)

# --- 3.4 ------------------------------------------------------------------------------------------
_VJP = [1.0, 0.0, 12.0]


def _grad_list(x):
    g = getattr(x, "grad", None)
    return None if g is None else [round(v, 5) for v in g.tolist()]


def _check_vjp(x, reference):
    if not hasattr(x, "grad"):
        return False, "pass the tensor x itself"
    got = _grad_list(x)
    if got is None:
        return False, "x.grad is still None: call y.backward(gradient=...)"
    if got == _VJP:
        return True, "backward(gradient=v) computes the gradient of (y * v).sum(): 2x * v"
    return False, f"x.grad is {got}, expected {_VJP}"


def _x_with_grad(values):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.grad = torch.tensor(values)
    return x


def _grad_is(values):
    return lambda x: _grad_list(x) == values


EX_3_4 = Exercise(
    id="3.4",
    title="The gradient of a vector output",
    prompt="x.grad = gradient of 0.5*y[0] + 2*y[2], via y.backward(gradient=...)",
    reference=_x_with_grad(_VJP),
    check=_check_vjp,
    mistakes=[
        Mistake("that is the weight vector itself: backward multiplies it by dy/dx = 2x (chain rule)",
                answer=_x_with_grad([0.5, 0.0, 2.0]), match=_grad_is([0.5, 0.0, 2.0])),
        Mistake("that is the gradient of y.sum() (all weights 1); the weights here are 0.5, 0 and 2",
                answer=_x_with_grad([2.0, 4.0, 6.0]), match=_grad_is([2.0, 4.0, 6.0])),
        Mistake("x.grad holds the sum of two backward passes: create x and y again (re-run the cell from the "
                "top) before calling backward once", answer=_x_with_grad([2.0, 0.0, 24.0]),
                match=_grad_is([2.0, 0.0, 24.0])),
    ],
    hints=["gradient= takes one weight per element of y: the coefficients of y[0], y[1], y[2].",
           "y.backward(gradient=torch.tensor([0.5, 0.0, 2.0]))"],
    solution="y.backward(gradient=torch.tensor([0.5, 0.0, 2.0]))   # x.grad = 2x * v = [1, 0, 12]",
)

# --- 3.5 ------------------------------------------------------------------------------------------
def _ref_sgd_step(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


def _run_step(fn):
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    q = torch.tensor([[3.0]], requires_grad=True)
    ((p ** 2).sum() + (q * 4).sum()).backward()       # p.grad = [2, 4], q.grad = [[4]]
    fn([p, q], 0.5)
    return p, q


def _check_sgd(fn, reference):
    if not callable(fn):
        return False, "sgd_step should be a function"
    p, q = _run_step(fn)
    if not (p.is_leaf and p.requires_grad and q.is_leaf):
        return False, "the parameters must stay leaves that require grad"
    ok1, msg1 = same(p.detach(), torch.tensor([0.0, 0.0]))
    ok2, msg2 = same(q.detach(), torch.tensor([[1.0]]))
    if not (ok1 and ok2):
        return False, f"after one step with lr 0.5 the parameters are wrong: {msg1 if not ok1 else msg2}"
    zero = all(t.grad is None or not bool((t.grad != 0).any()) for t in (p, q))
    if not zero:
        return False, "the update is right, but the gradients were not zeroed"
    return True, "updated in place under no_grad, gradients cleared"


def _no_zero(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad


def _rebind(params, lr):
    for p in params:
        p = p - lr * p.grad
        p.grad = None


def _no_no_grad(params, lr):
    for p in params:
        p -= lr * p.grad
        p.grad.zero_()


def _raises_leaf_error(fn):
    try:
        _run_step(fn)
    except RuntimeError as e:
        return "leaf" in str(e)
    return False


def _params_unchanged(fn):
    try:
        p, q = _run_step(fn)
    except Exception:
        return False
    return same(p.detach(), torch.tensor([1.0, 2.0]))[0]


def _not_zeroed(fn):
    try:
        p, q = _run_step(fn)
    except Exception:
        return False
    return p.grad is not None and bool((p.grad != 0).any())


EX_3_5 = Exercise(
    id="3.5",
    title="A manual update step",
    prompt="sgd_step(params, lr): p -= lr * p.grad in place, then zero the grad.",
    reference=_ref_sgd_step,
    check=_check_sgd,
    mistakes=[
        Mistake("an in-place change of a leaf that requires grad is refused while autograd records: put the "
                "update inside `with torch.no_grad():`", answer=_no_no_grad, match=_raises_leaf_error),
        Mistake("the parameters did not change: `p = p - ...` only rebinds the loop variable to a new tensor. "
                "Change the tensor itself: `p -= lr * p.grad` (inside no_grad)", answer=_rebind,
                match=_params_unchanged),
        Mistake("the update is right but the gradients are still there: the next backward() would add to them. "
                "Call p.grad.zero_()", answer=_no_zero, match=_not_zeroed),
    ],
    hints=["Three things: no recording, an in-place update, clearing the gradient.",
           "with torch.no_grad(): for p in params: p -= lr * p.grad; p.grad.zero_()"],
    solution=("def sgd_step(params, lr):\n    with torch.no_grad():\n        for p in params:\n"
              "            p -= lr * p.grad\n            p.grad.zero_()"),
)


# --- 3.6 ------------------------------------------------------------------------------------------
def _softplus_with(backward_rule):
    class Softplus(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.log(1 + torch.exp(x))

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return backward_rule(x, grad_output)
    return Softplus


_REF_SOFTPLUS = _softplus_with(lambda x, g: g * torch.sigmoid(x))


def _grads_of(fn_class, upstream=1.0):
    """x.grad of fn_class.apply(x) with upstream gradient ``upstream`` everywhere (float64)."""
    x = torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0], dtype=torch.float64, requires_grad=True)
    y = fn_class.apply(x)
    (y * upstream).sum().backward()
    return x.grad


class _SavedContext:
    """Just enough of a ``ctx`` to call a learner's ``backward`` directly."""

    def __init__(self, *saved):
        self.saved_tensors = saved
        self.needs_input_grad = (True,) * len(saved)


def _backward_returns_nothing(fn_class, n_inputs=1):
    """An untouched ``backward`` (its body still ``...``) returns None."""
    try:
        saved = tuple(torch.tensor([0.5, -1.0], dtype=torch.float64) for _ in range(n_inputs))
        return fn_class.backward(_SavedContext(*saved), torch.ones(2, dtype=torch.float64)) is None
    except Exception:
        return False


def _check_function_grad(fn_class, reference, n_inputs=1):
    if not (isinstance(fn_class, type) and hasattr(fn_class, "apply")):
        return False, "pass the class itself (a torch.autograd.Function subclass)"
    gen = torch.Generator().manual_seed(0)
    inputs = tuple(torch.randn(4, dtype=torch.float64, generator=gen).requires_grad_() for _ in range(n_inputs))
    try:
        ok = gradcheck(fn_class.apply, inputs, raise_exception=False)
    except Exception as e:
        return False, f"gradcheck could not run it: {type(e).__name__}: {e}"[:300]
    if ok:
        return True, "passes gradcheck: your backward agrees with finite differences"
    return False, "gradcheck fails: the analytic gradient differs from the numerical one"


def _softplus_like(rule):
    want_class = _softplus_with(rule)

    def match(fn_class):
        try:
            return all(same(_grads_of(fn_class, u), _grads_of(want_class, u))[0] for u in (1.0, 3.0))
        except Exception:
            return False
    return match


_SOFTPLUS_MISTAKES = [
    (lambda x, g: torch.sigmoid(x), "the local derivative is right, but backward must return "
     "grad_output * dy/dx (the chain rule): multiply by grad_output"),
    (lambda x, g: g * torch.sigmoid(-x), "sign error: dy/dx = 1 / (1 + exp(-x)) = sigmoid(x), not sigmoid(-x)"),
    (lambda x, g: g * torch.exp(x), "exp(x) is the derivative of exp, not of log(1 + exp(x)); apply the chain rule "
     "to the log: exp(x) / (1 + exp(x))"),
    (lambda x, g: g * torch.log(1 + torch.exp(x)), "that returns y itself; backward must return the derivative "
     "dy/dx (times grad_output)"),
]

EX_3_6 = Exercise(
    id="3.6",
    title="A backward rule: Softplus",
    prompt="Write Softplus.backward; dy/dx = sigmoid(x).",
    reference=_REF_SOFTPLUS,
    check=lambda a, r: _check_function_grad(a, r),
    mistakes=[Mistake(text, answer=_softplus_with(rule), match=_softplus_like(rule))
              for rule, text in _SOFTPLUS_MISTAKES],
    hints=["backward receives dL/dy (grad_output) and returns dL/dx.",
           "Chain rule: dL/dx = dL/dy * dy/dx, and dy/dx = sigmoid(x) (torch.sigmoid)."],
    solution="        x, = ctx.saved_tensors\n        return grad_output * torch.sigmoid(x)",
)


# --- 3.7 ------------------------------------------------------------------------------------------
def _muladd_with(backward_rule):
    class MulAdd(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y + y

        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return backward_rule(x, y, grad_output)
    return MulAdd


def _muladd_grads(fn_class):
    x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([3.0, 0.25, -1.0], dtype=torch.float64, requires_grad=True)
    (fn_class.apply(x, y) * 2).sum().backward()
    return x.grad, y.grad


def _muladd_like(rule):
    want = _muladd_grads(_muladd_with(rule))

    def match(fn_class):
        try:
            got = _muladd_grads(fn_class)
        except Exception:
            return False
        return all(g is not None and same(g, w)[0] for g, w in zip(got, want))
    return match


def _wrong_count(fn_class):
    try:
        _muladd_grads(fn_class)
    except RuntimeError as e:
        return "incorrect number of gradients" in str(e)
    return False


EX_3_7 = Exercise(
    id="3.7",
    title="A backward rule with two inputs",
    prompt="Write MulAdd.backward for z = x*y + y.",
    reference=_muladd_with(lambda x, y, g: (g * y, g * (x + 1))),
    check=lambda a, r: _check_function_grad(a, r, n_inputs=2),
    mistakes=[
        Mistake("backward must return one gradient per input of forward (x and y), as a tuple",
                answer=_muladd_with(lambda x, y, g: g * y), match=_wrong_count),
        Mistake("the two gradients are swapped: return them in the order of forward's arguments, dL/dx first",
                answer=_muladd_with(lambda x, y, g: (g * (x + 1), g * y)),
                match=_muladd_like(lambda x, y, g: (g * (x + 1), g * y))),
        Mistake("dz/dy = x + 1: y appears twice in x*y + y, and both uses contribute",
                answer=_muladd_with(lambda x, y, g: (g * y, g * x)),
                match=_muladd_like(lambda x, y, g: (g * y, g * x))),
        Mistake("multiply each local derivative by grad_output (the chain rule)",
                answer=_muladd_with(lambda x, y, g: (y, x + 1)), match=_muladd_like(lambda x, y, g: (y, x + 1))),
    ],
    hints=["dz/dx = y and dz/dy = x + 1.",
           "Return a tuple (dL/dx, dL/dy), each = grad_output * the local derivative."],
    solution="        x, y = ctx.saved_tensors\n        return grad_output * y, grad_output * (x + 1)",
)

EXERCISES = [EX_3_1, EX_3_2, EX_3_3, EX_3_4, EX_3_5, EX_3_6, EX_3_7]
check, hint, solution = notebook_helpers(EXERCISES, blank_tests={
    "3.4": lambda x: hasattr(x, "grad") and x.grad is None,
    "3.6": _backward_returns_nothing,
    "3.7": lambda fn_class: _backward_returns_nothing(fn_class, n_inputs=2),
})
