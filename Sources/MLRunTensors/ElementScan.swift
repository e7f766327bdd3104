/// The element half of ``TensorSummary``: fed a tensor's bytes chunk by chunk (each holding
/// whole elements), it finds the first non-finite element and whether all are zero or equal,
/// with branch-free loops over words of the element's width.
struct ElementScan {
    private(set) var firstNonFinite: Int?
    private(set) var isAllZero = true
    private(set) var isConstant = true

    private let rule: Rule
    /// Elements (words, for F6: 3-byte groups) consumed so far.
    private var seen = 0
    /// The first word's bits, the pattern every other must equal.
    private var first: UInt64 = 0
    /// An aligned copy of a chunk whose start is not aligned to the word size.
    private var scratch: [UInt64] = []

    /// How a dtype's bits are judged, as masks on a little-endian word of `wordSize` bytes.
    private struct Rule {
        var wordSize: Int
        /// Bits that must all be zero for the word to be zero (all but the sign bits).
        var zeroMask: UInt64
        /// Whether any bit pattern is zero (not for F8_E8M0).
        var hasZero = true
        /// A word is non-finite when `word & maskA == valueA` or `word & maskB == valueB`; a rule
        /// with no non-finite values uses a mask of 0 and a value of 1.
        var maskA: UInt64 = 0
        var valueA: UInt64 = 1
        var maskB: UInt64 = 0
        var valueB: UInt64 = 1
        /// How many elements one word holds (F4: 2; F6 is handled bytewise).
        var elementsPerWord = 1
        var isFloat6 = false

        static func exponentAllOnes(_ size: Int, _ mask: UInt64) -> Rule {
            Rule(wordSize: size, zeroMask: (1 << (UInt64(size) * 8 - 1)) - 1, maskA: mask, valueA: mask, maskB: mask, valueB: mask)
        }
    }

    init(dtype: TensorDType) {
        switch dtype {
        case .bool, .uint8, .int8: rule = Rule(wordSize: 1, zeroMask: 0xFF)
        case .int16, .uint16: rule = Rule(wordSize: 2, zeroMask: 0xFFFF)
        case .int32, .uint32: rule = Rule(wordSize: 4, zeroMask: 0xFFFF_FFFF)
        case .int64, .uint64: rule = Rule(wordSize: 8, zeroMask: .max)
        case .float16: rule = .exponentAllOnes(2, 0x7C00)
        case .bfloat16: rule = .exponentAllOnes(2, 0x7F80)
        case .float32: rule = .exponentAllOnes(4, 0x7F80_0000)
        case .float64: rule = .exponentAllOnes(8, 0x7FF0_0000_0000_0000)
        case .float8E5M2: rule = .exponentAllOnes(1, 0x7C)
        case .float8E4M3: rule = .exponentAllOnes(1, 0x7F)
        case .float8E4M3FNUZ, .float8E5M2FNUZ: rule = Rule(wordSize: 1, zeroMask: 0xFF, maskA: 0xFF, valueA: 0x80, maskB: 0xFF, valueB: 0x80)
        case .float8E8M0: rule = Rule(wordSize: 1, zeroMask: 0xFF, hasZero: false, maskA: 0xFF, valueA: 0xFF, maskB: 0xFF, valueB: 0xFF)
        case .complex64:
            rule = Rule(
                wordSize: 8, zeroMask: 0x7FFF_FFFF_7FFF_FFFF, maskA: 0x7F80_0000, valueA: 0x7F80_0000, maskB: 0x7F80_0000_0000_0000,
                valueB: 0x7F80_0000_0000_0000)
        case .float4: rule = Rule(wordSize: 1, zeroMask: 0x77, elementsPerWord: 2)
        case .float6E2M3, .float6E3M2: rule = Rule(wordSize: 3, zeroMask: 0xFF_FFFF, isFloat6: true)
        }
    }

    /// Takes the next chunk of the tensor's bytes.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        guard !chunk.isEmpty else { return }
        if rule.isFloat6 { return consumeGroups(chunk) }
        switch rule.wordSize {
        case 1: consume(words: chunk.assumingMemoryBound(to: UInt8.self))
        case 2: withAligned(chunk, as: UInt16.self) { $0.consume(words: $1) }
        case 4: withAligned(chunk, as: UInt32.self) { $0.consume(words: $1) }
        default: withAligned(chunk, as: UInt64.self) { $0.consume(words: $1) }
        }
    }

    /// Calls `body` with the chunk as words: in place when aligned, else from an aligned copy.
    private mutating func withAligned<W: FixedWidthInteger>(
        _ chunk: UnsafeRawBufferPointer, as _: W.Type, _ body: (inout ElementScan, UnsafeBufferPointer<W>) -> Void
    ) {
        if let base = chunk.baseAddress, Int(bitPattern: base) % MemoryLayout<W>.alignment == 0 {
            return body(&self, chunk.assumingMemoryBound(to: W.self))
        }
        var copy = scratch
        scratch = []
        let wordCount = (chunk.count + 7) / 8
        if copy.count < wordCount { copy = [UInt64](repeating: 0, count: wordCount) }
        copy.withUnsafeMutableBytes { storage in
            storage.copyMemory(from: chunk)
            body(&self, UnsafeBufferPointer(start: storage.baseAddress?.assumingMemoryBound(to: W.self), count: chunk.count / MemoryLayout<W>.size))
        }
        scratch = copy
    }

    private mutating func consume<W: FixedWidthInteger & UnsignedInteger>(words: UnsafeBufferPointer<W>) {
        guard !words.isEmpty else { return }
        if seen == 0 { first = UInt64(truncatingIfNeeded: words[0]) }
        let firstWord = W(truncatingIfNeeded: first)
        let (zeroMask, maskA, valueA, maskB, valueB) = (
            W(truncatingIfNeeded: rule.zeroMask), W(truncatingIfNeeded: rule.maskA), W(truncatingIfNeeded: rule.valueA),
            W(truncatingIfNeeded: rule.maskB), W(truncatingIfNeeded: rule.valueB)
        )
        var nonZero: W = 0
        var difference: W = 0
        var nonFinite: W = 0
        // Branch-free, so the compiler can vectorize it.
        for word in words {
            nonZero |= word & zeroMask
            difference |= word ^ firstWord
            nonFinite |= ((word & maskA) == valueA ? 1 : 0) | ((word & maskB) == valueB ? 1 : 0)
        }
        if nonZero != 0 || !rule.hasZero { isAllZero = false }
        if difference != 0 { isConstant = false }
        if rule.elementsPerWord == 2, firstWord >> 4 != firstWord & 0xF { isConstant = false }
        if nonFinite != 0, firstNonFinite == nil,
            let index = words.firstIndex(where: { ($0 & maskA) == valueA || ($0 & maskB) == valueB })
        {
            firstNonFinite = seen + index
        }
        seen += words.count
    }

    /// F6: four 6-bit elements in each 3-byte group; compared as whole groups, whose four
    /// fields (read as a little-endian 24-bit number) must be equal for the tensor to be constant.
    private mutating func consumeGroups(_ chunk: UnsafeRawBufferPointer) {
        func group(_ at: Int) -> UInt64 { UInt64(chunk[at]) | UInt64(chunk[at + 1]) << 8 | UInt64(chunk[at + 2]) << 16 }
        if seen == 0 {
            first = group(0)
            let field = first & 0x3F
            if first != field | field << 6 | field << 12 | field << 18 { isConstant = false }
        }
        for at in stride(from: 0, to: chunk.count - 2, by: 3) {
            let value = group(at)
            if value != 0 { isAllZero = false }
            if value != first { isConstant = false }
        }
        seen += chunk.count / 3
    }
}
