// Training the LSTM: random windows of every series as core batches, the
// training loop, and the learning-rate schedule fitted to a time budget.
// This is the file a shared training harness in core would replace.

package lstm

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

// lstmData serves random training windows: a series chosen uniformly, a
// window of Context+Horizon steps ending anywhere in its history.
type lstmData struct {
	sp     *lstmSpec
	train  []table.Series
	covs   [][][]float64
	seed   uint64
	hasEmb bool
}

func (d *lstmData) Batch(step int, b *core.Batch) (bool, error) {
	r := rand.New(rand.NewPCG(d.seed, uint64(step)+1))
	sp := d.sp
	T, B := b.T, b.B
	F := sp.featureDim()
	if b.Mask == nil {
		b.Mask = make([]float32, T*B)
	}
	for k := 0; k < B; k++ {
		i := r.IntN(len(d.train))
		s := d.train[i]
		y := s.Values
		n := len(y)
		lo := min(0, n-T)
		a := lo + r.IntN(n-T-lo+1)
		nu := sp.scale(y, a+sp.Context)
		for s2 := 0; s2 < T; s2++ {
			t := a + s2
			row := s2*B + k
			if d.hasEmb {
				b.Tokens[row] = int32(i)
			}
			f := b.Features[row*F : (row+1)*F]
			if t < 0 {
				clear(f)
				b.Targets[row], b.Mask[row] = 0, 0
				continue
			}
			sp.input(f, y, t, t, nu, s.Times, d.covs[i])
			if math.IsNaN(y[t]) {
				b.Targets[row], b.Mask[row] = 0, 0
			} else {
				b.Targets[row], b.Mask[row] = float32(y[t]/nu-sp.base(y, t, nu)), 1
			}
		}
	}
	return true, nil
}

// Fit trains the model on train for forecasts of the given horizon.
func (l *LSTM) Fit(ctx context.Context, train []table.Series, horizon int) (core.Result, error) {
	sp, err := l.defaults(train, horizon)
	if err != nil {
		return core.Result{}, err
	}
	// Statistics for input standardisation.
	var logs []float64
	covs := make([][][]float64, len(train))
	usable := 0
	for i, s := range train {
		if s.Observed() >= 2 {
			usable++
		}
		logs = append(logs, math.Log(sp.scale(s.Values, len(s.Values))))
		if covs[i], err = sp.covariates(s); err != nil {
			return core.Result{}, err
		}
	}
	if usable == 0 {
		return core.Result{}, fmt.Errorf("series: lstm: %w: no series has two observed values", ErrTooShort)
	}
	sp.LogScaleMu, sp.LogScaleSd = meanStd(logs)
	for k := range sp.Covariates {
		var all []float64
		for i := range train {
			for _, v := range covs[i][k] {
				if !math.IsNaN(v) {
					all = append(all, v)
				}
			}
		}
		mu, sd := meanStd(all)
		sp.CovMu, sp.CovSd = append(sp.CovMu, mu), append(sp.CovSd, sd)
	}
	embed := l.Embed
	if embed == 0 && len(train) > 1 {
		embed = 8
	}
	cfg := core.Config{Features: sp.featureDim(), Hidden: orInt(l.Hidden, 64), Layers: orInt(l.Layers, 2),
		Dropout: l.Dropout, Likelihood: core.StudentT{}}
	switch l.Likelihood {
	case "", "studentt":
	case "gaussian":
		cfg.Likelihood = core.Gaussian{}
	default:
		return core.Result{}, fmt.Errorf("series: lstm: unknown likelihood %q (studentt or gaussian)", l.Likelihood)
	}
	if embed > 0 {
		cfg.Vocab, cfg.Embed = len(train), embed
	}
	if err := cfg.Validate(); err != nil {
		return core.Result{}, fmt.Errorf("series: lstm: %w", err)
	}
	net := core.NewModel(cfg, rand.New(rand.NewPCG(l.Seed, 7)))
	steps := l.Steps
	if steps == 0 && l.MaxTime == 0 {
		steps = 2000
	}
	adam := &core.Adam{LR: orF32(l.LR, 1e-3)}
	tr := &core.Trainer{Model: net, Optimizer: adam, T: sp.Context + sp.Horizon,
		B: orInt(l.Batch, 64), Steps: steps, MaxTime: l.MaxTime, Clip: 10, Seed: l.Seed}
	tr.Progress = budgetSchedule(adam, steps, l.MaxTime, l.Progress)
	data := &lstmData{sp: &sp, train: train, covs: covs, seed: l.Seed, hasEmb: embed > 0}
	res, err := tr.Run(ctx, data)
	if err != nil {
		return res, fmt.Errorf("series: lstm: %w", err)
	}
	l.net, l.spec = net, sp
	return res, nil
}

// budgetSchedule returns a progress callback that sets adam's learning
// rate for the next step: a warmup over the first 100 steps (a tenth of a
// step budget, if shorter), then a cosine decay to 5% over whichever
// budget, steps or time, runs out first. A time budget alone decays too,
// so a run stopped by MaxTime ends at a small learning rate, as one
// stopped by Steps does. It calls next, when not nil, with each report.
func budgetSchedule(adam *core.Adam, steps int, maxTime time.Duration, next func(core.Progress)) func(core.Progress) {
	base := adam.LR
	warmup := 100
	if steps > 0 {
		warmup = min(warmup, steps/10)
	}
	adam.LR = base / float32(max(warmup, 1))
	return func(p core.Progress) {
		done := 0.0 // fraction of the budget spent
		if steps > 0 {
			done = float64(p.Step) / float64(steps)
		}
		if maxTime > 0 {
			done = max(done, float64(p.Elapsed)/float64(maxTime))
		}
		f := 1.0
		if p.Step < warmup {
			f = float64(p.Step+1) / float64(warmup)
		} else if steps > 0 || maxTime > 0 {
			const final = 0.05
			f = final + (1-final)*0.5*(1+math.Cos(math.Pi*min(done, 1)))
		}
		adam.LR = base * float32(f)
		if next != nil {
			next(p)
		}
	}
}
