"""TrainingMonitor / LossPlot: recording, throttled redraws, the summary, headless use."""
import base64

import pytest

import learntorch as torch
from widgets import LossPlot, TrainingMonitor

PNG = b"\x89PNG\r\n\x1a\n"


class FakeClock:
    """A clock the test moves by hand; each call to ``tick`` costs ``step`` seconds."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def fill(m, n=10):
    for step in range(n):
        m.log(step, loss=1.0 / (step + 1), acc=step / n)


def test_summary_is_rounded_and_deterministic():
    m = TrainingMonitor(digits=3)
    for step in range(5):
        m.log(step, loss=[2.30258, 1.5, 0.91234, 0.95, 0.8766][step], acc=[0.1, 0.4, 0.61, 0.6, 0.7][step])
    m.log(4, val_loss=0.9123456)
    assert m.summary() == (
        "TrainingMonitor: 5 steps logged (step 0 to 4)\n"
        "  loss: first 2.3, last 0.877, min 0.877 at step 4\n"
        "  acc: first 0.1, last 0.7, max 0.7 at step 4\n"
        "  val_loss: first 0.912, last 0.912, min 0.912 at step 4")


def test_tensor_values_and_history():
    m = TrainingMonitor(x="epoch")
    m.log(1, loss=torch.tensor(0.5), acc=torch.tensor([0.25]))
    m.log(2, loss=torch.tensor(0.25, requires_grad=True) * 1, acc=None)
    assert m.history["loss"] == ([1, 2], [0.5, 0.25])
    assert m.history["acc"] == ([1], [0.25])
    assert m.summary().splitlines()[0] == "TrainingMonitor: 2 epochs logged (epoch 1 to 2)"


def test_headless_log_draws_nothing_and_close_prints_summary(capsys):
    m = TrainingMonitor()
    fill(m, 200)
    assert m.renders == 0 and m._ui is None          # no front end: no drawing at all
    m.close()
    assert capsys.readouterr().out == m.summary() + "\n"
    m.close()                                        # idempotent
    assert capsys.readouterr().out == ""
    assert repr(m) == m.summary()
    m.log(200, loss=0.1)                             # logging after close never raises
    assert m.history["loss"][1][-1] == 0.1


def test_redraws_are_throttled_by_time_and_steps(monkeypatch):
    monkeypatch.setattr(TrainingMonitor, "_typical_cost", 0.0)
    clock = FakeClock()
    m = TrainingMonitor(every=1.0, budget=0.5)
    m._clock = clock
    m.widget                                         # a live view exists (as when displayed)
    for step in range(100):
        clock.now = step * 0.1                       # 10 log calls per second; drawing takes 0 s here
        m.log(step, loss=1.0)
    assert m.renders == 10                           # at most once per second
    clock2 = FakeClock()
    m2 = TrainingMonitor(every=0.0, every_steps=25)
    m2._clock = clock2
    m2.widget
    for step in range(100):
        clock2.now = float(step)
        m2.log(step, loss=1.0)
    assert m2.renders == 4                           # and at most every 25 steps


def test_redraw_cost_stays_within_budget(monkeypatch):
    """A redraw happens only while drawing time (with it) stays <= budget x time since the first log."""
    monkeypatch.setattr(TrainingMonitor, "_typical_cost", 0.1)

    class SlowClock:
        def __init__(self):
            self.now = 0.0

        def __call__(self):
            return self.now

    clock = SlowClock()
    m = TrainingMonitor(every=0.0, budget=0.05)
    m._clock = clock
    m.widget
    real_render = m._render

    def render():                                    # every redraw "takes" 0.1 s
        clock.now += 0.1
        return real_render()

    m._render = render
    for step in range(2000):
        clock.now += 0.01                            # a 10 ms training step
        m.log(step, loss=1.0 / (step + 1))
    assert m.render_seconds == pytest.approx(m.renders * 0.1)
    assert m.render_seconds / clock.now <= 0.05 + 1e-9
    assert m.renders >= 8                            # but it does keep drawing


def test_live_widget_image_changes():
    m = TrainingMonitor(total=50, every=0.0, budget=1e9)
    box = m.widget
    progress, text, image = box.children
    m.log(0, loss=2.0)
    first = bytes(image.value)
    assert first.startswith(PNG) and progress.max == 50
    for step in range(1, 20):
        m.log(step, loss=2.0 / (step + 1), acc=step / 20)
    assert bytes(image.value).startswith(PNG) and bytes(image.value) != first
    assert progress.value == 20
    assert "loss 0.1" in text.value and "acc 0.95" in text.value
    m.close()
    assert box.layout.display == "none"              # the static picture replaces it


def test_static_picture_log_scale_and_validation_curves():
    m = LossPlot(log_scale=True, title="demo")
    assert LossPlot is TrainingMonitor
    fill(m, 30)
    for epoch in range(0, 30, 10):
        m.log(epoch, val_loss=0.5 / (epoch + 1), val_acc=0.3)
    bundle = m.static()._repr_mimebundle_()
    assert bundle["text/plain"] == m.summary()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG)
    assert TrainingMonitor()._repr_mimebundle_() == {"text/plain": "TrainingMonitor: nothing logged yet"}


def test_context_manager_closes(capsys):
    with TrainingMonitor() as m:
        m.log(0, loss=1.0)
    assert m.closed
    assert "loss: first 1, last 1, min 1 at step 0" in capsys.readouterr().out


def test_numbers_update_before_the_first_picture(monkeypatch):
    monkeypatch.setattr(TrainingMonitor, "_typical_cost", 10.0)    # a redraw would cost too much yet
    clock = FakeClock()
    m = TrainingMonitor(total=100, every=0.5)
    m._clock = clock
    progress, text, image = m.widget.children
    for step in range(30):
        clock.now = step * 0.1
        m.log(step, loss=3.0 - step * 0.1)
    assert m.renders == 0 and bytes(image.value) == b""
    assert progress.value == 26 and "step 25/100 | loss 0.5" in text.value   # refreshed every 0.5 s
