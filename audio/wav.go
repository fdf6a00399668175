// WAV input and output: a validating RIFF/WAVE reader for integer PCM and
// IEEE float, and a 16-bit PCM mono writer built on go-audio/wav.

package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// Errors returned (wrapped, with details) by the WAV reader and writer.
var (
	// ErrNotWAV means the input is not a RIFF/WAVE file at all.
	ErrNotWAV = errors.New("not a WAV file")
	// ErrUnsupportedFormat means a WAV file whose samples are neither integer
	// PCM nor IEEE float (A-law, mu-law, ADPCM, MP3, ...), or an unsupported
	// container.
	ErrUnsupportedFormat = errors.New("unsupported WAV format")
	// ErrMalformed means a file that breaks its format's rules: a WAV
	// header, a FLAC or MP3 frame. Messages read "malformed WAV file: ...",
	// "malformed FLAC file: ..." and so on.
	ErrMalformed = errors.New("malformed")
	// ErrTruncated means the file ends before a chunk, frame or sample count
	// it declares ("truncated WAV file: ...").
	ErrTruncated = errors.New("truncated")
	// ErrEmpty means a WAV file or clip without a single sample.
	ErrEmpty = errors.New("no audio")
	// ErrTooLong means audio longer than ReadOptions.MaxDuration, or too long
	// for a WAV file.
	ErrTooLong = errors.New("audio too long")
)

// Limits on what the reader accepts; anything outside is ErrMalformed.
const (
	// MaxRate is the highest sample rate, in Hz, that ReadWAV and WriteWAV accept.
	MaxRate = 768000
	// MaxChannels is the highest channel count that ReadWAV accepts.
	MaxChannels = 256
	// DefaultMaxDuration is the audio length ReadWAV accepts when
	// ReadOptions.MaxDuration is zero.
	DefaultMaxDuration = time.Hour
)

// ReadOptions configures ReadWAV and DecodeWAV. The zero value is ready to use.
type ReadOptions struct {
	// MaxDuration bounds the length of the audio, measured at the file's own
	// sample rate; longer files are refused with ErrTooLong before any sample
	// is read. Zero or negative means DefaultMaxDuration (one hour).
	MaxDuration time.Duration
}

func (o ReadOptions) maxDuration() time.Duration {
	if o.MaxDuration <= 0 {
		return DefaultMaxDuration
	}
	return o.MaxDuration
}

// WAVE format tags (the first field of the fmt chunk).
const (
	formatPCM        = 0x0001
	formatFloat      = 0x0003
	formatExtensible = 0xFFFE
)

// formatNames names the format tags most often met, for error messages.
var formatNames = map[uint16]string{
	0x0001: "integer PCM",
	0x0002: "Microsoft ADPCM",
	0x0003: "IEEE float",
	0x0006: "A-law",
	0x0007: "mu-law",
	0x0011: "IMA ADPCM",
	0x0031: "GSM 6.10",
	0x0050: "MPEG audio",
	0x0055: "MPEG layer 3 (MP3)",
	0x00FF: "AAC",
	0x0161: "Windows Media Audio",
	0x2000: "AC-3",
	0xF1AC: "FLAC",
	0xFFFE: "WAVE_FORMAT_EXTENSIBLE",
}

func formatName(tag uint16) string {
	if name, ok := formatNames[tag]; ok {
		return fmt.Sprintf("%s (format 0x%04X)", name, tag)
	}
	return fmt.Sprintf("format 0x%04X", tag)
}

// guidSuffix is the tail shared by the KSDATAFORMAT_SUBTYPE_* GUIDs of
// WAVE_FORMAT_EXTENSIBLE; their first two bytes hold the plain format tag.
var guidSuffix = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// ReadWAV reads a WAV file (path "-": standard input) into a mono clip. See
// DecodeWAV for what is accepted; Read takes FLAC and MP3 too. Errors name
// the file and wrap the package's Err values.
func ReadWAV(path string, opts ReadOptions) (*Clip, error) {
	return readPath(path, opts, decodeWAV)
}

// maxStdinBytes bounds a file read from standard input (1 GiB: over an hour
// of 16-bit stereo at 48 kHz).
const maxStdinBytes = 1 << 30

// DecodeWAV reads a WAV file from r, starting at its current offset, into a
// mono clip at the file's sample rate. Integer PCM of 8 to 32 bits (8-bit is
// unsigned) in a plain or WAVE_FORMAT_EXTENSIBLE header is accepted, with 1
// to MaxChannels channels, averaged into one, and rates of 1 to MaxRate Hz,
// and so is IEEE float of 32 or 64 bits in either header. Integer samples
// are scaled by their container size so that full scale is 1; float samples
// are clamped to [-1, 1], and a NaN or infinite one is ErrMalformed.
//
// The header is validated before any sample is read, and the data chunk is
// checked against the length of r and opts.MaxDuration, so the allocation is
// bounded by both. Errors wrap ErrNotWAV, ErrUnsupportedFormat, ErrMalformed,
// ErrTruncated, ErrEmpty or ErrTooLong, or carry the I/O error of r.
func DecodeWAV(r io.ReadSeeker, opts ReadOptions) (*Clip, error) {
	clip, err := decodeWAV(r, opts)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	return clip, nil
}

// wavHeader is what the reader needs from a validated header.
type wavHeader struct {
	rate      int
	channels  int
	width     int   // bytes per sample in the container: 1 to 4, or 4 and 8 for float
	float     bool  // IEEE float samples, not integer PCM
	dataStart int64 // offset in r of the first sample
	frames    int64
}

func decodeWAV(r io.ReadSeeker, opts ReadOptions) (*Clip, error) {
	h, err := readHeader(r, opts.maxDuration())
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(h.dataStart, io.SeekStart); err != nil {
		return nil, err
	}
	frameBytes := h.width * h.channels
	buf := make([]byte, frameBytes*max(1, 1<<16/frameBytes))
	samples := make([]float32, h.frames)
	for done := 0; done < len(samples); {
		n := min(len(samples)-done, len(buf)/frameBytes)
		if _, err := io.ReadFull(r, buf[:n*frameBytes]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("%w WAV file: data ends after %d of %d frames", ErrTruncated, done, len(samples))
			}
			return nil, err
		}
		if h.float {
			if i := decodeFloatFrames(samples[done:done+n], buf[:n*frameBytes], h.width, h.channels); i >= 0 {
				return nil, fmt.Errorf("%w WAV file: float sample %d of frame %d is not finite", ErrMalformed, i%h.channels, done+i/h.channels)
			}
		} else {
			decodeFrames(samples[done:done+n], buf[:n*frameBytes], h.width, h.channels)
		}
		done += n
	}
	return &Clip{Rate: h.rate, Samples: samples}, nil
}

// readHeader walks the RIFF chunks up to the fmt and data chunks and checks
// every field the decoder relies on. It leaves r at an unspecified offset.
func readHeader(r io.ReadSeeker, maxDuration time.Duration) (wavHeader, error) {
	var h wavHeader
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return h, err
	}
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return h, err
	}
	size := end - start
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return h, err
	}

	var riff [12]byte
	if size < int64(len(riff)) {
		return h, fmt.Errorf("%w: %d bytes is too short for a RIFF header", ErrNotWAV, size)
	}
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return h, err
	}
	switch magic := string(riff[0:4]); {
	case magic == "RIFF" && string(riff[8:12]) == "WAVE":
	case magic == "RIFX" && string(riff[8:12]) == "WAVE":
		return h, fmt.Errorf("%w: big-endian RIFX", ErrUnsupportedFormat)
	case magic == "RF64" && string(riff[8:12]) == "WAVE":
		return h, fmt.Errorf("%w: RF64 (64-bit WAV)", ErrUnsupportedFormat)
	case magic == "RIFF":
		return h, fmt.Errorf("%w: RIFF form %q, not \"WAVE\"", ErrNotWAV, riff[8:12])
	default:
		return h, fmt.Errorf("%w: starts with %q, not \"RIFF\"", ErrNotWAV, riff[0:4])
	}

	// Walk the chunks. fmt must come before data by the specification, but
	// some writers put it after; both orders are accepted.
	var (
		fmtBody           []byte
		haveData          bool
		dataStart, dataSz int64
	)
	pos := int64(len(riff))
	for pos+8 <= size && (fmtBody == nil || !haveData) {
		if _, err := r.Seek(start+pos, io.SeekStart); err != nil {
			return h, err
		}
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return h, err
		}
		id := string(hdr[0:4])
		n := int64(binary.LittleEndian.Uint32(hdr[4:8]))
		body := pos + 8
		switch {
		case id == "data" && !haveData:
			haveData, dataStart, dataSz = true, body, n
		case id == "fmt " && fmtBody == nil:
			if n < 16 {
				return h, fmt.Errorf("%w WAV file: fmt chunk of %d bytes, want at least 16", ErrMalformed, n)
			}
			if body+n > size {
				return h, fmt.Errorf("%w WAV file: fmt chunk declares %d bytes but only %d follow", ErrTruncated, n, size-body)
			}
			fmtBody = make([]byte, min(n, 40))
			if _, err := io.ReadFull(r, fmtBody); err != nil {
				return h, err
			}
		}
		pos = body + n + n&1 // chunks are padded to an even length
	}
	if fmtBody == nil {
		return h, fmt.Errorf("%w WAV file: no fmt chunk", ErrMalformed)
	}
	if !haveData {
		return h, fmt.Errorf("%w WAV file: no data chunk", ErrMalformed)
	}

	if err := parseFmt(&h, fmtBody); err != nil {
		return h, err
	}

	if dataSz == 0 {
		return h, fmt.Errorf("%w: the data chunk is empty", ErrEmpty)
	}
	if dataStart+dataSz > size {
		return h, fmt.Errorf("%w WAV file: data chunk declares %d bytes but only %d follow", ErrTruncated, dataSz, size-dataStart)
	}
	frameBytes := int64(h.width * h.channels)
	if dataSz%frameBytes != 0 {
		return h, fmt.Errorf("%w WAV file: data chunk of %d bytes is not a whole number of %d-byte frames", ErrMalformed, dataSz, frameBytes)
	}
	h.frames = dataSz / frameBytes
	if limit := int64(float64(h.rate) * maxDuration.Seconds()); h.frames > limit {
		return h, fmt.Errorf("%w: %.1f s at %d Hz is over the %v limit",
			ErrTooLong, float64(h.frames)/float64(h.rate), h.rate, maxDuration)
	}
	h.dataStart = start + dataStart
	return h, nil
}

// parseFmt validates a fmt chunk body (16 to 40 bytes) and fills the rate,
// channel count and sample width of h.
func parseFmt(h *wavHeader, b []byte) error {
	tag := binary.LittleEndian.Uint16(b[0:2])
	channels := int(binary.LittleEndian.Uint16(b[2:4]))
	rate := int64(binary.LittleEndian.Uint32(b[4:8]))
	blockAlign := int(binary.LittleEndian.Uint16(b[12:14]))
	bits := int(binary.LittleEndian.Uint16(b[14:16]))

	if tag == formatExtensible {
		if len(b) < 40 || binary.LittleEndian.Uint16(b[16:18]) < 22 {
			return fmt.Errorf("%w WAV file: WAVE_FORMAT_EXTENSIBLE without its 22-byte extension", ErrMalformed)
		}
		sub := binary.LittleEndian.Uint16(b[24:26])
		if [14]byte(b[26:40]) != guidSuffix {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE with a non-standard subformat GUID % X", ErrUnsupportedFormat, b[24:40])
		}
		if sub != formatPCM && sub != formatFloat {
			return fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE with subformat %s; only integer PCM and IEEE float are read", ErrUnsupportedFormat, formatName(sub))
		}
		if bits%8 != 0 {
			return fmt.Errorf("%w WAV file: WAVE_FORMAT_EXTENSIBLE with a %d-bit container", ErrMalformed, bits)
		}
		if valid := int(binary.LittleEndian.Uint16(b[18:20])); valid > bits {
			return fmt.Errorf("%w WAV file: %d valid bits in a %d-bit container", ErrMalformed, valid, bits)
		}
		tag = sub
	} else if tag != formatPCM && tag != formatFloat {
		return fmt.Errorf("%w: %s; only integer PCM and IEEE float are read", ErrUnsupportedFormat, formatName(tag))
	}
	float := tag == formatFloat

	switch {
	case channels < 1 || channels > MaxChannels:
		return fmt.Errorf("%w WAV file: %d channels, want 1 to %d", ErrMalformed, channels, MaxChannels)
	case rate < 1 || rate > MaxRate:
		return fmt.Errorf("%w WAV file: sample rate %d Hz, want 1 to %d", ErrMalformed, rate, MaxRate)
	case float && bits != 32 && bits != 64:
		return fmt.Errorf("%w: %d-bit IEEE float, want 32 or 64", ErrUnsupportedFormat, bits)
	case !float && (bits < 8 || bits > 32):
		return fmt.Errorf("%w: %d bits per sample, want 8 to 32", ErrUnsupportedFormat, bits)
	}
	width := (bits + 7) / 8 // samples are left-justified in whole bytes
	if blockAlign != width*channels {
		return fmt.Errorf("%w WAV file: block align %d, want %d for %d channels of %d bits", ErrMalformed, blockAlign, width*channels, channels, bits)
	}
	h.rate, h.channels, h.width, h.float = int(rate), channels, width, float
	return nil
}

// decodeFrames averages the channels of each little-endian frame in b into
// dst. Each sample is first left-justified into an int32, so that one scale
// factor serves every width; 8-bit samples are unsigned with silence at 128.
func decodeFrames(dst []float32, b []byte, width, channels int) {
	scale := 1 / (float64(1<<31) * float64(channels))
	for i := range dst {
		var sum int64
		for range channels {
			var v int32
			switch width {
			case 1:
				v = (int32(b[0]) - 128) << 24
			case 2:
				v = int32(uint32(b[0])<<16 | uint32(b[1])<<24)
			case 3:
				v = int32(uint32(b[0])<<8 | uint32(b[1])<<16 | uint32(b[2])<<24)
			case 4:
				v = int32(binary.LittleEndian.Uint32(b))
			}
			sum += int64(v)
			b = b[width:]
		}
		dst[i] = float32(float64(sum) * scale)
	}
}

// decodeFloatFrames averages the channels of each little-endian IEEE float
// frame in b (width 4 or 8) into dst, clamped to [-1, 1]. It returns the
// index in b of the first sample that is NaN or infinite, or -1.
func decodeFloatFrames(dst []float32, b []byte, width, channels int) int {
	k := 0
	for i := range dst {
		var sum float64
		for range channels {
			var v float64
			if width == 4 {
				v = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
			} else {
				v = math.Float64frombits(binary.LittleEndian.Uint64(b))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return k
			}
			sum += max(-1, min(1, v))
			b = b[width:]
			k++
		}
		dst[i] = float32(sum / float64(channels))
	}
	return -1
}

// WriteWAV writes clip to path as a 16-bit PCM mono WAV file. Samples are
// clamped to [-1, 1] (NaN becomes 0) and scaled by 32768, so a clip read from
// a 16-bit file is written back bit for bit. The file is written to a
// temporary file in the same folder and renamed into place, so a failure
// never leaves a partial file at path.
//
// WriteWAV returns an error for a rate outside 1 to MaxRate, one wrapping
// ErrEmpty for a clip without samples and one wrapping ErrTooLong for a clip
// longer than a WAV file can hold. It panics if clip is nil.
func WriteWAV(path string, clip *Clip) error {
	if clip == nil {
		panic("audio: WriteWAV of a nil clip")
	}
	if err := checkWritable(clip); err != nil {
		return fmt.Errorf("audio: %s: %w", path, err)
	}
	err := writeFileAtomic(path, func(f *os.File) error { return encodeWAV(f, clip) })
	if err != nil {
		return fmt.Errorf("audio: %s: %w", path, err)
	}
	return nil
}

// EncodeWAV writes clip to w as a 16-bit PCM mono WAV file, as WriteWAV does
// but without the atomic rename. The header is patched at the end by absolute
// offsets, so w must be positioned at offset 0; EncodeWAV returns an error
// otherwise. It panics if clip is nil.
func EncodeWAV(w io.WriteSeeker, clip *Clip) error {
	if clip == nil {
		panic("audio: EncodeWAV of a nil clip")
	}
	if err := checkWritable(clip); err != nil {
		return fmt.Errorf("audio: %w", err)
	}
	if off, err := w.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return fmt.Errorf("audio: EncodeWAV must start at offset 0 of its writer (offset %d, %v)", off, err)
	}
	if err := encodeWAV(w, clip); err != nil {
		return fmt.Errorf("audio: %w", err)
	}
	return nil
}

// maxWAVSamples keeps the 16-bit data chunk and the RIFF size below 4 GiB.
const maxWAVSamples = (math.MaxUint32 - 64) / 2

func checkWritable(clip *Clip) error {
	switch {
	case len(clip.Samples) == 0:
		return fmt.Errorf("%w: the clip has no samples", ErrEmpty)
	case clip.Rate < 1 || clip.Rate > MaxRate:
		return fmt.Errorf("sample rate %d Hz, want 1 to %d", clip.Rate, MaxRate)
	case int64(len(clip.Samples)) > maxWAVSamples:
		return fmt.Errorf("%w: %d samples do not fit in a WAV file", ErrTooLong, len(clip.Samples))
	}
	return nil
}

// encodeWAV streams the clip through go-audio's encoder in blocks. The
// encoder casts without clamping, so samples are clamped here, and its Close
// patches the sizes in the header, so it must run before w is closed.
func encodeWAV(w io.WriteSeeker, clip *Clip) error {
	enc := wav.NewEncoder(w, clip.Rate, 16, 1, formatPCM)
	buf := &goaudio.IntBuffer{
		Format:         &goaudio.Format{NumChannels: 1, SampleRate: clip.Rate},
		SourceBitDepth: 16,
		Data:           make([]int, 0, 8192),
	}
	for s := clip.Samples; len(s) > 0; {
		n := min(len(s), cap(buf.Data))
		buf.Data = buf.Data[:n]
		for i, x := range s[:n] {
			buf.Data[i] = pcm16(x)
		}
		if err := enc.Write(buf); err != nil {
			return err
		}
		s = s[n:]
	}
	return enc.Close()
}

// pcm16 converts a sample in [-1, 1] to a 16-bit integer, rounding to the
// nearest step and clamping out-of-range values and NaN.
func pcm16(x float32) int {
	switch {
	case x != x:
		return 0
	case x >= 1:
		return math.MaxInt16
	case x <= -1:
		return math.MinInt16
	}
	return min(int(math.Round(float64(x)*32768)), math.MaxInt16)
}
