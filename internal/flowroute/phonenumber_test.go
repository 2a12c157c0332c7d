package flowroute

import (
	"reflect"
	"strings"
	"testing"
)

var testPhoneNumber = PhoneNumber{
	Number:      "16463439507",
	E164:        "+16463439507",
	CountryCode: "1",
	AreaCode:    "646",
	Exchange:    "343",
	Line:        "9507",
	National:    "(646) 343-9507",
}

func TestParsePhoneNumber(t *testing.T) {
	for _, s := range []string{
		"16463439507",
		"+16463439507",
		"6463439507",
		"+1 646 343 9507",
		"(646) 343-9507",
		"(646)343-9507",
		"1 (646) 343-9507",
		"+1 (646) 343-9507",
		"+1(646)3439507",
		"646.343.9507",
		"1.646.343.9507",
		"646-343-9507",
		"1-646-343-9507",
		"+1-646-343-9507",
		"646 - 343 - 9507",
		" 646 343 9507\n",
		"646\u00a0343\u00a09507", // non-breaking spaces, as text copied from a web page has
	} {
		got, err := ParsePhoneNumber(s)
		if err != nil {
			t.Errorf("ParsePhoneNumber(%q): %v", s, err)
			continue
		}
		if got != testPhoneNumber {
			t.Errorf("ParsePhoneNumber(%q) = %+v", s, got)
		}
	}

	for s, want := range map[string]PhoneNumber{
		"+1 800 555 0199": {Number: "18005550199", E164: "+18005550199", CountryCode: "1",
			AreaCode: "800", Exchange: "555", Line: "0199", National: "(800) 555-0199"},
		"2002000000": {Number: "12002000000", E164: "+12002000000", CountryCode: "1",
			AreaCode: "200", Exchange: "200", Line: "0000", National: "(200) 200-0000"},
		"(999) 999-9999": {Number: "19999999999", E164: "+19999999999", CountryCode: "1",
			AreaCode: "999", Exchange: "999", Line: "9999", National: "(999) 999-9999"},
	} {
		if got, err := ParsePhoneNumber(s); err != nil || got != want {
			t.Errorf("ParsePhoneNumber(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
}

func TestParsePhoneNumber_errors(t *testing.T) {
	const characters = ": a phone number has only the digits 0-9, spaces, dots, dashes, " +
		`a "+" before the country code and parentheses around the area code`
	for s, want := range map[string]string{
		"":                               `invalid phone number "": it is empty`,
		" \t\n":                          `invalid phone number " \t\n": it is empty`,
		"--.":                            `invalid phone number "--.": it has no digits`,
		"646343950":                      `invalid phone number "646343950": it has 9 digits, a NANP number has 10 (or 11 starting with 1)`,
		"1646343950":                     "the area code 164 starts with 1", // ten digits: the 1 is the area code's
		"6":                              "it has 1 digit, a NANP number has 10",
		"164634395070":                   "it has 12 digits, a NANP number has 10 (or 11 starting with 1)",
		"26463439507":                    "it has 11 digits but does not start with the country code 1: a NANP number has 10 (or 11 starting with 1)",
		"+44 20 7946 09":                 "it is not a valid number of GB, GG, IM, JE (+44): their numbering plan has no number 20794609 after the country code",
		"+44 1632 960000":                "it is not a valid number of GB, GG, IM, JE (+44)", // set aside for drama
		"+44 20 7946 0958 1234 5678":     "it has 20 digits, an international number has at most 15",
		"+44 20 7946 0958 12":            "it has 12 digits after the country code +44, too many for a number of GB, GG, IM, JE",
		"+33 6":                          "it has 3 digits, too few for an international number",
		"+33 6 12":                       "it has 3 digits after the country code +33, too few for a number of FR",
		"+999 1234 5678":                 "no country has the calling code it starts with",
		"+44 20 7946 095x":               `letter "x" at position 16`,
		"+44 ((0))20 7946 0958":          `second "(" at position 6`,
		"+1 646 343 950":                 "it has 9 digits after the country code +1, a NANP number has 10",
		"+1 1 646 343 9507":              "it has 11 digits after the country code +1, a NANP number has 10",
		"646-343-95O7":                   `letter "O" at position 11` + characters,
		"1-800-FLOWERS":                  `letter "F" at position 7` + characters,
		" 646#343#9507":                  `character "#" at position 5` + characters,
		"646_343_9507":                   `character "_" at position 4` + characters,
		"646/343/9507":                   `character "/" at position 4` + characters,
		"６46 343 9507":                   `character "６" at position 1` + characters,
		"646\x00343\x1b9507":             `character "\x00" at position 4` + characters,
		"646\xff3439507":                 `character "\xff" at position 4` + characters,
		"646343\u202e9507":               `character "\u202e" at position 7` + characters,
		"1+6463439507":                   `"+" at position 2: a "+" may only come first, before the country code`,
		"++16463439507":                  `the "+" must be followed by the country code`,
		"1646343+9507":                   `"+" at position 8: a "+" may only come first, before the country code`,
		"+":                              `the "+" must be followed by the country code, as in "+1 646 343 9507"`,
		"+ 1 646 343 9507":               `the "+" must be followed by the country code, as in "+1 646 343 9507"`,
		"+(646) 343-9507":                `the "+" must be followed by the country code, as in "+1 646 343 9507"`,
		"(646 343-9507":                  `the "(" at position 1 is never closed`,
		"646) 343-9507":                  `")" at position 4 has no "(" before it`,
		"(646)) 343-9507":                `")" at position 6 has no "(" before it`,
		"((646)) 343-9507":               `second "(" at position 2: only the area code may be in parentheses`,
		"(646) (343) 9507":               `second "(" at position 7: only the area code may be in parentheses`,
		"(6463) 43-9507":                 "the parentheses at positions 1 and 6 enclose 4 digits: only the 3-digit area code may be in parentheses",
		"(1) 646 343 9507":               "the parentheses at positions 1 and 3 enclose 1 digit",
		"()6463439507":                   "the parentheses at positions 1 and 2 enclose 0 digits",
		"646 (343) 9507":                 "the parentheses at positions 5 and 9 enclose other digits than the area code, the 3 digits after the country code",
		"(164) 634-39507":                "the parentheses at positions 1 and 5 enclose other digits than the area code",
		"+1 646 (343) 9507":              "the parentheses at positions 8 and 12 enclose other digits than the area code",
		"(046) 343-9507":                 "the area code 046 starts with 0: a NANP area code starts with 2-9",
		"1 146 343 9507":                 "the area code 146 starts with 1: a NANP area code starts with 2-9",
		"646-043-9507":                   "the exchange 043 starts with 0: a NANP exchange starts with 2-9",
		"+1 646 143 9507":                "the exchange 143 starts with 1: a NANP exchange starts with 2-9",
		strings.Repeat("1234567890", 10): `invalid phone number "1234567890123456789012345678901234567890"...: it has 100 digits`,
	} {
		got, err := ParsePhoneNumber(s)
		if err == nil {
			t.Errorf("ParsePhoneNumber(%q) = %+v, want an error", s, got)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePhoneNumber(%q): %v\nwant it to contain: %s", s, err, want)
		}
		if got != (PhoneNumber{}) {
			t.Errorf("ParsePhoneNumber(%q) = %+v with the error", s, got)
		}
	}
}

func TestParsePhoneNumber_otherCountries(t *testing.T) {
	london := PhoneNumber{Number: "442079460958", E164: "+442079460958", CountryCode: "44", AreaCode: "20",
		Line: "79460958", National: "020 7946 0958"}
	for s, want := range map[string]PhoneNumber{
		"+44 20 7946 0958":    london,
		"+442079460958":       london,
		"+44 (0)20 7946 0958": london,
		" +44.20.7946-0958 ":  london,
		"+44 7911 123456": {Number: "447911123456", E164: "+447911123456", CountryCode: "44",
			Line: "7911123456", National: "07911 123456"},
		"+33 6 12 34 56 78": {Number: "33612345678", E164: "+33612345678", CountryCode: "33",
			Line: "612345678", National: "06 12 34 56 78"},
		// +64 is New Zealand's: a NANP number written with "+" needs its 1.
		"+6463439507": {Number: "6463439507", E164: "+6463439507", CountryCode: "64", AreaCode: "6",
			Line: "3439507", National: "06 343 9507"},
	} {
		if got, err := ParsePhoneNumber(s); err != nil || got != want {
			t.Errorf("ParsePhoneNumber(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
}

func TestPlace(t *testing.T) {
	for s, want := range map[string]Place{
		"+1 646 343 9507": {Region: "US", Location: "New York", TimeZones: []string{"America/New_York"},
			LineType: LineTypeFixedLineOrMobile},
		"+1 204 200 0000": {Region: "CA", Location: "Manitoba", TimeZones: []string{"America/Winnipeg"},
			LineType: LineTypeFixedLineOrMobile},
		"+1 201 200 0000": {Region: "US", Location: "Jersey City, NJ", TimeZones: []string{"America/New_York"},
			LineType: LineTypeFixedLineOrMobile},
		"+44 20 7946 0958": {Region: "GB", Location: "London", TimeZones: []string{"Europe/London"},
			LineType: LineTypeFixedLine},
		"+33 6 12 34 56 78": {Region: "FR", Location: "France", TimeZones: []string{"Europe/Paris"},
			LineType: LineTypeMobile},
		// A NANP number of an area code not in service parses, but no plan places it.
		"(200) 200-0000": {},
	} {
		n, err := ParsePhoneNumber(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Place(); !reflect.DeepEqual(got, want) {
			t.Errorf("ParsePhoneNumber(%q).Place() = %+v, want %+v", s, got, want)
		}
	}
	tollFree, _ := ParsePhoneNumber("+1 800 555 0199")
	if got := tollFree.Place(); got.Region != "US" || got.LineType != LineTypeTollFree || len(got.TimeZones) < 4 {
		t.Errorf("toll-free Place() = %+v", got)
	}

	for prefix, want := range map[string][2]string{
		"1201":    {"US", "New Jersey"},
		"1201200": {"US", "Jersey City, NJ"},
		"1204":    {"CA", "Manitoba"},
		"1416":    {"CA", "Ontario"},
		"1800":    {"US", ""},
		"1200":    {"", ""},
		"44":      {"", ""},
		"4420":    {"", ""},
		"1x01":    {"", ""},
	} {
		got := PlaceOfPrefix(prefix)
		if got.Region != want[0] || got.Location != want[1] {
			t.Errorf("PlaceOfPrefix(%q) = %+v, want region %q and location %q", prefix, got, want[0], want[1])
		}
	}
}

func TestNormalizePhoneNumber(t *testing.T) {
	if got, err := NormalizePhoneNumber("+1 (646) 343-9507"); got != "16463439507" || err != nil {
		t.Errorf(`NormalizePhoneNumber("+1 (646) 343-9507") = %q, %v`, got, err)
	}
	if got, err := NormalizePhoneNumber("646 343 950"); got != "" || err == nil ||
		!strings.Contains(err.Error(), "it has 9 digits") {
		t.Errorf(`NormalizePhoneNumber("646 343 950") = %q, %v`, got, err)
	}
}
