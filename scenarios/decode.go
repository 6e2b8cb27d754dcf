package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// decoder walks the generic tree decoded by toml and collects every problem.
type decoder struct {
	file  string
	lines map[string]int // key path → line in file
	order map[string]int // key path → rank of first appearance in the file
	// origins are the paths given values elsewhere than file: by a
	// variant's keys and [set], then by --set overrides, in order.
	origins []origin
	errs    ErrorList
	// settable records what the schema says of each single-valued key the
	// file holds (see Scenario.Key).
	settable map[string]Key
}

// tbl is a TOML table and its key path.
type tbl struct {
	m    map[string]any
	path []string
}

// rng is the closed range a number key accepts.
type rng struct{ lo, hi float64 }

var (
	unit     = rng{0, 1}
	signed   = rng{-1, 1}
	nonNeg   = rng{0, math.Inf(1)}
	idRE     = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	scenIDRE = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// String describes the range for messages: "in [0, 1]", ">= 0".
func (r rng) String() string {
	switch {
	case math.IsInf(r.hi, 1) && math.IsInf(r.lo, -1):
		return "of any size"
	case math.IsInf(r.hi, 1):
		return ">= " + ftoa(r.lo)
	case math.IsInf(r.lo, -1):
		return "<= " + ftoa(r.hi)
	}
	return "in [" + ftoa(r.lo) + ", " + ftoa(r.hi) + "]"
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// errorf reports a problem at path.
func (d *decoder) errorf(path []string, format string, args ...any) {
	d.report(path, false, fmt.Sprintf(format, args...))
}

// innerf reports a problem with the values inside the table at path (such as
// the parameters of a distribution): it is blamed on the variant or --set
// that set any key inside path.
func (d *decoder) innerf(path []string, format string, args ...any) {
	d.report(path, true, fmt.Sprintf(format, args...))
}

// changedInside reports whether a variant or --set gave a value to a key
// inside the table at path (but not to the table itself).
func (d *decoder) changedInside(path []string) bool {
	for _, o := range d.origins {
		if len(o.path) > len(path) && hasPrefix(o.path, path) {
			return true
		}
	}
	return false
}

func (d *decoder) report(path []string, inner bool, msg string) {
	p := fmtPath(path)
	for i := len(d.origins) - 1; i >= 0; i-- {
		o := d.origins[i]
		if hasPrefix(path, o.path) || inner && hasPrefix(o.path, path) {
			d.errs = append(d.errs, &Error{File: o.file, Line: o.line(path), Path: p, Msg: msg})
			return
		}
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: d.line(path), Path: p, Msg: msg})
}

// line returns the line of path, or of its nearest ancestor that has one.
func (d *decoder) line(path []string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := d.lines[fmtPath(path[:n])]; ok {
			return l
		}
	}
	return 0
}

// keys returns the keys of t in file order; keys that do not appear in the
// file (none, normally) come last, sorted.
func (d *decoder) keys(t tbl) []string {
	type ranked struct {
		k string
		r int
	}
	// Each key's rank is looked up once, not at every comparison.
	rs := make([]ranked, 0, len(t.m))
	for k := range t.m {
		r, ok := d.order[fmtPath(join(t.path, k))]
		if !ok {
			r = math.MaxInt
		}
		rs = append(rs, ranked{k, r})
	}
	slices.SortFunc(rs, func(a, b ranked) int { return cmp.Or(cmp.Compare(a.r, b.r), strings.Compare(a.k, b.k)) })
	ks := make([]string, len(rs))
	for i, x := range rs {
		ks[i] = x.k
	}
	return ks
}

// only reports the keys of t that are not in allowed.
func (d *decoder) only(t tbl, allowed ...string) {
	for _, k := range d.keys(t) {
		if contains(allowed, k) {
			continue
		}
		p := join(t.path, k)
		if c, ok := caseTwin(k, allowed); ok {
			d.errorf(p, "key %q differs only in case from %q", k, c)
			continue
		}
		d.errorf(p, "unknown key %q%s", k, DidYouMean(k, allowed))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// describe names the type of a decoded TOML value, with the value when short.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:37] + "..."
		}
		return "a string (" + strconv.Quote(x) + ")"
	case int64:
		return "an integer (" + strconv.FormatInt(x, 10) + ")"
	case float64:
		return "a float (" + ftoa(x) + ")"
	case bool:
		return "a boolean (" + strconv.FormatBool(x) + ")"
	case time.Time:
		return "a datetime"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}

// table returns the sub-table t.key; ok is false when it is absent or not a
// table (reported). A missing required table is reported.
func (d *decoder) table(t tbl, key string, required bool) (tbl, bool) {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		if required {
			d.errorf(p, "missing required table")
		}
		return tbl{path: p}, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.errorf(p, "expected a table, got %s", describe(v))
		return tbl{path: p}, false
	}
	return tbl{m: m, path: p}, true
}

// str returns the string t.key, or def when it is absent (reported when
// required) or invalid (reported).
func (d *decoder) str(t tbl, key string, required bool, def string) (string, bool) {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		if required {
			d.errorf(p, "missing required key (a string)")
		}
		return def, false
	}
	s, ok := v.(string)
	if !ok {
		d.errorf(p, "expected a string, got %s", describe(v))
		return def, false
	}
	if why := badText(key, s); why != "" {
		d.errorf(p, "%s", why)
		return def, false
	}
	return s, true
}

// multiLine lists the keys whose text may run over several lines.
var multiLine = map[string]bool{"question": true, "why": true}

// badText says why s, the text of key, cannot be shown on a terminal as
// it is, or returns "": no control characters (an escape sequence in a
// title would reach the terminal raw), no invisible formatting characters
// (two labels differing only by a zero-width space look the same), and
// not blank.
func badText(key, s string) string {
	for _, r := range s {
		if (r == '\n' || r == '\t') && multiLine[key] {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Sprintf("contains the invisible character %U: write text without control or formatting characters", r)
		}
	}
	if s != "" && strings.TrimSpace(s) == "" {
		return "is blank: write some text, or leave the key out"
	}
	return ""
}

// oneOf returns the string t.key, which must be one of choices.
func (d *decoder) oneOf(t tbl, key string, required bool, def string, choices ...string) (string, bool) {
	s, ok := d.str(t, key, required, def)
	if !ok {
		return s, false
	}
	if !contains(choices, s) {
		d.errorf(join(t.path, key), "expected one of %s, got %q%s", quoteList(choices), s, DidYouMean(s, choices))
		return def, false
	}
	if _, present := t.m[key]; present {
		d.recordKey(join(t.path, key), Key{Kind: KeyChoice, Choices: slices.Clone(choices), Value: s})
	}
	return s, true
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// integer returns the integer t.key in [lo, hi], or def.
func (d *decoder) integer(t tbl, key string, required bool, def, lo, hi int) (int, bool) {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		if required {
			d.errorf(p, "missing required key (an integer)")
		}
		return def, false
	}
	n, ok := d.intValue(v, p, lo, hi)
	if !ok {
		return def, false
	}
	d.recordKey(p, Key{Kind: KeyInteger, Min: float64(lo), Max: float64(hi), Value: strconv.Itoa(n)})
	return n, true
}

func (d *decoder) intValue(v any, p []string, lo, hi int) (int, bool) {
	i, ok := v.(int64)
	if !ok {
		d.errorf(p, "expected an integer, got %s", describe(v))
		return 0, false
	}
	if i < int64(lo) || i > int64(hi) {
		if hi == math.MaxInt {
			d.errorf(p, "must be >= %d, got %d", lo, i)
		} else {
			d.errorf(p, "must be in [%d, %d], got %d", lo, hi, i)
		}
		return 0, false
	}
	return int(i), true
}

// boolean returns the boolean t.key, or def.
func (d *decoder) boolean(t tbl, key string, def bool) bool {
	v, ok := t.m[key]
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		d.errorf(join(t.path, key), "expected a boolean, got %s", describe(v))
		return def
	}
	d.recordKey(join(t.path, key), Key{Kind: KeyBool, Choices: []string{"true", "false"}, Value: strconv.FormatBool(b)})
	return b
}

// strings returns the array of strings t.key; ok is false when it is absent
// (reported when required) or invalid (reported).
func (d *decoder) strs(t tbl, key string, required bool) ([]string, bool) {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		if required {
			d.errorf(p, "missing required key (an array of strings)")
		}
		return nil, false
	}
	arr, ok := v.([]any)
	if !ok {
		d.errorf(p, "expected an array of strings, got %s", describe(v))
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for i, x := range arr {
		s, ok := x.(string)
		if !ok {
			d.errorf(p, "element %d: expected a string, got %s", i+1, describe(x))
			return nil, false
		}
		if why := badText(key, s); why != "" {
			d.errorf(p, "element %d %s", i+1, why)
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// ids returns the keys of the table t.key that name user-defined objects
// (what: "actor", "issue", ...) in file order, with their tables. Each id
// must be a bare key, each value a table, and no two ids may differ only in
// letter case.
func (d *decoder) ids(t tbl, key, what string, required bool) ([]string, []tbl) {
	sub, ok := d.table(t, key, required)
	if !ok {
		return nil, nil
	}
	var ids []string
	var tbls []tbl
	for _, k := range d.keys(sub) {
		p := join(sub.path, k)
		if !idRE.MatchString(k) {
			d.errorf(p, "%s id %q must consist of letters, digits, '_' and '-'", what, k)
			continue
		}
		if c, ok := caseTwin(k, ids); ok {
			d.errorf(p, "%s id %q collides with %q (ids must differ in more than letter case)", what, k, c)
			continue
		}
		m, ok := sub.m[k].(map[string]any)
		if !ok {
			d.errorf(p, "expected a table for %s %q, got %s", what, k, describe(sub.m[k]))
			continue
		}
		ids = append(ids, k)
		tbls = append(tbls, tbl{m: m, path: p})
	}
	return ids, tbls
}

// ref resolves a string value naming one of ids (what: "actor", ...).
func (d *decoder) ref(v any, p []string, what string, ids []string) (int, bool) {
	s, ok := v.(string)
	if !ok {
		d.errorf(p, "expected %s id (a string), got %s", article(what), describe(v))
		return -1, false
	}
	for i, id := range ids {
		if id == s {
			return i, true
		}
	}
	d.errorf(p, "unknown %s %q%s", what, s, DidYouMean(s, ids))
	return -1, false
}

// keyRef resolves the key k of table t, which names one of ids.
func (d *decoder) keyRef(t tbl, k, what string, ids []string) (int, bool) {
	for i, id := range ids {
		if id == k {
			return i, true
		}
	}
	p := join(t.path, k)
	if c, ok := caseTwin(k, ids); ok {
		d.errorf(p, "key %q differs only in case from %s %q", k, what, c)
	} else {
		d.errorf(p, "unknown %s %q%s", what, k, DidYouMean(k, ids))
	}
	return -1, false
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// retiredKeys maps each key an earlier version of the format had and this
// one removed, by its path ("*" for an actor's id), to what replaced it.
var retiredKeys = map[string]string{
	"actors.*.strategy.talk_value": "every actor's value of talks is now actors.<id>.talk_value",
	"actors.*.strategy.threshold":  "a staller now concedes when a signatory is about to walk out of the talks",
	"protocol.mediator_salvage":    "the mediator keeps talks alive by spending its leverage (actors.<mediator>.leverage), not by a fixed chance",
	"protocol.deadline":            "the horizon only ends the simulation: each actor has its own deadline (actors.<id>.deadline), and talks alive without a deal at the horizon are a stalemate",
	"dynamics.breakdown_rate":      "talks break down when a signatory walks out, past its own deadline, of talks that can no longer deliver a deal (actors.<id>.deadline, actors.<id>.talk_value)",
	"dynamics.strike_rate":         "a strike is a decision: an actor strikes when, by its own beliefs, striking is worth more to it than carrying on (actors.<id>.conflict.spread and .pretext)",
	"dynamics.stalemate_turns":     "talks dragging on without a deal become a pretext for a strike once the striker's own deadline has passed (actors.<id>.deadline)",
	"dynamics.hawk_floor":          "hawkishness now tilts beliefs about conflict toward optimism and makes talks cost more while tension is high",
	"dynamics.violation_rate":      "a signatory breaks a deal when breaking it is worth more to it than keeping it (actors.<id>.discount, dynamics.trust, the mediator's backing)",
	"dynamics.violation_memory":    "a violation stays a pretext for a strike until a new deal is signed",
}

// retiredKey returns what replaced the key at path, if an earlier version
// of the format had it and this one removed it.
func retiredKey(path []string) (string, bool) {
	if len(path) == 4 && path[0] == "actors" && path[2] == "strategy" {
		path = []string{"actors", "*", "strategy", path[3]}
	}
	msg, ok := retiredKeys[strings.Join(path, ".")]
	return msg, ok
}

// retiredMsg is the error for a retired key k with replacement msg.
func retiredMsg(k, msg string) string {
	return fmt.Sprintf("%q is no longer a key: %s (docs/scenario-format.md, \"Changes\")", k, msg)
}

// retired reports the keys of t that an earlier version of the format had
// and this one removed, so that an old file gets a clear error rather than
// "unknown key"; it returns those keys, for only's allowed list.
func (d *decoder) retired(t tbl) []string {
	var keys []string
	for _, k := range d.keys(t) {
		if msg, ok := retiredKey(join(t.path, k)); ok {
			d.errorf(join(t.path, k), "%s", retiredMsg(k, msg))
			keys = append(keys, k)
		}
	}
	return keys
}
