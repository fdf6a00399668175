# r_classics_wide.R: a wider set of classic series for choosing and then
# checking `--method auto` against R's forecast package: every univariate
# yearly, quarterly or monthly ts (and each column of the multivariate ones,
# at most three per data set) in the R packages Debian ships on this machine
# (datasets, forecast, MASS, tseries, AER, boot, lmtest, strucchange), with
# positive values and no gaps, duplicates dropped, each cut to its last 300
# points. The last h points are held out (h = the frequency, 10 for yearly
# series), as in r_classics_holdout.R.
#
# The series are split once, by a hash of their names, into a development
# set (the 22 series of r_classics_holdout.R, which earlier choices were made
# on, plus half of the others) and a confirmation set (the other half), so
# that a rule chosen on the first can be checked once on the second.
#
# Run from the repository root (apt-get install r-base-core r-cran-forecast
# r-cran-jsonlite r-cran-tseries r-cran-aer r-cran-lmtest r-cran-strucchange):
#
#   Rscript scripts/r_classics_wide.R
#
# It writes docs/results/2026-12-07-classics-wide/r-classics-wide.json, which
# the Go side (series/classical, TestAutoWideClassics) reads, so that CI
# needs no R.
suppressMessages({library(forecast); library(jsonlite)})
source("scripts/r_holdout.R")

old <- c("AirPassengers", "nottem", "co2", "USAccDeaths", "lynx", "Nile",
         "LakeHuron", "UKgas", "ldeaths", "mdeaths", "fdeaths", "WWWusage",
         "austres", "JohnsonJohnson", "BJsales", "UKDriverDeaths", "airmiles",
         "uspop", "lh", "discoveries", "sunspot.year", "nhtemp")
pkgs <- c("datasets", "forecast", "MASS", "tseries", "AER", "boot", "lmtest",
          "strucchange")

cands <- list()
add <- function(name, x) {
  m <- frequency(x)
  if (m == 0.1) m <- 1 # uspop: decennial
  if (!(m %in% c(1, 4, 12))) return()
  v <- as.numeric(x)
  if (any(is.na(v)) || any(v <= 0)) return()
  h <- if (m > 1) m else 10
  if (length(v) > 300) { x <- window(x, start = time(x)[length(v) - 299]); v <- as.numeric(x) }
  if (length(v) - h < max(3 * h, 20)) return()
  for (c in cands) if (length(c$v) == length(v) && all(c$v == v)) return()
  cands[[length(cands) + 1]] <<- list(name = name, x = ts(v, start = start(x), frequency = m), v = v, m = m, h = h)
}
for (p in pkgs) {
  if (!requireNamespace(p, quietly = TRUE)) stop("R package ", p, " is not installed")
  items <- sort(sub(" .*", "", data(package = p)$results[, "Item"]))
  for (it in items) {
    e <- new.env()
    ok <- tryCatch({suppressWarnings(data(list = it, package = p, envir = e)); TRUE}, error = function(err) FALSE)
    if (!ok) next
    for (o in ls(e)) {
      x <- get(o, e)
      if (!is.ts(x)) next
      if (is.null(dim(x))) {
        add(o, x)
      } else {
        for (j in head(seq_len(ncol(x)), 3)) add(paste0(o, "[", colnames(x)[j], "]"), x[, j])
      }
    }
  }
}

# The split: the 22 earlier series are development; of the others, a name
# whose character codes sum to an even number is development, odd is
# confirmation.
set <- function(name) {
  if (name %in% old) return("dev")
  if (sum(utf8ToInt(name)) %% 2 == 0) "dev" else "confirm"
}

out <- list()
for (c in cands) {
  n <- length(c$v)
  train <- window(c$x, end = time(c$x)[n - c$h])
  test <- c$v[(n - c$h + 1):n]
  fa <- forecast(auto.arima(train), h = c$h)
  fe <- forecast(ets(train), h = c$h)
  ft <- thetaf(train, h = c$h)
  sa <- scores(train, test, as.numeric(fa$mean), c$m)
  se <- scores(train, test, as.numeric(fe$mean), c$m)
  st <- scores(train, test, as.numeric(ft$mean), c$m)
  out[[length(out) + 1]] <- list(
    name = c$name, set = set(c$name), period = c$m, horizon = c$h, values = c$v,
    arima_model = as.character(fa$method), ets_model = as.character(fe$method),
    arima_smape = sa[["smape"]], arima_mase = sa[["mase"]],
    ets_smape = se[["smape"]], ets_mase = se[["mase"]],
    theta_smape = st[["smape"]], theta_mase = st[["mase"]]
  )
}
write_results(out, "docs/results/2026-12-07-classics-wide/r-classics-wide.json", digits = 8)
for (s in c("dev", "confirm")) {
  o <- Filter(function(r) r$set == s, out)
  cat(sprintf("%s: %d series (yearly %d, quarterly %d, monthly %d)\n", s, length(o),
              sum(sapply(o, `[[`, "period") == 1), sum(sapply(o, `[[`, "period") == 4),
              sum(sapply(o, `[[`, "period") == 12)))
}
dev <- Filter(function(r) r$set == "dev", out)
cat(sprintf("dev mean sMAPE: auto.arima %.2f, ets %.2f, thetaf %.2f\n",
            mean(sapply(dev, `[[`, "arima_smape")), mean(sapply(dev, `[[`, "ets_smape")),
            mean(sapply(dev, `[[`, "theta_smape"))))
