// Output: the sharded forecast CSVs, the bad-rows file, and running a
// pipeline with a result the command can print.

package seriesbeam

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
)

func init() {
	register.DoFn3x1[context.Context, int, func(*Chunk) bool, error](&writeShardFn{})
	register.DoFn3x1[context.Context, int, func(*BadRow) bool, error](&writeBadRowsFn{})
	register.DoFn2x0[Chunk, func(int, Chunk)](&keyShardFn{})
	register.Emitter2[int, Chunk]()
	register.Iter1[Chunk]()
	register.Iter1[BadRow]()
}

// Result is what a job reports besides its output files.
type Result struct {
	// Files are the files written.
	Files []string
	// BadRows counts the rows left out (with Input.BadRows).
	BadRows int
}

// ShardName returns the name of shard k of n: prefix-0000k-of-0000n.csv.
func ShardName(prefix string, k, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.csv", prefix, k, n)
}

// keyShardFn keys a series' forecast by its shard.
type keyShardFn struct {
	Shards int
}

func (f *keyShardFn) ProcessElement(c Chunk, emit func(int, Chunk)) {
	emit(shardOf(c.ID, f.Shards), c)
}

// writeShardFn writes one shard: the header once, then every series'
// rows, in the order they come.
type writeShardFn struct {
	Prefix string
	Shards int
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, chunks func(*Chunk) bool) error {
	return writeFile(ctx, ShardName(f.Prefix, shard, f.Shards), func(w io.Writer) error {
		var c Chunk
		first := true
		for chunks(&c) {
			if first {
				if _, err := io.WriteString(w, c.Header); err != nil {
					return err
				}
				first = false
			}
			if _, err := io.WriteString(w, c.Rows); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeShards(s beam.Scope, prefix string, shards int, chunks beam.PCollection) {
	s = s.Scope("WriteForecasts")
	keyed := beam.ParDo(s, &keyShardFn{Shards: shards}, chunks)
	beam.ParDo0(s, &writeShardFn{Prefix: prefix, Shards: shards}, beam.GroupByKey(s, keyed))
}

// badRowsHeader is the header of the bad-rows file.
var badRowsHeader = []string{"file", "line", "id", "time", "value", "error"}

// writeBadRowsFn writes every bad row to one file.
type writeBadRowsFn struct {
	Prefix string
}

func (f *writeBadRowsFn) ProcessElement(ctx context.Context, _ int, rows func(*BadRow) bool) error {
	return writeFile(ctx, ShardName(f.Prefix, 0, 1), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(badRowsHeader)
		var r BadRow
		for rows(&r) {
			cw.Write([]string{r.File, strconv.Itoa(r.Line), r.ID, r.Time, r.Value, r.Err})
		}
		cw.Flush()
		return cw.Error()
	})
}

func writeBadRows(s beam.Scope, prefix string, bad beam.PCollection) {
	s = s.Scope("WriteBadRows")
	keyed := beam.ParDo(s, keyBadRow, bad)
	beam.ParDo0(s, &writeBadRowsFn{Prefix: prefix}, beam.GroupByKey(s, keyed))
}

// keyBadRow gives every bad row the same key, to write them to one file.
func keyBadRow(r BadRow) (int, BadRow) { return 0, r }

func init() {
	register.Function1x2(keyBadRow)
	register.Emitter2[int, BadRow]()
}

// writeFile writes a file through Beam's file systems.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	defer fs.Close()
	wc, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(wc, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("series: %s: %w", path, err)
	}
	return nil
}

// exists reports whether path is a file, through Beam's file systems.
func exists(ctx context.Context, path string) (bool, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return false, err
	}
	defer fs.Close()
	files, err := fs.List(ctx, path)
	return len(files) > 0, err
}

// fillShards writes an empty file for each shard that got no series and
// returns the names of all of them.
func fillShards(ctx context.Context, prefix string, shards int) ([]string, error) {
	var files []string
	for k := range shards {
		path := ShardName(prefix, k, shards)
		ok, err := exists(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("series: %s: %w", path, err)
		}
		if !ok {
			if err := writeFile(ctx, path, func(io.Writer) error { return nil }); err != nil {
				return nil, err
			}
		}
		files = append(files, path)
	}
	return files, nil
}

// countBadRows writes the bad-rows file when no row was bad (the header
// alone) and counts its rows.
func countBadRows(ctx context.Context, prefix string) (int, error) {
	path := ShardName(prefix, 0, 1)
	ok, err := exists(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("series: %s: %w", path, err)
	}
	if !ok {
		return 0, writeFile(ctx, path, func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(badRowsHeader)
			cw.Flush()
			return cw.Error()
		})
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return 0, err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	recs, err := csv.NewReader(rc).ReadAll()
	if err != nil {
		return 0, fmt.Errorf("series: %s: %w", path, err)
	}
	return max(len(recs)-1, 0), nil
}

// seriesError finds the message of the series package's error (or ours)
// in a runner's report of a failed job, which wraps it in its own text.
var seriesError = regexp.MustCompile(`series: [^\n\t]*`)

// JobError is a failed job: Err is the runner's report, Msg the first
// error of ours that it holds ("" when none).
type JobError struct {
	Msg string
	Err error
}

func (e *JobError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return e.Err.Error()
}

func (e *JobError) Unwrap() error { return e.Err }

// run runs p on the runner beamx picks.
func run(ctx context.Context, p *beam.Pipeline) (*Result, error) {
	if err := beamx.Run(ctx, p); err != nil {
		return nil, &JobError{Msg: seriesError.FindString(err.Error()), Err: err}
	}
	return &Result{}, nil
}
