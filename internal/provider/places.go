package provider

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// Places of area codes and exchanges, from libphonenumber's geocoding data:
// the Numbers API cannot filter those by place.

// stateNames maps the names the geocoding data gives NANP area codes to
// the US state and Canadian province codes. Some areas span several.
var stateNames = map[string][]string{
	"Alabama": {"AL"}, "Alaska": {"AK"}, "Arizona": {"AZ"}, "Arkansas": {"AR"}, "California": {"CA"},
	"Colorado": {"CO"}, "Connecticut": {"CT"}, "Delaware": {"DE"}, "Washington D.C.": {"DC"}, "Florida": {"FL"},
	"Georgia": {"GA"}, "Hawaii": {"HI"}, "Idaho": {"ID"}, "Illinois": {"IL"}, "Indiana": {"IN"}, "Iowa": {"IA"},
	"Kansas": {"KS"}, "Kentucky": {"KY"}, "Louisiana": {"LA"}, "Maine": {"ME"}, "Maryland": {"MD"},
	"Massachusetts": {"MA"}, "Michigan": {"MI"}, "Minnesota": {"MN"}, "Mississippi": {"MS"}, "Missouri": {"MO"},
	"Montana": {"MT"}, "Nebraska": {"NE"}, "Nevada": {"NV"}, "New Hampshire": {"NH"}, "New Jersey": {"NJ"},
	"New Mexico": {"NM"}, "New York": {"NY"}, "North Carolina": {"NC"}, "North Dakota": {"ND"}, "Ohio": {"OH"},
	"Oklahoma": {"OK"}, "Oregon": {"OR"}, "Pennsylvania": {"PA"}, "Rhode Island": {"RI"},
	"South Carolina": {"SC"}, "South Dakota": {"SD"}, "Tennessee": {"TN"}, "Texas": {"TX"}, "Utah": {"UT"},
	"Vermont": {"VT"}, "Virginia": {"VA"}, "Washington": {"WA"}, "Washington State": {"WA"},
	"West Virginia": {"WV"}, "Wisconsin": {"WI"}, "Wyoming": {"WY"},
	"Alberta": {"AB"}, "British Columbia": {"BC"}, "British Colombia": {"BC"}, "Manitoba": {"MB"},
	"New Brunswick": {"NB"}, "Newfoundland and Labrador": {"NL"}, "Nova Scotia/Prince Edward Island": {"NS", "PE"},
	"Northwest Territories/Nunavut/Yukon": {"NT", "NU", "YT"}, "Ontario": {"ON"}, "Quebec": {"QC"},
	"Saskatchewan": {"SK"},
}

// stateCodes are the codes the state filter takes, sorted.
var stateCodes = func() []string {
	var codes []string
	for _, c := range stateNames {
		for _, code := range c {
			if !slices.Contains(codes, code) {
				codes = append(codes, code)
			}
		}
	}
	slices.Sort(codes)
	return codes
}()

// statesOf are the state or province codes of a location: "New Jersey" or
// "Jersey City, NJ" is NJ.
func statesOf(location string) []string {
	if _, code, ok := strings.Cut(location, ", "); ok && slices.Contains(stateCodes, code) {
		return []string{code}
	}
	return stateNames[location]
}

// areaPlace is what the geocoding data says of an area code, and of an
// exchange within it when one is given.
type areaPlace struct {
	region, location string
	states           []string // of the area code
}

func placeOfArea(areaCode, exchange string) areaPlace {
	area := flowroute.PlaceOfPrefix("1" + areaCode)
	p := areaPlace{region: area.Region, location: area.Location, states: statesOf(area.Location)}
	if exchange != "" {
		p.location = flowroute.PlaceOfPrefix("1" + exchange).Location
	}
	return p
}

// in reports whether the place is in the state, any case; an unset filter
// takes every place.
func (p areaPlace) in(state types.String) bool {
	return state.IsNull() || slices.Contains(p.states, strings.ToUpper(state.ValueString()))
}

// stateFilterAttribute is the state argument of the area code and exchange
// data sources.
func stateFilterAttribute(items string) schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Keep only the " + items + " of this US state or Canadian province, such as `ny` or `MB`, in " +
			"either case. The API cannot filter by place: the data source then lists all the " + items + " and keeps " +
			"those whose area code the numbering plan data places there (" + numberingPlanSource + " An area code " +
			"it does not place, such as a toll-free one, matches no state.) `limit` and `offset` then count the " +
			"matches.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(stateCodes...)},
	}
}

// placeAttributes are the place attributes of each listed item.
func placeAttributes(attrs map[string]schema.Attribute, location string) map[string]schema.Attribute {
	attrs["region"] = computedString("The ISO 3166 code of the country or territory the area code belongs to, " +
		"such as `US`, `CA` or `PR`. Null when the numbering plan data does not place it.")
	attrs["location"] = computedString(location + " Null when the numbering plan data does not place it.")
	return attrs
}

// withPlaces keeps the items in the state filter, placed, then applies the
// offset and limit to the matches.
func withPlaces[T, E any](config *listArguments, state types.String, list func(limit *int, offset int) ([]T, error),
	place func(T) areaPlace, convert func(T, areaPlace) E, out *[]E) (int, error) {
	if state.IsNull() {
		items, err := list(config.limit(), config.offset())
		return storeList(items, err, out, func(item T) E { return convert(item, place(item)) })
	}
	items, err := list(nil, 0)
	if err != nil {
		return 0, err
	}
	matches := []E{}
	for _, item := range items {
		if p := place(item); p.in(state) {
			matches = append(matches, convert(item, p))
		}
	}
	matches = matches[min(config.offset(), len(matches)):]
	if limit := config.limit(); limit != nil && *limit < len(matches) {
		matches = matches[:*limit]
	}
	*out = matches
	return len(matches), nil
}
