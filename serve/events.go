package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Event is one entry of a stream's log: its id (from 1, one more than the
// previous event's), its type and its JSON data.
type Event struct {
	ID   int64           `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// MaxLogEvents bounds the events a stream keeps for replay. A game asks at
// most a few hundred decisions; an instructor's stream holds every batch's
// progress, and drops its oldest events past this bound (a reconnect that
// asks for one of them gets the oldest kept).
const MaxLogEvents = 20000

// Log is a stream's events, in order, with a channel closed at each new
// event so that readers wake: an SSE writer sends what is new since the
// last id its client saw, so a client that reconnects with Last-Event-ID
// misses nothing and gets nothing twice.
type Log struct {
	mu     sync.Mutex
	events []Event
	next   int64 // id of the next event
	wake   chan struct{}
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{next: 1, wake: make(chan struct{})} }

// Append adds an event of type typ whose data is v encoded as JSON, and
// returns its id.
func (l *Log) Append(typ string, v any) int64 {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("serve: event %s: %v", typ, err)) // every event type is plain data
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	l.events = append(l.events, Event{ID: id, Type: typ, Data: data})
	if n := len(l.events); n > MaxLogEvents {
		l.events = append(l.events[:0:0], l.events[n-MaxLogEvents:]...)
	}
	close(l.wake)
	l.wake = make(chan struct{})
	return id
}

// Since returns the events after id (a copy of the slice) and a channel
// closed when a later event comes.
func (l *Log) Since(id int64) ([]Event, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Event
	if n := len(l.events); n > 0 {
		first := l.events[0].ID
		k := max(int(id-first+1), 0)
		if k < n {
			out = append(out, l.events[k:]...)
		}
	}
	return out, l.wake
}

// Last returns the id of the latest event, 0 when there is none.
func (l *Log) Last() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next - 1
}

// heartbeat is how often an idle stream sends a comment, so that proxies
// and sleeping laptops notice a dead connection.
const heartbeat = 20 * time.Second

// lastEventID reads where a client resumes: the Last-Event-ID header that
// EventSource sends on its own reconnects, else the after query parameter
// (a page that reloaded its state first); 0 for the start.
func lastEventID(r *http.Request) (int64, error) {
	s := r.Header.Get("Last-Event-ID")
	if s == "" {
		s = r.URL.Query().Get("after")
	}
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, fmt.Errorf("last event id %q: want a whole number from 0", s)
	}
	return id, nil
}

// writeSSE streams the log's events after the client's last id as
// server-sent events, until the client leaves or done is closed.
func writeSSE(w http.ResponseWriter, r *http.Request, l *Log, done <-chan struct{}) {
	last, err := lastEventID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming is not supported")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// A client that loses the connection retries after 2 seconds.
	fmt.Fprint(w, "retry: 2000\n\n")
	fl.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		evs, wake := l.Since(last)
		for _, e := range evs {
			if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Type, e.Data); err != nil {
				return
			}
			last = e.ID
		}
		if len(evs) > 0 {
			fl.Flush()
		}
		select {
		case <-wake:
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
	}
}
