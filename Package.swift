// swift-tools-version: 6.0
// Harmonic: registry, organ dosimetry and radiation epidemiology for children
// exposed to medical radiation. Layers and arrows: ../shared/DESIGN.md.
import PackageDescription

/// Monte Carlo and likelihood hot loops: release builds drop bounds checks and optimise
/// the whole module (benchmarks and `harmonic` in release use them).
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Harmonic",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "harmonic", targets: ["harmonic"]),
        .executable(name: "harmonic-bench", targets: ["HarmonicBench"]),
        .library(name: "HarmonicCore", targets: ["HarmonicCore"]),
        .library(name: "DICOM", targets: ["DICOM"]),
        .library(name: "XRayPhysics", targets: ["XRayPhysics"]),
        .library(name: "Phantoms", targets: ["Phantoms"]),
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "Epidemiology", targets: ["Epidemiology"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Synthesis", targets: ["Synthesis"]),
        .library(name: "Dosimetry", targets: ["Dosimetry"]),
        .library(name: "FollowUp", targets: ["FollowUp"]),
        .library(name: "RiskProjection", targets: ["RiskProjection"]),
        .library(name: "RTDose", targets: ["RTDose"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // Value types shared by every layer: units, organs, dates, identifiers, errors.
        .target(name: "HarmonicCore"),

        // DICOM Part 10 reader, SR content tree, radiation dose SR, RT objects.
        .target(name: "DICOM", dependencies: ["HarmonicCore", "CZlib"]),
        // System zlib (raw inflate for the Deflated Explicit VR Little Endian transfer syntax).
        .systemLibrary(name: "CZlib"),

        // Photon cross sections, tissue materials, X-ray tube spectra.
        .target(name: "XRayPhysics", dependencies: ["HarmonicCore"],
                resources: [.copy("Resources")], swiftSettings: fastMath),

        // Paediatric stylised phantom family.
        .target(name: "Phantoms", dependencies: ["HarmonicCore", "XRayPhysics"], swiftSettings: fastMath),

        // Photon Monte Carlo transport and organ tallies.
        .target(name: "Transport", dependencies: ["HarmonicCore", "XRayPhysics", "Phantoms"], swiftSettings: fastMath),

        // Coefficient library, dose reconstruction by record tier, uncertainty realisations.
        .target(name: "Dosimetry", dependencies: ["HarmonicCore", "XRayPhysics", "Phantoms", "Transport"],
                resources: [.copy("Resources")], swiftSettings: fastMath),

        // Radiotherapy organ doses: in-field from the DICOM-RT dose grid, out-of-field models
        // (photon scatter and leakage, proton secondary neutrons), placement on the phantom.
        .target(name: "RTDose", dependencies: ["HarmonicCore", "DICOM", "Phantoms"],
                resources: [.copy("Resources")], swiftSettings: fastMath),

        // Person-years, SIR, excess-risk regression, Cox, uncertainty-aware fits.
        .target(name: "Epidemiology", dependencies: ["HarmonicCore"], swiftSettings: fastMath),

        // Follow-up and radiation protection: reference levels, benchmarking, alerts, KAP factors.
        .target(name: "FollowUp", dependencies: ["HarmonicCore"], resources: [.copy("Resources")]),

        // Lifetime attributable risk (BEIR VII / RadRAT) and second-cancer risk of RT plans (Schneider OED).
        .target(name: "RiskProjection", dependencies: ["HarmonicCore"],
                resources: [.copy("Resources")], swiftSettings: fastMath),

        // Store, data dictionary, validated ingest, pseudonymisation, audit, synthetic cohort.
        .target(name: "Registry", dependencies: [
            "HarmonicCore", "DICOM", "Dosimetry",
            "Epidemiology", "FollowUp", "RTDose",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),

        // The registry's PostgreSQL store (postgres-nio), apart so that the embedded SQLite path
        // (Reports, Synthesis, their tests) does not build or link NIO and PostgreSQL.
        .target(name: "RegistryPostgres", dependencies: [
            "Registry", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // `harmonic serve`: the consortium's HTTP API on Hummingbird 2 (docs/server.md).
        .target(name: "HarmonicServer", dependencies: [
            "HarmonicCore", "Registry", "RegistryPostgres", "Dosimetry", "CZlib", "FollowUp", "Reports", "DICOM", "RTDose",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),

        // Seeded synthetic cohorts in the CSV layout of a site extract, with the true risks on the side.
        .target(name: "Synthesis", dependencies: ["HarmonicCore"], swiftSettings: fastMath),

        // HTML report with SVG plots, CSV/JSON export.
        .target(name: "Reports", dependencies: ["HarmonicCore", "Registry", "Epidemiology", "Synthesis", "Dosimetry", "Transport", "FollowUp", "RiskProjection", "RTDose",
                                               .product(name: "GRDB", package: "GRDB.swift")]),

        // The command-line tool.
        .executableTarget(name: "harmonic", dependencies: [
            "HarmonicCore", "DICOM", "XRayPhysics", "Phantoms", "Transport",
            "Epidemiology", "Registry", "Reports", "Synthesis", "Dosimetry", "FollowUp", "RiskProjection",
            "RTDose", "RegistryPostgres", "HarmonicServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: `swift run -c release harmonic-bench <name>` (see BENCHMARKS.md).
        .executableTarget(name: "HarmonicBench", dependencies: [
            "HarmonicCore", "DICOM", "XRayPhysics", "Phantoms", "Transport",
            "Epidemiology", "Registry", "Reports", "Synthesis", "Dosimetry", "FollowUp", "RiskProjection",
            "RTDose", "RegistryPostgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fastMath),

        // Locating ../shared/data and running peer tools (python3, R, dcmtk) from tests.
        .target(name: "HarmonicTestSupport", dependencies: ["HarmonicCore"]),

        .testTarget(name: "HarmonicCoreTests", dependencies: ["HarmonicCore", "HarmonicTestSupport"]),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "HarmonicTestSupport"], resources: [.copy("Resources")]),
        .testTarget(name: "XRayPhysicsTests", dependencies: ["XRayPhysics", "HarmonicTestSupport"]),
        .testTarget(name: "PhantomsTests", dependencies: ["Phantoms", "HarmonicTestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "HarmonicTestSupport"]),
        .testTarget(name: "EpidemiologyTests", dependencies: ["Epidemiology", "HarmonicTestSupport",
                                                              "Registry", "Synthesis", "Reports"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Epidemiology", "HarmonicTestSupport", "RegistryPostgres"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Synthesis", "HarmonicTestSupport", "Dosimetry"]),
        .testTarget(name: "DosimetryTests", dependencies: ["Dosimetry", "HarmonicTestSupport"]),
        .testTarget(name: "FollowUpTests", dependencies: ["FollowUp", "Registry", "Synthesis", "Reports", "HarmonicTestSupport"]),
        .testTarget(name: "RiskProjectionTests", dependencies: ["RiskProjection", "Reports", "RTDose", "HarmonicTestSupport"]),
        .testTarget(name: "RTDoseTests", dependencies: ["RTDose", "DICOM", "Phantoms", "HarmonicTestSupport"],
                    resources: [.copy("Resources")]),
        .testTarget(name: "HarmonicServerTests", dependencies: ["HarmonicServer", "Registry", "HarmonicTestSupport", "Reports", "Synthesis",
                                                                .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "Registry", "Reports", "HarmonicTestSupport"]),
    ]
)
