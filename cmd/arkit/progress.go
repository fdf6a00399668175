// Progress display for training commands: a one-line bar on a terminal,
// periodic plain lines in pipes and CI logs, nothing with --quiet.

package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
)

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar renders core.Progress reports to w.
type progressBar struct {
	w     io.Writer
	tty   bool
	unit  string // "symbols", "values", "pixels", "samples"
	last  time.Time
	every time.Duration
	// Sample, when set, is called after each validation and its text printed
	// (char-rnn style previews).
	Sample func() string
}

func newProgress(quiet bool, unit string) *progressBar {
	if quiet {
		return nil
	}
	tty := isTerminal(os.Stderr)
	every := 10 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	return &progressBar{w: os.Stderr, tty: tty, unit: unit, every: every}
}

func fmtDur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}

// Report is a core.Trainer Progress callback. A nil bar prints nothing.
func (p *progressBar) Report(r core.Progress) {
	if p == nil {
		return
	}
	now := time.Now()
	if !r.Validated && now.Sub(p.last) < p.every && (r.Steps == 0 || r.Step < r.Steps) {
		return
	}
	p.last = now
	var b strings.Builder
	if r.Steps > 0 {
		frac := math.Min(float64(r.Step)/float64(r.Steps), 1)
		const width = 20
		n := int(frac * width)
		fmt.Fprintf(&b, "[%s%s] %d/%d", strings.Repeat("=", n), strings.Repeat(" ", width-n), r.Step, r.Steps)
	} else {
		fmt.Fprintf(&b, "step %d", r.Step)
	}
	fmt.Fprintf(&b, "  loss %.4f", r.AvgLoss)
	if !math.IsNaN(r.ValLoss) {
		fmt.Fprintf(&b, "  val %.4f", r.ValLoss)
	}
	fmt.Fprintf(&b, "  %.0f %s/s  %s", r.ElementsPerS, p.unit, fmtDur(r.Elapsed))
	if r.Remaining > 0 {
		fmt.Fprintf(&b, "  ~%s left", fmtDur(r.Remaining))
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", b.String())
		if r.Validated {
			fmt.Fprintln(p.w)
		}
	} else {
		fmt.Fprintln(p.w, b.String())
	}
	if r.Validated && p.Sample != nil {
		fmt.Fprintf(p.w, "--- sample ---\n%s\n--------------\n", p.Sample())
	}
}

// Done ends the bar's line.
func (p *progressBar) Done() {
	if p != nil && p.tty {
		fmt.Fprintln(p.w)
	}
}

// trainReport prints what a training command has to say around its library
// call: the plan, the progress bar and the result. A nil report (--quiet)
// prints nothing.
type trainReport struct {
	bar  *progressBar
	unit string
}

func newTrainReport(quiet bool, unit string) *trainReport {
	if quiet {
		return nil
	}
	return &trainReport{bar: newProgress(false, unit), unit: unit}
}

// hook sets o's Start and Progress callbacks.
func (r *trainReport) hook(o *core.TrainOptions) {
	if r == nil {
		return
	}
	o.Progress = r.bar.Report
	o.Start = func(p core.Plan) {
		fmt.Fprintf(os.Stderr, "%d training and %d validation %s; %s; %d parameters", p.TrainSize, p.ValSize, p.Unit, p.Network, p.Params)
		if p.StepsPerEpoch > 0 {
			fmt.Fprintf(os.Stderr, "; %d steps per epoch", p.StepsPerEpoch)
		}
		if p.Precision != "" {
			fmt.Fprintf(os.Stderr, "; %s products", p.Precision)
		}
		if p.ResumedAt > 0 {
			fmt.Fprintf(os.Stderr, "; resuming at step %d", p.ResumedAt)
		}
		fmt.Fprintln(os.Stderr)
	}
}

// done ends the bar and, after a run without error, says how it ended.
func (r *trainReport) done(out string, res core.Result, err error) {
	if r == nil {
		return
	}
	r.bar.Done()
	if err != nil {
		return
	}
	why := map[string]string{"steps": "step limit", "time": "time limit", "early-stop": "early stopping", "canceled": "interrupted"}[res.Reason]
	fmt.Fprintf(os.Stderr, "saved %s after %d steps (%s); training loss %.4f", out, res.Steps, why, res.Loss)
	if !math.IsNaN(res.BestVal) {
		fmt.Fprintf(os.Stderr, ", best validation %.4f nats/%s", res.BestVal, strings.TrimSuffix(r.unit, "s"))
	}
	fmt.Fprintln(os.Stderr)
	if res.Reason == "canceled" {
		fmt.Fprintln(os.Stderr, "to continue, run the same command with --resume")
	}
}
