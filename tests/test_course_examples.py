"""Every tensor and autograd example of the course documents prints what PyTorch prints.

Each snippet runs twice, once with ``torch`` bound to real PyTorch and once to learntorch, from the
same seed; their printed output must be identical, character for character.  Where PyTorch prints
uninitialised memory (``torch.empty``, ``torch.Tensor(2, 3)``) the snippet prints shape and dtype;
``<MulBackward0 object at 0x7f...>`` is compared without the address, which learntorch leaves out.
"""
import contextlib
import io
import re
import textwrap

import pytest

import learntorch

SNIPPETS = {
    # --- document 001: core concepts -----------------------------------------------------------
    "001 empty": """
        x = torch.empty(5, 3)
        print(x.shape, x.dtype)
    """,
    "001 rand": """
        x = torch.rand(5, 3)
        print(x)
    """,
    "001 zeros long": """
        x = torch.zeros(5, 3, dtype=torch.long)
        print(x)
    """,
    "001 tensor": """
        x = torch.tensor([5.5, 3])
        print(x)
    """,
    "001 autograd": """
        x = torch.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        out = z.mean()
        print(out)
        out.backward()
        print(x.grad)
        print(y)
        print(z)
    """,
    "001 randn data": """
        data = torch.randn(100, 10)
        labels = torch.randint(0, 2, (100,))
        print(data[:2], labels[:10])
    """,
    # --- document 002: tensors -------------------------------------------------------------------
    "002 dimensions": """
        for t in [torch.tensor(5), torch.tensor([1, 2, 3]), torch.tensor([[1, 2], [3, 4]])]:
            print(t, t.shape, t.dim(), t.dtype)
    """,
    "002 dtypes": """
        print(torch.tensor([1, 2, 3]).dtype, torch.tensor([1.0, 2.0], dtype=torch.float32))
        for dt in [torch.float32, torch.float64, torch.float16, torch.int32, torch.int64, torch.bool]:
            print(dt, torch.ones(2, dtype=dt), torch.ones(2, dtype=dt).element_size())
    """,
    "002 Tensor vs tensor": """
        a = torch.Tensor(2, 3)
        print(a.shape, a.dtype, a.type())
        b = torch.IntTensor(2, 3)
        print(b.shape, b.dtype, b.type())
        print(torch.Tensor([1, 2, 3]), torch.tensor([1, 2, 3]))
        print(torch.IntTensor([1, 2]), torch.FloatTensor([1, 2]), torch.LongTensor([1, 2]))
        c = torch.tensor([1.0, 2.0])
        d = torch.tensor(c.tolist(), dtype=torch.float64, device='cpu')
        print(d)
    """,
    "002 ranges": """
        print(torch.arange(0, 10, 2))
        print(torch.linspace(0, 1, 5))
        print(torch.arange(5), torch.arange(0, 1, 0.25))
    """,
    "002 random": """
        torch.manual_seed(42)
        print(torch.rand(2, 3))
        print(torch.randn(2, 3))
        print(torch.normal(0, 1, (2, 3)))
        torch.manual_seed(42)
        print(torch.rand(2, 3))
    """,
    "002 elementwise and in-place": """
        data = torch.tensor([[1, 2], [3, 4]])
        print(data.add(1), data.sub(1), data.mul(2), data.div(2), data.pow(2))
        data.add_(1)
        print(data)
        f = torch.tensor([[1.5, 2.5], [3.5, 4.5]])
        f.mul_(2)
        print(f, f.neg())
    """,
    "002 hadamard vs matmul": """
        a = torch.tensor([1, 2]); b = torch.tensor([3, 4])
        print(a * b, torch.mul(a, b))
        a = torch.tensor([[1, 2], [3, 4]]); b = torch.tensor([[5], [6]])
        print(a @ b, torch.matmul(a, b))
    """,
    "002 reshape view transpose permute squeeze": """
        data = torch.arange(12.).reshape(4, 3)
        print(data.reshape(2, 6))
        print(data.reshape(2, -1).shape)
        print(data.view(2, 6))
        print(torch.transpose(data, 0, 1))
        print(data.t().is_contiguous(), data.is_contiguous())
        img = torch.zeros(32, 32, 3)
        print(img.permute(2, 0, 1).shape, img.unsqueeze(0).shape, img.unsqueeze(0).squeeze().shape)
    """,
    "002 broadcasting": """
        a = torch.tensor([1, 2, 3]); b = torch.tensor([[4], [5]])
        print(a + b)
        print((torch.ones(2, 3) + torch.ones(3)).shape)
        try:
            torch.ones(2, 3) + torch.ones(2, 4)
        except RuntimeError as e:
            print("RuntimeError:", e)
    """,
    # --- document 002: autograd ------------------------------------------------------------------
    "002 graph": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x ** 2
        loss = y.sum()
        print(y, loss, x.is_leaf, y.is_leaf, loss.grad_fn)
        loss.backward()
        print(x.grad)
    """,
    "002 scalar, vector, several variables": """
        x = torch.tensor(1.0, requires_grad=True)
        y = x ** 2
        y.backward()
        print(x.grad)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        loss = (x ** 2).mean()
        loss.backward()
        print(x.grad)
        x1 = torch.tensor(5.0, requires_grad=True)
        x2 = torch.tensor(3.0, requires_grad=True)
        y = x1 ** 2 + 2 * x2 + 7
        y.backward()
        print(x1.grad, x2.grad, y)
    """,
    "002 no_grad, accumulation, zero_": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.no_grad():
            y = x ** 2
        print(y, y.requires_grad)
        for _ in range(2):
            (x ** 2).sum().backward()
        print(x.grad)
        x.grad.zero_()
        print(x.grad)
    """,
    "002 errors": """
        for fn in [lambda: torch.tensor([1, 2], requires_grad=True),
                   lambda: torch.tensor([1.0], requires_grad=True).sub_(1)]:
            try:
                fn()
            except RuntimeError as e:
                print("RuntimeError:", e)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        loss = (x ** 2).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        print(x.grad)
        try:
            loss.backward()
        except RuntimeError as e:
            print("RuntimeError:", str(e)[:60])
    """,
    "002 linear regression": """
        x = torch.tensor([1, 2, 3, 4, 5], dtype=torch.float32)
        y = torch.tensor([3, 5, 7, 9, 11], dtype=torch.float32)
        for lr in [0.01, 0.1, 0.05]:
            a = torch.tensor([1.0], requires_grad=True)
            b = torch.tensor([1.0], requires_grad=True)
            for i in range(500):
                y_pred = a * x + b
                loss = ((y_pred - y) ** 2).mean()
                loss.backward()
                with torch.no_grad():
                    a -= lr * a.grad
                    b -= lr * b.grad
                a.grad.zero_()
                b.grad.zero_()
            print(lr, a, b, loss)
    """,
}


def run(module, code):
    out = io.StringIO()
    module.manual_seed(0)
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(code), {"torch": module})
    return out.getvalue()


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_prints_what_pytorch_prints(name, torch):
    # learntorch prints graph nodes without a memory address (deterministic notebooks)
    theirs = re.sub(r" at 0x[0-9a-f]+>", ">", run(torch, SNIPPETS[name]))
    ours = run(learntorch, SNIPPETS[name])
    assert ours == theirs
