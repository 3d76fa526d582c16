// Go's own figures for `crawl`'s benchmark: the lecture's ConcurrentMutex and ConcurrentChannel,
// as in crawler.go, on the lab's generated web (the rule in LabKit's GeneratedWeb), each measured
// after a warm-up crawl in the same process, as `crawl --warmup` measures the Swift versions.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

type Fetcher interface {
	Fetch(url string) (urls []string, err error)
}

// generatedWeb: page i links to p/(i*fanout+k) for k = 1...fanout below pages, then p/(i/2),
// then, when i%10 == 0, to missing/i, which is not found. Every fetch sleeps for latency.
type generatedWeb struct {
	links   map[string][]string
	latency time.Duration
	fetches atomic.Int64
	fetched sync.Map // URL -> true, when -urls asks for the list
	record  bool
}

func (w *generatedWeb) Fetch(url string) ([]string, error) {
	w.fetches.Add(1)
	if w.record {
		w.fetched.Store(url, true)
	}
	if w.latency > 0 {
		time.Sleep(w.latency)
	}
	if urls, ok := w.links[url]; ok {
		return urls, nil
	}
	return nil, fmt.Errorf("not found: %s", url)
}

func pageURL(i int) string { return "http://example.test/p/" + strconv.Itoa(i) }

func makeWeb(pages, fanout int, latency time.Duration) *generatedWeb {
	w := &generatedWeb{links: make(map[string][]string, pages), latency: latency}
	for i := 0; i < pages; i++ {
		var urls []string
		for k := 1; k <= fanout && i*fanout+k < pages; k++ {
			urls = append(urls, pageURL(i*fanout+k))
		}
		urls = append(urls, pageURL(i/2))
		if i%10 == 0 {
			urls = append(urls, "http://example.test/missing/"+strconv.Itoa(i))
		}
		w.links[pageURL(i)] = urls
	}
	return w
}

// chainFetches: the BFS depth of the deepest URL plus one (the critical path, in fetches).
func chainFetches(w *generatedWeb, start string) int {
	depth := map[string]int{start: 0}
	queue := []string{start}
	deepest := 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if depth[u] > deepest {
			deepest = depth[u]
		}
		for _, v := range w.links[u] {
			if _, seen := depth[v]; !seen {
				depth[v] = depth[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return deepest + 1
}

//
// The lecture's code (crawler.go), unchanged
//

type fetchState struct {
	mu      sync.Mutex
	fetched map[string]bool
}

func (fs *fetchState) testAndSet(url string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	r := fs.fetched[url]
	fs.fetched[url] = true
	return r
}

func ConcurrentMutex(url string, fetcher Fetcher, fs *fetchState) {
	if fs.testAndSet(url) {
		return
	}
	urls, err := fetcher.Fetch(url)
	if err != nil {
		return
	}
	var done sync.WaitGroup
	for _, u := range urls {
		done.Add(1)
		go func(u string) {
			ConcurrentMutex(u, fetcher, fs)
			done.Done()
		}(u)
	}
	done.Wait()
	return
}

func makeState() *fetchState {
	return &fetchState{fetched: make(map[string]bool)}
}

func worker(url string, ch chan []string, fetcher Fetcher) {
	urls, err := fetcher.Fetch(url)
	if err != nil {
		ch <- []string{}
	} else {
		ch <- urls
	}
}

func coordinator(ch chan []string, fetcher Fetcher) {
	n := 1
	fetched := make(map[string]bool)
	for urls := range ch {
		for _, u := range urls {
			if fetched[u] == false {
				fetched[u] = true
				n += 1
				go worker(u, ch, fetcher)
			}
		}
		n -= 1
		if n == 0 {
			break
		}
	}
}

func ConcurrentChannel(url string, fetcher Fetcher) {
	ch := make(chan []string)
	go func() {
		ch <- []string{url}
	}()
	coordinator(ch, fetcher)
}

//
// go run . crawl [-pages N] [-fanout N] [-latency D] [-warmup=false] [-urls]
//

func runCrawl(args []string) {
	flags := flag.NewFlagSet("crawl", flag.ExitOnError)
	pages := flags.Int("pages", 10000, "pages of the generated web")
	fanout := flags.Int("fanout", 4, "links from each page to new pages")
	latency := flags.Duration("latency", 50*time.Millisecond, "time every fetch takes")
	warmup := flags.Bool("warmup", true, "crawl once, untimed, before the crawl that is measured")
	urls := flags.Bool("urls", false, "after each crawl, list the URLs it fetched, sorted")
	flags.Parse(args)
	if *pages < 1 || *fanout < 1 || *latency < 0 {
		fmt.Fprintln(os.Stderr, "crawl: -pages and -fanout must be at least 1, -latency not negative")
		os.Exit(2)
	}
	web := makeWeb(*pages, *fanout, *latency)
	web.record = *urls
	start := pageURL(0)
	limit := time.Duration(chainFetches(web, start)) * *latency
	variants := []struct {
		name  string
		crawl func()
	}{
		{"go ConcurrentMutex", func() { ConcurrentMutex(start, web, makeState()) }},
		{"go ConcurrentChannel", func() { ConcurrentChannel(start, web) }},
	}
	for _, v := range variants {
		if *warmup {
			v.crawl()
		}
		web.fetches.Store(0)
		web.fetched = sync.Map{}
		t0 := time.Now()
		v.crawl()
		wall := time.Since(t0)
		fetches := web.fetches.Load()
		if *latency > 0 {
			fmt.Printf("%-21s %7d fetches  wall %7.1fms  /limit %.3f\n", v.name, fetches, wall.Seconds()*1000, wall.Seconds()/limit.Seconds())
		} else {
			fmt.Printf("%-21s %7d fetches  wall %7.1fms  %9.0f fetches/s\n", v.name, fetches, wall.Seconds()*1000, float64(fetches)/wall.Seconds())
		}
		if *urls {
			var list []string
			web.fetched.Range(func(k, _ any) bool { list = append(list, k.(string)); return true })
			sort.Strings(list)
			for _, u := range list {
				fmt.Println("fetched", u)
			}
		}
	}
}
