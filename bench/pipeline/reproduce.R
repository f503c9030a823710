# The `egov reproduce` pipeline in R with base R, sandwich and survey (mirt is not packaged for
# Debian, so the 2PL is fitted by a textbook EM written here: Bock-Aitkin with 41 Gauss-Hermite
# nodes, each item's M-step a binomial glm on the expected counts, stopped when no parameter
# moves by more than 1e-4). R has no Parquet reader installed, so this reads a CSV copy of the
# replica (run_all.sh writes it with pandas).
#
#   OPENBLAS_NUM_THREADS=1 Rscript bench/pipeline/reproduce.R REPLICA.csv [OUT_DIR]
#
# Stages as in bench/pipeline/reproduce.py: load (CSV + TOML codebook via RcppTOML), dsi (2PL EM,
# EAP, count index), descriptives (survey::svyby with PSUs within strata), models (lm + HC1 and
# household-clustered SEs, Wald tests, logit/probit average marginal effects — point estimates
# only, no delta-method SEs —, LPM without the DSI and with the count index), inference
# (10 plausible values under a latent regression, Rubin's rules), charts (base graphics, PNG at 2x and SVG), report
# (Markdown). Prints the wall time of every stage and writes key_numbers.json.
t_start <- Sys.time()
suppressPackageStartupMessages({
  library(sandwich)
  library(survey)
  library(RcppTOML)
})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript bench/pipeline/reproduce.R REPLICA.csv [OUT_DIR]")
csv <- args[1]
out <- if (length(args) >= 2) args[2] else "/tmp/egov-r-bench-out"
dir.create(file.path(out, "figures"), recursive = TRUE, showWarnings = FALSE)
dir.create(file.path(out, "tables"), recursive = TRUE, showWarnings = FALSE)
times <- c(imports = as.numeric(difftime(Sys.time(), t_start, units = "secs")))
stage_start <- Sys.time()
done <- function(name) {
  now <- Sys.time()
  times[[name]] <<- as.numeric(difftime(now, stage_start, units = "secs"))
  message(sprintf("stage %-14s %9.1f ms", name, 1000 * times[[name]]))
  stage_start <<- now
}

# 1. Load and map with the codebook ---------------------------------------------------------
cb <- parseTOML("fixtures/replica/codebook.toml")
raw <- read.csv(csv, colClasses = c(resp_id = "character", hh_id = "character"))
cols <- cb$columns
d <- data.frame(household = raw[[cols$household_id]], weight = raw[[cols$weight]],
                psu = raw[[cols$psu]], stratum = raw[[cols$stratum]],
                age = as.numeric(raw[[cb$age$column]]))
oc <- cb$outcome
y <- raw[[oc$column]]
d$egov <- ifelse(y %in% oc$yes, 1, ifelse(y %in% oc$no, 0, NA))
for (variable in c("sex", "education", "urban", "labour", "region")) {
  spec <- cb[[variable]]
  codes <- unlist(lapply(spec$levels, function(l) c(l$code, l$also)))
  names_ <- unlist(lapply(spec$levels, function(l) rep(l$name, 1 + length(l$also))))
  order <- vapply(spec$levels, function(l) l$name, "")
  x <- raw[[spec$column]]
  unknown <- !(x %in% codes) & !(x %in% spec$missing)
  if (any(unknown)) stop(sprintf("column %s: code %s is in no level of the codebook (%d rows)",
                                 spec$column, x[unknown][1], sum(unknown)))
  f <- factor(names_[match(x, codes)], levels = order)
  d[[variable]] <- relevel(f, ref = spec$reference)
}
item_cols <- sort(vapply(cb$items, function(i) i$column, ""))
ic <- cb$item_coding
items <- sapply(item_cols, function(c) {
  x <- raw[[c]]
  ifelse(x %in% ic$yes, 1, ifelse(x %in% ic$no, 0, NA))
})
done("load")

# 2. DSI: 2PL by marginal ML (Bock-Aitkin EM), EAP -------------------------------------------
gh <- function(n) {  # Gauss-Hermite nodes and weights for the N(0, 1) density (Golub-Welsch)
  j <- seq_len(n - 1)
  m <- matrix(0, n, n)
  m[cbind(j, j + 1)] <- sqrt(j)
  m[cbind(j + 1, j)] <- sqrt(j)
  e <- eigen(m, symmetric = TRUE)
  o <- order(e$values)
  list(x = e$values[o], w = e$vectors[1, o]^2)
}
q <- gh(41)
# The EM works on the distinct answer patterns (a few thousand), each with its count.
key <- apply(ifelse(is.na(items), 9L, items), 1, paste, collapse = "")
pattern_of <- match(key, unique(key))
patterns <- items[!duplicated(key), , drop = FALSE]
n_pat <- tabulate(pattern_of, nrow(patterns))
likelihood <- function(a, b, resp) {  # rows of resp x nodes
  l <- matrix(0, nrow(resp), length(q$x))
  for (j in seq_len(ncol(resp))) {
    p <- plogis(a[j] * (q$x - b[j]))
    yj <- resp[, j]
    ok <- !is.na(yj)
    l[ok, ] <- l[ok, ] + outer(yj[ok], log(p)) + outer(1 - yj[ok], log1p(-p))
  }
  exp(l)
}
a <- rep(1, ncol(items)); b <- rep(0, ncol(items))
for (iter in 1:1000) {
  post <- likelihood(a, b, patterns) * rep(q$w, each = nrow(patterns))
  post <- post / rowSums(post) * n_pat
  old <- c(a, b)
  for (j in seq_len(ncol(items))) {
    ok <- !is.na(patterns[, j])
    n_q <- colSums(post[ok, , drop = FALSE])
    r_q <- colSums(post[ok, , drop = FALSE] * patterns[ok, j])
    g <- suppressWarnings(glm(cbind(r_q, n_q - r_q) ~ q$x, family = binomial,
                              start = c(-a[j] * b[j], a[j])))
    a[j] <- coef(g)[2]; b[j] <- -coef(g)[1] / coef(g)[2]
  }
  if (max(abs(c(a, b) - old)) < 1e-4) break
}
post <- likelihood(a, b, patterns) * rep(q$w, each = nrow(patterns))
post <- (post / rowSums(post))[pattern_of, ]
answered <- rowSums(!is.na(items))
theta <- ifelse(answered > 0, drop(post %*% q$x), NA)
std <- function(x) (x - mean(x, na.rm = TRUE)) / sqrt(mean((x - mean(x, na.rm = TRUE))^2, na.rm = TRUE))
d$dsi <- std(theta)
d$count_index <- std(ifelse(answered > 0, rowSums(items, na.rm = TRUE), NA))
done("dsi")

# 3. Weighted group means with design-based intervals ----------------------------------------
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
d$age_group <- cut(d$age, c(14, 24, 34, 44, 54, 64, 74), labels = c("15-24", "25-34", "35-44",
                                                                      "45-54", "55-64", "65-74"))
des <- update(des, age_group = d$age_group)
tables <- list()
for (g in c("region", "education", "sex", "labour", "urban", "age_group + urban")) {
  f <- as.formula(paste0("~", g))
  up <- svyby(~egov, f, des, svymean, na.rm = TRUE)
  ds <- svyby(~dsi, f, des, svymean, na.rm = TRUE)
  t <- data.frame(up[, 1:(ncol(up) - 2), drop = FALSE], uptake = up$egov, uptake_se = up$se,
                  dsi = ds$dsi, dsi_se = ds$se)
  name <- paste0("by_", sub(" \\+ urban", "_urban", sub("age_group", "age", g)))
  tables[[name]] <- t
  write.csv(t, file.path(out, "tables", paste0(name, ".csv")), row.names = FALSE)
}
national <- svymean(~egov, des, na.rm = TRUE)
done("descriptives")

# 4. Models -------------------------------------------------------------------------------
fm <- egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region
cc <- d[complete.cases(d[, c("egov", "dsi", "count_index", "age", "sex", "education", "urban",
                              "labour", "region")]), ]
m <- lm(fm, data = cc)
v_hc1 <- vcovHC(m, type = "HC1")
v_cl <- vcovCL(m, cluster = ~household, type = "HC1")
coefs <- data.frame(estimate = coef(m), se_hc1 = sqrt(diag(v_hc1)), se_cluster = sqrt(diag(v_cl)))
wald <- function(R) {
  r <- R %*% coef(m)
  w <- drop(t(r) %*% solve(R %*% v_hc1 %*% t(R)) %*% r)
  c(F = w / nrow(R), p = pf(w / nrow(R), nrow(R), m$df.residual, lower.tail = FALSE))
}
nm <- names(coef(m))
reg <- grep("^region", nm)
R1 <- matrix(0, length(reg), length(nm)); R1[cbind(seq_along(reg), reg)] <- 1
R2 <- matrix(0, 2, length(nm))
R2[1, nm == "labourstudent"] <- 1; R2[1, nm == "labourpensioner"] <- -1
R2[2, nm == "labourpensioner"] <- 1; R2[2, nm == "labourunemployed"] <- -1
tests <- rbind(regions_zero = wald(R1), students_pensioners_unemployed_equal = wald(R2))
ame <- function(link) {  # AMEs: derivative for dsi, level-vs-reference change for factors
  g <- glm(fm, family = binomial(link = link), data = cc)
  p <- function(nd) predict(g, newdata = nd, type = "response")
  h <- 1e-5
  res <- c(dsi = mean((p(transform(cc, dsi = dsi + h)) - p(transform(cc, dsi = dsi - h))) / (2 * h)))
  for (v in c("sex", "education", "urban", "labour", "region")) {
    lv <- levels(cc[[v]])
    base <- cc; base[[v]] <- factor(lv[1], levels = lv)
    p0 <- p(base)
    for (l in lv[-1]) {
      alt <- cc; alt[[v]] <- factor(l, levels = lv)
      res[paste0(v, "::", l)] <- mean(p(alt) - p0)
    }
  }
  res
}
ames <- list(logit = ame("logit"), probit = ame("probit"))
no_dsi <- lm(update(fm, . ~ . - dsi), data = cc)
count <- lm(update(fm, . ~ . - dsi + count_index), data = cc)
done("models")

# 5. Plausible values under a latent regression theta ~ N(z'G, s^2) on the model's other
# columns and the outcome (item parameters fixed; EM to 1e-6), 121-point grid on [-6, 6],
# Rubin's rules — as `egov reproduce` by default ----------------------------------------------
set.seed(2021)
rows <- as.integer(rownames(cc))
grid <- seq(-6, 6, length.out = 121)
ll <- matrix(0, length(rows), length(grid))
for (j in seq_len(ncol(items))) {
  p <- plogis(a[j] * (grid - b[j]))
  yj <- items[rows, j]
  ok <- !is.na(yj)
  ll[ok, ] <- ll[ok, ] + outer(yj[ok], log(p)) + outer(1 - yj[ok], log1p(-p))
}
X <- model.matrix(m)
Z <- cbind(X[, colnames(X) != "dsi"], egov = cc$egov)
lik <- exp(ll - do.call(pmax, as.data.frame(ll)))  # the likelihood part, exponentiated once
moments <- function(mu, sigma) {
  post <- lik * exp(-0.5 * (outer(mu, grid, "-") / sigma)^2)
  post <- post / rowSums(post)
  m1 <- drop(post %*% grid)
  list(post = post, mean = m1, var = pmax(drop(post %*% grid^2) - m1^2, 0))
}
zq <- qr(Z)
mo <- moments(rep(0, nrow(ll)), 1)
gam <- qr.coef(zq, mo$mean); sig <- 1
for (em in 1:1000) {
  mo <- moments(drop(Z %*% gam), sig)
  g2 <- qr.coef(zq, mo$mean)
  s2 <- sqrt(mean(mo$var + (mo$mean - drop(Z %*% g2))^2))
  change <- max(abs(g2 - gam), abs(s2 - sig))
  gam <- g2; sig <- s2
  if (change < 1e-6) break
}
cdf <- t(apply(moments(drop(Z %*% gam), sig)$post, 1, cumsum))
half <- (grid[2] - grid[1]) / 2
est <- vars <- NULL
for (m_ in 1:10) {
  u <- runif(length(rows))
  idx <- pmin(rowSums(cdf < u) + 1, length(grid))
  th <- grid[idx] + runif(length(rows), -half, half)
  fit <- lm(fm, data = transform(cc, dsi = std(th)))
  est <- rbind(est, coef(fit)); vars <- rbind(vars, diag(vcovHC(fit, type = "HC1")))
}
pv <- data.frame(estimate = colMeans(est),
                 se = sqrt(colMeans(vars) + (1 + 1 / 10) * apply(est, 2, var)))
done("inference")

# 6. Charts (PNG at 2x, SVG) -----------------------------------------------------------------
chart <- function(stem, draw, h = 5) {
  png(file.path(out, "figures", paste0(stem, ".png")), width = 8, height = h, units = "in", res = 200)
  draw(); invisible(dev.off())
  svg(file.path(out, "figures", paste0(stem, ".svg")), width = 8, height = h)
  draw(); invisible(dev.off())
}
bars <- function(t, col, se, labels, title) function() {
  o <- order(t[[col]])
  par(mar = c(4, 12, 3, 1))
  mid <- barplot(t[[col]][o], names.arg = labels[o], horiz = TRUE, las = 1, main = title,
                 xlim = range(0, t[[col]] + 2 * t[[se]], t[[col]] - 2 * t[[se]]), cex.names = 0.7)
  arrows(t[[col]][o] - 1.96 * t[[se]][o], mid, t[[col]][o] + 1.96 * t[[se]][o], mid,
         angle = 90, code = 3, length = 0.03)
}
s <- " - SYNTHETIC REPLICA"
for (v in c("region", "education", "sex", "labour")) {
  t <- tables[[paste0("by_", v)]]
  chart(paste0("uptake_by_", v), bars(t, "uptake", "uptake_se", as.character(t[[v]]),
                                      paste0("E-government use by ", v, s)))
}
t <- tables$by_region
chart("dsi_by_region", bars(t, "dsi", "dsi_se", as.character(t$region), paste0("Mean DSI by region", s)))
t <- tables$by_age_urban
chart("uptake_by_age_urban", function() {
  mm <- xtabs(uptake ~ urban + age_group, t)
  barplot(mm, beside = TRUE, legend.text = TRUE, main = paste0("E-government use by age and residence", s))
}, 4)
ct <- data.frame(estimate = coef(m), se = sqrt(diag(v_hc1)))[-1, ]
chart("coefficients", function() {
  par(mar = c(4, 14, 3, 1))
  yy <- seq_len(nrow(ct))
  plot(ct$estimate, yy, yaxt = "n", ylab = "", xlab = "effect (95% CI, HC1)",
       xlim = range(ct$estimate - 2 * ct$se, ct$estimate + 2 * ct$se), main = paste0("LPM", s))
  suppressWarnings(arrows(ct$estimate - 1.96 * ct$se, yy, ct$estimate + 1.96 * ct$se, yy, angle = 90, code = 3, length = 0.02))
  axis(2, yy, rownames(ct), las = 1, cex.axis = 0.6); abline(v = 0, col = "grey")
}, 8)
rg <- ct[grep("^region", rownames(ct)), ]
chart("region_effects", function() {
  par(mar = c(4, 14, 3, 1)); yy <- seq_len(nrow(rg))
  plot(rg$estimate, yy, yaxt = "n", ylab = "", xlab = "difference from the reference region",
       xlim = range(rg$estimate - 2 * rg$se, rg$estimate + 2 * rg$se), main = paste0("Regions", s))
  arrows(rg$estimate - 1.96 * rg$se, yy, rg$estimate + 1.96 * rg$se, yy, angle = 90, code = 3, length = 0.02)
  axis(2, yy, rownames(rg), las = 1, cex.axis = 0.7); abline(v = 0, col = "grey")
})
grid <- seq(-4, 4, length.out = 161)
pc <- sapply(seq_along(a), function(j) plogis(a[j] * (grid - b[j])))
chart("item_curves", function() {
  matplot(grid, pc, type = "l", lty = 1, xlab = "skill", ylab = "P(yes)", main = paste0("Item curves", s))
  legend("topleft", names(cb$items)[order(vapply(cb$items, function(i) i$column, ""))],
         col = 1:6, lty = 1, cex = 0.6)
})
chart("test_information", function() plot(grid, rowSums(sweep(pc * (1 - pc), 2, a^2, "*")), type = "l",
                                          xlab = "skill", ylab = "information", main = paste0("Test information", s)), 4)
chart("item_map", function() {
  hist(theta, breaks = 40, main = paste0("Skill and item difficulties", s), xlab = "skill")
  abline(v = b, col = "red")
})
for (v in c("urban", "education")) {
  chart(paste0("dsi_distribution_", v), function() {
    lv <- levels(d[[v]])
    dens <- lapply(lv, function(l) density(d$dsi[d[[v]] %in% l & !is.na(d$dsi)]))
    plot(NULL, xlim = c(-3, 3.5), ylim = c(0, max(sapply(dens, function(z) max(z$y)))),
         xlab = "DSI", ylab = "density", main = paste0("DSI by ", v, s))
    for (k in seq_along(dens)) lines(dens[[k]], col = k)
    legend("topright", lv, col = seq_along(lv), lty = 1, cex = 0.7)
  }, 4)
}
done("charts")

# 7. Report -------------------------------------------------------------------------------
md <- function(df) {
  df <- cbind(term = rownames(df), format(df, digits = 4))
  c(paste("|", paste(names(df), collapse = " | "), "|"),
    paste(rep("|---", ncol(df)), collapse = ""), apply(df, 1, function(r) paste("|", paste(r, collapse = " | "), "|")))
}
lines <- c("# E-government uptake - SYNTHETIC REPLICA (R peer pipeline)", "",
           sprintf("Model rows %d of %d.", nrow(cc), nrow(d)), "", "## LPM", "", md(coefs), "",
           "## Wald tests", "", md(as.data.frame(tests)), "", "## Plausible values", "", md(pv))
writeLines(lines, file.path(out, "report.md"))
done("report")
times[["total"]] <- as.numeric(difftime(Sys.time(), t_start, units = "secs"))
message(sprintf("stage %-14s %9.1f ms", "total", 1000 * times[["total"]]))
term <- function(x) {
  x <- sub("^\\(Intercept\\)$", "(Intercept)", x)
  for (v in c("sex", "education", "urban", "labour", "region")) {
    plain <- !grepl("::", x, fixed = TRUE)
    x[plain] <- sub(paste0("^", v, "(.+)$"), paste0(v, "::\\1"), x[plain])
  }
  x
}
js <- function(v, rename = TRUE) {
  keys <- if (rename) term(names(v)) else names(v)
  paste0("{", paste(sprintf("\"%s\": %.12g", keys, v), collapse = ", "), "}")
}
writeLines(c("{", sprintf("\"tool\": \"R %s (sandwich %s, survey %s)\",", getRversion(),
                          packageVersion("sandwich"), packageVersion("survey")),
             sprintf("\"n_model\": %d,", nrow(cc)),
             sprintf("\"lpm_estimate\": %s,", js(coef(m))),
             sprintf("\"lpm_se_hc1\": %s,", js(sqrt(diag(v_hc1)))),
             sprintf("\"lpm_se_cluster\": %s,", js(sqrt(diag(v_cl)))),
             sprintf("\"ame_logit\": %s,", js(ames$logit)), sprintf("\"ame_probit\": %s,", js(ames$probit)),
             sprintf("\"tests_f\": %s,", js(tests[, "F"], rename = FALSE)),
             sprintf("\"irt_a\": [%s], \"irt_b\": [%s],", paste(a, collapse = ", "), paste(b, collapse = ", ")),
             sprintf("\"em_cycles\": %d,", iter),
             sprintf("\"pv\": %s,", js(setNames(pv$estimate, rownames(pv)))),
             sprintf("\"pv_em_iterations\": %d,", em),
             sprintf("\"timings_s\": %s", js(times, rename = FALSE)), "}"),
           file.path(out, "key_numbers.json"))
message(sprintf("dsi %.4f (HC1 se %.4f); labour::student %.4f; EM cycles %d; wrote %s",
                coef(m)[["dsi"]], sqrt(v_hc1["dsi", "dsi"]), coef(m)[["labourstudent"]], iter, out))
