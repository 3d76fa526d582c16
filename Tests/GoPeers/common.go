// The lecture's types and services, in Go, to check the Swift lab against Go's own net/rpc/jsonrpc.
package main

import (
	"errors"
	"sync"
)

type PutArgs struct{ Key, Value string }
type PutReply struct{ Err string }
type GetArgs struct{ Key string }
type GetReply struct{ Err, Value string }
type ArithRequest struct{ A, B int }
type ArithResponse struct{ Pro, Quo, Rem int }

type KV struct {
	mu   sync.Mutex
	data map[string]string
}

func (kv *KV) Get(args *GetArgs, reply *GetReply) error {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	v, ok := kv.data[args.Key]
	if !ok {
		reply.Err = "ErrNoKey"
		return nil
	}
	reply.Err, reply.Value = "OK", v
	return nil
}

func (kv *KV) Put(args *PutArgs, reply *PutReply) error {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	kv.data[args.Key] = args.Value
	reply.Err = "OK"
	return nil
}

func (kv *KV) Append(args *PutArgs, reply *GetReply) error {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	reply.Err, reply.Value = "OK", kv.data[args.Key]
	kv.data[args.Key] += args.Value
	return nil
}

type Arith int

func (t *Arith) Multiply(args *ArithRequest, reply *ArithResponse) error {
	reply.Pro = args.A * args.B
	return nil
}

func (t *Arith) Divide(args *ArithRequest, reply *ArithResponse) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	reply.Quo, reply.Rem = args.A/args.B, args.A%args.B
	return nil
}
