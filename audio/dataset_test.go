// Tests of data set listing and of FSDD file names, on a folder tree made
// here.

package audio

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// makeTree creates the files (relative, slash-separated) under a new
// temporary folder and returns the folder.
func makeTree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestListWAV(t *testing.T) {
	dir := makeTree(t,
		"b/2_theo_7.wav", "b/deep/er/x.WAV", "a.wav", "notes.txt", "b/cover.png", "c/1_nicolas_0.wav", "empty/.keep")
	rel := func(paths []string) []string {
		out := make([]string, len(paths))
		for i, p := range paths {
			r, err := filepath.Rel(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = filepath.ToSlash(r)
		}
		return out
	}
	tests := []struct {
		name    string
		paths   []string
		want    []string
		skipped []string
	}{
		{"folder", []string{"."}, []string{"a.wav", "b/2_theo_7.wav", "b/deep/er/x.WAV", "c/1_nicolas_0.wav"}, []string{"b/cover.png", "empty/.keep", "notes.txt"}},
		{"sub-folders and a file, overlapping", []string{"c", "b", "a.wav", "b/2_theo_7.wav"}, []string{"a.wav", "b/2_theo_7.wav", "b/deep/er/x.WAV", "c/1_nicolas_0.wav"}, []string{"b/cover.png"}},
		{"a named non-WAV file", []string{"notes.txt", "c"}, []string{"c/1_nicolas_0.wav"}, []string{"notes.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := make([]string, len(tt.paths))
			for i, p := range tt.paths {
				paths[i] = filepath.Join(dir, p)
			}
			var skipped []string
			got, err := ListWAV(paths, func(p string) { skipped = append(skipped, p) })
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rel(got), tt.want) {
				t.Errorf("files %v, want %v", rel(got), tt.want)
			}
			slices.Sort(skipped)
			if !slices.Equal(rel(skipped), tt.skipped) {
				t.Errorf("skipped %v, want %v", rel(skipped), tt.skipped)
			}
		})
	}

	if _, err := ListWAV([]string{filepath.Join(dir, "empty"), filepath.Join(dir, "notes.txt")}, nil); !errors.Is(err, ErrNoWAV) {
		t.Errorf("a listing without WAV files: error %v, want ErrNoWAV", err)
	}
	if _, err := ListWAV(nil, nil); !errors.Is(err, ErrNoWAV) {
		t.Errorf("an empty listing: error %v, want ErrNoWAV", err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := ListWAV([]string{dir, missing}, nil); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing path: error %v, want ErrNotExist naming it", err)
	}
}

func TestParseFSDDName(t *testing.T) {
	tests := []struct {
		path string
		want FSDDName
		test bool
		err  string
	}{
		{"0_george_0.wav", FSDDName{0, "george", 0}, true, ""},
		{"recordings/9_yweweler_49.wav", FSDDName{9, "yweweler", 49}, false, ""},
		{"/data/7_jackson_4.WAV", FSDDName{7, "jackson", 4}, true, ""},
		{"3_lucas_5.wav", FSDDName{3, "lucas", 5}, false, ""},
		{"5_van_der_berg_12.wav", FSDDName{5, "van_der_berg", 12}, false, ""},
		{"3_lucas_5.ogg", FSDDName{}, false, "extension"},
		{"3_lucas_5.flac", FSDDName{3, "lucas", 5}, false, ""},
		{"3_lucas.wav", FSDDName{}, false, "three fields"},
		{"3lucas5.wav", FSDDName{}, false, "three fields"},
		{"10_lucas_5.wav", FSDDName{}, false, `digit "10"`},
		{"x_lucas_5.wav", FSDDName{}, false, `digit "x"`},
		{"_lucas_5.wav", FSDDName{}, false, `digit ""`},
		{"3__5.wav", FSDDName{}, false, "speaker is empty"},
		{"3_lucas_-5.wav", FSDDName{}, false, `index "-5"`},
		{"3_lucas_+5.wav", FSDDName{}, false, `index "+5"`},
		{"3_lucas_.wav", FSDDName{}, false, `index ""`},
		{"3_lucas_5a.wav", FSDDName{}, false, `index "5a"`},
		{"3_lucas_99999999999999999999.wav", FSDDName{}, false, "index"},
	}
	for _, tt := range tests {
		got, err := ParseFSDDName(tt.path)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("ParseFSDDName(%q): error %v, want one naming the path and %q", tt.path, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want || got.Test() != tt.test {
			t.Errorf("ParseFSDDName(%q) = %+v (test %v), %v; want %+v (test %v)", tt.path, got, got.Test(), err, tt.want, tt.test)
		}
	}
}

func TestSplitFSDD(t *testing.T) {
	files := []string{"a/0_theo_0.wav", "a/0_theo_5.wav", "a/1_theo_4.wav", "a/1_theo_49.wav"}
	train, test, err := SplitFSDD(files)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(train, []string{"a/0_theo_5.wav", "a/1_theo_49.wav"}) || !slices.Equal(test, []string{"a/0_theo_0.wav", "a/1_theo_4.wav"}) {
		t.Errorf("train %v, test %v", train, test)
	}
	if _, _, err := SplitFSDD(append(files, "a/readme.wav")); err == nil {
		t.Error("SplitFSDD accepted a name that is not FSDD's")
	}
}

// FuzzParseFSDDName checks that a parsed name prints back to itself.
func FuzzParseFSDDName(f *testing.F) {
	for _, s := range []string{"0_george_0.wav", "9_a_b_49.WAV", "1__2.wav", "x", "3_lucas_007.wav", "_._.wav"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n, err := ParseFSDDName(name)
		if err != nil {
			return
		}
		if n.Digit < 0 || n.Digit > 9 || n.Index < 0 || n.Speaker == "" {
			t.Fatalf("%q parsed as %+v", name, n)
		}
		again, err := ParseFSDDName(fmt.Sprintf("%d_%s_%d.wav", n.Digit, n.Speaker, n.Index))
		if err != nil || again != n {
			t.Fatalf("%q parsed as %+v, which prints back as %+v, %v", name, n, again, err)
		}
	})
}

func TestListAudioSniffsContent(t *testing.T) {
	dir := makeTree(t, "a.flac", "b.MP3", "c.txt", "d")
	for name, data := range map[string][]byte{
		"take":     fixture(t, "tone.flac"),    // FLAC without an extension
		"song.bin": fixture(t, "tone.mp3"),     // MP3 under another extension
		"x.dat":    floatWAV(1, 8000, 32, 0.5), // WAV
		"e.txt":    []byte("ID3 is how this note starts"[4:]),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var skipped []string
	got, err := ListAudio([]string{dir}, func(p string) { skipped = append(skipped, filepath.Base(p)) })
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, filepath.Base(p))
	}
	if want := []string{"a.flac", "b.MP3", "song.bin", "take", "x.dat"}; !slices.Equal(names, want) {
		t.Errorf("listed %v, want %v", names, want)
	}
	slices.Sort(skipped)
	if want := []string{"c.txt", "d", "e.txt"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
}
