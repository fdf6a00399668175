// Output files: forecasts as CSV (and back), scores as JSON or a table,
// and Outputs, which renders every file in memory before writing any.

package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/eval"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/table"
)

// Outputs is a set of output files rendered in memory and written only
// once all of them rendered, each atomically, so that a failure leaves no
// file half written and, short of a failing disk, no file written at all.
// The path "-" is standard output.
type Outputs struct {
	paths []string
	data  [][]byte
}

// Add renders one file; an empty path is skipped.
func (o *Outputs) Add(path string, render func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	o.paths = append(o.paths, path)
	o.data = append(o.data, b.Bytes())
	return nil
}

// Write writes the rendered files.
func (o *Outputs) Write() error {
	for i, p := range o.paths {
		if p == "-" {
			if _, err := os.Stdout.Write(o.data[i]); err != nil {
				return fmt.Errorf("series: standard output: %w", err)
			}
			continue
		}
		data := o.data[i]
		if err := writeFileAtomic(p, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes a file through core.WriteFileAtomic (a temporary
// file in the same folder, renamed over path only when everything
// succeeded) with a buffer in front. Errors other than write's own name the
// file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	var werr error
	err := core.WriteFileAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if werr = write(bw); werr != nil {
			return werr
		}
		return bw.Flush()
	})
	if err != nil && werr == nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	return err
}

// levelColumn names the column of a quantile level: q0.1, q0.025, q0.5.
func levelColumn(l float64) string { return "q" + strconv.FormatFloat(l, 'g', -1, 64) }

// WriteForecastsCSV writes forecasts as CSV with RFC 3339 timestamps; see
// ForecastCSV.Write.
func WriteForecastsCSV(w io.Writer, fcs []forecast.Forecast) error {
	return ForecastCSV{}.Write(w, fcs)
}

// ForecastCSV writes forecasts as CSV. The zero value writes timestamps
// in RFC 3339.
type ForecastCSV struct {
	// TimeLayout is the Go layout of the timestamps, "" for RFC 3339:
	// table.Dataset.TimeLayout writes them as the input did (a date as a
	// date, a time with its zone).
	TimeLayout string
	// Method adds a last column, method, naming the method each series'
	// forecast came from: the part of its Model label before ": " (what
	// --method auto chose, e.g. "ets" of "ets: ETS(A,Ad,N)").
	Method bool
}

// MethodOf returns the method named at the start of a forecast's model
// label ("ets" of "ets: ETS(A,Ad,N)"), or the whole label.
func MethodOf(model string) string {
	name, _, _ := strings.Cut(model, ": ")
	return name
}

// Write writes forecasts with columns id, timestamp ("step", counting
// from 1, when the forecasts have no timestamps), mean, point when any
// forecast sets Point (a forecast without one writes its mean there), and
// one column per quantile level named like q0.1. All forecasts must have
// the same levels and either all or none have timestamps.
func (c ForecastCSV) Write(w io.Writer, fcs []forecast.Forecast) error {
	layout := c.TimeLayout
	if layout == "" {
		layout = time.RFC3339
	}
	if len(fcs) == 0 {
		return fmt.Errorf("series: write forecasts: %w: no forecasts", table.ErrEmpty)
	}
	levels := fcs[0].Levels
	timed := fcs[0].Times != nil
	pointCol := false
	for i := range fcs {
		f := &fcs[i]
		if !slices.Equal(f.Levels, levels) {
			return fmt.Errorf("series: write forecasts: series %q has levels %v, the first has %v", f.ID, f.Levels, levels)
		}
		if (f.Times != nil) != timed || (timed && len(f.Times) != len(f.Mean)) {
			return fmt.Errorf("series: write forecasts: series %q: timestamps missing or not one per step", f.ID)
		}
		if len(f.Quantiles) != len(levels) {
			return fmt.Errorf("series: write forecasts: series %q has %d quantile paths for %d levels", f.ID, len(f.Quantiles), len(levels))
		}
		if f.Point != nil {
			if len(f.Point) != len(f.Mean) {
				return fmt.Errorf("series: write forecasts: series %q: the point forecast has %d steps, the mean %d", f.ID, len(f.Point), len(f.Mean))
			}
			pointCol = true
		}
		for _, q := range f.Quantiles {
			if len(q) != len(f.Mean) {
				return fmt.Errorf("series: write forecasts: series %q: a quantile path has %d steps, the mean %d", f.ID, len(q), len(f.Mean))
			}
		}
	}
	cw := csv.NewWriter(w)
	head := []string{"id", "step", "mean"}
	if timed {
		head[1] = "timestamp"
	}
	first := 3 // column of the first quantile
	if pointCol {
		head = append(head, "point")
		first++
	}
	for _, l := range levels {
		head = append(head, levelColumn(l))
	}
	if c.Method {
		head = append(head, "method")
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("series: write forecasts: %w", err)
	}
	rec := make([]string, len(head))
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i := range fcs {
		f := &fcs[i]
		for k := range f.Mean {
			rec[0] = f.ID
			if timed {
				rec[1] = f.Times[k].Format(layout)
			} else {
				rec[1] = strconv.Itoa(k + 1)
			}
			rec[2] = num(f.Mean[k])
			if pointCol {
				rec[3] = num(f.PointForecast()[k])
			}
			for j, q := range f.Quantiles {
				rec[first+j] = num(q[k])
			}
			if c.Method {
				rec[len(rec)-1] = MethodOf(f.Model)
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("series: write forecasts: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("series: write forecasts: %w", err)
	}
	return nil
}

// SaveForecastsCSV writes forecasts to path atomically; see
// WriteForecastsCSV.
func SaveForecastsCSV(path string, fcs []forecast.Forecast) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteForecastsCSV(w, fcs) })
}

// ReadForecastsCSV reads what ForecastCSV writes (timestamps in any form
// table.ParseTime reads); a point column fills Point. Rows of one series must be consecutive and in step order.
// name is used in errors.
func ReadForecastsCSV(r io.Reader, name string) ([]forecast.Forecast, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &table.ParseError{File: name, Err: fmt.Errorf("%w: empty file", table.ErrEmpty)}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if len(head) < 3 || head[0] != "id" || (head[1] != "timestamp" && head[1] != "step") || head[2] != "mean" {
		return nil, &table.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: header must start with id, timestamp or step, mean", table.ErrFormat)}
	}
	timed := head[1] == "timestamp"
	first := 3 // column of the first quantile
	pointCol := len(head) > 3 && head[3] == "point"
	if pointCol {
		first++
	}
	methodCol := head[len(head)-1] == "method"
	if methodCol {
		head = head[:len(head)-1]
	}
	levels := make([]float64, 0, len(head)-first)
	for _, c := range head[first:] {
		l, err := strconv.ParseFloat(strings.TrimPrefix(c, "q"), 64)
		if !strings.HasPrefix(c, "q") || err != nil || !(l > 0 && l < 1) || slices.Contains(levels, l) {
			return nil, &table.ParseError{File: name, Line: 1, Column: c, Err: fmt.Errorf("%w: want a quantile column such as q0.1", table.ErrFormat)}
		}
		levels = append(levels, l)
	}
	var out []forecast.Forecast
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		fail := func(col string, err error) error {
			return &table.ParseError{File: name, Line: line, Column: col, Err: err}
		}
		id := rec[0]
		if len(out) == 0 || out[len(out)-1].ID != id {
			if seen[id] {
				return nil, fail("id", fmt.Errorf("%w: rows of series %q are not consecutive", table.ErrFormat, id))
			}
			seen[id] = true
			f := forecast.Forecast{ID: id, Levels: slices.Clone(levels), Quantiles: make([][]float64, len(levels))}
			if timed {
				f.Times = []time.Time{}
			}
			out = append(out, f)
		}
		f := &out[len(out)-1]
		if timed {
			t, err := table.ParseTime(rec[1])
			if err != nil {
				return nil, fail("timestamp", fmt.Errorf("%w: %q", table.ErrBadTime, clip(rec[1])))
			}
			if n := len(f.Times); n > 0 && !t.After(f.Times[n-1]) {
				return nil, fail("timestamp", fmt.Errorf("%w: %s", table.ErrUnsorted, rec[1]))
			}
			f.Times = append(f.Times, t)
		} else if k, err := strconv.Atoi(rec[1]); err != nil || k != len(f.Mean)+1 {
			return nil, fail("step", fmt.Errorf("%w: step %q, want %d", table.ErrFormat, clip(rec[1]), len(f.Mean)+1))
		}
		if methodCol {
			f.Model, rec = rec[len(rec)-1], rec[:len(rec)-1]
		}
		vals := make([]float64, len(rec)-2)
		for j, c := range rec[2:] {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				return nil, fail(head[2+j], fmt.Errorf("%w: %q", table.ErrNotNumber, clip(c)))
			}
			vals[j] = v
		}
		f.Mean = append(f.Mean, vals[0])
		if pointCol {
			f.Point = append(f.Point, vals[1])
		}
		for j := range levels {
			f.Quantiles[j] = append(f.Quantiles[j], vals[first-2+j])
		}
	}
	if len(out) == 0 {
		return nil, &table.ParseError{File: name, Err: fmt.Errorf("%w: a header but no rows", table.ErrEmpty)}
	}
	return out, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &table.ParseError{File: name, Line: pe.Line, Err: fmt.Errorf("%w: %v", table.ErrFormat, pe.Err)}
	}
	return &table.ParseError{File: name, Err: err}
}

// WriteScoresJSON writes scores as JSON lines: one object per method, one
// per line, as every --json output of arkit with several results.
func WriteScoresJSON(w io.Writer, scores []eval.Score) error {
	enc := json.NewEncoder(w)
	for _, s := range scores {
		if err := enc.Encode(s); err != nil {
			return fmt.Errorf("series: scores: %w", err)
		}
	}
	return nil
}

// SaveScoresJSON writes scores to path atomically; see WriteScoresJSON.
func SaveScoresJSON(path string, scores []eval.Score) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteScoresJSON(w, scores) })
}

// WriteScoresTable writes scores as an aligned plain-text table; an
// undefined figure prints as "-".
func WriteScoresTable(w io.Writer, scores []eval.Score) error {
	// Numbers align right; the model column is padded here to align left.
	width := len("model")
	for _, s := range scores {
		width = max(width, len(s.Model))
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tsMAPE\tMASE\tOWA\tMAE\tRMSE\tcov80\tcov95\tMSIS\tCRPS\t\n", width, "model")
	for _, s := range scores {
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", width, s.Model,
			fmtScore(s.SMAPE), fmtScore(s.MASE), fmtScore(s.OWA), fmtScore(s.MAE), fmtScore(s.RMSE),
			fmtScore(s.Coverage80), fmtScore(s.Coverage95), fmtScore(s.MSIS), fmtScore(s.CRPS))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("series: scores: %w", err)
	}
	// Drop the padding AlignRight put before the (equal-width) first cells.
	for line := range strings.Lines(b.String()) {
		if _, err := io.WriteString(w, strings.TrimPrefix(line, "  ")); err != nil {
			return fmt.Errorf("series: scores: %w", err)
		}
	}
	return nil
}

// fmtScore prints a figure with 3 decimals (4 significant digits for
// large values), "-" when undefined.
func fmtScore(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "-"
	case math.Abs(v) >= 1e5:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
