"""Autograd (自动求导): the engine, grad modes, hooks, Function, and their errors, against PyTorch."""
import gc
import tracemalloc
import warnings

import numpy as np
import pytest

import learntorch as lt
from learntorch.autograd import hooks
from parity import assert_same, same_error


# --- the course documents' examples ---------------------------------------------------------

def test_doc_example_grad_is_4_5(device, torch):
    x = lt.ones(2, 2, requires_grad=True, device=device)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    tx = torch.ones(2, 2, requires_grad=True)
    tout = ((tx + 2) * (tx + 2) * 3).mean()
    tout.backward()
    assert_same(x.grad, tx.grad)
    assert out.item() == 27.0
    assert np.all(x.grad.cpu().numpy() == 4.5)


def test_scalar_vector_and_several_variables():
    x = lt.tensor(1.0, requires_grad=True)
    (x ** 2).backward()
    assert x.grad.item() == 2.0
    v = lt.tensor([1.0, 2.0], requires_grad=True)
    (v ** 2).mean().backward()
    assert v.grad.tolist() == [1.0, 2.0]
    x1 = lt.tensor(5.0, requires_grad=True)
    x2 = lt.tensor(3.0, requires_grad=True)
    y = x1 ** 2 + 2 * x2 + 7
    y.backward()
    assert (x1.grad.item(), x2.grad.item()) == (10.0, 2.0)


def test_graph_names_match_torch(torch):
    x = lt.ones(2, 2, requires_grad=True)
    tx = torch.ones(2, 2, requires_grad=True)

    def names(node, depth=4):
        out = []
        stack = [(node, 0)]
        while stack:
            n, d = stack.pop(0)
            if n is None or d > depth:
                continue
            out.append(type(n).__name__ if not hasattr(n, "name") else n.name())
            stack.extend((m, d + 1) for m, _ in n.next_functions)
        return out

    ours = names(((x + 2) * (x + 2) * 3).mean().grad_fn)
    theirs = names(((tx + 2) * (tx + 2) * 3).mean().grad_fn)
    assert ours == theirs
    assert (x * 2).grad_fn.next_functions[1] == (None, 0)
    assert repr(x * 2).endswith("grad_fn=<MulBackward0>)")


# --- accumulation, zeroing, retain_graph -------------------------------------------------------

def test_gradients_accumulate_until_zeroed(device):
    w = lt.tensor([1.0, 2.0], requires_grad=True, device=device)
    for _ in range(3):
        (w * 3).sum().backward()
    assert w.grad.cpu().tolist() == [9.0, 9.0]
    w.grad.zero_()
    assert w.grad.cpu().tolist() == [0.0, 0.0]


def test_shared_grad_is_not_aliased():
    a = lt.tensor([1.0, 2.0], requires_grad=True)
    b = lt.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad.zero_()
    assert b.grad.tolist() == [1.0, 1.0]


def test_backward_twice_needs_retain_graph(torch):
    def ours():
        x = lt.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()

    def theirs():
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
    same_error(ours, theirs)
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_second_backward_allowed_when_nothing_was_saved(torch):
    # PyTorch only complains when a node needs freed tensors: x + 1 saves nothing.
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    ty = (tx + 1).sum()
    ty.backward()
    ty.backward()
    assert_same(x.grad, tx.grad)


# --- errors a learner meets ------------------------------------------------------------------

def test_inplace_on_leaf_errors(torch):
    same_error(lambda: lt.ones(3, requires_grad=True).add_(1), lambda: torch.ones(3, requires_grad=True).add_(1))
    same_error(lambda: lt.ones(3, requires_grad=True)[0].add_(1),
               lambda: torch.ones(3, requires_grad=True)[0].add_(1))

    def ours():
        a = lt.tensor([1.0], requires_grad=True)
        a -= 0.1 * a
    def theirs():
        a = torch.tensor([1.0], requires_grad=True)
        a -= 0.1 * a
    same_error(ours, theirs)


def test_inplace_update_under_no_grad_is_fine():
    a = lt.tensor([1.0], requires_grad=True)
    (a * 2).sum().backward()
    with lt.no_grad():
        a -= 0.1 * a.grad
    assert a.tolist() == pytest.approx([0.8])
    assert a.is_leaf and a.requires_grad and a.grad_fn is None


def test_integer_tensors_cannot_require_grad(torch):
    same_error(lambda: lt.tensor([1, 2], requires_grad=True), lambda: torch.tensor([1, 2], requires_grad=True))
    same_error(lambda: lt.ones(2, dtype=lt.long).requires_grad_(), lambda: torch.ones(2, dtype=torch.long).requires_grad_())

    def ours():
        a = lt.ones(2, dtype=lt.long)
        a.requires_grad = True

    def theirs():
        a = torch.ones(2, dtype=torch.long)
        a.requires_grad = True
    same_error(ours, theirs)
    same_error(lambda: lt.zeros(2, dtype=lt.long, requires_grad=True),
               lambda: torch.zeros(2, dtype=torch.long, requires_grad=True))


def test_backward_errors(torch):
    same_error(lambda: (lt.ones(3, requires_grad=True) * 2).backward(),
               lambda: (torch.ones(3, requires_grad=True) * 2).backward())
    same_error(lambda: lt.ones(2).sum().backward(), lambda: torch.ones(2).sum().backward())
    same_error(lambda: lt.autograd.grad(lt.ones(2, requires_grad=True).sum(), lt.ones(2)),
               lambda: torch.autograd.grad(torch.ones(2, requires_grad=True).sum(), torch.ones(2)))


def test_modified_inplace_error_matches_torch(torch):
    def ours():
        a = lt.ones(3, requires_grad=True)
        b = a * 2
        c = b * b
        b.add_(1)
        c.sum().backward()

    def theirs():
        a = torch.ones(3, requires_grad=True)
        b = a * 2
        c = b * b
        b.add_(1)
        c.sum().backward()
    same_error(ours, theirs)


def test_inplace_change_of_unsaved_input_is_fine(torch):
    # exp saves its output, not its input: changing the input afterwards is allowed.
    a = lt.ones(3, requires_grad=True)
    b = a * 2
    c = b.exp()
    b.add_(1)
    c.sum().backward()
    assert a.grad.tolist() == pytest.approx([2 * np.exp(2.0)] * 3)


def test_non_leaf_grad_warning(torch):
    x = lt.ones(2, requires_grad=True)
    y = x * 2
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        assert y.grad is None
    tx = torch.ones(2, requires_grad=True)
    ty = tx * 2
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        ty.grad
    assert str(ours[0].message) == str(theirs[0].message).split(" (Triggered internally")[0]
    assert ours[0].category is UserWarning


# --- grad modes -------------------------------------------------------------------------------

def test_grad_modes_as_context_and_decorator():
    x = lt.ones(2, requires_grad=True)
    with lt.no_grad():
        assert not (x * 2).requires_grad
        with lt.enable_grad():
            assert (x * 2).requires_grad
    with lt.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    with lt.inference_mode():
        assert not (x * 2).requires_grad
        assert lt.is_inference_mode_enabled()

    @lt.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert lt.is_grad_enabled()
    lt.set_grad_enabled(False)
    assert not lt.is_grad_enabled()
    lt.set_grad_enabled(True)
    assert lt.is_grad_enabled()


# --- detach, retain_grad, hooks ---------------------------------------------------------------

def test_detach_shares_data_and_leaves_graph():
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert d.is_leaf and not d.requires_grad
    y = x * 1
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad


def test_retain_grad_and_hooks(torch):
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()))
    h = x.register_hook(lambda g: g * 10)
    (y * y).sum().backward()
    assert y.grad.tolist() == [6.0, 12.0]
    assert seen == [[6.0, 12.0]]
    assert x.grad.tolist() == [180.0, 360.0]
    h.remove()
    x.grad = None
    (x * 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_backward_with_gradient_argument(torch):
    x = lt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(gradient=lt.tensor([1.0, 0.1, 0.01]))
    tx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (tx * tx).backward(gradient=torch.tensor([1.0, 0.1, 0.01]))
    assert_same(x.grad, tx.grad)


# --- autograd.grad and higher order -----------------------------------------------------------

def test_autograd_grad_and_create_graph(device):
    x = lt.tensor([1.0, 2.0], requires_grad=True, device=device)
    y = (x ** 3).sum()
    g, = lt.autograd.grad(y, x, create_graph=True)
    assert g.cpu().tolist() == [3.0, 12.0]
    assert x.grad is None
    g2, = lt.autograd.grad(g.sum(), x)
    assert g2.cpu().tolist() == [6.0, 12.0]


def test_autograd_grad_unused_input():
    x = lt.tensor(1.0, requires_grad=True)
    z = lt.tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        lt.autograd.grad(x * 2, [x, z])
    gx, gz = lt.autograd.grad(x * 2, [x, z], allow_unused=True)
    assert gx.item() == 2.0 and gz is None


def test_backward_inputs_argument():
    a = lt.tensor(1.0, requires_grad=True)
    b = lt.tensor(2.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 2.0 and b.grad is None


# --- custom Function --------------------------------------------------------------------------

class Cube(lt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 3 * x ** 2


def test_custom_function(torch):
    x = lt.tensor([1.0, 2.0], dtype=lt.float64, requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    assert y.grad_fn.needs_input_grad == (True,)
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 12.0]
    assert lt.autograd.gradcheck(Cube.apply, (x,))
    assert lt.autograd.gradgradcheck(Cube.apply, (x,))


def test_custom_function_wrong_number_of_grads():
    class Bad(lt.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = lt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        Bad.apply(a, a).sum().backward()


def test_gradcheck_catches_a_wrong_backward():
    class WrongSquare(lt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * x  # should be 2x

    x = lt.tensor([1.0, 2.0], dtype=lt.float64, requires_grad=True)
    assert not lt.autograd.gradcheck(WrongSquare.apply, (x,), raise_exception=False)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        lt.autograd.gradcheck(WrongSquare.apply, (x,))


# --- the engine at scale ------------------------------------------------------------------------

def test_deep_chain_has_no_recursion_limit():
    x = lt.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.sum().backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 10_000, rel=1e-3)


def test_memory_stays_flat_over_iterations():
    w = lt.randn(50, 50, requires_grad=True)
    x = lt.randn(8, 50)

    def step():
        loss = ((x @ w).relu() ** 2).mean()
        loss.backward()
        w.grad = None

    for _ in range(50):
        step()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        step()
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert grown < 200_000, f"memory grew by {grown} bytes over 1000 iterations"


def test_engine_hooks_report_nodes_and_steps():
    created, steps = [], []
    x = lt.tensor([1.0, 2.0], requires_grad=True)
    with hooks.listen(node_created=lambda n, outs: created.append(n.name()),
                      backward_step=lambda n, go, gi: steps.append(n.name())):
        y = x ** 2
        loss = y.sum()
        loss.backward()
    assert created == ["PowBackward0", "SumBackward0"]
    assert steps == ["SumBackward0", "PowBackward0"]
    assert hooks.node_created == [] and hooks.backward_step == []


def test_gradients_never_alias_other_tensors():
    # the engine keeps a freshly computed gradient as .grad without copying only when nothing
    # else can see its memory; each case below would corrupt a gradient if that went wrong
    x = lt.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (x.t() * 1 + x).sum().backward()
    assert x.grad.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    g = lt.tensor([1.0, 1.0])
    w = lt.tensor([1.0, 2.0], requires_grad=True)
    w.backward(gradient=g)
    w.grad.zero_()
    assert g.tolist() == [1.0, 1.0]          # the caller's gradient was copied, not adopted
    seen = []
    v = lt.tensor([1.0, 2.0], requires_grad=True)
    v.register_hook(lambda grad: seen.append(grad))
    (v * 3).sum().backward()
    v.grad.zero_()
    assert seen[0].tolist() == [3.0, 3.0]    # what the hook saw stays as it was
    a = lt.tensor([1.0, 2.0], requires_grad=True)
    b = lt.tensor([3.0, 4.0], requires_grad=True)
    (a * 2 + b * 2).sum().backward()
    a.grad.zero_()
    assert b.grad.tolist() == [2.0, 2.0]


def test_hooks_fire_in_torchs_order(torch):
    """The engine runs a leaf's AccumulateGrad as soon as its gradient is complete (PyTorch gives it
    the highest priority), then the most recent node: tensor hooks fire in the same order as torch's."""
    def run(m):
        log = []
        w1, w2 = m.ones(2, requires_grad=True), m.ones(2, requires_grad=True)
        w1.register_hook(lambda g: log.append("w1"))
        w2.register_hook(lambda g: log.append("w2"))
        a, b = w1 * 2, w2 * 3
        a.register_hook(lambda g: log.append("a"))
        c = b * 4
        c.register_hook(lambda g: log.append("c"))
        b.register_hook(lambda g: log.append("b"))
        d = (a * w2).sum() + c.sum() + (w1 * b).sum()     # leaves reached from several nodes
        d.register_hook(lambda g: log.append("d"))
        d.backward()
        return log, w1.grad.tolist(), w2.grad.tolist()
    ours, theirs = run(lt), run(torch)
    assert ours == theirs


def test_gradcheck_on_non_contiguous_inputs_and_every_device(device):
    """gradcheck perturbs each input element in place: a transposed (non-contiguous) input and a
    cuda input must be perturbed too, or every numerical derivative would be zero."""
    a = np.random.default_rng(3).random((3, 2))
    x = lt.tensor(a.T, requires_grad=True)            # float64, column-major memory
    assert not x.is_contiguous()
    assert lt.autograd.gradcheck(lambda p: p.exp() * p, (x,))
    y = lt.tensor(a, dtype=lt.float64, device=device, requires_grad=True)
    assert lt.autograd.gradcheck(lambda p: (p ** 3).sum(1), (y,))
    assert lt.autograd.gradgradcheck(lambda p: p.exp() * p, (y,))
    wrong = lt.autograd.gradcheck(lambda p: _WrongGrad.apply(p), (lt.tensor(a.T, requires_grad=True),),
                                  raise_exception=False)
    assert wrong is False                             # and a wrong backward is still caught there


class _WrongGrad(lt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3
