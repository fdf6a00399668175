//go:build amd64 && !purego

package kernel

//go:noescape
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// cpuVendor returns CPUID's vendor string, such as "GenuineIntel" or
// "AuthenticAMD" (golang.org/x/sys/cpu reports features, not the vendor).
func cpuVendor() string {
	_, b, c, d := cpuid(0, 0)
	var v [12]byte
	for i, r := range [3]uint32{b, d, c} {
		v[4*i], v[4*i+1], v[4*i+2], v[4*i+3] = byte(r), byte(r>>8), byte(r>>16), byte(r>>24)
	}
	return string(v[:])
}

// isAMD reports whether this is an AMD CPU.
var isAMD = cpuVendor() == "AuthenticAMD"
