import SMARPC
import Testing

private enum FirstKey: ContextKey { typealias Value = String }
private enum SecondKey: ContextKey { typealias Value = [Int] }
private enum ThirdKey: ContextKey { typealias Value = Int }

@Suite("ServerContext values")
struct ServerContextTests {
    private func context() -> ServerContext {
        ServerContext(method: MethodDescriptor(service: "s", method: "m"), peer: "test", deadline: nil, rawHeaders: RawHeaderBlock(),
                      requestCompression: nil, responseCompression: nil)
    }

    @Test("values under different keys live side by side (inline slot and overflow), overwrite by key, and absent keys are nil")
    func severalKeys() {
        let context = context()
        #expect(context.value(for: FirstKey.self) == nil)
        context.setValue("one", for: FirstKey.self)
        context.setValue([1, 2, 3], for: SecondKey.self)
        context.setValue(BoxedContextValue<ThirdKey>(7), for: ThirdKey.self)
        #expect(context.value(for: FirstKey.self) == "one")
        #expect(context.value(for: SecondKey.self) == [1, 2, 3])
        #expect(context.value(for: ThirdKey.self) == 7)
        context.setValue("uno", for: FirstKey.self)
        context.setValue([4], for: SecondKey.self)
        #expect(context.value(for: FirstKey.self) == "uno")
        #expect(context.value(for: SecondKey.self) == [4])
    }

    @Test("a pre-boxed value is shared by many contexts")
    func boxedValue() {
        let boxed = BoxedContextValue<SecondKey>([9, 9])
        let contexts = (0..<3).map { _ in context() }
        for context in contexts { context.setValue(boxed, for: SecondKey.self) }
        #expect(contexts.allSatisfy { $0.value(for: SecondKey.self) == [9, 9] })
    }
}
