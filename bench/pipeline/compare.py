"""Set the Python pipeline's key numbers beside those of `egov reproduce`.

    python3 bench/pipeline/compare.py EGOV_OUT_DIR PY_OUT_DIR [R_OUT_DIR]

EGOV_OUT_DIR is the `--out` directory of `egov reproduce` (its `tables/lpm.json`, the `egov lpm`
JSON contract); PY_OUT_DIR is the `--out` directory of `bench/pipeline/reproduce.py` (its
`key_numbers.json`); R_OUT_DIR, optional, that of `bench/pipeline/reproduce.R`. Prints the main LPM coefficients and HC1 standard errors of both, their
largest absolute differences, and the joint tests. Differences come from the DSI: girth's EM
stops early (at most 25 cycles, tolerance 1e-3 on the slopes) and scores on a different
quadrature, so its DSI differs slightly from egov-irt's converged estimate; the regression
arithmetic itself is the same (OLS, HC1 = HC0 x n/(n-k)).

Average marginal effects of factor levels differ by definition, not by error: egov reports the
level-versus-reference discrete change (Stata's `margins, dydx(i.educ)`), statsmodels'
`get_margeff(dummy=True)` switches one dummy from 0 to 1 while the factor's other dummies keep
their observed values. Computed by hand from the statsmodels logit, the level-versus-reference
AME of education::higher is 0.179496, egov's 0.179496, statsmodels' 0.185430.
"""

import json
import pathlib
import sys

SHOWN = ["dsi", "labour::student", "labour::pensioner", "labour::unemployed",
         "labour::self_employed", "education::higher", "urban::urban", "sex::female",
         "region::astana", "region::almaty_city", "region::shymkent", "age", "I(age^2)",
         "(Intercept)"]


def main():
    egov_dir, py_dir = map(pathlib.Path, sys.argv[1:3])
    lpm = json.loads((egov_dir / "tables/lpm.json").read_text())
    py = json.loads((py_dir / "key_numbers.json").read_text())
    ours = {c["term"]: c for c in lpm["coefficients"]}
    theirs = py["lpm_hc1"]
    common = [t for t in ours if t in theirs]
    missing = sorted(set(ours) ^ set(theirs))
    print(f"N: egov {lpm['n']}, python {py['n_model']}; R²: egov {lpm['r2']:.5f}, "
          f"python {py['r2']:.5f}; terms in common {len(common)}"
          + (f"; only in one: {missing}" if missing else ""))
    print(f"{'term':<24}{'egov':>11}{'python':>11}{'diff':>10}{'se egov':>10}{'se py':>10}")
    for t in [t for t in SHOWN if t in ours and t in theirs]:
        a, b = ours[t], theirs[t]
        print(f"{t:<24}{a['estimate']:>11.5f}{b['estimate']:>11.5f}"
              f"{a['estimate'] - b['estimate']:>10.5f}{a['std_error']:>10.5f}{b['std_error']:>10.5f}")
    d_est = max(abs(ours[t]["estimate"] - theirs[t]["estimate"]) for t in common)
    d_se = max(abs(ours[t]["std_error"] - theirs[t]["std_error"]) for t in common)
    print(f"largest |difference| over all {len(common)} terms: estimate {d_est:.2e}, "
          f"HC1 SE {d_se:.2e}")
    for link in ("logit", "probit"):
        path = egov_dir / f"tables/{link}.json"
        if path.exists() and link in py["ame"]:
            ame = {a["term"]: a["estimate"] for a in json.loads(path.read_text())["ame"]}
            # egov's AME of age is the total derivative through age and age^2; statsmodels
            # differentiates the two columns separately, so the age terms are not comparable.
            both = [t for t in ame if t in py["ame"][link] and "age" not in t]
            worst = max(both, key=lambda t: abs(ame[t] - py["ame"][link][t]))
            print(f"{link} AME of dsi: egov {ame['dsi']:.5f}, python {py['ame'][link]['dsi']:.5f}; "
                  f"largest |difference| over {len(both)} terms {abs(ame[worst] - py['ame'][link][worst]):.2e} "
                  f"({worst}; age terms excluded)")
    inference = egov_dir / "tables/inference.json"
    if inference.exists():
        rows = {r["term"]: r for r in json.loads(inference.read_text())["rows"]}
        if "dsi" in rows and rows["dsi"].get("pv_estimate") is not None:
            r, q = rows["dsi"], py["pv"]["dsi"]
            print(f"plausible values, dsi: egov {r['pv_estimate']:.5f} (se {r['pv_se']:.5f}), "
                  f"python {q['estimate']:.5f} (se {q['std_error']:.5f}) — different random draws")
    params = egov_dir / "data/item_parameters.json"
    if params.exists():
        items = json.loads(params.read_text())["fit"]["items"]
        da = max(abs(i["a"] - a) for i, a in zip(items, py["irt"]["a"]))
        db = max(abs(i["b"] - b) for i, b in zip(items, py["irt"]["b"]))
        print(f"2PL item parameters, girth vs egov-irt: largest |difference| a {da:.1e}, b {db:.1e}")
    descriptives = egov_dir / "tables/descriptives.json"
    if descriptives.exists():
        import pandas as pd

        worst = {"uptake": [0.0, 0.0], "dsi": [0.0, 0.0]}
        n_rows = 0
        for table in json.loads(descriptives.read_text())["tables"]:
            path = py_dir / f"tables/{table['name']}.csv"
            if not path.exists():
                continue
            theirs_t = pd.read_csv(path, header=[0, 1], index_col=0)
            # Both list the groups in codebook order (age groups x urban/rural, urban first).
            for row, (_, other) in zip(table["rows"], theirs_t.iterrows()):
                n_rows += 1
                for var in worst:
                    worst[var][0] = max(worst[var][0],
                                        abs(row[var]["estimate"] - other[(var, "mean")]))
                    worst[var][1] = max(worst[var][1],
                                        abs(row[var]["std_error"] - other[(var, "se")]))
        print(f"weighted group means, {n_rows} groups: largest |difference| uptake mean "
              f"{worst['uptake'][0]:.1e}, se {worst['uptake'][1]:.1e}; DSI mean "
              f"{worst['dsi'][0]:.1e}, se {worst['dsi'][1]:.1e}")
    for test in lpm.get("tests", []):
        other = py["tests"].get(test["name"], {})
        print(f"test {test['name']}: F egov {test['f']:.4f} (p {test['f_p_value']:.3g}), "
              f"python {other.get('f', float('nan')):.4f} (p {other.get('f_p_value', float('nan')):.3g})")

    if len(sys.argv) > 3:
        compare_r(ours, pathlib.Path(sys.argv[3]), egov_dir)


def compare_r(ours, r_dir, egov_dir):
    r = json.loads((r_dir / "key_numbers.json").read_text())
    print(f"R peer ({r['tool']}, 2PL by EM in {r['em_cycles']} cycles):")
    params = egov_dir / "data/item_parameters.json"
    if params.exists():
        # R lists the items by column name (sk01, sk02, ...), the codebook order here.
        items = json.loads(params.read_text())["fit"]["items"]
        da = max(abs(i["a"] - a) for i, a in zip(items, r["irt_a"]))
        db = max(abs(i["b"] - b) for i, b in zip(items, r["irt_b"]))
        print(f"  2PL item parameters vs egov-irt: largest |difference| a {da:.1e}, b {db:.1e}")
    descriptives = egov_dir / "tables/descriptives.json"
    if descriptives.exists():
        import csv

        worst_mean, worst_se, n_rows = 0.0, 0.0, 0
        for table in json.loads(descriptives.read_text())["tables"]:
            path = r_dir / f"tables/{table['name']}.csv"
            if table["name"] == "by_age_urban" or not path.exists():
                continue  # svyby's two-way table is keyed differently
            with path.open() as f:
                rows = {row[next(iter(row))]: row for row in csv.DictReader(f)}
            for row in table["rows"]:
                other = rows[row["key"]]
                n_rows += 1
                worst_mean = max(worst_mean, abs(row["uptake"]["estimate"] - float(other["uptake"])))
                worst_se = max(worst_se, abs(row["uptake"]["std_error"] - float(other["uptake_se"])))
        print(f"  survey::svyby uptake by group, {n_rows} groups: largest |difference| mean "
              f"{worst_mean:.1e}, se {worst_se:.1e}")
    for key, field in (("lpm_estimate", "estimate"), ("lpm_se_hc1", "std_error")):
        common = [t for t in ours if t in r[key]]
        worst = max(common, key=lambda t: abs(ours[t][field] - r[key][t]))
        print(f"  LPM {field}: {len(common)} terms, largest |difference| "
              f"{abs(ours[worst][field] - r[key][worst]):.2e} ({worst}); dsi egov "
              f"{ours['dsi'][field]:.6f}, R {r[key]['dsi']:.6f}")
    for link in ("logit", "probit"):
        path = egov_dir / f"tables/{link}.json"
        if path.exists():
            ame = {a["term"]: a["estimate"] for a in json.loads(path.read_text())["ame"]}
            theirs = r[f"ame_{link}"]
            common = [t for t in ame if t in theirs]
            worst = max(common, key=lambda t: abs(ame[t] - theirs[t]))
            print(f"  {link} AMEs (level vs reference): {len(common)} terms, largest |difference| "
                  f"{abs(ame[worst] - theirs[worst]):.2e} ({worst})")
    for test in ("regions_zero", "students_pensioners_unemployed_equal"):
        if test in r.get("tests_f", {}):
            print(f"  test {test}: F R {r['tests_f'][test]:.4f}")
    if "pv" in r:
        print(f"  plausible values (latent regression), dsi: R {r['pv']['dsi']:.5f} "
              f"— different random draws")


if __name__ == "__main__":
    main()
