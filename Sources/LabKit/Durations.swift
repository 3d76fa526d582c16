import Foundation

extension Duration {
    /// Parses `50ms`, `1.5s`, `250us`, `2m`, `100ns`, or a bare `0`. Negative values are refused.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "0" { self = .zero; return }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
                  let v = Double(number), v.isFinite, v >= 0, v * scale < 1e9 else { return nil }
            self = .nanoseconds(Int64((v * scale * 1e9).rounded()))
            return
        }
        return nil
    }

    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }

    public var milliseconds: Double { seconds * 1e3 }

    /// Short human form: `0`, `850µs`, `12.3ms`, `4.56s`.
    public var short: String {
        let s = seconds
        if s == 0 { return "0" }
        if s < 1e-3 { return "\(Int((s * 1e6).rounded()))µs" }
        if s < 1 { return String(format: "%.\(s < 0.01 ? 2 : 1)fms", s * 1e3) }
        return String(format: "%.2fs", s)
    }
}

/// Deadlines as nanoseconds of the monotonic clock, which a heap of sleepers or the RPC poller
/// compares with one integer comparison.
public enum Deadline {
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// `d` from now: a negative `d` counts as zero, one over 31 years as 31 years (no overflow).
    public static func after(_ d: Duration) -> UInt64 { now() &+ UInt64(min(max(0, d.seconds), 1e9) * 1e9) }
}
