// genseries writes synthetic monthly series in the long layout (id, date,
// value) for the at-scale measurements: one file sorted by id (each
// series' rows together, in time order) and, with -parts K, the same rows
// spread over K files at random, interleaved across series.
//
//	go run ./scripts/genseries -n 20000 -len 120 -out /tmp/s20k -parts 4
//	# -> /tmp/s20k/sorted.csv, /tmp/s20k/part-0.csv ... part-3.csv
//
// Each series is level + trend + a yearly cycle + noise, starting in a
// month of 2000-2004; values are kept positive. The data are written, not
// held: memory stays small whatever -n is.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

func main() {
	n := flag.Int("n", 20000, "number of series")
	length := flag.Int("len", 120, "points per series")
	parts := flag.Int("parts", 0, "also spread the rows over this many files, at random (0: none)")
	out := flag.String("out", "", "folder to write sorted.csv and part-K.csv in (required)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" || *n < 1 || *length < 1 || *parts < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	sorted := create(filepath.Join(*out, "sorted.csv"))
	files := make([]*bufio.Writer, *parts)
	for k := range files {
		files[k] = create(filepath.Join(*out, fmt.Sprintf("part-%d.csv", k)))
	}
	// Series i's parameters come from its own generator, so the sorted
	// file and the parts hold the same values.
	value := func(i, k int) (string, string) {
		r := rand.New(rand.NewPCG(*seed, uint64(i)))
		level, trend, amp, noise := 100+r.Float64()*900, r.Float64()*2-0.5, r.Float64()*0.3, 0.02+r.Float64()*0.08
		start := time.Date(2000+i%5, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
		e := rand.New(rand.NewPCG(*seed, uint64(i)<<20|uint64(k))).NormFloat64()
		base := level + trend*float64(k)
		v := math.Max(1, base*(1+amp*math.Sin(2*math.Pi*float64(k)/12)+noise*e))
		return start.AddDate(0, k, 0).Format("2006-01-02"), fmt.Sprintf("%.2f", v)
	}
	for i := range *n {
		for k := range *length {
			d, v := value(i, k)
			fmt.Fprintf(sorted, "s%07d,%s,%s\n", i, d, v)
		}
	}
	if *parts > 0 {
		// Time-major over a permutation of the series, each row to a random
		// file: every file interleaves the series, none holds one whole.
		r := rand.New(rand.NewPCG(*seed, 99))
		perm := r.Perm(*n)
		for k := range *length {
			for _, i := range perm {
				d, v := value(i, k)
				fmt.Fprintf(files[r.IntN(*parts)], "s%07d,%s,%s\n", i, d, v)
			}
		}
	}
	for _, w := range append(files, sorted) {
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
	}
}

// create opens a file for writing with the header; the process exits when
// it ends, closing it after the flushes above.
func create(path string) *bufio.Writer {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,date,value\n")
	return w
}
