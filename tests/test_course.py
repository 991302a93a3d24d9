"""One configured place for the course's URLs (cae_ref/course.py), and everything that names them uses it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from cae_ref import course

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "solutions").glob("*/*.ipynb")) + sorted((REPO / "exercises").glob("*/*.ipynb"))
BACKGROUND = re.compile(r"Background: book chapter \[[^\]]+\]\(([^)]+)\)")


def test_book_page_builds_published_urls():
    assert course.book_page("03_data") == "https://cae-course.github.io/cae-fashion-mnist/book/03_data.html"
    assert course.book_page("book/03_data.md") == course.book_page("03_data")
    with pytest.raises(ValueError):
        course.book_page("../../book/03_data")


def test_book_config_names_the_repository():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"] == course.REPOSITORY


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: f"{path.parts[-3]}/{path.parent.name}")
def test_notebooks_install_from_and_link_to_the_configured_urls(path):
    cells = nbformat.read(path, as_version=4).cells
    (setup,) = [cell for cell in cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup"]
    installs = re.findall(r"%pip install .*", setup.source)
    assert installs == [f"%pip install --quiet {course.INSTALL_URL}"], f"{path}: setup cell installs {installs}"
    links = BACKGROUND.findall(cells[0].source)
    assert len(links) == 1, f"{path}: the introduction needs one 'Background: book chapter [...](...)' link"
    chapter = links[0].removeprefix(course.BOOK_URL + "book/").removesuffix(".html")
    assert links[0] == course.book_page(chapter), f"{path}: Background link {links[0]} is not a published book page"
    assert (REPO / "book" / f"{chapter}.md").is_file(), f"{path}: Background links to a missing chapter {chapter}"
