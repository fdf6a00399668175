// A bounded load test on loopback: concurrent clients send text
// generations and series forecasts; the benchmark reports latency
// percentiles and throughput. Run it (it is not part of go test):
//
//	go test -run '^$' -bench Load -benchtime 1x ./cmd/arkit/internal/serve/

package serve

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func BenchmarkLoad(b *testing.B) {
	const clients, perClient = 32, 8 // 256 requests per run
	_, ts := newServer(b, Config{Workers: 2, Copies: 2})
	csv := monthlyCSV(60)
	kinds := []struct {
		name, path, ctype, body string
	}{
		{"text", "/api/text/generate", "application/json", `{"model":"chat","prompt":"Hello","length":200,"seed":%d}`},
		{"ets", "/api/series/forecast?horizon=12&method=ets&id=store", "text/csv", csv},
	}
	for b.Loop() {
		lat := map[string][]time.Duration{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perClient {
					k := kinds[(c+i)%len(kinds)]
					body := k.body
					if strings.Contains(body, "%d") {
						body = fmt.Sprintf(body, c*perClient+i)
					}
					t0 := time.Now()
					resp, err := http.Post(ts.URL+k.path, k.ctype, strings.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("%s: %d", k.name, resp.StatusCode)
					}
					d := time.Since(t0)
					mu.Lock()
					lat[k.name] = append(lat[k.name], d)
					lat["all"] = append(lat["all"], d)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		wall := time.Since(start)
		for _, name := range []string{"text", "ets", "all"} {
			l := lat[name]
			slices.Sort(l)
			b.Logf("%-4s n=%3d  p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms", name, len(l),
				ms(pct(l, 50)), ms(pct(l, 90)), ms(pct(l, 99)), ms(l[len(l)-1]))
		}
		n := float64(len(lat["all"]))
		b.Logf("%d clients, %d requests in %.2f s: %.1f requests/s", clients, int(n), wall.Seconds(), n/wall.Seconds())
		b.ReportMetric(n/wall.Seconds(), "req/s")
		b.ReportMetric(ms(pct(lat["all"], 50)), "p50-ms")
		b.ReportMetric(ms(pct(lat["all"], 99)), "p99-ms")
	}
}

// pct returns the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
