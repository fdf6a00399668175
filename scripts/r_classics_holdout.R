# r_classics_holdout.R: R's forecast::auto.arima and ets on R's classic
# series with the last h points held out (h = the frequency, 10 for annual
# series), the R side of the comparison in docs/benchmarks.md ("R side by
# side"). The Go side is TestAutoAgainstRClassics in series/classical
# (ARKIT_AUTO_EVAL=1), which reads the series and R's forecasts from the
# JSON this script writes, so that it needs no R.
#
# Run from the repository root (needs R with the forecast and jsonlite
# packages, e.g. apt-get install r-base-core r-cran-forecast):
#
#   Rscript scripts/r_classics_holdout.R
#
# It writes docs/results/2026-12-06-series-auto/r-classics-holdout-r.json.
suppressMessages({library(forecast); library(jsonlite)})
source("scripts/r_holdout.R")

series <- list(
  AirPassengers = AirPassengers, nottem = nottem, co2 = co2,
  USAccDeaths = USAccDeaths, lynx = lynx, Nile = Nile, LakeHuron = LakeHuron,
  UKgas = UKgas, ldeaths = ldeaths, mdeaths = mdeaths, fdeaths = fdeaths,
  WWWusage = WWWusage, austres = austres, JohnsonJohnson = JohnsonJohnson,
  BJsales = BJsales, UKDriverDeaths = UKDriverDeaths, airmiles = airmiles,
  uspop = uspop, lh = lh, discoveries = discoveries, sunspot.year = sunspot.year,
  nhtemp = nhtemp
)
# (Seatbelts[, "drivers"] is UKDriverDeaths again, so it is left out.)

out <- list()
for (name in names(series)) {
  x <- series[[name]]
  m <- frequency(x)
  h <- if (m > 1) m else 10
  n <- length(x)
  train <- window(x, end = time(x)[n - h])
  test <- as.numeric(x)[(n - h + 1):n]
  fa <- forecast(auto.arima(train), h = h)
  fe <- forecast(ets(train), h = h)
  sa <- scores(train, test, as.numeric(fa$mean), m)
  se <- scores(train, test, as.numeric(fe$mean), m)
  out[[length(out) + 1]] <- list(
    name = name, period = m, horizon = h, values = as.numeric(x),
    arima_model = as.character(fa$method), ets_model = as.character(fe$method),
    arima_mean = as.numeric(fa$mean), ets_mean = as.numeric(fe$mean),
    arima_smape = sa[["smape"]], arima_mase = sa[["mase"]],
    ets_smape = se[["smape"]], ets_mase = se[["mase"]]
  )
}
write_results(out, "docs/results/2026-12-06-series-auto/r-classics-holdout-r.json")
cat(sprintf("%-18s %-28s %7.2f %6.3f   %-16s %7.2f %6.3f\n",
            sapply(out, `[[`, "name"), sapply(out, `[[`, "arima_model"),
            sapply(out, `[[`, "arima_smape"), sapply(out, `[[`, "arima_mase"),
            sapply(out, `[[`, "ets_model"), sapply(out, `[[`, "ets_smape"),
            sapply(out, `[[`, "ets_mase")), sep = "")
