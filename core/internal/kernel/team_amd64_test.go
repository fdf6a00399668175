//go:build amd64 && !purego

package kernel

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

type panicJob struct{ part int }

func (j panicJob) runPart(p int) {
	if p == j.part {
		panic("part " + string(rune('0'+p)) + " failed")
	}
}

// catch returns the panic value of f, or nil.
func catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// A panic in any part of a team job, on a worker or on the caller, reaches
// the caller once every part is done, and the team keeps working.
func TestTeamPanicReachesCaller(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: no team")
	}
	for _, part := range []int{0, 1} {
		v := catch(func() { gemvTeam.do(panicJob{part}, 2) })
		if s, _ := v.(string); !strings.Contains(s, "failed") {
			t.Fatalf("part %d: recovered %v, want the part's panic", part, v)
		}
	}
	TestGemvParallel(t) // still works
}

// A panic in a GEMM chunk, whichever goroutine runs it, reaches the caller.
func TestGemmChunkPanicReachesCaller(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 16))
	const m, n, k = 64, 1024, 256
	a, b, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
	for _, team := range []bool{true, false} {
		useTeam = team
		chunkHook = func(q int) {
			if q == 3 {
				panic("chunk 3 failed")
			}
		}
		v := catch(func() { Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) })
		chunkHook = nil
		useTeam = true
		if s, _ := v.(string); s != "chunk 3 failed" {
			t.Fatalf("team %v: recovered %v, want the chunk's panic", team, v)
		}
	}
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) // still works
}

// slowJob keeps the caller busy in part 0, while part 1 takes long on
// whichever goroutine runs it.
type slowJob struct{ own, other time.Duration }

func (j slowJob) runPart(p int) {
	d := j.own
	if p != 0 {
		d = j.other
	}
	for start := time.Now(); time.Since(start) < d; {
	}
}

// A job whose caller waits long for a worker makes the team rest: the next
// jobs are left to their callers.
func TestTeamRestsAfterLateWorker(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: no team")
	}
	defer func() { gemvTeam.rest, gemvTeam.penalty = 0, 0 }()
	for try := 0; try < 50; try++ {
		// The worker comes for part 1 while the caller does part 0, then
		// takes 4 ms: the caller waits about 3.9 ms.
		if !gemvTeam.do(slowJob{own: 100 * time.Microsecond, other: 4 * time.Millisecond}, 2) {
			t.Fatal("the team refused a job before any was late")
		}
		if gemvTeam.rest > 0 {
			if gemvTeam.do(slowJob{}, 2) {
				t.Fatal("the team took a job while resting")
			}
			return
		}
	}
	t.Skip("the worker never came for its part in 50 tries (a busy machine)")
}
