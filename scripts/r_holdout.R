# r_holdout.R: what r_classics_holdout.R and r_classics_wide.R share,
# sourced by both (run them from the repository root).

# sMAPE (M4's, in percent) and MASE (in-sample seasonal naive scale, lag 1
# for non-seasonal series), as the Go tests compute them (holdoutScores).
scores <- function(train, test, f, m) {
  lag <- if (m > 1 && length(train) > m) m else 1
  scale <- mean(abs(diff(as.numeric(train), lag = lag)))
  c(smape = mean(200 * abs(test - f) / (abs(test) + abs(f))),
    mase = mean(abs(test - f)) / scale)
}

# write_results writes the series and R's scores as the Go tests read them.
write_results <- function(out, path, digits = NA) {
  dir.create(dirname(path), showWarnings = FALSE, recursive = TRUE)
  jsonlite::write_json(list(r_version = R.version.string,
                            forecast_version = as.character(packageVersion("forecast")),
                            series = out),
                       path, auto_unbox = TRUE, digits = digits, pretty = FALSE)
}
