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
	quietTeam(t, func() time.Time { return time.Time{} }) // never late, never resting
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

// quietTeam clears the team's rest (an earlier test on a busy machine may
// have left it resting) and makes run read clock instead of the real time,
// until the test ends.
func quietTeam(t *testing.T, clock func() time.Time) {
	gemvTeam.rest, gemvTeam.penalty = 0, 0
	teamClock = clock
	t.Cleanup(func() {
		teamClock = nil
		gemvTeam.rest, gemvTeam.penalty = 0, 0
	})
}

// TestTeamLate: a wait longer than lateWait and than half the caller's own
// time makes the team rest, twice as long after each late job in a row, up
// to maxRest; a job on time shortens the next rest.
func TestTeamLate(t *testing.T) {
	const us = time.Microsecond
	var tm team
	for i, c := range []struct {
		own, wait     time.Duration
		rest, penalty int
	}{
		{100 * us, 10 * us, 0, 0},     // on time
		{100 * us, 40 * us, 0, 0},     // under lateWait
		{400 * us, 150 * us, 0, 0},    // under half the caller's time
		{100 * us, 4000 * us, 8, 8},   // late
		{100 * us, 4000 * us, 16, 16}, // late again: twice the rest
		{0, 0, 16, 15},                // on time: the penalty shrinks, the rest stays
		{100 * us, 4000 * us, 30, 30}, // late: twice the shrunk penalty
	} {
		tm.late(c.own, c.wait)
		if tm.rest != c.rest || tm.penalty != c.penalty {
			t.Fatalf("step %d: late(%v, %v): rest %d, penalty %d; want %d, %d", i, c.own, c.wait, tm.rest, tm.penalty, c.rest, c.penalty)
		}
	}
	tm.penalty = maxRest
	tm.late(0, time.Second)
	if tm.rest != maxRest {
		t.Errorf("rest %d after a late job at the cap, want maxRest %d", tm.rest, maxRest)
	}
}

// lateJob is a job whose part 1 runs on a worker and ends only after the
// caller has started waiting for it. The caller's part 0 waits until a
// worker has started part 1 (so the caller cannot take it itself); part 1
// waits until the caller has read the clock after its own part.
type lateJob struct {
	started chan struct{} // closed by part 1 when it starts
	waiting chan struct{} // closed by the clock when the caller starts waiting
}

func (j lateJob) runPart(p int) {
	wait := func(c chan struct{}, what string) {
		select {
		case <-c:
		case <-time.After(10 * time.Second):
			panic(what)
		}
	}
	if p == 0 {
		wait(j.started, "no worker came for part 1 in 10 s")
		return
	}
	close(j.started)
	wait(j.waiting, "the caller did not wait for part 1")
}

// A job whose caller waits long for a worker makes the team rest: the next
// jobs are left to their callers, as many as the penalty says, then the
// team takes jobs again. The lateness comes from a fake clock, so the test
// does not depend on the machine's load.
func TestTeamRestsAfterLateWorker(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: no team")
	}
	job := lateJob{started: make(chan struct{}), waiting: make(chan struct{})}
	// run reads the clock before its part (t0), after it (t0+100µs: the
	// caller starts waiting) and once part 1 is done (4 ms later).
	t0, calls := time.Now(), 0
	quietTeam(t, func() time.Time {
		calls++
		switch calls {
		case 1:
			return t0
		case 2:
			close(job.waiting)
			return t0.Add(100 * time.Microsecond)
		}
		return t0.Add(4100 * time.Microsecond)
	})
	if !gemvTeam.do(job, 2) {
		t.Fatal("the team refused a job before any was late")
	}
	if calls != 3 {
		t.Fatalf("run read the clock %d times, want 3 (the caller did not wait for the worker)", calls)
	}
	rest := gemvTeam.rest
	if rest == 0 {
		t.Fatal("the team does not rest after a late worker")
	}
	teamClock = func() time.Time { return t0 } // no more late jobs
	for i := 0; i < rest; i++ {
		if gemvTeam.do(panicJob{-1}, 2) {
			t.Fatalf("the team took job %d of its rest of %d", i+1, rest)
		}
	}
	if !gemvTeam.do(panicJob{-1}, 2) {
		t.Fatal("the team still refuses jobs after its rest")
	}
}
