// Verdict: one sentence saying whether a model beats the baselines it was
// scored against.

package eval

import (
	"fmt"
	"math"
	"slices"
)

// Verdict says in one sentence whether the named model beats the other
// scored models on OWA, or "" when its OWA is undefined.
func Verdict(scores []Score, model string) string {
	i := slices.IndexFunc(scores, func(s Score) bool { return s.Model == model })
	if i < 0 || math.IsNaN(scores[i].OWA) {
		return ""
	}
	own := scores[i].OWA
	best := -1
	for k, s := range scores {
		if k != i && !math.IsNaN(s.OWA) && (best < 0 || s.OWA < scores[best].OWA) {
			best = k
		}
	}
	if best < 0 {
		return ""
	}
	b := scores[best]
	if own < b.OWA {
		return fmt.Sprintf("On the hold-out %s (OWA %.3f) beats every baseline; the best of them, %s, has OWA %.3f.", model, own, b.Model, b.OWA)
	}
	return fmt.Sprintf("On the hold-out %s (OWA %.3f) does not beat %s (OWA %.3f).", model, own, b.Model, b.OWA)
}
