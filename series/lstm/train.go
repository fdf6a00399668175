// Training the LSTM through core's harness: random windows of every series
// as core batches, the LSTM's settings beside the shared ones, and the
// fingerprint that lets a resumed run check it reads the same series.

package lstm

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/series/table"
)

// Domain is the LSTM's domain name in model files (core.MetaDomain).
const Domain = "series"

// Defaults of the shared training settings and of the LSTM's own.
const (
	DefaultLR              = 1e-3
	DefaultClip            = 10
	DefaultSteps           = 2000 // without Steps or MaxTime
	DefaultWarmup          = 100  // at most; a tenth of Steps when that is shorter
	DefaultFinalLR         = 0.05 // the cosine decay ends at 5% of LR
	DefaultCheckpointEvery = 5 * time.Minute
	DefaultHidden          = 64
	DefaultLayers          = 2
	DefaultEmbed           = 8 // with several series
	DefaultBatch           = 64
	DefaultPaths           = 200
)

// Named "off" values of TrainOptions.Embed, ScaleWindow and BaseLag.
const (
	NoEmbed      = -1 // Embed: no series-identity embedding
	WholeContext = -1 // ScaleWindow: the whole context scales a window
	NoBaseLag    = -1 // BaseLag: the network models the scaled value itself
)

// Defaults returns the LSTM's defaults of the shared training settings: the
// values that zero fields of core.TrainOptions take. Warmup 0 is settled
// later, when the step limit is known: a tenth of it, at most
// DefaultWarmup.
func Defaults() core.TrainOptions {
	return core.TrainOptions{LR: DefaultLR, Clip: DefaultClip, Steps: DefaultSteps, Decay: core.DecayCosine,
		FinalLR: DefaultFinalLR, CheckpointEvery: DefaultCheckpointEvery}
}

// TrainOptions configures Train: the shared training settings (see
// core.TrainOptions and Defaults) and the LSTM's own. The zero value of
// each field is the documented default. The fields with a JSON name are
// saved in the model file and locked on resume; Lags and Covariates are
// saved in the network's input specification and checked against it.
type TrainOptions struct {
	core.TrainOptions

	Context    int     `json:"context"`    // steps the model conditions on before the forecast origin (0: 2·max(horizon, season), capped at 500)
	Hidden     int     `json:"hidden"`     // LSTM width (0: DefaultHidden)
	Layers     int     `json:"layers"`     // LSTM layers (0: DefaultLayers)
	Embed      int     `json:"embed"`      // width of the series-identity embedding (0: DefaultEmbed when there are several series; NoEmbed: none)
	Dropout    float32 `json:"dropout"`    // dropout between LSTM layers while training, in [0, 1)
	Likelihood string  `json:"likelihood"` // "studentt" (default) or "gaussian"
	Batch      int     `json:"batch"`      // windows per training step (0: DefaultBatch)
	Season     int     `json:"season"`     // seasonal period (0: from the frequency, M4's convention)
	// ScaleWindow is the number of points at the end of the context whose
	// mean absolute value scales a window (0: one season, at least 4
	// points; WholeContext: the whole context).
	ScaleWindow int `json:"scale_window"`
	// BaseLag makes the network model each value's change from the value
	// BaseLag steps earlier (the previous value where that one is
	// missing), scaled, instead of the scaled value itself: a seasonal
	// naive forecast is then its zero, which a network reaches more
	// precisely than the level (0: the season when it is above 1,
	// otherwise none; NoBaseLag: none).
	BaseLag    int      `json:"base_lag"`
	Lags       []int    `json:"-"` // lags fed as inputs besides the previous value (nil: around 1, 2, 3 seasons and a week of hours)
	Covariates []string `json:"-"` // covariate columns used as inputs; their future values must be given to Forecast
}

// withDefaults fills the zero fields of the network's size.
func (o TrainOptions) withDefaults(series int) TrainOptions {
	core.Default(&o.Hidden, DefaultHidden)
	core.Default(&o.Layers, DefaultLayers)
	core.Default(&o.Batch, DefaultBatch)
	if o.Embed == 0 && series > 1 {
		o.Embed = DefaultEmbed
	}
	if o.Likelihood == "" {
		o.Likelihood = "studentt"
	}
	return o
}

// check rejects out-of-range LSTM settings (after withDefaults).
func (o TrainOptions) check() error {
	bad := func(format string, args ...any) error { return fmt.Errorf("series: lstm: "+format, args...) }
	switch {
	case o.Context < 0:
		return bad("context %d is negative", o.Context)
	case o.Hidden < 0 || o.Layers < 0 || o.Batch < 0:
		return bad("hidden %d, layers %d and batch %d must be positive", o.Hidden, o.Layers, o.Batch)
	case o.Embed < NoEmbed:
		return bad("embedding width %d: want %d (none), 0 or a width", o.Embed, NoEmbed)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return bad("dropout %g outside [0, 1)", o.Dropout)
	case o.Likelihood != "studentt" && o.Likelihood != "gaussian":
		return bad("unknown likelihood %q (studentt or gaussian)", o.Likelihood)
	case o.ScaleWindow < WholeContext:
		return bad("scale window %d: want %d (the whole context), 0 or a number of points", o.ScaleWindow, WholeContext)
	case o.BaseLag < NoBaseLag:
		return bad("base lag %d: want %d (none), 0 or a number of steps", o.BaseLag, NoBaseLag)
	}
	return nil
}

// lstmData serves random training windows: a series chosen uniformly, a
// window of Context+Horizon steps ending anywhere in its history. The
// windows of a step depend on the seed and the step only, so that a resumed
// run sees the windows an uninterrupted one would.
type lstmData struct {
	sp     *lstmSpec
	train  []table.Series
	covs   [][][]float64
	seed   uint64
	hasEmb bool
}

var _ core.Data = (*lstmData)(nil)

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

// fingerprint identifies the training series (IDs, values, times and
// covariates), so that a resumed run can check it reads the same ones.
func fingerprint(train []table.Series, covs [][][]float64) (size int, sum string) {
	var f core.Fingerprint
	var b [8]byte
	num := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		f.Write(b[:])
	}
	for i, s := range train {
		f.Write([]byte(s.ID))
		num(uint64(len(s.Values)))
		for _, v := range s.Values {
			num(math.Float64bits(v))
		}
		for _, t := range s.Times {
			num(uint64(t.UnixNano()))
		}
		for _, c := range covs[i] {
			for _, v := range c {
				num(math.Float64bits(v))
			}
		}
		size += len(s.Values)
	}
	return size, f.Sum()
}

// Train trains an LSTM on train for forecasts of the given horizon and
// returns it with how training ended. The LSTM has no validation set: it
// keeps its last parameters, and opts.ValEvery and opts.Patience are
// unused. Canceling ctx stops training cleanly: Train writes the
// checkpoint and returns with Result.Reason "canceled" and no error.
//
// With opts.Out set, the file holds the network, its input specification
// and the training state, so that opts.Resume continues the run exactly
// (on the same series and horizon); Load reads it. An existing opts.Out is
// replaced only with opts.Resume or opts.Force.
//
// Errors: out-of-range options; an existing model file without Resume or
// Force (wrapping core.ErrExists); no series or none with two observed
// values (ErrTooShort); a missing covariate; a checkpoint to resume that is
// missing, of another domain, for another horizon or trained on other
// series; a loss that becomes non-finite (core.ErrNonFinite); a file that
// cannot be written.
func Train(ctx context.Context, train []table.Series, horizon int, opts TrainOptions) (*LSTM, core.Result, error) {
	h := &core.Harness{Domain: Domain, Options: &opts, Shared: &opts.TrainOptions, Defaults: Defaults()}
	ck, err := h.Open()
	if err != nil {
		return nil, core.Result{}, err
	}
	if ck == nil && opts.Warmup == 0 { // a resumed run keeps the saved warmup
		opts.Warmup = DefaultWarmup
		if opts.Steps > 0 {
			opts.Warmup = min(DefaultWarmup, opts.Steps/10)
		}
	}
	opts = opts.withDefaults(len(train))
	if err := opts.check(); err != nil {
		return nil, core.Result{}, err
	}
	l := &LSTM{TrainOptions: opts}
	sp, err := l.defaults(train, horizon)
	if err != nil {
		return nil, core.Result{}, err
	}
	if ck != nil {
		saved, err := fromCheckpoint(ck, opts.Out)
		if err != nil {
			return nil, core.Result{}, err
		}
		if err := saved.fits(opts.Out, train, horizon); err != nil {
			return nil, core.Result{}, err
		}
		if (opts.Lags != nil && !slices.Equal(opts.Lags, saved.spec.Lags)) || !slices.Equal(sp.Covariates, saved.spec.Covariates) {
			return nil, core.Result{}, fmt.Errorf("series: lstm: cannot resume with lags %v and covariates %v: the run started with %v and %v",
				sp.Lags, sp.Covariates, saved.spec.Lags, saved.spec.Covariates)
		}
		sp, l.Net = saved.spec, saved.Net
	}
	covs := make([][][]float64, len(train))
	usable := 0
	var logs []float64 // for the standardisation of the log scale
	for i, s := range train {
		if s.Observed() >= 2 {
			usable++
		}
		logs = append(logs, math.Log(sp.scale(s.Values, len(s.Values))))
		if covs[i], err = sp.covariates(s); err != nil {
			return nil, core.Result{}, err
		}
	}
	if usable == 0 {
		return nil, core.Result{}, fmt.Errorf("series: lstm: %w: no series has two observed values", ErrTooShort)
	}
	total, sum := fingerprint(train, covs)
	if err := h.SetData(total, sum, "values"); err != nil {
		return nil, core.Result{}, err
	}
	if l.Net == nil {
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
		cfg := core.Config{Features: sp.featureDim(), Hidden: opts.Hidden, Layers: opts.Layers,
			Dropout: opts.Dropout, Likelihood: core.StudentT{}}
		if opts.Likelihood == "gaussian" {
			cfg.Likelihood = core.Gaussian{}
		}
		if opts.Embed > 0 {
			cfg.Vocab, cfg.Embed = len(train), opts.Embed
		}
		if err := cfg.Validate(); err != nil {
			return nil, core.Result{}, fmt.Errorf("series: lstm: %w", err)
		}
		l.Net = core.NewModel(cfg, rand.New(rand.NewPCG(opts.Seed, 7)))
	}
	l.spec = sp
	cfg := l.Net.Config()
	res, err := h.Run(ctx, core.Job{
		Net: l.Net, T: sp.Context + sp.Horizon, B: opts.Batch,
		Data: &lstmData{sp: &l.spec, train: train, covs: covs, seed: opts.Seed, hasEmb: cfg.Vocab > 0},
		Meta: l.meta,
		Plan: core.Plan{
			Network: fmt.Sprintf("LSTM %dx%d (embed %d, dropout %g), %s likelihood; context %d, horizon %d",
				cfg.Layers, cfg.Hidden, cfg.Embed, cfg.Dropout, opts.Likelihood, sp.Context, sp.Horizon),
			Unit: "values", TrainSize: total,
		},
	})
	if err != nil {
		return nil, res, err
	}
	return l, res, nil
}

// Fit trains the model on train for forecasts of the given horizon with
// the LSTM's TrainOptions (see Train), keeping its forecasting settings. It
// is the method through which Forecast trains, so that the LSTM serves as
// a forecast.Forecaster beside the classical models.
func (l *LSTM) Fit(ctx context.Context, train []table.Series, horizon int) (core.Result, error) {
	trained, res, err := Train(ctx, train, horizon, l.TrainOptions)
	if err != nil {
		return res, err
	}
	l.Net, l.spec, l.loaded = trained.Net, trained.spec, false
	l.Seed = trained.Seed // a resumed run's seed is the saved one
	return res, nil
}
