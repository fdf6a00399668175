// Examples of the package's API, run as tests.

package audio_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/core"
)

func ExampleMuLaw() {
	var m audio.MuLaw // 256 levels, mu = 255
	for _, x := range []float32{-1, -0.1, 0, 0.01, 0.5, 1} {
		code := m.Encode(x)
		fmt.Printf("%5.2f -> %3d -> %.4f\n", x, code, m.Decode(code))
	}
	// Output:
	// -1.00 ->   0 -> -1.0000
	// -0.10 ->  52 -> -0.1007
	//  0.00 -> 128 -> 0.0001
	//  0.01 -> 157 -> 0.0102
	//  0.50 -> 239 -> 0.4967
	//  1.00 -> 255 -> 1.0000
}

func ExampleResampler() {
	// One second of a 440 Hz tone at 44.1 kHz, brought to 8 kHz.
	x := make([]float32, 44100)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/44100))
	}
	r := audio.NewResampler(44100, 8000)
	y := r.Resample(x)

	// The peak of the middle, away from the edges, is still 0.5.
	var peak float32
	for _, v := range y[1000:7000] {
		peak = max(peak, v)
	}
	fmt.Printf("%d samples, peak %.3f\n", len(y), peak)
	// Output:
	// 8000 samples, peak 0.500
}

func ExampleWriteWAV() {
	dir, err := os.MkdirTemp("", "audio-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ramp.wav")

	clip := &audio.Clip{Rate: 8000, Samples: []float32{-1, -0.5, 0, 0.5, 1.5}}
	if err := audio.WriteWAV(path, clip); err != nil {
		log.Fatal(err)
	}
	back, err := audio.ReadWAV(path, audio.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	// 1.5 is clamped to the largest 16-bit value, 32767/32768.
	fmt.Println(back.Rate, back.Samples)
	// Output:
	// 8000 [-1 -0.5 0 0.5 0.9999695]
}

func ExampleReadWAV_error() {
	dir, err := os.MkdirTemp("", "audio-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "notes.wav")
	if err := os.WriteFile(path, []byte("not a sound"), 0o644); err != nil {
		log.Fatal(err)
	}

	_, err = audio.ReadWAV(path, audio.ReadOptions{})
	fmt.Println(err != nil && errors.Is(err, audio.ErrNotWAV))
	// Output:
	// true
}

func ExampleParseFSDDName() {
	for _, path := range []string{"recordings/7_jackson_3.wav", "recordings/7_jackson_32.wav"} {
		name, err := audio.ParseFSDDName(path)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("digit %d, speaker %s, take %d, test split %v\n", name.Digit, name.Speaker, name.Index, name.Test())
	}
	// Output:
	// digit 7, speaker jackson, take 3, test split true
	// digit 7, speaker jackson, take 32, test split false
}

func ExampleNGram() {
	// Codes that mostly repeat the previous one.
	train := [][]int32{{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3}}
	test := [][]int32{{0, 0, 1, 1, 1, 2, 2, 3, 3}}
	for order := 1; order <= 2; order++ {
		m := audio.NGram{Order: order, Levels: 4, Smoothing: audio.Additive}
		m.Train(train)
		fmt.Printf("order %d: %.3f bits per sample\n", order, m.BitsPerSample(test))
	}
	// Output:
	// order 1: 1.991 bits per sample
	// order 2: 1.449 bits per sample
}

func ExampleTrain() {
	// Synthetic sounds of a quarter second at 4 kHz: tones, pitch glides
	// and plucked notes, labelled by their kind.
	train, err := audio.ToneDataset(60, 4000, 250*time.Millisecond, 1)
	if err != nil {
		log.Fatal(err)
	}
	test, err := audio.ToneDataset(6, 4000, 250*time.Millisecond, 2)
	if err != nil {
		log.Fatal(err)
	}

	// A small two-tier model, conditioned on the kind of sound (the
	// recordings' class).
	opts := audio.TrainOptions{Embed: 16, History: 8, Hidden: 48, Frame: 4, FrameHidden: 48, Cond: 16,
		Window: 128, Batch: 8, ValFraction: audio.NoValidation,
		TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 150, Seed: 3}}
	m, _, err := audio.Train(context.Background(), train, nil, opts)
	if err != nil {
		log.Fatal(err)
	}
	score, err := m.Evaluate(context.Background(), test)
	if err != nil {
		log.Fatal(err)
	}

	// The bigram count model knows the previous code only.
	var trainCodes, testCodes [][]int32
	for _, s := range train.Seqs {
		trainCodes = append(trainCodes, s.Codes)
	}
	for _, s := range test.Seqs {
		testCodes = append(testCodes, s.Codes)
	}
	bigram := audio.NGram{Order: 2}
	bigram.Train(trainCodes)
	fmt.Println("classes:", m.Labels)
	fmt.Println("better than the bigram by over a bit per sample:", score.BitsPerSample < bigram.BitsPerSample(testCodes)-1)

	// Half a second of a chirp, drawn sample by sample.
	clips, err := m.Generate(context.Background(), audio.GenerateOptions{Seconds: 0.5, Label: audio.KindChirp, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(clips[0].Samples), "samples at", clips[0].Rate, "Hz")
	// Output:
	// classes: [chirp note tone]
	// better than the bigram by over a bit per sample: true
	// 2000 samples at 4000 Hz
}
