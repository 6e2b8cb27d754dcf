package forecast

// Monte Carlo forecasts over uncertain inputs. A run draws every uncertain
// number of the scenario from a stream of its own, seeded from the batch's
// seed, the run and the number's key path (as the engine's runs do,
// sim/streams.go): the same seed gives the same runs whatever the number
// of workers, and a number made uncertain moves no other draw.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Streams are one run's generators: one per uncertain number, by its key
// path. A nil *Streams gives every number its central value (a constant,
// or a distribution's mean): the single forecast of --runs 1.
type Streams struct {
	seed uint64
	run  int
	pcg  rand.PCG
	rng  *rand.Rand
}

// NewStreams returns the streams of run (numbered from 1) of a batch
// drawn with seed.
func NewStreams(seed uint64, run int) *Streams {
	s := &Streams{seed: seed, run: run}
	s.rng = rand.New(&s.pcg)
	return s
}

// Number draws n for the run: its value when s is nil or n is a constant,
// else a draw from n's own stream.
func (s *Streams) Number(n scenarios.Number) float64 {
	if s == nil || n.IsConst() {
		return n.Value
	}
	sim.SeedStream(&s.pcg, s.seed, s.run, "input", n.Path)
	return n.Sample(s.rng)
}

// Dimension is one dimension of a forecast problem: its id and name, the
// ends of its scale (Lo < Hi, or Lo = Hi = 0 for the spread of the
// starting positions), and what a position counts (Unit) with, for an
// issue of an agent-based scenario, the labels of its levels (position k
// is level k).
type Dimension struct {
	ID, Name, Unit string
	Lo, Hi         float64
	Levels         []string
}

// Problem is a forecast's uncertain inputs: its dimensions and a rule
// that draws one run's actors on each of them.
type Problem struct {
	Dimensions []Dimension
	// Draw returns one run's actors on each dimension ([dimension][actor]),
	// every uncertain number taken from s (nil: the central values). An
	// actor that takes no part in a dimension is left out of it.
	Draw func(s *Streams) [][]Actor
	// Uncertain is set when some input is a distribution; without one,
	// every run draws the same inputs, and MonteCarlo plays them once.
	Uncertain bool
}

// uncertain reports whether any of ns is a distribution.
func uncertain(ns ...scenarios.Number) bool {
	for _, n := range ns {
		if !n.IsConst() {
			return true
		}
	}
	return false
}

// SpatialProblem is the problem of a spatial scenario: each actor's
// capability, and its position and salience on each dimension.
func SpatialProblem(sp *scenarios.Spatial) Problem {
	dims := make([]Dimension, len(sp.Dimensions))
	for j, d := range sp.Dimensions {
		dims[j] = Dimension{ID: d.ID, Name: d.Name, Unit: d.Unit}
		if d.HasScale {
			dims[j].Lo, dims[j].Hi = d.Min, d.Max
		}
	}
	draw := func(s *Streams) [][]Actor {
		out := make([][]Actor, len(dims))
		caps := make([]float64, len(sp.Actors))
		for i, a := range sp.Actors {
			caps[i] = s.Number(a.Capability)
		}
		for j := range dims {
			out[j] = make([]Actor, len(sp.Actors))
			for i, a := range sp.Actors {
				out[j][i] = Actor{ID: a.ID, Capability: caps[i], Position: s.Number(a.Position[j]), Salience: s.Number(a.Salience[j])}
			}
		}
		return out
	}
	p := Problem{Dimensions: dims, Draw: draw}
	for _, a := range sp.Actors {
		p.Uncertain = p.Uncertain || uncertain(a.Capability) || uncertain(a.Position...) || uncertain(a.Salience...)
	}
	return p
}

// AgentProblem is an agent-based scenario seen as a spatial model
// (docs/forecast.md): each issue is a dimension whose scale is its level
// indices (0 for the first level); an actor's position is its ideal level
// on the issue (the level it values most, the lowest among equals), its
// salience its weight on the issue divided by its greatest weight (so the
// issue it weighs most has salience 1), and its capability the scenario's
// (actors.<id>.capability, 1 by default). An actor with no values on an
// issue takes no part in its dimension. Weights and values are drawn as a
// run of the engine draws them, each from its own stream.
func AgentProblem(sc *scenarios.Scenario) Problem {
	dims := make([]Dimension, len(sc.Issues))
	for j, is := range sc.Issues {
		dims[j] = Dimension{ID: is.ID, Name: is.Name, Unit: "level", Lo: 0, Hi: float64(len(is.Levels) - 1), Levels: is.Levels}
	}
	draw := func(s *Streams) [][]Actor {
		out := make([][]Actor, len(dims))
		for _, a := range sc.Actors {
			c := s.Number(a.Capability)
			w := make([]float64, len(a.Weights))
			top := 0.0
			for j, n := range a.Weights {
				w[j] = s.Number(n)
				top = max(top, w[j])
			}
			for j, vals := range a.Values {
				if !valued(a, j) {
					continue
				}
				best, at := math.Inf(-1), 0
				for k, v := range vals {
					if x := s.Number(v); x > best {
						best, at = x, k
					}
				}
				sal := 0.0
				if top > 0 {
					sal = w[j] / top
				}
				out[j] = append(out[j], Actor{ID: a.ID, Capability: c, Position: float64(at), Salience: sal})
			}
		}
		return out
	}
	p := Problem{Dimensions: dims, Draw: draw}
	for _, a := range sc.Actors {
		p.Uncertain = p.Uncertain || uncertain(a.Capability) || uncertain(a.Weights...)
		for _, v := range a.Values {
			p.Uncertain = p.Uncertain || uncertain(v...)
		}
	}
	return p
}

// valued reports whether actor a has values on issue j: a weight that
// counts (a positive constant or a distribution). The loader refuses a
// weight without values and values without a weight.
func valued(a scenarios.Actor, j int) bool {
	w := a.Weights[j]
	return w.Dist != nil || w.Value > 0
}

// MonteCarloOptions control a batch of forecasts.
type MonteCarloOptions struct {
	// Runs is the number of runs, numbered 1..Runs; run k draws its inputs
	// from NewStreams(Seed, k).
	Runs int
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. The results
	// do not depend on it.
	Workers int
	// Options set each run's forecast; their Lo and Hi are replaced by
	// each dimension's scale.
	Options Options
	// Progress, when not nil, is called from one goroutine with the number
	// of runs finished in order so far.
	Progress func(done int)
}

// Central plays the single forecast of the problem's central values
// (constants, and distributions' means): one []Round per dimension.
func Central(p Problem, opt Options) ([][]Round, error) {
	return forecastAll(p, p.Draw(nil), opt)
}

// forecastAll forecasts each dimension of one draw.
func forecastAll(p Problem, actors [][]Actor, opt Options) ([][]Round, error) {
	out := make([][]Round, len(p.Dimensions))
	for j, d := range p.Dimensions {
		o := opt
		o.Lo, o.Hi = d.Lo, d.Hi
		r, err := Forecast(actors[j], o)
		if err != nil {
			return nil, fmt.Errorf("forecast: dimension %s: %w", d.ID, err)
		}
		out[j] = r
	}
	return out, nil
}

// MonteCarlo plays opt.Runs forecasts of the problem, each of its own draw
// of the inputs, on a pool of workers. It returns, per dimension, every
// run's rounds in run order ([dimension][run]), and the number of runs
// done. When ctx is cancelled it stops between runs and returns the runs
// 1..done that finished, with ctx.Err(); a forecast that fails stops the
// batch with its error. A problem without uncertain inputs is played once,
// every run sharing that forecast (its rounds must not be changed).
func MonteCarlo(ctx context.Context, p Problem, opt MonteCarloOptions) (runs [][][]Round, done int, err error) {
	if opt.Runs <= 0 || ctx.Err() != nil {
		return make([][][]Round, len(p.Dimensions)), 0, ctx.Err()
	}
	if !p.Uncertain {
		one, err := forecastAll(p, p.Draw(nil), opt.Options)
		if err != nil {
			return make([][][]Round, len(p.Dimensions)), 0, fmt.Errorf("run 1: %w", err)
		}
		runs = make([][][]Round, len(p.Dimensions))
		for j := range runs {
			runs[j] = make([][]Round, opt.Runs)
			for k := range runs[j] {
				runs[j][k] = one[j]
			}
		}
		if opt.Progress != nil {
			opt.Progress(opt.Runs)
		}
		return runs, opt.Runs, nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opt.Runs)
	byRun := make([][][]Round, opt.Runs) // [run][dimension]
	finished := make([]bool, opt.Runs)
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		errRun   = opt.Runs
		inOrder  int
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= opt.Runs || ctx.Err() != nil {
					return
				}
				mu.Lock()
				stop := k > errRun
				mu.Unlock()
				if stop {
					return
				}
				r, err := forecastAll(p, p.Draw(NewStreams(opt.Seed, k+1)), opt.Options)
				mu.Lock()
				if err != nil {
					if k < errRun {
						errRun, firstErr = k, fmt.Errorf("run %d: %w", k+1, err)
					}
					mu.Unlock()
					return
				}
				byRun[k], finished[k] = r, true
				moved := false
				for inOrder < opt.Runs && finished[inOrder] {
					inOrder++
					moved = true
				}
				if moved && opt.Progress != nil {
					opt.Progress(inOrder)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	done = inOrder
	runs = make([][][]Round, len(p.Dimensions))
	for j := range runs {
		runs[j] = make([][]Round, done)
		for k := range done {
			runs[j][k] = byRun[k][j]
		}
	}
	switch {
	case firstErr != nil:
		return runs, done, firstErr
	case done < opt.Runs:
		return runs, done, ctx.Err()
	}
	return runs, done, nil
}

// At returns round r of a forecast, or its last round when it settled
// before r (a settled forecast holds its last positions).
func At(rounds []Round, r int) Round {
	return rounds[min(r, len(rounds)-1)]
}

// Length is the number of rounds, round 0 included, of the longest of
// runs.
func Length(runs [][]Round) int {
	n := 0
	for _, r := range runs {
		n = max(n, len(r))
	}
	return n
}

// MedianPositions returns, for round r, each actor's median position over
// runs (by the actors' ids, as listed in the first run's first round:
// every run of a problem has the same actors on a dimension). It is nil
// without runs.
func MedianPositions(runs [][]Round, r int) []float64 {
	if len(runs) == 0 {
		return nil
	}
	n := len(runs[0][0].Positions)
	out := make([]float64, n)
	xs := make([]float64, len(runs))
	for i := range n {
		for k, run := range runs {
			xs[k] = At(run, r).Positions[i]
		}
		out[i] = median(xs)
	}
	return out
}

// median is the median of xs by the rule Summarise uses (gonum's
// nearest-rank stat.Empirical: the lower middle value when their number
// is even), so that every median parley reports is some run's value.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	return stat.Quantile(0.5, stat.Empirical, s, nil)
}
