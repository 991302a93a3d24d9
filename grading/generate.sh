#!/usr/bin/env bash
# Regenerate the student notebooks in exercises/ from the source notebooks in solutions/.
# Run from anywhere; nbgrader reads nbgrader_config.py from the repository root.
# The gradebook it touches (gradebook.db) is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
for source in solutions/*/; do
    assignment="$(basename "$source")"
    nbgrader generate_assignment "$assignment" --force
done
# The Indonesian release (exercises_id/) follows the English one; it stops with the message to translate
# when an English paragraph changed (scripts/translate_notebooks.py, INSTRUCTORS.md).
python scripts/translate_notebooks.py build
