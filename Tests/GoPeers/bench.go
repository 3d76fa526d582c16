// Go's own figure for rpc-bench's load: the lecture's KV over net/rpc/jsonrpc on loopback, 8 clients,
// one connection each, calls one after another, Put and Get alternating over 100 keys per client.
package main

import (
	"fmt"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"sort"
	"sync"
	"time"
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
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			cl, _ := jsonrpc.Dial("tcp", l.Addr().String())
			for i := 0; i < ops; i++ {
				key := fmt.Sprintf("c%d-k%d", c, i/2%100)
				t0 := time.Now()
				if i%2 == 0 {
					var r PutReply
					cl.Call("KV.Put", PutArgs{key, fmt.Sprint(i)}, &r)
				} else {
					var r GetReply
					cl.Call("KV.Get", GetArgs{key}, &r)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}(c)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	fmt.Printf("Go net/rpc/jsonrpc: %d clients, %d calls in %.2f s: %d ops/s, latency p50 %d µs, p99 %d µs\n",
		clients, len(all), secs, int(float64(len(all))/secs), all[len(all)/2].Microseconds(), all[len(all)*99/100].Microseconds())
}
