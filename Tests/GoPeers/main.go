// Go peers for the Swift lab: `go run . client -kv ADDR -arith ADDR`, `go run . server`,
// `go run . bench`, `go run . crawl`, `go run . load NAME=ADDR...`, `go run . idle -n N -pid PID NAME=ADDR`.
// They check the lab's RPC against Go's own net/rpc/jsonrpc, load servers with Go's client, and
// measure the lecture's crawlers on the lab's generated web.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . client|server|bench|crawl|load|idle|gobclient|gobgolden")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "client":
		runClient(os.Args[2:])
	case "server":
		runServer(os.Args[2:])
	case "bench":
		runBench()
	case "crawl":
		runCrawl(os.Args[2:])
	case "load":
		runLoad(os.Args[2:])
	case "idle":
		runIdle(os.Args[2:])
	case "gobclient":
		runGobClient(os.Args[2:])
	case "gobgolden":
		runGobGolden(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: go run . client|server|bench|crawl|load|idle|gobclient|gobgolden")
		os.Exit(2)
	}
}
