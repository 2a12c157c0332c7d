package flowroute

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// PhoneNumber is a phone number in each of the forms it is written in. Most
// are of the North American Numbering Plan (NANP: the United States, Canada
// and part of the Caribbean), the plan of the numbers Flowroute sells; a
// number of another country has no exchange.
type PhoneNumber struct {
	Number      string // the API's form: E.164 digits without "+", such as "16463439507"
	E164        string // "+16463439507"
	CountryCode string // "1"; "44" for the United Kingdom
	AreaCode    string // "646"; outside the NANP, the geographic area code, "" for a number without one
	Exchange    string // "343"; "" outside the NANP
	Line        string // "9507"; outside the NANP, the national number after the area code
	National    string // "(646) 343-9507"; "020 7946 0958" in the United Kingdom
}

const (
	// nanpCountryCode is the NANP's E.164 country code.
	nanpCountryCode = "1"
	// maxE164Digits is the most digits E.164 allows, the country code's included.
	maxE164Digits = 15
)

// maxQuotedInputRunes keeps a long input from flooding an error message.
const maxQuotedInputRunes = 40

// numberCharacters ends the error about a character that has no place in a
// phone number.
const numberCharacters = `a phone number has only the digits 0-9, spaces, dots, dashes, ` +
	`a "+" before the country code and parentheses around the area code`

// ParsePhoneNumber reads a phone number in the forms people write it:
// "16463439507", "+16463439507", "6463439507", "+1 646 343 9507",
// "(646) 343-9507", "646.343.9507", "1-646-343-9507", "+44 20 7946 0958".
// Spaces, dots and dashes may separate the digits, and surrounding space is
// ignored; a "+" may only come first, right before the country code. Without
// "+" the number is a NANP one, whose one pair of parentheses may only
// enclose the area code and whose area code and exchange start with a digit
// from 2 to 9, as the NANP requires; it need not be in service. A number
// after "+" and another country code must be one that country's numbering
// plan assigns (libphonenumber's data), and may hold the national prefix in
// parentheses, as in "+44 (0)20 7946 0958".
func ParsePhoneNumber(s string) (PhoneNumber, error) {
	fail := func(format string, args ...any) (PhoneNumber, error) {
		return PhoneNumber{}, fmt.Errorf("invalid phone number %s: %s", quoteInput(s), fmt.Sprintf(format, args...))
	}
	trimmed := strings.TrimLeftFunc(s, unicode.IsSpace)
	// Positions count the runes of s as given, from 1.
	pos := utf8.RuneCountInString(s[:len(s)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	if trimmed == "" {
		return fail("it is empty")
	}

	var (
		digits             []byte
		plus               bool
		openPos, closePos  int // positions of the parentheses, 0 when absent
		digitsBeforeParens int
	)
	for i := 0; i < len(trimmed); {
		r, size := utf8.DecodeRuneInString(trimmed[i:])
		char := trimmed[i : i+size]
		pos++
		switch {
		case '0' <= r && r <= '9':
			digits = append(digits, byte(r))
		case r == '.' || r == '-' || unicode.IsSpace(r):
		case r == '+':
			if i != 0 {
				return fail(`"+" at position %d: a "+" may only come first, before the country code`, pos)
			}
			if len(trimmed) == 1 || trimmed[1] < '0' || trimmed[1] > '9' {
				return fail(`the "+" must be followed by the country code, as in "+1 646 343 9507"`)
			}
			plus = true
		case r == '(':
			if openPos != 0 {
				return fail(`second "(" at position %d: only the area code may be in parentheses`, pos)
			}
			openPos, digitsBeforeParens = pos, len(digits)
		case r == ')':
			if openPos == 0 || closePos != 0 {
				return fail(`")" at position %d has no "(" before it`, pos)
			}
			closePos = pos
			if plus && digits[0] != '1' {
				break // another country's plan: the library reads its parentheses
			}
			if n := len(digits) - digitsBeforeParens; n != 3 {
				return fail("the parentheses at positions %d and %d enclose %s: only the 3-digit area code "+
					"may be in parentheses", openPos, pos, countDigits(n))
			}
		case unicode.IsLetter(r):
			return fail("letter %q at position %d: %s", char, pos, numberCharacters)
		default:
			return fail("character %q at position %d: %s", char, pos, numberCharacters)
		}
		i += size
	}
	if openPos != 0 && closePos == 0 {
		return fail(`the "(" at position %d is never closed`, openPos)
	}

	national := digits
	switch {
	case plus && digits[0] != '1':
		return parseInternational(trimmed, len(digits), fail)
	case plus:
		national = digits[1:]
		if len(national) != 10 {
			return fail("it has %s after the country code +1, a NANP number has 10", countDigits(len(national)))
		}
	case len(digits) == 11 && digits[0] == '1':
		national = digits[1:]
	case len(digits) == 11:
		return fail("it has 11 digits but does not start with the country code 1: a NANP number has 10 " +
			"(or 11 starting with 1)")
	case len(digits) == 0:
		return fail("it has no digits")
	case len(digits) != 10:
		return fail("it has %s, a NANP number has 10 (or 11 starting with 1)", countDigits(len(digits)))
	}
	if openPos != 0 && digitsBeforeParens != len(digits)-len(national) {
		return fail("the parentheses at positions %d and %d enclose other digits than the area code, "+
			"the 3 digits after the country code", openPos, closePos)
	}

	areaCode, exchange, line := string(national[:3]), string(national[3:6]), string(national[6:])
	if areaCode[0] < '2' {
		return fail("the area code %s starts with %c: a NANP area code starts with 2-9", areaCode, areaCode[0])
	}
	if exchange[0] < '2' {
		return fail("the exchange %s starts with %c: a NANP exchange starts with 2-9", exchange, exchange[0])
	}
	number := nanpCountryCode + string(national)
	return PhoneNumber{
		Number:      number,
		E164:        "+" + number,
		CountryCode: nanpCountryCode,
		AreaCode:    areaCode,
		Exchange:    exchange,
		Line:        line,
		National:    "(" + areaCode + ") " + exchange + "-" + line,
	}, nil
}

// parseInternational reads a number after "+" and a country code other
// than 1, whose characters have passed ParsePhoneNumber's checks.
func parseInternational(s string, digits int, fail func(string, ...any) (PhoneNumber, error)) (PhoneNumber, error) {
	n, err := phonenumbers.Parse(s, "")
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return fail("no country has the calling code it starts with")
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return fail("it has %s, an international number has at most %d", countDigits(digits), maxE164Digits)
	case err != nil:
		return fail("it has %s, too few for an international number", countDigits(digits))
	}
	country := strconv.Itoa(int(n.GetCountryCode()))
	regions := strings.Join(phonenumbers.GetRegionCodesForCountryCode(int(n.GetCountryCode())), ", ")
	if !phonenumbers.IsValidNumber(n) {
		nsn := phonenumbers.GetNationalSignificantNumber(n)
		switch phonenumbers.IsPossibleNumberWithReason(n) {
		case phonenumbers.TOO_SHORT:
			return fail("it has %s after the country code +%s, too few for a number of %s", countDigits(len(nsn)), country, regions)
		case phonenumbers.TOO_LONG:
			return fail("it has %s after the country code +%s, too many for a number of %s", countDigits(len(nsn)), country, regions)
		case phonenumbers.INVALID_COUNTRY_CODE:
			return fail("no country has the calling code +%s", country)
		}
		return fail("it is not a valid number of %s (+%s): their numbering plan has no number %s after the country code",
			regions, country, nsn)
	}
	nsn := phonenumbers.GetNationalSignificantNumber(n)
	areaCode := nsn[:phonenumbers.GetLengthOfGeographicalAreaCode(n)]
	number := country + nsn
	return PhoneNumber{
		Number:      number,
		E164:        "+" + number,
		CountryCode: country,
		AreaCode:    areaCode,
		Line:        nsn[len(areaCode):],
		National:    phonenumbers.Format(n, phonenumbers.NATIONAL),
	}, nil
}

// NormalizePhoneNumber returns a phone number, written in any form
// ParsePhoneNumber reads, in the API's form: "16463439507".
func NormalizePhoneNumber(s string) (string, error) {
	n, err := ParsePhoneNumber(s)
	return n.Number, err
}

// Place is what the numbering plans (libphonenumber's data) tell of a
// number: its zero value for a number no plan assigns, such as a NANP number
// of an area code not in service.
type Place struct {
	Region    string   // ISO 3166-1 alpha-2: "US", "CA", "GB"
	Location  string   // in English: "New York", "Manitoba", "Jersey City, NJ", "London"; "" when unknown
	TimeZones []string // IANA names, such as "America/New_York"; every zone of the country when the number has none of its own
	LineType  string   // one of the LineType constants
}

// Line types, as Place.LineType reads.
const (
	LineTypeFixedLine         = "fixed_line"
	LineTypeMobile            = "mobile"
	LineTypeFixedLineOrMobile = "fixed_line_or_mobile"
	LineTypeTollFree          = "toll_free"
	LineTypePremiumRate       = "premium_rate"
	LineTypeSharedCost        = "shared_cost"
	LineTypeVoIP              = "voip"
	LineTypePersonalNumber    = "personal_number"
	LineTypePager             = "pager"
	LineTypeUAN               = "uan"
	LineTypeVoicemail         = "voicemail"
	LineTypeUnknown           = "unknown"
)

// LineTypes are the line types, in the order the documentation lists them.
var LineTypes = []string{LineTypeFixedLine, LineTypeMobile, LineTypeFixedLineOrMobile, LineTypeTollFree,
	LineTypePremiumRate, LineTypeSharedCost, LineTypeVoIP, LineTypePersonalNumber, LineTypePager, LineTypeUAN,
	LineTypeVoicemail, LineTypeUnknown}

var lineTypes = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE:           LineTypeFixedLine,
	phonenumbers.MOBILE:               LineTypeMobile,
	phonenumbers.FIXED_LINE_OR_MOBILE: LineTypeFixedLineOrMobile,
	phonenumbers.TOLL_FREE:            LineTypeTollFree,
	phonenumbers.PREMIUM_RATE:         LineTypePremiumRate,
	phonenumbers.SHARED_COST:          LineTypeSharedCost,
	phonenumbers.VOIP:                 LineTypeVoIP,
	phonenumbers.PERSONAL_NUMBER:      LineTypePersonalNumber,
	phonenumbers.PAGER:                LineTypePager,
	phonenumbers.UAN:                  LineTypeUAN,
	phonenumbers.VOICEMAIL:            LineTypeVoicemail,
}

// Place looks the number up in the numbering plans.
func (n PhoneNumber) Place() Place {
	return placeOf(n.Number)
}

// PlaceOfPrefix is the place of the NANP numbers that start with these
// E.164 digits: an area code after the 1, such as "1201" ("New Jersey"), or
// an exchange, such as "1201200" ("Jersey City, NJ"). Its region, time zones
// and line type are those of a number of the prefix.
func PlaceOfPrefix(prefix string) Place {
	if len(prefix) < 4 || len(prefix) > 11 || !isDigits(prefix) || !strings.HasPrefix(prefix, nanpCountryCode) {
		return Place{}
	}
	place := placeOf(prefix + "2000000"[len(prefix)-4:])
	// Zeros reach no finer prefix in the geocoding data than the one asked.
	if n, err := phonenumbers.Parse("+"+prefix+"0000000"[len(prefix)-4:], ""); err == nil {
		place.Location, _ = phonenumbers.GetGeocodingForNumber(n, "en")
	}
	return place
}

func placeOf(number string) Place {
	n, err := phonenumbers.Parse("+"+number, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return Place{}
	}
	location, _ := phonenumbers.GetGeocodingForNumber(n, "en")
	zones, _ := phonenumbers.GetTimezonesForNumber(n)
	lineType, ok := lineTypes[phonenumbers.GetNumberType(n)]
	if !ok {
		lineType = LineTypeUnknown
	}
	return Place{Region: phonenumbers.GetRegionCodeForNumber(n), Location: location, TimeZones: zones, LineType: lineType}
}

func countDigits(n int) string {
	if n == 1 {
		return "1 digit"
	}
	return fmt.Sprintf("%d digits", n)
}

// quoteInput quotes an input for an error message: escaped, so that no
// control character reaches a terminal, and cut when long.
func quoteInput(s string) string {
	if utf8.RuneCountInString(s) <= maxQuotedInputRunes {
		return fmt.Sprintf("%q", s)
	}
	cut := 0
	for range maxQuotedInputRunes {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return fmt.Sprintf("%q...", s[:cut])
}
