package sim

import (
	"math/rand/v2"
	"testing"
)

// prepareCred's odometer gives, for every package, the package each
// signatory keeps by breaking it and what stands after a collapse, as the
// definition does package by package (decode, withdraw or keep each
// level, encode): on random spaces with irreversible issues and status
// quos anywhere.
func TestPrepareCredIsItsDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	for trial := range 60 {
		levels := make([]int, 3+r.IntN(3))
		for j := range levels {
			levels[j] = 2 + r.IntN(4)
		}
		sc := randomScenario(r, 2+r.IntN(2), levels)
		for j := range sc.Issues {
			sc.Issues[j].IrreversibleFrom = -1
			if r.IntN(2) == 0 {
				sc.Issues[j].IrreversibleFrom = r.IntN(len(sc.Issues[j].Levels) + 1)
			}
		}
		m, err := Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorker(m)
		w.Run(1, trial+1, nil)
		w.sq = r.IntN(m.Space.Size)
		w.credOK = false
		w.prepareCred()
		L := len(m.Space.Levels)
		sqLv, pkg, want := make([]int, L), make([]int, L), make([]int, L)
		m.Space.Decode(w.sq, sqLv)
		for p := range m.Space.Size {
			m.Space.Decode(p, pkg)
			for j, l := range pkg {
				want[j] = sqLv[j]
				if m.irr[j] >= 0 && l >= m.irr[j] {
					want[j] = l
				}
			}
			if got := int(w.after[p]); got != m.Space.Encode(want) {
				t.Fatalf("trial %d: after[%d] = %d, want %d", trial, p, got, m.Space.Encode(want))
			}
			for si, i := range m.sig {
				for j, l := range pkg {
					want[j] = l
					vals := m.actors[i].values[j]
					if !(m.irr[j] >= 0 && l >= m.irr[j]) && w.vals[vals[l]] < w.vals[vals[sqLv[j]]] {
						want[j] = sqLv[j]
					}
				}
				if got := int(w.cheat[si*m.Space.Size+p]); got != m.Space.Encode(want) {
					t.Fatalf("trial %d: cheat[%d][%d] = %d, want %d", trial, si, p, got, m.Space.Encode(want))
				}
			}
		}
	}
}
