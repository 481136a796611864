"""Child process of `gongkai bench monitor`: crawl the sites given on stdin (JSON), pickle
the results to the path in argv[1], print CPU and memory figures. Imports no Django, so its
start-up is what a crawler worker's would be."""

import asyncio
import json
import pickle
import resource
import sys
import time
from datetime import date
from pathlib import Path

from gongkai.monitor.crawl import Budget, acrawl_site


def peak_rss_kb() -> int:
    """VmHWM of this process: ``ru_maxrss`` would carry the parent's peak across fork+exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def runqueue_wait() -> float:
    """Seconds this process spent runnable but waiting for a CPU (Linux schedstat): on a
    shared machine it tells crawling time from time lost to other processes."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def main(out_path: str) -> None:
    spec = json.loads(sys.stdin.read())
    today = date.fromisoformat(spec["today"])
    budget = Budget.fast(timeout=float(spec["timeout"]))

    async def crawl_all():
        return await asyncio.gather(
            *(
                acrawl_site(url, allow_private=True, budget=budget, today=today)
                for url in spec["sites"]
            )
        )

    before = resource.getrusage(resource.RUSAGE_SELF)
    waited = runqueue_wait()
    started = time.perf_counter()
    results = asyncio.run(crawl_all())
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    waited = runqueue_wait() - waited
    Path(out_path).write_bytes(pickle.dumps(results))
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    sys.stdout.write(
        json.dumps(
            {
                "crawl_seconds": seconds,
                "crawl_cpu_seconds": cpu,
                "maxrss_kb": peak_rss_kb(),
                "runqueue_wait_seconds": waited,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
