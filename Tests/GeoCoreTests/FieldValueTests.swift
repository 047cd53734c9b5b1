import GeoCore
import Testing

@Suite struct FieldValueTests {
    @Test func descriptions() {
        #expect(FieldValue.null.description == "")
        #expect(FieldValue.integer(352110010).description == "352110010")
        #expect(FieldValue.integer(-5).description == "-5")
        #expect(FieldValue.real(2.5).description == "2.5")
        #expect(FieldValue.real(6248315.428).description == "6248315.428")
        #expect(FieldValue.string("長門市").description == "長門市")
    }

    @Test func doubleValue() {
        #expect(FieldValue.integer(7).doubleValue == 7)
        #expect(FieldValue.real(0.125).doubleValue == 0.125)
        #expect(FieldValue.string("12.5").doubleValue == 12.5)
        #expect(FieldValue.string(" 12").doubleValue == nil, "no trimming")
        #expect(FieldValue.string("X").doubleValue == nil, "e-Stat's suppressed cell")
        #expect(FieldValue.string("").doubleValue == nil)
        #expect(FieldValue.null.doubleValue == nil)
    }

    @Test func intValue() {
        #expect(FieldValue.integer(35439).intValue == 35439)
        #expect(FieldValue.real(3).intValue == 3)
        #expect(FieldValue.real(-2).intValue == -2)
        #expect(FieldValue.real(3.5).intValue == nil, "no silent rounding")
        #expect(FieldValue.real(.nan).intValue == nil)
        #expect(FieldValue.string("352110010").intValue == 352110010)
        #expect(FieldValue.string("-").intValue == nil, "e-Stat's zero marker is not a number")
        #expect(FieldValue.string("3.0").intValue == nil)
        #expect(FieldValue.null.intValue == nil)
    }

    /// Int(Double) would trap outside Int's range; ±∞ and 1e20 must give nil instead.
    @Test
    func intValueOfHugeRealsIsNil() {
        #expect(FieldValue.real(1e20).intValue == nil)
        #expect(FieldValue.real(.infinity).intValue == nil)
        #expect(FieldValue.real(-.infinity).intValue == nil)
    }

    @Test func stringValue() {
        #expect(FieldValue.null.stringValue == nil)
        #expect(FieldValue.integer(352110010).stringValue == "352110010", "integers without a decimal point")
        #expect(FieldValue.string("31371051002").stringValue == "31371051002")
        #expect(FieldValue.string("").stringValue == "")
        #expect(FieldValue.real(1.5).stringValue == "1.5")
    }

    @Test func hashableAndDistinctCases() {
        #expect(FieldValue.integer(1) != FieldValue.real(1))
        #expect(FieldValue.string("1") != FieldValue.integer(1))
        #expect(Set<FieldValue>([.null, .null, .integer(1), .integer(1), .string("a")]).count == 3)
    }

    @Test func layerLooksUpFieldsCaseInsensitively() {
        let layer = Layer(name: "areas", crs: .jgd2000,
                          fields: [Field("KEY_CODE", .string), Field("JINKO", .integer), Field("jinko", .real), Field("Area", .real)],
                          features: [Feature(geometry: nil, values: [.string("352110010"), .integer(10), .real(2.5), .real(7)])])
        let f = layer.features[0]
        #expect(layer.fieldIndex("KEY_CODE") == 0)
        #expect(layer.fieldIndex("key_code") == 0)
        #expect(layer.fieldIndex("JINKO") == 1, "an exact match wins")
        #expect(layer.fieldIndex("jinko") == 2)
        #expect(layer.fieldIndex("AREA") == 3)
        #expect(layer.fieldIndex("SETAI") == nil)
        #expect(layer.value(f, "area") == .real(7))
        #expect(layer.value(f, "SETAI") == .null)
        // A short feature (fewer values than fields) reads as null, not a crash.
        #expect(layer.value(Feature(geometry: nil, values: [.string("x")]), "AREA") == .null)
    }
}
