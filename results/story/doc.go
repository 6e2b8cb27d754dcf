// Package story tells runs and played games in plain English from the
// engine's traces: [NewNarration] and [WriteNarration] tell one run, and
// [NewDebrief] sets a played game against the model's play of the same
// seats. It prints nothing itself; callers pass a writer.
package story
