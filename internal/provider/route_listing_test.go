package provider

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// fakeListing is a routeListing over a list call that the test releases,
// and a clock it moves.
type fakeListing struct {
	*routeListing
	calls   atomic.Int32
	release chan error // each listing waits for one value: its error, or nil
	clock   atomic.Int64
	stopped atomic.Int32 // listings that ended by cancellation
}

func newFakeListing() *fakeListing {
	f := &fakeListing{release: make(chan error)}
	f.routeListing = &routeListing{
		list: func(ctx context.Context) ([]flowroute.Route, error) {
			n := f.calls.Add(1)
			select {
			case err := <-f.release:
				return []flowroute.Route{{ID: "98396", Alias: fmt.Sprintf("listing %d", n)}}, err
			case <-ctx.Done():
				f.stopped.Add(1)
				return nil, ctx.Err()
			}
		},
		ttl: time.Minute,
		now: func() time.Time { return time.Unix(f.clock.Load(), 0) },
	}
	return f
}

// finds starts n reads of route 98396 and returns their outcomes.
func (f *fakeListing) finds(ctx context.Context, n int) <-chan error {
	out := make(chan error, n)
	for range n {
		go func() {
			_, ok, err := f.find(ctx, "98396")
			if err == nil && !ok {
				err = errors.New("route not found")
			}
			out <- err
		}()
	}
	return out
}

// waitFor waits until the listing has this many readers.
func (f *fakeListing) waitFor(t *testing.T, readers int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.mu.Lock()
		n := 0
		if f.current != nil {
			n = f.current.waiters
		}
		f.mu.Unlock()
		if n == readers {
			return
		}
	}
	t.Fatalf("never %d readers", readers)
}

func collect(t *testing.T, results <-chan error, n int) []error {
	t.Helper()
	errs := make([]error, n)
	for i := range errs {
		select {
		case errs[i] = <-results:
		case <-time.After(5 * time.Second):
			t.Fatal("a read never ended")
		}
	}
	return errs
}

func TestRouteListing_concurrentReadsShareOne(t *testing.T) {
	f := newFakeListing()
	results := f.finds(t.Context(), 50)
	f.waitFor(t, 50)
	f.release <- nil
	for _, err := range collect(t, results, 50) {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Reads that start while it is fresh reuse it, without a request.
	if _, ok, err := f.find(t.Context(), "98396"); !ok || err != nil || f.calls.Load() != 1 {
		t.Fatalf("a read within the TTL: %v, %v after %d listings", ok, err, f.calls.Load())
	}
	if _, ok, err := f.find(t.Context(), "12345"); ok || err != nil {
		t.Fatalf("an unknown route: %v, %v", ok, err)
	}
}

func TestRouteListing_renewed(t *testing.T) {
	for name, stale := range map[string]func(f *fakeListing){
		"after the TTL": func(f *fakeListing) { f.clock.Add(61) },
		"after a write": func(f *fakeListing) { f.forget() },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeListing()
			first := f.finds(t.Context(), 1)
			f.release <- nil
			collect(t, first, 1)
			stale(f)
			second := f.finds(t.Context(), 1)
			f.release <- nil
			if err := collect(t, second, 1)[0]; err != nil || f.calls.Load() != 2 {
				t.Fatalf("%v after %d listings, want a second one", err, f.calls.Load())
			}
		})
	}
}

// A failed listing fails the reads that waited for it, and is not reused.
func TestRouteListing_failureNotReused(t *testing.T) {
	f := newFakeListing()
	results := f.finds(t.Context(), 3)
	f.waitFor(t, 3)
	f.release <- errors.New("HTTP 503")
	for _, err := range collect(t, results, 3) {
		if err == nil || err.Error() != "HTTP 503" {
			t.Fatalf("error %v", err)
		}
	}
	again := f.finds(t.Context(), 1)
	f.release <- nil
	if err := collect(t, again, 1)[0]; err != nil || f.calls.Load() != 2 {
		t.Fatalf("%v after %d listings", err, f.calls.Load())
	}
}

// A read that gives up leaves the listing to the others; once every read
// has given up, the listing is cancelled and the next read starts anew.
func TestRouteListing_readsGiveUpAlone(t *testing.T) {
	f := newFakeListing()
	impatient, cancel := context.WithCancel(t.Context())
	early := f.finds(impatient, 1)
	patient := f.finds(t.Context(), 1)
	f.waitFor(t, 2)
	cancel()
	if err := collect(t, early, 1)[0]; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled read: %v", err)
	}
	f.release <- nil
	if err := collect(t, patient, 1)[0]; err != nil || f.stopped.Load() != 0 {
		t.Fatalf("the other read: %v (%d listings stopped)", err, f.stopped.Load())
	}

	f.forget()
	ctx, cancelAll := context.WithCancel(t.Context())
	abandoned := f.finds(ctx, 2)
	f.waitFor(t, 2)
	cancelAll()
	collect(t, abandoned, 2)
	for deadline := time.Now().Add(5 * time.Second); f.stopped.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a listing nobody waits for was not cancelled")
		}
	}
	next := f.finds(t.Context(), 1)
	f.release <- nil
	if err := collect(t, next, 1)[0]; err != nil || f.calls.Load() != 3 {
		t.Fatalf("%v after %d listings", err, f.calls.Load())
	}
}
