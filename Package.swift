// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "chiiki",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chiiki", targets: ["chiiki"]),
        .library(name: "ChiikiKit", targets: ["ChiikiKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries, found by pkg-config; each module map covers a one-line shim header.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CCBC", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // renameat2 (an atomic swap of two folders), which Swift's Glibc does not declare.
        .systemLibrary(name: "CSystem"),
        // libFuzzer's driver, linked only in the fuzzing build (make fuzz).
        .systemLibrary(name: "CFuzz"),

        .target(name: "GeoCore"),
        .target(name: "GeoEngine", dependencies: ["GeoCore", "CGEOS", "CPROJ"]),
        .target(name: "GeoIO", dependencies: ["GeoCore", "CGDAL", "CSystem"]),
        .target(name: "Demography", dependencies: ["GeoCore", "GeoEngine", "GeoIO"]),
        .target(name: "Planning", dependencies: ["GeoCore", "GeoEngine", "GeoIO", "Demography", "CCBC", "Yams"]),
        .target(name: "Report", dependencies: ["GeoCore", "GeoEngine", "GeoIO", "Demography", "Planning"]),
        // The toolkit in one import (re-exports the targets above).
        .target(name: "ChiikiKit", dependencies: ["GeoCore", "GeoEngine", "GeoIO", "Demography", "Planning", "Report"]),
        // The library in use: a coverage plan and a hub study in a dozen lines (the tests run it).
        .executableTarget(name: "NagatoExample", dependencies: ["ChiikiKit"], path: "Examples/NagatoExample"),
        // The readers chiiki writes itself, one fuzz target each (make fuzz); replays files otherwise.
        .executableTarget(name: "chiiki-fuzz", dependencies: ["CFuzz", "GeoIO", "Demography", "Planning"], path: "Sources/ChiikiFuzz"),
        .executableTarget(name: "chiiki", dependencies: [
            "GeoCore", "GeoEngine", "GeoIO", "Demography", "Planning", "Report",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared by the test targets: the repository root and temporary folders.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore"]),
        .testTarget(name: "GeoEngineTests", dependencies: ["GeoEngine", "GeoIO", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GeoIOTests", dependencies: ["GeoIO", "GeoEngine", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DemographyTests", dependencies: ["Demography", "TestSupport"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "TestSupport"]),
        // End-to-end: runs the built `chiiki` binary (depending on the executable makes SwiftPM build it).
        .testTarget(name: "chiikiTests", dependencies: ["chiiki", "NagatoExample", "GeoIO", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
