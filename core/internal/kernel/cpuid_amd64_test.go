//go:build amd64 && !purego

package kernel

import (
	"os"
	"strings"
	"testing"
)

// TestCPUVendor checks the CPUID vendor string against the kernel's
// /proc/cpuinfo where Linux provides one.
func TestCPUVendor(t *testing.T) {
	v := cpuVendor()
	if len(v) != 12 || strings.ContainsRune(v, 0) {
		t.Fatalf("cpuVendor() = %q: want 12 printable bytes", v)
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Logf("vendor %q (no /proc/cpuinfo to compare with: %v)", v, err)
		return
	}
	if !strings.Contains(string(info), "vendor_id\t: "+v+"\n") {
		t.Errorf("cpuVendor() = %q, not the vendor_id of /proc/cpuinfo", v)
	}
}
