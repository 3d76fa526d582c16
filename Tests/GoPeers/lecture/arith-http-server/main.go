// Seed 004's Arith server over rpc.HandleHTTP, verbatim apart from the address: it listens on a
// free port (the lecture's "127.0.0.1:8095") and prints it after the lecture's "start connection".
package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
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

type Arith struct{}

func (t *Arith) Multiply(req ArithRequest, res *ArithResponse) error {
	res.Pro = req.A * req.B
	return nil
}

func (t *Arith) Divide(req ArithRequest, res *ArithResponse) error {
	if req.B == 0 {
		return errors.New("divide by zero")
	}
	res.Quo = req.A / req.B
	res.Rem = req.A % req.B
	return nil
}

func main() {
	rpc.Register(new(Arith)) // 注册rpc服务
	rpc.HandleHTTP()         // 采用http协议作为rpc载体

	lis, err := net.Listen("tcp", "127.0.0.1:0") //监听ip和端口
	if err != nil {
		log.Fatalln("fatal error: ", err)
	}

	fmt.Fprintf(os.Stdout, "%s", "start connection")
	fmt.Fprintf(os.Stdout, " on %s\n", lis.Addr())

	http.Serve(lis, nil) //如果有连接请求，则构建http连接，之后由rpc框架handle这个连接
}
