package scenarios

import (
	"maps"
	"slices"
)

// KeyKind says what values a key takes.
type KeyKind string

// Kinds of keys.
const (
	// KeyNumber is a number within [Key.Min, Key.Max] (a distribution
	// table may stand in its place in a file).
	KeyNumber KeyKind = "number"
	// KeyInteger is an integer within [Key.Min, Key.Max].
	KeyInteger KeyKind = "integer"
	// KeyChoice is one of Key.Choices.
	KeyChoice KeyKind = "choice"
	// KeyBool is true or false.
	KeyBool KeyKind = "bool"
)

// Key describes one key of a scenario that --set can set to a single
// value, as the schema reads it: its kind, its valid range or choices, and
// its value in the scenario.
type Key struct {
	// Path is the key's dotted path, as --set takes it.
	Path string
	Kind KeyKind
	// Min and Max bound a number or an integer; Max is +Inf for a number
	// with no upper bound.
	Min, Max float64
	// Choices lists a choice's valid values.
	Choices []string
	// Value is the key's value in the scenario as --set writes it
	// ("0.7", "china", "true"); for an uncertain number, the mean of its
	// distribution, and Uncertain is set.
	Value     string
	Uncertain bool
}

// Key returns what the schema says of the key at path (a dotted path, as
// --set takes it), if the scenario holds it and it takes a single value.
func (s *Scenario) Key(path string) (Key, bool) {
	k, ok := s.keys[path]
	return k, ok
}

// Keys lists, sorted, every key --set can set to one value in s.
func (s *Scenario) Keys() []string {
	return slices.Sorted(maps.Keys(s.keys))
}

// recordKey remembers what the schema says of the key at p; keys absent
// from the file (defaults) are not recorded, as --set cannot set them.
func (d *decoder) recordKey(p []string, k Key) {
	if d.settable == nil {
		d.settable = map[string]Key{}
	}
	k.Path = fmtPath(p)
	d.settable[k.Path] = k
}

// numberKey records a number key with range r and value n.
func (d *decoder) numberKey(p []string, r rng, n Number) {
	v := n.Value
	if n.Dist != nil {
		v = n.Dist.Mean()
	}
	d.recordKey(p, Key{Kind: KeyNumber, Min: r.lo, Max: r.hi, Value: ftoa(v), Uncertain: n.Dist != nil})
}

// classroom reads the optional [classroom] table: controls lists the keys
// a seminar's instructor page offers, each a key of this scenario that
// --set can set to one value. It runs after every other key was read.
func (d *decoder) classroom(t tbl, root map[string]any) []string {
	ct, ok := d.table(t, "classroom", false)
	if !ok {
		return nil
	}
	d.only(ct, "controls")
	list, ok := d.strs(ct, "controls", false)
	if !ok {
		return nil
	}
	p := join(ct.path, "controls")
	valid := make([]string, 0, len(d.settable))
	for k := range d.settable {
		valid = append(valid, k)
	}
	slices.Sort(valid)
	var out []string
	for _, c := range list {
		path, err := parsePath(c)
		if err != nil {
			d.errorf(p, "entry %q: %v", c, err)
			continue
		}
		key := fmtPath(path)
		if _, ok := d.settable[key]; !ok || !inTree(root, path) {
			d.errorf(p, "entry %q is not a key --set can set to one value in this scenario (a number, an integer, a choice or a boolean the file holds)%s", c, DidYouMean(key, valid))
			continue
		}
		if slices.Contains(out, key) {
			d.errorf(p, "entry %q is listed twice", c)
			continue
		}
		out = append(out, key)
	}
	return out
}

// inTree reports whether path leads through tables to a value of root, as
// an override finds it.
func inTree(root map[string]any, path []string) bool {
	node := root
	for _, k := range path[:len(path)-1] {
		next, ok := node[k].(map[string]any)
		if !ok {
			return false
		}
		node = next
	}
	_, ok := node[path[len(path)-1]]
	return ok
}
