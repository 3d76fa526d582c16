// Seed 004's Arith client over rpc.DialHTTP, verbatim apart from the address, which is
// os.Args[1] (the lecture's "127.0.0.1:8095").
package main

import (
	"fmt"
	"log"
	"net/rpc"
	"os"
)

type ArithRequest struct {
	A int
	B int
}

type ArithResponse struct {
	Pro int // product
	Quo int // quotient
	Rem int // remainder
}

func main() {
	conn, err := rpc.DialHTTP("tcp", os.Args[1]) //向ip端口发送rpc请求，获得客户端连接口
	if err != nil {
		log.Fatalln("dailing error: ", err)
	}

	req := ArithRequest{9, 2}
	var res ArithResponse

	err = conn.Call("Arith.Multiply", req, &res) // 通过提供函数名远程调用函数
	if err != nil {
		log.Fatalln("arith error: ", err)
	}
	fmt.Printf("%d * %d = %d\n", req.A, req.B, res.Pro)

	err = conn.Call("Arith.Divide", req, &res)
	if err != nil {
		log.Fatalln("arith error: ", err)
	}
	fmt.Printf("%d / %d, quo is %d, rem is %d\n", req.A, req.B, res.Quo, res.Rem)
}
