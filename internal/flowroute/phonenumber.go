package flowroute

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PhoneNumber is a phone number of the North American Numbering Plan (NANP:
// the United States, Canada and part of the Caribbean), in each of the forms
// it is written in.
type PhoneNumber struct {
	Number      string // the API's form: E.164 digits without "+", such as "16463439507"
	E164        string // "+16463439507"
	CountryCode string // always "1"
	AreaCode    string // "646"
	Exchange    string // "343"
	Line        string // "9507"
	National    string // "(646) 343-9507"
}

// nanpCountryCode is the NANP's E.164 country code, the only one the Numbers
// API serves.
const nanpCountryCode = "1"

// maxQuotedInputRunes keeps a long input from flooding an error message.
const maxQuotedInputRunes = 40

// numberCharacters ends the error about a character that has no place in a
// phone number.
const numberCharacters = `a phone number has only the digits 0-9, spaces, dots, dashes, ` +
	`a "+" before the country code and parentheses around the area code`

// ParsePhoneNumber reads a NANP phone number in the forms people write it:
// "16463439507", "+16463439507", "6463439507", "+1 646 343 9507",
// "(646) 343-9507", "646.343.9507", "1-646-343-9507". Spaces, dots and
// dashes may separate the digits, and surrounding space is ignored; a "+"
// may only come first, right before the country code 1; one pair of
// parentheses may only enclose the area code. As the NANP requires, the area
// code and the exchange start with a digit from 2 to 9.
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
			if n := len(digits) - digitsBeforeParens; n != 3 {
				return fail("the parentheses at positions %d and %d enclose %s: only the 3-digit area code "+
					"may be in parentheses", openPos, pos, countDigits(n))
			}
			closePos = pos
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
		return fail("the country code is not 1: only NANP (+1) numbers are supported")
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

// NormalizePhoneNumber returns a NANP phone number, written in any form
// ParsePhoneNumber reads, in the API's form: "16463439507".
func NormalizePhoneNumber(s string) (string, error) {
	n, err := ParsePhoneNumber(s)
	return n.Number, err
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
