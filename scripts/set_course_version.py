"""Write the configured course version into the notebooks, then regenerate the exercises with nbgrader.

The one configured value is ``VERSION`` in ``cae_ref/course.py``. For every
``solutions/<assignment>/<assignment>.ipynb`` this makes one read-modify-write: the setup cell's
install line becomes ``course.INSTALL_LINE`` (``...cae-fashion-mnist@v<VERSION>``) and every
Colab link to an exercise points at the release tag; README.md's Colab badges follow. Then
``nbgrader generate_assignment <assignment> --force`` rewrites ``exercises/`` (run from the
course folder, as nbgrader reads ``nbgrader_config.py`` from there). The book's Colab copies read
the tag at build time (``book/_ext/colab_notebooks.py``).

    python scripts/set_course_version.py                  # notebooks, README badges, exercises
    python scripts/set_course_version.py --record         # also record this version's fingerprint
    python scripts/set_course_version.py --root DIR --no-generate   # another course folder, no nbgrader

``--record`` writes the thresholds, grading budgets and graded cells of this version into
``grading/fingerprints.json`` (``tests/test_release.py`` compares them; see CHANGELOG.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from cae_ref import course  # noqa: E402

INSTALL = re.compile(r"%pip install\b[^\n]*?git\+" + re.escape(course.REPOSITORY) + r"(?:@[^\s\"'#]+)?")
COLAB = re.compile(re.escape(course.COLAB_ROOT) + r"/blob/[^/\s)\"']+/(exercises(?:_id)?)/")  # English, Indonesian


def pin_install(source: str) -> str:
    """``source`` with every install of the course replaced by the configured, version-pinned line."""
    return INSTALL.sub(course.INSTALL_LINE, source)


def pin_colab_links(text: str) -> str:
    """``text`` with every Colab link to an exercise pointing at the release tag."""
    return COLAB.sub(lambda m: f"{course.COLAB_ROOT}/blob/{course.RELEASE_TAG}/{m.group(1)}/", text)


def _edit(cell: dict, change) -> bool:
    source = cell["source"]
    text = source if isinstance(source, str) else "".join(source)
    new = change(text)
    if new != text:
        cell["source"] = new if isinstance(source, str) else new.splitlines(keepends=True)
    return new != text


def set_notebook(path: Path) -> bool:
    """Pin one source notebook's setup cell and Colab links in one read-modify-write; True when it changed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup":
            changed |= _edit(cell, pin_install)
        elif cell["cell_type"] == "markdown":
            changed |= _edit(cell, pin_colab_links)
    if changed:
        path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def set_text(path: Path) -> bool:
    """Point a Markdown file's Colab links at the release tag; True when it changed."""
    text = path.read_text(encoding="utf-8")
    new = pin_colab_links(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def generate(root: Path, assignments: list[str]) -> None:
    """``nbgrader generate_assignment <a> --force`` in ``root`` for each assignment (stops at the first failure)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
    for assignment in assignments:
        command = [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", assignment, "--force"]
        subprocess.run(command, cwd=root, env=env, check=True)


def is_tagged(root: Path) -> bool:
    """Whether the course folder's git repository already has this version's release tag."""
    found = subprocess.run(["git", "tag", "--list", course.RELEASE_TAG], cwd=root, capture_output=True, text=True)
    return found.returncode == 0 and found.stdout.strip() == course.RELEASE_TAG


def main(argv: list[str] | None = None) -> int:
    """Pin every notebook of the course folder to the configured version and regenerate its exercises."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=REPO, help="course folder (default: this repository)")
    parser.add_argument("--no-generate", action="store_true", help="leave exercises/ alone (no nbgrader)")
    parser.add_argument("--record", action="store_true", help="record this version in grading/fingerprints.json")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    notebooks = sorted((root / "solutions").glob("0*/*.ipynb"))
    if not notebooks:
        parser.error(f"no solutions/0*/*.ipynb under {root}: run this in the private instructor repository")
    for path in notebooks:
        print(f"{path.relative_to(root)}: {'pinned to' if set_notebook(path) else 'already at'} {course.RELEASE_TAG}")
    for page in ("README.md", "README.id.md"):
        if (root / page).is_file() and set_text(root / page):
            print(f"{page}: Colab links point at {course.RELEASE_TAG}")
    if not args.no_generate:
        generate(root, [path.parent.name for path in notebooks])
    if args.record:
        from grading import fingerprint

        record = root / "grading" / "fingerprints.json"
        recorded = fingerprint.load(record).get(course.VERSION)
        if recorded not in (None, fingerprint.current(root / "solutions")) and is_tagged(root):
            parser.error(f"{course.RELEASE_TAG} is released (tagged) and grades differently now: bump VERSION first")
        fingerprint.record(course.VERSION, root / "solutions", record)
        print(f"grading/fingerprints.json: recorded version {course.VERSION}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
