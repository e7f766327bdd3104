extension PairedTests {
    /// DeLong's test of two correlated ROC AUCs measured on the same rows.
    ///
    /// The method of E. R. DeLong, D. M. DeLong & D. L. Clarke-Pearson, "Comparing the areas
    /// under two or more correlated receiver operating characteristic curves: a
    /// nonparametric approach", Biometrics 44 (1988), 837–845: each AUC is a Mann–Whitney
    /// statistic, its variance and the two AUCs' covariance come from the structural
    /// components V10 (per positive) and V01 (per negative), and
    /// z = (AUC_B − AUC_A) / √Var(AUC_B − AUC_A) is referred to the standard normal.
    /// The sign convention (B − A) and the two-sided p-value are those of R's
    /// `pROC::roc.test(method = "delong")` with the models swapped, and of
    /// `MLstatkit.Delong_test`.
    package struct DeLong: Sendable, Equatable {
        /// ROC AUC of model A (ties between a positive and a negative count one half).
        package let aucA: Double
        /// ROC AUC of model B.
        package let aucB: Double
        /// DeLong's estimate of Var(AUC_A).
        package let varianceA: Double
        /// DeLong's estimate of Var(AUC_B).
        package let varianceB: Double
        /// DeLong's estimate of Cov(AUC_A, AUC_B).
        package let covariance: Double
        /// Var(AUC_B − AUC_A) = varianceA + varianceB − 2·covariance, computed without
        /// that cancellation (from the differences of the structural components).
        package let varianceOfDifference: Double
        /// (AUC_B − AUC_A) / √varianceOfDifference: negative when B has the lower AUC.
        package let z: Double
        /// Two-sided p-value for H0: AUC_A = AUC_B, 2·P(Z > |z|).
        package let pValue: Double
        /// One-sided p-value for the alternative "B is worse" (AUC_B < AUC_A), P(Z ≤ z).
        package let pValueBWorse: Double
        /// Rows with label 1.
        package let positives: Int
        /// Rows with label 0.
        package let negatives: Int
    }

    /// DeLong's test comparing the ROC AUCs of two models' scores on the same labelled rows.
    ///
    /// DeLong, DeLong & Clarke-Pearson (1988), computed in O(n log n) as in X. Sun & W. Xu,
    /// "Fast implementation of DeLong's algorithm for comparing the areas under correlated
    /// receiver operating characteristic curves", IEEE Signal Processing Letters 21 (2014),
    /// 1389–1393: one sort per model and a pass over its groups of tied scores give every
    /// row's structural component (the midrank formulation). The components are kept as
    /// exact integers (twice the count of opposite-class rows ranked below, ties counting
    /// one), so the AUCs are correctly rounded, the variances suffer no cancellation, and
    /// "the variance of the difference is 0" is decided exactly.
    ///
    /// p-values use the normal tail of ``PairedTests`` (relative error below 1e-15).
    ///
    /// - Parameters:
    ///   - yTrue: 0 (negative) or 1 (positive) per row.
    ///   - scoresA: model A's scores, higher meaning more likely positive; finite.
    ///   - scoresB: model B's scores on the same rows.
    /// - Returns: The test, or `.undefined` with the reason: fewer than two rows of a class
    ///   (the AUC or its variance is undefined), or a zero variance of the AUC difference
    ///   (e.g. identical scores, or two perfect rankings), where z would be 0/0 or ±∞.
    /// - Throws: ``MetricInputError`` when the lengths differ, a label is not 0 or 1, or a
    ///   score is NaN or infinite (what scikit-learn rejects with `ValueError`).
    package static func deLong(
        yTrue: [Int], scoresA: [Double], scoresB: [Double]
    ) throws(MetricInputError) -> Computed<DeLong> {
        var isPositive: [Bool] = []
        isPositive.reserveCapacity(yTrue.count)
        for (row, label) in yTrue.enumerated() {
            guard label == 0 || label == 1 else {
                throw .unknownLabel(field: "yTrue", row: row, label: label)
            }
            isPositive.append(label == 1)
        }
        return try deLong(yTrue: isPositive, scoresA: scoresA, scoresB: scoresB)
    }

    /// DeLong's test with the labels given as `true` for a positive row.
    ///
    /// See `deLong(yTrue:scoresA:scoresB:)` with integer labels for the method, its
    /// undefined cases and its errors.
    package static func deLong(
        yTrue: [Bool], scoresA: [Double], scoresB: [Double]
    ) throws(MetricInputError) -> Computed<DeLong> {
        let rows = yTrue.count
        for (field, scores) in [("scoresA", scoresA), ("scoresB", scoresB)] {
            guard scores.count == rows else {
                throw .lengthMismatch(field: field, count: scores.count, expected: rows)
            }
            if let row = scores.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(field: field, row: row)
            }
        }
        let positives = yTrue.count(where: { $0 })
        let negatives = rows - positives
        guard positives > 0, negatives > 0 else {
            return .undefined("only one class in yTrue (\(positives) positives, \(negatives) negatives); ROC AUC is undefined")
        }
        guard positives >= 2, negatives >= 2 else {
            return .undefined("DeLong's variance needs at least two positives and two negatives; yTrue has \(positives) and \(negatives)")
        }

        let componentsA = structuralComponents(isPositive: yTrue, scores: scoresA, positives: positives)
        let componentsB = structuralComponents(isPositive: yTrue, scores: scoresB, positives: positives)
        var overPositives = ComponentMoments()
        var overNegatives = ComponentMoments()
        for row in 0..<rows {
            if yTrue[row] {
                overPositives.add(componentsA[row], componentsB[row])
            } else {
                overNegatives.add(componentsA[row], componentsB[row])
            }
        }

        // AUC = mean of V10 = Σ k / (2·m·n) over the positives (k = 2·V10·n).
        let pairs = 2 * Double(positives) * Double(negatives)
        let aucA = Double(overPositives.sumA) / pairs
        let aucB = Double(overPositives.sumB) / pairs
        let difference = Double(overPositives.sumB - overPositives.sumA) / pairs

        // S = S10/m + S01/n (DeLong 1988, eq. 5), each S the sample covariance (n − 1) of the
        // components; V10 = k/(2n) over the m positives, V01 = k/(2m) over the n negatives.
        func variance(_ select: (ComponentMoments) -> Int128) -> Double {
            overPositives.varianceOfMean(select(overPositives), scale: 2 * Double(negatives))
                + overNegatives.varianceOfMean(select(overNegatives), scale: 2 * Double(positives))
        }
        let varianceA = variance(\.centeredAA)
        let varianceB = variance(\.centeredBB)
        let covariance = variance(\.centeredAB)
        let varianceOfDifference = variance(\.centeredDD)
        guard varianceOfDifference > 0 else {
            return .undefined(
                "the variance of AUC_B − AUC_A is 0 (AUC_A = \(aucA), AUC_B = \(aucB)): the models' "
                    + "structural components differ by a constant on every row, e.g. identical scores or two perfect rankings"
            )
        }
        let z = difference / varianceOfDifference.squareRoot()
        return .value(
            DeLong(
                aucA: aucA, aucB: aucB,
                varianceA: varianceA, varianceB: varianceB, covariance: covariance,
                varianceOfDifference: varianceOfDifference,
                z: z,
                pValue: min(1, 2 * normalUpperTail(abs(z))),
                pValueBWorse: normalUpperTail(-z),
                positives: positives, negatives: negatives
            ))
    }

    /// Every row's structural component, as an exact integer k.
    ///
    /// For a positive row, k = 2·(negatives scored below it) + (negatives tied with it), so
    /// V10 = k / (2n); for a negative row, k = 2·(positives scored above it) + (positives
    /// tied with it), so V01 = k / (2m). That is Sun & Xu's midrank difference
    /// (T_Z − T_X for positives, T_Z − T_Y for negatives) read off one sort of all rows.
    static func structuralComponents(isPositive: [Bool], scores: [Double], positives: Int) -> [Int] {
        let rows = scores.count
        var keyed = [(score: Double, row: Int)]()
        keyed.reserveCapacity(rows)
        for row in 0..<rows { keyed.append((scores[row], row)) }
        keyed.sort { $0.score < $1.score }

        var components = [Int](repeating: 0, count: rows)
        keyed.withUnsafeBufferPointer { sorted in
            isPositive.withUnsafeBufferPointer { isPositive in
                components.withUnsafeMutableBufferPointer { components in
                    var negativesBelow = 0
                    var positivesBelow = 0
                    var start = 0
                    while start < rows {
                        var end = start + 1
                        while end < rows && sorted[end].score == sorted[start].score { end += 1 }
                        var positivesTied = 0
                        for i in start..<end where isPositive[sorted[i].row] { positivesTied += 1 }
                        let negativesTied = end - start - positivesTied
                        let positivesAbove = positives - positivesBelow - positivesTied
                        for i in start..<end {
                            let row = sorted[i].row
                            components[row] =
                                isPositive[row]
                                ? 2 * negativesBelow + negativesTied
                                : 2 * positivesAbove + positivesTied
                        }
                        negativesBelow += negativesTied
                        positivesBelow += positivesTied
                        start = end
                    }
                }
            }
        }
        return components
    }
}

/// Exact first and second moments of two models' integer structural components over one class.
private struct ComponentMoments {
    var count = 0
    var sumA = 0
    var sumB = 0
    var sumAA: Int128 = 0
    var sumBB: Int128 = 0
    var sumAB: Int128 = 0

    mutating func add(_ a: Int, _ b: Int) {
        count += 1
        sumA += a
        sumB += b
        sumAA += Int128(a) * Int128(a)
        sumBB += Int128(b) * Int128(b)
        sumAB += Int128(a) * Int128(b)
    }

    // count² × the sample (co)variances' numerators: c·Σxy − Σx·Σy, exact.
    var centeredAA: Int128 { Int128(count) * sumAA - Int128(sumA) * Int128(sumA) }
    var centeredBB: Int128 { Int128(count) * sumBB - Int128(sumB) * Int128(sumB) }
    var centeredAB: Int128 { Int128(count) * sumAB - Int128(sumA) * Int128(sumB) }
    /// The same for the differences a − b: Σ(a − b)² expands into the three sums above.
    var centeredDD: Int128 { centeredAA + centeredBB - 2 * centeredAB }

    /// The sample (co)variance (ddof 1) of the components divided by `scale`, over count:
    /// the variance that class contributes to the mean of the components.
    func varianceOfMean(_ centered: Int128, scale: Double) -> Double {
        let c = Double(count)
        return Double(centered) / (c * c * (c - 1)) / (scale * scale)
    }
}
