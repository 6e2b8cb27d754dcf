// Package testenv says which tests a test run takes. Quick tests always
// run. Long tests run only when the environment sets PARLEY_LONG=1, as
// .ci/run does, and never with -short or under the race detector (which
// slows the engine about tenfold and adds nothing to a statistical check):
// the heavy ones, scenario-level checks that play tens of thousands of
// runs, and the end-to-end ones, which build parley and run it as a
// process, signals and all.
package testenv

import (
	"os"
	"testing"
)

// Long is the environment variable that turns the long tests on.
const Long = "PARLEY_LONG"

// Quick reports whether heavy work is to be skipped: with -short or under
// the race detector.
func Quick() bool { return testing.Short() || Race }

func long(t testing.TB, what string) {
	t.Helper()
	if os.Getenv(Long) != "1" {
		t.Skipf("%s: set %s=1 to run it", what, Long)
	}
	if testing.Short() {
		t.Skipf("%s: skipped with -short", what)
	}
	if Race {
		t.Skipf("%s: skipped under the race detector", what)
	}
}

// Heavy skips t, a test that plays many runs, unless PARLEY_LONG=1, and
// when Quick.
func Heavy(t testing.TB) { t.Helper(); long(t, "heavy (many runs)") }

// EndToEnd skips t, a test that builds and runs parley, unless
// PARLEY_LONG=1, and when Quick.
func EndToEnd(t testing.TB) { t.Helper(); long(t, "end to end (builds and runs parley)") }
