// Flag helpers shared by the commands.

package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// parseSet parses a comma-separated subset of allowed names; empty means all.
func parseSet(s string, allowed ...string) (map[string]bool, error) {
	out := map[string]bool{}
	if strings.TrimSpace(s) == "" {
		for _, a := range allowed {
			out[a] = true
		}
		return out, nil
	}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		ok := false
		for _, a := range allowed {
			ok = ok || a == p
		}
		if !ok {
			return nil, fmt.Errorf("unknown name %q (choose from %s)", p, strings.Join(allowed, ", "))
		}
		out[p] = true
	}
	return out, nil
}

// parseFloats parses a comma-separated list of numbers.
func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		out = append(out, v)
	}
	return out, nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// copyGiven runs, for every flag given on the command line, its entry of
// copiers (flags without one are ignored): resuming commands pass on only
// the settings the user repeated, which must agree with the checkpoint.
func copyGiven(fs *flag.FlagSet, copiers map[string]func()) {
	fs.Visit(func(f *flag.Flag) {
		if c, ok := copiers[f.Name]; ok {
			c()
		}
	})
}
