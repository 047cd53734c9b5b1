/// How a layer is drawn, described once: the report's legends, the GeoJSON's simplestyle
/// properties (geojson.io) and the QGIS style stored in a GeoPackage (GeoIO's `QGISStyle`) all
/// follow it, so the three cannot drift apart.
public struct LayerStyle: Sendable, Hashable {
    public enum Symbol: String, Sendable, Hashable {
        case fill, line, marker
    }

    /// One class of a classified style: a range of a number, or one value (as text).
    public struct Class: Sendable, Hashable {
        public var colour: String
        public var label: String
        /// Graduated: the class holds `lower ≤ value < upper` (the last one `≤ upper`).
        public var lower = 0.0, upper = 0.0
        /// Categorised: the value, as the field's text (`FieldValue.stringValue`); nil for nulls.
        public var value: String?

        public static func range(_ lower: Double, _ upper: Double, _ colour: String, _ label: String) -> Class {
            Class(colour: colour, label: label, lower: lower, upper: upper)
        }

        public static func category(_ value: String?, _ colour: String, _ label: String) -> Class {
            Class(colour: colour, label: label, value: value)
        }
    }

    public enum Renderer: Sendable, Hashable {
        case single(colour: String, label: String)
        /// By ranges of a number; a null (or a value outside every range) gets `noData`.
        case graduated(field: String, classes: [Class], noData: Class)
        /// By the field's value; a value without a class gets `other` (nil: not drawn).
        case categorized(field: String, classes: [Class], other: Class?)
    }

    public var symbol: Symbol
    public var renderer: Renderer
    /// Fill opacity (fills) or the whole symbol's (lines, markers).
    public var opacity = 1.0
    /// Outline of fills and markers.
    public var stroke = Palette.outline
    /// Line width (lines) or outline width (fills, markers), in millimetres on a printed map.
    public var width = 0.26
    /// Marker diameter in millimetres.
    public var size = 3.0
    /// QGIS marker shape: circle, star, square, triangle, diamond.
    public var shape = "circle"
    /// The field whose value labels each feature (Japanese names), shown when zoomed in past `labelScale`.
    public var labelField: String?
    public var labelScale = 100_000.0
    /// A line's width grows with this field (riders): width + 0.4 √value mm.
    public var widthField: String?

    public init(_ symbol: Symbol, _ renderer: Renderer, opacity: Double = 1, stroke: String = Palette.outline, width: Double = 0.26,
                size: Double = 3, shape: String = "circle", labelField: String? = nil, labelScale: Double = 100_000,
                widthField: String? = nil) {
        self.symbol = symbol; self.renderer = renderer; self.opacity = opacity; self.stroke = stroke; self.width = width
        self.size = size; self.shape = shape; self.labelField = labelField; self.labelScale = labelScale; self.widthField = widthField
    }

    /// The classes a legend lists, in order (the no-data or other class last).
    public var classes: [Class] {
        switch renderer {
        case .single(let colour, let label): return [.category(nil, colour, label)]
        case .graduated(_, let classes, let noData): return classes + [noData]
        case .categorized(_, let classes, let other): return classes + (other.map { [$0] } ?? [])
        }
    }

    public var legend: [(colour: String, label: String)] { classes.map { ($0.colour, $0.label) } }

    /// The field the renderer classifies by.
    public var field: String? {
        switch renderer {
        case .single: return nil
        case .graduated(let field, _, _), .categorized(let field, _, _): return field
        }
    }

    /// The colour of a feature whose classified field holds `value` (nil: not drawn).
    public func colour(_ value: FieldValue) -> String? {
        switch renderer {
        case .single(let colour, _): return colour
        case .graduated(_, let classes, let noData):
            guard let v = value.doubleValue else { return noData.colour }
            return classes.enumerated().first { i, c in
                v >= c.lower - 1e-12 && (v < c.upper - 1e-12 || (i == classes.count - 1 && v <= c.upper + 1e-12))
            }?.element.colour ?? noData.colour
        case .categorized(_, let classes, let other):
            let text = value.stringValue
            return classes.first { $0.value == text }?.colour ?? other?.colour
        }
    }

    /// The graduated aging-rate classes of the plans (Palette.agingClasses), labelled by `labelField`.
    public static func agingRate(field: String = "aging_rate", labelField: String? = "name") -> LayerStyle {
        let bounds = Palette.agingClasses.map(\.lower) + [1]
        let classes = Palette.agingClasses.enumerated().map { i, c in Class.range(bounds[i], bounds[i + 1], c.colour, c.label) }
        return LayerStyle(.fill, .graduated(field: field, classes: classes, noData: .category(nil, Palette.noData, "no data")),
                          opacity: 0.75, labelField: labelField, labelScale: 50_000)
    }
}

extension Layer {
    /// The layer with `style` and the simplestyle-spec properties geojson.io draws (fill,
    /// stroke, marker-color…) computed from it, so the GeoJSON looks like the QGIS layer.
    public func styled(_ style: LayerStyle) -> Layer {
        var layer = self
        layer.style = style
        let field = style.field.flatMap(fieldIndex)
        func colour(_ f: Feature) -> FieldValue {
            style.colour(field.map { f.values[$0] } ?? .null).map(FieldValue.string) ?? .null
        }
        // Millimetres to the screen's pixels (96 per inch), as geojson.io draws widths.
        let pixels = (style.width * 96 / 25.4 * 10).rounded() / 10
        switch style.symbol {
        case .fill:
            layer.fields += [Field("fill", .string), Field("fill-opacity", .real), Field("stroke", .string), Field("stroke-width", .real)]
            for i in layer.features.indices {
                layer.features[i].values += [colour(layer.features[i]), .real(style.opacity), .string(style.stroke), .real(pixels)]
            }
        case .line:
            layer.fields += [Field("stroke", .string), Field("stroke-width", .real)]
            for i in layer.features.indices { layer.features[i].values += [colour(layer.features[i]), .real(pixels)] }
        case .marker:
            layer.fields += [Field("marker-color", .string), Field("marker-symbol", .string), Field("marker-size", .string)]
            for i in layer.features.indices {
                layer.features[i].values += [colour(layer.features[i]), .string(style.shape), .string(style.size >= 4 ? "large" : "medium")]
            }
        }
        return layer
    }
}

extension Palette {
    /// The colour of an aging rate (nil: no data), classified as the aging layers' style does.
    public static func agingColour(_ rate: Double?) -> String {
        agingStyle.colour(rate.map(FieldValue.real) ?? .null) ?? noData
    }

    private static let agingStyle = LayerStyle.agingRate()
}
