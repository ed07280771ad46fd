"""Peak memory of a process tree (not a test): samples /proc every EVERY seconds while the
root process lives and writes the peaks as JSON to OUT (rewritten at every sample): `client`
= the root (the bench process), `jvm` = the largest `java` process (Spark), `worker_max` /
`workers_sum` = the other descendants (Dask workers, Spark's Python workers), `tree_sum` = all.
Usage, beside a bench (as bench/README.md's "Spark at 10^7" figures were taken):

    python bench/python/scale.py 10000000 16 spark value &
    python3 bench/python/peak_tree.py $! 3 /tmp/peaks.json
"""
import json, os, sys, time
root, every, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
peaks = {"client_mb": 0, "jvm_mb": 0, "worker_max_mb": 0, "workers_sum_mb": 0, "tree_sum_mb": 0, "samples": 0}
def procs():
    d = {}
    for p in os.listdir("/proc"):
        if not p.isdigit(): continue
        try:
            st = open(f"/proc/{p}/stat").read()
            ppid = int(st.rsplit(")", 1)[1].split()[1])
            rss = 0
            for l in open(f"/proc/{p}/status"):
                if l.startswith("VmRSS:"): rss = int(l.split()[1]) / 1024
            comm = open(f"/proc/{p}/comm").read().strip()
            d[int(p)] = (ppid, rss, comm)
        except Exception: pass
    return d
while os.path.exists(f"/proc/{root}"):
    d = procs(); tree = {root}; changed = True
    while changed:
        changed = False
        for p, (pp, _, _) in d.items():
            if pp in tree and p not in tree: tree.add(p); changed = True
    ws = [d[p][1] for p in tree if p != root and p in d and d[p][2] != "java"]
    js = [d[p][1] for p in tree if p in d and d[p][2] == "java"]
    peaks["client_mb"] = max(peaks["client_mb"], d.get(root, (0, 0, 0))[1])
    peaks["jvm_mb"] = max(peaks["jvm_mb"], max(js, default=0))
    peaks["worker_max_mb"] = max(peaks["worker_max_mb"], max(ws, default=0))
    peaks["workers_sum_mb"] = max(peaks["workers_sum_mb"], sum(ws))
    peaks["tree_sum_mb"] = max(peaks["tree_sum_mb"], sum(d[p][1] for p in tree if p in d))
    peaks["samples"] += 1
    open(out, "w").write(json.dumps({k: round(v, 1) for k, v in peaks.items()}))
    time.sleep(every)
