import CCBC
import GeoCore

/// A linear program kept between solves (COIN-OR Clp, CBC's own LP solver, through its C
/// interface; integrality is ignored). After a change of bounds the dual simplex starts from the
/// last basis, so a dive of many solves costs little more than the first.
final class LinearProgram {
    /// The one owner of the Clp model, freed in deinit.
    private let pointer: UnsafeMutableRawPointer
    let columns: Int
    private var lower: [Double]
    private var upper: [Double]
    private var solved = false

    init(_ problem: MILP) {
        pointer = Clp_newModel()
        columns = problem.objective.count
        lower = problem.lower
        upper = problem.upper
        let a = ColumnMajor(problem)
        CBC.lock.lock()
        defer { CBC.lock.unlock() }
        Clp_setLogLevel(pointer, 0)
        Clp_loadProblem(pointer, Int32(columns), Int32(problem.rows.count), a.start, a.index, a.value,
                        problem.lower, problem.upper, problem.objective, a.rowLower, a.rowUpper)
    }

    deinit { Clp_deleteModel(pointer) }

    func setBounds(_ column: Int, _ lower: Double, _ upper: Double) {
        self.lower[column] = lower
        self.upper[column] = upper
    }

    /// The optimum (values and objective), or nil when the LP is infeasible or unsolved.
    func solve(timeLimit: Double = 60) -> (values: [Double], objective: Double)? {
        CBC.lock.lock()
        defer { CBC.lock.unlock() }
        return withExtendedLifetime(self) {
            Clp_chgColumnLower(pointer, lower)
            Clp_chgColumnUpper(pointer, upper)
            Clp_setMaximumSeconds(pointer, timeLimit)
            _ = solved ? Clp_dual(pointer, 0) : Clp_initialSolve(pointer)
            solved = true
            guard Clp_isProvenOptimal(pointer) != 0, let x = Clp_getColSolution(pointer) else { return nil }
            return ((0..<columns).map { x[$0] }, Clp_getObjValue(pointer))
        }
    }
}
