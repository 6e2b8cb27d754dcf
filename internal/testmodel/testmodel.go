// Package testmodel gives tests a compiled built-in scenario.
package testmodel

import (
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Load loads the built-in scenario name and compiles it, failing t on any
// error.
func Load(t testing.TB, name string) *sim.Model {
	t.Helper()
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
