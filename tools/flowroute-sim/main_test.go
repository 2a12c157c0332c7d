package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read stderr while the server may still write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start runs the command and returns the base URL it printed, its stderr,
// and a stop function that returns run's error.
func start(t *testing.T, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, stdoutW, stderr)
		stdoutW.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no base URL: %v; stderr: %s", err, stderr)
	}
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("run did not stop")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	return strings.TrimSuffix(line, "\n"), stderr, stop
}

func get(t *testing.T, url, user, password string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestRunServesTheAPI(t *testing.T) {
	baseURL, stderr, stop := start(t, "-listen", "127.0.0.1:0", "-access-key", "AK", "-secret-key", "hunter2-secret", "-log")
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") || !strings.HasSuffix(baseURL, "/v2") || strings.HasSuffix(baseURL, ":0/v2") {
		t.Fatalf("base URL %q", baseURL)
	}
	status, _, body := get(t, baseURL+"/numbers/available/areacodes?limit=2", "AK", "hunter2-secret")
	if status != http.StatusOK || !strings.Contains(body, `"id":"201"`) ||
		!strings.Contains(body, `"next":"`+baseURL+`/numbers/available/areacodes?limit=2&offset=2"`) {
		t.Fatalf("%d %s", status, body)
	}
	if status, _, _ := get(t, baseURL+"/numbers/available/areacodes", "AK", "wrong"); status != http.StatusUnauthorized {
		t.Fatalf("wrong key: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	notes := stderr.String()
	for _, want := range []string{
		"loopback only",
		"using the access and secret keys given",
		`GET /v2/numbers/available/areacodes?limit=2 auth=true ua="Go-http-client/1.1"`,
		"auth=false",
		"stopped",
	} {
		if !strings.Contains(notes, want) {
			t.Fatalf("stderr lacks %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "hunter2") {
		t.Fatalf("stderr shows the secret:\n%s", notes)
	}
}

func TestRunKeysFromEnvironmentOrDemo(t *testing.T) {
	t.Setenv("FLOWROUTE_ACCESS_KEY", "env-ak")
	t.Setenv("FLOWROUTE_SECRET_KEY", "env-sk")
	baseURL, _, stop := start(t, "-listen", "127.0.0.1:0")
	if status, _, _ := get(t, baseURL+"/numbers/available", "env-ak", "env-sk"); status != http.StatusOK {
		t.Fatalf("env keys: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	t.Setenv("FLOWROUTE_ACCESS_KEY", "")
	t.Setenv("FLOWROUTE_SECRET_KEY", "")
	baseURL, stderr, stop := start(t, "-listen", "127.0.0.1:0")
	if status, _, _ := get(t, baseURL+"/numbers/available", demoAccessKey, demoSecretKey); status != http.StatusOK {
		t.Fatalf("demo keys: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "demo keys") {
		t.Fatalf("no word about demo keys:\n%s", stderr)
	}

	err := run(context.Background(), []string{"-access-key", "only-one"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "both keys") {
		t.Fatalf("one key: %v", err)
	}
}

func TestRunFaultsAndSize(t *testing.T) {
	baseURL, stderr, stop := start(t, "-listen", "127.0.0.1:0", "-access-key", "AK", "-secret-key", "SK",
		"-area-codes", "3", "-exchanges-per-area-code", "1", "-numbers-per-exchange", "2", "-next-on-full-last-page",
		"-fault-path", "/v2/numbers/available/areacodes", "-fault-status", "429", "-fault-retry-after", "7", "-fault-times", "1")
	status, header, _ := get(t, baseURL+"/numbers/available/areacodes", "AK", "SK")
	if status != http.StatusTooManyRequests || header.Get("Retry-After") != "7" {
		t.Fatalf("fault: %d %v", status, header)
	}
	status, _, body := get(t, baseURL+"/numbers/available/areacodes?limit=3", "AK", "SK")
	if status != http.StatusOK || strings.Count(body, `"type":"areacode"`) != 3 || !strings.Contains(body, `"next"`) {
		t.Fatalf("after the fault: %d %s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "3 area codes, 3 exchanges, 6 numbers") || !strings.Contains(stderr.String(), "fault injected") {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

func TestRunWarnsOffLoopback(t *testing.T) {
	baseURL, stderr, stop := start(t, "-listen", "0.0.0.0:0", "-fault-body", "empty", "-fault-times", "1")
	status, _, body := get(t, baseURL+"/numbers/available", demoAccessKey, demoSecretKey)
	if status != http.StatusOK || body != "" {
		t.Fatalf("empty-body fault: %d %q", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "WARNING") {
		t.Fatalf("no warning:\n%s", stderr)
	}
}

func TestRunFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, name := range []string{"listen", "access-key", "secret-key", "seed", "area-codes", "exchanges-per-area-code",
		"numbers-per-exchange", "next-on-full-last-page", "log", "fault-path", "fault-offset", "fault-times",
		"fault-status", "fault-retry-after", "latency", "fault-body", "fault-extra-items", "fault-overlap",
		"fault-foreign-next", "fault-stuck-next", "fault-reset", "state-file", "fault-method", "fault-path-prefix",
		"fault-act-first", "fault-take-number", "cnam-approval-delay", "fault-act-later"} {
		if !strings.Contains(out.String(), "  -"+name) {
			t.Fatalf("usage lacks -%s:\n%s", name, out.String())
		}
	}
	if !strings.HasPrefix(out.String(), "Usage: flowroute-sim") || !strings.Contains(out.String(), "the account's numbers") {
		t.Fatalf("usage header:\n%s", out.String())
	}

	for _, args := range [][]string{{"-nope"}, {"stray"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Fatalf("%v: %v", args, err)
		}
	}
	for _, args := range [][]string{{"-fault-body", "soggy"}, {"-fault-status", "42"}, {"-fault-method", "post"},
		{"-fault-act-first"}, {"-fault-take-number", "-fault-method", "GET"}, {"-cnam-approval-delay", "-1s"},
		{"-fault-act-later", "1s", "-fault-status", "503"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil || errors.Is(err, errUsage) {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:notaport"}, io.Discard, io.Discard); err == nil {
		t.Fatal("accepted a bad -listen")
	}
}

// TestRunRejectsNonFinalStatus: Go sends 1xx as an interim response and a
// 200 after it, so such a fault would not be the one asked for.
func TestRunRejectsNonFinalStatus(t *testing.T) {
	// Cancelled, so that a status accepted by mistake stops at once
	// instead of serving.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, status := range []string{"100", "103", "199", "600"} {
		err := run(ctx, []string{"-listen", "127.0.0.1:0", "-fault-status", status}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "fault status") || !strings.Contains(err.Error(), "200 to 599") {
			t.Fatalf("-fault-status %s: %v", status, err)
		}
	}
}

func TestListenDefaultsToLoopback(t *testing.T) {
	def := newFlagSet(&config{}, io.Discard).Lookup("listen").DefValue
	host, _, err := net.SplitHostPort(def)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		t.Fatalf("-listen defaults to %q, not a loopback address", def)
	}
}

// send sends a request with the demo keys and returns the status and body.
func send(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.SetBasicAuth(demoAccessKey, demoSecretKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

// forSale returns the first numbers for sale.
func forSale(t *testing.T, baseURL string, limit string) []string {
	t.Helper()
	status, body := send(t, http.MethodGet, baseURL+"/numbers/available?limit="+limit, "")
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	var numbers []string
	for _, item := range page.Data {
		numbers = append(numbers, item.ID)
	}
	return numbers
}

func TestRunStateFile(t *testing.T) {
	t.Setenv("FLOWROUTE_ACCESS_KEY", "")
	t.Setenv("FLOWROUTE_SECRET_KEY", "")
	dir := t.TempDir()
	path := filepath.Join(dir, "account.json")

	baseURL, stderr, stop := start(t, "-listen", "127.0.0.1:0", "-state-file", path)
	if saved, err := os.ReadFile(path); err != nil || !strings.Contains(string(saved), `"numbers": []`) {
		t.Fatalf("not written at start: %v %s", err, saved)
	}
	numbers := forSale(t, baseURL, "2")
	for _, number := range numbers {
		if status, body := send(t, http.MethodPost, baseURL+"/numbers/"+number, ""); status != http.StatusCreated {
			t.Fatalf("purchase: %d %s", status, body)
		}
	}
	if status, body := send(t, http.MethodPatch, baseURL+"/numbers/"+numbers[1], `{"type": "number", "alias": "Main", "messaging_enabled": true}`); status != http.StatusOK {
		t.Fatalf("update: %d %s", status, body)
	}
	if status, body := send(t, http.MethodDelete, baseURL+"/numbers/"+numbers[0], ""); status != http.StatusNoContent {
		t.Fatalf("release: %d %s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "account: 0 numbers owned, kept in "+path) {
		t.Fatalf("stderr:\n%s", stderr)
	}

	baseURL, stderr, stop = start(t, "-listen", "127.0.0.1:0", "-state-file", path)
	status, body := send(t, http.MethodGet, baseURL+"/numbers/"+numbers[1], "")
	if status != http.StatusOK || !strings.Contains(body, `"alias":"Main"`) || !strings.Contains(body, `"messaging_enabled":true`) {
		t.Fatalf("after a restart: %d %s", status, body)
	}
	if status, _ := send(t, http.MethodGet, baseURL+"/numbers/"+numbers[0], ""); status != http.StatusNotFound {
		t.Fatalf("released number: %d", status)
	}
	if now := forSale(t, baseURL, "1"); now[0] != numbers[0] {
		t.Fatalf("first for sale %v, want the released %s", now, numbers[0])
	}
	if status, _ := send(t, http.MethodPost, baseURL+"/numbers/"+numbers[1], ""); status != http.StatusUnprocessableEntity {
		t.Fatalf("an owned number for sale after a restart: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "account: 1 numbers owned") {
		t.Fatalf("stderr:\n%s", stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}

	// Without the flag, nothing is kept.
	baseURL, _, stop = start(t, "-listen", "127.0.0.1:0")
	if status, _ := send(t, http.MethodGet, baseURL+"/numbers/"+numbers[1], ""); status != http.StatusNotFound {
		t.Fatalf("in memory: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// A record deleted before a restart keeps its id to itself: a stale state
// that still names it must not find another record there.
func TestRunStateFileNeverReusesIDs(t *testing.T) {
	t.Setenv("FLOWROUTE_ACCESS_KEY", "")
	t.Setenv("FLOWROUTE_SECRET_KEY", "")
	path := filepath.Join(t.TempDir(), "account.json")
	records := []struct{ path, body string }{
		{"/routes", `{"data": {"type": "route", "attributes": {"route_type": "host", "value": "pbx.example.com", "alias": "pbx"}}}`},
		{"/e911s", `{"data": {"type": "e911", "attributes": {"label": "HQ", "first_name": "Chris", "last_name": "Smith",
			"street_number": "1218", "street_name": "3rd Ave", "city": "Seattle", "state": "WA", "country": "US", "zip": "98101"}}}`},
		{"/cnams", `{"value": "ACME SUPPORT"}`},
	}
	idPattern := regexp.MustCompile(`"id":\s*"([0-9]+)"`)
	create := func(baseURL, path, body string) string {
		t.Helper()
		status, answer := send(t, http.MethodPost, baseURL+path, body)
		match := idPattern.FindStringSubmatch(answer)
		if status != http.StatusCreated || match == nil {
			t.Fatalf("POST %s: %d %s", path, status, answer)
		}
		return match[1]
	}

	baseURL, _, stop := start(t, "-listen", "127.0.0.1:0", "-state-file", path)
	deleted := map[string]string{}
	for _, r := range records {
		id := create(baseURL, r.path, r.body)
		if status, answer := send(t, http.MethodDelete, baseURL+r.path+"/"+id, ""); status != http.StatusNoContent {
			t.Fatalf("DELETE %s/%s: %d %s", r.path, id, status, answer)
		}
		deleted[r.path] = id
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	baseURL, _, stop = start(t, "-listen", "127.0.0.1:0", "-state-file", path)
	for _, r := range records {
		if id := create(baseURL, r.path, r.body); id <= deleted[r.path] {
			t.Errorf("%s: id %s after a restart, want one after the deleted %s", r.path, id, deleted[r.path])
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRunRefusesBadStateFiles(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.json")
	if err := os.WriteFile(corrupt, []byte(`{"numbers": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{corrupt, dir, filepath.Join(dir, "missing", "account.json")} {
		err := run(context.Background(), []string{"-listen", "127.0.0.1:0", "-state-file", path}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-state-file") {
			t.Fatalf("%s: %v", path, err)
		}
	}
}

func TestRunRefusesColonInAccessKey(t *testing.T) {
	err := run(context.Background(), []string{"-access-key", "a:b", "-secret-key", "s"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "':'") {
		t.Fatalf("%v", err)
	}
}

func TestRunWritePathFaults(t *testing.T) {
	t.Setenv("FLOWROUTE_ACCESS_KEY", "")
	t.Setenv("FLOWROUTE_SECRET_KEY", "")
	baseURL, stderr, stop := start(t, "-listen", "127.0.0.1:0", "-fault-method", "POST", "-fault-path-prefix", "/v2/numbers/1",
		"-fault-act-first", "-fault-reset", "-fault-times", "1")
	number := forSale(t, baseURL, "1")[0]
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/numbers/"+number, nil)
	req.SetBasicAuth(demoAccessKey, demoSecretKey)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if status, body := send(t, http.MethodGet, baseURL+"/numbers/"+number, ""); status != http.StatusOK {
		t.Fatalf("bought before the reset: %d %s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "fault injected") || !strings.Contains(stderr.String(), "ActFirst:true") {
		t.Fatalf("stderr:\n%s", stderr)
	}

	baseURL, _, stop = start(t, "-listen", "127.0.0.1:0", "-fault-method", "POST", "-fault-take-number", "-fault-body", "echo-headers")
	number = forSale(t, baseURL, "1")[0]
	if status, body := send(t, http.MethodPost, baseURL+"/numbers/"+number, ""); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Authorization: Basic ") {
		t.Fatalf("taken: %d %s", status, body)
	}
	if now := forSale(t, baseURL, "1"); now[0] == number {
		t.Fatal("the taken number is for sale")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRunCNAMApprovalDelay(t *testing.T) {
	t.Setenv("FLOWROUTE_ACCESS_KEY", "")
	t.Setenv("FLOWROUTE_SECRET_KEY", "")
	for delay, approved := range map[string]bool{"10ms": true, "0": false} {
		baseURL, _, stop := start(t, "-listen", "127.0.0.1:0", "-cnam-approval-delay", delay)
		if status, body := send(t, http.MethodPost, baseURL+"/cnams", `{"value": "ACME"}`); status != http.StatusCreated ||
			!strings.Contains(body, `"is_approved":false`) {
			t.Fatalf("%s: create: %d %s", delay, status, body)
		}
		time.Sleep(50 * time.Millisecond)
		if _, body := send(t, http.MethodGet, baseURL+"/cnams/23454", ""); strings.Contains(body, `"is_approved":true`) != approved {
			t.Fatalf("%s: %s", delay, body)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}
