// Limits of the model-file reader: a file whose header claims a huge header
// or huge tensors is refused with ErrFormat before anything of the claimed
// size is allocated, and a well-formed file costs memory in proportion to
// its size. Allocations are measured with runtime.MemStats.

package core

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes that f allocates on the heap in all, and
// those still live after it returns (what it keeps, such as its result).
func allocated(f func()) (total, live int64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	total = int64(after.TotalAlloc - before.TotalAlloc)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return total, int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

func TestHostileHeadersAllocateLittle(t *testing.T) {
	length := func(n uint64, rest string) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, n), rest...)
	}
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"header of 1 TB", length(1<<40, "{}"), "header length 1099511627776 exceeds the 67108864 limit"},
		{"header of 2^64-1 bytes", length(1<<64-1, "{}"), "exceeds the 67108864 limit"},
		{"header one byte over the limit", length(MaxHeaderBytes+1, "{}"), "exceeds the 67108864 limit"},
		{"header at the limit, file short", length(MaxHeaderBytes, "{}"), "header length 67108864 exceeds the file (10 bytes)"},
		{"tensor of 10^12 values", header(`{"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4000000000000]}}`),
			"shape [1000000 1000000] is invalid"},
		{"tensor of 10^12 values in many dimensions", header(`{"w":{"dtype":"F64","shape":[10,10,10,10,10,10,10,10,10,10,10,10],"data_offsets":[0,8]}}`),
			"is invalid"},
		{"tensor of 2^31-1 values past the end", header(`{"w":{"dtype":"F32","shape":[2147483647],"data_offsets":[0,8589934588]}}`),
			"byte range [0, 8589934588) outside the 0 data bytes"},
		{"offsets beyond int64", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}`),
			`tensor "w"`},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, "m.safetensors")
		if err := os.WriteFile(path, c.file, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		n, _ := allocated(func() { _, err = LoadModel(path) })
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want ErrFormat saying %q", c.name, err, c.want)
		}
		if n > 256<<10 {
			t.Errorf("%s: allocated %d bytes for a %d-byte file", c.name, n, len(c.file))
		}
		t.Logf("%s: %d bytes allocated", c.name, n)
	}
}

// TestReadCostIsProportional reads a well-formed model of 3 MB and a
// header of 1 MB holding 20,000 empty tensors, the costliest kind of header
// per byte. What the reader keeps (the tensors) and what it allocates in
// all (garbage included) are small multiples of the file size, so the file
// size and MaxHeaderBytes bound what a file can make the reader allocate.
func TestReadCostIsProportional(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model.safetensors")
	m := NewModel(Config{Vocab: 64, Embed: 32, Hidden: 256, Layers: 2}, rng(1))
	if err := m.Save(model, nil, nil); err != nil {
		t.Fatal(err)
	}
	var many strings.Builder
	many.WriteString("{")
	for i := range 20000 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `"%x":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`, i)
	}
	many.WriteString("}")
	crowded := filepath.Join(dir, "crowded.safetensors")
	if err := os.WriteFile(crowded, header(many.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path        string
		total, live float64 // bounds, in multiples of the file size
	}{{model, 2.5, 1.2}, {crowded, 32, 3}} {
		st, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		var ts *Tensors
		total, live := allocated(func() { ts, err = ReadTensorsFile(c.path) })
		if err != nil {
			t.Fatal(err)
		}
		size := float64(st.Size())
		if float64(total) > c.total*size || float64(live) > c.live*size {
			t.Errorf("%s: %d bytes of file cost %d bytes allocated (%.1fx, want at most %gx) and %d kept (%.1fx, want at most %gx)",
				filepath.Base(c.path), st.Size(), total, float64(total)/size, c.total, live, float64(live)/size, c.live)
		}
		t.Logf("%s: %d tensors, %d bytes of file, %d allocated (%.1fx), %d kept (%.1fx)",
			filepath.Base(c.path), len(ts.List), st.Size(), total, float64(total)/size, live, float64(live)/size)
	}
}
