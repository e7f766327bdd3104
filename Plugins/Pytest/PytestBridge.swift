import MLRunProtocol

/// mlrun's pytest plugin, `mlrun_pytest.py`: the program a `[[pytest]]` suite runs. Carried
/// inside the binary (``source``, generated from `python/mlrun_pytest.py`) and written once to
/// the temporary folder; the user installs nothing but pytest.
enum PytestBridge {
    static let file = EmbeddedPython(fileName: "mlrun_pytest.py", source: source)
}
