#!/usr/bin/env bash
# Simulate a student in Google Colab: a fresh virtual environment with only Colab's stock
# packages that the exercises need (tensorflow-cpu, numpy, matplotlib, plus the notebook runner),
# no cae_ref and no course checkout on the path. Each exercise notebook from exercises/ gets the
# reference solution filled in and runs top to bottom; its setup cell installs cae_ref with
# `%pip install`, from this checkout instead of GitHub (the only change), and the data come from
# the Keras cache as after Keras' download in Colab. Passes when every cell runs and every
# visible test passes (no error, nothing on stderr in a test cell), i.e. the autograder's verdict.
#
# Usage: grading/simulate_colab.sh [assignment ...]    (default: all of them)
# Needs the package registry (pip) and FASHION_MNIST_DIR. Takes several minutes; the result is
# appended to grading/colab_simulation.md. Not part of the pytest suite (too slow for CI).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
: "${FASHION_MNIST_DIR:?set FASHION_MNIST_DIR to the Fashion-MNIST folder}"
WORK="$(mktemp -d /tmp/colab-sim.XXXXXX)"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-/tmp/colab-sim-pip-cache}"
BASE_PYTHON="$("$REPO/.venv/bin/python" -c 'import sys; print(sys._base_executable)')"
ASSIGNMENTS=("$@")
if [ ${#ASSIGNMENTS[@]} -eq 0 ]; then
    mapfile -t ASSIGNMENTS < <(cd "$REPO/solutions" && ls -d */ | tr -d /)
fi

start=$(date +%s)
VENV="${COLAB_SIM_VENV:-$WORK/venv}"   # reuse a prepared venv (cae_ref is uninstalled first)
prepared="prepared beforehand"
if [ ! -x "$VENV/bin/python" ]; then
    prepared="created now"
    "$BASE_PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet "tensorflow-cpu==2.21.0" numpy matplotlib ipykernel nbclient nbformat
fi
"$VENV/bin/pip" uninstall --quiet --yes cae_ref 2>/dev/null || true
if (cd "$WORK" && env -u PYTHONPATH "$VENV/bin/python" -c "import cae_ref" 2>/dev/null); then
    echo "cae_ref is importable before the setup cell ran: not a fresh environment" >&2
    exit 1
fi
install_seconds=$(( $(date +%s) - start ))

# Keras' download location in Colab, already filled (no internet from this machine).
mkdir -p "$WORK/keras/datasets/fashion-mnist"
cp "$FASHION_MNIST_DIR"/*.gz "$WORK/keras/datasets/fashion-mnist/"

# The releases with the reference answers filled in, installing cae_ref from this checkout.
(cd "$REPO" && .venv/bin/python -m grading.submissions "$WORK/run" "${ASSIGNMENTS[@]}" --install-from "$REPO")

cat > "$WORK/run_notebooks.py" <<'EOF'
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

failures = 0
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    start = time.time()
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    problems = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"{meta.get('grade_id', '?')}: {output.ename}: {output.evalue}")
            elif meta.get("grade") and output.get("name") == "stderr":
                problems.append(f"{meta['grade_id']}: stderr: {output.text[:200]}")
    verdict = "PASS" if not problems else "FAIL"
    failures += bool(problems)
    print(f"{Path(path).stem}: {verdict} in {time.time() - start:.0f} s")
    for problem in problems:
        print("   ", problem)
sys.exit(1 if failures else 0)
EOF

cd "$WORK/run"
set +e
env -u PYTHONPATH -u FASHION_MNIST_DIR KERAS_HOME="$WORK/keras" PATH="$VENV/bin:$PATH" \
    "$VENV/bin/python" "$WORK/run_notebooks.py" "${ASSIGNMENTS[@]/%/.ipynb}" | tee "$WORK/result.txt"
status=${PIPESTATUS[0]}
set -e
versions="$(cd "$WORK" && env -u PYTHONPATH "$VENV/bin/python" -c 'import tensorflow as tf, numpy, matplotlib, cae_ref; print(f"tensorflow {tf.__version__}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}, cae_ref {cae_ref.__version__}")' 2>/dev/null)"
{
    echo ""
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo ""
    echo "Venv ${prepared} ($("$VENV/bin/python" --version), ${install_seconds} s here): $versions."
    echo ""
    echo '```'
    cat "$WORK/result.txt"
    echo '```'
} >> "$REPO/grading/colab_simulation.md"
echo "recorded in grading/colab_simulation.md (work folder $WORK)"
exit "$status"
