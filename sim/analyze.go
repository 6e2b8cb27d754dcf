package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// DefaultExactLimit is the largest package space Analyze enumerates unless
// told otherwise: 2^20 = 1,048,576 packages. Larger spaces are analysed
// through the additive structure of the utilities (see AnalyzeOptions and
// docs/analysis.md).
const DefaultExactLimit = 1 << 20

// DefaultZoneSamples is the number of packages Analyze draws to estimate the
// size of the zone of possible agreement of a space it does not enumerate.
const DefaultZoneSamples = 1 << 18

// zoneSeed seeds the sample that estimates the zone's size, so that an
// analysis does not depend on --seed.
const zoneSeed = 0x5a0fa

// Methods Analyze uses to search the package space (Analysis.Method).
const (
	// MethodEnumeration computes every package's utilities.
	MethodEnumeration = "enumeration"
	// MethodAdditive builds the Pareto frontier issue by issue from the
	// additive utilities, and estimates the size of the zone of possible
	// agreement from a uniform sample of packages.
	MethodAdditive = "additive"
)

// ErrNotPlayable is returned when Monte Carlo runs are asked of a scenario
// whose package space is larger than the engine plays.
var ErrNotPlayable = errors.New("sim: the package space is larger than the engine plays")

// AnalyzeOptions controls Analyze.
type AnalyzeOptions struct {
	// All extends the analysis from the signatories to every actor: each
	// actor's ideal and value of no agreement, and the Pareto frontier over
	// every actor. The solutions stay those of the signatories, who sign.
	All bool
	// Frontier asks for the packages of the Pareto frontier, not only their
	// number.
	Frontier bool
	// Runs, when positive, plays Runs runs of the scenario with its
	// distributions sampled, as 'parley run' does, and reports how often
	// the zone of possible agreement is empty at the start and where the
	// agreements fall (Analysis.MonteCarlo).
	Runs int
	// Seed and Workers are as in Options; the runs are those of MonteCarlo
	// with the same seed.
	Seed    uint64
	Workers int
	// Progress, when not nil, is called with the number of runs finished,
	// from one goroutine at a time.
	Progress func(done int)
	// ExactLimit is the largest package space enumerated; 0 means
	// DefaultExactLimit. Larger spaces use MethodAdditive.
	ExactLimit int
	// ZoneSamples is the sample size of MethodAdditive's estimate of the
	// zone's size; 0 means DefaultZoneSamples.
	ZoneSamples int
}

// Analysis is the bargaining space of a scenario at the start of the talks
// (turn 1, before any event), with every distribution-valued number taken
// at its mean. Utilities are the engine's: per actor on [0,1], 1 its best
// package and 0 the worst it can get, the conflict lottery included
// (docs/model.md §2).
type Analysis struct {
	Scenario *scenarios.Scenario
	// Packages is the size of the package space.
	Packages int
	// Method is MethodEnumeration or MethodAdditive.
	Method string
	// Means lists every distribution-valued number of the scenario with
	// the mean the analysis took for it, in scenario order.
	Means []Mean
	// Signatories are the actors who sign (scenario indices).
	Signatories []int
	// Actors describes the actors analysed: the signatories, or every actor
	// with AnalyzeOptions.All, in scenario order.
	Actors []ActorSpace
	// FrontierOver lists the actors the Pareto frontier is taken over
	// (those of Actors).
	FrontierOver []int
	// FrontierSize is the number of packages on the Pareto frontier of the
	// whole space, FrontierInZone how many of them lie in the zone of
	// possible agreement.
	FrontierSize, FrontierInZone int
	// Frontier lists the frontier's packages (AnalyzeOptions.Frontier).
	Frontier []Point
	// Zone is the number of packages every signatory prefers to no
	// agreement: exact when ZoneExact, otherwise estimated from
	// ZoneSample.
	Zone       int
	ZoneExact  bool
	ZoneSample ZoneSample
	// Nash, KalaiSmorodinsky and Utilitarian are the solutions within the
	// zone of possible agreement, nil when it is empty. Nash maximises the
	// product of the signatories' gains over no agreement (Nash 1950);
	// KalaiSmorodinsky gives every signatory the same share of its ideal
	// gain within the zone (Kalai and Smorodinsky 1975); Utilitarian
	// maximises the sum of their utilities. Ties go to the larger sum of
	// the signatories' utilities, then to the lower package index.
	Nash, KalaiSmorodinsky, Utilitarian *Point
	// MonteCarlo is set when AnalyzeOptions.Runs is positive.
	MonteCarlo *Placement
}

// Mean is a distribution-valued number of the scenario and the mean the
// analysis took for it.
type Mean struct {
	Path  string
	Value float64
}

// ZoneSample is the sample behind an estimated zone size: Hits of Samples
// packages drawn uniformly lay in the zone.
type ZoneSample struct {
	Samples, Hits int
}

// ActorSpace is one actor's place in the bargaining space.
type ActorSpace struct {
	Actor     int
	Signatory bool
	// Ideal is the actor's best package (the lowest index among equals).
	Ideal Point
	// NoDeal is the actor's value of no agreement d_i as the engine sets it
	// for turn 1 (docs/model.md §4); StatusQuo and Conflict are its
	// utilities of the status quo and of the conflict lottery.
	NoDeal, StatusQuo, Conflict float64
}

// Point is a package with its utility to every actor.
type Point struct {
	// Package is the package's index in the space (see actors.Space).
	Package int
	// Levels holds the package's level of each issue.
	Levels []int
	// Utility holds every actor's utility of the package, in scenario
	// order.
	Utility []float64
	// InZone reports whether every signatory prefers the package to no
	// agreement.
	InZone bool
}

// Placement says where the agreements of Monte Carlo runs fall in each
// run's own bargaining space: the space of the run's draws at its start,
// before any event (a change of preferences later in the run does not move
// it). Distances are Euclidean, in the signatories' utilities.
type Placement struct {
	// Runs is the number of runs analysed (runs 1..Runs, fewer than asked
	// when interrupted), Seed their seed.
	Runs int
	Seed uint64
	// ZoneEmpty counts runs whose zone of possible agreement is empty.
	ZoneEmpty int
	// Agreements counts runs ending in agreement; OnFrontier those whose
	// package is on the signatories' Pareto frontier.
	Agreements, OnFrontier int
	// FrontierDistance is the mean distance of the agreed packages from
	// the nearest package of the signatories' frontier (0 on it).
	FrontierDistance float64
	// NashAgreements counts agreements in runs whose zone is not empty, so
	// that the Nash point exists; NashDistance is their mean distance from
	// it.
	NashAgreements int
	NashDistance   float64
}

// Analyze describes the bargaining space of sc at the start of the talks:
// each actor's ideal and value of no agreement, the zone of possible
// agreement, the Pareto frontier, and the Nash, Kalai–Smorodinsky and
// utilitarian solutions, with every distribution-valued number at its mean.
// With opt.Runs it also plays Monte Carlo runs and places their agreements.
// When ctx is cancelled during the runs it returns the analysis of the runs
// that finished, with ctx.Err().
// MaxAnalyzeRuns is the most runs Analyze places: it keeps a few dozen
// bytes for each run.
const MaxAnalyzeRuns = 10_000_000

func Analyze(ctx context.Context, sc *scenarios.Scenario, opt AnalyzeOptions) (*Analysis, error) {
	if opt.Runs > MaxAnalyzeRuns {
		return nil, fmt.Errorf("%d runs: analyze places at most %d (it keeps where each run's agreement fell)", opt.Runs, MaxAnalyzeRuns)
	}
	if opt.Runs > 0 {
		if fp, ok := FootprintOf(sc); !ok {
			return nil, fmt.Errorf("%w: %d packages, at most %d for --runs", ErrNotPlayable, fp.Packages, MaxPackages)
		}
	}
	m, err := compileAny(sc)
	if err != nil {
		return nil, err
	}
	an := newAnalyzer(m, opt)
	an.h = ctx.Done()
	w := NewWorker(m)
	for i, x := range m.nums {
		w.vals[i] = x.Value
	}
	for i, a := range m.actors {
		// Beliefs in the middle of their spread (the hawkish tilt kept).
		w.belief0[i] = actors.Belief{Spread: w.vals[a.spread]}
	}
	w.setPrefs(0)
	rs, err := an.rawSpace(w.prefs, true, nil)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	a := an.describe(w, rs)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, x := range m.nums {
		if !x.IsConst() {
			a.Means = append(a.Means, Mean{Path: x.Path, Value: x.Value})
		}
	}
	if opt.Runs <= 0 {
		return a, nil
	}
	if m.constPrefs {
		an.cached = rs
	}
	a.MonteCarlo, err = an.monteCarlo(ctx)
	return a, err
}

// compileAny compiles sc like Compile, but accepts package spaces of up to
// maxSpace packages: such a model can be analysed (with MethodAdditive) but
// not run.
func compileAny(sc *scenarios.Scenario) (*Model, error) {
	return compile(sc, maxSpace)
}

// maxSpace bounds the package spaces Analyze accepts, so that a package
// index fits in an int.
const maxSpace = 1 << 62

// analyzer holds what every evaluation of one model shares.
type analyzer struct {
	m       *Model
	opt     AnalyzeOptions
	n       int
	sig     []int
	set     []int // the actors the reported frontier is over
	exact   bool
	samples int
	// cached is the raw space of the means, shared read-only by every run
	// when the preferences are certain.
	cached *rawSpace
	// h stops the long loops when the analysis is cancelled.
	h halt
}

func newAnalyzer(m *Model, opt AnalyzeOptions) *analyzer {
	an := &analyzer{m: m, opt: opt, n: len(m.actors), sig: slices.Clone(m.sig)}
	slices.Sort(an.sig)
	an.set = an.sig
	if opt.All {
		an.set = make([]int, an.n)
		for i := range an.set {
			an.set[i] = i
		}
	}
	limit := opt.ExactLimit
	if limit <= 0 {
		limit = DefaultExactLimit
	}
	an.exact = m.Space.Size <= limit
	an.samples = opt.ZoneSamples
	if an.samples <= 0 {
		an.samples = DefaultZoneSamples
	}
	return an
}

// rawSpace is what depends only on the preferences: each actor's range of
// raw utility and raw utility of the status quo, and the Pareto frontiers
// with their raw utilities to every actor (rows of n).
type rawSpace struct {
	rawMin, rawMax, rawSQ []float64
	sigFront              []int
	sigRaw                []float64
	// Filled only for the full analysis:
	ideal    []int // each actor's best package
	setFront []int // the frontier over analyzer.set
	setRaw   []float64
	// tab holds every package's raw utility (MethodEnumeration only).
	tab *table
}

// rawSpace computes the raw space of prefs; full adds the ideals and the
// frontier over the reported actors. t, when not nil, is a table whose
// buffers enumeration may reuse.
func (an *analyzer) rawSpace(prefs []actors.Prefs, full bool, t *table) (*rawSpace, error) {
	if an.exact {
		return an.enumerate(prefs, full, t), nil
	}
	return an.additive(prefs, full)
}

// enumerate computes the raw space by computing every package's utility.
func (an *analyzer) enumerate(prefs []actors.Prefs, full bool, t *table) *rawSpace {
	m, n := an.m, an.n
	t = buildTable(m.Space, prefs, make([]bool, n), false, t, an.h) // no order is read here
	rs := &rawSpace{rawMin: t.rawMin, rawMax: t.rawMax, rawSQ: t.raw[m.sq*n : (m.sq+1)*n], tab: t}
	gather := func(set []int) ([]int, []float64) {
		f := frontier(t.raw, n, m.Space.Size, set, an.h)
		pkgs := make([]int, len(f))
		raw := make([]float64, len(f)*n)
		for k, p := range f {
			pkgs[k] = int(p)
			copy(raw[k*n:(k+1)*n], t.raw[int(p)*n:(int(p)+1)*n])
		}
		return pkgs, raw
	}
	rs.sigFront, rs.sigRaw = gather(an.sig)
	if !full {
		return rs
	}
	rs.setFront, rs.setRaw = rs.sigFront, rs.sigRaw
	if !slices.Equal(an.set, an.sig) {
		rs.setFront, rs.setRaw = gather(an.set)
	}
	rs.ideal = make([]int, n)
	for p := range m.Space.Size {
		for i := range n {
			if t.raw[p*n+i] > t.raw[rs.ideal[i]*n+i] {
				rs.ideal[i] = p
			}
		}
	}
	return rs
}

// frontier returns the packages no other package dominates for the actors
// in set (see dominates), ascending: paretoFrontier, or for two actors a
// sweep in O(size·log size) that finds the same packages.
// When h stops it, what it returns must not be used.
func frontier(raw []float64, n, size int, set []int, h halt) []int32 {
	if len(set) == 2 {
		return frontier2(raw, n, size, set[0], set[1], h)
	}
	return paretoFrontier(raw, n, size, set, nil, h)
}

// frontier2 is the Pareto frontier over actors a and b. Package p is
// dominated exactly when some q has q_a ≥ p_a and q_b > p_b + margin, or
// q_a > p_a + margin and q_b ≥ p_b: with the packages sorted by decreasing
// utility to a, each is a question about the largest utility to b over a
// prefix, answered by a binary search in the running maxima.
func frontier2(raw []float64, n, size, a, b int, h halt) []int32 {
	order := make([]int32, size)
	for p := range order {
		order[p] = int32(p)
	}
	ua := func(p int32) float64 { return raw[int(p)*n+a] }
	ub := func(p int32) float64 { return raw[int(p)*n+b] }
	slices.SortFunc(order, func(x, y int32) int {
		switch {
		case ua(x) > ua(y):
			return -1
		case ua(x) < ua(y):
			return 1
		}
		return 0
	})
	// prefMax[k] is the largest utility to b among order[:k+1].
	prefMax := make([]float64, size)
	best := math.Inf(-1)
	for k, p := range order {
		best = max(best, ub(p))
		prefMax[k] = best
	}
	// upTo returns the largest utility to b among packages whose utility
	// to a is at least x (strict: more than x); -Inf if none.
	upTo := func(x float64, strict bool) float64 {
		k, _ := slices.BinarySearchFunc(order, x, func(p int32, x float64) int {
			if ua(p) > x || (!strict && ua(p) == x) {
				return -1
			}
			return 1
		})
		if k == 0 {
			return math.Inf(-1)
		}
		return prefMax[k-1]
	}
	var out []int32
	for p := range size {
		if p%haltEvery == 0 && h.now() {
			return out
		}
		pa, pb := raw[p*n+a], raw[p*n+b]
		if upTo(pa, false) > pb+dominanceMargin || upTo(pa+dominanceMargin, true) >= pb {
			continue
		}
		out = append(out, int32(p))
	}
	return out
}

// describe is the full analysis of the draws in w.vals, whose raw space is
// rs.
func (an *analyzer) describe(w *Worker, rs *rawSpace) *Analysis {
	m, n := an.m, an.n
	w.startValues(rs.rawMin, rs.rawMax, rs.rawSQ)
	a := &Analysis{
		Scenario: m.Scenario, Packages: m.Space.Size, Method: MethodAdditive,
		Signatories: slices.Clone(m.sig), FrontierOver: slices.Clone(an.set),
	}
	if an.exact {
		a.Method = MethodEnumeration
	}
	point := func(p int, raw []float64) *Point {
		pt := &Point{Package: p, Levels: make([]int, len(m.Space.Levels)), Utility: make([]float64, n), InZone: true}
		m.Space.Decode(p, pt.Levels)
		for i := range n {
			pt.Utility[i] = w.scale[i].U(raw[i])
		}
		for _, j := range an.sig {
			if pt.Utility[j] <= w.noDeal[j] {
				pt.InZone = false
			}
		}
		return pt
	}
	rawOf := func(p int) []float64 {
		if rs.tab != nil {
			return rs.tab.raw[p*n : (p+1)*n]
		}
		return rawPackage(w.prefs, m.Space, p)
	}
	for _, i := range an.set {
		a.Actors = append(a.Actors, ActorSpace{
			Actor: i, Signatory: m.isSig[i], Ideal: *point(rs.ideal[i], rawOf(rs.ideal[i])),
			NoDeal: w.noDeal[i], StatusQuo: w.uSQ[i], Conflict: w.conflictU(i),
		})
	}
	a.FrontierSize = len(rs.setFront)
	for k, p := range rs.setFront {
		pt := point(p, rs.setRaw[k*n:(k+1)*n])
		if pt.InZone {
			a.FrontierInZone++
		}
		if an.opt.Frontier {
			a.Frontier = append(a.Frontier, *pt)
		}
	}
	u := normalise(rs.sigRaw, n, w.scale, nil)
	nash, ks, util, inZone := solve(u, n, an.sig, w.noDeal)
	if nash >= 0 {
		a.Nash = point(rs.sigFront[nash], rs.sigRaw[nash*n:(nash+1)*n])
		a.KalaiSmorodinsky = point(rs.sigFront[ks], rs.sigRaw[ks*n:(ks+1)*n])
		a.Utilitarian = point(rs.sigFront[util], rs.sigRaw[util*n:(util+1)*n])
	}
	switch {
	case rs.tab != nil:
		a.Zone, a.ZoneExact = an.countZone(w, rs.tab), true
	case inZone == 0:
		// Every package of the zone has a dominator on the frontier, also
		// in the zone: an empty frontier zone is an empty zone.
		a.Zone, a.ZoneExact = 0, true
	default:
		a.ZoneSample = an.sampleZone(w)
		a.Zone = int(math.Round(float64(m.Space.Size) * float64(a.ZoneSample.Hits) / float64(a.ZoneSample.Samples)))
	}
	return a
}

// countZone counts the packages every signatory prefers to no agreement.
func (an *analyzer) countZone(w *Worker, t *table) int {
	n, count := an.n, 0
next:
	for p := range an.m.Space.Size {
		if p%haltEvery == 0 && an.h.now() {
			return 0
		}
		for _, j := range an.sig {
			if w.scale[j].U(t.raw[p*n+j]) <= w.noDeal[j] {
				continue next
			}
		}
		count++
	}
	return count
}

// sampleZone draws packages uniformly and counts those in the zone.
func (an *analyzer) sampleZone(w *Worker) ZoneSample {
	m := an.m
	r := rand.New(rand.NewPCG(zoneSeed, 0))
	pkg := make([]int, len(m.Space.Levels))
	s := ZoneSample{Samples: an.samples}
next:
	for k := range s.Samples {
		if k%haltEvery == 0 && an.h.now() {
			return s
		}
		for j, l := range m.Space.Levels {
			pkg[j] = r.IntN(l)
		}
		for _, i := range an.sig {
			if w.scale[i].U(w.prefs[i].Raw(pkg)) <= w.noDeal[i] {
				continue next
			}
		}
		s.Hits++
	}
	return s
}

// rawPackage returns every actor's raw utility of package p.
func rawPackage(prefs []actors.Prefs, sp actors.Space, p int) []float64 {
	pkg := make([]int, len(sp.Levels))
	sp.Decode(p, pkg)
	raw := make([]float64, len(prefs))
	for i := range prefs {
		raw[i] = prefs[i].Raw(pkg)
	}
	return raw
}

// normalise maps rows of raw utilities (n per row) to the actors' scales,
// reusing out.
func normalise(raw []float64, n int, sc []actors.Scale, out []float64) []float64 {
	out = resize(out, len(raw))
	for k := range len(raw) / n {
		for i := range n {
			out[k*n+i] = sc[i].U(raw[k*n+i])
		}
	}
	return out
}

// solve returns, among candidates with normalised utilities u (rows of n),
// the Nash, Kalai–Smorodinsky and utilitarian solutions of the signatories
// sig within the zone of possible agreement (the candidates every
// signatory prefers to its value of no agreement noDeal), and how many
// candidates lie in the zone. The solutions are -1 when none does. Each
// objective never decreases in the signatories' utilities and ties go to
// the larger sum of their utilities, then the lower index (see better), so
// the candidates may be limited to the signatories' Pareto frontier.
//
//   - Nash (Nash 1950): the largest product Π_j (u_j − d_j);
//   - Kalai–Smorodinsky (Kalai and Smorodinsky 1975): the largest
//     min_j (u_j − d_j)/(U_j − d_j), U_j the most j gets within the zone;
//   - utilitarian: the largest Σ_j u_j.
func solve(u []float64, n int, sig []int, noDeal []float64) (nash, ks, util, inZone int) {
	count := len(u) / n
	in := func(k int) bool {
		for _, j := range sig {
			if u[k*n+j] <= noDeal[j] {
				return false
			}
		}
		return true
	}
	ideal := make([]float64, n)
	for i := range ideal {
		ideal[i] = math.Inf(-1)
	}
	for k := range count {
		if in(k) {
			inZone++
			for _, j := range sig {
				ideal[j] = max(ideal[j], u[k*n+j])
			}
		}
	}
	nash, ks, util = -1, -1, -1
	if inZone == 0 {
		return
	}
	no, ns := math.Inf(-1), math.Inf(-1)
	ko, kss := math.Inf(-1), math.Inf(-1)
	uo, us := math.Inf(-1), math.Inf(-1)
	for k := range count {
		if !in(k) {
			continue
		}
		prod, ratio, sum := 1.0, math.Inf(1), 0.0
		for _, j := range sig {
			g := u[k*n+j] - noDeal[j]
			prod *= g
			ratio = min(ratio, g/(ideal[j]-noDeal[j]))
			sum += u[k*n+j]
		}
		better(u, n, sig, k, prod, &nash, &no, &ns)
		better(u, n, sig, k, ratio, &ks, &ko, &kss)
		better(u, n, sig, k, sum, &util, &uo, &us)
	}
	return nash, ks, util, inZone
}

// startValues sets the worker's scales, its utilities of the status quo
// and of conflict, and the state of the talks at the start of a run as Run
// sets them, from w.vals and the raw utilities of the preferences at the
// start (each actor's least and greatest raw utility and that of the status
// quo); then it sets w.noDeal to the values of no agreement updateNoDeal
// gives before turn 1 (Trace.Start). TestStartValuesMatchEngine checks
// them against the engine's traces.
func (w *Worker) startValues(rawMin, rawMax, rawSQ []float64) {
	w.startConflict()
	for i := range w.m.actors {
		w.setScale(i, rawMin[i], rawMax[i], rawSQ[i])
	}
	st := w.startState()
	st.turn = 1
	w.noDeals(&st)
}

// runPlace is where one run's agreement fell.
type runPlace struct {
	zoneEmpty, agreement, onFrontier, nash bool
	dFrontier, dNash                       float64
}

// monteCarlo plays the runs and places their agreements.
func (an *analyzer) monteCarlo(ctx context.Context) (*Placement, error) {
	opt := an.opt
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 64
	chunks := Chunks(opt.Runs, chunk)
	workers = max(1, min(workers, chunks))
	places := make([]runPlace, opt.Runs)
	finished := make([]bool, chunks)
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			w := NewWorker(an.m)
			w.halt = an.h
			var t *table
			var u []float64
			for {
				mu.Lock()
				c := next
				next++
				mu.Unlock()
				if c >= chunks || ctx.Err() != nil {
					return
				}
				for run := c*chunk + 1; run <= min((c+1)*chunk, opt.Runs); run++ {
					if ctx.Err() != nil {
						return
					}
					var err error
					places[run-1], t, u, err = an.place(w, run, t, u)
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						return
					}
				}
				if ctx.Err() != nil {
					return // the last run may have been stopped
				}
				mu.Lock()
				finished[c] = true
				done += min((c+1)*chunk, opt.Runs) - c*chunk
				if opt.Progress != nil {
					opt.Progress(done)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	runs := 0
	for c := range chunks {
		if !finished[c] {
			break
		}
		runs = min((c+1)*chunk, opt.Runs)
	}
	pl := &Placement{Runs: runs, Seed: opt.Seed}
	for _, r := range places[:runs] {
		if r.zoneEmpty {
			pl.ZoneEmpty++
		}
		if !r.agreement {
			continue
		}
		pl.Agreements++
		if r.onFrontier {
			pl.OnFrontier++
		}
		pl.FrontierDistance += r.dFrontier
		if r.nash {
			pl.NashAgreements++
			pl.NashDistance += r.dNash
		}
	}
	if pl.Agreements > 0 {
		pl.FrontierDistance /= float64(pl.Agreements)
	}
	if pl.NashAgreements > 0 {
		pl.NashDistance /= float64(pl.NashAgreements)
	}
	if runs < opt.Runs {
		return pl, ctx.Err()
	}
	return pl, nil
}

// place plays run number run on w and places its agreement in the run's
// bargaining space at the start. t and u are buffers it reuses and returns.
func (an *analyzer) place(w *Worker, run int, t *table, u []float64) (runPlace, *table, []float64, error) {
	m, n := an.m, an.n
	rec := w.Run(an.opt.Seed, run, nil)
	var r runPlace
	r.agreement = rec.Outcome == Agreement
	w.setPrefs(0) // the preferences at the start of the run, as drawn
	rs := an.cached
	if rs == nil {
		var err error
		if rs, err = an.rawSpace(w.prefs, false, t); err != nil {
			return r, t, u, err
		}
		t = rs.tab
	}
	w.startValues(rs.rawMin, rs.rawMax, rs.rawSQ)
	u = normalise(rs.sigRaw, n, w.scale, u)
	nash, _, _, inZone := solve(u, n, an.sig, w.noDeal)
	r.zoneEmpty = inZone == 0
	if !r.agreement {
		return r, t, u, nil
	}
	deal := m.Space.Encode(rec.Terms)
	_, r.onFrontier = slices.BinarySearch(rs.sigFront, deal)
	dealU := make([]float64, n)
	for _, j := range an.sig {
		dealU[j] = w.scale[j].U(w.prefs[j].Raw(rec.Terms))
	}
	dist := func(k int) float64 {
		s := 0.0
		for _, j := range an.sig {
			d := u[k*n+j] - dealU[j]
			s += d * d
		}
		return math.Sqrt(s)
	}
	r.dFrontier = math.Inf(1)
	for k := range rs.sigFront {
		r.dFrontier = min(r.dFrontier, dist(k))
	}
	if nash >= 0 {
		r.nash, r.dNash = true, dist(nash)
	}
	return r, t, u, nil
}
