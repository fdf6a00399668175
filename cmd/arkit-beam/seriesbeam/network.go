// The saved LSTM in a pipeline: the command reads the network file once
// (through Beam's file systems) and checks it; its bytes travel with the
// pipeline, and each worker's DoFn instance loads its own copy in Setup,
// since an LSTM is not safe for concurrent use. Each series' sample paths
// are drawn from lstm.SeriesRand(seed, id), as arkit's are, so the
// pipeline and arkit series forecast --model give the same numbers.

package seriesbeam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/forecast"
	"github.com/arkit-go/arkit/series/lstm"
)

// Networks says which saved network the method lstm forecasts with.
type Networks struct {
	// Model is a network file written by arkit series forecast --save
	// (a local path or one of Beam's file systems): trained for the
	// horizon and, when it embeds series identities, on every series of
	// the input. The method lstm needs it.
	Model string
	// Paths, Point and Negative are the LSTM's forecasting settings (see
	// lstm.LSTM; zero: its defaults).
	Paths    int
	Point    string
	Negative bool
}

// network is a saved LSTM as a DoFn carries it.
type network struct {
	File     []byte // the model file (empty: no network)
	Paths    int
	Point    string
	Negative bool

	net *lstm.LSTM
}

// readNetwork reads and checks the network file of n for horizon; nil
// when n names none.
func readNetwork(ctx context.Context, n Networks, horizon int) (*network, error) {
	if n.Model == "" {
		return nil, nil
	}
	fs, err := filesystem.New(ctx, n.Model)
	if err != nil {
		return nil, fmt.Errorf("series: %s: %w", n.Model, err)
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, n.Model)
	if err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("series: %s: %w", n.Model, err)
	}
	nw := &network{File: b, Paths: n.Paths, Point: n.Point, Negative: n.Negative}
	// Check the file as arkit does (a series model, trained for horizon),
	// under its own name when it is a local file.
	path := n.Model
	if _, err := os.Stat(path); err != nil {
		dir, err := os.MkdirTemp("", "arkit-beam-model")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, filepath.Base(n.Model))
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, err
		}
	}
	if _, err := lstm.LoadFor(path, nil, horizon); err != nil {
		return nil, err
	}
	return nw, nil
}

// setup loads the network, once per DoFn instance.
func (n *network) setup(seed uint64) error {
	if n == nil || len(n.File) == 0 || n.net != nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "arkit-beam-model")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(path, n.File, 0o600); err != nil {
		return err
	}
	l, err := lstm.Load(path)
	if err != nil {
		return err
	}
	l.Paths, l.Point, l.Negative, l.Seed = n.Paths, n.Point, n.Negative, seed
	n.net = l
	return nil
}

// newForecaster returns method name for a seasonal period as the arkit
// command makes it: the LSTM is the loaded network, with the seasonal
// naive forecast for series shorter than two seasons.
func newForecaster(name string, season int, seed uint64, n *network) (forecast.Forecaster, error) {
	if !isLSTM(name) {
		return series.NewForecaster(name, season, seed)
	}
	if n == nil || n.net == nil {
		return nil, errors.New("series: method lstm forecasts with a saved network: train one with arkit series forecast --save, then give it (--model)")
	}
	return series.SeasonalFallback(n.net, season), nil
}

func isLSTM(name string) bool { return strings.EqualFold(strings.TrimSpace(name), "lstm") }
