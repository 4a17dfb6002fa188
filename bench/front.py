"""N replicas of `streamlit run app.py` behind nginx (sticky by cookie), held up until killed, so
`bench.load_test --url` can drive them like one server (issue 14: the session count two replicas
carry behind nginx, next to one replica).

    .venv/bin/python -m bench.front --replicas 2 --warehouse /tmp/wh10 &
    .venv/bin/python -m bench.load_test --client ws --url http://127.0.0.1:PORT --sessions 20,40 ...

Prints the nginx URL on its first line. The replicas run with the production settings of
docs/SCALE_OUT.md (the same as bench.replicas); nginx is the sticky configuration of that page.
"""
from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.replicas import SERVER_ARGS, nginx
from bench.serving import PROJECT_ROOT, demo_warehouse, streamlit_servers


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` stops nginx and the replicas
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--warehouse", help="existing warehouse (default: a fresh demo warehouse in a temp dir)")
    args = ap.parse_args()
    log_dir = PROJECT_ROOT / "bench" / "out"
    log_dir.mkdir(parents=True, exist_ok=True)
    with demo_warehouse(args.warehouse) as root, contextlib.ExitStack() as stack:
        bases = [url for url, _ in stack.enter_context(streamlit_servers(
            root, args.replicas, logs=[log_dir / f"front-replica-{i}.log" for i in range(args.replicas)],
            extra_args=SERVER_ARGS))]
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="spbe-front-")))
        url, _ = stack.enter_context(nginx(bases, workdir))
        print(url, flush=True)
        print(f"{len(bases)} replika di belakang nginx: {', '.join(bases)}; gudang data {root}", flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
