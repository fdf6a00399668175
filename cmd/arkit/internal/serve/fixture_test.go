// Tiny models for the tests, trained once per test binary through the
// libraries and saved to a temporary folder.

package serve

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arkit-go/arkit/audio"
	"github.com/arkit-go/arkit/core"
	"github.com/arkit-go/arkit/pixels"
	"github.com/arkit-go/arkit/series"
	"github.com/arkit-go/arkit/series/table"
	"github.com/arkit-go/arkit/text"
)

var fixture struct {
	once  sync.Once
	dir   string
	files []string
	err   error
}

// corpus is a text a tiny model learns quickly.
var corpus = strings.Repeat("Hello, world!\n", 80)

// modelFiles returns the paths of three tiny models: chat (text), digits
// (pixels, 8x8, classes 0..9) and tones (audio, 4 kHz, classes).
func modelFiles(t testing.TB) []string {
	t.Helper()
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "arkit-serve-test-")
		if fixture.err == nil {
			fixture.files, fixture.err = trainFixtures(fixture.dir)
		}
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.files
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func trainFixtures(dir string) ([]string, error) {
	ctx := context.Background()
	chat := filepath.Join(dir, "chat.safetensors")
	tm, _, err := text.Train(ctx, corpus, "", text.TrainOptions{TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 80, Seed: 3},
		Embed: 8, Hidden: 32, Layers: 1, Seq: 16, Batch: 4, ValFraction: text.NoValidation, SampleLength: text.NoPreview})
	if err != nil {
		return nil, fmt.Errorf("text: %w", err)
	}
	if err := tm.Save(chat); err != nil {
		return nil, err
	}

	digits := filepath.Join(dir, "digits.safetensors")
	d := pixels.Glyphs(200, 8, 1)
	d.Binarize(0.5)
	pm, _, err := pixels.Train(ctx, d, nil, pixels.TrainOptions{TrainOptions: core.TrainOptions{Steps: 20, LR: 1e-2, Seed: 7},
		Hidden: 16, Embed: 4, Context: 1, Batch: 8, ClassDrop: 0.2, ValImages: pixels.NoValidation})
	if err != nil {
		return nil, fmt.Errorf("pixels: %w", err)
	}
	if err := pm.Save(digits); err != nil {
		return nil, err
	}

	tones := filepath.Join(dir, "tones.safetensors")
	ad, err := audio.ToneDataset(12, 4000, 250*time.Millisecond, 1)
	if err != nil {
		return nil, err
	}
	am, _, err := audio.Train(ctx, ad, nil, audio.TrainOptions{Tiers: 1, Embed: 8, History: 8, Hidden: 16, Frame: 4, FrameHidden: 16, Cond: 8,
		Window: 64, Batch: 4, ValFraction: audio.NoValidation, TrainOptions: core.TrainOptions{LR: 1e-2, Steps: 10, Seed: 3}})
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	if err := am.Save(tones); err != nil {
		return nil, err
	}
	return []string{chat, digits, tones}, nil
}

// monthlyCSV is a long file of two monthly series with a yearly cycle.
func monthlyCSV(n int) string {
	var b strings.Builder
	b.WriteString("store,month,sales\n")
	for _, store := range []string{"north", "south"} {
		for i := range n {
			fmt.Fprintf(&b, "%s,%d-%02d-01,%g\n", store, 2020+i/12, 1+i%12, 100+10*float64(i%12%4)+float64(i))
		}
	}
	return b.String()
}

// readOptions are the table options arkit series forecast makes of --id,
// --time and --value with the default --layout auto.
func readOptions(id, time, value string) table.ReadOptions {
	o := table.ReadOptions{ID: id, Time: time, Value: series.Methods(value)}
	if err := o.Layout.UnmarshalText([]byte("auto")); err != nil {
		panic(err)
	}
	return o
}

// testLogger discards the server's log unless the test runs with -v.
func testLogger() *log.Logger {
	if testing.Verbose() {
		return log.Default()
	}
	return log.New(io.Discard, "", 0)
}
