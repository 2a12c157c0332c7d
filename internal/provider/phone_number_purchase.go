package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

const (
	// maxPurchaseTries bounds the candidates a search tries when others are
	// bought between listing and purchase.
	maxPurchaseTries = 5
	// maxSearchPages bounds how far a search looks for a candidate that the
	// guards and the other purchases of the run leave free.
	maxSearchPages = 5
	// ownershipCheckTimeout bounds the question "does the account own it
	// now?" after a purchase with an unknown outcome, even when the create's
	// own time is up: the answer decides whether a number is in the state.
	ownershipCheckTimeout = 30 * time.Second
)

// numberClaims are the numbers that purchases of this provider process have
// chosen, so that parallel creates (count, for_each) never pick the same one.
type numberClaims struct {
	mu   sync.Mutex
	held map[string]struct{}
}

func newNumberClaims() *numberClaims { return &numberClaims{held: map[string]struct{}{}} }

// taken reports whether a purchase of this process has claimed number.
func (c *numberClaims) taken(number string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, taken := c.held[number]
	return taken
}

// claim reports whether number was free, and takes it.
func (c *numberClaims) claim(number string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, taken := c.held[number]; taken {
		return false
	}
	c.held[number] = struct{}{}
	return true
}

func (c *numberClaims) release(number string) {
	c.mu.Lock()
	delete(c.held, number)
	c.mu.Unlock()
}

// costGuards are the most a purchase may cost; nil means no limit.
type costGuards struct{ maxSetup, maxMonthly *float64 }

// refuses says why n is over a guard, and names the guard's attribute; ""
// when it is within them. A cost the API leaves out cannot be checked, so a
// guard refuses it.
func (g costGuards) refuses(n flowroute.Number) (why, attr string) {
	for _, guard := range []struct {
		name, attr  string
		cost, limit *float64
	}{
		{"setup fee", "max_setup_cost", n.SetupCost, g.maxSetup},
		{"monthly fee", "max_monthly_cost", n.MonthlyCost, g.maxMonthly},
	} {
		switch {
		case guard.limit == nil:
		case guard.cost == nil:
			return fmt.Sprintf("its %s is not given by the API, so %s cannot be checked", guard.name, guard.attr), guard.attr
		case *guard.cost > *guard.limit:
			return fmt.Sprintf("its %s of %s USD is above %s = %s", guard.name, usd(*guard.cost), guard.attr,
				usd(*guard.limit)), guard.attr
		}
	}
	return "", ""
}

func usd(v float64) string { return fmt.Sprintf("%.2f", v) }

// purchase is what buying came to when no error stopped it before money
// could be spent.
type purchase struct {
	// candidate is the number bought, or whose purchase is unconfirmed.
	candidate flowroute.Number
	// owned is the number as the account shows it; nil while the purchase
	// is unconfirmed.
	owned *flowroute.AccountNumber
	// unconfirmedSince is when the last purchase request whose outcome is
	// unknown ended, from when the settle window counts; zero once the
	// account owns the number.
	unconfirmedSince time.Time
	unconfirmedWhy   string
	// warnings say what the user should know though the number is bought.
	warnings []string
}

// purchaser buys numbers for flowroute_phone_number.
type purchaser struct {
	client     *flowroute.Client
	claims     *numberClaims
	maxRetries int
}

// errNotPurchasable is a candidate that the API refused to sell.
var errNotPurchasable = errors.New("not purchasable")

// buyExact resolves an explicit number without spending (it must be for
// sale and within the guards), then buys it. An error means nothing was
// bought.
func (p *purchaser) buyExact(ctx context.Context, number string, guards costGuards) (*purchase, error) {
	if p.claims.taken(number) {
		return nil, fmt.Errorf("another flowroute_phone_number of this configuration is buying %s, or has bought it "+
			"in this run: a number can be bought once, and held by one resource. Give each resource its own number, "+
			"or use search", number)
	}
	one := 1
	found, err := p.client.SearchAvailableNumbers(ctx, flowroute.NumbersQuery{StartsWith: "+" + number, Limit: &one, Window: 1})
	if err != nil {
		return nil, fmt.Errorf("checking that %s is for sale: %w", number, err)
	}
	if len(found) == 0 || found[0].Number != number {
		return nil, p.notForSale(ctx, number)
	}
	candidate := found[0]
	if why, attr := guards.refuses(candidate); why != "" {
		return nil, &guardError{number: number, why: why, attr: attr}
	}
	if !p.claims.claim(number) {
		return nil, fmt.Errorf("another flowroute_phone_number of this configuration is buying %s: a number can be "+
			"bought once, and held by one resource. Give each resource its own number, or use search", number)
	}
	bought, err := p.buy(ctx, candidate)
	if err != nil {
		if !errors.Is(err, errNotPurchasable) {
			p.claims.release(number)
		}
		return nil, err
	}
	return bought, nil
}

// notForSale explains a number that the inventory does not list.
func (p *purchaser) notForSale(ctx context.Context, number string) error {
	_, err := p.client.GetNumber(ctx, number)
	switch {
	case err == nil:
		return &alreadyOwnedError{number: number}
	case errors.Is(err, flowroute.ErrNotOnAccount):
		return fmt.Errorf("%w: Flowroute's inventory does not list %s (someone else may have bought it)",
			errNotPurchasable, number)
	}
	return fmt.Errorf("%s is not for sale, and checking whether the account owns it failed: %w", number, err)
}

// buySearch buys the first number of the search, in the API's order, that
// the guards allow and no other purchase of this run has chosen. An error
// means nothing was bought.
func (p *purchaser) buySearch(ctx context.Context, query flowroute.NumbersQuery, guards costGuards) (*purchase, error) {
	var (
		tries               int
		overGuards, claimed int
		lastRefusal         string
	)
	query.Limit = ptrTo(flowroute.MaxNumbersPageSize)
	query.Window = 1
	for page := range maxSearchPages {
		query.Offset = page * flowroute.MaxNumbersPageSize
		candidates, err := p.client.SearchAvailableNumbers(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("searching for a number to buy: %w", err)
		}
		for _, candidate := range candidates {
			if why, _ := guards.refuses(candidate); why != "" {
				overGuards++
				lastRefusal = candidate.Number + ": " + why
				continue
			}
			if !p.claims.claim(candidate.Number) {
				claimed++
				continue
			}
			bought, err := p.buy(ctx, candidate)
			switch {
			case err == nil:
				return bought, nil
			case !errors.Is(err, errNotPurchasable):
				p.claims.release(candidate.Number)
				return nil, err
			}
			// Taken by someone else since the listing: it stays claimed, so
			// no other resource of the run tries it again.
			tries++
			tflog.Info(ctx, "number taken since the search listed it; trying the next", map[string]any{"number": candidate.Number})
			if tries >= maxPurchaseTries {
				return nil, &noMatchError{fmt.Sprintf("%d numbers in a row were bought by someone else between the "+
					"search and the purchase; nothing was bought. Run again, or narrow the search", tries)}
			}
		}
		if len(candidates) < flowroute.MaxNumbersPageSize {
			break
		}
	}
	var why strings.Builder
	why.WriteString("no purchasable number matches the search")
	if overGuards > 0 {
		fmt.Fprintf(&why, "; %d matching numbers cost more than the guards allow (for example %s)", overGuards, lastRefusal)
	}
	if claimed > 0 {
		fmt.Fprintf(&why, "; %d are being bought by other resources of this run", claimed)
	}
	if tries > 0 {
		fmt.Fprintf(&why, "; %d were bought by someone else meanwhile", tries)
	}
	why.WriteString(". Nothing was bought: widen the search or raise the guards")
	return nil, &noMatchError{why.String()}
}

// buy purchases a chosen number. It is sent again only when Flowroute
// answered that it is unavailable (503) and the account then does not own
// the number. When the outcome is unclear (no answer, a wait cut short, a
// server or gateway error, a refusal after such an attempt) and the account
// does not own the number yet, the purchase is unconfirmed: Flowroute may
// still be carrying it out, so the number is kept, never bought again nor
// swapped for another.
func (p *purchaser) buy(ctx context.Context, candidate flowroute.Number) (*purchase, error) {
	number := candidate.Number
	var (
		unclear           bool      // an attempt had an unknown outcome
		mayBeUnderWay     bool      // such an attempt may still be carried out
		settleFrom        time.Time // when the last such attempt ended: the window starts there
		messagingNotSetUp bool
	)
	for attempt := 0; ; attempt++ {
		bought, err := p.client.PurchaseNumber(ctx, number)
		if bought != nil && bought.MessagingNotProvisioned {
			messagingNotSetUp = true
		}
		switch {
		case err == nil:
			return p.confirmed(candidate, bought.Number, messagingNotSetUp), nil
		case !unclear && errors.Is(err, flowroute.ErrNotPurchasable):
			return nil, fmt.Errorf("%w: %w", errNotPurchasable, err)
		case !unclear && !errors.Is(err, flowroute.ErrOutcomeUnknown):
			return nil, fmt.Errorf("buying %s: %w", number, err)
		}
		// The outcome is open: this attempt's, or an earlier one's that
		// this refusal or failure cannot rule out.
		unclear = true
		if stillUnderWay(err) {
			mayBeUnderWay, settleFrom = true, time.Now()
		} else if settleFrom.IsZero() {
			settleFrom = time.Now()
		}

		// Ask even when the create's time is up: the answer decides whether
		// the number goes into the state.
		checkCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ownershipCheckTimeout)
		owned, checkErr := p.client.GetNumber(checkCtx, number)
		cancel()
		switch {
		case checkErr == nil:
			tflog.Info(ctx, "purchase outcome unclear, but the account owns the number: adopted", map[string]any{"number": number})
			return p.confirmed(candidate, owned, messagingNotSetUp), nil
		case !errors.Is(checkErr, flowroute.ErrNotOnAccount):
			return p.unconfirmed(candidate, settleFrom, fmt.Sprintf("The purchase failed with an unclear outcome "+
				"(%s), and asking the account failed too (%s).", err, checkErr)), nil
		case mayBeUnderWay || !errors.Is(err, flowroute.ErrOutcomeUnknown):
			// One "not yet" settles nothing while a purchase may be under
			// way; and after a refusal, only the account could tell.
			return p.unconfirmed(candidate, settleFrom, fmt.Sprintf("The purchase failed with an unclear outcome (%s).", err)), nil
		case attempt >= p.maxRetries:
			// Flowroute answered every attempt, and the account does not own it.
			return nil, fmt.Errorf("buying %s failed, and the account does not own it, so nothing was bought: %w", number, err)
		}
		tflog.Info(ctx, "purchase answered 503, and the account does not own the number; trying again",
			map[string]any{"number": number, "attempt": attempt + 1})
		if !sleepCtx(ctx, p.client.RetryWait(err, attempt+1)) {
			return nil, fmt.Errorf("buying %s failed, the account does not own it, and the time ran out before "+
				"trying again, so nothing was bought: %w", number, errors.Join(err, ctx.Err()))
		}
	}
}

// stillUnderWay reports a failed purchase that Flowroute may still be
// carrying out: its answer never came (a lost connection, a time limit, an
// interrupt), a success could not be read, or a server or gateway error
// came (500, 502, 504). Only a 503 says Flowroute did not take the request
// on: by then it is done with it.
func stillUnderWay(err error) bool {
	var apiErr *flowroute.APIError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, flowroute.ErrMalformedResponse), !errors.As(err, &apiErr):
		// The wait for this attempt ended first; an earlier answer it
		// carries (a 429 waited out) says nothing of it.
		return true
	}
	return apiErr.StatusCode != http.StatusServiceUnavailable
}

// sleepCtx waits for d, and reports false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// confirmed is a number the account owns after its purchase.
func (p *purchaser) confirmed(candidate flowroute.Number, owned *flowroute.AccountNumber, messagingNotSetUp bool) *purchase {
	out := &purchase{candidate: candidate, owned: owned}
	if messagingNotSetUp {
		out.warnings = append(out.warnings, "Flowroute bought the number but could not set up SMS/MMS for it "+
			"(HTTP 207). Voice works; contact Flowroute support about messaging.")
	}
	return out
}

// unconfirmed is a number whose purchase may still be carried out; why
// says what left it open.
func (p *purchaser) unconfirmed(candidate flowroute.Number, since time.Time, why string) *purchase {
	return &purchase{candidate: candidate, unconfirmedSince: since, unconfirmedWhy: why}
}

// guardError is a number over a cost guard, attr: nothing was bought.
type guardError struct{ number, why, attr string }

func (e *guardError) Error() string {
	return fmt.Sprintf("%s was not bought: %s. Raise the guard or pick another number", e.number, e.why)
}

// noMatchError is a search that found no number to buy: nothing was bought.
type noMatchError struct{ why string }

func (e *noMatchError) Error() string { return e.why }

// alreadyOwnedError is a number the account owns already.
type alreadyOwnedError struct{ number string }

func (e *alreadyOwnedError) Error() string {
	return fmt.Sprintf("the account already owns %s, so there is nothing to buy. If another resource of this "+
		"configuration, or of another state, holds it, remove this one or give it another number: a number belongs "+
		"under one address. Otherwise, to manage it with this resource, import it: terraform import <address> %s, or "+
		"an import block with id = %q", e.number, e.number, e.number)
}

func ptrTo[T any](v T) *T { return &v }
