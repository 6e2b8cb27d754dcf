package scenarios

import (
	"errors"
	"strconv"
	"strings"
)

// isBare reports whether s can be written as a bare TOML key.
func isBare(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBareByte(s[i]) {
			return false
		}
	}
	return true
}

func isBareByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoteKey returns s as a TOML key: bare when possible, else a basic string.
func quoteKey(s string) string {
	if isBare(s) {
		return s
	}
	return quoteString(s)
}

// quoteString returns s as a TOML basic string.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u`)
				h := strconv.FormatInt(int64(r), 16)
				b.WriteString(strings.Repeat("0", 4-len(h)))
				b.WriteString(h)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// fmtPath formats key segments as a dotted TOML key path, quoting segments
// that are not bare keys.
func fmtPath(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteKey(s))
	}
	return b.String()
}

// join returns path extended by keys, never sharing path's backing array.
func join(path []string, keys ...string) []string {
	p := make([]string, 0, len(path)+len(keys))
	p = append(p, path...)
	return append(p, keys...)
}

// hasPrefix reports whether prefix is a leading part of path.
func hasPrefix(path, prefix []string) bool {
	if len(prefix) > len(path) {
		return false
	}
	for i := range prefix {
		if path[i] != prefix[i] {
			return false
		}
	}
	return true
}

// parsePath parses a dotted key path such as `actors.us."a b"`.
func parsePath(s string) ([]string, error) {
	sc := scanner{src: s}
	sc.skipBlank()
	keys, ok := sc.key()
	sc.skipBlank()
	if !ok || sc.i != len(s) {
		return nil, errors.New("malformed key path " + strconv.Quote(s))
	}
	for _, k := range keys {
		if k == "" {
			return nil, errors.New("empty key in path " + strconv.Quote(s))
		}
	}
	return keys, nil
}

// scanner is a forgiving reader of TOML keys and values, used to locate keys
// by line and to parse override paths. It never fails: on input it does not
// understand it moves on by at least one byte.
type scanner struct {
	src string
	i   int
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

// skipBlank skips spaces and tabs.
func (s *scanner) skipBlank() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// skipSpace skips whitespace, newlines and comments.
func (s *scanner) skipSpace() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves past the next newline.
func (s *scanner) skipLine() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
	if s.i < len(s.src) {
		s.i++
	}
}

// key reads a possibly dotted key: bare, "basic" or 'literal' segments
// separated by dots with optional blanks around them. ok is false when no
// segment could be read.
func (s *scanner) key() (keys []string, ok bool) {
	for {
		s.skipBlank()
		k, ok := s.keySegment()
		if !ok {
			return keys, false // nothing, or nothing after a dot
		}
		keys = append(keys, k)
		s.skipBlank()
		if s.peek() != '.' {
			return keys, true
		}
		s.i++
	}
}

func (s *scanner) keySegment() (string, bool) {
	switch s.peek() {
	case '"':
		start := s.i
		s.i++
		for s.i < len(s.src) && s.src[s.i] != '"' && s.src[s.i] != '\n' {
			if s.src[s.i] == '\\' {
				s.i++
			}
			s.i++
		}
		if s.i >= len(s.src) || s.src[s.i] != '"' {
			return "", false
		}
		s.i++
		raw := s.src[start:s.i]
		if u, err := strconv.Unquote(raw); err == nil {
			return u, true
		}
		return raw[1 : len(raw)-1], true
	case '\'':
		start := s.i + 1
		end := strings.IndexAny(s.src[start:], "'\n")
		if end < 0 || s.src[start+end] != '\'' {
			return "", false
		}
		s.i = start + end + 1
		return s.src[start : start+end], true
	}
	start := s.i
	for s.i < len(s.src) && isBareByte(s.src[s.i]) {
		s.i++
	}
	return s.src[start:s.i], s.i > start
}
