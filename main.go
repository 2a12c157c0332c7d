package main

import (
	"context"
	"flag"
	"log"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider in debug mode, for debuggers such as delve")
	flag.Parse()

	if err := provider.Serve(context.Background(), version, debug); err != nil {
		log.Fatal(err)
	}
}
