// Tests of the stream and random batchers: exact layout, epoch wrap-around
// and reset reports, determinism, and the too-short errors.

package text

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func seq(n int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	return ids
}

func TestStreamBatcherLayout(t *testing.T) {
	// 23 ids, 3 streams of L=7: [0..6], [7..13], [14..20]; ids 21, 22 unused.
	// Window 3: windows start at 0 and 3 ((7-1)/3 = 2 per epoch).
	sb, err := NewStreamBatcher(seq(23), 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if sb.StepsPerEpoch() != 2 {
		t.Fatalf("StepsPerEpoch = %d, want 2", sb.StepsPerEpoch())
	}
	tests := []struct {
		x, y  []int32
		reset bool
		epoch int // after the call
	}{
		{[]int32{0, 7, 14, 1, 8, 15, 2, 9, 16}, []int32{1, 8, 15, 2, 9, 16, 3, 10, 17}, true, 0},
		{[]int32{3, 10, 17, 4, 11, 18, 5, 12, 19}, []int32{4, 11, 18, 5, 12, 19, 6, 13, 20}, false, 1},
		{[]int32{0, 7, 14, 1, 8, 15, 2, 9, 16}, []int32{1, 8, 15, 2, 9, 16, 3, 10, 17}, true, 1},
		{[]int32{3, 10, 17, 4, 11, 18, 5, 12, 19}, []int32{4, 11, 18, 5, 12, 19, 6, 13, 20}, false, 2},
	}
	x, y := make([]int32, 9), make([]int32, 9)
	for i, tc := range tests {
		reset := sb.Next(x, y)
		if !equalIDs(x, tc.x) || !equalIDs(y, tc.y) || reset != tc.reset || sb.Epoch() != tc.epoch {
			t.Errorf("batch %d: x=%v y=%v reset=%v epoch=%d; want x=%v y=%v reset=%v epoch=%d",
				i, x, y, reset, sb.Epoch(), tc.x, tc.y, tc.reset, tc.epoch)
		}
	}
	sb.Next(x, y)
	sb.Rewind()
	if reset := sb.Next(x, y); !reset || x[0] != 0 {
		t.Errorf("after Rewind: reset=%v x[0]=%d, want a fresh epoch", reset, x[0])
	}
}

// TestStreamBatcherContinuity checks the property stateful training relies
// on: within an epoch, row b of each batch continues row b of the previous
// one, and targets are the inputs shifted by one.
func TestStreamBatcherContinuity(t *testing.T) {
	ids := seq(10_000)
	for _, shape := range [][2]int{{1, 1}, {1, 50}, {4, 16}, {7, 13}, {32, 64}} {
		batch, window := shape[0], shape[1]
		sb, err := NewStreamBatcher(ids, batch, window)
		if err != nil {
			t.Fatal(err)
		}
		x, y := make([]int32, batch*window), make([]int32, batch*window)
		prevLast := make([]int32, batch)
		for step := range 3 * sb.StepsPerEpoch() {
			reset := sb.Next(x, y)
			if reset != (step%sb.StepsPerEpoch() == 0) {
				t.Fatalf("%v step %d: reset=%v", shape, step, reset)
			}
			for b := range batch {
				if !reset && x[b] != prevLast[b]+1 {
					t.Fatalf("%v step %d row %d: starts at %d after %d", shape, step, b, x[b], prevLast[b])
				}
				for tt := range window {
					i := tt*batch + b
					if y[i] != x[i]+1 || (tt > 0 && x[i] != x[i-batch]+1) {
						t.Fatalf("%v step %d row %d t %d: x=%d y=%d", shape, step, b, tt, x[i], y[i])
					}
				}
				prevLast[b] = x[(window-1)*batch+b]
			}
		}
	}
}

func TestBatcherTooShort(t *testing.T) {
	tests := []struct {
		n, batch, window int
		wantMsg          string
	}{
		{10, 2, 4, "corpus has 10 tokens; 2 streams with a window of 4 need at least 10"},
		{9, 2, 4, "corpus has 9 tokens; 2 streams with a window of 4 need at least 10"},
		{0, 1, 1, "need at least 2"},
	}
	for _, tc := range tests {
		_, err := NewStreamBatcher(seq(tc.n), tc.batch, tc.window)
		if tc.n >= tc.batch*(tc.window+1) {
			if err != nil {
				t.Errorf("NewStreamBatcher(%d, %d, %d): %v", tc.n, tc.batch, tc.window, err)
			}
			continue
		}
		if !errors.Is(err, ErrCorpusTooShort) || !strings.Contains(err.Error(), tc.wantMsg) {
			t.Errorf("NewStreamBatcher(%d, %d, %d) error = %v, want %q", tc.n, tc.batch, tc.window, err, tc.wantMsg)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	if _, err := NewRandomBatcher(seq(4), 100, 4, rng); !errors.Is(err, ErrCorpusTooShort) || !strings.Contains(err.Error(), "4 tokens") {
		t.Errorf("NewRandomBatcher too short: %v", err)
	}
	if _, err := NewRandomBatcher(seq(5), 100, 4, rng); err != nil {
		t.Errorf("NewRandomBatcher with window+1 tokens: %v", err)
	}
	for _, shape := range [][2]int{{0, 4}, {2, 0}, {-1, 3}} {
		if _, err := NewStreamBatcher(seq(100), shape[0], shape[1]); err == nil {
			t.Errorf("NewStreamBatcher shape %v: no error", shape)
		}
		if _, err := NewRandomBatcher(seq(100), shape[0], shape[1], rng); err == nil {
			t.Errorf("NewRandomBatcher shape %v: no error", shape)
		}
	}
}

func TestRandomBatcher(t *testing.T) {
	ids := seq(50)
	const batch, window = 8, 5
	draw := func() ([]int32, []int32) {
		rb, err := NewRandomBatcher(ids, batch, window, rand.New(rand.NewPCG(7, 7)))
		if err != nil {
			t.Fatal(err)
		}
		var xs, ys []int32
		x, y := make([]int32, batch*window), make([]int32, batch*window)
		for range 200 {
			if !rb.Next(x, y) {
				t.Fatal("RandomBatcher.Next must always report reset")
			}
			xs, ys = append(xs, x...), append(ys, y...)
		}
		return xs, ys
	}
	xs, ys := draw()
	xs2, ys2 := draw()
	if !equalIDs(xs, xs2) || !equalIDs(ys, ys2) {
		t.Error("same seed, different batches")
	}
	seenStart := make(map[int32]bool)
	for k := 0; k < len(xs); k += batch * window {
		x, y := xs[k:k+batch*window], ys[k:k+batch*window]
		for b := range batch {
			seenStart[x[b]] = true
			for tt := range window {
				i := tt*batch + b
				if y[i] != x[i]+1 || (tt > 0 && x[i] != x[i-batch]+1) {
					t.Fatalf("row %d t %d: x=%d y=%d", b, tt, x[i], y[i])
				}
			}
		}
	}
	// Offsets cover [0, len-window-1] = [0, 44], and nothing beyond.
	for off := range int32(45) {
		if !seenStart[off] {
			t.Errorf("offset %d never drawn in 1600 rows", off)
		}
	}
	if len(seenStart) != 45 {
		t.Errorf("%d distinct offsets, want 45", len(seenStart))
	}
}

func TestBatcherPanicsOnWrongSlices(t *testing.T) {
	sb, _ := NewStreamBatcher(seq(100), 2, 5)
	rb, _ := NewRandomBatcher(seq(100), 2, 5, rand.New(rand.NewPCG(1, 1)))
	for name, next := range map[string]func(x, y []int32) bool{"stream": sb.Next, "random": rb.Next} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.HasPrefix(r, "text: ") {
					t.Errorf("%s: panic %q, want a text: message", name, r)
				}
			}()
			next(make([]int32, 10), make([]int32, 9))
		}()
	}
}

func BenchmarkStreamBatcher(b *testing.B) {
	sb, err := NewStreamBatcher(seq(1_000_000), 64, 128)
	if err != nil {
		b.Fatal(err)
	}
	x, y := make([]int32, 64*128), make([]int32, 64*128)
	b.ReportAllocs()
	for b.Loop() {
		sb.Next(x, y)
	}
}
