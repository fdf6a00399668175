// Package kernel holds every dense float32 routine the arkit core runs in its
// hot loops: matrix products, the fused LSTM cell arithmetic, softmax with
// cross-entropy and the Adam update.
//
// All matrices are row-major. The model code calls only this package, so a
// faster implementation replaces the bodies here without touching the model.
// The functions panic on inconsistent sizes, as BLAS does; they do not
// allocate in steady state and are safe for concurrent use.
//
// # Implementations
//
// On amd64 the routines are Go assembly, chosen at start-up with
// golang.org/x/sys/cpu; elsewhere, with -tags purego, or on a CPU without
// AVX2 and FMA, they are portable Go (gonum's blas32 for the matrix products,
// faster than plain blocked Go).
//
// Gemm packs its operands and runs a register-blocked micro-kernel that keeps
// an MR×NR tile of C in registers and adds one rank-1 update per step of k
// (a broadcast of MR values of op(A) times NR values of op(B)):
//
//	AVX-512  MR×NR = 8×32   16 zmm accumulators
//	AVX2     MR×NR = 6×16   12 ymm accumulators
//
// k is cut into blocks of 256, so that a packed 256×NR panel of op(B)
// (32 KiB with AVX-512) stays in L1 while it meets every row panel of op(A).
// Packing handles the transposes: rows are copied with vector moves (masked
// at the edges), transposed operands go through 8×8 in-register transposes
// (the last k%8 steps in Go). Edge tiles are computed whole into a
// scratch tile, of which only the valid part is added to C, so m, n and k
// are arbitrary.
//
// When op(A) is small (at most 64Ki floats once padded: the LSTM case, a
// batch of 1-64 rows), it is packed once and shared, and C is cut into
// column panels of NR that the goroutines take one at a time. Otherwise Gemm
// packs blocks of 256 rows of op(A) (in L2) and cuts C into chunks of rows
// (or of columns, when m < n). Products of at least 2Mi multiply-adds are
// shared with up to GOMAXPROCS-1 long-lived worker goroutines. The caller
// takes chunks from the front and the workers from the back, so on an idle
// machine each core keeps its part of B in its own L2 from call to call; a
// worker that is busy or slow to get a core takes fewer chunks (the caller
// never waits for one to start), and concurrent callers do the work
// themselves. Packing buffers come from sync.Pools. m = 1 is a
// matrix-vector product.
//
// GemmBF16 is mixed-precision training's product: inputs rounded to
// bfloat16 (nearest even), float32 accumulation. On a CPU with AMX
// (gemm_amx_amd64.go; Linux lends the tile state after
// arch_prctl(ARCH_REQ_XCOMP_PERM)) op(A) is rounded to bf16 rows once per
// call, the goroutines pack 32-column panels of op(B) in pairs of steps
// and TDPBF16PS computes 32×32 blocks of C in four tiles, loaded from and
// stored to C directly. With AVX-512 BF16 only, the float32 driver
// converts each packed panel in place to pairs (VCVTNE2PS2BF16) and an 8×32
// kernel adds two steps per VDPBF16PS; on this machine VDPBF16PS runs at a
// third of VFMADD231PS's rate per instruction, so that path is slower than
// float32 and kept for CPUs without AMX and for the rare alpha ≠ 1 or beta
// ∉ {0, 1}. Elsewhere GemmBF16 is Gemm. PackedBF16 keeps op(B) packed for
// many products (an LSTM's recurrent weights over a window).
//
// Packed does the same in float32: op(B) packed once into the micro-kernel's
// panels, and GemmPacked's results are Gemm's bit for bit; with Serial its
// products stay on the calling goroutine. Split shares row-independent work
// (an LSTM's time loop over the rows of a batch) with the team below: the
// caller and the workers take parts until none is left, one hand-over per
// call instead of one per small product; when the team is busy or resting,
// the caller runs the job whole.
//
// Gemv streams the matrix once: y = A·x as dot products of four rows at a
// time (AVX-512 where the CPU has it, else AVX2), y = Aᵀ·x as 64 columns of y
// held in registers across all rows. GemvPair does an LSTM layer's two
// products in one pass. Matrices of 128 KiB or more are split over a second
// set of workers, the GEMV team (team_amd64.go), which spin for a while after
// each product instead of parking, so that handing over a part costs well
// under a microsecond, and which always take the same rows, so that each
// core keeps its half of a model in its own L2 from token to token. As in
// BLAS, Gemm and Gemv do not read C (y) when beta is 0, so NaNs there do not
// propagate.
//
// BF16 and Q8 hold compact copies of weight matrices for generation
// (compact.go): bfloat16, and int8 in blocks of 32 per row with a float32
// scale each (llama.cpp's Q8_0). Their MulVecAdd widens the weights to
// float32 in registers (a 16-bit shift; a sign extension and conversion,
// then the block's scale) and accumulates float32 FMAs against a float32
// vector, in AVX-512 or AVX2 assembly (Go elsewhere), split by rows over
// the GEMV team.
//
// # Approximations
//
// Sigmoid, Tanh, SigmoidVec, TanhVec, LSTMCell, LogSoftmax and
// SoftmaxCrossEntropy use a float32 exp (Cephes expf: x = n·ln2 + r,
// |r| ≤ ln2/2, a degree-7 polynomial for e^r, 2^n put in the exponent). Tanh
// is x + x³·P(x²) for |x| < 0.625 (Cephes tanhf) and
// sign(x)·(1 - 2/(e^{2|x|}+1)) above; Sigmoid is 1/(1+e^{-x}). Measured
// against float64 math over a dense grid on [-30, 30] and a sweep of all
// float32 magnitudes (TestSigmoidTanhAccuracy), scalar and vector alike:
//
//	Tanh      relative error < 2e-7 everywhere (about 2 ulp)
//	Sigmoid   relative error < 2e-7 for x ≥ -87; below, where the true
//	          value is under 2^-125, absolute error < 5e-39
//
// SoftmaxCrossEntropy's exponential pass runs 16 (AVX-512) or 8 (AVX2)
// lanes at a time (softmax_amd64.s), each lane summing its share of the
// exponentials: the sum is rounded in a different order from the Go loop's.
//
// Tanh is exactly ±1 from |x| ≈ 9.011 on and Sigmoid exactly 1 from
// x ≈ 16.64 on; both return NaN for NaN. LSTMCellBackward, Adam, Axpy, Scale
// and SumSquares evaluate their formulas directly (SumSquares accumulates in
// float64); the vector code only rounds in a different order (FMA).
package kernel
