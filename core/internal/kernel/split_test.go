package kernel

import (
	"sync/atomic"
	"testing"
)

// rowJob marks the rows each part covers, as an LSTM time loop cuts a batch.
type rowJob struct {
	done [100]atomic.Int32
	rows int
	bad  int // the part that panics, or -1
}

func (j *rowJob) RunPart(p, parts int) {
	per := (j.rows + parts - 1) / parts
	for r := p * per; r < min((p+1)*per, j.rows); r++ {
		j.done[r].Add(1)
	}
	if p == j.bad {
		panic("part failed")
	}
}

// TestSplit checks that Split covers every row exactly once however it cuts
// the job and raises a part's panic in the caller.
func TestSplit(t *testing.T) {
	for parts := 1; parts <= 9; parts++ {
		for range 50 {
			j := &rowJob{rows: 100, bad: -1}
			Split(parts, j)
			for r := range j.rows {
				if got := j.done[r].Load(); got != 1 {
					t.Fatalf("%d parts: row %d done %d times", parts, r, got)
				}
			}
		}
	}
	func() {
		defer func() {
			if r := recover(); r != "part failed" {
				t.Fatalf("recovered %v, want the part's panic", r)
			}
		}()
		Split(2, &rowJob{rows: 100, bad: 0})
	}()
	if p := SplitParts(64, 16); p < 1 || p > 4 {
		t.Fatalf("SplitParts(64, 16) = %d", p)
	}
	if p := SplitParts(15, 16); p != 1 {
		t.Fatalf("SplitParts(15, 16) = %d, want 1", p)
	}
}
