package sim

import (
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// At korea-2018's defaults some runs sign a step (a partial deal) and end
// with one in force, counted as agreements flagged partial; with
// partial_deals off, none does.
func TestStepsAtKoreaDefaults(t *testing.T) {
	const runs = 2000
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
// every signatory but its broker answered it and took it as worth more
// than what stood; every later deal while it is in force keeps what it
// settled; the talks go on under it; and a later deal over its open issues
// follows within the same run.
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
		steps, under, later := checkSteps(t, c.sc, c.runs)
		t.Logf("%s: %d steps, %d offers made under one, %d later deals", c.sc.ID, steps, under, later)
		if steps == 0 || under == 0 {
			t.Errorf("%s: %d steps, %d offers under one: the test needs both", c.sc.ID, steps, under)
		}
		if c.sc == dom && later == 0 {
			t.Errorf("%s: no deal followed a step", c.sc.ID)
		}
	}
}

// checkSteps checks the steps of runs of sc (see
// TestStepsSettleSomeIssuesAndTalksGoOn) and counts them, the offers made
// under them and the deals that followed them.
func checkSteps(t *testing.T, sc *scenarios.Scenario, runs int) (stepsSeen, talkedUnder, extended int) {
	t.Helper()
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(m)
	L := len(sc.Issues)
	lv := make([]int, L)
	prev := make([]int, L)
	var tr Trace
	for run := 1; run <= runs; run++ {
		w.Run(20180327, run, &tr)
		inForce := -1 // index of the step in force, in tr.Steps
		for k, s := range tr.Steps {
			switch {
			case s.Kind == StepViolation:
				inForce = -1
			case s.Kind == StepAgreement && inForce >= 0:
				m.Space.Decode(tr.Steps[inForce].Package, prev)
				m.Space.Decode(s.Package, lv)
				for i := range L {
					if prev[i] != sc.Issues[i].StatusQuo && lv[i] != prev[i] {
						t.Fatalf("run %d turn %d: the deal undoes what the step of turn %d settled (issue %s)", run, s.Turn, tr.Steps[inForce].Turn, sc.Issues[i].ID)
					}
				}
				extended++
				inForce = -1
			case (s.Kind == StepProposal || s.Kind == StepMediation) && inForce >= 0:
				talkedUnder++
			}
			if s.Kind != StepAgreement || !s.Partial {
				continue
			}
			stepsSeen++
			inForce = k
			if len(s.Open) == 0 {
				t.Fatalf("run %d turn %d: a step that leaves nothing open", run, s.Turn)
			}
			m.Space.Decode(s.Package, lv)
			settled := 0
			for i := range L {
				if lv[i] != sc.Issues[i].StatusQuo {
					settled++
				}
			}
			if settled+len(s.Open) > L || settled == 0 {
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
		}
	}
	return stepsSeen, talkedUnder, extended
}
