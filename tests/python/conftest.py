"""Shared fixtures of the Python wheel's tests (run by scripts/test.sh in the venv that
scripts/setup-python.sh makes): the real files in ../shared/data, the browser package's results
on them (tests/python/js_reference.mjs on the built pkg/), a Spark ``local[2]`` session and a
Dask ``LocalCluster``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


def data(rel: str) -> str:
    p = DATA / rel
    if not p.exists():
        pytest.fail(f"{p}: the shared data must sit beside the repository (../shared/data)")
    return str(p)


_js_cache: dict = {}


def js_result(what: str, rel: str, options: dict) -> dict:
    """The browser package's result on a file (cached per session)."""
    key = (what, rel, json.dumps(options, sort_keys=True))
    if key in _js_cache:
        return _js_cache[key]
    pkg = ROOT / "pkg" / "node.js"
    node = shutil.which("node")
    if not pkg.exists() or node is None:
        reason = f"the built package ({pkg}) and node are needed for the comparison with the JS results"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    out = subprocess.run([node, str(ROOT / "tests" / "python" / "js_reference.mjs"), what, data(rel), json.dumps(options)],
                         capture_output=True, check=True, timeout=600)
    _js_cache[key] = json.loads(out.stdout)
    return _js_cache[key]


def lines_of(rel: str):
    """(header, lines) of a text file, as the engines' line readers give them."""
    with open(data(rel), encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    return lines[0], lines[1:]


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        reason = "Spark tests skipped: no Java runtime (java not on PATH, JAVA_HOME unset); scripts/setup-python.sh installs openjdk-17-jre-headless"
        print(reason)
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    # The Python workers must run this interpreter (the venv with pyarrow and crmlens).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("crmlens-tests")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "4")
         .config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.driver.host", "127.0.0.1")
         .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
         .getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def dask_client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()
