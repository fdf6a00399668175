// audiongram scores audio under count models (audio.NGram) trained on other
// audio: the baselines a sample-level model must beat. Both sets are read
// as `arkit audio train` and `arkit audio eval` read them (mu-law, 256
// levels, 8 kHz unless -rate says otherwise).
//
//	go run ./scripts/audiongram -train DIR -test DIR [-train DIR ...]
//
// It prints one line per model: order, smoothing, bits per sample.
package main

import (
	"flag"
	"fmt"
	"log"
	"strings"

	"github.com/arkit-go/arkit/audio"
)

type paths []string

func (p *paths) String() string     { return strings.Join(*p, ",") }
func (p *paths) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	var train, test paths
	flag.Var(&train, "train", "audio file or folder to count (repeatable)")
	flag.Var(&test, "test", "audio file or folder to score (repeatable)")
	rate := flag.Int("rate", audio.DefaultRate, "sample rate the audio is read at")
	flag.Parse()
	if len(train) == 0 || len(test) == 0 {
		log.Fatal("audiongram: give -train and -test")
	}
	load := func(p paths) [][]int32 {
		d, err := audio.LoadDataset(p, audio.LoadOptions{Rate: *rate})
		if err != nil {
			log.Fatal(err)
		}
		var seqs [][]int32
		for _, s := range d.Seqs {
			seqs = append(seqs, s.Codes)
		}
		return seqs
	}
	tr, te := load(train), load(test)
	count := func(seqs [][]int32) (n int) {
		for _, s := range seqs {
			n += len(s)
		}
		return n
	}
	fmt.Printf("train: %d files, %d samples; test: %d files, %d samples\n", len(tr), count(tr), len(te), count(te))
	for _, m := range []struct {
		name string
		ng   audio.NGram
	}{
		{"unigram, add-0.1", audio.NGram{Order: 1, Smoothing: audio.Additive, Alpha: 0.1}},
		{"bigram, add-0.1", audio.NGram{Order: 2, Smoothing: audio.Additive, Alpha: 0.1}},
		{"bigram, Kneser-Ney", audio.NGram{Order: 2}},
		{"trigram, add-0.1", audio.NGram{Order: 3, Smoothing: audio.Additive, Alpha: 0.1}},
		{"trigram, Kneser-Ney", audio.NGram{Order: 3}},
	} {
		m.ng.Train(tr)
		fmt.Printf("%-20s %.4f bits/sample\n", m.name, m.ng.BitsPerSample(te))
	}
}
