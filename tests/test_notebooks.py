"""The docs notebooks run from top to bottom, so they cannot rot.

The kernel is the interpreter running the tests: a kernelspec pointing at ``sys.executable`` is written
to a temporary folder, so a fresh CI venv (with ipykernel from the ``test`` extra) needs no
``ipykernel install`` and a user's own ``python3`` kernel is never picked by mistake.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SEEDS = ROOT.parent / "shared" / "data" / "seeds"  # where the walk-through looks (conftest's seeds_dir too)
BASIL = ROOT.parent / "shared" / "data" / "basil" / "basil_dev_sentences.jsonl"
KERNEL = "narrativediff-tests"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "narrativediff tests", "language": "python",
        "env": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(folder))
        yield KERNEL


def _run(name: str, kernel: str):
    notebook = nbformat.read(DOCS / name, as_version=4)
    nbformat.validate(notebook)
    client = nbclient.NotebookClient(notebook, kernel_name=kernel, timeout=300,
                                     resources={"metadata": {"path": str(DOCS)}})
    client.execute()
    return notebook


@pytest.fixture(scope="module")
def executed(kernel):
    """Both notebooks, run at once: most of their time is each kernel loading torch and the model."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["quickstart.ipynb"]
    if SEEDS.is_dir():
        names.append("seeds_walkthrough.ipynb")
    if SEEDS.is_dir() and BASIL.is_file():
        names.append("corpus_walkthrough.ipynb")
    with ThreadPoolExecutor(len(names)) as pool:
        futures = {name: pool.submit(_run, name, kernel) for name in names}
        return {name: future.result() for name, future in futures.items()}


def _outputs(notebook, mime: str) -> list[str]:
    return [output["data"][mime] for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if mime in output.get("data", {})]


def test_quickstart_runs_and_shows_the_view(executed):
    notebook = executed["quickstart.ipynb"]
    html = _outputs(notebook, "text/html")
    assert any('class="nd-view"' in h and 'class="nd-pair"' in h for h in html)
    assert len(_outputs(notebook, "image/png")) == 3  # similarity, coverage, framing


def test_seeds_walkthrough_runs(executed, seeds_dir):
    notebook = executed["seeds_walkthrough.ipynb"]
    html = _outputs(notebook, "text/html")
    assert any('class="nd-view"' in h and "Comparison of 5 outlets" in h for h in html)
    assert len(_outputs(notebook, "image/png")) == 3


def test_corpus_walkthrough_runs(executed, shared_data):
    if "corpus_walkthrough.ipynb" not in executed:
        pytest.skip("the corpus walk-through needs ../shared/data/seeds and basil")
    notebook = executed["corpus_walkthrough.ipynb"]
    html = _outputs(notebook, "text/html")
    assert any('class="nd-view nd-corpus"' in h and "Blindspots" in h for h in html)
    # the seed story: five outlets, and none of the three BASIL outlets reports it
    assert any("Corpus of 41 articles from 8 outlets" in h for h in html)


def test_no_notebook_prints_a_progress_warning(executed):
    for name, notebook in executed.items():
        streams = [output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.outputs if output.get("output_type") == "stream"]
        assert not any("IProgress" in text or "Loading weights" in text for text in streams), name


def test_notebooks_are_committed_without_outputs():
    for path in DOCS.glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), path.name
