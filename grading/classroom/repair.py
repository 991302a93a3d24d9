"""Put deleted or edited locked cells of a submission back from the release before autograding.

nbgrader 0.9.6 restores the source of a locked cell it finds, but its ``add_missing_grade_cells``
raises ``KeyError`` when a locked non-grade cell precedes a deleted test cell (upstream issue
#1682), and the whole notebook scores 0. This step runs first and leaves nbgrader nothing to add:
every locked cell of the release (test cells, run cells, locked text) is present with the
release's source and metadata. A missing cell is inserted after the nearest release cell before
it that the submission still has; solution cells and cells the student added stay as they are.

    python -m grading repair RELEASE.ipynb SUBMITTED.ipynb   # rewrites SUBMITTED in place

Plain ``nbgrader autograde`` repairs too (issue 25): ``nbgrader_config.py`` puts :class:`RepairCells` before
``OverwriteCells`` in ``Autograde.sanitize_preprocessors``. It repairs nbgrader's in-memory copy (what
goes to ``autograded/``), never the file in ``submitted/``; ``OverwriteCells`` then puts the hidden
tests back from the gradebook, as for any intact test cell.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class Repair:
    """What :func:`repair_notebook` changed: grade_ids put back and grade_ids whose cell was restored."""

    inserted: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.inserted or self.restored)


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _locked(cell: nbformat.NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked")) and not meta.get("solution")


def repair_notebook(release: nbformat.NotebookNode, submitted: nbformat.NotebookNode) -> Repair:
    """Make every locked cell of ``release`` present and intact in ``submitted`` (in place)."""
    report = Repair()
    position = {gid: i for i, cell in enumerate(submitted.cells) if (gid := _grade_id(cell))}
    previous: str | None = None  # the last release cell (by grade_id) seen in the submission
    for cell in release.cells:
        gid = _grade_id(cell)
        if gid is None:
            continue
        if _locked(cell):
            fresh = copy.deepcopy(cell)
            if gid in position:
                old = submitted.cells[position[gid]]
                if old.source != cell.source or old.cell_type != cell.cell_type or _grade_id(old) != gid:
                    report.restored.append(gid)
                fresh.outputs = [] if fresh.cell_type == "code" else fresh.get("outputs")
                submitted.cells[position[gid]] = _clean(fresh)
            else:
                at = position[previous] + 1 if previous in position else 0
                submitted.cells.insert(at, _clean(fresh))
                position = {g: i for i, c in enumerate(submitted.cells) if (g := _grade_id(c))}
                report.inserted.append(gid)
        if gid in position:
            previous = gid
    return report


def _clean(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell


def repair_file(release: Path, submitted: Path) -> Repair:
    """Repair the notebook file ``submitted`` against ``release``; rewrite it only when something changed."""
    nb = nbformat.read(submitted, as_version=4)
    report = repair_notebook(nbformat.read(release, as_version=4), nb)
    if report:
        nbformat.write(nb, submitted)
    return report


def repair_assignment(release_dir: Path, submission_dir: Path) -> dict[str, Repair]:
    """Repair every notebook of one submission folder that has a release notebook of the same name."""
    reports = {}
    for notebook in sorted(submission_dir.glob("*.ipynb")):
        release = release_dir / notebook.name
        if release.exists():
            try:
                reports[notebook.name] = repair_file(release, notebook)
            except (nbformat.reader.NotJSONError, ValueError, KeyError):
                continue  # unreadable: nbgrader reports it as it would without the repair
    return reports


def _define_repair_cells() -> type:
    """The nbgrader preprocessor class, made on first use: the grading workers repair without importing nbgrader."""
    from nbgrader.preprocessors import NbGraderPreprocessor
    from traitlets import Unicode

    class RepairCells(NbGraderPreprocessor):
        """nbgrader preprocessor: :func:`repair_notebook` against the release, before ``OverwriteCells``."""

        release_directory = Unicode(
            "exercises", help="folder of the released notebooks, <release_directory>/<assignment>/<notebook>.ipynb"
        ).tag(config=True)

        def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
            info = resources["nbgrader"]
            release = Path(self.release_directory) / info["assignment"] / f"{info['notebook']}.ipynb"
            try:
                report = repair_notebook(nbformat.read(release, as_version=4), nb)
            except (OSError, nbformat.reader.NotJSONError, ValueError, KeyError) as error:
                self.log.warning("not repaired (%s): %s", release, error)  # nbgrader grades it as it is
                return nb, resources
            if report:
                self.log.warning(
                    "%s/%s: %s put back from the release",
                    info["student"],
                    info["notebook"],
                    ", ".join(report.inserted + report.restored),
                )
            return nb, resources

    RepairCells.__qualname__ = "RepairCells"
    return RepairCells


def __getattr__(name: str) -> type:
    """``RepairCells`` (``nbgrader_config.py`` names it), defined when first asked for."""
    if name != "RepairCells":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()["RepairCells"] = cls = _define_repair_cells()
    return cls
