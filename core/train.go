// The trainer: truncated backpropagation through time over windows supplied
// by a domain, with clipping, schedules, validation, early stopping, a time
// budget, cancellation, progress reports and checkpoints. Every domain
// trains through it; none has a loop of its own.

package core

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Data supplies training windows.
type Data interface {
	// Batch fills b with the window of the given step (0-based). The same
	// step must give the same window, so that a resumed run continues
	// exactly. fresh reports that the sequences start anew: the trainer
	// zeroes the state carried from the previous window (for stateful
	// streams, as char-rnn; random windows always return true).
	Batch(step int, b *Batch) (fresh bool, err error)
}

// Progress reports the state of training to a callback.
type Progress struct {
	Step, Steps  int           // steps done; the step limit (0: none)
	Loss         float64       // mean training loss of the last step
	AvgLoss      float64       // smoothed training loss
	ValLoss      float64       // last validation loss (NaN before the first)
	BestVal      float64       // best validation loss so far
	Validated    bool          // this report follows a validation
	LR           float32       // learning rate of the last step
	GradNorm     float64       // gradient norm before clipping
	Elapsed      time.Duration // wall time of this run
	Remaining    time.Duration // estimate from the step or time limit (0: unknown)
	ElementsPerS float64       // trained elements per second
}

// Result tells how training ended.
type Result struct {
	Steps   int     // total steps done (including before a resume)
	Reason  string  // "steps", "time", "early-stop" or "canceled"
	Loss    float64 // smoothed training loss at the end
	BestVal float64 // best validation loss (NaN without validation)
}

// Trainer trains a Model. Set the fields, then call Run; a Trainer whose
// fields come from a checkpoint (see Checkpoint.Resume) continues where the
// saved run stopped.
type Trainer struct {
	Model     Network // a *Model or a *Tiered
	Optimizer *Adam   // nil means Adam{}
	Schedule  Schedule
	Clip      float32 // global gradient-norm limit; 0 is off

	T, B int // window length and batch size

	Steps   int           // stop when the step counter reaches Steps (0: no limit)
	MaxTime time.Duration // stop after this much wall time (0: no limit)
	Seed    uint64        // seeds dropout

	// Precision is the arithmetic of the training steps' matrix products
	// (see Precision; "" is fp32). Under bf16 the network must be a
	// MixedPrecision; validation runs in fp32, and the network is back in
	// fp32 when Run returns.
	Precision Precision

	// Regularization sets the AWD-LSTM regularisers of the training steps
	// (see Regularization); the network must then be a Regularizer (a
	// Model or a Tiered), else Run returns an error.
	Regularization Regularization

	// Validate returns the validation loss; it runs every ValEvery steps
	// (0 means 200) and at the end. Only the scheduled validations (at
	// multiples of ValEvery) update BestVal, SinceBest and Best; the one at
	// an end between them goes to EndVal. A run stopped at any step (step
	// or time limit, cancellation) and resumed therefore keeps the same
	// record, and stops early at the same step, as an uninterrupted run.
	Validate func(n Network) (float64, error)
	ValEvery int
	Patience int // stop after this many scheduled validations without improvement (0: off)
	// EMA, when in (0, 1), keeps an exponential moving average of the
	// parameters, updated after every step: Avg = d·Avg + (1−d)·W, Avg
	// starting as a copy of the parameters after the first step. The decay
	// warms up as TensorFlow's ExponentialMovingAverage with num_updates
	// does: after the n-th step d = min(EMA, (1+n)/(10+n)), so the average
	// spans about the last tenth of a short run instead of keeping its
	// first weights (at EMA 0.999, 5% of them after 3,000 steps), and is
	// PyTorch's AveragedModel with an EMA avg_fn once n passes
	// (10·EMA−1)/(1−EMA) steps (8,990 at 0.999). Validation scores the
	// average, and the run ends with it in memory (or with the best
	// validated one, under KeepBest); checkpoints hold both the last
	// parameters and the average (_ema.*), which Checkpoint.UseBest then
	// prefers for inference.
	EMA float64
	// KeepBest ends with the parameters of the best validation in memory
	// (the last ones when EndVal is better than BestVal); checkpoints still
	// hold the last parameters (and the best ones under _best.*, see
	// Checkpoint.UseBest) so that a resumed run is exact.
	KeepBest bool

	Progress        func(Progress) // called after every step
	Checkpoint      func(tr *Trainer) error
	CheckpointEvery time.Duration // periodic checkpoints (0: only at the end)

	// Training state, saved in checkpoints.
	Carry     *State    // state carried between windows
	BestVal   float64   // best validation loss (NaN: none yet)
	SinceBest int       // validations since the best
	Best      []float32 // parameters at the best validation (with KeepBest; averaged with EMA)
	Avg       []float32 // the moving average of the parameters (with EMA; nil before the first step)
	AvgLoss   float64
	// Elapsed is the training time before this run; Run adds this run's
	// time, so that a schedule over time continues across resumes (it is
	// saved in checkpoints only with such a schedule).
	Elapsed time.Duration
	// EndVal is the validation loss of the parameters the run ended with,
	// when the end fell between scheduled validations (NaN otherwise). Run
	// sets it; it is saved with the final checkpoint but not resumed, as it
	// describes only the parameters saved with it.
	EndVal float64

	swap  []float32      // the parameters while the average is validated
	steps MixedPrecision // the network in bf16 mixed precision (nil: fp32), set back to fp32 to validate
}

// ErrNonFinite is wrapped by the error Run returns when the loss or the
// gradient becomes NaN or infinite.
var ErrNonFinite = fmt.Errorf("loss is not finite")

// Run trains until a stopping rule fires or ctx is canceled. Cancellation is
// not an error: Run validates, checkpoints and returns with Reason
// "canceled". Errors from Data, Validate or Checkpoint are returned
// wrapped, as is a non-finite loss (ErrNonFinite, naming the step).
func (tr *Trainer) Run(ctx context.Context, data Data) (Result, error) {
	m := tr.Model
	params := m.Params()
	if tr.Optimizer == nil {
		tr.Optimizer = &Adam{}
	}
	if tr.T <= 0 || tr.B <= 0 {
		panic(fmt.Sprintf("core: trainer window %d×%d", tr.T, tr.B))
	}
	if rm, ok := m.(Regularizer); ok {
		if err := rm.SetRegularization(tr.Regularization); err != nil {
			return Result{}, err
		}
	} else if !tr.Regularization.IsZero() {
		return Result{}, fmt.Errorf("the %T network does not take weight drop, locked or embedding dropout, AR or TAR", m)
	}
	prec, err := tr.Precision.Resolve()
	if err != nil {
		return Result{}, err
	}
	if prec == PrecisionBF16 {
		mp, ok := m.(MixedPrecision)
		if !ok {
			return Result{}, fmt.Errorf("the %T network does not train in bf16 mixed precision", m)
		}
		mp.SetPrecision(PrecisionBF16)
		tr.steps = mp
		defer func() { mp.SetPrecision(PrecisionFP32); tr.steps = nil }()
	}
	if tr.Carry == nil || tr.Carry.B != tr.B {
		tr.Carry = m.NewState(tr.B)
	}
	if tr.Best == nil && tr.BestVal == 0 {
		tr.BestVal = math.NaN()
	}
	tr.EndVal = math.NaN()
	valEvery := tr.ValEvery
	if valEvery <= 0 {
		valEvery = 200
	}
	batch := m.NewBatch(tr.T, tr.B)
	pcg := rand.NewPCG(tr.Seed, 0)
	rng := rand.New(pcg)
	opt := tr.Optimizer
	start := time.Now()
	lastCkpt := start
	startStep := opt.Steps
	valLoss := math.NaN()
	res := Result{}
	lastVal := -1 // step count at the last validation
	elapsed0 := tr.Elapsed
	finish := func(reason string) (Result, error) {
		tr.Elapsed = elapsed0 + time.Since(start)
		if tr.Validate != nil && lastVal != opt.Steps {
			// Off the schedule: an uninterrupted run would not validate
			// here, so the result stays out of the best-so-far record.
			v, err := tr.validateWeights()
			if err != nil {
				return res, fmt.Errorf("validation: %w", err)
			}
			tr.EndVal = v
		}
		// The checkpoint keeps the last weights (and the best under _best),
		// so that a resumed run continues exactly; only then does the model
		// in memory take the best weights.
		if tr.Checkpoint != nil {
			if err := tr.Checkpoint(tr); err != nil {
				return res, fmt.Errorf("checkpoint: %w", err)
			}
		}
		best, endIsBest := tr.BestVal, endBeatsBest(tr.EndVal, tr.BestVal)
		if endIsBest {
			best = tr.EndVal
		}
		switch {
		case tr.KeepBest && !endIsBest && len(tr.Best) == len(params.W):
			copy(params.W, tr.Best)
		case len(tr.Avg) == len(params.W):
			copy(params.W, tr.Avg)
		}
		res = Result{Steps: opt.Steps, Reason: reason, Loss: tr.AvgLoss, BestVal: best}
		return res, nil
	}
	for {
		step := opt.Steps
		switch {
		case ctx.Err() != nil:
			return finish("canceled")
		case tr.Steps > 0 && step >= tr.Steps:
			return finish("steps")
		case tr.MaxTime > 0 && time.Since(start) >= tr.MaxTime:
			return finish("time")
		}
		fresh, err := data.Batch(step, batch)
		if err != nil {
			return res, fmt.Errorf("step %d: %w", step, err)
		}
		if fresh {
			tr.Carry.Reset()
		}
		pcg.Seed(tr.Seed, uint64(step)) // dropout masks depend on the step only
		params.ZeroGrad()
		nll, w := m.Forward(batch, tr.Carry, rng)
		loss := nll / math.Max(w, 1e-300)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return res, fmt.Errorf("step %d: training %w (%v); try a lower learning rate", step, ErrNonFinite, loss)
		}
		m.Backward()
		norm := ClipGradNorm(params, tr.Clip)
		if math.IsNaN(norm) || math.IsInf(norm, 0) {
			return res, fmt.Errorf("step %d: gradient norm %w (%v); try a lower learning rate or clipping", step, ErrNonFinite, norm)
		}
		lr := opt.BaseLR() * tr.Schedule.At(step, elapsed0+time.Since(start))
		opt.Update(params, lr)
		tr.average(params.W, opt.Steps)
		if tr.AvgLoss == 0 || step == 0 {
			tr.AvgLoss = loss
		} else {
			tr.AvgLoss = 0.98*tr.AvgLoss + 0.02*loss
		}
		validated := false
		if tr.Validate != nil && opt.Steps%valEvery == 0 {
			improved, err := tr.validate(&valLoss)
			if err != nil {
				return res, err
			}
			validated, lastVal = true, opt.Steps
			if !improved && tr.Patience > 0 && tr.SinceBest >= tr.Patience {
				tr.report(step+1, loss, valLoss, true, lr, norm, start, startStep)
				return finish("early-stop")
			}
		}
		tr.report(step+1, loss, valLoss, validated, lr, norm, start, startStep)
		if tr.Checkpoint != nil && tr.CheckpointEvery > 0 && time.Since(lastCkpt) >= tr.CheckpointEvery {
			tr.Elapsed = elapsed0 + time.Since(start)
			if err := tr.Checkpoint(tr); err != nil {
				return res, fmt.Errorf("checkpoint at step %d: %w", opt.Steps, err)
			}
			lastCkpt = time.Now()
		}
	}
}

// average updates the moving average of the parameters w (with EMA) after
// the n-th optimizer step.
func (tr *Trainer) average(w []float32, n int) {
	d := tr.EMA
	if !(d > 0 && d < 1) {
		return
	}
	if len(tr.Avg) != len(w) {
		tr.Avg = append(tr.Avg[:0], w...)
		return
	}
	d = emaDecay(d, n)
	a, b := float32(d), float32(1-d)
	for i, x := range w {
		tr.Avg[i] = a*tr.Avg[i] + b*x
	}
}

// emaDecay is the decay of a moving average with the given decay after the
// n-th step (1 for the first), warmed up as TensorFlow's num_updates does:
// min(decay, (1+n)/(10+n)).
func emaDecay(decay float64, n int) float64 {
	return min(decay, float64(1+n)/float64(10+n))
}

// validateWeights runs Validate on the weights the run is judged by: the
// moving average with EMA (swapped in and back), else the parameters.
func (tr *Trainer) validateWeights() (float64, error) {
	if tr.steps != nil {
		tr.steps.SetPrecision(PrecisionFP32)
		defer tr.steps.SetPrecision(PrecisionBF16)
	}
	w := tr.Model.Params().W
	if len(tr.Avg) != len(w) {
		return tr.Validate(tr.Model)
	}
	tr.swap = append(tr.swap[:0], w...)
	copy(w, tr.Avg)
	v, err := tr.Validate(tr.Model)
	copy(w, tr.swap)
	return v, err
}

// validate runs Validate and updates the best-so-far bookkeeping.
func (tr *Trainer) validate(val *float64) (improved bool, err error) {
	v, err := tr.validateWeights()
	if err != nil {
		return false, fmt.Errorf("validation: %w", err)
	}
	*val = v
	if math.IsNaN(tr.BestVal) || v < tr.BestVal {
		tr.BestVal = v
		tr.SinceBest = 0
		if tr.KeepBest {
			judged := tr.Model.Params().W
			if len(tr.Avg) == len(judged) {
				judged = tr.Avg
			}
			tr.Best = append(tr.Best[:0], judged...)
		}
		return true, nil
	}
	tr.SinceBest++
	return false, nil
}

// endBeatsBest reports whether the validation at the end of a run (NaN:
// none) beats the best scheduled one (NaN: none).
func endBeatsBest(end, best float64) bool {
	return !math.IsNaN(end) && (math.IsNaN(best) || end < best)
}

func (tr *Trainer) report(step int, loss, val float64, validated bool, lr float32, norm float64, start time.Time, startStep int) {
	if tr.Progress == nil {
		return
	}
	el := time.Since(start)
	done := step - startStep
	p := Progress{
		Step: step, Steps: tr.Steps, Loss: loss, AvgLoss: tr.AvgLoss, ValLoss: val, BestVal: tr.BestVal,
		Validated: validated, LR: lr, GradNorm: norm, Elapsed: el,
	}
	if el > 0 {
		p.ElementsPerS = float64(done*tr.T*tr.B) / el.Seconds()
	}
	rem, known := time.Duration(0), false
	if tr.Steps > 0 && done > 0 {
		rem, known = time.Duration(float64(el)/float64(done)*float64(tr.Steps-step)), true
	}
	if tr.MaxTime > 0 {
		if r := max(tr.MaxTime-el, 0); !known || r < rem {
			rem = r
		}
	}
	p.Remaining = rem
	tr.Progress(p)
}
