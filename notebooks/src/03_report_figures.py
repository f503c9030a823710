# Source of notebooks/03_report_figures.ipynb (see notebooks/build_notebooks.py).

# %% [markdown]
# # 3. The report's figures in English, Russian and Kazakh
#
# **What you will learn.** How `egov charts` draws the regional and demographic comparisons of
# the brief — e-government uptake and digital skills by region, age, education, sex and labour
# status — together with the model's coefficients and the item response curves, and how to get
# the same figures with Russian or Kazakh titles and labels for a national audience.
#
# > **The data are SYNTHETIC.** The figures are drawn from the synthetic replica of the 2021
# > survey bundled with the toolkit, and every figure says so in its source note. They show what
# > the charts look like and how to read them; they are not statistics about Kazakhstan.
#
# **The same in Rust.** `crates/charts/examples/gallery.rs` (`cargo run -p egov-charts --example
# gallery`) draws every chart type from plain numbers with the `egov-charts` API.
#
# **How the numbers get onto the charts.** `egov charts` runs the same pipeline as
# `egov reproduce` (notebook 4): weighted shares and means with design-based 95% confidence
# intervals for the comparisons, the linear probability model and its logit/probit average
# marginal effects for the coefficient chart, the fitted 2PL for the item charts. The chart library
# only draws the numbers it is given, so a chart and the corresponding table always agree.

# %%
from io import BytesIO

from IPython.display import Image, display
from PIL import Image as PILImage

from egov_helpers import egov, work_dir

out = work_dir("03_report_figures")


def show(folder, stem, width=760):
    """Displays one PNG the toolkit wrote, resized to 1000 px wide to keep this notebook small."""
    with PILImage.open(folder / f"{stem}.png") as picture:
        picture = picture.convert("RGB")
        picture.thumbnail((1000, 1000 * picture.height // picture.width))
        buffer = BytesIO()
        picture.save(buffer, format="PNG", optimize=True)
    display(Image(data=buffer.getvalue(), width=width))


# %% [markdown]
# ## 1. Drawing the chart set
#
# One command draws every chart. `--format png` skips the SVG copies (the report uses both);
# `--force` replaces the folder from an earlier run. The folder is written atomically: nothing
# appears unless every chart rendered. The PNG files are 1800 pixels wide for print; this
# notebook shows them reduced.

# %%
english = out / "en"
run = egov("charts", "--out", english, "--format", "png", "--force")
sorted(path.stem for path in english.glob("*.png"))

# %% [markdown]
# ## 2. Regional differences
#
# The first chart ranks the regions by the share of adults who used government services online,
# with 95% confidence intervals from the survey design and the national average as a reference
# line. The three cities with the status of a region — Astana, Almaty and Shymkent — are
# highlighted. Overlapping intervals mean the data cannot tell two regions apart.

# %%
show(english, "uptake_by_region")

# %% [markdown]
# The same layout for the mean Digital Skills Index (standardised: 0 is the national mean, 1 a
# standard deviation of skill):

# %%
show(english, "dsi_by_region")

# %% [markdown]
# Raw differences mix many things: cities have more graduates and more wage employees. The
# **region effects** chart shows each region's coefficient in the linear probability model —
# the difference from the reference region (Karaganda) for people with the same skills,
# education, age, sex and labour status. If the cities still stand out here, the gap is not just
# a matter of who lives there.

# %%
show(english, "region_effects")

# %% [markdown]
# A tile map places the regions roughly where they are, one equal-sized tile each, so that small
# regions are as visible as large ones:

# %%
show(english, "uptake_map")

# %% [markdown]
# ## 3. Demographic differences
#
# Uptake by age group, separately for urban and rural residents, then by education, sex and labour
# status — each with design-based 95% confidence intervals.

# %%
for stem in ["uptake_by_age_urban", "uptake_by_education", "uptake_by_sex", "uptake_by_labour"]:
    show(english, stem)

# %% [markdown]
# How digital skills are spread within groups: weighted densities of the DSI for urban and rural
# residents, and box plots by education. Groups differ in their typical skill, but the
# distributions overlap widely — many rural residents are more skilled than many urban
# residents.

# %%
for stem in ["dsi_distribution_urban", "dsi_distribution_education"]:
    show(english, stem)

# %% [markdown]
# ## 4. The model
#
# The coefficient chart shows the linear probability model's estimates with 95% intervals beside
# the average marginal effects of logit and probit (notebook 2): each dot is the change in the
# probability of using e-government compared with the reference group, or per standard deviation
# of the DSI.

# %%
show(english, "coefficients")

# %% [markdown]
# ## 5. The skill items
#
# The item response charts of notebook 1, drawn by the toolkit: the characteristic curve of each
# item, one panel per item with the other items in grey and its difficulty b marked (the skill
# level at which half the respondents say "yes"); the test information over the skill scale, with the distribution of the people's EAP
# scores beneath it, so one sees whether the test measures well where the people are; and an item
# map plotting each task's difficulty against its discrimination.

# %%
for stem in ["item_curves", "test_information", "item_map"]:
    show(english, stem)

# %% [markdown]
# ## 6. Russian and Kazakh
#
# `--lang ru` and `--lang kk` translate titles, axis texts, notes and the category labels (which
# come from the codebook's `ru` and `kk` labels). The text is set in Noto Sans, embedded in the
# toolkit, so Cyrillic and the Kazakh letters (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) render the same on any
# machine, with or without installed fonts.

# %%
russian = out / "ru"
run = egov("charts", "--out", russian, "--lang", "ru", "--format", "png", "--force")
for stem in ["uptake_by_region", "uptake_by_education"]:
    show(russian, stem)

# %%
kazakh = out / "kk"
run = egov("charts", "--out", kazakh, "--lang", "kk", "--format", "png", "--force")
for stem in ["uptake_by_region", "coefficients"]:
    show(kazakh, stem)

# %% [markdown]
# **Take-aways.**
#
# 1. One command draws the full chart set from the same estimates as the report's tables.
# 2. Every comparison carries design-based confidence intervals; read overlapping intervals as
#    "no detectable difference".
# 3. Raw regional gaps and model-adjusted region effects answer different questions; show both.
# 4. The same charts come in English, Russian and Kazakh with one option.
