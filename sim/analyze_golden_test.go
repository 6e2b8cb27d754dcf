package sim

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"slices"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

var updateAnalyze = flag.Bool("update-analyze", false, "rewrite testdata/analyze-golden.json after an intended change of analyze's answers")

// anacDomain is a published test domain of automated negotiation written in
// the scenario schema (see the file's comments for its sources), named in
// the golden file by its path from the repository's root.
const (
	anacDomain     = "testdata/analysis/anac-itex-cypress.toml"
	anacDomainFile = "../" + anacDomain
)

// analyzeGolden is testdata/analyze-golden.json: analyze's answers for each
// built-in scenario and the ANAC domain, by name.
type analyzeGolden struct {
	Scenarios map[string]goldenAnalysis `json:"scenarios"`
}

// goldenAnalysis is what the golden file pins of one analysis (signatories
// only, as 'parley analyze' gives it by default, and the frontier over every
// actor, as with --all), or why the analysis was refused.
type goldenAnalysis struct {
	// Refused is the error of a scenario analyze does not take (a kind of
	// scenario other than bargaining between actors); nothing else is
	// then set.
	Refused          string          `json:"refused,omitempty"`
	Packages         int             `json:"packages,omitempty"`
	FrontierSize     int             `json:"frontier_size,omitempty"`
	FrontierInZone   int             `json:"frontier_in_zone,omitempty"`
	FrontierAll      int             `json:"frontier_size_all,omitempty"`
	Nash             *goldenSolution `json:"nash,omitempty"`
	KalaiSmorodinsky *goldenSolution `json:"kalai_smorodinsky,omitempty"`
	Utilitarian      *goldenSolution `json:"utilitarian,omitempty"`
}

// goldenSolution is a solution's package (its level of each issue) and
// every actor's utility of it.
type goldenSolution struct {
	Levels  []int     `json:"levels"`
	Utility []float64 `json:"utility"`
}

func (g goldenAnalysis) String() string {
	data, _ := json.Marshal(g)
	return string(data)
}

func toGolden(p *Point) *goldenSolution {
	if p == nil {
		return nil
	}
	return &goldenSolution{Levels: p.Levels, Utility: p.Utility}
}

// goldenOf analyses sc with the options given (ExactLimit chooses the
// method) and returns what the golden file pins.
func goldenOf(t *testing.T, sc *scenarios.Scenario, exactLimit int) goldenAnalysis {
	t.Helper()
	an, err := Analyze(context.Background(), sc, AnalyzeOptions{ExactLimit: exactLimit})
	if err != nil {
		return goldenAnalysis{Refused: err.Error()}
	}
	all, err := Analyze(context.Background(), sc, AnalyzeOptions{ExactLimit: exactLimit, All: true})
	if err != nil {
		t.Fatalf("%s: analysed over the signatories but not over every actor: %v", sc.ID, err)
	}
	return goldenAnalysis{
		Packages: an.Packages, FrontierSize: an.FrontierSize, FrontierInZone: an.FrontierInZone,
		FrontierAll: all.FrontierSize,
		Nash:        toGolden(an.Nash), KalaiSmorodinsky: toGolden(an.KalaiSmorodinsky), Utilitarian: toGolden(an.Utilitarian),
	}
}

// sameAnswers reports how got differs from want, "" if it does not: sizes
// and packages exactly, utilities within 1e-12 (a faster search may sum
// the same terms in another order).
func sameAnswers(got, want goldenAnalysis) string {
	if (got.Refused != "") != (want.Refused != "") {
		return "refused " + quoteOr(got.Refused, "no") + ", golden refused " + quoteOr(want.Refused, "no")
	}
	if got.Refused != "" {
		return ""
	}
	if got.Packages != want.Packages || got.FrontierSize != want.FrontierSize || got.FrontierInZone != want.FrontierInZone || got.FrontierAll != want.FrontierAll {
		return "sizes differ"
	}
	for _, s := range [][2]*goldenSolution{{got.Nash, want.Nash}, {got.KalaiSmorodinsky, want.KalaiSmorodinsky}, {got.Utilitarian, want.Utilitarian}} {
		if (s[0] == nil) != (s[1] == nil) {
			return "a solution exists on one side only"
		}
		if s[0] == nil {
			continue
		}
		if !slices.Equal(s[0].Levels, s[1].Levels) || len(s[0].Utility) != len(s[1].Utility) {
			return "solutions differ"
		}
		for i := range s[0].Utility {
			if math.Abs(s[0].Utility[i]-s[1].Utility[i]) > 1e-12 {
				return "utilities differ"
			}
		}
	}
	return ""
}

func quoteOr(s, none string) string {
	if s == "" {
		return none
	}
	return "(" + s + ")"
}

// analyzeCases loads every built-in scenario and the ANAC domain. A
// built-in that does not load as a bargaining scenario is recorded as
// refused with its error.
func analyzeCases(t *testing.T) (names []string, scs map[string]*scenarios.Scenario, refused map[string]string) {
	t.Helper()
	scs, refused = map[string]*scenarios.Scenario{}, map[string]string{}
	for _, b := range scenarios.Builtins() {
		names = append(names, b.Name)
		sc, err := scenarios.Load(b.Name, nil)
		if err != nil {
			refused[b.Name] = err.Error()
			continue
		}
		scs[b.Name] = sc
	}
	sc, err := scenarios.Load(anacDomainFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, anacDomain)
	scs[anacDomain] = sc
	return names, scs, refused
}

// analyze's frontier sizes and Nash, Kalai–Smorodinsky and utilitarian
// answers do not change, on every built-in scenario and on a published
// ANAC domain: speed work must not move them. Both methods (enumeration,
// and the frontier built from the additive structure) must give the
// golden answers. After an intended change, rewrite the file with
// go test ./sim -run TestAnalyzeGolden -update-analyze.
func TestAnalyzeGolden(t *testing.T) {
	const path = "testdata/analyze-golden.json"
	names, scs, refused := analyzeCases(t)
	got := analyzeGolden{Scenarios: map[string]goldenAnalysis{}}
	for _, name := range names {
		if msg, ok := refused[name]; ok {
			got.Scenarios[name] = goldenAnalysis{Refused: msg}
			continue
		}
		g := goldenOf(t, scs[name], 0)
		if g.Refused != "" {
			t.Logf("%s: analyze refuses it: %s", name, g.Refused)
		} else if ad := goldenOf(t, scs[name], 1); sameAnswers(ad, g) != "" {
			t.Errorf("%s: the additive method's answers differ from enumeration's (%s):\n additive    %s\n enumeration %s", name, sameAnswers(ad, g), ad, g)
		}
		got.Scenarios[name] = g
	}
	var want analyzeGolden
	golden(t, path, *updateAnalyze, got, &want)
	for _, name := range names {
		w, ok := want.Scenarios[name]
		if !ok {
			t.Errorf("%s is not in %s: rewrite it with go test ./sim -run TestAnalyzeGolden -update-analyze", name, path)
			continue
		}
		g := got.Scenarios[name]
		if d := sameAnswers(g, w); d != "" {
			t.Errorf("%s: analyze's answers changed (%s):\n got    %s\n golden %s", name, d, g, w)
		}
		if g.Refused != "" && g.Refused != w.Refused {
			t.Logf("%s: refused with %q, golden %q", name, g.Refused, w.Refused)
		}
	}
	for name := range want.Scenarios {
		if _, ok := got.Scenarios[name]; !ok {
			t.Errorf("%s has %s, which is no longer a built-in: rewrite it with -update-analyze", path, name)
		}
	}
	// The golden answers of the ANAC domain are checked from first
	// principles, not only against themselves.
	if g := want.Scenarios[anacDomain]; g.Refused == "" {
		checkITexCypress(t, g)
	}
}

// The Itex vs Cypress domain of ANAC 2010 as GENIUS defines it
// (ItexvsCypress_Itex.xml and ItexvsCypress_Cypress.xml): per issue, each
// party's weight and its evaluation of every item, in item order. Its
// utility of a bid is Σ_j w_j · eval_j(item)/max_item eval_j (GENIUS's
// additive utility space with discrete evaluators); both reservation
// values are 0.
var (
	itexWeights    = []float64{0.203144574723176, 0.20211374197487283, 0.39834090571790587, 0.1964007775840452}
	itexEvals      = [][]float64{{8, 10, 2, 4, 6}, {2, 4, 10, 4}, {2, 4, 6}, {10, 8, 10}}
	cypressWeights = []float64{0.4022420410209347, 0.19920310983017905, 0.20210030166958587, 0.1964545474793004}
	cypressEvals   = [][]float64{{6, 8, 10, 6, 8}, {6, 4, 2, 10}, {10, 8, 4}, {10, 6, 2}}
)

// geniusUtility is a party's GENIUS utility of the bid levels.
func geniusUtility(weights []float64, evals [][]float64, levels []int) float64 {
	u := 0.0
	for j, l := range levels {
		u += weights[j] * evals[j][l] / slices.Max(evals[j])
	}
	return u
}

// checkITexCypress checks the golden answers of the Itex vs Cypress domain
// against a brute force over its 180 bids, in GENIUS's utilities: the
// Pareto frontier by comparing every pair of bids, the Nash bid maximising
// the product of the utilities (the disagreement point is the reservation
// values, 0), the Kalai–Smorodinsky bid maximising the least share of each
// party's best utility among the bids both prefer to no agreement, and the
// utilitarian bid maximising the sum. Ties go to the larger sum, then to
// the earlier bid, as docs/analysis.md says.
func checkITexCypress(t *testing.T, g goldenAnalysis) {
	t.Helper()
	type bid struct {
		levels []int
		u      [2]float64
		front  bool
	}
	var bids []bid
	for a := range 5 {
		for b := range 4 {
			for c := range 3 {
				for d := range 3 {
					l := []int{a, b, c, d}
					bids = append(bids, bid{levels: l, u: [2]float64{geniusUtility(itexWeights, itexEvals, l), geniusUtility(cypressWeights, cypressEvals, l)}})
				}
			}
		}
	}
	if g.Packages != len(bids) {
		t.Errorf("ANAC: %d packages, GENIUS has %d bids", g.Packages, len(bids))
	}
	const margin = 1e-9 // differences of rounding are no preference
	front := 0
	for k, p := range bids {
		dominated := false
		for _, q := range bids {
			if q.u[0] >= p.u[0]-margin && q.u[1] >= p.u[1]-margin && (q.u[0] > p.u[0]+margin || q.u[1] > p.u[1]+margin) {
				dominated = true
				break
			}
		}
		if !dominated {
			bids[k].front = true
			front++
		}
	}
	// The zone: the bids both parties prefer to no agreement (worth 0).
	var zone []bid
	frontInZone := 0
	for _, p := range bids {
		if p.u[0] > 0 && p.u[1] > 0 {
			zone = append(zone, p)
			if p.front {
				frontInZone++
			}
		}
	}
	if g.FrontierSize != front || g.FrontierAll != front || g.FrontierInZone != frontInZone {
		t.Errorf("ANAC: frontier of %d packages (%d in the zone, %d over every actor); brute force %d (%d in the zone)",
			g.FrontierSize, g.FrontierInZone, g.FrontierAll, front, frontInZone)
	}
	if len(zone) == 0 {
		t.Fatal("ANAC: brute force finds an empty zone")
	}
	var ideal [2]float64
	for _, p := range zone {
		ideal[0], ideal[1] = max(ideal[0], p.u[0]), max(ideal[1], p.u[1])
	}
	best := func(objective func(u [2]float64) float64) bid {
		k := 0
		for i, p := range zone {
			o, ok := objective(p.u), objective(zone[k].u)
			if o > ok || (o == ok && p.u[0]+p.u[1] > zone[k].u[0]+zone[k].u[1]) {
				k = i
			}
		}
		return zone[k]
	}
	for _, s := range []struct {
		name string
		got  *goldenSolution
		want bid
	}{
		{"Nash", g.Nash, best(func(u [2]float64) float64 { return u[0] * u[1] })},
		{"Kalai-Smorodinsky", g.KalaiSmorodinsky, best(func(u [2]float64) float64 { return min(u[0]/ideal[0], u[1]/ideal[1]) })},
		{"utilitarian", g.Utilitarian, best(func(u [2]float64) float64 { return u[0] + u[1] })},
	} {
		if s.got == nil {
			t.Errorf("ANAC: no %s solution; brute force %v", s.name, s.want.levels)
			continue
		}
		if !slices.Equal(s.got.Levels, s.want.levels) || math.Abs(s.got.Utility[0]-s.want.u[0]) > 1e-12 || math.Abs(s.got.Utility[1]-s.want.u[1]) > 1e-12 {
			t.Errorf("ANAC: %s solution %v with utilities %v; brute force in GENIUS's utilities %v with %v", s.name, s.got.Levels, s.got.Utility, s.want.levels, s.want.u)
		}
	}
}
