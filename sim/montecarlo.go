package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// ChunkSize is the number of consecutive runs a worker plays into one fresh
// accumulator. Chunks are merged in run order, so the result is the same
// for any number of workers; it does depend on ChunkSize, which is fixed.
const ChunkSize = 256

// MaxRuns is the most runs one batch may ask for: a billion runs of
// korea-2018 are days of work on a workstation, and every count derived
// from it (chunks, progress totals, run numbers) stays far inside an int.
const MaxRuns = 1_000_000_000

// Chunks returns the number of chunks of size runs make, without the
// overflow of (runs + size − 1)/size near the largest int.
func Chunks(runs, size int) int {
	c := runs / size
	if runs%size != 0 {
		c++
	}
	return c
}

// Options controls a Monte Carlo batch.
type Options struct {
	// Runs is the number of runs, numbered 1..Runs.
	Runs int
	// Seed seeds every run's generator together with the run's number.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when not nil, is called from one goroutine with the number
	// of runs folded so far, after each chunk.
	Progress func(done int)
	// Turns makes every record carry the state of the talks at the end
	// of each turn (Record.Turns), for accumulators of per-turn series.
	Turns bool
}

// MonteCarlo plays opt.Runs runs of m on a pool of workers and folds their
// records into one accumulator made by newAcc. Memory is bounded by the
// number of workers, not the number of runs: each chunk of ChunkSize runs
// is folded into its own accumulator, and chunks are merged in order as
// they finish.
//
// When ctx is cancelled, MonteCarlo stops between runs and returns the
// accumulator of the runs 1..done that finished in order, with ctx.Err().
func MonteCarlo[A Accumulator[A]](ctx context.Context, m *Model, opt Options, newAcc func() A) (total A, done int, err error) {
	total = newAcc()
	done, err = MonteCarloInto(ctx, m, opt, total, newAcc)
	return total, done, err
}

// MonteCarloInto is MonteCarlo folding into an accumulator of the caller's:
// every chunk is merged into total, in run order (so total may, say, write
// each chunk's rows to a file as it comes). It returns the number of runs
// merged.
func MonteCarloInto[A Accumulator[A]](ctx context.Context, m *Model, opt Options, total A, newAcc func() A) (done int, err error) {
	if opt.Runs <= 0 {
		return 0, ctx.Err()
	}
	if opt.Runs > MaxRuns {
		return 0, fmt.Errorf("%d runs: at most %d in one batch", opt.Runs, MaxRuns)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := Chunks(opt.Runs, ChunkSize)
	workers = min(workers, chunks)

	type result struct {
		chunk int
		acc   A
		ok    bool
	}
	var (
		mu   sync.Mutex
		next int
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		c := next
		next++
		return c
	}
	// tokens bound the chunks taken but not yet merged; merged chunk
	// accumulators are reset and reused, so a batch allocates a bounded
	// number of them whatever its size.
	tokens := make(chan struct{}, 4*workers)
	free := make(chan A, 4*workers)
	empty := func() A {
		select {
		case a := <-free:
			return a
		default:
			return newAcc()
		}
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := NewWorker(m)
			w.KeepTurns(opt.Turns)
			w.halt = ctx.Done()
			for {
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
				c := take()
				if c >= chunks {
					return
				}
				acc := empty()
				ok := true
				for run := c*ChunkSize + 1; run <= min((c+1)*ChunkSize, opt.Runs); run++ {
					rec := w.Run(opt.Seed, run, nil)
					if ctx.Err() != nil {
						ok = false // the run may have been stopped
						break
					}
					acc.Add(rec)
				}
				results <- result{c, acc, ok}
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
	merged, broken := 0, false
	for r := range results {
		if broken {
			continue
		}
		pending[r.chunk] = r
		for {
			p, ok := pending[merged]
			if !ok {
				break
			}
			delete(pending, merged)
			if !p.ok {
				broken = true
				break
			}
			total.Merge(p.acc)
			p.acc.Reset()
			select {
			case free <- p.acc:
			default:
			}
			merged++
			done = min(merged*ChunkSize, opt.Runs)
			<-tokens
			if opt.Progress != nil {
				opt.Progress(done)
			}
		}
	}
	if done < opt.Runs {
		return done, ctx.Err()
	}
	return done, nil
}
