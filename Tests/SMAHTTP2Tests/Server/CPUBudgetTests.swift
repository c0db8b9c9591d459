import Foundation
import Testing

@testable import SMAHTTP2

@Suite("CPUBudget: event loops for the CPUs a container may use")
struct CPUBudgetTests {
    @Test("cgroup v2 cpu.max: a quota rounds up to whole CPUs; 'max' or junk is no limit")
    func cgroupV2() {
        #expect(CPUBudget.cgroupV2Quota(cpuMax: "200000 100000\n") == 2)
        #expect(CPUBudget.cgroupV2Quota(cpuMax: "150000 100000") == 2)
        #expect(CPUBudget.cgroupV2Quota(cpuMax: "50000 100000") == 1)
        #expect(CPUBudget.cgroupV2Quota(cpuMax: "max 100000") == nil)
        #expect(CPUBudget.cgroupV2Quota(cpuMax: "") == nil)
        #expect(CPUBudget.cgroupV2Quota(cpuMax: nil) == nil)
    }

    @Test("cgroup v1 cfs quota and period: -1 is no limit")
    func cgroupV1() {
        #expect(CPUBudget.cgroupV1Quota(quota: "400000\n", period: "100000\n") == 4)
        #expect(CPUBudget.cgroupV1Quota(quota: "-1", period: "100000") == nil)
        #expect(CPUBudget.cgroupV1Quota(quota: nil, period: "100000") == nil)
    }

    @Test("the budget is at least one CPU and at most the CPUs this process may run on")
    func available() {
        #expect((1...ProcessInfo.processInfo.processorCount).contains(CPUBudget.available()))
    }
}
