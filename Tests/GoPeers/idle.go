// Idle connections as a load: `go run . idle -n N -pid PID NAME=ADDR` opens N connections to the
// server and sends nothing on them, then prints what the server process (PID) holds for them
// (resident memory and threads, from /proc) and how long one jsonrpc call takes from a new
// connection while they stay open.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/rpc/jsonrpc"
	"os"
	"strings"
	"time"
)

// procStatus reads a field of /proc/PID/status ("VmRSS", "Threads").
func procStatus(pid int, field string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			return strings.TrimSpace(strings.TrimPrefix(line, field+":"))
		}
	}
	return "?"
}

func runIdle(args []string) {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	n := fs.Int("n", 1000, "idle connections")
	pid := fs.Int("pid", 0, "the server's process id")
	fs.Parse(args)
	if fs.NArg() != 1 || *pid <= 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: go run . idle -n N -pid PID NAME=HOST:PORT")
		os.Exit(2)
	}
	name, addr, _ := strings.Cut(fs.Arg(0), "=")
	before := procStatus(*pid, "VmRSS")
	conns := make([]net.Conn, 0, *n)
	for i := 0; i < *n; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "idle: connection %d: %v\n", i, err)
			os.Exit(1)
		}
		conns = append(conns, c)
	}
	// The server accepts them at its own pace: a call on the last one is answered once it has.
	last, err := jsonrpc.Dial("tcp", addr)
	if err == nil {
		var r PutReply
		err = last.Call("KV.Put", PutArgs{"idle", "x"}, &r)
	}
	time.Sleep(500 * time.Millisecond) // let the server settle
	start := time.Now()
	var took time.Duration
	if err == nil {
		c2, err2 := jsonrpc.Dial("tcp", addr)
		err = err2
		if err == nil {
			var r GetReply
			err = c2.Call("KV.Get", GetArgs{"idle"}, &r)
			took = time.Since(start)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "idle: %s: a call with %d idle connections: %v\n", name, *n, err)
		os.Exit(1)
	}
	fmt.Printf("  %-14s %6d idle connections: RSS %s (%s before), %s threads; a new client's call took %.1f ms\n",
		name, *n, procStatus(*pid, "VmRSS"), before, procStatus(*pid, "Threads"), float64(took.Microseconds())/1000)
	for _, c := range conns {
		c.Close()
	}
}
