// Tests of every endpoint and of the bad inputs each must refuse with a
// 4xx and a one-line JSON error, the limits, the token, recovery from a
// panic, concurrency without leaks and the graceful stop.

package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/text"
)

// newServer starts a test server on the tiny models.
func newServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	cfg.Models = modelFiles(t)
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// do sends a request and returns the status and body.
func do(t testing.TB, method, url, contentType string, body io.Reader, header ...string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func postJSON(t testing.TB, url, body string) (int, []byte, http.Header) {
	return do(t, "POST", url, "application/json", strings.NewReader(body))
}

func TestModels(t *testing.T) {
	_, ts := newServer(t, Config{})
	code, body, _ := do(t, "GET", ts.URL+"/api/models", "", nil)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var infos []Info
	if err := json.Unmarshal(body, &infos); err != nil {
		t.Fatal(err)
	}
	if len(infos) != 3 {
		t.Fatalf("%d models: %s", len(infos), body)
	}
	chat, digits, tones := infos[0], infos[1], infos[2]
	if chat.Name != "chat" || chat.Domain != "text" || chat.Vocabulary != 11 || chat.Tokenizer != "char" {
		t.Errorf("chat: %+v", chat)
	}
	if digits.Name != "digits" || digits.Domain != "pixels" || digits.Width != 8 || digits.Height != 8 || digits.Levels != 2 || len(digits.Classes) != 10 {
		t.Errorf("digits: %+v", digits)
	}
	if tones.Name != "tones" || tones.Domain != "audio" || tones.SampleRate != 4000 || len(tones.Classes) == 0 {
		t.Errorf("tones: %+v", tones)
	}
}

// TestTextMatchesCLI checks that the API's text is what arkit text
// generate prints after the prompt: the same library call, same options.
func TestTextMatchesCLI(t *testing.T) {
	_, ts := newServer(t, Config{})
	m, err := text.Load(modelFiles(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body string
		opts text.GenerateOptions
	}{
		// The CLI's defaults: temperature 0.8, top-p 1, seed 1.
		{`{"model":"chat","prompt":"Hel","length":60}`,
			text.GenerateOptions{Prompt: "Hel", Length: 60, Temperature: 0.8, TopP: 1, RepetitionPenalty: 1, Seed: 1, N: 1}},
		{`{"model":"chat","prompt":"wor","length":80,"temperature":1.3,"top_k":5,"top_p":0.9,"min_p":0.01,"repetition_penalty":1.1,"seed":42,"stop":["!"]}`,
			text.GenerateOptions{Prompt: "wor", Length: 80, Temperature: 1.3, TopK: 5, TopP: 0.9, MinP: 0.01, RepetitionPenalty: 1.1, Seed: 42, Stop: []string{"!"}, N: 1}},
		{`{"model":"chat","length":30,"seed":7}`,
			text.GenerateOptions{Length: 30, Temperature: 0.8, TopP: 1, RepetitionPenalty: 1, Seed: 7, N: 1}},
	} {
		var want bytes.Buffer
		if err := m.Generate(context.Background(), tc.opts, &want); err != nil {
			t.Fatal(err)
		}
		wantText := strings.TrimPrefix(want.String(), tc.opts.Prompt)
		code, body, _ := postJSON(t, ts.URL+"/api/text/generate", tc.body)
		var got struct{ Text string }
		if code != 200 || json.Unmarshal(body, &got) != nil {
			t.Fatalf("%s: %d %s", tc.body, code, body)
		}
		if got.Text != wantText || got.Text == "" {
			t.Errorf("%s:\n got %q\nwant %q", tc.body, got.Text, wantText)
		}
		// The stream's chunks join into the same text.
		streamed, events := readStream(t, ts.URL, strings.Replace(tc.body, "{", `{"stream":true,`, 1))
		if streamed != wantText || events < 2 {
			t.Errorf("%s streamed in %d events:\n got %q\nwant %q", tc.body, events, streamed, wantText)
		}
	}
}

// readStream posts a streaming generation and joins its events' text.
func readStream(t testing.TB, url, body string) (string, int) {
	t.Helper()
	resp, err := http.Post(url+"/api/text/generate", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var out strings.Builder
	events, done := 0, false
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var d struct{ Text string }
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d); err != nil {
				t.Fatalf("event %q: %v", line, err)
			}
			switch event {
			case "":
				out.WriteString(d.Text)
				events++
			case "done":
				done = true
			default:
				t.Fatalf("event %q: %s", event, line)
			}
			event = ""
		}
	}
	if !done {
		t.Error("the stream has no done event")
	}
	return out.String(), events
}

func TestBadInput(t *testing.T) {
	_, ts := newServer(t, Config{MaxLength: 1000})
	long := monthlyCSV(36)
	for _, tc := range []struct {
		name, path, ctype, body string
		status                  int
		msg                     string // part of the error
	}{
		{"malformed JSON", "/api/text/generate", "application/json", `{"model": "chat",`, 400, "malformed JSON"},
		{"not an object", "/api/text/generate", "application/json", `[1,2]`, 400, "malformed JSON"},
		{"unknown field", "/api/text/generate", "application/json", `{"model":"chat","lenght":3}`, 400, "lenght"},
		{"two values", "/api/text/generate", "application/json", `{"model":"chat"}{}`, 400, "more than one"},
		{"no model", "/api/text/generate", "application/json", `{"prompt":"x"}`, 400, `"model" is required`},
		{"unknown model", "/api/text/generate", "application/json", `{"model":"nope"}`, 404, `unknown model "nope"`},
		{"path as model", "/api/text/generate", "application/json", `{"model":"../../../etc/passwd"}`, 404, "unknown model"},
		{"file as model", "/api/pixels/sample", "application/json", `{"model":"` + modelFiles(t)[1] + `"}`, 404, "unknown model"},
		{"dot dot", "/api/audio/generate", "application/json", `{"model":"..","seconds":1}`, 404, "unknown model"},
		{"wrong domain", "/api/text/generate", "application/json", `{"model":"digits"}`, 400, "a pixels model, not a text one"},
		{"negative length", "/api/text/generate", "application/json", `{"model":"chat","length":-5}`, 400, `"length" -5 must be in 1..1000`},
		{"zero length", "/api/text/generate", "application/json", `{"model":"chat","length":0}`, 400, `"length" 0`},
		{"length over cap", "/api/text/generate", "application/json", `{"model":"chat","length":1001}`, 400, `1..1000`},
		{"huge length", "/api/text/generate", "application/json", `{"model":"chat","length":1e30}`, 400, "malformed JSON"},
		{"negative temperature", "/api/text/generate", "application/json", `{"model":"chat","temperature":-1}`, 400, "temperature"},
		{"top_p over 1", "/api/text/generate", "application/json", `{"model":"chat","top_p":1.5}`, 400, "top_p"},
		{"negative top_k", "/api/text/generate", "application/json", `{"model":"chat","top_k":-1}`, 400, "top_k"},
		{"empty stop", "/api/text/generate", "application/json", `{"model":"chat","stop":[""]}`, 400, "stop"},
		{"negative seed", "/api/text/generate", "application/json", `{"model":"chat","seed":-1}`, 400, "malformed JSON"},
		{"prompt out of vocabulary", "/api/text/generate", "application/json", `{"model":"chat","prompt":"Zebra"}`, 400, "prompt"},
		{"pixels n 0", "/api/pixels/sample", "application/json", `{"model":"digits","n":0}`, 400, `"n" 0`},
		{"pixels n huge", "/api/pixels/sample", "application/json", `{"model":"digits","n":100000}`, 400, `"n" 100000`},
		{"pixels temperature 0", "/api/pixels/sample", "application/json", `{"model":"digits","temperature":0}`, 400, "temperature"},
		{"pixels unknown class", "/api/pixels/sample", "application/json", `{"model":"digits","class":"x"}`, 400, `"class" "x"`},
		{"complete no image", "/api/pixels/complete?model=digits&keep_rows=3", "image/png", ``, 400, "no image"},
		{"complete not an image", "/api/pixels/complete?model=digits&keep_rows=3", "image/png", `hello`, 400, "the image"},
		{"complete keep rows", "/api/pixels/complete?model=digits&keep_rows=8", "image/png", string(pngBytes(t, 8, 8)), 400, "keep_rows"},
		{"complete keep rows missing", "/api/pixels/complete?model=digits", "image/png", string(pngBytes(t, 8, 8)), 400, "keep_rows"},
		{"complete keep rows text", "/api/pixels/complete?model=digits&keep_rows=abc", "image/png", string(pngBytes(t, 8, 8)), 400, "not an integer"},
		{"audio no seconds", "/api/audio/generate", "application/json", `{"model":"tones"}`, 400, "seconds"},
		{"audio too long", "/api/audio/generate", "application/json", `{"model":"tones","seconds":3600}`, 400, "seconds"},
		{"audio unknown class", "/api/audio/generate", "application/json", `{"model":"tones","seconds":0.1,"class":"violin"}`, 400, "violin"},
		{"series no horizon", "/api/series/forecast?method=snaive", "text/csv", long, 400, "horizon"},
		{"series negative horizon", "/api/series/forecast?horizon=-3&method=snaive", "text/csv", long, 400, "horizon"},
		{"series horizon text", "/api/series/forecast?horizon=x", "text/csv", long, 400, "not an integer"},
		{"series unknown method", "/api/series/forecast?horizon=3&method=magic", "text/csv", long, 400, "magic"},
		{"series non-numeric", "/api/series/forecast?horizon=3&method=snaive&id=store&time=month&value=sales", "text/csv",
			"store,month,sales\na,2020-01-01,1\na,2020-02-01,abc\na,2020-03-01,3\n", 400, "request body"},
		{"series empty", "/api/series/forecast?horizon=3&method=snaive", "text/csv", "", 400, ""},
		{"series unknown column", "/api/series/forecast?horizon=3&method=snaive&value=nope", "text/csv", long, 400, "nope"},
		{"series bad quantile", "/api/series/forecast?horizon=3&method=snaive&quantiles=1.5", "text/csv", long, 400, "quantiles"},
		{"series bad layout", "/api/series/forecast?horizon=3&method=snaive&layout=diagonal", "text/csv", long, 400, "layout"},
		{"series horizon too long", "/api/series/forecast?horizon=100000&method=snaive", "text/csv", long, 400, "horizon"},
		{"no endpoint", "/api/nothing", "application/json", `{}`, 404, "no API endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := do(t, "POST", ts.URL+tc.path, tc.ctype, strings.NewReader(tc.body))
			var e struct{ Error string }
			if err := json.Unmarshal(body, &e); err != nil || h.Get("Content-Type") != "application/json" {
				t.Fatalf("%d, not a JSON error: %s", code, body)
			}
			if code != tc.status || !strings.Contains(e.Error, tc.msg) || e.Error == "" || strings.Contains(e.Error, "\n") {
				t.Errorf("%d %q; want %d and %q", code, e.Error, tc.status, tc.msg)
			}
		})
	}
}

// pngBytes encodes a w x h gray image with a bright bar.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		img.Pix[y*w+w/2] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBodyTooLarge declares a 100 MB body: the answer is 413 before any of
// it is read, and the server keeps answering.
func TestBodyTooLarge(t *testing.T) {
	_, ts := newServer(t, Config{})
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/series/forecast?horizon=3 HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\nstore,month", 100<<20)
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(b), "over the limit") {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/models", "", nil); code != 200 {
		t.Errorf("after the 413: %d", code)
	}

	// A body that says nothing of its length is cut at the limit as it
	// is read.
	_, small := newServer(t, Config{MaxBody: 1000})
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(`{"model":"chat","prompt":"` + strings.Repeat("H", 5000) + `"}`))
		pw.Close()
	}()
	code, body, _ := do(t, "POST", small.URL+"/api/text/generate", "application/json", pr)
	if code != 413 {
		t.Errorf("chunked body over the limit: %d %s", code, body)
	}
	code, body, _ = do(t, "POST", small.URL+"/api/series/forecast?horizon=3&method=snaive", "text/csv", io.MultiReader(strings.NewReader(monthlyCSV(100)), strings.NewReader("")))
	if code != 413 {
		t.Errorf("series body over the limit: %d %s", code, body)
	}
}

func TestToken(t *testing.T) {
	_, ts := newServer(t, Config{Token: "s3cret"})
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "s3cret"}} {
		code, body, _ := do(t, "GET", ts.URL+"/api/models", "", nil, h...)
		if code != 401 || !strings.Contains(string(body), "token") {
			t.Errorf("%v: %d %s", h, code, body)
		}
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/models", "", nil, "Authorization", "Bearer s3cret"); code != 200 {
		t.Errorf("with the token: %d", code)
	}
	// The page itself asks for the token; it holds no secret.
	if code, _, _ := do(t, "GET", ts.URL+"/", "", nil); code != 200 {
		t.Errorf("page: %d", code)
	}
}

func TestPanicIsA500(t *testing.T) {
	var logged bytes.Buffer
	s, _ := newServer(t, Config{Log: log.New(&logged, "", 0)})
	h := s.api(func(w http.ResponseWriter, r *http.Request) error { panic("boom") })
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("POST", "/api/x", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"error"`) || !strings.Contains(logged.String(), "boom") {
		t.Errorf("%d %s; log %q", rec.Code, rec.Body, logged.String())
	}
	// The server goes on.
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/models", nil))
	if rec.Code != 200 {
		t.Errorf("after the panic: %d", rec.Code)
	}
}

// TestSeriesMatchesCLI checks the CSV answer against the job arkit series
// forecast runs on the same file with the same flags.
func TestSeriesMatchesCLI(t *testing.T) {
	_, ts := newServer(t, Config{})
	data := monthlyCSV(40)
	dir := t.TempDir()
	in := filepath.Join(dir, "sales.csv")
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"snaive", "ets", "theta"} {
		out := filepath.Join(dir, method+".csv")
		err := series.Forecast(context.Background(), series.ForecastRequest{
			Input:   series.Input{CSV: in, Options: readOptions("store", "month", "sales")},
			Horizon: 6, Method: method, Quantiles: []float64{0.05, 0.5, 0.95}, Seed: 1, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(out)
		url := ts.URL + "/api/series/forecast?horizon=6&method=" + method + "&id=store&time=month&value=sales&quantiles=0.05,0.5,0.95"
		code, got, h := do(t, "POST", url, "text/csv", strings.NewReader(data), "Accept", "text/csv")
		if code != 200 || !bytes.Equal(got, want) || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
			t.Errorf("%s: %d\n got %s\nwant %s", method, code, got, want)
		}
		code, js, _ := do(t, "POST", url+"&plot=svg", "text/csv", strings.NewReader(data))
		var res ForecastResponse
		if code != 200 || json.Unmarshal(js, &res) != nil {
			t.Fatalf("%s JSON: %d %s", method, code, js)
		}
		if res.CSV != string(want) || len(res.Rows) != 12 || res.Columns[0] != "id" || !strings.HasPrefix(res.Plot, "data:image/svg+xml;base64,") {
			t.Errorf("%s JSON: %+v", method, res)
		}
		if _, ok := res.Rows[0][2].(float64); !ok {
			t.Errorf("%s: a cell of %q is not a number: %v", method, res.Columns[2], res.Rows[0])
		}
	}
	code, img, h := do(t, "POST", ts.URL+"/api/series/forecast?horizon=6&method=snaive", "text/csv", strings.NewReader(data), "Accept", "image/png")
	if code != 200 || h.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("png: %d %s", code, h.Get("Content-Type"))
	}
	code, img, h = do(t, "POST", ts.URL+"/api/series/forecast?horizon=6&method=snaive", "text/csv", strings.NewReader(data), "Accept", "image/svg+xml")
	if code != 200 || h.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(img, []byte("<svg")) {
		t.Errorf("svg: %d %s", code, h.Get("Content-Type"))
	}
}

func TestSeriesLSTMWithinTimeout(t *testing.T) {
	_, ts := newServer(t, Config{Timeout: 4 * time.Second})
	start := time.Now()
	code, body, _ := do(t, "POST", ts.URL+"/api/series/forecast?horizon=6&method=lstm", "text/csv", strings.NewReader(monthlyCSV(40)))
	if code != 200 || time.Since(start) > 4*time.Second {
		t.Errorf("%d after %s: %.300s", code, time.Since(start), body)
	}
}

func TestPixels(t *testing.T) {
	_, ts := newServer(t, Config{})
	code, body, h := postJSON(t, ts.URL+"/api/pixels/sample", `{"model":"digits","n":6,"class":"3","temperature":0.9,"seed":2,"cols":3}`)
	if code != 200 || h.Get("Content-Type") != "image/png" {
		t.Fatalf("%d %s", code, body)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() <= b.Dy() { // 3 columns, 2 rows
		t.Errorf("grid of %v", b)
	}
	// Completion: the PNG as the body, the settings in the query...
	code, body, _ = do(t, "POST", ts.URL+"/api/pixels/complete?model=digits&keep_rows=4&n=3&seed=5", "image/png", bytes.NewReader(pngBytes(t, 20, 20)))
	if code != 200 {
		t.Fatalf("complete: %d %s", code, body)
	}
	if _, err := png.Decode(bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	// ... or a multipart form.
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	fw, _ := mw.CreateFormFile("image", "seven.png")
	fw.Write(pngBytes(t, 8, 8))
	mw.WriteField("model", "digits")
	mw.WriteField("keep_rows", "3")
	mw.WriteField("invert", "true")
	mw.Close()
	code, body, _ = do(t, "POST", ts.URL+"/api/pixels/complete", mw.FormDataContentType(), &mb)
	if code != 200 || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("multipart: %d %.200s", code, body)
	}
}

func TestAudio(t *testing.T) {
	_, ts := newServer(t, Config{})
	code, body, h := postJSON(t, ts.URL+"/api/audio/generate", `{"model":"tones","seconds":0.25,"seed":3}`)
	if code != 200 || h.Get("Content-Type") != "audio/wav" {
		t.Fatalf("%d %s", code, body)
	}
	// A 16-bit PCM mono WAV of 0.25 s at 4 kHz: 44 bytes of header, 2000 of data.
	if !bytes.HasPrefix(body, []byte("RIFF")) || string(body[8:12]) != "WAVE" || body[34] != 16 || len(body) < 44+2000 {
		t.Errorf("not a 16-bit WAV: %d bytes, % x", len(body), body[:min(len(body), 44)])
	}
}

// TestConcurrentGenerations runs 40 generations of 200 characters at once
// on 2 workers: all succeed, and no goroutine is left behind.
func TestConcurrentGenerations(t *testing.T) {
	_, ts := newServer(t, Config{Workers: 2})
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"model":"chat","prompt":"Hello","length":200,"seed":%d,"stream":%v}`, i, i%2 == 0)
			resp, err := http.Post(ts.URL+"/api/text/generate", "application/json", strings.NewReader(body))
			if err != nil {
				errs <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || len(b) < 200 {
				errs <- fmt.Sprintf("%d %s", resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	http.DefaultClient.CloseIdleConnections()
	ts.CloseClientConnections()
	checkGoroutines(t, before)
}

// checkGoroutines waits a little for the goroutines to fall back to n.
func checkGoroutines(t *testing.T, n int) {
	t.Helper()
	var now int
	for range 50 {
		if now = runtime.NumGoroutine(); now <= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, %d before:\n%s", now, n, buf[:runtime.Stack(buf, true)])
}

// TestDisconnectCancels drops a client in the middle of a long
// generation: the generation stops and frees its worker.
func TestDisconnectCancels(t *testing.T) {
	_, ts := newServer(t, Config{Workers: 1, Copies: 1, MaxLength: 1 << 20})
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/text/generate", strings.NewReader(`{"model":"chat","length":1000000,"stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Read(make([]byte, 100)) // the generation is under way
	cancel()
	resp.Body.Close()
	// With one worker and one copy, this waits for the cancelled one.
	start := time.Now()
	code, body, _ := postJSON(t, ts.URL+"/api/text/generate", `{"model":"chat","length":10}`)
	if code != 200 || time.Since(start) > 5*time.Second {
		t.Errorf("%d after %s: %s", code, time.Since(start), body)
	}
	http.DefaultClient.CloseIdleConnections()
	ts.CloseClientConnections()
	checkGoroutines(t, before)
}

// TestGracefulStop stops the server while a request is in flight: the
// request finishes and Serve returns nil.
func TestGracefulStop(t *testing.T) {
	s, err := New(Config{Models: modelFiles(t)[:1], MaxLength: 1 << 20, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, nil) }()
	url := "http://" + ln.Addr().String()
	resp, err := http.Post(url+"/api/text/generate", "application/json", strings.NewReader(`{"model":"chat","length":100000,"stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Read(make([]byte, 100)) // the generation is under way
	stop()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !strings.Contains(string(b), "event: done") {
		t.Errorf("the request in flight did not finish: %v %.100s", err, b)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(url + "/api/models"); err == nil {
		t.Error("still listening after the stop")
	}
}
