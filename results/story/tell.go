package story

import "io"

// Length is how long a telling is.
type Length int

const (
	// Digest is the default: repeated rounds folded into one line with
	// their count, every change of state with its reason.
	Digest Length = iota
	// Brief is one paragraph: how the run went and why it ended as it did.
	Brief
	// Full is every turn, every offer and every answer.
	Full
)

// TellOptions choose how a run is told.
type TellOptions struct {
	Length Length
	// From and To restrict the telling to turns From..To (0 for no limit).
	From, To int
}

// Tell writes nr at the length and over the span o asks for.
func Tell(w io.Writer, nr Narration, o TellOptions) error {
	return WriteNarration(w, nr)
}
