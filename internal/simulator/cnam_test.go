package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newCNAMHarness is a harness whose presets follow clock, which starts on
// 2018-06-01 00:17:52 UTC.
func newCNAMHarness(t *testing.T, opts Options) (*harness, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Date(2018, 6, 1, 0, 17, 52, 0, time.UTC)}
	opts.AccessKey, opts.SecretKey = testAccessKey, testSecretKey
	sim := New(opts)
	sim.cnams.now = clock.Now
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return &harness{t: t, sim: sim, ts: ts}, clock
}

// cnamAnswer is the first preset, not rejected, as the API shows it;
// approvedAt "" means not approved.
func cnamAnswer(value, approvedAt string) string {
	approval := "null"
	if approvedAt != "" {
		approval = fmt.Sprintf("%q", approvedAt)
	}
	return fmt.Sprintf(`{"data": {"type": "cnam", "id": "23454", "attributes": {"value": %q, "is_approved": %v,
		"approval_datetime": %s, "rejection_reason": null, "creation_datetime": "2018-06-01T00:17:52Z"}}}`,
		value, approvedAt != "", approval)
}

func (h *harness) createCNAM(value string) (*http.Response, []byte) {
	h.t.Helper()
	return h.send(http.MethodPost, PathCNAMs, "application/json", fmt.Sprintf(`{"value": %q}`, value))
}

func TestCNAMLifecycle(t *testing.T) {
	h, clock := newCNAMHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}

	resp, body := h.createCNAM("ACME SUPPORT")
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/vnd.api+json" {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(cnamAnswer("ACME SUPPORT", "")))
	clock.advance(time.Hour)
	_, body = h.get(PathCNAMs + "/23454")
	assertSameJSON(t, body, []byte(cnamAnswer("ACME SUPPORT", "")))

	// Pending: it cannot be assigned, and it can be changed.
	relationship := testNumberPath + number + "/relationships/cnams"
	resp, body = h.send(http.MethodPatch, relationship+"/23454", "", "")
	if e := checkErrors(t, resp, body, http.StatusUnprocessableEntity); e["detail"] != "CNAM preset 23454 is awaiting approval and cannot be assigned until it is approved." {
		t.Fatalf("assign pending: %s", body)
	}
	resp, body = h.send(http.MethodPatch, PathCNAMs+"/23454", "application/vnd.api+json",
		`{"data": {"type": "cnam", "attributes": {"value": "ACME HELP"}}}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(cnamAnswer("ACME HELP", "")))

	if err := h.sim.ApproveCNAM("23454"); err != nil {
		t.Fatal(err)
	}
	_, body = h.get(PathCNAMs + "/23454")
	assertSameJSON(t, body, []byte(cnamAnswer("ACME HELP", "2018-06-01T01:17:52Z")))

	// Approved: it can be assigned, with an integer id in the answer, and
	// no longer changed.
	resp, body = h.send(http.MethodPatch, relationship+"/23454", "", "")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("assign: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(`{"data": {"type": "cnam", "id": 23454, "attributes": {"date_created": "Fri, 01 Jun 2018 01:17:52 GMT"}}}`))
	checkRelationship(t, h, number, "cnam_preset", `{"type": "cnam", "id": "23454"}`)
	resp, body = h.send(http.MethodPatch, PathCNAMs+"/23454", "application/json",
		`{"data": {"type": "cnam", "attributes": {"value": "OTHER"}}}`)
	if e := checkErrors(t, resp, body, http.StatusForbidden); e["detail"] != "An approved CNAM preset cannot be changed." {
		t.Fatalf("update approved: %s", body)
	}

	resp, body = h.send(http.MethodDelete, relationship, "", "")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("release: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(`{"data": {"type": "cnam", "id": null, "attributes": {"date_created": "Fri, 01 Jun 2018 01:17:52 GMT"}}}`))
	checkRelationship(t, h, number, "cnam_preset", "null")

	// Deleting a preset releases the numbers that use it.
	h.send(http.MethodPatch, relationship+"/23454", "", "")
	if resp, body = h.send(http.MethodDelete, PathCNAMs+"/23454", "", ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	checkRelationship(t, h, number, "cnam_preset", "null")
	for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		resp, body = h.send(method, PathCNAMs+"/23454", "application/json", `{"data": {"type": "cnam", "attributes": {"value": "X"}}}`)
		checkNotOnAccount(t, resp, body)
	}
	resp, body = h.send(http.MethodPatch, relationship+"/23454", "", "")
	checkNotOnAccount(t, resp, body)
	if _, body = h.createCNAM("ACME HELP"); !strings.Contains(string(body), `"id":"23455"`) {
		t.Fatalf("ids reused: %s", body)
	}
}

func TestCNAMReview(t *testing.T) {
	h, clock := newCNAMHarness(t, Options{CNAMApprovalDelay: time.Hour})
	h.createCNAM("FIRST")
	clock.advance(30 * time.Minute)
	h.createCNAM("SECOND")
	clock.advance(29 * time.Minute)
	// A change goes up for review afresh.
	h.send(http.MethodPatch, PathCNAMs+"/23455", "application/json", `{"data": {"type": "cnam", "attributes": {"value": "SECOND ONE"}}}`)
	clock.advance(time.Minute)
	_, body := h.get(PathCNAMs + "/23454")
	assertSameJSON(t, body, []byte(cnamAnswer("FIRST", "2018-06-01T01:17:52Z")))
	clock.advance(58 * time.Minute)
	if p := h.sim.CNAMPresets(); len(p) != 2 || !p[0].IsApproved || p[1].IsApproved || !p[1].pending() {
		t.Fatalf("presets %+v", p)
	}
	clock.advance(time.Minute)
	p := h.sim.CNAMPresets()[1]
	if !p.IsApproved || !p.ApprovedAt.Equal(time.Date(2018, 6, 1, 2, 16, 52, 0, time.UTC)) {
		t.Fatalf("second preset %+v", p)
	}

	// A rejected preset cannot be assigned; changed, it is pending again.
	number := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	h.createCNAM("THIRD")
	if err := h.sim.RejectCNAM("23456", "not the account's name"); err != nil {
		t.Fatal(err)
	}
	_, body = h.get(PathCNAMs + "/23456")
	if !strings.Contains(string(body), `"rejection_reason":"not the account's name"`) || !strings.Contains(string(body), `"is_approved":false`) {
		t.Fatalf("rejected: %s", body)
	}
	resp, body := h.send(http.MethodPatch, testNumberPath+number+"/relationships/cnams/23456", "", "")
	if e := checkErrors(t, resp, body, http.StatusUnprocessableEntity); e["detail"] != "CNAM preset 23456 was rejected (not the account's name) and cannot be assigned." {
		t.Fatalf("assign rejected: %s", body)
	}
	clock.advance(2 * time.Hour)
	if p := h.sim.CNAMPresets()[2]; p.IsApproved {
		t.Fatal("a rejected preset was approved by the delay")
	}
	h.send(http.MethodPatch, PathCNAMs+"/23456", "application/json", `{"data": {"type": "cnam", "attributes": {"value": "THIRD TRY"}}}`)
	if p := h.sim.CNAMPresets()[2]; !p.pending() || p.Value != "THIRD TRY" {
		t.Fatalf("changed after rejection: %+v", p)
	}
	// Approval can be revoked by a rejection, and given after one.
	if err := h.sim.RejectCNAM("23454", "revoked"); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.ApproveCNAM("23456"); err != nil {
		t.Fatal(err)
	}
	if p := h.sim.CNAMPresets(); p[0].IsApproved || p[0].RejectionReason != "revoked" || !p[2].IsApproved {
		t.Fatalf("presets %+v", p)
	}
	for _, err := range []error{h.sim.ApproveCNAM("1"), h.sim.RejectCNAM("1", "x"), h.sim.RejectCNAM("23454", ""), h.sim.DeleteCNAMOutside("1")} {
		if err == nil {
			t.Fatal("a decision on no preset, or without a reason, was taken")
		}
	}
}

func TestCNAMApprovalRightAfterCreation(t *testing.T) {
	h := newHarness(t, Options{CNAMApprovalDelay: time.Nanosecond})
	if _, body := h.createCNAM("AT ONCE"); !strings.Contains(string(body), `"is_approved":false`) {
		t.Fatalf("create: %s", body)
	}
	time.Sleep(time.Millisecond)
	if _, body := h.get(PathCNAMs + "/23454"); !strings.Contains(string(body), `"is_approved":true`) {
		t.Fatalf("read: %s", body)
	}
}

func TestCNAMValues(t *testing.T) {
	h, _ := newCNAMHarness(t, Options{})
	for _, value := range []string{"ACME SUPPORT", "O'Neil & Sons", "A", "Dr. J. Smith, 3", "x-15-characters"} {
		if resp, body := h.createCNAM(value); resp.StatusCode != http.StatusCreated {
			t.Fatalf("%q: %d %s", value, resp.StatusCode, body)
		}
	}
	for body, detail := range map[string]string{
		`{"value": "SIXTEEN CHARS XX"}`: "value must be at most 15 characters",
		`{"value": "12345"}`:            "value must contain at least one letter",
		`{"value": " .-"}`:              "value must contain at least one letter",
		`{"value": "ACME!"}`:            "value may hold only letters, digits, spaces and . , ' - &",
		`{"value": "CAFÉ"}`:             "value may hold only letters, digits, spaces and . , ' - &",
		`{"value": ""}`:                 "value is required",
		`{}`:                            "value is required",
		`{"value": 5}`:                  "value must be a string",
		`{"value": "acme support"}`:     `A CNAM preset with the value "ACME SUPPORT" already exists.`,
		`[]`:                            `the body must be {"value": "..."}`,
		`null`:                          `the body must be {"value": "..."}`,
	} {
		resp, answer := h.send(http.MethodPost, PathCNAMs, "application/vnd.api+json", body)
		if e := checkErrors(t, resp, answer, http.StatusUnprocessableEntity); e["detail"] != detail {
			t.Fatalf("%s: detail %q, want %q", body, e["detail"], detail)
		}
	}
	for body, detail := range map[string]string{
		`{"value": "OTHER"}`: `the body must be {"data": {"type": "cnam", "attributes": {...}}}`,
		`{"data": {"type": "cnam", "attributes": {"value": null}}}`:            "value is required",
		`{"data": {"type": "cnam", "attributes": {}}}`:                         "value is required",
		`{"data": {"type": "cnam", "attributes": {"value": ["A"]}}}`:           "value must be a string",
		`{"data": {"type": "cnam", "attributes": {"value": "A SUPPORT"}}}`:     "",
		`{"data": {"type": "cnam", "attributes": {"value": "o'neil & sons"}}}`: `A CNAM preset with the value "O'Neil & Sons" already exists.`,
		`{"data": {"type": "cnam", "attributes": {"value": "acme support"}}}`:  "",
	} {
		resp, answer := h.send(http.MethodPatch, PathCNAMs+"/23454", "application/json", body)
		if detail == "" {
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", body, resp.StatusCode, answer)
			}
			continue
		}
		if e := checkErrors(t, resp, answer, http.StatusUnprocessableEntity); e["detail"] != detail {
			t.Fatalf("%s: detail %q, want %q", body, e["detail"], detail)
		}
	}
	resp, body := h.send(http.MethodPost, PathCNAMs, "text/plain", `{"value": "PLAIN"}`)
	checkErrors(t, resp, body, http.StatusUnsupportedMediaType)
	if n := len(h.sim.CNAMPresets()); n != 5 {
		t.Fatalf("%d presets, want 5", n)
	}
}

func TestCNAMListAndNumbers(t *testing.T) {
	h, _ := newCNAMHarness(t, Options{})
	var ids []string
	for i := range 12 {
		h.createCNAM(fmt.Sprintf("NAME %d", i))
		ids = append(ids, fmt.Sprint(23454+i))
		if i%3 == 0 {
			if err := h.sim.ApproveCNAM(ids[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, limit := range []int{1, 5, 200} {
		if got, _ := h.walk(fmt.Sprintf("%s?limit=%d", PathCNAMs, limit)); !slices.Equal(got, ids) {
			t.Fatalf("limit %d: %v", limit, got)
		}
	}
	for query, want := range map[string][]string{
		"is_approved=true":               {"23454", "23457", "23460", "23463"},
		"is_approved=false&value=name+1": {"23455"},
		"is_approved=true&value=name+1":  nil,
		"value=NAME+11":                  {"23465"},
	} {
		if got, _ := h.walk(PathCNAMs + "?limit=2&" + query); !slices.Equal(got, want) {
			t.Fatalf("%s: %v, want %v", query, got, want)
		}
	}
	if got := h.errorAnswer(PathCNAMs+"?is_approved=maybe", http.StatusUnprocessableEntity); got != "is_approved must be true or false, got 'maybe'" {
		t.Fatalf("is_approved=maybe: %q", got)
	}
	if got := h.errorAnswer(PathCNAMs+"?limit=201", http.StatusUnprocessableEntity); got != "limit must be between 1 and 200" {
		t.Fatalf("limit=201: %q", got)
	}

	tollFree := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeTollFree})[0].Number
	longcodes := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[:2]
	if err := h.sim.AddOwned(tollFree, longcodes[0].Number, longcodes[1].Number); err != nil {
		t.Fatal(err)
	}
	resp, body := h.send(http.MethodPatch, testNumberPath+tollFree+"/relationships/cnams/23454", "", "")
	if e := checkErrors(t, resp, body, http.StatusUnprocessableEntity); e["detail"] != "CNAM presets apply to long-code numbers only." {
		t.Fatalf("toll-free: %s", body)
	}
	for _, n := range longcodes {
		if resp, body := h.send(http.MethodPatch, testNumberPath+n.Number+"/relationships/cnams/23457", "", ""); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	}
	if err := h.sim.DeleteCNAMOutside("23457"); err != nil {
		t.Fatal(err)
	}
	for _, o := range h.sim.OwnedNumbers() {
		if o.CNAMPresetID != "" {
			t.Fatalf("still assigned: %+v", o)
		}
	}

	relationship := testNumberPath + longcodes[0].Number + "/relationships/cnams"
	for target, allow := range map[string]string{
		PathCNAMs:             "GET, POST",
		PathCNAMs + "/23454":  "GET, PATCH, DELETE",
		relationship:          "DELETE",
		relationship + "/123": "PATCH",
	} {
		resp, body := h.send(http.MethodPut, target, "", "")
		checkErrors(t, resp, body, http.StatusMethodNotAllowed)
		if resp.Header.Get("Allow") != allow {
			t.Fatalf("%s: Allow %q, want %q", target, resp.Header.Get("Allow"), allow)
		}
	}
	resp, body = h.send(http.MethodDelete, testNumberPath+"19995550100/relationships/cnams", "", "")
	checkNotOnAccount(t, resp, body)

	// The presets a test sees are copies.
	h.sim.CNAMPresets()[0].Value = "changed"
	var doc struct {
		Data struct {
			Attributes map[string]any `json:"attributes"`
		} `json:"data"`
	}
	_, body = h.get(PathCNAMs + "/23454")
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Attributes["value"] != "NAME 0" {
		t.Fatalf("CNAMPresets shares storage: %s", body)
	}
}

func TestFaultsOnCNAMPaths(t *testing.T) {
	h, _ := newCNAMHarness(t, Options{})
	// Created, then the connection drops: the preset exists all the same.
	h.sim.AddFault(Fault{Method: http.MethodPost, Path: PathCNAMs, ResetConnection: true, ActFirst: true, Times: 1})
	req, err := http.NewRequest(http.MethodPost, h.ts.URL+PathCNAMs, strings.NewReader(`{"value": "ACME"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(testAccessKey, testSecretKey)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := h.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the connection was not reset")
	}
	if p := h.sim.CNAMPresets(); len(p) != 1 || p[0].Value != "ACME" {
		t.Fatalf("presets %+v", p)
	}
	h.sim.AddFault(Fault{Method: http.MethodPatch, PathPrefix: PathOwnedNumbers + "/", Status: http.StatusTooManyRequests, RetryAfter: "1", Times: 1})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.ApproveCNAM("23454"); err != nil {
		t.Fatal(err)
	}
	resp, body := h.send(http.MethodPatch, testNumberPath+number+"/relationships/cnams/23454", "", "")
	checkErrors(t, resp, body, http.StatusTooManyRequests)
	if h.sim.OwnedNumbers()[0].CNAMPresetID != "" {
		t.Fatal("a throttled assignment was carried out")
	}
	if resp, body = h.send(http.MethodPatch, testNumberPath+number+"/relationships/cnams/23454", "", ""); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
