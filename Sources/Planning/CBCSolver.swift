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
    private static let lock = NSLock()

    public static func solve(_ problem: MILP, timeLimit: Double = 60) throws -> MILPSolution {
        lock.lock()
        defer { lock.unlock() }
        let model = CBCModel()
        let m = model.pointer
        Cbc_setLogLevel(m, 0)
        Cbc_setMaximumSeconds(m, timeLimit)
        for j in problem.objective.indices {
            Cbc_addCol(m, "x\(j)", problem.lower[j], problem.upper[j], problem.objective[j],
                       problem.integer[j] ? 1 : 0, 0, nil, nil)
        }
        for (i, row) in problem.rows.enumerated() {
            let sense: CChar
            switch row.sense {
            case .lessOrEqual: sense = CChar(UInt8(ascii: "L"))
            case .greaterOrEqual: sense = CChar(UInt8(ascii: "G"))
            case .equal: sense = CChar(UInt8(ascii: "E"))
            }
            let indices = row.indices.map(Int32.init)
            Cbc_addRow(m, "r\(i)", Int32(indices.count), indices, row.coefficients, sense, row.rhs)
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

/// The one owner of a CBC model.
final class CBCModel {
    let pointer: UnsafeMutableRawPointer
    init() { pointer = Cbc_newModel() }
    deinit { Cbc_deleteModel(pointer) }
}
