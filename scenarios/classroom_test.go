package scenarios

import (
	"strconv"
	"strings"
	"testing"
)

func TestClassroomControls(t *testing.T) {
	src, err := BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	good := string(src) + "\n[classroom]\ncontrols = [\"actors.us.hawkishness\", \"protocol.mediator\", \"protocol.partial_deals\"]\n"
	sc, err := Parse("k.toml", []byte(good), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"actors.us.hawkishness", "protocol.mediator", "protocol.partial_deals"}
	if strings.Join(sc.Controls, " ") != strings.Join(want, " ") {
		t.Fatalf("controls %q, want %q", sc.Controls, want)
	}
	h, ok := sc.Key("actors.us.hawkishness")
	if !ok || h.Kind != KeyNumber || h.Min != 0 || h.Max != 1 || h.Value == "" {
		t.Errorf("hawkishness key %+v, %v: want a number in [0, 1] with a value", h, ok)
	}
	med, ok := sc.Key("protocol.mediator")
	if !ok || med.Kind != KeyChoice || med.Value != "china" || med.Choices[0] != "none" || len(med.Choices) != len(sc.Actors)+1 {
		t.Errorf("mediator key %+v, %v: want a choice of none and the actors, now china", med, ok)
	}
	// The key's range is the one --set is held to.
	if _, err := Parse("k.toml", []byte(good), []Override{{Path: "actors.us.hawkishness", Value: "1.5"}}); err == nil ||
		!strings.Contains(err.Error(), "must be in [0, 1]") {
		t.Errorf("--set hawkishness=1.5: %v, want a range error", err)
	}

	line := strings.Count(string(src), "\n") + 3
	bad := string(src) + "\n[classroom]\ncontrols = [\"actors.us.hawkishnes\", \"issues\", \"title\"]\n"
	_, err = Parse("k.toml", []byte(bad), nil)
	if err == nil {
		t.Fatal("bad controls passed")
	}
	msg := err.Error()
	for _, w := range []string{
		"k.toml:" + strconv.Itoa(line) + `: classroom.controls: entry "actors.us.hawkishnes" is not a key --set can set`,
		`did you mean "actors.us.hawkishness"?`,
		`entry "issues" is not a key`,
		`entry "title" is not a key`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q lacks %q", msg, w)
		}
	}
	if _, err := Parse("k.toml", []byte(string(src)+"\n[classroom]\ncontrol = []\n"), nil); err == nil || !strings.Contains(err.Error(), "classroom") {
		t.Errorf("unknown key in [classroom]: %v", err)
	}
}
