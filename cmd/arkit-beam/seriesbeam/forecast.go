// Forecast: every series of the input forecast on its own with
// series.ForecastJob, as arkit series forecast does, and written to
// sharded forecast CSVs.

package seriesbeam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/report"
	"github.com/arkit-go/arkit/series/table"
)

func init() {
	register.DoFn4x1[context.Context, string, func(*Block) bool, func(Chunk), error](&forecastFn{})
	register.Emitter1[Chunk]()
}

// Input says where the series are and how their files are read.
type Input struct {
	// CSV is a glob of long files (id, time, value, with a header) through
	// Beam's file systems; the rows of a series may be in several files.
	CSV     string
	Columns Columns
	// Options are the reader's options; Layout, Header, Delimiter, ID,
	// Time and Value are set by the job.
	Options table.ReadOptions
	// BadRows, when set, is the prefix of the CSV files the bad rows are
	// written to, each with its error; the job then goes on without them.
	// Empty: the first bad row fails the job.
	BadRows string

	// buffer is the bytes of blocks a file's reader holds (0: 64 MB); the
	// tests make it small to split a series into several blocks.
	buffer int
}

// ForecastRequest is a forecast of every series of an input.
type ForecastRequest struct {
	Input
	Horizon int
	// Season is the seasonal period (0: the M4 convention for each
	// series' frequency).
	Season int
	// Method is one of series.ModelNames; lstm forecasts with the saved
	// network of Networks.
	Method string
	Networks
	Quantiles []float64
	Seed      uint64
	// Out is the prefix of the forecast CSVs, written as
	// Out-00000-of-0000N.csv.
	Out string
	// Shards is N (0: 1).
	Shards int
}

// Chunk is the forecast CSV of one series: its header line and its rows.
type Chunk struct {
	ID           string
	Header, Rows string
}

// forecastFn forecasts one series.
type forecastFn struct {
	Builder   builder
	Method    string
	Season    int
	Horizon   int
	Quantiles []float64
	Seed      uint64
	KeepBad   bool
	Network   *network

	models map[int]forecast.Forecaster
}

// Setup loads the network, when the method is lstm.
func (f *forecastFn) Setup() error { return f.Network.setup(f.Seed) }

func (f *forecastFn) ProcessElement(ctx context.Context, id string, rows func(*Block) bool, emit func(Chunk)) error {
	return f.process(ctx, id, rows, emit, nil)
}

func (f *forecastFn) process(ctx context.Context, id string, rows func(*Block) bool, emit func(Chunk), bad func(BadRow)) error {
	ds, err := buildFrom(f.Builder, id, rows, f.KeepBad, bad)
	if ds == nil || err != nil {
		return err
	}
	s := ds.Series[0]
	m, err := f.model(seasonOf(f.Season, s.Freq))
	if err != nil {
		return err
	}
	job := series.ForecastJob{Data: ds.Series, Horizon: f.Horizon, Levels: f.Quantiles, Model: m, Period: seasonOf(f.Season, s.Freq)}
	res, err := job.Run(ctx)
	if err != nil {
		return fmt.Errorf("series: series %q: %w", id, err)
	}
	fcs, err := forecast.SelectLevels(res.Forecasts, f.Quantiles)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := (report.ForecastCSV{TimeLayout: ds.TimeLayout, Method: f.Method == "auto"}).Write(&b, fcs); err != nil {
		return err
	}
	head, body, _ := strings.Cut(b.String(), "\n")
	emit(Chunk{ID: id, Header: head + "\n", Rows: body})
	return nil
}

// model returns the method for a seasonal period, made once per period.
func (f *forecastFn) model(season int) (forecast.Forecaster, error) {
	if m, ok := f.models[season]; ok {
		return m, nil
	}
	m, err := newForecaster(f.Method, season, f.Seed, f.Network)
	if err != nil {
		return nil, err
	}
	if f.models == nil {
		f.models = map[int]forecast.Forecaster{}
	}
	f.models[season] = m
	return m, nil
}

// buildFrom gathers a series' rows from its blocks and builds it. With keepBad its bad
// rows go to bad and a series that cannot be built is nil without error.
func buildFrom(b builder, id string, iter func(*Block) bool, keepBad bool, bad func(BadRow)) (*table.Dataset, error) {
	var rows []Row
	var blk Block
	for iter(&blk) {
		var err error
		if rows, err = blk.unpack(id, rows); err != nil {
			return nil, err
		}
	}
	if keepBad {
		return b.buildKeeping(id, rows, bad), nil
	}
	return b.build(id, rows)
}

// seasonOf returns season, or the M4 convention for f when it is 0 (as
// the series package's jobs do).
func seasonOf(season int, f table.Frequency) int {
	if season == 0 {
		return table.M4SeasonalPeriod(f)
	}
	return season
}

// check checks a request's options before any work.
func (r ForecastRequest) check() error {
	switch {
	case r.CSV == "":
		return errors.New("series: give the files to read (--csv)")
	case r.Out == "":
		return errors.New("series: give the prefix of the forecast files (--out)")
	case r.Horizon < 1:
		return fmt.Errorf("series: horizon %d: give the number of steps to forecast, at least 1", r.Horizon)
	case r.Shards < 0:
		return fmt.Errorf("series: %d shards: want at least 1", r.Shards)
	case r.Method == "":
		return errors.New("series: give the method")
	case isLSTM(r.Method) && r.Model == "":
		return errors.New("series: method lstm forecasts with a saved network: train one with arkit series forecast --save, then give it (--model)")
	case !isLSTM(r.Method) && r.Model != "":
		return fmt.Errorf("series: a network file (--model) needs method lstm, not %s", r.Method)
	}
	if _, err := series.NewForecaster(r.Method, max(r.Season, 1), r.Seed); err != nil {
		return err
	}
	return forecast.CheckQuantiles(r.Quantiles)
}

// Forecast builds and runs the pipeline of a forecast request on the
// runner that beamx picks. It returns what Run returns.
func Forecast(ctx context.Context, req ForecastRequest) (*Result, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	files, err := List(ctx, req.CSV)
	if err != nil {
		return nil, err
	}
	net, err := readNetwork(ctx, req.Networks, req.Horizon)
	if err != nil {
		return nil, err
	}
	shards := max(req.Shards, 1)
	p, s := beam.NewPipelineWithRoot()
	rows, bad := readRows(s, files, req.Input)
	fn := &forecastFn{Builder: builder{Columns: req.Columns, Options: req.Options}, Method: req.Method, Season: req.Season,
		Horizon: req.Horizon, Quantiles: req.Quantiles, Seed: req.Seed, KeepBad: req.BadRows != "", Network: net}
	grouped := beam.GroupByKey(s, rows)
	var chunks beam.PCollection
	if req.BadRows != "" {
		var bad2 beam.PCollection
		chunks, bad2 = beam.ParDo2(s, &forecastKeepingFn{F: fn}, grouped)
		bad = beam.Flatten(s, bad, bad2)
	} else {
		chunks = beam.ParDo(s, fn, grouped)
	}
	writeShards(s, req.Out, shards, chunks)
	if req.BadRows != "" {
		writeBadRows(s, req.BadRows, bad)
	}
	res, err := run(ctx, p)
	if err != nil {
		return nil, err
	}
	if res.Files, err = fillShards(ctx, req.Out, shards); err != nil {
		return nil, err
	}
	if req.BadRows != "" {
		if res.BadRows, err = countBadRows(ctx, req.BadRows); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, ShardName(req.BadRows, 0, 1))
	}
	return res, nil
}

// forecastKeepingFn is forecastFn that sends bad rows on instead of
// failing.
type forecastKeepingFn struct {
	F *forecastFn
}

func init() {
	register.DoFn5x1[context.Context, string, func(*Block) bool, func(Chunk), func(BadRow), error](&forecastKeepingFn{})
}

// Setup loads the network, when the method is lstm.
func (f *forecastKeepingFn) Setup() error { return f.F.Setup() }

func (f *forecastKeepingFn) ProcessElement(ctx context.Context, id string, rows func(*Block) bool, emit func(Chunk), bad func(BadRow)) error {
	return f.F.process(ctx, id, rows, emit, bad)
}

// shardOf returns the shard of a series id.
func shardOf(id string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(shards))
}
