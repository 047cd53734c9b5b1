/// A study option holding a value the study cannot use. `parameter` is the option's name in the
/// library (`target`, `p`, `fixed`, `proposal.count`); the command line maps it, in one place,
/// to the flag that fed it.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String

    public init(_ parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "\(parameter): \(message)" }
}
