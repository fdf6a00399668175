// POST /api/series/forecast: the job of arkit series forecast
// (series.Forecast) on the CSV of the request body, with the flags as
// query parameters. The job writes its outputs to files (its "-" is the
// process's standard output), so each request gets a temporary folder
// for them, removed at the end.

package serve

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/series/table"
)

// ForecastResponse is the JSON answer of POST /api/series/forecast.
type ForecastResponse struct {
	Method  string `json:"method"`
	Horizon int    `json:"horizon"`
	// Columns and Rows are the forecast table, as the CSV has it (id,
	// timestamp or step, mean, [point,] one column per quantile); cells
	// that are numbers are numbers.
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	// CSV is the table exactly as arkit series forecast --out - writes it.
	CSV string `json:"csv"`
	// Plot is the fan chart as a data: URL when the query asked for one
	// (plot=png or plot=svg).
	Plot string `json:"plot,omitempty"`
	// Warnings name the series too short for the LSTM, forecast by the
	// seasonal naive method instead.
	Warnings []string `json:"warnings,omitempty"`
}

func (s *Server) seriesForecast(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	horizon, err := queryInt(q.Get("horizon"), "horizon", 0)
	if err != nil {
		return err
	}
	if horizon < 1 {
		return badRequest(`"horizon" is required: the number of steps to forecast, at least 1`)
	}
	season, err := queryInt(q.Get("season"), "season", 0)
	if err != nil {
		return err
	}
	if season < 0 {
		return badRequest(`"season" %d must not be negative`, season)
	}
	seed, err := queryInt(q.Get("seed"), "seed", 1)
	if err != nil {
		return err
	}
	if seed < 0 {
		return badRequest(`"seed" %d must not be negative`, seed)
	}
	levels := []float64{0.1, 0.5, 0.9}
	if v := q.Get("quantiles"); v != "" {
		if levels, err = parseLevels(v); err != nil {
			return err
		}
	}
	method := q.Get("method")
	if method == "" {
		method = "lstm"
	}
	if names := series.Methods(method); len(names) != 1 {
		return badRequest(`"method" %q: a forecast takes one method`, method)
	}
	var opt table.ReadOptions
	layout := q.Get("layout")
	if layout == "" {
		layout = "auto"
	}
	if err := opt.Layout.UnmarshalText([]byte(layout)); err != nil {
		return badRequest(`"layout" %q: want long, wide or rows`, layout)
	}
	if f := q.Get("freq"); f != "" {
		if opt.Freq, err = table.ParseFrequency(f); err != nil {
			return badRequest(`"freq" %q: not a frequency (e.g. hourly, daily, monthly, 15min)`, f)
		}
	}
	opt.ID, opt.Time, opt.Value = q.Get("id"), q.Get("time"), series.Methods(q.Get("value"))

	// What to answer with: JSON (default), the CSV, or the chart.
	accept := preferred(r.Header.Get("Accept"))
	plotFormat := ""
	switch accept {
	case "image/png":
		plotFormat = "png"
	case "image/svg+xml":
		plotFormat = "svg"
	default:
		switch p := q.Get("plot"); p {
		case "", "png", "svg":
			plotFormat = p
		default:
			return badRequest(`"plot" %q: want png or svg`, p)
		}
	}

	dir, err := os.MkdirTemp("", "arkit-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	req := series.ForecastRequest{
		Input:   series.Input{CSV: "-", Stdin: r.Body, Options: opt},
		Horizon: horizon, Season: season, Method: method, Quantiles: levels, Seed: uint64(seed),
		Out: filepath.Join(dir, "forecast.csv"),
	}
	if plotFormat != "" {
		req.Plot = filepath.Join(dir, "forecast."+plotFormat)
	}
	var warnings []string
	net := lstm.LSTM{}
	// The network trains per request: at most half the request's time.
	net.MaxTime = s.cfg.Timeout / 2
	req.Networks = series.Networks{LSTM: net, Warn: func(id, reason string) {
		warnings = append(warnings, fmt.Sprintf("series %q: %s", id, reason))
	}}
	ctx := r.Context()
	err = s.work(ctx, func() error { return series.Forecast(ctx, req) })
	if err != nil {
		return seriesError(err)
	}
	csvOut, err := os.ReadFile(req.Out)
	if err != nil {
		return err
	}
	switch accept {
	case "text/csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_, err = w.Write(csvOut)
		return err
	case "image/png", "image/svg+xml":
		img, err := os.ReadFile(req.Plot)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", accept)
		_, err = w.Write(img)
		return err
	}
	res := ForecastResponse{Method: method, Horizon: horizon, CSV: string(csvOut), Warnings: warnings}
	recs, err := csv.NewReader(bytes.NewReader(csvOut)).ReadAll()
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		res.Columns = recs[0]
		for _, rec := range recs[1:] {
			row := make([]any, len(rec))
			for i, c := range rec {
				row[i] = c
				if f, err := strconv.ParseFloat(c, 64); err == nil && i > 0 && res.Columns[i] != "timestamp" {
					row[i] = f
				}
			}
			res.Rows = append(res.Rows, row)
		}
	}
	if plotFormat != "" {
		img, err := os.ReadFile(req.Plot)
		if err != nil {
			return err
		}
		mt := map[string]string{"png": "image/png", "svg": "image/svg+xml"}[plotFormat]
		res.Plot = "data:" + mt + ";base64," + base64.StdEncoding.EncodeToString(img)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// seriesError turns the job's errors into answers: everything the job
// refuses comes from the request (its parameters or its CSV), so it is a
// 400 with the job's message, the body called by its name.
func seriesError(err error) error {
	var he *httpError
	var mbe *http.MaxBytesError
	var pe *os.PathError
	switch {
	case errors.As(err, &he), errors.As(err, &mbe):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &pe):
		// Our temporary folder, not the client's data.
		return err
	}
	msg := strings.ReplaceAll(oneLine(err.Error()), "standard input", "request body")
	var oe *series.OptionError
	if errors.As(err, &oe) {
		msg = strings.ToLower(oe.Option) + ": " + strings.ReplaceAll(oneLine(oe.Err.Error()), "standard input", "request body")
	}
	return badRequest("%s", msg)
}

// preferred returns the first media type of an Accept header that the
// forecast answers with, or "" (JSON).
func preferred(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv", "image/png", "image/svg+xml", "application/json":
			if mt == "application/json" {
				return ""
			}
			return mt
		}
	}
	return ""
}

func queryInt(v, name string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest("%q %q: not an integer", name, v)
	}
	return n, nil
}

// parseLevels reads comma-separated quantile levels.
func parseLevels(s string) ([]float64, error) {
	levels, err := forecast.ParseLevels(s)
	if err != nil {
		return nil, badRequest(`"quantiles": %v`, err)
	}
	return levels, nil
}
