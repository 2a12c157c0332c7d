package flowroute

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// recordsAPI serves total records of the kind, honouring limit and offset;
// item writes the attributes of the i-th.
func recordsAPI(t *testing.T, kind string, total int, item func(i int) string) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		limit, offset := queryInt(t, q, "limit"), queryInt(t, q, "offset")
		end := min(offset+limit, total)
		items := make([]string, 0, max(end-offset, 0))
		for i := offset; i < end; i++ {
			items = append(items, fmt.Sprintf(`{"type": %q, "id": "%d", "attributes": {%s}}`, kind, 100+i, item(i)))
		}
		next := ""
		if end < total {
			next = fmt.Sprintf(`, "next": "https://api.flowroute.com/v2/%ss?limit=%d&offset=%d"`, kind, limit, end)
		}
		fmt.Fprintf(w, `{"data": [%s], "links": {"self": "x"%s}}`, strings.Join(items, ","), next)
	}
}

func TestListE911s(t *testing.T) {
	srv, rec := serve(t, recordsAPI(t, "e911", 2500, func(i int) string {
		return fmt.Sprintf(`"label": "site %d", "street_number": "%d", "street_name": "3rd Ave", "city": "Seattle", "state": "WA",
			"country": "US", "zip": "98101", "first_name": "Chris", "last_name": "Smith", "address_type": null, "address_type_number": null`, i, i)
	}))
	c := newTestClient(t, srv.URL)
	all, err := c.ListE911s(t.Context(), E911Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := E911Address{ID: "2599", Label: "site 2499", FirstName: "Chris", LastName: "Smith", StreetNumber: "2499",
		StreetName: "3rd Ave", City: "Seattle", State: "WA", Country: "US", Zip: "98101"}
	if len(all) != 2500 || all[2499] != want {
		t.Fatalf("%d addresses, last %+v", len(all), all[len(all)-1])
	}
	// Pages of 2000, the largest the endpoint serves: two, plus at most one
	// asked for past the end.
	if n := rec.count(); n < 2 || n > 3 {
		t.Errorf("%d requests for 2500 addresses", n)
	}
	for _, q := range rec.queries() {
		if !strings.HasPrefix(q, "limit=2000&offset=") {
			t.Errorf("query %s", q)
		}
	}

	srv, rec = serve(t, recordsAPI(t, "e911", 10, func(int) string { return `"label": "HQ"` }))
	c = newTestClient(t, srv.URL)
	few, err := c.ListE911s(t.Context(), E911Query{Label: "HQ", StreetName: "3rd Ave", City: "Seattle", State: "WA", Limit: intPtr(3)})
	if err != nil || len(few) != 3 {
		t.Fatalf("%d addresses, %v", len(few), err)
	}
	if q := rec.queries(); len(q) != 1 || q[0] != "city=Seattle&label=HQ&limit=3&offset=0&state=WA&street_name=3rd+Ave" {
		t.Errorf("queries %v", q)
	}
	if _, err := c.ListE911s(t.Context(), E911Query{PageSize: 2001}); err == nil {
		t.Error("a page of 2001 accepted")
	}
}

func TestListCNAMs(t *testing.T) {
	srv, rec := serve(t, recordsAPI(t, "cnam", 450, func(i int) string {
		return fmt.Sprintf(`"value": "CALLER %d", "is_approved": %t, "approval_datetime": null, "rejection_reason": null,
			"creation_datetime": "2024-01-02 03:04:05"`, i, i%2 == 0)
	}))
	c := newTestClient(t, srv.URL)
	all, err := c.ListCNAMs(t.Context(), CNAMQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := CNAMPreset{ID: "100", Value: "CALLER 0", IsApproved: true, CreationDatetime: "2024-01-02 03:04:05"}
	if len(all) != 450 || all[0] != want {
		t.Fatalf("%d presets, first %+v", len(all), all[0])
	}
	// Pages of 200: three, plus at most one asked for past the end.
	if n := rec.count(); n < 3 || n > 4 {
		t.Errorf("%d requests for 450 presets", n)
	}
	srv, rec = serve(t, recordsAPI(t, "cnam", 10, func(int) string { return `"value": "X", "is_approved": true` }))
	c = newTestClient(t, srv.URL)
	approved := true
	if _, err := c.ListCNAMs(t.Context(), CNAMQuery{IsApproved: &approved, Limit: intPtr(5)}); err != nil {
		t.Fatal(err)
	}
	if q := rec.queries(); len(q) != 1 || q[0] != "is_approved=true&limit=5&offset=0" {
		t.Errorf("queries %v", q)
	}
}
