# Peer timings for the LPM benchmark (R estimatr, and fixest if installed) on the CSV written
# by `cargo bench -p egov-econ --bench lpm`.
#   OPENBLAS_NUM_THREADS=1 Rscript bench/econ/peers.R [csv] [repeats]
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "/tmp/egov-econ-bench-56649.csv"
repeats <- if (length(args) >= 2) as.integer(args[2]) else 7
suppressPackageStartupMessages({library(estimatr); library(sandwich)})
d <- read.csv(path)
for (c in c("education", "labour", "region")) d[[c]] <- factor(d[[c]])
f <- used_egov ~ dsi + sex + urban + age + I(age^2) + education + labour + region
median_ms <- function(fn) {
  fn()
  t <- replicate(repeats, system.time(fn())[["elapsed"]])
  median(t) * 1000
}
r <- lm_robust(f, data = d, se_type = "stata")
cat(sprintf("rows=%d k=%d dsi=%.10f se_hc1=%.10f\n", nrow(d), length(coef(r)), coef(r)[["dsi"]], r$std.error[["dsi"]]))
cat(sprintf("estimatr lm_robust hc1: %.1f ms\n", median_ms(function() lm_robust(f, data = d, se_type = "stata"))))
cat(sprintf("estimatr lm_robust cluster(hh): %.1f ms\n",
            median_ms(function() lm_robust(f, data = d, clusters = hh, se_type = "stata"))))
cat(sprintf("lm + sandwich vcovHC(HC1): %.1f ms\n",
            median_ms(function() { m <- lm(f, data = d); vcovHC(m, type = "HC1") })))
if (requireNamespace("fixest", quietly = TRUE)) {
  cat(sprintf("fixest feols hc1: %.1f ms\n", median_ms(function() fixest::feols(f, d, vcov = "hetero"))))
}
