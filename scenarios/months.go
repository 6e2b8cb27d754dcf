package scenarios

import "time"

// MonthOf returns the month of turn t of a scenario whose turn 1 is the
// month start ("2018-04"); false when start is empty or not a month.
func MonthOf(start string, t int) (time.Time, bool) {
	if start == "" {
		return time.Time{}, false
	}
	m, err := time.Parse("2006-01", start)
	if err != nil {
		return time.Time{}, false
	}
	return m.AddDate(0, t-1, 0), true
}

// TurnOf returns the turn that falls in month m of a scenario whose turn 1
// is the month start, the inverse of MonthOf; false when start is not a
// month. The turn may lie outside the scenario's horizon.
func TurnOf(start string, m time.Time) (int, bool) {
	s, ok := MonthOf(start, 1)
	if !ok {
		return 0, false
	}
	return (m.Year()-s.Year())*12 + int(m.Month()-s.Month()) + 1, true
}
