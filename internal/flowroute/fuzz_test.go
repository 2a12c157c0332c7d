package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzDecodeAreaCodesPage(f *testing.F) {
	f.Add([]byte(seed200Body))
	f.Add(pageJSON([]string{"201", "202", "203"}, ""))
	f.Add([]byte(`{"data": [], "links": {"next": null}}`))
	f.Add([]byte(`{"data": [{"id": 201, "links": {"related": "x"}}], "links": {"next": ""}}`))
	f.Add([]byte(`{"data": [{"id": "2\u00301"}]}`))
	f.Add([]byte(seed422Body))
	f.Add([]byte(`<html>`))
	f.Add([]byte("{\"data\":[{\"id\":[\"\u202e\x7f\"]}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, more, err := decodeAreaCodesPage(body)
		if err != nil {
			if items != nil || more {
				t.Fatalf("partial data with error %v", err)
			}
			// The message reaches the user's terminal.
			for _, r := range err.Error() {
				if !unicode.IsPrint(r) {
					t.Fatalf("error %q holds %U", err, r)
				}
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON accepted: %q", body)
		}
		for i, item := range items {
			if item.AreaCode == "" {
				t.Fatalf("item %d has no id", i)
			}
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(422, []byte(seed422Body))
	f.Add(403, []byte(documented403))
	f.Add(401, []byte(`{"errors": [{"detail": "Authentication failed.", "status": 401, "title": "Unauthorized"}]}`))
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>\n"))
	f.Add(503, []byte(""))
	f.Add(400, []byte(`{"errors": [{"status": "400", "detail": "a\u001b[0mb"}, {}]}`))
	f.Add(599, []byte("\xff\x00\x1b\u202e"))
	f.Add(422, []byte(`{"errors":[{"status":422,"detail":"bad limit","id":12345}]}`))
	f.Add(400, []byte(`{"errors":[{"title":{"a":1},"detail":["x"],"id":true},{"detail":7.5,"id":null}]}`))
	f.Add(502, []byte("<pre>Authorization: Basic "+basicAuth+"</pre>"))
	f.Add(400, []byte(`{"errors":[{"detail":"key `+testSecretKey[2:]+`"}]}`))
	f.Add(422, []byte(`{"errors":[{"detail":{"zip":"`+basicAuth[4:]+`"}}]}`))
	redactor := newRedactor(SecretForms(testAccessKey, testSecretKey)...)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := newAPIError(status, "GET", "/v2/numbers/available/areacodes", body, redactor.redact)
		msg := e.Error()
		if run := secretRun(msg); run != "" {
			t.Fatalf("message %q shows %q of a secret", msg, run)
		}
		for _, obj := range e.Errors {
			for name, value := range obj.Fields {
				if run := secretRun(name) + secretRun(value); run != "" {
					t.Fatalf("field %q: %q shows %q of a secret", name, value, run)
				}
			}
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
		for _, r := range msg {
			if !unicode.IsPrint(r) {
				t.Fatalf("message %q holds %U", msg, r)
			}
		}
		if n := utf8.RuneCountInString(e.Excerpt); n > maxExcerptRunes+3 {
			t.Fatalf("excerpt of %d runes", n)
		}
		if len(e.Errors) > 0 && e.Excerpt != "" {
			t.Fatal("both errors and an excerpt")
		}
		if !strings.HasPrefix(msg, "GET /v2/numbers/available/areacodes: "+strconv.Itoa(status)) {
			t.Fatalf("message %q", msg)
		}
	})
}

// fuzzedList is a fake list endpoint: each offset's page comes from one byte
// of the script, so the answer for a given request never depends on timing.
type fuzzedList struct {
	script []byte
	start  int
	end    int // no items from here on
	calls  atomic.Int32
}

const (
	fuzzMoreBit     = 0x10 // set: the page says it is the last
	fuzzShiftMask   = 0x60 // a shift back, repeating items of earlier pages
	fuzzErrorByte   = 0xee
	fuzzOversizeBit = 0x80 // with the low bits all set: one item too many
)

func (l *fuzzedList) fetch(ctx context.Context, offset, limit int) ([]AreaCode, bool, error) {
	l.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if offset >= l.end || len(l.script) == 0 {
		return nil, false, nil
	}
	b := l.script[(offset-l.start)%len(l.script)]
	if b == fuzzErrorByte {
		return nil, false, errors.New("fuzzed failure")
	}
	n := min(int(b&0x0f), limit)
	if b&fuzzOversizeBit != 0 && b&0x0f == 0x0f {
		n = limit + 1
	}
	shift := int(b&fuzzShiftMask) >> 5
	items := make([]AreaCode, n)
	for i := range items {
		items[i] = AreaCode{AreaCode: strconv.Itoa(offset - shift + i)}
	}
	return items, b&fuzzMoreBit == 0, nil
}

func FuzzPaging(f *testing.F) {
	// Seeds: the documented two-item pages, a short list, short pages
	// claiming more, a repeating server, a failure and an oversized page.
	f.Add([]byte{0x02}, 2, 2, 2, 0)
	f.Add([]byte{0x02, 0x02, 0x12}, 0, 2, 3, 0)
	f.Add([]byte{0x05, 0x01, 0x03}, 20, 5, 4, 3)
	f.Add([]byte{0x42, 0x62}, 0, 2, 2, 0)
	f.Add([]byte{0x04, 0xee}, 0, 4, 3, 0)
	f.Add([]byte{0x04, 0x8f}, 9, 4, 2, 1)
	f.Add([]byte{}, 0, 1, 1, 0)
	f.Fuzz(func(t *testing.T, script []byte, limit, pageSize, window, offset int) {
		if len(script) > 64 {
			script = script[:64]
		}
		var capPtr *int
		if limit > 0 {
			capPtr = intPtr(limit % 200)
			if *capPtr == 0 {
				capPtr = nil
			}
		}
		pageSize = 1 + nonNegative(pageSize)%20
		window = nonNegative(window) % 6
		offset = nonNegative(offset) % 1000
		run := func(window int) (*fuzzedList, []AreaCode, error) {
			p, err := newPaging(capPtr, offset, pageSize, window, 20)
			if err != nil {
				t.Fatal(err)
			}
			l := &fuzzedList{script: script, start: offset, end: offset + 400}
			got, err := listPages(t.Context(), "/fuzz", l.fetch, func(a AreaCode) string { return a.AreaCode }, p)
			return l, got, err
		}
		l, got, err := run(window)
		if err != nil && got != nil {
			t.Fatalf("partial data with error %v", err)
		}
		if capPtr != nil && len(got) > *capPtr {
			t.Fatalf("%d items past the cap of %d", len(got), *capPtr)
		}
		seen := map[string]bool{}
		for _, a := range got {
			if seen[a.AreaCode] {
				t.Fatalf("duplicate %s", a.AreaCode)
			}
			seen[a.AreaCode] = true
		}
		// Each page in order adds an item or ends the list, and may discard
		// the window's other pages.
		if calls := int(l.calls.Load()); calls > (400+2)*max(window, defaultWindow) {
			t.Fatalf("%d calls", calls)
		}
		// Without repeats, how many pages fly at once changes nothing.
		for _, b := range script {
			if b&fuzzShiftMask != 0 {
				return
			}
		}
		_, sequential, seqErr := run(1)
		if (err == nil) != (seqErr == nil) || !reflect.DeepEqual(got, sequential) {
			t.Fatalf("window %d: %d items, error %v; sequential: %d items, error %v", window, len(got), err, len(sequential), seqErr)
		}
	})
}

// nonNegative folds negative fuzz inputs onto the non-negative ones without overflow.
func nonNegative(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// fuzzCheckDecodeError holds a decoder's failure to the rules every list
// decoder keeps: nothing half-decoded, and a message fit for a terminal.
func fuzzCheckDecodeError[T any](t *testing.T, items []T, more bool, err error) {
	t.Helper()
	if items != nil || more {
		t.Fatalf("partial data (%d items, more %v) with error %v", len(items), more, err)
	}
	msg := err.Error()
	if !utf8.ValidString(msg) {
		t.Fatalf("error %q is not UTF-8", msg)
	}
	for _, r := range msg {
		if !unicode.IsPrint(r) {
			t.Fatalf("error %q holds %U", msg, r)
		}
	}
}

const (
	seedExchangeItem = `{"type":"exchange","id":"347215","links":{"related":"https://api.flowroute.com/v2/numbers/available?starts_with=1347215"}}`
	seedNumberItem   = `{"type": "number", "id": "16463439507",
 "attributes": {"value": "16463439507", "rate_center": "nwyrcyzn01", "state": "ny", "number_type": "standard",
                "setup_cost": 1, "monthly_cost": 1.25},
 "links": {"related": "https://api.flowroute.com/v2/numbers/16463439507"}}`
	seedNumberItemNewer = `{"type":"number","id":"18004567890","attributes":{"value":"18004567890","rate_center":"tollfree","state":null,"number_type":"toll-free","setup_cost":0,"monthly_cost":3.99,"inbound_rate":0.0135,"rate_type":"local","tier":"Standard","iso_country":"US"},"links":{"related":"https://api.flowroute.com/v2/numbers/18004567890"}}`
	seedNextLink        = `"links":{"self":"https://api.flowroute.com/v2/numbers/available?limit=2&offset=0","next":"https://api.flowroute.com/v2/numbers/available?limit=2&offset=2"}`
)

func FuzzDecodeExchangesPage(f *testing.F) {
	page := `{"data":[` + seedExchangeItem + `,` + strings.ReplaceAll(seedExchangeItem, "347215", "347216") + `],` + seedNextLink + `}`
	f.Add([]byte(page))
	f.Add([]byte(`{"data":[` + seedExchangeItem + `],"links":{"next":null}}`))
	f.Add([]byte(`{"data":[],"links":{}}`))
	f.Add([]byte(page[:len(page)/2]))                                                   // truncated
	f.Add([]byte(page + "}"))                                                           // trailing junk
	f.Add([]byte(`{"data":[{"type":"exchange","id":347215}]}`))                         // documented integer id
	f.Add([]byte(`{"data":[{"type":"exchange","links":{"related":"x"}}]}`))             // missing id
	f.Add([]byte(`{"data":[{"type":"exchange","id":null}]}`))                           // null id
	f.Add([]byte(`{"data":[{"type":"exchange","id":""}]}`))                             // empty id
	f.Add([]byte(`{"data":[{"type":"exchange","id":"34721"}]}`))                        // 5 digits
	f.Add([]byte(`{"data":[{"type":"exchange","id":34721}]}`))                          // 5 digits, integer
	f.Add([]byte(`{"data":[{"type":"exchange","id":"3472150"}]}`))                      // 7 digits
	f.Add([]byte(`{"data":[{"type":"exchange","id":"34721a"}]}`))                       // not digits
	f.Add([]byte(`{"data":[{"type":"exchange","id":"\u0033\u00347215"}]}`))             // escaped digits
	f.Add([]byte(`{"data":[{"type":"exchange","id":3.47215e5}]}`))                      // float id
	f.Add([]byte(`{"data":[{"type":"exchange","id":-34721}]}`))                         // negative id
	f.Add([]byte(`{"data":[{"type":"exchange","id":["347215"]}]}`))                     // wrong type
	f.Add([]byte(`{"data":[{"type":"exchange","id":"347215","links":{"related":1}}]}`)) // wrong link type
	f.Add([]byte(`{"data":{"id":"347215"}}`))                                           // data not a list
	f.Add([]byte(`{"data":["347215"]}`))                                                // item not an object
	f.Add([]byte(`{"links":{"next":"x"}}`))                                             // no data
	f.Add([]byte("{\"data\":[{\"id\":\"34\u202e7215\x7f\"}]}"))
	f.Add([]byte(seed422Body))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, more, err := decodeExchangesPage(body)
		if err != nil {
			fuzzCheckDecodeError(t, items, more, err)
			return
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON accepted: %q", body)
		}
		for i, e := range items {
			if e.Exchange == "" {
				t.Fatalf("item %d has no id", i)
			}
			if len(e.Exchange) != 6 || !isDigits(e.Exchange) {
				t.Fatalf("item %d: exchange %q is not six digits", i, e.Exchange)
			}
			if e.AreaCode != e.Exchange[:3] {
				t.Fatalf("item %d: area code %q of exchange %q", i, e.AreaCode, e.Exchange)
			}
			if !utf8.ValidString(e.NumbersURL) {
				t.Fatalf("item %d: numbers URL %q is not UTF-8", i, e.NumbersURL)
			}
		}
	})
}

func FuzzDecodeNumbersPage(f *testing.F) {
	page := `{"data":[` + seedNumberItem + `,` + seedNumberItemNewer + `],` + seedNextLink + `}`
	f.Add([]byte(page))
	f.Add([]byte(`{"data":[` + seedNumberItem + `],"links":{"next":""}}`))
	f.Add([]byte(`{"data":[{"type":"number","id":"12125550100"}]}`)) // no attributes
	f.Add([]byte(`{"data":[],"links":{"next":null}}`))
	f.Add([]byte(page[:len(page)/2]))                                                  // truncated
	f.Add([]byte(page[:len(page)-1]))                                                  // truncated at the end
	f.Add([]byte(`{"data":[{"type":"number","attributes":{"value":"16463439507"}}]}`)) // missing id
	f.Add([]byte(`{"data":[{"type":"number","id":16463439507,"attributes":{"value":""}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":"1","monthly_cost":"1.25"}}]}`)) // numeric strings
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":"free"}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":"NaN","monthly_cost":"Inf"}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":"","monthly_cost":null}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":1e309}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"monthly_cost":-1e-400}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"setup_cost":true}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"value":16463439507,"state":["ny"]}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":{"inbound_rate":"x","tier":{},"iso_country":1}}]}`))
	f.Add([]byte(`{"data":[{"id":"1","attributes":[]}]}`))
	f.Add([]byte(`{"data":[{"id":{"a":1}}]}`))
	f.Add([]byte("{\"data\":[{\"id\":\"\xff\xfe\u202e\"}]}"))
	f.Add([]byte(seed422Body))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, more, err := decodeNumbersPage(body)
		if err != nil {
			fuzzCheckDecodeError(t, items, more, err)
			return
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON accepted: %q", body)
		}
		for i, n := range items {
			if n.Number == "" {
				t.Fatalf("item %d has no number", i)
			}
			for _, s := range [...]string{n.Number, n.State, n.RateCenter, n.NumberType, n.DetailsURL} {
				if !utf8.ValidString(s) {
					t.Fatalf("item %d: %q is not UTF-8", i, s)
				}
			}
			for name, c := range map[string]*float64{"setup": n.SetupCost, "monthly": n.MonthlyCost} {
				if c != nil && (math.IsNaN(*c) || math.IsInf(*c, 0)) {
					t.Fatalf("item %d: %s cost %v", i, name, *c)
				}
			}
		}
	})
}

func FuzzParsePhoneNumber(f *testing.F) {
	for _, s := range []string{
		"16463439507", "+1 646 343 9507", "(646) 343-9507", "646.343.9507", "1-646-343-9507", "+16463439507",
		"6463439507", "1 (646) 343-9507", " 646 343 9507\n", "+44 20 7946 0958", "(046) 343-9507", "646-143-9507",
		"646-343-95O7", "((646)) 343-9507", "646 (343) 9507", "(164) 634-39507", "+", "1+6463439507", "",
		"646\xff3439507", "646\u00a0343\u202e9507",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParsePhoneNumber(s)
		if err != nil {
			if n != (PhoneNumber{}) {
				t.Fatalf("%+v with error %v", n, err)
			}
			msg := err.Error()
			if !utf8.ValidString(msg) {
				t.Fatalf("error %q is not UTF-8", msg)
			}
			for _, r := range msg {
				if !unicode.IsPrint(r) {
					t.Fatalf("error %q holds %U", msg, r)
				}
			}
			return
		}
		if n.CountryCode != "1" {
			checkInternational(t, s, n)
			return
		}
		if len(n.Number) != 11 || !isDigits(n.Number) || n.CountryCode != "1" || n.Number[0] != '1' ||
			n.E164 != "+"+n.Number || n.Number != "1"+n.AreaCode+n.Exchange+n.Line ||
			n.National != "("+n.AreaCode+") "+n.Exchange+"-"+n.Line ||
			n.AreaCode[0] < '2' || n.Exchange[0] < '2' {
			t.Fatalf("ParsePhoneNumber(%q) = %+v", s, n)
		}
		// The number's digits are the input's, but for the country code.
		digits := strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return r
			}
			return -1
		}, s)
		if digits != n.Number && digits != n.Number[1:] {
			t.Fatalf("ParsePhoneNumber(%q) = %+v", s, n)
		}
		// Each form the parse gives parses back to the same number.
		for _, form := range [...]string{n.Number, n.E164, n.National} {
			again, err := ParsePhoneNumber(form)
			if err != nil || again != n {
				t.Fatalf("ParsePhoneNumber(%q) = %+v, but its form %q parses to %+v, %v", s, n, form, again, err)
			}
		}
	})
}

// checkInternational checks a number parsed after "+" and a country code
// other than 1: a valid number of a known region, whose E.164 form parses
// back to it.
func checkInternational(t *testing.T, s string, n PhoneNumber) {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(s), "+") || len(n.Number) > maxE164Digits || !isDigits(n.Number) ||
		n.E164 != "+"+n.Number || n.Number != n.CountryCode+n.AreaCode+n.Line || n.Exchange != "" ||
		n.Place().Region == "" || n.National == "" {
		t.Fatalf("ParsePhoneNumber(%q) = %+v, %+v", s, n, n.Place())
	}
	again, err := ParsePhoneNumber(n.E164)
	if err != nil || again != n {
		t.Fatalf("ParsePhoneNumber(%q) = %+v, but its form %q parses to %+v, %v", s, n, n.E164, again, err)
	}
}
