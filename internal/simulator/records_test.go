package simulator

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestSaveAndLoadRecords(t *testing.T) {
	h, _ := newCNAMHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	h.createCNAM("ACME")
	h.createCNAM("PENDING")
	if err := h.sim.ApproveCNAM("23454"); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPatch, testNumberPath+number+"/relationships/e911s/21301", "", "")
	h.send(http.MethodPatch, testNumberPath+number+"/relationships/cnams/23454", "", "")
	var saved bytes.Buffer
	if err := h.sim.SaveAccount(&saved); err != nil {
		t.Fatal(err)
	}

	other, _ := newCNAMHarness(t, Options{})
	if err := other.sim.LoadAccount(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(other.sim.E911Addresses(), h.sim.E911Addresses()) || !slices.Equal(other.sim.CNAMPresets(), h.sim.CNAMPresets()) {
		t.Fatalf("loaded %+v %+v", other.sim.E911Addresses(), other.sim.CNAMPresets())
	}
	checkRelationship(t, other, number, "e911_address", `{"type": "e911", "id": "21301"}`)
	checkRelationship(t, other, number, "cnam_preset", `{"type": "cnam", "id": "23454"}`)
	// New ids go on after the loaded ones.
	if _, body := other.send(http.MethodPost, PathE911s, "application/json", testE911Body); !strings.Contains(string(body), `"id":"21302"`) {
		t.Fatalf("new address: %s", body)
	}
	if _, body := other.createCNAM("NEW"); !strings.Contains(string(body), `"id":"23456"`) {
		t.Fatalf("new preset: %s", body)
	}

	for _, bad := range []string{
		`{"numbers": [], "e911_addresses": [{"id": "x1"}]}`,
		`{"numbers": [], "e911_addresses": [{"id": "1"}, {"id": "1"}]}`,
		`{"numbers": [], "cnam_presets": [{"id": ""}]}`,
		`{"numbers": [], "cnam_presets": [{"id": "7"}, {"id": "7"}]}`,
		`{"numbers": [{"number": "1", "e911_address_id": "5"}]}`,
		`{"numbers": [{"number": "1", "cnam_preset_id": "5"}], "cnam_presets": [{"id": "6"}]}`,
	} {
		if err := other.sim.LoadAccount(strings.NewReader(bad)); err == nil {
			t.Fatalf("loaded %s", bad)
		}
	}
	if len(other.sim.E911Addresses()) != 2 {
		t.Fatal("a refused load changed the records")
	}
	// A file from before the records loads as an account without any.
	if err := other.sim.LoadAccount(strings.NewReader(`{"numbers": []}`)); err != nil ||
		len(other.sim.E911Addresses()) != 0 || len(other.sim.CNAMPresets()) != 0 {
		t.Fatalf("numbers-only file: %v", err)
	}
}
