// Command flowroute-sim serves a local simulator of Flowroute's Numbers API
// v2 for trying the provider without a Flowroute account. It prints the base
// URL for the provider's base_url on stdout and serves until interrupted.
// With -state-file the simulated account outlives the run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const (
	demoAccessKey = "demo-access-key"
	demoSecretKey = "demo-secret-key"
	shutdownGrace = 5 * time.Second
	// defaultCNAMApprovalDelay is long enough to see a preset pending,
	// short enough to see it approved without waiting Flowroute's 48 hours.
	defaultCNAMApprovalDelay = time.Minute
	// requestLogLimit bounds the simulator's request log, which the
	// command never reads, so a long run keeps a flat memory footprint.
	requestLogLimit = 10000
)

// errUsage reports bad flags, which the flag package has already explained.
var errUsage = errors.New("usage error")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "flowroute-sim:", err)
		os.Exit(1)
	}
}

var faultBodies = map[string]simulator.FaultBody{
	"":             simulator.BodyNormal,
	"truncated":    simulator.BodyTruncated,
	"malformed":    simulator.BodyMalformed,
	"html":         simulator.BodyHTML,
	"empty":        simulator.BodyEmpty,
	"echo-headers": simulator.BodyEchoHeaders,
	"cut-off":      simulator.BodyCutOff,
	"stall":        simulator.BodyStall,
}

const faultBodyNames = "truncated, malformed, html, empty, echo-headers, cut-off or stall"

// config holds the command's flags.
type config struct {
	listen, accessKey, secretKey string
	stateFile                    string
	seed                         int64
	size                         simulator.Size
	nextOnFull, logRequests      bool
	cnamApprovalDelay            time.Duration
	fault                        simulator.Fault
	faultOffset                  int
	faultBody                    string
}

// newFlagSet defines the flags, writing into c when parsed.
func newFlagSet(c *config, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("flowroute-sim", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: flowroute-sim [flags]

Serves a local simulator of Flowroute's Numbers API v2: the available area
codes, exchanges and numbers, the account's numbers (list, purchase, update,
release), its routes, E911 addresses and CNAM presets. The first line on
stdout is the base URL to put in the provider's base_url; notes go to stderr.
Stop it with Ctrl-C (SIGINT) or SIGTERM.

Flags:
`)
		fs.PrintDefaults()
	}

	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
	fs.StringVar(&c.accessKey, "access-key", "", "basic-auth access `key` (default $FLOWROUTE_ACCESS_KEY, else "+demoAccessKey+")")
	fs.StringVar(&c.secretKey, "secret-key", "", "basic-auth secret `key` (default $FLOWROUTE_SECRET_KEY, else "+demoSecretKey+")")
	fs.Int64Var(&c.seed, "seed", simulator.DefaultSeed, "inventory seed: the same seed and size give the same numbers")
	fs.IntVar(&c.size.AreaCodes, "area-codes", simulator.DefaultSize.AreaCodes, "number of area codes in the inventory")
	fs.IntVar(&c.size.ExchangesPerAreaCode, "exchanges-per-area-code", simulator.DefaultSize.ExchangesPerAreaCode, "exchanges per area code")
	fs.IntVar(&c.size.NumbersPerExchange, "numbers-per-exchange", simulator.DefaultSize.NumbersPerExchange, "numbers per exchange")
	fs.BoolVar(&c.nextOnFull, "next-on-full-last-page", false, "send links.next on an exactly full last page too")
	fs.BoolVar(&c.logRequests, "log", false, "print each request (method, path, query, auth ok, user agent) to stderr")
	fs.DurationVar(&c.cnamApprovalDelay, "cnam-approval-delay", defaultCNAMApprovalDelay,
		"approve each new or changed CNAM preset after this `duration`, as Flowroute's review would; 0 leaves them pending")
	fs.StringVar(&c.stateFile, "state-file", "", "keep the account (its numbers, their settings, its routes, E911 addresses "+
		"and CNAM presets, and the last ids handed out, never handed out again) in this JSON `file`: "+
		"loaded at start (a missing file is an empty account), saved after every change; default in memory only")

	f := &c.fault
	fs.StringVar(&f.Method, "fault-method", "", "inject the fault only on requests with this `method` (e.g. POST); default any")
	fs.StringVar(&f.Path, "fault-path", "", "inject the fault only on this URL `path` (e.g. "+simulator.PathAreaCodes+"); default any")
	fs.StringVar(&f.PathPrefix, "fault-path-prefix", "", "inject the fault only on URL paths starting with this `prefix` (e.g. /v2/numbers/1, every number); default any")
	fs.IntVar(&c.faultOffset, "fault-offset", -1, "inject the fault only on requests with this `offset`; -1 means any")
	fs.IntVar(&f.Times, "fault-times", 0, "inject the fault on this many matching requests, then stop; 0 means forever")
	fs.IntVar(&f.Status, "fault-status", 0, "answer this HTTP `status` (200 to 599) with a JSON errors body (e.g. 429, 503)")
	fs.StringVar(&f.RetryAfter, "fault-retry-after", "", "send this Retry-After header `value` with the fault")
	fs.DurationVar(&f.Latency, "latency", 0, "delay matching answers by this `duration` (e.g. 2s)")
	fs.StringVar(&c.faultBody, "fault-body", "", "damage the body: "+faultBodyNames+" (status 200 unless -fault-status)")
	fs.IntVar(&f.ExtraItems, "fault-extra-items", 0, "answer pages with this many more items than asked")
	fs.IntVar(&f.Overlap, "fault-overlap", 0, "start pages this many items before the asked offset (duplicates across pages)")
	fs.StringVar(&f.ForeignNext, "fault-foreign-next", "", "send this absolute `URL` (another host) as links.next")
	fs.BoolVar(&f.StuckNext, "fault-stuck-next", false, "send links.next pointing at the same offset forever")
	fs.BoolVar(&f.ResetConnection, "fault-reset", false, "drop the connection without answering")
	fs.BoolVar(&f.ActFirst, "fault-act-first", false, "carry the request out (purchase, update, release) before the latency, reset or status")
	fs.DurationVar(&f.ActLater, "fault-act-later", 0, "hold matching requests and carry them out after this `duration`, "+
		"whether or not the client still waits, as a server that finishes after the client left (e.g. 30s on POST: a "+
		"purchase that completes late)")
	fs.BoolVar(&f.TakeNumber, "fault-take-number", false, "on a purchase, have another account buy the number just before it")
	return fs
}

// run serves until ctx ends. The base URL is the only thing written to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlagSet(&c, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %q\n", fs.Args())
		fs.Usage()
		return errUsage
	}
	if c.cnamApprovalDelay < 0 {
		return fmt.Errorf("-cnam-approval-delay %s: want 0 or more", c.cnamApprovalDelay)
	}
	fault := c.fault
	body, ok := faultBodies[c.faultBody]
	if !ok {
		return fmt.Errorf("-fault-body %q: want %s", c.faultBody, faultBodyNames)
	}
	fault.Body = body
	if err := fault.Validate(); err != nil {
		return fmt.Errorf("-fault-* flags: %w", err)
	}
	if c.faultOffset >= 0 {
		fault.Offset = &c.faultOffset
	}

	// One logger serializes every stderr write, including those from handlers.
	notes := log.New(stderr, "", 0)
	keyNote := ""
	accessKey, secretKey := firstSet(c.accessKey, os.Getenv("FLOWROUTE_ACCESS_KEY")), firstSet(c.secretKey, os.Getenv("FLOWROUTE_SECRET_KEY"))
	switch {
	case accessKey == "" && secretKey == "":
		accessKey, secretKey = demoAccessKey, demoSecretKey
		keyNote = fmt.Sprintf("no keys given: using the demo keys, access key %q and secret key %q", demoAccessKey, demoSecretKey)
	case accessKey == "" || secretKey == "":
		return errors.New("give both keys (-access-key/-secret-key or FLOWROUTE_ACCESS_KEY/FLOWROUTE_SECRET_KEY), or neither for the demo keys")
	case strings.Contains(accessKey, ":"):
		return errors.New("the access key must not contain ':', which basic auth cannot carry")
	default:
		keyNote = "using the access and secret keys given"
	}

	opts := simulator.Options{
		AccessKey:          accessKey,
		SecretKey:          secretKey,
		Inventory:          simulator.Generate(c.seed, c.size),
		NextOnFullLastPage: c.nextOnFull,
		RequestLogLimit:    requestLogLimit,
		CNAMApprovalDelay:  c.cnamApprovalDelay,
	}
	if c.logRequests {
		opts.OnRequest = func(r simulator.Request) {
			target := r.Path
			if len(r.Query) > 0 {
				target += "?" + r.Query.Encode()
			}
			notes.Printf("%s %s %s auth=%v ua=%q", time.Now().Format(time.TimeOnly), r.Method, target, r.AuthOK, r.UserAgent)
		}
	}
	var state *stateFile
	if c.stateFile != "" {
		state = &stateFile{path: c.stateFile, notes: notes}
		opts.OnAccountChange = state.save
	}
	sim := simulator.New(opts)
	accountNote := "account: in memory only; -state-file keeps it across runs"
	if state != nil {
		state.sim = sim
		if err := state.load(); err != nil {
			return fmt.Errorf("-state-file: %w", err)
		}
		accountNote = fmt.Sprintf("account: %d numbers owned, kept in %s", len(sim.OwnedNumbers()), c.stateFile)
	}
	faultSet := fault != (simulator.Fault{Method: fault.Method, Path: fault.Path, PathPrefix: fault.PathPrefix,
		Offset: fault.Offset, Times: fault.Times})
	if faultSet {
		sim.AddFault(fault)
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.listen)
	if err != nil {
		return err
	}
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		ln.Close()
		return fmt.Errorf("listening on %s: not a TCP address", ln.Addr())
	}
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1" // every interface includes loopback
	}
	baseURL := "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port)) + "/v2"
	if _, err := fmt.Fprintln(stdout, baseURL); err != nil {
		ln.Close()
		return err
	}

	notes.Printf("flowroute-sim: Flowroute Numbers API v2 simulator at %s", baseURL)
	if addr.IP.IsLoopback() {
		notes.Printf("listening on loopback only (%s); use -listen to change that", addr)
	} else {
		notes.Printf("WARNING: listening on %s, not loopback: anyone who can reach this address can use the simulator", addr)
	}
	notes.Print(keyNote)
	notes.Printf("inventory: seed %d, %d area codes, %d exchanges, %d numbers",
		c.seed, len(sim.Inventory().AreaCodes(nil)), len(sim.Inventory().Exchanges("", nil)), len(sim.Inventory().Numbers))
	notes.Print(accountNote)
	if faultSet {
		notes.Printf("fault injected: %+v", describeFault(fault))
	}
	notes.Printf("provider setting: base_url = %q; stop with Ctrl-C", baseURL)

	srv := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          notes,
		// Requests see ctx, so delayed answers stop waiting on shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	notes.Print("flowroute-sim: stopped")
	return nil
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// describeFault shows the fault with its offset dereferenced.
func describeFault(f simulator.Fault) string {
	offset := "any"
	if f.Offset != nil {
		offset = fmt.Sprint(*f.Offset)
	}
	f.Offset = nil
	return fmt.Sprintf("offset=%s %+v", offset, f)
}

// stateFile keeps the simulator's account in a file across runs.
type stateFile struct {
	path  string
	notes *log.Logger
	sim   *simulator.Server
	mu    sync.Mutex // one write at a time, each of the account as it is then
}

// load reads the account saved at path, if any, and writes it back at once
// so that a path that cannot be written fails at start.
func (f *stateFile) load() error {
	file, err := os.Open(f.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		err = f.sim.LoadAccount(file)
		file.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
	}
	return f.write()
}

// save is the simulator's OnAccountChange: a failed save is noted and the
// simulator serves on.
func (f *stateFile) save() {
	if err := f.write(); err != nil {
		f.notes.Printf("saving the account: %v", err)
	}
}

// write replaces the file through a rename, so that it always holds a whole
// account, the old one or the new one.
func (f *stateFile) write() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	tmp, err := os.CreateTemp(filepath.Dir(f.path), "."+filepath.Base(f.path)+".*")
	if err != nil {
		return err
	}
	err = f.sim.SaveAccount(tmp)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
