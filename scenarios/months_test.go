package scenarios

import (
	"testing"
	"time"
)

// MonthOf counts turns from the start month, across years; TurnOf is its
// inverse; no start, no months.
func TestMonthOfAndTurnOf(t *testing.T) {
	for turn, want := range map[int]string{1: "2018-04", 9: "2018-12", 10: "2019-01", 36: "2021-03"} {
		m, ok := MonthOf("2018-04", turn)
		if !ok || m.Format("2006-01") != want {
			t.Errorf("MonthOf(2018-04, %d) = %v, %v; want %s", turn, m, ok, want)
		}
	}
	for turn := -2; turn <= 40; turn++ {
		m, _ := MonthOf("2018-04", turn)
		if got, ok := TurnOf("2018-04", m); !ok || got != turn {
			t.Errorf("TurnOf(MonthOf(%d)) = %d, %v", turn, got, ok)
		}
	}
	if _, ok := MonthOf("", 3); ok {
		t.Error("MonthOf without a start gave a month")
	}
	if _, ok := TurnOf("April", time.Now()); ok {
		t.Error("TurnOf with a start that is not a month gave a turn")
	}
}
