# r_fixtures.R: golden fixtures for arkit's ARIMA (series/classical) from
# R's forecast::auto.arima and stats::arima.
#
# Run from the repository root (needs R with the forecast and jsonlite
# packages, e.g. apt-get install r-base-core r-cran-forecast):
#
#   Rscript scripts/r_fixtures.R
#
# It writes series/classical/testdata/arima_r.json. The series are the
# classic data sets shipped with R's datasets package (AirPassengers,
# nottem, co2, ...), copied into the fixture so that the Go tests need no R.
suppressMessages({library(forecast); library(jsonlite)})

series <- list(
  AirPassengers = AirPassengers, nottem = nottem, co2 = co2,
  USAccDeaths = USAccDeaths, lynx = lynx, Nile = Nile, LakeHuron = LakeHuron,
  UKgas = UKgas, ldeaths = ldeaths, WWWusage = WWWusage, austres = austres,
  JohnsonJohnson = JohnsonJohnson, BJsales = BJsales, UKDriverDeaths = UKDriverDeaths,
  airmiles = airmiles, uspop = uspop, lh = lh, discoveries = discoveries,
  sunspot.year = sunspot.year, Seatbelts.drivers = Seatbelts[, "drivers"],
  nhtemp = nhtemp, precip.none = NULL
)
series <- series[!sapply(series, is.null)]

coefs <- function(fit) as.list(coef(fit))

out <- list()
for (name in names(series)) {
  x <- series[[name]]
  m <- frequency(x)
  h <- if (m == 12) 24 else if (m == 4) 8 else 10
  fit <- auto.arima(x)
  fc <- forecast(fit, h = h, level = c(80, 95))
  o <- arimaorder(fit)
  if (length(o) == 3) o <- c(o, 0, 0, 0, m) else o[7] <- m
  out[[length(out) + 1]] <- list(
    name = name, period = m, values = as.numeric(x), horizon = h,
    order = as.integer(o), constant = any(c("drift", "intercept") %in% names(coef(fit))),
    approximation = (length(x) > 150 | m > 12),
    coef = coefs(fit), sigma2 = fit$sigma2, loglik = fit$loglik, aicc = fit$aicc,
    mean = as.numeric(fc$mean),
    lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
    lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2])
  )
}

# Fixed-order exact-likelihood fits (stats::arima, method "ML"): the Go
# likelihood must reproduce these coefficients and log-likelihoods.
fixed <- list(
  list(name = "AirPassengers", x = log(AirPassengers), order = c(0, 1, 1), seasonal = c(0, 1, 1), mean = FALSE),
  list(name = "lh", x = lh, order = c(1, 0, 1), seasonal = c(0, 0, 0), mean = TRUE),
  list(name = "LakeHuron", x = LakeHuron, order = c(2, 0, 0), seasonal = c(0, 0, 0), mean = TRUE),
  list(name = "USAccDeaths", x = USAccDeaths, order = c(1, 1, 1), seasonal = c(0, 1, 1), mean = FALSE)
)
ml <- list()
for (f in fixed) {
  fit <- arima(f$x, order = f$order, seasonal = list(order = f$seasonal, period = frequency(f$x)),
               include.mean = f$mean, method = "ML")
  ml[[length(ml) + 1]] <- list(
    name = f$name, period = frequency(f$x), values = as.numeric(f$x),
    order = as.integer(c(f$order, f$seasonal, frequency(f$x))), constant = f$mean,
    coef = as.list(coef(fit)), sigma2 = fit$sigma2, loglik = fit$loglik
  )
}

doc <- list(
  source = paste0("Series from R's datasets package (R ", R.version$major, ".", R.version$minor,
                  "); models from forecast::auto.arima ", as.character(packageVersion("forecast")),
                  " with its defaults and stats::arima(method = \"ML\"). Written by scripts/r_fixtures.R."),
  auto = out, ml = ml)
writeLines(toJSON(doc, digits = NA, auto_unbox = TRUE, pretty = TRUE), "series/classical/testdata/arima_r.json")
cat("wrote", length(out), "auto.arima fixtures and", length(ml), "ML fixtures\n")
