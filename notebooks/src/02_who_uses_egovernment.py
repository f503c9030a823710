# Source of notebooks/02_who_uses_egovernment.ipynb (see notebooks/build_notebooks.py).

# %% [markdown]
# # 2. Who uses e-government? A linear probability model
#
# **What you will learn.** How the brief's main model is estimated: a *linear probability
# model* (LPM) of "used government services via the Internet" on the Digital Skills Index
# (notebook 1) and on sex, education, urban/rural residence, age, labour status and region. You
# will see why heteroskedasticity-robust (HC1) standard errors are the default, how much
# clustering by household changes them, how to check the fitted values, and how the LPM compares
# with the average marginal effects (AMEs) of logit and probit models.
#
# > **The data are SYNTHETIC.** All numbers come from the synthetic replica of the 2021 survey
# > bundled with the toolkit (`fixtures/replica/`). They illustrate the method; they are not
# > findings about Kazakhstan.
#
# **The same in Rust.** `crates/econ/examples/lpm_tour.rs` (`cargo run -p egov-econ --example
# lpm_tour`) fits an LPM with robust, clustered and survey-design variance, runs a Wald test and
# computes logit/probit marginal effects with the library API.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from egov_helpers import coefficients, egov, egov_json, replica_frame, work_dir

pd.set_option("display.float_format", "{:.4g}".format)
pd.set_option("display.width", 120)
out = work_dir("02_who_uses_egovernment")

# %% [markdown]
# ## 1. The model
#
# The outcome $y_i$ is 1 if person *i* used government services online in the last 12 months
# and 0 otherwise. The LPM is an ordinary least-squares regression of this 0/1 outcome:
#
# $$P(y_i = 1 \mid x_i) = x_i'\beta,$$
#
# so each coefficient is a change in the *probability* of use, in percentage points when
# multiplied by 100. The default formula of `egov lpm` is the brief's:
#
# `egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region`
#
# Categorical variables enter as one dummy per level, compared with a reference level: men,
# basic secondary education or less, rural residence, wage employees and Karaganda Region. Age
# enters with its square, so its effect can bend. `dsi` is computed on the fly exactly as in
# notebook 1 (2PL, EAP, standardised).
#
# We ask for the LPM together with logit and probit AMEs, and for two Wald tests: are students
# and pensioners equally (un)likely to use e-government, and do the regions differ at all?

# %%
main = egov_json(
    "lpm",
    "--model", "lpm,logit,probit",
    "--test", "labour::student = labour::pensioner",
    "--test", "region::* = 0",
)
lpm = coefficients(main)
print(f"formula: {main['formula']}")
print(f"N = {main['n']}, k = {main['k']}, R² = {main['r2']:.4f}, variance: {main['vcov']}")
print(f"rows dropped: {main['dropped_rows']} {main['dropped_detail']['missing_by_column']}")
lpm[["estimate", "std_error", "conf_low", "conf_high", "p_value"]]

# %% [markdown]
# Rows with a missing outcome or covariate are dropped *and counted* (the outcome is missing
# for 165 people, education for 122); nothing is filled in.
#
# Reading the table: one standard deviation more digital skill goes with a higher probability
# of using e-government by the `dsi` coefficient (× 100 for percentage points), holding the
# other variables fixed. Students, pensioners and the unemployed are less likely to use it than
# wage employees with the same skills and education; the three large cities stand out among the
# regions.
#
# The Wald tests: the first cannot reject that students and pensioners differ by the same
# amount from wage employees; the second rejects that all sixteen regional differences are zero.

# %%
pd.DataFrame(main["tests"]).set_index("hypothesis")[["q", "f", "df_denominator", "f_p_value"]]

# %% [markdown]
# ## 2. Why robust standard errors, and why HC1
#
# In an LPM the error cannot have constant variance: for a 0/1 outcome,
# $\operatorname{Var}(y_i \mid x_i) = p_i(1 - p_i)$ with $p_i = x_i'\beta$, which changes from person
# to person. The classical formula $s^2(X'X)^{-1}$ assumes a constant variance and is therefore
# wrong *by construction*. White's (1980) **heteroskedasticity-robust** ("sandwich") estimator
#
# $$\hat V_{HC0} = (X'X)^{-1}\Big(\sum_i \hat e_i^2 x_i x_i'\Big)(X'X)^{-1}$$
#
# is valid whatever the form of the variance. **HC1** multiplies it by $n/(n-k)$, a small-sample
# correction (MacKinnon & White 1985) that makes it the estimator Stata reports with `robust`,
# so results can be compared with published work. HC2 and HC3 correct for leverage and matter
# in small samples. With 56,362 people and 31 coefficients, $n/(n-k) = 1.0006$ and the robust
# variants agree to about three digits, as the table below shows — while the classical standard
# errors are off by up to about 9%, in either direction.
#
# **Clustering by household.** The survey interviews every adult in a household. Members of one
# household share a connection, devices and often help each other, so their errors are
# correlated. The cluster-robust estimator (CR1) sums the scores within each household before
# forming the sandwich and uses $G - 1$ degrees of freedom, with $G$ the number of households.

# %%
runs = {
    "classical (iid)": egov_json("lpm", "--vcov", "iid"),
    "HC1 (default)": main,
    "HC3": egov_json("lpm", "--vcov", "hc3"),
    "CR1 by household": egov_json("lpm", "--cluster", "household"),
}
standard_errors = pd.DataFrame(
    {name: coefficients(run)["std_error"] for name, run in runs.items()}
)
standard_errors["CR1 / HC1"] = standard_errors["CR1 by household"] / standard_errors["HC1 (default)"]
print(f"households (clusters): {runs['CR1 by household']['n_clusters'][0]}")
standard_errors

# %%
ratio = standard_errors["CR1 / HC1"].drop("(Intercept)")
fig, ax = plt.subplots(figsize=(9, 6))
ax.barh(ratio.index[::-1], ratio[::-1], color="#3b6ea5")
ax.axvline(1, color="black", lw=0.8)
ax.set(xlabel="household-clustered SE ÷ HC1 SE", title="How much clustering by household matters")
plt.tight_layout()
plt.show()

# %% [markdown]
# On the replica, clustering by household changes the standard errors by at most a few per
# cent, up or down. That is what the simulation implies: household members share their region
# and place of residence, but the replica gives them no common unobserved influence on
# e-government use, so their errors are (nearly) uncorrelated once the covariates are taken into
# account. Real households do share such influences — a connection, devices, a family member who
# helps — so on the bureau's file the clustered standard errors can be noticeably larger, most
# of all for variables that are the same for the whole household (region, urban/rural). Report
# both; when they differ, the clustered ones are the honest ones.
#
# ## 3. Checking the fitted values
#
# An LPM can predict "probabilities" below 0 or above 1. A few are harmless; many would say the
# linear form is a poor description. `egov` counts them:

# %%
main["fitted_outside_unit_interval"]

# %% [markdown]
# To see the fitted values themselves — and to check `egov`'s numbers independently — we rebuild
# the model matrix in pandas from the replica and the DSI scores, refit by least squares with
# numpy and recompute the HC1 standard errors from their formula.

# %%
egov("dsi", "score", "--out", out / "dsi.csv")
scores = pd.read_csv(out / "dsi.csv", dtype={"respondent_id": str})
frame = replica_frame().merge(scores, on="respondent_id", validate="one_to_one")
model_columns = ["egov", "dsi", "sex", "education", "urban", "age", "labour", "region"]
sample = frame.dropna(subset=model_columns)


def model_matrix(data: pd.DataFrame, terms: list[str]) -> np.ndarray:
    """One column per term name of `egov`'s output: (Intercept), dsi, I(age^2), variable::level."""
    columns = []
    for term in terms:
        if term == "(Intercept)":
            columns.append(np.ones(len(data)))
        elif term == "I(age^2)":
            columns.append(data["age"].to_numpy() ** 2)
        elif "::" in term:
            variable, level = term.split("::")
            columns.append((data[variable] == level).to_numpy(dtype=float))
        else:
            columns.append(data[term].to_numpy(dtype=float))
    return np.column_stack(columns)


X = model_matrix(sample, list(lpm.index))
y = sample["egov"].to_numpy()
beta, *_ = np.linalg.lstsq(X, y, rcond=None)
fitted = X @ beta
residuals = y - fitted
n, k = X.shape
bread = np.linalg.inv(X.T @ X)
meat = (X * residuals[:, None] ** 2).T @ X
hc1 = np.sqrt(np.diag(bread @ meat @ bread) * n / (n - k))
print(f"rows: numpy {n}, egov {main['n']}")
print(f"largest difference in coefficients: {np.max(np.abs(beta - lpm['estimate'])):.2e}")
print(f"largest relative difference in HC1 SEs: {np.max(np.abs(hc1 / lpm['std_error'] - 1)):.2e}")
print(f"fitted values outside [0, 1]: {np.sum((fitted < 0) | (fitted > 1))}")

# %% [markdown]
# The independent computation reproduces the estimates, the HC1 standard errors and the count of
# fitted values outside [0, 1]. Now the check itself: the distribution of the fitted values, and
# a *calibration* plot — people are grouped into ten equal-sized groups by their fitted value,
# and the share who actually used e-government is plotted against the average prediction. Points
# on the diagonal mean the linear form describes the data well across the range.

# %%
calibration = (
    pd.DataFrame({"fitted": fitted, "observed": y})
    .assign(decile=lambda df: pd.qcut(df["fitted"], 10, labels=False))
    .groupby("decile")
    .agg(mean_fitted=("fitted", "mean"), observed_share=("observed", "mean"), people=("observed", "size"))
)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.hist(fitted, bins=60, color="#3b6ea5")
left.axvline(0, color="#c0504d")
left.axvline(1, color="#c0504d")
left.set(xlabel="fitted probability", ylabel="people", title="Fitted values of the LPM")
right.plot([0, 1], [0, 1], color="grey", lw=0.8)
right.plot(calibration["mean_fitted"], calibration["observed_share"], "o-", color="#3b6ea5")
right.set(xlabel="mean fitted probability (decile)", ylabel="observed share using e-government",
          title="Calibration by decile of the fitted value", xlim=(0, 1), ylim=(0, 1))
plt.tight_layout()
plt.show()
calibration

# %% [markdown]
# ## 4. Logit and probit average marginal effects
#
# Logit and probit keep predictions inside (0, 1) by passing $x_i'\beta$ through an S-shaped
# function $F$. Their coefficients are not probabilities; the comparable quantity is the
# **average marginal effect**: the change in $P(y = 1)$ for a small change in a numeric
# variable, or for switching a categorical variable from its reference level to another level,
# averaged over everybody in the sample (as Stata's `margins, dydx(*)`). Standard errors come
# from the delta method with the same HC1 variance.
#
# The LPM has separate coefficients for `age` and `I(age^2)`; its average marginal effect of age
# is $\beta_{age} + 2\beta_{age^2}\,\overline{age}$, computed below for the comparison.

# %%
ames = pd.DataFrame(
    {
        "LPM": lpm["estimate"],
        "logit AME": coefficients(main["logit"], "ame")["estimate"],
        "probit AME": coefficients(main["probit"], "ame")["estimate"],
        "LPM SE": lpm["std_error"],
        "logit AME SE": coefficients(main["logit"], "ame")["std_error"],
    }
).drop(index=["(Intercept)", "I(age^2)"])
ames.loc["age", "LPM"] = lpm.loc["age", "estimate"] + 2 * lpm.loc["I(age^2)", "estimate"] * sample["age"].mean()
ames.loc["age", "LPM SE"] = np.nan  # a combination of two coefficients; see the note above
ames

# %%
fig, ax = plt.subplots(figsize=(7, 7))
ax.scatter(ames["LPM"], ames["logit AME"], label="logit", color="#3b6ea5")
ax.scatter(ames["LPM"], ames["probit AME"], label="probit", color="#c0504d", marker="x")
low, high = ames[["LPM", "logit AME", "probit AME"]].min().min(), ames[["LPM", "logit AME", "probit AME"]].max().max()
ax.plot([low, high], [low, high], color="grey", lw=0.8)
ax.set(xlabel="LPM coefficient", ylabel="average marginal effect",
       title="LPM coefficients against logit/probit AMEs")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The points lie close to the diagonal — the largest gaps, for education, students and
# pensioners, are one to one and a half percentage points: for *average* effects the LPM and
# the nonlinear models tell the same story, which is why the brief can report the simpler LPM. They differ for
# individual predictions near 0 or 1, where only logit and probit respect the bounds.
#
# ## 5. Weights and the survey design
#
# So far every person counts equally. The survey's sampling weights make the sample represent
# the adult population, and its design — households grouped into primary sampling units (PSUs)
# within strata (region × urban/rural) — makes observations in the same PSU correlated.
# `--weight weight --vcov design` estimates the weighted model (the DSI is then also fitted and
# standardised with weights) and uses the design-based (linearisation) variance of Binder (1983),
# as R's `survey::svyglm`. Its degrees of freedom are those of svyglm: the number of PSUs minus
# the number of strata, plus one, minus the number of coefficients — here 1,891 − 31 + 1 − 31 =
# 1,830, far fewer than the number of people.

# %%
design = egov_json("lpm", "--weight", "weight", "--vcov", "design")
print(f"variance: {design['vcov']}, PSUs: {design['n_clusters'][0]}, residual df: {design['df_resid']:.0f}")
key_terms = ["dsi", "education::higher", "urban::urban", "labour::student", "labour::pensioner",
             "labour::unemployed", "region::astana", "region::almaty_city", "region::shymkent"]
pd.DataFrame(
    {
        "unweighted": lpm["estimate"],
        "SE (HC1)": lpm["std_error"],
        "weighted": coefficients(design)["estimate"],
        "SE (design)": coefficients(design)["std_error"],
    }
).loc[key_terms]

# %% [markdown]
# **What these standard errors leave out.** Every standard error above treats the DSI as if it
# were measured exactly. It is not: it is estimated from a fitted item response model, person by
# person, with the uncertainty shown in notebook 1. Notebook 4 carries that uncertainty into the
# regression with a two-step bootstrap and with plausible values.
