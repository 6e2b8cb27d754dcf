package sweep

import (
	"context"
	"runtime"
	"sync"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Options controls which points Run computes and how.
type Options struct {
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Shard selects the points; the zero Shard is the whole sweep.
	Shard Shard
	// Skip is the number of the shard's points, from its first, already
	// computed (by an interrupted run being resumed); Run starts after them.
	Skip int
	// Progress, when not nil, is called from one goroutine with the number
	// of points and of runs this call has finished, after each chunk.
	Progress func(points, runs int)
}

// point is the state of a point whose chunks are in flight.
type point struct {
	once sync.Once
	p    Point
	sc   *scenarios.Scenario
	m    *sim.Model
	err  error
}

// Run computes the points of opt.Shard after its first opt.Skip, and calls
// emit with each point's accumulator, in point order, from one goroutine.
// It returns the number of points emitted.
//
// Work is divided into chunks of sim.ChunkSize runs of one point, played on
// a pool of workers and merged in order exactly as sim.MonteCarlo merges
// them, so a point's accumulator is the one sim.MonteCarlo gives for the
// point's scenario (Sweep.ScenarioAt) with Runs runs and seed p.Seed,
// whatever the number of workers. Memory is bounded by the number of
// workers, not of points or runs: at most 4 chunks per worker are in
// flight.
//
// When ctx is cancelled, Run stops between runs and returns the points
// emitted so far with ctx.Err(). An error from emit, or a point whose
// scenario does not load (an ErrorList matching scenarios.ErrInvalid),
// stops Run with that error.
func Run[A sim.Accumulator[A]](ctx context.Context, s *Sweep, opt Options,
	newAcc func(sc *scenarios.Scenario) A, emit func(p Point, sc *scenarios.Scenario, acc A) error) (done int, err error) {
	if err := opt.Shard.check(); err != nil {
		return 0, err
	}
	count := opt.Shard.Count(s.points) - opt.Skip
	if count <= 0 {
		return 0, ctx.Err()
	}
	chunks := sim.Chunks(s.Runs, sim.ChunkSize)
	items := count * chunks
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, items)

	inner, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu   sync.Mutex
		next int
		open = map[int]*point{} // points with chunks in flight, by local index
	)
	// take hands out the next chunk and the point it belongs to.
	take := func() (int, *point) {
		mu.Lock()
		defer mu.Unlock()
		it := next
		next++
		if it >= items {
			return it, nil
		}
		j := it / chunks
		pt := open[j]
		if pt == nil {
			pt = &point{p: s.Point(opt.Shard.Point(opt.Skip + j))}
			open[j] = pt
		}
		return it, pt
	}
	closePoint := func(j int) {
		mu.Lock()
		delete(open, j)
		mu.Unlock()
	}

	type result struct {
		item int
		pt   *point
		acc  A
		ok   bool
	}
	tokens := make(chan struct{}, 4*workers)
	results := make(chan result)
	// Points whose varied keys leave the preferences as they are share
	// their utility tables (sim.Tables): built once for the sweep, not
	// once a point.
	tables := sim.NewTables()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var (
				w  *sim.Worker
				wm *sim.Model
			)
			for {
				select {
				case tokens <- struct{}{}:
				case <-inner.Done():
					return
				}
				it, pt := take()
				if pt == nil {
					return
				}
				pt.once.Do(func() {
					pt.sc, pt.err = s.ScenarioAt(pt.p)
					if pt.err == nil {
						pt.m, pt.err = sim.Compile(pt.sc)
					}
					if pt.err == nil {
						pt.m.Share(tables)
					}
				})
				if pt.err != nil {
					results <- result{it, pt, *new(A), false}
					return
				}
				if wm != pt.m {
					w, wm = sim.NewWorker(pt.m), pt.m
					w.StopWith(inner.Done())
				}
				acc := newAcc(pt.sc)
				ok := true
				c := it % chunks
				for run := c*sim.ChunkSize + 1; run <= min((c+1)*sim.ChunkSize, s.Runs); run++ {
					rec := w.Run(pt.p.Seed, run, nil)
					if inner.Err() != nil {
						ok = false // the run may have been stopped
						break
					}
					acc.Add(rec)
				}
				results <- result{it, pt, acc, ok}
				if !ok {
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int]result{}
	merged, runs := 0, 0
	var total A
	broken := false
	for r := range results {
		if broken {
			continue
		}
		pending[r.item] = r
		for !broken {
			p, ok := pending[merged]
			if !ok {
				break
			}
			delete(pending, merged)
			if !p.ok {
				broken = true
				if p.pt.err != nil {
					err = p.pt.err
				}
				cancel()
				break
			}
			c := merged % chunks
			if c == 0 {
				total = newAcc(p.pt.sc)
			}
			total.Merge(p.acc)
			runs += min(sim.ChunkSize, s.Runs-c*sim.ChunkSize)
			merged++
			<-tokens
			if c == chunks-1 {
				if e := emit(p.pt.p, p.pt.sc, total); e != nil {
					err, broken = e, true
					cancel()
					break
				}
				closePoint(merged/chunks - 1)
				done++
			}
			if opt.Progress != nil {
				opt.Progress(done, runs)
			}
		}
	}
	if err != nil {
		return done, err
	}
	if done < count {
		return done, ctx.Err()
	}
	return done, nil
}
