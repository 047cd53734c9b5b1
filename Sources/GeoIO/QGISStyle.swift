import GeoCore

/// A `LayerStyle` as QGIS stores it: QML (the renderer, symbols and labels QGIS restores when it
/// opens the layer) and, for a single-symbol style, SLD for other OGC clients. Tested by opening
/// the GeoPackage in QGIS itself (Tests/qgis/check_styles.py).
public enum QGISStyle {
    public static func qml(_ style: LayerStyle) -> String {
        var renderer: String
        switch style.renderer {
        case .single(let colour, _):
            renderer = "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><symbols>"
                + symbol(style, colour: colour, name: "0") + "</symbols></renderer-v2>"
        case .graduated(let field, let classes, let noData):
            // QGIS ranges hold lower ≤ v ≤ upper, the first match winning: each upper stops just
            // below the next lower, and nulls reach the no-data class through coalesce(…, -1).
            let all = [(noData, -1.0, -0.5)] + classes.enumerated().map { i, c in
                (c, c.lower, i == classes.count - 1 ? c.upper : classes[i + 1].lower - 1e-9)
            }
            renderer = "<renderer-v2 type=\"graduatedSymbol\" attr=\"\(xml("coalesce(\"\(field)\", -1)"))\" graduatedMethod=\"GraduatedColor\""
                + " symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><ranges>"
                + all.enumerated().map { k, r in
                    "<range symbol=\"\(k)\" lower=\"\(number(r.1))\" upper=\"\(number(r.2))\" label=\"\(xml(r.0.label))\" render=\"true\"/>"
                }.joined()
                + "</ranges><symbols>" + all.enumerated().map { k, r in symbol(style, colour: r.0.colour, name: String(k)) }.joined()
                + "</symbols><mode name=\"jenks\"/></renderer-v2>"
        case .categorized(let field, let classes, let other):
            let all = classes + (other.map { [$0] } ?? [])
            renderer = "<renderer-v2 type=\"categorizedSymbol\" attr=\"\(xml(field))\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><categories>"
                + all.enumerated().map { k, c in
                    // The last, value-less category is QGIS's "all other values".
                    "<category symbol=\"\(k)\" value=\"\(xml(c.value ?? ""))\" label=\"\(xml(c.label))\" render=\"true\"/>"
                }.joined()
                + "</categories><symbols>" + all.enumerated().map { k, c in symbol(style, colour: c.colour, name: String(k)) }.joined()
                + "</symbols></renderer-v2>"
        }
        return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            + "<qgis version=\"3.22.16\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"\(style.labelField == nil ? 0 : 1)\">"
            + renderer + (style.labelField.map { labeling(style, field: $0) } ?? "") + "</qgis>\n"
    }

    /// SLD 1.1 for a single-symbol style; nil for classified ones (QML only).
    public static func sld(_ style: LayerStyle, layerName: String) -> String? {
        guard case .single(let colour, let label) = style.renderer else { return nil }
        let symbolizer: String
        switch style.symbol {
        case .fill:
            symbolizer = "<se:PolygonSymbolizer><se:Fill><se:SvgParameter name=\"fill\">\(colour)</se:SvgParameter>"
                + "<se:SvgParameter name=\"fill-opacity\">\(number(style.opacity))</se:SvgParameter></se:Fill>"
                + (style.width > 0 ? "<se:Stroke><se:SvgParameter name=\"stroke\">\(style.stroke)</se:SvgParameter>"
                    + "<se:SvgParameter name=\"stroke-width\">\(number(style.width))</se:SvgParameter></se:Stroke>" : "")
                + "</se:PolygonSymbolizer>"
        case .line:
            symbolizer = "<se:LineSymbolizer><se:Stroke><se:SvgParameter name=\"stroke\">\(colour)</se:SvgParameter>"
                + "<se:SvgParameter name=\"stroke-width\">\(number(style.width))</se:SvgParameter></se:Stroke></se:LineSymbolizer>"
        case .marker:
            symbolizer = "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>\(style.shape)</se:WellKnownName>"
                + "<se:Fill><se:SvgParameter name=\"fill\">\(colour)</se:SvgParameter></se:Fill>"
                + "<se:Stroke><se:SvgParameter name=\"stroke\">\(style.stroke)</se:SvgParameter></se:Stroke></se:Mark>"
                + "<se:Size>\(number(style.size))</se:Size></se:Graphic></se:PointSymbolizer>"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StyledLayerDescriptor version=\"1.1.0\" xmlns=\"http://www.opengis.net/sld\""
            + " xmlns:se=\"http://www.opengis.net/se\" xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer><se:Name>\(xml(layerName))</se:Name>"
            + "<UserStyle><se:Name>\(xml(layerName))</se:Name><se:FeatureTypeStyle><se:Rule><se:Name>\(xml(label))</se:Name>"
            + symbolizer + "</se:Rule></se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>\n"
    }

    // MARK: parts

    private static func symbol(_ style: LayerStyle, colour: String, name: String) -> String {
        let layer: String
        switch style.symbol {
        case .fill:
            layer = "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">" + options([
                ("color", rgba(colour, style.opacity)), ("style", "solid"), ("outline_color", rgba(style.stroke, 1)),
                ("outline_style", style.width > 0 ? "solid" : "no"), ("outline_width", number(style.width)), ("outline_width_unit", "MM"),
            ]) + "</layer>"
        case .line:
            layer = "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">" + options([
                ("line_color", rgba(colour, 1)), ("line_style", "solid"), ("line_width", number(style.width)), ("line_width_unit", "MM"),
                ("capstyle", "round"), ("joinstyle", "round"),
            ]) + widthByField(style, property: "outlineWidth") + "</layer>"
        case .marker:
            layer = "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">" + options([
                ("name", style.shape), ("color", rgba(colour, 1)), ("outline_color", rgba(style.stroke, 1)), ("outline_style", "solid"),
                ("outline_width", number(style.width)), ("outline_width_unit", "MM"), ("size", number(style.size)), ("size_unit", "MM"),
            ]) + "</layer>"
        }
        // Fills keep their opacity in the colour (outlines stay opaque); lines and markers in alpha.
        let alpha = style.symbol == .fill ? 1 : style.opacity
        return "<symbol type=\"\(style.symbol.rawValue)\" name=\"\(name)\" alpha=\"\(number(alpha))\" clip_to_extent=\"1\" force_rhr=\"0\">"
            + layer + "</symbol>"
    }

    /// A line width that grows with a field: width + 0.4 √value millimetres.
    private static func widthByField(_ style: LayerStyle, property: String) -> String {
        guard let field = style.widthField else { return "" }
        let expression = "\(number(style.width)) + 0.4 * sqrt(coalesce(\"\(field)\", 0))"
        return "<data_defined_properties><Option type=\"Map\"><Option name=\"name\" value=\"\" type=\"QString\"/>"
            + "<Option name=\"properties\" type=\"Map\"><Option name=\"\(property)\" type=\"Map\">"
            + "<Option name=\"active\" value=\"true\" type=\"bool\"/><Option name=\"expression\" value=\"\(xml(expression))\" type=\"QString\"/>"
            + "<Option name=\"type\" value=\"3\" type=\"int\"/></Option></Option>"
            + "<Option name=\"type\" value=\"collection\" type=\"QString\"/></Option></data_defined_properties>"
    }

    private static func labeling(_ style: LayerStyle, field: String) -> String {
        // Placement: over the centroid for areas (1), around the point for markers (0), along lines (2).
        let placement = style.symbol == .fill ? 1 : style.symbol == .line ? 2 : 0
        return "<labeling type=\"simple\"><settings calloutType=\"simple\">"
            + "<text-style fieldName=\"\(xml(field))\" isExpression=\"0\" fontFamily=\"Noto Sans CJK JP\" fontSize=\"8\" fontSizeUnit=\"Point\""
            + " textColor=\"34,34,34,255\" textOpacity=\"1\" namedStyle=\"Regular\" fontWeight=\"50\" fontItalic=\"0\">"
            + "<text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.85\"/>"
            + "</text-style><placement placement=\"\(placement)\" dist=\"1\" distUnits=\"MM\"/>"
            + "<rendering scaleVisibility=\"1\" scaleMin=\"1\" scaleMax=\"\(Int(style.labelScale))\" obstacle=\"1\" displayAll=\"0\"/>"
            + "</settings></labeling>"
    }

    private static func options(_ pairs: [(String, String)]) -> String {
        "<Option type=\"Map\">" + pairs.map { "<Option name=\"\($0.0)\" value=\"\(xml($0.1))\" type=\"QString\"/>" }.joined() + "</Option>"
    }

    /// "#rrggbb" as QGIS writes colours: "r,g,b,a" with a in 0…255.
    static func rgba(_ hex: String, _ opacity: Double) -> String {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        return "\(v >> 16 & 255),\(v >> 8 & 255),\(v & 255),\(Int((opacity * 255).rounded()))"
    }

    private static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
