"""Run every benchmark module's main() (or the ones named: python -m bench kpi pages)."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run only when named (`python -m bench province`, `python -m bench load`): they build a
# province on PostgreSQL and drive a server for a minute.
SKIP = {"data", "province", "load"}


def main() -> int:
    names = sys.argv[1:] or [
        module.name for module in pkgutil.iter_modules([str(HERE)]) if not module.name.startswith("_") and module.name not in SKIP
    ]
    failed = 0
    for name in names:
        module = importlib.util.find_spec(f"bench.{name}")
        if module is None:
            print(f"no benchmark named {name}")
            failed += 1
            continue
        print(f"== bench/{name}.py", flush=True)
        # Each benchmark in its own process: its own Django set-up and memory figures.
        failed += subprocess.call([sys.executable, "-c", f"import bench.{name} as b; b.main()"], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
