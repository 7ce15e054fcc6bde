"""The widgets in a real browser: JupyterLab and Voila, driven by headless Chromium (playwright).

A kernel-side test can pass while the page shows "Error displaying widget" (a
version mismatch, a missing model): only a browser sees that.  This test starts
JupyterLab on 127.0.0.1 with a random token in a temporary root directory, opens a
generated notebook in Debian's Chromium, runs all cells and checks that every
widget's view rendered; then it does the same for one page under Voila.
Screenshots go to ``artifacts/`` (git-ignored).

Skipped (with the reason) only when Chromium or playwright is missing and CI is not set.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(ROOT, "artifacts")
CHROMIUM = os.environ.get("LEARNTORCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]
ERROR_TEXT = "Error displaying widget"
ROOT_FLAG = ["--ServerApp.allow_root=True"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def _need(condition, reason):
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _code(source):
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}


def _notebook(cells):
    return {"nbformat": 4, "nbformat_minor": 5, "cells": [_code(c) for c in cells],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}}}


LAB_CELLS = [
    "import time\nimport learntorch as torch\n"
    "from widgets import (GraphView, TrainingMonitor, LearningRateExplorer, BroadcastExplorer, MnistViewer,\n"
    "                     Exercise, Mistake, check)",
    # the graph of the chapter's first example, with backward recorded
    "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
    "with GraphView() as g:\n    y = x ** 2\n    loss = y.sum()\nloss.backward()\ng",
    # a live view displayed first, filled by the next cell
    "g2 = GraphView()\ng2",
    "a = torch.ones(2, 2, requires_grad=True)\nwith g2:\n    b = a + 2\n    c = (b * b * 3).mean()\nc.backward()",
    # the monitor displays itself at the first log and redraws while the loop runs
    "w = torch.zeros(1, requires_grad=True)\n"
    "xs = torch.arange(1.0, 6.0)\nys = 2 * xs + 1\n"
    "monitor = TrainingMonitor(total=60, every=0.3, budget=0.5)\n"
    "for step in range(60):\n"
    "    loss = ((w * xs - ys) ** 2).mean()\n"
    "    loss.backward()\n"
    "    with torch.no_grad():\n        w -= 0.01 * w.grad\n    w.grad.zero_()\n"
    "    monitor.log(step, loss=loss)\n"
    "    time.sleep(0.1)",
    "monitor.close()",
    "LearningRateExplorer(lr=0.05, steps=50)",
    "BroadcastExplorer((3, 1), (4,))",
    "torch.manual_seed(0)\nimages = torch.rand(30, 28, 28)\nlabels = torch.randint(0, 10, (30,))\n"
    "MnistViewer(images, labels, labels.remainder(7))",
    "ex = Exercise(id='demo.zeros', prompt='zeros (2, 3)', reference=torch.zeros(2, 3),\n"
    "              mistakes=[Mistake(answer=torch.zeros(3, 2), feedback='Rows first: (2, 3) is 2 rows.')],\n"
    "              hints=['Look at torch.zeros.'], solution='torch.zeros(2, 3)')\n"
    "check(ex, torch.zeros(3, 2))",
    "print('ALL' + ' CELLS DONE')",
]

VOILA_CELLS = [
    "import learntorch as torch\nfrom widgets import GraphView, BroadcastExplorer",
    "x = torch.ones(2, 2, requires_grad=True)\nwith GraphView() as g:\n    y = x + 2\n    z = y * y * 3\n"
    "    out = z.mean()\nout.backward()\ng",
    "BroadcastExplorer('2, 3', '4')",
]


class Server:
    """A Jupyter server process in its own session (so its kernels end with it)."""

    def __init__(self, args, env, cwd, url, log):
        self.url = url
        self.log = open(log, "w")
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, probe=None, port=None, timeout=90):
        """Until ``probe`` (a URL) answers 200, or ``port`` accepts connections."""
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                if probe is not None:
                    with urllib.request.urlopen(probe, timeout=2) as r:
                        if r.status == 200:
                            return
                else:
                    with socket.create_connection(("127.0.0.1", port), timeout=2):
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.tail()}")

    def tail(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()[-3000:]

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    _need(os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "python playwright is not installed")
    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="learntorch-browser-") as d:
        for sub in ("root", "config", "runtime", "settings", "workspaces"):
            os.makedirs(os.path.join(d, sub))
        settings = os.path.join(d, "settings", "@jupyterlab")
        tracker = {"windowingMode": "none", "autoStartDefaultKernel": True}
        for ext, name, value in (("notebook-extension", "tracker", tracker),
                                 ("apputils-extension", "notification",
                                  {"fetchNews": "false", "checkForUpdates": False})):
            os.makedirs(os.path.join(settings, ext), exist_ok=True)
            with open(os.path.join(settings, ext, f"{name}.jupyterlab-settings"), "w") as f:
                json.dump(value, f)
        with open(os.path.join(d, "config", "jupyter_server_config.py"), "w") as f:
            f.write("c.LabApp.news_url = None\n"
                    "c.LabApp.check_for_updates_class = 'jupyterlab.NeverCheckForUpdate'\n"
                    "c.LabApp.extension_manager = 'readonly'\n")
        yield d


def _env(workdir):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env["JUPYTER_CONFIG_DIR"] = os.path.join(workdir, "config")
    env["JUPYTER_RUNTIME_DIR"] = os.path.join(workdir, "runtime")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("LEARNTORCH_SIMULATED_CUDA", None)
    return env


def _wait_kernel_idle(base, token, timeout=90):
    """Until the notebook's kernel is up and idle (asked through the server's REST API)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
                sessions = json.load(r)
            if sessions and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
                time.sleep(1.0)
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the notebook's kernel did not start")


def _no_widget_errors(page):
    text = page.inner_text("body")
    assert ERROR_TEXT not in text, text[text.index(ERROR_TEXT) - 200:][:600]


def test_widgets_render_in_jupyterlab(browser, workdir):
    root = os.path.join(workdir, "root")
    with open(os.path.join(root, "widgets_check.ipynb"), "w") as f:
        json.dump(_notebook(LAB_CELLS), f)
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    server = Server([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                     f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
                     f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={workdir}/settings",
                     f"--LabApp.workspaces_dir={workdir}/workspaces", "--ServerApp.port_retries=0"] + ROOT_FLAG,
                    _env(workdir), root, base, os.path.join(workdir, "lab.log"))
    page = None
    try:
        server.wait_ready(f"{base}/api/status?token={token}")
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(f"{base}/lab/tree/widgets_check.ipynb?token={token}", timeout=90_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        _wait_kernel_idle(base, token)
        for attempt in range(3):          # the first click can come before the page's kernel connection
            page.click("li.lm-MenuBar-item:has-text('Run')")
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            try:
                page.locator(".jp-Dialog button:has-text('Select')").click(timeout=2000)
            except Exception:
                pass
            try:
                page.wait_for_selector(".jp-InputPrompt:has-text('[1]')", timeout=20_000)
                break
            except Exception:
                if attempt == 2:
                    raise

        # the monitor's picture must change while the training loop runs
        page.wait_for_selector(".learntorch-monitor img", timeout=60_000)
        sources = set()
        end = time.time() + 20
        while time.time() < end and len(sources) < 3:
            src = page.get_attribute(".learntorch-monitor img", "src")
            if src:
                sources.add(src)
            time.sleep(0.25)
        assert len(sources) >= 2, "the training monitor's image never changed while training"
        page.locator(".learntorch-monitor").first.screenshot(path=os.path.join(ARTIFACTS, "lab_monitor_live.png"))

        page.wait_for_selector("text=ALL CELLS DONE", timeout=90_000)
        page.wait_for_timeout(1500)   # let the last widget views render
        _no_widget_errors(page)
        assert "Loading widget..." not in page.inner_text("body")

        graphs = page.locator(".learntorch-graphview")
        assert graphs.count() == 2
        assert graphs.nth(0).locator("svg").count() == 1
        html = graphs.nth(0).inner_html()
        for label in (">x (leaf)<", ">PowBackward0<", ">SumBackward0<", ">loss<", ">grad [2, 4, 6]<"):
            assert label in html, label
        graphs.nth(0).screenshot(path=os.path.join(ARTIFACTS, "lab_graph.png"))
        # the step control talks to the kernel: "|<" goes back to before backward
        graphs.nth(0).locator("button:has-text('|<')").click()
        page.wait_for_function(
            "() => !document.querySelector('.learntorch-graphview').innerHTML.includes('grad [2, 4, 6]')",
            timeout=30_000)
        graphs.nth(0).locator("button:has-text('>')").nth(0).click()
        page.wait_for_function(
            "() => document.querySelector('.learntorch-graphview').innerHTML.includes('step 1/2: SumBackward0')",
            timeout=30_000)
        # the view displayed empty in one cell filled up from the next one
        live = graphs.nth(1).inner_html()
        assert "AddBackward0" in live and "MeanBackward0" in live and "grad [[4.5, 4.5], [4.5, 4.5]]" in live

        body = page.inner_text("body")
        assert "TrainingMonitor: 60 steps logged (step 0 to 59)" in body
        assert page.locator(".learntorch-lr-explorer img").count() == 1
        assert (page.get_attribute(".learntorch-lr-explorer img", "src") or "").startswith("blob:")
        assert "1\u21924" in page.locator(".learntorch-broadcast-explorer").inner_text()
        assert page.locator(".learntorch-mnist-viewer img").count() == 1
        assert (page.get_attribute(".learntorch-mnist-viewer img", "src") or "").startswith("blob:")
        feedback = page.locator(".learntorch-feedback")
        assert "Rows first: (2, 3) is 2 rows." in feedback.inner_text()
        feedback.locator("button:has-text('Hint')").click()
        page.wait_for_selector(".learntorch-feedback >> text=Look at torch.zeros.", timeout=30_000)
        page.locator(".learntorch-broadcast-explorer").screenshot(path=os.path.join(ARTIFACTS, "lab_broadcast.png"))
        page.locator(".learntorch-lr-explorer").screenshot(path=os.path.join(ARTIFACTS, "lab_lr_explorer.png"))
        page.locator(".learntorch-mnist-viewer").screenshot(path=os.path.join(ARTIFACTS, "lab_mnist.png"))
        feedback.screenshot(path=os.path.join(ARTIFACTS, "lab_feedback.png"))
        page.screenshot(path=os.path.join(ARTIFACTS, "lab_page.png"))
        _no_widget_errors(page)
    except Exception:
        if page is not None:
            page.screenshot(path=os.path.join(ARTIFACTS, "lab_failure.png"))
        raise
    finally:
        if page is not None:
            page.close()
        server.stop()


def test_widgets_render_in_voila(browser, workdir):
    root = os.path.join(workdir, "root")
    nb = os.path.join(root, "voila_check.ipynb")
    with open(nb, "w") as f:
        json.dump(_notebook(VOILA_CELLS), f)
    voila = shutil.which("voila")
    _need(voila is not None, "voila is not installed")
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    server = Server([sys.executable, "-m", "voila", nb, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                     f"--Voila.token={token}", "--Voila.port_retries=0"],
                    _env(workdir), root, base, os.path.join(workdir, "voila.log"))
    page = None
    try:
        server.wait_ready(port=port)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(f"{base}/?token={token}", timeout=120_000)
        page.wait_for_selector(".learntorch-graphview svg", timeout=120_000)
        page.wait_for_selector(".learntorch-broadcast-explorer svg", timeout=60_000)
        page.wait_for_timeout(1000)
        html = page.locator(".learntorch-graphview").inner_html()
        for label in ("x (leaf)", "AddBackward0", "MulBackward0", "MeanBackward0", "grad [[4.5, 4.5], [4.5, 4.5]]"):
            assert label in html, label
        text = page.locator(".learntorch-broadcast-explorer").inner_text()
        assert "RuntimeError: The size of tensor a (3) must match" in text and "non-singleton dimension 1" in text
        _no_widget_errors(page)
        page.screenshot(path=os.path.join(ARTIFACTS, "voila_page.png"))
    except Exception:
        if page is not None:
            page.screenshot(path=os.path.join(ARTIFACTS, "voila_failure.png"))
        raise
    finally:
        if page is not None:
            page.close()
        server.stop()
