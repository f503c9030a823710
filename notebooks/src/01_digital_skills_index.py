# Source of notebooks/01_digital_skills_index.ipynb (see notebooks/build_notebooks.py).

# %% [markdown]
# # 1. From survey answers to a Digital Skills Index
#
# **What you will learn.** How eleven yes/no answers about computer tasks become one number per
# person, the *Digital Skills Index* (DSI): why a two-parameter logistic (2PL) item response
# model is used rather than simply counting "yes" answers, how the model is fitted, how to read
# its item curves, how people are scored, and how much the result differs from the simple count.
#
# > **The data are SYNTHETIC.** The Bureau of National Statistics' 2021 ICT household survey is
# > not public. Everything below uses the synthetic replica bundled with the toolkit
# > (`fixtures/replica/`): 56,649 simulated adults whose margins follow published statistics and
# > whose answers follow a documented model. The numbers teach the method; they say nothing
# > about Kazakhstan.
#
# **The same in Rust.** `crates/irt/examples/dsi.rs` does these steps with the library API
# (`cargo run -p egov-irt --example dsi`); `crates/survey/examples/survey_tour.rs` shows how a
# survey file is read through its codebook. Here we drive the `egov` program and read what it
# writes.

# %%
import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from egov_helpers import ROOT, egov, egov_json, item_names, replica_frame, work_dir

pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)
out = work_dir("01_digital_skills_index")
print(egov("--version", echo=False).stdout.strip())

# %% [markdown]
# ## 1. The eleven skill items
#
# The survey asks every adult whether they have done each of eleven computer tasks (Table 3 of
# the brief). `egov check` validates the file against its codebook and summarises every
# variable; with `--format json` we can read the summary into pandas. A share is computed over
# the people who answered the item: a missing answer ("don't know", refused) stays missing and
# is never counted as "no".

# %%
wording = {
    "email": "Sending e-mail with attached files",
    "install_software": "Finding, downloading and installing software",
    "configure_software": "Setting up software (operating system, security programs)",
    "spreadsheet": "Spreadsheet with basic arithmetic formulas",
    "word": "Working in a Word text editor",
    "graphics": "Graphics editor (presentations, images, sound, video, charts)",
    "connect_devices": "Connecting and installing new devices (printer, modem, camera)",
    "programming": "Writing computer programs in a programming language",
    "copy_move": "Copying or moving a file or folder",
    "copy_paste": "Copy and paste within a document",
    "transfer_files": "Transferring files between computers and other devices",
}

check = egov_json("check", show_warnings=1)
rows = []
for variable in check["summary"]:
    if variable["variable"] in wording:
        yes = variable["levels"][0]
        rows.append(
            {
                "item": variable["variable"],
                "task": wording[variable["variable"]],
                "yes": yes["count"],
                "missing": variable["missing"],
                "share yes": yes["share"],
                "weighted share yes": yes["weighted_share"],
            }
        )
shares = pd.DataFrame(rows).set_index("item").sort_values("share yes", ascending=False)
shares

# %%
fig, ax = plt.subplots(figsize=(8, 4.2))
ax.barh(shares["task"][::-1], shares["weighted share yes"][::-1] * 100, color="#3b6ea5")
ax.set_xlabel("adults who have done the task (%, weighted)")
ax.set_title("The 11 skill items (SYNTHETIC replica)")
ax.set_xlim(0, 100)
for y, value in enumerate(shares["weighted share yes"][::-1] * 100):
    ax.text(value + 1, y, f"{value:.0f}%", va="center", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The items differ a lot in how common they are: sending e-mail is done by six in ten adults,
# writing a program by fewer than one in ten. A sensible index should take that into account.
#
# ## 2. Why a 2PL model and not a simple count
#
# The simplest index counts the "yes" answers (0 to 11). It treats every task as equally
# informative and cannot handle a missing answer (is it a "no"?). An **item response model**
# instead assumes that each person has one unobserved skill level θ, and that the chance of
# answering "yes" to item *j* rises with θ along an S-shaped curve:
#
# $$P(\text{yes}_j \mid \theta) = \frac{1}{1 + \exp\{-a_j(\theta - b_j)\}}.$$
#
# * The **difficulty** $b_j$ is the skill level at which half the people say "yes" — low for
#   e-mail, high for programming.
# * The **discrimination** (slope) $a_j$ says how sharply the item separates people just below
#   and just above $b_j$. An item with a large $a_j$ tells us more about θ.
#
# θ is scaled to have mean 0 and standard deviation 1 in the population, which fixes the units.
# The model is fitted by **marginal maximum likelihood**: θ is integrated out over a normal
# distribution (numerically, on 41 Gauss–Hermite nodes) and the 22 item parameters are chosen
# to make the observed answer patterns most likely (EM iterations of Bock & Aitkin, then Newton
# steps). A missing answer simply drops out of that person's likelihood. The method is set out
# in `docs/methodology.md`.
#
# ## 3. Fitting the model
#
# `egov dsi fit --format json` fits the 2PL and prints item parameters with standard errors,
# fit statistics and item-fit tests.

# %%
fit = egov_json("dsi", "fit")
overview = pd.Series(
    {
        key: f"{fit[key]:.4g}" if isinstance(fit[key], float) else fit[key]
        for key in [
            "model", "n_respondents", "n_excluded", "n_patterns", "loglik", "aic", "bic",
            "converged", "em_iterations", "newton_iterations", "max_abs_gradient", "reliability",
        ]
    },
    name="2PL fit",
)
overview.to_frame()

# %% [markdown]
# 56,649 people give only a few thousand distinct answer patterns; the engine works on the
# patterns, which is why the fit takes a second. *Marginal reliability* (about 0.78) is the share
# of the variance of θ the eleven items capture: a good value for a short test.

# %%
params = pd.DataFrame(fit["items"]).set_index("name")[["a", "a_se", "b", "b_se", "d", "d_se"]]
params.sort_values("b")

# %% [markdown]
# **Checking against the known truth.** Because the replica is simulated, we know the item
# parameters that generated it (`fixtures/replica/true_parameters.json`). The z-scores
# (estimate minus truth, divided by the standard error) should look like draws from a standard
# normal distribution: mostly between −2 and 2, with perhaps one or two of the 22 a little
# beyond. Real data can never offer this check.

# %%
truth = json.loads((ROOT / "fixtures/replica/true_parameters.json").read_text())
true_items = pd.DataFrame(truth["items_2pl_logistic"]).set_index("item")[["a", "b"]]
recovery = params[["a", "a_se", "b", "b_se"]].join(
    true_items.rename(columns={"a": "a (true)", "b": "b (true)"})
)
recovery["z(a)"] = (recovery["a"] - recovery["a (true)"]) / recovery["a_se"]
recovery["z(b)"] = (recovery["b"] - recovery["b (true)"]) / recovery["b_se"]
recovery[["a", "a (true)", "z(a)", "b", "b (true)", "z(b)"]]

# %% [markdown]
# **Is the 2PL needed?** The one-parameter model (1PL) gives every item the same slope. It is
# nested in the 2PL, so twice the difference in log-likelihood is a likelihood-ratio statistic
# with 22 − 12 = 10 degrees of freedom (the 1% critical value of χ²(10) is 23.2). AIC and BIC
# compare the two as well (smaller is better).

# %%
fit_1pl = egov_json("dsi", "fit", "--model", "1pl")
comparison = pd.DataFrame(
    {
        "1PL": [fit_1pl["n_parameters"], fit_1pl["loglik"], fit_1pl["aic"], fit_1pl["bic"]],
        "2PL": [fit["n_parameters"], fit["loglik"], fit["aic"], fit["bic"]],
    },
    index=["parameters", "log-likelihood", "AIC", "BIC"],
)
print(f"likelihood-ratio statistic: {2 * (fit['loglik'] - fit_1pl['loglik']):.1f} on 10 df")
comparison

# %% [markdown]
# **Item fit.** The S-X² statistic of Orlando & Thissen (2000) groups people by their number of
# "yes" answers and compares, for each item, the observed share of "yes" in each group with the
# share the model predicts. A small p-value flags an item whose curve does not match the data.
# Summed scores need complete answers, so people with a missing answer are left out of this
# check (their number is reported).

# %%
print(f"left out of S-X2 (some answer missing): {fit['item_fit_n_incomplete_excluded']:.0f} people")
pd.DataFrame(fit["item_fit"]).set_index("item")[["s_x2", "df", "p_value"]]

# %% [markdown]
# ## 4. Item curves and information
#
# With the estimated parameters we can draw each item's curve. The **information** an item gives
# about θ is $a_j^2 P_j(\theta)\{1 - P_j(\theta)\}$: it peaks at the item's difficulty and is
# larger for steeper items. Adding the items gives the **test information** $I(\theta)$; its
# inverse square root is the standard error with which θ could be measured at that level.

# %%
theta = np.linspace(-4, 4, 321)
a = params["a"].to_numpy()[:, None]
d = params["d"].to_numpy()[:, None]
prob = 1 / (1 + np.exp(-(a * theta + d)))
information = a**2 * prob * (1 - prob)
test_information = information.sum(axis=0)

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for name, curve in zip(params.index, prob):
    left.plot(theta, curve, lw=1.3, label=name)
left.set(xlabel="skill θ", ylabel="P(yes)", title="Item characteristic curves")
left.legend(fontsize=7, ncol=2)
right.plot(theta, test_information, color="black", label="test information")
right.set(xlabel="skill θ", ylabel="information", title="Where the items measure well")
twin = right.twinx()
twin.plot(theta, 1 / np.sqrt(test_information), color="#c0504d", ls="--", label="SE(θ)")
twin.set_ylabel("standard error of θ", color="#c0504d")
twin.set_ylim(0, 2)
plt.tight_layout()
plt.show()

# %% [markdown]
# Most items have their difficulty above 0, so the test measures best among people of average
# to high skill (information peaks near θ = 0.8). Below about θ = −1.5 it has little
# information: people there answer "no" to everything and cannot be told apart.
#
# ## 5. Scoring people
#
# The model gives each person a **posterior** distribution of θ given their answers. The default
# score is its mean (EAP, *expected a posteriori*), with the posterior standard deviation as its
# standard error. `egov dsi score` writes one row per respondent. By default the score is
# **standardised** (weighted mean 0, SD 1 in the sample), so a regression coefficient on it reads
# "per standard deviation of digital skill"; `--scale theta` keeps the model's θ metric.

# %%
egov("dsi", "score", "--out", out / "dsi_eap.csv")
egov("dsi", "score", "--scale", "theta", "--out", out / "theta_eap.csv")
eap = pd.read_csv(out / "dsi_eap.csv", dtype={"respondent_id": str})
theta_eap = pd.read_csv(out / "theta_eap.csv", dtype={"respondent_id": str})
print(f"variance of the EAP scores on the θ metric: {theta_eap['dsi'].var():.3f} "
      f"(marginal reliability {fit['reliability']:.3f})")
eap.describe().round(3)

# %% [markdown]
# The EAP scores on the θ metric have a variance well below 1, close to the reliability: EAP
# pulls uncertain scores towards the mean (*shrinkage*). That is the price of a score that is
# defined for everybody. Standardising rescales the spread back to 1 but cannot undo the
# uncertainty — notebook 4 shows what that means for the regression.
#
# Maximum-likelihood scores (`--method ml`) do not shrink, but people who answered "no" (or
# "yes") to every item have no finite ML score; the toolkit leaves them empty and says how many
# there are rather than inventing a value.

# %%
egov("dsi", "score", "--method", "ml", "--scale", "theta", "--out", out / "theta_ml.csv")
ml = pd.read_csv(out / "theta_ml.csv", dtype={"respondent_id": str})
print(f"people without a finite ML score: {ml['dsi'].isna().sum()} of {len(ml)}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
left.hist(eap["dsi"], bins=60, color="#3b6ea5")
left.set(xlabel="DSI (EAP, standardised)", ylabel="people", title="Distribution of the DSI")
right.scatter(theta_eap["dsi"], theta_eap["dsi_se"], s=4, alpha=0.3, color="#3b6ea5")
right.set(xlabel="EAP score (θ metric)", ylabel="posterior SD",
          title="Uncertainty of each person's score")
plt.tight_layout()
plt.show()

# %% [markdown]
# The spike on the left are the people who answered "no" to every item: they all get the same
# score and the largest uncertainty. Scores are most precise in the middle-to-upper range, where
# the test information is highest.
#
# ## 6. The IRT index against a simple count
#
# To compare, we rebuild the count from the raw answers. `replica_frame()` (in
# `egov_helpers.py`) maps the replica through its codebook in a few lines of pandas: items become
# 1 (yes), 0 (no) or missing. The count is the number of "yes" among the answered items.

# %%
frame = replica_frame()
answers = frame[item_names()]
frame["count"] = answers.sum(axis=1, min_count=1)
frame["answered"] = answers.notna().sum(axis=1)
both = frame.merge(eap, on="respondent_id", validate="one_to_one")
print(f"people: {len(both)}; with at least one missing answer: {(both['answered'] < 11).sum()}")
# The shares from this independent mapping equal those `egov check` reported in section 1.
print(f"largest difference from egov check's shares: "
      f"{(answers.mean() - shares['share yes']).abs().max():.1e}")
pd.DataFrame(
    {
        "Pearson": [both["dsi"].corr(both["count"])],
        "Spearman (ranks)": [both["dsi"].corr(both["count"], method="spearman")],
    },
    index=["correlation of DSI with the count"],
)

# %%
complete = both[both["answered"] == 11]
groups = [complete.loc[complete["count"] == k, "dsi"] for k in range(12)]
fig, ax = plt.subplots(figsize=(9, 4))
ax.boxplot(groups, positions=range(12), widths=0.6, showfliers=False)
ax.set(xlabel="number of 'yes' answers (people who answered all 11)", ylabel="DSI (EAP)",
       title="Same count, different DSI: the 2PL weights the items")
plt.tight_layout()
plt.show()

# %% [markdown]
# The two agree closely in ranking people, but not exactly. Within the same count the DSI
# varies, because in a 2PL the evidence from a "yes" is weighted by the item's discrimination
# $a_j$. Among people with exactly one "yes", for example, the score depends on *which* task it
# was:

# %%
one_yes = complete[complete["count"] == 1].copy()
one_yes["the one yes"] = one_yes[item_names()].idxmax(axis=1)
table = one_yes.groupby("the one yes")["dsi"].agg(["count", "mean"])
table.join(params["a"]).sort_values("mean")

# %% [markdown]
# Missing answers are the other difference: the count treats a missing answer like a "no",
# while the IRT score uses only what was answered and reports a larger standard error.
#
# **Take-aways.**
#
# 1. A 2PL item response model turns yes/no answers into a skill score that weights each item by
#    how informative it is and handles missing answers honestly.
# 2. The fit is checked by likelihood comparisons (2PL vs 1PL), item-fit tests and, on the
#    replica, the known true parameters.
# 3. EAP scores shrink towards the mean; each comes with a standard error. The next notebook uses
#    the DSI in a regression; notebook 4 carries its uncertainty into the standard errors.
