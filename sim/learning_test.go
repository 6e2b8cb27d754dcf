package sim_test

import (
	"slices"
	"testing"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/sim"
)

// Agreements signed later, when the proposers have learnt more, lie off
// the Pareto frontier less often than those signed earlier: on the
// generic bilateral domain with misperception 1 on both sides, 3,000 runs,
// the share of agreements off the frontier before the median signing turn
// minus the share from it on has a 95% Newcombe interval above zero. (Few
// agreements are off the frontier at all, about 1% early: hence the runs.)
func TestLaterDealsCloserToTheFrontier(t *testing.T) {
	heavy(t)
	turns, gaps := sim.FrontierGaps(t, true, 3000)
	mid := slices.Clone(turns)
	slices.Sort(mid)
	median := mid[len(mid)/2]
	var early, late, offEarly, offLate int
	for k, g := range gaps {
		off := 0
		if g > 1e-9 {
			off = 1
		}
		if turns[k] < median {
			early, offEarly = early+1, offEarly+off
		} else {
			late, offLate = late+1, offLate+off
		}
	}
	d, lo, hi := results.Newcombe(offEarly, early, offLate, late)
	t.Logf("off the frontier: %d of %d agreements signed before turn %d, %d of %d from it on; difference %+.4f [%+.4f, %+.4f]",
		offEarly, early, median, offLate, late, d, lo, hi)
	if lo <= 0 {
		t.Errorf("later agreements are not less often off the frontier: difference %+.4f [%+.4f, %+.4f]", d, lo, hi)
	}
}
