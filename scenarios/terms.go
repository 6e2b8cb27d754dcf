package scenarios

import "strings"

// Term names the issue at a level in prose: "Sanctions on North Korea:
// eased with incentives".
func (is Issue) Term(level int) string {
	return is.Name + ": " + strings.ReplaceAll(is.Levels[level], "_", " ")
}

// Terms names a package, given as each issue's level (-1 for none), by the
// issues it moves from the status quo ("US troop presence in South Korea:
// reduced; Sanctions on North Korea: eased"), or says none when it moves
// nothing.
func (sc *Scenario) Terms(levels []int, none string) string {
	var parts []string
	for j, l := range levels {
		if l >= 0 && l != sc.Issues[j].StatusQuo {
			parts = append(parts, sc.Issues[j].Term(l))
		}
	}
	if len(parts) == 0 {
		return none
	}
	return strings.Join(parts, "; ")
}
