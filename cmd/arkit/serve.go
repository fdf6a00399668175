// arkit serve: trained models behind a web page and a JSON API (package
// cmd/arkit/internal/serve). The command parses its flags and runs the
// server until Ctrl-C or SIGTERM.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/arkit-go/arkit/cmd/arkit/internal/serve"
	"github.com/arkit-go/arkit/core"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "serve models over HTTP: a JSON API and a page to use them in a browser",
		usage:   "(--models DIR | --model FILE...) [--addr HOST:PORT] [--token TOKEN] [flags]",
		examples: `arkit serve --models models/
			arkit serve --model shakespeare.safetensors --model digits.safetensors --addr 127.0.0.1:9000
			ARKIT_TOKEN=secret arkit serve --models models/ --addr 0.0.0.0:8080 --workers 4`,
		// Ctrl-C or SIGTERM is how a server is meant to stop: after the
		// requests in flight finish, arkit exits 0.
		stopsOnCancel: true,
		setup:         serveSetup,
	})
}

func serveSetup(fs *flag.FlagSet) func(context.Context, []string) error {
	var cfg serve.Config
	var files multiFlag
	dir := fs.String("models", "", "folder of model files (.safetensors, .arkit) to serve, each named by its file name without the extension")
	fs.Var(&files, "model", "a model file to serve; repeatable")
	fs.StringVar(&cfg.Addr, "addr", serve.DefaultAddr, "address to listen on (0.0.0.0:PORT listens on every interface)")
	fs.StringVar(&cfg.Token, "token", "", "require 'Authorization: Bearer TOKEN' on every API call (default: $ARKIT_TOKEN; none when both are empty)")
	fs.DurationVar(&cfg.Timeout, "timeout", serve.DefaultTimeout, "limit of each request, its wait in line included (a series LSTM trains at most half of it)")
	fs.IntVar(&cfg.Workers, "workers", 0, "generations and forecasts run at once, the rest wait in line (0: the number of CPUs, at least 2)")
	fs.IntVar(&cfg.Copies, "copies", serve.DefaultCopies, "copies of each model held in memory: requests using one model at once")
	fs.Int64Var(&cfg.MaxBody, "max-body", serve.DefaultMaxBody, "largest request body in bytes")
	fs.IntVar(&cfg.MaxLength, "max-length", serve.DefaultMaxLength, "largest text generation, in tokens")
	fs.IntVar(&cfg.MaxImages, "max-images", serve.DefaultMaxImages, "most images per pixels request")
	fs.Float64Var(&cfg.MaxSeconds, "max-seconds", serve.DefaultMaxSeconds, "longest audio per request, in seconds")
	weights := weightsFlag(fs, core.GenerationWeights)
	fs.DurationVar(&cfg.Grace, "grace", serve.DefaultGrace, "time the requests in flight get to finish after Ctrl-C or SIGTERM")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q", args[0])}
		}
		if *dir == "" && len(files) == 0 {
			return usageError{errors.New("give --models DIR or --model FILE")}
		}
		if cfg.Timeout <= 0 || cfg.Grace <= 0 || cfg.Workers < 0 || cfg.Copies < 1 || cfg.MaxBody < 1 ||
			cfg.MaxLength < 1 || cfg.MaxImages < 1 || !(cfg.MaxSeconds > 0) {
			return usageError{errors.New("--timeout, --grace, --copies, --max-body, --max-length, --max-images and --max-seconds must be positive, --workers not negative")}
		}
		if cfg.Token == "" {
			cfg.Token = os.Getenv("ARKIT_TOKEN")
		}
		cfg.Models, cfg.Weights = files, *weights
		if *dir != "" {
			found, err := serve.ModelFiles(*dir)
			if err != nil {
				return fmt.Errorf("--models: %w", err)
			}
			if len(found) == 0 {
				return fmt.Errorf("--models %s: no model files (.safetensors, .arkit) in it", *dir)
			}
			cfg.Models = append(cfg.Models, found...)
		}
		start := time.Now()
		s, err := serve.New(cfg)
		if err != nil {
			return err
		}
		return s.Run(ctx, func(addr net.Addr) {
			for _, in := range s.Infos() {
				fmt.Fprintf(os.Stderr, "serving %s (%s)\n", in.Name, in.Domain)
			}
			fmt.Fprintf(os.Stderr, "arkit serve: http://%s/ (models read in %.1fs; Ctrl-C stops)\n", addr, time.Since(start).Seconds())
		})
	}
}
