/// A problem with how mlrun was called — a bad flag, expression or combination of flags, a
/// bad config: printed as one message, exit 4.
struct UsageError: Error, Sendable {
    var message: String

    init(_ message: String) { self.message = message }
}
