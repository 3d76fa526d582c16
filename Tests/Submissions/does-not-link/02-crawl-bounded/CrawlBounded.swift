import LabKit

// Compiles, but does not link: it calls a function that is declared and never defined. The
// linker's error names no source line; the grader must still blame exercise 02 alone.

@_silgen_name("lab_fixture_function_nobody_defines")
func helperNobodyWrote(_ n: Int) -> Int

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    _ = helperNobodyWrote(maxInFlight)
}
