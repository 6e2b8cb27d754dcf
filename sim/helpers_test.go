package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

func num(v float64) scenarios.Number { return scenarios.Const(v) }

func uniform(lo, hi float64) scenarios.Number {
	return scenarios.Number{Value: (lo + hi) / 2, Min: math.Inf(-1), Max: math.Inf(1),
		Dist: &scenarios.Distribution{Kind: scenarios.DistUniform, A: lo, B: hi}}
}

// quietDynamics has no breakdowns, no strikes, no violations: only the
// negotiation itself decides the outcome.
func quietDynamics() scenarios.Dynamics {
	return scenarios.Dynamics{
		Tension: num(0.5), TensionBaseline: num(0.5), TensionDrift: num(0.1), Trust: num(0.5),
		AgreementTension: num(0), AgreementTrust: num(0), RejectionTrust: num(0),
		ViolationTension: num(0), ViolationTrust: num(0), ViolationHawk: num(0), Embarrassment: num(0),
	}
}

// splitActor values a share x of one good: level 0 is "no split" (worth 0),
// levels 1..steps+1 give the actor x = (l−1)/steps if it wants more, or
// 1 − x if it wants less.
func splitActor(id string, steps int, more bool, strat scenarios.Strategy, deadline int) scenarios.Actor {
	vals := []scenarios.Number{num(0)}
	for l := 0; l <= steps; l++ {
		x := float64(l) / float64(steps)
		if !more {
			x = 1 - x
		}
		vals = append(vals, num(x))
	}
	return scenarios.Actor{
		ID: id, Name: id,
		Weights:  []scenarios.Number{num(1)},
		Values:   [][]scenarios.Number{vals},
		Strategy: strat,
		Deadline: num(float64(deadline)), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
		Hawkishness: num(0), Provocation: num(0), Embarrass: num(0),
		Conflict: scenarios.Conflict{Prevail: num(0), Cost: num(0), Spread: num(0), Pretext: num(0)},
	}
}

// splitScenario is a one-issue split between two signatories with
// time-dependent strategies and the given reservations, each with its own
// deadline at the horizon.
func splitScenario(kind string, e float64, resA, resB scenarios.Number, horizon int) *scenarios.Scenario {
	const steps = 100
	levels := []string{"none"}
	for l := 0; l <= steps; l++ {
		levels = append(levels, fmt.Sprint(l))
	}
	strat := func(res scenarios.Number) scenarios.Strategy {
		return scenarios.Strategy{Kind: kind, E: num(e), Reservation: res, Demand: num(1)}
	}
	return &scenarios.Scenario{
		ID: "split", Title: "split", Horizon: horizon,
		Issues: []scenarios.Issue{{ID: "x", Levels: levels, StatusQuo: 0, IrreversibleFrom: -1}},
		Actors: []scenarios.Actor{
			splitActor("a", steps, true, strat(resA), horizon),
			splitActor("b", steps, false, strat(resB), horizon),
		},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
}

// listAcc is a test accumulator that keeps every record as a string, in
// the order it was folded.
type listAcc struct{ rows []string }

func (a *listAcc) Add(r *Record) {
	a.rows = append(a.rows, fmt.Sprintf("%d %v %d %v %v %d %d %d %d %d %v %v %v", r.Run, r.Outcome, r.EndTurn, r.Utility, r.Terms,
		r.Tests, r.Strikes, r.Deals, r.Collapsed, r.FirstDeal, r.Collapses, r.Breakdowns, r.Resumptions))
}
func (a *listAcc) Merge(o *listAcc) { a.rows = append(a.rows, o.rows...) }
func (a *listAcc) Reset()           { a.rows = nil }

func loadKorea(t testing.TB, sets ...string) *Model {
	t.Helper()
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenarios.Load("korea-2018", ovs)
	if err != nil {
		t.Fatal(err)
	}
	return mustCompile(t, sc)
}

func mustLoad(name string) *scenarios.Scenario {
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		panic(err)
	}
	return sc
}

// golden compares through a JSON golden file: with update it first writes
// got to path; then it reads path into want.
func golden(t *testing.T, path string, update bool, got, want any) {
	t.Helper()
	if update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
