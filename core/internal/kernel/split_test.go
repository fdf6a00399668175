package kernel

import (
	"sync/atomic"
	"testing"
)

type countJob struct {
	runs  [8]atomic.Int32
	parts atomic.Int32
	bad   int // the part that panics, or -1
}

func (j *countJob) RunPart(p, parts int) {
	j.runs[p].Add(1)
	j.parts.Store(int32(parts))
	if p == j.bad {
		panic("part failed")
	}
}

// TestSplit checks that Split runs every part exactly once, tells each
// part how many there are, and raises a part's panic in the caller.
func TestSplit(t *testing.T) {
	for parts := 1; parts <= 6; parts++ {
		for range 50 {
			j := &countJob{bad: -1}
			Split(parts, j)
			for p := range j.runs {
				want := int32(0)
				if p < parts {
					want = 1
				}
				if got := j.runs[p].Load(); got != want {
					t.Fatalf("%d parts: part %d ran %d times", parts, p, got)
				}
			}
			if got := j.parts.Load(); got != int32(parts) {
				t.Fatalf("%d parts: RunPart told %d", parts, got)
			}
		}
	}
	j := &countJob{bad: 1}
	func() {
		defer func() {
			if r := recover(); r != "part failed" {
				t.Fatalf("recovered %v, want the part's panic", r)
			}
		}()
		Split(2, j)
	}()
	if j.runs[0].Load() != 1 || j.runs[1].Load() != 1 {
		t.Fatalf("parts ran %d and %d times", j.runs[0].Load(), j.runs[1].Load())
	}
	if p := SplitParts(64, 16); p < 1 || p > 4 {
		t.Fatalf("SplitParts(64, 16) = %d", p)
	}
	if p := SplitParts(15, 16); p != 1 {
		t.Fatalf("SplitParts(15, 16) = %d, want 1", p)
	}
}
