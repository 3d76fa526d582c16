// A Go net/rpc/jsonrpc server (the lecture's KV and seed 004's Arith) for the lab's Swift client.
package main

import (
	"fmt"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
)

func runServer() {
	rpc.Register(&KV{data: map[string]string{}})
	rpc.Register(new(Arith))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println("listening on", l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go jsonrpc.ServeConn(c)
	}
}
