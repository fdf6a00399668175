// MP3 input through github.com/hajimehoshi/go-mp3 (MPEG-1, 2 and 2.5
// layer III). go-mp3 scans the frame headers first, which gives the length
// to check against ReadOptions.MaxDuration before any frame is decoded. Its
// output is always 16-bit stereo; the two channels are averaged.

package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// decodeMP3 reads MPEG audio frames from r (past any ID3v2 tag, which
// decode has skipped) into a mono clip.
func decodeMP3(r io.ReadSeeker, opts ReadOptions) (*Clip, error) {
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
	if frames == 0 {
		return nil, fmt.Errorf("%w: the MP3 stream has no samples", ErrEmpty)
	}
	if limit := int64(float64(rate) * opts.maxDuration().Seconds()); frames > limit {
		return nil, fmt.Errorf("%w: %.1f s at %d Hz is over the %v limit",
			ErrTooLong, float64(frames)/float64(rate), rate, opts.maxDuration())
	}
	samples := make([]float32, 0, frames)
	buf := make([]byte, 1<<14)
	for int64(len(samples)) < frames {
		n, err := io.ReadFull(dec, buf[:min(int64(len(buf)), (frames-int64(len(samples)))*frameBytes)])
		for b := buf[:n-n%frameBytes]; len(b) > 0; b = b[frameBytes:] {
			l, r := int16(uint16(b[0])|uint16(b[1])<<8), int16(uint16(b[2])|uint16(b[3])<<8)
			samples = append(samples, float32(int32(l)+int32(r))/65536)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			// go-mp3 ends quietly at a frame cut short; the length
			// its scan of the headers found says that it was.
			return nil, fmt.Errorf("%w MP3 file: the stream ends after %d of %d samples", ErrTruncated, len(samples), frames)
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
