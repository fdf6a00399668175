// End-to-end tests of arkit pixels: the bad-input rows (one clear line, a
// non-zero exit, no stack trace, no output left behind) and one quick run of
// train, sample, complete and eval on built-in digits.

package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/pixels"
)

// grayPNG encodes a w x h mid-gray PNG by hand (8-bit gray, no filter).
func grayPNG(w, h int) []byte {
	var raw bytes.Buffer
	for range h {
		raw.WriteByte(0)
		raw.Write(bytes.Repeat([]byte{128}, w))
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bit depth; colour type 0 (gray)
	chunk("IHDR", ihdr)
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// idxImages encodes an IDX image file of n images of 28x28 with the given
// magic number.
func idxImages(magic uint32, n int) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint32{magic, uint32(n), 28, 28})
	b.Write(make([]byte, n*28*28))
	return b.Bytes()
}

func idxLabels(n int) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, []uint32{0x801, uint32(n)})
	b.Write(make([]byte, n))
	return b.Bytes()
}

// pixelModel writes an 8x8 binary pixels model of the glyph digits
// (class-conditional), trained one step, without training state, to
// dir/name.
func pixelModel(t *testing.T, dir, name string) {
	t.Helper()
	d := pixels.Glyphs(20, 8, 1)
	if err := d.Quantize(2); err != nil {
		t.Fatal(err)
	}
	opts := pixels.TrainOptions{Hidden: 8, Embed: 2, Context: 1, ValImages: pixels.NoValidation,
		TrainOptions: core.TrainOptions{Steps: 1}}
	m, _, err := pixels.Train(context.Background(), d, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// textModel writes a core model whose domain is text to dir/name.
func textModel(t *testing.T, dir, name string) {
	t.Helper()
	m := core.NewModel(core.Config{Vocab: 5, Embed: 2, Hidden: 4}, rand.New(rand.NewPCG(1, 1)))
	if err := m.Save(filepath.Join(dir, name), map[string]string{core.MetaDomain: "text"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestPixelsBadInputs(t *testing.T) {
	model := func(t *testing.T, dir string) { pixelModel(t, dir, "m.arkit") }
	amat := strings.TrimSpace(strings.Repeat("0 ", 784)) + "\n"
	checkBadInputs(t, []badInput{
		// Sources.
		{name: "no source", args: []string{"pixels", "train", "--out", "m.arkit"},
			want: "give exactly one of --mnist DIR, --amat FILE, --images DIR or --glyphs N", out: "m.arkit"},
		{name: "two sources", args: []string{"pixels", "train", "--glyphs", "10", "--images", "x", "--out", "m.arkit"},
			want: "give exactly one of", out: "m.arkit"},
		{name: "empty folder",
			setup: func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "imgs"), 0o755) },
			args:  []string{"pixels", "train", "--images", "imgs", "--out", "m.arkit"}, want: "no images", out: "m.arkit"},
		{name: "folder of non-images",
			setup: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "imgs", "notes.txt"), []byte("hello")) },
			args:  []string{"pixels", "train", "--images", "imgs", "--out", "m.arkit"}, want: "no images", out: "m.arkit"},
		{name: "sizes differ without --size",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "imgs", "a.png"), grayPNG(4, 4))
				writeFile(t, filepath.Join(dir, "imgs", "b.png"), grayPNG(5, 4))
			},
			args: []string{"pixels", "train", "--images", "imgs", "--out", "m.arkit"}, want: "image sizes differ", out: "m.arkit"},
		{name: "corrupt PNG",
			setup: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "imgs", "a.png"), grayPNG(4, 4)[:40]) },
			args:  []string{"pixels", "train", "--images", "imgs", "--size", "4x4", "--out", "m.arkit"}, want: "a.png: invalid format", out: "m.arkit"},
		{name: "missing folder", args: []string{"pixels", "train", "--images", "nowhere", "--out", "m.arkit"},
			want: "nowhere", out: "m.arkit"},
		{name: "wrong IDX magic",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "mnist", "train-images-idx3-ubyte"), idxImages(0x804, 2))
				writeFile(t, filepath.Join(dir, "mnist", "train-labels-idx1-ubyte"), idxLabels(2))
			},
			args: []string{"pixels", "train", "--mnist", "mnist", "--out", "m.arkit"}, want: "magic", out: "m.arkit"},
		{name: "truncated IDX",
			setup: func(t *testing.T, dir string) {
				b := idxImages(0x803, 2)
				writeFile(t, filepath.Join(dir, "mnist", "train-images-idx3-ubyte"), b[:len(b)-100])
				writeFile(t, filepath.Join(dir, "mnist", "train-labels-idx1-ubyte"), idxLabels(2))
			},
			args: []string{"pixels", "train", "--mnist", "mnist", "--out", "m.arkit"}, want: "truncated", out: "m.arkit"},
		{name: "MNIST files missing",
			setup: func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "mnist"), 0o755) },
			args:  []string{"pixels", "train", "--mnist", "mnist", "--out", "m.arkit"}, want: "train-images-idx3-ubyte", out: "m.arkit"},
		{name: "bad amat value",
			setup: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "b.amat"), []byte(amat+"0 2\n")) },
			args:  []string{"pixels", "train", "--amat", "b.amat", "--out", "m.arkit"}, want: "b.amat line 2", out: "m.arkit"},
		{name: "amat with levels",
			setup: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "b.amat"), []byte(amat)) },
			args:  []string{"pixels", "train", "--amat", "b.amat", "--levels", "4", "--out", "m.arkit"}, want: ".amat images are binary", out: "m.arkit"},
		// Flags.
		{name: "levels 1", args: []string{"pixels", "train", "--glyphs", "10", "--levels", "1", "--out", "m.arkit"},
			want: "--levels 1 outside 2..256", out: "m.arkit"},
		{name: "levels 300", args: []string{"pixels", "train", "--glyphs", "10", "--levels", "300", "--out", "m.arkit"},
			want: "--levels 300 outside 2..256", out: "m.arkit"},
		{name: "malformed size", args: []string{"pixels", "train", "--glyphs", "10", "--size", "16x", "--out", "m.arkit"},
			want: `--size "16x"`, out: "m.arkit"},
		{name: "zero size", args: []string{"pixels", "train", "--glyphs", "10", "--size", "0x16", "--out", "m.arkit"},
			want: `--size "0x16"`, out: "m.arkit"},
		{name: "glyphs not square", args: []string{"pixels", "train", "--glyphs", "10", "--size", "16x12", "--out", "m.arkit"},
			want: "glyphs are square", out: "m.arkit"},
		{name: "negative glyphs", args: []string{"pixels", "train", "--glyphs", "-3", "--out", "m.arkit"},
			want: "--glyphs -3", out: "m.arkit"},
		{name: "no --out", args: []string{"pixels", "train", "--glyphs", "10"}, want: "--out is required"},
		{name: "--out folder missing", args: []string{"pixels", "train", "--glyphs", "10", "--out", "no/m.arkit"},
			want: "folder no does not exist"},
		{name: "val with glyphs", args: []string{"pixels", "train", "--glyphs", "10", "--val", "v.amat", "--out", "m.arkit"},
			want: "--val takes .amat files with --amat or one folder with --images", out: "m.arkit"},
		{name: "val missing",
			setup: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "b.amat"), []byte(amat)) },
			args:  []string{"pixels", "train", "--amat", "b.amat", "--val", "v.amat", "--steps", "1", "--out", "m.arkit"},
			want:  "v.amat", out: "m.arkit"},
		{name: "val not images",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "imgs", "a.png"), grayPNG(4, 4))
				writeFile(t, filepath.Join(dir, "val", "notes.txt"), []byte("hello"))
			},
			args: []string{"pixels", "train", "--images", "imgs", "--val", "val", "--steps", "1", "--out", "m.arkit"},
			want: "val: no .png", out: "m.arkit"},
		{name: "negative val images", args: []string{"pixels", "train", "--glyphs", "10", "--val-images", "-1", "--out", "m.arkit"},
			want: "--val-images -1 must be at least 0", out: "m.arkit"},
		{name: "class drop 2", args: []string{"pixels", "train", "--glyphs", "10", "--class-drop", "2", "--out", "m.arkit"},
			want: "--class-drop 2 outside [0, 1]", out: "m.arkit"},
		{name: "bad context", args: []string{"pixels", "train", "--glyphs", "10", "--context", "0", "--out", "m.arkit"},
			want: "--context 0 outside", out: "m.arkit"},
		{name: "row tier width without two tiers", args: []string{"pixels", "train", "--glyphs", "10", "--frame-hidden", "64", "--out", "m.arkit"},
			want: "--frame-hidden sets the row tier: it needs --tiers 2 (given --tiers 1)", out: "m.arkit"},
		{name: "three tiers for images", args: []string{"pixels", "train", "--glyphs", "10", "--tiers", "3", "--out", "m.arkit"},
			want: "tiers 3: want 1 or 2", out: "m.arkit"},
		{name: "out exists", setup: model, args: []string{"pixels", "train", "--glyphs", "10", "--out", "m.arkit"},
			want: "m.arkit already exists: give --resume to continue its training or --force to replace it"},
		{name: "resume and force", setup: model, args: []string{"pixels", "train", "--glyphs", "10", "--out", "m.arkit", "--resume", "--force"},
			want: "--resume and --force exclude each other"},
		{name: "resume nothing", args: []string{"pixels", "train", "--glyphs", "10", "--out", "m.arkit", "--resume"},
			want: "open m.arkit: no such file", out: "m.arkit"},
		{name: "resume without state", setup: model, args: []string{"pixels", "train", "--glyphs", "10", "--out", "m.arkit", "--resume"},
			want: "holds no training state"},
		// Models.
		{name: "sample n 0", setup: model, args: []string{"pixels", "sample", "--model", "m.arkit", "--n", "0", "--out", "g.png"},
			want: "--n 0 must be in", out: "g.png"},
		{name: "sample temperature 0", setup: model, args: []string{"pixels", "sample", "--model", "m.arkit", "--temperature", "0", "--out", "g.png"},
			want: "--temperature 0", out: "g.png"},
		{name: "sample out not png", setup: model, args: []string{"pixels", "sample", "--model", "m.arkit", "--out", "g.jpg"},
			want: "must end in .png", out: "g.jpg"},
		{name: "sample unknown class", setup: model, args: []string{"pixels", "sample", "--model", "m.arkit", "--class", "x", "--out", "g.png"},
			want: `unknown class "x"`, out: "g.png"},
		{name: "model missing", args: []string{"pixels", "sample", "--model", "none.arkit", "--out", "g.png"},
			want: "none.arkit", out: "g.png"},
		{name: "model of another domain",
			setup: func(t *testing.T, dir string) { textModel(t, dir, "t.arkit") },
			args:  []string{"pixels", "sample", "--model", "t.arkit", "--out", "g.png"}, want: "not a pixels model: it is a text model", out: "g.png"},
		{name: "model file garbage",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "m.arkit"), []byte("not a model at all"))
			},
			args: []string{"pixels", "sample", "--model", "m.arkit", "--out", "g.png"}, want: "m.arkit", out: "g.png"},
		{name: "keep rows beyond height", setup: model,
			args: []string{"pixels", "complete", "--model", "m.arkit", "--glyphs", "4", "--keep-rows", "9", "--out", "g.png"},
			want: "--keep-rows 9: the model's images are 8 rows high", out: "g.png"},
		{name: "keep rows missing", setup: model,
			args: []string{"pixels", "complete", "--model", "m.arkit", "--glyphs", "4", "--out", "g.png"},
			want: "--keep-rows K is required", out: "g.png"},
		{name: "complete index out of range", setup: model,
			args: []string{"pixels", "complete", "--model", "m.arkit", "--glyphs", "4", "--index", "1,7", "--keep-rows", "3", "--out", "g.png"},
			want: "image index 7 outside 0..3", out: "g.png"},
		{name: "complete bad index", setup: model,
			args: []string{"pixels", "complete", "--model", "m.arkit", "--glyphs", "4", "--index", "1,a", "--keep-rows", "3", "--out", "g.png"},
			want: `--index: "a"`, out: "g.png"},
		{name: "complete image and data set", setup: model,
			args: []string{"pixels", "complete", "--model", "m.arkit", "--glyphs", "4", "--image", "a.png", "--keep-rows", "3", "--out", "g.png"},
			want: "give --image or one data set", out: "g.png"},
		{name: "complete corrupt image", setup: func(t *testing.T, dir string) {
			pixelModel(t, dir, "m.arkit")
			writeFile(t, filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\nrubbish"))
		},
			args: []string{"pixels", "complete", "--model", "m.arkit", "--image", "a.png", "--keep-rows", "3", "--out", "g.png"},
			want: "a.png", out: "g.png"},
		{name: "eval data of another size", setup: func(t *testing.T, dir string) {
			pixelModel(t, dir, "m.arkit")
			writeFile(t, filepath.Join(dir, "b.amat"), []byte(amat))
		},
			args: []string{"pixels", "eval", "--model", "m.arkit", "--amat", "b.amat", "--json"}, want: "the model wants 8x8"},
		{name: "eval bad split", setup: model,
			args: []string{"pixels", "eval", "--model", "m.arkit", "--mnist", "x", "--split", "valid"}, want: `--split "valid"`},
	})
}

// A quick run of every command on built-in digits.
func TestPixelsCommands(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) string { t.Helper(); return mustRunArkit(t, dir, args...) }
	train := []string{"pixels", "train", "--glyphs", "300", "--size", "8x8", "--hidden", "16", "--steps", "8", "--batch", "8",
		"--val-images", "20", "--val-every", "4", "--out", "m.arkit"}
	run(train...)
	before, err := os.ReadFile(filepath.Join(dir, "m.arkit"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{train, "m.arkit already exists: give --resume"},
		{[]string{"pixels", "train", "--glyphs", "300", "--size", "8x8", "--out", "m.arkit", "--resume", "--hidden", "32"},
			"cannot resume with hidden 32: the run started with 16"},
		{[]string{"pixels", "train", "--glyphs", "300", "--size", "8x8", "--out", "m.arkit", "--resume", "--classes=false"},
			"cannot resume with unconditional true: the run started with false"},
		{[]string{"pixels", "train", "--glyphs", "200", "--size", "8x8", "--out", "m.arkit", "--resume"},
			"trained on other data (280 images, now 180)"},
	} {
		if _, stderr, code := runArkit(t, dir, tc.args...); code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("arkit %s: exit %d\n%s\nwant %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
	if after, err := os.ReadFile(filepath.Join(dir, "m.arkit")); err != nil || !bytes.Equal(after, before) {
		t.Fatalf("the refused runs changed m.arkit (%v)", err)
	}
	// --resume keeps the saved settings: --hidden 16, --batch 8 and the
	// held-out images, and the size of the images is the model's.
	run("pixels", "train", "--glyphs", "300", "--out", "m.arkit", "--resume", "--steps", "12", "--quiet")
	ck, err := core.LoadModel(filepath.Join(dir, "m.arkit"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := pixels.Load(filepath.Join(dir, "m.arkit"))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Optimizer == nil || ck.Optimizer.Steps != 12 || m.Raster.W != 8 || m.Raster.Classes != 10 || m.Net.(*core.Model).Config().Hidden != 16 {
		t.Fatalf("trained model: %+v, %+v", ck.Optimizer, m.Raster)
	}
	run("pixels", "sample", "--model", "m.arkit", "--n", "6", "--class", "7", "--out", "s.png")
	writeFile(t, filepath.Join(dir, "digit.png"), grayPNG(20, 20))
	run("pixels", "complete", "--model", "m.arkit", "--image", "digit.png", "--keep-rows", "4", "--n", "3", "--out", "c1.png")
	run("pixels", "complete", "--model", "m.arkit", "--glyphs", "50", "--index", "0,10,20", "--keep-rows", "4", "--n", "2", "--out", "c2.png")
	for _, f := range []string{"s.png", "c1.png", "c2.png"} {
		if _, err := pixels.ReadImage(filepath.Join(dir, f), pixels.ImageOptions{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	out := run("pixels", "eval", "--model", "m.arkit", "--glyphs", "40", "--json")
	var score struct {
		Images       int     `json:"images"`
		NatsPerImage float64 `json:"nats_per_image"`
		BitsPerDim   float64 `json:"bits_per_dim"`
	}
	if err := json.Unmarshal([]byte(out), &score); err != nil || score.Images != 40 || !(score.NatsPerImage > 0) || !(score.BitsPerDim > 0) {
		t.Errorf("eval --json printed %q (%v)", out, err)
	}
}

// Two tiers from the command line: trained, resumed with the saved row tier
// (no tier flags given), sampled and scored.
func TestPixelsTwoTiers(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) string { t.Helper(); return mustRunArkit(t, dir, args...) }
	run("pixels", "train", "--glyphs", "200", "--size", "8x8", "--hidden", "16", "--tiers", "2", "--frame-hidden", "12",
		"--cond", "4", "--steps", "6", "--batch", "8", "--val-images", "20", "--val-every", "3", "--out", "m.arkit", "--quiet")
	run("pixels", "train", "--glyphs", "200", "--size", "8x8", "--out", "m.arkit", "--resume", "--steps", "9", "--quiet")
	m, err := pixels.Load(filepath.Join(dir, "m.arkit"))
	if err != nil {
		t.Fatal(err)
	}
	tiered, ok := m.Net.(*core.Tiered)
	if !ok || tiered.Config().FrameHidden != 12 || tiered.Config().Cond != 4 || tiered.Config().Frame != 8 {
		t.Fatalf("resumed model: %s", m)
	}
	run("pixels", "sample", "--model", "m.arkit", "--n", "4", "--out", "s.png")
	if out := run("pixels", "eval", "--model", "m.arkit", "--glyphs", "20", "--json"); !strings.Contains(out, `"nats_per_image"`) {
		t.Errorf("eval: %s", out)
	}
}
