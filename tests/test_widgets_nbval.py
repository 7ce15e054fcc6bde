"""Every widget's stored outputs pass strict nbval when the notebook runs again (in a real kernel).

A notebook using each widget is executed once with nbclient (as the notebooks are
built), then checked by ``pytest --nbval`` in a fresh kernel: the compared parts
(text/plain, SVG, HTML, streams) must come out identical.
"""
import os
import subprocess
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("nbval")

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CELLS = [
    "import learntorch as torch\nfrom widgets import *",
    "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
    "with GraphView() as g:\n    y = x ** 2\n    loss = y.sum()\nloss.backward()\ng",
    "g.static(step=1)",
    "a = torch.ones(2, 2, requires_grad=True)\nwith GraphView() as g2:\n    b = a + 2\n"
    "    c = (b * b * 3).mean()\nc.backward()\ng2.step(2)",
    "m = TrainingMonitor(total=20)\nfor s in range(20):\n    m.log(s, loss=1.0 / (s + 1), acc=s / 20)\nm.close()",
    "LearningRateExplorer(lr=0.1, steps=30)",
    "BroadcastExplorer((2, 3), (4,))",
    "torch.manual_seed(0)\nMnistViewer(torch.rand(20, 28, 28), torch.arange(20) % 10, (torch.arange(20) * 3) % 10)",
    "ex = Exercise(id='demo', prompt='zeros', reference=torch.zeros(2, 3), hints=['h'], solution='s')\n"
    "check(ex, torch.ones(2, 3))",
    "check(ex, ...)",
]


def test_widget_outputs_are_stable_under_nbval(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    env_path = ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = env_path            # the kernel imports this checkout's widgets
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    path = tmp_path / "widgets.ipynb"
    nbformat.write(nb, str(path))
    kinds = [sorted(o.get("data", {})) for c in nb.cells for o in c.outputs]
    assert ["application/vnd.jupyter.widget-view+json", "image/svg+xml", "text/plain"] in kinds
    assert all(o.output_type != "error" for c in nb.cells for o in c.outputs)
    out = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", str(path), "-q",
                          "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=str(tmp_path),
                         env=dict(os.environ, PYTHONPATH=env_path), timeout=300)
    assert out.returncode == 0, out.stdout[-3000:]
    assert f"{len(CELLS)} passed" in out.stdout
