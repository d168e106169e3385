# Golden values for bankquant's volatility models (tests/python/test_risk_volatility.py), from
# R's fGarch. Run from this folder:  Rscript make_golden.R
#
# Data: the DEM/GBP daily returns of Bollerslev and Ghysels (1996), the GARCH benchmark of
# Fiorentini, Calzolari and Panattoni (1996) and McCullough and Renfro (1999), as shipped in
# fGarch (data(dem2gbp)), written to dem2gbp.csv; and IBM's daily log returns from bankquant's
# bundled Dow Jones 30 prices (bindings/python/bankquant/datasets/data/dow_jones_30_daily.csv).
#
# fGarch's likelihood starts its recursion as bankquant does (h_1 = omega + persistence *
# mean(e^2), its "mci" start) and has no AR(1) or EGARCH model with that start, so the golden
# values cover GARCH(p, q) and GJR (fGarch's APARCH with delta = 2: alpha (|e| - g e)^2, which is
# GJR with alpha_gjr = alpha (1 - g)^2, gamma_gjr = 4 alpha g; the covariance maps by the delta
# method), with normal, standardised t ("std") and GED innovations, constant or zero mean.
# fGarch bounds the t's shape to [1, 10]; the series here have nu well inside.
suppressMessages(library(fGarch))

data(dem2gbp)
dem <- as.numeric(dem2gbp[, 1])
write.csv(data.frame(return = dem), "dem2gbp.csv", row.names = FALSE)
prices <- read.csv("../../../bindings/python/bankquant/datasets/data/dow_jones_30_daily.csv")
ibm <- diff(log(prices$IBM))

rows <- list()
add <- function(series, name, formula, dist, mean, gjr = FALSE) {
  x <- if (series == "dem2gbp") dem else ibm
  if (gjr) {
    fit <- garchFit(formula, data = x, cond.dist = dist, include.mean = mean, delta = 2, include.delta = FALSE,
                    leverage = TRUE, trace = FALSE)
  } else {
    fit <- garchFit(formula, data = x, cond.dist = dist, include.mean = mean, trace = FALSE)
  }
  coef <- fit@fit$coef
  cov <- fit@fit$cvar
  se <- sqrt(diag(cov))
  if (gjr) {  # (alpha1, gamma1) -> (alpha_gjr, gamma_gjr)
    a <- coef["alpha1"]; g <- coef["gamma1"]
    ia <- which(names(coef) == "alpha1"); ig <- which(names(coef) == "gamma1")
    J <- diag(length(coef))
    J[ia, ia] <- (1 - g)^2; J[ia, ig] <- -2 * a * (1 - g)
    J[ig, ia] <- 4 * g;     J[ig, ig] <- 4 * a
    coef[ia] <- a * (1 - g)^2; coef[ig] <- 4 * a * g
    se <- sqrt(diag(J %*% cov %*% t(J)))
  }
  names(se) <- names(coef)
  # The likelihood at the reported estimates, by the recursion written out here. For GARCH it
  # equals fGarch's reported value; for APARCH fGarch reports a value that is not its likelihood
  # at its own estimates (1e-3 to 2e-2 higher), so the tests use this one.
  raw <- fit@fit$coef
  z <- x - (if (mean) raw["mu"] else 0)
  a <- raw[grepl("^alpha", names(raw))]; b <- raw[grepl("^beta", names(raw))]
  g <- if (gjr) raw[grepl("^gamma", names(raw))] else 0 * a
  persistence <- sum(b) + sum(a * (1 + g^2))
  m <- max(length(a), length(b))
  h <- rep(raw["omega"] + persistence * mean(z^2), length(x))
  for (t in (m + 1):length(x)) {
    h[t] <- raw["omega"] + sum(a * (abs(z[t - seq_along(a)]) - g * z[t - seq_along(a)])^2) + sum(b * h[t - seq_along(b)])
  }
  density <- switch(dist, norm = dnorm(z, 0, sqrt(h)), std = dstd(z, 0, sqrt(h), raw["shape"]),
                    ged = dged(z, 0, sqrt(h), raw["shape"]))
  recomputed <- sum(log(density))
  for (p in names(coef)) {
    rows[[length(rows) + 1]] <<- data.frame(series = series, case = name, dist = dist, mean = mean,
                                            parameter = p, estimate = unname(coef[p]), std_error = unname(se[p]),
                                            log_likelihood = -fit@fit$llh, log_likelihood_recomputed = recomputed)
  }
}

for (series in c("dem2gbp", "ibm")) {
  add(series, "garch11", ~garch(1, 1), "norm", TRUE)
  add(series, "garch11", ~garch(1, 1), "std", TRUE)
  add(series, "garch11", ~garch(1, 1), "ged", TRUE)
  add(series, "garch11_zero_mean", ~garch(1, 1), "norm", FALSE)
  add(series, "garch21", ~garch(2, 1), "norm", TRUE)
  add(series, "garch12", ~garch(1, 2), "norm", TRUE)
  add(series, "gjr11", ~aparch(1, 1), "norm", TRUE, gjr = TRUE)
  add(series, "gjr11", ~aparch(1, 1), "std", TRUE, gjr = TRUE)
}
out <- do.call(rbind, rows)
header <- c(sprintf("# fGarch %s on %s; %s", packageVersion("fGarch"), R.version.string, format(Sys.Date())),
            "# written by tests/data/risk/make_golden.R")
writeLines(header, "golden_fgarch.csv")
suppressWarnings(write.table(out, "golden_fgarch.csv", sep = ",", row.names = FALSE, append = TRUE,
                             col.names = TRUE, qmethod = "double"))
