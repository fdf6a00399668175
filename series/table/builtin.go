// Built-in data: a small real series shipped inside the package, so that
// examples, tests and a first forecast need no download.

package table

import (
	"bytes"
	_ "embed"
)

//go:embed data/elecequip.csv
var elecequipCSV []byte

// Builtin returns the built-in dataset: one monthly series, "elec_equip",
// Eurostat's turnover index of electrical-equipment manufacturing in the
// euro area (working-day adjusted, not seasonally adjusted), January 1995
// to May 2016, 257 values; see data/SOURCE.md. It is seasonal (period 12)
// and falls sharply in 2008–2009.
func Builtin() (*Dataset, error) {
	return Read(bytes.NewReader(elecequipCSV), "elecequip.csv", ReadOptions{})
}
