import CGEOS
import GeoCore

// The only file that creates or destroys GEOS contexts and geometries. Every GEOS pointer has
// exactly one owner whose deinit frees it; geometries borrowed from a parent (rings, parts)
// are read while the parent is alive and never wrapped.

/// Collects the messages GEOS reports, so a failure carries GEOS's own explanation.
final class GEOSMessages {
    var last = ""
}

private let geosErrorHandler: GEOSMessageHandler_r = { message, userdata in
    guard let message, let userdata else { return }
    Unmanaged<GEOSMessages>.fromOpaque(userdata).takeUnretainedValue().last = String(cString: message)
}

/// One GEOS context. Used by one thread at a time; create one per unit of work (a command,
/// a test, a task) and reuse it for every geometry in that work.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    let messages = GEOSMessages()

    init() {
        guard let handle = GEOS_init_r() else { fatalError("GEOS_init_r returned nil: out of memory") }
        self.handle = handle
        _ = GEOSContext_setErrorMessageHandler_r(handle, geosErrorHandler, Unmanaged.passUnretained(messages).toOpaque())
    }

    deinit { GEOS_finish_r(handle) }

    /// The error of a failed operation with GEOS's message, which is taken from the buffer: the
    /// next failure shows only its own. (GEOS calls the handler only on errors, and every error
    /// is reported through here, so callers need not clear anything first.)
    func failure(_ operation: String) -> EngineError {
        defer { messages.last = "" }
        return EngineError(library: "GEOS", operation: operation, message: messages.last)
    }

    /// Frees geometries built for a constructor that then failed (they were never owned).
    func discard(_ pointers: [OpaquePointer]) {
        for p in pointers { GEOSGeom_destroy_r(handle, p) }
    }

    /// Takes ownership of a geometry GEOS returned, or throws GEOS's message if it returned nil.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSGeom {
        guard let pointer else { throw failure(operation) }
        return GEOSGeom(context: self, pointer: pointer)
    }
}

extension GEOSContext {
    /// GEOS's explanation of why a geometry is invalid, or nil if it is valid.
    func invalidReason(_ g: OpaquePointer) throws -> String? {
        switch GEOSisValid_r(handle, g) {
        case 1: return nil
        case 0:
            guard let reason = GEOSisValidReason_r(handle, g) else { throw failure("validity reason") }
            defer { GEOSFree_r(handle, reason) }
            return String(cString: reason)
        default: throw failure("validity check")
        }
    }

    /// make-valid with the STRUCTURE method: rings are rebuilt as areas, collapsed parts dropped,
    /// so a polygon stays a polygon (what shapely 2's make_valid(method="structure") does).
    func makeValid(_ g: OpaquePointer) throws -> GEOSGeom {
        guard let params = GEOSMakeValidParams_create_r(handle) else { throw failure("make-valid parameters") }
        defer { GEOSMakeValidParams_destroy_r(handle, params) }
        _ = GEOSMakeValidParams_setMethod_r(handle, params, GEOS_MAKE_VALID_STRUCTURE)
        _ = GEOSMakeValidParams_setKeepCollapsed_r(handle, params, 0)
        return try own(GEOSMakeValidWithParams_r(handle, g, params), "make-valid")
    }
}

/// An owned GEOS geometry. Keeps its context alive; freed once, here.
final class GEOSGeom {
    let context: GEOSContext
    /// Read only through `with`, which keeps this owner alive while GEOS uses the pointer
    /// (Swift may otherwise free an owner right after its last use, before the C call).
    fileprivate let pointer: OpaquePointer
    private var preparedPointer: OpaquePointer?

    init(context: GEOSContext, pointer: OpaquePointer) {
        self.context = context
        self.pointer = pointer
    }

    func with<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    static func with<R>(_ a: GEOSGeom, _ b: GEOSGeom, _ body: (OpaquePointer, OpaquePointer) throws -> R) rethrows -> R {
        try withExtendedLifetime((a, b)) { try body(a.pointer, b.pointer) }
    }

    /// The prepared form, built on first use and cached beside the geometry it indexes.
    func prepared() throws -> OpaquePointer {
        if let preparedPointer { return preparedPointer }
        guard let p = GEOSPrepare_r(context.handle, pointer) else { throw context.failure("prepare") }
        preparedPointer = p
        return p
    }

    /// A new, separately owned pointer for a GEOS constructor that takes ownership of its parts.
    func cloneForTransfer() throws -> OpaquePointer {
        guard let copy = GEOSGeom_clone_r(context.handle, pointer) else { throw context.failure("clone") }
        return copy
    }

    deinit {
        if let preparedPointer { GEOSPreparedGeom_destroy_r(context.handle, preparedPointer) }
        GEOSGeom_destroy_r(context.handle, pointer)
    }
}

/// A GEOS STRtree over geometries owned by the caller's `GEOSGeom` array. Items are array
/// indices, so no pointer is shared between Swift and the tree.
final class GEOSTree {
    let context: GEOSContext
    let pointer: OpaquePointer
    /// The tree stores `UnsafeMutableRawPointer(bitPattern: index + 1)`; keep the geometries alive.
    let geometries: [GEOSGeom]

    init(context: GEOSContext, geometries: [GEOSGeom]) throws {
        self.context = context
        self.geometries = geometries
        guard let tree = GEOSSTRtree_create_r(context.handle, 10) else { throw context.failure("STRtree create") }
        pointer = tree
        for (i, g) in geometries.enumerated() {
            GEOSSTRtree_insert_r(context.handle, tree, g.pointer, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, pointer) }

    /// Indices of the geometries whose envelopes intersect `query`'s, in ascending order.
    func query(_ query: OpaquePointer) -> [Int] {
        final class Hits { var items: [Int] = [] }
        let hits = Hits()
        let callback: GEOSQueryCallback = { item, userdata in
            guard let item, let userdata else { return }
            Unmanaged<Hits>.fromOpaque(userdata).takeUnretainedValue().items.append(Int(bitPattern: item) - 1)
        }
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(context.handle, pointer, query, callback, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.items.sorted()
    }
}
