package flowroute

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"sync"
)

const (
	defaultWindow = 2
	// maxWindow keeps one listing from flooding the API, which throttles.
	maxWindow = 16
)

// paging is the validated part of a list query that every endpoint shares.
type paging struct {
	limit    int // 0: no cap; a copy, so the caller may reuse theirs
	offset   int
	pageSize int
	window   int
}

func newPaging(limit *int, offset, pageSize, window, maxPageSize int) (paging, error) {
	switch {
	case limit != nil && *limit < 1:
		return paging{}, fmt.Errorf("limit must be at least 1, got %d", *limit)
	case offset < 0:
		return paging{}, fmt.Errorf("offset must be 0 or more, got %d", offset)
	case pageSize < 0 || pageSize > maxPageSize:
		return paging{}, fmt.Errorf("page size must be between 1 and %d (0 for %d), got %d", maxPageSize, maxPageSize, pageSize)
	case window < 0 || window > maxWindow:
		return paging{}, fmt.Errorf("window must be between 1 and %d (0 for %d), got %d", maxWindow, defaultWindow, window)
	}
	if pageSize == 0 {
		pageSize = maxPageSize
	}
	if window == 0 {
		window = defaultWindow
	}
	p := paging{offset: offset, pageSize: pageSize, window: window}
	first := pageSize
	if limit != nil {
		p.limit = *limit
		first = min(first, *limit)
	}
	if offset > math.MaxInt-first {
		return paging{}, fmt.Errorf("offset %d is too large: no page of %d items can follow it", offset, first)
	}
	return p, nil
}

// setMaxSetupCost adds the filter as a plain decimal: the API parses it as a
// float, and an exponent form such as 1e-05 is better not tested on it.
func setMaxSetupCost(q url.Values, cost *float64) error {
	if cost == nil {
		return nil
	}
	if math.IsNaN(*cost) || math.IsInf(*cost, 0) || *cost < 0 {
		return fmt.Errorf("max setup cost must be a finite number of 0 or more, got %v", *cost)
	}
	// Adding zero turns -0 into 0, which the API may not parse signed.
	c := *cost + 0
	q.Set("max_setup_cost", strconv.FormatFloat(c, 'f', -1, 64))
	return nil
}

// pageFetcher gets the page of at most limit items at offset, and whether
// the page says more exist.
type pageFetcher[T any] func(ctx context.Context, offset, limit int) (items []T, more bool, err error)

// httpPages fetches pages of an endpoint, always building the URL from the
// endpoint and filters.
func httpPages[T any](c *Client, endpoint *url.URL, filters url.Values, decode func(body []byte) ([]T, bool, error)) pageFetcher[T] {
	return func(ctx context.Context, offset, limit int) ([]T, bool, error) {
		q := make(url.Values, len(filters)+2)
		for k, v := range filters {
			q[k] = v
		}
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(offset))
		var (
			items []T
			more  bool
		)
		err := c.get(ctx, endpoint, q, func(body []byte) error {
			var err error
			items, more, err = decode(body)
			return err
		})
		return items, more, err
	}
}

type pageResult[T any] struct {
	items []T
	more  bool
	err   error
}

type pendingPage[T any] struct {
	offset int
	ask    int
	cancel context.CancelFunc
	result chan pageResult[T]
}

// listPages collects every item of a list in API order; id tells items
// apart, and path names the list in errors.
//
// Up to p.window pages are in flight at once. A page's next link only says
// whether more exist: page URLs are built by the fetcher, so a hostile or
// misconfigured server cannot send requests (and credentials) elsewhere.
// Results are used strictly in order: a page that ends the list cancels the
// ones after it, and a short page that still claims more moves the offsets,
// so the speculative pages after it are dropped and refetched.
func listPages[T any](ctx context.Context, path string, fetch pageFetcher[T], id func(T) string, p paging) ([]T, error) {
	ctx, cancelAll := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancelAll()
		wg.Wait()
	}()

	var (
		out        = []T{} // an empty list, not a missing one, when nothing matches
		seen       = make(map[string]struct{})
		queue      []*pendingPage[T]
		nextOffset = p.offset
		planned    = 0 // items asked for by the pages in queue
	)
	fill := func() {
		for len(queue) < p.window {
			ask := p.pageSize
			if p.limit > 0 {
				left := p.limit - len(out) - planned
				if left <= 0 {
					return
				}
				ask = min(ask, left)
			}
			if nextOffset > math.MaxInt-ask {
				return // no offset left to ask for: reported below
			}
			page := &pendingPage[T]{offset: nextOffset, ask: ask, result: make(chan pageResult[T], 1)}
			var pageCtx context.Context
			pageCtx, page.cancel = context.WithCancel(ctx)
			wg.Add(1)
			go func() {
				defer wg.Done()
				items, more, err := fetch(pageCtx, page.offset, page.ask)
				page.result <- pageResult[T]{items: items, more: more, err: err}
			}()
			queue = append(queue, page)
			nextOffset += ask
			planned += ask
		}
	}

	for {
		fill()
		if len(queue) == 0 {
			// The cap ends the loop before fill runs out of it, and the first
			// page always fits (newPaging): only a list running past the
			// largest offset gets here.
			return nil, fmt.Errorf("GET %s: %w: the list goes on past offset %d, the largest that can be asked for", path, ErrInconsistentPaging, nextOffset)
		}
		page := queue[0]
		queue = queue[1:]
		planned -= page.ask
		r := <-page.result
		page.cancel()
		if r.err != nil {
			return nil, r.err
		}
		if len(r.items) > page.ask {
			return nil, fmt.Errorf("GET %s: %w: page at offset %d has %d items, more than the %d asked for", path, ErrInconsistentPaging, page.offset, len(r.items), page.ask)
		}
		added := 0
		for _, item := range r.items {
			key := id(item)
			if _, dup := seen[key]; dup {
				continue
			}
			seen[key] = struct{}{}
			out = append(out, item)
			added++
		}
		if len(r.items) == 0 || !r.more || (p.limit > 0 && len(out) >= p.limit) {
			return out, nil
		}
		if added == 0 {
			return nil, fmt.Errorf("GET %s: %w: page at offset %d repeats items already received yet claims more; stopping rather than looping", path, ErrInconsistentPaging, page.offset)
		}
		if len(r.items) < page.ask {
			for _, later := range queue {
				later.cancel()
			}
			queue = queue[:0]
			planned = 0
			nextOffset = page.offset + len(r.items)
		}
	}
}
