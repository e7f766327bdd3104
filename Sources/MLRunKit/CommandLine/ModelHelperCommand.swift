import ArgumentParser
import MLRunProtocol

/// `mlrun model-helper`: prints the Python model-protocol helper (`mlrun_model.py`).
struct ModelHelperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlrun model-helper",
        abstract: "Print mlrun's Python model-protocol helper, mlrun_model.py, to standard output.",
        discussion: """
            mlrun puts the helper on PYTHONPATH for the model programs it starts, so 'from mlrun_model \
            import serve' works with nothing installed. Vendor it (mlrun model-helper > mlrun_model.py) \
            to run a model program by hand or under another tool.
            """
    )
}

enum ModelHelperPrinter {
    static func run(arguments: [String]) -> MLRunExitCode {
        switch ModelHelperCommand.parseOrExit(arguments) {
        case .success: break
        case .failure(let stop): return stop.code
        }
        print(ModelHelper.source, terminator: ModelHelper.source.hasSuffix("\n") ? "" : "\n")
        return .ok
    }
}
