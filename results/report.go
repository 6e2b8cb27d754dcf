package results

import (
	"cmp"
	"slices"

	"github.com/parley-sim/parley/sim"
)

// TopPackages is the number of packages a Report lists.
const TopPackages = 5

// Report is the summary of a set of runs in the form other tools read; its
// JSON encoding (see [WriteJSON]) is a published contract. Shares and means
// are not rounded. A share or mean over no runs is 0, except
// [ActorStats.MeanUtilityInAgreement], which is null without agreements.
type Report struct {
	Scenario string `json:"scenario"`
	// Model is the engine's model version (sim.ModelVersion): the same
	// scenario, seed and model give the same results.
	Model    int      `json:"model"`
	Runs     int      `json:"runs"`
	Seed     uint64   `json:"seed"`
	Outcomes Outcomes `json:"outcomes"`
	// Partial counts the runs that ended in agreement with only a step in
	// force (a partial deal, its open issues still talked over): a part of
	// Outcomes.Agreement, with its share of all runs and Wilson interval.
	// The rest of the agreements are settlements.
	Partial OutcomeStat `json:"partial"`
	// Actors is keyed by actor id.
	Actors map[string]ActorStats `json:"actors"`
	Turns  TurnStats             `json:"turns"`
	// Terms is keyed by issue id, then level label; every level of every
	// issue is present.
	Terms map[string]map[string]TermStat `json:"terms"`
	// Packages lists the most common complete agreed packages, most common
	// first, at most TopPackages of them.
	Packages []PackageStat `json:"packages"`
	Events   EventRates    `json:"events"`
	// Histograms are the distributions charts are drawn from.
	Histograms Histograms `json:"histograms"`
	// Provenance says where the runs came from (the caller fills it in;
	// nil leaves it out).
	Provenance *Provenance `json:"provenance,omitempty"`

	// order lists ids and labels in scenario order for the writers; a Report
	// decoded from JSON has none and the writers fall back to sorted keys.
	order order
}

type order struct {
	actors []string
	issues []string
	levels map[string][]string
}

// Outcomes holds the statistics of each outcome.
type Outcomes struct {
	Agreement OutcomeStat `json:"agreement"`
	Stalemate OutcomeStat `json:"stalemate"`
	Breakdown OutcomeStat `json:"breakdown"`
	Conflict  OutcomeStat `json:"conflict"`
}

// Get returns the statistics of outcome o, or the zero OutcomeStat for an
// unknown outcome.
func (oc *Outcomes) Get(o sim.Outcome) OutcomeStat {
	if p := oc.field(o); p != nil {
		return *p
	}
	return OutcomeStat{}
}

func (oc *Outcomes) field(o sim.Outcome) *OutcomeStat {
	switch o {
	case sim.Agreement:
		return &oc.Agreement
	case sim.Stalemate:
		return &oc.Stalemate
	case sim.Breakdown:
		return &oc.Breakdown
	case sim.Conflict:
		return &oc.Conflict
	}
	return nil
}

// OutcomeStat is how many runs ended in an outcome, their share of all runs
// and the Wilson 95% interval of the share (see [Wilson]).
type OutcomeStat struct {
	Count  int     `json:"count"`
	Share  float64 `json:"share"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

// ActorStats holds an actor's mean utility over all runs and over the runs
// that ended in agreement; the latter is nil when no run did.
type ActorStats struct {
	MeanUtility            float64  `json:"mean_utility"`
	MeanUtilityInAgreement *float64 `json:"mean_utility_in_agreement"`
}

// TurnStats describes the turn runs ended on. The quantiles are exact and
// use the nearest-rank definition: the p-th percentile is the smallest turn
// t such that at least ⌈p·N/100⌉ of the N runs ended on or before t. Median
// is the 50th percentile by that definition (the lower middle value when N
// is even), so every quantile is a turn some run ended on.
type TurnStats struct {
	Mean   float64 `json:"mean"`
	Min    int     `json:"min"`
	P10    int     `json:"p10"`
	P25    int     `json:"p25"`
	Median int     `json:"median"`
	P75    int     `json:"p75"`
	P90    int     `json:"p90"`
	Max    int     `json:"max"`
}

// TermStat is how many agreements set an issue at a level and their share
// of all agreements (0 when there were none).
type TermStat struct {
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// PackageStat is a complete agreed package: the level label of each issue
// (keyed by issue id), how many agreements had it and their share of all
// agreements.
type PackageStat struct {
	Terms map[string]string `json:"terms"`
	Count int               `json:"count"`
	Share float64           `json:"share"`
}

// Histograms hold counts of runs: EndTurn[t] ended on turn t (0..horizon),
// and Utility[actor][b] gave the actor a utility in bin b of UtilityBins
// equal bins over [0,1] (see UtilityBin).
type Histograms struct {
	EndTurn []int            `json:"end_turn"`
	Utility map[string][]int `json:"utility"`
}

// EventRates holds the mean number of events per run.
type EventRates struct {
	TestsPerRun     float64 `json:"tests_per_run"`
	StrikesPerRun   float64 `json:"strikes_per_run"`
	DealsPerRun     float64 `json:"deals_per_run"`
	CollapsedPerRun float64 `json:"collapsed_per_run"`
	// StepsPerRun counts the steps (partial deals) among DealsPerRun.
	StepsPerRun float64 `json:"steps_per_run"`
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a float64, b int) float64 {
	if b == 0 {
		return 0
	}
	return a / float64(b)
}

// Report returns the report of the runs summarised so far, labelled with
// the scenario name and the seed the runs were drawn from. It does not
// change s, and equal summaries give equal reports.
func (s *Summary) Report(scenario string, seed uint64) Report {
	sc := s.sc
	r := Report{
		Model:    sim.ModelVersion,
		Scenario: scenario,
		Runs:     s.runs,
		Seed:     seed,
		Actors:   make(map[string]ActorStats, len(sc.Actors)),
		Terms:    make(map[string]map[string]TermStat, len(sc.Issues)),
		Packages: []PackageStat{},
		order: order{
			actors: make([]string, len(sc.Actors)),
			issues: make([]string, len(sc.Issues)),
			levels: make(map[string][]string, len(sc.Issues)),
		},
	}

	for _, o := range sim.Outcomes {
		k := s.outcomes[o]
		lo, hi := Wilson(k, s.runs)
		*r.Outcomes.field(o) = OutcomeStat{Count: k, Share: ratio(float64(k), s.runs), CILow: lo, CIHigh: hi}
	}

	lo, hi := Wilson(s.partial, s.runs)
	r.Partial = OutcomeStat{Count: s.partial, Share: ratio(float64(s.partial), s.runs), CILow: lo, CIHigh: hi}

	agreed := s.outcomes[sim.Agreement]
	for i, a := range sc.Actors {
		st := ActorStats{MeanUtility: ratio(s.utility[i], s.runs)}
		if agreed > 0 {
			m := s.utilityAgreed[i] / float64(agreed)
			st.MeanUtilityInAgreement = &m
		}
		r.Actors[a.ID] = st
		r.order.actors[i] = a.ID
	}

	r.Turns = s.turnStats()
	r.Histograms = Histograms{EndTurn: slices.Clone(s.endTurn), Utility: make(map[string][]int, len(sc.Actors))}
	for i, a := range sc.Actors {
		r.Histograms.Utility[a.ID] = slices.Clone(s.utilHist[i])
	}

	for i, is := range sc.Issues {
		levels := make(map[string]TermStat, len(is.Levels))
		for l, label := range is.Levels {
			c := s.terms[i][l]
			levels[label] = TermStat{Count: c, Share: ratio(float64(c), agreed)}
		}
		r.Terms[is.ID] = levels
		r.order.issues[i] = is.ID
		r.order.levels[is.ID] = slices.Clone(is.Levels)
	}

	type entry struct{ code, count int }
	entries := make([]entry, 0, len(s.packages))
	for code, c := range s.packages {
		entries = append(entries, entry{code, c})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.code, b.code))
	})
	levels := make([]int, len(sc.Issues))
	for _, e := range entries[:min(len(entries), TopPackages)] {
		s.decode(e.code, levels)
		terms := make(map[string]string, len(levels))
		for i, l := range levels {
			terms[sc.Issues[i].ID] = sc.Issues[i].Levels[l]
		}
		r.Packages = append(r.Packages, PackageStat{Terms: terms, Count: e.count, Share: ratio(float64(e.count), agreed)})
	}

	r.Events = EventRates{
		TestsPerRun:     ratio(float64(s.tests), s.runs),
		StrikesPerRun:   ratio(float64(s.strikes), s.runs),
		DealsPerRun:     ratio(float64(s.deals), s.runs),
		CollapsedPerRun: ratio(float64(s.collapsed), s.runs),
		StepsPerRun:     ratio(float64(s.steps), s.runs),
	}
	return r
}

func (s *Summary) turnStats() TurnStats {
	if s.runs == 0 {
		return TurnStats{}
	}
	var sum, lo, hi int
	lo = -1
	for t, c := range s.endTurn {
		if c == 0 {
			continue
		}
		sum += t * c
		if lo < 0 {
			lo = t
		}
		hi = t
	}
	q := func(pct int) int { return quantile(s.endTurn, s.runs, pct) }
	return TurnStats{
		Mean:   float64(sum) / float64(s.runs),
		Min:    lo,
		P10:    q(10),
		P25:    q(25),
		Median: q(50),
		P75:    q(75),
		P90:    q(90),
		Max:    hi,
	}
}
