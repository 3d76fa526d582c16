import Foundation

/// The readable name of a Swift symbol, by the Swift runtime's own demangler, short: without
/// module names ("KvLocking.KV.swap(LabRPC.SwapArgs)" reads "KV.swap(SwapArgs)"), a closure named
/// by the function it is in, at most 100 characters. Other symbols come back as they are.
public func demangled(_ symbol: String) -> String {
    guard symbol.hasPrefix("$s") || symbol.hasPrefix("_$s"),
          let out = symbol.withCString({ swift_demangle($0, UInt(strlen($0)), nil, nil, 0) }) else { return symbol }
    defer { free(out) }
    var full = String(cString: out)
    if full.hasPrefix("closure #"), let last = full.range(of: " in ", options: .backwards) {
        full = "a closure in " + full[last.upperBound...]
    }
    let name = full.replacingOccurrences(of: #"\b[A-Za-z_][A-Za-z0-9_]*\.(?=[A-Z])"#, with: "", options: .regularExpression)
    return name.count > 100 ? name.prefix(100) + "..." : name
}

@_silgen_name("swift_demangle")
private func swift_demangle(_ mangled: UnsafePointer<CChar>?, _ length: UInt, _ output: UnsafeMutablePointer<CChar>?,
                            _ outputSize: UnsafeMutablePointer<UInt>?, _ flags: UInt32) -> UnsafeMutablePointer<CChar>?
