// Command provider-profile is the provider as main.go serves it, writing a
// CPU profile of its process to PROFILE_DIR/cpu-<pid>.pprof, and its peak
// resident memory (VmHWM) to PROFILE_DIR/mem-<pid>.txt. The CLI starts
// it as it would start the provider (tools/bench-cpu.sh -profile does), to
// find where the provider's CPU goes. It is a benchmark tool and is never
// released.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/provider"
)

func main() {
	dir := os.Getenv("PROFILE_DIR")
	if dir == "" {
		log.Fatal("PROFILE_DIR is not set")
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	err = provider.Serve(context.Background(), "profile", false)
	pprof.StopCPUProfile()
	if status, serr := os.ReadFile("/proc/self/status"); serr == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("mem-%d.txt", os.Getpid())), []byte(line+"\n"), 0o644)
			}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Fatal(err)
	}
}
