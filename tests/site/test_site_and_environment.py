"""The static site builds offline, and environment.yml stays valid for conda and Binder."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def site_builder():
    import build_html  # scripts/, on pytest's pythonpath
    return build_html


def build_site(out):
    return site_builder().build(out)


def test_site_has_a_page_per_notebook_and_the_index_links_resolve(tmp_path):
    pages = build_site(tmp_path)
    assert [p.name for p in pages] == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    index = (tmp_path / "index.html").read_text()
    links = re.findall(r'href="([^"]+)"', index)
    assert links == [p.name for p in pages]
    assert all((tmp_path / link).is_file() for link in links)
    for nb in NOTEBOOKS:  # each notebook's title is listed with its goals
        title = nb.stem.split("_", 1)[0]
        assert f">{title} · " in index


def test_site_pages_embed_figures_and_load_mathjax_locally(tmp_path):
    build_site(tmp_path)
    page = (tmp_path / "05_training.html").read_text()
    assert page.count('src="data:image/png;base64,') >= 4
    assert 'src="mathjax/MathJax.js?config=' in page
    assert (tmp_path / "mathjax" / "MathJax.js").is_file()
    assert "require.min.js" not in page  # nothing fetched from a CDN at load time
    nav_links = re.findall(r'<nav[^>]*>(.*?)</nav>', page)[0]
    assert 'href="index.html"' in nav_links and 'href="04_the_relu_kink.html"' in nav_links


def test_index_loads_the_same_local_mathjax_as_the_pages(tmp_path):
    build_site(tmp_path)
    index = (tmp_path / "index.html").read_text()
    page = (tmp_path / "03_chain_rule_and_layout.html").read_text()
    loader = re.search(r'<script src="(mathjax/MathJax\.js\?config=[^"]+)">', page).group(1)
    assert f'<script src="{loader}">' in index
    assert 'webFont: "STIX-Web"' in index and "processEscapes: true" in index
    assert r"$\nabla_{z_3} L" in index, "the goals' LaTeX reaches the index for MathJax to typeset"
    body = index.split("<body>", 1)[1]
    assert body.count("$") % 2 == 0 and "`" not in body


def test_index_renders_the_goals_markdown_and_widget_pages_say_where_widgets_run(tmp_path):
    build_html = site_builder()
    assert build_html.inline_markdown("train *better*, `xorlib.train`, **both**, $a*b*c$") == (
        "train <em>better</em>, <code>xorlib.train</code>, <strong>both</strong>, $a*b*c$")
    build_html.build(tmp_path)
    index = (tmp_path / "index.html").read_text()
    assert "*better*" not in index and "<em>better</em>" in index
    explorer = (tmp_path / "10_classroom_explorer.html").read_text()
    assert "VBox(children" not in explorer
    assert "open <code>notebooks/10_classroom_explorer.ipynb</code> in JupyterLab" in explorer


def test_environment_yml_installs_requirements_txt_through_pip():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in environment["channels"]
    dependencies = environment["dependencies"]
    assert "python=3.11" in dependencies and "pip" in dependencies
    pip_section = next(d["pip"] for d in dependencies if isinstance(d, dict))
    assert pip_section == ["-r requirements.txt"]


def requirement_lines(name):
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def package_name(pin):
    return re.split(r"==", pin)[0].lower().replace("_", "-")


def test_requirements_pin_exact_versions():
    student, dev = requirement_lines("requirements.txt"), requirement_lines("requirements-dev.txt")
    assert "-e ." in student and dev[0] == "-r requirements.txt"
    pins = [line for line in student + dev[1:] if line not in ("-e .",)]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", p) for p in pins), pins
    names = [package_name(p) for p in pins]
    assert len(names) == len(set(names)), "each package is pinned in one place only"


def test_the_student_install_carries_no_test_tools():
    student = {package_name(p) for p in requirement_lines("requirements.txt") if "==" in p}
    dev = {package_name(p) for p in requirement_lines("requirements-dev.txt") if "==" in p}
    assert {"numpy", "sympy", "matplotlib", "jupyterlab", "ipykernel", "ipywidgets"} <= student
    test_tools = {"pytest", "nbval", "hypothesis", "playwright"}
    assert test_tools <= dev and not test_tools & student


def test_make_lab_installs_the_student_requirements_only():
    makefile = (ROOT / "Makefile").read_text()
    student_rule = re.search(r"^\$\(STUDENT_STAMP\):.*?(?=^\S)", makefile, re.M | re.S).group(0)
    assert "-r requirements.txt" in student_rule and "requirements-dev" not in student_rule
    assert re.search(r"^lab: student$", makefile, re.M)
    assert re.search(r"^test: install\b", makefile, re.M)
    assert "-r requirements-dev.txt" in re.search(r"^\$\(DEV_STAMP\):.*?(?=^\S)", makefile, re.M | re.S).group(0)


def test_no_binder_folder_shadows_environment_yml():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
