// Scoring: the mean negative log-likelihood of a text under a model, with
// the recurrent state carried through the whole input. Score reads the text
// as one stream from the zero state; validation during training reads the
// held-out ids as several parallel streams for speed.

package text

import (
	"context"
	"fmt"
	"math"

	"github.com/arkit-go/arkit/core"
)

// scoreWindow is the number of steps per Forward call when scoring. The
// state is carried between windows, so it affects speed only.
const scoreWindow = 256

// Score is how well a model predicts a text.
type Score struct {
	NatsPerSymbol float64 `json:"nats_per_symbol"` // mean negative log-likelihood, natural log
	BitsPerSymbol float64 `json:"bits_per_symbol"` // the same in bits
	Perplexity    float64 `json:"perplexity"`      // exp(NatsPerSymbol)
	Symbols       int     `json:"symbols"`         // symbols predicted: all but the first
}

// String formats the score on one line.
func (s Score) String() string {
	return fmt.Sprintf("%.4f nats/symbol, %.4f bits/symbol, perplexity %.3f over %d symbols",
		s.NatsPerSymbol, s.BitsPerSymbol, s.Perplexity, s.Symbols)
}

func newScore(nll float64, n int) Score {
	nats := nll / float64(n)
	return Score{NatsPerSymbol: nats, BitsPerSymbol: nats / math.Ln2, Perplexity: math.Exp(nats), Symbols: n}
}

// Score returns the mean negative log-likelihood of each symbol (token) of
// s after the first, given all the symbols before it: the model starts from
// the zero state and carries its state through the whole text. It returns an
// error if s cannot be encoded (symbols outside a char vocabulary, invalid
// UTF-8), if it has fewer than two symbols, or if ctx is canceled.
func (m *Model) Score(ctx context.Context, s string) (Score, error) {
	ids, err := m.Tok.Encode(s)
	if err != nil {
		return Score{}, err
	}
	if len(ids) < 2 {
		return Score{}, fmt.Errorf("text: text to score has %d symbol%s; need at least 2: %w", len(ids), plural(len(ids)), ErrCorpusTooShort)
	}
	nll, n, err := evalStreams(ctx, m.Net, ids, 1, scoreWindow)
	if err != nil {
		return Score{}, err
	}
	return newScore(nll, n), nil
}

// evalStreams lays ids out as streams contiguous streams of length
// L = len(ids)/streams (the remainder is unused), runs the model over them
// in windows of up to window steps from the zero state, carrying the state,
// and returns the summed negative log-likelihood of every symbol after the
// first of each stream and the number of such symbols. It panics if a
// stream would hold fewer than two ids.
func evalStreams(ctx context.Context, m *core.Model, ids []int32, streams, window int) (nll float64, n int, err error) {
	L := len(ids) / streams
	if L < 2 {
		panic(fmt.Sprintf("text: %d ids in %d streams", len(ids), streams))
	}
	st := m.NewState(streams)
	full := m.NewBatch(min(window, L-1), streams)
	for pos := 0; pos < L-1; pos += window {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		T := min(window, L-1-pos)
		b := full
		if T != full.T {
			b = m.NewBatch(T, streams)
		}
		for t := range T {
			for s := range streams {
				i := s*L + pos + t
				b.Tokens[t*streams+s] = ids[i]
				b.Targets[t*streams+s] = float32(ids[i+1])
			}
		}
		sum, w, err := core.Score(ctx, m, st, b)
		if err != nil {
			return 0, 0, err
		}
		nll += sum
		n += int(w)
	}
	return nll, n, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
