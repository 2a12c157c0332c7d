// Package release holds the release tooling (goreleaser, a tool of this
// module, so that the provider's own module does not depend on it) and the
// test of what make release-snapshot produces.
package release

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"
)

// platforms are the os_arch pairs of .goreleaser.yml's builds.
var platforms = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

// TestSnapshotRelease checks what the registries require of a release in
// dist/ (a zip per platform, the SHA256SUMS file, the manifest with protocol
// 6.0), then installs the linux_amd64 zip as a team would, unpacked into a
// filesystem mirror, and runs init and apply of examples/demo from it on
// OpenTofu against the simulator, in a temporary home directory.
func TestSnapshotRelease(t *testing.T) {
	dist, version, tofu := os.Getenv("RELEASE_DIST"), os.Getenv("RELEASE_VERSION"), os.Getenv("RELEASE_TOFU")
	if dist == "" || version == "" || tofu == "" {
		t.Skip("make test-release runs this test after make release-snapshot")
	}
	prefix := "terraform-provider-flowroute_" + version
	sums := readSums(t, filepath.Join(dist, prefix+"_SHA256SUMS"))

	zips, err := filepath.Glob(filepath.Join(dist, prefix+"_*.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, z := range zips {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(z), prefix+"_"), ".zip"))
	}
	if want := slices.Sorted(slices.Values(platforms)); !slices.Equal(got, want) {
		t.Fatalf("zips for %v, want %v", got, want)
	}
	binary := "terraform-provider-flowroute_v" + version
	for _, z := range zips {
		checkSum(t, sums, z)
		want := binary
		if strings.Contains(filepath.Base(z), "_windows_") {
			want += ".exe"
		}
		if names := zipNames(t, z); !slices.Contains(names, want) {
			t.Errorf("%s holds %v, not %s", filepath.Base(z), names, want)
		}
	}

	manifest := filepath.Join(dist, prefix+"_manifest.json")
	checkSum(t, sums, manifest)
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(readFile(t, manifest), &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest %+v, want version 1 and protocol_versions [6.0]", m)
	}
	if len(sums) != len(platforms)+1 {
		t.Errorf("SHA256SUMS lists %d files, want the %d zips and the manifest", len(sums), len(platforms))
	}

	installFromMirror(t, filepath.Join(dist, prefix+"_linux_amd64.zip"), version, tofu)
}

// installFromMirror unpacks the zip into a filesystem mirror, and runs init
// and apply of examples/demo from it.
func installFromMirror(t *testing.T, zipPath, version, tofu string) {
	home := t.TempDir()
	mirror := filepath.Join(home, "mirror")
	unzip(t, zipPath, filepath.Join(mirror, "registry.opentofu.org/flowroute-community/flowroute", version, "linux_amd64"))
	cliConfig := filepath.Join(home, "mirror.tfrc")
	// No direct source: the provider can come from the mirror only.
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.opentofu.org/flowroute-community/flowroute"]
  }
}
`, mirror))
	config := filepath.Join(home, "demo")
	writeFile(t, filepath.Join(config, "main.tf"), readFile(t, "../../examples/demo/main.tf"))

	baseURL, simLog := startSimulator(t)
	env := append(os.Environ(), "HOME="+home, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1",
		"TF_PLUGIN_CACHE_DIR=", "FLOWROUTE_BASE_URL="+baseURL,
		"FLOWROUTE_ACCESS_KEY=release-test-access", "FLOWROUTE_SECRET_KEY=release-test-secret")
	run := func(args ...string) string {
		cmd := exec.Command(tofu, append([]string{"-chdir=" + config}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tofu %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	if out := run("init", "-input=false", "-no-color"); !strings.Contains(out, "Installing flowroute-community/flowroute v"+version) {
		t.Fatalf("init did not install version %s:\n%s", version, out)
	}
	lock := string(readFile(t, filepath.Join(config, ".terraform.lock.hcl")))
	zipHash, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`provider "registry.opentofu.org/flowroute-community/flowroute" {`,
		`version = "` + version + `"`,
		`"` + zipHash + `"`,
	} {
		if !strings.Contains(lock, want) {
			t.Errorf("the lock file lacks %s (%s is the h1 hash of the zip's contents):\n%s", want, zipHash, lock)
		}
	}

	run("apply", "-auto-approve", "-input=false", "-no-color")
	if count := strings.TrimSpace(run("output", "-raw", "area_code_count")); count == "0" || count == "" {
		t.Errorf("the demo listed %q area codes", count)
	}
	if ua, log := "ua=\"terraform-provider-flowroute/"+version+" ", readFile(t, simLog); !bytes.Contains(log, []byte(ua)) {
		t.Errorf("no request with the user agent %s...:\n%s", ua, log)
	}
}

// startSimulator builds and starts tools/flowroute-sim on a free loopback
// port with the test's keys, until the test ends. It logs each request to
// the file it returns.
func startSimulator(t *testing.T) (baseURL, logPath string) {
	dir := t.TempDir()
	bin, logPath := filepath.Join(dir, "flowroute-sim"), filepath.Join(dir, "sim.log")
	if out, err := exec.Command("go", "build", "-C", "../..", "-o", bin, "./tools/flowroute-sim").CombinedOutput(); err != nil {
		t.Fatalf("building the simulator: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-log",
		"-access-key", "release-test-access", "-secret-key", "release-test-secret")
	log, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case baseURL = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("the simulator printed no base URL:\n%s", readFile(t, logPath))
	}
	if baseURL == "" {
		t.Fatalf("the simulator did not start:\n%s", readFile(t, logPath))
	}
	return baseURL, logPath
}

var sumLine = regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)

func readSums(t *testing.T, path string) map[string]string {
	sums := map[string]string{}
	for line := range strings.Lines(string(readFile(t, path))) {
		m := sumLine.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
		if m == nil {
			t.Fatalf("%s: line %q is not \"<sha256>  <file>\"", filepath.Base(path), line)
		}
		sums[m[2]] = m[1]
	}
	return sums
}

func checkSum(t *testing.T, sums map[string]string, path string) {
	sum := sha256.Sum256(readFile(t, path))
	if got, want := hex.EncodeToString(sum[:]), sums[filepath.Base(path)]; got != want {
		t.Errorf("%s: SHA-256 %s, SHA256SUMS says %q", filepath.Base(path), got, want)
	}
}

func zipNames(t *testing.T, path string) []string {
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	return names
}

func unzip(t *testing.T, path, dir string) {
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, filepath.Base(f.Name))
		writeFile(t, target, b)
		if err := os.Chmod(target, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile[T string | []byte](t *testing.T, path string, content T) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
