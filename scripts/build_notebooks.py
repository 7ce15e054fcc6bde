#!/usr/bin/env python
"""Build the course notebooks from their one source each, then run them.

    python scripts/build_notebooks.py              # every chapter: generate + execute
    python scripts/build_notebooks.py 01 03        # only the chapters whose names start with 01 or 03
    python scripts/build_notebooks.py --no-execute # generate only (outputs are dropped!)
    python scripts/build_notebooks.py --check      # CI: do the committed notebooks match their sources?

Sources live in ``notebooks/src/NN_name.py`` in the "percent" format::

    # %% [markdown]
    # # A title
    # Some *markdown*; each line starts with "# ".

    # %%
    x = 1 + 1          # a code cell

Inside a code cell, an exercise's solution sits between two marker lines::

    # BEGIN SOLUTION
    shape = (2, 3)
    # END SOLUTION

The solution notebook (``notebooks/solutions/NN_name.ipynb``) keeps the code and
drops the markers.  The student notebook (``notebooks/NN_name.ipynb``) gets a
placeholder instead: ``shape = ...  # your code here`` for each name a
top-level solution assigns, or ``...  # your code here`` when it assigns none
or sits inside a function (an empty body: the function returns None).
``# BEGIN SOLUTION: <code>`` gives the placeholder explicitly.  The check
cell then sees ``...`` (or ``None``) and says "not attempted yet".

A ``# %%`` line may end with ``only=student`` or ``only=solution`` to keep a
cell in one of the two notebooks.  A source gets a solution notebook when it
has solution markers or ``only=solution`` cells; the Voila demo (``demo_*``)
never does.

Execution: every notebook runs top to bottom in a fresh kernel of *this*
Python (the same kernel ``pytest --nbval-current-env`` uses), in the notebook's
own folder (as nbval runs it), with ``MPLBACKEND=Agg`` and ``PYTHONHASHSEED=0``;
the notebooks seed learntorch themselves.  The outputs are saved in place.
The script prints each notebook's run time and its kernel's peak memory.
"""
import argparse
import difflib
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
SRC_DIR = NB_DIR / "src"
SOL_DIR = NB_DIR / "solutions"

README = NB_DIR / "README.md"
PLACEHOLDER = "...  # your code here"
CELL_RE = re.compile(r"^# %%(?P<rest>.*)$")
BEGIN_RE = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?::\s*(?P<placeholder>.*))?\s*$")
END_RE = re.compile(r"^\s*# END SOLUTION\s*$")
ASSIGN_RE = re.compile(r"^(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)")
MEMORY_LIMIT_MB = 1024


# --------------------------------------------------------------------------- parsing
class Cell:
    def __init__(self, kind, lines, only=None):
        self.kind = kind      # "markdown" or "code"
        self.lines = lines    # source lines, without the "# %%" header
        self.only = only      # None, "student" or "solution"


def parse_source(text):
    """Split a percent-format source into cells (text before the first ``# %%`` is a file comment)."""
    cells = []
    current = None
    for line in text.splitlines():
        m = CELL_RE.match(line)
        if m:
            rest = m.group("rest").strip()
            kind = "markdown" if rest.startswith("[markdown]") else "code"
            only = None
            om = re.search(r"only=(student|solution)", rest)
            if om:
                only = om.group(1)
            current = Cell(kind, [], only)
            cells.append(current)
        elif current is not None:
            current.lines.append(line)
    for c in cells:
        while c.lines and not c.lines[-1].strip():
            c.lines.pop()
        while c.lines and not c.lines[0].strip():
            c.lines.pop(0)
        if c.kind == "markdown":
            c.lines = [_uncomment(line) for line in c.lines]
    return [c for c in cells if c.lines]


def _uncomment(line):
    if line.startswith("# "):
        return line[2:]
    if line.strip() == "#":
        return ""
    raise ValueError(f"markdown line does not start with '# ': {line!r}")


def has_solutions(cells):
    return any(c.only == "solution" or any(BEGIN_RE.match(x) for x in c.lines) for c in cells)


def _placeholder(indent, block, explicit):
    if explicit:
        return [indent + explicit]
    if indent:  # inside a function: an empty body (it returns None)
        return [indent + PLACEHOLDER]
    names = []
    for line in block:
        if line.startswith(indent) and not line[len(indent):].startswith((" ", "\t")):
            m = ASSIGN_RE.match(line[len(indent):])
            if m:
                for n in re.split(r"\s*,\s*", m.group("names")):
                    if n not in names:
                        names.append(n)
    if not names:
        return [indent + PLACEHOLDER]
    return [f"{indent}{n} = {PLACEHOLDER}" for n in names]


def render_code(lines, variant):
    """Apply the solution markers for ``variant`` ("student" or "solution")."""
    out, block, begin = [], None, None
    for line in lines:
        if block is None:
            m = BEGIN_RE.match(line)
            if m:
                block, begin = [], m
            elif END_RE.match(line):
                raise ValueError("END SOLUTION without BEGIN SOLUTION")
            else:
                out.append(line)
        elif END_RE.match(line):
            if variant == "solution":
                out.extend(block)
            else:
                out.extend(_placeholder(begin.group("indent"), block, begin.group("placeholder")))
            block = None
        elif BEGIN_RE.match(line):
            raise ValueError("nested BEGIN SOLUTION")
        else:
            block.append(line)
    if block is not None:
        raise ValueError("BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def make_notebook(cells, variant, stem):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    kept = [c for c in cells if c.only in (None, variant)]
    for i, c in enumerate(kept):
        cid = f"{stem[:2]}-{variant[:3]}-{i:03d}"
        if c.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(c.lines), id=cid))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(render_code(c.lines, variant), id=cid))
    return nb


def targets(only=()):
    """[(source path, [(variant, notebook path), ...]), ...] for the selected sources."""
    result = []
    for src in sorted(SRC_DIR.glob("*.py")):
        stem = src.stem
        if only and not any(stem.startswith(o) for o in only):
            continue
        cells = parse_source(src.read_text(encoding="utf-8"))
        outs = [("student", NB_DIR / f"{stem}.ipynb")]
        if has_solutions(cells) and not stem.startswith("demo"):
            outs.append(("solution", SOL_DIR / f"{stem}.ipynb"))
        result.append((src, cells, outs))
    return result


# --------------------------------------------------------------------------- coverage table
# Every section and code example of the five course documents (../shared/course-documents/), by the
# key the notebook sources cite it with ("doc 002 §5.4"), what it holds, and what the notebooks add.
DOC_SECTIONS = [
    ("000 §1", "Background: PyTorch, its origin and design", "context in 00"),
    ("000 §2.1", "Dynamic computation graph", "TF2 is eager too (dated comparison)"),
    ("000 §2.2", "Tensors", ""),
    ("000 §2.3", "Automatic differentiation", ""),
    ("000 §2.4", "Model definition and training with the high-level API", ""),
    ("000 §3.1", "Forward and backward pass", ""),
    ("000 §3.2", "Gradient descent, step by step", ""),
    ("000 §3.3", "Loss functions: MSE and cross-entropy", ""),
    ("000 §3.4", "Optimizers: GD, SGD, Adam", "erratum: Adam uses no second derivatives"),
    ("000 §4.1", "Code: Net 784-128-10 with softmax in forward", "erratum: softmax before CrossEntropyLoss"),
    ("000 §4.2", "Code: MNIST loaders and the training loop (SGD, momentum 0.9)",
     "errata: torchvision not imported; progress print never fires"),
    ("000 §5", "Application areas", ""),
    ("000 §6", "Tools and resources (empty in the document)", ""),
    ("000 §7", "Summary, trends and challenges", ""),
    ("000 §8", "FAQ (parallelism, transfer learning, pruning, visualisation ...)",
     "errata: nonexistent torch.nn.utils APIs; invented pruning variants"),
    ("001 §Core 1", "Code: empty, rand, zeros(dtype=long), tensor", "empty is uninitialised"),
    ("001 §Core 2", "Code: autograd, x = ones(2, 2) ... out.backward()", ""),
    ("001 §Core 3", "Code: nn.Module SimpleNet 10-5-2", "erratum: `init` instead of `__init__`"),
    ("001 §Core 4", "Code: optim.SGD and optim.Adam", ""),
    ("001 §Core 5", "Code: a custom Dataset and a DataLoader", ""),
    ("001 §Practice 1", "Code: GPU via torch.device and .to(device)", ""),
    ("001 §Practice 2", "Code: zeroing gradients in the training step", ""),
    ("001 §Practice 3", "Code: save and load a state_dict", "erratum: the comment says 'whole model'"),
    ("001 §Practice 4", "Code: model.eval() and torch.no_grad()", ""),
    ("001 §Practice 5", "Code: StepLR", ""),
    ("001 §Practice 6", "Code: mixed precision with autocast and GradScaler",
     "erratum: torch.cuda.amp is deprecated, disabled without a GPU"),
    ("001 §Practice 7", "Code: nn.DataParallel", "keys gain a `module.` prefix"),
    ("001 §Practice 8", "Code: a custom loss and a custom layer with nn.Parameter", ""),
    ("001 §Summary", "Summary", ""),
    ("002 §1.1", "What AI is: mathematics, compute, algorithms", ""),
    ("002 §1.2", "Data, network, compute; design, train, infer", ""),
    ("002 §2.1", "Why PyTorch: dynamic graph, autograd, GPU, usability", ""),
    ("002 §2.2", "Framework comparison table", "TF2 eager; Keras 3 multi-backend"),
    ("002 §3.1", "Tensor concept and dimensions", "PyTorch uses C x H x W"),
    ("002 §3.2", "Tensor features: graph, GPU, autograd", ""),
    ("002 §3.3", "Data types", ""),
    ("002 §4.1", "Creation: tensor, Tensor, IntTensor, arange, linspace, rand, randn, normal, manual_seed", ""),
    ("002 §4.2", "torch.tensor vs torch.Tensor table", "erratum: four cells of the table are wrong"),
    ("002 §5.1", "Element-wise and in-place operations", ""),
    ("002 §5.2", "Hadamard product vs matrix multiplication", "erratum: `*` broadcasts"),
    ("002 §5.3", "reshape, view, transpose, permute, squeeze, unsqueeze",
     "errata: `-1` not `1`; view needs compatible strides, not contiguity"),
    ("002 §5.4", "Broadcasting rules and example", ""),
    ("002 §6.1", "Computation graph, leaves, backward", "erratum: leaves need not require grad"),
    ("002 §6.2", "Scalar, vector and multi-variable gradients", ""),
    ("002 §6.3", "no_grad, gradient accumulation, zeroing", "erratum: the zeroing loop backwards a freed graph"),
    ("002 §6.4", "Float-only, backward once / retain_graph, no in-place on leaves", ""),
    ("002 §7.1", "Linear regression: the problem", ""),
    ("002 §7.2", "Linear regression: the training loop", ""),
    ("002 §7.3", "Linear regression: learning rates and the claimed result",
     "erratum: a≈1.98, b≈1.05 after 500 steps is lr 0.01, not 0.05"),
    ("003 §1.1", "What a model is: Module, loss, optimizer, train/infer", ""),
    ("003 §1.2", "Dynamic computation graph", ""),
    ("003 §1.3", "Autograd", "erratum: the forward pass records operations, not gradients"),
    ("003 §2.1", "Code: SimpleNN 2-5-1, BCELoss, SGD", ""),
    ("003 §2.2", "Code: 1000 training epochs on four points", ""),
    ("003 §2.3", "Code: prediction under no_grad", ""),
    ("003 §2.4", "Explanation of the code", ""),
    ("003 §3", "Application areas", ""),
    ("003 §4", "Summary", ""),
    ("004 §1", "Background", "erratum: made at FAIR"),
    ("004 §2", "Core concepts: Tensor, Variable, Module, Autograd", "erratum: Variable is obsolete since 0.4"),
    ("004 §3", "Algorithm principles: dynamic graph, autograd, optimizers", ""),
    ("004 §4", "Code: MLP trained on a random image",
     "errata: nn.functional.cross_entropy_loss does not exist; target shape (1, 10)"),
    ("004 §5", "Application areas", ""),
    ("004 §6", "Tools and resources", ""),
    ("004 §7", "Future trends and challenges", "erratum: no direct TensorFlow/Caffe interoperation"),
    ("004 §8", "FAQ, including save/load code", ""),
]
REF_RE = re.compile(r"doc (\d{3}) §((?:Core |Practice )?\d+(?:\.\d+)?|Summary)")


def coverage(selected):
    """{section key: [(notebook stem, 1-based cell number), ...]} from the student notebooks."""
    found = {}
    for src, cells, outs in selected:
        nb = make_notebook(cells, "student", src.stem)
        for i, cell in enumerate(nb.cells, start=1):
            for doc, sec in REF_RE.findall(cell.source):
                locations = found.setdefault(f"{doc} §{sec}", [])
                if (src.stem, i) not in locations:
                    locations.append((src.stem, i))
    return found


def coverage_table(selected):
    found = coverage(selected)
    rows = ["| section | what it holds | taught / run in | notes |", "|---|---|---|---|"]
    for key, what, note in DOC_SECTIONS:
        by_nb = {}
        for stem, i in found.get(key, []):
            by_nb.setdefault(stem, []).append(str(i))
        where = "; ".join(f"[`{stem}`]({stem}.ipynb) cell{'s' if len(ns) > 1 else ''} {', '.join(ns)}"
                          for stem, ns in by_nb.items()) or "MISSING"
        rows.append(f"| {key} | {what} | {where} | {note} |")
    unknown = sorted(set(found) - {k for k, _, _ in DOC_SECTIONS})
    return "\n".join(rows) + "\n", [k for k, _, _ in DOC_SECTIONS if k not in found], unknown


def ignored_sentence(selected):
    ignored = code = 0
    for src, cells, outs in selected:
        for variant, _ in outs:
            for cell in make_notebook(cells, variant, src.stem).cells:
                if cell.cell_type == "code":
                    code += 1
                    ignored += "NBVAL_IGNORE_OUTPUT" in cell.source
    return (f"{ignored} of the {code} code cells (student and solution notebooks together) carry "
            f"`# NBVAL_IGNORE_OUTPUT`.\n")


def _replace_between(text, name, body):
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    a, b = text.index(start) + len(start), text.index(end)
    return text[:a] + body + text[b:]


def render_readme(selected):
    """notebooks/README.md with its generated parts (coverage table, ignored-cell count) brought up to date."""
    text = README.read_text(encoding="utf-8")
    table, missing, unknown = coverage_table(selected)
    text = _replace_between(text, "coverage", table)
    text = _replace_between(text, "ignored", ignored_sentence(selected))
    return text, missing, unknown


# --------------------------------------------------------------------------- executing
def _kernel_manager():
    """A kernel of this very Python (what ``pytest --nbval-current-env`` starts)."""
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    class CurrentEnvSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                          **ipykernel.kernelspec.get_kernel_dict())

    return KernelManager(kernel_name="python3", kernel_spec_manager=CurrentEnvSpecs())


def _peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def execute(nb, path, allow_errors=False):
    from nbclient import NotebookClient

    km = _kernel_manager()
    peak = [0.0]

    def on_cell_executed(cell, cell_index, execute_reply):
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if pid is None:
            proc = getattr(getattr(km, "provisioner", None), "process", None)
            pid = getattr(proc, "pid", None)
        if pid is not None:
            peak[0] = max(peak[0], _peak_rss_mb(pid))

    client = NotebookClient(nb, km=km, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            record_timing=False,   # no timestamps in the saved notebooks: no diff noise
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_executed=on_cell_executed)
    t0 = time.perf_counter()
    try:
        client.execute(cwd=str(path.parent))
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    elapsed = time.perf_counter() - t0
    # Widget state is not kept: model ids are random (diff noise) and the widgets
    # show a static image/text fallback for GitHub and nbviewer (pitfall 11).
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return elapsed, peak[0]


def error_cells(nb):
    """(index, 'Name: message') of code cells whose output holds an unexpected error."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "NBVAL_RAISES_EXCEPTION" in cell.source:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append((i, f"{out.get('ename')}: {out.get('evalue')}"[:200]))
    return found


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)


# --------------------------------------------------------------------------- checking
def check(selected):
    problems = []
    expected_paths = set()
    for src, cells, outs in selected:
        for variant, path in outs:
            expected_paths.add(path)
            rel = path.relative_to(ROOT)
            want = make_notebook(cells, variant, src.stem)
            if not path.exists():
                problems.append(f"{rel}: missing (run scripts/build_notebooks.py)")
                continue
            have = nbformat.read(path, as_version=4)
            a = [f"--- {c.cell_type} ---\n{c.source}" for c in want.cells]
            b = [f"--- {c.cell_type} ---\n{c.source}" for c in have.cells]
            if a != b:
                diff = "\n".join(difflib.unified_diff("\n".join(b).splitlines(), "\n".join(a).splitlines(),
                                                      f"{rel} (committed)", f"{rel} (from {src.name})",
                                                      lineterm="", n=1))
                problems.append(f"{rel}: cells differ from {src.relative_to(ROOT)}\n{diff[:3000]}")
                continue
            counts = [c.execution_count for c in have.cells if c.cell_type == "code"]
            if counts != list(range(1, len(counts) + 1)):
                problems.append(f"{rel}: not executed top to bottom in one run (execution counts {counts[:8]}...)")
            if "widgets" in have.metadata and "state" not in have.metadata["widgets"].get(
                    "application/vnd.jupyter.widget-state+json", {}):
                problems.append(f"{rel}: metadata.widgets without state (GitHub cannot render it)")
    return problems, expected_paths


def stray_notebooks(expected_paths):
    found = set(NB_DIR.glob("*.ipynb")) | set(SOL_DIR.glob("*.ipynb"))
    return sorted(p.relative_to(ROOT) for p in found - expected_paths)


# --------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("chapters", nargs="*", help="name prefixes, e.g. 01 03 demo (default: all)")
    ap.add_argument("--check", action="store_true", help="fail if committed notebooks differ from sources")
    ap.add_argument("--no-execute", action="store_true", help="generate without running (drops outputs)")
    ap.add_argument("--readme", action="store_true",
                    help="only regenerate the coverage table and counts in notebooks/README.md")
    ap.add_argument("--allow-errors", action="store_true",
                    help="keep running after a failing cell, list the failures, exit 1 (for development)")
    args = ap.parse_args(argv)

    selected = targets(args.chapters)
    if not selected:
        print("no sources matched", args.chapters, file=sys.stderr)
        return 2

    if args.check:
        problems, expected = check(selected)
        if not args.chapters:
            problems += [f"{p}: no source in notebooks/src generates it" for p in stray_notebooks(expected)]
            text, missing, unknown = render_readme(selected)
            if text != README.read_text(encoding="utf-8"):
                problems.append("notebooks/README.md: coverage table or ignored-cell count out of date "
                                "(run scripts/build_notebooks.py --readme)")
            problems += [f"document section {k} is not cited by any notebook" for k in missing]
            problems += [f"notebook cites unknown document section {k}" for k in unknown]
        for p in problems:
            print(p, file=sys.stderr)
        n = sum(len(outs) for _, _, outs in selected)
        print(f"{n} notebooks checked, {len(problems)} problem(s)")
        return 1 if problems else 0

    if not args.chapters:
        text, missing, unknown = render_readme(selected)
        README.write_text(text, encoding="utf-8")
        for k in missing:
            print(f"warning: document section {k} is not cited by any notebook", file=sys.stderr)
        for k in unknown:
            print(f"warning: notebook cites unknown document section {k}", file=sys.stderr)
    if args.readme:
        return 0

    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["LEARNTORCH_OFFLINE"] = "1"   # MNIST: the bundled subset, whatever the network says
    os.environ.pop("LEARNTORCH_SIMULATED_CUDA", None)   # the notebooks describe a learner's machine
    total, worst, failures = 0.0, 0.0, 0
    for src, cells, outs in selected:
        for variant, path in outs:
            nb = make_notebook(cells, variant, src.stem)
            if not args.no_execute:
                elapsed, peak = execute(nb, path, allow_errors=args.allow_errors)
                total += elapsed
                worst = max(worst, peak)
                flag = "  OVER 1 GB!" if peak > MEMORY_LIMIT_MB else ""
                print(f"{path.relative_to(ROOT)}: {elapsed:6.1f} s, kernel peak {peak:6.0f} MB{flag}", flush=True)
                for index, text in error_cells(nb):
                    failures += 1
                    print(f"    cell {index}: {text}", flush=True)
            write(nb, path)
    if not args.no_execute:
        print(f"total {total:.1f} s, worst kernel peak {worst:.0f} MB, {failures} failing cell(s)")
    return 1 if worst > MEMORY_LIMIT_MB or failures else 0


if __name__ == "__main__":
    sys.exit(main())
