// MP3 input through github.com/hajimehoshi/go-mp3 (MPEG-1 and MPEG-2 layer
// III). go-mp3 scans the frame headers first, which gives the length to
// check against ReadOptions.MaxDuration before any frame is decoded. Its
// output is always 16-bit stereo; the two channels are averaged.
//
// An MP3 file holds more samples than the recording it was made from: the
// encoder's delay and padding, and the decoder's own delay of 529 samples
// (go-mp3's synthesis filterbank, as every ISO decoder's). The LAME tag, in
// the Xing/Info frame that LAME and ffmpeg write first, records the encoder's
// delay and padding; they are trimmed here so that the clip lines up with the
// recording (see mp3Gaps).

package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// mp3DecoderDelay is the delay of go-mp3's layer III decoder in samples,
// measured: a LAME-tagged MP3 of a clip lines up with the clip after the tag
// frame, the tag's encoder delay and this many samples (TestMP3Gapless).
const mp3DecoderDelay = 529

// unsupportedError is an ErrUnsupportedFormat with its own message, for the
// formats other than WAV.
type unsupportedError struct{ msg string }

func (e unsupportedError) Error() string { return e.msg }
func (e unsupportedError) Unwrap() error { return ErrUnsupportedFormat }

// mp3Gaps describes the samples of an MP3 stream that are not the
// recording's.
type mp3Gaps struct {
	tagFrame int  // samples decoded from the Xing/Info frame, 0 without one
	delay    int  // encoder delay from the LAME tag
	padding  int  // encoder padding from the LAME tag
	lame     bool // a LAME tag gave delay and padding
}

// readMP3Gaps reads the first frame header of r and, when that frame is a
// Xing/Info frame, the LAME tag that follows its fields. The tag's offsets
// (all in bytes from the start of the tag, which follows the Xing fields):
// 9 bytes of encoder name, then at offset 21 three bytes holding the
// encoder delay (12 bits) and the padding (12 bits). MPEG-2.5 and layers
// other than III are refused: go-mp3 decodes neither.
func readMP3Gaps(r io.ReaderAt) (mp3Gaps, error) {
	var g mp3Gaps
	var b [256]byte
	n, err := r.ReadAt(b[:], 0)
	if err != nil && err != io.EOF {
		return g, err
	}
	h := b[:n]
	if !mpegHeader(h) {
		return g, nil // go-mp3 searches for the first frame itself
	}
	version, layer := h[1]>>3&3, h[1]>>1&3
	switch {
	case version == 0:
		return g, unsupportedError{"unsupported MP3 file: MPEG-2.5 (the 8, 11.025 and 12 kHz rates) is not decoded: go-mp3 v0.3.4 refuses it; convert to WAV or FLAC, e.g. with sox"}
	case layer != 1:
		return g, unsupportedError{fmt.Sprintf("unsupported MP3 file: MPEG layer %d, only layer III is decoded", 4-layer)}
	}
	mono := h[3]>>6 == 3
	side, spf := 17, 576 // MPEG-2
	if version == 3 {    // MPEG-1
		side, spf = 32, 1152
		if mono {
			side = 17
		}
	} else if mono {
		side = 9
	}
	off := 4 + side
	if h[1]&1 == 0 { // a CRC follows the header
		off += 2
	}
	if len(h) < off+8 || (string(h[off:off+4]) != "Xing" && string(h[off:off+4]) != "Info") {
		return g, nil
	}
	g.tagFrame = spf
	flags := uint32(h[off+4])<<24 | uint32(h[off+5])<<16 | uint32(h[off+6])<<8 | uint32(h[off+7])
	off += 8
	for _, f := range []struct {
		bit  uint32
		size int
	}{{1, 4}, {2, 4}, {4, 100}, {8, 4}} { // frames, bytes, TOC, quality
		if flags&f.bit != 0 {
			off += f.size
		}
	}
	if len(h) < off+24 {
		return g, nil
	}
	switch string(h[off : off+4]) {
	case "LAME", "Lavc", "Lavf": // LAME and ffmpeg write the same tag
		d := h[off+21 : off+24]
		g.delay = int(d[0])<<4 | int(d[1])>>4
		g.padding = int(d[1]&0xF)<<8 | int(d[2])
		g.lame = true
	}
	return g, nil
}

// decodeMP3 reads MPEG audio frames from r (past any ID3v2 tag, which
// decode has skipped) into a mono clip, trimmed of the delays and padding
// (see mp3Gaps; without a LAME tag only the tag frame, if any, and the
// decoder's delay are trimmed).
func decodeMP3(r *io.SectionReader, opts ReadOptions) (*Clip, error) {
	gaps, err := readMP3Gaps(r)
	if err != nil {
		return nil, err
	}
	dec, err := mp3.NewDecoder(r)
	if err != nil {
		return nil, mp3Error(err)
	}
	rate := dec.SampleRate()
	if rate < 1 || rate > MaxRate {
		return nil, fmt.Errorf("%w MP3 file: sample rate %d Hz, want 1 to %d", ErrMalformed, rate, MaxRate)
	}
	const frameBytes = 4 // 16-bit stereo
	frames := dec.Length() / frameBytes
	skip := int64(gaps.tagFrame + gaps.delay + mp3DecoderDelay)
	keep := frames - skip
	if gaps.lame {
		// The padding ends the stream; the decoder's delay has moved
		// that many of its samples past the end.
		keep = min(keep, frames-int64(gaps.tagFrame+gaps.delay+gaps.padding))
	}
	if keep <= 0 {
		return nil, fmt.Errorf("%w: the MP3 stream has no samples after its %d samples of delay", ErrEmpty, skip)
	}
	if limit := int64(float64(rate) * opts.maxDuration().Seconds()); keep > limit {
		return nil, fmt.Errorf("%w: %.1f s at %d Hz is over the %v limit",
			ErrTooLong, float64(keep)/float64(rate), rate, opts.maxDuration())
	}
	samples := make([]float32, 0, keep)
	buf := make([]byte, 1<<14)
	for pos := int64(0); pos < frames; {
		want := min(int64(len(buf)), (frames-pos)*frameBytes)
		n, err := io.ReadFull(dec, buf[:want])
		for b := buf[:n-n%frameBytes]; len(b) > 0; b = b[frameBytes:] {
			if pos >= skip && int64(len(samples)) < keep {
				l, r := int16(uint16(b[0])|uint16(b[1])<<8), int16(uint16(b[2])|uint16(b[3])<<8)
				samples = append(samples, float32(int32(l)+int32(r))/65536)
			}
			pos++
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			// go-mp3 ends quietly at a frame cut short; the length
			// its scan of the headers found says that it was.
			return nil, fmt.Errorf("%w MP3 file: the stream ends after %d of %d samples", ErrTruncated, pos, frames)
		}
		if err != nil {
			return nil, mp3Error(err)
		}
	}
	return &Clip{Rate: rate, Samples: samples}, nil
}

// mp3Error wraps an error of the MP3 decoder in the package's sentinels.
func mp3Error(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w MP3 file: %v", ErrTruncated, err)
	}
	return fmt.Errorf("%w MP3 file: %v", ErrMalformed, err)
}
