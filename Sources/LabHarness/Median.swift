import LabKit
/// The median of `xs` (the upper one of an even count); 0 for none. What the tables report, so
/// that one slow run of many does not move the figure.
public func median(_ xs: [Double]) -> Double {
    xs.isEmpty ? 0 : xs.sorted()[xs.count / 2]
}
