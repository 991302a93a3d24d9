"""Build the book in English and in Indonesian, from the same sources and one execution cache.

Usage::

    python scripts/build_book.py                      # both: _build/html and _build/html/id
    python scripts/build_book.py --strict             # as CI: fresh, -W -n --keep-going
    python scripts/build_book.py --language id        # one edition only
    python scripts/build_book.py --path-output /tmp/b # build under /tmp/b/_build

Run with ``PYTHONPATH=.`` and ``FASHION_MNIST_DIR`` set, as for ``jupyter-book build``.
The English edition is what ``jupyter-book build .`` makes. The Indonesian one is the same
Sphinx build with ``language = "id"``: Sphinx replaces every message of a page by its
translation in ``locale/id/LC_MESSAGES/book/<page>.po``. Code cells are identical in both,
so the chapters run once: both builds read ``_build/.jupyter_cache``
(``execute_notebooks: cache`` in ``_config.yml``). Each build has its own doctrees; the
Indonesian HTML is written to ``_build/id/html`` (myst-nb puts its ``jupyter_execute``
folder beside the output folder) and then copied to ``_build/html/id``.
``scripts/update_translations.py`` uses :func:`build` with the ``gettext`` builder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "id")


def output_paths(build: Path, language: str, builder: str = "html") -> tuple[Path, Path]:
    """The output folder and the doctree folder of one build under ``build`` (a ``_build`` folder)."""
    if builder == "gettext":
        return build / "gettext", build / ".doctrees-gettext"
    if language == "en":
        return build / builder, build / ".doctrees"
    return build / language / builder, build / language / ".doctrees"


def build(
    language: str,
    build_dir: Path,
    builder: str = "html",
    strict: bool = False,
    locale_dir: Path | None = None,
    quiet: bool = False,
) -> int:
    """Run one Sphinx build of the book as ``jupyter-book build`` does; return its status (0: success).

    ``locale_dir`` replaces ``locale_dirs`` of ``_config.yml`` (default: ``locale/``).
    """
    from jupyter_book.sphinx import build_sphinx

    if language not in LANGUAGES:
        raise ValueError(f"no edition in language {language!r}; choose from {', '.join(LANGUAGES)}")
    outdir, doctrees = output_paths(build_dir, language, builder)
    overrides = {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "language": language,
        "nb_execution_cache_path": str(build_dir / ".jupyter_cache"),
    }
    if strict:
        overrides["nitpicky"] = True
    if locale_dir is not None:
        overrides["locale_dirs"] = [str(locale_dir.resolve())]
    result = build_sphinx(
        ROOT,
        outdir,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides,
        doctreedir=doctrees,
        builder=builder,
        freshenv=strict,
        warningiserror=strict,
        keep_going=strict,
        quiet=quiet,
    )
    status = 1 if isinstance(result, Exception) else int(result)
    if status == 0 and builder == "html" and language != "en":
        published = build_dir / "html" / language
        shutil.rmtree(published, ignore_errors=True)
        shutil.copytree(outdir, published)
        print(f"{language} edition copied to {published}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    parser.add_argument("--strict", action="store_true", help="fresh build, warnings are errors (-W -n --keep-going)")
    parser.add_argument("--builder", default="html", choices=["html", "gettext"])
    parser.add_argument("--path-output", type=Path, default=ROOT, help="the folder that gets _build/ (default: .)")
    parser.add_argument("--locale-dir", type=Path, help="the catalogues' folder (default: locale/)")
    args = parser.parse_args(argv)
    build_dir = args.path_output.resolve() / "_build"
    if args.language != "all":
        return build(args.language, build_dir, args.builder, args.strict, args.locale_dir)
    # English first: it runs the chapters and fills the cache that the Indonesian build reads.
    # Each edition in its own process, as two `jupyter-book build` calls would be.
    for language in LANGUAGES:
        command = [sys.executable, __file__, "--language", language, "--builder", args.builder]
        command += ["--path-output", str(args.path_output.resolve())] + (["--strict"] if args.strict else [])
        command += ["--locale-dir", str(args.locale_dir.resolve())] if args.locale_dir else []
        status = subprocess.run(command, cwd=ROOT).returncode
        if status:
            print(f"the {language} build failed (exit {status})", file=sys.stderr)
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
