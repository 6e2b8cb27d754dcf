package scenarios

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// ErrInvalid is matched (with errors.Is) by every error that reports a
// problem in a scenario: TOML syntax errors, schema violations and bad
// --set overrides.
var ErrInvalid = errors.New("scenarios: invalid scenario")

// SetFile is the File of an Error caused by a --set override.
const SetFile = "--set"

// Error is one problem in a scenario: where it is (file, line, key path) and
// what was expected.
type Error struct {
	// File is the file name, or SetFile for a problem caused by an override.
	File string
	// Line is the 1-based line the problem is reported on; 0 when unknown
	// (always 0 for overrides).
	Line int
	// Path is the dotted key path ("actors.us.weights"); empty for syntax errors.
	Path string
	// Msg says what is wrong and what was expected.
	Msg string
}

// Error returns "file:line: path: msg", leaving out the line when it is 0
// and the path when it is empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File != "" {
			b.WriteByte(':')
		} else {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Is reports whether target is ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// ErrorList is a list of problems, sorted by file and line.
type ErrorList []*Error

// Error joins the errors with newlines.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Is reports whether target is ErrInvalid.
func (l ErrorList) Is(target error) bool { return target == ErrInvalid }

// sort orders the list by file then line, keeping the order of detection
// among problems on the same line.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		return l[i].Line < l[j].Line
	})
}

// err returns the sorted list as an error, or nil if it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}
