package sim

import (
	"reflect"
	"testing"
)

// An injected event happens at its turn, recorded as injected, and
// changes nothing before it; an injector that injects nothing changes
// nothing at all.
func TestInjectedEvent(t *testing.T) {
	m := loadKorea(t)
	const run, at = 7, 5
	plain := &Trace{}
	NewWorker(m).Run(1, run, plain)

	w := NewWorker(m)
	w.InjectWith(func(int) []int { return nil })
	none := &Trace{}
	w.Run(1, run, none)
	if !reflect.DeepEqual(plain.Steps, none.Steps) || plain.Record.Outcome != none.Record.Outcome {
		t.Fatal("an injector that injects nothing changed the run")
	}

	// An event the run did not fire at turn at.
	ev := -1
	for ei := range m.events {
		fired := false
		for _, s := range plain.Steps {
			fired = fired || (s.Turn == at && s.Kind == StepEvent && s.Event == ei)
		}
		if !fired {
			ev = ei
			break
		}
	}
	if ev < 0 {
		t.Fatal("every event fired at the turn")
	}
	asked := map[int]bool{}
	w = NewWorker(m)
	w.InjectWith(func(turn int) []int {
		asked[turn] = true
		if turn == at {
			return []int{ev}
		}
		return nil
	})
	inj := &Trace{}
	w.Run(1, run, inj)
	if !asked[1] || !asked[at] {
		t.Errorf("the injector was asked at turns %v", asked)
	}
	found := false
	for _, s := range inj.Steps {
		if s.Kind == StepEvent && s.Event == ev && s.Turn == at {
			found = s.Cause == CauseInjected
		}
	}
	if !found {
		t.Fatalf("event %d not recorded as injected at turn %d", ev, at)
	}
	for k, s := range plain.Steps {
		if s.Turn >= at {
			break
		}
		if !reflect.DeepEqual(s, inj.Steps[k]) {
			t.Fatalf("step %d before the injection differs: %+v against %+v", k, inj.Steps[k], s)
		}
	}
}
