// Input plumbing shared by the file readers: transparent gunzip and bounded
// reads whose allocation follows the bytes actually present, not the sizes a
// header claims.

package pixels

import (
	"errors"
	"fmt"
	"io"
)

// readExactly reads exactly n bytes, then checks that r is at its end, which
// also makes a gzip stream verify its checksum. The buffer starts small and
// doubles up to n as data arrives, so a lying header cannot force a large
// allocation. A short stream gives an error wrapping ErrTruncated, a longer
// one an error wrapping ErrFormat.
func readExactly(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, 0, min(n, 1<<20))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, 2*int64(cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(buf)) < n {
		return nil, fmt.Errorf("%w: header promises %d data bytes, found %d", ErrTruncated, n, len(buf))
	}
	var extra [1]byte
	m, err := io.ReadFull(r, extra[:])
	if m > 0 {
		return nil, fmt.Errorf("%w: data continues past the %d bytes the header promises", ErrFormat, n)
	}
	if err != io.EOF {
		return nil, err
	}
	return buf, nil
}
