"""Chapter 4 exercises: linear regression, gradient descent (梯度下降) and the learning rate (学习率).

One ``Exercise`` spec per exercise; the notebook cells call ``check("4.1", answer)``.
The data are document 002's: x = 1..5, y = 2x + 1, start a = b = 1, MSE.
"""
import learntorch as torch
import learntorch.nn as nn
import learntorch.optim as optim

from ..feedback import Exercise, Mistake, same
from .ch01 import notebook_helpers, shown

__all__ = ["EXERCISES", "check", "hint", "solution", "steps_to_converge"]

X = (1.0, 2.0, 3.0, 4.0, 5.0)
Y = (3.0, 5.0, 7.0, 9.0, 11.0)


def _data():
    return torch.tensor(X), torch.tensor(Y)


def _gd(lr, steps, zero_grads=True):
    """Document 002's loop; returns (a, b) as floats (nan once it overflowed)."""
    x, y = _data()
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    for _ in range(steps):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        if zero_grads:
            a.grad.zero_()
            b.grad.zero_()
    return a.item(), b.item()


def steps_to_converge(lr, tol=1e-6, max_steps=3000):
    """Steps until the MSE falls below ``tol`` (None if it never does)."""
    x, y = _data()
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    for step in range(max_steps):
        loss = ((a * x + b - y) ** 2).mean()
        if loss.item() < tol:
            return step
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return None


def _hessian_eigenvalues():
    n = len(X)
    h11, h12, h22 = 2 * sum(v * v for v in X) / n, 2 * sum(X) / n, 2.0
    mean, det = (h11 + h22) / 2, h11 * h22 - h12 ** 2
    root = (mean ** 2 - det) ** 0.5
    return mean + root, mean - root


LAM_MAX, LAM_MIN = _hessian_eigenvalues()


def _is_number(value, target, tol=1e-9):
    try:
        return abs(float(value) - target) <= tol
    except (TypeError, ValueError):
        return False


def _choice(value, why):
    def check(answer, reference):
        try:
            ok = abs(float(answer) - reference) < 1e-9
        except (TypeError, ValueError):
            return False, f"give a number, not {shown(answer)}"
        return (True, why) if ok else (False, f"{shown(answer)} is not right")
    return check


# --- 4.1 ------------------------------------------------------------------------------------------
EX_4_1 = Exercise(
    id="4.1",
    title="Which learning rate diverges?",
    prompt="Of 0.01, 0.05, 0.1: which diverges?",
    reference=0.1,
    check=_choice(0.1, "0.1 is above the stability limit 2 / 23.66 = 0.0845: every step overshoots further"),
    mistakes=[
        Mistake("0.01 is the slow one: it converges, just needing many steps", answer=0.01,
                match=lambda a: _is_number(a, 0.01)),
        Mistake("0.05 is the documents' recommended rate; it converges quickly", answer=0.05,
                match=lambda a: _is_number(a, 0.05)),
    ],
    hints=["Look at the loss printed by the three runs in section 2.",
           "Divergence means the loss grows at every step, up to inf and nan."],
    solution="diverging_lr = 0.1",
)

# --- 4.2 ------------------------------------------------------------------------------------------
def _check_grads(answer, reference):
    try:
        da, db = (float(v) for v in answer)
    except (TypeError, ValueError):
        return False, "give a tuple of two numbers (da, db)"
    if abs(da - reference[0]) < 1e-6 and abs(db - reference[1]) < 1e-6:
        return True, "dL/da = 2/n * sum(r_i x_i) = -22 and dL/db = 2/n * sum(r_i) = -6 (r_i = a x_i + b - y_i)"
    return False, f"({da:g}, {db:g}) is not the gradient at a = b = 1"


def _pair(p, q):
    def match(answer):
        try:
            da, db = (float(v) for v in answer)
        except (TypeError, ValueError):
            return False
        return abs(da - p) < 1e-6 and abs(db - q) < 1e-6
    return match


EX_4_2 = Exercise(
    id="4.2",
    title="The gradient by hand",
    prompt="(dL/da, dL/db) of the MSE at a = b = 1.",
    reference=(-22.0, -6.0),
    check=_check_grads,
    mistakes=[
        Mistake("the signs are flipped: the predictions (a x + b = x + 1) are BELOW the targets (2x + 1), so "
                "increasing a or b lowers the loss and the gradients are negative", answer=(22.0, 6.0),
                match=_pair(22.0, 6.0)),
        Mistake("the factor 2 from the square is missing: d(r^2)/dr = 2r", answer=(-11.0, -3.0),
                match=_pair(-11.0, -3.0)),
        Mistake("that is the gradient of the SUM of squares; the MSE is the mean, so divide by n = 5",
                answer=(-110.0, -30.0), match=_pair(-110.0, -30.0)),
        Mistake("swapped: da carries the extra factor x_i, so it is the larger one", answer=(-6.0, -22.0),
                match=_pair(-6.0, -22.0)),
    ],
    hints=["L = (1/n) sum (a x_i + b - y_i)^2; differentiate the square with the chain rule.",
           "dL/da = (2/n) sum (a x_i + b - y_i) x_i and dL/db = (2/n) sum (a x_i + b - y_i); at a = b = 1 the "
           "residuals are -x_i."],
    solution=("xs, ys = [1, 2, 3, 4, 5], [3, 5, 7, 9, 11]\n"
              "residuals = [1 * xi + 1 - yi for xi, yi in zip(xs, ys)]      # -1, -2, -3, -4, -5\n"
              "da = sum(2 * r * xi for r, xi in zip(residuals, xs)) / 5      # -22\n"
              "db = sum(2 * r for r in residuals) / 5                        # -6\n"
              "grads_by_hand = (da, db)"),
)

# --- 4.3 ------------------------------------------------------------------------------------------
EX_4_3 = Exercise(
    id="4.3",
    title="The fastest learning rate",
    prompt="Which of 0.01 .. 0.10 reaches loss < 1e-6 in the fewest steps?",
    reference=0.08,
    check=_choice(0.08, "0.08 needs about 170 steps, 0.05 about 280; 0.09 and 0.10 diverge. The fastest rate sits "
                        "just below the stability limit 0.0845, and 0.08 is the last candidate below it"),
    mistakes=[
        Mistake("0.05 is the documents' 'just right' rate and converges, but not fastest: measure the steps for "
                "each candidate", answer=0.05, match=lambda a: _is_number(a, 0.05)),
        Mistake("0.09 is above the stability limit (0.0845) and diverges: make sure your loop reports "
                "divergence (None) instead of counting steps", answer=0.09,
                match=lambda a: _is_number(a, 0.09) or _is_number(a, 0.1)),
        Mistake("0.01 is the slowest converging rate; you may have taken the max of the step counts instead of "
                "the min", answer=0.01, match=lambda a: _is_number(a, 0.01)),
        Mistake("close, but 0.07 needs about 25 more steps than the fastest candidate", answer=0.07,
                match=lambda a: _is_number(a, 0.07)),
    ],
    hints=["steps_to_converge(lr) should count steps until loss < tol and return None if it never gets there.",
           "Collect {lr: steps} for the ten candidates, drop the None ones, and take the lr with the fewest steps."],
    solution=("def steps_to_converge(lr, tol=1e-6, max_steps=3000):\n"
              "    a = torch.tensor([1.0], requires_grad=True)\n"
              "    b = torch.tensor([1.0], requires_grad=True)\n"
              "    for step in range(max_steps):\n"
              "        loss = ((a * x + b - y) ** 2).mean()\n"
              "        if loss.item() < tol:\n"
              "            return step\n"
              "        loss.backward()\n"
              "        with torch.no_grad():\n"
              "            a -= lr * a.grad\n"
              "            b -= lr * b.grad\n"
              "        a.grad.zero_()\n"
              "        b.grad.zero_()\n"
              "    return None                     # did not converge\n\n"
              "results = {lr: steps_to_converge(lr) for lr in candidates}\n"
              "fastest_lr = min((s, lr) for lr, s in results.items() if s is not None)[1]   # 0.08"),
)

# --- 4.4 ------------------------------------------------------------------------------------------
_LIMIT = round(2 / LAM_MAX, 4)

EX_4_4 = Exercise(
    id="4.4",
    title="The stability limit",
    prompt="Largest learning rate for which gradient descent converges, to 4 decimals.",
    reference=_LIMIT,
    check=lambda a, r: (True, f"lr < 2 / lambda_max = 2 / {LAM_MAX:.4f} = {r}") if _is_number(a, r, 6e-5)
    else (False, f"{shown(a)} is not the limit"),
    mistakes=[
        Mistake("the steep direction decides stability: use the LARGEST eigenvalue, 2 / lambda_max",
                answer=round(2 / LAM_MIN, 4), match=lambda a: _is_number(a, 2 / LAM_MIN, 1e-3)),
        Mistake("the error along the steep direction is multiplied by (1 - lr * lambda_max); it shrinks while "
                "that factor is between -1 and 1, so lr < 2 / lambda_max, not 1 / lambda_max",
                answer=round(1 / LAM_MAX, 4), match=lambda a: _is_number(a, 1 / LAM_MAX, 1e-3)),
        Mistake("2 / (lambda_max + lambda_min) is the rate with the best worst-case convergence factor, not the "
                "largest stable one", answer=round(2 / (LAM_MAX + LAM_MIN), 4),
                match=lambda a: _is_number(a, 2 / (LAM_MAX + LAM_MIN), 1e-4)),
    ],
    hints=["Gradient descent multiplies the error along an eigenvector by (1 - lr * lambda).",
           "It converges when |1 - lr * lambda| < 1 for every eigenvalue; the largest one is the binding one."],
    solution="max_stable_lr = round(2 / lam_max, 4)   # 0.0845",
)

# --- 4.5 ------------------------------------------------------------------------------------------
_FIT_CASES = [(0.05, 100), (0.01, 30), (0.08, 7)]


def _ref_fit(lr, steps):
    return _gd(lr, steps)


def _check_fit(fn, reference):
    if not callable(fn):
        return False, "fit should be a function"
    for lr, steps in _FIT_CASES:
        try:
            got = fn(lr, steps)
            a, b = (float(v.item() if hasattr(v, "item") else v) for v in got)
        except Exception as e:
            return False, f"fit({lr}, {steps}) raised {type(e).__name__}: {e}"[:200]
        want = _gd(lr, steps)
        if abs(a - want[0]) > 1e-4 or abs(b - want[1]) > 1e-4:
            return False, f"fit({lr}, {steps}) gave a = {a:.4f}, b = {b:.4f}; expected a = {want[0]:.4f}, b = {want[1]:.4f}"
    return True, "the same numbers as document 002's loop"


def _fit_without_zero(lr, steps):
    return _gd(lr, steps, zero_grads=False)


def _fit_no_no_grad(lr, steps):
    x, y = _data()
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    for _ in range(steps):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        a -= lr * a.grad
        b -= lr * b.grad
    return a.item(), b.item()


def _fit_rebind(lr, steps):
    x, y = _data()
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    for _ in range(steps):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        a = a - lr * a.grad
        b = b - lr * b.grad
    return a.item(), b.item()


def _fit_matches(wrong):
    def match(fn):
        try:
            for lr, steps in _FIT_CASES:
                got = fn(lr, steps)
                a, b = (float(v.item() if hasattr(v, "item") else v) for v in got)
                w = wrong(lr, steps)
                if abs(a - w[0]) > 1e-4 or abs(b - w[1]) > 1e-4:
                    return False
            return True
        except Exception:
            return False
    return match


def _raises(fragment, exc=Exception):
    def match(fn):
        try:
            fn(*_FIT_CASES[0])
        except exc as e:
            return fragment in str(e)
        return False
    return match


EX_4_5 = Exercise(
    id="4.5",
    title="The training loop",
    prompt="fit(lr, steps) -> (a, b), document 002's loop.",
    reference=_ref_fit,
    check=_check_fit,
    mistakes=[
        Mistake("the gradients are never zeroed, so every backward() adds to the old ones and the steps grow: "
                "a.grad.zero_() and b.grad.zero_() after each update", answer=_fit_without_zero,
                match=_fit_matches(_fit_without_zero)),
        Mistake("updating a leaf that requires grad in place must happen inside `with torch.no_grad():`",
                answer=_fit_no_no_grad, match=_raises("leaf", RuntimeError)),
        Mistake("`a = a - lr * a.grad` makes a new, non-leaf tensor, whose .grad stays None: update in place "
                "(`a -= ...`) inside torch.no_grad()", answer=_fit_rebind,
                match=lambda fn: _raises("NoneType")(fn) or _raises("unsupported operand")(fn)),
    ],
    hints=["Five steps per iteration: forward, loss, backward, update under no_grad, zero the grads.",
           "Return a.item(), b.item() at the end."],
    solution=("def fit(lr, steps):\n"
              "    a = torch.tensor([1.0], requires_grad=True)\n"
              "    b = torch.tensor([1.0], requires_grad=True)\n"
              "    for _ in range(steps):\n"
              "        loss = ((a * x + b - y) ** 2).mean()\n"
              "        loss.backward()\n"
              "        with torch.no_grad():\n"
              "            a -= lr * a.grad\n"
              "            b -= lr * b.grad\n"
              "            a.grad.zero_()\n"
              "            b.grad.zero_()\n"
              "    return a.item(), b.item()"),
)


# --- 4.6 ------------------------------------------------------------------------------------------
def _ref_train_step(model, optimizer, criterion, inputs, targets):
    optimizer.zero_grad()
    loss = criterion(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def _run_steps(fn, n=3):
    x, y = _data()
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(1.0)
        model.bias.fill_(1.0)
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    losses = [fn(model, optimizer, nn.MSELoss(), x.unsqueeze(1), y.unsqueeze(1)) for _ in range(n)]
    return model.weight.item(), model.bias.item(), losses


def _check_train_step(fn, reference):
    if not callable(fn):
        return False, "train_step should be a function"
    a, b, losses = _run_steps(fn)
    want_a, want_b, want_losses = _run_steps(_ref_train_step)
    if any(not isinstance(v, (int, float)) for v in losses):
        return False, "return the loss as a Python float: loss.item()"
    if abs(a - want_a) > 1e-5 or abs(b - want_b) > 1e-5:
        return False, f"after 3 steps a = {a:.4f}, b = {b:.4f}; expected a = {want_a:.4f}, b = {want_b:.4f}"
    if any(abs(l - w) > 1e-5 for l, w in zip(losses, want_losses)):
        return False, "the parameters are right, but the returned losses are not the losses of these steps"
    return True, "zero_grad, forward, loss, backward, step: the canonical order"


def _step_no_zero(model, optimizer, criterion, inputs, targets):
    loss = criterion(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def _step_zero_late(model, optimizer, criterion, inputs, targets):
    loss = criterion(model(inputs), targets)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def _step_returns_tensor(model, optimizer, criterion, inputs, targets):
    optimizer.zero_grad()
    loss = criterion(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss


def _steps_like(wrong):
    want = _run_steps(wrong)[:2]

    def match(fn):
        try:
            got = _run_steps(fn)[:2]
        except Exception:
            return False
        return all(abs(g - w) < 1e-5 for g, w in zip(got, want))
    return match


EX_4_6 = Exercise(
    id="4.6",
    title="One optimizer step",
    prompt="train_step(model, optimizer, criterion, inputs, targets) -> loss (float)",
    reference=_ref_train_step,
    check=_check_train_step,
    mistakes=[
        Mistake("the parameters never move: zero_grad() between backward() and step() throws the fresh gradients "
                "away (or step() is missing). Order: zero_grad, forward, loss, backward, step",
                answer=_step_zero_late, match=_steps_like(_step_zero_late)),
        Mistake("without optimizer.zero_grad() the gradients of all previous steps add up; call it at the start "
                "of each step", answer=_step_no_zero, match=_steps_like(_step_no_zero)),
        Mistake("return the loss as a Python float: loss.item() (a tensor would also keep its graph alive)",
                answer=_step_returns_tensor,
                match=lambda fn: any(hasattr(v, "backward") for v in _run_steps(fn, 1)[2])),
    ],
    hints=["optimizer.zero_grad(), then the forward pass and the loss, then loss.backward(), then optimizer.step().",
           "criterion(model(inputs), targets) is the loss; return loss.item()."],
    solution=("def train_step(model, optimizer, criterion, inputs, targets):\n"
              "    optimizer.zero_grad()\n"
              "    loss = criterion(model(inputs), targets)\n"
              "    loss.backward()\n"
              "    optimizer.step()\n"
              "    return loss.item()"),
)


# --- 4.7 ------------------------------------------------------------------------------------------
def _letter(answer):
    return answer.strip().lower() if isinstance(answer, str) else None


EX_4_7 = Exercise(
    id="4.7",
    title="What Adam does",
    prompt="Which statement about Adam is true?",
    reference="b",
    check=lambda a, r: (True, "Adam: running averages of g and g^2 (first and second moments), step = lr * m / "
                              "(sqrt(v) + eps) with bias corrections") if _letter(a) == "b"
    else (False, "answer 'a', 'b' or 'c'" if _letter(a) not in ("a", "c") else "not that one"),
    mistakes=[
        Mistake("that is document 000's claim, and it is false: Adam uses only first derivatives (the gradient "
                "and its square), never the Hessian", answer="a", match=lambda a: _letter(a) == "a"),
        Mistake("Adam has a learning rate (default 0.001); it scales each parameter's step, it does not replace it",
                answer="c", match=lambda a: _letter(a) == "c"),
    ],
    hints=["The 'second moment' in Adam is the running mean of the squared gradient."],
    solution='adam_statement = "b"',
)

EXERCISES = [EX_4_1, EX_4_2, EX_4_3, EX_4_4, EX_4_5, EX_4_6, EX_4_7]
check, hint, solution = notebook_helpers(EXERCISES)
