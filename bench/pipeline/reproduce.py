"""The `egov reproduce` pipeline written the way a Python analyst would: the end-to-end peer.

Reads the SYNTHETIC replica (Parquet) and its codebook (TOML), fits the Digital Skills Index
(girth 2PL by marginal maximum likelihood, EAP scores standardised to mean 0, SD 1), computes
weighted group means with design-based (strata/PSU linearisation) 95% intervals, fits the linear
probability model with HC1 and household-clustered errors, Wald tests, logit and probit average
marginal effects, the model without the DSI and with the count index, plausible-value inference
(10 draws under a latent regression on the model's variables, Rubin's rules), draws the charts with matplotlib (PNG at 2x and SVG) and writes a
Markdown report. Prints the wall time of every stage and the total; writes the key numbers
(`key_numbers.json`) in the term names of `egov` (`labour::student`, ...) so that
`bench/pipeline/compare.py` can set them beside `out/tables/lpm.json`.

    OPENBLAS_NUM_THREADS=1 python3 bench/pipeline/reproduce.py [--out DIR] [--quiet]

Run from the repository root. Needs pandas, pyarrow, numpy, scipy, statsmodels, girth,
matplotlib and tabulate.

Known difference from `egov reproduce`: girth's EM stops after at most 25 cycles or when no
slope moves by more than 1e-3, and has no Newton finish, so its item parameters (and therefore
the DSI) differ slightly from the converged maximum-likelihood estimates of egov-irt.
"""

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
import warnings  # noqa: E402
from importlib.metadata import version  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import girth  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.formula.api as smf  # noqa: E402
from scipy import stats  # noqa: E402

warnings.filterwarnings("ignore", category=FutureWarning)

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "fixtures/replica/kz_ict2021_SYNTHETIC_replica.parquet"
CODEBOOK = ROOT / "fixtures/replica/codebook.toml"
FORMULA = "egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region"
CATEGORICALS = ["sex", "education", "urban", "labour", "region"]
AGE_GROUPS = [(15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74)]
PV_DRAWS = 10
PV_SEED = 2021
CONF = 0.95
CITIES = {"astana", "almaty_city", "shymkent"}


class Stages:
    """Wall time of each stage, printed as it finishes."""

    def __init__(self, quiet):
        self.times = {"imports": time.perf_counter() - T_START}
        self.quiet = quiet
        self._start = time.perf_counter()
        self._say("imports", self.times["imports"])

    def _say(self, name, seconds):
        if not self.quiet:
            print(f"stage {name:<14} {seconds * 1e3:9.1f} ms", file=sys.stderr, flush=True)

    def done(self, name):
        now = time.perf_counter()
        self.times[name] = now - self._start
        self._say(name, self.times[name])
        self._start = now


# ---------------------------------------------------------------------------------------------
# 1. Load and map with the codebook
# ---------------------------------------------------------------------------------------------


def level_map(spec):
    """Raw code -> level slug, including the `also` codes merged into a level."""
    out = {}
    for level in spec["levels"]:
        out[level["code"]] = level["name"]
        for code in level.get("also", []):
            out[code] = level["name"]
    return out


def load(data_path, codebook_path):
    cb = tomllib.loads(pathlib.Path(codebook_path).read_text(encoding="utf-8"))
    raw = pd.read_parquet(data_path)
    cols = cb["columns"]
    # Without a design in the codebook each respondent is its own PSU in one stratum (as egov).
    frame = pd.DataFrame({
        "respondent": raw[cols["respondent_id"]].astype(str),
        "household": raw[cols["household_id"]].astype(str),
        "weight": raw[cols["weight"]].astype(float) if "weight" in cols else 1.0,
        "psu": raw[cols["psu"]] if "psu" in cols else np.arange(len(raw)),
        "stratum": raw[cols["stratum"]] if "stratum" in cols and "psu" in cols else 0,
    })
    if frame["weight"].isna().any() or (frame["weight"] < 0).any():
        bad = frame.index[frame["weight"].isna() | (frame["weight"] < 0)][0]
        raise SystemExit(f"column {cols['weight']}: row {bad} has weight {frame['weight'][bad]}; "
                         "weights must be present and non-negative")
    missing = {}
    # Outcome: yes -> 1, no -> 0, missing codes -> NaN (counted).
    oc = cb["outcome"]
    y = raw[oc["column"]]
    frame["egov"] = np.where(y.isin(oc["yes"]), 1.0, np.where(y.isin(oc["no"]), 0.0, np.nan))
    missing["egov"] = int(frame["egov"].isna().sum())
    frame["age"] = raw[cb["age"]["column"]].astype(float)
    levels = {}
    for var in CATEGORICALS:
        spec = cb[var]
        mapping = level_map(spec)
        order = [lv["name"] for lv in spec["levels"]]
        codes = raw[spec["column"]]
        unknown = ~codes.isin(list(mapping)) & ~codes.isin(spec.get("missing", []))
        if unknown.any():
            bad = codes[unknown].iloc[0]
            raise SystemExit(f"column {spec['column']}: code {bad} is in no level of the codebook "
                             f"({unknown.sum()} rows); add it to [{var}] levels or missing")
        frame[var] = pd.Categorical(codes.map(mapping), categories=order)
        missing[var] = int(frame[var].isna().sum())
        levels[var] = {"reference": spec["reference"], "order": order,
                       "en": {lv["name"]: lv["en"] for lv in spec["levels"]}}
    # Skill items: yes -> 1, no -> 0, anything else -> girth's missing marker.
    ic = cb["item_coding"]
    item_names = list(cb["items"])
    items = np.empty((len(item_names), len(raw)), dtype=int)
    for j, name in enumerate(item_names):
        x = raw[cb["items"][name]["column"]].to_numpy()
        items[j] = np.where(np.isin(x, ic["yes"]), 1,
                            np.where(np.isin(x, ic["no"]), 0, girth.INVALID_RESPONSE))
    missing["item answers"] = int((items == girth.INVALID_RESPONSE).sum())
    return cb, frame, items, item_names, levels, missing


# ---------------------------------------------------------------------------------------------
# 2. Digital Skills Index
# ---------------------------------------------------------------------------------------------


def standardise(x):
    """Mean 0, SD 1 (population SD, as egov) over the non-missing values."""
    ok = np.isfinite(x)
    return (x - x[ok].mean()) / x[ok].std()


def fit_dsi(items):
    fit = girth.twopl_mml(items)
    a = np.asarray(fit["Discrimination"], dtype=float)
    b = np.asarray(fit["Difficulty"], dtype=float)
    theta = np.asarray(girth.ability_eap(items, b, a), dtype=float)
    answered = (items != girth.INVALID_RESPONSE).sum(axis=0)
    theta[answered == 0] = np.nan  # no answered item: no score
    yes = np.where(items == 1, 1, 0).sum(axis=0).astype(float)
    yes[answered == 0] = np.nan
    return {
        "a": a, "b": b, "theta": theta, "dsi": standardise(theta),
        "count_index": standardise(yes), "unscored": int((answered == 0).sum()),
    }


# ---------------------------------------------------------------------------------------------
# 3. Weighted group means with design-based intervals
# ---------------------------------------------------------------------------------------------


def svy_group_means(y, w, groups, n_groups, stratum, psu):
    """Weighted domain means with the linearisation variance of a ratio (R's svyby/svymean):
    influence values summed by PSU, centred within strata, scaled by n_h/(n_h - 1). Rows without
    a group still count as PSU members. Returns mean, se, low, high, n per group."""
    in_group = groups >= 0
    g = np.where(in_group, groups, 0)
    wg = np.where(in_group, w, 0.0)
    sum_w = np.bincount(g, weights=wg, minlength=n_groups)
    sum_wy = np.bincount(g, weights=wg * np.where(in_group, y, 0.0), minlength=n_groups)
    count = np.bincount(g, weights=in_group.astype(float), minlength=n_groups)
    mean = sum_wy / sum_w
    psu_key = pd.MultiIndex.from_arrays([stratum, psu])
    psu_id, psu_levels = pd.factorize(psu_key)
    psu_stratum = np.asarray(psu_levels.get_level_values(0))
    n_psu = len(psu_levels)
    z = np.where(in_group, wg * (np.where(in_group, y, 0.0) - mean[g]) / sum_w[g], 0.0)
    totals = np.zeros((n_psu, n_groups))
    np.add.at(totals, (psu_id, g), z)
    var = np.zeros(n_groups)
    for h in np.unique(psu_stratum):
        t = totals[psu_stratum == h]
        n_h = t.shape[0]
        if n_h < 2:
            raise SystemExit(f"stratum {h} has a single PSU; merge it with a neighbouring stratum")
        var += n_h / (n_h - 1) * ((t - t.mean(axis=0)) ** 2).sum(axis=0)
    se = np.sqrt(var)
    q = stats.norm.ppf(0.5 + CONF / 2)
    return pd.DataFrame({"mean": mean, "se": se, "low": mean - q * se, "high": mean + q * se,
                         "n": count.astype(int)})


def descriptives(d, levels):
    w = d["weight"].to_numpy()
    stratum = d["stratum"].to_numpy()
    psu = d["psu"].to_numpy()
    y_up = d["egov"].to_numpy()
    y_dsi = d["dsi"].to_numpy()

    def table(codes, labels):
        n_groups = len(labels)
        out = {}
        for name, y in (("uptake", y_up), ("dsi", y_dsi)):
            groups = np.where(np.isfinite(y) & (codes >= 0), codes, -1)
            out[name] = svy_group_means(np.nan_to_num(y), w, groups, n_groups, stratum, psu)
        t = pd.concat({"uptake": out["uptake"], "dsi": out["dsi"]}, axis=1)
        t.index = labels
        return t

    tables = {}
    for var, name in (("region", "by_region"), ("education", "by_education"),
                      ("sex", "by_sex"), ("labour", "by_labour"), ("urban", "by_urban")):
        tables[name] = table(d[var].cat.codes.to_numpy(), list(d[var].cat.categories))
    age = d["age"].to_numpy()
    age_g = np.full(len(d), -1)
    for k, (lo, hi) in enumerate(AGE_GROUPS):
        age_g[(age >= lo) & (age < hi + 1)] = k
    urban = d["urban"].cat.codes.to_numpy()
    n_u = len(d["urban"].cat.categories)
    codes = np.where((age_g >= 0) & (urban >= 0), age_g * n_u + urban, -1)
    labels = [f"{lo}–{hi}:{u}" for lo, hi in AGE_GROUPS for u in d["urban"].cat.categories]
    tables["by_age_urban"] = table(codes, labels)
    national = table(np.zeros(len(d), dtype=int), ["Kazakhstan"])
    return national, tables


# ---------------------------------------------------------------------------------------------
# 4. Models
# ---------------------------------------------------------------------------------------------


def patsy_formula(formula):
    """egov formula -> patsy (`I(age^2)` -> `I(age**2)`). Categoricals get their codebook
    reference by being reordered reference-first (see `reference_first`): patsy's default
    treatment coding then drops it, and pandas categoricals keep patsy's fast path (wrapping
    them in `C(x, Treatment(...))` is ten times slower on this data)."""
    return formula.replace("^", "**")


def reference_first(d, levels):
    out = d.copy()
    for var, spec in levels.items():
        ref = spec["reference"]
        out[var] = out[var].cat.reorder_categories(
            [ref] + [c for c in spec["order"] if c != ref])
    return out


def egov_term(name):
    """statsmodels parameter name -> egov term name (`labour::student`, `I(age^2)`, ...)."""
    if name == "Intercept":
        return "(Intercept)"
    if "[T." in name:
        var = name[:name.index("[T.")]
        level = name[name.index("[T.") + 3:-1]
        return f"{var}::{level}"
    return name.replace(" ** ", "^").replace("**", "^")


def coef_table(res):
    ci = res.conf_int(alpha=1 - CONF)
    return pd.DataFrame({
        "estimate": res.params, "std_error": res.bse, "p_value": res.pvalues,
        "conf_low": ci[0], "conf_high": ci[1],
    }).rename(index=egov_term)


def wald(res, rows):
    """Wald test of R b = 0 given as a list of {term: multiplier} rows, F form as Stata `test`."""
    names = [egov_term(n) for n in res.params.index]
    r = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for term, mult in row.items():
            r[i, names.index(term)] = mult
    t = res.wald_test(r, use_f=True, scalar=True)
    return {"q": len(rows), "f": float(t.statistic), "df_denominator": float(t.df_denom),
            "f_p_value": float(t.pvalue), "chi2": float(t.statistic) * len(rows)}


def fit_models(d, levels):
    f_main = patsy_formula(FORMULA)
    used = ["egov", "dsi", "count_index", "age", "household", *CATEGORICALS]
    complete = reference_first(d.dropna(subset=used), levels)
    dropped = len(d) - len(complete)
    ols = smf.ols(f_main, data=complete)
    hc1 = ols.fit(cov_type="HC1")
    hh = complete["household"].astype("category").cat.codes.to_numpy()
    clustered = ols.fit(cov_type="cluster", cov_kwds={"groups": hh})
    names = [egov_term(n) for n in hc1.params.index]
    region_terms = [t for t in names if t.startswith("region::")]
    tests = {
        "regions_zero": wald(hc1, [{t: 1.0} for t in region_terms]),
        "students_pensioners_unemployed_equal": wald(hc1, [
            {"labour::student": 1.0, "labour::pensioner": -1.0},
            {"labour::pensioner": 1.0, "labour::unemployed": -1.0},
        ]),
    }
    ames = {}
    for link, model in (("logit", smf.logit), ("probit", smf.probit)):
        res = model(f_main, data=complete).fit(disp=0, cov_type="HC1")
        me = res.get_margeff(at="overall", dummy=True).summary_frame(alpha=1 - CONF)
        me.index = [egov_term(n) for n in me.index]
        ames[link] = me
    f_no_dsi = patsy_formula(FORMULA.replace("dsi + ", ""))
    no_dsi = smf.ols(f_no_dsi, data=complete).fit(cov_type="HC1")
    f_count = patsy_formula(FORMULA.replace("dsi", "count_index"))
    count = smf.ols(f_count, data=complete).fit(cov_type="HC1")
    return {"complete": complete, "dropped": dropped, "hc1": hc1, "cluster": clustered,
            "tests": tests, "ames": ames, "no_dsi": no_dsi, "count_index": count,
            "formula": f_main}


def plausible_values(complete, items, fit, draws=PV_DRAWS, seed=PV_SEED):
    """Plausible values conditioned on a latent regression, as `egov reproduce` by default:
    theta_i ~ N(z_i'G, s^2) with z_i the model's columns other than the DSI plus the outcome,
    G and s fitted by EM with the item parameters fixed (Mislevy 1991); `draws` values drawn from
    each posterior on a 121-point grid over [-6, 6] (uniform within the cell), each set
    standardised like the DSI, the LPM (HC1) fitted on each, combined by Rubin's rules."""
    grid = np.linspace(-6, 6, 121)
    rows = complete.index.to_numpy()
    resp = items[:, rows]
    loglik = np.zeros((len(rows), len(grid)))
    for j in range(resp.shape[0]):
        p = 1.0 / (1.0 + np.exp(-fit["a"][j] * (grid - fit["b"][j])))
        x = resp[j][:, None]
        loglik += np.where(x == 1, np.log(p), 0.0) + np.where(x == 0, np.log1p(-p), 0.0)
    f_main = patsy_formula(FORMULA)
    ols = smf.ols(f_main, data=complete)
    names = ols.exog_names
    z = np.column_stack([ols.exog[:, [k for k, n in enumerate(names) if n != "dsi"]],
                         ols.endog])

    def moments(mu, sigma):
        lp = loglik - 0.5 * ((grid[None, :] - mu[:, None]) / sigma) ** 2
        post = np.exp(lp - lp.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        m1 = post @ grid
        return post, m1, np.maximum(post @ grid**2 - m1**2, 0.0)

    _, mean, _ = moments(np.zeros(len(rows)), 1.0)
    gamma = np.linalg.lstsq(z, mean, rcond=None)[0]
    sigma = 1.0
    for _ in range(1000):
        _, mean, var = moments(z @ gamma, sigma)
        new_gamma = np.linalg.lstsq(z, mean, rcond=None)[0]
        new_sigma = np.sqrt(np.mean(var + (mean - z @ new_gamma) ** 2))
        change = max(np.abs(new_gamma - gamma).max(), abs(new_sigma - sigma))
        gamma, sigma = new_gamma, new_sigma
        if change < 1e-6:
            break
    post, _, _ = moments(z @ gamma, sigma)
    cdf = post.cumsum(axis=1)
    rng = np.random.default_rng(seed)
    half = (grid[1] - grid[0]) / 2
    est, var = [], []
    for _ in range(draws):
        u = rng.random(len(rows))[:, None]
        idx = np.minimum((cdf < u).sum(axis=1), len(grid) - 1)
        theta = grid[idx] + rng.uniform(-half, half, len(rows))
        res = smf.ols(f_main, data=complete.assign(dsi=standardise(theta))).fit(cov_type="HC1")
        est.append(res.params.to_numpy())
        var.append(res.bse.to_numpy() ** 2)
    est, var = np.array(est), np.array(var)
    within = var.mean(axis=0)
    between = est.var(axis=0, ddof=1)
    terms = [egov_term(n) for n in res.params.index]
    return pd.DataFrame({"estimate": est.mean(axis=0),
                         "std_error": np.sqrt(within + (1 + 1 / draws) * between),
                         "within": within, "between": between}, index=terms)


# ---------------------------------------------------------------------------------------------
# 5. Charts
# ---------------------------------------------------------------------------------------------


def save(fig, out, stem):
    fig.tight_layout()
    fig.savefig(out / f"{stem}.png", dpi=200)  # 2x the 100 dpi default
    fig.savefig(out / f"{stem}.svg")
    plt.close(fig)


def bar_with_ci(t, col, title, xlabel, labels, highlight=()):
    fig, ax = plt.subplots(figsize=(8, max(3, 0.35 * len(t) + 1)))
    order = t[col]["mean"].sort_values().index
    m = t.loc[order, (col, "mean")]
    err = [m - t.loc[order, (col, "low")], t.loc[order, (col, "high")] - m]
    colors = ["#c0392b" if k in highlight else "#2e86c1" for k in order]
    ax.barh([labels.get(k, k) for k in order], m, xerr=err, color=colors, capsize=3)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig


def charts(out, tables, levels, fit, item_names, d, lpm):
    out.mkdir(parents=True, exist_ok=True)
    suffix = " — SYNTHETIC REPLICA"
    en = {v: levels[v]["en"] for v in levels}
    made = []
    specs = [
        ("uptake_by_region", "by_region", "uptake", "E-government use by region", "share",
         en["region"], CITIES),
        ("dsi_by_region", "by_region", "dsi", "Mean Digital Skills Index by region", "DSI",
         en["region"], CITIES),
        ("uptake_by_education", "by_education", "uptake", "E-government use by education",
         "share", en["education"], ()),
        ("uptake_by_sex", "by_sex", "uptake", "E-government use by sex", "share", en["sex"], ()),
        ("uptake_by_labour", "by_labour", "uptake", "E-government use by labour status", "share",
         en["labour"], ()),
    ]
    for stem, tname, col, title, xlabel, labels, hl in specs:
        save(bar_with_ci(tables[tname], col, title + suffix, xlabel, labels, hl), out, stem)
        made.append(stem)
    # Age group x urban/rural: grouped bars with intervals.
    t = tables["by_age_urban"]["uptake"]
    fig, ax = plt.subplots(figsize=(8, 4))
    x = np.arange(len(AGE_GROUPS))
    for k, u in enumerate(levels["urban"]["order"]):
        rows = [f"{lo}–{hi}:{u}" for lo, hi in AGE_GROUPS]
        m = t.loc[rows, "mean"].to_numpy()
        ax.bar(x + (k - 0.5) * 0.4, m, 0.4, label=en["urban"][u],
               yerr=[m - t.loc[rows, "low"], t.loc[rows, "high"] - m], capsize=3)
    ax.set_xticks(x, [f"{lo}–{hi}" for lo, hi in AGE_GROUPS])
    ax.set_ylabel("share")
    ax.set_title("E-government use by age and residence" + suffix)
    ax.legend()
    save(fig, out, "uptake_by_age_urban")
    made.append("uptake_by_age_urban")
    # Coefficient plot of the LPM.
    ct = coef_table(lpm).drop(index="(Intercept)")
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(ct) + 1))
    yy = np.arange(len(ct))
    ax.errorbar(ct["estimate"], yy, xerr=[ct["estimate"] - ct["conf_low"],
                                          ct["conf_high"] - ct["estimate"]], fmt="o", capsize=2)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(yy, ct.index)
    ax.invert_yaxis()
    ax.set_xlabel("effect on the probability of using e-government (95% CI, HC1)")
    ax.set_title("Linear probability model" + suffix)
    save(fig, out, "coefficients")
    made.append("coefficients")
    # Region effects of the LPM against the reference region.
    reg = ct[ct.index.str.startswith("region::")].sort_values("estimate")
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(reg) + 1))
    yy = np.arange(len(reg))
    ax.errorbar(reg["estimate"], yy, xerr=[reg["estimate"] - reg["conf_low"],
                                           reg["conf_high"] - reg["estimate"]], fmt="o", capsize=2)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(yy, [en["region"].get(t.split("::")[1], t) for t in reg.index])
    ax.set_xlabel(f"difference from {en['region'][levels['region']['reference']]} (95% CI, HC1)")
    ax.set_title("Regional differences, other things equal" + suffix)
    save(fig, out, "region_effects")
    made.append("region_effects")
    # Item map: respondents' skill beside the item difficulties.
    fig, (ax1, ax2) = plt.subplots(1, 2, sharey=True, figsize=(8, 5),
                                   gridspec_kw={"width_ratios": [2, 1]})
    ax1.hist(fit["theta"][np.isfinite(fit["theta"])], bins=40, orientation="horizontal")
    ax1.invert_xaxis()
    ax1.set_xlabel("respondents")
    ax1.set_ylabel("skill θ")
    ax2.scatter(np.zeros(len(item_names)), fit["b"])
    for name, b in zip(item_names, fit["b"]):
        ax2.annotate(name, (0, b), xytext=(6, 0), textcoords="offset points", fontsize=7)
    ax2.set_xticks([])
    fig.suptitle("Item map: skill distribution and item difficulties" + suffix)
    save(fig, out, "item_map")
    made.append("item_map")
    # Item characteristic curves and test information.
    theta = np.linspace(-4, 4, 161)
    p = 1 / (1 + np.exp(-fit["a"][:, None] * (theta[None, :] - fit["b"][:, None])))
    fig, ax = plt.subplots(figsize=(8, 5))
    for j, name in enumerate(item_names):
        ax.plot(theta, p[j], label=name)
    ax.set_xlabel("skill θ")
    ax.set_ylabel("P(yes)")
    ax.set_title("Item characteristic curves (2PL)" + suffix)
    ax.legend(fontsize=7, ncol=2)
    save(fig, out, "item_curves")
    info = (fit["a"][:, None] ** 2 * p * (1 - p)).sum(axis=0)
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(theta, info)
    ax.set_xlabel("skill θ")
    ax.set_ylabel("information")
    ax.set_title("Test information" + suffix)
    save(fig, out, "test_information")
    made += ["item_curves", "test_information"]
    # DSI densities by urban/rural and by education (Gaussian kernel).
    xs = np.linspace(-3, 3.5, 200)
    for var in ("urban", "education"):
        fig, ax = plt.subplots(figsize=(8, 4))
        for level in levels[var]["order"]:
            v = d.loc[d[var] == level, "dsi"].dropna().to_numpy()
            if len(v) > 1:
                ax.plot(xs, stats.gaussian_kde(v)(xs), label=en[var][level])
        ax.set_xlabel("Digital Skills Index")
        ax.set_ylabel("density")
        ax.set_title(f"DSI distribution by {var}" + suffix)
        ax.legend(fontsize=8)
        save(fig, out, f"dsi_distribution_{var}")
        made.append(f"dsi_distribution_{var}")
    return made


# ---------------------------------------------------------------------------------------------
# 6. Report
# ---------------------------------------------------------------------------------------------


def md(df, floatfmt=".4f"):
    if isinstance(df.columns, pd.MultiIndex):
        df = df.copy()
        df.columns = [" ".join(map(str, c)) for c in df.columns]
    return df.to_markdown(floatfmt=floatfmt)


def report(out, loaded_n, missing, fit, item_names, national, tables, models, pv, figures):
    hc1, cl = models["hc1"], models["cluster"]
    lines = ["# E-government uptake — SYNTHETIC REPLICA (Python peer pipeline)", "",
             "> Synthetic data: illustrates the method, says nothing about Kazakhstan.", "",
             f"Respondents: {loaded_n}; missing outcome {missing['egov']}, missing education "
             f"{missing['education']}, missing item answers {missing['item answers']}; "
             f"model rows {int(hc1.nobs)} ({models['dropped']} dropped for missing values).", "",
             "## Digital Skills Index (girth 2PL, EAP)", "",
             md(pd.DataFrame({"a": fit["a"], "b": fit["b"]}, index=item_names)), "",
             "## Uptake and DSI, weighted, 95% design-based intervals", "",
             md(national), ""]
    for name, t in tables.items():
        lines += [f"### {name}", "", md(t), ""]
    both = coef_table(hc1)
    both["std_error_cluster"] = coef_table(cl)["std_error"]
    lines += ["## Linear probability model", "", f"`{FORMULA}`; R² {hc1.rsquared:.4f}", "",
              md(both), "", "### Wald tests (HC1)", "",
              md(pd.DataFrame(models["tests"]).T), ""]
    for link, me in models["ames"].items():
        lines += [f"### {link} average marginal effects", "", md(me), ""]
    lines += ["### Without the DSI", "", md(coef_table(models["no_dsi"])), "",
              "### Count index instead of the DSI", "", md(coef_table(models["count_index"])), "",
              f"### Plausible values ({PV_DRAWS} draws, latent regression, Rubin's rules)", "",
              md(pv), "",
              "## Figures", ""]
    lines += [f"![{f}](figures/{f}.png)" for f in figures]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tdir = out / "tables"
    tdir.mkdir(exist_ok=True)
    coef_table(hc1).to_csv(tdir / "lpm_hc1.csv")
    for name, t in tables.items():
        t.to_csv(tdir / f"{name}.csv")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/egov-py-bench-out", type=pathlib.Path)
    ap.add_argument("--data", default=DATA, type=pathlib.Path)
    ap.add_argument("--codebook", default=CODEBOOK, type=pathlib.Path)
    ap.add_argument("--quiet", action="store_true", help="no per-stage lines on stderr")
    args = ap.parse_args()
    st = Stages(args.quiet)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    cb, d, items, item_names, levels, missing = load(args.data, args.codebook)
    st.done("load")
    fit = fit_dsi(items)
    d["dsi"], d["count_index"] = fit["dsi"], fit["count_index"]
    st.done("dsi")
    national, tables = descriptives(d, levels)
    st.done("descriptives")
    models = fit_models(d, levels)
    st.done("models")
    pv = plausible_values(models["complete"], items, fit)
    st.done("inference")
    figures = charts(out / "figures", tables, levels, fit, item_names, d, models["hc1"])
    st.done("charts")
    report(out, len(d), missing, fit, item_names, national, tables, models, pv, figures)
    st.done("report")
    total = time.perf_counter() - T_START

    hc1 = coef_table(models["hc1"])
    cl = coef_table(models["cluster"])
    key = {
        "tool": "python peer pipeline (pandas, girth, statsmodels, matplotlib)",
        "versions": {p: version(p) for p in
                     ("pandas", "pyarrow", "numpy", "scipy", "statsmodels", "girth", "matplotlib")},
        "n_respondents": len(d),
        "n_model": int(models["hc1"].nobs),
        "dropped_rows": models["dropped"],
        "missing": missing,
        "irt": {"a": fit["a"].tolist(), "b": fit["b"].tolist(), "items": item_names},
        "lpm_hc1": {t: {"estimate": r.estimate, "std_error": r.std_error}
                    for t, r in hc1.iterrows()},
        "lpm_cluster_household_se": cl["std_error"].to_dict(),
        "r2": models["hc1"].rsquared,
        "tests": models["tests"],
        "ame": {link: me["dy/dx"].to_dict() for link, me in models["ames"].items()},
        "no_dsi": coef_table(models["no_dsi"])["estimate"].to_dict(),
        "count_index": coef_table(models["count_index"])["estimate"].to_dict(),
        "pv": pv[["estimate", "std_error"]].to_dict(orient="index"),
        "national_uptake": float(national[("uptake", "mean")].iloc[0]),
        "uptake_by_region": tables["by_region"][("uptake", "mean")].to_dict(),
        "figures": len(figures),
        "timings_s": {**st.times, "total": total},
    }
    (out / "key_numbers.json").write_text(json.dumps(key, indent=2), encoding="utf-8")
    if not args.quiet:
        print(f"stage {'total':<14} {total * 1e3:9.1f} ms", file=sys.stderr)
        print(f"dsi {hc1.loc['dsi', 'estimate']:.4f} (HC1 se {hc1.loc['dsi', 'std_error']:.4f}, "
              f"cluster se {cl.loc['dsi', 'std_error']:.4f}); labour::student "
              f"{hc1.loc['labour::student', 'estimate']:.4f}; wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
