import Foundation

/// `x` rounded to `digits` decimals, for attributes written to files: m² to the millimetre
/// square (3), rates to 4, as e-Stat's own AREA is published.
public func rounded(_ x: Double, _ digits: Int) -> Double {
    let scale = pow(10, Double(digits))
    return (x * scale).rounded() / scale
}
