// The page at /: one self-contained HTML file, embedded in the binary.

package serve

import (
	_ "embed"
	"net/http"
	"runtime"
)

//go:embed page.html
var pageHTML []byte

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Everything the page needs is in it: nothing else may load.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(pageHTML)
}

func numCPU() int { return runtime.NumCPU() }
