# Golden values for bankquant's forecast tests, from R's forecast package.
#
#   Rscript tests/data/forecast/make_golden.R [section ...]   (from the repository root)
#
# sections: ets decomposition baselines arima transform (default: all).
# writes tests/data/forecast/golden_*.json. Versions used for the committed files: R 4.2.2
# (Debian r-base-core), forecast 8.20 (Debian r-cran-forecast 8.20-1), MASS 7.3-58 (r-cran-mass);
# the script records the versions it ran with in each file. Data: the bank's call-centre
# arrivals and the bike-sharing counts bundled with bankquant (bindings/python/bankquant/datasets/
# data), and R's AirPassengers and UKgas (datasets package).
suppressMessages(library(forecast))

data_dir <- "bindings/python/bankquant/datasets/data"
out_dir <- "tests/data/forecast"

# --- a small JSON writer (jsonlite is not in Debian's R here) ----------------------------------
num <- function(x) {
  if (length(x) == 0) return("[]")
  s <- ifelse(is.na(x), "NaN", ifelse(is.infinite(x), ifelse(x > 0, "Infinity", "-Infinity"),
                                       sprintf("%.17g", x)))
  s <- ifelse(s == "NaN", "\"nan\"", ifelse(s == "Infinity", "\"inf\"", ifelse(s == "-Infinity", "\"-inf\"", s)))
  s
}
json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x)) && all(names(x) != "")) {
      parts <- mapply(function(k, v) paste0("\"", k, "\": ", json(v)), names(x), x)
      return(paste0("{", paste(parts, collapse = ", "), "}"))
    }
    return(paste0("[", paste(sapply(x, json), collapse = ", "), "]"))
  }
  if (is.logical(x) && all(is.na(x))) x <- as.numeric(x)
  if (is.character(x)) {
    if (length(x) == 1 && is.null(attr(x, "as_list"))) return(paste0("\"", x, "\""))
    return(paste0("[", paste0("\"", x, "\"", collapse = ", "), "]"))
  }
  if (is.logical(x)) {
    v <- ifelse(x, "true", "false")
    if (length(x) == 1) return(v)
    return(paste0("[", paste(v, collapse = ", "), "]"))
  }
  v <- num(as.numeric(x))
  if (length(x) == 1 && is.null(attr(x, "as_list"))) return(v)
  paste0("[", paste(v, collapse = ", "), "]")
}
vec <- function(x) { x <- as.numeric(x); attr(x, "as_list") <- TRUE; x }
chr <- function(x) { x <- as.character(x); attr(x, "as_list") <- TRUE; x }
write_json <- function(x, file) {
  writeLines(json(x), file.path(out_dir, file))
  cat("wrote", file.path(out_dir, file), "\n")
}
args <- commandArgs(trailingOnly = TRUE)
want <- function(section) length(args) == 0 || section %in% args
fc_list <- function(fc) list(mean = vec(fc$mean), lower80 = vec(fc$lower[, 1]), upper80 = vec(fc$upper[, 1]),
                             lower95 = vec(fc$lower[, 2]), upper95 = vec(fc$upper[, 2]))
versions <- list(R = R.version.string, forecast = as.character(packageVersion("forecast")),
                 MASS = as.character(packageVersion("MASS")))

# --- the series ---------------------------------------------------------------------------------
calls <- read.csv(file.path(data_dir, "bank_call_centre_5min.csv"))
calls_daily <- as.numeric(tapply(calls$calls, calls$date, sum))            # 164 weekdays, m = 5
bikes <- read.csv(file.path(data_dir, "bike_sharing_hourly.csv"))
bikes_daily <- as.numeric(tapply(bikes$cnt, bikes$dteday, sum))            # 731 days, m = 7
# 8 weeks of hourly rentals (m = 24), missing hours filled by linear interpolation, from
# 2011-03-01 00:00 (the benchmark's shape).
stamp <- as.POSIXct(paste(bikes$dteday, sprintf("%02d:00", bikes$hr)), tz = "UTC")
grid <- seq(as.POSIXct("2011-03-01 00:00", tz = "UTC"), by = "hour", length.out = 8 * 7 * 24)
bikes_hourly <- approx(as.numeric(stamp), bikes$cnt, xout = as.numeric(grid))$y

series <- list(
  air_passengers = list(y = as.numeric(AirPassengers), m = 12),
  uk_gas = list(y = as.numeric(UKgas), m = 4),
  calls_daily = list(y = calls_daily, m = 5),
  bikes_daily = list(y = bikes_daily[1:365], m = 7),
  bikes_hourly = list(y = bikes_hourly, m = 24)
)

# --- ETS ---------------------------------------------------------------------------------------
if (want("ets")) {
  ets_case <- function(name, s, model, damped) {
    y <- ts(s$y, frequency = s$m)
    fit <- if (is.null(damped)) ets(y, model = model) else ets(y, model = model, damped = damped)
    h <- 2 * s$m
    fc <- forecast(fit, h = h, level = c(80, 95))
    n <- length(y)
    list(name = name, series = name, m = s$m, model = model, damped = if (is.null(damped)) "auto" else damped,
         method = fit$method, components = fit$components, par_names = chr(names(fit$par)), par = vec(fit$par),
         loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic, sigma2 = fit$sigma2,
         initstate = vec(fit$initstate), laststate = vec(fit$states[n + 1, ]),
         residuals = vec(residuals(fit)), fitted = vec(fitted(fit)),
         mean = vec(fc$mean), lower80 = vec(fc$lower[, 1]), upper80 = vec(fc$upper[, 1]),
         lower95 = vec(fc$lower[, 2]), upper95 = vec(fc$upper[, 2]))
  }
  ets_cases <- list()
  specs <- list(c("ANN", NA), c("AAN", FALSE), c("AAN", TRUE), c("MNN", NA), c("MAN", TRUE),
                c("ANA", NA), c("AAA", FALSE), c("MNA", NA), c("MAA", TRUE), c("MNM", NA), c("MAM", FALSE),
                c("MAM", TRUE), c("ZZZ", NA))
  for (name in c("air_passengers", "uk_gas", "calls_daily", "bikes_daily")) {
    for (sp in specs) {
      d <- if (is.na(sp[2])) NULL else as.logical(sp[2])
      if (sp[1] == "ANN" || sp[1] == "MNN" || sp[1] == "ANA" || sp[1] == "MNA" || sp[1] == "MNM") d <- if (sp[1] == "ZZZ") NULL else FALSE
      if (sp[1] == "ZZZ") d <- NULL
      ets_cases[[length(ets_cases) + 1]] <- ets_case(name, series[[name]], sp[1], d)
    }
  }
  # The hourly series (m = 24): the benchmark's models, and R's automatic choice.
  for (sp in list(c("ANA", FALSE), c("AAA", FALSE), c("MNM", FALSE), c("ZZZ", NA))) {
    d <- if (is.na(sp[2])) NULL else as.logical(sp[2])
    ets_cases[[length(ets_cases) + 1]] <- ets_case("bikes_hourly", series$bikes_hourly, sp[1], d)
  }
  write_json(list(versions = versions, series = lapply(series, function(s) list(y = vec(s$y), m = s$m)),
                  cases = ets_cases), "golden_ets.json")
}

# --- decompositions -------------------------------------------------------------------------------
if (want("decomposition")) {
  calls_4weeks <- calls$calls[1:(169 * 20)]                                    # 20 weekdays, m = 169, 845
  decomp_cases <- list()
  for (type in c("additive", "multiplicative")) {
    d <- decompose(AirPassengers, type = type)
    decomp_cases[[length(decomp_cases) + 1]] <- list(kind = "decompose", series = "air_passengers", m = 12,
      type = type, trend = vec(d$trend), seasonal = vec(d$seasonal), figure = vec(d$figure))
  }
  stl_case <- function(name, y, m, s.window, robust = FALSE) {
    fit <- stl(ts(y, frequency = m), s.window = s.window, robust = robust)
    list(kind = "stl", series = name, m = m, s_window = if (is.character(s.window)) 0 else s.window,
         periodic = is.character(s.window), robust = robust, seasonal = vec(fit$time.series[, "seasonal"]),
         trend = vec(fit$time.series[, "trend"]), weights = vec(fit$weights))
  }
  decomp_cases[[length(decomp_cases) + 1]] <- stl_case("air_passengers", as.numeric(AirPassengers), 12, 7)
  decomp_cases[[length(decomp_cases) + 1]] <- stl_case("air_passengers", as.numeric(AirPassengers), 12, "periodic")
  # Robust fits on odd lengths: for even n, R's stlrwt asks psort for the two middle order statistics
  # in descending order (mid(1) = n/2 + 1 > mid(2) = n/2), which that partial sort does not honour,
  # so its "median" of |residuals| is not the median (bankquant uses the true median).
  decomp_cases[[length(decomp_cases) + 1]] <- stl_case("uk_gas_107", as.numeric(UKgas)[1:107], 4, 9, robust = TRUE)
  decomp_cases[[length(decomp_cases) + 1]] <- stl_case("bikes_hourly_1343", bikes_hourly[1:1343], 24, 13, robust = TRUE)
  decomp_cases[[length(decomp_cases) + 1]] <- stl_case("calls_4weeks", calls_4weeks, 169, 11)
  mstl_case <- function(name, y, periods) {
    fit <- mstl(msts(y, seasonal.periods = periods))
    seas <- fit[, grep("Season", colnames(fit)), drop = FALSE]
    list(kind = "mstl", series = name, periods = vec(periods), trend = vec(fit[, "Trend"]),
         remainder = vec(fit[, "Remainder"]), seasonal = lapply(seq_len(ncol(seas)), function(i) vec(seas[, i])))
  }
  decomp_cases[[length(decomp_cases) + 1]] <- mstl_case("calls_4weeks", calls_4weeks, c(169, 845))
  decomp_cases[[length(decomp_cases) + 1]] <- mstl_case("bikes_hourly", bikes_hourly, c(24, 168))
  write_json(list(versions = versions,
                  series = list(air_passengers = vec(AirPassengers), uk_gas_107 = vec(as.numeric(UKgas)[1:107]),
                                bikes_hourly = vec(bikes_hourly), bikes_hourly_1343 = vec(bikes_hourly[1:1343]),
                                calls_4weeks = vec(calls_4weeks)),
                  cases = decomp_cases), "golden_decomposition.json")
}

# --- baselines, Theta, Croston --------------------------------------------------------------------
if (want("baselines")) {
  base_cases <- list()
  for (name in c("air_passengers", "calls_daily", "bikes_daily")) {
    s <- series[[name]]
    y <- ts(s$y, frequency = s$m)
    h <- 2 * s$m
    base_cases[[length(base_cases) + 1]] <- c(list(kind = "naive", series = name, m = s$m), fc_list(naive(y, h = h)))
    base_cases[[length(base_cases) + 1]] <- c(list(kind = "seasonal_naive", series = name, m = s$m), fc_list(snaive(y, h = h)))
    base_cases[[length(base_cases) + 1]] <- c(list(kind = "drift", series = name, m = s$m), fc_list(rwf(y, h = h, drift = TRUE)))
    base_cases[[length(base_cases) + 1]] <- c(list(kind = "mean", series = name, m = s$m), fc_list(meanf(y, h = h)))
    th <- thetaf(y, h = h)
    base_cases[[length(base_cases) + 1]] <- c(list(kind = "theta", series = name, m = s$m, alpha = th$model$alpha,
                                                   drift = th$model$drift, fitted = vec(fitted(th))), fc_list(th))
  }
  # Croston on intermittent counts: calls per 5 minutes at 07:00-07:55 thinned to a small branch
  # (every 20th call kept, R's RNG with seed 1), and the bike rentals of 04:00 (often 0-5).
  set.seed(1)
  small_branch <- rbinom(length(calls$calls[1:2000]), calls$calls[1:2000], 0.02)
  night_bikes <- bikes$cnt[bikes$hr == 4][1:400]
  for (nm in c("small_branch", "night_bikes")) {
    x <- get(nm)
    for (a in c(0.1, 0.3)) {
      cr <- croston(x, h = 5, alpha = a)
      base_cases[[length(base_cases) + 1]] <- list(kind = "croston", series = nm, alpha = a, mean = vec(cr$mean),
                                                   fitted = vec(fitted(cr)))
    }
  }
  write_json(list(versions = versions,
                  series = c(lapply(series[c("air_passengers", "calls_daily", "bikes_daily")], function(s) vec(s$y)),
                             list(small_branch = vec(small_branch), night_bikes = vec(night_bikes))),
                  cases = base_cases), "golden_baselines.json")
}

# --- ARIMA -------------------------------------------------------------------------------------
if (want("arima")) {
  arima_case <- function(name, y, m, fit, h, xreg_future = NULL, kind = "fixed", extra = list()) {
    fc <- if (is.null(xreg_future)) forecast(fit, h = h, level = c(80, 95)) else forecast(fit, xreg = xreg_future, level = c(80, 95))
    c(list(kind = kind, series = name, m = m, arma = vec(fit$arma), coef_names = chr(names(fit$coef)),
           coef = vec(fit$coef), loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic,
           sigma2 = fit$sigma2, nobs = fit$nobs, residuals = vec(residuals(fit)), method = arimaorder_string(fit)),
      fc_list(fc), extra)
  }
  arimaorder_string <- function(fit) paste(capture.output(print(fit))[2], collapse = "")
  arima_cases <- list()
  air <- ts(as.numeric(AirPassengers), frequency = 12)
  lair <- log(air)
  # fixed orders (forecast::Arima sets sigma2 as auto.arima does)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("log_air_passengers", lair, 12,
    Arima(lair, order = c(0, 1, 1), seasonal = c(0, 1, 1)), 24)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("uk_gas", ts(series$uk_gas$y, frequency = 4), 4,
    Arima(ts(series$uk_gas$y, frequency = 4), order = c(1, 1, 1), seasonal = c(0, 1, 1)), 8)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("calls_daily", ts(calls_daily, frequency = 5), 5,
    Arima(ts(calls_daily, frequency = 5), order = c(2, 0, 1), seasonal = c(1, 0, 0), include.mean = TRUE), 10)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("bikes_daily", ts(series$bikes_daily$y, frequency = 7), 7,
    Arima(ts(series$bikes_daily$y, frequency = 7), order = c(1, 1, 1), include.drift = TRUE), 14)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("air_passengers_css", air, 12,
    Arima(air, order = c(1, 1, 0), seasonal = c(0, 1, 0), method = "CSS"), 12)
  # automatic selection
  for (name in c("air_passengers", "log_air_passengers", "uk_gas", "calls_daily", "bikes_daily")) {
    y <- switch(name, air_passengers = air, log_air_passengers = lair,
                uk_gas = ts(series$uk_gas$y, frequency = 4), calls_daily = ts(calls_daily, frequency = 5),
                bikes_daily = ts(series$bikes_daily$y, frequency = 7))
    fit <- auto.arima(y)
    arima_cases[[length(arima_cases) + 1]] <- arima_case(name, y, frequency(y), fit, 2 * frequency(y), kind = "auto",
      extra = list(ndiffs = ndiffs(y), nsdiffs = nsdiffs(y),
                   kpss = as.numeric(urca::ur.kpss(as.numeric(y), type = "mu", use.lag = trunc(3 * sqrt(length(y)) / 13))@teststat)))
  }
  # Fourier terms for the daily cycle of the hourly series, non-seasonal ARIMA errors (R's advice for
  # long seasons); forecasts a day ahead.
  yh <- ts(bikes_hourly, frequency = 24)
  fx <- fourier(yh, K = 4)
  fit <- auto.arima(yh, xreg = fx, seasonal = FALSE)
  arima_cases[[length(arima_cases) + 1]] <- arima_case("bikes_hourly", yh, 24, fit, 24,
    xreg_future = fourier(yh, K = 4, h = 24), kind = "auto_xreg", extra = list(xreg = lapply(seq_len(ncol(fx)), function(j) vec(fx[, j])),
    xreg_future = lapply(seq_len(ncol(fx)), function(j) vec(fourier(yh, K = 4, h = 24)[, j]))))
  write_json(list(versions = versions,
                  series = list(air_passengers = vec(air), log_air_passengers = vec(lair), uk_gas = vec(series$uk_gas$y),
                                calls_daily = vec(calls_daily), bikes_daily = vec(series$bikes_daily$y),
                                bikes_hourly = vec(bikes_hourly)),
                  cases = arima_cases), "golden_arima.json")
}

# --- Box-Cox transforms (R's lambda / biasadj on the forecast functions) -------------------------
# The same baselines on a transformed scale and back: seasonal naive and drift of AirPassengers at
# lambda 0 (log) and 0.5, each with medians (biasadj FALSE, R's default) and means (biasadj TRUE);
# bankquant's log1p is Box-Cox 0 of y + 1, checked here as R's lambda 0 on y + 1 minus 1.
if (want("transform")) {
  air <- ts(series$air_passengers$y, frequency = 12)
  transform_cases <- list()
  for (lambda in c(0, 0.5)) {
    for (adj in c(FALSE, TRUE)) {
      transform_cases[[length(transform_cases) + 1]] <- c(list(kind = "seasonal_naive", lambda = lambda, biasadj = adj, shift = 0),
        fc_list(snaive(air, h = 24, lambda = lambda, biasadj = adj)))
      transform_cases[[length(transform_cases) + 1]] <- c(list(kind = "drift", lambda = lambda, biasadj = adj, shift = 0),
        fc_list(rwf(air, h = 24, drift = TRUE, lambda = lambda, biasadj = adj)))
    }
  }
  shifted <- snaive(air + 1, h = 24, lambda = 0)
  transform_cases[[length(transform_cases) + 1]] <- list(kind = "seasonal_naive", lambda = 0, biasadj = FALSE, shift = 1,
    mean = vec(shifted$mean - 1), lower80 = vec(shifted$lower[, 1] - 1), upper80 = vec(shifted$upper[, 1] - 1),
    lower95 = vec(shifted$lower[, 2] - 1), upper95 = vec(shifted$upper[, 2] - 1))
  write_json(list(versions = versions, series = list(air_passengers = vec(air)), cases = transform_cases),
             "golden_transform.json")
}
