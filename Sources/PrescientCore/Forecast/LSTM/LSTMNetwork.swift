#if canImport(Glibc)
import Glibc
#endif

/// A one-layer LSTM encoder with a direct multi-horizon quantile head: the whole network is a
/// flat parameter vector (so Adam and the gradient check see one array) and two pure functions,
/// `loss` (forward) and `gradient` (backpropagation through time).
///
/// Per input step t: `z = W·[x_t; h_{t−1}] + b` (gates i, f, g, o, each `hidden` wide),
/// `c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)`, `h_t = σ(o) ⊙ tanh(c_t)`.
/// After the last step: `ŷ = V·h_L + U·s + c`, `outputs` values (horizon × quantile, horizon
/// major), where `s` are skip features (last week's and yesterday's value for each target hour,
/// known future flags). Loss: mean pinball loss `ρ_q(y − ŷ)` over the outputs.
public struct LSTMNetwork: Sendable, Equatable {
    public var inputs: Int
    public var hidden: Int
    public var skips: Int
    public var outputs: Int
    /// W (4H × (I+H)), b (4H), V (O × H), U (O × S), c (O), in that order.
    public var parameters: [Double]

    public init(inputs: Int, hidden: Int, skips: Int, outputs: Int, seed: UInt64) {
        self.inputs = inputs; self.hidden = hidden; self.skips = skips; self.outputs = outputs
        var rng = SplitMix64(seed: seed)
        let count = 4 * hidden * (inputs + hidden) + 4 * hidden + outputs * hidden + outputs * skips + outputs
        parameters = [Double](repeating: 0, count: count)
        let scale = 1 / Double(inputs + hidden).squareRoot()
        for k in 0..<(4 * hidden * (inputs + hidden)) { parameters[k] = (rng.nextUnit() * 2 - 1) * scale }
        // Forget-gate bias 1: remember by default (Jozefowicz et al. 2015).
        for j in 0..<hidden { parameters[offsetB + hidden + j] = 1 }
        let headScale = 1 / Double(hidden + skips).squareRoot()
        for k in offsetV..<offsetC { parameters[k] = (rng.nextUnit() * 2 - 1) * headScale * 0.1 }
    }

    var offsetB: Int { 4 * hidden * (inputs + hidden) }
    var offsetV: Int { offsetB + 4 * hidden }
    var offsetU: Int { offsetV + outputs * hidden }
    var offsetC: Int { offsetU + outputs * skips }

    /// One training or forecasting example: `sequence` is L steps × `inputs` (row major).
    public struct Example: Sendable {
        public var sequence: [Double]
        public var skip: [Double]
        /// `outputs` targets (NaN = not scored), and the quantile level of each output.
        public var target: [Double]
        public init(sequence: [Double], skip: [Double], target: [Double]) { self.sequence = sequence; self.skip = skip; self.target = target }
    }

    private struct Trace {
        var xh: [[Double]] = []      // [x_t; h_{t−1}] per step
        var gates: [[Double]] = []   // activated i, f, g, o per step
        var cells: [[Double]] = []   // c_t per step (c_0 = 0 before)
        var h: [Double] = []
    }

    @inline(__always) static func sigmoid(_ v: Double) -> Double { 1 / (1 + _exp(-v)) }
    @inline(__always) static func tanh_(_ v: Double) -> Double { let e = _exp(2 * v); return e.isInfinite ? 1 : (e - 1) / (e + 1) }

    private func run(_ sequence: [Double], trace: Bool) -> (h: [Double], trace: Trace) {
        let H = hidden, I = inputs
        let steps = sequence.count / I
        var h = [Double](repeating: 0, count: H), c = h
        var tr = Trace()
        var xh = [Double](repeating: 0, count: I + H)
        var z = [Double](repeating: 0, count: 4 * H)
        parameters.withUnsafeBufferPointer { p in
            for t in 0..<steps {
                for k in 0..<I { xh[k] = sequence[t * I + k] }
                for k in 0..<H { xh[I + k] = h[k] }
                for r in 0..<(4 * H) {
                    var s = p[offsetB + r]
                    let row = r * (I + H)
                    for k in 0..<(I + H) { s += p[row + k] * xh[k] }
                    z[r] = s
                }
                for j in 0..<H {
                    let i = Self.sigmoid(z[j]), f = Self.sigmoid(z[H + j]), g = Self.tanh_(z[2 * H + j]), o = Self.sigmoid(z[3 * H + j])
                    z[j] = i; z[H + j] = f; z[2 * H + j] = g; z[3 * H + j] = o
                    c[j] = f * c[j] + i * g
                    h[j] = o * Self.tanh_(c[j])
                }
                if trace { tr.xh.append(xh); tr.gates.append(z); tr.cells.append(c) }
            }
        }
        tr.h = h
        return (h, tr)
    }

    /// The head's outputs for an example.
    public func predict(_ e: Example) -> [Double] {
        let h = run(e.sequence, trace: false).h
        return head(h, e.skip)
    }

    private func head(_ h: [Double], _ s: [Double]) -> [Double] {
        (0..<outputs).map { o in
            var v = parameters[offsetC + o]
            for j in 0..<hidden { v += parameters[offsetV + o * hidden + j] * h[j] }
            for k in 0..<skips { v += parameters[offsetU + o * skips + k] * s[k] }
            return v
        }
    }

    /// Mean pinball loss of one example; `levels[o]` is output o's quantile level.
    public func loss(_ e: Example, levels: [Double]) -> Double {
        let y = predict(e)
        var sum = 0.0, n = 0
        for o in 0..<outputs where !e.target[o].isNaN {
            let r = e.target[o] - y[o]
            sum += max(levels[o] * r, (levels[o] - 1) * r); n += 1
        }
        return n > 0 ? sum / Double(n) : 0
    }

    /// Adds the gradient of `loss(e)` with respect to every parameter to `grad`; returns the loss.
    @discardableResult
    public func gradient(_ e: Example, levels: [Double], into grad: inout [Double]) -> Double {
        let H = hidden, I = inputs
        let (h, tr) = run(e.sequence, trace: true)
        let y = head(h, e.skip)
        var dy = [Double](repeating: 0, count: outputs)
        var sum = 0.0, n = 0
        for o in 0..<outputs where !e.target[o].isNaN { n += 1; let r = e.target[o] - y[o]; sum += max(levels[o] * r, (levels[o] - 1) * r) }
        guard n > 0 else { return 0 }
        for o in 0..<outputs where !e.target[o].isNaN {
            dy[o] = (e.target[o] - y[o] > 0 ? -levels[o] : 1 - levels[o]) / Double(n)
        }
        var dh = [Double](repeating: 0, count: H)
        for o in 0..<outputs where dy[o] != 0 {
            grad[offsetC + o] += dy[o]
            for j in 0..<H { grad[offsetV + o * H + j] += dy[o] * h[j]; dh[j] += parameters[offsetV + o * H + j] * dy[o] }
            for k in 0..<skips { grad[offsetU + o * skips + k] += dy[o] * e.skip[k] }
        }
        var dc = [Double](repeating: 0, count: H)
        var dz = [Double](repeating: 0, count: 4 * H)
        let steps = tr.gates.count
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let gate = tr.gates[t], c = tr.cells[t]
            for j in 0..<H {
                let i = gate[j], f = gate[H + j], g = gate[2 * H + j], o = gate[3 * H + j]
                let tc = Self.tanh_(c[j])
                let cPrev = t > 0 ? tr.cells[t - 1][j] : 0
                let dcj = dc[j] + dh[j] * o * (1 - tc * tc)
                dz[j] = dcj * g * i * (1 - i)
                dz[H + j] = dcj * cPrev * f * (1 - f)
                dz[2 * H + j] = dcj * i * (1 - g * g)
                dz[3 * H + j] = dh[j] * tc * o * (1 - o)
                dc[j] = dcj * f
            }
            let xh = tr.xh[t]
            for k in 0..<H { dh[k] = 0 }
            for r in 0..<(4 * H) where dz[r] != 0 {
                let row = r * (I + H)
                grad[offsetB + r] += dz[r]
                for k in 0..<(I + H) { grad[row + k] += dz[r] * xh[k] }
                for k in 0..<H { dh[k] += parameters[row + I + k] * dz[r] }
            }
        }
        return sum / Double(n)
    }
}

/// Adam (Kingma & Ba 2015) over a flat parameter vector:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr · m̂ / (√v̂ + ε)`.
public struct Adam: Sendable {
    public var rate: Double, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    var m: [Double], v: [Double], t = 0

    public init(count: Int, rate: Double) { self.rate = rate; m = [Double](repeating: 0, count: count); v = m }

    public mutating func step(_ parameters: inout [Double], gradient g: [Double]) {
        t += 1
        let c1 = 1 - _pow(beta1, Double(t)), c2 = 1 - _pow(beta2, Double(t))
        for k in parameters.indices {
            m[k] = beta1 * m[k] + (1 - beta1) * g[k]
            v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k]
            parameters[k] -= rate * (m[k] / c1) / ((v[k] / c2).squareRoot() + epsilon)
        }
    }
}
