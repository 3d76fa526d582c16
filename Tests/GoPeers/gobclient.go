// `go run . gobclient -addr HOST:PORT [-http]`: Go's own net/rpc gob client against the lab's
// Swift server, with the values gob gets wrong most easily. The server echoes them (Echo.Trap),
// fails on purpose (Echo.Fail), and answers slow calls after fast ones (Echo.Sleep).
package main

import (
	"flag"
	"fmt"
	"math"
	"net/rpc"
	"reflect"
	"strings"
	"sync"
)

type Trap struct {
	I      int
	U      uint64
	B      bool
	F      float64
	S      string
	Bytes  []byte
	Inner  Inner
	Items  []Inner
	Counts map[string]int
	Tags   []string
}

type Sleep struct {
	Ms  int
	Tag string
}

func runGobClient(args []string) {
	fs := flag.NewFlagSet("gobclient", flag.ExitOnError)
	addr := fs.String("addr", "", "server address")
	overHTTP := fs.Bool("http", false, "dial with rpc.DialHTTP")
	fs.Parse(args)
	var c *rpc.Client
	var err error
	if *overHTTP {
		c, err = rpc.DialHTTP("tcp", *addr)
	} else {
		c, err = rpc.Dial("tcp", *addr)
	}
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer c.Close()

	items := make([]Inner, 130)
	for i := range items {
		items[i] = Inner{fmt.Sprint("item", i), i - 65}
	}
	cases := []struct {
		name string
		t    Trap
	}{
		{"zero", Trap{}},
		{"extremes", Trap{I: math.MinInt64, U: math.MaxUint64, B: true, F: -0.5, S: strings.Repeat("x", 200),
			Bytes: []byte(strings.Repeat("\x00\xff", 150)), Inner: Inner{"ü", -1}, Items: items,
			Counts: map[string]int{"a": 1, "": 0, "日本": math.MaxInt64}, Tags: []string{"", "日本", "🙂"}}},
		{"max", Trap{I: math.MaxInt64, U: 127, F: math.Inf(1), S: "€", Inner: Inner{N: 128}}},
	}
	for _, tc := range cases {
		var reply Trap
		err := c.Call("Echo.Trap", tc.t, &reply)
		fmt.Println("Trap", tc.name+":", err, reflect.DeepEqual(reply, withMap(tc.t)))
	}
	var reply Trap
	err = c.Call("Echo.Trap", Trap{S: "\xff\xfe not UTF-8"}, &reply)
	fmt.Println("Trap non-UTF-8:", err)
	err = c.Call("Echo.Trap", Trap{S: strings.Repeat("x", 2<<20)}, &reply)
	fmt.Println("Trap 2 MB:", err)
	err = c.Call("Echo.Fail", Trap{}, &reply)
	fmt.Println("Fail:", err)
	err = c.Call("Nope.Trap", Trap{}, &reply)
	fmt.Println("Nope.Trap:", err)
	err = c.Call("Echo.Nope", Trap{}, &reply)
	fmt.Println("Echo.Nope:", err)
	err = c.Call("NoDot", Trap{}, &reply)
	fmt.Println("NoDot:", err)

	// Many calls in flight on one connection; the slow ones were sent first.
	const n = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	var order []string
	wrong := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var r Sleep
			args := Sleep{Ms: (n - i) * 15, Tag: fmt.Sprint("call", i)}
			if err := c.Call("Echo.Sleep", args, &r); err != nil || r != args {
				mu.Lock()
				wrong++
				mu.Unlock()
			}
			mu.Lock()
			order = append(order, args.Tag)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	fmt.Println("In flight:", n, "calls,", wrong, "wrong replies, first back:", order[0] != "call0")
	err = c.Call("Echo.Trap", cases[0].t, &reply)
	fmt.Println("After:", err)
}

// withMap is t as a Swift peer sends it back: a Swift dictionary is never nil, and gob sends an
// empty map that is not nil (a nil one it leaves out).
func withMap(t Trap) Trap {
	if t.Counts == nil {
		t.Counts = map[string]int{}
	}
	return t
}
