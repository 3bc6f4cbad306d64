"""The HTML report (one self-contained file) and the table exports (CSV, Excel)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.faces import report

SCRIPT_SENTENCE = 'Officials said <script>alert("pwned")</script> nothing changed at the port & docks.'


@pytest.fixture(scope="module")
def report_html(example_comparison, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "sub" / "report.html"
    text = example_comparison.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    return text


def test_report_has_one_row_per_aligned_pair(example_comparison, report_html):
    assert report_html.count('class="nd-pair"') == len(example_comparison.alignment)
    assert report_html.count('class="nd-unaligned-sent"') == len(example_comparison.unaligned)
    assert report_html.startswith("<!DOCTYPE html>") and report_html.rstrip().endswith("</html>")


def test_report_is_self_contained(example_comparison, report_html):
    assert report_html.count("<script") == 1 and "<script>" in report_html  # its own inline filter script
    assert not re.search(r"<script[^>]+src", report_html)
    assert not re.search(r'(?:src|href)\s*=\s*"(?!data:|#)', report_html), "a resource outside the file"
    assert "url(" not in report_html and "@import" not in report_html
    images = re.findall(r'<img class="nd-plot" alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', report_html)
    n_groups = sum(1 for i, a in enumerate(example_comparison.sources) for b in example_comparison.sources[i + 1:]
                   if len(example_comparison.pairs(a, b)))
    assert len(images) == 3 + n_groups  # coverage, framing profile, framing by pair, one heatmap per outlet pair
    import base64

    assert all(base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n" for image in images)


def test_report_without_plots_is_smaller_and_has_the_same_rows(example_comparison, report_html):
    bare = example_comparison.to_html(plots=False)
    assert "<img" not in bare
    assert bare.count('class="nd-pair"') == report_html.count('class="nd-pair"')
    assert len(bare) < len(report_html)


def test_report_refuses_a_folder(example_comparison, tmp_path):
    with pytest.raises(nd.InvalidParameterError, match="folder"):
        example_comparison.to_html(tmp_path, plots=False)


def test_script_in_an_article_is_escaped_in_the_report(encoder, tmp_path):
    articles = nd.load_articles(nd.example_path())
    articles[0] = dataclasses.replace(articles[0], text=articles[0].text.rstrip() + "\n\n" + SCRIPT_SENTENCE + "\n")
    comparison = nd.compare(articles, model=encoder)
    text = comparison.to_html(tmp_path / "r.html", plots=False)
    assert text.count("<script") == 1  # the report's own script only
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in re.sub(r"</?span[^>]*>", "", text)


def test_csv_writes_every_table(example_comparison, tmp_path):
    written = example_comparison.to_csv(tmp_path / "tables")
    tables = report.tables(example_comparison)
    assert set(written) == set(tables) >= {"summary", "sentences", "removed", "alignment", "unaligned"}
    assert {p.name for p in (tmp_path / "tables").iterdir()} == {f"{name}.csv" for name in tables}
    for name, table in tables.items():
        back = pd.read_csv(written[name])
        assert list(back.columns) == [str(c) for c in table.columns], name
        assert len(back) == len(table), name
    assert pd.read_csv(written["alignment"])["text_a"].tolist() == example_comparison.alignment["text_a"].tolist()


def _with_claims(comparison):
    sources = comparison.sources
    claims = pd.DataFrame({"claim_id": [0, 1], "text": ["strike <illegal>", "ships wait"]})
    fields = {f.name: getattr(comparison, f.name) for f in dataclasses.fields(comparison)}

    class WithClaims(nd.Comparison):
        @property
        def coverage(self):
            return pd.DataFrame({s: [True, s != sources[0]] for s in sources},
                                index=pd.Index([0, 1], name="claim_id"))

        def omissions(self, source):
            return self.claims.iloc[[1]] if source == sources[0] else self.claims.iloc[[]]

    if "claims" in fields:  # the claims stage is wired in: claims is a field
        fields["claims"] = claims
    else:
        WithClaims.claims = property(lambda self: claims)
    return WithClaims(**fields)


def test_csv_and_excel_add_the_claims_tables_when_present(example_comparison, tmp_path):
    comparison = _with_claims(example_comparison)
    written = comparison.to_csv(tmp_path / "tables")
    assert {"claims", "coverage", "omissions"} <= set(written)
    coverage = pd.read_csv(written["coverage"])
    assert list(coverage.columns) == ["claim_id", *example_comparison.sources]
    omissions = pd.read_csv(written["omissions"])
    assert omissions["omitted_by"].tolist() == [example_comparison.sources[0]]

    pytest.importorskip("openpyxl")
    path = comparison.to_excel(tmp_path / "tables.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == set(written)
    assert len(sheets["alignment"]) == len(example_comparison.alignment)


def test_excel_survives_control_characters(example_comparison, tmp_path):
    pytest.importorskip("openpyxl")
    fields = {f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)}
    fields["removed"] = example_comparison.removed.assign(text="bell\x07 and null\x00 inside")
    path = nd.Comparison(**fields).to_excel(tmp_path / "t.xlsx")
    assert pd.read_excel(path, sheet_name="removed")["text"].iloc[0] == "bell and null inside"


def test_tables_names(example_comparison):
    names = list(report.tables(example_comparison))
    assert names == ["summary", "sentences", "removed", "alignment", "unaligned", "evidence", "word_diff",
                     "claims", "coverage", "near_duplicates", "omissions"]


def test_the_framing_tables_are_exported(example_comparison, tmp_path):
    written = example_comparison.to_csv(tmp_path / "tables")
    evidence, word_diff = pd.read_csv(written["evidence"]), pd.read_csv(written["word_diff"])
    assert list(evidence.columns) == ["pair", "component", "side", "start", "end", "text", "why"]
    assert list(word_diff.columns) == ["pair", "tag", "i1", "i2", "j1", "j2", "start_a", "end_a", "start_b", "end_b"]
    assert len(evidence) == len(example_comparison.evidence) and len(word_diff) == len(example_comparison.word_diff)
    assert evidence["pair"].tolist() == example_comparison.evidence["pair"].tolist()


def test_templates_are_package_data():
    """Every template ships with the package: pyproject's package-data covers faces/templates."""
    import fnmatch
    import tomllib
    from pathlib import Path

    import jinja2

    root = Path(report.__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["narrativediff"]
    folder = Path(report.__file__).parent / "templates"
    files = [p.relative_to(folder.parents[1]).as_posix() for p in folder.iterdir() if p.is_file()]
    assert {"faces/templates/view.html.j2", "faces/templates/report.html.j2", "faces/templates/view.css"} <= set(files)
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files), files
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder))
    for name in files:
        if name.endswith(".j2"):
            env.parse(env.loader.get_source(env, Path(name).name)[0])  # every template compiles


def test_faces_accept_the_claims_stage_tables(example_comparison, tmp_path):
    """The view, the coverage plot and the exports show the tables narrativediff.align.claims produces."""
    comparison = example_comparison
    html = comparison._repr_html_()
    assert 'class="nd-coverage"' in html
    written = comparison.to_csv(tmp_path / "tables")
    assert {"claims", "coverage"} <= set(written)
    assert len(pd.read_csv(written["coverage"])) == comparison.claims["claim_id"].nunique()
    pytest.importorskip("matplotlib")
    ax = comparison.plot_coverage(min_outlets=1, max_rows=None)
    assert ax.images[0].get_array().shape == (comparison.claims["claim_id"].nunique(), len(comparison.sources))
    shared = int((comparison.claims.groupby("claim_id")["source"].nunique() >= 2).sum())
    assert comparison.plot_coverage().images[0].get_array().shape == (shared, len(comparison.sources))
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x.example","click")', "+1+2", "-2+3", "@SUM(A1)"])
def test_exports_never_write_a_formula(example_comparison, tmp_path, payload):
    """Article text that starts like a formula is written as text to CSV and Excel (CSV injection)."""
    fields = {f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)}
    fields["removed"] = example_comparison.removed.assign(text=payload)
    comparison = nd.Comparison(**fields)
    written = comparison.to_csv(tmp_path / "tables")
    cells = pd.read_csv(written["removed"])["text"]
    assert (cells == "'" + payload).all()
    pytest.importorskip("openpyxl")
    import openpyxl

    path = comparison.to_excel(tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["removed"]
    column = [c.value for c in sheet[1]].index("text") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s" and cell.value == "'" + payload
