// `go run . gobgolden`: the bytes Go's encoding/gob writes for the lab's golden values, one
// `name hex` line each. Each is made in a process of its own, on a fresh Encoder: gob's type ids
// count up across a whole process, so only then do they start at 65, as on a new connection.
// Tests/RPCTests/GobGoldenTests.swift holds a copy; this is how it was made.
package main

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"math"
	"net/rpc"
	"os"
	"os/exec"
)

type Point struct{ X, Y int }

// Every kind the lab's codec handles, with Go's zero rules: zero fields are left out.
type Kinds struct {
	I     int
	U     uint64
	B     bool
	F     float64
	S     string
	Bytes []byte
}

type Inner struct {
	Name string
	N    int
}

type Nested struct {
	Title  string
	Inner  Inner
	Items  []Inner
	Counts map[string]int
	Tags   []string
}

// An empty map that is not nil is sent; a nil one is left out.
type WithMap struct {
	M map[string]int
	N int
}

// Swift has no fixed-size arrays: the lab decodes a Go array into an Array, and never sends one.
type WithArray struct {
	Grid [3]int
	Name string
}

var only string

func emit(name string, values ...any) {
	if name != only {
		return
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			panic(err)
		}
	}
	fmt.Println(name, hex.EncodeToString(buf.Bytes()))
}

func runGobGolden(args []string) {
	if len(args) == 0 {
		for _, name := range goldenNames {
			out, err := exec.Command(os.Args[0], "gobgolden", name).Output()
			if err != nil {
				panic(err)
			}
			fmt.Print(string(out))
		}
		return
	}
	only = args[0]
	long := string(bytes.Repeat([]byte("x"), 200))
	emit("point", Point{22, 33})
	emit("point-twice", Point{22, 33}, Point{22, 33})
	emit("int3", 3)
	emit("string", "subject")
	emit("put-args", PutArgs{"subject", "6.5840"})
	emit("put-reply", PutReply{"OK"})
	emit("put-reply-zero", PutReply{})
	emit("empty-struct", struct{}{})
	emit("get-reply", GetReply{"OK", "6.5840"})
	emit("arith-request", ArithRequest{-7, 3})
	emit("request", rpc.Request{ServiceMethod: "KV.Put", Seq: 1})
	emit("response-error", rpc.Response{ServiceMethod: "KV.Nope", Seq: 2, Error: "rpc: can't find method KV.Nope"})
	emit("kinds-extremes", Kinds{I: math.MinInt64, U: math.MaxUint64, B: true, F: 17.0, S: long, Bytes: []byte{0, 255}})
	emit("kinds-zero", Kinds{})
	emit("kinds-max", Kinds{I: math.MaxInt64, U: 128, F: -0.5, S: "héllo, 世界", Bytes: bytes.Repeat([]byte{7}, 130)})
	emit("nested", Nested{
		Title:  "t",
		Inner:  Inner{"in", 1},
		Items:  []Inner{{"a", 0}, {"", 2}},
		Counts: map[string]int{"k": 5},
		Tags:   []string{"", "b"},
	})
	emit("nested-zero", Nested{})
	emit("with-array", WithArray{Grid: [3]int{0, 9, 0}, Name: "g"})
	emit("map-int-keys", map[int]string{-1: "minus one"})
	emit("slice-of-structs", []Inner{{"a", 1}, {}})
	emit("empty-map", WithMap{M: map[string]int{}, N: 1})
}

var goldenNames = []string{"point", "point-twice", "int3", "string", "put-args", "put-reply", "put-reply-zero",
	"empty-struct", "get-reply", "arith-request", "request", "response-error", "kinds-extremes", "kinds-zero",
	"kinds-max", "nested", "nested-zero", "with-array", "map-int-keys", "slice-of-structs", "empty-map"}
