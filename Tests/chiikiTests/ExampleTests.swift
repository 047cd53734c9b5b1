import Foundation
import TestSupport
import Testing

/// Examples/NagatoExample: the library in use, run as a user runs it from the repository root.
@Suite struct ExampleTests {
    @Test func nagatoExampleRunsACoveragePlanAndAHubStudy() throws {
        let binary = try CLI.binary.get().deletingLastPathComponent().appendingPathComponent("NagatoExample").path
        let run = try CLI.run([], executable: binary)
        #expect(run.status == 0, "\(run)")
        // The covered share at the end of FY2016 (the plan reports about 65 %) and a plan past 85 %.
        #expect(run.stdout.contains("covered 65.6%; adding 3 districts reaches 86.8%"), "\(run.stdout)")
        #expect(run.stdout.contains("5 hubs reach "), "\(run.stdout)")
    }
}
