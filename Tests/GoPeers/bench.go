// Go's own figure for rpc-bench's load: the lecture's KV over net/rpc/jsonrpc on loopback, 8 clients,
// one connection each, calls one after another, Put and Get alternating over 100 keys per client,
// with the server in the same process, as rpc-bench starts the Swift one.
package main

import (
	"fmt"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
)

func runBench() {
	srv := rpc.NewServer()
	srv.Register(&KV{data: map[string]string{}})
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go srv.ServeCodec(jsonrpc.NewServerCodec(c))
		}
	}()
	const clients, ops = 8, 20000
	rate, p50, p99, err := loadOnce(l.Addr().String(), clients, ops, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Printf("Go net/rpc/jsonrpc: %d clients, %d calls: %d ops/s, latency p50 %d µs, p99 %d µs\n",
		clients, clients*ops, int(rate), p50.Microseconds(), p99.Microseconds())
}
