//go:build amd64 && !purego

// The exponential pass of SoftmaxCrossEntropy (vec.go): dst = exp(x - shift)
// with x - shift clamped to [expLo, expHi], and the sum of dst. The same
// Cephes expf as approx.go and lstm_amd64.s (whose constants are private to
// that file, hence the copies below), 16 or 8 lanes at a time.

#include "textflag.h"

DATA sxl2e<>+0(SB)/4, $0x3fb8aa3b
DATA sxln2hi<>+0(SB)/4, $0x3f318000
DATA sxln2lo<>+0(SB)/4, $0xb95e8083
DATA sxp0<>+0(SB)/4, $0x39506967
DATA sxp1<>+0(SB)/4, $0x3ab743ce
DATA sxp2<>+0(SB)/4, $0x3c088908
DATA sxp3<>+0(SB)/4, $0x3d2aa9c1
DATA sxp4<>+0(SB)/4, $0x3e2aaaaa
DATA sxp5<>+0(SB)/4, $0x3f000000
DATA sxone<>+0(SB)/4, $0x3f800000
DATA sxhi<>+0(SB)/4, $0x42b0bd71
DATA sxlo<>+0(SB)/4, $0xc2aea8f6
DATA sxbias<>+0(SB)/4, $0x0000007f
GLOBL sxl2e<>(SB), RODATA|NOPTR, $4
GLOBL sxln2hi<>(SB), RODATA|NOPTR, $4
GLOBL sxln2lo<>(SB), RODATA|NOPTR, $4
GLOBL sxp0<>(SB), RODATA|NOPTR, $4
GLOBL sxp1<>(SB), RODATA|NOPTR, $4
GLOBL sxp2<>(SB), RODATA|NOPTR, $4
GLOBL sxp3<>(SB), RODATA|NOPTR, $4
GLOBL sxp4<>(SB), RODATA|NOPTR, $4
GLOBL sxp5<>(SB), RODATA|NOPTR, $4
GLOBL sxone<>(SB), RODATA|NOPTR, $4
GLOBL sxhi<>(SB), RODATA|NOPTR, $4
GLOBL sxlo<>(SB), RODATA|NOPTR, $4
GLOBL sxbias<>(SB), RODATA|NOPTR, $4

// func expSum512(dst, x *float32, n int, shift float32) float32   n a multiple of 16
TEXT ·expSum512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS shift+24(FP), Z5
	VBROADCASTSS sxlo<>(SB), Z28
	VBROADCASTSS sxhi<>(SB), Z29
	VPXORD Z6, Z6, Z6
	SHRQ $4, CX
	TESTQ CX, CX
	JEQ  done

loop:
	VMOVUPS (SI), Z0
	VSUBPS Z5, Z0, Z0
	VMAXPS Z0, Z28, Z0
	VMINPS Z0, Z29, Z0
	VMULPS.BCST sxl2e<>(SB), Z0, Z1
	VRNDSCALEPS $0, Z1, Z1
	VFNMADD231PS.BCST sxln2hi<>(SB), Z1, Z0
	VFNMADD231PS.BCST sxln2lo<>(SB), Z1, Z0
	VCVTPS2DQ Z1, Z1
	VPADDD.BCST sxbias<>(SB), Z1, Z1
	VPSLLD $23, Z1, Z1
	VBROADCASTSS sxp0<>(SB), Z2
	VFMADD213PS.BCST sxp1<>(SB), Z0, Z2
	VFMADD213PS.BCST sxp2<>(SB), Z0, Z2
	VFMADD213PS.BCST sxp3<>(SB), Z0, Z2
	VFMADD213PS.BCST sxp4<>(SB), Z0, Z2
	VFMADD213PS.BCST sxp5<>(SB), Z0, Z2
	VFMADD213PS.BCST sxone<>(SB), Z0, Z2
	VFMADD213PS.BCST sxone<>(SB), Z0, Z2
	VMULPS Z1, Z2, Z0
	VMOVUPS Z0, (DI)
	VADDPS Z0, Z6, Z6
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop

done:
	VEXTRACTF64X4 $1, Z6, Y1
	VADDPS Y1, Y6, Y6
	VEXTRACTF128 $1, Y6, X1
	VADDPS X1, X6, X6
	VHADDPS X6, X6, X6
	VHADDPS X6, X6, X6
	VMOVSS X6, ret+32(FP)
	VZEROUPPER
	RET

// func expSum256(dst, x *float32, n int, shift float32) float32   n a multiple of 8
TEXT ·expSum256(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS shift+24(FP), Y5
	VBROADCASTSS sxlo<>(SB), Y8
	VBROADCASTSS sxhi<>(SB), Y9
	VBROADCASTSS sxl2e<>(SB), Y10
	VBROADCASTSS sxln2hi<>(SB), Y11
	VBROADCASTSS sxln2lo<>(SB), Y12
	VBROADCASTSS sxone<>(SB), Y13
	VXORPS Y6, Y6, Y6
	SHRQ $3, CX
	TESTQ CX, CX
	JEQ  done

loop:
	VMOVUPS (SI), Y0
	VSUBPS Y5, Y0, Y0
	VMAXPS Y0, Y8, Y0
	VMINPS Y0, Y9, Y0
	VMULPS Y10, Y0, Y1
	VROUNDPS $0, Y1, Y1
	VFNMADD231PS Y11, Y1, Y0
	VFNMADD231PS Y12, Y1, Y0
	VCVTPS2DQ Y1, Y1
	VBROADCASTSS sxbias<>(SB), Y3
	VPADDD Y3, Y1, Y1
	VPSLLD $23, Y1, Y1
	VBROADCASTSS sxp0<>(SB), Y2
	VBROADCASTSS sxp1<>(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS sxp2<>(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS sxp3<>(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS sxp4<>(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VBROADCASTSS sxp5<>(SB), Y3
	VFMADD213PS Y3, Y0, Y2
	VFMADD213PS Y13, Y0, Y2
	VFMADD213PS Y13, Y0, Y2
	VMULPS Y1, Y2, Y0
	VMOVUPS Y0, (DI)
	VADDPS Y0, Y6, Y6
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop

done:
	VEXTRACTF128 $1, Y6, X1
	VADDPS X1, X6, X6
	VHADDPS X6, X6, X6
	VHADDPS X6, X6, X6
	VMOVSS X6, ret+32(FP)
	VZEROUPPER
	RET
