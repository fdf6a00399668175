//go:build amd64 && !purego

// The GEMV team: goroutines that split batch-1 matrix-vector products with
// the caller, for generation one token at a time.
//
// A GEMV of an LSTM layer takes a few microseconds, as long as waking a
// parked goroutine takes, so the GEMM workers (woken through a channel) do
// not help it. The team's workers instead spin on an atomic counter for a
// while after each product and take the next one within a fraction of a
// microsecond; they park after spinFor without work, so an idle program
// burns nothing. Each worker always gets the same part of the matrix, so on
// an idle machine each core keeps its part in its own L2 cache between
// tokens: two cores together hold a model that one core's cache could not.
// If a worker is slow to come (a busy machine), the caller takes its part.

package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// spinFor is how long a team worker spins for the next product before it parks.
const spinFor = 200 * time.Microsecond

// maxTeam caps the team's size: batch-1 products are too small to share
// among more cores.
const maxTeam = 4

// gemvJob is one product for the team: y = a1·x1 (+ a2·x2) + beta*y, row
// blocks of y in parts (not transposed), or y = alpha*a1ᵀ·x1 + beta*y,
// column blocks of y in parts (transposed).
type gemvJob struct {
	trans         bool
	m, n1, n2     int
	a1, a2        []float32
	lda1, lda2    int
	x1, x2        []float32
	alpha, beta   float32
	y             []float32
	parts, stride int // parts of stride rows (or columns), the last shorter
}

// runPart computes part p of the job.
func (j *gemvJob) runPart(p int) {
	lo := p * j.stride
	if j.trans {
		hi := min(lo+j.stride, j.n1)
		if lo < hi {
			axpyRows(&j.a1[lo], j.lda1, j.m, &j.x1[0], &j.y[lo], hi-lo, j.alpha, j.beta)
		}
		return
	}
	hi := min(lo+j.stride, j.m)
	if lo >= hi {
		return
	}
	dotRows(&j.a1[lo*j.lda1], j.lda1, hi-lo, &j.x1[0], j.n1, &j.y[lo], j.alpha, j.beta)
	if j.a2 != nil {
		dotRows(&j.a2[lo*j.lda2], j.lda2, hi-lo, &j.x2[0], j.n2, &j.y[lo], j.alpha, 1)
	}
}

type paddedU64 struct {
	atomic.Uint64
	_ [56]byte
}

type teamWorker struct {
	parked atomic.Bool
	wake   chan struct{}
	_      [48]byte
}

// teamJob is work in parts for the team.
type teamJob interface {
	runPart(p int)
}

// team is the set of GEMV workers; worker w always takes part w (part 0 is
// the caller's).
type team struct {
	mu      sync.Mutex // one product at a time; a concurrent caller runs alone
	once    sync.Once
	size    int         // parts: workers + the caller
	gen     paddedU64   // the product's number << 8 | its number of parts
	left    paddedU64   // parts posted and not finished
	claims  []paddedU64 // claims[p]: the last gen whose part p was taken
	workers []*teamWorker
	job     teamJob
	gj      gemvJob  // the job, for a GEMV
	sj      splitJob // the job, for Split
	failure failure  // the first panic of a part, raised by the caller
	rest    int      // jobs to leave to their callers alone (see late)
	penalty int
}

var gemvTeam team

// parts returns how many parts a product of the given size is worth, at
// most the team's size.
func (t *team) parts(floats int) int {
	p := min(runtime.GOMAXPROCS(0), maxThreads, maxTeam)
	if p < 2 || floats < gemvParMin {
		return 1
	}
	return min(p, max(1, floats/gemvParMin))
}

func (t *team) start() {
	t.size = min(runtime.GOMAXPROCS(0), maxTeam)
	t.claims = make([]paddedU64, t.size)
	for w := 1; w < t.size; w++ {
		tw := &teamWorker{wake: make(chan struct{}, 1)}
		t.workers = append(t.workers, tw)
		go t.work(w, tw)
	}
}

// doGemv runs job in job.parts parts (see do).
func (t *team) doGemv(job *gemvJob) bool {
	if !t.lock() {
		return false
	}
	defer t.mu.Unlock()
	job.parts = min(job.parts, t.size)
	job.stride = partStride(job)
	t.gj = *job
	t.run(&t.gj, job.parts)
	t.gj = gemvJob{}
	return true
}

// do runs job in parts parts (at most the team's size), the caller taking
// part 0 and any part no worker has come for. It reports false, having done
// nothing, if the team is busy with another caller's job.
func (t *team) do(job teamJob, parts int) bool {
	if !t.lock() {
		return false
	}
	defer t.mu.Unlock()
	t.run(job, min(parts, t.size))
	return true
}

// lock takes the team for one job, unless another caller has it or the team
// is resting (see late).
func (t *team) lock() bool {
	if !t.mu.TryLock() {
		return false
	}
	if t.rest > 0 {
		t.rest--
		t.mu.Unlock()
		return false
	}
	t.once.Do(t.start)
	return true
}

// late records how long the caller of a job waited for the workers after
// its own parts. On a machine whose cores are busy with other programs, a
// worker can lose its core in the middle of a part, and the caller then
// waits for a whole time slice of the other program (milliseconds) for work
// it could have done in microseconds. A wait longer than lateWait (and than
// half the caller's own time) makes the team rest: the next jobs run on
// the caller alone, twice as many after each late job in a row, up to
// maxRest; then the team tries again. Jobs on time shorten the rest again.
func (t *team) late(own, wait time.Duration) {
	if wait > lateWait && wait > own/2 {
		t.penalty = min(max(2*t.penalty, 8), maxRest)
		t.rest = t.penalty
	} else if t.penalty > 0 {
		t.penalty--
	}
}

const (
	lateWait = 50 * time.Microsecond
	maxRest  = 1 << 14
)

// teamClock, when not nil, replaces time.Now as the clock by which run
// measures the caller's own time and its wait (only the caller reads it).
// Tests set it to make a worker late, or never late, whatever the
// machine's load; nil keeps the production path a direct call.
var teamClock func() time.Time

func teamNow() time.Time {
	if teamClock != nil {
		return teamClock()
	}
	return time.Now()
}

func (t *team) run(job teamJob, parts int) {
	t.job = job
	t.left.Store(uint64(parts - 1))
	g := t.gen.Load()>>8 + 1
	t.gen.Store(g<<8 | uint64(parts)) // publishes the job
	for w := 1; w < parts; w++ {
		if tw := t.workers[w-1]; tw.parked.Load() {
			select {
			case tw.wake <- struct{}{}:
			default:
			}
		}
	}
	start := teamNow()
	t.safePart(job, 0)
	for p := 1; p < parts; p++ {
		if t.claim(p, g) {
			t.safePart(job, p)
			t.left.Add(^uint64(0))
		}
	}
	if t.left.Load() != 0 {
		mine := teamNow()
		for spins := 0; t.left.Load() != 0; spins++ {
			if spins&255 == 255 {
				runtime.Gosched() // a worker took a part and lost its core
			}
		}
		t.late(mine.Sub(start), teamNow().Sub(mine))
	} else {
		t.late(0, 0)
	}
	t.job = nil
	t.failure.raise() // in the caller's goroutine, where it can be recovered
}

// safePart runs part p of job; a panic (a bug in a kernel) is kept for the
// caller to raise once every part has finished.
func (t *team) safePart(job teamJob, p int) {
	defer t.failure.catch()
	job.runPart(p)
}

// failure keeps the first panic of work done on behalf of another
// goroutine, which raises it: a panic on a worker goroutine would end the
// program where nothing can recover it.
type failure struct {
	mu sync.Mutex
	v  any
}

// catch, deferred, records a panic instead of letting it unwind further.
func (f *failure) catch() {
	if r := recover(); r != nil {
		f.mu.Lock()
		if f.v == nil {
			f.v = r
		}
		f.mu.Unlock()
	}
}

// raise panics with the recorded value, if any, and forgets it. The caller
// must know that the work that could record one has finished.
func (f *failure) raise() {
	if v := f.v; v != nil {
		f.v = nil
		panic(v)
	}
}

// claim takes part p of product g for the calling goroutine, unless it is taken.
func (t *team) claim(p int, g uint64) bool {
	c := &t.claims[p]
	for {
		v := c.Load()
		if v >= g {
			return false
		}
		if c.CompareAndSwap(v, g) {
			return true
		}
	}
}

func (t *team) work(w int, tw *teamWorker) {
	last := t.gen.Load()
	for {
		v := t.wait(tw, last)
		last = v
		// The job's fields are read only once its part is claimed: until the
		// part is finished, the caller cannot post another job.
		if g, parts := v>>8, int(v&0xff); w < parts && t.claim(w, g) {
			t.safePart(t.job, w)
			t.left.Add(^uint64(0))
		}
	}
}

// wait returns the first value of gen after last, spinning for spinFor, then parking.
func (t *team) wait(tw *teamWorker, last uint64) uint64 {
	for {
		start := time.Now()
		for spins := 1; ; spins++ {
			if g := t.gen.Load(); g != last {
				return g
			}
			if spins&1023 == 0 {
				if time.Since(start) > spinFor {
					break
				}
				runtime.Gosched() // let other goroutines have this core
			}
		}
		tw.parked.Store(true)
		if g := t.gen.Load(); g != last {
			tw.parked.Store(false)
			return g
		}
		<-tw.wake
		tw.parked.Store(false)
	}
}

// partStride splits the job's rows (or columns) into job.parts blocks,
// rounded to the kernels' blocks of 4 rows or 16 columns.
func partStride(j *gemvJob) int {
	if j.trans {
		return (j.n1 + 16*j.parts - 1) / (16 * j.parts) * 16
	}
	return (j.m + 4*j.parts - 1) / (4 * j.parts) * 4
}

// splitJob makes a Split job a team job: each goroutine takes parts until
// none is left.
type splitJob struct {
	job   Job
	parts int
	next  atomic.Int64 // the next part to take
}

func (s *splitJob) runPart(int) {
	for {
		q := int(s.next.Add(1) - 1)
		if q >= s.parts {
			return
		}
		s.job.RunPart(q, s.parts)
	}
}

// splitOnTeam reports whether Split can share work (tests clear it).
var splitOnTeam = true

// splitLimit is the most parts worth splitting into.
func splitLimit() int {
	if !splitOnTeam {
		return 1
	}
	return min(maxThreads, maxTeam)
}

// splitTeam runs job in parts parts on the team if it is free, and reports
// whether it did.
func splitTeam(parts int, job Job) bool {
	t := &gemvTeam
	if !t.lock() {
		return false
	}
	defer t.mu.Unlock()
	if t.size < 2 {
		return false
	}
	t.sj.job, t.sj.parts = job, parts
	t.sj.next.Store(0)
	defer func() { t.sj.job = nil }()
	t.run(&t.sj, min(parts, t.size))
	return true
}
