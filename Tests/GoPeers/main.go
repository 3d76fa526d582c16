// Go peers for the Swift lab: `go run . client -kv ADDR -arith ADDR`, `go run . server`,
// `go run . bench`. They check the lab's RPC against Go's own net/rpc/jsonrpc.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . client|server|bench")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "client":
		runClient(os.Args[2:])
	case "server":
		runServer()
	case "bench":
		runBench()
	default:
		fmt.Fprintln(os.Stderr, "usage: go run . client|server|bench")
		os.Exit(2)
	}
}
