// The model endpoints: list the models, generate text (whole or as
// server-sent events), sample and complete images, generate audio. Each
// checks its request, borrows a copy of its model in a worker slot and
// makes the one library call the matching arkit command makes.

package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/pixels"
	"github.com/arkit-go/arkit/text"
)

func sortInfos(infos []Info) {
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name < infos[j].Name })
}

func (s *Server) listModels(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.Infos())
	return nil
}

// TextRequest is the body of POST /api/text/generate. Absent fields take
// the defaults of arkit text generate.
type TextRequest struct {
	Model             string   `json:"model"`
	Prompt            string   `json:"prompt"`
	Length            *int     `json:"length"`      // default text.DefaultLength
	Temperature       *float64 `json:"temperature"` // default 0.8
	TopK              int      `json:"top_k"`
	TopP              *float64 `json:"top_p"` // default 1
	MinP              float64  `json:"min_p"`
	RepetitionPenalty *float64 `json:"repetition_penalty"` // default 1
	Stop              []string `json:"stop"`
	Seed              *uint64  `json:"seed"` // default 1
	Stream            bool     `json:"stream"`
}

// Options checks the request against the limit on length and returns the
// options arkit text generate would use for the same flags.
func (q TextRequest) Options(maxLength int) (text.GenerateOptions, error) {
	o := text.GenerateOptions{Prompt: q.Prompt, Length: text.DefaultLength, Temperature: 0.8, TopK: q.TopK,
		TopP: 1, MinP: float32(q.MinP), RepetitionPenalty: 1, Stop: q.Stop, Seed: 1, N: 1}
	if q.Length != nil {
		o.Length = *q.Length
	}
	temp, topP, rep := 0.8, 1.0, 1.0
	if q.Temperature != nil {
		temp = *q.Temperature
	}
	if q.TopP != nil {
		topP = *q.TopP
	}
	if q.RepetitionPenalty != nil {
		rep = *q.RepetitionPenalty
	}
	o.Temperature, o.TopP, o.RepetitionPenalty = float32(temp), float32(topP), float32(rep)
	if q.Seed != nil {
		o.Seed = *q.Seed
	}
	switch {
	case o.Length < 1 || o.Length > maxLength:
		return o, badRequest(`"length" %d must be in 1..%d`, o.Length, maxLength)
	case temp < 0 || temp > 100:
		return o, badRequest(`"temperature" %g must be in [0, 100]`, temp)
	case topP < 0 || topP > 1:
		return o, badRequest(`"top_p" %g must be in [0, 1]`, topP)
	case q.MinP < 0 || q.MinP > 1:
		return o, badRequest(`"min_p" %g must be in [0, 1]`, q.MinP)
	case q.TopK < 0:
		return o, badRequest(`"top_k" %d must not be negative`, q.TopK)
	case rep < 0 || rep > 100:
		return o, badRequest(`"repetition_penalty" %g must be in [0, 100]`, rep)
	case len(q.Stop) > 16:
		return o, badRequest(`"stop" holds %d strings; at most 16`, len(q.Stop))
	}
	for _, st := range q.Stop {
		if st == "" {
			return o, badRequest(`"stop" holds an empty string`)
		}
	}
	return o, nil
}

func (s *Server) textGenerate(w http.ResponseWriter, r *http.Request) error {
	var q TextRequest
	if err := decodeJSON(r, &q); err != nil {
		return err
	}
	opts, err := q.Options(s.cfg.MaxLength)
	if err != nil {
		return err
	}
	m, err := s.model(q.Model, text.Domain)
	if err != nil {
		return err
	}
	ctx := r.Context()
	return s.withCopy(ctx, m, func(c any) error {
		tm := c.(*text.Model)
		if q.Prompt != "" {
			if _, err := tm.Tok.Encode(q.Prompt); err != nil {
				return badRequest(`"prompt": %s`, oneLine(err.Error()))
			}
		}
		if !q.Stream {
			var b strings.Builder
			if err := tm.Generate(ctx, opts, &b); err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, map[string]string{"text": strings.TrimPrefix(b.String(), q.Prompt)})
			return nil
		}
		ev := &eventWriter{w: w, skip: len(q.Prompt)}
		if err := tm.Generate(ctx, opts, ev); err != nil {
			if ev.started {
				ev.event("error", map[string]string{"error": oneLine(err.Error())})
			}
			return err
		}
		ev.begin()
		ev.event("done", map[string]string{})
		return nil
	})
}

// eventWriter turns each write of a generation into a server-sent event
// {"text": chunk}, after dropping the first skip bytes (the prompt).
type eventWriter struct {
	w       http.ResponseWriter
	skip    int
	started bool
}

func (e *eventWriter) begin() {
	if !e.started {
		e.started = true
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no")
		e.w.WriteHeader(http.StatusOK)
	}
}

func (e *eventWriter) Write(p []byte) (int, error) {
	n := len(p)
	if e.skip > 0 {
		k := min(e.skip, len(p))
		e.skip -= k
		p = p[k:]
	}
	if len(p) == 0 {
		return n, nil
	}
	e.begin()
	if err := e.event("", map[string]string{"text": string(p)}); err != nil {
		return 0, err
	}
	return n, nil
}

// event writes one event (a "message" when name is empty) and flushes it.
func (e *eventWriter) event(name string, data any) error {
	b, _ := json.Marshal(data)
	var buf bytes.Buffer
	if name != "" {
		fmt.Fprintf(&buf, "event: %s\n", name)
	}
	fmt.Fprintf(&buf, "data: %s\n\n", b)
	if _, err := e.w.Write(buf.Bytes()); err != nil {
		return err
	}
	return http.NewResponseController(e.w).Flush()
}

// PixelsRequest is the body of POST /api/pixels/sample.
type PixelsRequest struct {
	Model       string   `json:"model"`
	N           *int     `json:"n"` // default 16
	Class       string   `json:"class"`
	Temperature *float64 `json:"temperature"` // default 1
	Seed        *uint64  `json:"seed"`        // default 1
	Cols        int      `json:"cols"`        // grid columns (0: near square)
}

func (s *Server) pixelsSample(w http.ResponseWriter, r *http.Request) error {
	var q PixelsRequest
	if err := decodeJSON(r, &q); err != nil {
		return err
	}
	n, temp, seed := 16, 1.0, uint64(1)
	if q.N != nil {
		n = *q.N
	}
	if q.Temperature != nil {
		temp = *q.Temperature
	}
	if q.Seed != nil {
		seed = *q.Seed
	}
	switch {
	case n < 1 || n > s.cfg.MaxImages:
		return badRequest(`"n" %d must be in 1..%d`, n, s.cfg.MaxImages)
	case !(temp > 0 && temp <= 100):
		return badRequest(`"temperature" %g must be in (0, 100]`, temp)
	case q.Cols < 0 || q.Cols > 256:
		return badRequest(`"cols" %d must be in 0..256`, q.Cols)
	}
	m, err := s.model(q.Model, pixels.Domain)
	if err != nil {
		return err
	}
	if err := checkClass(q.Class, m.info.Classes); err != nil {
		return err
	}
	ctx := r.Context()
	return s.withCopy(ctx, m, func(c any) error {
		pm := c.(*pixels.Model)
		imgs, err := pm.Sample(ctx, n, pixels.SampleOptions{Temperature: float32(temp), Class: q.Class, Seed: seed})
		if err != nil {
			return err
		}
		return writePNG(w, pixels.Grid{Cols: q.Cols}.Image(pm.Raster, imgs))
	})
}

// checkClass refuses a class the model does not know.
func checkClass(class string, classes []string) error {
	if class == "" {
		return nil
	}
	if len(classes) == 0 {
		return badRequest(`"class" %q: the model has no classes`, class)
	}
	for _, c := range classes {
		if c == class {
			return nil
		}
	}
	return badRequest(`"class" %q: the model knows %s`, class, strings.Join(classes, ", "))
}

// pixelsComplete completes an uploaded image: the body is the image
// (PNG, JPEG or GIF) with the settings in the query, or a multipart form
// with the image in the field "image" and the settings as fields.
func (s *Server) pixelsComplete(w http.ResponseWriter, r *http.Request) error {
	var img []byte
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return badRequest("malformed multipart body: %s", oneLine(err.Error()))
		}
		f, _, err := r.FormFile("image")
		if err != nil {
			return badRequest(`the multipart body has no file field "image"`)
		}
		defer f.Close()
		if img, err = io.ReadAll(f); err != nil {
			return err
		}
	} else {
		var err error
		if img, err = io.ReadAll(r.Body); err != nil {
			return err
		}
	}
	if len(img) == 0 {
		return badRequest("no image: send a PNG, JPEG or GIF as the body or in the multipart field \"image\"")
	}
	m, err := s.model(r.FormValue("model"), pixels.Domain)
	if err != nil {
		return err
	}
	in := m.info
	keep, err := intParam(r, "keep_rows", -1)
	if err != nil {
		return err
	}
	n, err := intParam(r, "n", 5)
	if err != nil {
		return err
	}
	temp, err := floatParam(r, "temperature", 1)
	if err != nil {
		return err
	}
	seed, err := intParam(r, "seed", 1)
	if err != nil {
		return err
	}
	class, invert := r.FormValue("class"), r.FormValue("invert") == "true"
	switch {
	case keep < 0 || keep >= in.Height:
		return badRequest(`"keep_rows" %d: the model's images are %d rows high; keep 0..%d`, keep, in.Height, in.Height-1)
	case n < 1 || n > min(64, s.cfg.MaxImages):
		return badRequest(`"n" %d must be in 1..%d`, n, min(64, s.cfg.MaxImages))
	case !(temp > 0 && temp <= 100):
		return badRequest(`"temperature" %g must be in (0, 100]`, temp)
	case seed < 0:
		return badRequest(`"seed" %d must not be negative`, seed)
	}
	if err := checkClass(class, in.Classes); err != nil {
		return err
	}
	d, err := pixels.DecodeImage(bytes.NewReader(img), pixels.ImageOptions{Width: in.Width, Height: in.Height, RGB: in.Channels == 3, Levels: in.Levels})
	if err != nil {
		return badRequest("the image: %s", oneLine(err.Error()))
	}
	if invert {
		for _, im := range d.Images {
			for i, l := range im {
				im[i] = uint8(in.Levels-1) - l
			}
		}
	}
	ctx := r.Context()
	return s.withCopy(ctx, m, func(c any) error {
		pm := c.(*pixels.Model)
		comps, err := pm.Complete(ctx, d, keep, n, pixels.SampleOptions{Temperature: float32(temp), Class: class, Seed: uint64(seed)})
		if err != nil {
			return err
		}
		return writePNG(w, pixels.Grid{}.Completions(pm.Raster, d.Images, keep, comps))
	})
}

// writePNG answers with img as a PNG.
func writePNG(w http.ResponseWriter, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}

// intParam reads an integer query or form field; def when absent.
func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.FormValue(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest("%q %q: not an integer", name, v)
	}
	return n, nil
}

// floatParam reads a number query or form field; def when absent.
func floatParam(r *http.Request, name string, def float64) (float64, error) {
	v := r.FormValue(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, badRequest("%q %q: not a number", name, v)
	}
	return f, nil
}

// AudioRequest is the body of POST /api/audio/generate.
type AudioRequest struct {
	Model       string   `json:"model"`
	Seconds     float64  `json:"seconds"`
	Class       string   `json:"class"`
	Temperature float64  `json:"temperature"` // 0: 1, the model's own distribution
	TopK        int      `json:"top_k"`
	TopP        *float64 `json:"top_p"`
	Seed        *uint64  `json:"seed"` // default 1
}

func (s *Server) audioGenerate(w http.ResponseWriter, r *http.Request) error {
	var q AudioRequest
	if err := decodeJSON(r, &q); err != nil {
		return err
	}
	topP, seed := 1.0, uint64(1)
	if q.TopP != nil {
		topP = *q.TopP
	}
	if q.Seed != nil {
		seed = *q.Seed
	}
	switch {
	case !(q.Seconds > 0 && q.Seconds <= s.cfg.MaxSeconds):
		return badRequest(`"seconds" %g must be in (0, %g]`, q.Seconds, s.cfg.MaxSeconds)
	case q.Temperature < 0 || q.Temperature > 100:
		return badRequest(`"temperature" %g must be in [0, 100] (0: 1)`, q.Temperature)
	case q.TopK < 0:
		return badRequest(`"top_k" %d must not be negative`, q.TopK)
	case topP < 0 || topP > 1:
		return badRequest(`"top_p" %g must be in [0, 1]`, topP)
	}
	m, err := s.model(q.Model, audio.Domain)
	if err != nil {
		return err
	}
	if err := checkClass(q.Class, m.info.Classes); err != nil {
		return err
	}
	ctx := r.Context()
	return s.withCopy(ctx, m, func(c any) error {
		am := c.(*audio.Model)
		clips, err := am.Generate(ctx, audio.GenerateOptions{Seconds: q.Seconds, N: 1, Label: q.Class,
			Temperature: float32(q.Temperature), TopK: q.TopK, TopP: float32(topP), Seed: seed})
		if err != nil {
			return err
		}
		var buf seekBuffer
		if err := audio.EncodeWAV(&buf, clips[0]); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "audio/wav")
		w.Header().Set("Content-Length", strconv.Itoa(len(buf.b)))
		_, err = w.Write(buf.b)
		return err
	})
}

// seekBuffer is an in-memory io.WriteSeeker, for the WAV encoder, which
// patches its header at the end.
type seekBuffer struct {
	b   []byte
	pos int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if end := s.pos + len(p); end > len(s.b) {
		s.b = append(s.b, make([]byte, end-len(s.b))...)
	}
	copy(s.b[s.pos:], p)
	s.pos += len(p)
	return len(p), nil
}

func (s *seekBuffer) Seek(offset int64, whence int) (int64, error) {
	var p int64
	switch whence {
	case io.SeekStart:
		p = offset
	case io.SeekCurrent:
		p = int64(s.pos) + offset
	case io.SeekEnd:
		p = int64(len(s.b)) + offset
	}
	if p < 0 {
		return 0, errors.New("serve: seek before the start")
	}
	s.pos = int(p)
	return p, nil
}
