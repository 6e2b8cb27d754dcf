package scenarios

import (
	"sort"
	"strings"
)

// locate maps the key paths of a TOML document to the 1-based line they are
// defined on. BurntSushi/toml keeps key positions private, so this is a small
// scanner of its own: it follows [table] and [[array]] headers, key = value
// lines with bare, quoted and dotted keys, and keys inside inline tables, and
// skips strings (also multi-line ones), arrays and comments. Keys inside
// arrays are not recorded, and all elements of an array of tables share the
// array's path. The first definition of a path wins; a dotted key also
// defines each of its parent paths.
//
// locate is meant for documents that parse as TOML; on others it returns
// something harmless.
func locate(src string) map[string]int {
	l := locator{scanner: scanner{src: src}, lines: map[string]int{}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			l.nl = append(l.nl, i)
		}
	}
	var prefix []string
	for {
		l.skipSpace()
		if l.eof() {
			break
		}
		start := l.i
		if l.peek() == '[' {
			l.i++
			if l.peek() == '[' {
				l.i++
			}
			if keys, ok := l.key(); ok {
				prefix = keys
				l.record(prefix, 0, start)
			}
			l.skipLine()
			continue
		}
		keys, ok := l.key()
		if !ok {
			l.skipLine()
			continue
		}
		path := join(prefix, keys...)
		l.record(path, len(prefix), start)
		l.skipBlank()
		if l.peek() != '=' {
			l.skipLine()
			continue
		}
		l.i++
		l.skipBlank()
		l.value(path)
		l.skipLine()
	}
	return l.lines
}

type locator struct {
	scanner
	nl    []int // offsets of newlines
	lines map[string]int
}

// lineAt returns the 1-based line of byte offset off.
func (l *locator) lineAt(off int) int {
	return sort.SearchInts(l.nl, off) + 1
}

// record gives path, and each parent of it longer than from segments, the
// line of offset off unless they already have one.
func (l *locator) record(path []string, from, off int) {
	if path == nil {
		return
	}
	line := l.lineAt(off)
	for n := max(from, 1); n <= len(path); n++ {
		k := fmtPath(path[:n])
		if _, ok := l.lines[k]; !ok {
			l.lines[k] = line
		}
	}
}

// value skips one value, recording the keys of inline tables under path
// (nil: record nothing).
func (l *locator) value(path []string) {
	switch {
	case strings.HasPrefix(l.src[l.i:], `"""`):
		l.multiline(`"""`, true)
	case strings.HasPrefix(l.src[l.i:], `'''`):
		l.multiline(`'''`, false)
	case l.peek() == '"' || l.peek() == '\'':
		q := l.peek()
		l.i++
		for !l.eof() && l.peek() != q && l.peek() != '\n' {
			if q == '"' && l.peek() == '\\' {
				l.i++
			}
			l.i++
		}
		if l.peek() == q {
			l.i++
		}
	case l.peek() == '{':
		l.i++
		for !l.eof() {
			l.skipSpace()
			switch l.peek() {
			case '}':
				l.i++
				return
			case ',':
				l.i++
				continue
			}
			start := l.i
			keys, ok := l.key()
			if !ok {
				l.i++
				continue
			}
			var sub []string
			if path != nil {
				sub = join(path, keys...)
				l.record(sub, len(path), start)
			}
			l.skipBlank()
			if l.peek() == '=' {
				l.i++
				l.skipBlank()
				l.value(sub)
			}
		}
	case l.peek() == '[':
		l.i++
		for !l.eof() {
			l.skipSpace()
			switch l.peek() {
			case ']':
				l.i++
				return
			case ',':
				l.i++
				continue
			}
			start := l.i
			l.value(nil)
			if l.i == start {
				l.i++
			}
		}
	default:
		for !l.eof() && !strings.ContainsRune(",]}#\r\n", rune(l.peek())) {
			l.i++
		}
	}
}

// multiline skips a multi-line string opened by delim at the current offset.
func (l *locator) multiline(delim string, escapes bool) {
	l.i += len(delim)
	for !l.eof() {
		if escapes && l.peek() == '\\' {
			l.i += 2
			continue
		}
		if strings.HasPrefix(l.src[l.i:], delim) {
			l.i += len(delim)
			// Up to two quotes may end the content right before the delimiter.
			for n := 0; n < 2 && l.peek() == delim[0]; n++ {
				l.i++
			}
			return
		}
		l.i++
	}
}
