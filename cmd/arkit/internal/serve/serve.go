// Package serve is the web server of arkit serve: trained models behind a
// JSON API and a page a person can use in a browser. The models are read
// once, at New; every request then borrows a copy of its model (each
// model is a pool of Config.Copies copies, as a model holds workspaces and
// is not safe for concurrent use) and runs under one of Config.Workers
// generation slots, the rest waiting in line until their deadline. A
// client that goes away cancels its generation through the request's
// context.
//
// The API is documented in docs/api.md. Bad input is always a 4xx with a
// JSON body {"error": "..."}; a panic in a handler is a 500 with such a
// body, logged, and the server goes on.
package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/arkit-go/arkit/core"
)

// Defaults of Config's zero fields.
const (
	DefaultAddr        = "127.0.0.1:8080"
	DefaultTimeout     = 2 * time.Minute
	DefaultMaxBody     = 32 << 20
	DefaultCopies      = 2
	DefaultMaxLength   = 4000 // text tokens per request
	DefaultMaxImages   = 256  // pixels images per request
	DefaultMaxSeconds  = 30   // audio seconds per request
	DefaultGrace       = 10 * time.Second
	defaultWorkerCount = 2
)

// Config configures a Server. The zero value of each field means its
// default.
type Config struct {
	// Models are the model files to serve; each is named by its base
	// name without the extension (ModelName).
	Models []string
	// Addr is the address Run listens on (DefaultAddr: loopback only).
	Addr string
	// Token, when set, is required as "Authorization: Bearer TOKEN" on
	// every API call.
	Token string
	// Timeout bounds each request, its wait for a worker included; it
	// also caps the training time of a series LSTM (half of it).
	Timeout time.Duration
	// Workers is the number of generations and forecasts run at once;
	// 0 means the number of CPUs (at least 2).
	Workers int
	// Copies is the number of copies of each model held, so that as many
	// requests may use one model at once.
	Copies int
	// MaxBody bounds a request body in bytes.
	MaxBody int64
	// MaxLength, MaxImages and MaxSeconds cap a text generation's length,
	// a pixels request's images and an audio request's seconds.
	MaxLength, MaxImages int
	MaxSeconds           float64
	// Weights is the precision of the weight matrices the text, pixels
	// and audio models read while generating; "" means fp32.
	Weights core.Weights
	// Grace is how long Run lets in-flight requests finish once its
	// context ends.
	Grace time.Duration
	// Log receives one line per failed request and per recovered panic;
	// nil means the standard logger.
	Log *log.Logger
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Workers <= 0 {
		c.Workers = max(defaultWorkerCount, numCPU())
	}
	if c.Copies <= 0 {
		c.Copies = DefaultCopies
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxLength <= 0 {
		c.MaxLength = DefaultMaxLength
	}
	if c.MaxImages <= 0 {
		c.MaxImages = DefaultMaxImages
	}
	if c.MaxSeconds <= 0 {
		c.MaxSeconds = DefaultMaxSeconds
	}
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	if c.Log == nil {
		c.Log = log.Default()
	}
	return c
}

// Server answers the API and serves the page. Its methods are safe for
// concurrent use.
type Server struct {
	cfg     Config
	models  map[string]*model
	workers chan struct{}
	mux     *http.ServeMux
}

// New reads the model files of cfg and returns the server; a file that
// cannot be read as a text, pixels or audio model is an error.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	models, err := loadModels(cfg.Models, cfg.Copies, cfg.Weights)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, models: models, workers: make(chan struct{}, cfg.Workers), mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.HandleFunc("GET /api/models", s.api(s.listModels))
	s.mux.HandleFunc("POST /api/text/generate", s.api(s.textGenerate))
	s.mux.HandleFunc("POST /api/series/forecast", s.api(s.seriesForecast))
	s.mux.HandleFunc("POST /api/pixels/sample", s.api(s.pixelsSample))
	s.mux.HandleFunc("POST /api/pixels/complete", s.api(s.pixelsComplete))
	s.mux.HandleFunc("POST /api/audio/generate", s.api(s.audioGenerate))
	s.mux.HandleFunc("/api/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{http.StatusNotFound, fmt.Sprintf("no API endpoint %s %s (see GET /api/models and docs/api.md)", r.Method, r.URL.Path)}
	}))
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Infos returns the descriptions of the models served, sorted by name.
func (s *Server) Infos() []Info {
	out := make([]Info, 0, len(s.models))
	for _, m := range s.models {
		out = append(out, m.info)
	}
	sortInfos(out)
	return out
}

// Run listens on the configured address and serves until ctx ends; it
// then stops accepting connections, lets the requests in flight finish
// within Config.Grace and returns nil. ready, if not nil, is called with
// the address listened on once the server accepts connections.
func (s *Server) Run(ctx context.Context, ready func(addr net.Addr)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, ready)
}

// Serve is Run on a listener of the caller's.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(addr net.Addr)) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          s.cfg.Log,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// The grace period is over: cut the remaining connections, which
		// cancels their requests' contexts.
		srv.Close()
	}
	<-errc
	return nil
}

// httpError is an error with its HTTP status; its message is one line for
// the client.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, a ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

// api wraps an API handler: the token check, the body limit, the request
// timeout, panics and errors turned into JSON answers.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rw := &trackingWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.cfg.Log.Printf("serve: panic in %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
				if !rw.wrote {
					writeJSONError(rw, http.StatusInternalServerError, "internal error (logged by the server; please report it)")
				}
			}
		}()
		if s.cfg.Token != "" && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="arkit"`)
			writeJSONError(rw, http.StatusUnauthorized, "missing or wrong token: send the header Authorization: Bearer TOKEN")
			return
		}
		if r.ContentLength > s.cfg.MaxBody {
			// Refused before reading: the connection is closed after the answer.
			writeJSONError(rw, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body of %d bytes is over the limit of %d bytes", r.ContentLength, s.cfg.MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, s.cfg.MaxBody)
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
		defer cancel()
		err := h(rw, r.WithContext(ctx))
		if err == nil {
			return
		}
		status, msg := s.classify(ctx, r, err)
		if status >= 500 {
			s.cfg.Log.Printf("serve: %s %s: %d %v", r.Method, r.URL.Path, status, err)
		}
		if rw.wrote {
			return // a stream already under way ends here
		}
		writeJSONError(rw, status, msg)
	}
}

// classify gives the status and message for a handler's error.
func (s *Server) classify(ctx context.Context, r *http.Request, err error) (int, string) {
	var he *httpError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over the limit of %d bytes", mbe.Limit)
	case r.Context().Err() != nil:
		// The client went away; nobody reads the answer.
		return 499, "client closed the request"
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than the server's limit of %s", s.cfg.Timeout)
	}
	return http.StatusInternalServerError, oneLine(err.Error())
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) == 1
}

// work runs f in a worker slot, waiting for one while ctx lasts.
// withCopy runs f on a free copy of model m, within a generation slot
// (see work).
func (s *Server) withCopy(ctx context.Context, m *model, f func(c any) error) error {
	return s.work(ctx, func() error {
		c, err := m.acquire(ctx)
		if err != nil {
			return err
		}
		defer m.release(c)
		return f(c)
	})
}

func (s *Server) work(ctx context.Context, f func() error) error {
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.workers }()
	return f()
}

// model returns the model called name of the given domain.
func (s *Server) model(name, domain string) (*model, error) {
	if name == "" {
		return nil, badRequest(`"model" is required: one of the names GET /api/models lists`)
	}
	// Names come from the table read at start, never from the file system,
	// so a path is simply a name that is not there.
	m, ok := s.models[name]
	if !ok {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf("%s %q: the server has no such model (GET /api/models lists them)", errUnknownModel, name)}
	}
	if m.info.Domain != domain {
		return nil, badRequest("model %q is a %s model, not a %s one", name, m.info.Domain, domain)
	}
	return m, nil
}

// decodeJSON reads the request body as one JSON object into v, refusing
// unknown fields.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("malformed JSON body: %s", oneLine(err.Error()))
	}
	if dec.More() {
		return badRequest("malformed JSON body: more than one JSON value")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close")
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// trackingWriter notes whether the answer has begun, and passes Flush on.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *trackingWriter) Flush() {
	w.wrote = true
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
