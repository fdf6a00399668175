// Streaming output for generation: a model emits one id at a time, and a
// byte-level id may hold part of a character. Streamer writes valid UTF-8 as
// soon as each character is complete.

package text

import (
	"io"
	"unicode/utf8"
)

// A Streamer decodes ids one at a time and writes valid UTF-8 to W. Bytes of
// an incomplete UTF-8 sequence wait for the ids that complete them; a byte
// that cannot start or continue a valid sequence is written as U+FFFD, as a
// Go range loop over the decoded bytes would see it. Call Flush at the end.
//
// The output is exactly Decode(ids) when that is valid UTF-8.
type Streamer struct {
	w       io.Writer
	tok     Tokenizer
	pending []byte // at most utf8.UTFMax-1 bytes of an incomplete sequence
	out     []byte // reused output buffer
	one     [1]int32
}

// NewStreamer returns a Streamer that decodes with tok and writes to w.
func NewStreamer(w io.Writer, tok Tokenizer) *Streamer {
	return &Streamer{w: w, tok: tok}
}

// WriteID decodes id and writes every character it completes.
// It panics if id is outside [0, tok.Size()).
func (s *Streamer) WriteID(id int32) error {
	s.one[0] = id
	if d, ok := s.tok.(appendDecoder); ok {
		s.pending = d.appendDecode(s.pending, s.one[:])
	} else {
		s.pending = append(s.pending, s.tok.Decode(s.one[:])...)
	}
	return s.drain(false)
}

// Write passes raw bytes (a prompt, say) through the same UTF-8 handling, so
// that they interleave correctly with decoded ids. It implements io.Writer.
func (s *Streamer) Write(p []byte) (int, error) {
	s.pending = append(s.pending, p...)
	if err := s.drain(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes any incomplete sequence left at the end as U+FFFD.
func (s *Streamer) Flush() error { return s.drain(true) }

// drain writes the complete characters of pending and keeps an incomplete
// tail unless final.
func (s *Streamer) drain(final bool) error {
	out := s.out[:0]
	i := 0
	for i < len(s.pending) {
		rest := s.pending[i:]
		if !final && !utf8.FullRune(rest) {
			break
		}
		r, n := utf8.DecodeRune(rest)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, rest[:n]...)
		}
		i += n
	}
	s.pending = append(s.pending[:0], s.pending[i:]...)
	s.out = out
	if len(out) == 0 {
		return nil
	}
	_, err := s.w.Write(out)
	return err
}
