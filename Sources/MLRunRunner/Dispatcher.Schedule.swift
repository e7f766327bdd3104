import MLRunCore

extension Dispatcher {
    /// The dispatcher's queue and slots: which attempts wait, in order, which slots are
    /// free, which tests are reserved for a slot (promised to it, to run next there), how
    /// many tests of each group run, and (under `--dist suite`) which slot owns which suite.
    struct Schedule {
        /// One attempt of a test, and the slot it went to.
        struct Assignment: Sendable {
            var test: PlannedTest
            var attempt: Int
            var slot: Int
        }

        /// An attempt waiting for a slot.
        struct Pending {
            var test: PlannedTest
            var attempt: Int
        }

        /// The attempts not started yet and not reserved, in the order they start: `queue`
        /// from `head` on (taking from the front, the usual case, only moves `head`).
        private var queue: [Pending]
        private var head = 0
        private var pending: ArraySlice<Pending> { queue[head...] }
        /// Per slot, the attempts reserved to run next there, in order.
        private var reserved: [[Pending]]
        private var free: [Int]
        private let limits: [String: Int]
        private var groupLoad: [String: Int] = [:]
        private let bySuite: Bool
        private var suiteOwner: [Int: Int] = [:]

        init(tests: [PlannedTest], policy: DispatchPolicy) {
            queue = tests.map { Pending(test: $0, attempt: 1) }
            reserved = Array(repeating: [], count: max(1, policy.slots))
            free = Array(0..<policy.slots)
            limits = policy.groups
            bySuite = policy.distribution == .suite
        }

        /// Every attempt not started yet: those reserved for a slot, then those waiting.
        var left: [Pending] {
            reserved.flatMap { $0 } + pending
        }

        /// Takes the next attempt that may start now and gives it a free slot: a free slot's
        /// first reserved attempt, else the first waiting attempt that may start; nil when no
        /// slot is free or every waiting test is held back (its group is full, or its suite's
        /// slot is busy).
        mutating func next() -> Assignment? {
            guard !free.isEmpty else { return nil }
            if let slot = free.first(where: { !reserved[$0].isEmpty }) {
                let item = reserved[slot].removeFirst()
                free.removeAll { $0 == slot }
                return Assignment(test: item.test, attempt: item.attempt, slot: slot)
            }
            for index in pending.indices {
                let item = queue[index]
                let groups = self.groups(of: item.test)
                if groups.contains(where: { groupLoad[$0, default: 0] >= limits[$0, default: 0] }) { continue }
                guard let slot = slot(for: item.test.suiteIndex) else { continue }
                free.removeAll { $0 == slot }
                if index == head { head += 1 } else { queue.remove(at: index) }
                for name in groups { groupLoad[name, default: 0] += 1 }
                return Assignment(test: item.test, attempt: item.attempt, slot: slot)
            }
            return nil
        }

        /// The slot for a test of suite `suite`: the lowest free one, or under `--dist suite`
        /// the suite's own (nil while it is busy); a suite's first test takes a slot no other
        /// suite owns, if one is free.
        private mutating func slot(for suite: Int) -> Int? {
            guard bySuite else { return free.first }
            if let owner = suiteOwner[suite] { return free.contains(owner) ? owner : nil }
            let owned = Set(suiteOwner.values)
            guard let slot = free.first(where: { !owned.contains($0) }) ?? free.first else { return nil }
            suiteOwner[suite] = slot
            return slot
        }

        /// Reserves waiting attempts to follow `assignment` in its slot, up to `count` in all
        /// and a fair share of what is left (all attempts not started, over the slots); returns
        /// the slot's reservation. Only attempts from the front of the queue are taken, in
        /// order, while `lane` gives them `lookahead` and they belong to no limited group
        /// (under `--dist suite`: and to the assignment's suite).
        mutating func reserve(
            after assignment: Assignment, lookahead: Lookahead, count: Int, lane: (PlannedTest) -> Lookahead?
        ) -> [PlannedTest] {
            let slot = assignment.slot
            let fairShare = (pending.count + reserved.reduce(0) { $0 + $1.count }) / max(1, reserved.count)
            let target = min(count, lookahead.depth, fairShare)
            var taken = 0
            while reserved[slot].count < target, head + taken < queue.count {
                let item = queue[head + taken]
                guard lane(item.test) == lookahead, groups(of: item.test).isEmpty,
                    !bySuite || item.test.suiteIndex == assignment.test.suiteIndex
                else { break }
                reserved[slot].append(item)
                taken += 1
            }
            head += taken
            return reserved[slot].map(\.test)
        }

        /// Frees the slot and the group places of a finished attempt.
        mutating func release(_ assignment: Assignment) {
            free.append(assignment.slot)
            free.sort()
            for name in groups(of: assignment.test) { groupLoad[name, default: 0] -= 1 }
        }

        /// Queues the next attempt of a failed test ahead of everything else.
        mutating func retry(_ assignment: Assignment) {
            let item = Pending(test: assignment.test, attempt: assignment.attempt + 1)
            if head > 0 {
                head -= 1
                queue[head] = item
            } else {
                queue.insert(item, at: 0)
            }
        }

        /// The limited groups `test` belongs to, by its markers.
        private func groups(of test: PlannedTest) -> [String] {
            test.markers.map(\.name).filter { limits[$0] != nil }
        }
    }
}
