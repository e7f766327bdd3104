import Testing

@testable import MLRunProtocol

@Suite struct StderrBufferTests {
    private func append(_ text: String, to buffer: inout StderrBuffer) {
        Array(text.utf8).withUnsafeBytes { buffer.append($0) }
    }

    @Test func aTestTakesTheStderrBeforeTheNextTestsMark() {
        var buffer = StderrBuffer(keepLimit: 1024)
        append("first\n", to: &buffer)
        let mark = buffer.total
        append("second\n", to: &buffer)
        #expect(buffer.take(upTo: mark, limit: 1024).text == "first\n")
        #expect(buffer.take(upTo: nil, limit: 1024).text == "second\n")
        #expect(buffer.pendingCount == 0)
    }

    @Test func aDeadProcessesTestGetsTheStderrSinceTheLastResultEvenWhatWasTaken() {
        var buffer = StderrBuffer(keepLimit: 1024)
        append("earlier test\n", to: &buffer)
        let resultMark = buffer.total
        // The next test's stderr arrived before its `start` line: the earlier test took it.
        append("about to crash\n", to: &buffer)
        #expect(buffer.take(upTo: nil, limit: 1024).text == "earlier test\nabout to crash\n")
        append("dying\n", to: &buffer)
        #expect(buffer.text(since: resultMark) == "about to crash\ndying\n")
        #expect(buffer.take(since: resultMark, limit: 1024).text == "about to crash\ndying\n")
        #expect(buffer.take(since: buffer.total, limit: 1024).text == "")
    }

    @Test func whatIsGivenAgainIsBounded() {
        var buffer = StderrBuffer(keepLimit: 1 << 20)
        append(String(repeating: "x", count: 40_000), to: &buffer)
        _ = buffer.take(upTo: nil, limit: 1 << 20)
        append("tail\n", to: &buffer)
        let again = buffer.take(since: 0, limit: 1 << 20).text
        #expect(again.hasSuffix("xtail\n"))
        #expect(again.utf8.count == 16 * 1024 + 5)
    }
}
