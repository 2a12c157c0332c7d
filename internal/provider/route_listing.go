package provider

import (
	"context"
	"sync"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// routeListingTTL is how long a finished listing keeps serving reads: the
// CLI refreshes every route of a configuration at once, a few at a time, so
// one refresh fits well within it, while a later command served by the same
// provider process still sees what changed outside it.
const routeListingTTL = 30 * time.Second

// routeListing shares one listing of the account's routes among the route
// reads of one provider process. The API has no GET of one route, so each
// read would otherwise list every route: refreshing N routes would cost N
// listings of N/200 pages each. A read that starts while a listing is in
// flight waits for it; one that starts within routeListingTTL of its end
// reuses it; any other starts a new one. A write of a route through this
// process (create, update, delete) drops the listing, so that reads after
// it see the change, and a failed listing is never reused.
type routeListing struct {
	list func(ctx context.Context) ([]flowroute.Route, error)
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	current *listingRun // the latest listing, in flight or done; nil once dropped
}

// listingRun is one listing. routes, err and ended are set before done is
// closed, and never change after.
type listingRun struct {
	done   chan struct{}
	routes map[string]flowroute.Route
	err    error
	ended  time.Time
	cancel context.CancelFunc
	// waiters are the reads waiting for it; when the last of them gives up
	// (its own deadline or cancellation), the listing is cancelled and
	// abandoned, since nobody is left to use it.
	waiters   int
	abandoned bool
}

func newRouteListing(client *flowroute.Client) *routeListing {
	return &routeListing{
		list: func(ctx context.Context) ([]flowroute.Route, error) {
			return client.ListRoutes(ctx, flowroute.RoutesQuery{})
		},
		ttl: routeListingTTL,
		now: time.Now,
	}
}

// find returns the route with the given id; ok is false when the account
// has no such route.
func (l *routeListing) find(ctx context.Context, id string) (route flowroute.Route, ok bool, err error) {
	run := l.join(ctx)
	select {
	case <-run.done:
		l.leave(run)
		if run.err != nil {
			return flowroute.Route{}, false, run.err
		}
		route, ok = run.routes[id]
		return route, ok, nil
	case <-ctx.Done():
		l.leave(run)
		return flowroute.Route{}, false, ctx.Err()
	}
}

// forget drops the listing after a write: reads that start from now on take
// a new one, while those already waiting finish with theirs.
func (l *routeListing) forget() {
	l.mu.Lock()
	l.current = nil
	l.mu.Unlock()
}

// join returns the listing a read starting now uses, starting one if need be.
func (l *routeListing) join(ctx context.Context) *listingRun {
	l.mu.Lock()
	defer l.mu.Unlock()
	run := l.current
	if run == nil || !l.fresh(run) {
		// The listing serves every read that joins it, so it must not end
		// with the read that started it: it keeps that read's values (the
		// logger, the masks) but not its deadline or cancellation.
		listCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		run = &listingRun{done: make(chan struct{}), cancel: cancel}
		l.current = run
		go l.run(listCtx, run)
	}
	run.waiters++
	return run
}

// fresh reports whether a read starting now may use run; l.mu is held.
func (l *routeListing) fresh(run *listingRun) bool {
	select {
	case <-run.done:
		return run.err == nil && l.now().Sub(run.ended) < l.ttl
	default:
		return !run.abandoned
	}
}

func (l *routeListing) run(ctx context.Context, run *listingRun) {
	defer run.cancel()
	routes, err := l.list(ctx)
	byID := make(map[string]flowroute.Route, len(routes))
	for _, r := range routes {
		byID[r.ID] = r
	}
	l.mu.Lock()
	run.routes, run.err, run.ended = byID, err, l.now()
	l.mu.Unlock()
	close(run.done)
}

// leave ends a read's wait for run, cancelling the listing when the last
// read waiting for it gives up before it ends.
func (l *routeListing) leave(run *listingRun) {
	l.mu.Lock()
	defer l.mu.Unlock()
	run.waiters--
	select {
	case <-run.done:
		return
	default:
	}
	if run.waiters == 0 {
		run.abandoned = true
		run.cancel()
	}
}
