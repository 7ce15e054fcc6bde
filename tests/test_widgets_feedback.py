"""Exercise feedback: specific messages, known mistakes, hints, solution, never raising, the registry."""
import numpy as np
import pytest

import learntorch as torch
from widgets import Exercise, Feedback, Mistake, check, same, same_function
from widgets import exercises as registry


def zeros_exercise():
    return Exercise(
        id="test.zeros",
        prompt="Make a float tensor of zeros with 2 rows and 3 columns.",
        reference=torch.zeros(2, 3),
        mistakes=[Mistake(answer=torch.zeros(3, 2), feedback="Rows come first: (2, 3) is 2 rows of 3."),
                  Mistake(answer=torch.zeros(2, 3, dtype=torch.int64),
                          feedback="torch.zeros gives floats unless you ask for dtype=torch.long: "
                                   "drop the dtype.")],
        hints=["Look at torch.zeros.", "torch.zeros(rows, columns)"],
        solution="torch.zeros(2, 3)",
    )


def test_same_says_what_differs():
    assert same(torch.zeros(2, 3), torch.zeros(2, 3)) == (True, "the values match")
    assert same([0, 0], torch.zeros(2)) == (False, "expected a tensor, got a list")
    assert same(torch.zeros(3, 2), torch.zeros(2, 3)) == (False, "the shape is (3, 2) but should be (2, 3)")
    assert same(torch.zeros(2, dtype=torch.int64), torch.zeros(2)) == (
        False, "the dtype is torch.int64 but should be torch.float32")
    ok, msg = same(torch.tensor([[1.0, 2.0], [3.0, 5.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert (ok, msg) == (False, "1 of 4 values differ (first at index (1, 1): 5 instead of 4)")
    assert same(torch.tensor([1.0 + 1e-7]), torch.tensor([1.0]))[0]
    assert same(3.0000001, 3) == (True, "the number matches")
    assert same(torch.tensor(2.5), 2.5)[0]
    assert same("3", 3) == (False, "expected a number, got a str")
    assert same((2, 3), (2, 3)) == (True, "all items match")
    assert same((3, 2), (2, 3)) == (False, "item 0: got 3, expected 2")
    assert same([1, 2], (1, 2, 3)) == (False, "expected 3 items, got 2")
    assert same(True, True)[0] and not same(1, True)[0]
    assert same(np.arange(3), np.arange(3))[0]
    assert same("hello", "hello") == (True, "right")


def test_same_function_calls_the_learners_code():
    relu = lambda t: t.relu()   # noqa: E731
    inputs = [torch.tensor([-1.0, 2.0]), (torch.tensor([[0.5, -3.0]]),)]
    assert same_function(lambda t: t.clamp(min=0) if hasattr(t, "clamp") else t.relu(), relu, inputs)[0]
    ok, msg = same_function(lambda t: t.abs(), relu, inputs)
    assert not ok and msg == ("for input a tensor of shape (2,): 1 of 2 values differ "
                              "(first at index 0: 1 instead of 0)")
    ok, msg = same_function(lambda t: t.nope(), relu, inputs)
    assert not ok and msg == "calling it raised AttributeError: 'Tensor' object has no attribute 'nope'"
    assert same_function(42, relu, inputs) == (False, "expected a function, got a number")


def test_pass_fail_blank_and_targeted_feedback():
    ex = zeros_exercise()
    assert check(ex, ...).text() == ("\u25cb not attempted yet: replace the ... with your answer, then run "
                                     "the cell again [test.zeros]")
    assert check(ex).status == "blank" and check(ex, None).status == "blank"
    fb = check(ex, torch.zeros(2, 3))
    assert fb.passed and bool(fb) and fb.text() == "\u2714 correct: the values match [test.zeros]"
    fb = check(ex, torch.zeros(3, 2))
    assert not fb and fb.text() == "\u2718 not yet: Rows come first: (2, 3) is 2 rows of 3. [test.zeros]"
    assert check(ex, torch.zeros(2, 3, dtype=torch.int64)).message.startswith("torch.zeros gives floats")
    assert check(ex, torch.ones(2, 3)).message == "6 of 6 values differ (first at index (0, 0): 1 instead of 0)"
    assert ex.self_test() == []


def test_check_never_raises():
    def broken(answer, ref):
        raise ZeroDivisionError("boom at 0x7f00deadbeef")

    ex = Exercise(id="test.broken", prompt="", reference=1, check=broken)
    fb = check(ex, 1)
    assert fb.status == "error" and fb.text() == ("\u2718 could not check: checking your answer raised "
                                                  "ZeroDivisionError: boom [test.broken]")
    assert check("no-such-exercise", 1).text() == "\u2718 could not check: there is no exercise 'no-such-exercise'"
    assert check(None, 1).status == "error"
    weird = Exercise(id="test.weird", prompt="", reference=1, check=lambda a, r: None)   # returns garbage
    assert check(weird, 1).status == "error"
    bad_mistake = Exercise(id="test.m", prompt="", reference=1,
                           mistakes=[Mistake(feedback="x", match=lambda a: 1 / 0)])
    assert check(bad_mistake, 2).text() == "\u2718 not yet: got 2, expected 1 [test.m]"


def test_mistake_recognised_even_when_the_check_raises():
    ex = Exercise(id="test.fn", prompt="", reference=4, check=lambda a, r: same(a(), r),
                  mistakes=[Mistake(feedback="Call it with no arguments: return a number, not a string.",
                                    match=lambda a: isinstance(a, str))])
    assert check(ex, lambda: 4).passed
    assert check(ex, "4").message == "Call it with no arguments: return a number, not a string."


def test_self_test_finds_bad_specs():
    ex = Exercise(id="test.bad", prompt="", reference=2,
                  mistakes=[Mistake(answer=2, feedback="same as the reference"),
                            Mistake(answer=3, feedback="never shown", match=lambda a: False)])
    assert ex.self_test() == ["test.bad: mistake 0 is accepted as correct",
                              "test.bad: mistake 1 gets 'got 3, expected 2' instead of its own feedback"]
    wrong_ref = Exercise(id="test.ref", prompt="", reference=2, check=lambda a, r: (False, "no"))
    assert wrong_ref.self_test()[0] == "test.ref: the reference does not pass (\u2718 not yet: no [test.ref])"


def test_progressive_hints_then_solution():
    ex = zeros_exercise()
    fb = check(ex, torch.ones(2, 3))
    assert fb.hint() == "hint 1/2: Look at torch.zeros."
    assert fb.hint() == "hint 2/2: torch.zeros(rows, columns)"
    assert fb.hint() == "no more hints (2 shown); show_solution() gives the solution"
    assert fb.show_solution() == "torch.zeros(2, 3)"
    assert check(Exercise(id="t", prompt="", reference=1), 2).hint() == "no hints for this exercise"


def test_widget_buttons_reveal_hints_and_solution():
    ex = zeros_exercise()
    fb = check(ex, torch.ones(2, 3))
    box = fb.widget
    badge, buttons, hints, solution = box.children
    hint_button, solution_button = buttons.children
    assert "\u2718 not yet" in badge.value and hint_button.description == "Hint (2 left)"
    hint_button.click()
    assert "hint 1/2:" in hints.value and "hint 2/2" not in hints.value
    hint_button.click()
    assert "hint 2/2:" in hints.value and hint_button.disabled
    assert solution.value == ""
    solution_button.click()
    assert "torch.zeros(2, 3)" in solution.value
    passed = check(zeros_exercise(), torch.zeros(2, 3)).widget
    assert [b.description for b in passed.children[1].children] == ["Solution"]   # no hints once right


def test_plain_and_html_forms_are_deterministic():
    a = check(zeros_exercise(), torch.zeros(3, 2))._repr_mimebundle_()
    b = check(zeros_exercise(), torch.zeros(3, 2))._repr_mimebundle_()
    assert a == b and set(a) == {"text/plain", "text/html"}
    assert a["text/html"].startswith("<div") and "Rows come first" in a["text/html"]
    assert isinstance(check(zeros_exercise(), 1), Feedback)


def test_registry(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    monkeypatch.setattr(registry, "_loaded", True)
    ex = zeros_exercise()
    registry.register(ex)
    registry.register(ex)                                   # the same spec again is fine
    with pytest.raises(ValueError, match="duplicate exercise id 'test.zeros'"):
        registry.register(zeros_exercise())
    assert registry.get("test.zeros") is ex and registry.ids() == ["test.zeros"]
    assert check("test.zeros", torch.zeros(2, 3)).passed

