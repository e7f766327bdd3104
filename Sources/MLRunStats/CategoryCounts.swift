/// Two samples' counts over the union of their categories: the input of the categorical tests.
///
/// Categories are the union of those seen in either sample; a category with a zero count in
/// both does not exist (it is dropped, as it would never have been seen in the data). From
/// dictionaries, categories are sorted by name so results do not depend on hashing order.
package struct CategoryCounts: Sendable, Equatable {
    /// The category names, one per column.
    package let categories: [String]
    /// The reference sample's count in each category.
    package let reference: [Int]
    /// The current sample's count in each category.
    package let current: [Int]

    /// Counts from aligned arrays: `reference[i]` and `current[i]` are the counts of `categories[i]`.
    ///
    /// - Throws: ``StatsInputError`` when the lengths differ, a name repeats or a count is negative.
    package init(categories: [String], reference: [Int], current: [Int]) throws(StatsInputError) {
        guard reference.count == categories.count else {
            throw .lengthMismatch(field: "reference", count: reference.count, expected: categories.count)
        }
        guard current.count == categories.count else {
            throw .lengthMismatch(field: "current", count: current.count, expected: categories.count)
        }
        var seen = Set<String>()
        var names = [String](), r = [Int](), c = [Int]()
        for (index, name) in categories.enumerated() {
            guard seen.insert(name).inserted else { throw .duplicateCategory(name) }
            guard reference[index] >= 0 else { throw .negativeCount(sample: .reference, category: name, count: reference[index]) }
            guard current[index] >= 0 else { throw .negativeCount(sample: .current, category: name, count: current[index]) }
            if reference[index] == 0 && current[index] == 0 { continue }
            names.append(name); r.append(reference[index]); c.append(current[index])
        }
        self.categories = names
        self.reference = r
        self.current = c
    }

    /// Counts from one dictionary per sample (category name → count), categories sorted by name.
    ///
    /// - Throws: ``StatsInputError/negativeCount(sample:category:count:)``.
    package init(reference: [String: Int], current: [String: Int]) throws(StatsInputError) {
        let names = Set(reference.keys).union(current.keys).sorted()
        try self.init(
            categories: names, reference: names.map { reference[$0] ?? 0 },
            current: names.map { current[$0] ?? 0 })
    }

    /// The reference sample's size.
    package var referenceTotal: Int { reference.reduce(0, +) }
    /// The current sample's size.
    package var currentTotal: Int { current.reduce(0, +) }
}
