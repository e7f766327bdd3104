import MLRunCore
import Testing

@Suite struct SeedsTests {
    /// Published FNV-1a 64 test vectors (Fowler–Noll–Vo reference table).
    @Test func fnv1aMatchesReferenceVectors() {
        #expect(Seeds.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Seeds.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Seeds.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }

    /// The hash of raw bytes is the hash of the text they encode.
    @Test func fnv1aOfBytesIsFnv1aOfTheirText() {
        for text in ["", "a", "foobar", "churn-quality::roc_auc", "é😀"] {
            #expect(Array(text.utf8).withUnsafeBytes { Seeds.fnv1a64($0) } == Seeds.fnv1a64(text))
        }
        #expect(Array("foobar".utf8).withUnsafeBytes { Seeds.fnv1a64($0) } == 0x8594_4171_f739_67e8)
    }

    /// SplitMix64 from state 0: the first output is 0xe220a8397b1dcdaf (Vigna's reference code).
    @Test func splitmixMatchesReference() {
        #expect(Seeds.splitmix64(0) == 0xe220_a839_7b1d_cdaf)
    }

    @Test func testSeedsAreReproducibleAndDistinct() {
        let a = TestID(suite: "s", name: "a"), b = TestID(suite: "s", name: "b")
        #expect(Seeds.testSeed(runSeed: 42, id: a) == Seeds.testSeed(runSeed: 42, id: a))
        #expect(Seeds.testSeed(runSeed: 42, id: a) != Seeds.testSeed(runSeed: 42, id: b))
        #expect(Seeds.testSeed(runSeed: 42, id: a) != Seeds.testSeed(runSeed: 43, id: a))
    }
}
