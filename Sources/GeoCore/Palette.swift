/// Every colour chiiki draws with, defined once: the report's SVG maps, the interactive map, the
/// GeoJSON simplestyle properties and the QGIS styles of the GeoPackage all take them from here,
/// so a role looks the same everywhere and two roles on one map never share a colour
/// (`PaletteTests` checks each map, also as a reader with red–green colour blindness sees it).
public enum Palette {
    // MARK: aging rate (ColorBrewer OrRd: sequential, readable in grey and with colour blindness)

    /// The aging-rate classes of the plans: ≥ 45 % (support needed) and ≥ 50 % (限界集落) are the
    /// last two.
    public static let agingClasses: [(lower: Double, colour: String, label: String)] = [
        (0.00, "#fef0d9", "< 30%"),
        (0.30, "#fdcc8a", "30–40%"),
        (0.40, "#fc8d59", "40–45%"),
        (0.45, "#e34a33", "45–50%"),
        (0.50, "#b30000", "≥ 50%"),
    ]
    public static let noData = "#cccccc"

    /// The year a unit first reaches 50 % (ColorBrewer Reds): darkest for already, lighter for later.
    public static let projectionYears = ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a", "#fc9272", "#fcbba1", "#fee0d2"]

    // MARK: neutral

    /// Units a map shows but does not single out (unchanged hamlets, served districts).
    public static let background = "#f4f4f4"
    /// Units outside what a map counts (not covered, not reached within the horizon).
    public static let notReached = "#e0e0e0"
    public static let outline = "#555555"
    public static let strongOutline = "#222222"

    // MARK: councils (地域協働体) and the coverage plan

    public static let covered = "#2c7fb8"
    /// Districts by the fiscal year their council began (ColorBrewer Blues, earliest darkest).
    public static let coverageYears = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"]
    public static let joinsCouncil = "#fdae61"
    public static let newCouncil = "#d7191c"

    // MARK: small hubs (小さな拠点)

    public static let hub = "#000000"
    public static let fixedHub = "#8c8c8c"
    public static let candidate = "#ffffff"
    /// Demand within the radius of its hub, and beyond it.
    public static let demandCovered = "#2c7fb8"
    public static let demandUncovered = "#fdae61"
    /// Catchments, one per hub: Paul Tol's "bright" scheme (made for colour-blind readers), then
    /// three of his "muted"; hubs beyond nine reuse them.
    public static let catchments = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#332288", "#999933", "#882255"]

    // MARK: community taxis (Okabe–Ito, made for colour-blind readers)

    public static let gap = "#e69f00"
    public static let proposedStop = "#cc79a7"
    public static let taxiHub = "#000000"
    /// Routes, one per vehicle: blues and greens apart from the gap's orange and the stops' pink.
    public static let routes = ["#0072b2", "#009e73", "#56b4e9", "#7f5a2e", "#6a3d9a", "#1b9e77", "#999999", "#004d40"]
}
