package sim

import (
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// Every purpose draws from a stream of its own (streams.go): a variant of
// korea-2018 that adds a stochastic event, changes how one number is drawn
// (the US's hawkishness from Beta(6, 4) to Beta(9, 1)) and adds an
// actor's misperception draws, run by run with the same seed, every other
// number and every actor's belief errors exactly as korea-2018 does. With
// one generator for the whole run, each of these changes would move every
// later draw.
func TestStreamsAreIndependent(t *testing.T) {
	base := mustLoad("korea-2018")
	variant := mustLoad("korea-2018")
	var added scenarios.Event
	for _, e := range variant.Events {
		if len(e.Turns) == 0 {
			added = e // a stochastic event, copied under another id
			break
		}
	}
	if added.ID == "" {
		t.Fatal("korea-2018 has no stochastic event to copy")
	}
	added.ID = "another_" + added.ID
	variant.Events = append([]scenarios.Event{added}, variant.Events...)
	const changed, drawn = "actors.us.hawkishness", "actors.south_korea.misperception"
	us := variant.ActorIndex("us")
	variant.Actors[us].Hawkishness.Dist.A, variant.Actors[us].Hawkishness.Dist.B = 9, 1
	sk := variant.ActorIndex("south_korea")
	variant.Actors[sk].Misperception = uniform(0, 1)
	variant.Actors[sk].Misperception.Path = drawn

	wa, wb := NewWorker(mustCompile(t, base)), NewWorker(mustCompile(t, variant))
	var ta, tb Trace
	compared := 0
	for run := 1; run <= 50; run++ {
		wa.Run(3, run, &ta)
		wb.Run(3, run, &tb)
		if ta.Draws[changed] == tb.Draws[changed] {
			t.Fatalf("run %d: %s drawn %v by both: the variant does not change it", run, changed, ta.Draws[changed])
		}
		for p, x := range ta.Draws {
			if p == changed || p == drawn {
				continue
			}
			if y, ok := tb.Draws[p]; !ok || x != y {
				t.Fatalf("run %d: %s drawn %v by korea-2018, %v by the variant", run, p, x, y)
			}
			compared++
		}
		for i := range ta.Beliefs {
			if ta.Beliefs[i].ErrPrevail != tb.Beliefs[i].ErrPrevail || ta.Beliefs[i].ErrCost != tb.Beliefs[i].ErrCost || ta.Beliefs[i].ErrResolve != tb.Beliefs[i].ErrResolve {
				t.Fatalf("run %d: actor %d's belief errors %+v and %+v differ", run, i, ta.Beliefs[i], tb.Beliefs[i])
			}
		}
	}
	if compared == 0 {
		t.Fatal("no draws compared")
	}
}
