"""Where the course lives and which version students install: the one place for both.

- :data:`VERSION` is the course version (``cae_ref.__version__``, the package version in
  ``pyproject.toml``, the git tag :data:`RELEASE_TAG`). Bump it, and add a ``CHANGELOG.md`` entry,
  whenever a threshold, a grading budget or a graded test changes (``tests/test_release.py``).
- The notebooks' Colab setup cell installs ``cae_ref`` from :data:`REPOSITORY` at that tag
  (:data:`INSTALL_LINE`; ``scripts/set_course_version.py`` writes it), ``_config.yml`` names the
  repository as the book's, and every notebook's "Background" link is a :func:`book_page` of
  :data:`BOOK_URL` (tests/test_course.py checks all three).
"""

from __future__ import annotations

VERSION = "0.5.0"  # the course version: setuptools reads it (pyproject.toml), so keep it a plain string
RELEASE_TAG = f"v{VERSION}"
REPOSITORY = "https://github.com/cae-course/cae-fashion-mnist"
BOOK_URL = "https://cae-course.github.io/cae-fashion-mnist/"
INSTALL_URL = f"git+{REPOSITORY}@{RELEASE_TAG}"  # what `pip install` takes in the notebooks' setup cell
INSTALL_LINE = f"%pip install --quiet {INSTALL_URL}"
COLAB_ROOT = (
    "https://colab.research.google.com/github/"
    + REPOSITORY.removeprefix("https://github.com/")
)
# Where each language's edition lives: the book under BOOK_URL, the notebooks
# in the repository (scripts/translate_notebooks.py writes the Indonesian ones).
BOOK_FOLDERS = {"en": "book/", "id": "id/book/"}
EXERCISE_FOLDERS = {"en": "exercises/", "id": "exercises_id/"}


def _folder(folders: dict[str, str], language: str) -> str:
    if language not in folders:
        raise ValueError(
            f"expected a language in {sorted(folders)}, got {language!r}"
        )
    return folders[language]


def book_page(chapter: str, language: str = "en") -> str:
    """The published page of a book chapter, e.g. ``book_page("03_data")``.

    ``chapter`` names a ``book/<chapter>.md`` file; ``language="id"`` gives
    the Indonesian edition's page.
    """
    name = (
        chapter.removeprefix("book/").removesuffix(".md").removesuffix(".html")
    )
    if not name or "/" in name:
        raise ValueError(
            f"expected a chapter file name such as '03_data', got {chapter!r}"
        )
    return f"{BOOK_URL}{_folder(BOOK_FOLDERS, language)}{name}.html"


def colab_link(
    assignment: str, ref: str = RELEASE_TAG, language: str = "en"
) -> str:
    """The Colab address of an exercise notebook at a git ref.

    ``ref`` defaults to this version's tag; ``language="id"`` gives the
    Indonesian notebook.
    """
    folder = _folder(EXERCISE_FOLDERS, language)
    return f"{COLAB_ROOT}/blob/{ref}/{folder}{assignment}/{assignment}.ipynb"
