// Tests of the built-in data.

package table

import (
	"testing"
)

func TestBuiltin(t *testing.T) {
	ds, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := ds.Series[0]
	if len(ds.Series) != 1 || s.ID != "elec_equip" || s.Len() != 257 || s.Observed() != 257 || ds.Freq != Monthly ||
		s.Times[0].Format("2006-01") != "1995-01" || s.Times[256].Format("2006-01") != "2016-05" || s.Values[0] != 66.19 {
		t.Errorf("built-in data: %d series, %s, %d values from %v", len(ds.Series), ds.Freq, s.Len(), s.Times[0])
	}
}
