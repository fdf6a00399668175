//go:build ignore

// measure prints, as one JSON object, the spectral figures of the clips
// named on the command line against the synthetic training set the
// quickstart uses (audio.ToneDataset with the same arguments) and against
// white noise and mu-law noise of the same length:
//
//	go run docs/results/2026-12-07-quickstart-clip/measure.go [-tones 48 -rate 8000 -seed 1] clip.wav...
//
// band_share is the share of energy within 20% of the tones' pitch range
// (audio.ToneBand widened by a fifth on each side); overlap is the
// Bhattacharyya coefficient of the long-term spectrum with the training
// clips' (1: same shape).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/arkit-go/arkit/audio"
)

type row struct {
	Name      string  `json:"name"`
	BandShare float64 `json:"band_share"`
	Overlap   float64 `json:"overlap"`
	FloorDB   float64 `json:"floor_db"`
	Noisy     float64 `json:"noisy_frames"`
}

func main() {
	tones := flag.Int("tones", 48, "training sounds")
	rate := flag.Int("rate", 8000, "rate")
	seed := flag.Uint64("seed", 1, "training seed (arkit audio train --seed default)")
	length := flag.Duration("tone-length", 500*time.Millisecond, "length of each sound")
	flag.Parse()
	fail := func(err error) { fmt.Fprintln(os.Stderr, err); os.Exit(1) }
	lo, hi := audio.ToneBand(*rate)
	lo, hi = lo/1.2, hi*1.2
	var train []*audio.Clip
	for _, t := range audio.Tones(*tones, *rate, *length, *seed) {
		train = append(train, t.Clip)
	}
	ref, err := audio.LongTermSpectrum(train)
	if err != nil {
		fail(err)
	}
	measure := func(name string, clips []*audio.Clip) row {
		s, err := audio.LongTermSpectrum(clips)
		if err != nil {
			fail(err)
		}
		o, err := audio.Overlap(s, ref)
		if err != nil {
			fail(err)
		}
		// Frames of 32 ms (half overlapping) with less than 90% of their
		// energy in the band: clicks and bursts of noise.
		var frames, noisy float64
		for _, c := range clips {
			for at := 0; at+s.Size <= len(c.Samples); at += s.Size / 2 {
				f, err := audio.LongTermSpectrum([]*audio.Clip{{Rate: c.Rate, Samples: c.Samples[at : at+s.Size]}})
				frames++
				if err == nil && f.BandShare(lo, hi) < 0.9 {
					noisy++
				}
			}
		}
		return row{name, s.BandShare(lo, hi), o, s.Floor(), noisy / frames}
	}
	rows := []row{measure("training clips", train)}
	// One training clip alone, as a generated clip is measured: the
	// median of each figure over the training clips.
	var each, coded []row
	var m audio.MuLaw
	for _, c := range train {
		each = append(each, measure("", []*audio.Clip{c}))
		q := &audio.Clip{Rate: c.Rate, Samples: make([]float32, len(c.Samples))}
		for i, v := range c.Samples {
			q.Samples[i] = m.Decode(m.Encode(v))
		}
		coded = append(coded, measure("", []*audio.Clip{q}))
	}
	median := func(name string, rs []row) row {
		med := func(f func(r row) float64) float64 {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = f(r)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		return row{name, med(func(r row) float64 { return r.BandShare }),
			med(func(r row) float64 { return r.Overlap }), med(func(r row) float64 { return r.FloorDB }),
			med(func(r row) float64 { return r.Noisy })}
	}
	rows = append(rows, median("one training clip (median of each figure)", each),
		median("one training clip through 256-level mu-law, as the model sees it (median)", coded))
	n := 2 * *rate
	for _, p := range flag.Args() {
		c, err := audio.Read(p, audio.ReadOptions{})
		if err != nil {
			fail(err)
		}
		n = len(c.Samples)
		rows = append(rows, measure(p, []*audio.Clip{c}))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	white := make([]float32, n)
	mu := make([]float32, n)
	for i := range white {
		white[i] = float32(rng.NormFloat64() * 0.3)
		mu[i] = m.Decode(rng.IntN(m.NumLevels()))
	}
	rows = append(rows, measure("white noise", []*audio.Clip{{Rate: *rate, Samples: white}}),
		measure("mu-law noise (uniform codes)", []*audio.Clip{{Rate: *rate, Samples: mu}}))
	out := map[string]any{"band_hz": []float64{lo, hi}, "frame": ref.Size, "rows": rows}
	e := json.NewEncoder(os.Stdout)
	e.SetIndent("", "  ")
	if err := e.Encode(out); err != nil {
		fail(err)
	}
}
