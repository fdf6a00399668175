// End-to-end tests of arkit audio: a tiny train, generate and eval round
// trip through the binary, and the bad-input catalogue of the audio
// commands.

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/core"
)

// wavBytes builds a WAV file by hand: a fmt chunk with the given format tag
// and bit depth, and a data chunk that declares declared bytes but holds
// only data.
func wavBytes(tag uint16, bits int, declared int, data []byte) []byte {
	le := binary.LittleEndian
	fmtChunk := make([]byte, 16)
	le.PutUint16(fmtChunk[0:], tag)
	le.PutUint16(fmtChunk[2:], 1)
	le.PutUint32(fmtChunk[4:], 8000)
	le.PutUint32(fmtChunk[8:], uint32(8000*bits/8))
	le.PutUint16(fmtChunk[12:], uint16(bits/8))
	le.PutUint16(fmtChunk[14:], uint16(bits))
	var b []byte
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(4+8+16+8+declared))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = append(b, fmtChunk...)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(declared))
	return append(b, data...)
}

// writeTones writes n synthetic clips of the given length as FSDD-named WAV
// files (digit_synth_take.wav) into dir.
func writeTones(t *testing.T, dir string, n int, length time.Duration) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, tn := range audio.Tones(n, 8000, length, 1) {
		name := filepath.Join(dir, strings.Join([]string{string(rune('0' + i%3)), "synth", string(rune('0' + i))}, "_")+".wav")
		if err := audio.WriteWAV(name, tn.Clip); err != nil {
			t.Fatal(err)
		}
	}
}

// tinyModel trains a small model through the library and saves it as
// model.safetensors in dir.
func tinyModel(t *testing.T, dir string, conditioned bool) {
	t.Helper()
	var clips []*audio.Clip
	var labels []string
	for _, tn := range audio.Tones(6, 8000, 100*time.Millisecond, 2) {
		clips = append(clips, tn.Clip)
		labels = append(labels, tn.Kind)
	}
	d, err := audio.NewDataset(clips, labels, 8000)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := audio.Train(context.Background(), d, nil, audio.TrainOptions{Embed: 4, Hidden: 8, Frame: 4,
		FrameHidden: 8, Cond: 4, Unconditional: !conditioned, Window: 32, Batch: 2, ValFraction: audio.NoValidation,
		TrainOptions: core.TrainOptions{Steps: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(filepath.Join(dir, "model.safetensors")); err != nil {
		t.Fatal(err)
	}
}

func TestAudioRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeTones(t, filepath.Join(dir, "wav"), 6, 200*time.Millisecond)
	_, stderr, code := runArkit(t, dir, "audio", "train", "--wav", "wav", "--out", "m.safetensors", "--embed", "8",
		"--hidden", "16", "--frame", "8", "--frame-hidden", "16", "--cond", "8", "--window", "64", "--batch", "4",
		"--steps", "6", "--val-every", "3")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "saved m.safetensors after 6 steps (step limit)") || !strings.Contains(stderr, "conditioned on the classes 0 1 2") {
		t.Errorf("train output:\n%s", stderr)
	}
	_, stderr, code = runArkit(t, dir, "audio", "generate", "--model", "m.safetensors", "--seconds", "0.1",
		"--out", "g.wav", "--n", "2", "--class", "1", "--plot", "g.png", "--prime", "wav/0_synth_0.wav")
	if code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "real-time factor") {
		t.Errorf("generate does not report its real-time factor:\n%s", stderr)
	}
	for _, name := range []string{"g-1.wav", "g-2.wav"} {
		clip, err := audio.ReadWAV(filepath.Join(dir, name), audio.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if clip.Rate != 8000 || len(clip.Samples) != 1600+800 {
			t.Errorf("%s: %d samples at %d Hz, want the 1600 of the prime and 800 more at 8000 Hz", name, len(clip.Samples), clip.Rate)
		}
		if _, err := os.Stat(filepath.Join(dir, strings.Replace(name, ".wav", ".png", 1))); err != nil {
			t.Error(err)
		}
	}
	out, stderr, code := runArkit(t, dir, "audio", "eval", "--model", "m.safetensors", "--wav", "wav", "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d\n%s", code, stderr)
	}
	var s struct {
		Bits    float64 `json:"bits_per_sample"`
		Nats    float64 `json:"nats_per_sample"`
		Samples int     `json:"samples"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Samples != 6*1600 || !(s.Bits > 0 && s.Bits < 9) {
		t.Errorf("eval printed %q (%v)", out, err)
	}
}

// TestAudioThreeTiers: --tiers 3 trains (the plan names the top tier),
// and the model file generates and scores.
func TestAudioThreeTiers(t *testing.T) {
	dir := t.TempDir()
	writeTones(t, filepath.Join(dir, "wav"), 6, 200*time.Millisecond)
	_, stderr, code := runArkit(t, dir, "audio", "train", "--wav", "wav", "--out", "m.safetensors", "--tiers", "3",
		"--top-frame", "2", "--top-hidden", "12", "--top-cond", "6", "--embed", "8", "--hidden", "16", "--frame", "8",
		"--frame-hidden", "16", "--cond", "8", "--window", "40", "--batch", "4", "--steps", "4", "--val-every", "2")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, stderr)
	}
	// The window of 40 samples is rounded up to whole top steps of 16.
	if !strings.Contains(stderr, "three tiers: top LSTM 1x12 every 2 frames, conditioning 6; frame LSTM 1x16 every 8 samples") ||
		!strings.Contains(stderr, "saved m.safetensors after 4 steps") {
		t.Errorf("train output:\n%s", stderr)
	}
	if _, stderr, code = runArkit(t, dir, "audio", "generate", "--model", "m.safetensors", "--seconds", "0.05",
		"--out", "g.wav", "--class", "1", "--weights", "int8"); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	if clip, err := audio.ReadWAV(filepath.Join(dir, "g.wav"), audio.ReadOptions{}); err != nil || len(clip.Samples) != 400 {
		t.Errorf("generated clip: %v", err)
	}
	out, stderr, code := runArkit(t, dir, "audio", "eval", "--model", "m.safetensors", "--wav", "wav", "--json")
	if code != 0 || !strings.Contains(out, `"samples":9600`) {
		t.Errorf("eval: exit %d, %s\n%s", code, out, stderr)
	}
}

func TestAudioBadInputs(t *testing.T) {
	pcm := make([]byte, 200)
	nanPCM := bytes.Repeat([]byte{0, 0, 0xc0, 0x7f}, 50) // 32-bit float NaN
	bad := func(name string, data []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), data) }
	}
	tones := func(n int, length time.Duration) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { writeTones(t, filepath.Join(dir, "wav"), n, length) }
	}
	// FSDD names (classes 0 and 1) and one other name (no class).
	mixed := func(t *testing.T, dir string) {
		writeTones(t, filepath.Join(dir, "wav"), 2, 100*time.Millisecond)
		writeFile(t, filepath.Join(dir, "wav", "more", "hello.wav"), wavBytes(1, 16, 200, pcm))
	}
	model := func(t *testing.T, dir string) { tinyModel(t, dir, false) }
	conditioned := func(t *testing.T, dir string) { tinyModel(t, dir, true) }
	textModel := func(t *testing.T, dir string) {
		net := core.NewModel(core.Config{Vocab: 65, Embed: 4, Hidden: 8}, rand.New(rand.NewPCG(1, 1)))
		if err := net.Save(filepath.Join(dir, "text.safetensors"), map[string]string{core.MetaDomain: "text"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	train := func(wav string, extra ...string) []string {
		return append([]string{"audio", "train", "--wav", wav, "--out", "m.safetensors", "--quiet", "--steps", "1"}, extra...)
	}
	gen := func(extra ...string) []string {
		return append([]string{"audio", "generate", "--model", "model.safetensors", "--seconds", "0.05", "--out", "g.wav"}, extra...)
	}
	checkBadInputs(t, []badInput{
		// Files.
		{name: "not a WAV", setup: bad("a.wav", []byte("hello, this is text and not sound")), args: train("a.wav"),
			want: "a.wav: not a WAV, FLAC or MP3 file", out: "m.safetensors"},
		{name: "truncated header", setup: bad("a.wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00")), args: train("a.wav"),
			want: "a.wav: truncated WAV file", out: "m.safetensors"},
		{name: "truncated data", setup: bad("a.wav", wavBytes(1, 16, 20000, pcm)), args: train("a.wav"),
			want: "a.wav: truncated WAV file", out: "m.safetensors"},
		{name: "16-bit float samples", setup: bad("a.wav", wavBytes(3, 16, 200, pcm)), args: train("a.wav"),
			want: "a.wav: unsupported WAV format: 16-bit IEEE float", out: "m.safetensors"},
		{name: "compressed", setup: bad("a.wav", wavBytes(0x11, 16, 200, pcm)), args: train("a.wav"),
			want: "IMA ADPCM", out: "m.safetensors"},
		{name: "zero length", setup: bad("a.wav", wavBytes(1, 16, 0, nil)), args: train("a.wav"),
			want: "no audio", out: "m.safetensors"},
		{name: "too long", setup: tones(1, 2*time.Second), args: train("wav", "--max-duration", "1s"),
			want: "audio too long", out: "m.safetensors"},
		{name: "no WAV in folder", setup: bad("d/notes.txt", []byte("x")), args: train("d"),
			want: "no WAV, FLAC or MP3 files", out: "m.safetensors"},
		{name: "missing input", args: train("nothing.wav"), want: "no such file", out: "m.safetensors"},
		{name: "some not FSDD names", setup: mixed,
			args: train("wav"), want: "wav/more/hello.wav: recording without a class among labelled ones (2 of the 3 training recordings have one); give --classes=false", out: "m.safetensors"},
		{name: "existing model", setup: func(t *testing.T, dir string) { tones(2, 100*time.Millisecond)(t, dir); model(t, dir) },
			args: []string{"audio", "train", "--wav", "wav", "--out", "model.safetensors", "--quiet", "--steps", "1"},
			want: "model.safetensors already exists: give --resume to continue its training or --force to replace it"},
		{name: "empty split", setup: tones(3, 100*time.Millisecond), args: train("wav", "--fsdd-split", "train"),
			want: "no recordings in the train split", out: "m.safetensors"},
		{name: "NaN float prime", setup: func(t *testing.T, dir string) { model(t, dir); bad("p.wav", wavBytes(3, 32, 200, nanPCM))(t, dir) },
			args: gen("--prime", "p.wav"), want: "p.wav: malformed WAV file: float sample 0 of frame 0 is not finite", out: "g.wav"},
		{name: "eval truncated", setup: func(t *testing.T, dir string) { model(t, dir); bad("a.wav", wavBytes(1, 16, 9000, pcm))(t, dir) },
			args: []string{"audio", "eval", "--model", "model.safetensors", "--wav", "a.wav"}, want: "truncated WAV file"},

		// Models.
		{name: "text model", setup: textModel, args: []string{"audio", "generate", "--model", "text.safetensors", "--seconds", "1", "--out", "g.wav"},
			want: `not an audio model: it is a "text" model`, out: "g.wav"},
		{name: "text model eval", setup: textModel, args: []string{"audio", "eval", "--model", "text.safetensors", "--wav", "x.wav"},
			want: "not an audio model"},
		{name: "garbage model", setup: bad("model.safetensors", []byte("not a model at all")), args: gen(),
			want: "model.safetensors", out: "g.wav"},
		{name: "missing model", args: gen(), want: "no such file", out: "g.wav"},
		{name: "unknown class", setup: conditioned, args: gen("--class", "trumpet"), want: `class "trumpet" unknown`, out: "g.wav"},
		{name: "resume without checkpoint", setup: tones(2, 100*time.Millisecond), args: train("wav", "--resume"),
			want: "no such file", out: "m.safetensors"},
		{name: "out folder missing", setup: model, args: []string{"audio", "generate", "--model", "model.safetensors",
			"--seconds", "0.05", "--out", "no/such/dir/g.wav"}, want: "folder no/such/dir does not exist"},
		{name: "plot folder missing", setup: model, args: gen("--plot", "no/dir/g.png"), want: "folder no/dir", out: "g.wav"},

		// Flags.
		{name: "zero seconds", setup: model, args: []string{"audio", "generate", "--model", "model.safetensors", "--seconds", "0", "--out", "g.wav"},
			want: "--seconds 0 must be in (0, 3600]", out: "g.wav"},
		{name: "negative seconds", args: []string{"audio", "generate", "--model", "m", "--seconds", "-2", "--out", "g.wav"},
			want: "--seconds -2", out: "g.wav"},
		{name: "NaN seconds", args: []string{"audio", "generate", "--model", "m", "--seconds", "NaN", "--out", "g.wav"},
			want: "--seconds NaN", out: "g.wav"},
		{name: "no seconds", args: []string{"audio", "generate", "--model", "m", "--out", "g.wav"}, want: "--seconds 0"},
		{name: "low rate", setup: tones(1, 100*time.Millisecond), args: train("wav", "--rate", "100"),
			want: "--rate 100 must be in [1000, 96000] Hz", out: "m.safetensors"},
		{name: "high rate", setup: tones(1, 100*time.Millisecond), args: train("wav", "--rate", "10000000"),
			want: "--rate 10000000", out: "m.safetensors"},
		{name: "negative rate", args: train("x.wav", "--rate", "-8000"), want: "--rate -8000"},
		{name: "bad split", args: train("x.wav", "--fsdd-split", "dev"), want: `--fsdd-split "dev"`},
		{name: "zero hidden", args: train("x.wav", "--hidden", "0"), want: "--hidden 0 must be positive"},
		{name: "too many parameters", setup: tones(1, 100*time.Millisecond), args: train("wav", "--hidden", "16384", "--layers", "16"),
			want: "more than 268435456 parameters", out: "m.safetensors"},
		{name: "four tiers", setup: tones(1, 100*time.Millisecond), args: train("wav", "--tiers", "4"), want: "tiers 4: want 1, 2 or 3", out: "m.safetensors"},
		{name: "top frame without three tiers", args: train("x.wav", "--top-frame", "4"),
			want: "--top-frame sets the top tier: it needs --tiers 3 (given --tiers 2)"},
		{name: "top hidden with one tier", args: train("x.wav", "--tiers", "1", "--top-hidden", "64"),
			want: "--top-hidden sets the top tier: it needs --tiers 3 (given --tiers 1)"},
		{name: "zero top frame", args: train("x.wav", "--tiers", "3", "--top-frame", "0"), want: "--top-frame 0 must be positive"},
		{name: "huge top tier", setup: tones(1, 100*time.Millisecond), args: train("wav", "--tiers", "3", "--top-hidden", "16384", "--top-cond", "16384"),
			want: "top tier: a model of hidden 16384", out: "m.safetensors"},
		{name: "bad decay", setup: tones(1, 100*time.Millisecond), args: train("wav", "--decay", "step"), want: `unknown decay "step"`, out: "m.safetensors"},
		{name: "no wav flag", args: []string{"audio", "train", "--out", "m.safetensors"}, want: "--wav or --tones is required"},
		{name: "wav and tones", args: []string{"audio", "train", "--wav", "x.wav", "--tones", "3", "--out", "m.safetensors"}, want: "not both"},
		{name: "short tones", args: []string{"audio", "train", "--tones", "3", "--tone-length", "1ms", "--out", "m.safetensors"},
			want: "synthetic sounds of 1ms", out: "m.safetensors"},
		{name: "no out flag", args: []string{"audio", "train", "--wav", "x.wav"}, want: "--out is required"},
		{name: "zero max duration", args: train("x.wav", "--max-duration", "0s"), want: "--max-duration 0s must be positive"},
		{name: "negative temperature", args: gen("--temperature", "-1"), want: "--temperature -1 must be positive"},
		{name: "top-p", args: gen("--top-p", "1.5"), want: "--top-p 1.5"},
		{name: "zero clips", args: gen("--n", "0"), want: "--n 0"},
		{name: "unknown weights", setup: model, args: gen("--weights", "fp16"), want: `weights "fp16": choose fp32, bf16, int8 or auto`, out: "g.wav"},
		{name: "eval unknown weights", args: []string{"audio", "eval", "--model", "m", "--wav", "x.wav", "--weights", "q4"},
			want: `weights "q4": choose fp32, bf16, int8 or auto`},
		{name: "stray argument", args: append(gen(), "extra"), want: `unexpected argument "extra"`},
		{name: "eval without wav", args: []string{"audio", "eval", "--model", "m"}, want: "--wav is required"},
	})
}

// TestAudioFormats scores the same tone as 16-bit WAV, 32-bit float WAV,
// FLAC and MP3 (audio/testdata/formats; FLAC made by sox and MP3 by lame from
// the 16-bit clip, scripts/audio_fixtures.sh) and checks that each scores within 0.05 bits per sample of
// the 16-bit WAV, read from a file, from a folder of misnamed files or from
// standard input; damaged files of each kind fail with one line naming them.
func TestAudioFormats(t *testing.T) {
	dir := t.TempDir()
	tinyModel(t, dir, false)
	fixtures := filepath.Join("..", "..", "audio", "testdata", "formats")
	flacBytes, err := os.ReadFile(filepath.Join(fixtures, "tone.flac"))
	if err != nil {
		t.Fatal(err)
	}
	mp3Bytes, err := os.ReadFile(filepath.Join(fixtures, "tone.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	// The FLAC file is lossless: its samples are the 16-bit clip.
	clip, err := audio.Read(filepath.Join(fixtures, "tone.flac"), audio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteWAV(filepath.Join(dir, "tone16.wav"), clip); err != nil {
		t.Fatal(err)
	}
	float := make([]byte, 4*len(clip.Samples))
	for i, v := range clip.Samples {
		binary.LittleEndian.PutUint32(float[4*i:], math.Float32bits(v))
	}
	floatWAV := wavBytes(3, 32, len(float), float)
	binary.LittleEndian.PutUint32(floatWAV[24:], uint32(clip.Rate))
	binary.LittleEndian.PutUint32(floatWAV[28:], uint32(clip.Rate*4))
	writeFile(t, filepath.Join(dir, "tone-float.wav"), floatWAV)
	writeFile(t, filepath.Join(dir, "tone.flac"), flacBytes)
	writeFile(t, filepath.Join(dir, "tone.mp3"), mp3Bytes)
	writeFile(t, filepath.Join(dir, "misnamed", "a.bin"), flacBytes)
	writeFile(t, filepath.Join(dir, "misnamed", "b"), mp3Bytes)

	eval := func(stdin []byte, wav string) (float64, int) {
		t.Helper()
		out, stderr, code := runArkitStdin(t, dir, stdin, "audio", "eval", "--model", "model.safetensors", "--wav", wav, "--json")
		if code != 0 {
			t.Fatalf("eval %s: exit %d\n%s", wav, code, stderr)
		}
		var s struct {
			Bits  float64 `json:"bits_per_sample"`
			Files int     `json:"files"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("eval %s printed %q: %v", wav, out, err)
		}
		return s.Bits, s.Files
	}
	ref, _ := eval(nil, "tone16.wav")
	for _, tt := range []struct {
		name  string
		stdin []byte
		wav   string
		files int
		tol   float64
	}{
		{"float WAV", nil, "tone-float.wav", 1, 0.05},
		{"FLAC", nil, "tone.flac", 1, 0.05},
		{"FLAC on stdin", flacBytes, "-", 1, 0.05},
		{"FLAC misnamed in a folder", nil, "misnamed/a.bin", 1, 0.05},
		// The LAME tag's encoder delay and padding and the decoder's
		// delay are trimmed (without, 0.8 bits/sample more on this
		// quarter second).
		{"MP3", nil, "tone.mp3", 1, 0.05},
		{"MP3 on stdin", mp3Bytes, "-", 1, 0.05},
		{"misnamed files in a folder", nil, "misnamed", 2, 0.05},
	} {
		bits, files := eval(tt.stdin, tt.wav)
		if files != tt.files || math.Abs(bits-ref) > tt.tol {
			t.Errorf("%s: %.4f bits/sample over %d files, want within %g of the 16-bit WAV's %.4f over %d", tt.name, bits, files, tt.tol, ref, tt.files)
		}
		t.Logf("%s: %.4f bits/sample (16-bit WAV: %.4f)", tt.name, bits, ref)
	}

	// A prime in each format.
	for _, prime := range []string{"tone-float.wav", "tone.flac", "tone.mp3"} {
		if _, stderr, code := runArkit(t, dir, "audio", "generate", "--model", "model.safetensors", "--seconds", "0.01", "--out", "g.wav", "--prime", prime); code != 0 {
			t.Errorf("generate --prime %s: exit %d\n%s", prime, code, stderr)
		}
	}

	// Damaged files of each kind: one line naming the file.
	for name, data := range map[string][]byte{
		"cut.flac":   flacBytes[:len(flacBytes)-100],
		"cut.mp3":    mp3Bytes[:len(mp3Bytes)-50],
		"huge.mp3":   append([]byte("ID3\x04\x00\x00\x7f\x7f\x7f\x7f"), mp3Bytes[:100]...),
		"cut.wav":    floatWAV[:len(floatWAV)-10],
		"nan.wav":    wavBytes(3, 32, 8, []byte{0, 0, 0xc0, 0x7f, 0, 0, 0, 0}),
		"text.flac":  []byte("this is no FLAC"),
		"mpeg25.mp3": append([]byte{mp3Bytes[0], mp3Bytes[1] &^ 0x18}, mp3Bytes[2:]...), // MPEG-2.5: refused
	} {
		writeFile(t, filepath.Join(dir, "bad", name), data)
		_, stderr, code := runArkit(t, dir, "audio", "eval", "--model", "model.safetensors", "--wav", filepath.Join("bad", name))
		if code == 0 || !strings.Contains(stderr, filepath.Join("bad", name)+": ") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("eval of %s: exit %d, stderr %q; want one line naming the file", name, code, stderr)
		}
	}
}
