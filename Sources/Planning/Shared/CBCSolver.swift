import CCBC
import Foundation
import GeoCore

/// A mixed-integer linear program: minimise `objective · x` subject to rows, bounds and
/// integrality. Small and explicit, so a model can be printed, tested and solved by CBC.
public struct MILP: Sendable {
    public enum Sense: Sendable { case lessOrEqual, greaterOrEqual, equal }
    public struct Row: Sendable {
        public var indices: [Int]
        public var coefficients: [Double]
        public var sense: Sense
        public var rhs: Double
    }

    public var objective: [Double] = []
    public var lower: [Double] = []
    public var upper: [Double] = []
    public var integer: [Bool] = []
    public var rows: [Row] = []

    public init() {}

    /// Adds a variable and returns its index.
    @discardableResult
    public mutating func variable(cost: Double, lower: Double = 0, upper: Double = 1, integer: Bool = true) -> Int {
        objective.append(cost); self.lower.append(lower); self.upper.append(upper); self.integer.append(integer)
        return objective.count - 1
    }

    public mutating func constraint(_ terms: [(Int, Double)], _ sense: Sense, _ rhs: Double) {
        rows.append(Row(indices: terms.map(\.0), coefficients: terms.map(\.1), sense: sense, rhs: rhs))
    }
}

public struct MILPSolution: Sendable {
    public var values: [Double]
    public var objective: Double
    /// The best bound CBC proved; equals `objective` when optimal.
    public var bound: Double
    public var provenOptimal: Bool
    public var status: String
}

/// COIN-OR CBC through its C interface. The model handle has one owner, freed in deinit.
public enum CBC {
    /// CBC 2.10's solver keeps process-wide state: two solves at once fail at random (seen in
    /// the parallel test runs as "status -1"), so solves take turns.
    static let lock = NSLock()

    /// `start` is a feasible solution to begin from (values of the integer variables, by
    /// index; CBC completes the others), so a time limit still ends with at least that.
    public static func solve(_ problem: MILP, timeLimit: Double = 60, start: [Int: Double] = [:]) throws -> MILPSolution {
        lock.lock()
        defer { lock.unlock() }
        // The model owns the C handle; it must outlive every call on its pointer, which a
        // local that is not used after `pointer` is read does not guarantee.
        let model = CBCModel()
        return try withExtendedLifetime(model) {
            let m = model.pointer
            Cbc_setLogLevel(m, 0)
            Cbc_setMaximumSeconds(m, timeLimit)
            load(problem, into: m)
            if !start.isEmpty {
                let columns = start.keys.sorted()
                Cbc_setMIPStartI(m, Int32(columns.count), columns.map(Int32.init), columns.map { start[$0]! })
            }
            Cbc_setObjSense(m, 1)
            let status = Cbc_solve(m)
            if Cbc_isProvenInfeasible(m) != 0 {
                throw EngineError(library: "CBC", operation: "solve", message: "infeasible")
            }
            guard Cbc_numberSavedSolutions(m) > 0 || Cbc_isProvenOptimal(m) != 0, let solution = Cbc_getColSolution(m) else {
                throw EngineError(library: "CBC", operation: "solve",
                                  message: Cbc_isSecondsLimitReached(m) != 0 ? "no solution within \(timeLimit) s" : "no solution (status \(status))")
            }
            let values = (0..<problem.objective.count).map { solution[$0] }
            let optimal = Cbc_isProvenOptimal(m) != 0
            return MILPSolution(values: values, objective: Cbc_getObjValue(m),
                                bound: optimal ? Cbc_getObjValue(m) : Cbc_getBestPossibleObjValue(m),
                                provenOptimal: optimal,
                                status: optimal ? "optimal" : (Cbc_isSecondsLimitReached(m) != 0 ? "time limit" : "stopped"))
        }
    }
}

extension CBC {
    /// The whole model in one call, as a column-major matrix: adding rows one by one to
    /// CBC's column-ordered matrix costs time quadratic in the rows (a p-median model has one
    /// per demand–candidate pair).
    static func load(_ problem: MILP, into m: UnsafeMutableRawPointer) {
        let a = ColumnMajor(problem)
        Cbc_loadProblem(m, Int32(a.columns), Int32(problem.rows.count), a.start, a.index, a.value,
                        problem.lower, problem.upper, problem.objective, a.rowLower, a.rowUpper)
        for j in 0..<a.columns where problem.integer[j] { Cbc_setInteger(m, Int32(j)) }
    }
}

/// A model's matrix by columns, and its row bounds, as CBC and Clp load them.
struct ColumnMajor {
    let columns: Int
    var start: [CoinBigIndex]
    var index: [Int32]
    var value: [Double]
    let rowLower: [Double]
    let rowUpper: [Double]

    init(_ problem: MILP) {
        columns = problem.objective.count
        var counts = [Int](repeating: 0, count: columns)
        for row in problem.rows { for j in row.indices { counts[j] += 1 } }
        start = [CoinBigIndex](repeating: 0, count: columns + 1)
        for j in 0..<columns { start[j + 1] = start[j] + CoinBigIndex(counts[j]) }
        var next = start.dropLast().map { Int($0) }
        index = [Int32](repeating: 0, count: Int(start[columns]))
        value = [Double](repeating: 0, count: Int(start[columns]))
        for (i, row) in problem.rows.enumerated() {
            for (j, a) in zip(row.indices, row.coefficients) {
                index[next[j]] = Int32(i)
                value[next[j]] = a
                next[j] += 1
            }
        }
        let infinity = Double.greatestFiniteMagnitude
        rowLower = problem.rows.map { $0.sense == .lessOrEqual ? -infinity : $0.rhs }
        rowUpper = problem.rows.map { $0.sense == .greaterOrEqual ? infinity : $0.rhs }
    }
}

/// The one owner of a CBC model.
final class CBCModel {
    let pointer: UnsafeMutableRawPointer
    init() { pointer = Cbc_newModel() }
    deinit { Cbc_deleteModel(pointer) }
}
