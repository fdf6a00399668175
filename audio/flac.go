// FLAC input through github.com/mewkiz/flac: the stream header is checked
// against our limits before any frame is decoded, and frames are decoded one
// at a time, so memory follows the audio really present.

package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
)

// maxFLACChannels is the most channels a FLAC stream can have.
const maxFLACChannels = 8

// decodeFLAC reads a FLAC stream from r (at its "fLaC" signature) into a
// mono clip.
func decodeFLAC(r io.Reader, opts ReadOptions) (*Clip, error) {
	stream, err := flac.New(r)
	if err != nil {
		return nil, flacError(err)
	}
	info := stream.Info
	rate, channels, bits := int(info.SampleRate), int(info.NChannels), int(info.BitsPerSample)
	switch {
	case rate < 1 || rate > MaxRate:
		return nil, fmt.Errorf("%w FLAC file: sample rate %d Hz, want 1 to %d", ErrMalformed, rate, MaxRate)
	case channels < 1 || channels > maxFLACChannels:
		return nil, fmt.Errorf("%w FLAC file: %d channels, want 1 to %d", ErrMalformed, channels, maxFLACChannels)
	case bits < 4 || bits > 32:
		return nil, fmt.Errorf("%w FLAC file: %d bits per sample, want 4 to 32", ErrMalformed, bits)
	}
	limit := int64(float64(rate) * opts.maxDuration().Seconds())
	declared := int64(info.NSamples) // 0: unknown
	if declared < 0 || declared > limit {
		return nil, fmt.Errorf("%w: %.1f s at %d Hz is over the %v limit",
			ErrTooLong, float64(info.NSamples)/float64(rate), rate, opts.maxDuration())
	}
	// The declared count sizes the first allocation only up to a bound, as
	// a hostile header may declare hours of audio in a tiny file.
	samples := make([]float32, 0, min(declared, 1<<20))
	for {
		frame, err := stream.ParseNext()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, flacError(err)
		}
		h := frame.Header
		switch {
		case frame.Channels.Count() != channels:
			return nil, fmt.Errorf("%w FLAC file: frame %d has %d channels, the stream %d", ErrMalformed, len(samples), frame.Channels.Count(), channels)
		case h.SampleRate != 0 && int(h.SampleRate) != rate:
			return nil, fmt.Errorf("%w FLAC file: frame at sample %d is at %d Hz, the stream at %d Hz", ErrMalformed, len(samples), h.SampleRate, rate)
		case h.BitsPerSample == 0:
			return nil, fmt.Errorf("%w: FLAC frame at sample %d without its own sample size", ErrUnsupportedFormat, len(samples))
		case int64(len(samples))+int64(h.BlockSize) > limit:
			return nil, fmt.Errorf("%w: more than %d samples at %d Hz is over the %v limit", ErrTooLong, limit, rate, opts.maxDuration())
		}
		scale := 1 / (float64(int64(1)<<(h.BitsPerSample-1)) * float64(channels))
		for i := range int(h.BlockSize) {
			var sum int64
			for _, sub := range frame.Subframes {
				if i >= len(sub.Samples) {
					return nil, fmt.Errorf("%w FLAC file: a subframe of %d samples in a block of %d", ErrMalformed, len(sub.Samples), h.BlockSize)
				}
				sum += int64(sub.Samples[i])
			}
			samples = append(samples, float32(max(-1, min(1, float64(sum)*scale))))
		}
	}
	switch {
	case len(samples) == 0:
		return nil, fmt.Errorf("%w: the FLAC stream has no samples", ErrEmpty)
	case declared != 0 && int64(len(samples)) < declared:
		return nil, fmt.Errorf("%w FLAC file: the stream ends after %d of %d samples", ErrTruncated, len(samples), declared)
	}
	return &Clip{Rate: rate, Samples: samples}, nil
}

// flacError wraps an error of the FLAC decoder in the package's sentinels.
func flacError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w FLAC file: %v", ErrTruncated, err)
	}
	return fmt.Errorf("%w FLAC file: %v", ErrMalformed, err)
}
