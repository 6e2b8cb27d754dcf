package sweep

import "strings"

// lines holds the line each key of a sweep file is written on.
// BurntSushi/toml keeps key positions private, and the scenarios package's
// locator gives every element of an array of tables the same path, so this
// is a small line scanner for the sweep format: top-level keys, [[vary]]
// tables and their keys. It skips multi-line arrays, inline tables and
// multi-line strings. A key written twice keeps its first line; a key of a
// dotted form (a.b = 1) is recorded under its first segment.
type lines struct {
	top     map[string]int
	entries []entryLines
}

// entryLines holds the lines of one [[vary]] table.
type entryLines struct {
	header int
	keys   map[string]int
}

// vary returns the lines of the i-th [[vary]] table; an entry the scanner did
// not see (vary written as an inline array) falls back to the line of vary.
func (l lines) vary(i int) entryLines {
	if i < len(l.entries) {
		return l.entries[i]
	}
	return entryLines{header: l.top["vary"]}
}

// key returns the line of key k of the entry, or the entry's header line.
func (e entryLines) key(k string) int {
	if n, ok := e.keys[k]; ok {
		return n
	}
	return e.header
}

func locate(src string) lines {
	l := lines{top: map[string]int{}}
	var cur *entryLines
	inTable := false // inside a table other than [[vary]]
	depth := 0       // open brackets of a value continuing on later lines
	closer := ""     // the delimiter of an open multi-line string
	for n, raw := range strings.Split(src, "\n") {
		line := n + 1
		t := strings.TrimSpace(raw)
		if closer != "" {
			if i := strings.Index(t, closer); i >= 0 {
				closer = ""
				depth += nesting(t[i+3:])
			}
			continue
		}
		if depth > 0 {
			depth += nesting(t)
			continue
		}
		if t == "" || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "[") {
			name := strings.TrimSpace(strings.Trim(strings.SplitN(t, "#", 2)[0], " \t[]"))
			if strings.HasPrefix(t, "[[") && name == "vary" {
				l.entries = append(l.entries, entryLines{header: line, keys: map[string]int{}})
				cur, inTable = &l.entries[len(l.entries)-1], false
				if _, ok := l.top["vary"]; !ok {
					l.top["vary"] = line
				}
				continue
			}
			cur, inTable = nil, true
			first := strings.SplitN(name, ".", 2)[0]
			first = strings.Trim(strings.TrimSpace(first), `"'`)
			if _, ok := l.top[first]; !ok {
				l.top[first] = line
			}
			continue
		}
		eq := strings.IndexByte(t, '=')
		if eq <= 0 {
			continue
		}
		key := strings.TrimSpace(strings.SplitN(t[:eq], ".", 2)[0])
		key = strings.Trim(key, `"'`)
		rest := strings.TrimSpace(t[eq+1:])
		switch {
		case cur != nil:
			if _, ok := cur.keys[key]; !ok {
				cur.keys[key] = line
			}
		case !inTable:
			if _, ok := l.top[key]; !ok {
				l.top[key] = line
			}
		}
		for _, d := range []string{`"""`, `'''`} {
			if strings.HasPrefix(rest, d) && !strings.Contains(rest[3:], d) {
				closer = d
			}
		}
		if closer == "" {
			depth = nesting(rest)
		}
	}
	return l
}

// nesting returns the number of brackets and braces s opens minus those it
// closes, outside strings and before a comment.
func nesting(s string) int {
	d := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return d
		case c == '[' || c == '{':
			d++
		case c == ']' || c == '}':
			d--
		}
	}
	return d
}
