// Tests of the data sets: FSDD splits and labels, resampling to the model's
// rate, and the errors of LoadDataset and NewDataset.

package audio

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadDataset(t *testing.T) {
	dir := t.TempDir()
	tones := Tones(4, 16000, 100*time.Millisecond, 1)
	names := []string{"3_ann_0.wav", "3_ann_7.wav", "5_bob_4.wav", "5_bob_12.wav"}
	for i, n := range names {
		if err := WriteWAV(filepath.Join(dir, n), tones[i].Clip); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		split  string
		labels bool
		files  []string
		want   []string
	}{
		{"", false, names, []string{"", "", "", ""}},
		{SplitAll, true, names, []string{"3", "3", "5", "5"}},
		{SplitTrain, true, []string{"3_ann_7.wav", "5_bob_12.wav"}, []string{"3", "5"}},
		{SplitTest, false, []string{"3_ann_0.wav", "5_bob_4.wav"}, []string{"", ""}},
	} {
		d, err := LoadDataset([]string{dir}, LoadOptions{Split: tc.split, FSDDLabels: tc.labels})
		if err != nil {
			t.Fatal(err)
		}
		var files, labels []string
		for _, s := range d.Seqs {
			files, labels = append(files, filepath.Base(s.Path)), append(labels, s.Label)
			if len(s.Codes) != 800 {
				t.Errorf("%s: %d codes at 8 kHz from 1600 samples at 16 kHz", s.Path, len(s.Codes))
			}
		}
		slices.Sort(tc.files)
		if !slices.Equal(files, tc.files) || !slices.Equal(labels, tc.want) || d.Rate != DefaultRate {
			t.Errorf("split %q: files %v labels %v at %d Hz, want %v %v", tc.split, files, labels, d.Rate, tc.files, tc.want)
		}
		if tc.labels && !slices.Equal(d.Labels(), []string{"3", "5"}) {
			t.Errorf("labels %v", d.Labels())
		}
	}

	bad := filepath.Join(dir, "notes.wav")
	if err := WriteWAV(bad, tones[0].Clip); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts LoadOptions
		want string
	}{
		{LoadOptions{Split: "dev"}, `unknown split "dev"`},
		{LoadOptions{Rate: 500}, "sample rate 500 Hz"},
		{LoadOptions{Split: SplitTrain}, "notes.wav: not an FSDD name"},
		{LoadOptions{MaxDuration: 50 * time.Millisecond}, "audio too long"},
	} {
		if _, err := LoadDataset([]string{dir}, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
	// FSDD labels leave a file of another name without a class.
	d, err := LoadDataset([]string{dir}, LoadOptions{FSDDLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Seqs {
		if (s.Label == "") != (filepath.Base(s.Path) == "notes.wav") {
			t.Errorf("%s labelled %q", s.Path, s.Label)
		}
	}
	if _, err := LoadDataset([]string{filepath.Join(dir, "3_ann_0.wav")}, LoadOptions{Split: SplitTrain}); !errors.Is(err, ErrNoAudio) {
		t.Errorf("empty split: %v", err)
	}
}

func TestNewDatasetErrors(t *testing.T) {
	good := &Clip{Rate: 8000, Samples: []float32{0, 0.5}}
	for _, tc := range []struct {
		clips  []*Clip
		labels []string
		rate   int
		want   string
	}{
		{[]*Clip{good}, nil, 999, "sample rate 999 Hz"},
		{[]*Clip{good}, []string{"a", "b"}, 8000, "2 labels for 1 clips"},
		{[]*Clip{{Rate: 8000}}, nil, 8000, "no audio"},
		{[]*Clip{{Rate: 0, Samples: []float32{1}}}, nil, 8000, "sample rate 0 Hz"},
	} {
		if _, err := NewDataset(tc.clips, tc.labels, tc.rate); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

func TestClipPaths(t *testing.T) {
	if got := ClipPaths("out/a.wav", 1); !slices.Equal(got, []string{"out/a.wav"}) {
		t.Error(got)
	}
	if got := ClipPaths("out/a.wav", 3); !slices.Equal(got, []string{"out/a-1.wav", "out/a-2.wav", "out/a-3.wav"}) {
		t.Error(got)
	}
}
