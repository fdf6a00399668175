// The byte tokenizer: 256 ids, one per byte value. It takes any input,
// including binary files and text in any encoding.

package text

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ByteTokenizer maps each byte to its value. The zero value is ready to use.
type ByteTokenizer struct{}

var _ Tokenizer = ByteTokenizer{}

// Encode returns one id per byte of s. It never fails.
func (ByteTokenizer) Encode(s string) ([]int32, error) {
	ids := make([]int32, len(s))
	for i := 0; i < len(s); i++ {
		ids[i] = int32(s[i])
	}
	return ids, nil
}

// Decode returns the bytes of ids; the result may be invalid UTF-8.
// It panics if an id is outside [0, 256).
func (t ByteTokenizer) Decode(ids []int32) string {
	return string(t.appendDecode(make([]byte, 0, len(ids)), ids))
}

func (ByteTokenizer) appendDecode(dst []byte, ids []int32) []byte {
	for _, id := range ids {
		checkID(KindByte, id, 256)
		dst = append(dst, byte(id))
	}
	return dst
}

// Size returns 256.
func (ByteTokenizer) Size() int { return 256 }

// Kind returns KindByte.
func (ByteTokenizer) Kind() string { return KindByte }

// unmarshalByte accepts the "{}" that MarshalTokenizer writes (and an empty
// string, for metadata written without data).
func unmarshalByte(data string) (ByteTokenizer, error) {
	if strings.TrimSpace(data) == "" {
		return ByteTokenizer{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &fields); err != nil || fields == nil {
		return ByteTokenizer{}, fmt.Errorf("%w: byte: want {}", ErrInvalidTokenizer)
	}
	if len(fields) > 0 {
		return ByteTokenizer{}, fmt.Errorf("%w: byte: unexpected fields, want {}", ErrInvalidTokenizer)
	}
	return ByteTokenizer{}, nil
}
