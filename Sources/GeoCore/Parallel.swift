import Dispatch
import Foundation

/// Threads for parallel work: every core, or `CHIIKI_THREADS` when set (the tests run the
/// commands with 1 and with 4 to check that no output depends on it).
public let workerThreads: Int = ProcessInfo.processInfo.environment["CHIIKI_THREADS"].flatMap(Int.init).map { max(1, $0) }
    ?? ProcessInfo.processInfo.activeProcessorCount

/// Maps `items` in contiguous chunks on all cores and returns the results in input order, so
/// parallel work stays deterministic. `body` runs once per chunk: create per-chunk engines
/// (GEOS contexts, PROJ transformers) inside it; they are not shared between threads.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], chunks: Int = workerThreads,
                                                  _ body: @Sendable ([T]) throws -> [R]) throws -> [R] {
    let count = max(1, min(chunks, items.count))
    if count == 1 { return try body(items) }
    let bounds = (0...count).map { $0 * items.count / count }
    let results = ChunkResults<R>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let slice = Array(items[bounds[i]..<bounds[i + 1]])
        results.set(i, Result { try body(slice) })
    }
    return try results.ordered()
}

/// Per-chunk results, written once each from worker threads under a lock.
private final class ChunkResults<R: Sendable>: @unchecked Sendable {
    private var slots: [Result<[R], Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result<[R], Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = result
    }

    func ordered() throws -> [R] {
        lock.lock(); defer { lock.unlock() }
        return try slots.flatMap { try $0!.get() }
    }
}

/// A value computed on another thread while the caller goes on; `value()` waits for it (and
/// rethrows its error): the next batch of GeoJSON encoded while this one is written.
public final class Pending<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, Error>?  // written before the group leaves, read after it is waited for
    private let group = DispatchGroup()

    public init(_ body: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async(group: group) { self.result = Result { try body() } }
    }

    public func value() throws -> T {
        group.wait()
        return try result!.get()
    }
}
