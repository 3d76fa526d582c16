# Swift Concurrency Lab. `make run` shows the crawlers; `make test` runs every test twice:
# once as built, once under ThreadSanitizer (in its own build folder, so neither pass rebuilds the other).
SWIFT ?= swift
TSAN_SCRATCH ?= .build-tsan
RUN := .build/debug
REL := .build/release

.PHONY: help build run test test-plain test-tsan bench bench-rpc bench-web bench-grade bench-class grade hint watch reset trace handout autograder clean

help:
	@echo "make run     build, then the crawlers side by side (simulated webs, then a real site over HTTP),"
	@echo "             then the vote-counting programs compared, then two programs' every schedule (explore)"
	@echo "make test    all tests, then all tests again under ThreadSanitizer (race checks)"
	@echo "make bench   release build, then the benchmark figures (see docs/crawler.md)"
	@echo "make grade   grade Exercises/ as the instructor will: score table, results.json, results.xml"
	@echo "             ONLY=01,02  some exercises   SUBMISSION=dir  a student's copy of Exercises/"
	@echo "             SUBMISSIONS=dir  every folder in dir, one CSV, WORKERS at a time (default: the cores)"
	@echo "             OUT=dir  where the results go"
	@echo "make hint EX=01       the next hint of an exercise, one more each time"
	@echo "make trace EX=03      grade an exercise, then draw its first failing election or crawl, run with your code"
	@echo "make watch [EX=03]    re-check the exercise you are editing each time you save it (keys: n h l r q)"
	@echo "make reset EX=03      put back an exercise's stub, after asking (your file is kept in .lab/saved/)"
	@echo "make handout DEST=dir the student copy of the lab, without the reference solutions"
	@echo "make autograder       Gradescope's autograder zip (ZIP=path, ONLY=01,02 for an assignment of some exercises)"
	@echo "make clean   remove the build folders"

build:
	$(SWIFT) build

# A shell function for recipes: `start_site PROGRAM FLAGS...` starts a site-server in the
# background and sets `pid` and `port` once it listens.
START_SITE = start_site() { rm -f .build/site-server.out; "$$@" > .build/site-server.out & pid=$$!; \
	for i in 1 2 3 4 5 6 7 8 9 10; do grep -q listening .build/site-server.out && break; sleep 0.2; done; \
	port=$$(sed -n 's/.*127.0.0.1://p' .build/site-server.out); }

run: build
	@$(RUN)/crawl
	@echo
	@$(RUN)/crawl --web generated --pages 300 --latency 10ms
	@echo
	@$(START_SITE); start_site $(RUN)/site-server --pages 300 --latency 10ms; \
	 $(RUN)/crawl --url http://127.0.0.1:$$port/p/0.html; status=$$?; kill $$pid; exit $$status
	@echo
	@$(RUN)/vote --compare --elections 10
	@echo
	@$(RUN)/explore counter
	@echo
	@$(RUN)/explore vote-channel

test: test-plain test-tsan

test-plain:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-tsan:
	$(SWIFT) build --build-tests --scratch-path $(TSAN_SCRATCH) --sanitize=thread
	$(SWIFT) test --skip-build --scratch-path $(TSAN_SCRATCH) --sanitize=thread

# The lecture's Go crawlers on the same web, after the same warm-up, when Go is installed.
GO_CRAWL = if command -v go >/dev/null; then cd Tests/GoPeers && go run . crawl $(1); \
	 else echo "(Go is not installed: apt-get install golang-go to measure the lecture's Go crawlers in the same run)"; fi

bench:
	$(SWIFT) build -c release
	@echo "== 10,000 pages, fanout 4, 50 ms per fetch: wall time over the critical-path limit"
	@$(REL)/crawl --web generated --pages 10000 --fanout 4 --latency 50ms --variants mutex,channel,actor,group --warmup
	@$(call GO_CRAWL)
	@echo
	@echo "== 100,000 pages, fanout 4, no latency: fetches per second and peak memory"
	@$(REL)/crawl --web generated --pages 100000 --fanout 4 --latency 0 --warmup
	@$(call GO_CRAWL,-pages 100000 -latency 0)
	@echo
	@echo "== vote-counting programs: 50 elections each, the same seeds for every variant"
	@$(REL)/vote --compare --elections 50
	@echo
	@echo "== kv server on loopback: 8 clients, one connection each, Put/Get alternating over 100 keys each"
	@$(REL)/rpc-bench --clients 8 --ops 20000 --clients-on threads
	@$(REL)/rpc-bench --clients 8 --ops 20000 --clients-on tasks
	@$(REL)/rpc-bench --clients 8 --ops 20000 --clients-on poller
	@if command -v go >/dev/null; then cd Tests/GoPeers && go run . bench; \
	 else echo "(Go is not installed: apt-get install golang-go to measure Go's net/rpc/jsonrpc in the same run)"; fi
	@echo
	@echo "== the interleaving explorer: speed, and time to each buggy scenario's first failure"
	@$(REL)/explore --bench
	@echo
	@$(MAKE) --no-print-directory bench-rpc
	@echo
	@$(MAKE) --no-print-directory bench-web
	@echo
	@$(MAKE) --no-print-directory bench-grade
	@echo
	@$(MAKE) --no-print-directory bench-class

# A shell function for recipes: `start_server NAME PROGRAM FLAGS...` starts a server that prints
# `... listening on HOST:PORT` and sets `pid` and `addr` once it listens.
START_SERVER = start_server() { out=.build/$$1.out; shift; rm -f $$out; "$$@" > $$out & pid=$$!; \
	for i in 1 2 3 4 5 6 7 8 9 10; do grep -q listening $$out && break; sleep 0.2; done; \
	addr=$$(sed -n 's/.*listening on //p' $$out); }
GOPEERS = .build/gopeers

# The kv server in each connection model under Go's own jsonrpc client, then its gob client, beside Go's server, each
# its own process, the runs alternated; then idle connections (what each model holds for them);
# then at-most-once with 100,000 Appends.
bench-rpc:
	@$(SWIFT) build -c release >/dev/null
	@if ! command -v go >/dev/null; then echo "(Go is not installed: apt-get install golang-go to load the servers with Go's client)"; else \
	  (cd Tests/GoPeers && go build -o ../../$(GOPEERS) .) && $(START_SERVER) && \
	  start_server threads $(REL)/kv-server --model threads; p1=$$pid; a1=$$addr; \
	  start_server tasks $(REL)/kv-server --model tasks; p2=$$pid; a2=$$addr; \
	  start_server loops $(REL)/kv-server --model tasks --loops 2; p4=$$pid; a4=$$addr; \
	  start_server go $(GOPEERS) server; p3=$$pid; a3=$$addr; \
	  echo "== kv servers on loopback under Go's jsonrpc client (8 connections, calls one after another, Put/Get alternating)"; \
	  $(GOPEERS) load -rounds 7 "kv-server --model threads=$$a1/$$p1" "kv-server --model tasks=$$a2/$$p2" "  ... --loops 2=$$a4/$$p4" "Go net/rpc/jsonrpc=$$a3/$$p3"; \
	  kill $$p1 $$p2 $$p3 $$p4; echo; \
	  start_server threads $(REL)/kv-server --model threads --protocol gob; p1=$$pid; a1=$$addr; \
	  start_server tasks $(REL)/kv-server --model tasks --protocol gob; p2=$$pid; a2=$$addr; \
	  start_server loops $(REL)/kv-server --model tasks --loops 2 --protocol gob; p4=$$pid; a4=$$addr; \
	  start_server go $(GOPEERS) server -protocol gob; p3=$$pid; a3=$$addr; \
	  echo "== the same under Go's gob client (net/rpc's default: rpc.Dial), beside Go's gob server (rpc.ServeConn)"; \
	  $(GOPEERS) load -protocol gob -rounds 7 "kv-server --protocol gob, threads=$$a1/$$p1" "kv-server --protocol gob, tasks=$$a2/$$p2" "  ... --loops 2=$$a4/$$p4" "Go net/rpc (gob)=$$a3/$$p3"; \
	  kill $$p1 $$p2 $$p3 $$p4; echo; \
	  echo "== idle connections: what the server holds for them, and a new client's call meanwhile"; \
	  for n in 1000 10000; do \
	    start_server threads $(REL)/kv-server --model threads; $(GOPEERS) idle -n $$n -pid $$pid "threads=$$addr"; kill $$pid; \
	    start_server tasks $(REL)/kv-server --model tasks; $(GOPEERS) idle -n $$n -pid $$pid "tasks=$$addr"; kill $$pid; \
	    start_server go $(GOPEERS) server; $(GOPEERS) idle -n $$n -pid $$pid "Go=$$addr"; kill $$pid; \
	  done; echo; \
	fi
	@echo "== at-most-once over a lossy network: rpc-semantics --appends 100000"
	@start=$$(date +%s%N); $(REL)/rpc-semantics --appends 100000 | tail -2; \
	 echo "took $$(( ($$(date +%s%N) - start) / 1000000 )) ms"

# A real website on loopback: site-server with 2,000 pages, 20 ms per request, then none; every
# variant crawls it over HTTP (URLSession), 500 requests at most in flight (serial only without
# latency: 2,200 fetches one after another at 20 ms would take 46 s).
bench-web:
	@$(SWIFT) build -c release >/dev/null
	@$(START_SITE); for latency in 20ms 0; do \
	  start_site $(REL)/site-server --pages 2000 --latency $$latency; \
	  echo "== site-server on loopback, 2,000 pages, $$latency per request: crawl --url (per host: 500)"; \
	  variants=serial,mutex,channel,actor,group; test $$latency = 0 || variants=mutex,channel,actor,group; \
	  $(REL)/crawl --url http://127.0.0.1:$$port/p/0.html --per-host 500 --variants $$variants | tail -n +3; \
	  kill $$pid; echo; \
	done

# Grading one complete submission (the reference solutions) with the ThreadSanitizer build: from an
# empty scratch folder, then after the student's files change (one file; then all, as for the next
# student in a class). Each line is the grader's own total row, with its time.
BENCH_GRADE = $(RUN)/grade --submission .build-grade-bench/submission --scratch .build-grade-bench/scratch --out .build-grade-bench/out
bench-grade:
	@$(SWIFT) build --product grade >/dev/null
	@rm -rf .build-grade-bench && mkdir -p .build-grade-bench && cp -R Tests/Submissions/reference .build-grade-bench/submission
	@echo "== grading one complete submission with ThreadSanitizer (targets: cold under 60 s, the next student under 15 s,"
	@echo "   one exercise after an edit under 5 s, nothing done no slower than the reference)"
	@printf "cold (empty scratch folder)   "; $(BENCH_GRADE) | grep '^total'
	@echo "// changed" >> .build-grade-bench/submission/03-vote-cond/VoteCond.swift
	@printf "one student file changed      "; $(BENCH_GRADE) | grep '^total'
	@for f in .build-grade-bench/submission/*/*.swift; do echo "// the next student" >> "$$f"; done
	@printf "every student file changed    "; $(BENCH_GRADE) | grep '^total'
	@echo "// edited" >> .build-grade-bench/submission/03-vote-cond/VoteCond.swift
	@printf "03 alone, after an edit       "; $(BENCH_GRADE) --only 03 | grep '^total'
	@rm -rf .build-grade-bench/submission && cp -R Tests/Submissions/does-nothing .build-grade-bench/submission
	@printf "nothing done (does-nothing)   "; $(BENCH_GRADE) | grep '^total'
	@echo "== make watch on 03 (the reference): from a save to each verdict (targets: 3 s without ThreadSanitizer, 6 s with it);"
	@echo "   saves 1-3 edit a function's body, saves 4-6 add a function (its module's interface changes: the checks recompile)"
	@rm -rf .build-grade-bench/watch && mkdir -p .build-grade-bench/watch && cp -R Tests/Submissions/reference/03-vote-cond .build-grade-bench/watch/
	@$(RUN)/grade --watch 03 --submission .build-grade-bench/watch --scratch .build-grade-bench/scratch < /dev/null > .build-grade-bench/watch.out 2>/dev/null & pid=$$!; \
	 f=.build-grade-bench/watch/03-vote-cond/VoteCond.swift; \
	 for save in 0 1 2 3 4 5 6; do \
	   for i in $$(seq 1 600); do test $$(grep -c ' saved: ' .build-grade-bench/watch.out) -gt $$save && break; sleep 0.2; done; \
	   test $$save = 0 || sed -n 's/^03-vote-cond saved: .* (\([0-9.]*\) s after the save) (without it: \([0-9.]*\) s).*/  save '$$save': \2 s to the first verdict, \1 s to the grade/p' .build-grade-bench/watch.out | tail -1; \
	   if [ $$save -lt 3 ]; then sed -i "0,/changed.lock()/s//changed.lock(); _ = $$save/" $$f; else echo "func savedAgain$$save() -> Int { $$save }" >> $$f; fi; \
	 done; kill $$pid

GRADE_FLAGS = $(if $(SUBMISSION),--submission "$(SUBMISSION)") $(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)") \
	$(if $(ONLY),--only "$(ONLY)") $(if $(OUT),--out "$(OUT)") $(if $(WORKERS),--workers "$(WORKERS)")

# A class of generated submissions (Tests/Submissions/make-class.sh: each exercise the reference's
# or a broken one's), graded as an instructor grades a class: workers = cores, each from an empty
# scratch folder. CLASS=40 students by default.
CLASS ?= 40
bench-class:
	@$(SWIFT) build --product grade >/dev/null
	@rm -rf .build-grade-bench/class && mkdir -p .build-grade-bench/class
	@Tests/Submissions/make-class.sh .build-grade-bench/class/submissions $(CLASS) >/dev/null
	@echo "== grading a class of $(CLASS) generated submissions with ThreadSanitizer ($$(nproc) cores), from empty scratch folders"
	@start=$$(date +%s); \
	 $(RUN)/grade --submissions .build-grade-bench/class/submissions --scratch .build-grade-bench/class/scratch \
	   --out .build-grade-bench/class/out | tail -2 | head -1; \
	 took=$$(( $$(date +%s) - start )); \
	 echo "$(CLASS) students in $$took s: $$(( took / $(CLASS) )) s a student; 300 at this pace: about $$(( took * 300 / $(CLASS) / 60 )) min"

grade:
	@$(SWIFT) build --product grade
	@$(RUN)/grade $(GRADE_FLAGS)

hint:
	@test -n "$(EX)" || { echo "make hint: say which exercise: make hint EX=01"; exit 2; }
	@$(SWIFT) build --product grade >/dev/null
	@$(RUN)/grade --hint "$(EX)"

# The handout is the last commit, without Tests/Submissions (the reference solutions and the
# broken submissions the grader is proven on). It refuses to ship an exercise that is not a stub.
watch:
	@$(SWIFT) build --product grade >/dev/null
	@$(RUN)/grade --watch "$(or $(EX),next)"

reset:
	@test -n "$(EX)" || { echo "make reset: say which exercise: make reset EX=03"; exit 2; }
	@$(SWIFT) build --product grade >/dev/null
	@$(RUN)/grade --reset "$(EX)" $(if $(YES),--yes)

trace:
	@test -n "$(EX)" || { echo "make trace: say which exercise: make trace EX=03"; exit 2; }
	@$(SWIFT) build --product grade >/dev/null
	@$(RUN)/grade --trace "$(EX)"

handout:
	@test -n "$(DEST)" || { echo "make handout: say where: make handout DEST=dir (a folder that does not exist yet)"; exit 2; }
	@test ! -e "$(DEST)" || { echo "make handout: $(DEST) already exists; give a new folder"; exit 2; }
	@solved=$$(git grep -L 'notAttempted()' HEAD -- 'Exercises/*/*.swift' | sed 's/^HEAD://'); \
	 test -z "$$solved" || { echo "make handout: these exercise files are not stubs (no notAttempted() call): $$solved"; exit 1; }
	@git diff --quiet HEAD -- Exercises || echo "make handout: uncommitted changes in Exercises/ are left out (the handout is the last commit)"
	@mkdir -p "$(DEST)"
	@git archive HEAD | tar -x -C "$(DEST)"
	@rm -rf "$(DEST)/Tests/Submissions"
	@for f in $$(git ls-files 'Exercises/*/*.swift'); do mkdir -p "$(DEST)/$$(dirname $$f)/.stub" && cp "$(DEST)/$$f" "$(DEST)/$$(dirname $$f)/.stub/"; done
	@echo "wrote the handout to $(DEST) ($$(git rev-parse --short HEAD), without Tests/Submissions)"

# Gradescope's autograder zip: setup.sh, run_autograder and the Dockerfile (from autograder/) beside
# the lab's last commit as lab/, with Tests/Submissions (the reference warms the grader's build).
# ONLY=01,02 makes it grade an assignment of those exercises. It is the last commit, scripts
# included, so it refuses uncommitted changes to the lab (they would not be in it).
ZIP ?= .build/autograder.zip
autograder:
	@test -z "$$(git status --porcelain -- Package.swift Sources Tests Exercises autograder)" || \
	 { echo "make autograder: uncommitted changes to the lab (git status); commit them first: the autograder is the last commit"; exit 2; }
	@for w in $$(echo "$(ONLY)" | tr , ' '); do ls -d Exercises/$$w Exercises/$$w-* Exercises/??-$$w 2>/dev/null | grep -q . || \
	 { echo "make autograder: ONLY: no exercise '$$w' (there are $$(ls -d Exercises/??-* | xargs -n1 basename | tr '\n' ' '))"; exit 2; }; done
	@rm -rf .build/autograder-zip && mkdir -p .build/autograder-zip/lab
	@git archive HEAD | tar -x -C .build/autograder-zip/lab
	@cp .build/autograder-zip/lab/autograder/setup.sh .build/autograder-zip/lab/autograder/run_autograder .build/autograder-zip/lab/autograder/Dockerfile .build/autograder-zip/
	@test -z "$(ONLY)" || echo "$(ONLY)" > .build/autograder-zip/only
	@out=$$(realpath -m "$(ZIP)"); rm -f "$$out"; mkdir -p "$$(dirname "$$out")"; \
	 cd .build/autograder-zip && python3 -m zipfile -c "$$out" setup.sh run_autograder Dockerfile lab $$(test -f only && echo only)
	@echo "wrote $(ZIP) ($$(git rev-parse --short HEAD)$(if $(ONLY),; exercises $(ONLY))): upload it to Gradescope as the autograder"

clean:
	rm -rf .build $(TSAN_SCRATCH) .build-grade .build-grade-proof .build-grade-bench
