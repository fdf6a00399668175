// Generation: prime the model with a prompt, then draw one token at a time
// through core.Generator (which owns the sampler), decoding each token as
// it comes through a Streamer. Several samples are drawn at once as the
// rows of one batch. Stop strings end a sample; output is held back just
// long enough to cut a stop string out before it is written.

package text

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/arkit-go/arkit/core"
)

// DefaultLength is the number of tokens GenerateOptions.Length 0 asks for.
const DefaultLength = 500

// maxSamples bounds GenerateOptions.N.
const maxSamples = 4096

// GenerateOptions configures generation. The zero value draws one greedy
// sample of DefaultLength tokens after a newline.
type GenerateOptions struct {
	// Prompt is the text the samples continue; it is written before each
	// sample. Empty means the model starts after a newline (or, when the
	// vocabulary lacks one, after its first symbol), which is not written.
	Prompt string
	// Length is the number of tokens to draw per sample (characters for
	// the char tokenizer); 0 means DefaultLength.
	Length int

	// Sampling, as core.Sampler: Temperature 0 is greedy decoding.
	Temperature       float32
	TopK              int
	TopP              float32 // in [0, 1]; 0 or 1 keeps all
	MinP              float32 // in [0, 1]
	RepetitionPenalty float32 // > 1 penalises recent tokens; 0 or 1 is off

	// Stop ends a sample at the first occurrence of any of these strings
	// in the generated text; the stop string itself is not written.
	Stop []string
	// Seed seeds the draws: the same seed and options give the same text.
	Seed uint64
	// N is the number of samples, drawn together as one batch; 0 means 1.
	N int
}

func (o GenerateOptions) check() error {
	switch {
	case o.Length < 0:
		return fmt.Errorf("text: length %d is negative", o.Length)
	case o.Temperature < 0:
		return fmt.Errorf("text: temperature %g is negative", o.Temperature)
	case o.TopK < 0:
		return fmt.Errorf("text: top-k %d is negative", o.TopK)
	case !(o.TopP >= 0 && o.TopP <= 1):
		return fmt.Errorf("text: top-p %g outside [0, 1]", o.TopP)
	case !(o.MinP >= 0 && o.MinP <= 1):
		return fmt.Errorf("text: min-p %g outside [0, 1]", o.MinP)
	case !(o.RepetitionPenalty >= 0):
		return fmt.Errorf("text: repetition penalty %g is negative", o.RepetitionPenalty)
	case o.N < 0 || o.N > maxSamples:
		return fmt.Errorf("text: %d samples outside [1, %d]", o.N, maxSamples)
	}
	for _, s := range o.Stop {
		if s == "" {
			return errors.New("text: empty stop string")
		}
	}
	return nil
}

// Generate draws opts.N samples and writes them to w. A single sample is
// written as it is made: the prompt, then each character as soon as it is
// complete. Several samples are written when all are done, each after a
// line "--- sample i of N ---". It returns an error, before writing
// anything, if the options are out of range or the prompt has symbols the
// vocabulary lacks (naming them); and ctx.Err() if ctx is canceled, after
// writing what was made.
func (m *Model) Generate(ctx context.Context, opts GenerateOptions, w io.Writer) error {
	if opts.N <= 1 {
		return m.generate(ctx, opts, []io.Writer{w})
	}
	bufs := make([]strings.Builder, opts.N)
	ws := make([]io.Writer, opts.N)
	for i := range bufs {
		ws[i] = &bufs[i]
	}
	err := m.generate(ctx, opts, ws)
	if err != nil && !errors.Is(err, ctx.Err()) {
		return err
	}
	for i := range bufs {
		if _, werr := fmt.Fprintf(w, "--- sample %d of %d ---\n%s\n", i+1, opts.N, bufs[i].String()); werr != nil {
			return werr
		}
	}
	return err
}

// Samples draws opts.N samples and returns them, each starting with the
// prompt. Errors are those of Generate.
func (m *Model) Samples(ctx context.Context, opts GenerateOptions) ([]string, error) {
	n := max(opts.N, 1)
	bufs := make([]strings.Builder, n)
	ws := make([]io.Writer, n)
	for i := range bufs {
		ws[i] = &bufs[i]
	}
	err := m.generate(ctx, opts, ws)
	out := make([]string, n)
	for i := range bufs {
		out[i] = bufs[i].String()
	}
	return out, err
}

// generate draws len(ws) samples, sample i streamed to ws[i].
func (m *Model) generate(ctx context.Context, opts GenerateOptions, ws []io.Writer) error {
	if err := opts.check(); err != nil {
		return err
	}
	prompt, err := m.promptIDs(opts.Prompt)
	if err != nil {
		return err
	}
	length := opts.Length
	if length == 0 {
		length = DefaultLength
	}
	B := len(ws)
	f := &sampleFeeder{prompt: prompt, last: make([]int32, B)}
	for _, w := range ws {
		sw := &stopWriter{w: w, stops: opts.Stop}
		for _, s := range opts.Stop {
			sw.hold = max(sw.hold, len(s)-1)
		}
		f.outs = append(f.outs, sw)
		f.streams = append(f.streams, NewStreamer(sw, m.Tok))
		if opts.Prompt != "" {
			if _, err := io.WriteString(w, opts.Prompt); err != nil {
				return err
			}
		}
	}
	g := &core.Generator{
		Step: m.Net,
		Sampler: core.Sampler{Temperature: opts.Temperature, TopK: opts.TopK, TopP: opts.TopP,
			MinP: opts.MinP, RepetitionPenalty: opts.RepetitionPenalty},
		Rand: rand.New(rand.NewPCG(opts.Seed, 0x7e47)),
	}
	st := m.Net.NewState(B)
	if err := g.Prime(ctx, st, len(prompt)-1, f); err != nil {
		return err
	}
	f.primed = true
	runErr := g.Run(ctx, st, length, f)
	for i := range f.streams {
		if err := f.finish(i); err != nil && f.err == nil {
			f.err = err
		}
	}
	if f.err != nil {
		return f.err
	}
	return runErr
}

// promptIDs encodes the prompt, or the default start for an empty one.
func (m *Model) promptIDs(prompt string) ([]int32, error) {
	if prompt == "" {
		if ids, err := m.Tok.Encode("\n"); err == nil && len(ids) > 0 {
			return ids, nil
		}
		return []int32{0}, nil
	}
	ids, err := m.Tok.Encode(prompt)
	if err != nil {
		return nil, fmt.Errorf("prompt: %w", err)
	}
	return ids, nil
}

// sampleFeeder feeds the prompt while priming, then each sequence's last
// draw, and streams the draws.
type sampleFeeder struct {
	prompt  []int32
	primed  bool
	last    []int32
	streams []*Streamer
	outs    []*stopWriter
	err     error // first write error
}

func (f *sampleFeeder) Input(t int, in *core.Input) {
	switch {
	case !f.primed:
		for r := range in.Tokens {
			in.Tokens[r] = f.prompt[t]
		}
	case t == 0:
		for r := range in.Tokens {
			in.Tokens[r] = f.prompt[len(f.prompt)-1]
		}
	default:
		copy(in.Tokens, f.last)
	}
}

func (f *sampleFeeder) Emit(t int, y []float32) bool {
	running := false
	for r, v := range y {
		id := int32(v)
		f.last[r] = id
		if f.outs[r].done {
			continue
		}
		if err := f.streams[r].WriteID(id); err != nil && f.err == nil {
			f.err = err
		}
		running = running || !f.outs[r].done
	}
	return running && f.err == nil
}

// finish flushes sample i's streamer and any held-back output.
func (f *sampleFeeder) finish(i int) error {
	if err := f.streams[i].Flush(); err != nil {
		return err
	}
	return f.outs[i].flush()
}

// stopWriter passes text through to w until one of the stop strings
// appears, and writes nothing from the stop string on. It holds back the
// last hold bytes (the longest stop string less one), which could be the
// start of a stop string.
type stopWriter struct {
	w     io.Writer
	stops []string
	hold  int
	buf   []byte
	done  bool
}

func (s *stopWriter) Write(p []byte) (int, error) {
	if s.done {
		return len(p), nil
	}
	if len(s.stops) == 0 {
		return s.w.Write(p)
	}
	s.buf = append(s.buf, p...)
	cut := -1
	for _, stop := range s.stops {
		if i := strings.Index(string(s.buf), stop); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		s.done = true
		_, err := s.w.Write(s.buf[:cut])
		s.buf = nil
		return len(p), err
	}
	if n := len(s.buf) - s.hold; n > 0 {
		if _, err := s.w.Write(s.buf[:n]); err != nil {
			return 0, err
		}
		s.buf = append(s.buf[:0], s.buf[n:]...)
	}
	return len(p), nil
}

func (s *stopWriter) flush() error {
	if s.done || len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	return err
}
