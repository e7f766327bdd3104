import Crypto
import Foundation

// PLACEHOLDER until the safetensors branch lands: a slow, simple summary.
/// What one pass over a tensor finds.
package struct TensorSummary: Sendable {
    package var sha256: String
    package var firstNonFinite: Int?
    package var isAllZero: Bool
    package var isConstant: Bool
    package var count: Int

    package init(of tensor: Tensor) {
        sha256 = SHA256.hash(data: tensor.bytes).map { String(format: "%02x", $0) }.joined()
        count = tensor.count
        firstNonFinite = nil
        isAllZero = true
        isConstant = true
        guard tensor.dtype.isReadable else {
            isAllZero = tensor.bytes.allSatisfy { $0 == 0 }
            isConstant = false
            return
        }
        let first = count > 0 ? tensor.double(at: 0) : 0
        for i in 0..<count {
            let value = tensor.double(at: i)
            if tensor.dtype.isFloatingPoint, !value.isFinite, firstNonFinite == nil { firstNonFinite = i }
            if value != 0 { isAllZero = false }
            if value != first { isConstant = false }
        }
    }
}
