// Tests of the verdict sentence.

package eval

import (
	"math"
	"strings"
	"testing"
)

func TestVerdict(t *testing.T) {
	scores := []Score{{Model: "lstm", OWA: 0.9}, {Model: "theta", OWA: 0.95}, {Model: "naive2", OWA: 1}}
	if v := Verdict(scores, "lstm"); !strings.Contains(v, "lstm (OWA 0.900) beats every baseline; the best of them, theta") {
		t.Errorf("verdict %q", v)
	}
	scores[0].OWA = 1.2
	if v := Verdict(scores, "lstm"); !strings.Contains(v, "does not beat theta (OWA 0.950)") {
		t.Errorf("verdict %q", v)
	}
	scores[0].OWA = math.NaN()
	if v := Verdict(scores, "lstm"); v != "" {
		t.Errorf("verdict %q", v)
	}
}
