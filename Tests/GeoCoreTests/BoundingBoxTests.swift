import GeoCore
import Testing

@Suite struct BoundingBoxTests {
    @Test func extendAndMeasures() {
        var box = BoundingBox(minX: 1, minY: 2, maxX: 3, maxY: 6)
        #expect(box.width == 2)
        #expect(box.height == 4)
        #expect(box.center == Coordinate(2, 4))
        box.extend(Coordinate(-1, 10))
        #expect(box == BoundingBox(minX: -1, minY: 2, maxX: 3, maxY: 10))
        box.extend(Coordinate(0, 5))  // inside: no change
        #expect(box == BoundingBox(minX: -1, minY: 2, maxX: 3, maxY: 10))
        box.extend(BoundingBox(minX: 0, minY: -7, maxX: 8, maxY: 0))
        #expect(box == BoundingBox(minX: -1, minY: -7, maxX: 8, maxY: 10))
    }

    @Test func union() {
        #expect(BoundingBox.union([BoundingBox]()) == nil)
        let a = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        let b = BoundingBox(minX: 5, minY: -2, maxX: 6, maxY: 0.5)
        #expect(BoundingBox.union([a]) == a)
        #expect(BoundingBox.union([a, b]) == BoundingBox(minX: 0, minY: -2, maxX: 6, maxY: 1))
        #expect(BoundingBox.union([b, a]) == BoundingBox.union([a, b]))
        // Any sequence, lazily mapped.
        #expect(BoundingBox.union([a, b].lazy.map { $0 }) == BoundingBox(minX: 0, minY: -2, maxX: 6, maxY: 1))
    }

    @Test func geometryBoxes() {
        #expect(Geometry.point(Coordinate(3, 4)).boundingBox == BoundingBox(minX: 3, minY: 4, maxX: 3, maxY: 4))
        #expect(Geometry.lineString([]).boundingBox == nil)
        #expect(Geometry.multiPolygon([]).boundingBox == nil)
        #expect(Geometry.collection([]).boundingBox == nil)
        let polygon = Geometry.polygon(Polygon(
            exterior: [Coordinate(0, 0), Coordinate(10, 0), Coordinate(10, 5), Coordinate(0, 0)],
            holes: [[Coordinate(2, 1), Coordinate(3, 1), Coordinate(3, 2), Coordinate(2, 1)]]))
        #expect(polygon.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 5))
        let collection = Geometry.collection([polygon, .multiPoint([Coordinate(-3, 7)]), .lineString([Coordinate(12, -1), Coordinate(11, 0)])])
        #expect(collection.boundingBox == BoundingBox(minX: -3, minY: -1, maxX: 12, maxY: 7))
    }

    @Test func layerBoxIgnoresMissingGeometries() {
        var layer = Layer(name: "l", crs: .jgd2000, fields: [])
        #expect(layer.boundingBox == nil)
        layer.features = [
            Feature(geometry: nil, values: []),
            Feature(geometry: .point(Coordinate(131, 34)), values: []),
            Feature(geometry: .point(Coordinate(132, 35)), values: []),
        ]
        #expect(layer.boundingBox == BoundingBox(minX: 131, minY: 34, maxX: 132, maxY: 35))
        #expect(layer.boundingBox?.center == Coordinate(131.5, 34.5))
    }
}
