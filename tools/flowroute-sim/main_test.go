package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
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
		"GET /v2/numbers/available/areacodes?limit=2 auth=true",
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
		"fault-foreign-next", "fault-stuck-next", "fault-reset"} {
		if !strings.Contains(out.String(), "  -"+name) {
			t.Fatalf("usage lacks -%s:\n%s", name, out.String())
		}
	}
	if !strings.HasPrefix(out.String(), "Usage: flowroute-sim") {
		t.Fatalf("usage header:\n%s", out.String())
	}

	for _, args := range [][]string{{"-nope"}, {"stray"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Fatalf("%v: %v", args, err)
		}
	}
	for _, args := range [][]string{{"-fault-body", "soggy"}, {"-fault-status", "42"}} {
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
		if err == nil || !strings.Contains(err.Error(), "-fault-status") || !strings.Contains(err.Error(), "200 to 599") {
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
