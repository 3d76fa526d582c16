// A Go net/rpc/jsonrpc client calling the lab's Swift servers.
package main

import (
	"flag"
	"fmt"
	"net/rpc/jsonrpc"
	"strings"
)

func runClient(args []string) {
	kvAddr := flag.String("kv", "", "kv-server address")
	arithAddr := flag.String("arith", "", "arith-server address")
	flag.CommandLine.Parse(args)
	kv, err := jsonrpc.Dial("tcp", *kvAddr)
	if err != nil {
		panic(err)
	}
	var pr PutReply
	err = kv.Call("KV.Put", PutArgs{"subject", "6.5840"}, &pr)
	fmt.Println("Put:", pr.Err, err)
	var gr GetReply
	err = kv.Call("KV.Get", GetArgs{"subject"}, &gr)
	fmt.Println("Get:", gr.Err, gr.Value, err)
	// The third call of the connection is over the server's limit: it must fail alone.
	err = kv.Call("KV.Put", PutArgs{"big", strings.Repeat("x", 2<<20)}, &pr)
	fmt.Println("Put 2 MB:", err)
	var ar GetReply
	err = kv.Call("KV.Append", PutArgs{"subject", "!"}, &ar)
	fmt.Println("Append:", ar.Err, ar.Value, err)
	err = kv.Call("KV.Foo", GetArgs{"x"}, &gr)
	fmt.Println("Foo:", err)
	arith, err := jsonrpc.Dial("tcp", *arithAddr)
	if err != nil {
		panic(err)
	}
	var res ArithResponse
	err = arith.Call("Arith.Multiply", ArithRequest{9, 2}, &res)
	fmt.Println("Multiply:", res.Pro, err)
	err = arith.Call("Arith.Divide", ArithRequest{9, 2}, &res)
	fmt.Println("Divide:", res.Quo, res.Rem, err)
	err = arith.Call("Arith.Divide", ArithRequest{9, 0}, &res)
	fmt.Println("Divide by zero:", err)
}
