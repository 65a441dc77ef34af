// swift-tools-version:6.0
// Gainsly Core as a Swift package that builds everything from source: an app adds this repository
// (no installed libgainsly needed). `CGainsly` compiles the C++ core and the C ABI; `Gainsly` is the
// Swift API of bindings/swift. SQLite and zlib come from the platform (the iOS/macOS SDK, or the Linux
// distribution). The schema and catalog are compiled in from bindings/swift/Generated/embedded_files.cpp,
// which scripts/gen-swift-sources.sh writes (ctest `swift_source_current` fails while it is stale).
// bindings/swift/Package.swift is the other way in: the same Swift API over an installed libgainsly.
// See docs/ios.md.
import PackageDescription

// The layers of the core, as in CMakeLists.txt; sync without its libpq half (a phone carries batches
// over the app's own HTTPS: gs_sync_export_batch, gs_sync_import_page, ...).
let coreSources = ["model", "math", "store", "training", "catalog", "plan", "progress", "ingest", "sync", "capi"].map { "src/\($0)" }
let serverHalf = ["pg.cpp", "server.cpp", "server_pull.cpp", "server_push.cpp", "server_setup.cpp", "server_sql.cpp",
                  "sync.cpp"].map { "src/sync/\($0)" }
// SwiftPM would hand any other file in a source folder to the compiler (the Linux build fails on a new one).
let layerReadmes = ["math", "training", "plan", "progress", "ingest", "sync"].map { "src/\($0)/README.md" }

let package = Package(
    name: "Gainsly",
    platforms: [.iOS("16.3"), .macOS("13.3")],  // std::to_chars of a double (store/database.cpp)
    products: [
        .library(name: "Gainsly", targets: ["Gainsly"]),
    ],
    targets: [
        .target(
            name: "CGainsly",
            path: ".",
            exclude: serverHalf + layerReadmes,
            sources: coreSources + ["bindings/swift/Generated/embedded_files.cpp"],
            publicHeadersPath: "include",
            cxxSettings: [
                .headerSearchPath("src"),
                .define("GAINSLY_BUILDING"),
            ],
            linkerSettings: [
                .linkedLibrary("sqlite3"),
                .linkedLibrary("z"),
            ]
        ),
        .target(name: "Gainsly", dependencies: ["CGainsly"], path: "bindings/swift/Sources/Gainsly"),
        .testTarget(name: "GainslyTests", dependencies: ["Gainsly"], path: "bindings/swift/Tests/GainslyTests"),
    ],
    cxxLanguageStandard: .cxx20
)
