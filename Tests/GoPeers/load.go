// Go's jsonrpc (or gob: -protocol gob) client as a load on any server: `go run . load NAME=ADDR ...` runs the same load
// (8 connections, calls one after another on each, Put and Get alternating over 100 keys per
// connection) against each server in turn, -rounds times, alternating, and prints each server's
// median ops/s and p99 latency. The servers are other processes, so each is measured the same way.
package main

import (
	"flag"
	"fmt"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// loadOnce runs the load once against addr: ops/s and the median and 99th percentile latency.
func loadOnce(addr string, clients, ops int, gob bool) (float64, time.Duration, time.Duration, error) {
	lat := make([][]time.Duration, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			dial := jsonrpc.Dial
			if gob {
				dial = rpc.Dial
			}
			cl, err := dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer cl.Close()
			for i := 0; i < ops; i++ {
				key := fmt.Sprintf("c%d-k%d", c, i/2%100)
				t0 := time.Now()
				if i%2 == 0 {
					var r PutReply
					err = cl.Call("KV.Put", PutArgs{key, fmt.Sprint(i)}, &r)
				} else {
					var r GetReply
					err = cl.Call("KV.Get", GetArgs{key}, &r)
				}
				if err != nil {
					errs <- err
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}(c)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	select {
	case err := <-errs:
		return 0, 0, 0, err
	default:
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return float64(len(all)) / secs, all[len(all)/2], all[len(all)*99/100], nil
}

func runLoad(args []string) {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	clients := fs.Int("clients", 8, "connections, one goroutine each")
	ops := fs.Int("ops", 20000, "calls per connection")
	rounds := fs.Int("rounds", 3, "rounds; each runs the load once against every server, in turn")
	protocol := fs.String("protocol", "jsonrpc", "jsonrpc or gob")
	fs.Parse(args)
	if fs.NArg() == 0 || *clients < 1 || *ops < 1 || *rounds < 1 || (*protocol != "jsonrpc" && *protocol != "gob") {
		fmt.Fprintln(os.Stderr, "usage: go run . load [-clients N] [-ops N] [-rounds N] [-protocol jsonrpc|gob] NAME=HOST:PORT ...")
		os.Exit(2)
	}
	type server struct {
		name, addr string
		pid        int // when given (NAME=ADDR/PID): the server's CPU time per call is measured too
		rates      []float64
		p99s       []time.Duration
		cpus       []float64 // µs of the server's CPU per call
	}
	var servers []*server
	for _, a := range fs.Args() {
		name, addr, ok := strings.Cut(a, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "load: %q is not NAME=HOST:PORT\n", a)
			os.Exit(2)
		}
		s := &server{name: name, addr: addr}
		if a, p, ok := strings.Cut(addr, "/"); ok {
			s.addr = a
			fmt.Sscan(p, &s.pid)
		}
		servers = append(servers, s)
	}
	for r := 0; r < *rounds; r++ {
		for _, s := range servers {
			before := cpuTicks(s.pid)
			rate, _, p99, err := loadOnce(s.addr, *clients, *ops, *protocol == "gob")
			if s.pid > 0 {
				// clock ticks of 10 ms (USER_HZ 100), over every call of the round
				s.cpus = append(s.cpus, float64(cpuTicks(s.pid)-before)*10000/float64(*clients**ops))
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "load: %s: %v\n", s.name, err)
				os.Exit(1)
			}
			s.rates = append(s.rates, rate)
			s.p99s = append(s.p99s, p99)
		}
	}
	fmt.Printf("Go's %s client, %d connections, %d calls each, %d rounds alternated (medians; ratio to the last):\n", *protocol, *clients, *ops, *rounds)
	for _, s := range servers {
		sort.Float64s(s.rates)
		sort.Slice(s.p99s, func(i, j int) bool { return s.p99s[i] < s.p99s[j] })
	}
	last := servers[len(servers)-1]
	for _, s := range servers {
		median := s.rates[len(s.rates)/2]
		cpu := ""
		if len(s.cpus) > 0 {
			sort.Float64s(s.cpus)
			cpu = fmt.Sprintf("   server CPU %4.1f µs/call", s.cpus[len(s.cpus)/2])
		}
		fmt.Printf("  %-24s %8.0f ops/s  %5.2f×   p99 %5d µs   (ops/s %.0f-%.0f)%s\n", s.name, median, median/last.rates[len(last.rates)/2],
			s.p99s[len(s.p99s)/2].Microseconds(), s.rates[0], s.rates[len(s.rates)-1], cpu)
	}
}

// cpuTicks is the user and system time of process pid so far, in clock ticks (0 without a pid).
func cpuTicks(pid int) int {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// after the command name in parentheses: state is field 3, utime 14, stime 15
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	var u, st int
	fmt.Sscan(f[11], &u)
	fmt.Sscan(f[12], &st)
	return u + st
}
