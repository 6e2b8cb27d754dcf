package scenarios

import "fmt"

// MaxNesting is how deep arrays and inline tables may nest in a scenario or
// sweep file. A scenario needs three or four levels (an actor's values of
// an issue, a distribution inside them); the TOML decoder's time grows
// with the square of the depth (1,000 levels, 4 KB, took 19 s), so deeper
// files are refused before they are decoded.
const MaxNesting = 64

// MaxLevels is the most levels one issue may have. A scenario is played
// over every combination of its issues' levels, as many as memory holds
// (sim.FootprintOf); an issue of 100,000 levels loads in about a second.
const MaxLevels = 100_000

// CheckNesting returns an error naming the line where data's arrays and
// inline tables nest deeper than MaxNesting. It reads only what it must
// to tell brackets from text: strings (basic, literal and multi-line, with
// escapes) and comments. Syntax errors are left to the decoder.
func CheckNesting(filename string, data []byte) error {
	depth, line := 0, 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i-- // the newline is counted by the loop
		case '"', '\'':
			quote := string(data[i : i+1])
			if i+2 < len(data) && data[i+1] == c && data[i+2] == c {
				quote = string([]byte{c, c, c})
			}
			i += len(quote)
			for i < len(data) {
				if data[i] == '\n' {
					line++
				}
				if c == '"' && data[i] == '\\' {
					if i+1 < len(data) && data[i+1] == '\n' {
						line++
					}
					i += 2
					continue
				}
				if len(quote) == 1 && data[i] == '\n' {
					break // an unterminated one-line string: the decoder's error
				}
				if hasPrefixAt(data, i, quote) {
					i += len(quote) - 1
					break
				}
				i++
			}
		case '[', '{':
			depth++
			if depth > MaxNesting {
				return ErrorList{&Error{File: filename, Line: line,
					Msg: fmt.Sprintf("arrays and inline tables nest more than %d deep here", MaxNesting)}}
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

func hasPrefixAt(data []byte, i int, s string) bool {
	return len(data)-i >= len(s) && string(data[i:i+len(s)]) == s
}
