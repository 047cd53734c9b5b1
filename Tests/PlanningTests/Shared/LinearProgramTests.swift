import Testing
@testable import Planning

/// Clp through `LinearProgram`: a textbook LP, then bounds changed and solved again from the
/// last basis, each against its optimum worked by hand.
@Suite struct LinearProgramTests {
    /// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (as a minimisation): x = 2, y = 6, 36.
    @Test func solvesAndResolvesAfterABoundChange() throws {
        var model = MILP()
        let x = model.variable(cost: -3, upper: 10), y = model.variable(cost: -5, upper: 10)
        model.constraint([(x, 1)], .lessOrEqual, 4)
        model.constraint([(y, 2)], .lessOrEqual, 12)
        model.constraint([(x, 3), (y, 2)], .lessOrEqual, 18)
        let lp = LinearProgram(model)
        let first = try #require(lp.solve())
        #expect(abs(first.objective + 36) < 1e-9 && abs(first.values[x] - 2) < 1e-9 && abs(first.values[y] - 6) < 1e-9)
        // x ≥ 3 forces y ≤ 4.5: 3·3 + 5·4.5 = 31.5.
        lp.setBounds(x, 3, 10)
        let second = try #require(lp.solve())
        #expect(abs(second.objective + 31.5) < 1e-9 && abs(second.values[y] - 4.5) < 1e-9)
        // x ≥ 7 breaks x ≤ 4: infeasible.
        lp.setBounds(x, 7, 10)
        #expect(lp.solve() == nil)
    }
}
