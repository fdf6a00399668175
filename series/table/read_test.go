// An M4 file's name gives its frequency.

package table

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadFileFrequencyFromM4Name(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Hourly-sample.csv")
	if err := os.WriteFile(p, []byte("V1,V2,V3\nH1,1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadFile(p, ReadOptions{Layout: LayoutRows})
	if err != nil || ds.Freq != Hourly || ds.Series[0].Freq != Hourly {
		t.Errorf("frequency %v (%v)", ds.Freq, err)
	}
	ds, err = ReadFile(p, ReadOptions{Layout: LayoutRows, Freq: Daily})
	if err != nil || ds.Freq != Daily {
		t.Errorf("--freq overridden: %v (%v)", ds.Freq, err)
	}
}
