// The page in a real browser: headless Chromium, driven through the
// DevTools protocol, against a server on a free loopback port. The test
// needs chromium (.ci/run installs it) and fails without one.
// ARKIT_SCREENSHOT=FILE saves a
// screenshot of the page after the run (docs/img/serve.png).

package serve

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPath finds Chromium or Chrome.
func browserPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func TestPageInBrowser(t *testing.T) {
	browser := browserPath()
	if browser == "" {
		t.Fatal("no chromium: install it (apt-get install -y chromium; .ci/run does)")
	}
	s, err := New(Config{Models: modelFiles(t), Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(srvCtx, ln, nil) }()
	defer func() { stop(); <-done }()
	url := "http://" + ln.Addr().String() + "/"

	csvPath := filepath.Join(t.TempDir(), "sales.csv")
	if err := os.WriteFile(csvPath, []byte(monthlyCSV(40)), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1280, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	var models, textOut, chartSrc, tableText, pixelsSrc, audioSrc string
	var pixelsWidth int
	step := func(name string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	step("page", chromedp.Navigate(url),
		chromedp.WaitVisible(`#models li`, chromedp.ByQuery),
		chromedp.Text(`#models`, &models, chromedp.ByQuery))
	for _, name := range []string{"chat", "digits", "tones"} {
		if !strings.Contains(models, name) {
			t.Errorf("the page lists %q, not %s", models, name)
		}
	}

	step("text", chromedp.SetValue(`#text-prompt`, "Hel", chromedp.ByID),
		chromedp.SetValue(`#text-length`, "120", chromedp.ByID),
		chromedp.Click(`#text-go`, chromedp.ByID),
		chromedp.Poll(`document.getElementById("text-status").textContent.startsWith("done")`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text(`#text-out`, &textOut, chromedp.ByID))
	if !strings.HasPrefix(textOut, "Hel") || len(textOut) < 60 {
		t.Errorf("text output %q", textOut)
	}

	step("series", chromedp.SetUploadFiles(`#series-file`, []string{csvPath}, chromedp.ByID),
		chromedp.SetValue(`#series-horizon`, "6", chromedp.ByID),
		chromedp.SetValue(`#series-id`, "store", chromedp.ByID),
		chromedp.Click(`#series-go`, chromedp.ByID),
		chromedp.Poll(`document.querySelectorAll("#series-table tbody tr").length > 0`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.AttributeValue(`#series-chart`, "src", &chartSrc, nil, chromedp.ByID),
		chromedp.Text(`#series-table`, &tableText, chromedp.ByID))
	if !strings.HasPrefix(chartSrc, "data:image/png;base64,") || !strings.Contains(tableText, "north") {
		t.Errorf("series: chart %.40q, table %.80q", chartSrc, tableText)
	}

	step("pixels", chromedp.Click(`#pixels-go`, chromedp.ByID),
		chromedp.Poll(`document.getElementById("pixels-img").naturalWidth > 0`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.AttributeValue(`#pixels-img`, "src", &pixelsSrc, nil, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("pixels-img").naturalWidth`, &pixelsWidth))
	if !strings.HasPrefix(pixelsSrc, "blob:") || pixelsWidth < 8 {
		t.Errorf("pixels: %q, %d pixels wide", pixelsSrc, pixelsWidth)
	}

	step("audio", chromedp.SetValue(`#audio-seconds`, "0.5", chromedp.ByID),
		chromedp.Click(`#audio-go`, chromedp.ByID),
		chromedp.Poll(`document.getElementById("audio-player").src.startsWith("blob:")`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.AttributeValue(`#audio-player`, "src", &audioSrc, nil, chromedp.ByID))
	if !strings.HasPrefix(audioSrc, "blob:") {
		t.Errorf("audio: %q", audioSrc)
	}

	if path := os.Getenv("ARKIT_SCREENSHOT"); path != "" {
		var png []byte
		step("screenshot", chromedp.FullScreenshot(&png, 100)) // quality 100: PNG
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The page loads nothing from elsewhere: the server's policy says so.
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}
