"""Why do batch-norm epochs take one of two times? Epoch times of one candidate under several settings.

``bench_fast_recipe.py`` found the batch-norm candidates' epochs bimodal on this CPU (about 49 s or
84 s on 60,000 images) while every recipe epoch took 37-44 s. This benchmark trains one candidate
of that file (``--candidate``, default ``batchnorm_bf16``) for ``--epochs`` epochs on
``--train-size`` images under each setting of ``SETTINGS``, each in its own process (environment
variables and thread counts must be set before TensorFlow starts), one after the other. Per epoch
it records the wall time and the process CPU time: a slow epoch that burns as much CPU per second
as a fast one does more work (other kernels, denormal numbers), one that burns less waits (a core
left idle). It also records how much freed memory the guest kernel handed back to the hypervisor
during the training (``freed_pages_reported_mib``: Linux free page reporting, where the machine is
such a VM); the host must fault such memory in again when it is next used. Prints a line per
setting and writes ``results/benchmarks/epoch_modes.json``.

    python benchmarks/bench_epoch_modes.py --train-size 16384 --epochs 8
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORTED_KIB = Path("/sys/module/page_reporting/parameters/reported_kib")  # a VM's free page reporting, if any
SLOW_FACTOR = 1.3  # an epoch this many times the fastest steady epoch counts as slow

SETTINGS: dict[str, dict] = {
    "default": {"description": "as bench_fast_recipe.py: one fit call per epoch, NumPy arrays"},
    "one_fit_call": {"description": "one fit call for all epochs (epoch times from a callback)", "one_fit": True},
    "repeat_one_fit": {
        "description": "one fit call on a repeated tf.data pipeline with steps_per_epoch: one iterator for all epochs",
        "one_fit": True,
        "repeat": True,
    },
    "threads_1_2": {"description": "1 intra-op thread, 2 inter-op threads", "threads": (1, 2)},
    # bfloat16 without oneDNN is emulated (about 7x slower here), so oneDNN is tested on the float32 candidate
    "float32": {
        "description": "the float32 batch-norm candidate, as a control for onednn_off",
        "candidate": "batchnorm",
    },
    "onednn_off": {
        "description": "the float32 batch-norm candidate with TF_ENABLE_ONEDNN_OPTS=0 (no oneDNN kernels)",
        "candidate": "batchnorm",
        "env": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    },
    "nondeterministic": {
        "description": "seeds set, but without tf.config.experimental.enable_op_determinism()",
        "deterministic": False,
    },
    "xla": {"description": "compiled with jit_compile=True (XLA; Keras leaves it off on CPU)", "jit_compile": True},
    "bfc_allocator": {
        "description": "TF_CPU_ALLOCATOR_USE_BFC=true: TensorFlow keeps freed CPU memory in its own pool",
        "env": {"TF_CPU_ALLOCATOR_USE_BFC": "true"},
    },
    "malloc_keep": {
        "description": "glibc keeps freed memory (MALLOC_MMAP_THRESHOLD_ 32 MiB, MALLOC_TRIM_THRESHOLD_ 8 GiB)",
        "env": {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(8 << 30)},
    },
    "recipe": {"description": "the report's recipe (no batch norm, float32), as a control", "candidate": "recipe"},
}


def summarize(wall: list[float], cpu: list[float]) -> dict:
    """Median, range and slow epochs of the steady epochs (the first, which traces the model, left out)."""
    steady_wall, steady_cpu = wall[1:], cpu[1:]
    fastest = min(steady_wall)
    slow = [i for i, seconds in enumerate(steady_wall, start=2) if seconds > SLOW_FACTOR * fastest]
    usage = [c / w for c, w in zip(steady_cpu, steady_wall, strict=True)]
    fast_usage = [u for i, u in enumerate(usage, start=2) if i not in slow]
    slow_usage = [u for i, u in enumerate(usage, start=2) if i in slow]
    return {
        "median_epoch_seconds": round(sorted(steady_wall)[len(steady_wall) // 2], 2),
        "fastest_epoch_seconds": round(fastest, 2),
        "slowest_epoch_seconds": round(max(steady_wall), 2),
        "slow_epochs": slow,
        "cores_busy_fast_epochs": round(sum(fast_usage) / len(fast_usage), 2) if fast_usage else None,
        "cores_busy_slow_epochs": round(sum(slow_usage) / len(slow_usage), 2) if slow_usage else None,
    }


def worker(setting: dict, candidate: str, train_size: int, epochs: int, seed: int) -> dict:
    """Train in this process and return per-epoch wall and CPU seconds."""
    sys.path[:0] = [str(ROOT), str(HERE)]  # run from a checkout without installing the package
    from cae_ref._tf import keras, tf

    if "threads" in setting:
        intra, inter = setting["threads"]
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    import bench_fast_recipe as bench

    from cae_ref import load_fashion_mnist, preprocess_images
    from cae_ref.subsets import TRAIN_SUBSET_SEED, random_subsets
    from cae_ref.training import set_global_seed

    recipe = bench.REPORT_RECIPE if candidate == "recipe" else bench.CANDIDATES[candidate]
    (x_train, _), _ = load_fashion_mnist()
    (rows,) = random_subsets(TRAIN_SUBSET_SEED, (len(x_train), train_size))
    x = preprocess_images(x_train if rows is None else x_train[rows])
    keras.mixed_precision.set_global_policy(recipe.policy)
    if setting.get("deterministic", True):
        set_global_seed(seed)
    else:
        keras.utils.set_random_seed(seed)
    model = bench.build_model(recipe)
    optimizer = keras.optimizers.Adam(bench.learning_rate_for(recipe, len(x)))
    model.compile(optimizer=optimizer, loss="binary_crossentropy", jit_compile=setting.get("jit_compile", "auto"))
    wall, cpu = [], []
    reported_before = reported_kib()
    if setting.get("one_fit"):

        class EpochClock(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.tic = time.perf_counter(), time.process_time()

            def on_epoch_end(self, epoch, logs=None):
                wall.append(time.perf_counter() - self.tic[0])
                cpu.append(time.process_time() - self.tic[1])

        if setting.get("repeat"):
            data = bench.tf_dataset(x, recipe.batch_size, seed).repeat()
            steps = math.ceil(len(x) / recipe.batch_size)
            model.fit(data, epochs=epochs, steps_per_epoch=steps, verbose=0, callbacks=[EpochClock()])
        else:
            model.fit(
                x, x, batch_size=recipe.batch_size, epochs=epochs, shuffle=True, verbose=0, callbacks=[EpochClock()]
            )
    else:
        for epoch in range(1, epochs + 1):
            keras.utils.set_random_seed(seed + epoch)
            tic, cpu_tic = time.perf_counter(), time.process_time()
            model.fit(x, x, batch_size=recipe.batch_size, epochs=1, shuffle=True, verbose=0)  # the earlier harness
            wall.append(time.perf_counter() - tic)
            cpu.append(time.process_time() - cpu_tic)
    reported = None if reported_before is None else round((reported_kib() - reported_before) / 1024)
    return {
        "epoch_seconds": [round(s, 2) for s in wall],
        "epoch_cpu_seconds": [round(s, 2) for s in cpu],
        "freed_pages_reported_mib": reported,
    }


def reported_kib() -> int | None:
    """KiB of free memory the guest kernel has handed back to the hypervisor so far (None outside such a VM)."""
    return int(REPORTED_KIB.read_text()) if REPORTED_KIB.is_file() else None


def run_setting(name: str, args: argparse.Namespace) -> dict:
    """Run one setting in a fresh Python process and return its record."""
    setting = SETTINGS[name]
    candidate = setting.get("candidate", args.candidate)
    command = [sys.executable, __file__, "--worker", name, "--candidate", candidate]
    command += ["--train-size", str(args.train_size), "--epochs", str(args.epochs), "--seed", str(args.seed)]
    env = {**os.environ, **setting.get("env", {})}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"setting {name!r} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    times = json.loads(done.stdout.strip().splitlines()[-1])
    record = {"setting": name, "description": setting["description"], "candidate": candidate, **times}
    return record | summarize(times["epoch_seconds"], times["epoch_cpu_seconds"])


def main(argv: list[str] | None = None) -> int:
    """Run every setting (or ``--settings``), print a line each and write ``--out``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--candidate", default="batchnorm_bf16", help="a candidate of bench_fast_recipe.py")
    parser.add_argument("--settings", default=",".join(SETTINGS), help=f"comma-separated, of {', '.join(SETTINGS)}")
    parser.add_argument("--train-size", type=int, default=16_384)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "epoch_modes.json")
    args = parser.parse_args(argv)
    names = args.settings.split(",")
    unknown = sorted(set(names) - set(SETTINGS))
    if unknown:
        parser.error(f"unknown settings {unknown}; expected some of {sorted(SETTINGS)}")
    if args.worker:
        print(json.dumps(worker(SETTINGS[args.worker], args.candidate, args.train_size, args.epochs, args.seed)))
        return 0

    sys.path.insert(0, str(ROOT))
    from cae_ref.provenance import environment, utc_timestamp

    started, rows = time.perf_counter(), []
    for name in names:
        rows.append(run_setting(name, args))
        row = rows[-1]
        print(
            f"{name:<14} {row['candidate']:<15} median {row['median_epoch_seconds']:6.2f} s, "
            f"range {row['fastest_epoch_seconds']:.2f}-{row['slowest_epoch_seconds']:.2f} s, "
            f"slow epochs {row['slow_epochs']}, cores busy {row['cores_busy_fast_epochs']} / "
            f"{row['cores_busy_slow_epochs']} (fast / slow epochs)",
            flush=True,
        )
    record = {
        "benchmark": "bench_epoch_modes",
        "command": "python benchmarks/bench_epoch_modes.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "created_utc": utc_timestamp(),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "train_images": args.train_size,
        "epochs": args.epochs,
        "slow_factor": SLOW_FACTOR,
        "settings": rows,
        "environment": environment(),
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
