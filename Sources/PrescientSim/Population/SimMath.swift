#if canImport(Glibc)
import Glibc
#endif

@inline(__always) func _simExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _simLog(_ x: Double) -> Double { log(x) }
