/// What server reflection knows: serialized `FileDescriptorProto`s by file name, the file
/// declaring each symbol, and the services this server actually serves.
public struct ReflectionIndex: Sendable {
    let files: [String: [UInt8]]
    let symbols: [String: String]
    let services: [String]

    /// - Parameters:
    ///   - descriptorSets: generated descriptor tables (`files`, `symbols`) to merge.
    ///   - services: the fully qualified names of the services served.
    public init(descriptorSets: [(files: [String: [UInt8]], symbols: [String: String])], services: [String]) {
        var files: [String: [UInt8]] = [:]
        var symbols: [String: String] = [:]
        for set in descriptorSets {
            files.merge(set.files) { first, _ in first }
            symbols.merge(set.symbols) { first, _ in first }
        }
        self.files = files
        self.symbols = symbols
        self.services = services.sorted()
    }

    /// The answer to one reflection request, independent of the API version.
    enum Answer {
        case files([[UInt8]])
        case services([String])
        case extensionNumbers(type: String, numbers: [Int32])
        case error(code: Int32, message: String)
    }

    enum Question {
        case fileByFilename(String)
        case fileContainingSymbol(String)
        case fileContainingExtension(type: String, number: Int32)
        case allExtensionNumbersOfType(String)
        case listServices
        case none
    }

    func answer(_ question: Question) -> Answer {
        switch question {
        case .fileByFilename(let name):
            guard files[name] != nil else { return .error(code: 5, message: "File not found: \(name)") }
            return .files(withDependencies(name))
        case .fileContainingSymbol(let symbol):
            let trimmed = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            guard let file = symbols[trimmed] else { return .error(code: 5, message: "Symbol not found: \(symbol)") }
            return .files(withDependencies(file))
        case .fileContainingExtension(let type, let number):
            return .error(code: 5, message: "Extension not found: \(type) field \(number) (SMA's protos declare no extensions)")
        case .allExtensionNumbersOfType(let type):
            guard symbols[type] != nil else { return .error(code: 5, message: "Type not found: \(type)") }
            return .extensionNumbers(type: type, numbers: [])
        case .listServices:
            return .services(services)
        case .none:
            return .error(code: 3, message: "The reflection request names no query (message_request is empty)")
        }
    }

    /// The file followed by every file it imports, transitively, each once.
    private func withDependencies(_ name: String) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var seen: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let bytes = files[next] else { continue }
            result.append(bytes)
            pending.append(contentsOf: FileDescriptorScanner.dependencies(of: bytes))
        }
        return result
    }
}
