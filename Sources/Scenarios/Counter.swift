import LabSched

// The lecture's race in two lines of Go:
//
//   n := 0
//   var wg sync.WaitGroup
//   for i := 0; i < 2; i++ {
//       wg.Go(func() { n = n + 1 })
//   }
//   wg.Wait()
//   fmt.Println(n)
//
// Each `n = n + 1` is a load, then a store. The four accesses interleave in 6 ways; in 4 of them
// both goroutines load 0 before either stores, and one update is lost.

let counter = Scenario(
    name: "counter", summary: "two goroutines each do n = n + 1, with no lock",
    goal: "make n end at 1", reached: { $0.outcome == "n = 1" },
    bugs: [.race]
) {
    let n = Shared("n", 0)
    let wg = WaitGroup()
    for _ in 0..<2 {
        wg.go { n.value = n.value + 1 }
    }
    wg.wait()
    return "n = \(n.load())"
}
