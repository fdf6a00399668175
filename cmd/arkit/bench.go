// arkit bench: the speed workloads of ../shared/bench/torch_lstm.py and
// torch_word.py.

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/internal/bench"
	"github.com/arkit-go/arkit/series/lstm"
	"github.com/arkit-go/arkit/text"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "measure training, sampling and matrix-multiply speed (PyTorch's reference workloads)",
		usage:   "[--json] [--seconds S] [--only NAME,...] [--weights fp32|bf16|int8] [--precision fp32|bf16|auto]",
		examples: `arkit bench --json
			arkit bench --json --seconds 10 --only train_char,sample_char
			arkit bench --json --only word_sample --weights int8
			arkit bench --json --only word_train,train_char --precision bf16`,
		setup: func(fs *flag.FlagSet) func(context.Context, []string) error {
			js := fs.Bool("json", false, "print one JSON object per workload")
			secs := fs.Float64("seconds", 5, "time budget per workload")
			weights := weightsFlag(fs, core.GenerationWeights)
			var precision core.Precision
			precisionFlag(fs, &precision)
			only := fs.String("only", "", "comma-separated workloads: train_char, sample_char, train_series, gemm, word_train, word_sample")
			return func(ctx context.Context, args []string) error {
				if *secs <= 0 || *secs > 3600 {
					return usageError{fmt.Errorf("--seconds %g must be in (0, 3600]", *secs)}
				}
				want, err := parseSet(*only, "train_char", "sample_char", "train_series", "gemm", "word_train", "word_sample")
				if err != nil {
					return usageError{err}
				}
				// Without --precision each workload trains at its domain's
				// default: the text models' and the series model's.
				resolve := func(def core.Precision) (core.Precision, error) {
					p := precision
					if p == "" {
						p = def
					}
					p, err := p.Resolve()
					if err != nil {
						return "", usageError{fmt.Errorf("--%w", err)}
					}
					return p, nil
				}
				textPrec, err := resolve(text.Defaults().Precision)
				if err != nil {
					return err
				}
				seriesPrec, err := resolve(lstm.Defaults().Precision)
				if err != nil {
					return err
				}
				budget := time.Duration(*secs * float64(time.Second))
				out := func(v any) {
					if *js {
						b, _ := json.Marshal(v)
						fmt.Println(string(b))
					} else {
						fmt.Printf("%+v\n", v)
					}
				}
				out(map[string]any{"arkit": version(), "go": runtime.Version(), "cpus": runtime.NumCPU()})
				steps := []struct {
					name string
					run  func() any
				}{
					{"train_char", func() any { return bench.RunTrainChar(budget, textPrec) }},
					{"sample_char", func() any { return bench.RunSampleChar(budget, *weights) }},
					{"train_series", func() any { return bench.RunTrainSeries(budget, seriesPrec) }},
					{"gemm", func() any { return bench.RunGemm(budget) }},
					{"word_train", func() any { return bench.RunWordTrain(budget, textPrec) }},
					{"word_sample", func() any { return bench.RunWordSample(budget, *weights) }},
				}
				for _, s := range steps {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					if want[s.name] {
						out(s.run())
						os.Stdout.Sync()
					}
				}
				return nil
			}
		},
	})
}
