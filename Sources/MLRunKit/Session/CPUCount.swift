import Foundation

/// The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota
/// (v2 `cpu.max`, or v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us`), at least 1.
enum CPUCount {
    static func available() -> Int {
        var count = ProcessInfo.processInfo.activeProcessorCount
        if let affinity = affinityCount() { count = min(count, affinity) }
        if let quota = cgroupQuota() { count = min(count, quota) }
        return max(1, count)
    }

    /// The CPUs in this process's affinity mask (`Cpus_allowed_list` of /proc/self/status,
    /// e.g. `0-3,8`), or nil when it cannot be read.
    static func affinityCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        var count = 0
        for range in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { count += bounds[1] - bounds[0] + 1 } else if bounds.count == 1 { count += 1 }
        }
        return count > 0 ? count : nil
    }

    /// CPUs allowed by the cgroup quota, rounded up, or nil when unlimited or unknown.
    static func cgroupQuota() -> Int? {
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            if fields.count >= 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 {
                return Int((quota / period).rounded(.up))
            }
            return nil
        }
        if let quotaText = try? String(contentsOfFile: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", encoding: .utf8),
            let periodText = try? String(contentsOfFile: "/sys/fs/cgroup/cpu/cpu.cfs_period_us", encoding: .utf8),
            let quota = Double(quotaText.trimmingCharacters(in: .whitespacesAndNewlines)),
            let period = Double(periodText.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0, period > 0
        {
            return Int((quota / period).rounded(.up))
        }
        return nil
    }

    /// The GPUs visible to this process: `CUDA_VISIBLE_DEVICES` when set (an empty value
    /// means none), else `/dev/nvidiaN` device nodes.
    static func visibleGPUs(environment: [String: String]) -> [String] {
        if let visible = environment["CUDA_VISIBLE_DEVICES"] {
            return visible.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "-1" }
        }
        let nodes = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        return nodes.compactMap { name -> Int? in
            guard name.hasPrefix("nvidia"), let n = Int(name.dropFirst(6)) else { return nil }
            return n
        }.sorted().map(String.init)
    }
}
