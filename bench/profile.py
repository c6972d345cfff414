"""Where the Rasa server spends its time under the benchmark's load.

Starts BackCare's servers as `make bench` does, runs the concurrent load and
samples the Rasa server with py-spy (install it first: `pip install py-spy`;
it is not a project dependency). Prints the share of busy samples spent in
each part of a turn; the raw stacks stay in the output file for a closer look.

    python -m bench.profile [--out var/rasa-profile.txt] [--long 300]

With `--long N` the load is one conversation of N turns instead (the
benchmark's long conversation): where a late turn's time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterable, Tuple

from bench import long_conversation
from bench.common import load
from bench.system import fresh_databases, start_system
from bot import paths, servers, training

# (label, a frame that marks it). Shares are inclusive and may overlap.
PARTS: Tuple[Tuple[str, str], ...] = (
    ("NLU (parse_message)", "parse_message (rasa/core/processor.py"),
    ("  DIET", "process (rasa/nlu/classifiers/diet_classifier.py"),
    ("  ResponseSelector", "process (rasa/nlu/selectors/response_selector.py"),
    ("  joining sparse features (scipy hstack)", "hstack (scipy/sparse/_construct.py"),
    ("  spaCy", "__call__ (spacy/language.py"),
    ("tracker store: retrieve", "retrieve (rasa/core/tracker_store.py"),
    ("  events read back into a tracker", "from_dict (rasa/shared/core/trackers.py"),
    ("tracker store: save", "save (rasa/core/tracker_store.py"),
    ("policies (next action)", "_predict_next_with_tracker (rasa/core/processor.py"),
    ("  states of the past turns", "past_states (rasa/shared/core/trackers.py"),
    ("running actions", "_run_action (rasa/core/processor.py"),
    ("  tracker copy for the action", "copy (rasa/shared/core/trackers.py"),
    ("  tracker sent to the action server", "current_state (rasa/shared/core/trackers.py"),
    ("  HTTP to the action server", "request (rasa/utils/endpoints.py"),
    ("  action-response validation", "_validate_action_result"),
)


def shares(stacks: Iterable[str]) -> Dict[str, float]:
    """Inclusive share of samples per part, from py-spy's raw (folded) output."""
    counts: Dict[str, int] = collections.Counter()
    total = 0
    for line in stacks:
        stack, _, number = line.rstrip().rpartition(" ")
        if not number.isdigit():
            continue
        samples = int(number)
        total += samples
        frames = re.sub(r":\d+\)", ")", stack)
        for label, marker in PARTS:
            if marker in frames:
                counts[label] += samples
    return {label: counts[label] / total if total else 0.0 for label, _ in PARTS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(paths.RUNTIME_DIR / "rasa-profile.txt"))
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--long", type=int, default=0, help="one conversation of this many turns instead")
    parser.add_argument("--model", type=Path, default=None, help="a trained model, used as it is")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    model = args.model.resolve() if args.model else training.train()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        settings, processes, rasa, _ = start_system(model, True, workdir, fresh_databases(workdir))
        try:
            asyncio.run(load(settings.rasa_url, 1, 1))  # warm-up
            spy = subprocess.Popen(
                [py_spy, "record", "-p", str(rasa.pid), "-r", "200", "-f", "raw", "-o", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if args.long:
                result = asyncio.run(long_conversation.long_conversation(settings.rasa_url, args.long))
            else:
                result = asyncio.run(load(settings.rasa_url, args.concurrency, 2))
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on interrupt
            spy.wait(timeout=60)
        finally:
            servers.stop(processes)
    print(f"{result['turns_per_s']:.1f} turns/s, p95 {result['p95_ms']:.0f} ms; stacks in {out}")
    if args.long:
        window = result["window"]
        print(
            f"median of the first {window} turns {result['first_median_ms']:.0f} ms, "
            f"of the last {window} {result['last_median_ms']:.0f} ms ({result['last_to_first']:.2f}x)"
        )
    for label, share in shares(out.read_text().splitlines()).items():
        print(f"{share * 100:5.1f}%  {label}")


if __name__ == "__main__":
    main()
