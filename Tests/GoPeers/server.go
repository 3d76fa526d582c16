// A Go net/rpc server (the lecture's KV, seed 004's Arith, and the Echo service of gobclient.go)
// for the lab's Swift clients: `go run . server [-protocol jsonrpc|gob|http]`.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/rpc"
	"net/rpc/jsonrpc"
	"time"
)

type Echo int

func (e *Echo) Trap(args Trap, reply *Trap) error {
	*reply = args
	return nil
}

func (e *Echo) Fail(args Trap, reply *Trap) error {
	return errors.New("it failed")
}

func (e *Echo) Sleep(args Sleep, reply *Sleep) error {
	time.Sleep(time.Duration(args.Ms) * time.Millisecond)
	*reply = args
	return nil
}

func runServer(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	protocol := fs.String("protocol", "jsonrpc", "jsonrpc, gob (rpc.ServeConn) or http (rpc.HandleHTTP)")
	fs.Parse(args)
	rpc.Register(&KV{data: map[string]string{}})
	rpc.Register(new(Arith))
	rpc.Register(new(Echo))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println("gopeers listening on", l.Addr()) // as the lab's servers say it: Subprocess.startServer reads it
	if *protocol == "http" {
		rpc.HandleHTTP()
		http.Serve(l, nil)
		return
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if *protocol == "gob" {
			go rpc.ServeConn(c)
		} else {
			go jsonrpc.ServeConn(c)
		}
	}
}
