package sim

import (
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

// At korea-2018's defaults some runs sign a step (a partial deal) and end
// with one in force, counted as agreements flagged partial; with
// partial_deals off, none does.
func TestStepsAtKoreaDefaults(t *testing.T) {
	runs := 2000
	if testenv.Quick() {
		runs = 500
	}
	for _, on := range []bool{true, false} {
		sc, err := scenarios.Load("korea-2018", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !sc.Protocol.PartialDeals {
			t.Fatal("korea-2018 does not allow steps")
		}
		sc.Protocol.PartialDeals = on
		m, err := Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorker(m)
		signed, ending := 0, 0
		for run := 1; run <= runs; run++ {
			r := w.Run(20180327, run, nil)
			if r.Partials > 0 {
				signed++
			}
			if r.Partial {
				ending++
				if r.Outcome != Agreement {
					t.Fatalf("run %d ends with a step in force as %v", run, r.Outcome)
				}
			}
			n := 0
			for _, s := range r.Signings {
				if s.Partial {
					n++
				}
			}
			if n != r.Partials || len(r.Signings) != r.Deals {
				t.Fatalf("run %d: %d signings (%d steps), but %d deals and %d steps counted", run, len(r.Signings), n, r.Deals, r.Partials)
			}
		}
		t.Logf("steps %v: %d of %d runs signed a step, %d ended with one in force", on, signed, runs, ending)
		switch {
		case on && ending < runs/100:
			t.Errorf("%d of %d runs end with a step in force: want at least 1%%", ending, runs)
		case !on && signed > 0:
			t.Errorf("with partial_deals off, %d runs signed a step", signed)
		}
	}
}

// What a step is, run after run of korea-2018's traces and of a generic
// two-party domain's (steps brokered by the proposer in turn): it leaves
// some issues open (at their status-quo levels) and settles the others;
// it moves no issue to a level that cannot be undone; every signatory but
// its broker answered it and took it as worth more than what stood; the
// talks go on under it; and a later deal follows within the same run,
// which in korea-2018 sometimes replaces what the step settled rather
// than extending it.
func TestStepsSettleSomeIssuesAndTalksGoOn(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	dom := negotiationDomain(4, 3, 30, 0, false)
	dom.Protocol.PartialDeals = true
	for _, c := range []struct {
		sc   *scenarios.Scenario
		runs int
	}{{sc, 300}, {dom, 20}} {
		steps, under, later, replaced := checkSteps(t, c.sc, c.runs)
		t.Logf("%s: %d steps, %d offers made under one, %d later deals, %d of them replacing what a step settled", c.sc.ID, steps, under, later, replaced)
		if steps == 0 || under == 0 || later == 0 {
			t.Errorf("%s: %d steps, %d offers under one, %d deals after one: the test needs all three", c.sc.ID, steps, under, later)
		}
		if c.sc == sc && replaced == 0 {
			t.Errorf("%s: no later deal replaced what a step settled", c.sc.ID)
		}
	}
}

// checkSteps checks the steps of runs of sc (see
// TestStepsSettleSomeIssuesAndTalksGoOn) and counts them, the offers made
// under them, the deals that followed them and those of these that changed
// an issue the step had settled.
func checkSteps(t *testing.T, sc *scenarios.Scenario, runs int) (stepsSeen, talkedUnder, followed, replaced int) {
	t.Helper()
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(m)
	L := len(sc.Issues)
	irr := make([]int, L)
	for i, is := range sc.Issues {
		irr[i] = is.IrreversibleFrom
	}
	lv := make([]int, L)
	sq := make([]int, L)   // the status quo as it stands
	base := make([]int, L) // what stands: the status quo or the step in force
	var tr Trace
	for run := 1; run <= runs; run++ {
		w.Run(20180327, run, &tr)
		for i, is := range sc.Issues {
			sq[i] = is.StatusQuo
		}
		copy(base, sq)
		inForce := false
		for k, s := range tr.Steps {
			switch {
			case s.Kind == StepViolation:
				// What cannot be undone stays (docs/model.md §9).
				m.Space.Decode(s.Package, lv)
				for i := range L {
					if irr[i] >= 0 && lv[i] >= irr[i] {
						sq[i] = lv[i]
					}
				}
				copy(base, sq)
				inForce = false
			case s.Kind == StepAgreement && inForce:
				followed++
				m.Space.Decode(s.Package, lv)
				for i := range L {
					if base[i] != sq[i] && lv[i] != base[i] {
						replaced++
						break
					}
				}
				inForce = false
			case (s.Kind == StepProposal || s.Kind == StepMediation) && inForce:
				talkedUnder++
			}
			if s.Kind != StepAgreement || !s.Partial {
				continue
			}
			stepsSeen++
			if len(s.Open) == 0 {
				t.Fatalf("run %d turn %d: a step that leaves nothing open", run, s.Turn)
			}
			m.Space.Decode(s.Package, lv)
			settled := 0
			for i := range L {
				if lv[i] != sq[i] {
					settled++
				}
				if lv[i] != base[i] && irr[i] >= 0 && lv[i] >= irr[i] {
					t.Fatalf("run %d turn %d: a step moves %s to level %d, which cannot be undone", run, s.Turn, sc.Issues[i].ID, lv[i])
				}
			}
			if settled+len(s.Open) != L || settled == 0 {
				t.Fatalf("run %d turn %d: a step settling %d issues and leaving %d open of %d", run, s.Turn, settled, len(s.Open), L)
			}
			answered := 0
			// The answers since the step was offered.
			for j := k - 1; j >= 0 && tr.Steps[j].Kind == StepResponse; j-- {
				r := tr.Steps[j]
				if r.Package == s.Package {
					if !r.Partial || !r.Accepted || r.Value <= r.NoDeal {
						t.Fatalf("run %d turn %d: %+v answered the step it signed", run, s.Turn, r)
					}
					answered++
				}
			}
			if answered == 0 {
				t.Fatalf("run %d turn %d: a step signed without answers", run, s.Turn)
			}
			copy(base, lv)
			inForce = true
		}
	}
	return stepsSeen, talkedUnder, followed, replaced
}

// A warm worker's run of korea-2018, steps and beliefs included, allocates
// nothing: signing, keeping and replacing a step reuse the worker's
// buffers (binding a method value in a run, as setPartial once did,
// allocates each time).
func TestRunAllocatesNothing(t *testing.T) {
	if testenv.Race {
		t.Skip("the race detector's instrumentation allocates")
	}
	w := NewWorker(loadKorea(t))
	const warm = 300
	for run := 1; run <= warm; run++ {
		w.Run(1, run, nil)
	}
	run, steps := warm, 0
	allocs := testing.AllocsPerRun(200, func() {
		run++
		steps += w.Run(1, run, nil).Partials
	})
	if steps == 0 {
		t.Fatal("no run signed a step: the test would not see their allocations")
	}
	if allocs != 0 {
		t.Errorf("a warm run allocates %.1f times; want 0", allocs)
	}
}
