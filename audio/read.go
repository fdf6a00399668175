// Reading any supported audio file: the format is sniffed from the first
// bytes (RIFF/WAVE, fLaC, an ID3 tag or an MPEG frame sync), never taken from
// the file name, and the decoder for it runs under the same ReadOptions.

package audio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/arkit-go/arkit/internal/fileio"
)

// ErrNotAudio means input that is none of the formats Read decodes.
var ErrNotAudio = errors.New("not a WAV, FLAC or MP3 file")

// Read reads a WAV, FLAC or MP3 file (path "-": standard input) into a mono
// clip at the file's rate. See Decode for what is accepted. Errors name the
// file and wrap the package's Err values.
func Read(path string, opts ReadOptions) (*Clip, error) {
	return readPath(path, opts, decode)
}

// Decode reads a WAV, FLAC or MP3 file from r, starting at its current
// offset, into a mono clip at the file's sample rate. The format is found
// from the content: "RIFF" (DecodeWAV), "fLaC", or an ID3v2 tag or an MPEG
// audio frame header (MP3: MPEG-1 or MPEG-2 layer III, which go-mp3 decodes,
// trimmed of the encoder's delay and padding when a LAME tag gives them and
// of the decoder's delay; MPEG-2.5 is ErrUnsupportedFormat). A FLAC file may
// also follow an ID3v2 tag.
//
// Every format gets the same checks: 1 to MaxChannels channels averaged into
// one, rates of 1 to MaxRate Hz, at least one sample, and no more audio than
// opts.MaxDuration. FLAC and MP3 are decoded frame by frame, so memory grows
// with the audio really decoded and never with a size a header declares; a
// stream that ends inside a frame, or before the sample count its header
// declares, is ErrTruncated. Errors wrap ErrNotAudio, ErrNotWAV,
// ErrUnsupportedFormat, ErrMalformed, ErrTruncated, ErrEmpty or ErrTooLong,
// or carry the I/O error of r.
func Decode(r io.ReadSeeker, opts ReadOptions) (*Clip, error) {
	clip, err := decode(r, opts)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	return clip, nil
}

// readPath opens path (or reads standard input whole, since decoders seek)
// and decodes it, naming path in the error.
func readPath(path string, opts ReadOptions, dec func(io.ReadSeeker, ReadOptions) (*Clip, error)) (*Clip, error) {
	var r io.ReadSeeker
	if path == fileio.Stdin {
		b, err := io.ReadAll(io.LimitReader(os.Stdin, maxStdinBytes+1))
		if err != nil {
			return nil, fmt.Errorf("audio: standard input: %w", err)
		}
		if len(b) > maxStdinBytes {
			return nil, fmt.Errorf("audio: standard input: %w: more than %d bytes", ErrTooLong, maxStdinBytes)
		}
		r = bytes.NewReader(b)
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
		defer f.Close()
		r = f
	}
	clip, err := dec(r, opts)
	if err != nil {
		return nil, fmt.Errorf("audio: %s: %w", path, err)
	}
	return clip, nil
}

// Formats that sniff recognises.
const (
	formatNameWAV  = "WAV"
	formatNameFLAC = "FLAC"
	formatNameMP3  = "MP3"
)

// sniff names the format that head, the first bytes of a file, starts, or
// returns "". An ID3v2 tag says MP3: what follows the tag is checked by
// decode.
func sniff(head []byte) string {
	switch {
	case len(head) >= 4 && (string(head[:4]) == "RIFF" || string(head[:4]) == "RIFX" || string(head[:4]) == "RF64"):
		return formatNameWAV
	case len(head) >= 4 && string(head[:4]) == "fLaC":
		return formatNameFLAC
	case len(head) >= 3 && string(head[:3]) == "ID3", mpegHeader(head):
		return formatNameMP3
	}
	return ""
}

// mpegHeader reports whether head starts with a plausible MPEG audio frame
// header: the 11-bit sync, and no reserved version, layer, bit rate or
// sample rate.
func mpegHeader(head []byte) bool {
	if len(head) < 4 || head[0] != 0xFF || head[1]&0xE0 != 0xE0 {
		return false
	}
	version, layer := head[1]>>3&3, head[1]>>1&3
	bitrate, rate := head[2]>>4, head[2]>>2&3
	return version != 1 && layer != 0 && bitrate != 15 && rate != 3
}

// id3Size returns the length of the ID3v2 tag that head starts with (header,
// body and footer), or 0 if head does not start with one.
func id3Size(head []byte) (int64, error) {
	if len(head) < 10 || string(head[:3]) != "ID3" {
		return 0, nil
	}
	var n int64
	for _, b := range head[6:10] {
		if b >= 0x80 {
			return 0, fmt.Errorf("%w ID3 tag: size bytes % X are not sync-safe", ErrMalformed, head[6:10])
		}
		n = n<<7 | int64(b)
	}
	n += 10
	if head[5]&0x10 != 0 { // footer present
		n += 10
	}
	return n, nil
}

func decode(r io.ReadSeeker, opts ReadOptions) (clip *Clip, err error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	var head [12]byte
	n, err := readHead(r, head[:], start)
	if err != nil {
		return nil, err
	}
	format := sniff(head[:n])
	// An ID3v2 tag is skipped here, with its size checked against the
	// file (go-mp3 would allocate whatever size the tag declares).
	body := start
	for i := 0; format == formatNameMP3 && i < 4; i++ {
		tag, err := id3Size(head[:n])
		if err != nil {
			return nil, err
		}
		if tag == 0 {
			break
		}
		if body+tag > end {
			return nil, fmt.Errorf("%w MP3 file: ID3 tag declares %d bytes but only %d follow", ErrTruncated, tag, end-body)
		}
		body += tag
		if n, err = readHead(r, head[:], body); err != nil {
			return nil, err
		}
		if sniff(head[:n]) == formatNameFLAC {
			format = formatNameFLAC
		}
	}
	switch format {
	case formatNameWAV:
		if _, err := r.Seek(start, io.SeekStart); err != nil {
			return nil, err
		}
		return decodeWAV(r, opts)
	case formatNameFLAC, formatNameMP3:
		// A third-party decoder that panics on a hostile file must not take
		// the program down: the panic becomes an error naming the format.
		defer func() {
			if p := recover(); p != nil {
				clip, err = nil, fmt.Errorf("%w %s file: the decoder failed: %v", ErrMalformed, format, p)
			}
		}()
		sec := io.NewSectionReader(readerAt{r}, body, end-body)
		if format == formatNameFLAC {
			return decodeFLAC(sec, opts)
		}
		return decodeMP3(sec, opts)
	}
	if end-start == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotAudio)
	}
	return nil, fmt.Errorf("%w: starts with %q", ErrNotAudio, head[:min(n, 4)])
}

// readerAt reads an io.ReadSeeker at offsets, seeking before each read; it
// serves one goroutine only.
type readerAt struct{ r io.ReadSeeker }

func (ra readerAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := ra.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(ra.r, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// readHead reads up to len(buf) bytes at offset off of r; fewer at the end of
// the file is not an error.
func readHead(r io.ReadSeeker, buf []byte, off int64) (int, error) {
	n, err := readerAt{r}.ReadAt(buf, off)
	if err == io.EOF {
		err = nil
	}
	return n, err
}
