// Synthetic test inputs: IDX and .amat bytes and drawn images, all seeded, so
// that the tests never need the real data sets.

package pixels

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idxBytes encodes an unsigned-byte IDX file.
func idxBytes(dims []int, data []uint8) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// randomImages returns n images of size levels drawn with a seeded RNG.
func randomImages(seed uint64, n, size, levels int) [][]uint8 {
	rng := rand.New(rand.NewPCG(seed, 1))
	imgs := make([][]uint8, n)
	for i := range imgs {
		imgs[i] = make([]uint8, size)
		for j := range imgs[i] {
			imgs[i][j] = uint8(rng.IntN(levels))
		}
	}
	return imgs
}

// amatText writes binary 28x28 images in the .amat layout.
func amatText(imgs [][]uint8) []byte {
	var b strings.Builder
	for _, img := range imgs {
		for i, v := range img {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprint(&b, v)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// drawnShape returns a w x h RGBA image of a filled disc of colour fg on bg,
// centred at a seeded position.
func drawnShape(seed uint64, w, h int, fg, bg color.RGBA) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 2))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := rng.IntN(w), rng.IntN(h)
	rad := 1 + rng.IntN(max(1, min(w, h)/2))
	for y := range h {
		for x := range w {
			c := bg
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rad*rad {
				c = fg
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// writeFile writes data to dir/name, creating folders.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
