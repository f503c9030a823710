"""Peer timings for the LPM benchmark (statsmodels, pyfixest) on the data written by
`cargo bench -p egov-econ --bench lpm` (default /tmp/egov-econ-bench-56649.csv).

    OPENBLAS_NUM_THREADS=1 python3 bench/econ/peers.py [csv] [repeats]

Times the estimation from an in-memory data frame (formula parsing, design matrix, fit,
variance), the same scope as the Rust benchmark. Prints medians in milliseconds.
"""
import statistics
import sys
import time
import warnings

import pandas as pd
import pyfixest as pf
import statsmodels.formula.api as smf

warnings.filterwarnings("ignore")
path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/egov-econ-bench-56649.csv"
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
d = pd.read_csv(path)
for c in ["education", "labour", "region"]:
    d[c] = d[c].astype("category")
f = "used_egov ~ dsi + sex + urban + age + I(age**2) + C(education) + C(labour) + C(region)"
f_fixest = "used_egov ~ dsi + sex + urban + age + I(age**2) + C(education) + C(labour) + C(region)"


def median_ms(fn):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


cases = {
    "statsmodels hc1": lambda: smf.ols(f, d).fit(cov_type="HC1"),
    "statsmodels cluster(hh)": lambda: smf.ols(f, d).fit(cov_type="cluster", cov_kwds={"groups": d["hh"]}),
    "pyfixest hc1": lambda: pf.feols(f_fixest, d, vcov="hetero").tidy(),
    "pyfixest cluster(hh)": lambda: pf.feols(f_fixest, d, vcov={"CRV1": "hh"}).tidy(),
}
ref = smf.ols(f, d).fit(cov_type="HC1")
print(f"rows={len(d)} k={len(ref.params)} dsi={ref.params['dsi']:.10f} se_hc1={ref.bse['dsi']:.10f}")
for name, fn in cases.items():
    print(f"{name}: {median_ms(fn):.1f} ms")
