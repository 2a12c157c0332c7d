package provider

import (
	"context"
	"errors"
	"fmt"
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
	// number is the number bought, or whose purchase could not be confirmed.
	candidate flowroute.Number
	// owned is the number as the account shows it; nil when the purchase
	// could not be confirmed either way.
	owned *flowroute.AccountNumber
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
		return nil, fmt.Errorf("another flowroute_phone_number of this run is buying %s: each number can be bought once; "+
			"give each resource its own number", number)
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
		return fmt.Errorf("%s is not for sale: Flowroute's inventory does not list it (it may have been bought by "+
			"someone else). Pick another number, for example with the flowroute_available_numbers data source, or "+
			"use search instead of number", number)
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
				return nil, fmt.Errorf("%d numbers in a row were bought by someone else between the search and the "+
					"purchase; nothing was bought. Run again, or narrow the search", tries)
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
	return nil, errors.New(why.String())
}

// buy purchases a chosen number. A purchase is sent again only when the
// account certainly does not own the number: after an answer that leaves it
// open (a 5xx, a lost answer), the account is asked first.
func (p *purchaser) buy(ctx context.Context, candidate flowroute.Number) (*purchase, error) {
	number := candidate.Number
	unclear := false // an earlier attempt may have bought it
	for attempt := 0; ; attempt++ {
		bought, err := p.client.PurchaseNumber(ctx, number)
		switch {
		case err == nil:
			out := &purchase{candidate: candidate, owned: bought.Number}
			if bought.MessagingNotProvisioned {
				out.warnings = append(out.warnings, "Flowroute bought the number but could not set up SMS/MMS for it "+
					"(HTTP 207). Voice works; contact Flowroute support about messaging.")
			}
			return out, nil
		case errors.Is(err, flowroute.ErrNotPurchasable) && !unclear:
			return nil, fmt.Errorf("%w: %w", errNotPurchasable, err)
		case errors.Is(err, flowroute.ErrNotPurchasable):
			// After an unclear attempt, "not for sale" may mean "yours
			// already": the account is asked below.
		case !errors.Is(err, flowroute.ErrOutcomeUnknown):
			return nil, fmt.Errorf("buying %s: %w", number, err)
		}
		unclear = true

		// Ask even when the create's time is up: the answer decides whether
		// the number goes into the state.
		checkCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ownershipCheckTimeout)
		owned, checkErr := p.client.GetNumber(checkCtx, number)
		cancel()
		switch {
		case checkErr == nil:
			tflog.Info(ctx, "purchase answer lost, but the account owns the number: adopted", map[string]any{"number": number})
			return &purchase{candidate: candidate, owned: owned}, nil
		case !errors.Is(checkErr, flowroute.ErrNotOnAccount):
			// Neither bought for sure nor not: keep it, so it is never bought
			// twice; the next refresh drops it if the account does not own it.
			return &purchase{candidate: candidate, warnings: []string{fmt.Sprintf(
				"The purchase of %s may or may not have gone through (%s), and asking the account failed too (%s). "+
					"The number is kept in the state so that it is never bought twice; the next plan refreshes it: "+
					"if the account does not own it, it leaves the state with a warning and the plan offers to buy again.",
				number, err, checkErr)}}, nil
		case errors.Is(err, flowroute.ErrNotPurchasable):
			return nil, fmt.Errorf("%w: %w", errNotPurchasable, err) // someone else's now
		case attempt >= p.maxRetries || ctx.Err() != nil:
			return nil, fmt.Errorf("buying %s failed, and the account does not own it, so nothing was bought: %w", number, err)
		}
		tflog.Info(ctx, "purchase failed without buying; trying again", map[string]any{"number": number, "attempt": attempt + 1})
	}
}

// guardError is a number over a cost guard, attr: nothing was bought.
type guardError struct{ number, why, attr string }

func (e *guardError) Error() string {
	return fmt.Sprintf("%s was not bought: %s. Raise the guard or pick another number", e.number, e.why)
}

// alreadyOwnedError is a number the account owns already.
type alreadyOwnedError struct{ number string }

func (e *alreadyOwnedError) Error() string {
	return fmt.Sprintf("the account already owns %s, so there is nothing to buy. To manage it with this resource, "+
		"import it: terraform import <address> %s, or an import block with id = %q", e.number, e.number, e.number)
}

func ptrTo[T any](v T) *T { return &v }
