package scenarios

import (
	"fmt"
	"strings"
)

// levenshtein returns the edit distance between a and b, by runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// nearest returns the candidate closest to s: one equal to it but for case
// if there is one, else the one at the smallest edit distance (compared
// without case) if that distance is small enough to be a likely typo.
func nearest(s string, candidates []string) (string, bool) {
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c, true
		}
	}
	n := len([]rune(s))
	limit := max(2, n/3)
	if n > 200 {
		return "", false // not a typo; and keeps the search cheap
	}
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if diff := len([]rune(c)) - n; diff > limit || -diff > limit {
			continue
		}
		d := levenshtein(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > limit || bestD >= n {
		return "", false
	}
	return best, true
}

// DidYouMean returns `; did you mean "x"?` for the candidate nearest to s
// (equal but for case, or a likely typo), or "" when none is near: the
// suggestion every "unknown key" error of parley ends with.
func DidYouMean(s string, candidates []string) string {
	if c, ok := nearest(s, candidates); ok {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

// caseTwin returns the candidate that differs from s only in letter case.
// foldCase is s with letter case folded, for comparing labels as
// strings.EqualFold does (simple Unicode folding, applied both ways).
func foldCase(s string) string { return strings.ToLower(strings.ToUpper(s)) }

func caseTwin(s string, candidates []string) (string, bool) {
	for _, c := range candidates {
		if c != s && strings.EqualFold(c, s) {
			return c, true
		}
	}
	return "", false
}

// Nearest returns the candidate nearest to s, as DidYouMean chooses it:
// one equal to s but for case, else one a likely typo away; ok is false
// when none is near.
func Nearest(s string, candidates []string) (c string, ok bool) { return nearest(s, candidates) }
