// The safetensors container: an 8-byte little-endian header length, a JSON
// header naming each tensor's dtype, shape and byte range, then the
// little-endian tensor bytes. arkit writes F32 and reads F32, F16, BF16 and
// F64 (converted to float32). Reading validates everything before it
// allocates: a malformed or hostile file gives an error, never a panic or an
// allocation larger than the file itself.

package core

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// MaxHeaderBytes bounds the JSON header of a safetensors file.
const MaxHeaderBytes = 64 << 20

// ErrFormat is wrapped by every error about a malformed model file.
var ErrFormat = errors.New("malformed safetensors file")

// Tensor is a named float32 tensor.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Tensors is the content of a safetensors file: tensors and string metadata.
type Tensors struct {
	List []Tensor
	Meta map[string]string
}

// Get returns the tensor with the given name.
func (ts *Tensors) Get(name string) (Tensor, bool) {
	for _, t := range ts.List {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

type tensorHeader struct {
	Dtype   string  `json:"dtype"`
	Shape   []int64 `json:"shape"`
	Offsets []int64 `json:"data_offsets"`
}

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// ReadTensors parses a whole safetensors file held in memory.
func ReadTensors(buf []byte) (*Tensors, error) {
	if len(buf) < 8 {
		return nil, formatErr("%d bytes, too short for a header", len(buf))
	}
	n := binary.LittleEndian.Uint64(buf)
	if n > MaxHeaderBytes {
		return nil, formatErr("header length %d exceeds the %d limit", n, MaxHeaderBytes)
	}
	if n > uint64(len(buf)-8) {
		return nil, formatErr("header length %d exceeds the file (%d bytes)", n, len(buf))
	}
	head := buf[8 : 8+n]
	data := buf[8+n:]
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(head))
	if err := dec.Decode(&raw); err != nil {
		return nil, formatErr("header is not a JSON object: %v", err)
	}
	ts := &Tensors{Meta: map[string]string{}}
	if m, ok := raw["__metadata__"]; ok {
		if err := json.Unmarshal(m, &ts.Meta); err != nil {
			return nil, formatErr("__metadata__ is not a map of strings: %v", err)
		}
		delete(raw, "__metadata__")
	}
	type span struct {
		b, e int64
		name string
	}
	var spans []span
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var th tensorHeader
		if err := json.Unmarshal(raw[name], &th); err != nil {
			return nil, formatErr("tensor %q: %v", name, err)
		}
		size := 0
		switch th.Dtype {
		case "F32":
			size = 4
		case "F16", "BF16":
			size = 2
		case "F64":
			size = 8
		default:
			return nil, formatErr("tensor %q: dtype %q is not supported (F32, F16, BF16, F64)", name, th.Dtype)
		}
		if len(th.Offsets) != 2 {
			return nil, formatErr("tensor %q: data_offsets must hold 2 numbers", name)
		}
		count := int64(1)
		shape := make([]int, len(th.Shape))
		for i, d := range th.Shape {
			if d < 0 || (d > 0 && count > math.MaxInt32/d) {
				return nil, formatErr("tensor %q: shape %v is invalid", name, th.Shape)
			}
			count *= d
			shape[i] = int(d)
		}
		b, e := th.Offsets[0], th.Offsets[1]
		if b < 0 || e < b || e > int64(len(data)) {
			return nil, formatErr("tensor %q: byte range [%d, %d) outside the %d data bytes", name, b, e, len(data))
		}
		if e-b != count*int64(size) {
			return nil, formatErr("tensor %q: shape %v of %s needs %d bytes, range holds %d", name, th.Shape, th.Dtype, count*int64(size), e-b)
		}
		spans = append(spans, span{b, e, name})
		ts.List = append(ts.List, Tensor{Name: name, Shape: shape, Data: decodeFloats(data[b:e], th.Dtype, int(count))})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].b < spans[j].b })
	for i := 1; i < len(spans); i++ {
		if spans[i].b < spans[i-1].e {
			return nil, formatErr("tensors %q and %q overlap", spans[i-1].name, spans[i].name)
		}
	}
	return ts, nil
}

func decodeFloats(b []byte, dtype string, n int) []float32 {
	out := make([]float32, n)
	switch dtype {
	case "F32":
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case "F64":
		for i := range out {
			out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	case "BF16":
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
	case "F16":
		for i := range out {
			out[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
		}
	}
	return out
}

// halfToFloat converts an IEEE 754 binary16 value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0:
		if frac == 0 {
			return math.Float32frombits(sign)
		}
		v := float32(frac) / (1 << 24) // subnormal: frac·2^-24
		if sign != 0 {
			return -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// ReadTensorsFile reads a safetensors file; errors name the file.
func ReadTensorsFile(path string) (*Tensors, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ts, err := ReadTensors(buf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ts, nil
}

// WriteTensors writes ts in the safetensors format (F32, tensors in name
// order, header padded with spaces to a multiple of 8 bytes).
func WriteTensors(w io.Writer, ts *Tensors) error {
	list := append([]Tensor(nil), ts.List...)
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	if len(ts.Meta) > 0 {
		mb, err := json.Marshal(ts.Meta)
		if err != nil {
			return err
		}
		hdr.WriteString(`"__metadata__":`)
		hdr.Write(mb)
	}
	var off int64
	for i, t := range list {
		if numel(t.Shape) != len(t.Data) {
			return fmt.Errorf("core: tensor %q: shape %v for %d values", t.Name, t.Shape, len(t.Data))
		}
		if i > 0 || len(ts.Meta) > 0 {
			hdr.WriteByte(',')
		}
		nb, _ := json.Marshal(t.Name)
		sb, _ := json.Marshal(append([]int{}, t.Shape...))
		end := off + 4*int64(len(t.Data))
		fmt.Fprintf(&hdr, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, nb, sb, off, end)
		off = end
	}
	hdr.WriteByte('}')
	for (8+hdr.Len())%8 != 0 {
		hdr.WriteByte(' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(hdr.Len()))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, t := range list {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err := w.Write(buf)
	return err
}
