"""Summary table of one `bench/run_all.sh` run: medians and ratios.

    python3 bench/pipeline/summarise.py RESULTS_DIR [CRITERION_DIR]

Reads what run_all.sh left in RESULTS_DIR: hyperfine exports (`egov.json`, `python.json`,
`r.json`), the Python and R pipelines' `key_numbers.json` / `r_key_numbers.json` (stage timings
of their last run), egov's
`timings.json` (stage timings; `manifest.json` for older runs), the peer logs (`irt.log`, `econ.log`) and
the criterion estimates written under CRITERION_DIR since `started` (a marker file).
"""

import json
import pathlib
import re
import sys


def hyperfine(path):
    if not path.exists():
        return None
    r = json.loads(path.read_text())["results"][0]
    return {"median": r["median"], "min": r["min"], "max": r["max"], "runs": len(r["times"]),
            "cpu": r["user"] + r["system"]}


def fmt(seconds):
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def stage_timings(obj):
    """Find a list of {stage, ms} records anywhere in a JSON document."""
    if isinstance(obj, list) and obj and all(isinstance(x, dict) and {"stage", "ms"} <= x.keys()
                                             for x in obj):
        return [(x["stage"], x["ms"] / 1e3) for x in obj]
    if isinstance(obj, dict):
        for v in obj.values():
            found = stage_timings(v)
            if found:
                return found
    if isinstance(obj, list):
        for v in obj:
            found = stage_timings(v)
            if found:
                return found
    return None


def main():
    res = pathlib.Path(sys.argv[1])
    crit = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
    rows = []  # (section, name, median seconds, peer name, peer median seconds)
    meta = json.loads((res / "meta.json").read_text()) if (res / "meta.json").exists() else {}
    eg, py = hyperfine(res / "egov.json"), hyperfine(res / "python.json")
    rr = hyperfine(res / "r.json")
    print(f"# bench/run_all.sh summary ({meta.get('date', '?')})")
    print(f"load average before: {meta.get('load_before', '?')}; after: {meta.get('load_after', '?')}")
    print(f"egov binary: {meta.get('egov_bin', '?')} (profile: {meta.get('profile', '?')})\n")
    if eg or py:
        print("## end to end (hyperfine)\n")
        print("| command | runs | median wall | min | max | mean CPU (user+sys) |")
        print("|---|---|---|---|---|---|")
        for name, h in ((f"egov reproduce [{meta.get('profile', '?')}]", eg),
                        ("python3 bench/pipeline/reproduce.py", py),
                        ("Rscript bench/pipeline/reproduce.R", rr)):
            if h:
                print(f"| {name} | {h['runs']} | {fmt(h['median'])} | {fmt(h['min'])} | "
                      f"{fmt(h['max'])} | {fmt(h['cpu'])} |")
        if eg and py:
            print(f"\nratio python / egov: wall (median) {py['median'] / eg['median']:.1f}×, "
                  f"CPU {py['cpu'] / eg['cpu']:.1f}×\n")
        rows.append(("pipeline", f"egov reproduce ({meta.get('profile', '?')})",
                     eg and eg["median"], "python reproduce.py", py and py["median"]))
        if rr:
            rows.append(("pipeline", f"egov reproduce ({meta.get('profile', '?')})",
                         eg and eg["median"], "R reproduce.R", rr["median"]))
    # Stage timings, side by side where the stage names agree.
    kn = res / "key_numbers.json"
    py_stages = json.loads(kn.read_text())["timings_s"] if kn.exists() else {}
    # Stage timings: timings.json beside the report; older runs kept them in manifest.json.
    mf = res / "timings.json"
    if not mf.exists():
        mf = res / "manifest.json"
    eg_stages = None
    if mf.exists():
        manifest = json.loads(mf.read_text())
        if isinstance(manifest.get("timings_ms"), dict):
            eg_stages = [(k, v / 1e3) for k, v in manifest["timings_ms"].items()]
            if "total_ms" in manifest:
                eg_stages.append(("total", manifest["total_ms"] / 1e3))
        else:
            eg_stages = stage_timings(manifest)
    rk = res / "r_key_numbers.json"
    r_stages = json.loads(rk.read_text())["timings_s"] if rk.exists() else {}
    if py_stages or eg_stages:
        print("## stages of one run (seconds)\n")
        print("| stage | egov | python | R |\n|---|---|---|---|")
        canonical = ["imports", "load", "dsi", "descriptives", "models", "inference", "charts",
                     "report", "total"]

        def order(name):
            base = name.split(".")[0] if name != "total" else name
            pos = canonical.index(base) if base in canonical else len(canonical) - 1
            return (pos, name != base, name)

        names = sorted(dict.fromkeys([s for s, _ in (eg_stages or [])] + list(py_stages)
                                     + list(r_stages)), key=order)
        eg_map = dict(eg_stages or [])
        for s in names:
            print(f"| {s} | {fmt(eg_map.get(s))} | {fmt(py_stages.get(s))} | "
                  f"{fmt(r_stages.get(s))} |")
        print()
    # Criterion estimates written during this run.
    marker = res / "started"
    if crit and crit.exists() and marker.exists():
        t0 = marker.stat().st_mtime
        for est in sorted(crit.glob("**/new/estimates.json")):
            if est.stat().st_mtime < t0:
                continue
            bench = json.loads((est.parent / "benchmark.json").read_text())
            median = json.loads(est.read_text())["median"]["point_estimate"] / 1e9
            rows.append(("criterion", bench["full_id"], median, "", None))
    # Peer logs of the crate owners' scripts.
    irt = res / "irt.log"
    if irt.exists():
        found = {}
        for line in irt.read_text().splitlines():
            if line.startswith("{"):
                try:
                    j = json.loads(line)
                    found[j["tool"]] = j["median_seconds"]
                except (ValueError, KeyError):
                    pass
        ours = next((v for k, v in found.items() if k.startswith("egov")), None)
        peer = next(((k, v) for k, v in found.items() if not k.startswith("egov")), (None, None))
        if ours is not None or peer[1] is not None:
            rows.append(("irt peers", "egov-irt fit+SEs+EAP (time_fit)", ours, peer[0] or "",
                         peer[1]))
    econ = res / "econ.log"
    if econ.exists():
        text = econ.read_text()
        peers = {m.group(1).strip(): float(m.group(2)) / 1e3
                 for m in re.finditer(r"^([A-Za-z][^:\n]*):\s*([0-9.]+) ms$", text, re.M)}
        crit_rows = {r[1]: r[2] for r in rows if r[0] == "criterion"}
        ours_hc1 = next((v for k, v in crit_rows.items() if k.endswith("56649_rows_35_regressors/hc1")),
                        None)
        ours_cl = next((v for k, v in crit_rows.items()
                        if k.endswith("56649_rows_35_regressors/cluster_household")), None)
        for name, secs in peers.items():
            ours = ours_cl if "cluster" in name else ours_hc1
            label = "egov-econ lpm " + ("cluster(hh)" if "cluster" in name else "hc1")
            rows.append(("econ peers", label, ours, name, secs))
    print("## medians\n")
    print("| section | egov | median | peer | peer median | peer / egov |")
    print("|---|---|---|---|---|---|")
    for sec, name, ours, peer, theirs in rows:
        ratio = f"{theirs / ours:.1f}×" if ours and theirs else ""
        print(f"| {sec} | {name} | {fmt(ours)} | {peer} | {fmt(theirs)} | {ratio} |")


if __name__ == "__main__":
    main()
