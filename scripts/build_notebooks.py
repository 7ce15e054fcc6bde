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
        for p in problems:
            print(p, file=sys.stderr)
        n = sum(len(outs) for _, _, outs in selected)
        print(f"{n} notebooks checked, {len(problems)} problem(s)")
        return 1 if problems else 0

    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYTHONHASHSEED"] = "0"
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
