//go:build amd64 && !purego

// Vectorized LSTM gate arithmetic (AVX2+FMA), 8 lanes at a time, with the
// sigmoid and tanh of approx.go (same formulas, same error bounds).

#include "textflag.h"

DATA cl2e<>+0(SB)/4, $0x3fb8aa3b
DATA cl2e<>+4(SB)/4, $0x3fb8aa3b
DATA cl2e<>+8(SB)/4, $0x3fb8aa3b
DATA cl2e<>+12(SB)/4, $0x3fb8aa3b
DATA cl2e<>+16(SB)/4, $0x3fb8aa3b
DATA cl2e<>+20(SB)/4, $0x3fb8aa3b
DATA cl2e<>+24(SB)/4, $0x3fb8aa3b
DATA cl2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL cl2e<>(SB), RODATA|NOPTR, $32
DATA cln2hi<>+0(SB)/4, $0x3f318000
DATA cln2hi<>+4(SB)/4, $0x3f318000
DATA cln2hi<>+8(SB)/4, $0x3f318000
DATA cln2hi<>+12(SB)/4, $0x3f318000
DATA cln2hi<>+16(SB)/4, $0x3f318000
DATA cln2hi<>+20(SB)/4, $0x3f318000
DATA cln2hi<>+24(SB)/4, $0x3f318000
DATA cln2hi<>+28(SB)/4, $0x3f318000
GLOBL cln2hi<>(SB), RODATA|NOPTR, $32
DATA cln2lo<>+0(SB)/4, $0xb95e8083
DATA cln2lo<>+4(SB)/4, $0xb95e8083
DATA cln2lo<>+8(SB)/4, $0xb95e8083
DATA cln2lo<>+12(SB)/4, $0xb95e8083
DATA cln2lo<>+16(SB)/4, $0xb95e8083
DATA cln2lo<>+20(SB)/4, $0xb95e8083
DATA cln2lo<>+24(SB)/4, $0xb95e8083
DATA cln2lo<>+28(SB)/4, $0xb95e8083
GLOBL cln2lo<>(SB), RODATA|NOPTR, $32
DATA cp0<>+0(SB)/4, $0x39506967
DATA cp0<>+4(SB)/4, $0x39506967
DATA cp0<>+8(SB)/4, $0x39506967
DATA cp0<>+12(SB)/4, $0x39506967
DATA cp0<>+16(SB)/4, $0x39506967
DATA cp0<>+20(SB)/4, $0x39506967
DATA cp0<>+24(SB)/4, $0x39506967
DATA cp0<>+28(SB)/4, $0x39506967
GLOBL cp0<>(SB), RODATA|NOPTR, $32
DATA cp1<>+0(SB)/4, $0x3ab743ce
DATA cp1<>+4(SB)/4, $0x3ab743ce
DATA cp1<>+8(SB)/4, $0x3ab743ce
DATA cp1<>+12(SB)/4, $0x3ab743ce
DATA cp1<>+16(SB)/4, $0x3ab743ce
DATA cp1<>+20(SB)/4, $0x3ab743ce
DATA cp1<>+24(SB)/4, $0x3ab743ce
DATA cp1<>+28(SB)/4, $0x3ab743ce
GLOBL cp1<>(SB), RODATA|NOPTR, $32
DATA cp2<>+0(SB)/4, $0x3c088908
DATA cp2<>+4(SB)/4, $0x3c088908
DATA cp2<>+8(SB)/4, $0x3c088908
DATA cp2<>+12(SB)/4, $0x3c088908
DATA cp2<>+16(SB)/4, $0x3c088908
DATA cp2<>+20(SB)/4, $0x3c088908
DATA cp2<>+24(SB)/4, $0x3c088908
DATA cp2<>+28(SB)/4, $0x3c088908
GLOBL cp2<>(SB), RODATA|NOPTR, $32
DATA cp3<>+0(SB)/4, $0x3d2aa9c1
DATA cp3<>+4(SB)/4, $0x3d2aa9c1
DATA cp3<>+8(SB)/4, $0x3d2aa9c1
DATA cp3<>+12(SB)/4, $0x3d2aa9c1
DATA cp3<>+16(SB)/4, $0x3d2aa9c1
DATA cp3<>+20(SB)/4, $0x3d2aa9c1
DATA cp3<>+24(SB)/4, $0x3d2aa9c1
DATA cp3<>+28(SB)/4, $0x3d2aa9c1
GLOBL cp3<>(SB), RODATA|NOPTR, $32
DATA cp4<>+0(SB)/4, $0x3e2aaaaa
DATA cp4<>+4(SB)/4, $0x3e2aaaaa
DATA cp4<>+8(SB)/4, $0x3e2aaaaa
DATA cp4<>+12(SB)/4, $0x3e2aaaaa
DATA cp4<>+16(SB)/4, $0x3e2aaaaa
DATA cp4<>+20(SB)/4, $0x3e2aaaaa
DATA cp4<>+24(SB)/4, $0x3e2aaaaa
DATA cp4<>+28(SB)/4, $0x3e2aaaaa
GLOBL cp4<>(SB), RODATA|NOPTR, $32
DATA cp5<>+0(SB)/4, $0x3f000000
DATA cp5<>+4(SB)/4, $0x3f000000
DATA cp5<>+8(SB)/4, $0x3f000000
DATA cp5<>+12(SB)/4, $0x3f000000
DATA cp5<>+16(SB)/4, $0x3f000000
DATA cp5<>+20(SB)/4, $0x3f000000
DATA cp5<>+24(SB)/4, $0x3f000000
DATA cp5<>+28(SB)/4, $0x3f000000
GLOBL cp5<>(SB), RODATA|NOPTR, $32
DATA cone<>+0(SB)/4, $0x3f800000
DATA cone<>+4(SB)/4, $0x3f800000
DATA cone<>+8(SB)/4, $0x3f800000
DATA cone<>+12(SB)/4, $0x3f800000
DATA cone<>+16(SB)/4, $0x3f800000
DATA cone<>+20(SB)/4, $0x3f800000
DATA cone<>+24(SB)/4, $0x3f800000
DATA cone<>+28(SB)/4, $0x3f800000
GLOBL cone<>(SB), RODATA|NOPTR, $32
DATA ctwo<>+0(SB)/4, $0x40000000
DATA ctwo<>+4(SB)/4, $0x40000000
DATA ctwo<>+8(SB)/4, $0x40000000
DATA ctwo<>+12(SB)/4, $0x40000000
DATA ctwo<>+16(SB)/4, $0x40000000
DATA ctwo<>+20(SB)/4, $0x40000000
DATA ctwo<>+24(SB)/4, $0x40000000
DATA ctwo<>+28(SB)/4, $0x40000000
GLOBL ctwo<>(SB), RODATA|NOPTR, $32
DATA chi<>+0(SB)/4, $0x42b0bd71
DATA chi<>+4(SB)/4, $0x42b0bd71
DATA chi<>+8(SB)/4, $0x42b0bd71
DATA chi<>+12(SB)/4, $0x42b0bd71
DATA chi<>+16(SB)/4, $0x42b0bd71
DATA chi<>+20(SB)/4, $0x42b0bd71
DATA chi<>+24(SB)/4, $0x42b0bd71
DATA chi<>+28(SB)/4, $0x42b0bd71
GLOBL chi<>(SB), RODATA|NOPTR, $32
DATA clo<>+0(SB)/4, $0xc2aea8f6
DATA clo<>+4(SB)/4, $0xc2aea8f6
DATA clo<>+8(SB)/4, $0xc2aea8f6
DATA clo<>+12(SB)/4, $0xc2aea8f6
DATA clo<>+16(SB)/4, $0xc2aea8f6
DATA clo<>+20(SB)/4, $0xc2aea8f6
DATA clo<>+24(SB)/4, $0xc2aea8f6
DATA clo<>+28(SB)/4, $0xc2aea8f6
GLOBL clo<>(SB), RODATA|NOPTR, $32
DATA ct0<>+0(SB)/4, $0xbbbaf0ea
DATA ct0<>+4(SB)/4, $0xbbbaf0ea
DATA ct0<>+8(SB)/4, $0xbbbaf0ea
DATA ct0<>+12(SB)/4, $0xbbbaf0ea
DATA ct0<>+16(SB)/4, $0xbbbaf0ea
DATA ct0<>+20(SB)/4, $0xbbbaf0ea
DATA ct0<>+24(SB)/4, $0xbbbaf0ea
DATA ct0<>+28(SB)/4, $0xbbbaf0ea
GLOBL ct0<>(SB), RODATA|NOPTR, $32
DATA ct1<>+0(SB)/4, $0x3ca9134e
DATA ct1<>+4(SB)/4, $0x3ca9134e
DATA ct1<>+8(SB)/4, $0x3ca9134e
DATA ct1<>+12(SB)/4, $0x3ca9134e
DATA ct1<>+16(SB)/4, $0x3ca9134e
DATA ct1<>+20(SB)/4, $0x3ca9134e
DATA ct1<>+24(SB)/4, $0x3ca9134e
DATA ct1<>+28(SB)/4, $0x3ca9134e
GLOBL ct1<>(SB), RODATA|NOPTR, $32
DATA ct2<>+0(SB)/4, $0xbd5c1e2d
DATA ct2<>+4(SB)/4, $0xbd5c1e2d
DATA ct2<>+8(SB)/4, $0xbd5c1e2d
DATA ct2<>+12(SB)/4, $0xbd5c1e2d
DATA ct2<>+16(SB)/4, $0xbd5c1e2d
DATA ct2<>+20(SB)/4, $0xbd5c1e2d
DATA ct2<>+24(SB)/4, $0xbd5c1e2d
DATA ct2<>+28(SB)/4, $0xbd5c1e2d
GLOBL ct2<>(SB), RODATA|NOPTR, $32
DATA ct3<>+0(SB)/4, $0x3e088393
DATA ct3<>+4(SB)/4, $0x3e088393
DATA ct3<>+8(SB)/4, $0x3e088393
DATA ct3<>+12(SB)/4, $0x3e088393
DATA ct3<>+16(SB)/4, $0x3e088393
DATA ct3<>+20(SB)/4, $0x3e088393
DATA ct3<>+24(SB)/4, $0x3e088393
DATA ct3<>+28(SB)/4, $0x3e088393
GLOBL ct3<>(SB), RODATA|NOPTR, $32
DATA ct4<>+0(SB)/4, $0xbeaaaa99
DATA ct4<>+4(SB)/4, $0xbeaaaa99
DATA ct4<>+8(SB)/4, $0xbeaaaa99
DATA ct4<>+12(SB)/4, $0xbeaaaa99
DATA ct4<>+16(SB)/4, $0xbeaaaa99
DATA ct4<>+20(SB)/4, $0xbeaaaa99
DATA ct4<>+24(SB)/4, $0xbeaaaa99
DATA ct4<>+28(SB)/4, $0xbeaaaa99
GLOBL ct4<>(SB), RODATA|NOPTR, $32
DATA csmall<>+0(SB)/4, $0x3f200000
DATA csmall<>+4(SB)/4, $0x3f200000
DATA csmall<>+8(SB)/4, $0x3f200000
DATA csmall<>+12(SB)/4, $0x3f200000
DATA csmall<>+16(SB)/4, $0x3f200000
DATA csmall<>+20(SB)/4, $0x3f200000
DATA csmall<>+24(SB)/4, $0x3f200000
DATA csmall<>+28(SB)/4, $0x3f200000
GLOBL csmall<>(SB), RODATA|NOPTR, $32
DATA csign<>+0(SB)/4, $0x80000000
DATA csign<>+4(SB)/4, $0x80000000
DATA csign<>+8(SB)/4, $0x80000000
DATA csign<>+12(SB)/4, $0x80000000
DATA csign<>+16(SB)/4, $0x80000000
DATA csign<>+20(SB)/4, $0x80000000
DATA csign<>+24(SB)/4, $0x80000000
DATA csign<>+28(SB)/4, $0x80000000
GLOBL csign<>(SB), RODATA|NOPTR, $32
DATA cabs<>+0(SB)/4, $0x7fffffff
DATA cabs<>+4(SB)/4, $0x7fffffff
DATA cabs<>+8(SB)/4, $0x7fffffff
DATA cabs<>+12(SB)/4, $0x7fffffff
DATA cabs<>+16(SB)/4, $0x7fffffff
DATA cabs<>+20(SB)/4, $0x7fffffff
DATA cabs<>+24(SB)/4, $0x7fffffff
DATA cabs<>+28(SB)/4, $0x7fffffff
GLOBL cabs<>(SB), RODATA|NOPTR, $32
DATA cbias<>+0(SB)/4, $0x0000007f
DATA cbias<>+4(SB)/4, $0x0000007f
DATA cbias<>+8(SB)/4, $0x0000007f
DATA cbias<>+12(SB)/4, $0x0000007f
DATA cbias<>+16(SB)/4, $0x0000007f
DATA cbias<>+20(SB)/4, $0x0000007f
DATA cbias<>+24(SB)/4, $0x0000007f
DATA cbias<>+28(SB)/4, $0x0000007f
GLOBL cbias<>(SB), RODATA|NOPTR, $32

// EXP sets Y0 = exp(Y0) for Y0 in [-87.33, 88.37] (clamped by the caller).
// Cephes expf: x = n*ln2 + r, |r| ≤ ln2/2, e^r by a degree-7 polynomial,
// 2^n built in the exponent bits. Clobbers Y1, Y2.
#define EXP \
	VMULPS cl2e<>(SB), Y0, Y1 \
	VROUNDPS $0, Y1, Y1 \
	VFNMADD231PS cln2hi<>(SB), Y1, Y0 \
	VFNMADD231PS cln2lo<>(SB), Y1, Y0 \
	VCVTPS2DQ Y1, Y1 \
	VPADDD cbias<>(SB), Y1, Y1 \
	VPSLLD $23, Y1, Y1 \
	VMOVUPS cp0<>(SB), Y2 \
	VFMADD213PS cp1<>(SB), Y0, Y2 \
	VFMADD213PS cp2<>(SB), Y0, Y2 \
	VFMADD213PS cp3<>(SB), Y0, Y2 \
	VFMADD213PS cp4<>(SB), Y0, Y2 \
	VFMADD213PS cp5<>(SB), Y0, Y2 \
	VFMADD213PS cone<>(SB), Y0, Y2 \
	VFMADD213PS cone<>(SB), Y0, Y2 \
	VMULPS Y1, Y2, Y0

// SIGMOID sets Y0 = 1/(1+exp(-Y0)). NaN stays NaN (min/max return their
// second source, x, on NaN). Clobbers Y1-Y3.
#define SIGMOID \
	VXORPS csign<>(SB), Y0, Y0 \
	VMOVUPS clo<>(SB), Y3 \
	VMAXPS Y0, Y3, Y0 \
	VMOVUPS chi<>(SB), Y3 \
	VMINPS Y0, Y3, Y0 \
	EXP \
	VADDPS cone<>(SB), Y0, Y0 \
	VMOVUPS cone<>(SB), Y1 \
	VDIVPS Y0, Y1, Y0

// TANH sets Y0 = tanh(Y0): x + x³P(x²) for |x| < 0.625 (Cephes tanhf),
// else sign(x)*(1 - 2/(exp(2|x|)+1)). Clobbers Y1-Y5.
#define TANH \
	VMOVAPS Y0, Y4 \
	VANDPS cabs<>(SB), Y0, Y5 \
	VADDPS Y5, Y5, Y0 \
	VMOVUPS chi<>(SB), Y3 \
	VMINPS Y0, Y3, Y0 \
	EXP \
	VADDPS cone<>(SB), Y0, Y0 \
	VMOVUPS ctwo<>(SB), Y1 \
	VDIVPS Y0, Y1, Y0 \
	VMOVUPS cone<>(SB), Y1 \
	VSUBPS Y0, Y1, Y0 \
	VANDPS csign<>(SB), Y4, Y1 \
	VORPS Y1, Y0, Y0 \
	VMULPS Y4, Y4, Y1 \
	VMOVUPS ct0<>(SB), Y2 \
	VFMADD213PS ct1<>(SB), Y1, Y2 \
	VFMADD213PS ct2<>(SB), Y1, Y2 \
	VFMADD213PS ct3<>(SB), Y1, Y2 \
	VFMADD213PS ct4<>(SB), Y1, Y2 \
	VMULPS Y4, Y1, Y1 \
	VFMADD213PS Y4, Y1, Y2 \
	VCMPPS $1, csmall<>(SB), Y5, Y1 \
	VBLENDVPS Y1, Y2, Y0, Y0

// func sigmoidVec(dst, x *float32, n int)   n a multiple of 8
TEXT ·sigmoidVec(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	TESTQ CX, CX
	JEQ  sdone

sloop:
	VMOVUPS (SI), Y0
	SIGMOID
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  sloop

sdone:
	VZEROUPPER
	RET

// func tanhVec(dst, x *float32, n int)   n a multiple of 8
TEXT ·tanhVec(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	TESTQ CX, CX
	JEQ  tdone

tloop:
	VMOVUPS (SI), Y0
	TANH
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  tloop

tdone:
	VZEROUPPER
	RET

// func lstmRow(z, cPrev, c, tc, h *float32, hid, n int)
// One batch row of LSTMCell for columns j < n (n a multiple of 8); the gate
// blocks of z are hid floats apart.
TEXT ·lstmRow(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ cPrev+8(FP), BX
	MOVQ c+16(FP), R10
	MOVQ tc+24(FP), DX
	MOVQ h+32(FP), DI
	MOVQ hid+40(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ n+48(FP), CX
	SHRQ $3, CX
	TESTQ CX, CX
	JEQ  fdone

floop:
	VMOVUPS (SI), Y0
	SIGMOID
	VMOVUPS Y0, (SI)
	VMOVAPS Y0, Y6            // i
	VMOVUPS (SI)(R8*1), Y0
	SIGMOID
	VMOVUPS Y0, (SI)(R8*1)
	VMOVAPS Y0, Y7            // f
	VMOVUPS (SI)(R8*2), Y0
	TANH
	VMOVUPS Y0, (SI)(R8*2)    // g
	VMULPS Y0, Y6, Y6         // i*g
	VMOVUPS (BX), Y8
	VFMADD231PS Y8, Y7, Y6    // c = f*cPrev + i*g
	VMOVUPS Y6, (R10)
	VMOVUPS (SI)(R9*1), Y0
	SIGMOID
	VMOVUPS Y0, (SI)(R9*1)
	VMOVAPS Y0, Y7            // o
	VMOVAPS Y6, Y0
	TANH
	VMOVUPS Y0, (DX)          // tanh(c)
	VMULPS Y0, Y7, Y0
	VMOVUPS Y0, (DI)          // h = o*tanh(c)
	ADDQ $32, SI
	ADDQ $32, BX
	ADDQ $32, R10
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  floop

fdone:
	VZEROUPPER
	RET

// func lstmRowBackward(dz, act, cPrev, tc, dh, dc *float32, hid, n int)
// One batch row of LSTMCellBackward for columns j < n (n a multiple of 8).
TEXT ·lstmRowBackward(SB), NOSPLIT, $0-64
	MOVQ dz+0(FP), DI
	MOVQ act+8(FP), SI
	MOVQ cPrev+16(FP), BX
	MOVQ tc+24(FP), DX
	MOVQ dh+32(FP), R10
	MOVQ dc+40(FP), R11
	MOVQ hid+48(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ n+56(FP), CX
	SHRQ $3, CX
	TESTQ CX, CX
	JEQ  bdone
	VMOVUPS cone<>(SB), Y15

bloop:
	VMOVUPS (SI), Y0          // i
	VMOVUPS (SI)(R8*1), Y1    // f
	VMOVUPS (SI)(R8*2), Y2    // g
	VMOVUPS (SI)(R9*1), Y3    // o
	VMOVUPS (DX), Y4          // t
	VMOVUPS (R10), Y5         // dh
	// dcc = dc + dh*o*(1-t*t)
	VMOVAPS Y15, Y6
	VFNMADD231PS Y4, Y4, Y6   // 1-t*t
	VMULPS Y3, Y5, Y7         // dh*o
	VMOVUPS (R11), Y8
	VFMADD231PS Y6, Y7, Y8    // dcc
	// do = dh*t*o*(1-o)
	VSUBPS Y3, Y15, Y9        // 1-o
	VMULPS Y4, Y7, Y7         // dh*o*t
	VMULPS Y9, Y7, Y7
	VMOVUPS Y7, (DI)(R9*1)
	// di = dcc*g*i*(1-i)
	VSUBPS Y0, Y15, Y9
	VMULPS Y0, Y9, Y9
	VMULPS Y2, Y9, Y9
	VMULPS Y8, Y9, Y9
	VMOVUPS Y9, (DI)
	// df = dcc*cPrev*f*(1-f)
	VSUBPS Y1, Y15, Y9
	VMULPS Y1, Y9, Y9
	VMULPS (BX), Y9, Y9
	VMULPS Y8, Y9, Y9
	VMOVUPS Y9, (DI)(R8*1)
	// dg = dcc*i*(1-g*g)
	VMOVAPS Y15, Y9
	VFNMADD231PS Y2, Y2, Y9
	VMULPS Y0, Y9, Y9
	VMULPS Y8, Y9, Y9
	VMOVUPS Y9, (DI)(R8*2)
	// dc = dcc*f
	VMULPS Y1, Y8, Y8
	VMOVUPS Y8, (R11)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, BX
	ADDQ $32, DX
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ  bloop

bdone:
	VZEROUPPER
	RET

// The AVX-512 forms of EXP, SIGMOID and TANH: the same formulas on 16 lanes,
// constants broadcast from the first lane of the tables above.
#define EXP512 \
	VMULPS.BCST cl2e<>(SB), Z0, Z1 \
	VRNDSCALEPS $0, Z1, Z1 \
	VFNMADD231PS.BCST cln2hi<>(SB), Z1, Z0 \
	VFNMADD231PS.BCST cln2lo<>(SB), Z1, Z0 \
	VCVTPS2DQ Z1, Z1 \
	VPADDD.BCST cbias<>(SB), Z1, Z1 \
	VPSLLD $23, Z1, Z1 \
	VBROADCASTSS cp0<>(SB), Z2 \
	VFMADD213PS.BCST cp1<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cp2<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cp3<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cp4<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cp5<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cone<>(SB), Z0, Z2 \
	VFMADD213PS.BCST cone<>(SB), Z0, Z2 \
	VMULPS Z1, Z2, Z0

#define SIGMOID512 \
	VPXORD.BCST csign<>(SB), Z0, Z0 \
	VMAXPS Z0, Z28, Z0 \
	VMINPS Z0, Z29, Z0 \
	EXP512 \
	VADDPS Z30, Z0, Z0 \
	VDIVPS Z0, Z30, Z0

#define TANH512 \
	VMOVAPS Z0, Z4 \
	VPANDD.BCST cabs<>(SB), Z0, Z5 \
	VADDPS Z5, Z5, Z0 \
	VMINPS Z0, Z29, Z0 \
	EXP512 \
	VADDPS Z30, Z0, Z0 \
	VDIVPS Z0, Z31, Z0 \
	VSUBPS Z0, Z30, Z0 \
	VPANDD.BCST csign<>(SB), Z4, Z1 \
	VPORD Z1, Z0, Z0 \
	VMULPS Z4, Z4, Z1 \
	VBROADCASTSS ct0<>(SB), Z2 \
	VFMADD213PS.BCST ct1<>(SB), Z1, Z2 \
	VFMADD213PS.BCST ct2<>(SB), Z1, Z2 \
	VFMADD213PS.BCST ct3<>(SB), Z1, Z2 \
	VFMADD213PS.BCST ct4<>(SB), Z1, Z2 \
	VMULPS Z4, Z1, Z1 \
	VFMADD213PS Z4, Z1, Z2 \
	VCMPPS.BCST $1, csmall<>(SB), Z5, K1 \
	VMOVAPS Z2, K1, Z0

// func lstmRow512(z, cPrev, c, tc, h *float32, hid, n int)
// lstmRow on 16 lanes (AVX-512F); n a multiple of 16.
TEXT ·lstmRow512(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ cPrev+8(FP), BX
	MOVQ c+16(FP), R10
	MOVQ tc+24(FP), DX
	MOVQ h+32(FP), DI
	MOVQ hid+40(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ n+48(FP), CX
	SHRQ $4, CX
	TESTQ CX, CX
	JEQ  f5done
	VBROADCASTSS clo<>(SB), Z28
	VBROADCASTSS chi<>(SB), Z29
	VBROADCASTSS cone<>(SB), Z30
	VBROADCASTSS ctwo<>(SB), Z31

f5loop:
	VMOVUPS (SI), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)
	VMOVAPS Z0, Z6            // i
	VMOVUPS (SI)(R8*1), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)(R8*1)
	VMOVAPS Z0, Z7            // f
	VMOVUPS (SI)(R8*2), Z0
	TANH512
	VMOVUPS Z0, (SI)(R8*2)    // g
	VMULPS Z0, Z6, Z6         // i*g
	VFMADD231PS (BX), Z7, Z6  // c = f*cPrev + i*g
	VMOVUPS Z6, (R10)
	VMOVUPS (SI)(R9*1), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)(R9*1)
	VMOVAPS Z0, Z7            // o
	VMOVAPS Z6, Z0
	TANH512
	VMOVUPS Z0, (DX)          // tanh(c)
	VMULPS Z0, Z7, Z0
	VMOVUPS Z0, (DI)          // h = o*tanh(c)
	ADDQ $64, SI
	ADDQ $64, BX
	ADDQ $64, R10
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ  f5loop

f5done:
	VZEROUPPER
	RET

// func lstmBackward512(dz, act, cPrev, tc, dh, dc *float32, rows, hid int)
// lstmRowBackward on 16 lanes (AVX-512F) for rows consecutive rows; hid a
// multiple of 16. Gates (act, dz) rows are 4*hid apart, the rest hid.
TEXT ·lstmBackward512(SB), NOSPLIT, $0-64
	MOVQ dz+0(FP), DI
	MOVQ act+8(FP), SI
	MOVQ cPrev+16(FP), BX
	MOVQ tc+24(FP), DX
	MOVQ dh+32(FP), R10
	MOVQ dc+40(FP), R11
	MOVQ rows+48(FP), R12
	MOVQ hid+56(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ hid+56(FP), R13
	SHRQ $4, R13
	TESTQ R13, R13
	JEQ  b5done
	TESTQ R12, R12
	JEQ  b5done
	VBROADCASTSS cone<>(SB), Z15

b5row:
	MOVQ R13, CX

b5loop:
	VMOVUPS (SI), Z0          // i
	VMOVUPS (SI)(R8*1), Z1    // f
	VMOVUPS (SI)(R8*2), Z2    // g
	VMOVUPS (SI)(R9*1), Z3    // o
	VMOVUPS (DX), Z4          // t
	VMOVUPS (R10), Z5         // dh
	// dcc = dc + dh*o*(1-t*t)
	VMOVAPS Z15, Z6
	VFNMADD231PS Z4, Z4, Z6   // 1-t*t
	VMULPS Z3, Z5, Z7         // dh*o
	VMOVUPS (R11), Z8
	VFMADD231PS Z6, Z7, Z8    // dcc
	// do = dh*t*o*(1-o)
	VSUBPS Z3, Z15, Z9        // 1-o
	VMULPS Z4, Z7, Z7         // dh*o*t
	VMULPS Z9, Z7, Z7
	VMOVUPS Z7, (DI)(R9*1)
	// di = dcc*g*i*(1-i)
	VSUBPS Z0, Z15, Z9
	VMULPS Z0, Z9, Z9
	VMULPS Z2, Z9, Z9
	VMULPS Z8, Z9, Z9
	VMOVUPS Z9, (DI)
	// df = dcc*cPrev*f*(1-f)
	VSUBPS Z1, Z15, Z9
	VMULPS Z1, Z9, Z9
	VMULPS (BX), Z9, Z9
	VMULPS Z8, Z9, Z9
	VMOVUPS Z9, (DI)(R8*1)
	// dg = dcc*i*(1-g*g)
	VMOVAPS Z15, Z9
	VFNMADD231PS Z2, Z2, Z9
	VMULPS Z0, Z9, Z9
	VMULPS Z8, Z9, Z9
	VMOVUPS Z9, (DI)(R8*2)
	// dc = dcc*f
	VMULPS Z1, Z8, Z8
	VMOVUPS Z8, (R11)
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, BX
	ADDQ $64, DX
	ADDQ $64, R10
	ADDQ $64, R11
	DECQ CX
	JNZ  b5loop
	ADDQ R9, DI               // to the next row's gates
	ADDQ R9, SI
	DECQ R12
	JNZ  b5row

b5done:
	VZEROUPPER
	RET

// func lstmCell512(z, cPrev, c, tc, h *float32, rows, hid int)
// lstmRow512 for rows consecutive rows in one call; hid a multiple of 16.
// Gate rows (z) are 4*hid apart, the rest hid.
TEXT ·lstmCell512(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ cPrev+8(FP), BX
	MOVQ c+16(FP), R10
	MOVQ tc+24(FP), DX
	MOVQ h+32(FP), DI
	MOVQ rows+40(FP), R12
	MOVQ hid+48(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ hid+48(FP), R13
	SHRQ $4, R13
	TESTQ R13, R13
	JEQ  c5done
	TESTQ R12, R12
	JEQ  c5done
	VBROADCASTSS clo<>(SB), Z28
	VBROADCASTSS chi<>(SB), Z29
	VBROADCASTSS cone<>(SB), Z30
	VBROADCASTSS ctwo<>(SB), Z31

c5row:
	MOVQ R13, CX

c5loop:
	VMOVUPS (SI), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)
	VMOVAPS Z0, Z6            // i
	VMOVUPS (SI)(R8*1), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)(R8*1)
	VMOVAPS Z0, Z7            // f
	VMOVUPS (SI)(R8*2), Z0
	TANH512
	VMOVUPS Z0, (SI)(R8*2)    // g
	VMULPS Z0, Z6, Z6         // i*g
	VFMADD231PS (BX), Z7, Z6  // c = f*cPrev + i*g
	VMOVUPS Z6, (R10)
	VMOVUPS (SI)(R9*1), Z0
	SIGMOID512
	VMOVUPS Z0, (SI)(R9*1)
	VMOVAPS Z0, Z7            // o
	VMOVAPS Z6, Z0
	TANH512
	VMOVUPS Z0, (DX)          // tanh(c)
	VMULPS Z0, Z7, Z0
	VMOVUPS Z0, (DI)          // h = o*tanh(c)
	ADDQ $64, SI
	ADDQ $64, BX
	ADDQ $64, R10
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ  c5loop
	ADDQ R9, SI               // to the next row's gates
	DECQ R12
	JNZ  c5row

c5done:
	VZEROUPPER
	RET
