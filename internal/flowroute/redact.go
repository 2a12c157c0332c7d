package flowroute

import (
	"encoding/base64"
	"strings"
)

// redactionRun is the shortest run of a secret that is cut out of text taken
// from an answer: long enough to avoid cutting ordinary words, short enough
// that no useful part of a key survives.
const redactionRun = 6

const redacted = "[redacted]"

// SecretForms are the forms in which the secret key travels: itself, the
// access:secret pair, and that pair in base64 as the Authorization header
// carries it. Empty when there is no secret.
func SecretForms(accessKey, secretKey string) []string {
	if secretKey == "" {
		return nil
	}
	pair := accessKey + ":" + secretKey
	return []string{secretKey, pair, base64.StdEncoding.EncodeToString([]byte(pair))}
}

// redactor cuts every run of at least redactionRun characters of a secret
// form out of a text, so that an answer echoing the request's headers (a
// proxy's error page, say) shows no part of the key, whole or cut short.
type redactor struct {
	runs map[string]struct{} // every substring of length k of every form
	k    int
}

func newRedactor(forms ...string) *redactor {
	r := &redactor{runs: map[string]struct{}{}, k: redactionRun}
	for _, f := range forms {
		if f != "" {
			// A secret shorter than a run is cut whole wherever it appears.
			r.k = min(r.k, len(f))
		}
	}
	for _, f := range forms {
		for i := 0; i+r.k <= len(f); i++ {
			r.runs[f[i:i+r.k]] = struct{}{}
		}
	}
	return r
}

// redact replaces each stretch of s covered by runs of a secret with one
// marker.
func (r *redactor) redact(s string) string {
	if r == nil || len(r.runs) == 0 || len(s) < r.k {
		return s
	}
	covered := 0 // s[:covered] is part of a secret run, from start on
	start := -1
	var b strings.Builder
	written := 0
	for i := 0; i+r.k <= len(s); i++ {
		if _, hit := r.runs[s[i:i+r.k]]; !hit {
			continue
		}
		if start >= 0 && i <= covered {
			covered = i + r.k
			continue
		}
		if start >= 0 {
			b.WriteString(s[written:start])
			b.WriteString(redacted)
			written = covered
		}
		start, covered = i, i+r.k
	}
	if start < 0 {
		return s
	}
	b.WriteString(s[written:start])
	b.WriteString(redacted)
	b.WriteString(s[covered:])
	return b.String()
}

// redact is the client's redactor as a function, for error constructors.
func (c *Client) redact(s string) string { return c.secrets.redact(s) }
