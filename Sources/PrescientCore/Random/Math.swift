#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few libm functions the core needs, behind names that make the dependency explicit.
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
/// libm's pow and sin, for code (and tests) that import only the core.
public func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
public func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _exp2(_ x: Double) -> Double { exp2(x) }
