import Testing
@testable import SMAHTTP2

@Suite("BufferBudget: one limit for what all connections hold")
struct BufferBudgetTests {
    @Test("cgroup memory limits: v2 'max' and v1's page-rounded Int64.max mean none")
    func memoryLimits() {
        #expect(BufferBudget.parseMemoryLimit("max\n") == nil)
        #expect(BufferBudget.parseMemoryLimit("9223372036854771712\n") == nil)
        #expect(BufferBudget.parseMemoryLimit("536870912\n") == 536_870_912)
        #expect(BufferBudget.parseMemoryLimit("0") == nil)
        #expect(BufferBudget.parseMemoryLimit(nil) == nil)
        #expect(BufferBudget.parseMemoryLimit("garbage") == nil)
    }

    @Test("the default is between 64 MiB and 1 GiB, and fits two largest messages")
    func defaultLimit() {
        let limit = BufferBudget.defaultLimit(maxMessageSize: 4 << 20)
        #expect(limit >= 64 << 20 && limit <= 1 << 30)
        #expect(BufferBudget.defaultLimit(maxMessageSize: 1 << 30) == 2 << 30)
    }

    @Test("held bytes are the sum of the changes; the limit is crossed, not reached")
    func accounting() {
        let budget = BufferBudget(limit: 100)
        budget.add(60)
        budget.add(40)
        #expect(budget.heldBytes == 100 && !budget.wouldExceed(adding: 0))
        #expect(budget.wouldExceed(adding: 1) && !budget.wouldExceed(adding: 0))
        budget.add(1)
        #expect(budget.wouldExceed(adding: 0))
        budget.add(-101)
        #expect(budget.heldBytes == 0)
    }
}
