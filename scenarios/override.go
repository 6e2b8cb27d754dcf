package scenarios

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Override is one --set key.path=value: Path is a dotted TOML key path
// (segments may be quoted, as in `actors.us.values.nuclear."full freeze"`)
// and Value is TOML text, or a bare string.
type Override struct{ Path, Value string }

// ParseOverride splits "key.path=value" at the first '=' outside quotes. It
// fails when there is no '=' or the path is empty or malformed.
func ParseOverride(s string) (Override, error) {
	eq := -1
	var quote byte
	for i := 0; i < len(s) && eq < 0; i++ {
		c := s[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			eq = i
		}
	}
	if eq < 0 {
		return Override{}, fmt.Errorf("scenarios: override %q: want key.path=value", s)
	}
	o := Override{Path: strings.TrimSpace(s[:eq]), Value: strings.TrimSpace(s[eq+1:])}
	if o.Path == "" {
		return Override{}, fmt.Errorf("scenarios: override %q: empty key path", s)
	}
	if _, err := parsePath(o.Path); err != nil {
		return Override{}, fmt.Errorf("scenarios: override %q: %w", s, err)
	}
	return o, nil
}

// overrideValue parses an override's value as TOML, falling back to the raw
// text as a string. A string stays a string: if old is a string, so is the
// result.
func overrideValue(raw string, old any) any {
	if CheckNesting("", []byte(raw)) != nil {
		return raw // refused as a string by the key's check
	}
	var m map[string]any
	_, err := toml.Decode("v = "+raw, &m)
	v, ok := m["v"]
	if err != nil || !ok || len(m) != 1 {
		return raw
	}
	if _, wasString := old.(string); wasString {
		if _, isString := v.(string); !isString {
			return raw
		}
	}
	return v
}

// apply sets each override's value in the tree, in order, reporting paths
// that do not exist; the paths set are remembered so that problems with
// their values are blamed on --set.
func (d *decoder) apply(root map[string]any, overrides []Override) {
	for _, o := range overrides {
		path, err := parsePath(o.Path)
		if err != nil {
			d.errs = append(d.errs, &Error{File: SetFile, Path: o.Path, Msg: err.Error()})
			continue
		}
		node := root
		found := true
		for _, k := range path[:len(path)-1] {
			next, ok := node[k].(map[string]any)
			if !ok {
				found = false
				break
			}
			node = next
		}
		last := path[len(path)-1]
		old, ok := node[last]
		if !found || !ok {
			all := allPaths(root)
			msg := "no such key in the scenario (only keys present in the file can be set)"
			p := fmtPath(path)
			if r, ok := retiredKey(path); ok {
				msg = retiredMsg(last, r)
			} else if c, ok := caseTwin(p, all); ok {
				msg = fmt.Sprintf("differs only in case from %q", c)
			} else {
				msg += DidYouMean(p, all)
			}
			d.errs = append(d.errs, &Error{File: SetFile, Path: p, Msg: msg})
			continue
		}
		node[last] = overrideValue(o.Value, old)
		d.origins = append(d.origins, origin{path: path, file: SetFile})
	}
}

// allPaths lists the path of every key in the tree.
func allPaths(root map[string]any) []string {
	var out []string
	var walk func(m map[string]any, path []string)
	walk = func(m map[string]any, path []string) {
		for k, v := range m {
			p := join(path, k)
			out = append(out, fmtPath(p))
			if sub, ok := v.(map[string]any); ok {
				walk(sub, p)
			}
		}
	}
	walk(root, nil)
	sort.Strings(out)
	return out
}

// ScalarPaths lists, sorted, every path of a scenario file that --set can
// usefully set: scalar leaves (strings, numbers, booleans), arrays, and
// distribution tables (tables with a dist key) together with their keys.
// For a variant these are the paths of the scenario its base chain resolves
// to (a base given as a relative path is looked for in the working
// directory). It does not validate the scenario; only TOML syntax errors
// and bases that cannot be found are reported.
func ScalarPaths(data []byte) ([]string, error) {
	root, err := resolved("", data)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(m map[string]any, path []string)
	walk = func(m map[string]any, path []string) {
		for k, v := range m {
			p := join(path, k)
			sub, isTable := v.(map[string]any)
			if !isTable {
				out = append(out, fmtPath(p))
				continue
			}
			if _, isDist := sub["dist"]; isDist {
				out = append(out, fmtPath(p))
			}
			walk(sub, p)
		}
	}
	walk(root, nil)
	sort.Strings(out)
	return out, nil
}

// render writes a decoded TOML value as TOML text.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return quoteString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return "nan"
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []map[string]any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteKey(k) + " = " + render(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	panic(errors.New("scenarios: cannot render " + fmt.Sprintf("%T", v)))
}
