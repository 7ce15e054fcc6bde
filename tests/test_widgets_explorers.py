"""Explorers: the learning-rate story of the linear regression, broadcasting pictures, the MNIST viewer."""
import math

import numpy as np
import pytest

import learntorch as lt
from widgets import BroadcastExplorer, LearningRateExplorer, MnistViewer
from widgets.explorers import broadcast_info, gradient_descent, parse_shape

PNG = b"\x89PNG\r\n\x1a\n"


# --- learning rate -----------------------------------------------------------------------------
def numpy_descent(lr, steps):
    """The same loop written out by hand in float64 (an independent check of the learntorch run)."""
    x = np.arange(1.0, 6.0)
    y = 2 * x + 1
    a = b = 1.0
    for _ in range(steps):
        e = a * x + b - y
        a, b = a - lr * np.mean(2 * e * x), b - lr * np.mean(2 * e)
    return a, b


@pytest.mark.parametrize("lr", [0.01, 0.05, 0.1])
def test_descent_matches_a_hand_written_loop(lr):
    h = gradient_descent(lr, 30)
    a, b = numpy_descent(lr, 30)
    assert h["a"][-1] == pytest.approx(a, rel=1e-4)
    assert h["b"][-1] == pytest.approx(b, rel=1e-4)
    assert len(h["a"]) == len(h["loss"]) == 31


def test_descent_matches_real_pytorch(torch):
    x = torch.tensor([1, 2, 3, 4, 5], dtype=torch.float32)
    y = torch.tensor([3, 5, 7, 9, 11], dtype=torch.float32)
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)
    for _ in range(200):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a -= 0.05 * a.grad
            b -= 0.05 * b.grad
        a.grad.zero_()
        b.grad.zero_()
    h = gradient_descent(0.05, 200)
    assert h["a"][-1] == pytest.approx(a.item(), rel=1e-5)
    assert h["b"][-1] == pytest.approx(b.item(), rel=1e-5)


def test_the_documents_learning_rate_story():
    slow = LearningRateExplorer(lr=0.01, steps=500)
    good = LearningRateExplorer(lr=0.05, steps=500)
    bad = LearningRateExplorer(lr=0.1, steps=500)
    assert good.state == "converged" and good.loss < 1e-8
    assert good.a == pytest.approx(2.0, abs=1e-3) and good.b == pytest.approx(1.0, abs=1e-3)
    assert bad.state == "diverged" and not math.isfinite(bad.loss)
    assert bad.history["loss"][10] > bad.history["loss"][0] * 100
    # lr=0.01 is still on its way after 500 steps: a~1.98, b~1.05, as the chapter reports
    assert slow.state == "converging"
    assert round(slow.a, 2) == 1.99 and round(slow.b, 2) == 1.05
    assert repr(slow) == ("LearningRateExplorer: lr=0.01, 500 steps -> a=1.987, b=1.047, loss=0.0004074 "
                          "(converging; best fit a=2, b=1)")
    assert repr(bad).endswith("loss=inf (diverged; best fit a=2, b=1)")


def test_lr_explorer_widget_and_static_picture():
    ex = LearningRateExplorer(lr=0.05, steps=20)
    box = ex.widget
    (lr, steps), info, image = box.children[0].children, box.children[1], box.children[2]
    first = bytes(image.value)
    assert first.startswith(PNG) and "lr=0.05, 20 steps" in info.value
    lr.value = 0.1
    assert ex.lr == 0.1 and ex.state == "diverged" and "diverged" in info.value
    steps.value = 5
    assert ex.steps == 5 and len(ex.history["a"]) == 6
    assert bytes(image.value) != first
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"] == repr(ex) and "image/png" in bundle


# --- broadcasting --------------------------------------------------------------------------------------
PAIRS = [((3, 1), (4,)), ((2, 3), (4,)), ((5, 1, 4), (3, 1)), ((), (2, 2)), ((2, 1), (2, 0)), ((3,), (3,)),
         ((4, 3, 2), (3, 1, 2)), ((1,), (7, 1))]


@pytest.mark.parametrize("a,b", PAIRS)
def test_broadcast_result_or_error_is_pytorchs(torch, a, b):
    info = broadcast_info(a, b)
    try:
        want = tuple((torch.zeros(a) + torch.zeros(b)).shape)
        err = None
    except RuntimeError as e:
        want, err = None, str(e)
    assert info["result"] == want
    assert info["error"] == err
    ex = BroadcastExplorer(a, b)
    assert ex.result == want
    if err:
        assert ex.text().endswith("RuntimeError: " + err)
        assert "\u2718" in ex.to_svg()


def test_broadcast_text_and_picture():
    ex = BroadcastExplorer("3, 1", "(4,)")
    assert repr(ex) == ("BroadcastExplorer: a (3, 1) with b (4,)\n"
                        "  a:          3     1\n"
                        "  b:          .     4\n"
                        "  result:     3     4\n"
                        "  per dim: stretch b, stretch a\n"
                        "  result shape: torch.Size([3, 4])")
    svg = ex.to_svg()
    assert "1\u21924" in svg and "(1)\u21923" not in svg and "1\u21923" in svg
    assert "result: torch.Size([3, 4])" in svg
    assert ex.to_svg() == BroadcastExplorer((3, 1), (4,)).to_svg()
    assert ex._repr_mimebundle_() == {"text/plain": repr(ex), "image/svg+xml": svg}   # no front end here


def test_parse_shape_forms_and_bad_input():
    assert parse_shape("2, 3") == parse_shape("(2,3)") == parse_shape("[2, 3]") == (2, 3)
    assert parse_shape("torch.Size([2, 3])") == (2, 3)
    assert parse_shape("") == () and parse_shape(lt.zeros(4, 1)) == (4, 1)
    ex = BroadcastExplorer("3, x", "4")
    assert ex.result is None and ex.error == "could not read a shape from '3, x': write sizes like 3, 1"
    assert repr(ex) == "BroadcastExplorer: could not read a shape from '3, x': write sizes like 3, 1"
    assert ex.to_svg().startswith("<svg")


def test_broadcast_widget_updates():
    ex = BroadcastExplorer((3, 1), (4,))
    a_text, b_text = ex.widget.children[0].children
    picture = ex.widget.children[1]
    assert a_text.value == "3, 1" and "torch.Size([3, 4])" in picture.value
    b_text.value = "2, 4"
    assert ex.result is None and "must match" in picture.value
    a_text.value = "oops"
    assert "could not read a shape" in picture.value and a_text.value == "oops"


# --- MNIST viewer ---------------------------------------------------------------------------------------
def small_set():
    lt.manual_seed(0)
    images = lt.rand(40, 1, 28, 28)
    labels = lt.tensor([i % 10 for i in range(40)])
    pred = labels.clone()
    pred[3] = 5            # a 3 read as 5
    pred[13] = 5           # again
    pred[7] = 1
    return images, labels, pred


def test_mnist_viewer_counts():
    images, labels, pred = small_set()
    v = MnistViewer(images, labels, pred)
    assert v.accuracy == pytest.approx(37 / 40)
    assert v.misclassified.tolist() == [3, 7, 13]
    m = v.confusion
    assert m.sum() == 40 and m[3, 5] == 2 and m[7, 1] == 1 and m[0, 0] == 4
    assert v.most_confused() == [("3", "5", 2), ("7", "1", 1)]
    assert repr(v) == ("MnistViewer: 40 images, accuracy 92.50% (37/40); "
                       "most confused (true->predicted): 3->5 x2, 7->1 x1")


def test_mnist_viewer_takes_scores_and_flat_images():
    images, labels, pred = small_set()
    scores = lt.zeros(40, 10)
    for i, p in enumerate(pred.tolist()):
        scores[i, p] = 1.0
    v = MnistViewer(images.reshape(40, 784), labels, scores)
    assert v.images.shape == (40, 28, 28)
    assert v.misclassified.tolist() == [3, 7, 13]
    assert MnistViewer(images, labels).text() == "MnistViewer: 40 images (no predictions)"


def test_mnist_viewer_pictures_and_widget():
    images, labels, pred = small_set()
    v = MnistViewer(images, labels, pred, per_page=16)
    for view in ("samples", "confusion", "misclassified"):
        assert v.render(view).startswith(PNG)
    which, page, info, image = v.widget.children
    assert which.options == ("samples", "confusion", "misclassified") and page.max == 2
    first = bytes(image.value)
    which.value = "misclassified"
    assert page.max == 0 and bytes(image.value) != first
    which.value = "confusion"
    assert page.layout.display == "none"
    assert "92.50%" in info.value
    bundle = v._repr_mimebundle_()
    assert bundle["text/plain"] == repr(v) and set(bundle) == {"text/plain", "image/png"}
