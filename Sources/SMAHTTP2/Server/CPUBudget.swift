import CNGHTTP2
import Foundation

/// How many CPUs this process can use: the CPUs it may run on (affinity, cpusets), capped by a
/// cgroup CPU quota when there is one — in a container with `limits.cpu: 2` on a 64-core node,
/// two event loops, not 64 fighting over two CPUs' worth of time.
public enum CPUBudget {
    /// The default number of event loops.
    public static func available() -> Int {
        let affinity = Int(sma_affinity_cpu_count())
        let quota = cgroupV2Quota(cpuMax: read("/sys/fs/cgroup/cpu.max"))
            ?? cgroupV1Quota(quota: read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") ?? read("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"),
                             period: read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") ?? read("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"))
        return max(1, min(affinity, quota ?? affinity))
    }

    /// CPUs granted by a cgroup v2 `cpu.max` ("max 100000" = no limit, "150000 100000" = 1.5,
    /// rounded up), nil without a limit.
    static func cgroupV2Quota(cpuMax: String?) -> Int? {
        guard let parts = cpuMax?.split(whereSeparator: \.isWhitespace), parts.count == 2,
              let quota = Int(parts[0]), let period = Int(parts[1]), quota > 0, period > 0 else { return nil }
        return (quota + period - 1) / period
    }

    /// The same from cgroup v1's `cpu.cfs_quota_us` (-1 = no limit) and `cpu.cfs_period_us`.
    static func cgroupV1Quota(quota: String?, period: String?) -> Int? {
        guard let quota = quota.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              let period = period.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              quota > 0, period > 0 else { return nil }
        return (quota + period - 1) / period
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
