// Tests of the WAV reader and writer on WAV files built byte by byte here,
// cross-checked against go-audio's decoder.

package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-audio/wav"
)

// chunk returns a RIFF chunk: id, little-endian size, body and a pad byte
// if the body has an odd length.
func chunk(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// riffWAVE wraps chunks in a RIFF/WAVE header with a correct size.
func riffWAVE(chunks ...[]byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// fmtBody returns a 16-byte fmt chunk body.
func fmtBody(tag uint16, channels, rate, bits int) []byte {
	width := (bits + 7) / 8
	b := make([]byte, 16)
	binary.LittleEndian.PutUint16(b[0:], tag)
	binary.LittleEndian.PutUint16(b[2:], uint16(channels))
	binary.LittleEndian.PutUint32(b[4:], uint32(rate))
	binary.LittleEndian.PutUint32(b[8:], uint32(rate*channels*width))
	binary.LittleEndian.PutUint16(b[12:], uint16(channels*width))
	binary.LittleEndian.PutUint16(b[14:], uint16(bits))
	return b
}

// extBody returns a 40-byte WAVE_FORMAT_EXTENSIBLE fmt body whose subformat
// GUID starts with sub and ends with the standard suffix.
func extBody(sub uint16, channels, rate, bits, validBits int) []byte {
	b := fmtBody(formatExtensible, channels, rate, bits)
	ext := make([]byte, 24)
	binary.LittleEndian.PutUint16(ext[0:], 22)
	binary.LittleEndian.PutUint16(ext[2:], uint16(validBits))
	binary.LittleEndian.PutUint32(ext[4:], 0x3)
	binary.LittleEndian.PutUint16(ext[8:], sub)
	copy(ext[10:], guidSuffix[:])
	return append(b, ext...)
}

// pcm encodes integer samples little-endian in containers of the given
// width; 8-bit values are stored as given (unsigned).
func pcm(width int, vals ...int) []byte {
	var b []byte
	for _, v := range vals {
		u := uint32(int32(v))
		for k := range width {
			b = append(b, byte(u>>(8*k)))
		}
	}
	return b
}

// pcmWAV is a plain PCM WAV file of the given integer samples.
func pcmWAV(channels, rate, bits int, vals ...int) []byte {
	return riffWAVE(chunk("fmt ", fmtBody(formatPCM, channels, rate, bits)), chunk("data", pcm((bits+7)/8, vals...)))
}

func decodeBytes(b []byte, opts ReadOptions) (*Clip, error) {
	return DecodeWAV(bytes.NewReader(b), opts)
}

func TestDecodeWAV(t *testing.T) {
	list := chunk("LIST", []byte("INFOISFT\x05\x00\x00\x00arkit\x00"))
	tests := []struct {
		name string
		file []byte
		rate int
		want []float32
	}{
		{"8-bit unsigned", pcmWAV(1, 8000, 8, 0, 64, 128, 192, 255), 8000, []float32{-1, -0.5, 0, 0.5, 127.0 / 128}},
		{"16-bit", pcmWAV(1, 16000, 16, -32768, -16384, 0, 1, 32767), 16000, []float32{-1, -0.5, 0, 1.0 / 32768, 32767.0 / 32768}},
		{"24-bit", pcmWAV(1, 44100, 24, -1<<23, -1<<22, 0, 1<<22, 1<<23-1), 44100, []float32{-1, -0.5, 0, 0.5, float32((1<<23 - 1) / float64(1<<23))}},
		{"32-bit", pcmWAV(1, 48000, 32, math.MinInt32, -1<<30, 0, 1<<30, math.MaxInt32), 48000, []float32{-1, -0.5, 0, 0.5, 1}},
		{"12-bit left-justified in 16", pcmWAV(1, 8000, 12, -32768, 0x4000, 0), 8000, []float32{-1, 0.5, 0}},
		{"stereo 16-bit averaged", pcmWAV(2, 22050, 16, 16384, -16384, 16384, 16384, -32768, -32768), 22050, []float32{0, 0.5, -1}},
		{"stereo 8-bit averaged", pcmWAV(2, 8000, 8, 255, 1, 192, 192), 8000, []float32{0, 0.5}},
		{"6 channels 24-bit", pcmWAV(6, 48000, 24, 1<<22, 1<<22, 1<<22, -1<<22, -1<<22, -1<<22, 3<<21, 3<<21, 3<<21, 3<<21, 3<<21, 3<<21), 48000, []float32{0, 0.75}},
		{"extensible PCM 24 in 32", riffWAVE(chunk("fmt ", extBody(formatPCM, 1, 96000, 32, 24)), chunk("data", pcm(4, 1<<30, -1<<31))), 96000, []float32{0.5, -1}},
		{"extensible PCM 16 stereo", riffWAVE(chunk("fmt ", extBody(formatPCM, 2, 8000, 16, 16)), chunk("data", pcm(2, 8192, 8192))), 8000, []float32{0.25}},
		{"LIST before fmt", riffWAVE(list, chunk("fmt ", fmtBody(formatPCM, 1, 8000, 16)), chunk("data", pcm(2, 16384))), 8000, []float32{0.5}},
		{"data before fmt", riffWAVE(chunk("data", pcm(2, 16384, -16384)), chunk("fmt ", fmtBody(formatPCM, 1, 8000, 16))), 8000, []float32{0.5, -0.5}},
		{"odd chunk padded", riffWAVE(chunk("junk", []byte{1, 2, 3}), chunk("fmt ", fmtBody(formatPCM, 1, 8000, 8)), chunk("data", []byte{128, 0, 255})), 8000, []float32{0, -1, 127.0 / 128}},
		{"fmt of 18 bytes", riffWAVE(chunk("fmt ", append(fmtBody(formatPCM, 1, 11025, 16), 0, 0)), chunk("data", pcm(2, -16384))), 11025, []float32{-0.5}},
		{"trailing chunk after data", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1, 8000, 16)), chunk("data", pcm(2, 16384)), list), 8000, []float32{0.5}},
		{"trailing garbage", append(pcmWAV(1, 8000, 16, 16384), 1, 2, 3), 8000, []float32{0.5}},
		{"1 Hz", pcmWAV(1, 1, 16, 16384), 1, []float32{0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := decodeBytes(tt.file, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if clip.Rate != tt.rate {
				t.Errorf("rate %d, want %d", clip.Rate, tt.rate)
			}
			if !equalFloat32s(clip.Samples, tt.want) {
				t.Errorf("samples %v, want %v", clip.Samples, tt.want)
			}
		})
	}
}

func equalFloat32s(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDecodeWAVMatchesGoAudio decodes random PCM with DecodeWAV and with
// go-audio's decoder and compares the normalised, averaged samples.
func TestDecodeWAVMatchesGoAudio(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, bits := range []int{8, 16, 24, 32} {
		for _, channels := range []int{1, 2, 3} {
			const frames = 1000
			vals := make([]int, frames*channels)
			for i := range vals {
				if bits == 8 {
					vals[i] = rng.IntN(256)
				} else {
					vals[i] = int(rng.Int64N(1<<bits) - 1<<(bits-1))
				}
			}
			file := pcmWAV(channels, 8000, bits, vals...)
			clip, err := decodeBytes(file, ReadOptions{})
			if err != nil {
				t.Fatalf("%d-bit x%d: %v", bits, channels, err)
			}
			dec := wav.NewDecoder(bytes.NewReader(file))
			buf, err := dec.FullPCMBuffer()
			if err != nil || dec.Err() != nil {
				t.Fatalf("%d-bit x%d: go-audio: %v, %v", bits, channels, err, dec.Err())
			}
			if len(buf.Data) != len(vals) || len(clip.Samples) != frames {
				t.Fatalf("%d-bit x%d: go-audio %d values, DecodeWAV %d frames, want %d and %d", bits, channels, len(buf.Data), len(clip.Samples), len(vals), frames)
			}
			for f := range frames {
				var sum float64
				for c := range channels {
					v := float64(buf.Data[f*channels+c])
					if bits == 8 {
						v -= 128
					}
					sum += v / math.Exp2(float64(bits-1))
				}
				if want := float32(sum / float64(channels)); clip.Samples[f] != want {
					t.Fatalf("%d-bit x%d frame %d: %v, go-audio gives %v", bits, channels, f, clip.Samples[f], want)
				}
			}
		}
	}
}

func TestDecodeWAVErrors(t *testing.T) {
	good := pcmWAV(1, 8000, 16, 1, 2, 3, 4)
	fmt16 := chunk("fmt ", fmtBody(formatPCM, 1, 8000, 16))
	badGUID := extBody(formatPCM, 1, 8000, 16, 16)
	badGUID[39] ^= 0xFF
	hugeData := riffWAVE(fmt16, []byte("data\xf0\xff\xff\xff"), pcm(2, 1, 2))
	misaligned := fmtBody(formatPCM, 2, 8000, 16)
	binary.LittleEndian.PutUint16(misaligned[12:], 2)
	shortExt := extBody(formatPCM, 1, 8000, 16, 16)[:18]
	binary.LittleEndian.PutUint16(shortExt[16:], 0)

	tests := []struct {
		name    string
		file    []byte
		opts    ReadOptions
		want    error
		message string
	}{
		{"empty file", nil, ReadOptions{}, ErrNotWAV, "0 bytes"},
		{"text", []byte("hello, this is not audio at all"), ReadOptions{}, ErrNotWAV, `"hell"`},
		{"MP3 with ID3 tag", []byte("ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb"), ReadOptions{}, ErrNotWAV, "ID3"},
		{"AVI", []byte("RIFF\x04\x00\x00\x00AVI LIST"), ReadOptions{}, ErrNotWAV, "AVI"},
		{"RIFX", []byte("RIFX\x04\x00\x00\x00WAVE"), ReadOptions{}, ErrUnsupportedFormat, "RIFX"},
		{"RF64", []byte("RF64\xff\xff\xff\xffWAVE"), ReadOptions{}, ErrUnsupportedFormat, "RF64"},
		{"truncated RIFF header", good[:10], ReadOptions{}, ErrNotWAV, "too short"},
		{"header only", good[:12], ReadOptions{}, ErrMalformed, "no fmt chunk"},
		{"truncated fmt chunk", good[:30], ReadOptions{}, ErrTruncated, "fmt chunk"},
		{"no data chunk", good[:36], ReadOptions{}, ErrMalformed, "no data chunk"},
		{"truncated data", good[:len(good)-3], ReadOptions{}, ErrTruncated, "data chunk declares 8 bytes but only 5 follow"},
		{"hostile data size", hugeData, ReadOptions{}, ErrTruncated, "4294967280"},
		{"empty data", riffWAVE(fmt16, chunk("data", nil)), ReadOptions{}, ErrEmpty, "empty"},
		{"no fmt", riffWAVE(chunk("data", pcm(2, 1))), ReadOptions{}, ErrMalformed, "no fmt chunk"},
		{"short fmt", riffWAVE(chunk("fmt ", make([]byte, 14)), chunk("data", pcm(2, 1))), ReadOptions{}, ErrMalformed, "fmt chunk of 14 bytes"},
		{"16-bit float", riffWAVE(chunk("fmt ", fmtBody(3, 1, 8000, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "16-bit IEEE float"},
		{"float NaN", floatWAV(1, 8000, 32, 0.5, math.NaN()), ReadOptions{}, ErrMalformed, "float sample 0 of frame 1 is not finite"},
		{"float infinity", floatWAV(2, 8000, 64, 0.5, 0, 0, math.Inf(-1)), ReadOptions{}, ErrMalformed, "float sample 1 of frame 1 is not finite"},
		{"float truncated", floatWAV(1, 8000, 64, 0.5, 0.25)[:52], ReadOptions{}, ErrTruncated, "data chunk declares 16 bytes but only 8 follow"},
		{"float partial frame", riffWAVE(chunk("fmt ", fmtBody(3, 1, 8000, 64)), chunk("data", make([]byte, 12))), ReadOptions{}, ErrMalformed, "whole number"},
		{"A-law", riffWAVE(chunk("fmt ", fmtBody(6, 1, 8000, 8)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "A-law"},
		{"mu-law", riffWAVE(chunk("fmt ", fmtBody(7, 1, 8000, 8)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "mu-law"},
		{"ADPCM", riffWAVE(chunk("fmt ", fmtBody(2, 1, 8000, 4)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "Microsoft ADPCM"},
		{"MP3 in WAV", riffWAVE(chunk("fmt ", fmtBody(0x55, 2, 44100, 0)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "MP3"},
		{"unknown tag", riffWAVE(chunk("fmt ", fmtBody(0x1234, 1, 8000, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "format 0x1234"},
		{"extensible 24-bit float", riffWAVE(chunk("fmt ", extBody(3, 1, 48000, 24, 24)), chunk("data", make([]byte, 6))), ReadOptions{}, ErrUnsupportedFormat, "24-bit IEEE float"},
		{"extensible mu-law", riffWAVE(chunk("fmt ", extBody(7, 1, 8000, 8, 8)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "mu-law"},
		{"extensible foreign GUID", riffWAVE(chunk("fmt ", badGUID), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "GUID"},
		{"extensible without extension", riffWAVE(chunk("fmt ", shortExt), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "extension"},
		{"extensible odd container", riffWAVE(chunk("fmt ", extBody(formatPCM, 1, 8000, 12, 12)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "12-bit container"},
		{"extensible valid bits too many", riffWAVE(chunk("fmt ", extBody(formatPCM, 1, 8000, 16, 20)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "20 valid bits"},
		{"zero channels", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 0, 8000, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "0 channels"},
		{"too many channels", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1000, 8000, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "1000 channels"},
		{"zero rate", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1, 0, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "sample rate 0"},
		{"absurd rate", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1, 4000000000, 16)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "sample rate 4000000000"},
		{"4-bit", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1, 8000, 4)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "4 bits"},
		{"64-bit", riffWAVE(chunk("fmt ", fmtBody(formatPCM, 1, 8000, 64)), chunk("data", make([]byte, 8))), ReadOptions{}, ErrUnsupportedFormat, "64 bits"},
		{"block align", riffWAVE(chunk("fmt ", misaligned), chunk("data", make([]byte, 8))), ReadOptions{}, ErrMalformed, "block align 2, want 4"},
		{"partial frame", riffWAVE(fmt16, chunk("data", []byte{1, 2, 3})), ReadOptions{}, ErrMalformed, "whole number"},
		{"too long", pcmWAV(1, 4, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9), ReadOptions{MaxDuration: 2 * time.Second}, ErrTooLong, "2.2 s at 4 Hz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := decodeBytes(tt.file, tt.opts)
			if err == nil {
				t.Fatalf("got a clip of %d samples, want an error", len(clip.Samples))
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q does not wrap %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "audio: ") || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q, want the prefix \"audio: \" and %q", err, tt.message)
			}
		})
	}
}

// floatWAV returns a WAV file of IEEE float samples (bits 32 or 64), with a
// plain header; interleaved values for several channels.
func floatWAV(channels, rate, bits int, vals ...float64) []byte {
	return riffWAVE(chunk("fmt ", fmtBody(formatFloat, channels, rate, bits)), chunk("data", floats(bits, vals...)))
}

// floats returns little-endian IEEE float samples of 32 or 64 bits.
func floats(bits int, vals ...float64) []byte {
	var b []byte
	for _, v := range vals {
		if bits == 32 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		} else {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

func TestDecodeFloatWAV(t *testing.T) {
	vals := []float64{0, 0.5, -0.25, 1, -1, 1.5, -3, 0.125}
	want := []float32{0, 0.5, -0.25, 1, -1, 1, -1, 0.125} // clamped to [-1, 1]
	stereo := []float32{0.25, 0.375, 0, -0.4375}
	for _, bits := range []int{32, 64} {
		for _, ext := range []bool{false, true} {
			fmtChunk := fmtBody(formatFloat, 1, 16000, bits)
			fmt2 := fmtBody(formatFloat, 2, 16000, bits)
			if ext {
				fmtChunk = extBody(formatFloat, 1, 16000, bits, bits)
				fmt2 = extBody(formatFloat, 2, 16000, bits, bits)
			}
			clip, err := decodeBytes(riffWAVE(chunk("fmt ", fmtChunk), chunk("data", floats(bits, vals...))), ReadOptions{})
			if err != nil {
				t.Fatalf("%d-bit float, extensible %v: %v", bits, ext, err)
			}
			if clip.Rate != 16000 || !equalFloat32s(clip.Samples, want) {
				t.Errorf("%d-bit float, extensible %v: %d Hz %v, want 16000 Hz %v", bits, ext, clip.Rate, clip.Samples, want)
			}
			clip, err = decodeBytes(riffWAVE(chunk("fmt ", fmt2), chunk("data", floats(bits, vals...))), ReadOptions{})
			if err != nil {
				t.Fatalf("%d-bit float stereo, extensible %v: %v", bits, ext, err)
			}
			if !equalFloat32s(clip.Samples, stereo) {
				t.Errorf("%d-bit float stereo, extensible %v: %v, want %v", bits, ext, clip.Samples, stereo)
			}
		}
	}
}

func TestReadOptionsMaxDuration(t *testing.T) {
	file := pcmWAV(1, 1000, 16, make([]int, 2000)...) // 2 s
	for _, tt := range []struct {
		max time.Duration
		ok  bool
	}{{0, true}, {-time.Second, true}, {2 * time.Second, true}, {1999 * time.Millisecond, false}, {time.Second, false}} {
		_, err := decodeBytes(file, ReadOptions{MaxDuration: tt.max})
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrTooLong)) {
			t.Errorf("MaxDuration %v: error %v, want ok=%v", tt.max, err, tt.ok)
		}
	}
}

// TestDecodeWAVOffset reads a WAV file that starts in the middle of a stream.
func TestDecodeWAVOffset(t *testing.T) {
	r := bytes.NewReader(append([]byte("prefix"), pcmWAV(1, 8000, 16, 16384)...))
	if _, err := r.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	clip, err := DecodeWAV(r, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !equalFloat32s(clip.Samples, []float32{0.5}) {
		t.Errorf("samples %v, want [0.5]", clip.Samples)
	}
}

func TestReadWAVErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.wav")
	if err := os.WriteFile(text, []byte("this is not a WAV file"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadWAV(text, ReadOptions{})
	if !errors.Is(err, ErrNotWAV) || !strings.Contains(err.Error(), text) {
		t.Errorf("error %q, want ErrNotWAV naming %s", err, text)
	}
	missing := filepath.Join(dir, "missing.wav")
	_, err = ReadWAV(missing, ReadOptions{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q, want ErrNotExist naming %s", err, missing)
	}
}

// memFile is an in-memory io.ReadWriteSeeker.
type memFile struct {
	b   []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if need := m.pos + len(p); need > len(m.b) {
		m.b = append(m.b, make([]byte, need-len(m.b))...)
	}
	copy(m.b[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *memFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += int64(m.pos)
	case io.SeekEnd:
		offset += int64(len(m.b))
	}
	if offset < 0 {
		return 0, errors.New("negative offset")
	}
	m.pos = int(offset)
	return offset, nil
}

func TestWAVRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, rate := range []int{8000, 16000, 44100} {
		n := 20000 + rng.IntN(1000) // more than one encoder block
		exact := make([]float32, n)
		free := make([]float32, n)
		for i := range exact {
			exact[i] = float32(rng.IntN(65536)-32768) / 32768
			free[i] = rng.Float32()*2 - 1
		}
		for _, tt := range []struct {
			name    string
			samples []float32
			tol     float64
		}{{"16-bit values", exact, 0}, {"any values", free, 0.5 / 32768}} {
			var f memFile
			if err := EncodeWAV(&f, &Clip{Rate: rate, Samples: tt.samples}); err != nil {
				t.Fatal(err)
			}
			clip, err := decodeBytes(f.b, ReadOptions{})
			if err != nil {
				t.Fatalf("%s at %d Hz: %v", tt.name, rate, err)
			}
			if clip.Rate != rate || len(clip.Samples) != n {
				t.Fatalf("%s: read %d samples at %d Hz, want %d at %d", tt.name, len(clip.Samples), clip.Rate, n, rate)
			}
			for i, v := range clip.Samples {
				if d := math.Abs(float64(v - tt.samples[i])); d > tt.tol {
					t.Fatalf("%s at %d Hz, sample %d: %v, wrote %v", tt.name, rate, i, v, tt.samples[i])
				}
			}
		}
	}
}

// TestEncodeWAVClamps checks the values go-audio would wrap around, through
// go-audio's own decoder.
func TestEncodeWAVClamps(t *testing.T) {
	in := []float32{0, 1, -1, 1.5, -7, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0.5, 0.99999, -0.99999}
	want := []int{0, 32767, -32768, 32767, -32768, 0, 32767, -32768, 16384, 32767, -32768}
	var f memFile
	if err := EncodeWAV(&f, &Clip{Rate: 8000, Samples: in}); err != nil {
		t.Fatal(err)
	}
	dec := wav.NewDecoder(bytes.NewReader(f.b))
	buf, err := dec.FullPCMBuffer()
	if err != nil || dec.Err() != nil {
		t.Fatalf("go-audio cannot read the file: %v, %v", err, dec.Err())
	}
	if dec.BitDepth != 16 || dec.NumChans != 1 || dec.SampleRate != 8000 || dec.WavAudioFormat != 1 {
		t.Errorf("format %d-bit x%d at %d Hz, format %d; want 16-bit mono PCM at 8000 Hz", dec.BitDepth, dec.NumChans, dec.SampleRate, dec.WavAudioFormat)
	}
	if len(buf.Data) != len(want) {
		t.Fatalf("%d samples, want %d", len(buf.Data), len(want))
	}
	for i, v := range buf.Data {
		if v != want[i] {
			t.Errorf("sample %d (%v): %d, want %d", i, in[i], v, want[i])
		}
	}
	if size := binary.LittleEndian.Uint32(f.b[4:]); int(size) != len(f.b)-8 {
		t.Errorf("RIFF size %d, want %d", size, len(f.b)-8)
	}
}

func TestWriteWAV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wav")
	if err := os.WriteFile(path, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	clip := &Clip{Rate: 16000, Samples: []float32{0, 0.25, -0.25}}
	if err := WriteWAV(path, clip); err != nil {
		t.Fatal(err)
	}
	got, err := ReadWAV(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rate != clip.Rate || !equalFloat32s(got.Samples, clip.Samples) {
		t.Errorf("read back %+v, want %+v", got, clip)
	}

	// Refused clips leave the existing file alone and no temporary files.
	before, _ := os.ReadFile(path)
	for _, bad := range []*Clip{{Rate: 8000}, {Rate: 0, Samples: []float32{1}}, {Rate: MaxRate + 1, Samples: []float32{1}}} {
		err := WriteWAV(path, bad)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("WriteWAV(%+v): error %v, want one naming the path", bad, err)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused write changed the file")
	}
	if err := WriteWAV(filepath.Join(dir, "missing", "out.wav"), clip); err == nil {
		t.Error("WriteWAV into a missing folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only out.wav", len(entries))
	}
	if !errors.Is(WriteWAV(path, &Clip{Rate: 8000}), ErrEmpty) {
		t.Error("an empty clip does not give ErrEmpty")
	}
}

func TestEncodeWAVNeedsOffsetZero(t *testing.T) {
	f := memFile{b: []byte("junk"), pos: 4}
	err := EncodeWAV(&f, &Clip{Rate: 8000, Samples: []float32{0}})
	if err == nil || !strings.Contains(err.Error(), "offset 4") {
		t.Errorf("EncodeWAV at offset 4: error %v, want one naming the offset", err)
	}
}
