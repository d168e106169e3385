# Issue 11, item 1: R's forecast::ets on the notebook's bike series, for comparison with bankquant.
#
#   Rscript tests/data/forecast/bike_recent_ets.R      (from the repository root; ~5 minutes)
#
# Versions used for the figures quoted in notes/forecast.md: R 4.2.2 (Debian r-base-core),
# forecast 8.20 (Debian r-cran-forecast 8.20-1). The script prints the versions it ran with.
#
# Series: the last 12 weeks of bike_sharing_hourly.csv (2012-10-08 23:00 .. 2012-12-31 23:00,
# 2017 hours, 40 missing hours around hurricane Sandy), as notebooks/customer_flow.ipynb selects
# them; the missing hours filled by linear interpolation (R's ets takes no NA). Evaluation: the
# notebook's 28 day-ahead windows (h = 24) over the last 4 weeks, automatic ets (m = 24) refitted
# per window, against snaive (m = 24). Also the first window's fits of MNM, MAM and ANA.
suppressMessages(library(forecast))
cat(R.version.string, "forecast", as.character(packageVersion("forecast")), "\n")
b <- read.csv("bindings/python/bankquant/datasets/data/bike_sharing_hourly.csv")
stamp <- as.POSIXct(paste(b$dteday, sprintf("%02d:00", b$hr)), tz = "UTC")
last <- max(stamp)
keep <- stamp >= last - 12 * 7 * 86400
grid <- seq(min(stamp[keep]), last, by = "hour")
raw <- rep(NA_real_, length(grid))
raw[match(stamp[keep], grid)] <- b$cnt[keep]
y <- approx(seq_along(raw), raw, xout = seq_along(raw))$y
n <- length(y)
cat("hours", n, "missing", sum(is.na(raw)), "\n")
ntr <- n - 672
tr <- ts(y[1:ntr], frequency = 24)
for (mod in c("MNM", "MAM", "ANA")) {
  fit <- ets(tr, model = mod, damped = FALSE)
  fc <- forecast(fit, h = 24)
  cat(sprintf("window 1 %s: loglik %.2f aicc %.2f alpha %.5f MAE %.2f\n", fit$method, fit$loglik, fit$aicc,
              fit$par["alpha"], mean(abs(fc$mean - raw[(ntr + 1):(ntr + 24)]), na.rm = TRUE)))
}
res <- NULL
for (w in 0:27) {
  ntr <- n - 672 + 24 * w
  tr <- ts(y[1:ntr], frequency = 24)
  fit <- ets(tr)
  fc <- forecast(fit, h = 24, level = 95)
  sn <- snaive(tr, h = 24, level = 95)
  act <- raw[(ntr + 1):(ntr + 24)]
  ok <- !is.na(act)
  res <- rbind(res, data.frame(window = w + 1, model = fit$method, aicc = fit$aicc,
                               ae = sum(abs(fc$mean - act)[ok]), ae_snaive = sum(abs(sn$mean - act)[ok]),
                               in95 = sum((act >= fc$lower & act <= fc$upper)[ok]),
                               in95_snaive = sum((act >= sn$lower & act <= sn$upper)[ok]), hours = sum(ok)))
}
print(res)
cat(sprintf("28 windows: MAE ets %.2f snaive %.2f; 95%% coverage ets %.3f snaive %.3f\n", sum(res$ae) / sum(res$hours),
            sum(res$ae_snaive) / sum(res$hours), sum(res$in95) / sum(res$hours), sum(res$in95_snaive) / sum(res$hours)))
print(table(res$model))
