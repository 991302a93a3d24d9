"""Where the course lives: the one place that holds its repository and published-book URLs.

The notebooks' Colab setup cell installs ``cae_ref`` from :data:`REPOSITORY`, ``_config.yml``
names it as the book's repository, and every notebook's "Background" link is a
:func:`book_page` of :data:`BOOK_URL` (tests/test_course.py checks all three).
"""

from __future__ import annotations

REPOSITORY = "https://github.com/cae-course/cae-fashion-mnist"
BOOK_URL = "https://cae-course.github.io/cae-fashion-mnist/"
INSTALL_URL = f"git+{REPOSITORY}"  # what `pip install` takes in the notebooks' setup cell


def book_page(chapter: str) -> str:
    """The published page of a book chapter, e.g. ``book_page("03_data")`` (a ``book/<chapter>.md`` file)."""
    name = chapter.removeprefix("book/").removesuffix(".md").removesuffix(".html")
    if not name or "/" in name:
        raise ValueError(f"expected a chapter file name such as '03_data', got {chapter!r}")
    return f"{BOOK_URL}book/{name}.html"
