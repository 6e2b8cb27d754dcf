// Package testenv says which tests a test run takes. Quick tests always
// run. Heavy tests (a scenario-level check that plays tens of thousands of
// runs) are skipped with -short and under the race detector, which slows
// the engine about tenfold and adds nothing to a statistical check.
// End-to-end tests (they build parley and run it as a process, signals and
// all) run only when the environment sets PARLEY_E2E=1, as .ci/run does,
// and never under the race detector.
package testenv

import (
	"os"
	"testing"
)

// E2E is the environment variable that turns the end-to-end tests on.
const E2E = "PARLEY_E2E"

// Quick reports whether heavy work is to be skipped: with -short or under
// the race detector.
func Quick() bool { return testing.Short() || Race }

// Heavy skips t when Quick.
func Heavy(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("heavy (many runs): skipped with -short")
	}
	if Race {
		t.Skip("heavy (many runs): skipped under the race detector")
	}
}

// EndToEnd skips t unless PARLEY_E2E=1, and under the race detector or
// -short.
func EndToEnd(t testing.TB) {
	t.Helper()
	if os.Getenv(E2E) != "1" {
		t.Skip("end to end (builds and runs parley): set " + E2E + "=1 to run it")
	}
	if Quick() {
		t.Skip("end to end: skipped with -short and under the race detector")
	}
}
