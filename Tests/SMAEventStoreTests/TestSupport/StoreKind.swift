import Testing
import SMAEventStore

/// The store implementations the shared behaviour tests run against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case file
    case memory

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh store of this kind, then closes and removes it.
    func withStore(options: FileEventStore.Options = .init(), _ body: (any EventStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemoryEventStore())
        case .file:
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let store = try FileEventStore.open(directory: directory.path, options: options)
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}

