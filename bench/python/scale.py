"""Scale figure of the Python wheel's customer value (not a test): a generated transaction file
(customer_id,date,amount; seeded) through the single-process wheel (pandas-free: lines into
crmlens.Lines), Dask (LocalCluster, 2 workers) and Spark (local[2]); time, peak memory of this
process tree, state bytes per partition, and the projection. Usage (in the venv of
scripts/setup-python.sh, wheel built):

    python bench/python/scale.py ROWS [PARTITIONS] [ENGINES] [WHAT]
    # e.g. 1000000 16;  10000000 16 dask,spark value,profile
    # ENGINES: comma list of single, dask, spark (default all); WHAT: value, profile (default value)

Writes bench/out/python_scale_<ROWS>.json and prints a table.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import crmlens

ROOT = Path(__file__).resolve().parents[2]
COLS = dict(customer="customer_id", date="date", amount="amount")
FIT = dict(calibration_end="2024-09-30")


def generate(path: Path, rows: int, seed: int = 7, shape: str = None):
    """A seeded transaction file of `rows` rows over 2024. Shape "btyd" (default): CDNOW-like
    customers drawn from the BG/NBD story (purchase rate ~ Gamma(0.24, 31 days), drop-out
    after each purchase with p ~ Beta(0.79, 2.43), first purchase in the first quarter, one
    row per purchase day and a second one on 10 % of them, amounts with two decimals around a
    per-customer mean), so that the fits have something to identify. Shape "uniform" (the file
    of the earlier runs, `SCALE_SHAPE=uniform`): rows/8 customers buying on uniformly random
    days, which BG/NBD cannot identify (no drop-out): its fit runs to degenerate parameters and
    takes most of the time."""
    import datetime

    shape = shape or os.environ.get("SCALE_SHAPE", "btyd")
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("customer_id,date,amount\n")
        buf = []
        if shape == "uniform":
            customers = max(1, rows // 8)
            for i in range(rows):
                c = rng.randrange(customers)
                d = 1 + rng.randrange(365)
                m, day = divmod(d - 1, 31)
                buf.append(f"C{c:08d},2024-{min(m + 1, 12):02d}-{min(day + 1, 28):02d},{rng.randrange(100, 20000) / 100:.2f}\n")
                if len(buf) == 100_000:
                    f.writelines(buf)
                    buf.clear()
        else:
            dates = [(datetime.date(2024, 1, 1) + datetime.timedelta(days=i)).isoformat() for i in range(366)]
            n, c = 0, 0
            while n < rows:
                lam = rng.gammavariate(0.24, 1 / 31)
                p = rng.betavariate(0.79, 2.43)
                mean = rng.gammavariate(6.0, 6.0)
                day = rng.randrange(90)
                while day < 366 and n < rows:
                    for _ in range(1 + (rng.random() < 0.1)):
                        if n < rows:
                            buf.append(f"C{c:08d},{dates[day]},{max(1, round(rng.gammavariate(4.0, mean / 4.0) * 100)) / 100:.2f}\n")
                            n += 1
                    if rng.random() < p or lam <= 0:
                        break
                    day += 1 + int(rng.expovariate(lam))
                c += 1
                if len(buf) >= 100_000:
                    f.writelines(buf)
                    buf.clear()
        f.writelines(buf)


def peak_mb():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(kids, 1)


def single(path: Path, parts: int):
    t = time.perf_counter()
    with open(path) as f:
        lines = f.read().splitlines()
    head, lines = lines[0], lines[1:]
    n = len(lines)
    states = [crmlens.CustomerSummary.update(crmlens.Lines(lines[i * n // parts:(i + 1) * n // parts], head), part=i, **COLS)
              for i in range(parts)]
    sizes = [len(s.to_bytes()) for s in states]
    v = crmlens.customer_value(crmlens.CustomerSummary.merge(states), **FIT)
    return time.perf_counter() - t, v, sizes


def dask_run(path: Path, parts: int):
    import crmlens.dask as cd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cl, Client(cl):
        t = time.perf_counter()
        size = os.path.getsize(path)
        s = cd.customer_summary(cd.read_lines(str(path), blocksize=max(1, size // parts + 1)), **COLS)
        t1 = time.perf_counter()
        v = crmlens.customer_value(s, **FIT)
        return time.perf_counter() - t, v, {"summary_s": round(t1 - t, 2), "fit_s": round(time.perf_counter() - t1, 2),
                                            "merged_state_bytes": len(s.to_bytes())}


def spark_run(path: Path, parts: int):
    import crmlens.spark as cs
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.driver.memory", "4g")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    try:
        t = time.perf_counter()
        m = cs.customer_summary(cs.read_lines(s, str(path), partitions=parts), **COLS)
        t1 = time.perf_counter()
        v = crmlens.customer_value(m, **FIT)
        return time.perf_counter() - t, v, {"summary_s": round(t1 - t, 2), "fit_s": round(time.perf_counter() - t1, 2),
                                            "merged_state_bytes": len(m.to_bytes())}
    finally:
        s.stop()


def dask_profile(path: Path, parts: int):
    import crmlens.dask as cd
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cl, Client(cl):
        t = time.perf_counter()
        size = os.path.getsize(path)
        r = cd.profile(cd.read_lines(str(path), blocksize=max(1, size // parts + 1)))
        return time.perf_counter() - t, r


def spark_profile(path: Path, parts: int):
    import crmlens.spark as cs
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.driver.memory", "4g")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    try:
        t = time.perf_counter()
        r = cs.profile(cs.read_lines(s, str(path), partitions=parts))
        return time.perf_counter() - t, r
    finally:
        s.stop()


def profile_state_sizes(path: Path, parts: int, sample: int = 2):
    """First- and second-pass state bytes of the first `sample` partitions (single process)."""
    with open(path) as f:
        lines = f.read().splitlines()
    head, lines = lines[0], lines[1:]
    n = len(lines)
    batches = [crmlens.Lines(lines[i * n // parts:(i + 1) * n // parts], head) for i in range(parts)]
    firsts = [crmlens.ProfileState.update(b, part=i) for i, b in enumerate(batches)]
    first = crmlens.ProfileState.merge(firsts)
    seconds = [first.second_pass(b, part=i) for i, b in enumerate(batches[:sample])]
    return {"first_per_partition": [len(s) for s in firsts[:sample]], "first_merged": len(first),
            "second_per_partition": [len(s) for s in seconds], "rows_per_partition": n // parts}


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    parts = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    engines = sys.argv[3].split(",") if len(sys.argv) > 3 else ["single", "dask", "spark"]
    what = sys.argv[4].split(",") if len(sys.argv) > 4 else ["value"]
    if "profile" in what:
        return profile_main(rows, parts, engines)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "tx.csv"
        t = time.perf_counter()
        generate(path, rows)
        out = {"rows": rows, "shape": os.environ.get("SCALE_SHAPE", "btyd"), "partitions": parts, "file_bytes": os.path.getsize(path),
               "generate_s": round(time.perf_counter() - t, 1)}
        out["loadavg_start"] = os.getloadavg()
        ref = None
        if "single" in engines:
            secs, ref, sizes = single(path, parts)
            out["wheel_single_process_s"] = round(secs, 2)
            out["state_bytes_per_partition"] = {"min": min(sizes), "max": max(sizes), "mean": sum(sizes) / len(sizes)}
            out["state_bytes_per_row"] = round(sum(sizes) / rows, 2)
            out["customers"] = ref.customers.num_rows
            out["peak_rss_mb_after_wheel"] = peak_mb()
        if "dask" in engines:
            secs, v, split = dask_run(path, parts)
            out["dask_s"] = round(secs, 2)
            out["dask_split"] = split
            out["dask_customers"] = v.customers.num_rows
            if ref is not None:
                out["dask_same"] = v.customers.equals(ref.customers)
            ref = ref or v
            out["peak_rss_mb_self_children_after_dask"] = peak_mb()
        if "spark" in engines:
            try:
                secs, v, split = spark_run(path, parts)
                out["spark_s"] = round(secs, 2)
                out["spark_split"] = split
                if ref is not None:
                    out["spark_same"] = v.customers.equals(ref.customers)
            except Exception as e:  # no Java: say so
                out["spark_error"] = repr(e)[:300]
        out["peak_rss_mb_self_children"] = peak_mb()
        out["loadavg_end"] = os.getloadavg()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    tag = os.environ.get("SCALE_TAG", "")
    (ROOT / "bench" / "out" / f"python_scale_{rows}{tag}.json").write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


def differences(a, b, path="", out=None, limit=40):
    """Where two reports differ: [path, a, b] (numbers also with their relative difference)."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            differences(a.get(k), b.get(k), f"{path}.{k}", out, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{i}]", out, limit)
    elif a != b and len(out) < limit:
        num = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
        out.append([path, a, b] + ([abs(a - b) / max(abs(a), abs(b), 1e-300)] if num else []))
    return out


def profile_main(rows: int, parts: int, engines: list):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "tx.csv"
        generate(path, rows)
        out = {"rows": rows, "partitions": parts, "file_bytes": os.path.getsize(path), "what": "profile",
               "loadavg_start": os.getloadavg()}
        if "single" in engines:
            out["profile_state_bytes"] = profile_state_sizes(path, parts)
        reports = {}
        if "dask" in engines:
            secs, reports["dask"] = dask_profile(path, parts)
            out["dask_profile_s"] = round(secs, 2)
            out["peak_rss_mb_self_children_after_dask"] = peak_mb()
        if "spark" in engines:
            secs, reports["spark"] = spark_profile(path, parts)
            out["spark_profile_s"] = round(secs, 2)
        if len(reports) == 2:
            a, b = (dict(r, dataset={k: v for k, v in r["dataset"].items() if k != "memoryBytes"}, load=None)
                    for r in reports.values())
            out["dask_spark_same_report"] = a == b
            # Dask cuts the file by bytes, Spark by line ranges: the partitions differ, so the
            # sketches (HyperLogLog, KLL) may give other estimates within their bounds.
            out["dask_spark_differences"] = differences(a, b)
        for k, r in reports.items():
            out[f"{k}_rows"] = r["dataset"]["rows"]
        out["peak_rss_mb_self_children"] = peak_mb()
        out["loadavg_end"] = os.getloadavg()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / f"python_scale_profile_{rows}.json").write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
