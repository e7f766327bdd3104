import CommandPlugin
import MLRunTestSupport
import Testing

/// `[[command]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct CommandPluginTests {
    /// The suite protocol v1 in a few lines of shell: `discover` lists the tests, `run`
    /// answers each id it reads from stdin. `sleeps` would run 30 s; its limit of 4 s is
    /// longer than the verifier's 50 ms before cancelling plus its default 3 s of grace (what
    /// a busy CI machine needs), so a suite that did not stop it on cancellation, or at the
    /// verifier's limit, would show.
    static let program = #"""
        if [ "$1" = discover ]; then
            echo '{"id": "passes", "markers": ["unit"]}'
            echo '{"id": "fails"}'
            echo '{"id": "sleeps", "timeout_s": 4}'
            exit 0
        fi
        while read -r id; do
            echo "{\"id\": \"$id\", \"event\": \"start\"}"
            case "$id" in
            passes) echo "{\"id\": \"$id\", \"outcome\": \"passed\"}" ;;
            fails) echo "{\"id\": \"$id\", \"outcome\": \"failed\", \"message\": \"1 != 2\"}" ;;
            sleeps) sleep 30; echo "{\"id\": \"$id\", \"outcome\": \"passed\"}" ;;
            *) echo "{\"id\": \"$id\", \"outcome\": \"error\", \"message\": \"unknown test\"}" ;;
            esac
        done
        """#

    @Test func conformsToThePluginContract() async {
        let config = """
            [[command]]
            name = "shell"
            run = ["sh", "plugin.sh"]
            markers = ["unit"]
            env = { SUITE_MODE = "verify" }
            """
        let problems = await PluginVerifier.verify(
            CommandPlugin(), config: config, files: ["plugin.sh": Self.program])
        #expect(problems.isEmpty, "\(problems)")
    }
}
